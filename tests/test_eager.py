"""Eager execution (issue 16): eager tensors, the switches, eager variables and the seed's eager
rule, EagerVariableStore, GradientTape (against graph-mode tf.gradients for every op with a
gradient case) and eager optimizers. Expected values were checked against TensorFlow eagerly."""
import gc

import numpy as np
import opcases
import pytest
import test_gradient_check as grad_cases

import minitf as tf
from minitf.framework.eager import EagerGraph

pytestmark = pytest.mark.global_graph  # (tests switch the program to eager mode)


# -- the switches ----------------------------------------------------------------------------------
def test_graph_mode_is_the_default_and_the_switches_toggle_it():
    assert not tf.executing_eagerly()
    tf.enable_eager_execution()
    try:
        assert tf.executing_eagerly()
        tf.enable_eager_execution()  # (again: a no-op)
        assert isinstance(tf.get_default_graph(), EagerGraph)
        with tf.Graph().as_default():
            assert not tf.executing_eagerly()  # a graph block builds a graph, as in TF
            assert tf.constant(1.0).name == "Const:0"
        tf.reset_default_graph()
        assert tf.executing_eagerly()  # (a reset keeps the program eager)
    finally:
        tf.disable_eager_execution()
    assert not tf.executing_eagerly()
    assert type(tf.get_default_graph()) is tf.Graph


def test_v2_behavior_switches_eager_and_resource_variables_together():
    tf.enable_v2_behavior()
    try:
        assert tf.executing_eagerly() and tf.resource_variables_enabled()
    finally:
        tf.disable_v2_behavior()
    assert not tf.executing_eagerly() and not tf.resource_variables_enabled()
    assert type(tf.Variable(1.0)) is tf.Variable  # TF1: a ref variable again


def test_enable_eager_execution_must_come_first():
    tf.constant(1.0)
    with pytest.raises(ValueError, match="must be called at program startup"):
        tf.enable_eager_execution()
    with tf.Graph().as_default(), pytest.raises(ValueError, match="program startup"):
        tf.enable_eager_execution()
    assert not tf.executing_eagerly()


def test_eager_mode_runs_one_block_eagerly():
    with tf.eager_mode():
        assert tf.executing_eagerly()
        assert (tf.constant(2.0) * 3.0).numpy() == 6.0
    assert not tf.executing_eagerly()
    assert tf.get_default_graph().get_operations() == []  # nothing went into the graph


# -- eager tensors ---------------------------------------------------------------------------------
def test_eager_tensor_holds_its_value(eager):
    x = tf.constant([1.0, 2.0])
    y = x * 2.0 + 1.0
    assert isinstance(y, tf.Tensor)
    np.testing.assert_array_equal(y.numpy(), [3.0, 5.0])
    assert y.numpy().dtype == np.float32 and y.dtype == tf.float32
    assert y.shape == tf.TensorShape([2]) and y.shape.as_list() == [2]
    assert repr(y) == "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([3., 5.], dtype=float32)>"
    assert str(y) == "tf.Tensor([3. 5.], shape=(2,), dtype=float32)"
    assert repr(tf.constant(6.0)) == "<tf.Tensor: shape=(), dtype=float32, numpy=6.0>"
    assert repr(tf.constant("ab")) == "<tf.Tensor: shape=(), dtype=string, numpy=b'ab'>"
    assert y.device.endswith("device:CPU:0")


def test_eager_tensor_works_as_a_numpy_value(eager):
    x = tf.constant([[1, 2], [3, 4]])
    np.testing.assert_array_equal(np.asarray(x) * 2, [[2, 4], [6, 8]])
    assert len(x) == 2 and [r.numpy().tolist() for r in x] == [[1, 2], [3, 4]]
    assert float(tf.constant(3.5)) == 3.5 and int(tf.constant(4)) == 4
    assert bool(tf.constant(True)) and not bool(tf.constant(0.0))
    assert [10, 20, 30][tf.constant(1)] == 20
    assert f"{tf.constant(2.5):.2f}" == "2.50"
    s = x.numpy()
    s[0, 0] = 100  # the caller's own copy
    assert x.numpy()[0, 0] == 1
    with pytest.raises(TypeError, match="Scalar tensor has no `len"):
        len(tf.constant(1.0))
    with pytest.raises(TypeError, match="iterate over a scalar"):
        iter(tf.constant(1.0))
    assert x is x and (x == x) is True  # TF1: identity, so tensors stay dict keys


@pytest.mark.parametrize("attr", ["name", "op", "graph"])
def test_graph_only_attributes_raise_tfs_errors(eager, attr):
    with pytest.raises(AttributeError, match=f"Tensor.{attr} is undefined when eager"):
        getattr(tf.constant(1.0), attr)


def test_graph_only_calls_raise_tfs_errors(eager):
    x = tf.constant([1.0])
    with pytest.raises(NotImplementedError, match="eval is not supported when eager"):
        x.eval()
    with pytest.raises(RuntimeError, match="placeholder\\(\\) is not compatible with eager"):
        tf.placeholder(tf.float32)
    with pytest.raises(RuntimeError, match="Use tf.GradientTape"):
        tf.gradients(x, x)
    with pytest.raises(RuntimeError, match="Session cannot run eager code"):
        tf.Session()


def test_op_errors_are_tfs_eager_errors(eager):
    # TF eager runs no shape inference: a bad shape is the kernel's InvalidArgumentError
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Dimensions must be equal.*MatMul"):
        tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[Op:GatherV2\]"):
        tf.gather(tf.ones([2]), [5])


