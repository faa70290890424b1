"""The element-wise math of issue 17, item 1 (elementwise_ops, special_math_ops, complex_ops,
bitwise_ops): values, gradients, op names, dtypes, static shapes and errors as TensorFlow 2.21's
tf.compat.v1 gives them (printed by tools/tfdiff, hard-coded here)."""
import numpy as np
import pytest

import minitf as tf

X = [0.1, 0.5, -0.7]
P = [1.5, 2.0, 3.5]

# TF's values at X (P for acosh), float64
UNARY = {
    "sin": [0.09983341664682815, 0.479425538604203, -0.644217687237691],
    "cos": [0.9950041652780258, 0.8775825618903728, 0.7648421872844885],
    "tan": [0.10033467208545055, 0.5463024898437905, -0.8422883804630794],
    "asin": [0.1001674211615598, 0.5235987755982989, -0.775397496610753],
    "acos": [1.4706289056333368, 1.0471975511965979, 2.3461938234056494],
    "atan": [0.09966865249116204, 0.4636476090008061, -0.6107259643892086],
    "sinh": [0.10016675001984403, 0.5210953054937474, -0.7585837018395334],
    "cosh": [1.0050041680558035, 1.1276259652063807, 1.255169005630943],
    "asinh": [0.09983407889920758, 0.48121182505960347, -0.6526665660823557],
    "atanh": [0.10033534773107558, 0.5493061443340548, -0.8673005276940531],
    "erf": [0.1124629160182849, 0.5204998778130466, -0.6778011938374185],
    "erfc": [0.8875370839817152, 0.47950012218695337, 1.6778011938374187],
    "expm1": [0.10517091807564763, 0.6487212707001282, -0.5034146962085905],
    "rint": [0.0, 0.0, -1.0],
    "lgamma": [2.2527126517342055, 0.5723649429247001, 1.4524729387568078],
    "digamma": [-10.423754940411076, -1.9635100260214227, -2.0739527936287043],
    "log_sigmoid": [-0.6443966600735709, -0.4740769841801067, -1.103186048885458],
    "erfinv": [0.08885599049425778, 0.4769362762044699, -0.7328690779592171],
    "ndtri": [-1.2815515655446004, 0.0, np.nan],
    "bessel_i0e": [0.9071009257823008, 0.6450352704491502, 0.5593055265070683],
    "bessel_i1e": [0.04529844680880933, 0.15642080318487162, -0.18466998276274738],
    "softsign": [0.09090909090909091, 0.3333333333333333, -0.4117647058823529],
    "acosh": [0.9624236501192069, 1.3169578969248166, 1.9248473002384139],
}
# TF's values of f(P, P + X)
BINARY = {
    "xlogy": [0.7050054438686034, 1.8325814637483102, 3.6036679601340533],
    "xdivy": [0.9375, 0.8, 1.25],
    "divide_no_nan": [0.9375, 0.8, 1.25],
    "multiply_no_nan": [2.4000000000000004, 5.0, 9.799999999999999],
    "igamma": [0.6381949725024683, 0.7127025048163542, 0.4128490162276617],
    "igammac": [0.36180502749753174, 0.28729749518364583, 0.5871509837723383],
    "zeta": [1.8649562257839254, 0.4903577561002349, 0.04680684792065255],
}


def run(t):
    with tf.Session() as sess:
        return sess.run(t)


def f64(values):
    return tf.constant(values, tf.float64)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_values_match_tf(name):
    y = getattr(tf.math, name)(f64(P if name == "acosh" else X))
    assert y.dtype == tf.float64 and y.shape.as_list() == [3]
    np.testing.assert_allclose(run(y), UNARY[name], rtol=1e-13)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_values_match_tf(name):
    y = getattr(tf.math, name)(f64(P), f64(P) + f64(X))
    np.testing.assert_allclose(run(y), BINARY[name], rtol=1e-13)


