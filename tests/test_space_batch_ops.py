"""space_to_batch_nd, batch_to_space_nd, TF1's space_to_batch / batch_to_space,
required_space_to_batch_paddings and extract_volume_patches: values, static shapes, names and
errors as TF 1 gives them (checked with tfdiff)."""
import numpy as np
import pytest

import minitf as tf

from _session import run

X = np.arange(1 * 2 * 5 * 2, dtype=np.float32).reshape(1, 2, 5, 2)


def test_space_to_batch_nd_moves_blocks_into_the_batch_and_back():
    y = tf.space_to_batch_nd(X, [2, 3], [[0, 0], [1, 0]])
    assert (y.name, y.shape.as_list(), y.dtype) == ("SpaceToBatchND:0", [6, 1, 2, 2], tf.float32)
    assert [t.name for t in y.op.inputs[1:]] == ["SpaceToBatchND/block_shape:0",
                                                 "SpaceToBatchND/paddings:0"]
    np.testing.assert_array_equal(run(y), [
        [[[0, 0], [4, 5]]], [[[0, 1], [6, 7]]], [[[2, 3], [8, 9]]], [[[0, 0], [14, 15]]],
        [[[10, 11], [16, 17]]], [[[12, 13], [18, 19]]]])
    z = tf.batch_to_space_nd(y, [2, 3], [[0, 0], [1, 0]])
    assert (z.name, z.shape.as_list()) == ("BatchToSpaceND:0", [1, 2, 5, 2])
    np.testing.assert_array_equal(run(z), X)


def test_tf1_space_to_batch_and_batch_to_space_use_the_nd_ops_with_an_int64_block():
    a = tf.space_to_batch(np.arange(4.0).reshape(1, 2, 2, 1), [[0, 0], [0, 0]], 2)
    assert (a.op.type, a.op.inputs[1].dtype, a.shape.as_list()) == ("SpaceToBatchND", tf.int64,
                                                                    [4, 1, 1, 1])
    np.testing.assert_array_equal(run(a).ravel(), [0, 1, 2, 3])
    b = tf.batch_to_space(np.arange(8.0).reshape(8, 1, 1, 1), [[0, 1], [1, 0]], block_size=2)
    assert (b.op.type, b.shape.as_list()) == ("BatchToSpaceND", [2, 1, 1, 1])
    np.testing.assert_array_equal(run(b).ravel(), [2, 3])
    assert tf.nn.space_to_batch is tf.space_to_batch
    assert tf.space_to_batch(tf.zeros([2, 4, 4, 1]), [[0, 0]] * 2, block_shape=2).shape == [
        8, 2, 2, 1]
    assert tf.batch_to_space(tf.placeholder(tf.float32), [[0, 0], [1, 0]], 2).shape.as_list() \
        == [None] * 4
    with pytest.raises(ValueError, match="Cannot specify both 'block_size' and 'block_shape'"):
        tf.space_to_batch(tf.zeros([2, 4, 4, 1]), [[0, 0]] * 2, 2, block_shape=2)
    with pytest.raises(ValueError, match=r"Shape \(8, 2, 2\) must have rank 4"):
        tf.space_to_batch(tf.zeros([2, 4, 4]), [[0, 0], [0, 0]], 2)


@pytest.mark.parametrize("make, shape", [
    (lambda: tf.space_to_batch_nd(tf.zeros([2, 5, 6, 3]), tf.placeholder(tf.int32, [2]),
                                  [[0, 0], [0, 0]]), [None, None, None, 3]),
    (lambda: tf.space_to_batch_nd(tf.zeros([2, 5, 6, 3]), [2, 3],
                                  tf.placeholder(tf.int32, [2, 2])), [12, None, None, 3]),
    (lambda: tf.space_to_batch_nd(tf.placeholder(tf.float32, [None, 4, None, 3]), [2, 3],
                                  [[0, 0], [0, 0]]), [None, 2, None, 3]),
    (lambda: tf.space_to_batch_nd(tf.placeholder(tf.float32), [2, 3], [[0, 0], [0, 0]]), None),
    (lambda: tf.batch_to_space_nd(tf.zeros([2, 5, 6, 3]), [1, 2],
                                  tf.placeholder(tf.int32, [2, 2])), [1, None, None, 3]),
    (lambda: tf.batch_to_space_nd(tf.placeholder(tf.float32, [None, 4, None, 3]), [2, 3],
                                  [[0, 0], [1, 0]]), [None, 8, None, 3]),
    (lambda: tf.batch_to_space_nd(tf.zeros([4, 2, 3, 1]), [2, 2], [[0, 0], [3, 3]]),
     [1, 4, 0, 1]),
])
def test_static_shapes_leave_unknown_what_run_time_values_decide(make, shape):
    assert make().shape.as_list() == shape if shape is not None else make().shape.ndims is None


