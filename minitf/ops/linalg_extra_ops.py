"""The rest of tf.linalg's functions: matrix_rank and pinv (through Svd, as TF composes them),
logm (the MatrixLogarithm op, SciPy's logm), normalize (through norm) and eigh_tridiagonal
(SciPy's eigh_tridiagonal in one op where TF runs a bisection loop; no gradient, as TF's loop
has none). The tridiagonal products and solves are in linalg_tridiagonal_ops.py.
"""
import numpy as np
import scipy.linalg

from minitf.framework import dtypes, errors
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops._shared import no_gradient, shape_of
from minitf.ops.batch_matmul_ops import matmul
from minitf.ops.complex_ops import real
from minitf.ops.linalg_decomp_ops import svd
from minitf.ops.linalg_lu_ops import _not_in
from minitf.ops.linalg_solve_ops import _square
from minitf.ops.manip_ops import expand_dims
from minitf.ops.math_ops import cast, greater, multiply, truediv
from minitf.ops.norm_ops import norm
from minitf.ops.reduction_ops import reduce_max, reduce_sum
from minitf.ops.sequence_ops import where_v2

__all__ = ["matrix_rank", "pinv", "logm", "normalize", "eigh_tridiagonal"]

_COMPLEX = (dtypes.complex64, dtypes.complex128)


# -- rank and pseudo-inverse ----------------------------------------------------------------------
def _float_matrix(a):
    """TF's static checks of pinv's and matrix_rank's input."""
    if not a.dtype.is_floating:
        raise TypeError(f"Input `a` must have `float`-like `dtype` (saw {a.dtype.name}).")
    if a._shape is not None and len(a._shape) < 2:
        raise ValueError(f"Input `a` must have at least 2 dimensions (saw: {len(a._shape)}).")


def _largest_dim(a):
    """max(rows, cols) of `a` as a Python float when static, else a Tensor of a's dtype."""
    dims = None if a._shape is None else a._shape[-2:]
    if dims is not None and None not in dims:
        return float(max(dims))
    return cast(reduce_max(shape_of(a)[-2:]), a.dtype)


def matrix_rank(a, tol=None, validate_args=False, name=None):
    """Computes the rank of each innermost matrix of `a`: its count of singular values > tol.

    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.linalg.matrix_rank([[1.0, 2.0], [2.0, 4.0]])))
    1

    Args:
      a: a float Tensor of shape [..., M, N].
      tol: the threshold; default eps * max(M, N) * (the largest singular value).
      validate_args: accepted for TF's signature (the static checks always run).
      name: a name scope for the ops (default "matrix_rank").

    Returns:
      An int32 Tensor of shape [...].

    Raises:
      TypeError: `a` is not of a float dtype.
      ValueError: `a` has rank below 2.
    """
    with name_scope(name or "matrix_rank"):
        a = convert_to_tensor(a, preferred_dtype=dtypes.float32, name="a")
        _float_matrix(a)
        s = svd(a, compute_uv=False)
        if tol is None:
            eps = np.finfo(a.dtype.as_numpy_dtype).eps
            tol = multiply(eps * _largest_dim(a), reduce_max(s, axis=-1, keepdims=True))
        return reduce_sum(cast(greater(s, tol), dtypes.int32), axis=-1)


