"""TF 1.15's kernel_tests/variable_scope_test.py, graph-mode cases, restated for minitf.

Each group names the TF test it comes from; every expectation was checked against TensorFlow
(tools/tfdiff). Cases TF runs only eagerly, or that need variable_creator_scope or
synchronization, are listed at the end of the file.
"""
import inspect
import threading

import numpy as np
import pytest

import minitf as tf
from minitf.partitioned import PartitionInfo
from minitf.variable_scope import _get_default_variable_store
from minitf.variables import ResourceVariable


def run(fetches, var_list=None):
    """Initializes `var_list` (default: every global variable), then fetches `fetches`."""
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer() if var_list is None
                 else tf.variables_initializer(var_list))
        return sess.run(fetches)


def name_scope_in(*args):
    """The name scope `tf.name_scope(*args)` opens in the current one."""
    with tf.name_scope(*args) as scope:
        return scope


def needs(name):
    return pytest.mark.skipif(not hasattr(tf, name), reason=f"minitf has no tf.{name} yet")


# -- the variable store ----------------------------------------------------------------------------
# TF: testGetVar
def test_store_hands_back_the_variable_it_made():
    store = _get_default_variable_store()
    v = store.get_variable("v", [1])
    assert store.get_variable("v", [1]) is v


# TF: testResource
def test_store_makes_a_resource_variable_on_request():
    v = _get_default_variable_store().get_variable("v", [1], use_resource=True)
    assert isinstance(v, ResourceVariable)


# TF: testNameExists
def test_store_checks_reuse_only_when_asked():
    store = _get_default_variable_store()
    v = store.get_variable("v", [1])
    assert store.get_variable("v", [1]) is v  # reuse=None: no check
    store.get_variable("w", [1], reuse=False)
    with pytest.raises(ValueError, match="Variable v already exists, disallowed"):
        store.get_variable("v", [1], reuse=False)
    assert store.get_variable("v", [1], reuse=True) is v
    with pytest.raises(ValueError, match="Variable u does not exist"):
        store.get_variable("u", [1], reuse=True)


# TF: testNamelessStore
def test_store_names_its_variables_without_a_scope():
    store = _get_default_variable_store()
    store.get_variable("v1", [2])
    store.get_variable("v2", [2])
    assert {v.name for v in store._vars.values()} == {"v1:0", "v2:0"}


# -- what a scope hands its variables --------------------------------------------------------------
# TF: testVarScopeInitializer
def test_scope_initializer_applies_by_name_and_on_reentry():
    init = tf.constant_initializer(0.3)
    with tf.variable_scope("tower0") as tower:
        with tf.variable_scope("foo", initializer=init):
            v = tf.get_variable("v", [])
        with tf.variable_scope(tower, initializer=init):
            w = tf.get_variable("w", [])
    assert (v.name, w.name) == ("tower0/foo/v:0", "tower0/w:0")
    assert run([v.value(), w.value()], [v, w]) == pytest.approx([0.3, 0.3])


# TF: testVarScopeConstraint
def test_scope_constraint_applies_by_name_and_on_reentry():
    def constraint(x):
        return 0.0 * x
    with tf.variable_scope("tower1") as tower:
        with tf.variable_scope("foo", constraint=constraint):
            v = tf.get_variable("v", [])
        with tf.variable_scope(tower, constraint=constraint):
            w = tf.get_variable("w", [])
    assert v.constraint is constraint and w.constraint is constraint


def test_scope_constraint_is_not_inherited_by_subscopes_or_reentries():
    def clip(x):
        return tf.clip_by_value(x, 0.0, 1.0)
    with tf.variable_scope("a", constraint=clip) as a:
        with tf.variable_scope("b") as b:
            by_name = tf.get_variable("v", [])
        with tf.variable_scope(None, default_name="d") as d:
            pass
        with tf.variable_scope(a) as again_inside:
            pass
    with tf.variable_scope(a) as again:
        reentered = tf.get_variable("w", [])
    assert a.constraint is clip
    assert [s.constraint for s in (b, d, again_inside, again)] == [None] * 4
    assert (by_name.constraint, reentered.constraint) == (None, None)


# TF: testVarScopeNestingError
def test_out_of_order_exit_raises_and_a_later_exit_still_closes_the_scope():
    with tf.variable_scope("aa"):
        scope = tf.variable_scope("bb")
        scope.__enter__()
        with tf.variable_scope("cc"):
            with pytest.raises(RuntimeError, match="Improper nesting of variable_scope"):
                scope.__exit__(None, None, None)
            assert tf.get_variable_scope().name == "aa/bb/cc"
            assert tf.constant(1.0).name == "aa/Const:0"  # the name scope was left, as TF
        assert tf.get_variable_scope().name == "aa/bb"
        scope.__exit__(None, None, None)
        assert tf.get_variable_scope().name == "aa"
    assert tf.get_variable_scope().name == ""
    assert tf.constant(1.0).name == "Const:0"


# TF: testStringDefaultInitializer
def test_string_variable_starts_as_empty_bytes():
    v = tf.get_variable("string", shape=[], dtype=tf.string)
    w = tf.get_variable("strings", shape=[2], dtype=tf.string)
    assert v.dtype.base_dtype == tf.string
    assert run(v) == b"" and run(w).tolist() == [b"", b""]


# TF: testVarScopeDType
def test_scope_dtype_applies_by_name_and_on_reentry():
    with tf.variable_scope("tower2") as tower:
        with tf.variable_scope("foo", dtype=tf.float16):
            v = tf.get_variable("v", [])
        with tf.variable_scope(tower, dtype=tf.float16):
            w = tf.get_variable("w", [])
    assert v.dtype.base_dtype == tf.float16 and w.dtype.base_dtype == tf.float16


# TF: testInitFromNonTensorValue
def test_initializer_values_that_are_not_tensors():
    v = tf.get_variable("v4", initializer=4, dtype=tf.int32)
    w = tf.get_variable("w4", initializer=np.array([1, 2, 3]), dtype=tf.int64)
    assert run(v.value(), [v]) == 4
    assert run(w.value(), [w]).tolist() == [1, 2, 3]
    assert w.dtype.base_dtype == tf.int64
    with pytest.raises(TypeError, match="Failed to convert"):
        tf.get_variable("x4", initializer={})


# TF: testInitFromNonInitializer
@pytest.mark.parametrize("dtype", [tf.int8, tf.uint8, tf.int16, tf.uint16, tf.int32, tf.int64,
                                   tf.bool])
def test_integer_and_bool_variables_default_to_zeros(dtype):
    x = tf.get_variable("x", shape=(3, 4), dtype=dtype)
    y = tf.get_variable("y", shape=(3, 4), dtype=dtype,
                        initializer=tf.zeros_initializer(dtype=dtype))
    xv, yv = run([x.value(), y.value()])
    assert xv.dtype == yv.dtype == dtype.as_numpy_dtype
    assert xv.tolist() == yv.tolist() == np.zeros((3, 4), dtype.as_numpy_dtype).tolist()


