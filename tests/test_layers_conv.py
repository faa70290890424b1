"""tf.layers' convolution and pooling layers (Conv1D/2D/3D, Conv2D/3DTranspose,
SeparableConv1D/2D, Max/AveragePooling1D/2D/3D and their functions): variable names and shapes,
op names, static shapes, values, errors, reuse, trainable, regularizers and constraints, all
checked with tfdiff against TF 2.21's tf.compat.v1.layers (TF_USE_LEGACY_KERAS=1)."""
import numpy as np
import pytest

import minitf as tf

X1 = np.arange(1 * 5 * 2, dtype=np.float32).reshape(1, 5, 2) / 10
X2 = np.arange(1 * 4 * 4 * 2, dtype=np.float32).reshape(1, 4, 4, 2) / 10
X3 = np.arange(1 * 3 * 3 * 3 * 1, dtype=np.float32).reshape(1, 3, 3, 3, 1) / 10


def kinit(shape, dtype=None, partition_info=None):
    """Known kernels: (i % 7 - 3) / 10 in order."""
    n = int(np.prod(shape))
    return tf.constant((np.arange(n) % 7 - 3).reshape(shape) / 10.0, dtype=dtype or tf.float32)


BINIT = tf.constant_initializer(0.5)


def _ops_after(n0):
    return [(o.name, o.type) for o in tf.get_default_graph().get_operations()[n0:]]


def _compute_ops(n0):
    """The ops of a layer's computation (not its variables' own)."""
    return [o for o in _ops_after(n0) if "Initializer" not in o[0] and o[1] != "VariableV2"
            and not o[0].endswith(("/Assign", "/read"))]


