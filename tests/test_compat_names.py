"""TF1's framework-level top-level names (minitf/compat_names.py, framework/versions.py and the
Graph's colocate_with/container): names, values and errors as TF 1 gives them (tfdiff)."""
import logging

import numpy as np
import pytest

import minitf as tf

from _session import run


# -- deprecated variable and initializer spellings -----------------------------------------------
def test_old_variable_and_initializer_spellings():
    v = tf.Variable(1.0, name="v")
    local = tf.Variable(2.0, name="l", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    assert [x.name for x in tf.all_variables()] == ["v:0"]
    init = tf.initialize_local_variables()
    assert (init.name, init.type, [c.name for c in init.control_inputs]) == (
        "init", "NoOp", ["l/Assign"])
    assert (tf.initialize_variables([v]).name, tf.initialize_variables([]).name) == (
        "init_1", "init_2")
    assert tf.initialize_variables([], name="none").type == "NoOp"
    with tf.Session() as sess:
        sess.run(tf.initialize_variables([v, local]))
        assert sess.run([v, local]) == [1.0, 2.0]


def test_tables_initializer_is_a_noop_named_init_all_tables():
    ops = [tf.initialize_all_tables(), tf.tables_initializer(), tf.tables_initializer(name="x")]
    assert [(op.name, op.type) for op in ops] == [
        ("init_all_tables", "NoOp"), ("init_all_tables_1", "NoOp"), ("x", "NoOp")]
    run(ops)


def test_moving_average_variables_is_the_collection():
    assert tf.moving_average_variables() == []
    v = tf.Variable(1.0, name="v")
    w = tf.Variable(1.0, name="scope/w")
    tf.add_to_collection(tf.GraphKeys.MOVING_AVERAGE_VARIABLES, v)
    tf.add_to_collection(tf.GraphKeys.MOVING_AVERAGE_VARIABLES, w)
    assert tf.moving_average_variables() == [v, w]
    assert tf.moving_average_variables(scope="scope") == [w]


# -- deprecated scope forms ------------------------------------------------------------------------
def test_op_scope_takes_values_first():
    a = tf.constant(1.0, name="a")
    with tf.op_scope([a], "outer", "dflt") as scope:
        assert (scope, tf.constant(2.0).name) == ("outer/", "outer/Const:0")
    with tf.op_scope([a], None, "dflt") as first, tf.op_scope([a], None, "dflt") as second:
        pass
    assert (first, second) == ("dflt/", "dflt/dflt/")
    with tf.op_scope([a], None, "dflt") as third:
        assert third == "dflt_1/"
    with pytest.raises(ValueError, match=r"At least one of name \(None\) and default_name "
                                         r"\(None\) must be provided."):
        tf.op_scope([a], None)


def test_variable_op_scope_takes_values_first():
    a = tf.constant(1.0, name="a")
    with tf.variable_op_scope([a], "vs", "d") as scope:
        assert (scope.name, scope.original_name_scope) == ("vs", "vs/")
        assert tf.get_variable("w", [1]).name == "vs/w:0"
    names = []
    for _ in range(2):
        with tf.variable_op_scope([a], None, "d") as scope:
            names.append((scope.name, scope.original_name_scope))
    assert names == [("d", "d/"), ("d_1", "d_1/")]
    with tf.variable_op_scope([a], "vs", reuse=True):
        assert tf.get_variable("w", [1]).name == "vs/w:0"


# -- colocation and containers -------------------------------------------------------------------
def test_colocate_with_records_the_groups_and_the_device():
    a = tf.constant(1.0, name="a")
    with tf.colocate_with(a):
        b = tf.constant(3.0, name="b")
    assert (b.op.colocation_groups(), b.op.get_attr("_class"), b.op.device) == (
        [b"loc:@a"], [b"loc:@a"], "")
    assert b.op.node_def["attr"]["_class"] == [b"loc:@a"]
    assert a.op.colocation_groups() == [b"loc:@a"]
    with pytest.raises(ValueError, match="has no attr named '_class'"):
        a.op.get_attr("_class")
    with tf.colocate_with(a.op):
        with tf.colocate_with(b, ignore_existing=True):  # b is with a: so is this one
            assert tf.constant(3.0, name="c").op.colocation_groups() == [b"loc:@a"]
        assert tf.constant(3.0).op.colocation_groups() == [b"loc:@a"]
        with tf.colocate_with(None, ignore_existing=True):
            assert tf.constant(1.0, name="free").op.colocation_groups() == [b"loc:@free"]
    with tf.device("/cpu:0"):
        d = tf.constant(1.0, name="d")
    with tf.device("/gpu:1"), tf.colocate_with(d):
        e = tf.constant(1.0, name="e")
    assert (e.op.device, e.op.colocation_groups()) == ("/device:CPU:0", [b"loc:@d"])
    with tf.device("/gpu:1"), tf.colocate_with(a):  # outer device scopes are set aside
        assert tf.constant(1.0).op.device == ""
    with pytest.raises(ValueError, match=r"Trying to reset colocation \(op is None\) but "
                                         "ignore_existing is not True"):
        with tf.colocate_with(None):
            pass
    assert run(e) == 1.0  # (placement is recorded; ops run on the CPU)


def test_colocate_with_a_variable_and_a_value():
    v = tf.Variable(1.0, name="v")
    r = tf.Variable(1.0, name="r", use_resource=True)
    with tf.colocate_with(v):
        assert tf.constant(1.0).op.colocation_groups() == [b"loc:@v"]
    with tf.colocate_with(r):  # its VarHandleOp
        assert tf.constant(1.0).op.colocation_groups() == [b"loc:@r"]
    with tf.colocate_with(3):  # TF makes a constant of it
        x = tf.constant(1.0, name="x")
    assert x.op.colocation_groups() == [b"loc:@Const_2"]


def test_container_names_the_variable_ops_made_inside():
    with tf.container("ctr") as name:
        assert name == "ctr"
        v = tf.Variable(1.0, name="cv")
        q = tf.get_variable("cq", [1])
        r = tf.get_variable("cr", [1], use_resource=True)
        k = tf.constant(1.0, name="k")
        with tf.container(""):
            w = tf.Variable(1.0, name="cw")
    assert [x.op.get_attr("container") for x in (v, q, r, w)] == [b"ctr"] * 3 + [b""]
    assert v.op.node_def["attr"]["container"] == b"ctr"
    assert tf.Variable(1.0).op.get_attr("container") == b""
    with pytest.raises(ValueError, match="has no attr named 'container'"):
        k.op.get_attr("container")
    assert run(v) == 1.0


# -- seeds, predicates, conversions, logging ---------------------------------------------------
def test_get_seed_follows_the_graph_and_op_seeds():
    assert (tf.get_seed(None), tf.get_seed(5)) == ((None, None), (87654321, 5))
    tf.set_random_seed(3)
    assert [tf.get_seed(None), tf.get_seed(None), tf.get_seed(7)] == [(3, 0), (3, 1), (3, 7)]
    tf.set_random_seed(0)
    assert tf.get_seed(0) == (0, 2**31 - 1)


def test_tensor_predicates():
    v = tf.Variable(1.0)
    assert [tf.is_tensor(x) for x in (v, v.value(), 1.0, np.ones(2))] == [
        True, True, False, False]
    slices = tf.IndexedSlices(tf.constant([[1.0]]), tf.constant([0]))
    assert tf.is_tensor(slices) and not tf.is_tensor(v.op)
    assert [tf.is_symbolic_tensor(x) for x in (v, v.value(), 1.0)] == [False, True, False]
    assert tf.executing_eagerly_outside_functions() is False


@pytest.mark.global_graph
def test_eager_colocation_is_a_device_scope(eager):
    a = tf.constant(1.0)
    with tf.colocate_with(a):
        assert tf.constant(2.0).device == "/job:localhost/replica:0/task:0/device:CPU:0"
    with tf.colocate_with(None, ignore_existing=True), tf.container("c") as name:
        assert name == "c"


@pytest.mark.global_graph
def test_eager_tensors_are_not_symbolic(eager):
    assert tf.executing_eagerly_outside_functions() is True
    t = tf.constant(1.0)
    assert tf.is_tensor(t) and not tf.is_symbolic_tensor(t)


def test_convert_to_tensor_or_indexed_slices():
    t = tf.convert_to_tensor_or_indexed_slices([1, 2])
    assert str(t) == 'Tensor("Const:0", shape=(2,), dtype=int32)'
    x = tf.constant([1.0, 2.0])
    assert tf.convert_to_tensor_or_indexed_slices(x, dtype=tf.float32) is x
    slices = tf.IndexedSlices(tf.constant([[1.0]]), tf.constant([0]))
    assert tf.convert_to_tensor_or_indexed_slices(slices) is slices
    with pytest.raises(ValueError, match="Incompatible tensor conversion requested to `dtype` "
                                         "int32 for `value` .* with dtype float32."):
        tf.convert_to_tensor_or_indexed_slices(slices, dtype=tf.int32)


def test_no_gradient_and_logger():
    tf.no_gradient("TestCompatNoGradOp")
    with pytest.raises(TypeError, match="op_type must be a string"):
        tf.no_gradient(3)
    logger = tf.get_logger()
    assert isinstance(logger, logging.Logger) and logger.name == "tensorflow"


def test_version_constants():
    assert tf.VERSION == "1.15.0+minitf" and tf.VERSION.split(".")[:2] == ["1", "15"]
    assert (tf.GRAPH_DEF_VERSION, tf.GRAPH_DEF_VERSION_MIN_CONSUMER,
            tf.GRAPH_DEF_VERSION_MIN_PRODUCER) == (2474, 0, 0)
    assert (tf.GIT_VERSION, tf.CXX11_ABI_FLAG, tf.CXX_VERSION, tf.MONOLITHIC_BUILD) == (
        "unknown", 0, 0, 0)
    assert isinstance(tf.COMPILER_VERSION, str)


# -- tensor equality -----------------------------------------------------------------------------
def test_tensor_equality_keeps_graph_tensors_compared_by_identity():
    a, b = tf.constant([1, 2]), tf.constant([1, 3])
    tf.enable_tensor_equality()
    try:  # TF: in a graph program `==` stays identity, and tensors stay hashable
        assert (a == b, a != b, a == a, a == None, a != None) == (  # noqa: E711
            False, True, True, False, True)
        assert {a: 1}[a] == 1
    finally:
        tf.disable_tensor_equality()
    assert (a == b, a != b, hash(a) == object.__hash__(a)) == (False, True, True)


@pytest.mark.global_graph
def test_tensor_equality_makes_eager_comparisons_element_wise(eager):
    a, b = tf.constant([1, 2]), tf.constant([1, 3])
    kept = {a: "a"}
    assert a == a and (a == b) is False
    tf.enable_tensor_equality()
    try:
        np.testing.assert_array_equal((a == b).numpy(), [True, False])
        np.testing.assert_array_equal((a != [1, 2]).numpy(), [False, False])
        assert (a == tf.constant([1, 2, 3])).numpy().tolist() is False  # shapes differ
        assert (a == None) is False  # noqa: E711
        with pytest.raises(TypeError, match="Tensor is unhashable. Instead, use tensor.ref"):
            hash(a)
        assert {a.ref(): 1}[a.ref()] == 1 and a.ref().deref() is a
    finally:
        tf.disable_tensor_equality()
    assert kept[a] == "a" and (a == b) is False


def test_tensor_refs_compare_by_identity():
    a = tf.constant([1.0])
    r = a.ref()
    assert repr(r) == "<Reference wrapping <tf.Tensor 'Const:0' shape=(1,) dtype=float32>>"
    assert (r.deref() is a, r == a.ref(), r == tf.constant([1.0]).ref(), r != a.ref()) == (
        True, True, False, False)
    assert hash(r) == hash(a.ref()) and a.experimental_ref() == r
    with pytest.raises(TypeError, match="Cannot compare wrapped object with unwrapped object"):
        r == a


# -- gradient helpers ----------------------------------------------------------------------------
def test_grad_pass_through_passes_the_gradient_unchanged():
    y = tf.constant([1.0, 2.0])
    z = tf.grad_pass_through(lambda a: tf.round(a) * 2.0)(y)
    assert z.name == "IdentityN:0"
    values, grad = run([z, tf.gradients(z, y)[0]])
    np.testing.assert_array_equal(values, [2.0, 4.0])
    np.testing.assert_array_equal(grad, [1.0, 1.0])
    x = tf.constant([1.4, 2.6])
    w = tf.grad_pass_through(tf.round)(x) * 3.0
    np.testing.assert_array_equal(run(tf.gradients(w, x)[0]), [3.0, 3.0])


def test_grad_pass_through_gives_read_variables_no_gradient():
    v = tf.Variable([2.0, 3.0], use_resource=True)
    x = tf.constant([1.0, 1.0])
    y = tf.grad_pass_through(lambda a: a * v.read_value())(x)
    gx, gv = tf.gradients(tf.reduce_sum(y * 5.0), [x, v])
    assert gv is None
    np.testing.assert_array_equal(run(gx), [5.0, 5.0])


def test_recompute_grad_gives_the_gradient_of_the_function():
    x = tf.constant([1.0, 2.0, 3.0])
    calls = []

    def f(a):
        calls.append(a)
        return tf.sin(a) * a
    y = tf.recompute_grad(f)(x)
    assert len(calls) == 1
    (g,) = tf.gradients(tf.reduce_sum(y), x)
    assert len(calls) == 2  # the gradient built f again
    xs = np.array([1.0, 2.0, 3.0], np.float32)
    got_y, got_g = run([y, g])
    np.testing.assert_allclose(got_y, np.sin(xs) * xs, rtol=1e-6)
    np.testing.assert_allclose(got_g, np.cos(xs) * xs + np.sin(xs), rtol=1e-6)


def test_recompute_grad_reaches_the_variables_of_the_function():
    x = tf.constant([[1.0, 2.0]])

    def layer(a):
        w = tf.get_variable("w", [2, 1], initializer=tf.constant_initializer([[3.0], [4.0]]),
                            use_resource=True)
        return tf.matmul(a, w)
    with tf.variable_scope("plain"):
        plain = tf.recompute_grad(layer)(x)
    with pytest.raises(ValueError, match="Variable plain/w already exists, disallowed"):
        tf.gradients(plain, x)
    with tf.variable_scope("layer", reuse=tf.AUTO_REUSE):
        y = tf.recompute_grad(layer)(x)
    w = tf.global_variables()[1]
    gx, gw = tf.gradients(tf.reduce_sum(y), [x, w])
    assert w.name == "layer/w:0" and len(tf.global_variables()) == 2
    got_x, got_w = run([gx, gw])
    np.testing.assert_array_equal(got_x, [[3.0, 4.0]])
    np.testing.assert_array_equal(got_w, [[1.0], [2.0]])
