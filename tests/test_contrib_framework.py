"""tf.contrib.framework (TF 1.15): arg_scope and the variable helpers, after TF's
arg_scope_test.py and variables_test.py."""
import numpy as np
import pytest

import minitf as tf

F = tf.contrib.framework


@F.add_arg_scope
def func1(*args, **kwargs):
    return (args, kwargs)


@F.add_arg_scope
def func2(*args, **kwargs):
    return (args, kwargs)


@F.add_arg_scope
def func3(args, a=None, b=1, c=2):
    return (args, a, b, c)


def _undecorated(x, y=1):
    return x, y


def test_arg_scope_sets_defaults_and_an_explicit_argument_wins():
    with F.arg_scope([func1], a=1, b=None, c=[1]):
        assert func1(0) == ((0,), {"a": 1, "b": None, "c": [1]})
        assert func1(0, a=2) == ((0,), {"a": 2, "b": None, "c": [1]})
    assert func1(0) == ((0,), {})


def test_nested_arg_scopes_add_and_override():
    with F.arg_scope([func1], a=1, b=None):
        with F.arg_scope([func1, func2], b=2, d=[2]):
            assert func1(0) == ((0,), {"a": 1, "b": 2, "d": [2]})
            assert func2(0) == ((0,), {"b": 2, "d": [2]})
        assert func1(0) == ((0,), {"a": 1, "b": None})
        assert func2(0) == ((0,), {})


def test_a_yielded_scope_can_be_reentered():
    with F.arg_scope([func1], a=1) as scope:
        pass
    assert scope == F.current_arg_scope() or F.current_arg_scope() == {}
    with F.arg_scope(scope):
        assert func1(0) == ((0,), {"a": 1})
        assert F.current_arg_scope() == scope
    with pytest.raises(ValueError, match="kwargs must be empty"):
        with F.arg_scope(scope, a=2):
            pass


def test_arg_scope_refuses_undecorated_functions_and_non_lists():
    with pytest.raises(ValueError, match="is not decorated with @add_arg_scope"):
        with F.arg_scope([_undecorated], y=2):
            pass
    with pytest.raises(TypeError, match="list_ops_or_scope must either be a list/tuple"):
        with F.arg_scope(func1, a=1):
            pass
    assert F.current_arg_scope() == {}


def test_has_arg_scope_and_arg_scoped_arguments():
    assert F.has_arg_scope(func1) and not F.has_arg_scope(_undecorated)
    assert F.arg_scoped_arguments(func3) == ("a", "b", "c")
    assert "num_outputs" not in F.arg_scoped_arguments(tf.contrib.layers.fully_connected)
    assert "activation_fn" in F.arg_scoped_arguments(tf.contrib.layers.fully_connected)
    assert func1.__name__ == "func1"


def test_arg_scope_on_a_layer_sets_its_defaults():
    x = tf.ones([2, 3])
    with F.arg_scope([tf.contrib.layers.fully_connected], activation_fn=None,
                     weights_initializer=tf.ones_initializer()):
        y = tf.contrib.layers.fully_connected(x, 2)
    assert y.op.type == "BiasAdd"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(y), np.full([2, 2], 3.0))


def test_model_variable_joins_model_global_and_given_collections():
    with tf.variable_scope("A"):
        a = F.model_variable("a", [5], collections=["extra"])
        b = F.variable("b", [2])
    assert a.op.name == "A/a" and a.dtype.base_dtype == tf.float32
    assert F.get_model_variables() == [a]
    assert tf.get_collection("extra") == [a]
    assert F.get_variables() == [a, b] and F.get_trainable_variables("A") == [a, b]
    assert F.get_variables_by_name("b") == [b]
    assert F.get_variables_by_suffix("a") == [a]


def test_model_variable_takes_arg_scope_defaults():
    with F.arg_scope([F.model_variable], initializer=tf.constant_initializer(3.0)):
        v = F.model_variable("v", [2])
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_allclose(sess.run(v), [3.0, 3.0])


