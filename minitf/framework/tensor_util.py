"""Values known while the graph is built (`tf.get_static_value`), TF's TensorProto
(`tf.make_tensor_proto`, `tf.make_ndarray`) and the dimension helpers of `tf.TensorShape`.

TensorProto is the message class of tensor_pb.py: its bytes (`SerializeToString`) and text are
TF's.
"""
import numpy as np

from minitf.framework import dtypes as _dtypes, tensor_shape as _tensor_shape
from minitf.framework.attr_values import shape_proto
from minitf.framework.constant_op import _check_compatible, _const
from minitf.framework.ops import Tensor
from minitf.framework.tensor_pb import TensorProto

__all__ = ["get_static_value", "make_tensor_proto", "make_ndarray", "TensorProto",
           "dimension_value", "dimension_at_index"]

dimension_value = _tensor_shape.dimension_value


def dimension_at_index(shape, index):
    """Returns dimension `index` of `shape` as a Dimension (unknown for a shape of unknown rank).

    Args:
      shape: a TensorShape.
      index: the dimension's index.

    Returns:
      A Dimension.

    Raises:
      IndexError: `index` is out of range of a shape of known rank.
    """
    if not isinstance(shape, _tensor_shape.TensorShape):
        raise AssertionError()  # TF asserts the type, with no message
    if shape.ndims is None:
        return _tensor_shape.Dimension(None)
    return shape.dims[index]


# -- constant folding at graph-build time --------------------------------------------------------
def get_static_value(tensor, partial=False):
    """Returns the value of `tensor` if it is known while the graph is built, else None.

    Consts, and shapes, sizes and ranks of tensors of known static shape, are known; so are
    Range, Cast, ConcatV2, Pack, Unpack, Split, Fill, Equal, NotEqual, Identity and
    StopGradient of known values (TF's list). A tensor whose value is returned may no longer be fed
    (its consumers may have been built from the value).

    Args:
      tensor: a Tensor (a non-tensor is returned as it is; a variable gives None).
      partial: if True, a Pack of some unknown values gives an object array with None for them.

    Returns:
      A NumPy value, or None.

    >>> tf.get_static_value(tf.concat([[1], [2, 3]], 0))
    array([1, 2, 3], dtype=int32)
    """
    if not isinstance(tensor, Tensor):
        return None if hasattr(tensor, "_as_graph_element") else tensor
    if tensor._op is None:  # eager
        return tensor.numpy()
    value = _folded(tensor, partial)
    if value is not None:
        tensor.graph.prevent_feeding(tensor)
    return value


def _folded(tensor, partial):
    op = tensor._op
    fold = _FOLDS.get(op.type)
    return None if fold is None else fold(tensor, op, partial)


def _all_known(tensors):
    values = [_folded(t, False) for t in tensors]
    return None if any(v is None for v in values) else values


def _shape_of(tensor, op, partial):
    shape = op._inputs[0]._shape
    if shape is None or None in shape:
        return None
    return np.array(shape, dtype=tensor.dtype.as_numpy_dtype)


def _size_of(tensor, op, partial):
    shape = op._inputs[0]._shape
    if shape is None or None in shape:
        return None
    return np.array(np.prod(shape), dtype=np.int32)


def _range(tensor, op, partial):
    values = _all_known(op._inputs)
    return None if values is None else np.arange(*values, dtype=tensor.dtype.as_numpy_dtype)


def _cast(tensor, op, partial):
    value = _folded(op._inputs[0], False)
    return None if value is None else value.astype(tensor.dtype.as_numpy_dtype)


def _concat(tensor, op, partial):
    values = _all_known(op._inputs)
    return None if values is None else np.concatenate(values, axis=op._attrs["axis"])


def _pack(tensor, op, partial):
    if not op._inputs or op._attrs["axis"] != 0:
        return None
    values = [_folded(t, partial) for t in op._inputs]
    if not partial and any(v is None for v in values):
        return None
    try:
        return np.array(values)
    except ValueError:  # (partial) some are None
        return np.array(values, dtype=object)


def _unpack(tensor, op, partial):
    if op._attrs["axis"] != 0:
        return None
    value = _folded(op._inputs[0], partial)
    return None if value is None else value[tensor.value_index]


