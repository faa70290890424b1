"""Session.run: fetch structures, feeds, errors, execution order and the cached plan."""
import collections

import numpy as np
import pytest

import minitf as tf
from minitf import session as session_module
from minitf.framework.registry import register_op


@register_op("TestSessionCounter", shape=lambda *inputs: (), dtype=lambda *inputs: tf.int32,
             differentiable=False, stateful=True)
def _counter(state, op, *inputs):
    state[op] = state.get(op, 0) + 1
    state.setdefault("order", []).append(op.name)
    return np.int32(state[op])


def counter(name, *inputs):
    return _counter.apply(list(inputs), name=name)


@pytest.fixture
def x():
    return tf.placeholder(tf.float32, [None, 2], name="x")


def test_fetch_structures_come_back_in_the_same_shape(x):
    y = x * 2.0
    Pair = collections.namedtuple("Pair", "a b")
    with tf.Session() as sess:
        feed = {x: [[1.0, 2.0]]}
        out = sess.run({"a": [y, (y.op,)], "b": Pair(y, "x:0")}, feed)
    np.testing.assert_array_equal(out["a"][0], [[2.0, 4.0]])
    assert out["a"][1] == (None,)
    assert isinstance(out["b"], Pair)
    np.testing.assert_array_equal(out["b"].b, [[1.0, 2.0]])


def test_fetch_by_name_and_operation(x):
    tf.identity(x, name="y")
    with tf.Session() as sess:
        assert sess.run("y", {x: [[1, 2]]}) is None
        np.testing.assert_array_equal(sess.run("y:0", {"x:0": [[3, 4]]}), [[3, 4]])


def test_feeding_a_non_placeholder_overrides_it(x):
    y = x * 2.0
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {y: [[9.0, 9.0]]}), [[9.0, 9.0]])


@pytest.mark.parametrize("fetch, error, words", [
    (None, TypeError, "Cannot be None"),
    (3, TypeError, "must be a string or Tensor"),
    ("nope:0", ValueError, "cannot be interpreted as a Tensor"),
])
def test_bad_fetches(fetch, error, words):
    with tf.Session() as sess:
        with pytest.raises(error, match=words):
            sess.run(fetch)


def test_fetch_from_another_graph_raises_value_error():
    with tf.Graph().as_default():
        other = tf.constant(1)
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="is not an element of this graph"):
            sess.run(other)


def test_wrong_feed_shape_raises_value_error(x):
    with tf.Session() as sess:
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(2,\) for Tensor x:0, "
                                             r"which has shape \(\?, 2\)"):
            sess.run(x, {x: [1.0, 2.0]})


def test_wrong_feed_dtype_raises_value_error_naming_the_tensor():
    i = tf.placeholder(tf.int32, [2], name="i")
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="Cannot feed value of dtype float64 for Tensor i:0, "
                                             "which has dtype int32"):
            sess.run(i, {i: [1.5, 2.5]})
        with pytest.raises(ValueError, match="out of range for dtype int32"):
            sess.run(i, {i: [2**40, 1]})
        assert sess.run(i, {i: np.array([1, 2], np.int64)}).dtype == np.int32


def test_feeding_a_tensor_value_or_unknown_key_raises_type_error(x):
    with tf.Session() as sess:
        with pytest.raises(TypeError, match="The value of a feed cannot be a tf.Tensor object"):
            sess.run(x, {x: tf.constant([[1.0, 2.0]])})
        with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor"):
            sess.run(x, {"zz:0": 1})


def test_unfed_placeholder_raises_invalid_argument_naming_it(x):
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="You must feed a value for placeholder tensor 'x' with dtype "
                                 r"float and shape \[\?,2\]") as info:
            sess.run(x * 2.0)
    assert info.value.op is x.op and info.value.error_code == tf.errors.INVALID_ARGUMENT


def test_only_needed_ops_run_each_once_in_dependency_order():
    a = counter("a")
    b = counter("b", a)
    c = counter("c", a, b)  # a is reached twice
    counter("unused", a)
    with tf.Session() as sess:
        assert sess.run(c) == 1
        assert sess._state["order"] == ["a", "b", "c"]
        assert sess.run([c, b]) == [2, 2]


def test_control_dependencies_run_first():
    a = counter("a")
    with tf.control_dependencies([a]):
        b = counter("b")
    with tf.Session() as sess:
        sess.run(b)
        assert sess._state["order"] == ["a", "b"]


