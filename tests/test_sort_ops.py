"""top_k, sort, argsort, reverse, roll and unique_with_counts (issue 17, item 3): values, static
shapes, dtypes, names and errors as TF 1 gives them."""
import numpy as np
import pytest

import minitf as tf

from _session import run

X = np.array([[3.0, 1.0, 2.0, 1.0], [0.0, 5.0, 5.0, -1.0]], np.float32)


def test_top_k_orders_ties_by_index():
    v, i = tf.nn.top_k(X, 2)
    assert (v.name, i.name, v.shape.as_list(), i.dtype) == ("TopKV2:0", "TopKV2:1", [2, 2],
                                                            tf.int32)
    assert tf.math.top_k is tf.nn.top_k
    values, indices = run(tf.nn.top_k(X, 2))
    np.testing.assert_array_equal(values, [[3, 2], [5, 5]])
    np.testing.assert_array_equal(indices, [[0, 2], [1, 2]])
    np.testing.assert_array_equal(run(tf.nn.top_k([3, 1, 3], k=3).indices), [0, 2, 1])


def test_top_k_static_errors():
    with pytest.raises(ValueError, match="input must have last dimension >= k = 4 but is 3"):
        tf.nn.top_k(tf.zeros([2, 3]), 4)
    with pytest.raises(ValueError, match="Shape must be at least rank 1 but is rank 0"):
        tf.nn.top_k(tf.zeros([]), 1)


def test_top_k_gradient_goes_to_the_chosen_positions():
    x = tf.constant(X)
    g = tf.gradients(tf.reduce_sum(tf.nn.top_k(x, 2).values * [[1.0, 2.0], [3.0, 4.0]]), x)[0]
    np.testing.assert_array_equal(run(g), [[1, 0, 2, 0], [0, 3, 4, 0]])


def test_sort_and_argsort():
    s = tf.sort(X, axis=0)
    assert s.shape.as_list() == [2, 4] and s.dtype == tf.float32
    np.testing.assert_array_equal(run(s), [[0, 1, 2, -1], [3, 5, 5, 1]])
    np.testing.assert_array_equal(run(tf.sort(X, direction="DESCENDING")),
                                  [[3, 2, 1, 1], [5, 5, 0, -1]])
    a = tf.argsort(X, direction="DESCENDING")
    assert a.dtype == tf.int32 and a.shape.as_list() == [2, 4]
    np.testing.assert_array_equal(run(a), [[0, 2, 1, 3], [1, 2, 0, 3]])
    np.testing.assert_array_equal(run(tf.argsort([3, 1, 2])), [1, 2, 0])
    with pytest.raises(ValueError, match="should be one of ASCENDING, DESCENDING"):
        tf.sort([1, 2], direction="UP")


def test_reverse_and_roll():
    r = tf.reverse(X, [1])
    assert (r.name, r.op.type, r.shape.as_list()) == ("ReverseV2:0", "ReverseV2", [2, 4])
    assert tf.reverse_v2 is tf.reverse
    np.testing.assert_array_equal(run(r), X[:, ::-1])
    ro = tf.roll(X, [1, -1], [0, 1])
    assert (ro.name, ro.shape.as_list()) == ("Roll:0", [2, 4])
    np.testing.assert_array_equal(run(ro), [[5, 5, -1, 0], [1, 2, 1, 3]])
    np.testing.assert_array_equal(run(tf.roll([1, 2, 3], 1, 0)), [3, 1, 2])


def test_unique_with_counts():
    u = tf.unique_with_counts([3, 1, 3, 2, 1, 3])
    assert [t.name for t in u] == ["UniqueWithCounts:0", "UniqueWithCounts:1",
                                   "UniqueWithCounts:2"]
    assert [t.shape.as_list() for t in u] == [[None], [6], [None]]
    y, idx, count = run(u)
    assert (y.tolist(), idx.tolist(), count.tolist()) == ([3, 1, 2], [0, 1, 0, 2, 1, 0],
                                                          [3, 2, 1])
    assert run(u.count).dtype == np.int32
    assert tf.unique_with_counts([1], out_idx=tf.int64).idx.dtype == tf.int64
    with pytest.raises(ValueError, match="1-D"):
        tf.unique_with_counts([[1]])


def test_sort_ops_run_eagerly():
    with tf.eager_mode():
        np.testing.assert_array_equal(tf.sort([3, 1, 2]).numpy(), [1, 2, 3])
        np.testing.assert_array_equal(tf.nn.top_k([1.0, 4.0, 2.0], 2).indices.numpy(), [1, 2])
        np.testing.assert_array_equal(tf.roll([1, 2, 3], -1, 0).numpy(), [2, 3, 1])
