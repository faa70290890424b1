"""`tf.contrib.seq2seq`'s attention mechanisms (TF 1.15): `BahdanauAttention` (additive) and
`LuongAttention` (multiplicative), which score a query against the memory's keys and turn the
scores into alignments, plus `hardmax`, `safe_cumprod` and `monotonic_attention`.

A mechanism projects the memory at construction (`memory_layer/kernel` in the caller's
scope); its call opens `variable_scope(None, "bahdanau_attention")` (or "luong_attention"),
so under an `AttentionWrapper` the score's variables are
`decoder/attention_wrapper/bahdanau_attention/attention_v` and the query projection
`.../bahdanau_attention/query_layer/kernel`.
"""
import math

import numpy as np

import minitf as tf
from minitf.layers.core import Dense
from minitf.rnn_cell import _zeros

__all__ = ["AttentionMechanism", "BahdanauAttention", "LuongAttention", "hardmax",
           "safe_cumprod", "monotonic_attention"]


class AttentionMechanism:
    """The base class of attention mechanisms (what `AttentionWrapper` accepts)."""


def _static_or_dynamic(x, axis):
    dim = x.shape.as_list()[axis]
    return dim if dim is not None else tf.shape(x)[axis]


def _prepare_memory(memory, memory_sequence_length, check_inner_dims_defined):
    memory = tf.nest.map_structure(lambda m: tf.convert_to_tensor(m, name="memory"), memory)
    if check_inner_dims_defined:
        for m in tf.nest.flatten(memory):
            if not m.shape[2:].is_fully_defined():
                raise ValueError(f"Expected memory {m.name} to have fully defined inner dims, "
                                 f"but saw shape: {m.shape}")
    if memory_sequence_length is None:
        return memory
    lengths = tf.convert_to_tensor(memory_sequence_length, name="memory_sequence_length")

    def mask(m):
        seq_mask = tf.sequence_mask(lengths, maxlen=tf.shape(m)[1], dtype=m.dtype)
        extra = [1] * (m.shape.ndims - 2)
        return m * tf.reshape(seq_mask, tf.concat([tf.shape(seq_mask), extra], 0)) \
            if extra else m * seq_mask
    return tf.nest.map_structure(mask, memory)


def _maybe_mask_score(score, memory_sequence_length, score_mask_value):
    if memory_sequence_length is None:
        return score
    score_mask = tf.sequence_mask(memory_sequence_length, maxlen=tf.shape(score)[1])
    return tf.where(score_mask, score, score_mask_value * tf.ones_like(score))


class _BaseAttentionMechanism(AttentionMechanism):
    """What both mechanisms share: the masked memory (`values`), its projection (`keys`),
    the masked probability function and the alignments' size."""

    def __init__(self, query_layer, memory, probability_fn, memory_sequence_length=None,
                 memory_layer=None, check_inner_dims_defined=True, score_mask_value=None,
                 name=None):
        self._query_layer, self._memory_layer = query_layer, memory_layer
        self.dtype = memory_layer.dtype if memory_layer is not None else None
        if not callable(probability_fn):
            raise TypeError(f"probability_fn must be callable, saw type: "
                            f"{type(probability_fn).__name__}")
        with tf.name_scope(name, "BaseAttentionMechanismInit", tf.nest.flatten(memory)):
            self._values = _prepare_memory(memory, memory_sequence_length,
                                           check_inner_dims_defined)
            self._keys = memory_layer(self._values) if memory_layer else self._values
            lengths = memory_sequence_length
            if score_mask_value is None:
                score_mask_value = float("-inf")
            self._probability_fn = lambda score, prev: probability_fn(
                _maybe_mask_score(score, lengths, score_mask_value), prev)
            self._batch_size = _static_or_dynamic(self._keys, 0)
            self._alignments_size = _static_or_dynamic(self._keys, 1)

    memory_layer = property(lambda self: self._memory_layer, doc="The memory projection.")
    query_layer = property(lambda self: self._query_layer, doc="The query projection.")
    values = property(lambda self: self._values, doc="The (masked) memory.")
    keys = property(lambda self: self._keys, doc="The projected memory.")
    batch_size = property(lambda self: self._batch_size, doc="The memory's batch size.")
    alignments_size = property(lambda self: self._alignments_size,
                               doc="The memory's time length.")
    state_size = property(lambda self: self._alignments_size, doc="The alignments' size.")

    def initial_alignments(self, batch_size, dtype):
        """Returns zeros `[batch_size, alignments_size]`: no attention yet.

        Args:
          batch_size: an int or a scalar int Tensor.
          dtype: the dtype.
        """
        size = self._alignments_size
        if isinstance(size, int):
            return _zeros(batch_size, size, dtype)
        return tf.zeros(tf.stack([batch_size, size]), dtype=dtype)

    def initial_state(self, batch_size, dtype):
        """Returns the initial attention state (the initial alignments).

        Args:
          batch_size: an int or a scalar int Tensor.
          dtype: the dtype.
        """
        return self.initial_alignments(batch_size, dtype)


