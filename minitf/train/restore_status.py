"""Restoring an object-based checkpoint (`tf.train.Checkpoint.restore`): the matching of a
checkpoint's object graph against the Python objects, redone at each use so objects added after
`restore` are restored too (TF's deferred restoration), the statuses it returns, and the sessions
values move through.

Every value is read and checked before any variable changes, so a failed restore is not
half-applied.
"""

from minitf import checkpoint
from minitf.framework.eager import _STATE as _EAGER_STATE
from minitf.framework.errors import InvalidArgumentError, NotFoundError
from minitf.framework.graph import get_default_graph
from minitf.framework.ops import get_default_session
from minitf.ops.state_ops import _stored, _uninitialized
from minitf.train.optimizer import Optimizer
from minitf.train.trackable_view import (
    VARIABLE_VALUE_KEY,
    ObjectGraph,
    children,
    is_trackable,
    node_names,
)
from minitf.variables import Variable

__all__ = ["CheckpointLoadStatus", "InitializationOnlyStatus"]


class EagerSession:
    """What save and restore use in eager mode: the process-wide variable values."""

    _closed = False
    graph = None

    def __init__(self):
        self._state = _EAGER_STATE


def session_of(session):
    """The session holding the values: `session`, the default one, or eager state."""
    if get_default_graph()._eager:
        return EagerSession()
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


def held(sess, var):
    """The value `sess` holds for `var` (FailedPreconditionError if it has none)."""
    _check_graph(sess, var)
    value = sess._state.get(var._holder)
    if value is None:
        raise _uninitialized(var._holder, var._holder)
    return value


def run_initializers(sess, variables):
    """Runs the initializers of `variables` in `sess` (none in eager mode: made initialized)."""
    if sess.graph is not None and variables:
        sess.run([v.initializer for v in variables])


class Restoration:
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
            key = value_key(self.graph.nodes[node_id])
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


def value_key(node):
    """The checkpoint key of an object graph node's variable value, or None."""
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
            if isinstance(obj, Variable) and value_key(node) is None:
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
        sess = session_of(session)
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
        sess = session_of(session)
        r = self._restoration
        r.restore(sess, only_new=sess.graph is None)
        matched = {id(o) for o in r.matched.values()}
        run_initializers(sess, [v for _, v in ObjectGraph(r.root).variables()
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
        sess = session_of(session)
        run_initializers(sess, [v for _, v in ObjectGraph(self._root).variables()])

    def expect_partial(self):
        """Returns this status (for TF's interface).

        Returns:
          This status.
        """
        return self


def _one_line(node):
    return " ".join(str(node).split())
