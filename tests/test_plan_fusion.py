"""The plan compiler's fusion pass (minitf/plan_fusion.py): which chains it fuses, which it must
leave alone, and that fused and unfused plans give equal values (to float rounding) on
hypothesis-generated models, with both kernel twins in one process."""
import contextlib

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import minitf as tf
from minitf import plan_fusion
from minitf._pure import fused as pure_fused

try:
    from minitf._ext import fused as compiled_fused
except ImportError:  # (the pure-Python CI run has no build)
    compiled_fused = None

TWINS = [pure_fused] + ([compiled_fused] if compiled_fused is not None else [])


@contextlib.contextmanager
def fusing(enabled, kernels=None):
    saved = plan_fusion.ENABLED, plan_fusion._fused
    plan_fusion.ENABLED = enabled
    if kernels is not None:
        plan_fusion._fused = kernels
    try:
        yield
    finally:
        plan_fusion.ENABLED, plan_fusion._fused = saved


@pytest.fixture(autouse=True)
def _fusion_on():
    # (on by default with the compiled kernels only; here with the twin of either backend)
    with fusing(True):
        yield


def _plan_kinds(sess):
    plan = list(sess._plans.values())[-1]
    return [line.split("  # ")[1].split(" ")[0] for line in plan.source.splitlines()[1:-1]]


def _mlp(acts, widths, batch, dtype, bias_add, optimizer, seed):
    rng = np.random.RandomState(seed)
    x = tf.placeholder(dtype, [None, widths[0]], name="x")
    y = tf.placeholder(tf.int32, [None], name="y")
    h = x
    for i, (a, b) in enumerate(zip(widths, widths[1:])):
        w = tf.Variable((rng.randn(a, b) / np.sqrt(a)).astype(dtype.as_numpy_dtype), name=f"w{i}")
        bias = tf.Variable((rng.randn(b) * 0.1).astype(dtype.as_numpy_dtype), name=f"b{i}")
        z = tf.matmul(h, w)
        z = tf.nn.bias_add(z, bias) if bias_add else z + bias
        act = acts[i] if i < len(widths) - 2 else "linear"
        h = {"relu": tf.nn.relu, "tanh": tf.tanh, "sigmoid": tf.sigmoid,
             "linear": lambda t: t}[act](z)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=h))
    opt = {"sgd": tf.train.GradientDescentOptimizer(0.3),
           "momentum": tf.train.MomentumOptimizer(0.2, 0.9),
           "adam": tf.train.AdamOptimizer(0.05)}[optimizer]
    train = opt.minimize(loss)
    feed = {x: rng.randn(batch, widths[0]).astype(dtype.as_numpy_dtype),
            y: rng.randint(0, widths[-1], batch).astype(np.int32)}
    return loss, train, feed


def _trained(enabled, kernels, *args, steps=3):
    with fusing(enabled, kernels), tf.Graph().as_default():
        loss, train, feed = _mlp(*args)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [sess.run([loss, train], feed)[0] for _ in range(steps)]
            kinds = _plan_kinds(sess)
            weights = sess.run(tf.trainable_variables())
    return losses, weights, kinds


def test_an_mlp_step_becomes_five_fused_calls_and_two_updates():
    _, _, kinds = _trained(True, None, ["tanh"], [8, 16, 2], 8, tf.float32, False, "sgd", 0)
    # the last plan run is [loss, train]: the loss is fetched, so the cross-entropy keeps it;
    # the first layer's SGD steps are folded into its backward pass (it has no dx)
    assert [k for k in kinds if k != "VariableV2"] == [
        "DenseForward", "DenseForward", "SparseXentMean", "Mean", "DenseBackward",
        "DenseBackwardSGD"] + ["ApplyGradientDescent"] * 2
    _, _, kinds = _trained(True, None, ["tanh"], [8, 16, 2], 8, tf.float32, False, "adam", 0)
    assert "DenseBackwardSGD" not in kinds and kinds.count("ApplyAdam") == 4


@pytest.mark.parametrize("kernels", TWINS, ids=lambda m: m.__name__)
@settings(max_examples=25, deadline=None)
@given(depth=st.integers(1, 3), width=st.integers(1, 12), batch=st.integers(1, 9),
       acts=st.lists(st.sampled_from(["relu", "tanh", "sigmoid", "linear"]), min_size=2,
                     max_size=2),
       dtype=st.sampled_from([tf.float32, tf.float64]), bias_add=st.booleans(),
       optimizer=st.sampled_from(["sgd", "momentum", "adam"]), seed=st.integers(0, 99))
