"""The operator algebra behind matmul, solve, adjoint, inverse and cholesky of operators:
a class may answer with something simpler (`_adjoint_operator`, `_inverse_operator`,
`_matmul_operator`, `_cholesky_operator` return an operator or None); otherwise the generic
wrappers (LinearOperatorAdjoint, Inversion, Composition, LowerTriangular) stand in.

The wrapper classes register themselves here when their modules load (they import the base
class, which uses this module, so this module cannot import them).
"""
from minitf.ops.linalg_solve_ops import cholesky as _cholesky

WRAPPERS = {}  # "adjoint", "inverse", "composition", "lower_triangular" -> class


def register(**classes):
    WRAPPERS.update(classes)


def adjoint(operator):
    simpler = operator._adjoint_operator()
    if simpler is not None:
        return simpler
    return WRAPPERS["adjoint"](operator)


def inverse(operator):
    simpler = operator._inverse_operator()
    if simpler is not None:
        return simpler
    return WRAPPERS["inverse"](operator)


def matmul(left, right):
    simpler = left._matmul_operator(right, left_side=True)
    if simpler is None:
        simpler = right._matmul_operator(left, left_side=False)
    if simpler is not None:
        return simpler
    return WRAPPERS["composition"]([left, right])


def solve(left, right):
    return matmul(left.inverse(), right)


def cholesky(operator):
    simpler = operator._cholesky_operator()
    if simpler is not None:
        return simpler
    return WRAPPERS["lower_triangular"](_cholesky(operator.to_dense()), is_non_singular=True,
                                        is_self_adjoint=False, is_square=True)
