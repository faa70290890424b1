"""LinearOperatorBlockLowerTriangular: square operators on the block diagonal, any operators
below it, zeros above; solves by block forward substitution."""
from minitf.framework.api import name_scope
from minitf.linear_operator import _util
from minitf.linear_operator.linear_operator import LinearOperator
from minitf.linear_operator.products import _broadcast_all, _dims, _received_dtypes, _same_dtype
from minitf.ops.batch_matmul_ops import adjoint as _adjoint
from minitf.ops.manip_ops import concat, pad, split
from minitf.ops.math_ops import multiply, subtract

__all__ = ["LinearOperatorBlockLowerTriangular"]


class LinearOperatorBlockLowerTriangular(LinearOperator):
    """A block lower triangular operator of square diagonal blocks.

    Row i of `operators` holds the blocks operators[i][0..i], the last on the diagonal.

    Args:
      operators: a non-empty list of lists of LinearOperators of one dtype; row i has i + 1.
      is_non_singular, is_self_adjoint, is_positive_definite: the hints.
      is_square: must not be False.
      name: the operator's name (default "LinearOperatorBlockLowerTriangular").

    Raises:
      TypeError: the dtypes differ.
      ValueError: the rows do not have i + 1 blocks, the block sizes do not line up, a
        diagonal block is not square, or a hint contradicts the diagonal blocks'.
    """

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None,
                 name="LinearOperatorBlockLowerTriangular"):
        parameters = dict(operators=operators, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          name=name)
        if not operators:
            raise ValueError(f"Argument `operators` must be a list of >=1 operators. "
                             f"Received: {operators}.")
        self._operators = [list(row) for row in operators]
        self._diagonal_operators = [row[-1] for row in self._operators]
        dtype = operators[0][0].dtype
        self._validate(is_square)
        is_non_singular = self._non_singular(is_non_singular)
        with name_scope(name):
            super().__init__(dtype, is_non_singular=is_non_singular,
                             is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=True,
                             name=name, parameters=parameters)

    def _validate(self, is_square):
        for i, row in enumerate(self._operators):
            if len(row) != i + 1:
                raise ValueError(f"Argument `operators[{i}]` must contain `{i + 1}` blocks. "
                                 f"Received: {len(row)} blocks.")
        _same_dtype([o for row in self._operators for o in row], _received_dtypes)
        if is_square is False:
            raise ValueError("`LinearOperatorBlockLowerTriangular` must be square. Expected "
                             f"argument `is_square` to be True. Received: {is_square}.")
        for i, op in enumerate(self._diagonal_operators):
            if op.is_square is False:
                raise ValueError(
                    "Matrices on the diagonal (the final elements of each row-partition in the "
                    f"`operators` list) must be square. Expected argument "
                    f"`operators[{i}][-1].is_square` to be True. Received: {op.is_square}.")
        sizes = self._sizes()
        for i, row in enumerate(self._operators):
            for j, op in enumerate(row):
                rows, cols = _dims(op)
                if cols != sizes[j]:
                    raise ValueError(f"Argument `operators[{i}][{j}].domain_dimension` "
                                     f"({cols}) must be the same as `operators[{j}][{j}]."
                                     f"domain_dimension` ({sizes[j]}).")
                if rows != sizes[i]:
                    raise ValueError(f"Argument `operators[{i}][{j}].range_dimension` "
                                     f"({rows}) must be the same as `operators[{i}][{i}]."
                                     f"range_dimension` ({sizes[i]}).")

    def _non_singular(self, is_non_singular):
        diagonal = self._diagonal_operators
        if all(op.is_non_singular for op in diagonal):
            if is_non_singular is False:
                raise ValueError(
                    "A blockwise lower-triangular operator with non-singular operators on the "
                    "main diagonal is always non-singular. Expected argument "
                    f"`is_non_singular` to be True. Received: {is_non_singular}.")
            return True
        if any(op.is_non_singular is False for op in diagonal):
            if is_non_singular is True:
                raise ValueError(
                    "A blockwise lower-triangular operator with a singular operator on the "
                    "main diagonal is always singular. Expected argument `is_non_singular` "
                    f"to be True. Received: {is_non_singular}.")
            return False
        return is_non_singular

    @property
    def operators(self):
        return self._operators

    def _sizes(self):
        return [_dims(op)[-1] for op in self._diagonal_operators]

    def _shape(self):
        batch = _util.broadcast_batch(*[tuple(o.shape.as_list()[:-2])
                                        for row in self._operators for o in row])
        n = sum(self._sizes())
        return None if batch is None else batch + (n, n)

    def _block(self, i, j, adjoint):
        """Block (i, j) of this operator or of its adjoint (None above the diagonal)."""
        if adjoint:
            i, j = j, i
        if j > i:
            return None
        return self._operators[i][j]

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = _adjoint(x) if adjoint_arg else x
        parts = split(x, self._sizes(), axis=-2)
        rows = []
        for i in range(len(parts)):
            total = None
            for j, part in enumerate(parts):
                block = self._block(i, j, adjoint)
                if block is not None:
                    term = block.matmul(part, adjoint=adjoint)
                    total = term if total is None else total + term
            rows.append(total)
        return concat(_broadcast_all(rows), axis=-2)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        rhs = _adjoint(rhs) if adjoint_arg else rhs
        parts = split(rhs, self._sizes(), axis=-2)
        n = len(parts)
        order = range(n - 1, -1, -1) if adjoint else range(n)  # (the adjoint is upper)
        solution = [None] * n
        for i in order:
            residual = parts[i]
            for j in range(n):
                block = self._block(i, j, adjoint)
                if j != i and block is not None and solution[j] is not None:
                    residual = subtract(residual, block.matmul(solution[j], adjoint=adjoint))
            solution[i] = self._diagonal_operators[i].solve(residual, adjoint=adjoint)
        return concat(_broadcast_all(solution), axis=-2)

    def _reduce(self, method, combine):
        # (block triangular: determinant and trace come from the diagonal blocks alone)
        return _util.fold_operators(self._diagonal_operators, method, combine)

    def _determinant(self):
        return self._reduce("determinant", multiply)

    def _log_abs_determinant(self):
        return self._reduce("log_abs_determinant", lambda a, b: a + b)

    def _trace(self):
        return self._reduce("trace", lambda a, b: a + b)

    def _diag_part(self):
        return concat(_broadcast_all([o.diag_part() for o in self._diagonal_operators], 1),
                      axis=-1)

    def _to_dense(self):
        sizes, total = self._sizes(), sum(self._sizes())
        rows = []
        for row in self._operators:
            blocks = [op.to_dense() for op in row]
            width = sum(sizes[: len(row)])
            dense = concat(_broadcast_all(blocks), axis=-1)
            paddings = [[0, 0]] * (len(dense._shape) - 1) + [[0, total - width]]
            rows.append(pad(dense, paddings))
        return concat(_broadcast_all(rows), axis=-2)
