"""tf.test (minitf/test.py, test_util.py, gradient_checker.py) and tf.io: TF1's TestCase helpers
with the failure messages TF's TestCase gives (checked against TF 2.21's tf.compat.v1.test)."""
import collections
import os
import re

import numpy as np
import pytest

import minitf as tf


class _Case(tf.test.TestCase):
    def runTest(self):
        pass


@pytest.fixture
def case():
    t = _Case()
    t.setUp()
    yield t
    t.tearDown()


def _failure(fn, *args, **kwargs):
    with pytest.raises(AssertionError) as info:
        fn(*args, **kwargs)
    return str(info.value)


class SessionHelpersTest(tf.test.TestCase):
    def test_cached_session_is_one_session_per_test(self):
        x = tf.constant(2.0)
        with self.cached_session() as sess:
            self.assertIs(tf.get_default_session(), sess)
            self.assertIs(tf.get_default_graph(), sess.graph)
            with self.cached_session() as again:
                self.assertIs(again, sess)
            self.assertEqual(self.evaluate(x * 3.0), 6.0)
        with self.test_session() as sess2:
            self.assertIs(sess2, sess)
        with self.session() as fresh:
            self.assertIsNot(fresh, sess)
            self.assertEqual(fresh.run(x), 2.0)

    def test_set_up_resets_the_graph_and_seeds(self):
        self.assertEqual(tf.get_default_graph().get_operations(), [])
        self.assertEqual(tf.get_default_graph().seed, 87654321)

    def test_evaluate_nested(self):
        out = self.evaluate({"a": tf.constant(3) + 1, "b": [tf.constant(1.5)]})
        self.assertEqual(out, {"a": 4, "b": [1.5]})
        self.assertIsInstance(out["a"], np.int32)

    def test_temp_dirs(self):
        self.assertTrue(os.path.isdir(self.get_temp_dir()))
        self.assertEqual(os.path.dirname(self.get_temp_dir()), tf.test.get_temp_dir())
        self.assertEqual(self.get_temp_dir(), self.get_temp_dir())

    def test_config_reaches_the_session(self):
        with self.session(config=tf.ConfigProto(inter_op_parallelism_threads=1)) as sess:
            self.assertEqual(sess.run(tf.constant(1)), 1)

    def test_raises_op_error(self):
        with self.cached_session():
            with self.assertRaisesOpError("Condition x == y did not hold"):
                tf.debugging.assert_equal(1, 2).run()
        with self.assertRaisesWithPredicateMatch(ValueError, "bad"):
            raise ValueError("so bad")
        with self.assertRaisesWithPredicateMatch(ValueError, lambda e: "x" in str(e)):
            raise ValueError("x")
        with self.assertRaisesRegex(AssertionError, "Exception of type <class 'ValueError'>: y"):
            with self.assertRaisesWithPredicateMatch(ValueError, lambda e: "x" in str(e)):
                raise ValueError("y")
        with self.assertRaisesRegex(AssertionError, "OpError not raised"):
            with self.assertRaisesOpError("x"):
                pass


def test_all_close_messages(case):
    text = _failure(case.assertAllClose, [1.0, 2.0], [1.0, 2.1], msg="hello")
    assert text.startswith("\nNot equal to tolerance rtol=1e-06, atol=1e-06\n"
                           "Mismatched value: a is different from b. hello\n"
                           "not close where = (array([1]),)\nnot close lhs = [2.]\n"
                           "not close rhs = [2.1]\nnot close dif = [0.1]\n"
                           "not close tol = [3.1e-06]\ndtype = float64, shape = (2,)\n")
    text = _failure(case.assertAllClose, {"a": 1.0, "b": [1.0, 2.0]},
                    {"a": 1.0, "b": [1.0, 2.5]})
    assert "Mismatched value: a[b] is different from b[b]. \n" in text
    text = _failure(case.assertAllClose, [1.0, 2.0], [1.0, 2.0, 3.0])
    assert text.endswith(" : Shape mismatch: expected (2,), got (3,) with contents [1. 2. 3.].")
    text = _failure(case.assertAllClose, {"a": 1.0}, {"b": 1.0})
    assert "mismatched keys: a has keys dict_keys(['a']), but b has keys dict_keys(['b'])" in text
    text = _failure(case.assertAllClose, np.float16(1.0), np.float16(1.0005))
    assert "not close lhs = 1.0\nnot close rhs = 1.0009765625\n" in text
    assert "dtype = float16, shape = ()" in text
    case.assertAllClose(1.0, 1.0 + 1e-7)
    case.assertAllClose([1.0, np.nan], [1.0, np.nan])
    point = collections.namedtuple("point", "x y")
    case.assertAllClose(point(1.0, [2.0]), point(1.0, [2.0]))
    case.assertAllClose((1.0, [2.0, 3.0]), (1.0, [2.0, 3.0]))
    with pytest.raises(ValueError, match=r"Mismatched length: a has 2 items, but b has 3 items"):
        case.assertAllClose((1.0, [2.0, 3.0]), (1.0, [2.0, 3.0], 4.0))
    with pytest.raises(ValueError, match="Can't compare dict to non-dict, a vs b"):
        case.assertAllClose({"a": 1}, [1])
    with tf.Graph().as_default():
        case.assertAllClose(tf.constant([1.0, 2.0]), [1.0, 2.0])