# TF: testVarScopeCachingDevice
def test_scope_caching_device_places_reads_and_is_inherited():
    caching_device = "/job:moo"
    with tf.variable_scope("tower"):
        with tf.variable_scope("caching", caching_device=caching_device):
            v = tf.get_variable("v", [])
            with tf.variable_scope("child"):
                child = tf.get_variable("v", [])
            with tf.variable_scope("not_cached", caching_device=""):
                not_cached = tf.get_variable("v", [])
            with tf.variable_scope("not_cached_identity_device",
                                   caching_device=lambda op: op.device):
                identity_device = tf.get_variable("v", [])
            with tf.variable_scope("we_will_do_it_live") as live_scope:
                live_scope.set_caching_device("/job:live")
                live = tf.get_variable("v", [])
        plain = tf.get_variable("v", [])
    assert v.value().device.startswith(caching_device)
    assert child.value().device.startswith(caching_device)
    assert not not_cached.value().device.startswith(caching_device)
    assert not identity_device.value().device.startswith(caching_device)
    assert live.value().device.startswith("/job:live")
    assert not plain.value().device.startswith(caching_device)


# TF: testVarScopeRegularizer
def test_scope_regularizer_adds_a_loss_per_new_variable():
    init = tf.constant_initializer(0.3)

    def regularizer1(v):
        return tf.reduce_mean(v) + 0.1

    def regularizer2(v):
        return tf.reduce_mean(v) + 0.2
    with tf.variable_scope("tower3", regularizer=regularizer1) as tower:
        with tf.variable_scope("foo", initializer=init):
            v = tf.get_variable("v", [])
            assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 1
        with tf.variable_scope(tower, initializer=init) as vs:
            u = tf.get_variable("u", [])
            vs.set_regularizer(regularizer2)
            w = tf.get_variable("w", [])
        with tf.variable_scope("foo", reuse=True):
            assert tf.get_variable("v", []) is v  # reused: no new loss
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert [loss.name for loss in losses] == ["tower3/foo/v/Regularizer/add:0",
                                              "tower3/u/Regularizer/add:0",
                                              "tower3/w/Regularizer/add:0"]
    assert run(losses, [v, u, w]) == pytest.approx([0.4, 0.4, 0.5])


@needs("no_regularizer")
def test_no_regularizer_turns_the_scope_regularizer_off():
    def regularizer(v):
        return tf.reduce_mean(v) + 0.1
    with tf.variable_scope("tower3", regularizer=regularizer) as vs:
        tf.get_variable("x", [], regularizer=tf.no_regularizer)
        with tf.variable_scope("baz", regularizer=tf.no_regularizer):
            tf.get_variable("y", [])
        vs.set_regularizer(tf.no_regularizer)
        tf.get_variable("z", [])
    assert tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES) == []


# TF: testInitializeFromValue
def test_initializer_tensor_sets_the_value_shape_and_dtype():
    init = tf.constant(0.1)
    w = tf.get_variable("v", initializer=init)
    assert run(w.value(), [w]) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="shape"):
        tf.get_variable("u", [1], initializer=init)
    with tf.variable_scope("foo", initializer=init):
        v = tf.get_variable("v")  # a value initializer passes through scopes
    assert v.name == "foo/v:0" and run(v.value(), [v]) == pytest.approx(0.1)
    init = tf.constant(1, dtype=tf.int32)
    t = tf.get_variable("t", initializer=init)
    assert t.dtype.base_dtype == tf.int32
    with pytest.raises(ValueError, match="don't match"):
        tf.get_variable("s", initializer=init, dtype=tf.float64)


# TF: testControlDeps
def test_variables_ignore_the_control_dependencies_around_them():
    v0 = tf.get_variable("v0", [1], initializer=tf.constant_initializer(0))
    with tf.control_dependencies([v0.value()]):
        v1 = tf.get_variable("v1", [1], initializer=tf.constant_initializer(1))
        add = v1 + v0
    with tf.Session() as sess:
        with pytest.raises(tf.errors.OpError, match="uninitialized"):
            sess.run(v0)
        sess.run(v1.initializer)  # v1's initializer does not wait for v0
        assert sess.run(v1).tolist() == [1.0]
        with pytest.raises(tf.errors.OpError, match="uninitialized"):
            sess.run(v0)
        with pytest.raises(tf.errors.OpError, match="uninitialized"):
            sess.run(add)
        sess.run(v0.initializer)
        assert sess.run(add).tolist() == [1.0]


# TF: testEnableResourceVariables
@needs("enable_resource_variables")
def test_resource_variable_switches():
    try:
        tf.enable_resource_variables()
        assert isinstance(tf.Variable(1.0), ResourceVariable)
        tf.disable_resource_variables()
        assert not isinstance(tf.Variable(1.0), ResourceVariable)
    finally:
        tf.disable_resource_variables()


# TF: testControlFlow
@needs("cond")
def test_variables_made_in_cond_branches_initialize_on_their_own():
    v0 = tf.get_variable("v0", [], initializer=tf.constant_initializer(0))
    made = {}

    def then_branch():
        made["v1"] = tf.get_variable("v1", [1], initializer=tf.constant_initializer(1))
        return made["v1"] + v0

    def else_branch():
        made["v2"] = tf.get_variable("v2", [1], initializer=tf.constant_initializer(2))
        return made["v2"] + v0
    add = tf.cond(tf.less(v0, 10), then_branch, else_branch)
    with tf.Session() as sess:
        sess.run(made["v1"].initializer)
        sess.run(made["v2"].initializer)
        assert (sess.run(made["v1"]).tolist(), sess.run(made["v2"]).tolist()) == ([1.0], [2.0])
        with pytest.raises(tf.errors.OpError, match="uninitialized"):
            sess.run(v0)
        with pytest.raises(tf.errors.OpError, match="uninitialized"):
            sess.run(add)
        sess.run(v0.initializer)
        assert sess.run(add).tolist() == [1.0]


# TF: testGetVariableScope
def test_setting_the_current_scope_lasts_until_it_closes():
    init = tf.constant_initializer(0.3)
    with tf.variable_scope("bar"):
        assert tf.get_variable_scope().initializer is None
        tf.get_variable_scope().set_initializer(init)
        v = tf.get_variable("v", [])
        assert run(v.value(), [v]) == pytest.approx(0.3)
        tf.get_variable_scope().reuse_variables()
        with pytest.raises(ValueError, match="does not exist"):
            tf.get_variable("w", [1])
    assert tf.get_variable_scope().initializer is None
    assert not tf.get_variable_scope().reuse


# -- names -----------------------------------------------------------------------------------------
# TF: testVarScope
def test_scope_names_and_the_name_scopes_they_open():
    with tf.variable_scope("tower4") as tower:
        assert tower.name == "tower4"
        assert name_scope_in("scope") == "tower4/scope/"
    with tf.variable_scope("tower5"):
        with tf.variable_scope("bar") as bar:
            assert bar.name == "tower5/bar"
            assert name_scope_in("scope") == "tower5/bar/scope/"
    with tf.variable_scope("tower6"):
        with tf.variable_scope(tower, reuse=True) as tower_shared:
            assert tower_shared.name == "tower4"
            assert name_scope_in("scope") == "tower6/tower4/scope/"


