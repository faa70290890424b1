"""TF's checkpoint ops, as TF's Saver builds them into a graph: `SaveV2` writes tensors (or
slices of them) to a V2 bundle, `RestoreV2` reads them back, `ShardedFilename` and
`MergeV2Checkpoints` make one checkpoint of a sharded save's parts. They run what
minitf.checkpoint does: imported TF graphs (a `.meta` file's `save/restore_all`) work, and
`train.init_from_checkpoint` makes variables' initializers of `RestoreV2`, as TF does.

A tensor's slice spec is TF's: "" for the whole tensor, else the full shape then one extent per
dimension, `"4 2 0,2:-"` (rows 0-1 of a 4x2 tensor, every column).
"""
import glob
import os
import re
import shutil

import numpy as np

from minitf import checkpoint
from minitf.checkpoint import bundle, bundle_writer
from minitf.framework import dtypes as _dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.errors import InvalidArgumentError, NotFoundError
from minitf.framework.registry import register_op

__all__ = ["restore_v2", "save_v2", "slice_spec", "restore_tensor"]


def slice_spec(full_shape, offset, shape):
    """Returns TF's spec of a slice, e.g. `"4 2 2,2:0,2"`.

    Args:
      full_shape: the full tensor's shape.
      offset: where the slice starts.
      shape: the slice's shape.

    Returns:
      The spec string.
    """
    dims = " ".join(str(n) for n in full_shape)
    return f"{dims} " + ":".join(f"{o},{n}" for o, n in zip(offset, shape))


def _parse_spec(spec, op, name):
    """(full shape, index of the slice) of a spec; (None, None) for the whole tensor."""
    spec = spec.decode() if isinstance(spec, bytes) else str(spec)
    if not spec:
        return None, None
    *dims, extents = spec.split(" ")
    try:
        full = [int(d) for d in dims]
        index = []
        for extent, n in zip(extents.split(":"), full, strict=True):
            start, length = (0, n) if extent == "-" else map(int, extent.split(","))
            if start < 0 or length < 0 or start + length > n:
                raise ValueError
            index.append(slice(start, start + length))
    except ValueError:
        raise InvalidArgumentError(None, op, f"Could not parse shape_and_slice specification "
                                   f"{spec!r} of tensor {name}") from None
    return full, tuple(index)


def _spec_shapes(shape_and_slices, count):
    """The static shapes the specs give (None where a spec is "" or not known)."""
    specs = constant_value(shape_and_slices)
    if specs is None:
        return [None] * count
    shapes = []
    for spec in np.ravel(specs):
        try:
            full, index = _parse_spec(spec, None, "?")
        except InvalidArgumentError as e:  # (TF checks a constant spec when building)
            raise ValueError(e.message) from None
        shapes.append(None if full is None else tuple(s.stop - s.start for s in index))
    return shapes


def _names(values, what, count, op):
    values = np.ravel(values)
    if values.size != count:
        raise InvalidArgumentError(None, op, f"Expected {what} to have {count} elements, got "
                                   f"{values.size}")
    return [v.decode("utf-8", "surrogateescape") if isinstance(v, bytes) else str(v)
            for v in values]


def _path(prefix):
    prefix = prefix.item() if isinstance(prefix, np.ndarray) else prefix
    return prefix.decode("utf-8", "surrogateescape") if isinstance(prefix, bytes) else prefix


# -- RestoreV2 -----------------------------------------------------------------------------------
@register_op("RestoreV2", shape=lambda prefix, names, specs, *, dtypes: _spec_shapes(
    specs, len(dtypes)), dtype=lambda *inputs, dtypes: list(dtypes), outputs="n",
    stateful=True, differentiable=False)
def _restore(state, op, prefix, tensor_names, shape_and_slices, *, dtypes):
    # read at run time, as TF's RestoreV2: the checkpoint may be rewritten after the graph
    prefix = _path(prefix)
    names = _names(tensor_names, "tensor_names", len(dtypes), op)
    specs = _names(shape_and_slices, "shape_and_slices", len(dtypes), op)
    reader = checkpoint.open_checkpoint(prefix)
    try:
        return [_restored(reader, op, prefix, name, spec, dtype)
                for name, spec, dtype in zip(names, specs, dtypes)]
    finally:
        reader.close()


