"""TF's checkpoint ops (minitf/ops/io_ops.py): SaveV2, RestoreV2, ShardedFilename(spec),
MergeV2Checkpoints, StringJoin and StaticRegexFullMatch, with the values and errors TF's raw ops
give (checked under the reference TF by hand; literals here)."""
import os

import numpy as np
import pytest

import minitf as tf
from minitf.checkpoint import bundle
from minitf.ops import io_ops


def _run(x):
    with tf.Session() as sess:
        return sess.run(x)


def test_save_and_restore_whole_tensors_slices_and_strings(tmp_path):
    prefix = str(tmp_path / "sub" / "m")  # (the directory is made, as TF's BundleWriter does)
    with tf.Graph().as_default():
        save = io_ops.save_v2(prefix, ["a", "b", "s"], ["", "4 2 2,2:-", ""],
                              [tf.constant([1.0, 2.0]), tf.ones([2, 2]),
                               tf.constant([b"x", b"yz"])])
        assert save.type == "SaveV2" and save.outputs == []
        assert [t.name for t in save.inputs[:3]] == [
            "SaveV2/prefix:0", "SaveV2/tensor_names:0", "SaveV2/shape_and_slices:0"]
        _run(save)
    assert sorted(os.listdir(tmp_path / "sub")) == ["m.data-00000-of-00001", "m.index"]
    reader = bundle.BundleReader(prefix)
    assert reader.names() == ["a", "b", "s"] and tuple(reader.shape("b")) == (4, 2)
    with tf.Graph().as_default():
        b_rows, a, s = io_ops.restore_v2(prefix, ["b", "a", "s"], ["4 2 2,1:0,2", "", ""],
                                         [tf.float32, tf.float32, tf.string])
        assert (b_rows.shape.as_list(), a.shape.dims, b_rows.op.name) == ([1, 2], None,
                                                                         "RestoreV2")
        values = _run([b_rows, a, s])
    np.testing.assert_array_equal(values[0], [[1.0, 1.0]])
    np.testing.assert_array_equal(values[1], [1.0, 2.0])
    assert values[2].tolist() == [b"x", b"yz"]


@pytest.mark.global_graph  # (it turns eager on)
def test_the_ops_run_eagerly(tmp_path, eager):
    base = str(tmp_path / "part")
    part = io_ops._sharded_filename.apply([base, 0, 1])
    io_ops.save_v2(part, ["a"], [""], [tf.constant([[1, 2]], tf.int64)])
    io_ops._merge.apply([tf.stack([part]), str(tmp_path / "m")])
    restored, = io_ops.restore_v2(str(tmp_path / "m"), ["a"], [""], [tf.int64])
    np.testing.assert_array_equal(restored.numpy(), [[1, 2]])
    assert io_ops._sharded_filespec.apply([base, 1]).numpy() == f"{base}-?????-of-00001".encode()
    joined = io_ops._string_join.apply([tf.constant("a"), tf.constant("b")], separator="/")
    assert joined.numpy() == b"a/b"
    assert io_ops._static_regex_full_match.apply([tf.constant("ab")], pattern="a.").numpy()


@pytest.mark.parametrize("names, specs, dtypes, error, message", [
    (["zz"], [""], [tf.float32], tf.errors.NotFoundError, "Key zz not found in checkpoint"),
    (["a"], [""], [tf.int32], tf.errors.InvalidArgumentError,
     "expected dtype int32 does not equal original dtype float"),
    (["a"], ["3 0,2"], [tf.float32], tf.errors.InvalidArgumentError,
     "does not match the shape stored in checkpoint"),
])
def test_restore_errors_are_tfs(tmp_path, names, specs, dtypes, error, message):
    prefix = str(tmp_path / "m")
    with tf.Graph().as_default():
        _run(io_ops.save_v2(prefix, ["a"], [""], [tf.constant([1.0, 2.0])]))
        with pytest.raises(error, match=message):
            _run(io_ops.restore_v2(prefix, names, specs, dtypes))


def test_a_bad_constant_spec_is_refused_when_built():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="shape_and_slice specification 'junk'"):
            io_ops.restore_v2("m", ["a"], ["junk"], [tf.float32])


def test_sharded_filenames_and_merging_parts_into_one_checkpoint(tmp_path):
    base = str(tmp_path / "m_temp" / "part")
    with tf.Graph().as_default():
        parts = [io_ops._sharded_filename.apply([base, i, 2]) for i in range(2)]
        spec = io_ops._sharded_filespec.apply([base, 2])
        saves = [io_ops.save_v2(parts[0], ["a"], [""], [tf.constant([1.0, 2.0])]),
                 io_ops.save_v2(parts[1], ["b", "b"], ["4 1 0,2:-", "4 1 2,2:-"],
                                [tf.constant([[1.0], [2.0]]), tf.constant([[3.0], [4.0]])])]
        with tf.control_dependencies(saves):
            merge = io_ops._merge.apply([tf.stack(parts), str(tmp_path / "m")])
        with tf.Session() as sess:
            names = sess.run(parts + [spec])
            sess.run(merge)
    assert names == [f"{base}-00000-of-00002".encode(), f"{base}-00001-of-00002".encode(),
                     f"{base}-?????-of-00002".encode()]
    assert sorted(os.listdir(tmp_path)) == ["m.data-00000-of-00002", "m.data-00001-of-00002",
                                            "m.index"]  # the parts' directory is gone
    reader = bundle.BundleReader(str(tmp_path / "m"))
    np.testing.assert_array_equal(reader.tensor("b"), [[1.0], [2.0], [3.0], [4.0]])
    assert reader.entry("a")["shard_id"] == 0


def test_string_join_and_static_regex_full_match():
    with tf.Graph().as_default():
        joined = io_ops._string_join.apply([tf.constant(["a", "b"]), tf.constant("c"),
                                            tf.constant(["d", "e"])], separator="-")
        match = io_ops._static_regex_full_match.apply(
            [tf.constant(["x.part", "s3://y", "gs://z"])], pattern="^s3://.*")
        assert joined.shape.as_list() == [2] and match.dtype == tf.bool
        values = _run([joined, match])
    assert values[0].tolist() == [b"a-c-d", b"b-c-e"]
    assert values[1].tolist() == [False, True, False]


def test_string_feeds_become_bytes():
    with tf.Graph().as_default():
        p = tf.placeholder(tf.string, [None])
        with tf.Session() as sess:
            assert sess.run(p, {p: ["ab", "é"]}).tolist() == [b"ab", "é".encode()]
            with pytest.raises(ValueError, match="dtype int64 .* which has dtype string"):
                sess.run(p, {p: [1, 2]})
