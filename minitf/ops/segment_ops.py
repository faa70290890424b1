"""Segment reductions: segment_sum/mean/max/min/prod (sorted ids), unsorted_segment_max/min/prod
(and the composites unsorted_segment_mean/sqrt_n), sparse_segment_sum/mean/sqrt_n, with TF's op
types and gradients (math_grad). unsorted_segment_sum is in manip_ops.

A kernel is one `ufunc.at` into an output filled with the reduction's identity. Ids are checked
at run time as TF's kernels check them (InvalidArgumentError): sorted ids must not decrease and
lie in [0, ...), unsorted ones in [0, num_segments), sparse indices in [0, rows of data).
"""
import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops._shared import ones_like, shape_of, zeros_like
from minitf.ops.manip_ops import _segment_shape, gather, reshape, unsorted_segment_sum, where
from minitf.ops.math_ops import _NUMBERS, _REALS, cast, equal, greater, maximum, sqrt
from minitf.ops.scan_ops import _param_types

__all__ = ["segment_sum", "segment_mean", "segment_max", "segment_min", "segment_prod",
           "unsorted_segment_max", "unsorted_segment_min", "unsorted_segment_prod",
           "unsorted_segment_mean", "unsorted_segment_sqrt_n", "sparse_segment_sum",
           "sparse_segment_mean", "sparse_segment_sqrt_n"]


def _fail(message):
    raise errors.InvalidArgumentError(None, None, message)


def _extreme(dtype, ufunc):
    """The identity of max (the lowest value) or min (the highest) for `dtype`."""
    info = np.finfo(dtype) if dtype.kind in "fc" else np.iinfo(dtype)
    return info.min if ufunc is np.maximum else info.max


def _accumulate(ufunc, data, ids, n, empty):
    """Each row of `data` folded by `ufunc` into row ids[i] of an output filled with `empty`."""
    out = np.full((n,) + data.shape[ids.ndim:], empty, data.dtype)
    ufunc.at(out, ids.reshape(-1), data.reshape((ids.size,) + out.shape[1:]))
    return out


def _counts(ids, n, like):
    """Rows per segment, shaped to broadcast against a segment output like `like`."""
    return np.bincount(ids.reshape(-1), minlength=n)[:n].reshape((n,) + (1,) * (like.ndim - 1))


# -- sorted segments -------------------------------------------------------------------------------
def _sorted_ids(data, ids):
    if ids.shape[:1] != data.shape[:1]:
        _fail("segment_ids should be the same size as dimension 0 of input.")
    if ids.size and ids[0] < 0:
        _fail(f"Segment id {ids[0]} out of range [0, {ids[-1] + 1}), possibly because "
              "'segment_ids' input is not sorted.")
    if np.any(np.diff(ids) < 0):
        _fail("segment ids are not increasing")
    return int(ids[-1]) + 1 if ids.size else 0


def _segment_kernel(kind):
    def kernel(data, segment_ids):
        n = _sorted_ids(data, segment_ids)
        if kind == "mean":
            total = _accumulate(np.add, data, segment_ids, n, 0)
            return (total / np.maximum(_counts(segment_ids, n, total), 1)).astype(data.dtype)
        if kind in (np.maximum, np.minimum):  # an empty segment gives 0, as in TF
            out = _accumulate(kind, data, segment_ids, n, _extreme(data.dtype, kind))
            out[np.bincount(segment_ids, minlength=n) == 0] = 0
            return out
        return _accumulate(kind, data, segment_ids, n, 1 if kind is np.multiply else 0)
    return kernel


def _sorted_shape(data, segment_ids):
    if data._shape is None:
        return None
    return (None,) + data._shape[1:]


def _data_types(types):
    return _param_types("data", types)


def _sorted_op(type, kind, types=_NUMBERS):
    return register_op(type, shape=_sorted_shape, dtype=_data_types(types))(_segment_kernel(kind))


_segment_sum = _sorted_op("SegmentSum", np.add)
_segment_mean = _sorted_op("SegmentMean", "mean")
_segment_max = _sorted_op("SegmentMax", np.maximum, _REALS)
_segment_min = _sorted_op("SegmentMin", np.minimum, _REALS)
_segment_prod = _sorted_op("SegmentProd", np.multiply)


