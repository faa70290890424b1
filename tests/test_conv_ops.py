"""conv2d and its backprops (issue 18): values, static shapes, names, gradients and errors as
TF 1 gives them (the literals come from TF 2.21's tf.compat.v1 through tools/tfdiff)."""
import numpy as np
import pytest

import minitf as tf

from _session import run

X = np.arange(1 * 4 * 4 * 2, dtype=np.float32).reshape(1, 4, 4, 2) - 10
F = np.arange(2 * 2 * 2 * 1, dtype=np.float32).reshape(2, 2, 2, 1) - 3


def test_conv2d_padding_strides_dilations_and_layouts():
    y = tf.nn.conv2d(X, F, strides=[1, 2, 2, 1], padding=[[0, 0], [1, 0], [0, 1], [0, 0]])
    yd = tf.nn.conv2d(X, F, strides=1, padding="SAME", dilations=[2, 1])
    yc = tf.nn.conv2d(np.transpose(X, [0, 3, 1, 2]), F, 2, "VALID", data_format="NCHW")
    assert (y.name, y.op.type, y.shape.as_list()) == ("Conv2D:0", "Conv2D", [1, 2, 2, 1])
    assert y.op.get_attr("padding") == "EXPLICIT"
    assert y.op.get_attr("explicit_paddings") == [0, 0, 1, 0, 0, 1, 0, 0]
    assert (yd.shape.as_list(), yc.shape.as_list()) == ([1, 4, 4, 1], [1, 1, 2, 2])
    a, b, c = run([y, yd, yc])
    np.testing.assert_array_equal(a.ravel(), [-80, -40, 88, 104])
    np.testing.assert_array_equal(b.ravel(), [0, 20, 40, 14, 136, 144, 152, 56, 168, 176, 184,
                                              40, -40, -52, -64, -62])
    np.testing.assert_array_equal(c.ravel(), [56, 72, 120, 136])


def test_conv2d_same_stride_matches_tf():
    x = tf.constant(np.arange(2 * 5 * 5 * 2, dtype=np.float32).reshape(2, 5, 5, 2) / 10)
    f = tf.constant(np.linspace(-1, 1, 3 * 3 * 2 * 3, dtype=np.float32).reshape(3, 3, 2, 3))
    y = tf.nn.conv2d(x, f, strides=[1, 2, 2, 1], padding="SAME")
    gx, gf = tf.gradients(tf.reduce_sum(y * y), [x, f])
    assert (gx.op.type, gf.op.type) == ("Conv2DBackpropInput", "Conv2DBackpropFilter")
    assert gx.name == "gradients/Conv2D_grad/Conv2DBackpropInput:0"
    assert tf.nn.conv2d(x, f, 1, [[0, 0], [1, 2], [0, 1], [0, 0]], dilations=2).shape == [
        2, 4, 2, 3]
    assert tf.nn.conv2d(x, f, [1, 1, 2, 1], "VALID").shape == [2, 3, 2, 3]
    a, b, c = run([y, gx, gf])
    np.testing.assert_allclose(a[0, :, :, 0], [[3.63, 5.875, 3.358], [7.551, 7.081, 0.623],
                                               [-6.242, -15.453, -15.208]], atol=1e-3)
    np.testing.assert_allclose([a.sum(), b.sum(), c.sum()], [1.664156, 4206.4814, -11511.719],
                               rtol=1e-5)


def test_backprop_functions_and_second_derivative():
    bi = tf.nn.conv2d_backprop_input([1, 4, 4, 2], F, tf.ones([1, 2, 2, 1]), [1, 2, 2, 1], "SAME")
    bf = tf.nn.conv2d_backprop_filter(X, [2, 2, 2, 1], tf.ones([1, 2, 2, 1]), [1, 2, 2, 1],
                                      "SAME")
    assert (bi.name, bi.shape.as_list()) == ("Conv2DBackpropInput:0", [1, 4, 4, 2])
    assert (bf.name, bf.shape.as_list()) == ("Conv2DBackpropFilter:0", [2, 2, 2, 1])
    x, f = tf.constant(X), tf.constant(F)
    yd = tf.nn.conv2d(x, f, strides=1, padding="SAME", dilations=[2, 1])
    g2 = tf.gradients(tf.gradients(tf.reduce_sum(yd * yd), x)[0], f)[0]
    a, b, c = run([bi, bf, g2])
    np.testing.assert_array_equal(a.ravel(), [-3, -2, -1, 0] * 2 + [1, 2, 3, 4] * 2
                                  + [-3, -2, -1, 0] * 2 + [1, 2, 3, 4] * 2)
    np.testing.assert_array_equal(b.ravel(), [0, 4, 8, 12, 32, 36, 40, 44])
    np.testing.assert_array_equal(c.ravel(), [1076, 1070, 1152, 1164, 2732, 2838, 2832, 2940])


