"""The checkpoint readers' layers: CRC-32C, protobuf wire format, Snappy, LevelDB tables,
OrderedCode slice keys, and TensorFlow bundles written by TensorFlow 2.21 (tests/data)."""
import base64
import json
import os
import random
import shutil
import struct

import numpy as np
import pytest

import minitf as tf
from minitf.checkpoint import bundle, snappy, table, wire
from minitf.checkpoint.bundle import BundleReader, encode_slice_key

import _tables
from test_kernels import _load

DATA = os.path.join(os.path.dirname(__file__), "data")


@pytest.fixture(params=["cython", "python"])
def crc(request):
    return _load(request.param, "crc32c")


# -- CRC-32C ---------------------------------------------------------------------------------------
def test_crc32c_check_values(crc):
    assert crc.crc32c(b"123456789") == 0xE3069283  # the standard check value
    assert crc.crc32c(b"") == 0 and crc.crc32c(bytes(32)) == 0x8A9136AA
    assert crc.crc32c(bytes(range(32))) == 0x46DD794E  # RFC 3720's test vectors
    assert crc.extend(crc.crc32c(b"12345"), b"6789") == 0xE3069283


@pytest.mark.parametrize("call, error, words", [
    (lambda c: c.crc32c(None), TypeError, "must not be None"),  # the compiled once returned 0
    (lambda c: c.extend(-1, b"x"), ValueError, r"crc must be in \[0, 2\*\*32\), not -1"),
    (lambda c: c.extend(2**32, b"x"), ValueError, "not 4294967296"),
    (lambda c: c.extend(1.5, b"x"), TypeError, "crc must be an int, not float"),
    (lambda c: c.mask(-1), ValueError, "crc must be in"),
    (lambda c: c.unmask("1"), TypeError, "masked must be an int, not str")])
def test_crc32c_twins_refuse_bad_arguments_alike(crc, call, error, words):
    with pytest.raises(error, match=words):
        call(crc)
    assert crc.extend(np.uint32(0), b"123456789") == 0xE3069283  # NumPy ints are ints


def test_crc32c_twins_agree_on_every_length():
    cy, py = _load("cython", "crc32c"), _load("python", "crc32c")
    rng = random.Random(3)
    for n in list(range(40)) + [1000, 4099]:
        data = bytes(rng.getrandbits(8) for _ in range(n))
        assert cy.crc32c(data) == py.crc32c(data), n
        assert cy.crc32c(memoryview(data)) == py.crc32c(np.frombuffer(data, np.uint8))


def test_mask_is_leveldbs_and_unmask_inverts_it(crc):
    c = crc.crc32c(b"foo")
    assert crc.mask(c) == ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF
    assert crc.mask(c) != c and crc.unmask(crc.mask(c)) == c
    assert crc.unmask(crc.mask(0xFFFFFFFF)) == 0xFFFFFFFF


# -- protobuf wire format --------------------------------------------------------------------------
def test_varints_round_trip_and_truncation_is_data_loss():
    for value in (0, 1, 127, 128, 300, 2 ** 35, 2 ** 64 - 1):
        out = bytearray()
        wire.put_varint(value, out)
        assert wire.varint(bytes(out) + b"zz", 0) == (value, len(out))
    with pytest.raises(tf.errors.DataLossError, match="varint"):
        wire.varint(b"\x80\x80", 0)


def test_entry_message_with_every_field():
    # dtype 1, shape [3, 4], shard 2, offset 300, size 48, crc fixed32, one slice [1:+2, full]
    dim = lambda n: b"\x12" + bytes([2]) + b"\x08" + bytes([n])  # noqa: E731
    shape = dim(3) + dim(4)
    extent = b"\x0a\x04\x08\x01\x10\x02" + b"\x0a\x00"
    msg = (b"\x08\x01" + b"\x12" + bytes([len(shape)]) + shape + b"\x18\x02" + b"\x20\xac\x02"
           + b"\x28\x30" + b"\x35" + struct.pack("<I", 0xDEADBEEF)
           + b"\x3a" + bytes([len(extent)]) + extent)
    assert wire.entry(msg) == {"dtype": 1, "shape": (3, 4), "shard_id": 2, "offset": 300,
                               "size": 48, "crc32c": 0xDEADBEEF, "slices": [((1, 2), (0, None))]}
    with pytest.raises(tf.errors.DataLossError, match="Truncated"):
        wire.entry(msg[:-3])


