"""Type specs: what a value is without the value (`tf.TensorSpec`, `tf.IndexedSlicesSpec`,
`tf.NoneTensorSpec`, `tf.type_spec_from_value`), as TF describes function signatures and
dataset elements."""
from minitf.framework import dtypes as _dtypes, tensor_shape as _tensor_shape
from minitf.framework.constant_op import _to_array, constant_value, convert_to_tensor
from minitf.framework.indexed_slices import IndexedSlices
from minitf.framework.ops import Tensor

__all__ = ["TypeSpec", "TensorSpec", "IndexedSlicesSpec", "NoneTensorSpec",
           "type_spec_from_value"]


class TypeSpec:
    """The base of the type specs.

    A spec is a value type plus the parameters (`_serialize()`) that tell its values apart;
    equal parameters make equal (and equally hashed) specs.
    """

    value_type = None  # the Python type of the values the spec describes

    def _serialize(self):
        raise NotImplementedError

    def is_compatible_with(self, spec_or_value):
        """Returns whether `spec_or_value` (a spec, or a value) could be of this spec.

        Args:
          spec_or_value: a TypeSpec or a value.
        """
        if not isinstance(spec_or_value, TypeSpec):
            spec_or_value = _spec_of(spec_or_value)
            if spec_or_value is None:
                return False
        return type(self) is type(spec_or_value) and all(
            _compatible(a, b) for a, b in zip(self._serialize(), spec_or_value._serialize()))

    def most_specific_compatible_type(self, other):
        """Returns the most specific spec compatible with both `self` and `other`.

        Dims that differ become unknown (shapes of different ranks: unknown rank); dtypes and
        names must be equal.

        Args:
          other: a TypeSpec.

        Raises:
          ValueError: no spec is compatible with both.
        """
        if type(self) is not type(other):
            raise ValueError(f"No TypeSpec is compatible with both {self!r} and {other!r}")
        parts = [_generalized(a, b) for a, b in zip(self._serialize(), other._serialize())]
        if any(p is _NONE for p in parts):
            raise ValueError(f"No TypeSpec is compatible with both {self!r} and {other!r}")
        return type(self)(*parts)

    def __eq__(self, other):
        return type(self) is type(other) and self._serialize() == other._serialize()

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((type(self).__name__, self._serialize()))

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(repr(p) for p in self._serialize())})"


_NONE = object()  # (no common parameter)


def _compatible(a, b):
    if isinstance(a, _tensor_shape.TensorShape):
        return a.is_compatible_with(b)
    return a == b or isinstance(a, str) or a is None  # names never decide compatibility


def _generalized(a, b):
    if isinstance(a, _tensor_shape.TensorShape):
        if a.ndims is None or b.ndims is None or a.ndims != b.ndims:
            return _tensor_shape.unknown_shape()
        return _tensor_shape.TensorShape([x if x == y else None
                                          for x, y in zip(a.as_list(), b.as_list())])
    return a if a == b else _NONE


def _shape(shape):
    return _tensor_shape.as_shape(shape)


class TensorSpec(TypeSpec):
    """Describes a Tensor: its static shape, dtype and an optional name.

    Args:
      shape: a TensorShape, a list of dims or None (unknown rank).
      dtype: the element type (default float32).
      name: an optional name.

    Raises:
      TypeError: `dtype` is not a dtype.

    >>> spec = tf.TensorSpec([None, 2], tf.float32, name="x")
    >>> spec, spec.is_compatible_with(tf.constant([[1.0, 2.0]]))
    (TensorSpec(shape=(?, 2), dtype=tf.float32, name='x'), True)
    """

    value_type = Tensor

    def __init__(self, shape, dtype=_dtypes.float32, name=None):
        self._shape = _shape(shape)
        self._dtype = _as_dtype(dtype)
        self._name = name

    shape = property(lambda self: self._shape, doc="The TensorShape.")
    dtype = property(lambda self: self._dtype, doc="The DType of the elements.")
    name = property(lambda self: self._name, doc="The name, or None.")

    @classmethod
    def from_spec(cls, spec, name=None):
        """Returns a TensorSpec of `spec`'s shape and dtype.

        Args:
          spec: a TensorSpec.
          name: the new spec's name (default: `spec`'s).
        """
        return cls(spec.shape, spec.dtype, name or spec.name)

    @classmethod
    def from_tensor(cls, tensor, name=None):
        """Returns the TensorSpec of `tensor`, named `name` (else the tensor's op name).

        Args:
          tensor: a Tensor.
          name: an optional name.

        Raises:
          ValueError: `tensor` is not a Tensor.
        """
        if not isinstance(tensor, Tensor):
            raise ValueError(f"`tensor` should be a tf.Tensor, but got type {type(tensor)}.")
        default = None if tensor._op is None else tensor.op.name
        return cls(tensor.shape, tensor.dtype.base_dtype, name or default)

    def _serialize(self):
        return (self._shape, self._dtype, self._name)

    def __repr__(self):
        return f"TensorSpec(shape={self._shape}, dtype={self._dtype!r}, name={self._name!r})"