def pinv(a, rcond=None, validate_args=False, name=None):
    """Computes the Moore-Penrose pseudo-inverse of each innermost matrix of `a`, through Svd.

    Singular values up to `rcond` times the largest count as zero.

    Args:
      a: a float Tensor of shape [..., M, N].
      rcond: the relative cutoff, broadcasting against the batch dims; default
        10 * max(M, N) * eps of a's dtype.
      validate_args: accepted for TF's signature (the static checks always run).
      name: a name scope for the ops (default "pinv").

    Returns:
      A Tensor of shape [..., N, M] and a's dtype.

    Raises:
      TypeError: `a` is not of a float dtype.
      ValueError: `a` has rank below 2.
    """
    with name_scope(name or "pinv"):
        a = convert_to_tensor(a, name="a")
        _float_matrix(a)
        dtype = a.dtype.as_numpy_dtype
        if rcond is None:
            rcond = multiply(10.0 * np.finfo(dtype).eps, _largest_dim(a))
        rcond = convert_to_tensor(rcond, dtype=a.dtype, name="rcond")
        s, u, v = svd(a, full_matrices=False, compute_uv=True)
        cutoff = multiply(rcond, reduce_max(s, axis=-1))
        # small singular values become inf, so 1/s is 0 there without NaN gradients
        s = where_v2(greater(s, expand_dims(cutoff, -1)), s, np.array(np.inf, dtype))
        return matmul(truediv(v, expand_dims(s, -2)), u, adjoint_b=True)


# -- logarithm ------------------------------------------------------------------------------------
def _complex_only(input):
    if input.dtype.base_dtype not in _COMPLEX:
        raise _not_in("input", input.dtype.base_dtype, _COMPLEX)
    return input.dtype.base_dtype


@register_op("MatrixLogarithm", shape=lambda x: _square("MatrixLogarithm", x._shape),
             dtype=_complex_only)
def _logm(input):
    if input.size == 0:
        return input.copy()
    return scipy.linalg.logm(input).astype(input.dtype)


no_gradient(_logm)  # (as TF)


def logm(input, name=None):
    """Computes the principal matrix logarithm of each innermost square matrix of `input`.

    Args:
      input: a complex64 or complex128 Tensor of shape [..., M, M].
      name: a name for the operation (default "MatrixLogarithm").

    Returns:
      A Tensor of `input`'s shape and dtype.

    Raises:
      TypeError: `input` is not complex.
      ValueError: the innermost two dims differ, or the rank is below 2.
    """
    return _logm.apply([input], name=name or "MatrixLogarithm")


# -- normalize ------------------------------------------------------------------------------------
def normalize(tensor, ord="euclidean", axis=None, name=None):
    """Divides `tensor` by its norm (tf.norm's `ord` and `axis`), returning both.

    >>> normalized, n = tf.linalg.normalize([3.0, 4.0])
    >>> with tf.Session() as sess:
    ...     print(sess.run([normalized, n]))
    [array([0.6, 0.8], dtype=float32), array([5.], dtype=float32)]

    Args:
      tensor: a float or complex Tensor.
      ord: the order of the norm, as for `tf.norm`.
      axis: the axis (or axis pair for a matrix norm), as for `tf.norm`.
      name: a name scope for the ops (default "normalize").

    Returns:
      The tuple (normalized, norm): `tensor / norm`, and the norms with the reduced dims kept
      (size 1), cast to tensor's dtype.

    Raises:
      ValueError: `ord` or `axis` is not one `tf.norm` takes.
    """
    with name_scope(name, "normalize", [tensor]):
        tensor = convert_to_tensor(tensor)
        n = cast(norm(tensor, ord, axis, keepdims=True), tensor.dtype)
        return truediv(tensor, n), n


# -- eigenvalues of Hermitian tridiagonal matrices ------------------------------------------------
def _eigh_tridiagonal_shapes(alpha, beta, *lohi, compute_v, select):
    n = None if alpha._shape is None else alpha._shape[0]
    if select == "v":
        n = None  # (as many as lie in the interval)
    elif select == "i":
        bounds = [_static(b) for b in lohi]
        n = None if None in bounds else bounds[1] - bounds[0] + 1
    values = (n,)
    return [values, (alpha._shape[0] if alpha._shape else None, n) if compute_v else (0,)]


def _static(t):
    value = constant_value(t)
    return None if value is None else int(value)


def _eigh_tridiagonal_dtypes(alpha, beta, *lohi, compute_v, select):
    return [alpha.dtype.real_dtype, alpha.dtype.base_dtype if compute_v else alpha.dtype.real_dtype]


class _EmptyRange(Exception):
    pass


