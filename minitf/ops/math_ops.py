"""Math: element-wise ops, matmul, add_n, comparisons, logical ops and cast, as TF's math_ops
holds them (its reductions are in reduction_ops, re-exported here).

Binary ops broadcast like NumPy and require both operands of one dtype (TF's TypeError otherwise);
a Python value operand is converted to the other operand's dtype first, as TF does. A broadcast
operand's gradient is summed back to its shape by `unbroadcast`.
"""
import numpy as np
from scipy.special import expit

from minitf import _kernels
from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op
from minitf.ops._shared import (
    broadcast_shape,
    check_same_dtype,
    fmt,
    ones_like,
    operands,
    same_shape,
    shape_of,
    zeros_like,
)
from minitf.ops.manip_ops import _sum_to_shape, where
from minitf.ops.reduction_ops import (  # (re-exported: TF's math_ops holds them)
    _sum,
    argmax,
    argmin,
    reduce_all,
    reduce_any,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
)

__all__ = ["add", "subtract", "multiply", "divide", "truediv", "floordiv", "mod", "floormod",
           "pow", "maximum", "minimum", "squared_difference", "negative", "abs", "square",
           "sqrt", "rsqrt", "exp", "log", "log1p", "tanh", "sigmoid", "sign", "reciprocal",
           "floor", "ceil", "round", "matmul", "add_n", "equal", "not_equal", "less",
           "less_equal", "greater", "greater_equal", "logical_and", "logical_or", "logical_not",
           "logical_xor", "cast", "to_float", "to_int32", "to_int64", "clip_by_value",
           "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_any",
           "reduce_all", "argmax", "argmin"]

_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.complex64, dtypes.complex128)
_REALS = _FLOATS[:3] + (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8,
                        dtypes.uint16)
_NUMBERS = _REALS + _FLOATS[3:]


def _allowed(types):
    """A dtype rule: the first input's dtype, which must be one of `types` (TF's TypeError)."""
    def rule(x, *rest, **attrs):
        if x.dtype.base_dtype not in types:
            names = ", ".join(dtypes.tf_type_name(t) for t in types)
            raise TypeError(f"Value for attr 'T' of {x.dtype.base_dtype.name} is not in the list "
                            f"of allowed values: {names}")
        return x.dtype.base_dtype
    return rule


def _to_bool(*inputs, **attrs):
    return dtypes.bool


def _broadcast(type):
    return lambda x, y, **attrs: broadcast_shape(x._shape, y._shape, type)


# -- binary element-wise ops: (type, kernel, allowed dtypes) -------------------------------------
def _binary(type, kernel, types=_NUMBERS, differentiable=True):
    """Registers a broadcasting element-wise op of two operands; returns its OpDef."""
    return register_op(type, shape=_broadcast(type), dtype=_allowed(types),
                       differentiable=differentiable)(kernel)


_add = _binary("AddV2", np.add)
_sub = _binary("Sub", np.subtract)
_mul = _binary("Mul", np.multiply)
_realdiv = _binary("RealDiv", np.true_divide, _FLOATS)
_floordiv = _binary("FloorDiv", np.floor_divide, _REALS)
_floormod = _binary("FloorMod", np.mod, _REALS)
_pow = _binary("Pow", np.power)
_maximum = _binary("Maximum", np.maximum, _REALS)
_minimum = _binary("Minimum", np.minimum, _REALS)
_squared_difference = _binary("SquaredDifference", lambda x, y: np.square(x - y))
# (elementwise_ops' div_no_nan; registered here for the complex `sign`, its gradient there)
_div_no_nan = _binary("DivNoNan", lambda x, y: np.where(
    y == 0, np.zeros((), x.dtype), x / np.where(y == 0, np.ones((), y.dtype), y)), _FLOATS)


def _apply_binary(opdef, x, y, name, **attrs):
    if isinstance(x, Tensor) and isinstance(y, Tensor):  # the common case: no scope needed
        check_same_dtype(x, y, opdef.type)
        return opdef.apply([x, y], name=name, **attrs)
    with name_scope(name, values=[x, y]) as scope:
        x, y = operands(x, y, opdef.type)
        return opdef.apply([x, y], name=scope, **attrs)


def add(x, y, name=None):
    """Returns x + y element-wise (op AddV2), broadcasting as NumPy does."""
    return _apply_binary(_add, x, y, name or "Add")


def subtract(x, y, name=None):
    """Returns x - y element-wise (op Sub), broadcasting as NumPy does."""
    return _apply_binary(_sub, x, y, name or "Sub")


