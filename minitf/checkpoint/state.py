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


class CheckpointState:
    """`model_checkpoint_path` (the newest) and `all_model_checkpoint_paths` (oldest first)."""

    def __init__(self, model_checkpoint_path, all_model_checkpoint_paths):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)

    def __repr__(self):
        return (f"model_checkpoint_path: {self.model_checkpoint_path!r}\n"
                f"all_model_checkpoint_paths: {self.all_model_checkpoint_paths!r}")


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The directory's CheckpointState (relative paths joined to it), or None without one.

    Raises:
      ValueError: the state file is not in the format above.
    """
    path = os.path.join(checkpoint_dir, latest_filename or "checkpoint")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return None
    model, everything = None, []
    for line in text.splitlines():
        if not line.strip():
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
    return CheckpointState(model, everything)


def update_checkpoint_state(checkpoint_dir, model_path, all_paths=None, latest_filename=None):
    """Writes the state file (atomically), with paths inside the directory made relative."""
    all_paths = [model_path] if all_paths is None else all_paths
    def rel(p):
        r = os.path.relpath(p, checkpoint_dir)
        return p if r.startswith(os.pardir) else r
    lines = [f'model_checkpoint_path: "{_escape(rel(model_path))}"']
    lines += [f'all_model_checkpoint_paths: "{_escape(rel(p))}"' for p in all_paths]
    text = "\n".join(lines) + "\n"
    path = os.path.join(checkpoint_dir, latest_filename or "checkpoint")
    atomic_write(path, lambda f: f.write(text.encode("utf-8")))


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The newest checkpoint's prefix in `checkpoint_dir`, or None (no state, or its files
    are gone)."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is not None and checkpoint.exists(state.model_checkpoint_path):
        return state.model_checkpoint_path
    return None


def _escape(text):
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _unescape(text):
    return codecs.escape_decode(text.encode("utf-8"))[0].decode("utf-8")
