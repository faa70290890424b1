"""More element-wise math (TF's math_ops, issue 17): trigonometric and hyperbolic functions and
their inverses, atan2, expm1, rint, the is_finite/is_inf/is_nan tests, truncating division, the
"no NaN" divisions and products, xlogy/xlog1py/xdivy, log_sigmoid, softsign and scalar_mul.

Each op is one NumPy call (plans run kernels with floating-point warnings off, so a NaN or an
inf comes out as in TF); the ops of two operands broadcast as math_ops' binary ops do.
"""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant, convert_to_tensor
from minitf.framework.indexed_slices import IndexedSlices
from minitf.framework.registry import register_op
from minitf.ops import nn_ops
from minitf.ops._shared import operands, same_shape
from minitf.ops.math_ops import (
    _FLOATS,
    _NUMBERS,
    _allowed,
    _apply_binary,
    _binary,
    _binary_gradient,
    _conjugate,
    _div_no_nan,  # (registered there: complex sign is built on it)
    _floordiv,
    _mul,
    _unary,
    _unary_function,
    _unary_gradient,
    abs,
    cast,
    exp,
    negative,
    not_equal,
    reciprocal,
    rsqrt,
    square,
)

__all__ = ["sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh",
           "atanh", "atan2", "expm1", "rint", "is_finite", "is_inf", "is_nan", "floor_div",
           "truncatediv", "truncatemod", "xlogy", "xlog1py", "xdivy", "div_no_nan", "divide_no_nan",
           "multiply_no_nan", "reciprocal_no_nan", "log_sigmoid", "softsign", "scalar_mul"]

_REAL_FLOATS = _FLOATS[:3]


# -- trigonometric and hyperbolic functions ------------------------------------------------------
_sin = _unary("Sin", np.sin)
_cos = _unary("Cos", np.cos)
_tan = _unary("Tan", np.tan)
_asin = _unary("Asin", np.arcsin)
_acos = _unary("Acos", np.arccos)
_atan = _unary("Atan", np.arctan)
_sinh = _unary("Sinh", np.sinh)
_cosh = _unary("Cosh", np.cosh)
_asinh = _unary("Asinh", np.arcsinh)
_acosh = _unary("Acosh", np.arccosh)
_atanh = _unary("Atanh", np.arctanh)
_expm1 = _unary("Expm1", np.expm1)
_rint = _unary("Rint", np.rint, _REAL_FLOATS)  # halves to the even neighbour, as TF


def _function(opdef, tf_name, summary, types="float or complex", details=""):
    return _unary_function(opdef, tf_name, summary, types, details, module=__name__)


sin = _function(_sin, "sin", "Computes the sine of x element-wise.")
cos = _function(_cos, "cos", "Computes the cosine of x element-wise.")
tan = _function(_tan, "tan", "Computes the tangent of x element-wise.")
asin = _function(_asin, "asin", "Computes the inverse sine of x element-wise.",
                 details=" (NaN outside [-1, 1])")
acos = _function(_acos, "acos", "Computes the inverse cosine of x element-wise.",
                 details=" (NaN outside [-1, 1])")
atan = _function(_atan, "atan", "Computes the inverse tangent of x element-wise.")
sinh = _function(_sinh, "sinh", "Computes the hyperbolic sine of x element-wise.")
cosh = _function(_cosh, "cosh", "Computes the hyperbolic cosine of x element-wise.")
asinh = _function(_asinh, "asinh", "Computes the inverse hyperbolic sine of x element-wise.")
acosh = _function(_acosh, "acosh", "Computes the inverse hyperbolic cosine of x element-wise.",
                  details=" (NaN below 1)")
atanh = _function(_atanh, "atanh", "Computes the inverse hyperbolic tangent of x element-wise.",
                  details=" (NaN outside [-1, 1])")
expm1 = _function(_expm1, "expm1", "Computes exp(x) - 1 element-wise.",
                  details=", accurate for x near 0")
rint = _function(_rint, "rint", "Returns the integer nearest to x, element-wise.", "real float",
                 details=" (halves go to the even neighbour)")

for _opdef, _rule in (  # (given conj(x) and conj(y) when complex, as TF's gradients)
        (_sin, lambda x, y, g: g * cos(x)),
        (_cos, lambda x, y, g: negative(g) * sin(x)),
        (_tan, lambda x, y, g: g * square(reciprocal(cos(x)))),
        (_asin, lambda x, y, g: g * rsqrt(1 - square(x))),
        (_acos, lambda x, y, g: negative(g) * rsqrt(1 - square(x))),
        (_atan, lambda x, y, g: g * reciprocal(1 + square(x))),
        (_sinh, lambda x, y, g: g * cosh(x)),
        (_cosh, lambda x, y, g: g * sinh(x)),
        (_asinh, lambda x, y, g: g / cosh(y)),
        (_acosh, lambda x, y, g: g / sinh(y)),
        (_atanh, lambda x, y, g: g * reciprocal(1 - square(x))),
        (_expm1, lambda x, y, g: g * exp(x))):
    _unary_gradient(_opdef, _rule, conjugate=True)
