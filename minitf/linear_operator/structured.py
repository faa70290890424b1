"""Structured square operators: LinearOperatorToeplitz, LinearOperatorTridiag,
LinearOperatorHouseholder, LinearOperatorPermutation and LinearOperatorLowRankUpdate.

Each acts through its structure where TF does (tridiagonal solves, reflections, row
gathers); Toeplitz and the low-rank update go through their dense matrices (TF solves a
Toeplitz system densely too). Static matrix sizes are needed.
"""
import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant, constant_value, convert_to_tensor
from minitf.linear_operator import _util
from minitf.linear_operator.linear_operator import LinearOperator
from minitf.ops.batch_matmul_ops import matmul
from minitf.ops.complex_ops import conj
from minitf.ops.linalg_solve_ops import matrix_determinant
from minitf.ops.linalg_tridiagonal_ops import (
    _adjoint_diagonals,
    _from_matrix,
    _from_sequence,
    tridiagonal_matmul,
    tridiagonal_solve,
)
from minitf.ops.manip_ops import broadcast_to, concat, expand_dims, gather, one_hot, stack
from minitf.ops.math_ops import cast, equal, multiply, subtract, truediv
from minitf.ops.reduction_ops import reduce_sum
from minitf.ops.sort_ops import reverse

__all__ = ["LinearOperatorToeplitz", "LinearOperatorTridiag", "LinearOperatorHouseholder",
           "LinearOperatorPermutation", "LinearOperatorLowRankUpdate"]


def _conj(x):
    return conj(x) if x.dtype.is_complex else x


def _at_least_1d(t, name):
    if t._shape is not None and len(t._shape) < 1:
        raise ValueError(f"Argument {name} must have at least 1 dimension.  Found: {t}")


def _size(t):
    n = None if t._shape is None else t._shape[-1]
    if n is None:
        raise ValueError(f"minitf's structured operators need the static size of {t.name}.")
    return n


