"""tf.cond, tf.case, tf.switch_case and tf.tuple (issue 17, item 6): TF1's names, structures,
errors, only the taken branch running, variables made in branches, gradients (also second
derivatives) and eager mode. Expected values and texts were checked against TF 1 graph mode
(and TF eagerly) with ../shared/tools/tfdiff."""
import numpy as np
import pytest

import minitf as tf


def test_names_structures_and_values():
    x = tf.constant(2.0, name="x")
    p = tf.placeholder(tf.bool, [], name="p")
    r = tf.cond(p, lambda: x * 3.0, lambda: x + 1.0)
    assert r.name == "cond/Merge:0" and r.shape == tf.TensorShape([])
    names = {op.name for op in tf.get_default_graph().get_operations()}
    assert {"cond/pred_id", "cond/mul", "cond/add", "cond/Merge"} <= names
    single = tf.cond(p, lambda: [x], lambda: [x + 1.0])
    strict = tf.cond(p, lambda: [x], lambda: [x + 1.0], strict=True)
    nested = tf.cond(p, lambda: (x, {"a": x}), lambda: (x + 1.0, {"a": x}))
    assert single.name == "cond_1/Merge:0"
    assert isinstance(strict, list) and strict[0].name == "cond_2/Merge:0"
    assert nested[1]["a"].name == "cond_3/Merge_1:0"
    ops = tf.cond(p, tf.no_op, tf.no_op)
    assert ops.dtype == tf.bool
    with tf.Session() as sess:
        assert sess.run([r, single, nested], {p: True}) == [6.0, 2.0, (2.0, {"a": 2.0})]
        assert sess.run([r, single, nested], {p: False}) == [3.0, 3.0, (3.0, {"a": 2.0})]
        assert sess.run(ops, {p: True}) == np.bool_(True)


def test_the_merged_static_shape():
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: tf.zeros([2, 3]), lambda: tf.ones([2, 4]))
    assert r.shape.as_list() == [2, None]
    r = tf.cond(p, lambda: tf.zeros([2]), lambda: tf.ones([2, 1]))
    assert r.shape.ndims is None


def test_errors_as_tf():
    x = tf.constant(2.0)
    p = tf.placeholder(tf.bool, [])
    with pytest.raises(ValueError, match="must have the same type.*Received float32 from "
                                         "'true_fn' and int32 from 'false_fn'"):
        tf.cond(p, lambda: x, lambda: tf.constant(1))
    with pytest.raises(ValueError, match="same nested structure"):
        tf.cond(p, lambda: x, lambda: [x, x])
    with pytest.raises(TypeError, match="Input 'pred' of 'Switch' Op has type int32"):
        tf.cond(tf.constant(1), lambda: x, lambda: x)
    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):
        tf.cond(tf.constant([True]), lambda: x, lambda: x)
    with pytest.raises(TypeError, match="'pred' must not be a Python bool"):
        tf.cond(True, lambda: 1.0, lambda: 2.0)
    with pytest.raises(TypeError, match="true_fn must be callable"):
        tf.cond(p, 1.0, lambda: x)
    with pytest.raises(TypeError, match="may not be set simultaneously"):
        tf.cond(p, lambda: x, lambda: x, fn1=lambda: x)


def test_only_the_taken_branch_runs():
    p = tf.placeholder(tf.bool, [])
    v = tf.get_variable("v", [], initializer=tf.zeros_initializer())
    r = tf.cond(p, lambda: tf.assign_add(v, 1.0), lambda: tf.assign_add(v, 10.0))
    c = tf.constant(1.0)

    def failing():
        with tf.control_dependencies([tf.Assert(tf.constant(False), [c], name="check")]):
            return tf.identity(c)
    guarded = tf.cond(p, failing, lambda: c)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(r, {p: True}) == 1.0
        assert sess.run(r, {p: False}) == 11.0
        assert sess.run(v) == 11.0
        assert sess.run(guarded, {p: False}) == 1.0
        with pytest.raises(tf.errors.InvalidArgumentError, match="assertion failed: .1.") as e:
            sess.run(guarded, {p: True})
        assert e.value.op.name == "cond_1/check"


