"""tf.contrib.opt (TF 1.15): decoupled weight decay (AdamW, MomentumW, the extension), LazyAdam,
AddSign and PowerSign, checked against NumPy transcriptions of TF's formulas over several
steps, dense and sparse (an embedding gradient with a duplicate index), ref and resource."""
import numpy as np
import pytest

import minitf as tf
from minitf.contrib import opt as contrib_opt

EMB0 = np.array([[1.0, 2.0], [3.0, -4.0], [5.0, 6.0]], np.float32)
W0 = np.array([1.0, -2.0], np.float32)
ROWS, ROW_WEIGHTS = [0, 0, 2], np.array([1.0, -0.5], np.float32)
STEPS = 3


def _grads(w):
    """The gradients of the loss `_build` makes: dense 2w; sparse rows 0 (twice) and 2."""
    g_emb = np.zeros_like(EMB0)
    for r in ROWS:
        g_emb[r] += ROW_WEIGHTS
    return 2 * w, g_emb


def _build(make, use_resource, **apply_kwargs):
    emb = tf.Variable(EMB0, use_resource=use_resource, name="emb")
    w = tf.Variable(W0, use_resource=use_resource, name="w")
    loss = (tf.reduce_sum(tf.gather(emb, ROWS) * ROW_WEIGHTS) + tf.reduce_sum(w * w))
    optimizer = make()
    grads = optimizer.compute_gradients(loss, [emb, w])
    assert isinstance(grads[0][0], tf.IndexedSlices)
    return emb, w, optimizer, optimizer.apply_gradients(grads, **apply_kwargs)


def _run(make, use_resource, steps=STEPS, **apply_kwargs):
    emb, w, optimizer, train = _build(make, use_resource, **apply_kwargs)
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(train)
            out.append(sess.run([emb, w]))
    return out


def _reference(step):
    """[(emb, w)] after each step: `step(var, grad, state, rows, t)` updates one variable."""
    emb, w = EMB0.copy(), W0.copy()
    states, out = [{}, {}], []
    for t in range(1, STEPS + 1):
        g_w, g_emb = _grads(w)
        emb = step(emb, g_emb, states[0], sorted(set(ROWS)), t)
        w = step(w, g_w, states[1], None, t)
        out.append((emb.copy(), w.copy()))
    return out


def _check(got, want):
    for (emb, w), (emb_want, w_want) in zip(got, want):
        np.testing.assert_allclose(emb, emb_want, rtol=2e-6, atol=1e-6)
        np.testing.assert_allclose(w, w_want, rtol=2e-6, atol=1e-6)


def _adam(var, g, s, lr=0.1, b1=0.9, b2=0.999, eps=1e-8, t=1):
    m = s["m"] = b1 * s.get("m", 0) + (1 - b1) * g
    v = s["v"] = b2 * s.get("v", 0) + (1 - b2) * g * g
    return var - lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t) * m / (np.sqrt(v) + eps)


def _decay(var, rows, wd):
    var = var.copy()
    where = slice(None) if rows is None else rows
    var[where] -= wd * var[where]
    return var


# -- AdamW -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("use_resource", [False, True])
def test_adamw_decays_then_takes_tf1_adam_step_dense_and_sparse(use_resource):
    def step(var, g, s, rows, t):  # TF1's sparse Adam moves every row: the dense update
        return _adam(_decay(var, rows, 0.05), g, s, lr=0.1, t=t)

    got = _run(lambda: contrib_opt.AdamWOptimizer(0.05, learning_rate=0.1), use_resource)
    _check(got, _reference(step))


def test_adamw_names_slots_and_powers_as_tf():
    emb, w, optimizer, _ = _build(lambda: contrib_opt.AdamWOptimizer(0.01), False)
    assert optimizer.get_name() == "AdamW"
    assert optimizer.get_slot_names() == ["m", "v"]
    assert optimizer.get_slot(w, "m").op.name == "w/AdamW"
    assert optimizer.get_slot(w, "v").op.name == "w/AdamW_1"
    assert sorted(v.op.name for v in optimizer.variables()) == [
        "beta1_power", "beta2_power", "emb/AdamW", "emb/AdamW_1", "w/AdamW", "w/AdamW_1"]


