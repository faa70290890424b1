"""Tridiagonal systems: the TridiagonalMatMul and TridiagonalSolve ops with TF's gradients, and
tf.linalg.tridiagonal_matmul / tridiagonal_solve with their three diagonal formats.

'compact': one Tensor [..., 3, M] of (superdiagonal, diagonal, subdiagonal), the superdiagonal's
last and the subdiagonal's first entry unused; 'sequence': the three as a list; 'matrix': the
square matrices [..., M, M] (entries off the three diagonals ignored).

The solve follows TF's CPU kernel: Gaussian elimination with row interchanges as LAPACK's gtsv
(or the Thomas algorithm without pivoting), vectorised over the batch and the right-hand sides,
a loop over the rows; a singular system gives NaN, as TF.
"""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops._shared import broadcast_shape, fmt, shape_of
from minitf.ops.complex_ops import conj
from minitf.ops.linalg_ops import matrix_diag_part
from minitf.ops.manip_ops import _sum_to_shape, expand_dims, pad, squeeze, stack
from minitf.ops.math_ops import _allowed, multiply, negative
from minitf.ops.matrix_ops import matrix_transpose
from minitf.ops.reduction_ops import reduce_sum

__all__ = ["tridiagonal_matmul", "tridiagonal_solve"]

_TYPES = (dtypes.float32, dtypes.float64, dtypes.complex64, dtypes.complex128)


def _shift_up(v):
    """v[..., i + 1] at i, 0 at the end (along the last axis)."""
    return pad(v[..., 1:], [[0, 0]] * (_rank(v) - 1) + [[0, 1]])


def _shift_down(v):
    """v[..., i - 1] at i, 0 at the start."""
    return pad(v[..., :-1], [[0, 0]] * (_rank(v) - 1) + [[1, 0]])


def _rank(t):
    if t._shape is None:
        raise ValueError(f"minitf's tridiagonal gradients need the static rank of {t.name}.")
    return len(t._shape)


# -- product --------------------------------------------------------------------------------------
def _result_shape(op_type, diag_shape, rhs_shape, shapes):
    """[broadcast batch dims, M, R]: the shape rule of the product and the solve; `shapes`
    (all the inputs' shapes) are for the error message."""
    m, m2 = diag_shape[-1], rhs_shape[-2]
    if None not in (m, m2) and m != m2:
        raise ValueError(f"Dimensions must be equal, but are {m} and {m2} for '{op_type}' with "
                         f"input shapes: {', '.join(fmt(s) for s in shapes)}.")
    return broadcast_shape(diag_shape[:-2], rhs_shape[:-2], op_type) + rhs_shape[-2:]


def _matmul_shape(superdiag, maindiag, subdiag, rhs):
    shapes = [t._shape for t in (superdiag, maindiag, subdiag, rhs)]
    if None in shapes:
        return None
    return _result_shape("TridiagonalMatMul", maindiag._shape, rhs._shape, shapes)


@register_op("TridiagonalMatMul", shape=_matmul_shape, dtype=_allowed(_TYPES))
def _tridiagonal_matmul(superdiag, maindiag, subdiag, rhs):
    # row i: sub[i] x[i-1] + main[i] x[i] + super[i] x[i+1]; the diagonals are [..., 1, M]
    columns = [np.swapaxes(d, -1, -2) for d in (superdiag, maindiag, subdiag)]
    out = columns[1] * rhs
    out[..., :-1, :] += columns[0][..., :-1, :] * rhs[..., 1:, :]
    out[..., 1:, :] += columns[2][..., 1:, :] * rhs[..., :-1, :]
    return out


@_tridiagonal_matmul.gradient
def _tridiagonal_matmul_grad(op, grad):
    superdiag, maindiag, subdiag, rhs = op.inputs
    x = conj(rhs)
    # d(row i)/d(super[i]) = x[i+1], .../d(sub[i]) = x[i-1]; the unused corners get 0
    grad_super = _row_sum(multiply(grad, _shift_up_rows(x)))
    grad_main = _row_sum(multiply(grad, x))
    grad_sub = _row_sum(multiply(grad, _shift_down_rows(x)))
    # rhs: the adjoint tridiagonal matrix times grad
    adj_super, adj_main, adj_sub = _adjoint_diagonals(superdiag, maindiag, subdiag)
    grad_rhs = _tridiagonal_matmul.apply([adj_super, adj_main, adj_sub, grad],
                                         name="TridiagonalMatMul")
    grads = [grad_super, grad_main, grad_sub, grad_rhs]
    return [_sum_to_shape.apply([g, shape_of(t)], name="SumToShape")  # (broadcast batch dims)
            for g, t in zip(grads, op.inputs)]


