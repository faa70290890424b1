"""RMSProp (plain and centered), Adadelta and FTRL (ApplyFtrl, ApplyFtrlV2): values equal to
TF1's for several steps (literals from TF 2.21's tf.compat.v1 graph mode), dense and sparse
(a gather with a repeated id), ref and resource variables, graph and eager; slot names, op
types, constraints, FTRL's l1 zeroing and argument errors."""
import numpy as np
import pytest

import minitf as tf

W0 = np.array([[0.5, -0.5], [1.0, 2.0]], np.float32)
E0 = np.linspace(-1, 1, 8).reshape(4, 2).astype(np.float32)
IDS = [1, 3, 1]  # rows 1 and 3 get gradients (row 1 twice); rows 0 and 2 never move

CONFIGS = {
    "rmsprop": lambda: tf.train.RMSPropOptimizer(0.05, decay=0.8, momentum=0.5, epsilon=1e-3),
    "centered": lambda: tf.train.RMSPropOptimizer(0.05, decay=0.8, momentum=0.5, epsilon=1e-3,
                                                  centered=True),
    "adadelta": lambda: tf.train.AdadeltaOptimizer(2.0, rho=0.9, epsilon=1e-4),
    "ftrl": lambda: tf.train.FtrlOptimizer(0.3, l1_regularization_strength=0.05,
                                           l2_regularization_strength=0.1),
    "ftrl_power": lambda: tf.train.FtrlOptimizer(0.3, learning_rate_power=-1.0,
                                                 initial_accumulator_value=0.5,
                                                 l1_regularization_strength=0.2),
    "ftrl_v2": lambda: tf.train.FtrlOptimizer(0.3, learning_rate_power=-0.25,
                                              l1_regularization_strength=0.05,
                                              l2_regularization_strength=0.1,
                                              l2_shrinkage_regularization_strength=0.2, beta=0.5),
}
# TF's w after steps 1 and 3, each followed by rows 1 and 3 of e
EXPECTED = {
    "rmsprop": (
        [[0.513859, -0.539235], [0.906992, 1.896202]],
        [[-0.500642, -0.032887], [0.784738, 0.894048]],
        [[0.567572, -0.694707], [0.683851, 1.65192]],
        [[-0.554216, 0.249405], [1.028545, 0.643162]],
    ),
    "centered": (
        [[0.51388, -0.539728], [0.899799, 1.885903]],
        [[-0.503837, -0.020404], [0.787714, 0.883024]],
        [[0.568081, -0.707337], [0.641856, 1.595046]],
        [[-0.554214, 0.327702], [1.073708, 0.586038]],
    ),
    "adadelta": (
        [[0.562746, -0.563189], [0.936758, 1.936756]],
        [[-0.491806, -0.079612], [0.777519, 0.936755]],
        [[0.707172, -0.717223], [0.819656, 1.816843]],
        [[-0.523649, 0.056452], [0.929703, 0.812317]],
    ),
    "ftrl": (
        [[0.223364, -0.525043], [0.58031, 1.552769]],
        [[-0.614291, 0.158907], [0.83297, 0.638302]],
        [[-0.117634, -0.963587], [0.422558, 1.363848]],
        [[-0.600907, 0.467553], [1.286735, 0.526453]],
    ),
    "ftrl_power": (
        [[0.082222, -0.42], [0.846316, 1.899608]],
        [[-0.497861, -0.114388], [0.736623, 0.93455]],
        [[-0.148829, -0.662536], [0.768269, 1.850123]],
        [[-0.517082, -0.091602], [0.88071, 0.892695]],
    ),
    "ftrl_v2": (
        [[0.030366, -0.218797], [0.060736, 0.570674]],
        [[-0.406539, 0.746508], [0.489428, -0.003468]],
        [[-0.358116, -0.243847], [0.051951, 0.58739]],
        [[-0.332087, 0.838243], [0.227652, 0.515173]],
    ),
}
OP_TYPES = {"rmsprop": "RMSProp", "centered": "CenteredRMSProp", "adadelta": "Adadelta",
            "ftrl": "Ftrl", "ftrl_power": "Ftrl", "ftrl_v2": "FtrlV2"}


