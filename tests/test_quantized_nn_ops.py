"""tf.nn.quantized_avg_pool, quantized_max_pool, quantized_conv2d and quantized_relu_x: codes,
ranges, names, shapes and errors as TF 1 graph mode gives them (TF 2.21's CPU kernels, checked
with ../shared/tools/tfdiff). TF 2.21 registers no QuantizedReluX kernel; its values here are
those of TF's QuantizedRelu6 kernel with max_value 6.0, which shares its source."""
import numpy as np
import pytest

import minitf as tf

RNG_X = np.random.RandomState(0).randint(0, 256, size=(2, 5, 6, 3)).astype(np.uint8)
POOLS = [("SAME", [1, 2, 3, 1], [1, 2, 2, 1]), ("VALID", [1, 3, 2, 1], [1, 1, 2, 1]),
         ("SAME", [1, 3, 3, 1], [1, 1, 1, 1])]


def _run(t):
    with tf.Session() as sess:
        return sess.run(t)


def _codes(dtype):
    return tf.constant(RNG_X.view(np.int8) if dtype == tf.qint8 else RNG_X, dtype)


# (dtype, pool) -> (sum of the codes, the first ten codes)
AVG = {
    (tf.quint8, 0): (6509, [124, 96, 158, 94, 86, 112, 117, 142, 130, 192]),
    (tf.quint8, 1): (6779, [151, 92, 174, 127, 101, 146, 134, 124, 123, 145]),
    (tf.quint8, 2): (22419, [115, 98, 193, 124, 96, 158, 125, 73, 152, 94]),
    (tf.qint8, 0): (-59, [-4, 54, -13, 9, 44, 27, -11, 14, 2, -21]),
    (tf.qint8, 1): (-177, [-20, 50, 4, -1, 16, -24, -37, -4, -5, 17]),
    (tf.qint8, 2): (-421, [-13, 34, 1, -4, 54, -13, -3, 73, -18, 9]),
}


@pytest.mark.parametrize("key", sorted(AVG, key=str))
def test_avg_pool_rounds_the_mean_half_to_even(key):
    dtype, i = key
    pad, k, st = POOLS[i]
    out = tf.nn.quantized_avg_pool(_codes(dtype), -1.0, 2.0, k, st, pad)
    codes, low, high = _run(out)
    assert codes.dtype == dtype.as_numpy_dtype and (low, high) == (-1.0, 2.0)
    assert int(codes.astype(np.int64).sum()) == AVG[key][0]
    assert codes.ravel()[:10].tolist() == AVG[key][1]


