"""depthwise_conv2d, its native op and backprops, and separable_conv2d (issue 18): values,
names and errors as TF 1 gives them (literals from TF 2.21 via tfdiff)."""
import numpy as np
import pytest

import minitf as tf

from _session import run

X = np.arange(1 * 4 * 4 * 2, dtype=np.float32).reshape(1, 4, 4, 2) / 4 - 3
F = np.arange(2 * 2 * 2 * 3, dtype=np.float32).reshape(2, 2, 2, 3) - 5


def test_depthwise_conv2d_and_its_gradients():
    x, f = tf.constant(X), tf.constant(F)
    y = tf.nn.depthwise_conv2d(x, f, [1, 2, 2, 1], "SAME")
    assert (y.name, y.shape.as_list(), y.op.type) == ("depthwise:0", [1, 2, 2, 6],
                                                      "DepthwiseConv2dNative")
    gx, gf = tf.gradients(tf.reduce_sum(y * y), [x, f])
    assert gx.name == "gradients/depthwise_grad/DepthwiseConv2dNativeBackpropInput:0"
    assert gf.name == "gradients/depthwise_grad/DepthwiseConv2dNativeBackpropFilter:0"
    a, b, c = run([y, gx, gf])
    np.testing.assert_array_equal(a.ravel(), [-1, -8, -15, -15, -21, -27, 15, 12, 9, 13, 11, 9,
                                              63, 72, 81, 97, 107, 117, 79, 92, 105, 125, 139,
                                              153])
    np.testing.assert_array_equal(b.ravel()[:8], [164, 102, -124, -654, -300, -74, 132, 322])
    np.testing.assert_array_equal(b.ravel()[-4:], [4468, 9230, 7780, 14234])
    np.testing.assert_array_equal(c.ravel()[:6], [388, 512, 636, 842, 970, 1098])
    np.testing.assert_array_equal(c.ravel()[-6:], [1168, 1352, 1536, 1942, 2150, 2358])


def test_dilated_nchw_and_separable():
    yr = tf.nn.depthwise_conv2d(X, F, [1, 1, 1, 1], "VALID", rate=[2, 1])
    yn = tf.nn.depthwise_conv2d_native(np.transpose(X, [0, 3, 1, 2]), F, [1, 1, 1, 1], "VALID",
                                       data_format="NCHW")
    pw = np.linspace(-1, 1, 6 * 2, dtype=np.float32).reshape(1, 1, 6, 2)
    sp = tf.nn.separable_conv2d(X, F, pw, [1, 1, 1, 1], "SAME")
    assert (yr.name, yr.shape.as_list()) == ("depthwise/BatchToSpaceND:0", [1, 2, 3, 6])
    assert (yn.name, yn.shape.as_list()) == ("DepthwiseConv2dNative:0", [1, 6, 3, 3])
    assert (sp.name, sp.shape.as_list()) == ("separable_conv2d:0", [1, 4, 4, 2])
    assert sp.op.inputs[0].name == "separable_conv2d/depthwise:0"
    a, b, c = run([yr, yn, sp])
    np.testing.assert_array_equal(a.ravel()[:12], [39, 36, 33, 37, 35, 33, 47, 46, 45, 51, 51,
                                                   51])
    np.testing.assert_array_equal(b.ravel()[:9], [-1, 7, 15, 31, 39, 47, 63, 71, 79])
    np.testing.assert_allclose(c.ravel()[:6], [-22.8182, -38.6364, -17.1818, -18.8182,
                                               -11.5455, 1.0], atol=1e-4)


def test_depthwise_errors():
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3 for "
                                         "'DepthwiseConv2dNative'"):
        tf.nn.depthwise_conv2d(X, tf.zeros([2, 2, 3, 1]), [1, 1, 1, 1], "SAME")
    with pytest.raises(TypeError, match="DataType int32 not in list of allowed values"):
        tf.nn.depthwise_conv2d_native(tf.zeros([1, 2, 2, 1], tf.int32),
                                      tf.zeros([1, 1, 1, 1], tf.int32), [1, 1, 1, 1], "SAME")


def test_conv3d_and_its_transpose():
    x = tf.constant(np.arange(1 * 3 * 4 * 4 * 2, dtype=np.float32).reshape(1, 3, 4, 4, 2) / 8
                    - 3)
    f = tf.constant(np.arange(2 * 2 * 2 * 2 * 3, dtype=np.float32).reshape(2, 2, 2, 2, 3) / 5
                    - 2)
    y = tf.nn.conv3d(x, f, [1, 1, 2, 2, 1], "SAME")
    assert (y.name, y.shape.as_list()) == ("Conv3D:0", [1, 3, 2, 2, 3])
    gx, gf = tf.gradients(tf.reduce_sum(y * y), [x, f])
    assert gx.name == "gradients/Conv3D_grad/Conv3DBackpropInputV2:0"
    assert gf.name == "gradients/Conv3D_grad/Conv3DBackpropFilterV2:0"
    t = tf.nn.conv3d_transpose(y, f, [1, 3, 4, 4, 2], [1, 1, 2, 2, 1], "SAME")
    assert (t.name, t.shape.as_list()) == ("conv3d_transpose:0", [1, 3, 4, 4, 2])
    values = run([y, gx, gf, t])
    firsts = [[75.4, 74.4, 73.4, 95.4, 96.0, 96.6], [-804.32, -536.48, -268.64, -0.8, -1036.32,
                                                     -690.72],
              [4623.4, 5488.8, 6354.2, 5045.3, 5940.6, 6835.9], [-402.16, -268.24, -134.32,
                                                                 -0.4, -518.16, -345.36]]
    for v, first, total in zip(values, firsts, [5421.6, 447934.72, 682610.4, 223967.36]):
        np.testing.assert_allclose(v.ravel()[:6], first, rtol=1e-4)
        np.testing.assert_allclose(v.sum(), total, rtol=1e-4)
