"""Graph: default-graph stack, lookups, finalize, control dependencies, devices, seeds and
collections."""
import threading

import pytest

import minitf as tf


def test_as_default_nests_and_restores():
    outer = tf.get_default_graph()
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default() as entered:
        assert entered is g1 and tf.get_default_graph() is g1
        with g2.as_default():
            assert tf.get_default_graph() is g2
            assert tf.constant(1).graph is g2
        assert tf.get_default_graph() is g1
    assert tf.get_default_graph() is outer


def test_a_new_thread_sees_the_global_default_graph_not_the_callers():
    g, seen = tf.Graph(), []
    with g.as_default():
        thread = threading.Thread(target=lambda: seen.append(tf.get_default_graph() is g))
        thread.start()
        thread.join()
    assert seen == [False]


def test_reset_default_graph_inside_a_nested_graph_raises():
    with pytest.raises(AssertionError, match="Do not use tf.reset_default_graph"):
        tf.reset_default_graph()  # the test fixture holds a graph as default


def test_reset_default_graph_replaces_the_global_graph():
    holder = []

    def body():  # a fresh thread has no nested graphs
        before = tf.get_default_graph()
        tf.reset_default_graph()
        holder.append(tf.get_default_graph() is not before)
    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    assert holder == [True]


def test_unique_name_joins_the_scope_and_shares_names_with_ops(fresh_graph):
    g = fresh_graph
    assert g.unique_name("x") == "x"
    assert g.unique_name("x", mark_as_used=False) == "x_1"
    assert g.unique_name("X", False) == "X_1"  # case-insensitive, as TF
    assert g.unique_name("x") == "x_1"
    assert tf.constant(1.0, name="x").op.name == "x_2"
    with g.name_scope("outer"):
        assert g.unique_name("x") == "outer/x"
    assert g.get_name_scope() == ""


def test_finalize_blocks_new_ops():
    g = tf.get_default_graph()
    tf.constant(1)
    g.finalize()
    assert g.finalized
    with pytest.raises(RuntimeError, match="Graph is finalized and cannot be modified"):
        tf.constant(2)


def test_get_operations_and_lookups():
    a = tf.constant(1, name="a")
    b = tf.identity(a, name="b")
    g = tf.get_default_graph()
    assert [op.name for op in g.get_operations()] == ["a", "b"]
    assert g.get_operation_by_name("b") is b.op
    assert g.get_tensor_by_name("b:0") is b
    assert g.as_graph_element("a") is a.op and g.as_graph_element(a) is a


@pytest.mark.parametrize("name, error, words", [
    ("a:5", KeyError, "exists but only has 1 outputs"),
    ("zz:0", KeyError, "The operation, 'zz', does not exist in the graph"),
    ("zz", KeyError, "refers to an Operation not in the graph"),
    ("a:x", ValueError, "looks a like a Tensor name, but is not a valid one"),
])
def test_as_graph_element_errors(name, error, words):
    tf.constant(1, name="a")
    with pytest.raises(error, match=words):
        tf.get_default_graph().as_graph_element(name)


def test_as_graph_element_kind_restrictions():
    tf.constant(1, name="a")
    g = tf.get_default_graph()
    with pytest.raises(ValueError, match="The name 'a' refers to an Operation, not a Tensor"):
        g.as_graph_element("a", allow_operation=False)
    with pytest.raises(ValueError, match="appears to refer to a Tensor, not a Operation"):
        g.as_graph_element("a:0", allow_tensor=False)
    with pytest.raises(TypeError, match="Can not convert a int into a Tensor or Operation"):
        g.as_graph_element(3)
    with pytest.raises(TypeError, match="Operation names are strings"):
        g.get_operation_by_name(3)
    with pytest.raises(TypeError, match="Tensor names are strings"):
        g.get_tensor_by_name(3)


def test_element_of_another_graph_is_rejected():
    with tf.Graph().as_default():
        t = tf.constant(1)
    with pytest.raises(ValueError, match="is not an element of this graph"):
        tf.get_default_graph().as_graph_element(t)


