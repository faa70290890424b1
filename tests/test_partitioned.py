"""Partitioners (TF's arithmetic), PartitionedVariable (naming, slicing, save-slice info, reuse,
conversion, errors) and embedding_lookup over parts (mod and div, any ids shape)."""
import numpy as np
import pytest

import minitf as tf
from minitf.framework.tensor_shape import TensorShape

from _session import run

TABLE = np.arange(10.0, dtype=np.float32).reshape(5, 2)  # row i is [2i, 2i + 1]


def partition(partitioner, shape, dtype=tf.float32):
    return partitioner(shape=TensorShape(shape), dtype=dtype)


# -- partitioners: (partitioner, shape, dtype, expected); checked against TF 2.21 compat.v1 -------
PARTITIONER_TABLE = [
    (tf.variable_axis_size_partitioner(1000), [100, 10], tf.float32, [4, 1]),
    (tf.variable_axis_size_partitioner(1000), [7, 3], tf.float64, [1, 1]),
    (tf.variable_axis_size_partitioner(1000), [1000, 8], tf.string, [143, 1]),
    (tf.variable_axis_size_partitioner(100, 0, 16, 3), [100, 10], tf.float32, [3, 1]),
    (tf.variable_axis_size_partitioner(100, 0, 16, 3), [7, 3], tf.float64, [2, 1]),
    (tf.variable_axis_size_partitioner(100, 0, 16, 3), [1000, 8], tf.string, [3, 1]),
    (tf.variable_axis_size_partitioner(100, 0, 16, 3), [5], tf.int32, [1]),
    (tf.variable_axis_size_partitioner(1000, axis=1), [4, 1000], tf.float32, [1, 17]),
    (tf.min_max_variable_partitioner(4), [100, 10], tf.float32, [1, 1]),
    (tf.min_max_variable_partitioner(4), [100000, 64], tf.float32, [4, 1]),
    (tf.min_max_variable_partitioner(3, 0, 100), [100, 10], tf.float32, [3, 1]),
    (tf.min_max_variable_partitioner(3, 0, 100), [7, 3], tf.float64, [2, 1]),
    (tf.min_max_variable_partitioner(3, 0, 100), [5], tf.int32, [1]),
    (tf.min_max_variable_partitioner(10, 0, 256 << 10), [100000, 64], tf.float32, [10, 1]),
    (tf.min_max_variable_partitioner(2, 1, 16), [4, 8], tf.float32, [1, 2]),
    (tf.min_max_variable_partitioner(2, 1, 16), [100, 10], tf.float32, [1, 2]),
    (tf.fixed_size_partitioner(3), [10, 4], tf.float32, [3, 1]),
    (tf.fixed_size_partitioner(3), [2, 4], tf.float32, [2, 1]),
    (tf.fixed_size_partitioner(2, 1), [3, 5], tf.float32, [1, 2]),
]


@pytest.mark.parametrize("partitioner, shape, dtype, expected", PARTITIONER_TABLE)
def test_partitioner_table(partitioner, shape, dtype, expected):
    assert partition(partitioner, shape, dtype) == expected


def test_variable_axis_size_partitioner_formula_by_hand():
    # 100 rows of 10 float32 = 40 bytes a row; 1000 bytes hold 25 rows; ceil(100 / 25) = 4.
    assert partition(tf.variable_axis_size_partitioner(1000), [100, 10]) == [4, 1]
    # Along axis 1: 16 bytes a column, 62 columns a shard, ceil(1000 / 62) = 17.
    assert partition(tf.variable_axis_size_partitioner(1000, axis=1), [4, 1000]) == [1, 17]
    # A row bigger than a shard still gets a shard of its own.
    assert partition(tf.variable_axis_size_partitioner(8), [3, 10]) == [3, 1]


def test_partitioner_bad_arguments():
    with pytest.raises(ValueError, match="max_shard_bytes"):
        tf.variable_axis_size_partitioner(0)
    with pytest.raises(ValueError, match="max_shards must be positive"):
        tf.variable_axis_size_partitioner(10, max_shards=0)
    with pytest.raises(ValueError, match="not fully defined"):
        partition(tf.variable_axis_size_partitioner(10), [None, 3])


# -- PartitionedVariable ---------------------------------------------------------------------------
def make(name="v", shape=(10, 4), partitioner=None, **kw):
    return tf.get_variable(name, shape, partitioner=partitioner or tf.fixed_size_partitioner(3),
                           **kw)


