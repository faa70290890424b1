"""TensorFlow's random numbers in NumPy: Philox4x32-10 and the distributions of TF's CPU kernels.

A TF1 random op (RandomUniform, RandomStandardNormal, TruncatedNormal, RandomUniformInt) keeps
one Philox generator: a 64-bit key (the op's `seed`) and a 128-bit counter (`seed2` in its upper
half). Each block of the generator is the 10-round Philox bijection of one counter value: four
uint32. A run of the op fills its output in groups (4 floats or int32, 2 doubles or int64, per
block) and then moves the op's counter on by 256 blocks per output element, so the next run
draws fresh numbers. Here every block of a run is computed at once, as arrays.

The functions are TF's algorithms (tensorflow/core/lib/random), written anew for NumPy: the same
seeds give the same bits as TensorFlow's CPU kernels.
"""
import os
import threading

import numpy as np

from minitf.ops import _libm

__all__ = ["PhiloxStream", "uniform", "uniform_int", "normal", "truncated_normal"]

_M32 = 0xFFFFFFFF
_M64 = 2**64 - 1
_MUL_A, _MUL_B = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)  # round multipliers
_KEY_A, _KEY_B = 0x9E3779B9, 0xBB67AE85  # the key's Weyl increments, one per round
_LOW = np.uint64(_M32)
_32 = np.uint64(32)
_ROUNDS = 10
_TWO_PI = 2 * np.pi  # float64, as C's 2.0f * M_PI
_SKIP_PER_OUTPUT = 256  # blocks a run reserves per output element (TF's ReserveRandomOutputs)


def blocks(key, counter, offsets):
    """The Philox4x32-10 blocks at `counter + offsets`: a (len(offsets), 4) uint32 array.

    Args:
      key: the 64-bit key, an int.
      counter: the 128-bit counter, an int.
      offsets: uint64 array of block indices past `counter`.
    """
    offsets = np.asarray(offsets, dtype=np.uint64)
    lo = np.uint64(counter & _M64) + offsets  # wraps: carry into the upper half below
    hi = np.uint64(counter >> 64) + (lo < offsets).astype(np.uint64)
    x0, x1, x2, x3 = lo & _LOW, lo >> _32, hi & _LOW, hi >> _32
    p0, p1 = np.empty_like(x0), np.empty_like(x0)
    k0, k1 = key & _M32, (key >> 32) & _M32
    for _ in range(_ROUNDS):  # in place: this is most of the time a random op takes
        np.multiply(x0, _MUL_A, out=p0)  # 32x32 -> 64-bit products
        np.multiply(x2, _MUL_B, out=p1)
        np.right_shift(p1, _32, out=x0)
        x0 ^= x1
        x0 ^= np.uint64(k0)
        np.bitwise_and(p1, _LOW, out=x1)
        np.right_shift(p0, _32, out=x2)
        x2 ^= x3
        x2 ^= np.uint64(k1)
        np.bitwise_and(p0, _LOW, out=x3)
        k0, k1 = (k0 + _KEY_A) & _M32, (k1 + _KEY_B) & _M32
    out = np.empty(offsets.shape + (4,), np.uint32)
    for i, x in enumerate((x0, x1, x2, x3)):
        out[..., i] = x
    return out


class PhiloxStream:
    """One random op's generator, as TF's GuardedPhiloxRandom: the key, and where the next
    run starts. (0, 0) seeds mean "unseeded": the key and counter then come from the OS."""

    def __init__(self, seed, seed2):
        if seed is None or (seed == 0 and seed2 == 0):
            seed, seed2 = (int.from_bytes(os.urandom(8), "little") for _ in range(2))
        self.key = seed & _M64
        self.counter = (seed2 & _M64) << 64
        self._lock = threading.Lock()  # two runs of one op at once take distinct blocks

    def reserve(self, outputs):
        """The counter a run of `outputs` elements starts at; moves the stream past it."""
        with self._lock:
            start = self.counter
            self.counter = (start + outputs * _SKIP_PER_OUTPUT) & (2**128 - 1)
        return start