def _split(tensor, op, partial):
    value = _folded(op._inputs[0], partial)
    if value is None:
        return None
    bounds = np.cumsum(op._attrs["sizes"])[:-1]
    return np.split(value, bounds, op._attrs["axis"])[tensor.value_index]


def _fill(tensor, op, partial):
    value = _folded(op._inputs[1], False)
    shape = tensor._shape
    if value is None or shape is None or None in shape:
        return None
    return np.full(shape, value, dtype=value.dtype)


def _compare(fn):
    def fold(tensor, op, partial):
        values = _all_known(op._inputs)
        return None if values is None else fn(*values)
    return fold


def _forward(tensor, op, partial):
    return _folded(op._inputs[0], partial)


def _const_value(tensor, op, partial):
    if op._opdef is not _const:
        return None
    return np.array(op._attrs["value"])  # a copy the caller may change


_FOLDS = {"Const": _const_value, "Shape": _shape_of, "Size": _size_of,
          "Rank": lambda t, op, p: None if op._inputs[0]._shape is None else np.array(
              len(op._inputs[0]._shape), dtype=np.int32),
          "Range": _range, "Cast": _cast, "ConcatV2": _concat, "Pack": _pack,
          "Unpack": _unpack, "Split": _split, "Fill": _fill,
          "Equal": _compare(np.equal), "NotEqual": _compare(np.not_equal),
          "StopGradient": _forward, "Identity": _forward}


# -- TensorProto -------------------------------------------------------------------------------
# the typed field each dtype's values go to when not packed into tensor_content (TF's rules)
_VAL_FIELDS = {"float16": "half_val", "bfloat16": "half_val", "float32": "float_val",
               "float64": "double_val", "int32": "int_val", "uint8": "int_val",
               "uint16": "int_val", "int16": "int_val", "int8": "int_val", "int64": "int64_val",
               "uint32": "uint32_val", "uint64": "uint64_val", "complex64": "scomplex_val",
               "complex128": "dcomplex_val", "bool": "bool_val", "string": "string_val"}
_CONTENT_TYPES = {"float16", "float32", "float64", "int32", "uint8", "int16", "int8", "int64",
                  "uint32", "uint64"}


def make_tensor_proto(values, dtype=None, shape=None, verify_shape=False, allow_broadcast=False):
    """Returns a TensorProto holding `values` (as a Const op's `value` attr does in TF).

    Values are converted as `tf.constant` converts them (Python floats to float32, ints to
    int32 when they fit). Values filling their whole shape, of a numeric type of more than one
    element, go to `tensor_content` as raw bytes; others to the typed list of their dtype.

    Args:
      values: a Python or NumPy value (a TensorProto is returned as it is).
      dtype: the element type (None: inferred).
      shape: the shape (None: the value's own). Fewer values than it holds are allowed; the
        last one fills the rest when the proto is read.
      verify_shape: if True, the value's shape must be `shape`.
      allow_broadcast: if True, a scalar or one-element value may fill `shape`; otherwise the
        sizes must match.

    Returns:
      A TensorProto.

    Raises:
      TypeError: a value does not fit `dtype`, or the shapes differ (`verify_shape`,
        `allow_broadcast`).
      ValueError: more values than `shape` holds, `values` is None, or both `verify_shape`
        and `allow_broadcast` are set.

    >>> tf.make_tensor_proto([1, 2]).int_val, len(tf.make_tensor_proto([1, 2]).tensor_content)
    ([], 8)
    """
    if allow_broadcast and verify_shape:
        raise ValueError("allow_broadcast and verify_shape are not both allowed.")
    if isinstance(values, TensorProto):
        return values
    dtype = None if dtype is None else _dtypes.as_dtype(dtype)
    array, dtype = _as_array(values, dtype, shape)
    if shape is None:
        shape, size = array.shape, array.size
    else:
        shape = tuple(int(d) for d in shape)
        size = int(np.prod(shape, dtype=np.int64))
        _check_shape(array, shape, size, verify_shape, allow_broadcast)
    proto = TensorProto(dtype=dtype.as_datatype_enum, tensor_shape=shape_proto(shape))
    if size == array.size and dtype.name in _CONTENT_TYPES and size > 1:
        proto.tensor_content = np.ascontiguousarray(array).tobytes()
        return proto
    getattr(proto, _VAL_FIELDS[dtype.name]).extend(_proto_values(array.ravel(), dtype))
    return proto