def test_control_dependencies_nest_and_clear():
    a, b = tf.constant(1, name="a"), tf.constant(2, name="b")
    with tf.control_dependencies([a]):
        c = tf.constant(3, name="c")
        d = tf.identity(c, name="d")
        with tf.control_dependencies([b]):
            e = tf.identity(c, name="e")
            with tf.control_dependencies(None):
                f = tf.constant(4, name="f")
    assert [x.name for x in c.op.control_inputs] == ["a"]
    assert d.op.control_inputs == []  # its input c already depends on a
    assert [x.name for x in e.op.control_inputs] == ["b"]
    assert f.op.control_inputs == []


def test_control_dependency_on_a_tensor_uses_its_op_and_rejects_others():
    a = tf.constant(1)
    with tf.control_dependencies([a]):
        assert tf.constant(2).op.control_inputs == [a.op]
    with pytest.raises(TypeError, match="Control input must be Operation or Tensor"):
        tf.control_dependencies([3])


@pytest.mark.parametrize("devices, expected", [
    (["/cpu:0"], "/device:CPU:0"),
    (["/gpu:1"], "/device:GPU:1"),
    (["/job:ps", "/task:1"], "/job:ps/task:1"),
    (["/job:ps/replica:0/task:1/device:CPU:0"], "/job:ps/replica:0/task:1/device:CPU:0"),
    (["/job:ps/task:1", "/device:GPU:0"], "/job:ps/task:1/device:GPU:0"),
    (["/device:GPU:*"], "/device:GPU:*"),
    (["CPU:0"], "/device:CPU:0"),
    (["/job:ps", None], ""),
    (["/job:ps", ""], "/job:ps"),
    (["/cpu:0", "/job:w"], "/job:w/device:CPU:0"),
    (["/job:ps/device:cpu:0", "/device:GPU:1"], "/job:ps/device:GPU:1"),
    (["/job:ps", lambda op: "/task:3"], "/job:ps/task:3"),
    ([lambda op: "/gpu:0", "/job:x"], "/gpu:0"),
])
def test_device_scopes_merge_as_tf(devices, expected):
    import contextlib

    with contextlib.ExitStack() as stack:
        for d in devices:
            stack.enter_context(tf.device(d))
        assert tf.constant(1).device == expected


def test_device_function_sees_the_op():
    with tf.device(lambda op: "/cpu:0" if op.type == "Const" else "/gpu:0"):
        c = tf.constant(1.0)
        n = tf.negative(c)
    assert (c.device, n.device, c.op.device) == ("/cpu:0", "/gpu:0", "/cpu:0")


def test_bad_device_spec_raises_when_the_scope_opens():
    with pytest.raises(ValueError, match="Unknown attribute 'foo'"):
        tf.device("/foo:1")


def test_set_random_seed_sets_the_graph_seed():
    assert tf.get_default_graph().seed is None
    tf.set_random_seed(5)
    assert tf.get_default_graph().seed == 5


def test_graph_keys_are_tf_strings():
    keys = tf.GraphKeys
    assert (keys.GLOBAL_VARIABLES, keys.TRAINABLE_VARIABLES, keys.LOCAL_VARIABLES,
            keys.REGULARIZATION_LOSSES, keys.UPDATE_OPS, keys.LOSSES, keys.GLOBAL_STEP,
            keys.TABLE_INITIALIZERS) == ("variables", "trainable_variables", "local_variables",
                                         "regularization_losses", "update_ops", "losses",
                                         "global_step", "table_initializer")


def test_collections_keep_order_and_filter_by_scope_regex():
    a, b = tf.constant(1, name="a"), tf.constant(2, name="ab")
    with tf.name_scope("s"):
        c = tf.constant(3, name="a")
    for item in (a, 3, b, c):
        tf.add_to_collection("k", item)
    assert tf.get_collection("k") == [a, 3, b, c]
    assert tf.get_collection("k", "a") == [a, b]  # re.match on names; items without .name skipped
    assert tf.get_collection("k", "s/") == [c]
    assert tf.get_collection("missing") == []


def test_collection_ref_is_the_live_list_and_keys_clear():
    ref = tf.get_collection_ref("k")
    ref.append(1)
    assert tf.get_collection_ref("k") is ref and tf.get_collection("k") == [1]
    tf.add_to_collections(["m", "m", "n"], 7)
    g = tf.get_default_graph()
    assert (g.get_collection("m"), sorted(g.get_all_collection_keys())) == ([7], ["k", "m", "n"])
    g.clear_collection("m")
    assert g.get_collection("m") == [] and "m" not in g.get_all_collection_keys()
