"""range, linspace, meshgrid, sequence_mask, where_v2 and the index helpers (issue 17, item 3):
values, static shapes, dtypes, names and errors as TF 1 gives them."""
import numpy as np
import pytest

import minitf as tf

from _session import run


def sig(t):
    return t.name, t.dtype.name, t.shape.as_list()


def test_range_infers_the_widest_dtype_and_a_static_length():
    a, b = tf.range(5), tf.range(1, 7.0, 2)
    assert sig(a) == ("range:0", "int32", [5]) and sig(b) == ("range_1:0", "float32", [3])
    assert a.op.type == "Range"
    np.testing.assert_array_equal(run(a), [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(run(b), [1.0, 3.0, 5.0])
    assert tf.range(tf.placeholder(tf.int32, [])).shape.as_list() == [None]
    np.testing.assert_array_equal(run(tf.range(10, 1, -4, dtype=tf.int64)), [10, 6, 2])


def test_range_refuses_a_zero_delta():
    with pytest.raises(ValueError, match="Requires delta != 0"):
        tf.range(1, 2, 0)
    d = tf.placeholder(tf.int32, [])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Requires delta != 0"):
        run(tf.range(1, 2, d), {d: 0})


def test_linspace_includes_both_ends():
    c = tf.linspace(0.0, 1.0, 4)
    assert sig(c) == ("LinSpace:0", "float32", [4]) and tf.lin_space is tf.linspace
    np.testing.assert_allclose(run(c), [0.0, 1 / 3, 2 / 3, 1.0], rtol=1e-6)
    with pytest.raises(TypeError, match="attr 'T' of int32"):
        tf.linspace(0, 1, 3)


def test_meshgrid_xy_and_ij():
    x, y = tf.meshgrid([1, 2, 3], [4, 5])
    assert sig(x) == ("meshgrid/mul:0", "int32", [2, 3]) and y.name == "meshgrid/mul_1:0"
    np.testing.assert_array_equal(run(x), [[1, 2, 3], [1, 2, 3]])
    np.testing.assert_array_equal(run(y), [[4, 4, 4], [5, 5, 5]])
    i, j = tf.meshgrid([1, 2, 3], [4, 5], indexing="ij")
    assert i.shape.as_list() == [3, 2]
    np.testing.assert_array_equal(run(j), [[4, 5]] * 3)
    with pytest.raises(ValueError, match="indexing parameter"):
        tf.meshgrid([1], indexing="yx")


def test_sequence_mask():
    s = tf.sequence_mask([1, 3, 2], 4)
    assert sig(s) == ("SequenceMask/Less:0", "bool", [3, 4])
    np.testing.assert_array_equal(run(s), [[1, 0, 0, 0], [1, 1, 1, 0], [1, 1, 0, 0]])
    s2 = tf.sequence_mask(tf.constant([1, 3]), dtype=tf.float32)
    assert s2.dtype == tf.float32 and s2.shape.as_list() == [2, None]
    np.testing.assert_array_equal(run(s2), [[1, 0, 0], [1, 1, 1]])


def test_where_v2_broadcasts():
    w = tf.where_v2([True, False], [1, 2], 5)
    assert sig(w) == ("SelectV2:0", "int32", [2]) and w.op.type == "SelectV2"
    np.testing.assert_array_equal(run(w), [1, 5])
    np.testing.assert_array_equal(run(tf.where_v2([[True], [False]], [1, 2], [3, 4])),
                                  [[1, 2], [3, 4]])
    assert run(tf.where_v2([True, False, True])).tolist() == [[0], [2]]
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3"):
        tf.where_v2([True, False], [1, 2, 3], 1)
    with pytest.raises(ValueError, match="both be non-None"):
        tf.where_v2([True], x=[1])


def test_invert_permutation_setdiff1d_searchsorted():
    p = tf.invert_permutation([2, 0, 1])
    assert sig(p) == ("InvertPermutation:0", "int32", [3]) and tf.math.invert_permutation
    np.testing.assert_array_equal(run(p), [1, 2, 0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="0 is duplicated in the input"):
        run(tf.invert_permutation([0, 0]))
    out, idx = tf.setdiff1d([1, 2, 3, 4], [2, 4])
    assert out.name == "ListDiff:0" and idx.name == "ListDiff:1" and out.shape.as_list() == [None]
    np.testing.assert_array_equal(run(out), [1, 3])
    np.testing.assert_array_equal(run(idx), [0, 2])
    left = tf.searchsorted([[1, 3, 5], [2, 4, 6]], [[0, 3], [4, 7]])
    right = tf.searchsorted([[1, 3, 5], [2, 4, 6]], [[0, 3], [4, 7]], side="right",
                            out_type=tf.int64)
    assert sig(left) == ("LowerBound:0", "int32", [2, 2])
    assert sig(right) == ("UpperBound:0", "int64", [2, 2])
    np.testing.assert_array_equal(run(left), [[0, 1], [1, 3]])
    np.testing.assert_array_equal(run(right), [[0, 2], [2, 3]])
    with pytest.raises(ValueError, match="must be either 'right' or 'left'"):
        tf.searchsorted([1], [1], side="up")


def test_sequence_ops_run_eagerly():
    with tf.eager_mode():
        np.testing.assert_array_equal(tf.range(3).numpy(), [0, 1, 2])
        np.testing.assert_array_equal(tf.sequence_mask([1, 2], 3).numpy(),
                                      [[1, 0, 0], [1, 1, 0]])
        np.testing.assert_array_equal(tf.where_v2([True, False], 1.0, 2.0).numpy(), [1.0, 2.0])
