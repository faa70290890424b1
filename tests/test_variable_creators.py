"""Variable creators and the arguments TF1 code passes (issue 16, item 3), graph mode:
`variable_creator_scope`, `VariableSynchronization`/`VariableAggregation`, what custom getters
receive, `get_local_variable`'s signature, `no_regularizer`, the resource-variable switch and
`init_scope`. Every expectation was checked against TF (tensorflow.compat.v1 in graph mode) with
tfdiff; where minitf follows TF 1.15 rather than the reference TF 2.21, the test says so.
"""
import inspect
import threading

import pytest

import minitf as tf

S, A = tf.VariableSynchronization, tf.VariableAggregation

# TF 1.15's VariableV1 arguments, the keywords every creator gets (TF 2.21 adds
# experimental_enable_variable_lifting, a TF2 argument TF1 code never passes)
CREATOR_KWARGS = ["aggregation", "caching_device", "collections", "constraint", "dtype",
                  "expected_shape", "import_scope", "initial_value", "name", "shape",
                  "synchronization", "trainable", "use_resource", "validate_shape",
                  "variable_def"]

# what TF's _VariableStore.get_variable hands a custom getter that takes **kwargs
GETTER_KWARGS = ["aggregation", "caching_device", "collections", "constraint", "dtype",
                 "initializer", "name", "partitioner", "regularizer", "reuse", "shape",
                 "synchronization", "trainable", "use_resource", "validate_shape"]


def recorder(log, tag=None):
    def creator(next_creator, **kwargs):
        log.append(kwargs if tag is None else (tag, kwargs["name"]))
        return next_creator(**kwargs)
    return creator


@pytest.fixture
def resource_switch():
    """Leaves the global resource-variable default as it found it."""
    before = tf.resource_variables_enabled()
    yield
    (tf.enable_resource_variables if before else tf.disable_resource_variables)()


# -- variable_creator_scope ------------------------------------------------------------------------
def test_a_creator_gets_tf1s_keywords_for_tf_variable_as_given():
    log = []
    with tf.variable_creator_scope(recorder(log)):
        v = tf.Variable(1.0, name="a")
    (kw,) = log
    assert sorted(kw) == CREATOR_KWARGS
    assert (kw["name"], kw["trainable"], kw["use_resource"], kw["dtype"], kw["shape"],
            kw["collections"], kw["validate_shape"]) == ("a", None, None, None, None, None, True)
    assert (kw["synchronization"], kw["aggregation"]) == (S.AUTO, A.NONE)
    assert kw["initial_value"] == 1.0
    assert v.name == "a:0" and type(v) is tf.Variable


def test_get_variable_creates_through_the_creators_with_its_settled_arguments():
    log = []
    with tf.variable_creator_scope(recorder(log)):
        w = tf.get_variable("w", [2])
        with tf.variable_scope("s"):
            x = tf.get_variable("x", [3], dtype=tf.int32)
        loc = tf.get_local_variable("loc", [1])
    assert [kw["name"] for kw in log] == ["w", "s/x", "loc"]
    assert all(sorted(kw) == CREATOR_KWARGS for kw in log)
    w_kw, x_kw, loc_kw = log
    # trainable and use_resource settled, the dtype the variable's, the initializer bound
    assert (w_kw["trainable"], w_kw["use_resource"], w_kw["dtype"]) == (True, False, tf.float32)
    assert callable(w_kw["initial_value"]) and w_kw["collections"] is None
    assert w_kw["shape"] is None  # (TF 1.15; TF 2.21 passes the TensorShape)
    assert x_kw["dtype"] == tf.int32
    assert (loc_kw["trainable"], loc_kw["collections"]) == (False, ["local_variables"])
    assert [v.name for v in (w, x, loc)] == ["w:0", "s/x:0", "loc:0"]
    assert w.shape.as_list() == [2]


def test_creators_nest_and_the_innermost_runs_first():
    log = []
    with tf.variable_creator_scope(recorder(log, "outer")):
        with tf.variable_creator_scope(recorder(log, "inner")):
            tf.Variable(1.0, name="v")
        tf.Variable(1.0, name="w")
    tf.Variable(1.0, name="x")
    assert log == [("inner", "v"), ("outer", "v"), ("outer", "w")]


