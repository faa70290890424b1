"""Special functions (issue 17), computed by SciPy: the error function and its inverse, ndtri,
lgamma and digamma, the regularized incomplete gamma and beta functions, Hurwitz zeta,
polygamma and the modified Bessel functions I0 and I1, plain and exponentially scaled.

Kernels return their inputs' dtype (some SciPy functions compute float16 in float32). The
gradients are TF's (math_grad.py); SciPy has no dP(a, x)/da, so IgammaGradA (TF's op for it)
sums the derivative of P's power series term by term.
"""
import math

import numpy as np
import scipy.special

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op
from minitf.ops._shared import check_same_dtype, fmt, ones_like
from minitf.ops.elementwise_ops import _REAL_FLOATS
from minitf.ops.manip_ops import where
from minitf.ops.math_ops import (
    _allowed,
    _apply_binary,
    _binary,
    _binary_gradient,
    _broadcast,
    _unary,
    _unary_gradient,
    equal,
    exp,
    log,
    negative,
    sign,
    square,
    unbroadcast,
)

__all__ = ["erf", "erfc", "erfinv", "ndtri", "lgamma", "digamma", "igamma", "igammac",
           "betainc", "zeta", "polygamma", "bessel_i0", "bessel_i1", "bessel_i0e", "bessel_i1e"]

_F32_64 = (dtypes.float32, dtypes.float64)


def _keeping_dtype(fn):
    """fn as a kernel whose result has its first input's dtype."""
    def kernel(x, *rest):
        return np.asarray(fn(x, *rest)).astype(x.dtype, copy=False)
    return kernel


def _digamma(x):
    # TF's digamma is NaN at its poles (0, -1, -2, ...), where SciPy's may be +-inf
    return np.where((x <= 0) & (x == np.floor(x)), np.nan, scipy.special.psi(x))


def _positive_a(fn):
    # TF's incomplete gamma and beta functions are NaN for a <= 0 (SciPy's give a limit there)
    return lambda a, *rest: np.where(a > 0, fn(a, *rest), np.nan)


def _polygamma(a, x):
    # SciPy's polygamma needs an integer order; TF's is NaN for any other a
    whole = (a == np.floor(a)) & (a >= 0)
    return np.where(whole, scipy.special.polygamma(np.where(whole, a, 0), x), np.nan)


_erf = _unary("Erf", _keeping_dtype(scipy.special.erf), _REAL_FLOATS)
_erfc = _unary("Erfc", _keeping_dtype(scipy.special.erfc), _REAL_FLOATS)
_erfinv = _unary("Erfinv", _keeping_dtype(scipy.special.erfinv), _REAL_FLOATS)
_ndtri = _unary("Ndtri", _keeping_dtype(scipy.special.ndtri), _REAL_FLOATS)
_lgamma = _unary("Lgamma", _keeping_dtype(scipy.special.gammaln), _REAL_FLOATS)
_digamma_op = _unary("Digamma", _keeping_dtype(_digamma), _REAL_FLOATS)
_bessel_i0 = _unary("BesselI0", _keeping_dtype(scipy.special.i0), _REAL_FLOATS)
_bessel_i1 = _unary("BesselI1", _keeping_dtype(scipy.special.i1), _REAL_FLOATS)
_bessel_i0e = _unary("BesselI0e", _keeping_dtype(scipy.special.i0e), _REAL_FLOATS)
_bessel_i1e = _unary("BesselI1e", _keeping_dtype(scipy.special.i1e), _REAL_FLOATS)
_igamma = _binary("Igamma", _keeping_dtype(_positive_a(scipy.special.gammainc)), _REAL_FLOATS)
_igammac = _binary("Igammac", _keeping_dtype(_positive_a(scipy.special.gammaincc)),
                   _REAL_FLOATS)
_zeta = _binary("Zeta", _keeping_dtype(scipy.special.zeta), _F32_64)
_polygamma_op = _binary("Polygamma", _keeping_dtype(_polygamma), _F32_64)


