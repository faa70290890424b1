"""Ops on SparseTensors (minitf/framework/sparse_tensor.py): SparseToDense, SparseReorder,
SparseReshape, SparseFillEmptyRows (and its gradient op), with TF's op types, shape rules,
run-time errors and gradients, and the functions using them (`tf.sparse.to_dense`, ...).
The functions built from other ops are in minitf/ops/sparse_composite_ops.py.
"""
import numpy as np

from minitf.framework import dtypes as _dtypes, errors
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant, convert_to_tensor
from minitf.framework.registry import register_op
from minitf.framework.sparse_tensor import SparseTensor, SparseTensorValue
from minitf.framework.tensor_util import get_static_value
from minitf.ops._shared import fmt, identity, no_gradient, shape_of, shape_value
from minitf.ops.array_ops import zeros
from minitf.ops.gather_scatter_ops import gather_nd
from minitf.ops.manip_ops import gather
from minitf.ops.math_ops import cast
from minitf.ops.reduction_ops import reduce_sum
from minitf.ops.sequence_ops import invert_permutation, range as _range

__all__ = ["sparse_tensor_to_dense", "sparse_to_dense", "sparse_reorder", "sparse_reshape",
           "sparse_fill_empty_rows"]

_INDEX_TYPES = (_dtypes.int32, _dtypes.int64)


def _fail(message):
    raise errors.InvalidArgumentError(None, None, message)


def _dims(row):
    return "[" + ",".join(str(d) for d in row) + "]"


def _rank_error(t, rank, op_type, inputs):
    if t._shape is not None and len(t._shape) != rank:
        shapes = ", ".join(fmt(i._shape) for i in inputs)
        raise ValueError(f"Shape must be rank {rank} but is rank {len(t._shape)} for "
                         f"'{op_type}' with input shapes: {shapes}.")


def _check_index_dtype(t, what):
    if t.dtype.base_dtype not in _INDEX_TYPES:
        raise TypeError(f"Value passed to parameter '{what}' has DataType {t.dtype.name} not in "
                        "list of allowed values: int32, int64")
    return t.dtype.base_dtype


# -- SparseToDense ---------------------------------------------------------------------------------
def _to_dense_shape(indices, output_shape, values, default_value, *, validate_indices):
    _check_index_dtype(indices, "sparse_indices")  # (ranks are checked at run time, as TF)
    return shape_value(output_shape)


def _validate(indices, shape):
    """TF's IndicesValid: the first index out of bounds, out of order or repeated."""
    n = len(indices)
    bad_bounds = np.flatnonzero(np.any((indices < 0) | (indices >= shape), axis=1))
    first = bad_bounds[0] if bad_bounds.size else n
    diff = indices[1:first] - indices[:first - 1] if first > 1 else np.zeros((0, len(shape)))
    lead = np.argmax(diff != 0, axis=1)
    sign = diff[np.arange(len(diff)), lead]
    bad_order = np.flatnonzero(sign <= 0)
    if bad_order.size:
        i = bad_order[0] + 1
        if sign[bad_order[0]] < 0:
            _fail(f"indices[{i}] = {_dims(indices[i])} is out of order. Many sparse ops require "
                  "sorted indices.\n    Use `tf.sparse.reorder` to create a correctly ordered "
                  "copy.\n\n")
        _fail(f"indices[{i}] = {_dims(indices[i])} is repeated")
    if first < n:
        _fail(f"indices[{first}] = {_dims(indices[first])} is out of bounds: need 0 <= index "
              f"< {_dims(shape)}")


@register_op("SparseToDense", shape=_to_dense_shape,
             dtype=lambda indices, shape, values, default, **attrs: values.dtype)
def _sparse_to_dense(indices, output_shape, values, default_value, *, validate_indices):
    shape = np.reshape(output_shape, -1).astype(np.int64)
    if indices.ndim > 2:
        _fail(f"sparse_indices should be a scalar, vector, or matrix, got shape "
              f"{_dims(indices.shape)}")
    indices = np.reshape(indices, (-1, 1) if indices.ndim < 2 else indices.shape)
    n = len(indices)
    if indices.shape[1] != len(shape):
        _fail(f"sparse_indices should be a scalar, vector, or matrix, and its last dimension "
              f"must match the rank of output_shape: got {indices.shape[1]} and {len(shape)}")
    if values.ndim and values.shape != (n,):
        _fail(f"sparse_values has incorrect shape {_dims(values.shape)}, should be [] or [{n}]")
    if np.ndim(default_value):
        _fail("default_value should be a scalar.")
    if validate_indices:
        _validate(indices, shape)
    elif np.any((indices < 0) | (indices >= shape)):
        _fail(f"Indices are not valid (out of bounds).  Shape: {_dims(shape)}")
    out = np.full(shape, default_value, dtype=values.dtype)
    out[tuple(indices.T)] = values
    return out


