"""The fused kernels (csrc/fused.pyx and its twin minitf/_pure/fused.py), both in one process:
values equal plain NumPy's to float tolerance, the optimizer updates equal minitf's unfused
ApplyGradientDescent, ApplyMomentum and ApplyAdam kernels bit for bit, errors are the same."""
import importlib

import numpy as np
import pytest
from hypothesis import example, given, settings, strategies as st

from minitf import _kernels
from minitf.benchmark import cases, floors
from minitf.train import training_ops

BACKENDS = ["cython", "python"]
ACTS = ["linear", "relu", "tanh", "sigmoid"]


def _load(backend):
    if backend == "python":
        return importlib.import_module("minitf._pure.fused")
    try:
        return importlib.import_module("minitf._ext.fused")
    except ImportError:
        pytest.skip("the Cython kernels are not built")


@pytest.fixture(scope="module", params=BACKENDS)
def fused(request):
    return _load(request.param)


# sizes from 1 to the 784-256 layer's, most of them small; both sides of the BLAS crossover
_DIM = st.one_of(st.integers(1, 24), st.sampled_from([64, 128, 256, 784]))
_DTYPE = st.sampled_from([np.float32, np.float64])
_SETTINGS = settings(max_examples=40, deadline=None)


def _rand(seed, dtype, *shape):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def _close(got, want, k=1):
    # float32 sums of k products err by about sqrt(k) ulps of the terms
    tol = 2e-5 * np.sqrt(k) if got.dtype == np.float32 else 1e-12 * np.sqrt(k)
    np.testing.assert_allclose(got, want, rtol=tol * 10, atol=tol)


_ACTS = {"linear": lambda z: z, "relu": lambda z: np.maximum(z, 0), "tanh": np.tanh,
         "sigmoid": lambda z: np.exp(-np.logaddexp(0, -z))}  # (no overflow for large -z)


def _act(z, act):
    return _ACTS[act](z)


def _slope(y, act):
    return {"linear": 1, "relu": y > 0, "tanh": 1 - y * y, "sigmoid": y * (1 - y)}[act]


@_SETTINGS
@given(dtype=_DTYPE, m=_DIM, k=_DIM, n=_DIM, act=st.sampled_from(ACTS), bias=st.booleans(),
       seed=st.integers(0, 2**32 - 1))
@example(dtype=np.float32, m=1, k=1, n=1, act="relu", bias=True, seed=0)
@example(dtype=np.float32, m=128, k=784, n=256, act="relu", bias=True, seed=0)
def test_dense_forward_is_act_of_matmul_plus_bias(fused, dtype, m, k, n, act, bias, seed):
    x, w, b = _rand(seed, dtype, m, k), _rand(seed + 1, dtype, k, n), _rand(seed + 2, dtype, n)
    out = np.full((m, n), np.nan, dtype)
    fused.dense_forward(x, w, b if bias else None, act, out)
    _close(out, _act(x @ w + (b if bias else 0), act), k)


@_SETTINGS
@given(dtype=_DTYPE, m=_DIM, k=_DIM, n=_DIM, act=st.sampled_from(ACTS),
       outputs=st.sampled_from(["all", "no db", "no dx", "dz is dy"]),
       seed=st.integers(0, 2**32 - 1))
@example(dtype=np.float32, m=128, k=784, n=256, act="relu", outputs="no dx", seed=0)
@example(dtype=np.float64, m=64, k=64, n=128, act="tanh", outputs="all", seed=1)
@example(dtype=np.float32, m=128, k=256, n=256, act="linear", outputs="dz is dy", seed=0)
@example(dtype=np.float64, m=128, k=256, n=256, act="sigmoid", outputs="all", seed=0)
def test_dense_backward_gives_dz_dw_db_dx(fused, dtype, m, k, n, act, outputs, seed):
    x, w, dy = _rand(seed, dtype, m, k), _rand(seed + 1, dtype, k, n), _rand(seed + 2, dtype, m, n)
    y = _act(_rand(seed + 3, dtype, m, n), act).astype(dtype)
    want_dz = dy * _slope(y, act)
    dz = dy if outputs == "dz is dy" and act == "linear" else np.full((m, n), np.nan, dtype)
    dw = np.full((k, n), np.nan, dtype)
    db = None if outputs == "no db" else np.full(n, np.nan, dtype)
    dx = None if outputs == "no dx" else np.full((m, k), np.nan, dtype)
    fused.dense_backward(dy, x, w, y, act, dz, dw, db, dx)
    _close(dz, want_dz)
    _close(dw, x.T @ want_dz, m)
    if db is not None:
        _close(db, want_dz.sum(0), m)
    if dx is not None:
        _close(dx, want_dz @ w.T, n)


