"""Array ops: placeholders, identity, creation (zeros, ones, fill) and shape queries.

Layout ops (reshape, concat, gather, ...) are in manip_ops.py and slicing in slicing.py.
"""
import numpy as np

from minitf.framework import dtypes as _dtypes
from minitf.framework import errors
from minitf.framework import tensor_shape
from minitf.framework.api import name_scope
from minitf.framework.constant_op import (_contains_tensor, constant, constant_value,
                                          convert_to_tensor)
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op

__all__ = ["placeholder", "placeholder_with_default", "identity", "zeros", "ones", "fill",
           "zeros_like", "ones_like", "shape", "size", "rank", "newaxis", "stop_gradient"]

newaxis = None


# -- placeholders ----------------------------------------------------------------------------------
def _placeholder_shape(*, dtype, shape):
    return shape


def _placeholder_dtype(*, dtype, shape):
    return dtype


@register_op("Placeholder", shape=_placeholder_shape, dtype=_placeholder_dtype,
             differentiable=False, stateful=True)
def _placeholder(state, op, *, dtype, shape):
    # Runs only when the placeholder was not fed.
    shape_text = "<unknown>" if shape is None else (
        "[" + ",".join("?" if d is None else str(d) for d in shape) + "]")
    raise errors.InvalidArgumentError(
        None, op, f"You must feed a value for placeholder tensor '{op.name}' with dtype "
        f"{_dtypes.tf_type_name(dtype)} and shape {shape_text}\n\t [[{{{{node {op.name}}}}}]]")


def placeholder(dtype, shape=None, name=None):
    """A tensor whose value must be fed to Session.run (InvalidArgumentError otherwise).

    Args:
      dtype: the element type.
      shape: the static shape; None dims (or shape None) accept any size.
      name: the op name (default "Placeholder").
    """
    dtype = _dtypes.as_dtype(dtype)
    shape = tensor_shape.as_shape(shape)._as_tuple()
    return _placeholder.apply([], name=name or "Placeholder", dtype=dtype, shape=shape)


def _pwd_shape(default, *, shape):
    return shape


@register_op("PlaceholderWithDefault", shape=_pwd_shape)
def _placeholder_with_default(default, *, shape):
    return default


@_placeholder_with_default.gradient
def _placeholder_with_default_grad(op, grad):
    return [grad]


def placeholder_with_default(input, shape, name=None):
    """A placeholder that yields `input` when it is not fed."""
    input = convert_to_tensor(input)
    shape = tensor_shape.as_shape(shape)
    input.shape.assert_is_compatible_with(shape)
    return _placeholder_with_default.apply([input], name=name or "PlaceholderWithDefault",
                                           shape=shape._as_tuple())


# -- identity --------------------------------------------------------------------------------------
def _same_shape(x, **attrs):
    return x._shape


def _int32(*inputs, **attrs):
    return _dtypes.int32


@register_op("Identity", shape=_same_shape)
def _identity(x):
    return x


@_identity.gradient
def _identity_grad(op, grad):
    return [grad]


_identity_grad.sparse_ok = True  # an IndexedSlices gradient passes through as it is


def identity(input, name=None):
    """Returns a tensor with the same value as `input`."""
    return _identity.apply([input], name=name or "Identity")


@register_op("StopGradient", shape=_same_shape, differentiable=False)
def _stop_gradient(x):
    return x


def stop_gradient(input, name=None):
    """`input` itself, but gradients do not flow through it."""
    return _stop_gradient.apply([input], name=name or "StopGradient")


# -- creation --------------------------------------------------------------------------------------
def shape_value(t):
    """The static value of a shape tensor `t` as a tuple (None for unknown entries), or None when
    not even its length is known: a Const, a `shape()` of a tensor, or a stack of scalars."""
    value = constant_value(t)
    if value is not None:
        return tuple(None if d < 0 else int(d) for d in np.atleast_1d(value).tolist())
    op = t.op
    if op.type == "Shape":
        return op.inputs[0]._shape
    if op.type == "Pack" and op.get_attr("axis") == 0:
        values = [constant_value(i) for i in op.inputs]
        return tuple(None if v is None or v < 0 else int(v) for v in values)
    n = t._shape[0] if t._shape else None
    return None if n is None else (None,) * n


def _fill_shape(dims, value):
    return shape_value(dims)


def _fill_dtype(dims, value):
    return value.dtype.base_dtype


@register_op("Fill", shape=_fill_shape, dtype=_fill_dtype)
def _fill(dims, value):
    return np.full(tuple(dims), value, dtype=value.dtype)


