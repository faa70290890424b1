"""TF's range samplers (tensorflow/core/kernels/range_sampler.cc) over a Philox word stream.

A candidate sampler's run reads uint32 words from its reserved Philox blocks in order, as TF's
SimplePhilox does: Rand64 is two words (low first), RandDouble two words, RandFloat one, and
Uniform(n) / Uniform64(n) reject the lowest (2**bits - 1) % n + 1 values and draw again. A
rejection is rare (about n / 2**32), so a batch of draws is read as whole arrays and only a
rejected draw is redone on its own. Written anew from TF's algorithms, for NumPy.
"""
import math

import numpy as np

from minitf.ops import _libm, philox

_INT32_MAX = 2**31 - 1


class Words:
    """The uint32 words of Philox blocks from counter `start` on (TF's SingleSampleAdapter)."""

    def __init__(self, key, start):
        self.key, self.start, self.pos = key, start, 0

    def peek(self, n):
        """The next `n` words, without consuming them."""
        first, last = self.pos // 4, -(-(self.pos + n) // 4)
        b = philox.blocks(self.key, self.start, np.arange(first, last, dtype=np.uint64))
        skip = self.pos - 4 * first
        return b.reshape(-1)[skip:skip + n]

    def take(self, n):
        out = self.peek(n)
        self.pos += n
        return out


def _combine(words, k):
    # k words of each row as one integer: uint32, or uint64 with the first word low (Rand64)
    if k == 0:
        return np.zeros(words.shape[0], np.uint64)
    if k == 1:
        return words[:, 0]
    return words[:, 0].astype(np.uint64) | (words[:, 1].astype(np.uint64) << np.uint64(32))


def _reject_below(n, bits):
    # ExactUniformInt: the values a draw of Uniform(n) rejects are those below this
    if n == 0 or n & (n - 1) == 0:
        return 0
    return (2**bits - 1) % n + 1


def draw(words, count, pre, k, rem):
    """`count` draws of `pre` plain words then a k-word integer redrawn while below `rem`.

    Returns (the plain words, an array (count, pre); the integers, an array (count,)).
    """
    pres, ints, width = [], [], pre + k
    while count:
        w = words.peek(count * width).reshape(count, width)
        x = _combine(w[:, pre:], k)
        bad = np.nonzero(x < rem)[0] if rem else ()
        j = bad[0] if len(bad) else count
        pres.append(w[:j, :pre])
        ints.append(x[:j])
        words.pos += j * width
        count -= j
        if len(bad):  # the rejected draw: its plain words stay, its integer is drawn again
            pres.append(words.take(pre).reshape(1, pre))
            x = _combine(words.take(k).reshape(1, k), k)
            while x[0] < rem:
                x = _combine(words.take(k).reshape(1, k), k)
            ints.append(x)
            count -= 1
    return np.concatenate(pres), np.concatenate(ints)


