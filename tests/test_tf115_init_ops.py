"""TensorFlow 1.15's kernel_tests/init_ops_test.py, graph-mode cases, in minitf's words.

Each group names the TF test it comes from. minitf promises TF's distributions and determinism
(same seeds, same values), not TF's random bits, and so do these tests, as TF's own do. Left out:
RangeTest and LinSpaceTest (tf.range and tf.linspace, not initializers: minitf has neither), and
the ConvolutionDeltaOrthogonal and ConvolutionOrthogonal1d/2d/3d classes (not exported by TF1,
and their value checks need tf.layers.conv1d/2d/3d, which minitf has not).
"""
import numpy as np
import pytest

import minitf as tf
from minitf.ops import random_ops


def values_in_new_graph(init, shape):
    with tf.Graph().as_default(), tf.Session() as sess:
        return sess.run(init(shape))


def identical(init1, init2, shape=(100,)):
    """Whether the two initializers, each in a fresh graph, give the same values."""
    return np.allclose(values_in_new_graph(init1, list(shape)),
                       values_in_new_graph(init2, list(shape)), rtol=1e-15, atol=1e-15)


def duplicated(init, graph_seed, shape=(100,)):
    """Whether two calls of one initializer in one graph give the same values."""
    with tf.Graph().as_default(), tf.Session() as sess:
        tf.set_random_seed(graph_seed)
        t1, t2 = sess.run(init(list(shape))), sess.run(init(list(shape)))
    return np.allclose(t1, t2, rtol=1e-15, atol=1e-15)


def variable_value(name="x", **kwargs):
    x = tf.get_variable(name, **kwargs)
    with tf.Session() as sess:
        sess.run(x.initializer)
        return x, sess.run(x)


# ConstantInitializersTest: testZerosInitializer, testOnesInitializer,
# testConstantZeroInitializer, testConstantOneInitializer
@pytest.mark.parametrize("initializer, expected", [
    (tf.zeros_initializer(), np.zeros), (tf.ones_initializer(), np.ones),
    (tf.constant_initializer(0.0), np.zeros), (tf.constant_initializer(1.0), np.ones),
])
def test_constant_valued_initializers(initializer, expected):
    _, value = variable_value(shape=[2, 3], initializer=initializer)
    np.testing.assert_array_equal(value, expected([2, 3]))


# testConstantIntInitializer, testConstantTupleInitializer
def test_integer_constants():
    x, value = variable_value(shape=[2, 3], dtype=tf.int32, initializer=tf.constant_initializer(7))
    assert x.dtype.base_dtype == tf.int32
    np.testing.assert_array_equal(value, 7 * np.ones([2, 3], dtype=np.int32))
    y, value = variable_value("y", shape=[3], dtype=tf.int32,
                              initializer=tf.constant_initializer((10, 20, 30)))
    assert y.dtype.base_dtype == tf.int32 and value.tolist() == [10, 20, 30]


def flat_int_variable(name, value, shape):
    init = tf.constant_initializer(value, dtype=tf.int32)
    x = tf.get_variable(name, shape=shape, initializer=init)
    with tf.Session() as sess:
        sess.run(x.initializer)
        return sess.run(tf.reshape(x, [-1])).tolist()


VALUE = [0, 1, 2, 3, 4, 5]


# testNDimConstantInitializer
@pytest.mark.parametrize("name, value", [
    ("list", VALUE), ("ndarray", np.asarray(VALUE)),
    ("2D-ndarray", np.asarray(VALUE).reshape(2, 3)),
])
def test_n_dimensional_constant_fills_in_order(name, value):
    assert flat_int_variable(name, value, [2, 3]) == VALUE


# testNDimConstantInitializerLessValues
@pytest.mark.parametrize("name, value", [
    ("list", VALUE), ("ndarray", np.asarray(VALUE)),
    ("2D-ndarray", np.asarray(VALUE).reshape(2, 3)),
])
def test_fewer_values_repeat_the_last(name, value):
    assert flat_int_variable(name, value, [2, 4]) == VALUE + [5, 5]


