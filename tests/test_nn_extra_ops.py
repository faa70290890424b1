"""tf.nn's other names and composites (minitf/ops/nn_extra_ops.py) and the raw TF 2.x
convolutions tf.conv, tf.conv2d_backprop_filter_v2 / _input_v2 (minitf/ops/conv_generic_ops.py):
names, shapes, values and errors as TF 1 gives them (checked with tfdiff)."""
import numpy as np
import pytest

import minitf as tf

from _session import run

RNG = np.random.RandomState(0)
X1, W1 = RNG.uniform(-1, 1, (2, 3, 2)).astype(np.float32), RNG.uniform(-1, 1, (2, 3, 2)).astype(
    np.float32)
X2, W2 = RNG.uniform(-1, 1, (1, 2, 3, 2)).astype(np.float32), RNG.uniform(
    -1, 1, (2, 2, 1, 2)).astype(np.float32)
X3, W3 = RNG.uniform(-1, 1, (1, 2, 2, 1, 2)).astype(np.float32), RNG.uniform(
    -1, 1, (1, 2, 1, 1, 2)).astype(np.float32)
CLOSE = dict(atol=1e-4)


def test_aliases_are_tfs_other_names():
    assert tf.nn.depth_to_space is tf.depth_to_space
    assert tf.nn.space_to_depth is tf.space_to_depth
    assert tf.nn.conv3d_backprop_filter is tf.nn.conv3d_backprop_filter_v2
    assert tf.nn.depthwise_conv2d_backprop_filter is tf.nn.depthwise_conv2d_native_backprop_filter
    assert tf.nn.depthwise_conv2d_backprop_input is tf.nn.depthwise_conv2d_native_backprop_input


def test_conv1d_transpose():
    y = tf.nn.conv1d_transpose(X1, W1, [2, 6, 3], 2)
    assert (y.name, y.shape.as_list()) == ("conv1d_transpose/Squeeze:0", [2, 6, 3])
    np.testing.assert_allclose(run(y)[0, :2], [[0.3796, -0.4391, 0.1926], [0.3728, 0.351, 0.2339]],
                               **CLOSE)
    with pytest.raises(ValueError, match="`data_format` must be 'NWC' or 'NCW'"):
        tf.nn.conv1d_transpose(X1, W1, [2, 6, 3], 2, data_format="NHWC")


def test_conv_transpose_dispatches_by_the_output_rank():
    y1 = tf.nn.conv_transpose(X1, W1, [2, 6, 3], 2)
    assert y1.name == "conv_transpose/Squeeze:0"
    np.testing.assert_allclose(run(y1), run(tf.nn.conv1d_transpose(X1, W1, [2, 6, 3], 2)))
    y2 = tf.nn.conv_transpose(X2, W2, [1, 4, 6, 1], 2)
    assert (y2.name, y2.shape.as_list()) == ("conv_transpose_1:0", [1, 4, 6, 1])
    np.testing.assert_allclose(run(y2)[0, :2, :3, 0], [[-0.1057, -0.5758, 0.0481],
                                                      [0.1793, -0.5479, 0.0884]], **CLOSE)
    named = tf.nn.conv_transpose(X2, W2, tf.constant([1, 4, 6, 1]), [2, 2], name="ct")
    assert named.name == "ct:0"
    y3 = tf.nn.conv_transpose(X3, W3, [1, 2, 3, 1, 1], [1, 1, 2, 1, 1], "SAME")
    assert (y3.name, y3.shape.as_list()) == ("conv_transpose_2:0", [1, 2, 3, 1, 1])
    np.testing.assert_allclose(run(y3)[0, :, :, 0, 0], [[0.0542, -0.4254, 0.0249],
                                                       [-0.1436, 0.3996, 0.2349]], **CLOSE)
    with pytest.raises(ValueError, match="must be of length 3, 4 or 5. Received: output_shape="
                                         r"\[2, 6\] of length 2"):
        tf.nn.conv_transpose(X1, W1, [2, 6], 2)
    with pytest.raises(ValueError, match="must be a tensor or sized collection"):
        tf.nn.conv_transpose(X1, W1, 5, 2)