@_SETTINGS
@given(dtype=_DTYPE, m=_DIM, k=_DIM, n=_DIM, act=st.sampled_from(ACTS), with_dx=st.booleans(),
       seed=st.integers(0, 2**32 - 1))
@example(dtype=np.float32, m=128, k=784, n=256, act="tanh", with_dx=False, seed=0)
@example(dtype=np.float32, m=2, k=3, n=4, act="relu", with_dx=True, seed=0)
@example(dtype=np.float32, m=128, k=256, n=256, act="tanh", with_dx=True, seed=0)  # (NumPy's dx)
def test_dense_backward_can_step_the_weights_in_place(fused, dtype, m, k, n, act, with_dx, seed):
    # dw_scale: dw += dw_scale * x.T @ dz (SGD folded into the product); dx reads w first,
    # so dw may be w itself
    x, w, dy = _rand(seed, dtype, m, k), _rand(seed + 1, dtype, k, n), _rand(seed + 2, dtype, m, n)
    y = _act(_rand(seed + 3, dtype, m, n), act).astype(dtype)
    want_dz = dy * _slope(y, act)
    before = w.copy()
    dz, db = np.full((m, n), np.nan, dtype), np.full(n, np.nan, dtype)
    dx = np.full((m, k), np.nan, dtype) if with_dx else None
    fused.dense_backward(dy, x, w, y, act, dz, w, db, dx, dw_scale=-0.25)
    _close(w, before - dtype(0.25) * (x.T @ want_dz), m)
    _close(db, want_dz.sum(0), m)
    if with_dx:
        _close(dx, want_dz @ before.T, n)


@pytest.mark.parametrize("route", ["loops", "SciPy's BLAS", "NumPy's matmul"])
@pytest.mark.parametrize("m, k, n", [(1, 1, 1), (3, 5, 2), (8, 16, 16), (33, 70, 9)])
def test_every_product_route_gives_the_same_values(route, m, k, n):
    compiled = _load("cython")  # (the routes are the compiled twin's alone)
    limits = {"loops": (1 << 60, 1 << 60, 1 << 60), "SciPy's BLAS": (0, 0, 1 << 60),
              "NumPy's matmul": (0, 0, 0)}[route]
    x, w, b, dy = (_rand(i, np.float64, *s) for i, s in enumerate([(m, k), (k, n), (n,), (m, n)]))
    out, dz, dw, db, dx = (np.empty(s) for s in ((m, n), (m, n), (k, n), n, (m, k)))
    old = compiled._set_loop_limits(*limits)
    try:
        compiled.dense_forward(x, w, b, "tanh", out)
        compiled.dense_backward(dy, x, w, out, "tanh", dz, dw, db, dx)
    finally:
        compiled._set_loop_limits(*old)
    want_dz = dy * (1 - out * out)
    _close(out, np.tanh(x @ w + b), k)
    _close(dz, want_dz)
    _close(dw, x.T @ want_dz, m)
    _close(db, want_dz.sum(0), m)
    _close(dx, want_dz @ w.T, n)


def test_linear_backward_reads_no_y(fused):
    dy, x, w = np.ones((2, 3)), np.ones((2, 4)), np.ones((4, 3))
    dz, dw, db, dx = np.empty((2, 3)), np.empty((4, 3)), np.empty(3), np.empty((2, 4))
    fused.dense_backward(dy, x, w, None, "linear", dz, dw, db, dx)
    assert (dz == 1).all() and (dw == 2).all() and (db == 2).all() and (dx == 3).all()


@pytest.mark.parametrize("m, k, n", [(0, 3, 2), (2, 0, 3), (2, 3, 0), (0, 0, 0)])
def test_empty_products(fused, m, k, n):
    x, w, b, dy = np.ones((m, k)), np.ones((k, n)), np.ones(n), np.ones((m, n))
    out, dz, dw, db, dx = (np.full(s, np.nan) for s in ((m, n), (m, n), (k, n), n, (m, k)))
    fused.dense_forward(x, w, b, "relu", out)
    fused.dense_backward(dy, x, w, out, "relu", dz, dw, db, dx)
    assert (out == 1).all() and (dz == 1).all() and (dx == n).all()
    assert (dw == m).all() and (db == m).all()


