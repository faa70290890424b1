"""tf.data datasets: elements, structures, static shapes and op types (values checked against
TF 1 graph mode with tfdiff)."""
import collections

import numpy as np
import pytest

import minitf as tf

D = tf.data.Dataset


def elements(ds, limit=50):
    nxt = ds.make_one_shot_iterator().get_next()
    out = []
    with tf.Session() as sess:
        try:
            for _ in range(limit):
                out.append(sess.run(nxt))
        except tf.errors.OutOfRangeError:
            pass
    return out


def ints(ds, limit=50):
    return [int(v) for v in elements(ds, limit)]


def test_range_is_int64_with_start_stop_step():
    ds = D.range(2, 11, 3)
    assert ds.output_types == tf.int64 and ds.output_shapes == tf.TensorShape([])
    assert ints(ds) == [2, 5, 8]
    assert ints(D.range(3, output_type=tf.int32)) == [0, 1, 2]


def test_from_tensor_slices_dict_batch_shapes_and_values():
    ds = D.from_tensor_slices({"a": [1, 2, 3], "b": [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]})
    assert ds.output_types == {"a": tf.int32, "b": tf.float32}
    ds = ds.batch(2)
    assert ds.output_shapes["a"].as_list() == [None]
    assert ds.output_shapes["b"].as_list() == [None, 2]
    got = elements(ds)
    assert len(got) == 2
    np.testing.assert_array_equal(got[0]["a"], np.array([1, 2], np.int32))
    np.testing.assert_array_equal(got[1]["b"], np.array([[5.0, 6.0]], np.float32))


def test_batch_drop_remainder_has_a_static_batch_dimension():
    ds = D.from_tensor_slices(np.arange(10)).batch(3, drop_remainder=True)
    assert ds.output_shapes.as_list() == [3]
    assert [v.tolist() for v in elements(ds)] == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    spec = D.range(3).batch(2, drop_remainder=True).element_spec
    assert spec.shape.as_list() == [2] and spec.dtype == tf.int64


def test_from_tensors_and_strings_as_object_arrays():
    (value,) = elements(D.from_tensors(([1, 2], "s")))
    assert value[0].tolist() == [1, 2] and value[1] == b"s"
    ds = D.from_tensor_slices([b"a", b"bc", b"d"]).map(lambda s: (s, tf.identity(s))).batch(2)
    got = elements(ds)
    assert got[0][0].dtype == object and got[0][0].tolist() == [b"a", b"bc"]
    assert got[1][1].tolist() == [b"d"]


def test_map_unpacks_tuples_and_makes_lists_tuples():
    assert ints(D.zip((D.range(3), D.range(10, 20))).map(lambda a, b: a + b)) == [10, 12, 14]
    ds = D.from_tensor_slices([[1, 2], [3, 4], [5, 6]]).map(lambda x: [x, x * 2])
    assert isinstance(ds.output_types, tuple)
    assert [v[1].tolist() for v in elements(ds)] == [[2, 4], [6, 8], [10, 12]]


def test_map_passes_a_namedtuple_whole():
    P = collections.namedtuple("P", "x y")
    assert ints(D.from_tensor_slices(P([1, 2], [3, 4])).map(lambda p: p.x + p.y)) == [4, 6]


def test_filter_take_skip_repeat_concatenate():
    assert ints(D.range(6).filter(lambda x: tf.equal(x % 2, 0))) == [0, 2, 4]
    assert ints(D.range(3).repeat(2).take(4).skip(1)) == [1, 2, 0]
    assert ints(D.range(3).concatenate(D.range(7, 9))) == [0, 1, 2, 7, 8]
    assert ints(D.range(4).cache().repeat(2)) == [0, 1, 2, 3, 0, 1, 2, 3]


def test_enumerate_zip_unbatch():
    assert [(int(a), int(b)) for a, b in elements(D.range(3).enumerate(5))] == [
        (5, 0), (6, 1), (7, 2)]
    assert ints(D.from_tensor_slices([[1, 2], [3, 4]]).unbatch()) == [1, 2, 3, 4]


def test_flat_map_and_interleave():
    assert ints(D.range(3).flat_map(lambda x: D.range(x))) == [0, 0, 1]
    ds = D.range(1, 4).interleave(lambda x: D.from_tensors(x).repeat(x), cycle_length=2,
                                  block_length=1)
    assert ints(ds) == [1, 2, 2, 3, 3, 3]


def test_padded_batch_pads_to_the_longest():
    ds = D.range(5).map(lambda x: tf.fill([tf.cast(x, tf.int32)], x)).padded_batch(
        2, padded_shapes=[None])
    assert ds.output_shapes.as_list() == [None, None]
    assert [v.tolist() for v in elements(ds)] == [[[0], [1]], [[2, 2, 0], [3, 3, 3]],
                                                  [[4, 4, 4, 4]]]


