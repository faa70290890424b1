"""Operators made of several operators: LinearOperatorKronecker (the Kronecker product) and
LinearOperatorBlockDiag (the direct sum), with the structure's determinants, traces and
solves, and dense matrices assembled from the factors' (static sizes needed)."""
from minitf.framework.api import name_scope
from minitf.linear_operator import _util
from minitf.linear_operator.linear_operator import LinearOperator
from minitf.ops.batch_matmul_ops import adjoint as _adjoint, matmul
from minitf.ops.manip_ops import broadcast_to, concat, expand_dims, pad, reshape, split
from minitf.ops.math_ops import multiply, pow as _pow

__all__ = ["LinearOperatorKronecker", "LinearOperatorBlockDiag"]


def _combined_hints(operators, what, message, **given):
    """A hint all operators share (True) is the combination's; contradicting it is a
    ValueError (`message(hint, value)`)."""
    out = dict(given)
    for hint in ("is_non_singular", "is_self_adjoint", "is_positive_definite"):
        if all(getattr(o, hint) for o in operators):
            if given[hint] is False:
                raise ValueError(message(hint, given[hint]))
            out[hint] = True
    return out


def _same_dtype(operators, message):
    """The operators' one dtype; a TypeError with `message((name, dtype) pairs)` if several."""
    dtype = operators[0].dtype
    if any(o.dtype != dtype for o in operators):
        raise TypeError(message([(o.name, o.dtype) for o in operators]))
    return dtype


def _received_dtypes(pairs):
    # (TF's words in the Kronecker product and the block lower triangular operator)
    return ("Expected every operation in argument `operators` to have the same dtype. "
            f"Received {[str(p) for p in pairs]}.")


def _found_dtypes(pairs):
    # (TF's words in the block diagonal operator and the composition)
    return "Expected all operators to have the same dtype.  Found " + "   ".join(
        str(p) for p in pairs)


def _dims(operator):
    shape = operator.shape
    if shape.ndims is None or not shape[-2:].is_fully_defined():
        raise ValueError(f"minitf's {type(operator).__name__} parts need static matrix sizes; "
                         f"{operator.name} has shape {shape}.")
    return shape.as_list()[-2], shape.as_list()[-1]


def _batch(operators):
    return _util.broadcast_batch(*[tuple(o.shape.as_list()[:-2]) for o in operators])


def _kron(a, b, a_dims, b_dims):
    """The Kronecker product of the innermost matrices of dense a and b."""
    (m1, n1), (m2, n2) = a_dims, b_dims
    product = multiply(expand_dims(expand_dims(a, -1), -3), expand_dims(expand_dims(b, -2), -4))
    batch = _util.broadcast_batch(a._shape[:-2], b._shape[:-2])
    return reshape(product, list(batch) + [m1 * m2, n1 * n2])


_WORDS = {"is_non_singular": "non-singular", "is_self_adjoint": "self-adjoint",
          "is_positive_definite": "positive-definite"}