def _row_sum(products):
    """[..., M, K] -> [..., 1, M]: the sum over the right-hand sides, as a row."""
    return expand_dims(reduce_sum(products, axis=-1), -2)


def _shift_up_rows(x):
    return matrix_transpose(_shift_up(matrix_transpose(x)))


def _shift_down_rows(x):
    return matrix_transpose(_shift_down(matrix_transpose(x)))


def _adjoint_diagonals(superdiag, maindiag, subdiag):
    """The diagonals of the adjoint matrix: super'[i] = conj(sub[i+1]), sub'[i] =
    conj(super[i-1])."""
    return (_shift_up(conj(subdiag)), conj(maindiag), _shift_down(conj(superdiag)))


# -- solve ----------------------------------------------------------------------------------------
def _solve_shape(diagonals, rhs, *, partial_pivoting, perturb_singular):
    if diagonals._shape is None or rhs._shape is None:
        return None
    return _result_shape("TridiagonalSolve", diagonals._shape, rhs._shape,
                         [diagonals._shape, rhs._shape])


@register_op("TridiagonalSolve", shape=_solve_shape, dtype=_allowed(_TYPES))
def _tridiagonal_solve(diagonals, rhs, *, partial_pivoting, perturb_singular):
    if diagonals.shape[-1] == 0:
        return np.zeros(np.broadcast_shapes(diagonals.shape[:-2], rhs.shape[:-2]) + rhs.shape[-2:],
                        rhs.dtype)
    batch = np.broadcast_shapes(diagonals.shape[:-2], rhs.shape[:-2])
    diagonals = np.broadcast_to(diagonals, batch + diagonals.shape[-2:])
    rhs = np.broadcast_to(rhs, batch + rhs.shape[-2:])
    superdiag, maindiag, subdiag = (diagonals[..., i, :] for i in range(3))
    with np.errstate(divide="ignore", invalid="ignore"):
        if not partial_pivoting:
            return _thomas(superdiag, maindiag, subdiag, rhs)
        return _gtsv(superdiag, maindiag, subdiag, rhs, perturb_singular)


def _nan_where(x, bad):
    """NaN for the whole solution of each system with a zero pivot (TF's kernel)."""
    return np.where(bad[..., None, None], np.nan, x).astype(x.dtype)


def _thomas(superdiag, maindiag, subdiag, rhs):
    n = maindiag.shape[-1]
    u = np.zeros_like(maindiag)
    x = np.array(rhs, copy=True)
    bad = maindiag[..., 0] == 0
    u[..., 0] = superdiag[..., 0] / maindiag[..., 0]
    x[..., 0, :] = rhs[..., 0, :] / maindiag[..., 0, None]
    for i in range(1, n):
        denom = maindiag[..., i] - subdiag[..., i] * u[..., i - 1]
        bad |= denom == 0
        u[..., i] = superdiag[..., i] / denom
        previous = subdiag[..., i, None] * x[..., i - 1, :]
        x[..., i, :] = (rhs[..., i, :] - previous) / denom[..., None]
    for i in range(n - 2, -1, -1):
        x[..., i, :] -= u[..., i, None] * x[..., i + 1, :]
    return _nan_where(x, bad)