@pytest.mark.parametrize("repeats", [1, 400])  # (C loops; NumPy's, from 1024 elements)
def test_sigmoid_and_tanh_saturate_without_overflow(fused, repeats):
    x = np.tile(np.array([[-1e4], [1e4], [0.0]], np.float32), (repeats, 1))
    for act, want in (("sigmoid", [0, 1, 0.5]), ("tanh", [-1, 1, 0])):
        out = np.empty((3 * repeats, 1), np.float32)
        fused.dense_forward(x, np.ones((1, 1), np.float32), None, act, out)
        assert out.ravel().tolist() == want * repeats


@_SETTINGS
@given(dtype=_DTYPE, shape=st.lists(st.integers(0, 40), max_size=3),
       act=st.sampled_from(ACTS), seed=st.integers(0, 2**32 - 1))
def test_act_grad_is_the_gradient_ops_bit_for_bit(fused, dtype, shape, act, seed):
    dy = np.asarray(_rand(seed, dtype, *shape))
    y = np.asarray(_act(_rand(seed + 1, dtype, *shape), act), dtype)
    out = np.full(shape, np.nan, dtype)
    fused.act_grad(dy, y, act, out)
    one = dtype(1)
    want = {"linear": dy, "relu": dy * (y > 0).astype(dtype), "tanh": dy * (one - y * y),
            "sigmoid": dy * (y * (one - y))}[act]
    np.testing.assert_array_equal(out, want)


def _tanh_ulps(got, x):
    # |got - tanh(x)| in float32 spacings at tanh(x), tanh taken in double
    exact = np.tanh(x.astype(np.float64))
    return np.abs(got - exact) / np.spacing(np.abs(exact).astype(np.float32))


def test_float32_tanh_is_within_7_ulp_and_odd(fused):
    # a sample of every float32 below 9.5 (tools/vector_f32.py --check tanh takes them all: worst
    # 6.6 ulp, 94 % correctly rounded), with the worst spot found there
    rng = np.random.default_rng(0)
    bits = rng.integers(0, int(np.float32(9.5).view(np.int32)), 1 << 20, dtype=np.int32)
    x = np.append(bits.view(np.float32), np.float32(8.181571006774902))
    got, mirrored = np.empty_like(x), np.empty_like(x)
    fused.tanh(x, got)
    fused.tanh(-x, mirrored)
    assert _tanh_ulps(got, x).max() < 7
    np.testing.assert_array_equal(mirrored, -got)


def test_tanh_special_values(fused):
    # 9.010914: the least float32 whose tanh rounds to 1; 9.010913: the greatest below it
    x = np.array([0.0, -0.0, 1e-45, -1e-40, 1e-20, 9.010914, 9.010913, 30, np.inf, -np.inf,
                  np.nan], np.float32)
    out = np.empty_like(x)
    fused.tanh(x, out)
    np.testing.assert_array_equal(out[:5], x[:5])  # (tanh(x) rounds to x)
    assert np.signbit(out[1]) and not np.signbit(out[0])
    assert _tanh_ulps(out[5:7], x[5:7]).max() <= 1
    assert out[7:10].tolist() == [1, 1, -1] and np.isnan(out[10])


def _sigmoid_ulps(got, x):
    exact = 1 / (1 + np.exp(-x.astype(np.float64)))
    return np.abs(got - exact) / np.spacing(exact.astype(np.float32))