def multiply(x, y, name=None):
    """Returns x * y element-wise (op Mul), broadcasting as NumPy does."""
    return _apply_binary(_mul, x, y, name or "Mul")


def truediv(x, y, name=None):
    """Returns x / y element-wise as floats (op RealDiv), broadcasting as NumPy does.

    Integer operands are cast first, as in TF: int8, int16, uint8 and uint16 to float32,
    int32 and int64 to float64. `tf.divide` is the same function.

    Args:
      x, y: Tensors or values of one numeric dtype; a value that is not a Tensor takes the
        other operand's dtype.
      name: a name for the operation (default "truediv").

    Returns:
      A Tensor of the broadcast shape: the operands' dtype if float or complex, else the
      float type above.

    Raises:
      TypeError: the dtypes differ, or are not numeric.
      ValueError: the static shapes do not broadcast.
    """
    x, y = operands(x, y, "RealDiv")
    to = {np.int8: dtypes.float32, np.int16: dtypes.float32, np.uint8: dtypes.float32,
          np.uint16: dtypes.float32, np.int32: dtypes.float64, np.int64: dtypes.float64}.get(
        x.dtype.as_numpy_dtype)
    with name_scope(name, "truediv", [x, y]) as scope:
        if to is not None:
            x, y = cast(x, to), cast(y, to)
        return _realdiv.apply([x, y], name=scope)


divide = truediv


def floordiv(x, y, name=None):
    """Returns x // y element-wise (op FloorDiv): the quotient rounded toward -infinity."""
    return _apply_binary(_floordiv, x, y, name or "floordiv")


def floormod(x, y, name=None):
    """Returns x mod y element-wise (op FloorMod), with the sign of y as Python's `%`.

    `tf.mod` is the same function.
    """
    return _apply_binary(_floormod, x, y, name or "FloorMod")


mod = floormod


def pow(x, y, name=None):
    """Returns x ** y element-wise (op Pow), broadcasting as NumPy does."""
    return _apply_binary(_pow, x, y, name or "Pow")


def maximum(x, y, name=None):
    """Returns the larger of x and y element-wise (op Maximum)."""
    return _apply_binary(_maximum, x, y, name or "Maximum")


def minimum(x, y, name=None):
    """Returns the smaller of x and y element-wise (op Minimum)."""
    return _apply_binary(_minimum, x, y, name or "Minimum")


def squared_difference(x, y, name=None):
    """Returns (x - y) ** 2 element-wise (op SquaredDifference)."""
    return _apply_binary(_squared_difference, x, y, name or "SquaredDifference")


# The binary ops above share their Args, Returns and Raises: one block, appended to each.
_BINARY_DOC = """

    Args:
      x, y: Tensors or values of one numeric dtype; a value that is not a Tensor takes the
        other operand's dtype. Their shapes broadcast as NumPy's do.
      name: a name for the operation (optional).

    Returns:
      A Tensor of the broadcast shape and the operands' dtype.

    Raises:
      TypeError: the dtypes differ, or the op does not take their dtype.
      ValueError: the static shapes do not broadcast.
    """
for _fn in (add, subtract, multiply, floordiv, floormod, pow, maximum, minimum,
            squared_difference):
    _fn.__doc__ = _fn.__doc__.rstrip() + _BINARY_DOC


# -- unary element-wise ops ----------------------------------------------------------------------
def _unary(type, kernel, types=_FLOATS, dtype_rule=_allowed):
    """Registers an element-wise op of one operand; returns its OpDef."""
    return register_op(type, shape=same_shape, dtype=dtype_rule(types))(kernel)


_UNARY_DOC = """{summary}

    Applies the `{type}` op to each element{details}.

    Args:
      x: a Tensor of a {types} type (or a value `convert_to_tensor` takes).
      name: a name for the operation (default "{type}").

    Returns:
      A Tensor of x's shape and dtype.

    Raises:
      TypeError: the op does not take x's dtype.
    {example}"""


def _unary_function(opdef, tf_name, summary, types="float or complex", details="",
                    example="", module=__name__):
    """The public function `tf_name(x, name=None)` applying the unary op `opdef`, with a TF-style
    docstring (`details` continues the sentence on the op; `example` is a doctest) and
    `__module__` the module that exposes it."""
    def fn(x, name=None):
        return opdef.apply([x], name=name or opdef.type)
    fn.__name__ = fn.__qualname__ = tf_name
    fn.__module__ = module
    fn.__doc__ = _UNARY_DOC.format(summary=summary, type=opdef.type, types=types,
                                   details=details, example=example)
    return fn


