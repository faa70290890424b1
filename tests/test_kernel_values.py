"""Values of the everyday kernels issue 21 made cheaper (sigmoid, softplus, log_softmax, softmax,
l2_loss, the reductions) at the extremes, against TF's (the literals are TF 2.21's, from tfdiff),
on small inputs and on large ones (which take the vectorised kernels)."""
import numpy as np
import pytest

import minitf as tf
from minitf.framework.registry import REGISTRY

X = [-1e4, -200, -104, -100, -90, -88, -87, -40, -20, -17, -10, -1, -1e-3, 0, 1e-3, 1, 10, 17,
     20, 40, 100, 1e4, np.inf, -np.inf, np.nan]
SIGMOID = {
    "float16": [0.0] * 9 + [
        5.960464477539063e-08, 4.5418739318847656e-05, 0.268798828125, 0.499755859375, 0.5,
        0.50048828125, 0.73095703125] + [1.0] * 7 + [0.0, np.nan],
    "float32": [0.0] * 6 + [
        1.6458111734947008e-38, 4.248354544728966e-18, 2.0611541362569596e-09,
        4.139937104241653e-08, 4.539786095847376e-05, 0.26894140243530273, 0.4997499883174896,
        0.5, 0.500249981880188, 0.7310585379600525, 0.9999545812606812] + [1.0] * 6 + [
        0.0, np.nan],
    "float64": [
        0.0, 1.3838965267367376e-87, 6.813556821545298e-46, 3.7200759760208356e-44,
        8.194012623990515e-40, 6.054601895401186e-39, 1.6458114310822734e-38,
        4.248354255291589e-18, 2.0611536181902033e-09, 4.13993754739433e-08,
        4.539786870243439e-05, 0.2689414213699951, 0.49975000002083336, 0.5,
        0.5002499999791666, 0.7310585786300049, 0.9999546021312976, 0.9999999586006245,
        0.9999999979388464, 1.0, 1.0, 1.0, 1.0, 0.0, np.nan]}
SOFTPLUS = {
    "float16": [0.0] * 9 + [
        5.960464477539063e-08, 4.5418739318847656e-05, 0.313232421875, 0.69287109375,
        0.693359375, 0.69384765625, 1.3134765625, 10.0, 17.0, 20.0, 40.0, 100.0, 10000.0,
        np.inf, 0.0, np.nan],
    "float32": [0.0] * 6 + [
        1.6458114537543937e-38, 4.24835413113866e-18, 2.06115369216775e-09,
        4.139937814784389e-08, 4.539889778243378e-05, 0.3132616877555847, 0.6926472783088684,
        0.6931471824645996, 0.6936473250389099, 1.31326162815094, 10.000045776367188, 17.0,
        20.0, 40.0, 100.0, 10000.0, np.inf, 0.0, np.nan],
    "float64": [
        0.0, 1.3838965267367376e-87, 6.813556821545298e-46, 3.7200759760208356e-44,
        8.194012623990515e-40, 6.054601895401186e-39, 1.6458114310822734e-38,
        4.248354255291589e-18, 2.061153620314381e-09, 4.139937633089747e-08,
        4.539889921686464e-05, 0.3132616875182228, 0.6926473055599401, 0.6931471805599453,
        0.6936473055599401, 1.3132616875182228, 10.000045398899216, 17.000000041399378,
        20.000000002061153, 40.0, 100.0, 10000.0, np.inf, 0.0, np.nan]}
# how far minitf may be from TF, in relative terms (TF's float32 sigmoid is a rational
# approximation and its exp/log1p are Eigen's, a few ulps from NumPy's), and absolutely below
# float32's smallest normal number (TF flushes subnormal results to 0; minitf keeps them)
RTOL = {"float16": 0.0, "float32": 5e-7, "float64": 1e-15}
ATOL = {"float16": 0.0, "float32": 1.2e-38, "float64": 0.0}


def _run(fn, values):
    with tf.Graph().as_default():
        with tf.Session() as sess:
            return sess.run(fn(tf.constant(values)))


@pytest.mark.parametrize("repeats", [1, 30], ids=["small", "large"])
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("fn, expected", [(tf.sigmoid, SIGMOID), (tf.nn.softplus, SOFTPLUS)],
                         ids=["sigmoid", "softplus"])
def test_extremes_as_tf(fn, expected, dtype, repeats):
    got = _run(fn, np.tile(np.array(X, dtype), repeats))
    assert got.dtype == dtype and got.shape == (len(X) * repeats,)
    want = np.tile(np.array(expected[dtype], dtype), repeats)
    np.testing.assert_allclose(got, want, rtol=RTOL[dtype], atol=ATOL[dtype])
    # exactly TF's: NaN, the infinities, 0.5, 1, and the limits at x = ±1e4 and ±inf
    x = np.tile(np.array(X), repeats)
    exact = np.isnan(want) | np.isinf(want) | np.isin(want, [0.5, 1.0]) | (np.abs(x) >= 1e4)
    np.testing.assert_array_equal(got[exact], want[exact])