def _gtsv(superdiag, maindiag, subdiag, rhs, perturb):
    """Row-interchanging elimination (LAPACK's gtsv; with `perturb`, TF's scaled pivoting of
    LAPACK's lagtf); u holds U's three diagonals."""
    n = maindiag.shape[-1]
    u = np.zeros(maindiag.shape + (3,), maindiag.dtype)
    u[..., 0, 0], u[..., 0, 1] = maindiag[..., 0], superdiag[..., 0]
    x = np.array(rhs, copy=True)
    bad = np.zeros(maindiag.shape[:-1], bool)
    scale = np.abs(maindiag[..., 0]) + np.abs(superdiag[..., 0])
    first = np.maximum(np.abs(maindiag[..., 0]), np.abs(superdiag[..., 0]))
    for i in range(n - 1):
        last = i == n - 2
        sub, pivot = subdiag[..., i + 1], u[..., i, 0]
        if perturb:
            next_scale = np.abs(sub) + np.abs(maindiag[..., i + 1])
            if not last:
                next_scale = next_scale + np.abs(superdiag[..., i + 1])
            scaled = np.where(pivot == 0, 0, np.abs(pivot) / np.where(scale == 0, 1, scale))
            swap = (sub != 0) & (np.abs(sub) / next_scale > scaled)
            scale = np.where(swap, scale, next_scale)
        else:
            swap = np.abs(pivot) < np.abs(sub)
        bad |= ~swap & (pivot == 0)
        _eliminate(u, x, rhs, i, superdiag, maindiag, subdiag, last, swap)
    bad |= u[..., n - 1, 0] == 0
    if perturb:
        return _back_substitute(u, x, _perturbation(u, n, first))
    return _nan_where(_back_substitute(u, x, None), bad)


def _eliminate(u, x, rhs, i, superdiag, maindiag, subdiag, last, swap):
    """Step i in place: rows i and i+1 interchanged where `swap`."""
    sub, d0, d1, next_main = subdiag[..., i + 1], u[..., i, 0], u[..., i, 1], maindiag[..., i + 1]
    keep_factor = np.where(sub == 0, 0, sub / d0)  # (nothing to eliminate below a 0)
    swap_factor = d0 / sub
    xi, next_rhs = x[..., i, :].copy(), rhs[..., i + 1, :]
    u[..., i + 1, 0] = np.where(swap, d1 - swap_factor * next_main, next_main - keep_factor * d1)
    u[..., i, 0] = np.where(swap, sub, d0)
    u[..., i, 1] = np.where(swap, next_main, d1)
    if not last:
        next_super = superdiag[..., i + 1]
        u[..., i, 2] = np.where(swap, next_super, 0)
        u[..., i + 1, 1] = np.where(swap, -swap_factor * next_super, next_super)
    x[..., i, :] = np.where(swap[..., None], next_rhs, xi)
    x[..., i + 1, :] = np.where(swap[..., None], xi - swap_factor[..., None] * next_rhs,
                                next_rhs - keep_factor[..., None] * xi)


def _back_substitute(u, x, tol):
    n = u.shape[-2]
    for i in range(n - 1, -1, -1):
        row = x[..., i, :].copy()
        if i < n - 1:
            row -= u[..., i, 1, None] * x[..., i + 1, :]
        if i < n - 2:
            row -= u[..., i, 2, None] * x[..., i + 2, :]
        pivot = u[..., i, 0]
        if tol is not None:
            pivot, row = _perturbed_pivot(tol, pivot, row)
        x[..., i, :] = row / pivot[..., None]
    return x


def _perturbation(u, n, first):
    """TF's eps * max|U|: the first row as given, U's rows but the last two after elimination,
    and its last pivot (TF's kernel leaves the next-to-last row out)."""
    largest = np.maximum(first, np.abs(u[..., n - 1, 0]))
    if n > 2:
        largest = np.maximum(largest, np.abs(u[..., : n - 2, :]).max(axis=(-1, -2)))
    return np.finfo(np.abs(u).dtype).eps * largest


def _perturbed_pivot(tol, pivot, row):
    """Pivots below 1 in magnitude grow by tol (doubling) until 1 / pivot and row / pivot cannot
    overflow, as LAPACK's xLAGTS (TF's MaybePerturbPivot)."""
    real = np.abs(pivot).dtype.type
    safemin = max(np.finfo(real).tiny, (1 + np.finfo(real).eps) / np.finfo(real).max)
    bignum = 1 / safemin
    pivot, row = pivot.copy(), row.copy()
    step = np.copysign(np.maximum(tol, safemin), np.real(pivot)).astype(real)
    largest = np.abs(row).max(axis=-1) if row.shape[-1] else np.zeros(pivot.shape, real)
    active = np.abs(pivot) < 1
    while active.any():
        size = np.abs(pivot)
        tiny = size < safemin
        grow = active & ((tiny & ((size == 0) | (largest * safemin > size)))
                         | (~tiny & (largest > size * bignum)))
        scale = active & tiny & ~grow
        pivot = np.where(grow, pivot + step, np.where(scale, pivot * bignum, pivot))
        row = np.where(scale[..., None], row * bignum, row)
        step = np.where(grow, step * 2, step)
        active = grow & (np.abs(pivot) < 1)
    return pivot, row


