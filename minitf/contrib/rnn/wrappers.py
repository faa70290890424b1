"""`tf.contrib.rnn`'s cell wrappers: `HighwayWrapper` (a gated skip connection) and
`AttentionCellWrapper` (attention over the cell's last `attn_length` outputs, Bahdanau et al.).
"""
import minitf as tf
from minitf.contrib.rnn._base import linear, track
from minitf.rnn_cell import RNNCell, _Wrapper

__all__ = ["HighwayWrapper", "AttentionCellWrapper"]


class HighwayWrapper(_Wrapper):
    """Mixes a cell's inputs and outputs: `inputs * carry + outputs * transform`.

    `carry = sigmoid(inputs carry_w + carry_b)` and `transform = 1 - carry` (or, uncoupled,
    `sigmoid(inputs transform_w + transform_b)`). As in TF the wrapper opens no scope: its
    variables live in the caller's scope (`rnn/carry_w` under `dynamic_rnn`); later calls
    reuse them.

    Args:
      cell: the cell to wrap (its outputs must be shaped as its inputs).
      couple_carry_transform_gates: whether `transform = 1 - carry`.
      carry_bias_init: the initial carry bias (the transform bias starts at its negative).
    """

    def __init__(self, cell, couple_carry_transform_gates=True, carry_bias_init=1.0):
        super().__init__(cell)
        self._couple = couple_carry_transform_gates
        self._carry_bias_init = carry_bias_init
        self._gates = None

    def _make_gates(self, size):
        names = [("carry", self._carry_bias_init)]
        if not self._couple:
            names.append(("transform", -self._carry_bias_init))
        gates = [(tf.get_variable(f"{g}_w", [size, size]),
                  tf.get_variable(f"{g}_b", [size], initializer=tf.constant_initializer(b)))
                 for g, b in names]
        track(self, [v for pair in gates for v in pair])
        return gates

    def _highway(self, inp, out):
        if self._gates is None:
            self._gates = self._make_gates(inp.shape.with_rank(2).as_list()[1])
        carry = tf.sigmoid(tf.nn.xw_plus_b(inp, *self._gates[0]))
        transform = 1 - carry if self._couple else tf.sigmoid(
            tf.nn.xw_plus_b(inp, *self._gates[1]))
        return inp * carry + out * transform

    def call(self, inputs, state, scope=None):
        """Runs the cell and mixes its inputs into its outputs.

        Args:
          inputs: the cell's inputs.
          state: the cell's state.
          scope: passed to the wrapped cell.

        Returns:
          `(highway outputs, new_state)`.

        Raises:
          TypeError, ValueError: the outputs are not structured or shaped as the inputs.
        """
        outputs, new_state = self._cell(inputs, state, scope=scope)
        tf.nest.assert_same_structure(inputs, outputs)
        tf.nest.map_structure(lambda i, o: i.shape.assert_is_compatible_with(o.shape),
                              inputs, outputs)
        return tf.nest.map_structure(self._highway, inputs, outputs), new_state


def _like_rnn_cell(cell):
    return all(hasattr(cell, a) for a in ("output_size", "state_size", "zero_state")) \
        and callable(cell)


