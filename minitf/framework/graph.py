"""Graph: the container of Operations, with names, name scopes, collections, control dependencies,
devices and the graph-level seed; and the thread-local stack of default graphs.

Name bookkeeping is the NameTable kernel's (csrc/names.pxi). The name stack, device stack and
control-dependency stack are per thread, as in TF (one ThreadState per thread, from the
ThreadStates kernel); ops, names and collections are shared and every mutation holds the
graph's lock.
"""
import contextlib
import operator
import re
import threading

from minitf._kernels import NameTable, ThreadStates
from minitf.framework import control_flow_context as _cfc, device as _device
from minitf.framework.default_stack import DefaultStack
from minitf.framework.ops import Operation, Tensor


class Graph:
    """A TF1 dataflow graph: Operations (nodes) joined by Tensors (edges), plus collections.

    Op functions (`tf.constant`, `tf.matmul`, ...) add their ops to the default graph: the
    graph of the innermost `with g.as_default():` in this thread, else the global one
    (`tf.get_default_graph()`). A graph also holds the name scopes, control dependencies and
    device scopes in effect (per thread), its collections and its random seed. Names and
    collections are shared by all threads and safe to change from several.

    `g.unique_name(name, mark_as_used=True)` returns `name` made unique in the current name
    scope as an op name would be (`a`, `a_1`, ...); with `mark_as_used=False` the name is not
    taken. (It is bound on each graph, so `help(tf.Graph)` does not list it.)

    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     c = tf.constant(30.0, name="c")
    >>> c.graph is g, g.get_operations()
    (True, [<tf.Operation 'c' type=Const>])
    >>> g.get_tensor_by_name("c:0") is c
    True
    """

    _eager = False  # (an EagerGraph, framework/eager.py, runs its ops as they are made)

    def __init__(self):
        self._lock = threading.RLock()
        self._states = ThreadStates()  # per thread: name stack, control/device stacks, scopes
        self._names = NameTable(self._states)
        # unique_name(name, mark_as_used=True): `name` joined to this thread's name scope and
        # made unique with `_N` (TF's rules). The kernel's method itself, so a call is one C call.
        self.unique_name = self._names.unique
        self._ops = []  # in creation order, but for deferred ops built late (_ops_sorted)
        self._ops_sorted = True
        self._ops_by_name = {}
        self._deferred = []  # variables whose ops are not built yet (Variable._deferred)
        self._collections = {}
        self._finalized = False
        self._seed = None
        self._version = 0  # ops created so far; op ids and default op seeds come from it
        self._feed_blacklist = set()
        # what higher layers keep per graph ("variable_store", ...): this one declared place,
        # never the graph's __dict__; entries are made under _lock
        self._layer_state = {}
        self._override_maps = _OverrideMaps()  # per thread: gradient_override_map's stack
        self._overriding = 0  # how many gradient_override_map blocks are open (any thread)
        self._colocation = _ColocationStack()  # per thread: the ops colocate_with names
        self._colocating = 0  # how many colocate_with blocks are open (any thread)
        self._container = ""  # (Graph.container)
        # attrs kept beside an op's own (which its kernel takes): "_class" (colocate_with),
        # "container" (Graph.container); op -> {name: value}
        self._extra_attrs = {}
        # control flow (framework/control_flow_context.py): each thread's open context, how many
        # are open in any thread, and whether a loop was ever built (then inputs are checked)
        self._cf = threading.local()
        self._cf_open = 0
        self._has_loops = False

    # -- names (unique_name is the NameTable's, bound in __init__) ------------------------------
    def get_name_scope(self):
        """Returns this thread's current name scope, e.g. `outer/inner` ('' at the root)."""
        return self._states.get().name_stack

    def name_scope(self, name):
        """Returns a context manager that opens the name scope `name` in this graph.

        A new scope is made unique as op names are (`name`, `name_1`, ...); a name ending in
        "/" re-enters that scope exactly; None or "" go back to the root. `with` yields the
        scope's full name ending in "/". `tf.name_scope` is the module-level form.

        Args:
          name: the scope's name, a scope string ending in "/", or None or "".

        Returns:
          A context manager.

        Raises:
          ValueError: on entering, `name` is not a valid scope name (TF's patterns).
        """
        return _NameScope(self, name)

    # -- ops -----------------------------------------------------------------------------------
    def _create_op(self, opdef, inputs, attrs, name, dtypes, shapes):
        with self._lock:
            if self._finalized:
                raise RuntimeError("Graph is finalized and cannot be modified.")
            tls = self._states.get()
            name = self._names.open_scope(tls.name_stack, name)[0]
            if not name:  # "/": the root scope, which names no op
                raise ValueError("'' is not a valid node name: an op named '/' would be the "
                                 "root scope")
            if name in self._ops_by_name:
                raise ValueError(f"Duplicate node name in graph: '{name}'")
            context = self._cf.__dict__.get("context") if self._cf_open else None
            if self._has_loops:
                _cfc.check_inputs(context, inputs, name)
            self._version += 1
            op = Operation(self, name, opdef, inputs, attrs, self._version)
            op._outputs = [Tensor(op, i, dt, sh) for i, (dt, sh) in enumerate(zip(dtypes, shapes))]
            if tls.control_stack:
                op._control_inputs = self._control_inputs_for(inputs)
                for ctl in tls.control_stack:
                    ctl.ops_created.add(op)
            if tls.device_stack:
                op._device = self._device_for(op)
            if self._overriding:
                op._gradient_override = self._gradient_override_for(opdef.type)
            if self._colocating and self._colocation.stack:
                self._colocate(op)
            if self._container and opdef.type in _CONTAINER_OPS:
                self._extra_attrs.setdefault(op, {})["container"] = self._container.encode()
            for t in inputs:
                t._consumers.append(op)
            if context is not None:
                context.add_op(op)
            self._ops.append(op)
            self._ops_by_name[name] = op
            return op

    def _control_flow_context(self):
        """This thread's open control-flow context, or None."""
        return self._cf.__dict__.get("context") if self._cf_open else None

    @contextlib.contextmanager
    def _control_flow(self, context):
        """Makes `context` (or None: no context) this thread's control-flow context."""
        with self._lock:
            old = self._cf.__dict__.get("context")
            self._cf.context = context
            self._cf_open += 1
            if context is not None and context.kind == "while":
                self._has_loops = True
        try:
            yield context
        finally:
            with self._lock:
                self._cf.context = old
                self._cf_open -= 1

    def _control_inputs_for(self, inputs):
        # TF: a controller adds its control inputs unless one of the op's inputs was itself
        # created inside that controller's block (then the dependency holds already).
        input_ops = {t._op for t in inputs}
        result = []
        for ctl in self._states.get().control_stack:
            if ctl.ops_created.isdisjoint(input_ops):
                result.extend(c for c in ctl.control_inputs
                              if c not in input_ops and c not in result)
        return result

    def _device_for(self, op):
        # Innermost scope first, as TF: outer string scopes fill unset fields, None stops.
        dev = ""
        for fn in reversed(self._states.get().device_stack):
            if fn is None:
                break
            op._device = dev
            dev = fn(op, dev)
        return dev

    def get_operations(self):
        """Returns a list of all the ops of this graph, in the order they were created."""
        with self._lock:
            self._build_deferred()
            if not self._ops_sorted:
                self._ops.sort(key=_OP_ID)
                self._ops_sorted = True
            return list(self._ops)

    # -- deferred ops (see Variable._deferred) -------------------------------------------------
    def _reserve_ids(self, n):
        """Reserves the next `n` op ids for ops built later; returns the id before them."""
        with self._lock:
            if self._finalized:
                raise RuntimeError("Graph is finalized and cannot be modified.")
            first = self._version
            self._version += n
            return first

    def _defer(self, variable):
        self._deferred.append(variable)

    def _can_defer(self):
        """Whether a variable made now may build its ops later: no device scope or container
        is open (its ops would be placed by it or get its name; variables ignore control
        dependencies, as TF's)."""
        return not (self._states.get().device_stack or self._finalized or self._container)

    @contextlib.contextmanager
    def _replay(self, first_id, n):
        """Builds deferred ops as they would have been built when their ids were reserved: in
        this graph, from the root name scope, outside control dependencies and device scopes,
        with ids (so default op seeds) from the block after `first_id`. If the build raises,
        its ops are taken out of the graph again."""
        with self._lock:
            tls = self._states.get()
            saved = tls.name_stack, tls.control_stack, tls.device_stack, self._version
            tls.name_stack, tls.control_stack, tls.device_stack = "", [], []
            self._version = first_id
            try:
                with self.as_default(), self._control_flow(None):
                    yield
                if self._version > first_id + n:
                    raise RuntimeError(f"Deferred ops overflowed their block of {n} op ids.")
            except BaseException:
                self._remove_ops(first_id, self._version)
                raise
            finally:
                tls.name_stack, tls.control_stack, tls.device_stack = saved[:3]
                self._version = saved[3]
                self._ops_sorted = False

    def _remove_ops(self, after_id, last_id):
        """Takes the ops with ids in (after_id, last_id] out of the graph (their names stay
        taken)."""
        removed = [op for op in self._ops if after_id < op._id <= last_id]
        if removed:
            gone = set(removed)
            self._ops = [op for op in self._ops if op not in gone]
            for op in removed:
                del self._ops_by_name[op.name]
                self._extra_attrs.pop(op, None)
                for t in op._inputs:
                    t._consumers = [c for c in t._consumers if c not in gone]

    def _build_deferred(self):
        """Builds every deferred variable's ops (before listing, finding or freezing ops). A
        variable whose build fails keeps its error for its own uses; the others are built."""
        if self._deferred:
            with self._lock:
                pending, self._deferred = self._deferred, []
                for i, variable in enumerate(pending):
                    try:
                        variable._build()
                    except Exception:
                        pass  # kept by the variable (see Variable._build)
                    except BaseException:  # SystemExit and the like: the rest wait
                        self._deferred[:0] = pending[i:]
                        raise

    def get_operation_by_name(self, name):
        """Returns the Operation called `name`.

        Args:
          name: the op's full name, e.g. "layer/MatMul".

        Returns:
          The Operation.

        Raises:
          TypeError: `name` is not a string.
          ValueError: `name` looks like a tensor name ("op:0").
          KeyError: there is no op of that name.
        """
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=False, allow_operation=True)

    def get_tensor_by_name(self, name):
        """Returns the Tensor called `name`.

        Args:
          name: the tensor's name, "<op name>:<output index>", e.g. "layer/MatMul:0".

        Returns:
          The Tensor.

        Raises:
          TypeError: `name` is not a string.
          ValueError: `name` is not of the form "<op name>:<output index>".
          KeyError: there is no such op, or it has no output of that index.
        """
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        """Returns the Tensor or Operation that `obj` is or names, checking it is of this graph.

        What `Session.run` does with a fetch: a name "op:0" gives a tensor, "op" an operation;
        an object with an `_as_graph_element()` method (a Variable) gives what that returns.

        Args:
          obj: a Tensor, an Operation, a name, or an object convertible to one of them.
          allow_tensor: whether a Tensor may be returned.
          allow_operation: whether an Operation may be returned.

        Returns:
          The Tensor or Operation.

        Raises:
          TypeError: `obj` is of a kind that is not allowed or cannot be converted.
          ValueError: `obj` belongs to another graph, or a name is of the kind not allowed.
          KeyError: a name names nothing in this graph.
        """
        kinds = " or ".join(k for k, ok in (("Tensor", allow_tensor),
                                            ("Operation", allow_operation)) if ok)
        if hasattr(obj, "_as_graph_element"):
            obj = obj._as_graph_element()
        if isinstance(obj, str):
            return self._element_by_name(obj, allow_tensor, allow_operation, kinds)
        if isinstance(obj, Tensor) and allow_tensor:
            if obj._op._graph is not self:
                raise ValueError(f"Tensor {obj} is not an element of this graph.")
            return obj
        if isinstance(obj, Operation) and allow_operation:
            if obj._graph is not self:
                raise ValueError(f"Operation {obj} is not an element of this graph.")
            return obj
        raise TypeError(f"Can not convert a {type(obj).__name__} into a {kinds}.")

    def _element_by_name(self, name, allow_tensor, allow_operation, kinds):
        if ":" in name:
            if not allow_tensor:
                raise ValueError(f"Name {name!r} appears to refer to a Tensor, not a {kinds}.")
            op_name, _, index = name.partition(":")
            try:
                index = int(index)
            except ValueError:
                raise ValueError(f"The name {name!r} looks a like a Tensor name, but is not a "
                                 'valid one. Tensor names must be of the form '
                                 '"<op_name>:<output_index>".') from None
            op = self._op_named(op_name)
            if op is None:
                raise KeyError(f"The name {name!r} refers to a Tensor which does not exist. The "
                               f"operation, {op_name!r}, does not exist in the graph.")
            if not 0 <= index < len(op._outputs):
                raise KeyError(f"The name {name!r} refers to a Tensor which does not exist. The "
                               f"operation, {op_name!r}, exists but only has "
                               f"{len(op._outputs)} outputs.")
            return op._outputs[index]
        if not allow_operation:
            what = ("refers to an Operation" if self._op_named(name) is not None
                    else "looks like an (invalid) Operation name")
            raise ValueError(f"The name {name!r} {what}, not a {kinds}. Tensor names must be of "
                             'the form "<op_name>:<output_index>".')
        op = self._op_named(name)
        if op is None:
            raise KeyError(f"The name {name!r} refers to an Operation not in the graph.")
        return op

    def _op_named(self, name):
        op = self._ops_by_name.get(name)
        if op is None and self._deferred:
            self._build_deferred()
            op = self._ops_by_name.get(name)
        return op

    def finalize(self):
        """Makes this graph read-only: adding an op to it afterwards raises RuntimeError.

        A finalized graph can still be run, saved and restored; collections stay writable.
        """
        with self._lock:
            self._build_deferred()
            self._finalized = True

    finalized = property(lambda self: self._finalized)
    version = property(lambda self: self._version)

    def as_graph_def(self, from_version=None, add_shapes=False):
        """Returns this graph as TF's GraphDef message (framework/graph_to_def.py).

        Args:
          from_version: if given, only the ops added after `version` was this.
          add_shapes: if True, each node gets an `_output_shapes` attr.
        """
        from minitf.framework.graph_to_def import graph_to_graph_def
        return graph_to_graph_def(self, from_version, add_shapes)

    # -- feeds ---------------------------------------------------------------------------------
    def prevent_feeding(self, tensor):
        """Marks `tensor` as one that may not be fed (`Session.run` raises ValueError then).

        Args:
          tensor: a Tensor of this graph.
        """
        self._feed_blacklist.add(tensor)

    def is_feedable(self, tensor):
        """Returns whether `tensor` may be fed (True unless `prevent_feeding` marked it).

        Args:
          tensor: a Tensor of this graph.
        """
        return tensor not in self._feed_blacklist

    # -- seeds ---------------------------------------------------------------------------------
    @property
    def seed(self):
        """The graph-level random seed (None unless set; `tf.set_random_seed` sets it)."""
        return self._seed

    @seed.setter
    def seed(self, seed):
        self._seed = seed

    # -- collections ---------------------------------------------------------------------------
    def add_to_collection(self, name, value):
        """Appends `value` to the collection `name`.

        Args:
          name: the collection's key, usually a `tf.GraphKeys` name.
          value: the object to add.
        """
        with self._lock:
            self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value):
        """Appends `value` to each of the collections `names`.

        Args:
          names: one collection key, or an iterable of keys (a key repeated is used once).
          value: the object to add.
        """
        names = (names,) if isinstance(names, str) else dict.fromkeys(names)
        with self._lock:
            for name in names:
                self._collections.setdefault(name, []).append(value)

    def get_collection_ref(self, name):
        """Returns the list that holds the collection `name`; changing it changes the collection.

        Args:
          name: the collection's key; an absent collection is created empty.

        Returns:
          The collection's list itself.
        """
        with self._lock:
            return self._collections.setdefault(name, [])

    def get_collection(self, name, scope=None):
        """Returns a list of the values in the collection `name`.

        Args:
          name: the collection's key, usually a `tf.GraphKeys` name.
          scope: optional regular expression; then only the items whose `name` it matches
            (with `re.match`, so from the start) are returned, and items without a name never
            are.

        Returns:
          A new list (empty when the collection does not exist).
        """
        with self._lock:
            items = self._collections.get(name)
            if items is None:
                return []
            if scope is None:
                return list(items)
            regex = re.compile(scope)
            return [i for i in items if hasattr(i, "name") and regex.match(i.name)]

    def get_all_collection_keys(self):
        """Returns the keys of the collections that have been used (string keys only)."""
        with self._lock:
            return [k for k in self._collections if isinstance(k, str)]

    def clear_collection(self, name):
        """Removes the collection `name` (nothing happens when it does not exist).

        Args:
          name: the collection's key.
        """
        with self._lock:
            self._collections.pop(name, None)

    # -- context managers ----------------------------------------------------------------------
    def as_default(self):
        """Returns a context manager that makes this graph the default graph of this thread.

        Op functions called inside add their ops to this graph. Graphs nest; leaving the block
        restores the previous default.
        """
        return _default_graph_stack.controller(self)

    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map):
        """Returns a context manager giving the ops made inside it other gradients.

        An op whose type is a key of `op_type_map` gets the gradient registered under the value
        (a `tf.RegisterGradient` name, or another op type), in this thread. Blocks nest; an inner
        map's keys win.

        Args:
          op_type_map: a dict from op types to gradient names, e.g. `{"Square": "MySquare"}`.

        Raises:
          TypeError: `op_type_map` is not a dict of strings to strings.
        """
        if not isinstance(op_type_map, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in op_type_map.items()):
            raise TypeError("op_type_map must be a dictionary mapping strings to strings")
        stack = self._override_maps.stack
        stack.append({**(stack[-1] if stack else {}), **op_type_map})
        with self._lock:
            self._overriding += 1
        try:
            yield
        finally:
            stack.pop()
            with self._lock:
                self._overriding -= 1

    def _gradient_override_for(self, op_type):
        stack = self._override_maps.stack
        return stack[-1].get(op_type) if stack else None

    @contextlib.contextmanager
    def colocate_with(self, op, ignore_existing=False):
        """Returns a context manager placing the ops made inside it with `op`.

        The new ops record `op`'s colocation groups (`op.colocation_groups()`, the `_class`
        attr) and take its device; the device scopes around the block are set aside. minitf
        runs every op on the CPU: the placement is recorded, as TF records it.

        Args:
          op: an Operation, a Tensor (its op) or a Variable; None (with `ignore_existing`)
            clears the colocation and device scopes around the block.
          ignore_existing: if True, the colocations around the block do not apply inside it.

        Raises:
          ValueError: `op` is None and `ignore_existing` is not True.
        """
        if op is None and not ignore_existing:
            raise ValueError("Trying to reset colocation (op is None) but ignore_existing is "
                             "not True")
        if self._eager:  # TF: eager ops are placed on the device of `op`'s value
            with self.device(None if op is None else op.device):
                yield
            return
        if isinstance(getattr(op, "op", None), Operation) and not isinstance(op, Tensor):
            op = op.op  # a variable: its VariableV2 or VarHandleOp
        op = None if op is None else _as_control_op(self, op)
        tls = self._states.get()
        colocation = self._colocation
        saved = colocation.stack
        colocation.stack = ([] if ignore_existing else saved) + ([op] if op is not None else [])
        tls.device_stack.append(None)  # TF: colocation sets the outer device scopes aside
        with self._lock:
            self._colocating += 1
        try:
            yield
        finally:
            tls.device_stack.pop()
            colocation.stack = saved
            with self._lock:
                self._colocating -= 1

    def _colocate(self, op):
        groups = set()
        device = None
        for other in self._colocation.stack:
            groups.update(other.colocation_groups())
            if device is None and other._device:
                device = other._device
        self._extra_attrs.setdefault(op, {})["_class"] = sorted(groups)
        if device is not None:
            op._device = device

    @contextlib.contextmanager
    def container(self, container_name):
        """Returns a context manager naming the container of the variable ops made inside it.

        TF keeps variables of different containers apart in a server, and `Session.reset`
        clears containers. minitf records the name as the `container` attr of the variable
        ops made inside (`with` yields it); each Session holds its own values, so there is
        nothing to share or clear.

        Args:
          container_name: the container's name ("" for the default container).
        """
        saved, self._container = self._container, container_name
        try:
            yield container_name
        finally:
            self._container = saved

    def control_dependencies(self, control_inputs):
        """Returns a context manager in which new ops run only after `control_inputs`.

        Every op created inside gets the items as control inputs, except an op that already
        depends on them through an input made inside the same block. Blocks nest and add up;
        `None` clears the outer ones inside its block.

        Args:
          control_inputs: a list of Operations or Tensors (a Tensor stands for its op), or
            None.

        Returns:
          A context manager.

        Raises:
          TypeError: an item is neither an Operation nor a Tensor.
          ValueError: an item belongs to another graph.
        """
        return _ControlDependencies(self, control_inputs)

    def device(self, device_name_or_function):
        """Returns a context manager that places the ops created inside it on a device.

        Scopes apply innermost first: a string or DeviceSpec fills in the fields the inner
        scopes left unset, a function `f(op) -> device string` decides for each op, None
        ignores the outer scopes. minitf records the device (`op.device`) and runs every op on
        the CPU.

        Args:
          device_name_or_function: a device string, a DeviceSpec, a function of the op, or
            None.

        Returns:
          A context manager.

        Raises:
          ValueError: the device string does not parse.
        """
        return _DeviceScope(self, _device._device_function(device_name_or_function))

    def __repr__(self):
        return f"<minitf.Graph object at {id(self):#x}>"


