"""Complex numbers and casts (issue 17): complex, real, imag, conj and angle; TF1's cast
shortcuts to_double, to_complex64 and to_complex128; saturate_cast.

A real tensor given to real, imag, conj or angle gets TF's answer without a complex op: itself,
zeros, itself, and 0 or pi by its sign.
"""
import math

import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops._shared import ones_like, same_shape, zeros_like
from minitf.ops.manip_ops import where
from minitf.ops.math_ops import (
    _TO_DOC,
    _allowed,
    _broadcast,
    _conj,  # (registered there, for the gradients)
    cast,
    less,
    maximum,
    minimum,
    unbroadcast,
)

__all__ = ["complex", "real", "imag", "conj", "angle", "to_double", "to_complex64",
           "to_complex128", "saturate_cast"]

_COMPLEX = (dtypes.complex64, dtypes.complex128)
_TO_COMPLEX = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}


def _complex_dtype(real, imag):
    return _TO_COMPLEX[real.dtype.base_dtype]


def _part_dtype(x):
    return _allowed(_COMPLEX)(x).real_dtype


@register_op("Complex", shape=_broadcast("Complex"), dtype=_complex_dtype)
def _complex(real, imag):
    return real + np.complex64(1j) * imag  # complex64 for float32, complex128 for float64


_real = register_op("Real", shape=same_shape, dtype=_part_dtype)(np.real)
_imag = register_op("Imag", shape=same_shape, dtype=_part_dtype)(np.imag)
_angle = register_op("Angle", shape=same_shape, dtype=_part_dtype)(np.angle)


def complex(real, imag, name=None):
    """Makes complex numbers real + imag * 1j element-wise.

    Args:
      real, imag: Tensors or values of one dtype, float32 (giving complex64) or float64
        (complex128); their shapes broadcast.
      name: a name for the operation (default "Complex").

    Returns:
      A complex Tensor of the broadcast shape.

    Raises:
      TypeError: the dtypes differ, or are not float32 or float64 (TF's words).
    """
    with name_scope(name, "Complex", [real, imag]) as scope:
        real, imag = (convert_to_tensor(real, name="real"), convert_to_tensor(imag, name="imag"))
        types = real.dtype.base_dtype, imag.dtype.base_dtype
        if types[0] != types[1] or types[0] not in _TO_COMPLEX:
            raise TypeError(f"The `real` and `imag` components have incorrect types: "
                            f"{types[0].name} {types[1].name}. They must be consistent, and one "
                            "of [tf.float32, tf.float64]")
        return _complex.apply([real, imag], name=scope)


def _part(opdef, input, name, otherwise):
    """opdef of a complex `input`; `otherwise(x)` (TF's answer) for a real one."""
    with name_scope(name, opdef.type, [input]) as scope:
        x = convert_to_tensor(input, name="input")
        if x.dtype.base_dtype.is_complex:
            return opdef.apply([x], name=scope)
        if x.dtype.base_dtype.is_floating or x.dtype.base_dtype.is_integer:
            return otherwise(x)
        raise TypeError("input must be a numeric tensor, but got tensor with dtype "
                        f"<dtype: '{x.dtype.name}'>")


def real(input, name=None):
    """Returns the real part of each element of `input` (`input` itself if it is real)."""
    return _part(_real, input, name, lambda x: x)


def imag(input, name=None):
    """Returns the imaginary part of each element of `input` (zeros if it is real)."""
    return _part(_imag, input, name, zeros_like)


def angle(input, name=None):
    """Returns the argument of each element of `input`: atan2(imag, real), in [-pi, pi]."""
    return _part(_angle, input, name, lambda x: where(
        less(x, 0), math.pi * ones_like(x), zeros_like(x)))


