"""IndexedSlices: a sparse gradient, the rows `indices` of a tensor of shape `dense_shape`.

`gather` and `embedding_lookup` give their params' gradient in this form, so an optimizer can
update just those rows; anything else that needs it dense converts it (duplicates summed): the
conversion, an UnsortedSegmentSum, is registered by ops/manip_ops.py.
"""
import collections

__all__ = ["IndexedSlices", "IndexedSlicesValue"]

IndexedSlicesValue = collections.namedtuple("IndexedSlicesValue",
                                            ["values", "indices", "dense_shape"])
IndexedSlicesValue.__doc__ = """The value of IndexedSlices that `Session.run` returns.

A namedtuple of NumPy arrays: `values`, `indices` and `dense_shape` (None when the IndexedSlices
had none).
"""


class IndexedSlices:
    """A sparse slice of a tensor: `values[i]` is row `indices[i]` of a dense tensor.

    The form of the gradient of `tf.gather` and `tf.nn.embedding_lookup` with respect to
    their params: optimizers update just those rows. Rows may repeat; where it is used as a
    tensor (`tf.convert_to_tensor`, an op's input) it becomes dense, the repeated rows summed.
    `name`, `dtype`, `op` and `graph` are those of `values`.

    Args:
      values: a Tensor of shape `[n] + dense_shape[1:]`.
      indices: a 1-D integer Tensor of `n` row numbers.
      dense_shape: a 1-D integer Tensor (or None): the shape of the dense tensor.
    """

    def __init__(self, values, indices, dense_shape=None):
        self.values, self.indices, self.dense_shape = values, indices, dense_shape

    name = property(lambda self: self.values.name)
    dtype = property(lambda self: self.values.dtype)
    op = property(lambda self: self.values.op)
    graph = property(lambda self: self.values.graph)

    def __repr__(self):
        return (f"IndexedSlices(indices={self.indices}, values={self.values}, "
                f"dense_shape={self.dense_shape})")