def test_reduce():
    total = D.range(5).reduce(np.int64(0), lambda s, x: s + x)
    assert total.name == "ReduceDataset:0"
    with tf.Session() as sess:
        assert sess.run(total) == 10


def test_from_generator_with_args():
    def gen(n):
        for i in range(n):
            yield i, [i] * i
    ds = D.from_generator(gen, (tf.int32, tf.float32),
                          (tf.TensorShape([]), tf.TensorShape([None])), args=(3,))
    assert ds.output_shapes[1].as_list() == [None]
    got = elements(ds)
    assert [int(a) for a, _ in got] == [0, 1, 2]
    assert got[2][1].dtype == np.float32 and got[2][1].tolist() == [2.0, 2.0]


@pytest.mark.parametrize("make, order", [
    (lambda: D.range(5).shuffle(10, seed=3), [4, 3, 2, 1, 0]),
    (lambda: D.range(5).shuffle(10, seed=3, reshuffle_each_iteration=False),
     [2, 4, 3, 0, 1]),
    (lambda: D.range(5).shuffle(10, seed=3, reshuffle_each_iteration=False).repeat(2),
     [2, 4, 3, 0, 1, 2, 4, 3, 0, 1]),
    (lambda: D.range(5).shuffle(10, seed=3).repeat(3),
     [4, 3, 2, 1, 0, 3, 4, 1, 2, 0, 3, 1, 0, 4, 2]),
    (lambda: D.range(10).shuffle(3, seed=7), [1, 2, 0, 3, 6, 4, 8, 5, 7, 9]),
    (lambda: D.range(8).shuffle(10, seed=3), [4, 2, 1, 0, 3, 6, 5, 7]),
])
def test_seeded_shuffle_order_is_tfs(make, order):
    assert ints(make()) == order


def test_shuffle_op_seeds_follow_the_graph_seed():
    tf.set_random_seed(5)
    assert ints(D.range(6).shuffle(4)) == [2, 0, 5, 1, 3, 4]
    # (TF's one-shot iterator above took an op seed too)
    assert ints(D.range(6).shuffle(4)) == [1, 3, 2, 4, 0, 5]


def test_dataset_op_types_and_names():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    ds = D.from_tensor_slices((x, tf.constant([1, 2, 3, 4, 5], tf.int64)))
    ds = ds.map(lambda a, b: (a * 2.0, b + 1), num_parallel_calls=2)
    ds = ds.shuffle(10, seed=3).repeat(2).batch(2).prefetch(1)
    types = [op.type for op in tf.get_default_graph().get_operations()
             if op.type.endswith(("Dataset", "DatasetV2"))]
    assert types == ["TensorSliceDataset", "ParallelMapDatasetV2", "ShuffleDataset",
                     "RepeatDataset", "BatchDatasetV2", "PrefetchDataset"]
    assert [s.as_list() for s in ds.output_shapes] == [[None, 3], [None]]
    assert ds.output_classes == (tf.Tensor, tf.Tensor)


def test_python_iteration_is_refused_in_graph_mode():
    with pytest.raises(RuntimeError, match="only supports Python-style iteration"):
        iter(D.range(3))


def test_from_tensor_slices_checks_ranks_and_first_dimensions():
    with pytest.raises(ValueError, match="Dimensions 3 and 2 are not compatible"):
        D.from_tensor_slices(([1, 2, 3], [1, 2]))
    with pytest.raises(ValueError, match=r"Unbatching a tensor is only supported for rank >= 1"):
        D.from_tensor_slices(3)


def test_dict_elements_pass_whole_and_zip_takes_dicts():
    ds = D.from_tensor_slices({"a": [1, 2], "b": [3.0, 4.0]}).map(
        lambda d: {"s": tf.cast(d["a"], tf.float32) + d["b"], "a": d["a"]})
    assert ds.output_types == {"s": tf.float32, "a": tf.int32}
    assert [(float(e["s"]), int(e["a"])) for e in elements(ds)] == [(4.0, 1), (6.0, 2)]
    got = elements(D.zip({"x": D.range(2), "y": D.range(5, 9)}))
    assert [(int(e["x"]), int(e["y"])) for e in got] == [(0, 5), (1, 6)]


def test_map_converts_python_values_and_shard():
    got = elements(D.range(2).map(lambda x: (x, 1.5, "k")))
    assert got[1][1].dtype == np.float32 and got[1][2] == b"k"
    assert D.range(3).map(lambda x: (x, 1.5, "k")).output_types == (tf.int64, tf.float32,
                                                                     tf.string)
    assert ints(D.range(4).shard(2, 1)) == [1, 3]


