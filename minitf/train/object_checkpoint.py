"""`tf.train.Checkpoint` (TF1's CheckpointV1): object-based checkpoints in TensorFlow's V2 format.

A checkpoint saves the variables reachable from the Checkpoint's dependencies under keys that
name their paths (`model/w/.ATTRIBUTES/VARIABLE_VALUE`), the optimizers' slots under
`<variable path>/.OPTIMIZER_SLOT/<optimizer path>/<slot>/.ATTRIBUTES/VARIABLE_VALUE`, and the
object graph itself (a TrackableObjectGraph) as the string tensor `_CHECKPOINTABLE_OBJECT_GRAPH`
(trackable_view.py), so TensorFlow's `tf.train.Checkpoint` restores it, and minitf restores
TF's. Restoring matches the checkpoint's graph against the Python objects by local names from
the root. As TF does when building graphs, `restore` assigns nothing: the status's
`run_restore_ops` or `initialize_or_restore` assigns the values in a session, matching objects
added since `restore` too (TF's deferred restoration). Values move between the session and the
files directly, as `tf.train.Saver`'s do; every value is read and checked before any variable
changes.
"""
import inspect
import os

import numpy as np

from minitf import checkpoint
from minitf.checkpoint import bundle_writer, state
from minitf.framework import dtypes
from minitf.framework.errors import NotFoundError
from minitf.framework.graph import get_default_graph
from minitf.framework.trackable_pb import TrackableObjectGraph
from minitf.ops.state_ops import _stored
from minitf.train.restore_status import (
    CheckpointLoadStatus,
    EagerSession,
    InitializationOnlyStatus,
    Restoration,
    held,
    run_initializers,
    session_of,
    value_key,
)
from minitf.train.trackable_view import (
    OBJECT_GRAPH_PROTO_KEY,
    ObjectGraph,
    is_trackable,
)
from minitf.variables import Variable

__all__ = ["Checkpoint", "CheckpointOptions"]


class CheckpointOptions:
    """Options of `Checkpoint.save`, `write` and `restore` (`tf.train.CheckpointOptions`).

    minitf writes and reads one local checkpoint synchronously, so only
    `experimental_write_callbacks` (called with the path after a write) and
    `experimental_skip_slot_variables` (neither save nor restore slots) have an effect.

    Args:
      experimental_io_device: accepted; ignored (values are written from the process).
      experimental_enable_async_checkpoint: accepted; ignored (writes are synchronous).
      experimental_write_callbacks: functions of no argument or of the written path.
      enable_async: accepted; ignored.
      experimental_skip_slot_variables: leave optimizers' slot variables out.
      experimental_sharding_callback: accepted; ignored (one data file is written).
    """

    def __init__(self, experimental_io_device=None, experimental_enable_async_checkpoint=False,
                 experimental_write_callbacks=None, enable_async=False,
                 experimental_skip_slot_variables=False, experimental_sharding_callback=None):
        self.experimental_io_device = experimental_io_device
        self.experimental_enable_async_checkpoint = experimental_enable_async_checkpoint
        self.experimental_write_callbacks = experimental_write_callbacks
        self.enable_async = enable_async
        self.experimental_skip_slot_variables = experimental_skip_slot_variables
        self.experimental_sharding_callback = experimental_sharding_callback


def _write_callbacks(options, path):
    for callback in (options.experimental_write_callbacks or []) if options else []:
        if len(inspect.signature(callback).parameters) == 0:
            callback()
        else:
            callback(path)