def test_an_eager_tensor_given_to_a_graph_op_becomes_a_constant():
    with tf.eager_mode():
        x = tf.constant([1.0, 2.0])
    y = x * 3.0  # graph mode: x is captured as a Const of its value
    assert y.name == "mul:0" and y.op.inputs[0].op.type == "Const"
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y), [3.0, 6.0])


def test_seeded_random_ops_continue_their_stream(eager):
    a = tf.random_uniform([3], seed=7).numpy()
    b = tf.random_uniform([3], seed=7).numpy()
    assert not np.array_equal(a, b)  # as TF: the second call draws the next values
    assert a.dtype == np.float32 and ((a >= 0) & (a < 1)).all()


# -- eager variables and the seed's eager rule -----------------------------------------------------
def test_eager_variables_are_resource_variables_named_by_scopes_without_uniquifying(eager):
    with tf.name_scope("a"):
        a = tf.Variable(1.0, name="x")
    with tf.name_scope("a"):
        b = tf.Variable(1.0, name="x")
    assert (a.name, b.name) == ("a/x:0", "a/x:0")  # repeated names are not made unique
    assert (tf.Variable(2.0).name, tf.Variable(3.0).name) == ("Variable:0", "Variable:0")
    assert type(a) is tf.ResourceVariable
    assert tf.global_variables() == [] and tf.trainable_variables() == []


def test_get_variable_always_creates_outside_a_store(eager):
    # the seed: "new variables are always created unless an EagerVariableStore or template is
    # currently active", whatever reuse says
    with tf.variable_scope("foo"):
        v1 = tf.get_variable("v", [2], initializer=tf.ones_initializer())
    with tf.variable_scope("foo"):
        v2 = tf.get_variable("v", [2])
    with tf.variable_scope("foo", reuse=True):
        v3 = tf.get_variable("v", [2])
    with tf.variable_scope("foo", reuse=tf.AUTO_REUSE):
        v4 = tf.get_variable("v", [2])
    assert [v.name for v in (v1, v2, v3, v4)] == ["foo/v:0"] * 4
    assert len({id(v) for v in (v1, v2, v3, v4)}) == 4
    assert type(v1) is tf.ResourceVariable


def test_eager_variable_reads_updates_and_repr(eager):
    v = tf.get_variable("v", initializer=[1.0, 2.0])
    assert repr(v) == ("<tf.Variable 'v:0' shape=(2,) dtype=float32, "
                       "numpy=array([1., 2.], dtype=float32)>")
    v.assign_add([1.0, 1.0])
    np.testing.assert_array_equal(v.numpy(), [2.0, 3.0])
    np.testing.assert_array_equal(v.assign([5.0, 5.0]).numpy(), [5.0, 5.0])
    np.testing.assert_array_equal((v * v).numpy(), [25.0, 25.0])
    np.testing.assert_array_equal(v.read_value().numpy(), [5.0, 5.0])


def test_numpy_of_a_graph_variable_raises():
    with pytest.raises(NotImplementedError, match="only available when eager"):
        tf.Variable(1.0).numpy()


def test_a_deleted_eager_variable_releases_its_value(eager):
    state = tf.get_default_graph()._state
    before = len(state)
    v = tf.Variable(np.zeros(1000, np.float32))
    v.assign_add(np.ones(1000, np.float32))  # (takes the variable's lock too)
    assert len(state) > before
    del v
    gc.collect()
    assert len(state) == before


# -- EagerVariableStore ----------------------------------------------------------------------------
def test_a_store_shares_variables_with_forced_auto_reuse(eager):
    store = tf.EagerVariableStore()
    with store.as_default():
        with tf.variable_scope("s"):
            w = tf.get_variable("w", [2])
            again = tf.get_variable("w", [2])  # reuse unset: shared, no "already exists"
        with tf.variable_scope("s", reuse=True):
            assert tf.get_variable("w", [2]) is w
            u = tf.get_variable("u", [1])  # unknown under reuse=True: created
        with tf.variable_scope("t"):
            n = tf.get_variable("n", [1], trainable=False)
        with pytest.raises(ValueError, match=r"Trying to share variable s/w, but specified shape "
                                             r"\(3,\) and found shape \(2,\)"):
            tf.get_variable("s/w", [3])
        with pytest.raises(ValueError, match="specified dtype int32 and found dtype float32"):
            tf.get_variable("s/w", [2], dtype=tf.int32)
    assert again is w and u.name == "s/u:0"
    assert [v.name for v in store.variables()] == ["s/u:0", "s/w:0", "t/n:0"]
    assert [v.name for v in store.trainable_variables()] == ["s/u:0", "s/w:0"]
    assert store.non_trainable_variables() == [n]
    with tf.variable_scope("s"):
        assert tf.get_variable("w", [2]) is not w  # the store is no longer active


def test_store_copies_are_independent(eager):
    store = tf.EagerVariableStore()
    with store.as_default():
        w = tf.get_variable("w", initializer=[1.0, 2.0])
        tf.get_variable("n", [1], trainable=False)
    copy = store.copy()
    assert [v.name for v in copy.variables()] == ["n:0", "w:0"]
    assert [v.trainable for v in copy.variables()] == [False, True]
    w2 = copy.variables()[1]
    assert w2 is not w
    np.testing.assert_array_equal(w2.numpy(), [1.0, 2.0])
    w2.assign([7.0, 7.0])
    np.testing.assert_array_equal(w.numpy(), [1.0, 2.0])
    with copy.as_default():
        assert tf.get_variable("w", [2]) is w2


