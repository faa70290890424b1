"""The scores and the likelihood of a linear-chain CRF (TF 1.15's contrib/crf/crf.py).

A tag sequence `y` of length `L` scores `sum_t inputs[t, y_t] + sum_t trans[y_t, y_t+1]`;
`crf_log_norm` is the log-sum-exp of that score over all `num_tags ** L` sequences, computed by
the forward algorithm (`CrfForwardRnnCell` under `dynamic_rnn`). As in TF 1.15, a sequence of
length <= 0 scores 0 and has log-norm 0, and a `max_seq_len` of 1 known when the graph is built
takes the short path without transitions. The masks take the inputs' dtype (TF 1.15 makes them
float32, so float64 inputs fail there).
"""
import minitf as tf
from minitf.contrib.layers.utils import smart_cond
from minitf.rnn_cell import RNNCell

__all__ = ["crf_sequence_score", "crf_multitag_sequence_score", "crf_log_norm",
           "crf_log_likelihood", "crf_unary_score", "crf_binary_score", "CrfForwardRnnCell"]


def _is_single_step(inputs):
    # TF 1.15: `equal(inputs.shape[1] or shape(inputs)[1], 1)`, a Python bool when static
    static = inputs.shape[1].value if inputs.shape.ndims else None
    return static == 1 if static is not None else tf.equal(tf.shape(inputs)[1], 1)


def _masks(sequence_lengths, tag_indices, dtype):
    return tf.sequence_mask(sequence_lengths, maxlen=tf.shape(tag_indices)[1], dtype=dtype)


def _zero_if_empty(sequence_lengths, values):
    return tf.where(tf.less_equal(sequence_lengths, 0), tf.zeros_like(values), values)


def crf_sequence_score(inputs, tag_indices, sequence_lengths, transition_params):
    """Computes the unnormalized score of each tag sequence.

    Args:
      inputs: a `[batch_size, max_seq_len, num_tags]` Tensor of unary potentials.
      tag_indices: a `[batch_size, max_seq_len]` int Tensor of tag indices.
      sequence_lengths: a `[batch_size]` int vector of true sequence lengths.
      transition_params: a `[num_tags, num_tags]` transition matrix.

    Returns:
      A `[batch_size]` Tensor of unnormalized sequence scores.
    """
    inputs, tag_indices = tf.convert_to_tensor(inputs), tf.convert_to_tensor(tag_indices)
    sequence_lengths = tf.convert_to_tensor(sequence_lengths)

    def single():
        batch = tf.shape(inputs, out_type=tag_indices.dtype)[0]
        rows = tf.reshape(tf.range(batch, dtype=tag_indices.dtype), [-1, 1])
        scores = tf.gather_nd(tf.squeeze(inputs, [1]), tf.concat([rows, tag_indices], axis=1))
        return _zero_if_empty(sequence_lengths, scores)

    def multi():
        return (crf_unary_score(tag_indices, sequence_lengths, inputs)
                + crf_binary_score(tag_indices, sequence_lengths, transition_params))

    return smart_cond(_is_single_step(inputs), single, multi)


def crf_multitag_sequence_score(inputs, tag_bitmap, sequence_lengths, transition_params):
    """Computes the log-sum-exp score of all tag sequences allowed by `tag_bitmap`.

    Args:
      inputs: a `[batch_size, max_seq_len, num_tags]` Tensor of unary potentials.
      tag_bitmap: a `[batch_size, max_seq_len, num_tags]` bool Tensor of the allowed tags.
      sequence_lengths: a `[batch_size]` int vector of true sequence lengths.
      transition_params: a `[num_tags, num_tags]` transition matrix.

    Returns:
      A `[batch_size]` Tensor (one-hot bitmaps give `crf_sequence_score`).
    """
    inputs = tf.convert_to_tensor(inputs)
    filtered = tf.where(tag_bitmap, inputs,
                        tf.fill(tf.shape(inputs), tf.constant(float("-inf"), inputs.dtype)))

    def single():
        return tf.reduce_logsumexp(filtered, axis=[1, 2], keepdims=False)

    def multi():
        return crf_log_norm(filtered, sequence_lengths, transition_params)

    return smart_cond(_is_single_step(inputs), single, multi)


def crf_log_norm(inputs, sequence_lengths, transition_params):
    """Computes the log partition function of each sequence by the forward algorithm.

    Args:
      inputs: a `[batch_size, max_seq_len, num_tags]` Tensor of unary potentials.
      sequence_lengths: a `[batch_size]` int vector of true sequence lengths.
      transition_params: a `[num_tags, num_tags]` transition matrix.

    Returns:
      A `[batch_size]` Tensor: 0 where a length is <= 0.
    """
    inputs = tf.convert_to_tensor(inputs)
    sequence_lengths = tf.convert_to_tensor(sequence_lengths)
    first = tf.squeeze(tf.slice(inputs, [0, 0, 0], [-1, 1, -1]), [1])

    def single():
        return _zero_if_empty(sequence_lengths, tf.reduce_logsumexp(first, [1]))

    def multi():
        rest = tf.slice(inputs, [0, 1, 0], [-1, -1, -1])
        steps = tf.maximum(tf.constant(0, sequence_lengths.dtype), sequence_lengths - 1)
        _, alphas = tf.nn.dynamic_rnn(CrfForwardRnnCell(transition_params), rest,
                                      sequence_length=steps, initial_state=first,
                                      dtype=inputs.dtype)
        return _zero_if_empty(sequence_lengths, tf.reduce_logsumexp(alphas, [1]))

    return smart_cond(_is_single_step(inputs), single, multi)