class Checkpoint:
    """Groups trackable objects and saves and restores them (`tf.compat.v1.train.Checkpoint`).

    Keyword arguments become attributes and dependencies (in sorted order); attributes set
    later that are trackable (variables, Checkpoints, `tf.Module`s, optimizers, lists, tuples
    and dicts) become dependencies too. Checkpoints are TensorFlow's object-based ones.

    Args:
      **kwargs: the objects to save, by name.

    Raises:
      ValueError: a value is not trackable.

    >>> import tempfile
    >>> v = tf.Variable([1.0, 2.0], name="v")
    >>> opt = tf.train.AdamOptimizer(0.1)
    >>> train = opt.minimize(tf.reduce_sum(v * v))
    >>> ckpt = tf.train.Checkpoint(model=v, optimizer=opt)
    >>> with tempfile.TemporaryDirectory() as d, tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     path = ckpt.save(d + "/ckpt")
    ...     print(path == d + "/ckpt-1", tf.train.list_variables(path)[2])
    ...     v.load([0.0, 0.0], sess)
    ...     ckpt.restore(path).assert_consumed().run_restore_ops()
    ...     print(sess.run(v))
    True ('model/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE', [2])
    [1. 2.]
    """

    def __init__(self, **kwargs):
        object.__setattr__(self, "_self_dependencies", {})
        self._self_save_counter = None
        for name, value in sorted(kwargs.items(), key=lambda item: item[0]):
            if not is_trackable(value):
                raise ValueError(
                    "`Checkpoint` was expecting a trackable object (an object derived from "
                    f"`Trackable`), got {value!r}. If you believe this object should be "
                    "trackable (i.e. it is part of the TensorFlow Python API and manages "
                    "state), please open an issue.")
            setattr(self, name, value)

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        if name.startswith("_self_"):
            return
        if is_trackable(value):
            self._self_dependencies[name] = value
        else:
            self._self_dependencies.pop(name, None)

    def __delattr__(self, name):
        object.__delattr__(self, name)
        self._self_dependencies.pop(name, None)

    def _checkpoint_dependencies(self):
        return list(self._self_dependencies.items())

    @property
    def save_counter(self):
        """An int64 variable counting saves, made on first use (it numbers checkpoints)."""
        self._maybe_create_save_counter()
        return self._self_save_counter

    def _maybe_create_save_counter(self, initial_value=0):
        if self._self_save_counter is None:
            self._self_save_counter = Variable(np.int64(initial_value), name="save_counter",
                                               dtype=dtypes.int64, trainable=False,
                                               use_resource=True)
            self._self_dependencies["save_counter"] = self._self_save_counter

    def write(self, file_prefix, session=None, options=None):
        """Writes a checkpoint at `file_prefix`, without numbering it or a state file.

        Args:
          file_prefix: the checkpoint's prefix (its directory is made if needed).
          session: the Session holding the values (default: the default session); ignored
            in eager mode.
          options: a `tf.train.CheckpointOptions`.

        Returns:
          The checkpoint's prefix.

        Raises:
          AttributeError: graph mode, and there is no session.
          ValueError: a variable is not of the session's graph, or a dict holding a
            trackable value has a non-string key.
          minitf.errors.FailedPreconditionError: a variable is not initialized.
        """
        prefix = os.fspath(file_prefix)
        sess = session_of(session)
        skip = options is not None and options.experimental_skip_slot_variables
        graph = ObjectGraph(self, slots=not skip)
        tensors = [(key, var.dtype.base_dtype, held(sess, var), None)
                   for key, var in graph.variables()]
        tensors.append((OBJECT_GRAPH_PROTO_KEY, dtypes.string,
                        np.asarray(graph.proto().SerializeToString(), dtype=object), None))
        os.makedirs(os.path.dirname(prefix) or ".", exist_ok=True)
        bundle_writer.write(prefix, [sorted(tensors, key=lambda t: t[0])])
        _write_callbacks(options, prefix)
        return prefix

    def save(self, file_prefix, session=None, options=None):
        """Saves a numbered checkpoint, `<file_prefix>-<save_counter>`.

        It adds one to the save counter first, and names the checkpoint in the directory's
        `checkpoint` state file (as the only one, as TF does).

        Args:
          file_prefix: the prefix the number is appended to.
          session: the Session holding the values (default: the default session); ignored
            in eager mode.
          options: a `tf.train.CheckpointOptions`.

        Returns:
          The checkpoint's prefix, e.g. `file_prefix-1`.

        Raises:
          AttributeError: graph mode, and there is no session.
          minitf.errors.FailedPreconditionError: a variable is not initialized.
        """
        prefix = os.fspath(file_prefix)
        sess = session_of(session)
        number = self._count_save(sess)
        path = self.write(f"{prefix}-{number}", session=session, options=options)
        state.update_checkpoint_state(os.path.dirname(prefix) or ".", path, [path])
        return path

    def _count_save(self, sess):
        """Adds one to save_counter (making and initializing it first) and returns it."""
        if self._self_save_counter is None:
            self._maybe_create_save_counter()
            run_initializers(sess, [self._self_save_counter])
        counter = self._self_save_counter
        number = int(held(sess, counter)) + 1
        sess._state.update({counter._holder: _stored(number, np.int64)})
        return number

    def restore(self, save_path):
        """Restores the objects from a checkpoint (written by minitf or TensorFlow).

        In graph mode the values are assigned by the status's `run_restore_ops` or
        `initialize_or_restore`; objects added before then are matched too. The save
        counter is made here if needed, initialized to the checkpoint's count.

        Args:
          save_path: the checkpoint's prefix, or None: the status then only initializes.

        Returns:
          A CheckpointLoadStatus, or an InitializationOnlyStatus if `save_path` is None.

        Raises:
          minitf.errors.NotFoundError: no checkpoint is at `save_path`, or it is not an
            object-based checkpoint.
        """
        status = self.read(save_path)
        counter = 0
        if save_path is not None and self._self_save_counter is None:
            counter = _saved_count(os.fspath(save_path), status._restoration.graph)
        self._maybe_create_save_counter(counter)
        return status

    def read(self, save_path, options=None):
        """Restores as `restore` does, without making the save counter (TF 2's `read`).

        Args:
          save_path: the checkpoint's prefix, or None.
          options: a `tf.train.CheckpointOptions`.

        Returns:
          A CheckpointLoadStatus, or an InitializationOnlyStatus if `save_path` is None.

        Raises:
          minitf.errors.NotFoundError: no checkpoint is at `save_path`, or it is not an
            object-based checkpoint.
        """
        if save_path is None:
            return InitializationOnlyStatus(self)
        save_path = os.fspath(save_path)
        reader = checkpoint.open_checkpoint(save_path)
        try:
            if OBJECT_GRAPH_PROTO_KEY not in reader.names():
                raise NotFoundError(
                    None, None, f"{save_path} is a name-based checkpoint (tf.train.Saver's): "
                    f"it has no {OBJECT_GRAPH_PROTO_KEY}; minitf restores it with "
                    "tf.train.Saver, not tf.train.Checkpoint.")
            graph = TrackableObjectGraph.FromString(
                reader.tensor(OBJECT_GRAPH_PROTO_KEY).item())
        finally:
            reader.close()
        restoration = Restoration(self, save_path, graph, options or CheckpointOptions())
        status = CheckpointLoadStatus(restoration)
        if get_default_graph()._eager:
            restoration.restore(EagerSession())
        return status


def _saved_count(save_path, graph):
    """The save counter's value in a checkpoint, or 0 (TF restores it on creation)."""
    for ref in graph.nodes[0].children:
        key = value_key(graph.nodes[ref.node_id]) if ref.local_name == "save_counter" else None
        if key is not None:
            reader = checkpoint.open_checkpoint(save_path)
            try:
                return int(reader.tensor(key)) if key in reader.names() else 0
            finally:
                reader.close()
    return 0