def _empty_range(op, exc):
    """TF's assertion on select_range, as its InvalidArgumentError."""
    if not isinstance(exc, _EmptyRange):
        return None
    return errors.InvalidArgumentError(None, op, f"assertion failed: [{exc}]")


@register_op("EighTridiagonal", shape=_eigh_tridiagonal_shapes, dtype=_eigh_tridiagonal_dtypes,
             outputs="n", differentiable=False, kernel_error=_empty_range)
def _eigh_tridiagonal(alpha, beta, *lohi, compute_v, select):
    """(minitf's op: TF builds a bisection loop.) A complex Hermitian T is D S D^H with S real
    (off-diagonal |beta|) and D diagonal phases, so S's eigenvectors times D are T's."""
    if select == "i" and lohi[0] > lohi[1]:
        raise _EmptyRange("Got empty index range in select_range.")
    if select == "v" and lohi[0] >= lohi[1]:
        raise _EmptyRange("Got empty interval in select_range.")
    real = np.real(alpha)
    magnitude = np.abs(beta)
    kwargs = {"select": select}
    if select != "a":
        kwargs["select_range"] = tuple(v.item() for v in lohi)
    if not compute_v:
        values = scipy.linalg.eigh_tridiagonal(real, magnitude, eigvals_only=True, **kwargs)
        return [values.astype(real.dtype), np.zeros((0,), real.dtype)]
    values, vectors = scipy.linalg.eigh_tridiagonal(real, magnitude, **kwargs)
    if np.iscomplexobj(beta):
        phases = np.where(magnitude == 0, 1, np.conj(beta) / np.where(magnitude == 0, 1, magnitude))
        vectors = np.cumprod(np.concatenate([[1], phases]))[:, None] * vectors
    return [values.astype(real.dtype), vectors.astype(alpha.dtype)]


def _select_range(select, select_range, dtype):
    """The bounds as op inputs."""
    if select == "a":
        return []
    if select not in ("i", "v"):
        raise ValueError("'select must have a value in {'a', 'i', 'v'}.")
    return [convert_to_tensor(b, dtype=dtypes.int32 if select == "i" else dtype)
            for b in (select_range[0], select_range[1])]


def eigh_tridiagonal(alpha, beta, eigvals_only=True, select="a", select_range=None, tol=None,
                     name=None):
    """Computes the eigenvalues (and eigenvectors) of a Hermitian tridiagonal matrix.

    Args:
      alpha: a float or complex Tensor of shape [n], the diagonal (its imaginary part is
        ignored).
      beta: a Tensor of alpha's dtype and shape [n - 1], the superdiagonal (the subdiagonal is
        its conjugate).
      eigvals_only: if False, the eigenvectors are returned too.
      select: 'a' (all), 'v' (the eigenvalues in (select_range[0], select_range[1]]) or 'i'
        (those of indices select_range[0] to select_range[1], inclusive).
      select_range: the pair of bounds for select 'v' or 'i'.
      tol: accepted for TF's signature (SciPy computes to full precision).
      name: a name scope for the ops (default "eigh_tridiagonal").

    Returns:
      The real eigenvalues in ascending order, and with `eigvals_only=False` also the matrix of
      eigenvectors (one per column). For n <= 1, TF's shortcut: real(alpha) alone.

    Raises:
      ValueError: alpha and beta differ in dtype, or `select` is not 'a', 'v' or 'i'.
    """
    with name_scope(name or "eigh_tridiagonal"):
        alpha = convert_to_tensor(alpha, name="alpha")
        n = None if alpha._shape is None else alpha._shape[0]
        if n is not None and n <= 1:
            return real(alpha)
        beta = convert_to_tensor(beta, name="beta")
        if alpha.dtype != beta.dtype:
            raise ValueError("'alpha' and 'beta' must have the same type.")
        bounds = _select_range(select, select_range, alpha.dtype.real_dtype)
        values, vectors = _eigh_tridiagonal.apply([alpha, beta, *bounds], name="EighTridiagonal",
                                                  compute_v=not eigvals_only, select=select)
        return values if eigvals_only else (values, vectors)

