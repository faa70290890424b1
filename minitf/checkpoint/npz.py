"""minitf's own checkpoint format: one NumPy `.npz` per checkpoint, `prefix.npz`.

Tensors are stored as `t0`, `t1`, ... beside a JSON manifest (`manifest`: uint8 bytes) giving each
one's name, dtype and shape, so names never have to be zip member names. A string tensor is a
uint8 blob (`t<i>`) and its element lengths (`l<i>`). Nothing is pickled: files are written and
read with `allow_pickle=False`, so loading a checkpoint never runs code. A write goes to a
temporary file that is fsynced and renamed over the target: a crash leaves the old file whole.
"""
import json
import os
import re
import tempfile
import tokenize
import zipfile

import numpy as np

from minitf.checkpoint.wire import corrupt, damage_is_data_loss
from minitf.framework import dtypes
from minitf.framework.errors import NotFoundError

SUFFIX = ".npz"
_FORMAT = "minitf-checkpoint-1"


def exists(prefix):
    return os.path.exists(prefix + SUFFIX)


def write(prefix, tensors):
    """Writes {name: (DType, ndarray)} to `prefix.npz` atomically; returns the file's path."""
    arrays, manifest = {}, []
    for i, (name, (dtype, value)) in enumerate(tensors.items()):
        manifest.append({"name": name, "dtype": dtype.name, "shape": list(np.shape(value))})
        if dtype == dtypes.string:
            flat = [v.encode("utf-8") if isinstance(v, str) else bytes(v)
                    for v in np.asarray(value, dtype=object).ravel()]
            arrays[f"t{i}"] = np.frombuffer(b"".join(flat), dtype=np.uint8)
            arrays[f"l{i}"] = np.array([len(v) for v in flat], dtype=np.int64)
        else:
            arrays[f"t{i}"] = np.asarray(value, dtype=dtype.as_numpy_dtype)
    arrays["manifest"] = np.frombuffer(
        json.dumps({"format": _FORMAT, "tensors": manifest}).encode("utf-8"), dtype=np.uint8)
    path = prefix + SUFFIX
    atomic_write(path, lambda f: np.savez(f, allow_pickle=False, **arrays))
    return path


