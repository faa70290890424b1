"""N-d indexing: gather_nd, scatter_nd, tensor_scatter_nd_update/add/sub and boolean_mask.

An index tensor of shape [..., K] addresses K leading dimensions of the other operand; each of
these ops is one fancy-indexing NumPy call over `tuple(moveaxis(indices, -1, 0))`.
"""
import numpy as np

from minitf.framework import dtypes as _dtypes, errors
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops import manip_ops as _manip, reduction_ops, sequence_ops
from minitf.ops._shared import fmt, shape_of, shape_tensor, shape_value, zeros_like
from minitf.ops.math_ops import cast, equal, negative

__all__ = ["gather_nd", "scatter_nd", "tensor_scatter_nd_update", "tensor_scatter_nd_add",
           "tensor_scatter_nd_sub", "tensor_scatter_update", "tensor_scatter_add",
           "tensor_scatter_sub", "tensor_scatter_nd_max", "tensor_scatter_nd_min",
           "boolean_mask"]


def _index(indices, shape, what):
    """The NumPy index of `indices` [..., K] into `shape`, checked as TF checks it."""
    k = indices.shape[-1]
    bounds = np.asarray(shape[:k])
    bad = ((indices < 0) | (indices >= bounds)).any(-1)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise errors.InvalidArgumentError(
            None, None, f"indices{list(where)} = {indices[where].tolist()} does not index into "
            f"{what}shape {fmt(shape)}")
    return tuple(np.moveaxis(indices, -1, 0))


def _check_indices(indices):
    if indices.dtype.base_dtype not in (_dtypes.int16, _dtypes.int32, _dtypes.int64):
        raise TypeError(f"Value passed to parameter 'indices' has DataType "
                        f"{indices.dtype.base_dtype.name} not in list of allowed values: int16, "
                        "int32, int64")


def _nd_shape(indices_shape, shape, op_type):
    """indices.shape[:-1] + shape[K:]: what gather_nd gives, and what scatters take."""
    if indices_shape is None or shape is None or indices_shape[-1] is None:
        return None
    k = indices_shape[-1]
    if k > len(shape):
        raise ValueError(f"indices.shape[-1] must be <= params.rank, but saw indices shape: "
                         f"{fmt(indices_shape)} and params shape: {fmt(shape)} for "
                         f"'{op_type}'.")
    return indices_shape[:-1] + tuple(shape[k:])


# -- gather_nd, scatter_nd -------------------------------------------------------------------------
@register_op("GatherNd", shape=lambda p, i: _nd_shape(i._shape, p._shape, "GatherNd"))
def _gather_nd(params, indices):
    return params[_index(indices, params.shape, "param ")].copy()


def gather_nd(params, indices, name=None, batch_dims=0):
    """Gathers the slices of `params` addressed by the last dimension of `indices`.

    `output[i...] = params[indices[i...]]`: an index of length K picks a slice of rank
    `params.rank - K`.

    Args:
      params: the Tensor to take slices from.
      indices: an int32 or int64 Tensor of shape [..., K], K at most `params`' rank.
      name: a name for the operation (default "GatherNd").
      batch_dims: how many leading dimensions `params` and `indices` share as batch
        dimensions: each batch element's indices address its own slice of params.

    Returns:
      A Tensor of shape `indices.shape[:-1] + params.shape[batch_dims + K:]`.

    Raises:
      TypeError: `indices` is not of an integer type.
      ValueError: K exceeds `params`' rank, or `batch_dims` is not below indices' rank.
      minitf.errors.InvalidArgumentError: at run time, an index is out of range.
    """
    indices = convert_to_tensor(indices)
    _check_indices(indices)
    if batch_dims:
        return _batch_gather_nd(convert_to_tensor(params), indices, batch_dims, name)
    return _gather_nd.apply([params, indices], name=name or "GatherNd")


