"""check_numerics, Assert, Print, py_func/numpy_function/py_function (issue 17, item 6): names,
values, errors and printed text as TensorFlow's (checked with tfdiff), in graph and eager mode."""
import numpy as np
import pytest

import minitf as tf


def test_check_numerics_passes_finite_values_and_names_what_it_found():
    p = tf.placeholder(tf.float32, [None])
    c = tf.check_numerics(p, "bad input")
    assert (c.name, c.op.type, c.shape.as_list()) == ("CheckNumerics:0", "CheckNumerics", [None])
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(c, {p: [1.0, 2.0]}), [1.0, 2.0])
        for value, found in (([1.0, np.nan], "NaN"), ([np.inf, 1.0], "Inf"),
                             ([np.nan, np.inf], "Inf and NaN")):
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=f"bad input : Tensor had {found} values") as info:
                sess.run(c, {p: value})
            assert info.value.op is c.op
    with pytest.raises(TypeError, match="'T' of int32"):
        tf.check_numerics(tf.constant([1]), "ints")


def test_check_numerics_checks_the_gradient_too():
    p = tf.placeholder(tf.float32, [None])
    g = tf.gradients(tf.reduce_sum(tf.check_numerics(p * 2.0, "m")), p)[0]
    x = tf.placeholder(tf.float32, [])
    bad = tf.gradients(tf.sqrt(tf.check_numerics(x, "sqrt")), x)[0]  # inf reaches the check
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(g, {p: [1.0]}), [2.0])
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="detected in gradient. sqrt : Tensor had Inf values"):
            sess.run(bad, {x: 0.0})
    v = tf.verify_tensor_all_finite(tf.constant([np.nan]), "finite?")
    assert v.name == "VerifyFinite/CheckNumerics:0"
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="finite?"):
        sess.run(v)


def test_assert_runs_when_needed_and_shows_its_data():
    p = tf.placeholder(tf.float32, [None])
    check = tf.Assert(tf.reduce_all(p > 0), [p, "x"], name="pos")
    assert check.type == "Assert" and check.name == "pos"
    with tf.control_dependencies([check]):
        out = tf.identity(p)
    with tf.Session() as sess:
        sess.run(out, {p: [1.0]})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"assertion failed: \[-1 2\] \[x\]"):
            sess.run(out, {p: [-1.0, 2.0]})
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[1 2 3\.\.\.\]"):
            sess.run(tf.Assert(False, [tf.constant([1, 2, 3, 4])]))


def test_print_writes_message_and_data_to_stderr(capfd):
    p = tf.placeholder(tf.float32, [None])
    printed = tf.Print(p, [p, tf.shape(p)], message="val: ", first_n=2)
    assert (printed.name, printed.op.type) == ("Print:0", "Print")
    with tf.Session() as sess:
        for _ in range(3):
            np.testing.assert_array_equal(sess.run(printed, {p: [3.0]}), [3.0])
    assert capfd.readouterr().err == "val: [3][1]\nval: [3][1]\n"  # (first_n=2)
    g = tf.gradients(tf.reduce_sum(printed * 2.0), p)[0]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(g, {p: [1.0]}), [2.0])


def test_python_functions_as_ops():
    p = tf.placeholder(tf.float32, [None])
    y, n = tf.py_func(lambda v, w: ((v * 2).astype(np.float32), np.int64(len(w))), [p, p],
                      [tf.float32, tf.int64])
    assert (y.name, y.op.type, y.shape.dims, n.dtype) == ("PyFunc:0", "PyFunc", None, tf.int64)
    z = tf.numpy_function(lambda v: v + 1, [p], tf.float32)
    q = tf.py_function(lambda v: v.numpy() * 3, [p], tf.float32)
    assert (z.name, q.name, q.op.type) == ("PyFunc_1:0", "EagerPyFunc:0", "EagerPyFunc")
    with tf.Session() as sess:
        got = sess.run([y, n, z, q], {p: [1.0, 2.0]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="float64 value where Tout"):
            sess.run(tf.py_func(lambda v: v * 2.0, [tf.constant([1.0], tf.float64)],
                                tf.float32))
    np.testing.assert_array_equal(got[0], [2.0, 4.0])
    assert got[1] == 2
    np.testing.assert_array_equal(got[2], [2.0, 3.0])
    np.testing.assert_array_equal(got[3], [3.0, 6.0])


def test_the_checks_and_functions_run_eagerly():
    with tf.eager_mode():
        x = tf.constant([1.0, -2.0])
        assert tf.Assert(tf.reduce_all(x < 5), [x]) is None
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"assertion failed: \[1 -2\]"):
            tf.Assert(tf.reduce_all(x > 0), [x])
        with pytest.raises(tf.errors.InvalidArgumentError, match="Tensor had NaN values"):
            tf.check_numerics(tf.constant([np.nan]), "e")
        np.testing.assert_array_equal(tf.py_func(np.abs, [x], tf.float32).numpy(), [1.0, 2.0])
        np.testing.assert_array_equal(
            tf.py_function(lambda v: v * 2, [x], tf.float32).numpy(), [2.0, -4.0])