def crf_log_likelihood(inputs, tag_indices, sequence_lengths, transition_params=None):
    """Computes the log-likelihood of each tag sequence under a linear-chain CRF.

    Args:
      inputs: a `[batch_size, max_seq_len, num_tags]` Tensor of unary potentials.
      tag_indices: a `[batch_size, max_seq_len]` int Tensor of tag indices.
      sequence_lengths: a `[batch_size]` int vector of true sequence lengths.
      transition_params: a `[num_tags, num_tags]` transition matrix; None makes the
        variable "transitions" of that shape with `tf.get_variable` in the current scope.

    Returns:
      `(log_likelihood, transition_params)`: a `[batch_size]` Tensor and the matrix used.
    """
    inputs = tf.convert_to_tensor(inputs)
    if transition_params is None:
        num_tags = inputs.shape[2].value
        transition_params = tf.get_variable("transitions", [num_tags, num_tags],
                                            dtype=inputs.dtype)
    scores = crf_sequence_score(inputs, tag_indices, sequence_lengths, transition_params)
    log_norm = crf_log_norm(inputs, sequence_lengths, transition_params)
    return scores - log_norm, transition_params


def crf_unary_score(tag_indices, sequence_lengths, inputs):
    """Computes the sum of the unary potentials along each tag sequence.

    Args:
      tag_indices: a `[batch_size, max_seq_len]` int Tensor of tag indices.
      sequence_lengths: a `[batch_size]` int vector of true sequence lengths.
      inputs: a `[batch_size, max_seq_len, num_tags]` Tensor of unary potentials.

    Returns:
      A `[batch_size]` Tensor.
    """
    inputs, tag_indices = tf.convert_to_tensor(inputs), tf.convert_to_tensor(tag_indices)
    shape = tf.shape(inputs)
    batch, steps, num_tags = shape[0], shape[1], shape[2]
    offsets = (tf.expand_dims(tf.range(batch) * steps * num_tags, 1)
               + tf.expand_dims(tf.range(steps) * num_tags, 0))
    offsets = tf.cast(offsets, tag_indices.dtype)
    flat = tf.gather(tf.reshape(inputs, [-1]), tf.reshape(offsets + tag_indices, [-1]))
    unary = tf.reshape(flat, [batch, steps])
    return tf.reduce_sum(unary * _masks(sequence_lengths, tag_indices, inputs.dtype), 1)


def crf_binary_score(tag_indices, sequence_lengths, transition_params):
    """Computes the sum of the transition potentials along each tag sequence.

    Args:
      tag_indices: a `[batch_size, max_seq_len]` int Tensor of tag indices.
      sequence_lengths: a `[batch_size]` int vector of true sequence lengths.
      transition_params: a `[num_tags, num_tags]` matrix of binary potentials.

    Returns:
      A `[batch_size]` Tensor.
    """
    tag_indices = tf.convert_to_tensor(tag_indices)
    transition_params = tf.convert_to_tensor(transition_params)
    num_tags = tf.cast(tf.shape(transition_params)[0], tag_indices.dtype)
    num_transitions = tf.shape(tag_indices)[1] - 1
    start = tf.slice(tag_indices, [0, 0], [-1, num_transitions])
    end = tf.slice(tag_indices, [0, 1], [-1, num_transitions])
    binary = tf.gather(tf.reshape(transition_params, [-1]), start * num_tags + end)
    masks = _masks(sequence_lengths, tag_indices, transition_params.dtype)
    scores = tf.reduce_sum(binary * tf.slice(masks, [0, 1], [-1, -1]), 1)
    scores.set_shape(tag_indices.shape[:1])  # (the dynamic slices lose the rank)
    return scores


class TransitionCell(RNNCell):
    """A cell stepping through tags under a `[num_tags, num_tags]` transition matrix: its state
    and output are `[batch_size, num_tags]` (the base of the forward and Viterbi cells).

    Args:
      transition_params: a `[num_tags, num_tags]` matrix of binary potentials.
    """

    def __init__(self, transition_params):
        super().__init__()
        transition_params = tf.convert_to_tensor(transition_params)
        self._transition_params = tf.expand_dims(transition_params, 0)
        self._num_tags = transition_params.shape[0].value

    @property
    def state_size(self):
        """The number of tags."""
        return self._num_tags

    @property
    def output_size(self):
        """The number of tags."""
        return self._num_tags


class CrfForwardRnnCell(TransitionCell):
    """One step of the forward algorithm: `alpha' = inputs + logsumexp(alpha + trans)`.

    Args:
      transition_params: a `[num_tags, num_tags]` matrix of binary potentials.
    """

    def __call__(self, inputs, state, scope=None):
        """Advances the alphas by one step.

        Args:
          inputs: a `[batch_size, num_tags]` Tensor of unary potentials.
          state: a `[batch_size, num_tags]` Tensor of the previous alphas.
          scope: unused.

        Returns:
          `(new_alphas, new_alphas)`, both `[batch_size, num_tags]`.
        """
        scores = tf.expand_dims(state, 2) + self._transition_params
        new_alphas = inputs + tf.reduce_logsumexp(scores, [1])
        return new_alphas, new_alphas
