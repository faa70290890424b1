"""Guard-test cases of the convolutions and poolings (minitf/ops/conv_ops.py, pool_ops.py)."""
from test_gradient_check import r, spaced

import minitf as tf
from minitf.ops import pool3d_ops, pool_ops

X = spaced(2, 3, 5, 2)
ATTRS = dict(ksize=[1, 2, 3, 1], strides=[1, 1, 2, 1], padding="SAME", data_format="NHWC")


def _max_pool_grad(g):
    """MaxPoolGrad's gradient in its `grad` input (in the pooled values it is zero)."""
    x = tf.constant(X)
    y = tf.nn.max_pool(x, **ATTRS)
    return pool_ops._max_pool_grad.apply([x, y, g], **ATTRS)


def _max_pool_grad_grad(g):
    x = tf.constant(X)
    y = tf.nn.max_pool(x, **ATTRS)
    return pool_ops._max_pool_grad_grad.apply([x, y, g], **ATTRS)


def _avg_pool_grad(g):
    return pool_ops._avg_pool_grad.apply([tf.constant([2, 3, 5, 2]), g], **ATTRS)


CASES = {
    "Conv2D": [
        (lambda x, f: tf.nn.conv2d(x, f, [1, 2, 2, 1], "SAME"), [r(2, 5, 4, 2), r(3, 2, 2, 3)]),
        (lambda x, f: tf.nn.conv2d(x, f, [1, 1, 2, 1], [[0, 0], [0, 0], [1, 0], [2, 1]],
                                   data_format="NCHW", dilations=[1, 1, 2, 1]),
         [r(1, 2, 4, 5), r(2, 2, 2, 2)])],
    "Conv2DBackpropInput": [
        (lambda f, dy: tf.nn.conv2d_backprop_input([2, 5, 4, 2], f, dy, [1, 2, 2, 1], "SAME"),
         [r(3, 2, 2, 3), r(2, 3, 2, 3)])],
    "Conv2DBackpropFilter": [
        (lambda x, dy: tf.nn.conv2d_backprop_filter(x, [2, 3, 2, 1], dy, [1, 1, 1, 1], "VALID",
                                                    dilations=[1, 2, 1, 1]),
         [r(2, 5, 4, 2), r(2, 3, 2, 1)])],
}

CASES.update({
    "MaxPool": [
        (lambda x: tf.nn.max_pool(x, [1, 2, 3, 1], [1, 1, 2, 1], "SAME"), [spaced(2, 3, 5, 2)]),
        (lambda x: tf.nn.max_pool(x, 2, 2, "VALID", data_format="NCHW"), [spaced(1, 2, 4, 5)])],
    "MaxPoolGrad": [(_max_pool_grad, [r(2, 3, 3, 2)])],
    "MaxPoolGradGrad": [(_max_pool_grad_grad, [r(2, 3, 5, 2)])],
    "AvgPool": [
        (lambda x: tf.nn.avg_pool(x, [1, 2, 3, 1], [1, 1, 2, 1], "SAME"), [r(2, 3, 5, 2)]),
        (lambda x: tf.nn.avg_pool(x, 2, 1, "VALID", data_format="NCHW"), [r(1, 2, 3, 4)])],
    "AvgPoolGrad": [(_avg_pool_grad, [r(2, 3, 3, 2)])],
})

CASES.update({
    "DepthwiseConv2dNative": [
        (lambda x, f: tf.nn.depthwise_conv2d(x, f, [1, 2, 1, 1], "SAME"),
         [r(2, 4, 3, 2), r(2, 2, 2, 3)]),
        (lambda x, f: tf.nn.depthwise_conv2d_native(x, f, [1, 1, 1, 1], "VALID",
                                                    data_format="NCHW", dilations=[1, 1, 1, 2]),
         [r(1, 2, 3, 4), r(2, 2, 2, 1)])],
    "DepthwiseConv2dNativeBackpropInput": [
        (lambda f, dy: tf.nn.depthwise_conv2d_native_backprop_input(
            [2, 4, 3, 2], f, dy, [1, 2, 1, 1], "SAME"), [r(2, 2, 2, 3), r(2, 2, 3, 6)])],
    "DepthwiseConv2dNativeBackpropFilter": [
        (lambda x, dy: tf.nn.depthwise_conv2d_native_backprop_filter(
            x, [2, 2, 2, 3], dy, [1, 1, 1, 1], "VALID"), [r(2, 4, 3, 2), r(2, 3, 2, 6)])],
})

CASES.update({
    "Conv3D": [
        (lambda x, f: tf.nn.conv3d(x, f, [1, 1, 2, 1, 1], "SAME"),
         [r(1, 3, 4, 3, 2), r(2, 2, 1, 2, 2)]),
        (lambda x, f: tf.nn.conv3d(x, f, [1, 1, 1, 1, 1], "VALID", data_format="NCDHW",
                                   dilations=[1, 1, 1, 2, 1]),
         [r(1, 2, 2, 4, 3), r(1, 2, 2, 2, 1)])],
    "Conv3DBackpropInputV2": [
        (lambda f, dy: tf.nn.conv3d_transpose(dy, f, [1, 3, 4, 3, 2], [1, 1, 2, 1, 1], "SAME"),
         [r(2, 2, 1, 2, 2), r(1, 3, 2, 3, 2)])],
    "Conv3DBackpropFilterV2": [
        (lambda x, dy: tf.nn.conv3d_backprop_filter_v2(x, [2, 1, 2, 2, 1], dy, [1, 1, 1, 1, 1],
                                                       "VALID"),
         [r(1, 3, 2, 3, 2), r(1, 2, 2, 2, 1)])],
})

ATTRS3 = dict(ksize=[1, 2, 2, 1, 1], strides=[1, 1, 2, 1, 1], padding="SAME",
              data_format="NDHWC")
X3 = spaced(1, 2, 3, 2, 2)


def _pool3d_grad(opdef):
    def build(g):
        x = tf.constant(X3)
        return opdef.apply([x, tf.nn.max_pool3d(x, **ATTRS3), g], **ATTRS3)
    return build


CASES.update({
    "MaxPool3D": [(lambda x: tf.nn.max_pool3d(x, 2, [1, 1, 2, 1, 1], "SAME"),
                   [spaced(1, 2, 3, 2, 2)])],
    "AvgPool3D": [(lambda x: tf.nn.avg_pool3d(x, 2, 1, "VALID", data_format="NCDHW"),
                   [r(1, 2, 2, 3, 3)])],
    "MaxPool3DGrad": [(_pool3d_grad(pool3d_ops._max3d_grad), [r(1, 2, 2, 2, 2)])],
    "MaxPool3DGradGrad": [(_pool3d_grad(pool3d_ops._max3d_grad_grad), [r(1, 2, 3, 2, 2)])],
    "AvgPool3DGrad": [(lambda g: pool3d_ops._avg3d_grad.apply([tf.constant([1, 2, 3, 2, 2]), g],
                                                             **ATTRS3), [r(1, 2, 2, 2, 2)])],
})
