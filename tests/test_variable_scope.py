"""variable_scope and get_variable: naming, reuse, inheritance, errors and threads (TF1 rules)."""
import threading

import numpy as np
import pytest

import minitf as tf


def init_and_run(fetches):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches)


# -- naming ----------------------------------------------------------------------------------------
def test_reentering_a_captured_scope_renames_ops_but_not_variables():
    with tf.variable_scope("foo") as vs:
        pass
    with tf.variable_scope(vs) as vs2:
        b = tf.constant(1.0, name="b")
        v = tf.get_variable("v", [1])
    assert (vs2.name, vs2.original_name_scope, b.name, v.name) == ("foo", "foo/", "foo_1/b:0",
                                                                   "foo/v:0")
    with tf.variable_scope(vs, auxiliary_name_scope=False):
        assert tf.constant(1.0, name="c").name == "c:0"


def test_reopening_a_scope_by_name_uniquifies_the_name_scope():
    with tf.variable_scope("foo"):
        pass
    with tf.variable_scope("foo") as again:
        assert tf.constant(1.0, name="d").name == "foo_1/d:0"
    assert again.original_name_scope == "foo_1/"


def test_default_names_are_uniquified_per_parent():
    with tf.variable_scope(None, default_name="x") as s1:
        pass
    with tf.variable_scope(None, default_name="x") as s2:
        pass
    with tf.variable_scope("p"):
        with tf.variable_scope(None, default_name="x") as s3:
            pass
    assert [s.name for s in (s1, s2, s3)] == ["x", "x_1", "p/x"]
    assert (s1.original_name_scope, s2.original_name_scope) == ("x/", "x_1/")


def test_default_name_counter_resets_on_reentry():
    with tf.variable_scope("foo") as vs:
        for _ in range(3):
            with tf.variable_scope(None, default_name="bar"):
                pass
    with tf.variable_scope(vs):
        with tf.variable_scope(None, default_name="bar") as again:
            pass
        with tf.variable_scope(None, default_name="bar") as next_one:
            pass
    assert (again.name, next_one.name) == ("foo/bar", "foo/bar_1")
    with tf.variable_scope("foo"):  # re-opened by name: the counters were discarded too
        with tf.variable_scope(None, default_name="bar") as by_name:
            pass
    assert by_name.name == "foo/bar"


def test_captured_reentry_forgets_its_counters_on_exit():
    with tf.variable_scope("a") as a:
        with tf.variable_scope(None, default_name="c"):
            with tf.variable_scope(a):
                with tf.variable_scope(None, default_name="k"):
                    pass
            with tf.variable_scope(None, default_name="k") as k:
                pass
    assert k.name == "a/c/k"


def test_variable_names_ignore_the_name_scope():
    with tf.name_scope("ns"):
        with tf.variable_scope("vs"):
            v = tf.get_variable("v", [1])
            c = tf.constant(1.0)
    assert (v.name, c.name) == ("vs/v:0", "ns/vs/Const:0")


def test_empty_name_opens_no_name_scope():
    with tf.name_scope("outer"):
        with tf.variable_scope("") as scope:
            assert tf.constant(1.0).name == "outer/Const:0"
    assert scope.name == ""


# -- sharing ---------------------------------------------------------------------------------------
def test_reuse_is_inherited_by_subscopes():
    with tf.variable_scope("r"):
        with tf.variable_scope("s"):
            v = tf.get_variable("v", [1])
    with tf.variable_scope("r", reuse=True) as r:
        with tf.variable_scope("s") as s:
            assert tf.get_variable("v", [1]) is v
    assert (r.reuse, s.reuse) == (True, True)


def test_reuse_false_means_none():
    with tf.variable_scope("f", reuse=False) as scope:
        tf.get_variable("v", [1])
    assert scope.reuse is False  # inherited from the root scope, as TF


def test_auto_reuse_creates_then_shares():
    def layer():
        with tf.variable_scope("layer", reuse=tf.AUTO_REUSE):
            return tf.get_variable("w", [2, 2]), tf.get_variable("b", [2])
    first, second = layer(), layer()
    assert first[0] is second[0] and first[1] is second[1]
    assert [v.name for v in tf.global_variables()] == ["layer/w:0", "layer/b:0"]


