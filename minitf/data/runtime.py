"""What a dataset op's kernel returns: a dataset value, whose `iterate()` gives elements.

An element is a tuple of its components' NumPy values. A value is made when its dataset op
runs (an iterator's initializer, or a one-shot iterator's first use), with its inputs' values
bound; each `iterate()` starts a new pass (a repeat's next epoch).

`Shuffle` draws as TF's ShuffleDataset does: a Philox4x32-10 stream of uint32 samples keyed by
the op's (seed, seed2) picks the next element of the buffer (`sample % size`), moving the
buffer's first element into its place; with `reshuffle_each_iteration`, each pass takes its
seeds from a second stream of the same key, two samples a pass. The same seeds give TF's order.
"""
import itertools
import os

import numpy as np

from minitf.framework import errors
from minitf.ops.philox import blocks

_M64 = 2**64 - 1


class Dataset:
    """A dataset value: `iterate()` returns a Python iterator of element tuples."""

    def __init__(self, iterate):
        self.iterate = iterate


def slices(arrays):
    """The elements of from_tensor_slices: row i of every component."""
    n = len(arrays[0]) if arrays[0].ndim else 0
    for a in arrays[1:]:
        if a.ndim == 0 or len(a) != n:
            raise errors.InvalidArgumentError(
                None, None, "All components must have the same size in the 0th dimension")

    def iterate():  # (a[i, ...]: a 0-d array, a string's too, not a NumPy scalar)
        return (tuple(a[i, ...] for a in arrays) for i in range(n))
    ds = Dataset(iterate)
    ds.arrays = arrays  # (batch slices these directly)
    return ds


def batches_of(arrays, size, drop):
    ends = range(size, len(arrays[0]) + (1 if drop else size), size)
    return (tuple(a[e - size:e] for a in arrays) for e in ends if e - size < len(arrays[0]))


def batch(ds, size, drop):
    if size <= 0:
        raise errors.InvalidArgumentError(None, None, "Batch size must be greater than zero.")
    arrays = getattr(ds, "arrays", None)
    if arrays is not None:
        return Dataset(lambda: batches_of(arrays, size, drop))

    return Dataset(lambda: (stack(chunk) for chunk in _chunks(ds, size, drop)))


def _chunks(ds, size, drop):
    """One pass over `ds` in lists of `size` elements (a shorter last one unless `drop`)."""
    it = ds.iterate()
    while True:
        chunk = list(itertools.islice(it, size))
        if not chunk or (drop and len(chunk) < size):
            return
        yield chunk


def stack(chunk):
    out = []
    for k in range(len(chunk[0])):
        values = [e[k] for e in chunk]
        try:
            out.append(strings(np.stack(values)))
        except ValueError:  # (shapes differ: say which, as TF's)
            first = np.shape(values[0])
            other = next(np.shape(v) for v in values if np.shape(v) != first)
            raise errors.InvalidArgumentError(
                None, None, "Cannot add tensor to the batch: number of elements does not "
                            f"match. Shapes are: [tensor]: {_fmt(other)}, [batch]: "
                            f"{_fmt(first)}") from None
    return tuple(out)


def strings(arr):
    """`arr` with strings as minitf holds them: an object array of bytes."""
    if arr.dtype.kind == "S":
        return arr.astype(object)
    if arr.dtype.kind == "U":
        return np.vectorize(str.encode, otypes=[object])(arr) if arr.size else arr.astype(object)
    return arr


