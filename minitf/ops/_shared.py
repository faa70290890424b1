"""What every op family builds on, in the one leaf module of minitf/ops (it imports only the
framework, and every family may import it): static shape helpers, the operand conversion of binary
ops, and the ops that other families' gradients and shape logic need (Identity, Shape, ZerosLike,
OnesLike). array_ops re-exports the public ones (`tf.identity`, `tf.shape`, `tf.zeros_like`, ...).

Static shapes are tuples (None for an unknown dim) or None (unknown rank).
"""
import numpy as np

from minitf.framework import dtypes as _dtypes, tensor_shape
from minitf.framework.constant_op import constant, constant_value, convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op


# -- static shapes ---------------------------------------------------------------------------------
def fmt(shape):
    """TF's text for a shape in error messages: `[2,?]`, `?` for unknown rank."""
    if shape is None:
        return "?"
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def broadcast_shape(a, b, op_type="BroadcastTo"):
    """NumPy broadcasting of two static shapes; ValueError (TF's words) if they cannot broadcast."""
    if a is None or b is None:
        return None
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x == 1:
            out.append(y)
        elif y == 1 or x == y:
            out.append(x)
        elif x is None or y is None:
            out.append(x if y is None else y)  # the known dim, unless it is 1 (handled above)
        else:
            raise ValueError(f"Dimensions must be equal, but are {x} and {y} for "
                             f"'{op_type}' with input shapes: {fmt(a)}, {fmt(b)}.")
    return tuple(out)


def shape_value(t):
    """The static value of a shape tensor `t` as a tuple (None for unknown entries), or None when
    not even its length is known: a Const, a `shape()` of a tensor, or a stack of scalars (the
    cases TF's constant_value_as_shape reads)."""
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


def shape_tensor(shape, name=None):
    """`shape` (a list, TensorShape or int tensor) as a 1-D int tensor: a tensor as it is, else
    int32, or int64 when a dimension does not fit int32 (as TF's shape_as_tensor)."""
    if isinstance(shape, tensor_shape.TensorShape):
        shape = shape.as_list()
    if hasattr(shape, "dtype"):
        return convert_to_tensor(shape, name=name)
    dims = shape if isinstance(shape, (list, tuple)) else [shape]
    wide = any(isinstance(d, (int, np.integer)) and not -2**31 <= d < 2**31 for d in dims)
    return convert_to_tensor(shape, dtype=_dtypes.int64 if wide else _dtypes.int32, name=name)


# -- operands of binary ops ------------------------------------------------------------------------
def operands(x, y, op_type):
    """Both operands as Tensors of one dtype (a non-Tensor takes the other's dtype), named
    `x` and `y` when they are made here, as TF's wrappers name them."""
    if not isinstance(x, Tensor) and isinstance(y, Tensor):
        x = _convert_like(x, y, "x")
    else:
        x = convert_to_tensor(x, name="x")
        y = _convert_like(y, x, "y")
    check_same_dtype(x, y, op_type)
    return x, y


def check_same_dtype(x, y, op_type):
    """TypeError (TF's text) unless x and y have one dtype."""
    if x.dtype.base_dtype != y.dtype.base_dtype:
        raise TypeError(f"Input 'y' of '{op_type}' Op has type {y.dtype.base_dtype.name} that "
                        f"does not match type {x.dtype.base_dtype.name} of argument 'x'.")


def _convert_like(value, other, name):
    if isinstance(value, Tensor) or hasattr(value, "_as_graph_element"):
        return convert_to_tensor(value)
    try:
        return convert_to_tensor(value, dtype=other.dtype.base_dtype, name=name)
    except (TypeError, ValueError):
        return convert_to_tensor(value, name=name)  # the caller reports the dtype mismatch


# -- identity --------------------------------------------------------------------------------------
def same_shape(x, **attrs):
    """The shape rule of an op whose output has its first input's shape."""
    return x._shape


def _value_dtype(x, **attrs):
    return x._dtype.base_dtype  # (a ref variable's Identity is its value, as TF's: float32)


@register_op("Identity", shape=same_shape, dtype=_value_dtype, forwards_input=True,
             sparse_grads=True)
def _identity(x):
    return x


@_identity.gradient
def _identity_grad(op, grad):
    return [grad]  # an IndexedSlices gradient passes through as it is


def identity(input, name=None):
    """Returns a tensor with the same value, shape and dtype as `input`.

    A new name for a value (an `Identity` op, which costs nothing when run); gradients pass
    through it unchanged.

    Args:
      input: a Tensor (or a value `convert_to_tensor` takes).
      name: a name for the operation (default "Identity").

    Returns:
      A Tensor.
    """
    return _identity.apply([input], name=name or "Identity")