@_tridiagonal_solve.gradient
def _tridiagonal_solve_grad(op, grad):
    diagonals, rhs = op.inputs
    # (TF's gradient: the transpose, not the adjoint, and x unconjugated, for complex too)
    x = op.outputs[0]
    superdiag, maindiag, subdiag = (diagonals[..., i, :] for i in range(3))
    transposed = stack([_shift_up(subdiag), maindiag, _shift_down(superdiag)], axis=-2)
    grad_rhs = _tridiagonal_solve.apply([transposed, grad], name="TridiagonalSolve",
                                        **op._attrs)
    # d x / d A = -A^-1 (dA) x: the diagonals' entries pair grad_rhs rows with x rows
    parts = [_sums(grad_rhs, _shift_up_rows(x)), _sums(grad_rhs, x),
             _sums(grad_rhs, _shift_down_rows(x))]
    grad_diagonals = negative(stack(parts, axis=-2))
    return [_sum_to_shape.apply([grad_diagonals, shape_of(diagonals)], name="SumToShape"),
            _sum_to_shape.apply([grad_rhs, shape_of(rhs)], name="SumToShape")]


def _sums(a, b):
    return reduce_sum(multiply(a, b), axis=-1)


# -- the public functions -------------------------------------------------------------------------
def _pad_last(t, before, after):
    return pad(t, [[0, 0]] * (_rank(t) - 1) + [[before, after]])


def _from_sequence(diagonals):
    """(super, main, sub) of shape [..., M] (super and sub may have M - 1 entries)."""
    if not isinstance(diagonals, (tuple, list)) or len(diagonals) != 3:
        raise ValueError("Expected diagonals to be a sequence of length 3.")
    superdiag, maindiag, subdiag = [convert_to_tensor(d) for d in diagonals]
    m = maindiag._shape[-1] if maindiag._shape else None
    padded = []
    for t, name, before in ((superdiag, "superdiagonal", 0), (subdiag, "subdiagonal", 1)):
        n = t._shape[-1] if t._shape else None
        if n and m and n == m - 1:
            t = _pad_last(t, before, 1 - before)
        elif n and m and n != m:
            raise ValueError(f"Expected {name} to be have length {m} or {m - 1}, got {n}.")
        padded.append(t)
    return padded[0], maindiag, padded[1]


def _from_matrix(matrix):
    matrix = convert_to_tensor(matrix)
    m1, m2 = (None, None) if matrix._shape is None else matrix._shape[-2:][::-1]
    if m1 and m2 and m1 != m2:
        raise ValueError(f"Expected last two dimensions of diagonals to be same, got {m1} and "
                         f"{m2}")
    superdiag = _pad_last(matrix_diag_part(matrix[..., :-1, 1:]), 0, 1)
    subdiag = _pad_last(matrix_diag_part(matrix[..., 1:, :-1]), 1, 0)
    return superdiag, matrix_diag_part(matrix), subdiag


def _three(diagonals, diagonals_format):
    if diagonals_format == "compact":
        diagonals = convert_to_tensor(diagonals)
        return tuple(diagonals[..., i, :] for i in range(3))
    if diagonals_format == "sequence":
        return _from_sequence(diagonals)
    if diagonals_format == "matrix":
        return _from_matrix(diagonals)
    raise ValueError(f"Unrecognized diagonals_format: {diagonals_format}")


