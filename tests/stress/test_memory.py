"""Memory stays flat (issue 15): scope cycles and Session.run calls retain nothing.

A cycle is a variable_scope entered and exited, a name_scope likewise, a captured scope
re-entered, and a default_name scope; every 1000 cycles run in a fresh graph (names made in a
graph stay in use while it lives, as in TF; the graph must then be freed whole). The runs are a
constant fetch and a small training step. Each workload runs in a fresh interpreter: a warm-up
(caches, free lists, the allocator's arenas), then the measured run, read three ways: RSS
(/proc/self/statm), Python's allocated blocks (exact, no overhead) and, over a tenth of the run,
tracemalloc's retained bytes. Threads that enter scopes of a shared graph and end must leave
nothing behind either, nor must eager training steps and eager variables that are dropped.
Counts: 1e5 cycles, 1e4 steps (each kind) and 2e3 threads, or 1e6, 1e5 and 2e4 (--stress-long).
Run with -s to see the figures.
"""
import gc
import json
import pathlib
import sys
import threading
import time
import tracemalloc

import numpy as np

import minitf as tf

HERE = pathlib.Path(__file__).resolve().parent
MAX_RSS_GROWTH = 4 << 20  # bytes: pages are coarse, and the allocator may keep a few arenas
# Python blocks: noise is a few dozen either way (up to ~80 in session runs since feeds became
# read-only views: NumPy's own caches, the same after 1e4 runs as after 4e4); a leak is one
# per cycle, 1e4 and more here
MAX_BLOCK_GROWTH = 256
MAX_RETAINED = 16 << 10  # bytes tracemalloc still holds after the traced tenth


def scope_cycles(n):
    """n cycles of the four kinds of scope entry, a fresh graph every 1000."""
    for start in range(0, n, 1000):
        with tf.Graph().as_default():
            with tf.variable_scope("outer") as outer:
                pass
            for _ in range(min(1000, n - start)):
                with tf.variable_scope("layer"):
                    pass
                with tf.name_scope("block"):
                    pass
                with tf.variable_scope(outer, reuse=True):  # re-entered: counters undone
                    pass
                with tf.variable_scope(None, default_name="dense"):
                    pass


def session_runs(n):
    """n constant fetches and n training steps of a linear model, in one session."""
    with tf.Graph().as_default():
        c = tf.constant([1.0, 2.0])
        x, y = tf.placeholder(tf.float32, [None, 2]), tf.placeholder(tf.float32, [None, 1])
        w, b = tf.get_variable("w", [2, 1]), tf.get_variable("b", [1])
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
        feed = {x: np.ones((4, 2), np.float32), y: np.zeros((4, 1), np.float32)}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(n):
                sess.run(c)
                sess.run(train, feed)


def eager_steps(n):
    """n eager training steps (a tape, an optimizer update, a fresh variable read) and n
    variables made and dropped: nothing of them stays (eager ops are kept by no graph)."""
    with tf.eager_mode():
        x, y = tf.constant(np.ones((4, 2), np.float32)), tf.constant(np.zeros((4, 1), np.float32))
        w = _SHARED.setdefault("w", tf.Variable(np.ones((2, 1), np.float32)))
        opt = _SHARED.setdefault("opt", tf.train.MomentumOptimizer(0.01, 0.9))
        for _ in range(n):
            with tf.GradientTape() as tape:  # (np.mean keeps a bounded cache of its own,
                loss = tf.reduce_sum(tf.square(tf.matmul(x, w) - y))  # which is not ours)
            opt.apply_gradients([(tape.gradient(loss, w), w)])
            tf.Variable(np.zeros(3, np.float32), name="dropped").assign_add([1.0, 1.0, 1.0])


def thread_cycles(n):
    """n short-lived threads, one after another, each entering scopes of one shared graph
    (re-entered by name, so no new names): each thread's state must go with it."""
    graph = _SHARED.setdefault("graph", tf.Graph())

    def body():
        with graph.as_default():
            with tf.variable_scope("shared", auxiliary_name_scope=False), tf.name_scope(
                    "block/"), tf.variable_scope(None, default_name="d",
                                                 auxiliary_name_scope=False):
                pass  # (a name scope opened here would be a new name each time: kept, as TF)
    for _ in range(n):
        worker = threading.Thread(target=body)
        worker.start()
        worker.join()


_SHARED = {}  # (the warm-up and the measured runs share one graph)


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def graphs_alive():
    return sum(isinstance(o, tf.Graph) for o in gc.get_objects())


def measure(work, n):
    """What `work(n)` leaves behind after a warm-up: a dict of figures."""
    work(max(n // 10, 2000))
    gc.collect()
    rss0, blocks0, graphs0 = rss(), sys.getallocatedblocks(), graphs_alive()
    start = time.perf_counter()
    work(n)
    seconds = time.perf_counter() - start
    gc.collect()
    figures = {"n": n, "seconds": round(seconds, 2), "rss_growth": rss() - rss0,
               "block_growth": sys.getallocatedblocks() - blocks0,
               "graph_growth": graphs_alive() - graphs0, "kernels": tf.kernel_backend()}
    tracemalloc.start()  # (10x slower: a tenth of the run)
    work(n // 10)
    gc.collect()
    figures["traced_n"], figures["retained"] = n // 10, tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return figures


_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
import test_memory
print(json.dumps(test_memory.measure(getattr(test_memory, sys.argv[2]), int(sys.argv[3]))))
"""


def run_measured(python_process, work, n):
    done = python_process(_CHILD, str(HERE), work, str(n), timeout=3600)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.splitlines()[-1])
    print(f"\n{work}: {figures}")  # (pytest -s shows the figures)
    return figures


def assert_flat(figures):
    assert figures["rss_growth"] < MAX_RSS_GROWTH, figures
    assert figures["block_growth"] < MAX_BLOCK_GROWTH, figures
    assert figures["graph_growth"] == 0, figures
    assert figures["retained"] < MAX_RETAINED, figures


def test_scope_cycles_leave_memory_flat(python_process, size):
    """1e5 (1e6) cycles of variable_scope, name_scope, a captured scope and a default_name
    scope, in 100 (1000) graphs: no growth, every graph freed."""
    assert_flat(run_measured(python_process, "scope_cycles", size(100_000, 1_000_000)))


def test_session_runs_leave_memory_flat(python_process, size):
    """1e4 (1e5) constant fetches and training steps: no growth."""
    assert_flat(run_measured(python_process, "session_runs", size(10_000, 100_000)))


def test_eager_steps_leave_memory_flat(python_process, size):
    """1e4 (1e5) eager training steps and dropped eager variables: no growth."""
    assert_flat(run_measured(python_process, "eager_steps", size(10_000, 100_000)))


def test_threads_that_end_leave_nothing_in_a_shared_graph(python_process, size):
    """2e3 (2e4) threads, each entering scopes of one graph and ending: no growth."""
    assert_flat(run_measured(python_process, "thread_cycles", size(2_000, 20_000)))


def test_the_measure_sees_a_leak_of_one_small_object_per_cycle():
    # a yardstick that cannot fail proves nothing: 48 bytes a cycle must show
    kept = []
    figures = measure(lambda n: kept.extend(object() for _ in range(n)), 20_000)
    assert figures["block_growth"] > 19_000 and figures["retained"] > 2_000 * 16, figures
    assert not figures["block_growth"] < MAX_BLOCK_GROWTH
