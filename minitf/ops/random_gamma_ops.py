"""Seeded gamma and Poisson samples: random_gamma (RandomGamma, with its implicit
reparameterization gradient RandomGammaGrad) and random_poisson (RandomPoissonV2).

TF's kernels give output i (counted rate- or alpha-major) its own Philox stream, 256 blocks
after output i - 1's, and run a rejection loop on it; all arithmetic is float64. Here every
output's loop runs at once: each pass of `_Draws` serves the outputs still rejecting, so the
number of passes is the longest loop, not the number of outputs.
"""
import math

import numpy as np
import scipy.special

from minitf.framework import dtypes
from minitf.framework.api import control_dependencies, name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops import manip_ops, math_ops, philox, random_gamma_grad, sequence_ops, shape_ops
from minitf.ops._shared import broadcast_shape, fmt, shape as _shape, shape_value
from minitf.ops.array_ops import fill
from minitf.ops.random_more_ops import seeded_apply, stream_of

__all__ = ["random_gamma", "random_poisson"]

_SKIP = 256  # blocks reserved per output (TF's kReservedSamplesPerOutput)
_POISSON_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)


def _libm(function, *arrays):
    # the C library's float64 function (Python's math module calls it), element by element:
    # NumPy's vector loops may round differently, and these values are outputs
    return np.frompyfunc(function, len(arrays), 1)(*arrays).astype(np.float64)


class _Draws:
    """Each output's stream: its next block, and the unused doubles of its last normal and
    uniform blocks (TF's NormalDistribution and UniformDistribution<double>, 2 per block,
    handed out last first)."""

    def __init__(self, stream, start, outputs):
        self.key, self.start = stream.key, start
        self.next = np.arange(outputs, dtype=np.uint64) * np.uint64(_SKIP)
        self.buffers = {kind: (np.zeros((outputs, 2)), np.zeros(outputs, np.int64))
                        for kind in ("normal", "uniform")}

    def take(self, kind, rows):
        """The next `kind` double of each output in `rows` (an index array)."""
        values, left = self.buffers[kind]
        empty = rows[left[rows] == 0]
        if empty.size:
            b = philox.blocks(self.key, self.start, self.next[empty])
            self.next[empty] += np.uint64(1)
            if kind == "normal":
                pair = philox._box_muller64(b[:, 0], b[:, 1], b[:, 2], b[:, 3])
            else:
                pair = (philox._unit_float64(b[:, 0], b[:, 1]),
                        philox._unit_float64(b[:, 2], b[:, 3]))
            values[empty] = np.stack(pair, axis=-1)
            left[empty] = 2
        left[rows] -= 1
        return values[rows, left[rows]]


def _sample_shapes(op_type):
    def rule(shape, params, **attrs):
        if shape._shape is not None and len(shape._shape) != 1:
            raise ValueError(f"Shape must be rank 1 but is rank {len(shape._shape)} for "
                             f"'{op_type}' with input shapes: {fmt(shape._shape)}, "
                             f"{fmt(params._shape)}.")
        return _sample_shape(shape, params)
    return rule


def _sample_shape(shape, params):
    dims = shape_value(shape)
    if dims is None or params._shape is None:
        return None
    return tuple(dims) + tuple(params._shape)


def _runs(shape, params):
    # (samples per parameter, the parameters flat, the output shape)
    shape = tuple(int(n) for n in np.asarray(shape).reshape(-1))
    return int(np.prod(shape, dtype=np.int64)), np.asarray(params).reshape(-1), shape + params.shape


def _to_output(values, per, out_shape, np_dtype):
    # outputs are counted parameter-major; TF stores them sample-major
    return values.reshape(-1, per).T.reshape(out_shape).astype(np_dtype)


# -- RandomGamma -----------------------------------------------------------------------------------
@register_op("RandomGamma", shape=_sample_shapes("RandomGamma"), stateful=True,
             dtype=lambda shape, alpha, **attrs: alpha._dtype)
def _random_gamma(state, op, shape, alpha, *, seed, seed2):
    per, alphas, out_shape = _runs(shape, alpha)
    if per * alphas.size == 0:
        return np.zeros(out_shape, alpha.dtype)
    stream = stream_of(state, op)
    start = stream.reserve(per * alphas.size)
    a = np.repeat(alphas.astype(np.float64), per)
    draws = _Draws(stream, start, a.size)
    out = np.empty(a.size)
    one = a == 1.0  # an exponential: one uniform
    rows = np.nonzero(one)[0]
    out[rows] = -_libm(math.log1p, -draws.take("uniform", rows))
    _marsaglia_tsang(draws, a, out, np.nonzero(~one)[0])
    return _to_output(out, per, out_shape, alpha.dtype)