def atomic_write(path, write_to):
    """Calls `write_to(file)` on a temporary file beside `path`, then fsyncs it and renames it
    over `path` (and fsyncs the directory): `path` is the old file or the new, never half.

    A killed writer leaves its temporary behind; each write first removes those of writers
    that are gone (their names carry the writer's process id)."""
    directory = os.path.dirname(path) or "."
    _remove_stale_temporaries(directory)
    fd, tmp = tempfile.mkstemp(prefix=f"{os.path.basename(path)}.minitf-{os.getpid()}.",
                               suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            write_to(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class NpzReader:
    """The tensors of the minitf checkpoint at `prefix` (the manifest read now)."""

    @damage_is_data_loss
    def __init__(self, prefix):
        self.prefix = path = prefix + SUFFIX
        try:
            self._file = open(path, "rb")
        except FileNotFoundError:
            raise NotFoundError(None, None, f"Failed to find any matching files for {prefix}"
                                ) from None
        try:
            self._zip = np.load(self._file, allow_pickle=False)
            manifest = json.loads(bytes(self._member("manifest")).decode("utf-8"))
            if manifest.get("format") != _FORMAT:
                raise ValueError(f"unknown format {manifest.get('format')!r}")
            self._index = {_name(t): (i, dtypes.as_dtype(t["dtype"]), _shape(t))
                           for i, t in enumerate(manifest["tensors"])}
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, TypeError) as exc:
            self._file.close()
            raise corrupt(f"{path}: not a readable checkpoint ({exc}).") from None
        except BaseException:
            self._file.close()
            raise

    def _member(self, key):
        """Member `key`, read only once its sizes check out against the file: minitf stores
        members uncompressed, so a crafted header or a zip bomb cannot make it allocate more
        than the file holds."""
        try:
            info = self._zip.zip.getinfo(key + ".npy")
            if info.compress_type != zipfile.ZIP_STORED or info.compress_size != info.file_size:
                raise ValueError("a compressed member (minitf stores its members as they are)")
            # the sizes are the central directory's claims: they must fit in the file itself
            size = os.fstat(self._file.fileno()).st_size
            if info.header_offset + info.compress_size > size:
                raise ValueError(f"it claims {info.compress_size} bytes at offset "
                                 f"{info.header_offset} of a file of {size}")
            with self._zip.zip.open(info) as f:
                read_header = {(1, 0): np.lib.format.read_array_header_1_0,
                               (2, 0): np.lib.format.read_array_header_2_0}.get(
                                   np.lib.format.read_magic(f))
                if read_header is None:
                    raise ValueError("an .npy version minitf does not write")
                shape, _, dtype = read_header(f)
            if dtype.hasobject or int(np.prod(shape, dtype=object)) * dtype.itemsize > (
                    info.file_size):
                raise ValueError(f"its header claims {dtype}{list(shape)}, more than it holds")
            return self._zip[key]
        except KeyError:
            raise corrupt(f"{self.prefix}: the checkpoint lacks its member {key}.") from None
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, TypeError, OverflowError,
                SyntaxError, tokenize.TokenError) as exc:  # (the last two: numpy's header parser)
            raise corrupt(f"{self.prefix}: {key} is corrupted ({type(exc).__name__}: {exc})."
                          ) from None

    @damage_is_data_loss
    def names(self):
        return sorted(self._index)

    def _find(self, name):
        found = self._index.get(name)
        if found is None:
            raise NotFoundError(None, None, f"Key {name} not found in checkpoint")
        return found

    @damage_is_data_loss
    def dtype(self, name):
        return self._find(name)[1]

    @damage_is_data_loss
    def shape(self, name):
        return self._find(name)[2]

    @damage_is_data_loss
    def tensor(self, name):
        i, dtype, shape = self._find(name)
        value = self._member(f"t{i}")
        if dtype == dtypes.string:
            lengths = self._member(f"l{i}")
            if lengths.ndim != 1 or lengths.dtype.kind not in "iu":
                raise corrupt(f"{self.prefix}: the lengths of {name} are {lengths.dtype}"
                              f"{list(lengths.shape)}, not a list of integers.")
            lengths = lengths.tolist()  # (Python ints: an int64 sum could wrap around)
            if (min(lengths, default=0) < 0 or sum(lengths) != value.size
                    or len(lengths) != int(np.prod(shape, dtype=object))):
                raise corrupt(f"{self.prefix}: the strings of {name} do not match its lengths.")
            blob, out, pos = value.tobytes(), np.empty(len(lengths), dtype=object), 0
            for k, n in enumerate(lengths):
                out[k], pos = blob[pos:pos + n], pos + n
            return out.reshape(shape)
        if value.shape != shape or value.dtype != np.dtype(dtype.as_numpy_dtype):
            raise corrupt(f"{self.prefix}: {name} holds {value.dtype}{list(value.shape)}, not "
                          f"the {dtype.name}{list(shape)} its manifest says.")
        return value

    def close(self):
        self._zip.close()
        self._file.close()

    def __del__(self):  # a reader the user drops without closing (load_checkpoint's)
        if getattr(self, "_zip", None) is not None:
            self.close()


def _name(tensor):
    if not isinstance(tensor["name"], str):
        raise ValueError(f"a tensor named {tensor['name']!r}")
    return tensor["name"]


def _shape(tensor):
    """A manifest's shape: a list of ints >= 0 (not bools, which Python counts as ints)."""
    shape = tensor["shape"]
    if not isinstance(shape, list) or any(type(n) is not int or n < 0 for n in shape):
        raise ValueError(f"tensor {tensor['name']!r} has shape {shape!r}")
    return tuple(shape)


_TEMPORARY = re.compile(r"\.minitf-(\d+)\.\w+\.tmp$")


def _remove_stale_temporaries(directory):
    for entry in os.scandir(directory):
        match = _TEMPORARY.search(entry.name)
        if match and not _alive(int(match.group(1))):
            try:
                os.remove(entry.path)
            except FileNotFoundError:  # another writer cleaned it first
                pass


def _alive(pid):
    if os.name != "posix":  # (elsewhere os.kill would end the process): keep every temporary
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OverflowError:  # not a process id at all
        return False
    return True