# -- unsorted segments -----------------------------------------------------------------------------
def _unsorted_kernel(ufunc):
    def kernel(data, segment_ids, num_segments):
        n, flat = int(num_segments), segment_ids.reshape(-1)
        bad = np.flatnonzero((flat < 0) | (flat >= n))
        if bad.size:
            _fail(f"segment_ids[{bad[0]}] = {flat[bad[0]]} is out of range [0, {n})")
        empty = 1 if ufunc is np.multiply else _extreme(data.dtype, ufunc)
        return _accumulate(ufunc, data, segment_ids, n, empty)
    return kernel


def _unsorted_op(type, ufunc, types):
    return register_op(type, shape=_segment_shape, dtype=_data_types(types))(
        _unsorted_kernel(ufunc))


_unsorted_max = _unsorted_op("UnsortedSegmentMax", np.maximum, _REALS)
_unsorted_min = _unsorted_op("UnsortedSegmentMin", np.minimum, _REALS)
_unsorted_prod = _unsorted_op("UnsortedSegmentProd", np.multiply, _NUMBERS)


# -- sparse segments -------------------------------------------------------------------------------
def _sparse_kernel(scale):
    def kernel(data, indices, segment_ids, num_segments=None):
        bad = np.flatnonzero((indices < 0) | (indices >= len(data)))
        if bad.size:
            _fail(f"Bad: indices[{bad[0]}] == {indices[bad[0]]} out of range "
                  f"[0, {len(data)})")
        rows = data[indices]
        n = _sorted_ids(rows, segment_ids)
        if num_segments is not None:  # (the ...WithNumSegments ops: that many rows out)
            if n > num_segments:
                _fail("segment ids must be < num_segments")
            n = int(num_segments)
        total = _accumulate(np.add, rows, segment_ids, n, 0)
        counts = np.maximum(_counts(segment_ids, n, total), 1)
        return (total / scale(counts)).astype(data.dtype) if scale else total
    return kernel


def _sparse_shape(data, indices, segment_ids, num_segments=None):
    if num_segments is None or data._shape is None:
        return _sorted_shape(data, None)
    n = constant_value(num_segments)
    return (None if n is None else int(n),) + data._shape[1:]


def _sparse_op(type, scale, types=_REALS[:3]):
    return register_op(type, shape=_sparse_shape, dtype=_data_types(types))(
        _sparse_kernel(scale))


_sparse_sum = _sparse_op("SparseSegmentSum", None, _REALS)
_sparse_mean = _sparse_op("SparseSegmentMean", lambda counts: counts)
_sparse_sqrt_n = _sparse_op("SparseSegmentSqrtN", np.sqrt)
_sparse_sum_n = _sparse_op("SparseSegmentSumWithNumSegments", None, _REALS)
_sparse_mean_n = _sparse_op("SparseSegmentMeanWithNumSegments", lambda counts: counts)
_sparse_sqrt_n_n = _sparse_op("SparseSegmentSqrtNWithNumSegments", np.sqrt)


# -- gradients (TF's math_grad) --------------------------------------------------------------------
def _sorted_sum(x, op):
    return _segment_sum.apply([x, op.inputs[1]])


def _unsorted_sum(x, op):
    return unsorted_segment_sum(x, op.inputs[1], op.inputs[2])


def _nones(op, grad):
    return [grad] + [None] * (len(op.inputs) - 1)


def _min_or_max_grad(op, grad, segment_sum):
    """The gradient shared equally among the elements equal to their segment's extremum."""
    data, ids = op.inputs[:2]
    selected = equal(data, gather(op.outputs[0], ids))
    count = segment_sum(cast(selected, grad.dtype.base_dtype), op)
    return _nones(op, where(selected, gather(grad / count, ids), zeros_like(data)))


def _prod_grad(op, grad, segment_sum, segment_prod):
    """The product of the others in the segment: by division where data is not 0; the product
    of the non-zeros at a sole 0; 0 in a segment with several 0s."""
    data, ids = op.inputs[:2]
    is_zero = equal(data, zeros_like(data))
    grad = where(greater(segment_sum(cast(is_zero, dtypes.int32), op), 1), zeros_like(grad), grad)
    non_zero = where(is_zero, ones_like(data), data)
    non_zero_prod = segment_prod(non_zero)
    partial = where(is_zero, gather(non_zero_prod, ids), gather(op.outputs[0], ids) / non_zero)
    return _nones(op, gather(grad, ids) * partial)