class AttentionCellWrapper(RNNCell):
    """Adds attention over the last `attn_length` outputs to a cell.

    The state is `(cell_state, attns, attn_states)`: the inner state, the last attention
    read `[batch, attn_size]` and the window of outputs `[batch, attn_length * attn_size]`.
    A step mixes `[inputs, attns]` into the cell's input (`kernel`, `bias`), runs the cell,
    attends over the window with the concatenated new state as query (`attention/attn_w`,
    `attention/attn_v`, `attention/kernel`, `attention/bias`), projects `[cell output, new
    attns]` to the output (`attn_output_projection/`), and shifts the output into the window.

    Args:
      cell: the cell to wrap (made under `attention_cell_wrapper/`).
      attn_length: the length of the attention window.
      attn_size: the size of an attention vector (default: the cell's output size).
      attn_vec_size: the size of the attention's hidden features (default `attn_size`).
      input_size: the size of the cell's input projection (default: the input depth).
      state_is_tuple: whether the state is a tuple (else its concat).
      reuse: whether to reuse variables of the same scope.

    Raises:
      TypeError: `cell` is not an RNN cell.
      ValueError: a tuple-state cell without `state_is_tuple`, or `attn_length <= 0`.
    """

    _scope_name = "attention_cell_wrapper"

    def __init__(self, cell, attn_length, attn_size=None, attn_vec_size=None, input_size=None,
                 state_is_tuple=True, reuse=None):
        super().__init__(reuse=reuse)
        if not _like_rnn_cell(cell):
            raise TypeError("The parameter cell is not RNNCell.")
        if tf.nest.is_nested(cell.state_size) and not state_is_tuple:
            raise ValueError("Cell returns tuple of states, but the flag state_is_tuple is not "
                             f"set. State size is: {cell.state_size}")
        if attn_length <= 0:
            raise ValueError(f"attn_length should be greater than zero, got {attn_length}")
        self._cell = cell
        self._attn_length = attn_length
        self._attn_size = attn_size if attn_size is not None else cell.output_size
        self._attn_vec_size = attn_vec_size if attn_vec_size is not None else self._attn_size
        self._input_size = input_size
        self._state_is_tuple = state_is_tuple

    _children = property(lambda self: [self._cell])

    @property
    def state_size(self):
        size = (self._cell.state_size, self._attn_size, self._attn_size * self._attn_length)
        return size if self._state_is_tuple else sum(size)

    output_size = property(lambda self: self._attn_size)

    def _split_state(self, state):
        if self._state_is_tuple:
            return state
        inner, attn = self._cell.state_size, self._attn_size
        return (state[:, :inner], state[:, inner:inner + attn], state[:, inner + attn:])

    def call(self, inputs, state):
        """Runs one step of the cell with attention.

        Args:
          inputs: a `[batch, depth]` Tensor.
          state: `(cell_state, attns, attn_states)` (or their concat).

        Returns:
          `(output, new_state)`, output `[batch, attn_size]`.
        """
        cell_state, attns, attn_states = self._split_state(state)
        attn_states = tf.reshape(attn_states, [-1, self._attn_length, self._attn_size])
        size = self._input_size or inputs.shape.as_list()[1]
        inputs, made = linear([inputs, attns], size, True)
        track(self, made)
        cell_output, new_cell_state = self._cell(inputs, cell_state)
        query = (tf.concat(tf.nest.flatten(new_cell_state), 1) if self._state_is_tuple
                 else new_cell_state)
        new_attns, new_attn_states = self._attention(query, attn_states)
        with tf.variable_scope("attn_output_projection"):
            output, made = linear([cell_output, new_attns], self._attn_size, True)
        track(self, made)
        new_attn_states = tf.concat([new_attn_states, tf.expand_dims(output, 1)], 1)
        new_attn_states = tf.reshape(new_attn_states,
                                     [-1, self._attn_length * self._attn_size])
        new_state = (new_cell_state, new_attns, new_attn_states)
        return output, (new_state if self._state_is_tuple else tf.concat(list(new_state), 1))

    def _attention(self, query, attn_states):
        length, size, vec = self._attn_length, self._attn_size, self._attn_vec_size
        with tf.variable_scope("attention"):
            k = tf.get_variable("attn_w", [1, 1, size, vec])
            v = tf.get_variable("attn_v", [vec])
            hidden = tf.reshape(attn_states, [-1, length, 1, size])
            # TF's 1x1 conv2d of `hidden` with `k`: a matmul over the feature axis
            features = tf.matmul(tf.reshape(hidden, [-1, size]), tf.reshape(k, [size, vec]))
            features = tf.reshape(features, [-1, length, 1, vec])
            y, made = linear(query, vec, True)
            track(self, [k, v] + made)
            y = tf.reshape(y, [-1, 1, 1, vec])
            weights = tf.nn.softmax(tf.reduce_sum(v * tf.tanh(features + y), [2, 3]))
            read = tf.reduce_sum(tf.reshape(weights, [-1, length, 1, 1]) * hidden, [1, 2])
            return tf.reshape(read, [-1, size]), attn_states[:, 1:, :]
