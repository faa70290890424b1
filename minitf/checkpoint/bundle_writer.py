"""TensorFlow's V2 checkpoint format ("tensor bundle") written with NumPy alone, as TF writes it
(bundle.py reads it back; so does TensorFlow).

`prefix.data-0000K-of-0000N` hold the tensors' raw little-endian bytes one after another, in the
order given; a string tensor is its lengths as varints, their masked CRC-32C, then its bytes.
`prefix.index` is a table (table_writer.py) from keys, in byte order, to serialized protos: ""
to the BundleHeaderProto (number of shards, version 1), each tensor's name to its
BundleEntryProto (dtype, shape, shard, offset, size, masked CRC-32C). A slice of a partitioned
tensor has its own entry under its slice key, and the full tensor an entry with its full shape
and the list of its slices, as TF's BundleWriter::AddSlice and MergeBundles leave them.
"""
import os
import re
import struct
import tempfile

import numpy as np

from minitf import _kernels
from minitf.checkpoint import npz, table_writer
from minitf.checkpoint.bundle import encode_slice_key
from minitf.checkpoint.wire import put_varint
from minitf.framework import dtypes
from minitf.framework.errors import UnimplementedError

_VERSION = b"\x1a\x02\x08\x01"  # VersionDef{producer: 1}: TF's kTensorBundleVersion


def data_filename(prefix, shard, num_shards):
    """The path of data file `shard` of `num_shards` of the bundle at `prefix`."""
    return f"{prefix}.data-{shard:05d}-of-{num_shards:05d}"


def write(prefix, shards):
    """Writes a V2 bundle at `prefix`, one data file per shard, atomically.

    Args:
      prefix: the checkpoint's prefix (its directory must exist).
      shards: a list (one per data file) of lists of tensors `(name, DType, value, slice)`,
        written in that order; `slice` is None for a whole tensor, or `(full_shape, offset)`
        for the part `value` of a tensor of `full_shape` at `offset` (a partitioned
        variable's part). Each name (and each slice of a name) must appear once.

    Returns:
      The paths written: the data files, then the index.

    Raises:
      UnimplementedError: a dtype the format cannot hold from NumPy (resource, variant).
      ValueError: a name or a slice is given twice.
    """
    directory = os.path.dirname(prefix) or "."
    npz._remove_stale_temporaries(directory)
    staged = []  # [(temporary, final path)]
    try:
        entries = {}
        for shard, tensors in enumerate(shards):
            target = data_filename(prefix, shard, len(shards))
            staged.append((_stage(target, lambda f, t=tensors, s=shard: _data(f, t, s, entries)),
                           target))
        index = table_writer.build(_index_entries(entries, len(shards)))
        staged.append((_stage(prefix + ".index", lambda f: f.write(index)), prefix + ".index"))
        _install(prefix, staged)
    except BaseException:
        for tmp, _ in staged:
            _unlink(tmp)
        raise
    return [path for _, path in staged]