# testNDimConstantInitializerMoreValues
@pytest.mark.parametrize("value", [
    list(range(8)), np.arange(8), np.arange(8).reshape(2, 4),
])
def test_more_values_than_elements_is_an_error(value):
    init = tf.constant_initializer(value, dtype=tf.int32)
    with pytest.raises(ValueError, match="Too many elements provided"):
        tf.get_variable("x", shape=[2, 3], initializer=init)


# testInvalidValueTypeForConstantInitializerCausesTypeError
def test_a_tensor_or_variable_is_not_a_constant_value():
    with pytest.raises(TypeError, match=r"Invalid type for initial value: .*Tensor.*"):
        tf.constant_initializer(tf.constant([1.0, 2.0, 3.0]), dtype=tf.float32)
    with pytest.raises(TypeError, match=r"Invalid type for initial value: .*Variable.*"):
        tf.constant_initializer(tf.Variable([3.0, 2.0, 1.0]), dtype=tf.float32)


# RandomNormalInitializationTest, TruncatedNormalInitializationTest,
# UniformUnitScalingInitializationTest, OrthogonalInitializerTest:
# testInitializerIdentical, testInitializerDifferent, testDuplicatedInitializer
SEEDED = [
    (tf.random_normal_initializer, (0.0, 1.0), (100,)),
    (tf.truncated_normal_initializer, (0.0, 1.0), (100,)),
    (tf.uniform_unit_scaling_initializer, (), (100,)),
    (tf.uniform_unit_scaling_initializer, (1.5,), (100,)),
    (tf.orthogonal_initializer, (), (10, 10)),
]


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
@pytest.mark.parametrize("ctor, args, shape", SEEDED)
def test_same_seed_same_values_other_seed_other_values(ctor, args, shape, dtype):
    assert identical(ctor(*args, seed=1, dtype=dtype), ctor(*args, seed=1, dtype=dtype), shape)
    assert not identical(ctor(*args, seed=1, dtype=dtype), ctor(*args, seed=2, dtype=dtype),
                         shape)


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
def test_uniform_unit_scaling_factor_changes_the_values(dtype):
    init1 = tf.uniform_unit_scaling_initializer(seed=1, dtype=dtype)
    init2 = tf.uniform_unit_scaling_initializer(seed=2, dtype=dtype)
    init3 = tf.uniform_unit_scaling_initializer(1.5, seed=1, dtype=dtype)
    assert not identical(init1, init3) and not identical(init2, init3)


# RandomUniformInitializationTest: testInitializerIdentical, testInitializerDifferent
@pytest.mark.parametrize("dtype", [tf.float32, tf.float64, tf.int32, tf.int64])
def test_uniform_seeds_with_float_and_integer_dtypes(dtype):
    init = lambda seed: tf.random_uniform_initializer(0, 7, seed=seed, dtype=dtype)  # noqa: E731
    assert identical(init(1), init(1))
    assert not identical(init(1), init(2))


# testDuplicatedInitializer of each random initializer class
@pytest.mark.parametrize("init, shape", [
    (tf.random_normal_initializer(0.0, 1.0), (100,)),
    (tf.truncated_normal_initializer(0.0, 1.0), (100,)),
    (tf.random_uniform_initializer(0.0, 1.0), (100,)),
    (tf.uniform_unit_scaling_initializer(), (100,)),
    (tf.orthogonal_initializer(), (10, 10)),
])
def test_two_calls_in_one_seeded_graph_differ(init, shape):
    assert not duplicated(init, 1, shape)


# testInvalidDataType of each class (IdentityInitializerTest's checks the orthogonal one)
@pytest.mark.parametrize("make", [
    lambda: tf.random_normal_initializer(0.0, 1.0, dtype=tf.string),
    lambda: tf.truncated_normal_initializer(0.0, 1.0, dtype=tf.string),
    lambda: tf.uniform_unit_scaling_initializer(dtype=tf.string),
    lambda: tf.orthogonal_initializer(dtype=tf.string),
    lambda: tf.initializers.identity(dtype=tf.string),
])
def test_non_float_dtypes_are_refused(make):
    with pytest.raises(ValueError):
        make()


