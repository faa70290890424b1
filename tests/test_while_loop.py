"""tf.while_loop (issue 17, item 6): TF1's names, structures, shape invariants,
maximum_iterations, errors, loop tensors kept inside the loop, gradients (by the loop variables
and by captured tensors, through nested control flow) and eager mode. Expected values and texts
were checked against TF 1 graph mode with ../shared/tools/tfdiff."""
import numpy as np
import pytest

import minitf as tf


def test_names_structures_and_values():
    x = tf.constant(2.0, name="x")
    i = tf.constant(0)
    w = tf.while_loop(lambda i: i < 10, lambda i: i + 1, [i])
    w2 = tf.while_loop(lambda i, s: i < 10, lambda i, s: (i + 1, s * 2.0), (i, x))
    w3 = tf.while_loop(lambda i: i < 10, lambda i: [i + 1], [i])
    w5 = tf.while_loop(lambda i: i < 10, lambda i: i + 1, [i], maximum_iterations=3)
    w6 = tf.while_loop(lambda i: i < 10, lambda i: i + 1, [i], return_same_structure=True)
    d = tf.while_loop(lambda v: v["n"] < 3, lambda v: [{"n": v["n"] + 1, "x": v["x"] * 2.0}],
                      [{"n": i, "x": x}])
    assert w.name == "while/Exit:0"
    assert isinstance(w2, tuple) and [t.name for t in w2] == ["while_1/Exit:0",
                                                              "while_1/Exit_1:0"]
    assert w3.name == "while_2/Exit:0"
    assert w5.name == "while_3/Exit_1:0"  # (the counter is the first variable, as in TF)
    assert isinstance(w6, list) and w6[0].name == "while_4/Exit:0"
    names = {op.name for op in tf.get_default_graph().get_operations()}
    assert {"while/Identity", "while/Less", "while/add", "while/Exit"} <= names
    with tf.Session() as sess:
        assert sess.run([w, w2, w3, w5]) == [10, (10, 2048.0), 10, 3]
        assert sess.run(d) == [{"n": 3, "x": 16.0}]  # (TF: a structure is not unpacked)


def test_shape_invariants():
    v = tf.while_loop(lambda i: tf.shape(i)[0] < 10, lambda i: tf.concat([i, i], 0),
                      [tf.constant([1])], shape_invariants=[tf.TensorShape([None])])
    assert v.shape.as_list() == [None]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(v), [1] * 16)
    with pytest.raises(ValueError, match=r"enters the loop with shape \(1,\), but has shape "
                                         r"\(2,\) after one iteration. To allow the shape to "
                                         r"vary across iterations, use the `shape_invariants`"):
        tf.while_loop(lambda i: tf.shape(i)[0] < 10, lambda i: tf.concat([i, i], 0),
                      [tf.constant([1])])
    with pytest.raises(ValueError, match="not compatible with the initial shape"):
        tf.while_loop(lambda i: True, lambda i: i, [tf.constant([1])],
                      shape_invariants=[tf.TensorShape([2])])


def test_errors_as_tf():
    i = tf.constant(0)
    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):
        tf.while_loop(lambda i: i < 10, lambda i: i, [tf.constant([1])])
    with pytest.raises(ValueError, match="same nested structure"):
        tf.while_loop(lambda i: i < 10, lambda i: (i, i), [i])
    with pytest.raises(TypeError, match="Input 'input' of 'LoopCond' Op has type int32"):
        tf.while_loop(lambda i: i, lambda i: i, [i])
    with pytest.raises(TypeError, match="cond must be callable"):
        tf.while_loop(1, lambda i: i, [i])
    with pytest.raises(ValueError, match="No loop variables provided"):
        tf.while_loop(lambda i: i < 1, lambda i: i, [])
    with pytest.raises(ValueError, match="dtype int32, but has dtype float32"):
        tf.while_loop(lambda i: i < 1, lambda i: tf.cast(i, tf.float32), [i])


def test_loop_tensors_stay_in_the_loop():
    inner = []

    def body(i):
        inner.append(i * 2)
        return i + 1
    tf.while_loop(lambda i: i < 3, body, [tf.constant(0)])
    with pytest.raises(ValueError, match="Cannot use 'while/mul' as input to 'add' because "
                                         "'while/mul' is in a while loop."):
        inner[0] + 1
    with tf.Session() as sess, pytest.raises(ValueError, match="Operation while/mul has been "
                                                               "marked as not fetchable"):
        sess.run(inner[0])


def test_variables_in_a_loop_body():
    i = tf.constant(0)

    def body(i):
        u = tf.get_variable("u", [], initializer=tf.constant_initializer(2), dtype=tf.int32)
        return i + u
    w = tf.while_loop(lambda i: i < 5, body, [i])
    assert [v.name for v in tf.global_variables()] == ["u:0"]

    def tensor_initialized(i):
        return i + tf.get_variable("u3", initializer=tf.constant(2))
    with pytest.raises(ValueError, match="Initializer for variable u3/ is from inside a "
                                         "control-flow construct"):
        tf.while_loop(lambda i: i < 3, tensor_initialized, [i])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(w) == 6


