"""Seeded random ops: shapes, distributions, per-session streams and reproducibility."""

import numpy as np
import pytest

import minitf as tf


def test_names_types_and_shapes():
    n = tf.random_normal([2, 3])
    assert (n.name, n.op.type, n.dtype, n.shape.as_list()) == ("random_normal:0", "AddV2",
                                                               tf.float32, [2, 3])
    t = tf.truncated_normal([4], dtype=tf.float64)
    assert (t.name, t.dtype) == ("truncated_normal:0", tf.float64)
    u = tf.random_uniform([2, 2])
    assert (u.name, u.op.type) == ("random_uniform/RandomUniform:0", "RandomUniform")
    i = tf.random_uniform([5], maxval=3, dtype=tf.int32)
    assert (i.name, i.op.type, i.dtype) == ("random_uniform_1:0", "RandomUniformInt", tf.int32)
    assert tf.random.normal([1]).name == "random_normal_1:0"
    p = tf.placeholder(tf.float32, [None, 2])
    assert tf.random_normal(tf.shape(p)).shape.as_list() == [None, 2]


def test_distributions_have_the_requested_moments_and_bounds():
    tf.set_random_seed(1)
    n = tf.random_normal([20000], mean=3.0, stddev=2.0)
    t = tf.truncated_normal([20000], stddev=0.5)
    u = tf.random_uniform([20000], minval=-1.0, maxval=3.0)
    i = tf.random_uniform([20000], minval=2, maxval=5, dtype=tf.int64)
    with tf.Session() as sess:
        nv, tv, uv, iv = sess.run([n, t, u, i])
    assert abs(nv.mean() - 3.0) < 0.05 and abs(nv.std() - 2.0) < 0.05
    assert np.abs(tv).max() <= 1.0 and tv.dtype == np.float32
    assert uv.min() >= -1.0 and uv.max() < 3.0 and abs(uv.mean() - 1.0) < 0.05
    assert set(iv.tolist()) == {2, 3, 4}


def test_each_run_draws_new_values_and_a_new_session_restarts_a_seeded_stream():
    tf.set_random_seed(42)
    r = tf.random_normal([3])
    with tf.Session() as sess:
        first, second = sess.run(r), sess.run(r)
    with tf.Session() as sess:
        again = sess.run(r)
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(first, again)


def test_op_seeds_give_distinct_streams_and_same_seeds_same_values():
    a = tf.random_uniform([4], seed=1)
    b = tf.random_uniform([4], seed=2)
    c = tf.random_uniform([4], seed=1)
    with tf.Session() as sess:
        av, bv, cv = sess.run([a, b, c])
    assert not np.array_equal(av, bv)
    np.testing.assert_array_equal(av, cv)


def test_graph_seed_alone_gives_distinct_streams_per_op():
    tf.set_random_seed(7)
    a, b = tf.random_normal([4]), tf.random_normal([4])
    with tf.Session() as sess:
        av, bv = sess.run([a, b])
    assert not np.array_equal(av, bv)


_SCRIPT = ("import minitf as tf; tf.set_random_seed(3); "
           "print(tf.Session().run(tf.random_normal([3], seed=5)).tolist())")


def test_seeded_values_are_the_same_in_another_process(two_runs):
    outs = two_runs(_SCRIPT)
    assert outs[0] == outs[1] and len(eval(outs[0])) == 3


def test_integer_uniform_needs_maxval():
    with pytest.raises(ValueError, match="Must specify maxval for integer dtype"):
        tf.random_uniform([2], dtype=tf.int32)


def _glibc_libm():
    import ctypes
    import platform
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        pytest.skip("compares with glibc's libm")
    libm = ctypes.CDLL("libm.so.6")
    for name in ("logf", "sinf", "cosf"):
        getattr(libm, name).restype = ctypes.c_float
        getattr(libm, name).argtypes = [ctypes.c_float]
    return libm


def test_float32_log_sin_cos_are_glibcs_on_box_mullers_inputs():
    # TF's Box-Muller calls glibc's logf and sincosf on k * 2**-23 and float32(2*pi*k * 2**-23)
    # (all 2**23 of each were checked once; here a sample, and the ends of the range)
    from minitf.ops import _libm
    libm = _glibc_libm()
    k = np.concatenate([np.arange(1, 200), 2**23 - np.arange(1, 200),
                        np.random.default_rng(0).integers(1, 2**23, 20000)])
    u = (k * 2.0**-23).astype(np.float32)
    v = (2 * np.pi * u.astype(np.float64)).astype(np.float32)
    sin, cos = _libm.sincosf(v)
    for got, function, x in ((_libm.logf(u), libm.logf, u), (sin, libm.sinf, v),
                             (cos, libm.cosf, v)):
        want = np.array([function(float(t)) for t in x], np.float32)
        assert got.tobytes() == want.tobytes()
