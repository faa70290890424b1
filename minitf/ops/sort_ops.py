"""Ordering ops: top_k (TopKV2) with sort and argsort built on it as TF builds them, reverse
(ReverseV2), roll and unique_with_counts.
"""
import collections

import numpy as np

from minitf.framework import dtypes as _dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops import manip_ops as _manip
from minitf.ops._shared import fmt, shape_of
from minitf.ops.math_ops import multiply, negative, subtract
from minitf.ops.sequence_ops import range as _range

__all__ = ["top_k", "sort", "argsort", "reverse", "reverse_v2", "roll", "unique_with_counts"]


TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])
UniqueWithCounts = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])


def _int_tensor(value, name=None):
    return convert_to_tensor(value, dtype=None if hasattr(value, "dtype") else _dtypes.int32,
                             name=name)


# -- top_k -----------------------------------------------------------------------------------------
def _top_k_shapes(x, k, sorted):
    kv = constant_value(k)
    if x._shape is None:
        return [None, None]
    if not x._shape:
        raise ValueError("Shape must be at least rank 1 but is rank 0 for 'TopKV2' with input "
                         f"shapes: [], {fmt(k._shape)}.")
    n = x._shape[-1]
    if kv is not None and n is not None and int(kv) > n:
        raise ValueError(f"input must have last dimension >= k = {int(kv)} but is {n} for "
                         f"'TopKV2' with input shapes: {fmt(x._shape)}, [].")
    out = x._shape[:-1] + (None if kv is None else int(kv),)
    return [out, out]


@register_op("TopKV2", shape=_top_k_shapes, outputs="n",
             dtype=lambda x, k, sorted: [x.dtype.base_dtype, _dtypes.int32])
def _top_k(x, k, sorted):
    # a stable sort of the reversed row, reversed: descending, ties by lower index first
    n = x.shape[-1]
    order = (n - 1 - np.argsort(x[..., ::-1], axis=-1, kind="stable")[..., ::-1])[..., :int(k)]
    return [np.take_along_axis(x, order, -1), order.astype(np.int32)]


@_top_k.gradient
def _top_k_grad(op, grad, *_):
    # the values' gradient goes back to the positions they came from, row by row
    x, indices = op.inputs[0], op.outputs[1]
    x_shape = shape_of(x)
    n, k = x_shape[-1], shape_of(indices)[-1]
    flat = _manip.reshape(indices, _manip.stack([-1, k]))
    rows = shape_of(flat)[0]
    ids = flat + _manip.expand_dims(multiply(_range(rows), n), 1)
    summed = _manip.unsorted_segment_sum(_manip.reshape(grad, [-1]), _manip.reshape(ids, [-1]),
                                         multiply(rows, n))
    return [_manip.reshape(summed, x_shape), None]


def top_k(input, k=1, sorted=True, name=None):
    """Finds the `k` largest entries of the last dimension of `input`, and their indices.

    Equal values come in the order of their indices.

    Args:
      input: a real Tensor of rank 1 or more.
      k: the number of entries to find, a scalar int (or int Tensor).
      sorted: accepted for TF's signature; the results are always in descending order.
      name: a name for the operation (default "TopKV2").

    Returns:
      The tuple (values, indices): Tensors of shape `input.shape[:-1] + [k]`, the indices
      int32.

    Raises:
      ValueError: `input` is a scalar, or its last dimension is known and less than `k`.
    """
    return TopKV2(*_top_k.apply([input, _int_tensor(k)], name=name or "TopKV2",
                                sorted=bool(sorted)))


def _order_reversal(dtype):
    """An order-reversing map that is its own inverse: -x for floats, and for integers
    ~x (max - x unsigned, -1 - x signed), which cannot overflow."""
    if not dtype.is_integer:
        return negative
    return lambda x: subtract(dtype.max if dtype.is_unsigned else -1, x, name="sub")


