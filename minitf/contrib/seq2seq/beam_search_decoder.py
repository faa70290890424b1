"""`tf.contrib.seq2seq.BeamSearchDecoder` (TF 1.15) and `tile_batch`.

The cell runs on `[batch * beam_width, ...]` tensors; between steps the state is kept split
as `[batch, beam_width, ...]` so each step can pick the `beam_width` best (beam, word) pairs
of every entry (scores: summed log-probabilities, divided by the GNMT length penalty
`((5 + length) / 6) ** length_penalty_weight`) and gather the cell states of their beams.
`finalize` traces the parent pointers back with `gather_tree`.
"""
import collections

import numpy as np

import minitf as tf
from minitf.contrib.seq2seq.basic_decoder import check_cell
from minitf.contrib.seq2seq.beam_search_ops import gather_tree
from minitf.contrib.seq2seq.decoder import Decoder
from minitf.contrib.seq2seq.helper import _embedding_fn
from minitf.layers.base import Layer

__all__ = ["BeamSearchDecoderState", "BeamSearchDecoderOutput", "FinalBeamSearchDecoderOutput",
           "BeamSearchDecoder", "tile_batch"]


class BeamSearchDecoderState(collections.namedtuple(
        "BeamSearchDecoderState",
        ("cell_state", "log_probs", "finished", "lengths", "accumulated_attention_probs"))):
    """The beam search state: split cell state, beams' log-probs, finished flags, lengths."""

    __slots__ = ()


class BeamSearchDecoderOutput(collections.namedtuple(
        "BeamSearchDecoderOutput", ("scores", "predicted_ids", "parent_ids"))):
    """A step's beams: their scores, the ids they chose and the beams they extend."""

    __slots__ = ()


class FinalBeamSearchDecoderOutput(collections.namedtuple(
        "FinalBeamSearchDecoderOutput", ("predicted_ids", "beam_search_decoder_output"))):
    """The decoded beams (`predicted_ids`, traced back) and the raw per-step outputs."""

    __slots__ = ()


def _tile_one(t, multiplier):
    t = tf.convert_to_tensor(t, name="t")
    if t.shape.ndims is None or t.shape.ndims < 1:
        raise ValueError("t must have statically known rank")
    shape_t = tf.shape(t)
    tiling = [1] * (t.shape.ndims + 1)
    tiling[1] = multiplier
    tiled = tf.tile(tf.expand_dims(t, 1), tiling)
    tiled = tf.reshape(tiled, tf.concat([[shape_t[0] * multiplier], shape_t[1:]], 0))
    batch = t.shape.as_list()[0]
    tiled.set_shape([None if batch is None else batch * multiplier] + t.shape.as_list()[1:])
    return tiled


def tile_batch(t, multiplier, name=None):
    """Repeats each batch entry `multiplier` times: `[b0, b0, ..., b1, b1, ...]`.

    Used to copy encoder outputs and states for each beam before a `BeamSearchDecoder`.

    Args:
      t: a Tensor `[batch, ...]`, or a structure of them.
      multiplier: a Python int.
      name: a name scope (default "tile_batch").

    Returns:
      The tiled Tensor(s), `[batch * multiplier, ...]`.

    Raises:
      ValueError: a Tensor's rank is unknown or 0.
    """
    flat = tf.nest.flatten(t)
    with tf.name_scope(name, "tile_batch", flat):
        return tf.nest.map_structure(lambda x: _tile_one(x, multiplier), t)


def _static(x):
    value = tf.get_static_value(x) if tf.is_tensor(x) else x
    return None if value is None else int(value)


