"""`tf.train.Saver`: saves variables to minitf's `.npz` checkpoints, or to TensorFlow's V2 format
when `write_version=tf.train.SaverDef.V2` is asked for, and restores them from either
(minitf/checkpoint/).

A partitioned variable is saved as its one full tensor under its full name (in TF's format, as
its slices, as TF saves it), so it restores into any partitioning (or none). Values move
between the Session and the files directly: saving and restoring add no ops to the graph (a
finalized graph can be saved and restored). Creating a Saver builds TF's save and restore ops
(saver_graph.py) for its SaverDef to name: TensorFlow importing a `.meta` file runs them, and
so may TF1 code, in minitf too.
"""
import operator
import os
import threading
import time

import numpy as np

from minitf import checkpoint
from minitf.checkpoint import bundle_writer, npz, state
from minitf.framework.device import canonical_name
from minitf.framework.eager import _STATE as _EAGER_STATE
from minitf.framework.errors import InvalidArgumentError
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.framework.meta_graph_pb import MetaGraphDef
from minitf.framework.ops import Tensor
from minitf.framework.saver_pb import SaverDef
from minitf.ops.state_ops import _stored, _uninitialized
from minitf.partitioned import PartitionedVariable
from minitf.train.checkpoint_management import _files
from minitf.train.meta_graph import export_meta_graph
from minitf.train.saver_graph import build_save_graph
from minitf.variables import Variable

# The MetaInfoDef's meta_graph_version of a meta graph a Saver writing minitf's .npz wrote
NPZ_SAVER = "minitf-npz-saver"