def test_conv2d_graph_is_tfs():
    x = tf.placeholder(tf.float32, [None, 8, 8, 3], name="x")
    n0 = len(tf.get_default_graph().get_operations())
    y = tf.layers.conv2d(x, 4, 3)
    assert (y.name, y.shape.as_list()) == ("conv2d/BiasAdd:0", [None, 6, 6, 4])
    assert _ops_after(n0) == [
        ("conv2d/kernel/Initializer/random_uniform/shape", "Const"),
        ("conv2d/kernel/Initializer/random_uniform/min", "Const"),
        ("conv2d/kernel/Initializer/random_uniform/max", "Const"),
        ("conv2d/kernel/Initializer/random_uniform/RandomUniform", "RandomUniform"),
        ("conv2d/kernel/Initializer/random_uniform/sub", "Sub"),
        ("conv2d/kernel/Initializer/random_uniform/mul", "Mul"),
        ("conv2d/kernel/Initializer/random_uniform", "AddV2"),
        ("conv2d/kernel", "VariableV2"), ("conv2d/kernel/Assign", "Assign"),
        ("conv2d/kernel/read", "Identity"), ("conv2d/bias/Initializer/zeros", "Const"),
        ("conv2d/bias", "VariableV2"), ("conv2d/bias/Assign", "Assign"),
        ("conv2d/bias/read", "Identity"), ("conv2d/Conv2D", "Conv2D"),
        ("conv2d/BiasAdd", "BiasAdd")]
    c = tf.layers.Conv2D(2, (3, 2), strides=2, padding="SAME", activation=tf.nn.relu,
                         use_bias=False)
    y = c(x)
    assert (y.name, y.shape.as_list()) == ("conv2d_1/Relu:0", [None, 4, 4, 2])
    assert [(v.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("conv2d/kernel:0", [3, 3, 3, 4]), ("conv2d/bias:0", [4]),
        ("conv2d_1/kernel:0", [3, 2, 3, 2])]


def test_variable_names_and_shapes_of_each_layer():
    x1 = tf.placeholder(tf.float32, [None, 10, 3])
    x2 = tf.placeholder(tf.float32, [None, 8, 8, 3])
    x3 = tf.placeholder(tf.float32, [None, 6, 6, 6, 3])
    shapes = [tf.layers.conv1d(x1, 4, 3).shape, tf.layers.conv3d(x3, 4, 3).shape,
              tf.layers.conv2d_transpose(x2, 4, 3, strides=2, padding="same").shape,
              tf.layers.conv3d_transpose(x3, 4, 3, strides=2).shape,
              tf.layers.separable_conv1d(x1, 4, 3).shape,
              tf.layers.separable_conv2d(x2, 4, 3, depth_multiplier=2).shape]
    assert [s.as_list() for s in shapes] == [
        [None, 8, 4], [None, 4, 4, 4, 4], [None, 16, 16, 4], [None, 13, 13, 13, 4],
        [None, 8, 4], [None, 6, 6, 4]]
    assert [(v.name, v.shape.as_list()) for v in tf.trainable_variables()] == [
        ("conv1d/kernel:0", [3, 3, 4]), ("conv1d/bias:0", [4]),
        ("conv3d/kernel:0", [3, 3, 3, 3, 4]), ("conv3d/bias:0", [4]),
        ("conv2d_transpose/kernel:0", [3, 3, 4, 3]), ("conv2d_transpose/bias:0", [4]),
        ("conv3d_transpose/kernel:0", [3, 3, 3, 4, 3]), ("conv3d_transpose/bias:0", [4]),
        ("separable_conv1d/depthwise_kernel:0", [3, 3, 1]),
        ("separable_conv1d/pointwise_kernel:0", [1, 3, 4]), ("separable_conv1d/bias:0", [4]),
        ("separable_conv2d/depthwise_kernel:0", [3, 3, 3, 2]),
        ("separable_conv2d/pointwise_kernel:0", [1, 1, 6, 4]),
        ("separable_conv2d/bias:0", [4])]


def test_op_names_of_the_other_layers():
    x1 = tf.placeholder(tf.float32, [None, 10, 3])
    x3 = tf.placeholder(tf.float32, [None, 6, 6, 6, 3])
    n0 = len(tf.get_default_graph().get_operations())
    assert tf.layers.conv1d(x1, 4, 3).name == "conv1d/BiasAdd:0"
    assert [o for o in _compute_ops(n0) if o[1] != "Const"] == [
        ("conv1d/Conv1D/ExpandDims", "ExpandDims"), ("conv1d/Conv1D/ExpandDims_1", "ExpandDims"),
        ("conv1d/Conv1D", "Conv2D"), ("conv1d/Conv1D/Squeeze", "Squeeze"),
        ("conv1d/BiasAdd", "BiasAdd")]
    # channels first: a reshaped bias added (TF has no BiasAdd of rank 3 there)
    assert tf.layers.conv1d(x1, 4, 3, data_format="channels_first").name == "conv1d_1/add:0"
    n0 = len(tf.get_default_graph().get_operations())
    assert tf.layers.conv3d(x3, 4, 3, data_format="channels_first").shape.as_list() == [
        None, 4, 4, 4, 1]
    assert _compute_ops(n0) == [("conv3d/Conv3D", "Conv3D"), ("conv3d/BiasAdd", "BiasAdd")]
    n0 = len(tf.get_default_graph().get_operations())
    tf.layers.conv3d_transpose(x3, 4, (3, 2, 1), strides=(2, 1, 3), padding="same")
    assert [o for o in _compute_ops(n0) if o[1] not in ("Const", "StridedSlice")] == [
        ("conv3d_transpose/Shape", "Shape"), ("conv3d_transpose/mul", "Mul"),
        ("conv3d_transpose/mul_1", "Mul"), ("conv3d_transpose/mul_2", "Mul"),
        ("conv3d_transpose/stack", "Pack"),
        ("conv3d_transpose/conv3d_transpose", "Conv3DBackpropInputV2"),
        ("conv3d_transpose/BiasAdd", "BiasAdd")]
    n0 = len(tf.get_default_graph().get_operations())
    assert tf.layers.separable_conv1d(x1, 4, 3).name == "separable_conv1d/Squeeze:0"
    assert [o for o in _compute_ops(n0) if o[1] != "Const"] == [
        ("separable_conv1d/ExpandDims", "ExpandDims"),
        ("separable_conv1d/ExpandDims_1", "ExpandDims"),
        ("separable_conv1d/ExpandDims_2", "ExpandDims"),
        ("separable_conv1d/separable_conv2d/depthwise", "DepthwiseConv2dNative"),
        ("separable_conv1d/separable_conv2d", "Conv2D"),
        ("separable_conv1d/BiasAdd", "BiasAdd"), ("separable_conv1d/Squeeze", "Squeeze")]


def test_conv2d_transpose_output_shape_ops_and_compute_output_shape():
    x2 = tf.placeholder(tf.float32, [None, 8, 8, 3])
    xu = tf.placeholder(tf.float32, [None, None, None, 3])
    x2c = tf.placeholder(tf.float32, [None, 3, 8, 8])
    n0 = len(tf.get_default_graph().get_operations())
    y = tf.layers.conv2d_transpose(x2, 4, 3, strides=2, padding="same")
    assert y.shape.as_list() == [None, 16, 16, 4]
    assert [o for o in _compute_ops(n0) if o[1] != "Const"] == [
        ("conv2d_transpose/Shape", "Shape"), ("conv2d_transpose/strided_slice", "StridedSlice"),
        ("conv2d_transpose/stack", "Pack"), ("conv2d_transpose/strided_slice_1", "StridedSlice"),
        ("conv2d_transpose/conv2d_transpose", "Conv2DBackpropInput"),
        ("conv2d_transpose/BiasAdd", "BiasAdd")]
    # unknown sizes come from tf.shape: valid gives size * 2 + (3 - 2)
    n0 = len(tf.get_default_graph().get_operations())
    y = tf.layers.conv2d_transpose(xu, 4, 3, strides=2)
    assert y.shape.as_list() == [None, None, None, 4]
    assert [o[0] for o in _compute_ops(n0) if o[1] in ("Mul", "AddV2")] == [
        "conv2d_transpose_1/mul", "conv2d_transpose_1/add", "conv2d_transpose_1/mul_1",
        "conv2d_transpose_1/add_1"]
    # channels first runs channels last between two transposes, as TF on a CPU
    n0 = len(tf.get_default_graph().get_operations())
    y = tf.layers.conv2d_transpose(x2c, 4, 3, strides=2, data_format="channels_first")
    assert y.shape.as_list() == [None, 4, 17, 17]
    assert [o[0] for o in _compute_ops(n0) if o[1] in ("Transpose", "Pack")] == [
        "conv2d_transpose_2/stack", "conv2d_transpose_2/transpose",
        "conv2d_transpose_2/stack_1", "conv2d_transpose_2/transpose_1"]
    t = tf.layers.Conv2DTranspose(5, 3, strides=2, padding="same")
    assert t.compute_output_shape(tf.TensorShape([None, 9, 9, 3])).as_list() == [
        None, 18, 18, 5]
    t = tf.layers.Conv3DTranspose(5, 3, strides=2, data_format="channels_first")
    assert t.compute_output_shape(tf.TensorShape([None, 3, 9, None, 3])).as_list() == [
        None, 5, 19, None, 7]
    c = tf.layers.Conv2D(5, 3, strides=2)
    assert c.compute_output_shape(tf.TensorShape([None, 9, 9, 3])).as_list() == [
        None, 4, 4, 5]
    assert c.compute_output_shape([2, 9, None, 3]).as_list() == [2, 4, None, 5]


def test_static_shapes_with_padding_strides_and_unknown_sizes():
    x2 = tf.placeholder(tf.float32, [None, 8, 8, 3])
    xu = tf.placeholder(tf.float32, [None, None, None, 3])
    assert tf.layers.conv2d(x2, 4, 3, padding="SAME", strides=(2, 3)).shape.as_list() == [
        None, 4, 3, 4]
    assert tf.layers.conv2d(xu, 4, 3, padding="Same", strides=2).shape.as_list() == [
        None, None, None, 4]
    assert tf.layers.conv2d(x2, 4, 3, dilation_rate=2).shape.as_list() == [None, 4, 4, 4]
    assert tf.layers.conv1d(tf.zeros([2, 10, 3]), 4, 3, padding="causal",
                            dilation_rate=2).shape.as_list() == [2, 10, 4]
    assert tf.layers.max_pooling2d(xu, 3, 2, padding="SAME").shape.as_list() == [
        None, None, None, 3]
    assert tf.layers.MaxPooling2D(3, 2).compute_output_shape(
        tf.TensorShape([None, 9, 9, 3])).as_list() == [None, 4, 4, 3]
    p = tf.layers.AveragePooling1D(3, 2, padding="same", data_format="channels_first")
    assert p.compute_output_shape(tf.TensorShape([None, 9, 9])).as_list() == [None, 9, 5]


def _run(outputs):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(outputs)


def test_convolution_values_match_tf():
    outs = [
        tf.layers.conv1d(X1, 2, 3, kernel_initializer=kinit, bias_initializer=BINIT),
        tf.layers.conv1d(X1, 1, 2, padding="causal", dilation_rate=2, kernel_initializer=kinit),
        tf.layers.conv2d(X2, 2, (2, 3), kernel_initializer=kinit, bias_initializer=BINIT,
                         activation=tf.nn.relu),
        tf.layers.conv2d(X2, 1, 3, strides=2, padding="SAME", kernel_initializer=kinit),
        tf.layers.conv2d(X2, 1, 2, dilation_rate=2, padding="same", kernel_initializer=kinit),
        tf.layers.conv3d(X3, 1, 2, strides=(1, 2, 1), kernel_initializer=kinit,
                         bias_initializer=BINIT)]
    got = _run(outs)
    want = [
        [0.52, 0.46, 0.48, 0.4, 0.44, 0.34], [0.0, -0.02, -0.06, -0.18, -0.3],
        [0.52, 0.25, 0.48, 0.17, 0.36, 0.0, 0.32, 0.0, 0.2, 0.0, 0.16, 0.0],
        [-0.4, -0.83, -0.91, -2.18],
        [-0.03, 0.23, 0.29, 0.38, -0.05, 0.41, 0.35, 0.4, -0.13, 0.17, 0.11, 0.24, -0.18,
         -1.02, -1.14, -1.02],
        [0.71, 0.68, 0.44, 0.41]]
    shapes = [(1, 3, 2), (1, 5, 1), (1, 3, 2, 2), (1, 2, 2, 1), (1, 4, 4, 1), (1, 2, 1, 2, 1)]
    for g, w, s in zip(got, want, shapes):
        assert g.shape == s
        np.testing.assert_allclose(g.ravel(), w, rtol=1e-5, atol=1e-6)


def test_transpose_and_separable_values_match_tf():
    outs = [
        tf.layers.conv2d_transpose(X2[:, :2, :2], 1, 3, strides=2, kernel_initializer=kinit,
                                   bias_initializer=BINIT),
        tf.layers.conv2d_transpose(X2[:, :2, :3], 1, 2, strides=(2, 1), padding="same",
                                   kernel_initializer=kinit),
        tf.layers.conv3d_transpose(X3[:, :2, :2, :2], 1, 2, strides=2,
                                   kernel_initializer=kinit, bias_initializer=BINIT),
        tf.layers.separable_conv1d(X1, 2, 3, depth_multiplier=2, depthwise_initializer=kinit,
                                   pointwise_initializer=kinit, bias_initializer=BINIT),
        tf.layers.separable_conv2d(X2, 1, 2, depthwise_initializer=kinit,
                                   pointwise_initializer=kinit),
        tf.layers.separable_conv2d(X2, 1, 2, padding="same", dilation_rate=2,
                                   depth_multiplier=2, depthwise_initializer=kinit,
                                   pointwise_initializer=kinit)]
    got = _run(outs)
    want = [
        [0.48, 0.5, 0.4, 0.48, 0.58, 0.47, 0.49, 0.48, 0.43, 0.53, 0.11, 0.4, 0.37, 0.28, 0.8,
         0.47, 0.25, 0.56, 0.19, 0.61, 0.93, 0.08, 0.95, -0.02, 0.4],
        [-0.02, -0.12, -0.24, 0.02, 0.05, 0.11, -0.42, -0.6, -0.72, 0.26, 0.29, 0.35],
        None,
        [0.514, 0.54, 0.532, 0.576, 0.55, 0.612],
        [-0.074, -0.062, -0.05, -0.026, -0.014, -0.002, 0.022, 0.034, 0.046],
        [-0.087, -0.041, -0.043, 0.096, -0.182, -0.091, -0.085, 0.217, -0.334, -0.067,
         -0.061, 0.393, -0.183, 0.022, 0.03, 0.281]]
    shapes = [(1, 5, 5, 1), (1, 4, 3, 1), (1, 4, 4, 4, 1), (1, 3, 2), (1, 3, 3, 1),
              (1, 4, 4, 1)]
    for g, w, s in zip(got, want, shapes):
        assert g.shape == s
        if w is not None:
            np.testing.assert_allclose(g.ravel(), w, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[2].sum(), 30.44, rtol=1e-5)
    np.testing.assert_allclose(got[2].ravel()[:8], [0.5, 0.5, 0.47, 0.48, 0.5, 0.5, 0.49, 0.5],
                               rtol=1e-5)


def test_pooling_values_names_and_channels_first():
    outs = [tf.layers.max_pooling1d(X1, 2, 2), tf.layers.average_pooling1d(X1, 3, 2, "same"),
            tf.layers.max_pooling2d(X2, 3, 2, padding="same"),
            tf.layers.average_pooling2d(X2, (2, 3), (1, 2)), tf.layers.max_pooling3d(X3, 2, 1),
            tf.layers.average_pooling3d(X3, 2, 2, padding="same")]
    assert [o.name for o in outs] == [
        "max_pooling1d/Squeeze:0", "average_pooling1d/Squeeze:0", "max_pooling2d/MaxPool:0",
        "average_pooling2d/AvgPool:0", "max_pooling3d/MaxPool3D:0",
        "average_pooling3d/AvgPool3D:0"]
    got = _run(outs)
    want = [[0.2, 0.3, 0.6, 0.7], [0.1, 0.2, 0.4, 0.5, 0.7, 0.8],
            [2.0, 2.1, 2.2, 2.3, 2.8, 2.9, 3.0, 3.1], [0.6, 0.7, 1.4, 1.5, 2.2, 2.3],
            [1.3, 1.4, 1.6, 1.7, 2.2, 2.3, 2.5, 2.6], [0.65, 0.8, 1.1, 1.25, 2.0, 2.15, 2.45, 2.6]]
    shapes = [(1, 2, 2), (1, 3, 2), (1, 2, 2, 2), (1, 3, 1, 2), (1, 2, 2, 2, 1),
              (1, 2, 2, 2, 1)]
    for g, w, s in zip(got, want, shapes):
        assert g.shape == s
        np.testing.assert_allclose(g.ravel(), w, rtol=1e-5)
    # channels first: 1-D and 3-D pool channels last between two transposes, as TF
    c1 = np.arange(2 * 7 * 3, dtype=np.float32).reshape(2, 7, 3) % 5 / 10
    c3 = np.arange(128, dtype=np.float32).reshape(1, 2, 4, 4, 4) % 7 / 10
    n0 = len(tf.get_default_graph().get_operations())
    outs = [tf.layers.max_pooling1d(c1, 2, 1, data_format="channels_first"),
            tf.layers.average_pooling3d(c3, 3, 2, padding="same", data_format="channels_first")]
    assert [o[0] for o in _ops_after(n0) if o[1] == "Transpose"] == [
        "max_pooling1d_1/transpose", "max_pooling1d_1/transpose_1",
        "average_pooling3d_1/transpose", "average_pooling3d_1/transpose_1"]
    got = _run(outs)
    assert got[0].shape == (2, 7, 2) and got[1].shape == (1, 2, 2, 2, 2)
    np.testing.assert_allclose(got[0].ravel()[:6], [0.1, 0.2, 0.4, 0.4, 0.2, 0.3], rtol=1e-6)
    np.testing.assert_allclose(got[1].sum(), 4.6921296, rtol=1e-6)
    p = tf.layers.MaxPooling2D(2, 2)
    x = tf.placeholder(tf.float32, [None, 4, 4, 1])
    assert (p(x).name, p(x).name, p.weights) == (
        "max_pooling2d_1/MaxPool:0", "max_pooling2d_1/MaxPool_1:0", [])


def _raises(fn):
    with pytest.raises(ValueError) as info:
        fn()
    return str(info.value)


def test_errors_match_tf():
    x1 = tf.placeholder(tf.float32, [None, 10, 3])
    x2 = tf.placeholder(tf.float32, [None, 8, 8, 3])
    x3 = tf.placeholder(tf.float32, [None, 6, 6, 6, 3])
    msg = _raises(lambda: tf.layers.conv2d(x1, 4, 3))
    assert "is incompatible with the layer: expected min_ndim=4, found ndim=3. Full shape " \
           "received: (Dimension(None), Dimension(10), Dimension(3))" in msg
    assert "expected ndim=4, found ndim=3" in _raises(lambda: tf.layers.max_pooling2d(x1, 2, 2))
    assert "expected min_ndim=4, found ndim=3" in _raises(
        lambda: tf.layers.separable_conv2d(x1, 4, 3))
    assert _raises(lambda: tf.layers.conv2d_transpose(x3, 4, 3)) == (
        "Inputs should have rank 4. Received input_shape=(?, 6, 6, 6, 3).")
    assert _raises(lambda: tf.layers.conv2d(x2, 4, 3, padding="full")) == (
        'The `padding` argument must be a list/tuple or one of "valid", "same" (or "causal", '
        'only for `Conv1D). Received: full')
    assert _raises(lambda: tf.layers.MaxPooling2D(2, 2, padding="full")).endswith(
        "Received: full")
    assert _raises(lambda: tf.layers.conv2d(x2, 4, 3, data_format="NHWC")) == (
        'The `data_format` argument must be one of "channels_first", "channels_last". '
        'Received: NHWC')
    assert _raises(lambda: tf.layers.conv2d(x2, 4, (3, 3, 3))) == (
        "The `kernel_size` argument must be a tuple of 2 integers. Received: (3, 3, 3)")
    assert _raises(lambda: tf.layers.conv2d(x2, 4, (3, 0))) == (
        "The `kernel_size` argument must be a tuple of 2 integers. Received: (3, 0) including "
        "{0} that does not satisfy the requirement `> 0`.")
    assert _raises(lambda: tf.layers.conv2d(x2, 4, 3, strides=(0, 1))) == (
        "The argument `strides` cannot contains 0(s). Received: (0, 1)")
    assert _raises(lambda: tf.layers.conv2d(x2, 0, 3)) == (
        "Invalid value for argument `filters`. Expected a strictly positive value. Received "
        "filters=0.")
    assert _raises(lambda: tf.layers.conv2d(x2, 4, 3, padding="causal")) == (
        "Causal padding is only supported for `Conv1D`and `SeparableConv1D`.")
    assert _raises(lambda: tf.layers.MaxPooling2D(2, None)) == (
        "Argument `strides` must not be None.")
    assert _raises(lambda: tf.layers.MaxPooling2D((2, 2, 2), 2)) == (
        "The `pool_size` argument must be a tuple of 2 integers. Received: (2, 2, 2)")
    no_channels = tf.placeholder(tf.float32, [None, 8, 8, None])
    assert _raises(lambda: tf.layers.conv2d(no_channels, 4, 3)) == (
        "The channel dimension of the inputs should be defined. The input_shape received is "
        "(?, 8, 8, ?), where axis -1 (0-based) is the channel dimension, which found to be "
        "`None`.")
    assert "of the inputs to `Conv2DTranspose` should be defined" in _raises(
        lambda: tf.layers.conv2d_transpose(no_channels, 4, 3))
    assert "Negative dimension size caused by subtracting 3 from 2" in _raises(
        lambda: tf.layers.conv2d(tf.placeholder(tf.float32, [None, 2, 2, 3]), 4, 3))


def test_reuse_trainable_regularizers_and_constraints():
    x = tf.placeholder(tf.float32, [None, 6, 6, 2])
    y1 = tf.layers.conv2d(x, 3, 3, name="shared")
    y2 = tf.layers.conv2d(x, 3, 3, name="shared", reuse=True)
    assert (y1.name, y2.name) == ("shared/BiasAdd:0", "shared_1/BiasAdd:0")
    assert [v.name for v in tf.global_variables()] == ["shared/kernel:0", "shared/bias:0"]
    assert "already exists" in _raises(lambda: tf.layers.conv2d(x, 3, 3, name="shared"))
    with tf.variable_scope("outer"):
        y3 = tf.layers.separable_conv2d(x, 3, 3)
    with tf.variable_scope("outer", reuse=True):
        y4 = tf.layers.separable_conv2d(x, 3, 3)
    assert (y3.name, y4.name) == ("outer/separable_conv2d/BiasAdd:0",
                                  "outer_1/separable_conv2d/BiasAdd:0")
    c = tf.layers.Conv2D(2, 2, trainable=False, name="frozen")
    assert (c(x).name, c(x).name) == ("frozen/BiasAdd:0", "frozen/BiasAdd_1:0")
    assert c.trainable_weights == []
    assert [v.name for v in c.non_trainable_weights] == ["frozen/kernel:0", "frozen/bias:0"]
    assert [v.name for v in tf.trainable_variables()] == [
        "shared/kernel:0", "shared/bias:0", "outer/separable_conv2d/depthwise_kernel:0",
        "outer/separable_conv2d/pointwise_kernel:0", "outer/separable_conv2d/bias:0"]
    assert len(tf.global_variables()) == 7

    def reg(w):
        return tf.reduce_sum(tf.abs(w))

    def cons(w):
        return tf.clip_by_value(w, -0.1, 0.1)

    t = tf.layers.Conv2DTranspose(2, 2, kernel_regularizer=reg, bias_regularizer=reg,
                                  kernel_constraint=cons, activity_regularizer=reg)
    t(x)
    assert t.kernel.constraint is cons and t.bias.constraint is None
    s = tf.layers.SeparableConv1D(2, 2, depthwise_regularizer=reg, pointwise_regularizer=reg,
                                  pointwise_constraint=cons)
    s(tf.zeros([1, 5, 3]))
    assert s.pointwise_kernel.constraint is cons and s.depthwise_kernel.constraint is None
    assert [loss.name for loss in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)] == [
        "conv2d_transpose/kernel/Regularizer/Sum:0", "conv2d_transpose/bias/Regularizer/Sum:0",
        "conv2d_transpose/ActivityRegularizer/truediv:0",
        "separable_conv1d/depthwise_kernel/Regularizer/Sum:0",
        "separable_conv1d/pointwise_kernel/Regularizer/Sum:0"]
    assert len(t.losses) == 3 and len(s.losses) == 2


