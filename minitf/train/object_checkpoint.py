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
from minitf.framework.eager import _STATE as _EAGER_STATE
from minitf.framework.errors import InvalidArgumentError, NotFoundError
from minitf.framework.graph import get_default_graph
from minitf.framework.ops import get_default_session
from minitf.framework.trackable_pb import TrackableObjectGraph
from minitf.ops.state_ops import _stored, _uninitialized
from minitf.train.optimizer import Optimizer
from minitf.train.trackable_view import (
    OBJECT_GRAPH_PROTO_KEY,
    VARIABLE_VALUE_KEY,
    ObjectGraph,
    children,
    is_trackable,
    node_names,
)
from minitf.variables import Variable

__all__ = ["Checkpoint", "CheckpointOptions", "CheckpointLoadStatus", "InitializationOnlyStatus"]


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


class _EagerSession:
    """What save and restore use in eager mode: the process-wide variable values."""

    _closed = False
    graph = None

    def __init__(self):
        self._state = _EAGER_STATE


def _session(session):
    """The session holding the values: `session`, the default one, or eager state."""
    if get_default_graph()._eager:
        return _EagerSession()
    session = session if session is not None else get_default_session()
    if session is None:
        raise AttributeError("'NoneType' object has no attribute 'run': no session to run "
                             "the checkpoint in; pass session=, or make one the default "
                             "(`with tf.Session() as sess:`).")
    if session._closed:
        raise RuntimeError("Attempted to use a closed Session.")
    return session


def _check_graph(sess, var):
    if sess.graph is None:
        if not var.graph._eager:
            raise ValueError(f"Variable {var._op_name} is a graph variable: save or restore "
                             "it in its Session.")
    elif var.graph is not sess.graph:
        raise ValueError(f"Variable {var._op_name} is not of the session's graph.")


def _held(sess, var):
    _check_graph(sess, var)
    value = sess._state.get(var._holder)
    if value is None:
        raise _uninitialized(var._holder, var._holder)
    return value


def _run_initializers(sess, variables):
    if sess.graph is not None and variables:
        sess.run([v.initializer for v in variables])


def _write_callbacks(options, path):
    for callback in (options.experimental_write_callbacks or []) if options else []:
        if len(inspect.signature(callback).parameters) == 0:
            callback()
        else:
            callback(path)


class _Restoration:
    """A checkpoint's object graph matched, as far as it can be now, to the Python objects
    under a root: {node id: object}; more match as objects are added (deferred restoration)."""

    def __init__(self, root, save_path, graph, options):
        self.root, self.save_path, self.graph, self.options = root, save_path, graph, options
        self.matched = {0: root}
        self.restored = set()  # node ids assigned (eager mode assigns each once)
        self.expect_partial = False

    def refresh(self):
        nodes = self.graph.nodes
        order = list(self.matched)
        for node_id in order:  # breadth first from what matched, by local names
            obj = self.matched[node_id]
            if isinstance(obj, Variable) or not is_trackable(obj):
                continue
            kids = dict(children(obj))
            for ref in nodes[node_id].children:
                if ref.node_id not in self.matched and ref.local_name in kids:
                    self.matched[ref.node_id] = kids[ref.local_name]
                    order.append(ref.node_id)
        if self.options.experimental_skip_slot_variables:
            return
        for node_id, obj in list(self.matched.items()):
            if not isinstance(obj, Optimizer):
                continue
            for ref in nodes[node_id].slot_variables:
                var = self.matched.get(ref.original_variable_node_id)
                if ref.slot_variable_node_id in self.matched or not isinstance(var, Variable):
                    continue
                slot = obj.get_slot(var, ref.slot_name)
                if slot is not None:
                    self.matched[ref.slot_variable_node_id] = slot

    def assignments(self):
        """[(node id, checkpoint key, variable)] of the matched variables with values."""
        out = []
        for node_id, obj in sorted(self.matched.items()):
            key = _value_key(self.graph.nodes[node_id])
            if isinstance(obj, Variable) and key is not None:
                out.append((node_id, key, obj))
        return out

    def unused_attributes(self):
        out = {}
        for node_id, obj in sorted(self.matched.items()):
            names = [a.name for a in self.graph.nodes[node_id].attributes]
            if isinstance(obj, Variable):
                names = [n for n in names if n != VARIABLE_VALUE_KEY]
            if names:
                out[node_id] = names
        return out

    def restore(self, sess, only_new=False):
        """Assigns the matched variables' values in `sess`, all or (eager) the new ones;
        every value is read and checked first, so an error changes nothing."""
        self.refresh()
        todo = [a for a in self.assignments() if not (only_new and a[0] in self.restored)]
        for _, _, var in todo:
            _check_graph(sess, var)
        if not todo:
            return
        reader = checkpoint.open_checkpoint(self.save_path)
        try:
            values = {var: _read(reader, key, var, self.save_path) for _, key, var in todo}
        finally:
            reader.close()
        sess._state.update({var._holder: _stored(value, var.dtype.base_dtype.as_numpy_dtype)
                            for var, value in values.items()})
        self.restored.update(node_id for node_id, _, _ in todo)


