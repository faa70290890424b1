"""Element-wise math, matmul, comparisons, logical ops and cast; and the Tensor operators.

Binary ops broadcast like NumPy and require both operands of one dtype (TF's TypeError otherwise);
a Python value operand is converted to the other operand's dtype first, as TF does.
"""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op
from minitf.ops._shapes import broadcast_shape, fmt

__all__ = ["add", "subtract", "multiply", "divide", "truediv", "floordiv", "mod", "floormod",
           "pow", "maximum", "minimum", "squared_difference", "negative", "abs", "square",
           "sqrt", "rsqrt", "exp", "log", "log1p", "tanh", "sigmoid", "sign", "reciprocal",
           "floor", "ceil", "round", "matmul", "add_n", "equal", "not_equal", "less",
           "less_equal", "greater", "greater_equal", "logical_and", "logical_or", "logical_not",
           "logical_xor", "cast", "to_float", "to_int32", "to_int64", "clip_by_value"]

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


def _same(x, **attrs):
    return x._shape


# -- binary element-wise ops: (type, kernel, allowed dtypes) -------------------------------------
def _binary(type, kernel, types=_NUMBERS, differentiable=True):
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


def _operands(x, y, op_type):
    """Both operands as Tensors of one dtype (a non-Tensor takes the other's dtype), named
    `x` and `y` when they are made here, as TF's wrappers name them."""
    if not isinstance(x, Tensor) and isinstance(y, Tensor):
        x = _convert_like(x, y, "x")
    else:
        x = convert_to_tensor(x, name="x")
        y = _convert_like(y, x, "y")
    _check_same_dtype(x, y, op_type)
    return x, y


def _check_same_dtype(x, y, op_type):
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


def _apply_binary(opdef, x, y, name, **attrs):
    if isinstance(x, Tensor) and isinstance(y, Tensor):  # the common case: no scope needed
        _check_same_dtype(x, y, opdef.type)
        return opdef.apply([x, y], name=name, **attrs)
    with name_scope(name, values=[x, y]) as scope:
        x, y = _operands(x, y, opdef.type)
        return opdef.apply([x, y], name=scope, **attrs)


def add(x, y, name=None):
    """x + y element-wise, with broadcasting (op AddV2)."""
    return _apply_binary(_add, x, y, name or "Add")


def subtract(x, y, name=None):
    """x - y element-wise (op Sub)."""
    return _apply_binary(_sub, x, y, name or "Sub")


def multiply(x, y, name=None):
    """x * y element-wise (op Mul)."""
    return _apply_binary(_mul, x, y, name or "Mul")


def truediv(x, y, name=None):
    """x / y as floats: int8/int16/uint8/uint16 become float32, int32/int64 float64 (op RealDiv).
    """
    x, y = _operands(x, y, "RealDiv")
    to = {np.int8: dtypes.float32, np.int16: dtypes.float32, np.uint8: dtypes.float32,
          np.uint16: dtypes.float32, np.int32: dtypes.float64, np.int64: dtypes.float64}.get(
        x.dtype.as_numpy_dtype)
    with name_scope(name, "truediv", [x, y]) as scope:
        if to is not None:
            x, y = cast(x, to), cast(y, to)
        return _realdiv.apply([x, y], name=scope)


divide = truediv


def floordiv(x, y, name=None):
    """x // y element-wise, rounding toward -inf (op FloorDiv)."""
    return _apply_binary(_floordiv, x, y, name or "floordiv")


def floormod(x, y, name=None):
    """x mod y with the sign of y, as Python's % (op FloorMod)."""
    return _apply_binary(_floormod, x, y, name or "FloorMod")


mod = floormod


def pow(x, y, name=None):  # noqa: A001  (TF's public name)
    """x ** y element-wise (op Pow)."""
    return _apply_binary(_pow, x, y, name or "Pow")


def maximum(x, y, name=None):
    """The element-wise larger of x and y."""
    return _apply_binary(_maximum, x, y, name or "Maximum")


def minimum(x, y, name=None):
    """The element-wise smaller of x and y."""
    return _apply_binary(_minimum, x, y, name or "Minimum")


def squared_difference(x, y, name=None):
    """(x - y) ** 2 element-wise."""
    return _apply_binary(_squared_difference, x, y, name or "SquaredDifference")


# -- unary element-wise ops ----------------------------------------------------------------------
def _unary(type, kernel, types=_FLOATS, dtype_rule=None):
    """Registers an element-wise op and returns its public function `f(x, name=None)`."""
    opdef = register_op(type, shape=_same, dtype=(dtype_rule or _allowed)(types))(kernel)

    def op(x, name=None):
        return opdef.apply([x], name=name or type)
    op.__name__ = type.lower()
    op.__doc__ = f"Element-wise {type} (TF's tf.{type.lower()})."
    op.opdef = opdef
    return op