@_sparse_to_dense.gradient
def _sparse_to_dense_grad(op, grad):
    indices, output_shape = op.inputs[:2]
    values_grad = gather_nd(grad, indices)
    default_grad = reduce_sum(grad) - reduce_sum(values_grad)
    return [None, None, values_grad, default_grad]


# -- SparseReorder ---------------------------------------------------------------------------------
def _reorder_shapes(indices, values, shape):
    _rank_error(indices, 2, "SparseReorder", (indices, values, shape))
    _rank_error(values, 1, "SparseReorder", (indices, values, shape))
    return [indices._shape, values._shape]


@register_op("SparseReorder", shape=_reorder_shapes, outputs="n",
             dtype=lambda indices, values, shape: [_dtypes.int64, values.dtype])
def _sparse_reorder(indices, values, shape):
    order = np.lexsort(indices.T[::-1]) if indices.size else np.arange(len(indices))
    return [indices[order], values[order]]


@_sparse_reorder.gradient
def _sparse_reorder_grad(op, indices_grad, values_grad):
    # the permutation is that of a reorder of 0..n-1 alongside the same indices
    indices, _, shape = op.inputs
    positions = _range(shape_of(indices, out_type=_dtypes.int64)[0])
    order = _sparse_reorder.apply([indices, positions, shape])[1]
    grad = gather(values_grad, invert_permutation(order))
    grad.set_shape(op.inputs[1].shape)  # (TF folds the range's length)
    return [None, grad, None]


# -- SparseReshape ---------------------------------------------------------------------------------
def _reshape_shapes(indices, input_shape, new_shape):
    out = new_shape._shape[0] if new_shape._shape else None
    n = indices._shape[0] if indices._shape else None
    return [(n, out), new_shape._shape]


def _resolve(shape, new_shape):
    size = int(np.prod(shape))
    unknown = np.flatnonzero(new_shape == -1)
    if unknown.size > 1:
        _fail(f"only one output dimension may be -1, not both {unknown[0]} and {unknown[1]}")
    known = int(np.prod(new_shape[new_shape != -1]))
    out = new_shape.copy()
    if unknown.size:
        if known == 0 or size % known:
            _fail(f"Input to reshape is a SparseTensor with {size} dense values, but the "
                  f"requested shape requires a multiple of {known}. input_shape={_dims(shape)} "
                  f"output_shape={_dims(new_shape)}")
        out[unknown[0]] = size // known
    elif known != size:
        _fail(f"Input to reshape is a tensor with {size} dense values, but the requested shape "
              f"has {known}. input_shape={_dims(shape)} output_shape={_dims(new_shape)}")
    return out


@register_op("SparseReshape", shape=_reshape_shapes, outputs="n", differentiable=False,
             dtype=lambda *inputs: [_dtypes.int64, _dtypes.int64])
def _sparse_reshape(indices, input_shape, new_shape):
    out = _resolve(input_shape, new_shape)
    if not len(indices):
        return [np.zeros((0, len(out)), np.int64), out]
    flat = np.ravel_multi_index(tuple(indices.T), input_shape)
    return [np.stack(np.unravel_index(flat, out), axis=1).astype(np.int64), out]


# -- SparseFillEmptyRows ---------------------------------------------------------------------------
def _fill_shapes(indices, values, dense_shape, default_value):
    rank = indices._shape[1] if indices._shape else None
    rows = (shape_value(dense_shape) or (None,))[0]
    return [(None, rank), (None,), (rows,), values._shape]


@register_op("SparseFillEmptyRows", shape=_fill_shapes, outputs="n",
             dtype=lambda indices, values, *rest: [_dtypes.int64, values.dtype, _dtypes.bool,
                                                   _dtypes.int64])