def _restored(reader, op, prefix, name, spec, dtype):
    if name not in reader.names():
        raise NotFoundError(None, op, f"Key {name} not found in checkpoint {prefix}")
    have = reader.dtype(name)
    if have != dtype:
        raise InvalidArgumentError(
            None, op, f"tensor_name = {name}; expected dtype {dtype.name} does not equal "
            f"original dtype {have.name}")
    full, index = _parse_spec(spec, op, name)
    stored = list(reader.shape(name))
    if full is not None and stored != full:
        raise InvalidArgumentError(None, op, f"tensor_name = {name}; shape in shape_and_slice "
                                   f"spec {full} does not match the shape stored in checkpoint: "
                                   f"{stored}")
    if index is None:
        return reader.tensor(name)
    if hasattr(reader, "tensor_slice"):  # (a TF bundle may hold only some of the slices)
        return reader.tensor_slice(name, index)
    return reader.tensor(name)[index]


def restore_v2(prefix, tensor_names, shape_and_slices, dtypes, name=None):
    """Returns the tensors `tensor_names` read from the checkpoint at `prefix` when run.

    Args:
      prefix: the checkpoint's prefix (a string Tensor or a string).
      tensor_names: the names of the tensors in the checkpoint.
      shape_and_slices: one slice spec per name ("" for the whole tensor).
      dtypes: the DType of each tensor.
      name: the op's name (default "RestoreV2").

    Returns:
      A list of Tensors, one per name.
    """
    with name_scope(name, "RestoreV2") as scope:
        inputs = [convert_to_tensor(prefix, _dtypes.string, name="prefix"),
                  convert_to_tensor(tensor_names, _dtypes.string, name="tensor_names"),
                  convert_to_tensor(shape_and_slices, _dtypes.string, name="shape_and_slices")]
        return _restore.apply(inputs, name=scope, dtypes=list(dtypes))


def restore_tensor(prefix, tensor_name, shape, dtype, offset=None, name="checkpoint_initializer"):
    """Returns a tensor reading checkpoint tensor `tensor_name` when run.

    It is what TF's `init_from_checkpoint` assigns from: a RestoreV2 op.

    Args:
      prefix: the checkpoint's prefix.
      tensor_name: the tensor's name in the checkpoint.
      shape: the shape read (a partition's, with `offset`).
      dtype: the tensor's DType.
      offset: where a partition starts in the full tensor; None reads all of it.
      name: the op's name.

    Returns:
      The RestoreV2 op's Tensor.
    """
    spec = "" if offset is None else slice_spec(_full_shape(prefix, tensor_name), offset, shape)
    return restore_v2(prefix, [tensor_name], [spec], [dtype], name=name)[0]


def _full_shape(prefix, tensor_name):
    reader = checkpoint.open_checkpoint(prefix)
    try:
        return list(reader.shape(tensor_name))
    finally:
        reader.close()


# -- SaveV2 --------------------------------------------------------------------------------------
@register_op("SaveV2", shape=lambda *inputs, dtypes: [], dtype=lambda *inputs, dtypes: [],
             outputs=0, stateful=True, differentiable=False)
def _save(state, op, prefix, tensor_names, shape_and_slices, *tensors, dtypes):
    prefix = _path(prefix)
    names = _names(tensor_names, "tensor_names", len(tensors), op)
    specs = _names(shape_and_slices, "shape_and_slices", len(tensors), op)
    shard = []
    for name, spec, value, dtype in zip(names, specs, tensors, dtypes):
        full, index = _parse_spec(spec, op, name)
        where = None if full is None else (full, [s.start for s in index])
        if full is not None and tuple(s.stop - s.start for s in index) != np.shape(value):
            raise InvalidArgumentError(None, op, f"Slice {spec} of {name} does not fit a "
                                       f"tensor of shape {list(np.shape(value))}")
        shard.append((name, dtype, value, where))
    os.makedirs(os.path.dirname(prefix) or ".", exist_ok=True)
    bundle_writer.write(prefix, [shard])


def _save_dtypes(prefix, tensor_names, shape_and_slices, *tensors):
    return [t.dtype.base_dtype for t in tensors]


def save_v2(prefix, tensor_names, shape_and_slices, tensors, name=None):
    """Returns an op writing `tensors` to a V2 checkpoint at `prefix` when run.

    Args:
      prefix: the checkpoint's prefix (a string Tensor or a string).
      tensor_names: the names to save the tensors under.
      shape_and_slices: one slice spec per tensor ("" for a whole tensor).
      tensors: the Tensors to save.
      name: the op's name (default "SaveV2").

    Returns:
      The Operation.
    """
    with name_scope(name, "SaveV2") as scope:
        inputs = [convert_to_tensor(prefix, _dtypes.string, name="prefix"),
                  convert_to_tensor(tensor_names, _dtypes.string, name="tensor_names"),
                  convert_to_tensor(shape_and_slices, _dtypes.string, name="shape_and_slices")]
        tensors = [convert_to_tensor(t) for t in tensors]
        return _save.apply(inputs + tensors, name=scope,
                           dtypes=_save_dtypes(*inputs, *tensors))


