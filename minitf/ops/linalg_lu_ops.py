"""LU factorisation with partial pivoting (the Lu op, SciPy's batched LAPACK getrf) and what
TF builds on it: lu_solve, lu_matrix_inverse and lu_reconstruct.

TF's packed layout: `lower_upper = L + U - I` (L unit lower triangular) and `perm` with
`input[perm] == L @ U`, i.e. P @ L @ U = input for P with `perm = argmax(P)`. As in TF, Lu
itself has no gradient; the functions built on it are
compositions of differentiable ops, so they have gradients by lower_upper and rhs.

Rows are permuted through one-hot matrices (`one_hot(perm) @ x`) rather than TF's batched
gather_nd, so the three functions need the static matrix size.
"""
import collections

import numpy as np
import scipy.linalg

from minitf.framework import dtypes, errors
from minitf.framework.api import control_dependencies, name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops._shared import fmt
from minitf.ops.array_ops import identity, ones_like, rank
from minitf.ops.batch_matmul_ops import matmul
from minitf.ops.debug_ops import Assert
from minitf.ops.linalg_ops import matrix_diag_part
from minitf.ops.linalg_solve_ops import _failure, _square, matrix_triangular_solve
from minitf.ops.manip_ops import one_hot
from minitf.ops.math_ops import greater_equal
from minitf.ops.matrix_ops import matrix_band_part, matrix_set_diag

__all__ = ["lu", "lu_solve", "lu_matrix_inverse", "lu_reconstruct"]

Lu = collections.namedtuple("Lu", ["lu", "p"])  # (TF's output tuple)
_LU_TYPES = (dtypes.float64, dtypes.float32, dtypes.float16, dtypes.complex64, dtypes.complex128)
_INDEX_TYPES = (dtypes.int32, dtypes.int64)


def _not_in(parameter, dtype, allowed):
    names = ", ".join(t.name for t in allowed)
    return TypeError(f"Value passed to parameter '{parameter}' has DataType "
                     f"{dtype.name} not in list of allowed values: {names}")


def _lu_dtypes(input, *, output_idx_type):
    if input.dtype.base_dtype not in _LU_TYPES:
        raise _not_in("input", input.dtype.base_dtype, _LU_TYPES)
    if output_idx_type not in _INDEX_TYPES:
        raise _not_in("output_idx_type", output_idx_type, _INDEX_TYPES)
    return [input.dtype.base_dtype, output_idx_type]


def _lu_shapes(input, *, output_idx_type):
    shape = _square("Lu", input._shape)
    return [None, None] if shape is None else [shape, shape[:-1]]


class _NoHalfKernel(Exception):
    pass


def _lu_error(op, exc):
    """LAPACK's failure and a float16 input (TF registers no float16 kernel) as TF's errors."""
    if isinstance(exc, _NoHalfKernel):
        return errors.InvalidArgumentError(
            None, op, "No OpKernel was registered to support Op 'Lu' used by "
            f"{{{{node {op.name}}}}} with these attrs: [T=DT_HALF, output_idx_type="
            f"DT_{op.get_attr('output_idx_type').name.upper()}]")
    return _failure("Input is not invertible.")(op, exc)


# (no gradient, as TF; differentiable=False rather than TF's LookupError, because
# tf.gradients by `lower_upper` itself would otherwise reach it)
@register_op("Lu", shape=_lu_shapes, dtype=_lu_dtypes, outputs="n", differentiable=False,
             kernel_error=_lu_error)
def _lu(input, *, output_idx_type):
    if input.dtype == np.float16:
        raise _NoHalfKernel()
    index_type = output_idx_type.as_numpy_dtype
    if input.size == 0:
        return [input.copy(), np.zeros(input.shape[:-1], index_type)]
    rows, lower, upper = scipy.linalg.lu(input, p_indices=True)  # input[i] = (L @ U)[rows[i]]
    if np.any(np.diagonal(upper, axis1=-2, axis2=-1) == 0):  # (TF: an exactly zero pivot)
        raise np.linalg.LinAlgError("singular")
    packed = (np.tril(lower, -1) + upper).astype(input.dtype)
    return [packed, np.argsort(rows, axis=-1, kind="stable").astype(index_type)]


