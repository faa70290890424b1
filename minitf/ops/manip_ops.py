"""Layout ops: reshape, transpose, expand_dims, squeeze, concat, stack, unstack, split, tile, pad,
gather, where, one_hot, broadcast_to and segment sums. Axes are attrs fixed when the graph is built;
shapes, multiples and paddings are tensor inputs (so they may be computed), with static shapes
inferred from constants.

The gradient helper ops here (ConcatGrad, TileGrad, PadGrad, GatherGrad, SumToShape) are linear in
the gradient they take, so each one's own gradient is its adjoint: the forward op again.

This module also registers the two conversions to Tensor that need its ops: a list holding tensors
is packed (TF's autopacking) and IndexedSlices are summed into a dense tensor.
"""
import numpy as np

from minitf.framework import dtypes as _dtypes, errors
from minitf.framework.api import name_scope
from minitf.framework.constant_op import (
    _contains_tensor,
    constant_value,
    convert_to_tensor,
    register_tensor_conversion_function,
)
from minitf.framework.indexed_slices import IndexedSlices
from minitf.framework.registry import REGISTRY, register_op
from minitf.ops._shared import (
    fmt,
    identity,
    operands,
    shape_of,
    shape_tensor,
    shape_value,
    zeros_like,
)

__all__ = ["reshape", "transpose", "expand_dims", "squeeze", "concat", "stack", "unstack",
           "split", "tile", "pad", "gather", "where", "one_hot"]


def _axis(axis, rank, op_type, extra=0):
    """`axis` normalized into [0, rank + extra) (ValueError as TF when out of range)."""
    axis = int(constant_value(axis)) if hasattr(axis, "op") else int(axis)
    if rank is None:
        if axis < 0:
            raise ValueError(f"{op_type}: a negative axis needs a known rank.")
        return axis
    lo, hi = -(rank + extra), rank + extra - 1
    if not lo <= axis <= hi:
        raise ValueError(f"axis {axis} not in the interval [{lo}, {hi}] for '{op_type}'.")
    return axis % (rank + extra)


def _rank(t):
    return None if t._shape is None else len(t._shape)


