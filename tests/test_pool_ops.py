"""max_pool, avg_pool and their gradient ops (issue 18): values (ties included), static shapes,
names, second derivatives and errors as TF 1 gives them (literals from TF 2.21 via tfdiff)."""
import numpy as np
import pytest

import minitf as tf

from _session import run

X = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8,
              3, 2, 7], np.float32).reshape(1, 3, 5, 2)
W = np.arange(30, dtype=np.float32).reshape(1, 3, 5, 2) / 7


def _pool_and_grad(fn, padding):
    x = tf.constant(X)
    y = fn(x, [1, 2, 2, 1], [1, 2, 2, 1], padding)
    return y, tf.gradients(tf.reduce_sum(y * y), x)[0]


def test_max_pool_same_and_valid():
    y, g = _pool_and_grad(tf.nn.max_pool, "SAME")
    assert (y.name, y.shape.as_list(), g.op.type) == ("MaxPool:0", [1, 2, 3, 2], "MaxPoolGrad")
    assert g.name == "gradients/MaxPool_grad/MaxPoolGrad:0"
    a, b = run([y, g])
    np.testing.assert_array_equal(a.ravel(), [9, 8, 9, 9, 8, 4, 6, 4, 8, 3, 2, 7])
    np.testing.assert_array_equal(b.ravel(), [0, 0, 0, 0, 0, 18, 0, 0, 0, 0, 0, 16, 18, 0, 18,
                                              0, 0, 0, 16, 8, 12, 0, 0, 8, 0, 6, 16, 0, 4, 14])
    y, g = _pool_and_grad(tf.nn.max_pool, "VALID")
    a, b = run([y, g])
    np.testing.assert_array_equal(a.ravel(), [9, 8, 9, 9])
    np.testing.assert_array_equal(b.ravel(), [0] * 5 + [18, 0, 0, 0, 0, 0, 16, 18, 0, 18]
                                  + [0] * 15)


def test_avg_pool_same_counts_real_elements_only():
    y, g = _pool_and_grad(tf.nn.avg_pool, "SAME")
    assert (y.name, y.shape.as_list(), g.op.type) == ("AvgPool:0", [1, 2, 3, 2], "AvgPoolGrad")
    a, b = run([y, g])
    np.testing.assert_array_equal(a.ravel(), [5.25, 4.25, 4.5, 5.25, 6.5, 3.5, 6, 3, 5.5, 3, 2,
                                              7])
    np.testing.assert_array_equal(b.ravel(), [
        2.625, 2.125, 2.625, 2.125, 2.25, 2.625, 2.25, 2.625, 6.5, 3.5, 2.625, 2.125, 2.625,
        2.125, 2.25, 2.625, 2.25, 2.625, 6.5, 3.5, 6, 3, 6, 3, 5.5, 3, 5.5, 3, 4, 14])
    y, _ = _pool_and_grad(tf.nn.avg_pool, "VALID")
    np.testing.assert_array_equal(run(y).ravel(), [5.25, 4.25, 4.5, 5.25])


def test_nchw_pools():
    xc = np.transpose(X, [0, 3, 1, 2])
    yc = tf.nn.max_pool(xc, 2, [1, 1, 1, 2], "SAME", data_format="NCHW")
    ya = tf.nn.avg_pool(xc, [1, 1, 3, 2], 1, "SAME", data_format="NCHW")
    assert (yc.shape.as_list(), ya.shape.as_list()) == ([1, 2, 3, 3], [1, 2, 3, 5])
    a, b = run([yc, ya])
    np.testing.assert_array_equal(a.ravel(), [9, 9, 8, 9, 9, 8, 6, 8, 2, 8, 9, 4, 8, 3, 7, 4, 3,
                                              7])
    np.testing.assert_allclose(b.ravel(), [
        5.25, 6.75, 4.5, 4.25, 6.5, 5.5, 6, 29 / 6, 4.5, 5, 6.5, 6.75, 5.5, 5, 5, 4.25, 5, 5.25,
        4, 3.5, 23 / 6, 4.5, 4.5, 13 / 3, 14 / 3, 5.25, 4.25, 3, 4.25, 5.5], rtol=1e-6)