def test_fused_and_unfused_plans_train_to_equal_values(kernels, depth, width, batch, acts, dtype,
                                                       bias_add, optimizer, seed):
    widths = [3] + [width] * (depth - 1) + [4]
    args = (acts, widths, batch, dtype, bias_add, optimizer, seed)
    plain_losses, plain_weights, plain_kinds = _trained(False, None, *args)
    losses, weights, kinds = _trained(True, kernels, *args)
    assert "DenseForward" in kinds and "SparseXentMean" in kinds
    assert not any(k.startswith("Dense") for k in plain_kinds)
    tolerance = 2e-5 if dtype == tf.float32 else 1e-12
    np.testing.assert_allclose(losses, plain_losses, rtol=tolerance, atol=tolerance)
    for w, plain in zip(weights, plain_weights):
        np.testing.assert_allclose(w, plain, rtol=tolerance, atol=tolerance)


def test_a_value_used_elsewhere_is_not_fused_away():
    with tf.Graph().as_default():
        x = tf.constant(np.arange(6.0, dtype=np.float32).reshape(2, 3))
        w = tf.Variable(np.ones((3, 2), np.float32))
        mm = tf.matmul(x, w)
        z = mm + tf.constant([1.0, -1.0])
        out = tf.tanh(z)
        with tf.Session() as sess:
            sess.run(w.initializer)
            got_mm, got_out = sess.run([mm, out])  # the matmul is fetched: no fusion of it
            assert "DenseForward" not in _plan_kinds(sess)
            got_z, got_out2 = sess.run([z, out])  # z fetched: matmul + add fuse, tanh apart
            assert _plan_kinds(sess).count("DenseForward") == 1
            assert sess.run(out, {z: np.zeros((2, 2), np.float32)}).tolist() == [[0, 0], [0, 0]]
    np.testing.assert_allclose(got_mm, [[3, 3], [12, 12]])
    np.testing.assert_allclose(got_z, [[4, 2], [13, 11]])
    np.testing.assert_allclose(got_out, np.tanh([[4, 2], [13, 11]]), rtol=1e-6)
    np.testing.assert_array_equal(got_out, got_out2)


def test_an_update_between_a_variables_reads_keeps_its_place():
    with tf.Graph().as_default():
        x = tf.constant([[1.0, 2.0]])
        w = tf.Variable([[1.0], [1.0]])
        before = tf.matmul(x, w) + tf.constant([0.0])
        with tf.control_dependencies([before]):
            bump = tf.assign_add(w, [[1.0], [1.0]])
        with tf.control_dependencies([bump]):
            after = tf.matmul(x, w.read_value()) + tf.constant([0.0])  # (TF1's: 3 then 6)
            ref = tf.matmul(x, tf.identity(w._ref())) + tf.constant([0.0])
        with tf.Session() as sess:
            for second in (after, ref):
                sess.run(w.initializer)
                assert sess.run([before, second]) == [[[3.0]], [[6.0]]]
            assert _plan_kinds(sess).count("DenseForward") == 2


def test_bad_labels_raise_tfs_error_from_the_fused_step():
    with tf.Graph().as_default():
        loss, train, feed = _mlp(["tanh"], [3, 4], 2, tf.float32, False, "sgd", 0)
        y = tf.get_default_graph().get_tensor_by_name("y:0")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train, feed)
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"label value of 7 which is outside the valid range of "
                                     r"\[0, 4\)"):
                sess.run(train, {**feed, y: [0, 7]})


def test_the_switch_turns_fusion_off():
    with fusing(False):
        _, _, kinds = _trained(False, None, ["relu"], [3, 5, 2], 4, tf.float32, True, "sgd", 1)
    assert "MatMul" in kinds and "DenseForward" not in kinds


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_updates_the_fused_kernels_refuse_run_as_before(dtype):
    # a scalar (its gradient a NumPy scalar) and a float16 variable: the plain update, each step
    with tf.Graph().as_default():
        s = tf.Variable(dtype(1.0), name="s")
        v = tf.Variable(np.array([1.0, -2.0], dtype), name="v")
        loss = s * s + tf.reduce_sum(v * v)
        train = tf.train.MomentumOptimizer(0.1, 0.5).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train)
            got_s, got_v = sess.run([s, v])
    want_s, want_v, acc_s, acc_v = dtype(1.0), np.array([1.0, -2.0], dtype), 0, 0
    for _ in range(3):
        acc_s = acc_s * dtype(0.5) + 2 * want_s
        acc_v = acc_v * dtype(0.5) + 2 * want_v
        want_s, want_v = want_s - dtype(0.1) * acc_s, want_v - dtype(0.1) * acc_v
    np.testing.assert_allclose(got_s, want_s, rtol=1e-3)
    np.testing.assert_allclose(got_v, want_v, rtol=1e-3)


