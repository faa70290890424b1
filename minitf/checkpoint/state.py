"""The `checkpoint` state file beside a directory's checkpoints, in TF's text format:

    model_checkpoint_path: "model.ckpt-100"
    all_model_checkpoint_paths: "model.ckpt-90"
    all_model_checkpoint_paths: "model.ckpt-100"

minitf writes paths relative to the directory (for checkpoints inside it), so a directory can be
moved; it reads relative and absolute ones, as TF writes either.
"""
import codecs
import os
import re

from minitf import checkpoint
from minitf.checkpoint.npz import atomic_write

_LINE = re.compile(r'^\s*(\w+)\s*:\s*"((?:[^"\\]|\\.)*)"\s*$')
_NUMBER = re.compile(r'^\s*(all_model_checkpoint_timestamps|last_preserved_timestamp)\s*:\s*'
                     r'([-+0-9.eEinfINFa]+)\s*$')  # tf.train.CheckpointManager's times


class CheckpointState:
    """A directory's checkpoints, as its state file lists them.

    Attributes:
      model_checkpoint_path: the newest checkpoint's prefix.
      all_model_checkpoint_paths: the prefixes of the checkpoints kept, oldest first.
      all_model_checkpoint_timestamps: their save times, if the file has them
        (`tf.train.CheckpointManager` writes them).
      last_preserved_timestamp: the time of the last checkpoint kept for good, or 0.
    """

    def __init__(self, model_checkpoint_path, all_model_checkpoint_paths):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)
        self.all_model_checkpoint_timestamps = []
        self.last_preserved_timestamp = 0.0

    def __repr__(self):
        return (f"model_checkpoint_path: {self.model_checkpoint_path!r}\n"
                f"all_model_checkpoint_paths: {self.all_model_checkpoint_paths!r}")


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """Returns the checkpoints listed in a directory's state file (`tf.train`).

    Args:
      checkpoint_dir: the directory.
      latest_filename: the name of the state file (default "checkpoint").

    Returns:
      A CheckpointState, its relative paths joined to `checkpoint_dir`, or None if the
      directory has no state file.

    Raises:
      ValueError: the state file cannot be parsed, or names no newest checkpoint.
    """
    path = os.path.join(checkpoint_dir, latest_filename or "checkpoint")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return None
    model, everything, times, preserved = None, [], [], 0.0
    for line in text.splitlines():
        if not line.strip():
            continue
        number = _NUMBER.match(line)
        if number is not None:
            if number.group(1) == "last_preserved_timestamp":
                preserved = float(number.group(2))
            else:
                times.append(float(number.group(2)))
            continue
        match = _LINE.match(line)
        if match is None:
            raise ValueError(f"Invalid checkpoint state file {path}: cannot parse {line!r}")
        key, value = match.group(1), _unescape(match.group(2))
        value = value if os.path.isabs(value) else os.path.join(checkpoint_dir, value)
        if key == "model_checkpoint_path":
            model = value
        elif key == "all_model_checkpoint_paths":
            everything.append(value)
    if model is None:
        raise ValueError(f"Invalid checkpoint state file {path}: no model_checkpoint_path")
    out = CheckpointState(model, everything)
    out.all_model_checkpoint_timestamps, out.last_preserved_timestamp = times, preserved
    return out


def update_checkpoint_state(checkpoint_dir, model_path, all_paths=None, latest_filename=None,
                            all_model_checkpoint_timestamps=None,
                            last_preserved_timestamp=None):
    """Writes a directory's state file, listing its checkpoints (`tf.train`).

    The file is replaced atomically; paths inside `checkpoint_dir` are written relative to it,
    so the directory can be moved. `Saver.save` calls this.

    Args:
      checkpoint_dir: the directory.
      model_path: the newest checkpoint's prefix.
      all_paths: the prefixes of all the checkpoints kept, oldest first (default:
        `[model_path]`).
      latest_filename: the name of the state file (default "checkpoint").
      all_model_checkpoint_timestamps: the checkpoints' save times, written after the
        paths if given (as `tf.train.CheckpointManager` writes them).
      last_preserved_timestamp: written last if given.
    """
    all_paths = [model_path] if all_paths is None else all_paths
    def rel(p):
        r = os.path.relpath(p, checkpoint_dir)
        return p if r.startswith(os.pardir) else r
    lines = [f'model_checkpoint_path: "{_escape(rel(model_path))}"']
    lines += [f'all_model_checkpoint_paths: "{_escape(rel(p))}"' for p in all_paths]
    lines += [f"all_model_checkpoint_timestamps: {float(t)!r}"
              for t in all_model_checkpoint_timestamps or ()]
    if last_preserved_timestamp is not None:
        lines.append(f"last_preserved_timestamp: {float(last_preserved_timestamp)!r}")
    text = "\n".join(lines) + "\n"
    path = os.path.join(checkpoint_dir, latest_filename or "checkpoint")
    atomic_write(path, lambda f: f.write(text.encode("utf-8")))


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """Returns the newest checkpoint's prefix in `checkpoint_dir`, or None (no state file, or
    its newest checkpoint's files are gone); `tf.train.latest_checkpoint` documents it."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is not None and checkpoint.exists(state.model_checkpoint_path):
        return state.model_checkpoint_path
    return None


def _escape(text):
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _unescape(text):
    return codecs.escape_decode(text.encode("utf-8"))[0].decode("utf-8")
