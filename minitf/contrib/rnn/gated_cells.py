"""`tf.contrib.rnn`'s single-gate cells of Collins et al. 2017: `UGRNNCell` and
`IntersectionRNNCell`. Their linear maps are TF's `_Linear` (`kernel`, zero-initialized `bias`)
in the cell's scope, the kernel drawn from `initializer` when one is given."""
import minitf as tf
from minitf.contrib.rnn._base import linear, track
from minitf.rnn_cell import RNNCell

__all__ = ["UGRNNCell", "IntersectionRNNCell"]


def _input_depth(inputs):
    depth = inputs.shape.with_rank(2).as_list()[1]
    if depth is None:
        raise ValueError("Could not infer input size from inputs.get_shape()[-1]")
    return depth


class UGRNNCell(RNNCell):
    """The update-gate RNN: `h' = g * h + (1 - g) * activation(c)`, `[g, c]` from `[x, h]`.

    `g = sigmoid(g_act + forget_bias)`; variables `kernel` `[depth + n, 2n]` and `bias`.

    Args:
      num_units: the number of units.
      initializer: the initializer of the kernel.
      forget_bias: added to the gate's pre-activation.
      activation: the nonlinearity (default tanh).
      reuse: whether to reuse variables of the same scope.
    """

    _scope_name = "ugrnn_cell"

    def __init__(self, num_units, initializer=None, forget_bias=1.0, activation=None,
                 reuse=None):
        super().__init__(reuse=reuse)
        self._num_units = num_units
        self._initializer = initializer
        self._forget_bias = forget_bias
        self._activation = activation or tf.tanh

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def call(self, inputs, state):
        """Runs one step.

        Args:
          inputs: a `[batch, depth]` Tensor.
          state: the previous state, `[batch, num_units]`.

        Returns:
          `(new_state, new_state)`.

        Raises:
          ValueError: the input depth is unknown.
        """
        _input_depth(inputs)
        matrix, made = linear([inputs, state], 2 * self._num_units, True,
                              kernel_initializer=self._initializer)
        track(self, made)
        g_act, c_act = tf.split(matrix, 2, axis=1)
        g = tf.sigmoid(g_act + self._forget_bias)
        new_state = g * state + (1.0 - g) * self._activation(c_act)
        return new_state, new_state


class IntersectionRNNCell(RNNCell):
    """The +RNN: a gate through time for the state and one through depth for the output.

    From `[x, h]` (`kernel` `[2n, 4n]`, `bias`): `h' = gh * h + (1 - gh) * tanh(h_act)` and
    `y = gy * x + (1 - gy) * y_activation(y_act)`, `gh`, `gy` sigmoids shifted by
    `forget_bias`. Inputs of another depth than `num_units` need `num_in_proj`: they are first
    projected by `in_projection/kernel` and `in_projection/bias`.

    Args:
      num_units: the number of units.
      num_in_proj: set (to `num_units`) in a first layer whose inputs have another depth.
      initializer: the initializer of the kernels.
      forget_bias: added to both gates' pre-activations.
      y_activation: the nonlinearity of the depth output (default relu).
      reuse: whether to reuse variables of the same scope.
    """

    _scope_name = "intersection_rnn_cell"

    def __init__(self, num_units, num_in_proj=None, initializer=None, forget_bias=1.0,
                 y_activation=None, reuse=None):
        super().__init__(reuse=reuse)
        self._num_units = num_units
        self._num_in_proj = num_in_proj
        self._initializer = initializer
        self._forget_bias = forget_bias
        self._y_activation = y_activation or tf.nn.relu

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def call(self, inputs, state):
        """Runs one step.

        Args:
          inputs: a `[batch, depth]` Tensor.
          state: the previous state, `[batch, num_units]`.

        Returns:
          `(new_y, new_state)`.

        Raises:
          ValueError: the input depth is unknown, or differs from `num_units` without
            `num_in_proj`.
        """
        n = self._num_units
        if _input_depth(inputs) != n:
            if not self._num_in_proj:
                raise ValueError("Must have input size == output size for Intersection RNN. "
                                 "To fix, num_in_proj should be set to num_units at cell init.")
            with tf.variable_scope("in_projection"):
                inputs, made = linear(inputs, n, True, kernel_initializer=self._initializer)
            track(self, made)
        matrix, made = linear([inputs, state], 4 * n, True, kernel_initializer=self._initializer)
        track(self, made)
        gh_act, h_act, gy_act, y_act = tf.split(matrix, 4, axis=1)
        gh = tf.sigmoid(gh_act + self._forget_bias)
        gy = tf.sigmoid(gy_act + self._forget_bias)
        new_state = gh * state + (1.0 - gh) * tf.tanh(h_act)
        new_y = gy * inputs + (1.0 - gy) * self._y_activation(y_act)
        return new_y, new_state
