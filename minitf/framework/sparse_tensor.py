"""SparseTensor: a tensor given by its non-zero entries, `values[i]` at `indices[i]` of a dense
tensor of shape `dense_shape`; and SparseTensorValue, what `Session.run` gives for one.

A SparseTensor is three dense tensors, no op of its own: ops on it (minitf/ops/sparse_ops.py)
take and make the three. `Session.run` fetches it as a SparseTensorValue and feeds one (or an
`(indices, values, dense_shape)` tuple) to its three tensors (minitf/session.py).
"""
import collections

import numpy as np

from minitf.framework import dtypes, tensor_shape
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.ops import _session_for
from minitf.framework.tensor_util import get_static_value

__all__ = ["SparseTensor", "SparseTensorValue", "convert_to_tensor_or_sparse_tensor",
           "is_sparse"]

SparseTensorValue = collections.namedtuple("SparseTensorValue",
                                           ["indices", "values", "dense_shape"])
SparseTensorValue.__doc__ = """The value of a SparseTensor that `Session.run` returns.

A namedtuple of NumPy arrays `indices` ([N, rank] int64), `values` ([N]) and `dense_shape`
([rank] int64); also what a SparseTensor may be fed.
"""


class SparseTensor:
    """A sparse tensor: `values[i]` is the entry at `indices[i]`, all others are zero.

    The three component tensors are made (as Consts where given values) in a name scope
    "SparseTensor": `indices` int64 of shape `[N, rank]`, `values` of shape `[N]`, `dense_shape`
    int64 of shape `[rank]`. By convention indices are in row-major order (`tf.sparse.reorder`
    sorts them); this is not checked here. `dtype` is that of `values`, `op` the op making
    `values`, `graph` the graph of `indices`; `shape` is the static dense shape, as far as
    `dense_shape` is known while the graph is built.

    >>> st = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1.0, 2.0], dense_shape=[3, 4])
    >>> st.shape, st.dtype, st.indices.name
    (TensorShape([Dimension(3), Dimension(4)]), tf.float32, 'SparseTensor/indices:0')

    Args:
      indices: a 2-D int64 tensor (or value) of shape `[N, rank]`.
      values: a 1-D tensor (or value) of any dtype and shape `[N]`.
      dense_shape: a 1-D int64 tensor (or value) of shape `[rank]`.

    Raises:
      ValueError: the components' static shapes have the wrong ranks or disagree (N, rank).
    """

    def __init__(self, indices, values, dense_shape):
        with name_scope(None, "SparseTensor", [indices, values, dense_shape]):
            indices = convert_to_tensor(indices, name="indices", dtype=dtypes.int64)
            values = convert_to_tensor(values, name="values")
            dense_shape = convert_to_tensor(dense_shape, name="dense_shape", dtype=dtypes.int64)
        self._indices, self._values, self._dense_shape = indices, values, dense_shape
        self._dense_shape_default = _static_shape(dense_shape)
        indices_shape = indices.shape.with_rank(2)
        values_shape = values.shape.with_rank(1)
        dense_shape_shape = dense_shape.shape.with_rank(1)
        indices_shape[0].assert_is_compatible_with(values_shape[0])
        indices_shape[1].assert_is_compatible_with(dense_shape_shape[0])

    @classmethod
    def from_value(cls, sparse_tensor_value):
        """Returns a SparseTensor of the components of a SparseTensorValue (or SparseTensor).

        Args:
          sparse_tensor_value: a SparseTensorValue or SparseTensor.

        Raises:
          TypeError: the argument is neither.
        """
        if not is_sparse(sparse_tensor_value):
            raise TypeError(f"Argument sparse_tensor_value={sparse_tensor_value} is neither a "
                            "SparseTensor nor SparseTensorValue.")
        return cls(sparse_tensor_value.indices, sparse_tensor_value.values,
                   sparse_tensor_value.dense_shape)

    indices = property(lambda self: self._indices,
                       doc="The [N, rank] int64 indices of the non-zero values.")
    values = property(lambda self: self._values, doc="The [N] non-zero values.")
    dense_shape = property(lambda self: self._dense_shape,
                           doc="The [rank] int64 shape of the dense tensor.")
    dtype = property(lambda self: self._values.dtype, doc="The dtype of the values.")
    op = property(lambda self: self._values.op, doc="The Operation that makes `values`.")
    graph = property(lambda self: self._indices.graph, doc="The graph of the components.")
    shape = property(lambda self: self._dense_shape_default,
                     doc="The static shape (a TensorShape) of the dense tensor.")

    def get_shape(self):
        """Returns the static shape of the dense tensor (a TensorShape)."""
        return self._dense_shape_default

    def set_shape(self, shape):
        """Merges `shape` into the static dense shape.

        Args:
          shape: a TensorShape, list or tuple (None dims leave those dims as they are).

        Raises:
          ValueError: `shape` is not compatible with the current static shape.
        """
        self._dense_shape_default = self._dense_shape_default.merge_with(
            tensor_shape.as_shape(shape))

    def with_values(self, new_values):
        """Returns a SparseTensor of these indices and dense_shape with `new_values`.

        Args:
          new_values: a 1-D tensor (or value) of the same length, of any dtype.
        """
        return SparseTensor(self._indices, new_values, self._dense_shape)

    def consumers(self):
        """Returns the Operations that take any of the three components, oldest first."""
        ops = [op for t in (self._indices, self._values, self._dense_shape)
               for op in t.consumers()]
        return list(dict.fromkeys(ops))

    def eval(self, feed_dict=None, session=None):
        """Computes the value in a session: a SparseTensorValue.

        Args:
          feed_dict: optional feeds, as for `Session.run`.
          session: the Session to use (default: the default session).

        Raises:
          ValueError: there is no default session, or the session runs another graph.
        """
        return _session_for(self, session).run(self, feed_dict)

    def __repr__(self):
        return (f"SparseTensor(indices={self._indices}, values={self._values}, "
                f"dense_shape={self._dense_shape})")


