"""TF-format checkpoints written by minitf (issue 20): the table writer, the bundle writer,
`Saver(write_version=tf.train.SaverDef.V2, sharded=...)` and `tf.train.SaverDef`.

Byte for byte against checkpoints TensorFlow 2.21 wrote (tests/data and the literals here);
TensorFlow itself restoring minitf's checkpoints is checked by
tests/data/tf_restores_minitf_checkpoint.py, run by hand.
"""
import json
import os

import numpy as np
import pytest

import minitf as tf
from minitf.checkpoint import bundle, bundle_writer, table, table_writer
from minitf.checkpoint.bundle import BundleReader, encode_slice_key

DATA = os.path.join(os.path.dirname(__file__), "data")
V2 = tf.train.SaverDef.V2

# TF 2.21's Saver().save of v = float32 [1, 2], s = [b"ab", b""] and p/e = 1.5 * ones([3, 1])
# partitioned in 2 (fixed_size_partitioner(2)): its .index and .data-00000-of-00001.
TINY_INDEX = (
    b'\x00\x00\x06\x08\x01\x1a\x02\x08\x01\x00\x0c\x13\x00p/e\x00\x01\x01\x02\x80\x82\x80\x81'
    b'\x08\x01\x12\x08\x12\x02\x08\x02\x12\x02\x08\x01(\x085\x0f\x06\x9f/\x08\x04\x15\x82\x81'
    b'\x80\x81\x08\x01\x12\x08\x12\x02\x08\x01\x12\x02\x08\x01 \x08(\x045^/\xe1\xa7\x00\x03"p/e'
    b'\x08\x01\x12\x08\x12\x02\x08\x03\x12\x02\x08\x01:\x08\n\x02\x10\x02\n\x02\x10\x01:\n\n\x04'
    b'\x08\x02\x10\x01\n\x02\x10\x01\x00\x01\x11s\x08\x07\x12\x04\x12\x02\x08\x02 \x0c(\x085\x91'
    b'\x88\xb0M\x00\x01\x11v\x08\x01\x12\x04\x12\x02\x08\x02 \x14(\x085Y<\xe55\x00\x00\x00\x00'
    b'\x01\x00\x00\x00\x00\xb1|\xe5\xa7\x00\x00\x00\x00\x01\x00\x00\x00\x00\xc0\xf2\xa1\xb0\x00'
    b'\x01\x03w\x00\xa1\x01\x00\x00\x00\x00\x01\x00\x00\x00\x00\xa5\xe0I\x9b\xa6\x01\x08\xb3\x01'
    b'\x0f' + bytes(34) + b'W\xfb\x80\x8b$uG\xdb')
TINY_DATA = b"\x00\x00\xc0?\x00\x00\xc0?\x00\x00\xc0?\x02\x00x'\x0b4ab\x00\x00\x80?\x00\x00\x00@"


def _files(directory):
    return sorted(os.listdir(directory))


def _read(path):
    with open(path, "rb") as f:
        return f.read()


# -- the table writer ------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["tf1-checkpoint/model.ckpt-100.index",
                                  "tf1-dtypes/model.ckpt.index",
                                  "tf1-large-index/model.ckpt.index"])  # several data blocks
def test_table_writer_rebuilds_tensorflows_index_tables_byte_for_byte(path):
    data = _read(os.path.join(DATA, path))
    entries = [(bytes(k), bytes(v)) for k, v in table.entries(data, path)]
    assert table_writer.build(entries) == data


