"""`tf.nn.rnn_cell` (TF1): recurrent cells that make their variables with TF1's names.

A cell opens `variable_scope(None, default_name=<snake-case class name>)` inside the caller's
scope on its first call and re-enters that scope with `reuse=True` afterwards, so a cell run
by `dynamic_rnn` owns `rnn/basic_lstm_cell/kernel` and `rnn/basic_lstm_cell/bias` exactly as
TF1 (checkpoints from TF1 load). Wrappers (`DropoutWrapper`, `ResidualWrapper`) add no scope.
"""
import collections
import hashlib

import minitf as tf

__all__ = ["RNNCell", "LSTMStateTuple", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell",
           "MultiRNNCell", "DropoutWrapper", "ResidualWrapper", "DeviceWrapper"]


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """The state of an LSTM cell: the memory `c` and the output `h`."""

    __slots__ = ()

    @property
    def dtype(self):
        """The dtype of `c` and `h` (a TypeError if they differ)."""
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError(f"Inconsistent internal state: {c.dtype} vs {h.dtype}")
        return c.dtype


def _zeros(batch_size, size, dtype):
    if isinstance(size, int) or hasattr(size, "as_list"):
        dims = size.as_list() if hasattr(size, "as_list") else [size]
        shape = tf.concat([tf.reshape(batch_size, [1]), tf.constant(dims, tf.int32)], 0)
        out = tf.zeros(shape, dtype=dtype)
        static = tf.get_static_value(batch_size) if tf.is_tensor(batch_size) else batch_size
        out.set_shape([static] + dims)
        return out
    return tf.nest.map_structure(lambda s: _zeros(batch_size, s, dtype), size)


class RNNCell:
    """The abstract recurrent cell: `(output, new_state) = cell(inputs, state)`.

    Subclasses define `state_size`, `output_size`, `build(input_depth)` and `call(inputs,
    state)`; `__call__` opens the cell's variable scope (TF1's default name is the snake-case
    class name) and builds the variables on the first call, reusing them afterwards.

    Args:
      name: the cell's variable-scope name (default: the class's snake-case name).
      dtype: the dtype of the variables (default float32).
      reuse: whether to reuse variables of the same scope.
    """

    _scope_name = "rnn_cell"

    def __init__(self, name=None, dtype=None, reuse=None):
        self._name = name
        self._dtype = dtype
        self._reuse = reuse
        self._scope = None
        self._own_variables = []
        self.built = False

    _children = property(lambda self: [])

    @property
    def variables(self):
        """The cell's variables (those of inner cells included), in creation order."""
        out = list(self._own_variables)
        for child in self._children:
            out.extend(v for v in child.variables if v not in out)
        return out

    weights = variables
    trainable_variables = property(lambda self: [v for v in self.variables if v.trainable],
                                   doc="The cell's trainable variables.")
    trainable_weights = trainable_variables

    @property
    def state_size(self):
        """The size(s) of the state: an int, a TensorShape or a structure of them."""
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self):
        """The size of the output: an int or a TensorShape."""
        raise NotImplementedError("Abstract method")

    def build(self, input_depth):
        """Makes the cell's variables for inputs of `input_depth` features.

        Args:
          input_depth: the size of the inputs' last dimension.
        """
        self.built = True

    def call(self, inputs, state):
        """Runs one step in the cell's variable scope; subclasses define it.

        Args:
          inputs: a `[batch, depth]` Tensor.
          state: a Tensor or structure like `state_size`.

        Returns:
          `(output, new_state)`.
        """
        raise NotImplementedError("Abstract method")

    def zero_state(self, batch_size, dtype):
        """Returns a state of zeros shaped `[batch_size, s]` for every size `s` in state_size.

        Args:
          batch_size: an int or a scalar int Tensor.
          dtype: the dtype of the state.

        Returns:
          A Tensor, or a structure of Tensors like `state_size`.
        """
        with tf.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            return _zeros(batch_size, self.state_size, dtype)

    def __call__(self, inputs, state, scope=None):
        """Runs the cell on `inputs` and `state` in its variable scope.

        Args:
          inputs: a `[batch, depth]` Tensor.
          state: a Tensor or structure like `state_size`.
          scope: a variable scope or name to use instead of the cell's default.

        Returns:
          `(output, new_state)`.
        """
        if self._scope is None:
            name = self._name or self._scope_name
            # (TF1's Layer: a reusing cell takes its name as is, else a unique default name)
            args = (scope or name,) if self._reuse else (scope, name)
            with tf.variable_scope(*args, reuse=self._reuse) as vs:
                self._scope = vs
                return self._build_and_call(inputs, state)
        # later calls reuse the variables and the name scope of the first (TF1's Layer)
        with tf.variable_scope(self._scope, reuse=True, auxiliary_name_scope=False), \
                tf.name_scope(self._scope.original_name_scope):
            return self._build_and_call(inputs, state)

    def _build_and_call(self, inputs, state):
        if not self.built:
            depth = inputs.shape.as_list()[-1]
            if depth is None:
                raise ValueError(f"Expected inputs.shape[-1] to be known, saw shape: "
                                 f"{inputs.shape}")
            self.build(depth)
            self.built = True
        return self.call(inputs, state)

    def _variable(self, name, shape, initializer=None, dtype=None):
        var = tf.get_variable(name, shape, dtype=dtype or self._dtype or tf.float32,
                              initializer=initializer)
        self._own_variables.append(var)
        return var