def test_activity_regularizer_is_averaged_over_the_batch():
    xv = np.arange(2 * 7 * 3, dtype=np.float32).reshape(2, 7, 3) % 5 / 10
    c = tf.layers.Conv1D(2, 2, activity_regularizer=lambda o: tf.reduce_sum(tf.abs(o)),
                         kernel_initializer=tf.ones_initializer())
    y = c(xv)
    out, loss = _run([y, c.losses[0]])
    np.testing.assert_allclose(out.sum(), 28.2, rtol=1e-6)
    np.testing.assert_allclose(loss, 14.1, rtol=1e-6)


def test_channels_first_equals_channels_last_transposed():
    # (TF's CPU kernels run Conv2D and Conv3D channels last only: checked against the
    # channels-last layers with the same kernels, and the shapes against TF)
    x = np.random.RandomState(1).rand(2, 6, 5, 3).astype(np.float32)
    x5 = np.random.RandomState(2).rand(1, 4, 5, 3, 2).astype(np.float32)
    pairs = []
    for fn, kw in ((tf.layers.conv2d, dict(strides=2, padding="same")),
                   (tf.layers.separable_conv2d, dict(depth_multiplier=2)),
                   (tf.layers.conv2d_transpose, dict(strides=2))):
        init = dict(pointwise_initializer=kinit, depthwise_initializer=kinit) if (
            fn is tf.layers.separable_conv2d) else dict(kernel_initializer=kinit)
        last = fn(x, 4, 3, bias_initializer=BINIT, **init, **kw)
        first = fn(np.transpose(x, (0, 3, 1, 2)), 4, 3, data_format="channels_first",
                   bias_initializer=BINIT, **init, **kw)
        pairs.append((last, tf.transpose(first, (0, 2, 3, 1))))
    last = tf.layers.conv1d(x[0], 4, 2, kernel_initializer=kinit, bias_initializer=BINIT)
    first = tf.layers.conv1d(np.transpose(x[0], (0, 2, 1)), 4, 2, data_format="channels_first",
                             kernel_initializer=kinit, bias_initializer=BINIT)
    pairs.append((last, tf.transpose(first, (0, 2, 1))))
    last = tf.layers.conv3d(x5, 2, 2, kernel_initializer=kinit, bias_initializer=BINIT)
    first = tf.layers.conv3d(np.transpose(x5, (0, 4, 1, 2, 3)), 2, 2,
                             data_format="channels_first", kernel_initializer=kinit,
                             bias_initializer=BINIT)
    pairs.append((last, tf.transpose(first, (0, 2, 3, 4, 1))))
    for a, b in _run(pairs):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_a_training_step_lowers_the_loss():
    rng = np.random.RandomState(0)
    xv = rng.rand(4, 6, 6, 1).astype(np.float32)
    labels = np.array([0, 1, 2, 1])
    x = tf.placeholder(tf.float32, [None, 6, 6, 1])
    h = tf.layers.conv2d(x, 4, 3, activation=tf.nn.relu, kernel_initializer=kinit,
                         padding="same")
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.conv2d_transpose(h, 2, 2, strides=2, kernel_initializer=kinit)
    h = tf.layers.average_pooling2d(h, 2, 2)
    logits = tf.layers.dense(tf.layers.flatten(h), 3, kernel_initializer=kinit)
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    grads = tf.gradients(loss, tf.trainable_variables())
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        g = sess.run(grads, {x: xv})
        losses = [sess.run([loss, train], {x: xv})[0] for _ in range(5)]
    np.testing.assert_allclose(g[0].ravel()[:4], [-0.01398, -0.00114, 0.00681, 0.03316],
                               atol=1e-5)
    np.testing.assert_allclose(g[3], [0.05763, -0.00016], atol=1e-5)
    np.testing.assert_allclose(losses, [1.09559, 1.07199, 1.05629, 1.04517, 1.03714],
                               atol=1e-5)


