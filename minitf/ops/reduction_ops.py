"""Reductions: reduce_sum/mean/max/min/prod/any/all and argmax/argmin, as TF's math_ops holds
them, with their gradient helper ops (ReductionGrad, ProdGrad).

This family sits below math_ops, whose `unbroadcast` sums with the Sum op here; so the Max/Min
gradient finds math_ops' Equal and Cast in the registry when it runs, not by an import.

Reduction axes known when the graph is built (Python ints or a constant tensor) are attrs,
normalized against the static rank, so the kernel is one NumPy call. An axis tensor computed at
run time is the op's second input instead (TF's `reduction_indices`), read by the kernel; the
static shape is then unknown (of the input's rank with keepdims), as in TF.
"""
import functools
import math

import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.framework.registry import REGISTRY, register_op
from minitf.ops._shared import fmt, ones_like, shape_of
from minitf.ops.manip_ops import reshape

__all__ = ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_any",
           "reduce_all", "reduce_euclidean_norm", "argmax", "argmin"]


# -- reductions ------------------------------------------------------------------------------------
def _reduced_shape(x, *indices, axis, keepdims):
    shape = x._shape
    if shape is None or (indices and not keepdims):
        return None
    if indices:
        return (None,) * len(shape)
    if axis is None:
        return (1,) * len(shape) if keepdims else ()
    if keepdims:
        return tuple(1 if i in axis else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axis)


def _reduce_dtype(x, *indices, **attrs):
    return x.dtype.base_dtype


def _run_axes(x, indices, axis):
    """The axes to reduce: the attr, or the run-time `indices` input normalized against x."""
    if not indices:
        return axis
    axes = np.asarray(indices[0]).reshape(-1)
    bad = axes[(axes < -max(x.ndim, 1)) | (axes >= max(x.ndim, 1))]
    if bad.size:
        raise errors.InvalidArgumentError(
            None, None, f"Invalid reduction dimension ({bad[0]} for input with {x.ndim} "
            "dimension(s)")
    return tuple(sorted(set((axes % max(x.ndim, 1)).tolist())))


def _reduction(type, kernel, differentiable=True, dtype=_reduce_dtype):
    def run(x, *indices, axis, keepdims):
        return kernel(x, _run_axes(x, indices, axis), keepdims)
    return register_op(type, shape=_reduced_shape, dtype=dtype,
                       differentiable=differentiable)(run)


def _mean(x, axis, keepdims):
    if x.dtype.kind in "iu":  # TF: integer mean is the truncated integer quotient
        total = np.sum(x, axis=axis, keepdims=keepdims, dtype=np.int64)
        count = x.size // max(np.size(total), 1) if x.size else 1
        return np.trunc(total / count).astype(x.dtype)
    if x.dtype.kind not in "fc" or x.size == 0:  # (np.mean warns of an empty mean)
        return np.mean(x, axis=axis, keepdims=keepdims, dtype=np.float32 if x.dtype == np.float16
                       else x.dtype).astype(x.dtype)
    # np.mean's own steps (a sum, then one division in place) without its Python layer; float16
    # sums in float32, as np.mean and TF do
    total = np.add.reduce(x, axis=axis, dtype=np.float32 if x.dtype == np.float16 else x.dtype,
                          keepdims=keepdims)
    count = x.size // max(total.size, 1)
    if isinstance(total, np.ndarray):
        np.true_divide(total, count, out=total)
        return total.astype(x.dtype, copy=False)
    return x.dtype.type(total / count)


_sum = _reduction("Sum", lambda x, axis, keepdims: np.sum(x, axis, x.dtype, keepdims=keepdims))
_mean_op = _reduction("Mean", _mean)
# (ufunc.reduce: np.max's values without its Python layer)
_max = _reduction("Max", lambda x, axis, keepdims: np.maximum.reduce(x, axis, keepdims=keepdims))
_min = _reduction("Min", lambda x, axis, keepdims: np.minimum.reduce(x, axis, keepdims=keepdims))
_prod = _reduction("Prod", lambda x, axis, keepdims: np.prod(x, axis, x.dtype, keepdims=keepdims))
_euclidean_norm = _reduction("EuclideanNorm", lambda x, axis, keepdims: np.sqrt(
    np.sum(x * np.conj(x), axis, keepdims=keepdims)).astype(x.dtype))
_any = _reduction("Any", lambda x, axis, keepdims: np.any(x, axis, keepdims=keepdims), False)
_all = _reduction("All", lambda x, axis, keepdims: np.all(x, axis, keepdims=keepdims), False)


