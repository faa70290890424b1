"""Operators with nothing stored: LinearOperatorIdentity and LinearOperatorZeros."""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant, constant_value
from minitf.linear_operator import _util
from minitf.linear_operator.linear_operator import LinearOperator
from minitf.ops.batch_matmul_ops import adjoint as _adjoint
from minitf.ops.linalg_ops import matrix_diag_part
from minitf.ops.manip_ops import broadcast_to
from minitf.ops.matrix_ops import matrix_set_diag

__all__ = ["LinearOperatorIdentity", "LinearOperatorZeros"]


def num_rows_of(value, name):
    """A static, non-negative size argument (TF's ValueError otherwise)."""
    n = _util.static_int(value)
    if n is None:
        raise ValueError(f"minitf needs a static Argument `{name}`.")
    if n < 0:
        raise ValueError(f"Argument {name} must be non-negative.  Found: {n}")
    return n


def _batch(batch_shape):
    if batch_shape is None:
        return ()
    value = _util.to_tensor(batch_shape, "batch_shape", dtypes.int32)
    static = constant_value(value)
    if static is None:
        raise ValueError("minitf needs a static Argument `batch_shape`.")
    if np.ndim(static) != 1:
        raise ValueError(f"Argument `batch_shape` must be a 1-D Tensor. Received: {value}.")
    if np.any(static < 0):
        raise ValueError(f"Argument batch_shape must be non-negative.  Found:{static}")
    return tuple(int(d) for d in static)


class LinearOperatorIdentity(LinearOperator):
    """A batch of [N, N] identity matrices (nothing is stored).

    Args:
      num_rows: N, a non-negative int.
      batch_shape: an optional list of ints: the batch shape.
      dtype: the dtype (default float32).
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: must be True.
      assert_proper_shapes: accepted for TF's signature.
      name: the operator's name (default "LinearOperatorIdentity").

    Raises:
      ValueError: a hint is False, or num_rows / batch_shape are negative.
    """

    def __init__(self, num_rows, batch_shape=None, dtype=None, is_non_singular=True,
                 is_self_adjoint=True, is_positive_definite=True, is_square=True,
                 assert_proper_shapes=False, name="LinearOperatorIdentity"):
        parameters = dict(num_rows=num_rows, batch_shape=batch_shape, dtype=dtype,
                          is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          assert_proper_shapes=assert_proper_shapes, name=name)
        dtype = dtypes.as_dtype(dtype or dtypes.float32)
        for hint, word in ((is_self_adjoint, "self adjoint"), (is_non_singular, "non-singular"),
                           (is_positive_definite, "positive-definite"), (is_square, "square")):
            if not hint:
                raise ValueError(f"An identity operator is always {word}.")
        with name_scope(name, values=[num_rows]):
            self._num_rows = num_rows_of(num_rows, "num_rows")
            self._batch_shape = _batch(batch_shape)
            super().__init__(dtype, is_non_singular=True, is_self_adjoint=True,
                             is_positive_definite=True, is_square=True, name=name,
                             parameters=parameters)

    def _shape(self):
        return self._batch_shape + (self._num_rows, self._num_rows)

    def _ones(self, shape):
        return constant(np.ones(shape, self.dtype.as_numpy_dtype))

    def _broadcast(self, x):
        """x with this operator's batch dims broadcast in (the identity still has them)."""
        if not self._batch_shape or x._shape is None:
            return x
        batch = _util.broadcast_batch(self._batch_shape, tuple(x._shape[:-2]))
        if batch is None or batch == tuple(x._shape[:-2]):
            return x
        return broadcast_to(x, batch + tuple(x._shape[-2:]))

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._broadcast(_adjoint(x) if adjoint_arg else x)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._matmul(rhs, adjoint_arg=adjoint_arg)

    def _determinant(self):
        return self._ones(self._batch_shape)

    def _log_abs_determinant(self):
        return constant(np.zeros(self._batch_shape, self.dtype.as_numpy_dtype))

    def _trace(self):
        return constant(np.full(self._batch_shape, self._num_rows, self.dtype.as_numpy_dtype))

    def _diag_part(self):
        return self._ones(self._batch_shape + (self._num_rows,))

    def _to_dense(self):
        eye = np.eye(self._num_rows, dtype=self.dtype.as_numpy_dtype)
        return constant(np.broadcast_to(eye, self._shape()).copy())

    def _add_to_tensor(self, x):
        return matrix_set_diag(x, matrix_diag_part(x) + 1)

    def _eigvals(self):
        return self._diag_part()

    def _assert_non_singular(self):
        return _util.assert_that(True, "")

    _assert_positive_definite = _assert_non_singular

    def assert_self_adjoint(self, name="assert_self_adjoint"):
        with self._name_scope(name):
            return _util.assert_that(True, "")

    def _inverse_operator(self):
        return self

    def _adjoint_operator(self):
        return self

    def _cholesky_operator(self):
        return self

    def _matmul_operator(self, other, left_side):
        return other if not self._batch_shape else None