def conj(x, name=None):
    """Returns the complex conjugate of each element of `x` (`x` itself if it is real).

    Args:
      x: a Tensor (or value) of a numeric type.
      name: a name for the operation (default "Conj").

    Returns:
      A Tensor of x's shape and dtype.

    Raises:
      TypeError: x is not numeric.
    """
    x = convert_to_tensor(x, name="x")
    if x.dtype.base_dtype.is_complex:
        return _conj.apply([x], name=name or "Conj")
    if x.dtype.base_dtype.is_floating or x.dtype.base_dtype.is_integer:
        return x
    raise TypeError(f"Expected numeric or variant tensor, got dtype {x.dtype!r}.")


_PART_DOC = """

    Args:
      input: a Tensor (or value) of a numeric type.
      name: a name for the operation (optional).

    Returns:
      A real Tensor of input's shape: float32 for complex64, float64 for complex128, else
      input's dtype.

    Raises:
      TypeError: input is not numeric.
    """
for _fn in (real, imag, angle):
    _fn.__doc__ = _fn.__doc__.rstrip() + _PART_DOC


@_complex.gradient
def _complex_grad(op, grad):
    real, imag = op.inputs
    return [unbroadcast(_real.apply([grad]), real, imag),
            unbroadcast(_imag.apply([grad]), imag, real)]


def _as_complex(re, im):
    return _complex.apply([re, im])


_real.gradient(lambda op, g: [_as_complex(g, zeros_like(g))])
_imag.gradient(lambda op, g: [_as_complex(zeros_like(g), g)])
_conj.gradient(lambda op, g: [_conj.apply([g])])


@_angle.gradient
def _angle_grad(op, grad):
    # TF's -grad / (im + re j), in real arithmetic: (-im, re) * grad / |z|^2 (so that second
    # derivatives need no complex products)
    z = op.inputs[0]
    re, im = _real.apply([z]), _imag.apply([z])
    scale = grad / (re * re + im * im)
    return [_as_complex(-im * scale, re * scale)]


# -- casts ---------------------------------------------------------------------------------------
def to_double(x, name="ToDouble"):
    """Casts `x` to float64: `tf.cast(x, tf.float64)` (TF1)."""
    return cast(x, dtypes.float64, name=name)


def to_complex64(x, name="ToComplex64"):
    """Casts `x` to complex64: `tf.cast(x, tf.complex64)` (TF1)."""
    return cast(x, dtypes.complex64, name=name)


def to_complex128(x, name="ToComplex128"):
    """Casts `x` to complex128: `tf.cast(x, tf.complex128)` (TF1)."""
    return cast(x, dtypes.complex128, name=name)


for _fn in (to_double, to_complex64, to_complex128):
    _fn.__doc__ = _fn.__doc__.rstrip() + _TO_DOC  # (math_ops' Args, Returns and Raises)


def _bound(limit, dtype):
    """`limit` in `dtype`, rounded toward 0 where dtype cannot hold it exactly (so a float
    clamped to it still fits the integer type)."""
    value = np.asarray(limit).astype(dtype.as_numpy_dtype)
    if abs(int(value)) > abs(limit):
        value = np.nextafter(value, np.zeros((), value.dtype))
    return value


def saturate_cast(value, dtype, name=None):
    """Casts `value` to `dtype`, clamping it to the range of `dtype` first.

    Values that do not fit `dtype` become its smallest or largest value instead of wrapping
    around or overflowing.

    Args:
      value: a Tensor (or value) of a real type.
      dtype: the type to cast to.
      name: a name for the operation (default "saturate_cast").

    Returns:
      A Tensor of value's shape and type `dtype`.

    Raises:
      TypeError: `dtype` is not a type.
    """
    with name_scope(name, "saturate_cast", [value]) as scope:
        value = convert_to_tensor(value, name="value")
        dtype = dtypes.as_dtype(dtype).base_dtype
        source = value.dtype.base_dtype
        if source.min < dtype.min:
            value = maximum(value, _bound(dtype.min, source), name="Maximum")
        if source.max > dtype.max:
            value = minimum(value, _bound(dtype.max, source), name="Minimum")
        return cast(value, dtype, name=scope)