def test_pooling_and_separable_conv1d_channels_first():
    x = np.random.RandomState(3).rand(2, 6, 5, 3).astype(np.float32)
    xc = np.transpose(x, (0, 3, 1, 2))
    assert tf.layers.max_pooling2d(xc, 2, 2, data_format="channels_first").name == (
        "max_pooling2d/MaxPool:0")  # (NCHW pooled as it is, as TF)
    pairs = []
    for pool, args in ((tf.layers.max_pooling2d, (2, 2)),
                       (tf.layers.average_pooling2d, (3, 2, "same"))):
        first = pool(xc, *args, data_format="channels_first")
        pairs.append((pool(x, *args), tf.transpose(first, (0, 2, 3, 1))))
    x1 = x[0]
    last = tf.layers.separable_conv1d(x1, 2, 3, depth_multiplier=2, depthwise_initializer=kinit,
                                      pointwise_initializer=kinit, bias_initializer=BINIT)
    first = tf.layers.separable_conv1d(np.transpose(x1, (0, 2, 1)), 2, 3, depth_multiplier=2,
                                       data_format="channels_first",
                                       depthwise_initializer=kinit,
                                       pointwise_initializer=kinit, bias_initializer=BINIT)
    assert first.shape.as_list() == [6, 2, 3]
    pairs.append((last, tf.transpose(first, (0, 2, 1))))
    for a, b in _run(pairs):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_a_training_step_through_a_separable_convolution():
    rng = np.random.RandomState(0)
    xv = rng.rand(4, 6, 6, 1).astype(np.float32)
    x = tf.placeholder(tf.float32, [None, 6, 6, 1])
    h = tf.layers.conv2d(x, 4, 3, activation=tf.nn.relu, kernel_initializer=kinit,
                         padding="same")
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.separable_conv2d(h, 3, 2, depthwise_initializer=kinit,
                                   pointwise_initializer=kinit)
    h = tf.layers.conv2d_transpose(h, 2, 2, strides=2, kernel_initializer=kinit)
    h = tf.layers.average_pooling2d(h, 2, 2)
    logits = tf.layers.dense(tf.layers.flatten(h), 3, kernel_initializer=kinit)
    loss = tf.losses.sparse_softmax_cross_entropy(np.array([0, 1, 2, 1]), logits)
    grads = tf.gradients(loss, tf.trainable_variables())
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        g = sess.run(grads, {x: xv})
        losses = [sess.run([loss, train], {x: xv})[0] for _ in range(5)]
    np.testing.assert_allclose(g[2].ravel()[:4], [1.2e-04, -7.0e-05, -1.3e-04, 1.1e-04],
                               atol=1e-5)
    np.testing.assert_allclose(losses, [1.09858, 1.07948, 1.06636, 1.05746, 1.05146],
                               atol=1e-5)