def _fmt(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def padded_batch(ds, size, drop, padded_shapes, padding_values):
    def pad(values, k):
        shape = [max(np.shape(v)[d] for v in values) if s is None or s < 0 else s
                 for d, s in enumerate(padded_shapes[k])]
        out = np.full([len(values)] + shape, padding_values[k], dtype=np.asarray(values[0]).dtype)
        for i, v in enumerate(values):
            v = np.asarray(v)
            if any(a > b for a, b in zip(v.shape, shape)):
                raise errors.InvalidArgumentError(
                    None, None, "Attempted to pad to a smaller size than the input element.")
            out[(i,) + tuple(slice(0, d) for d in v.shape)] = v
        return out

    return Dataset(lambda: (tuple(pad([e[k] for e in chunk], k) for k in range(len(chunk[0])))
                            for chunk in _chunks(ds, size, drop)))


def unbatch(ds):
    def iterate():
        for e in ds.iterate():
            n = {len(c) for c in e if np.ndim(c)}
            if len(n) > 1 or any(np.ndim(c) == 0 for c in e):
                raise errors.InvalidArgumentError(
                    None, None, "Input element must have a non-scalar value in each component "
                                "and all components must have the same size in the 0th dimension")
            yield from zip(*e)
    return Dataset(iterate)


def repeat(ds, count):
    def iterate():
        epoch = 0
        while count < 0 or epoch < count:
            empty = True
            for e in ds.iterate():
                empty = False
                yield e
            epoch += 1
            if empty:  # (TF: an empty input ends an endless repeat)
                return
    return Dataset(iterate)


def take(ds, count):
    return Dataset(lambda: ds.iterate() if count < 0 else itertools.islice(ds.iterate(), count))


def skip(ds, count):
    return Dataset(lambda: iter(()) if count < 0 else itertools.islice(ds.iterate(), count, None))


def shard(ds, num_shards, index):
    if num_shards <= 0 or not 0 <= index < num_shards:
        raise errors.InvalidArgumentError(
            None, None, f"Index must be between 0 and {num_shards - 1} (currently index = "
                        f"{index}).")
    return Dataset(lambda: itertools.islice(ds.iterate(), index, None, num_shards))


def zip_(datasets):
    def iterate():
        for parts in zip(*[d.iterate() for d in datasets]):
            yield tuple(c for p in parts for c in p)
    return Dataset(iterate)


def concatenate(a, b):
    return Dataset(lambda: itertools.chain(a.iterate(), b.iterate()))


def cache(ds):
    stored = []
    done = [False]

    def iterate():
        if done[0]:
            yield from stored
            return
        del stored[:]
        for e in ds.iterate():
            stored.append(e)
            yield e
        done[0] = True
    return Dataset(iterate)


def range_(start, stop, step):
    if step == 0:
        raise errors.InvalidArgumentError(None, None, "step must be a non-zero integer.")
    return Dataset(lambda: ((np.int64(i),) for i in range(int(start), int(stop), int(step))))


def mapped(ds, fn):
    return Dataset(lambda: (tuple(fn(e)) for e in ds.iterate()))


def filtered(ds, predicate):
    return Dataset(lambda: (e for e in ds.iterate() if bool(predicate(e)[0])))


def flat_mapped(ds, fn):
    return Dataset(lambda: (x for e in ds.iterate() for x in fn(e)[0].iterate()))


def interleaved(ds, fn, cycle, block):
    def iterate():
        inputs, active = ds.iterate(), []
        exhausted = False
        while True:
            while not exhausted and len(active) < cycle:
                e = next(inputs, None)
                if e is None:
                    exhausted = True
                else:
                    active.append(fn(e)[0].iterate())
            if not active:
                return
            for it in list(active):
                got = list(itertools.islice(it, block))
                yield from got
                if len(got) < block:
                    active.remove(it)
    return Dataset(iterate)


def generated(make, convert):
    def iterate():
        for value in make():
            yield convert(value)
    return Dataset(iterate)


# -- shuffle ---------------------------------------------------------------------------------------
def samples(seed, seed2):
    """TF's SingleSampleAdapter<PhiloxRandom>(seed, seed2): its uint32 samples, in order."""
    key, counter = seed & _M64, (seed2 & _M64) << 64
    for start in itertools.count(0, 64):
        for value in blocks(key, counter, np.arange(start, start + 64, dtype=np.uint64)).ravel():
            yield int(value)


def shuffle(ds, size, seed, seed2, reshuffle):
    if size <= 0:
        raise errors.InvalidArgumentError(None, None, "buffer_size must be greater than zero.")
    if seed == 0 and seed2 == 0:  # (TF: both zero means seeded at random)
        seed, seed2 = (int.from_bytes(os.urandom(8), "little") for _ in range(2))
    seeds = samples(seed, seed2) if reshuffle else None

    def iterate():
        pass_seeds = (next(seeds), next(seeds)) if reshuffle else (seed, seed2)
        return _shuffled(ds.iterate(), size, samples(*pass_seeds))
    return Dataset(iterate)


def _shuffled(it, size, rng):
    # TF's ring buffer: the live elements sit at [start, start + count) modulo `size`; a pick
    # takes the one `sample % count` past the start and moves the start's element into its slot
    ring, start, count = [None] * size, 0, 0
    for e in it:
        ring[(start + count) % size] = e
        count += 1
        if count == size:
            yield _pick(ring, start, count, rng)
            start, count = start + 1, count - 1
    while count:
        yield _pick(ring, start, count, rng)
        start, count = start + 1, count - 1


def _pick(ring, start, count, rng):
    first = start % len(ring)
    k = (start + next(rng) % count) % len(ring)
    out = ring[k]
    ring[k], ring[first] = ring[first], None
    return out
