"""TopKHits: per row, how many top-k predicted classes are labels and how many are not.

TF's top-k metrics count them with set ops on SparseTensors (set_intersection and
set_difference of the predicted ids and the label ids, then set_size). minitf has no
SparseTensor, so this one op computes the same three set sizes densely, row by row:

    tp = |P & L|,  fp = |P - L|,  fn = |L - P|

where P and L are the sets of ids in a row of `predictions_idx` and of `labels` (duplicates
count once, as in a set). With `class_id`, both sets first keep only that id.
"""
import numpy as np

from minitf.framework import dtypes as _dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops._shared import fmt

__all__ = ["top_k_hits"]


def _hits_shapes(predictions_idx, labels, class_id):
    p, q = predictions_idx._shape, labels._shape
    shapes = f"{fmt(p)}, {fmt(q)}"
    for s in (p, q):
        if s is not None and len(s) < 2:
            raise ValueError(f"Shape must be at least rank 2 but is rank {len(s)} for "
                             f"'TopKHits' with input shapes: {shapes}.")
    if p is None or q is None:
        out = None if p is None and q is None else (p or q)[:-1]
        return [out] * 3
    a, b = p[:-1], q[:-1]
    if len(a) != len(b):
        raise ValueError(f"Shapes must be equal rank, but are {len(a)} and {len(b)} for "
                         f"'TopKHits' with input shapes: {shapes}.")
    for i, (x, y) in enumerate(zip(a, b)):
        if None not in (x, y) and x != y:
            raise ValueError(f"Dimension {i} in both shapes must be equal, but are {x} and {y}. "
                             f"Shapes are {fmt(a)} and {fmt(b)}. for 'TopKHits' with input "
                             f"shapes: {shapes}.")
    return [tuple(x if x is not None else y for x, y in zip(a, b))] * 3


def _first_of_kind(rows):
    """[n, m] bool: True where the id is not repeated earlier in its row (a set keeps one)."""
    m = rows.shape[1]
    earlier = np.tril(np.ones((m, m), bool), -1)  # [j, j']: j' comes before j
    return ~((rows[:, :, None] == rows[:, None, :]) & earlier).any(axis=2)


@register_op("TopKHits", shape=_hits_shapes, outputs="n", differentiable=False,
             dtype=lambda predictions_idx, labels, class_id: [_dtypes.int32] * 3)
def _top_k_hits(predictions_idx, labels, class_id):
    batch = predictions_idx.shape[:-1]
    if labels.shape[:-1] != batch:
        raise ValueError(f"Shapes of the ids must match but are {list(batch)} and "
                         f"{list(labels.shape[:-1])}")
    n = int(np.prod(batch, dtype=np.int64))
    p = predictions_idx.reshape(n, predictions_idx.shape[-1])
    q = labels.reshape(n, labels.shape[-1])
    if class_id is not None:
        in_p, in_q = (p == class_id).any(axis=1), (q == class_id).any(axis=1)
        counts = (in_p & in_q, in_p & ~in_q, in_q & ~in_p)
    else:
        same = p[:, :, None] == q[:, None, :]  # [n, k, num_labels]
        p_in_q, q_in_p = same.any(axis=2), same.any(axis=1)
        p_first, q_first = _first_of_kind(p), _first_of_kind(q)
        counts = ((p_first & p_in_q).sum(axis=1), (p_first & ~p_in_q).sum(axis=1),
                  (q_first & ~q_in_p).sum(axis=1))
    return [np.asarray(c, np.int32).reshape(batch) for c in counts]


def top_k_hits(predictions_idx, labels, class_id=None, name=None):
    """Counts, per row, the predicted ids that are labels, the others, and the missed labels.

    The rows are the last dimension; duplicate ids in a row count once, as in a set.

    Args:
      predictions_idx: an int Tensor [D1, ... DN, k] of predicted class ids (N >= 1).
      labels: a Tensor [D1, ... DN, num_labels] of label ids, of `predictions_idx`'s dtype.
      class_id: None, or the one id to count (every other id is left out).
      name: a name for the op (default "TopKHits").

    Returns:
      (true_positives, false_positives, false_negatives): int32 Tensors [D1, ... DN].

    Raises:
      TypeError: if the dtypes differ.
      ValueError: if a rank is below 2 or the [D1, ... DN] shapes differ.

    >>> from minitf.ops.topk_metric_ops import top_k_hits
    >>> tp, fp, fn = top_k_hits([[3, 1], [0, 2]], [[1, 5], [0, 2]])
    >>> with tf.Session() as sess:
    ...     print(sess.run([tp, fp, fn]))
    [array([1, 2], dtype=int32), array([1, 0], dtype=int32), array([1, 0], dtype=int32)]
    """
    with name_scope(name, "TopKHits", [predictions_idx, labels]) as scope:
        predictions_idx = convert_to_tensor(predictions_idx, name="predictions_idx")
        labels = convert_to_tensor(labels, name="labels")
        if predictions_idx.dtype.base_dtype != labels.dtype.base_dtype:
            raise TypeError(f"Types don't match, {predictions_idx.dtype.base_dtype} vs "
                            f"{labels.dtype.base_dtype}.")
        if not predictions_idx.dtype.is_integer:
            raise TypeError(f"TopKHits needs integer ids, got {predictions_idx.dtype.name}")
        return tuple(_top_k_hits.apply([predictions_idx, labels], name=scope,
                                       class_id=None if class_id is None else int(class_id)))