def _batch_gather_nd(params, indices, batch_dims, name):
    """TF's batched gather_nd, as TF composes it: the batch is flattened into one leading
    dimension, whose index is put before each index; one GatherNd; the batch shape restored."""
    rank = indices.shape.ndims
    if rank is None:
        raise ValueError("gather_nd with batch_dims needs the rank of indices")
    if batch_dims >= rank:
        raise ValueError(f"Argument `batch_dims` = {batch_dims} must be less than rank("
                         f"`indices`) = {rank}")
    with name_scope(name, "GatherND", [params, indices]):
        p_shape = shape_of(params, out_type=indices.dtype)
        i_shape = shape_of(indices, out_type=indices.dtype)
        n = reduction_ops.reduce_prod(p_shape[:batch_dims])
        flat_params = _manip.reshape(params, _manip.concat([[-1], p_shape[batch_dims:]], 0))
        flat_indices = _manip.reshape(indices, _manip.concat([[-1], i_shape[batch_dims:]], 0))
        # the batch index of every index vector: [n, 1, ..., 1], broadcast to [n, ..., 1]
        batch = _manip.reshape(sequence_ops.range(n, dtype=indices.dtype),
                               [-1] + [1] * (rank - batch_dims))
        batch = _manip.broadcast_to(batch, _manip.concat(
            [shape_of(flat_indices, out_type=indices.dtype)[:-1], [1]], 0))
        gathered = _gather_nd.apply([flat_params, _manip.concat([batch, flat_indices], -1)],
                                    name="GatherNd")
        out = _manip.reshape(gathered, _manip.concat(
            [i_shape[:batch_dims], shape_of(gathered)[1:]], 0))
        k = indices._shape[-1] if indices._shape else None
        if params._shape is not None and k is not None:  # (the static shape TF infers)
            out.set_shape(indices._shape[:-1] + params._shape[batch_dims + k:])
        return out


@_gather_nd.gradient
def _gather_nd_grad(op, grad):
    params, indices = op.inputs
    return [_scatter_nd.apply([indices, grad, shape_of(params)], name="ScatterNd"), None]


def _scatter_nd_shape(indices, updates, shape):
    out = shape_value(shape)
    if out is not None and None not in out:
        expected = _nd_shape(indices._shape, out, "ScatterNd")
        if expected is not None and updates._shape is not None and None not in updates._shape \
                and tuple(updates._shape) != expected:
            raise ValueError(f"Dimensions [0,{len(updates._shape)}) of updates[shape="
                             f"{fmt(updates._shape)}] = {fmt(updates._shape)} must match "
                             f"{fmt(expected)} for 'ScatterNd'.")
    return out


@register_op("ScatterNd", shape=_scatter_nd_shape, dtype=lambda i, u, s: u.dtype.base_dtype)
def _scatter_nd(indices, updates, shape):
    out = np.zeros(tuple(shape), dtype=updates.dtype)
    np.add.at(out, _index(indices, out.shape, ""), updates)  # duplicates add up
    return out


@_scatter_nd.gradient
def _scatter_nd_grad(op, grad):
    return [None, _gather_nd.apply([grad, op.inputs[0]]), None]


def scatter_nd(indices, updates, shape, name=None):
    """Scatters `updates` into a zero tensor of `shape` at `indices`; duplicates add up.

    Args:
      indices: an int32 or int64 Tensor of shape [..., K].
      updates: a Tensor of shape `indices.shape[:-1] + shape[K:]`.
      shape: the output's shape, a list or 1-D integer Tensor.
      name: a name for the operation (default "ScatterNd").

    Returns:
      A Tensor of `updates`' dtype and shape `shape`.

    Raises:
      TypeError: `indices` is not of an integer type.
      ValueError: the static shapes do not fit together.
      minitf.errors.InvalidArgumentError: at run time, an index is out of range.
    """
    indices = convert_to_tensor(indices)
    _check_indices(indices)
    return _scatter_nd.apply([indices, updates, shape_tensor(shape)], name=name or "ScatterNd")


# -- tensor_scatter_nd_update/add/sub ------------------------------------------------------------
def _tensor_scatter_shape(tensor, indices, updates):
    return tensor._shape


def _tensor_scatter(type, combine):
    @register_op(type, shape=_tensor_scatter_shape)
    def kernel(tensor, indices, updates):
        out = tensor.copy()
        combine(out, _index(indices, out.shape, ""), updates)
        return out
    return kernel


def _set(out, index, updates):
    out[index] = updates


_update = _tensor_scatter("TensorScatterUpdate", _set)
_add = _tensor_scatter("TensorScatterAdd", np.add.at)
_sub = _tensor_scatter("TensorScatterSub", np.subtract.at)
_max = _tensor_scatter("TensorScatterMax", np.maximum.at)
_min = _tensor_scatter("TensorScatterMin", np.minimum.at)


@_update.gradient
def _update_grad(op, grad):
    _, indices, updates = op.inputs
    return [_update.apply([grad, indices, zeros_like(updates)]), None,
            _gather_nd.apply([grad, indices])]


_add.gradient(lambda op, grad: [grad, None, _gather_nd.apply([grad, op.inputs[1]])])
_sub.gradient(lambda op, grad: [grad, None, negative(_gather_nd.apply([grad, op.inputs[1]]))])


