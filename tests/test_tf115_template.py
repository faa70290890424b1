"""TensorFlow 1.15's kernel_tests/template_test.py, graph-mode cases, in minitf's words.

Each group names the TF test it comes from. Left out (eager or TF internals minitf has not):
test_end_to_end_eager, test_unique_name_raise_error_in_eager,
test_permits_extra_non_trainable_variables_eager, test_graph_function_no_name (eager mode);
test_nested_templates_with_defun, test_make_template_with_defun (make_template_internal's graph
functions); in test_nested_templates, the `_checkpoint_dependencies` and Keras `Model` checks.
"""
import traceback

import pytest

import minitf as tf
from minitf import template as template_lib


def dummy(trainable=True):
    return tf.get_variable("dummy", shape=[1], trainable=trainable,
                           initializer=tf.zeros_initializer())


def dummy_in_scope(scope_name):
    with tf.variable_scope(scope_name):
        return tf.get_variable("dummy", shape=[1], initializer=tf.zeros_initializer())


def dummy_after_variable(trainable):
    tf.Variable(0, trainable=trainable)
    return dummy()


def dummy_after_side_variable(trainable, name="side"):
    tf.get_variable(name, shape=[1], trainable=trainable)
    return dummy()


def dummy_and_local():
    tf.get_local_variable("local", shape=[1], initializer=tf.zeros_initializer())
    return dummy()


