"""Old TF1 ops that programs still call: `sparse_matmul` (a dense product with hints that the
operands are mostly zeros) and `check_pinned` (a GPU memory check: on a CPU-only build, TF's
error).
"""
import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op

__all__ = ["sparse_matmul", "check_pinned"]


def _product_shape(a, b, *, transpose_a, transpose_b, a_is_sparse, b_is_sparse):
    rows = None if a._shape is None else a._shape[1 if transpose_a else 0]
    cols = None if b._shape is None else b._shape[0 if transpose_b else 1]
    inner_a = None if a._shape is None else a._shape[0 if transpose_a else 1]
    inner_b = None if b._shape is None else b._shape[1 if transpose_b else 0]
    if inner_a is not None and inner_b is not None and inner_a != inner_b:
        raise ValueError(f"Dimensions must be equal, but are {inner_a} and {inner_b} for "
                         "'SparseMatMul' (op: 'SparseMatMul') with input shapes: "
                         f"{list(a._shape)}, {list(b._shape)}.")
    return (rows, cols)


@register_op("SparseMatMul", shape=_product_shape, dtype=lambda a, b, **attrs: dtypes.float32)
def _sparse_matmul(a, b, *, transpose_a, transpose_b, a_is_sparse, b_is_sparse):
    return np.matmul(a.T if transpose_a else a, b.T if transpose_b else b).astype(np.float32)


@_sparse_matmul.gradient
def _sparse_matmul_grad(op, grad):
    a, b = op.inputs
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    sa, sb = op.get_attr("a_is_sparse"), op.get_attr("b_is_sparse")

    def product(x, y, tx, ty, sx, sy):
        return _sparse_matmul.apply([x, y], transpose_a=tx, transpose_b=ty, a_is_sparse=sx,
                                    b_is_sparse=sy)
    # d(a) = grad @ b^T (transposed back if a was), d(b) = a^T @ grad (likewise)
    grad_a = (product(b, grad, tb, True, sb, False) if ta
              else product(grad, b, False, not tb, False, sb))
    grad_b = (product(grad, a, True, ta, False, sa) if tb
              else product(a, grad, not ta, False, sa, False))
    return [grad_a, grad_b]


def _float32(value, arg):
    t = convert_to_tensor(value, name=arg)
    if t.dtype.base_dtype != dtypes.float32:
        raise TypeError(f"Value passed to parameter '{arg}' has DataType "
                        f"{t.dtype.base_dtype.name} not in list of allowed values: float32, "
                        "bfloat16")
    return t


def sparse_matmul(a, b, transpose_a=False, transpose_b=False, a_is_sparse=False,
                  b_is_sparse=False, name=None):
    """Multiplies matrix `a` by matrix `b` (TF1's deprecated `tf.sparse_matmul`).

    The `*_is_sparse` hints say an operand is mostly zeros; minitf's product is dense either
    way (the same values).

    Args:
      a, b: float32 matrices.
      transpose_a, transpose_b: whether to transpose an operand first.
      a_is_sparse, b_is_sparse: the hints (recorded as attrs).
      name: a name for the operation (default "SparseMatMul").

    Returns:
      A float32 Tensor.

    Raises:
      TypeError: an operand is not float32.
      ValueError: the inner dimensions differ.
    """
    return _sparse_matmul.apply([_float32(a, "a"), _float32(b, "b")],
                                name=name or "SparseMatMul", transpose_a=transpose_a,
                                transpose_b=transpose_b, a_is_sparse=a_is_sparse,
                                b_is_sparse=b_is_sparse)


@register_op("CheckPinned", shape=lambda tensor: tensor._shape, stateful=True,
             differentiable=False)
def _check_pinned(state, op, tensor):
    raise errors.FailedPreconditionError(
        None, op, "to check pinnedness, must be built with `--config=cuda`")


def check_pinned(tensor, name=None):
    """Returns `tensor`, checked when run to be in GPU-pinned host memory.

    minitf has no GPU: as TensorFlow built without CUDA, running it raises.

    Args:
      tensor: a Tensor.
      name: a name for the operation (default "CheckPinned").

    Returns:
      A Tensor of `tensor`'s shape and dtype.

    Raises:
      minitf.errors.FailedPreconditionError: when run (no CUDA).
    """
    return _check_pinned.apply([tensor], name=name or "CheckPinned")