class BeamSearchDecoder(Decoder):
    """Beam search decoding of a cell whose initial state is tiled `beam_width` times.

    Args:
      cell: an `RNNCell` (its state `[batch * beam_width, ...]`).
      embedding: an embedding matrix `[vocab, depth]`, or a function of int ids.
      start_tokens: an int32 `[batch]` vector.
      end_token: an int32 scalar.
      initial_state: the cell's initial state, `[batch * beam_width, ...]` (see `tile_batch`).
      beam_width: a Python int, the number of beams.
      output_layer: an optional `tf.layers.Layer` giving the vocabulary logits.
      length_penalty_weight: the length penalty's exponent (0 disables it).
      coverage_penalty_weight: must be 0 (the coverage penalty is not supported here).
      reorder_tensor_arrays: whether `finalize` reorders TensorArrays of the final cell state
        (alignment history) along the beams' paths.

    Raises:
      TypeError: `cell` or `output_layer` has the wrong type.
      ValueError: `start_tokens` is not a vector or `end_token` not a scalar.
      NotImplementedError: a nonzero `coverage_penalty_weight`.
    """

    def __init__(self, cell, embedding, start_tokens, end_token, initial_state, beam_width,
                 output_layer=None, length_penalty_weight=0.0, coverage_penalty_weight=0.0,
                 reorder_tensor_arrays=True):
        check_cell(cell)
        if output_layer is not None and not isinstance(output_layer, Layer):
            raise TypeError(f"output_layer must be a Layer, received: {type(output_layer)}")
        if coverage_penalty_weight:
            raise NotImplementedError("coverage_penalty_weight is not supported by minitf")
        self._cell, self._output_layer = cell, output_layer
        self._reorder_tensor_arrays = reorder_tensor_arrays
        self._embedding_fn = _embedding_fn(embedding)
        self._start_tokens = tf.convert_to_tensor(start_tokens, tf.int32, name="start_tokens")
        if self._start_tokens.shape.ndims != 1:
            raise ValueError("start_tokens must be a vector")
        self._end_token = tf.convert_to_tensor(end_token, tf.int32, name="end_token")
        if self._end_token.shape.ndims != 0:
            raise ValueError("end_token must be a scalar")
        static = self._start_tokens.shape.as_list()[0]
        self._batch_size = static if static is not None else tf.size(self._start_tokens)
        self._beam_width = beam_width
        self._length_penalty_weight = length_penalty_weight
        self._initial_cell_state = tf.nest.map_structure(
            self._maybe_split_batch_beams, initial_state, cell.state_size)
        self._start_tokens = tf.tile(tf.expand_dims(self._start_tokens, 1), [1, beam_width])
        self._start_inputs = self._embedding_fn(self._start_tokens)
        self._finished = tf.one_hot(tf.zeros([self._batch_size], tf.int32), depth=beam_width,
                                    on_value=False, off_value=True, dtype=tf.bool)

    batch_size = property(lambda self: self._batch_size, doc="The batch size.")
    tracks_own_finished = property(lambda self: True, doc="True: beams are reordered.")

    @property
    def output_size(self):
        """`BeamSearchDecoderOutput` of `[beam_width]` shapes."""
        shape = tf.TensorShape([self._beam_width])
        return BeamSearchDecoderOutput(scores=shape, predicted_ids=shape, parent_ids=shape)

    @property
    def output_dtype(self):
        """`BeamSearchDecoderOutput(state dtype, int32, int32)`."""
        dtype = tf.nest.flatten(self._initial_cell_state)[0].dtype
        return BeamSearchDecoderOutput(scores=dtype, predicted_ids=tf.int32,
                                       parent_ids=tf.int32)

    def _merge(self, t, s):
        s = _as_shape(s)
        merged = tf.reshape(t, tf.concat([[self._batch_size * self._beam_width],
                                          tf.shape(t)[2:]], 0))
        batch = _static(self._batch_size)
        merged.set_shape([None if batch is None else batch * self._beam_width]
                         + (s.as_list() if s.ndims is not None else [None] * (t.shape.ndims - 2)))
        return merged

    def _split(self, t, s):
        s = _as_shape(s)
        split = tf.reshape(t, tf.concat([[self._batch_size, self._beam_width],
                                         tf.shape(t)[1:]], 0))
        expected = tf.TensorShape([_static(self._batch_size), self._beam_width]).concatenate(s)
        if not split.shape.is_compatible_with(expected) or (
                t.shape.as_list()[0] is not None and _static(self._batch_size) is not None
                and t.shape.as_list()[0] != _static(self._batch_size) * self._beam_width):
            raise ValueError(
                "Unexpected behavior when reshaping between beam width and batch size.  The "
                f"reshaped tensor has shape: {split.shape}.  We expected it to have shape "
                f"(batch_size, beam_width, depth) == {expected}.  Perhaps you forgot to create "
                "a zero_state with batch_size=encoder_batch_size * beam_width?")
        split.set_shape(expected)
        return split

    def _maybe(self, fn):
        def apply(t, s):
            if isinstance(t, tf.TensorArray):
                return t
            if t.shape.ndims is None:
                raise ValueError(f"Expected tensor ({t.name}) to have known rank, but ndims "
                                 "== None.")
            return fn(t, s) if t.shape.ndims >= 1 else t
        return apply

    def _maybe_split_batch_beams(self, t, s):
        return self._maybe(self._split)(t, s)

    def _maybe_merge_batch_beams(self, t, s):
        return self._maybe(self._merge)(t, s)

    def initialize(self, name=None):
        """Returns `(finished, start_inputs, initial BeamSearchDecoderState)`.

        Only beam 0 of each entry starts alive (log-prob 0; the others -inf), so the first
        step's beams all extend it.

        Args:
          name: a name scope (default "BeamSearchDecoderInitialize").
        """
        with tf.name_scope(name, "BeamSearchDecoderInitialize"):
            dtype = tf.nest.flatten(self._initial_cell_state)[0].dtype
            log_probs = tf.one_hot(tf.zeros([self._batch_size], tf.int32),
                                   depth=self._beam_width, on_value=tf.constant(0, dtype),
                                   off_value=tf.constant(-np.inf, dtype), dtype=dtype)
            state = BeamSearchDecoderState(
                cell_state=self._initial_cell_state, log_probs=log_probs,
                finished=self._finished,
                lengths=tf.zeros([self._batch_size, self._beam_width], tf.int64),
                accumulated_attention_probs=())
        return self._finished, self._start_inputs, state

    def step(self, time, inputs, state, name=None):
        """Runs the cell on every beam and keeps the `beam_width` best continuations.

        Args:
          time: the int32 step number.
          inputs: `[batch, beam_width, depth]` inputs.
          state: a `BeamSearchDecoderState`.
          name: a name scope (default "BeamSearchDecoderStep").

        Returns:
          `(BeamSearchDecoderOutput, next_state, next_inputs, finished)`.
        """
        with tf.name_scope(name, "BeamSearchDecoderStep", (time, inputs, state)):
            merged_in = self._merge(inputs, inputs.shape[2:])
            cell_state = tf.nest.map_structure(self._maybe_merge_batch_beams,
                                               state.cell_state, self._cell.state_size)
            cell_outputs, next_cell_state = self._cell(merged_in, cell_state)
            cell_outputs = tf.nest.map_structure(self._split, cell_outputs,
                                                 self._cell.output_size)
            next_cell_state = tf.nest.map_structure(self._maybe_split_batch_beams,
                                                    next_cell_state, self._cell.state_size)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            output, next_state = _beam_search_step(
                cell_outputs, next_cell_state, state, self._batch_size, self._beam_width,
                self._end_token, self._length_penalty_weight)
            finished = next_state.finished
            next_inputs = tf.cond(tf.reduce_all(finished), lambda: self._start_inputs,
                                  lambda: self._embedding_fn(output.predicted_ids))
        return output, next_state, next_inputs, finished

    def finalize(self, outputs, final_state, sequence_lengths):
        """Traces the beams back (`gather_tree`) into `FinalBeamSearchDecoderOutput`.

        Args:
          outputs: the time-major stacked `BeamSearchDecoderOutput`.
          final_state: the final `BeamSearchDecoderState`.
          sequence_lengths: `dynamic_decode`'s lengths (the state's lengths are used).

        Returns:
          `(FinalBeamSearchDecoderOutput, final_state)`.
        """
        max_lengths = tf.cast(tf.reduce_max(final_state.lengths, axis=1), tf.int32)
        predicted_ids = gather_tree(outputs.predicted_ids, outputs.parent_ids,
                                    max_sequence_lengths=max_lengths, end_token=self._end_token)
        if self._reorder_tensor_arrays:
            cell_state = tf.nest.map_structure(
                lambda t: self._maybe_sort_array_beams(t, outputs.parent_ids,
                                                       final_state.lengths),
                final_state.cell_state)
            final_state = final_state._replace(cell_state=cell_state)
        return FinalBeamSearchDecoderOutput(predicted_ids=predicted_ids,
                                            beam_search_decoder_output=outputs), final_state

    def _maybe_sort_array_beams(self, t, parent_ids, sequence_length):
        if not isinstance(t, tf.TensorArray):
            return t
        shape = t.element_shape
        if shape.ndims is None or shape.ndims < 1:
            return t
        return gather_tree_from_array(t.stack(), parent_ids, sequence_length)


