"""`tf.contrib.seq2seq.gather_tree` (TF 1.15's GatherTree op, with a NumPy kernel): follows
each final beam's parent pointers back from its last step to recover its full id sequence."""
import numpy as np

import minitf as tf
from minitf.framework import errors
from minitf.framework.registry import register_op

__all__ = ["gather_tree"]


def _gather_tree_shape(step_ids, parent_ids, max_sequence_lengths, end_token):
    for t, rank, what in ((step_ids, 3, "step_ids"), (parent_ids, 3, "parent_ids"),
                          (max_sequence_lengths, 1, "max_sequence_lengths"),
                          (end_token, 0, "end_token")):
        if t._shape is not None and len(t._shape) != rank:
            raise ValueError(f"Shape must be rank {rank} but is rank {len(t._shape)} for "
                             f"'GatherTree' (op: 'GatherTree'): {what}")
    return step_ids._shape


def _fail(message):
    raise errors.InvalidArgumentError(None, None, message)


def _check_shapes(step_ids, parent_ids, max_sequence_lengths):
    if step_ids.shape != parent_ids.shape:
        _fail(f"step_ids.shape must match parent_ids.shape.  but shapes are: "
              f"{list(step_ids.shape)} and {list(parent_ids.shape)}")
    if max_sequence_lengths.shape[0] != step_ids.shape[1]:
        _fail("batch size dimensions step_ids.shape[1] and max_sequence_lengths.shape[0] must "
              f"match.  but shapes are: {list(step_ids.shape)} and "
              f"{list(max_sequence_lengths.shape)}")


def _trace_beam(step_ids, parent_ids, out, length, b, beam):
    """Writes batch entry b's beam `beam` of `out`, following parents back from `length`."""
    beam_width = step_ids.shape[2]
    out[length - 1, b, beam] = step_ids[length - 1, b, beam]
    parent = parent_ids[length - 1, b, beam]
    for level in range(length - 2, -1, -1):
        if parent < 0 or parent > beam_width:
            _fail(f"Saw invalid parent id {parent} at (batch, time, beam) == ({b}, {level}, "
                  f"{beam})")
        out[level, b, beam] = step_ids[level, b, parent]
        parent = parent_ids[level, b, parent]


@register_op("GatherTree", shape=_gather_tree_shape, differentiable=False)
def _gather_tree(step_ids, parent_ids, max_sequence_lengths, end_token):
    _check_shapes(step_ids, parent_ids, max_sequence_lengths)
    max_time, batch, beam_width = step_ids.shape
    out = np.full(step_ids.shape, end_token, dtype=step_ids.dtype)
    for b in range(batch):
        length = min(max_time, int(max_sequence_lengths[b]))
        if length <= 0:
            continue
        for beam in range(beam_width):
            _trace_beam(step_ids, parent_ids, out, length, b, beam)
            # a beam that ended stays ended (ids after its first end_token become end_token)
            ended = np.cumsum(out[:length, b, beam] == end_token) > 0
            after = np.concatenate([[False], ended[:-1]])
            out[:length, b, beam][after] = end_token
    return out


def gather_tree(step_ids, parent_ids, max_sequence_lengths, end_token, name=None):
    """Returns each final beam's full id sequence, traced back through `parent_ids`.

    Entry b's beams are traced from step `min(max_time, max_sequence_lengths[b]) - 1` back to
    step 0; steps past that length hold `end_token`, as does every step after a beam's first
    `end_token`.

    Args:
      step_ids: an int32 `[max_time, batch_size, beam_width]` Tensor of the ids chosen.
      parent_ids: an int32 `[max_time, batch_size, beam_width]` Tensor of the beams they
        extend.
      max_sequence_lengths: an int32 `[batch_size]` Tensor.
      end_token: an int32 scalar.
      name: a name for the op (default "GatherTree").

    Returns:
      An int32 `[max_time, batch_size, beam_width]` Tensor.

    Raises:
      ValueError: a rank is wrong.
      minitf.errors.InvalidArgumentError: at run time, mismatched shapes or a parent id out
        of range.
    """
    step_ids = tf.convert_to_tensor(step_ids, name="step_ids")
    inputs = [step_ids, tf.convert_to_tensor(parent_ids, step_ids.dtype, name="parent_ids"),
              tf.convert_to_tensor(max_sequence_lengths, step_ids.dtype,
                                   name="max_sequence_lengths"),
              tf.convert_to_tensor(end_token, step_ids.dtype, name="end_token")]
    return _gather_tree.apply(inputs, name=name or "GatherTree")
