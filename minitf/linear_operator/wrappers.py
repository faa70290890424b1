"""Operators made of other operators: LinearOperatorAdjoint, LinearOperatorInversion and
LinearOperatorComposition (what adjoint(), inverse() and operator @ operator give)."""
from minitf.framework.api import name_scope
from minitf.linear_operator import _algebra, _util
from minitf.linear_operator.linear_operator import LinearOperator
from minitf.linear_operator.products import _found_dtypes, _same_dtype
from minitf.ops.batch_matmul_ops import adjoint as _adjoint
from minitf.ops.complex_ops import conj
from minitf.ops.math_ops import multiply, negative, reciprocal

__all__ = ["LinearOperatorAdjoint", "LinearOperatorInversion", "LinearOperatorComposition"]


def _hint(operator, hint, provided, message):
    """The wrapped operator's hint, unless one is given; ValueError when they disagree."""
    known = getattr(operator, hint)
    if known is not None and provided is not None and known != provided:
        raise ValueError(message)
    return known if provided is None else provided


def _same_hints(operator, relation, **provided):
    words = {"is_square": "square", "is_non_singular": "non-singular",
             "is_self_adjoint": "self-adjoint", "is_positive_definite": "positive-definite"}
    return {hint: _hint(operator, hint, value, f"An operator is {words[hint]} if and only if "
                        f"its {relation} is {words[hint]}.")
            for hint, value in provided.items()}


def _conj(x):
    return conj(x) if x.dtype.is_complex else x


class _OperatorOf(LinearOperator):
    """The shared part of LinearOperatorAdjoint and LinearOperatorInversion: an operator made
    from one other operator, whose hints it takes unless given."""

    _relation = _suffix = None  # ("adjoint", "_adjoint") or ("inverse", "_inv")

    def __init__(self, operator, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None):
        parameters = dict(operator=operator, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          name=name)
        self._operator = operator
        self._check(operator, is_non_singular, is_square)
        hints = _same_hints(operator, self._relation, is_square=is_square,
                            is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                            is_positive_definite=is_positive_definite)
        name = name or operator.name + self._suffix
        with name_scope(name):
            super().__init__(operator.dtype, name=name, parameters=parameters, **hints)

    @staticmethod
    def _check(operator, is_non_singular, is_square):
        """ValueError where the hints rule the operator out (none for the adjoint)."""

    @property
    def operator(self):
        return self._operator

    def _assert_non_singular(self):
        return self._operator.assert_non_singular()

    def _assert_positive_definite(self):
        return self._operator.assert_positive_definite()