def _loss(w, e):
    x = tf.gather(e, IDS)
    return (tf.reduce_sum(tf.sin(3 * x) * [[1.0, -2.0]])
            + tf.reduce_sum(tf.square(w - np.eye(2, dtype=np.float32)) * w))


def _check(name, step, w, e):
    w_expected, rows_expected = EXPECTED[name][2 * (step > 1):][:2]
    np.testing.assert_allclose(w, w_expected, atol=2e-6)
    np.testing.assert_allclose(e[1::2], rows_expected, atol=2e-6)
    np.testing.assert_array_equal(e[0::2], E0[0::2])  # (no gradient, no change)


@pytest.mark.parametrize("use_resource", [False, True])
@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_steps_equal_tf_dense_and_sparse(name, use_resource):
    w = tf.get_variable("w", initializer=W0, use_resource=use_resource)
    e = tf.get_variable("e", initializer=E0, use_resource=use_resource)
    train = CONFIGS[name]().minimize(_loss(w, e))
    prefix = "Resource" if use_resource else ""
    types = sorted(op.type for op in tf.get_default_graph().get_operations()
                   if "Apply" in op.type)
    assert types == sorted([f"{prefix}Apply{OP_TYPES[name]}",
                            f"{prefix}SparseApply{OP_TYPES[name]}"])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in (1, 2, 3):
            sess.run(train)
            if step != 2:
                _check(name, step, *sess.run([w, e]))


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_eager_steps_equal_tf(name):
    with tf.eager_mode():
        w = tf.get_variable("w", initializer=W0)
        e = tf.get_variable("e", initializer=E0)
        opt = CONFIGS[name]()
        for step in (1, 2, 3):
            assert opt.minimize(lambda: _loss(w, e)) is None
            if step != 2:
                _check(name, step, w.numpy(), e.numpy())


@pytest.mark.parametrize("centered, names", [
    (False, {"rms": "w/RMSProp:0", "momentum": "w/RMSProp_1:0"}),
    (True, {"rms": "w/RMSProp:0", "mg": "w/RMSProp_1:0", "momentum": "w/RMSProp_2:0"})])
def test_rmsprop_slots_and_names(centered, names):
    w = tf.get_variable("w", initializer=W0)
    opt = tf.train.RMSPropOptimizer(0.1, centered=centered)
    train = opt.minimize(tf.reduce_sum(w), name="step")
    assert opt.get_name() == "RMSProp" and train.name == "step"
    assert opt.get_slot_names() == sorted(names)
    assert {n: opt.get_slot(w, n).name for n in names} == names
    update = tf.get_default_graph().get_operation_by_name(
        "step/update_w/" + ("ApplyCenteredRMSProp" if centered else "ApplyRMSProp"))
    assert update.type == ("ApplyCenteredRMSProp" if centered else "ApplyRMSProp")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(opt.get_slot(w, "rms")), np.ones((2, 2)))  # TF1
        np.testing.assert_array_equal(sess.run(opt.get_slot(w, "momentum")), np.zeros((2, 2)))


def test_adadelta_and_ftrl_slot_names():
    w = tf.get_variable("w", initializer=W0)
    adadelta = tf.train.AdadeltaOptimizer()
    adadelta.minimize(tf.reduce_sum(w))
    assert adadelta.get_name() == "Adadelta" and adadelta.get_slot_names() == [
        "accum", "accum_update"]
    assert [v.op.name for v in adadelta.variables()] == ["w/Adadelta", "w/Adadelta_1"]
    ftrl = tf.train.FtrlOptimizer(0.1, initial_accumulator_value=0.25)
    ftrl.minimize(tf.reduce_sum(w))
    assert [ftrl.get_slot(w, n).name for n in ftrl.get_slot_names()] == [
        "w/Ftrl:0", "w/Ftrl_1:0"]
    named = tf.train.FtrlOptimizer(0.1, accum_name="acc", linear_name="lin")
    named.minimize(tf.reduce_sum(w))
    assert sorted(v.op.name for v in named.variables()) == ["w/acc", "w/lin"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(ftrl.get_slot(w, "accum")), np.full((2, 2), 0.25))


