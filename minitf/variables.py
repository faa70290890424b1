"""Variables: TF1's ref `Variable` (a VariableV2 op, `v/read` snapshot) and `ResourceVariable`
(`use_resource=True`: a VarHandleOp read by ReadVariableOp), how they are made (creators, the
resource default, synchronization and aggregation) and their deferred build. The functions over
variables (collections, initializers, `tf.assign`) are minitf/variable_ops.py's.

A variable's value lives in the Session (see ops/state_ops.py); the graph holds only its ops.
"""
import contextlib
import copy
import enum
import functools
import sys
import threading
import weakref

from minitf.framework import dtypes, interrupts, random_seed, tape
from minitf.framework.api import device, name_scope
from minitf.framework.constant_op import convert_to_tensor, register_tensor_conversion_function
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.framework.ops import Tensor
from minitf.framework.tensor_shape import TensorShape, as_shape
from minitf.ops import state_ops
from minitf.ops.array_ops import identity

__all__ = ["Variable", "VariableV1", "ResourceVariable", "VariableSynchronization",
           "VariableAggregation", "enable_resource_variables", "disable_resource_variables",
           "resource_variables_enabled"]


class VariableSynchronization(enum.Enum):
    """When a distributed variable's copies are synchronized (`tf.VariableSynchronization`).

    AUTO lets the distribution strategy choose; NONE: one copy, never synchronized; ON_WRITE:
    on every write; ON_READ: when read (such a variable is not trainable unless asked). minitf
    runs on one machine: the value is recorded on the variable (`v.synchronization`).
    """
    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class VariableAggregation(enum.Enum):
    """How the updates of a distributed variable's replicas combine (`tf.VariableAggregation`).

    NONE (an error with several replicas), SUM, MEAN, or ONLY_FIRST_REPLICA (each replica makes
    the same update, applied once); ONLY_FIRST_TOWER is TF1's deprecated alias of the last.
    minitf runs on one machine: the value is recorded on the variable (`v.aggregation`).
    """
    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3
    ONLY_FIRST_TOWER = 3


def _synchronization_aggregation_trainable(synchronization, aggregation, trainable, name):
    """The enums for None or their values, and `trainable`'s default: False for ON_READ (TF's
    validate_synchronization_aggregation_trainable)."""
    aggregation = _mode(VariableAggregation, aggregation, "aggregation", name)
    synchronization = _mode(VariableSynchronization, synchronization, "synchronization", name)
    if trainable is None:
        trainable = synchronization is not VariableSynchronization.ON_READ
    return synchronization, aggregation, trainable


def _mode(enum_type, value, what, name):
    """`value` as a member of `enum_type` (None: its first, AUTO or NONE), or TF's ValueError."""
    if value is None:
        return next(iter(enum_type))
    if isinstance(value, enum_type):
        return value
    try:
        return enum_type(value)
    except ValueError:
        raise ValueError(f"Invalid variable {what} mode: {value} for variable: {name}") from None


# -- resource variables by default -----------------------------------------------------------------
_DEFAULT_USE_RESOURCE = False  # TF1's default: ref variables


def enable_resource_variables():
    """Makes variables ResourceVariables by default from now on, in every graph and thread.

    `tf.Variable` and `tf.get_variable` then make ResourceVariables unless `use_resource`
    (an argument, or the variable scope's) says otherwise.
    """
    global _DEFAULT_USE_RESOURCE
    _DEFAULT_USE_RESOURCE = True


def disable_resource_variables():
    """Makes variables ref variables by default from now on (TF1's default)."""
    global _DEFAULT_USE_RESOURCE
    _DEFAULT_USE_RESOURCE = False


def resource_variables_enabled():
    """Returns whether variables are ResourceVariables by default (False unless enabled).

    Returns:
      True after `tf.enable_resource_variables()`, False after `disable_resource_variables()`.
    """
    return _DEFAULT_USE_RESOURCE


# -- variable creators -----------------------------------------------------------------------------
def _creators(graph):
    """This thread's creators in `graph`, innermost last (a tuple)."""
    local = graph._layer_state.get("variable_creators")
    return () if local is None else getattr(local, "stack", ())