class Saver:
    """Saves and restores variables (`tf.train.Saver`).

    `save` writes minitf's `.npz` checkpoint format, or TensorFlow's V2 format (`.index` and
    `.data-*` files, which TensorFlow restores) given `write_version=tf.train.SaverDef.V2`,
    and the graph's MetaGraphDef as `<prefix>.meta`, as TF does; `restore` reads both.
    Values move between the Session and the files directly: saving and restoring add no ops
    to the graph, so a finalized graph works too. A partitioned variable is saved as its one
    full tensor (as slices of it in TF's format, as TF saves it), so it restores into any
    partitioning (or none).

    >>> import os, tempfile
    >>> v = tf.Variable([1.0, 2.0], name="v")
    >>> saver = tf.train.Saver(max_to_keep=2)
    >>> with tempfile.TemporaryDirectory() as d, tf.Session() as sess:
    ...     sess.run(v.initializer)
    ...     for step in (1, 2, 3):
    ...         path = saver.save(sess, os.path.join(d, "model.ckpt"), global_step=step)
    ...     print(os.path.basename(path), sorted(os.listdir(d))[1:])
    ...     v.load([0.0, 0.0], sess)
    ...     saver.restore(sess, tf.train.latest_checkpoint(d))
    ...     print(sess.run(v))
    model.ckpt-3 ['model.ckpt-2.meta', 'model.ckpt-2.npz', 'model.ckpt-3.meta', 'model.ckpt-3.npz']
    [1. 2.]
    """

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5,
                 keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False,
                 saver_def=None, builder=None, defer_build=False, allow_empty=False,
                 write_version=None, pad_step_number=False, save_relative_paths=False,
                 filename=None):
        """Creates a Saver of the given variables.

        Args:
          var_list: None (all global variables), a list of variables and partitioned
            variables, or a dict from checkpoint names to variables (or to a partitioned
            variable, or the list of its parts).
          reshape: if True, `restore` accepts a stored tensor of another shape with the same
            number of elements, and reshapes it.
          max_to_keep: how many of the newest checkpoints to keep; older ones are deleted
            when a new one is saved (None or 0: keep all).
          keep_checkpoint_every_n_hours: in addition, keep one checkpoint every this many
            hours for good.
          allow_empty: if True, a Saver of no variables is allowed.
          save_relative_paths: accepted; the `checkpoint` file always holds the paths of the
            checkpoints in its directory relative to it.
          sharded: in TF's format, write one data file per device of the variables (the
            same files as unsharded when they are all on one device).
          write_version: None (minitf's default) for minitf's `.npz` format;
            `tf.train.SaverDef.V2` (TF1's default, so asked for explicitly here) for TF's.
          name: the name scope of the save and restore ops (default "save", made unique).
          saver_def: a SaverDef to return from `as_saver_def` (its format is not used); no
            ops are built.
          defer_build: build the ops (and the SaverDef) only when `build` is called.
          filename: the default of the filename placeholder of the ops (default "model").
          restore_sequentially, builder, pad_step_number: accepted for TF compatibility;
            ignored.

        Raises:
          ValueError: there are no variables (and `allow_empty` is False), a variable or a
            checkpoint name is given twice, or a list in `var_list` is not the parts of
            one partitioned variable.
          TypeError: an entry of `var_list` is not a variable, or a key of a dict is not a
            string.
          RuntimeError: `var_list` is None in eager mode (there are no collections to read).
          ValueError: `write_version` is not None or SaverDef.V2 (minitf cannot write the
            deprecated V1 format).
        """
        if write_version not in (None, SaverDef.V2):
            raise ValueError(f"Saver: write_version={write_version!r} is not supported: minitf "
                             "writes TF's V2 checkpoints (write_version=tf.train.SaverDef.V2) "
                             "or its own .npz (write_version=None), not V1.")
        self._saveables = _saveables(var_list)
        if not self._saveables and not allow_empty:
            raise ValueError("No variables to save")
        self._reshape = reshape
        self._max_to_keep = max_to_keep
        self._keep_every = keep_checkpoint_every_n_hours * 3600.0
        self._next_keep = time.time() + self._keep_every
        self._last = []  # [(path, time saved)], oldest first
        self._tf_format, self._sharded = write_version == SaverDef.V2, bool(sharded)
        self._name, self._filename, self._built = name, filename, saver_def is not None
        self._save_lock = threading.Lock()
        self._saver_def = saver_def
        if saver_def is None and not defer_build:
            self._build()

    def build(self):
        """Builds the save and restore ops (TF's) of a Saver made with `defer_build=True`.

        Building twice does nothing.

        Raises:
          RuntimeError: in eager mode (there is no graph to build them in).
        """
        if get_default_graph()._eager:
            raise RuntimeError("Use save/restore instead of build in eager mode.")
        self._build()

    def _build(self):
        if not self._built:
            self._built = True
            self._saver_def = self._new_saver_def(self._name)

    # -- saving ----------------------------------------------------------------------------------
    def save(self, sess, save_path, global_step=None, latest_filename=None,
             meta_graph_suffix="meta", write_meta_graph=True, write_state=True,
             strip_default_attrs=False, save_debug_info=False):
        """Saves the variables' values in a session to a checkpoint.

        The file `<prefix>.npz` (or TF's `<prefix>.index` and `<prefix>.data-*`) is written
        atomically (its directory is made if needed), the directory's `checkpoint` state file
        is updated, and only then are the checkpoints beyond `max_to_keep` deleted, so a save
        killed at any point loses no checkpoint.

        Args:
          sess: the Session holding the values (None in eager mode).
          save_path: the checkpoint's prefix (a path).
          global_step: if given (an int, or a Tensor or variable holding one), `-<step>` is
            appended to the prefix.
          latest_filename: the name of the state file (default "checkpoint").
          write_state: whether to update the state file.
          meta_graph_suffix: the extension of the meta graph file (`<prefix>.meta`), also
            deleted with an expired checkpoint.
          write_meta_graph: whether to write the graph's MetaGraphDef, with this Saver's
            SaverDef, to `<prefix>.<meta_graph_suffix>` (graph mode only), as TF does.
          strip_default_attrs, save_debug_info: accepted for TF compatibility; ignored.

        Returns:
          The checkpoint's prefix, e.g. `save_path-100`.

        Raises:
          RuntimeError: `sess` is closed.
          ValueError: `save_path` is empty, or a variable is not of the session's graph.
          minitf.errors.FailedPreconditionError: a variable is not initialized.
        """
        save_path = os.fspath(save_path)
        if not save_path:
            raise ValueError("Saver.save: no path specified (save_path is empty)")
        # one save at a time per Saver: the step read, the files and the state file in one
        # order (a timed checkpoint thread beside a final save must not name an older one
        # as the latest after it)
        with self._save_lock:
            return self._save(_session(sess), save_path, global_step, latest_filename,
                              meta_graph_suffix, write_meta_graph, write_state)

    def _save(self, sess, save_path, global_step, latest_filename, meta_graph_suffix,
              write_meta_graph, write_state):
        if global_step is not None:
            if isinstance(global_step, (Tensor, Variable)):
                global_step = sess.run(global_step)
            save_path = f"{save_path}-{operator.index(np.asarray(global_step).item())}"
        if self._tf_format:
            shards = _shards(sess, self._saveables, self._sharded)
        else:
            tensors = {name: _value(sess, name, parts) for name, parts in self._saveables.items()}
        directory = os.path.dirname(save_path) or "."
        os.makedirs(directory, exist_ok=True)
        if self._tf_format:
            bundle_writer.write(save_path, shards)
        else:
            npz.write(save_path, tensors)
        if write_meta_graph and not isinstance(sess, _EagerValues):
            # before the state names the checkpoint (TF writes it after): a kill leaves no
            # named checkpoint without its meta graph, and no long step after the naming
            with (getattr(sess, "graph", None) or get_default_graph()).as_default():
                self.export_meta_graph(f"{save_path}.{meta_graph_suffix}")
        expired = self._remember(save_path)
        if write_state:
            state.update_checkpoint_state(directory, save_path, self.last_checkpoints,
                                          latest_filename)
        for path in expired:  # only once the state names the new one (a kill between: no loss)
            _delete(path, meta_graph_suffix)
        return save_path

    def export_meta_graph(self, filename=None, collection_list=None, as_text=False,
                          export_scope=None, clear_devices=False,
                          clear_extraneous_savers=False, strip_default_attrs=False,
                          save_debug_info=False):
        """Returns the default graph's `MetaGraphDef` with this Saver's SaverDef.

        Args:
          filename: the file to write it to (None: not written).
          collection_list: the collection keys to export (default: all).
          as_text: write protobuf's text format instead of the binary one.
          export_scope: only the ops under this name scope, without the scope in their names.
          clear_devices: clear the nodes' devices.
          clear_extraneous_savers, strip_default_attrs, save_debug_info: accepted for TF
            compatibility; ignored.

        Returns:
          The `MetaGraphDef`.
        """
        # (the format of this Saver's files, for the Saver import_meta_graph returns: TF's
        # save ops are in the graph either way)
        info = None if self._tf_format else MetaGraphDef.MetaInfoDef(meta_graph_version=NPZ_SAVER)
        return export_meta_graph(filename=filename, meta_info_def=info, saver_def=self.saver_def,
                                 collection_list=collection_list, as_text=as_text,
                                 export_scope=export_scope, clear_devices=clear_devices)

    def _remember(self, path):
        """Adds `path` as the newest; returns the checkpoints past `max_to_keep` to delete."""
        self._last = [(p, t) for p, t in self._last if p != path] + [(path, time.time())]
        expired = []
        while self._max_to_keep and len(self._last) > self._max_to_keep:
            oldest, saved_at = self._last.pop(0)
            if saved_at >= self._next_keep:
                self._next_keep += self._keep_every  # kept for good, and forgotten here
                continue
            expired.append(oldest)
        return expired

    def _new_saver_def(self, name):
        """TF's SaverDef for this Saver, naming the save and restore ops built for it in the
        graph as TF builds them (saver_graph.py). In eager mode, in a finalized graph or with
        no variables, no ops are built; the names are those TF's ops would have."""
        graph = get_default_graph()
        scope = name or "save"
        names = (f"{scope}/Const:0", f"{scope}/Identity:0" if self._sharded
                 else f"{scope}/control_dependency:0", f"{scope}/restore_all")
        if not graph._eager and not graph.finalized:
            if self._saveables:
                names = [t.name for t in build_save_graph(
                    self._saveables, name, self._filename, self._sharded, self._reshape)]
            else:
                scope = graph.unique_name(scope)
                names = (f"{scope}/Const:0", f"{scope}/Identity:0" if self._sharded
                         else f"{scope}/control_dependency:0", f"{scope}/restore_all")
        return SaverDef(filename_tensor_name=names[0], save_tensor_name=names[1],
                        restore_op_name=names[2], max_to_keep=self._max_to_keep,
                        sharded=self._sharded,
                        keep_checkpoint_every_n_hours=self._keep_every / 3600.0,
                        version=SaverDef.V2)

    @property
    def saver_def(self):
        """The SaverDef of this Saver (TF's names of its save and restore ops)."""
        return self._saver_def

    def as_saver_def(self):
        """Returns the SaverDef of this Saver (`saver_def`)."""
        return self._saver_def

    @property
    def last_checkpoints(self):
        """The paths of the checkpoints this Saver keeps, oldest first."""
        return [p for p, _ in self._last]

    def set_last_checkpoints(self, last_checkpoints):
        """Replaces the list of checkpoints this Saver keeps track of.

        The oldest of them are deleted when later saves pass `max_to_keep`.

        Args:
          last_checkpoints: checkpoint prefixes, oldest first.
        """
        now = time.time()
        self._last = [(p, now) for p in last_checkpoints]

    def recover_last_checkpoints(self, checkpoint_paths):
        """Adopts the checkpoints that still exist, e.g. after a restart.

        Args:
          checkpoint_paths: checkpoint prefixes, oldest first, such as
            `get_checkpoint_state(dir).all_model_checkpoint_paths`.
        """
        self.set_last_checkpoints([p for p in checkpoint_paths if checkpoint.exists(p)])

    # -- restoring -------------------------------------------------------------------------------
    def restore(self, sess, save_path):
        """Restores the variables' values in a session from a checkpoint.

        The checkpoint may be minitf's or TensorFlow 1's (V2 format). Everything is read and
        checked before any variable changes, so on an error no variable has changed.

        Args:
          sess: the Session whose variables to set (None in eager mode).
          save_path: the checkpoint's prefix, e.g. from `save` or `latest_checkpoint`.

        Raises:
          ValueError: `save_path` is None or no checkpoint is there, or a variable is not of
            the session's graph.
          RuntimeError: `sess` is closed.
          minitf.errors.NotFoundError: the checkpoint lacks a variable.
          minitf.errors.InvalidArgumentError: a shape or dtype differs.
          minitf.errors.DataLossError: a checkpoint file is corrupted or truncated.
          minitf.errors.UnimplementedError: a tensor's dtype is one minitf cannot hold.
        """
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        save_path = os.fspath(save_path)
        if not checkpoint.exists(save_path):
            raise ValueError(f"The passed save_path is not a valid checkpoint: {save_path}")
        sess = _session(sess)
        if sess._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        for name, parts in self._saveables.items():
            _check_graph(sess, name, parts)
        reader = checkpoint.open_checkpoint(save_path)
        try:
            values = {}
            for name, parts in self._saveables.items():
                values.update(_restored(reader, name, parts, self._reshape, save_path))
        finally:
            reader.close()
        stored = {var._holder: _stored(value, var.dtype.base_dtype.as_numpy_dtype)
                  for var, value in values.items()}
        sess._state.update(stored)  # one C call: a Ctrl-C or a thread sees all or none of it


