"""Initializers: statistics on large shapes, dtypes, seeds, fans, configs and partitions."""

import numpy as np
import pytest

import minitf as tf
from minitf import initializers as init_lib
from minitf.partitioned import PartitionInfo

SHAPE = [200, 300]


def values(initializer, shape=SHAPE, dtype=tf.float32, partition_info=None):
    t = initializer(shape, dtype=dtype, partition_info=partition_info)
    with tf.Session() as sess:
        return sess.run(t)


@pytest.mark.parametrize("initializer, mean, std, bound", [
    (tf.random_normal_initializer(0.5, 2.0, seed=1), 0.5, 2.0, None),
    (tf.truncated_normal_initializer(0.0, 1.0, seed=1), 0.0, 0.8796, 2.0),
    (tf.random_uniform_initializer(-3.0, 1.0, seed=1), -1.0, 4 / np.sqrt(12), 3.0),
    (tf.uniform_unit_scaling_initializer(1.5, seed=1), 0.0, 1.5 * np.sqrt(3 / 200) / np.sqrt(3),
     1.5 * np.sqrt(3 / 200)),
    (tf.variance_scaling_initializer(2.0, "fan_in", "truncated_normal", seed=1), 0.0,
     np.sqrt(2.0 / 200), 2 * np.sqrt(2.0 / 200) / 0.8796),
    (tf.variance_scaling_initializer(1.0, "fan_out", "uniform", seed=1), 0.0,
     np.sqrt(1.0 / 300), np.sqrt(3.0 / 300)),
    (tf.variance_scaling_initializer(1.0, "fan_avg", "untruncated_normal", seed=1), 0.0,
     np.sqrt(1.0 / 250), None),
    (tf.glorot_uniform_initializer(seed=1), 0.0, np.sqrt(2.0 / 500), np.sqrt(6.0 / 500)),
    (tf.glorot_normal_initializer(seed=1), 0.0, np.sqrt(2.0 / 500), None),
    (tf.initializers.he_normal(seed=1), 0.0, np.sqrt(2.0 / 200), None),
    (tf.initializers.he_uniform(seed=1), 0.0, np.sqrt(2.0 / 200), np.sqrt(6.0 / 200)),
    (tf.initializers.lecun_normal(seed=1), 0.0, np.sqrt(1.0 / 200), None),
    (tf.initializers.lecun_uniform(seed=1), 0.0, np.sqrt(1.0 / 200), np.sqrt(3.0 / 200)),
])
def test_random_initializer_statistics(initializer, mean, std, bound):
    v = values(initializer)
    assert v.shape == tuple(SHAPE) and v.dtype == np.float32
    assert abs(v.mean() - mean) < 0.02 * max(std, 1e-3) * 10
    assert abs(v.std() / std - 1) < 0.02
    if bound is not None:
        assert np.abs(v - (mean if bound == 2.0 else 0)).max() <= bound + 1e-6


def test_truncated_normal_variance_scaling_corrects_the_stddev():
    v = values(tf.variance_scaling_initializer(1.0, "fan_in", "truncated_normal", seed=3))
    assert abs(v.std() - np.sqrt(1.0 / 200)) < 0.002  # not 0.88 of it


def test_fans_include_the_receptive_field_of_conv_kernels():
    assert init_lib._fans([3, 3, 16, 32]) == (144, 288)
    assert init_lib._fans([5]) == (5, 5) and init_lib._fans([]) == (1, 1)
    v = values(tf.variance_scaling_initializer(2.0, "fan_in", "uniform", seed=1), [3, 3, 16, 32])
    assert abs(v.std() / np.sqrt(2.0 / 144) - 1) < 0.03
    assert np.abs(v).max() <= np.sqrt(6.0 / 144)


@pytest.mark.parametrize("shape", [[200, 300], [300, 200], [4, 5, 6]])
def test_orthogonal_is_orthogonal_times_gain(shape):
    v = values(tf.orthogonal_initializer(gain=2.0, seed=1), shape)
    flat = v.reshape(-1, shape[-1])
    gram = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
    np.testing.assert_allclose(gram / 4.0, np.eye(gram.shape[0]), atol=1e-4)
    with pytest.raises(ValueError, match="at least two-dimensional"):
        tf.orthogonal_initializer()([3])


def test_identity_and_constant():
    np.testing.assert_array_equal(values(tf.initializers.identity(3.0), [3, 4]),
                                  3 * np.eye(3, 4))
    with pytest.raises(ValueError, match="only be used for 2D matrices"):
        tf.initializers.identity()([2, 2, 2])
    assert values(tf.constant_initializer(7.0), [2, 2]).tolist() == [[7, 7], [7, 7]]
    assert values(tf.constant_initializer([1, 2]), [4]).tolist() == [1, 2, 2, 2]
    with pytest.raises(TypeError, match="Expected Tensor's shape"):
        tf.constant_initializer([1, 2], verify_shape=True)([4])
    with pytest.raises(TypeError, match="Invalid type for initial value"):
        tf.constant_initializer({"a": 1})


@pytest.mark.parametrize("dtype", [tf.float16, tf.float64])
def test_dtype_is_honoured(dtype):
    for initializer in (tf.glorot_uniform_initializer(seed=1), tf.orthogonal_initializer(seed=1),
                        tf.truncated_normal_initializer(seed=1), tf.zeros_initializer()):
        assert values(initializer, [4, 4], dtype).dtype == dtype.as_numpy_dtype