def test_atrous_conv2d_transpose():
    y = tf.nn.atrous_conv2d_transpose(X2, W2, [1, 2, 3, 1], 2, "SAME")
    assert (y.name, y.shape.as_list()) == ("atrous_conv2d_transpose/BatchToSpaceND:0",
                                           [1, 2, 3, 1])
    np.testing.assert_allclose(run(y)[0, :, :, 0], [[0.0123, -0.3792, -0.0281],
                                                   [0.0884, -0.5387, -1.0642]], **CLOSE)
    valid = tf.nn.atrous_conv2d_transpose(X2, W2, [1, 4, 5, 1], 2, "VALID")
    np.testing.assert_allclose(run(valid)[0, 0, :, 0], [-0.1057, 0.0481, -0.6059, -0.3096,
                                                        -0.0233], **CLOSE)
    one = tf.nn.atrous_conv2d_transpose(X2, W2, [1, 2, 3, 1], 1, "SAME")
    assert one.name == "atrous_conv2d_transpose_2/conv2d_transpose:0"


@pytest.mark.parametrize("args, match", [
    (([1, 2, 3, 1], 0, "SAME"), "`rate` cannot be less than one"),
    (([1, 2, 3, 2], 2, "SAME"), "`output_shape` channel count must be compatible"),
    (([1, 2, 3], 2, "SAME"), r"`output_shape` must have shape \(4,\)"),
    (([1, 2, 3, 1], 2, "FOO"), "`padding` must be either 'VALID' or 'SAME'"),
])
def test_atrous_conv2d_transpose_errors(args, match):
    with pytest.raises(ValueError, match=match):
        tf.nn.atrous_conv2d_transpose(X2, W2, *args)
    with pytest.raises(ValueError, match="`value` channel count must be compatible"):
        tf.nn.atrous_conv2d_transpose(X2, W2[..., :1], [1, 2, 3, 1], 2, "SAME")


def test_with_space_to_batch_runs_the_op_on_the_blocks():
    x = np.random.RandomState(1).uniform(-1, 1, (1, 5, 4, 2)).astype(np.float32)
    w = np.random.RandomState(2).uniform(-1, 1, (2, 2, 2, 1)).astype(np.float32)
    calls = []

    def op(inp, n, padding):
        calls.append((n, padding, inp.shape.as_list()))
        return tf.nn.conv2d(inp, w, [1, 1, 1, 1], padding)

    y = tf.nn.with_space_to_batch(x, [2, 2], "SAME", op, filter_shape=w.shape)
    assert (y.name, y.shape.as_list(), calls) == ("BatchToSpaceND:0", [1, 5, 4, 1],
                                                  [(2, "VALID", [4, 4, 3, 2])])
    dilated = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", dilations=[1, 2, 2, 1])
    np.testing.assert_allclose(run(y), run(dilated), atol=1e-6)
    assert tf.nn.with_space_to_batch(x, [1, 1], "VALID", op).op.type == "Conv2D"
    p = tf.placeholder(tf.float32, [1, None, None, 2])
    y = tf.nn.with_space_to_batch(p, [2, 2], "SAME", op, filter_shape=w.shape)
    np.testing.assert_allclose(run(y, {p: x}), run(dilated), atol=1e-6)
    # spatial dims that are not next to each other: 1-blocks between them
    x4 = np.zeros((1, 4, 3, 5, 1), np.float32)
    y = tf.nn.with_space_to_batch(x4, [2, 2], "SAME", lambda t, n, pad: t * 2.0,
                                  filter_shape=[3, 2], spatial_dims=[1, 3])
    assert y.shape.as_list() == [1, 8, 3, 7, 1]


@pytest.mark.parametrize("kwargs, match", [
    (dict(dilation_rate=[2, 2], filter_shape=None), "`filter_shape` must be specified"),
    (dict(dilation_rate=[0, 2]), "`dilation_rate` must be positive"),
    (dict(spatial_dims=[2, 1]), "must be a monotonically increasing sequence"),
    (dict(spatial_dims=[1, 4]), "`input.shape.rank` must be at least 5"),
    (dict(padding="FOO"), "`padding` must be one of 'SAME' or 'VALID'"),
    (dict(dilation_rate=[[2, 2]]), "`dilation_rate.shape.rank` must be 1"),
])
def test_with_space_to_batch_errors(kwargs, match):
    args = dict(input=np.zeros((1, 5, 4, 2), np.float32), dilation_rate=[2, 2], padding="SAME",
                op=lambda t, n, pad: t, filter_shape=[2, 2, 2, 1])
    with pytest.raises(ValueError, match=match):
        tf.nn.with_space_to_batch(**dict(args, **kwargs))


