"""Square-matrix linear algebra over the innermost two dims, batched like TF's linalg_ops:
MatrixInverse, MatrixDeterminant, LogMatrixDeterminant, MatrixSolve, MatrixTriangularSolve and
Cholesky (NumPy's stacked LAPACK calls), with their gradients as TF's linalg_grad.py defines
them, and the compositions cholesky_solve and matrix_solve_ls.

A singular (or, for Cholesky, not positive definite) input fails at run time with TF's
InvalidArgumentError and TF's text.
"""
import functools

import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops._shared import broadcast_shape, fmt, shape_of
from minitf.ops.batch_matmul_ops import _adjoint_value, adjoint, matmul
from minitf.ops.manip_ops import _sum_to_shape, concat, reshape
from minitf.ops.math_ops import _allowed, add, multiply, negative

__all__ = ["matrix_inverse", "matrix_determinant", "log_matrix_determinant", "matrix_solve",
           "matrix_triangular_solve", "cholesky", "cholesky_solve", "matrix_solve_ls"]

_TYPES = (dtypes.float32, dtypes.float64, dtypes.complex64, dtypes.complex128)
# TF's op definitions take float16 too, but of its CPU kernels only MatrixInverse's (and Qr's)
# do: the others fail at run time (_NoHalfKernel)
_HALF_TYPES = (dtypes.float16,) + _TYPES


class _NoHalfKernel(Exception):
    """A float16 input of an op for which TF registers no float16 kernel."""


def _no_half(kernel):
    """`kernel`, raising _NoHalfKernel for a float16 first input (kernel_error makes it TF's
    InvalidArgumentError: see _failure)."""
    @functools.wraps(kernel)
    def run(x, *rest, **attrs):
        if x.dtype == np.float16:
            raise _NoHalfKernel()
        return kernel(x, *rest, **attrs)
    return run


def _square(op_type, shape, *others, swap=False):
    """The static shape of a batch of square matrices; ValueError (TF's text) otherwise."""
    if shape is None:
        return None
    shapes = ", ".join(fmt(s) for s in (shape,) + others)
    if len(shape) < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {len(shape)} for "
                         f"'{op_type}' with input shapes: {shapes}.")
    m, n = shape[-1:-3:-1] if swap else shape[-2:]
    if None not in (m, n) and m != n:
        raise ValueError(f"Dimensions must be equal, but are {m} and {n} for '{op_type}' "
                         f"with input shapes: {shapes}.")
    return shape


def _failure(message=None):
    """A kernel_error rule: LAPACK's LinAlgError (if `message`) and _NoHalfKernel become TF's
    InvalidArgumentError."""
    def translate(op, exc):
        if isinstance(exc, _NoHalfKernel):
            return errors.InvalidArgumentError(
                None, op, f"No OpKernel was registered to support Op '{op.type}' used by "
                f"{{{{node {op.name}}}}} with these attrs: [T=DT_HALF]")
        if message is None or not isinstance(exc, np.linalg.LinAlgError):
            return None
        return errors.InvalidArgumentError(None, op, f"{message}\n\t [[{{{{node {op.name}}}}}]]")
    return translate


def _eye(n, dtype):
    return convert_to_tensor(np.eye(n, dtype=dtype.as_numpy_dtype), name="eye")


def _batch_of(x):
    return None if x._shape is None else x._shape[:-2]


# -- inverse and determinants -------------------------------------------------------------------
@register_op("MatrixInverse", shape=lambda x, *, adjoint: _square("MatrixInverse", x._shape),
             dtype=_allowed(_HALF_TYPES), kernel_error=_failure("Input is not invertible."))
def _inverse(x, *, adjoint):
    half = x.dtype == np.float16  # (LAPACK has no half precision: float32, rounded back)
    x = _adjoint_value(x) if adjoint else x
    return np.linalg.inv(x.astype(np.float32)).astype(np.float16) if half else np.linalg.inv(x)