def test_more_special_functions_match_tf():
    p, x = f64(P), f64(X)
    np.testing.assert_allclose(run(tf.math.polygamma(f64([0.0, 1.0, 2.0]), p)),
                               [0.03648997397857645, 0.6449340668482266, -0.1082040516417274],
                               rtol=1e-13)
    np.testing.assert_allclose(run(tf.betainc(p, p + 1, tf.abs(x))),
                               [0.09788064294137977, 0.6875, 0.9359933887643347], rtol=1e-13)
    np.testing.assert_allclose(run(tf.atan2(x, -p)),
                               [3.0750244898139694, 2.896613990462929, -2.9441970937399127])
    assert np.isnan(run(tf.math.polygamma(f64([0.5, -1.0]), f64([2.0, 2.0])))).all()


def test_rounding_divisions_and_no_nan_ops_match_tf():
    assert run(tf.rint([-1.5, -0.5, 0.5, 1.5, 2.5, 2.7])).tolist() == [-2, -0, 0, 2, 2, 3]
    a, b = tf.constant([7, -7, 7, -7]), tf.constant([2, 2, -2, -2])
    assert run(tf.floor_div(a, b)).tolist() == [3, -4, -4, 3]
    assert run(tf.truncatediv(a, b)).tolist() == [3, -3, -3, 3]
    assert run(tf.truncatemod(a, b)).tolist() == [1, -1, 1, -1]
    assert run(tf.truncatediv([7.5, -7.5], 2.0)).tolist() == [3, -3]
    assert run(tf.truncatemod([7.5, -7.5], 2.0)).tolist() == [1.5, -1.5]
    z = f64([0.0, 2.0, -1.0])
    for y in (tf.math.xlogy(z * 0, z), tf.math.xdivy(z * 0, z), tf.div_no_nan(z, z * 0),
              tf.math.multiply_no_nan(f64([np.inf, np.nan, 1.0]), z * 0)):
        assert run(y).tolist() == [0, 0, 0]
    assert run(tf.math.reciprocal_no_nan(z)).tolist() == [0, 0.5, -1]


def test_float_class_tests_match_tf():
    v = tf.constant([1.0, np.inf, -np.inf, np.nan, 0.0])
    assert run(tf.is_finite(v)).tolist() == [True, False, False, False, True]
    assert run(tf.is_inf(v)).tolist() == [False, True, True, False, False]
    assert run(tf.is_nan(v)).tolist() == [False, False, False, True, False]
    assert tf.is_nan(v).dtype == tf.bool


def test_complex_parts_match_tf():
    x, p = f64(X), f64(P)
    c = tf.complex(x, p)
    assert c.dtype == tf.complex128 and tf.complex(tf.ones([2, 1]), 1.0).dtype == tf.complex64
    np.testing.assert_array_equal(run(c), np.array(X) + 1j * np.array(P))
    assert run(tf.real(c)).tolist() == X and run(tf.imag(c)).tolist() == P
    np.testing.assert_array_equal(run(tf.conj(c)), np.array(X) - 1j * np.array(P))
    np.testing.assert_allclose(run(tf.angle(c)),
                               [1.5042281630190728, 1.3258176636680326, 1.7681918866447774])
    assert run(tf.angle(x)).tolist() == [0, 0, np.pi] and run(tf.imag(x)).tolist() == [0, 0, 0]
    assert tf.real(x) is x and tf.conj(x) is x


def test_casts_match_tf():
    f = tf.constant([300.7, -5.0, 2.5])
    assert run(tf.saturate_cast(f, tf.uint8)).tolist() == [255, 0, 2]
    assert run(tf.saturate_cast(tf.constant([70000, -5]), tf.int16)).tolist() == [32767, -5]
    assert run(tf.saturate_cast(tf.constant([1e30, -1e30]), tf.int64)).tolist() == [
        2**63 - 2**39, -2**63]  # the largest float32 below 2**63, then -2**63 exactly
    assert run(tf.to_complex64(f)).dtype == np.complex64
    assert tf.to_double(f).dtype == tf.float64 and tf.to_complex128(f).dtype == tf.complex128


