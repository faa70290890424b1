"""IndexedSlices: a sparse gradient, the rows `indices` of a tensor of shape `dense_shape`.

`gather` and `embedding_lookup` give their params' gradient in this form, so an optimizer can
update just those rows; anything else that needs it dense converts it (duplicates summed): the
conversion, an UnsortedSegmentSum, is registered by ops/manip_ops.py.
"""
import collections

__all__ = ["IndexedSlices", "IndexedSlicesValue"]

IndexedSlicesValue = collections.namedtuple("IndexedSlicesValue",
                                            ["values", "indices", "dense_shape"])


class IndexedSlices:
    """values[i] is row indices[i] of a tensor of shape dense_shape (rows may repeat)."""

    def __init__(self, values, indices, dense_shape=None):
        self.values, self.indices, self.dense_shape = values, indices, dense_shape

    name = property(lambda self: self.values.name)
    dtype = property(lambda self: self.values.dtype)
    op = property(lambda self: self.values.op)
    graph = property(lambda self: self.values.graph)

    def __repr__(self):
        return (f"IndexedSlices(indices={self.indices}, values={self.values}, "
                f"dense_shape={self.dense_shape})")