def test_sharing_checks_shape_and_dtype():
    with tf.variable_scope("s"):
        tf.get_variable("q", [1])
    with tf.variable_scope("s", reuse=True):
        with pytest.raises(ValueError, match=r"Trying to share variable s/q, but specified shape "
                                             r"\(2,\) and found shape \(1,\)"):
            tf.get_variable("q", [2])
        with pytest.raises(ValueError, match="Trying to share variable s/q, but specified dtype "
                                             "int32 and found dtype float32_ref"):
            tf.get_variable("q", [1], dtype=tf.int32)
        assert tf.get_variable("q").name == "s/q:0"  # an unknown shape is compatible


def test_already_exists_error_names_where_it_was_defined():
    with tf.variable_scope("s"):
        tf.get_variable("q", [1])  # this line is quoted in the error
        with pytest.raises(ValueError) as info:
            tf.get_variable("q", [1])
    text = str(info.value)
    assert text.startswith("Variable s/q already exists, disallowed. Did you mean to set "
                           "reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally defined at:")
    assert "test_variable_scope.py" in text and "test_already_exists_error" in text


def test_does_not_exist_error():
    with tf.variable_scope("s", reuse=True):
        with pytest.raises(ValueError, match="Variable s/nope does not exist, or was not created "
                                             "with tf.get_variable"):
            tf.get_variable("nope", [1])


# -- arguments: inheritance and override -----------------------------------------------------------
def test_scope_initializer_reaches_subscopes_and_explicit_wins():
    with tf.variable_scope("o", initializer=tf.constant_initializer(3.0)):
        with tf.variable_scope("i"):
            inherited = tf.get_variable("a", [2])
            explicit = tf.get_variable("b", [2], initializer=tf.ones_initializer())
        with tf.variable_scope("j", initializer=tf.zeros_initializer()):
            overridden = tf.get_variable("c", [2])
    assert [v.tolist() for v in init_and_run([inherited, explicit, overridden])] == [
        [3.0, 3.0], [1.0, 1.0], [0.0, 0.0]]


def test_scope_dtype_reaches_subscopes_and_explicit_wins():
    with tf.variable_scope("o", dtype=tf.float64):
        with tf.variable_scope("i") as inner:
            a = tf.get_variable("a", [1])
            b = tf.get_variable("b", [1], dtype=tf.float32)
    assert (inner.dtype, a.dtype, b.dtype) == (tf.float64, tf.float64._as_ref,
                                               tf.float32._as_ref)


def test_scope_regularizer_adds_one_loss_per_variable_under_regularizer_scope():
    with tf.variable_scope("o", regularizer=lambda w: tf.reduce_sum(w) * 2.0):
        with tf.variable_scope("i"):
            a = tf.get_variable("a", [2], initializer=tf.ones_initializer())
            tf.get_variable("b", [2], regularizer=lambda w: tf.reduce_sum(w) * 10.0,
                            initializer=tf.ones_initializer())
    losses = tf.losses.get_regularization_losses()
    assert [loss.name for loss in losses] == ["o/i/a/Regularizer/mul:0", "o/i/b/Regularizer/mul:0"]
    assert init_and_run(losses) == [4.0, 20.0]
    assert init_and_run(tf.losses.get_regularization_loss()) == 24.0
    with tf.variable_scope("o", reuse=True):
        with tf.variable_scope("i"):
            assert tf.get_variable("a", [2]) is a
    assert len(tf.losses.get_regularization_losses()) == 2  # reuse adds no loss


def test_regularizer_returning_none_adds_nothing():
    tf.get_variable("v", [1], regularizer=lambda w: None)
    assert tf.losses.get_regularization_losses() == []
    assert init_and_run(tf.losses.get_regularization_loss()) == 0.0


def test_scope_constraint_stays_in_its_scope_and_explicit_wins():
    def clip(t):
        return tf.clip_by_value(t, 0.0, 1.0)

    def other(t):
        return t
    with tf.variable_scope("c", constraint=clip):
        a = tf.get_variable("a", [1])
        b0 = tf.get_variable("b0", [1], constraint=other)
        with tf.variable_scope("d"):  # TF1: sub-scopes do not inherit the constraint
            b = tf.get_variable("b", [1])
            c = tf.get_variable("c", [1], constraint=other)
    assert (a.constraint, b0.constraint, b.constraint, c.constraint) == (clip, other, None, other)


