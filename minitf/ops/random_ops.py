"""Seeded random ops: random_normal, truncated_normal, random_uniform (and tf.random names).

A random op's stream lives in the running Session (`state[op]`): each run draws new values, a
new Session restarts a seeded stream, and the (graph seed, op seed) pair from `get_seed` makes the
values the same in every process. The values are TensorFlow's, bit for bit, for the same seeds
(Philox and TF's distributions: `minitf.ops.philox`).
"""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.errors import InvalidArgumentError
from minitf.framework.random_seed import get_seed
from minitf.framework.registry import register_op
from minitf.ops import philox
from minitf.ops._shared import shape_tensor, shape_value
from minitf.ops.math_ops import add, multiply, subtract

__all__ = ["random_normal", "truncated_normal", "random_uniform"]

_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)


def _generator(state, op, seed, seed2):
    # a graph op's stream lives in the Session's state, so a new Session starts it over; an
    # eager op runs once: a seeded stream is kept by the op's type and attrs, so calls continue
    # it (TF's eager kernel cache)
    key = op
    if op._graph._eager and seed is not None:
        key = (op._opdef.type, op._attrs.get("dtype"), seed, seed2)
    gen = state.get(key)
    if gen is None:
        gen = state[key] = philox.PhiloxStream(seed, seed2)
    return gen


def _random_shape(shape, **attrs):
    return shape_value(shape)


def _random_dtype(shape, *rest, dtype, **attrs):
    return dtype


def _register(type):
    return register_op(type, shape=_random_shape, dtype=_random_dtype, differentiable=False,
                       stateful=True)


@_register("RandomStandardNormal")
def _standard_normal(state, op, shape, dtype, seed, seed2):
    return _fill(philox.normal, state, op, shape, dtype, seed, seed2)


@_register("TruncatedNormal")
def _truncated_normal(state, op, shape, dtype, seed, seed2):
    return _fill(philox.truncated_normal, state, op, shape, dtype, seed, seed2)


@_register("RandomUniform")
def _uniform(state, op, shape, dtype, seed, seed2):
    return _fill(philox.uniform, state, op, shape, dtype, seed, seed2)


@_register("RandomUniformInt")
def _uniform_int(state, op, shape, *, minval, maxval, dtype, seed, seed2):
    if minval >= maxval:
        raise InvalidArgumentError(None, op, f"Need minval < maxval: {minval} >= {maxval}")
    shape = tuple(int(n) for n in shape)
    gen = _generator(state, op, seed, seed2)
    np_dtype = dtype.as_numpy_dtype
    values = philox.uniform_int(gen, _size(shape), minval, maxval, np_dtype)
    return values.astype(np_dtype, copy=False).reshape(shape)


def _fill(distribution, state, op, shape, dtype, seed, seed2):
    # one run of a float random op: TF's numbers for the op's seeds, in TF's order
    shape = tuple(int(n) for n in shape)
    gen = _generator(state, op, seed, seed2)
    return distribution(gen, _size(shape), dtype.as_numpy_dtype).reshape(shape)


def _size(shape):
    return int(np.prod(shape, dtype=np.int64))


def _seeded(opdef, inputs, dtype, seed, name, **attrs):
    seed, seed2 = get_seed(seed)
    return opdef.apply(inputs, name=name, dtype=dtype, seed=seed, seed2=seed2, **attrs)


def _float_dtype(dtype):
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype not in _FLOATS:
        raise ValueError(f"Invalid dtype {dtype!r} for a float random op: use float16, float32 "
                         "or float64.")
    return dtype