def test_close_variants(case):
    case.assertAllCloseAccordingToType(np.float16([1.0]), np.float16([1.0005]))
    text = _failure(case.assertAllCloseAccordingToType, np.float32([1.0]), np.float32([1.01]))
    assert "Not equal to tolerance rtol=1e-06, atol=1e-06" in text
    assert _failure(case.assertNotAllClose, [1.0], [1.0]) == \
        "The two values are close at all elements. "
    case.assertNotAllClose([1.0], [2.0])
    assert _failure(case.assertArrayNear, [1.0, 2.0], [1.0, 2.5], 0.1) == \
        "False is not true : 2.000000 != 2.500000 +/- 0.100000 (difference: 0.5)"
    assert _failure(case.assertNear, 1.0, 1.5, 0.1, msg="m") == \
        "False is not true : 1.000000 != 1.500000 +/- 0.100000 (difference: 0.5) (m)"
    assert _failure(case.assertArrayNear, [1.0], [1.0, 2.0], 0.1) == "1 != 2"
    case.assertNDArrayNear(np.array([1.0, 2.0]), np.array([1.0, 2.05]), 0.1)


def test_all_equal(case):
    text = _failure(case.assertAllEqual, [1, 2], [1, 3])
    assert text.startswith("\nArrays are not equal\n\nnot equal where = (array([1]),)\n"
                           "not equal lhs = array([2])\nnot equal rhs = array([3])\n")
    text = _failure(case.assertAllEqual, [1, 2], [1, 2, 3])
    assert text.endswith(": Shape mismatch: expected (2,), got (3,). Contents: array([1, 2, 3])."
                         " \nNone.")
    case.assertAllEqual([b"a"], ["a"])
    case.assertAllEqual([1.0, np.nan], [1.0, np.nan])
    with tf.Graph().as_default():
        case.assertShapeEqual(np.zeros([2, 3]), tf.zeros([2, 3]))
        text = _failure(case.assertShapeEqual, np.zeros([2, 3]), tf.zeros([2, 4]))
    assert "not equal lhs = array([3])\nnot equal rhs = array([4])" in text


def test_ranges_and_orders(case):
    assert _failure(case.assertAllInRange, [1, 2, 3], 1, 2) == (
        "1 of the 3 element(s) are outside the range [1, 2]. Subscript(s) and value(s) of the "
        "offending elements:\n  [2] : 3")
    assert _failure(case.assertAllInRange, [1, 2, 3], 1, 3, open_upper_bound=True) == (
        "1 of the 3 element(s) are outside the range [1, 3). Subscript(s) and value(s) of the "
        "offending elements:\n  [2] : 3")
    assert "  [0, 1] : 5" in _failure(case.assertAllInRange, [[1, 5]], 0, 2)
    case.assertAllInRange([1, 2, 3], 1, 3)
    assert _failure(case.assertAllGreater, [1, 2], 1) == "np.int64(1) not greater than 1"
    case.assertAllGreaterEqual([1, 2], 1)
    assert _failure(case.assertAllLess, [1, 2], 2) == "np.int64(2) not less than 2"
    assert _failure(case.assertAllLessEqual, [1, 2], 1) == \
        "np.int64(2) not less than or equal to 1"