def _sigmoid(x):
    return np.exp(-np.logaddexp(0, -x))  # no overflow for large |x|


negative = _unary("Neg", np.negative, _NUMBERS)
abs = _unary("Abs", np.abs, _REALS)  # noqa: A001
square = _unary("Square", np.square, _NUMBERS)
sqrt = _unary("Sqrt", np.sqrt)
rsqrt = _unary("Rsqrt", lambda x: 1 / np.sqrt(x))
exp = _unary("Exp", np.exp)
log = _unary("Log", np.log)
log1p = _unary("Log1p", np.log1p)
tanh = _unary("Tanh", np.tanh)
sigmoid = _unary("Sigmoid", _sigmoid)
sign = _unary("Sign", np.sign, _NUMBERS)
reciprocal = _unary("Reciprocal", lambda x: 1 / x)
floor = _unary("Floor", np.floor, _FLOATS[:3])
ceil = _unary("Ceil", np.ceil, _FLOATS[:3])
round = _unary("Round", np.round, _REALS)  # noqa: A001  (banker's rounding, as TF)


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
    """The matrix product of 2-D tensors a and b (optionally transposed first).

    Raises:
      ValueError: the inner dimensions differ or an input is not 2-D.
      TypeError: a and b have different dtypes.
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
    """The element-wise sum of a list of same-shape, same-dtype tensors."""
    if not inputs:
        raise ValueError("inputs must be a non-empty list of Tensors.")
    tensors = [convert_to_tensor(v) for v in inputs]
    for t in tensors[1:]:
        if t.dtype.base_dtype != tensors[0].dtype.base_dtype:
            raise TypeError("Expected all inputs of AddN to have the same dtype, got "
                            f"{tensors[0].dtype.name} and {t.dtype.name}.")
    return tensors[0] if len(tensors) == 1 else _add_n.apply(tensors, name=name or "AddN")


# -- comparisons and logical ops (not differentiable) --------------------------------------------
def _compare(type, kernel, types=_NUMBERS + (dtypes.bool, dtypes.string)):
    opdef = register_op(type, shape=_broadcast(type), dtype=_to_bool,
                        differentiable=False)(kernel)

    def op(x, y, name=None):
        for t in (x, y):
            if isinstance(t, Tensor):
                _allowed(types)(t)
        return _apply_binary(opdef, x, y, name or type)
    op.__name__ = type
    op.__doc__ = f"Element-wise {type} of x and y, a bool tensor."
    return op


equal = _compare("Equal", np.equal)
not_equal = _compare("NotEqual", np.not_equal)
less = _compare("Less", np.less, _REALS)
less_equal = _compare("LessEqual", np.less_equal, _REALS)
greater = _compare("Greater", np.greater, _REALS)
greater_equal = _compare("GreaterEqual", np.greater_equal, _REALS)


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
_logical_not = register_op("LogicalNot", shape=_same, differentiable=False,
                           dtype=lambda x: _bool_only("LogicalNot", x))(np.logical_not)


def logical_and(x, y, name=None):
    """Element-wise x AND y of bool tensors."""
    return _logical_and.apply([x, y], name=name or "LogicalAnd")


def logical_or(x, y, name=None):
    """Element-wise x OR y of bool tensors."""
    return _logical_or.apply([x, y], name=name or "LogicalOr")


def logical_not(x, name=None):
    """Element-wise NOT x of a bool tensor."""
    return _logical_not.apply([x], name=name or "LogicalNot")


def logical_xor(x, y, name="LogicalXor"):
    """Element-wise x XOR y, built as (x OR y) AND NOT (x AND y), as TF does."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


# -- cast and clipping ---------------------------------------------------------------------------
@register_op("Cast", shape=_same, dtype=lambda x, DstT: DstT)
def _cast(x, DstT):  # noqa: N803  (TF's attr name)
    return x.astype(DstT.as_numpy_dtype)