_segment_sum.gradient(lambda op, grad: _nones(op, gather(grad, op.inputs[1])))
_segment_mean.gradient(lambda op, grad: _nones(op, gather(
    grad / _sorted_sum(ones_like(op.inputs[0]), op), op.inputs[1])))
for _opdef, _sum in ((_segment_max, _sorted_sum), (_segment_min, _sorted_sum),
                     (_unsorted_max, _unsorted_sum), (_unsorted_min, _unsorted_sum)):
    _opdef.gradient(lambda op, grad, _sum=_sum: _min_or_max_grad(op, grad, _sum))
_segment_prod.gradient(lambda op, grad: _prod_grad(
    op, grad, _sorted_sum, lambda x: _segment_prod.apply([x, op.inputs[1]])))
_unsorted_prod.gradient(lambda op, grad: _prod_grad(
    op, grad, _unsorted_sum, lambda x: _unsorted_prod.apply([x, *op.inputs[1:]])))


def _sparse_grad(op, grad, scale):
    """Each selected row gets its segment's gradient (divided by `scale` of the segment's
    size), summed into the data rows it was read from."""
    data, indices, ids = op.inputs[:3]
    if scale is not None:  # the segment sizes, broadcast like grad
        sizes = (_sparse_sum if len(op.inputs) == 3 else _sparse_sum_n).apply(
            [ones_like(data), indices, ids, *op.inputs[3:]])
        grad = grad / scale(sizes)
    rows = data._shape[0] if data._shape and data._shape[0] is not None else gather(
        shape_of(data), 0)
    return [unsorted_segment_sum(gather(grad, ids), indices, rows)] + [None] * (
        len(op.inputs) - 1)


for _opdef, _scale in ((_sparse_sum, None), (_sparse_sum_n, None),
                       (_sparse_mean, lambda counts: counts),
                       (_sparse_mean_n, lambda counts: counts), (_sparse_sqrt_n, sqrt),
                       (_sparse_sqrt_n_n, sqrt)):
    _opdef.gradient(lambda op, grad, _scale=_scale: _sparse_grad(op, grad, _scale))


# -- the public functions --------------------------------------------------------------------------
def _apply(opdef, inputs, name):
    return opdef.apply([convert_to_tensor(t) for t in inputs], name=name or opdef.type)


def segment_sum(data, segment_ids, name=None):
    """Computes the sum of each segment of rows of `data` (ids sorted; empty segments 0)."""
    return _apply(_segment_sum, [data, segment_ids], name)


def segment_mean(data, segment_ids, name=None):
    """Computes the mean of each segment of rows of `data` (ids sorted; empty segments 0)."""
    return _apply(_segment_mean, [data, segment_ids], name)


def segment_max(data, segment_ids, name=None):
    """Computes the maximum of each segment of rows of `data` (ids sorted; empty segments 0)."""
    return _apply(_segment_max, [data, segment_ids], name)


def segment_min(data, segment_ids, name=None):
    """Computes the minimum of each segment of rows of `data` (ids sorted; empty segments 0)."""
    return _apply(_segment_min, [data, segment_ids], name)


def segment_prod(data, segment_ids, name=None):
    """Computes the product of each segment of rows of `data` (ids sorted; empty segments 1)."""
    return _apply(_segment_prod, [data, segment_ids], name)


_SORTED_DOC = """

    Args:
      data: a Tensor (or value) of a numeric type (real for max and min).
      segment_ids: a 1-D int32/int64 Tensor of data's first dimension, sorted, >= 0.
      name: a name for the operation (optional).

    Returns:
      A Tensor of data's dtype and shape `[segment_ids[-1] + 1] + data.shape[1:]`.

    Raises:
      TypeError: data's dtype is not one the op takes.
      minitf.errors.InvalidArgumentError: at run time, ids not sorted, negative, or not as
        many as data's rows.
    """


def _num_segments(num_segments):
    return convert_to_tensor(num_segments, dtype=None if hasattr(num_segments, "dtype")
                             else dtypes.int32)


def unsorted_segment_max(data, segment_ids, num_segments, name=None):
    """Computes the maximum of the slices of `data` with each segment id (empty: lowest)."""
    return _apply(_unsorted_max, [data, segment_ids, _num_segments(num_segments)], name)


def unsorted_segment_min(data, segment_ids, num_segments, name=None):
    """Computes the minimum of the slices of `data` with each segment id (empty: highest)."""
    return _apply(_unsorted_min, [data, segment_ids, _num_segments(num_segments)], name)


