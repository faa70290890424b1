"""The seed document's examples (../shared/seed-variable-scope.md), verbatim, run with
`import minitf as tf`. Each runs in a fresh default graph (tests/conftest.py)."""
import threading

import pytest

import minitf as tf

EXAMPLE_1 = """\
with tf.compat.v1.variable_scope("foo"):
    with tf.compat.v1.variable_scope("bar"):
        v = tf.compat.v1.get_variable("v", [1])
        assert v.name == "foo/bar/v:0"
"""

EXAMPLE_2 = """\
with tf.compat.v1.variable_scope("foo") as vs:
  pass

# Re-enter the variable scope.
with tf.compat.v1.variable_scope(vs,
                       auxiliary_name_scope=False) as vs1:
  # Restore the original name_scope.
  with tf.name_scope(vs1.original_name_scope):
      v = tf.compat.v1.get_variable("v", [1])
      assert v.name == "foo/v:0"
      c = tf.constant([1], name="c")
      assert c.name == "foo/c:0"
"""

EXAMPLE_3 = """\
with tf.compat.v1.variable_scope("foo") as vs:
  with tf.compat.v1.variable_scope(None, default_name="bar"):
    v = tf.compat.v1.get_variable("a", [1])
    assert v.name == "foo/bar/a:0", v.name
  with tf.compat.v1.variable_scope(None, default_name="bar"):
    v = tf.compat.v1.get_variable("b", [1])
    assert v.name == "foo/bar_1/b:0"

with tf.compat.v1.variable_scope(vs):
  with tf.compat.v1.variable_scope(None, default_name="bar"):
    v = tf.compat.v1.get_variable("c", [1])
    assert v.name == "foo/bar/c:0"   # Uses bar instead of bar_2!
"""

EXAMPLE_4 = """\
def foo():
  with tf.compat.v1.variable_scope("foo", reuse=tf.compat.v1.AUTO_REUSE):
    v = tf.compat.v1.get_variable("v", [1])
  return v

v1 = foo()  # Creates v.
v2 = foo()  # Gets the same, existing v.
assert v1 == v2
"""

EXAMPLE_5 = """\
with tf.compat.v1.variable_scope("foo"):
    v = tf.compat.v1.get_variable("v", [1])
with tf.compat.v1.variable_scope("foo", reuse=True):
    v1 = tf.compat.v1.get_variable("v", [1])
assert v1 == v
"""

EXAMPLE_6 = """\
with tf.compat.v1.variable_scope("foo") as scope:
    v = tf.compat.v1.get_variable("v", [1])
    scope.reuse_variables()
    v1 = tf.compat.v1.get_variable("v", [1])
assert v1 == v
"""

EXAMPLE_7 = """\
with tf.compat.v1.variable_scope("foo"):
    v = tf.compat.v1.get_variable("v", [1])
    v1 = tf.compat.v1.get_variable("v", [1])
    #  Raises ValueError("... v already exists ...").
"""

EXAMPLE_8 = """\
with tf.compat.v1.variable_scope("foo", reuse=True):
    v = tf.compat.v1.get_variable("v", [1])
    #  Raises ValueError("... v does not exists ...").
"""


def test_seed_create_nested():
    exec(EXAMPLE_1, {"tf": tf})


def test_seed_reenter_premade_scope():
    exec(EXAMPLE_2, {"tf": tf})


def test_seed_default_name_counters_restart():
    exec(EXAMPLE_3, {"tf": tf})


def test_seed_share_with_auto_reuse():
    exec(EXAMPLE_4, {"tf": tf})


def test_seed_share_with_reuse_true():
    exec(EXAMPLE_5, {"tf": tf})


def test_seed_share_by_capturing_scope():
    exec(EXAMPLE_6, {"tf": tf})


def test_seed_existing_variable_in_non_reusing_scope_raises():
    with pytest.raises(ValueError, match="v already exists"):
        exec(EXAMPLE_7, {"tf": tf})


def test_seed_missing_variable_in_reuse_scope_raises():
    with pytest.raises(ValueError, match="v does not exist"):
        exec(EXAMPLE_8, {"tf": tf})


def test_seed_thread_reenters_the_captured_main_scope():
    # The seed's threading example: each thread starts at the root scope and re-enters the
    # main thread's captured scope; the variable store is shared across threads.
    variable_scope = tf  # the seed writes `variable_scope.get_variable_scope()`
    graph = tf.get_default_graph()
    results = []

    with tf.compat.v1.variable_scope("main"):
        main_thread_scope = variable_scope.get_variable_scope()

    def thread_target_fn(captured_scope):
        with graph.as_default():
            results.append(tf.get_variable_scope().name)
            with variable_scope.variable_scope(captured_scope):
                results.append(tf.get_variable("w", [1]).name)

    thread = threading.Thread(target=thread_target_fn, args=(main_thread_scope,))
    thread.start()
    thread.join()
    assert results == ["", "main/w:0"]
    with tf.variable_scope("main", reuse=True):
        assert tf.get_variable("w", [1]).name == "main/w:0"