def cast(x, dtype, name=None):
    """`x` converted to `dtype` (floats to ints truncate toward zero; a same-dtype x is returned
    as it is, with no op added, as in TF)."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    x = convert_to_tensor(x)
    if x.dtype.base_dtype == dtype:
        return x
    if dtype == dtypes.string or x.dtype.base_dtype == dtypes.string:
        raise TypeError(f"Cast from {x.dtype.name} to {dtype.name} is not supported")
    return _cast.apply([x], name=name or "Cast", DstT=dtype)


def to_float(x, name="ToFloat"):
    """cast(x, float32) (TF1)."""
    return cast(x, dtypes.float32, name=name)


def to_int32(x, name="ToInt32"):
    """cast(x, int32) (TF1)."""
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    """cast(x, int64) (TF1)."""
    return cast(x, dtypes.int64, name=name)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """`t` with values below `clip_value_min` / above `clip_value_max` set to those bounds."""
    with name_scope(name, "clip_by_value", [t, clip_value_min, clip_value_max]) as scope:
        t_min = minimum(t, clip_value_max)
        return maximum(t_min, clip_value_min, name=scope)


# -- gradients -------------------------------------------------------------------------------------
def _binary_gradient(opdef, rule):
    """Registers `rule(x, y, z, grad) -> (gx, gy)` (broadcast shapes) as opdef's gradient; the
    gradients are summed back to each input's shape."""
    def grad_fn(op, grad):
        x, y = op.inputs
        gx, gy = rule(x, y, op.outputs[0], grad)
        return [None if gx is None else _manip.unbroadcast(gx, x, y),
                None if gy is None else _manip.unbroadcast(gy, y, x)]
    opdef.gradient(grad_fn)


def _mask(condition, like):
    return cast(condition, like.dtype.base_dtype)


def _pow_y_grad(x, z, grad):
    positive = greater(x, 0)
    safe_log = _manip.where(positive, log(_manip.where(positive, x, _array_ops.ones_like(x))),
                            _array_ops.zeros_like(x))
    return grad * z * safe_log


_binary_gradient(_add, lambda x, y, z, g: (g, g))
_binary_gradient(_sub, lambda x, y, z, g: (g, negative(g)))
_binary_gradient(_mul, lambda x, y, z, g: (g * y, x * g))
_binary_gradient(_realdiv, lambda x, y, z, g: (g / y, g * (negative(x) / y / y)))
_binary_gradient(_floordiv, lambda x, y, z, g: (None, None))
_binary_gradient(_floormod, lambda x, y, z, g: (g, g * negative(floordiv(x, y))))
_binary_gradient(_pow, lambda x, y, z, g: (g * y * pow(x, y - 1), _pow_y_grad(x, z, g)))
_binary_gradient(_maximum, lambda x, y, z, g: (g * _mask(greater_equal(x, y), g),
                                                g * _mask(less(x, y), g)))
_binary_gradient(_minimum, lambda x, y, z, g: (g * _mask(less_equal(x, y), g),
                                                g * _mask(greater(x, y), g)))
_binary_gradient(_squared_difference, lambda x, y, z, g: (
    2 * g * (x - y), negative(2 * g * (x - y))))


def _unary_gradient(op_fn, rule):
    """Registers `rule(x, y, grad) -> gx` as the gradient of the unary op behind `op_fn`."""
    op_fn.opdef.gradient(lambda op, grad: [rule(op.inputs[0], op.outputs[0], grad)])


_unary_gradient(negative, lambda x, y, g: negative(g))
_unary_gradient(abs, lambda x, y, g: g * sign(x))
_unary_gradient(square, lambda x, y, g: g * (2 * x))
_unary_gradient(sqrt, lambda x, y, g: g * 0.5 / y)
_unary_gradient(rsqrt, lambda x, y, g: g * (-0.5 * y * y * y))
_unary_gradient(exp, lambda x, y, g: g * y)
_unary_gradient(log, lambda x, y, g: g / x)
_unary_gradient(log1p, lambda x, y, g: g / (1 + x))
_unary_gradient(tanh, lambda x, y, g: g * (1 - y * y))
_unary_gradient(sigmoid, lambda x, y, g: g * (y * (1 - y)))
_unary_gradient(sign, lambda x, y, g: _array_ops.zeros_like(x))
_unary_gradient(reciprocal, lambda x, y, g: negative(g) * (y * y))
for _piecewise_constant in (floor, ceil, round):
    _unary_gradient(_piecewise_constant, lambda x, y, g: None)


@_matmul.gradient
def _matmul_grad(op, grad):
    a, b = op.inputs
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
    source = op.inputs[0].dtype.base_dtype
    if source.is_floating and op.get_attr("DstT").is_floating:
        return [cast(grad, source)]
    return [None]


from minitf.ops.reduction_ops import *  # noqa: E402,F401,F403  (part of this namespace)
from minitf.ops import reduction_ops as _reduction_ops  # noqa: E402
from minitf.ops import array_ops as _array_ops, manip_ops as _manip  # noqa: E402  (gradients)

__all__ += _reduction_ops.__all__
