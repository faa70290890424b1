"""Array ops: creation, shape queries and layout ops, against NumPy with TF's names and shapes."""
import numpy as np
import pytest

import minitf as tf

from _session import run

X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], np.float32)


def sig(t):
    return t.name, t.op.type, t.dtype.name, t.shape.as_list() if t.shape.ndims is not None else None


def test_placeholder_static_shape_and_feed():
    p = tf.placeholder(tf.float32, [None, 3])
    assert sig(p) == ("Placeholder:0", "Placeholder", "float32", [None, 3])
    assert tf.placeholder(tf.int32).shape.ndims is None
    np.testing.assert_array_equal(run(p * 2.0, {p: X}), X * 2)


def test_placeholder_with_default_yields_default_unless_fed():
    d = tf.placeholder_with_default(tf.constant(X), [None, 3])
    assert sig(d) == ("PlaceholderWithDefault:0", "PlaceholderWithDefault", "float32", [None, 3])
    np.testing.assert_array_equal(run(d), X)
    np.testing.assert_array_equal(run(d, {d: X[:1]}), X[:1])
    with pytest.raises(ValueError):
        tf.placeholder_with_default(tf.constant(X), [3, 3])


@pytest.mark.parametrize("expr, expected_sig, value", [
    (lambda: tf.zeros([2, 3]), ("zeros:0", "Const", "float32", [2, 3]), np.zeros((2, 3))),
    (lambda: tf.ones((2,), tf.int32), ("ones:0", "Const", "int32", [2]), np.ones(2)),
    (lambda: tf.fill([2], 7), ("Fill:0", "Fill", "int32", [2]), [7, 7]),
    (lambda: tf.zeros_like(tf.constant(X)), ("zeros_like:0", "Const", "float32", [2, 3]),
     np.zeros((2, 3))),
    (lambda: tf.ones_like(tf.constant([1, 2]), dtype=tf.float32),
     ("ones_like:0", "Const", "float32", [2]), [1.0, 1.0]),
])
def test_creation_ops(expr, expected_sig, value):
    t = expr()
    assert sig(t) == expected_sig
    np.testing.assert_array_equal(run(t), value)


def test_creation_from_a_dynamic_shape_uses_fill():
    p = tf.placeholder(tf.float32, [None, 3])
    z = tf.zeros(tf.shape(p))
    assert sig(z) == ("zeros:0", "Fill", "float32", [None, 3])
    o = tf.ones_like(p)
    assert o.shape.as_list() == [None, 3]
    np.testing.assert_array_equal(run([z, o], {p: X}), [np.zeros((2, 3)), np.ones((2, 3))])


def test_big_creations_are_fills_not_constants_in_the_graph():
    # TF's _constant_if_small: a constant under 1000 elements, else Fill(shape_as_tensor, Const)
    assert sig(tf.zeros([999])) == ("zeros:0", "Const", "float32", [999])
    big = tf.ones([10, 100], tf.int8)
    assert sig(big) == ("ones:0", "Fill", "int8", [10, 100])
    assert [op.name for op in tf.get_default_graph().get_operations()][-3:] == [
        "ones/shape_as_tensor", "ones/Const", "ones"]
    assert big.op.inputs[0].dtype == tf.int32
    np.testing.assert_array_equal(run(big), np.ones((10, 100)))
    huge = tf.zeros([2**31, 2], tf.int8)  # a dimension past int32: an int64 shape, as TF
    assert sig(huge) == ("zeros_1:0", "Fill", "int8", [2**31, 2])
    assert huge.op.inputs[0].dtype == tf.int64
    with pytest.raises(ValueError, match="Dimension -1 must be >= 0"):
        tf.zeros([2, -1])