def lu(input, output_idx_type=dtypes.int32, name=None):
    """Computes the LU decomposition of each innermost square matrix of `input`.

    `lu` packs L (unit lower triangular, its unit diagonal left out) and U (upper triangular)
    into one matrix; `p` is the row permutation with `input[..., p, :] == L @ U`.

    >>> lower_upper, perm = tf.linalg.lu([[1.0, 2.0], [3.0, 4.0]])
    >>> with tf.Session() as sess:
    ...     print(sess.run(perm))
    [1 0]

    Args:
      input: a float16, float32, float64, complex64 or complex128 Tensor of shape [..., M, M].
      output_idx_type: the dtype of `p`, int32 (the default) or int64.
      name: a name for the operation (default "Lu").

    Returns:
      The named tuple Lu(lu, p): `lu` of `input`'s shape and dtype, `p` of shape [..., M].

    Raises:
      TypeError: a dtype is not allowed.
      ValueError: the innermost two dims differ, or the rank is below 2.
      minitf.errors.InvalidArgumentError: at run time, a pivot is exactly zero (TF's "Input is
        not invertible.").
    """
    output_idx_type = dtypes.as_dtype(output_idx_type)
    return Lu(*_lu.apply([input], name=name or "Lu", output_idx_type=output_idx_type))


# -- the compositions -----------------------------------------------------------------------------
def _checks(lower_upper, perm, validate_args):
    """TF's static checks of a factorisation (ValueError), and the run-time ones it adds with
    validate_args where the static shapes cannot tell."""
    shape, perm_shape = lower_upper._shape, perm._shape
    message = "Input `lower_upper` must have at least 2 dimensions."
    if shape is not None and len(shape) < 2:
        raise ValueError(message)
    if shape is not None and perm_shape is not None and len(shape) != len(perm_shape) + 1:
        raise ValueError("`rank(lower_upper)` must equal `rank(perm) + 1`")
    if shape is not None and None not in shape[-2:] and shape[-2] != shape[-1]:
        raise ValueError("`lower_upper` must be square.")
    if shape is None and validate_args:
        return [Assert(greater_equal(rank(lower_upper), 2), [message])]
    return []


def _size(lower_upper, what):
    n = None if lower_upper._shape is None else lower_upper._shape[-1]
    if n is None:
        raise ValueError(f"minitf's {what} needs the static matrix size of `lower_upper`, not "
                         f"{fmt(lower_upper._shape)}.")
    return n


def _inputs(lower_upper, perm):
    lower_upper = convert_to_tensor(lower_upper, preferred_dtype=dtypes.float32, name="lower_upper")
    perm = convert_to_tensor(perm, preferred_dtype=dtypes.int32, name="perm")
    return lower_upper, perm


def _after(assertions, *tensors):
    if not assertions:
        return tensors
    with control_dependencies(assertions):
        return tuple(identity(t) for t in tensors)


def _factors(lower_upper, perm, validate_args, what):
    """The checked (lower_upper, perm) and the static matrix size, for `what`."""
    lower_upper, perm = _inputs(lower_upper, perm)
    lower_upper, perm = _after(_checks(lower_upper, perm, validate_args), lower_upper, perm)
    return lower_upper, perm, _size(lower_upper, what)


def _unit_lower(lower_upper):
    """L: the strict lower triangle of lower_upper with ones on the diagonal."""
    lower = matrix_band_part(lower_upper, -1, 0)
    return matrix_set_diag(lower, ones_like(matrix_diag_part(lower_upper)))