def test_scope_caching_device_places_reads():
    with tf.variable_scope("o", caching_device="/cpu:0"):
        with tf.variable_scope("i"):
            a = tf.get_variable("a", [1])
        b = tf.get_variable("b", [1], caching_device="/gpu:0")
    assert (a.value().device, b.value().device, a.device) == ("/device:CPU:0", "/device:GPU:0", "")


def test_scope_use_resource_reaches_subscopes():
    with tf.variable_scope("o", use_resource=True):
        with tf.variable_scope("i"):
            r = tf.get_variable("r", [1])
        plain = tf.get_variable("p", [1], use_resource=False)
    assert isinstance(r, tf.ResourceVariable) and not isinstance(plain, tf.ResourceVariable)


def test_custom_getters_compose_inner_first():
    calls = []

    def outer(getter, name, *args, **kwargs):
        calls.append(("outer", name))
        return getter(name + "_o", *args, **kwargs)

    def inner(getter, name, *args, **kwargs):
        calls.append(("inner", name))
        return getter(name + "_i", *args, **kwargs)
    with tf.variable_scope("g", custom_getter=outer):
        with tf.variable_scope("h", custom_getter=inner):
            z = tf.get_variable("z", [1])
            y = tf.get_variable("y", [1], custom_getter=outer)  # replaces the scope's getters
    assert calls == [("inner", "g/h/z"), ("outer", "g/h/z_i"), ("outer", "g/h/y")]
    assert (z.name, y.name) == ("g/h/z_i_o:0", "g/h/y_o:0")


def test_custom_getter_receives_constraint_when_it_accepts_it():
    seen = {}

    def getter(getter, name, constraint=None, **kwargs):
        seen["constraint"] = constraint
        return getter(name, constraint=constraint, **kwargs)
    with tf.variable_scope("s", custom_getter=getter, constraint=abs):
        tf.get_variable("v", [1])
    assert seen["constraint"] is abs


def test_non_callable_custom_getter_raises_when_a_variable_is_requested():
    with tf.variable_scope("s", custom_getter=3):
        with pytest.raises(ValueError, match="Passed a custom_getter which is not callable: 3"):
            tf.get_variable("v", [1])


def test_partitioner_is_recorded_and_inherited():
    def part(shape, dtype):
        return [1] * len(shape)
    with tf.variable_scope("p", partitioner=part):
        with tf.variable_scope("q") as q:
            assert q.partitioner is part


# -- errors ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, error, words", [
    (lambda: tf.variable_scope(3).__enter__(), TypeError, "must be a string or VariableScope"),
    (lambda: tf.variable_scope(None), TypeError, "If default_name is None then name_or_scope is "
                                                 "required"),
    (lambda: tf.variable_scope("a", reuse=3), ValueError, "The reuse parameter must be True or "
                                                          "False or None"),
    (lambda: tf.variable_scope("a", auxiliary_name_scope=1), TypeError,
     "auxiliary_name_scope must be `True` or `False`"),
    (lambda: tf.variable_scope(None, default_name="d", reuse=True).__enter__(), ValueError,
     "reuse=True cannot be used without a name_or_scope"),
])
def test_variable_scope_argument_errors(make, error, words):
    with pytest.raises(error, match=words):
        make()


@pytest.mark.parametrize("kwargs, words", [
    (dict(name="k", shape=[1], initializer=[1.0]), "If initializer is a constant, do not specify "
                                                   "shape"),
    (dict(name="k", initializer=[1, 2], dtype=tf.float32), "Initializer type '<dtype: 'int32'>' "
                                                            "and explicit dtype"),
    (dict(name="k", shape=[1], dtype=tf.complex64), "An initializer for variable k of "
                                                    "<dtype: 'complex64'> is required"),
    (dict(name="k", shape=[None, 2]), "The initializer passed for variable k is not valid"),
])
def test_get_variable_argument_errors(kwargs, words):
    with pytest.raises(ValueError, match=words):
        tf.get_variable(**kwargs)


def test_out_of_order_exit_raises_runtime_error():
    def body(i):  # in its own thread: the broken nesting stays there
        a, b = tf.variable_scope("a"), tf.variable_scope("b")
        a.__enter__()
        b.__enter__()
        a.__exit__(None, None, None)
    results, errors = run_threads(body, 1)
    assert len(errors) == 1 and isinstance(errors[0], RuntimeError)
    assert "Improper nesting of variable_scope" in str(errors[0])