def _value_key(node):
    for attribute in node.attributes:
        if attribute.name == VARIABLE_VALUE_KEY:
            return attribute.checkpoint_key
    return None


def _read(reader, key, var, path):
    if key not in reader.names():
        raise NotFoundError(None, None, f"Key {key} not found in checkpoint {path}")
    want, have = var.dtype.base_dtype, reader.dtype(key)
    if have != want:
        raise InvalidArgumentError(
            None, None, f"tensor_name = {key}; expected dtype {want.name} does not equal "
            f"original dtype {have.name} (checkpoint {path})")
    shape, stored = tuple(var.shape.as_list()), tuple(reader.shape(key))
    if shape != stored:
        raise InvalidArgumentError(
            None, None, f"Restoring {key} from checkpoint {path} into {var._op_name}: Assign "
            f"requires shapes of both tensors to match. lhs shape= {list(shape)} rhs shape= "
            f"{list(stored)}")
    return reader.tensor(key)


class CheckpointLoadStatus:
    """What `Checkpoint.restore(path)` returns (TF's CheckpointLoadStatus).

    It checks how the checkpoint and the objects match, and assigns the values.

    In graph mode nothing is assigned until `run_restore_ops` or `initialize_or_restore`;
    objects added to the root's graph after `restore` are matched then too. In eager mode the
    values of the objects matched are assigned at once, and `run_restore_ops` assigns those of
    objects added since.

    Args:
      restoration: the checkpoint's object graph and its match (made by `restore`).
    """

    def __init__(self, restoration):
        self._restoration = restoration

    def assert_consumed(self):
        """Asserts that every object matched a value and every value matched an object.

        Returns:
          This status, for chaining.

        Raises:
          AssertionError: a Python object has no value in the checkpoint, a value of the
            checkpoint has no Python object, or a matched object cannot take a value.
        """
        self.assert_existing_objects_matched()
        r = self._restoration
        names = None
        skipped = set()
        if r.options.experimental_skip_slot_variables:
            skipped = {s.slot_variable_node_id for n in r.graph.nodes for s in n.slot_variables}
        for node_id, node in enumerate(r.graph.nodes):
            if len(node.attributes) and node_id not in r.matched and node_id not in skipped:
                names = names or node_names(r.graph)
                raise AssertionError(f"Unresolved object in checkpoint {names[node_id]}: "
                                     f"{_one_line(node)}")
        unused = r.unused_attributes()
        if unused:
            names = node_names(r.graph)
            lines = "\n".join(f"{names.get(i)} ({r.matched[i]!r}): {a}" for i, a in unused.items())
            raise AssertionError("Unused attributes in these objects (the attributes exist in "
                                 f"the checkpoint but were not restored):\n{lines}")
        return self

    def assert_existing_objects_matched(self):
        """Asserts that every variable reachable from the root matched a checkpointed value.

        Values of the checkpoint without Python objects are allowed.

        Returns:
          This status, for chaining.

        Raises:
          AssertionError: a variable of the Python objects has no value in the checkpoint.
        """
        r = self._restoration
        r.refresh()
        for node_id, obj in sorted(r.matched.items()):
            node = r.graph.nodes[node_id]
            if isinstance(obj, Variable) and _value_key(node) is None:
                raise AssertionError(f"Object {_one_line(node)} not assigned a value from "
                                     "checkpoint.")
        unmatched = self._unmatched()
        if unmatched:
            shown = unmatched[:10]
            raise AssertionError(
                f"Found {len(unmatched)} Python objects that were not bound to checkpointed "
                "values, likely due to changes in the Python program. Showing "
                f"{len(shown)} of {len(unmatched)} unmatched objects: {shown}")
        return self

    def assert_nontrivial_match(self):
        """Asserts that something besides the root matched.

        Returns:
          This status, for chaining.

        Raises:
          AssertionError: only the root matched.
        """
        r = self._restoration
        r.refresh()
        if len(r.matched) <= 1:
            unmatched = self._unmatched()
            if unmatched:
                raise AssertionError(
                    "Nothing except the root object matched a checkpointed value. Typically "
                    "this means that the checkpoint does not match the Python program. The "
                    f"following objects have no matching checkpointed value: {unmatched}")
            raise AssertionError(f"Nothing to load. No dependencies have been added to "
                                 f"{r.root!r} yet.")
        return self

    def _unmatched(self):
        r = self._restoration
        matched = {id(o) for o in r.matched.values()}
        graph = ObjectGraph(r.root, slots=not r.options.experimental_skip_slot_variables)
        return [v for _, v in graph.variables() if id(v) not in matched]

    def run_restore_ops(self, session=None):
        """Assigns the checkpointed values of the objects matched so far.

        Args:
          session: the Session to assign them in (default: the default session); ignored
            in eager mode.

        Raises:
          AttributeError: graph mode, and there is no session.
          minitf.errors.NotFoundError: the checkpoint's files or a value are missing.
          minitf.errors.InvalidArgumentError: a value's shape or dtype differs from its
            variable's (then no variable has changed).
        """
        sess = _session(session)
        self._restoration.restore(sess, only_new=sess.graph is None)

    def initialize_or_restore(self, session=None):
        """Assigns the checkpointed values, and initializes the variables without one.

        The variables initialized are those reachable from the root that matched no value.

        Args:
          session: the Session (default: the default session); ignored in eager mode.

        Raises:
          AttributeError: graph mode, and there is no session.
          minitf.errors.InvalidArgumentError: a value's shape or dtype differs from its
            variable's.
        """
        sess = _session(session)
        r = self._restoration
        r.restore(sess, only_new=sess.graph is None)
        matched = {id(o) for o in r.matched.values()}
        _run_initializers(sess, [v for _, v in ObjectGraph(r.root).variables()
                                 if id(v) not in matched])

    def expect_partial(self):
        """Silences warnings about an incomplete restore (minitf warns of none).

        Returns:
          This status.
        """
        self._restoration.expect_partial = True
        return self