@_inverse.gradient
def _inverse_grad(op, grad):
    ainv = op.outputs[0]
    if op.get_attr("adjoint"):  # the adjoint of the gradient by adjoint(input)
        return [negative(matmul(ainv, matmul(grad, ainv, adjoint_a=True)))]
    return [negative(matmul(ainv, matmul(grad, ainv, adjoint_b=True), adjoint_a=True))]


def _det_shape(x):
    return _batch_of(x) if _square("MatrixDeterminant", x._shape, swap=True) else None


@register_op("MatrixDeterminant", shape=_det_shape, dtype=_allowed(_HALF_TYPES),
             kernel_error=_failure())
@_no_half
def _det(x):
    return np.asarray(np.linalg.det(x), x.dtype)


def _times_inverse_adjoint(grad, a):
    """grad[..., None, None] * inverse(a)^H: d/dA of a scalar per matrix (det, log |det|)."""
    multipliers = reshape(grad, concat([shape_of(grad), [1, 1]], 0))
    return multiply(multipliers, _inverse.apply([a], name="MatrixInverse", adjoint=True))


@_det.gradient
def _det_grad(op, grad):
    return [_times_inverse_adjoint(multiply(grad, op.outputs[0]), op.inputs[0])]


@register_op("LogMatrixDeterminant", shape=lambda x: [_det_shape(x)] * 2, outputs="n",
             dtype=lambda x: [_allowed(_HALF_TYPES)(x)] * 2, kernel_error=_failure())
@_no_half
def _slogdet(x):
    sign, log_abs = np.linalg.slogdet(x)
    return [np.asarray(sign, x.dtype), np.asarray(log_abs, x.dtype)]


@_slogdet.gradient
def _slogdet_grad(op, grad_sign, grad_log_abs):
    return [_times_inverse_adjoint(grad_log_abs, op.inputs[0])]  # the sign is piecewise constant


def matrix_inverse(input, adjoint=False, name=None):
    """Computes the inverse of each innermost square matrix of `input`.

    Args:
      input: a float16, float32, float64, complex64 or complex128 Tensor of shape [..., M, M]
        (float16 is inverted in float32 and rounded back).
      adjoint: if True, inverts the adjoint (conjugate transpose) of each matrix.
      name: a name for the operation (default "MatrixInverse").

    Returns:
      A Tensor of `input`'s shape and dtype.

    Raises:
      ValueError: the innermost two dims differ, or the rank is below 2.
      minitf.errors.InvalidArgumentError: at run time, a matrix is not invertible.
    """
    return _inverse.apply([input], name=name or "MatrixInverse", adjoint=adjoint)


def matrix_determinant(input, name=None):
    """Computes the determinant of each innermost square matrix of `input`.

    Args:
      input: a float32, float64, complex64 or complex128 Tensor of shape [..., M, M].
      name: a name for the operation (default "MatrixDeterminant").

    Returns:
      A Tensor of `input`'s dtype and shape [...].

    Raises:
      ValueError: the innermost two dims differ, or the rank is below 2.
    """
    return _det.apply([input], name=name or "MatrixDeterminant")


def log_matrix_determinant(input, name=None):
    """Computes the sign and log of the absolute determinant of each innermost square matrix.

    Args:
      input: a float32, float64, complex64 or complex128 Tensor of shape [..., M, M].
      name: a name for the operation (default "LogMatrixDeterminant").

    Returns:
      The tuple (sign, log_abs_determinant) of Tensors of `input`'s dtype and shape [...]; a
      singular matrix has sign 0 and log_abs_determinant -inf.

    Raises:
      ValueError: the innermost two dims differ, or the rank is below 2.
    """
    return tuple(_slogdet.apply([input], name=name or "LogMatrixDeterminant"))