# TF: testVarScopeNameScope
def test_reentering_by_object_or_name_uniquifies_the_name_scope():
    with tf.name_scope("testVarScopeNameScope1"):
        with tf.variable_scope("tower") as tower:
            assert name_scope_in("scope2") == "testVarScopeNameScope1/tower/scope2/"
        with tf.variable_scope(tower):
            assert name_scope_in("scope2") == "testVarScopeNameScope1/tower_1/scope2/"
        with tf.variable_scope("tower"):
            assert name_scope_in("scope2") == "testVarScopeNameScope1/tower_2/scope2/"
    with tf.name_scope("testVarScopeNameScope2"):
        with tf.variable_scope("tower"):
            assert name_scope_in("scope2") == "testVarScopeNameScope2/tower/scope2/"
        with tf.variable_scope(tower):
            assert name_scope_in("scope2") == "testVarScopeNameScope2/tower_1/scope2/"
    root = tf.get_variable_scope()
    with tf.name_scope("testVarScopeNameScope3"):
        with tf.variable_scope(root):
            assert name_scope_in("scope2") == "testVarScopeNameScope3/scope2/"


# TF: testVarScopeOriginalNameScope
def test_original_name_scope_is_kept_on_reentry_and_can_be_reopened():
    with tf.name_scope("scope1"):
        with tf.variable_scope("tower") as tower:
            assert tower.original_name_scope == "scope1/tower/"
            assert name_scope_in("scope2") == "scope1/tower/scope2/"
    with tf.name_scope("scope2"):
        with tf.variable_scope(tower) as tower1:
            assert tower1.original_name_scope == "scope1/tower/"
            assert name_scope_in("foo") == "scope2/tower/foo/"
        with tf.name_scope(tower.original_name_scope):
            assert name_scope_in("bar") == "scope1/tower/bar/"
    with tf.name_scope("scope2"):
        with tf.variable_scope(tower):
            with tf.name_scope(tower.original_name_scope):
                assert name_scope_in("bar") == "scope1/tower/bar_1/"


# TF: testVarScopeObjectReuse
def test_reuse_of_a_captured_scope_can_be_turned_on_not_off():
    with tf.variable_scope("jump", reuse=True) as vs:
        pass
    with tf.variable_scope(vs) as jump:
        assert jump.reuse
    with tf.variable_scope(vs, reuse=True) as jump_reuse:
        assert jump_reuse.reuse
    with tf.variable_scope(vs, reuse=False) as jump_no_reuse:
        assert jump_no_reuse.reuse  # inherited: False cannot undo it
    with tf.variable_scope("jump", reuse=False) as vs:
        pass
    with tf.variable_scope(vs) as jump:
        assert not jump.reuse
    with tf.variable_scope(vs, reuse=True) as jump_reuse:
        assert jump_reuse.reuse
    with tf.variable_scope(vs, reuse=False) as jump_no_reuse:
        assert not jump_no_reuse.reuse


# TF: testVarScopeGetOrCreateReuse
def test_auto_reuse_creates_once_and_shares_after():
    made = []
    for value in (42.0, 13.0, 17.0):
        x = tf.constant(value)
        with tf.variable_scope("testVarScopeGetOrCreateReuse_bar", reuse=tf.AUTO_REUSE):
            var = tf.get_variable("var", [])
            assign = tf.assign(var, x)
        with tf.variable_scope("testVarScopeGetOrCreateReuse_bar", reuse=tf.AUTO_REUSE):
            made.append(tf.get_variable("var", []))
        with tf.Session() as sess:
            assert sess.run(assign) == value
    assert made[0] is made[1] is made[2]
    assert made[0].name == "testVarScopeGetOrCreateReuse_bar/var:0"
    assert len(tf.global_variables()) == 1


# TF: testVarOpScope
def test_scope_with_name_and_default_name():
    with tf.name_scope("testVarOpScope1"):
        with tf.variable_scope("tower", "default", []):
            assert tf.get_variable("w", []).name == "tower/w:0"
            assert name_scope_in("testVarOpScope2") == "testVarOpScope1/tower/testVarOpScope2/"
        with tf.variable_scope("tower", "default", []):
            with pytest.raises(ValueError, match="already exists"):
                tf.get_variable("w", [])
            assert name_scope_in("testVarOpScope2") == "testVarOpScope1/tower_1/testVarOpScope2/"
    with tf.name_scope("testVarOpScope2"):
        with tf.variable_scope(None, "default", []):
            assert tf.get_variable("w", []).name == "default/w:0"
            assert name_scope_in("testVarOpScope2") == "testVarOpScope2/default/testVarOpScope2/"
        with tf.variable_scope(None, "default", []):
            assert tf.get_variable("w", []).name == "default_1/w:0"
            assert name_scope_in("testVarOpScope2") == ("testVarOpScope2/default_1/"
                                                        "testVarOpScope2/")


# TF: testVarOpScopeUniqueNamesInterleavedSubstringScopes
def test_default_names_that_are_prefixes_of_each_other_count_apart():
    names = []
    for default in ("defaultScope1", "defaultScope1", "defaultScope", "defaultScope1"):
        with tf.variable_scope(None, default):
            with tf.variable_scope(None, "layer"):
                names.append(tf.get_variable("w", []).name)
    assert names == ["defaultScope1/layer/w:0", "defaultScope1_1/layer/w:0",
                     "defaultScope/layer/w:0", "defaultScope1_2/layer/w:0"]


# TF: testVarOpScopeUniqueNamesWithJump
def test_default_name_counting_survives_a_jump_into_the_parent():
    with tf.variable_scope("default") as default:
        with tf.variable_scope(None, "layer"):
            assert tf.get_variable("w", []).name == "default/layer/w:0"
        with tf.variable_scope(None, "layer"):
            assert tf.get_variable("w", []).name == "default/layer_1/w:0"
        with tf.variable_scope(default):
            pass
        with tf.variable_scope(None, "layer"):
            assert tf.get_variable("w", []).name == "default/layer_2/w:0"


# TF: testVarOpScopeReuse
def test_reentering_with_reuse_shares_variables_but_not_name_scopes():
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope("tower", "default", []):
            assert tf.get_variable("w", []).name == "outer/tower/w:0"
            assert name_scope_in("scope2") == "outer/tower/scope2/"
        with tf.variable_scope(None, "default", []):
            assert tf.get_variable("w", []).name == "outer/default/w:0"
            assert name_scope_in("scope2") == "outer/default/scope2/"
    with tf.variable_scope(outer, reuse=True) as outer:
        with tf.variable_scope("tower", "default", []):
            assert tf.get_variable("w", []).name == "outer/tower/w:0"
            assert name_scope_in("scope2") == "outer_1/tower/scope2/"
        with tf.variable_scope(None, "default", []):
            assert tf.get_variable("w", []).name == "outer/default/w:0"
            assert name_scope_in("scope2") == "outer_1/default/scope2/"


