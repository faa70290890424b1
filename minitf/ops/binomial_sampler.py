"""TF's binomial sampler (random_binomial_op), written anew for NumPy: each output has its own
Philox stream, 256 blocks after the previous output's; small means sum geometric variables
(inversion), large ones run Hormann's BTRS rejection. All outputs' loops run at once.
"""
import math

import numpy as np

from minitf.framework.errors import InvalidArgumentError
from minitf.ops.random_gamma_ops import _Draws, _libm

__all__ = ["binomial"]

_INVERSION_SKIP = 42

# log(k!) - Stirling's approximation of it, for k = 0..9 (TF's table)
_TAIL = np.array([0.0810614667953272, 0.0413406959554092, 0.0276779256849983,
                  0.02079067210376509, 0.0166446911898211, 0.0138761288230707,
                  0.0118967099458917, 0.0104112652619720, 0.00925546218271273,
                  0.00833056343336287])


def _stirling_tail(k):
    k = np.asarray(k, np.float64)
    kp1sq = (k + 1) * (k + 1)
    far = (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)
    return np.where(k <= 9, _TAIL[np.clip(k, 0, 9).astype(np.int64)], far)


def _log(x):
    return _libm(math.log, x)


def _inversion(draws, n, p, out, todo):
    # count the geometric variables whose sum stays within n
    with np.errstate(all="ignore"):
        log_q = _libm(math.log1p, -p)
        total, found = np.zeros(n.size), np.zeros(n.size)
        while todo.size:
            u = draws.take("uniform", todo)
            total[todo] += np.ceil(_log(u) / log_q[todo])
            over = total[todo] > n[todo]
            out[todo[over]] = found[todo[over]]
            todo = todo[~over]
            found[todo] += 1


def _btrs(draws, n, p, out, todo):
    with np.errstate(all="ignore"):
        stddev = np.sqrt(n * p * (1 - p))
        b = 1.15 + 2.53 * stddev
        a = -0.0873 + 0.0248 * b + 0.01 * p
        c = n * p + 0.5
        v_r = 0.92 - 4.2 / b
        r = p / (1 - p)
        alpha = (2.83 + 5.1 / b) * stddev
        m = np.floor((n + 1) * p)
        while todo.size:
            u = draws.take("uniform", todo) - 0.5
            v = draws.take("uniform", todo)
            us = 0.5 - np.abs(u)
            at, bt, nt, rt, mt = a[todo], b[todo], n[todo], r[todo], m[todo]
            k = np.floor((2 * at / us + bt) * u + c[todo])
            ok = (us >= 0.07) & (v <= v_r[todo])
            t = np.nonzero(~ok & (k >= 0) & (k <= nt))[0]
            lv = _log(v[t] * alpha[todo[t]] / (at[t] / (us[t] * us[t]) + bt[t]))
            mm, nn, kk, rr = mt[t], nt[t], k[t], rt[t]
            bound = ((mm + 0.5) * _log((mm + 1) / (rr * (nn - mm + 1)))
                     + (nn + 1) * _log((nn - mm + 1) / (nn - kk + 1))
                     + (kk + 0.5) * _log(rr * (nn - kk + 1) / (kk + 1))
                     + _stirling_tail(mm) + _stirling_tail(nn - mm)
                     - _stirling_tail(kk) - _stirling_tail(nn - kk))
            ok[t] = lv <= bound
            out[todo[ok]] = k[ok]
            todo = todo[~ok]


def binomial(stream, start, shape, counts, probs, np_dtype):
    """Draws binomial samples as TF's kernel does.

    Args:
      stream: the Philox stream (its key).
      start: the counter the outputs' streams start from.
      shape: the output shape: sample dimensions, then the broadcast shape of the parameters.
      counts: the numbers of trials, an array.
      probs: the success probabilities, an array of `counts`' type.
      np_dtype: the output's NumPy type.

    Returns:
      An array of `shape` and `np_dtype`.

    Raises:
      minitf.errors.InvalidArgumentError: the parameters do not broadcast, or `shape` does not
        end with their broadcast shape.
    """
    try:
        both = np.broadcast_shapes(np.shape(counts), np.shape(probs))
    except ValueError:
        raise InvalidArgumentError(None, None, "counts and probs must have compatible batch "
                                   f"dimensions: {list(np.shape(counts))} vs. "
                                   f"{list(np.shape(probs))}") from None
    shape = tuple(int(d) for d in np.asarray(shape).reshape(-1))
    k = len(both)
    if len(shape) < k or shape[len(shape) - k:] != both:
        raise InvalidArgumentError(None, None, "Shape passed in must end with broadcasted shape.")
    batches = int(np.prod(both, dtype=np.int64))
    per = int(np.prod(shape, dtype=np.int64)) // max(batches, 1)
    if per * batches == 0:
        return np.zeros(shape, np_dtype)
    t_counts = np.broadcast_to(counts, both).reshape(-1)  # in the inputs' type T: TF compares
    t_probs = np.broadcast_to(probs, both).reshape(-1)  # count * prob in T
    small_p = t_probs <= 0.5
    q = np.where(small_p, t_probs, t_probs.dtype.type(1) - t_probs)
    big = np.repeat(t_counts * q >= 10, per)
    n = np.repeat(t_counts.astype(np.float64), per)
    p = np.repeat(q.astype(np.float64), per)
    draws = _Draws(stream, start, n.size)
    out = np.full(n.size, np.nan)
    live = np.repeat((t_counts > 0) & (t_probs > 0) & (t_probs < 1), per)
    _btrs(draws, n, p, out, np.nonzero(live & big)[0])
    small = np.nonzero(live & ~big)[0]
    # inversion outputs reserve only 42 blocks each (TF: a mean and variance under 10 need
    # about 10 uniforms, 42 within 10 standard deviations)
    draws.next[small] = small.astype(np.uint64) * np.uint64(_INVERSION_SKIP)
    _inversion(draws, n, p, out, small)
    flip = np.repeat(~small_p, per) & live
    out[flip] = n[flip] - out[flip]
    prob = np.repeat(t_probs.astype(np.float64), per)
    out[~live & ((n <= 0) | (prob <= 0))] = 0
    ones = ~live & (n > 0) & (prob >= 1)
    out[ones] = n[ones]
    return out.reshape(-1, per).T.reshape(shape).astype(np_dtype)