def test_devices_strings_protos(case):
    case.assertDeviceEqual("/cpu:0", "/device:CPU:0")
    assert _failure(case.assertDeviceEqual, "/cpu:0", "/gpu:0").startswith(
        "'/device:CPU:0' != '/device:GPU:0'")
    assert "Devices /device:CPU:0 and /device:GPU:0 are not equal. None" in \
        _failure(case.assertDeviceEqual, "/cpu:0", "/gpu:0")
    case.assertStartsWith("abc", "ab")
    assert _failure(case.assertStartsWith, "abc", "b", msg="m") == \
        "'abc' does not start with 'b' : 'm'"
    config = tf.ConfigProto(intra_op_parallelism_threads=1)
    case.assertProtoEquals("intra_op_parallelism_threads: 1", config)
    case.assertProtoEquals(tf.ConfigProto(intra_op_parallelism_threads=1), config)
    text = _failure(case.assertProtoEquals, "intra_op_parallelism_threads: 2", config)
    assert re.search(r"- intra_op_parallelism_threads: 2\n.*\+ intra_op_parallelism_threads: 1",
                     text, re.S)
    case.assertLen([1, 2], 2)
    assert _failure(case.assertLen, [1], 2) == "[1] has length of 1, expected 2."
    case.assertItemsEqual([1, 2], [2, 1])


def test_build_facts():
    assert (tf.test.is_gpu_available(), tf.test.gpu_device_name(), tf.test.is_built_with_cuda(),
            tf.test.is_built_with_gpu_support()) == (False, "", False, False)
    assert os.path.isdir(tf.test.get_temp_dir())
    assert tf.test.main.__module__ == "minitf.test"


def test_compute_gradient():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [2, 2])
        y = tf.matmul(x, x)
        x0 = np.array([[1.0, 2.0], [3.0, 4.0]])
        with tf.Session():
            theory, numeric = tf.test.compute_gradient(x, [2, 2], y, [2, 2], x_init_value=x0)
            # d(XX)_kl / dX_ij, flattened: rows i*2+j, columns k*2+l
            expected = np.array([[2, 2, 3, 0], [3, 5, 0, 3], [2, 0, 5, 2], [0, 2, 3, 8]],
                                np.float64)
            np.testing.assert_allclose(theory, expected)
            np.testing.assert_allclose(numeric, expected, atol=1e-8)
            error = tf.test.compute_gradient_error(x, [2, 2], y, [2, 2], x_init_value=x0)
            assert error < 1e-8
            pair = tf.test.compute_gradient([x], [[2, 2]], y, [2, 2], x_init_value=[x0])
            np.testing.assert_allclose(pair[0][0], expected)


def test_compute_gradient_sparse_and_errors():
    with tf.Graph().as_default():
        params = tf.placeholder(tf.float32, [3, 2])
        y = tf.gather(params, [2, 0, 2])
        with tf.Session():
            theory, numeric = tf.test.compute_gradient(params, [3, 2], y, [3, 2])
            np.testing.assert_allclose(theory, numeric, atol=1e-3)
            assert theory.dtype == np.float32 and theory.shape == (6, 6)
            assert theory[4, 0] == 1.0 and theory[4, 4] == 1.0 and theory[0, 2] == 1.0
        with pytest.raises(ValueError, match="default session"):
            tf.test.compute_gradient(params, [3, 2], y, [3, 2])
        ints = tf.placeholder(tf.int32, [2])
        with pytest.raises(TypeError, match="Don't support type int32 for x"):
            tf.test.compute_gradient(ints, [2], ints * 2, [2])


def test_benchmark():
    with tf.Graph().as_default(), tf.Session() as sess:
        bench = tf.test.Benchmark()
        result = bench.run_op_benchmark(sess, tf.constant(1.0) * 2.0, min_iters=3, name="mul",
                                        mbs=1)
        assert result["iters"] == 3 and result["name"] == "mul" and result["wall_time"] >= 0
        assert bench.reported[0]["iters"] == 3


def test_io_namespace():
    assert tf.io.gfile is tf.gfile
    assert tf.io.gfile.exists(tf.test.get_temp_dir())