def test_table_writer_blocks_separators_and_reading_back():
    entries = [(b"k%04d" % i + b"x" * 40, bytes([i % 256]) * 30) for i in range(300)]
    data = table_writer.build(entries, block_size=1024)
    assert [(bytes(k), bytes(v)) for k, v in table.entries(data, "t")] == entries
    assert table_writer._separator(b"abcd", b"abzz") == b"abd"
    assert table_writer._separator(b"ab", b"abc") == b"ab"  # a prefix: kept
    assert table_writer._separator(b"abc", b"abd") == b"abc"  # no room between c and d
    assert table_writer._successor(b"ab") == b"b" and table_writer._successor(b"\xff\xff") == (
        b"\xff\xff")
    empty = table_writer.build([])
    assert list(table.entries(empty, "t")) == [] and len(empty) == 2 * 13 + 48
    with pytest.raises(ValueError, match="keys must increase"):
        table_writer.build([(b"b", b""), (b"a", b"")])


# -- the bundle writer, against TensorFlow's bytes -------------------------------------------------
def _items(reader):
    """A TF checkpoint's tensors as bundle_writer.write takes them, in TF's order."""
    items = []
    for name in reader.names():
        entry, full = reader.entry(name), reader.tensor(name)
        for extents in sorted(entry["slices"]) or [None]:
            if extents is None:
                items.append((name, reader.dtype(name), full, None))
            else:
                index = tuple(slice(s, s + n) for s, n in extents)
                items.append((name, reader.dtype(name), full[index],
                              (entry["shape"], [s for s, _ in extents])))
    return items


@pytest.mark.parametrize("fixture, prefix", [("tf1-checkpoint", "model.ckpt-100"),
                                             ("tf1-large-index", "model.ckpt")])
def test_bundle_writer_writes_tensorflows_bytes(tmp_path, fixture, prefix):
    source = os.path.join(DATA, fixture, prefix)
    paths = bundle_writer.write(str(tmp_path / "m"), [_items(BundleReader(source))])
    assert paths == [str(tmp_path / "m.data-00000-of-00001"), str(tmp_path / "m.index")]
    for suffix in (".index", ".data-00000-of-00001"):
        assert _read(str(tmp_path / "m") + suffix) == _read(source + suffix)
    assert _files(tmp_path) == ["m.data-00000-of-00001", "m.index"]  # no temporaries left


def test_saver_v2_writes_the_bytes_tensorflows_saver_writes(tmp_path):
    v = tf.Variable(np.array([1.0, 2.0], np.float32), name="v")
    s = tf.Variable(np.array([b"ab", b""], object), name="s")
    with tf.variable_scope("p"):
        e = tf.get_variable("e", [3, 1], initializer=tf.constant_initializer(1.5),
                            partitioner=tf.fixed_size_partitioner(2))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver(write_version=V2).save(sess, str(tmp_path / "t"))
    assert _read(path + ".index") == TINY_INDEX
    assert _read(path + ".data-00000-of-00001") == TINY_DATA
    assert (v.name, s.name, len(list(e))) == ("v:0", "s:0", 2)


def test_bundle_entries_header_slices_and_string_layout(tmp_path):
    with open(tmp_path / "t.index", "wb") as f:
        f.write(TINY_INDEX)
    with open(tmp_path / "t.data-00000-of-00001", "wb") as f:
        f.write(TINY_DATA)
    reader = BundleReader(str(tmp_path / "t"))
    assert reader.names() == ["p/e", "s", "v"]
    full = reader.entry("p/e")  # the full entry: shape and slices, no data
    assert (full["shape"], full["slices"], full["size"]) == ((3, 1), [((0, 2), (0, 1)),
                                                                      ((2, 1), (0, 1))], 0)
    part = reader.entry(encode_slice_key("p/e", ((2, 1), (0, 1)), (3, 1)))
    assert (part["shape"], part["offset"], part["size"]) == ((1, 1), 8, 4)
    # a string tensor: varint lengths 2 and 0, their masked CRC-32C, then the bytes
    strings = reader.entry("s")
    assert (strings["dtype"], strings["offset"], strings["size"]) == (7, 12, 8)
    assert TINY_DATA[12:20] == b"\x02\x00x'\x0b4ab"
    assert reader.tensor("s").tolist() == [b"ab", b""]