_unary_gradient(_rint, lambda x, y, g: None)  # piecewise constant, as TF's RintGrad


# -- float class tests (not differentiable) ------------------------------------------------------
def _bool_of_real_float(x):
    _allowed(_REAL_FLOATS)(x)
    return dtypes.bool


def _test(type, kernel):
    return register_op(type, shape=same_shape, dtype=_bool_of_real_float,
                       differentiable=False)(kernel)


_is_finite = _test("IsFinite", np.isfinite)
_is_inf = _test("IsInf", np.isinf)
_is_nan = _test("IsNan", np.isnan)

_TEST_DOC = """Returns which elements of x are {what}.

    Args:
      x: a Tensor of a real float type (or a value `convert_to_tensor` takes).
      name: a name for the operation (default "{type}").

    Returns:
      A bool Tensor of x's shape.

    Raises:
      TypeError: x is not of a real float type.
    """


def _test_function(opdef, tf_name, what):
    def fn(x, name=None):
        return opdef.apply([x], name=name or opdef.type)
    fn.__name__ = fn.__qualname__ = tf_name
    fn.__doc__ = _TEST_DOC.format(what=what, type=opdef.type)
    return fn


is_finite = _test_function(_is_finite, "is_finite", "finite (neither inf nor NaN)")
is_inf = _test_function(_is_inf, "is_inf", "infinite (inf or -inf)")
is_nan = _test_function(_is_nan, "is_nan", "NaN")


# -- binary ops ----------------------------------------------------------------------------------
def _truncate_div(x, y):
    if x.dtype.kind in "iu":  # C's integer division: the quotient rounded toward zero
        q = np.floor_divide(x, y)
        return q + ((q < 0) & (q * y != x)).astype(x.dtype)
    return np.trunc(x / y)


def _zero_where(condition, values):
    return np.where(condition, np.zeros((), values.dtype), values)


_atan2 = _binary("Atan2", np.arctan2, _REAL_FLOATS)
_truncatediv = _binary("TruncateDiv", _truncate_div, _NUMBERS)
_truncatemod = _binary("TruncateMod", np.fmod, (dtypes.int32, dtypes.int64) + _REAL_FLOATS,
                       differentiable=False)
_xlogy = _binary("Xlogy", lambda x, y: _zero_where(x == 0, x * np.log(y)), _FLOATS)
_xlog1py = _binary("Xlog1py", lambda x, y: _zero_where(x == 0, x * np.log1p(y)), _FLOATS)
_xdivy = _binary("Xdivy", lambda x, y: _zero_where(x == 0, x / y), _FLOATS)
_mul_no_nan = _binary("MulNoNan", lambda x, y: _zero_where(y == 0, x * y), _FLOATS)


def _nonzero(x):
    return cast(not_equal(x, 0), x.dtype.base_dtype)


def _div_no_nan_grads(x, y, g):
    return div_no_nan(g, y), g * div_no_nan(div_no_nan(negative(x), y), y)


def _atan2_grad(y, x, z, g):  # (TF's Atan2 takes y first)
    scale = g / (square(x) + square(y))
    return x * scale, negative(y) * scale


_binary_gradient(_atan2, _atan2_grad)
_binary_gradient(_truncatediv, lambda x, y, z, g: (None, None))
_binary_gradient(_xlogy, lambda x, y, z, g: (xlogy(_nonzero(x), y) * g, xdivy(x, y) * g))
_binary_gradient(_xlog1py, lambda x, y, z, g: (xlog1py(_nonzero(x), y) * g,
                                                xdivy(x, y + 1) * g))
_binary_gradient(_xdivy, lambda x, y, z, g: (xdivy(_nonzero(x), y) * g,
                                              xdivy(negative(x), square(y)) * g))
_binary_gradient(_div_no_nan, lambda x, y, z, g: _div_no_nan_grads(
    _conjugate(x), _conjugate(y), g))
_binary_gradient(_mul_no_nan, lambda x, y, z, g: (multiply_no_nan(g, y),
                                                   multiply_no_nan(x, g)))


def _scoped(opdef, x, y, name, default):
    """opdef of x and y inside a name scope: the op takes the scope's name (TF's wrappers)."""
    with name_scope(name, default, [x, y]) as scope:
        x, y = operands(x, y, opdef.type)
        return opdef.apply([x, y], name=scope)


def atan2(y, x, name=None):
    """Computes the angle of the point (x, y): arctan(y / x) in the right quadrant, element-wise.

    Args:
      y, x: Tensors or values of one real float dtype; their shapes broadcast.
      name: a name for the operation (default "Atan2").

    Returns:
      A Tensor of the broadcast shape, in [-pi, pi].

    Raises:
      TypeError: the dtypes differ, or are not real floats.
      ValueError: the static shapes do not broadcast.
    """
    return _apply_binary(_atan2, y, x, name or "Atan2")


def floor_div(x, y, name=None):
    """Returns x // y element-wise (op FloorDiv): the quotient rounded toward -infinity."""
    return _apply_binary(_floordiv, x, y, name or "FloorDiv")