def _bahdanau_score(processed_query, keys, normalize):
    dtype = processed_query.dtype
    num_units = _static_or_dynamic(keys, 2)
    processed_query = tf.expand_dims(processed_query, 1)
    v = tf.get_variable("attention_v", [num_units], dtype=dtype)
    if not normalize:
        return tf.reduce_sum(v * tf.tanh(keys + processed_query), [2])
    g = tf.get_variable("attention_g", dtype=dtype, shape=(),
                        initializer=tf.constant_initializer(math.sqrt(1.0 / num_units)))
    b = tf.get_variable("attention_b", [num_units], dtype=dtype,
                        initializer=tf.zeros_initializer())
    normed_v = g * v * tf.rsqrt(tf.reduce_sum(tf.square(v)))
    return tf.reduce_sum(normed_v * tf.tanh(keys + processed_query + b), [2])


def _luong_score(query, keys, scale):
    depth = query.shape.as_list()[-1]
    key_units = keys.shape.as_list()[-1]
    if depth != key_units:
        raise ValueError(
            f"Incompatible or unknown inner dimensions between query and keys.  Query "
            f"({query.name}) has units: {depth}.  Keys ({keys.name}) have units: {key_units}.  "
            f"Perhaps you need to set num_units to the keys' dimension ({key_units})?")
    score = tf.squeeze(tf.matmul(tf.expand_dims(query, 1), keys, transpose_b=True), [1])
    return score if scale is None else scale * score


def _softmax_fn(probability_fn):
    fn = tf.nn.softmax if probability_fn is None else probability_fn
    return lambda score, _: fn(score)


class BahdanauAttention(_BaseAttentionMechanism):
    """Additive attention: `score = v . tanh(keys + W_q query)` (Bahdanau et al., 2015).

    With `normalize`, `v` is weight-normalized: `g * v / |v|` plus a bias `attention_b`
    inside the tanh (Salimans and Kingma, 2016).

    Args:
      num_units: the depth of the query and memory projections.
      memory: the memory to attend over, `[batch, max_time, ...]`.
      memory_sequence_length: `[batch]` lengths: later memory steps are masked out.
      normalize: whether to weight-normalize `v`.
      probability_fn: scores -> probabilities (default `tf.nn.softmax`).
      score_mask_value: the score of masked steps (default -inf).
      dtype: the projections' dtype (default float32).
      custom_key_value_fn: accepted only as None (TF 1.15 has it; not supported here).
      name: the name scope of the memory preparation.

    Raises:
      NotImplementedError: `custom_key_value_fn` is given.
    """

    def __init__(self, num_units, memory, memory_sequence_length=None, normalize=False,
                 probability_fn=None, score_mask_value=None, dtype=None,
                 custom_key_value_fn=None, name="BahdanauAttention"):
        if custom_key_value_fn is not None:
            raise NotImplementedError("custom_key_value_fn is not supported by minitf")
        dtype = dtype or tf.float32
        super().__init__(
            query_layer=Dense(num_units, name="query_layer", use_bias=False, dtype=dtype),
            memory_layer=Dense(num_units, name="memory_layer", use_bias=False, dtype=dtype),
            memory=memory, probability_fn=_softmax_fn(probability_fn),
            memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value,
            name=name)
        self._num_units, self._normalize, self._name = num_units, normalize, name

    def __call__(self, query, state):
        """Scores `query` against the keys and returns `(alignments, next_state)`.

        Args:
          query: `[batch, query_depth]`.
          state: the previous alignments `[batch, alignments_size]`.

        Returns:
          `(alignments, alignments)`: `[batch, alignments_size]` probabilities.
        """
        with tf.variable_scope(None, "bahdanau_attention", [query]):
            processed_query = self._query_layer(query) if self._query_layer else query
            score = _bahdanau_score(processed_query, self._keys, self._normalize)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