# -- sharded saves -------------------------------------------------------------------------------
@register_op("ShardedFilename", shape=lambda *inputs: (), dtype=lambda *inputs: _dtypes.string,
             differentiable=False)
def _sharded_filename(basename, shard, num_shards):
    return np.array(b"%s-%05d-of-%05d" % (_path(basename).encode(), int(shard), int(num_shards)),
                    dtype=object)


@register_op("ShardedFilespec", shape=lambda *inputs: (), dtype=lambda *inputs: _dtypes.string,
             differentiable=False)
def _sharded_filespec(basename, num_shards):
    return np.array(b"%s-?????-of-%05d" % (_path(basename).encode(), int(num_shards)), dtype=object)


@register_op("MergeV2Checkpoints", shape=lambda *inputs, **attrs: [],
             dtype=lambda *inputs, **attrs: [], outputs=0, stateful=True, differentiable=False)
def _merge(state, op, checkpoint_prefixes, destination_prefix, *, delete_old_dirs=True,
           allow_missing_files=False):
    # each part becomes one data file of the merged checkpoint (its tensors in their order)
    destination = _path(destination_prefix)
    shards = []
    for prefix in (_path(p) for p in np.ravel(checkpoint_prefixes)):
        if not bundle.exists(prefix):
            if allow_missing_files:
                continue
            raise NotFoundError(None, op, f"MergeV2Checkpoints: no checkpoint at {prefix}")
        shards.append(_tensors_of(bundle.BundleReader(prefix)))
    os.makedirs(os.path.dirname(destination) or ".", exist_ok=True)
    bundle_writer.write(destination, shards)
    for prefix in (_path(p) for p in np.ravel(checkpoint_prefixes)):
        for path in glob.glob(glob.escape(prefix) + ".data-*") + [prefix + ".index"]:
            if os.path.exists(path):
                os.remove(path)
        directory = os.path.dirname(prefix)
        if delete_old_dirs and directory and directory != os.path.dirname(destination):
            shutil.rmtree(directory, ignore_errors=True)  # (TF's "<prefix>_temp" directory)


def _tensors_of(reader):
    """A one-shard bundle's tensors and slices as bundle_writer.write takes them, in the
    order of their bytes in its data file."""
    out = []
    for name in reader.names():
        entry, dtype = reader.entry(name), reader.dtype(name)
        if not entry["slices"]:
            out.append((entry["offset"], (name, dtype, reader.tensor(name), None)))
            continue
        for extents in entry["slices"]:
            part = reader._part(name, extents, entry["shape"])
            if part is None:  # a slice another part holds
                continue
            index = reader._extent(name, extents, entry["shape"])
            value = reader._read(name, part, dtype)
            out.append((part["offset"], (name, dtype, value,
                                         (entry["shape"], [s.start for s in index]))))
    return [tensor for _, tensor in sorted(out, key=lambda item: item[0])]


@register_op("StringJoin", shape=lambda *inputs, **attrs: _broadcast_shape(inputs),
             dtype=lambda *inputs, **attrs: _dtypes.string, differentiable=False)
def _string_join(*inputs, separator=""):
    sep = separator.encode() if isinstance(separator, str) else separator
    parts = np.broadcast_arrays(*[np.asarray(x, dtype=object) for x in inputs])
    joined = [sep.join(items) for items in zip(*(np.ravel(p) for p in parts))]
    return np.array(joined, dtype=object).reshape(parts[0].shape)


def _broadcast_shape(inputs):
    shapes = [t._shape for t in inputs]
    if any(s is None for s in shapes):
        return None
    ranked = [s for s in shapes if len(s)]
    return ranked[0] if ranked else ()


@register_op("StaticRegexFullMatch", shape=lambda x, *, pattern: x._shape,
             dtype=lambda x, *, pattern: _dtypes.bool, differentiable=False)
def _static_regex_full_match(x, *, pattern):
    regex = re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
    flat = [regex.fullmatch(s) is not None for s in np.ravel(np.asarray(x, dtype=object))]
    return np.array(flat, dtype=bool).reshape(np.shape(x))
