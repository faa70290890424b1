"""TensorFlow 1.15's kernel_tests/partitioned_variables_test.py, graph-mode cases, in minitf's
words.

Each group names the TF test it comes from. Where TF builds an initial value with
`rnd.initialized_value()`, these use `rnd.initial_value`: one initializer run draws it once for
`rnd` and for the parts. Left out: testMetaGraphSaveLoad (minitf has no MetaGraph export or
`import_meta_graph`).
"""
import numpy as np
import pytest

import minitf as tf


def parts_of(name, partitioner, shape, dtype=tf.float32, **kw):
    with tf.variable_scope("root", partitioner=partitioner):
        v = tf.get_variable(name, dtype=dtype, shape=shape, **kw)
    return len(v._get_variable_list()), v._get_partitions()


def specs(parts):
    return [p._save_slice_info.spec for p in parts]


def initialized(sess, *tensors):
    sess.run(tf.global_variables_initializer())
    return sess.run(list(tensors))


# testFixedSizePartitioner, testFixedSizePartitionerInt64, testResourceFixedSizePartitioner
def test_fixed_size_partitioner():
    assert parts_of("v0", tf.fixed_size_partitioner(5, axis=0), (10, 10)) == (5, [5, 1])
    assert parts_of("v1", tf.fixed_size_partitioner(4, axis=0), [20], tf.int64)[0] == 4
    assert parts_of("v2", tf.fixed_size_partitioner(5, axis=0), (10, 10),
                    use_resource=True) == (5, [5, 1])


# testVariableAxisSizePartitioner: (4, 8, 16, 32) float32 is 16384, 8192, 4096 and 2048 bytes a
# slice along axes 0 to 3
@pytest.mark.parametrize("name, axis, max_shard_bytes, max_shards, shards, partitions", [
    ("v0", 0, 131072, None, 1, [1, 1, 1, 1]),   # 65536 bytes fit in one shard
    ("v1", 1, 65536, None, 1, [1, 1, 1, 1]),    # exactly one shard
    ("v2", 2, 32768, None, 2, [1, 1, 2, 1]),    # 8 slices a shard, 16 / 8
    ("v3a", 3, 2048, None, 32, [1, 1, 1, 32]),  # one slice a shard
    ("v3b", 3, 1024, None, 32, [1, 1, 1, 32]),  # a slice over the limit is still one shard
    ("v3c", 3, 1024, 33, 32, [1, 1, 1, 32]),    # max_shards above the count: no effect
    ("v3d", 3, 1024, 2, 2, [1, 1, 1, 2]),       # max_shards caps the count
])
def test_variable_axis_size_partitioner(name, axis, max_shard_bytes, max_shards, shards,
                                        partitions):
    partitioner = tf.variable_axis_size_partitioner(
        axis=axis, max_shard_bytes=max_shard_bytes, max_shards=max_shards)
    assert parts_of(name, partitioner, (4, 8, 16, 32)) == (shards, partitions)


def test_variable_axis_size_partitioner_with_strings():
    # 4 * 8 * 16 strings of 8 bytes = 4096 bytes a slice; 32768 / 4096 = 8 slices a shard
    partitioner = tf.variable_axis_size_partitioner(axis=3, max_shard_bytes=32768,
                                                    bytes_per_string_element=8)
    value = np.array([""] * 4 * 8 * 16 * 32).reshape(4, 8, 16, 32)
    assert parts_of("v3str", partitioner, (4, 8, 16, 32), tf.string,
                    initializer=value) == (4, [1, 1, 1, 4])


# testMinMaxVariablePartitioner
@pytest.mark.parametrize("max_partitions, axis, min_slice_size, name, shape, shards, partitions", [
    (100, 0, 2 << 10, "v0_0", [2048], 4, [4]),
    (100, 0, 256 << 10, "v0", [2048, 1024], 32, [32, 1]),
    (16, 0, 256 << 10, "v1_max", [2048, 1024], 16, [16, 1]),      # max_partitions caps it
    (1, 0, 256 << 10, "v2_max", [2048, 1024], 1, [1, 1]),
    (100, 0, 128 << 10, "v3_slice", [2048, 1024], 64, [64, 1]),   # smaller slices, more parts
    (100, 0, 512 << 10, "v4_slice", [2048, 1024], 16, [16, 1]),
    (100, 1, 256 << 10, "v5_axis", [64, 1024, 1, 3], 3, [1, 3, 1, 1]),
    (100, 3, 256 << 10, "v6_axis", [64, 1024, 1, 3], 3, [1, 1, 1, 3]),
    (100, 0, 256 << 10, "v7_shape", [16, 128, 1024], 16, [16, 1, 1]),  # one part a row at most
    (100, 0, 256 << 10, "v8_shape", [4, 512, 1024], 4, [4, 1, 1]),
])
def test_min_max_variable_partitioner(max_partitions, axis, min_slice_size, name, shape,
                                      shards, partitions):
    partitioner = tf.min_max_variable_partitioner(
        max_partitions=max_partitions, axis=axis, min_slice_size=min_slice_size)
    assert parts_of(name, partitioner, shape) == (shards, partitions)


