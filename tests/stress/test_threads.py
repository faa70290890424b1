"""Many threads on one graph and one session (issue 15): locked optimizer updates lose nothing,
variable scopes are per thread while the variable store is shared, deferred variables build
once, and runs of one fetch go on while other threads add to the graph.

Threads switch every microsecond (`fast_switching`), so a race between two bytecodes shows.
The small, deterministic versions are in tests/test_atomic_steps.py and
tests/test_deferred_variables.py.
"""
import random

import numpy as np
import pytest

import minitf as tf


@pytest.fixture(autouse=True)
def switching(fast_switching):
    """Every test here runs with threads switching every microsecond (tests/conftest.py)."""


def _nth(name, j):
    """The j-th use of a name in one scope: name, name_1, name_2, ..."""
    return f"{name}_{j}" if j else name


def _assert_graph_consistent(graph):
    # no op lost or named twice by concurrent creation
    ops = graph.get_operations()
    assert len({op.name for op in ops}) == len({op._id for op in ops}) == len(ops)
    assert [op._id for op in ops] == sorted(op._id for op in ops)  # in creation order
    assert all(graph.get_operation_by_name(op.name) is op for op in ops)


# -- optimizers with use_locking=True ----------------------------------------------------------
def _train(optimizer, resource):
    # constant gradients: the locked update reads the variable, the gradient does not, so the
    # result cannot depend on the order of the steps (a gradient read outside the lock could)
    w = tf.get_variable("w", [3], initializer=tf.zeros_initializer(), use_resource=resource)
    b = tf.get_variable("b", [], initializer=tf.ones_initializer(), use_resource=resource)
    step = tf.train.get_or_create_global_step()
    loss = tf.reduce_sum(w * tf.constant([1.0, 2.0, 4.0])) - 3.0 * b
    return optimizer.minimize(loss, global_step=step), step


def _threaded_and_sequential(train, threads, steps, in_threads):
    """The values of all variables after threads x steps runs of `train` in threads, and
    after as many in one thread."""
    variables = tf.global_variables()
    with tf.Session() as sess, tf.Session() as reference:
        for s in (sess, reference):
            s.run(tf.global_variables_initializer())
        in_threads(threads, lambda i, sync: [sess.run(train) for _ in range(steps)])
        for _ in range(threads * steps):
            reference.run(train)
        return ({v.op.name: x for v, x in zip(variables, sess.run(variables))},
                {v.op.name: x for v, x in zip(variables, reference.run(variables))})


@pytest.mark.parametrize("resource", [False, True], ids=["ref", "resource"])
@pytest.mark.parametrize("optimizer", [
    lambda: tf.train.GradientDescentOptimizer(0.5, use_locking=True),
    lambda: tf.train.MomentumOptimizer(0.5, 0.9, use_locking=True),
], ids=["sgd", "momentum"])
def test_locked_steps_from_many_threads_are_the_sequential_steps(size, in_threads, optimizer,
                                                                 resource):
    threads, steps = size(8, 16), size(250, 5000)
    train, _ = _train(optimizer(), resource)
    threaded, sequential = _threaded_and_sequential(train, threads, steps, in_threads)
    assert threaded["global_step"] == threads * steps
    assert sorted(threaded) == sorted(sequential)
    for name, value in sequential.items():
        np.testing.assert_array_equal(threaded[name], value, err_msg=name)


def _advances(power, beta, limit):
    """How many times beta^1 was multiplied by beta (in float32, as the graph does) to give
    `power` (a strictly decreasing sequence: each value is reached at most once)."""
    p, beta = np.float32(beta), np.float32(beta)
    for n in range(limit + 1):
        if p == power:
            return n
        p = np.float32(p * beta)
    return None