def _sparse_fill_empty_rows(indices, values, dense_shape, default_value):
    if np.ndim(default_value):
        _fail(f"default_value must be a scalar, saw: {_dims(np.shape(default_value))}")
    rows, n_rows = indices[:, 0], int(dense_shape[0])
    bad = np.flatnonzero((rows < 0) | (rows >= n_rows))
    if bad.size:
        _fail(f"indices({bad[0]}, 0) is invalid: {rows[bad[0]]} >= {n_rows}")
    counts = np.bincount(rows, minlength=n_rows)
    empty = counts == 0
    starts = np.cumsum(np.maximum(counts, 1)) - np.maximum(counts, 1)  # each row's first slot
    order = np.argsort(rows, kind="stable")  # rows keep their entries' order
    within = np.arange(len(rows)) - (np.cumsum(counts) - counts)[rows[order]]
    reverse = np.empty(len(rows), np.int64)
    reverse[order] = starts[rows[order]] + within
    out_indices = np.zeros((len(rows) + int(empty.sum()), indices.shape[1]), np.int64)
    out_values = np.full(len(out_indices), default_value, dtype=values.dtype)
    out_indices[reverse], out_values[reverse] = indices, values
    out_indices[starts[empty], 0] = np.flatnonzero(empty)
    return [out_indices, out_values, empty, reverse]


@register_op("SparseFillEmptyRowsGrad", outputs="n",
             shape=lambda reverse, grad: [reverse._shape, ()],
             dtype=lambda reverse, grad: [grad.dtype, grad.dtype])
def _sparse_fill_empty_rows_grad(reverse_index_map, grad_values):
    d_values = grad_values[reverse_index_map]
    return [d_values, np.sum(grad_values) - np.sum(d_values)]


no_gradient(_sparse_fill_empty_rows_grad)  # (as TF: no second derivative)


@_sparse_fill_empty_rows.gradient
def _fill_grad(op, indices_grad, values_grad, empty_grad, reverse_grad):
    d_values, d_default = _sparse_fill_empty_rows_grad.apply([op.outputs[3], values_grad])
    return [None, d_values, None, d_default]


# -- the public functions --------------------------------------------------------------------------
def _sparse(sp_input):
    """A SparseTensor (from a SparseTensorValue too), else TypeError as TF."""
    if isinstance(sp_input, SparseTensorValue):
        return SparseTensor.from_value(sp_input)
    if not isinstance(sp_input, SparseTensor):
        raise TypeError("Input must be a SparseTensor.")
    return sp_input


def sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value=0,
                    validate_indices=True, name=None):
    """Builds a dense tensor of shape `output_shape` with `sparse_values` at `sparse_indices`.

    Args:
      sparse_indices: an int32/int64 Tensor: a scalar or vector of indices of a 1-D output, or
        an `[N, rank]` matrix of full indices.
      output_shape: a 1-D int32/int64 Tensor: the dense shape.
      sparse_values: a scalar (for every index) or a vector of N values.
      default_value: the scalar value everywhere else (default 0).
      validate_indices: check at run time that the indices are sorted and not repeated.
      name: a name for the operation (default "SparseToDense").

    Returns:
      A Tensor of `sparse_values`' dtype and shape `output_shape`.

    Raises:
      TypeError: the indices are not of an integer type.
      minitf.errors.InvalidArgumentError: at run time, an index out of bounds (or, validating,
        out of order or repeated), or values of the wrong length.
    """
    with name_scope(name, "SparseToDense", [sparse_indices, output_shape, sparse_values]) as scope:
        values = convert_to_tensor(sparse_values, name="sparse_values")
        inputs = [convert_to_tensor(sparse_indices, name="sparse_indices"),
                  convert_to_tensor(output_shape, name="output_shape"), values,
                  convert_to_tensor(default_value, dtype=values.dtype, name="default_value")]
    return _sparse_to_dense.apply(inputs, name=scope, validate_indices=bool(validate_indices))


def sparse_tensor_to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """Converts a SparseTensor to a dense Tensor (`tf.sparse.to_dense`).

    >>> st = tf.SparseTensor(indices=[[0, 1], [2, 0]], values=[5, 6], dense_shape=[3, 2])
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.sparse.to_dense(st, default_value=-1)))
    [[-1  5]
     [-1 -1]
     [ 6 -1]]

    Args:
      sp_input: a SparseTensor (or SparseTensorValue).
      default_value: the scalar value where no index is given (default 0 of the dtype).
      validate_indices: check at run time that the indices are sorted and not repeated.
      name: a name for the operation (default "SparseToDense").

    Returns:
      A Tensor of the values' dtype and shape `sp_input.dense_shape`.

    Raises:
      TypeError: `sp_input` is not sparse.
      minitf.errors.InvalidArgumentError: at run time, an index out of bounds (or, validating,
        out of order or repeated).
    """
    sp_input = _sparse(sp_input)
    if default_value is None:
        default_value = zeros([], dtype=sp_input.dtype)
    with name_scope(name, "SparseToDense", [sp_input.indices]) as scope:  # (TF's op wrapper)
        default_value = convert_to_tensor(default_value, dtype=sp_input.dtype,
                                          name="default_value")
        return _sparse_to_dense.apply(
            [sp_input.indices, sp_input.dense_shape, sp_input.values, default_value],
            name=scope, validate_indices=bool(validate_indices))


