"""Sequence ops: range, linspace, meshgrid, sequence_mask and where_v2 (SelectV2, TF2's
broadcasting select), plus the index helpers invert_permutation, setdiff1d and searchsorted.
"""
import numpy as np

from minitf.framework import dtypes as _dtypes, errors
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops import manip_ops as _manip
from minitf.ops._shared import broadcast_shape, fmt, operands, zeros_like
from minitf.ops.array_ops import ones, size
from minitf.ops.math_ops import cast, less, multiply, unbroadcast
from minitf.ops.reduction_ops import reduce_max

__all__ = ["range", "linspace", "lin_space", "meshgrid", "sequence_mask", "where_v2",
           "invert_permutation", "setdiff1d", "searchsorted"]


# -- range, linspace -------------------------------------------------------------------------------
def _range_shape(start, limit, delta):
    values = [constant_value(t) for t in (start, limit, delta)]
    if values[2] is not None and values[2] == 0:
        raise ValueError("Requires delta != 0 for 'Range' with input shapes: [], [], [].")
    if any(v is None for v in values):
        return (None,)
    lo, hi, step = (v.item() for v in values)
    return (max(0, int(np.ceil((hi - lo) / step))),)


@register_op("Range", shape=_range_shape, differentiable=False)
def _range(start, limit, delta):
    if delta == 0:
        raise errors.InvalidArgumentError(None, None, f"Requires delta != 0: {delta}")
    return np.arange(start, limit, delta, dtype=start.dtype)


_RANGE_ORDER = (_dtypes.int32, _dtypes.int64, _dtypes.float32, _dtypes.float64)


def range(start, limit=None, delta=1, dtype=None, name="range"):
    """Creates a sequence of numbers from `start` up to (not including) `limit` by `delta`.

    Args:
      start: the first value (or `limit`, with a start of 0, when `limit` is None).
      limit: the bound, exclusive.
      delta: the step (default 1).
      dtype: the element type (default: the widest of the arguments', as TF infers it).
      name: a name for the operation (default "range").

    Returns:
      A 1-D Tensor.

    Raises:
      ValueError: `delta` is a constant 0.
      minitf.errors.InvalidArgumentError: at run time, `delta` is 0.
    """
    if limit is None:
        start, limit = 0, start
    with name_scope(name, "Range", [start, limit, delta]) as scope:
        args = [convert_to_tensor(v, dtype=dtype, name=n)
                for v, n in zip((start, limit, delta), ("start", "limit", "delta"))]
        widest = max((a.dtype.base_dtype for a in args), key=_RANGE_ORDER.index)
        # TF casts all three to the widest of their dtypes (a constant stays a constant)
        args = [a if a.dtype.base_dtype == widest else cast(a, widest)
                if constant_value(a) is None else convert_to_tensor(constant_value(a), widest)
                for a in args]
        return _range.apply(args, name=scope)


def _lin_space_shape(start, stop, num):
    n = constant_value(num)
    return (None if n is None else int(n),)


@register_op("LinSpace", shape=_lin_space_shape, differentiable=False)
def _lin_space(start, stop, num):
    return np.linspace(start, stop, int(num)).astype(start.dtype)


def linspace(start, stop, num, name=None):
    """Returns `num` evenly spaced values from `start` to `stop`, both included.

    Args:
      start: a float scalar, the first value.
      stop: a float scalar of the same dtype, the last value.
      num: an int scalar, the number of values.
      name: a name for the operation (default "LinSpace").

    Returns:
      A 1-D Tensor of `start`'s dtype.

    Raises:
      TypeError: `start` is not a float.
    """
    start = convert_to_tensor(start, name="start")
    if not start.dtype.is_floating:
        raise TypeError(f"Value for attr 'T' of {start.dtype.name} is not in the list of "
                        "allowed values: bfloat16, half, float, double")
    return _lin_space.apply([start, convert_to_tensor(stop, start.dtype.base_dtype), num],
                            name=name or "LinSpace")


lin_space = linspace