@pytest.mark.parametrize("resource", [False, True], ids=["ref", "resource"])
def test_locked_adam_from_many_threads_loses_no_slot_update(size, in_threads, resource):
    # As in TF, Adam advances beta1_power and beta2_power after the locked updates with
    # separate ops, `power.assign(power * beta)`, whose read and write two steps may
    # interleave: some advances are lost (not an error; TF does the same) and, as the
    # updates also read the powers, w and b then differ from a sequential run. What the
    # locks guard is whole: global_step and the slots m and v are exactly the sequential
    # run's (constant gradients: m and v do not depend on the powers).
    threads, steps = size(8, 16), size(250, 5000)
    train, _ = _train(tf.train.AdamOptimizer(0.1, 0.999, 0.9999, use_locking=True), resource)
    threaded, sequential = _threaded_and_sequential(train, threads, steps, in_threads)
    assert threaded["global_step"] == threads * steps
    for name in ["w/Adam", "w/Adam_1", "b/Adam", "b/Adam_1"]:
        np.testing.assert_array_equal(threaded[name], sequential[name], err_msg=name)
    assert all(np.isfinite(value).all() for value in threaded.values())
    advances = [_advances(threaded[f"beta{i}_power"], beta, threads * steps)
                for i, beta in [(1, 0.999), (2, 0.9999)]]
    print(f"beta1_power, beta2_power advanced {advances} times in {threads * steps} steps")
    assert all(a is not None and 0 < a <= threads * steps for a in advances), advances


# -- variable scopes -----------------------------------------------------------------------------
def _variables_in_own_scope(i, per_thread):
    # each thread in its own variable scope: it names its variables and ops by that scope only
    made = []
    with tf.variable_scope(f"t{i}"):
        for j in range(per_thread):
            made.append(tf.get_variable(f"v{j}", [2]))
            with tf.variable_scope(None, default_name="block"):  # counted per thread
                w = tf.get_variable("w", [2], initializer=tf.zeros_initializer())
                made.append(tf.add(w, 1.0, name="plus"))
    return [x.name for x in made]


def test_threads_creating_variables_in_their_own_scopes_get_their_own_names(size, in_threads):
    threads, per_thread = 8, size(100, 2000)
    names = in_threads(threads, lambda i, sync: _variables_in_own_scope(i, per_thread))
    for i in range(threads):
        assert names[i] == [name for j in range(per_thread) for name in (
            f"t{i}/v{j}:0", f"t{i}/{_nth('block', j)}/plus:0")]
    assert sorted(v.name for v in tf.global_variables()) == sorted(
        f"t{i}/{name}:0" for i in range(threads) for j in range(per_thread)
        for name in (f"v{j}", f"{_nth('block', j)}/w"))
    _assert_graph_consistent(tf.get_default_graph())


def test_threads_auto_reusing_a_name_all_get_the_same_variable(size, in_threads):
    threads, rounds = 8, size(200, 5000)

    def get(i, sync):
        got = []
        for r in range(rounds):
            sync.wait()  # all threads ask for w{r} at once
            with tf.variable_scope("shared", reuse=tf.AUTO_REUSE):
                got.append(tf.get_variable(f"w{r}", [2]))
        return got
    got = in_threads(threads, get)
    for r in range(rounds):
        assert all(mine[r] is got[0][r] for mine in got)
    assert [v.name for v in tf.global_variables()] == [f"shared/w{r}:0" for r in range(rounds)]


def test_threads_creating_one_name_without_reuse_make_it_once(size, in_threads):
    threads, rounds = 8, size(200, 5000)

    def create(i, sync):
        outcomes = []
        for r in range(rounds):
            sync.wait()
            try:
                outcomes.append(tf.get_variable(f"x{r}", [2]))
            except ValueError as exc:
                assert f"Variable x{r} already exists" in str(exc)
                outcomes.append(None)
        return outcomes
    outcomes = in_threads(threads, create)
    for r in range(rounds):
        assert sum(mine[r] is not None for mine in outcomes) == 1  # one creator, the rest refused
    assert len(tf.global_variables()) == rounds


# -- deferred variables ------------------------------------------------------------------------
def _deferred_variables(n):
    # zeros (4 ops each once built) and the default glorot_uniform (10 ops, seeded by op id)
    tf.set_random_seed(1)
    return [tf.get_variable(f"v{i}", [2], initializer=tf.zeros_initializer() if i % 2 else None)
            for i in range(n)]