# -- reshape ---------------------------------------------------------------------------------------
def _reshape_shape(x, shape):
    target = shape_value(shape)
    if target is None or x._shape is None or None in x._shape:
        return target
    size = int(np.prod(x._shape))
    known = int(np.prod([d for d in target if d is not None]))
    missing = [i for i, d in enumerate(target) if d is None]
    if not missing:
        if known != size:
            raise ValueError(f"Cannot reshape a tensor with {size} elements to shape "
                             f"{fmt(target)} ({known} elements) for 'Reshape' with input "
                             f"shapes: {fmt(x._shape)}.")
        return target
    if len(missing) == 1 and constant_value(shape) is not None:
        if known == 0 or size % known:
            raise ValueError(f"Dimension size must be evenly divisible by {known} but is {size} "
                             f"for 'Reshape' with input shapes: {fmt(x._shape)}.")
        return tuple(size // known if d is None else d for d in target)
    return target


@register_op("Reshape", shape=_reshape_shape)
def _reshape(x, shape):
    return np.reshape(x, shape)


def reshape(tensor, shape, name=None):
    """Returns `tensor`'s elements, in row-major order, in a tensor of shape `shape`.

    Args:
      tensor: a Tensor (or a value `convert_to_tensor` takes).
      shape: a list of ints or a 1-D integer tensor; one entry may be -1, the size that
        keeps the number of elements.
      name: a name for the operation (default "Reshape").

    Returns:
      A Tensor of `tensor`'s dtype.

    Raises:
      ValueError: the static element counts do not match.
      minitf.errors.InvalidArgumentError: at run time, the element counts do not match.

    >>> t = tf.constant([[1, 2, 3], [4, 5, 6]])
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.reshape(t, [3, -1])))
    [[1 2]
     [3 4]
     [5 6]]
    """
    shape = convert_to_tensor(shape, dtype=None if hasattr(shape, "dtype") else _dtypes.int32)
    return _reshape.apply([tensor, shape], name=name or "Reshape")


# -- transpose, expand_dims, squeeze ---------------------------------------------------------------
def _transpose_shape(x, *computed, perm):
    if x._shape is None or perm is None:
        return None if x._shape is None else (None,) * len(x._shape)
    return tuple(x._shape[p] for p in perm)


# perm is an attr when known at graph build, else the op's second input (issue 17)
@register_op("Transpose", shape=_transpose_shape)
def _transpose(x, *computed, perm):
    return np.transpose(x, perm if perm is not None else computed[0])


def transpose(a, perm=None, name="transpose", conjugate=False):
    """Returns `a` with its dimensions permuted: output dim i is input dim `perm[i]`.

    Args:
      a: a Tensor (or a value `convert_to_tensor` takes).
      perm: a list of ints or a 1-D int tensor (computed at run time if need be); None
        reverses the dimensions (then `a`'s rank must be known).
      name: a name for the operation (default "transpose").
      conjugate: accepted for TF's signature; ignored (complex values are not conjugated).

    Returns:
      A Tensor of `a`'s dtype.

    Raises:
      ValueError: `perm` is not a permutation of `a`'s dimensions, or is None and the rank
        is unknown.
    """
    a = convert_to_tensor(a)
    rank = _rank(a)
    if perm is None:
        if rank is None:
            raise ValueError("transpose: minitf needs a known rank when perm is None.")
        perm = tuple(range(rank))[::-1]
    if hasattr(perm, "op") and constant_value(perm) is None:
        return _transpose.apply([a, perm], name=name, perm=None)
    perm = tuple(int(p) for p in np.asarray(constant_value(perm) if hasattr(perm, "op")
                                            else perm).ravel())
    if rank is not None and sorted(perm) != list(range(rank)):
        raise ValueError(f"Dimension must be {rank} but is {len(perm)} for 'Transpose' with "
                         f"input shapes: {fmt(a._shape)}, [{len(perm)}].")
    return _transpose.apply([a], name=name, perm=perm)


def _expand_shape(x, axis):
    return None if x._shape is None else x._shape[:axis] + (1,) + x._shape[axis:]


@register_op("ExpandDims", shape=_expand_shape)
def _expand_dims(x, axis):
    at = axis if axis >= 0 else x.ndim + axis + 1  # (np.expand_dims costs ~10x this)
    return x.reshape(x.shape[:at] + (1,) + x.shape[at:])


def expand_dims(input, axis=None, name=None, dim=None):
    """Returns `input` with a dimension of size 1 inserted at `axis`.

    Args:
      input: a Tensor (or a value `convert_to_tensor` takes).
      axis: an int in [-rank - 1, rank]; a negative one counts from the end.
      name: a name for the operation (default "ExpandDims").
      dim: TF1's old name for `axis`.

    Returns:
      A Tensor with one dimension more.

    Raises:
      ValueError: neither `axis` nor `dim` is given, or the axis is out of range.
    """
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    input = convert_to_tensor(input)
    rank = _rank(input)
    a = int(axis)
    if rank is not None and not -rank - 1 <= a <= rank:
        raise ValueError(f"dim {a} not in the interval [{-rank - 1}, {rank}]. for 'ExpandDims' "
                         f"with input shapes: {fmt(input._shape)}.")
    return _expand_dims.apply([input], name=name or "ExpandDims",
                              axis=a if a >= 0 or rank is None else a + rank + 1)


def _squeeze_shape(x, axis):
    if x._shape is None:
        return None
    if not axis:
        return None if None in x._shape else tuple(d for d in x._shape if d != 1)
    for a in axis:
        if x._shape[a] not in (1, None):
            raise ValueError(f"Can not squeeze dim[{a}], expected a dimension of 1, got "
                             f"{x._shape[a]} for 'Squeeze' with input shapes: {fmt(x._shape)}.")
    return tuple(d for i, d in enumerate(x._shape) if i not in axis)


@register_op("Squeeze", shape=_squeeze_shape)
def _squeeze(x, axis):
    return np.squeeze(x, axis=axis or None)


def squeeze(input, axis=None, name=None, squeeze_dims=None):
    """Returns `input` without dimensions of size 1: all of them, or those in `axis`.

    Args:
      input: a Tensor (or a value `convert_to_tensor` takes).
      axis: None (every size-1 dimension), an int or a list of ints.
      name: a name for the operation (default "Squeeze").
      squeeze_dims: TF1's old name for `axis`.

    Returns:
      A Tensor of `input`'s dtype.

    Raises:
      ValueError: a dimension in `axis` is out of range or its size is not 1.
    """
    axis = squeeze_dims if axis is None else axis
    input = convert_to_tensor(input)
    axes = () if axis is None else tuple(
        _axis(a, _rank(input), "Squeeze") for a in np.atleast_1d(axis).tolist())
    return _squeeze.apply([input], name=name or "Squeeze", axis=axes)


# -- concat, stack, unstack, split -----------------------------------------------------------------
def _same_dtypes(values, op_type):
    types = [v.dtype.base_dtype for v in values]
    if any(t != types[0] for t in types):
        raise TypeError(f"Tensors in list passed to 'values' of '{op_type}' Op have types "
                        f"[{', '.join(t.name for t in types)}] that don't all match.")
    return types[0]


def _concat_shape(*values, axis):
    shapes = [v._shape for v in values]
    if any(s is None for s in shapes):
        return None
    out = list(shapes[0])
    for s in shapes[1:]:
        if len(s) != len(out):
            raise ValueError(f"Shape must be rank {len(out)} but is rank {len(s)} for "
                             f"'ConcatV2' with input shapes: {', '.join(fmt(x) for x in shapes)}.")
        for i, d in enumerate(s):
            if i == axis:
                out[i] = None if out[i] is None or d is None else out[i] + d
            elif out[i] is None:
                out[i] = d
            elif d is not None and d != out[i]:
                raise ValueError(f"Dimension {i} in both shapes must be equal, but are {out[i]} "
                                 f"and {d}. Shapes are {fmt(shapes[0])} and {fmt(s)}. for "
                                 "'ConcatV2'.")
    return tuple(out)


@register_op("ConcatV2", shape=_concat_shape, dtype=lambda *v, axis: v[0].dtype.base_dtype)
def _concat(*values, axis):
    return np.concatenate(values, axis=axis)


def concat(values, axis, name="concat"):
    """Joins the tensors `values` along the dimension `axis`.

    All must have one dtype and rank, and equal sizes but along `axis`. A single value is
    returned through an Identity, as in TF.

    Args:
      values: a list of Tensors (or values `convert_to_tensor` takes).
      axis: an int (or a constant), known when the graph is built; negative counts from the
        end.
      name: a name for the operation (default "concat").

    Returns:
      A Tensor.

    Raises:
      TypeError: the dtypes differ.
      ValueError: the ranks or the other dimensions differ, or `axis` is out of range.

    >>> t = tf.constant([[1, 2], [3, 4]])
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.concat([t, t], axis=1)))
    [[1 2 1 2]
     [3 4 3 4]]
    """
    values = [convert_to_tensor(v) for v in values]
    if len(values) == 1:
        with name_scope(name):  # TF: an Identity named `name` inside scope `name`
            return identity(values[0], name=name)
    _same_dtypes(values, "ConcatV2")
    rank = next((_rank(v) for v in values if _rank(v) is not None), None)
    return _concat.apply(values, name=name, axis=_axis(axis, rank, "ConcatV2"))


def _stack_shape(*values, axis):
    shape = values[0]._shape
    for v in values[1:]:
        if v._shape is not None and shape is not None and len(v._shape) == len(shape):
            shape = tuple(a if a is not None else b for a, b in zip(shape, v._shape))
        elif v._shape is not None and shape is not None:
            raise ValueError(f"Shapes must be equal rank, but are {len(shape)} and "
                             f"{len(v._shape)} for 'Pack'.")
    return None if shape is None else shape[:axis] + (len(values),) + shape[axis:]


@register_op("Pack", shape=_stack_shape, dtype=lambda *v, axis: v[0].dtype.base_dtype)
def _stack(*values, axis):
    return np.stack(values, axis=axis)


def stack(values, axis=0, name="stack"):
    """Stacks the rank-R tensors `values` into one rank-(R+1) tensor along a new `axis`.

    Args:
      values: a list of Tensors (or values) of one dtype and shape.
      axis: where the new dimension goes, in [-(R + 1), R].
      name: a name for the operation (default "stack").

    Returns:
      A Tensor whose dimension `axis` has size `len(values)`.

    Raises:
      TypeError: the dtypes differ.
      ValueError: the ranks differ, or `axis` is out of range.
    """
    values = [convert_to_tensor(v) for v in values]
    _same_dtypes(values, "Pack")
    rank = next((_rank(v) for v in values if _rank(v) is not None), None)
    return _stack.apply(values, name=name, axis=_axis(axis, rank, "Pack", extra=1))


def _unstack_shapes(x, axis, num):
    shape = x._shape[:axis] + x._shape[axis + 1:]
    return [shape] * num


@register_op("Unpack", shape=_unstack_shapes, outputs="n",
             dtype=lambda x, axis, num: [x.dtype.base_dtype] * num)
def _unstack(x, axis, num):
    return [np.take(x, i, axis=axis) for i in range(num)]


def unstack(value, num=None, axis=0, name="unstack"):
    """Unpacks a rank-R tensor into the list of its rank-(R-1) slices along `axis`.

    Args:
      value: a Tensor (or a value `convert_to_tensor` takes).
      num: the number of slices (default: the static size of dimension `axis`).
      axis: the dimension to unpack along.
      name: a name for the operation (default "unstack").

    Returns:
      A list of `num` Tensors.

    Raises:
      ValueError: `num` is None and the size of dimension `axis` is unknown, or `axis` is
        out of range.
    """
    value = convert_to_tensor(value)
    if value._shape is None:
        raise ValueError(f"Cannot infer argument `num` from shape {value.shape}")
    axis = _axis(axis, _rank(value), "Unpack")
    if num is None:
        num = value._shape[axis]
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {value.shape}")
    return _unstack.apply([value], name=name, axis=axis, num=int(num))


def _split_shapes(x, axis, sizes):
    if isinstance(sizes, int):  # n equal parts of a dimension unknown until run time
        sizes = (None,) * sizes
    if x._shape is None:
        return [None] * len(sizes)
    return [x._shape[:axis] + (s,) + x._shape[axis + 1:] for s in sizes]


def _split_dtypes(x, axis, sizes):
    return [x.dtype.base_dtype] * (sizes if isinstance(sizes, int) else len(sizes))


def _split_kernel(x, axis, sizes):
    if isinstance(sizes, int):
        if x.shape[axis] % sizes:
            raise errors.InvalidArgumentError(
                None, None, f"Number of ways to split should evenly divide the split dimension, "
                f"but got split_dim {axis} (size = {x.shape[axis]}) and num_split {sizes}")
        bounds = [i * (x.shape[axis] // sizes) for i in range(sizes + 1)]
    else:
        bounds = [0]
        for size in sizes:
            bounds.append(bounds[-1] + int(size))
    # slices, not np.split: the same views at a tenth of the cost for small arrays
    lead = (slice(None),) * (axis % x.ndim)
    return [x[lead + (slice(a, b),)] for a, b in zip(bounds, bounds[1:])]


_split = register_op("Split", shape=_split_shapes, outputs="n", dtype=_split_dtypes)(
    _split_kernel)  # equal parts
_split_v = register_op("SplitV", shape=_split_shapes, outputs="n", dtype=_split_dtypes)(
    _split_kernel)  # given sizes


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Splits `value` along `axis` into equal parts, or into parts of the given sizes.

    Args:
      value: a Tensor (or a value `convert_to_tensor` takes).
      num_or_size_splits: an int n (n equal parts), or a list of sizes that add up to the
        dimension (one may be -1: the rest).
      axis: the dimension to split, an int.
      num: accepted for TF's signature; unused.
      name: a name for the operation (default "split").

    Returns:
      A list of Tensors.

    Raises:
      ValueError: the dimension (when known) does not divide into n parts or the sizes do
        not add up to it, or `axis` is out of range.
      minitf.errors.InvalidArgumentError: at run time, an unknown dimension does not divide
        into n parts.
    """
    value = convert_to_tensor(value)
    axis = _axis(axis, _rank(value), "Split")
    dim = None if value._shape is None else value._shape[axis]
    if np.ndim(num_or_size_splits) == 0:
        n = int(num_or_size_splits)
        if dim is None:
            return _split.apply([value], name=name, axis=axis, sizes=n)
        if n <= 0 or dim % n:
            raise ValueError(f"Dimension size must be evenly divisible by {n} but is {dim} for "
                             "'Split'.")
        return _split.apply([value], name=name, axis=axis, sizes=(dim // n,) * n)
    sizes = [int(s) for s in num_or_size_splits]
    if sizes.count(-1) == 1 and dim is not None:
        sizes[sizes.index(-1)] = dim - (sum(sizes) + 1)
    if dim is not None and sum(sizes) != dim:
        raise ValueError(f"Determined shape must either match input shape along split_dim "
                         f"exactly if fully specified, or be less than the size of the input "
                         f"along split_dim if not fully specified. Got: {sizes} for dimension "
                         f"{dim} in 'SplitV'.")
    return _split_v.apply([value], name=name, axis=axis, sizes=tuple(sizes))


# -- tile, pad -------------------------------------------------------------------------------------
def _tile_shape(x, multiples):
    m = shape_value(multiples)
    if x._shape is None or m is None:
        return None if m is None else (None,) * len(m)
    if len(m) != len(x._shape):
        raise ValueError(f"Shape must be rank {len(x._shape)} but is rank {len(m)} for 'Tile' "
                         f"with input shapes: {fmt(x._shape)}, [{len(m)}].")
    return tuple(None if d is None or k is None else d * k for d, k in zip(x._shape, m))


@register_op("Tile", shape=_tile_shape)
def _tile(x, multiples):
    return np.tile(x, multiples)


def tile(input, multiples, name=None):
    """Returns `input` repeated `multiples[i]` times along each dimension i.

    Args:
      input: a Tensor (or a value `convert_to_tensor` takes).
      multiples: a list of ints or a 1-D integer tensor, one per dimension of `input`.
      name: a name for the operation (default "Tile").

    Returns:
      A Tensor of `input`'s dtype.

    Raises:
      ValueError: `multiples` does not have one entry per dimension.
    """
    return _tile.apply([input, convert_to_tensor(multiples, dtype=None if hasattr(
        multiples, "dtype") else _dtypes.int32)], name=name or "Tile")


def _pad_shape(x, paddings, mode, constant_values):
    p = constant_value(paddings)
    if x._shape is None or p is None:
        return None if x._shape is None else (None,) * len(x._shape)
    if p.shape != (len(x._shape), 2):
        raise ValueError(f"The first dimension of paddings must be the rank of inputs "
                         f"[{len(x._shape)},2], got {list(p.shape)} for 'Pad'.")
    return tuple(None if d is None else d + int(a) + int(b) for d, (a, b) in zip(x._shape, p))


@register_op("Pad", shape=_pad_shape)
def _pad(x, paddings, mode, constant_values):
    if mode == "CONSTANT":
        return np.pad(x, paddings, constant_values=constant_values)
    return np.pad(x, paddings, mode=mode.lower())


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    """Pads `tensor` with `paddings[i] = [before, after]` values along each dimension i.

    Args:
      tensor: a Tensor (or a value `convert_to_tensor` takes).
      paddings: an int list or tensor of shape [rank, 2].
      mode: "CONSTANT" (pad with `constant_values`), "REFLECT" (mirror without the edge) or
        "SYMMETRIC" (mirror with the edge); case-insensitive.
      name: a name for the operation (default "Pad", "MirrorPad" for the mirror modes).
      constant_values: the scalar to pad with in "CONSTANT" mode.

    Returns:
      A Tensor of `tensor`'s dtype.

    Raises:
      ValueError: `mode` is unknown, or `paddings` is not of shape [rank, 2].
    """
    mode = mode.upper()
    if mode not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        raise ValueError(f"Unknown padding mode: {mode}")
    paddings = convert_to_tensor(paddings, dtype=None if hasattr(paddings, "dtype")
                                 else _dtypes.int32)
    return _pad.apply([tensor, paddings], name=name or ("Pad" if mode == "CONSTANT" else
                                                         "MirrorPad"),
                      mode=mode, constant_values=constant_values)


# -- gather ----------------------------------------------------------------------------------------
def _gather_shape(params, indices, axis):
    if params._shape is None or indices._shape is None:
        return None
    return params._shape[:axis] + indices._shape + params._shape[axis + 1:]


@register_op("GatherV2", shape=_gather_shape)
def _gather(params, indices, axis):
    n = params.shape[axis]
    if indices.size and (indices.min() < 0 or indices.max() >= n):
        bad = indices[(indices < 0) | (indices >= n)].ravel()[0]
        where = tuple(int(i) for i in np.argwhere((indices < 0) | (indices >= n))[0])
        raise errors.InvalidArgumentError(
            None, None, f"indices{list(where)} = {bad} is not in [0, {n})")
    return np.take(params, indices, axis=axis)


def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    """Gathers the slices of `params` along `axis` at `indices`.

    The result's shape is `params.shape[:axis] + indices.shape + params.shape[axis + 1:]`.
    The gradient with respect to `params` is IndexedSlices when `axis` is 0.

    Args:
      params: the Tensor to take slices from.
      indices: an integer Tensor (or list) of positions in [0, params.shape[axis]).
      validate_indices: accepted for TF's signature; indices are always checked.
      name: a name for the operation (default "GatherV2").
      axis: the dimension to gather along (default 0), known when the graph is built.
      batch_dims: accepted for TF's signature; ignored (minitf gathers as with 0).

    Returns:
      A Tensor of `params`' dtype.

    Raises:
      TypeError: `indices` is not of an integer type.
      ValueError: `axis` is out of range.
      minitf.errors.InvalidArgumentError: at run time, for an index outside [0, dim).

    >>> params = tf.constant([[1, 2], [3, 4], [5, 6]])
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.gather(params, [2, 0])))
    [[5 6]
     [1 2]]
    """
    params = convert_to_tensor(params)
    indices = convert_to_tensor(indices)
    if not indices.dtype.is_integer:
        raise TypeError(f"Value for attr 'Tindices' of {indices.dtype.name} is not in the list "
                        "of allowed values: int16, int32, int64")
    axis = _axis(0 if axis is None else axis, _rank(params), "GatherV2")
    return _gather.apply([params, indices], name=name or "GatherV2", axis=axis)


# -- where, one_hot --------------------------------------------------------------------------------
@register_op("Where", shape=lambda c: None if c._shape is None else (None, len(c._shape)),
             dtype=lambda c: _dtypes.int64, differentiable=False)
def _where(condition):
    return np.argwhere(condition).astype(np.int64)


def _select_shape(condition, x, y):
    if x._shape is None or y._shape is None:
        return x._shape if x._shape is not None else y._shape
    if len(x._shape) != len(y._shape):
        raise ValueError(f"Shapes must be equal rank, but are {len(x._shape)} and "
                         f"{len(y._shape)} for 'Select'")
    merged = []
    for i, (a, b) in enumerate(zip(x._shape, y._shape)):
        if a is not None and b is not None and a != b:
            raise ValueError(f"Dimension {i} in both shapes must be equal, but are {a} and {b}. "
                             f"Shapes are {fmt(x._shape)} and {fmt(y._shape)}. for 'Select'.")
        merged.append(a if a is not None else b)
    return tuple(merged)


@register_op("Select", shape=_select_shape, dtype=lambda c, x, y: x.dtype.base_dtype)
def _select(condition, x, y):
    if condition.ndim == 1 and x.ndim > 1:  # TF1: a vector picks whole rows
        condition = condition.reshape((-1,) + (1,) * (x.ndim - 1))
    return np.where(condition, x, y)


def where(condition, x=None, y=None, name=None):
    """Selects elements from `x` or `y` by `condition`, or returns where `condition` is True.

    TF1's where. With `x` and `y` (of one shape and dtype): the elements of `x` where
    `condition` is True and of `y` elsewhere; `condition` has their shape, or is a vector
    that picks whole rows (along the first dimension). With neither: the coordinates of the
    True elements of `condition`, an int64 tensor of shape [number of Trues, rank].

    Args:
      condition: a bool Tensor.
      x, y: Tensors (or values) to select from; both or neither.
      name: a name for the operation (default "Select", or "Where").

    Returns:
      A Tensor.

    Raises:
      TypeError: `condition` is not bool, or `x` and `y` have different dtypes.
      ValueError: only one of `x` and `y` is given, or their static shapes differ.

    >>> cond = tf.constant([True, False, True])
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.where(cond, [1, 2, 3], [10, 20, 30])))
    ...     print(sess.run(tf.where(cond)))
    [ 1 20  3]
    [[0]
     [2]]
    """
    condition = convert_to_tensor(condition)
    if condition.dtype.base_dtype != _dtypes.bool:
        raise TypeError(f"Input 'condition' of 'Select' Op has type {condition.dtype.name} that "
                        "does not match expected type of bool.")
    if x is None and y is None:
        return _where.apply([condition], name=name or "Where")
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    with name_scope(name, "Select", [condition, x, y]) as scope:
        x, y = operands(x, y, "Select")
        return _select.apply([condition, x, y], name=scope)


def _one_hot_shape(indices, on, off, depth, axis):
    if indices._shape is None:
        return None
    s = indices._shape
    a = len(s) if axis == -1 else axis
    return s[:a] + (depth,) + s[a:]


@register_op("OneHot", shape=_one_hot_shape, dtype=lambda i, on, off, depth, axis: on.dtype,
             differentiable=False)
def _one_hot(indices, on, off, depth, axis):
    hot = indices[..., None] == np.arange(depth)
    out = np.where(hot, on, off).astype(on.dtype)
    return out if axis == -1 else np.moveaxis(out, -1, axis)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """Returns a one-hot tensor: `on_value` at each index, `off_value` elsewhere.

    A new dimension of size `depth` is added at `axis`; an index outside [0, depth) gives
    a row of `off_value` only.

    Args:
      indices: an integer Tensor (or list) of class indices.
      depth: the number of classes, an int (or a constant).
      on_value: the value at the index (default 1).
      off_value: the value elsewhere (default 0).
      axis: where the new dimension goes (default -1, last).
      dtype: the element type (default: that of `on_value` or `off_value` when given, else
        float32).
      name: a name for the operation (default "one_hot").

    Returns:
      A Tensor of shape `indices.shape` with `depth` inserted at `axis`.

    Raises:
      TypeError: `on_value` or `off_value` cannot be converted to `dtype`.

    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.one_hot([0, 2, 5], depth=3)))
    [[1. 0. 0.]
     [0. 0. 1.]
     [0. 0. 0.]]
    """
    indices = convert_to_tensor(indices)
    if dtype is None:
        known = next((v for v in (on_value, off_value) if v is not None), None)
        dtype = _dtypes.float32 if known is None else convert_to_tensor(known).dtype
    dtype = _dtypes.as_dtype(dtype).base_dtype
    axis = -1 if axis is None else int(axis)
    with name_scope(name, "one_hot", [indices, depth, on_value, off_value]) as scope:
        on = convert_to_tensor(1 if on_value is None else on_value, dtype, name="on_value")
        off = convert_to_tensor(0 if off_value is None else off_value, dtype, name="off_value")
        depth = int(constant_value(depth) if hasattr(depth, "op") else depth)
        return _one_hot.apply([indices, on, off], name=scope, depth=depth, axis=axis)


# -- broadcasting and its adjoint ------------------------------------------------------------------
def _broadcast_to_shape(x, shape):
    return shape_value(shape)


@register_op("BroadcastTo", shape=_broadcast_to_shape)
def _broadcast_to(x, shape):
    return np.broadcast_to(x, tuple(shape)).copy()


def broadcast_to(input, shape, name=None):
    """Returns `input` broadcast to `shape` by NumPy's rules.

    Args:
      input: a Tensor (or a value `convert_to_tensor` takes).
      shape: a list of ints or a 1-D integer tensor.
      name: a name for the operation (default "BroadcastTo").

    Returns:
      A Tensor of `input`'s dtype and shape `shape`.

    Raises:
      minitf.errors.InvalidArgumentError: at run time, the shapes do not broadcast.
    """
    return _broadcast_to.apply([input, shape_tensor(shape)], name=name or "BroadcastTo")


@register_op("SumToShape", shape=_broadcast_to_shape)
def _sum_to_shape(x, shape):
    """The adjoint of broadcasting x's value from `shape`: sums over the broadcast axes."""
    shape = tuple(np.asarray(shape).tolist())
    if x.shape == shape:
        return x
    lead = x.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, d in enumerate(shape)
                                      if d == 1 and x.shape[lead + i] != 1)
    return np.sum(x, axis=axes, dtype=x.dtype).reshape(shape) if axes else x.reshape(shape)


