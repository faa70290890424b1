"""Fake quantization, quantize / dequantize and quantized_concat (issue 17): codes, ranges,
values, gradients, names and errors as TF 1 gives them (the literals come from TF, by tfdiff).
"""
import numpy as np
import pytest

import minitf as tf

from _session import run

X = np.array([-3.0, -1.2, -0.5, -0.26, 0.0, 0.13, 0.5, 0.77, 1.0, 2.5, 6.1], np.float32)
FQ = np.array([-7.0, -6.0, -3.3, -0.05, 0.0, 0.7, 2.5, 5.98, 6.2], np.float32)


def test_quantized_dtypes_hold_integer_codes():
    assert tf.QUANTIZED_DTYPES == {tf.qint8, tf.quint8, tf.qint16, tf.quint16, tf.qint32,
                                   tf.qint8.as_ref, tf.quint8.as_ref, tf.qint16.as_ref,
                                   tf.quint16.as_ref, tf.qint32.as_ref}
    assert tf.qint8.is_quantized and not tf.qint8.is_integer and not tf.int8.is_quantized
    assert not tf.quint8.is_unsigned and (tf.qint16.size, tf.qint32.size) == (2, 4)
    c = tf.constant(np.array([-128, 0, 127], np.int8), tf.qint8)
    assert c.dtype == tf.qint8
    got = run(c)
    assert got.dtype == np.int8 and got.tolist() == [-128, 0, 127]


MIN_COMBINED = [-1.5, -1.198039, -0.498039, -0.264706, -0.003922, 0.133333, 0.503922, 0.764706,
                0.998039, 2.0, 2.0]
CODES = [  # (T, mode, narrow_range, codes, output_min, dequantized)
    (tf.qint8, "MIN_COMBINED", False, [-128, -106, -55, -38, -19, -9, 18, 37, 54, 127, 127],
     -1.5, MIN_COMBINED),
    (tf.quint8, "MIN_COMBINED", True, [0, 22, 73, 90, 109, 119, 146, 165, 182, 255, 255], -1.5,
     MIN_COMBINED),
    (tf.qint8, "MIN_FIRST", False, [-128, -106, -55, -38, -19, -10, 17, 37, 54, 127, 127], -1.5,
     [-1.496078, -1.194118, -0.494118, -0.260784, -0.0, 0.123529, 0.494118, 0.768627, 1.001961,
      2.003922, 2.003922]),
    (tf.qint8, "SCALED", False, [-128, -76, -32, -17, 0, 8, 32, 49, 64, 127, 127],
     -2.0157480239868164, [-2.015748, -1.19685, -0.503937, -0.267717, 0.0, 0.125984, 0.503937,
                           0.771654, 1.007874, 2.0, 2.0]),
    (tf.qint8, "SCALED", True, [-127, -76, -32, -17, 0, 8, 32, 49, 64, 127, 127], -2.0,
     [-2.0, -1.19685, -0.503937, -0.267717, 0.0, 0.125984, 0.503937, 0.771654, 1.007874, 2.0,
      2.0]),
    (tf.quint8, "SCALED", True, [1, 1, 1, 1, 1, 17, 64, 98, 128, 255, 255], 0.007843137718737125,
     [0.007843] * 5 + [0.133333, 0.501961, 0.768628, 1.003922, 2.0, 2.0]),
    (tf.qint16, "MIN_FIRST", False, [-32768, -27151, -14044, -9550, -4682, -2248, 4680, 9736,
                                     14042, 32767, 32767], -1.5,
     [-1.499977, -1.199992, -0.499992, -0.259983, 0.0, 0.129992, 0.499992, 0.770016, 0.999985,
      2.000023, 2.000023]),
    (tf.quint16, "SCALED", False, [0, 0, 0, 0, 0, 4260, 16384, 25231, 32768, 65535, 65535], 0.0,
     [0.0] * 5 + [0.130007, 0.500008, 0.770001, 1.000015, 2.0, 2.0]),
    # (qint32: TF's float-to-int32 casts overflow to INT_MIN at the top, and minitf's too)
    (tf.qint32, "MIN_COMBINED", False, [-2147483648, -1779343616, -920350080, -625837952,
                                        -306783232, -147255936, 306783488, 638109440, 920350208,
                                        -2147483648, -2147483648], -1.5,
     [-1.5, -1.2, -0.5, -0.26, 0.0, 0.13, 0.5, 0.77, 1.0, -1.5, -1.5]),
    (tf.qint32, "MIN_FIRST", False, [-2147483648, -1779343616, -920350016, -625837952,
                                     -306783232, -147255872, 306783552, 638109568, 920350336,
                                     2147483520, 2147483520], -1.5,
     [-1.5, -1.2, -0.5, -0.26, 0.0, 0.13, 0.5, 0.77, 1.0, 2.0, 2.0]),
    (tf.qint32, "SCALED", True, [-2147483648, -1288490240, -536870912, -279172864, 0, 139586432,
                                 536870912, 826781184, 1073741824, -2147483648, -2147483648],
     -2.0, [-2.0, -1.2, -0.5, -0.26, 0.0, 0.13, 0.5, 0.77, 1.0, -2.0, -2.0]),
]