def _betainc_shape(a, b, x):
    """TF's rule: a, b and x have one shape, or are scalars (which take the others' shape)."""
    shapes = [t._shape for t in (a, b, x)]
    full = [s for s in shapes if s != ()]
    if None in full:
        return None
    out = full[0] if full else ()
    for shape in full[1:]:
        if len(shape) != len(out):
            _betainc_error(f"Shapes must be equal rank, but are {len(out)} and {len(shape)}",
                           shapes)
        for d, e in zip(out, shape):
            if None not in (d, e) and d != e:
                _betainc_error(f"Dimensions must be equal, but are {d} and {e}", shapes)
        out = tuple(e if d is None else d for d, e in zip(out, shape))
    return out


_SERIES_LIMIT = 100_000  # terms; P's series needs about x + 10 sqrt(x) of them


def _dp_da(a, x):
    """dP(a, x)/da from P = sum over n of t_n = exp((a+n) log x - x - lgamma(a+n+1)):
    the sum of t_n (log x - digamma(a+n+1)), to the terms past the peak (n > x - a) that no
    longer count. A loop over terms, each step vectorized over the elements."""
    a, x = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(x, np.float64))
    valid = (a > 0) & (x > 0)
    a, x = np.where(valid, a, 1.0), np.where(valid, x, 1.0)
    log_x, total = np.log(x), np.zeros(a.shape)
    peak = np.max(x - a, initial=0.0)
    for n in range(_SERIES_LIMIT):
        term = np.exp((a + n) * log_x - x - scipy.special.gammaln(a + n + 1))
        total += term * (log_x - scipy.special.psi(a + n + 1))
        if n > peak and np.max(term, initial=0.0) < 1e-20:
            break
    return np.where(valid, total, np.where(x == 0, 0.0, np.nan))


@register_op("IgammaGradA", shape=_broadcast("IgammaGradA"), dtype=_allowed(_REAL_FLOATS))
def _igamma_grad_a(a, x):
    return _dp_da(a, x).astype(a.dtype, copy=False)


@_igamma_grad_a.gradient
def _igamma_grad_a_grad(op, grad):
    # as TF (no gradient registered): a clear error, not a silently zero second derivative
    raise LookupError(f"No gradient defined for operation '{op.name}' (op type: IgammaGradA): "
                      "igamma has no second derivative by `a`")


def _betainc_error(what, shapes):
    raise ValueError(f"{what} for 'Betainc' with input shapes: "
                     f"{', '.join(fmt(s) for s in shapes)}.")


@register_op("Betainc", shape=_betainc_shape, dtype=_allowed(_F32_64))
def _betainc(a, b, x):
    value = _positive_a(scipy.special.betainc)(a, b, x)
    return np.where(b > 0, value, np.nan).astype(x.dtype, copy=False)


# -- the public functions ------------------------------------------------------------------------
_UNARY_DOC = """{summary}

    Applies the `{type}` op to each element{details}.

    Args:
      x: a Tensor of a real float type (or a value `convert_to_tensor` takes).
      name: a name for the operation (default "{name}").

    Returns:
      A Tensor of x's shape and dtype.

    Raises:
      TypeError: x is not of a real float type.
    """


def _unary_function(opdef, tf_name, summary, details="", scoped=False):
    """The public `tf_name(x, name=None)`; `scoped`: the op goes in a `tf_name` scope, as TF's
    wrappers of its newer special functions put it (`bessel_i0e/BesselI0e`)."""
    def fn(x, name=None):
        if not scoped:
            return opdef.apply([x], name=name or opdef.type)
        with name_scope(name, tf_name, [x]):
            return opdef.apply([x], name=opdef.type)
    fn.__name__ = fn.__qualname__ = tf_name
    fn.__doc__ = _UNARY_DOC.format(summary=summary, type=opdef.type, details=details,
                                   name=f"{tf_name}/{opdef.type}" if scoped else opdef.type)
    return fn