# -- solves -------------------------------------------------------------------------------------
def _solve_shape(op_type, broadcast):
    def rule(a, b, **attrs):
        _square(op_type, a._shape, b._shape)
        if a._shape is None or b._shape is None:
            return None
        if len(b._shape) < 2:
            raise ValueError(f"Shape must be at least rank 2 but is rank {len(b._shape)} for "
                             f"'{op_type}' with input shapes: {fmt(a._shape)}, {fmt(b._shape)}.")
        m, m2 = a._shape[-1], b._shape[-2]
        if None not in (m, m2) and m != m2:
            raise ValueError(f"Dimensions must be equal, but are {m} and {m2} for '{op_type}' "
                             f"with input shapes: {fmt(a._shape)}, {fmt(b._shape)}.")
        batch = (broadcast_shape(a._shape[:-2], b._shape[:-2], op_type) if broadcast
                 else _same_batch(op_type, a._shape, b._shape))
        return batch + b._shape[-2:]
    return rule


def _same_batch(op_type, sa, sb):
    if len(sa) != len(sb) or any(None not in (x, y) and x != y for x, y in zip(sa, sb[:-2])):
        raise ValueError(f"Shapes must be equal rank and have equal batch dims for '{op_type}' "
                         f"with input shapes: {fmt(sa)}, {fmt(sb)}.")
    return tuple(x if x is not None else y for x, y in zip(sa[:-2], sb[:-2]))


@register_op("MatrixSolve", shape=_solve_shape("MatrixSolve", broadcast=False),
             dtype=_allowed(_HALF_TYPES), kernel_error=_failure("Input matrix is not invertible."))
@_no_half
def _solve(matrix, rhs, *, adjoint):
    return np.linalg.solve(_adjoint_value(matrix) if adjoint else matrix, rhs)


def _solve_grads(op, grad, solve, mask=None):
    """TF's gradient of a = op.inputs[0] and rhs for c = solve(a, rhs): grad_rhs solves the
    adjoint system and grad_a = -grad_rhs c^H (its adjoint when a was adjoint)."""
    a, rhs = op.inputs
    c, adjoint_a = op.outputs[0], op.get_attr("adjoint")
    grad_b = solve(a, grad, not adjoint_a)
    if adjoint_a:
        grad_a = negative(matmul(c, grad_b, adjoint_b=True))
    else:
        grad_a = negative(matmul(grad_b, c, adjoint_b=True))
    if mask is not None:
        grad_a = multiply(grad_a, mask)
    return [_sum_to_shape.apply([grad_a, shape_of(a)], name="SumToShape"),
            _sum_to_shape.apply([grad_b, shape_of(rhs)], name="SumToShape")]


@_solve.gradient
def _solve_grad(op, grad):
    return _solve_grads(op, grad, lambda a, g, adj: matrix_solve(a, g, adjoint=adj))


@register_op("MatrixTriangularSolve", shape=_solve_shape("MatrixTriangularSolve", True),
             dtype=_allowed(_HALF_TYPES), kernel_error=_failure("Input matrix is not invertible."))
@_no_half
def _triangular_solve(matrix, rhs, *, lower, adjoint):
    matrix = np.tril(matrix) if lower else np.triu(matrix)  # the other triangle is not read
    return np.linalg.solve(_adjoint_value(matrix) if adjoint else matrix, rhs)


def _triangle(a, lower, dtype, diagonal=1.0):
    """The 0/1 mask of a's lower (or upper) triangle, `diagonal` on the diagonal."""
    n = None if a._shape is None else a._shape[-1]
    if n is None:
        raise ValueError(f"The gradient of {a.op.type} needs the static matrix size of "
                         f"{a.name}; its shape is {fmt(a._shape)}.")
    mask = np.tril(np.ones((n, n))) if lower else np.triu(np.ones((n, n)))
    mask[np.diag_indices(n)] = diagonal
    return convert_to_tensor(mask.astype(dtype.as_numpy_dtype), name="mask")


@_triangular_solve.gradient
def _triangular_solve_grad(op, grad):
    lower = op.get_attr("lower")
    mask = _triangle(op.inputs[0], lower, op.outputs[0].dtype)
    return _solve_grads(op, grad, lambda a, g, adj: matrix_triangular_solve(
        a, g, lower=lower, adjoint=adj), mask)


