"""Variables get_variable makes from minitf's initializers build their ops on first use: the
graph, its names, op order and values must be the same as if they had been built at once."""
import threading

import numpy as np
import pytest

import minitf as tf

from _session import run

_DEFERRABLE = [
    (tf.zeros_initializer(), tf.float32), (tf.zeros_initializer(), tf.int32),
    (tf.zeros_initializer(), tf.bool), (tf.ones_initializer(), tf.int64),
    (tf.ones_initializer(), tf.float64), (tf.random_normal_initializer(1.0, 2.0), tf.float32),
    (tf.truncated_normal_initializer(stddev=0.5, seed=3), tf.float64),
    (tf.random_uniform_initializer(-1, 2), tf.float32),
    (tf.random_uniform_initializer(), tf.float16),
    (tf.uniform_unit_scaling_initializer(1.5), tf.float32),
    (tf.variance_scaling_initializer(2.0, "fan_out", "untruncated_normal"), tf.float32),
    (tf.variance_scaling_initializer(), tf.float32), (tf.glorot_normal_initializer(), tf.float32),
    (tf.glorot_uniform_initializer(seed=1), tf.float32), (None, tf.float32), (None, tf.int32),
]


def _wrapped(init):
    # the same initializer behind a user callable, which get_variable builds at once
    def initializer(shape, dtype=None, partition_info=None):
        default = tf.glorot_uniform_initializer() if dtype.is_floating else tf.zeros_initializer()
        return (init or default)(shape, dtype)
    return initializer


def _model(wrap):
    wrap = wrap or (lambda init: init)
    with tf.variable_scope("net"):
        for i, (init, dtype) in enumerate(_DEFERRABLE):
            tf.get_variable(f"v{i}", [3, 2], dtype, wrap(init))
        tf.get_variable("r", [2], initializer=wrap(tf.ones_initializer()), use_resource=True)
        tf.get_variable("c", [2], initializer=wrap(None), caching_device="/cpu:1")
    pending = len(tf.get_default_graph()._deferred)
    return pending, [(op.name, op.type, [t.name for t in op.inputs], op.device,
             [c.name for c in op.control_inputs])
            for op in tf.get_default_graph().get_operations()]


def test_a_deferred_graph_is_the_graph_built_at_once():
    with tf.Graph().as_default() as g:
        pending, deferred = _model(None)
    with tf.Graph().as_default():
        assert _model(_wrapped) == (0, deferred)
    assert pending == len(_DEFERRABLE) + 2 and not g._deferred
    assert len(deferred) == 130


def test_ops_are_built_when_first_asked_for():
    with tf.Graph().as_default() as g:
        v = tf.get_variable("v", [2, 2])
        assert len(g._deferred) == 1 and "v" not in g._ops_by_name
        assert v.name == "v:0" and v.shape.as_list() == [2, 2] and v.dtype == tf.float32._as_ref
        assert "v" not in g._ops_by_name  # name, shape and dtype need no ops
        assert v.value().name == "v/read:0"
        assert [op.name for op in g.get_operations()] == [
            "v/Initializer/random_uniform/shape", "v/Initializer/random_uniform/min",
            "v/Initializer/random_uniform/max", "v/Initializer/random_uniform/RandomUniform",
            "v/Initializer/random_uniform/sub", "v/Initializer/random_uniform/mul",
            "v/Initializer/random_uniform", "v", "v/Assign", "v/read"]


@pytest.mark.parametrize("ask", [
    lambda g, v: g.get_operation_by_name("v/Assign"),
    lambda g, v: g.get_tensor_by_name("v/read:0"),
    lambda g, v: g.as_graph_element("v:0"),
    lambda g, v: g.get_operations(),
    lambda g, v: g.finalize(),
    lambda g, v: v.op, lambda g, v: v.initializer, lambda g, v: v.initial_value,
    lambda g, v: v.device, lambda g, v: v + 1.0, lambda g, v: v.assign([1.0]),
    lambda g, v: tf.variables_initializer([v]),
    lambda g, v: tf.report_uninitialized_variables([v]),
])
def test_every_way_of_reaching_the_ops_builds_them(ask):
    with tf.Graph().as_default() as g:
        v = tf.get_variable("v", [1], initializer=tf.zeros_initializer())
        ask(g, v)
        assert "v/read" in g._ops_by_name and "_pending" not in vars(v)
        assert g.get_operation_by_name("v/Assign").inputs[0] is v.op.outputs[0]


def test_running_by_name_builds_first():
    with tf.Graph().as_default():
        tf.get_variable("v", [2], initializer=tf.ones_initializer())
        with tf.Session() as sess:
            sess.run("v/Assign")
            np.testing.assert_array_equal(sess.run("v/read:0"), [1.0, 1.0])


def test_values_do_not_depend_on_when_the_ops_are_built():
    def values(order):
        with tf.Graph().as_default():
            tf.set_random_seed(7)
            vs = [tf.get_variable(f"v{i}", [4, 3]) for i in range(3)]
            vs.append(tf.get_variable("n", [5], initializer=tf.random_normal_initializer()))
            for i in order:
                vs[i].initializer
            return run([v.value() for v in vs])
    first, second = values([0, 1, 2, 3]), values([3, 2, 0, 1])
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], first[1])  # each variable its own stream