class InitializationOnlyStatus:
    """What `Checkpoint.restore(None)` returns: a status that only initializes.

    `initialize_or_restore` initializes; the assertions and `run_restore_ops` fail, as there
    is nothing to restore (TF's InitializationOnlyStatus).

    Args:
      root: the Checkpoint whose variables to initialize.
    """

    _NOTHING = "No checkpoint specified (save_path=None); nothing is being restored."

    def __init__(self, root):
        self._root = root

    def assert_consumed(self):
        """Always fails: nothing is being restored.

        Raises:
          AssertionError: always.
        """
        raise AssertionError(self._NOTHING)

    def assert_existing_objects_matched(self):
        """Always fails: nothing is being restored.

        Raises:
          AssertionError: always.
        """
        raise AssertionError(self._NOTHING)

    def assert_nontrivial_match(self):
        """Always fails: nothing is being restored.

        Raises:
          AssertionError: always.
        """
        raise AssertionError(self._NOTHING)

    def run_restore_ops(self, session=None):
        """Fails: there are no restore ops without a checkpoint.

        Args:
          session: not used.

        Raises:
          AssertionError: always.
        """
        raise AssertionError("No checkpoint specified, so no restore ops are available "
                             "(save_path=None to Saver.restore).")

    def initialize_or_restore(self, session=None):
        """Runs the initializers of the variables reachable from the root (graph mode).

        Args:
          session: the Session (default: the default session); ignored in eager mode.

        Raises:
          AttributeError: graph mode, and there is no session.
        """
        sess = _session(session)
        _run_initializers(sess, [v for _, v in ObjectGraph(self._root).variables()])

    def expect_partial(self):
        """Returns this status (for TF's interface).

        Returns:
          This status.
        """
        return self


def _one_line(node):
    return " ".join(str(node).split())


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
        sess = _session(session)
        skip = options is not None and options.experimental_skip_slot_variables
        graph = ObjectGraph(self, slots=not skip)
        tensors = [(key, var.dtype.base_dtype, _held(sess, var), None)
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
        sess = _session(session)
        number = self._count_save(sess)
        path = self.write(f"{prefix}-{number}", session=session, options=options)
        state.update_checkpoint_state(os.path.dirname(prefix) or ".", path, [path])
        return path

    def _count_save(self, sess):
        """Adds one to save_counter (making and initializing it first) and returns it."""
        if self._self_save_counter is None:
            self._maybe_create_save_counter()
            _run_initializers(sess, [self._self_save_counter])
        counter = self._self_save_counter
        number = int(_held(sess, counter)) + 1
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
        restoration = _Restoration(self, save_path, graph, options or CheckpointOptions())
        status = CheckpointLoadStatus(restoration)
        if get_default_graph()._eager:
            restoration.restore(_EagerSession())
        return status


def _saved_count(save_path, graph):
    """The save counter's value in a checkpoint, or 0 (TF restores it on creation)."""
    for ref in graph.nodes[0].children:
        key = _value_key(graph.nodes[ref.node_id]) if ref.local_name == "save_counter" else None
        if key is not None:
            reader = checkpoint.open_checkpoint(save_path)
            try:
                return int(reader.tensor(key)) if key in reader.names() else 0
            finally:
                reader.close()
    return 0
