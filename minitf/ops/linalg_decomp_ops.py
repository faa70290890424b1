"""Matrix decompositions and functions over the innermost two dims: Svd, SelfAdjointEigV2,
MatrixExponential and MatrixSquareRoot (NumPy's stacked LAPACK calls, SciPy's expm and sqrtm),
with the gradients of TF's linalg_grad.py, and logdet (through Cholesky, as TF composes it).

The gradients build diagonal matrices and masks with static-size identities, so they need the
static matrix size (a ValueError says so otherwise).
"""
import numpy as np
import scipy.linalg

from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops._shared import fmt, shape_of, zeros_like
from minitf.ops.batch_matmul_ops import _swap_last, adjoint, matmul
from minitf.ops.complex_ops import real
from minitf.ops.linalg_solve_ops import (
    _HALF_TYPES,
    _eye,
    _failure,
    _no_half,
    _square,
    _triangle,
    cholesky,
    matrix_solve,
)
from minitf.ops.manip_ops import concat, expand_dims, reshape
from minitf.ops.math_ops import _allowed, add, cast, log, multiply, reciprocal, subtract
from minitf.ops.reduction_ops import reduce_sum

__all__ = ["svd", "self_adjoint_eig", "self_adjoint_eigvals", "matrix_exponential",
           "matrix_square_root", "logdet"]

def _static_size(t, op_type):
    n = None if t._shape is None else t._shape[-1]
    if n is None:
        raise ValueError(f"minitf's {op_type} needs the static matrix size here, but the shape "
                         f"of {t.name} is {fmt(t._shape)}.")
    return n


def _diag(v, n):
    """The diagonal matrices with the innermost dim of `v` (of static size n) on the diagonal."""
    return multiply(expand_dims(v, -2), _eye(n, v.dtype))


def _gap_reciprocals(e, n):
    """f[..., i, j] = 1 / (e_j - e_i) off the diagonal, 0 on it (TF's `f` of eig/svd grads)."""
    identity = _eye(n, e.dtype)
    gaps = add(subtract(expand_dims(e, -2), expand_dims(e, -1)), identity)  # (no 1/0 there)
    return multiply(reciprocal(gaps), subtract(1.0, identity))


# -- eigendecomposition of Hermitian matrices -----------------------------------------------------
def _eig_shapes(x, *, compute_v):
    shape = _square("SelfAdjointEigV2", x._shape)
    if shape is None:
        return [None, None]
    return [shape[:-1], shape if compute_v else (0,)]


@register_op("SelfAdjointEigV2", shape=_eig_shapes, outputs="n",
             dtype=lambda x, *, compute_v: [_allowed(_HALF_TYPES)(x)] * 2,  # (e complex too)
             kernel_error=_failure())
@_no_half
def _eigh(x, *, compute_v):
    if not compute_v:
        return [np.linalg.eigvalsh(x).astype(x.dtype), np.zeros((0,), x.dtype)]
    e, v = np.linalg.eigh(x)  # reads the lower triangle, as TF's kernel does
    return [e.astype(x.dtype), v]


@_eigh.gradient
def _eigh_grad(op, grad_e, grad_v):
    e, v = op.outputs
    n = _static_size(op.inputs[0], "SelfAdjointEigV2")
    if op.get_attr("compute_v"):
        inner = add(_diag(grad_e, n),
                    multiply(_gap_reciprocals(e, n), matmul(v, grad_v, adjoint_a=True)))
    else:
        v = self_adjoint_eig(op.inputs[0])[1]
        inner = _diag(grad_e, n)
    grad_a = matmul(v, matmul(inner, v, adjoint_b=True))
    # only the lower triangle is read: its entries stand for both (the diagonal for itself)
    return [multiply(add(grad_a, adjoint(grad_a)), _triangle(op.inputs[0], True, e.dtype, 0.5))]


def self_adjoint_eig(tensor, name=None):
    """Computes the eigenvalues (ascending) and eigenvectors of each innermost Hermitian matrix.

    Only the lower triangle of `tensor` is read.

    Args:
      tensor: a float32, float64, complex64 or complex128 Tensor of shape [..., N, N].
      name: a name for the operation (default "SelfAdjointEigV2").

    Returns:
      The tuple (e, v) of Tensors of `tensor`'s dtype: e of shape [..., N], v of shape
      [..., N, N] whose columns are the eigenvectors.

    Raises:
      ValueError: the innermost two dims differ, or the rank is below 2.
    """
    return tuple(_eigh.apply([tensor], name=name or "SelfAdjointEigV2", compute_v=True))