class _OverrideMaps(threading.local):
    def __init__(self):
        self.stack = []  # the merged op type -> gradient name maps, innermost last


_CONTAINER_OPS = frozenset(["VariableV2", "VarHandleOp"])  # the stateful ops with the attr


class _ColocationStack(threading.local):
    def __init__(self):
        self.stack = []  # the ops new ops are colocated with, outermost first


class _NameScope:
    __slots__ = ("_graph", "_name", "_old", "_tls")

    def __init__(self, graph, name):
        self._graph = graph
        self._name = name

    def __enter__(self):
        self._tls = tls = self._graph._states.get()
        self._old = tls.name_stack
        tls.name_stack, returned = self._graph._names.open_scope(self._old, self._name)
        return returned

    def __exit__(self, *exc):
        self._tls.name_stack = self._old
        return False


class _ControlDependencies:
    def __init__(self, graph, control_inputs):
        self._graph = graph
        self.control_inputs = [] if control_inputs is None else [
            _as_control_op(graph, c) for c in control_inputs]
        self._clear = control_inputs is None
        self.ops_created = set()

    def __enter__(self):
        self._tls = tls = self._graph._states.get()
        self._old = tls.control_stack
        tls.control_stack = [] if self._clear else tls.control_stack + [self]
        # TF: None also leaves the control-flow context (a variable's ops are built outside)
        # (only when a context is open somewhere: variables enter this block on creation)
        self._leave = (self._graph._control_flow(None) if self._clear and self._graph._cf_open
                       else None)
        if self._leave is not None:
            self._leave.__enter__()
        return None

    def __exit__(self, *exc):
        self._tls.control_stack = self._old
        if self._leave is not None:
            self._leave.__exit__(None, None, None)
        return False