def _sort_or_argsort(values, axis, direction, return_indices):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError("Argument `direction` should be one of ASCENDING, DESCENDING. "
                         f"Received: direction={direction}")
    values = convert_to_tensor(values)
    rank = None if values._shape is None else len(values._shape)
    axis = _manip._axis(axis, rank, "sort")
    last = rank is not None and axis == rank - 1
    perm = None if last else [i for i in range(rank) if i != axis] + [axis]
    x = values if last else _manip.transpose(values, perm)
    # ascending is the descending order of order-reversed values, as TF does it
    ascending = direction == "ASCENDING"
    flip = _order_reversal(x.dtype.base_dtype) if ascending else None
    x = x if flip is None else flip(x)
    n = x._shape[-1] if x._shape[-1] is not None else shape_of(x)[-1]
    top, indices = top_k(x, n)
    out = indices if return_indices else top if flip is None else flip(top)
    return out if last else _manip.transpose(out, list(np.argsort(perm)))


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """Sorts `values` along `axis`.

    Args:
      values: a real Tensor of known rank.
      axis: the dimension to sort along (default -1, the last).
      direction: "ASCENDING" or "DESCENDING".
      name: a name for the operation (default "sort").

    Returns:
      A Tensor of `values`' shape and dtype.

    Raises:
      ValueError: `direction` is unknown, or `axis` is out of range.
    """
    with name_scope(name, "sort", [values]):
        return _sort_or_argsort(values, axis, direction, return_indices=False)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """Returns the indices that sort `values` along `axis`.

    Equal values keep the order of their indices (a stable sort, whatever `stable` says).

    Args:
      values: a real Tensor of known rank.
      axis: the dimension to sort along (default -1, the last).
      direction: "ASCENDING" or "DESCENDING".
      stable: accepted for TF's signature; the order is always stable.
      name: a name for the operation (default "argsort").

    Returns:
      An int32 Tensor of `values`' shape.

    Raises:
      ValueError: `direction` is unknown, or `axis` is out of range.
    """
    with name_scope(name, "argsort", [values]):
        return _sort_or_argsort(values, axis, direction, return_indices=True)


# -- reverse, roll ---------------------------------------------------------------------------------
def _reverse_shape(x, axis):
    return x._shape


@register_op("ReverseV2", shape=_reverse_shape)
def _reverse(x, axis):
    return np.flip(x, axis=tuple(int(a) for a in np.ravel(axis))).copy()


@_reverse.gradient
def _reverse_grad(op, grad):
    return [_reverse.apply([grad, op.inputs[1]]), None]


def reverse(tensor, axis, name=None):
    """Reverses the dimensions `axis` of `tensor`.

    Args:
      tensor: a Tensor of rank at most 8.
      axis: a 1-D int32 or int64 Tensor (or list) of the dimensions to reverse.
      name: a name for the operation (default "ReverseV2").

    Returns:
      A Tensor of `tensor`'s shape and dtype.
    """
    return _reverse.apply([tensor, _int_tensor(axis)], name=name or "ReverseV2")


reverse_v2 = reverse


@register_op("Roll", shape=lambda x, shift, axis: x._shape)
def _roll(x, shift, axis):
    return np.roll(x, tuple(np.ravel(shift).tolist()), tuple(np.ravel(axis).tolist()))


@_roll.gradient
def _roll_grad(op, grad):
    _, shift, axis = op.inputs
    return [_roll.apply([grad, negative(shift), axis]), None, None]


def roll(input, shift, axis, name=None):
    """Rolls the elements of `input` by `shift` places along `axis`, cyclically.

    Args:
      input: a Tensor.
      shift: an int scalar or 1-D Tensor; positive moves elements to higher indices.
      axis: an int scalar or 1-D Tensor of `shift`'s shape, the dimensions to roll.
      name: a name for the operation (default "Roll").

    Returns:
      A Tensor of `input`'s shape and dtype.
    """
    return _roll.apply([input, _int_tensor(shift), _int_tensor(axis)], name=name or "Roll")


# -- unique_with_counts ----------------------------------------------------------------------------
@register_op("UniqueWithCounts", shape=lambda x, out_idx: [(None,), x._shape, (None,)],
             outputs="n", differentiable=False,
             dtype=lambda x, out_idx: [x.dtype.base_dtype, out_idx, out_idx])
def _unique_with_counts(x, out_idx):
    values, idx = _manip._unique.kernel(x, out_idx)
    return [values, idx, np.bincount(idx, minlength=values.size).astype(idx.dtype)]


def unique_with_counts(x, out_idx=_dtypes.int32, name=None):
    """Finds the distinct values of a 1-D tensor and how often each one occurs.

    Args:
      x: a 1-D Tensor.
      out_idx: the integer type of `idx` and `count`, int32 or int64.
      name: a name for the operation (default "UniqueWithCounts").

    Returns:
      The tuple (y, idx, count): the distinct values in order of first appearance, each
      element's position in `y`, and each distinct value's number of occurrences.

    Raises:
      ValueError: `x` is not 1-D.
    """
    x = convert_to_tensor(x)
    if x._shape is not None and len(x._shape) != 1:
        raise ValueError(f"unique expects a 1-D vector, got shape {fmt(x._shape)}")
    return UniqueWithCounts(*_unique_with_counts.apply(
        [x], name=name or "UniqueWithCounts", out_idx=_dtypes.as_dtype(out_idx)))

