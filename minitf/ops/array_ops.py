"""Array ops: placeholders, creation (zeros, ones, fill), size and rank, stop_gradient; and the
array namespace: identity, shape and zeros_like/ones_like (from the leaf ops/_shared.py), layout
ops (manip_ops.py) and slicing (slicing.py).
"""
import math

import numpy as np

from minitf.framework import dtypes as _dtypes, errors, tensor_shape
from minitf.framework.api import name_scope
from minitf.framework.constant_op import _contains_tensor, constant, convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op
from minitf.ops import manip_ops as _manip_ops, slicing as _slicing
from minitf.ops._shared import (
    identity,
    ones_like,
    same_shape,
    shape,
    shape_tensor,
    shape_value,
    zeros_like,
)
from minitf.ops.manip_ops import *  # noqa: F403  (part of this namespace)
from minitf.ops.math_ops import reduce_sum
from minitf.ops.slicing import *  # noqa: F403

__all__ = ["placeholder", "placeholder_with_default", "identity", "zeros", "ones", "fill",
           "zeros_like", "ones_like", "shape", "size", "rank", "newaxis", "stop_gradient"]
__all__ += _manip_ops.__all__ + _slicing.__all__

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
    """Inserts a placeholder: a tensor whose value is always fed to `Session.run`.

    Running an op that needs it without a value for it in `feed_dict` raises
    InvalidArgumentError. A fed value is checked against the static shape and converted to
    `dtype`; a value that would lose information (a float fed to an integer placeholder) is
    refused with ValueError, where TF converts it.

    Args:
      dtype: the element type (a DType, or anything `tf.as_dtype` takes).
      shape: the static shape; None dims (or None for the whole shape) accept any size.
      name: a name for the operation (default "Placeholder").

    Returns:
      A Tensor.

    Raises:
      TypeError: `dtype` is not a type, or a dim of `shape` is not an int or None.
      ValueError: a dim of `shape` is negative.
      RuntimeError: in eager mode, where nothing is fed.

    >>> x = tf.placeholder(tf.float32, shape=[None, 2], name="x")
    >>> x
    <tf.Tensor 'x:0' shape=(?, 2) dtype=float32>
    >>> with tf.Session() as sess:
    ...     print(sess.run(x * 2.0, feed_dict={x: [[1.0, 2.0]]}))
    [[2. 4.]]
    """
    if get_default_graph()._eager:
        raise RuntimeError("tf.placeholder() is not compatible with eager execution.")
    dtype = _dtypes.as_dtype(dtype)
    shape = tensor_shape.as_shape(shape)._as_tuple()
    return _placeholder.apply([], name=name or "Placeholder", dtype=dtype, shape=shape)


def _pwd_shape(default, *, shape):
    return shape


@register_op("PlaceholderWithDefault", shape=_pwd_shape, forwards_input=True)
def _placeholder_with_default(default, *, shape):
    return default


@_placeholder_with_default.gradient
def _placeholder_with_default_grad(op, grad):
    return [grad]


def placeholder_with_default(input, shape, name=None):
    """Returns a placeholder that yields `input` when it is not fed.

    Args:
      input: the default value: a Tensor or a value `convert_to_tensor` takes.
      shape: the placeholder's static shape; it may be less specific than `input`'s (None
        dims accept any size when fed).
      name: a name for the operation (default "PlaceholderWithDefault").

    Returns:
      A Tensor of `input`'s dtype and shape `shape`.

    Raises:
      ValueError: `input`'s shape is not compatible with `shape`.
    """
    input = convert_to_tensor(input)
    shape = tensor_shape.as_shape(shape)
    input.shape.assert_is_compatible_with(shape)
    return _placeholder_with_default.apply([input], name=name or "PlaceholderWithDefault",
                                           shape=shape._as_tuple())


# -- stop_gradient ---------------------------------------------------------------------------------
@register_op("StopGradient", shape=same_shape, differentiable=False, forwards_input=True)
def _stop_gradient(x):
    return x


def stop_gradient(input, name=None):
    """Returns `input` unchanged, but stops gradients from flowing through it.

    `tf.gradients` treats the result as a constant: nothing is propagated to `input`.

    Args:
      input: a Tensor (or a value `convert_to_tensor` takes).
      name: a name for the operation (default "StopGradient").

    Returns:
      A Tensor with the value of `input`.
    """
    return _stop_gradient.apply([input], name=name or "StopGradient")


# -- creation --------------------------------------------------------------------------------------
def _fill_shape(dims, value):
    return shape_value(dims)


