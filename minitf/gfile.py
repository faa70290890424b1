"""`tf.gfile` / `tf.io.gfile`: TF's file API, for local paths.

TF1's names (`GFile`, `Exists`, `MakeDirs`, ...) and TF2's (`exists`, `makedirs`, ...) are both
here. Failures raise TF's errors (`tf.errors.NotFoundError`, `AlreadyExistsError`, ...) with TF's
messages, not Python's OSError.
"""
import collections
import glob as _glob
import os
import shutil

from minitf.framework import errors

__all__ = [
    "GFile", "Open", "FastGFile", "Exists", "MakeDirs", "MkDir", "DeleteRecursively", "Glob",
    "ListDirectory", "Copy", "Rename", "Remove", "Walk", "Stat", "IsDirectory", "FileStatistics",
    "exists", "makedirs", "mkdir", "rmtree", "glob", "listdir", "copy", "rename", "remove", "walk",
    "stat", "isdir", "join",
]


def _os_error(path, exc):
    """TF's error for an OSError: `<path>; <strerror>`, typed by errno as TF types it."""
    kind = {FileNotFoundError: errors.NotFoundError, FileExistsError: errors.AlreadyExistsError,
            PermissionError: errors.PermissionDeniedError,
            IsADirectoryError: errors.FailedPreconditionError,
            NotADirectoryError: errors.FailedPreconditionError}.get(type(exc), errors.UnknownError)
    return kind(None, None, f"{path}; {exc.strerror}")