def test_variable_creator_scope_yields_none_and_is_the_compat_v1_name():
    with tf.variable_creator_scope(lambda next_creator, **kw: next_creator(**kw)) as scope:
        assert scope is None
    assert tf.compat.v1.variable_creator_scope is tf.variable_creator_scope
    assert list(inspect.signature(tf.variable_creator_scope).parameters) == ["variable_creator"]


def test_get_variable_finding_an_existing_variable_calls_no_creator():
    log = []
    with tf.variable_creator_scope(recorder(log, "c")):
        with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
            a = tf.get_variable("a", [1])
            b = tf.get_variable("a", [1])
    assert a is b and log == [("c", "s/a")]


def test_a_creator_may_change_the_arguments_and_the_store_keeps_the_requested_name():
    def rename(next_creator, **kwargs):
        kwargs.update(name="renamed", trainable=False)
        return next_creator(**kwargs)
    with tf.variable_creator_scope(rename):
        v = tf.get_variable("orig", [1])
    assert (v.name, v.trainable) == ("renamed:0", False)
    assert tf.trainable_variables() == []
    with tf.variable_scope("", reuse=True):
        assert tf.get_variable("orig", [1]) is v


def test_a_creator_may_return_anything_without_making_a_variable():
    with tf.variable_creator_scope(lambda next_creator, **kwargs: 42):
        assert tf.Variable(1.0) == 42
    assert tf.global_variables() == []
    assert tf.get_default_graph().get_operations() == []


def test_creators_belong_to_the_default_graph_and_the_thread_that_entered_them():
    log, other = [], tf.Graph()
    with tf.variable_creator_scope(recorder(log, "c")):
        with other.as_default():
            tf.Variable(1.0, name="other_graph")
        graph = tf.get_default_graph()

        def in_thread():
            with graph.as_default():
                tf.Variable(1.0, name="thread")
        t = threading.Thread(target=in_thread)
        t.start()
        t.join()
        with other.as_default(), tf.variable_creator_scope(recorder(log, "c2")):
            tf.Variable(1.0, name="inner_g")
        tf.Variable(1.0, name="after")
    assert log == [("c2", "inner_g"), ("c", "after")]


def test_a_creators_error_propagates_and_the_scope_is_left():
    def bad(next_creator, **kwargs):
        raise RuntimeError("boom")
    with pytest.raises(RuntimeError, match="boom"):
        with tf.variable_creator_scope(bad):
            tf.Variable(1.0, name="bad")
    assert tf.Variable(1.0, name="fine").name == "fine:0"


def test_a_creator_must_be_callable():
    with pytest.raises(TypeError, match="callable"):  # (TF: at the first variable made)
        with tf.variable_creator_scope(None):
            pass


def test_positional_arguments_of_tf_variable_reach_creators_by_tf1s_names():
    log = []
    with tf.variable_creator_scope(recorder(log)):
        v = tf.Variable(2.0, False, ["mine"], True, None, "pos")
    (kw,) = log
    assert (kw["trainable"], kw["collections"], kw["name"]) == (False, ["mine"], "pos")
    assert tf.get_collection("mine") == [v]


def test_a_resource_variable_made_directly_calls_no_creator():
    log = []
    with tf.variable_creator_scope(recorder(log)):
        r = tf.ResourceVariable(1.0, name="direct")
        v = tf.Variable(1.0, name="made", use_resource=True)
    assert [kw["name"] for kw in log] == ["made"]
    assert type(r) is type(v) is tf.ResourceVariable


def test_partitioned_parts_and_optimizer_slots_go_through_the_creators():
    log = []
    with tf.variable_creator_scope(recorder(log, "c")):
        with tf.variable_scope("s", partitioner=tf.fixed_size_partitioner(2)):
            tf.get_variable("p", [4, 2])
        w = tf.get_variable("w", [1])
        tf.train.MomentumOptimizer(0.1, 0.9).minimize(tf.reduce_sum(w * 2.0))
    # the slot's name is the scope it re-enters, 'w/Momentum/', as TF passes it
    assert log == [("c", "s/p/part_0"), ("c", "s/p/part_1"), ("c", "w"), ("c", "w/Momentum/")]


