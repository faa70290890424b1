"""Candidate samplers (tf.nn / tf.random.*_candidate_sampler) and compute_accidental_hits.

Each sampler is one stateful op with TF's op type. A run reserves 512 Philox blocks per sampled
candidate (TF's ReserveSamples32(2048 * num_sampled)) and reads their uint32 words in order, as
TF's SimplePhilox does; each distribution turns words into classes as TF's range samplers do
(tensorflow/core/kernels/range_sampler.cc), so seeded draws are TensorFlow's own. With
`unique=True` classes are drawn until `num_sampled` distinct ones appear, and the expected
counts become 1 - (1 - p)**num_tries, num_tries being the draws that took (TF's approximation).
"""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.errors import InvalidArgumentError, NotFoundError
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op
from minitf.ops import _range_samplers as samplers
from minitf.ops._shared import fmt
from minitf.ops.random_more_ops import reserve_blocks, seeded_apply, stream_of

__all__ = ["uniform_candidate_sampler", "log_uniform_candidate_sampler",
           "learned_unigram_candidate_sampler", "fixed_unigram_candidate_sampler",
           "all_candidate_sampler", "compute_accidental_hits"]

_INT32_MAX = 2**31 - 1
_MINIMUMS = {"num_true": 1, "num_sampled": 1, "range_max": 1, "num_reserved_ids": 0,
             "num_shards": 1, "shard": 0}  # (the op definitions' attr bounds)


# -- shape and dtype rules -------------------------------------------------------------------------
def _sampler_shape(type):
    def rule(true_classes, *, num_true, num_sampled, **attrs):
        shape = true_classes._shape
        if shape is not None and len(shape) != 2:
            raise ValueError(f"Shape must be rank 2 but is rank {len(shape)} for '{type}' with "
                             f"input shapes: {fmt(shape)}.")
        batch = None if shape is None else shape[0]
        return [(num_sampled,), (batch, num_true), (num_sampled,)]
    return rule


def _sampler_dtypes(*inputs, **attrs):
    return [dtypes.int64, dtypes.float32, dtypes.float32]


def _register(type):
    return register_op(type, shape=_sampler_shape(type), dtype=_sampler_dtypes, outputs="n",
                       differentiable=False, stateful=True)


# -- the kernels -----------------------------------------------------------------------------------
def _run(state, op, true_classes, sampler, num_true, num_sampled, unique):
    # one run of any sampler: TF's BaseCandidateSamplerOp::Compute
    batch = _check_true_classes(op, true_classes, num_true)
    # (TF checks the range only, and loops for ever when too few classes have weight > 0)
    if unique and num_sampled > sampler.support:
        raise InvalidArgumentError(None, op, "Sampler's range is too small.")
    true_flat = true_classes.reshape(-1)
    bad = (true_flat < 0) | (true_flat >= sampler.range)
    if bad.any():
        raise InvalidArgumentError(None, op, f"`true_candidate` out of range [0, {sampler.range}"
                                   f"), received {true_flat[bad][0]}")
    stream = stream_of(state, op)
    words = samplers.Words(stream.key, reserve_blocks(stream, 512 * num_sampled))
    sampled, tries = samplers.sample_batch(sampler, words, num_sampled, unique)
    true_count = samplers.expected_count(sampler.probability(true_flat), num_sampled, tries)
    sampled_count = samplers.expected_count(sampler.probability(sampled), num_sampled, tries)
    sampler.update(true_flat)
    return [sampled, true_count.reshape(batch, num_true), sampled_count]


def _check_true_classes(op, true_classes, num_true):
    if true_classes.ndim != 2:
        raise InvalidArgumentError(None, op, "true_classes must be a matrix")
    if true_classes.shape[1] != num_true:
        raise InvalidArgumentError(None, op, "true_classes must have num_true columns, expected: "
                                   f"{true_classes.shape[1]} was: {num_true}")
    return true_classes.shape[0]


def _sampler_of(state, op, build):
    # the op's range sampler lives beside its stream (a learned one updates its counts run by
    # run); an eager op's is kept by its attrs, as its stream is
    key = ("RangeSampler", op)
    if op._graph._eager:
        key = ("RangeSampler", op._opdef.type, tuple(sorted(
            (k, str(v)) for k, v in op._attrs.items())))
    sampler = state.get(key)
    if sampler is None:
        sampler = state[key] = build()
    return sampler


def _range_max(op, range_max, unigram=False):
    if range_max <= 0:
        raise InvalidArgumentError(None, op, "range_max must be positive")
    if unigram and range_max >= _INT32_MAX:
        raise InvalidArgumentError(None, op, f"range_max must be less than {_INT32_MAX} for "
                                   f"unigram samplers, got {range_max}")
    return range_max