class _Dense(LinearOperator):
    """An operator whose products go through its dense matrix (`_to_dense`)."""

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return matmul(self._to_dense(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)


class LinearOperatorToeplitz(_Dense):
    """Square Toeplitz matrices, constant along each diagonal.

    They are given by the first column `col` and the first row `row` (col[..., 0] is the
    diagonal; row[..., 0] is ignored).

    Args:
      col, row: float or complex Tensors of shape [..., N].
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints.
      name: the operator's name (default "LinearOperatorToeplitz").

    Raises:
      ValueError: is_square is False, a rank is below 1, or the sizes differ.
    """

    def __init__(self, col, row, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorToeplitz"):
        parameters = dict(col=col, row=row, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          name=name)
        with name_scope(name, values=[row, col]):
            self._row = _util.to_tensor(row, "row")
            self._col = _util.to_tensor(col, "col")
            _util.check_dtype(self._row, "row")
            if is_square is False:
                raise ValueError("Only square Toeplitz operators currently supported.")
            _at_least_1d(self._row, "row")
            _at_least_1d(self._col, "col")
            if _size(self._row) != _size(self._col):
                raise ValueError("Expected square matrix, got row and col with mismatched "
                                 "dimensions.")
            super().__init__(self._row.dtype, is_non_singular=is_non_singular,
                             is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=True,
                             name=name, parameters=parameters)

    @property
    def col(self):
        return self._col

    @property
    def row(self):
        return self._row

    def _shape(self):
        batch = _util.broadcast_batch(self._row._shape[:-1], self._col._shape[:-1])
        n = _size(self._row)
        return None if batch is None else batch + (n, n)

    def _to_dense(self):
        n = _size(self._row)
        batch = list(self._shape()[:-2])
        row = broadcast_to(self._row, batch + [n]) if batch else self._row
        col = broadcast_to(self._col, batch + [n]) if batch else self._col
        # elements = reversed col then row[1:]: entry (i, j) is elements[n - 1 - i + j]
        elements = concat([reverse(col, [-1]), row[..., 1:]], -1)
        indices = (n - 1) - np.arange(n)[:, None] + np.arange(n)[None, :]
        return gather(elements, indices.astype(np.int32), axis=-1)


def _compact(diagonals, diagonals_format):
    if diagonals_format == "compact":
        return convert_to_tensor(diagonals, name="diagonals")
    if diagonals_format == "sequence":
        return stack(_from_sequence(diagonals), axis=-2)
    return stack(_from_matrix(diagonals), axis=-2)


class LinearOperatorTridiag(LinearOperator):
    """Square tridiagonal matrices given by their three diagonals.

    See tf.linalg.tridiagonal_matmul for the 'compact', 'sequence' and 'matrix' formats.

    Args:
      diagonals: the diagonals in `diagonals_format`.
      diagonals_format: 'compact' (default), 'matrix' or 'sequence'.
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints.
      name: the operator's name (default "LinearOperatorTridiag").

    Raises:
      ValueError: an unknown format, or is_square is False.
    """

    def __init__(self, diagonals, diagonals_format="compact", is_non_singular=None,
                 is_self_adjoint=None, is_positive_definite=None, is_square=None,
                 name="LinearOperatorTridiag"):
        parameters = dict(diagonals=diagonals, diagonals_format=diagonals_format,
                          is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          name=name)
        if diagonals_format not in ("compact", "matrix", "sequence"):
            raise ValueError("Argument `diagonals_format` must be one of compact, matrix, or "
                             f"sequence. Received : {diagonals_format}.")
        if is_square is False:
            raise ValueError("Only square tridiagonal operators currently supported.")
        with name_scope(name, values=[diagonals]):
            self._diagonals_format = diagonals_format
            self._diagonals = diagonals
            self._compact = _compact(diagonals, diagonals_format)
            _util.check_dtype(self._compact, "diagonals")
            super().__init__(self._compact.dtype, is_non_singular=is_non_singular,
                             is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=True,
                             name=name, parameters=parameters)

    @property
    def diagonals(self):
        return self._diagonals

    @property
    def diagonals_format(self):
        return self._diagonals_format

    def _shape(self):
        s = self._compact._shape
        return None if s is None else tuple(s[:-2]) + (s[-1], s[-1])

    def _adjoint_compact(self):
        parts = _adjoint_diagonals(*(self._compact[..., i, :] for i in range(3)))
        return stack(parts, axis=-2)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        diagonals = self._adjoint_compact() if adjoint else self._compact
        return tridiagonal_matmul(diagonals, _util.maybe_adjoint(x, adjoint_arg))

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        diagonals = self._adjoint_compact() if adjoint else self._compact
        rhs = _util.maybe_adjoint(rhs, adjoint_arg)
        batch = _util.broadcast_batch(self._shape()[:-2], rhs._shape[:-2])
        if batch is not None and tuple(rhs._shape[:-2]) != batch:  # (not a vector per system)
            rhs = broadcast_to(rhs, batch + tuple(rhs._shape[-2:]))
        return tridiagonal_solve(diagonals, rhs)

    def _diag_part(self):
        return self._compact[..., 1, :]

    def _to_dense(self):
        n = self._shape()[-1]
        eye = constant(np.eye(n, dtype=self.dtype.as_numpy_dtype))
        return tridiagonal_matmul(self._compact, eye)


class LinearOperatorHouseholder(LinearOperator):
    """Householder reflections H = I - 2 v v^H / (v^H v) of the axis v.

    H reflects about the hyperplane orthogonal to `reflection_axis` v; it is self-adjoint,
    its own inverse, of determinant -1.

    Args:
      reflection_axis: a float or complex Tensor of shape [..., N].
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints
        (self-adjoint must not be False, positive definite not True).
      name: the operator's name (default "LinearOperatorHouseholder").

    Raises:
      ValueError: a hint contradicts a reflection, or reflection_axis is a scalar.
    """

    def __init__(self, reflection_axis, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorHouseholder"):
        parameters = dict(reflection_axis=reflection_axis, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          name=name)
        with name_scope(name, values=[reflection_axis]):
            self._axis = _util.to_tensor(reflection_axis, "reflection_axis")
            _util.check_dtype(self._axis, "reflection_axis")
            if is_self_adjoint is False:
                raise ValueError("A Householder operator is always self adjoint.")
            if is_positive_definite is True:
                raise ValueError("A Householder operator is always non-positive definite.")
            if is_square is False:
                raise ValueError("A Householder operator is always square.")
            _at_least_1d(self._axis, "reflection_axis")
            super().__init__(self._axis.dtype, is_non_singular=is_non_singular,
                             is_self_adjoint=True, is_positive_definite=False,
                             is_square=True, name=name, parameters=parameters)

    @property
    def reflection_axis(self):
        return self._axis

    def _shape(self):
        s = self._axis._shape
        return None if s is None else tuple(s) + (s[-1],)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        # x - 2 v (v^H x) / (v^H v)
        x = _util.maybe_adjoint(x, adjoint_arg)
        v = expand_dims(self._axis, -1)
        norm = reduce_sum(multiply(_conj(self._axis), self._axis), axis=-1)
        projection = matmul(v, x, adjoint_a=True)
        scale = expand_dims(expand_dims(truediv(2.0, norm), -1), -1)
        return subtract(x, multiply(scale, matmul(v, projection)))

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._matmul(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _ones(self, shape, value=1.0):
        return constant(np.full(shape, value, self.dtype.as_numpy_dtype))

    def _determinant(self):
        return self._ones(self._shape()[:-2], -1.0)

    def _log_abs_determinant(self):
        return self._ones(self._shape()[:-2], 0.0)

    def _trace(self):
        return self._ones(self._shape()[:-2], self._shape()[-1] - 2.0)

    def _eigvals(self):
        n = self._shape()[-1]
        values = np.ones(self._shape()[:-1], self.dtype.as_numpy_dtype)
        values[..., 0] = -1
        return constant(values) if n else self._ones(self._shape()[:-1])

    def _assert_positive_definite(self):
        raise errors.InvalidArgumentError(None, None, "Householder operators are always "
                                          "non-positive definite.")

    def _inverse_operator(self):
        return self


class LinearOperatorPermutation(LinearOperator):
    """Permutation matrices P with (P @ x)[..., i, :] = x[..., perm[i], :].

    Args:
      perm: an integer Tensor of shape [..., N], a permutation of 0..N-1 in its last dim.
      dtype: the operator's dtype (default float32).
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints.
      name: the operator's name (default "LinearOperatorPermutation").

    Raises:
      TypeError: perm is not of an integer dtype.
      ValueError: perm is a scalar or (statically) not a permutation, or a hint contradicts.
    """

    def __init__(self, perm, dtype=dtypes.float32, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorPermutation"):
        parameters = dict(perm=perm, dtype=dtype, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          name=name)
        with name_scope(name, values=[perm]):
            self._perm = _util.to_tensor(perm, "perm")
            if is_non_singular is False:
                raise ValueError("A Permutation operator is always non-singular. Expected "
                                 f"argument `is_non_singular` to be True. Received: "
                                 f"{is_non_singular}.")
            if is_square is False:
                raise ValueError("A Permutation operator is always square. Expected argument "
                                 f"`is_square` to be True. Received: {is_square}.")
            self._check_perm()
            super().__init__(dtype, is_non_singular=is_non_singular,
                             is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=True,
                             name=name, parameters=parameters)

    def _check_perm(self):
        perm = self._perm
        if perm._shape is not None and len(perm._shape) < 1:
            raise ValueError(f"Argument `perm` must have at least 1 dimension. Received: {perm}.")
        if not perm.dtype.is_integer:
            raise TypeError(f"Argument `perm` must be integer dtype. Received: {perm}.")
        value = constant_value(perm)
        if value is not None:
            n = value.shape[-1]
            if np.any(np.sort(value, axis=-1) != np.arange(n)):
                raise ValueError(f"Argument `perm` must be a vector of unique integers from "
                                 f"0 to {n - 1}.")

    @property
    def perm(self):
        return self._perm

    def _shape(self):
        s = self._perm._shape
        return None if s is None else tuple(s) + (s[-1],)

    def _to_dense(self):
        return one_hot(self._perm, self._shape()[-1], dtype=self.dtype)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return matmul(self._to_dense(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._matmul(rhs, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _determinant(self):
        # the sign of the permutation: (-1) ** (N - number of cycles), from the dense matrix
        return matrix_determinant(self._to_dense())

    def _log_abs_determinant(self):
        return constant(np.zeros(self._shape()[:-2], self.dtype.as_numpy_dtype))

    def _trace(self):
        n = self._shape()[-1]
        identity = np.arange(n).astype(self._perm.dtype.as_numpy_dtype)
        return reduce_sum(cast(equal(self._perm, identity), self.dtype), axis=-1)


class LinearOperatorLowRankUpdate(_Dense):
    """A = L + U D V^H: an operator L plus a low-rank update (V defaults to U, D to I).

    Args:
      base_operator: L, a square LinearOperator [..., M, M].
      u: a Tensor [..., M, K] of L's dtype.
      diag_update: the diagonal of D, a Tensor [..., K] (default: ones).
      v: a Tensor [..., M, K] (default: u).
      is_diag_update_positive: hint that D's diagonal is positive.
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints.
      name: the operator's name (default "LinearOperatorLowRankUpdate").

    Raises:
      ValueError: the hints contradict each other or what the arguments imply.
    """

    def __init__(self, base_operator, u, diag_update=None, v=None, is_diag_update_positive=None,
                 is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=None, name="LinearOperatorLowRankUpdate"):
        parameters = dict(base_operator=base_operator, u=u, diag_update=diag_update, v=v,
                          is_diag_update_positive=is_diag_update_positive,
                          is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          name=name)
        dtype = base_operator.dtype
        if diag_update is None:
            if is_diag_update_positive is False:
                raise ValueError("Default diagonal is the identity, which is positive.  However, "
                                 "user set 'is_diag_update_positive' to False.")
            is_diag_update_positive = True
        use_cholesky = bool(base_operator.is_positive_definite and base_operator.is_self_adjoint
                            and is_diag_update_positive and v is None)
        if base_operator.is_self_adjoint and v is None and not dtype.is_complex:
            if is_self_adjoint is False:
                raise ValueError("A = L + UDU^H, with L self-adjoint and D real diagonal.  Since"
                                 " UDU^H is self-adjoint, this must be a self-adjoint operator.")
            is_self_adjoint = True
        if use_cholesky:
            if False in (is_positive_definite, is_self_adjoint, is_non_singular):
                raise ValueError("Arguments imply this is self-adjoint positive-definite "
                                 "operator.")
            is_positive_definite = is_self_adjoint = True
        with name_scope(name):
            self._u = _util.to_tensor(u, "u")
            self._v = self._u if v is None else _util.to_tensor(v, "v")
            self._diag_update = (None if diag_update is None
                                 else _util.to_tensor(diag_update, "diag_update"))
            self._base_operator = base_operator
            self._is_diag_update_positive = is_diag_update_positive
            super().__init__(dtype, is_non_singular=is_non_singular,
                             is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=is_square,
                             name=name, parameters=parameters)

    @property
    def u(self):
        return self._u

    @property
    def v(self):
        return self._v

    @property
    def diag_update(self):
        return self._diag_update

    @property
    def is_diag_update_positive(self):
        return self._is_diag_update_positive

    @property
    def base_operator(self):
        return self._base_operator

    def _shape(self):
        base = self._base_operator.shape
        batch = _util.broadcast_batch(tuple(base.as_list()[:-2]), self._u._shape[:-2],
                                      self._v._shape[:-2])
        return None if batch is None else batch + tuple(base.as_list()[-2:])

    def _to_dense(self):
        u = self._u
        if self._diag_update is not None:
            u = multiply(u, expand_dims(self._diag_update, -2))
        return self._base_operator.to_dense() + matmul(u, self._v, adjoint_b=True)