def test_parts_names_shapes_and_save_slice_info():
    with tf.variable_scope("s"):
        v = make(initializer=tf.zeros_initializer())
    assert isinstance(v, tf.PartitionedVariable)
    assert v.name == "s/v" and v.get_shape().as_list() == [10, 4] and v.dtype == tf.float32
    assert len(v) == 3 and v.get_partitions() == [3, 1]
    parts = list(v)
    assert [p.name for p in parts] == ["s/v/part_0:0", "s/v/part_1:0", "s/v/part_2:0"]
    assert [p.shape.as_list() for p in parts] == [[4, 4], [3, 4], [3, 4]]
    assert parts == v.get_variable_list()
    infos = [p._save_slice_info for p in parts]
    assert [i.full_name for i in infos] == ["s/v"] * 3
    assert [i.var_offset for i in infos] == [[0, 0], [4, 0], [7, 0]]
    assert [i.spec for i in infos] == ["10 4 0,4:0,4", "10 4 4,3:0,4", "10 4 7,3:0,4"]
    assert [x.name for x in tf.global_variables()] == [p.name for p in parts]


def test_slicing_along_axis_one_and_conversion():
    v = tf.get_variable("w", initializer=np.arange(15.0, dtype=np.float32).reshape(3, 5),
                        partitioner=tf.fixed_size_partitioner(2, axis=1))
    assert [p.shape.as_list() for p in v] == [[3, 3], [3, 2]]
    assert [p._save_slice_info.spec for p in v] == ["3 5 0,3:0,3", "3 5 0,3:3,2"]
    t = v.as_tensor()
    assert t.name == "w:0" and t.shape.as_list() == [3, 5]
    np.testing.assert_array_equal(run(t), np.arange(15.0).reshape(3, 5))
    np.testing.assert_array_equal(run(tf.convert_to_tensor(v) * 2.0),
                                  np.arange(15.0).reshape(3, 5) * 2)
    np.testing.assert_array_equal(run(tf.matmul(tf.ones([1, 3]), v)), [[15, 18, 21, 24, 27]])


def test_value_initializer_is_sliced_into_parts():
    v = tf.get_variable("t", initializer=TABLE, partitioner=tf.fixed_size_partitioner(2))
    np.testing.assert_array_equal(run(list(v))[0], TABLE[:3])
    np.testing.assert_array_equal(run(list(v))[1], TABLE[3:])


def test_reuse_returns_the_same_object():
    with tf.variable_scope("s"):
        v = make()
    with tf.variable_scope("s", reuse=True):
        assert make() is v
        assert tf.get_variable("v") is v  # reuse needs neither shape nor partitioner
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        assert make() is v
    assert len(tf.global_variables()) == 3


def test_reuse_errors():
    with tf.variable_scope("s"):
        make()
        with pytest.raises(ValueError, match="already exists"):
            make()
    with tf.variable_scope("s", reuse=True):
        with pytest.raises(ValueError, match="specified partitions"):
            make(partitioner=tf.fixed_size_partitioner(2))
        with pytest.raises(ValueError, match="specified dtype"):
            make(dtype=tf.float64)
        with pytest.raises(ValueError, match="specified shape"):
            make(shape=(10, 5))
        with pytest.raises(ValueError, match="does not exist"):
            make("missing")


def test_partitioned_and_unpartitioned_names_clash():
    tf.get_variable("plain", [4, 2])
    with pytest.raises(ValueError, match="unpartitioned version of the variable was found: plain"):
        make("plain", shape=(4, 2))
    make("split", shape=(4, 2), partitioner=tf.fixed_size_partitioner(2))
    with pytest.raises(ValueError, match="split/part_0"):
        tf.get_variable("split", [4, 2])


def test_existing_parts_with_other_partitioning():
    with tf.variable_scope("x"):
        tf.get_variable("v/part_0", [5, 2])
        tf.get_variable("v/part_1", [5, 2])
    with tf.variable_scope("x"):
        with pytest.raises(ValueError, match="different partitioning.*v/part_2 was not"):
            make(shape=(10, 2), partitioner=tf.fixed_size_partitioner(3))
        with pytest.raises(ValueError, match="extra shard x/v/part_1"):
            make(shape=(10, 2), partitioner=tf.fixed_size_partitioner(1))


def test_bad_partitioners_and_shapes():
    with pytest.raises(ValueError, match="one dimension"):
        make(partitioner=lambda shape, dtype: [2, 2])
    with pytest.raises(ValueError, match="does not match the Variable's rank"):
        make(partitioner=lambda shape, dtype: [2])
    with pytest.raises(ValueError, match="must be callable"):
        make(partitioner=3)
    with pytest.raises(ValueError, match="fully defined"):
        tf.get_variable("u", [None, 3], partitioner=tf.fixed_size_partitioner(2))
    assert [v.name for v in tf.global_variables()] == []  # nothing half-made


def test_scalar_with_partitioner_is_a_plain_variable():
    v = tf.get_variable("s", [], partitioner=tf.fixed_size_partitioner(2))
    assert isinstance(v, tf.Variable) and v.name == "s:0"


