"""Adagrad, AdagradDA, ProximalAdagrad and ProximalGradientDescent: TF1's values (from TF 2.21's
tf.compat.v1, literals below) for several steps, dense and sparse, ref and resource variables,
with a constraint; slots, op types and names; TF's sparse scalar path; eager runs; errors."""
import numpy as np
import pytest

import minitf as tf

X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.5, -1.5]], np.float32)
Y = np.array([[1.0], [0.0], [2.0]], np.float32)
W0 = np.array([[0.5], [-0.5]], np.float32)
E0 = np.array([[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0]], np.float32)
V0 = np.array([0.5, -1.0, 1.5, 0.25, -0.75], np.float32)

OPTIMIZERS = {
    "Adagrad": lambda gs: tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.2),
    "AdagradDA": lambda gs: tf.train.AdagradDAOptimizer(0.1, gs, 0.1, 0.01, 0.02),
    "AdagradDA0": lambda gs: tf.train.AdagradDAOptimizer(0.1, gs, 0.2, 0.0, 0.05),
    "ProxAdagrad": lambda gs: tf.train.ProximalAdagradOptimizer(0.1, 0.1, 0.05, 0.1),
    "ProxAdagrad0": lambda gs: tf.train.ProximalAdagradOptimizer(0.2),
    "ProxAdagradL2": lambda gs: tf.train.ProximalAdagradOptimizer(0.2, 0.1, 0.0, 0.3),
    "ProxGD": lambda gs: tf.train.ProximalGradientDescentOptimizer(0.1, 0.05, 0.1),
    "ProxGD0": lambda gs: tf.train.ProximalGradientDescentOptimizer(0.1, 0.0, 0.2),
}

DENSE = {  # w after each of 3 steps (TF1, ref and resource variables alike)
    "Adagrad": [[0.58811343, -0.40584457], [0.64499533, -0.35432944], [0.68769574, -0.32107019]],
    "AdagradDA": [
        [0.092165962, 0.096021339],
        [0.1345823, 0.0058891242],
        [0.16683383, -0.032349557],
    ],
    "AdagradDA0": [
        [0.087650031, 0.093802169],
        [0.13230813, 0.0076237503],
        [0.16523063, -0.03310645],
    ],
    "ProxAdagrad": [[0.58136249, -0.39610431], [0.6306352, -0.33975777], [0.66614664, -0.30351508]],
    "ProxAdagrad0": [
        [0.68698943, -0.30610833],
        [0.7780658, -0.25845763],
        [0.83467698, -0.24878488],
    ],
    "ProxGD": [[0.57260728, -0.36633664], [0.6270954, -0.29493842], [0.6694172, -0.25757742]],
    "ProxGD0": [[0.57189542, -0.36764705], [0.62532037, -0.29764193], [0.66640955, -0.26136908]],
}
SPARSE = {  # rows 0 and 2 of the table after 3 steps (row 1 has no gradient)
    "Adagrad": [[0.70317858, -0.77624398], [-0.52677059, 1.7813847]],
    "AdagradDA": [[0.16690679, 0.15904298], [0.1629632, 0.060611863]],
    "AdagradDA0": [[0.16675587, 0.15910563], [0.16303059, 0.060878661]],
    "ProxAdagrad": [[0.68949097, -0.77092659], [-0.52305096, 1.7676307]],
    "ProxAdagrad0": [[0.86234206, -0.56132752], [-0.31400439, 1.582673]],
    "ProxGD": [[0.80126536, 0.30665267], [0.60769576, 1.1807321]],
    "ProxGD0": [[0.79609281, 0.31126797], [0.60587561, 1.1656151]],
}
CONSTRAINED = {  # w after 3 steps, clipped to [-0.3, 0.3] after each
    "Adagrad": [0.30000001, -0.24271262],
    "AdagradDA": [0.16683383, -0.032349557],
    "AdagradDA0": [0.16523063, -0.03310645],
    "ProxAdagrad": [0.30000001, -0.23241022],
    "ProxAdagrad0": [0.30000001, -0.20399888],
    "ProxGD": [0.30000001, -0.2129312],
    "ProxGD0": [0.30000001, -0.21713871],
}
SCALAR_ROWS = {  # a [5] variable (TF's sparse scalar path), float32 then float64:
    # (rows 0, 3, 4 of w, then of each slot) after 3 steps
    ("Adagrad", "float32"): [
        [0.71456939, 0.46915701, -0.525814],
        [14.036267, 44.790684, 415.78568],
    ],
    ("AdagradDA", "float32"): [
        [0.16971985, 0.17228523, 0.16657457],
        [-9.4909391, -13.640141, -26.481129],
        [31.007574, 62.311638, 251.96649],
    ],
    ("AdagradDA0", "float32"): [
        [0.16970775, 0.17233026, 0.16663529],
        [-9.4928617, -13.640556, -26.480694],
        [31.121367, 62.415649, 252.06033],
    ],
    ("ProxAdagrad", "float32"): [
        [0.70508027, 0.46471083, -0.52373159],
        [14.060945, 44.833229, 415.33374],
    ],
    ("ProxAdagradL2", "float32"): [
        [0.86244738, 0.65221256, -0.30567577],
        [11.667124, 38.175251, 379.77228],
    ],
    ("ProxGD", "float32"): [[0.99493593, 1.0451717, 1.1449834]],
    ("ProxGD0", "float32"): [[0.98643804, 1.0369766, 1.1369609]],
    ("Adagrad", "float64"): [
        [0.71456935, 0.46915701, -0.52581398],
        [14.03627, 44.790691, 415.78573],
    ],
    ("AdagradDA", "float64"): [
        [0.16971986, 0.17228523, 0.16657457],
        [-9.4909402, -13.64014, -26.481131],
        [31.007581, 62.311638, 251.96653],
    ],
    ("AdagradDA0", "float64"): [
        [0.16970775, 0.17233027, 0.16663528],
        [-9.4928624, -13.640557, -26.480694],
        [31.121369, 62.415653, 252.06037],
    ],
    ("ProxAdagrad", "float64"): [
        [0.70508034, 0.46471078, -0.52373167],
        [14.060946, 44.833238, 415.33381],
    ],
    ("ProxAdagradL2", "float64"): [
        [0.86244739, 0.65221249, -0.30567576],
        [11.667125, 38.17526, 379.77233],
    ],
    ("ProxGD", "float64"): [[0.99493595, 1.0451718, 1.1449834]],
    ("ProxGD0", "float64"): [[0.9864381, 1.0369767, 1.1369609]],
}

