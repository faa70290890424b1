"""tf.train's learning-rate schedules (issue 19): names, dtypes and values at chosen steps as
TF 1 gives them (values from TF 1 graph mode, steps set by assigning the global step)."""
import numpy as np
import pytest

import minitf as tf

STEPS = [0, 1, 5, 10, 99, 100, 1000]


def _schedules():
    gs = tf.train.get_or_create_global_step()
    return gs, [
        tf.train.exponential_decay(0.1, gs, 10, 0.5, staircase=True),
        tf.train.exponential_decay(0.1, gs, 10, 0.5),
        tf.train.piecewise_constant(gs, [5, 100], [1.0, 0.5, 0.1]),
        tf.train.piecewise_constant(gs, [5, 10, 100], [3, 2, 1, 0]),
        tf.train.polynomial_decay(0.1, gs, 100, 0.01, power=2.0),
        tf.train.polynomial_decay(0.1, gs, 100),
        tf.train.polynomial_decay(0.1, gs, 30, 0.01, power=0.5, cycle=True),
        tf.train.natural_exp_decay(0.1, gs, 10, 0.5, staircase=True),
        tf.train.natural_exp_decay(0.1, gs, 10, 0.5),
        tf.train.inverse_time_decay(0.1, gs, 10, 0.5),
        tf.train.inverse_time_decay(0.1, gs, 10, 0.5, staircase=True),
        tf.train.cosine_decay(0.1, gs, 100, alpha=0.1),
        tf.train.cosine_decay_restarts(0.1, gs, 10, t_mul=2.0, m_mul=0.5, alpha=0.1),
        tf.train.cosine_decay_restarts(0.1, gs, 10, t_mul=1.0, m_mul=0.9),
        tf.train.linear_cosine_decay(0.1, gs, 100),
        tf.train.linear_cosine_decay(0.1, gs, 100, num_periods=2.0, alpha=0.1, beta=0.01),
        tf.train.exponential_decay(np.float64(0.1), gs, 7, 0.9),
    ]


NAMES = ["ExponentialDecay:0", "ExponentialDecay_1:0", "PiecewiseConstant/case/cond/Merge:0",
         "PiecewiseConstant_1/case/cond/Merge:0", "PolynomialDecay:0", "PolynomialDecay_1:0",
         "PolynomialDecay_2:0", "ExponentialDecay_2:0", "ExponentialDecay_3:0",
         "InverseTimeDecay:0", "InverseTimeDecay_1:0", "CosineDecay/Mul_3:0", "SGDRDecay:0",
         "SGDRDecay_1:0", "LinearCosineDecay:0", "LinearCosineDecay_1:0", "ExponentialDecay_4:0"]

# TF 1's values: one row per step in STEPS, one column per schedule.
EXPECTED = [
    [0.1, 0.1, 1.0, 3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1001, 0.111, 0.1],
    [0.1, 0.0933033, 1.0, 3, 0.098209, 0.099001005, 0.09848729, 0.1, 0.09512295, 0.095238104,
     0.1, 0.09997779, 0.09779754, 0.09755283, 0.09907556, 0.10957024, 0.09850612017132283],
    [0.1, 0.07071068, 1.0, 3, 0.091225, 0.095005, 0.092158385, 0.1, 0.07788008, 0.08, 0.1,
     0.09944598, 0.054999996, 0.049999997, 0.0945152, 0.09597339, 0.09275045952120738],
    [0.05, 0.05, 0.5, 2, 0.082899995, 0.09001, 0.08348469, 0.060653068, 0.060653068,
     0.06666667, 0.06666667, 0.09779754, 0.055000003, 0.089999996, 0.08789754, 0.06645086,
     0.0860264774139513],
    [0.0001953125, 0.00010466534, 0.5, 1, 0.010009, 0.001099005, 0.047649704, 0.0011108997,
     0.0007083408, 0.016806722, 0.018181818, 0.010022206, 0.01797996, 0.00094807433,
     0.00010024674, 0.01195663, 0.02253503230938352],
    [9.765625e-05, 9.765625e-05, 0.5, 1, 0.01, 1e-04, 0.04674235, 0.0006737948, 0.0006737948,
     0.016666668, 0.016666668, 0.010000001, 0.017777596, 0.034867834, 0.000100000005, 0.011,
     0.022198386007327757],
    [7.888609e-32, 7.888609e-32, 0.1, 0, 0.01, 1e-04, 0.02260252, 1.928752e-23, 1.928752e-23,
     0.0019607844, 0.0019607844, 0.010000001, 0.0105322795, 2.656133e-06, 0.000100000005,
     0.011, 2.9054539109159713e-08],
]


def test_schedule_names_dtypes_shapes():
    _, lrs = _schedules()
    assert [t.name for t in lrs] == NAMES
    assert [t.dtype for t in lrs] == [tf.float32] * 3 + [tf.int32] + [tf.float32] * 12 + [
        tf.float64]
    assert all(t.shape.as_list() == [] for t in lrs)
    assert [t.op.type for t in lrs[:2] + lrs[4:]] == ["Mul"] * 2 + ["AddV2"] * 3 + [
        "Mul"] * 2 + ["RealDiv"] * 2 + ["Mul"] * 6


def test_schedule_values_at_steps():
    gs, lrs = _schedules()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step, expected in zip(STEPS, EXPECTED):
            sess.run(gs.assign(step))
            got = sess.run(lrs)
            # (float32 pow/cos may differ from TF's Eigen kernels in the last place)
            np.testing.assert_allclose(got, expected, rtol=2e-5, err_msg=f"step {step}")
            assert got[3] == expected[3] and isinstance(got[3], np.int32)


