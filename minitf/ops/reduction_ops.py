"""Reductions (reduce_sum/mean/max/min/prod/any/all) and argmax/argmin.

The reduction axes are attrs, fixed when the graph is built (Python ints or a constant tensor),
so the kernel is one NumPy call; negative axes are normalized against the static rank.
"""
import functools
import math

import numpy as np

from minitf.framework import dtypes
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op
from minitf.ops._shapes import fmt

__all__ = ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_any",
           "reduce_all", "argmax", "argmin"]


def _reduced_shape(x, axis, keepdims):
    shape = x._shape
    if shape is None:
        return None
    if axis is None:
        return (1,) * len(shape) if keepdims else ()
    if keepdims:
        return tuple(1 if i in axis else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axis)


def _reduce_dtype(x, axis, keepdims):
    return x.dtype.base_dtype


def _reduction(type, kernel, differentiable=True, dtype=_reduce_dtype):
    return register_op(type, shape=_reduced_shape, dtype=dtype,
                       differentiable=differentiable)(kernel)


def _mean(x, axis, keepdims):
    if x.dtype.kind in "iu":  # TF: integer mean is the truncated integer quotient
        total = np.sum(x, axis=axis, keepdims=keepdims, dtype=np.int64)
        count = x.size // max(np.size(total), 1) if x.size else 1
        return np.trunc(total / count).astype(x.dtype)
    return np.mean(x, axis=axis, keepdims=keepdims, dtype=np.float32 if x.dtype == np.float16
                   else x.dtype).astype(x.dtype)


_sum = _reduction("Sum", lambda x, axis, keepdims: np.sum(x, axis, x.dtype, keepdims=keepdims))
_mean_op = _reduction("Mean", _mean)


@_sum.specialize
def _sum_fast(op, state):
    # ufunc.reduce skips np.sum's Python layer; it keeps float dtypes (ints it would widen)
    if op.outputs[0].dtype.base_dtype.is_floating:
        return functools.partial(np.add.reduce, axis=op._attrs["axis"],
                                 keepdims=op._attrs["keepdims"])
    return None
_max = _reduction("Max", lambda x, axis, keepdims: np.max(x, axis, keepdims=keepdims))
_min = _reduction("Min", lambda x, axis, keepdims: np.min(x, axis, keepdims=keepdims))
_prod = _reduction("Prod", lambda x, axis, keepdims: np.prod(x, axis, x.dtype, keepdims=keepdims))
_any = _reduction("Any", lambda x, axis, keepdims: np.any(x, axis, keepdims=keepdims), False)
_all = _reduction("All", lambda x, axis, keepdims: np.all(x, axis, keepdims=keepdims), False)


# -- gradients: the output's gradient broadcast back over the reduced axes -------------------------
def _kept(op, t):
    """`t` (an output-shaped tensor) reshaped to keep the reduced axes as 1s."""
    from minitf.ops import manip_ops

    x, axis = op.inputs[0], op.get_attr("axis")
    if op.get_attr("keepdims"):
        return t
    if x._shape is not None and None not in x._shape:
        return manip_ops.reshape(t, list(_reduced_shape(x, axis, keepdims=True)))
    return _spread_op.apply([t, x], axis=axis, keepdims=False, mean=False, broadcast=False)


def _spread_shape(grad, x, *, axis, keepdims, mean, broadcast):
    return x._shape if broadcast else _reduced_shape(x, axis, keepdims=True)


@register_op("ReductionGrad", shape=_spread_shape)
def _spread_op(grad, x, *, axis, keepdims, mean, broadcast):
    """grad (of a reduction of x over `axis`) with the reduced axes back as 1s, divided by
    their size for a mean, and broadcast to x's shape when `broadcast`."""
    shape = x.shape
    axes = range(len(shape)) if axis is None else axis
    kept = grad if keepdims else grad.reshape(
        tuple(1 if i in axes else d for i, d in enumerate(shape)))
    if mean:
        kept = kept / max(math.prod(shape[a] for a in axes), 1)
    if not broadcast:
        return kept.astype(x.dtype, copy=False)
    out = np.empty(x.shape, x.dtype)  # (np.broadcast_to's Python layer costs more than this)
    np.copyto(out, kept)
    return out


@_spread_op.gradient
def _spread_op_grad(op, grad):
    attrs = op._attrs
    if not attrs["broadcast"]:
        from minitf.ops import manip_ops

        return [manip_ops.reshape(grad, manip_ops.shape_of(op.inputs[0])), None]
    reduce = _mean_op if attrs["mean"] else _sum
    return [reduce.apply([grad], axis=attrs["axis"], keepdims=attrs["keepdims"]), None]


def _spread(op, grad, mean=False):
    return _spread_op.apply([grad, op.inputs[0]], axis=op.get_attr("axis"),
                            keepdims=op.get_attr("keepdims"), mean=mean, broadcast=True)


@_sum.gradient
def _sum_grad(op, grad):
    return [_spread(op, grad)]


@_mean_op.gradient
def _mean_grad(op, grad):
    return [_spread(op, grad, mean=True)]


def _extremum_grad(op, grad):
    from minitf.ops import math_ops

    x = op.inputs[0]
    chosen = math_ops.cast(math_ops.equal(x, _kept(op, op.outputs[0])), grad.dtype.base_dtype)
    count = _sum.apply([chosen], axis=op.get_attr("axis"), keepdims=True)
    return [chosen / count * _kept(op, grad)]


_max.gradient(_extremum_grad)
_min.gradient(_extremum_grad)