class LinearOperatorAdjoint(_OperatorOf):
    """The adjoint (conjugate transpose) of an operator, without forming it.

    Args:
      operator: the LinearOperator.
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints (default:
        the operator's).
      name: the name (default operator.name + "_adjoint").

    Raises:
      ValueError: a hint contradicts the operator's.
    """

    _relation, _suffix = "adjoint", "_adjoint"

    def _adjoint_operator(self):
        return self._operator

    def _shape(self):
        shape = self._operator.shape
        if shape.ndims is None:
            return None
        return tuple(shape.as_list()[:-2]) + (shape.as_list()[-1], shape.as_list()[-2])

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._operator.matmul(x, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _matvec(self, x, adjoint=False):
        return self._operator.matvec(x, adjoint=not adjoint)

    def _determinant(self):
        d = self._operator.determinant()
        return d if self.is_self_adjoint else _conj(d)

    def _log_abs_determinant(self):
        return self._operator.log_abs_determinant()

    def _trace(self):
        t = self._operator.trace()
        return t if self.is_self_adjoint else _conj(t)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._operator.solve(rhs, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _solvevec(self, rhs, adjoint=False):
        return self._operator.solvevec(rhs, adjoint=not adjoint)

    def _to_dense(self):
        dense = self._operator.to_dense()
        return dense if self.is_self_adjoint else _adjoint(dense)

    def _eigvals(self):
        values = self._operator.eigvals()
        return values if self._operator.is_self_adjoint else _conj(values)


class LinearOperatorInversion(_OperatorOf):
    """The inverse of a (non-singular, square) operator, through its solve.

    Args:
      operator: the LinearOperator; its is_non_singular and is_square hints must not be
        False.
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints (default:
        the operator's).
      name: the name (default operator.name + "_inv").

    Raises:
      ValueError: the operator is hinted singular or not square, or a hint contradicts.
    """

    _relation, _suffix = "inverse", "_inv"

    @staticmethod
    def _check(operator, is_non_singular, is_square):
        if operator.is_non_singular is False or is_non_singular is False:
            raise ValueError(
                "Argument `is_non_singular` or argument `operator` must have supplied hint "
                "`is_non_singular` equal to `True` or `None`. Found `operator.is_non_singular`: "
                f"{operator.is_non_singular}, `is_non_singular`: {is_non_singular}.")
        if operator.is_square is False or is_square is False:
            raise ValueError(
                "Argument `is_square` or argument `operator` must have supplied hint "
                f"`is_square` equal to `True` or `None`. Found `operator.is_square`: "
                f"{operator.is_square}, `is_square`: {is_square}.")

    def _inverse_operator(self):
        return self._operator

    def _shape(self):
        return self._operator._shape()

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._operator.solve(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _determinant(self):
        return reciprocal(self._operator.determinant())

    def _log_abs_determinant(self):
        return negative(self._operator.log_abs_determinant())

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._operator.matmul(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _eigvals(self):
        return reciprocal(self._operator.eigvals())


class LinearOperatorComposition(LinearOperator):
    """The product A1 @ A2 @ ... @ An of operators, applied one after another.

    Args:
      operators: a non-empty list of LinearOperators of one dtype.
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints.
      name: the name (default: the operators' names joined by "_o_").

    Raises:
      TypeError: the dtypes differ.
      ValueError: the list is empty, or is_non_singular is False for non-singular operators.
    """

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None):
        parameters = dict(operators=operators, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          name=name)
        if not operators:
            raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")
        self._operators = list(operators)
        dtype = _same_dtype(operators, _found_dtypes)
        if all(o.is_non_singular for o in operators):
            if is_non_singular is False:
                raise ValueError("The composition of non-singular operators is always "
                                 "non-singular.")
            is_non_singular = True
        name = name or "_o_".join(o.name for o in operators)
        with name_scope(name):
            super().__init__(dtype, is_non_singular=is_non_singular,
                             is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=is_square,
                             name=name, parameters=parameters)

    @property
    def operators(self):
        return self._operators

    def _shape(self):
        shapes = [o.shape for o in self._operators]
        if any(s.ndims is None for s in shapes):
            return None
        for left, right in zip(shapes, shapes[1:]):
            left[-1].assert_is_compatible_with(right[-2])
        batch = _util.broadcast_batch(*[tuple(s.as_list()[:-2]) for s in shapes])
        return None if batch is None else batch + (shapes[0].as_list()[-2],
                                                   shapes[-1].as_list()[-1])

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        ordered = self._operators if adjoint else self._operators[::-1]
        result = ordered[0].matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)
        for operator in ordered[1:]:
            result = operator.matmul(result, adjoint=adjoint)
        return result

    def _determinant(self):
        return _util.fold_operators(self._operators, "determinant", multiply)

    def _log_abs_determinant(self):
        return _util.fold_operators(self._operators, "log_abs_determinant", lambda a, b: a + b)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        # X = A1^-1 ... solved from the left: An^-1 ... A1^-1 rhs
        ordered = self._operators[::-1] if adjoint else self._operators
        result = ordered[0].solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)
        for operator in ordered[1:]:
            result = operator.solve(result, adjoint=adjoint)
        return result


_algebra.register(adjoint=LinearOperatorAdjoint, inverse=LinearOperatorInversion,
                  composition=LinearOperatorComposition)
