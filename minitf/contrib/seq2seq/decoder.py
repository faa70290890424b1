"""`tf.contrib.seq2seq`'s `Decoder` interface and `dynamic_decode` (TF 1.15), which runs a
decoder's `step` in a `tf.while_loop` until every batch entry is finished, writing the outputs
of each step to TensorArrays and tracking each entry's length."""
import abc

import minitf as tf
from minitf.rnn_cell import _zeros

__all__ = ["Decoder", "dynamic_decode"]


class Decoder(abc.ABC):
    """The interface `dynamic_decode` drives: `initialize`, then `step` until finished.

    Subclasses define `batch_size`, `output_size`, `output_dtype`, `initialize` and `step`;
    `finalize` and `tracks_own_finished` are optional.
    """

    @property
    @abc.abstractmethod
    def batch_size(self):
        """The batch size of the inputs (an int or a scalar int Tensor)."""

    @property
    @abc.abstractmethod
    def output_size(self):
        """The shape(s) of one step's outputs, without the batch dimension."""

    @property
    @abc.abstractmethod
    def output_dtype(self):
        """The dtype(s) of one step's outputs, structured as `output_size`."""

    @abc.abstractmethod
    def initialize(self, name=None):
        """Returns `(finished, initial_inputs, initial_state)` for the first step.

        Args:
          name: a name scope for the ops.
        """

    @abc.abstractmethod
    def step(self, time, inputs, state, name=None):
        """Returns `(outputs, next_state, next_inputs, finished)` of one decoding step.

        Args:
          time: the int32 step number.
          inputs: the step's inputs.
          state: the decoder's state.
          name: a name scope for the ops.
        """

    def finalize(self, outputs, final_state, sequence_lengths):
        """Post-processes the stacked outputs (optional: raises NotImplementedError).

        Args:
          outputs: the time-major stacked outputs.
          final_state: the final state.
          sequence_lengths: the `[batch]` int32 lengths.

        Returns:
          `(final_outputs, final_state)`.

        Raises:
          NotImplementedError: the decoder has nothing to finalize.
        """
        raise NotImplementedError

    @property
    def tracks_own_finished(self):
        """Whether `step`'s `finished` is already cumulative (beams reorder entries)."""
        return False


def _transpose_batch_time(x):
    ndims = x.shape.ndims
    if ndims is None or ndims < 2:
        return x
    return tf.transpose(x, [1, 0] + list(range(2, ndims)))


def _zero_outputs(decoder):
    return tf.nest.map_structure(lambda s, d: _zeros(decoder.batch_size, _as_shape(s), d),
                                 decoder.output_size, decoder.output_dtype)


def _as_shape(size):
    return tf.TensorShape([size]) if isinstance(size, int) else tf.TensorShape(size)


def _output_arrays(decoder):
    batch = tf.get_static_value(tf.convert_to_tensor(decoder.batch_size))

    def make(size, dtype):
        shape = _as_shape(size)
        elem = tf.TensorShape([batch]).concatenate(shape) if shape.ndims else None
        return tf.TensorArray(dtype, size=0, dynamic_size=True, element_shape=elem)

    return tf.nest.map_structure(make, decoder.output_size, decoder.output_dtype)


def _maximum_iterations(maximum_iterations):
    if maximum_iterations is None:
        return None
    limit = tf.convert_to_tensor(maximum_iterations, tf.int32, name="maximum_iterations")
    if limit.shape.ndims != 0:
        raise ValueError("maximum_iterations must be a scalar")
    return limit


def _copy_state(finished):
    def copy(new, cur):
        if isinstance(cur, tf.TensorArray):
            return new
        new.set_shape(cur.shape)
        return new if new.shape.ndims == 0 else tf.where(finished, cur, new)
    return copy


def dynamic_decode(decoder, output_time_major=False, impute_finished=False,
                   maximum_iterations=None, parallel_iterations=32, swap_memory=False,
                   scope=None):
    """Runs `decoder.initialize()` once, then `decoder.step()` until all entries finish.

    Args:
      decoder: a `Decoder`.
      output_time_major: return `[time, batch, ...]` outputs (default `[batch, time, ...]`).
      impute_finished: zero the outputs of finished entries and copy their state through,
        so the final state is each entry's state at its end (and backprop ignores the rest).
      maximum_iterations: an int32 scalar, the most steps to run (default: until finished).
      parallel_iterations: passed to `tf.while_loop`.
      swap_memory: passed to `tf.while_loop`.
      scope: the variable scope (default "decoder").

    Returns:
      `(final_outputs, final_state, final_sequence_lengths)`: the outputs structured as
      `decoder.output_size`, the final state, and the `[batch]` int32 lengths (the step at
      which each entry finished, plus one).

    Raises:
      TypeError: `decoder` is not a `Decoder`.
      ValueError: `maximum_iterations` is not a scalar.
    """
    if not isinstance(decoder, Decoder):
        raise TypeError(f"Expected decoder to be type Decoder, but saw: {type(decoder)}")
    with tf.variable_scope(scope, "decoder"):
        limit = _maximum_iterations(maximum_iterations)
        finished, inputs, state = decoder.initialize()
        zero_outputs = _zero_outputs(decoder) if impute_finished else None
        if limit is not None:
            finished = tf.logical_or(finished, 0 >= limit)
        lengths = tf.zeros_like(finished, dtype=tf.int32)
        time = tf.constant(0, dtype=tf.int32)

        def body(time, outputs_ta, state, inputs, finished, lengths):
            outputs, next_state, next_inputs, step_finished = decoder.step(time, inputs, state)
            next_finished = (step_finished if decoder.tracks_own_finished
                             else tf.logical_or(step_finished, finished))
            lengths = tf.where(tf.logical_not(finished),
                               tf.fill(tf.shape(lengths), time + 1), lengths)
            tf.nest.assert_same_structure(state, next_state)
            tf.nest.assert_same_structure(outputs_ta, outputs)
            tf.nest.assert_same_structure(inputs, next_inputs)
            if impute_finished:
                outputs = tf.nest.map_structure(lambda o, z: tf.where(finished, z, o),
                                                outputs, zero_outputs)
                next_state = tf.nest.map_structure(_copy_state(finished), next_state, state)
            outputs_ta = tf.nest.map_structure(lambda ta, o: ta.write(time, o),
                                               outputs_ta, outputs)
            return time + 1, outputs_ta, next_state, next_inputs, next_finished, lengths

        res = tf.while_loop(
            lambda *args: tf.logical_not(tf.reduce_all(args[4])), body,
            (time, _output_arrays(decoder), state, inputs, finished, lengths),
            parallel_iterations=parallel_iterations, maximum_iterations=limit,
            swap_memory=swap_memory)
        outputs = tf.nest.map_structure(lambda ta: ta.stack(), res[1])
        final_state, lengths = res[2], res[5]
        try:
            outputs, final_state = decoder.finalize(outputs, final_state, lengths)
        except NotImplementedError:
            pass
        if not output_time_major:
            outputs = tf.nest.map_structure(_transpose_batch_time, outputs)
    return outputs, final_state, lengths
