"""TF1's remaining math names: lbeta, polyval, erfcinv, zero_fraction and accumulate_n (built
from other ops, as TF builds them); the op NextAfter; TF1's aliases realdiv, div (Python 2
division), arg_max, arg_min and to_bfloat16. Cross, Diag, DiagPart and Bitcast are in
misc_array_ops.py.
"""
import numpy as np

from minitf.framework import dtypes, tensor_shape
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op
from minitf.ops import math_ops as _math
from minitf.ops._shared import broadcast_shape, operands, zeros_like
from minitf.ops.array_ops import identity, size
from minitf.ops.norm_ops import count_nonzero
from minitf.ops.reduction_ops import argmax, argmin, reduce_sum
from minitf.ops.special_math_ops import lgamma, ndtri

__all__ = ["lbeta", "polyval", "nextafter", "erfcinv", "zero_fraction", "accumulate_n",
           "realdiv", "div", "arg_max", "arg_min", "to_bfloat16"]

_F32_64 = (dtypes.float32, dtypes.float64)


def _allowed_input(types, param):
    def rule(x, *rest, **attrs):
        if x.dtype.base_dtype not in types:
            names = ", ".join(t.name for t in types)
            raise TypeError(f"Value passed to parameter '{param}' has DataType "
                            f"{x.dtype.base_dtype.name} not in list of allowed values: {names}")
        return x.dtype.base_dtype
    return rule


# -- composites ------------------------------------------------------------------------------------
def lbeta(x, name=None):
    """Computes the log of the multivariate beta function over the last dimension of `x`.

    That is sum(lgamma(x), -1) - lgamma(sum(x, -1)).

    Args:
      x: a float Tensor of rank 1 or more.
      name: a name for the operation (default "lbeta").

    Returns:
      A Tensor of x's shape without its last dimension (-inf where that dimension is empty).

    Raises:
      TypeError: `x` is not float.
      ValueError: `x` is a scalar.
    """
    with name_scope(name, "lbeta", [x]):
        x = convert_to_tensor(x, name="x")
        return reduce_sum(lgamma(x), [-1]) - lgamma(reduce_sum(x, [-1]))