def test_store_is_reachable_where_tf1_keeps_it_and_refuses_other_stores():
    assert tf.contrib.eager.EagerVariableStore is tf.EagerVariableStore
    assert tf.contrib.eager.GradientTape is tf.GradientTape
    shared = tf.EagerVariableStore()
    assert tf.EagerVariableStore(shared._store)._store is shared._store
    with pytest.raises(ValueError, match="not an eager store"):
        tf.EagerVariableStore(object())


def test_nested_stores_use_the_innermost(eager):
    outer, inner = tf.EagerVariableStore(), tf.EagerVariableStore()
    with outer.as_default():
        a = tf.get_variable("a", [1])
        with inner.as_default():
            b = tf.get_variable("a", [1])
        assert tf.get_variable("a", [1]) is a
    assert b is not a and inner.variables() == [b] and outer.variables() == [a]


# -- GradientTape ----------------------------------------------------------------------------------
def test_tape_gradients_of_watched_tensors_and_read_variables(eager):
    v = tf.Variable([1.0, 2.0])
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(v * v) * x
    gv, gx = tape.gradient(y, [v, x])
    np.testing.assert_array_equal(gv.numpy(), [6.0, 12.0])
    assert gx.numpy() == 5.0
    assert tape.watched_variables() == (v,)
    with pytest.raises(RuntimeError, match="non-persistent GradientTape can only be used to "
                                           "compute one set of gradients"):
        tape.gradient(y, x)


def test_tape_options_and_structures(eager):
    x = tf.constant(3.0)
    v = tf.Variable(2.0)
    with tf.GradientTape(persistent=True, watch_accessed_variables=False) as tape:
        tape.watch(x)
        y = x * x
        with tape.stop_recording():
            z = x * x * x
        w = v * x
    assert tape.gradient(y, x).numpy() == 6.0
    assert tape.gradient(z, x) is None  # not recorded
    assert tape.gradient(z, x, unconnected_gradients="zero").numpy() == 0.0
    assert tape.gradient(w, v) is None  # not watched
    grads = tape.gradient(y, {"a": x, "b": [x]})
    assert grads["a"].numpy() == 6.0 and grads["b"][0].numpy() == 6.0
    assert tape.gradient(y, x, output_gradients=tf.constant(2.0)).numpy() == 12.0
    with pytest.raises(ValueError, match="not tf.Tensor or tf.Variable"):
        tape.watch("x")
    with tf.GradientTape() as active, pytest.raises(ValueError, match="still recording"):
        with active:
            pass


def test_nested_tapes_give_second_derivatives(eager):
    x = tf.constant(3.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x * x * x
        dy = inner.gradient(y, x)
    assert dy.numpy() == 27.0 and outer.gradient(dy, x).numpy() == 18.0


def test_gather_gradient_is_indexed_slices(eager):
    w = tf.Variable([[1.0], [2.0]])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.nn.embedding_lookup(w, [0, 0, 1]))
    g = tape.gradient(loss, w)
    assert isinstance(g, tf.IndexedSlices)
    np.testing.assert_array_equal(g.indices.numpy(), [0, 0, 1])
    np.testing.assert_array_equal(tf.convert_to_tensor(g).numpy(), [[2.0], [1.0]])


def _graph_values_and_grads(builder, values):
    with tf.Graph().as_default():
        xs = [tf.constant(v) for v in values]
        y = tf.convert_to_tensor(builder(*xs))
        weights = tf.constant(np.linspace(0.5, 1.5, max(int(np.prod(y.shape.as_list())), 1))
                              .reshape(y.shape.as_list()))
        grads = tf.gradients(tf.reduce_sum(y * weights), xs)
        grads = [tf.zeros_like(x) if g is None else tf.convert_to_tensor(g)
                 for x, g in zip(xs, grads)]
        with tf.Session() as sess:
            return sess.run([y, weights, grads])


def _eager_values_and_grads(builder, values, weights):
    with tf.eager_mode():
        xs = [tf.constant(v) for v in values]
        with tf.GradientTape() as tape:
            tape.watch(xs)
            y = tf.convert_to_tensor(builder(*xs))
            loss = tf.reduce_sum(y * weights)
        grads = tape.gradient(loss, xs, unconnected_gradients="zero")
        return y.numpy(), [tf.convert_to_tensor(g).numpy() for g in grads]


# (the gradient helper ops' cases build tf.gradients themselves: graph mode only)
_CASES = [(t, c) for t, cases in grad_cases.CASES.items() for c in cases
          if not t.endswith("Grad")]


@pytest.mark.parametrize("op_type, case", _CASES, ids=lambda v: v if isinstance(v, str) else "")
def test_every_gradient_case_runs_eagerly_as_in_a_graph(op_type, case):
    # each op with a gradient: its eager value and GradientTape gradient equal the graph's
    # value and tf.gradients gradient
    builder, values, *_ = case
    y, weights, graph_grads = _graph_values_and_grads(builder, values)
    eager_y, eager_grads = _eager_values_and_grads(builder, values, weights)
    np.testing.assert_allclose(eager_y, y, rtol=1e-12, atol=1e-12)
    for e, g in zip(eager_grads, graph_grads):
        np.testing.assert_allclose(e, g, rtol=1e-12, atol=1e-12)


