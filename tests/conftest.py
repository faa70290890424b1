"""Every test starts with a fresh default graph, no default session and the root name scope."""
import subprocess
import sys

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
def fresh_graph():
    tf.reset_default_graph()
    graph = tf.Graph()
    with graph.as_default():
        yield graph


@pytest.fixture
def two_runs():
    """Runs a Python script in two fresh processes; returns both standard outputs."""
    def run(script):
        return [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                               check=True).stdout for _ in range(2)]
    return run