erf = _unary_function(_erf, "erf", "Computes the Gauss error function of x element-wise.")
erfc = _unary_function(_erfc, "erfc", "Computes the complementary error function 1 - erf(x) "
                       "element-wise.", details=", accurate where erf(x) is near 1")
erfinv = _unary_function(_erfinv, "erfinv", "Computes the inverse error function of x "
                         "element-wise.", details=" (NaN outside [-1, 1])", scoped=True)
ndtri = _unary_function(_ndtri, "ndtri", "Computes the inverse of the standard normal CDF "
                        "element-wise.", details=" (NaN outside [0, 1])", scoped=True)
lgamma = _unary_function(_lgamma, "lgamma", "Computes log(abs(Gamma(x))) element-wise.")
digamma = _unary_function(_digamma_op, "digamma", "Computes the derivative of lgamma(x), "
                          "Psi(x), element-wise.")
bessel_i0 = _unary_function(_bessel_i0, "bessel_i0", "Computes the modified Bessel function "
                            "of order 0, I0(x).", scoped=True)
bessel_i1 = _unary_function(_bessel_i1, "bessel_i1", "Computes the modified Bessel function "
                            "of order 1, I1(x).", scoped=True)
bessel_i0e = _unary_function(_bessel_i0e, "bessel_i0e", "Computes the exponentially scaled "
                             "modified Bessel function of order 0, exp(-abs(x)) * I0(x).",
                             scoped=True)
bessel_i1e = _unary_function(_bessel_i1e, "bessel_i1e", "Computes the exponentially scaled "
                             "modified Bessel function of order 1, exp(-abs(x)) * I1(x).",
                             scoped=True)


def _apply(opdef, first, second, name, names=("a", "x")):
    """_apply_binary, with TF's words on two tensors of different dtypes (its input names)."""
    types = [t.dtype.base_dtype for t in (first, second) if isinstance(t, Tensor)]
    if len(types) == 2 and types[0] != types[1]:
        raise TypeError(f"Input '{names[1]}' of '{opdef.type}' Op has type {types[1].name} that "
                        f"does not match type {types[0].name} of argument '{names[0]}'.")
    return _apply_binary(opdef, first, second, name or opdef.type)


def igamma(a, x, name=None):
    """Computes the lower regularized incomplete gamma function P(a, x) element-wise."""
    return _apply(_igamma, a, x, name)


def igammac(a, x, name=None):
    """Computes the upper regularized incomplete gamma function Q(a, x) = 1 - P(a, x)."""
    return _apply(_igammac, a, x, name)


def polygamma(a, x, name=None):
    """Computes the a-th derivative of digamma at x element-wise (NaN for a non-integer a)."""
    return _apply(_polygamma_op, a, x, name)


_TWO_DOC = """

    Args:
      a, x: Tensors or values of one dtype (a real float for igamma and igammac, float32 or
        float64 for polygamma); their shapes broadcast.
      name: a name for the operation (optional).

    Returns:
      A Tensor of the broadcast shape and the operands' dtype.

    Raises:
      TypeError: the dtypes differ, or the op does not take their dtype.
      ValueError: the static shapes do not broadcast.
    """
for _fn in (igamma, igammac, polygamma):
    _fn.__doc__ = _fn.__doc__.rstrip() + _TWO_DOC


def zeta(x, q, name=None):
    """Computes the Hurwitz zeta function, the sum of (q + n) ** -x over n >= 0.

    Args:
      x, q: Tensors or values of one dtype (float32 or float64); their shapes broadcast.
      name: a name for the operation (default "Zeta").

    Returns:
      A Tensor of the broadcast shape and the operands' dtype.

    Raises:
      TypeError: the dtypes differ, or are not float32 or float64.
      ValueError: the static shapes do not broadcast.
    """
    return _apply(_zeta, x, q, name, ("x", "q"))