@pytest.mark.parametrize("use_resource", [False, True])
def test_constraint_applies_after_each_centered_rmsprop_step(use_resource):
    w = tf.get_variable("w", initializer=W0, use_resource=use_resource,
                        constraint=lambda t: tf.clip_by_value(t, -0.6, 0.6))
    loss = tf.reduce_sum(tf.square(w - np.eye(2, dtype=np.float32)) * w)
    train = tf.train.RMSPropOptimizer(0.05, momentum=0.5, centered=True).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        np.testing.assert_allclose(sess.run(w), [[0.561018, -0.6], [0.418647, 0.517195]],
                                   atol=2e-6)


def test_ftrl_l1_sets_weights_with_small_linear_to_exact_zero():
    w = tf.Variable([1.0, -3.0])
    opt = tf.train.FtrlOptimizer(0.5, l1_regularization_strength=1.0)
    train = opt.minimize(tf.reduce_sum(w * [0.1, -4.0]))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        got = sess.run([w, opt.get_slot(w, "linear"), opt.get_slot(w, "accum")])
    assert got[0][0] == 0.0  # |linear| <= l1
    np.testing.assert_allclose(got[0][1], -2.140511, rtol=1e-6)
    np.testing.assert_allclose(got[1], [0.069131, 18.177519], rtol=1e-5)
    np.testing.assert_allclose(got[2], [0.11, 16.1], rtol=1e-6)


def test_float64_adadelta_with_locking():
    w = tf.Variable([1.0, -3.0], dtype=tf.float64)
    opt = tf.train.AdadeltaOptimizer(1.0, rho=0.5, epsilon=0.01, use_locking=True)
    train = opt.minimize(tf.reduce_sum(w * w))
    assert str(opt.get_slot(w, "accum").dtype) == "<dtype: 'float64_ref'>"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        sess.run(train)
        np.testing.assert_allclose(sess.run(w), [0.7050256621648288, -2.698063308648483],
                                   rtol=1e-12)
        np.testing.assert_allclose(sess.run(opt.get_slot(w, "accum_update")),
                                   [0.01681853205919678, 0.01788611409261492], rtol=1e-12)


def test_rmsprop_learning_rate_may_be_fed_and_the_variable_float64():
    with tf.variable_scope("net"):
        w = tf.get_variable("w", initializer=tf.constant([[1.0, 2.0]], tf.float64))
    lr = tf.placeholder(tf.float32, [])
    train = tf.train.RMSPropOptimizer(lr, centered=True, momentum=0.3).minimize(
        tf.reduce_sum(w * w))
    expected = [[0.8218258397856928, 1.7385118316439858],
                [0.4824207490312952, 1.255741641854551],
                [0.11897663337016312, 0.6726196416136696]]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i, want in enumerate(expected):
            sess.run(train, {lr: 0.1 * (i + 1)})
            np.testing.assert_allclose(sess.run(w), [want], rtol=1e-12)


@pytest.mark.parametrize("kwargs, message", [
    (dict(initial_accumulator_value=-0.1),
     "initial_accumulator_value -0.100000 needs to be positive or zero"),
    (dict(learning_rate_power=0.5), "learning_rate_power 0.500000 needs to be negative or zero"),
    (dict(l1_regularization_strength=-1.0),
     "l1_regularization_strength -1.000000 needs to be positive or zero"),
    (dict(l2_regularization_strength=-2),
     "l2_regularization_strength -2.000000 needs to be positive or zero"),
    (dict(l2_shrinkage_regularization_strength=-0.5),
     "l2_shrinkage_regularization_strength -0.500000 needs to be positive or zero")])
def test_ftrl_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tf.train.FtrlOptimizer(0.1, **kwargs)