def unsorted_segment_prod(data, segment_ids, num_segments, name=None):
    """Computes the product of the slices of `data` with each segment id (empty: 1)."""
    return _apply(_unsorted_prod, [data, segment_ids, _num_segments(num_segments)], name)


def _segment_sizes(data, ids, num_segments):
    """The number of slices in each segment (at least 1), shaped to broadcast against data."""
    ones = ones_like(ids, dtype=data.dtype)
    n = unsorted_segment_sum(ones, ids, num_segments)
    extra = len(data._shape) - len(ids._shape)
    return maximum(reshape(n, [-1] + [1] * extra), 1) if extra else maximum(n, 1)


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """Computes the mean of the slices of `data` with each segment id (empty: 0)."""
    with name_scope(name, "UnsortedSegmentMean"):
        data, ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
        num_segments = _num_segments(num_segments)
        return (unsorted_segment_sum(data, ids, num_segments)
                / _segment_sizes(data, ids, num_segments))


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    """Computes the sum of the slices of `data` of each segment over the root of their number."""
    with name_scope(name, "UnsortedSegmentSqrtN"):
        data, ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
        num_segments = _num_segments(num_segments)
        return (unsorted_segment_sum(data, ids, num_segments)
                / sqrt(_segment_sizes(data, ids, num_segments)))


_UNSORTED_DOC = """

    Args:
      data: a Tensor (or value) of a numeric type (real for max and min, float for mean and
        sqrt_n).
      segment_ids: an int32/int64 Tensor whose shape is a prefix of data's (ids need not be
        sorted).
      num_segments: the number of segments (a scalar; ids lie in [0, num_segments)).
      name: a name for the operation (optional).

    Returns:
      A Tensor of data's dtype and shape `[num_segments] + data.shape[segment_ids.ndim:]`.

    Raises:
      TypeError: data's dtype is not one the op takes.
      minitf.errors.InvalidArgumentError: at run time, an id outside [0, num_segments).
    """


def _sparse(opdefs, data, indices, segment_ids, name, num_segments):
    if num_segments is None:
        return _apply(opdefs[0], [data, indices, segment_ids], name)
    return _apply(opdefs[1], [data, indices, segment_ids, num_segments], name)


def sparse_segment_sum(data, indices, segment_ids, name=None, num_segments=None):
    """Computes the sum of segments of the rows `data[indices]`."""
    return _sparse((_sparse_sum, _sparse_sum_n), data, indices, segment_ids, name,
                   num_segments)


def sparse_segment_mean(data, indices, segment_ids, name=None, num_segments=None):
    """Computes the mean of segments of the rows `data[indices]`."""
    return _sparse((_sparse_mean, _sparse_mean_n), data, indices, segment_ids, name,
                   num_segments)


def sparse_segment_sqrt_n(data, indices, segment_ids, name=None, num_segments=None):
    """Computes the sum of segments of the rows `data[indices]` over the root of their sizes."""
    return _sparse((_sparse_sqrt_n, _sparse_sqrt_n_n), data, indices, segment_ids, name,
                   num_segments)


_SPARSE_DOC = """

    Empty segments give 0.

    Args:
      data: a Tensor (or value) of a real type (float for mean and sqrt_n).
      indices: a 1-D int32/int64 Tensor: the rows of data to read.
      segment_ids: a 1-D int32/int64 Tensor of indices' length, sorted, >= 0.
      name: a name for the operation (optional).
      num_segments: the number of output rows (a scalar; default `segment_ids[-1] + 1`):
        TF's `...WithNumSegments` op.

    Returns:
      A Tensor of data's dtype and shape `[num_segments] + data.shape[1:]`.

    Raises:
      TypeError: data's dtype is not one the op takes.
      minitf.errors.InvalidArgumentError: at run time, an index out of range, ids not
        sorted, or an id not below `num_segments`.
    """
for _doc, _fns in ((_SORTED_DOC, (segment_sum, segment_mean, segment_max, segment_min,
                                  segment_prod)),
                   (_UNSORTED_DOC, (unsorted_segment_max, unsorted_segment_min,
                                    unsorted_segment_prod, unsorted_segment_mean,
                                    unsorted_segment_sqrt_n)),
                   (_SPARSE_DOC, (sparse_segment_sum, sparse_segment_mean,
                                  sparse_segment_sqrt_n))):
    for _fn in _fns:
        _fn.__doc__ = _fn.__doc__.rstrip() + _doc
