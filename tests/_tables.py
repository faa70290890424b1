"""A small LevelDB-table writer for the reader's tests: blocks of prefix-compressed entries with
restart points, each with its trailer (compression type, masked CRC-32C), an index block and the
footer. Blocks can be stored "Snappy-compressed" as literal-only Snappy streams."""
import struct

from minitf._pure.crc32c import crc32c, mask
from minitf.checkpoint.table import MAGIC
from minitf.checkpoint.wire import put_varint


def block(entries, restart_every=4):
    out, restarts, last = bytearray(), [], b""
    for i, (key, value) in enumerate(entries):
        shared = 0
        if i % restart_every:
            while shared < min(len(key), len(last)) and key[shared] == last[shared]:
                shared += 1
        else:
            restarts.append(len(out))
        for n in (shared, len(key) - shared, len(value)):
            put_varint(n, out)
        out += key[shared:] + value
        last = key
    for r in restarts or [0]:
        out += struct.pack("<I", r)
    out += struct.pack("<I", len(restarts or [0]))
    return bytes(out)


def literal_snappy(data):
    out = bytearray()
    put_varint(len(data), out)
    for i in range(0, len(data), 60):
        chunk = data[i:i + 60]
        out.append((len(chunk) - 1) << 2)
        out += chunk
    return bytes(out)


def table(entries, per_block=3, snappy=False):
    """The bytes of a table holding `entries` (sorted (key, value) pairs)."""
    out, index = bytearray(), []

    def put(contents):
        kind = 0
        if snappy:
            contents, kind = literal_snappy(contents), 1
        handle = bytearray()
        put_varint(len(out), handle)
        put_varint(len(contents), handle)
        out.extend(contents)
        out.append(kind)
        out.extend(struct.pack("<I", mask(crc32c(contents + bytes([kind])))))
        return bytes(handle)
    for i in range(0, len(entries), per_block):
        chunk = entries[i:i + per_block]
        index.append((chunk[-1][0], put(block(chunk))))
    meta = put(block([]))
    footer = bytearray(meta + put(block(index, restart_every=1)))
    footer += b"\x00" * (40 - len(footer)) + struct.pack("<Q", MAGIC)
    return bytes(out + footer)