def _min_or_max_grad(op, grad):
    """TF's: the gradient goes to whichever of the tensor and the updates gave the output,
    shared equally where they tie."""
    tensor, indices, updates = op.inputs
    out = op.outputs[0]
    dtype = grad.dtype.base_dtype
    from_tensor = cast(equal(tensor, out), dtype)
    from_updates = cast(equal(_gather_nd.apply([out, indices]), updates), dtype)
    count = from_tensor + _scatter_nd.apply([indices, from_updates, shape_of(tensor)])
    return [grad * from_tensor / count, None,
            _gather_nd.apply([grad / count, indices]) * from_updates]


_max.gradient(_min_or_max_grad)
_min.gradient(_min_or_max_grad)


def _scatter_function(opdef, verb):
    def scatter(tensor, indices, updates, name=None):
        tensor = convert_to_tensor(tensor)
        indices = convert_to_tensor(indices)
        _check_indices(indices)
        updates = convert_to_tensor(updates, dtype=tensor.dtype.base_dtype)
        return opdef.apply([tensor, indices, updates], name=name or opdef.type)
    scatter.__doc__ = f"""Returns a copy of `tensor` with `updates` {verb} at `indices`.

    Args:
      tensor: the Tensor to copy.
      indices: an int32 or int64 Tensor of shape [..., K].
      updates: a Tensor of `tensor`'s dtype and shape `indices.shape[:-1] + tensor.shape[K:]`.
      name: a name for the operation (default "{opdef.type}").

    Returns:
      A Tensor of `tensor`'s shape and dtype.

    Raises:
      TypeError: `indices` is not of an integer type.
      minitf.errors.InvalidArgumentError: at run time, an index is out of range.
    """
    return scatter


tensor_scatter_nd_update = tensor_scatter_update = _scatter_function(_update, "written")
tensor_scatter_nd_add = tensor_scatter_add = _scatter_function(_add, "added")
tensor_scatter_nd_sub = tensor_scatter_sub = _scatter_function(_sub, "subtracted")
tensor_scatter_nd_max = _scatter_function(_max, "taken where larger")
tensor_scatter_nd_min = _scatter_function(_min, "taken where smaller")
for _f, _n in ((tensor_scatter_nd_update, "tensor_scatter_nd_update"),
               (tensor_scatter_nd_add, "tensor_scatter_nd_add"),
               (tensor_scatter_nd_sub, "tensor_scatter_nd_sub"),
               (tensor_scatter_nd_max, "tensor_scatter_nd_max"),
               (tensor_scatter_nd_min, "tensor_scatter_nd_min")):
    _f.__name__ = _f.__qualname__ = _n


# -- boolean_mask ----------------------------------------------------------------------------------
def boolean_mask(tensor, mask, name="boolean_mask", axis=None):
    """Keeps the entries of `tensor` where `mask` is true.

    The K dimensions of `mask` (from `axis`) collapse into one, of the number of true entries.

    Args:
      tensor: an N-D Tensor.
      mask: a K-D bool Tensor of known rank, K <= N, matching `tensor.shape[axis:axis + K]`.
      name: a name for the operation (default "boolean_mask").
      axis: the first dimension `mask` covers (default 0).

    Returns:
      A Tensor of rank N - K + 1.

    Raises:
      ValueError: `mask`'s rank is unknown or 0, or its shape does not match `tensor`'s.
    """
    with name_scope(name, values=[tensor, mask]):
        tensor, mask = convert_to_tensor(tensor, name="tensor"), convert_to_tensor(mask,
                                                                                   name="mask")
        if mask._shape is None or not mask._shape:
            raise ValueError("mask dimensions must be specified, and not a scalar."
                             if mask._shape is None else "mask cannot be scalar.")
        axis = 0 if axis is None else int(axis)
        k = len(mask._shape)
        if tensor._shape is not None:
            tensor.shape[axis:axis + k].assert_is_compatible_with(mask.shape)
        if tensor._shape is not None and None not in tensor._shape:
            dims = list(tensor._shape)  # a static shape keeps the result's static
            rows = dims[:axis] + [-1] + dims[axis + k:]
        else:
            dims = shape_of(tensor)
            rows = _manip.concat([dims[:axis], [-1], dims[axis + k:]], 0)
        flat = _manip.reshape(tensor, rows)
        kept = _manip.squeeze(_manip.where(_manip.reshape(mask, [-1])), axis=[1])
        return _manip.gather(flat, kept, axis=axis)

