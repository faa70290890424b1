"""`tf.contrib.seq2seq`'s helpers (TF 1.15): what a `BasicDecoder` feeds its cell at each step
and how it picks a sample id from the cell's output. `TrainingHelper` reads the given inputs
(teacher forcing); the embedding helpers feed back the embedding of the greedy or sampled id."""
import abc

import minitf as tf

__all__ = ["Helper", "CustomHelper", "TrainingHelper", "GreedyEmbeddingHelper",
           "SampleEmbeddingHelper", "ScheduledEmbeddingTrainingHelper", "InferenceHelper"]


def _transpose_batch_time(x):
    return tf.transpose(x, [1, 0] + list(range(2, x.shape.ndims)))


def _unstack_ta(inp):
    size = tf.shape(inp)[0]
    return tf.TensorArray(inp.dtype, size=size, element_shape=inp.shape[1:]).unstack(inp)


def _embedding_fn(embedding):
    if callable(embedding):
        return embedding
    return lambda ids: tf.nn.embedding_lookup(embedding, ids)


class Helper(abc.ABC):
    """The interface of the objects that drive a `BasicDecoder`'s inputs and samples."""

    @property
    @abc.abstractmethod
    def batch_size(self):
        """The batch size (an int or a scalar int Tensor)."""

    @property
    @abc.abstractmethod
    def sample_ids_shape(self):
        """The TensorShape of one entry's sample id (without the batch dimension)."""

    @property
    @abc.abstractmethod
    def sample_ids_dtype(self):
        """The dtype of the sample ids."""

    @abc.abstractmethod
    def initialize(self, name=None):
        """Returns `(initial_finished, initial_inputs)`.

        Args:
          name: a name scope for the ops.
        """

    @abc.abstractmethod
    def sample(self, time, outputs, state, name=None):
        """Returns the sample ids of a step's outputs.

        Args:
          time: the int32 step number.
          outputs: the cell's (projected) outputs.
          state: the cell's new state.
          name: a name scope for the ops.
        """

    @abc.abstractmethod
    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        """Returns `(finished, next_inputs, next_state)`.

        Args:
          time: the int32 step number.
          outputs: the cell's (projected) outputs.
          state: the cell's new state.
          sample_ids: what `sample` returned.
          name: a name scope for the ops.
        """


class CustomHelper(Helper):
    """A helper built from three functions.

    Args:
      initialize_fn: `() -> (finished, next_inputs)`.
      sample_fn: `(time, outputs, state) -> sample_ids`.
      next_inputs_fn: `(time, outputs, state, sample_ids) -> (finished, next_inputs,
        next_state)`.
      sample_ids_shape: the shape of one sample id (default scalar).
      sample_ids_dtype: the dtype of the sample ids (default int32).
    """

    def __init__(self, initialize_fn, sample_fn, next_inputs_fn, sample_ids_shape=None,
                 sample_ids_dtype=None):
        self._initialize_fn, self._sample_fn = initialize_fn, sample_fn
        self._next_inputs_fn = next_inputs_fn
        self._batch_size = None
        self._sample_ids_shape = tf.TensorShape(sample_ids_shape or [])
        self._sample_ids_dtype = sample_ids_dtype or tf.int32

    @property
    def batch_size(self):
        """The batch size (the size of `initialize_fn`'s `finished`).

        Raises:
          ValueError: read before `initialize` was called.
        """
        if self._batch_size is None:
            raise ValueError("batch_size accessed before initialize was called")
        return self._batch_size

    sample_ids_shape = property(lambda self: self._sample_ids_shape,
                                doc="The shape of one sample id.")
    sample_ids_dtype = property(lambda self: self._sample_ids_dtype,
                                doc="The dtype of the sample ids.")

    def initialize(self, name=None):
        """Calls `initialize_fn` (and learns the batch size from its `finished`).

        Args:
          name: a name scope (default "CustomHelperInitialize").

        Returns:
          `(finished, next_inputs)`.
        """
        with tf.name_scope(name, "CustomHelperInitialize"):
            finished, next_inputs = self._initialize_fn()
            if self._batch_size is None:
                self._batch_size = tf.size(finished)
        return finished, next_inputs

    def sample(self, time, outputs, state, name=None):
        """Calls `sample_fn`.

        Args:
          time: the step number.
          outputs: the cell's outputs.
          state: the cell's state.
          name: a name scope (default "CustomHelperSample").

        Returns:
          The sample ids.
        """
        with tf.name_scope(name, "CustomHelperSample", [time, outputs, state]):
            return self._sample_fn(time=time, outputs=outputs, state=state)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        """Calls `next_inputs_fn`.

        Args:
          time: the step number.
          outputs: the cell's outputs.
          state: the cell's state.
          sample_ids: the sample ids.
          name: a name scope (default "CustomHelperNextInputs").

        Returns:
          `(finished, next_inputs, next_state)`.
        """
        with tf.name_scope(name, "CustomHelperNextInputs", [time, outputs, state, sample_ids]):
            return self._next_inputs_fn(time=time, outputs=outputs, state=state,
                                        sample_ids=sample_ids)


