"""Stateless random ops: the same numbers for the same seed pair, in every run and process.

TF hashes the seed pair into a Philox key and counter (StatelessRandomGetKeyCounter: one
Philox block of the seed under a fixed key) and runs the stateful ops' distributions from that
counter, with no stream to move on (`minitf.ops.philox`). The V2 ops take the key, counter and
algorithm as inputs; the older ones (StatelessMultinomial, StatelessRandomPoisson, ...) take the
seed and hash it themselves. The values are TensorFlow's for the same seeds.
"""
import threading

import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.errors import InvalidArgumentError
from minitf.framework.registry import register_op
from minitf.ops import philox
from minitf.ops._shared import fmt, shape_tensor, shape_value
from minitf.ops.manip_ops import stack
from minitf.ops.math_ops import add, multiply, subtract

__all__ = ["stateless_random_uniform", "stateless_random_normal", "stateless_truncated_normal",
           "split", "fold_in"]

_M32, _M64 = 0xFFFFFFFF, 2**64 - 1
_HASH_KEY = 0x02461E29 << 32 | 0x3EC8F720  # the fixed key TF hashes seeds under
PHILOX, THREEFRY, AUTO_SELECT = 1, 2, 3
_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)
_UNIFORM_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64,
                  dtypes.uint32, dtypes.uint64)


def key_counter(seed):
    """The Philox (key, 128-bit counter) TF derives from a seed pair (two ints)."""
    s0, s1 = (int(v) & _M64 for v in np.asarray(seed).reshape(-1)[:2])
    mix = philox.blocks(_HASH_KEY, s0 | s1 << 64, np.zeros(1, np.uint64))[0].tolist()
    return mix[0] | mix[1] << 32, (mix[2] | mix[3] << 32) << 64


class FixedStream:
    """A Philox stream that always starts at one counter: the stateless ops' generator, in the
    shape `philox`'s distributions and the stateful kernels take."""

    def __init__(self, key, counter):
        self.key, self.counter = key & _M64, counter & (2**128 - 1)
        self._lock = threading.Lock()

    def reserve(self, outputs):
        return self.counter


def fixed_stream(key, counter):
    """The stream of a V2 op's key (uint64 [1]) and counter (uint64 [2]) inputs."""
    key, counter = np.asarray(key).reshape(-1), np.asarray(counter).reshape(-1)
    return FixedStream(int(key[0]), int(counter[0]) | int(counter[1]) << 64)


class _OneStream(dict):
    # a Session state whose every stream is the given one: runs a stateful kernel stateless
    def __init__(self, stream):
        super().__init__()
        self.stream = stream

    def get(self, key, default=None):
        return self.stream


class _Unseeded:
    # the op a stateful kernel sees: unseeded attrs, a graph (the stream comes from the state)
    _attrs = {"seed": None, "seed2": None}
    _graph = type("_Graph", (), {"_eager": False})()


def seeded_kernel(opdef, stream, *inputs, **attrs):
    """Runs the stateful op `opdef`'s kernel on `stream` (its counter unmoved)."""
    try:
        return opdef.kernel(_OneStream(stream), _Unseeded(), *inputs, seed=None, seed2=None,
                            **attrs)
    except InvalidArgumentError as e:  # (the running op is the caller's)
        raise InvalidArgumentError(None, None, e.message) from None


def kernel_stream(seed):
    """The stream of an op with a seed input: checks the seed's shape, hashes it."""
    return FixedStream(*key_counter(_seed_value(seed)))


def check_alg(alg):
    """Philox is the only algorithm of TF's CPU kernels (auto-select picks it)."""
    if int(alg) not in (PHILOX, AUTO_SELECT):
        raise InvalidArgumentError(None, None, f"Unsupported algorithm id: {int(alg)}")