def test_bitwise_ops_match_tf():
    b = tf.constant([12, 5, -3])
    assert run(tf.bitwise.bitwise_and(b, 10)).tolist() == [8, 0, 8]
    assert run(tf.bitwise.bitwise_or(b, 10)).tolist() == [14, 15, -1]
    assert run(tf.bitwise.bitwise_xor(b, 10)).tolist() == [6, 15, -9]
    assert run(tf.bitwise.invert(b)).tolist() == [-13, -6, 2]
    assert run(tf.bitwise.invert(tf.constant([0, 5], tf.uint8))).tolist() == [255, 250]
    assert run(tf.bitwise.left_shift(b, 2)).tolist() == [48, 20, -12]
    assert run(tf.bitwise.right_shift(b, 1)).tolist() == [6, 2, -2]
    # shifts out of [0, 31] are clamped into it, as TF's kernels do
    assert run(tf.bitwise.left_shift(b, 40)).tolist() == [0, -2**31, -2**31]
    assert run(tf.bitwise.right_shift(b, 40)).tolist() == [0, 0, -1]
    assert run(tf.bitwise.left_shift(b, -1)).tolist() == [12, 5, -3]


def test_scalar_mul_scales_tensors_and_indexed_slices():
    y = tf.scalar_mul(2.0, tf.constant([0.25, -1.5]))
    assert y.name == "Mul:0" and run(y).tolist() == [0.5, -3.0]
    s = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([3]), tf.constant([5, 2]))
    scaled = tf.scalar_mul(3.0, s)
    assert isinstance(scaled, tf.IndexedSlices) and run(scaled.values).tolist() == [[3, 6]]
    with pytest.raises(ValueError, match=r"The input scalar must be a 0-D value. Received "
                                         r"shape \(2,\)."):
        tf.scalar_mul([1.0, 2.0], tf.constant([1.0, 2.0]))


NAMES = [  # (built by, TF's name)
    (lambda x, p: tf.sin(x), "Sin:0"), (lambda x, p: tf.atanh(x), "Atanh:0"),
    (lambda x, p: tf.expm1(x), "Expm1:0"), (lambda x, p: tf.rint(x), "Rint:0"),
    (lambda x, p: tf.is_finite(x), "IsFinite:0"), (lambda x, p: tf.lgamma(x), "Lgamma:0"),
    (lambda x, p: tf.log_sigmoid(x), "LogSigmoid:0"),
    (lambda x, p: tf.math.reciprocal_no_nan(x), "reciprocal_no_nan:0"),
    (lambda x, p: tf.math.erfinv(x), "erfinv/Erfinv:0"),
    (lambda x, p: tf.math.ndtri(x), "ndtri/Ndtri:0"),
    (lambda x, p: tf.math.bessel_i0e(x), "bessel_i0e/BesselI0e:0"),
    (lambda x, p: tf.math.bessel_i1e(x), "bessel_i1e/BesselI1e:0"),
    (lambda x, p: tf.math.softsign(x), "Softsign:0"), (lambda x, p: tf.atan2(x, p), "Atan2:0"),
    (lambda x, p: tf.math.xlogy(p, p), "Xlogy:0"), (lambda x, p: tf.math.xdivy(p, p),
                                                    "xdivy/Xdivy:0"),
    (lambda x, p: tf.math.divide_no_nan(p, p), "div_no_nan:0"),
    (lambda x, p: tf.math.multiply_no_nan(p, p), "multiply_no_nan:0"),
    (lambda x, p: tf.igamma(p, p), "Igamma:0"), (lambda x, p: tf.igammac(p, p), "Igammac:0"),
    (lambda x, p: tf.zeta(p, p), "Zeta:0"), (lambda x, p: tf.polygamma(p, p), "Polygamma:0"),
    (lambda x, p: tf.betainc(p, p, x), "Betainc:0"), (lambda x, p: tf.complex(x, p), "Complex:0"),
    (lambda x, p: tf.real(tf.complex(x, p), name="re"), "re:0"),
    (lambda x, p: tf.imag(x), "Imag/zeros_like:0"),
    (lambda x, p: tf.saturate_cast(x, tf.uint8), "saturate_cast:0"),
    (lambda x, p: tf.to_double(tf.cast(x, tf.float32)), "ToDouble:0"),
    (lambda x, p: tf.to_complex64(x), "ToComplex64:0"),
    (lambda x, p: tf.floor_div(p, p), "FloorDiv:0"),
    (lambda x, p: tf.truncatediv(p, p), "TruncateDiv:0"),
    (lambda x, p: tf.bitwise.left_shift(1, 2), "LeftShift:0"),
    (lambda x, p: tf.bitwise.invert(3), "Invert:0"),
]