@register_op("IdentityN", shape=lambda *xs: [x._shape for x in xs],
             dtype=lambda *xs: [x.dtype.base_dtype for x in xs], outputs="n")
def _identity_n(*xs):
    return list(xs)


@_identity_n.gradient
def _identity_n_grad(op, *grads):
    return list(grads)


def identity_n(input, name=None):
    """Returns a list of tensors with the same values, shapes and dtypes as `input`.

    One `IdentityN` op for several tensors; `tf.custom_gradient` overrides its gradient.

    Args:
      input: a list of Tensors (or values `convert_to_tensor` takes).
      name: a name for the operation (default "IdentityN").

    Returns:
      A list of Tensors, one per input.
    """
    return _identity_n.apply(list(input), name=name or "IdentityN")


# -- shapes ----------------------------------------------------------------------------------------
def _shape_of_shape(x, out_type):
    return None if x._shape is None else (len(x._shape),)


@register_op("Shape", shape=_shape_of_shape, dtype=lambda x, out_type: out_type,
             differentiable=False)
def _shape(x, out_type):
    return np.array(x.shape, dtype=out_type.as_numpy_dtype)


def shape(input, name=None, out_type=_dtypes.int32):
    """Returns the shape of `input` as a 1-D integer tensor, computed when it runs.

    Unlike `input.shape` (the static shape, dims possibly unknown), its value is the actual
    shape of each run.

    Args:
      input: a Tensor (or a value `convert_to_tensor` takes).
      name: a name for the operation (default "Shape").
      out_type: int32 or int64.

    Returns:
      A 1-D Tensor of `out_type` with one element per dimension of `input`.
    """
    return _shape.apply([input], name=name or "Shape", out_type=_dtypes.as_dtype(out_type))


def shape_of(t, name="Shape", out_type=_dtypes.int32):
    """t's shape as an int tensor: a Const when it is known statically."""
    if t._shape is not None and None not in t._shape:
        return constant(list(t._shape), out_type, name=name)
    return shape(t, name=name, out_type=out_type)


# -- zeros_like, ones_like -------------------------------------------------------------------------
def _like_dtype(x, dtype):
    return dtype


@register_op("ZerosLike", shape=same_shape, dtype=_like_dtype, differentiable=False)
def _zeros_like(x, dtype):
    return np.zeros_like(x, dtype=dtype.as_numpy_dtype)


@register_op("OnesLike", shape=same_shape, dtype=_like_dtype, differentiable=False)
def _ones_like(x, dtype):
    return np.ones_like(x, dtype=dtype.as_numpy_dtype)


def _like(opdef, value, tensor, dtype, name):
    tensor = convert_to_tensor(tensor)
    dtype = tensor.dtype.base_dtype if dtype is None else _dtypes.as_dtype(dtype).base_dtype
    shape = tensor._shape
    if shape is not None and None not in shape:
        return constant(np.full(shape, value, dtype=dtype.as_numpy_dtype), name=name)
    return opdef.apply([tensor], name=name, dtype=dtype)


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    """Returns a tensor of zeros with the shape of `tensor`.

    When `tensor`'s static shape is fully known the result is a constant; otherwise a
    `ZerosLike` op computes it from `tensor`'s run-time shape.

    Args:
      tensor: a Tensor (or a value `convert_to_tensor` takes).
      dtype: the element type (default: `tensor`'s).
      name: a name for the operation (default "zeros_like").
      optimize: accepted for TF's signature; ignored.

    Returns:
      A Tensor of `tensor`'s shape.
    """
    return _like(_zeros_like, 0, tensor, dtype, name or "zeros_like")


def ones_like(tensor, dtype=None, name=None, optimize=True):
    """Returns a tensor of ones with the shape of `tensor`.

    When `tensor`'s static shape is fully known the result is a constant; otherwise a
    `OnesLike` op computes it from `tensor`'s run-time shape.

    Args:
      tensor: a Tensor (or a value `convert_to_tensor` takes).
      dtype: the element type (default: `tensor`'s).
      name: a name for the operation (default "ones_like").
      optimize: accepted for TF's signature; ignored.

    Returns:
      A Tensor of `tensor`'s shape.
    """
    return _like(_ones_like, 1, tensor, dtype, name or "ones_like")


# -- gradients -------------------------------------------------------------------------------------
def _raise_no_gradient(op, *grads):
    raise LookupError(f"No gradient defined for operation'{op.name}' (op type: {op.type}). In "
                      "general every operation must have an associated `@tf.RegisterGradient` "
                      "for correct autodiff, which this op is lacking.")


def no_gradient(*opdefs):
    """Marks each of `opdefs` as TF registers it, differentiable but without a gradient: a
    tf.gradients path through one raises TF's LookupError instead of a silent zero."""
    for opdef in opdefs:
        opdef.gradient(_raise_no_gradient)