@pytest.mark.parametrize("make, error, words", [
    (lambda: tf.space_to_batch_nd(tf.zeros([2, 5, 6, 3]), [2, 2], [[0, 0], [0, 0]]),
     ValueError, "Dimension size must be evenly divisible by 2 but is 5 for 'SpaceToBatchND'"
     " with input shapes: [2,5,6,3], [2], [2,2] and with computed input tensors: "
     "input[1] = <2 2>, input[2] = <[0 0][0 0]>."),
    (lambda: tf.space_to_batch_nd(tf.zeros([2, 5, 6, 3]), [2, 0], [[0, 1], [0, 0]]),
     ValueError, "block_shape must be positive"),
    (lambda: tf.space_to_batch_nd(tf.zeros([2, 5, 6, 3]), [2, 2], [[0, -1], [0, 0]]),
     ValueError, "paddings cannot be negative"),
    (lambda: tf.space_to_batch_nd(tf.zeros([2, 5, 6, 3]), [2, 2, 2, 2], [[0, 1]] * 4),
     ValueError, "Shape must be at least rank 5 but is rank 4"),
    (lambda: tf.space_to_batch_nd(tf.zeros([2, 5, 6, 3]), [2, 2], [[0, 1]]), ValueError,
     "Dimension 0 in both shapes must be equal, but are 1 and 2. Shapes are [1,2] and [2,2]."),
    (lambda: tf.space_to_batch_nd(tf.zeros([2, 5, 6, 3]), [[2, 2]], [[0, 1], [0, 0]]),
     ValueError, "block_shape must have rank 1."),
    (lambda: tf.space_to_batch_nd(tf.zeros([2, 4]), [2], [0, 0]), ValueError,
     "Shapes must be equal rank, but are 1 and 2"),
    (lambda: tf.space_to_batch_nd(tf.zeros([2, 4]), tf.placeholder(tf.int32, [None]),
                                  [[0, 0]]), ValueError, "block_shape must have known size."),
    (lambda: tf.space_to_batch_nd(tf.zeros([2, 4]), [2.0], [[0, 0]]), TypeError,
     "Value passed to parameter 'block_shape' has DataType float32 not in list of allowed "
     "values: int32, int64"),
    (lambda: tf.batch_to_space_nd(tf.zeros([2, 4]), [2], [[0.0, 0.0]]), TypeError,
     "parameter 'crops' has DataType float32"),
    (lambda: tf.batch_to_space_nd(tf.zeros([2, 5, 6, 3]), [2, 2], [[0, 0], [0, 0]]),
     ValueError, "Dimension size must be evenly divisible by 2 but is 1"),
    (lambda: tf.batch_to_space_nd(tf.zeros([4, 2, 3, 1]), [2, 2], [[0, 0], [4, 3]]),
     ValueError, "Negative dimension size caused by subtracting 3 from 2"),
    (lambda: tf.batch_to_space_nd(tf.zeros([4, 2, 3, 1]), [2, 2], [[0, 0], [-1, 3]]),
     ValueError, "crops cannot be negative"),
])
def test_static_errors(make, error, words):
    with pytest.raises(error) as info:
        make()
    assert words in str(info.value)