def test_second_derivatives():
    x, w = tf.constant(X), tf.constant(W)
    y = tf.nn.max_pool(x, [1, 2, 3, 1], [1, 1, 2, 1], "SAME")
    g = tf.gradients(tf.reduce_sum(y * y * y), x)[0]
    gg = tf.gradients(tf.reduce_sum(g * w), x)[0]
    ya = tf.nn.avg_pool(x, [1, 2, 3, 1], [1, 1, 2, 1], "SAME")
    gga = tf.gradients(tf.reduce_sum(tf.gradients(tf.reduce_sum(ya * ya), x)[0] * w), x)[0]
    a, b, c = run([g, gg, gga])
    np.testing.assert_array_equal(a.ravel(), [0] * 5 + [243, 0, 108, 0, 0, 0, 384, 972, 147, 0,
                                              0, 0, 0, 384, 0, 108, 0, 0, 96, 0, 0, 384, 0, 0,
                                              294])
    np.testing.assert_allclose(b.ravel(), [
        0, 0, 0, 0, 0, 38.5714, 0, 36, 0, 0, 0, 150.8571, 370.2857, 78, 0, 0, 0, 0, 246.8571, 0,
        102.8571, 0, 0, 157.7143, 0, 0, 356.5714, 0, 0, 348], atol=1e-3)
    np.testing.assert_allclose(c.ravel()[:6], [0.4286, 0.5, 0.8571, 0.9762, 0.4286, 0.4762],
                               atol=1e-4)
    np.testing.assert_allclose(c.ravel()[-4:], [8.619, 8.9762, 5.4286, 5.6429], atol=1e-3)


def test_one_d_and_v2_names():
    x1 = np.arange(12, dtype=np.float32).reshape(1, 6, 2)
    m1, a1 = tf.nn.max_pool1d(x1, 2, 2, "VALID"), tf.nn.avg_pool1d(x1, 3, 2, "SAME")
    m2, a2 = tf.nn.max_pool_v2(x1, 2, 2, "VALID"), tf.nn.avg_pool_v2(X, 2, 2, "SAME")
    assert [t.name for t in (m1, a1, m2, a2)] == [
        "MaxPool1d/Squeeze:0", "AvgPool1D/Squeeze:0", "MaxPool1d_1/Squeeze:0", "AvgPool:0"]
    assert (m1.shape.as_list(), a1.shape.as_list()) == ([1, 3, 2], [1, 3, 2])
    a, b = run([m1, a1])
    np.testing.assert_array_equal(a.ravel(), [2, 3, 6, 7, 10, 11])
    np.testing.assert_array_equal(b.ravel(), [2, 3, 6, 7, 9, 10])


def test_pool_errors():
    with pytest.raises(ValueError, match="Attr 'padding' of 'MaxPool' Op passed string 'FOO'"):
        tf.nn.max_pool(X, 2, 2, "FOO")
    with pytest.raises(ValueError, match="Shape must be rank 4 but is rank 2 for 'AvgPool'"):
        tf.nn.avg_pool(tf.zeros([2, 2]), 2, 2, "SAME")
    with pytest.raises(TypeError, match="parameter 'value' has DataType int32 not in list"):
        tf.nn.avg_pool(tf.zeros([1, 2, 2, 1], tf.int32), 2, 2, "SAME")
    with pytest.raises(ValueError, match="Negative dimension size caused by subtracting 4 "
                                         "from 3"):
        tf.nn.max_pool(X, 4, 1, "VALID")
    with pytest.raises(ValueError, match=r"ksize should be of length 1, 2 or 4\. Received"):
        tf.nn.max_pool(X, [2, 2, 2], 1, "VALID")


X3 = np.concatenate([X, X]).reshape(1, 2, 3, 5, 2)


def test_pool3d_ties_and_second_derivative():
    x, w = tf.constant(X3), tf.constant(np.arange(60, dtype=np.float32).reshape(X3.shape) / 7)
    y = tf.nn.max_pool3d(x, [1, 2, 2, 2, 1], [1, 1, 2, 2, 1], "SAME")
    assert (y.name, y.shape.as_list()) == ("MaxPool3D:0", [1, 2, 2, 3, 2])
    g = tf.gradients(tf.reduce_sum(y * y * y), x)[0]
    assert g.name == "gradients/MaxPool3D_grad/MaxPool3DGrad:0"
    gy = tf.gradients(tf.reduce_sum(g * w), y)[0]
    ya = tf.nn.avg_pool3d(x, [1, 2, 2, 2, 1], [1, 1, 2, 2, 1], "SAME")
    ga = tf.gradients(tf.reduce_sum(ya * ya), x)[0]
    vy, vg, vgy, vya, vga = run([y, g, gy, ya, ga])
    np.testing.assert_array_equal(vy.ravel()[:6], [9, 8, 9, 9, 8, 4])
    # every maximum of a window gets the gradient (the first one only in MaxPool3DGradGrad)
    np.testing.assert_array_equal(vg.ravel()[:30], [
        0, 0, 0, 0, 0, 243, 0, 0, 0, 0, 0, 192, 243, 0, 243, 0, 0, 0, 192, 48, 108, 0, 108, 48,
        0, 27, 192, 27, 12, 147])
    np.testing.assert_allclose(vgy.ravel()[:6], [92.571, 75.429, 108, 38.571, 123.429, 65.143],
                               atol=1e-3)
    np.testing.assert_array_equal(vya.ravel()[:6], [5.25, 4.25, 4.5, 5.25, 6.5, 3.5])
    np.testing.assert_array_equal(vga.ravel()[:6], [1.3125, 1.0625, 1.3125, 1.0625, 1.125,
                                                    1.3125])
    assert np.isclose(vga.sum(), 223.0)