@pytest.mark.parametrize("T, mode, narrow, codes, out_min, values", CODES,
                         ids=lambda v: getattr(v, "name", None))
def test_quantize_and_dequantize_each_mode(T, mode, narrow, codes, out_min, values):
    q = tf.quantize(X, -1.5, 2.0, T, mode=mode, narrow_range=narrow)
    assert (q.output.dtype, q.output_min.dtype, q.output.shape.as_list(),
            q.output_min.shape.as_list()) == (T, tf.float32, [11], [])
    got = run(q)
    assert got.output.dtype == T.as_numpy_dtype and got.output.tolist() == codes
    assert (float(got.output_min), float(got.output_max)) == (out_min, 2.0)
    d = tf.dequantize(q.output, q.output_min, q.output_max, mode=mode, narrow_range=narrow)
    assert (d.dtype, d.op.type) == (tf.float32, "Dequantize")
    np.testing.assert_allclose(run(d), values, rtol=0, atol=6e-7)


def test_quantize_widens_the_range_and_names_its_op():
    q = tf.quantize(X, -0.001, 0.0, tf.qint8, ensure_minimum_range=0.1)
    assert type(q).__name__ == "QuantizeV2" and q.output.op.type == "QuantizeV2"
    assert [t.name for t in q.output.op.inputs] == ["QuantizeV2/input:0",
                                                    "QuantizeV2/min_range:0",
                                                    "QuantizeV2/max_range:0"]
    op = q.output.op
    assert (op.get_attr("mode"), op.get_attr("axis"), op.get_attr("ensure_minimum_range")) == (
        "MIN_COMBINED", -1, 0.10000000149011612)
    codes, low, high = run(q)
    assert codes.tolist() == [-128, -128, -128, -128, -125] + [127] * 6
    np.testing.assert_array_equal([low, high], np.float32([-0.001, 0.099]))
    codes, low, high = run(tf.quantize(X, 0.3, 2.0, tf.quint8, mode="MIN_FIRST"))  # 0.0 joins
    assert codes.tolist() == [0] * 5 + [17, 64, 98, 128, 255, 255] and (low, high) == (0, 2)
    codes, low, high = run(tf.quantize(X, 0.5, 0.5, tf.quint8))
    assert codes.tolist() == [0] * 5 + [66] + [255] * 5 and (low, high) == (0, 0.5)
    codes = run(tf.quantize(X, -1.5, 2.0, tf.qint8, mode="SCALED", round_mode="HALF_TO_EVEN"))
    assert codes.output.tolist() == [-128, -76, -32, -17, 0, 8, 32, 49, 64, 127, 127]
    assert tf.quantize_v2(X, 0.0, 1.0, tf.quint8).output.name == "QuantizeV2_4:0"