def test_shape_size_rank():
    p = tf.placeholder(tf.float32, [None, 3])
    assert sig(tf.shape(p)) == ("Shape:0", "Shape", "int32", [2])
    assert sig(tf.size(p)) == ("Size:0", "Size", "int32", [])
    assert sig(tf.rank(p)) == ("Rank:0", "Const", "int32", [])
    assert tf.shape(p, out_type=tf.int64).dtype == tf.int64
    out = run([tf.shape(p), tf.size(p), tf.rank(p)], {p: X})
    assert [o.tolist() for o in out] == [[2, 3], 6, 2]
    assert tf.rank(tf.placeholder(tf.float32)).op.type == "Rank"


def test_reshape_infers_minus_one_and_checks_sizes():
    x = tf.constant(X)
    assert sig(tf.reshape(x, [3, -1])) == ("Reshape:0", "Reshape", "float32", [3, 2])
    p = tf.placeholder(tf.float32, [None, 3])
    assert tf.reshape(p, [-1]).shape.as_list() == [None]
    assert tf.reshape(p, [2, -1, 3]).shape.as_list() == [2, None, 3]
    np.testing.assert_array_equal(run(tf.reshape(x, [3, -1])), X.reshape(3, 2))
    with pytest.raises(ValueError, match="Dimension size must be evenly divisible by 4 but is 6"):
        tf.reshape(x, [4, -1])
    with pytest.raises(ValueError, match="Cannot reshape a tensor with 6 elements"):
        tf.reshape(x, [4, 2])


def test_reshape_to_a_computed_shape():
    p = tf.placeholder(tf.float32, [None, 3])
    flat = tf.reshape(p, [tf.shape(p)[0], -1])
    assert flat.shape.as_list() == [None, None]
    assert run(flat, {p: X}).shape == (2, 3)


def test_transpose_default_and_perm():
    x = tf.constant(X)
    assert sig(tf.transpose(x)) == ("transpose:0", "Transpose", "float32", [3, 2])
    p = tf.placeholder(tf.float32, [None, 3])
    assert tf.transpose(p, [1, 0]).shape.as_list() == [3, None]
    np.testing.assert_array_equal(run(tf.transpose(x)), X.T)
    with pytest.raises(ValueError, match="Dimension must be 2 but is 1"):
        tf.transpose(x, [0])


def test_expand_dims_and_squeeze():
    p = tf.placeholder(tf.float32, [None, 3])
    assert sig(tf.expand_dims(p, 1)) == ("ExpandDims:0", "ExpandDims", "float32", [None, 1, 3])
    assert tf.expand_dims(p, -1).shape.as_list() == [None, 3, 1]
    assert tf.expand_dims(p, dim=0).shape.as_list() == [1, None, 3]
    z = tf.zeros([1, 2, 1])
    assert sig(tf.squeeze(z)) == ("Squeeze:0", "Squeeze", "float32", [2])
    assert tf.squeeze(z, [0]).shape.as_list() == [2, 1]
    assert tf.squeeze(z, squeeze_dims=[-1]).shape.as_list() == [1, 2]
    assert tf.squeeze(p).shape.ndims is None
    with pytest.raises(ValueError, match="dim 4 not in the interval"):
        tf.expand_dims(tf.constant(X), 4)
    with pytest.raises(ValueError, match=r"Can not squeeze dim\[0\], expected a dimension of 1"):
        tf.squeeze(tf.constant(X), [0])


def test_concat_stack_unstack():
    x, p = tf.constant(X), tf.placeholder(tf.float32, [None, 3])
    assert sig(tf.concat([x, p], 0)) == ("concat:0", "ConcatV2", "float32", [None, 3])
    assert tf.concat([x, x], -1).shape.as_list() == [2, 6]
    assert sig(tf.stack([x, x])) == ("stack:0", "Pack", "float32", [2, 2, 3])
    assert tf.stack([p, p], axis=1).shape.as_list() == [None, 2, 3]
    parts = tf.unstack(x)
    assert [sig(t) for t in parts] == [("unstack:0", "Unpack", "float32", [3]),
                                       ("unstack:1", "Unpack", "float32", [3])]
    out = run([tf.concat([x, p], 0), tf.stack([x, x], axis=2)] + parts, {p: X})
    np.testing.assert_array_equal(out[0], np.concatenate([X, X]))
    np.testing.assert_array_equal(out[1], np.stack([X, X], axis=2))
    np.testing.assert_array_equal(out[2:], list(X))
    with pytest.raises(TypeError, match="have types \\[float32, int32\\] that don't all match"):
        tf.concat([x, tf.constant([[1, 2, 3]])], 0)
    with pytest.raises(ValueError, match="Cannot infer argument `num`"):
        tf.unstack(p)


