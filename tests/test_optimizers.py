"""Optimizers: exact updates against NumPy, slots, global step, var_list, constraints applied
after each update, sparse updates with duplicate ids, ref and resource variables, errors."""
import numpy as np
import pytest

import minitf as tf

X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.5, -1.5]], np.float32)
Y = np.array([[1.0], [0.0], [2.0]], np.float32)
W0 = np.array([[0.5], [-0.5]], np.float32)


def linear_model(use_resource=False):
    w = tf.get_variable("w", initializer=W0, use_resource=use_resource)
    loss = tf.reduce_mean(tf.square(tf.matmul(tf.constant(X), w) - Y))
    return w, loss


def numpy_grad(w):
    return (2 / len(X) * X.T @ (X @ w - Y)).astype(np.float32)


def train(op, fetch, steps):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = []
        for _ in range(steps):
            sess.run(op)
            out.append(sess.run(fetch))
        return out


@pytest.mark.parametrize("use_resource", [False, True])
def test_sgd_steps_on_a_linear_model(use_resource):
    w, loss = linear_model(use_resource)
    values = train(tf.train.GradientDescentOptimizer(0.1).minimize(loss), w, 5)
    expected = W0
    for got in values:
        expected = expected - 0.1 * numpy_grad(expected)
        np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_learning_rate_may_be_a_fed_tensor():
    w, loss = linear_model()
    lr = tf.placeholder(tf.float32, [])
    step = tf.train.GradientDescentOptimizer(lr).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step, {lr: 0.0})
        np.testing.assert_array_equal(sess.run(w), W0)
        sess.run(step, {lr: 0.5})
        np.testing.assert_allclose(sess.run(w), W0 - 0.5 * numpy_grad(W0), rtol=1e-6)


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_against_numpy(nesterov):
    w, loss = linear_model()
    opt = tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=nesterov)
    values = train(opt.minimize(loss), w, 4)
    assert opt.get_slot_names() == ["momentum"] and opt.get_slot(w, "momentum").name == \
        "w/Momentum:0"
    expected, accum = W0, np.zeros_like(W0)
    for got in values:
        g = numpy_grad(expected)
        accum = 0.9 * accum + g
        expected = expected - (0.05 * g + 0.05 * 0.9 * accum if nesterov else 0.05 * accum)
        np.testing.assert_allclose(got, expected, rtol=1e-5)


@pytest.mark.parametrize("use_resource", [False, True])
def test_adam_against_numpy(use_resource):
    w, loss = linear_model(use_resource)
    opt = tf.train.AdamOptimizer(0.1)
    values = train(opt.minimize(loss), w, 4)
    names = sorted(v.name for v in tf.global_variables())
    assert names == ["beta1_power:0", "beta2_power:0", "w/Adam:0", "w/Adam_1:0", "w:0"]
    expected, m, v = W0.astype(np.float64), 0.0, 0.0
    for t, got in enumerate(values, 1):
        g = numpy_grad(expected.astype(np.float32))
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
        lr_t = 0.1 * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        expected = expected - lr_t * m / (np.sqrt(v) + 1e-8)
        np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_global_step_counts_steps():
    w, loss = linear_model()
    step_var = tf.train.get_or_create_global_step()
    assert step_var.name == "global_step:0" and step_var.dtype.name == "int64_ref"
    assert tf.train.get_global_step() is step_var
    assert tf.train.get_or_create_global_step() is step_var
    with pytest.raises(ValueError, match="already exists"):
        tf.train.create_global_step()
    op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step_var)
    assert op.type == "AssignAdd" and op.name == "GradientDescent"
    assert tf.get_collection(tf.GraphKeys.TRAIN_OP) == [op]
    assert train(op, step_var, 3) == [1, 2, 3]


def test_var_list_restricts_the_update():
    w, loss = linear_model()
    b = tf.get_variable("b", initializer=np.float32(1.0))
    loss = loss + b * b
    values = train(tf.train.GradientDescentOptimizer(0.1).minimize(loss, var_list=[b]),
                   [w, b], 2)
    np.testing.assert_array_equal(values[-1][0], W0)
    assert values[-1][1] == pytest.approx(0.8 * 0.8)


def test_compute_and_apply_gradients_by_hand():
    w, loss = linear_model()
    opt = tf.train.GradientDescentOptimizer(1.0)
    ((g, v),) = opt.compute_gradients(loss)
    assert v is w
    step = opt.apply_gradients([(g * 0.1, v)], name="clipped")
    assert step.name == "clipped"
    np.testing.assert_allclose(train(step, w, 1)[0], W0 - 0.1 * numpy_grad(W0), rtol=1e-6)


