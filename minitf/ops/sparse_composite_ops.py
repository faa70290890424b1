"""The SparseTensor functions TF builds from other ops: `tf.sparse_retain` (gathers),
`tf.sparse.from_dense` (Where and GatherNd) and `tf.sparse_placeholder` (three placeholders);
the registered sparse ops are in minitf/ops/sparse_ops.py.
"""
from minitf.framework import dtypes as _dtypes, tensor_shape
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant, convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.framework.sparse_tensor import SparseTensor, _static_shape
from minitf.ops._shared import identity, shape_of, zeros_like
from minitf.ops.array_ops import placeholder, placeholder_with_default
from minitf.ops.gather_scatter_ops import gather_nd
from minitf.ops.manip_ops import gather, reshape
from minitf.ops.math_ops import not_equal
from minitf.ops.sequence_ops import where_v2
from minitf.ops.sparse_ops import _sparse

__all__ = ["sparse_retain", "from_dense", "sparse_placeholder"]


def sparse_retain(sp_input, to_retain):
    """Keeps the entries of a SparseTensor where `to_retain` is True.

    Args:
      sp_input: a SparseTensor (or SparseTensorValue) of N entries.
      to_retain: a bool vector of length N.

    Returns:
      A SparseTensor of the same dense shape with the retained entries.

    Raises:
      TypeError: `sp_input` is not sparse.
      ValueError: `to_retain` is not a vector, or its length is not N.
    """
    sp_input = _sparse(sp_input)
    to_retain = convert_to_tensor(to_retain)
    retain_shape = to_retain.shape
    retain_shape.assert_has_rank(1)
    sp_input.values.shape[0].assert_is_compatible_with(retain_shape[0])
    kept = reshape(where_v2(to_retain), [-1])
    return SparseTensor(gather(sp_input.indices, kept), gather(sp_input.values, kept),
                        identity(sp_input.dense_shape))


def from_dense(tensor, name=None):
    """Converts a dense tensor to a SparseTensor of its non-zero entries (`tf.sparse.from_dense`).

    Args:
      tensor: a Tensor (or value).
      name: a name for the name scope (default "dense_to_sparse").

    Returns:
      A SparseTensor of the tensor's dtype and shape, its entries in row-major order.
    """
    with name_scope(name, "dense_to_sparse"):
        tensor = convert_to_tensor(tensor)
        indices = where_v2(not_equal(tensor, zeros_like(tensor)))
        return SparseTensor(indices, gather_nd(tensor, indices),
                            shape_of(tensor, out_type=_dtypes.int64))


def sparse_placeholder(dtype, shape=None, name=None):
    """Inserts placeholders for a SparseTensor that is always fed.

    Feed it a SparseTensorValue or an `(indices, values, dense_shape)` tuple. The placeholders
    are `name/indices`, `name/values` and `name/shape` (TF's names); with `shape`, the
    dense shape is a PlaceholderWithDefault of it (-1 for unknown dims), so it need not be fed.

    >>> sp = tf.sparse_placeholder(tf.float32, shape=[2, 3], name="sp")
    >>> dense = tf.sparse.to_dense(sp)
    >>> with tf.Session() as sess:
    ...     print(sess.run(dense, {sp: ([[0, 1]], [5.0], [2, 3])}))
    [[0. 5. 0.]
     [0. 0. 0.]]

    Args:
      dtype: the dtype of the values.
      shape: the dense shape (a list with None or -1 for unknown dims, or an int64 Tensor);
        None for an unknown shape, to be fed.
      name: a prefix for the placeholders' names (optional).

    Returns:
      A SparseTensor.

    Raises:
      RuntimeError: in eager mode, where nothing is fed.
    """
    if get_default_graph()._eager:
        raise RuntimeError("`sparse_placeholder` is not compatible with eager execution.")
    part = (lambda suffix: None) if name is None else (lambda suffix: f"{name}/{suffix}")
    if shape is None:
        rank, default = None, tensor_shape.unknown_shape()
        dense_shape = placeholder(_dtypes.int64, shape=[rank], name=part("shape"))
    else:
        if hasattr(shape, "dtype"):
            rank, default = shape.shape[0].value, _static_shape(shape)
        else:
            dims = [tensor_shape.dimension_value(d) for d in shape]
            rank = len(dims)
            default = tensor_shape.TensorShape([None if d == -1 else d for d in dims])
            shape = constant([-1 if d is None else d for d in dims], dtype=_dtypes.int64,
                             name=part("shape_default") or "Const")
        # a PlaceholderWithDefault stays feedable, where a Const read for the static shape
        # would not be
        dense_shape = placeholder_with_default(shape, shape=shape.shape, name=part("shape"))
    result = SparseTensor(
        values=placeholder(dtype, shape=[None], name=part("values")),
        indices=placeholder(_dtypes.int64, shape=[None, rank], name=part("indices")),
        dense_shape=dense_shape)
    result.set_shape(default)
    return result