def meshgrid(*args, **kwargs):
    """Broadcasts 1-D coordinate vectors into N-D grids, one per vector.

    Args:
      *args: N 1-D Tensors.
      **kwargs: `indexing` ("xy", the default, Cartesian; or "ij", matrix) and `name`
        (default "meshgrid").

    Returns:
      A list of N Tensors of the grid's shape.

    Raises:
      TypeError: an unknown keyword argument.
      ValueError: `indexing` is neither "xy" nor "ij".
    """
    indexing, name = kwargs.pop("indexing", "xy"), kwargs.pop("name", "meshgrid")
    if kwargs:
        raise TypeError(f"'{next(iter(kwargs))}' is an invalid keyword argument for this function")
    if indexing not in ("xy", "ij"):
        raise ValueError("indexing parameter must be either 'xy' or 'ij'")
    with name_scope(name, "meshgrid", args):
        args = [convert_to_tensor(x) for x in args]
        n = len(args)
        at = [int(i) for i in np.arange(n)]  # (this module's `range` is tf.range)
        if indexing == "xy" and n > 1:  # Cartesian: the first two dimensions swap
            at[0], at[1] = 1, 0
        outs = [_manip.reshape(x, (1,) * a + (-1,) + (1,) * (n - a - 1))
                for x, a in zip(args, at)]
        sizes = [None] * n
        for x, a in zip(args, at):
            sizes[a] = size(x) if x._shape is None or None in x._shape else x._shape[0]
        # every grid is its vector times ones of the full shape, as TF builds it
        full = ones(sizes, dtype=args[0].dtype) if n else None
        return [multiply(t, full, name="mul") for t in outs]


def sequence_mask(lengths, maxlen=None, dtype=_dtypes.bool, name=None):
    """Returns a mask of the first `lengths[i]` positions of each row.

    `mask[i..., j] = j < lengths[i...]`.

    Args:
      lengths: an integer Tensor of lengths.
      maxlen: the size of the last dimension (default: the largest length).
      dtype: the mask's dtype (default bool).
      name: a name for the operation (default "SequenceMask").

    Returns:
      A Tensor of shape `lengths.shape + [maxlen]`.
    """
    with name_scope(name, "SequenceMask", [lengths, maxlen]):
        lengths = convert_to_tensor(lengths)
        maxlen = reduce_max(lengths) if maxlen is None else convert_to_tensor(maxlen)
        row = range(cast(0, maxlen.dtype), maxlen, cast(1, maxlen.dtype))
        mask = less(row, _manip.expand_dims(cast(lengths, maxlen.dtype), -1))
        dtype = _dtypes.as_dtype(dtype)
        return mask if dtype == _dtypes.bool else cast(mask, dtype)


# -- where_v2 --------------------------------------------------------------------------------------
def _select_v2_shape(condition, x, y):
    return broadcast_shape(broadcast_shape(condition._shape, x._shape, "SelectV2"), y._shape,
                           "SelectV2")


@register_op("SelectV2", shape=_select_v2_shape, dtype=lambda c, x, y: x.dtype.base_dtype)
def _select_v2(condition, x, y):
    return np.where(condition, x, y)


@_select_v2.gradient
def _select_v2_grad(op, grad):
    condition, x, y = op.inputs
    zeros = zeros_like(grad)
    return [None, unbroadcast(_select_v2.apply([condition, grad, zeros]), x),
            unbroadcast(_select_v2.apply([condition, zeros, grad]), y)]