@_register("UniformCandidateSampler")
def _uniform(state, op, true_classes, *, num_true, num_sampled, unique, range_max, seed, seed2):
    sampler = _sampler_of(state, op, lambda: samplers.Uniform(_range_max(op, range_max)))
    return _run(state, op, true_classes, sampler, num_true, num_sampled, unique)


@_register("LogUniformCandidateSampler")
def _log_uniform(state, op, true_classes, *, num_true, num_sampled, unique, range_max, seed,
                 seed2):
    sampler = _sampler_of(state, op, lambda: samplers.LogUniform(_range_max(op, range_max)))
    return _run(state, op, true_classes, sampler, num_true, num_sampled, unique)


@_register("LearnedUnigramCandidateSampler")
def _learned_unigram(state, op, true_classes, *, num_true, num_sampled, unique, range_max, seed,
                     seed2):
    sampler = _sampler_of(state, op, lambda: samplers.Learned(_range_max(op, range_max, True)))
    return _run(state, op, true_classes, sampler, num_true, num_sampled, unique)


@_register("FixedUnigramCandidateSampler")
def _fixed_unigram(state, op, true_classes, *, num_true, num_sampled, unique, range_max,
                   vocab_file, distortion, num_reserved_ids, num_shards, shard, unigrams, seed,
                   seed2):
    def build():
        if not vocab_file and not unigrams:
            raise InvalidArgumentError(None, op, "Must provide either vocab_file or unigrams.")
        if vocab_file and unigrams:
            raise InvalidArgumentError(None, op,
                                       "Must only provide one of vocab_file and unigrams.")
        weights = _read_vocab(op, vocab_file) if vocab_file else unigrams
        sampler = samplers.FixedUnigram(range_max, weights, distortion, num_reserved_ids,
                                        num_shards, shard)
        if sampler.range != sampler.weights.size:
            raise InvalidArgumentError(None, op, f"range is {range_max} must be equal to weights"
                                       f" size  {sampler.weights.size}")
        return sampler
    sampler = _sampler_of(state, op, build)
    return _run(state, op, true_classes, sampler, num_true, num_sampled, unique)


def _read_vocab(op, path):
    try:
        return samplers.read_vocab(path)
    except OSError as exc:
        raise NotFoundError(None, op, f"{path}; {exc.strerror}") from None
    except ValueError as exc:
        raise InvalidArgumentError(None, op, f"Wrong vocabulary format at line: {exc}") from None


@_register("AllCandidateSampler")
def _all(state, op, true_classes, *, num_true, num_sampled, unique, seed, seed2):
    batch = _check_true_classes(op, true_classes, num_true)
    return [np.arange(num_sampled, dtype=np.int64), np.ones((batch, num_true), np.float32),
            np.ones(num_sampled, np.float32)]


def _hits_shape(true_classes, sampled_candidates, *, num_true, **attrs):
    shapes = f"{fmt(true_classes._shape)}, {fmt(sampled_candidates._shape)}"
    for t, rank in ((true_classes, 2), (sampled_candidates, 1)):
        if t._shape is not None and len(t._shape) != rank:
            raise ValueError(f"Shape must be rank {rank} but is rank {len(t._shape)} for "
                             f"'ComputeAccidentalHits' with input shapes: {shapes}.")
    columns = None if true_classes._shape is None else true_classes._shape[1]
    if columns not in (None, num_true):
        raise ValueError(f"Dimension must be {num_true} but is {columns} for "
                         f"'ComputeAccidentalHits' with input shapes: {shapes}.")
    return [(None,)] * 3


@register_op("ComputeAccidentalHits", shape=_hits_shape, outputs="n", differentiable=False,
             dtype=lambda *inputs, **attrs: [dtypes.int32, dtypes.int64, dtypes.float32])