class TrainingHelper(Helper):
    """Feeds the given inputs step by step (teacher forcing); samples are argmax ids.

    An entry is finished once `time + 1 >= sequence_length`; when all are, the next inputs
    are zeros.

    Args:
      inputs: a `[batch, time, ...]` Tensor (`[time, batch, ...]` if `time_major`) or a
        structure of them.
      sequence_length: an int `[batch]` vector.
      time_major: the layout of `inputs`.
      name: a name scope (default "TrainingHelper").

    Raises:
      ValueError: `sequence_length` is not a vector.
    """

    def __init__(self, inputs, sequence_length, time_major=False, name=None):
        with tf.name_scope(name, "TrainingHelper", [inputs, sequence_length]):
            inputs = tf.nest.map_structure(lambda x: tf.convert_to_tensor(x, name="inputs"),
                                           inputs)
            if not time_major:
                inputs = tf.nest.map_structure(_transpose_batch_time, inputs)
            self._input_tas = tf.nest.map_structure(_unstack_ta, inputs)
            self._sequence_length = tf.convert_to_tensor(sequence_length,
                                                         name="sequence_length")
            if self._sequence_length.shape.ndims != 1:
                raise ValueError("Expected sequence_length to be a vector, but received "
                                 f"shape: {self._sequence_length.shape}")
            self._zero_inputs = tf.nest.map_structure(lambda x: tf.zeros_like(x[0, :]), inputs)
            self._batch_size = tf.size(self._sequence_length)

    inputs = property(lambda self: self._input_tas, doc="The inputs' TensorArrays.")
    sequence_length = property(lambda self: self._sequence_length, doc="The lengths.")
    batch_size = property(lambda self: self._batch_size, doc="The batch size.")
    sample_ids_shape = property(lambda self: tf.TensorShape([]), doc="Scalar ids.")
    sample_ids_dtype = property(lambda self: tf.int32, doc="int32.")

    def _inputs_at(self, time, finished):
        return tf.cond(tf.reduce_all(finished), lambda: self._zero_inputs,
                       lambda: tf.nest.map_structure(lambda ta: ta.read(time),
                                                     self._input_tas))

    def initialize(self, name=None):
        """Returns `(sequence_length == 0, the inputs at time 0)`.

        Args:
          name: a name scope (default "TrainingHelperInitialize").
        """
        with tf.name_scope(name, "TrainingHelperInitialize"):
            finished = tf.equal(0, self._sequence_length)
            return finished, self._inputs_at(0, finished)

    def sample(self, time, outputs, name=None, **unused_kwargs):
        """Returns the argmax ids (int32) of `outputs`.

        Args:
          time: the step number.
          outputs: the cell's outputs.
          name: a name scope (default "TrainingHelperSample").
          **unused_kwargs: `state`, ignored.
        """
        with tf.name_scope(name, "TrainingHelperSample", [time, outputs]):
            return tf.cast(tf.argmax(outputs, axis=-1), tf.int32)

    def next_inputs(self, time, outputs, state, name=None, **unused_kwargs):
        """Returns `(time + 1 >= sequence_length, the inputs at time + 1, state)`.

        Args:
          time: the step number.
          outputs: the cell's outputs.
          state: the cell's state.
          name: a name scope (default "TrainingHelperNextInputs").
          **unused_kwargs: `sample_ids`, ignored.
        """
        with tf.name_scope(name, "TrainingHelperNextInputs", [time, outputs, state]):
            next_time = time + 1
            finished = next_time >= self._sequence_length
            return finished, self._inputs_at(next_time, finished), state


