"""Snappy decompression (the raw format LevelDB uses for compressed table blocks)."""
from minitf.checkpoint.wire import corrupt, varint


def decompress(data):
    """The bytes that `data` (one raw Snappy stream) encodes; DataLossError if it is broken."""
    data = memoryview(data)
    size, pos = varint(data, 0)
    out = bytearray()
    n = len(data)
    while pos < n:
        tag = data[pos]
        pos += 1
        kind = tag & 3
        if kind == 0:  # a literal: its length - 1 in the tag, or in the next 1-4 bytes
            length = tag >> 2
            if length >= 60:
                extra = length - 59
                length = int.from_bytes(data[pos:pos + extra], "little")
                pos += extra
            length += 1
            if pos + length > n:
                raise corrupt("Snappy literal runs past the end of the block.")
            _room(out, length, size)
            out += data[pos:pos + length]
            pos += length
            continue
        if kind == 1:  # a copy: length 4-11, offset of 11 bits
            length, offset = 4 + ((tag >> 2) & 7), ((tag >> 5) << 8) | _byte(data, pos)
            pos += 1
        else:  # a copy with a 2- or 4-byte offset
            width = 2 if kind == 2 else 4
            if pos + width > n:
                raise corrupt("Snappy copy runs past the end of the block.")
            length, offset = 1 + (tag >> 2), int.from_bytes(data[pos:pos + width], "little")
            pos += width
        _room(out, length, size)
        _copy(out, offset, length)
    if len(out) != size:
        raise corrupt(f"Snappy block decodes to {len(out)} bytes, not the {size} it declares.")
    return bytes(out)


def _room(out, length, size):
    # never decode past the size the block declares: a crafted block cannot balloon
    if len(out) + length > size:
        raise corrupt(f"Snappy block decodes past the {size} bytes it declares.")


def _byte(data, pos):
    if pos >= len(data):
        raise corrupt("Snappy copy runs past the end of the block.")
    return data[pos]


def _copy(out, offset, length):
    if offset == 0 or offset > len(out):
        raise corrupt(f"Snappy copy from offset {offset} outside the {len(out)} bytes so far.")
    start = len(out) - offset
    if offset >= length:
        out += out[start:start + length]
    else:  # the copy overlaps what it writes: the last `offset` bytes repeat
        pattern = bytes(out[start:])
        out += (pattern * (length // offset + 1))[:length]
