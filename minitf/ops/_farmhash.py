"""FarmHash's Fingerprint64 (farmhashna::Hash64, what TF's `Fingerprint64` and so the
Fingerprint op use), vectorised over many byte strings of one length at a time.

Written from the published FarmHash algorithm: the length selects one of four mixes (0-16,
17-32, 33-64 bytes, or a loop over 64-byte blocks). All arithmetic is on uint64 arrays (one
item per string), where NumPy wraps around modulo 2**64 as C does.
"""
import numpy as np

_K0 = np.uint64(0xc3a5c85c97cb3127)
_K1 = np.uint64(0xb492b66fbe98f273)
_K2 = np.uint64(0x9ae16a3b2f90404f)
_U64 = np.uint64


def fingerprint64(rows):
    """Returns the Fingerprint64 of each row of `rows` (a uint8 matrix) as a uint64 vector."""
    rows = np.ascontiguousarray(rows, dtype=np.uint8)
    n = rows.shape[1]
    if n <= 16:
        return _len0to16(rows, n)
    if n <= 32:
        return _len17to32(rows, n)
    if n <= 64:
        return _len33to64(rows, n)
    return _long(rows, n)


def _fetch64(rows, i):
    return rows[:, i:i + 8].copy().view("<u8")[:, 0].astype(np.uint64)


def _fetch32(rows, i):
    return rows[:, i:i + 4].copy().view("<u4")[:, 0].astype(np.uint64)


def _rot(v, s):
    return (v >> _U64(s)) | (v << _U64(64 - s))


def _shift_mix(v):
    return v ^ (v >> _U64(47))


def _hash16(u, v, mul):
    a = (u ^ v) * mul
    a ^= a >> _U64(47)
    b = (v ^ a) * mul
    b ^= b >> _U64(47)
    return b * mul


def _len0to16(rows, n):
    count = rows.shape[0]
    if n >= 8:
        mul = _K2 + _U64(2 * n)
        a = _fetch64(rows, 0) + _K2
        b = _fetch64(rows, n - 8)
        c = _rot(b, 37) * mul + a
        d = (_rot(a, 25) + b) * mul
        return _hash16(c, d, mul)
    if n >= 4:
        mul = _K2 + _U64(2 * n)
        a = _fetch32(rows, 0)
        return _hash16(_U64(n) + (a << _U64(3)), _fetch32(rows, n - 4), mul)
    if n > 0:
        a, b, c = (rows[:, i].astype(np.uint64) for i in (0, n >> 1, n - 1))
        y = (a + (b << _U64(8))) & _U64(0xffffffff)
        z = (_U64(n) + (c << _U64(2))) & _U64(0xffffffff)
        return _shift_mix(y * _K2 ^ z * _K0) * _K2
    return np.full(count, _K2, dtype=np.uint64)


def _len17to32(rows, n):
    mul = _K2 + _U64(2 * n)
    a = _fetch64(rows, 0) * _K1
    b = _fetch64(rows, 8)
    c = _fetch64(rows, n - 8) * mul
    d = _fetch64(rows, n - 16) * _K2
    return _hash16(_rot(a + b, 43) + _rot(c, 30) + d, a + _rot(b + _K2, 18) + c, mul)


def _len33to64(rows, n):
    mul = _K2 + _U64(2 * n)
    a = _fetch64(rows, 0) * _K2
    b = _fetch64(rows, 8)
    c = _fetch64(rows, n - 8) * mul
    d = _fetch64(rows, n - 16) * _K2
    y = _rot(a + b, 43) + _rot(c, 30) + d
    z = _hash16(y, a + _rot(b + _K2, 18) + c, mul)
    e = _fetch64(rows, 16) * mul
    f = _fetch64(rows, 24)
    g = (y + _fetch64(rows, n - 32)) * mul
    h = (z + _fetch64(rows, n - 24)) * mul
    return _hash16(_rot(e + f, 43) + _rot(g, 30) + h, e + _rot(f + a, 18) + g, mul)


def _weak32(rows, i, a, b):
    w, x, y, z = (_fetch64(rows, i + 8 * k) for k in range(4))
    a = a + w
    b = _rot(b + a + z, 21)
    c = a
    a = a + x + y
    b = b + _rot(a, 44)
    return a + z, b + c


def _long(rows, n):
    count = rows.shape[0]
    zero = np.zeros(count, dtype=np.uint64)
    seed = np.full(count, 81, dtype=np.uint64)
    y = seed * _K1 + _U64(113)
    z = _shift_mix(y * _K2 + _U64(113)) * _K2
    v, w = (zero, zero), (zero, zero)
    x = seed * _K2 + _fetch64(rows, 0)
    end = ((n - 1) // 64) * 64
    for s in range(0, end, 64):  # one step per 64-byte block, all strings at once
        x = _rot(x + y + v[0] + _fetch64(rows, s + 8), 37) * _K1
        y = _rot(y + v[1] + _fetch64(rows, s + 48), 42) * _K1
        x ^= w[1]
        y = y + v[0] + _fetch64(rows, s + 40)
        z = _rot(z + w[0], 33) * _K1
        v = _weak32(rows, s, v[1] * _K1, x + w[0])
        w = _weak32(rows, s + 32, z + w[1], y + _fetch64(rows, s + 16))
        z, x = x, z
    mul = _K1 + ((z & _U64(0xff)) << _U64(1))
    s = end + ((n - 1) & 63) - 63
    w = (w[0] + _U64((n - 1) & 63), w[1])
    v = (v[0] + w[0], v[1])
    w = (w[0] + v[0], w[1])
    x = _rot(x + y + v[0] + _fetch64(rows, s + 8), 37) * mul
    y = _rot(y + v[1] + _fetch64(rows, s + 48), 42) * mul
    x ^= w[1] * _U64(9)
    y = y + v[0] * _U64(9) + _fetch64(rows, s + 40)
    z = _rot(z + w[0], 33) * mul
    v = _weak32(rows, s, v[1] * mul, x + w[0])
    w = _weak32(rows, s + 32, z + w[1], y + _fetch64(rows, s + 16))
    z, x = x, z
    return _hash16(_hash16(v[0], w[0], mul) + _shift_mix(y) * _K0 + z,
                   _hash16(v[1], w[1], mul) + x, mul)
