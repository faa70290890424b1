"""Damaged and crafted checkpoint files fail as DataLossError, in bounded time and memory
(issue 15): bit flips and truncations of real files, and entries that claim more than the files
hold, on both readers (TF's bundles and minitf's .npz)."""
import io
import json
import os
import pathlib
import shutil
import struct
import time
import tracemalloc
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import minitf as tf
from minitf._pure.crc32c import crc32c, mask
from minitf.checkpoint import bundle, npz
from minitf.checkpoint.table import MAGIC
from minitf.checkpoint.wire import put_varint
from minitf.framework.errors import DataLossError, NotFoundError, UnimplementedError

import _tables

DATA = os.path.join(os.path.dirname(__file__), "data", "tf1-checkpoint")
EXPECTED = (DataLossError, NotFoundError, UnimplementedError)


def read_everything(reader):
    for name in reader.names():
        reader.dtype(name), reader.shape(name)
        try:
            reader.tensor(name)
        except UnimplementedError:
            pass


def survives(open_reader):
    """Opens and reads a whole checkpoint; True if it read, False if it failed as it must."""
    try:
        read_everything(open_reader())
        return True
    except EXPECTED:
        return False


def damage(path, flips, cut):
    """Flips bits of the file at `path` ((fraction of its length, bit mask) each), then cuts
    it at `cut` (a fraction of its length) unless that is None."""
    data = bytearray(path.read_bytes())
    for where, bits in flips:
        data[int(where * len(data))] ^= bits
    if cut is not None:
        del data[int(cut * len(data)):]
    path.write_bytes(bytes(data))


_FLIPS = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)),
                  min_size=1, max_size=4)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.sampled_from([".index", ".data-00000-of-00001"]), flips=_FLIPS,
       cut=st.none() | st.floats(0, 1))
def test_damaged_tf_checkpoints_fail_only_as_data_loss(tmp_path_factory, which, flips, cut):
    root = tmp_path_factory.mktemp("ckpt")
    for name in os.listdir(DATA):
        shutil.copy(os.path.join(DATA, name), root)
    damage(root / f"model.ckpt-100{which}", flips, cut)
    survives(lambda: bundle.BundleReader(str(root / "model.ckpt-100")))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=_FLIPS, cut=st.none() | st.floats(0, 1))
def test_damaged_npz_checkpoints_fail_only_as_data_loss(tmp_path_factory, flips, cut):
    prefix = str(tmp_path_factory.mktemp("npz") / "model")
    npz.write(prefix, {"a": (tf.float32, np.arange(12, dtype=np.float32).reshape(3, 4)),
                       "s": (tf.string, np.array([b"x", b"yz"], dtype=object))})
    damage(pathlib.Path(prefix + ".npz"), flips, cut)
    survives(lambda: npz.NpzReader(prefix))


# -- crafted files: valid checksums, impossible claims -------------------------------------------
def _field(number, kind, payload, out):
    put_varint(number << 3 | kind, out)
    if kind == 0:
        put_varint(payload, out)
    else:
        put_varint(len(payload), out)
        out += payload


def _entry(dtype=1, shape=(4,), offset=0, size=16, slices=()):
    dims = bytearray()
    for n in shape:
        dim = bytearray()
        _field(1, 0, n, dim)
        _field(2, 2, bytes(dim), dims)
    out = bytearray()
    _field(1, 0, dtype, out)
    _field(2, 2, bytes(dims), out)
    _field(4, 0, offset, out)
    _field(5, 0, size, out)
    for extents in slices:
        proto = bytearray()
        for start, length in extents:
            extent = bytearray()
            _field(1, 0, start, extent)
            if length is not None:
                _field(2, 0, length, extent)
            _field(1, 2, bytes(extent), proto)
        _field(7, 2, bytes(proto), out)
    return bytes(out)


def _checkpoint(root, entries, data=b"\x00" * 64):
    header = bytearray()
    _field(1, 0, 1, header)  # one shard
    table = _tables.table([(b"", bytes(header))] + sorted(entries))
    (root / "c.index").write_bytes(table)
    (root / "c.data-00000-of-00001").write_bytes(data)
    return str(root / "c")


