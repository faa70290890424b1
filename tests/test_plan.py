"""Plans a person can debug (issue 14): a plan keeps its generated source, one line per kernel
call with a comment naming the op, registered so tracebacks show it; what the plan does follows
the OpDef flags; and a run turns floating-point errors into IEEE values with or without NumPy's
private error-state shortcut."""
import gc
import linecache
import re
import subprocess
import sys
import traceback

import numpy as np
import pytest

import minitf as tf
from minitf import plan as plan_module, session as session_module
from minitf.framework import errors
from minitf.framework.registry import REGISTRY, register_op


@pytest.fixture
def test_op():
    """Registers a test op for one test: `test_op(type, kernel, **flags) -> OpDef`."""
    added = []

    def register(type, kernel, **flags):
        flags.setdefault("shape", lambda x, **attrs: x._shape)
        flags.setdefault("differentiable", False)
        added.append(type)
        return register_op(type, **flags)(kernel)
    yield register
    for type in added:
        del REGISTRY[type]


def _plan(sess, fetches, feed_keys=()):
    return session_module._compile_plan(sess, fetches, tuple(feed_keys))


def test_each_generated_line_names_its_op_and_linecache_has_the_source():
    x = tf.placeholder(tf.float32, [2, 2], name="x")
    y = tf.matmul(x, x, name="mm")
    with tf.Session() as sess:
        plan = _plan(sess, tf.tanh(y, name="t"), [x])
    lines = plan.source.splitlines()
    assert lines[0] == "def run(feed0):"
    assert lines[1].endswith("  # MatMul 'mm'") and lines[1].startswith("    v")
    assert lines[2].endswith("  # Tanh 't'")
    assert plan.filename.startswith("<minitf plan ") and plan.filename.endswith(">")
    assert linecache.getline(plan.filename, 2) == lines[1] + "\n"


def test_a_kernel_error_shows_the_generated_line_in_the_traceback(test_op):
    def boom(x):
        raise ValueError("the kernel failed")
    opdef = test_op("TestPlanBoom", boom)
    x = tf.placeholder(tf.float32, [2], name="x")
    y = opdef.apply([x * 2.0], name="boom")
    with tf.Session() as sess:
        with pytest.raises(errors.InvalidArgumentError, match=r"ValueError: the kernel failed"
                           r"\n\t \[\[node boom\]\]") as caught:
            sess.run(y, {x: [1.0, 2.0]})
    assert caught.value.op is y.op
    assert isinstance(caught.value.__cause__, ValueError)
    text = "".join(traceback.format_exception(caught.value))
    assert 'File "<minitf plan ' in text
    assert re.search(r"\n +v\d+_0 = f\d+\(v\d+_0\); del v\d+_0  # TestPlanBoom 'boom'\n", text)


def test_the_linecache_entry_goes_when_the_plan_is_collected():
    with tf.Session() as sess:
        plan = _plan(sess, tf.constant(1.0) + tf.placeholder(tf.float32, name="p"), ["p:0"])
    filename = plan.filename
    assert filename in linecache.cache
    del plan
    gc.collect()
    assert filename in linecache.cache  # (not removed inside a collection: see below)
    with tf.Session() as sess:  # the next plan made removes it
        sess.run(tf.constant(2.0))
    assert filename not in linecache.cache


def test_a_collection_inside_linecache_checkcache_does_not_break_it():
    # a plan collected while linecache.checkcache walks its entries must not remove one under
    # it (it raised KeyError: a flaky doctest failure)
    with tf.Session() as sess:
        plan = _plan(sess, tf.constant(1.0) + tf.placeholder(tf.float32, name="p"), ["p:0"])
    ref = [plan]
    del plan
    keys = list(linecache.cache)
    ref.clear()
    gc.collect()  # (checkcache's loop runs here: every key it listed must still be there)
    assert all(key in linecache.cache for key in keys)