# -- Saver(write_version=V2): every dtype restores -------------------------------------------------
VALUES = {
    "f16": np.array([1.5, -0.0, np.inf], np.float16),
    "f32": np.array([[np.nan, -0.0], [3.25, -np.inf]], np.float32),
    "f64": np.array([np.pi, 1e-310]), "i8": np.array([-128, 127], np.int8),
    "i16": np.array([-32768, 32767], np.int16), "i32": np.array([-(2 ** 31), 7], np.int32),
    "i64": np.array([-(2 ** 63), 2 ** 62]), "u8": np.array([0, 255], np.uint8),
    "u16": np.array([0, 65535], np.uint16), "b": np.array([[True, False]]),
    "c64": np.array([1 + 2j, -0.5j], np.complex64), "c128": np.array([1e300 - 1j]),
    "s": np.array([[b"", b"\x00\xff"], ["ünï".encode(), b"x" * 300]], object),
    "scalar": np.float32(2.5), "empty": np.zeros([0, 3], np.float32),
    "empty_s": np.zeros([0], object),
}


def _bits(value):
    value = np.asarray(value)
    return value.tolist() if value.dtype == object else (value.dtype, value.tobytes())


def test_saver_v2_restores_every_dtype_bit_for_bit(tmp_path):
    made = {name: tf.Variable(value, name=name) for name, value in VALUES.items()}
    saver = tf.train.Saver(write_version=V2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, str(tmp_path / "model.ckpt"), global_step=3)
        for name, var in made.items():
            var.load(np.zeros_like(VALUES[name]) if VALUES[name].dtype != object
                     else np.full(VALUES[name].shape, b"?", object), sess)
        saver.restore(sess, path)
        for name, var in made.items():
            assert _bits(sess.run(var)) == _bits(VALUES[name]), name
    assert _files(tmp_path) == ["checkpoint", "model.ckpt-3.data-00000-of-00001",
                                "model.ckpt-3.index", "model.ckpt-3.meta"]
    assert tf.train.list_variables(path) == sorted((k, list(np.shape(v)))
                                                   for k, v in VALUES.items())
    reader = tf.train.NewCheckpointReader(path)
    assert _bits(reader.get_tensor("c128")) == _bits(VALUES["c128"])


def _partitioned(parts):
    with tf.variable_scope("m", reuse=tf.AUTO_REUSE):
        return tf.get_variable("emb", [10, 3], initializer=tf.zeros_initializer(),
                               partitioner=parts and tf.fixed_size_partitioner(parts))


def test_a_partitioned_variable_is_written_as_slices_and_restores_into_other_parts(tmp_path):
    full = np.arange(30, dtype=np.float32).reshape(10, 3)
    with tf.Graph().as_default():
        emb = _partitioned(3)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for part in emb:
                start = part._save_slice_info.var_offset[0]
                part.load(full[start:start + part.shape.as_list()[0]], sess)
            path = tf.train.Saver(write_version=V2).save(sess, str(tmp_path / "p"))
    reader = BundleReader(path)
    assert reader.entry("m/emb")["slices"] == [((0, 4), (0, 3)), ((4, 3), (0, 3)),
                                               ((7, 3), (0, 3))]
    assert reader.entry(encode_slice_key("m/emb", ((4, 3), (0, 3)), (10, 3)))["shape"] == (3, 3)
    for parts in (2, None):
        with tf.Graph().as_default():
            emb = _partitioned(parts)
            with tf.Session() as sess:
                tf.train.Saver().restore(sess, path)
                value = sess.run(tf.concat(list(emb), 0) if parts else emb)
        np.testing.assert_array_equal(value, full)