def fill(dims, value, name=None):
    """A tensor of shape `dims` (list or 1-D int tensor) filled with scalar `value`."""
    return _fill.apply([_shape_tensor(dims), value], name=name or "Fill")


@_fill.gradient
def _fill_grad(op, grad):
    from minitf.ops.reduction_ops import reduce_sum

    return [None, reduce_sum(grad)]


def _shape_tensor(shape, name=None):
    if isinstance(shape, tensor_shape.TensorShape):
        shape = shape.as_list()
    return convert_to_tensor(shape, dtype=_dtypes.int32 if not hasattr(shape, "dtype") else None,
                             name=name)


def _filled(shape, dtype, value, name):
    dtype = _dtypes.as_dtype(dtype).base_dtype
    if isinstance(shape, tensor_shape.TensorShape):
        shape = shape.as_list()
    if not (isinstance(shape, Tensor) or isinstance(shape, (list, tuple)) and
            _contains_tensor(shape)):
        dims = [int(d) for d in np.atleast_1d(np.asarray(shape, dtype=np.int64))]
        return constant(np.full(dims, value, dtype=dtype.as_numpy_dtype), name=name)
    with name_scope(name) as scope:
        return fill(_shape_tensor(shape), constant(value, dtype=dtype, name="Const"), name=scope)


def zeros(shape, dtype=_dtypes.float32, name=None):
    """A tensor of `shape` filled with zeros (a Const when the shape is static, as TF)."""
    return _filled(shape, dtype, 0, name or "zeros")


def ones(shape, dtype=_dtypes.float32, name=None):
    """A tensor of `shape` filled with ones."""
    return _filled(shape, dtype, 1, name or "ones")


@register_op("ZerosLike", shape=_same_shape, differentiable=False)
def _zeros_like(x):
    return np.zeros_like(x)


@register_op("OnesLike", shape=_same_shape, differentiable=False)
def _ones_like(x):
    return np.ones_like(x)


def _like(opdef, value, tensor, dtype, name):
    tensor = convert_to_tensor(tensor)
    dtype = tensor.dtype.base_dtype if dtype is None else _dtypes.as_dtype(dtype).base_dtype
    shape = tensor._shape
    if shape is not None and None not in shape:
        return constant(np.full(shape, value, dtype=dtype.as_numpy_dtype), name=name)
    if dtype != tensor.dtype.base_dtype:
        from minitf.ops.math_ops import cast

        tensor = cast(tensor, dtype)
    return opdef.apply([tensor], name=name)


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    """Zeros of `tensor`'s shape (and dtype, unless `dtype` is given)."""
    return _like(_zeros_like, 0, tensor, dtype, name or "zeros_like")


def ones_like(tensor, dtype=None, name=None, optimize=True):
    """Ones of `tensor`'s shape (and dtype, unless `dtype` is given)."""
    return _like(_ones_like, 1, tensor, dtype, name or "ones_like")


# -- shape queries (not differentiable) ------------------------------------------------------------
def _shape_of_shape(x, out_type):
    return None if x._shape is None else (len(x._shape),)


@register_op("Shape", shape=_shape_of_shape, dtype=lambda x, out_type: out_type,
             differentiable=False)
def _shape(x, out_type):
    return np.array(x.shape, dtype=out_type.as_numpy_dtype)


@register_op("Size", shape=lambda x, out_type: (), dtype=lambda x, out_type: out_type,
             differentiable=False)
def _size(x, out_type):
    return np.array(x.size, dtype=out_type.as_numpy_dtype)


@register_op("Rank", shape=lambda x: (), dtype=_int32, differentiable=False)
def _rank(x):
    return np.array(x.ndim, dtype=np.int32)


def shape(input, name=None, out_type=_dtypes.int32):
    """The dynamic shape of `input` as a 1-D int tensor."""
    return _shape.apply([input], name=name or "Shape", out_type=_dtypes.as_dtype(out_type))


def size(input, name=None, out_type=_dtypes.int32):
    """The number of elements of `input`, a scalar int tensor."""
    return _size.apply([input], name=name or "Size", out_type=_dtypes.as_dtype(out_type))


def rank(input, name=None):
    """The rank of `input` (a Const when it is known statically, as TF)."""
    input = convert_to_tensor(input)
    if input._shape is not None:
        return constant(len(input._shape), dtype=_dtypes.int32, name=name or "Rank")
    return _rank.apply([input], name=name or "Rank")


from minitf.ops.manip_ops import *  # noqa: E402,F401,F403  (part of this namespace)
from minitf.ops.slicing import *  # noqa: E402,F401,F403
from minitf.ops import manip_ops as _manip_ops, slicing as _slicing  # noqa: E402

__all__ += _manip_ops.__all__ + _slicing.__all__