def test_forwarding_and_no_output_ops_emit_no_line():
    x = tf.placeholder(tf.float32, [2], name="x")
    y = tf.stop_gradient(tf.identity(tf.placeholder_with_default(x * 3.0, [2])))
    with tf.control_dependencies([tf.no_op(name="wait")]):
        z = tf.identity(y, name="z")
    with tf.Session() as sess:
        plan = _plan(sess, z, [x])
        np.testing.assert_array_equal(sess.run(z, {x: [1.0, 2.0]}), [3.0, 6.0])
    calls = plan.source.splitlines()[1:-1]
    assert len(calls) == 1 and calls[0].endswith("  # Mul 'mul'")


def test_a_read_at_use_op_is_read_where_each_consumer_runs(test_op):
    def read(state, op):  # each read sees how many reads came before it
        state["reads"] = state.get("reads", 0) + 1
        return np.float32(state["reads"])
    opdef = test_op("TestPlanRead", read, shape=lambda: (), dtype=lambda: tf.float32,
                    stateful=True, read_at_use=True)
    r = opdef.apply([], name="r")
    total = r * 1.0 + r * 10.0
    with tf.Session() as sess:
        assert sess.run(total) == 1.0 + 2.0 * 10.0
        plan = _plan(sess, total)
    assert [line.endswith("# TestPlanRead 'r'") for line in plan.source.splitlines()].count(
        True) == 2


def test_kernel_error_translates_a_kernel_exception(test_op):
    def translate(op, exc):
        if isinstance(exc, KeyError):
            return errors.FailedPreconditionError(None, op, f"no value for {exc.args[0]}")
        return None

    def lookup(state, op, key):
        if key < 0:
            raise ValueError("negative key")
        return state[int(key)]
    opdef = test_op("TestPlanLookup", lookup, stateful=True, kernel_error=translate)
    key = tf.placeholder(tf.int32, [], name="key")
    value = opdef.apply([key], name="lookup")
    with tf.Session() as sess:
        with pytest.raises(errors.FailedPreconditionError, match="no value for 7") as caught:
            sess.run(value, {key: 7})
        assert caught.value.op is value.op
        with pytest.raises(errors.InvalidArgumentError, match="ValueError: negative key"):
            sess.run(value, {key: -1})


# -- floating-point errors: IEEE values, no warnings, the error state left as it was ---------------
def _divide_by_zero():
    x = tf.placeholder(tf.float32, [2], name="x")
    with tf.Session() as sess:
        return sess.run(x / 0.0, {x: [1.0, -1.0]})


def test_a_run_gives_inf_without_warnings_and_keeps_the_error_state():
    before = np.geterr()
    np.testing.assert_array_equal(_divide_by_zero(), [np.inf, -np.inf])  # warnings are errors
    assert np.geterr() == before


def test_without_the_errstate_shortcut_the_public_errstate_is_used(monkeypatch):
    monkeypatch.setattr(plan_module, "_ERRSTATE", None)
    before = np.geterr()
    np.testing.assert_array_equal(_divide_by_zero(), [np.inf, -np.inf])
    assert np.geterr() == before


def test_the_public_errstate_is_chosen_when_numpy_lacks_the_shortcut():
    script = """
import warnings
warnings.simplefilter("error")
import numpy as np
from numpy._core import umath
del umath._make_extobj  # as in a NumPy without this private helper
import minitf as tf
from minitf import plan
assert plan._ERRSTATE is None
x = tf.placeholder(tf.float64, [3])
with tf.Session() as sess:
    value = sess.run(tf.log(x) / x, {x: [0.0, -1.0, 1.0]})
np.testing.assert_array_equal(value, [-np.inf, np.nan, 0.0])
print("ok", np.geterr()["divide"])
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ok", "warn"]


def test_a_constant_op_with_control_inputs_is_not_folded_past_them():
    check = tf.Assert(tf.constant(False), ["boom"])
    with tf.control_dependencies([check]):
        y = tf.constant(1.0) + 2.0
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match=r"assertion failed: \[boom\]"):
        sess.run(y)


def test_a_control_input_on_a_fed_tensor_is_satisfied_by_the_feed():
    x = tf.placeholder(tf.float32, [])
    with tf.control_dependencies([x]):
        y = tf.constant(1.0) + 1.0
    with tf.Session() as sess:
        assert sess.run(y, {x: 3.0}) == 2.0