def matrix_solve(matrix, rhs, adjoint=False, name=None):
    """Solves matrix @ x = rhs for x, for each innermost square matrix of `matrix`.

    Args:
      matrix: a float32, float64, complex64 or complex128 Tensor of shape [..., M, M].
      rhs: a Tensor of `matrix`'s dtype and shape [..., M, K] (the same batch dims).
      adjoint: if True, solves adjoint(matrix) @ x = rhs.
      name: a name for the operation (default "MatrixSolve").

    Returns:
      A Tensor x of `rhs`'s shape and dtype.

    Raises:
      ValueError: `matrix` is not square, or the shapes do not match.
      minitf.errors.InvalidArgumentError: at run time, a matrix is not invertible.
    """
    return _solve.apply([matrix, rhs], name=name or "MatrixSolve", adjoint=adjoint)


def matrix_triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """Solves matrix @ x = rhs for x, each innermost matrix of `matrix` being triangular.

    Only the lower (or upper) triangle of `matrix` is read; the batch dims broadcast.

    Args:
      matrix: a float32, float64, complex64 or complex128 Tensor of shape [..., M, M].
      rhs: a Tensor of `matrix`'s dtype and shape [..., M, K].
      lower: if True (the default) the matrices are lower triangular, else upper.
      adjoint: if True, solves adjoint(matrix) @ x = rhs.
      name: a name for the operation (default "MatrixTriangularSolve").

    Returns:
      A Tensor x of shape [..., M, K] and `matrix`'s dtype.

    Raises:
      ValueError: `matrix` is not square, or the shapes do not match.
      minitf.errors.InvalidArgumentError: at run time, a matrix is singular (TF gives inf).
    """
    return _triangular_solve.apply([matrix, rhs], name=name or "MatrixTriangularSolve",
                                   lower=lower, adjoint=adjoint)


# -- Cholesky -----------------------------------------------------------------------------------
@register_op("Cholesky", shape=lambda x: _square("Cholesky", x._shape),
             dtype=_allowed(_HALF_TYPES),
             kernel_error=_failure("Cholesky decomposition was not successful. The input might "
                                   "not be valid."))
@_no_half
def _cholesky(x):
    return np.linalg.cholesky(x)  # reads the lower triangle only, as TF's kernel does


@_cholesky.gradient
def _cholesky_grad(op, grad):
    l = op.outputs[0]  # noqa: E741  (TF's and the literature's name)
    mask = _triangle(l, True, l.dtype, 0.5)  # (checks the static size _eye needs)
    l_inverse = matrix_triangular_solve(l, _eye(l._shape[-1], l.dtype))
    # the lower triangle of l^H grad, its diagonal halved
    middle = multiply(matmul(l, grad, adjoint_a=True), mask)
    grad_a = matmul(matmul(l_inverse, middle, adjoint_a=True), l_inverse)
    return [multiply(add(grad_a, adjoint(grad_a)), 0.5)]


def cholesky(input, name=None):
    """Computes the Cholesky factor L of each innermost Hermitian positive definite matrix.

    input = L @ adjoint(L) with L lower triangular. Only the lower triangle of `input` is read.

    Args:
      input: a float32, float64, complex64 or complex128 Tensor of shape [..., M, M].
      name: a name for the operation (default "Cholesky").

    Returns:
      A Tensor of `input`'s shape and dtype.

    Raises:
      ValueError: the innermost two dims differ, or the rank is below 2.
      minitf.errors.InvalidArgumentError: at run time, a matrix is not positive definite.
    """
    return _cholesky.apply([input], name=name or "Cholesky")


def cholesky_solve(chol, rhs, name=None):
    """Solves A @ x = rhs given the Cholesky factors `chol` of A (from `cholesky`).

    Args:
      chol: a Tensor of shape [..., M, M], lower triangular (the upper part is not read).
      rhs: a Tensor of `chol`'s dtype and shape [..., M, K].
      name: a name for the operation (default "cholesky_solve").

    Returns:
      A Tensor x of shape [..., M, K].
    """
    with name_scope(name, "cholesky_solve", [chol, rhs]):
        y = matrix_triangular_solve(chol, rhs, adjoint=False, lower=True)
        return matrix_triangular_solve(chol, y, adjoint=True, lower=True)