class LinearOperatorZeros(LinearOperator):
    """A batch of [M, N] zero matrices (nothing is stored).

    Args:
      num_rows: M.
      num_columns: N (default M).
      batch_shape: an optional list of ints: the batch shape.
      dtype: the dtype (default float32).
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints
        (non-singular and positive definite must not be True).
      assert_proper_shapes: accepted for TF's signature.
      name: the operator's name (default "LinearOperatorZeros").

    Raises:
      ValueError: a hint TF rules out (non-singular, positive definite, not self-adjoint while
        square), or is_square=True with M != N.
    """

    def __init__(self, num_rows, num_columns=None, batch_shape=None, dtype=None,
                 is_non_singular=False, is_self_adjoint=True, is_positive_definite=False,
                 is_square=True, assert_proper_shapes=False, name="LinearOperatorZeros"):
        parameters = dict(num_rows=num_rows, num_columns=num_columns, batch_shape=batch_shape,
                          dtype=dtype, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          assert_proper_shapes=assert_proper_shapes, name=name)
        dtype = dtypes.as_dtype(dtype or dtypes.float32)
        with name_scope(name, values=[num_rows]):
            if not is_self_adjoint and is_square:
                raise ValueError("A zero operator is always self adjoint.")
            if is_non_singular:
                raise ValueError("A zero operator is always singular.")
            if is_positive_definite:
                raise ValueError("A zero operator is always not positive-definite.")
            super().__init__(dtype, is_non_singular=is_non_singular,
                             is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=is_square,
                             name=name, parameters=parameters)
            self._num_rows = num_rows_of(num_rows, "num_rows")
            self._num_columns = (self._num_rows if num_columns is None
                                 else num_rows_of(num_columns, "num_columns"))
            if is_square and self._num_rows != self._num_columns:
                raise ValueError(f"LinearOperatorZeros initialized as is_square=True, but got "
                                 f"num_rows({self._num_rows}) != "
                                 f"num_columns({self._num_columns})")
            self._batch_shape = _batch(batch_shape)

    def _shape(self):
        return self._batch_shape + (self._num_rows, self._num_columns)

    def _zeros(self, shape):
        return constant(np.zeros(shape, self.dtype.as_numpy_dtype))

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = _adjoint(x) if adjoint_arg else x
        rows = self._num_columns if adjoint else self._num_rows
        if x._shape is None or None in x._shape:
            raise ValueError("minitf's LinearOperatorZeros.matmul needs the static shape of x.")
        batch = _util.broadcast_batch(self._batch_shape, tuple(x._shape[:-2]))
        return self._zeros(batch + (rows, x._shape[-1]))

    def _determinant(self):
        return self._zeros(self._batch_shape)

    def _log_abs_determinant(self):
        return constant(np.full(self._batch_shape, -np.inf, self.dtype.as_numpy_dtype))

    def _trace(self):
        return self._zeros(self._batch_shape)

    def _diag_part(self):
        return self._zeros(self._batch_shape + (min(self._num_rows, self._num_columns),))

    def _to_dense(self):
        return self._zeros(self._shape())

    def _add_to_tensor(self, x):
        return x

    def _eigvals(self):
        return self._diag_part()

    def _assert_non_singular(self):
        raise NotImplementedError("Zero operators are always non-invertible.")

    def _assert_positive_definite(self):
        raise NotImplementedError("Zero operators are always non-positive definite.")