def test_values_from_another_graph_make_it_the_default_inside():
    other = tf.Graph()
    with other.as_default():
        t = tf.constant(1.0)
    with tf.variable_scope("v", values=[t]):
        assert tf.get_default_graph() is other
        assert tf.get_variable("w", [1]).graph is other
    assert tf.get_default_graph() is not other


# -- initial values by dtype -----------------------------------------------------------------------
def test_default_initializers_by_dtype():
    f = tf.get_variable("f", [50, 50])
    i = tf.get_variable("i", [2], dtype=tf.int32)
    b = tf.get_variable("b", [2], dtype=tf.bool)
    s = tf.get_variable("s", [1], dtype=tf.string)
    k = tf.get_variable("k", initializer=[1, 2])
    fv, iv, bv, sv, kv = init_and_run([f, i, b, s, k])
    limit = np.sqrt(6.0 / 100)
    assert f.initial_value.name == "f/Initializer/random_uniform:0"
    assert np.abs(fv).max() <= limit and fv.std() > limit / 3
    assert (iv.tolist(), bv.tolist(), sv.tolist(), kv.tolist()) == ([0, 0], [False, False],
                                                                     [b""], [1, 2])
    assert k.dtype == tf.int32._as_ref


def test_collections_default_and_explicit_in_creation_order():
    a = tf.get_variable("a", [1])
    b = tf.get_variable("b", [1], trainable=False)
    c = tf.get_variable("c", [1], collections=["mine"])
    d = tf.get_local_variable("d", [1])
    assert tf.global_variables() == [a, b]
    assert tf.trainable_variables() == [a, c]
    assert tf.get_collection("mine") == [c] and tf.local_variables() == [d]


def test_scope_collections_filter_by_scope_name():
    with tf.variable_scope("x") as x:
        a = tf.get_variable("a", [1])
    tf.get_variable("xa", [1])
    assert x.global_variables() == [a] and x.trainable_variables() == [a]
    assert tf.get_variable_scope().name == ""


# -- threads ---------------------------------------------------------------------------------------
def run_threads(target, n):
    errors, results = [], []
    graph = tf.get_default_graph()

    def body(i):
        try:
            with graph.as_default():
                results.append(target(i))
        except Exception as exc:  # collected and asserted by the caller
            errors.append(exc)
    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_a_new_thread_starts_at_the_root_scope():
    with tf.variable_scope("main"):
        results, errors = run_threads(lambda i: tf.get_variable_scope().name, 1)
    assert (results, errors) == ([""], [])


def test_default_names_are_counted_per_thread():
    with tf.variable_scope(None, default_name="t"):
        pass
    results, _ = run_threads(lambda i: _open_default("t"), 2)
    assert results == ["t", "t"]


def _open_default(name):
    with tf.variable_scope(None, default_name=name) as scope:
        return scope.name


def test_concurrent_auto_reuse_gives_one_variable():
    def get(i):
        with tf.variable_scope("shared", reuse=tf.AUTO_REUSE):
            return tf.get_variable("v", [4])
    results, errors = run_threads(get, 8)
    assert errors == [] and len(results) == 8 and all(v is results[0] for v in results)
    assert len(tf.global_variables()) == 1


def test_cross_thread_create_without_reuse_fails_for_all_but_one():
    def create(i):
        with tf.variable_scope("once"):
            return tf.get_variable("v", [1])
    results, errors = run_threads(create, 4)
    assert len(results) == 1 and len(errors) == 3
    assert all(isinstance(e, ValueError) and "already exists" in str(e) for e in errors)


def test_docstring_examples_hold():
    import doctest

    finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner()
    for public in (tf.variable_scope, tf.get_variable):  # the kernel's objects
        for test in finder.find(public, public.__name__, module=False, globs={"tf": tf}):
            runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 4 and result.failed == 0


def test_captured_scope_without_a_last_name_keeps_the_current_name_scope():
    # issue 14: the fast and the full path disagreed; TF opens no name scope for "x/"'s ""
    with tf.variable_scope("x/") as s:
        pass
    with tf.variable_scope("outer"):
        with tf.variable_scope(s):
            assert tf.constant(1.0).name == "outer/Const:0"
        with tf.variable_scope(s, dtype=tf.float32):
            assert tf.constant(1.0).name == "outer/Const_1:0"