def test_extra_batch_dims_string_activations_dtype_and_dilated_conv3d():
    x5 = np.arange(250, dtype=np.float32).reshape(1, 5, 5, 5, 2) / 10
    n0 = len(tf.get_default_graph().get_operations())
    y5 = tf.layers.conv2d(x5, 2, 2, kernel_initializer=kinit, name="r5")
    assert (y5.name, y5.shape.as_list()) == ("r5/squeeze_batch_dims/Reshape_1:0", [1, 5, 4, 4, 2])
    assert [o for o in _compute_ops(n0) if o[1] != "Const"] == [
        ("r5/Conv2D/Shape", "Shape"), ("r5/Conv2D/strided_slice", "StridedSlice"),
        ("r5/Conv2D/Reshape", "Reshape"), ("r5/Conv2D/Conv2D", "Conv2D"),
        ("r5/Conv2D/concat", "ConcatV2"), ("r5/Conv2D/Reshape_1", "Reshape"),
        ("r5/squeeze_batch_dims/Shape", "Shape"),
        ("r5/squeeze_batch_dims/strided_slice", "StridedSlice"),
        ("r5/squeeze_batch_dims/Reshape", "Reshape"),
        ("r5/squeeze_batch_dims/BiasAdd", "BiasAdd"),
        ("r5/squeeze_batch_dims/concat", "ConcatV2"),
        ("r5/squeeze_batch_dims/Reshape_1", "Reshape")]
    y = tf.layers.conv3d(x5, 2, 2, dilation_rate=2, kernel_initializer=kinit)
    y64 = tf.layers.conv2d(x5[0].astype(np.float64), 2, 2, kernel_initializer=kinit,
                           activation="relu")
    assert y64.name == "conv2d/Relu:0" and y64.dtype == tf.float64
    assert [v.dtype.base_dtype for v in tf.global_variables()[-2:]] == [tf.float64] * 2
    assert [tf.layers.conv2d(x5[0], 2, 2, activation=a).name for a in
            ("linear", "sigmoid", "tanh")] == [
        "conv2d_1/BiasAdd:0", "conv2d_2/Sigmoid:0", "conv2d_3/Tanh:0"]
    assert "Unknown activation function: 'foo'." in _raises(
        lambda: tf.layers.Conv2D(2, 2, activation="foo"))
    got5, got, got64 = _run([y5, y, y64])
    assert got.shape == (1, 3, 3, 3, 2)
    np.testing.assert_allclose(got.sum(), -144.99, rtol=1e-5)
    np.testing.assert_allclose(got.ravel()[:5], [-2.01, 0.36, -2.09, 0.32, -2.17], rtol=1e-5)
    np.testing.assert_allclose(got5.sum(), -487.2, rtol=1e-5)
    np.testing.assert_allclose(got5.ravel()[:5], [-0.25, 0.06, -0.31, 0.02, -0.37], atol=1e-6)
    np.testing.assert_allclose(got64, np.maximum(got5[0], 0), rtol=1e-6, atol=1e-7)