class GreedyEmbeddingHelper(Helper):
    """Feeds back the embedding of the argmax id; an entry finishes on `end_token`.

    Args:
      embedding: an embedding matrix `[vocab, depth]`, or a function of int ids.
      start_tokens: an int32 `[batch]` vector, the first ids.
      end_token: an int32 scalar.

    Raises:
      ValueError: `start_tokens` is not a vector or `end_token` not a scalar.
    """

    def __init__(self, embedding, start_tokens, end_token):
        self._embedding_fn = _embedding_fn(embedding)
        self._start_tokens = tf.convert_to_tensor(start_tokens, tf.int32, name="start_tokens")
        self._end_token = tf.convert_to_tensor(end_token, tf.int32, name="end_token")
        if self._start_tokens.shape.ndims != 1:
            raise ValueError("start_tokens must be a vector")
        self._batch_size = tf.size(self._start_tokens)
        if self._end_token.shape.ndims != 0:
            raise ValueError("end_token must be a scalar")
        self._start_inputs = self._embedding_fn(self._start_tokens)

    batch_size = property(lambda self: self._batch_size, doc="The batch size.")
    sample_ids_shape = property(lambda self: tf.TensorShape([]), doc="Scalar ids.")
    sample_ids_dtype = property(lambda self: tf.int32, doc="int32.")

    def initialize(self, name=None):
        """Returns `(all False, the start tokens' embeddings)`.

        Args:
          name: accepted for the interface.
        """
        return tf.tile([False], [self._batch_size]), self._start_inputs

    def sample(self, time, outputs, state, name=None):
        """Returns the argmax ids (int32) of `outputs`.

        Args:
          time: the step number.
          outputs: the cell's (projected) outputs, one Tensor.
          state: the cell's state.
          name: accepted for the interface.

        Raises:
          TypeError: `outputs` is not a single Tensor.
        """
        if not tf.is_tensor(outputs):
            raise TypeError(f"Expected outputs to be a single Tensor, got: {type(outputs)}")
        return tf.argmax(outputs, axis=-1, output_type=tf.int32)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        """Returns `(sample_ids == end_token, their embeddings, state)`.

        Args:
          time: the step number.
          outputs: the cell's outputs.
          state: the cell's state.
          sample_ids: the sampled ids.
          name: accepted for the interface.
        """
        finished = tf.equal(sample_ids, self._end_token)
        next_inputs = tf.cond(tf.reduce_all(finished), lambda: self._start_inputs,
                              lambda: self._embedding_fn(sample_ids))
        return finished, next_inputs, state


class SampleEmbeddingHelper(GreedyEmbeddingHelper):
    """Like `GreedyEmbeddingHelper`, but samples ids from the softmax of the outputs.

    Args:
      embedding: an embedding matrix `[vocab, depth]`, or a function of int ids.
      start_tokens: an int32 `[batch]` vector.
      end_token: an int32 scalar.
      softmax_temperature: divides the logits before sampling (default 1).
      seed: the sampling seed.
    """

    def __init__(self, embedding, start_tokens, end_token, softmax_temperature=None,
                 seed=None):
        super().__init__(embedding, start_tokens, end_token)
        self._softmax_temperature = softmax_temperature
        self._seed = seed

    def sample(self, time, outputs, state, name=None):
        """Returns ids (int32) sampled from `softmax(outputs / softmax_temperature)`.

        Args:
          time: the step number.
          outputs: the cell's (projected) outputs, one Tensor.
          state: the cell's state.
          name: accepted for the interface.

        Raises:
          TypeError: `outputs` is not a single Tensor.
        """
        if not tf.is_tensor(outputs):
            raise TypeError(f"Expected outputs to be a single Tensor, got: {type(outputs)}")
        logits = outputs
        if self._softmax_temperature is not None:
            logits = outputs / self._softmax_temperature
        ids = tf.random.categorical(logits, 1, dtype=tf.int32, seed=self._seed)
        return tf.reshape(ids, [-1])


