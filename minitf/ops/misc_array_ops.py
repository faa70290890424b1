"""Cross (3-vector cross products), Diag and DiagPart (TF1's tf.diag and tf.diag_part: the
rank-2k tensor with a rank-k diagonal, and back) and Bitcast (a reinterpretation of bytes).
"""
import numpy as np

from minitf.framework import dtypes, tensor_shape
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op
from minitf.ops import math_ops as _math
from minitf.ops._shared import fmt, no_gradient, operands
from minitf.ops.misc_math_ops import _allowed_input

__all__ = ["cross", "diag", "diag_part", "tensor_diag", "tensor_diag_part", "bitcast"]


# -- Cross -----------------------------------------------------------------------------------------
def _cross_shape(a, b):
    if a._shape is None or b._shape is None:
        return a._shape or b._shape
    shapes = f"{fmt(a._shape)}, {fmt(b._shape)}"
    if len(a._shape) != len(b._shape):
        raise ValueError(f"Shapes must be equal rank, but are {len(a._shape)} and "
                         f"{len(b._shape)} for 'Cross' with input shapes: {shapes}.")
    merged = tuple(tensor_shape.TensorShape(a._shape).merge_with(b._shape).as_list())
    if merged and merged[-1] is not None and merged[-1] != 3:
        raise ValueError(f"Dimension must be 3 but is {merged[-1]} for 'Cross' with input "
                         f"shapes: {shapes}.")
    return merged


@register_op("Cross", shape=_cross_shape, dtype=_math._allowed(_math._REALS))
def _cross(a, b):
    return np.cross(a, b)


@_cross.gradient
def _cross_grad(op, grad):
    a, b = op.inputs
    return [_cross.apply([b, grad]), _cross.apply([grad, a])]


def cross(a, b, name=None):
    """Computes the cross product of the 3-vectors in the last dimension of `a` and `b`.

    Args:
      a, b: real Tensors of one shape (and dtype) whose last dimension is 3.
      name: a name for the operation (default "Cross").

    Returns:
      A Tensor of a's shape and dtype.

    Raises:
      ValueError: the ranks differ, or the last dimension is not 3.
    """
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        a, b = operands(a, b, "Cross")
    return _cross.apply([a, b], name=name or "Cross")


# -- Diag, DiagPart --------------------------------------------------------------------------------
def _diag_shape(diagonal):
    if diagonal._shape is not None and not diagonal._shape:
        raise ValueError("Shape must be at least rank 1 but is rank 0 for 'Diag' with input "
                         "shapes: [].")
    return None if diagonal._shape is None else diagonal._shape * 2


@register_op("Diag", shape=_diag_shape)
def _diag(diagonal):
    n = diagonal.size
    out = np.zeros(n * n, diagonal.dtype)
    out[::n + 1] = diagonal.ravel()
    return out.reshape(diagonal.shape * 2)


def _diag_part_shape(input):
    if input._shape is None:
        return None
    rank = len(input._shape)
    if rank == 0 or rank % 2:
        raise ValueError(f"Input must have even and non-zero rank, input rank is {rank} for "
                         f"'DiagPart' with input shapes: {fmt(input._shape)}.")
    half = rank // 2
    out = []
    for a, b in zip(input._shape[:half], input._shape[half:]):
        if None not in (a, b) and a != b:
            raise ValueError(f"Dimensions must be equal, but are {a} and {b} for 'DiagPart' "
                             f"with input shapes: {fmt(input._shape)}.")
        out.append(b if a is None else a)
    return tuple(out)


@register_op("DiagPart", shape=_diag_part_shape)
def _diag_part(input):
    half = input.shape[:input.ndim // 2]
    n = int(np.prod(half, dtype=np.int64))
    return input.reshape(n, n).diagonal().reshape(half).copy()


_diag.gradient(lambda op, grad: [_diag_part.apply([grad])])
_diag_part.gradient(lambda op, grad: [_diag.apply([grad])])


def diag(diagonal, name=None):
    """Makes the tensor of rank 2k whose diagonal is `diagonal` (op Diag).

    output[i1..ik, i1..ik] = diagonal[i1..ik], zeros elsewhere. `tf.linalg.tensor_diag` is the
    same function.

    Args:
      diagonal: a Tensor of rank 1 or more.
      name: a name for the operation (default "Diag").

    Returns:
      A Tensor of shape diagonal.shape + diagonal.shape and its dtype.

    Raises:
      ValueError: `diagonal` is a scalar.
    """
    return _diag.apply([diagonal], name=name or "Diag")


def diag_part(input, name=None):
    """Returns the diagonal of a rank-2k tensor, the inverse of `diag` (op DiagPart).

    output[i1..ik] = input[i1..ik, i1..ik]. `tf.linalg.tensor_diag_part` is the same function.

    Args:
      input: a Tensor of even rank 2k whose first k dimensions equal its last k.
      name: a name for the operation (default "DiagPart").

    Returns:
      A Tensor of shape input.shape[:k] and input's dtype.

    Raises:
      ValueError: the rank is odd or 0, or the two halves of the shape differ.
    """
    return _diag_part.apply([input], name=name or "DiagPart")


tensor_diag, tensor_diag_part = diag, diag_part


# -- Bitcast ---------------------------------------------------------------------------------------
_BITCASTABLE = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int64, dtypes.int32,
                dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64, dtypes.int8,
                dtypes.int16, dtypes.complex64, dtypes.complex128)


def _bitcast_shape(input, type):
    src, dst = input.dtype.base_dtype.size, type.size
    if input._shape is None or src == dst:
        return input._shape
    if src > dst:
        return input._shape + (src // dst,)
    last = input._shape[-1] if input._shape else None
    if not input._shape or (last is not None and last != dst // src):
        raise ValueError(f"Cannot bitcast from {input.dtype.base_dtype.as_datatype_enum} to "
                         f"{type.as_datatype_enum} due to shape. {last} does not match "
                         f"{dst // src} for 'Bitcast' with input shapes: {fmt(input._shape)}.")
    return input._shape[:-1]


@register_op("Bitcast", shape=_bitcast_shape, dtype=lambda input, type: type)
def _bitcast(input, type):
    out = np.ascontiguousarray(input).view(type.as_numpy_dtype)
    src, dst = input.dtype.itemsize, out.dtype.itemsize
    if src > dst:
        return out.reshape(input.shape + (src // dst,))
    return out.reshape(input.shape[:-1]) if src < dst else out.reshape(input.shape)


no_gradient(_bitcast)


def bitcast(input, type, name=None):
    """Reinterprets the bytes of `input` as another type, without copying values (op Bitcast).

    A smaller type adds a last dimension of size(input type) / size(type); a larger one
    takes a last dimension of size(type) / size(input type) away.

    Args:
      input: a numeric Tensor (not bool).
      type: the numeric type to read the bytes as.
      name: a name for the operation (default "Bitcast").

    Returns:
      A Tensor of type `type`.

    Raises:
      TypeError: a type is bool, string or not numeric.
      ValueError: a larger `type` whose size ratio is not input's last dimension.
    """
    input = convert_to_tensor(input, name="input") if not isinstance(input, Tensor) else input
    type = dtypes.as_dtype(type)
    _allowed_input(_BITCASTABLE, "input")(input)
    if type not in _BITCASTABLE:
        names = ", ".join(t.name for t in _BITCASTABLE)
        raise TypeError(f"Value for attr 'type' of {type.name} is not in the list of allowed "
                        f"values: {names}")
    return _bitcast.apply([input], name=name or "Bitcast", type=type)