def test_float32_sigmoid_is_within_3_ulp(fused):
    # a sample of the floats of magnitude below 120 (tools/vector_f32.py --check sigmoid takes
    # them all: worst 2.4 ulp, at the x below), and the ones past where it rounds to 0 or 1
    rng = np.random.default_rng(1)
    bits = rng.integers(0, int(np.float32(120).view(np.int32)), 1 << 20, dtype=np.int32)
    x = bits.view(np.float32) * np.where(rng.random(1 << 20) < 0.5, -1, 1).astype(np.float32)
    x = np.append(x, np.float32([-4.157293796539307, 0, -0.0, 17.4, -100, 1e-40]))
    got = np.empty_like(x)
    fused.sigmoid(x, got)
    err = _sigmoid_ulps(got, x)
    if fused.__name__.endswith("_pure.fused"):  # (expit flushes results below 1e-42 to 0)
        err = err[got >= np.finfo(np.float32).tiny]
    assert err.max() < 3
    special = np.float32([0, 17.4, 200, np.inf, -200, -np.inf, np.nan])
    fused.sigmoid(special, special)
    assert special[:6].tolist() == [0.5, 1, 1, 1, 0, 0] and np.isnan(special[6])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_tanh_in_place_any_shape(fused, dtype):
    x = _rand(3, dtype, 2, 3, 40)
    want = np.tanh(x)
    fused.tanh(x, x)
    _close(x, want)
    fused.tanh(np.empty((0, 3), dtype), np.empty((0, 3), dtype))


def _xent_reference(logits, labels, scale):
    shifted = logits - logits.max(1, keepdims=True)
    total = np.exp(shifted).sum(1)
    rows = np.arange(len(labels))
    grad = np.exp(shifted) / total[:, None]
    grad[rows, labels] -= 1
    return np.log(total) - shifted[rows, labels], grad * np.reshape(scale, (-1, 1))


@_SETTINGS
@given(dtype=_DTYPE, m=_DIM, n=_DIM, wide=st.booleans(), per_row=st.booleans(),
       outputs=st.sampled_from(["both", "loss", "dlogits"]), seed=st.integers(0, 2**32 - 1))
@example(dtype=np.float32, m=1, n=1, wide=False, per_row=False, outputs="both", seed=0)
def test_sparse_xent_gives_loss_and_scaled_gradient(fused, dtype, m, n, wide, per_row, outputs,
                                                     seed):
    logits = _rand(seed, dtype, m, n) * 10
    labels = np.random.default_rng(seed).integers(0, n, m).astype(np.int64 if wide else np.int32)
    scale = _rand(seed + 1, dtype, m) if per_row else 1.0 / m
    loss = None if outputs == "dlogits" else np.full(m, np.nan, dtype)
    dlogits = None if outputs == "loss" else np.full((m, n), np.nan, dtype)
    fused.sparse_xent(logits, labels, scale, loss, dlogits)
    want_loss, want_grad = _xent_reference(logits, labels, scale)
    if loss is not None:
        _close(loss, want_loss, n * 10)
    if dlogits is not None:
        _close(dlogits, want_grad.astype(dtype), n)


def test_sparse_xent_of_no_rows_is_empty_and_of_no_classes_an_error(fused):
    loss, grad = np.empty(0), np.empty((0, 3))
    fused.sparse_xent(np.empty((0, 3)), np.empty(0, np.int32), 1.0, loss, grad)
    with pytest.raises(ValueError, match=r"logits of shape \(2, 0\) has no class for a label"):
        fused.sparse_xent(np.empty((2, 0)), np.zeros(2, np.int32), 1.0, None, None)


def test_sparse_xent_is_finite_for_huge_logits(fused):
    logits = np.array([[1e30, -1e30, 0.0], [-1e30, 1e30, 1e30]], np.float32)
    loss, grad = np.empty(2, np.float32), np.empty((2, 3), np.float32)
    fused.sparse_xent(logits, np.array([0, 0], np.int32), 1.0, loss, grad)
    assert loss.tolist() == [0.0, np.float32(2e30)]
    assert grad[0].tolist() == [0.0, 0.0, 0.0] and grad[1].tolist() == [-1.0, 0.5, 0.5]


# -- the optimizer updates equal minitf's unfused kernels bit for bit ------------------------------
_SHAPE = st.lists(st.integers(1, 40), min_size=0, max_size=3).map(tuple)


def _scalars(dtype, *values):
    return [np.asarray(v, dtype) for v in values]  # as the optimizers cast them


@_SETTINGS
@given(dtype=_DTYPE, shape=_SHAPE, lr=st.floats(1e-4, 1.0), seed=st.integers(0, 2**32 - 1))
def test_sgd_equals_apply_gradient_descent(fused, dtype, shape, lr, seed):
    var, grad = _rand(seed, dtype, *shape), _rand(seed + 1, dtype, *shape)
    want = training_ops._gradient_descent(var.copy(), *_scalars(dtype, lr), grad)[0]
    fused.sgd(var, lr, grad)
    np.testing.assert_array_equal(var, want)