# -- least squares --------------------------------------------------------------------------------
def _lstsq_shape(matrix, rhs, *, fast):
    sa, sb = matrix._shape, rhs._shape
    if sa is None or sb is None:
        return None
    if sa[-2] is not None and sb[-2] is not None and sa[-2] != sb[-2]:
        raise ValueError(f"Dimensions must be equal, but are {sa[-2]} and {sb[-2]} for "
                         f"'MatrixSolveLs' with input shapes: {fmt(sa)}, {fmt(sb)}, [].")
    return _same_batch("MatrixSolveLs", sa, sb) + (sa[-1], sb[-1])


@register_op("MatrixSolveLs", shape=_lstsq_shape, dtype=_allowed(_HALF_TYPES),
             differentiable=False, kernel_error=_failure())
@_no_half
def _solve_ls(matrix, rhs, *, fast):
    return np.linalg.pinv(matrix) @ rhs  # the minimum-norm least-squares solution


def _regularized_cholesky(matrix, l2_regularizer, first_kind):
    """The Cholesky factor of A^H A + l2 I (first kind) or A A^H + l2 I."""
    gramian = matmul(matrix, matrix, adjoint_a=first_kind, adjoint_b=not first_kind)
    n = gramian._shape[-1]
    return cholesky(add(gramian, multiply(l2_regularizer, _eye(n, matrix.dtype))))


def matrix_solve_ls(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    """Solves the linear least-squares problems matrix @ x ~= rhs, one per innermost matrix.

    With `fast` (the default), x = (A^H A + l2 I)^-1 A^H B when M >= N, else the minimum-norm
    x = A^H (A A^H + l2 I)^-1 B, through Cholesky factors of the regularized Gramian, as TF
    composes it (so it is differentiable); this needs the static matrix shape. Without `fast`,
    a MatrixSolveLs op computes the minimum-norm least-squares solution (no gradient), and
    `l2_regularizer` is ignored.

    Args:
      matrix: a float32, float64, complex64 or complex128 Tensor of shape [..., M, N].
      rhs: a Tensor of `matrix`'s dtype and shape [..., M, K].
      l2_regularizer: a scalar, the Tikhonov regularization weight (fast path only).
      fast: whether to use the Cholesky (normal equations) path.
      name: a name for the operation (default "matrix_solve_ls").

    Returns:
      A Tensor x of shape [..., N, K].

    Raises:
      ValueError: the shapes do not match, or (fast) the matrix shape is not static.
      minitf.errors.InvalidArgumentError: at run time (fast), the Gramian is singular.
    """
    with name_scope(name, "matrix_solve_ls", [matrix, rhs, l2_regularizer]) as scope:
        matrix = convert_to_tensor(matrix, name="matrix")
        rhs = convert_to_tensor(rhs, dtype=matrix.dtype, name="rhs")
        if not fast:
            return _solve_ls.apply([matrix, rhs], name=scope, fast=False)
        _lstsq_shape(matrix, rhs, fast=fast)
        m, n = (None, None) if matrix._shape is None else matrix._shape[-2:]
        if m is None or n is None:
            raise ValueError(f"matrix_solve_ls(fast=True) needs the static matrix shape, not "
                             f"{fmt(matrix._shape)}.")
        l2 = convert_to_tensor(l2_regularizer, dtype=matrix.dtype, name="l2_regularizer")
        if m >= n:
            chol = _regularized_cholesky(matrix, l2, first_kind=True)
            return cholesky_solve(chol, matmul(matrix, rhs, adjoint_a=True))
        chol = _regularized_cholesky(matrix, l2, first_kind=False)
        return matmul(matrix, cholesky_solve(chol, rhs), adjoint_a=True)