# -- Snappy ----------------------------------------------------------------------------------------
def test_snappy_decodes_what_the_snappy_library_wrote():
    with open(os.path.join(DATA, "snappy_vectors.json")) as f:
        vectors = json.load(f)["vectors"]
    for name, v in vectors.items():
        assert snappy.decompress(bytes.fromhex(v["snappy"])) == bytes.fromhex(v["raw"]), name


def test_snappy_copies_of_every_width_and_overlap():
    lit = bytes(range(200)) * 15  # 3000 bytes
    size = bytearray()
    wire.put_varint(3064, size)
    stream = (bytes(size) + b"\xf4\xb7\x0b" + lit  # a literal with a 2-byte length (2999)
              + bytes([(63 << 2) | 2]) + struct.pack("<H", 3000))  # 64 bytes from 3000 back
    assert snappy.decompress(stream) == lit + lit[:64]
    four = b"\x0a" + b"\x08abc" + bytes([(6 << 2) | 3]) + struct.pack("<I", 3)  # overlapping
    assert snappy.decompress(four) == b"abc" + b"abcabca"
    one = b"\x08" + b"\x00z" + bytes([(3 << 2) | 1, 1])  # 1-byte offset: 7 copies of "z"
    assert snappy.decompress(one) == b"z" * 8


@pytest.mark.parametrize("stream, words", [
    (b"\x05\x10abc", "past the end"), (b"\x05\x08abc", "decodes to 3 bytes"),
    (b"\x09\x08abc" + bytes([(2 << 2) | 1, 9]), "outside"),
])
def test_broken_snappy_is_data_loss(stream, words):
    with pytest.raises(tf.errors.DataLossError, match=words):
        snappy.decompress(stream)


# -- tables ----------------------------------------------------------------------------------------
_ENTRIES = [(b"", b"header")] + [(f"key{i:03d}/x".encode(), f"value {i}".encode() * (i % 3))
                                  for i in range(40)]


@pytest.mark.parametrize("compressed", [False, True])
def test_table_entries_in_order_across_blocks(compressed):
    data = _tables.table(_ENTRIES, per_block=7, snappy=compressed)
    assert [(k, bytes(v)) for k, v in table.entries(data, "t")] == _ENTRIES


@pytest.mark.parametrize("damage, words", [
    (lambda d: d[:-1] + b"\x00", "bad magic"),
    (lambda d: d[:10] + bytes([d[10] ^ 1]) + d[11:], "CRC-32C"),
    (lambda d: d[-30:], "too short|past the end"),
    (lambda d: d[:-48 - 20] + d[-48:], "past the end|CRC"),
])
def test_damaged_tables_are_data_loss(damage, words):
    data = _tables.table(_ENTRIES, per_block=7)
    with pytest.raises(tf.errors.DataLossError, match=words):
        list(table.entries(damage(data), "t"))


# -- OrderedCode slice keys ------------------------------------------------------------------------
@pytest.mark.parametrize("value, encoded", [
    (0, "80"), (3, "83"), (63, "bf"), (64, "c040"), (-1, "7f"), (-64, "40"), (-65, "3fbf"),
    (0x424242, "f0424242"), (-0x800, "3800"), (2 ** 62, "ffc0" + "4" + "0" * 15),
])
def test_signed_numbers_as_ordered_code(value, encoded):
    assert bundle._signed(value).hex() == encoded


def test_slice_key_of_the_fixtures_embedding():
    key = encode_slice_key("model/embedding", ((0, 4), (0, 3)), (10, 3))
    assert key == b"\x00model/embedding\x00\x01\x01\x02\x80\x84\x80\x83"
    # \0 and \xff are escaped; a whole dimension's length is -1
    assert encode_slice_key("a\x00b\udcff", ((0, None),), (3,)) == (
        b"\x00a\x00\xffb\xff\x00\x00\x01\x01\x01\x80\x7f")


# -- TensorFlow's bundles --------------------------------------------------------------------------
def _expected(entry):
    if isinstance(entry, dict) and "strings_b64" in entry:
        return np.array([base64.b64decode(s) for s in entry["strings_b64"]],
                        dtype=object).reshape(entry["shape"])
    if isinstance(entry, dict):
        return np.array(entry["real"]) + 1j * np.array(entry["imag"])
    return np.array(entry)


