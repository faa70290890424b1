"""Diagonal operators: LinearOperatorDiag and LinearOperatorScaledIdentity (everything is
element-wise on the diagonal); the identity and zeros are in identity.py."""
import numpy as np

from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant
from minitf.linear_operator import _util
from minitf.linear_operator.identity import num_rows_of
from minitf.linear_operator.linear_operator import LinearOperator
from minitf.ops.batch_matmul_ops import adjoint as _adjoint
from minitf.ops.complex_ops import conj, imag, real
from minitf.ops.linalg_ops import matrix_diag_part
from minitf.ops.manip_ops import expand_dims
from minitf.ops.math_ops import cast, log, multiply, pow as _pow, reciprocal
from minitf.ops.matrix_ops import matrix_diag, matrix_set_diag
from minitf.ops.reduction_ops import reduce_max, reduce_min, reduce_prod, reduce_sum

__all__ = ["LinearOperatorDiag", "LinearOperatorScaledIdentity"]


def _conj(x):
    return conj(x) if x.dtype.is_complex else x


def _real_log_abs(x, dtype):
    out = log(_util.modulus(x))
    return cast(out, dtype) if dtype.is_complex else out


def _hints(defaults, **given):
    return {k: (defaults[k] if v is None else v) for k, v in given.items()}