@_sum.specialize
def _sum_fast(op, state):
    # ufunc.reduce skips np.sum's Python layer; it keeps float dtypes (ints it would widen)
    if op.outputs[0].dtype.base_dtype.is_floating and len(op.inputs) == 1:
        return functools.partial(np.add.reduce, axis=op._attrs["axis"],
                                 keepdims=op._attrs["keepdims"])
    return None


# -- gradients: the output's gradient broadcast back over the reduced axes -------------------------
# A reduction's run-time axis input (if any) follows its data inputs into each helper op, so the
# helpers reduce or spread over the axes the forward op used.
def _kept(op, t):
    """`t` (an output-shaped tensor) reshaped to keep the reduced axes as 1s."""
    x, indices, axis = op.inputs[0], op.inputs[1:], op.get_attr("axis")
    if op.get_attr("keepdims"):
        return t
    if not indices and x._shape is not None and None not in x._shape:
        return reshape(t, list(_reduced_shape(x, axis=axis, keepdims=True)))
    return _spread_op.apply([t, x, *indices], axis=axis, keepdims=False, mean=False,
                            broadcast=False)


def _spread_shape(grad, x, *indices, axis, keepdims, mean, broadcast):
    return x._shape if broadcast else _reduced_shape(x, *indices, axis=axis, keepdims=True)


@register_op("ReductionGrad", shape=_spread_shape)
def _spread_op(grad, x, *indices, axis, keepdims, mean, broadcast):
    """grad (of a reduction of x over `axis`) with the reduced axes back as 1s, divided by
    their size for a mean, and broadcast to x's shape when `broadcast`."""
    shape = x.shape
    axis = _run_axes(x, indices, axis)
    axes = range(len(shape)) if axis is None else axis
    kept = grad if keepdims else grad.reshape(
        tuple(1 if i in axes else d for i, d in enumerate(shape)))
    if mean:  # (dividing the small array, then copying it out, is cheaper than dividing
        # into the broadcast: the copy is a plain broadcast loop, measured in
        # tools/bench_kernels.py)
        kept = kept / max(math.prod(shape[a] for a in axes), 1)
    if not broadcast:
        return kept.astype(x.dtype, copy=False)
    out = np.empty(x.shape, x.dtype)  # (np.broadcast_to's Python layer costs more than this)
    np.copyto(out, kept)
    return out


@_spread_op.gradient
def _spread_op_grad(op, grad):
    attrs, indices = op._attrs, op.inputs[2:]
    nones = [None] * (1 + len(indices))
    if not attrs["broadcast"]:
        return [reshape(grad, shape_of(op.inputs[0]))] + nones
    reduce = _mean_op if attrs["mean"] else _sum
    return [reduce.apply([grad, *indices], axis=attrs["axis"], keepdims=attrs["keepdims"])] + nones


def _spread(op, grad, mean=False):
    return _spread_op.apply([grad, *op.inputs], axis=op.get_attr("axis"),
                            keepdims=op.get_attr("keepdims"), mean=mean, broadcast=True)


def _with_indices(op, grad_x):
    """The gradients of op's inputs: grad_x for the data, None for a run-time axis input."""
    return [grad_x] + [None] * (len(op.inputs) - 1)


@_sum.gradient
def _sum_grad(op, grad):
    return _with_indices(op, _spread(op, grad))


@_mean_op.gradient
def _mean_grad(op, grad):
    return _with_indices(op, _spread(op, grad, mean=True))


def _extremum_grad(op, grad):
    x = op.inputs[0]
    equal = REGISTRY["Equal"].apply([x, _kept(op, op.outputs[0])])
    chosen = REGISTRY["Cast"].apply([equal], DstT=grad.dtype.base_dtype)
    count = _sum.apply([chosen, *op.inputs[1:]], axis=op.get_attr("axis"), keepdims=True)
    return _with_indices(op, chosen / count * _kept(op, grad))


_max.gradient(_extremum_grad)
_min.gradient(_extremum_grad)


@_euclidean_norm.gradient
def _euclidean_norm_grad(op, grad):
    return _with_indices(op, op.inputs[0] / (_kept(op, op.outputs[0]) / _kept(op, grad)))


