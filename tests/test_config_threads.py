"""`tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=n))` sets the BLAS threads
(minitf/_blas_threads.py); a config that is no ConfigProto is TF's TypeError."""
import numpy as np
import pytest

import minitf as tf
from minitf import _blas_threads


@pytest.fixture
def calls(monkeypatch):
    seen = []
    monkeypatch.setattr(_blas_threads, "set_num_threads", seen.append)
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


def test_zero_or_no_config_leaves_the_threads(calls):
    with tf.Graph().as_default():
        tf.Session().close()
        tf.Session(config=tf.ConfigProto()).close()
        tf.Session(config=tf.ConfigProto(inter_op_parallelism_threads=1)).close()
    assert calls == []


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