def _static_shape(dense_shape):
    """TF's constant_value_as_shape of a dense_shape tensor: a known value, the shape of a Shape
    op's input, the known scalars of a Pack, else only the rank."""
    value = get_static_value(dense_shape)
    if value is not None:
        return tensor_shape.TensorShape([None if d < 0 else int(d)
                                         for d in np.reshape(value, -1).tolist()])
    op = dense_shape.op
    if op.type == "Shape":
        return tensor_shape.TensorShape(op.inputs[0]._shape)
    if op.type == "Pack" and op.get_attr("axis") == 0:
        parts = [get_static_value(t) for t in op.inputs]
        return tensor_shape.TensorShape([None if v is None or v < 0 else int(v)
                                         for v in parts])
    rank = dense_shape._shape[0] if dense_shape._shape else None
    return tensor_shape.unknown_shape(rank)


def is_sparse(x):
    """Returns True for a SparseTensor or SparseTensorValue.

    Args:
      x: any object.
    """
    return isinstance(x, (SparseTensor, SparseTensorValue))


def convert_to_tensor_or_sparse_tensor(value, dtype=None, name=None):
    """Converts `value` to a SparseTensor (from a SparseTensorValue) or a Tensor.

    Args:
      value: a SparseTensor, SparseTensorValue, or anything `convert_to_tensor` takes.
      dtype: the dtype the result must have (optional).
      name: a name for a new tensor (optional).

    Returns:
      A SparseTensor or a Tensor.

    Raises:
      RuntimeError: `dtype` is given and a sparse value has another dtype.
    """
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, SparseTensorValue):
        value = SparseTensor.from_value(value)
    if isinstance(value, SparseTensor):
        if dtype and not dtype.is_compatible_with(value.dtype):
            raise RuntimeError(f"Sparse dtype mismatch. Requested: {dtype.name}, "
                               f" Actual: {value.dtype.name}")
        return value
    return convert_to_tensor(value, dtype=dtype, name=name)