def truncatediv(x, y, name=None):
    """Returns x / y rounded toward zero element-wise (op TruncateDiv), as C divides ints."""
    return _apply_binary(_truncatediv, x, y, name or "TruncateDiv")


def truncatemod(x, y, name=None):
    """Returns the remainder of truncatediv(x, y), with the sign of x (op TruncateMod)."""
    return _apply_binary(_truncatemod, x, y, name or "TruncateMod")


def xlogy(x, y, name=None):
    """Returns x * log(y) element-wise, and 0 where x is 0 (op Xlogy)."""
    return _apply_binary(_xlogy, x, y, name or "Xlogy")


def xlog1py(x, y, name=None):
    """Returns x * log1p(y) element-wise, and 0 where x is 0 (op Xlog1py)."""
    with name_scope(name, "xlog1py", [x, y]):
        return _apply_binary(_xlog1py, x, y, "Xlog1py")


def xdivy(x, y, name=None):
    """Returns x / y element-wise, and 0 where x is 0 (op Xdivy)."""
    with name_scope(name, "xdivy", [x, y]):
        return _apply_binary(_xdivy, x, y, "Xdivy")


def div_no_nan(x, y, name=None):
    """Returns x / y element-wise, and 0 where y is 0 (op DivNoNan).

    `tf.math.divide_no_nan` is the same function.
    """
    return _scoped(_div_no_nan, x, y, name, "div_no_nan")


divide_no_nan = div_no_nan


def multiply_no_nan(x, y, name=None):
    """Returns x * y element-wise, and 0 where y is 0 even if x is inf or NaN (op MulNoNan)."""
    return _scoped(_mul_no_nan, x, y, name, "multiply_no_nan")


_BINARY_DOC = """

    Args:
      x, y: Tensors or values of one dtype ({types}); a value that is not a Tensor takes the
        other operand's dtype. Their shapes broadcast as NumPy's do.
      name: a name for the operation (optional).

    Returns:
      A Tensor of the broadcast shape and the operands' dtype.

    Raises:
      TypeError: the dtypes differ, or the op does not take their dtype.
      ValueError: the static shapes do not broadcast.
    """
for _fn, _types in ((floor_div, "real"), (truncatediv, "numeric"),
                    (truncatemod, "int32, int64 or a real float"),
                    (xlogy, "float or complex"), (xlog1py, "float or complex"),
                    (xdivy, "float or complex"),
                    (div_no_nan, "float or complex"), (multiply_no_nan, "float or complex")):
    _fn.__doc__ = _fn.__doc__.rstrip() + _BINARY_DOC.format(types=_types)


def reciprocal_no_nan(x, name=None):
    """Returns 1 / x element-wise, and 0 where x is 0.

    Args:
      x: a Tensor (or value) of a float or complex type.
      name: a name for the operation (default "reciprocal_no_nan").

    Returns:
      A Tensor of x's shape and dtype.

    Raises:
      TypeError: x is not of a float or complex type.
    """
    with name_scope(name, "reciprocal_no_nan", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        one = constant(1, dtype=x.dtype.base_dtype, name="one")
        return _div_no_nan.apply([one, x], name=scope)


# -- activations -----------------------------------------------------------------------------------
_softsign = _unary("Softsign", lambda x: x / (1 + np.abs(x)), _REAL_FLOATS,
                   dtype_rule=nn_ops._features_dtype)
_unary_gradient(_softsign, lambda x, y, g: g / square(1 + abs(x)))
softsign = _function(_softsign, "softsign", "Computes x / (abs(x) + 1) element-wise.",
                     "real float")


def log_sigmoid(x, name=None):
    """Computes log(1 / (1 + exp(-x))) element-wise, as -softplus(-x) (no overflow).

    Args:
      x: a Tensor (or value) of a real float type.
      name: a name for the operation (default "LogSigmoid").

    Returns:
      A Tensor of x's shape and dtype.

    Raises:
      TypeError: x is not of a real float type.
    """
    with name_scope(name, "LogSigmoid", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        return negative(nn_ops.softplus(negative(x)), name=scope)


def scalar_mul(scalar, x, name=None):
    """Multiplies a scalar by a Tensor or IndexedSlices.

    For IndexedSlices only the values are multiplied, which is cheaper than making them dense.

    Args:
      scalar: a 0-D value, converted to x's dtype.
      x: a Tensor or IndexedSlices.
      name: a name for the operation (default "Mul").

    Returns:
      `scalar * x`, of x's type (Tensor or IndexedSlices).

    Raises:
      ValueError: `scalar` is not 0-D.
    """
    values = x.values if isinstance(x, IndexedSlices) else convert_to_tensor(x)
    scalar = convert_to_tensor(scalar, dtype=values.dtype.base_dtype, name="scalar")
    if scalar._shape != ():
        raise ValueError("The input scalar must be a 0-D value. Received shape "
                         f"{scalar.get_shape()}.")
    product = _apply_binary(_mul, scalar, values, name or "Mul")
    if isinstance(x, IndexedSlices):
        return IndexedSlices(product, x.indices, x.dense_shape)
    return product