# -- VariableSynchronization and VariableAggregation -----------------------------------------------
def test_the_enums_have_tf1s_members_and_values():
    assert [(m.name, m.value) for m in S] == [("AUTO", 0), ("NONE", 1), ("ON_WRITE", 2),
                                              ("ON_READ", 3)]
    assert list(A.__members__) == ["NONE", "SUM", "MEAN", "ONLY_FIRST_REPLICA",
                                   "ONLY_FIRST_TOWER"]
    assert [m.value for m in A] == [0, 1, 2, 3]
    assert A.ONLY_FIRST_TOWER is A.ONLY_FIRST_REPLICA and A(3) is A.ONLY_FIRST_REPLICA
    assert repr(S.ON_READ) == "<VariableSynchronization.ON_READ: 3>"
    assert str(A.SUM) == "VariableAggregation.SUM"
    assert tf.compat.v1.VariableSynchronization is S


def test_variables_default_to_auto_and_none():
    v = tf.Variable(1.0)
    w = tf.get_variable("w", [1])
    assert (v.synchronization, v.aggregation) == (S.AUTO, A.NONE)
    assert (w.synchronization, w.aggregation) == (S.AUTO, A.NONE)


def test_get_variable_on_read_is_not_trainable_unless_asked():
    v = tf.get_variable("v", [1], synchronization=S.ON_READ)
    assert (v.trainable, v.synchronization, v.aggregation) == (False, S.ON_READ, A.NONE)
    assert tf.trainable_variables() == []
    # TF 1.15 and later accept trainable=True with ON_READ (TF <= 1.13 raised ValueError)
    t = tf.get_variable("t", [1], trainable=True, synchronization=S.ON_READ)
    assert (t.trainable, t.synchronization) == (True, S.ON_READ)
    assert tf.trainable_variables() == [t]


def test_tf_variable_records_synchronization_and_aggregation():
    w = tf.Variable(1.0, synchronization=S.ON_READ, aggregation=A.MEAN)
    assert (w.trainable, w.synchronization, w.aggregation) == (False, S.ON_READ, A.MEAN)
    r = tf.get_variable("r", [1], use_resource=True, synchronization=S.ON_WRITE,
                        aggregation=A.ONLY_FIRST_TOWER)
    assert type(r) is tf.ResourceVariable
    assert (r.trainable, r.synchronization, r.aggregation) == (True, S.ON_WRITE,
                                                              A.ONLY_FIRST_REPLICA)


@pytest.mark.parametrize("kwargs, expected", [
    (dict(synchronization=3), (False, S.ON_READ, A.NONE)),
    (dict(aggregation=1), (True, S.AUTO, A.SUM)),  # (TF 2.21 prints VariableAggregationV2.SUM)
    (dict(synchronization=None, aggregation=None), (True, S.AUTO, A.NONE)),
])
def test_modes_may_be_given_by_value_or_none(kwargs, expected):
    v = tf.get_variable("v", [1], **kwargs)
    w = tf.Variable(1.0, **kwargs)
    assert (v.trainable, v.synchronization, v.aggregation) == expected
    assert (w.trainable, w.synchronization, w.aggregation) == expected


@pytest.mark.parametrize("kwargs, message", [
    (dict(synchronization=7), "Invalid variable synchronization mode: 7 for variable: {}"),
    (dict(aggregation=9), "Invalid variable aggregation mode: 9 for variable: {}"),
    (dict(aggregation="sum"), "Invalid variable aggregation mode: sum for variable: {}"),
])
def test_an_unknown_mode_is_a_value_error_naming_the_variable(kwargs, message):
    with pytest.raises(ValueError) as raised:
        tf.get_variable("x", [1], **kwargs)
    assert str(raised.value) == message.format("x")
    with pytest.raises(ValueError) as raised:
        tf.Variable(1.0, **kwargs)
    assert str(raised.value) == message.format("None")  # (tf.Variable's name argument)
    assert tf.global_variables() == []


def test_partitioned_parts_take_the_modes():
    with tf.variable_scope("s", partitioner=tf.fixed_size_partitioner(2)):
        p = tf.get_variable("p", [4, 2], synchronization=S.ON_READ, aggregation=A.MEAN)
    assert [(v.name, v.trainable, v.synchronization, v.aggregation) for v in p] == [
        ("s/p/part_0:0", False, S.ON_READ, A.MEAN), ("s/p/part_1:0", False, S.ON_READ, A.MEAN)]


