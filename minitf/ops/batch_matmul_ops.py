"""Batched matrix products: BatchMatMulV2 (batch dims broadcast), the full TF1 `matmul` that
routes rank-2 operands to MatMul and the others to it, and `matvec` and `adjoint`.

The rank-2 MatMul of math_ops keeps its own fast kernel; here only the routing is added, as
TF's `matmul` wrapper does it: BatchMatMulV2 when an operand's rank is unknown or above 2.
"""
import numpy as np

from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op
from minitf.ops import math_ops
from minitf.ops._shared import broadcast_shape, fmt, operands, shape_of
from minitf.ops.manip_ops import _sum_to_shape, expand_dims, squeeze, transpose
from minitf.ops.math_ops import _NUMBERS, _allowed, _conjugate, _matmul

__all__ = ["matmul", "matvec", "adjoint"]


def _batch_matmul_shape(x, y, *, adj_x, adj_y):
    sx, sy = x._shape, y._shape
    if sx is None or sy is None:
        return None
    for s in (sx, sy):
        if len(s) < 2:
            raise ValueError(f"Shape must be at least rank 2 but is rank {len(s)} for "
                             f"'BatchMatMulV2' with input shapes: {fmt(sx)}, {fmt(sy)}.")
    (m, k), (k2, n) = sx[:-3:-1] if adj_x else sx[-2:], sy[:-3:-1] if adj_y else sy[-2:]
    if None not in (k, k2) and k != k2:
        raise ValueError(f"Dimensions must be equal, but are {k} and {k2} for 'BatchMatMulV2' "
                         f"with input shapes: {fmt(sx)}, {fmt(sy)}.")
    return broadcast_shape(sx[:-2], sy[:-2], "BatchMatMulV2") + (m, n)


def _adjoint_value(v):
    return np.conj(np.swapaxes(v, -1, -2))


@register_op("BatchMatMulV2", shape=_batch_matmul_shape, dtype=_allowed(_NUMBERS))
def _batch_matmul(x, y, *, adj_x, adj_y):
    return np.matmul(_adjoint_value(x) if adj_x else x, _adjoint_value(y) if adj_y else y)


def _bmm(x, y, adj_x=False, adj_y=False):
    return _batch_matmul.apply([x, y], name="MatMul", adj_x=adj_x, adj_y=adj_y)


@_batch_matmul.gradient
def _batch_matmul_grad(op, grad):
    x, y = op.inputs
    adj_x, adj_y = op.get_attr("adj_x"), op.get_attr("adj_y")
    if not adj_x:
        gx = _bmm(grad, y, adj_y=not adj_y)
    else:
        gx = _bmm(y, grad, adj_x=adj_y, adj_y=True)
    if not adj_y:
        gy = _bmm(x, grad, adj_x=not adj_x)
    else:
        gy = _bmm(grad, x, adj_x=True, adj_y=adj_x)
    # operands broadcast along batch dims get their gradient summed back to their own shape
    return [_sum_to_shape.apply([gx, shape_of(x)], name="SumToShape"),
            _sum_to_shape.apply([gy, shape_of(y)], name="SumToShape")]


def _rank(t):
    return None if t._shape is None else len(t._shape)


def _is_matrix(t):
    return isinstance(t, Tensor) and _rank(t) == 2


