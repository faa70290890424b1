"""tf.nn.dilation2d (Dilation2D) with its gradient ops and tf.nn.erosion2d: values, names,
shapes, dtypes and errors as TF 1 gives them (checked with tfdiff)."""
import numpy as np
import pytest

import minitf as tf

from _session import run

RNG = np.random.RandomState(0)
X = RNG.uniform(-1, 1, (2, 5, 4, 2)).astype(np.float32)
K = RNG.uniform(-1, 1, (2, 3, 2)).astype(np.float32)
ONES = [1, 1, 1, 1]


def test_dilation2d_values_names_and_shapes():
    y = tf.nn.dilation2d(X, K, [1, 2, 1, 1], [1, 1, 2, 1], "SAME")
    assert (y.name, y.op.type, y.shape.as_list()) == ("Dilation2D:0", "Dilation2D", [2, 3, 4, 2])
    assert [t.name for t in y.op.inputs] == ["Dilation2D/input:0", "Dilation2D/filter:0"]
    np.testing.assert_allclose(run(y)[1, :, :, 1], [[0.586, 0.7358, 0.7262, 0.1812],
                                                   [0.596, 0.2721, 0.0508, 0.7959],
                                                   [0.5946, -0.5367, 0.0382, -0.3776]], atol=1e-4)
    valid = tf.nn.dilation2d(X, K, ONES, ONES, "VALID")
    assert valid.shape.as_list() == [2, 4, 2, 2]
    np.testing.assert_allclose(run(valid)[0, :, :, 0], [[0.9738, 0.6299], [0.7082, 1.1091],
                                                       [1.0904, 0.1956], [0.1769, 0.5246]],
                               atol=1e-4)
    other = tf.nn.dilation2d(X, filters=K, strides=ONES, dilations=ONES, padding="VALID")
    np.testing.assert_array_equal(run(other), run(valid))
    assert tf.nn.dilation2d(X, K, ONES, [1, 3, 1, 1], "VALID").shape.as_list() == [2, 2, 2, 2]
    assert tf.nn.dilation2d(X.astype(np.int32), K.astype(np.int32), ONES, ONES,
                            "VALID").dtype == tf.int32
    # a filter value takes the input's dtype
    assert tf.nn.dilation2d(X, K.astype(np.float64), ONES, ONES, "VALID").dtype == tf.float32


def test_a_window_without_usable_sums_gives_the_lowest_value():
    low = np.full((1, 2, 2, 1), -np.inf, np.float32)
    y = run(tf.nn.dilation2d(low, np.zeros((2, 2, 1), np.float32), ONES, ONES, "SAME"))
    np.testing.assert_array_equal(y, np.full((1, 2, 2, 1), np.finfo(np.float32).min))


def test_gradients_go_to_the_first_maximum():
    x, k = tf.constant(X), tf.constant(K)
    y = tf.nn.dilation2d(x, k, [1, 2, 1, 1], [1, 1, 2, 1], "SAME")
    dy = np.arange(1, 49, dtype=np.float32).reshape(2, 3, 4, 2)
    gx, gk = tf.gradients(y, [x, k], grad_ys=dy)
    assert (gx.op.type, gx.name) == ("Dilation2DBackpropInput",
                                     "gradients/Dilation2D_grad/Dilation2DBackpropInput:0")
    assert gk.op.type == "Dilation2DBackpropFilter"
    np.testing.assert_array_equal(run(gx)[1, :, :, 1], [
        [0, 0, 30, 0], [26, 28, 0, 32], [0, 0, 0, 0], [34, 0, 38, 76], [88, 44, 0, 48]])
    np.testing.assert_array_equal(run(gk), [[[128, 46], [64, 270], [99, 0]],
                                            [[43, 0], [184, 246], [58, 38]]])
    with pytest.raises(LookupError, match="op type: Dilation2DBackpropInput"):
        tf.gradients(gx, x)
    zeros = tf.constant(np.zeros((1, 3, 3, 1), np.float32))
    ties = tf.gradients(tf.nn.dilation2d(zeros, np.zeros((2, 2, 1), np.float32), ONES, ONES,
                                         "SAME"), zeros)[0]
    np.testing.assert_array_equal(run(ties), np.ones((1, 3, 3, 1)))


def test_erosion2d_is_the_dual_dilation():
    e = tf.nn.erosion2d(X, K, ONES, [1, 2, 1, 1], "SAME")
    assert (e.name, e.shape.as_list()) == ("erosion2d/Neg_1:0", [2, 5, 4, 2])
    assert [op.type for op in tf.get_default_graph().get_operations()][-4:] == [
        "Const", "ReverseV2", "Dilation2D", "Neg"]
    np.testing.assert_allclose(run(e)[0, :2, :, 0], [[0.9475, 0.5001, -0.4939, 0.0029],
                                                    [-0.0879, -1.0928, -0.3046, -0.2767]],
                               atol=1e-4)
    assert tf.nn.erosion2d(X, K, ONES, ONES, "VALID", name="er").name == "er/Neg_1:0"


@pytest.mark.parametrize("args, error, match", [
    ((X, K[..., :1], ONES, ONES, "SAME"), ValueError, "Dimensions must be equal, but are 2 and 1"),
    ((X, K, [1, 1, 1], ONES, "SAME"), ValueError, "'strides' of 'Dilation2D' Op passed list of "
                                                  "length 3 less than minimum 4"),
    ((X, K, ONES, [1, 1, 1], "SAME"), ValueError, "'rates' of 'Dilation2D' Op passed list"),
    ((X, K, ONES, ONES, "FOO"), ValueError, "passed string 'FOO' not in"),
    ((X[0], K, ONES, ONES, "VALID"), ValueError, "Shape must be rank 4 but is rank 3"),
    ((X, K[0], ONES, ONES, "VALID"), ValueError, "Shape must be rank 3 but is rank 2"),
    ((X, K, ONES, [1, 5, 1, 1], "VALID"), ValueError, "Negative dimension size"),
    ((X.astype(np.complex64), K.astype(np.complex64), ONES, ONES, "VALID"), TypeError,
     "DataType complex64 not in list"),
    ((X, K, 1, ONES, "VALID"), TypeError, "Expected list for 'strides' argument"),
])
def test_static_errors(args, error, match):
    with pytest.raises(error, match=match):
        tf.nn.dilation2d(*args)


@pytest.mark.parametrize("strides, rates, match", [
    ([2, 1, 1, 1], ONES, "Stride is only supported across spatial dimensions"),
    ([1, 1, 1, 2], ONES, "Stride is only supported across spatial dimensions"),
    (ONES, [1, 1, 1, 2], "Rate is only supported across spatial dimensions"),
])
def test_run_time_errors(strides, rates, match):
    with pytest.raises(tf.errors.UnimplementedError, match=match):
        run(tf.nn.dilation2d(X, K, strides, rates, "VALID"))