def _saveables(var_list):
    """{checkpoint name: [(variable, SaveSliceInfo or None)]}, checking names are unique."""
    if var_list is None:
        if get_default_graph()._eager:
            raise RuntimeError("When eager execution is enabled, `var_list` must specify a list "
                               "or dict of variables to save")
        var_list = get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES)
    if isinstance(var_list, dict):
        for name in var_list:
            if not isinstance(name, str):  # a checkpoint stores names as text
                raise TypeError(f"var_list's keys name the values in the checkpoint and must "
                                f"be strings, not {type(name).__name__}: {name!r}")
        out, seen = {}, {}
        for name in sorted(var_list):
            parts = _parts(var_list[name], name)
            for var, _ in parts:
                if var in seen:
                    raise ValueError(f"The same saveable will be restored with two names: {name}")
                seen[var] = name
            out[name] = parts
        return out
    out, seen = {}, set()
    # in TF's order (the save ops list the parts of a partitioned variable in it)
    for item in sorted(var_list, key=lambda item: str(getattr(item, "name", ""))):
        for var, info in _parts(item, None):
            name = info.full_name if info is not None else var._op_name
            # only the parts of one partitioned variable may share a name, each once
            if var in seen or name in out and (info is None or out[name][0][1] is None):
                raise ValueError(f"At least two variables have the same name: {name}")
            seen.add(var)
            out.setdefault(name, []).append((var, info))
    return out