def test_gradients_by_variables_and_captured_tensors():
    a = tf.placeholder(tf.float32, [2])
    b = tf.constant([1.5, -0.5])
    out = tf.while_loop(lambda k, y: k < 3, lambda k, y: (k + 1, tf.sin(y) * b + a), [0, a])
    ga, gb = tf.gradients(out[1], [a, b])

    def f(a, b):
        y = a
        for _ in range(3):
            y = np.sin(y) * b + a
        return y.sum()
    av, bv, e = np.array([0.3, 0.7]), np.array([1.5, -0.5]), 1e-6
    with tf.Session() as sess:
        got_a, got_b = sess.run([ga, gb], {a: av})
    for j in range(2):
        step = e * np.eye(2)[j]
        assert got_a[j] == pytest.approx((f(av + step, bv) - f(av - step, bv)) / (2 * e),
                                         rel=1e-4)
        assert got_b[j] == pytest.approx((f(av, bv + step) - f(av, bv - step)) / (2 * e),
                                         rel=1e-4)
    np.testing.assert_allclose(got_a, [2.3989673, 0.68983305], rtol=1e-6)  # (TF's)
    np.testing.assert_allclose(got_b, [1.3480799, 0.4627187], rtol=1e-6)


def test_gradient_of_no_iteration_and_of_a_variable():
    w = tf.get_variable("w", [2], initializer=tf.constant_initializer(0.5))
    n = tf.placeholder(tf.int32, [])
    out = tf.while_loop(lambda k, y: k < n, lambda k, y: (k + 1, y * w), [0, tf.ones([2])])[1]
    g, = tf.gradients(tf.reduce_sum(out), w)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(g, {n: 3}), [0.75, 0.75])  # 3 w^2
        np.testing.assert_allclose(sess.run(g, {n: 0}), [0.0, 0.0])


def test_back_prop_false_and_second_derivatives():
    x = tf.placeholder(tf.float32, [])
    y = tf.while_loop(lambda k, v: k < 2, lambda k, v: (k + 1, v * x), [0, x], back_prop=False)
    assert tf.gradients(y[1], x) == [None]
    z = tf.while_loop(lambda k, v: k < 2, lambda k, v: (k + 1, v * x), [0, x])[1]
    g, = tf.gradients(z, x)
    with tf.Session() as sess:
        assert sess.run(g, {x: 2.0}) == 12.0  # d x^3
    with pytest.raises(LookupError, match="second derivatives through tf.while_loop"):
        tf.gradients(g, x)


def test_while_loop_in_a_cond_and_cond_in_a_while_loop():
    p = tf.placeholder(tf.bool, [])
    z = tf.placeholder(tf.float32, [])
    r = tf.cond(p, lambda: tf.while_loop(lambda k, v: k < 4, lambda k, v: (k + 1, v * z),
                                         [0, 1.0])[1], lambda: z * 2.0)
    gz, = tf.gradients(r, z)
    c = tf.while_loop(lambda k, v: k < 4,
                      lambda k, v: (k + 1, tf.cond(k < 2, lambda: v * z, lambda: v + z)),
                      [0, 1.0])[1]
    gc, = tf.gradients(c, z)
    with tf.Session() as sess:
        assert sess.run([r, gz], {p: True, z: 1.5}) == [5.0625, 13.5]  # (TF's)
        assert sess.run([r, gz], {p: False, z: 1.5}) == [3.0, 2.0]
        assert sess.run([c, gc], {z: 1.5}) == [1.5 ** 2 + 3.0, 2 * 1.5 + 2.0]


def test_a_random_draw_in_the_body_is_recorded_for_the_gradient():
    x = tf.placeholder(tf.float32, [500])
    y = tf.while_loop(lambda k, v: k < 2,
                      lambda k, v: (k + 1, v * tf.random_uniform([500], 1.0, 2.0, seed=3)),
                      [0, x])[1]
    g, = tf.gradients(tf.reduce_sum(y), x)
    with tf.Session() as sess:
        value, grad = sess.run([y, g], {x: np.ones(500)})
    np.testing.assert_allclose(grad, value, rtol=1e-6)  # the product of the draws made


def test_an_error_in_the_body_names_its_op():
    x = tf.placeholder(tf.float32, [])

    def body(k, v):
        return k + 1, tf.check_numerics(tf.log(v), "bad")
    y = tf.while_loop(lambda k, v: k < 3, body, [0, x])[1]
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="bad : Tensor had") as e:
            sess.run(y, {x: 0.5})
    assert e.value.op.name == "while/CheckNumerics"


@pytest.mark.global_graph
def test_eagerly_the_loop_runs_in_python(eager):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    out = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * 2.0), [0, x])
    np.testing.assert_array_equal(out[1].numpy(), [[8, 16], [24, 32]])
    assert tf.while_loop(lambda i: i < 10, lambda i: i + 1, [0], maximum_iterations=4) == 4
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * v), [0, 1.0])[1]
    assert tape.gradient(y, v).numpy() == 12.0


def _rnn_training(loop):
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        x = tf.constant(np.random.RandomState(0).randn(5, 4, 3).astype(np.float32))
        w, u = tf.get_variable("W", [3, 8]), tf.get_variable("U", [8, 8])
        h = tf.zeros([4, 8])
        if loop:
            _, h = tf.while_loop(lambda t, h: t < 5, lambda t, h: (
                t + 1, tf.tanh(tf.matmul(x[t], w) + tf.matmul(h, u))), [0, h])
        else:
            for t in range(5):
                h = tf.tanh(tf.matmul(x[t], w) + tf.matmul(h, u))
        loss = tf.reduce_mean(tf.square(h - 0.5))
        step = tf.train.AdamOptimizer(0.05).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [sess.run([loss, step])[0] for _ in range(10)]
            return losses, sess.run(w)


def test_a_recurrent_net_trains_through_the_loop_as_unrolled():
    looped, unrolled = _rnn_training(True), _rnn_training(False)
    # the same arithmetic; the unrolled plan's matmul chains run fused (plan_fusion.py), whose
    # kernels may round the last bit otherwise
    np.testing.assert_allclose(looped[0], unrolled[0], rtol=1e-6)
    np.testing.assert_allclose(looped[1], unrolled[1], rtol=1e-5, atol=1e-7)
    assert looped[0][-1] < looped[0][0] / 2
