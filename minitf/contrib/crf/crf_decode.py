"""Viterbi decoding for a linear-chain CRF (TF 1.15's contrib/crf/crf.py): in NumPy
(`viterbi_decode`) or in the graph (`crf_decode`: a forward `dynamic_rnn` keeps the best scores
and backpointers, a backward one follows them). Past a sequence's length `crf_decode` leaves
tag 0; a length of 0 decodes like a length of 1, as in TF 1.15.
"""
import numpy as np

import minitf as tf
from minitf.contrib.crf.crf import TransitionCell, _is_single_step
from minitf.contrib.layers.utils import smart_cond
from minitf.rnn_cell import RNNCell

__all__ = ["viterbi_decode", "crf_decode", "CrfDecodeForwardRnnCell",
           "CrfDecodeBackwardRnnCell"]


def viterbi_decode(score, transition_params):
    """Decodes the highest scoring tag sequence in NumPy (meant for test time).

    Args:
      score: a `[seq_len, num_tags]` array of unary potentials.
      transition_params: a `[num_tags, num_tags]` array of binary potentials.

    Returns:
      `(viterbi, viterbi_score)`: a list of `seq_len` tag indices and the best score.
    """
    score = np.asarray(score)
    trellis = np.zeros_like(score)
    backpointers = np.zeros_like(score, dtype=np.int32)
    trellis[0] = score[0]
    for t in range(1, score.shape[0]):
        v = np.expand_dims(trellis[t - 1], 1) + transition_params
        trellis[t] = score[t] + np.max(v, 0)
        backpointers[t] = np.argmax(v, 0)
    viterbi = [np.argmax(trellis[-1])]
    for bp in reversed(backpointers[1:]):
        viterbi.append(bp[viterbi[-1]])
    viterbi.reverse()
    return viterbi, np.max(trellis[-1])


class CrfDecodeForwardRnnCell(TransitionCell):
    """One forward Viterbi step: the best scores so far and the backpointers.

    Args:
      transition_params: a `[num_tags, num_tags]` matrix of binary potentials.
    """

    def __call__(self, inputs, state, scope=None):
        """Advances the best scores by one step.

        Args:
          inputs: a `[batch_size, num_tags]` Tensor of unary potentials.
          state: a `[batch_size, num_tags]` Tensor of the previous best scores.
          scope: unused.

        Returns:
          `(backpointers, new_state)`: int32 `[batch_size, num_tags]` and the new scores.
        """
        scores = tf.expand_dims(state, 2) + self._transition_params
        new_state = inputs + tf.reduce_max(scores, [1])
        return tf.cast(tf.argmax(scores, 1), tf.int32), new_state


class CrfDecodeBackwardRnnCell(RNNCell):
    """One backward Viterbi step: the tag the backpointers give for the next tag.

    Args:
      num_tags: the number of tags.
    """

    def __init__(self, num_tags):
        super().__init__()
        self._num_tags = num_tags

    @property
    def state_size(self):
        """1: the state is the current tag."""
        return 1

    @property
    def output_size(self):
        """1: the output is the current tag."""
        return 1

    def __call__(self, inputs, state, scope=None):
        """Follows the backpointers one step back.

        Args:
          inputs: an int32 `[batch_size, num_tags]` Tensor of backpointers.
          state: an int32 `[batch_size, 1]` Tensor: the tag of the next position.
          scope: unused.

        Returns:
          `(new_tags, new_tags)`, both int32 `[batch_size, 1]`.
        """
        state = tf.squeeze(state, axis=[1])
        rows = tf.range(tf.shape(inputs)[0])
        new_tags = tf.expand_dims(tf.gather_nd(inputs, tf.stack([rows, state], axis=1)), -1)
        return new_tags, new_tags


def _decode_many(potentials, transition_params, sequence_length):
    num_tags = potentials.shape[2].value
    first = tf.squeeze(tf.slice(potentials, [0, 0, 0], [-1, 1, -1]), axis=[1])
    rest = tf.slice(potentials, [0, 1, 0], [-1, -1, -1])
    steps = tf.maximum(tf.constant(0, sequence_length.dtype), sequence_length - 1)
    backpointers, last_score = tf.nn.dynamic_rnn(
        CrfDecodeForwardRnnCell(transition_params), rest, sequence_length=steps,
        initial_state=first, dtype=tf.int32)
    backpointers = tf.reverse_sequence(backpointers, steps, seq_axis=1, batch_axis=0)
    last_tag = tf.expand_dims(tf.cast(tf.argmax(last_score, axis=1), tf.int32), axis=-1)
    tags, _ = tf.nn.dynamic_rnn(CrfDecodeBackwardRnnCell(num_tags), backpointers,
                                sequence_length=steps, initial_state=last_tag,
                                dtype=tf.int32)
    tags = tf.concat([last_tag, tf.squeeze(tags, axis=[2])], axis=1)
    tags = tf.reverse_sequence(tags, sequence_length, seq_axis=1, batch_axis=0)
    return tags, tf.reduce_max(last_score, axis=1)


def crf_decode(potentials, transition_params, sequence_length):
    """Decodes the highest scoring tag sequences in the graph (Viterbi).

    Args:
      potentials: a `[batch_size, max_seq_len, num_tags]` Tensor of unary potentials.
      transition_params: a `[num_tags, num_tags]` matrix of binary potentials.
      sequence_length: a `[batch_size]` int vector of true sequence lengths.

    Returns:
      `(decode_tags, best_score)`: an int32 `[batch_size, max_seq_len]` Tensor of tags and
      the `[batch_size]` scores of those sequences.
    """
    potentials = tf.convert_to_tensor(potentials)
    sequence_length = tf.convert_to_tensor(sequence_length)

    def single():
        squeezed = tf.squeeze(potentials, [1])
        tags = tf.expand_dims(tf.argmax(squeezed, axis=1), 1)
        return tf.cast(tags, tf.int32), tf.reduce_max(squeezed, axis=1)

    def multi():
        return _decode_many(potentials, transition_params, sequence_length)

    return smart_cond(_is_single_step(potentials), single, multi)