# TF: testVarScopeGetVar
def test_sharing_by_scope_object_or_name_and_its_checks():
    with tf.variable_scope("root"):
        with tf.variable_scope("towerA") as tower_a:
            va = tf.get_variable("v", [1])
            assert va.name == "root/towerA/v:0"
        with tf.variable_scope(tower_a, reuse=True):
            assert tf.get_variable("v", [1]) is va
        with tf.variable_scope("towerB"):
            assert tf.get_variable("v", [1]).name == "root/towerB/v:0"
        with pytest.raises(ValueError, match="already exists"):
            with tf.variable_scope("towerA"):
                tf.get_variable("v", [1])
        with tf.variable_scope("towerA", reuse=True):
            assert tf.get_variable("v", [1]) is va
        with tf.variable_scope("foo"):
            with tf.variable_scope("bar"):
                assert tf.get_variable("v", [1]).name == "root/foo/bar/v:0"
                with tf.variable_scope(tower_a, reuse=True):
                    assert tf.get_variable("v", [1]) is va
        with pytest.raises(ValueError, match="does not exist"):
            with tf.variable_scope(tower_a, reuse=True):
                with tf.variable_scope("baz"):
                    tf.get_variable("v", [1])
        with pytest.raises(ValueError, match="shape"):
            with tf.variable_scope(tower_a, reuse=True):
                tf.get_variable("v", [2])
        with pytest.raises(ValueError, match="dtype"):
            with tf.variable_scope(tower_a, reuse=True):
                tf.get_variable("v", [1], dtype=tf.int32)


# TF: testVarScopeOuterScope
def test_reentered_outer_scope_names_variables_as_before():
    with tf.variable_scope("outer") as outer:
        pass
    with tf.variable_scope(outer):
        assert tf.get_variable("w", []).name == "outer/w:0"
        assert name_scope_in("scope2") == "outer_1/scope2/"
        with tf.variable_scope("default"):
            assert tf.get_variable("w", []).name == "outer/default/w:0"
            assert name_scope_in("scope2") == "outer_1/default/scope2/"
    with tf.variable_scope(outer, reuse=True):
        assert tf.get_variable("w", []).name == "outer/w:0"
        assert name_scope_in("scope2") == "outer_2/scope2/"
        with tf.variable_scope("default", reuse=True):
            assert tf.get_variable("w", []).name == "outer/default/w:0"
            assert name_scope_in("scope2") == "outer_2/default/scope2/"


# TF: testVarScopeNestedOuterScope
def test_reentering_a_scope_inside_itself():
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope(outer):
            assert tf.get_variable("w", []).name == "outer/w:0"
            assert name_scope_in("scope2") == "outer/outer/scope2/"
        with tf.variable_scope("default"):
            assert tf.get_variable("w", []).name == "outer/default/w:0"
            assert name_scope_in("scope2") == "outer/default/scope2/"
        with tf.variable_scope(outer, reuse=True):
            assert tf.get_variable("w", []).name == "outer/w:0"
            assert name_scope_in("scope2") == "outer/outer_1/scope2/"
        with tf.variable_scope("default", reuse=True):
            assert tf.get_variable("w", []).name == "outer/default/w:0"
            assert name_scope_in("scope2") == "outer/default_1/scope2/"


# TF: testVarOpScopeReuseParam
def test_reuse_given_to_a_subscope_or_set_later():
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope("tower", "default", []):
            assert tf.get_variable("w", []).name == "outer/tower/w:0"
        with tf.variable_scope(None, "default", []):
            assert tf.get_variable("w", []).name == "outer/default/w:0"
    with tf.variable_scope(outer) as outer:
        with tf.variable_scope("tower", "default", reuse=True):
            assert tf.get_variable("w", []).name == "outer/tower/w:0"
            assert name_scope_in("scope2") == "outer_1/tower/scope2/"
        outer.reuse_variables()
        with tf.variable_scope(None, "default", []):
            assert tf.get_variable("w", []).name == "outer/default/w:0"
            assert name_scope_in("scope2") == "outer_1/default/scope2/"


# TF: testVarOpScopeReuseError
def test_reuse_true_needs_a_name():
    with pytest.raises(ValueError, match="reuse=True cannot be used without a name_or_scope"):
        with tf.variable_scope(None, "default", reuse=True):
            pass


# TF: testVarOpScopeOuterScope
def test_captured_scope_ignores_the_default_name():
    with tf.variable_scope("outer") as outer:
        pass
    with tf.variable_scope(outer, "default", []):
        assert tf.get_variable("w", []).name == "outer/w:0"
        assert name_scope_in("scope2") == "outer_1/scope2/"
        with tf.variable_scope(None, "default", []):
            assert tf.get_variable("w", []).name == "outer/default/w:0"
            assert name_scope_in("scope2") == "outer_1/default/scope2/"
    with tf.variable_scope(outer, "default", reuse=True):
        assert tf.get_variable("w", []).name == "outer/w:0"
        assert name_scope_in("scope2") == "outer_2/scope2/"
        outer.reuse_variables()
        with tf.variable_scope(None, "default", []):
            assert tf.get_variable("w", []).name == "outer/default/w:0"
            assert name_scope_in("scope2") == "outer_2/default/scope2/"


# TF: testVarOpScopeNestedOuterScope
def test_captured_scope_with_default_name_inside_itself():
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope(outer, "default", []):
            assert tf.get_variable("w", []).name == "outer/w:0"
            assert name_scope_in("scope2") == "outer/outer/scope2/"
        with tf.variable_scope(None, "default", []):
            assert tf.get_variable("w", []).name == "outer/default/w:0"
            assert name_scope_in("scope2") == "outer/default/scope2/"
    with tf.variable_scope(outer, "default", reuse=True):
        assert tf.get_variable("w", []).name == "outer/w:0"
        assert name_scope_in("scope2") == "outer_1/scope2/"
        with tf.variable_scope(None, "default", []):
            assert tf.get_variable("w", []).name == "outer/default/w:0"
            assert name_scope_in("scope2") == "outer_1/default/scope2/"


# -- auxiliary_name_scope --------------------------------------------------------------------------
# TF: testBasicWhenAuxiliaryNameScopeIsFalse
def test_no_auxiliary_name_scope_keeps_the_current_one():
    with tf.variable_scope("scope", auxiliary_name_scope=False) as scope:
        assert scope.original_name_scope == ""
        assert tf.get_variable("w", []).name == "scope/w:0"
        assert tf.constant([], name="c").name == "c:0"
    with tf.variable_scope(scope, auxiliary_name_scope=False):
        assert scope.original_name_scope == ""
        assert tf.get_variable("w1", []).name == "scope/w1:0"
        assert tf.constant([], name="c1").name == "c1:0"
    with tf.name_scope("scope"):  # never opened before
        assert tf.constant([], name="c").name == "scope/c:0"
    with tf.variable_scope("outer"):
        with tf.variable_scope("inner", auxiliary_name_scope=False) as inner:
            assert inner.original_name_scope == "outer/"
            assert tf.get_variable("w", []).name == "outer/inner/w:0"
            assert tf.constant([], name="c").name == "outer/c:0"
        with tf.variable_scope(inner, auxiliary_name_scope=False) as inner1:
            assert inner1.original_name_scope == "outer/"
            assert tf.get_variable("w1", []).name == "outer/inner/w1:0"
            assert tf.constant([], name="c1").name == "outer/c1:0"
        with tf.name_scope("inner"):
            assert tf.constant([], name="c").name == "outer/inner/c:0"


