"""Linear algebra: qr (with TF's gradient), matrix_diag_part and eye (what the orthogonal and
identity initializers need)."""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.constant_op import constant
from minitf.framework.registry import register_op
from minitf.ops.batch_matmul_ops import adjoint, matmul
from minitf.ops.complex_ops import real
from minitf.ops.linalg_solve_ops import _eye, _triangle, matrix_triangular_solve
from minitf.ops.manip_ops import concat
from minitf.ops.math_ops import add, cast, multiply, subtract

__all__ = ["qr", "matrix_diag_part", "eye"]


def _qr_shapes(a, *, full_matrices):
    if a._shape is None:
        return [None, None]
    *batch, m, n = a._shape
    k = None if m is None or n is None else min(m, n)
    q_cols, r_rows = (m, m) if full_matrices else (k, k)
    return [tuple(batch) + (m, q_cols), tuple(batch) + (r_rows, n)]


@register_op("Qr", shape=_qr_shapes, outputs="n",
             dtype=lambda a, *, full_matrices: [a.dtype.base_dtype] * 2)
def _qr(a, *, full_matrices):
    wide = a.astype(np.float32) if a.dtype == np.float16 else a  # LAPACK has no half floats
    q, r = np.linalg.qr(wide, mode="complete" if full_matrices else "reduced")
    return [q.astype(a.dtype), r.astype(a.dtype)]


@_qr.gradient
def _qr_grad(op, dq, dr):
    a = op.inputs[0]
    q, r = op.outputs
    shape = a._shape
    if shape is None or None in shape[-2:] or (op.get_attr("full_matrices")
                                               and shape[-2] > shape[-1]):
        raise NotImplementedError("QrGrad needs the static matrix shape, and full_matrices="
                                  "False when the matrices have more rows than columns.")
    m, n = shape[-2:]
    if m >= n:
        return [_qr_grad_deep(q, r, dq, dr)]
    # a = [x, y] and r = [u, v] with u square: x = q u is the square case, y = q v
    y, u, du, dv = a[..., :, m:], r[..., :, :m], dr[..., :, :m], dr[..., :, m:]
    dx = _qr_grad_deep(q, u, add(dq, matmul(y, dv, adjoint_b=True)), du)
    return [concat([dx, matmul(q, dv)], -1)]


def _qr_grad_deep(q, r, dq, dr):
    """TF's Qr gradient for a square or deep (m >= n) matrix."""
    qdq = matmul(q, dq, adjoint_a=True)
    rdr = matmul(r, dr, adjoint_b=True)
    skew = add(subtract(qdq, adjoint(qdq)), subtract(rdr, adjoint(rdr)))
    lower = multiply(skew, _triangle(qdq, True, q.dtype))
    grad_a = matmul(q, add(dr, _solve_by_r(lower, r)))
    grad_a = add(grad_a, _solve_by_r(subtract(dq, matmul(q, qdq)), r))
    if q.dtype.is_complex:  # TF's correction: the imaginary diagonal of r dr^H - dq^H q
        diagonal = multiply(subtract(rdr, adjoint(qdq)), _eye(r._shape[-1], q.dtype))
        correction = subtract(diagonal, cast(real(diagonal), q.dtype))
        grad_a = add(grad_a, _solve_by_r(matmul(q, adjoint(correction)), r))
    return grad_a


def _solve_by_r(x, r):
    """x @ inverse(r) for the upper triangular r."""
    return adjoint(matrix_triangular_solve(r, adjoint(x), lower=False))


def qr(input, full_matrices=False, name=None):
    """Computes the QR decomposition of each innermost matrix of `input`: input = q @ r.

    q has orthonormal columns and r is upper triangular. The gradient needs the static matrix
    shape (and full_matrices=False for matrices with more rows than columns), as TF's does.

    Args:
      input: a float or complex Tensor of shape [..., M, N].
      full_matrices: if True, q is [..., M, M] and r [..., M, N]; else (the default) q is
        [..., M, K] and r [..., K, N] with K = min(M, N).
      name: a name for the operation (default "Qr").

    Returns:
      The tuple (q, r) of Tensors of `input`'s dtype.
    """
    return tuple(_qr.apply([input], name=name or "Qr", full_matrices=full_matrices))


@register_op("MatrixDiagPart", shape=lambda x: None if x._shape is None else x._shape[:-2] + (
    None if None in x._shape[-2:] else min(x._shape[-2:]),), differentiable=False)
def _diag_part(x):
    return np.diagonal(x, axis1=-2, axis2=-1).copy()


def matrix_diag_part(input, name=None):
    """Returns the main diagonal of each innermost matrix of `input`.

    The op has no gradient.

    Args:
      input: a Tensor of shape [..., M, N].
      name: a name for the operation (default "MatrixDiagPart").

    Returns:
      A Tensor of shape [..., min(M, N)].
    """
    return _diag_part.apply([input], name=name or "MatrixDiagPart")


def eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None):
    """Returns an identity matrix (ones on the diagonal, zeros elsewhere) as a constant.

    Args:
      num_rows: the number of rows, an int.
      num_columns: the number of columns (default `num_rows`).
      dtype: the element type (default float32).
      name: a name for the operation (default "eye").

    Returns:
      A constant Tensor of shape [num_rows, num_columns].
    """
    dtype = dtypes.as_dtype(dtype)
    return constant(np.eye(num_rows, num_columns, dtype=dtype.as_numpy_dtype), dtype=dtype,
                    name=name or "eye")