def self_adjoint_eigvals(tensor, name=None):
    """Computes the eigenvalues (ascending) of each innermost Hermitian matrix of `tensor`.

    Args:
      tensor: a float32, float64, complex64 or complex128 Tensor of shape [..., N, N].
      name: a name for the operation (default "SelfAdjointEigV2").

    Returns:
      The Tensor e of shape [..., N] and `tensor`'s dtype.

    Raises:
      ValueError: the innermost two dims differ, or the rank is below 2.
    """
    return _eigh.apply([tensor], name=name or "SelfAdjointEigV2", compute_v=False)[0]


# -- singular value decomposition -----------------------------------------------------------------
def _svd_shapes(x, *, compute_uv, full_matrices):
    shape = x._shape
    if shape is None:
        return [None] * 3
    if len(shape) < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {len(shape)} for 'Svd' "
                         f"with input shapes: {fmt(shape)}.")
    *batch, m, n = shape
    k = None if None in (m, n) else min(m, n)
    if not compute_uv:
        return [tuple(batch) + (k,), (0,), (0,)]
    cols = (m, n) if full_matrices else (k, k)
    return [tuple(batch) + (k,), tuple(batch) + (m, cols[0]), tuple(batch) + (n, cols[1])]


@register_op("Svd", shape=_svd_shapes, outputs="n",
             dtype=lambda x, **attrs: [_allowed(_HALF_TYPES)(x).real_dtype]
             + [x.dtype.base_dtype] * 2, kernel_error=_failure())
@_no_half
def _svd(x, *, compute_uv, full_matrices):
    if not compute_uv:
        empty = np.zeros((0,), x.dtype)
        return [np.linalg.svd(x, compute_uv=False), empty, empty]
    u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
    return [s, u, np.conj(np.swapaxes(vh, -1, -2))]


@_svd.gradient
def _svd_grad(op, grad_s, grad_u, grad_v):
    a = op.inputs[0]
    if not op.get_attr("compute_uv"):
        s, u, v = svd(a, full_matrices=False, compute_uv=True)
        grad_s = cast(grad_s, a.dtype)  # (complex for a complex a)
        return [matmul(u, matmul(_diag(grad_s, _static_size(s, "Svd")), v, adjoint_b=True))]
    m, n = (None, None) if a._shape is None else a._shape[-2:]
    if m is None or n is None or (op.get_attr("full_matrices") and m != n):
        raise NotImplementedError("minitf's Svd gradient needs a static matrix shape, and "
                                  "full_matrices=False unless the matrices are square.")
    s, u, v = op.outputs
    if m > n:  # the gradient of the adjoint's decomposition, whose u and v swap
        return [adjoint(_svd_wide_grad(s, v, u, grad_s, grad_v, grad_u, n, m))]
    return [_svd_wide_grad(s, u, v, grad_s, grad_u, grad_v, m, n)]


def _svd_wide_grad(s, u, v, grad_s, grad_u, grad_v, m, n):
    """TF's Svd gradient for m <= n (thin v: [..., n, m])."""
    s, grad_s = cast(s, u.dtype), cast(grad_s, u.dtype)  # (complex for a complex a)
    s_mat = _diag(s, m)
    f = _gap_reciprocals(multiply(s, s), m)
    v_gv = matmul(v, grad_v, adjoint_a=True)
    f_u = multiply(f, matmul(u, grad_u, adjoint_a=True))
    f_v = multiply(f, v_gv)
    inner = add(add(_diag(grad_s, m), matmul(add(f_u, adjoint(f_u)), s_mat)),
                matmul(s_mat, add(f_v, adjoint(f_v))))
    if u.dtype.is_complex:  # TF's term for the phases of v's columns: the diagonal of v^H dv
        phases = multiply(v_gv, _eye(m, u.dtype))
        inner = add(inner, multiply(0.5, matmul(_diag(reciprocal(s), m),
                                                subtract(adjoint(phases), phases))))
    grad_a = matmul(u, matmul(inner, v, adjoint_b=True))
    if m == n:
        return grad_a
    # the part of grad_v orthogonal to v's columns, through u s^-1
    gv_t = adjoint(grad_v)
    outside = subtract(gv_t, matmul(matmul(gv_t, v), v, adjoint_b=True))
    return add(grad_a, matmul(matmul(u, _diag(reciprocal(s), m)), outside))


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """Computes the singular value decomposition of each innermost matrix of `tensor`.

    tensor = u @ diag(s) @ adjoint(v).

    Args:
      tensor: a float32, float64, complex64 or complex128 Tensor of shape [..., M, N].
      full_matrices: if True, u is [..., M, M] and v [..., N, N]; else (the default) u is
        [..., M, P] and v [..., N, P] with P = min(M, N).
      compute_uv: if False, only s is computed (and returned).
      name: a name for the operation (default "Svd").

    Returns:
      s (real, [..., P], descending), and with `compute_uv` the tuple (s, u, v).

    Raises:
      ValueError: the rank is below 2.
    """
    s, u, v = _svd.apply([tensor], name=name or "Svd", compute_uv=compute_uv,
                         full_matrices=full_matrices)
    return (s, u, v) if compute_uv else s