class BasicRNNCell(RNNCell):
    """The basic RNN cell: `output = new_state = activation(W [x, h] + b)`.

    Args:
      num_units: the number of units.
      activation: the nonlinearity (default tanh).
      reuse: whether to reuse variables of the same scope.
      name: the cell's variable-scope name (default "basic_rnn_cell").
      dtype: the dtype of the variables.
    """

    _scope_name = "basic_rnn_cell"

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype, reuse=reuse)
        self._num_units = num_units
        self._activation = activation or tf.tanh

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def build(self, input_depth):
        self._kernel = self._variable("kernel", [input_depth + self._num_units, self._num_units])
        self._bias = self._variable("bias", [self._num_units], tf.zeros_initializer())

    def call(self, inputs, state):
        out = tf.nn.bias_add(tf.matmul(tf.concat([inputs, state], 1), self._kernel), self._bias)
        out = self._activation(out)
        return out, out


class BasicLSTMCell(RNNCell):
    """The basic LSTM cell (no peepholes, no projection) with TF1's gate order i, j, f, o.

    Args:
      num_units: the number of units.
      forget_bias: added to the forget gate's pre-activation.
      state_is_tuple: if True the state is an `LSTMStateTuple(c, h)`, else `concat([c, h], 1)`.
      activation: the nonlinearity of the memory and output (default tanh).
      reuse: whether to reuse variables of the same scope.
      name: the cell's variable-scope name (default "basic_lstm_cell").
      dtype: the dtype of the variables.
    """

    _scope_name = "basic_lstm_cell"

    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None,
                 reuse=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype, reuse=reuse)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or tf.tanh

    @property
    def state_size(self):
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    output_size = property(lambda self: self._num_units)

    def build(self, input_depth):
        n = self._num_units
        self._kernel = self._variable("kernel", [input_depth + n, 4 * n])
        self._bias = self._variable("bias", [4 * n], tf.zeros_initializer())

    def call(self, inputs, state):
        c, h = state if self._state_is_tuple else tf.split(state, 2, axis=1)
        gates = tf.nn.bias_add(tf.matmul(tf.concat([inputs, h], 1), self._kernel), self._bias)
        i, j, f, o = tf.split(gates, 4, axis=1)
        forget = tf.constant(self._forget_bias, dtype=f.dtype)
        new_c = c * tf.sigmoid(f + forget) + tf.sigmoid(i) * self._activation(j)
        new_h = self._activation(new_c) * tf.sigmoid(o)
        new_state = (LSTMStateTuple(new_c, new_h) if self._state_is_tuple
                     else tf.concat([new_c, new_h], 1))
        return new_h, new_state