def test_text_line_dataset_reads_lines_plain_and_gzip(tmp_path):
    import gzip
    plain, packed = tmp_path / "a.txt", tmp_path / "b.txt.gz"
    plain.write_bytes(b"one\r\ntwo\n\nthree")
    with gzip.open(packed, "wb") as f:
        f.write(b"x\ny\n")
    ds = tf.data.TextLineDataset([str(plain)])
    assert ds.output_types == tf.string and ds.output_shapes == tf.TensorShape([])
    assert elements(ds) == [b"one", b"two", b"", b"three"]
    assert elements(tf.data.TextLineDataset(str(packed), compression_type="GZIP")) == [
        b"x", b"y"]


def test_datasets_are_made_in_graph_mode_only():
    with tf.eager_mode():
        with pytest.raises(RuntimeError, match="minitf's tf.data builds TF1 graphs"):
            D.range(3)


def test_from_generator_unknown_shapes_and_a_wrong_shape():
    def gen():
        yield [1, 2]
        yield [3]
    ds = D.from_generator(gen, tf.int32)
    assert ds.output_shapes.ndims is None
    assert [v.tolist() for v in elements(ds)] == [[1, 2], [3]]
    nxt = D.from_generator(gen, tf.int32, tf.TensorShape([2])).make_one_shot_iterator()
    nxt = nxt.get_next()
    with tf.Session() as sess:
        assert sess.run(nxt).tolist() == [1, 2]
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"TypeError: `generator` yielded an element of shape \(1,\) "
                                 r"where an element of shape \(2,\) was expected"):
            sess.run(nxt)


def test_empty_takes_skips_and_repeats():
    assert ints(D.range(4).take(0)) == []
    assert ints(D.range(3).skip(5)) == []
    assert ints(D.range(3).repeat(0)) == []
    assert ints(D.range(3).take(-1)) == [0, 1, 2]
    ds = D.range(1, 4).interleave(lambda x: D.from_tensors(x).repeat(x), cycle_length=2,
                                  block_length=2)
    assert ints(ds) == [1, 2, 2, 3, 3, 3]


def test_graph_time_errors_read_as_tfs():
    with pytest.raises(ValueError, match=r"`predicate` must return a `tf.bool` scalar tensor, "
                                         r"but its return type is TensorSpec\(shape=\(\), "
                                         r"dtype=tf.int64, name=None\)"):
        D.range(3).filter(lambda x: x)
    with pytest.raises(TypeError, match=r"Incompatible dataset elements:\n  TensorSpec\(shape="
                                        r"\(\), dtype=tf.int64, name=None\) vs.   TensorSpec"):
        D.range(3).concatenate(D.range(3).map(lambda x: tf.cast(x, tf.int32)))
    with pytest.raises(ValueError, match=r"The padded shape \(3, 4\) is not compatible with the "
                                         r"shape \(\?,\) of the corresponding input component"):
        D.range(3).batch(2).padded_batch(2, padded_shapes=[3, 4])


def test_padded_batch_with_shapes_and_values():
    ds = D.range(3).map(lambda x: tf.fill([tf.cast(x, tf.int32)], x))
    padded = ds.padded_batch(2, padded_shapes=[4], padding_values=tf.constant(-1, tf.int64))
    assert [v.tolist() for v in elements(padded)] == [[[-1, -1, -1, -1], [1, -1, -1, -1]],
                                                      [[2, 2, -1, -1]]]
    assert ds.padded_batch(2, padded_shapes=[4], drop_remainder=True).output_shapes == \
        tf.TensorShape([2, 4])


def test_experimental_transformations():
    E = tf.data.experimental
    assert ints(D.range(5).apply(E.shuffle_and_repeat(10, count=2, seed=3))) == [
        4, 3, 2, 1, 0, 3, 4, 1, 2, 0]
    got = elements(D.range(5).apply(E.map_and_batch(lambda x: x * 2, 2)))
    assert [v.tolist() for v in got] == [[0, 2], [4, 6], [8]]
    got = elements(D.range(5).apply(E.map_and_batch(lambda x: x * 2, 2, drop_remainder=True)))
    assert [v.tolist() for v in got] == [[0, 2], [4, 6]]
    assert ints(D.range(4).batch(2).apply(E.unbatch())) == [0, 1, 2, 3]


@pytest.mark.parametrize("n, drop, sizes", [
    (9, True, [3, 3, 3]), (9, False, [3, 3, 3]), (10, True, [3, 3, 3]), (10, False, [3, 3, 3, 1]),
    (2, True, []), (0, False, [])])
def test_batches_of_slices_and_of_mapped_elements_agree(n, drop, sizes):
    data = np.arange(n, dtype=np.int64)
    direct = elements(D.from_tensor_slices(data).batch(3, drop_remainder=drop))
    mapped = elements(D.from_tensor_slices(data).map(tf.identity).batch(3, drop_remainder=drop))
    assert [len(b) for b in direct] == [len(b) for b in mapped] == sizes
    assert [b.tolist() for b in direct] == [b.tolist() for b in mapped]