# TF: testCreatedByDefaultNameWhenAuxiliaryNameScopeIsFalse
def test_no_auxiliary_name_scope_with_a_default_name():
    with tf.variable_scope(None, default_name="default", auxiliary_name_scope=False) as scope:
        assert scope.original_name_scope == ""
        assert tf.get_variable("w", []).name == "default/w:0"
        assert tf.constant([], name="c").name == "c:0"
    with tf.name_scope("default"):
        assert tf.constant([], name="c").name == "default/c:0"
    with tf.variable_scope("outer"):
        with tf.variable_scope(None, default_name="default",
                               auxiliary_name_scope=False) as inner:
            assert inner.original_name_scope == "outer/"
            assert tf.get_variable("w", []).name == "outer/default/w:0"
            assert tf.constant([], name="c").name == "outer/c:0"
        with tf.name_scope("default"):
            assert tf.constant([], name="c").name == "outer/default/c:0"


# TF: testReenterRootScopeWhenAuxiliaryNameScopeIsFalse
def test_reentering_the_root_scope_without_a_name_scope():
    root = tf.get_variable_scope()
    with tf.variable_scope(root, auxiliary_name_scope=False) as scope:
        assert scope.original_name_scope == ""
        assert tf.get_variable("w", []).name == "w:0"
        assert tf.constant([], name="c").name == "c:0"
    with tf.variable_scope("outer"):
        with tf.variable_scope(root, auxiliary_name_scope=False) as inner:
            assert inner.original_name_scope == ""
            assert tf.get_variable("w1", []).name == "w1:0"
            assert tf.constant([], name="c1").name == "outer/c1:0"


# TF: testAuxiliaryNameScopeIsInvalid
@pytest.mark.parametrize("make", [
    lambda scope: tf.variable_scope(None, default_name="scope", auxiliary_name_scope="invalid"),
    lambda scope: tf.variable_scope("scope", auxiliary_name_scope="invalid"),
    lambda scope: tf.variable_scope(scope, auxiliary_name_scope="invalid")])
def test_auxiliary_name_scope_must_be_a_bool(make):
    with tf.variable_scope("scope") as scope:
        pass
    with pytest.raises(TypeError, match="auxiliary_name_scope"):
        with make(scope):
            pass


# TF: testReuseScopeWithoutNameScopeCollision (TF issue 13429)
def test_reentering_the_original_name_scope_does_not_collide():
    with tf.variable_scope("outer"):
        with tf.variable_scope("inner") as inner:
            pass
    with tf.variable_scope(inner, auxiliary_name_scope=False) as scope:
        with tf.name_scope(scope.original_name_scope):
            assert tf.get_variable("w", []).name == "outer/inner/w:0"
            assert tf.constant([], name="c").name == "outer/inner/c:0"
        with tf.name_scope("inner"):
            assert tf.constant([], name="c").name == "inner/c:0"
    with tf.variable_scope("another"):
        with tf.variable_scope(inner, auxiliary_name_scope=False) as scope1:
            with tf.name_scope(scope1.original_name_scope):
                assert tf.get_variable("w1", []).name == "outer/inner/w1:0"
                assert tf.constant([], name="c1").name == "outer/inner/c1:0"
            with tf.name_scope("inner"):
                assert tf.constant([], name="c").name == "another/inner/c:0"


# -- local variables, devices, collections ---------------------------------------------------------
# TF: testGetLocalVar
def test_local_variable_follows_scope_names_and_reuse():
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope(outer, "default", []):
            local_var = tf.get_local_variable("w", [], collections=["foo"])
            assert local_var.name == "outer/w:0"
    assert local_var in tf.get_collection(tf.GraphKeys.LOCAL_VARIABLES)
    assert local_var in tf.get_collection("foo")
    assert local_var not in tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)
    assert local_var not in tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)
    with tf.variable_scope(outer, "default", reuse=True):
        assert tf.get_local_variable("w", []) is local_var


# TF: testSignatureGetVarVsGetLocalVar
def test_get_local_variable_takes_get_variable_arguments():
    assert (list(inspect.signature(tf.get_variable).parameters)
            == list(inspect.signature(tf.get_local_variable).parameters))


# TF: testGetVarWithDevice
def test_device_function_sees_each_variable_op_and_its_dtype():
    seen = []

    def device_func(op):
        if op.type in ("Variable", "VariableV2", "VarHandleOp"):
            seen.append((op.name, op.get_attr("dtype")))
        return "/device:GPU:0"
    with tf.Graph().as_default():
        with tf.device(device_func):
            tf.get_variable("x", (100, 200))
            tf.get_variable("y", dtype=tf.int64, initializer=np.arange(73))
    assert seen == [("x", tf.float32), ("y", tf.int64)]


# TF: testGetCollection
def test_scope_collections_hold_only_the_scope_own_variables():
    tf.get_variable("testGetCollection_a", [])
    tf.get_variable("testGetCollection_b", [], trainable=False)
    with tf.variable_scope("testGetCollection_foo_") as scope1:
        tf.get_variable("testGetCollection_a", [])
        tf.get_variable("testGetCollection_b", [], trainable=False)
        assert [v.name for v in scope1.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)] == [
            "testGetCollection_foo_/testGetCollection_a:0"]
        assert [v.name for v in scope1.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)] == [
            "testGetCollection_foo_/testGetCollection_a:0",
            "testGetCollection_foo_/testGetCollection_b:0"]
    with tf.variable_scope("testGetCollection_foo") as scope2:
        tf.get_variable("testGetCollection_a", [])
        tf.get_variable("testGetCollection_b", [], trainable=False)
        assert [v.name for v in scope2.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)] == [
            "testGetCollection_foo/testGetCollection_a:0"]
        assert [v.name for v in scope2.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)] == [
            "testGetCollection_foo/testGetCollection_a:0",
            "testGetCollection_foo/testGetCollection_b:0"]
    root = tf.get_variable_scope()
    assert [v.name for v in root.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)] == [
        "testGetCollection_a:0", "testGetCollection_b:0",
        "testGetCollection_foo_/testGetCollection_a:0",
        "testGetCollection_foo_/testGetCollection_b:0",
        "testGetCollection_foo/testGetCollection_a:0",
        "testGetCollection_foo/testGetCollection_b:0"]
    assert [v.name for v in root.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)] == [
        "testGetCollection_a:0", "testGetCollection_foo_/testGetCollection_a:0",
        "testGetCollection_foo/testGetCollection_a:0"]


# TF: testGetTrainableVariablesWithGetVariable (its synchronization cases: see the end)
def test_scope_trainable_variables_from_get_variable():
    tf.get_variable("testGetTrainableVariables_a", [])
    with tf.variable_scope("testGetTrainableVariables_foo") as scope:
        tf.get_variable("testGetTrainableVariables_b", [])
        tf.get_variable("testGetTrainableVariables_c", [], trainable=False)
        assert [v.name for v in scope.trainable_variables()] == [
            "testGetTrainableVariables_foo/testGetTrainableVariables_b:0"]


# TF: testGetTrainableVariablesWithVariable (likewise)
def test_scope_trainable_variables_from_tf_variable():
    tf.Variable(1.0, name="testGetTrainableVariables_a")
    with tf.variable_scope("testGetTrainableVariables_foo") as scope:
        tf.Variable(1.0, name="testGetTrainableVariables_b")
        tf.Variable(1.0, name="testGetTrainableVariables_c", trainable=False)
        assert [v.name for v in scope.trainable_variables()] == [
            "testGetTrainableVariables_foo/testGetTrainableVariables_b:0"]