def test_concat_of_one_tensor_is_an_identity():
    t = tf.concat([tf.constant(X)], 0)
    assert sig(t) == ("concat/concat:0", "Identity", "float32", [2, 3])


def test_split_equal_parts_and_sizes():
    x = tf.constant(X)
    parts = tf.split(x, 3, axis=1)
    assert [sig(t) for t in parts] == [(f"split:{i}", "Split", "float32", [2, 1])
                                       for i in range(3)]
    sized = tf.split(x, [1, -1], 1)
    assert [t.shape.as_list() for t in sized] == [[2, 1], [2, 2]]
    assert sized[0].op.type == "SplitV"
    out = run(parts + sized)
    np.testing.assert_array_equal(out[3], X[:, :1])
    np.testing.assert_array_equal(out[4], X[:, 1:])
    with pytest.raises(ValueError, match="evenly divisible by 4"):
        tf.split(x, 4, axis=1)


def test_tile_and_pad():
    x = tf.constant(X)
    assert sig(tf.tile(x, [2, 1])) == ("Tile:0", "Tile", "float32", [4, 3])
    np.testing.assert_array_equal(run(tf.tile(x, [2, 2])), np.tile(X, [2, 2]))
    with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 1"):
        tf.tile(x, [2])
    pad = tf.pad(x, [[1, 0], [0, 2]])
    assert sig(pad) == ("Pad:0", "Pad", "float32", [3, 5])
    np.testing.assert_array_equal(run(pad), np.pad(X, [[1, 0], [0, 2]]))
    np.testing.assert_array_equal(run(tf.pad(x, [[1, 0], [0, 2]], mode="REFLECT")),
                                  np.pad(X, [[1, 0], [0, 2]], mode="reflect"))
    np.testing.assert_array_equal(run(tf.pad(x, [[1, 1], [1, 1]], "SYMMETRIC")),
                                  np.pad(X, 1, mode="symmetric"))
    np.testing.assert_array_equal(run(tf.pad(x, [[0, 1], [0, 0]], constant_values=9)),
                                  np.pad(X, [[0, 1], [0, 0]], constant_values=9))


