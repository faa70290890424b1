"""make_template: variables made on the first call and shared by the later ones (TF1's Template,
graph mode). Every expectation here was checked against TensorFlow with tools' tfdiff."""
import pytest

import minitf as tf


def scale(x, scalar_name):
    v = tf.get_variable(scalar_name, shape=[], initializer=tf.constant_initializer(1))
    return tf.identity(x * v, name="out")


def names(variables):
    return [v.name for v in variables]


def test_calls_share_the_first_calls_variables_and_each_gets_a_name_scope():
    t = tf.make_template("scale_by_y", scale, scalar_name="y")
    a, b = t(tf.constant(1.0)), t(tf.constant(2.0))
    assert (a.name, b.name) == ("scale_by_y/out:0", "scale_by_y_1/out:0")
    assert names(tf.global_variables()) == ["scale_by_y/y:0"]
    assert (t.name, t.variable_scope.name, t.variable_scope_name) == (
        "scale_by_y", "scale_by_y", "scale_by_y/")
    assert names(t.trainable_variables) == names(t.variables) == ["scale_by_y/y:0"]
    assert t.non_trainable_variables == [] and t.local_variables == []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([a, b]) == [1.0, 2.0]


def test_two_templates_of_one_name_get_their_own_scopes():
    t1 = tf.make_template("s", scale, scalar_name="y")
    t1(tf.constant(1.0)), t1(tf.constant(1.0))  # name scopes s and s_1, variable scope s
    t2 = tf.make_template("s", scale, scalar_name="y")
    assert t2(tf.constant(1.0)).name == "s_2/out:0"
    assert names(t2.global_variables) == ["s_1/y:0"]


def test_the_scope_is_named_where_it_is_made_or_first_called():
    now = tf.make_template("now", scale, create_scope_now_=True, scalar_name="z")
    with tf.variable_scope("outer"):
        assert [now(tf.constant(1.0)).name for _ in range(2)] == [
            "outer/now/out:0", "outer/now_1/out:0"]
        later = tf.make_template("later", scale, scalar_name="z")
        assert [later(tf.constant(1.0)).name for _ in range(2)] == [
            "outer/later/out:0", "outer/later_1/out:0"]
    assert (now.variable_scope_name, later.variable_scope_name) == ("now/", "outer/later/")
    assert names(tf.global_variables()) == ["now/z:0", "outer/later/z:0"]


def test_unique_name_and_custom_getter():
    fixed = tf.make_template("u", scale, unique_name_="fixed", scalar_name="w")
    assert (fixed(tf.constant(1.0)).name, fixed.variable_scope_name) == ("fixed/out:0", "fixed/")

    def getter(getter, name, *args, **kwargs):
        return getter(name + "_c", *args, **kwargs)
    custom = tf.make_template("cg", scale, custom_getter_=getter, scalar_name="q")
    assert custom(tf.constant(1.0)).name == "cg/out:0"
    assert names(custom.variables) == ["cg/q_c:0"]


def test_nested_templates_share_through_the_outer_one():
    def nested(x):
        inner = tf.make_template("inner", scale, scalar_name="k")
        return inner(inner(x))
    outer = tf.make_template("outer_t", nested)
    assert [outer(tf.constant(1.0)).name for _ in range(2)] == [
        "outer_t/inner_1/out:0", "outer_t_1/inner_1/out:0"]
    assert names(outer.variables) == ["outer_t/inner/k:0"]


def test_a_trainable_variable_made_after_the_first_call_is_an_error():
    t = tf.make_template("bad", lambda x: x * tf.Variable(1.0))
    t(tf.constant(1.0))
    with pytest.raises(ValueError, match="Trainable variable created when calling a template "
                       "after the first time, perhaps you used tf.Variable"):
        t(tf.constant(1.0))


def test_a_template_needs_a_name():
    with pytest.raises(ValueError, match="name cannot be None."):
        tf.make_template(None, scale)
