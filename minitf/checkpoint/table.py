"""A reader of LevelDB-format tables, the format of a TensorFlow checkpoint's `.index` file.

A table is data blocks, a metaindex block and an index block, then a 48-byte footer: the two
block handles (varint offset and size each) padded to 40 bytes and the magic number. The index
block maps each data block's last key to its handle. A block is prefix-compressed entries (shared
key length, unshared length, value length as varints, then the key's new bytes and the value),
an array of restart offsets and their count; after it on disk comes a trailer: the compression
type (0 none, 1 Snappy) and the masked CRC-32C of the block and that type byte.
"""
import struct

from minitf import _kernels
from minitf.checkpoint import snappy
from minitf.checkpoint.wire import corrupt, varint

MAGIC = 0xDB4775248B80FB57
_FOOTER = 48


def entries(data, path):
    """Yields every (key, value) of the table `data` (bytes), in key order, reading footer →
    index block → data blocks. DataLossError names `path` when anything does not check out."""
    if len(data) < _FOOTER:
        raise corrupt(f"{path}: too short ({len(data)} bytes) to be a checkpoint index.")
    footer = memoryview(data)[-_FOOTER:]
    if struct.unpack_from("<Q", footer, 40)[0] != MAGIC:
        raise corrupt(f"{path}: not a checkpoint index (bad magic number).")
    _, pos = varint(footer, 0)
    _, pos = varint(footer, pos)  # the metaindex block's handle: it holds nothing we need
    index = _handle(footer, pos)
    seen, last = set(), None
    for _, handle in _block(data, index, path):
        handle = _handle(handle, 0)
        if handle in seen:  # (each block is read once: a crafted index cannot make it quadratic)
            raise corrupt(f"{path}: the index lists the block at offset {handle[0]} twice.")
        seen.add(handle)
        for key, value in _block(data, handle, path):
            if last is not None and key <= last:
                raise corrupt(f"{path}: its keys are out of order.")
            last = key
            yield key, value


def _handle(buf, pos):
    offset, pos = varint(buf, pos)
    size, _ = varint(buf, pos)
    return offset, size


def _block(data, handle, path):
    offset, size = handle
    end = offset + size
    if end + 5 > len(data) - _FOOTER:
        raise corrupt(f"{path}: a block handle points past the end of the file.")
    raw = memoryview(data)[offset:end + 1]  # the block and its compression type
    kind, stored = data[end], struct.unpack_from("<I", data, end + 1)[0]
    if _kernels.crc32c.mask(_kernels.crc32c.crc32c(raw)) != stored:
        raise corrupt(f"{path}: block at offset {offset} fails its CRC-32C check.")
    if kind == 0:
        block = raw[:-1]
    elif kind == 1:
        block = memoryview(snappy.decompress(raw[:-1]))
    else:
        raise corrupt(f"{path}: block at offset {offset} has unknown compression {kind}.")
    return _parse(block, path)


def _parse(block, path):
    if len(block) < 4:
        raise corrupt(f"{path}: a block is too short.")
    restarts = struct.unpack_from("<I", block, len(block) - 4)[0]
    limit = len(block) - 4 - 4 * restarts
    if limit < 0:
        raise corrupt(f"{path}: a block's restart array is larger than the block.")
    key, pos = b"", 0
    while pos < limit:
        shared, pos = varint(block, pos)
        unshared, pos = varint(block, pos)
        size, pos = varint(block, pos)
        if shared > len(key) or pos + unshared + size > limit:
            raise corrupt(f"{path}: a block entry runs past its block.")
        key = key[:shared] + bytes(block[pos:pos + unshared])
        pos += unshared
        yield key, block[pos:pos + size]
        pos += size