def test_avg_pool_first_window_values():
    x = np.array([[[[0], [10], [255]], [[7], [200], [3]], [[100], [101], [102]]]], np.uint8)
    x = tf.constant(x, tf.quint8)
    same = tf.nn.quantized_avg_pool(x, -1.0, 2.0, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    assert same.output.shape.as_list() == [1, 2, 2, 1]
    assert _run(same.output).ravel().tolist() == [54, 129, 100, 102]


MAX = [((tf.quint8, 0), 10410, [195, 193, 251, 211, 148, 242, 216, 243, 197, 254, 254, 243]),
       ((tf.quint8, 1), 11583, [254, 193, 251, 216, 177, 243, 216, 243, 197, 254, 244, 230]),
       ((tf.qint8, 0), 4264, [88, 103, 117, 88, 103, 115, 36, 88, 115, 127, 82, 99]),
       ((tf.qint8, 1), 5199, [58, 87, 117, 88, 103, 72, 36, 88, 115, 127, 87, 99])]


@pytest.mark.parametrize("key,total,first", MAX)
def test_max_pool(key, total, first):
    dtype, i = key
    pad, k, st = POOLS[i]
    out = tf.nn.quantized_max_pool(_codes(dtype), -1.0, 2.0, k, st, pad)
    assert out.output.shape.as_list() == [2, 3, 3, 3]
    codes = _run(out.output)
    assert int(codes.astype(np.int64).sum()) == total and codes.ravel()[:12].tolist() == first


# (input shape, filter shape, stride, padding, input range, filter range) -> (output shape,
# sum, first codes, output max); the rows with in=7, k=1, stride 4 place TF's windows (its C
# division centres them: VALID from 0, SAME from 1)
CONVS = [
    ((2, 7, 7, 3), (1, 1, 3, 2), 4, "VALID", (-1.0, 2.0), (-0.5, 1.0),
     (2, 2, 2, 2), 71403, [15545, 4068, -1845, 18732, 13924, 13263], 148614.8),
    ((1, 7, 6, 2), (3, 2, 2, 3), 3, "VALID", (-0.3, 5.0), (-2.0, 1.0),
     (1, 2, 2, 3), -642542, [-58775, -15239, -80587, -73997, -50902, -63567], 525105.6),
    ((1, 5, 5, 2), (3, 3, 2, 2), 2, "SAME", (0.0, 1.0), (-1.0, 1.0),
     (1, 3, 3, 2), 465800, [4147, -3159, 7611, 22451, 23082, 32877], 66051.02),
    ((2, 6, 5, 1), (4, 2, 1, 2), 3, "SAME", (-3.0, -1.0), (0.25, 1.5),
     (2, 2, 2, 2), -5994139, [-358213, -341266, -421872, -395431, -328070, -325091],
     82563.78),
    ((1, 4, 4, 2), (2, 2, 2, 1), 1, "SAME", (1.0, 3.0), (-1.0, 1.0),
     (1, 4, 4, 1), 333458, [21503, -15334, 625, 45691, 6224, -1023], 132102.05),
    ((1, 7, 7, 1), (1, 1, 1, 1), 4, "SAME", (-1.0, 1.0), (-1.0, 1.0),
     (1, 2, 2, 1), 5460, [-840, 9156, -1512, -1344], 132102.05),
]


def test_conv2d_codes_and_ranges():
    rng = np.random.RandomState(1)
    for xs, fs, st, pad, (a, b), (c, d), shape, total, first, high in CONVS:
        x = tf.constant(rng.randint(0, 256, size=xs).astype(np.uint8), tf.quint8)
        f = tf.constant(rng.randint(0, 256, size=fs).astype(np.uint8), tf.quint8)
        out = tf.nn.quantized_conv2d(x, f, a, b, c, d, [1, st, st, 1], pad)
        assert out.output.shape.as_list() == list(shape) and out.output.dtype == tf.qint32
        codes, low, top = _run(out)
        assert int(codes.astype(np.int64).sum()) == total
        assert codes.ravel()[:len(first)].tolist() == first
        assert (low, top) == (np.float32(-high), np.float32(high))


RELU = [((-1.0, 2.0), [85, 85, 85, 85, 85, 85, 90, 105, 120, 135, 150, 165, 180, 195, 210, 225,
                       240, 255]),
        ((-10.0, 10.0), [128] * 9 + [135, 150, 165, 180, 195, 205, 205, 205, 205]),
        ((-0.3, 7.7), [10, 15, 30, 45, 60, 75, 90, 105, 120, 135, 150, 165, 180, 195, 201, 201,
                       201, 201]),
        ((0.5, 9.0), [0, 15, 30, 45, 60, 75, 90, 105, 120, 135, 150, 165] + [165] * 6),
        ((-8.0, -2.0), [255] * 18), ((2.0, 2.0), [0] * 18)]


@pytest.mark.parametrize("bounds,codes", RELU)
def test_relu_x_clamps_to_the_codes_of_zero_and_max_value(bounds, codes):
    x = tf.constant(np.arange(0, 256, 15, dtype=np.uint8), tf.quint8)
    out = tf.nn.quantized_relu_x(x, 6.0, *bounds)
    assert out._fields == ("activations", "min_activations", "max_activations")
    result = _run(out)
    assert result.activations.tolist() == codes
    assert (result.min_activations, result.max_activations) == bounds


def test_relu_x_qint32():
    x = tf.constant(np.array([-2**31, -5, 0, 3, 7, 2**20, 2**31 - 1], np.int32), tf.qint32)
    expect = {(-1.0, 2.0): [-715827883, -5, 0, 3, 7, 1048576, 2147483647],
              (-10.0, 10.0): [0, 0, 0, 3, 7, 1048576, 1288490189],
              (-0.3, 7.7): [-1986422368, -5, 0, 3, 7, 1048576, 1234803103]}
    for (low, high), codes in expect.items():
        out = tf.nn.quantized_relu_x(x, 6.0, low, high, out_type=tf.qint32)
        assert _run(out.activations).tolist() == codes


def test_names_fields_and_static_shapes():
    x = tf.constant(np.zeros([1, 4, 4, 2], np.uint8), tf.quint8)
    f = tf.constant(np.zeros([2, 2, 2, 3], np.uint8), tf.quint8)
    a = tf.nn.quantized_avg_pool(x, -1, 2.0, [1, 2, 2, 1], [1, 2, 2, 1], "SAME", name="ap")
    m = tf.nn.quantized_max_pool(x, -1.0, 2.0, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    c = tf.nn.quantized_conv2d(x, f, -1.0, 2.0, -1.0, 1.0, [1, 2, 2, 1], "SAME")
    r = tf.nn.quantized_relu_x(x, 1.0, -1.0, 2.0)
    assert a._fields == m._fields == c._fields == ("output", "min_output", "max_output")
    assert [t.name for t in a] == ["ap:0", "ap:1", "ap:2"]
    assert [t.dtype for t in r] == [tf.quint8, tf.float32, tf.float32]
    assert c.output.shape.as_list() == [1, 2, 2, 3] and c.output.dtype == tf.qint32
    assert sorted(op.name for op in tf.get_default_graph().get_operations()) == [
        "Const", "Const_1", "QuantizedConv2D", "QuantizedConv2D/max_filter",
        "QuantizedConv2D/max_input", "QuantizedConv2D/min_filter", "QuantizedConv2D/min_input",
        "QuantizedMaxPool", "QuantizedMaxPool/max_input", "QuantizedMaxPool/min_input",
        "QuantizedReluX", "QuantizedReluX/max_features", "QuantizedReluX/max_value",
        "QuantizedReluX/min_features", "ap", "ap/max_input", "ap/min_input"]
    p = tf.placeholder(tf.quint8, [None, None, 5, 2])
    conv = tf.nn.quantized_conv2d(p, f, -1.0, 2.0, -1.0, 1.0, [1, 2, 2, 1], "VALID")
    assert conv.output.shape.as_list() == [None, None, 2, 3]
    pool = tf.nn.quantized_max_pool(p, -1.0, 2.0, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    assert pool.output.shape.as_list() == [None, None, 2, 2]
    assert tf.nn.quantized_relu_x(tf.placeholder(tf.qint32), 1.0, -1.0, 2.0)[0].shape.ndims \
        is None


def test_no_gradients():
    x = tf.constant(np.zeros([1, 2, 2, 1], np.uint8), tf.quint8)
    low = tf.constant(-1.0)
    out = tf.nn.quantized_max_pool(x, low, 2.0, [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
    with pytest.raises(LookupError, match="No gradient defined for operation'QuantizedMaxPool'"):
        tf.gradients(out.min_output, low)


X = np.arange(18, dtype=np.uint8).reshape(1, 3, 3, 2) * 13


def _q(value=X, dtype=tf.quint8):
    return tf.constant(value, dtype)


def _f(shape=(2, 1, 2, 4)):
    return tf.constant(np.arange(16, dtype=np.uint8).reshape(shape) * 15, tf.quint8)


@pytest.mark.parametrize("make,error,words", [
    (lambda: tf.nn.quantized_avg_pool(_q()[0], -1.0, 2.0, [1, 2, 2, 1], [1] * 4, "SAME"),
     ValueError, r"Shape must be rank 4 but is rank 3 for 'QuantizedAvgPool' with input "
                 r"shapes: \[3,3,2\], \[\], \[\]."),
    (lambda: tf.nn.quantized_avg_pool(_q(), [-1.0], 2.0, [1, 2, 2, 1], [1] * 4, "SAME"),
     ValueError, r"Shape must be rank 0 but is rank 1 for 'QuantizedAvgPool' with input "
                 r"shapes: \[1,3,3,2\], \[1\], \[\]."),
    (lambda: tf.nn.quantized_max_pool(_q(), -1.0, 2.0, [1, 2, 2], [1] * 4, "SAME"),
     ValueError, "MaxPool requires the ksize attribute to contain 4 values, but got: 3"),
    (lambda: tf.nn.quantized_max_pool(_q(), -1.0, 2.0, [1, 2, 2, 1], [1] * 4, "FOO"),
     ValueError, "Attr 'padding' of 'QuantizedMaxPool' Op passed string 'FOO' not in: "
                 '"SAME", "VALID".'),
    (lambda: tf.nn.quantized_max_pool(_q(), -1.0, 2.0, [1, 5, 2, 1], [1] * 4, "VALID"),
     ValueError, "Negative dimension size caused by subtracting 5 from 3"),
    (lambda: tf.nn.quantized_max_pool(tf.constant(X), -1.0, 2.0, [1, 2, 2, 1], [1] * 4, "SAME"),
     TypeError, "Value passed to parameter 'input' has DataType uint8 not in list of allowed "
                "values: qint8, quint8, qint32, qint16, quint16"),
    (lambda: tf.nn.quantized_conv2d(_q(), _f(), -1.0, 2.0, -0.5, [1.0], [1] * 4, "SAME"),
     ValueError, r"Shape must be rank 0 but is rank 1 for 'QuantizedConv2D' with input shapes: "
                 r"\[1,3,3,2\], \[2,1,2,4\], \[\], \[\], \[\], \[1\]."),
    (lambda: tf.nn.quantized_conv2d(_q()[0], _f(), -1.0, 2.0, -0.5, 1.0, [1] * 4, "SAME"),
     ValueError, "Shape must be rank 4 but is rank 3 for 'QuantizedConv2D'"),
    (lambda: tf.nn.quantized_conv2d(_q(), _f(), -1.0, 2.0, -0.5, 1.0, [1] * 3, "SAME"),
     ValueError, "Conv2D on data format NHWC requires the stride attribute to contain 4 "
                 "values, but got: 3"),
    (lambda: tf.nn.quantized_conv2d(_q(), _f(), -1.0, 2.0, -0.5, 1.0, [1] * 4, "EXPLICIT"),
     ValueError, "Attr 'padding' of 'QuantizedConv2D' Op passed string 'EXPLICIT' not in"),
    (lambda: tf.nn.quantized_relu_x(_q(), 1.0, [-1.0], 2.0),
     ValueError, r"Shape must be rank 0 but is rank 1 for 'QuantizedReluX' with input shapes: "
                 r"\[1,3,3,2\], \[\], \[1\], \[\]."),
    (lambda: tf.nn.quantized_relu_x(_q(), 1.0, -1.0, 2.0, out_type=tf.float32),
     TypeError, "Value passed to parameter 'out_type' has DataType float32 not in list"),
    (lambda: tf.nn.quantized_relu_x(tf.constant(X), 1.0, -1.0, 2.0),
     TypeError, "Value passed to parameter 'features' has DataType uint8 not in list"),
])
def test_graph_construction_errors(make, error, words):
    with pytest.raises(error, match=words):
        make()


@pytest.mark.parametrize("make,error,words", [
    (lambda: tf.nn.quantized_avg_pool(_q(), -1.0, 2.0, [2, 2, 2, 1], [1] * 4, "SAME"),
     tf.errors.UnimplementedError, "Pooling is not yet supported on the batch dimension."),
    (lambda: tf.nn.quantized_max_pool(_q(), -1.0, 2.0, [2, 2, 2, 1], [1] * 4, "SAME"),
     tf.errors.UnimplementedError, "Pooling is not yet supported on the batch dimension."),
    (lambda: tf.nn.quantized_conv2d(_q(), _f((2, 2, 1, 4)), -1.0, 2.0, -0.5, 1.0, [1] * 4,
                                    "SAME"),
     tf.errors.InvalidArgumentError, "input and filter must have the same depth: 2 vs 1"),
    (lambda: tf.nn.quantized_conv2d(_q(), _f(), -1.0, 2.0, -0.5, 1.0, [1, 2, 1, 1], "SAME"),
     tf.errors.InvalidArgumentError, "Current implementation only supports equal length "
                                     "strides in the row and column dimensions."),
    (lambda: tf.nn.quantized_conv2d(_q(), _f(), -1.0, 2.0, -0.5, 1.0, [2, 1, 1, 1], "SAME"),
     tf.errors.InvalidArgumentError, "Current implementation does not yet support strides in "
                                     "the batch and depth dimensions."),
    (lambda: tf.nn.quantized_conv2d(_q(), _f(), -1.0, 2.0, -0.5, 1.0, [1] * 4, "SAME",
                                    dilations=[1, 2, 2, 1]),
     tf.errors.InvalidArgumentError, "Current implementation only supports dilated rate as 1 "
                                     "in the row and column dimensions."),
    (lambda: tf.nn.quantized_conv2d(_q(), _f(), -1.0, 2.0, -0.5, 1.0, [1] * 4, "SAME",
                                    out_type=tf.qint8),
     tf.errors.InvalidArgumentError, "No OpKernel was registered to support Op "
                                     "'QuantizedConv2D'"),
    (lambda: tf.nn.quantized_avg_pool(_q(X.astype(np.int32), tf.qint32), -1.0, 2.0,
                                      [1, 2, 2, 1], [1] * 4, "SAME"),
     tf.errors.InvalidArgumentError, "No OpKernel was registered to support Op "
                                     "'QuantizedAvgPool'"),
])
def test_run_time_errors(make, error, words):
    out = make()
    with pytest.raises(error, match=words):
        _run(out)


@pytest.mark.global_graph
def test_quantized_nn_ops_run_eagerly(eager):
    x = tf.constant(np.array([[[[0], [10]], [[7], [200]]]], np.uint8), tf.quint8)
    avg = tf.nn.quantized_avg_pool(x, -1.0, 2.0, [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    assert avg.output.numpy().ravel().tolist() == [54] and avg.max_output.numpy() == 2.0
    top = tf.nn.quantized_max_pool(x, -1.0, 2.0, [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    assert top.output.numpy().ravel().tolist() == [200]
    f = tf.constant(np.array([[[[1]], [[2]]]], np.uint8), tf.quint8)
    conv = tf.nn.quantized_conv2d(x, f, 0.0, 1.0, 0.0, 1.0, [1, 1, 1, 1], "VALID")
    assert conv.output.numpy().ravel().tolist() == [20, 407]
    relu = tf.nn.quantized_relu_x(x, 1.0, -1.0, 2.0)
    assert relu.activations.numpy().ravel().tolist() == [85, 85, 85, 170]
