"""tf.nn.max_pool_with_argmax (MaxPoolWithArgmax) and its gradient MaxPoolGradWithArgmax: values,
flattened indices, names, dtypes and errors as TF 1 gives them (checked with tfdiff)."""
import numpy as np
import pytest

import minitf as tf

from _session import run

ROWS = np.array([[3, 1, 4, 1, 5], [9, 2, 6, 5, 3], [5, 8, 9, 7, 9]], np.float32).reshape(1, 3, 5, 1)
X = np.concatenate([ROWS, -ROWS], 0)
SAME = dict(ksize=[1, 2, 3, 1], strides=[1, 1, 2, 1], padding="SAME")


def test_outputs_names_shapes_and_dtypes():
    y, a = tf.nn.max_pool_with_argmax(X, **SAME)
    assert (y.name, a.name, y.op.type) == ("MaxPoolWithArgmax:0", "MaxPoolWithArgmax:1",
                                           "MaxPoolWithArgmax")
    assert (y.shape.as_list(), a.shape.as_list(), y.dtype, a.dtype) == (
        [2, 3, 3, 1], [2, 3, 3, 1], tf.float32, tf.int64)
    out = tf.nn.max_pool_with_argmax(X, **SAME, output_dtype=tf.int32, name="p")
    assert (out.argmax.dtype, out.output.name) == (tf.int32, "p:0")
    assert tf.nn.max_pool_with_argmax(X, **SAME, Targmax=tf.int32).argmax.dtype == tf.int32
    p = tf.placeholder(tf.float32, [None, 5, None, 3])
    assert tf.nn.max_pool_with_argmax(p, **SAME).argmax.shape.as_list() == [None, 5, None, 3]


def test_indices_are_flattened_per_image_or_with_the_batch():
    y, a = run(tf.nn.max_pool_with_argmax(X, **SAME))
    np.testing.assert_array_equal(y[..., 0], [[[9, 6, 5], [9, 9, 9], [8, 9, 9]],
                                              [[-1, -1, -1], [-2, -2, -3], [-5, -7, -7]]])
    np.testing.assert_array_equal(a[..., 0], [[[5, 7, 4], [5, 12, 14], [11, 12, 14]],
                                              [[1, 1, 3], [6, 6, 9], [10, 13, 13]]])
    _, ab = run(tf.nn.max_pool_with_argmax(X, **SAME, include_batch_in_index=True))
    np.testing.assert_array_equal(ab[..., 0], a[..., 0] + [[[0]], [[15]]])


def test_channels_ties_and_padding():
    # ties: the first position of the window; padding is never chosen, even over -inf
    zeros = np.zeros((1, 4, 4, 2), np.float32)
    _, a = run(tf.nn.max_pool_with_argmax(zeros, [1, 3, 3, 1], [1, 1, 1, 1], "SAME"))
    np.testing.assert_array_equal(a[0, :, :, 1], [[1, 1, 3, 5], [1, 1, 3, 5], [9, 9, 11, 13],
                                                  [17, 17, 19, 21]])
    low = np.full((1, 2, 2, 1), -np.inf, np.float32)
    _, a = run(tf.nn.max_pool_with_argmax(low, [1, 2, 2, 1], [1, 1, 1, 1], "SAME"))
    np.testing.assert_array_equal(a[0, :, :, 0], [[0, 1], [2, 3]])
    ints = np.full((1, 2, 2, 1), -128, np.int8)
    y, a = run(tf.nn.max_pool_with_argmax(ints, [1, 2, 2, 1], [1, 1, 1, 1], "SAME"))
    assert y.dtype == np.int8 and a[0, :, :, 0].tolist() == [[0, 1], [2, 3]]


def test_a_nan_wins_only_first_in_its_window():
    x = np.array([[1, np.nan, 2], [5, 3, np.nan], [0, 5, 1]], np.float32).reshape(1, 3, 3, 1)
    y, a = run(tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 1, 1, 1], "VALID"))
    np.testing.assert_array_equal(y[0, :, :, 0], [[5, np.nan], [5, 5]])
    np.testing.assert_array_equal(a[0, :, :, 0], [[3, 1], [3, 7]])