def test_float16_sigmoid_is_tfs_formula_rounded_step_by_step():
    # TF's half kernel rounds exp(x), 1 + exp(x) and their quotient to float16 in turn: at -1
    # that gives 0.2688, where rounding the exact 0.268941 once would give 0.2690
    x = np.array([-1.0, 1e-3, -1e-3], np.float16)
    np.testing.assert_array_equal(_run(tf.sigmoid, x), np.array(
        [0.268798828125, 0.50048828125, 0.499755859375], np.float16))


@pytest.mark.parametrize("size", [8, 4096])
def test_sigmoid_of_a_float32_sweep_is_within_a_few_ulps(size):
    x = np.linspace(-30, 30, size, dtype=np.float32)
    truth = 1 / (1 + np.exp(-x.astype(np.float64)))
    ulps = np.abs(_run(tf.sigmoid, x) - truth) / np.spacing(truth.astype(np.float32))
    assert ulps.max() <= 4


@pytest.mark.parametrize("dtype, rows, rtol", [
    ("float16", [[0.0, -10000.0, -20000.0], [-2.408203125, -1.408203125, -0.407958984375],
                 [-np.inf, -1.3134765625, -0.3134765625], [0.0, -60000.0, -60000.0]], 2e-3),
    ("float32", [[0.0, -10000.0, -20000.0],
                 [-2.4076058864593506, -1.4076058864593506, -0.40760594606399536],
                 [-np.inf, -1.31326162815094, -0.31326165795326233],
                 [0.0, -1.0000000150474662e+30, -1.0000000150474662e+30]], 3e-7),
    ("float64", [[0.0, -10000.0, -20000.0],
                 [-2.4076059644443806, -1.4076059644443804, -0.40760596444438035],
                 [-np.inf, -1.3132616875182228, -0.31326168751822286], [0.0, -1e+30, -1e+30]],
     1e-15)])
def test_log_softmax_of_large_logits_as_tf(dtype, rows, rtol):
    big = 6e4 if dtype == "float16" else 1e30
    logits = np.array([[1e4, 0.0, -1e4], [88.0, 89.0, 90.0], [-np.inf, 0.0, 1.0],
                       [big, 1.0, 2.0]], dtype)
    got = _run(tf.nn.log_softmax, logits)
    assert got.dtype == dtype
    np.testing.assert_allclose(got, np.array(rows, dtype), rtol=rtol)
    softmax = _run(tf.nn.softmax, logits)
    np.testing.assert_allclose(softmax, np.exp(got.astype(np.float64)), rtol=rtol * 8, atol=1e-7)


@pytest.mark.parametrize("dtype, values, expected", [
    ("float16", [200.0, 100.0], 24992.0),  # (25000 in float16)
    ("float32", [2e19, 1e19], np.inf),     # the squares' sum overflows, as in TF
    ("float64", [1e154, 5e153], 6.25e+307),
    ("float32", [3.0], 4.5)])
def test_l2_loss_extremes_as_tf(dtype, values, expected):
    got = _run(tf.nn.l2_loss, np.array(values, dtype))
    assert got.dtype == dtype and got.shape == ()
    assert got == expected


# -- the kernels keep their values where they were rewritten for speed ---------------------------
def _random(shape, dtype, seed=0):
    scale = 1 if dtype == np.float16 else 4  # (float16's sum of squares must not overflow)
    return (np.random.RandomState(seed).randn(*shape) * scale).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("shape", [(3,), (8, 16), (64, 130)])
def test_rewritten_kernels_give_the_old_values(shape, dtype):
    x = _random(shape, dtype)
    shifted = x - np.max(x, axis=-1, keepdims=True)
    np.testing.assert_array_equal(REGISTRY["LogSoftmax"].kernel(x, axis=-1),
                                  shifted - np.log(np.sum(np.exp(shifted), -1, keepdims=True)))
    e = np.exp(shifted)
    np.testing.assert_array_equal(REGISTRY["Softmax"].kernel(x, axis=-1),
                                  e / np.sum(e, -1, keepdims=True))
    assert REGISTRY["L2Loss"].kernel(x) == (np.sum(np.square(x)) / 2).astype(dtype)
    for axis in [None, (0,), (len(shape) - 1,)]:
        for keepdims in [False, True]:
            mean = REGISTRY["Mean"].kernel(x, axis=axis, keepdims=keepdims)
            old = np.mean(x, axis=axis, keepdims=keepdims, dtype=np.float32
                          if dtype == np.float16 else dtype).astype(dtype)
            assert mean.dtype == dtype and np.shape(mean) == old.shape
            np.testing.assert_array_equal(mean, old)
            np.testing.assert_array_equal(
                REGISTRY["Max"].kernel(x, axis=axis, keepdims=keepdims),
                np.max(x, axis=axis, keepdims=keepdims))


def test_the_mean_of_nothing_is_nan():
    with pytest.warns(RuntimeWarning):
        assert np.isnan(REGISTRY["Mean"].kernel(np.zeros((0,), np.float32), axis=None,
                                                keepdims=False))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_scalar_inputs(dtype):
    x = np.array(-1.0, dtype)
    for type in ("Sigmoid", "Softplus"):
        out = REGISTRY[type].kernel(x)
        assert np.shape(out) == () and out.dtype == dtype
    assert REGISTRY["L2Loss"].kernel(x) == 0.5