def lu_solve(lower_upper, perm, rhs, validate_args=False, name=None):
    """Solves A @ X = rhs given the LU factorisation (lower_upper, perm) of A from `lu`.

    The batch dims of `perm` (and `lower_upper`) and of `rhs` broadcast.

    Args:
      lower_upper: `lu`'s first output, a Tensor of shape [..., M, M].
      perm: `lu`'s second output, an int Tensor of shape [..., M].
      rhs: a Tensor of `lower_upper`'s dtype and shape [..., M, K].
      validate_args: whether to add run-time checks where the static shapes cannot tell.
      name: a name scope for the ops (default "lu_solve").

    Returns:
      X, a Tensor of shape [..., M, K].

    Raises:
      ValueError: the ranks or sizes do not fit (TF's messages), or the matrix size is not
        static.
    """
    with name_scope(name or "lu_solve"):
        lower_upper, perm = _inputs(lower_upper, perm)
        rhs = convert_to_tensor(rhs, preferred_dtype=lower_upper.dtype, name="rhs")
        assertions = _checks(lower_upper, perm, validate_args)
        if rhs._shape is not None and len(rhs._shape) < 2:
            raise ValueError("Input `rhs` must have at least 2 dimensions.")
        n = _size(lower_upper, "lu_solve")
        if rhs._shape is not None and rhs._shape[-2] not in (None, n):
            raise ValueError("`lower_upper.shape[-1]` must equal `rhs.shape[-1]`.")
        lower_upper, perm, rhs = _after(assertions, lower_upper, perm, rhs)
        permuted = matmul(one_hot(perm, n, dtype=lower_upper.dtype), rhs)  # rhs[..., perm, :]
        y = matrix_triangular_solve(_unit_lower(lower_upper), permuted)
        return matrix_triangular_solve(lower_upper, y, lower=False)  # (reads the upper part)


def lu_matrix_inverse(lower_upper, perm, validate_args=False, name=None):
    """Computes the inverse of A given its LU factorisation (lower_upper, perm) from `lu`.

    Args:
      lower_upper: `lu`'s first output, a Tensor of shape [..., M, M].
      perm: `lu`'s second output, an int Tensor of shape [..., M].
      validate_args: whether to add run-time checks where the static shapes cannot tell.
      name: a name scope for the ops (default "lu_matrix_inverse").

    Returns:
      A Tensor of `lower_upper`'s shape and dtype.

    Raises:
      ValueError: the ranks or sizes do not fit, or the matrix size is not static.
    """
    with name_scope(name or "lu_matrix_inverse"):
        lower_upper, perm, n = _factors(lower_upper, perm, validate_args, "lu_matrix_inverse")
        eye = convert_to_tensor(np.eye(n, dtype=lower_upper.dtype.as_numpy_dtype), name="eye")
        return lu_solve(lower_upper, perm, eye, validate_args=False)


def lu_reconstruct(lower_upper, perm, validate_args=False, name=None):
    """Rebuilds the matrices that `lu` factorised: P @ L @ U.

    >>> x = [[3.0, 4.0], [1.0, 2.0]]
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.linalg.lu_reconstruct(*tf.linalg.lu(x))))
    [[3. 4.]
     [1. 2.]]

    Args:
      lower_upper: `lu`'s first output, a Tensor of shape [..., M, M].
      perm: `lu`'s second output, an int Tensor of shape [..., M].
      validate_args: whether to add run-time checks where the static shapes cannot tell.
      name: a name scope for the ops (default "lu_reconstruct").

    Returns:
      A Tensor of `lower_upper`'s shape and dtype.

    Raises:
      ValueError: the ranks or sizes do not fit, or the matrix size is not static.
    """
    with name_scope(name or "lu_reconstruct"):
        lower_upper, perm, n = _factors(lower_upper, perm, validate_args, "lu_reconstruct")
        product = matmul(_unit_lower(lower_upper), matrix_band_part(lower_upper, 0, -1))
        # row perm[i] of the input is row i of L @ U
        return matmul(one_hot(perm, n, dtype=lower_upper.dtype), product, transpose_a=True)
