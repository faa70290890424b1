"""tf.function in a TF1 graph and tf.CriticalSection (issue 17): one call op per call
(`StatefulPartitionedCall`, or `PartitionedCall` for a body without stateful ops), a trace per
signature, stateful ops run in program order and all of them, gradients and second
derivatives through the call, eager mode. Values checked against TF with tfdiff."""
import threading

import numpy as np
import pytest

import minitf as tf


def test_calls_are_ops_and_traces_are_per_signature():
    v = tf.get_variable("v", [], initializer=tf.zeros_initializer(), use_resource=True)
    traces = []

    @tf.function
    def f(x, y=2.0):
        traces.append(1)
        v.assign_add(1.0)  # (not returned: runs all the same, before the read below)
        return x * y + v
    a = tf.constant(3.0)
    r, r2, r3 = f(a), f(a, 3.0), f(tf.constant(4.0))
    assert [t.name for t in (r, r2, r3)] == ["StatefulPartitionedCall:0",
                                             "StatefulPartitionedCall_1:0",
                                             "StatefulPartitionedCall_2:0"]
    assert len(traces) == 2  # (y=2.0 twice: one trace)
    g, = tf.gradients(r, a)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(r) == 7.0 and sess.run(v) == 1.0  # (TF's)
        assert sess.run(r2) == 11.0 and sess.run(v) == 2.0
        assert sess.run(g) == 2.0


def test_a_body_without_state_is_a_partitioned_call_and_differentiates_twice():
    x = tf.placeholder(tf.float32, [2])

    @tf.function
    def f(a, k):
        return tf.reduce_sum(tf.sin(a) * a) * k, a * 2.0
    y, z = f(x, 3.0)
    assert (y.name, z.name) == ("PartitionedCall:0", "PartitionedCall:1")
    gx, = tf.gradients(y + tf.reduce_sum(z), x)
    hx, = tf.gradients(gx, x)
    with tf.Session() as sess:
        out = sess.run([y, z, gx, hx], {x: [0.5, 1.0]})
    np.testing.assert_allclose(out[0], 3.243551, rtol=1e-6)  # (TF's values)
    np.testing.assert_array_equal(out[1], [1.0, 2.0])
    np.testing.assert_allclose(out[2], [4.7546506, 6.14532], rtol=1e-6)
    np.testing.assert_allclose(out[3], [4.546357, 0.7174008], rtol=1e-5)


def test_variables_made_while_tracing_are_made_once_outside_the_body():
    @tf.function
    def f(x):
        w = tf.get_variable("w", [], initializer=tf.constant_initializer(2.0))
        return x * w
    y1, y2 = f(tf.constant(3.0)), f(tf.constant(4.0))
    assert [v.name for v in tf.global_variables()] == ["w:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([y1, y2]) == [6.0, 8.0]


def test_critical_section_runs_one_at_a_time():
    cs = tf.CriticalSection()
    v = tf.get_variable("cv", [], initializer=tf.zeros_initializer(), use_resource=True)
    # (a read, then a write of it: without the lock, threads would lose updates)
    e = cs.execute(lambda: v.assign(v.read_value() + 1.0))
    assert e.name == "critical_section_execute/StatefulPartitionedCall:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert [sess.run(e), sess.run(e)] == [1.0, 2.0]  # (TF's)
        threads = [threading.Thread(target=lambda: [sess.run(e) for _ in range(50)])
                   for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sess.run(v) == 202.0


@pytest.mark.global_graph
def test_eagerly_the_function_runs(eager):
    f = tf.function(lambda x: x * 2.0)
    assert f(tf.constant(3.0)).numpy() == 6.0
    cs = tf.CriticalSection()
    assert cs.execute(lambda: tf.constant(1.0) + 1.0).numpy() == 2.0


def test_wrap_function_traces_tf1_code_with_its_variables_outside():
    def f(x):
        return x * tf.get_variable("w", initializer=2.0)
    wf = tf.wrap_function(f, [tf.TensorSpec([], tf.float32)])
    out = wf(tf.constant(3.0))
    assert [v.name for v in tf.global_variables()] == ["w:0"]
    assert [v.name for v in wf.variables] == ["w:0"]
    pruned = wf.prune(wf.inputs[0], wf.outputs[0])
    out2 = pruned(tf.constant(5.0))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(out)  # (the variable is not initialized yet, as TF)
        sess.run(tf.global_variables_initializer())
        assert sess.run([out, out2]) == [6.0, 10.0]  # (TF's)
    with pytest.raises(TypeError, match="takes 1 positional arguments but 2 were given"):
        wf(tf.constant(1.0), tf.constant(2.0))


def test_nondifferentiable_batch_function_runs_each_call_without_a_gradient():
    @tf.nondifferentiable_batch_function(1, 10, 100000)
    def double(x):
        return x * 2.0
    x = tf.placeholder(tf.float32, [None])
    y = double(x)
    assert y.op.name == "batch/BatchFunction"
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {x: [1.0, 2.0]}), [2.0, 4.0])
    with pytest.raises(LookupError, match="No gradient defined for operation "
                                          "'batch/BatchFunction' \\(op type: BatchFunction\\)"):
        tf.gradients(y, x)
