"""What the LinearOperator classes share beyond the base class: argument checks with TF's
messages, static shape arithmetic, broadcasting batched solves, and run-time assertions."""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.tensor_shape import TensorShape
from minitf.ops._shared import broadcast_shape
from minitf.ops.batch_matmul_ops import adjoint
from minitf.ops.complex_ops import imag, real
from minitf.ops.debug_ops import Assert
from minitf.ops.linalg_solve_ops import matrix_solve
from minitf.ops.manip_ops import broadcast_to
from minitf.ops.math_ops import abs as _abs, sqrt, square

FLOATS_AND_COMPLEX = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.complex64,
                      dtypes.complex128)


def tf_dtype_list(allowed):
    return "[" + ", ".join(f"tf.{d.name}" for d in allowed) + "]"


def check_dtype(tensor, argument, allowed=FLOATS_AND_COMPLEX):
    """TF's TypeError for an argument of a dtype the operator does not take."""
    if tensor.dtype.base_dtype not in allowed:
        raise TypeError(f"Argument `{argument}` must have dtype in {tf_dtype_list(allowed)}. "
                        f"Received: {dtype_text(tensor.dtype)}.")


def dtype_text(dtype):
    """TF's repr of a dtype: <dtype: 'float32'>."""
    return f"<dtype: '{dtype.base_dtype.name}'>"


def check_rank_at_least(tensor, argument, rank):
    if tensor._shape is not None and len(tensor._shape) < rank:
        word = {1: "1 dimension", 2: "2 dimensions"}.get(rank, f"{rank} dimensions")
        raise ValueError(f"Argument `{argument}` must have at least {word}. Received: {tensor}.")


def to_tensor(value, name, dtype=None):
    return convert_to_tensor(value, dtype=dtype, name=name)


def static_shape(t):
    """The TensorShape of a Tensor (unknown rank as TensorShape(None))."""
    return TensorShape(t._shape)


def broadcast_batch(*shapes):
    """The broadcast of static batch shapes (tuples or None)."""
    out = ()
    for s in shapes:
        if s is None:
            return None
        out = broadcast_shape(out, tuple(s))
    return out


def broadcast_matrix_batch_dims(a, b):
    """a and b with their batch dims broadcast to each other's (static shapes)."""
    sa, sb = a._shape, b._shape
    if sa is None or sb is None or None in sa or None in sb:
        return a, b
    batch = broadcast_shape(sa[:-2], sb[:-2])
    if tuple(sa[:-2]) != batch:
        a = broadcast_to(a, batch + tuple(sa[-2:]))
    if tuple(sb[:-2]) != batch:
        b = broadcast_to(b, batch + tuple(sb[-2:]))
    return a, b


def matrix_solve_with_broadcast(matrix, rhs, adjoint=False):
    """MatrixSolve after broadcasting the batch dims of matrix and rhs."""
    matrix, rhs = broadcast_matrix_batch_dims(matrix, rhs)
    return matrix_solve(matrix, rhs, adjoint=adjoint)


def fold_operators(operators, method, combine):
    """combine(...combine(A1.method(), A2.method())..., An.method()): a determinant, trace,
    ... of a product or block-triangular operator from its factors' or blocks'."""
    result = getattr(operators[0], method)()
    for operator in operators[1:]:
        result = combine(result, getattr(operator, method)())
    return result


def modulus(x):
    """|x|, for complex x too (minitf's Abs takes real dtypes only)."""
    if x.dtype.is_complex:
        return sqrt(square(real(x)) + square(imag(x)))
    return _abs(x)


def maybe_adjoint(x, flag):
    return adjoint(x) if flag else x


def assert_that(condition, message):
    """A run-time check (the Assert op) showing `message` when `condition` fails."""
    return Assert(condition, [message])


def static_int(value):
    """A Python int of a static value (an int, a Dimension or a constant), else None."""
    if isinstance(value, (int, np.integer)):
        return int(value)
    v = getattr(value, "value", None)
    if v is not None or type(value).__name__ == "Dimension":
        return v
    v = constant_value(convert_to_tensor(value))
    return None if v is None else int(v)
