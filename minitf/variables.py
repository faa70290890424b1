"""Variables: TF1's ref `Variable` (a VariableV2 op, `v/read` snapshot) and `ResourceVariable`
(`use_resource=True`: a VarHandleOp read by ReadVariableOp), their initializers and collections.

A variable's value lives in the Session (see ops/state_ops.py); the graph holds only its ops.
"""
import contextlib
import copy
import sys

from minitf.framework import dtypes, interrupts
from minitf.framework.api import device, name_scope
from minitf.framework.constant_op import convert_to_tensor, register_tensor_conversion_function
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.framework.ops import Tensor
from minitf.framework.tensor_shape import TensorShape, as_shape
from minitf.ops import state_ops
from minitf.ops.array_ops import identity
from minitf.ops.control_flow_ops import group, no_op

__all__ = ["Variable", "VariableV1", "ResourceVariable", "global_variables", "local_variables",
           "trainable_variables", "model_variables", "variables_initializer",
           "global_variables_initializer", "local_variables_initializer",
           "initialize_all_variables", "report_uninitialized_variables",
           "is_variable_initialized", "assign", "assign_add", "assign_sub"]


class Variable:
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
        if cls is Variable and use_resource:
            cls = ResourceVariable
        return object.__new__(cls)

    def __init__(self, initial_value=None, trainable=None, collections=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None,
                 expected_shape=None, import_scope=None, constraint=None, use_resource=None,
                 synchronization=None, aggregation=None, shape=None):
        """Creates a variable and adds it to `collections`.

        Args:
          initial_value: a Tensor or a value convertible to one, or a function of no arguments
            returning one (called inside the variable's `Initializer` name scope).
          trainable: whether to add the variable to TRAINABLE_VARIABLES, where optimizers
            look for it by default (None means True).
          collections: the graph collections to add it to (default: GLOBAL_VARIABLES).
          validate_shape: if False, the initial value's shape need not be known; the
            variable's shape is then `shape`, or unknown.
          caching_device: the device reads of the variable are placed on.
          name: the variable's name (default "Variable"), made unique in the graph.
          dtype: if set, the initial value is converted to this dtype.
          constraint: a function `Tensor -> Tensor` that optimizers apply to the variable
            after each update.
          use_resource: if True, make a ResourceVariable.
          shape: the variable's shape, if it should be other than the initial value's
            (it must be compatible with it).
          variable_def, expected_shape, import_scope, synchronization, aggregation: accepted
            for TF compatibility; ignored.

        Raises:
          ValueError: `initial_value` is None or a function returning a variable, `constraint`
            is not callable, `shape` does not fit the initial value, or the initial value's
            shape is unknown while `validate_shape` is True.
        """
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if constraint is not None and not callable(constraint):
            raise ValueError(f"The `constraint` argument must be a callable. Got {constraint!r}")
        trainable = True if trainable is None else trainable
        collections = _collections(collections, trainable)
        from_fn = callable(initial_value)
        self._caching_device = caching_device
        # as TF's init_scope: a variable's ops never wait on the control dependencies around it
        with get_default_graph().control_dependencies(None), name_scope(
                name, "Variable", [] if from_fn else [initial_value]) as scope:
            init = _initial_tensor(initial_value, dtype, from_fn)
            var_shape = _variable_shape(init, shape, validate_shape)
            self._make(scope, init, var_shape, validate_shape, caching_device)
        self._initial_value = init
        self._op_name = scope[:-1] or self.op.name  # name="" (TF: the root, ops named by type)
        self._trainable, self._constraint = trainable, constraint
        self._shape = var_shape
        self._where = _user_frame()
        self._graph.add_to_collections(collections, self)

    @classmethod
    def _deferred(cls, graph, name, initializer, shape, dtype, trainable, collections,
                  caching_device, constraint, use_resource):
        # get_variable's variable from a built-in initializer, with its ops built on first use.
        # Most variables of a model are only ever touched through the initializer op and
        # reads, so building a dozen ops per variable up front is most of the cost of creating
        # one. This variable reserves its name and a block of op ids now (so names, op order
        # and default op seeds are the same as if built now) and builds its ops when one of
        # them is first asked for, or when the graph lists, looks up or finalizes its ops. The
        # caller checked that the build cannot fail (`Initializer._deferrable`), so errors are
        # not postponed.
        self = object.__new__(ResourceVariable if use_resource else cls)
        self._graph = graph
        self._op_name = graph._names.open_scope("", name)[0]
        self._shape = shape
        self._dtype = dtype if use_resource else dtype._as_ref
        self._trainable = True if trainable is None else trainable
        self._constraint, self._caching_device = constraint, caching_device
        self._where = _user_frame()
        self._pending = (initializer, graph._reserve_ids(DEFERRED_OPS))
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
            initializer, first_id = pending
            dtype = self._dtype.base_dtype
            try:
                with graph._replay(first_id, DEFERRED_OPS), name_scope(
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

    def __repr__(self):
        return (f"<tf.Variable '{self.name}' shape={self.shape} "
                f"dtype={self.dtype.name}>")

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
        self._dtype = dtype
        self._graph = self._handle.graph
        self._initializer_op = state_ops._assign_variable.apply(
            [self._handle, init], name="Assign", validate_shape=validate_shape)
        with name_scope("Read"):
            self._graph_element = self._read("ReadVariableOp")

    def _read(self, name):
        with _on_device(self._caching_device):
            return state_ops._read_variable.apply([self._handle], name=name,
                                                  shape=self._handle.op._attrs["shape"],
                                                  dtype=self._handle.op._attrs["dtype"])

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


# -- collections and initialization ----------------------------------------------------------------
def global_variables(scope=None):
    """Returns the global variables (the GLOBAL_VARIABLES collection) of the default graph.

    Args:
      scope: if given, only the variables whose name matches this regex from the start.

    Returns:
      A list of variables, in the order they were made.
    """
    return get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def local_variables(scope=None):
    """Returns the local variables (the LOCAL_VARIABLES collection) of the default graph.

    Args:
      scope: if given, only the variables whose name matches this regex from the start.

    Returns:
      A list of variables, in the order they were made.
    """
    return get_default_graph().get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def trainable_variables(scope=None):
    """Returns the trainable variables (the TRAINABLE_VARIABLES collection) of the default graph.

    Args:
      scope: if given, only the variables whose name matches this regex from the start.

    Returns:
      A list of variables, in the order they were made.
    """
    return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def model_variables(scope=None):
    """Returns the MODEL_VARIABLES collection of the default graph.

    Args:
      scope: if given, only the variables whose name matches this regex from the start.

    Returns:
      A list of variables.
    """
    return get_default_graph().get_collection(GraphKeys.MODEL_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    """Returns an op that initializes the given variables.

    Args:
      var_list: the variables to initialize.
      name: the op's name.

    Returns:
      An Operation running every variable's initializer (a NoOp when `var_list` is empty).
    """
    if var_list:
        return group(*[v.initializer for v in var_list], name=name)
    return no_op(name=name)


def global_variables_initializer():
    """Returns an op that initializes every global variable of the default graph.

    The variables are those in GLOBAL_VARIABLES when this is called; the op is named `init`.

    Returns:
      An Operation (a NoOp when there are no global variables).

    >>> v = tf.Variable(3.0)
    >>> w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     print(sess.run(v), sess.run(w))
    3.0 [1. 1.]
    """
    return variables_initializer(global_variables())


initialize_all_variables = global_variables_initializer


def local_variables_initializer():
    """Returns an op that initializes every local variable of the default graph.

    Returns:
      An Operation named `init` (a NoOp when there are no local variables).
    """
    return variables_initializer(local_variables())


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """Returns a tensor naming the variables that have no value yet in the session.

    Args:
      var_list: the variables to check (default: the global and local variables).
      name: the name of the returned tensor.

    Returns:
      A 1-D string Tensor of the variables' op names (empty when all are initialized).

    >>> v = tf.Variable(1.0, name="v")
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.report_uninitialized_variables()))
    [b'v']
    """
    if var_list is None:
        var_list = global_variables() + local_variables()
    return state_ops._report_uninitialized.apply(
        [], name=name, holders=tuple(v.op for v in var_list),
        names=tuple(v.op.name for v in var_list))


def is_variable_initialized(variable):
    """Returns a tensor telling whether a variable has a value yet in the session.

    Args:
      variable: a Variable (ref or resource).

    Returns:
      A bool scalar Tensor.
    """
    if isinstance(variable, ResourceVariable):
        return state_ops._var_is_initialized.apply([variable.handle], name="VarIsInitializedOp")
    return state_ops._is_initialized.apply([variable._ref()], name="IsVariableInitialized")


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """Returns an op that assigns `value` to the variable `ref` when run: `ref.assign(value)`.

    Args:
      ref: a Variable.
      value: a Tensor or value of the variable's dtype and shape.
      validate_shape: accepted for TF compatibility; ignored (the shape is always checked).
      use_locking: accepted for TF's signature: an assignment is one atomic store.
      name: the op's name.

    Returns:
      A Tensor holding the variable's new value when run.

    Raises:
      ValueError: a ref variable's static shape and `value`'s do not match.
    """
    return ref.assign(value, name=name)


def assign_add(ref, value, use_locking=None, name=None):
    """Returns an op that adds `value` to the variable `ref` when run: `ref.assign_add(value)`.

    Args:
      ref: a Variable.
      value: a Tensor or value of the variable's dtype.
      use_locking: accepted for TF's signature: the read and the write always hold
        the variable's lock, so concurrent updates are never lost.
      name: the op's name.

    Returns:
      A Tensor holding the variable's new value when run.
    """
    return ref.assign_add(value, name=name)


def assign_sub(ref, value, use_locking=None, name=None):
    """Returns an op that subtracts `value` from the variable `ref` when run.

    Args:
      ref: a Variable.
      value: a Tensor or value of the variable's dtype.
      use_locking: accepted for TF's signature: the read and the write always hold
        the variable's lock, so concurrent updates are never lost.
      name: the op's name.

    Returns:
      A Tensor holding the variable's new value when run.
    """
    return ref.assign_sub(value, name=name)
