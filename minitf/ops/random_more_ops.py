"""More seeded random ops: random_shuffle (RandomShuffle), random_crop, multinomial and
categorical (Multinomial). Gamma and Poisson samples are in `random_gamma_ops`.

As in `random_ops`, a seeded op draws TensorFlow's own numbers: each kernel takes its Philox
blocks where TF's CPU kernel does (`minitf.ops.philox`) and turns them into samples with TF's
algorithm, written anew in NumPy.
"""
import math
import os

import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import control_dependencies, name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.errors import InvalidArgumentError
from minitf.framework.random_seed import get_seed
from minitf.framework.registry import register_op
from minitf.ops import philox
from minitf.ops._shared import fmt, identity, shape as _shape
from minitf.ops.debug_ops import Assert
from minitf.ops.math_ops import floormod, greater_equal, subtract
from minitf.ops.random_ops import random_uniform
from minitf.ops.reduction_ops import reduce_all
from minitf.ops.slicing import slice as _slice

__all__ = ["random_shuffle", "random_crop", "multinomial", "categorical"]

_M128 = 2**128 - 1
_STARTUP, _PER_THREAD, _TASK = 100000, 100000, 40000  # Eigen's cost model, in cycles


# -- the stream of one op --------------------------------------------------------------------------
def stream_of(state, op):
    """The op's Philox stream: in the Session's state (a new Session starts it over); an eager
    op's seeded stream is kept by its type and attrs, so calls continue it (TF's kernel cache)."""
    seed, seed2 = op._attrs["seed"], op._attrs["seed2"]
    key = op
    if op._graph._eager and seed is not None:
        attrs = tuple(sorted((k, str(v)) for k, v in op._attrs.items()))
        key = (op._opdef.type, attrs)
    stream = state.get(key)
    if stream is None:
        stream = state[key] = philox.PhiloxStream(seed, seed2)
    return stream


def reserve_blocks(stream, count):
    """The counter a run starts at, moving the stream `count` Philox blocks on (TF's
    ReserveSamples128; `PhiloxStream.reserve` counts 256 blocks per output instead)."""
    with stream._lock:
        start = stream.counter
        stream.counter = (start + count) & _M128
    return start