def _as_control_op(graph, c):
    if hasattr(c, "_as_graph_element") and not isinstance(c, (Tensor, Operation)):
        c = c._as_graph_element()
    if isinstance(c, Tensor):
        c = c._op
    if not isinstance(c, Operation):
        raise TypeError(f"Control input must be Operation or Tensor: {c!r}")
    if c._graph is not graph:
        raise ValueError(f"Control input {c} must be from the same graph as the control scope.")
    return c


class _DeviceScope:
    __slots__ = ("_graph", "_fn")

    def __init__(self, graph, fn):
        self._graph = graph
        self._fn = fn

    def __enter__(self):
        self._graph._states.get().device_stack.append(self._fn)

    def __exit__(self, *exc):
        self._graph._states.get().device_stack.pop()
        return False


_OP_ID = operator.attrgetter("_id")
_default_graph_stack = DefaultStack()
_global_default_graph = None  # shared by all threads; each thread's stack sits on top of it


def get_default_graph():
    """Returns the default graph of this thread.

    That is the graph of the innermost `with g.as_default():` block in this thread, or else the
    global default graph, which is shared by all threads and made when first asked for.
    """
    global _global_default_graph
    graph = _default_graph_stack.top()
    if graph is not None:
        return graph
    if _global_default_graph is None:
        _global_default_graph = Graph()
    return _global_default_graph


def reset_default_graph():
    """Replaces the global default graph by a new, empty one.

    Tensors and ops made before keep belonging to the old graph (a Session on it still runs
    them).

    Raises:
      AssertionError: called inside a `with g.as_default():` block (of any graph).
    """
    global _global_default_graph
    if _default_graph_stack.stack:
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
            "graph, exit the nesting and create a new graph.")
    # (an eager program stays eager: a new EagerGraph)
    _global_default_graph = Graph() if _global_default_graph is None else type(
        _global_default_graph)()
