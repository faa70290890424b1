"""sparse_matmul, check_pinned, tensor_scatter_nd_max/min and tf.OpError (issue 17): TF's
names, values, gradients and errors, checked with ../shared/tools/tfdiff."""
import numpy as np
import pytest

import minitf as tf

A = [[1.0, 2.0], [3.0, 4.0]]


def test_sparse_matmul_and_tensor_scatter_min_max_match_tf():
    a = tf.constant(A)
    m = tf.sparse_matmul(a, a, transpose_b=True, a_is_sparse=True)
    t = tf.tensor_scatter_nd_max(a, [[0, 1], [1, 0]], [5.0, 0.0])
    t2 = tf.tensor_scatter_nd_min(a, [[0, 1], [1, 0]], [5.0, 0.0])
    assert (m.name, t.name, t2.name) == ("SparseMatMul:0", "TensorScatterMax:0",
                                         "TensorScatterMin:0")
    g, = tf.gradients(tf.reduce_sum(t * [[1.0, 2.0], [3.0, 4.0]]), a)
    with tf.Session() as sess:
        got = sess.run([m, t, t2, g])
    np.testing.assert_array_equal(got[0], [[5, 11], [11, 25]])
    np.testing.assert_array_equal(got[1], [[1, 5], [3, 4]])
    np.testing.assert_array_equal(got[2], [[1, 2], [0, 4]])
    np.testing.assert_array_equal(got[3], [[1, 0], [3, 4]])
    with pytest.raises(TypeError, match="DataType int32 not in list of allowed values: float32"):
        tf.sparse_matmul(tf.constant([[1, 2]]), tf.constant([[1], [2]]))


def test_a_tie_shares_the_gradient():
    a, u = tf.constant([1.0, 2.0]), tf.constant([2.0])
    t = tf.tensor_scatter_nd_max(a, [[1]], u)
    ga, gu = tf.gradients(t, [a, u])
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(ga), [1.0, 0.5])
        np.testing.assert_array_equal(sess.run(gu), [0.5])


def test_check_pinned_fails_as_tfs_cpu():
    c = tf.check_pinned(tf.constant([1.0]))
    assert c.name == "CheckPinned:0"
    with tf.Session() as sess, pytest.raises(tf.errors.FailedPreconditionError,
                                             match="must be built with `--config=cuda`"):
        sess.run(c)
    with tf.eager_mode(), pytest.raises(tf.errors.FailedPreconditionError):
        tf.check_pinned(tf.constant([1.0]))
    assert tf.OpError is tf.errors.OpError