def uint32s(stream, start, count):
    """`count` uint32 from `start` on, in order (TF's SingleSampleAdapter over the blocks)."""
    b = philox.blocks(stream.key, start, np.arange(-(-count // 4), dtype=np.uint64))
    return b.reshape(-1)[:count]


def seeded_apply(opdef, inputs, seed, name, **attrs):
    seed, seed2 = get_seed(seed)
    return opdef.apply(inputs, name=name, seed=seed, seed2=seed2, **attrs)


# -- RandomShuffle ---------------------------------------------------------------------------------
@register_op("RandomShuffle", shape=lambda value, **attrs: value._shape, differentiable=False,
             stateful=True)
def _random_shuffle(state, op, value, seed, seed2):
    value = np.asarray(value)
    if value.size <= 1 or value.shape[0] <= 1:
        return value  # TF draws nothing then
    n = value.shape[0]
    stream = stream_of(state, op)
    start = reserve_blocks(stream, -(-(n - 1) // 4))  # n - 1 uint32 (TF's ReserveSamples32)
    draws = uint32s(stream, start, n - 1) % np.arange(n, 1, -1, dtype=np.uint32)
    perm = np.arange(n)
    # Fisher-Yates: each swap depends on the ones before it, so this loop is inherent (one
    # step per row, not per element)
    for i, j in enumerate((draws + np.arange(n - 1)).tolist()):
        perm[i], perm[j] = perm[j], perm[i]
    return value[perm]


def random_shuffle(value, seed=None, name=None):
    """Randomly shuffles a tensor along its first dimension.

    Each run draws a new permutation; a seed (see `tf.set_random_seed`) makes the sequence of
    runs TensorFlow's own for the same seeds.

    Args:
      value: a Tensor to shuffle (a scalar or one row is returned as it is).
      seed: the op seed, an int.
      name: a name for the operation (default "RandomShuffle").

    Returns:
      A Tensor of `value`'s shape and dtype: its rows in a random order.

    >>> x = tf.random_shuffle(tf.range(6), seed=1)
    >>> with tf.Session() as sess:
    ...     sorted(sess.run(x).tolist())
    [0, 1, 2, 3, 4, 5]
    """
    value = convert_to_tensor(value, name="value")
    return seeded_apply(_random_shuffle, [value], seed, name or "RandomShuffle")


# -- random_crop -----------------------------------------------------------------------------------
def random_crop(value, size, seed=None, name=None):
    """Randomly crops a tensor to a given size.

    The offset of the crop along each dimension is uniform over the positions where it fits
    (TF's composition: `random_uniform` offsets, then `slice`).

    Args:
      value: the Tensor to crop.
      size: a 1-D int32 Tensor (or list) with one size per dimension of `value`.
      seed: the op seed, an int (see `tf.set_random_seed`).
      name: a name for the operation (default "random_crop").

    Returns:
      A Tensor of shape `size` and `value`'s dtype.

    Raises:
      minitf.errors.InvalidArgumentError: at run time, `size` exceeds `value`'s shape.

    >>> crop = tf.random_crop(tf.reshape(tf.range(12), [3, 4]), [2, 2], seed=3)
    >>> with tf.Session() as sess:
    ...     sess.run(crop).shape
    (2, 2)
    """
    with name_scope(name, "random_crop", [value, size]) as scope:
        value = convert_to_tensor(value, name="value")
        size = convert_to_tensor(size, dtype=dtypes.int32, name="size")
        shape = _shape(value)
        check = Assert(reduce_all(greater_equal(shape, size)),
                       ["Need value.shape >= size, got ", shape, size], summarize=1000)
        with control_dependencies([check]):
            shape = identity(shape, name="control_dependency")
        limit = subtract(shape, size) + 1
        offset = floormod(random_uniform(_shape(shape), dtype=size.dtype,
                                         maxval=size.dtype.max, seed=seed), limit)
        return _slice(value, offset, size, name=scope)


# -- Multinomial -----------------------------------------------------------------------------------
def _multinomial_shape(logits, num_samples, **attrs):
    shape = logits._shape
    if shape is not None and len(shape) != 2:
        raise ValueError(f"Shape must be rank 2 but is rank {len(shape)} for 'Multinomial' "
                         f"with input shapes: {fmt(shape)}, {fmt(num_samples._shape)}.")
    if num_samples._shape not in (None, ()):
        raise ValueError(f"Shape must be rank 0 but is rank {len(num_samples._shape)} for "
                         f"'Multinomial' with input shapes: {fmt(shape)}, "
                         f"{fmt(num_samples._shape)}.")
    n = constant_value(num_samples)
    return (None if shape is None else shape[0], None if n is None else int(n))


@register_op("Multinomial", shape=_multinomial_shape, differentiable=False, stateful=True,
             dtype=lambda logits, num_samples, **attrs: attrs["output_dtype"])
def _multinomial(state, op, logits, num_samples, *, seed, seed2, output_dtype):
    n = int(num_samples)
    if n < 0:
        raise InvalidArgumentError(None, op, f"num_samples should be non-negative, got {n}")
    batch, classes = logits.shape
    if classes == 0:
        raise InvalidArgumentError(None, op, "num_classes should be positive, got 0")
    out = np.zeros((batch, n), output_dtype.as_numpy_dtype)
    if out.size == 0:
        return out  # TF reserves no numbers then
    stream = stream_of(state, op)
    # TF reserves 256 blocks for each of batch * 2 * ceil4(n) doubles; each shard of rows
    # skips to block first_row * (n + 3) // 4, then draws 2 uint32 per sample, row by row
    start = stream.reserve(batch * 2 * (-(-n // 4) * 4))
    bits = np.empty((batch, n, 2), np.uint32)
    for first, last in shards(batch, n, classes, cpu_threads()):
        begin = (start + first * (n + 3) // 4) & _M128
        bits[first:last] = uint32s(stream, begin, 2 * n * (last - first)).reshape(-1, n, 2)
    u = philox._unit_float64(bits[..., 0], bits[..., 1])
    cdf, total = _unnormalized_cdf(logits)
    to_find = u * total[:, None]
    # upper_bound in each row's cdf: how many of its entries are <= the value
    for rows in np.array_split(np.arange(batch), max(1, batch * n * classes // 2**22)):
        out[rows] = (cdf[rows, None, :] <= to_find[rows, :, None]).sum(axis=-1)
    return out


def cpu_threads():
    """The size of TF's CPU thread pool here: the cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def shards(batch, n, classes, threads):
    """The (first, last) rows of each shard of a Multinomial run, as TF's CPU thread pool of
    `threads` splits them (Eigen's parallelFor over TF's cost estimate): one shard unless the
    work is large, so big inputs depend on the core count, as TF's own numbers do."""
    cost = int(50 * (n * math.log(classes) / math.log(2) + classes))
    wanted = int((batch * cost - _STARTUP) / _PER_THREAD + 0.9)
    if threads <= 1 or batch == 1 or min(threads, max(1, wanted)) == 1:
        return [(0, batch)]
    size, count = _block_size(batch, cost, threads)
    return [(k * size, min(batch, (k + 1) * size)) for k in range(count)]


def _block_size(total, cost, threads):
    # Eigen's CalculateParallelForBlock: blocks of ~40000 cycles, at most 4 per thread, then
    # coarser while that keeps the threads as busy
    size = min(total, max(-(-total // (4 * threads)), int(_TASK / cost)))
    largest = min(total, 2 * size)
    count = -(-total // size)
    best = count / (-(-count // threads) * threads)
    previous = count
    while best < 1.0 and previous > 1:
        coarser = -(-total // (previous - 1))
        if coarser > largest:
            break
        coarser_count = -(-total // coarser)
        previous = coarser_count
        efficiency = coarser_count / (-(-coarser_count // threads) * threads)
        if efficiency + 0.01 >= best:
            size, count = coarser, coarser_count
            best = max(best, efficiency)
    return size, count


def _unnormalized_cdf(logits):
    # TF: exp(logit - max finite logit) in float64, summed in order over the finite logits
    finite = np.isfinite(logits)
    lowest = np.finfo(logits.dtype).min if logits.dtype.kind == "f" else np.iinfo(logits.dtype).min
    top = np.where(finite, logits, lowest).max(axis=1).astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        weights = np.exp(logits.astype(np.float64) - top[:, None])
    cdf = np.cumsum(np.where(finite, weights, 0.0), axis=1)
    return cdf, cdf[:, -1]


def _multinomial_impl(logits, num_samples, dtype, seed, arg):
    logits = convert_to_tensor(logits, name="logits")
    dtype = dtypes.as_dtype(dtype) if dtype else dtypes.int64
    if dtype not in (dtypes.int32, dtypes.int64):
        raise ValueError(f"Argument `{arg}` got invalid value {dtype}. Accepted dtypes are "
                         "(tf.int32, tf.int64).")
    num_samples = convert_to_tensor(num_samples, dtype=dtypes.int32, name="num_samples")
    return seeded_apply(_multinomial, [logits, num_samples], seed, "Multinomial",
                        output_dtype=dtype)


def multinomial(logits, num_samples, seed=None, name=None, output_dtype=None):
    """Draws samples from a categorical distribution (TF1's name for `categorical`).

    Args:
      logits: a 2-D Tensor `[batch_size, num_classes]`: each row's unnormalized log
        probabilities (non-finite entries count as probability 0).
      num_samples: a scalar: how many samples to draw per row.
      seed: the op seed, an int (see `tf.set_random_seed`).
      name: a name for the operation (default "multinomial").
      output_dtype: int32 or int64 (the default).

    Returns:
      A `[batch_size, num_samples]` Tensor of class indices.

    Raises:
      ValueError: `logits` is not 2-D, or `output_dtype` is not an integer type.
      minitf.errors.InvalidArgumentError: at run time, `num_samples` < 0 or no classes.
    """
    with name_scope(name, "multinomial", [logits]):
        return _multinomial_impl(logits, num_samples, output_dtype, seed, "dtype")


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """Draws samples from a categorical distribution.

    Seeded draws are TensorFlow's own (see `tf.set_random_seed`).

    Args:
      logits: a 2-D Tensor `[batch_size, num_classes]`: each row's unnormalized log
        probabilities.
      num_samples: a scalar: how many samples to draw per row.
      dtype: int32 or int64 (the default), the type of the indices.
      seed: the op seed, an int.
      name: a name for the operation (default "categorical").

    Returns:
      A `[batch_size, num_samples]` Tensor of class indices.

    Raises:
      ValueError: `logits` is not 2-D, or `dtype` is not an integer type.
      minitf.errors.InvalidArgumentError: at run time, `num_samples` < 0 or no classes.

    >>> draws = tf.random.categorical([[-1e9, 0.0, -1e9]], 4, seed=2)
    >>> with tf.Session() as sess:
    ...     sess.run(draws).tolist()
    [[1, 1, 1, 1]]
    """
    with name_scope(name, "categorical", [logits]):
        return _multinomial_impl(logits, num_samples, dtype, seed, "dtype")