# TF: testGetGlobalVariables
def test_scope_global_variables():
    tf.get_variable("testGetGlobalVariables_a", [])
    with tf.variable_scope("testGetGlobalVariables_foo") as scope:
        tf.get_variable("testGetGlobalVariables_b", [])
        assert [v.name for v in scope.global_variables()] == [
            "testGetGlobalVariables_foo/testGetGlobalVariables_b:0"]


# TF: testGetLocalVariables
def test_scope_local_variables():
    tf.get_variable("a", [], collections=[tf.GraphKeys.LOCAL_VARIABLES])
    with tf.variable_scope("foo") as scope:
        tf.get_variable("b", [], collections=[tf.GraphKeys.LOCAL_VARIABLES])
        tf.get_variable("c", [])
        assert [v.name for v in scope.local_variables()] == ["foo/b:0"]


# -- initializers and dtypes -----------------------------------------------------------------------
# TF: testGetVariableWithRefDtype
def test_a_ref_dtype_is_taken_as_its_base():
    v = tf.get_variable("v", shape=[3, 4], dtype=tf.float32)
    w = tf.get_variable("w", shape=[5, 6], dtype=v.dtype)
    assert w.dtype.base_dtype == tf.float32


# TF: testGetVariableWithInitializerWhichTakesNoArgs
def test_initializer_taking_no_arguments_gives_the_value_and_its_dtype():
    v = tf.get_variable("foo", initializer=lambda: [2])
    assert (v.name, v.dtype.base_dtype, v.shape.as_list()) == ("foo:0", tf.int32, [1])
    assert run(v.value()).tolist() == [2]


# TF: testGetVariableWithInitializerWhichTakesOptionalArgs
def test_initializer_with_only_optional_arguments_is_called_without_any():
    v = tf.get_variable("foo", initializer=lambda x=True: [2])
    assert (v.name, v.dtype.base_dtype) == ("foo:0", tf.int32)
    assert run(v.value()).tolist() == [2]


# TF: testGetVariableWithInitializerWhichTakesUnprovidedArgsAndNoShape
def test_initializer_needing_arguments_needs_a_shape():
    with pytest.raises(ValueError, match="The initializer passed .*is not valid. It should be a "
                                         "callable with no arguments"):
        tf.get_variable("foo", initializer=lambda x: [2])


# TF: testTwoGraphs
def test_an_invalid_scope_name_is_refused_inside_nested_graphs():
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default():
        with g2.as_default():
            with pytest.raises(ValueError, match="'_' is not a valid (root )?scope name"):
                with tf.variable_scope("_"):
                    pass


# -- partitioned variables -------------------------------------------------------------------------
def axis0_into1_partitioner(shape=None, **unused_kwargs):
    return [1] * len(shape)


def axis0_into2_partitioner(shape=None, **unused_kwargs):
    return [2] + [1] * (len(shape) - 1)


def axis0_into3_partitioner(shape=None, **unused_kwargs):
    return [3] + [1] * (len(shape) - 1)


# TF: testResultNameMatchesRequested
def test_partitioned_variable_and_its_parts_are_named_as_requested():
    with tf.variable_scope("scope0", partitioner=axis0_into2_partitioner):
        v = tf.get_variable("name0", shape=(3, 1, 1))
        assert v.name == "scope0/name0"
        assert v.as_tensor().name == "scope0/name0:0"
    names = [x.name for x in tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)]
    assert names == ["scope0/name0/part_0:0", "scope0/name0/part_1:0"]


# TF: testBreaksIfPartitioningChanges
@pytest.mark.parametrize("partitioner", [axis0_into3_partitioner, axis0_into1_partitioner])
def test_reuse_with_other_partitions_is_refused(partitioner):
    with tf.variable_scope("scope0", partitioner=axis0_into2_partitioner):
        tf.get_variable("name0", shape=(3, 1, 1))
    with tf.variable_scope("scope0", partitioner=partitioner, reuse=True):
        with pytest.raises(ValueError, match="Trying to reuse partitioned variable .* but "
                                             "specified partitions .* and found partitions"):
            tf.get_variable("name0", shape=(3, 1, 1))


# TF: testReturnsExistingConcatenatedValueIfReuse
def test_reuse_returns_the_same_partitioned_variable():
    with tf.variable_scope("scope0", partitioner=axis0_into2_partitioner):
        v_concat = tf.get_variable("name0", shape=(3, 1, 1))
        tf.get_variable_scope().reuse_variables()
        assert tf.get_variable("name0", shape=(3, 1, 1)) is v_concat


# TF: testAllowsReuseWithoutPartitioner
def test_reuse_needs_no_partitioner():
    with tf.variable_scope("scope0", partitioner=axis0_into2_partitioner):
        v = tf.get_variable("name0", shape=(3, 1, 1))
    with tf.variable_scope("scope0", reuse=True):
        assert tf.get_variable("name0") is v


# TF: testPropagatePartitionerOnReopening
def test_partitioner_is_kept_on_reentry():
    with tf.variable_scope("scope0", partitioner=axis0_into2_partitioner) as vs:
        assert vs.partitioner is axis0_into2_partitioner
        with tf.variable_scope(vs) as vs1:
            assert vs1.partitioner is axis0_into2_partitioner


# TF: testScalarIgnoresPartitioner
def test_a_scalar_is_not_partitioned():
    with tf.variable_scope("scope0", partitioner=axis0_into2_partitioner):
        v = tf.get_variable("name0", shape=())
        assert v.name == "scope0/name0:0"
    assert [x.name for x in tf.global_variables()] == ["scope0/name0:0"]


# TF: testPartitionConcatenatesAlongCorrectAxis, ...Resource
@pytest.mark.parametrize("use_resource", [False, True])
def test_parts_are_cut_along_the_partitioned_axis(use_resource):
    def part_axis_0(**unused_kwargs):
        return (2, 1, 1)

    def part_axis_1(**unused_kwargs):
        return (1, 2, 1)
    with tf.variable_scope("root", use_resource=use_resource):
        v0 = tf.get_variable("n0", shape=(2, 2, 2), partitioner=part_axis_0)
        v1 = tf.get_variable("n1", shape=(2, 2, 2), partitioner=part_axis_1)
    assert v0.get_shape().as_list() == v1.get_shape().as_list() == [2, 2, 2]
    assert [p.get_shape().as_list() for p in v0] == [[1, 2, 2], [1, 2, 2]]
    assert [p.get_shape().as_list() for p in v1] == [[2, 1, 2], [2, 1, 2]]
    assert all(isinstance(p, ResourceVariable) == use_resource for p in list(v0) + list(v1))


# -- custom getters --------------------------------------------------------------------------------
# TF: testNonCallableGetterFails
def test_a_custom_getter_must_be_callable():
    with pytest.raises(ValueError, match=r"custom_getter .* not callable:"):
        with tf.variable_scope("scope0", custom_getter=3):
            tf.get_variable("name0")
    with pytest.raises(ValueError, match=r"custom_getter .* not callable:"):
        tf.get_variable("name0", custom_getter=3)


