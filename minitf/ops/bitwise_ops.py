"""Bitwise ops on integers (`tf.bitwise`, issue 17): and, or, xor, invert and the shifts.

None is differentiable. A shift by less than 0 or by the type's width or more is clamped into
[0, width - 1], as TF's kernels do.
"""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.registry import register_op
from minitf.ops._shared import same_shape
from minitf.ops.math_ops import _allowed, _apply_binary, _binary

__all__ = ["bitwise_and", "bitwise_or", "bitwise_xor", "invert", "left_shift", "right_shift"]

_INTS = (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8, dtypes.uint16,
         dtypes.uint32, dtypes.uint64)


def _shift(numpy_shift):
    def kernel(x, y):
        width = 8 * x.dtype.itemsize
        return numpy_shift(x, np.clip(y, 0, width - 1).astype(x.dtype, copy=False))
    return kernel


_and = _binary("BitwiseAnd", np.bitwise_and, _INTS, differentiable=False)
_or = _binary("BitwiseOr", np.bitwise_or, _INTS, differentiable=False)
_xor = _binary("BitwiseXor", np.bitwise_xor, _INTS, differentiable=False)
_left_shift = _binary("LeftShift", _shift(np.left_shift), _INTS, differentiable=False)
_right_shift = _binary("RightShift", _shift(np.right_shift), _INTS, differentiable=False)
_invert = register_op("Invert", shape=same_shape, dtype=_allowed(_INTS),
                      differentiable=False)(np.invert)


def bitwise_and(x, y, name=None):
    """Returns the bitwise AND of x and y element-wise (op BitwiseAnd)."""
    return _apply_binary(_and, x, y, name or "BitwiseAnd")


def bitwise_or(x, y, name=None):
    """Returns the bitwise OR of x and y element-wise (op BitwiseOr)."""
    return _apply_binary(_or, x, y, name or "BitwiseOr")


def bitwise_xor(x, y, name=None):
    """Returns the bitwise XOR of x and y element-wise (op BitwiseXor)."""
    return _apply_binary(_xor, x, y, name or "BitwiseXor")


def left_shift(x, y, name=None):
    """Returns x shifted left by y bits element-wise (op LeftShift); bits shifted out are lost."""
    return _apply_binary(_left_shift, x, y, name or "LeftShift")


def right_shift(x, y, name=None):
    """Returns x shifted right by y bits element-wise (op RightShift), keeping x's sign."""
    return _apply_binary(_right_shift, x, y, name or "RightShift")


_BINARY_DOC = """

    Args:
      x, y: Tensors or values of one integer dtype; a value that is not a Tensor takes the
        other operand's dtype. Their shapes broadcast as NumPy's do.
      name: a name for the operation (optional).

    Returns:
      A Tensor of the broadcast shape and the operands' dtype.

    Raises:
      TypeError: the dtypes differ, or are not integers.
      ValueError: the static shapes do not broadcast.
    """
for _fn in (bitwise_and, bitwise_or, bitwise_xor, left_shift, right_shift):
    _fn.__doc__ = _fn.__doc__.rstrip() + _BINARY_DOC


def invert(x, name=None):
    """Flips every bit of x element-wise (op Invert): ~x.

    Args:
      x: a Tensor (or value) of an integer type.
      name: a name for the operation (default "Invert").

    Returns:
      A Tensor of x's shape and dtype.

    Raises:
      TypeError: x is not of an integer type.
    """
    return _invert.apply([x], name=name or "Invert")