def _marsaglia_tsang(draws, a, out, todo):
    # Marsaglia and Tsang's transformation-rejection; alpha < 1 samples alpha + 1 and scales
    # by uniform ** (1 / alpha)
    with np.errstate(all="ignore"):
        small = a < 1
        d = a + np.where(small, 2.0 / 3, -1.0 / 3)
        c = 1.0 / 3 / np.sqrt(d)
        while todo.size:
            x = draws.take("normal", todo)
            v = 1 + c[todo] * x
            tried = v > 0  # the others draw another normal
            rows, x, v = todo[tried], x[tried], v[tried]
            v = v * v * v
            u = draws.take("uniform", rows)
            dt = d[rows]
            ok = u < 1 - 0.0331 * (x * x) * (x * x)
            slow = np.nonzero(~ok)[0]  # the squeeze failed: the log test
            ok[slow] = (_libm(math.log, u[slow]) < 0.5 * x[slow] * x[slow] + dt[slow] * (
                1 - v[slow] + _libm(math.log, v[slow])))
            done = rows[ok]
            out[done] = dt[ok] * v[ok]
            boost = done[small[done]]
            if boost.size:
                b = draws.take("uniform", boost)
                out[boost] *= _libm(_pow, b, 1 / a[boost])
            todo = np.concatenate([todo[~tried], rows[~ok]])


def _pow(x, y):
    try:
        return math.pow(x, y)
    except (OverflowError, ValueError):  # C's pow gives inf / nan there
        return float(np.power(x, y))


@_random_gamma.gradient
def _random_gamma_grad(op, grad):
    # implicit reparameterization: d sample / d alpha, summed over the sample dimensions
    shape, alpha = op.inputs
    sample = op.outputs[0]
    with control_dependencies([grad]):
        n = _shape(shape)[0]
        ones = fill(manip_ops.expand_dims(n, 0), 1)
        alpha_b = manip_ops.reshape(alpha, manip_ops.concat([ones, _shape(alpha)], 0))
        partial = _gamma_sample_der.apply([alpha_b, sample], name="RandomGammaGrad")
        return None, math_ops.reduce_sum(math_ops.multiply(grad, partial),
                                         axis=sequence_ops.range(n))


@register_op("RandomGammaGrad", differentiable=False,
             shape=lambda alpha, sample: _broadcast(alpha._shape, sample._shape))
def _gamma_sample_der(alpha, sample):
    # d sample / d alpha at fixed P(alpha, sample): Eigen's forward-mode derivative of the
    # incomplete gamma function over the density (random_gamma_grad)
    a, x = np.broadcast_arrays(alpha, sample)
    return random_gamma_grad.sample_derivative(a, x)


def _broadcast(a, b):
    return broadcast_shape(a, b, "RandomGammaGrad")


def random_gamma(shape, alpha, beta=None, dtype=dtypes.float32, seed=None, name=None):
    """Draws samples from each of the given Gamma distributions.

    `alpha` (concentration) and `beta` (rate) broadcast together; the result has shape
    `shape + broadcast(alpha, beta).shape`. The samples are differentiable with respect to
    `alpha` (implicit reparameterization) and `beta`. Seeded draws are TensorFlow's own.

    Args:
      shape: a 1-D int32 Tensor or list: the number of samples per distribution.
      alpha: the concentrations, a Tensor of `dtype` (or convertible to it).
      beta: the rates (default 1): the samples are divided by it.
      dtype: float16, float32 (the default) or float64.
      seed: the op seed, an int (see `tf.set_random_seed`).
      name: a name for the operation (default "random_gamma").

    Returns:
      A Tensor of `dtype`; each sample is at least the smallest normal number of the type.

    Raises:
      ValueError: `shape` is not 1-D.

    >>> g = tf.random_gamma([1000], [0.5, 4.0], seed=1)
    >>> with tf.Session() as sess:
    ...     v = sess.run(g)
    >>> v.shape, bool(abs(v.mean(axis=0) - [0.5, 4.0]).max() < 0.3)
    ((1000, 2), True)
    """
    dtype = dtypes.as_dtype(dtype)
    with name_scope(name, "random_gamma", [shape, alpha, beta]):
        shape = convert_to_tensor(shape, name="shape", dtype=dtypes.int32)
        alpha = convert_to_tensor(alpha, name="alpha", dtype=dtype)
        beta = convert_to_tensor(1 if beta is None else beta, name="beta", dtype=dtype)
        both = shape_ops.broadcast_dynamic_shape(_shape(alpha), _shape(beta))
        alpha_b = manip_ops.broadcast_to(alpha, both)
        sample = seeded_apply(_random_gamma, [shape, alpha_b], seed, "RandomGamma")
        tiny = np.finfo(dtype.as_numpy_dtype).tiny
        result = math_ops.maximum(tiny, math_ops.truediv(sample, beta))
        dims = shape_value(shape)
        both = broadcast_shape(alpha._shape, beta._shape)
        if dims is not None and both is not None:  # what TF knows statically
            result.set_shape(dims + both)
        return result