# UniformUnitScalingInitializationTest.testZeroSize
def test_an_empty_variable():
    _, value = variable_value(shape=[0, 2], initializer=tf.uniform_unit_scaling_initializer())
    assert value.shape == (0, 2)


# VarianceScalingInitializationTest
@pytest.mark.parametrize("distribution, sampler", [
    ("truncated_normal", "truncated_normal"), ("normal", "truncated_normal"),
    ("untruncated_normal", "random_normal"), ("uniform", None),
])
def test_variance_scaling_distributions(monkeypatch, distribution, sampler):
    calls = []
    if sampler is not None:
        original = getattr(random_ops, sampler)

        def spy(*args, **kwargs):
            calls.append(sampler)
            return original(*args, **kwargs)
        monkeypatch.setattr(random_ops, sampler, spy)
    init = tf.variance_scaling_initializer(distribution=distribution)
    with tf.Session() as sess:
        x = sess.run(init([100, 100]))
    assert calls == ([sampler] if sampler else [])
    assert abs(np.mean(x)) < 1e-2
    assert abs(np.var(x) - 1.0 / 100) < 1e-2


# DeviceTest: testNoDevice, testDevice
def test_a_variable_and_its_initializer_share_the_device():
    var = tf.Variable([[1.0, 1.0]])
    assert var.device == var.initializer.device == ""
    with tf.device("/job:ps"):
        var = tf.Variable([[1.0, 1.0]])
    assert var.device == var.initializer.device == "/job:ps"


# OrthogonalInitializerTest.testInvalidShape
def test_orthogonal_needs_two_dimensions():
    with pytest.raises(ValueError, match="at least two-dimensional"):
        tf.orthogonal_initializer()(shape=[5])


# OrthogonalInitializerTest.testGain
@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
def test_orthogonal_gain_scales_the_same_matrix(dtype):
    init1 = tf.orthogonal_initializer(seed=1, dtype=dtype)
    init2 = tf.orthogonal_initializer(gain=3.14, seed=1, dtype=dtype)
    with tf.Session() as sess:
        t1, t2 = sess.run(init1([10, 10])), sess.run(init2([10, 10]))
    np.testing.assert_allclose(t1, t2 / 3.14, rtol=1e-6, atol=1e-6)


# OrthogonalInitializerTest.testShapesValues
@pytest.mark.parametrize("dtype, tol", [(tf.float32, 1e-5), (tf.float64, 1e-12)])
@pytest.mark.parametrize("shape", [(10, 10), (10, 9, 8), (100, 5, 5), (50, 40), (40, 50)])
def test_orthogonal_rows_or_columns(shape, dtype, tol):
    t = values_in_new_graph(tf.orthogonal_initializer(dtype=dtype), list(shape))
    assert t.shape == shape
    t = t.reshape(int(np.prod(t.shape[:-1])), t.shape[-1])
    gram = t.T @ t if t.shape[0] > t.shape[1] else t @ t.T
    np.testing.assert_allclose(gram, np.eye(gram.shape[0]), rtol=tol, atol=tol)


# IdentityInitializerTest.testInvalidShape
@pytest.mark.parametrize("shape", [[5, 7, 7], [5], []])
def test_identity_needs_two_dimensions(shape):
    with pytest.raises(ValueError, match="only be used for 2D matrices"):
        tf.initializers.identity()(shape=shape)


# IdentityInitializerTest.testNonSquare, testGain
@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
def test_identity_values_and_gain(dtype):
    np.testing.assert_allclose(values_in_new_graph(tf.initializers.identity(), [10, 5]),
                               np.eye(10, 5))
    np.testing.assert_allclose(
        values_in_new_graph(tf.initializers.identity(dtype=dtype), [10, 10]), np.eye(10))
    np.testing.assert_allclose(
        values_in_new_graph(tf.initializers.identity(gain=0.9, dtype=dtype), [10, 10]),
        np.eye(10) * 0.9)


# IdentityInitializerTest.testPartitions
def test_identity_across_partitions():
    with tf.variable_scope("foo", partitioner=tf.variable_axis_size_partitioner(1),
                           initializer=tf.initializers.identity()):
        v = tf.identity(tf.get_variable("bar", shape=(10, 10)))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(v), np.eye(10))
