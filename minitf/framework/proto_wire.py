"""The protobuf wire format of proto.py's messages: `serialize(msg)` and `merge(msg, data)`.

Fields are written in field-number order, packed where proto3 packs (repeated numeric
fields), map entries sorted by key (protobuf's deterministic order), then the unknown fields
read earlier, unchanged. (The varint helpers are written out here rather than taken from
minitf/checkpoint/wire.py: minitf/framework may not import the layers above it.)
"""
import struct

from minitf.framework.proto import DecodeError

_VARINT, _FIXED64, _BYTES, _FIXED32 = 0, 1, 2, 5
_STRUCTS = {"fixed32": "<I", "sfixed32": "<i", "float": "<f",
            "fixed64": "<Q", "sfixed64": "<q", "double": "<d"}
_MASK64 = (1 << 64) - 1


def put_varint(value, out):
    """Appends the varint of `value` (>= 0) to the bytearray `out`."""
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)


def varint(buf, pos):
    """Returns (value, next position) of the unsigned varint at `pos`.

    Raises:
      DecodeError: the varint is truncated or longer than 10 bytes.
    """
    result = shift = 0
    while pos < len(buf) and shift < 70:
        byte = buf[pos]
        result |= (byte & 0x7F) << shift
        pos += 1
        if byte < 0x80:
            return result & _MASK64, pos
        shift += 7
    raise DecodeError("truncated or overlong varint")


def _wire_type(kind):
    if kind in _STRUCTS:
        return _FIXED32 if struct.calcsize(_STRUCTS[kind]) == 4 else _FIXED64
    return _BYTES if kind in ("string", "bytes", "message") else _VARINT


def _put_scalar(kind, value, out):
    if kind in _STRUCTS:
        out += struct.pack(_STRUCTS[kind], value)
    elif kind in ("string", "bytes"):
        data = value.encode("utf-8") if kind == "string" else value
        put_varint(len(data), out)
        out += data
    elif kind in ("sint32", "sint64"):
        put_varint(((value << 1) ^ (value >> 63)) & _MASK64, out)
    else:
        put_varint(int(value) & _MASK64, out)


def _put_field(field, kind, value, out):
    put_varint(field.number << 3 | _wire_type(kind), out)
    if kind == "message":
        data = value if isinstance(value, bytes) else serialize(value)
        put_varint(len(data), out)
        out += data
    else:
        _put_scalar(kind, value, out)


def serialize(msg):
    """Returns the wire-format bytes of `msg`."""
    out = bytearray()
    for field, value in msg.ListFields():
        kind = field.kind
        if field.map_entry is not None:
            for key in _map_order(value, field.key_field.kind):
                entry = bytearray()
                _put_field(field.key_field, field.key_field.kind, key, entry)
                _put_field(field.value_field, field.value_field.kind, value[key], entry)
                _put_field(field, "message", bytes(entry), out)
        elif field.repeated and _wire_type(kind) != _BYTES:  # packed
            data = bytearray()
            for item in value:
                _put_scalar(kind, item, data)
            _put_field(field, "message", bytes(data), out)
        else:
            for item in value if field.repeated else (value,):
                _put_field(field, kind, item, out)
    out += msg._unknown
    return bytes(out)


def _map_order(items, key_kind):
    """The keys of a map in the order upb's deterministic serialization writes them: strings
    ascending by their UTF-8 bytes, but a key before its own prefixes ("Tidx" before "T");
    integer keys by descending unsigned value (its back-to-front encoder)."""
    if key_kind == "string":
        return sorted(items, key=lambda k: (*k.encode(), 256))
    return sorted(items, key=lambda k: int(k) & _MASK64, reverse=True)


def _decode_scalar(kind, raw, wire):
    """The value of one scalar read as `raw` (an int for varints and fixed fields)."""
    if wire == _VARINT:
        if kind == "bool":
            return raw != 0
        if kind in ("sint32", "sint64"):
            return (raw >> 1) ^ -(raw & 1)
        bits = 32 if kind in ("int32", "uint32", "enum") else 64
        raw &= (1 << bits) - 1
        return raw - (1 << bits) if kind != f"uint{bits}" and raw >> (bits - 1) else raw
    if wire in (_FIXED32, _FIXED64):
        size = 4 if wire == _FIXED32 else 8
        return struct.unpack(_STRUCTS[kind], raw.to_bytes(size, "little"))[0]
    if kind == "string":
        return raw.decode("utf-8")
    return raw


def _fields(buf):
    """Yields (field number, wire type, value, raw bytes of the whole field)."""
    pos = 0
    while pos < len(buf):
        start = pos
        key, pos = varint(buf, pos)
        wire = key & 7
        if wire == _VARINT:
            value, pos = varint(buf, pos)
        elif wire == _BYTES:
            size, pos = varint(buf, pos)
            value, pos = bytes(buf[pos:pos + size]), pos + size
        elif wire in (_FIXED32, _FIXED64):
            size = 4 if wire == _FIXED32 else 8
            value, pos = int.from_bytes(buf[pos:pos + size], "little"), pos + size
        else:
            raise DecodeError(f"unsupported wire type {wire}")
        if pos > len(buf) or key >> 3 == 0:
            raise DecodeError("truncated message")
        yield key >> 3, wire, value, bytes(buf[start:pos])


def merge(msg, data):
    """Merges the wire-format `data` into `msg`.

    Raises:
      DecodeError: `data` is truncated or malformed.
    """
    try:
        _merge(msg, data)
    except (DecodeError, UnicodeDecodeError, struct.error) as exc:
        raise DecodeError(f"Error parsing message with type '{msg._full_name}'") from exc


def _merge(msg, data):
    unknown = bytearray()
    for number, wire, value, raw in _fields(memoryview(data)):
        field = msg._by_number.get(number)
        kind = field.kind if field is not None else None
        packed = field is not None and field.repeated and wire == _BYTES and \
            _wire_type(kind) != _BYTES and field.map_entry is None
        if field is None or (wire != _wire_type(kind) and not packed):
            unknown += raw  # kept, and written back, as protobuf does
        elif field.map_entry is not None:
            entry = {1: field.key_field.default(), 2: None}
            for n, w, v, _ in _fields(value):
                if n in (1, 2):
                    sub = field.key_field if n == 1 else field.value_field
                    entry[n] = v if sub.kind == "message" else _decode_scalar(sub.kind, v, w)
            target = getattr(msg, field.name)
            if field.value_field.kind == "message":
                target[entry[1]].MergeFromString(entry[2] or b"")
            else:
                target[entry[1]] = field.value_field.default() if entry[2] is None else entry[2]
        elif kind == "message":
            target = getattr(msg, field.name)
            (target.add() if field.repeated else target).MergeFromString(value)
            if not field.repeated:
                msg._set_present(field.name)
        elif packed:
            getattr(msg, field.name).extend(_unpack(kind, value))
        elif field.repeated:
            getattr(msg, field.name).append(_decode_scalar(kind, value, wire))
        else:
            setattr(msg, field.name, _decode_scalar(kind, value, wire))
    if unknown:
        object.__setattr__(msg, "_unknown", msg._unknown + bytes(unknown))
    msg._modified()


def _unpack(kind, data):
    wire = _wire_type(kind)
    if wire != _VARINT:
        fmt = _STRUCTS[kind]
        return list(struct.unpack(f"<{len(data) // struct.calcsize(fmt)}{fmt[1]}", data))
    out, pos = [], 0
    while pos < len(data):
        raw, pos = varint(data, pos)
        out.append(_decode_scalar(kind, raw, wire))
    return out