# -- RandomPoissonV2 -------------------------------------------------------------------------------
@register_op("RandomPoissonV2", shape=_sample_shapes("RandomPoissonV2"), differentiable=False,
             stateful=True, dtype=lambda shape, rate, **attrs: attrs["dtype"])
def _random_poisson(state, op, shape, rate, *, seed, seed2, dtype):
    per, rates, out_shape = _runs(shape, rate)
    np_dtype = dtype.as_numpy_dtype
    if per * rates.size == 0:
        return np.zeros(out_shape, np_dtype)
    stream = stream_of(state, op)
    start = stream.reserve(per * rates.size)
    lam = np.repeat(rates.astype(np.float64), per)
    draws = _Draws(stream, start, lam.size)
    out = np.full(lam.size, np.nan)
    small = lam < 10
    _knuth(draws, lam, out, np.nonzero(small)[0])
    _hormann(draws, lam, out, np.nonzero(~small & ~np.isnan(lam))[0])  # (TF loops on nan)
    if not np.issubdtype(np_dtype, np.floating):
        out = np.nan_to_num(out)
    return _to_output(out, per, out_shape, np_dtype)


def _knuth(draws, lam, out, todo):
    # multiply uniforms until the product falls to exp(-rate): the count before is the sample
    limit = _libm(math.exp, -lam[todo])
    prod, count = np.ones(lam.size), np.zeros(lam.size)
    limits = np.zeros(lam.size)
    limits[todo] = limit
    while todo.size:
        prod[todo] *= draws.take("uniform", todo)
        done = prod[todo] <= limits[todo]
        out[todo[done]] = count[todo[done]]
        todo = todo[~done]
        count[todo] += 1


def _hormann(draws, lam, out, todo):
    # Hormann's transformed rejection (PTRS) for rates >= 10
    with np.errstate(all="ignore"):
        log_rate = _libm(math.log, lam)
        b = 0.931 + 2.53 * np.sqrt(lam)
        a = -0.059 + 0.02483 * b
        inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
        while todo.size:
            u = draws.take("uniform", todo) - 0.5
            v = draws.take("uniform", todo)
            at, bt, rt = a[todo], b[todo], lam[todo]
            us = 0.5 - np.abs(u)
            k = np.floor((2 * at / us + bt) * u + rt + 0.43)
            ok = (us >= 0.07) & (v <= 0.9277 - 3.6224 / (bt - 2))
            test = ~ok & ~((k < 0) | ((us < 0.013) & (v > us)))
            t = np.nonzero(test)[0]
            s = _libm(math.log, v[t] * inv_alpha[todo[t]] / (at[t] / (us[t] * us[t]) + bt[t]))
            ok[t] = s <= -rt[t] + k[t] * log_rate[todo[t]] - scipy.special.gammaln(k[t] + 1)
            out[todo[ok]] = k[ok]
            todo = todo[~ok]


def random_poisson(lam, shape, dtype=dtypes.float32, seed=None, name=None):
    """Draws samples from each of the given Poisson distributions.

    Seeded draws are TensorFlow's own (see `tf.set_random_seed`).

    Args:
      lam: the rates: a Tensor of float16, float32, float64, int32 or int64.
      shape: a 1-D int32 Tensor or list: the number of samples per rate.
      dtype: the samples' type: float16, float32 (the default), float64, int32 or int64.
      seed: the op seed, an int.
      name: a name for the operation (default "random_poisson").

    Returns:
      A Tensor of shape `shape + lam.shape` and `dtype`.

    Raises:
      TypeError: `dtype` or `lam`'s type is not one of those above.
      ValueError: `shape` is not 1-D.

    >>> p = tf.random_poisson([0.5, 20.0], [2000], seed=1)
    >>> with tf.Session() as sess:
    ...     v = sess.run(p)
    >>> v.shape, bool(abs(v.mean(axis=0) - [0.5, 20.0]).max() < 0.5)
    ((2000, 2), True)
    """
    dtype = dtypes.as_dtype(dtype)
    for arg, value in (("dtype", dtype), ("R", lam.dtype if hasattr(lam, "dtype") else None)):
        if value is not None and dtypes.as_dtype(value) not in _POISSON_TYPES:
            raise TypeError(f"Value passed to parameter '{arg}' has DataType "
                            f"{dtypes.as_dtype(value).name} not in list of allowed values: "
                            "float16, float32, float64, int32, int64")
    with name_scope(name, "random_poisson", [lam, shape]):
        shape = convert_to_tensor(shape, name="shape", dtype=dtypes.int32)
        lam = convert_to_tensor(lam, name="lam",  # (lists: float32, the op's default)
                                dtype=None if hasattr(lam, "dtype") else dtypes.float32)
        return seeded_apply(_random_poisson, [shape, lam], seed, "RandomPoissonV2",
                            dtype=dtype)