def test_integer_dtypes_where_allowed_and_errors_otherwise():
    assert values(tf.zeros_initializer(), [2], tf.int32).tolist() == [0, 0]
    assert values(tf.random_uniform_initializer(0, 5, seed=1), [100], tf.int64).max() < 5
    with pytest.raises(TypeError, match="Expected float dtype"):  # TF's type
        tf.glorot_uniform_initializer()([2, 2], dtype=tf.int32)


def test_variance_scaling_argument_errors():
    for kwargs, words in ((dict(scale=0.0), "`scale` must be positive"),
                          (dict(mode="fan"), "Invalid `mode` argument"),
                          (dict(distribution="cauchy"), "Invalid `distribution` argument")):
        with pytest.raises(ValueError, match=words):
            tf.variance_scaling_initializer(**kwargs)


def test_get_config_round_trip():
    for initializer in (tf.variance_scaling_initializer(2.0, "fan_out", "uniform", seed=4),
                        tf.random_normal_initializer(1.0, 3.0, seed=2),
                        tf.constant_initializer([1, 2]), tf.orthogonal_initializer(0.5, seed=9),
                        tf.glorot_uniform_initializer(seed=5)):
        config = initializer.get_config()
        again = type(initializer).from_config(config)
        assert again.get_config() == config


def test_same_seeds_same_values_different_variables_different_streams():
    def build():
        tf.set_random_seed(11)
        a = tf.get_variable("a", [50], initializer=tf.random_normal_initializer())
        b = tf.get_variable("b", [50], initializer=tf.random_normal_initializer())
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return sess.run([a, b])
    with tf.Graph().as_default():
        first = build()
    with tf.Graph().as_default():
        second = build()
    np.testing.assert_array_equal(first[0], second[0])
    assert not np.array_equal(first[0], first[1])


_SCRIPT = ("import minitf as tf; tf.set_random_seed(2); v = tf.get_variable('v', [3, 3], "
           "initializer=tf.orthogonal_initializer()); s = tf.Session(); "
           "s.run(v.initializer); print(s.run(v).tolist())")


def test_seeded_initialization_is_the_same_in_two_processes(two_runs):
    outs = two_runs(_SCRIPT)
    assert outs[0] == outs[1] and len(eval(outs[0])) == 3


def test_partition_info_gives_fans_and_slices_of_the_full_shape():
    info = PartitionInfo(full_shape=[10, 4], var_offset=[4, 0])
    v = values(tf.initializers.identity(), [3, 4], partition_info=info)
    np.testing.assert_array_equal(v, np.eye(10, 4)[4:7])
    full = np.arange(40.0).reshape(10, 4)
    c = values(tf.constant_initializer(full), [3, 4], partition_info=info)
    np.testing.assert_array_equal(c, full[4:7])
    u = values(tf.glorot_uniform_initializer(seed=1), [3000, 40],
               partition_info=PartitionInfo([9000, 40], [3000, 0]))
    assert np.abs(u).max() <= np.sqrt(6.0 / 9040) and u.std() > np.sqrt(6.0 / 9040) / 2


def test_partitioned_and_unpartitioned_variables_agree_in_distribution():
    init = tf.variance_scaling_initializer(2.0, "fan_avg", "uniform", seed=3)
    whole = tf.get_variable("whole", [3000, 60], initializer=init)
    parts = tf.get_variable("parts", [3000, 60], initializer=init,
                            partitioner=tf.fixed_size_partitioner(4))
    const = tf.get_variable("const", [10, 4], initializer=tf.constant_initializer(
        np.arange(40.0).reshape(10, 4)), partitioner=tf.fixed_size_partitioner(3))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w, p, c = sess.run([whole, parts.as_tensor(), const.as_tensor()])
    assert abs(w.std() / p.std() - 1) < 0.02 and abs(np.abs(w).max() - np.abs(p).max()) < 1e-3
    np.testing.assert_array_equal(c, np.arange(40.0).reshape(10, 4))


def test_the_initializers_namespace_names_the_variable_initializer_ops():
    # tf.initializers.global_variables is tf.global_variables_initializer, as in TF1
    assert tf.initializers.global_variables is tf.global_variables_initializer
    assert tf.initializers.local_variables is tf.local_variables_initializer
    assert tf.initializers.variables is tf.variables_initializer
    assert tf.initializers.tables_initializer is tf.tables_initializer
    assert {"global_variables", "variables"} <= set(dir(tf.initializers))
    with pytest.raises(AttributeError, match="no attribute 'nonesuch'"):
        tf.initializers.nonesuch
    with tf.Graph().as_default():
        g = tf.Variable(3.0, name="g")
        loc = tf.Variable(1.0, name="loc", collections=[tf.GraphKeys.LOCAL_VARIABLES])
        ops = [tf.initializers.global_variables(), tf.initializers.local_variables(),
               tf.initializers.variables([g], name="just_g")]
        assert [op.name for op in ops] == ["init", "init_1", "just_g"]
        with tf.Session() as sess:
            assert sess.run(tf.report_uninitialized_variables()).tolist() == [b"g", b"loc"]
            sess.run(ops[0])
            assert sess.run(tf.report_uninitialized_variables()).tolist() == [b"loc"]
            sess.run(ops[1])
            assert sess.run([g, loc]) == [3.0, 1.0]