def test_variables_made_in_a_branch_are_made_outside_it():
    p = tf.placeholder(tf.bool, [])

    def make():
        w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
        return w * 2.0
    r = tf.cond(p, make, lambda: tf.zeros([2]))
    assert [v.name for v in tf.global_variables()] == ["w:0"]
    assert tf.global_variables()[0].op._cf_context is None
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(r, {p: True}), [2.0, 2.0])
        np.testing.assert_array_equal(sess.run(r, {p: False}), [0.0, 0.0])


def test_outer_control_dependencies_order_the_cond():
    v = tf.get_variable("v", [], initializer=tf.zeros_initializer())
    p = tf.placeholder(tf.bool, [])
    bump = tf.assign_add(v, 5.0)
    with tf.control_dependencies([bump]):
        r = tf.cond(p, lambda: tf.identity(v), lambda: v * 0.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(r, {p: True}) == 5.0


def test_gradients_and_second_derivatives():
    w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    q = tf.placeholder(tf.float32, [2])
    p = tf.placeholder(tf.bool, [])
    loss = tf.cond(p, lambda: tf.reduce_sum(w * q * q), lambda: tf.reduce_sum(tf.sin(w) * q))
    gw, gq = tf.gradients(loss, [w, q])
    hq, = tf.gradients(gq, q)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        feed = {p: True, q: [1.0, 2.0]}
        out = sess.run([loss, gw, gq, hq], feed)
        np.testing.assert_allclose(out[0], 5.0)
        np.testing.assert_allclose(out[1], [1.0, 4.0])
        np.testing.assert_allclose(out[2], [2.0, 4.0])
        np.testing.assert_allclose(out[3], [2.0, 2.0])
        out = sess.run([loss, gw, gq, hq], {p: False, q: [1.0, 2.0]})
        np.testing.assert_allclose(out[0], 2.524413, rtol=1e-6)
        np.testing.assert_allclose(out[1], [0.5403023, 1.0806046], rtol=1e-6)
        np.testing.assert_allclose(out[2], [0.841471, 0.841471], rtol=1e-6)
        np.testing.assert_allclose(out[3], [0.0, 0.0])


def test_a_random_draw_in_a_branch_is_not_drawn_again_by_its_gradient():
    x = tf.placeholder(tf.float32, [1000])
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.nn.dropout(x, keep_prob=0.5, seed=1), lambda: x)
    g, = tf.gradients(tf.reduce_sum(y), x)
    with tf.Session() as sess:
        value, grad = sess.run([y, g], {x: np.ones(1000), p: True})
    np.testing.assert_array_equal(grad, value)  # the mask the forward run drew (times 2)


def test_a_gradient_reaching_one_branch_is_zero_in_the_other():
    x = tf.placeholder(tf.float32, [])
    y = tf.placeholder(tf.float32, [])
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: x * 3.0, lambda: y * 2.0)
    gx, gy = tf.gradients(r, [x, y])
    with tf.Session() as sess:
        assert sess.run([gx, gy], {x: 1.0, y: 1.0, p: True}) == [3.0, 0.0]
        assert sess.run([gx, gy], {x: 1.0, y: 1.0, p: False}) == [0.0, 2.0]


def test_resource_variable_in_one_branch_gets_zeros_from_the_other():
    v = tf.get_variable("rv", [2], initializer=tf.ones_initializer(), use_resource=True)
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: tf.reduce_sum(v.read_value() * 3.0), lambda: tf.constant(1.0))
    g, = tf.gradients(r, v)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(g, {p: True}), [3.0, 3.0])
        np.testing.assert_array_equal(sess.run(g, {p: False}), [0.0, 0.0])