def test_every_dtype_tf_wrote_reads_back():
    reader = BundleReader(os.path.join(DATA, "tf1-dtypes", "model.ckpt"))
    with open(os.path.join(DATA, "tf1-dtypes", "expected.json")) as f:
        expected = json.load(f)["variables"]
    dtypes = {"f16": tf.float16, "f32": tf.float32, "f64": tf.float64, "i8": tf.int8,
              "i16": tf.int16, "i32": tf.int32, "i64": tf.int64, "u8": tf.uint8,
              "u16": tf.uint16, "b": tf.bool, "c64": tf.complex64, "s": tf.string,
              "scalar": tf.float32, "empty": tf.float32, "wide/emb": tf.float32}
    assert reader.names() == sorted(list(dtypes) + ["bf16"])
    for name, dtype in dtypes.items():
        value = reader.tensor(name)
        assert reader.dtype(name) == dtype and value.shape == reader.shape(name)
        want = _expected(expected[name])
        assert value.dtype == np.dtype(dtype.as_numpy_dtype), name
        np.testing.assert_array_equal(value, want.astype(value.dtype).reshape(value.shape))
    strings = reader.tensor("s")
    assert strings[0, 2] == b"\x00\xff binary \x00" and len(strings[1, 0]) == 200
    assert reader.shape("wide/emb") == (200, 2)  # slices at offsets 67 and 134: 2-byte keys


def test_an_unreadable_dtype_is_named():
    reader = BundleReader(os.path.join(DATA, "tf1-dtypes", "model.ckpt"))
    assert reader.shape("bf16") == () and reader.dtype("bf16") == tf.bfloat16
    dtypes = tf.train.load_checkpoint(os.path.join(DATA, "tf1-dtypes")).get_variable_to_dtype_map()
    assert dtypes["bf16"] == tf.bfloat16 and dtypes["u16"] == tf.uint16 and len(dtypes) == 16
    with pytest.raises(tf.errors.UnimplementedError, match="bf16 .* dtype bfloat16"):
        reader.tensor("bf16")


def test_an_index_of_several_blocks():
    prefix = os.path.join(DATA, "tf1-large-index", "model.ckpt")
    assert os.path.getsize(prefix + ".index") > 256 * 1024  # more than one table block
    reader = BundleReader(prefix)
    names = ["%08x_" % ((i * 2654435761) % 2 ** 32) + "n" * 150 for i in range(1700)]
    assert reader.names() == sorted(names)
    assert [float(reader.tensor(n)) for n in names[::97]] == [float(i) for i in range(0, 1700, 97)]


def test_a_missing_tensor_and_a_missing_index():
    reader = BundleReader(os.path.join(DATA, "tf1-checkpoint", "model.ckpt-100"))
    with pytest.raises(tf.errors.NotFoundError, match="Key model/nope not found in checkpoint"):
        reader.tensor("model/nope")
    with pytest.raises(tf.errors.NotFoundError, match="Failed to find any matching files"):
        BundleReader(os.path.join(DATA, "tf1-checkpoint", "nothing"))


def test_a_missing_or_misshapen_slice_is_data_loss(tmp_path):
    prefix = os.path.join(DATA, "tf1-checkpoint", "model.ckpt-100")
    with open(prefix + ".index", "rb") as f:
        entries = [(bytes(k), bytes(v)) for k, v in table.entries(f.read(), "fixture")]
    shutil.copy(prefix + ".data-00000-of-00001", tmp_path / "m.data-00000-of-00001")
    slice_keys = [k for k, _ in entries if k.startswith(b"\x00")]
    assert len(slice_keys) == 3
    with open(tmp_path / "m.index", "wb") as f:  # the index without the second slice
        f.write(_tables.table([e for e in entries if e[0] != slice_keys[1]]))
    reader = BundleReader(str(tmp_path / "m"))
    np.testing.assert_array_equal(reader.tensor("model/dense/bias"), [0.5, -0.5, 1.5, -1.5])
    with pytest.raises(tf.errors.DataLossError, match="a slice of model/embedding .* missing"):
        reader.tensor("model/embedding")
    swapped = dict(entries)
    swapped[slice_keys[0]], swapped[slice_keys[1]] = swapped[slice_keys[1]], swapped[slice_keys[0]]
    with open(tmp_path / "m.index", "wb") as f:  # slice 0 (4 rows) described as 3 rows
        f.write(_tables.table(sorted(swapped.items())))
    with pytest.raises(tf.errors.DataLossError, match=r"has shape \[3, 3\], not the \[4, 3\]"):
        BundleReader(str(tmp_path / "m")).tensor("model/embedding")