@_broadcast_to.gradient
def _broadcast_to_grad(op, grad):
    x = op.inputs[0]
    return [_sum_to_shape.apply([grad, shape_of(x)], name="SumToShape"), None]


@_sum_to_shape.gradient
def _sum_to_shape_grad(op, grad):
    return [broadcast_to(grad, shape_of(op.inputs[0])), None]


# -- segment sums (the dense form of IndexedSlices) ------------------------------------------------
def _segment_shape(data, segment_ids, num_segments):
    n = constant_value(num_segments)
    if data._shape is None or segment_ids._shape is None:
        return None
    return (None if n is None else int(n),) + data._shape[len(segment_ids._shape):]


@register_op("UnsortedSegmentSum", shape=_segment_shape)
def _unsorted_segment_sum(data, segment_ids, num_segments):
    ids = segment_ids.reshape(-1)
    n = int(num_segments)
    if ids.size and (ids.min() < 0 or ids.max() >= n):
        bad = ids[(ids < 0) | (ids >= n)][0]
        raise errors.InvalidArgumentError(None, None, f"segment_ids {bad} is out of range "
                                          f"[0, {n})")
    out = np.zeros((n,) + data.shape[segment_ids.ndim:], dtype=data.dtype)
    np.add.at(out, ids, data.reshape((ids.size,) + out.shape[1:]))
    return out


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """Sums the slices of `data` that have the same segment id.

    `output[i]` is the sum of the slices `data[j...]` with `segment_ids[j...] == i`, zeros
    where no id is i. The ids need not be sorted.

    Args:
      data: a numeric Tensor.
      segment_ids: an integer Tensor whose shape is a prefix of `data`'s.
      num_segments: the number of segments (ids must lie in [0, num_segments)).
      name: a name for the operation (default "UnsortedSegmentSum").

    Returns:
      A Tensor of shape `[num_segments] + data.shape[segment_ids.ndim:]`.

    Raises:
      minitf.errors.InvalidArgumentError: at run time, an id outside [0, num_segments).
    """
    num_segments = convert_to_tensor(num_segments, dtype=None if hasattr(
        num_segments, "dtype") else _dtypes.int32)
    return _unsorted_segment_sum.apply([data, segment_ids, num_segments],
                                       name=name or "UnsortedSegmentSum")


