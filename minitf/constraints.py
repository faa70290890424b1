"""`tf.constraints`: callables `Tensor -> Tensor` that an optimizer applies to a variable after
each update (Keras semantics). Any callable of that form works as a constraint."""
import numpy as np

from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops import math_ops

__all__ = ["Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "RadialConstraint",
           "max_norm", "min_max_norm", "non_neg", "unit_norm", "radial_constraint"]

_EPSILON = 1e-7  # Keras' backend epsilon


def _norms(w, axis):
    return math_ops.sqrt(math_ops.reduce_sum(math_ops.square(w), axis=axis, keepdims=True))


class Constraint:
    """Base class of the constraints.

    A constraint is called as `constraint(w)` with a variable's value and returns the projected
    value, a Tensor of the same shape. Give one to `get_variable(..., constraint=...)`,
    `tf.Variable` or a layer; optimizers assign `constraint(var)` after each update of `var`.
    """

    _config = ()

    def get_config(self):
        """Returns the constructor arguments of this constraint as a dict."""
        return {k: getattr(self, k) for k in self._config}


class MaxNorm(Constraint):
    """Constrains the l2 norm of the weights along `axis` to at most `max_value`.

    Each slice along `axis` (for a dense kernel with the default axis 0: the weights into one
    unit) whose norm exceeds `max_value` is scaled down to it; the others stay as they are.

    Args:
      max_value: the largest norm allowed.
      axis: the axis (or list of axes) the norms are computed over.

    >>> w = tf.constant([[3.0, 0.0], [4.0, 0.5]])
    >>> with tf.Session() as sess:
    ...     print(np.round(sess.run(tf.constraints.MaxNorm(1.0)(w)), 3))
    [[0.6 0. ]
     [0.8 0.5]]
    """

    _config = ("max_value", "axis")

    def __init__(self, max_value=2, axis=0):
        self.max_value, self.axis = max_value, axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = math_ops.clip_by_value(norms, 0.0, float(self.max_value))
        return w * (desired / (_EPSILON + norms))


class MinMaxNorm(Constraint):
    """Constrains the l2 norm of the weights along `axis` to `[min_value, max_value]`.

    Each slice's norm moves to `rate * clipped_norm + (1 - rate) * norm`: with `rate=1.0` the
    bounds hold strictly, a smaller rate moves the norm only part of the way each time.

    Args:
      min_value: the smallest norm allowed.
      max_value: the largest norm allowed.
      rate: the fraction of the way to the bounds that one call moves a norm.
      axis: the axis (or list of axes) the norms are computed over.
    """

    _config = ("min_value", "max_value", "rate", "axis")

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value, self.max_value, self.rate, self.axis = min_value, max_value, rate, axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        clipped = math_ops.clip_by_value(norms, float(self.min_value), float(self.max_value))
        desired = self.rate * clipped + (1 - self.rate) * norms
        return w * (desired / (_EPSILON + norms))


class NonNeg(Constraint):
    """Constrains the weights to be non-negative: negative weights become zero."""

    def __call__(self, w):
        return w * math_ops.cast(math_ops.greater_equal(w, 0.0), w.dtype.base_dtype)


class UnitNorm(Constraint):
    """Constrains the weights along `axis` to l2 norm 1.

    Args:
      axis: the axis (or list of axes) the norms are computed over.
    """

    _config = ("axis",)

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return w / (_EPSILON + _norms(w, self.axis))


def _ring_sources(n):
    # for an n-by-n kernel, the diagonal index whose value each (row, col) takes
    s = n // 2
    if n % 2:  # rings around the centre (s, s); ring r takes (s + r, s + r)
        dist = np.abs(np.arange(n) - s)
        ring = np.maximum(dist[:, None], dist[None, :])
        return s + ring
    # Keras: the central 2x2 block takes (s - 1, s - 1), ring r >= 1 takes (s + r, s + r)
    dist = np.where(np.arange(n) < s, s - 1 - np.arange(n), np.arange(n) - s)
    ring = np.maximum(dist[:, None], dist[None, :])
    return np.where(ring == 0, s - 1, s + ring)


@register_op("RadialConstraint", shape=lambda w: w._shape, differentiable=False)
def _radial(w):
    idx = _ring_sources(w.shape[0])
    return w[idx, idx]


class RadialConstraint(Constraint):
    """Makes a (rows, cols, in, out) conv kernel constant on each square ring around its centre.

    Each ring takes the value of its own element on the main diagonal: ring r of an odd kernel
    of size 2s+1 takes [s + r, s + r]; an even kernel's central 2x2 block takes [s - 1, s - 1]
    and its ring r takes [s + r, s + r], as Keras 2 computes it. (Keras 2 shifts the odd case
    by one ring inward, giving the centre a corner's value; minitf keeps every ring's own value.)
    Calling it on a tensor that is not of rank 4, or whose kernel is not square, raises
    ValueError.
    """

    def __call__(self, w):
        w = convert_to_tensor(w)
        shape = w.shape
        if shape.ndims != 4:
            raise ValueError(f"The weight tensor must be of rank 4, but is of shape: {shape}")
        rows, cols = shape.as_list()[:2]
        if rows is None or rows != cols:
            raise ValueError(f"RadialConstraint needs a square kernel of known size, but the "
                             f"weight tensor {w.name} has shape {shape}")
        return _radial.apply([w])


max_norm, min_max_norm, non_neg, unit_norm = MaxNorm, MinMaxNorm, NonNeg, UnitNorm
radial_constraint = RadialConstraint
