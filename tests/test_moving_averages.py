"""tf.train.ExponentialMovingAverage (issue 19): shadow variables' names, types and
collections, the num_updates decay rule, zero_debias for tensors, and TF 1's values."""
import numpy as np
import pytest

import minitf as tf


def _setup():
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.get_variable("w", initializer=tf.constant([3.0]), use_resource=True)
    x = tf.placeholder(tf.float32, [2])
    t = tf.identity(x * 2.0, name="t")
    step = tf.Variable(0, trainable=False, name="step")
    ema = tf.train.ExponentialMovingAverage(0.9, num_updates=step, zero_debias=True)
    return v, w, x, t, step, ema, ema.apply([v, w, t])


def test_shadow_variables_names_and_collections():
    v, w, _, t, _, ema, op = _setup()
    assert (op.name, op.type, ema.name) == ("ExponentialMovingAverage", "NoOp",
                                            "ExponentialMovingAverage")
    for var in (v, w, t):
        avg = ema.average(var)
        assert avg.name == var.name.replace(":0", "/ExponentialMovingAverage:0")
        assert ema.average_name(var) == avg.op.name
    assert ema.average(v).dtype.name == ema.average(t).dtype.name == "float32_ref"
    assert ema.average(w).dtype == tf.float32 and hasattr(ema.average(w), "handle")
    assert [x.name for x in tf.moving_average_variables()] == ["v:0", "w:0"]
    assert [x.name for x in tf.trainable_variables()] == ["v:0", "w:0"]
    assert [x.name for x in tf.global_variables()] == [
        "v:0", "w:0", "step:0", "v/ExponentialMovingAverage:0", "w/ExponentialMovingAverage:0",
        "t/ExponentialMovingAverage:0", "t/ExponentialMovingAverage/biased:0",
        "t/ExponentialMovingAverage/local_step:0"]
    assert ema.average_name(tf.Variable(1.0, name="z")) == "z/ExponentialMovingAverage"
    assert ema.average(tf.Variable(1.0)) is None


def test_variables_to_restore():
    _setup()
    ema = tf.train.ExponentialMovingAverage(0.5, name="ExponentialMovingAverage")
    restore = {k: x.name for k, x in ema.variables_to_restore().items()}
    assert restore == {
        "step": "step:0", "t/ExponentialMovingAverage": "t/ExponentialMovingAverage:0",
        "t/ExponentialMovingAverage/biased": "t/ExponentialMovingAverage/biased:0",
        "t/ExponentialMovingAverage/local_step": "t/ExponentialMovingAverage/local_step:0",
        "v/ExponentialMovingAverage": "v:0", "w/ExponentialMovingAverage": "w:0"}


def test_values_over_steps_match_tf():
    v, w, x, t, step, ema, op = _setup()
    upd, inc = tf.assign_add(v, [1.0, -1.0]), tf.assign_add(step, 1)
    expected = [  # TF 1: num_updates decay rule; t's average debiased from zero
        [[1.8181818, 1.1818182], [3.0], [0.0, 2.0]],
        [[2.7045455, 0.29545456], [3.0], [1.6, 3.6363637]],
        [[3.6013987, -0.6013986], [3.0], [3.3277073, 5.358906]],
        [[4.5004997, -1.5004995], [3.0], [5.0938625, 7.1167836]],
        [[5.4002, -2.4002], [3.0], [6.8747935, 8.891448]],
    ]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i, want in enumerate(expected):
            sess.run(upd)
            sess.run(inc)
            sess.run(op, {x: [float(i), 1.0 + i]})
            got = sess.run([ema.average(v), ema.average(w), ema.average(t)])
            for g, e in zip(got, want):
                np.testing.assert_allclose(g, e, rtol=1e-6)


def test_plain_decay_and_default_var_list():
    v = tf.Variable([1.0], name="v")
    ema = tf.train.ExponentialMovingAverage(0.5, name="avg")
    op = ema.apply()  # the trainable variables
    assert ema.average(v).name == "v/avg:0" and op.name == "avg"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(v.assign([3.0]))
        sess.run(op)
        np.testing.assert_allclose(sess.run(ema.average(v)), [2.0])
        sess.run(op)
        np.testing.assert_allclose(sess.run(ema.average(v)), [2.5])


def test_errors_and_reapply():
    v = tf.Variable([1.0], name="v")
    ema = tf.train.ExponentialMovingAverage(0.9)
    ema.apply([v])
    shadow = ema.average(v)
    ema.apply([v])  # TF keeps the shadow variable
    assert ema.average(v) is shadow
    with pytest.raises(TypeError, match="The variables must be half, float, or double: iv:0"):
        ema.apply([tf.Variable(1, name="iv")])


def test_shadow_starts_at_the_variables_current_value():
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.get_variable("w", initializer=tf.constant([3.0]), use_resource=True)
    ema = tf.train.ExponentialMovingAverage(0.9)
    with tf.Session() as sess:  # (as TF: the shadow copies an initialized variable's value)
        sess.run([v.initializer, w.initializer])
        sess.run([v.assign([5.0, 6.0]), w.assign([7.0])])
        op = ema.apply([v, w])
        sess.run([ema.average(v).initializer, ema.average(w).initializer])
        sess.run(op)
        got = sess.run([ema.average(v), ema.average(w)])
    np.testing.assert_array_equal(got[0], [5.0, 6.0])
    np.testing.assert_array_equal(got[1], [7.0])


def test_variables_to_restore_loads_averages_through_a_saver(tmp_path):
    v = tf.Variable([1.0], name="v")
    ema = tf.train.ExponentialMovingAverage(0.5)
    op = ema.apply([v])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(v.assign([5.0]))
        sess.run(op)  # average 3
        path = tf.train.Saver().save(sess, str(tmp_path / "model"))
    with tf.Graph().as_default():
        v = tf.Variable([0.0], name="v")
        restore = tf.train.ExponentialMovingAverage(0.5).variables_to_restore()
        assert restore == {"v/ExponentialMovingAverage": v}
        with tf.Session() as sess:
            tf.train.Saver(restore).restore(sess, path)
            np.testing.assert_array_equal(sess.run(v), [3.0])
