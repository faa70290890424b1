"""A writer of LevelDB-format tables, the format of a TensorFlow checkpoint's `.index` file
(table.py reads them), byte for byte as TensorFlow's table builder writes them uncompressed.

Entries go into data blocks of about 256 KiB (an entry is added, then the block is cut once it
reaches the size); each block is prefix-compressed with a restart point every 16 entries. The
index block maps each data block to its handle under a short key between the block's last key
and the next block's first (TF's shortest separator; the last block gets the shortest successor
of its last key), one restart point per entry. An empty metaindex block, the index block and the
footer follow. Every block has a trailer: type 0 (no compression) and the masked CRC-32C of the
block and the type byte.
"""
import struct

from minitf import _kernels
from minitf.checkpoint.table import MAGIC
from minitf.checkpoint.wire import put_varint

BLOCK_SIZE = 262144  # TF's table::Options defaults
RESTART_INTERVAL = 16


class _Block:
    """A block being built: entries with keys sharing prefixes, and restart offsets."""

    def __init__(self, restart_interval):
        self.interval = restart_interval
        self.buf, self.restarts, self.count, self.last = bytearray(), [0], 0, b""

    def add(self, key, value):
        shared = 0
        if self.count < self.interval:
            limit = min(len(key), len(self.last))
            while shared < limit and key[shared] == self.last[shared]:
                shared += 1
        else:  # a restart point: the whole key, so a reader can start here
            self.restarts.append(len(self.buf))
            self.count = 0
        for n in (shared, len(key) - shared, len(value)):
            put_varint(n, self.buf)
        self.buf += key[shared:]
        self.buf += value
        self.last, self.count = bytes(key), self.count + 1

    def size(self):
        return len(self.buf) + 4 * len(self.restarts) + 4

    def finish(self):
        return bytes(self.buf) + struct.pack(f"<{len(self.restarts) + 1}I", *self.restarts,
                                             len(self.restarts))


def _separator(start, limit):
    """A short key >= `start` and < `limit` (TF's FindShortestSeparator)."""
    n = min(len(start), len(limit))
    i = 0
    while i < n and start[i] == limit[i]:
        i += 1
    if i < n and start[i] < 0xFF and start[i] + 1 < limit[i]:
        return start[:i] + bytes([start[i] + 1])
    return start  # one is a prefix of the other, or no room between them


def _successor(key):
    """A short key >= `key` (TF's FindShortSuccessor)."""
    for i, byte in enumerate(key):
        if byte != 0xFF:
            return key[:i] + bytes([byte + 1])
    return key


def build(entries, block_size=BLOCK_SIZE):
    """The bytes of a table holding `entries`, (key, value) bytes pairs in increasing key order.

    Raises:
      ValueError: the keys are not strictly increasing.
    """
    out, index = bytearray(), _Block(1)
    block, last, pending = _Block(RESTART_INTERVAL), None, None

    def write(contents):  # appends a block and its trailer; returns its handle
        handle = (len(out), len(contents))
        crc = _kernels.crc32c
        out.extend(contents)
        out.extend(b"\x00" + struct.pack("<I", crc.mask(crc.crc32c(contents + b"\x00"))))
        return handle

    for key, value in entries:
        key = bytes(key)
        if last is not None and key <= last:
            raise ValueError(f"Table keys must increase: {key!r} after {last!r}")
        if last is not None and len(key) + len(value) >= 2 * block_size and block.buf:
            pending = write(block.finish())  # an overly large entry gets a block of its own
            block = _Block(RESTART_INTERVAL)
        if pending is not None:
            index.add(_separator(last, key), _handle(pending))
            pending = None
        last = key
        block.add(key, value)
        if block.size() >= block_size:
            pending = write(block.finish())
            block = _Block(RESTART_INTERVAL)
    if block.buf:
        pending = write(block.finish())
    metaindex = write(_Block(RESTART_INTERVAL).finish())
    if pending is not None:
        index.add(_successor(last), _handle(pending))
    footer = bytearray(_handle(metaindex) + _handle(write(index.finish())))
    out += footer + bytes(40 - len(footer)) + struct.pack("<Q", MAGIC)
    return bytes(out)


def _handle(handle):
    out = bytearray()
    put_varint(handle[0], out)
    put_varint(handle[1], out)
    return bytes(out)