@pytest.mark.parametrize("build, name", NAMES)
def test_op_names_are_tfs(build, name):
    assert build(f64(X), f64(P)).name == name


def test_static_shapes_broadcast_as_tfs():
    assert tf.atan2(tf.ones([2, 1]), tf.ones([3])).shape.as_list() == [2, 3]
    assert tf.complex(tf.ones([2, 1]), tf.ones([3])).shape.as_list() == [2, 3]
    assert tf.igamma(tf.ones([2, 1]), tf.ones([3])).shape.as_list() == [2, 3]
    assert tf.betainc(1.0, 1.0, 0.5).shape.as_list() == []
    assert tf.betainc(tf.ones([2, 3]), 1.0, tf.placeholder(tf.float32, [None, 3])
                      ).shape.as_list() == [2, 3]


ERRORS = [  # (call, TF's exception, words of its message)
    (lambda: tf.sin(tf.constant([1, 2])), TypeError, "int32"),
    (lambda: tf.erf(tf.constant([1, 2])), TypeError, "int32"),
    (lambda: tf.is_nan(tf.constant([1, 2])), TypeError, "int32"),
    (lambda: tf.rint(tf.constant([1, 2])), TypeError, "int32"),
    (lambda: tf.math.xlogy(tf.constant([1]), tf.constant([1])), TypeError, "int32"),
    (lambda: tf.truncatemod(tf.constant([1], tf.int8), tf.constant([1], tf.int8)), TypeError,
     "int8"),
    (lambda: tf.math.softsign(tf.constant([1])), TypeError,
     "Value passed to parameter 'features' has DataType int32"),
    (lambda: tf.bitwise.bitwise_and(tf.ones([2]), tf.ones([2])), TypeError, "float32"),
    (lambda: tf.bitwise.invert(tf.ones([2])), TypeError, "float32"),
    (lambda: tf.igamma(tf.ones([2]), tf.ones([2], tf.float64)), TypeError,
     "Input 'x' of 'Igamma' Op has type float64 that does not match type float32 of argument "
     "'a'."),
    (lambda: tf.atan2(tf.ones([2]), tf.ones([3])), ValueError,
     "Dimensions must be equal, but are 2 and 3"),
    (lambda: tf.complex(tf.constant([1]), tf.constant([1])), TypeError,
     "The `real` and `imag` components have incorrect types: int32 int32. They must be "
     "consistent, and one of [tf.float32, tf.float64]"),
    (lambda: tf.real(tf.constant(["a"])), TypeError,
     "input must be a numeric tensor, but got tensor with dtype <dtype: 'string'>"),
    (lambda: tf.conj(tf.constant(["a"])), TypeError,
     "Expected numeric or variant tensor, got dtype tf.string."),
    (lambda: tf.betainc(tf.ones([2, 3]), tf.ones([3]), tf.ones([2, 3])), ValueError,
     "Shapes must be equal rank, but are 2 and 1"),
    (lambda: tf.betainc(tf.ones([2, 3]), tf.ones([2, 4]), 0.5), ValueError,
     "Dimensions must be equal, but are 3 and 4"),
]