def test_get_local_variable_passes_the_modes():
    loc = tf.get_local_variable("l", [1], synchronization=S.ON_WRITE, aggregation=A.SUM)
    assert (loc.trainable, loc.synchronization, loc.aggregation) == (False, S.ON_WRITE, A.SUM)
    assert tf.local_variables() == [loc]


# -- what custom getters receive -------------------------------------------------------------------
def test_a_custom_getter_with_kwargs_receives_tfs_keywords():
    seen = []

    def getter(getter, **kwargs):
        seen.append(kwargs)
        return getter(**kwargs)
    with tf.variable_scope("a", custom_getter=getter):
        v = tf.get_variable("v", [1], synchronization=S.ON_READ, aggregation=A.SUM)
    (kw,) = seen
    assert sorted(kw) == GETTER_KWARGS
    assert (kw["name"], kw["trainable"], kw["synchronization"], kw["aggregation"]) == (
        "a/v", False, S.ON_READ, A.SUM)
    assert (kw["reuse"], kw["use_resource"], kw["dtype"], kw["shape"]) == (
        False, None, tf.float32, [1])
    assert (v.trainable, v.synchronization, v.aggregation) == (False, S.ON_READ, A.SUM)


def test_a_custom_getter_without_constraint_gets_no_constraint():
    seen = []

    def getter(getter, name, shape=None, dtype=None, initializer=None, regularizer=None,
               reuse=None, trainable=None, collections=None, caching_device=None,
               partitioner=None, validate_shape=True, use_resource=None, synchronization=None,
               aggregation=None):
        seen.append((name, trainable, synchronization, aggregation))
        return getter(name, shape=shape, dtype=dtype, initializer=initializer,
                      trainable=trainable, collections=collections,
                      synchronization=synchronization, aggregation=aggregation)
    with tf.variable_scope("b", custom_getter=getter):
        w = tf.get_variable("w", [1], trainable=False)
        loc = tf.get_local_variable("l", [1])
    assert seen == [("b/w", False, S.AUTO, A.NONE), ("b/l", False, S.AUTO, A.NONE)]
    assert (w.trainable, w.synchronization, loc.trainable) == (False, S.AUTO, False)


def test_a_getter_changing_the_mode_changes_the_default_trainable():
    def getter(getter, *args, **kwargs):
        kwargs.update(synchronization=S.ON_READ, trainable=None)
        return getter(*args, **kwargs)
    with tf.variable_scope("g", custom_getter=getter):
        q = tf.get_variable("q", [1])  # deferred (a built-in initializer)
        q2 = tf.get_variable("q2", [1], initializer=lambda shape, dtype, **_: tf.zeros(shape))
    assert (q.trainable, q.synchronization, q2.trainable) == (False, S.ON_READ, False)


# -- signatures ------------------------------------------------------------------------------------
def test_get_local_variable_has_tfs_signature():
    assert str(inspect.signature(tf.get_local_variable)) == (
        "(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=False, "
        "collections=None, caching_device=None, partitioner=None, validate_shape=True, "
        "use_resource=None, custom_getter=None, constraint=None, "
        "synchronization=<VariableSynchronization.AUTO: 0>, "
        "aggregation=<VariableAggregation.NONE: 0>)")


def test_variable_scope_get_variable_and_tf_variable_default_to_the_enums():
    for fn in (tf.VariableScope.get_variable, tf.Variable.__init__):
        params = inspect.signature(fn).parameters
        assert params["synchronization"].default is S.AUTO
        assert params["aggregation"].default is A.NONE


def test_get_local_variable_adds_local_variables_and_leaves_the_callers_list():
    mine = ["mine"]
    loc = tf.get_local_variable("l", [1], collections=mine, trainable=True)
    assert mine == ["mine"]  # (TF appends LOCAL_VARIABLES to the caller's list)
    assert tf.get_collection("mine") == tf.local_variables() == [loc]
    assert loc.trainable is False and tf.global_variables() == []


def test_variable_scope_get_variable_takes_the_modes():
    scope = tf.get_variable_scope()
    store = tf.get_default_graph()._layer_state.get("variable_store")
    if store is None:
        tf.get_variable("first", [1])
        store = tf.get_default_graph()._layer_state["variable_store"]
    v = scope.get_variable(store, "v", [1], synchronization=S.ON_READ, aggregation=A.MEAN)
    assert (v.name, v.trainable, v.synchronization, v.aggregation) == (
        "v:0", False, S.ON_READ, A.MEAN)