class LSTMCell(RNNCell):
    """The LSTM cell with optional peepholes, cell clipping and an output projection.

    Args:
      num_units: the number of units.
      use_peepholes: add the diagonal peephole weights `w_f_diag`, `w_i_diag`, `w_o_diag`.
      cell_clip: clip the memory to [-cell_clip, cell_clip] (None: no clipping).
      initializer: the initializer of the kernel, peepholes and projection.
      num_proj: the output size of a projection `projection/kernel` (None: none).
      proj_clip: clip the projected output to [-proj_clip, proj_clip].
      num_unit_shards, num_proj_shards: deprecated in TF; not supported (must be None).
      forget_bias: added to the forget gate's pre-activation.
      state_is_tuple: if True the state is an `LSTMStateTuple(c, m)`, else `concat([c, m], 1)`.
      activation: the nonlinearity (default tanh).
      reuse: whether to reuse variables of the same scope.
      name: the cell's variable-scope name (default "lstm_cell").
      dtype: the dtype of the variables.
    """

    _scope_name = "lstm_cell"

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None,
                 num_proj=None, proj_clip=None, num_unit_shards=None, num_proj_shards=None,
                 forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None, name=None,
                 dtype=None):
        super().__init__(name=name, dtype=dtype, reuse=reuse)
        if num_unit_shards is not None or num_proj_shards is not None:
            raise NotImplementedError("num_unit_shards and num_proj_shards are not supported")
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or tf.tanh

    @property
    def state_size(self):
        m = self._num_proj or self._num_units
        return (LSTMStateTuple(self._num_units, m) if self._state_is_tuple
                else self._num_units + m)

    output_size = property(lambda self: self._num_proj or self._num_units)

    def build(self, input_depth):
        n, init = self._num_units, self._initializer
        self._kernel = self._variable("kernel", [input_depth + self.output_size, 4 * n], init)
        self._bias = self._variable("bias", [4 * n], tf.zeros_initializer())
        if self._use_peepholes:
            self._w_f = self._variable("w_f_diag", [n], init)
            self._w_i = self._variable("w_i_diag", [n], init)
            self._w_o = self._variable("w_o_diag", [n], init)
        if self._num_proj is not None:
            self._proj = self._variable("projection/kernel", [n, self._num_proj], init)

    def call(self, inputs, state):
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev, m_prev = tf.split(state, [self._num_units, self.output_size], axis=1)
        gates = tf.nn.bias_add(tf.matmul(tf.concat([inputs, m_prev], 1), self._kernel),
                               self._bias)
        i, j, f, o = tf.split(gates, 4, axis=1)
        if self._use_peepholes:
            c = (tf.sigmoid(f + self._forget_bias + self._w_f * c_prev) * c_prev
                 + tf.sigmoid(i + self._w_i * c_prev) * self._activation(j))
        else:
            c = tf.sigmoid(f + self._forget_bias) * c_prev + tf.sigmoid(i) * self._activation(j)
        if self._cell_clip is not None:
            c = tf.clip_by_value(c, -self._cell_clip, self._cell_clip)
        o_in = o + self._w_o * c if self._use_peepholes else o
        m = tf.sigmoid(o_in) * self._activation(c)
        if self._num_proj is not None:
            m = tf.matmul(m, self._proj)
            if self._proj_clip is not None:
                m = tf.clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else tf.concat([c, m], 1)
        return m, new_state


class GRUCell(RNNCell):
    """The gated recurrent unit cell (Cho et al. 2014) with TF1's `gates/` and `candidate/`.

    Args:
      num_units: the number of units.
      activation: the nonlinearity of the candidate (default tanh).
      reuse: whether to reuse variables of the same scope.
      kernel_initializer: the initializer of both kernels.
      bias_initializer: the initializer of both biases (None: 1 for the gates, 0 for the
        candidate).
      name: the cell's variable-scope name (default "gru_cell").
      dtype: the dtype of the variables.
    """

    _scope_name = "gru_cell"

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype, reuse=reuse)
        self._num_units = num_units
        self._activation = activation or tf.tanh
        self._kernel_init = kernel_initializer
        self._bias_init = bias_initializer

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def build(self, input_depth):
        n, rows = self._num_units, input_depth + self._num_units
        self._gate_kernel = self._variable("gates/kernel", [rows, 2 * n], self._kernel_init)
        self._gate_bias = self._variable("gates/bias", [2 * n],
                                         self._bias_init or tf.constant_initializer(1.0))
        self._cand_kernel = self._variable("candidate/kernel", [rows, n], self._kernel_init)
        self._cand_bias = self._variable("candidate/bias", [n],
                                         self._bias_init or tf.zeros_initializer())

    def call(self, inputs, state):
        gates = tf.nn.bias_add(tf.matmul(tf.concat([inputs, state], 1), self._gate_kernel),
                               self._gate_bias)
        r, u = tf.split(tf.sigmoid(gates), 2, axis=1)
        cand = tf.nn.bias_add(tf.matmul(tf.concat([inputs, r * state], 1), self._cand_kernel),
                              self._cand_bias)
        new_h = u * state + (1 - u) * self._activation(cand)
        return new_h, new_h