def test_v2_picks_the_pooling_by_rank():
    y = tf.nn.max_pool_v2(X3, 2, 1, "VALID")
    assert (y.name, y.shape.as_list()) == ("MaxPool3D:0", [1, 1, 2, 4, 2])
    assert tf.nn.avg_pool_v2(X3, 2, 1, "VALID").name == "AvgPool3D:0"
    yc = tf.nn.max_pool3d(np.transpose(X3, [0, 4, 1, 2, 3]), 2, 1, "VALID", data_format="NCDHW")
    np.testing.assert_array_equal(run(yc).ravel(), [9, 9, 9, 8, 9, 9, 9, 8, 8, 9, 9, 6, 8, 7, 3,
                                                    7])
    with pytest.raises(ValueError, match="`input.shape.rank` must be 3, 4 or 5"):
        tf.nn.max_pool_v2(tf.zeros([2, 2]), 2, 1, "VALID")


def test_generic_pool():
    x = np.arange(1 * 4 * 4 * 2, dtype=np.float32).reshape(1, 4, 4, 2)
    y = tf.nn.pool(x, [2, 2], "MAX", "SAME", strides=[2, 2])
    a = tf.nn.pool(x, [2, 2], "AVG", "VALID")
    m = tf.nn.pool(np.arange(12, dtype=np.float32).reshape(1, 6, 2), [2], "MAX", "VALID",
                   strides=[2])
    d = tf.nn.pool(x, [2, 2], "MAX", "VALID", dilation_rate=[2, 2])
    assert [t.name for t in (y, a, m, d)] == [
        "max_pool:0", "avg_pool:0", "max_pool_1/Squeeze:0", "max_pool_2/BatchToSpaceND:0"]
    vy, va, vm, vd = run([y, a, m, d])
    np.testing.assert_array_equal(vy.ravel(), [10, 11, 14, 15, 26, 27, 30, 31])
    np.testing.assert_array_equal(va.ravel()[:6], [5, 6, 7, 8, 9, 10])
    np.testing.assert_array_equal(vm.ravel(), [2, 3, 6, 7, 10, 11])
    np.testing.assert_array_equal(vd.ravel(), [20, 21, 22, 23, 28, 29, 30, 31])
    with pytest.raises(ValueError, match="2-D MIN pooling is not supported"):
        tf.nn.pool(x, [2, 2], "MIN", "SAME")
    with pytest.raises(ValueError, match="pooling with 'SAME' padding is not implemented"):
        tf.nn.pool(x, [2, 2], "MAX", "SAME", dilation_rate=[2, 2])


@pytest.mark.parametrize("size,window,data_format", [
    ((2, 4, 6, 3), 2, "NHWC"), ((2, 5, 7, 3), 2, "NHWC"), ((1, 3, 6, 9), 3, "NCHW"),
    ((3, 6, 6, 2), [1, 3, 2, 1], "NHWC")])
def test_tiling_windows_pool_as_the_general_path(size, window, data_format):
    """Windows that tile the input (stride == window, VALID) take a reshape fast path; it
    gives the general im2col path's values and gradients, ties to the first maximum included
    (the values are small integers, so most windows hold ties)."""
    from minitf.ops import pool_ops

    x = np.random.RandomState(1).randint(0, 3, size).astype(np.float32)
    attrs = pool_ops._pool_attrs("MaxPool", window, window, "VALID", data_format, 2)
    y = pool_ops._max_pool.kernel(x, **attrs)
    g = np.random.RandomState(2).rand(*y.shape).astype(np.float32)
    dx = pool_ops._max_pool_grad.kernel(x, y, g, **attrs)
    x_last = pool_ops._to_last(x, data_format)
    ksize, strides, geometry = pool_ops._window(x_last.shape, attrs)
    assert pool_ops._tiles(x_last, ksize, strides, geometry) is not None
    cols = pool_ops._windows(x_last, ksize, strides, geometry, -np.inf)
    np.testing.assert_array_equal(pool_ops._to_last(y, data_format), cols.max(axis=-2))
    first = np.argmax(cols, axis=-2)[..., None, :]
    k = cols.shape[-2]
    dcols = np.where(np.arange(k).reshape(k, 1) == first,
                     pool_ops._to_last(g, data_format)[..., None, :], 0).astype(np.float32)
    expected = pool_ops._col2im(x_last.shape, dcols, ksize, strides, geometry)
    np.testing.assert_array_equal(pool_ops._to_last(dx, data_format), expected)