def _normal(opdef, default_name, shape, mean, stddev, dtype, seed, name):
    dtype = _float_dtype(dtype)
    with name_scope(name, default_name, [shape, mean, stddev]) as scope:
        shape = shape_tensor(shape, name="shape")
        mean = convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        rnd = _seeded(opdef, [shape], dtype, seed, opdef.type)
        return add(multiply(rnd, stddev, name="mul"), mean, name=scope)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Outputs random values from a normal distribution.

    Each run draws new values. With a seed (the op's, or the graph's through
    `tf.set_random_seed`) the sequence of runs is the same in every process and starts over
    in each new Session; the values are TensorFlow's for the same seeds.

    Args:
      shape: the output shape: a list of ints or a 1-D integer tensor.
      mean: the mean, a scalar (or tensor broadcastable to `shape`).
      stddev: the standard deviation, likewise.
      dtype: float16, float32 (the default) or float64.
      seed: the op seed, an int (see `tf.set_random_seed`).
      name: a name for the operation (default "random_normal").

    Returns:
      A Tensor of `shape` and `dtype`.

    Raises:
      ValueError: `dtype` is not a float type.

    >>> x = tf.random_normal([2, 3], mean=5.0, stddev=0.1, seed=1)
    >>> with tf.Session() as sess:
    ...     a, b = sess.run(x), sess.run(x)
    >>> a.shape, bool((abs(a - 5.0) < 1.0).all()), bool((a != b).any())
    ((2, 3), True, True)
    >>> with tf.Session() as sess:  # a new Session starts the seeded sequence over
    ...     bool((sess.run(x) == a).all())
    True
    """
    return _normal(_standard_normal, "random_normal", shape, mean, stddev, dtype, seed, name)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Outputs random values from a truncated normal distribution.

    Normal samples, each redrawn until it lies within two standard deviations of the mean.
    Seeds behave as in `random_normal`.

    Args:
      shape: the output shape: a list of ints or a 1-D integer tensor.
      mean: the mean, a scalar (or tensor broadcastable to `shape`).
      stddev: the standard deviation of the normal distribution before truncation.
      dtype: float16, float32 (the default) or float64.
      seed: the op seed, an int (see `tf.set_random_seed`).
      name: a name for the operation (default "truncated_normal").

    Returns:
      A Tensor of `shape` and `dtype`.

    Raises:
      ValueError: `dtype` is not a float type.
    """
    return _normal(_truncated_normal, "truncated_normal", shape, mean, stddev, dtype, seed, name)


def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Outputs random values from a uniform distribution over [minval, maxval).

    Seeds behave as in `random_normal`.

    Args:
      shape: the output shape: a list of ints or a 1-D integer tensor.
      minval: the lower bound, included (default 0).
      maxval: the upper bound, excluded (default 1 for floats; required for integers, and
        then `minval` and `maxval` are Python ints).
      dtype: a float or integer type (default float32).
      seed: the op seed, an int (see `tf.set_random_seed`).
      name: a name for the operation (default "random_uniform").

    Returns:
      A Tensor of `shape` and `dtype`.

    Raises:
      ValueError: an integer dtype without `maxval`, or a dtype that is neither float nor
        integer.
      minitf.errors.InvalidArgumentError: at run time, integer bounds with minval >= maxval.
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype.is_integer:
        if maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        with name_scope(name, "random_uniform", [shape, minval, maxval]) as scope:
            return _seeded(_uniform_int, [shape_tensor(shape, name="shape")], dtype, seed, scope,
                           minval=int(minval), maxval=int(maxval))
    dtype = _float_dtype(dtype)
    maxval = 1 if maxval is None else maxval
    with name_scope(name, "random_uniform", [shape, minval, maxval]) as scope:
        shape = shape_tensor(shape, name="shape")
        lo = convert_to_tensor(minval, dtype=dtype, name="min")
        hi = convert_to_tensor(maxval, dtype=dtype, name="max")
        rnd = _seeded(_uniform, [shape], dtype, seed, "RandomUniform")
        if _is(minval, 0) and _is(maxval, 1):
            return rnd
        return add(multiply(rnd, subtract(hi, lo, name="sub"), name="mul"), lo, name=scope)


def _is(value, number):
    return not hasattr(value, "op") and np.ndim(value) == 0 and value == number


normal = random_normal
uniform = random_uniform