@_unsorted_segment_sum.gradient
def _unsorted_segment_sum_grad(op, grad):
    return [gather(grad, op.inputs[1]), None, None]


# -- gradients of the manipulations ----------------------------------------------------------------
@_reshape.gradient
def _reshape_grad(op, grad):
    return [reshape(grad, shape_of(op.inputs[0])), None]


_expand_dims.gradient(lambda op, grad: [reshape(grad, shape_of(op.inputs[0]))])
_squeeze.gradient(lambda op, grad: [reshape(grad, shape_of(op.inputs[0]))])


@_transpose.gradient
def _transpose_grad(op, grad):
    perm = op.get_attr("perm")
    if perm is None:  # (InvertPermutation is a later family's op: found when this runs)
        inverse = REGISTRY["InvertPermutation"].apply([op.inputs[1]])
        return [transpose(grad, inverse), None]
    return [transpose(grad, [int(i) for i in np.argsort(perm)])]


@_concat.gradient
def _concat_grad(op, grad):
    axis = op.get_attr("axis")
    sizes = [None if v._shape is None else v._shape[axis] for v in op.inputs]
    if None not in sizes:
        return split(grad, sizes, axis=axis)
    return list(_concat_grad_op.apply([grad] + list(op.inputs), axis=axis))


@register_op("ConcatGrad", shape=lambda grad, *values, axis: [v._shape for v in values],
             dtype=lambda grad, *values, axis: [grad.dtype.base_dtype] * len(values),
             outputs="n")