@_SETTINGS
@given(dtype=_DTYPE, shape=_SHAPE, lr=st.floats(1e-4, 1.0), mom=st.floats(0.0, 0.99),
       nesterov=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_momentum_equals_apply_momentum(fused, dtype, shape, lr, mom, nesterov, seed):
    var, accum, grad = (_rand(seed + i, dtype, *shape) for i in range(3))
    lr_, mom_ = _scalars(dtype, lr, mom)
    want = training_ops._momentum(var.copy(), accum.copy(), lr_, grad, mom_,
                                  use_nesterov=nesterov)
    fused.momentum(var, accum, lr, grad, mom, nesterov)
    np.testing.assert_array_equal(var, want[0])
    np.testing.assert_array_equal(accum, want[1])


@_SETTINGS
@given(dtype=_DTYPE, shape=_SHAPE, lr=st.floats(1e-4, 1.0), step=st.integers(1, 1000),
       seed=st.integers(0, 2**32 - 1))
def test_adam_equals_apply_adam(fused, dtype, shape, lr, step, seed):
    var, grad = _rand(seed, dtype, *shape), _rand(seed + 1, dtype, *shape)
    m, v = _rand(seed + 2, dtype, *shape), _rand(seed + 3, dtype, *shape)
    np.abs(v, out=v)
    b1p, b2p = 0.9**step, 0.999**step
    want = training_ops._adam(var.copy(), m.copy(), v.copy(),
                              *_scalars(dtype, b1p, b2p, lr, 0.9, 0.999, 1e-8), grad)
    fused.adam(var, m, v, lr, 0.9, 0.999, 1e-8, b1p, b2p, grad)
    for got, expected in zip((var, m, v), want):
        np.testing.assert_array_equal(got, expected)


# -- both twins: the same errors -------------------------------------------------------------------
def _ro(a):
    a.flags.writeable = False
    return a


_F, _D = np.zeros((2, 3), np.float32), np.zeros((2, 3))
_BAD_CALLS = {
    "act": lambda f: f.dense_forward(_F, _F.T.copy(), None, "elu", np.empty((2, 2), np.float32)),
    "act list": lambda f: f.dense_backward(_D, _D, _D.T.copy(), _D, ["relu"], _D, _D, None,
                                           None),
    "x list": lambda f: f.dense_forward([[1.0]], _F, None, "relu", _F),
    "x int": lambda f: f.dense_forward(np.zeros((2, 3), int), _F, None, "relu", _F),
    "x 1-D": lambda f: f.dense_forward(np.zeros(3), _D, None, "relu", _D),
    "w dtype": lambda f: f.dense_forward(_F, _D.T.copy(), None, "relu", _F),
    "w shape": lambda f: f.dense_forward(_F, _F, None, "relu", _F),
    "b shape": lambda f: f.dense_forward(_D, _D.T.copy(), np.zeros(3), "relu", np.empty((2, 2))),
    "out strided": lambda f: f.dense_forward(_D, _D.T.copy(), None, "relu", np.empty((2, 2)).T),
    "out read-only": lambda f: f.dense_forward(_D, _D.T.copy(), None, "relu",
                                               _ro(np.empty((2, 2)))),
    "dz shape": lambda f: f.dense_backward(_D, _D, np.ones((3, 3)), _D, "relu", _D.T, _D,
                                           None, None),
    "y missing": lambda f: f.dense_backward(_D, _D, np.ones((3, 3)), None, "tanh", _D,
                                            np.ones((3, 3)), None, None),
    "act_grad shape": lambda f: f.act_grad(_D, np.zeros(3), "tanh", _D),
    "act_grad out read-only": lambda f: f.act_grad(_D, _D, "relu", _ro(np.zeros((2, 3)))),
    "act_grad act": lambda f: f.act_grad(_D, _D, "elu", _D),
    "sigmoid out shape": lambda f: f.sigmoid(np.zeros(3, np.float32), np.zeros(2, np.float32)),
    "tanh int": lambda f: f.tanh(np.zeros(3, int), np.zeros(3)),
    "tanh out dtype": lambda f: f.tanh(np.zeros(3), np.zeros(3, np.float32)),
    "tanh out shape": lambda f: f.tanh(np.zeros(3), np.zeros((3, 1))),
    "tanh out read-only": lambda f: f.tanh(np.zeros(3), _ro(np.zeros(3))),
    "tanh x strided": lambda f: f.tanh(np.zeros(6)[::2], np.zeros(3)),
    "labels float": lambda f: f.sparse_xent(_D, np.zeros(2), 1.0, None, None),
    "labels uint": lambda f: f.sparse_xent(_D, np.zeros(2, np.uint32), 1.0, None, None),
    "scale shape": lambda f: f.sparse_xent(_D, np.zeros(2, np.int32), np.ones(3), None, None),
    "label -1": lambda f: f.sparse_xent(_D, np.array([0, -1], np.int32), 1.0, None, None),
    "label n": lambda f: f.sparse_xent(_D, np.array([3, 7]), 1.0, np.empty(2), None),
    "scale text": lambda f: f.sparse_xent(_D, np.zeros(2, np.int32), "x", None, None),
    "var read-only": lambda f: f.sgd(_ro(np.zeros(3)), 0.1, np.zeros(3)),
    "grad shape": lambda f: f.sgd(np.zeros(3), 0.1, np.zeros((3, 1))),
    "accum dtype": lambda f: f.momentum(np.zeros(3), np.zeros(3, np.float32), 0.1, np.zeros(3),
                                        0.9, False),
    "v strided": lambda f: f.adam(np.zeros(3), np.zeros(3), np.zeros(6)[::2], 0.1, 0.9, 0.999,
                                  1e-8, 0.9, 0.999, np.zeros(3)),
    "lr none": lambda f: f.sgd(np.zeros(3), None, np.zeros(3)),
}


def _error(call, backend):
    with pytest.raises((ValueError, TypeError)) as info:
        call(_load(backend))
    return type(info.value), str(info.value)


@pytest.mark.parametrize("case", sorted(_BAD_CALLS))
def test_twins_raise_the_same_errors(case):
    compiled, pure = _error(_BAD_CALLS[case], "cython"), _error(_BAD_CALLS[case], "python")
    assert compiled == pure


def test_shape_error_names_the_argument_and_both_shapes():
    with pytest.raises(ValueError, match=r"fused.dense_forward: w must be a C-contiguous float32 "
                       r"array of shape \(3, 3\), not a C-contiguous float32 array of shape "
                       r"\(2, 3\)"):
        _load(_kernels.kernel_backend()).dense_forward(_F, _F, None, "relu", _F)


def test_kernels_module_serves_the_selected_twin():
    name = "minitf._ext.fused" if _kernels.kernel_backend() == "cython" else "minitf._pure.fused"
    assert _kernels.fused.__name__ == name


# -- the kernels make a training step: the benchmark's MLP step, by hand in NumPy ------------------
@pytest.mark.parametrize("widths, batch", [((8, 16, 2), 8), ((64, 128, 10), 64)])
def test_fused_calls_make_the_benchmarks_mlp_step(fused, widths, batch):
    by_hand = floors.mlp_step(widths, batch)
    x, labels, weights = cases._mlp_data(widths, batch)
    params = [p for w in weights for p in (w, np.zeros(w.shape[1], np.float32))]
    grads = [np.empty_like(p) for p in params]
    outs = [np.empty((batch, w.shape[1]), np.float32) for w in weights]
    inputs, acts = [x] + outs[:-1], ["tanh"] * (len(weights) - 1) + ["linear"]
    for _ in range(3):
        by_hand()
        for i, act in enumerate(acts):
            fused.dense_forward(inputs[i], params[2 * i], params[2 * i + 1], act, outs[i])
        dy = np.empty_like(outs[-1])
        fused.sparse_xent(outs[-1], labels, 1.0 / batch, None, dy)
        for i in reversed(range(len(acts))):
            dz = dy if acts[i] == "linear" else np.empty_like(dy)
            dx = np.empty_like(inputs[i]) if i else None
            fused.dense_backward(dy, inputs[i], params[2 * i], outs[i], acts[i], dz,
                                 grads[2 * i], grads[2 * i + 1], dx)
            dy = dx
        for p, g in zip(params, grads):
            fused.sgd(p, floors.RATE, g)
    for got, want in zip(params, by_hand.params):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
