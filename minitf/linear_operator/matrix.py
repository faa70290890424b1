"""The operators stored as matrices: LinearOperatorFullMatrix and
LinearOperatorLowerTriangular."""
from minitf.framework.api import name_scope
from minitf.linear_operator import _algebra, _util
from minitf.linear_operator.linear_operator import LinearOperator
from minitf.ops.batch_matmul_ops import matmul
from minitf.ops.linalg_ops import matrix_diag_part
from minitf.ops.linalg_solve_ops import matrix_triangular_solve
from minitf.ops.math_ops import log
from minitf.ops.matrix_ops import matrix_band_part
from minitf.ops.reduction_ops import reduce_min, reduce_prod, reduce_sum

__all__ = ["LinearOperatorFullMatrix", "LinearOperatorLowerTriangular"]


class LinearOperatorFullMatrix(LinearOperator):
    """A batch of [M, N] matrices given by their entries.

    >>> operator = tf.linalg.LinearOperatorFullMatrix([[4.0, 1.0], [1.0, 3.0]])
    >>> with tf.Session() as sess:
    ...     print(sess.run(operator.matvec([1.0, 2.0])))
    [6. 7.]

    Args:
      matrix: a float or complex Tensor of shape [..., M, N].
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints.
      name: the operator's name (default "LinearOperatorFullMatrix").

    Raises:
      TypeError: `matrix` has another dtype.
      ValueError: `matrix` has rank below 2, or the hints contradict each other.
    """

    def __init__(self, matrix, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorFullMatrix"):
        parameters = dict(matrix=matrix, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          name=name)
        with name_scope(name, values=[matrix]):
            self._matrix = _util.to_tensor(matrix, "matrix")
            _util.check_dtype(self._matrix, "matrix")
            _util.check_rank_at_least(self._matrix, "matrix", 2)
            super().__init__(self._matrix.dtype, is_non_singular=is_non_singular,
                             is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=is_square,
                             name=name, parameters=parameters)

    def _shape(self):
        return self._matrix._shape

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return matmul(self._matrix, x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _to_dense(self):
        return self._matrix


class LinearOperatorLowerTriangular(LinearOperator):
    """A batch of square lower triangular matrices (the upper triangle of `tril` is ignored).

    Args:
      tril: a float or complex Tensor of shape [..., N, N].
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints.
      name: the operator's name (default "LinearOperatorLowerTriangular").

    Raises:
      TypeError: `tril` has another dtype.
      ValueError: `is_square` is False, `tril` has rank below 2, or the hints contradict.
    """

    def __init__(self, tril, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorLowerTriangular"):
        parameters = dict(tril=tril, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          name=name)
        if is_square is False:
            raise ValueError("Only square lower triangular operators supported at this time.")
        with name_scope(name, values=[tril]):
            self._tril = _util.to_tensor(tril, "tril")
            _util.check_dtype(self._tril, "tril")
            _util.check_rank_at_least(self._tril, "tril", 2)
            super().__init__(self._tril.dtype, is_non_singular=is_non_singular,
                             is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=True,
                             name=name, parameters=parameters)

    def _shape(self):
        return self._tril._shape

    def _get_tril(self):
        return matrix_band_part(self._tril, -1, 0)

    def _get_diag(self):
        return matrix_diag_part(self._tril)

    def _assert_non_singular(self):
        return _util.assert_that(reduce_min(_util.modulus(self._get_diag())) > 0,
                                 "Singular operator:  Diagonal contained zero values.")

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return matmul(self._get_tril(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _determinant(self):
        return reduce_prod(self._get_diag(), axis=[-1])

    def _log_abs_determinant(self):
        return reduce_sum(log(_util.modulus(self._get_diag())), axis=[-1])

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        rhs = _util.maybe_adjoint(rhs, adjoint_arg)
        tril, rhs = _util.broadcast_matrix_batch_dims(self._get_tril(), rhs)
        return matrix_triangular_solve(tril, rhs, lower=True, adjoint=adjoint)

    def _to_dense(self):
        return self._get_tril()

    def _diag_part(self):
        return self._get_diag()

    def _eigvals(self):
        return self._get_diag()


_algebra.register(lower_triangular=LinearOperatorLowerTriangular)