def _fill_dtype(dims, value):
    return value.dtype.base_dtype


@register_op("Fill", shape=_fill_shape, dtype=_fill_dtype)
def _fill(dims, value):
    return np.full(tuple(dims), value, dtype=value.dtype)


def fill(dims, value, name=None):
    """Returns a tensor of shape `dims` filled with the scalar `value`.

    Args:
      dims: the shape: a list of ints or a 1-D integer tensor (so it may be computed).
      value: the scalar to fill with; its dtype is the result's.
      name: a name for the operation (default "Fill").

    Returns:
      A Tensor.
    """
    return _fill.apply([shape_tensor(dims), value], name=name or "Fill")


@_fill.gradient
def _fill_grad(op, grad):
    return [None, reduce_sum(grad)]


def _filled(shape, dtype, value, name):
    # TF: a constant when the shape is known and small (under 1000 elements), else
    # Fill(shape_as_tensor, Const), so a big tensor is not held in the graph
    dtype = _dtypes.as_dtype(dtype).base_dtype
    if dtype == _dtypes.bool:  # (a bool constant takes no int)
        value = bool(value)
    if isinstance(shape, tensor_shape.TensorShape):
        shape = shape.as_list()
    shape_name = None  # a computed shape keeps its tensors' names
    if not (isinstance(shape, Tensor) or isinstance(shape, (list, tuple)) and
            _contains_tensor(shape)):
        dims = [int(d) for d in np.atleast_1d(np.asarray(shape, dtype=np.int64))]
        if any(d < 0 for d in dims):
            raise ValueError(f"Dimension {min(dims)} must be >= 0 (shape {dims} of {name})")
        if math.prod(dims) < 1000:
            return constant(np.full(dims, value, dtype=dtype.as_numpy_dtype), name=name)
        shape, shape_name = dims, "shape_as_tensor"
    with name_scope(name) as scope:
        return fill(shape_tensor(shape, name=shape_name),
                    constant(value, dtype=dtype, name="Const"), name=scope)


def zeros(shape, dtype=_dtypes.float32, name=None):
    """Returns a tensor of `shape` filled with zeros.

    As TF: a constant when `shape` is a list of ints of under 1000 elements, else a `Fill` op
    (of an int64 shape when a dimension does not fit int32).

    Args:
      shape: a list or tuple of ints, a TensorShape, or a 1-D integer tensor.
      dtype: the element type (default float32).
      name: a name for the operation (default "zeros").

    Returns:
      A Tensor.
    """
    return _filled(shape, dtype, 0, name or "zeros")


def ones(shape, dtype=_dtypes.float32, name=None):
    """Returns a tensor of `shape` filled with ones.

    As TF: a constant when `shape` is a list of ints of under 1000 elements, else a `Fill` op
    (of an int64 shape when a dimension does not fit int32).

    Args:
      shape: a list or tuple of ints, a TensorShape, or a 1-D integer tensor.
      dtype: the element type (default float32).
      name: a name for the operation (default "ones").

    Returns:
      A Tensor.
    """
    return _filled(shape, dtype, 1, name or "ones")


# -- size and rank (not differentiable) ------------------------------------------------------------
@register_op("Size", shape=lambda x, out_type: (), dtype=lambda x, out_type: out_type,
             differentiable=False)
def _size(x, out_type):
    return np.array(x.size, dtype=out_type.as_numpy_dtype)


@register_op("Rank", shape=lambda x: (), dtype=lambda x: _dtypes.int32, differentiable=False)
def _rank(x):
    return np.array(x.ndim, dtype=np.int32)


def size(input, name=None, out_type=_dtypes.int32):
    """Returns the number of elements of `input` as a scalar integer tensor.

    Args:
      input: a Tensor (or a value `convert_to_tensor` takes).
      name: a name for the operation (default "Size").
      out_type: int32 or int64.

    Returns:
      A scalar Tensor of `out_type`.
    """
    return _size.apply([input], name=name or "Size", out_type=_dtypes.as_dtype(out_type))


def rank(input, name=None):
    """Returns the rank (number of dimensions) of `input` as a scalar int32 tensor.

    A constant when the static rank is known, as in TF; else a `Rank` op.

    Args:
      input: a Tensor (or a value `convert_to_tensor` takes).
      name: a name for the operation (default "Rank").

    Returns:
      A scalar int32 Tensor.
    """
    input = convert_to_tensor(input)
    if input._shape is not None:
        return constant(len(input._shape), dtype=_dtypes.int32, name=name or "Rank")
    return _rank.apply([input], name=name or "Rank")