def test_names_and_dtype_follow_arguments():
    gs = tf.train.get_or_create_global_step()
    assert tf.train.exponential_decay(0.1, gs, 10, 0.5, name="lr").name == "lr:0"
    assert tf.train.piecewise_constant(gs, [5, 6], [1.0, 2.0, 3.0], name="pc").name == (
        "pc/case/cond/Merge:0")
    lr = tf.train.exponential_decay(tf.constant(1, tf.float64), gs, 10, 0.5)
    assert lr.dtype == tf.float64
    x32 = tf.placeholder(tf.int32, [])
    assert tf.train.piecewise_constant(x32, [5, 6], [1.0, 2.0, 3.0]).dtype == tf.float32
    assert tf.train.piecewise_constant(gs, [5], ["a", "b"]).dtype == tf.string


def test_noisy_linear_cosine_decay_is_noisy_around_linear_cosine():
    tf.set_random_seed(1)
    gs = tf.train.get_or_create_global_step()
    noisy = tf.train.noisy_linear_cosine_decay(0.1, gs, 100, initial_variance=0.0)
    plain = tf.train.linear_cosine_decay(0.1, gs, 100)
    assert noisy.name == "NoisyLinearCosineDecay:0" and noisy.op.type == "Mul"
    assert "NoisyLinearCosineDecay/random_normal/RandomStandardNormal" in [
        op.name for op in tf.get_default_graph().get_operations()]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(gs.assign(5))
        a, b = sess.run([noisy, plain])  # no variance: no noise
        np.testing.assert_allclose(a, b, rtol=1e-6)
    varied = tf.train.noisy_linear_cosine_decay(0.1, gs, 100)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        draws = [sess.run(varied) for _ in range(3)]
    assert len(set(draws)) == 3


def test_errors():
    gs = tf.train.get_or_create_global_step()
    for fn in [tf.train.exponential_decay, tf.train.natural_exp_decay,
               tf.train.inverse_time_decay]:
        with pytest.raises(ValueError, match="None values not supported"):
            fn(0.1, None, 10, 0.5)
    for fn in [tf.train.polynomial_decay, tf.train.cosine_decay, tf.train.linear_cosine_decay,
               tf.train.noisy_linear_cosine_decay, tf.train.cosine_decay_restarts]:
        with pytest.raises(ValueError, match="None values not supported"):
            fn(0.1, None, 10)
    with pytest.raises(ValueError, match="boundaries should be 1 less than the length of values"):
        tf.train.piecewise_constant(gs, [5], [1.0])
    with pytest.raises(ValueError, match=r"Values must have elements all with the same dtype "
                                         r"\(<dtype: 'int32'> vs <dtype: 'float32'>\)"):
        tf.train.piecewise_constant(gs, [5], [1, 2.0])
    with pytest.raises(ValueError, match=r"Boundaries \(<dtype: 'float32'>\) must have the "
                                         r"same dtype as x \(<dtype: 'int64'>\)"):
        tf.train.piecewise_constant(gs, [5.0], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"Boundaries \(<dtype: 'int32'>\) must have the "
                                         r"same dtype as x \(<dtype: 'float32'>\)"):
        tf.train.piecewise_constant(tf.placeholder(tf.float32, []), [5, 6], [1.0, 2.0, 3.0])


def test_noisy_linear_cosine_decay_seeded_values_match_tf():
    tf.set_random_seed(3)  # the noise is TF's Philox stream: the same draws as TF's
    gs = tf.train.get_or_create_global_step()
    lrs = [tf.train.noisy_linear_cosine_decay(0.1, gs, 100),
           tf.train.noisy_linear_cosine_decay(0.1, gs, 100, initial_variance=0.5,
                                              variance_decay=0.3, num_periods=1.0, alpha=0.1,
                                              beta=0.01)]
    expected = [[-0.0863718, 0.10933576], [0.06412715, 0.055289663], [0.06948106, 0.061966427],
                [0.088316016, 0.1147303], [9.8407734e-05, 0.0035434382],
                [0.000100000005, 0.053861957], [0.000100000005, 0.036231123]]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step, want in zip(STEPS, expected):
            sess.run(gs.assign(step))
            np.testing.assert_allclose(sess.run(lrs), want, rtol=1e-5, err_msg=f"step {step}")


def test_cosine_decay_restarts_takes_tensor_t_mul():
    gs = tf.train.get_or_create_global_step()
    t_mul = tf.placeholder(tf.float32, [])
    lr = tf.train.cosine_decay_restarts(0.1, gs, 10, t_mul=t_mul, m_mul=0.9)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(gs.assign(5))
        np.testing.assert_allclose(sess.run(lr, {t_mul: 1.0}), 0.049999997, rtol=1e-6)
        sess.run(gs.assign(10))
        np.testing.assert_allclose(sess.run(lr, {t_mul: 1.0}), 0.09, rtol=1e-6)
        np.testing.assert_allclose(sess.run(lr, {t_mul: 2.0}), 0.09, rtol=1e-6)
        sess.run(gs.assign(25))  # (values from TF)
        np.testing.assert_allclose(sess.run(lr, {t_mul: 1.0}), 0.040499996, rtol=1e-6)
        np.testing.assert_allclose(sess.run(lr, {t_mul: 2.0}), 0.013180195, rtol=1e-6)