class ScheduledEmbeddingTrainingHelper(TrainingHelper):
    """A `TrainingHelper` that, with `sampling_probability`, feeds a sampled id's embedding.

    An entry not sampled this step gets the sample id -1 and reads the given input.

    Args:
      inputs: as for `TrainingHelper`.
      sequence_length: an int `[batch]` vector.
      embedding: an embedding matrix, or a function of int ids.
      sampling_probability: a float scalar or `[batch]` vector: the chance to sample.
      time_major: the layout of `inputs`.
      seed: the seed of the id sampling.
      scheduling_seed: the seed of the choice to sample.
      name: a name scope (default "ScheduledEmbeddingSamplingWrapper").

    Raises:
      ValueError: `sampling_probability` is neither a scalar nor a vector.
    """

    def __init__(self, inputs, sequence_length, embedding, sampling_probability,
                 time_major=False, seed=None, scheduling_seed=None, name=None):
        with tf.name_scope(name, "ScheduledEmbeddingSamplingWrapper",
                           [embedding, sampling_probability]):
            self._embedding_fn = _embedding_fn(embedding)
            self._sampling_probability = tf.convert_to_tensor(sampling_probability,
                                                              name="sampling_probability")
            if self._sampling_probability.shape.ndims not in (0, 1):
                raise ValueError("sampling_probability must be either a scalar or a vector. "
                                 f"saw shape: {self._sampling_probability.shape}")
            self._seed, self._scheduling_seed = seed, scheduling_seed
            super().__init__(inputs, sequence_length, time_major=time_major)

    def sample(self, time, outputs, state, name=None):
        """Returns sampled ids where the coin says sample, -1 elsewhere.

        Args:
          time: the step number.
          outputs: the cell's outputs (logits).
          state: the cell's state.
          name: a name scope (default "ScheduledEmbeddingTrainingHelperSample").
        """
        with tf.name_scope(name, "ScheduledEmbeddingTrainingHelperSample",
                           [time, outputs, state]):
            coin = tf.random_uniform([self.batch_size], seed=self._scheduling_seed)
            select = coin < self._sampling_probability
            ids = tf.reshape(tf.random.categorical(outputs, 1, dtype=tf.int32,
                                                   seed=self._seed), [-1])
            return tf.where(select, ids, tf.fill([self.batch_size], -1))

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        """Returns the given inputs, with sampled ids' embeddings where ids are > -1.

        Args:
          time: the step number.
          outputs: the cell's outputs.
          state: the cell's state.
          sample_ids: what `sample` returned.
          name: a name scope (default "ScheduledEmbeddingTrainingHelperNextInputs").
        """
        with tf.name_scope(name, "ScheduledEmbeddingTrainingHelperNextInputs",
                           [time, outputs, state, sample_ids]):
            finished, base, state = super().next_inputs(time, outputs, state)
            sampled = self._embedding_fn(tf.maximum(sample_ids, 0))
            mixed = tf.where(sample_ids > -1, sampled, base)
            return finished, tf.cond(tf.reduce_all(finished), lambda: base, lambda: mixed), \
                state


class InferenceHelper(Helper):
    """A helper for inference without embeddings: samples feed back through functions.

    Args:
      sample_fn: `outputs -> sample_ids`.
      sample_shape: the shape of one sample id.
      sample_dtype: the dtype of the sample ids.
      start_inputs: the first inputs `[batch, ...]`.
      end_fn: `sample_ids -> finished` (a bool `[batch]`).
      next_inputs_fn: `sample_ids -> next_inputs` (default: the sample ids themselves).
    """

    def __init__(self, sample_fn, sample_shape, sample_dtype, start_inputs, end_fn,
                 next_inputs_fn=None):
        self._sample_fn, self._end_fn = sample_fn, end_fn
        self._sample_shape = tf.TensorShape(sample_shape)
        self._sample_dtype = sample_dtype
        self._next_inputs_fn = next_inputs_fn
        self._start_inputs = tf.convert_to_tensor(start_inputs, name="start_inputs")
        static = self._start_inputs.shape.as_list()[0]
        self._batch_size = static if static is not None else tf.shape(self._start_inputs)[0]

    batch_size = property(lambda self: self._batch_size, doc="The batch size.")
    sample_ids_shape = property(lambda self: self._sample_shape, doc="The ids' shape.")
    sample_ids_dtype = property(lambda self: self._sample_dtype, doc="The ids' dtype.")

    def initialize(self, name=None):
        """Returns `(all False, start_inputs)`.

        Args:
          name: accepted for the interface.
        """
        return tf.tile([False], [self._batch_size]), self._start_inputs

    def sample(self, time, outputs, state, name=None):
        """Returns `sample_fn(outputs)`.

        Args:
          time: the step number.
          outputs: the cell's outputs.
          state: the cell's state.
          name: accepted for the interface.
        """
        return self._sample_fn(outputs)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        """Returns `(end_fn(ids), next_inputs_fn(ids), state)`.

        Args:
          time: the step number.
          outputs: the cell's outputs.
          state: the cell's state.
          sample_ids: the sample ids.
          name: accepted for the interface.
        """
        nxt = sample_ids if self._next_inputs_fn is None else self._next_inputs_fn(sample_ids)
        return self._end_fn(sample_ids), nxt, state
