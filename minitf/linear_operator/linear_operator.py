"""tf.linalg.LinearOperator: a batch of matrices known by how they act (matmul, solve,
determinant, ...) rather than by their entries, built on minitf's ops so that gradients and
Sessions work as with any Tensor.

A subclass implements `_shape`, `_matmul` and whatever it can do better than the dense
defaults here (`_solve`, `_determinant`, ...); the public methods add TF's name scopes
(`<operator name>/<method>`), argument checks and hint checks.
"""
import contextlib

import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant, convert_to_tensor
from minitf.framework.tensor_shape import TensorShape
from minitf.linear_operator import _algebra, _util
from minitf.ops.array_ops import shape as _shape_op
from minitf.ops.batch_matmul_ops import adjoint as _adjoint
from minitf.ops.linalg_decomp_ops import self_adjoint_eigvals, svd
from minitf.ops.linalg_ops import matrix_diag_part
from minitf.ops.linalg_solve_ops import (
    cholesky,
    cholesky_solve,
    log_matrix_determinant,
    matrix_determinant,
)
from minitf.ops.manip_ops import expand_dims, squeeze
from minitf.ops.math_ops import add, exp, log, multiply, truediv
from minitf.ops.reduction_ops import reduce_max, reduce_min, reduce_sum

__all__ = ["LinearOperator"]