# TF: testNoSideEffectsWithIdentityCustomGetter
def test_identity_custom_getter_changes_nothing():
    called = []

    def custom_getter(getter, *args, **kwargs):
        called.append(args[0] if args else kwargs["name"])
        return getter(*args, **kwargs)
    with tf.variable_scope("scope", custom_getter=custom_getter) as scope:
        v = tf.get_variable("v", [1])
    with tf.variable_scope(scope, reuse=True):
        v2 = tf.get_variable("v", [1])
    with tf.variable_scope("new_scope") as new_scope:
        v3 = tf.get_variable("v3", [1])
    with tf.variable_scope(new_scope, reuse=True, custom_getter=custom_getter):
        v4 = tf.get_variable("v3", [1])
    assert v is v2 and v3 is v4
    assert called == ["scope/v", "scope/v", "new_scope/v3"]


# TF: testCustomGetterWithReuse
def test_custom_getter_sees_reuse_and_runs_outside_the_name_scope():
    def custom_getter(getter, *args, **kwargs):
        var = getter(*args, **kwargs)
        return tf.identity(var, name="reused" if kwargs["reuse"] else "not_reused")
    with tf.variable_scope("scope", custom_getter=custom_getter) as scope:
        v = tf.get_variable("v", [1])
    with tf.variable_scope(scope, reuse=True):
        v2 = tf.get_variable("v", [1])
    assert (v.name, v2.name) == ("not_reused:0", "reused:0")


# TF: testGetterThatCreatesTwoVariablesAndSumsThem
def test_custom_getter_may_make_two_variables_and_return_their_sum():
    def custom_getter(getter, name, *args, **kwargs):
        g_0 = getter(f"{name}/0", *args, **kwargs)
        g_1 = getter(f"{name}/1", *args, **kwargs)
        with tf.name_scope("custom_getter"):
            return g_0 + g_1
    with tf.variable_scope("scope", custom_getter=custom_getter):
        v = tf.get_variable("v", [1, 2, 3])
    assert v.get_shape().as_list() == [1, 2, 3]
    true_vars = tf.trainable_variables()
    assert [t.name for t in true_vars] == ["scope/v/0:0", "scope/v/1:0"]
    assert v.name == "custom_getter/add:0"
    np_vars, np_v = run([true_vars, v])
    np.testing.assert_allclose(np_v, sum(np_vars))


# TF: testNestedCustomGetters
def test_nested_custom_getters_compose_inner_first():
    def sum_getter(getter, name, *args, **kwargs):
        g_0 = getter(f"{name}/sum_0", *args, **kwargs)
        g_1 = getter(f"{name}/sum_1", *args, **kwargs)
        with tf.name_scope("sum_getter"):
            return g_0 + g_1

    def prod_getter(getter, name, *args, **kwargs):
        g_0 = getter(f"{name}/prod_0", *args, **kwargs)
        g_1 = getter(f"{name}/prod_1", *args, **kwargs)
        with tf.name_scope("prod_getter"):
            return g_0 * g_1
    with tf.variable_scope("prod_scope", custom_getter=prod_getter):
        with tf.variable_scope("sum_scope", custom_getter=sum_getter):
            with tf.variable_scope("inner_sum_scope", custom_getter=sum_getter):
                v = tf.get_variable("v", [1, 2, 3])  # sums of sums of products
    assert v.get_shape().as_list() == [1, 2, 3]
    true_vars = tf.trainable_variables()
    template = "prod_scope/sum_scope/inner_sum_scope/v/sum_%d/sum_%d/prod_%d:0"
    assert [t.name for t in true_vars] == [template % (i >> 2, (i >> 1) & 1, i & 1)
                                           for i in range(8)]
    np_vars, np_v = run([true_vars, v])
    np.testing.assert_allclose(np_v, (np_vars[0] * np_vars[1] + np_vars[2] * np_vars[3])
                               + (np_vars[4] * np_vars[5] + np_vars[6] * np_vars[7]),
                               rtol=1e-6)


# -- PartitionInfo ---------------------------------------------------------------------------------
# TF: PartitionInfoTest.testConstructorChecks
@pytest.mark.parametrize("full_shape, var_offset, error", [
    (None, [0, 1], TypeError), ([0, 1], None, TypeError), ("foo", [0, 1], TypeError),
    ([0, 1], "foo", TypeError),
    ([0, 1], [0], ValueError),  # lengths differ
    ([1, 1], [0, 1], ValueError)])  # an offset past its dimension
def test_partition_info_checks_its_arguments(full_shape, var_offset, error):
    with pytest.raises(error):
        PartitionInfo(full_shape=full_shape, var_offset=var_offset)


# TF: PartitionInfoTest.testSingleOffset
def test_partition_info_single_offset():
    assert PartitionInfo(full_shape=[9, 3], var_offset=[4, 0]).single_offset([1, 3]) == 4
    assert PartitionInfo(full_shape=[9, 3], var_offset=[0, 0]).single_offset([9, 3]) == 0


# TF: PartitionInfoTest.testSingleSliceDim
@pytest.mark.parametrize("shape, error", [
    (None, TypeError), ([1, 2, 3], ValueError),  # not a shape; another rank
    ([6, 3], ValueError),  # 4 + 6 > 9
    ([1, 1], ValueError)])  # two dimensions cut
def test_partition_info_single_slice_dim_errors(shape, error):
    with pytest.raises(error):
        PartitionInfo(full_shape=[9, 3], var_offset=[4, 0]).single_slice_dim(shape)


def test_partition_info_single_slice_dim():
    assert PartitionInfo(full_shape=[9, 3], var_offset=[0, 0]).single_slice_dim([9, 2]) == 1
    assert PartitionInfo(full_shape=[9, 3], var_offset=[4, 0]).single_slice_dim([2, 3]) == 0
    assert PartitionInfo(full_shape=[9, 3], var_offset=[0, 0]).single_slice_dim([9, 3]) is None


# -- threads ---------------------------------------------------------------------------------------
def _make_or_fail(i, graph, errors, names, after=None):
    with graph.as_default():
        with tf.variable_scope("foo"):
            try:
                names.append(tf.get_variable("v", []).name)
            except ValueError as exc:
                errors.append((i, str(exc)))
            if after is not None:
                after()


# TF: VariableScopeMultithreadedTest.testTwoThreadsDisjointScopeEntry
def test_a_second_thread_cannot_make_the_same_variable():
    graph, errors, names = tf.get_default_graph(), [], []
    for i in range(2):  # one after the other
        thread = threading.Thread(target=_make_or_fail, args=(i, graph, errors, names))
        thread.start()
        thread.join()
    assert names == ["foo/v:0"]
    assert len(errors) == 1 and errors[0][0] == 1 and "already exists" in errors[0][1]


# TF: VariableScopeMultithreadedTest.testTwoThreadsNestedScopeEntry
def test_threads_inside_the_same_scope_name_still_share_one_store():
    graph, errors, names = tf.get_default_graph(), [], []
    run_events = [threading.Event() for _ in range(2)]
    pause_events = [threading.Event() for _ in range(2)]

    def pause_then_wait(i):
        return lambda: (pause_events[i].set(), run_events[i].wait())
    threads = [threading.Thread(target=_make_or_fail,
                                args=(i, graph, errors, names, pause_then_wait(i)))
               for i in range(2)]
    threads[0].start()
    pause_events[0].wait()  # thread 0 is inside "foo" and has made foo/v
    threads[1].start()
    pause_events[1].wait()
    for event in run_events:
        event.set()
    for thread in threads:
        thread.join()
    assert names == ["foo/v:0"]
    assert len(errors) == 1 and errors[0][0] == 1 and "already exists" in errors[0][1]


