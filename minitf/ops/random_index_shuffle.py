"""tf.random.experimental.index_shuffle (RandomIndexShuffle): the position of an index in a
seeded pseudorandom permutation, computed without the permutation.

TF's kernel encrypts the index with a Simon block cipher (a key schedule from the 3-number
seed, 4 rounds) over the smallest even number of bits (at least 16) that holds max_index, and
encrypts again until the result is at most max_index ("cycle walking"). Written anew here,
vectorised over the indices; the values are TF's.
"""
import numpy as np

from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.errors import InvalidArgumentError
from minitf.framework.registry import register_op
from minitf.ops._shared import fmt
from minitf.ops.manip_ops import pad

__all__ = ["index_shuffle", "random_index_shuffle"]


# -- RandomIndexShuffle ----------------------------------------------------------------------------
_SEED_PAD = 498247692  # TF's index_shuffle pads the 2-number seed to 3 with it
_SIMON_C, _SIMON_Z = 0xFFFFFFFC, 0x7369F885192C0EF5


def _index_shuffle_shape(index, seed, max_index, **attrs):
    s = seed._shape
    if s is not None and (len(s) not in (1, 2) or s[-1] not in (3, None)):
        raise ValueError(f"Seed must have shape [3] or [n, 3] but got {fmt(seed._shape)}. for "
                         f"'RandomIndexShuffle' with input shapes: {fmt(index._shape)}, "
                         f"{fmt(seed._shape)}, {fmt(max_index._shape)}.")
    ranks = [None if t._shape is None else len(t._shape) for t in (index, seed, max_index)]
    if ranks == [0, 1, 0]:
        return ()
    sizes = [t._shape[0] for t, r in zip((index, seed, max_index), ranks) if r and t._shape[0]]
    return (sizes[0] if sizes else None,)