def _run_blocks(stream, size, per_block):
    # the blocks a run of `size` outputs uses, `per_block` outputs from each
    start = stream.reserve(size)
    return blocks(stream.key, start, np.arange(-(-size // per_block), dtype=np.uint64))


def _unit_float32(bits):
    # [0, 1): 23 random mantissa bits under the exponent of 1.0, minus 1 (exact)
    return ((bits & np.uint32(0x7FFFFF)) | np.uint32(0x3F800000)).view(np.float32) - np.float32(1)


def _unit_float64(hi, lo):
    # [0, 1) from 20 bits of `hi` and the 32 of `lo`
    man = ((hi & np.uint32(0xFFFFF)).astype(np.uint64) << _32) | lo.astype(np.uint64)
    return (man | np.uint64(0x3FF0000000000000)).view(np.float64) - 1.0


def _unit_float16(bits):
    man = (bits & np.uint32(0x3FF)).astype(np.uint16) | np.uint16(0x3C00)
    return man.view(np.float16) - np.float16(1)


def uniform(stream, size, dtype):
    """One run of RandomUniform: `size` floats in [0, 1) of `dtype` (a NumPy float type)."""
    dtype = np.dtype(dtype)
    if dtype == np.float64:
        b = _run_blocks(stream, size, 2)
        return _unit_float64(b[:, 0::2], b[:, 1::2]).reshape(-1)[:size]
    b = _run_blocks(stream, size, 4).reshape(-1)[:size]
    return _unit_float16(b) if dtype == np.float16 else _unit_float32(b)


def uniform_int(stream, size, lo, hi, dtype):
    """One run of RandomUniformInt: `size` ints in [lo, hi) of `dtype` (int32 or int64)."""
    if np.dtype(dtype) == np.int64:
        b = _run_blocks(stream, size, 2)
        bits = (b[:, 0::2].astype(np.uint64) | (b[:, 1::2].astype(np.uint64) << _32)).reshape(-1)
        r = bits[:size] % np.uint64((hi - lo) & _M64)
        return (r + np.uint64(lo & _M64)).view(np.int64)  # lo + r, wrapping as TF's SignedAdd
    bits = _run_blocks(stream, size, 4).reshape(-1)[:size]
    r = bits % np.uint32((hi - lo) & _M32)
    return (r + np.uint32(lo & _M32)).view(np.int32)


def _box_muller32(x0, x1):
    # TF's BoxMullerFloat, element-wise over uint32 arrays: two float32 normals per pair
    u1 = np.maximum(_unit_float32(x0), np.float32(1e-7))  # keep log() finite
    v1 = (_TWO_PI * _unit_float32(x1).astype(np.float64)).astype(np.float32)
    u2 = np.sqrt(np.float32(-2) * _libm.logf(u1))
    sin, cos = _libm.sincosf(v1)
    return sin * u2, cos * u2


def _box_muller64(x0, x1, x2, x3):
    # TF's BoxMullerDouble: two float64 normals from four uint32
    u1 = np.maximum(_unit_float64(x0, x1), 1e-7)
    v1 = _TWO_PI * _unit_float64(x2, x3)
    u2 = np.sqrt(-2.0 * _libm.log(u1))
    return _libm.sin(v1) * u2, _libm.cos(v1) * u2


def _pairs(f0, f1):
    return np.stack([f0, f1], axis=-1).reshape(-1)


def normal(stream, size, dtype):
    """One run of RandomStandardNormal: `size` standard normal floats of `dtype`."""
    dtype = np.dtype(dtype)
    if dtype == np.float64:
        b = _run_blocks(stream, size, 2)
        return _pairs(*_box_muller64(b[:, 0], b[:, 1], b[:, 2], b[:, 3]))[:size]
    b = _run_blocks(stream, size, 4).reshape(-1, 2)
    return _pairs(*_box_muller32(b[:, 0], b[:, 1]))[:size].astype(dtype)


def truncated_normal(stream, size, dtype):
    """One run of TruncatedNormal: `size` normal floats of `dtype` with |x| < 2.

    Output group g (4 values, 2 for float64) reads single uint32 samples from block
    256*g on (128*g for float64) and keeps, in order, the Box-Muller values under 2 in
    magnitude until it has its 4 (or 2). All groups take their first block together (most
    need no other); the few still short then take one more block at a time.
    """
    dtype = np.dtype(dtype)
    wide = dtype == np.float64
    group = 2 if wide else 4
    start = stream.reserve(size)
    base = np.arange(-(-size // group), dtype=np.uint64) * np.uint64(group * _SKIP_PER_OUTPUT // 4)
    out = _candidates(stream.key, start, base, wide)  # block 0: `group` candidates per group
    have = (np.abs(out) < 2).sum(axis=1)
    short = np.nonzero(have < group)[0]
    if short.size:
        out[short] = _refill(stream.key, start, base[short], wide, group)
    return out.reshape(-1)[:size].astype(dtype)


def _candidates(key, start, base, wide, block=0):
    # the Box-Muller values of block `block` of each group, in TF's order: (groups, 4 or 2)
    b = blocks(key, start, base + np.uint64(block))
    if wide:
        return np.stack(_box_muller64(b[:, 0], b[:, 1], b[:, 2], b[:, 3]), axis=-1)
    return np.stack(_box_muller32(b[:, 0::2], b[:, 1::2]), axis=-1).reshape(-1, 4)


def _refill(key, start, base, wide, group):
    # the groups whose first block had a value beyond 2: block after block until full
    out = np.empty((base.size, group), np.float64 if wide else np.float32)
    have = np.zeros(base.size, np.int64)
    todo, block = np.arange(base.size), 0
    while todo.size:
        cand = _candidates(key, start, base[todo], wide, block)
        keep = np.abs(cand) < 2
        slot = have[todo, None] + np.cumsum(keep, axis=1) - 1  # where each kept one goes
        take = keep & (slot < group)
        rows = np.broadcast_to(todo[:, None], slot.shape)
        out[rows[take], slot[take]] = cand[take]
        have[todo] = np.minimum(have[todo] + keep.sum(axis=1), group)
        todo, block = todo[have[todo] < group], block + 1
    return out
