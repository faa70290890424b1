"""A step is all-or-nothing under Ctrl-C, and concurrent updates are never lost (issue 15).

The random, long versions of these (random interrupts during Adam training, many threads)
are in tests/stress/.
"""
import signal

import numpy as np
import pytest

import minitf as tf
from minitf.framework import interrupts
from minitf.framework.registry import register_op


@register_op("TestRaiseSigint", shape=lambda *inputs: (), dtype=lambda *inputs: tf.int32,
             differentiable=False, stateful=True)
def _raise_sigint(state, op, *inputs):
    signal.raise_signal(signal.SIGINT)  # Python's handler runs at the next bytecode
    for _ in range(10):  # ...which is one of these
        pass
    return np.int32(0)


@pytest.fixture
def sigint_handler():
    """Restores the process's SIGINT handler after the test."""
    before = signal.getsignal(signal.SIGINT)
    yield
    signal.signal(signal.SIGINT, before)


def _torn_step():
    """A step that updates `a`, is interrupted, then updates `b`."""
    a = tf.get_variable("a", [], initializer=tf.zeros_initializer())
    b = tf.get_variable("b", [], initializer=tf.zeros_initializer())
    first = tf.assign_add(a, 1.0)
    with tf.control_dependencies([first]):
        interrupt = _raise_sigint.apply([], name="interrupt")
    with tf.control_dependencies([interrupt]):
        second = tf.assign_add(b, 1.0)
    return a, b, tf.group(first, second)


def test_ctrl_c_inside_a_step_is_raised_after_the_step(sigint_handler):
    a, b, step = _torn_step()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(KeyboardInterrupt):
            sess.run(step)
        assert sess.run([a, b]) == [1.0, 1.0]  # both updates, or the step was torn


def test_the_programs_own_handler_runs_once_after_the_step(sigint_handler):
    a, b, step = _torn_step()
    with tf.Session() as sess:
        seen = []  # b's value when the handler ran: 1.0 once the step is done, 0.0 inside it
        signal.signal(signal.SIGINT, lambda signum, frame: seen.append(
            float(sess._state[b.op])))
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        assert seen == [1.0]
        assert sess.run([a, b]) == [1.0, 1.0]
        sess.run(step)
        assert seen == [1.0, 2.0]


def test_a_ctrl_c_outside_any_step_is_raised_at_once(sigint_handler):
    interrupts.hold()
    interrupts.release()  # the wrapper is installed now
    with pytest.raises(KeyboardInterrupt):
        signal.raise_signal(signal.SIGINT)
        for _ in range(10):
            pass


def test_nested_holds_deliver_at_the_outermost_release(sigint_handler):
    calls = []
    signal.signal(signal.SIGINT, lambda signum, frame: calls.append(signum))
    with interrupts.held():
        with interrupts.held():
            signal.raise_signal(signal.SIGINT)
            signal.raise_signal(signal.SIGINT)  # two while held: the handler runs once
        assert calls == []
    assert calls == [signal.SIGINT]


def test_only_runs_that_change_state_are_held():
    x = tf.constant(1.0) + 1.0
    w = tf.get_variable("w", [2])
    with tf.Session() as sess:
        sess.run(x)
        read_only = list(sess._plans.values())
        sess.run(w.initializer)
        initialize = [p for p in sess._plans.values() if p not in read_only]
    assert [p.atomic for p in read_only + initialize] == [False, True]


# -- concurrent updates ----------------------------------------------------------------------------
@pytest.mark.parametrize("resource", [False, True])
def test_threaded_sgd_with_use_locking_applies_every_update(fast_switching, in_threads, resource):
    w = tf.get_variable("w", [3], initializer=tf.zeros_initializer(), use_resource=resource)
    step = tf.train.get_or_create_global_step()
    loss = tf.reduce_sum(w * tf.constant([1.0, 2.0, 4.0]))  # gradient [1, 2, 4], every step
    train = tf.train.GradientDescentOptimizer(1.0, use_locking=True).minimize(
        loss, global_step=step)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        in_threads(4, lambda i, sync: [sess.run(train) for _ in range(250)])
        assert sess.run(step) == 1000
        np.testing.assert_array_equal(sess.run(w), [-1000.0, -2000.0, -4000.0])


def test_threaded_momentum_with_use_locking_applies_every_update(fast_switching, in_threads):
    w = tf.get_variable("w", [], initializer=tf.zeros_initializer())
    train = tf.train.MomentumOptimizer(1.0, 0.0, use_locking=True).minimize(w)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        in_threads(4, lambda i, sync: [sess.run(train) for _ in range(250)])
        assert sess.run(w) == -1000.0


@pytest.mark.parametrize("op", ["assign_add", "assign_sub"])
@pytest.mark.parametrize("resource", [False, True])
def test_assign_add_and_sub_are_atomic(fast_switching, in_threads, op, resource):
    v = tf.get_variable("v", [], tf.int64, tf.zeros_initializer(), use_resource=resource)
    update = getattr(v, op)(1)
    with tf.Session() as sess:
        sess.run(v.initializer)
        in_threads(4, lambda i, sync: [sess.run(update) for _ in range(500)])
        assert sess.run(v) == (2000 if op == "assign_add" else -2000)


def test_each_session_has_its_own_locks():
    from minitf.ops.state_ops import variable_lock

    v = tf.get_variable("v", [])
    one, two = {}, {}
    assert variable_lock(one, v.op) is variable_lock(one, v.op)
    assert variable_lock(one, v.op) is not variable_lock(two, v.op)


def test_a_handler_put_back_by_the_program_is_the_one_that_runs(sigint_handler):
    a, b, step = _torn_step()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(KeyboardInterrupt):
            sess.run(step)  # minitf's wrapper of Python's handler is installed now
        saved = signal.signal(signal.SIGINT, lambda signum, frame: None)
        sess.run(step)  # the program's handler, wrapped in turn
        signal.signal(signal.SIGINT, saved)  # ...and the saved one put back
        with pytest.raises(KeyboardInterrupt):
            sess.run(step)
        assert sess.run([a, b]) == [3.0, 3.0]