def test_sufficient_statistics_and_normalize_moments():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    count, m_ss, v_ss, shift = tf.nn.sufficient_statistics(x, [0])
    assert (count.name, m_ss.name, v_ss.name, shift) == (
        "sufficient_statistics/Const:0", "sufficient_statistics/mean_ss:0",
        "sufficient_statistics/var_ss:0", None)
    assert [v.tolist() for v in run([count, m_ss, v_ss])] == [3, [12, 15, 18, 21],
                                                              [80, 107, 140, 179]]
    out = tf.nn.sufficient_statistics(x, [1, 0, 1], shift=2.0, keepdims=True)
    assert out[1].shape.as_list() == [1, 1] and out[3].name == "sufficient_statistics_1/shift:0"
    assert [v.tolist() for v in run(list(out))] == [12, [[42]], [[290]], 2]
    dynamic = tf.nn.sufficient_statistics(tf.placeholder_with_default(x, [None, 4]), [0, -1])
    assert dynamic[0].name == "sufficient_statistics_2/count:0"
    assert [v.tolist() for v in run(list(dynamic[:3]))] == [12, 66, 506]
    with pytest.raises(ValueError, match="Cannot specify both 'keep_dims' and 'keepdims'"):
        tf.nn.sufficient_statistics(x, [0], keep_dims=True, keepdims=True)
    mean, var = tf.nn.normalize_moments(4.0, [2.0, 8.0], [10.0, 20.0], None)
    assert (mean.name, var.name) == ("normalize/mean:0", "normalize/variance:0")
    assert [v.tolist() for v in run([mean, var])] == [[0.5, 2.0], [2.25, 1.0]]
    mean, var = tf.nn.normalize_moments(tf.constant(4.0), [2.0, 8.0], [10.0, 20.0], 1.0, "nm")
    assert mean.name == "nm/mean:0" and [v.tolist() for v in run([mean, var])] == [
        [1.5, 3.0], [2.25, 1.0]]


def test_batch_norm_with_global_normalization():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    args = (np.array([1., 2, 3, 4], np.float32), np.array([1., 4, 9, 16], np.float32),
            np.array([0., 1, 0, 1], np.float32), np.array([2., 2, 2, 2], np.float32), 0.001)
    y = tf.nn.batch_norm_with_global_normalization(x, *args, True)
    assert y.name == "batchnorm/add:0"
    np.testing.assert_allclose(run(y)[0], [-1.999, 0.00012, -0.66663, 0.50002], atol=1e-5)
    y = tf.nn.batch_norm_with_global_normalization(x, *args, False, name="bn")
    assert y.name == "bn/add:0"
    np.testing.assert_allclose(run(y)[0], [-0.9995, 0.50006, -0.33331, 0.75001], atol=1e-5)
    m, v, beta, gamma, eps = args
    y = tf.nn.batch_norm_with_global_normalization(input=x, mean=m, variance=v, beta=beta,
                                                   gamma=gamma, variance_epsilon=eps,
                                                   scale_after_normalization=True)
    np.testing.assert_allclose(run(y)[0], [-1.999, 0.00012, -0.66663, 0.50002], atol=1e-5)
    with pytest.raises(ValueError, match="Cannot specify both 't' and 'input'"):
        tf.nn.batch_norm_with_global_normalization(x, *args, True, input=x)


