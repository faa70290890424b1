"""shape_n, ensure_shape, broadcast_dynamic_shape / broadcast_static_shape, parallel_stack,
space_to_depth and depth_to_space (issue 17, item 3): values, static shapes, names and errors as
TF 1 gives them."""
import numpy as np
import pytest

import minitf as tf

from _session import run


def test_shape_n():
    a, b = tf.shape_n([tf.zeros([2, 3]), tf.zeros([4])])
    assert (a.name, b.name, a.shape.as_list(), b.shape.as_list(), a.dtype) == (
        "ShapeN:0", "ShapeN:1", [2], [1], tf.int32)
    assert [v.tolist() for v in run([a, b])] == [[2, 3], [4]]
    assert tf.shape_n([[1]], out_type=tf.int64)[0].dtype == tf.int64


def test_ensure_shape_refines_and_checks():
    p = tf.placeholder(tf.float32, [None, 3])
    e = tf.ensure_shape(p, [2, None])
    assert (e.name, e.shape.as_list()) == ("EnsureShape:0", [2, 3])
    np.testing.assert_array_equal(run(e, {p: np.ones((2, 3))}), np.ones((2, 3)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="not compatible with expected"):
        run(e, {p: np.ones((1, 3))})
    with pytest.raises(ValueError, match=r"Dimension 1 in both shapes must be equal, but are 4 "
                       r"and 3. Shapes are \[2,4\] and \[2,3\]"):
        tf.ensure_shape(tf.zeros([2, 3]), [2, 4])


def test_broadcast_shapes():
    bd = tf.broadcast_dynamic_shape([2, 1, 3], [4, 1])
    assert (bd.name, bd.shape.as_list(), bd.dtype) == ("BroadcastArgs:0", [3], tf.int32)
    np.testing.assert_array_equal(run(bd), [2, 4, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Incompatible shapes"):
        run(tf.broadcast_dynamic_shape([2], tf.placeholder_with_default([3], [1])))
    static = tf.broadcast_static_shape(tf.TensorShape([2, 1, 3]), tf.TensorShape([4, 1]))
    assert static.as_list() == [2, 4, 3]
    assert tf.broadcast_static_shape(tf.TensorShape([None, 1]), tf.TensorShape([5])).as_list() \
        == [None, 5]
    with pytest.raises(ValueError, match="Incompatible shapes for broadcasting"):
        tf.broadcast_static_shape(tf.TensorShape([2]), tf.TensorShape([3]))


def test_parallel_stack():
    ps = tf.parallel_stack([[1, 2], [3, 4], [5, 6]])
    assert (ps.name, ps.op.type, ps.shape.as_list()) == ("parallel_stack/ParallelConcat:0",
                                                         "ParallelConcat", [3, 2])
    np.testing.assert_array_equal(run(ps), [[1, 2], [3, 4], [5, 6]])
    with pytest.raises(ValueError, match="fully defined"):
        tf.parallel_stack([tf.placeholder(tf.float32, [None])])


def test_space_to_depth_and_back():
    x = np.arange(32.0, dtype=np.float32).reshape(1, 4, 4, 2)
    sd = tf.space_to_depth(x, 2)
    assert (sd.name, sd.shape.as_list()) == ("SpaceToDepth:0", [1, 2, 2, 8])
    np.testing.assert_array_equal(run(sd)[0, 0, 1], [4, 5, 6, 7, 12, 13, 14, 15])
    ds = tf.depth_to_space(sd, 2)
    assert (ds.name, ds.shape.as_list()) == ("DepthToSpace:0", [1, 4, 4, 2])
    np.testing.assert_array_equal(run(ds), x)
    with pytest.raises(ValueError, match="rank 4"):
        tf.space_to_depth(tf.zeros([4, 4]), 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="divisible by block_size"):
        run(tf.space_to_depth(tf.placeholder_with_default(np.zeros((1, 3, 4, 1)),
                                                          [None] * 4), 2))


def test_shape_ops_run_eagerly():
    with tf.eager_mode():
        assert tf.shape_n([tf.zeros([2])])[0].numpy().tolist() == [2]
        assert tf.depth_to_space(tf.zeros([1, 1, 1, 4]), 2).shape.as_list() == [1, 2, 2, 1]


def test_transpose_and_tile_take_run_time_perms_and_multiples():
    x = tf.constant(np.arange(6.0).reshape(1, 2, 3))
    perm = tf.placeholder(tf.int32, [3])
    t = tf.transpose(x, perm)
    assert (t.name, t.shape.as_list()) == ("transpose:0", [None, None, None])
    w = tf.constant(np.arange(6.0).reshape(3, 1, 2))
    g = tf.gradients(tf.reduce_sum(t * w), x)[0]
    value, grad = run([t, g], {perm: [2, 0, 1]})
    np.testing.assert_array_equal(value, np.transpose(np.arange(6.0).reshape(1, 2, 3), [2, 0, 1]))
    np.testing.assert_array_equal(grad, [[[0, 2, 4], [1, 3, 5]]])
    multiples = tf.placeholder(tf.int32, [2])
    tiled = tf.tile([[1, 2]], multiples)
    assert tiled.shape.as_list() == [None, None]
    np.testing.assert_array_equal(run(tiled, {multiples: [2, 1]}), [[1, 2], [1, 2]])
