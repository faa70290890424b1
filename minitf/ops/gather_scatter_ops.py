"""N-d indexing: gather_nd, scatter_nd, tensor_scatter_nd_update/add/sub and boolean_mask.

An index tensor of shape [..., K] addresses K leading dimensions of the other operand; each of
these ops is one fancy-indexing NumPy call over `tuple(moveaxis(indices, -1, 0))`.
"""
import numpy as np

from minitf.framework import dtypes as _dtypes, errors
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops import manip_ops as _manip
from minitf.ops._shared import fmt, shape_of, shape_tensor, shape_value, zeros_like
from minitf.ops.math_ops import negative

__all__ = ["gather_nd", "scatter_nd", "tensor_scatter_nd_update", "tensor_scatter_nd_add",
           "tensor_scatter_nd_sub", "tensor_scatter_update", "tensor_scatter_add",
           "tensor_scatter_sub", "boolean_mask"]


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
      batch_dims: must be 0 (TF's batched form is not supported).

    Returns:
      A Tensor of shape `indices.shape[:-1] + params.shape[K:]`.

    Raises:
      TypeError: `indices` is not of an integer type.
      ValueError: K exceeds `params`' rank, or `batch_dims` is not 0.
      minitf.errors.InvalidArgumentError: at run time, an index is out of range.
    """
    if batch_dims:
        raise ValueError("minitf: gather_nd supports only batch_dims=0.")
    indices = convert_to_tensor(indices)
    _check_indices(indices)
    return _gather_nd.apply([params, indices], name=name or "GatherNd")


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


@_update.gradient
def _update_grad(op, grad):
    _, indices, updates = op.inputs
    return [_update.apply([grad, indices, zeros_like(updates)]), None,
            _gather_nd.apply([grad, indices])]


_add.gradient(lambda op, grad: [grad, None, _gather_nd.apply([grad, op.inputs[1]])])
_sub.gradient(lambda op, grad: [grad, None, negative(_gather_nd.apply([grad, op.inputs[1]]))])


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
for _f, _n in ((tensor_scatter_nd_update, "tensor_scatter_nd_update"),
               (tensor_scatter_nd_add, "tensor_scatter_nd_add"),
               (tensor_scatter_nd_sub, "tensor_scatter_nd_sub")):
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

