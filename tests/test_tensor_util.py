"""tf.get_static_value, tf.make_tensor_proto / tf.make_ndarray, the dimension helpers and
tf.enable_v2_tensorshape (minitf/framework/tensor_util.py, tensor_shape.py), as TF 1 (tfdiff)."""
import numpy as np
import pytest

import minitf as tf

FLOAT_PROTO = """dtype: DT_FLOAT
tensor_shape {
  dim {
    size: 2
  }
  dim {
    size: 2
  }
}
tensor_content: "\\000\\000\\200?\\000\\000\\000@\\000\\000@@\\000\\000\\200@"
"""


# -- get_static_value ------------------------------------------------------------------------------
def test_static_values_of_foldable_ops():
    x = tf.placeholder(tf.float32, [None, 3])
    known = {
        "Const": (tf.constant([1, 2]), np.array([1, 2], np.int32)),
        "Range": (tf.range(4), np.arange(4, dtype=np.int32)),
        "Fill": (tf.fill([2], 3.0), np.array([3.0, 3.0], np.float32)),
        "Cast": (tf.cast(tf.constant([1.5]), tf.int32), np.array([1], np.int32)),
        "Identity": (tf.identity(tf.constant(4)), np.array(4, np.int32)),
        "ConcatV2": (tf.concat([[1], [2]], 0), np.array([1, 2], np.int32)),
        "Shape": (tf.shape(tf.zeros([1, 2])), np.array([1, 2], np.int32)),
        "Size": (tf.size(tf.zeros([2, 3])), np.array(6, np.int32)),
        "Rank": (tf.rank(x), np.array(2, np.int32)),
        "Pack": (tf.stack([1, 2]), np.array([1, 2], np.int32)),
        "Unpack": (tf.unstack(tf.constant([[1, 2], [3, 4]]))[1], np.array([3, 4], np.int32)),
        "Split": (tf.split(tf.constant([1, 2, 3, 4]), 2)[1], np.array([3, 4], np.int32)),
        "Equal": (tf.equal([1, 2], 2), np.array([False, True])),
        "NotEqual": (tf.not_equal([1, 2], 2), np.array([True, False])),
        "StopGradient": (tf.stop_gradient(1.5), np.array(1.5, np.float32)),
    }
    for op_type, (tensor, expected) in known.items():
        value = tf.get_static_value(tensor)
        assert isinstance(value, np.ndarray) and value.dtype == expected.dtype, op_type
        np.testing.assert_array_equal(value, expected)
    assert tf.get_static_value(tf.range(4)) is not tf.get_static_value(tf.range(4))


def test_unknown_static_values_are_none():
    x = tf.placeholder(tf.float32, [None, 3])
    for t in (tf.shape(x), tf.constant(2) + 3, x, tf.expand_dims(tf.constant(3), 0),
              tf.size(x), tf.rank(tf.placeholder(tf.float32)),
              tf.check_numerics(tf.constant(2.0), "m")):  # (TF folds only CheckNumericsV2)
        assert tf.get_static_value(t) is None
    assert tf.get_static_value(tf.Variable(1.0)) is None
    assert tf.get_static_value(tf.shape(x), partial=True) is None


def test_static_values_of_non_tensors_and_partial_packs():
    np.testing.assert_array_equal(tf.get_static_value(np.array([1, 2])), [1, 2])
    assert tf.get_static_value(3) == 3
    x = tf.placeholder(tf.int32, [None])
    packed = tf.get_static_value(tf.stack([tf.shape(x)[0], 2]), partial=True)
    assert packed.dtype == object and packed[0] is None and packed[1] == 2
    assert tf.get_static_value(tf.stack([tf.shape(x)[0], 2])) is None


@pytest.mark.global_graph
def test_static_values_of_eager_tensors(eager):
    value = tf.get_static_value(tf.constant([1, 2]) * 2)
    assert value.dtype == np.int32 and value.tolist() == [2, 4]
    assert repr(tf.TensorSpec.from_tensor(tf.constant([1, 2]))) == (
        "TensorSpec(shape=(2,), dtype=tf.int32, name=None)")


def test_a_folded_tensor_can_no_longer_be_fed():
    c = tf.constant([1, 2])
    assert tf.get_default_graph().is_feedable(c)
    tf.get_static_value(c)
    assert not tf.get_default_graph().is_feedable(c)


# -- TensorProto -----------------------------------------------------------------------------------
def test_tensor_proto_packs_whole_numeric_values_into_tensor_content():
    p = tf.make_tensor_proto([[1.0, 2.0], [3.0, 4.0]])
    assert str(p) == FLOAT_PROTO
    assert (p.dtype, [d.size for d in p.tensor_shape.dim], p.float_val) == (1, [2, 2], [])
    assert p.tensor_content == b"\x00\x00\x80?\x00\x00\x00@\x00\x00@@\x00\x00\x80@"
    p = tf.make_tensor_proto([1, 2, 3], dtype=tf.int64)
    assert (p.dtype, len(p.tensor_content)) == (9, 24)
    assert 'tensor_content: "\\000>\\000@"' in str(tf.make_tensor_proto(np.float16([1.5, 2])))