@register_op("RandomIndexShuffle", shape=_index_shuffle_shape, differentiable=False)
def _random_index_shuffle(index, seed, max_index, *, rounds):
    n = max(index.size, max_index.size, seed.size // 3)
    if index.ndim > 1 or (index.ndim == 1 and index.size != n):
        raise InvalidArgumentError(None, None, "Index bust be a scalar or vector.")
    if seed.shape not in ((3,), (n, 3)):
        raise InvalidArgumentError(None, None, f"Seed must be a vector of size [3] or a matrix "
                                   f"of size [{n}, 3] but got {list(seed.shape)}.")
    if max_index.ndim > 1 or (max_index.ndim == 1 and max_index.size != n):
        raise InvalidArgumentError(None, None, "Maxval must be a scalar or a vector of the same "
                                   f"size as index but got {list(max_index.shape)}")
    keys = np.broadcast_to(seed.astype(np.int64).reshape(-1, 3) & 0xFFFFFFFF, (n, 3))
    value = np.broadcast_to(index.astype(np.uint64), (n,)).copy()
    top = np.broadcast_to(max_index.astype(np.uint64), (n,))
    with np.errstate(divide="ignore"):
        bits = np.ceil(np.log2(top.astype(np.float64))).astype(np.int64)
    block = np.maximum(np.where(top == 0, 16, bits + bits % 2), 16)
    out = np.zeros(n, np.uint64)
    for size in np.unique(block[top > 0]).tolist():
        rows = np.nonzero((block == size) & (top > 0))[0]
        if size == 16:  # a small max_index may need thousands of steps: walk a table
            out[rows] = _walk_table(value[rows], keys[rows], top[rows], rounds)
            continue
        round_keys = _simon_keys(keys[rows].astype(np.uint64), size // 2, rounds)
        new, todo = value[rows], np.arange(rows.size)
        while todo.size:  # cycle walking: encrypt again until inside [0, max_index]
            new[todo] = _simon(new[todo], round_keys[todo], size // 2)
            todo = todo[new[todo] > top[rows[todo]]]
        out[rows] = new
    out = out.astype(index.dtype)
    return out.reshape(index.shape) if index.ndim == 0 and seed.ndim == 1 and \
        max_index.ndim == 0 else out


def _walk_table(value, keys, top, rounds):
    # 16-bit blocks: encrypt the whole domain once per (key, max_index), then find each
    # value's first image inside [0, max_index] by pointer jumping (log steps, not cycle length)
    out = np.empty(value.size, np.uint64)
    groups = np.concatenate([keys, top[:, None].astype(np.int64)], axis=1)
    unique, which = np.unique(groups, axis=0, return_inverse=True)
    domain = np.arange(1 << 16, dtype=np.uint64)
    for g, (k0, k1, k2, m) in enumerate(unique.tolist()):
        key = np.broadcast_to(np.array([[k0, k1, k2]], np.uint64), (1, 3))
        round_keys = np.broadcast_to(_simon_keys(key, 8, rounds), (domain.size, rounds))
        image = _simon(domain, round_keys, 8)
        done = image <= np.uint64(m)
        for _ in range(17):  # 2**16 steps at most; cycles with no value inside never finish
            if done.all():
                break
            image[~done] = image[image[~done]]
            done = image <= np.uint64(m)
        rows = np.nonzero(which.reshape(-1) == g)[0]
        out[rows] = image[value[rows] & np.uint64(0xFFFF)]
    return out


def _rotl(x, r, w):
    mask = np.uint64((1 << w) - 1)
    return ((x << np.uint64(r)) | (x >> np.uint64(w - r))) & mask


def _simon_keys(key, w, rounds):
    # the Simon cipher's key schedule on w-bit words (TF's fixed 3-word key)
    mask = (1 << w) - 1
    c, z = np.uint64(_SIMON_C & mask), _SIMON_Z & mask
    keys = [key[:, 0] & np.uint64(mask), key[:, 1] & np.uint64(mask), key[:, 2] & np.uint64(mask)]
    for i in range(3, rounds):
        last = keys[i - 1]
        keys.append(c ^ np.uint64(z & 1) ^ keys[i - 3] ^ _rotl(last, w - 3, w)
                    ^ _rotl(last, w - 4, w))
        z >>= 1
    return np.stack(keys, axis=1)


def _simon(value, keys, w):
    mask = np.uint64((1 << w) - 1)
    left, right = (value >> np.uint64(w)) & mask, value & mask

    def f(x):
        return (_rotl(x, 1, w) & _rotl(x, 8, w)) ^ _rotl(x, 2, w)

    for i in range(0, keys.shape[1] - 1, 2):
        left = left ^ f(right) ^ keys[:, i]
        right = right ^ f(left) ^ keys[:, i + 1]
    return (left << np.uint64(w)) | right


def index_shuffle(index, seed, max_index):
    """The position of `index` in a pseudorandom permutation of `[0, ..., max_index]`.

    Stateless: the permutation depends only on `seed` (and `max_index`), as TF's (a Simon
    block cipher with cycle walking), so the indices of a whole range are a permutation.

    Args:
      index: an integer scalar or vector with values in `[0, max_index]`.
      seed: a `[2]` or `[n, 2]` int32, uint32, int64 or uint64 tensor.
      max_index: the inclusive upper bound, a scalar or vector of `index`'s dtype.

    Returns:
      A Tensor of `index`'s dtype: a scalar if all inputs were, else a vector.

    >>> p = tf.random.experimental.index_shuffle(tf.range(4), [5, 9], 3)
    >>> with tf.Session() as sess:
    ...     sorted(sess.run(p).tolist())
    [0, 1, 2, 3]
    """
    seed = convert_to_tensor(seed)
    rank = seed._shape and len(seed._shape)
    seed = pad(seed, [[1, 0]] + [[0, 0]] * ((rank or 1) - 1), constant_values=_SEED_PAD)
    index = convert_to_tensor(index)
    max_index = convert_to_tensor(max_index, dtype=index.dtype)
    return _random_index_shuffle.apply([index, seed, max_index], name="RandomIndexShuffle",
                                       rounds=4)


def random_index_shuffle(index, seed, max_index, rounds=4, name=None):
    """Returns the position of `index` in a pseudorandom permutation of `[0, max_index]`.

    TF's raw `RandomIndexShuffle` op (`tf.random.experimental.index_shuffle` pads the seed to
    3 words first).

    Args:
      index: an integer scalar or vector with values in `[0, max_index]`.
      seed: a `[3]` (or `[n, 3]`) integer tensor: the cipher's key.
      max_index: the inclusive upper bound, of `index`'s dtype.
      rounds: the cipher's rounds (default 4).
      name: a name for the operation (default "RandomIndexShuffle").

    Returns:
      A Tensor of `index`'s dtype.

    Raises:
      TypeError: `max_index`'s dtype is not `index`'s.
    """
    index, max_index = convert_to_tensor(index), convert_to_tensor(max_index)
    if max_index.dtype.base_dtype != index.dtype.base_dtype:
        raise TypeError(f"Input 'max_index' of 'RandomIndexShuffle' Op has type "
                        f"{max_index.dtype.base_dtype.name} that does not match type "
                        f"{index.dtype.base_dtype.name} of argument 'index'.")
    return _random_index_shuffle.apply([index, convert_to_tensor(seed), max_index],
                                       name=name or "RandomIndexShuffle", rounds=rounds)