# -- eager optimizers ------------------------------------------------------------------------------
OPTIMIZERS = pytest.mark.parametrize("make_optimizer", [
    lambda: tf.train.GradientDescentOptimizer(0.1),
    lambda: tf.train.MomentumOptimizer(0.1, 0.9),
    lambda: tf.train.AdamOptimizer(0.05),
], ids=["sgd", "momentum", "adam"])
X = np.random.RandomState(0).randn(8, 3).astype(np.float32)
Y = np.random.RandomState(1).randn(8, 1).astype(np.float32)


def _graph_training(make_optimizer, steps):
    with tf.Graph().as_default():
        w = tf.get_variable("w", initializer=np.ones((3, 1), np.float32), use_resource=True,
                            constraint=lambda t: tf.clip_by_value(t, -0.3, 0.9))
        b = tf.get_variable("b", initializer=[0.5])
        loss = tf.reduce_mean(tf.square(tf.matmul(X, w) + b - Y))
        step = make_optimizer().minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(steps):
                sess.run(step)
            return sess.run([w, b])


@OPTIMIZERS
def test_eager_training_equals_graph_training_with_a_constraint(make_optimizer):
    expected = _graph_training(make_optimizer, 5)
    with tf.eager_mode():
        w = tf.get_variable("w", initializer=np.ones((3, 1), np.float32),
                            constraint=lambda t: tf.clip_by_value(t, -0.3, 0.9))
        b = tf.get_variable("b", initializer=[0.5])
        opt = make_optimizer()
        step = tf.Variable(0, name="global_step", dtype=tf.int64, trainable=False)
        for _ in range(5):
            assert opt.minimize(lambda: tf.reduce_mean(tf.square(tf.matmul(X, w) + b - Y)),
                                global_step=step) is None
        np.testing.assert_allclose(w.numpy(), expected[0], rtol=1e-6)
        np.testing.assert_allclose(b.numpy(), expected[1], rtol=1e-6)
        assert w.numpy().max() <= 0.9 and step.numpy() == 5  # the constraint held


def test_eager_minimize_with_var_list_and_apply_gradients(eager):
    w = tf.Variable([1.0, -2.0])
    frozen = tf.Variable([3.0])
    opt = tf.train.GradientDescentOptimizer(0.5)
    opt.minimize(lambda: tf.reduce_sum(w * w) + tf.reduce_sum(frozen * frozen), var_list=[w])
    np.testing.assert_array_equal(w.numpy(), [0.0, 0.0])
    np.testing.assert_array_equal(frozen.numpy(), [3.0])
    opt.apply_gradients([(tf.constant([2.0]), frozen)])
    np.testing.assert_array_equal(frozen.numpy(), [2.0])
    with pytest.raises(RuntimeError, match="should be a function when eager execution"):
        opt.minimize(tf.reduce_sum(w))


# -- templates -------------------------------------------------------------------------------------
def _linear(x):
    w = tf.get_variable("w", [1], initializer=tf.ones_initializer())
    with tf.variable_scope("inner"):
        b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
    return x * w + b


def test_an_eager_template_shares_its_variables(eager):
    # the seed: a template keeps the variables it creates, as an EagerVariableStore does
    t = tf.make_template("lin", _linear)
    assert type(t).__name__ == "EagerTemplate" and t.variables == []
    t(tf.constant([2.0]))
    first = t.variables
    assert t(tf.constant([3.0])).numpy() == 3.0
    assert [v.name for v in first] == ["lin/inner/b:0", "lin/w:0"]
    assert t.variables == first and t.trainable_variables == first
    assert t.global_variables == first and t.local_variables == []
    assert t.non_trainable_variables == [] and t.variable_scope_name == "lin/"
    other = tf.make_template("lin", _linear)
    other(1.0)
    assert [v.name for v in other.variables] == ["lin_1/inner/b:0", "lin_1/w:0"]


def test_an_eager_template_refuses_a_late_trainable_variable(eager):
    calls = []

    def grows(x):  # a new variable name on every call
        calls.append(x)
        return x * tf.get_variable(f"w{len(calls)}", [], initializer=tf.ones_initializer())

    t = tf.make_template("g", grows)
    t(1.0)
    with pytest.raises(ValueError, match=r"Trainable variable created when calling a template "
                                         r"after the first time.*g/w2:0"):
        t(1.0)


def test_eager_templates_are_made_in_eager_mode_only():
    from minitf.template import EagerTemplate

    with pytest.raises(RuntimeError, match="only be used when eager execution is enabled"):
        EagerTemplate("t", _linear)


def test_setting_the_seed_again_restarts_eager_streams(eager):
    tf.set_random_seed(3)
    first = [tf.random_normal([2]).numpy() for _ in range(2)]
    tf.set_random_seed(3)
    again = [tf.random_normal([2]).numpy() for _ in range(2)]
    np.testing.assert_array_equal(np.array(first), np.array(again))
    assert not np.array_equal(first[0], first[1])  # successive calls continue the stream


# -- every op runs eagerly ------------------------------------------------------------------------
B = np.array([[True, False, True], [False, False, True]])


def _unknown(x):  # (a static shape would fold the op into a constant)
    return tf.placeholder_with_default(x, [None, None])


M = np.array([[1.0, 4.0, 2.0], [3.0, 0.5, 2.0]])
SPECIAL = np.array([1.0, np.inf, -np.inf, np.nan, 0.0])