def _parts(item, key):
    """[(variable, SaveSliceInfo or None)]: a partitioned variable (or list of its parts) as its
    parts; a variable alone is saved whole under a dict key, else as the slice it is, if any."""
    if isinstance(item, PartitionedVariable):
        item = item.get_variable_list()
    if isinstance(item, (list, tuple)):
        parts = [(v, getattr(v, "_save_slice_info", None)) for v in item]
        if not parts or any(not isinstance(v, Variable) or info is None for v, info in parts):
            raise ValueError(f"A list saved under {key} must hold the parts of one partitioned "
                             "variable.")
        return parts
    if not isinstance(item, Variable):
        raise TypeError(f"Variable to save is not a Variable: {item!r}")
    return [(item, getattr(item, "_save_slice_info", None) if key is None else None)]


class _EagerValues:
    """What save and restore take for a session in eager mode (`sess` None): the eager state."""

    _closed = False

    def __init__(self):
        self._state = _EAGER_STATE

    def run(self, value):
        return np.asarray(value)


def _session(sess):
    if sess is None and get_default_graph()._eager:
        return _EagerValues()
    if sess is None:
        raise ValueError("A Session is needed to save or restore in graph mode (sess is None).")
    return sess


def _check_graph(sess, name, parts):
    if isinstance(sess, _EagerValues):
        if not parts[0][0].graph._eager:
            raise ValueError(f"Variable {name} is a graph variable: save it with its Session.")
        return
    if sess.graph is not parts[0][0].graph:
        raise ValueError(f"Variable {name} is not of the session's graph.")