def _as_shape(s):
    if isinstance(s, tf.Tensor):  # a size known only at run time (attention over a memory of
        s = tf.get_static_value(s)  # unknown length): TF's constant_value, else unknown rank
        s = None if s is None else s.tolist()
    return tf.TensorShape([s]) if isinstance(s, int) else tf.TensorShape(s)


def gather_tree_from_array(t, parent_ids, sequence_length):
    """Reorders `t` `[max_time, batch * beam, ...]` along the beams' traced-back paths.

    Args:
      t: the stacked Tensor.
      parent_ids: `[max_time, batch, beam]` int32.
      sequence_length: `[batch, beam]` lengths.

    Returns:
      `t` reordered, shaped as `t`.
    """
    max_time, batch, beam = (tf.shape(parent_ids)[i] for i in range(3))
    beam_ids = tf.tile(tf.reshape(tf.range(beam), [1, 1, -1]), [max_time, batch, 1])
    max_lengths = tf.cast(tf.reduce_max(sequence_length, axis=1), tf.int32)
    sorted_ids = gather_tree(beam_ids, parent_ids, max_lengths, end_token=beam + 1)
    in_bound = tf.transpose(tf.sequence_mask(sequence_length, maxlen=max_time), [2, 0, 1])
    sorted_ids = tf.where(in_bound, sorted_ids, beam_ids)
    time_ind = tf.tile(tf.reshape(tf.range(max_time), [-1, 1, 1]), [1, batch, beam])
    batch_ind = tf.tile(tf.reshape(tf.range(batch), [1, -1, 1]), [max_time, 1, beam])
    indices = tf.stack([time_ind, batch_ind, sorted_ids], -1)
    gather_from = tf.reshape(t, tf.stack([max_time, batch, beam, -1]))
    ordered = tf.reshape(tf.gather_nd(gather_from, indices), tf.shape(t))
    ordered.set_shape(t.shape)
    return ordered


