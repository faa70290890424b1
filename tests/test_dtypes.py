"""DType objects, ref variants and as_dtype, as TF1 has them."""
import pickle

import numpy as np
import pytest

import minitf as tf
from minitf.framework import dtypes


def test_dtype_text_and_numpy_types():
    assert (repr(tf.float32), str(tf.float32)) == ("tf.float32", "<dtype: 'float32'>")
    assert tf.float32.as_numpy_dtype is np.float32 and tf.string.as_numpy_dtype is object
    assert tf.float16 is tf.half and tf.float64 is tf.double


@pytest.mark.parametrize("value, expected", [
    (float, tf.float32), (bool, tf.bool), (np.float64, tf.float64), ("float", tf.float32),
    ("double", tf.float64), ("half", tf.float16), (np.dtype("int64"), tf.int64),
    (1, tf.float32), (3, tf.int32), (np.str_, tf.string), (object, tf.string),
    (tf.uint16, tf.uint16), ("complex128", tf.complex128), (np.bool_, tf.bool),
])
def test_as_dtype_accepts_tf_names_numpy_types_and_enums(value, expected):
    assert tf.as_dtype(value) is expected


@pytest.mark.parametrize("value", [int, str, bytes, complex, "floaty", 999, None])
def test_as_dtype_rejects_what_tf_rejects(value):
    with pytest.raises(TypeError, match="to a TensorFlow DType"):
        tf.as_dtype(value)


def test_predicates_and_limits():
    assert tf.float32.is_floating and not tf.float32.is_integer
    assert tf.int8.is_integer and tf.uint8.is_unsigned and not tf.int8.is_unsigned
    assert tf.complex64.is_complex and tf.complex64.real_dtype is tf.float32
    assert tf.bool.is_bool and not tf.bool.is_integer
    assert (tf.int8.min, tf.int8.max, tf.float32.size, tf.float64.size) == (-128, 127, 4, 8)
    assert tf.float32.min == np.finfo(np.float32).min
    assert [d.as_datatype_enum for d in (tf.float32, tf.float64, tf.int32, tf.string,
                                         tf.int64, tf.bool, tf.float16)] == [1, 2, 3, 7, 9, 10, 19]


def test_ref_dtypes():
    ref = tf.float32._as_ref
    assert (ref.name, str(ref), ref.base_dtype, ref.is_ref_dtype) == (
        "float32_ref", "<dtype: 'float32_ref'>", tf.float32, True)
    assert ref.as_datatype_enum == 101 and ref._as_ref is ref
    assert tf.float32.is_compatible_with(ref) and not tf.int32.is_compatible_with(ref)


def test_equality_and_hashing():
    assert tf.float32 == "float32" and tf.float32 == np.float32 and tf.float32 != 3
    assert tf.float32 != tf.float64 and (tf.float32 == None) is False  # noqa: E711
    assert {tf.float32: 1}[tf.as_dtype("float")] == 1
    assert pickle.loads(pickle.dumps(tf.int64)) is tf.int64


@pytest.mark.parametrize("value, expected", [
    (1.0, tf.float32), (1, tf.int32), (-2**31, tf.int32), (2**31, tf.int64), ([1, 2.5], tf.float32),
    (np.float16(1), tf.float16), ("s", tf.string), ([True], tf.bool), (2j, tf.complex128),
])
def test_infer_dtype_as_tf_constant_does(value, expected):
    assert dtypes.infer_dtype(value) is expected


def test_tf_type_name_uses_runtime_spelling():
    assert [dtypes.tf_type_name(d) for d in (tf.float32, tf.float64, tf.float16, tf.int32)] == [
        "float", "double", "half", "int32"]


def test_unsigned_32_and_64_bit_types():
    assert (tf.uint32.as_numpy_dtype, tf.uint64.as_numpy_dtype) == (np.uint32, np.uint64)
    assert tf.as_dtype(np.uint64) == tf.uint64 and tf.as_dtype(22) == tf.uint32
    assert tf.uint32.is_integer and tf.uint64.is_unsigned and tf.uint64.max == 2 ** 64 - 1
    with tf.Session() as sess:
        assert sess.run(tf.constant([1, 2], tf.uint32)).dtype == np.uint32


def test_types_minitf_only_names_fail_loudly():
    assert tf.as_dtype("bfloat16") is tf.bfloat16 and tf.as_dtype(14) is tf.bfloat16
    assert tf.bfloat16.is_floating and not tf.bfloat16.is_numpy_compatible
    assert tf.qint8.name == "qint8" and tf.variant.as_datatype_enum == 21
    with pytest.raises(TypeError, match="minitf cannot hold bfloat16 values"):
        tf.bfloat16.as_numpy_dtype
    with pytest.raises(TypeError, match="cannot hold bfloat16 values"):
        tf.zeros([2], tf.bfloat16)
