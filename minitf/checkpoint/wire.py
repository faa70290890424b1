"""Varints and the protobuf wire format, enough to read the messages of a TensorFlow checkpoint
(BundleHeaderProto, BundleEntryProto, TensorShapeProto, TensorSliceProto) without protobuf."""
import functools
import struct
import tokenize
import zipfile

from minitf.framework.errors import DataLossError, OpError

_VARINT, _FIXED64, _BYTES, _FIXED32 = 0, 1, 2, 5


def corrupt(message):
    return DataLossError(None, None, message)


# what reading damaged or crafted bytes can raise before a check names the damage
_MALFORMED = (IndexError, KeyError, ValueError, TypeError, OverflowError, MemoryError,
              struct.error, AttributeError, RuntimeError, NotImplementedError, EOFError,
              zipfile.BadZipFile, OSError, SyntaxError, tokenize.TokenError)


def damage_is_data_loss(method):
    """A reader's method whose every failure on damaged files is a DataLossError naming the
    checkpoint (its own OpErrors pass as they are, as does a file it may not read; a
    DataLossError that does not name the checkpoint gets its name)."""
    @functools.wraps(method)
    def checked(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except DataLossError as exc:
            prefix = getattr(self, "prefix", "checkpoint")  # (__init__ sets it)
            if prefix in exc.message:
                raise
            # (the parsers here and in snappy.py do not know which file they read)
            raise DataLossError(exc.node_def, exc.op, f"{prefix}: {exc.message}") from exc
        except (OpError, PermissionError):
            raise
        except _MALFORMED as exc:
            raise corrupt(f"{getattr(self, 'prefix', 'checkpoint')}: the checkpoint is damaged "
                          f"({type(exc).__name__}: {exc})") from exc
    return checked


def varint(buf, pos):
    """(value, next position) of the unsigned varint at `pos`."""
    result = shift = 0
    while True:
        if pos >= len(buf) or shift > 63:
            raise corrupt("Truncated or overlong varint in checkpoint data.")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7


def put_varint(value, out):
    """Appends the varint of `value` (>= 0) to the bytearray `out`."""
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)


def fields(buf):
    """Yields (field number, value) of a message: ints for varint/fixed fields, bytes for
    length-delimited ones."""
    buf = memoryview(buf)
    pos = 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        number, kind = key >> 3, key & 7
        if kind == _VARINT:
            value, pos = varint(buf, pos)
        elif kind == _BYTES:
            size, pos = varint(buf, pos)
            value, pos = bytes(buf[pos:pos + size]), pos + size
        elif kind == _FIXED32:
            value, pos = struct.unpack_from("<I", buf, pos)[0], pos + 4
        elif kind == _FIXED64:
            value, pos = struct.unpack_from("<Q", buf, pos)[0], pos + 8
        else:
            raise corrupt(f"Unsupported protobuf wire type {kind} in checkpoint data.")
        if pos > len(buf):
            raise corrupt("Truncated protobuf message in checkpoint data.")
        yield number, value


def _int64(value):
    return value - (1 << 64) if value >= 1 << 63 else value


def header(buf):
    """BundleHeaderProto: {num_shards, endianness (0 little, 1 big), producer, min_consumer}."""
    out = {"num_shards": 0, "endianness": 0, "producer": 0, "min_consumer": 0}
    for number, value in fields(buf):
        if number == 1:
            out["num_shards"] = value
        elif number == 2:
            out["endianness"] = value
        elif number == 3:
            for n, v in fields(value):
                if n in (1, 2):
                    out["producer" if n == 1 else "min_consumer"] = v
    return out


def entry(buf):
    """BundleEntryProto: {dtype, shape (tuple), shard_id, offset, size, crc32c, slices}; a slice
    is a tuple of (start, length or None for the whole dimension) per dimension."""
    out = {"dtype": 0, "shape": (), "shard_id": 0, "offset": 0, "size": 0, "crc32c": None,
           "slices": []}
    for number, value in fields(buf):
        if number == 1:
            out["dtype"] = value
        elif number == 2:
            out["shape"] = _shape(value)
        elif number in (3, 4, 5):
            out[("shard_id", "offset", "size")[number - 3]] = _int64(value)
        elif number == 6:
            out["crc32c"] = value
        elif number == 7:
            out["slices"].append(_slice(value))
    return out


def _shape(buf):
    dims = []
    for number, value in fields(buf):
        if number == 2:
            size = 0
            for n, v in fields(value):
                if n == 1:
                    size = _int64(v)
            dims.append(size)
        elif number == 3 and value:
            raise corrupt("A checkpoint tensor has an unknown rank.")
    return tuple(dims)


def _slice(buf):
    extents = []
    for number, value in fields(buf):
        if number == 1:
            start, length = 0, None
            for n, v in fields(value):
                if n == 1:
                    start = _int64(v)
                elif n == 2:
                    length = _int64(v)
            extents.append((start, length))
    return tuple(extents)