SLOTS = {  # slot names, the slot variables' names, the update op's name (a ref variable w)
    "Adagrad": (["accumulator"], ["w/Adagrad:0"], "Adagrad/update_w/ApplyAdagrad"),
    "AdagradDA": (["gradient_accumulator", "gradient_squared_accumulator"],
                  ["w/AdagradDA:0", "w/AdagradDA_1:0"], "AdagradDA/update_w/ApplyAdagradDA"),
    "ProxAdagrad": (["accumulator"], ["w/ProximalAdagrad:0"],
                    "ProximalAdagrad/update_w/ApplyProximalAdagrad"),
    "ProxGD": ([], [], "ProximalGradientDescent/update_w/ApplyProximalGradientDescent"),
}
DENSE_SLOTS = {  # the slots of w after 3 dense steps
    "Adagrad": [[1.6171269, 2.6976058]],
    "AdagradDA": [[-3.1089225, 0.63831955], [3.3837698, 3.5135906]],
    "ProxAdagrad": [[1.5397142, 2.4791329]],
}


def _linear(use_resource, constraint=None):
    w = tf.get_variable("w", initializer=W0, use_resource=use_resource, constraint=constraint)
    return w, tf.reduce_mean(tf.square(tf.matmul(tf.constant(X), w) - Y))


def _embedding(use_resource):
    table = tf.get_variable("e", initializer=E0, use_resource=use_resource)
    rows = tf.nn.embedding_lookup(table, [0, 2, 0])  # (a repeated id: summed)
    return table, tf.reduce_sum(tf.square(rows - 1.0) * [[1.0], [2.0], [0.5]])


def _train(name, var, loss, steps=3):
    gs = tf.train.get_or_create_global_step()
    opt = OPTIMIZERS[name](gs)
    train = opt.minimize(loss, global_step=gs)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = []
        for _ in range(steps):
            sess.run(train)
            values.append(sess.run(var))
        slots = [sess.run(opt.get_slot(var, s)) for s in opt.get_slot_names()]
        assert sess.run(gs) == steps
    return opt, train, values, slots