# the x above which TF's sigmoid formula gives exactly 1 (1 + exp(x) rounds to exp(x)): clamping
# x there keeps exp finite without changing a value
_SIGMOID_CLAMP = {np.dtype(np.float16): 11.0, np.dtype(np.float64): 40.0}
# below this many elements scipy's expit (one call, a scalar loop) is cheaper than three or
# four vectorised passes (they agree to a few ulps): float64 (and float32 with the pure-Python
# kernels, whose sigmoid switches at the same size); float32 is the kernels' sigmoid, as in the
# fused dense layers, so fused and unfused float32 sigmoids are bit-identical
_EXPIT_BELOW = 1024


def _sigmoid_eigen(x):
    """exp(x) / (1 + exp(x)): the formula of TF's float16 and float64 kernels (Eigen's
    logistic), in the input's dtype, so float16 rounds each step as TF does. Three SIMD
    passes, several times cheaper than expit on large arrays (tools/bench_kernels.py)."""
    e = np.minimum(x, _SIGMOID_CLAMP[x.dtype])
    if not isinstance(e, np.ndarray):  # (a 0-d input gives a scalar)
        e = np.exp(e)
        return e / (e + 1)
    np.exp(e, out=e)
    e /= e + 1
    return e


def _sigmoid_float32(x):
    """1 / (1 + exp(-x)) in four in-place SIMD passes, 2.5-6x cheaper than expit on large arrays.
    (TF's float32 kernel is a rational approximation, which no formula repeats; this one, as
    TF's, gives exactly 1 from x = 17 and 0 below x = -88.7, where exp(-x) overflows.)"""
    out = np.negative(x)
    with np.errstate(over="ignore"):
        np.exp(out, out=out)
    out += 1
    return np.reciprocal(out, out=out)


def _stable_sigmoid(x):
    if x.__class__ is np.ndarray and x.dtype == np.float32 and x.flags.c_contiguous:
        out = np.empty_like(x)  # (the kernels' sigmoid, compiled: vectorized, within 3 ulp)
        _kernels.fused.sigmoid(x, out)
        return out
    if x.size < _EXPIT_BELOW and x.dtype in (np.float32, np.float64):
        return expit(x)
    if x.dtype == np.float32:
        return _sigmoid_float32(x)
    if x.dtype in (np.float16, np.float64):
        return _sigmoid_eigen(x)
    if x.dtype.kind == "c":  # (logaddexp takes no complex numbers)
        return 1 / (1 + np.exp(-x))
    return np.exp(-np.logaddexp(0, -x))


_COMPLEX = _FLOATS[3:]
# Conj is complex_ops' (its public function is there); it is registered here for the gradients
_conj = register_op("Conj", shape=same_shape, dtype=_allowed(_COMPLEX))(np.conj)


def _conjugate(t):
    """conj(t) for a complex `t`, `t` itself (no op) for a real one: TF's gradients of complex
    inputs take the conjugates of their factors (the gradient of a real loss by z is
    dL/dre + i dL/dim)."""
    return _conj.apply([t], name="Conj") if t.dtype.is_complex else t


_neg = _unary("Neg", np.negative, _NUMBERS)
_abs = _unary("Abs", np.abs, _REALS)
_square = _unary("Square", np.square, _NUMBERS)
_sqrt = _unary("Sqrt", np.sqrt)
_rsqrt = _unary("Rsqrt", lambda x: 1 / np.sqrt(x))
_exp = _unary("Exp", np.exp)
_log = _unary("Log", np.log)
_log1p = _unary("Log1p", np.log1p)


def _tanh_kernel(x):
    """float32 arrays by the kernels' tanh (compiled: a vectorized approximation within 7 ulp,
    as the fused dense layers use, some 4x faster than NumPy's here); others by NumPy's."""
    if x.__class__ is np.ndarray and x.dtype == np.float32 and x.flags.c_contiguous:
        out = np.empty_like(x)
        _kernels.fused.tanh(x, out)
        return out
    return np.tanh(x)


_tanh = _unary("Tanh", _tanh_kernel)
_sigmoid = _unary("Sigmoid", _stable_sigmoid)
_sign = _unary("Sign", np.sign, _NUMBERS)
_reciprocal = _unary("Reciprocal", lambda x: 1 / x)
_floor = _unary("Floor", np.floor, _FLOATS[:3])
_ceil = _unary("Ceil", np.ceil, _FLOATS[:3])
_round = _unary("Round", np.round, _REALS)  # banker's rounding, as TF