class LuongAttention(_BaseAttentionMechanism):
    """Multiplicative attention: `score = query . keys` (Luong et al., 2015).

    With `scale`, the score is multiplied by a scalar `attention_g` (initially 1).

    Args:
      num_units: the depth of the memory projection (must equal the query's depth).
      memory: the memory to attend over, `[batch, max_time, ...]`.
      memory_sequence_length: `[batch]` lengths: later memory steps are masked out.
      scale: whether to learn a scale of the score.
      probability_fn: scores -> probabilities (default `tf.nn.softmax`).
      score_mask_value: the score of masked steps (default -inf).
      dtype: the projection's dtype (default float32).
      custom_key_value_fn: accepted only as None (TF 1.15 has it; not supported here).
      name: the name scope of the memory preparation.

    Raises:
      NotImplementedError: `custom_key_value_fn` is given.
    """

    def __init__(self, num_units, memory, memory_sequence_length=None, scale=False,
                 probability_fn=None, score_mask_value=None, dtype=None,
                 custom_key_value_fn=None, name="LuongAttention"):
        if custom_key_value_fn is not None:
            raise NotImplementedError("custom_key_value_fn is not supported by minitf")
        dtype = dtype or tf.float32
        super().__init__(
            query_layer=None,
            memory_layer=Dense(num_units, name="memory_layer", use_bias=False, dtype=dtype),
            memory=memory, probability_fn=_softmax_fn(probability_fn),
            memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value,
            name=name)
        self._num_units, self._scale, self._name = num_units, scale, name

    def __call__(self, query, state):
        """Scores `query` against the keys and returns `(alignments, next_state)`.

        Args:
          query: `[batch, num_units]`.
          state: the previous alignments `[batch, alignments_size]`.

        Returns:
          `(alignments, alignments)`: `[batch, alignments_size]` probabilities.

        Raises:
          ValueError: the query's depth is not the keys'.
        """
        with tf.variable_scope(None, "luong_attention", [query]):
            scale = None
            if self._scale:
                scale = tf.get_variable("attention_g", dtype=query.dtype, shape=(),
                                        initializer=tf.ones_initializer())
            score = _luong_score(query, self._keys, scale)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


def hardmax(logits, name=None):
    """Returns the one-hot of the argmax over the last axis, in the logits' dtype.

    Args:
      logits: a float Tensor.
      name: a name scope (default "Hardmax").
    """
    with tf.name_scope(name, "Hardmax", [logits]):
        logits = tf.convert_to_tensor(logits, name="logits")
        depth = _static_or_dynamic(logits, -1)
        return tf.one_hot(tf.argmax(logits, -1), depth, dtype=logits.dtype)


def safe_cumprod(x, *args, **kwargs):
    """Computes `cumprod(x)` as `exp(cumsum(log(clip(x, tiny, 1))))`, stable for small `x`.

    Args:
      x: a float Tensor with values in [0, 1].
      *args: passed to `tf.cumsum` (axis, exclusive, reverse).
      **kwargs: passed to `tf.cumsum`.
    """
    with tf.name_scope(None, "SafeCumprod", [x]):
        x = tf.convert_to_tensor(x, name="x")
        tiny = np.finfo(x.dtype.as_numpy_dtype).tiny
        return tf.exp(tf.cumsum(tf.log(tf.clip_by_value(x, tiny, 1)), *args, **kwargs))


def _recursive_attention(p_choose_i, previous_attention):
    batch = _static_or_dynamic(p_choose_i, 0)
    shifted_1mp = tf.concat([tf.ones((batch, 1), p_choose_i.dtype), 1 - p_choose_i[:, :-1]], 1)
    q = tf.scan(lambda acc, yz: tf.reshape(yz[0] * acc + yz[1], (batch,)),
                [tf.transpose(shifted_1mp), tf.transpose(previous_attention)],
                tf.zeros((batch,), p_choose_i.dtype))
    return p_choose_i * tf.transpose(q)


def monotonic_attention(p_choose_i, previous_attention, mode):
    """Computes monotonic attention from choose probabilities (Raffel et al., 2017).

    Args:
      p_choose_i: `[batch, memory_time]` probabilities of stopping at each step.
      previous_attention: `[batch, memory_time]`, the previous step's attention.
      mode: "recursive" (a `tf.scan`), "parallel" (cumprods, may be unstable) or "hard"
        (`p_choose_i` must be 0 or 1).

    Returns:
      The `[batch, memory_time]` attention.

    Raises:
      ValueError: `mode` is not one of the three.
    """
    p_choose_i = tf.convert_to_tensor(p_choose_i, name="p_choose_i")
    previous_attention = tf.convert_to_tensor(previous_attention, name="previous_attention")
    if mode == "recursive":
        return _recursive_attention(p_choose_i, previous_attention)
    if mode == "parallel":
        cumprod_1mp = safe_cumprod(1 - p_choose_i, axis=1, exclusive=True)
        return p_choose_i * cumprod_1mp * tf.cumsum(
            previous_attention / tf.clip_by_value(cumprod_1mp, 1e-10, 1.0), axis=1)
    if mode == "hard":
        p_choose_i *= tf.cumsum(previous_attention, axis=1)
        return p_choose_i * tf.cumprod(1 - p_choose_i, axis=1, exclusive=True)
    raise ValueError("mode must be 'recursive', 'parallel', or 'hard'.")