class LinearOperator:
    """Base class of the operators that act like a batch of [M, N] matrices.

    Subclasses define the matrix by its action; the `is_*` hints promise properties (a hint
    of True enables faster paths, one of False refuses what it rules out) and must agree with
    each other.

    Args:
      dtype: the dtype of the matrix entries (and of matmul's and solve's arguments).
      graph_parents: deprecated, ignored.
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints (None:
        unknown).
      name: the name scope of the operator's ops (default: the class name).
      parameters: the constructor's arguments, for `parameters`.

    Raises:
      ValueError: the hints contradict each other.
    """

    def __init__(self, dtype, graph_parents=None, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None, parameters=None):
        if is_positive_definite:
            if is_non_singular is False:
                raise ValueError("A positive definite matrix is always non-singular.")
            is_non_singular = True
        if is_non_singular:
            if is_square is False:
                raise ValueError("A non-singular matrix is always square.")
            is_square = True
        if is_self_adjoint:
            if is_square is False:
                raise ValueError("A self-adjoint matrix is always square.")
            is_square = True
        self._is_square_set_or_implied_by_hints = is_square
        self._dtype = None if dtype is None else dtypes.as_dtype(dtype).base_dtype
        self._is_non_singular = is_non_singular
        self._is_self_adjoint = is_self_adjoint
        self._is_positive_definite = is_positive_definite
        self._name = name or type(self).__name__
        self._graph_parents = list(graph_parents or [])
        self._parameters = dict(parameters or {})

    @contextlib.contextmanager
    def _name_scope(self, name=None):
        """`<operator name>/<name>`, made unique as TF's name scopes are."""
        with name_scope(self.name + ("/" + name if name else "")) as scope:
            yield scope

    # -- properties --------------------------------------------------------------------------------
    @property
    def parameters(self):
        """The constructor's arguments, as a dict."""
        return dict(self._parameters)

    @property
    def dtype(self):
        return self._dtype

    @property
    def name(self):
        return self._name

    @property
    def graph_parents(self):
        """(Deprecated) the graph parents given to the constructor."""
        return self._graph_parents

    @property
    def is_non_singular(self):
        return self._is_non_singular

    @property
    def is_self_adjoint(self):
        return self._is_self_adjoint

    @property
    def is_positive_definite(self):
        return self._is_positive_definite

    @property
    def is_square(self):
        """Whether the matrices are square: the hint, else what the static shape says."""
        auto = self.domain_dimension == self.range_dimension
        if self._is_square_set_or_implied_by_hints is False and auto:
            raise ValueError("User set is_square hint to False, but the operator was square.")
        if self._is_square_set_or_implied_by_hints is None:
            return auto
        return self._is_square_set_or_implied_by_hints

    @property
    def shape(self):
        """The static TensorShape [B1, ..., Bb, M, N]."""
        return TensorShape(self._shape())

    @property
    def batch_shape(self):
        return self.shape[:-2]

    @property
    def tensor_rank(self):
        """The static rank (an int), or None."""
        return self.shape.ndims

    @property
    def domain_dimension(self):
        """N, the static number of columns (a Dimension)."""
        return self.shape[-1] if self.shape.ndims is not None else TensorShape([None])[0]

    @property
    def range_dimension(self):
        """M, the static number of rows (a Dimension)."""
        return self.shape[-2] if self.shape.ndims is not None else TensorShape([None])[0]

    @property
    def H(self):
        """The adjoint operator (`adjoint()`)."""
        return self.adjoint()

    # -- shapes as tensors -------------------------------------------------------------------------
    def shape_tensor(self, name="shape_tensor"):
        """The shape as an int32 Tensor.

        Args:
          name: the name scope of the ops.

        Returns:
          A 1-D int32 Tensor [B1, ..., Bb, M, N].
        """
        with self._name_scope(name):
            if self.shape.is_fully_defined():
                return constant(self.shape.as_list(), dtypes.int32)
            return self._shape_tensor()

    def _shape_tensor(self):
        raise NotImplementedError(f"{type(self).__name__} needs a static shape in minitf.")

    def batch_shape_tensor(self, name="batch_shape_tensor"):
        """The batch shape as an int32 Tensor.

        Args:
          name: the name scope of the ops.
        """
        with self._name_scope(name):
            if self.batch_shape.is_fully_defined():
                return constant(self.batch_shape.as_list(), dtypes.int32, name="batch_shape")
            return self.shape_tensor()[:-2]

    def tensor_rank_tensor(self, name="tensor_rank_tensor"):
        """The rank as an int32 scalar Tensor.

        Args:
          name: the name scope of the ops.
        """
        with self._name_scope(name):
            if self.tensor_rank is not None:
                return constant(self.tensor_rank, dtypes.int32)
            return _shape_op(self.shape_tensor())[0]

    def domain_dimension_tensor(self, name="domain_dimension_tensor"):
        """N, the number of columns, as an int32 scalar Tensor.

        Args:
          name: the name scope of the ops.
        """
        with self._name_scope(name):
            return self._dimension_tensor(self.domain_dimension, -1)

    def range_dimension_tensor(self, name="range_dimension_tensor"):
        """M, the number of rows, as an int32 scalar Tensor.

        Args:
          name: the name scope of the ops.
        """
        with self._name_scope(name):
            return self._dimension_tensor(self.range_dimension, -2)

    def _dimension_tensor(self, dimension, axis):
        """The static `dimension` as a Const, else shape_tensor()[axis]."""
        size = _util.static_int(dimension)
        return constant(size, dtypes.int32) if size is not None else self.shape_tensor()[axis]

    # -- assertions --------------------------------------------------------------------------------
    def assert_non_singular(self, name="assert_non_singular"):
        """An op that fails at run time if the matrices are (numerically) singular.

        Args:
          name: the name scope of the ops.

        Returns:
          The Assert op (None in eager mode, where it checks at once).
        """
        with self._name_scope(name):
            return self._assert_non_singular()

    def _assert_non_singular(self):
        if self._can_use_cholesky():
            return self.assert_positive_definite()
        s = svd(self.to_dense(), compute_uv=False)
        cond = truediv(reduce_max(s, axis=-1), reduce_min(s, axis=-1))
        dims = [_util.static_int(self.range_dimension), _util.static_int(self.domain_dimension)]
        eps = np.finfo(self.dtype.real_dtype.as_numpy_dtype).eps
        limit = 1.0 / (max([100.0] + [d for d in dims if d is not None]) * eps)
        return _util.assert_that(reduce_max(cond) < limit, "Singular matrix up to precision "
                                 "epsilon.")

    def assert_positive_definite(self, name="assert_positive_definite"):
        """An op that fails at run time if a (self-adjoint) matrix is not positive definite.

        Args:
          name: the name scope of the ops.

        Returns:
          The Assert op (None in eager mode).
        """
        with self._name_scope(name):
            return self._assert_positive_definite()

    def _assert_positive_definite(self):
        if self.is_self_adjoint:
            diagonal = matrix_diag_part(cholesky(self.to_dense()))
            return _util.assert_that(reduce_min(_util.modulus(diagonal)) > 0,
                                     "Matrix was not positive definite.")
        raise NotImplementedError("assert_positive_definite is not implemented.")

    def assert_self_adjoint(self, name="assert_self_adjoint"):
        """An op that fails at run time if the matrices differ from their adjoints.

        Args:
          name: the name scope of the ops.

        Returns:
          The Assert op (None in eager mode).
        """
        with self._name_scope(name):
            dense = self.to_dense()
            equal = reduce_max(_util.modulus(dense - _adjoint(dense))) <= 0
            return _util.assert_that(equal, "Matrix was not equal to its adjoint.")

    # -- checks ------------------------------------------------------------------------------------
    def _check_input_dtype(self, arg):
        if arg.dtype.base_dtype != self.dtype:
            raise TypeError(f"Expected argument to have dtype {_util.dtype_text(self.dtype)}.  "
                            f"Found: {_util.dtype_text(arg.dtype)} in tensor {arg}")

    def _can_use_cholesky(self):
        return bool(self.is_self_adjoint and self.is_positive_definite)

    def _checked_input(self, x, name, own_axis, x_axis):
        """x as a Tensor of this operator's dtype whose dim `x_axis` fits dim `own_axis` of the
        operator (TypeError, ValueError)."""
        x = convert_to_tensor(x, name=name)
        self._check_input_dtype(x)
        TensorShape(self._shape())[own_axis].assert_is_compatible_with(
            _util.static_shape(x)[x_axis])
        return x

    def _check_operator_dims(self, other, adjoint, adjoint_arg):
        left = self.adjoint() if adjoint else self
        right = other.adjoint() if adjoint_arg else other
        if not right.range_dimension.is_compatible_with(left.domain_dimension):
            raise ValueError(f"Operators are incompatible. Expected `x` to have dimension "
                             f"{left.domain_dimension} but got {right.range_dimension}.")
        return left, right

    # -- products ----------------------------------------------------------------------------------
    def matmul(self, x, adjoint=False, adjoint_arg=False, name="matmul"):
        """Computes (this operator, or its adjoint) @ x (or x's adjoint).

        Args:
          x: a Tensor of shape [..., N, R] and this operator's dtype, or a LinearOperator
            (the result is then an operator, their composition where nothing simpler is known).
          adjoint: use this operator's adjoint.
          adjoint_arg: use x's adjoint (its innermost two dims swapped and conjugated).
          name: the name scope of the ops.

        Returns:
          A Tensor of shape [..., M, R] (a LinearOperator for an operator x).

        Raises:
          TypeError: x's dtype differs.
          ValueError: the dims do not fit.
        """
        if isinstance(x, LinearOperator):
            left, right = self._check_operator_dims(x, adjoint, adjoint_arg)
            with self._name_scope(name):
                return _algebra.matmul(left, right)
        with self._name_scope(name):
            x = self._checked_input(x, "x", -2 if adjoint else -1, -1 if adjoint_arg else -2)
            return self._matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def __matmul__(self, other):
        return self.matmul(other)

    def _matvec(self, x, adjoint=False):
        return squeeze(self.matmul(expand_dims(x, -1), adjoint=adjoint), [-1])

    def matvec(self, x, adjoint=False, name="matvec"):
        """Computes (this operator, or its adjoint) @ x for vectors x of shape [..., N].

        Args:
          x: a Tensor [..., N] of this operator's dtype.
          adjoint: use this operator's adjoint.
          name: the name scope of the ops.

        Returns:
          A Tensor [..., M].

        Raises:
          TypeError: x's dtype differs.
          ValueError: the dims do not fit.
        """
        with self._name_scope(name):
            x = self._checked_input(x, "x", -2 if adjoint else -1, -1)
            return self._matvec(x, adjoint=adjoint)

    def to_dense(self, name="to_dense"):
        """The matrices as a Tensor of shape [..., M, N].

        Args:
          name: the name scope of the ops.

        Returns:
          A Tensor of the operator's dtype.
        """
        with self._name_scope(name):
            return self._to_dense()

    def _to_dense(self):
        n = _util.static_int(self.domain_dimension)
        eye = convert_to_tensor(np.eye(n, dtype=self.dtype.as_numpy_dtype))
        return self.matmul(eye)

    def diag_part(self, name="diag_part"):
        """The diagonals, shape [..., min(M, N)].

        Args:
          name: the name scope of the ops.

        Returns:
          A Tensor of the operator's dtype.
        """
        with self._name_scope(name):
            return self._diag_part()

    def _diag_part(self):
        return matrix_diag_part(self.to_dense())

    def trace(self, name="trace"):
        """The traces, shape [...].

        Args:
          name: the name scope of the ops.

        Returns:
          A Tensor of the operator's dtype.
        """
        with self._name_scope(name):
            return self._trace()

    def _trace(self):
        return reduce_sum(self.diag_part(), axis=-1)

    def add_to_tensor(self, x, name="add_to_tensor"):
        """Computes the dense matrices plus x.

        Args:
          x: a Tensor [..., M, N] of the operator's dtype.
          name: the name scope of the ops.

        Returns:
          A Tensor [..., M, N].

        Raises:
          TypeError: x's dtype differs.
        """
        with self._name_scope(name):
            x = convert_to_tensor(x, name="x")
            self._check_input_dtype(x)
            return self._add_to_tensor(x)

    def _add_to_tensor(self, x):
        return add(self.to_dense(), x)

    # -- determinants ------------------------------------------------------------------------------
    def _square_only(self, what):
        if self.is_square is False:
            raise NotImplementedError(f"{what} not implemented for an operator that is expected "
                                      "to not be square.")

    def determinant(self, name="det"):
        """The determinants, shape [...].

        Args:
          name: the name scope of the ops.

        Raises:
          NotImplementedError: the operator is not square.
        """
        self._square_only("Determinant")
        with self._name_scope(name):
            return self._determinant()

    def _determinant(self):
        if self._can_use_cholesky():
            return exp(self.log_abs_determinant())
        return matrix_determinant(self.to_dense())

    def log_abs_determinant(self, name="log_abs_det"):
        """The logs of the absolute determinants, shape [...].

        Args:
          name: the name scope of the ops.

        Raises:
          NotImplementedError: the operator is not square.
        """
        self._square_only("Determinant")
        with self._name_scope(name):
            return self._log_abs_determinant()

    def _log_abs_determinant(self):
        if self._can_use_cholesky():
            diagonal = matrix_diag_part(cholesky(self.to_dense()))
            return multiply(2.0, reduce_sum(log(diagonal), axis=[-1]))
        return log_matrix_determinant(self.to_dense())[1]

    # -- solves ------------------------------------------------------------------------------------
    def _solvable(self):
        if self.is_non_singular is False:
            raise NotImplementedError("Exact solve not implemented for an operator that is "
                                      "expected to be singular.")
        if self.is_square is False:
            raise NotImplementedError("Exact solve not implemented for an operator that is "
                                      "expected to not be square.")

    def solve(self, rhs, adjoint=False, adjoint_arg=False, name="solve"):
        """Solves (this operator, or its adjoint) @ X = rhs (or rhs's adjoint).

        Args:
          rhs: a Tensor [..., M, R] of this operator's dtype, or a LinearOperator.
          adjoint: solve with the adjoint.
          adjoint_arg: use rhs's adjoint.
          name: the name scope of the ops.

        Returns:
          X, a Tensor [..., N, R] (a LinearOperator for an operator rhs).

        Raises:
          NotImplementedError: the operator is expected to be singular or not square.
          TypeError, ValueError: rhs's dtype or dims do not fit.
        """
        self._solvable()
        if isinstance(rhs, LinearOperator):
            left, right = self._check_operator_dims(rhs, adjoint, adjoint_arg)
            with self._name_scope(name):
                return _algebra.solve(left, right)
        with self._name_scope(name):
            rhs = self._checked_input(rhs, "rhs", -1 if adjoint else -2,
                                      -1 if adjoint_arg else -2)
            return self._solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        rhs = _util.maybe_adjoint(rhs, adjoint_arg)
        if self._can_use_cholesky():
            return cholesky_solve(cholesky(self.to_dense()), rhs)
        return _util.matrix_solve_with_broadcast(self.to_dense(), rhs, adjoint=adjoint)

    def solvevec(self, rhs, adjoint=False, name="solve"):
        """Solves (this operator, or its adjoint) @ x = rhs for vectors rhs [..., M].

        Args:
          rhs: a Tensor [..., M] of this operator's dtype.
          adjoint: solve with the adjoint.
          name: the name scope of the ops.

        Returns:
          x, a Tensor [..., N].

        Raises:
          NotImplementedError: the operator is expected to be singular or not square.
        """
        self._solvable()
        with self._name_scope(name):
            rhs = self._checked_input(rhs, "rhs", -1 if adjoint else -2, -1)
            return self._solvevec(rhs, adjoint=adjoint)

    def _solvevec(self, rhs, adjoint=False):
        return squeeze(self.solve(expand_dims(rhs, -1), adjoint=adjoint), [-1])

    # -- derived operators -------------------------------------------------------------------------
    def adjoint(self, name="adjoint"):
        """The adjoint operator: this one if it is self-adjoint.

        Args:
          name: the name scope of the ops.

        Returns:
          A LinearOperator.
        """
        if self.is_self_adjoint is True:
            return self
        with self._name_scope(name):
            return _algebra.adjoint(self)

    def inverse(self, name="inverse"):
        """The inverse operator.

        Args:
          name: the name scope of the ops.

        Raises:
          ValueError: the operator is expected to be singular or not square.
        """
        if self.is_square is False:
            raise ValueError("Cannot take the Inverse: This operator represents a non square "
                             "matrix.")
        if self.is_non_singular is False:
            raise ValueError("Cannot take the Inverse: This operator represents a singular "
                             "matrix.")
        with self._name_scope(name):
            return _algebra.inverse(self)

    def cholesky(self, name="cholesky"):
        """The Cholesky factor, a lower triangular operator.

        Args:
          name: the name scope of the ops.

        Raises:
          ValueError: the operator is not hinted self-adjoint and positive definite.
        """
        if not self._can_use_cholesky():
            raise ValueError("Cannot take the Cholesky decomposition: Not a positive definite "
                             "self adjoint matrix.")
        with self._name_scope(name):
            return _algebra.cholesky(self)

    # -- spectra -----------------------------------------------------------------------------------
    def eigvals(self, name="eigvals"):
        """The eigenvalues of self-adjoint matrices, shape [..., N].

        Args:
          name: the name scope of the ops.

        Raises:
          NotImplementedError: the operator is not hinted self-adjoint.
        """
        if not self.is_self_adjoint:
            raise NotImplementedError("Only self-adjoint matrices are supported.")
        with self._name_scope(name):
            return self._eigvals()

    def _eigvals(self):
        return self_adjoint_eigvals(self.to_dense())

    def cond(self, name="cond"):
        """The condition numbers: largest over smallest singular value, shape [...].

        Args:
          name: the name scope of the ops.

        Returns:
          A real Tensor.
        """
        with self._name_scope(name):
            if self.is_self_adjoint:
                values = _util.modulus(self.eigvals())
            else:
                values = svd(self.to_dense(), compute_uv=False)
            return truediv(reduce_max(values, axis=-1), reduce_min(values, axis=-1))

    # -- the operator algebra (minitf/linear_operator/_algebra.py): None means "no shortcut" -------
    def _adjoint_operator(self):
        return None

    def _inverse_operator(self):
        return None

    def _matmul_operator(self, other, left_side):
        return None

    def _cholesky_operator(self):
        return None