# -- no_regularizer --------------------------------------------------------------------------------
def test_no_regularizer_turns_off_the_scopes_regularizer():
    def reg(v):
        return tf.reduce_sum(v) * 0.5
    with tf.variable_scope("s", regularizer=reg):
        a = tf.get_variable("a", [2])
        tf.get_variable("b", [2], regularizer=tf.no_regularizer)
        tf.get_local_variable("c", [2], regularizer=tf.no_regularizer)
        tf.get_local_variable("d", [2])
    with tf.variable_scope("p", regularizer=tf.no_regularizer,
                           partitioner=tf.fixed_size_partitioner(2)):
        tf.get_variable("e", [4])
    assert [t.name for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)] == [
        "s/a/Regularizer/mul:0", "s/d/Regularizer/mul:0"]
    assert tf.no_regularizer(a) is None
    assert str(inspect.signature(tf.no_regularizer)) == "(_)"


# -- resource variables by default -----------------------------------------------------------------
@pytest.mark.usefixtures("resource_switch")
def test_enable_resource_variables_makes_resource_variables_the_default():
    tf.disable_resource_variables()
    assert tf.resource_variables_enabled() is False
    assert type(tf.Variable(1.0)) is tf.Variable
    tf.enable_resource_variables()
    assert tf.resource_variables_enabled() is True
    assert type(tf.Variable(1.0)) is tf.ResourceVariable
    assert type(tf.get_variable("e", [1])) is tf.ResourceVariable
    assert type(tf.get_variable("f", initializer=[1.0])) is tf.ResourceVariable  # (not deferred)
    assert type(tf.Variable(1.0, use_resource=False)) is tf.Variable
    with tf.variable_scope("ref", use_resource=False):
        assert type(tf.Variable(1.0)) is tf.Variable
        assert type(tf.get_variable("q", [1])) is tf.Variable
    tf.disable_resource_variables()
    assert type(tf.Variable(1.0)) is tf.Variable
    assert tf.compat.v1.enable_resource_variables is tf.enable_resource_variables


@pytest.mark.usefixtures("resource_switch")
def test_resource_variables_are_off_by_default_as_tf1():
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", "import minitf as tf; "
                          "print(tf.resource_variables_enabled())"],
                         capture_output=True, text=True, check=True).stdout
    assert out == "False\n"


def test_tf_variable_follows_the_variable_scopes_use_resource():
    with tf.variable_scope("rs", use_resource=True):
        assert type(tf.Variable(1.0)) is tf.ResourceVariable
        assert type(tf.get_variable("q", [1])) is tf.ResourceVariable
    assert type(tf.Variable(1.0)) is tf.Variable


@pytest.mark.usefixtures("resource_switch")
def test_creators_see_the_settled_use_resource_of_get_variable():
    log = []
    tf.enable_resource_variables()
    with tf.variable_creator_scope(recorder(log)):
        tf.get_variable("w", [1])
        tf.Variable(1.0, name="v")
    assert [(kw["name"], kw["use_resource"]) for kw in log] == [("w", True), ("v", None)]


# -- init_scope ------------------------------------------------------------------------------------
def test_init_scope_clears_control_dependencies_and_keeps_the_scopes():
    a = tf.constant(1.0, name="a")
    with tf.name_scope("outer"), tf.control_dependencies([a]), tf.device("/cpu:0"):
        with tf.variable_scope("vs"):
            with tf.init_scope() as scope:
                b = tf.constant(2.0, name="b")
                name_scope = tf.get_default_graph().get_name_scope()
                v = tf.get_variable("v", [1])
                with tf.name_scope("inner"):
                    c = tf.constant(0.0, name="c")
        d = tf.constant(3.0, name="d")
    assert scope is None
    assert (b.name, b.op.control_inputs, b.device) == ("outer/vs/b:0", [], "/device:CPU:0")
    assert name_scope == "outer/vs"  # (the variable scope's name scope, unchanged)
    assert (v.name, c.name) == ("vs/v:0", "outer/vs/inner/c:0")
    assert [op.name for op in d.op.control_inputs] == ["a"]


def test_init_scope_keeps_the_default_graph():
    g = tf.Graph()
    with g.as_default(), tf.init_scope():
        assert tf.get_default_graph() is g
        with tf.init_scope():
            assert tf.constant(1).name == "Const:0"
