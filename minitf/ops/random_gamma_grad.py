"""RandomGammaGrad's kernel: d sample / d alpha of Gamma(alpha, 1) samples, as TF computes it.

TF (through Eigen's `gamma_sample_der_alpha`) differentiates Cephes' incomplete gamma code in
forward mode: the power series when x <= max(1, alpha), else the continued fraction of the
upper tail, then divides by the density in closed form (only log and digamma remain). This is
that algorithm in NumPy, in the input's own precision (float32 runs in float32, as Eigen's),
every element's loop at once: each stops where Eigen's would.
"""
import math

import numpy as np
import scipy.special

from minitf.ops import _libm

_SERIES_STEPS = {np.float32: 200, np.float64: 500}
_PSI_POLY = {  # the asymptotic expansion of digamma above 10 (Cephes' psi), highest first
    np.float32: [-4.16666666666666666667E-3, 3.96825396825396825397E-3,
                 -8.33333333333333333333E-3, 8.33333333333333333333E-2],
    np.float64: [8.33333333333333333333E-2, -2.10927960927960927961E-2,
                 7.57575757575757575758E-3, -4.16666666666666666667E-3,
                 3.96825396825396825397E-3, -8.33333333333333333333E-3,
                 8.33333333333333333333E-2],
}


def _log(x):
    # the C library's log of positive finite x, in x's precision
    if x.dtype == np.float32:
        out = _libm.logf(np.maximum(x, np.finfo(np.float32).tiny))
        small = x < np.finfo(np.float32).tiny  # subnormal: rounded from float64
        out[small] = np.log(x[small].astype(np.float64)).astype(np.float32)
        return out
    return np.frompyfunc(math.log, 1, 1)(x).astype(np.float64)


def digamma(x):
    """Eigen's digamma of positive x in x's precision (the recurrence up to 10, then the
    asymptotic expansion)."""
    t = x.dtype.type
    s, w = x.copy(), np.zeros_like(x)
    low = np.nonzero(s < 10)[0]
    while low.size:
        w[low] += t(1) / s[low]
        s[low] += t(1)
        low = low[s[low] < 10]
    z = t(1) / (s * s)
    coeffs = _PSI_POLY[t]
    poly = np.full_like(x, coeffs[0])
    for c in coeffs[1:]:
        poly = poly * z + t(c)
    poly = np.where(s < t(1e8 if t is np.float32 else 1e17), z * poly, t(0))
    return _log(s) - t(0.5) / s - poly - w


def sample_derivative(alpha, sample):
    """d sample / d alpha, element-wise over same-shaped float32 or float64 arrays."""
    a, x = (np.ascontiguousarray(v).reshape(-1) for v in (alpha, sample))
    t = a.dtype.type
    tiny = np.finfo(t).tiny
    a, x = (np.where(np.abs(v) < tiny, t(0), v) for v in (a, x))  # subnormals read as 0
    out = np.full(a.shape, np.nan, a.dtype)
    with np.errstate(all="ignore"):
        out[x == 0] = 0
        ok = (x > 0) & (a > 0)  # (x < 0, a <= 0 or nan: nan)
        # where the density x**a e**-x / gamma(a) underflows, Eigen gives 0 (-0 in the tail)
        rows = np.nonzero(ok & ~np.isinf(x))[0]
        ar, xr = a[rows], x[rows]
        log_ax = ar * _log(xr) - xr - scipy.special.gammaln(ar.astype(np.float64)).astype(t)
        # (TF's CPU kernels flush subnormal results to zero: a density below the smallest
        # normal number counts as 0 too)
        density = np.exp(log_ax.astype(np.float64)).astype(t)
        flat = rows[(density < np.finfo(t).tiny) | np.isnan(log_ax)]
        out[flat] = np.where((x[flat] > 1) & (x[flat] > a[flat]), -0.0, 0.0)
        ok[flat] = False
        upper = np.nonzero(ok & (x > 1) & (x > a))[0]
        lower = np.nonzero(ok & ~((x > 1) & (x > a)))[0]
        if lower.size:
            out[lower] = _series(a[lower], x[lower], t)
        if upper.size:
            out[upper] = _continued_fraction(a[upper], x[upper], t)
    out[np.abs(out) < tiny] *= 0  # flushed to zero, keeping the sign
    return out.reshape(np.shape(alpha))


def _series(a, x, t):
    one, eps = t(1), t(np.finfo(t).eps / 2)
    r, c, ans = a.copy(), np.ones_like(a), np.ones_like(a)
    dc, dans = np.zeros_like(a), np.zeros_like(a)
    live = np.arange(a.size)
    for _ in range(_SERIES_STEPS[t]):
        r[live] += one
        rl, xl = r[live], x[live]
        term = xl / rl
        dterm = -xl / (rl * rl)
        dc[live] = term * dc[live] + dterm * c[live]
        dans[live] += dc[live]
        c[live] *= term
        ans[live] += c[live]
        live = live[~(np.abs(dc[live]) <= eps * np.abs(dans[live]))]
        if not live.size:
            break
    dlogax = _log(x) - digamma(a + one)
    return -(dans + ans * dlogax) * x / a


def _continued_fraction(a, x, t):
    one, two, zero = t(1), t(2), t(0)
    eps = t(np.finfo(t).eps / 2)
    big = t(1 / np.finfo(t).eps) if t is np.float64 else t(1 / eps)
    biginv = t(np.finfo(t).eps) if t is np.float64 else eps
    y = one - a
    z = x + y + one
    c = np.zeros_like(a)
    p2, q2, p1, q1 = np.ones_like(a), x.copy(), x + one, z * x
    ans = p1 / q1
    dp2, dq2, dp1, dq1 = (np.zeros_like(a), np.zeros_like(a), np.zeros_like(a), -x)
    dans = (dp1 - ans * dq1) / q1
    live = np.nonzero(~np.isinf(x))[0]  # (x = inf: 0)
    ans[np.isinf(x)], dans[np.isinf(x)] = 0, 0
    for _ in range(_SERIES_STEPS[t]):
        if not live.size:
            break
        c[live] += one
        y[live] += one
        z[live] += two
        yc = y[live] * c[live]
        zl = z[live]
        pk = p1[live] * zl - p2[live] * yc
        qk = q1[live] * zl - q2[live] * yc
        dpk = dp1[live] * zl - p1[live] - dp2[live] * yc + p2[live] * c[live]
        dqk = dq1[live] * zl - q1[live] - dq2[live] * yc + q2[live] * c[live]
        stop = np.zeros(live.size, bool)
        nz = qk != zero
        rows = live[nz]
        ans[rows] = pk[nz] / qk[nz]
        previous = dans[rows]
        dans[rows] = (dpk[nz] - ans[rows] * dqk[nz]) / qk[nz]
        stop[nz] = np.abs(dans[rows] - previous) <= eps
        go, pk, qk, dpk, dqk = live[~stop], pk[~stop], qk[~stop], dpk[~stop], dqk[~stop]
        p2[go], p1[go], q2[go], q1[go] = p1[go], pk, q1[go], qk
        dp2[go], dp1[go], dq2[go], dq1[go] = dp1[go], dpk, dq1[go], dqk
        huge = go[np.abs(pk) > big]
        for v in (p2, p1, q2, q1, dp2, dp1, dq2, dq1):
            v[huge] *= biginv
        live = go
    dlogax = _log(x) - digamma(a)
    out = (dans + ans * dlogax) * x  # -(-(...) * x): Eigen negates the upper tail's
    out[np.isinf(x)] = -0.0
    return out