def _accidental_hits(true_classes, sampled_candidates, *, num_true, seed, seed2):
    if true_classes.ndim != 2 or true_classes.shape[1] != num_true:
        raise InvalidArgumentError(None, None,
                                   "true_candidates must be a batch_size * num_true matrix")
    if sampled_candidates.ndim != 1:
        raise InvalidArgumentError(None, None, "sampled_candidates must be a vector, which is "
                                   "typically an output from CandidateSampler")
    # a repeated sampled class maps to its last position, as TF's hash map keeps it
    order = np.argsort(sampled_candidates, kind="stable")
    keys = sampled_candidates[order]
    last = np.r_[keys[1:] != keys[:-1], True] if keys.size else np.zeros(0, bool)
    keys, pos = keys[last], order[last]
    flat = true_classes.reshape(-1)
    at = np.minimum(np.searchsorted(keys, flat), max(keys.size - 1, 0))
    hit = keys[at] == flat if keys.size else np.zeros(flat.shape, bool)
    rows = np.nonzero(hit)[0]
    return [(rows // max(num_true, 1)).astype(np.int32), pos[at[rows]].astype(np.int64),
            np.full(rows.size, -np.finfo(np.float32).max, np.float32)]


# -- the public functions --------------------------------------------------------------------------
def _sample(opdef, true_classes, seed, name, **attrs):
    for attr, least in _MINIMUMS.items():
        if attr in attrs and attrs[attr] < least:
            raise ValueError(f"Attr '{attr}' of '{opdef.type}' Op passed {attrs[attr]} less "
                             f"than minimum {least}.")
    true_classes = _int64(true_classes, "true_classes", opdef.type)
    return tuple(seeded_apply(opdef, [true_classes], seed, name or opdef.type, **attrs))


def _int64(value, arg, op_type):
    # an int64 input, as TF's op wrappers check it
    if isinstance(value, Tensor):
        if value.dtype.base_dtype != dtypes.int64:
            raise TypeError(f"Input '{arg}' of '{op_type}' Op has type {value.dtype.name} that "
                            "does not match expected type of int64.")
        return value
    try:
        return convert_to_tensor(value, dtype=dtypes.int64, name=arg)
    except (TypeError, ValueError):
        raise TypeError(f"Expected int64 passed to parameter '{arg}' of op '{op_type}', got "
                        f"{value!r} of type '{type(value).__name__}' instead.") from None


def _ints(**attrs):
    return {k: int(v) for k, v in attrs.items()}


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None,
                              name=None):
    """Samples a set of classes using a uniform base distribution.

    Each class in [0, range_max) is drawn with probability 1 / range_max; with `unique` the
    `num_sampled` classes are distinct (sampling without replacement by rejection).

    Args:
      true_classes: an int64 Tensor of shape [batch_size, num_true]: the target classes.
      num_true: an int, the number of target classes per example.
      num_sampled: an int, the number of classes to sample.
      unique: a bool: whether the sampled classes are all distinct.
      range_max: an int, the number of possible classes.
      seed: an int, the op seed (see `tf.set_random_seed`).
      name: a name for the operation (default "UniformCandidateSampler").

    Returns:
      (sampled_candidates, true_expected_count, sampled_expected_count): int64 of shape
      [num_sampled], float32 of the shape of `true_classes`, and float32 of shape
      [num_sampled]: the classes and their expected counts in a sample.

    Raises:
      ValueError: `true_classes` is not a matrix.
      minitf.errors.InvalidArgumentError: at run time, a true class outside [0, range_max),
        or `unique` with num_sampled > range_max.
    """
    return _sample(_uniform, true_classes, seed, name, unique=bool(unique),
                   **_ints(num_true=num_true, num_sampled=num_sampled, range_max=range_max))


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                  seed=None, name=None):
    """Samples a set of classes using a log-uniform (Zipfian) base distribution.

    Class k is drawn with probability log((k + 2) / (k + 1)) / log(range_max + 1): suited to
    classes sorted by decreasing frequency. Arguments and results as in
    `uniform_candidate_sampler` (default name "LogUniformCandidateSampler").

    Args:
      true_classes: an int64 Tensor of shape [batch_size, num_true].
      num_true: an int, the number of target classes per example.
      num_sampled: an int, the number of classes to sample.
      unique: a bool: whether the sampled classes are all distinct.
      range_max: an int, the number of possible classes.
      seed: an int, the op seed.
      name: a name for the operation.

    Returns:
      (sampled_candidates, true_expected_count, sampled_expected_count).

    Raises:
      ValueError: `true_classes` is not a matrix.
      minitf.errors.InvalidArgumentError: at run time, as `uniform_candidate_sampler`.

    >>> s, t, c = tf.nn.log_uniform_candidate_sampler([[0, 3]], 2, 4, True, 10, seed=7)
    >>> with tf.Session() as sess:
    ...     print(sess.run(s).tolist())
    [7, 0, 2, 6]
    """
    return _sample(_log_uniform, true_classes, seed, name, unique=bool(unique),
                   **_ints(num_true=num_true, num_sampled=num_sampled, range_max=range_max))


def learned_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                      seed=None, name=None):
    """Samples a set of classes from a distribution learned during training.

    Every class starts with count 1; after each run the op adds 1 to the count of each of
    that run's true classes (the counts are the op's, per Session), and class k is drawn
    with probability count[k] / sum(count).

    Args:
      true_classes: an int64 Tensor of shape [batch_size, num_true].
      num_true: an int, the number of target classes per example.
      num_sampled: an int, the number of classes to sample.
      unique: a bool: whether the sampled classes are all distinct.
      range_max: an int, the number of possible classes (below 2**31 - 1).
      seed: an int, the op seed.
      name: a name for the operation (default "LearnedUnigramCandidateSampler").

    Returns:
      (sampled_candidates, true_expected_count, sampled_expected_count).

    Raises:
      ValueError: `range_max` is 2**31 or more, or `true_classes` is not a matrix.
      minitf.errors.InvalidArgumentError: at run time, as `uniform_candidate_sampler`.
    """
    if range_max > _INT32_MAX:
        raise ValueError(f"Value of range_max:{range_max} is too large to handle")
    return _sample(_learned_unigram, true_classes, seed, name, unique=bool(unique),
                   **_ints(num_true=num_true, num_sampled=num_sampled, range_max=range_max))


