"""TensorFlow's V2 checkpoint format ("tensor bundle"), read with NumPy alone.

`prefix.index` is a table (table.py) from tensor names to BundleEntryProto (dtype, shape, shard,
offset, size, masked CRC-32C); its "" key holds the BundleHeaderProto (number of shards,
endianness). `prefix.data-0000K-of-0000N` hold the raw little-endian tensor bytes. A tensor saved
in slices (a partitioned variable) has an entry with its full shape and the list of slices, and
each slice an entry of its own under an OrderedCode key of (name, slice), which this reader
computes and reassembles.
"""
import os
import re
import struct

import numpy as np

from minitf import _kernels
from minitf.checkpoint import table, wire
from minitf.checkpoint.wire import corrupt, damage_is_data_loss
from minitf.framework import dtypes
from minitf.framework.errors import NotFoundError, UnimplementedError


def _readable(dtype):
    return dtype.is_numpy_compatible and dtype not in (dtypes.resource, dtypes.variant)


class BundleReader:
    """The tensors of the TF checkpoint at `prefix` (its index read now, data when asked)."""

    @damage_is_data_loss
    def __init__(self, prefix):
        self.prefix = prefix
        path = prefix + ".index"
        try:
            with open(path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            raise NotFoundError(None, None, f"Unsuccessful TensorSliceReader constructor: "
                                f"Failed to find any matching files for {prefix}") from None
        self._entries = {}
        head = None
        for key, value in table.entries(data, path):
            if key == b"":
                head = wire.header(value)
            else:
                self._entries[bytes(key)] = value
        if head is None:
            raise corrupt(f"{path}: no bundle header entry.")
        if head["endianness"] != 0:
            raise UnimplementedError(None, None, f"{prefix}: a big-endian checkpoint.")
        self._shards = head["num_shards"]
        self._parsed = {}

    @damage_is_data_loss
    def names(self):
        """The names of the full tensors (slices are parts of them), sorted."""
        return sorted(k.decode("utf-8", "surrogateescape") for k in self._entries
                      if not k.startswith(b"\x00"))

    @damage_is_data_loss
    def entry(self, name):
        """The entry of tensor `name` (see wire.entry; dtype is TF's DataType number);
        NotFoundError if there is none."""
        key = name.encode("utf-8", "surrogateescape") if isinstance(name, str) else name
        found = self._parsed.get(key)
        if found is None:
            raw = self._entries.get(key)
            if raw is None:
                raise NotFoundError(None, None, f"Key {name} not found in checkpoint")
            found = self._parsed[key] = wire.entry(raw)
        return found

    @damage_is_data_loss
    def dtype(self, name):
        """Tensor `name`'s DType (possibly one minitf only names, such as bfloat16)."""
        try:
            return dtypes.as_dtype(self.entry(name)["dtype"])
        except TypeError:
            raise UnimplementedError(None, None, f"Tensor {name} in checkpoint {self.prefix} "
                                     f"has DataType {self.entry(name)['dtype']}, which minitf "
                                     "does not know.") from None

    @damage_is_data_loss
    def shape(self, name):
        return self.entry(name)["shape"]

    @damage_is_data_loss
    def tensor(self, name):
        """Tensor `name` as a NumPy array (object array of bytes for strings)."""
        dtype, entry = self.dtype(name), self.entry(name)
        if not _readable(dtype):
            raise UnimplementedError(None, None, f"Tensor {name} in checkpoint {self.prefix} "
                                     f"has dtype {dtype.name}, which minitf cannot read.")
        if not entry["slices"]:
            return self._read(name, entry, dtype)
        shape = entry["shape"]
        if min(shape, default=0) < 0:
            raise corrupt(f"Checkpoint {self.prefix}: {name} claims shape {list(shape)}.")
        parts = [(self._extent(name, extents, shape), self._part(name, extents, shape))
                 for extents in entry["slices"]]
        itemsize = np.dtype(dtype.as_numpy_dtype).itemsize if dtype != dtypes.string else 1
        held = self._data_bytes(name, {part["shard_id"] for _, part in parts if part})
        if int(np.prod(shape, dtype=object)) * itemsize > held:
            raise corrupt(f"Checkpoint {self.prefix}: {name} claims shape {list(shape)}, more "
                          "than its data files hold.")
        full = np.empty(shape, dtype=dtype.as_numpy_dtype)
        covered = np.zeros(shape, dtype=bool)
        for index, part in parts:
            if part is None:
                raise corrupt(f"Checkpoint {self.prefix}: a slice of {name} listed in its "
                              "entry is missing.")
            if part["shape"] != covered[index].shape or part["dtype"] != entry["dtype"]:
                raise corrupt(f"Checkpoint {self.prefix}: a slice of {name} has shape "
                              f"{list(part['shape'])}, not the {list(covered[index].shape)} of "
                              "its extent.")
            full[index] = self._read(name, part, dtype)
            covered[index] = True
        if not covered.all():
            raise corrupt(f"Checkpoint {self.prefix}: the slices of {name} do not cover its "
                          f"shape {list(shape)}.")
        return full

    @damage_is_data_loss
    def tensor_slice(self, name, index):
        """The part `index` (a tuple of slices with starts and stops) of tensor `name`, read
        from the slices it overlaps only: a sharded save's part holds just some of them."""
        entry = self.entry(name)
        if not entry["slices"]:
            return self.tensor(name)[index]
        dtype, shape = self.dtype(name), entry["shape"]
        out = np.empty([s.stop - s.start for s in index], dtype=dtype.as_numpy_dtype)
        covered = np.zeros(out.shape, dtype=bool)
        for extents in entry["slices"]:
            have = self._extent(name, extents, shape)
            both = [slice(max(a.start, b.start), min(a.stop, b.stop)) for a, b in zip(have, index)]
            if any(s.start >= s.stop for s in both):
                continue
            part = self._part(name, extents, shape)
            if part is None:
                continue
            value = self._read(name, part, dtype)
            out[tuple(slice(s.start - w.start, s.stop - w.start) for s, w in zip(both, index))] = \
                value[tuple(slice(s.start - h.start, s.stop - h.start) for s, h in zip(both, have))]
            covered[tuple(slice(s.start - w.start, s.stop - w.start)
                          for s, w in zip(both, index))] = True
        if not covered.all():
            raise NotFoundError(None, None, f"Checkpoint {self.prefix} holds no data for part "
                                f"of the slice of {name} asked for.")
        return out

    def close(self):
        """Nothing to close: data files are opened per tensor."""

    def _extent(self, name, extents, shape):
        """The index of slice `extents` of `name` in its full tensor. As TF's, an extent is the
        whole dimension (from 0) or a start >= 0 and a length > 0 inside it: numpy would count
        a negative start from the end, and clip one past the end."""
        if len(extents) != len(shape):
            raise corrupt(f"Checkpoint {self.prefix}: a slice of {name} has {len(extents)} "
                          f"dimensions, not the {len(shape)} of its shape {list(shape)}.")
        index = []
        for (start, length), n in zip(extents, shape):
            if length is None and start == 0:
                length = n
            elif length is None or start < 0 or length <= 0 or start + length > n:
                raise corrupt(f"Checkpoint {self.prefix}: a slice of {name} has extents "
                              f"{list(extents)}, outside its shape {list(shape)}.")
            index.append(slice(start, start + length))
        return tuple(index)

    def _part(self, name, extents, shape):
        """The entry of a slice, None if there is none."""
        try:
            return self.entry(encode_slice_key(name, extents, shape))
        except NotFoundError:
            return None

    def _data_file(self, name, shard):
        if not 0 <= shard < self._shards:
            raise corrupt(f"Checkpoint {self.prefix}: {name} is in shard {shard}, not one of its "
                          f"{self._shards} shards.")
        return f"{self.prefix}.data-{shard:05d}-of-{self._shards:05d}"

    def _data_bytes(self, name, shards):
        """The bytes of the data files of `shards`: only those a tensor's slices are in, never
        every one the header claims (a crafted header may claim 2**40)."""
        total = 0
        for shard in shards:
            path = self._data_file(name, shard)
            try:
                total += os.stat(path).st_size
            except FileNotFoundError:
                raise self._missing(name, path) from None
        return total

    def _missing(self, name, path):
        return corrupt(f"Checkpoint {self.prefix}: data file {path} holding {name} is missing.")

    def _read(self, name, entry, dtype):
        path = self._data_file(name, entry["shard_id"])
        if entry["offset"] < 0 or entry["size"] < 0 or min(entry["shape"], default=0) < 0:
            raise corrupt(f"Checkpoint {self.prefix}: the entry of {name} is invalid.")
        try:
            with open(path, "rb") as f:
                if entry["offset"] + entry["size"] > os.fstat(f.fileno()).st_size:
                    raise corrupt(f"Checkpoint {self.prefix}: {path} ends before the "
                                  f"{entry['size']} bytes of {name} at offset "
                                  f"{entry['offset']}.")
                f.seek(entry["offset"])
                data = f.read(entry["size"])
        except FileNotFoundError:
            raise self._missing(name, path) from None
        if len(data) != entry["size"]:
            raise corrupt(f"Checkpoint {self.prefix}: {path} ends before the {entry['size']} "
                          f"bytes of {name} at offset {entry['offset']}.")
        count = int(np.prod(entry["shape"], dtype=np.int64))
        if dtype == dtypes.string:
            return _strings(data, count, entry, name, path).reshape(entry["shape"])
        crc = _kernels.crc32c
        if entry["crc32c"] is not None and crc.mask(crc.crc32c(data)) != entry["crc32c"]:
            raise corrupt(f"Checksum does not match: {name} in {path} fails its CRC-32C check.")
        np_dtype = np.dtype(dtype.as_numpy_dtype).newbyteorder("<")
        if count * np_dtype.itemsize != len(data):
            raise corrupt(f"{name} in {path}: {len(data)} bytes for {count} elements of "
                          f"{dtype.name}.")
        value = np.frombuffer(data, dtype=np_dtype).reshape(entry["shape"])
        return value.astype(np_dtype.newbyteorder("="))  # a writable, native-order copy


def _strings(data, count, entry, name, path):
    """A string tensor: varint lengths, their masked CRC, then the bytes; its CRC covers the
    lengths as uint32 (uint64 beyond 4 GiB), that checksum and the bytes."""
    crc = _kernels.crc32c
    if count > len(data):  # each length takes a byte at least
        raise corrupt(f"{name} in {path}: {len(data)} bytes cannot hold {count} strings.")
    lengths, pos = [], 0
    for _ in range(count):
        n, pos = wire.varint(data, pos)
        lengths.append(n)
    running = crc.crc32c(b"".join(struct.pack("<I" if n <= 0xFFFFFFFF else "<Q", n)
                                  for n in lengths))
    check, start = data[pos:pos + 4], pos + 4
    if len(check) != 4 or struct.unpack("<I", check)[0] != crc.mask(running):
        raise corrupt(f"Checksum does not match: the string lengths of {name} in {path}.")
    if sum(lengths) != len(data) - start:
        raise corrupt(f"{name} in {path}: the string lengths do not add up to its size.")
    running = crc.extend(crc.extend(running, check), memoryview(data)[start:])
    if entry["crc32c"] is not None and crc.mask(running) != entry["crc32c"]:
        raise corrupt(f"Checksum does not match: {name} in {path} fails its CRC-32C check.")
    out = np.empty(count, dtype=object)
    for i, n in enumerate(lengths):
        out[i] = data[start:start + n]
        start += n
    return out


# -- OrderedCode keys of tensor slices -------------------------------------------------------------
def encode_slice_key(name, extents, shape):
    """The key TF stores slice `extents` of tensor `name` under: OrderedCode of 0, the name, the
    rank, then per dimension its start and length (-1 for a whole dimension)."""
    out = bytearray(b"\x00")  # the number 0: a slice key, never a tensor name
    out += _SPECIAL.sub(_escape, name.encode("utf-8", "surrogateescape")) + b"\x00\x01"
    out += _unsigned(len(extents))
    for start, length in extents:
        out += _signed(start) + _signed(-1 if length is None else length)
    return bytes(out)


_SPECIAL = re.compile(rb"[\x00\xff]")


def _escape(match):  # \0 and \xff are OrderedCode's escape bytes: \0 -> \0\xff, \xff -> \xff\0
    return b"\x00\xff" if match.group() == b"\x00" else b"\xff\x00"


def _unsigned(value):
    body = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return bytes([len(body)]) + body


def _signed(value):
    """n bytes hold [-2^(7n-1), 2^(7n-1)): the first n bits say n (ones for >= 0), then a
    delimiter bit, then the value in two's complement; bits are inverted for negatives."""
    bits = (value if value >= 0 else ~value).bit_length()
    n = max(1, -(-(bits + 1) // 7))
    header = ((1 << n) - 1) << (8 * n - n)
    return ((value % (1 << 8 * n)) ^ header).to_bytes(n, "big")


def exists(prefix):
    return os.path.exists(prefix + ".index")