def bounded(call, seconds=5.0, megabytes=64):
    """Runs `call`, which must raise DataLossError; checks the time and the memory it took."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(DataLossError) as caught:
            call()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.perf_counter() - start < seconds and peak < megabytes * 2**20
    return str(caught.value)


@pytest.mark.parametrize("entry, words", [
    (_entry(size=2**62), "ends before"), (_entry(size=2**34), "ends before"),
    (_entry(offset=2**40), "ends before"), (_entry(shape=(2**40,)), "bytes for"),
    (_entry(dtype=7, shape=(2**40,), size=64), "cannot hold"),  # strings
    (_entry(shape=(2**40, 2**20), size=0, slices=[[(0, 1), (0, None)]]),
     "more than its data files hold")])
def test_crafted_tf_entries_fail_fast_as_data_loss(tmp_path, entry, words):
    prefix = _checkpoint(tmp_path, [(b"t", entry)])
    assert words in bounded(lambda: bundle.BundleReader(prefix).tensor("t"))


def _table_listing_one_block(entries, times):
    """A table whose index lists its one data block `times` times (as a crafted file may)."""
    out = bytearray()

    def put(contents):
        handle = bytearray()
        put_varint(len(out), handle)
        put_varint(len(contents), handle)
        out.extend(contents + b"\x00")
        out.extend(struct.pack("<I", mask(crc32c(contents + b"\x00"))))
        return bytes(handle)
    data = put(_tables.block(entries))
    meta = put(_tables.block([]))
    footer = bytearray(meta + put(_tables.block([(entries[-1][0], data)] * times, 1)))
    return bytes(out + footer + b"\x00" * (40 - len(footer)) + struct.pack("<Q", MAGIC))


def test_an_index_that_lists_a_block_twice_is_data_loss(tmp_path):
    entries = [(b"", b"\x08\x01")] + [(b"k%04d" % i, _entry()) for i in range(200)]
    (tmp_path / "c.index").write_bytes(_table_listing_one_block(entries, 1))
    (tmp_path / "c.data-00000-of-00001").write_bytes(bytes(64))
    assert len(bundle.BundleReader(str(tmp_path / "c")).names()) == 200
    (tmp_path / "c.index").write_bytes(_table_listing_one_block(entries, 5000))
    assert "lists the block at offset 0 twice" in bounded(
        lambda: bundle.BundleReader(str(tmp_path / "c")), seconds=1.0)


def test_an_index_whose_keys_go_back_is_data_loss(tmp_path):
    entries = [(b"", b"\x08\x01"), (b"b", _entry()), (b"a", _entry())]
    (tmp_path / "c.index").write_bytes(_tables.table(entries))
    (tmp_path / "c.data-00000-of-00001").write_bytes(bytes(64))
    assert "out of order" in bounded(lambda: bundle.BundleReader(str(tmp_path / "c")))


def _npz_with(member, payload, compress):
    out = io.BytesIO()
    manifest = np.frombuffer(b'{"format": "minitf-checkpoint-1", "tensors": [{"name": "a", '
                             b'"dtype": "float32", "shape": [4]}]}', np.uint8)
    with zipfile.ZipFile(out, "w") as z:
        buf = io.BytesIO()
        np.lib.format.write_array(buf, manifest)
        z.writestr("manifest.npy", buf.getvalue())
        z.writestr(member, payload, zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED)
    return out.getvalue()


def test_an_npz_zip_bomb_is_data_loss_before_it_inflates(tmp_path):
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False,
                                                  "shape": (2**28,)})
    bomb = header.getvalue() + bytes(2**30)  # 1 GiB of zeros deflates to about 1 MB
    (tmp_path / "m.npz").write_bytes(_npz_with("t0.npy", bomb, compress=True))
    assert "compressed member" in bounded(lambda: npz.NpzReader(str(tmp_path / "m")).tensor("a"))


def test_an_npz_header_claiming_more_than_its_member_is_data_loss(tmp_path):
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False,
                                                  "shape": (2**40,)})
    (tmp_path / "m.npz").write_bytes(_npz_with("t0.npy", header.getvalue() + bytes(16), False))
    assert "more than it holds" in bounded(
        lambda: npz.NpzReader(str(tmp_path / "m")).tensor("a"))


def test_a_damaged_checkpoint_names_the_file_and_keeps_variables_unchanged(tmp_path):
    v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, str(tmp_path / "m"))
        file = pathlib.Path(path + ".npz")
        data = bytearray(file.read_bytes())
        data[len(data) // 2] ^= 0xFF
        file.write_bytes(bytes(data))
        sess.run(v.assign([5.0, 6.0]))
        with pytest.raises(DataLossError, match=str(tmp_path)):
            saver.restore(sess, path)
        assert sess.run(v).tolist() == [5.0, 6.0]


@pytest.mark.parametrize("extents", [
    [[(0, 2)], [(2, 4)]],  # past the end of the dimension (numpy would clip it)
    [[(0, 2), (0, None)], [(2, 2), (0, None)]],  # more dimensions than the tensor
    [[(0, 2)], [(2, None)]]])  # a whole dimension that does not start at 0
def test_slices_outside_their_tensor_are_data_loss(tmp_path, extents):
    # each part holds 2 floats, as the first extent says: only the extents are wrong
    parts = [(bundle.encode_slice_key("t", e, (4,)), _entry(shape=(2,), offset=8 * i, size=8))
             for i, e in enumerate(extents)]
    prefix = _checkpoint(tmp_path, [(b"t", _entry(shape=(4,), size=0, slices=extents))] + parts)
    assert "slice of t" in bounded(lambda: bundle.BundleReader(prefix).tensor("t"))


@pytest.mark.parametrize("shape", [["a", "b", "c"], [3.5], [-1], [True], [[3]], "abc", None])
def test_an_npz_manifest_shape_that_is_not_dimensions_is_data_loss(tmp_path, shape):
    manifest = json.dumps({"format": "minitf-checkpoint-1", "tensors": [
        {"name": "a", "dtype": "float32", "shape": shape}]}).encode()
    np.savez(tmp_path / "m.npz", manifest=np.frombuffer(manifest, np.uint8),
             t0=np.zeros(3, np.float32))
    with pytest.raises(DataLossError, match=r"m\.npz: .*has shape"):
        tf.train.NewCheckpointReader(str(tmp_path / "m"))