class GFile:
    """A file (TF's file I/O without thread locking), opened on its first read or write.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "notes.txt")
    >>> with tf.gfile.GFile(path, "w") as f:
    ...     _ = f.write("one\\ntwo\\n")
    >>> [line for line in tf.gfile.GFile(path)]
    ['one\\n', 'two\\n']

    Args:
      name: the file's path.
      mode: "r", "w", "a", "r+", "w+" or "a+", with "b" for bytes (text is UTF-8 `str`).

    Raises:
      InvalidArgumentError: an unknown mode.
    """

    def __init__(self, name, mode="r"):
        if mode.replace("b", "") not in ("r", "w", "a", "r+", "w+", "a+"):
            raise errors.InvalidArgumentError(
                None, None, "mode is not 'r' or 'w' or 'a' or 'r+' or 'w+' or 'a+'")
        self._name, self._mode, self._file = os.fspath(name), mode, None
        self._binary = "b" in mode

    name = property(lambda self: self._name)
    mode = property(lambda self: self._mode)

    def _opened(self, for_write):
        if for_write and self._mode.startswith("r") and "+" not in self._mode:
            raise errors.PermissionDeniedError(None, None, "File isn't open for writing")
        if not for_write and self._mode[0] in "wa" and "+" not in self._mode:
            raise errors.PermissionDeniedError(None, None, "File isn't open for reading")
        if self._file is None:
            mode = self._mode.replace("b", "") + "b"  # bytes on disk; text is decoded here
            try:
                self._file = open(self._name, mode)
            except OSError as exc:
                raise _os_error(self._name, exc) from None
        return self._file

    def _out(self, data):
        return data if self._binary else data.decode("utf-8")

    def size(self):
        """Returns the file's length in bytes."""
        if self._file is not None:
            self._file.flush()
        return stat(self._name).length

    def write(self, file_content):
        """Writes `file_content` (a str, encoded as UTF-8, or bytes).

        Args:
          file_content: what to write.
        """
        if isinstance(file_content, str):
            file_content = file_content.encode("utf-8")
        self._opened(True).write(file_content)

    def read(self, n=-1):
        """Returns up to `n` bytes (all when `n` is -1), str in text mode.

        Args:
          n: how many bytes to read, or -1 for the rest of the file.
        """
        return self._out(self._opened(False).read(n))

    def readline(self):
        """Returns the next line, with its newline ("" at the end)."""
        return self._out(self._opened(False).readline())

    def readlines(self):
        """Returns the remaining lines, as a list."""
        return [self._out(line) for line in self._opened(False).readlines()]

    def __iter__(self):
        return self

    def __next__(self):
        """Returns the next line (for iteration); raises StopIteration at the end."""
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    next = __next__

    def seek(self, offset=None, whence=0, position=None):
        """Moves the read/write position.

        Args:
          offset: the offset, relative to `whence`.
          whence: 0 (start), 1 (current position) or 2 (end).
          position: TF's deprecated name for `offset`.
        """
        offset = position if offset is None else offset
        self._opened(False if self._mode.startswith("r") else True).seek(offset, whence)

    def tell(self):
        """Returns the current position in bytes."""
        return self._opened(not self._mode.startswith("r")).tell()

    def flush(self):
        """Pushes buffered writes to the file."""
        if self._file is not None:
            self._file.flush()

    def close(self):
        """Closes the file (flushing writes)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def seekable(self):
        """Returns True: local files can seek."""
        return True

    def __enter__(self):
        return self

    def __del__(self):
        # TF's file objects close when collected, silently: `GFile(p).read()` is idiomatic TF1
        if getattr(self, "_file", None) is not None:
            self._file.close()

    def __exit__(self, *exc_info):
        self.close()


Open = GFile


class FastGFile(GFile):
    """TF1's deprecated alias of `GFile`.

    Args:
      name: the file's path.
      mode: the mode, as for `GFile`.
    """


FileStatistics = collections.namedtuple("FileStatistics", ["length", "mtime_nsec", "is_directory"])
FileStatistics.__doc__ = """What `stat` returns: the length in bytes, mtime in ns, is_directory."""


def exists(path):
    """Returns whether `path` (a file or directory) exists.

    Args:
      path: the path.
    """
    return os.path.exists(path)


def isdir(path):
    """Returns whether `path` is a directory (False when it does not exist).

    Args:
      path: the path.
    """
    return os.path.isdir(path)


def stat(path):
    """Returns the `FileStatistics` (length, mtime_nsec, is_directory) of `path`.

    Args:
      path: the path.

    Raises:
      NotFoundError: `path` does not exist.
    """
    try:
        result = os.stat(path)
    except OSError as exc:
        raise _os_error(path, exc) from None
    return FileStatistics(result.st_size, result.st_mtime_ns, os.path.isdir(path))


def makedirs(path):
    """Creates a directory and any missing parents; nothing happens when it exists.

    Args:
      path: the directory.
    """
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise _os_error(path, exc) from None


def mkdir(path):
    """Creates one directory (its parent must exist; an existing directory is fine).

    Args:
      path: the directory.

    Raises:
      NotFoundError: the parent does not exist.
    """
    if os.path.isdir(path):
        return
    try:
        os.mkdir(path)
    except OSError as exc:
        raise _os_error(path, exc) from None


def rmtree(path):
    """Deletes a directory and everything under it (or a single file).

    Args:
      path: the directory or file.

    Raises:
      NotFoundError: `path` does not exist.
    """
    if not os.path.lexists(path):
        raise errors.NotFoundError(None, None, f"{path} not found")
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.remove(path)


def remove(path):
    """Deletes a file.

    Args:
      path: the file.

    Raises:
      NotFoundError: it does not exist.
      FailedPreconditionError: it is a directory.
    """
    try:
        os.remove(path)
    except OSError as exc:
        raise _os_error(path, exc) from None


def _check_target(newpath, overwrite):
    if not overwrite and os.path.exists(newpath):
        raise errors.AlreadyExistsError(None, None, "file already exists")


def copy(oldpath, newpath, overwrite=False):
    """Copies a file.

    Args:
      oldpath: the file to copy.
      newpath: where to copy it.
      overwrite: replace `newpath` if it exists (else AlreadyExistsError).
    """
    _check_target(newpath, overwrite)
    try:
        shutil.copyfile(oldpath, newpath)
    except OSError as exc:
        raise _os_error(oldpath if not os.path.exists(oldpath) else newpath, exc) from None


def rename(oldname, newname, overwrite=False):
    """Renames (moves) a file or directory.

    Args:
      oldname: the current path.
      newname: the new path.
      overwrite: replace `newname` if it exists (else AlreadyExistsError).
    """
    _check_target(newname, overwrite)
    try:
        os.replace(oldname, newname)
    except OSError as exc:
        raise _os_error(oldname if not os.path.exists(oldname) else newname, exc) from None


def listdir(path):
    """Returns the names of the entries of a directory (not `.` and `..`), in no set order.

    Args:
      path: the directory.

    Raises:
      NotFoundError: it is not a directory.
    """
    if not os.path.isdir(path):
        raise errors.NotFoundError(None, None, f"Could not find directory {path}")
    return os.listdir(path)


def glob(pattern):
    """Returns the paths matching a pattern (`*`, `?`, `[...]`), or [] when none do.

    Args:
      pattern: the pattern, or a list of patterns.
    """
    patterns = [pattern] if isinstance(pattern, (str, bytes, os.PathLike)) else pattern
    return [match for p in patterns for match in _glob.glob(os.fspath(p))]


def walk(top, in_order=True):
    """Yields (dirname, subdirectory names, file names) for `top` and every directory under it.

    Args:
      top: the directory to walk (nothing is yielded when it does not exist).
      in_order: parents before their subdirectories (True), or after them.
    """
    if not os.path.isdir(top):
        return
    names = listdir(top)
    subdirs = [n for n in names if os.path.isdir(os.path.join(top, n))]
    files = [n for n in names if n not in subdirs]
    if in_order:
        yield top, subdirs, files
    for subdir in subdirs:
        yield from walk(os.path.join(top, subdir), in_order)
    if not in_order:
        yield top, subdirs, files


def join(path, *paths):
    """Joins path components (`os.path.join` for local paths).

    Args:
      path: the first component.
    """
    return os.path.join(path, *paths)


Exists, IsDirectory, Stat, MakeDirs, MkDir = exists, isdir, stat, makedirs, mkdir
DeleteRecursively, Remove, Copy, Rename, ListDirectory = rmtree, remove, copy, rename, listdir
Glob, Walk = glob, walk