def test_quantize_and_dequantize_along_an_axis():
    xs = np.array([[-1.0, 0.5, 3.0], [2.0, -4.0, 0.25]], np.float32)
    q = tf.quantize(xs, [-1.0, -2.0, 0.0], [1.0, 4.0, 2.0], tf.qint8, axis=1, mode="SCALED")
    assert q.output_min.shape.as_list() == [3]
    codes, low, high = run(q)
    assert codes.tolist() == [[-127, 16, 127], [127, -127, 16]]
    np.testing.assert_array_equal(low, np.float32([-1.007874, -4.031496, -2.015748]))
    np.testing.assert_array_equal(high, [1, 4, 2])
    q = tf.quantize(xs, [-1.0, -2.0], [1.0, 4.0], tf.quint8, axis=0)
    d = tf.dequantize(q.output, q.output_min, q.output_max, axis=0)
    assert run(q.output).tolist() == [[0, 191, 255], [170, 0, 96]]
    np.testing.assert_array_equal(run(d), np.float32([[-1, 0.49803925, 1], [2, -2, 0.25882363]]))


def test_dequantize_constant_codes():
    c = tf.constant(np.array([-128, 0, 127], np.int8), tf.qint8)
    np.testing.assert_array_equal(run(tf.dequantize(c, -1.0, 1.0, mode="SCALED")),
                                  np.float32([-1.007874, 0, 1]))
    c32 = tf.constant(np.array([-2**31, 5, 2**31 - 1], np.int32), tf.qint32)
    np.testing.assert_array_equal(run(tf.dequantize(c32, -1.0, 1.0)), [-1, 0, 1])


@pytest.mark.parametrize("make, error, words", [
    (lambda: tf.quantize(X, 0.0, 1.0, tf.float32), TypeError,
     "Value passed to parameter 'T' has DataType float32 not in list of allowed values: qint8, "
     "quint8, qint32, qint16, quint16"),
    (lambda: tf.quantize(X, 0.0, 1.0, tf.qint8, mode="FOO"), ValueError,
     "Attr 'mode' of 'QuantizeV2' Op passed string 'FOO' not in: \"MIN_COMBINED\", "
     "\"MIN_FIRST\", \"SCALED\"."),
    (lambda: tf.quantize([1, 2], 0.0, 1.0, tf.qint8), TypeError,
     "Input 'input' of 'QuantizeV2' Op has type int32 that does not match expected type of "
     "float32."),
    (lambda: tf.quantize(X, [0.0, 1.0], 1.0, tf.qint8, axis=0), ValueError,
     "Shape must be rank 1 but is rank 0 for 'QuantizeV2'"),
    (lambda: tf.quantize(X.reshape(1, 11), [0.0, 1.0], [1.0, 2.0], tf.qint8, axis=0),
     ValueError, "Dimensions must be equal, but are 2 and 1"),
    (lambda: tf.quantize(X, [0.0, 1.0], [1.0, 2.0], tf.qint8, axis=1), ValueError,
     "Shape must be at least rank 2 but is rank 1"),
    (lambda: tf.quantize(X, [0.0], [1.0], tf.qint8), ValueError,
     "Shape must be rank 0 but is rank 1"),
    (lambda: tf.dequantize(tf.constant([1.0]), 0.0, 1.0), TypeError,
     "Value passed to parameter 'input' has DataType float32 not in list of allowed values"),
    (lambda: tf.dequantize(tf.constant(np.uint8([0, 255]), tf.quint8), 0.0, 2.0,
                           dtype=tf.float64), TypeError,
     "Value passed to parameter 'dtype' has DataType float64 not in list of allowed values: "
     "bfloat16, float32"),
])
def test_quantize_static_errors(make, error, words):
    with pytest.raises(error) as info:
        make()
    assert words in str(info.value)


@pytest.mark.parametrize("make, error, words", [
    (lambda: tf.quantize(X, 2.0, 1.0, tf.qint8), tf.errors.InvalidArgumentError,
     "input_max_range must be larger than input_min_range."),
    (lambda: tf.quantize(X, 0.0, 1.0, tf.qint8, mode="MIN_FIRST", round_mode="HALF_TO_EVEN"),
     tf.errors.InvalidArgumentError, "Round mode 'HALF_TO_EVEN' only supported for mode "
     "'SCALED', but mode is 'MIN_FIRST'."),
    (lambda: tf.quantize(X.reshape(1, 11), [0.0], [1.0], tf.qint8, axis=0, mode="MIN_FIRST"),
     tf.errors.UnimplementedError, "MIN_FIRST mode is not implemented for Quantize with axis "
     "!= -1."),
])
def test_quantize_run_time_errors(make, error, words):
    with pytest.raises(error) as info:
        run(make())
    assert words in str(info.value)


