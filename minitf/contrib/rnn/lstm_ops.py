"""`tf.contrib.rnn`'s block LSTMs: `LSTMBlockCell` (one step) and `LSTMBlockFusedCell` (a whole
time-major sequence), built from minitf's ops instead of TF's fused `LSTMBlockCell`/`BlockLSTM`
kernels, so their gradients come from those ops.

The kernel's columns are the gates `[i, ci, f, o]` (input, cell input, forget, output): the
layout of `LSTMCell`'s `[i, j, f, o]`, so a checkpoint of either cell loads into the other when
the scope names match (TF's promise, checked against `tf.raw_ops.LSTMBlockCell`).
"""
import minitf as tf
from minitf.contrib.rnn._base import ContribCell
from minitf.rnn_cell import LSTMStateTuple

__all__ = ["LSTMBlockCell", "LSTMBlockWrapper", "LSTMBlockFusedCell"]


def _lstm_block_step(x, cs_prev, h_prev, w, b, peepholes, forget_bias, cell_clip):
    """One step of TF's LSTMBlockCell op; returns its outputs (i, cs, f, o, ci, co, h).

    `peepholes` is `(wci, wcf, wco)` or None; a negative `cell_clip` means no clipping.
    """
    gates = tf.nn.bias_add(tf.matmul(tf.concat([x, h_prev], 1), w), b)
    i, ci, f, o = tf.split(gates, 4, axis=1)
    f = f + tf.constant(forget_bias, dtype=f.dtype)
    if peepholes is not None:
        wci, wcf, wco = peepholes
        i, f = i + cs_prev * wci, f + cs_prev * wcf
    i, f, ci = tf.sigmoid(i), tf.sigmoid(f), tf.tanh(ci)
    cs = ci * i + cs_prev * f
    if cell_clip is not None and cell_clip > 0:
        cs = tf.clip_by_value(cs, -cell_clip, cell_clip)
    o = tf.sigmoid(o + cs * peepholes[2] if peepholes is not None else o)
    co = tf.tanh(cs)
    return i, cs, f, o, ci, co, co * o


class _BlockVariables:
    """The kernel, bias and optional peepholes the two block LSTMs share (TF's names)."""

    def _make_block_variables(self, input_size):
        n = self._num_units
        self._kernel = self._variable("kernel", [input_size + n, 4 * n])
        self._bias = self._variable("bias", [4 * n], tf.constant_initializer(0.0))
        self._peepholes = None
        if self._use_peephole:  # TF makes them in the order i, f, o
            self._peepholes = tuple(self._variable(f"w_{g}_diag", [n]) for g in "ifo")


class LSTMBlockCell(_BlockVariables, ContribCell):
    """The LSTM cell of TF's fused `LSTMBlockCell` op: `LSTMCell`'s math and variable names.

    With `use_peephole` the input and forget gates see the previous memory and the output gate
    the new one; the memory is clipped to `[-cell_clip, cell_clip]` before the output gate.

    Args:
      num_units: the number of units.
      forget_bias: added to the forget gate's pre-activation.
      cell_clip: clip the memory to this value (None or negative: no clipping).
      use_peephole: add the diagonal peephole weights `w_i_diag`, `w_f_diag`, `w_o_diag`.
      dtype: the dtype of the variables (default float32).
      reuse: whether to reuse variables of the same scope.
      name: the cell's variable-scope name (default "lstm_cell", as `LSTMCell`).

    >>> from minitf.contrib import rnn as contrib_rnn
    >>> out, st = tf.nn.dynamic_rnn(contrib_rnn.LSTMBlockCell(3), tf.ones([2, 4, 5]),
    ...                             dtype=tf.float32)
    >>> print(out.shape, [v.name for v in tf.global_variables()])
    (2, 4, 3) ['rnn/lstm_cell/kernel:0', 'rnn/lstm_cell/bias:0']
    """

    _scope_name = "lstm_cell"

    def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False,
                 dtype=None, reuse=None, name="lstm_cell"):
        super().__init__(name=name, dtype=dtype, reuse=reuse)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._cell_clip = cell_clip if cell_clip is not None else -1
        self._use_peephole = use_peephole

    state_size = property(lambda self: LSTMStateTuple(self._num_units, self._num_units))
    output_size = property(lambda self: self._num_units)

    def build(self, input_depth):
        """Makes `kernel` `[input_depth + num_units, 4 * num_units]`, `bias` and the peepholes.

        Args:
          input_depth: the size of the inputs' last dimension.
        """
        self._make_block_variables(input_depth)

    def call(self, inputs, state):
        """Runs one LSTM step.

        Args:
          inputs: a `[batch, depth]` Tensor.
          state: an `LSTMStateTuple(c, h)` (or a pair).

        Returns:
          `(h, LSTMStateTuple(cs, h))`.

        Raises:
          ValueError: `inputs` is not 2-D or `state` is not a pair.
        """
        _check_ndim(inputs, 2, self._name or self._scope_name)
        if len(state) != 2:
            raise ValueError("Expecting state to be a tuple with length 2.")
        cs_prev, h_prev = state
        out = _lstm_block_step(inputs, cs_prev, h_prev, self._kernel, self._bias,
                               self._peepholes, self._forget_bias, self._cell_clip)
        return out[6], LSTMStateTuple(out[1], out[6])