def test_gradient_scatters_to_the_argmax():
    x = tf.constant(X)
    y, _ = tf.nn.max_pool_with_argmax(x, **SAME, include_batch_in_index=True)
    dy = np.arange(1, 19, dtype=np.float32).reshape(2, 3, 3, 1)
    g = tf.gradients(y, x, grad_ys=dy)[0]
    assert (g.op.type, g.op.name) == ("MaxPoolGradWithArgmax",
                                      "gradients/MaxPoolWithArgmax_grad/MaxPoolGradWithArgmax")
    np.testing.assert_array_equal(run(g)[..., 0], [
        [[0, 0, 0, 0, 3], [5, 0, 2, 0, 0], [0, 7, 13, 0, 15]],
        [[0, 21, 0, 12, 0], [0, 27, 0, 0, 15], [16, 0, 0, 35, 0]]])
    # without the batch in the index the same gradient lands in the same places
    y2, _ = tf.nn.max_pool_with_argmax(x, **SAME)
    np.testing.assert_array_equal(run(tf.gradients(y2, x, grad_ys=dy)[0]), run(g))


def test_second_derivative_raises_as_tf():
    x = tf.constant(X)
    g = tf.gradients(tf.nn.max_pool_with_argmax(x, **SAME).output, x)[0]
    with pytest.raises(LookupError, match="op type: MaxPoolGradWithArgmax"):
        tf.gradients(g, x)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(ksize=2, strides=2), TypeError, "Expected list for 'ksize' argument"),
    (dict(ksize=[2, 2]), ValueError, "passed list of length 2 less than minimum 4"),
    (dict(data_format="NCHW"), ValueError, "values other  than 'NHWC' are not supported"),
    (dict(padding="EXPLICIT"), ValueError, "passed string 'EXPLICIT' not in"),
    (dict(ksize=[1, 5, 2, 1]), ValueError, "Negative dimension size caused by subtracting 5"),
    (dict(ksize=[1, 0, 2, 1]), ValueError, "ksize must be a positive int32 value, got:0"),
    (dict(strides=[1, 0, 2, 1]), ValueError, "Stride must be > 0, but got 0"),
    (dict(ksize=[1, 2, 2, 1, 1]), ValueError, "ksize attribute to contain 4 values"),
    (dict(Targmax=tf.float32), TypeError, "'Targmax' has DataType float32 not in"),
    (dict(Targmax=tf.int32, output_dtype=tf.int32), ValueError, "Cannot specify both"),
    (dict(input=tf.zeros([4, 4, 2])), ValueError, "Shape must be rank 4 but is rank 3"),
    (dict(input=tf.zeros([1, 4, 4, 2], tf.bool)), TypeError, "DataType bool not in list"),
])
def test_static_errors(kwargs, error, match):
    args = dict(input=tf.zeros([1, 4, 4, 2]), ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1],
                padding="VALID")
    with pytest.raises(error, match=match):
        tf.nn.max_pool_with_argmax(**dict(args, **kwargs))


@pytest.mark.parametrize("ksize, strides, value, error, match", [
    ([2, 2, 2, 1], [1, 2, 2, 1], np.zeros((1, 4, 4, 2)), tf.errors.UnimplementedError,
     "not yet supported on the batch dimension"),
    ([1, 2, 2, 2], [1, 2, 2, 1], np.zeros((1, 4, 4, 2)), tf.errors.UnimplementedError,
     "exactly one of pooling across depth"),
    ([1, 2, 2, 1], [1, 1, 1, 1], np.zeros((0, 4, 4, 1)), tf.errors.InvalidArgumentError,
     "tensor_in must not be empty"),
    ([1, 2, 2, 1], [1, 1, 1, 1], np.zeros((4, 4, 1)), tf.errors.InvalidArgumentError,
     "tensor_in must be 4-dimensional"),
])
def test_run_time_errors(ksize, strides, value, error, match):
    p = tf.placeholder(tf.float64)
    out = tf.nn.max_pool_with_argmax(p, ksize, strides, "SAME")
    with pytest.raises(error, match=match):
        run(out, {p: value})
