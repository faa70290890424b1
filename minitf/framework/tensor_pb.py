"""TF's tensor messages: the DataType enum (tensorflow/core/framework/types.proto),
TensorShapeProto (tensor_shape.proto), TensorProto (tensor.proto) and ResourceHandleProto
(resource_handle.proto), with TF's field names and numbers, so their bytes and text are TF's.

>>> from minitf.framework.tensor_pb import DT_FLOAT, TensorProto
>>> proto = TensorProto(dtype=DT_FLOAT, float_val=[1.5])
>>> _ = proto.tensor_shape.dim.add(size=2)
>>> print(proto, end="")
dtype: DT_FLOAT
tensor_shape {
  dim {
    size: 2
  }
}
float_val: 1.5
>>> proto.SerializeToString()
b'\\x08\\x01\\x12\\x04\\x12\\x02\\x08\\x02*\\x04\\x00\\x00\\xc0?'

The module also has TF's `DT_*` constants (`DT_FLOAT` is 1), as types_pb2 has.
"""
from minitf.framework.proto import Enum, Field, Message

__all__ = ["DataType", "TensorShapeProto", "TensorProto", "ResourceHandleProto",
           "VariantTensorDataProto"]

_PACKAGE = "tensorflow"

_BASE_TYPES = dict(
    DT_INVALID=0, DT_FLOAT=1, DT_DOUBLE=2, DT_INT32=3, DT_UINT8=4, DT_INT16=5, DT_INT8=6,
    DT_STRING=7, DT_COMPLEX64=8, DT_INT64=9, DT_BOOL=10, DT_QINT8=11, DT_QUINT8=12,
    DT_QINT32=13, DT_BFLOAT16=14, DT_QINT16=15, DT_QUINT16=16, DT_UINT16=17,
    DT_COMPLEX128=18, DT_HALF=19, DT_RESOURCE=20, DT_VARIANT=21, DT_UINT32=22, DT_UINT64=23,
    DT_FLOAT8_E5M2=24, DT_FLOAT8_E4M3FN=25, DT_FLOAT8_E4M3FNUZ=26, DT_FLOAT8_E4M3B11FNUZ=27,
    DT_FLOAT8_E5M2FNUZ=28, DT_INT4=29, DT_UINT4=30, DT_INT2=31, DT_UINT2=32,
    DT_FLOAT4_E2M1FN=33)
# the reference types are the base types plus 100 (DT_INVALID has none)
_REF_TYPES = {f"{name}_REF": number + 100 for name, number in _BASE_TYPES.items() if number}

DataType = Enum(**_BASE_TYPES, **_REF_TYPES)
DataType.name = "DataType"
globals().update(DataType.items())  # DT_FLOAT = 1, ... as module constants (types_pb2's idiom)


class TensorShapeProto(Message):
    """A shape: its dimensions (`size` -1 when unknown) or `unknown_rank`."""

    class Dim(Message):
        """One dimension: `size` (-1 when unknown) and an optional `name`."""

        size = Field(1, "int64")
        name = Field(2, "string")

    dim = Field(2, Dim, repeated=True)
    unknown_rank = Field(3, "bool")


class ResourceHandleProto(Message):
    """A handle to a resource (a resource variable, a table, ...)."""

    class DtypeAndShape(Message):
        """The dtype and shape of a value the resource holds."""

        dtype = Field(1, DataType)
        shape = Field(2, TensorShapeProto)

    device = Field(1, "string")
    container = Field(2, "string")
    name = Field(3, "string")
    hash_code = Field(4, "uint64")
    maybe_type_name = Field(5, "string")
    dtypes_and_shapes = Field(6, DtypeAndShape, repeated=True)


class TensorProto(Message):
    """A tensor's value: its dtype, shape and elements.

    The elements are either the raw bytes `tensor_content` or the typed list of the dtype
    (`float_val`, `int_val`, `string_val`, ...); a typed list may be shorter than the shape,
    its last element then fills the rest. `tf.make_tensor_proto` makes one, `tf.make_ndarray`
    reads it back.
    """

    dtype = Field(1, DataType)
    tensor_shape = Field(2, TensorShapeProto)
    version_number = Field(3, "int32")
    tensor_content = Field(4, "bytes")
    half_val = Field(13, "int32", repeated=True)
    float_val = Field(5, "float", repeated=True)
    double_val = Field(6, "double", repeated=True)
    int_val = Field(7, "int32", repeated=True)
    string_val = Field(8, "bytes", repeated=True)
    scomplex_val = Field(9, "float", repeated=True)
    int64_val = Field(10, "int64", repeated=True)
    bool_val = Field(11, "bool", repeated=True)
    dcomplex_val = Field(12, "double", repeated=True)
    resource_handle_val = Field(14, ResourceHandleProto, repeated=True)
    variant_val = Field(15, "VariantTensorDataProto", repeated=True)
    uint32_val = Field(16, "uint32", repeated=True)
    uint64_val = Field(17, "uint64", repeated=True)
    float8_val = Field(18, "bytes")


class VariantTensorDataProto(Message):
    """The serialized value of a variant tensor: a type name, metadata and tensors."""

    type_name = Field(1, "string")
    metadata = Field(2, "bytes")
    tensors = Field(3, TensorProto, repeated=True)