def test_run_time_errors_for_values_known_only_then():
    bs, pd = tf.placeholder(tf.int32, [2]), tf.placeholder(tf.int32, [2, 2])
    x = tf.placeholder(tf.float32, [None, 4, 6])
    y, z = tf.space_to_batch_nd(x, bs, [[0, 0], [0, 0]]), tf.batch_to_space_nd(x, bs, pd)
    cases = [
        (y, {x: np.zeros([1, 4, 6]), bs: [3, 2]},
         "padded_shape[0]=4 is not divisible by block_shape[0]=3"),
        (y, {x: np.zeros([1, 4, 6]), bs: [0, 2]},
         "All values in block_shape must be positive, got value, 0 at index 0."),
        (z, {x: np.zeros([3, 4, 6]), bs: [2, 2], pd: np.zeros((2, 2), np.int32)},
         "Input batch dimension (3) is not divisible by product of block sizes (4)"),
        (z, {x: np.zeros([4, 4, 6]), bs: [2, 2], pd: [[0, 0], [7, 6]]},
         "cropped_shape[1]=-1 must be non-negative"),
        (z, {x: np.zeros([4, 4, 6]), bs: [2, 2], pd: [[0, 0], [-1, 6]]},
         "Crops must be non-negative"),
    ]
    for fetch, feed, words in cases:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            run(fetch, feed)
        assert words in str(info.value)
    assert run(z, {x: np.zeros([4, 4, 6]), bs: [2, 2], pd: [[0, 0], [6, 6]]}).shape == (1, 8, 0)
    p = tf.placeholder(tf.int32, [1, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Paddings must be non-negative"):
        run(tf.space_to_batch_nd(tf.zeros([1, 4]), [2], p), {p: [[-1, 1]]})


def test_the_gradient_of_each_is_the_other():
    x = tf.constant(np.arange(8 * 1 * 3 * 2, dtype=np.float64).reshape(8, 1, 3, 2))
    w = tf.batch_to_space(x, [[0, 0], [2, 0]], 2)
    g = tf.gradients(tf.reduce_sum(w * w), x)[0]
    assert g.op.type == "SpaceToBatchND"
    np.testing.assert_array_equal(run(w).ravel(), [
        2, 3, 14, 15, 4, 5, 16, 17, 26, 27, 38, 39, 28, 29, 40, 41, 8, 9, 20, 21, 10, 11, 22, 23,
        32, 33, 44, 45, 34, 35, 46, 47])
    np.testing.assert_array_equal(run(g), np.where(np.arange(6).reshape(1, 1, 3, 2) < 2, 0,
                                                   2 * run(x)))
    y = tf.space_to_batch_nd(x, [1, 3], [[0, 0], [1, 2]])
    assert tf.gradients(y, x)[0].op.type == "BatchToSpaceND"


def test_required_paddings_with_constants_and_tensors():
    paddings, crops = tf.required_space_to_batch_paddings([5, 7], [2, 3],
                                                          base_paddings=[[1, 0], [0, 2]])
    assert (paddings.name, crops.name, paddings.shape.as_list()) == (
        "required_space_to_batch_paddings/paddings:0", "required_space_to_batch_paddings/crops:0",
        [2, 2])
    np.testing.assert_array_equal(run(paddings), [[1, 0], [0, 2]])
    np.testing.assert_array_equal(run(crops), [[0, 0], [0, 0]])
    shape = tf.placeholder(tf.int32, [3])
    p, c = tf.required_space_to_batch_paddings(shape, [2, 3, 4], [[1, 0], [0, 2], [3, 3]])
    got = run([p, c], {shape: [5, 7, 8]})
    np.testing.assert_array_equal(got[0], [[1, 0], [0, 2], [3, 5]])
    np.testing.assert_array_equal(got[1], [[0, 0], [0, 0], [0, 2]])
    p, c = tf.required_space_to_batch_paddings(tf.zeros([0], tf.int32), tf.zeros([0], tf.int32))
    assert run(p).shape == (0, 2) and c.shape.as_list() == [0, 2]


def test_required_paddings_errors():
    with pytest.raises(ValueError, match=r"Shape \(\?,\) is not fully defined"):
        tf.required_space_to_batch_paddings([5, 7], tf.placeholder(tf.int32, [None]))
    with pytest.raises(ValueError, match=r"Shapes \(3,\) and \[2\] are incompatible"):
        tf.required_space_to_batch_paddings([5, 7, 3], [2, 3])
    with pytest.raises(ValueError, match=r"Shapes \(1, 2\) and \[2, 2\] are incompatible"):
        tf.required_space_to_batch_paddings([5, 7], [2, 3], [[1, 2]])


def test_required_paddings_feed_a_round_trip_with_a_run_time_block():
    block = tf.placeholder(tf.int32, [2])
    x = tf.constant(np.arange(2 * 5 * 7, dtype=np.float32).reshape(2, 5, 7))
    paddings, crops = tf.required_space_to_batch_paddings(tf.shape(x)[1:], block)
    y = tf.space_to_batch_nd(x, block, paddings)
    z = tf.batch_to_space_nd(y, block, crops)
    assert y.shape.as_list() == z.shape.as_list() == [None, None, None]
    got_y, got_z = run([y, z], {block: [2, 3]})
    assert got_y.shape == (12, 3, 3)
    np.testing.assert_array_equal(got_y.ravel()[:12], [0, 3, 6, 14, 17, 20, 28, 31, 34, 35, 38,
                                                       41])
    np.testing.assert_array_equal(got_z, run(x))


def test_extract_volume_patches_values_and_shapes():
    x = np.arange(1 * 2 * 3 * 3 * 1, dtype=np.float32).reshape(1, 2, 3, 3, 1)
    v = tf.extract_volume_patches(x, [1, 1, 2, 2, 1], [1, 1, 2, 2, 1], "SAME")
    assert (v.name, v.shape.as_list()) == ("ExtractVolumePatches:0", [1, 2, 2, 2, 4])
    assert (v.op.get_attr("ksizes"), v.op.get_attr("padding")) == ([1, 1, 2, 2, 1], "SAME")
    np.testing.assert_array_equal(run(v), [[[[[0, 1, 3, 4], [2, 0, 5, 0]],
                                             [[6, 7, 0, 0], [8, 0, 0, 0]]],
                                            [[[9, 10, 12, 13], [11, 0, 14, 0]],
                                             [[15, 16, 0, 0], [17, 0, 0, 0]]]]])
    full = tf.zeros([1, 4, 5, 3, 2])
    shapes = [tf.extract_volume_patches(t, [1, 2, 3, 2, 1], [1, 2, 2, 1, 1], p).shape
              for t, p in [(full, "SAME"), (full, "VALID"),
                           (tf.placeholder(tf.float32, [None, 4, 5, 3, None]), "SAME"),
                           (tf.placeholder(tf.float32, [None, 4, None, 3, 2]), "VALID"),
                           (tf.placeholder(tf.float32), "SAME")]]
    # (TF's shape function gives rank 4 when a spatial dimension is unknown)
    assert [s.as_list() for s in shapes] == [[1, 2, 3, 3, 24], [1, 2, 2, 2, 24],
                                             [None, 2, 3, 3, None], [None, None, None, 24],
                                             [None] * 4]
    empty = tf.extract_volume_patches(tf.zeros([1, 4, 5, 3, 2]), [1, 5, 3, 2, 1],
                                      [1, 2, 2, 1, 1], "VALID")
    assert empty.shape.as_list() == [1, 0, 2, 2, 60] and run(empty).shape == (1, 0, 2, 2, 60)
    ints = tf.extract_volume_patches(tf.ones([1, 3, 3, 3, 1], tf.int32), [1, 2, 2, 2, 1],
                                     [1] * 5, "SAME")
    assert ints.dtype == tf.int32 and run(ints).sum() == 5 ** 3  # (2 + 2 + 1 per dim)


def test_extract_volume_patches_gradient_sums_back_into_the_positions():
    x = tf.constant(np.arange(1 * 2 * 3 * 2 * 1, dtype=np.float32).reshape(1, 2, 3, 2, 1))
    w = tf.extract_volume_patches(x, [1, 2, 2, 1, 1], [1, 1, 1, 1, 1], "VALID")
    g = tf.gradients(tf.reduce_sum(w * w), x)[0]
    np.testing.assert_array_equal(run(w).ravel(), [0, 2, 6, 8, 1, 3, 7, 9, 2, 4, 8, 10, 3, 5, 9,
                                                   11])
    np.testing.assert_array_equal(run(g).ravel(), [0, 2, 8, 12, 8, 10, 12, 14, 32, 36, 20, 22])


@pytest.mark.parametrize("make, error, words", [
    (lambda: tf.extract_volume_patches(tf.zeros([1, 2, 2, 2, 1]), [1, 2, 3, 2], [1] * 5,
                                       "VALID"),
     ValueError, "Attr 'ksizes' of 'ExtractVolumePatches' Op passed list of length 4 less than "
     "minimum 5."),
    (lambda: tf.extract_volume_patches(tf.zeros([1, 2, 2, 2, 1]), [1] * 5, [1] * 5, "FULL"),
     ValueError, "Attr 'padding' of 'ExtractVolumePatches' Op passed string 'FULL' not in: "
     "\"SAME\", \"VALID\"."),
    (lambda: tf.extract_volume_patches(tf.zeros([2, 3, 4]), [1] * 5, [1] * 5, "VALID"),
     ValueError, "Shape must be rank 5 but is rank 3 for 'ExtractVolumePatches'"),
    (lambda: tf.extract_volume_patches(tf.zeros([1, 2, 2, 2, 1], tf.bool), [1] * 5, [1] * 5,
                                       "SAME"),
     TypeError, "Value passed to parameter 'input' has DataType bool not in list of allowed "
     "values: float32, float64, int32"),
])
def test_extract_volume_patches_errors(make, error, words):
    with pytest.raises(error) as info:
        make()
    assert words in str(info.value)


def test_extract_volume_patches_only_patches_space():
    x = tf.zeros([1, 4, 5, 3, 2])
    for ksizes, strides, attr in [([2, 2, 3, 2, 1], [1] * 5, "ksizes"),
                                  ([1, 2, 3, 2, 1], [1, 2, 2, 1, 2], "strides")]:
        with pytest.raises(tf.errors.UnimplementedError, match=f"Only support {attr} across "
                           "space."):
            run(tf.extract_volume_patches(x, ksizes, strides, "VALID"))


@pytest.mark.global_graph
def test_ops_run_eagerly(eager):
    y = tf.space_to_batch_nd(tf.constant(X), [2, 3], [[0, 0], [1, 0]])
    np.testing.assert_array_equal(tf.batch_to_space_nd(y, [2, 3], [[0, 0], [1, 0]]).numpy(), X)
    v = tf.extract_volume_patches(tf.ones([1, 2, 2, 2, 1]), [1, 2, 2, 2, 1], [1] * 5, "VALID")
    np.testing.assert_array_equal(v.numpy(), np.ones([1, 1, 1, 1, 8]))