negative = _unary_function(_neg, "negative", "Returns -x element-wise.", "numeric")


def _complex_abs_dtype(x, *, Tout):
    _allowed(_COMPLEX)(x)
    return Tout


@register_op("ComplexAbs", shape=same_shape, dtype=_complex_abs_dtype)
def _complex_abs(x, *, Tout):
    return np.abs(x)  # (the real dtype of x's: Tout)


def abs(x, name=None):
    """Returns the absolute value |x| element-wise.

    A complex x gives its magnitude, a real Tensor (op ComplexAbs, as TF), float32 for
    complex64 and float64 for complex128; a real x gives the op Abs.

    Args:
      x: a Tensor (or value) of a real or complex type.
      name: a name for the operation (default "Abs").

    Returns:
      A Tensor of x's shape, of x's dtype (x real) or its real dtype (x complex).

    Raises:
      TypeError: the op does not take x's dtype.

    >>> z = tf.constant([3 + 4j, -1.5 + 0j])
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.abs(z)))
    [5.  1.5]
    """
    with name_scope(name, "Abs", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if x.dtype.is_complex:
            return _complex_abs.apply([x], name=scope, Tout=x.dtype.real_dtype)
        return _abs.apply([x], name=scope)
square = _unary_function(_square, "square", "Returns x * x element-wise.", "numeric")
sqrt = _unary_function(_sqrt, "sqrt", "Returns the square root of x element-wise.",
                       details=" (NaN for a negative real x)")
rsqrt = _unary_function(_rsqrt, "rsqrt", "Returns 1 / sqrt(x) element-wise.")
exp = _unary_function(_exp, "exp", "Returns e ** x element-wise.")
log = _unary_function(_log, "log", "Returns the natural logarithm of x element-wise.",
                      details=" (-inf at 0, NaN below)")
log1p = _unary_function(_log1p, "log1p", "Returns log(1 + x) element-wise.",
                        details=", accurate for x near 0")
tanh = _unary_function(_tanh, "tanh", "Returns the hyperbolic tangent of x element-wise.")
sigmoid = _unary_function(_sigmoid, "sigmoid", "Returns 1 / (1 + exp(-x)) element-wise.",
                          details=", without overflow for large |x|")
def sign(x, name=None):
    """Returns -1, 0 or 1 by the sign of x, element-wise; x / |x| (0 at 0) for a complex x.

    A real x gives the op Sign (whose gradient is 0); a complex x gives TF's composition
    DivNoNan(x, Cast(ComplexAbs(x))), whose gradient flows through those ops.

    Args:
      x: a Tensor (or value) of a numeric type.
      name: a name for the operation (default "Sign").

    Returns:
      A Tensor of x's shape and dtype.

    Raises:
      TypeError: the op does not take x's dtype.
    """
    x = convert_to_tensor(x)
    if not x.dtype.is_complex:
        return _sign.apply([x], name=name or "Sign")
    magnitude = _complex_abs.apply([x], name="ComplexAbs", Tout=x.dtype.real_dtype)
    return _div_no_nan.apply([x, cast(magnitude, x.dtype)], name=name or "DivNoNan")
reciprocal = _unary_function(_reciprocal, "reciprocal", "Returns 1 / x element-wise.")
floor = _unary_function(_floor, "floor", "Returns the largest integer <= x, element-wise.",
                        "float (not complex)")
ceil = _unary_function(_ceil, "ceil", "Returns the smallest integer >= x, element-wise.",
                       "float (not complex)")
round = _unary_function(_round, "round", "Rounds x to the nearest integer, element-wise.", "real",
                        details=" (halves go to the even neighbour, as in TF)")


# -- matmul and add_n ----------------------------------------------------------------------------
def _matmul_shape(a, b, transpose_a=False, transpose_b=False):
    sa, sb = a._shape, b._shape
    if sa is None or sb is None:
        return None
    if len(sa) != 2 or len(sb) != 2:
        raise ValueError(f"Shape must be rank 2 but is rank {len(sa) if len(sa) != 2 else len(sb)}"
                         f" for 'MatMul' with input shapes: {fmt(sa)}, {fmt(sb)}.")
    (m, k), (k2, n) = sa[::-1] if transpose_a else sa, sb[::-1] if transpose_b else sb
    if k is not None and k2 is not None and k != k2:
        raise ValueError(f"Dimensions must be equal, but are {k} and {k2} for 'MatMul' "
                         f"with input shapes: {fmt(sa)}, {fmt(sb)}.")
    return (m, n)


@register_op("MatMul", shape=_matmul_shape, dtype=_allowed(_NUMBERS))
def _matmul(a, b, transpose_a=False, transpose_b=False):
    return np.matmul(a.T if transpose_a else a, b.T if transpose_b else b)


def matmul(a, b, transpose_a=False, transpose_b=False, name=None):
    """Multiplies matrix `a` by matrix `b`: the matrix product a @ b.

    Either may be transposed first. minitf's matmul takes 2-D tensors only (TF's also takes
    batches of matrices).

    Args:
      a: a 2-D Tensor (or value) of a numeric type.
      b: a 2-D Tensor (or value) of `a`'s dtype.
      transpose_a: if True, `a` is transposed before the product.
      transpose_b: if True, `b` is transposed before the product.
      name: a name for the operation (default "MatMul").

    Returns:
      A Tensor of shape [rows of a, columns of b] and `a`'s dtype.

    Raises:
      ValueError: an input is not 2-D, or the inner dimensions differ.
      TypeError: `a` and `b` have different dtypes, or one the op does not take.

    >>> a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    >>> b = tf.constant([[1.0], [1.0]])
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.matmul(a, b)))
    [[3.]
     [7.]]
    """
    return _apply_binary(_matmul, a, b, name or "MatMul", transpose_a=transpose_a,
                         transpose_b=transpose_b)


def _add_n_shape(*inputs):
    shape = inputs[0]._shape
    for t in inputs[1:]:
        shape = broadcast_shape(shape, t._shape, "AddN") if shape != t._shape else shape
    return shape


@register_op("AddN", shape=_add_n_shape, dtype=_allowed(_NUMBERS))
def _add_n(*values):
    total = values[0].copy()
    for v in values[1:]:
        total += v
    return total


def add_n(inputs, name=None):
    """Adds all the tensors of `inputs` element-wise.

    Args:
      inputs: a non-empty list of Tensors (or values) of one shape and dtype.
      name: a name for the operation (default "AddN").

    Returns:
      A Tensor of the inputs' shape and dtype (the input itself when there is only one).

    Raises:
      ValueError: `inputs` is empty.
      TypeError: the dtypes differ.
    """
    if not inputs:
        raise ValueError("inputs must be a non-empty list of Tensors.")
    tensors = [convert_to_tensor(v) for v in inputs]
    for t in tensors[1:]:
        if t.dtype.base_dtype != tensors[0].dtype.base_dtype:
            raise TypeError("Expected all inputs of AddN to have the same dtype, got "
                            f"{tensors[0].dtype.name} and {t.dtype.name}.")
    return tensors[0] if len(tensors) == 1 else _add_n.apply(tensors, name=name or "AddN")


# -- comparisons and logical ops (not differentiable) --------------------------------------------
def _compare(type, kernel):
    """Registers an element-wise comparison (a bool result); returns its OpDef."""
    return register_op(type, shape=_broadcast(type), dtype=_to_bool, differentiable=False)(kernel)


_COMPARISON_DOC = """Returns the truth value of x {symbol} y element-wise (op {type}).

    The shapes broadcast as NumPy's do.

    Args:
      x, y: Tensors or values of one dtype ({types}); a value that is not a Tensor takes the
        other operand's dtype.
      name: a name for the operation (default "{type}").

    Returns:
      A bool Tensor of the broadcast shape.

    Raises:
      TypeError: the dtypes differ, or the op does not take their dtype.
      ValueError: the static shapes do not broadcast.
    """


def _comparison_function(opdef, tf_name, symbol, types=_NUMBERS + (dtypes.bool, dtypes.string)):
    """The public function `tf_name(x, y, name=None)` applying the comparison `opdef` (`symbol`
    names it in the docstring)."""
    def fn(x, y, name=None):
        for t in (x, y):
            if isinstance(t, Tensor):
                _allowed(types)(t)
        return _apply_binary(opdef, x, y, name or opdef.type)
    fn.__name__ = fn.__qualname__ = tf_name
    fn.__doc__ = _COMPARISON_DOC.format(symbol=symbol, type=opdef.type, types=(
        "any type" if dtypes.string in types else "a real type"))
    return fn


_equal = _compare("Equal", np.equal)
_not_equal = _compare("NotEqual", np.not_equal)
_less = _compare("Less", np.less)
_less_equal = _compare("LessEqual", np.less_equal)
_greater = _compare("Greater", np.greater)
_greater_equal = _compare("GreaterEqual", np.greater_equal)

equal = _comparison_function(_equal, "equal", "==")
not_equal = _comparison_function(_not_equal, "not_equal", "!=")
less = _comparison_function(_less, "less", "<", _REALS)
less_equal = _comparison_function(_less_equal, "less_equal", "<=", _REALS)
greater = _comparison_function(_greater, "greater", ">", _REALS)
greater_equal = _comparison_function(_greater_equal, "greater_equal", ">=", _REALS)


def _bool_only(type, *inputs):
    for arg, t in zip("xy", inputs):
        if t.dtype.base_dtype != dtypes.bool:
            raise TypeError(f"Input '{arg}' of '{type}' Op has type {t.dtype.base_dtype.name} "
                            "that does not match expected type of bool.")
    return dtypes.bool


_logical_and = register_op("LogicalAnd", shape=_broadcast("LogicalAnd"), differentiable=False,
                           dtype=lambda x, y: _bool_only("LogicalAnd", x, y))(np.logical_and)
_logical_or = register_op("LogicalOr", shape=_broadcast("LogicalOr"), differentiable=False,
                          dtype=lambda x, y: _bool_only("LogicalOr", x, y))(np.logical_or)
_logical_not = register_op("LogicalNot", shape=same_shape, differentiable=False,
                           dtype=lambda x: _bool_only("LogicalNot", x))(np.logical_not)


def logical_and(x, y, name=None):
    """Returns the truth value of x AND y element-wise (op LogicalAnd)."""
    return _logical_and.apply([x, y], name=name or "LogicalAnd")


def logical_or(x, y, name=None):
    """Returns the truth value of x OR y element-wise (op LogicalOr)."""
    return _logical_or.apply([x, y], name=name or "LogicalOr")


def logical_not(x, name=None):
    """Returns the truth value of NOT x element-wise (op LogicalNot).

    Args:
      x: a bool Tensor (or value).
      name: a name for the operation (default "LogicalNot").

    Returns:
      A bool Tensor of x's shape.

    Raises:
      TypeError: x is not bool.
    """
    return _logical_not.apply([x], name=name or "LogicalNot")


def logical_xor(x, y, name="LogicalXor"):
    """Returns the truth value of x XOR y element-wise.

    Built as (x OR y) AND NOT (x AND y), as TF builds it.
    """
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


# The binary logical ops share their Args, Returns and Raises.
_LOGICAL_DOC = """

    Args:
      x, y: bool Tensors (or values); their shapes broadcast as NumPy's do.
      name: a name for the operation (optional).

    Returns:
      A bool Tensor of the broadcast shape.

    Raises:
      TypeError: x or y is not bool.
      ValueError: the static shapes do not broadcast.
    """
for _fn in (logical_and, logical_or, logical_xor):
    _fn.__doc__ = _fn.__doc__.rstrip() + _LOGICAL_DOC


# -- cast and clipping ---------------------------------------------------------------------------
@register_op("Cast", shape=same_shape, dtype=lambda x, DstT: DstT)
def _cast(x, DstT):
    if x.dtype.kind == "c" and not DstT.is_complex:
        x = x.real  # TF's cast from complex keeps the real part (NumPy's would warn)
    return x.astype(DstT.as_numpy_dtype)


def cast(x, dtype, name=None):
    """Casts `x` to a new element type.

    Floats cast to integers are truncated toward zero; bools cast to numbers give 0 and 1. An
    `x` that already has the type is returned as it is, adding no op, as in TF. The gradient
    flows between float types only.

    Args:
      x: a Tensor (or value) of a numeric or bool type.
      dtype: the type to cast to (a DType, or anything `tf.as_dtype` takes).
      name: a name for the operation (default "Cast").

    Returns:
      A Tensor of x's shape and type `dtype`.

    Raises:
      TypeError: `dtype` is not a type, or the cast is from or to string.

    >>> x = tf.constant([1.8, -1.8, 0.0])
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.cast(x, tf.int32)), sess.run(tf.cast(x, tf.bool)))
    [ 1 -1  0] [ True  True False]
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    x = convert_to_tensor(x)
    if x.dtype.base_dtype == dtype:
        return x
    if dtype == dtypes.string or x.dtype.base_dtype == dtypes.string:
        raise TypeError(f"Cast from {x.dtype.name} to {dtype.name} is not supported")
    return _cast.apply([x], name=name or "Cast", DstT=dtype)


def to_float(x, name="ToFloat"):
    """Casts `x` to float32: `tf.cast(x, tf.float32)` (TF1)."""
    return cast(x, dtypes.float32, name=name)


def to_int32(x, name="ToInt32"):
    """Casts `x` to int32: `tf.cast(x, tf.int32)` (TF1)."""
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    """Casts `x` to int64: `tf.cast(x, tf.int64)` (TF1)."""
    return cast(x, dtypes.int64, name=name)


_TO_DOC = """

    Args:
      x: a Tensor (or value) of a numeric or bool type.
      name: a name for the operation.

    Returns:
      A Tensor of x's shape (x itself when it has the type already).

    Raises:
      TypeError: x is a string tensor.
    """
for _fn in (to_float, to_int32, to_int64):
    _fn.__doc__ = _fn.__doc__.rstrip() + _TO_DOC


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clips `t` to [clip_value_min, clip_value_max] element-wise.

    Values below `clip_value_min` become it, values above `clip_value_max` become it.

    Args:
      t: a Tensor (or value) of a real type.
      clip_value_min: the lower bound: a scalar, or a tensor broadcastable to `t`'s shape.
      clip_value_max: the upper bound, likewise.
      name: a name for the operation (default "clip_by_value").

    Returns:
      A Tensor of `t`'s dtype (and of the broadcast shape).

    Raises:
      TypeError: the bounds' dtype differs from `t`'s.
      ValueError: the static shapes do not broadcast.
    """
    with name_scope(name, "clip_by_value", [t, clip_value_min, clip_value_max]) as scope:
        t_min = minimum(t, clip_value_max)
        return maximum(t_min, clip_value_min, name=scope)


# -- element-wise gradients ------------------------------------------------------------------------
def _binary_gradient(opdef, rule):
    """Registers `rule(x, y, z, grad) -> (gx, gy)` (broadcast shapes) as opdef's gradient; the
    gradients are summed back to each input's shape."""
    def grad_fn(op, grad):
        x, y = op.inputs
        gx, gy = rule(x, y, op.outputs[0], grad)
        return [None if gx is None else unbroadcast(gx, x, y),
                None if gy is None else unbroadcast(gy, y, x)]
    opdef.gradient(grad_fn)


def _mask(condition, like):
    return cast(condition, like.dtype.base_dtype)


def _pow_y_grad(x, z, grad):
    # (x, z conjugated) log(x) where it is defined: x > 0, or any nonzero x when complex
    defined = not_equal(x, 0) if x.dtype.is_complex else greater(x, 0)
    safe_log = where(defined, log(where(defined, x, ones_like(x))), zeros_like(x))
    return grad * z * safe_log


def _pow_grads(x, y, z, g):
    x, y, z = _conjugate(x), _conjugate(y), _conjugate(z)
    return g * y * pow(x, y - 1), _pow_y_grad(x, z, g)


def _realdiv_grads(x, y, z, g):
    x, y = _conjugate(x), _conjugate(y)
    return g / y, g * (negative(x) / y / y)


# (the factors of complex gradients are conjugated, as TF's: see _conjugate)
_binary_gradient(_add, lambda x, y, z, g: (g, g))
_binary_gradient(_sub, lambda x, y, z, g: (g, negative(g)))
_binary_gradient(_mul, lambda x, y, z, g: (g * _conjugate(y), _conjugate(x) * g))
_binary_gradient(_realdiv, _realdiv_grads)
_binary_gradient(_floordiv, lambda x, y, z, g: (None, None))
_binary_gradient(_floormod, lambda x, y, z, g: (g, g * negative(floordiv(x, y))))
_binary_gradient(_pow, _pow_grads)
_binary_gradient(_maximum, lambda x, y, z, g: (g * _mask(greater_equal(x, y), g),
                                                g * _mask(less(x, y), g)))
_binary_gradient(_minimum, lambda x, y, z, g: (g * _mask(less_equal(x, y), g),
                                                g * _mask(greater(x, y), g)))
_binary_gradient(_squared_difference, lambda x, y, z, g: (  # (not conjugated, as TF)
    2 * g * (x - y), negative(2 * g * (x - y))))


def _unary_gradient(opdef, rule, conjugate=False):
    """Registers `rule(x, y, grad) -> gx` as the gradient of the unary op `opdef`; `conjugate`:
    rule is given conj(x) and conj(y) when they are complex (TF's rule for holomorphic ops)."""
    if conjugate:
        opdef.gradient(lambda op, grad: [rule(_conjugate(op.inputs[0]),
                                              _conjugate(op.outputs[0]), grad)])
    else:
        opdef.gradient(lambda op, grad: [rule(op.inputs[0], op.outputs[0], grad)])


_unary_gradient(_neg, lambda x, y, g: negative(g))
_unary_gradient(_abs, lambda x, y, g: g * sign(x))
for _opdef, _rule in (
        (_square, lambda x, y, g: g * (2 * x)),
        (_sqrt, lambda x, y, g: g * 0.5 / y),
        (_rsqrt, lambda x, y, g: g * (-0.5 * y * y * y)),
        (_exp, lambda x, y, g: g * y),
        (_log, lambda x, y, g: g / x),
        (_log1p, lambda x, y, g: g / (1 + x)),
        (_tanh, lambda x, y, g: g * (1 - y * y)),
        (_sigmoid, lambda x, y, g: g * (y * (1 - y))),
        (_reciprocal, lambda x, y, g: negative(g) * (y * y))):
    _unary_gradient(_opdef, _rule, conjugate=True)
_unary_gradient(_sign, lambda x, y, g: zeros_like(x))
for _piecewise_constant in (_floor, _ceil, _round):
    _unary_gradient(_piecewise_constant, lambda x, y, g: None)


@_complex_abs.gradient
def _complex_abs_grad(op, grad):
    # TF's grad * x / |x| (0 where x is 0), in real arithmetic so that no complex division
    # is needed: x * (grad / |x|) with the real factor made complex
    x, magnitude = op.inputs[0], op.outputs[0]
    safe = where(equal(magnitude, 0), ones_like(magnitude), magnitude)
    scale = where(equal(magnitude, 0), zeros_like(grad), grad / safe)
    return [x * cast(scale, x.dtype)]


@_matmul.gradient
def _matmul_grad(op, grad):
    a, b = (_conjugate(t) for t in op.inputs)
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    if not ta and not tb:
        return [matmul(grad, b, transpose_b=True), matmul(a, grad, transpose_a=True)]
    if not ta and tb:
        return [matmul(grad, b), matmul(grad, a, transpose_a=True)]
    if ta and not tb:
        return [matmul(b, grad, transpose_b=True), matmul(a, grad)]
    return [matmul(b, grad, transpose_a=True, transpose_b=True),
            matmul(grad, a, transpose_a=True, transpose_b=True)]


@_matmul.specialize
def _matmul_fast(op, state):
    return np.matmul if not (op._attrs["transpose_a"] or op._attrs["transpose_b"]) else None


@_add_n.gradient
def _add_n_grad(op, grad):
    return [grad] * len(op.inputs)


@_cast.gradient
def _cast_grad(op, grad):
    source, dest = op.inputs[0].dtype.base_dtype, op.get_attr("DstT")
    if (source.is_floating or source.is_complex) and (dest.is_floating or dest.is_complex):
        return [cast(grad, source)]
    return [None]


# -- the adjoint of broadcasting ----------------------------------------------------------------
def _broadcast_axes(x_shape, other_shape):
    """The axes of `x op other` along which x was broadcast, when the static shapes tell."""
    if x_shape is None or other_shape is None:
        return None
    lead = max(len(other_shape) - len(x_shape), 0)
    axes = list(range(lead))
    for i, d in enumerate(x_shape):
        j = i - len(x_shape) + len(other_shape)
        od = other_shape[j] if j >= 0 else 1
        if d is not None and d != 1:
            continue  # x's dim is the result's
        if d is None and od == 1:
            continue
        if d == 1 and od == 1:
            continue
        if d == 1 and od is not None:
            axes.append(lead + i)
            continue
        return None  # an unknown dim on either side: x may or may not be broadcast there
    return axes


def unbroadcast(grad, x, other=None):
    """`grad` (of a broadcast result of x and `other`) summed down to x's shape: Sums over the
    axes the static shapes show were broadcast, else a SumToShape to x's dynamic shape."""
    if grad._shape is not None and grad._shape == x._shape and None not in grad._shape:
        return grad
    axes = None if other is None else _broadcast_axes(x._shape, other._shape)
    if axes is None:
        return _sum_to_shape.apply([grad, shape_of(x)], name="SumToShape")
    lead = max(len(other._shape) - len(x._shape), 0)
    inner, outer = tuple(a for a in axes if a >= lead), tuple(a for a in axes if a < lead)
    if inner:
        grad = _sum.apply([grad], name="Sum", axis=inner, keepdims=True)
    if outer:
        grad = _sum.apply([grad], name="Sum", axis=outer, keepdims=False)
    return grad