# TF: VariableScopeMultithreadedTest.testReenterMainScope
def test_a_thread_reenters_the_main_thread_scope():
    names = []

    def thread_fn(graph, main_scope):
        with graph.as_default():
            with tf.variable_scope(main_scope):
                with tf.variable_scope("foo"):
                    names.append(tf.get_variable("v", []).name)
            with tf.variable_scope("bar"):
                names.append(tf.get_variable("v", []).name)
    with tf.variable_scope("main") as main_scope:
        thread = threading.Thread(target=thread_fn, args=(tf.get_default_graph(), main_scope))
        thread.start()
        thread.join()
    assert names == ["main/foo/v:0", "bar/v:0"]


# -- audit: what TF infers, and its error types ----------------------------------------------------
@pytest.mark.parametrize("initializer, dtype", [
    (1, tf.int32), (1.5, tf.float32), (np.zeros([2], np.float64), tf.float64),
    ([1, 2], tf.int32), (np.array([1, 2]), tf.int64), (True, tf.bool), (b"x", tf.string),
    (2**40, tf.int64), (lambda: [2.0], tf.float32), (lambda: np.int64(3), tf.int64)])
def test_variable_dtype_comes_from_a_value_initializer(initializer, dtype):
    with tf.variable_scope("half", dtype=tf.float16):  # the scope's dtype does not apply
        v = tf.get_variable("v", initializer=initializer)
    assert v.dtype.base_dtype == dtype


def test_no_argument_initializer_ignores_an_explicit_dtype():
    v = tf.get_variable("v", initializer=lambda: tf.constant(1), dtype=tf.float64)
    assert v.dtype.base_dtype == tf.int32 and run(v.value()) == 1


@pytest.mark.parametrize("value, dtype", [
    (1, tf.int32), (1.0, tf.float32), (np.float64(1), tf.float64), ("abc", tf.string),
    ([1.0, 2], tf.float32), (2**40, tf.int64)])
def test_tf_variable_dtype_comes_from_its_initial_value(value, dtype):
    assert tf.Variable(value).dtype.base_dtype == dtype
    assert tf.Variable(lambda: value).dtype.base_dtype == dtype


@pytest.mark.parametrize("make, config", [
    (lambda: tf.zeros_initializer(), {"dtype": "float32"}),
    (lambda: tf.ones_initializer(), {"dtype": "float32"}),
    (lambda: tf.constant_initializer(0.3), {"value": 0.3, "dtype": "float32"}),
    (lambda: tf.random_normal_initializer(), {"mean": 0.0, "stddev": 1.0, "seed": None,
                                              "dtype": "float32"}),
    (lambda: tf.truncated_normal_initializer(), {"mean": 0.0, "stddev": 1.0, "seed": None,
                                                 "dtype": "float32"}),
    (lambda: tf.random_uniform_initializer(0, 10), {"minval": 0, "maxval": 10, "seed": None,
                                                    "dtype": "float32"}),
    (lambda: tf.uniform_unit_scaling_initializer(), {"factor": 1.0, "seed": None,
                                                     "dtype": "float32"}),
    (lambda: tf.variance_scaling_initializer(), {"scale": 1.0, "mode": "fan_in",
                                                 "distribution": "truncated_normal",
                                                 "seed": None, "dtype": "float32"}),
    (lambda: tf.glorot_uniform_initializer(), {"seed": None, "dtype": "float32"}),
    (lambda: tf.glorot_normal_initializer(), {"seed": None, "dtype": "float32"}),
    (lambda: tf.orthogonal_initializer(), {"gain": 1.0, "seed": None, "dtype": "float32"}),
    (lambda: tf.initializers.identity(), {"gain": 1.0, "dtype": "float32"})])
def test_scope_initializer_config_names_its_dtype(make, config):
    with tf.variable_scope("s", initializer=make()):
        with tf.variable_scope("t"):
            initializer = tf.get_variable_scope().initializer
    assert initializer.get_config() == config
    assert type(initializer).from_config(config).get_config() == config


@pytest.mark.parametrize("make, dtype, error", [
    (tf.random_normal_initializer, tf.int32, TypeError),
    (tf.truncated_normal_initializer, tf.bool, TypeError),
    (tf.glorot_normal_initializer, tf.int32, TypeError),
    (tf.orthogonal_initializer, tf.int32, TypeError),
    (tf.glorot_uniform_initializer, tf.int32, TypeError),
    (tf.glorot_uniform_initializer, tf.bool, ValueError),
    (tf.uniform_unit_scaling_initializer, tf.int32, TypeError),
    (tf.uniform_unit_scaling_initializer, tf.string, ValueError),
    (tf.random_uniform_initializer, tf.int32, ValueError),  # no maxval
    (tf.random_uniform_initializer, tf.bool, ValueError),
    (tf.ones_initializer, tf.string, TypeError),
    (lambda: tf.constant_initializer(0.3), tf.int32, TypeError),
    (lambda: tf.constant_initializer([1, 2]), tf.bool, TypeError),
    (lambda: tf.constant_initializer(1), tf.string, TypeError)])
def test_initializer_of_the_wrong_kind_for_the_dtype_raises_as_tf(make, dtype, error):
    with pytest.raises(error):
        tf.get_variable("v", [2, 2], dtype=dtype, initializer=make())


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(name="v"), ValueError, "Variable v did not get an initializer, so its `shape` "
                                 "argument must be specified"),
    (dict(name="v", shape=[None, 2]), ValueError, "is not valid"),
    (dict(name="v", shape=[1], initializer=[1.0]), ValueError, "do not specify shape"),
    (dict(name="v", shape=[2], dtype=tf.complex64), ValueError, "An initializer for variable"),
    (dict(name="v", initializer=[1, 2], dtype=tf.float32), ValueError, "don't match"),
    (dict(name="v", shape=[1], custom_getter=3), ValueError, "not callable"),
    (dict(name="v", initializer={}), TypeError, "Failed to convert")])
def test_get_variable_error_types(kwargs, error, words):
    with pytest.raises(error, match=words):
        tf.get_variable(**kwargs)


@pytest.mark.parametrize("value, dtype", [([1, 2], tf.bool), (1, tf.string), (0.3, tf.string),
                                          (0.3, tf.int32), (1.0, tf.int32)])
def test_constants_refuse_values_of_another_kind_as_tf(value, dtype):
    with pytest.raises(TypeError, match=f"Expected {dtype.name}, but got"):
        tf.constant(value, dtype=dtype)


# -- not translated --------------------------------------------------------------------------------
# Eager only: testGetVariableInGraphNestedUnderEagerContext, testEagerVariableStore,
#   testEagerVariableStoreWithEagerDefun, testEagerVariablesStoreAddsToCollections (needs
#   EagerVariableStore), testEagerVariablesOutsideStoreNotAddedToCollections,
#   testNoReuseInEagerByDefault, testPartitionConcatenatesAlongCorrectAxisResourceInEager.
# variable_creator_scope: testVariableCreator, testVariableCreatorNestingError.
# synchronization/aggregation: testSynchronizationAndAggregationWithCustomGetter, and the
#   ON_READ/ON_WRITE halves of testGetTrainableVariablesWithGetVariable/WithVariable.