def _graph_and_values(vs):
    graph = tf.get_default_graph()
    ops = [(op.name, op.type, [t.name for t in op.inputs], op._id)
           for op in graph.get_operations()]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return ops, sess.run(vs)


def test_first_use_of_deferred_variables_from_many_threads_builds_each_once(size, in_threads):
    threads, n = 8, size(200, 2000)
    vs = _deferred_variables(n)
    assert len(tf.get_default_graph()._deferred) == n  # nothing built yet
    with tf.Session() as sess:
        touches = [lambda v: v.op, lambda v: v.initializer, lambda v: v.value(),
                   lambda v: sess.run(v.initializer), lambda v: v.initial_value]

        def touch(i, sync):
            rng = random.Random(i)
            for v in rng.sample(vs, n):  # every thread in its own order, its own way
                rng.choice(touches)(v)
            return [(v.op, v.initializer, v.value()) for v in vs]
        seen = in_threads(threads, touch)
    assert all(mine == seen[0] for mine in seen)
    ops, values = _graph_and_values(vs)
    with tf.Graph().as_default():  # the same variables, built one after the other
        at_once = _graph_and_values(_deferred_variables(n))
    assert len(ops) == n // 2 * (4 + 10)
    assert ops == at_once[0]
    np.testing.assert_array_equal(values, at_once[1])


# -- sessions and graph construction at once ----------------------------------------------------
_EXPECTED = np.array([[4.0, 4.0], [13.0, 13.0]], np.float32)


def _build_and_run(sess, y, i, runs):
    # a builder: adds ops reading y (and variables) to the graph the runners run, and runs them
    with tf.variable_scope(f"b{i}"):
        for j in range(runs):
            d = tf.add(tf.reduce_sum(y), float(j), name="d")
            assert d.op.name == f"b{i}/{_nth('d', j)}"
            assert sess.run(d) == 34.0 + j
            if j % 10 == 0:
                v = tf.get_variable(f"v{j}", [], initializer=tf.constant_initializer(j))
                sess.run(v.initializer)
                assert sess.run(v) == j


def test_runs_of_one_fetch_from_many_threads_while_others_build(size, in_threads):
    threads, runs = 8, size(200, 5000)
    x = tf.constant(np.arange(6.0).reshape(2, 3), tf.float32)
    w = tf.get_variable("w", initializer=np.ones((3, 2), np.float32))
    y = tf.matmul(x, w) + 1.0

    def work(i, sync):
        if i % 2:
            return _build_and_run(sess, y, i, runs)
        return sum(not np.array_equal(sess.run(y), _EXPECTED) for _ in range(runs))
    with tf.Session() as sess:
        sess.run(w.initializer)
        wrong = in_threads(threads, work)
    assert wrong == [0, None] * (threads // 2)
    assert len(tf.global_variables()) == 1 + threads // 2 * len(range(0, runs, 10))
    _assert_graph_consistent(tf.get_default_graph())


# -- eager mode ------------------------------------------------------------------------------------
def test_eager_threads_have_their_own_tapes_and_lose_no_locked_update(size, in_threads):
    # each thread differentiates its own function of a shared variable while the others do
    # theirs (tapes are per thread), then applies a locked SGD step: every step lands
    threads, steps = 8, size(100, 2000)
    with tf.eager_mode():
        w = tf.Variable(np.zeros(3, np.float32))
        opt = tf.train.GradientDescentOptimizer(1.0, use_locking=True)

        def work(i, sync):
            scale = tf.constant(np.float32(i + 1))
            for _ in range(steps):
                with tf.GradientTape() as tape:
                    loss = tf.reduce_sum(w * scale)  # gradient: scale, whatever w is
                grad = tape.gradient(loss, w)
                assert grad.numpy().tolist() == [i + 1.0] * 3
                opt.apply_gradients([(grad, w)])
            return True

        assert all(in_threads(threads, work))
        expected = -steps * sum(range(1, threads + 1))
        assert w.numpy().tolist() == [expected] * 3