def _clip_steps(constraint):
    v = tf.get_variable("c", initializer=np.array([0.5, 0.9, 0.2], np.float32),
                        constraint=constraint)
    loss = tf.reduce_sum(v * tf.constant([-1.0, -1.0, 1.0]))
    return train(tf.train.GradientDescentOptimizer(0.3).minimize(loss), v, 3)


def test_constraint_is_applied_after_every_update():
    values = _clip_steps(lambda t: tf.clip_by_value(t, 0.0, 1.0))
    np.testing.assert_allclose(values, [[0.8, 1.0, 0.0], [1.0, 1.0, 0.0], [1.0, 1.0, 0.0]])
    with tf.Graph().as_default():  # the same steps without it leave [0, 1]
        free = _clip_steps(None)
    np.testing.assert_allclose(free[0], [0.8, 1.2, -0.1], rtol=1e-6)


def table(use_resource=False, constraint=None):
    return tf.get_variable("e", initializer=np.arange(8.0, dtype=np.float32).reshape(4, 2),
                           use_resource=use_resource, constraint=constraint)


def sparse_loss(e):
    return tf.reduce_sum(tf.nn.embedding_lookup(e, [1, 3, 1]) * tf.constant([[1.0, 2.0]]))


@pytest.mark.parametrize("use_resource", [False, True])
def test_sparse_sgd_sums_duplicate_ids(use_resource):
    e = table(use_resource)
    (got,) = train(tf.train.GradientDescentOptimizer(0.5).minimize(sparse_loss(e)), e, 1)
    expected = np.arange(8.0).reshape(4, 2)
    expected[1] -= 0.5 * 2 * np.array([1.0, 2.0])
    expected[3] -= 0.5 * np.array([1.0, 2.0])
    np.testing.assert_allclose(got, expected)


def test_sparse_momentum_touches_only_rows_with_gradients():
    e = table()
    w = tf.get_variable("w", initializer=np.float32(1.0))
    opt = tf.train.MomentumOptimizer(0.1, 0.5)
    step = opt.minimize(sparse_loss(e) + w * w)
    values = train(step, e, 2)
    g = np.zeros((4, 2))
    g[1], g[3] = [2.0, 4.0], [1.0, 2.0]
    first = np.arange(8.0).reshape(4, 2) - 0.1 * g
    np.testing.assert_allclose(values[0], first, rtol=1e-6)
    np.testing.assert_allclose(values[1], first - 0.1 * (0.5 * g + g), rtol=1e-6)


def test_sparse_adam_matches_the_dense_update():
    e = table()
    sparse = train(tf.train.AdamOptimizer(0.1).minimize(sparse_loss(e)), e, 3)
    with tf.Graph().as_default():
        d = table()
        dense_loss = tf.reduce_sum(tf.matmul(tf.one_hot([1, 3, 1], 4), d) *
                                   tf.constant([[1.0, 2.0]]))
        dense = train(tf.train.AdamOptimizer(0.1).minimize(dense_loss), d, 3)
    np.testing.assert_allclose(sparse, dense, rtol=1e-6)


def test_sparse_updates_apply_the_constraint_too():
    e = table(constraint=lambda t: tf.clip_by_value(t, 0.0, 4.0))
    (got,) = train(tf.train.GradientDescentOptimizer(-1.0).minimize(sparse_loss(e)), e, 1)
    assert got.max() == 4.0 and got[0].tolist() == [0.0, 1.0]


def test_partitioned_variables_train_part_by_part():
    v = tf.get_variable("p", initializer=np.ones((5, 2), np.float32),
                        partitioner=tf.fixed_size_partitioner(2))
    loss = tf.reduce_sum(tf.square(v.as_tensor()))
    opt = tf.train.AdamOptimizer(0.1)
    step = opt.minimize(loss)
    assert sorted(x.name for x in tf.global_variables() if "Adam" in x.name) == [
        "p/part_0/Adam:0", "p/part_0/Adam_1:0", "p/part_1/Adam:0", "p/part_1/Adam_1:0"]
    values = train(step, v.as_tensor(), 1)
    np.testing.assert_allclose(values[0], np.full((5, 2), 0.9), rtol=1e-5)


def test_errors():
    w, loss = linear_model()
    opt = tf.train.GradientDescentOptimizer(0.1)
    with pytest.raises(ValueError, match="No gradients provided for any variable, check your"):
        opt.minimize(tf.reduce_sum(tf.stop_gradient(w)))
    with pytest.raises(ValueError, match="No gradients provided for any variable: "):
        opt.apply_gradients([(None, w)])
    with pytest.raises(ValueError, match="No variables provided"):
        opt.apply_gradients([])
    with pytest.raises(ValueError, match="Invalid type"):
        opt.minimize(tf.constant(1))
    with pytest.raises(TypeError, match="Gradient must be convertible"):
        opt.apply_gradients([(object(), w)])
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="No variables to optimize"):
            opt.minimize(tf.constant(1.0))