def test_plan_is_compiled_once_per_fetch_and_feed_keys(x, monkeypatch):
    builds = []
    real = session_module._compile_plan
    monkeypatch.setattr(session_module, "_compile_plan",
                        lambda *args: builds.append(args[1]) or real(*args))
    y = x + 1.0
    with tf.Session() as sess:
        for value in ([[1.0, 2.0]], [[3.0, 4.0]], [[5.0, 6.0]]):
            np.testing.assert_array_equal(sess.run(y, {x: value}), np.add(value, 1))
        assert len(builds) == 1
        sess.run([y], {x: [[1.0, 2.0]]})
        sess.run(y, {"x:0": [[1.0, 2.0]]})
        assert len(builds) == 3


def test_make_callable_runs_with_positional_feeds(x):
    y = x * 3.0
    with tf.Session() as sess:
        f = sess.make_callable([y], feed_list=[x])
        np.testing.assert_array_equal(f([[1.0, 2.0]])[0], [[3.0, 6.0]])
        with pytest.raises(TypeError, match="takes 1 feed values, got 0"):
            f()


def test_closed_session_raises_runtime_error():
    sess = tf.Session()
    sess.close()
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session"):
        sess.run(tf.constant(1))


def test_context_manager_sets_default_session_and_graph():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(5)
    assert tf.get_default_session() is None
    with tf.Session(graph=g) as sess:
        assert tf.get_default_session() is sess and tf.get_default_graph() is g
        assert c.eval() == 5 and sess.graph is g
    assert tf.get_default_session() is None


def test_as_default_and_eval_errors():
    c = tf.constant(2)
    sess = tf.Session()
    with sess.as_default():
        assert c.eval() == 2
        assert tf.no_op().run() is None
    with pytest.raises(ValueError, match="No default session is registered"):
        c.eval()
    assert c.eval(session=sess) == 2
    with tf.Graph().as_default():
        other = tf.Session()
    with pytest.raises(ValueError, match="graph is different"):
        c.eval(session=other)


def test_interactive_session_installs_itself_until_closed():
    sess = tf.InteractiveSession()
    assert tf.get_default_session() is sess and tf.constant(3).eval() == 3
    sess.close()
    assert tf.get_default_session() is None


def test_two_sessions_hold_independent_state():
    a = counter("a")
    s1, s2 = tf.Session(), tf.Session()
    assert [s1.run(a), s1.run(a), s2.run(a)] == [1, 2, 1]


def test_kernel_failure_becomes_invalid_argument_error_naming_the_op():
    a = tf.placeholder(tf.float32, [None, None])
    m = tf.matmul(a, a, name="mm")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="node mm"):
            sess.run(m, {a: np.ones((2, 3))})


def test_run_docstring_example_holds():
    import doctest

    result = doctest.testmod(session_module, extraglobs={"tf": tf})
    assert result.attempted >= 2 and result.failed == 0


def test_feeding_one_tensor_twice_is_an_error():
    x = tf.placeholder(tf.float32, [], name="twice")
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="Tensor twice:0 is fed twice"):
            sess.run(x * 2.0, {x: 1.0, "twice:0": 2.0})


def test_a_strided_feed_runs_as_its_contiguous_copy():
    # fed views (every other row, a column slice, Fortran order) reach the kernels C-contiguous,
    # so the fused kernels run on them, and train to the very values of their copies
    rng = np.random.RandomState(0)
    data = rng.randn(16, 6).astype(np.float32)
    x = tf.placeholder(tf.float32, [None, 3])
    w = tf.Variable(rng.randn(3, 2).astype(np.float32))
    loss = tf.reduce_mean(tf.square(tf.tanh(tf.matmul(x, w))))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    for view in (data[::2, :3], data[:, 1:4], np.asfortranarray(data[:, :3])):
        with tf.Session() as sess:
            seen = sess.run(tf.identity(x), {x: view})
            assert seen.flags.c_contiguous and np.array_equal(seen, view)
            trained = []
            for feed in (view, np.ascontiguousarray(view)):
                sess.run(tf.global_variables_initializer())
                for _ in range(3):
                    sess.run(train, {x: feed})
                trained.append(sess.run(w))
            assert np.array_equal(*trained)


@pytest.mark.parametrize("fetch", [lambda x: x, tf.identity, lambda x: tf.reshape(x, [3, 1])])
def test_a_fetch_never_shares_the_feeds_memory(fetch):
    # TF fetches fresh arrays: writing to a fetched value must not change the caller's feed
    x = tf.placeholder(tf.float32, [3])
    fed = np.array([1.0, 2.0, 3.0], np.float32)
    with tf.Session() as sess:
        out = sess.run(fetch(x), {x: fed})
    assert not np.shares_memory(out, fed) and out.flags.writeable
    out[...] = 0
    np.testing.assert_array_equal(fed, [1.0, 2.0, 3.0])