def fixed_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                    vocab_file="", distortion=1.0, num_reserved_ids=0,
                                    num_shards=1, shard=0, unigrams=(), seed=None, name=None):
    """Samples a set of classes using a fixed (given) unigram distribution.

    The weights come from `unigrams` or from `vocab_file` (a CSV-like file whose lines end in
    a weight), after `num_reserved_ids` classes of weight 0; each is raised to `distortion`.
    With `num_shards` > 1 only the ids with id % num_shards == shard are kept (TF numbers the
    kept file or list entries after this shard's reserved ids).

    Args:
      true_classes: an int64 Tensor of shape [batch_size, num_true].
      num_true: an int, the number of target classes per example.
      num_sampled: an int, the number of classes to sample.
      unique: a bool: whether the sampled classes are all distinct.
      range_max: an int: the number of classes, equal to the number of weights kept.
      vocab_file: the path of the weights file ("" to use `unigrams`).
      distortion: a float power applied to every weight (0 gives a uniform distribution).
      num_reserved_ids: an int: the leading ids of weight 0.
      num_shards: an int: the number of shards the ids are split into.
      shard: an int: the shard this sampler draws from.
      unigrams: a list of weights (counts or probabilities), one per id.
      seed: an int, the op seed.
      name: a name for the operation (default "FixedUnigramCandidateSampler").

    Returns:
      (sampled_candidates, true_expected_count, sampled_expected_count).

    Raises:
      ValueError: `true_classes` is not a matrix.
      minitf.errors.InvalidArgumentError: at run time, neither or both of `vocab_file` and
        `unigrams`, a weight count other than `range_max`, or as `uniform_candidate_sampler`.
    """
    return _sample(_fixed_unigram, true_classes, seed, name, unique=bool(unique),
                   vocab_file=str(vocab_file), distortion=float(distortion),
                   unigrams=[float(u) for u in unigrams],
                   **_ints(num_true=num_true, num_sampled=num_sampled, range_max=range_max,
                           num_reserved_ids=num_reserved_ids, num_shards=num_shards,
                           shard=shard))


def all_candidate_sampler(true_classes, num_true, num_sampled, unique, seed=None, name=None):
    """Returns every class in [0, num_sampled), each with expected count 1.

    Args:
      true_classes: an int64 Tensor of shape [batch_size, num_true].
      num_true: an int, the number of target classes per example.
      num_sampled: an int: the number of classes.
      unique: a bool (ignored: the classes are always distinct).
      seed: an int, the op seed (ignored).
      name: a name for the operation (default "AllCandidateSampler").

    Returns:
      (sampled_candidates, true_expected_count, sampled_expected_count).

    Raises:
      ValueError: `true_classes` is not a matrix.
    """
    return _sample(_all, true_classes, seed, name, unique=bool(unique),
                   **_ints(num_true=num_true, num_sampled=num_sampled))


def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None, name=None):
    """Finds the sampled candidates that equal one of their example's true classes.

    Args:
      true_classes: an int64 Tensor of shape [batch_size, num_true].
      sampled_candidates: an int64 vector, a sampler's `sampled_candidates`.
      num_true: an int, the number of target classes per example.
      seed: an int, the op seed (unused, as in TF).
      name: a name for the operation (default "ComputeAccidentalHits").

    Returns:
      (indices, ids, weights): int32 example indices, int64 positions in
      `sampled_candidates` (the last one, for a repeated class), and float32 weights, all
      -FLT_MAX (to add to those logits).

    Raises:
      ValueError: the inputs are not a matrix and a vector.
      minitf.errors.InvalidArgumentError: at run time, `true_classes` has not `num_true`
        columns.

    >>> hits = tf.nn.compute_accidental_hits([[1, 5], [3, 7]], [5, 1, 3, 9], 2)
    >>> with tf.Session() as sess:
    ...     print([h.tolist() for h in sess.run(hits[:2])])
    [[0, 0, 1], [1, 0, 2]]
    """
    true_classes = _int64(true_classes, "true_classes", "ComputeAccidentalHits")
    sampled_candidates = _int64(sampled_candidates, "sampled_candidates",
                                "ComputeAccidentalHits")
    return tuple(seeded_apply(_accidental_hits, [true_classes, sampled_candidates], seed,
                              name or "ComputeAccidentalHits", num_true=int(num_true)))