def test_compute_average_loss_and_scale_regularization_loss():
    loss = np.array([1.0, 2.0, 3.0, 6.0], np.float32)
    y = tf.nn.compute_average_loss(loss)
    assert (y.name, y.shape.as_list(), y.dtype) == ("div_no_nan:0", [], tf.float32)
    cases = [tf.nn.compute_average_loss(loss, global_batch_size=8),
             tf.nn.compute_average_loss(loss, sample_weight=[1., 0., 2., 0.5]),
             tf.nn.compute_average_loss(loss.astype(np.float64), sample_weight=2.0,
                                        global_batch_size=3),
             tf.nn.compute_average_loss(np.ones((2, 3), np.float32),
                                        sample_weight=np.array([1., 2.], np.float32)),
             tf.nn.compute_average_loss(np.ones((2, 3), np.float32),
                                        sample_weight=np.ones((2, 3, 1), np.float32)),
             tf.nn.compute_average_loss(loss, global_batch_size=0)]
    assert cases[2].dtype == tf.float64
    assert run([y] + cases) == [3.0, 1.5, 2.5, 8.0, 4.5, 3.0, 0.0]
    p = tf.placeholder(tf.float32)
    y = tf.nn.compute_average_loss(p)
    assert run(y, {p: loss}) == 3.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="at least rank 1"):
        run(y, {p: 3.0})
    r = tf.nn.scale_regularization_loss(loss)
    assert (r.name, run(r)) == ("truediv:0", 12.0)
    assert tf.nn.scale_regularization_loss(np.float64(3.0)).dtype == tf.float64


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(per_example_loss=np.float32(2.0)), ValueError, "Expected a tensor with at least rank 1"),
    (dict(global_batch_size=2.0), TypeError, "global_batch_size must be an integer"),
    (dict(global_batch_size=[2]), ValueError, "global_batch_size must be scalar"),
    (dict(global_batch_size=-2), tf.errors.InvalidArgumentError,
     "global_batch_size must be non-negative"),
])
def test_compute_average_loss_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        tf.nn.compute_average_loss(**dict(dict(per_example_loss=[1.0, 2.0]), **kwargs))


# -- tf.conv and the V2 backprops ------------------------------------------------------------------
R = np.random.RandomState(0)
CX, CW = R.uniform(-1, 1, (2, 5, 4, 3)).astype(np.float32), R.uniform(-1, 1, (3, 2, 3, 2)).astype(
    np.float32)
DY = R.uniform(-1, 1, (2, 3, 4, 2)).astype(np.float32)


def test_conv_is_conv2d_and_conv3d_with_batch_dims():
    c = tf.conv(CX, CW, [1, 2, 1, 1], "SAME")
    assert (c.name, c.op.type, c.shape.as_list()) == ("Conv:0", "Conv", [2, 3, 4, 2])
    np.testing.assert_allclose(run(c)[0, :, :, 0], [
        [-0.3503, -0.6421, 0.0925, 0.9286], [2.7889, -1.3262, 1.7657, 0.2685],
        [0.801, -1.3022, -1.1267, 0.0127]], **CLOSE)
    np.testing.assert_allclose(run(c), run(tf.nn.conv2d(CX, CW, [1, 2, 1, 1], "SAME")), atol=1e-6)
    two = tf.conv(CX[None], CW, [1, 1, 1, 1], "VALID", batch_dims=2, name="cc")
    assert (two.name, two.shape.as_list()) == ("cc:0", [1, 2, 3, 3, 2])
    np.testing.assert_allclose(run(two)[0], run(tf.nn.conv2d(CX, CW, 1, "VALID")), atol=1e-6)
    explicit = tf.conv(CX, CW, [1, 1, 1, 1], "EXPLICIT", explicit_paddings=[0, 0, 1, 1, 2, 2, 0, 0])
    assert explicit.shape.as_list() == [2, 5, 7, 2]
    dilated = tf.conv(CX, CW, [1, 1, 1, 1], "VALID", dilations=[1, 2, 1, 1])
    np.testing.assert_allclose(run(dilated), run(tf.nn.conv2d(CX, CW, 1, "VALID",
                                                              dilations=[1, 2, 1, 1])), atol=1e-6)
    x3, w3 = np.ones((1, 3, 4, 3, 2), np.float32), np.ones((2, 1, 2, 2, 2), np.float32)
    c3 = tf.conv(x3, w3, [1, 1, 2, 1, 1], "SAME")
    assert c3.shape.as_list() == [1, 3, 2, 3, 2]
    np.testing.assert_allclose(run(c3), run(tf.nn.conv3d(x3, w3, [1, 1, 2, 1, 1], "SAME")))
    assert tf.conv(tf.placeholder(tf.float32), CW, [1, 1, 1, 1], "SAME").shape.ndims is None


def test_conv_has_no_gradient():
    x = tf.constant(CX)
    with pytest.raises(LookupError, match="op type: Conv"):
        tf.gradients(tf.conv(x, CW, [1, 1, 1, 1], "SAME"), x)