def polyval(coeffs, x, name=None):
    """Evaluates the polynomial coeffs[0] * x**(n-1) + ... + coeffs[n-1] by Horner's rule.

    Args:
      coeffs: a list of Tensors (or values) broadcasting with `x`, the highest power first.
      x: a Tensor (or value).
      name: a name for the operation (default "polyval").

    Returns:
      A Tensor of the broadcast shape; zeros like `x` for an empty `coeffs`.

    Raises:
      ValueError: `coeffs` is not a list.

    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.math.polyval([1.0, 2.0, 3.0], 2.0)))
    11.0
    """
    if not isinstance(coeffs, list):
        raise ValueError(f"Argument coeffs must be list type. Received type {type(coeffs)}.")
    with name_scope(name, "polyval", coeffs + [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if not coeffs:
            return zeros_like(x, name=scope)
        coeffs = [convert_to_tensor(c, name=f"coeff_{i}") for i, c in enumerate(coeffs)]
        p = coeffs[0]
        for c in coeffs[1:]:
            p = c + p * x
        return p


def erfcinv(x, name=None):
    """Computes the inverse of the complementary error function: -ndtri(x / 2) / sqrt(2).

    Args:
      x: a float Tensor; values outside [0, 2] give NaN.
      name: a name for the operation (default "erfcinv").

    Returns:
      A Tensor of x's shape and dtype (inf at 0, -inf at 2).

    Raises:
      TypeError: `x` is not float.
    """
    with name_scope(name, "erfcinv", [x]):
        x = convert_to_tensor(x, name="start")
        return -ndtri(0.5 * x) * np.sqrt(0.5)


def zero_fraction(value, name=None):
    """Returns the fraction of the entries of `value` that are zero, as a float32 scalar.

    Args:
      value: a numeric Tensor (NaN for an empty one).
      name: a name for the operation (default "zero_fraction").

    Returns:
      A float32 scalar Tensor named `<scope>/fraction`.
    """
    with name_scope(name, "zero_fraction", [value]):
        value = convert_to_tensor(value, name="value")
        total = size(value, out_type=dtypes.int64)
        with name_scope("counts_to_fraction"):
            zeros = total - count_nonzero(value, dtype=dtypes.int64)
            fraction = _math.cast(zeros, dtypes.float32) / _math.cast(total, dtypes.float32)
        return identity(fraction, name="fraction")


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    """Adds all the tensors of `inputs` element-wise, as `tf.add_n` (op AddN).

    Args:
      inputs: a non-empty list of Tensors (or values) of one shape and dtype.
      shape: the inputs' expected shape (optional).
      tensor_dtype: the inputs' expected dtype (optional).
      name: a name for the operation (default "AddN").

    Returns:
      A Tensor of the inputs' shape and dtype: the input itself when there is only one (an
      Identity of it when `name` is given).

    Raises:
      ValueError: `inputs` is empty or not a list, their dtypes differ, or a shape does not
        match `shape` or the others.
      TypeError: `tensor_dtype` is not the inputs' dtype.
    """
    error = ValueError("inputs must be a list of at least one Tensor with the same dtype and "
                       "shape")
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise error
    inputs = [convert_to_tensor(v) for v in inputs]
    if any(t.dtype != inputs[0].dtype for t in inputs):
        raise error
    merged = tensor_shape.TensorShape(shape)
    for t in inputs:
        merged = merged.merge_with(t.shape)
    if tensor_dtype is not None and dtypes.as_dtype(tensor_dtype) != inputs[0].dtype:
        wanted = dtypes.as_dtype(tensor_dtype).name
        raise TypeError(f"The `tensor_dtype` argument is <dtype: '{wanted}'>, but `input` is of "
                        f"type <dtype: '{inputs[0].dtype.name}'>. These must be equal. Try "
                        "casting the input to the desired type.")
    if len(inputs) == 1:
        return inputs[0] if name is None else identity(inputs[0], name=name)
    return _math.add_n(inputs, name=name)


# -- aliases ---------------------------------------------------------------------------------------
def realdiv(x, y, name=None):
    """Returns x / y element-wise for float or complex operands (op RealDiv).

    Args:
      x, y: Tensors or values of one float or complex dtype; their shapes broadcast.
      name: a name for the operation (default "RealDiv").

    Returns:
      A Tensor of the broadcast shape and the operands' dtype.

    Raises:
      TypeError: the dtypes differ or are not float or complex.
    """
    return _math._apply_binary(_math._realdiv, x, y, name or "RealDiv")


def div(x, y, name=None):
    """Divides x by y as Python 2 did (TF1's tf.div).

    Integers get floor division (op FloorDiv); floats and complex numbers true division (op
    RealDiv).

    Args:
      x: a numeric Tensor (or value).
      y: a Tensor (or value) converted to x's dtype.
      name: a name for the operation (default "div").

    Returns:
      A Tensor of the broadcast shape and x's dtype.

    Raises:
      TypeError: y cannot be converted to x's dtype.

    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.div([7, -7], 2)), sess.run(tf.div([7.0, -7.0], 2.0)))
    [ 3 -4] [ 3.5 -3.5]
    """
    with name_scope(name, "div", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
        dtype = x.dtype.base_dtype
        opdef = _math._realdiv if dtype.is_floating or dtype.is_complex else _math._floordiv
        return opdef.apply([x, y], name=scope)


def arg_max(input, dimension, output_type=dtypes.int64, name=None):
    """TF1's `tf.arg_max`: `tf.argmax(input, axis=dimension)` (op ArgMax).

    Args:
      input: a real Tensor.
      dimension: the dimension to reduce, an int (or int Tensor).
      output_type: the index type, int32 or int64.
      name: a name for the operation (default "ArgMax").

    Returns:
      An `output_type` Tensor of input's shape without `dimension`.
    """
    return argmax(input, axis=dimension, name=name, output_type=output_type)


def arg_min(input, dimension, output_type=dtypes.int64, name=None):
    """TF1's `tf.arg_min`: `tf.argmin(input, axis=dimension)` (op ArgMin).

    Args:
      input: a real Tensor.
      dimension: the dimension to reduce, an int (or int Tensor).
      output_type: the index type, int32 or int64.
      name: a name for the operation (default "ArgMin").

    Returns:
      An `output_type` Tensor of input's shape without `dimension`.
    """
    return argmin(input, axis=dimension, name=name, output_type=output_type)


def to_bfloat16(x, name="ToBFloat16"):
    """Casts `x` to bfloat16: `tf.cast(x, tf.bfloat16)` (TF1).

    minitf names bfloat16 but holds no values of it (NumPy has no such type): the op is built
    as in TF (a Cast named "ToBFloat16" of dtype bfloat16) but running it raises.

    Args:
      x: a Tensor (or value) of a numeric type.
      name: a name for the operation.

    Returns:
      A bfloat16 Tensor of x's shape.

    Raises:
      minitf.errors.InvalidArgumentError: at run time, always.
    """
    return _math.cast(x, dtypes.bfloat16, name=name)


# -- NextAfter -------------------------------------------------------------------------------------
@register_op("NextAfter", shape=lambda x1, x2: broadcast_shape(x1._shape, x2._shape, "NextAfter"),
             dtype=_allowed_input((dtypes.float64, dtypes.float32), "x1"))
def _nextafter(x1, x2):
    return np.nextafter(x1, x2)


@_nextafter.gradient
def _nextafter_grad(op, grad):
    # TF's: the next float moves with x1 and is flat in x2
    x1, x2 = op.inputs
    return [_math.unbroadcast(grad, x1, x2), _math.unbroadcast(zeros_like(grad), x2, x1)]


def nextafter(x1, x2, name=None):
    """Returns the next representable float after x1 towards x2, element-wise (op NextAfter).

    Args:
      x1, x2: float32 or float64 Tensors (or values) of one dtype; their shapes broadcast.
      name: a name for the operation (default "NextAfter").

    Returns:
      A Tensor of the broadcast shape and the operands' dtype.

    Raises:
      TypeError: the operands are not float32 or float64.
    """
    if isinstance(x1, Tensor) or isinstance(x2, Tensor):
        x1, x2 = operands(x1, x2, "NextAfter")
    return _nextafter.apply([x1, x2], name=name or "NextAfter")
