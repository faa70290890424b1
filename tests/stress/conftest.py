"""The stress suite (issue 15): threads, Ctrl-C, kill -9, fuzzing, misuse, memory.

Every test here is marked `stress` and takes its counts from `size(small, long)`: the small
count by default (CI runs the whole suite at that size), the long one with `--stress-long` (the
figures RELIABILITY.md quotes). Code that may crash or must be killed runs in a subprocess
(`python_process`), so a crash fails a test instead of ending the run.
"""
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(config, items):
    here = pathlib.Path(__file__).parent
    for item in items:
        if here in pathlib.Path(item.fspath).parents:
            item.add_marker(pytest.mark.stress)


@pytest.fixture
def size(request):
    """size(small, long) -> the count for this run."""
    long = request.config.getoption("--stress-long")
    return lambda small, full: full if long else small


@pytest.fixture
def python_process():
    """python_process(code, *args, timeout=60, **popen_kwargs) -> CompletedProcess of `code`
    run by this interpreter in a fresh process, with this run's kernel backend."""
    def run(code, *args, timeout=60, **kwargs):
        env = dict(os.environ, **kwargs.pop("env", {}))
        return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                              text=True, timeout=timeout, env=env, **kwargs)
    return run