# The stateless ops without a gradient (the gradient cases above run every other one): each
# builder's eager value equals its graph value.
STATELESS = {
    "All": lambda: tf.reduce_all(B, 1), "Any": lambda: tf.reduce_any(B, 0),
    "ArgMax": lambda: tf.argmax(M, 1), "ArgMin": lambda: tf.argmin(M, 0),
    "Equal": lambda: tf.equal(M, 2.0), "NotEqual": lambda: tf.not_equal(M, 2.0),
    "Greater": lambda: tf.greater(M, 2.0), "GreaterEqual": lambda: tf.greater_equal(M, 2.0),
    "Less": lambda: tf.less(M, 2.0), "LessEqual": lambda: tf.less_equal(M, 2.0),
    "LogicalAnd": lambda: tf.logical_and(B, ~B[::-1]), "LogicalOr": lambda: tf.logical_or(B, B),
    "LogicalNot": lambda: tf.logical_not(B), "OneHot": lambda: tf.one_hot([2, 0, 1], 3),
    "OnesLike": lambda: tf.ones_like(_unknown(M)), "ZerosLike": lambda: tf.zeros_like(_unknown(B)),
    "MatrixDiagPart": lambda: tf.linalg.diag_part(M[:, :2]),
    "Qr": lambda: tf.linalg.qr(M.T), "Rank": lambda: tf.rank(tf.placeholder_with_default(M, None)),
    "Shape": lambda: tf.shape(M),
    "Size": lambda: tf.size(M), "StopGradient": lambda: tf.stop_gradient(M),
    "Unique": lambda: tf.unique([3, 1, 3, 2]), "Where": lambda: tf.where(B),
    "GatherTree": lambda: tf.contrib.seq2seq.gather_tree(  # (tf.contrib.seq2seq's)
        [[[1, 2]], [[3, 4]], [[5, 6]]], [[[0, 0]], [[1, 0]], [[0, 1]]], [3], end_token=9),
    "Const": lambda: tf.constant(M),
    "MatrixSolveLs": lambda: tf.matrix_solve_ls(M.T, M[:1].T, fast=False),  # (issue 17)
    # issue 17, item 3: array ops
    "Range": lambda: tf.range(1, 7, 2), "LinSpace": lambda: tf.linspace(0.0, 1.0, 5),
    "InvertPermutation": lambda: tf.invert_permutation([2, 0, 1]),
    "ListDiff": lambda: tf.setdiff1d([1, 2, 3, 4], [2, 4]),
    "LowerBound": lambda: tf.searchsorted([[1, 3, 5]], [[3, 6]]),
    "UpperBound": lambda: tf.searchsorted([[1, 3, 5]], [[3, 6]], side="right"),
    "UniqueWithCounts": lambda: tf.unique_with_counts([3, 1, 3, 2]),
    "ShapeN": lambda: tf.shape_n([M, B]), "ParallelConcat": lambda: tf.parallel_stack([M, M]),
    "BroadcastArgs": lambda: tf.broadcast_dynamic_shape([2, 1], [3]),
    "HistogramFixedWidth": lambda: tf.histogram_fixed_width([0.5, 3.0, 9.0], [0.0, 4.0], 4),
    "RadialConstraint": lambda: tf.constraints.RadialConstraint()(
        tf.constant(np.arange(9.0).reshape(3, 3, 1, 1))),
    # issue 17, item 1: element-wise math
    "IsFinite": lambda: tf.is_finite(SPECIAL), "IsInf": lambda: tf.is_inf(SPECIAL),
    "IsNan": lambda: tf.is_nan(SPECIAL), "TruncateMod": lambda: tf.truncatemod(M, -1.5),
    "BitwiseAnd": lambda: tf.bitwise.bitwise_and([12, 5, -3], 10),
    "BitwiseOr": lambda: tf.bitwise.bitwise_or([12, 5, -3], 10),
    "BitwiseXor": lambda: tf.bitwise.bitwise_xor([12, 5, -3], 10),
    "Invert": lambda: tf.bitwise.invert(tf.constant([0, 5], tf.uint8)),
    "LeftShift": lambda: tf.bitwise.left_shift([12, 5, -3], [2, 40, -1]),
    "RightShift": lambda: tf.bitwise.right_shift([12, 5, -3], [1, 40, -1]),
}
# The ops of ref variables and of feeding: graph mode only (eager variables are resource ones).
GRAPH_ONLY = {"VariableV2", "Assign", "AssignAdd", "AssignSub", "IsVariableInitialized",
              "ApplyGradientDescent", "ApplyMomentum", "ApplyAdam", "SparseApplyMomentum",
              "SparseApplyAdam", "ScatterAdd", "ScatterSub", "Placeholder",
              "ReportUninitialized", "CountUpTo", "ScatterUpdate", "ScatterMul",
              "ScatterDiv", "ScatterMin", "ScatterMax", "ScatterNdUpdate", "ScatterNdAdd",
              "ScatterNdSub"}