@pytest.mark.parametrize("use_resource", [False, True])
@pytest.mark.parametrize("name", sorted(DENSE))
def test_dense_steps_equal_tf1s(name, use_resource):
    w, loss = _linear(use_resource)
    _, _, values, slots = _train(name, w, loss)
    # (2e-6: TF's own second AdagradDA value, a difference of near numbers, is 0.0058891242 on
    # an AVX-512 machine and 0.0058891312 on an AVX2 one, where minitf's equals it)
    np.testing.assert_allclose(np.concatenate(values, axis=1).T, DENSE[name], rtol=2e-6)
    if name in DENSE_SLOTS:
        np.testing.assert_allclose([s.ravel() for s in slots], DENSE_SLOTS[name], rtol=1e-6)


@pytest.mark.parametrize("use_resource", [False, True])
@pytest.mark.parametrize("name", sorted(SPARSE))
def test_sparse_steps_equal_tf1s_and_leave_other_rows(name, use_resource):
    table, loss = _embedding(use_resource)
    _, _, values, _ = _train(name, table, loss)
    np.testing.assert_allclose(values[-1][[0, 2]], SPARSE[name], rtol=1e-6)
    np.testing.assert_array_equal(values[-1][1], E0[1])


@pytest.mark.parametrize("use_resource", [False, True])
@pytest.mark.parametrize("name", sorted(CONSTRAINED))
def test_the_constraint_applies_after_each_update(name, use_resource):
    w, loss = _linear(use_resource, lambda v: tf.clip_by_value(v, -0.3, 0.3))
    _, _, values, _ = _train(name, w, loss)
    np.testing.assert_allclose(values[-1].ravel(), CONSTRAINED[name], rtol=1e-6)


@pytest.mark.parametrize("key", sorted(SCALAR_ROWS))
@pytest.mark.parametrize("shape", [[5], [5, 1]])
def test_sparse_updates_of_one_element_rows_equal_tf1s(key, shape):
    # TF's sparse kernels take another path (rounding otherwise) when each row is one element
    name, dtype = key
    w = tf.get_variable("v", initializer=V0.reshape(shape).astype(dtype), use_resource=True)
    weights = tf.constant(np.reshape([1.0, 2.0, 0.5, 3.0], [4] + shape[1:]), dtype)
    loss = tf.reduce_sum(tf.square(tf.gather(w, [0, 3, 0, 4]) - 1.3) * weights)
    _, _, values, slots = _train(name, w, loss)
    got = [a.ravel()[[0, 3, 4]] for a in [values[-1]] + slots]
    np.testing.assert_allclose(got, SCALAR_ROWS[key], rtol=1e-6 if dtype == "float32" else 1e-7)
    np.testing.assert_array_equal(values[-1].ravel()[[1, 2]], V0[[1, 2]].astype(dtype))


@pytest.mark.parametrize("name", sorted(SLOTS))
def test_slot_and_op_names_are_tf1s(name):
    w, loss = _linear(False)
    opt, train, _, _ = _train(name, w, loss, steps=1)
    names, slot_vars, op_name = SLOTS[name]
    assert opt.get_slot_names() == names
    assert [opt.get_slot(w, s).name for s in names] == slot_vars
    updates = [op for op in tf.get_default_graph().get_operations() if "Apply" in op.type]
    assert [op.name for op in updates] == [op_name]
    assert updates[0].type == op_name.rsplit("/", 1)[1]
    assert train.name == opt.get_name()


@pytest.mark.parametrize("name", ["Adagrad", "AdagradDA", "ProxAdagrad", "ProxGD"])
def test_resource_variables_use_the_resource_ops(name):
    w, loss = _linear(True)
    table, sparse_loss = _embedding(True)
    OPTIMIZERS[name](tf.train.get_or_create_global_step()).minimize(loss + sparse_loss)
    types = sorted(op.type for op in tf.get_default_graph().get_operations()
                   if "Apply" in op.type)
    dense = SLOTS[name][2].rsplit("/", 1)[1]
    assert types == ["Resource" + dense, "ResourceSparse" + dense]