class LinearOperatorDiag(LinearOperator):
    """A batch of square diagonal matrices given by their diagonals.

    Args:
      diag: a float or complex Tensor of shape [..., N].
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints (a real
        diagonal is self-adjoint).
      name: the operator's name (default "LinearOperatorDiag").

    Raises:
      TypeError: `diag` has another dtype.
      ValueError: `diag` is a scalar, is_square is False, or a real diagonal is hinted not
        self-adjoint.
    """

    def __init__(self, diag, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorDiag"):
        parameters = dict(diag=diag, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          name=name)
        with name_scope(name, values=[diag]):
            self._diag = _util.to_tensor(diag, "diag")
            if self._diag._shape is not None and len(self._diag._shape) < 1:
                raise ValueError("Argument diag must have at least 1 dimension.  Found: "
                                 f"{self._diag}")
            if not self._diag.dtype.is_complex:
                if is_self_adjoint is False:
                    raise ValueError("A real diagonal operator is always self adjoint.")
                is_self_adjoint = True
            if is_square is False:
                raise ValueError("Only square diagonal operators currently supported.")
            super().__init__(self._diag.dtype, is_non_singular=is_non_singular,
                             is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=True,
                             name=name, parameters=parameters)

    @property
    def diag(self):
        return self._diag

    def _shape(self):
        s = self._diag._shape
        return None if s is None else tuple(s) + (s[-1],)

    def _inverse_operator(self):
        return LinearOperatorDiag(reciprocal(self._diag), is_non_singular=self.is_non_singular,
                                  is_self_adjoint=self.is_self_adjoint,
                                  is_positive_definite=self.is_positive_definite, is_square=True)

    def _adjoint_operator(self):
        return LinearOperatorDiag(_conj(self._diag), is_non_singular=self.is_non_singular,
                                  is_self_adjoint=self.is_self_adjoint,
                                  is_positive_definite=self.is_positive_definite, is_square=True)

    def _matmul_operator(self, other, left_side):
        if isinstance(other, LinearOperatorDiag):
            return LinearOperatorDiag(multiply(self._diag, other._diag),
                                      is_non_singular=_both(self, other, "is_non_singular"),
                                      is_square=True)
        return None

    def _assert_non_singular(self):
        return _util.assert_that(reduce_min(_util.modulus(self._diag)) > 0,
                                 "Singular operator:  Diagonal contained zero values.")

    def _assert_positive_definite(self):
        return _util.assert_that(reduce_min(real(self._diag)) > 0,
                                 "This diagonal operator was not positive definite.")

    def _assert_self_adjoint(self):
        if not self.dtype.is_complex:
            return _util.assert_that(True, "This diagonal operator contained non-zero "
                                     "imaginary values.")
        return _util.assert_that(reduce_max(_util.modulus(imag(self._diag))) <= 0,
                                 "This diagonal operator contained non-zero imaginary values.")

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        diagonal = _conj(self._diag) if adjoint else self._diag
        x = _adjoint(x) if adjoint_arg else x
        return multiply(expand_dims(diagonal, -1), x)

    def _matvec(self, x, adjoint=False):
        return multiply(_conj(self._diag) if adjoint else self._diag, x)

    def _determinant(self):
        return reduce_prod(self._diag, axis=[-1])

    def _log_abs_determinant(self):
        return reduce_sum(_real_log_abs(self._diag, self.dtype), axis=[-1])

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        diagonal = _conj(self._diag) if adjoint else self._diag
        rhs = _adjoint(rhs) if adjoint_arg else rhs
        return multiply(expand_dims(reciprocal(diagonal), -1), rhs)

    def _to_dense(self):
        return matrix_diag(self._diag)

    def _diag_part(self):
        return self._diag

    def _add_to_tensor(self, x):
        return matrix_set_diag(x, matrix_diag_part(x) + self._diag)

    def _eigvals(self):
        return self._diag


def _both(a, b, hint):
    return True if getattr(a, hint) and getattr(b, hint) else None


class LinearOperatorScaledIdentity(LinearOperator):
    """A batch of multiples of the [N, N] identity: multiplier[...] * I.

    Args:
      num_rows: N, a non-negative int.
      multiplier: a float or complex Tensor of shape [...] (the batch shape).
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints.
      assert_proper_shapes: accepted for TF's signature (the shapes are checked statically).
      name: the operator's name (default "LinearOperatorScaledIdentity").

    Raises:
      ValueError: is_square is False, num_rows is negative, or a real multiplier is hinted not
        self-adjoint.
    """

    def __init__(self, num_rows, multiplier, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=True, assert_proper_shapes=False,
                 name="LinearOperatorScaledIdentity"):
        parameters = dict(num_rows=num_rows, multiplier=multiplier,
                          is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          assert_proper_shapes=assert_proper_shapes, name=name)
        if is_square is False:
            raise ValueError("A ScaledIdentity operator is always square.")
        with name_scope(name, values=[multiplier, num_rows]):
            self._multiplier = _util.to_tensor(multiplier, "multiplier")
            _util.check_dtype(self._multiplier, "multiplier")
            if not self._multiplier.dtype.is_complex:
                if is_self_adjoint is False:
                    raise ValueError("A real diagonal operator is always self adjoint.")
                is_self_adjoint = True
            self._num_rows = num_rows_of(num_rows, "num_rows")
            super().__init__(self._multiplier.dtype, is_non_singular=is_non_singular,
                             is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=True,
                             name=name, parameters=parameters)

    @property
    def multiplier(self):
        return self._multiplier

    def _shape(self):
        s = self._multiplier._shape
        return None if s is None else tuple(s) + (self._num_rows, self._num_rows)

    def _scalar(self, conjugate=False, inverse=False):
        m = _conj(self._multiplier) if conjugate else self._multiplier
        return reciprocal(m) if inverse else m

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = _adjoint(x) if adjoint_arg else x
        return multiply(expand_dims(expand_dims(self._scalar(adjoint), -1), -1), x)

    def _matvec(self, x, adjoint=False):
        return multiply(expand_dims(self._scalar(adjoint), -1), x)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        rhs = _adjoint(rhs) if adjoint_arg else rhs
        return multiply(expand_dims(expand_dims(self._scalar(adjoint, True), -1), -1), rhs)

    def _determinant(self):
        return _pow(self._multiplier, _util.to_tensor(self._num_rows, "num_rows",
                                                      self.dtype))

    def _log_abs_determinant(self):
        n = float(self._num_rows)
        return multiply(_util.to_tensor(n, "n", self.dtype),
                        _real_log_abs(self._multiplier, self.dtype))

    def _trace(self):
        return multiply(_util.to_tensor(float(self._num_rows), "n", self.dtype),
                        self._multiplier)

    def _diag_part(self):
        ones = constant(np.ones(self._num_rows, self.dtype.as_numpy_dtype))
        return multiply(expand_dims(self._multiplier, -1), ones)

    def _to_dense(self):
        eye = constant(np.eye(self._num_rows, dtype=self.dtype.as_numpy_dtype))
        return multiply(expand_dims(expand_dims(self._multiplier, -1), -1), eye)

    def _add_to_tensor(self, x):
        return matrix_set_diag(x, matrix_diag_part(x) + expand_dims(self._multiplier, -1))

    def _eigvals(self):
        return self._diag_part()

    def _assert_non_singular(self):
        return _util.assert_that(reduce_min(_util.modulus(self._multiplier)) > 0,
                                 "LinearOperator was singular")

    def _assert_positive_definite(self):
        return _util.assert_that(reduce_min(real(self._multiplier)) > 0,
                                 "LinearOperator was not positive definite.")

    def _inverse_operator(self):
        return LinearOperatorScaledIdentity(self._num_rows, reciprocal(self._multiplier),
                                            is_non_singular=self.is_non_singular,
                                            is_self_adjoint=True, is_positive_definite=(
                                                self.is_positive_definite))

    def _adjoint_operator(self):
        return LinearOperatorScaledIdentity(self._num_rows, _conj(self._multiplier),
                                            is_non_singular=self.is_non_singular)

    def _matmul_operator(self, other, left_side):
        if isinstance(other, LinearOperatorScaledIdentity):
            return LinearOperatorScaledIdentity(self._num_rows,
                                                multiply(self._multiplier, other._multiplier))
        return None
