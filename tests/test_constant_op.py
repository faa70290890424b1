"""tf.constant and convert_to_tensor: dtype inference, shape rules and errors of TF1."""
import numpy as np
import pytest

import minitf as tf

from _session import run


@pytest.mark.parametrize("value, dtype", [
    (1.0, tf.float32), (1, tf.int32), (2**40, tf.int64), (True, tf.bool), ("a", tf.string),
    (b"a", tf.string), ([1, 2.0], tf.float32), (np.array([1.0]), tf.float64), (1j, tf.complex128),
    ([[1, 2], [3, 4]], tf.int32), (np.int64(3), tf.int64), ([True, False], tf.bool),
    ([], tf.float32),
])
def test_dtype_inference_matches_tf(value, dtype):
    assert tf.constant(value).dtype == dtype


def test_constant_names_and_values():
    a, b = tf.constant([1, 2]), tf.constant(3.0, name="c")
    assert (a.name, a.op.type, b.name) == ("Const:0", "Const", "c:0")
    assert run(a).tolist() == [1, 2] and run(b) == 3.0


def test_shape_broadcasts_a_scalar_reshapes_and_fills_with_the_last_value():
    assert run(tf.constant(7, shape=[2, 2])).tolist() == [[7, 7], [7, 7]]
    assert run(tf.constant([1, 2, 3, 4], shape=[2, 2])).tolist() == [[1, 2], [3, 4]]
    assert run(tf.constant([1, 2], shape=[4])).tolist() == [1, 2, 2, 2]


def test_too_many_elements_raise_value_error():
    with pytest.raises(ValueError, match="Too many elements provided. Takes at most 2, but got 3"):
        tf.constant([1, 2, 3], shape=[2])


def test_verify_shape():
    assert tf.constant([1, 2], shape=[2], verify_shape=True).shape.as_list() == [2]
    with pytest.raises(TypeError, match=r"Expected Tensor's shape: \(3,\), but got \(2,\)"):
        tf.constant([1, 2], shape=[3], verify_shape=True)


def test_float_into_integer_dtype_raises_type_error():
    with pytest.raises(TypeError, match="Expected int32, but got 1.5 of type 'float'"):
        tf.constant(1.5, dtype=tf.int32)


def test_none_value_raises_value_error():
    with pytest.raises(ValueError, match="None values not supported"):
        tf.constant(None)


def test_fetched_constant_is_a_private_copy():
    c = tf.constant([1.0, 2.0])
    with tf.Session() as sess:
        first = sess.run(c)
        first[0] = 99.0
        assert sess.run(c).tolist() == [1.0, 2.0]


def test_convert_to_tensor_checks_requested_dtype():
    t = tf.constant(1.0)
    assert tf.convert_to_tensor(t) is t
    with pytest.raises(ValueError, match="requested dtype int32 for Tensor with dtype float32"):
        tf.convert_to_tensor(t, dtype=tf.int32)


def test_a_list_of_tensors_is_packed():
    t = tf.convert_to_tensor([tf.constant(1.0), 2.0])
    assert (t.op.type, t.shape.as_list()) == ("Pack", [2])
    assert run(t).tolist() == [1.0, 2.0]


def test_registered_conversion_function_is_used():
    class Box:
        def __init__(self, v):
            self.v = v

    tf.register_tensor_conversion_function(
        Box, lambda value, dtype=None, name=None, as_ref=False: tf.constant(value.v, dtype))
    assert run(tf.constant(1.0) + Box(2.0)) == 3.0