def _gather_beams(gather_from, indices, batch_size, beam_width):
    """`gather_from[b, indices[b, k], ...]` for `[batch, range, ...]` Tensors."""
    if isinstance(gather_from, tf.TensorArray) or gather_from.shape.ndims < 2:
        return gather_from
    rng = tf.shape(gather_from)[1]
    flat = tf.reshape(gather_from, tf.concat([[-1], tf.shape(gather_from)[2:]], 0))
    offsets = tf.expand_dims(tf.range(batch_size) * rng, 1)
    out = tf.gather(flat, tf.reshape(indices + offsets, [-1]))
    out = tf.reshape(out, tf.concat([[batch_size, beam_width], tf.shape(gather_from)[2:]], 0))
    out.set_shape([_static(batch_size), beam_width] + gather_from.shape.as_list()[2:])
    return out


def _mask_probs(probs, end_token, finished):
    """A finished beam can only emit `end_token`, at no cost."""
    vocab = probs.shape.as_list()[2] or tf.shape(probs)[2]  # (minitf's one_hot: static depth)
    finished_row = tf.one_hot(end_token, vocab, dtype=probs.dtype, on_value=0.0,
                              off_value=probs.dtype.min)
    finished_probs = tf.tile(tf.reshape(finished_row, [1, 1, -1]),
                             tf.concat([tf.shape(finished), [1]], 0))
    mask = tf.tile(tf.expand_dims(finished, 2), [1, 1, vocab])
    return tf.where(mask, finished_probs, probs)


