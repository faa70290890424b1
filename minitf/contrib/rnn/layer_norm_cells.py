"""`tf.contrib.rnn`'s layer-normalized cells: `LayerNormBasicLSTMCell` (with recurrent dropout)
and `LayerNormBasicGRUCell`.

Each normalization is contrib's `layer_norm` over the features: `(x - mean) / sqrt(var +
1e-12) * gamma + beta`, with `gamma` and `beta` under a scope named after what is normalized
(`input/gamma`, `state/beta`, ...). With layer norm on, the linear maps have no bias.
"""
import minitf as tf
from minitf.contrib.rnn._base import ContribCell
from minitf.rnn_cell import LSTMStateTuple

__all__ = ["LayerNormBasicLSTMCell", "LayerNormBasicGRUCell"]

_EPSILON = 1e-12  # contrib.layers.layer_norm's variance_epsilon for float32 and float64


def _layer_norm(x, gamma, beta):
    mean, variance = tf.nn.moments(x, [1], keep_dims=True)
    return tf.nn.batch_normalization(x, mean, variance, beta, gamma, _EPSILON)


class _LayerNormCell(ContribCell):
    """Makes the `<scope>/gamma` and `<scope>/beta` pairs of the normalized quantities."""

    def _make_norms(self, scopes, gain, shift, dtype=None):
        self._norms = {}
        for scope in scopes:
            gamma = self._variable(f"{scope}/gamma", [self._num_units],
                                   tf.constant_initializer(gain), dtype)
            beta = self._variable(f"{scope}/beta", [self._num_units],
                                  tf.constant_initializer(shift), dtype)
            self._norms[scope] = (gamma, beta)

    def _norm(self, x, scope):
        return _layer_norm(x, *self._norms[scope]) if self._layer_norm else x


class LayerNormBasicLSTMCell(_LayerNormCell):
    """A basic LSTM with layer normalization and recurrent dropout (Semeniuta et al. 2016).

    The gates' pre-activations `i, j, f, o` (TF's order) are normalized under `input`,
    `transform`, `forget` and `output`, the new memory under `state`; the candidate
    `activation(j)` gets the dropout. Variables: `kernel` `[depth + n, 4n]`, `bias` only
    without layer norm, then the gammas and betas.

    Args:
      num_units: the number of units.
      forget_bias: added to the forget gate's pre-activation.
      input_size: deprecated and unused.
      activation: the nonlinearity (default tanh).
      layer_norm: whether to normalize.
      norm_gain: the initial value of every gamma.
      norm_shift: the initial value of every beta.
      dropout_keep_prob: the keep probability of the candidate (a float or a Tensor; a float
        1.0 means no dropout).
      dropout_prob_seed: the op seed of the dropout.
      reuse: whether to reuse variables of the same scope.

    >>> from minitf.contrib import rnn as contrib_rnn
    >>> cell = contrib_rnn.LayerNormBasicLSTMCell(2)
    >>> _ = tf.nn.dynamic_rnn(cell, tf.ones([3, 4, 5]), dtype=tf.float32)
    >>> for v in tf.global_variables()[:3]:
    ...     print(v.name, v.shape)
    rnn/layer_norm_basic_lstm_cell/kernel:0 (7, 8)
    rnn/layer_norm_basic_lstm_cell/input/gamma:0 (2,)
    rnn/layer_norm_basic_lstm_cell/input/beta:0 (2,)
    """

    _scope_name = "layer_norm_basic_lstm_cell"
    _norm_scopes = ("input", "transform", "forget", "output", "state")

    def __init__(self, num_units, forget_bias=1.0, input_size=None, activation=None,
                 layer_norm=True, norm_gain=1.0, norm_shift=0.0, dropout_keep_prob=1.0,
                 dropout_prob_seed=None, reuse=None):
        super().__init__(reuse=reuse)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._activation = activation or tf.tanh
        self._layer_norm = layer_norm
        self._norm_gain = norm_gain
        self._norm_shift = norm_shift
        self._keep_prob = dropout_keep_prob
        self._seed = dropout_prob_seed

    state_size = property(lambda self: LSTMStateTuple(self._num_units, self._num_units))
    output_size = property(lambda self: self._num_units)

    def build(self, input_depth):
        """Makes `kernel`, `bias` (without layer norm) and the gammas and betas.

        Args:
          input_depth: the size of the inputs' last dimension.
        """
        n = self._num_units
        self._kernel = self._variable("kernel", [input_depth + n, 4 * n])
        self._bias = None if self._layer_norm else self._variable("bias", [4 * n])
        if self._layer_norm:
            self._make_norms(self._norm_scopes, self._norm_gain, self._norm_shift)

    def call(self, inputs, state):
        """Runs one step.

        Args:
          inputs: a `[batch, depth]` Tensor.
          state: an `LSTMStateTuple(c, h)`.

        Returns:
          `(new_h, LSTMStateTuple(new_c, new_h))`.
        """
        c, h = state
        gates = tf.matmul(tf.concat([inputs, h], 1), self._kernel)
        if self._bias is not None:
            gates = tf.nn.bias_add(gates, self._bias)
        i, j, f, o = [self._norm(g, s) for g, s in zip(tf.split(gates, 4, axis=1),
                                                      self._norm_scopes)]
        g = self._activation(j)
        if not isinstance(self._keep_prob, float) or self._keep_prob < 1:
            g = tf.nn.dropout(g, keep_prob=self._keep_prob, seed=self._seed)
        new_c = c * tf.sigmoid(f + self._forget_bias) + tf.sigmoid(i) * g
        new_c = self._norm(new_c, "state")
        new_h = self._activation(new_c) * tf.sigmoid(o)
        return new_h, LSTMStateTuple(new_c, new_h)


