"""CTC label helpers of tf.nn (above the op families: ctc_unique_labels runs map_fn), composed
as TF composes them: collapse_repeated (runs of equal
labels merged, within each sequence's length) and ctc_unique_labels (each row's unique labels
and the index of each label among them, through map_fn).
"""
from minitf.control_flow.functional import map_fn
from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.ops import manip_ops, math_ops
from minitf.ops._shared import ones_like, shape
from minitf.ops.gather_scatter_ops import boolean_mask, scatter_nd
from minitf.ops.reduction_ops import reduce_max, reduce_sum
from minitf.ops.sequence_ops import range as _range, sequence_mask

__all__ = ["collapse_repeated", "ctc_unique_labels"]


def _dim(t, i):
    """Dimension `i` of `t`: its static size when known, else a scalar tensor."""
    if t.shape.ndims is not None and t.shape.as_list()[i] is not None:
        return t.shape.as_list()[i]
    return shape(t)[i]


def collapse_repeated(labels, seq_length, name=None):
    """Merges repeated labels: each run of equal labels (within a row's length) becomes one.

    >>> import minitf as tf
    >>> out, lengths = tf.nn.collapse_repeated([[1, 1, 2, 2, 3], [4, 4, 4, 0, 0]], [5, 2])
    >>> with tf.Session() as sess:
    ...     print(sess.run(out).tolist(), sess.run(lengths).tolist())
    [[1, 2, 3], [4, 0, 0]] [3, 1]

    Args:
      labels: a [batch, max_length] Tensor of labels.
      seq_length: a [batch] Tensor, each row's length.
      name: a name scope (default "collapse_repeated_labels").

    Returns:
      The tuple (collapsed labels [batch, new max length], padded with zeros; their lengths, of
      `seq_length`'s dtype).
    """
    with name_scope(name, "collapse_repeated_labels", [labels, seq_length]):
        labels = convert_to_tensor(labels, name="labels")
        seq_length = convert_to_tensor(seq_length, name="seq_length")
        # a label starts a run when it differs from the one before, inside the sequence
        label_mask = manip_ops.concat([ones_like(labels[:, :1], dtypes.bool),
                                       math_ops.not_equal(labels[:, 1:], labels[:, :-1])], axis=1)
        seq_mask = sequence_mask(seq_length, maxlen=_dim(labels, 1))
        label_mask = math_ops.logical_and(label_mask, seq_mask)
        new_seq_len = reduce_sum(math_ops.cast(label_mask, dtypes.int32), axis=1)
        new_maxlen = reduce_max(new_seq_len)
        idx_mask = sequence_mask(new_seq_len, maxlen=new_maxlen)
        # the kept labels scattered to the front of each row
        flat_labels = manip_ops.reshape(labels, [-1])
        flat_label_mask = manip_ops.reshape(label_mask, [-1])
        flat_idx_mask = manip_ops.reshape(idx_mask, [-1])
        idx = _range(_dim(flat_idx_mask, 0))
        flat = scatter_nd(indices=manip_ops.expand_dims(boolean_mask(idx, flat_idx_mask), axis=1),
                          updates=boolean_mask(flat_labels, flat_label_mask),
                          shape=shape(flat_idx_mask))
        new_shape = [_dim(labels, 0), new_maxlen]
        return (manip_ops.reshape(flat, new_shape),
                math_ops.cast(new_seq_len, seq_length.dtype.base_dtype))


def ctc_unique_labels(labels, name=None):
    """Each row's unique labels and, for each label, the index of its value among them.

    The unique labels come in order of first appearance, zero-padded to the row's length.

    Args:
      labels: a [batch, max_length] Tensor of int labels.
      name: a name scope (default "ctc_unique_labels").

    Returns:
      The tuple (unique labels [batch, max_length] int64, indices [batch, max_length] int32).
    """
    with name_scope(name, "ctc_unique_labels", [labels]):
        labels = convert_to_tensor(labels, name="labels")

        def _unique(x):
            y, idx = manip_ops.unique(x)
            y = manip_ops.pad(y, [[0, _dim(idx, 0) - _dim(y, 0)]])
            return [math_ops.cast(y, dtypes.int64), idx]

        return map_fn(_unique, labels, dtype=[dtypes.int64, dtypes.int32])