@register_op("ProdGrad", shape=lambda x, grad, axis, keepdims: x._shape, differentiable=False)
def _prod_grad_op(x, grad, axis, keepdims):
    """grad times the product of the other elements of each reduced slice (zeros allowed)."""
    axes = tuple(range(x.ndim)) if axis is None else tuple(axis)
    rest = tuple(i for i in range(x.ndim) if i not in axes)
    moved = np.transpose(x, rest + axes)
    flat = moved.reshape(moved.shape[:len(rest)] + (-1,))
    ones = np.ones(flat.shape[:-1] + (1,), x.dtype)
    left = np.cumprod(np.concatenate([ones, flat[..., :-1]], -1), -1)
    right = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], -1), -1)[..., ::-1]
    g = np.expand_dims(grad.reshape(flat.shape[:-1]), -1)
    others = (left * right * g).reshape(moved.shape)
    return np.transpose(others, np.argsort(rest + axes)).astype(x.dtype)


@_prod.gradient
def _prod_grad(op, grad):
    return [_prod_grad_op.apply([op.inputs[0], grad], **op._attrs)]


def _static_axes(x, axis, op_type):
    """`axis` (int, list, constant tensor or None) as a sorted tuple of non-negative ints."""
    if axis is None:
        return None
    if isinstance(axis, Tensor):
        value = constant_value(axis)
        if value is None:
            raise TypeError(f"{op_type}: minitf needs the reduction axis known when the graph is "
                            f"built (a Python int, list or constant), got {axis}.")
        axis = value
    axes = np.atleast_1d(np.asarray(axis))
    if axes.dtype.kind not in "iu":
        raise TypeError(f"{op_type}: axis must be int32 or int64, got {axis!r}.")
    rank = None if x._shape is None else len(x._shape)
    out = []
    for a in axes.tolist():
        if rank is not None and not -rank <= a < max(rank, 1):
            raise ValueError(f"Invalid reduction dimension {a} for input with {rank} dimensions. "
                             f"for '{op_type}' with input shapes: {fmt(x._shape)}.")
        out.append(a % rank if rank else a)
    return tuple(sorted(set(out)))


def _reduce(opdef, input_tensor, axis, keepdims, name, keep_dims, reduction_indices,
            types=None):
    if reduction_indices is not None:
        axis = reduction_indices if axis is None else axis
    keepdims = bool(keep_dims if keepdims is None and keep_dims is not None else keepdims)
    x = convert_to_tensor(input_tensor)
    if types == "bool" and x.dtype.base_dtype != dtypes.bool:
        raise TypeError(f"Input 'input' of '{opdef.type}' Op has type {x.dtype.name} that does "
                        "not match expected type of bool.")
    if types is None and x.dtype.base_dtype in (dtypes.bool, dtypes.string):
        raise TypeError(f"Value for attr 'T' of {x.dtype.name} is not in the list of allowed "
                        f"values for '{opdef.type}'")
    axes = _static_axes(x, axis, opdef.type)
    return opdef.apply([x], name=name or opdef.type, axis=axes, keepdims=keepdims)


def reduce_sum(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """The sum over `axis` (all axes when None); `keepdims` keeps them as size 1."""
    return _reduce(_sum, input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


def reduce_mean(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                keep_dims=None):
    """The mean over `axis` (an integer tensor's mean is truncated to an integer, as in TF)."""
    return _reduce(_mean_op, input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


def reduce_max(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """The maximum over `axis`."""
    return _reduce(_max, input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


def reduce_min(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """The minimum over `axis`."""
    return _reduce(_min, input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


def reduce_prod(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                keep_dims=None):
    """The product over `axis`."""
    return _reduce(_prod, input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


def reduce_any(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Logical OR over `axis` of a bool tensor."""
    return _reduce(_any, input_tensor, axis, keepdims, name, keep_dims, reduction_indices,
                   "bool")


def reduce_all(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Logical AND over `axis` of a bool tensor."""
    return _reduce(_all, input_tensor, axis, keepdims, name, keep_dims, reduction_indices,
                   "bool")


# -- argmax / argmin (not differentiable) --------------------------------------------------------
def _arg_shape(x, axis, output_type):
    return None if x._shape is None else x._shape[:axis] + x._shape[axis + 1:]


def _arg_dtype(x, axis, output_type):
    return output_type


_argmax = register_op("ArgMax", shape=_arg_shape, dtype=_arg_dtype, differentiable=False)(
    lambda x, axis, output_type: np.argmax(x, axis).astype(output_type.as_numpy_dtype))
_argmin = register_op("ArgMin", shape=_arg_shape, dtype=_arg_dtype, differentiable=False)(
    lambda x, axis, output_type: np.argmin(x, axis).astype(output_type.as_numpy_dtype))


def _arg(opdef, input, axis, name, dimension, output_type):
    axis = dimension if axis is None else axis
    x = convert_to_tensor(input)
    axes = _static_axes(x, 0 if axis is None else axis, opdef.type)
    output_type = dtypes.as_dtype(output_type)
    if output_type not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"output_type must be int32 or int64, got {output_type.name}")
    return opdef.apply([x], name=name or opdef.type, axis=axes[0], output_type=output_type)


def argmax(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):
    """The index of the largest value along `axis` (0 when None, as TF1)."""
    return _arg(_argmax, input, axis, name, dimension, output_type)


def argmin(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):
    """The index of the smallest value along `axis` (0 when None, as TF1)."""
    return _arg(_argmin, input, axis, name, dimension, output_type)