def betainc(a, b, x, name=None):
    """Computes the regularized incomplete beta function I_x(a, b) element-wise.

    Args:
      a, b, x: Tensors or values of one dtype (float32 or float64), of one shape or scalars.
      name: a name for the operation (default "Betainc").

    Returns:
      A Tensor of their shape and dtype.

    Raises:
      TypeError: the dtypes differ, or are not float32 or float64.
      ValueError: the non-scalar static shapes differ.
    """
    a = convert_to_tensor(a, name="a")
    b = convert_to_tensor(b, dtype=a.dtype.base_dtype, name="b")
    x = convert_to_tensor(x, dtype=a.dtype.base_dtype, name="x")
    check_same_dtype(a, b, "Betainc")
    check_same_dtype(a, x, "Betainc")
    return _betainc.apply([a, b, x], name=name or "Betainc")


# -- gradients (TF's math_grad.py) ---------------------------------------------------------------
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)

_unary_gradient(_erf, lambda x, y, g: g * _TWO_OVER_SQRT_PI * exp(negative(square(x))))
_unary_gradient(_erfc, lambda x, y, g: g * -_TWO_OVER_SQRT_PI * exp(negative(square(x))))
_unary_gradient(_erfinv, lambda x, y, g: g * (math.sqrt(math.pi) / 2) * exp(square(y)))
_unary_gradient(_ndtri, lambda x, y, g: g * math.sqrt(2 * math.pi) * exp(square(y) / 2))
_unary_gradient(_lgamma, lambda x, y, g: g * digamma(x))
_unary_gradient(_digamma_op, lambda x, y, g: g * polygamma(ones_like(x), x))
_unary_gradient(_bessel_i0e, lambda x, y, g: g * (bessel_i1e(x) - sign(x) * y))


def _at_zero(x, limit, general):
    """general(x with 1 for 0), and `limit` where x is 0 (where the general rule divides by
    x)."""
    zero = equal(x, 0)
    return where(zero, limit * ones_like(x), general(where(zero, ones_like(x), x)))


def _bessel_i1e_grad(x, y, g):
    return g * _at_zero(x, 0.5, lambda safe_x: bessel_i0e(x) - y * (sign(x) + 1 / safe_x))


def _bessel_i1_grad(x, y, g):
    return g * _at_zero(x, 1.0, lambda safe_x: bessel_i0(x) - y / safe_x)


def _igamma_x_grad(a, x, g):
    """g * dP(a, x)/dx = g * exp(-x) x^(a-1) / Gamma(a)."""
    return g * exp(negative(x) + (a - 1) * log(x) - lgamma(a))


_unary_gradient(_bessel_i1e, _bessel_i1e_grad)
_unary_gradient(_bessel_i0, lambda x, y, g: g * bessel_i1(x))
_unary_gradient(_bessel_i1, _bessel_i1_grad)
_binary_gradient(_igamma, lambda a, x, z, g: (
    g * _igamma_grad_a.apply([a, x]), _igamma_x_grad(a, x, g)))
_binary_gradient(_igammac, lambda a, x, z, g: (
    negative(g * _igamma_grad_a.apply([a, x])), negative(_igamma_x_grad(a, x, g))))
_binary_gradient(_zeta, lambda x, q, z, g: (None, g * negative(x) * zeta(x + 1, q)))
_binary_gradient(_polygamma_op, lambda a, x, z, g: (None, g * polygamma(a + 1, x)))


@_betainc.gradient
def _betainc_grad(op, grad):
    # TF gives only x's gradient: dI_x(a, b)/dx = (1-x)^(b-1) x^(a-1) / B(a, b)
    a, b, x = op.inputs
    log_beta = lgamma(a) + lgamma(b) - lgamma(a + b)
    partial = exp((b - 1) * log(1 - x) + (a - 1) * log(x) - log_beta)
    return [None, None, unbroadcast(grad * partial, x, op.outputs[0])]