def _as_dtype(dtype):
    try:
        return _dtypes.as_dtype(dtype)
    except TypeError:
        raise TypeError(f"Cannot convert the argument `type_value`: {dtype!r} to a TensorFlow "
                        "DType.") from None


class IndexedSlicesSpec(TypeSpec):
    """Describes IndexedSlices.

    It holds the dense shape, the dtypes of values, indices and dense_shape (None when there
    is none), and the shape of the indices.

    Args:
      shape: the dense shape (None: unknown).
      dtype: the values' dtype.
      indices_dtype: the indices' dtype.
      dense_shape_dtype: the dense_shape tensor's dtype, or None.
      indices_shape: the indices' shape, of rank 1 (None: [None]).

    Raises:
      ValueError: `indices_shape` is not of rank 1.
    """

    value_type = IndexedSlices

    def __init__(self, shape=None, dtype=_dtypes.float32, indices_dtype=_dtypes.int64,
                 dense_shape_dtype=None, indices_shape=None):
        self._shape = _shape(shape)
        self._values_dtype = _as_dtype(dtype)
        self._indices_dtype = _as_dtype(indices_dtype)
        self._dense_shape_dtype = None if dense_shape_dtype is None else _as_dtype(
            dense_shape_dtype)
        self._indices_shape = _shape(indices_shape).with_rank(1)

    shape = property(lambda self: self._shape, doc="The dense shape.")
    dtype = property(lambda self: self._values_dtype, doc="The values' DType.")

    def _serialize(self):
        return (self._shape, self._values_dtype, self._indices_dtype, self._dense_shape_dtype,
                self._indices_shape)


class NoneTensorSpec(TypeSpec):
    """Describes None where a structure of tensors has no tensor (TF's NoneTensor)."""

    value_type = type(None)

    def _serialize(self):
        return ()


def _spec_of(value):
    if isinstance(value, (Tensor, IndexedSlices)) or hasattr(value, "_as_graph_element") or (
            hasattr(value, "_type_spec")):
        return type_spec_from_value(value)
    return None


def type_spec_from_value(value):
    """Returns the TypeSpec of `value`.

    That is a TensorSpec of a Tensor, a variable or a value `tf.convert_to_tensor` takes; an
    IndexedSlicesSpec of IndexedSlices; a NoneTensorSpec of None.

    Args:
      value: the value.

    Returns:
      A TypeSpec.

    Raises:
      TypeError: no TypeSpec describes `value`.

    >>> tf.type_spec_from_value(np.zeros([2, 3]))
    TensorSpec(shape=(2, 3), dtype=tf.float64, name=None)
    """
    if value is None:
        return NoneTensorSpec()
    if hasattr(value, "_type_spec"):  # (a higher layer's value: a TensorArray)
        return value._type_spec
    if isinstance(value, IndexedSlices):
        return _indexed_slices_spec(value)
    if isinstance(value, Tensor):
        return TensorSpec(value.shape, value.dtype.base_dtype)
    if hasattr(value, "_as_graph_element") and hasattr(value, "dtype"):  # a variable
        return TensorSpec(value.shape, value.dtype.base_dtype)
    try:  # (a value's spec needs no op in the graph)
        array, dtype = _to_array(value, None, None, False)
    except (TypeError, ValueError):
        try:
            tensor = convert_to_tensor(value)
        except (TypeError, ValueError):
            raise TypeError(f"Could not build a TypeSpec for {value!r} of unsupported type "
                            f"{type(value)}.") from None
        return TensorSpec(tensor.shape, tensor.dtype)
    return TensorSpec(array.shape, dtype)


def _indexed_slices_spec(value):
    dense = value.dense_shape
    known = None if dense is None else constant_value(dense)
    if known is not None:
        shape = _tensor_shape.TensorShape([int(d) for d in known])
    else:
        shape = _tensor_shape.TensorShape([None]).concatenate(value.values.shape[1:])
    return IndexedSlicesSpec(shape, value.values.dtype, value.indices.dtype,
                             None if dense is None else dense.dtype, value.indices.shape)