def test_adamw_decay_is_a_control_input_of_the_update():
    _, w, _, _ = _build(lambda: contrib_opt.AdamWOptimizer(0.01), False)
    graph = tf.get_default_graph()
    update = graph.get_operation_by_name("AdamW/update_w/ApplyAdam")
    assert [op.type for op in update.control_inputs] == ["AssignSub"]
    sparse = graph.get_operation_by_name("AdamW/update_emb/SparseApplyAdam")
    assert [op.type for op in sparse.control_inputs] == ["ScatterAdd"]
    assert graph.get_operation_by_name("AdamW/weight_decay").type == "Const"


@pytest.mark.parametrize("use_resource", [False, True])
def test_decay_var_list_in_apply_gradients_decays_only_those(use_resource):
    def step(var, g, s, rows, t):
        return _adam(var if rows is not None else _decay(var, None, 0.05), g, s, t=t)

    with tf.Graph().as_default():
        emb = tf.Variable(EMB0, use_resource=use_resource)
        w = tf.Variable(W0, use_resource=use_resource)
        loss = tf.reduce_sum(tf.gather(emb, ROWS) * ROW_WEIGHTS) + tf.reduce_sum(w * w)
        optimizer = contrib_opt.AdamWOptimizer(0.05, learning_rate=0.1)
        train = optimizer.apply_gradients(optimizer.compute_gradients(loss, [emb, w]),
                                          decay_var_list=[w])
        got = []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(STEPS):
                sess.run(train)
                got.append(sess.run([emb, w]))
    _check(got, _reference(step))