def _swap_last(t):
    rank = _rank(t)
    return transpose(t, list(range(rank - 2)) + [rank - 1, rank - 2])


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, name=None):
    """Multiplies matrix `a` by matrix `b` (the innermost two dims), producing a @ b.

    Rank-2 operands make a MatMul op; operands of higher (or unknown) rank make a BatchMatMulV2
    op whose batch dims broadcast by NumPy's rules, as in TF.

    Args:
      a: a Tensor (or value) of rank >= 2 and a numeric type.
      b: a Tensor (or value) of rank >= 2 and `a`'s dtype.
      transpose_a: if True, `a` is transposed before the product.
      transpose_b: if True, `b` is transposed before the product.
      adjoint_a: if True, `a` is conjugated and transposed before the product.
      adjoint_b: if True, `b` is conjugated and transposed before the product.
      a_is_sparse: accepted for TF's signature (a hint TF's kernel may use; no effect here).
      b_is_sparse: accepted for TF's signature (no effect here).
      name: a name for the operation (default "MatMul").

    Returns:
      A Tensor of `a`'s dtype and shape [..., rows of a, columns of b].

    Raises:
      ValueError: both transpose_a and adjoint_a (or _b) are set, an operand's rank is below 2,
        the inner dimensions differ or the batch dims do not broadcast.
      TypeError: `a` and `b` have different dtypes, or one the op does not take.

    >>> a = tf.constant(np.ones((2, 1, 2, 3)))
    >>> b = tf.constant(np.ones((4, 3, 1)))
    >>> tf.matmul(a, b).shape
    TensorShape([Dimension(2), Dimension(4), Dimension(2), Dimension(1)])
    """
    for side, t, adj in (("a", transpose_a, adjoint_a), ("b", transpose_b, adjoint_b)):
        if t and adj:
            raise ValueError(f"Only one of `transpose_{side}` and `adjoint_{side}` can be True. "
                             f"Received `transpose_{side}`={t}, `adjoint_{side}`={adj}.")
    if _is_matrix(a) and _is_matrix(b) and not (a.dtype.is_complex and (adjoint_a or adjoint_b)):
        return math_ops.matmul(a, b, transpose_a or adjoint_a, transpose_b or adjoint_b, name)
    with name_scope(name, "MatMul", [a, b]) as scope:
        a, b = operands(a, b, "MatMul")
        if a.dtype.is_complex:  # a complex transpose is the adjoint of the conjugate
            a, b = (_swap_last(a) if transpose_a else a), (_swap_last(b) if transpose_b else b)
            transpose_a = transpose_b = False
        adj_a, adj_b = transpose_a or adjoint_a, transpose_b or adjoint_b
        if _is_matrix(a) and _is_matrix(b) and not (a.dtype.is_complex and (adj_a or adj_b)):
            return _matmul.apply([a, b], name=scope, transpose_a=adj_a, transpose_b=adj_b)
        return _batch_matmul.apply([a, b], name=scope, adj_x=adj_a, adj_y=adj_b)


def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False,
           name=None):
    """Multiplies matrix `a` by vector `b` (the innermost dims), producing a @ b.

    Args:
      a: a Tensor (or value) of rank >= 2 and a numeric type.
      b: a Tensor (or value) of rank >= 1 and `a`'s dtype; its batch dims broadcast with a's.
      transpose_a: if True, `a` is transposed before the product.
      adjoint_a: if True, `a` is conjugated and transposed before the product.
      a_is_sparse: accepted for TF's signature (no effect here).
      b_is_sparse: accepted for TF's signature (no effect here).
      name: a name for the operation (default "MatVec").

    Returns:
      A Tensor of `a`'s dtype and shape [..., rows of a].

    Raises:
      ValueError: as `matmul` does.
    """
    with name_scope(name, "MatVec", [a, b]):
        b = expand_dims(b, -1)
        return squeeze(matmul(a, b, transpose_a=transpose_a, adjoint_a=adjoint_a), axis=-1)


def adjoint(matrix, name=None):
    """Transposes the innermost two dims of `matrix` and conjugates it (tf.linalg.adjoint).

    A real matrix's adjoint is its transpose; a complex one's is conjugated too (ops Transpose
    and Conj, where TF makes one ConjugateTranspose).

    Args:
      matrix: a numeric Tensor (or value) of known rank >= 2.
      name: a name for the operation (default "adjoint").

    Returns:
      A Tensor of `matrix`'s dtype and shape [..., N, M] for a matrix of shape [..., M, N].

    Raises:
      ValueError: `matrix`'s rank is unknown or below 2.
    """
    with name_scope(name, "adjoint", [matrix]):
        matrix = convert_to_tensor(matrix, name="matrix")
        if _rank(matrix) is None or _rank(matrix) < 2:
            raise ValueError(f"adjoint: the input must have a known rank of at least 2, "
                             f"not shape {fmt(matrix._shape)}.")
        with name_scope("matrix_transpose"):
            return _conjugate(_swap_last(matrix))