def _concat_grad_op(grad, *values, axis):
    return np.split(grad, np.cumsum([v.shape[axis] for v in values[:-1]]), axis=axis)


@_concat_grad_op.gradient
def _concat_grad_op_grad(op, *grads):
    return [concat(list(grads), op.get_attr("axis"))] + [None] * (len(op.inputs) - 1)


_stack.gradient(lambda op, grad: unstack(grad, num=len(op.inputs), axis=op.get_attr("axis")))
_unstack.gradient(lambda op, *grads: [stack(list(grads), axis=op.get_attr("axis"))])


@_split.gradient
def _split_grad(op, *grads):
    return [concat(list(grads), op.get_attr("axis"))]


_split_v.gradient(_split_grad)


@register_op("TileGrad", shape=lambda grad, multiples, x_shape: _broadcast_to_shape(
    grad, x_shape))
def _tile_grad_op(grad, multiples, x_shape):
    pairs = [d for k, s in zip(multiples, x_shape) for d in (int(k), int(s))]
    axes = tuple(range(0, len(pairs), 2))
    return np.sum(grad.reshape(pairs), axis=axes, dtype=grad.dtype)


@_tile.gradient
def _tile_grad(op, grad):
    return [_tile_grad_op.apply([grad, op.inputs[1], shape_of(op.inputs[0])]), None]