def _as_array(values, dtype, shape):
    if values is None:
        raise ValueError("None values not supported.")
    np_dtype = None if dtype is None or dtype == _dtypes.string else dtype.as_numpy_dtype
    if isinstance(values, (np.ndarray, np.generic)):
        array = values if np_dtype is None else values.astype(np_dtype)
    elif shape is not None and np.prod(shape, dtype=np.int64) == 0:
        array = np.empty(shape, dtype=np_dtype)
    else:
        if dtype is not None:
            _check_compatible(values, dtype)
        array = np.array(values, dtype=np_dtype)
        if array.dtype == np.float64 and dtype is None:
            array = array.astype(np.float32)
        elif array.dtype == np.int64 and dtype is None and np.array_equal(
                array.astype(np.int32), array):
            array = array.astype(np.int32)
    if array.dtype.kind in "USO":
        array = np.array([v.encode() if isinstance(v, str) else v for v in array.ravel()],
                         dtype=object).reshape(array.shape)
        return array, _dtypes.string
    found = _dtypes.as_dtype(array.dtype)
    if dtype is not None and dtype.base_dtype != found:
        raise TypeError(f"`dtype` {dtype} is not compatible with {values} of dtype "
                        f"{array.dtype}.")
    return array, found


def _check_shape(array, shape, size, verify_shape, allow_broadcast):
    if allow_broadcast:
        if array.shape not in ((1,), ()) and array.size != size:
            raise TypeError(f"Expected Tensor's shape: {shape}, but got {array.shape}.")
        return
    if verify_shape and array.shape != shape:
        raise TypeError(f"Expected Tensor's shape: {shape}, but got {array.shape}.")
    if array.size > size:
        raise ValueError(f"Too many elements provided. Takes at most {size:d}, but got "
                         f"{array.size:d}.")


def _proto_values(flat, dtype):
    if dtype.name in ("float16", "bfloat16"):
        return flat.view(np.uint16).tolist()
    if dtype.is_complex:
        return np.stack([flat.real, flat.imag], axis=-1).ravel().tolist()
    return flat.tolist()


def make_ndarray(tensor):
    """Returns the NumPy array a TensorProto holds (a new, writable array).

    Args:
      tensor: a TensorProto.

    Returns:
      An array of the proto's dtype and shape; typed lists shorter than the shape are filled
      up with their last element.

    Raises:
      TypeError: the proto's dtype is not supported.

    >>> tf.make_ndarray(tf.make_tensor_proto(7.0, shape=[2]))
    array([7., 7.], dtype=float32)
    """
    shape = tuple(d.size for d in tensor.tensor_shape.dim)
    dtype = _dtypes.as_dtype(tensor.dtype)
    np_dtype = dtype.as_numpy_dtype
    size = int(np.prod(shape, dtype=np.int64))
    if tensor.tensor_content:
        return np.frombuffer(tensor.tensor_content, dtype=np_dtype).copy().reshape(shape)
    field = _VAL_FIELDS.get(dtype.name)
    if field is None:
        raise TypeError(f"Unsupported tensor type: {tensor.dtype}. See "
                        "https://www.tensorflow.org/api_docs/python/tf/dtypes for supported TF "
                        "dtypes.")
    values = getattr(tensor, field)
    if dtype == _dtypes.string:
        values = np.array(list(values) + [values[-1] if values else b""] * (
            size - len(values)), dtype=object)
    elif field == "half_val":
        values = np.array(values, dtype=np.uint16).view(np_dtype)
    elif dtype.is_complex:
        pairs = np.array(values, dtype=np_dtype().real.dtype).reshape(-1, 2)
        values = (pairs[:, 0] + 1j * pairs[:, 1]).astype(np_dtype)
    else:
        values = np.array(values, dtype=np_dtype)
    if values.size == 0:
        return np.zeros(shape, np_dtype)
    if values.size != size:
        values = np.pad(values, (0, size - values.size), "edge")
    return values.reshape(shape)