class MultiRNNCell(RNNCell):
    """Stacks cells: the output of cell `k` is the input of cell `k+1`, under `cell_<k>`.

    Args:
      cells: a list of cells.
      state_is_tuple: if True the state is a tuple of the cells' states, else their concat.
    """

    _scope_name = "multi_rnn_cell"

    def __init__(self, cells, state_is_tuple=True):
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        self._cells = list(cells)
        self._state_is_tuple = state_is_tuple

    _children = property(lambda self: self._cells)

    @property
    def state_size(self):
        if self._state_is_tuple:
            return tuple(cell.state_size for cell in self._cells)
        return sum(cell.state_size for cell in self._cells)

    output_size = property(lambda self: self._cells[-1].output_size)

    def zero_state(self, batch_size, dtype):
        """Returns the tuple of the cells' zero states.

        Args:
          batch_size: an int or a scalar int Tensor.
          dtype: the dtype of the states.

        Returns:
          A tuple of the cells' zero states (their concat if not `state_is_tuple`).
        """
        if not self._state_is_tuple:
            return super().zero_state(batch_size, dtype)
        with tf.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)

    def call(self, inputs, state):
        out, new_states, start = inputs, [], 0
        for k, cell in enumerate(self._cells):
            with tf.variable_scope(f"cell_{k}"):
                if self._state_is_tuple:
                    cur = state[k]
                else:
                    cur = state[:, start:start + cell.state_size]
                    start += cell.state_size
                out, new = cell(out, cur)
                new_states.append(new)
        return out, (tuple(new_states) if self._state_is_tuple else tf.concat(new_states, 1))


class WrapperBase(RNNCell):
    """A cell around another cell: its state and output sizes, zero state and children are the
    inner cell's (the base of the wrappers here and of tf.contrib.rnn's)."""

    def __init__(self, cell, reuse=None):
        super().__init__(reuse=reuse)
        self._cell = cell

    _children = property(lambda self: [self._cell])
    state_size = property(lambda self: self._cell.state_size)
    output_size = property(lambda self: self._cell.output_size)

    def zero_state(self, batch_size, dtype):
        """Returns the wrapped cell's zero state.

        Args:
          batch_size: an int or a scalar int Tensor.
          dtype: the dtype of the state.

        Returns:
          The wrapped cell's `zero_state(batch_size, dtype)`.
        """
        with tf.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            return self._cell.zero_state(batch_size, dtype)


class _Wrapper(WrapperBase):
    """A cell around another cell; it keeps the inner cell's variable names."""

    def __call__(self, inputs, state, scope=None):
        return self.call(inputs, state, scope)


def _keep_all(keep_prob):
    return not tf.is_tensor(keep_prob) and float(keep_prob) == 1.0