def _check_ndim(x, ndim, layer):
    rank = x.shape.ndims
    if rank is not None and rank != ndim:
        raise ValueError(f"Input 0 of layer {layer} is incompatible with the layer: expected "
                         f"ndim={ndim}, found ndim={rank}. Full shape received: "
                         f"{x.shape.as_list()}")


class LSTMBlockWrapper(ContribCell):
    """The base of the fused LSTMs: runs `_call_cell` over a time-major sequence.

    Called as `cell(inputs, initial_state=None, dtype=None, sequence_length=None)` on
    `[time, batch, depth]` inputs (or a list of `[batch, depth]` Tensors); returns the outputs
    (a list if the inputs were) and the final `LSTMStateTuple(c, h)`. With `sequence_length`
    the outputs past each entry's length are zeros and the final state is its last valid one.
    Subclasses define `num_units` and `_call_cell`.

    Args:
      name: the variable-scope name.
      dtype: the dtype of the variables (default: the inputs').
      reuse: whether to reuse variables of the same scope.
    """

    @property
    def num_units(self):
        """The number of units (the output depth)."""
        raise NotImplementedError("Abstract method")

    state_size = property(lambda self: LSTMStateTuple(self.num_units, self.num_units))
    output_size = property(lambda self: self.num_units)

    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None,
                 scope=None):
        """Runs the LSTM over `inputs` in the cell's variable scope.

        Args:
          inputs: a `[time, batch, depth]` Tensor or a list of `[batch, depth]` Tensors.
          initial_state: a pair `(c, h)` of `[batch, num_units]` Tensors (default zeros).
          dtype: the dtype of the zero initial state; required without `initial_state`.
          sequence_length: an int vector `[batch]` of lengths (default: all `time`).
          scope: a variable scope or name to use instead of the cell's default.

        Returns:
          `(outputs, LSTMStateTuple(c, h))`, outputs `[time, batch, num_units]` (a list if
          `inputs` was one).

        Raises:
          ValueError: `inputs` is not 3-D or its depth is unknown, no `initial_state` and no
            `dtype`, or an `initial_state` not a pair.
        """
        is_list = isinstance(inputs, list)
        if is_list:
            inputs = tf.stack(inputs)
        inputs = tf.convert_to_tensor(inputs)
        _check_ndim(inputs, 3, self._name or self._scope_name)
        if inputs.shape.ndims is None or inputs.shape.as_list()[2] is None:
            raise ValueError(f"Expecting inputs_shape[2] to be set: {inputs.shape}")
        extra = (is_list, initial_state, dtype, sequence_length)
        return super().__call__(inputs, extra, scope=scope)

    def call(self, inputs, extra):
        """Runs `_call_cell`, then masks the outputs and picks the final state.

        Args:
          inputs: a `[time, batch, depth]` Tensor.
          extra: `(is_list, initial_state, dtype, sequence_length)` from `__call__`.

        Returns:
          `(outputs, LSTMStateTuple(c, h))`.

        Raises:
          ValueError: no `initial_state` and no `dtype`, or an `initial_state` not a pair.
        """
        is_list, initial_state, dtype, sequence_length = extra
        shape = inputs.shape.as_list()
        batch = shape[1] if shape[1] is not None else tf.shape(inputs)[1]
        time_len = shape[0] if shape[0] is not None else tf.shape(inputs)[0]
        if initial_state is None:
            if dtype is None:
                raise ValueError("Either initial_state or dtype needs to be specified")
            z = tf.zeros(tf.stack([batch, self.num_units]), dtype=dtype)
            initial_state = z, z
        elif len(initial_state) != 2:
            raise ValueError("Expecting initial_state to be a tuple with length 2 or None")
        else:
            dtype = dtype or initial_state[0].dtype
        if sequence_length is not None:
            sequence_length = tf.convert_to_tensor(sequence_length)
        c0, h0 = initial_state
        cell_states, outputs = self._call_cell(inputs, c0, h0, dtype, sequence_length)
        if sequence_length is None:
            final_c, final_h = cell_states[-1], outputs[-1]
        else:
            mask = tf.transpose(tf.sequence_mask(sequence_length, time_len, dtype=dtype))
            outputs = outputs * tf.expand_dims(mask, -1)
            # index 0 is the initial state: an entry of length 0 keeps it
            final_c = _gather_states(tf.concat([c0[None], cell_states], 0), sequence_length,
                                     batch)
            final_h = _gather_states(tf.concat([h0[None], outputs], 0), sequence_length, batch)
        if is_list:
            outputs = tf.unstack(outputs)
        return outputs, LSTMStateTuple(final_c, final_h)

    def _call_cell(self, inputs, initial_cell_state, initial_output, dtype, sequence_length):
        raise NotImplementedError("Abstract method")