class LayerNormBasicGRUCell(_LayerNormCell):
    """A GRU with layer normalization of its gates and of both halves of its candidate.

    `z = sigmoid(LN([x, h] Wz))`, `r = sigmoid(LN([x, h] Wr))`,
    `h' = (1 - z) * h + z * activation(LN(x Wx) + r * LN(h Wh))`, with the scopes
    `update_gate`, `reset_gate`, `candidate_linear_x` and `candidate_linear_h`.

    Args:
      num_units: the number of units.
      activation: the nonlinearity of the candidate (default tanh).
      layer_norm: whether to normalize (else each linear map has a `bias`).
      norm_gain: the initial value of every gamma.
      norm_shift: the initial value of every beta.
      reuse: whether to reuse variables of the same scope.
    """

    _scope_name = "layer_norm_basic_gru_cell"
    _parts = ("update_gate", "reset_gate", "candidate_linear_x", "candidate_linear_h")

    def __init__(self, num_units, activation=None, layer_norm=True, norm_gain=1.0,
                 norm_shift=0.0, reuse=None):
        super().__init__(reuse=reuse)
        self._num_units = num_units
        self._activation = activation or tf.tanh
        self._layer_norm = layer_norm
        self._norm_gain = norm_gain
        self._norm_shift = norm_shift

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def build(self, input_depth):
        """Makes the gammas and betas (with layer norm), the kernels, then the biases.

        Args:
          input_depth: the size of the inputs' last dimension.
        """
        n = self._num_units
        if self._layer_norm:
            self._make_norms(self._parts, self._norm_gain, self._norm_shift)
        rows = (input_depth + n, input_depth + n, input_depth, n)
        self._kernels = [self._variable(f"{p}/kernel", [r, n]) for p, r in zip(self._parts, rows)]
        self._biases = [None if self._layer_norm else self._variable(f"{p}/bias", [n])
                        for p in self._parts]

    def _part(self, k, x):
        out = tf.matmul(x, self._kernels[k])
        if self._biases[k] is not None:
            out = tf.nn.bias_add(out, self._biases[k])
        return self._norm(out, self._parts[k])

    def call(self, inputs, state):
        """Runs one step.

        Args:
          inputs: a `[batch, depth]` Tensor.
          state: the previous output, `[batch, num_units]`.

        Returns:
          `(new_h, new_h)`.
        """
        xh = tf.concat([inputs, state], 1)
        z, r = tf.sigmoid(self._part(0, xh)), tf.sigmoid(self._part(1, xh))
        candidate = self._activation(self._part(2, inputs) + r * self._part(3, state))
        new_h = (1 - z) * state + z * candidate
        return new_h, new_h
