"""IndexedSlices: a sparse gradient, the rows `indices` of a tensor of shape `dense_shape`.

`gather` and `embedding_lookup` give their params' gradient in this form, so an optimizer can
update just those rows; anything else that needs it dense converts it (duplicates summed).
"""
import collections

from minitf.framework import dtypes
from minitf.framework.constant_op import constant_value, register_tensor_conversion_function

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


def to_dense(slices, name=None):
    """The dense tensor of `slices`: rows summed into zeros of the dense shape."""
    from minitf.ops import manip_ops

    if slices.dense_shape is None:
        raise ValueError(f"Cannot convert {slices!r} to a Tensor without its dense_shape.")
    rows = constant_value(slices.dense_shape)
    rows = slices.dense_shape[0] if rows is None else int(rows[0])
    return manip_ops.unsorted_segment_sum(slices.values, slices.indices, rows, name=name)


def _to_tensor(value, dtype=None, name=None, as_ref=False):
    if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
        raise ValueError(f"Tensor conversion requested dtype {dtype.name} for IndexedSlices "
                         f"with dtype {value.dtype.name}")
    return to_dense(value, name)


register_tensor_conversion_function(IndexedSlices, _to_tensor)