def test_scope_partitioner_is_the_default_and_none_inherits_it():
    with tf.variable_scope("p", partitioner=tf.fixed_size_partitioner(2)):
        v = tf.get_variable("v", [6, 1])
        with tf.variable_scope("inner", partitioner=None):  # None means "not set", as in TF
            w = tf.get_variable("w", [6, 1])
        u = tf.get_variable("u", [6, 1], partitioner=tf.fixed_size_partitioner(3))
    assert [p.name for p in v] == ["p/v/part_0:0", "p/v/part_1:0"]
    assert [p.name for p in w] == ["p/inner/w/part_0:0", "p/inner/w/part_1:0"]
    assert len(u) == 3


def test_partitioned_assign_writes_every_part():
    v = make(initializer=tf.zeros_initializer())
    value = np.arange(40.0, dtype=np.float32).reshape(10, 4)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(v.assign(value))
        np.testing.assert_array_equal(sess.run(v.as_tensor()), value)


# -- embedding_lookup ------------------------------------------------------------------------------
def table_parts(n, strategy):
    """TABLE cut into n parts the way `strategy` assigns ids to them."""
    if strategy == "mod":
        return [tf.constant(TABLE[i::n]) for i in range(n)]
    sizes = [len(r) for r in np.array_split(np.arange(5), n)]
    return [tf.constant(p) for p in np.split(TABLE, np.cumsum(sizes)[:-1])]


@pytest.mark.parametrize("strategy", ["mod", "div"])
@pytest.mark.parametrize("n", [1, 2, 3, 5])
@pytest.mark.parametrize("ids", [3, [0, 4, 3, 1, 2], [[0, 4], [3, 1]], [[[2]], [[2]]], []])
def test_embedding_lookup_equals_gathering_the_full_table(strategy, n, ids):
    ids = np.array(ids, np.int64).reshape(np.shape(ids))
    out = tf.nn.embedding_lookup(table_parts(n, strategy), ids, partition_strategy=strategy)
    assert out.shape.as_list() == list(ids.shape) + [2]
    np.testing.assert_array_equal(run(out), TABLE[ids])


def test_embedding_lookup_values_by_hand():
    mod = tf.nn.embedding_lookup([tf.constant(TABLE[0::2]), tf.constant(TABLE[1::2])],
                                 [[0, 4], [3, 1]])
    np.testing.assert_array_equal(run(mod), [[[0, 1], [8, 9]], [[6, 7], [2, 3]]])
    div = tf.nn.embedding_lookup([tf.constant(TABLE[:3]), tf.constant(TABLE[3:])],
                                 [0, 4, 3, 1, 2], partition_strategy="div")
    np.testing.assert_array_equal(run(div), [[0, 1], [8, 9], [6, 7], [2, 3], [4, 5]])
    scalar = tf.nn.embedding_lookup([tf.constant(TABLE[:3]), tf.constant(TABLE[3:])], 4,
                                    partition_strategy="div")
    assert scalar.shape.as_list() == [2]
    np.testing.assert_array_equal(run(scalar), [8, 9])


def test_embedding_lookup_over_a_partitioned_variable():
    v = tf.get_variable("emb", initializer=TABLE, partitioner=tf.fixed_size_partitioner(2))
    ids = tf.placeholder(tf.int32, [None])
    out = tf.nn.embedding_lookup(v, ids, partition_strategy="div")
    np.testing.assert_array_equal(run(out, {ids: [4, 0, 2]}), TABLE[[4, 0, 2]])
    # "mod" over a div-sliced variable reads the rows TF's mod assignment names
    mod = run(tf.nn.embedding_lookup(v, [0, 1, 2, 3]))
    np.testing.assert_array_equal(mod, TABLE[[0, 3, 1, 4]])


@pytest.mark.parametrize("parts", [1, 2])
def test_embedding_lookup_max_norm(parts):
    params = table_parts(parts, "mod")
    out = run(tf.nn.embedding_lookup(params, [[1, 2]], max_norm=1.0))
    for row, i in zip(out[0], [1, 2]):
        np.testing.assert_allclose(row, TABLE[i] / np.linalg.norm(TABLE[i]), rtol=1e-6)
    small = run(tf.nn.embedding_lookup(params, [1], max_norm=100.0))
    np.testing.assert_array_equal(small, TABLE[[1]])


def test_embedding_lookup_errors():
    parts = table_parts(2, "mod")
    with pytest.raises(ValueError, match="Unrecognized partition strategy: rows"):
        tf.nn.embedding_lookup(parts, [0], partition_strategy="rows")
    with pytest.raises(ValueError, match="Length of params is currently 0"):
        tf.nn.embedding_lookup([], [0])
    with pytest.raises(TypeError, match="ids must be int"):
        tf.nn.embedding_lookup(parts, [0.5])
    with pytest.raises(tf.errors.InvalidArgumentError, match="5 is not in"):
        run(tf.nn.embedding_lookup(parts, [0, 5]))
