"""float32 log, sin and cos as glibc's libm computes them (logf, sincosf), over arrays.

TensorFlow's Box-Muller transform calls the C library's float32 `logf` and `sincosf`. These are
not correctly rounded (up to 0.82 ULP off), so NumPy's own functions, or float64 ones rounded
to float32, differ from TF's in about one value in a hundred. glibc (since 2.28) uses the
algorithms of Arm's optimized-routines (MIT licence): a table-driven log and a polynomial sine
and cosine, both evaluated in float64 and rounded once. They are written anew here in NumPy
with those published constants, and agree with glibc's functions for every input TF's random
ops pass them (checked exhaustively: all 2**23 of each).

The constant tables and polynomial coefficients are from Arm's optimized-routines:
Copyright (c) 2017-2018, Arm Limited. SPDX-License-Identifier: MIT
(https://github.com/ARM-software/optimized-routines, math/logf_data.c, math/sincosf_data.c).
"""
import math

import numpy as np


def _hex(values):
    return np.array([float.fromhex(v) for v in values])


# logf: x = 2**k * z, z near c_i; log(x) = log1p(z/c_i - 1) + log(c_i) + k*ln2
_LOG_INVC = _hex([
    "0x1.661ec79f8f3bep+0", "0x1.571ed4aaf883dp+0", "0x1.49539f0f010bp+0", "0x1.3c995b0b80385p+0",
    "0x1.30d190c8864a5p+0", "0x1.25e227b0b8eap+0", "0x1.1bb4a4a1a343fp+0", "0x1.12358f08ae5bap+0",
    "0x1.0953f419900a7p+0", "0x1p+0", "0x1.e608cfd9a47acp-1", "0x1.ca4b31f026aap-1",
    "0x1.b2036576afce6p-1", "0x1.9c2d163a1aa2dp-1", "0x1.886e6037841edp-1", "0x1.767dcf5534862p-1"])
_LOG_LOGC = _hex([
    "-0x1.57bf7808caadep-2", "-0x1.2bef0a7c06ddbp-2", "-0x1.01eae7f513a67p-2",
    "-0x1.b31d8a68224e9p-3", "-0x1.6574f0ac07758p-3", "-0x1.1aa2bc79c81p-3",
    "-0x1.a4e76ce8c0e5ep-4", "-0x1.1973c5a611cccp-4",
    "-0x1.252f438e10c1ep-5", "0x0p+0", "0x1.aa5aa5df25984p-5", "0x1.c5e53aa362eb4p-4",
    "0x1.526e57720db08p-3", "0x1.bc2860d22477p-3", "0x1.1058bc8a07ee1p-2", "0x1.4043057b6ee09p-2"])
_LN2 = float.fromhex("0x1.62e42fefa39efp-1")
_LOG_A0, _LOG_A1, _LOG_A2 = _hex(["-0x1.00ea348b88334p-2", "0x1.5575b0be00b6ap-2",
                                "-0x1.ffffef20a4123p-2"]).tolist()
_LOG_OFF = 0x3F330000  # z lies in [OFF, 2*OFF) as a float


def logf(x):
    """glibc's logf of a float32 array of positive normal numbers (all TF passes it)."""
    ix = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    tmp = ix - np.uint32(_LOG_OFF)
    i = (tmp >> np.uint32(19)) & np.uint32(15)
    k = tmp.view(np.int32) >> np.int32(23)
    z = (ix - (tmp & np.uint32(0xFF800000))).view(np.float32).astype(np.float64)
    r = z * _LOG_INVC[i] - 1.0
    y0 = _LOG_LOGC[i] + k * _LN2
    r2 = r * r
    y = _LOG_A1 * r + _LOG_A2
    y = _LOG_A0 * r2 + y
    y = y * r2 + (y0 + r)
    return y.astype(np.float32)


# sincosf: x reduced by the nearest multiple n of pi/2 to [-pi/4, pi/4], then polynomials
# for sin and cos, swapped and negated by the quadrant n (negating is exact, so it may come last)
_HPI_INV = float.fromhex("0x1.45F306DC9C883p+23")  # 2/pi * 2**24
_HPI = float.fromhex("0x1.921FB54442D18p0")  # pi/2
_C0, _C1, _C2, _C3, _C4 = _hex(["0x1p0", "-0x1.ffffffd0c621cp-2", "0x1.55553e1068f19p-5",
                                "-0x1.6c087e89a359dp-10", "0x1.99343027bf8c3p-16"]).tolist()
_S1, _S2, _S3 = _hex(["-0x1.555545995a603p-3", "0x1.1107605230bc4p-7",
                      "-0x1.994eb3774cf24p-13"]).tolist()
_PIO4_TOP = 0.75  # below it (float32 bits < 0x3F400000, glibc's 12-bit test) no reduction
_TINY = 2.0**-12  # below it sin(x) = x and cos(x) = 1


def sincosf(y):
    """glibc's sincosf of a float32 array with |y| < 120 (TF passes [0, 2*pi)): (sin, cos)."""
    y = np.asarray(y, dtype=np.float32)
    x = y.astype(np.float64)
    n = ((x * _HPI_INV).astype(np.int64) + 0x800000) >> 24  # C's (int) cast truncates
    n[np.abs(y) < _PIO4_TOP] = 0
    x -= n * _HPI
    x2 = x * x
    x *= 1 - ((n + 1) & 2)  # negated in quadrants 1 and 2
    x3, x4 = x2 * x, x2 * x2
    c2 = _C3 + x2 * _C4
    s1 = _S2 + x2 * _S3
    c1 = _C0 + x2 * _C1
    x5, x6 = x3 * x2, x4 * x2
    sin = (x + x3 * _S1 + x5 * s1).astype(np.float32)
    cos = (c1 + x4 * _C2 + x6 * c2).astype(np.float32)
    cos *= (1 - (n & 2)).astype(np.float32)  # negated in quadrants 2 and 3
    odd = (n & 1).astype(bool)
    sin, cos = np.where(odd, cos, sin), np.where(odd, sin, cos)
    tiny = np.abs(y) < _TINY
    if tiny.any():
        sin[tiny], cos[tiny] = y[tiny], 1
    return sin, cos


def _libm_double(function):
    # float64: the C library's own function, which Python's math module calls (NumPy's SIMD
    # loops round differently), one element at a time
    ufunc = np.frompyfunc(function, 1, 1)
    return lambda x: ufunc(x).astype(np.float64)


log, sin, cos = _libm_double(math.log), _libm_double(math.sin), _libm_double(math.cos)