def test_quantized_concat_requantizes_into_one_range():
    a = tf.quantize(np.float32([[0.1, 0.7], [1.3, 2.0]]), 0.0, 2.0, tf.quint8)
    b = tf.quantize(np.float32([[-0.5, 3.1]]), -0.5, 3.5, tf.quint8, mode="MIN_FIRST")
    c = tf.quantized_concat(0, [a.output, b.output], [a.output_min, b.output_min],
                            [a.output_max, b.output_max])
    assert type(c).__name__ == "QuantizedConcat" and c.output.name == "QuantizedConcat:0"
    assert (c.output.shape.as_list(), c.output_min.shape.as_list()) == ([3, 2], [])
    codes, low, high = run(c)
    assert codes.tolist() == [[39, 77], [115, 160], [0, 230]] and (low, high) == (-0.5, 3.5)
    qa = tf.quantize(np.float32([[0.1, -0.7], [1.3, 2.0]]), -1.0, 2.0, tf.qint32, mode="MIN_FIRST")
    qb = tf.quantize(np.float32([[-0.5, 3.1]]), -0.5, 3.5, tf.qint32, mode="MIN_FIRST")
    c = tf.quantized_concat(0, [qa.output, qb.output], [qa.output_min, qb.output_min],
                            [qa.output_max, qb.output_max])
    codes, low, high = run(c)  # (signed: the range is made symmetric)
    assert codes.tolist() == [[61356692, -429496704], [797636864, 1227133440],
                              [-306783392, 1902056960]] and (low, high) == (-3.5, 3.5)
    p = tf.placeholder(tf.quint8, [None, 2])
    c = tf.quantized_concat(0, [p, a.output], [0.0, 0.0], [2.0, 1.0])
    assert c.output.shape.as_list() == [None, 2]
    with pytest.raises(ValueError, match="Shape must be at least rank 3 but is rank 2"):
        tf.quantized_concat(2, [p, p], [0.0, 0.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="List argument 'input_mins'"):
        tf.quantized_concat(0, [p, p], [0.0], [1.0, 1.0])


def test_quantization_ops_have_no_gradient():
    q = tf.quantize(np.float32([1.0, 2.0]), 0.0, 3.0, tf.quint8)
    d = tf.dequantize(q.output, q.output_min, q.output_max)
    c = tf.quantized_concat(0, [q.output, q.output], [q.output_min] * 2, [q.output_max] * 2)
    for y, x, op_type in [(q.output_min, q.output.op.inputs[0], "QuantizeV2"),
                          (d, q.output_min, "Dequantize"),
                          (c.output_min, q.output_min, "QuantizedConcat")]:
        with pytest.raises(LookupError, match=f"No gradient defined for operation'.*' \\(op "
                           f"type: {op_type}\\)"):
            tf.gradients(y, x)


FAKE = [  # (min, max, num_bits, narrow_range, values, input gradient, min's, max's)
    (-6.0, 6.0, 8, False, [-6.023529529571533, -5.976470470428467, -3.2941176891326904,
                           -0.0470588244497776, 0.0, 0.7058823704719543, 2.4941177368164062,
                           5.976470470428467, 5.976470470428467],
     [0, 2, 3, 4, 5, 6, 7, 0, 0], 1.0, 17.0),
    (-6.0, 6.0, 8, True, [-6.0, -6.0, -3.307086706161499, -0.04724409431219101, 0.0,
                          0.7086614370346069, 2.503937005996704, 6.0, 6.0],
     [0, 2, 3, 4, 5, 6, 7, 8, 0], 1.0, 9.0),
    (-0.3, 1.7, 4, False, [-0.2666666805744171] * 3 + [0.0, 0.0, 0.6666666865348816]
     + [1.7333334684371948] * 3, [0, 0, 0, 4, 5, 6, 0, 0, 0], 6.0, 24.0),
    (0.1, 0.9, 3, True, [0.0] * 5 + [0.6666666269302368] + [0.7999999523162842] * 3,
     [0, 0, 0, 0, 5, 6, 0, 0, 0], 10.0, 24.0),
    (-2.0, -0.5, 8, False, [-1.5] * 3 + [-0.0470588244497776] + [0.0] * 5,
     [0, 0, 0, 4, 5, 0, 0, 0, 0], 6.0, 30.0),
    (-1.0, 1.0, 16, False, [-1.0000152587890625] * 3 + [-0.049988556653261185, 0.0,
                                                        0.6999923586845398]
     + [0.9999847412109375] * 3, [0, 0, 0, 4, 5, 6, 0, 0, 0], 6.0, 24.0),
]


@pytest.mark.parametrize("lo, hi, bits, narrow, values, grad, grad_min, grad_max", FAKE)
def test_fake_quant_nudges_the_range_and_passes_gradients_inside_it(lo, hi, bits, narrow, values,
                                                                     grad, grad_min, grad_max):
    x = tf.constant(FQ)
    weights = np.arange(1.0, 10.0, dtype=np.float32)
    y = tf.fake_quant_with_min_max_args(x, min=lo, max=hi, num_bits=bits, narrow_range=narrow)
    lo_t, hi_t = tf.constant(lo), tf.constant(hi)
    v = tf.fake_quant_with_min_max_vars(x, lo_t, hi_t, num_bits=bits, narrow_range=narrow)
    g_args = tf.gradients(y * weights, x)[0]
    g_vars = tf.gradients(v * weights, [x, lo_t, hi_t])
    assert (g_args.op.type, g_vars[0].op.type) == ("FakeQuantWithMinMaxArgsGradient",
                                                   "FakeQuantWithMinMaxVarsGradient")
    got_y, got_v, got_ga, got_gv = run([y, v, g_args, g_vars])
    assert got_y.tolist() == values and got_v.tolist() == values
    assert got_ga.tolist() == grad and got_gv[0].tolist() == grad
    assert (got_gv[1], got_gv[2]) == (grad_min, grad_max)


def test_fake_quant_per_channel_and_the_gradient_ops():
    xs = np.float32([[-1.0, 0.3, 2.0], [0.55, -0.7, 5.0], [0.0, 0.013, -3.0]])
    lo, hi = tf.constant([-1.0, -0.5, -2.0]), tf.constant([1.0, 0.5, 4.0])
    x = tf.constant(xs)
    p = tf.fake_quant_with_min_max_vars_per_channel(x, lo, hi, num_bits=4)
    g = tf.gradients(p * np.arange(1.0, 10.0, dtype=np.float32).reshape(3, 3), [x, lo, hi])
    assert (p.name, g[1].name) == ("FakeQuantWithMinMaxVarsPerChannel:0", "gradients/FakeQuant"
                                   "WithMinMaxVarsPerChannel_grad/FakeQuantWithMinMaxVarsPer"
                                   "ChannelGradient:1")
    values, grads = run([p, g])
    np.testing.assert_array_equal(values, np.float32([[-0.9333333969116211, 0.3333333432674408, 2],
                                                      [0.5333333611488342, -0.46666669845581055,
                                                       4], [0, 0, -2]]))
    assert [a.tolist() for a in grads] == [[[0, 2, 3], [4, 0, 0], [7, 8, 0]], [1, 5, 9],
                                           [0, 0, 6]]
    narrow = tf.fake_quant_with_min_max_vars_per_channel(x, lo, hi, narrow_range=True)
    np.testing.assert_array_equal(run(narrow), np.float32(
        [[-1.0, 0.29921260476112366, 2.007874011993408],
         [0.5511810779571533, -0.5, 3.992125988006592],
         [0.0, 0.011811023578047752, -2.007874011993408]]))
    gv = tf.fake_quant_with_min_max_vars_gradient(tf.ones([9]), FQ, 0.0, 0.0)
    assert type(gv).__name__ == "FakeQuantWithMinMaxVarsGradient"
    got = run(gv)  # (a [0, 0] range passes everything to the inputs)
    assert got.backprops_wrt_input.tolist() == [1.0] * 9 and got[1:] == (0.0, 0.0)
    assert run(tf.fake_quant_with_min_max_vars(FQ, 0.0, 0.0)).tolist() == [0.0] * 9
    gp = tf.fake_quant_with_min_max_vars_per_channel_gradient(tf.zeros([2, 3]), tf.zeros([2, 3]),
                                                              tf.zeros([3]), tf.ones([3]))
    assert type(gp).__name__ == "FakeQuantWithMinMaxVarsPerChannelGradient"
    assert [t.shape.as_list() for t in gp] == [[2, 3], [3], [3]]
    ga = tf.fake_quant_with_min_max_args_gradient(tf.zeros([3]), tf.zeros([3]))
    assert tf.gradients(ga, ga.op.inputs[1]) == [None]  # (the gradient ops have none)
    assert tf.gradients(gp[0], gp[0].op.inputs[1]) == [None]


@pytest.mark.parametrize("make, error, words", [
    (lambda: tf.fake_quant_with_min_max_args(np.float64([1.0])), TypeError,
     "Input 'inputs' of 'FakeQuantWithMinMaxArgs' Op has type float64 that does not match "
     "expected type of float32."),
    (lambda: tf.fake_quant_with_min_max_vars(FQ, [-1.0], 1.0), ValueError,
     "Shape must be rank 0 but is rank 1 for 'FakeQuantWithMinMaxVars' with input shapes: [9], "
     "[1], []."),
    (lambda: tf.fake_quant_with_min_max_vars_per_channel(tf.zeros([3, 3]), [-1.0, 0.0],
                                                         [1.0, 1.0]),
     ValueError, "Dimensions must be equal, but are 3 and 2"),
    (lambda: tf.fake_quant_with_min_max_vars_per_channel(tf.zeros([3, 3]), -1.0, 1.0),
     ValueError, "Shape must be rank 1 but is rank 0"),
    (lambda: tf.fake_quant_with_min_max_vars_per_channel(tf.constant(1.0), [-1.0], [1.0]),
     ValueError, "Shape must be at least rank 1 but is rank 0"),
    (lambda: tf.fake_quant_with_min_max_vars_gradient(tf.zeros([3]), tf.zeros([4]), 0.0, 1.0),
     ValueError, "Dimension 0 in both shapes must be equal, but are 3 and 4. Shapes are [3] and "
     "[4]."),
])
def test_fake_quant_static_errors(make, error, words):
    with pytest.raises(error) as info:
        make()
    assert words in str(info.value)


@pytest.mark.parametrize("make, words", [
    (lambda: tf.fake_quant_with_min_max_args(FQ, min=1.0, max=-1.0),
     "min has to be smaller than max, was: 1 >= -1"),
    (lambda: tf.fake_quant_with_min_max_args(FQ, min=-0.5, max=-0.5),
     "min has to be smaller than max, was: -0.5 >= -0.5"),
    (lambda: tf.fake_quant_with_min_max_args(FQ, num_bits=1),
     "num_bits must be between 2 and 16, inclusive"),
    (lambda: tf.fake_quant_with_min_max_vars(FQ, -1.0, 1.0, num_bits=17),
     "num_bits must be between 2 and 16, inclusive"),
])
def test_fake_quant_run_time_errors(make, words):
    with pytest.raises(tf.errors.InvalidArgumentError, match=words):
        run(make())


@pytest.mark.global_graph
def test_quantization_ops_run_eagerly(eager):
    q = tf.quantize(X, -1.5, 2.0, tf.qint8, mode="SCALED")
    assert q.output.numpy().tolist() == [-128, -76, -32, -17, 0, 8, 32, 49, 64, 127, 127]
    d = tf.dequantize(q.output, q.output_min, q.output_max, mode="SCALED")
    np.testing.assert_allclose(d.numpy()[4:6], [0.0, 0.125984], atol=6e-7)
    c = tf.quantized_concat(0, [q.output, q.output], [q.output_min] * 2, [q.output_max] * 2)
    assert c.output.numpy().tolist() == q.output.numpy().tolist() * 2
    x = tf.constant(FQ)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.fake_quant_with_min_max_args(x, min=-0.3, max=1.7, num_bits=4)
    assert tape.gradient(y, x).numpy().tolist() == [0, 0, 0, 1, 1, 1, 0, 0, 0]
    v = tf.fake_quant_with_min_max_vars(x, -6.0, 6.0)
    p = tf.fake_quant_with_min_max_vars_per_channel(tf.reshape(x, [9, 1]), [-6.0], [6.0])
    assert v.numpy().tolist() == p.numpy().ravel().tolist() == FAKE[0][4]