@register_op("ProdGrad", shape=lambda x, grad, *indices, axis, keepdims: x._shape)
def _prod_grad_op(x, grad, *indices, axis, keepdims):
    """grad times the product of the other elements of each reduced slice (zeros allowed)."""
    axis = _run_axes(x, indices, axis)
    axes = tuple(range(x.ndim)) if axis is None else tuple(axis)
    rest = tuple(i for i in range(x.ndim) if i not in axes)
    moved = np.transpose(x, rest + axes)
    flat = moved.reshape(moved.shape[:len(rest)] + (-1,))
    ones = np.ones(flat.shape[:-1] + (1,), x.dtype)
    left = np.cumprod(np.concatenate([ones, flat[..., :-1]], -1), -1)
    right = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], -1), -1)[..., ::-1]
    g = np.expand_dims(grad.reshape(flat.shape[:-1]), -1)
    products = left * right
    if products.dtype.kind == "c":  # TF's gradient of complex inputs: the conjugate product
        products = np.conj(products)
    others = (products * g).reshape(moved.shape)
    return np.transpose(others, np.argsort(rest + axes)).astype(x.dtype)


@_prod.gradient
def _prod_grad(op, grad):
    x, indices = op.inputs[0], op.inputs[1:]
    return _with_indices(op, _prod_grad_op.apply([x, grad, *indices], **op._attrs))


@_prod_grad_op.gradient
def _prod_grad_op_grad(op, grad):
    # ProdGrad is g * others(x), others_i the product of x_j (j != i) over i's reduced slice.
    # d others_i / d x_k = others_i / x_k for k != i: exact where x_k != 0; inf or NaN at an
    # x_k == 0 (TF's second derivative of reduce_prod divides by x likewise).
    (x, g), indices = op.inputs[:2], op.inputs[2:]
    attrs = {"axis": op.get_attr("axis"), "keepdims": op.get_attr("keepdims")}
    others = _prod_grad_op.apply([x, ones_like(g), *indices], **attrs)
    weighted = grad * others
    spread_g = _spread_op.apply([g, x, *indices], mean=False, broadcast=True, **attrs)
    by_slice = _sum.apply([weighted * spread_g, *indices], axis=attrs["axis"], keepdims=True)
    return [(by_slice - weighted * spread_g) / x,
            _sum.apply([weighted, *indices], **attrs)] + [None] * len(indices)


def _static_axes(x, axis, op_type):
    """`axis` (int, list, constant tensor or None) as a sorted tuple of non-negative ints; an
    integer tensor whose value is known only at run time is returned as it is."""
    if axis is None:
        return None
    if isinstance(axis, Tensor):
        value = constant_value(axis)
        if value is None:
            if axis.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
                raise TypeError(f"Value for attr 'Tidx' of {axis.dtype.base_dtype.name} is not "
                                "in the list of allowed values: int32, int64")
            return axis
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
    if isinstance(axes, Tensor):
        return opdef.apply([x, axes], name=name or opdef.type, axis=None, keepdims=keepdims)
    return opdef.apply([x], name=name or opdef.type, axis=axes, keepdims=keepdims)


