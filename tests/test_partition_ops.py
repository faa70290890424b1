"""dynamic_partition / dynamic_stitch, reverse_sequence, repeat, batch_gather and
histogram_fixed_width (issue 17, item 3): values, static shapes, names and errors as TF 1 gives
them."""
import numpy as np
import pytest

import minitf as tf

from _session import run


def test_dynamic_partition_and_stitch():
    parts = tf.dynamic_partition([10, 20, 30, 40, 50], [0, 2, 0, 1, 2], 3)
    assert [p.name for p in parts] == ["DynamicPartition:0", "DynamicPartition:1",
                                       "DynamicPartition:2"]
    assert [p.shape.as_list() for p in parts] == [[None]] * 3
    assert [p.tolist() for p in run(parts)] == [[10, 30], [40], [20, 50]]
    st = tf.dynamic_stitch([[0, 3], [1, 2, 4]], [[1.0, 2.0], [3.0, 4.0, 5.0]])
    assert (st.name, st.shape.as_list()) == ("DynamicStitch:0", [5])
    np.testing.assert_array_equal(run(st), [1, 3, 4, 2, 5])
    rows = tf.dynamic_stitch([tf.constant([0, 2]), tf.constant([[1], [3]])],
                             [[[1, 1], [2, 2]], [[[3, 3]], [[4, 4]]]])
    assert rows.shape.as_list() == [4, 2]
    np.testing.assert_array_equal(run(rows), [[1, 1], [3, 3], [2, 2], [4, 4]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="outside the range"):
        run(tf.dynamic_partition([1, 2], [0, 3], 2))
    with pytest.raises(TypeError, match="expected type of int32"):
        tf.dynamic_partition([1, 2], tf.constant([0, 1], tf.int64), 2)


def test_dynamic_partition_gradient_routes_back():
    v = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    ps = tf.dynamic_partition(v, [1, 0, 1], 2)
    g = tf.gradients(tf.reduce_sum(ps[1] * [[1.0, 2.0], [3.0, 4.0]]), v)[0]
    np.testing.assert_array_equal(run(g), [[1, 2], [0, 0], [3, 4]])


def test_reverse_sequence():
    x = np.arange(12).reshape(3, 4)
    rs = tf.reverse_sequence(x, [1, 3, 4], seq_axis=1, batch_axis=0)
    assert (rs.name, rs.shape.as_list()) == ("ReverseSequence:0", [3, 4])
    expected = [[0, 1, 2, 3], [6, 5, 4, 7], [11, 10, 9, 8]]
    np.testing.assert_array_equal(run(rs), expected)
    np.testing.assert_array_equal(run(tf.reverse_sequence(x.T, [1, 3, 4], seq_dim=0,
                                                          batch_dim=1)), np.transpose(expected))
    with pytest.raises(ValueError, match="batch_dim == seq_dim"):
        tf.reverse_sequence(x, [1, 1, 1], 0, 0)


def test_repeat():
    rp = tf.repeat([[1, 2], [3, 4]], [1, 2], axis=0)
    assert rp.shape.as_list() == [None, 2]
    np.testing.assert_array_equal(run(rp), [[1, 2], [3, 4], [3, 4]])
    flat = tf.repeat([[1, 2], [3, 4]], 2)
    assert flat.shape.as_list() == [8]
    np.testing.assert_array_equal(run(flat), [1, 1, 2, 2, 3, 3, 4, 4])
    np.testing.assert_array_equal(run(tf.repeat([[1, 2]], 2, axis=1)), [[1, 1, 2, 2]])


def test_batch_gather():
    bg = tf.batch_gather([[1, 2, 3], [4, 5, 6]], [[2, 0], [1, 1]])
    assert bg.shape.as_list() == [2, 2]
    np.testing.assert_array_equal(run(bg), [[3, 1], [5, 5]])


def test_histogram_fixed_width():
    h = tf.histogram_fixed_width([-1.0, 0.0, 1.5, 2.0, 5.0, 15], [0.0, 5.0], nbins=5)
    assert (h.name, h.op.type, h.dtype, h.shape.as_list()) == (
        "histogram_fixed_width:0", "HistogramFixedWidth", tf.int32, [5])
    np.testing.assert_array_equal(run(h), [2, 1, 1, 0, 2])


def test_partition_ops_run_eagerly():
    with tf.eager_mode():
        assert tf.repeat([1, 2], [2, 1]).numpy().tolist() == [1, 1, 2]
        assert tf.dynamic_partition([5, 6], [1, 0], 2)[0].numpy().tolist() == [6]