def _length_penalty(lengths, weight):
    static = tf.get_static_value(tf.convert_to_tensor(weight))
    if static is not None and static == 0:
        return 1.0
    return ((5.0 + tf.cast(lengths, tf.float32)) ** weight) / ((5.0 + 1.0) ** weight)


def _beam_search_step(logits, next_cell_state, beam_state, batch_size, beam_width, end_token,
                      length_penalty_weight):
    previously_finished = beam_state.finished
    step_log_probs = _mask_probs(tf.nn.log_softmax(logits), end_token, previously_finished)
    total_probs = tf.expand_dims(beam_state.log_probs, 2) + step_log_probs
    vocab = logits.shape.as_list()[-1] or tf.shape(logits)[-1]
    lengths_to_add = tf.one_hot(tf.fill([batch_size, beam_width], end_token), depth=vocab,
                                on_value=np.int64(0), off_value=np.int64(1), dtype=tf.int64)
    lengths_to_add *= tf.expand_dims(tf.cast(tf.logical_not(previously_finished), tf.int64), 2)
    new_lengths = lengths_to_add + tf.expand_dims(beam_state.lengths, 2)
    penalty = tf.cast(_length_penalty(new_lengths, length_penalty_weight), total_probs.dtype)
    scores = total_probs / penalty
    next_scores, word_indices = tf.nn.top_k(tf.reshape(scores, [batch_size, -1]),
                                            k=beam_width)
    next_scores.set_shape([_static(batch_size), beam_width])
    word_indices.set_shape([_static(batch_size), beam_width])
    flat_total = tf.reshape(total_probs, [batch_size, -1])
    next_probs = _gather_beams(tf.expand_dims(flat_total, 2), word_indices, batch_size,
                               beam_width)[:, :, 0]
    next_word_ids = tf.cast(tf.mod(word_indices, vocab), tf.int32, name="next_beam_word_ids")
    next_beam_ids = tf.cast(tf.floordiv(word_indices, vocab), tf.int32,
                            name="next_beam_parent_ids")
    gather = lambda x: _gather_beams(x, next_beam_ids, batch_size, beam_width)  # noqa: E731
    previously_finished = gather(tf.expand_dims(previously_finished, 2))[:, :, 0]
    next_finished = tf.logical_or(previously_finished, tf.equal(next_word_ids, end_token),
                                  name="next_beam_finished")
    next_lengths = gather(tf.expand_dims(beam_state.lengths, 2))[:, :, 0] + tf.cast(
        tf.logical_not(previously_finished), tf.int64)
    next_cell_state = tf.nest.map_structure(gather, next_cell_state)
    state = BeamSearchDecoderState(cell_state=next_cell_state, log_probs=next_probs,
                                   lengths=next_lengths, finished=next_finished,
                                   accumulated_attention_probs=())
    output = BeamSearchDecoderOutput(scores=next_scores, predicted_ids=next_word_ids,
                                     parent_ids=next_beam_ids)
    return output, state