def sparse_reorder(sp_input, name=None):
    """Sorts the entries of a SparseTensor into row-major (lexicographic) order of indices.

    Args:
      sp_input: a SparseTensor (or SparseTensorValue).
      name: a name for the operation (default "SparseReorder").

    Returns:
      A SparseTensor of the same dense shape, entries sorted (repeated indices kept).

    Raises:
      TypeError: `sp_input` is not sparse.
    """
    sp_input = _sparse(sp_input)
    indices, values = _sparse_reorder.apply(
        [sp_input.indices, sp_input.values, sp_input.dense_shape], name=name)
    if sp_input.shape.is_fully_defined():
        return SparseTensor(indices, values, sp_input.shape.as_list())
    result = SparseTensor(indices, values, identity(sp_input.dense_shape))
    result.set_shape(sp_input.shape)
    return result


def sparse_reshape(sp_input, shape, name=None):
    """Reshapes a SparseTensor: each entry moves to the index of the same row-major position.

    Args:
      sp_input: a SparseTensor (or SparseTensorValue).
      shape: a 1-D integer Tensor (or list): the new dense shape; one entry may be -1.
      name: a name for the name scope (default "SparseReshape").

    Returns:
      A SparseTensor of the new dense shape.

    Raises:
      TypeError: `sp_input` is not sparse.
      ValueError: both shapes are known statically and hold different numbers of elements,
        or `shape` has several -1.
      minitf.errors.InvalidArgumentError: the same, found at run time.
    """
    sp_input = _sparse(sp_input)
    shape = cast(shape, _dtypes.int64)
    with name_scope(name, "SparseReshape", [sp_input.indices]) as scope:
        indices, new_shape = _sparse_reshape.apply([sp_input.indices, sp_input.dense_shape,
                                                    shape], name=scope)
        static = _static_new_shape(sp_input, shape)
        if static is not None:
            new_shape = constant(static, dtype=_dtypes.int64)
        return SparseTensor(indices, identity(sp_input.values), new_shape)


def _static_new_shape(sp_input, shape):
    """The new dense shape when known while the graph is built (ValueError if impossible)."""
    wanted = get_static_value(shape)
    if wanted is None or not sp_input.shape.is_fully_defined():
        return None
    wanted = [int(d) for d in np.reshape(wanted, -1)]
    if wanted.count(-1) > 1:
        raise ValueError(f"At most one dimension can be inferred (-1). Found: "
                         f"{np.array(wanted)}")
    size = int(np.prod(sp_input.shape.as_list()))
    static = list(wanted)
    if -1 in wanted and 0 not in wanted:
        static[wanted.index(-1)] = size // int(np.prod([d for d in wanted if d != -1]))
    if -1 in static:
        return None
    if int(np.prod(static)) != size:
        shown = [None if d == -1 else d for d in wanted]
        raise ValueError(f"Cannot reshape a tensor with {size} elements to shape {shown} "
                         f"({int(np.prod(static))} elements).")
    return static


def sparse_fill_empty_rows(sp_input, default_value, name=None):
    """Adds an entry `default_value` at index `[row, 0, ..., 0]` of each row with no entry.

    Args:
      sp_input: a SparseTensor (or SparseTensorValue) of rank >= 1.
      default_value: the scalar value of the new entries (of the values' dtype).
      name: a name for the name scope (default "SparseFillEmptyRows").

    Returns:
      (a SparseTensor of the same dense shape whose entries are grouped by row, the entries of
      a row in their former order; a bool vector, True for the rows that were empty).

    Raises:
      TypeError: `sp_input` is not sparse.
      minitf.errors.InvalidArgumentError: at run time, a row index outside the dense shape.
    """
    sp_input = _sparse(sp_input)
    with name_scope(name, "SparseFillEmptyRows", [sp_input.indices]):
        default_value = convert_to_tensor(default_value, dtype=sp_input.values.dtype)
        indices, values, empty, _ = _sparse_fill_empty_rows.apply(
            [sp_input.indices, sp_input.values, sp_input.dense_shape, default_value])
        return SparseTensor(indices, values, sp_input.dense_shape), empty