def uniform_ints(words, count, n, bits, pre=0):
    """`count` draws of TF's Uniform(n) (bits=32) or Uniform64(n) (bits=64), each after `pre`
    plain words: (the plain words, the int64 values)."""
    plain, x = draw(words, count, pre, bits // 32, _reject_below(n, bits))
    values = x % type(x[0])(n) if n and count else np.zeros(count, x.dtype)
    return plain, values.astype(np.int64)


def read_vocab(path):
    """The weights of a vocabulary file: the last comma-separated field of each line.

    Raises:
      OSError: the file cannot be read.
      ValueError: a weight is not a number (the message is the line).
    """
    with open(path) as f:
        lines = f.read().splitlines()
    weights = []
    for line in lines:  # (a file's lines, read once per op)
        try:
            weights.append(float(line.split(",")[-1]))
        except ValueError:
            raise ValueError(line) from None
    return weights


def sample_batch(sampler, words, num_sampled, unique):
    """TF's SampleBatchGetExpectedCount draws: (the classes, int64; the number of tries)."""
    if not unique:
        return sampler.draw(words, num_sampled), num_sampled
    drawn = np.zeros(0, np.int64)
    while True:  # draw until num_sampled distinct classes have appeared, in order of appearance
        drawn = np.concatenate([drawn, sampler.draw(words, max(num_sampled, drawn.size))])
        values, first = np.unique(drawn, return_index=True)
        if values.size >= num_sampled:
            first.sort()
            return drawn[first[:num_sampled]], int(first[num_sampled - 1]) + 1


def expected_count(p, batch_size, num_tries):
    """TF's ExpectedCountHelper, in float32: p * batch_size, or 1 - (1 - p)**num_tries for a
    unique batch that took more tries than classes."""
    p = np.asarray(p, np.float32)
    if num_tries == batch_size:
        return p * np.float32(batch_size)
    shape = p.shape
    return -_expm1f(np.float32(num_tries) * _log1pf(-p.reshape(-1))).reshape(shape)


class Uniform:
    """UniformSampler: every class with probability 1 / range."""

    def __init__(self, range_max):
        self.range = self.support = range_max

    def draw(self, words, count):
        return uniform_ints(words, count, self.range, 64)[1]

    def probability(self, values):
        return np.full(np.shape(values), 1.0 / self.range, np.float32)

    def update(self, values):
        pass


class LogUniform(Uniform):
    """LogUniformSampler: class k with probability log((k + 2) / (k + 1)) / log(range + 1)."""

    def __init__(self, range_max):
        super().__init__(range_max)
        self.log_range = math.log1p(range_max)

    def draw(self, words, count):
        u, _ = draw(words, count, 2, 0, 0)
        d = philox._unit_float64(u[:, 0], u[:, 1])
        return (_exp(d * self.log_range).astype(np.int64) - 1) % self.range

    def probability(self, values):
        v = np.asarray(values, np.float64)
        return (_libm.log((v + 2.0) / (v + 1.0)) / self.log_range).astype(np.float32)


def _exp(x):
    # the C library's exp (NumPy's SIMD one may round a last bit differently)
    return np.frompyfunc(math.exp, 1, 1)(x).astype(np.float64)


class Learned(Uniform):
    """UnigramSampler: counts start at 1 and grow by the true classes of each run; a class is
    drawn with probability count / total (TF's WeightedPicker)."""

    def __init__(self, range_max):
        super().__init__(range_max)
        self.counts = np.ones(range_max, np.int64)
        self.total = range_max

    def draw(self, words, count):
        position = uniform_ints(words, count, self.total, 32)[1]
        return np.searchsorted(np.cumsum(self.counts), position, side="right").astype(np.int64)

    def probability(self, values):
        return self.counts[values].astype(np.float32) / np.float32(self.total)

    def update(self, values):
        values = values[:max(0, min(values.size, _INT32_MAX - self.total))]
        np.add.at(self.counts, values, 1)
        self.total += values.size


class FixedUnigram(Uniform):
    """FixedUnigramSampler: given weights (after reserved ids of weight 0, raised to
    `distortion`, kept for one shard), drawn with Walker's alias method as TF's
    DistributionSampler draws: RandFloat, then Uniform(n) picks a bucket."""

    def __init__(self, range_max, unigrams, distortion, num_reserved_ids, num_shards, shard):
        super().__init__(range_max)
        reserved = np.arange(num_reserved_ids) % num_shards == shard
        ids = int(reserved.sum()) + np.arange(len(unigrams))  # (TF numbers them so)
        kept = np.asarray(unigrams, np.float32)[ids % num_shards == shard]
        # glibc's powf rounds pow computed in float64 (NumPy's float32 power may not)
        kept = np.power(kept.astype(np.float64), float(np.float32(distortion))).astype(np.float32)
        self.weights = np.concatenate([np.zeros(int(reserved.sum()), np.float32), kept])
        # TF sums in float32, one weight after another
        self.total = np.cumsum(kept, dtype=np.float32)[-1] if kept.size else np.float32(0)
        self.support = int((self.weights > 0).sum())
        self._table = None

    def draw(self, words, count):
        if self._table is None:
            self._table = _alias_table(self.weights)
        prob, alt = self._table
        plain, bucket = uniform_ints(words, count, self.weights.size, 32, pre=1)
        r = philox._unit_float32(plain[:, 0])
        return np.where(r < prob[bucket], bucket, alt[bucket]).astype(np.int64)

    def probability(self, values):
        return self.weights[values] / self.total


def _alias_table(weights):
    # TF's DistributionSampler constructor. Its stack order decides the table, so it runs as
    # TF's loop does, once per op (construction, not sampling)
    n = weights.size
    total = float(np.cumsum(weights.astype(np.float64))[-1])
    pr = ((weights * np.float32(n)).astype(np.float64) / total).tolist()
    alt = list(range(n))
    low = [i for i in range(n) if pr[i] < 1.0]
    high = [i for i in range(n) if pr[i] >= 1.0]
    while low and high:
        small, big = low.pop(), high.pop()
        alt[small] = big
        pr[big] = pr[big] - (1.0 - pr[small])
        (low if pr[big] < 1.0 else high).append(big)
    prob = np.array(pr, np.float32)
    left = np.array(low + high, np.int64)
    prob[left] = 1.0  # (their alt is themselves)
    return prob, np.array(alt, np.int64)


# -- float32 log1p and expm1 as glibc's (fdlibm's float versions, not correctly rounded) --------
# TF's expected counts call the C library's log1pf and expm1f; NumPy's own round differently in
# about one value in twenty. These follow fdlibm's algorithms and constants in float32 steps
# (agreeing with glibc 2.36's on 10**5 inputs of each domain here).
# fdlibm: Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved. Developed at SunPro,
# a Sun Microsystems, Inc. business. Permission to use, copy, modify, and distribute this
# software is freely granted, provided that this notice is preserved.
F = np.float32
_LN2_HI, _LN2_LO = F(6.9313812256e-01), F(9.0580006145e-06)
_LP = [F(v) for v in (6.6666668653e-01, 4.0000000596e-01, 2.8571429849e-01, 2.2222198546e-01,
                      1.8183572590e-01, 1.5313838422e-01, 1.4798198640e-01)]
_Q = [F(v) for v in (-3.3333335072e-02, 1.5873016091e-03, -7.9365076090e-05, 4.0082177293e-06,
                     -2.0109921195e-07)]


def _bits(x):
    return x.view(np.uint32).astype(np.int64)


def _float(bits):
    return np.asarray(bits, np.int64).astype(np.uint32).view(np.float32)


def _log1pf(x):
    """fdlibm's float log1p for x in [-1, 0] (all candidate samplers pass it)."""
    x = np.atleast_1d(np.asarray(x, np.float32))
    with np.errstate(all="ignore"):
        ax = _bits(x) & 0x7FFFFFFF
        big = ax > 0x3E95F61F                # x < -0.2929: u = 1 + x, split into k and f
        u = F(1) + x
        hu = _bits(u)
        k = (hu >> 23) - 127
        c = (x - (u - F(1))) / u
        hu = hu & 0x7FFFFF
        upper = hu >= 0x3504F7
        k = np.where(upper, k + 1, k)
        u = _float(np.where(upper, hu | 0x3F000000, hu | 0x3F800000))
        hu = np.where(upper, (0x800000 - hu) >> 2, hu)
        f = np.where(big, u - F(1), x)
        k = np.where(big, k, 0)
        c = np.where(big, c, F(0))
        hu = np.where(big, hu, 1)
        kf = k.astype(np.float32)
        hfsq = F(0.5) * f * f
        s = f / (F(2) + f)
        z = s * s
        r = _LP[6]
        for lp in _LP[5::-1]:
            r = lp + z * r
        r = z * r
        out = np.where(k == 0, f - (hfsq - s * (hfsq + r)),
                       kf * _LN2_HI - ((hfsq - (s * (hfsq + r) + (kf * _LN2_LO + c))) - f))
        # |f| < 2**-20 after the split
        r0 = hfsq * (F(1) - F(0.66666666666666666) * f)
        tiny_f = kf * _LN2_HI - ((r0 - (kf * _LN2_LO + c)) - f)
        tiny_f = np.where(f == 0, kf * _LN2_HI + (c + kf * _LN2_LO), tiny_f)
        out = np.where(big & (hu == 0), tiny_f, out)
        out = np.where(ax < 0x31000000, x - x * x * F(0.5), out)
        out = np.where(ax < 0x24800000, x, out)
        out = np.where(x == F(-1), F(-np.inf), out)
    return out.astype(np.float32)


def _expm1f(x):
    """fdlibm's float expm1 for x <= 0 (all candidate samplers pass it)."""
    x = np.atleast_1d(np.asarray(x, np.float32))
    with np.errstate(all="ignore"):
        hx = _bits(x) & 0x7FFFFFFF
        near = hx < 0x3F851592                         # |x| < 1.5 ln2: k = -1
        k = np.where(near, -1, (F(1.4426950216e+00) * x - F(0.5)).astype(np.int64))
        t = k.astype(np.float32)
        hi = np.where(near, x + _LN2_HI, x - t * _LN2_HI)
        lo = np.where(near, -_LN2_LO, t * _LN2_LO)
        reduce = hx > 0x3EB17218
        xr = np.where(reduce, hi - lo, x)
        c = np.where(reduce, (hi - xr) - lo, F(0))
        k = np.where(reduce, k, 0)
        hfx = F(0.5) * xr
        hxs = xr * hfx
        r1 = _Q[4]
        for q in _Q[3::-1]:
            r1 = q + hxs * r1
        r1 = F(1) + hxs * r1
        t = F(3) - r1 * hfx
        e = hxs * ((r1 - t) / (F(6) - xr * t))
        out0 = xr - (xr * e - hxs)
        e = (xr * (e - c) - c) - hxs
        out_m1 = F(0.5) * (xr - e) - F(0.5)
        y = F(1) - (e - xr)
        out_k = _float(_bits(y) + (k << 23)) - F(1)
        out = np.where(k == 0, out0, np.where(k == -1, out_m1, out_k))
        out = np.where(hx < 0x33000000, x, out)
        out = np.where(hx >= 0x4195B844, F(-1), out)
    return out.astype(np.float32)
