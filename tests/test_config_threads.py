"""`tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=n))` sets the BLAS threads
(minitf/_blas_threads.py); without a count, the first Session sets 1 thread unless the user
chose one otherwise; a config that is no ConfigProto is TF's TypeError."""
import os
import subprocess
import sys

import numpy as np
import pytest

import minitf as tf
from minitf import _blas_threads


@pytest.fixture
def calls(monkeypatch):
    """The counts set, in a process where no count was chosen yet: a BLAS of 2 threads on 2
    CPUs, with no thread variable in the environment."""
    seen = []
    monkeypatch.setattr(_blas_threads, "set_num_threads", seen.append)
    monkeypatch.setattr(_blas_threads, "get_num_threads", lambda: 2)
    monkeypatch.setattr(_blas_threads, "_cpu_count", lambda: 2)
    monkeypatch.setattr(_blas_threads, "_chosen", False)
    for variable in _blas_threads.USER_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return seen


def test_intra_op_threads_reach_the_blas_setter(calls):
    with tf.Graph().as_default():
        x = tf.constant([[1.0, 2.0]])
        with tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=1,
                                              inter_op_parallelism_threads=2)) as sess:
            np.testing.assert_array_equal(sess.run(tf.matmul(x, x, transpose_b=True)), [[5.0]])
        tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=3)).close()
        tf.InteractiveSession(config=tf.ConfigProto(intra_op_parallelism_threads=4)).close()
    assert calls == [1, 3, 4]


def test_the_first_session_without_a_count_sets_one_thread_once(calls):
    with tf.Graph().as_default():
        tf.Session().close()
        tf.Session(config=tf.ConfigProto()).close()
        tf.Session(config=tf.ConfigProto(inter_op_parallelism_threads=1)).close()
    assert calls == [1]


def test_a_config_count_wins_over_the_default(calls):
    with tf.Graph().as_default():
        tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=2)).close()
        tf.Session().close()
        tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=1)).close()
    assert calls == [2, 1]


@pytest.mark.parametrize("variable", _blas_threads.USER_VARIABLES)
def test_a_thread_variable_keeps_the_users_count(calls, monkeypatch, variable):
    monkeypatch.setenv(variable, "2")
    with tf.Graph().as_default():
        tf.Session().close()
    assert calls == []


def test_a_count_set_otherwise_is_kept(calls, monkeypatch):
    monkeypatch.setattr(_blas_threads, "get_num_threads", lambda: 3)  # (threadpoolctl, say)
    with tf.Graph().as_default():
        tf.Session().close()
    assert calls == []


@pytest.mark.parametrize("environ, current, cpus, expected", [
    ({}, 2, 2, 1),                             # nobody chose: one thread
    ({}, 8, 8, 1),
    ({}, 1, 1, None),                          # already one
    ({}, 1, 2, None),                          # set to one by someone
    ({}, 3, 2, None),                          # set by someone (threadpoolctl, a call)
    ({}, None, 2, None),                       # no BLAS found
    ({"OPENBLAS_NUM_THREADS": "2"}, 2, 2, None),
    ({"OMP_NUM_THREADS": "1"}, 1, 2, None),
    ({"MKL_NUM_THREADS": "4"}, 2, 2, None),
    ({"OMP_NUM_THREADS": ""}, 2, 2, 1),        # set but empty: not a choice
    ({"MINITF_BENCH_THREADS": "2"}, 2, 2, 1),  # not a BLAS variable
])
def test_default_threads_decisions(environ, current, cpus, expected):
    assert _blas_threads.default_threads(environ, current, cpus) == expected


@pytest.mark.parametrize("config, name", [(1, "int"), ("x", "str"),
                                          ({"intra_op_parallelism_threads": 1}, "dict"),
                                          (tf.RunOptions(), "RunOptions")])
def test_config_must_be_a_config_proto(config, name):
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match=f'Argument `config` must be a tf.ConfigProto, but '
                           f'got "{name}"'):
            tf.Session(config=config)


def test_get_returns_what_set_set():
    before = _blas_threads.get_num_threads()
    if before is None:
        pytest.skip("no BLAS library with a settable thread count is loaded")
    try:
        assert _blas_threads.set_num_threads(1) == before
        assert _blas_threads.get_num_threads() == 1
        assert _blas_threads.blas_libraries()
        with tf.Graph().as_default():
            tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=2)).close()
        assert _blas_threads.get_num_threads() == 2
    finally:
        _blas_threads.set_num_threads(before)
    assert _blas_threads.get_num_threads() == before


def test_no_blas_found_fails_soft(monkeypatch):
    monkeypatch.setattr(_blas_threads, "_threadpoolctl", lambda: None)
    monkeypatch.setattr(_blas_threads, "_loaded_paths", lambda: [])
    assert _blas_threads.get_num_threads() is None
    assert _blas_threads.set_num_threads(1) is None
    assert _blas_threads.blas_libraries() == []


def test_the_default_in_a_fresh_process():
    """End to end, in a process whose environment names no thread count."""
    env = {k: v for k, v in os.environ.items() if k not in _blas_threads.USER_VARIABLES}
    code = ("import minitf as tf; from minitf import _blas_threads as b; "
            "before = b.get_num_threads(); cpus = b._cpu_count(); tf.Session().close(); "
            "print(before, cpus, b.get_num_threads())")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    before, cpus, after = (None if v == "None" else int(v) for v in out)
    if before is None:
        pytest.skip("no BLAS library with a settable thread count is loaded")
    assert after == (1 if before == cpus else before)