# -- matrix functions -----------------------------------------------------------------------------
@register_op("MatrixExponential", shape=lambda x: _square("MatrixExponential", x._shape),
             dtype=_allowed(_HALF_TYPES), kernel_error=_failure())
@_no_half
def _expm(x):
    return scipy.linalg.expm(x).astype(x.dtype, copy=False)


@_expm.gradient
def _expm_grad(op, grad):
    # the top right block of expm([[A^H, grad], [0, A^H]]) (Najfeld and Havel's block trick)
    a = op.inputs[0]
    n = _static_size(a, "MatrixExponential")
    a_adj = adjoint(a)
    block = concat([concat([a_adj, grad], -1), concat([zeros_like(a), a_adj], -1)], -2)
    return [matrix_exponential(block)[..., :n, n:]]


def matrix_exponential(input, name=None):
    """Computes the matrix exponential exp(A) = sum A^k / k! of each innermost square matrix.

    Args:
      input: a float32, float64, complex64 or complex128 Tensor of shape [..., M, M].
      name: a name for the operation (default "matrix_exponential").

    Returns:
      A Tensor of `input`'s shape and dtype.

    Raises:
      ValueError: the innermost two dims differ, or the rank is below 2.
    """
    return _expm.apply([input], name=name or "matrix_exponential")


@register_op("MatrixSquareRoot", shape=lambda x: _square("MatrixSquareRoot", x._shape),
             dtype=_allowed(_HALF_TYPES), kernel_error=_failure())
@_no_half
def _sqrtm(x):
    root = scipy.linalg.sqrtm(x)
    if np.iscomplexobj(x) or not np.iscomplexobj(root):
        return root.astype(x.dtype, copy=False)
    # no real square root: NaN, as TF's real kernel gives
    tol = 100 * np.finfo(x.dtype).eps * np.maximum(np.abs(root).max((-2, -1), keepdims=True), 1)
    complex_root = np.any(np.abs(root.imag) > tol, axis=(-2, -1), keepdims=True)
    return np.where(complex_root, np.nan, root.real).astype(x.dtype)


@_sqrtm.gradient
def _sqrtm_grad(op, grad):
    # grad_a solves the Sylvester equation S^T X + X S^T = grad, S = sqrtm(a) (transposed, not
    # adjoint, for complex S too, as TF's): in row-major vec form,
    # (S^T kron I + I kron S) vec(X) = vec(grad)
    root = op.outputs[0]
    n = _static_size(root, "MatrixSquareRoot")
    identity = _eye(n, root.dtype)
    kron = add(_kron(_swap_last(root), identity, n), _kron(identity, root, n))
    vec = reshape(grad, concat([shape_of(grad)[:-2], [n * n, 1]], 0))
    return [reshape(matrix_solve(kron, vec), shape_of(grad))]


def _kron(a, b, n):
    """The Kronecker products of the innermost n x n matrices of a and b (broadcast)."""
    blocks = multiply(a[..., :, None, :, None], b[..., None, :, None, :])
    return reshape(blocks, concat([shape_of(blocks)[:-4], [n * n, n * n]], 0))


def matrix_square_root(input, name=None):
    """Computes the principal square root S of each innermost square matrix: S @ S = input.

    A real matrix without a real square root gives NaN, as in TF.

    Args:
      input: a float32, float64, complex64 or complex128 Tensor of shape [..., M, M].
      name: a name for the operation (default "MatrixSquareRoot").

    Returns:
      A Tensor of `input`'s shape and dtype.

    Raises:
      ValueError: the innermost two dims differ, or the rank is below 2.
    """
    return _sqrtm.apply([input], name=name or "MatrixSquareRoot")


def logdet(matrix, name=None):
    """Computes log(det(matrix)) of each innermost Hermitian positive definite matrix.

    It is computed as 2 * sum(log(diag(cholesky(matrix)))), as TF does.

    Args:
      matrix: a float32, float64, complex64 or complex128 Tensor of shape [..., M, M].
      name: a name for the operation (default "logdet").

    Returns:
      A real Tensor of shape [...] (float32 for complex64, float64 for complex128).

    Raises:
      ValueError: the innermost two dims differ, or the rank is below 2.
      minitf.errors.InvalidArgumentError: at run time, a matrix is not positive definite.
    """
    with name_scope(name, "logdet", [matrix]):
        chol = cholesky(convert_to_tensor(matrix, name="matrix"))
        n = _static_size(chol, "logdet")
        diagonal = reduce_sum(multiply(chol, _eye(n, chol.dtype)), -1)
        return multiply(2.0, reduce_sum(log(real(diagonal)), -1))  # (real for complex too)