def test_exit_without_enter_is_a_runtime_error():
    scope = tf.variable_scope("a")
    with pytest.raises(RuntimeError, match="exited without being entered"):
        scope.__exit__(None, None, None)
    with scope:
        assert tf.get_variable_scope().name == "a"
    with pytest.raises(RuntimeError, match="exited without being entered"):
        scope.__exit__(None, None, None)  # once out, it cannot leave again
    assert tf.get_variable_scope().name == ""


def test_scope_with_values_enters_their_graph_and_leaves_it():
    other = tf.Graph()
    with other.as_default():
        c = tf.constant(1.0, name="c")
    with tf.variable_scope("v", values=[c]):
        assert tf.get_default_graph() is other and tf.constant(2.0).name == "v/Const:0"
    assert tf.get_default_graph() is not other
    with pytest.raises(TypeError, match="must be a string or VariableScope"):
        with tf.variable_scope(3, values=[c]):
            pass
    assert tf.get_default_graph() is not other  # a failed entry leaves the graph it entered


# -- errors at once, never a poisoned graph (issue 15) --------------------------------------------
@pytest.mark.parametrize("name, error, words", [
    (0, TypeError, "must be a string, not int"), (None, TypeError, "not NoneType"),
    ("", ValueError, "'s/' is not a valid variable name"),
    ("a\n", ValueError, "is not a valid variable name"),
    ("v/", ValueError, "'s/v/' is not a valid variable name")])
def test_bad_variable_names_are_refused_at_once_on_both_paths(name, error, words):
    for reuse in (None, tf.AUTO_REUSE):  # (AUTO_REUSE takes the kernel's lookup first)
        with tf.variable_scope("s", reuse=reuse):
            with pytest.raises(error, match=words):
                tf.get_variable(name, [1])
    assert tf.get_default_graph().get_operations() == [] and tf.global_variables() == []


@pytest.mark.parametrize("kwargs, error, words", [
    ({"dtype": tf.bfloat16}, TypeError, "cannot be of type bfloat16"),
    ({"constraint": 5}, ValueError, "The `constraint` argument must be a callable."),
    ({"shape": [10**30]}, TypeError, "Failed to convert elements")])
def test_requests_a_build_would_fail_on_are_refused_at_once(kwargs, error, words):
    with pytest.raises(error, match=words):
        tf.get_variable("w", **{"shape": [1], **kwargs})
    v = tf.get_variable("ok", [1])  # nothing was made, and the graph still works
    assert tf.global_variables() == [v] and v.op.name == "ok"
    assert {op.name for op in tf.get_default_graph().get_operations()} >= {"ok", "ok/read"}


def test_a_variable_past_int32_elements_is_built_with_an_int64_shape():
    v = tf.get_variable("w", [2**31], tf.int8, tf.zeros_initializer())
    u = tf.get_variable("u", [2**31, 3])  # glorot: RandomUniform of an int64 shape
    assert v.shape.as_list() == [2**31] and u.shape.as_list() == [2**31, 3]
    graph = tf.get_default_graph()
    assert graph.get_tensor_by_name("w/Initializer/zeros/shape_as_tensor:0").dtype == tf.int64
    assert graph.get_tensor_by_name("u/Initializer/random_uniform/shape:0").dtype == tf.int64
    assert v.initializer.name == "w/Assign" and u.initializer.name == "u/Assign"


def test_an_empty_name_is_refused_at_the_root_as_tf():
    with pytest.raises(ValueError, match="`` is not a valid node name"):
        tf.constant(1.0, name="")
    with tf.name_scope("s"):
        assert tf.constant(1.0, name="").name == "s/Const:0"
    assert tf.Variable(1.0, name="").name == "VariableV2:0"  # TF: the root, ops named by type


def test_a_default_named_scope_refuses_auto_reuse_as_tf():
    with pytest.raises(ValueError, match="reuse=True cannot be used without a name_or_scope"):
        with tf.variable_scope(None, default_name="d", reuse=tf.AUTO_REUSE):
            pass
    assert tf.get_variable_scope().name == ""
