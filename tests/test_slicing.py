"""Tensor indexing (StridedSlice), tf.strided_slice and tf.slice against NumPy indexing."""
import numpy as np
import pytest

import minitf as tf

from _session import run

X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)


INDICES = [
    (lambda t: t[0], lambda a: a[0]),
    (lambda t: t[-1], lambda a: a[-1]),
    (lambda t: t[:, 1:], lambda a: a[:, 1:]),
    (lambda t: t[..., 0], lambda a: a[..., 0]),
    (lambda t: t[None, ::-1], lambda a: a[None, ::-1]),
    (lambda t: t[1, ::-2, 1:3], lambda a: a[1, ::-2, 1:3]),
    (lambda t: t[:, tf.newaxis, 2], lambda a: a[:, None, 2]),
    (lambda t: t[0, ..., 1:], lambda a: a[0, ..., 1:]),
    (lambda t: t[:1, :, -2:], lambda a: a[:1, :, -2:]),
    (lambda t: t[1, 2, 3], lambda a: a[1, 2, 3]),
]


@pytest.mark.parametrize("index, ref", INDICES)
def test_indexing_matches_numpy_in_value_and_static_shape(index, ref):
    t = index(tf.constant(X))
    expected = ref(X)
    assert t.op.type == "StridedSlice" and t.op.name.startswith("strided_slice")
    assert t.shape.as_list() == list(np.shape(expected))
    np.testing.assert_array_equal(run(t), expected)


def test_indexing_with_unknown_dims():
    p = tf.placeholder(tf.float32, [None, 3, 4])
    assert p[0].shape.as_list() == [3, 4]
    assert p[1:, tf.newaxis].shape.as_list() == [None, 1, 3, 4]
    assert p[..., 0].shape.as_list() == [None, 3]
    np.testing.assert_array_equal(run(p[1:, 1], {p: X}), X[1:, 1])


def test_index_with_a_scalar_tensor():
    i = tf.placeholder(tf.int32, [])
    t = tf.constant(X)[i]
    assert t.shape.ndims == 2
    np.testing.assert_array_equal(run(t, {i: 1}), X[1])


def test_first_slice_names():
    x = tf.constant(X)
    assert x[0].name == "strided_slice:0" and x[1].name == "strided_slice_1:0"


def test_out_of_range_index_raises_value_error():
    with pytest.raises(ValueError, match="slice index 2 of dimension 0 out of bounds"):
        tf.constant(X)[2]


def test_invalid_index_type_raises_type_error():
    with pytest.raises(TypeError, match="are valid indices"):
        tf.constant(X)["a"]


def test_strided_slice_function_with_masks():
    t = tf.strided_slice(tf.constant(X), [0, 1], [2, 3], [1, 1], end_mask=1)
    assert (t.name, t.shape.as_list()) == ("StridedSlice:0", [2, 2, 4])
    np.testing.assert_array_equal(run(t), X[:, 1:3])


def test_slice_with_size_minus_one():
    x = tf.constant(X)
    t = tf.slice(x, [0, 1, 0], [1, -1, 2])
    assert (t.name, t.op.type, t.shape.as_list()) == ("Slice:0", "Slice", [1, 2, 2])
    np.testing.assert_array_equal(run(t), X[:1, 1:, :2])
