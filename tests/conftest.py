"""Every test starts with a fresh default graph, no default session and the root name scope."""
import logging
import subprocess
import sys
import threading

import pytest

import minitf as tf


def pytest_addoption(parser):
    parser.addoption("--run-dist", action="store_true",
                     help="also build, install and check the wheel and sdist (slow; CI runs it)")
    parser.addoption("--stress-long", action="store_true",
                     help="run tests/stress/ at full size (the figures of RELIABILITY.md; "
                          "tens of minutes) instead of the small CI size")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-dist"):
        return
    skip = pytest.mark.skip(reason="builds and installs minitf (minutes): run with --run-dist")
    for item in items:
        if "dist" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def fresh_graph(request):
    tf.reset_default_graph()
    if request.node.get_closest_marker("global_graph"):
        # the test works in the global default graph, whose mode (graph or eager) it may switch
        tf.disable_eager_execution()
        yield tf.get_default_graph()
        tf.disable_eager_execution()
        return
    graph = tf.Graph()
    with graph.as_default():
        yield graph


@pytest.fixture
def eager():
    """The program made eager, as `tf.enable_eager_execution()` at its start; then undone.
    (Its tests are marked `global_graph`: eager execution is enabled outside graph blocks.)"""
    tf.enable_eager_execution()
    try:
        yield
    finally:
        tf.disable_eager_execution()


@pytest.fixture
def two_runs():
    """Runs a Python script in two fresh processes; returns both standard outputs."""
    def run(script):
        return [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                               check=True).stdout for _ in range(2)]
    return run


@pytest.fixture
def logs():
    """The messages logged to "tensorflow" (tf.logging) at INFO and above during the test."""
    logger = logging.getLogger("tensorflow")
    lines = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(record.getMessage())

    handler, level = Keep(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lines
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.fixture
def fast_switching():
    """Threads switch every microsecond: a race between two bytecodes shows at once."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


@pytest.fixture
def in_threads():
    """in_threads(n, fn): runs fn(i, sync) in n threads started together, in the caller's
    default graph, and returns their results; `sync` is a Barrier(n) for rounds. A failed
    thread fails the test."""
    def run(n, fn):
        graph, sync = tf.get_default_graph(), threading.Barrier(n)
        results, errors = [None] * n, []

        def work(i):
            try:
                with graph.as_default():  # the default graph is per thread, as in TF
                    sync.wait()
                    results[i] = fn(i, sync)
            except BaseException as exc:
                errors.append(exc)
                sync.abort()  # the others do not wait for this one forever
        threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        return results
    return run