def test_one_part_covering_the_whole_variable_is_written_whole(tmp_path):
    emb = _partitioned(1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver(emb, write_version=V2).save(sess, str(tmp_path / "p"))
    reader = BundleReader(path)
    assert reader.entry("m/emb")["slices"] == [] and reader.entry("m/emb")["size"] == 120


# -- sharding --------------------------------------------------------------------------------------
def test_sharded_writes_one_data_file_per_device_and_merges_the_index(tmp_path):
    with tf.device("/cpu:1"):
        b = tf.Variable([3.0], name="b")
    with tf.device("/cpu:0"):
        a = tf.Variable([1.0, 2.0], name="a")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver(write_version=V2, sharded=True).save(sess, str(tmp_path / "s"))
        one = tf.train.Saver([a], write_version=V2, sharded=True).save(sess, str(tmp_path / "o"))
        plain = tf.train.Saver([a], write_version=V2).save(sess, str(tmp_path / "n"))
        a.load([0.0, 0.0], sess)
        b.load([0.0], sess)
        tf.train.Saver().restore(sess, path)
        assert sess.run([a, b])[0].tolist() == [1.0, 2.0] and sess.run(b).tolist() == [3.0]
    assert _files(tmp_path) == ["checkpoint", "n.data-00000-of-00001", "n.index", "n.meta",
                                "o.data-00000-of-00001", "o.index", "o.meta",
                                "s.data-00000-of-00002", "s.data-00001-of-00002", "s.index",
                                "s.meta"]
    reader = BundleReader(path)
    assert reader._shards == 2
    assert (reader.entry("a")["shard_id"], reader.entry("b")["shard_id"]) == (0, 1)
    assert reader.entry("b")["offset"] == 0  # each data file starts at 0
    for suffix in (".index", ".data-00000-of-00001"):  # one device: the unsharded files
        assert _read(one + suffix) == _read(plain + suffix)


def test_sharded_groups_unplaced_variables_apart_from_placed_ones(tmp_path):
    # as TF 1 does: a variable with no device and one on /cpu:0 are two devices, two shards
    tf.Variable(1.0, name="a")
    with tf.device("/cpu:0"):
        tf.Variable(2.0, name="b")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver(write_version=V2, sharded=True).save(sess, str(tmp_path / "s"))
    reader = BundleReader(path)
    assert (reader.entry("a")["shard_id"], reader.entry("b")["shard_id"]) == (0, 1)


# -- atomic writes, deletion -----------------------------------------------------------------------
def test_a_failed_write_leaves_nothing_and_an_overwrite_replaces_everything(tmp_path, monkeypatch):
    prefix = str(tmp_path / "m")
    good = [("a", tf.float32, np.ones(2, np.float32), None)]
    bundle_writer.write(prefix, [good, good[:0] + [("b", tf.int32, np.int32(1), None)]])
    assert _files(tmp_path) == ["m.data-00000-of-00002", "m.data-00001-of-00002", "m.index"]
    with pytest.raises(tf.errors.UnimplementedError, match="cannot write tensors of dtype "
                       "resource"):
        bundle_writer.write(prefix, [good + [("r", tf.resource, np.zeros(1), None)]])
    assert _files(tmp_path) == ["m.data-00000-of-00002", "m.data-00001-of-00002", "m.index"]
    assert BundleReader(prefix).names() == ["a", "b"]  # the old checkpoint, whole

    def broken(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr(bundle_writer.os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        bundle_writer.write(prefix, [good])
    assert not bundle.exists(prefix)  # never a mix of old and new files
    monkeypatch.undo()
    bundle_writer.write(prefix, [good])
    assert _files(tmp_path) == ["m.data-00000-of-00001", "m.index"]  # 2-shard files gone
    assert BundleReader(prefix).tensor("a").tolist() == [1.0, 1.0]


def test_duplicate_names_are_refused(tmp_path):
    item = ("a", tf.float32, np.ones(2, np.float32), None)
    with pytest.raises(ValueError, match="duplicate key"):
        bundle_writer.write(str(tmp_path / "m"), [[item, item]])
    assert _files(tmp_path) == []


def test_max_to_keep_deletes_old_tf_format_checkpoints(tmp_path):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver(write_version=V2, max_to_keep=1)
    with tf.Session() as sess:
        sess.run(v.initializer)
        for step in (1, 2):
            saver.save(sess, str(tmp_path / "m"), global_step=step)
    assert _files(tmp_path) == ["checkpoint", "m-2.data-00000-of-00001", "m-2.index",
                                "m-2.meta"]


# -- SaverDef --------------------------------------------------------------------------------------
def test_saver_def_message_has_tensorflows_fields_and_bytes():
    d = tf.train.SaverDef(filename_tensor_name="save/Const:0",
                          save_tensor_name="save/control_dependency:0",
                          restore_op_name="save/restore_all", max_to_keep=5, sharded=True,
                          keep_checkpoint_every_n_hours=10000.0, version=tf.train.SaverDef.V2)
    assert d.SerializeToString() == (  # TF 2.21's saver_pb2.SaverDef bytes
        b"\n\x0csave/Const:0\x12\x19save/control_dependency:0\x1a\x10save/restore_all \x05"
        b"(\x015\x00@\x1cF8\x02")
    assert (tf.train.SaverDef.LEGACY, tf.train.SaverDef.V1, tf.train.SaverDef.V2) == (0, 1, 2)
    assert tf.train.SaverDef.CheckpointFormatVersion.Name(2) == "V2"
    assert tf.train.SaverDef.FromString(d.SerializeToString()) == d
    assert tf.train.SaverDef.DESCRIPTOR.full_name == "tensorflow.SaverDef"


def test_saver_def_property_names_the_save_scope_as_tensorflow_does():
    tf.Variable(1.0, name="v")
    first, second = tf.train.Saver(), tf.train.Saver(sharded=True, max_to_keep=3)
    assert str(first.as_saver_def()) == (
        'filename_tensor_name: "save/Const:0"\nsave_tensor_name: "save/control_dependency:0"\n'
        'restore_op_name: "save/restore_all"\nmax_to_keep: 5\n'
        'keep_checkpoint_every_n_hours: 10000\nversion: V2\n')
    d = second.saver_def
    assert (d.filename_tensor_name, d.save_tensor_name, d.restore_op_name, d.max_to_keep,
            d.sharded) == ("save_1/Const:0", "save_1/Identity:0", "save_1/restore_all", 3, True)


@pytest.mark.parametrize("version", [tf.train.SaverDef.V1, tf.train.SaverDef.LEGACY, 7])
def test_write_versions_minitf_cannot_write_are_refused(version):
    tf.Variable(1.0, name="v")
    with pytest.raises(ValueError, match="write_version"):
        tf.train.Saver(write_version=version)


def test_the_default_format_stays_npz(tmp_path):
    v = tf.Variable(1.0, name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        tf.train.Saver().save(sess, str(tmp_path / "m"))
    assert _files(tmp_path) == ["checkpoint", "m.meta", "m.npz"]


def test_tf1_fixture_expected_values_come_back_from_a_rewrite(tmp_path):
    source = os.path.join(DATA, "tf1-checkpoint", "model.ckpt-100")
    with open(os.path.join(DATA, "tf1-checkpoint", "expected.json")) as f:
        expected = json.load(f)["variables"]
    bundle_writer.write(str(tmp_path / "m"), [_items(BundleReader(source))])
    got = BundleReader(str(tmp_path / "m")).tensor("model/embedding")
    np.testing.assert_array_equal(got, np.asarray(expected["model/embedding (full)"]))


def test_a_name_saved_whole_and_in_slices_is_refused(tmp_path):
    whole = ("a", tf.float32, np.ones([2, 2], np.float32), None)
    part = ("a", tf.float32, np.ones([1, 2], np.float32), ((2, 2), (0, 0)))
    for items in ([whole, part], [part, whole]):
        with pytest.raises(ValueError, match="duplicate key"):
            bundle_writer.write(str(tmp_path / "m"), [items])
    assert _files(tmp_path) == []