def test_conv2d_static_errors():
    with pytest.raises(ValueError, match=r"Depth of input \(2\) is not a multiple of input "
                                         r"depth of filter \(3\)"):
        tf.nn.conv2d(X, tf.zeros([3, 3, 3, 3]), 1, "SAME")
    with pytest.raises(ValueError, match="Attr 'padding' of 'Conv2D' Op passed string 'FOO'"):
        tf.nn.conv2d(X, F, 1, "FOO")
    with pytest.raises(TypeError, match="DataType int64 not in list of allowed values"):
        tf.nn.conv2d(tf.zeros([1, 2, 2, 2], tf.int64), F, 1, "SAME")
    with pytest.raises(ValueError, match="Negative dimension size caused by subtracting 3"):
        tf.nn.conv2d(tf.zeros([1, 2, 2, 2]), tf.zeros([3, 3, 2, 1]), 1, "VALID")
    with pytest.raises(ValueError, match=r"strides should be of length 1, 2 or 4\. Received"):
        tf.nn.conv2d(X, F, [1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="When padding is a list, it must be of size 4"):
        tf.nn.conv2d(X, F, 1, [[0, 0], [1, 1], [1, 1]])
    with pytest.raises(ValueError, match="Nonzero explicit padding in the batch or depth"):
        tf.nn.conv2d(X, F, 1, [[1, 0], [1, 1], [1, 1], [0, 0]])


def test_conv2d_run_time_errors():
    with pytest.raises(tf.errors.UnimplementedError, match="does not yet support strides in "
                                                           "the batch and depth"):
        run(tf.nn.conv2d(X, F, [1, 1, 1, 2], "SAME"))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Size of out_backprop doesn't "
                                                             "match computed"):
        run(tf.nn.conv2d_backprop_input([1, 4, 4, 2], F, tf.ones([1, 3, 2, 1]), [1, 2, 2, 1],
                                        "SAME"))


def test_conv2d_agrees_with_a_direct_sum():
    # a pixel-by-pixel reference on random data, strided, dilated and NCHW
    rng = np.random.RandomState(1)
    x, f = rng.randn(2, 7, 6, 3), rng.randn(3, 2, 3, 4)
    ref = np.zeros((2, 3, 5, 4))
    xp = np.pad(x, [(0, 0), (1, 1), (0, 1), (0, 0)])
    for i in range(3):
        for j in range(5):
            ref[:, i, j] = np.einsum("nabc,abcd->nd", xp[:, 2 * i:2 * i + 5:2, j:j + 3:2], f)
    y = tf.nn.conv2d(np.transpose(x, [0, 3, 1, 2]), f, [2, 1], [[0, 0], [0, 0], [1, 1], [0, 1]],
                     data_format="NCHW", dilations=[1, 1, 2, 2])
    np.testing.assert_allclose(run(y), np.transpose(ref, [0, 3, 1, 2]), rtol=1e-12)


X1 = np.arange(1 * 6 * 2, dtype=np.float32).reshape(1, 6, 2) - 5
F1 = np.arange(3 * 2 * 2, dtype=np.float32).reshape(3, 2, 2) - 4
X4 = np.arange(1 * 3 * 3 * 2, dtype=np.float32).reshape(1, 3, 3, 2) - 5
F4 = np.arange(2 * 2 * 4 * 2, dtype=np.float32).reshape(2, 2, 4, 2) / 4 - 3