def seed_shape_check(op_type, seed):
    """TF's static check of a seed input: a vector of 2."""
    shape = seed._shape
    if shape is None:
        return
    if len(shape) != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {len(shape)} for '{op_type}'")
    if shape[0] not in (None, 2):
        raise ValueError(f"Dimension must be 2 but is {shape[0]} for '{op_type}'")


# -- StatelessRandomGetKeyCounter ------------------------------------------------------------------
def _key_counter_shape(seed):
    seed_shape_check("StatelessRandomGetKeyCounter", seed)
    return [(1,), (2,)]


@register_op("StatelessRandomGetKeyCounter", outputs="n", shape=_key_counter_shape,
             dtype=lambda seed: [dtypes.uint64, dtypes.uint64], differentiable=False)
def _get_key_counter(seed):
    key, counter = key_counter(_seed_value(seed))
    return [np.array([key], np.uint64), np.array([counter & _M64, counter >> 64], np.uint64)]


def _seed_value(seed):
    seed = np.asarray(seed)
    if seed.shape != (2,):
        raise InvalidArgumentError(None, None, f"seed must have shape [2], not {fmt(seed.shape)}")
    return seed


# -- the V2 ops: shape, key, counter, alg ----------------------------------------------------------
def _v2_shape(shape, key, counter, alg, *rest, **attrs):
    dims = shape_value(shape)
    return None if dims is None else dims


def _v2(type, dtype=None):
    return register_op(type, shape=_v2_shape, differentiable=False,
                       dtype=dtype or (lambda *inputs, dtype, **attrs: dtype))


def _run(distribution, shape, key, counter, alg, dtype):
    check_alg(alg)
    shape = tuple(int(n) for n in np.asarray(shape).reshape(-1))
    size = int(np.prod(shape, dtype=np.int64))
    values = distribution(fixed_stream(key, counter), size, dtype.as_numpy_dtype)
    return np.asarray(values).astype(dtype.as_numpy_dtype, copy=False).reshape(shape)


@_v2("StatelessRandomUniformV2")
def _uniform_v2(shape, key, counter, alg, *, dtype):
    return _run(philox.uniform, shape, key, counter, alg, dtype)


@_v2("StatelessRandomNormalV2")
def _normal_v2(shape, key, counter, alg, *, dtype):
    return _run(philox.normal, shape, key, counter, alg, dtype)


@_v2("StatelessTruncatedNormalV2")
def _truncated_normal_v2(shape, key, counter, alg, *, dtype):
    return _run(philox.truncated_normal, shape, key, counter, alg, dtype)


def full_int(stream, size, dtype):
    """`size` ints of `dtype` over its whole range (TF's UniformFullIntDistribution)."""
    if np.dtype(dtype).itemsize == 8:
        b = philox._run_blocks(stream, size, 2)
        bits = b[:, 0::2].astype(np.uint64) | (b[:, 1::2].astype(np.uint64) << np.uint64(32))
        return bits.reshape(-1)[:size].view(dtype)
    return philox._run_blocks(stream, size, 4).reshape(-1)[:size].view(dtype)


@_v2("StatelessRandomUniformFullIntV2")
def _full_int_v2(shape, key, counter, alg, *, dtype):
    return _run(full_int, shape, key, counter, alg, dtype)


@_v2("StatelessRandomUniformIntV2",
     dtype=lambda shape, key, counter, alg, minval, maxval, **attrs: minval._dtype)
def _uniform_int_v2(shape, key, counter, alg, minval, maxval):
    for name, value in (("minval", minval), ("maxval", maxval)):
        if np.ndim(value) != 0:
            raise InvalidArgumentError(None, None, f"{name} must be 0-D, got shape "
                                       f"{fmt(np.shape(value))}")
    lo, hi = int(minval), int(maxval)
    shape = tuple(int(n) for n in np.asarray(shape).reshape(-1))
    size = int(np.prod(shape, dtype=np.int64))
    if size and lo >= hi:
        raise InvalidArgumentError(None, None, f"Need minval < maxval: {lo} >= {hi}")
    check_alg(alg)
    np_dtype = np.asarray(minval).dtype
    if not size:
        return np.zeros(shape, np_dtype)
    values = philox.uniform_int(fixed_stream(key, counter), size, lo, hi, np_dtype)
    return values.astype(np_dtype, copy=False).reshape(shape)