@_tile_grad_op.gradient
def _tile_grad_op_grad(op, grad):
    return [_tile.apply([grad, op.inputs[1]]), None, None]


@register_op("PadGrad", shape=lambda grad, paddings, x_shape, mode: _broadcast_to_shape(
    grad, x_shape))
def _pad_grad_op(grad, paddings, x_shape, mode):
    if mode == "CONSTANT":
        return grad[tuple(slice(int(a), int(a) + int(d)) for (a, _), d in
                          zip(paddings, x_shape))].copy()
    # mirror modes: every padded cell is a copy of one input cell; add it back there
    source = np.pad(np.arange(int(np.prod(x_shape))).reshape(tuple(x_shape)), paddings,
                    mode=mode.lower())
    out = np.zeros(int(np.prod(x_shape)), dtype=grad.dtype)
    np.add.at(out, source.reshape(-1), grad.reshape(-1))
    return out.reshape(tuple(x_shape))


@_pad.gradient
def _pad_grad(op, grad):
    return [_pad_grad_op.apply([grad, op.inputs[1], shape_of(op.inputs[0])],
                               mode=op.get_attr("mode")), None]


@_pad_grad_op.gradient
def _pad_grad_op_grad(op, grad):
    # the padded cells of the adjoint are zeros whatever the forward pad's constant was
    return [_pad.apply([grad, op.inputs[1]], mode=op.get_attr("mode"), constant_values=0),
            None, None]


