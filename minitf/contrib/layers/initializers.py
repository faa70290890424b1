"""`tf.contrib.layers`' initializers (TF 1.15): `xavier_initializer` and contrib's own
`variance_scaling_initializer`, whose formula is not the core initializer's.

With `n` the fan (in, out or their average, the fans counting every dimension but the last
two as a receptive field), the uniform kind draws from [-sqrt(3 * factor / n), +...] and the
normal kind from a truncated normal of stddev sqrt(1.3 * factor / n) (the core
`tf.variance_scaling_initializer` divides by 0.8796... instead). They draw through
`tf.random_uniform` and `tf.truncated_normal`, so values under a graph seed are TF's.
"""
import math

from minitf.framework import dtypes
from minitf.ops import random_ops

__all__ = ["xavier_initializer", "xavier_initializer_conv2d", "variance_scaling_initializer"]

_MODES = ("FAN_IN", "FAN_OUT", "FAN_AVG")


def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None,
                                 dtype=dtypes.float32):
    """Returns an initializer whose samples have variance `factor / n` (contrib's formula).

    Defaults give He et al.'s initialization; `factor=1.0, mode="FAN_AVG", uniform=True` is
    Glorot's (`xavier_initializer`).

    Args:
      factor: a multiplicative factor.
      mode: "FAN_IN", "FAN_OUT" or "FAN_AVG": which fan `n` is.
      uniform: a uniform distribution (True) or a truncated normal one.
      seed: the op seed of the random draws.
      dtype: a floating dtype.

    Returns:
      A function `(shape, dtype=dtype, partition_info=None) -> Tensor`.

    Raises:
      TypeError: `dtype` is not floating, or `mode` is not one of the three.

    >>> init = tf.contrib.layers.variance_scaling_initializer(factor=1.0, uniform=True)
    >>> w = tf.get_variable("w", [300, 100], initializer=init)
    >>> with tf.Session() as sess:
    ...     sess.run(w.initializer)
    ...     print(bool(abs(sess.run(w)).max() <= (3.0 / 300) ** 0.5))
    True
    """
    if not dtype.is_floating:
        raise TypeError("Cannot create initializer for non-floating point type.")
    if mode not in _MODES:
        raise TypeError(f"Unknown mode {mode} [FAN_IN, FAN_OUT, FAN_AVG]")

    def _initializer(shape, dtype=dtype, partition_info=None):
        dtype = dtypes.as_dtype(dtype)
        if not dtype.is_floating:
            raise TypeError("Cannot create initializer for non-floating point type.")
        n = _fan(shape, mode)
        if uniform:
            limit = math.sqrt(3.0 * factor / n)
            return random_ops.random_uniform(shape, -limit, limit, dtype, seed=seed)
        return random_ops.truncated_normal(shape, 0.0, math.sqrt(1.3 * factor / n), dtype,
                                           seed=seed)
    return _initializer


def _fan(shape, mode):
    shape = [int(d) for d in shape]
    fan_in = float(shape[-2]) if len(shape) > 1 else float(shape[-1])
    fan_out = float(shape[-1])
    for dim in shape[:-2]:
        fan_in *= dim
        fan_out *= dim
    return {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2.0}[mode]


def xavier_initializer(uniform=True, seed=None, dtype=dtypes.float32):
    """Returns Glorot and Bengio's ("Xavier") initializer.

    `variance_scaling_initializer(factor=1.0, mode="FAN_AVG", uniform=uniform)`: uniform over
    [-sqrt(6 / (in + out)), +...], or a truncated normal of stddev sqrt(2.6 / (in + out)).

    Args:
      uniform: a uniform distribution (True) or a truncated normal one.
      seed: the op seed of the random draws.
      dtype: a floating dtype.

    Returns:
      An initializer function.

    Raises:
      TypeError: `dtype` is not floating.
    """
    return variance_scaling_initializer(factor=1.0, mode="FAN_AVG", uniform=uniform, seed=seed,
                                        dtype=dtype)


xavier_initializer_conv2d = xavier_initializer