def test_minimize_decays_every_variable_whatever_decay_var_list_says_as_tf_1_15():
    # TF 1.15's minimize sets the list, then its apply_gradients call resets it
    w = tf.Variable([1.0])
    v = tf.Variable([1.0])
    optimizer = contrib_opt.MomentumWOptimizer(0.5, learning_rate=0.0, momentum=0.0)
    train = optimizer.minimize(tf.reduce_sum(w + v), decay_var_list=[w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        assert sess.run([w, v]) == [[0.5], [0.5]]


def test_weight_decay_may_be_a_function_or_a_tensor():
    for make_decay in (lambda: lambda: 0.5, lambda: tf.constant(0.5)):
        with tf.Graph().as_default():
            weight_decay = make_decay()
            w = tf.Variable([2.0])
            train = contrib_opt.MomentumWOptimizer(weight_decay, 0.0, 0.0).minimize(w[0])
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                sess.run(train)
                assert sess.run(w).tolist() == [1.0]


# -- MomentumW and the extension -------------------------------------------------------------------
@pytest.mark.parametrize("use_resource", [False, True])
@pytest.mark.parametrize("nesterov", [False, True])
def test_momentumw_values_dense_and_sparse(use_resource, nesterov):
    lr, mom, wd = 0.1, 0.9, 0.02

    def step(var, g, s, rows, t):
        var = _decay(var, rows, wd)
        where = slice(None) if rows is None else rows
        accum = s.setdefault("accum", np.zeros_like(var))
        accum[where] = mom * accum[where] + g[where]
        var[where] -= (lr * g[where] + lr * mom * accum[where]) if nesterov \
            else lr * accum[where]
        return var

    got = _run(lambda: contrib_opt.MomentumWOptimizer(wd, lr, mom, use_nesterov=nesterov),
               use_resource)
    _check(got, _reference(step))


def test_momentumw_names():
    _, w, optimizer, train = _build(lambda: contrib_opt.MomentumWOptimizer(0.1, 0.1, 0.9),
                                    False)
    assert optimizer.get_slot(w, "momentum").op.name == "w/MomentumW"
    assert train.name == "MomentumW"


def test_extend_with_decoupled_weight_decay_makes_adamw_from_adam():
    AdamW = contrib_opt.extend_with_decoupled_weight_decay(tf.train.AdamOptimizer)
    assert issubclass(AdamW, contrib_opt.DecoupledWeightDecayExtension)
    assert issubclass(AdamW, tf.train.AdamOptimizer)
    assert AdamW.__name__ == "OptimizerWithDecoupledWeightDecay"

    def step(var, g, s, rows, t):
        return _adam(_decay(var, rows, 0.05), g, s, lr=0.1, t=t)

    optimizer = []

    def make():
        optimizer.append(AdamW(weight_decay=0.05, learning_rate=0.1))
        return optimizer[-1]

    _check(_run(make, False), _reference(step))
    assert optimizer[0].get_name() == "Adam"


def test_extended_sgd_decays_then_steps():
    SGDW = contrib_opt.extend_with_decoupled_weight_decay(tf.train.GradientDescentOptimizer)
    w = tf.Variable([2.0, -4.0])
    train = SGDW(weight_decay=0.25, learning_rate=0.5).minimize(tf.reduce_sum(w))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)  # w * 0.75 - 0.5
        assert sess.run(w).tolist() == [1.0, -3.5]


# -- LazyAdam --------------------------------------------------------------------------------------
@pytest.mark.parametrize("use_resource", [False, True])
def test_lazy_adam_sparse_updates_only_rows_present(use_resource):
    def step(var, g, s, rows, t):
        if rows is None:
            return _adam(var, g, s, lr=0.1, t=t)
        var = var.copy()
        m = s.setdefault("m", np.zeros_like(var))
        v = s.setdefault("v", np.zeros_like(var))
        m[rows] = 0.9 * m[rows] + 0.1 * g[rows]
        v[rows] = 0.999 * v[rows] + 0.001 * g[rows] ** 2
        lr = 0.1 * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        var[rows] -= lr * m[rows] / (np.sqrt(v[rows]) + 1e-8)
        return var

    got = _run(lambda: contrib_opt.LazyAdamOptimizer(0.1), use_resource)
    _check(got, _reference(step))
    for emb, _ in got:
        assert emb[1].tolist() == EMB0[1].tolist()


def test_lazy_adam_leaves_the_moments_of_absent_rows_alone():
    emb, _, optimizer, train = _build(lambda: contrib_opt.LazyAdamOptimizer(0.1), False)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        sess.run(train)
        m = sess.run(optimizer.get_slot(emb, "m"))
        b1p, b2p = sess.run(optimizer._powers())
    g = _grads(W0)[1]
    np.testing.assert_allclose(m[[0, 2]], (0.9 * 0.1 + 0.1) * g[[0, 2]], rtol=1e-6)
    assert m[1].tolist() == [0.0, 0.0]
    np.testing.assert_allclose([b1p, b2p], [0.9 ** 3, 0.999 ** 3], rtol=1e-6)


def test_lazy_adam_names_as_adam():
    emb, _, optimizer, _ = _build(lambda: contrib_opt.LazyAdamOptimizer(), False)
    assert optimizer.get_name() == "Adam"
    assert optimizer.get_slot(emb, "v").op.name == "emb/Adam_1"
    types = {op.type for op in tf.get_default_graph().get_operations()
             if op.name.startswith("Adam/update_emb/")}
    assert {"ScatterUpdate", "ScatterSub"} <= types


# -- AddSign, PowerSign ----------------------------------------------------------------------------
def _sign_step(scale):
    def step(var, g, s, rows, t):
        var = var.copy()
        m = s["m"] = 0.9 * s.get("m", 0) + 0.1 * g  # (sparse: every row of m decays, as TF)
        where = slice(None) if rows is None else rows
        var[where] -= 0.1 * scale(np.sign(g[where]) * np.sign(m[where])) * g[where]
        return var
    return step


@pytest.mark.parametrize("use_resource", [False, True])
def test_addsign_values(use_resource):
    got = _run(lambda: contrib_opt.AddSignOptimizer(0.1, alpha=1.0, beta=0.9), use_resource)
    _check(got, _reference(_sign_step(lambda sgm: 1.0 + sgm)))


@pytest.mark.parametrize("use_resource", [False, True])
def test_powersign_values(use_resource):
    got = _run(lambda: contrib_opt.PowerSignOptimizer(0.1, base=np.e, beta=0.9), use_resource)
    _check(got, _reference(_sign_step(lambda sgm: np.exp(sgm))))


def test_sign_decay_fn_gets_the_global_step():
    seen = []

    def decay(step):
        seen.append(step)
        return 0.5

    step = tf.train.get_or_create_global_step()
    w = tf.Variable([1.0])
    optimizer = contrib_opt.AddSignOptimizer(0.1, sign_decay_fn=decay)
    train = optimizer.minimize(tf.reduce_sum(w), global_step=step)
    assert seen == [step]
    assert optimizer.get_slot(w, "m").op.name == "Variable/AddSignOptimizer"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)  # 1 - 0.1 * (1 + 0.5)
        np.testing.assert_allclose(sess.run(w), [0.85], rtol=1e-6)
        assert sess.run(step) == 1