def test_kept_buffers_never_reach_the_caller_nor_another_thread():
    import threading

    with tf.Graph().as_default():
        loss, train, feed = _mlp(["tanh"], [3, 6, 4], 5, tf.float32, False, "sgd", 2)
        w0 = tf.trainable_variables()[0]
        grad = tf.gradients(loss, w0)[0]
        x = tf.get_default_graph().get_tensor_by_name("x:0")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(grad, feed)  # fetched: a fresh array, not a kept buffer
            kept = first.copy()
            second = sess.run(grad, {**feed, x: feed[x] * 2})
            np.testing.assert_array_equal(first, kept)
            assert not np.array_equal(first, second)
            # the step's buffers are per thread: four threads at once get the one answer
            want = sess.run(loss, feed)
            results, errors = [], []

            def work():
                try:
                    for _ in range(50):
                        results.append(sess.run(loss, feed))
                except Exception as exc:  # (reported below)
                    errors.append(exc)
            threads = [threading.Thread(target=work) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert errors == [] and all(r == want for r in results)


def test_a_folded_sgd_step_reads_and_fails_as_the_update_it_stands_for():
    results = {}
    for enabled in (False, True):
        with fusing(enabled), tf.Graph().as_default():
            loss, train, feed = _mlp(["relu"], [3, 5], 4, tf.float32, True, "sgd", 3)
            w = tf.trainable_variables()[0]
            with tf.Session() as sess:
                with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized"):
                    sess.run(train, feed)
                sess.run(tf.global_variables_initializer())
                got = [sess.run([train, w, loss], feed)[1:] for _ in range(3)]
                if enabled:
                    assert "DenseBackwardSGD" in _plan_kinds(sess)
        results[enabled] = got
    for (w0, l0), (w1, l1) in zip(results[False], results[True]):
        np.testing.assert_allclose(w1, w0, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(l1, l0, rtol=1e-6)


def _lstm_trained(enabled, kernels, made):
    with fusing(enabled, kernels), tf.Graph().as_default():
        tf.set_random_seed(3)
        rng = np.random.RandomState(3)
        x = tf.placeholder(tf.float32, [None, 4, 3])  # (batch unknown: the broadcast
        cell = tf.nn.rnn_cell.BasicLSTMCell(5)        # gradients sum to a dynamic shape)
        out, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        loss = tf.reduce_sum(tf.square(out[:, -1]))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        feed = {x: rng.randn(6, 4, 3).astype(np.float32)}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [sess.run([loss, train], feed)[0] for _ in range(3)]
            return losses, sess.run(tf.trainable_variables())


@pytest.mark.parametrize("kernels", TWINS, ids=lambda k: k.__name__.split(".")[1])
def test_an_lstm_gradient_loop_fuses_its_gate_gradients(kernels, monkeypatch):
    # inside the while loop's gradient: each gate's activation gradient is one ActGrad, and
    # each broadcast gradient of known-equal shapes is no Shape and SumToShape, with the
    # same values as the ops they stand for
    made = []

    class Recording(plan_fusion.Group):
        def __init__(self, kind, *args, **kwargs):
            made.append(kind)
            super().__init__(kind, *args, **kwargs)
    monkeypatch.setattr(plan_fusion, "Group", Recording)
    fused_losses, fused_weights = _lstm_trained(True, kernels, made)
    assert made.count("ActGrad") == 5 and made.count("SumToShapeOf") == 8
    losses, weights = _lstm_trained(False, kernels, made)
    np.testing.assert_array_equal(fused_losses, losses)
    for a, b in zip(fused_weights, weights):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kernels", TWINS, ids=lambda k: k.__name__.split(".")[1])
def test_an_activation_gradient_that_broadcasts_runs_its_ops(kernels):
    # g * (1 - y*y) with g of another shape than y: the fused kernel refuses it, the ops run
    with fusing(True, kernels), tf.Graph().as_default():
        g = tf.placeholder(tf.float32, [None])
        y = tf.placeholder(tf.float32, [2, 3])
        out = g * (1 - y * y)
        g_value, y_value = np.float32([1, 2, 3]), np.float32([[0.5, 0.1, 0.2], [0.3, 0.4, 0.9]])
        with tf.Session() as sess:
            got = sess.run(out, {g: g_value, y: y_value})
            np.testing.assert_array_equal(got, g_value * (1 - y_value * y_value))
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run(out, {g: g_value[:2], y: y_value})