def _creator_stacks(graph):
    """The graph's holder of each thread's creators (`.stack`; variable_scope's
    variable_creator_scope sets it), made on first use."""
    local = graph._layer_state.get("variable_creators")
    if local is None:
        with graph._lock:
            local = graph._layer_state.setdefault("variable_creators", threading.local())
    return local


def _variable_v1_call(initial_value=None, trainable=None, collections=None, validate_shape=True,
                      caching_device=None, name=None, variable_def=None, dtype=None,
                      expected_shape=None, import_scope=None, constraint=None, use_resource=None,
                      synchronization=VariableSynchronization.AUTO,
                      aggregation=VariableAggregation.NONE, shape=None):
    # tf.Variable(...): TF1's arguments, by keyword, through the creators (innermost first)
    getter = _default_creator
    for creator in _creators(get_default_graph()):
        getter = functools.partial(_call_creator, creator, getter)
    return getter(
        initial_value=initial_value, trainable=trainable, collections=collections,
        validate_shape=validate_shape, caching_device=caching_device, name=name,
        variable_def=variable_def, dtype=dtype, expected_shape=expected_shape,
        import_scope=import_scope, constraint=constraint, use_resource=use_resource,
        synchronization=synchronization,
        aggregation=VariableAggregation.NONE if aggregation is None else aggregation,
        shape=shape)


def _call_creator(creator, next_creator, **kwargs):
    return creator(next_creator, **kwargs)


_CREATOR_ARGS = ("initial_value", "trainable", "collections", "validate_shape", "caching_device",
                 "name", "variable_def", "dtype", "expected_shape", "import_scope", "constraint",
                 "synchronization", "aggregation", "shape")


def _default_creator(next_creator=None, **kwargs):
    # the last creator: a ResourceVariable if `use_resource`, or else the current variable
    # scope's, or else the global default (enable_resource_variables) says so; arguments TF1's
    # Variable does not know are dropped, as TF does
    use_resource = kwargs.get("use_resource")
    if use_resource is None:
        scope = get_default_graph()._states.get().current
        use_resource = None if scope is None else scope._use_resource
    if use_resource is None:
        use_resource = _DEFAULT_USE_RESOURCE
    args = {k: kwargs[k] for k in _CREATOR_ARGS if k in kwargs}
    return type.__call__(Variable, use_resource=bool(use_resource), **args)


class _VariableMeta(type):
    # `tf.Variable(...)` is a call of the creators (TF's VariableMetaclass); a subclass, such
    # as ResourceVariable, is constructed directly
    def __call__(cls, *args, **kwargs):
        if cls is Variable:
            return _variable_v1_call(*args, **kwargs)
        return super().__call__(*args, **kwargs)