def _stage(path, write_to):
    """A temporary beside `path` holding what `write_to(file)` wrote, fsynced. Its name
    carries this process's id so a later write removes it if this process dies first."""
    fd, tmp = tempfile.mkstemp(prefix=f"{os.path.basename(path)}.minitf-{os.getpid()}.",
                               suffix=".tmp", dir=os.path.dirname(path) or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            write_to(f)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _install(prefix, staged):
    """Renames the temporaries into place, the index last. The old index goes first, so no
    reader ever pairs an index with data files of another write."""
    _unlink(prefix + ".index")
    for i, (tmp, path) in enumerate(staged):
        try:
            os.replace(tmp, path)
        except BaseException:
            for _, done in staged[:i]:  # data files without their index: no checkpoint at all
                _unlink(done)
            raise
    directory = os.path.dirname(prefix) or "."
    keep = {os.path.basename(path) for _, path in staged}
    stale = re.compile(re.escape(os.path.basename(prefix)) + r"\.data-\d{5}-of-\d{5}$")
    for name in os.listdir(directory):  # data files of an older write of another shard count
        if stale.match(name) and name not in keep:
            _unlink(os.path.join(directory, name))
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _unlink(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def _data(f, tensors, shard, entries):
    """Writes one shard's tensors to `f`, recording their entries in `entries`:
    {key: [dtype enum, shape, shard, offset, size, crc, slices]}."""
    offset = 0
    for name, dtype, value, where in tensors:
        value = np.asarray(value, dtype=object if dtype == dtypes.string else None)
        key = name.encode("utf-8", "surrogateescape")
        if where is not None and tuple(where[0]) != value.shape:  # TF keeps a full slice whole
            full_shape, start = where
            extents = tuple(zip(start, value.shape))
            full = entries.setdefault(key, [dtype.as_datatype_enum, tuple(full_shape), shard,
                                            0, 0, None, []])
            if full[5] is not None:  # (a whole tensor's entry has a CRC, a full one none)
                raise ValueError(f"Adding duplicate key: {name} is saved whole and in slices.")
            full[6].append(extents)
            key = encode_slice_key(name, extents, full_shape)
        if key in entries:
            raise ValueError(f"Adding duplicate key: {name} is saved twice in one checkpoint.")
        data, crc = _tensor_bytes(name, dtype, value)
        f.write(data)
        entries[key] = [dtype.as_datatype_enum, value.shape, shard, offset, len(data),
                        _kernels.crc32c.mask(crc), []]
        offset += len(data)


def _tensor_bytes(name, dtype, value):
    """(the bytes TF stores for `value`, their CRC-32C as TF computes it)."""
    crc = _kernels.crc32c
    if dtype == dtypes.string:
        items = [v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in value.ravel()]
        lengths = bytearray()
        for item in items:
            put_varint(len(item), lengths)
        # the CRC covers each length as a little-endian uint32 (uint64 past 4 GiB)
        running = crc.crc32c(b"".join(struct.pack("<I" if len(v) <= 0xFFFFFFFF else "<Q",
                                                  len(v)) for v in items))
        check = struct.pack("<I", crc.mask(running))
        body = b"".join(items)
        return bytes(lengths) + check + body, crc.extend(crc.extend(running, check), body)
    if not dtype.is_numpy_compatible or dtype in (dtypes.resource, dtypes.variant):
        raise UnimplementedError(None, None, f"Cannot save {name}: minitf cannot write tensors "
                                 f"of dtype {dtype.name} to a TensorFlow checkpoint.")
    np_dtype = np.dtype(dtype.as_numpy_dtype).newbyteorder("<")
    data = np.ascontiguousarray(value, dtype=np_dtype).tobytes()
    return data, crc.crc32c(data)


def _index_entries(entries, num_shards):
    """(key, serialized proto) pairs of the index, header first, keys in byte order."""
    header = bytearray(b"\x08")
    put_varint(num_shards, header)
    yield b"", bytes(header) + _VERSION
    for key in sorted(entries):
        yield key, _entry(*entries[key])


def _entry(dtype, shape, shard, offset, size, crc, slices):
    """A serialized BundleEntryProto; zero fields are left out, as proto3 does."""
    out = bytearray()
    _put(out, 1, dtype)
    shape_proto = bytearray()
    for n in shape:
        _message(shape_proto, 2, _varint_field(1, n))
    _message(out, 2, shape_proto)  # written even when empty (a scalar), as TF's AsProto does
    for number, value in ((3, shard), (4, offset), (5, size)):
        _put(out, number, value)
    if crc:
        out += b"\x35" + struct.pack("<I", crc)  # field 6, fixed32
    for extents in slices:
        proto = bytearray()
        for start, length in extents:  # start left out when 0; length always (a oneof)
            _message(proto, 1, _varint_field(1, start) + b"\x10" + _varint(length))
        _message(out, 7, proto)
    return bytes(out)


def _varint(value):
    out = bytearray()
    put_varint(value, out)
    return bytes(out)


def _varint_field(number, value):
    return bytes([number << 3]) + _varint(value) if value else b""


def _put(out, number, value):
    out += _varint_field(number, value)


def _message(out, number, body):
    out.append(number << 3 | 2)
    put_varint(len(body), out)
    out += body