def test_case_and_switch_case():
    x = tf.placeholder(tf.int32, [])
    r = tf.case([(tf.equal(x, 1), lambda: tf.constant(10)),
                 (tf.equal(x, 2), lambda: tf.constant(20))], default=lambda: tf.constant(-1))
    s = tf.switch_case(x, [lambda: tf.constant(0.5), lambda: tf.constant(1.5)],
                       default=lambda: tf.constant(9.0))
    s2 = tf.switch_case(x, {0: lambda: tf.constant(3), 1: lambda: tf.constant(4)})
    e = tf.case([(tf.greater(x, 0), lambda: tf.constant(1)),
                 (tf.greater(x, 1), lambda: tf.constant(2))], exclusive=True)
    with tf.Session() as sess:
        assert [sess.run(r, {x: k}) for k in (1, 2, 3)] == [10, 20, -1]
        assert [sess.run(s, {x: k}) for k in (0, 1, 7, -1)] == [0.5, 1.5, 9.0, 9.0]
        assert [sess.run(s2, {x: k}) for k in (0, 1, 5)] == [3, 4, 4]
        assert sess.run(e, {x: 1}) == 1
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"exclusive=True: more than 1 conditions \(Greater:0, "
                                 r"Greater_1:0\) evaluated as True:\] \[1 1\]"):
            sess.run(e, {x: 2})
        # without a default, the last pair runs when no predicate holds: TF's error then
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"None of conditions evaluated as True:\] \[0 0\]"):
            sess.run(e, {x: 0})
    with pytest.raises(TypeError, match="2-tuple"):
        tf.case([tf.equal(x, 1)])
    with pytest.raises(ValueError, match="contiguous"):
        tf.switch_case(x, {0: lambda: 1.0, 2: lambda: 2.0})


def test_tuple_gates_every_tensor_on_all():
    v = tf.get_variable("v", [], initializer=tf.zeros_initializer())
    c = tf.constant(1.0)
    a, b = tf.tuple([c, tf.assign_add(v, 1.0)])
    assert a.name == "tuple/control_dependency:0"
    assert b.name == "tuple/control_dependency_1:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(a)
        assert sess.run(v) == 1.0  # running a ran the update too
    with pytest.raises(TypeError):
        tf.tuple(c)


@pytest.mark.global_graph
def test_eagerly_the_functions_just_run(eager):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(
        tf.cond(tf.constant(True), lambda: x * 2.0, lambda: x).numpy(), [[2, 4], [6, 8]])
    np.testing.assert_array_equal(tf.case([(tf.constant(False), lambda: x),
                                           (tf.constant(True), lambda: x + 1.0)],
                                          default=lambda: x - 1.0).numpy(), [[2, 3], [4, 5]])
    np.testing.assert_array_equal(
        tf.switch_case(tf.constant(5), [lambda: x, lambda: x * 3.0]).numpy(), [[3, 6], [9, 12]])
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        z = tf.cond(v > 1.0, lambda: v * v, lambda: v)
    assert tape.gradient(z, v).numpy() == 4.0


def test_control_flow_v2_gives_tf2s_names():
    assert not tf.control_flow_v2_enabled()
    tf.enable_control_flow_v2()
    try:
        assert tf.control_flow_v2_enabled()
        p = tf.placeholder(tf.bool, [])
        r = tf.cond(p, lambda: tf.constant(3.0), lambda: tf.constant(4.0))
        w = tf.while_loop(lambda i, j: i < 3, lambda i, j: (i + 1, j), [0, 2.0])
        assert r.name == "cond/Identity:0" and r.op.inputs[0].op.name == "cond"
        assert [t.name for t in w] == ["while/Identity_2:0", "while/Identity_3:0"]
        with tf.Session() as sess:
            assert sess.run([r, w], {p: False}) == [4.0, [3, 2.0]]
    finally:
        tf.disable_control_flow_v2()
    assert not tf.control_flow_v2_enabled()