def test_accumulators_start_at_their_initial_values():
    w, loss = _linear(False)
    gs = tf.train.get_or_create_global_step()
    adagrad = tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.7)
    da = tf.train.AdagradDAOptimizer(0.1, gs, initial_gradient_squared_accumulator_value=0.3)
    adagrad.minimize(loss)
    da.minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(adagrad.get_slot(w, "accumulator")),
                                      np.full((2, 1), 0.7, np.float32))
        g, gg = (sess.run(da.get_slot(w, s)) for s in da.get_slot_names())
        np.testing.assert_array_equal(g, np.zeros((2, 1), np.float32))
        np.testing.assert_array_equal(gg, np.full((2, 1), 0.3, np.float32))


@pytest.mark.parametrize("name", ["Adagrad", "AdagradDA", "ProxAdagrad", "ProxGD0"])
@pytest.mark.parametrize("sparse", [False, True])
def test_eager_training_equals_graph_training(name, sparse):
    make = _embedding if sparse else _linear
    with tf.Graph().as_default():
        var, loss = make(True)
        expected = _train(name, var, loss)[2][-1]
    with tf.eager_mode():
        var = tf.Variable(E0 if sparse else W0)
        gs = tf.Variable(0, dtype=tf.int64, trainable=False)
        opt = OPTIMIZERS[name](gs)
        rows = [0, 2, 0]

        def loss():
            if sparse:
                emb = tf.nn.embedding_lookup(var, rows)
                return tf.reduce_sum(tf.square(emb - 1.0) * [[1.0], [2.0], [0.5]])
            return tf.reduce_mean(tf.square(tf.matmul(tf.constant(X), var) - Y))
        for _ in range(3):
            opt.minimize(loss, global_step=gs)
        np.testing.assert_allclose(var.numpy(), expected, rtol=1e-6)


def test_errors():
    with pytest.raises(ValueError, match="initial_accumulator_value must be positive: 0.0"):
        tf.train.AdagradOptimizer(0.1, 0.0)
    with pytest.raises(ValueError, match="initial_accumulator_value must be positive: 0.0"):
        tf.train.ProximalAdagradOptimizer(0.1, 0.0)
    with pytest.raises(ValueError,
                       match="initial_gradient_squared_accumulator_value must be positive"):
        tf.train.AdagradDAOptimizer(0.1, None, -1.0)
    with pytest.raises(ValueError, match="Must specify the optimizer name"):
        tf.train.ProximalGradientDescentOptimizer(0.1, name="")


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("kwargs, message", [
    ({"learning_rate": 0.0}, "lr is not a positive scalar"),
    ({"learning_rate": 0.1, "l1_regularization_strength": -0.5},
     "l1 regularization strength is not a non-negative scalar"),
    ({"learning_rate": 0.1, "l2_regularization_strength": -0.5},
     "l2 regularization strength is not a non-negative scalar")])
def test_proximal_adagrad_checks_its_arguments_when_it_runs(kwargs, message, sparse):
    w = tf.Variable([1.0, -2.0])
    x = tf.gather(w, [0]) if sparse else w
    train = tf.train.ProximalAdagradOptimizer(**kwargs).minimize(tf.reduce_sum(x * x))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            sess.run(train)


def test_proximal_gradient_descent_takes_any_rate_as_tf_does():
    w = tf.Variable([1.0, -2.0])
    train = tf.train.ProximalGradientDescentOptimizer(-0.1, 0.1).minimize(tf.reduce_sum(w * w))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        np.testing.assert_allclose(sess.run(w), [1.21, -2.41], rtol=1e-6)  # (TF's values)


def test_learning_rate_may_be_a_function_of_a_fed_tensor():
    w = tf.Variable([1.0, -2.0])
    lr = tf.placeholder(tf.float32, [])
    train = tf.train.AdagradOptimizer(lambda: lr * 2).minimize(tf.reduce_sum(w * w))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, {lr: 0.0})
        np.testing.assert_array_equal(sess.run(w), [1.0, -2.0])
        sess.run(train, {lr: 0.05})  # accum 4.1 + 4, 16.1 + 16: w -= 0.1 * g / sqrt(accum)
        np.testing.assert_allclose(sess.run(w), [1.0 - 0.2 / np.sqrt(8.1),
                                                 -2.0 + 0.4 / np.sqrt(32.1)], rtol=1e-6)