def _gather_states(data, indices, batch_size):
    """out[i] = data[indices[i], i]."""
    indices = tf.cast(indices, tf.int32)
    return tf.gather_nd(data, tf.stack([indices, tf.range(batch_size)], axis=1))


class LSTMBlockFusedCell(_BlockVariables, LSTMBlockWrapper):
    """The LSTM of TF's fused `BlockLSTM` op over a whole time-major sequence.

    The same math and variables (`kernel`, `bias`, `w_i_diag`, `w_f_diag`, `w_o_diag`) as
    `LSTMBlockCell`, under the scope `lstm_fused_cell` by default. Call it as
    `cell(inputs, initial_state=None, dtype=None, sequence_length=None)`.

    Args:
      num_units: the number of units.
      forget_bias: added to the forget gate's pre-activation.
      cell_clip: clip the memory to this value (None: no clipping).
      use_peephole: add the diagonal peephole weights.
      reuse: whether to reuse variables of the same scope.
      dtype: the dtype of the variables (default float32).
      name: the variable-scope name (default "lstm_fused_cell").
    """

    _scope_name = "lstm_fused_cell"

    def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False,
                 reuse=None, dtype=None, name="lstm_fused_cell"):
        super().__init__(name=name, dtype=dtype, reuse=reuse)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._cell_clip = cell_clip if cell_clip is not None else -1
        self._use_peephole = use_peephole

    num_units = property(lambda self: self._num_units, doc="The number of units.")

    def build(self, input_depth):
        """Makes `kernel` `[input_depth + num_units, 4 * num_units]`, `bias` and the peepholes.

        Args:
          input_depth: the size of the inputs' last dimension.
        """
        self._make_block_variables(input_depth)

    def _call_cell(self, inputs, initial_cell_state, initial_output, dtype, sequence_length):
        def step(carry, x):
            out = _lstm_block_step(x, carry[0], carry[1], self._kernel, self._bias,
                                   self._peepholes, self._forget_bias, self._cell_clip)
            return out[1], out[6]

        return tf.scan(step, inputs, initializer=(initial_cell_state, initial_output))