# The stateful and gradient-helper ops, run eagerly by the tests named here.
ELSEWHERE = {
    "IgammaGradA": "test_elementwise_ops",
    "Assert": "test_debug_script_ops", "PyFunc": "test_debug_script_ops",
    "EagerPyFunc": "test_debug_script_ops",
    "VarHandleOp": "variables", "AssignVariableOp": "variables", "VarIsInitializedOp": "below",
    "AssignAddVariableOp": "test_eager_variable_reads_updates_and_repr",
    "AssignSubVariableOp": "below", "NoOp": "below", "RandomUniform": "seeded random",
    "RandomStandardNormal": "seeded random", "TruncatedNormal": "below",
    "RandomUniformInt": "below", "ResourceApplyGradientDescent": "eager training",
    "ResourceApplyMomentum": "eager training", "ResourceApplyAdam": "eager training",
    "ResourceSparseApplyMomentum": "sparse training", "ResourceSparseApplyAdam": "sparse training",
    "ResourceScatterAdd": "sparse training", "ResourceScatterSub": "sparse training",
    "EmbeddingLookupGrad": "sparse training", "ClipEmbeddingsByNormGrad": "sparse training",
    **{t: "test_scatter_ops.py::test_resource_scatters_run_eagerly" for t in (
        "ResourceScatterUpdate", "ResourceScatterMul", "ResourceScatterDiv", "ResourceScatterMin",
        "ResourceScatterMax", "ResourceScatterNdUpdate", "ResourceScatterNdAdd",
        "ResourceScatterNdSub")},
    "ResourceCountUpTo": "test_scatter_ops.py::test_count_up_to_runs_eagerly",
}


opcases.merged("STATELESS", STATELESS)
opcases.merged("GRAPH_ONLY", GRAPH_ONLY)
opcases.merged("EAGER_ELSEWHERE", ELSEWHERE)


def test_every_registered_op_runs_eagerly_somewhere():
    from minitf.framework.registry import REGISTRY

    covered = set(grad_cases.CASES) | grad_cases.ELSEWHERE | set(STATELESS) | GRAPH_ONLY
    registered = {t for t in REGISTRY if not t.startswith("Test")}  # (tests' own ops)
    assert registered - covered - set(ELSEWHERE) == set()


@pytest.mark.parametrize("op_type", sorted(STATELESS))
def test_stateless_ops_give_their_graph_values_eagerly(op_type):
    with tf.Graph().as_default():
        built = STATELESS[op_type]()
        assert op_type in {op.type for op in tf.get_default_graph().get_operations()}
        with tf.Session() as sess:
            expected = sess.run(built)
    with tf.eager_mode():
        got = STATELESS[op_type]()
    got = [t.numpy() for t in got] if isinstance(got, (list, tuple)) else [got.numpy()]
    expected = expected if isinstance(expected, (list, tuple)) else [expected]
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)


def test_more_stateful_ops_run_eagerly(eager):
    v = tf.Variable([5, 6])
    v.assign_sub([1, 1])
    np.testing.assert_array_equal(v.numpy(), [4, 5])
    assert tf.is_variable_initialized(v).numpy()
    assert tf.group(v.assign([0, 0])) is None and v.numpy().tolist() == [0, 0]  # TF: None
    draws = tf.random_uniform([50], 0, 10, dtype=tf.int32, seed=1).numpy()
    assert draws.dtype == np.int32 and draws.min() >= 0 and draws.max() < 10
    assert np.abs(tf.truncated_normal([100], seed=2).numpy()).max() <= 2.0


def _sparse_training(make_optimizer, steps, eager):
    ids = np.array([0, 2, 2, 4])
    table = np.arange(15, dtype=np.float32).reshape(5, 3) / 10

    def loss(parts):
        emb = tf.nn.embedding_lookup(parts, ids, max_norm=1.5)
        return tf.reduce_sum(tf.square(emb - 0.2))

    if eager:
        parts = [tf.Variable(table[:3]), tf.Variable(table[3:])]
        opt = make_optimizer()
        for _ in range(steps):
            opt.minimize(lambda: loss(parts))
        return [p.numpy() for p in parts]
    with tf.Graph().as_default():
        parts = [tf.Variable(table[:3], use_resource=True),
                 tf.Variable(table[3:], use_resource=True)]
        step = make_optimizer().minimize(loss(parts))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(steps):
                sess.run(step)
            return sess.run(parts)


@OPTIMIZERS
def test_sparse_eager_training_equals_graph_training(make_optimizer):
    # embedding_lookup over two parts with max_norm: IndexedSlices gradients, sparse updates
    expected = _sparse_training(make_optimizer, 4, eager=False)
    with tf.eager_mode():
        got = _sparse_training(make_optimizer, 4, eager=True)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-6)


# -- TF 1.15's eager cases of variable_scope_test.py, in our words --------------------------------
def test_tf_eager_variable_store_and_its_copy(eager):  # testEagerVariableStore
    store = tf.EagerVariableStore()
    with store.as_default():
        v = tf.get_variable("v", shape=(), trainable=True)
        w = tf.get_variable("w", shape=(), trainable=False)
    assert store.trainable_variables() == [v] and store.non_trainable_variables() == [w]
    copy = store.copy()
    with copy.as_default():
        new_v, new_w = tf.get_variable("v"), tf.get_variable("w")
    assert new_v.numpy() == v.numpy() and new_w.numpy() == w.numpy()
    assert copy.trainable_variables() == [new_v] and copy.non_trainable_variables() == [new_w]
    for var in store.variables():
        var.assign(-1.0)
    for var in copy.variables():
        var.assign(1.0)
    assert [var.numpy() for var in store.variables()] == [-1.0, -1.0]
    assert [var.numpy() for var in copy.variables()] == [1.0, 1.0]