# -- the Python API --------------------------------------------------------------------------------
def _alg_value(alg):
    # TF's Algorithm names and numbers; "auto_select" is Philox on the CPU
    if alg is None:
        return AUTO_SELECT
    if hasattr(alg, "value"):
        alg = alg.value
    if isinstance(alg, str):
        names = {"philox": PHILOX, "threefry": THREEFRY, "auto_select": AUTO_SELECT}
        if alg.lower() not in names:
            raise ValueError(f"Unknown algorithm name: {alg}")
        return names[alg.lower()]
    return int(alg)


def key_counter_alg(seed, alg):
    """The (key, counter, alg) inputs of a V2 op for `seed` (TF's _get_key_counter_alg)."""
    alg = _alg_value(alg)
    if alg == THREEFRY:
        raise InvalidArgumentError(None, None, f"Unsupported algorithm id: {alg}")
    key, counter = _get_key_counter.apply([seed], name="StatelessRandomGetKeyCounter")
    return key, counter, PHILOX


def stateless_random_uniform(shape, seed, minval=0, maxval=None, dtype=dtypes.float32,
                             name=None, alg="auto_select"):
    """Outputs deterministic pseudorandom values from a uniform distribution.

    The same `seed` gives the same values in every run and process (TensorFlow's own numbers).
    Floats lie in [minval, maxval) (default [0, 1)); integers need both bounds, or neither:
    then they cover the whole range of `dtype`.

    Args:
      shape: the output shape: a list of ints or a 1-D integer tensor.
      seed: a shape [2] int32 or int64 tensor.
      minval: the lower bound, included (default 0; None with `maxval` None for full-range ints).
      maxval: the upper bound, excluded (default 1 for floats).
      dtype: float16, float32, float64, int32, int64, uint32 or uint64.
      name: a name for the operation (default "stateless_random_uniform").
      alg: the RNG algorithm: "philox" or "auto_select" (the same here).

    Returns:
      A Tensor of `shape` and `dtype`.

    Raises:
      ValueError: an integer dtype with only one bound given, or an unsupported dtype.

    >>> x = tf.random.stateless_uniform([3], seed=[1, 2])
    >>> with tf.Session() as sess:
    ...     bool((sess.run(x) == sess.run(x)).all())
    True
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype not in _UNIFORM_TYPES:
        raise ValueError(f"Argument `dtype` got invalid value {dtype!r}. Accepted dtypes are "
                         "(tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int32, tf.int64, "
                         "tf.uint32, tf.uint64).")
    if dtype.is_integer and (minval is None) != (maxval is None):
        raise ValueError(f"For integer `dtype` argument {dtype!r}, argument `minval` and "
                         "`maxval` must be both None or not None. Got `minval`="
                         f"{minval} and `maxval`={maxval}.")
    if not dtype.is_integer and maxval is None:
        maxval = 1
    with name_scope(name, "stateless_random_uniform", [shape, seed, minval, maxval]) as scope:
        shape = shape_tensor(shape, name="shape")
        if dtype.is_integer and minval is None:
            key, counter, alg = key_counter_alg(seed, alg)
            return _full_int_v2.apply([shape, key, counter, alg], name=scope,
                                      dtype=dtype)
        lo = convert_to_tensor(minval, dtype=dtype, name="min")
        hi = convert_to_tensor(maxval, dtype=dtype, name="max")
        key, counter, alg = key_counter_alg(seed, alg)
        if dtype.is_integer:
            return _uniform_int_v2.apply([shape, key, counter, alg, lo, hi],
                                         name=scope)
        rnd = _uniform_v2.apply([shape, key, counter, alg],
                                name="StatelessRandomUniformV2", dtype=dtype)
        return add(multiply(rnd, subtract(hi, lo, name="sub"), name="mul"), lo, name=scope)


def _normal(opdef, default_name, shape, seed, mean, stddev, dtype, name, alg):
    dtype = dtypes.as_dtype(dtype).base_dtype
    with name_scope(name, default_name, [shape, seed, mean, stddev]) as scope:
        shape = shape_tensor(shape, name="shape")
        mean = convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        if dtype not in _FLOATS:  # (TF's op type check, after the conversions)
            raise TypeError(f"Value passed to parameter 'dtype' has DataType {dtype.name} not "
                            "in list of allowed values: float16, bfloat16, float32, float64")
        key, counter, alg = key_counter_alg(seed, alg)
        rnd = opdef.apply([shape, key, counter, alg], name=opdef.type, dtype=dtype)
        return add(multiply(rnd, stddev, name="mul"), mean, name=scope)


def stateless_random_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None,
                            alg="auto_select"):
    """Outputs deterministic pseudorandom values from a normal distribution.

    The same `seed` gives the same values in every run and process (TensorFlow's own numbers).

    Args:
      shape: the output shape: a list of ints or a 1-D integer tensor.
      seed: a shape [2] int32 or int64 tensor.
      mean: the mean, a scalar (or tensor broadcastable to `shape`).
      stddev: the standard deviation, likewise.
      dtype: float16, float32 (the default) or float64.
      name: a name for the operation (default "stateless_random_normal").
      alg: the RNG algorithm: "philox" or "auto_select" (the same here).

    Returns:
      A Tensor of `shape` and `dtype`.

    Raises:
      TypeError: `dtype` is not a float type.
    """
    return _normal(_normal_v2, "stateless_random_normal", shape, seed, mean, stddev, dtype,
                   name, alg)


def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32,
                               name=None, alg="auto_select"):
    """Outputs deterministic pseudorandom values from a truncated normal distribution.

    Normal values, each redrawn until it lies within two standard deviations of the mean. The
    same `seed` gives the same values in every run and process (TensorFlow's own numbers).

    Args:
      shape: the output shape: a list of ints or a 1-D integer tensor.
      seed: a shape [2] int32 or int64 tensor.
      mean: the mean, a scalar (or tensor broadcastable to `shape`).
      stddev: the standard deviation of the normal distribution before truncation.
      dtype: float16, float32 (the default) or float64.
      name: a name for the operation (default "stateless_truncated_normal").
      alg: the RNG algorithm: "philox" or "auto_select" (the same here).

    Returns:
      A Tensor of `shape` and `dtype`.

    Raises:
      TypeError: `dtype` is not a float type.
    """
    return _normal(_truncated_normal_v2, "stateless_truncated_normal", shape, seed, mean,
                   stddev, dtype, name, alg)


def split(seed, num=2, alg="auto_select"):
    """Splits a seed pair into `num` new seed pairs, deterministically.

    Args:
      seed: a shape [2] int32 or int64 tensor.
      num: how many seeds to make (default 2).
      alg: the RNG algorithm: "philox" or "auto_select".

    Returns:
      A [num, 2] Tensor of `seed`'s dtype.
    """
    seed = convert_to_tensor(seed)
    return stateless_random_uniform([num, 2], seed, dtype=seed.dtype, minval=None, maxval=None,
                                    alg=alg)


def fold_in(seed, data, alg="auto_select"):
    """Folds an integer into a seed pair: a new seed pair, deterministically.

    Args:
      seed: a shape [2] int32 or int64 tensor.
      data: an int32 or int64 scalar.
      alg: the RNG algorithm: "philox" or "auto_select".

    Returns:
      A [2] Tensor: a random number from `seed`, then `data`.
    """
    data = convert_to_tensor(data)
    seed1 = stateless_random_uniform([], seed, dtype=data.dtype, minval=None, maxval=None,
                                     alg=alg)
    return stack([seed1, data])