class Variable(metaclass=_VariableMeta):
    """A variable: a tensor whose value lives in a Session and persists across runs.

    `tf.Variable(initial_value)` (TF1's `VariableV1`) is a reference variable: a VariableV2
    op, an `Assign` op as its initializer and a `read` snapshot that reading it uses. With
    `use_resource=True` it is a `ResourceVariable` instead. Running `v.initializer` (or
    `tf.global_variables_initializer()`) gives it its value in a session. Variables convert to
    tensors and take the tensor operators (`v + 1`, `v @ w`, `v[0]`, ...).

    >>> v = tf.Variable([1.0, 2.0], name="v")
    >>> v
    <tf.Variable 'v:0' shape=(2,) dtype=float32_ref>
    >>> step = v.assign_add([1.0, 1.0])
    >>> with tf.Session() as sess:
    ...     sess.run(v.initializer)
    ...     print(sess.run(step), sess.run(step), sess.run(v * 10))
    [2. 3.] [3. 4.] [30. 40.]
    """

    def __new__(cls, *args, use_resource=None, **kwargs):
        if cls is Variable and (use_resource or get_default_graph()._eager):
            cls = ResourceVariable  # (eager variables are resource variables, as in TF)
        return object.__new__(cls)

    def __init__(self, initial_value=None, trainable=None, collections=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None,
                 expected_shape=None, import_scope=None, constraint=None, use_resource=None,
                 synchronization=VariableSynchronization.AUTO,
                 aggregation=VariableAggregation.NONE, shape=None):
        """Creates a variable and adds it to `collections`.

        Args:
          initial_value: a Tensor or a value convertible to one, or a function of no arguments
            returning one (called inside the variable's `Initializer` name scope).
          trainable: whether to add the variable to TRAINABLE_VARIABLES, where optimizers
            look for it by default (None means True, or False when `synchronization` is
            ON_READ).
          collections: the graph collections to add it to (default: GLOBAL_VARIABLES).
          validate_shape: if False, the initial value's shape need not be known; the
            variable's shape is then `shape`, or unknown.
          caching_device: the device reads of the variable are placed on.
          name: the variable's name (default "Variable"), made unique in the graph.
          dtype: if set, the initial value is converted to this dtype.
          constraint: a function `Tensor -> Tensor` that optimizers apply to the variable
            after each update.
          use_resource: if True, make a ResourceVariable; None: the variable scope's
            `use_resource`, else `tf.resource_variables_enabled()`.
          synchronization: a `tf.VariableSynchronization` (or its value; None is AUTO),
            recorded as `v.synchronization`.
          aggregation: a `tf.VariableAggregation` (or its value; None is NONE), recorded as
            `v.aggregation`.
          shape: the variable's shape, if it should be other than the initial value's
            (it must be compatible with it).
          variable_def: a `VariableDef`: the variable is that of ops already in the graph
            (see `from_proto`), and the other arguments but `import_scope` are not used.
          import_scope: with `variable_def`, the name scope its ops were imported into.
          expected_shape: accepted for TF compatibility; ignored.

        Raises:
          ValueError: `initial_value` is None or a function returning a variable, `constraint`
            is not callable, `synchronization` or `aggregation` is no mode, `shape` does not
            fit the initial value, or the initial value's shape is unknown while
            `validate_shape` is True.
        """
        if variable_def is not None:  # (TF: the variable of ops already in the graph)
            if initial_value is not None:
                raise ValueError("variable_def and initial_value are mutually exclusive.")
            self.__dict__.update(Variable.from_proto(variable_def, import_scope).__dict__)
            return
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if constraint is not None and not callable(constraint):
            raise ValueError(f"The `constraint` argument must be a callable. Got {constraint!r}")
        self._synchronization, self._aggregation, trainable = (
            _synchronization_aggregation_trainable(synchronization, aggregation, trainable, name))
        collections = _collections(collections, trainable)
        from_fn = callable(initial_value)
        self._caching_device = caching_device
        # as TF's init_scope: a variable's ops never wait on the control dependencies around it
        with get_default_graph().control_dependencies(None), name_scope(
                name, "Variable", [] if from_fn else [initial_value]) as scope:
            init = _initial_tensor(initial_value, dtype, from_fn)
            if init._op is not None and init._op._cf_context is not None:
                raise ValueError(
                    f"Initializer for variable {scope} is from inside a control-flow construct, "
                    "such as a loop or conditional. When creating a variable inside a loop or "
                    "conditional, use a lambda as the initializer.")
            var_shape = _variable_shape(init, shape, validate_shape)
            self._make(scope, init, var_shape, validate_shape, caching_device)
        self._initial_value = init
        self._op_name = scope[:-1] or self.op.name  # name="" (TF: the root, ops named by type)
        self._trainable, self._constraint = trainable, constraint
        self._shape = var_shape
        self._where = _user_frame()
        if not self._graph._eager:
            self._graph.add_to_collections(collections, self)
        elif GraphKeys.GLOBAL_STEP in collections:  # (TF: an eager variable joins no other
            self._graph.add_to_collection(GraphKeys.GLOBAL_STEP, self)  # collection itself)

    @staticmethod
    def from_proto(variable_def, import_scope=None):
        """Returns the variable a `VariableDef` describes, over its ops in the default graph.

        The ops (the variable, its initializer and snapshot) must be there already, as
        `import_meta_graph` puts them; the variable joins no collection.

        Args:
          variable_def: a `VariableDef` (as `export_meta_graph` writes them).
          import_scope: the name scope the ops were imported into, prepended to the names.

        Returns:
          A Variable (a ResourceVariable when `variable_def.is_resource`).

        Raises:
          KeyError: an op the VariableDef names is not in the graph.
        """
        graph = get_default_graph()

        def element(name):
            scoped = f"{import_scope}/{name}" if import_scope and name else name
            return graph.as_graph_element(scoped) if scoped else None

        d = variable_def
        self = object.__new__(ResourceVariable if d.is_resource else Variable)
        self._variable = element(d.variable_name)
        self._graph, self._dtype = graph, self._variable.dtype
        if d.is_resource:
            self._handle = self._variable
            self._dtype = self._variable.op._attrs["dtype"]
            self._graph_element = element(d.snapshot_name)
        else:
            self._snapshot = element(d.snapshot_name)
        self._shape = tuple(self._variable.op._attrs["shape"])
        self._op_name = self._variable.op.name
        self._initializer_op = element(d.initializer_name)
        self._initial_value = element(d.initial_value_name)
        self._trainable, self._constraint, self._caching_device = d.trainable, None, None
        self._synchronization = VariableSynchronization(d.synchronization)
        self._aggregation = VariableAggregation(d.aggregation)
        self._where = _user_frame()
        if d.HasField("save_slice_info_def"):
            from minitf.partitioned import SaveSliceInfo
            info = d.save_slice_info_def
            full_name = f"{import_scope}/{info.full_name}" if import_scope else info.full_name
            self._save_slice_info = SaveSliceInfo(full_name, info.full_shape, info.var_offset,
                                                  info.var_shape)
        return self

    @classmethod
    def _deferred(cls, graph, name, initializer, shape, dtype, trainable, collections,
                  caching_device, constraint, use_resource, synchronization=None,
                  aggregation=None):
        # get_variable's variable from a built-in initializer, with its ops built on first use.
        # Most variables of a model are only ever touched through the initializer op and
        # reads, so building a dozen ops per variable up front is most of the cost of creating
        # one. This variable reserves its name, a block of op ids and a random initializer's
        # seeds now (so names, op order and default op seeds are the same as if built now) and
        # builds its ops when one of them is first asked for, or when the graph lists, looks up
        # or finalizes its ops. The caller checked that the build cannot fail
        # (`Initializer._deferrable`), so errors are not postponed.
        self = object.__new__(ResourceVariable if use_resource else cls)
        self._graph = graph
        self._op_name = graph._names.open_scope("", name)[0]
        self._shape = shape
        self._dtype = dtype if use_resource else dtype._as_ref
        self._synchronization, self._aggregation, self._trainable = (
            _synchronization_aggregation_trainable(synchronization, aggregation, trainable, name))
        self._constraint, self._caching_device = constraint, caching_device
        self._where = _user_frame()
        # (a random initializer, one with a `seed`, makes exactly one random op)
        seeds = random_seed.get_seed(initializer.seed) if hasattr(initializer, "seed") else None
        self._pending = (initializer, graph._reserve_ids(DEFERRED_OPS), seeds)
        graph._defer(self)
        graph.add_to_collections(_collections(collections, self._trainable), self)
        return self

    def __getattr__(self, attr):
        # only reached for a missing attribute: a deferred variable's ops, not built yet. Build
        # (a no-op once built) and look again whether or not `_pending` is still there: another
        # thread may have finished the build between the failed lookup and here (issue 15)
        if attr in _BUILT:
            self._build()
            return object.__getattribute__(self, attr)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {attr!r}")

    def _build(self):
        # builds a deferred variable's ops (once, whichever thread asks first), whole: a
        # Ctrl-C waits for the end of the build, and a build that raises leaves no op behind
        graph = self._graph
        with graph._lock, interrupts.held():
            pending = self.__dict__.get("_pending")
            if pending is None:
                return
            if pending is _BUILDING:
                raise AttributeError(f"Variable {self._op_name} is being built.")
            if isinstance(pending, _BuildFailed):
                raise pending.error()
            self._pending = _BUILDING
            initializer, first_id, seeds = pending
            dtype = self._dtype.base_dtype
            fixed = random_seed.fixed_seeds(seeds) if seeds else contextlib.nullcontext()
            try:
                with graph._replay(first_id, DEFERRED_OPS), fixed, name_scope(
                        self._op_name + "/") as scope:
                    init = _initial_tensor(
                        lambda: initializer(list(self._shape), dtype=dtype), dtype, True)
                    self._make(scope, init, self._shape, True, self._caching_device)
            except Exception as exc:
                # a bug (get_variable checks what can fail): this variable keeps the error,
                # the rest of the graph goes on without its ops
                self._pending = _BuildFailed(exc, self._op_name, self._defined_at)
                raise
            except BaseException:
                self._pending = pending
                raise
            self._initial_value = init
            del self._pending

    @property
    def _defined_at(self):
        # where the variable was created, for "already exists" errors
        filename, line, function = self._where
        return f'  File "{filename}", line {line}, in {function}\n'

    def _make(self, scope, init, shape, validate_shape, caching_device):
        self._variable = state_ops._variable_v2.apply([], name=scope, shape=shape,
                                                      dtype=init.dtype.base_dtype)
        self._dtype = self._variable.dtype
        self._graph = self._variable.graph
        self._initializer_op = state_ops._assign.apply(
            [self._variable, init], name="Assign", validate_shape=validate_shape).op
        with _on_device(caching_device):
            self._snapshot = identity(self._variable, name="read")

    # -- attributes ------------------------------------------------------------------------------
    name = property(lambda self: self._op_name + ":0", doc="The name, e.g. `scope/v:0`.")
    op = property(lambda self: self._variable.op, doc="The variable's op (VariableV2 or "
                  "VarHandleOp).")
    dtype = property(lambda self: self._dtype, doc="`float32_ref` (a resource's: `float32`).")
    graph = property(lambda self: self._graph, doc="The Graph of the variable.")
    device = property(lambda self: self._variable.device, doc="The device of the variable.")
    initializer = property(lambda self: self._initializer_op, doc="The op assigning the "
                           "initial value.")
    initial_value = property(lambda self: self._initial_value, doc="The initial value tensor.")
    constraint = property(lambda self: self._constraint, doc="The constraint, or None.")
    trainable = property(lambda self: self._trainable, doc="Whether optimizers train it by "
                         "default.")
    synchronization = property(lambda self: self._synchronization,
                               doc="Its `tf.VariableSynchronization`.")
    aggregation = property(lambda self: self._aggregation, doc="Its `tf.VariableAggregation`.")

    @property
    def shape(self):
        """The static TensorShape."""
        return TensorShape._from_tuple(self._shape)

    def get_shape(self):
        """Returns the static shape (a TensorShape); same as `shape`."""
        return self.shape

    def value(self):
        """Returns the tensor that reads the variable: its `v/read` snapshot.

        The snapshot sits on the caching device, if the variable has one; converting the
        variable to a tensor gives this tensor.
        """
        return self._snapshot

    def read_value(self):
        """Returns a new tensor reading the variable's current value.

        It is made in the current name scope: a ref variable's is an Identity named `read`.
        """
        return identity(self._variable, name="read")

    def _ref(self):
        return self._variable

    def _as_graph_element(self):
        return self._variable

    @property
    def _holder(self):
        # the op keying the value in a Session's state (an eager handle's value is that op)
        variable = self._variable
        return variable._op if variable._op is not None else variable._value

    # -- updates ---------------------------------------------------------------------------------
    def _update(self, opdef, value, use_locking, name, read_value, **attrs):
        value = convert_to_tensor(value, dtype=self.dtype.base_dtype)
        out = opdef.apply([self._variable, value], name=name or opdef.type, **attrs)
        return out if read_value else out.op

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Returns an op that assigns `value` to the variable when run.

        Args:
          value: a Tensor or value of the variable's dtype and shape.
          use_locking: accepted for TF's signature: an assignment is one atomic store.
          name: the op's name (default "Assign", or "AssignVariableOp" for a resource).
          read_value: whether to return the new value (a Tensor) rather than the op.

        Returns:
          A Tensor holding the new value when run, or the Operation if `read_value` is False.

        Raises:
          ValueError: a ref variable's static shape and `value`'s do not match (a resource
            variable's mismatch raises InvalidArgumentError when the op runs).
        """
        return self._update(state_ops._assign, value, use_locking, name, read_value,
                            validate_shape=True)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        """Returns an op that adds `delta` to the variable when run.

        Args:
          delta: a Tensor or value of the variable's dtype.
          use_locking: accepted for TF's signature: the read and the write always hold
            the variable's lock, so concurrent updates are never lost.
          name: the op's name (default "AssignAdd", or "AssignAddVariableOp").
          read_value: whether to return the new value (a Tensor) rather than the op.

        Returns:
          A Tensor holding the new value when run, or the Operation if `read_value` is False.
        """
        return self._update(state_ops._assign_add, delta, use_locking, name, read_value)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        """Returns an op that subtracts `delta` from the variable when run.

        Args:
          delta: a Tensor or value of the variable's dtype.
          use_locking: accepted for TF's signature: the read and the write always hold
            the variable's lock, so concurrent updates are never lost.
          name: the op's name (default "AssignSub", or "AssignSubVariableOp").
          read_value: whether to return the new value (a Tensor) rather than the op.

        Returns:
          A Tensor holding the new value when run, or the Operation if `read_value` is False.
        """
        return self._update(state_ops._assign_sub, delta, use_locking, name, read_value)

    def eval(self, session=None):
        """Returns the variable's value in a session, as a NumPy array.

        Args:
          session: the Session to read it in (default: the default session).

        Returns:
          The value (a NumPy array, or a NumPy scalar for a scalar variable).
        """
        return self.value().eval(session=session)

    def load(self, value, session=None):
        """Sets the variable's value in a session, adding no ops to the graph.

        It runs the variable's initializer with `value` fed for the initial value.

        Args:
          value: the new value, of the variable's dtype and shape.
          session: the Session (default: the default session).
        """
        from minitf.framework.ops import _session_for

        _session_for(self._initial_value, session).run(
            self._initializer_op, {self._initial_value: value})

    def numpy(self):
        """Returns the variable's value as a NumPy array (eager mode only).

        Raises:
          NotImplementedError: in graph mode, where a Session holds the value.
        """
        if not self._graph._eager:
            raise NotImplementedError("numpy() is only available when eager execution is "
                                      "enabled.")
        return self.value().numpy()

    def __repr__(self):
        value = f", numpy={self.numpy()!r}" if self._graph._eager else ""
        return (f"<tf.Variable '{self.name}' shape={self.shape} "
                f"dtype={self.dtype.name}{value}>")

    __hash__ = object.__hash__


class ResourceVariable(Variable):
    """A variable with resource semantics: `tf.Variable(..., use_resource=True)`.

    The variable is a VarHandleOp; every read is a ReadVariableOp, which sees the updates that
    run before it (by control dependency). It takes the same arguments as `tf.Variable`.
    """

    def _make(self, scope, init, shape, validate_shape, caching_device):
        dtype = init.dtype.base_dtype
        self._handle = state_ops._var_handle.apply([], name=scope, shape=shape, dtype=dtype)
        self._variable = self._handle
        self._dtype, self._shape = dtype, shape
        self._graph = get_default_graph()
        if self._graph._eager:  # the value lives until the variable is deleted
            weakref.finalize(self, _forget, self._handle._value)
        self._initializer_op = state_ops._assign_variable.apply(
            [self._handle, init], name="Assign", validate_shape=validate_shape)
        with name_scope("Read"):
            self._graph_element = None if self._graph._eager else self._read("ReadVariableOp")

    def _read(self, name):
        if tape.active():
            tape.variable_accessed(self)
        with _on_device(self._caching_device):
            return state_ops._read_variable.apply([self._handle], name=name,
                                                  shape=self._shape,
                                                  dtype=self._dtype)

    handle = property(lambda self: self._handle, doc="The resource handle tensor.")

    def value(self):
        """Returns a new ReadVariableOp tensor reading the current value."""
        return self._read("ReadVariableOp")

    def read_value(self):
        with name_scope("Read"):
            return self._read("ReadVariableOp")

    def _ref(self):
        raise TypeError(f"Resource variable {self.name} has no reference tensor.")

    def _as_graph_element(self):
        return self._graph_element

    def _update(self, opdef, value, use_locking, name, read_value, **attrs):
        opdef = {state_ops._assign: state_ops._assign_variable,
                 state_ops._assign_add: state_ops._assign_add_variable,
                 state_ops._assign_sub: state_ops._assign_sub_variable}[opdef]
        value = convert_to_tensor(value, dtype=self.dtype)
        op = opdef.apply([self._handle, value], name=name or opdef.type, **attrs)
        if not read_value:
            return op
        with self._graph.control_dependencies([op]):
            return self.read_value()

    def eval(self, session=None):
        return self._graph_element.eval(session=session)


VariableV1 = Variable

# the ops a deferred variable builds: its initializer's (at most 8 for the deferrable ones),
# the variable, Assign and read; the block is generous so a new initializer cannot overflow it
DEFERRED_OPS = 32
_BUILT = frozenset({"_variable", "_handle", "_initializer_op", "_snapshot", "_graph_element",
                    "_initial_value"})
_BUILDING = object()


class _BuildFailed:
    """The error of a deferred variable whose build raised; every later use raises a copy."""

    def __init__(self, exc, name, defined_at):
        note = f"(while building the ops of variable {name}, created at\n{defined_at.rstrip()})"
        if hasattr(exc, "add_note"):
            exc.add_note(note)
        else:  # Python 3.10: kept, though tracebacks do not show it
            exc.__notes__ = [*getattr(exc, "__notes__", ()), note]
        self._exc = exc

    def error(self):
        return copy.copy(self._exc)


def _forget(handle):
    # a deleted eager variable's value and lock (its handle op keys both in the eager state)
    state = handle._graph._state
    state.pop(handle, None)
    state.get(state_ops._LOCKS, {}).pop(handle, None)


def _collections(collections, trainable):
    collections = [GraphKeys.GLOBAL_VARIABLES] if collections is None else list(collections)
    if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
        collections.append(GraphKeys.TRAINABLE_VARIABLES)
    return collections


def _initial_tensor(initial_value, dtype, from_fn):
    if from_fn:
        with name_scope("Initializer"), device(None):
            value = initial_value()
            if isinstance(value, Variable):
                raise ValueError("The initial value of a variable must be a value or tensor, "
                                 f"not the variable {value.name}.")
            return convert_to_tensor(value, name="initial_value", dtype=dtype)
    return convert_to_tensor(initial_value, name="initial_value", dtype=dtype)


def _variable_shape(init, shape, validate_shape):
    if shape is not None:
        shape = as_shape(shape)
        if not shape.is_compatible_with(TensorShape._from_tuple(init._shape)):
            raise ValueError(f"The initial value's shape ({init.shape}) is not compatible with "
                             f"the explicitly supplied `shape` argument ({shape}).")
        return shape._as_tuple()
    if not validate_shape:
        return None
    if init._shape is None:
        raise ValueError(f"initial_value must have a shape specified: {init}")
    return init._shape


def _on_device(caching_device):
    # No caching device: reads stay where the variable is (TF colocates them).
    return contextlib.nullcontext() if caching_device is None else device(caching_device)


def _user_frame():
    # (file, line, function) of the innermost caller outside minitf
    frame = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("minitf"):
        frame = frame.f_back
    if frame is None:
        return "(unknown)", 0, "(unknown)"
    code = frame.f_code
    return code.co_filename, frame.f_lineno, code.co_name


def _to_tensor(var, dtype=None, name=None, as_ref=False):
    t = var._ref() if as_ref else var.value()
    if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(t.dtype):
        raise ValueError(f"Incompatible type conversion requested to type "
                         f"'{dtypes.as_dtype(dtype).name}' for variable of type "
                         f"'{var.dtype.name}' ({var.name})")
    return t


register_tensor_conversion_function(Variable, _to_tensor)


def _forward(name):
    return lambda self, *args: getattr(Tensor, name)(self.value(), *args)


for _op in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or",
            "xor"):
    for _name in (f"__{_op}__", f"__r{_op}__"):
        setattr(Variable, _name, _forward(_name))
for _name in ("__neg__", "__abs__", "__invert__", "__lt__", "__le__", "__gt__", "__ge__",
              "__getitem__"):
    setattr(Variable, _name, _forward(_name))