class DropoutWrapper(_Wrapper):
    """Applies dropout to a cell's inputs, outputs and (the `h` of) its state.

    Seeds follow TF1: with `seed` set, the dropout of the k-th input/state/output tensor gets
    the op seed `md5(str(seed) + "<input|state|output>_<k>")`'s first 31 bits.

    Args:
      cell: the cell to wrap.
      input_keep_prob: the keep probability of the inputs (1: no dropout).
      output_keep_prob: the keep probability of the outputs.
      state_keep_prob: the keep probability of the state (an LSTM's `c` is never dropped).
      variational_recurrent: not supported (must be False).
      input_size, dtype: accepted for TF compatibility (used by variational dropout only).
      seed: the seed of the dropout masks.
      dropout_state_filter_visitor: a function of a state (sub)structure returning True (drop
        it, looking inside structures), False (keep it) or a structure of bools like it
        (default: everything but an LSTM's memory `c`).
    """

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                 variational_recurrent=False, input_size=None, dtype=None, seed=None,
                 dropout_state_filter_visitor=None):
        super().__init__(cell)
        for which, p in [("input", input_keep_prob), ("output", output_keep_prob),
                         ("state", state_keep_prob)]:
            if not tf.is_tensor(p) and not 0.0 < float(p) <= 1.0:
                raise ValueError(f"Parameter {which}_keep_prob must be between 0 and 1: {p}")
        if variational_recurrent:
            raise NotImplementedError("variational_recurrent dropout is not supported")
        self._keep = {"input": input_keep_prob, "output": output_keep_prob,
                      "state": state_keep_prob}
        self._seed = seed
        self._visitor = dropout_state_filter_visitor or _default_filter

    def _gen_seed(self, prefix, index):
        if self._seed is None:
            return None
        text = (str(self._seed) + f"{prefix}_{index}").encode("utf-8")
        return int(hashlib.md5(text).hexdigest()[:8], 16) & 0x7FFFFFFF

    def _dropout(self, values, prefix):
        keep = self._keep[prefix]
        if _keep_all(keep):
            return values
        flat = tf.nest.flatten(values)
        drop = [True] * len(flat)
        if prefix == "state":  # TF's default filter: never an LSTM's memory c
            drop = tf.nest.flatten(_state_filter(self._visitor, values))
        out = [tf.nn.dropout(v, keep_prob=keep, seed=self._gen_seed(prefix, k)) if d else v
               for k, (v, d) in enumerate(zip(flat, drop))]
        return tf.nest.pack_sequence_as(values, out)

    def call(self, inputs, state, scope=None):
        """Runs the cell with dropout on its inputs, outputs and state.

        Args:
          inputs: the cell's inputs.
          state: the cell's state.
          scope: passed to the wrapped cell.

        Returns:
          `(output, new_state)`.
        """
        inputs = self._dropout(inputs, "input")
        output, new_state = self._cell(inputs, state, scope=scope)
        new_state = self._dropout(new_state, "state")
        return self._dropout(output, "output"), new_state


def _default_filter(state):
    if isinstance(state, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)
    return not isinstance(state, tf.TensorArray)


def _state_filter(visitor, state):
    """Which leaves of `state` to drop: True descends into structures, as TF's traversal."""
    verdict = visitor(state)
    if not isinstance(verdict, bool):
        return verdict
    if verdict and isinstance(state, (tuple, list)):
        parts = [_state_filter(visitor, s) for s in state]
        return type(state)(*parts) if hasattr(state, "_fields") else type(state)(parts)
    return tf.nest.map_structure(lambda _: verdict, state)


class ResidualWrapper(_Wrapper):
    """Adds a cell's inputs to its outputs: `output = inputs + cell(inputs, state)[0]`.

    Args:
      cell: the cell to wrap (its output size must equal its input size).
      residual_fn: a function `(inputs, outputs) -> outputs` (default: their sum).
    """

    def __init__(self, cell, residual_fn=None):
        super().__init__(cell)
        self._residual_fn = residual_fn or (lambda i, o: i + o)

    def call(self, inputs, state, scope=None):
        """Runs the cell and adds its inputs to its output.

        Args:
          inputs: the cell's inputs.
          state: the cell's state.
          scope: passed to the wrapped cell.

        Returns:
          `(residual_fn(inputs, output), new_state)`.
        """
        output, new_state = self._cell(inputs, state, scope=scope)
        return self._residual_fn(inputs, output), new_state


class DeviceWrapper(_Wrapper):
    """Runs a cell (and makes its zero state) on a given device.

    Args:
      cell: the cell to wrap.
      device: the device string or function, as for `tf.device`.
    """

    def __init__(self, cell, device):
        super().__init__(cell)
        self._device = device

    def zero_state(self, batch_size, dtype):
        """Returns the wrapped cell's zero state, made on the device.

        Args:
          batch_size: an int or a scalar int Tensor.
          dtype: the dtype of the state.

        Returns:
          The wrapped cell's `zero_state(batch_size, dtype)`.
        """
        with tf.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]), \
                tf.device(self._device):
            return self._cell.zero_state(batch_size, dtype)

    def call(self, inputs, state, scope=None):
        """Runs the wrapped cell on the device.

        Args:
          inputs: the cell's inputs.
          state: the cell's state.
          scope: passed to the wrapped cell.

        Returns:
          `(output, new_state)`.
        """
        with tf.device(self._device):
            return self._cell(inputs, state, scope=scope)