def tridiagonal_matmul(diagonals, rhs, diagonals_format="compact", name=None):
    """Multiplies tridiagonal matrices by matrices: A @ rhs.

    >>> diagonals = [[1.0, 1.0, 0.0], [2.0, 2.0, 2.0], [0.0, 1.0, 1.0]]
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.linalg.tridiagonal_matmul(diagonals, [[1.0], [1.0], [1.0]])))
    [[3.]
     [4.]
     [3.]]

    Args:
      diagonals: the tridiagonal matrices in `diagonals_format` (see the module docstring),
        float32, float64, complex64 or complex128.
      rhs: a Tensor of the same dtype and shape [..., M, N].
      diagonals_format: 'compact' (default), 'sequence' or 'matrix'.
      name: a name for the operation (default "TridiagonalMatMul").

    Returns:
      A Tensor of shape [..., M, N].

    Raises:
      ValueError: an unknown format, or shapes that do not fit.
    """
    parts = [expand_dims(d, -2) for d in _three(diagonals, diagonals_format)]
    return _tridiagonal_matmul.apply([*parts, rhs], name=name or "TridiagonalMatMul")


def tridiagonal_solve(diagonals, rhs, diagonals_format="compact", transpose_rhs=False,
                      conjugate_rhs=False, name=None, partial_pivoting=True,
                      perturb_singular=False):
    """Solves tridiagonal systems A @ x = rhs.

    Args:
      diagonals: the tridiagonal matrices in `diagonals_format` (see the module docstring),
        float32, float64, complex64 or complex128.
      rhs: a Tensor of shape [..., M, K] or [..., M] (one right-hand side).
      diagonals_format: 'compact' (default), 'sequence' or 'matrix'.
      transpose_rhs: solve for the transpose of rhs ([..., K, M]) instead (ignored for a
        vector rhs).
      conjugate_rhs: conjugate rhs first.
      name: a name for the operation (default "TridiagonalSolve").
      partial_pivoting: whether to interchange rows (more stable); without, the Thomas
        algorithm.
      perturb_singular: nudge zero and tiny pivots (eps * max|U|) instead of giving NaN;
        needs partial_pivoting.

    Returns:
      x, of rhs's shape (its transpose with transpose_rhs); NaN for a singular system.

    Raises:
      ValueError: an unknown format, shapes or ranks that do not fit, or perturb_singular
        without partial_pivoting.
    """
    if perturb_singular and not partial_pivoting:
        raise ValueError("partial_pivoting must be True if perturb_singular is.")
    if diagonals_format != "compact":
        diagonals = stack(_three(diagonals, diagonals_format), axis=-2)
    diagonals, rhs = convert_to_tensor(diagonals), convert_to_tensor(rhs)
    vector = _check_solve_ranks(diagonals, rhs)
    if vector:
        rhs = expand_dims(conj(rhs) if conjugate_rhs else rhs, -1)
    elif transpose_rhs:
        rhs = matrix_transpose(rhs, conjugate=conjugate_rhs)
    elif conjugate_rhs:
        rhs = conj(rhs)
    m, m2 = (None if t._shape is None else t._shape[i] for t, i in ((diagonals, -1), (rhs, -2)))
    if m and m2 and m != m2:
        raise ValueError("Expected number of left-hand sided and right-hand sides to be equal, "
                         f"got {m} and {m2}")
    x = _tridiagonal_solve.apply([diagonals, rhs], name=name or "TridiagonalSolve",
                                 partial_pivoting=partial_pivoting,
                                 perturb_singular=perturb_singular)
    return squeeze(x, [-1]) if vector else x


def _check_solve_ranks(diagonals, rhs):
    """TF's static checks; returns whether rhs is one vector per system."""
    d, r = diagonals._shape, rhs._shape
    if d is not None:
        if len(d) < 2:
            raise ValueError(f"Expected diagonals to have rank at least 2, got {len(d)}")
        if r is not None and len(r) not in (len(d), len(d) - 1):
            raise ValueError(f"Expected the rank of rhs to be {len(d) - 1} or {len(d)}, got "
                             f"{len(r)}")
        if r is not None and not _compatible(d[:-2], r[:len(d) - 2]):
            raise ValueError(f"Batch shapes {_tuple(d[:-2])} and {_tuple(r[:len(d) - 2])} are "
                             "incompatible")
        if d[-2] is not None and d[-2] != 3:
            raise ValueError(f"Expected 3 diagonals got {d[-2]}")
    return d is not None and r is not None and len(r) == len(d) - 1


def _compatible(a, b):
    return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))


def _tuple(shape):
    """TF's TensorShape text: (2,), (None, 3)."""
    return str(tuple(shape))