def test_tf_store_variables_join_collections_others_do_not(eager):
    # testEagerVariablesStoreAddsToCollections, testEagerVariablesOutsideStoreNotAddedTo...
    tf.get_variable("outside", [], trainable=True)
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES) == []
    store = tf.EagerVariableStore()
    with store.as_default():
        trainable = tf.get_variable("v1", [], trainable=True)
        not_trainable = tf.get_variable("v2", [], trainable=False)
        concat = tf.get_variable("v3", [], collections=[tf.GraphKeys.CONCATENATED_VARIABLES])
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES) == [trainable, not_trainable]
    assert tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES) == [trainable, concat]
    assert tf.get_collection(tf.GraphKeys.CONCATENATED_VARIABLES) == [concat]


def test_tf_layers_reuse_their_variables_in_a_store(eager):
    # testEagerVariableStoreWithFunctionalLayer
    store = tf.EagerVariableStore()
    x = tf.constant([[2.0]])
    with store.as_default():
        y = tf.layers.dense(x, 1, name="my_dense", kernel_initializer=tf.ones_initializer())
    np.testing.assert_array_equal(y.numpy(), [[2.0]])
    assert len(store.variables()) == 2
    with store.as_default():
        tf.layers.dense(x, 1, name="my_dense", kernel_initializer=tf.ones_initializer())
    assert [v.name for v in store.variables()] == ["my_dense/bias:0", "my_dense/kernel:0"]


def test_tf_no_reuse_in_eager_by_default_even_partitioned(eager):  # testNoReuseInEager...
    with tf.variable_scope("scope0", partitioner=tf.fixed_size_partitioner(2)):
        v1 = tf.get_variable("name0", shape=(3, 1, 1))
        v2 = tf.get_variable("name0", shape=(3, 1, 1))
    assert v1 is not v2 and [p.name for p in v1] == ["scope0/name0/part_0:0",
                                                     "scope0/name0/part_1:0"]


def test_tf_partitions_concatenate_along_their_axis_eagerly(eager):
    # testPartitionConcatenatesAlongCorrectAxisResourceInEager
    with tf.variable_scope("root", use_resource=True):
        v0 = tf.get_variable("n0", shape=(2, 2, 2), partitioner=lambda **_: (2, 1, 1))
        v1 = tf.get_variable("n1", shape=(2, 2, 2), partitioner=lambda **_: (1, 2, 1))
    assert v0.get_shape() == (2, 2, 2) and v1.get_shape() == (2, 2, 2)
    assert [p.get_shape() for p in v0] == [(1, 2, 2), (1, 2, 2)]
    assert [p.get_shape() for p in v1] == [(2, 1, 2), (2, 1, 2)]
    assert tf.convert_to_tensor(v1).shape == (2, 2, 2)


def test_tf_eager_values_regularizers_and_a_graph_nested_in_eager(eager):
    # testInitFromNonTensorValue, testVarScopeRegularizer, testGetVariableInGraphNestedUnder...
    v = tf.get_variable("v4", initializer=4, dtype=tf.int32)
    w = tf.get_variable("w4", initializer=np.array([1, 2, 3]), dtype=tf.int64)
    assert v.numpy() == 4 and w.numpy().tolist() == [1, 2, 3] and w.dtype == tf.int64
    with tf.variable_scope("tower3", regularizer=lambda t: tf.reduce_mean(t) + 0.1):
        tf.get_variable("v", [], initializer=tf.constant_initializer(0.3))
        tf.get_variable("x", [], regularizer=tf.no_regularizer)
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert len(losses) == 1 and np.isclose(losses[0].numpy(), 0.4)
    assert type(tf.get_variable("should_be_resource", [])) is tf.ResourceVariable
    with tf.Graph().as_default():
        assert type(tf.get_variable("ref", [])) is tf.Variable  # a graph inside: TF1's default


def test_tf_creators_run_for_eager_variables_and_must_nest(eager):
    # testVariableCreator, testVariableCreatorNestingError
    names = []

    def record(next_creator, **kwargs):
        names.append(kwargs["name"])
        return next_creator(**kwargs)

    def rename(next_creator, **kwargs):
        kwargs["name"] = "forced_name"
        return next_creator(**kwargs)

    with tf.variable_creator_scope(record), tf.variable_creator_scope(rename):
        v = tf.Variable(1.0, name="one_name")
    assert names == ["forced_name"] and v.name == "forced_name:0"
    outer = tf.variable_creator_scope(record)
    outer.__enter__()
    with tf.variable_creator_scope(record), pytest.raises(RuntimeError):
        outer.__exit__(None, None, None)


def test_a_saver_saves_and_restores_eager_variables(eager, tmp_path):
    v = tf.get_variable("v", initializer=[1.0, 2.0])
    with tf.variable_scope("s"):
        w = tf.get_variable("w", initializer=[[3]])
    with pytest.raises(RuntimeError, match="`var_list` must specify a list or dict"):
        tf.train.Saver()
    saver = tf.train.Saver([v, w])
    path = saver.save(None, str(tmp_path / "m"), global_step=tf.constant(3))
    assert path.endswith("m-3") and tf.train.latest_checkpoint(str(tmp_path)) == path
    v.assign([0.0, 0.0])
    w.assign([[0]])
    saver.restore(None, path)
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(w.numpy(), [[3]])
    assert sorted(name for name, _ in tf.train.list_variables(path)) == ["s/w", "v"]
    with tf.Graph().as_default():
        graph_var = tf.Variable(1.0, name="g")
        with pytest.raises(ValueError, match="A Session is needed"):
            tf.train.Saver([graph_var]).save(None, str(tmp_path / "g"))
    with pytest.raises(ValueError, match="graph variable"):
        tf.train.Saver([graph_var]).save(None, str(tmp_path / "g"))


