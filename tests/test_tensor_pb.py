"""TF's tensor messages (minitf/framework/tensor_pb.py) and tf.make_tensor_proto's messages:
the bytes are what TF's protobuf writes (literals made with TF 2.21's tensor_pb2 and
tf.make_tensor_proto)."""
import numpy as np
import pytest

import minitf as tf
from minitf.framework import tensor_pb
from minitf.framework.tensor_pb import (
    DataType,
    ResourceHandleProto,
    TensorProto,
    TensorShapeProto,
)


def test_datatype_numbers_are_tfs():
    assert (tensor_pb.DT_INVALID, tensor_pb.DT_FLOAT, tensor_pb.DT_STRING, tensor_pb.DT_BOOL,
            tensor_pb.DT_BFLOAT16, tensor_pb.DT_HALF, tensor_pb.DT_RESOURCE,
            tensor_pb.DT_VARIANT, tensor_pb.DT_UINT64, tensor_pb.DT_FLOAT4_E2M1FN) == (
        0, 1, 7, 10, 14, 19, 20, 21, 23, 33)
    assert tensor_pb.DT_FLOAT_REF == 101 and tensor_pb.DT_UINT64_REF == 123
    assert DataType.Name(19) == "DT_HALF" and DataType.Value("DT_INT64") == 9
    for dtype in (tf.float32, tf.float16, tf.int64, tf.bool, tf.string, tf.complex128):
        assert DataType.Value("DT_" + {"float32": "FLOAT", "float16": "HALF"}.get(
            dtype.name, dtype.name.upper())) == dtype.as_datatype_enum


def test_tensor_shape_proto_bytes():
    assert TensorShapeProto(unknown_rank=True).SerializeToString() == b"\x18\x01"
    shape = TensorShapeProto()
    shape.dim.add(size=-1)
    shape.dim.add(size=4, name="n")
    assert shape.SerializeToString() == (
        b"\x12\x0b\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\x12\x05\x08\x04\x12\x01n")
    assert TensorShapeProto.FromString(shape.SerializeToString()) == shape
    assert [d.size for d in shape.dim] == [-1, 4]


def test_resource_handle_proto_bytes():
    handle = ResourceHandleProto(device="/cpu:0", name="v", hash_code=7)
    entry = handle.dtypes_and_shapes.add(dtype=tensor_pb.DT_FLOAT)
    entry.shape.dim.add(size=3)
    assert handle.SerializeToString() == (
        b"\n\x06/cpu:0\x1a\x01v \x072\x08\x08\x01\x12\x04\x12\x02\x08\x03")


# (values, make_tensor_proto kwargs, TF's bytes)
MADE = [
    ([1, 2], {}, b'\x08\x03\x12\x04\x12\x02\x08\x02"\x08\x01\x00\x00\x00\x02\x00\x00\x00'),
    (7.0, {}, b"\x08\x01\x12\x00*\x04\x00\x00\xe0@"),
    ("ab", {}, b"\x08\x07\x12\x00B\x02ab"),
    ([True], {}, b"\x08\n\x12\x04\x12\x02\x08\x01Z\x01\x01"),
    ([True, False], {}, b"\x08\n\x12\x04\x12\x02\x08\x02Z\x02\x01\x00"),
    ([1 + 2j], {}, b"\x08\x12\x12\x04\x12\x02\x08\x01b\x10\x00\x00\x00\x00\x00\x00\xf0?"
                   b"\x00\x00\x00\x00\x00\x00\x00@"),
    (np.array([1 + 2j], np.complex64), {}, b"\x08\x08\x12\x04\x12\x02\x08\x01J\x08\x00\x00"
                                           b"\x80?\x00\x00\x00@"),
    (3, {}, b"\x08\x03\x12\x00:\x01\x03"),
    (np.float16([1.5, 2]), {}, b'\x08\x13\x12\x04\x12\x02\x08\x02"\x04\x00>\x00@'),
    (["a", "bc"], {}, b"\x08\x07\x12\x04\x12\x02\x08\x02B\x01aB\x02bc"),
    ([1, 2, 3], {"dtype": tf.int64},
     b'\x08\t\x12\x04\x12\x02\x08\x03"\x18\x01\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00'
     b"\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00"),
    (7.0, {"shape": [2, 2]}, b"\x08\x01\x12\x08\x12\x02\x08\x02\x12\x02\x08\x02*\x04\x00\x00\xe0@"),
    ([1, 2], {"shape": [2, 2]}, b"\x08\x03\x12\x08\x12\x02\x08\x02\x12\x02\x08\x02:\x02\x01\x02"),
    (np.uint64([5]), {}, b"\x08\x17\x12\x04\x12\x02\x08\x01\x8a\x01\x01\x05"),
    (np.array([[1.5]]), {}, b"\x08\x02\x12\x08\x12\x02\x08\x01\x12\x02\x08\x012\x08\x00\x00\x00"
                            b"\x00\x00\x00\xf8?"),
]


@pytest.mark.parametrize("values, kwargs, expected", MADE)
def test_make_tensor_proto_writes_tfs_bytes(values, kwargs, expected):
    proto = tf.make_tensor_proto(values, **kwargs)
    assert isinstance(proto, TensorProto)
    assert proto.SerializeToString() == expected
    back = TensorProto.FromString(expected)
    assert back == proto
    np.testing.assert_array_equal(tf.make_ndarray(back), tf.make_ndarray(proto))


def test_tensor_proto_text_and_parsing():
    proto = tf.make_tensor_proto([[1.0, 2.0]])
    assert str(proto) == (
        'dtype: DT_FLOAT\ntensor_shape {\n  dim {\n    size: 1\n  }\n  dim {\n    size: 2\n  }\n'
        '}\ntensor_content: "\\000\\000\\200?\\000\\000\\000@"\n')
    assert str(tf.make_tensor_proto(0.5)) == "dtype: DT_FLOAT\ntensor_shape {\n}\nfloat_val: 0.5\n"
    np.testing.assert_array_equal(
        tf.make_ndarray(TensorProto.FromString(proto.SerializeToString())), [[1.0, 2.0]])
    assert tf.make_tensor_proto(proto) is proto
    assert proto.HasField("tensor_shape") and proto.DESCRIPTOR.full_name == "tensorflow.TensorProto"
