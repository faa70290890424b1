"""FarmHash's Fingerprint128 (farmhashcc, i.e. CityHash128: what TF's `Fingerprint128` and so
the SdcaFprint op use), vectorised over many byte strings of one length at a time.

Written from the published CityHash 1.1 algorithm: strings under 128 bytes go through its
Murmur-style mix, longer ones through a loop over 128-byte blocks and up to four 32-byte tail
chunks. Arithmetic on uint64 arrays wraps modulo 2**64, as in C; the 64-bit helpers are
FarmHash's (minitf/ops/_farmhash.py).
"""
import numpy as np

from minitf.ops._farmhash import _K0, _K1, _fetch64, _len0to16, _rot, _shift_mix, _weak32

_KMUL = np.uint64(0x9ddfea08eb382d69)
_U64 = np.uint64


def _hash16(u, v):
    # CityHash's Hash128to64 of (low u, high v)
    a = (u ^ v) * _KMUL
    a ^= a >> _U64(47)
    b = (v ^ a) * _KMUL
    b ^= b >> _U64(47)
    return b * _KMUL


def fingerprint128(rows):
    """Returns (low, high) uint64 vectors: the Fingerprint128 of each row of `rows` (uint8)."""
    rows = np.ascontiguousarray(rows, dtype=np.uint8)
    count, n = rows.shape
    if n >= 16:
        seed = (_fetch64(rows, 0), _fetch64(rows, 8) + _K0)
        return _with_seed(rows[:, 16:], n - 16, seed)
    return _with_seed(rows, n, (np.full(count, _K0), np.full(count, _K1)))


def _with_seed(rows, n, seed):
    with np.errstate(over="ignore"):
        return _murmur(rows, n, seed) if n < 128 else _long(rows, n, seed)


def _murmur(rows, n, seed):
    a, b = seed
    if n <= 16:
        a = _shift_mix(a * _K1) * _K1
        c = b * _K1 + _len0to16(rows, n)
        d = _shift_mix(a + (_fetch64(rows, 0) if n >= 8 else c))
    else:
        c = _hash16(_fetch64(rows, n - 8) + _K1, a)
        d = _hash16(b + _U64(n), c + _fetch64(rows, n - 16))
        a = a + d
        for s in range(0, n - 16, 16):  # one step per 16 bytes, all strings at once
            a = (a ^ _shift_mix(_fetch64(rows, s) * _K1) * _K1) * _K1
            b = b ^ a
            c = (c ^ _shift_mix(_fetch64(rows, s + 8) * _K1) * _K1) * _K1
            d = d ^ c
    a, b = _hash16(a, c), _hash16(d, b)
    return a ^ b, _hash16(b, a)


def _long(rows, n, seed):
    x, y = seed
    z = np.full(rows.shape[0], _U64(n) * _K1)
    v0 = _rot(y ^ _K1, 49) * _K1 + _fetch64(rows, 0)
    v = (v0, _rot(v0, 42) * _K1 + _fetch64(rows, 8))
    w = (_rot(y + z, 35) * _K1 + x, _rot(x + _fetch64(rows, 88), 53) * _K1)
    s, left = 0, n
    while True:
        for _ in range(2):  # the 128-byte block: two 64-byte steps
            x = _rot(x + y + v[0] + _fetch64(rows, s + 8), 37) * _K1
            y = _rot(y + v[1] + _fetch64(rows, s + 48), 42) * _K1
            x = x ^ w[1]
            y = y + v[0] + _fetch64(rows, s + 40)
            z = _rot(z + w[0], 33) * _K1
            v = _weak32(rows, s, v[1] * _K1, x + w[0])
            w = _weak32(rows, s + 32, z + w[1], y + _fetch64(rows, s + 16))
            z, x = x, z
            s += 64
        left -= 128
        if left < 128:
            break
    x = x + _rot(v[0] + z, 49) * _K0
    y = y * _K0 + _rot(w[1], 37)
    z = z * _K0 + _rot(w[0], 27)
    w = (w[0] * _U64(9), w[1])
    v = (v[0] * _K0, v[1])
    done = 0
    while done < left:  # up to four 32-byte chunks from the end
        done += 32
        at = s + left - done
        y = _rot(x + y, 42) * _K0 + v[1]
        w = (w[0] + _fetch64(rows, at + 16), w[1])
        x = x * _K0 + w[0]
        z = z + w[1] + _fetch64(rows, at)
        w = (w[0], w[1] + v[0])
        v = _weak32(rows, at, v[0] + z, v[1])
        v = (v[0] * _K0, v[1])
    x = _hash16(x, v[0])
    y = _hash16(y + z, w[0])
    return _hash16(x + v[1], w[1]) + y, _hash16(x + w[1], y + v[1])