def test_gather_values_shapes_and_out_of_range_error():
    x, p = tf.constant(X), tf.placeholder(tf.float32, [None, 3])
    assert sig(tf.gather(x, [1, 0])) == ("GatherV2:0", "GatherV2", "float32", [2, 3])
    assert tf.gather(p, [0, 1], axis=1).shape.as_list() == [None, 2]
    assert tf.gather(x, [[0, 1], [1, 1]]).shape.as_list() == [2, 2, 3]
    np.testing.assert_array_equal(run(tf.gather(x, [1, 1, 0])), X[[1, 1, 0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = 5 is not in"):
        run(tf.gather(x, [0, 5]))


def test_where_coordinates_and_select():
    c = tf.constant([[True, False], [False, True]])
    w = tf.where(c)
    assert sig(w) == ("Where:0", "Where", "int64", [None, 2])
    assert run(w).tolist() == [[0, 0], [1, 1]]
    s = tf.where(tf.constant([True, False]), tf.constant([1, 2]), tf.constant([3, 4]))
    assert sig(s) == ("Select:0", "Select", "int32", [2])
    assert run(s).tolist() == [1, 4]
    rows = tf.where(tf.constant([False, True]), tf.constant(X), tf.zeros([2, 3]))
    np.testing.assert_array_equal(run(rows), [[0, 0, 0], X[1]])
    with pytest.raises(ValueError, match="x and y must both be non-None or both be None"):
        tf.where(tf.constant([True]), x=tf.constant([1]))


def test_one_hot():
    t = tf.one_hot([0, 2, -1], 3)
    assert sig(t) == ("one_hot:0", "OneHot", "float32", [3, 3])
    np.testing.assert_array_equal(run(t), [[1, 0, 0], [0, 0, 1], [0, 0, 0]])
    i = tf.one_hot(tf.constant([0, 1]), 3, axis=0, dtype=tf.int32, on_value=5, off_value=1)
    assert sig(i) == ("one_hot_1:0", "OneHot", "int32", [3, 2])
    assert run(i).tolist() == [[5, 1], [1, 5], [1, 1]]


UNKNOWN_DIMS = [  # (op applied to a [None, 3] float32 placeholder, expected static shape)
    (lambda p: tf.identity(p), [None, 3]),
    (lambda p: tf.cast(p, tf.int32), [None, 3]),
    (lambda p: tf.clip_by_value(p, 0.0, 1.0), [None, 3]),
    (lambda p: tf.one_hot(tf.cast(p, tf.int32), 4), [None, 3, 4]),
    (lambda p: tf.nn.softmax_cross_entropy_with_logits_v2(labels=p, logits=p), [None]),
    (lambda p: tf.nn.l2_loss(p), []),
    (lambda p: tf.argmax(p, axis=1), [None]),
    (lambda p: tf.tile(p, [2, 2]), [None, 6]),
    (lambda p: tf.pad(p, [[1, 1], [0, 1]]), [None, 4]),
    (lambda p: tf.where(p > 0.0), [None, 2]),
    (lambda p: tf.where(p > 0.0, p, -p), [None, 3]),
    (lambda p: tf.gather(p, [0, 0, 1]), [3, 3]),
    (lambda p: tf.split(p, 3, axis=1)[0], [None, 1]),
    (lambda p: tf.split(p, 2, axis=0)[0], [None, 3]),
    (lambda p: tf.unstack(p, axis=1)[0], [None]),
    (lambda p: tf.equal(p, p), [None, 3]),
    (lambda p: tf.random_normal(tf.shape(p)), [None, 3]),
    (lambda p: tf.zeros_like(p), [None, 3]),
]


@pytest.mark.parametrize("build, expected", UNKNOWN_DIMS)
def test_static_shapes_with_unknown_dims_and_run_time_shapes(build, expected):
    p = tf.placeholder(tf.float32, [None, 3])
    t = build(p)
    assert t.shape.as_list() == expected
    value = run(t, {p: np.arange(12, dtype=np.float32).reshape(4, 3) - 5})
    assert all(e is None or e == a for e, a in zip(expected, np.shape(value)))
    assert len(np.shape(value)) == len(expected)


def test_where_merges_partly_known_shapes_and_zeros_of_bool_take_a_tensor_shape():
    c = tf.placeholder(tf.bool, [None])
    a, b = tf.placeholder(tf.float32, [None, None]), tf.placeholder(tf.float32, [None, 4])
    assert tf.where(c, a, b).shape.as_list() == [None, 4]
    with pytest.raises(ValueError, match=r"Dimension 1 in both shapes must be equal, but are 3 "
                                         r"and 4. Shapes are \[2,3\] and \[2,4\]"):
        tf.where(tf.placeholder(tf.bool, [2, 3]), tf.zeros([2, 3]), tf.zeros([2, 4]))
    with pytest.raises(ValueError, match="Shapes must be equal rank, but are 2 and 3"):
        tf.where(tf.placeholder(tf.bool, [2, 3]), tf.zeros([2, 3]), tf.zeros([2, 3, 1]))
    zeros, ones = tf.zeros([tf.constant(3)], tf.bool), tf.ones([tf.constant(2), 2], tf.bool)
    with tf.Session() as sess:
        z, o = sess.run([zeros, ones])
    assert z.dtype == bool and z.tolist() == [False] * 3 and o.tolist() == [[True, True]] * 2
