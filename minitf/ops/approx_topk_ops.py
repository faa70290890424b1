"""approx_max_k, approx_min_k and approx_top_k (op ApproxTopK), computed exactly: an exact
answer meets any recall target, so minitf gives the true top k (sorted, ties by lower index,
NaN counted as the largest value), with TF's gradient (each value's back to its position).
"""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.registry import register_op
from minitf.ops._shared import fmt, shape_of
from minitf.ops.manip_ops import expand_dims, one_hot
from minitf.ops.misc_math_ops import _allowed_input
from minitf.ops.reduction_ops import reduce_sum

__all__ = ["approx_max_k", "approx_min_k", "approx_top_k"]

_APPROX_TYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32)


def _approx_shapes(input, k, reduction_dimension, is_max_k, **attrs):
    if input._shape is None:
        return [None, None]
    shape = list(input._shape)
    axis = reduction_dimension % len(shape)
    if shape[axis] is not None and shape[axis] < k:
        raise ValueError(f"input must have last dimension >= k = {k} but was {shape[axis]} for "
                         f"'ApproxTopK' with input shapes: {fmt(input._shape)}.")
    shape[axis] = k
    return [tuple(shape), tuple(shape)]


@register_op("ApproxTopK", shape=_approx_shapes, outputs="n",
             dtype=lambda input, **attrs: [_allowed_input(_APPROX_TYPES, "input")(input),
                                           dtypes.int32])
def _approx_top_k(input, k, reduction_dimension, is_max_k, **attrs):
    # a stable sort of a key where NaN is the largest value: ties keep the lower index first
    nan = np.isnan(input)
    key = np.where(nan, -np.inf, -input) if is_max_k else np.where(nan, np.inf, input)
    order = np.argsort(key, axis=reduction_dimension, kind="stable")
    order = np.take(order, np.arange(k), axis=reduction_dimension)
    return [np.take_along_axis(input, order, reduction_dimension), order.astype(np.int32)]


@_approx_top_k.gradient
def _approx_top_k_grad(op, grad, _):
    # each value's gradient goes back to the position it came from
    x, indices = op.inputs[0], op.outputs[1]
    axis = op.get_attr("reduction_dimension") % len(x._shape)
    n = x._shape[axis] if x._shape[axis] is not None else shape_of(x)[axis]
    spread = one_hot(indices, n, axis=axis + 1, dtype=grad.dtype.base_dtype)
    return [reduce_sum(spread * expand_dims(grad, axis + 1), axis)]


def approx_top_k(input, k, reduction_dimension=-1, recall_target=0.95, is_max_k=True,
                 reduction_input_size_override=-1, aggregate_to_topk=True, name=None):
    """Finds the k largest (or smallest) entries along `reduction_dimension` (op ApproxTopK).

    minitf computes them exactly (an exact answer meets any recall target): sorted, ties by
    lower index, NaN as the largest value.

    Args:
      input: a float16 or float32 Tensor.
      k: the number of entries to find, a Python int.
      reduction_dimension: the dimension to search.
      recall_target, reduction_input_size_override, aggregate_to_topk: accepted for TF's
        signature; they tune the approximation, which minitf does not make.
      is_max_k: True for the largest entries, False for the smallest.
      name: a name for the operation (default "ApproxTopK").

    Returns:
      The list [values, indices]: Tensors of input's shape with `reduction_dimension`
      of size k, the indices int32.

    Raises:
      TypeError: `input` is not float16 or float32.
      ValueError: the dimension is smaller than k.
    """
    return _approx_top_k.apply(
        [input], name=name or "ApproxTopK", k=int(k), reduction_dimension=int(reduction_dimension),
        recall_target=float(recall_target), is_max_k=bool(is_max_k),
        reduction_input_size_override=int(reduction_input_size_override),
        aggregate_to_topk=bool(aggregate_to_topk))


def approx_max_k(operand, k, reduction_dimension=-1, recall_target=0.95,
                 reduction_input_size_override=-1, aggregate_to_topk=True, name=None):
    """Finds the k largest entries along `reduction_dimension`, exactly (see approx_top_k).

    Args:
      operand: a float16 or float32 Tensor.
      k: the number of entries to find, a Python int.
      reduction_dimension: the dimension to search.
      recall_target, reduction_input_size_override, aggregate_to_topk: accepted for TF's
        signature (minitf makes no approximation).
      name: a name for the operation (default "ApproxTopK").

    Returns:
      The tuple (values, indices).
    """
    return tuple(approx_top_k(operand, k, reduction_dimension, recall_target, True,
                              reduction_input_size_override, aggregate_to_topk, name))


def approx_min_k(operand, k, reduction_dimension=-1, recall_target=0.95,
                 reduction_input_size_override=-1, aggregate_to_topk=True, name=None):
    """Finds the k smallest entries along `reduction_dimension`, exactly (see approx_top_k).

    Args:
      operand: a float16 or float32 Tensor.
      k: the number of entries to find, a Python int.
      reduction_dimension: the dimension to search.
      recall_target, reduction_input_size_override, aggregate_to_topk: accepted for TF's
        signature (minitf makes no approximation).
      name: a name for the operation (default "ApproxTopK").

    Returns:
      The tuple (values, indices).
    """
    return tuple(approx_top_k(operand, k, reduction_dimension, recall_target, False,
                              reduction_input_size_override, aggregate_to_topk, name))