# testVecConstantInit
def test_a_vector_from_a_constant():
    value = tf.constant([1, 2, 3, 4])
    vs = tf.create_partitioned_variables([4], [4], value)
    with tf.Session() as sess:
        whole, expected = initialized(sess, tf.concat(vs, 0), value)
    np.testing.assert_array_equal(whole, expected)
    assert [v.dtype.base_dtype for v in vs] == [tf.int32] * 4
    assert specs(vs) == ["4 0,1", "4 1,1", "4 2,1", "4 3,1"]


# testConstantInit
def test_a_matrix_from_a_constant():
    value = tf.constant([[1, 2, 3, 4], [5, 6, 7, 8]])
    vs = tf.create_partitioned_variables([2, 4], [1, 2], value)
    with tf.Session() as sess:
        whole, expected = initialized(sess, tf.concat(vs, 1), value)
    np.testing.assert_array_equal(whole, expected)
    assert [v.dtype.base_dtype for v in vs] == [tf.int32] * 2
    assert specs(vs) == ["2 4 0,2:0,2", "2 4 0,2:2,2"]


def full_names(*lists):
    return [(vs[0]._save_slice_info.full_name, [v.name for v in vs]) for vs in lists]


# testName, testResourceName
@pytest.mark.parametrize("use_resource", [False, True])
def test_names_follow_the_variable_scope(use_resource):
    value = tf.constant([[1, 2, 3, 4], [5, 6, 7, 8]])
    with tf.variable_scope("hi", use_resource=use_resource):
        vs1 = tf.create_partitioned_variables([2, 4], [1, 2], value)
        vs2 = tf.create_partitioned_variables([2, 4], [1, 2], value)
    assert full_names(vs1, vs2) == [
        ("hi/PartitionedVariable", ["hi/PartitionedVariable/part_0:0",
                                    "hi/PartitionedVariable/part_1:0"]),
        ("hi/PartitionedVariable_1", ["hi/PartitionedVariable_1/part_0:0",
                                      "hi/PartitionedVariable_1/part_1:0"])]
    with tf.variable_scope("hola", use_resource=use_resource) as vs:
        vs1 = tf.create_partitioned_variables([2, 4], [1, 2], value, dtype=tf.int32)
    with tf.variable_scope(vs, reuse=True, use_resource=use_resource):
        vs2 = tf.create_partitioned_variables([2, 4], [1, 2], value, dtype=tf.int32)
    assert vs1 == vs2
    assert full_names(vs2) == [("hola/PartitionedVariable", [
        "hola/PartitionedVariable/part_0:0", "hola/PartitionedVariable/part_1:0"])]
    with tf.name_scope("ola"):  # a name scope has no effect on the names
        vs1 = tf.create_partitioned_variables([2, 4], [1, 2], value)
        vs2 = tf.create_partitioned_variables([2, 4], [1, 2], value)
    assert [n for n, _ in full_names(vs1, vs2)] == ["PartitionedVariable",
                                                    "PartitionedVariable_1"]
    assert [v.name for v in vs2] == ["PartitionedVariable_1/part_0:0",
                                     "PartitionedVariable_1/part_1:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())


# testRandomInitValue
def test_slices_of_a_random_value():
    rnd = tf.Variable(tf.random_uniform([200, 40]))
    vs = tf.create_partitioned_variables(rnd.get_shape(), [1, 10], rnd.initial_value)
    with tf.Session() as sess:
        whole, expected = initialized(sess, tf.concat(vs, 1), rnd)
    np.testing.assert_allclose(whole, expected)
    assert [v.dtype.base_dtype for v in vs] == [tf.float32] * 10
    assert specs(vs) == [f"200 40 0,200:{4 * i},4" for i in range(10)]


# testRandomInitUnevenPartitions
def test_uneven_slices_give_the_first_parts_one_more_column():
    rnd = tf.Variable(tf.random_uniform([20, 43], dtype=tf.float64))
    lists = [tf.create_partitioned_variables(rnd.get_shape(), [1, i], rnd.initial_value)
             for i in range(1, 10)]
    with tf.Session() as sess:
        values = initialized(sess, rnd, *[tf.concat(vs, 1) for vs in lists])
    for whole, vs in zip(values[1:], lists):
        np.testing.assert_allclose(whole, values[0])
        assert [v.dtype.base_dtype for v in vs] == [tf.float64] * len(vs)
    assert [specs(vs) for vs in lists[:5]] == [
        ["20 43 0,20:0,43"],
        ["20 43 0,20:0,22", "20 43 0,20:22,21"],
        ["20 43 0,20:0,15", "20 43 0,20:15,14", "20 43 0,20:29,14"],
        ["20 43 0,20:0,11", "20 43 0,20:11,11", "20 43 0,20:22,11", "20 43 0,20:33,10"],
        ["20 43 0,20:0,9", "20 43 0,20:9,9", "20 43 0,20:18,9", "20 43 0,20:27,8",
         "20 43 0,20:35,8"]]


# testDegenerate, testSliceSizeOne
@pytest.mark.parametrize("slicing, expected", [
    ([1, 1], ["10 43 0,10:0,43"]),
    ([10, 1], [f"10 43 {i},1:0,43" for i in range(10)]),
])
def test_one_slice_and_one_row_a_slice(slicing, expected):
    rnd = tf.Variable(tf.random_uniform([10, 43]))
    vs = tf.create_partitioned_variables(rnd.get_shape(), slicing, rnd.initial_value)
    with tf.Session() as sess:
        whole, value = initialized(sess, tf.concat(vs, 0), rnd)
    np.testing.assert_allclose(whole, value)
    assert specs(vs) == expected


def iota(shape, dtype=tf.float32, partition_info=None):
    # row i of a matrix is 10**i times the row below it: [0, 1, 2, ...] * 10**i
    assert dtype == tf.float32
    if len(shape) == 1:
        return range(shape[0])
    row = iota(shape[1:], dtype)
    return [[(10 ** i) * v for v in row] for i in range(shape[0])]


# testIotaInitializer
def test_a_function_initializer_is_called_once_a_slice():
    np.testing.assert_allclose(iota([4]), [0., 1., 2., 3.])
    np.testing.assert_allclose(iota([4, 2]), [[0., 1.], [0., 10.], [0., 100.], [0., 1000.]])
    vs = tf.create_partitioned_variables([13, 5], [3, 1], iota)
    with tf.Session() as sess:
        (whole,) = initialized(sess, tf.concat(vs, 0))
    np.testing.assert_allclose(whole, iota([5, 5]) + iota([4, 5]) + iota([4, 5]))
    assert specs(vs) == ["13 5 0,5:0,5", "13 5 5,4:0,5", "13 5 9,4:0,5"]


# testRandomInitializer
def test_unseeded_slices_differ_and_seeded_equal_slices_repeat():
    var0, var1 = tf.create_partitioned_variables([20, 12], [1, 2],
                                                 tf.random_uniform_initializer())
    with tf.Session() as sess:
        val0, val1 = initialized(sess, var0, var1)
    assert np.linalg.norm(val0.flatten() - val1.flatten()) > 1e-6
    var0, var1 = tf.create_partitioned_variables([20, 12], [1, 2],
                                                 tf.random_uniform_initializer(seed=201))
    with tf.Session() as sess:
        val0, val1 = initialized(sess, var0, var1)
    np.testing.assert_allclose(val0, val1)


# testSomeErrors
@pytest.mark.parametrize("shape, slicing, words", [
    ([10], [1, 1], "must have the length"),
    ([10, 20], [1], "must have the length"),
    ([10, 43], [1], "must have the length"),
    ([10, 43], [1, 2, 3], "must have the length"),
    ([10, 43], [11, 1], r"Expected 0 <= offset < shape but found offset=10, shape=10 for "
                        r"var_offset=\[10, 0\], full_shape=\[10, 43\]"),
    ([10, 43], [20, 1], "Expected 0 <= offset < shape"),
    ([10, 43], [1, 50], r"offset=43, shape=43 for var_offset=\[0, 43\]"),
])
def test_bad_slicings(shape, slicing, words):
    rnd = tf.Variable(tf.random_uniform([10, 43]))
    with pytest.raises(ValueError, match=words):
        tf.create_partitioned_variables(shape, slicing, rnd.initial_value)


# testControlDepsNone
def test_reading_a_partitioned_variable_ignores_control_dependencies():
    c = tf.constant(1.0)
    graph = tf.get_default_graph()
    with tf.control_dependencies([c]):
        d = tf.constant(2.0)
        var_x = tf.get_variable("x", shape=[2], initializer=tf.ones_initializer(),
                                partitioner=tf.variable_axis_size_partitioner(4))
        before = graph.get_operations()
        var_x.as_tensor()
        reading = [op for op in graph.get_operations() if op not in before]
    assert d.op.control_inputs == [c.op]
    assert reading and all(op.control_inputs == [] for op in reading)


# testConcat
def test_concat_keeps_the_control_dependencies_of_its_scope():
    var_x = tf.get_variable("x", initializer=tf.constant([1., 2.]),
                            partitioner=tf.variable_axis_size_partitioner(4))
    c = tf.constant(1.0)
    graph = tf.get_default_graph()
    with tf.control_dependencies([c]):
        before = graph.get_operations()
        value = var_x._concat()
        concat_ops = [op for op in graph.get_operations() if op not in before]
    assert c.op in [ci for op in concat_ops for ci in op.control_inputs]
    with tf.Session() as sess:
        concat, whole = initialized(sess, value, var_x.as_tensor())
    np.testing.assert_allclose(concat, whole)