def where_v2(condition, x=None, y=None, name=None):
    """Picks elements of `x` where `condition` holds, of `y` elsewhere, with broadcasting.

    With neither `x` nor `y`, returns the coordinates of the true elements of `condition`
    (as `tf.where`).

    Args:
      condition: a bool Tensor.
      x: a Tensor broadcastable with `condition` and `y`.
      y: a Tensor of `x`'s dtype.
      name: a name for the operation (default "SelectV2").

    Returns:
      A Tensor of the broadcast shape and `x`'s dtype.

    Raises:
      ValueError: only one of `x` and `y` is given, or the shapes do not broadcast.
      TypeError: `x` and `y` differ in dtype.
    """
    if x is None and y is None:
        return _manip.where(condition, name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    x, y = operands(x, y, "SelectV2")
    return _select_v2.apply([condition, x, y], name=name or "SelectV2")


# -- index helpers (not differentiable) ------------------------------------------------------------
@register_op("InvertPermutation", shape=lambda x: x._shape, differentiable=False)
def _invert_permutation(x):
    n = x.size
    if x.size and (x.min() < 0 or x.max() >= n):
        bad = x[(x < 0) | (x >= n)][0]
        raise errors.InvalidArgumentError(None, None, f"{bad} is not between 0 and {n}")
    counts = np.bincount(x, minlength=n)
    if (counts > 1).any():
        raise errors.InvalidArgumentError(None, None, f"{np.argmax(counts > 1)} is duplicated in "
                                          "the input.")
    out = np.empty_like(x)
    out[x] = np.arange(n, dtype=x.dtype)
    return out


def invert_permutation(x, name=None):
    """Computes the inverse permutation: `y[x[i]] = i`.

    Args:
      x: a 1-D int32 or int64 Tensor, a permutation of 0..n-1.
      name: a name for the operation (default "InvertPermutation").

    Returns:
      A Tensor of `x`'s shape and dtype.

    Raises:
      minitf.errors.InvalidArgumentError: at run time, `x` is not a permutation.
    """
    return _invert_permutation.apply([x], name=name or "InvertPermutation")


@register_op("ListDiff", shape=lambda x, y, out_idx: [(None,), (None,)], outputs="n",
           dtype=lambda x, y, out_idx: [x.dtype.base_dtype, out_idx], differentiable=False)
def _list_diff(x, y, out_idx):
    keep = np.flatnonzero(~np.isin(x, y))
    return [x[keep], keep.astype(out_idx.as_numpy_dtype)]


def setdiff1d(x, y, index_dtype=_dtypes.int32, name=None):
    """Returns the values of `x` not in `y`, in their order, and their positions in `x`.

    Args:
      x: a 1-D Tensor.
      y: a 1-D Tensor of `x`'s dtype.
      index_dtype: int32 or int64, the dtype of the positions.
      name: a name for the operation (default "ListDiff").

    Returns:
      The tuple (out, idx) with `out = gather(x, idx)`.
    """
    x, y = operands(x, y, "ListDiff")
    return tuple(_list_diff.apply([x, y], name=name or "ListDiff",
                                  out_idx=_dtypes.as_dtype(index_dtype)))


def _search_shape(sorted_sequence, values, side):
    a, b = sorted_sequence._shape, values._shape
    if a is not None and b is not None and len(a) != len(b):
        raise ValueError(f"Shapes must be equal rank, but are {len(a)} and {len(b)} for "
                         f"'{'UpperBound' if side == 'right' else 'LowerBound'}' with input "
                         f"shapes: {fmt(a)}, {fmt(b)}.")
    return b


@register_op("LowerBound", shape=lambda s, v, out_type: _search_shape(s, v, "left"),
             dtype=lambda s, v, out_type: out_type, differentiable=False)
def _lower_bound(sorted_sequence, values, out_type):
    # counts, per row, the entries below each value (all rows at once, by broadcasting)
    below = sorted_sequence[..., None, :] < values[..., None]
    return below.sum(-1).astype(out_type.as_numpy_dtype)


@register_op("UpperBound", shape=lambda s, v, out_type: _search_shape(s, v, "right"),
             dtype=lambda s, v, out_type: out_type, differentiable=False)
def _upper_bound(sorted_sequence, values, out_type):
    return (sorted_sequence[..., None, :] <= values[..., None]).sum(-1).astype(
        out_type.as_numpy_dtype)


def searchsorted(sorted_sequence, values, side="left", out_type=_dtypes.int32, name=None):
    """Finds, in each row of `sorted_sequence`, where each value of `values` would go.

    Args:
      sorted_sequence: an N-D Tensor sorted along its last dimension.
      values: an N-D Tensor with the same leading dimensions.
      side: "left" (the first such position, LowerBound) or "right" (the last, UpperBound).
      out_type: int32 or int64.
      name: a name for the operation (default "LowerBound" or "UpperBound").

    Returns:
      A Tensor of `values`' shape and `out_type`.

    Raises:
      ValueError: `side` is neither "left" nor "right", or the ranks differ.
    """
    if side not in ("left", "right"):
        raise ValueError(f"Argument `side` must be either 'right' or 'left'. Received: `side` = "
                         f"{side}.")
    opdef = _lower_bound if side == "left" else _upper_bound
    sorted_sequence, values = operands(sorted_sequence, values, opdef.type)
    return opdef.apply([sorted_sequence, values], name=name or opdef.type,
                       out_type=_dtypes.as_dtype(out_type))