# test_end_to_end
def test_a_line_shared_by_train_and_test_predictions_learns():
    train_x, train_y = [1., 2., 3., 4.], [2.8, 5.1, 7.2, 8.7]
    test_x, test_y = [5., 6., 7., 8.], [11, 13, 15, 17]
    tf.set_random_seed(1234)

    def line(x):
        m = tf.get_variable("w", shape=[], initializer=tf.truncated_normal_initializer())
        b = tf.get_variable("b", shape=[], initializer=tf.truncated_normal_initializer())
        return x * m + b

    line_template = tf.make_template("line", line)
    train_loss = tf.reduce_mean(tf.square(line_template(train_x) - train_y))
    test_loss = tf.reduce_mean(tf.square(line_template(test_x) - test_y))
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(train_loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(test_loss)
        sess.run(train_op)
        assert sess.run(test_loss) < before


# test_skip_stack_frames
def test_skip_common_stack_elements_keeps_what_differs():
    first = traceback.format_stack()
    second = traceback.format_stack()
    result = template_lib._skip_common_stack_elements(first, second)
    assert len(result) == 1 and len(first) != len(result)


# test_template_with_empty_name
def test_an_empty_name_uses_the_enclosing_scope():
    tpl = tf.make_template("", dummy)
    with tf.variable_scope("outer"):
        x = tf.get_variable("x", [])
        v = tpl()
    assert tpl.variable_scope_name == "outer/"
    assert v.name == "outer//dummy:0"
    assert tpl.variables == [x, v]


# test_template_with_name
def test_templates_of_one_name_get_unique_scopes():
    tmpl1, tmpl2 = tf.make_template("s1", dummy), tf.make_template("s1", dummy)
    v1, v2, v3 = tmpl1(), tmpl1(), tmpl2()
    assert v1 is v2 and v1 is not v3
    assert (v1.name, v3.name) == ("s1/dummy:0", "s1_1/dummy:0")


# test_same_unique_name_raise_error
def test_two_templates_with_one_unique_name_clash():
    tf.make_template("_", dummy, unique_name_="s1")()
    tmpl2 = tf.make_template("_", dummy, unique_name_="s1")
    with pytest.raises(ValueError, match="Variable s1/dummy already exists, disallowed"):
        tmpl2()


# test_unique_name_and_reuse
def test_a_unique_name_in_a_reusing_scope_shares():
    tmpl1 = tf.make_template("_", dummy, unique_name_="s1")
    v1, v2 = tmpl1(), tmpl1()
    tf.get_variable_scope().reuse_variables()
    v3 = tf.make_template("_", dummy, unique_name_="s1")()
    assert v1 is v2 and v1 is v3 and v1.name == "s1/dummy:0"


# test_template_in_scope
def test_the_first_calls_scope_is_kept():
    tmpl1, tmpl2 = tf.make_template("s1", dummy), tf.make_template("s1", dummy)
    with tf.variable_scope("scope"):
        v1, v3 = tmpl1(), tmpl2()
    with tf.variable_scope("scope2"):  # ignored: tmpl1's scope was fixed by its first call
        v2 = tmpl1()
    assert v1 is v2 and v1 is not v3
    assert (v1.name, v3.name) == ("scope/s1/dummy:0", "scope/s1_1/dummy:0")


# test_template_with_internal_reuse
def test_a_scope_inside_the_function():
    tmpl1 = tf.make_template("s1", dummy_in_scope)
    tmpl2 = tf.make_template("s1", dummy_in_scope)
    v1, v2, v3 = tmpl1("test"), tmpl1("test"), tmpl2("test")
    assert v1 is v2 and v1 is not v3
    assert (v1.name, v3.name) == ("s1/test/dummy:0", "s1_1/test/dummy:0")
    with pytest.raises(ValueError, match="does not exist"):
        tmpl1("not_test")


# test_template_without_name
def test_a_template_needs_a_name():
    with pytest.raises(ValueError, match="name cannot be None."):
        tf.make_template(None, dummy)


# test_make_template
def test_keyword_arguments_are_bound():
    tmpl1 = tf.make_template("s1", dummy_in_scope, scope_name="test")
    tmpl2 = tf.make_template("s1", dummy_in_scope, scope_name="test")
    v1, v2, v3 = tmpl1(), tmpl1(), tmpl2()
    assert v1 is v2 and v1 is not v3
    assert (v1.name, v3.name) == ("s1/test/dummy:0", "s1_1/test/dummy:0")


# test_enforces_no_extra_trainable_variables
def test_a_new_trainable_variable_on_a_later_call_raises():
    tmpl = tf.make_template("s", dummy_after_variable, trainable=True)
    tmpl()
    with pytest.raises(ValueError, match="Trainable variable created when calling a template "
                       "after the first time"):
        tmpl()


# test_enforces_no_extra_trainable_variables_eager (its graph-mode half)
def test_a_new_get_variable_on_a_later_call_raises():
    tmpl = tf.make_template("s", dummy_after_side_variable, trainable=True)
    tmpl(name="1")
    with pytest.raises(ValueError, match="Variable s/2 does not exist"):
        tmpl(name="2")


# test_permits_extra_non_trainable_variables
def test_a_new_non_trainable_variable_on_a_later_call_is_allowed():
    tmpl = tf.make_template("s", dummy_after_variable, trainable=False)
    assert tmpl() is tmpl()


# test_internal_variable_reuse
def test_reuse_inside_the_function():
    def nested():
        with tf.variable_scope("nested") as vs:
            v1 = tf.get_variable("x", initializer=tf.zeros_initializer(), shape=[])
        with tf.variable_scope(vs, reuse=True):
            assert tf.get_variable("x") is v1
        return v1

    tmpl1, tmpl2 = tf.make_template("s1", nested), tf.make_template("s1", nested)
    v1, v2, v3 = tmpl1(), tmpl1(), tmpl2()
    assert v1 is v2 and v1 is not v3
    assert (v1.name, v3.name) == ("s1/nested/x:0", "s1_1/nested/x:0")


# test_nested_templates (without the checkpoint and Keras parts)
def test_templates_made_inside_a_template():
    def nested_template():
        nested1, nested2 = tf.make_template("nested", dummy), tf.make_template("nested", dummy)
        v1, v2 = nested1(), nested2()
        assert v1 is not v2
        assert nested1.variables == [v1] and nested2.variables == [v2]
        assert nested1.trainable_variables == [v1] and nested2.trainable_variables == [v2]
        assert nested1.non_trainable_variables == nested2.non_trainable_variables == []
        return v1, v2

    tmpl1 = tf.make_template("s1", nested_template)
    tmpl2 = tf.make_template("s1", nested_template)
    v1, v2 = tmpl1()
    assert list(tmpl1()) == [v1, v2]
    v5, v6 = tmpl2()
    assert tmpl1.variables == tmpl1.trainable_variables == [v1, v2]
    assert tmpl2.variables == tmpl2.trainable_variables == [v5, v6]
    assert tmpl1.non_trainable_variables == tmpl2.non_trainable_variables == []
    assert [v.name for v in (v1, v2, v5, v6)] == [
        "s1/nested/dummy:0", "s1/nested_1/dummy:0", "s1_1/nested/dummy:0",
        "s1_1/nested_1/dummy:0"]


# test_immediate_scope_creation
def test_scope_made_at_construction_or_at_the_first_call():
    with tf.variable_scope("ctor_scope"):
        immediate = tf.make_template("a", dummy, True)
        deferred = tf.make_template("b", dummy, False)
    with tf.variable_scope("call_scope"):
        inner_immediate, inner_deferred = immediate(), deferred()
    assert immediate() is inner_immediate and deferred() is inner_deferred
    assert inner_immediate is not inner_deferred
    assert inner_immediate.name == "ctor_scope/a/dummy:0"
    assert inner_deferred.name == "call_scope/b/dummy:0"


# test_scope_access
def test_the_variable_scope_is_readable_before_the_first_call():
    with tf.variable_scope("foo"):
        ta = tf.make_template("bar", dummy, True)
        tb = tf.make_template("bar", dummy, True)
    assert (ta.variable_scope.name, tb.variable_scope.name) == ("foo/bar", "foo/bar_1")
    with tf.variable_scope("foo_2"):
        tc = tf.make_template("blah", dummy, False)
    assert tc.variable_scope is None
    tc()
    assert tc.variable_scope.name == "blah"


# test_custom_getter
@pytest.mark.parametrize("create_scope_now", [False, True])
def test_the_custom_getter_sees_every_get_variable(create_scope_now):
    count = [0]

    def custom_getter(getter, name, *args, **kwargs):
        count[0] += 1
        return getter(name, *args, **kwargs)

    tmpl = tf.make_template("s", dummy, custom_getter_=custom_getter,
                            create_scope_now_=create_scope_now)
    assert count == [0]
    tmpl()
    assert count == [1]
    tmpl()
    assert count == [2]


# test_fails_gracefully
@pytest.mark.parametrize("create_scope_now", [True, False])
def test_a_failed_first_call_leaves_no_state(create_scope_now):
    def one_arg(inputs):
        return inputs * tf.get_variable("w", shape=[1], initializer=tf.zeros_initializer())

    tmpl = tf.make_template("f1", one_arg, create_scope_now_=create_scope_now)
    data = tf.zeros([1])
    with pytest.raises(TypeError, match="originally defined at:"):
        tmpl(data, is_training=True)
    assert not tmpl._variables_created
    tmpl(data)
    assert tmpl._variables_created


# test_name_scopes_for_variable_scopes
def test_name_scopes_are_made_unique_only_when_needed():
    def linear(x, output_size):
        w = tf.get_variable("w", shape=[x.get_shape()[1], output_size],
                            initializer=tf.zeros_initializer())
        b = tf.get_variable("b", shape=[output_size], initializer=tf.zeros_initializer())
        return tf.matmul(x, w) + b, w

    def make_linear(output_size, name):
        return tf.make_template(name, linear, output_size=output_size, create_scope_now_=True)

    inputs = tf.ones((3, 4))
    linear1 = make_linear(2, "foo")
    (out_a, w1), (out_b, _) = linear1(inputs), linear1(inputs)
    assert (linear1.variable_scope.name, w1.name) == ("foo", "foo/w:0")
    assert (out_a.name, out_b.name) == ("foo/add:0", "foo_1/add:0")
    linear2 = make_linear(2, "foo")
    (out_c, w2), (out_d, _) = linear2(inputs), linear2(inputs)
    assert (linear2.variable_scope.name, w2.name) == ("foo_1", "foo_1/w:0")
    assert (out_c.name, out_d.name) == ("foo_1_1/add:0", "foo_1_2/add:0")


# test_global_variables
def test_global_variables_appear_after_the_first_call():
    with tf.variable_scope("foo"):
        ta = tf.make_template("bar", dummy, True)
        tb = tf.make_template("s", dummy_after_variable, trainable=False)
    assert list(ta.global_variables) == list(tb.global_variables) == []
    ta(), tb()
    assert (len(ta.global_variables), len(tb.global_variables)) == (1, 2)


# test_trainable_variables
def test_trainable_variables_appear_after_the_first_call():
    with tf.variable_scope("foo2"):
        ta = tf.make_template("bar", dummy, True)
        tb = tf.make_template("bar", dummy, True)
    assert list(ta.trainable_variables) == list(tb.trainable_variables) == []
    ta(), tb()
    assert len(ta.trainable_variables) == len(tb.trainable_variables) == 1
    assert list(ta.non_trainable_variables) == list(tb.non_trainable_variables) == []
    assert len(ta.variables) == len(tb.variables) == 1


# test_non_trainable_variables
def test_non_trainable_variables_are_listed_apart():
    with tf.variable_scope("foo2"):
        ta = tf.make_template("a", dummy, trainable=True)
        tb = tf.make_template("b", dummy, trainable=False)
    assert list(ta.variables) == list(tb.variables) == []
    ta(), tb()
    assert (len(ta.trainable_variables), list(ta.non_trainable_variables)) == (1, [])
    assert (list(tb.trainable_variables), len(tb.non_trainable_variables)) == ([], 1)
    assert len(ta.variables) == len(tb.variables) == 1


# test_local_variables
def test_local_variables_appear_after_the_first_call():
    with tf.variable_scope("foo3"):
        ta = tf.make_template("bar", dummy, True)
        tb = tf.make_template("bar", dummy_and_local)
    assert list(ta.local_variables) == list(tb.local_variables) == []
    ta(), tb()
    assert (len(ta.local_variables), len(tb.local_variables)) == (0, 1)