def test_tensor_proto_typed_lists():
    cases = [(3, "DT_INT32", "int_val: 3"),
             (["a", b"bc"], "DT_STRING", 'string_val: "a"\nstring_val: "bc"'),
             (np.array([True, False]), "DT_BOOL", "bool_val: true\nbool_val: false"),
             (np.complex64([1 + 2j]), "DT_COMPLEX64", "scomplex_val: 1\nscomplex_val: 2")]
    for value, dt, body in cases:
        text = str(tf.make_tensor_proto(value))
        assert text.startswith(f"dtype: {dt}\n") and text.endswith(body + "\n"), value
    p = tf.make_tensor_proto(7.0, shape=[2, 2])
    assert (p.float_val, p.tensor_content) == ([7.0], b"")
    assert str(p).endswith("}\nfloat_val: 7\n")
    assert tf.make_tensor_proto([1, 2], shape=[2, 2]).int_val == [1, 2]


def test_tensor_proto_errors():
    with pytest.raises(TypeError, match=r"Expected Tensor's shape: \(3,\), but got \(2,\)."):
        tf.make_tensor_proto([1, 2], shape=[3], verify_shape=True)
    with pytest.raises(ValueError, match="Too many elements provided. Takes at most 2, but "
                                         "got 3."):
        tf.make_tensor_proto([1, 2, 3], shape=[2])
    with pytest.raises(TypeError, match="Expected int32, but got 1.5 of type 'float'."):
        tf.make_tensor_proto([1.5], dtype=tf.int32)
    with pytest.raises(TypeError, match=r"Expected Tensor's shape: \(2, 2\), but got \(2,\)."):
        tf.make_tensor_proto([1, 2], shape=[2, 2], allow_broadcast=True)
    with pytest.raises(ValueError, match="None values not supported."):
        tf.make_tensor_proto(None)


def test_make_ndarray_inverts_make_tensor_proto():
    values = [np.array([[1.0, 2.0], [3.0, 4.0]], np.float32), np.array(3, np.int32),
              np.array([b"a", b"bc"], object), np.array([True, False]),
              np.float16([1.5, 2]), np.complex64([1 + 2j]), np.int8([1, -2]), np.uint16([3]),
              np.complex128([1 - 1j, 2j]), np.uint64([2**63]), np.float64([0.1])]
    for value in values:
        got = tf.make_ndarray(tf.make_tensor_proto(value))
        assert got.dtype == value.dtype and got.shape == value.shape, value
        np.testing.assert_array_equal(got, value)
    filled = tf.make_ndarray(tf.make_tensor_proto(7.0, shape=[2, 2]))
    np.testing.assert_array_equal(filled, np.full([2, 2], 7.0, np.float32))
    assert filled.flags.writeable
    np.testing.assert_array_equal(
        tf.make_ndarray(tf.make_tensor_proto([1, 2], shape=[2, 2])), [[1, 2], [2, 2]])


# -- dimensions and the V2 TensorShape ------------------------------------------------------------
def test_dimension_helpers():
    s = tf.TensorShape([2, None])
    assert (tf.dimension_value(s[0]), tf.dimension_value(s[1]), tf.dimension_value(3),
            tf.dimension_value(None)) == (2, None, 3, None)
    assert repr(tf.dimension_at_index(s, 0)) == "Dimension(2)"
    assert repr(tf.dimension_at_index(tf.TensorShape(None), 5)) == "Dimension(None)"
    with pytest.raises(IndexError):
        tf.dimension_at_index(s, 5)
    with pytest.raises(AssertionError):
        tf.dimension_at_index([3, 4], 1)


def test_v2_tensorshape_gives_ints():
    s = tf.TensorShape([2, None])
    assert (str(s), type(s[0]).__name__) == ("(2, ?)", "Dimension")
    tf.enable_v2_tensorshape()
    try:
        assert (str(s), list(s), s[0], s[1], repr(s), repr(s[0:1])) == (
            "(2, None)", [2, None], 2, None, "TensorShape([2, None])", "TensorShape([2])")
        assert type(tf.constant([[1, 2]]).shape[1]) is int
        assert repr(s.dims) == "[Dimension(2), Dimension(None)]"
        assert type(tf.dimension_at_index(s, 0)).__name__ == "Dimension"
        assert tf.TensorShape(None)[0] is None
        assert tf.layers.dense(tf.placeholder(tf.float32, [None, 3]), 2).shape[1] == 2
    finally:
        tf.disable_v2_tensorshape()
    assert repr(s) == "TensorShape([Dimension(2), Dimension(None)])"