def _gather_grad(op, grad):
    params, indices = op.inputs
    axis = op.get_attr("axis")
    if axis == 0:
        rest = None if params._shape is None else params._shape[1:]
        row_shape = [-1] + list(rest) if rest is not None and None not in rest else concat(
            [[-1], shape_of(params)[1:]], 0)
        return [IndexedSlices(reshape(grad, row_shape), reshape(indices, [-1]),
                              shape_of(params)), None]
    return [_gather_axis_grad.apply([grad, indices, shape_of(params)], axis=axis), None]


_gather.gradient(_gather_grad)


@register_op("GatherGrad", shape=lambda grad, indices, shape, axis: _broadcast_to_shape(
    grad, shape))
def _gather_axis_grad(grad, indices, shape, axis):
    out = np.zeros(tuple(shape), dtype=grad.dtype)
    moved = np.moveaxis(out, axis, 0)
    g = np.moveaxis(grad.reshape(grad.shape[:axis] + (indices.size,) +
                                 grad.shape[axis + indices.ndim:]), axis, 0)
    np.add.at(moved, indices.reshape(-1), g)
    return out


@_gather_axis_grad.gradient
def _gather_axis_grad_grad(op, grad):
    return [_gather.apply([grad, op.inputs[1]], axis=op.get_attr("axis")), None, None]


