"""TF's parameterized truncated normal sampler (TruncatedNormalFunctorV2), written anew for
NumPy, for StatelessParameterizedTruncatedNormal.

One Philox stream serves every output in turn, batch by batch (a batch: one set of
parameters). Each batch takes one of three rejection samplers: normal samples kept within the
bounds (a bound far from the mean), uniform proposals (narrow bounds) or exponential ones (a
far tail). A sampler's draws come a Philox block at a time and a batch ends with the block of
its last accepted sample, so each batch's candidates are made and tested all at once, and the
loop is over batches, not outputs. All arithmetic is in the parameters' type, as TF's.
"""
import math

import numpy as np

from minitf.framework.errors import InvalidArgumentError
from minitf.ops import _libm, philox
from minitf.ops.random_more_ops import _PER_THREAD, _STARTUP, _block_size, cpu_threads
from minitf.ops.stateless_random_ops import FixedStream

__all__ = ["parameterized_truncated_normal"]

_RANDN_STDDEVS = 1.3  # the normal sampler serves bounds this many stddevs from the mean
_MAX_ITERATIONS = 1000
# TF's cost estimate per output (Eigen's op costs), in cycles: it decides the sharding, and so
# the numbers of large outputs (measured: the sizes where TF's output starts to shard)
_COST = {np.dtype(np.float32): 187, np.dtype(np.float64): 258}


def _exp(x):
    if x.dtype == np.float64:
        return np.asarray(np.frompyfunc(math.exp, 1, 1)(x), np.float64)
    return np.exp(x.astype(np.float64)).astype(x.dtype)  # expf: float64, rounded once


def _log(x):
    if x.dtype == np.float64:
        return _libm.log(x)
    return _libm.logf(x)


def _draws(key, counter, first, blocks, kind, dtype):
    # `blocks` blocks of normals or uniforms from block `first` on: (blocks, per block)
    stream = FixedStream(key, counter + int(first))
    per = 2 if dtype == np.float64 else 4
    values = (philox.normal if kind == "normal" else philox.uniform)(stream, blocks * per, dtype)
    return np.asarray(values, dtype).reshape(blocks, per)


def _batch(key, counter, pos, n, params, dtype):
    # `n` samples of one batch from block `pos` on: (samples, the next block)
    mean, stddev, lo, hi = params
    t = dtype.type
    if (np.isinf(lo) and lo < 0) or hi < mean:  # make the one-sided bound the lower one
        lo, hi, stddev = hi, lo, -stddev
    nmin, nmax = (lo - mean) / stddev, (hi - mean) / stddev
    root = np.sqrt(nmin * nmin + t(4))
    cutoff = t(2) * _exp(np.array(t(0.5) + nmin * (nmin - root) / t(4)))[()] / (nmin + root)
    k = t(_RANDN_STDDEVS)
    if (nmin < -k and nmax >= 0) or (nmax > k and nmin <= 0):
        kind, blocks_per_try = "randn", 1
    elif nmax - nmin < cutoff:
        kind, blocks_per_try = "uniform", 2
    else:
        kind, blocks_per_try = "exponential", 1
    out, chunk = [], max(8, n)
    while n > 0:
        z, ok = _candidates(kind, key, counter, pos, chunk, nmin, nmax, root, dtype)
        found = np.nonzero(ok.reshape(-1))[0]
        if found.size >= n:
            last = found[n - 1] // ok.shape[1]  # the try that makes the batch's last sample
            out.append(z.reshape(-1)[found[:n]])
            return np.concatenate(out) * stddev + mean, pos + (last + 1) * blocks_per_try
        out.append(z.reshape(-1)[found])
        n -= found.size
        pos += chunk * blocks_per_try
        chunk *= 2
    return np.concatenate(out) * stddev + mean, pos