def test_tf1_training_helpers_behave_as_tfs_eagerly(eager):
    assert tf.global_variables_initializer() is None and tf.no_op() is None
    step = tf.train.get_or_create_global_step()
    assert tf.train.get_or_create_global_step() is step  # kept in GLOBAL_STEP, as TF
    assert step.name == "global_step:0" and step.dtype == tf.int64 and step.numpy() == 0
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES) == []
    v = tf.Variable([1.0, 2.0])
    assert v.initializer is None and v.assign([3.0, 4.0], read_value=False) is None


def test_init_from_checkpoint_sets_an_eager_variable_at_once(tmp_path):
    with tf.Graph().as_default():
        tf.get_variable("a", initializer=[1.0, 2.0])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = tf.train.Saver().save(sess, str(tmp_path / "m"))
    with tf.eager_mode():
        v = tf.get_variable("b", [2])
        tf.train.init_from_checkpoint(path, {"a": v})
        np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])


# -- TF 1.15's eager cases of template_test.py, in our words --------------------------------------
def _dummy(trainable=True):
    return tf.get_variable("dummy", shape=[1], trainable=trainable,
                           initializer=tf.zeros_initializer())


def _side_and_dummy(trainable, name="side"):
    tf.get_variable(name, shape=[1], trainable=trainable)
    return _dummy()


def test_tf_eager_template_end_to_end(eager):  # test_end_to_end_eager
    train_x, train_y = [1.0, 2.0, 3.0, 4.0], [2.8, 5.1, 7.2, 8.7]
    test_x, test_y = [5.0, 6.0, 7.0, 8.0], [11.0, 13.0, 15.0, 17.0]
    tf.set_random_seed(1234)

    def line(x):
        m = tf.get_variable("w", shape=[], initializer=tf.truncated_normal_initializer())
        b = tf.get_variable("b", shape=[], initializer=tf.truncated_normal_initializer())
        return x * m + b

    template = tf.make_template("line", line)

    def loss(x, y):
        return tf.reduce_mean(tf.square(template(x) - y))

    before = loss(test_x, test_y).numpy()
    tf.train.GradientDescentOptimizer(0.1).minimize(lambda: loss(train_x, train_y))
    assert loss(test_x, test_y).numpy() < before  # the parameters are shared
    assert [v.name for v in template.variables] == ["line/b:0", "line/w:0"]


def test_tf_eager_template_names_and_scopes(eager):
    # test_template_with_empty_name, test_template_with_name, test_template_in_scope,
    # test_unique_name_raise_error_in_eager
    empty = tf.make_template("", _dummy)
    with tf.variable_scope("outer"):
        tf.get_variable("x", [])
        v = empty()
    assert empty.variable_scope_name == "outer/" and v.name == "outer//dummy:0"
    assert empty.variables == [v]  # (x is not the template's: no collections eagerly)
    first, second = tf.make_template("s1", _dummy), tf.make_template("s1", _dummy)
    with tf.variable_scope("scope"):
        v1, v3 = first(), second()
    with tf.variable_scope("scope2"):
        assert first() is v1
    assert (v1.name, v3.name) == ("scope/s1/dummy:0", "scope/s1_1/dummy:0")
    with pytest.raises(ValueError, match="unique_name_ cannot be used when eager"):
        tf.make_template("_", _dummy, unique_name_="s1")


def test_tf_eager_template_extra_variables(eager):
    # test_enforces_no_extra_trainable_variables_eager, test_permits_extra_non_trainable...
    strict = tf.make_template("s", _side_and_dummy, trainable=True)
    strict(name="1")
    with pytest.raises(ValueError, match="Trainable variable created"):
        strict(name="2")
    lenient = tf.make_template("t", _side_and_dummy, trainable=False)
    assert lenient(name="1") is lenient(name="2")


def test_tf_eager_template_internal_reuse_and_nesting(eager):
    # test_template_with_internal_reuse, test_internal_variable_reuse, test_nested_templates
    def internal(scope_name):
        with tf.variable_scope(scope_name):
            return _dummy()

    t = tf.make_template("s1", internal)
    assert t("test") is t("test") and t("test").name == "s1/test/dummy:0"
    with pytest.raises(ValueError):
        t("not_test")

    def nested():
        inner1, inner2 = tf.make_template("nested", _dummy), tf.make_template("nested", _dummy)
        a, b = inner1(), inner2()
        assert a is not b and inner1.variables == [a] and inner2.variables == [b]
        assert inner1.trainable_variables == [a] and inner2.non_trainable_variables == []
        return a, b

    outer1, outer2 = tf.make_template("o", nested), tf.make_template("o", nested)
    v1, v2 = outer1()
    v3, v4 = outer1()
    v5, v6 = outer2()
    assert (v1, v2) == (v3, v4) and {v1, v2}.isdisjoint({v5, v6})
    assert outer1.variables == [v1, v2] and outer1.trainable_variables == [v1, v2]
    assert outer2.variables == [v5, v6] and outer1.non_trainable_variables == []
    assert [v.name for v in (v1, v2, v5, v6)] == [
        "o/nested/dummy:0", "o/nested_1/dummy:0", "o_1/nested/dummy:0", "o_1/nested_1/dummy:0"]