@_select.gradient
def _select_grad(op, grad):
    condition = op.inputs[0]
    zeros = zeros_like(grad)
    return [None, _select.apply([condition, grad, zeros]),
            _select.apply([condition, zeros, grad])]


__all__ += ["broadcast_to", "unsorted_segment_sum"]


# -- conversions to Tensor that need these ops -----------------------------------------------------
def _autopacking_conversion_function(value, dtype=None, name=None, as_ref=False):
    """A list or tuple holding tensors is packed into one tensor, as TF does."""
    if not _contains_tensor(value):
        return NotImplemented
    packed = stack([convert_to_tensor(v, dtype) for v in value], name=name or "packed")
    return packed if dtype is None else convert_to_tensor(packed, dtype)


def _indexed_slices_to_tensor(value, dtype=None, name=None, as_ref=False):
    """The dense tensor of IndexedSlices: its rows summed into zeros of the dense shape."""
    if dtype is not None and not _dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
        raise ValueError(f"Tensor conversion requested dtype {_dtypes.as_dtype(dtype).name} for "
                         f"IndexedSlices with dtype {value.dtype.name}")
    if value.dense_shape is None:
        raise ValueError(f"Cannot convert {value!r} to a Tensor without its dense_shape.")
    rows = constant_value(value.dense_shape)
    rows = value.dense_shape[0] if rows is None else int(rows[0])
    return unsorted_segment_sum(value.values, value.indices, rows, name=name)


register_tensor_conversion_function((list, tuple), _autopacking_conversion_function, 99)
register_tensor_conversion_function(IndexedSlices, _indexed_slices_to_tensor)


# -- unique ----------------------------------------------------------------------------------------
@register_op("Unique", shape=lambda x, out_idx: [(None,), x._shape], outputs="n",
             dtype=lambda x, out_idx: [x.dtype.base_dtype, out_idx], differentiable=False)
def _unique(x, out_idx):
    # TF orders the unique values by first occurrence
    values, first, inverse = np.unique(x, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return [values[order], rank[inverse.reshape(-1)].astype(out_idx.as_numpy_dtype)]


def unique(x, out_idx=_dtypes.int32, name=None):
    """Finds the distinct values of a 1-D tensor.

    Args:
      x: a 1-D Tensor (or list).
      out_idx: the integer type of `idx`, int32 or int64.
      name: a name for the operation (default "Unique").

    Returns:
      The tuple (y, idx): `y` the distinct values of `x` in the order they first appear,
      `idx` for each element of `x` its position in `y` (so `x == gather(y, idx)`).

    Raises:
      ValueError: `x` is not 1-D.
    """
    x = convert_to_tensor(x)
    if x._shape is not None and len(x._shape) != 1:
        raise ValueError(f"unique expects a 1-D vector, got shape {fmt(x._shape)}")
    return tuple(_unique.apply([x], name=name or "Unique", out_idx=_dtypes.as_dtype(out_idx)))


__all__ += ["unique"]