def _candidates(kind, key, counter, pos, tries, nmin, nmax, root, dtype):
    # each try's candidates and whether each is accepted: (tries, candidates per try)
    t = dtype.type
    if kind == "randn":
        z = _draws(key, counter, pos, tries, "normal", dtype)
        return z, (z >= nmin) & (z <= nmax)
    if kind == "uniform":
        r = _draws(key, counter, pos, 2 * tries, "uniform", dtype).reshape(tries, 2, -1)
        z = r[:, 0] * (nmax - nmin) + nmin
        g = ((t(0) if nmin < 0 else nmin * nmin) - z * z) / t(2)
        return z, r[:, 1] <= _exp(g)
    r = _draws(key, counter, pos, tries, "uniform", dtype).reshape(tries, -1, 2)
    alpha = (nmin + root) / t(2)
    with np.errstate(divide="ignore"):
        z = -_log(r[..., 0]) / alpha + nmin
    x = alpha - z if nmin < alpha else np.full_like(z, nmin - alpha)
    return z, (r[..., 1] <= _exp(-x * x / t(2))) & (z < nmax)


def parameterized_truncated_normal(stream, shape, means, stddevs, minvals, maxvals):
    """Draws truncated normal samples as TF's kernel does.

    Args:
      stream: the Philox stream (key and counter).
      shape: the output shape: sample dimensions, then the parameters' broadcast shape.
      means, stddevs, minvals, maxvals: the parameters, arrays of one float type.

    Returns:
      An array of `shape` and the parameters' type.

    Raises:
      minitf.errors.InvalidArgumentError: parameters that do not broadcast or are invalid
        (stddev <= 0, minval >= maxval, both bounds infinite), or a `shape` that does not end
        with their broadcast shape.
    """
    arrays = [np.asarray(a) for a in (means, stddevs, minvals, maxvals)]
    dtype = arrays[0].dtype
    try:
        both = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        raise InvalidArgumentError(None, None, "means, stddevs, minvals, maxvals must have "
                                   "compatible batch dimensions") from None
    shape = tuple(int(d) for d in np.asarray(shape).reshape(-1))
    k = len(both)
    if len(shape) < k or shape[len(shape) - k:] != both:
        raise InvalidArgumentError(None, None, "Shape passed in must end with broadcasted shape.")
    batches = int(np.prod(both, dtype=np.int64))
    per = int(np.prod(shape, dtype=np.int64)) // max(batches, 1)
    out = np.zeros((batches, per), dtype)
    if out.size == 0:
        return out.reshape(shape)
    flat = [np.broadcast_to(a, both).reshape(-1) for a in arrays]
    mean, stddev, lo, hi = flat
    bad = ~((stddev > 0) & (lo < hi) & (np.isfinite(lo) | np.isfinite(hi)))
    if bad.any():
        raise InvalidArgumentError(None, None, "Invalid parameters")
    cost = _COST.get(np.dtype(dtype), _COST[np.dtype(np.float32)])
    group = 2 if np.dtype(dtype) == np.float64 else 4
    for first, last in _shards(batches * per, cost):
        # a shard's stream skips 2 * 1000 uniforms per output before it (TF's reservation)
        pos = (first * 2 * _MAX_ITERATIONS + group - 1) // group
        for b in range(first // per, -(-last // per)):  # each batch on from where the last
            lo, hi = max(first, b * per), min(last, (b + 1) * per)  # stopped
            out[b, lo - b * per:hi - b * per], pos = _batch(
                stream.key, stream.counter, pos, hi - lo, [p[b] for p in flat], np.dtype(dtype))
    return out.T.reshape(shape)


def _shards(total, cost):
    # TF's Shard over its CPU pool: Eigen's parallelFor with `cost` cycles per output
    threads = cpu_threads()
    wanted = int((total * cost - _STARTUP) / _PER_THREAD + 0.9)
    if threads <= 1 or total <= 1 or min(threads, max(1, wanted)) == 1:
        return [(0, total)]
    size, count = _block_size(total, cost, threads)
    return [(k * size, min(total, (k + 1) * size)) for k in range(count)]
