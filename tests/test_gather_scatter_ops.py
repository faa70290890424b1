"""gather_nd, scatter_nd, tensor_scatter_nd_* and boolean_mask (issue 17, item 3): values,
static shapes, names and errors as TF 1 gives them."""
import numpy as np
import pytest

import minitf as tf

from _session import run

P = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32)


def sig(t):
    return t.name, t.op.type, t.shape.as_list()


def test_gather_nd_picks_elements_or_slices():
    g = tf.gather_nd(P, [[2, 1], [0, 0]])
    assert sig(g) == ("GatherNd:0", "GatherNd", [2])
    np.testing.assert_array_equal(run(g), [6, 1])
    g2 = tf.gather_nd(P, [[2], [0]])
    assert g2.shape.as_list() == [2, 2]
    np.testing.assert_array_equal(run(g2), [[5, 6], [1, 2]])


def test_gather_nd_errors():
    with pytest.raises(ValueError, match=r"indices.shape\[-1\] must be <= params.rank, but saw "
                       r"indices shape: \[1,3\] and params shape: \[2,3\]"):
        tf.gather_nd(tf.zeros([2, 3]), [[1, 1, 1]])
    with pytest.raises(TypeError, match="DataType float32 not in list of allowed values"):
        tf.gather_nd(tf.zeros([2, 3]), [[1.0]])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"indices\[0\] = \[0, 2\] does not index into param shape \[2,2\]"):
        run(tf.gather_nd([[1, 2], [3, 4]], [[0, 2]]))


def test_scatter_nd_adds_duplicates():
    s = tf.scatter_nd([[1], [3], [1]], [1.0, 2.0, 3.0], [5])
    assert sig(s) == ("ScatterNd:0", "ScatterNd", [5])
    np.testing.assert_array_equal(run(s), [0, 4, 0, 2, 0])
    rows = tf.scatter_nd([[0]], [[1, 2]], tf.constant([2, 2]))
    np.testing.assert_array_equal(run(rows), [[1, 2], [0, 0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not index into shape"):
        run(tf.scatter_nd([[5]], [1], [3]))


def test_tensor_scatter_update_add_sub():
    u = tf.tensor_scatter_update(P, [[0, 1], [2, 0]], [9.0, 8.0])
    assert sig(u) == ("TensorScatterUpdate:0", "TensorScatterUpdate", [3, 2])
    assert tf.tensor_scatter_nd_update is tf.tensor_scatter_update
    np.testing.assert_array_equal(run(u), [[1, 9], [3, 4], [8, 6]])
    a = tf.tensor_scatter_nd_add(P, [[1]], [[10.0, 20.0]])
    b = tf.tensor_scatter_sub(P, [[1]], [[10.0, 20.0]])
    assert (a.name, b.name) == ("TensorScatterAdd:0", "TensorScatterSub:0")
    np.testing.assert_array_equal(run(a), [[1, 2], [13, 24], [5, 6]])
    np.testing.assert_array_equal(run(b), [[1, 2], [-7, -16], [5, 6]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not index into shape"):
        run(tf.tensor_scatter_update([1, 2], [[3]], [1]))


def test_boolean_mask():
    m = tf.boolean_mask(P, [True, False, True])
    assert (m.name, m.shape.as_list()) == ("boolean_mask/GatherV2:0", [None, 2])
    np.testing.assert_array_equal(run(m), [[1, 2], [5, 6]])
    m2 = tf.boolean_mask(P, [[True, False], [False, True], [True, True]])
    assert m2.shape.as_list() == [None]
    np.testing.assert_array_equal(run(m2), [1, 4, 5, 6])
    np.testing.assert_array_equal(run(tf.boolean_mask(P, [False, True], axis=1)),
                                  [[2], [4], [6]])
    with pytest.raises(ValueError, match="mask cannot be scalar"):
        tf.boolean_mask([1, 2], True)


def test_gather_scatter_ops_run_eagerly():
    with tf.eager_mode():
        np.testing.assert_array_equal(tf.gather_nd(P, [[1, 0]]).numpy(), [3])
        np.testing.assert_array_equal(tf.scatter_nd([[0]], [7], [2]).numpy(), [7, 0])
        np.testing.assert_array_equal(tf.boolean_mask([1, 2, 3], [True, False, True]).numpy(),
                                      [1, 3])


def test_gather_nd_with_batch_dims_matches_tf():
    p = tf.constant(np.arange(24.0).reshape(2, 3, 4))
    r = tf.gather_nd(p, tf.constant([[[1], [0]], [[2], [2]]]), batch_dims=1)
    r2 = tf.gather_nd(p, tf.constant([[1, 3], [0, 2]]), batch_dims=1)
    assert r.shape.as_list() == [2, 2, 4] and r2.shape.as_list() == [2]
    g, = tf.gradients(tf.reduce_sum(r * r), p)
    with tf.Session() as sess:
        got, got2, grad = sess.run([r, r2, g])
    np.testing.assert_array_equal(got, [[[4, 5, 6, 7], [0, 1, 2, 3]],
                                        [[20, 21, 22, 23], [20, 21, 22, 23]]])
    np.testing.assert_array_equal(got2, [7.0, 14.0])
    np.testing.assert_array_equal(grad, [[[0, 2, 4, 6], [8, 10, 12, 14], [0, 0, 0, 0]],
                                         [[0, 0, 0, 0], [0, 0, 0, 0], [80, 84, 88, 92]]])
    with pytest.raises(ValueError, match=r"`batch_dims` = 3 must be less than rank\(`indices`\) "
                                         r"= 3"):
        tf.gather_nd(p, tf.constant([[[1], [0]], [[2], [2]]]), batch_dims=3)