def test_ops_made_after_a_deferred_variable_keep_their_seeds():
    def draw(build_early):
        with tf.Graph().as_default():
            tf.set_random_seed(1)
            v = tf.get_variable("v", [3])
            if build_early:
                v.op
            r = tf.random_uniform([3])
            return run(r)
    np.testing.assert_array_equal(draw(False), draw(True))


def test_finalize_builds_and_later_variables_are_refused():
    with tf.Graph().as_default() as g:
        v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
        g.finalize()
        assert v.initializer.name == "v/Assign"
        with pytest.raises(RuntimeError, match="finalized"):
            tf.get_variable("w", [2])
        with tf.Session() as sess:
            sess.run(v.initializer)
            np.testing.assert_array_equal(sess.run(v), [1.0, 1.0])


def test_errors_are_raised_at_creation_not_at_build():
    with tf.Graph().as_default() as g:
        with pytest.raises(TypeError, match="Expected float dtype, got int32"):
            tf.get_variable("i", [2], tf.int32, tf.random_normal_initializer())
        with pytest.raises(ValueError, match="at least two-dimensional"):
            tf.get_variable("o", [2], initializer=tf.orthogonal_initializer())
        with pytest.raises(ValueError, match="not a valid root scope name"):
            tf.get_variable("-bad", [2])
        assert not g._deferred


def test_a_device_scope_builds_at_once_with_its_device():
    with tf.Graph().as_default() as g:
        with tf.device("/cpu:0"):
            v = tf.get_variable("v", [2], initializer=tf.zeros_initializer())
        assert not g._deferred
        assert [(op.name, op.device) for op in g.get_operations()] == [
            ("v/Initializer/zeros", ""), ("v", "/device:CPU:0"),
            ("v/Assign", "/device:CPU:0"), ("v/read", "/device:CPU:0")]
        assert v.device == "/device:CPU:0"


def test_variable_ops_ignore_control_dependencies_as_tf():
    with tf.Graph().as_default() as g:
        c = tf.constant(1.0, name="c")
        with tf.control_dependencies([c]):
            tf.get_variable("v", [2], initializer=tf.zeros_initializer())
            tf.Variable(tf.zeros([2]), name="w")
        assert {op.name: [x.name for x in op.control_inputs] for op in g.get_operations()} == {
            "c": [], "v/Initializer/zeros": [], "v": [], "v/Assign": [], "v/read": [],
            "zeros": ["c"], "w": [], "w/Assign": [], "w/read": []}


def test_a_build_in_another_graph_context_lands_in_the_variables_graph():
    g = tf.Graph()
    with g.as_default(), tf.name_scope("outer"):
        v = tf.get_variable("v", [2])
    with tf.Graph().as_default() as other, tf.name_scope("elsewhere"):
        assert v.initializer.name == "v/Assign" and v.initializer.graph is g
        assert other.get_operations() == []


def test_threads_build_a_variable_once():
    with tf.Graph().as_default() as g:
        vs = [tf.get_variable(f"v{i}", [2]) for i in range(20)]
    seen, barrier = [], threading.Barrier(8)

    def ask():
        barrier.wait()
        seen.append([v.initializer for v in vs])
    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(s == seen[0] for s in seen) and len(g.get_operations()) == 20 * 10


def test_a_name_taken_before_the_build_is_not_reused():
    with tf.Graph().as_default() as g:
        v = tf.get_variable("v", [2], initializer=tf.zeros_initializer())
        tf.constant(0.0, name="v")  # the variable's name is reserved at creation
        assert [op.name for op in g.get_operations()] == [
            "v/Initializer/zeros", "v", "v/Assign", "v/read", "v_1"]
        assert v.op.name == "v"


def test_a_lookup_that_missed_while_another_thread_built_finds_the_op():
    # issue 15: the lookup failed before the other thread's build ended, which deleted
    # `_pending` before __getattr__ looked for it; the op must still be handed out
    v = tf.get_variable("v", [2])
    assert v.op.name == "v"  # built here, standing for the other thread
    assert type(v).__getattr__(v, "_variable") is v._variable
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        type(v).__getattr__(v, "nothing")


def test_a_build_that_fails_poisons_only_its_own_variable(monkeypatch):
    # get_variable defers only builds that cannot fail; if one ever does (a bug), its variable
    # keeps the error and the graph goes on without its ops
    good = tf.get_variable("good", [2], initializer=tf.ones_initializer())
    bad = tf.get_variable("bad", [2], initializer=tf.zeros_initializer())
    after = tf.get_variable("after", [2], initializer=tf.ones_initializer())

    def half_built(self, shape, dtype=None, partition_info=None):
        tf.constant(0.0, name="half")  # an op made before the failure: taken out again
        raise ValueError("boom")
    monkeypatch.setattr(tf.zeros_initializer, "__call__", half_built)
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert "bad/Initializer/half" not in names and not any(n.startswith("bad/") for n in names)
    assert "good/Assign" in names and "after/Assign" in names
    for _ in range(2):  # every use of `bad` says what went wrong, and where it was made
        with pytest.raises(ValueError, match="boom") as info:
            bad.initializer
        assert "while building the ops of variable bad" in "".join(info.value.__notes__)
        assert "test_deferred_variables.py" in "".join(info.value.__notes__)
    with pytest.raises(ValueError, match="boom"):
        tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(tf.variables_initializer([good, after]))
        np.testing.assert_array_equal(sess.run([good, after]), [[1.0, 1.0], [1.0, 1.0]])
    assert tf.get_default_graph().get_operation_by_name("after/read").type == "Identity"