@pytest.mark.parametrize("call, exc, words", ERRORS)
def test_errors_are_tfs(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    assert words in str(info.value)


# TF's gradients of sum(f(x)) at x = GX
GX = [0.3, -0.6, 0.0]
GRADS = {
    "sin": [0.955336489126, 0.82533561491, 1.0], "cos": [-0.295520206661, 0.564642473395, 0],
    "tan": [1.095688915323, 1.468043172528, 1.0], "asin": [1.048284836722, 1.25, 1.0],
    "acos": [-1.048284836722, -1.25, -1.0], "atan": [0.917431192661, 0.735294117647, 1.0],
    "sinh": [1.045338514129, 1.185465218242, 1.0], "cosh": [0.304520293447, -0.636653582148, 0],
    "asinh": [0.957826285221, 0.857492925713, 1.0], "atanh": [1.098901098901, 1.5625, 1.0],
    "erf": [1.031260909619, 0.787243431714, 1.128379167096],
    "erfc": [-1.031260909619, -0.787243431714, -1.128379167096],
    "expm1": [1.349858807576, 0.548811636094, 1.0],
    "lgamma": [-3.5025242222, -0.894717877918, np.nan],
    "digamma": [12.245364546108, 10.053134368307, np.inf],
    "erfinv": [0.954520358841, 1.262862428141, 0.886226925453],
    "ndtri": [2.876103659264, np.nan, np.inf],
    "bessel_i0e": [-0.645203064543, 0.427162783538, 0.0],
    "bessel_i1e": [0.270611195743, 0.140222084303, 0.5],
    "softsign": [0.591715976331, 0.390625, 1.0],
    "log_sigmoid": [0.425557483188, 0.645656306226, 0.5],
    "reciprocal_no_nan": [-11.111111111111, -2.777777777778, 0.0],
}


@pytest.mark.parametrize("name", sorted(GRADS))
def test_unary_gradients_match_tf(name):
    x = f64(GX)
    np.testing.assert_allclose(run(tf.gradients(getattr(tf.math, name)(x), x)[0]), GRADS[name],
                               rtol=1e-11, atol=1e-12)


# TF's gradients of sum(f(P, GX + P)) by P and by GX
BINARY_GRADS = {
    "xlogy": ([1.421119998235, 1.765043665193, 2.252762968495],
              [0.833333333333, 1.428571428571, 1.0]),
    "xdivy": ([0.092592592593, -0.30612244898, 0.0],
              [-0.462962962963, -1.020408163265, -0.285714285714]),
    "divide_no_nan": ([0.092592592593, -0.30612244898, 0.0],
                      [-0.462962962963, -1.020408163265, -0.285714285714]),
    "multiply_no_nan": ([3.3, 3.4, 7.0], [1.5, 2.0, 3.5]),
    "zeta": ([-0.623924251609, -0.989128623578, -0.019978039528],
             [-0.623924251609, -0.989128623578, -0.019978039528]),
    "atan2": ([0.054644808743, -0.10067114094, 0.0],
              [-0.273224043716, -0.335570469799, -0.142857142857]),
}


@pytest.mark.parametrize("name", sorted(BINARY_GRADS))
def test_binary_gradients_match_tf(name):
    p, x = f64(P), f64(GX)
    grads = tf.gradients(getattr(tf.math, name)(p, x + p), [p, x])
    for got, expected in zip(run(grads), BINARY_GRADS[name]):
        np.testing.assert_allclose(got, expected, rtol=1e-11, atol=1e-12)


def test_igamma_gradients_match_tf():
    p, x = f64(P), f64(GX)
    for fn, sign in ((tf.igamma, 1), (tf.igammac, -1)):
        by_p, by_x = run(tf.gradients(fn(p, x + p), [p, x]))  # by_p: a's and x's gradients
        np.testing.assert_allclose(by_p, sign * np.array([-0.055293823185, 0.033501796451,
                                                          -0.010149852056]), rtol=1e-9)
        np.testing.assert_allclose(by_x, sign * np.array([0.250242600435, 0.345235749518,
                                                          0.208239549616]), rtol=1e-11)


def test_igamma_gradient_by_a_runs_eagerly():  # (its IgammaGradA op, in an eager tape)
    with tf.eager_mode():
        a = tf.constant([0.5, 1.5, 50.0], tf.float64)
        with tf.GradientTape() as tape:
            tape.watch(a)
            y = tf.igamma(a, tf.constant([0.01, 2.0, 45.0], tf.float64))
        grad = tape.gradient(y, a).numpy()
    np.testing.assert_allclose(grad, [-0.522514338, -0.277433564, -0.0455432921], rtol=1e-8)


def test_polygamma_gradient_matches_tf():
    p = f64(P)
    grad = tf.gradients(tf.math.polygamma(f64([0.0, 1.0, 2.0]), p), p)[0]
    np.testing.assert_allclose(run(grad), [0.934802200545, -0.404113806319, 0.070305848817],
                               rtol=1e-11)


@pytest.mark.parametrize("builder", [
    lambda: tf.atan2(tf.constant([0.5, -1.0]), 2.0),
    lambda: tf.math.erfinv(tf.constant([0.25, -0.5])),
    lambda: tf.bitwise.right_shift(tf.constant([12, -3]), 1),
    lambda: tf.angle(tf.complex(tf.constant([1.0, -1.0]), tf.constant([2.0, 0.5]))),
])
def test_ops_give_their_graph_values_eagerly(builder):
    with tf.Graph().as_default():
        expected = run(builder())
    with tf.eager_mode():
        got = builder().numpy()
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("fn", [tf.igamma, tf.igammac])
def test_igamma_gradient_by_a_matches_finite_differences(fn):
    # (a first derivative only: IgammaGradA has no gradient, as in TF)
    a, x = np.array([0.5, 1.5, 3.0, 50.0]), np.array([0.01, 2.0, 30.0, 45.0])
    ta = tf.constant(a)
    grad = run(tf.gradients(fn(ta, x), ta)[0])
    with tf.Session() as sess:
        up, down = sess.run([fn(a + 1e-6, x), fn(a - 1e-6, x)])
    np.testing.assert_allclose(grad, (up - down) / 2e-6, rtol=1e-6, atol=1e-9)


def test_bessel_i0_i1_and_xlog1py_match_tf():
    x, p = f64(GX), f64(P)
    i0, i1, xlog1py = tf.math.bessel_i0(x), tf.math.bessel_i1(x), tf.math.xlog1py(p, x)
    assert (i0.name, i1.name, xlog1py.name) == ("bessel_i0/BesselI0:0", "bessel_i1/BesselI1:0",
                                                "xlog1py/Xlog1py:0")
    expected = {i0: ([1.0226268793515971, 1.092045364317339, 1.0],
                     [0.15169384000359282, -0.31370402560492205, 0.0]),
                i1: ([0.15169384000359282, -0.31370402560492205, 0.0],
                     [0.5169807460062877, 0.5692053216424687, 1.0]),
                xlog1py: ([0.3935463967012366, -1.83258146374831, 0.0],
                          [1.1538461538461537, 5.0, 3.5])}
    for y, (value, grad) in expected.items():
        np.testing.assert_allclose(run(y), value, rtol=1e-13)
        np.testing.assert_allclose(run(tf.gradients(y, x)[0]), grad, rtol=1e-13)
    np.testing.assert_allclose(run(tf.gradients(xlog1py, p)[0]),
                               [0.26236426446749106, -0.916290731874155, 0.0], rtol=1e-13)
    assert run(tf.math.xlog1py(f64([0.0]), f64([-1.0]))).tolist() == [0.0]