def _shards(sess, saveables, sharded):
    """The tensors to write in TF's format, as bundle_writer.write takes them: in name order,
    a partitioned variable's parts in offset order; one shard per device when `sharded`."""
    groups = {}
    for name in sorted(saveables):
        parts = saveables[name]
        _check_graph(sess, name, parts)
        dtype = parts[0][0].dtype.base_dtype
        for var, info in sorted(parts, key=lambda p: p[1].var_offset if p[1] else []):
            where = None if info is None else (info.full_shape, info.var_offset)
            device = canonical_name(var.device) if sharded else ""
            groups.setdefault(device, []).append((name, dtype, _held(sess, var), where))
    return [groups[device] for device in sorted(groups)]


def _value(sess, name, parts):
    _check_graph(sess, name, parts)
    dtype = parts[0][0].dtype.base_dtype
    if parts[0][1] is None:
        return dtype, _held(sess, parts[0][0])
    full = np.empty(parts[0][1].full_shape, dtype=dtype.as_numpy_dtype)
    for var, info in parts:
        full[_index(info)] = _held(sess, var)
    return dtype, full


def _held(sess, var):
    if sess._closed:
        raise RuntimeError("Attempted to use a closed Session.")
    holder = var._holder
    value = sess._state.get(holder)
    if value is None:
        raise _uninitialized(holder, holder)
    return value


def _index(info):
    return tuple(slice(o, o + n) for o, n in zip(info.var_offset, info.var_shape))


def _restored(reader, name, parts, reshape, path):
    """{variable: value} for the variables saved under `name`, checked against the file."""
    var = parts[0][0]
    want = var.dtype.base_dtype
    have = reader.dtype(name)
    if have != want:
        raise InvalidArgumentError(
            None, None, f"tensor_name = {name}; expected dtype {want.name} does not equal "
            f"original dtype {have.name} (checkpoint {path})")
    full = tuple(parts[0][1].full_shape) if parts[0][1] is not None else tuple(var.shape.as_list())
    stored = tuple(reader.shape(name))
    if stored != full and not (reshape and np.prod(stored) == np.prod(full)):
        raise InvalidArgumentError(
            None, None, f"Restoring {name} from checkpoint {path}: Assign requires shapes of "
            f"both tensors to match. lhs shape= {list(full)} rhs shape= {list(stored)}")
    value = np.reshape(reader.tensor(name), full)
    if parts[0][1] is None:
        return {var: value}
    return {v: value[_index(info)] for v, info in parts}


def _delete(prefix, meta_graph_suffix="meta"):
    """Removes the files of the checkpoint at `prefix`, of either format, and its meta graph."""
    for path in _files(prefix) + [f"{prefix}.{meta_graph_suffix}"]:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """Finds the newest checkpoint saved in a directory.

    It reads the directory's state file, which `Saver.save` updates.

    Args:
      checkpoint_dir: the directory.
      latest_filename: the name of the state file (default "checkpoint").

    Returns:
      The newest checkpoint's prefix, or None if there is no state file or its newest
      checkpoint's files are gone.

    Raises:
      ValueError: the state file cannot be parsed.

    >>> import tempfile
    >>> v = tf.Variable(1.0, name="v")
    >>> saver = tf.train.Saver()
    >>> with tempfile.TemporaryDirectory() as d, tf.Session() as sess:
    ...     sess.run(v.initializer)
    ...     for step in (10, 20):
    ...         _ = saver.save(sess, d + "/model.ckpt", global_step=step)
    ...     print(tf.train.latest_checkpoint(d) == d + "/model.ckpt-20")
    True
    """
    return state.latest_checkpoint(checkpoint_dir, latest_filename)


def checkpoint_exists(checkpoint_prefix):
    """Tells whether a checkpoint (minitf's or TensorFlow 1's) is at a prefix.

    Args:
      checkpoint_prefix: the checkpoint's prefix, e.g. from `Saver.save`.

    Returns:
      True if its files exist.
    """
    return checkpoint.exists(checkpoint_prefix)


get_checkpoint_state = state.get_checkpoint_state
update_checkpoint_state = state.update_checkpoint_state