def reduce_sum(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Computes the sum of elements across dimensions of a tensor.

    >>> x = tf.constant([[1, 1, 1], [1, 1, 1]])
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.reduce_sum(x)), sess.run(tf.reduce_sum(x, 0)))
    ...     print(sess.run(tf.reduce_sum(x, axis=1, keepdims=True)))
    6 [2 2 2]
    [[3]
     [3]]
    """
    return _reduce(_sum, input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


def reduce_mean(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                keep_dims=None):
    """Computes the mean of elements across dimensions of a tensor.

    The mean of an integer tensor is an integer, truncated toward zero, as in TF.
    """
    return _reduce(_mean_op, input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


def reduce_max(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Computes the maximum of elements across dimensions of a tensor.

    Where several elements are the maximum, the gradient is shared equally among them.
    """
    return _reduce(_max, input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


def reduce_min(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Computes the minimum of elements across dimensions of a tensor.

    Where several elements are the minimum, the gradient is shared equally among them.
    """
    return _reduce(_min, input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


def reduce_prod(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                keep_dims=None):
    """Computes the product of elements across dimensions of a tensor."""
    return _reduce(_prod, input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the Euclidean norm (sqrt of the sum of squares) across dimensions of a tensor.

    The gradient is x / norm, NaN where the norm is 0, as in TF.

    Args:
      input_tensor: the Tensor (or value) to reduce, of a numeric type.
      axis: the dimensions to reduce: None (all), an int, a list of ints or an int32/int64
        tensor (a non-constant one is read at run time); negative ones count from the end.
      keepdims: if True, the reduced dimensions are kept with size 1.
      name: a name for the operation (default "EuclideanNorm").

    Returns:
      A Tensor of `input_tensor`'s dtype, without the reduced dimensions (or with size 1).

    Raises:
      TypeError: the dtype is bool or string, or `axis` is not integer.
      ValueError: an axis is out of range.
    """
    return _reduce(_euclidean_norm, input_tensor, axis, keepdims, name, None, None)


def reduce_any(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Computes the logical OR of the elements of a bool tensor across dimensions."""
    return _reduce(_any, input_tensor, axis, keepdims, name, keep_dims, reduction_indices,
                   "bool")


def reduce_all(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Computes the logical AND of the elements of a bool tensor across dimensions."""
    return _reduce(_all, input_tensor, axis, keepdims, name, keep_dims, reduction_indices,
                   "bool")


# The reductions share their Args, Returns and Raises: one block, appended to each.
_REDUCE_DOC = """

    Reduces `input_tensor` along the dimensions in `axis` (all of them when None); unless
    `keepdims` is True, the result has one dimension less for each.

    Args:
      input_tensor: the Tensor (or value) to reduce: numeric for reduce_sum, _mean, _max,
        _min and _prod, bool for reduce_any and _all.
      axis: the dimensions to reduce: None (all), an int, a list of ints or an int32/int64
        tensor (a non-constant one is read at run time); negative ones count from the end.
      keepdims: if True, the reduced dimensions are kept with size 1.
      name: a name for the operation (optional).
      reduction_indices: TF1's old name for `axis`.
      keep_dims: TF1's old name for `keepdims`.

    Returns:
      A Tensor of `input_tensor`'s dtype, without the reduced dimensions (or with size 1).

    Raises:
      TypeError: the dtype is not one the reduction takes, or `axis` is not integer.
      ValueError: an axis is out of range.
    """
for _fn in (reduce_sum, reduce_mean, reduce_max, reduce_min, reduce_prod, reduce_any,
            reduce_all):
    _fn.__doc__ = _fn.__doc__.rstrip() + _REDUCE_DOC


# -- argmax / argmin (not differentiable) --------------------------------------------------------
def _arg_shape(x, *dimension, axis, output_type):
    if x._shape is None:
        return None
    if dimension:  # a run-time axis: one dimension less, which ones unknown
        return (None,) * max(len(x._shape) - 1, 0)
    return x._shape[:axis] + x._shape[axis + 1:]


def _arg_dtype(x, *dimension, axis, output_type):
    return output_type


def _arg_kernel(fn):
    def kernel(x, *dimension, axis, output_type):
        axis = _run_axes(x, dimension, (axis,))[0]
        return fn(x, axis).astype(output_type.as_numpy_dtype)
    return kernel


_argmax = register_op("ArgMax", shape=_arg_shape, dtype=_arg_dtype, differentiable=False)(
    _arg_kernel(np.argmax))
_argmin = register_op("ArgMin", shape=_arg_shape, dtype=_arg_dtype, differentiable=False)(
    _arg_kernel(np.argmin))


def _arg(opdef, input, axis, name, dimension, output_type):
    axis = dimension if axis is None else axis
    x = convert_to_tensor(input)
    axes = _static_axes(x, 0 if axis is None else axis, opdef.type)
    output_type = dtypes.as_dtype(output_type)
    if output_type not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"output_type must be int32 or int64, got {output_type.name}")
    if isinstance(axes, Tensor):
        return opdef.apply([x, axes], name=name or opdef.type, axis=None,
                           output_type=output_type)
    return opdef.apply([x], name=name or opdef.type, axis=axes[0], output_type=output_type)


def argmax(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):
    """Returns the index of the largest value along `axis` (the first one, on ties)."""
    return _arg(_argmax, input, axis, name, dimension, output_type)


def argmin(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):
    """Returns the index of the smallest value along `axis` (the first one, on ties)."""
    return _arg(_argmin, input, axis, name, dimension, output_type)


_ARG_DOC = """

    Args:
      input: a Tensor (or value) of a real type.
      axis: the dimension to reduce, an int or an int32/int64 scalar tensor (a non-constant
        one is read at run time; default 0, as TF1); negative counts from the end.
      name: a name for the operation (optional).
      dimension: TF1's old name for `axis`.
      output_type: the index type, int64 (the default) or int32.

    Returns:
      A Tensor of `output_type`: `input`'s shape without dimension `axis`.

    Raises:
      TypeError: `output_type` is not int32 or int64.
      ValueError: `axis` is out of range.
    """
for _fn in (argmax, argmin):
    _fn.__doc__ = _fn.__doc__.rstrip() + _ARG_DOC