def test_variable_lookups_by_scope_name_and_suffix():
    with tf.variable_scope("A"):
        a = F.variable("a", [5])
        with tf.variable_scope("B"):
            ab = F.variable("a", [5])
    with tf.variable_scope("C") as scope_c:
        c = F.variable("c", [1])
    assert F.get_variables("A") == [a, ab]
    assert F.get_variables(scope_c) == [c]
    assert F.get_variables_by_name("a") == [a, ab]
    assert F.get_variables_by_name("a", scope="A/B") == [ab]
    assert F.get_unique_variable("A/B/a") is ab
    with pytest.raises(ValueError, match="Couldn't find variable D/a"):
        F.get_unique_variable("D/a")
    assert F.get_variables_to_restore(exclude=["A/B"]) == [a, c]
    assert F.get_variables_to_restore(include=["C", "A/B"]) == [c, ab]
    with pytest.raises(TypeError, match="include is provided but is not a list"):
        F.get_variables_to_restore(include="A")
    assert F.filter_variables([a, ab, c], include_patterns=["A"], exclude_patterns=["B"]) == [a]
    assert F.filter_variables([a, ab, c], include_patterns=["a"], reg_search=False) == []


def test_local_variable_is_only_local():
    v = F.local_variable([1.0, 2.0], name="loc")
    assert tf.local_variables() == [v] and tf.global_variables() == []
    assert not v.trainable if hasattr(v, "trainable") else True


def test_global_step_helpers():
    assert F.get_global_step() is None
    step = F.get_or_create_global_step()
    assert step.op.name == "global_step" and step.dtype.base_dtype == tf.int64
    assert F.get_or_create_global_step() is step and F.get_global_step() is step
    assert F.assert_or_get_global_step() is step
    with pytest.raises(ValueError, match="already exists"):
        F.create_global_step()
    with pytest.raises(TypeError):
        F.assert_global_step(tf.constant(1.0))


def test_assign_from_values_feeds_placeholders():
    with tf.variable_scope("s"):
        v0 = F.variable("v0", [2, 2])
        v1 = F.variable("v1", [3])
    op, feed = F.assign_from_values({"s/v0": np.arange(4.0).reshape(2, 2),
                                     "s/v1": np.array([5.0, 6.0, 7.0])})
    with tf.Session() as sess:
        sess.run(op, feed)
        np.testing.assert_allclose(sess.run(v0), [[0, 1], [2, 3]])
        np.testing.assert_allclose(sess.run(v1), [5, 6, 7])
    with pytest.raises(ValueError, match="wasn't found"):
        F.assign_from_values({"nope": np.zeros(1)})


def test_assign_from_checkpoint_fn_restores(tmp_path):
    v = F.variable("v", initializer=tf.constant([1.0, 2.0]))
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        path = saver.save(sess, str(tmp_path / "model"))
    restore = F.assign_from_checkpoint_fn(path, [v])
    op, feed = F.assign_from_checkpoint(path, [v])
    with tf.Session() as sess:
        restore(sess)
        np.testing.assert_allclose(sess.run(v), [1.0, 2.0])
        sess.run(v.assign([0.0, 0.0]))
        sess.run(op, feed)
        np.testing.assert_allclose(sess.run(v), [1.0, 2.0])
    with pytest.raises(ValueError, match="var_list cannot be empty"):
        F.assign_from_checkpoint_fn(path, [])
    w = F.variable("w", [1])
    assert F.assign_from_checkpoint_fn(path, [w], ignore_missing_vars=True) is None


def test_slim_reexports_framework_and_layers():
    slim = tf.contrib.slim
    assert slim.arg_scope is F.arg_scope and slim.conv2d is tf.contrib.layers.conv2d
    assert slim.get_model_variables is F.get_model_variables
    assert slim.model_analyzer is not None and F.nest is tf.nest