@pytest.mark.parametrize("kwargs, match", [
    (dict(data_format="NHWC"), "'data_format' of 'Conv' Op passed string 'NHWC' not in"),
    (dict(padding="FOO"), "'padding' of 'Conv' Op passed string 'FOO' not in"),
    (dict(groups=2), "Number of groups should divide input depth"),
    (dict(filter=CW[:, :, :1], groups=3, strides=[1, 1, 1, 1]), "Number of groups should divide "
                                                                "output depth"),
    (dict(filter=CW[:, :, :1]), "Input depth divided by filter input depth does not match"),
    (dict(strides=[1, 1, 1]), "Stride attribute should contain 4 values, but got: 3"),
    (dict(dilations=[1, 1, 1]), "dilation attribute to contain 4 values, but got: 3"),
    (dict(input=CX[:, :, 0]), "Input tensor must be rank 4 or 5, excluding extra batch"),
    (dict(batch_dims=0), "Input tensor rank must be the same as filter rank"),
    (dict(padding="EXPLICIT", explicit_paddings=[0, 0, 1, 2]), "must contain 8 values, but got: 4"),
    (dict(explicit_paddings=[0, 0, 1, 2, 0, 1, 0, 0]), "must be empty if the padding attribute"),
    (dict(padding="EXPLICIT", explicit_paddings=[1, 0, 1, 2, 0, 1, 0, 0]), "Nonzero explicit "
                                                                          "padding in the batch"),
    (dict(padding="VALID", dilations=[1, 3, 2, 1]), "Negative dimension size caused by "
                                                    "subtracting 7 from 5"),
])
def test_conv_static_errors(kwargs, match):
    args = dict(input=CX, filter=CW, strides=[1, 1, 1, 1], padding="SAME")
    with pytest.raises(ValueError, match=match):
        tf.conv(**dict(args, **kwargs))


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(groups=3, filter=np.ones((3, 2, 1, 3), np.float32)), tf.errors.UnimplementedError,
     "Grouped/Depthwise Convolutions are not supported yet"),
    (dict(input=np.transpose(CX, (0, 3, 1, 2)), data_format="CHANNELS_FIRST"),
     tf.errors.UnimplementedError, "only supports the NHWC tensor format on the CPU"),
    (dict(strides=[2, 1, 1, 1]), tf.errors.InvalidArgumentError, "does not support strides in the"),
    (dict(dilations=[1, 1, 1, 2]), tf.errors.InvalidArgumentError, "does not support dilation "
                                                                   "rates in the batch"),
])
def test_conv_run_time_errors(kwargs, error, match):
    args = dict(input=CX, filter=CW, strides=[1, 1, 1, 1], padding="SAME")
    out = tf.conv(**dict(args, **kwargs))
    with pytest.raises(error, match=match):
        run(out)


def test_conv2d_backprops_v2_take_the_tensors_themselves():
    f = tf.conv2d_backprop_filter_v2(CX, CW, DY, [1, 2, 1, 1], "SAME")
    i = tf.conv2d_backprop_input_v2(CX, CW, DY, [1, 2, 1, 1], "SAME")
    assert (f.name, f.op.type, f.shape.as_list()) == ("Conv2DBackpropFilterV2:0",
                                                      "Conv2DBackpropFilterV2", [3, 2, 3, 2])
    assert (i.name, i.shape.as_list(), [t.name for t in i.op.inputs]) == (
        "Conv2DBackpropInputV2:0", [2, 5, 4, 3], ["Conv2DBackpropInputV2/input:0",
                                                  "Conv2DBackpropInputV2/filter:0",
                                                  "Conv2DBackpropInputV2/out_backprop:0"])
    f1 = tf.nn.conv2d_backprop_filter(CX, [3, 2, 3, 2], DY, [1, 2, 1, 1], "SAME")
    i1 = tf.nn.conv2d_backprop_input([2, 5, 4, 3], CW, DY, [1, 2, 1, 1], "SAME")
    np.testing.assert_allclose(run(f), run(f1), atol=1e-6)
    np.testing.assert_allclose(run(i), run(i1), atol=1e-6)
    unknown = tf.conv2d_backprop_input_v2(tf.placeholder(tf.float32), CW, DY, [1, 2, 1, 1], "SAME")
    assert unknown.shape.as_list() == [None] * 4
    x = tf.constant(CX)
    with pytest.raises(LookupError, match="op type: Conv2DBackpropInputV2"):
        tf.gradients(tf.conv2d_backprop_input_v2(x, CW, DY, [1, 2, 1, 1], "SAME"), x)
    with pytest.raises(LookupError, match="op type: Conv2DBackpropFilterV2"):
        tf.gradients(tf.conv2d_backprop_filter_v2(x, CW, DY, [1, 2, 1, 1], "SAME"), x)