def test_conv1d_and_conv2d_transpose():
    y = tf.nn.conv1d(X1, F1, 2, "SAME")
    t = tf.nn.conv2d_transpose(X4, F4, [1, 6, 6, 4], [1, 2, 2, 1], "SAME")
    assert (y.name, y.shape.as_list()) == ("conv1d/Squeeze:0", [1, 3, 2])
    assert (t.name, t.op.type, t.shape.as_list()) == ("conv2d_transpose:0",
                                                      "Conv2DBackpropInput", [1, 6, 6, 4])
    a, b = run([y, t])
    np.testing.assert_array_equal(a.ravel(), [20, 5, 44, 53, -8, 10])
    np.testing.assert_array_equal(b[0, 0, :3].ravel(), [26, 21.5, 17, 12.5, 8, 3.5, -1, -5.5,
                                                        14.5, 12, 9.5, 7])
    np.testing.assert_array_equal(b[0, 5].ravel(), [17, 24.5, 32, 39.5, 47, 54.5, 62, 69.5,
                                                        21.5, 31, 40.5, 50, 59.5, 69, 78.5, 88,
                                                        26, 37.5, 49, 60.5, 72, 83.5, 95, 106.5])
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3"):
        tf.nn.conv2d_transpose(X4, tf.zeros([2, 2, 4, 3]), [1, 6, 6, 4], [1, 2, 2, 1], "SAME")
    with pytest.raises(ValueError, match="requires input_sizes to contain 4 values"):
        tf.nn.conv2d_transpose(X4, F4, [1, 6, 6], [1, 2, 2, 1], "SAME")
    with pytest.raises(ValueError, match="`data_format` must be 'NWC' or 'NCW'"):
        tf.nn.conv1d(X1, F1, 1, "SAME", data_format="NHCW")


def test_convolution_and_atrous_conv2d():
    f = np.transpose(F4, [0, 1, 3, 2])
    a = tf.nn.atrous_conv2d(X4, f, 2, "SAME")
    assert (a.name, a.shape.as_list()) == ("convolution/BatchToSpaceND:0", [1, 3, 3, 4])
    assert [op.type for op in a.graph.get_operations() if op.type.endswith("ND")] == [
        "SpaceToBatchND", "BatchToSpaceND"]
    c = tf.nn.convolution(X4, f, "VALID", strides=[1, 1])
    c1 = tf.nn.convolution(X1, F1, "SAME", dilation_rate=[2])
    assert (c.name, c.shape.as_list()) == ("convolution_1:0", [1, 2, 2, 4])
    assert (c1.name, c1.shape.as_list()) == ("convolution_2/BatchToSpaceND:0", [1, 6, 2])
    va, vc, vc1 = run([a, c, c1])
    np.testing.assert_array_equal(va.ravel()[:12], [22, 25.5, 29, 32.5, 38, 45, 52, 59, 8, 11.5,
                                                    15, 18.5])
    np.testing.assert_array_equal(va.ravel()[-8:], [-18, -11, -4, 3, -20, -16.5, -13, -9.5])
    np.testing.assert_array_equal(vc.ravel(), [56, 54, 52, 50, 58, 64, 70, 76, 62, 84, 106,
                                               128, 64, 94, 124, 154])
    np.testing.assert_array_equal(vc1.ravel(), [-12, -22, 12, 10, 64, 61, 76, 85, 12, 18, 4,
                                                18])


def test_dilated_convolution_names_its_conv_op_after_the_scope():
    # TF runs it through SpaceToBatchND; the Conv2D op takes the scope's own name
    x = tf.placeholder(tf.float32, [2, 9, 9, 3])
    y = tf.nn.convolution(x, tf.ones([3, 3, 3, 4]), "SAME", dilation_rate=[2, 2], name="Conv2D")
    assert y.name == "Conv2D/BatchToSpaceND:0" and y.shape.as_list() == [2, 9, 9, 4]
    ops = [o.name for o in tf.get_default_graph().get_operations()
           if o.type in ("Conv2D", "SpaceToBatchND", "BatchToSpaceND")]
    assert ops == ["Conv2D/SpaceToBatchND", "Conv2D", "Conv2D/BatchToSpaceND"]