class LinearOperatorKronecker(LinearOperator):
    """The Kronecker product of operators: kron(A1, A2, ...).

    Solve, determinant, trace and eigenvalues go factor by factor.

    Args:
      operators: a non-empty list of LinearOperators of one dtype (static matrix sizes).
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints.
      name: the name (default: the operators' names joined by "_x_").

    Raises:
      TypeError: the dtypes differ.
      ValueError: the list is empty, or a hint contradicts the factors'.
    """

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None):
        parameters = dict(operators=operators, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          name=name)
        if not operators:
            raise ValueError(f"Argument `operators` must be a list of >=1 operators. "
                             f"Received: {operators}.")
        self._operators = list(operators)
        dtype = _same_dtype(operators, _received_dtypes)
        hints = _combined_hints(
            operators, "Kronecker", lambda hint, value: (
                f"The Kronecker product of {_WORDS[hint]} operators is always {_WORDS[hint]}. "
                f"Expected argument `{hint}` to be True. Received: {value}."),
            is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite)
        name = name or "_x_".join(o.name for o in operators)
        with name_scope(name):
            super().__init__(dtype, is_square=is_square, name=name, parameters=parameters,
                             **hints)

    @property
    def operators(self):
        return self._operators

    def _shape(self):
        batch = _batch(self._operators)
        dims = [_dims(o) for o in self._operators]
        m = n = 1
        for rows, cols in dims:
            m, n = m * rows, n * cols
        return None if batch is None else batch + (m, n)

    def _to_dense(self):
        dense, dims = self._operators[0].to_dense(), _dims(self._operators[0])
        for operator in self._operators[1:]:
            d = _dims(operator)
            dense = _kron(dense, operator.to_dense(), dims, d)
            dims = (dims[0] * d[0], dims[1] * d[1])
        return dense

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return matmul(self.to_dense(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        inverse = LinearOperatorKronecker([o.inverse() for o in self._operators])
        return inverse.matmul(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _factor_powers(self, value_of):
        """prod_i value_i ** (N / n_i), N the total size (det(A ⊗ B) = det(A)^nB det(B)^nA)."""
        total = self.shape.as_list()[-1]
        result = None
        for operator in self._operators:
            exponent = _util.to_tensor(float(total // _dims(operator)[-1]), "exponent",
                                       self.dtype)
            term = _pow(value_of(operator), exponent)
            result = term if result is None else multiply(result, term)
        return result

    def _determinant(self):
        return self._factor_powers(lambda o: o.determinant())

    def _log_abs_determinant(self):
        total = self.shape.as_list()[-1]
        result = None
        for operator in self._operators:
            term = multiply(float(total // _dims(operator)[-1]), operator.log_abs_determinant())
            result = term if result is None else result + term
        return result

    def _trace(self):
        return _util.fold_operators(self._operators, "trace", multiply)

    def _outer(self, value_of):
        """The flattened outer product of a per-factor vector (diagonals, eigenvalues)."""
        result = value_of(self._operators[0])
        for operator in self._operators[1:]:
            v = value_of(operator)
            product = multiply(expand_dims(result, -1), expand_dims(v, -2))
            batch = _util.broadcast_batch(result._shape[:-1], v._shape[:-1])
            result = reshape(product, list(batch) + [result._shape[-1] * v._shape[-1]])
        return result

    def _diag_part(self):
        if not self.is_square:
            return super()._diag_part()
        return self._outer(lambda o: o.diag_part())

    def _eigvals(self):
        return self._outer(lambda o: o.eigvals())

    def _adjoint_operator(self):
        return LinearOperatorKronecker([o.adjoint() for o in self._operators],
                                       is_non_singular=self.is_non_singular,
                                       is_self_adjoint=self.is_self_adjoint,
                                       is_positive_definite=self.is_positive_definite,
                                       is_square=True if self.is_square else None)

    def _inverse_operator(self):
        return LinearOperatorKronecker([o.inverse() for o in self._operators],
                                       is_non_singular=self.is_non_singular,
                                       is_self_adjoint=self.is_self_adjoint,
                                       is_positive_definite=self.is_positive_definite,
                                       is_square=True)


class LinearOperatorBlockDiag(LinearOperator):
    """The block-diagonal operator of square operators (their direct sum).

    Each block acts on its slice of the rows.

    Args:
      operators: a non-empty list of square LinearOperators of one dtype (static sizes).
      is_non_singular, is_self_adjoint, is_positive_definite: the hints.
      is_square: must be True (the default).
      name: the name (default: the operators' names joined by "_ds_").

    Raises:
      TypeError: the dtypes differ.
      ValueError: the list is empty, is_square is False, or a hint contradicts the blocks'.
    """

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=True, name=None):
        parameters = dict(operators=operators, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          name=name)
        if not operators:
            raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")
        self._operators = list(operators)
        dtype = _same_dtype(operators, _found_dtypes)
        words = {"is_non_singular": "non-singular operators is always non-singular.",
                 "is_self_adjoint": "self-adjoint operators is always self-adjoint.",
                 "is_positive_definite": "positive definite operators is always positive "
                                         "definite."}
        hints = _combined_hints(operators, "direct sum",
                                lambda hint, value: f"The direct sum of {words[hint]}",
                                is_non_singular=is_non_singular,
                                is_self_adjoint=is_self_adjoint,
                                is_positive_definite=is_positive_definite)
        if is_square is False:
            raise ValueError("Argument `is_square` must be True for a block-diagonal operator "
                             "of square blocks.")
        name = name or "_ds_".join(o.name for o in operators)
        with name_scope(name):
            super().__init__(dtype, is_square=True, name=name, parameters=parameters, **hints)

    @property
    def operators(self):
        return self._operators

    def _sizes(self):
        return [_dims(o)[-1] for o in self._operators]

    def _shape(self):
        batch = _batch(self._operators)
        n = sum(self._sizes())
        return None if batch is None else batch + (n, n)

    def _blockwise(self, x, method, adjoint, adjoint_arg):
        x = _adjoint(x) if adjoint_arg else x
        parts = split(x, self._sizes(), axis=-2)
        results = [getattr(o, method)(p, adjoint=adjoint) for o, p in zip(self._operators, parts)]
        return concat(_broadcast_all(results), axis=-2)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._blockwise(x, "matmul", adjoint, adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._blockwise(rhs, "solve", adjoint, adjoint_arg)

    def _determinant(self):
        return _util.fold_operators(self._operators, "determinant", multiply)

    def _log_abs_determinant(self):
        return _util.fold_operators(self._operators, "log_abs_determinant", lambda a, b: a + b)

    def _trace(self):
        return _util.fold_operators(self._operators, "trace", lambda a, b: a + b)

    def _diag_part(self):
        return concat(_broadcast_all([o.diag_part() for o in self._operators], 1), axis=-1)

    def _eigvals(self):
        return concat(_broadcast_all([o.eigvals() for o in self._operators], 1), axis=-1)

    def _to_dense(self):
        sizes, total = self._sizes(), sum(self._sizes())
        rows, before = [], 0
        for operator, n in zip(self._operators, sizes):
            dense = operator.to_dense()
            paddings = [[0, 0]] * (len(dense._shape) - 1) + [[before, total - before - n]]
            rows.append(pad(dense, paddings))
            before += n
        return concat(_broadcast_all(rows), axis=-2)

    def _adjoint_operator(self):
        return LinearOperatorBlockDiag([o.adjoint() for o in self._operators],
                                       is_non_singular=self.is_non_singular,
                                       is_self_adjoint=self.is_self_adjoint,
                                       is_positive_definite=self.is_positive_definite)

    def _inverse_operator(self):
        return LinearOperatorBlockDiag([o.inverse() for o in self._operators],
                                       is_non_singular=self.is_non_singular,
                                       is_self_adjoint=self.is_self_adjoint,
                                       is_positive_definite=self.is_positive_definite)


def _broadcast_all(tensors, inner=2):
    """The tensors with their batch dims (all but the `inner` last) broadcast to one shape."""
    batch = _util.broadcast_batch(*[t._shape[:-inner] for t in tensors])
    if batch is None:
        return tensors
    return [t if tuple(t._shape[:-inner]) == batch
            else broadcast_to(t, batch + tuple(t._shape[-inner:])) for t in tensors]
