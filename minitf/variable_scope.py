"""variable_scope and get_variable: TF1's rules for naming, creating and sharing variables.

Per graph and per thread: the current VariableScope and the default_name counters (ScopeCounts
kernel). Per graph, shared by all threads: the VariableStore kernel, whose `lookup` makes the
reuse decision; creation holds the graph's lock, so concurrent get_variable calls for one name
create it once.
"""
import contextlib
import enum
import functools
import inspect
import threading
import weakref

from minitf import _kernels, initializers
from minitf.framework import dtypes
from minitf.framework.api import _graph_of_values, name_scope
from minitf.framework.graph import _default_graph_stack, get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.framework.ops import Tensor
from minitf.framework.tensor_shape import as_shape
from minitf.initializers import GlorotUniform, Zeros
from minitf.partitioned import get_partitioned_variable
from minitf.variables import (
    Variable,
    VariableAggregation,
    VariableSynchronization,
    _collections,
    _creator_stacks,
    _creators,
    _synchronization_aggregation_trainable,
    resource_variables_enabled,
)

__all__ = ["AUTO_REUSE", "VariableScope", "variable_scope", "get_variable",
           "get_variable_scope", "get_local_variable", "no_regularizer", "variable_creator_scope"]


class _ReuseMode(enum.Enum):
    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


class VariableScope(_kernels.ScopeData):
    """A variable scope: its name, and the defaults it hands to the variables made in it.

    `tf.variable_scope(...)` makes one as it enters (`with tf.variable_scope("s") as scope`),
    and `tf.get_variable_scope()` returns the current one; pass it back to `variable_scope` to
    re-enter it. The setters change the defaults for the variables made from then on.

    Args:
      reuse: True, `tf.AUTO_REUSE`, or None/False (create new variables only).
      name: the scope's full name ("" for the root).
      initializer, regularizer, caching_device, partitioner: variables' defaults.
      custom_getter, dtype, use_resource, constraint: variables' defaults.
      name_scope: the name scope the scope opened first, e.g. `foo/`.

    >>> with tf.variable_scope("foo") as scope:
    ...     pass
    >>> scope.name, scope.original_name_scope
    ('foo', 'foo/')
    """
    # its fields live in the kernel's ScopeData, so entering a scope makes one without Python
    # frames (ScopeData.child)

    __slots__ = ()

    def __init__(self, reuse, name="", initializer=None, regularizer=None, caching_device=None,
                 partitioner=None, custom_getter=None, name_scope="", dtype=dtypes.float32,
                 use_resource=None, constraint=None):
        super().__init__(reuse, name, initializer, regularizer, caching_device, partitioner,
                         custom_getter, name_scope, dtype, use_resource, constraint)

    name = property(lambda self: self._name, doc="The full scope name, e.g. `foo/bar`.")
    original_name_scope = property(lambda self: self._name_scope,
                                   doc="The name scope the scope first opened, e.g. `foo/`.")
    reuse = property(lambda self: self._reuse)
    initializer = property(lambda self: self._initializer)
    regularizer = property(lambda self: self._regularizer)
    caching_device = property(lambda self: self._caching_device)
    partitioner = property(lambda self: self._partitioner)
    custom_getter = property(lambda self: self._custom_getter)
    dtype = property(lambda self: self._dtype)
    use_resource = property(lambda self: self._use_resource)
    constraint = property(lambda self: self._constraint)

    def reuse_variables(self):
        """Makes get_variable in this scope share existing variables from now on."""
        self._reuse = True

    def set_initializer(self, initializer):
        """Sets the default initializer of the variables made in this scope from now on.

        Args:
          initializer: the default initializer (None: the dtype's default).
        """
        self._initializer = initializer

    def set_regularizer(self, regularizer):
        """Sets the default regularizer of the variables made in this scope from now on.

        Args:
          regularizer: the default regularizer (a function of the variable).
        """
        self._regularizer = regularizer

    def set_caching_device(self, caching_device):
        """Sets the default caching device of the variables made in this scope from now on.

        Args:
          caching_device: the default caching device.
        """
        self._caching_device = caching_device

    def set_partitioner(self, partitioner):
        """Sets the default partitioner of the variables made in this scope from now on.

        Args:
          partitioner: the default partitioner (None: one part).
        """
        self._partitioner = partitioner

    def set_custom_getter(self, custom_getter):
        """Sets the custom getter of the variables made in this scope from now on.

        Args:
          custom_getter: the custom getter (it replaces, not composes with, the current one).
        """
        self._custom_getter = custom_getter

    def set_dtype(self, dtype):
        """Sets the default dtype of the variables made in this scope from now on.

        Args:
          dtype: the default dtype.
        """
        self._dtype = dtype

    def set_use_resource(self, use_resource):
        """Sets whether the variables made in this scope from now on are ResourceVariables.

        Args:
          use_resource: whether variables are ResourceVariables by default.
        """
        self._use_resource = use_resource

    def set_constraint(self, constraint):
        """Sets the default constraint of the variables made in this scope from now on.

        Args:
          constraint: the default constraint.
        """
        self._constraint = constraint

    def get_collection(self, name):
        """Returns the items of graph collection `name` whose names are in this scope.

        Args:
          name: a collection's key, e.g. `tf.GraphKeys.GLOBAL_VARIABLES`.

        Returns:
          The items whose names start with `<scope name>/`, in the collection's order.
        """
        return get_default_graph().get_collection(name, self._name + "/" if self._name else "")

    def global_variables(self):
        """Returns the global variables in this scope."""
        return self.get_collection(GraphKeys.GLOBAL_VARIABLES)

    def trainable_variables(self):
        """Returns the trainable variables in this scope."""
        return self.get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def local_variables(self):
        """Returns the local variables in this scope."""
        return self.get_collection(GraphKeys.LOCAL_VARIABLES)

    def get_variable(self, var_store, name, shape=None, dtype=None, initializer=None,
                     regularizer=None, reuse=None, trainable=None, collections=None,
                     caching_device=None, partitioner=None, validate_shape=True,
                     use_resource=None, custom_getter=None, constraint=None,
                     synchronization=VariableSynchronization.AUTO,
                     aggregation=VariableAggregation.NONE):
        """Gets or creates variable `<scope name>/name` in `var_store` with this scope's defaults.

        `tf.get_variable` calls this on the current scope; the arguments are its own (see
        `help(tf.get_variable)`), and unset ones take this scope's defaults.

        Args:
          var_store: the graph's variable store.
          name: the variable's name within this scope.
          shape, dtype, initializer, regularizer, reuse, trainable, collections: as in
            `tf.get_variable` (`reuse` overrides the scope's).
          caching_device, partitioner, validate_shape, use_resource, custom_getter: likewise.
          constraint, synchronization, aggregation: likewise.

        Returns:
          The `Variable` or `PartitionedVariable`.

        Raises:
          ValueError: as `tf.get_variable`, and when a value initializer's dtype differs from
            an explicit `dtype`.
        """
        full_name = _checked_name(self._name, name)
        if dtype is not None and initializer is not None and not callable(initializer):
            init_dtype = (initializer.dtype if isinstance(initializer, Tensor)
                          else dtypes.infer_dtype(initializer)).base_dtype
            if init_dtype != dtypes.as_dtype(dtype):
                raise ValueError(f"Initializer type '{init_dtype}' and explicit dtype "
                                 f"'{dtypes.as_dtype(dtype)}' don't match.")
        dtype = self._dtype if dtype is None else dtype
        constraint = self._constraint if constraint is None else constraint
        _check_request(full_name, dtype, constraint)
        # variable names follow the variable scope only: the name scope is the root's inside
        state = var_store._graph._states.get()
        name_stack, state.name_stack = state.name_stack, ""
        if var_store._graph._eager:  # TF's eager rule: see EagerVariableStore
            reuse, use_resource = (AUTO_REUSE if var_store._keeps_eager else False), True
        try:
            return var_store.get_variable(
                full_name, shape=shape, dtype=dtype,
                initializer=self._initializer if initializer is None else initializer,
                regularizer=self._regularizer if regularizer is None else regularizer,
                reuse=self._reuse if reuse is None else reuse, trainable=trainable,
                collections=collections, validate_shape=validate_shape,
                caching_device=caching_device or self._caching_device,
                partitioner=self._partitioner if partitioner is None else partitioner,
                use_resource=self._use_resource if use_resource is None else use_resource,
                custom_getter=self._custom_getter if custom_getter is None else custom_getter,
                constraint=constraint, synchronization=synchronization, aggregation=aggregation)
        finally:
            state.name_stack = name_stack

    def __repr__(self):
        return f"<VariableScope name={self._name!r} reuse={self._reuse}>"


# What TF rejects when get_variable is called is rejected here at once, before anything is made
# (a deferred variable builds its ops later, where a failure would poison the graph); names that
# break TF's name rules are refused by the name table, with TF's text.
def _checked_name(scope_name, name):
    if not isinstance(name, str):
        raise TypeError(f"A variable's name must be a string, not {type(name).__name__}: "
                        f"{name!r}")
    full_name = scope_name + "/" + name if scope_name else name
    if not name or name.endswith("/") or "\n" in name:  # (TF's `$` lets a final newline by)
        raise ValueError(f"{full_name!r} is not a valid variable name: a variable name must "
                         "not be empty, end with '/' or hold a line break")
    return full_name


def _check_request(full_name, dtype, constraint):
    if constraint is not None and not callable(constraint):
        raise ValueError("The `constraint` argument must be a callable.")
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    if dtype is not None and not dtype.is_numpy_compatible:
        raise TypeError(f"Variable {full_name} cannot be of type {dtype.name}: minitf holds no "
                        "values of it")


# -- per-graph state -------------------------------------------------------------------------------
def _thread_scopes(graph):
    """This thread's state in `graph`, with its root variable scope and default_name counters
    made on first use (`current`, `counts`)."""
    state = graph._states.get()
    if state.current is None:
        state.current, state.counts = VariableScope(False), _kernels.ScopeCounts()
    return state


def _variable_store(graph):
    """The graph's variable store (shared by all threads), made on first use.

    In eager mode: the store of this thread's innermost active EagerVariableStore, else a new
    empty one, so get_variable creates a new variable every time (the seed's eager rule).
    """
    if graph._eager:
        stores = _eager_stores.stack
        if not stores:
            return _VariableStore(graph)
        stores[-1]._graph = graph
        return stores[-1]
    store = graph._layer_state.get("variable_store")
    if store is None:
        with graph._lock:
            store = graph._layer_state.setdefault("variable_store", _VariableStore(graph))
    return store


def get_variable_scope():
    """Returns the current variable scope of this thread in the default graph.

    Returns:
      The `VariableScope` of the innermost `variable_scope` open, or the root scope (named "").

    >>> with tf.variable_scope("outer"):
    ...     tf.get_variable_scope().name
    'outer'
    """
    return _thread_scopes(get_default_graph()).current


def _get_default_variable_store():
    return _variable_store(get_default_graph())


def get_local_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                       trainable=False, collections=None, caching_device=None, partitioner=None,
                       validate_shape=True, use_resource=None, custom_getter=None,
                       constraint=None, synchronization=VariableSynchronization.AUTO,
                       aggregation=VariableAggregation.NONE):
    """Gets or creates a local variable: `tf.get_variable` into LOCAL_VARIABLES, not trainable.

    Args:
      name, shape, dtype, initializer, regularizer: as in `tf.get_variable`.
      trainable: ignored: a local variable is never trainable.
      collections: further collections besides LOCAL_VARIABLES (the list is not changed).
      caching_device, partitioner, validate_shape, use_resource: as in `tf.get_variable`.
      custom_getter, constraint, synchronization, aggregation: likewise.

    Returns:
      The `Variable` (or `PartitionedVariable`).
    """
    collections = list(collections or []) + [GraphKeys.LOCAL_VARIABLES]
    return get_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                        regularizer=regularizer, trainable=False, collections=collections,
                        caching_device=caching_device, partitioner=partitioner,
                        validate_shape=validate_shape, use_resource=use_resource,
                        custom_getter=custom_getter, constraint=constraint,
                        synchronization=synchronization, aggregation=aggregation)


@contextlib.contextmanager
def variable_creator_scope(variable_creator):
    """Returns a context manager in which `variable_creator` creates the variables.

    Inside it, every `tf.Variable(...)` of the default graph, and every variable
    `tf.get_variable` creates, is made by calling `variable_creator(next_creator, **kwargs)`
    with TF1's keyword arguments: initial_value, trainable, collections, validate_shape,
    caching_device, name, variable_def, dtype, expected_shape, import_scope, constraint,
    use_resource, synchronization, aggregation and shape. A creator may change them, call
    `next_creator(**kwargs)` (the enclosing scope's creator, and last the default one), or
    return something else. Scopes nest, the innermost creator first; they belong to the
    default graph and the thread that entered them (TF's per-graph, thread-local stack). A
    `get_variable` call that finds an existing variable creates nothing, so calls no creator.

    Args:
      variable_creator: a callable `(next_creator, **kwargs) -> variable`.

    Returns:
      A context manager (`as` gives None).

    Raises:
      TypeError: `variable_creator` is not callable (on entering).
      RuntimeError: on exiting, a scope entered inside it is still open.

    >>> def log_names(next_creator, **kwargs):
    ...     print("creating", kwargs["name"])
    ...     return next_creator(**kwargs)
    >>> with tf.variable_creator_scope(log_names):
    ...     v = tf.Variable(1.0, name="v")
    ...     w = tf.get_variable("w", [2])
    creating v
    creating w
    """
    if not callable(variable_creator):
        raise TypeError(f"variable_creator_scope needs a callable (next_creator, **kwargs), "
                        f"not {variable_creator!r}")
    local = _creator_stacks(get_default_graph())
    old = getattr(local, "stack", ())
    local.stack = mine = (*old, variable_creator)
    try:
        yield
    finally:
        if local.stack is not mine:  # an inner scope is still open (TF's RuntimeError)
            raise RuntimeError("Exiting variable_creator_scope without proper nesting.")
        local.stack = old


def no_regularizer(_):
    """Returns None: as a variable's `regularizer`, it turns off the scope's regularizer.

    `tf.get_variable(..., regularizer=tf.no_regularizer)` in a scope with a regularizer adds
    no loss to REGULARIZATION_LOSSES for that variable.

    Args:
      _: the variable (unused).

    Returns:
      None.
    """
    return None


# -- the store -------------------------------------------------------------------------------------
_STORE_ARGS = ("shape", "dtype", "initializer", "regularizer", "reuse", "trainable", "collections",
               "caching_device", "partitioner", "validate_shape", "use_resource")
class _EagerStores(threading.local):
    def __init__(self):
        self.stack = []  # the _VariableStores of the active EagerVariableStores, innermost last


_eager_stores = _EagerStores()


class _VariableStore:
    """get_variable's logic around the VariableStore kernel: getters, creation, regularizers.

    An eager store (`keeps_eager`, an EagerVariableStore's) keeps the variables eager code
    makes; the default store of eager mode keeps none.
    """

    def __init__(self, graph, keeps_eager=False):
        self._graph = graph
        self._keeps_eager = keeps_eager
        self._store = _kernels.VariableStore()
        self._partitioned = {}  # full name -> PartitionedVariable

    @property
    def _vars(self):
        """The variables made by get_variable, by full name (TF's `_vars`): a new dict."""
        return {name: self._store.get(name) for name in self._store.names()}

    def get_variable(self, name, *args, custom_getter=None, constraint=None, **kwargs):
        kwargs.update(zip(_STORE_ARGS, args))  # TF's positional order, for the store's callers
        if custom_getter is not None and not callable(custom_getter):
            raise ValueError(f"Passed a custom_getter which is not callable: {custom_getter}")
        # what TF settles before the getters run: the enums, and ON_READ's trainable default
        kwargs["synchronization"], kwargs["aggregation"], kwargs["trainable"] = (
            _synchronization_aggregation_trainable(kwargs.get("synchronization"),
                                                   kwargs.get("aggregation"),
                                                   kwargs.get("trainable"), name))
        if custom_getter is None:
            return self._true_getter(name, constraint=constraint, **kwargs)
        kwargs.update(getter=self._true_getter, name=name)
        if _accepts(custom_getter, "constraint"):
            kwargs["constraint"] = constraint
        return custom_getter(**kwargs)

    def _true_getter(self, name, shape=None, dtype=dtypes.float32, initializer=None,
                     regularizer=None, reuse=None, trainable=None, collections=None,
                     caching_device=None, partitioner=None, validate_shape=True,
                     use_resource=None, constraint=None,
                     synchronization=VariableSynchronization.AUTO,
                     aggregation=VariableAggregation.NONE):
        if reuse is None:  # (only the store's own callers: TF's store then shares or creates)
            reuse = AUTO_REUSE
        kw = dict(regularizer=regularizer, trainable=trainable, collections=collections,
                  caching_device=caching_device, validate_shape=validate_shape,
                  use_resource=use_resource, constraint=constraint,
                  synchronization=synchronization, aggregation=aggregation)
        scalar = isinstance(shape, (list, tuple)) and not shape
        if partitioner is not None and not scalar or (
                reuse is True and partitioner is None and name in self._partitioned):
            return get_partitioned_variable(self, name, shape, dtype, initializer, partitioner,
                                            reuse, **kw)
        if self._store.get(f"{name}/part_0") is not None:
            raise ValueError(f"No partitioner was provided, but a partitioned version of the "
                             f"variable was found: {name}/part_0. Perhaps a variable of the same "
                             "name was already created with partitioning?")
        return self._single_variable(name, shape, dtype, initializer, reuse, None, **kw)

    def _single_variable(self, name, shape, dtype, initializer, reuse, partition_info,
                         regularizer, trainable, collections, caching_device, validate_shape,
                         use_resource, constraint, synchronization=None, aggregation=None):
        from_value = initializer is not None and not callable(initializer)
        if shape is not None and from_value:
            raise ValueError("If initializer is a constant, do not specify shape.")
        dtype = dtypes.as_dtype(dtype).base_dtype
        shape = as_shape(shape)
        if shape.dims is not None and any(d is not None and d >= 2**63 for d in shape._as_tuple()):
            raise TypeError(f"Failed to convert elements of {shape._as_tuple()} to Tensor: "
                            f"variable {name} has a dimension past int64")
        found = self._store.lookup(name, reuse, shape._as_tuple(), dtype)
        if found is not None:
            return found
        with self._graph._lock:  # look again: another thread may have just created it
            found = self._store.lookup(name, reuse, shape._as_tuple(), dtype)
            if found is not None:
                return found
            v = self._create(name, shape, dtype, initializer, from_value, partition_info,
                             trainable, collections, caching_device, validate_shape,
                             use_resource, constraint, synchronization, aggregation)
            self._store.add(name, v)
            if self._keeps_eager:  # (TF: a store's eager variables join their collections)
                self._graph.add_to_collections(_collections(collections, v.trainable), v)
        if regularizer:
            with name_scope(name + "/Regularizer/"):
                loss = regularizer(v)
            if loss is not None:
                self._graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
        return v

    def _create(self, name, shape, dtype, initializer, from_value, partition_info, trainable,
                collections, caching_device, validate_shape, use_resource, constraint,
                synchronization, aggregation):
        if initializer is None:
            if shape.dims is None:
                raise ValueError(f"Variable {name} did not get an initializer, so its `shape` "
                                 "argument must be specified.")
            initializer = _default_initializer(name, dtype)
        if use_resource is None:
            use_resource = resource_variables_enabled()
        # (variable creators see every variable made, so none is deferred while one is active)
        if (partition_info is None and validate_shape and shape.is_fully_defined()
                and all(d < 2**31 for d in shape._as_tuple())  # (larger: int64 shape tensors)
                and _deferrable(initializer, dtype) and self._graph._can_defer()
                and not _creators(self._graph)):
            return Variable._deferred(self._graph, name, initializer, shape._as_tuple(), dtype,
                                      trainable, collections, caching_device, constraint,
                                      bool(use_resource), synchronization, aggregation)
        if from_value:
            init_val, var_dtype = initializer, None
        else:
            if inspect.isclass(initializer):
                initializer = initializer()
            if shape.is_fully_defined():
                args = {"dtype": dtype}
                if _accepts(initializer, "partition_info"):
                    args["partition_info"] = partition_info
                init_val, var_dtype = functools.partial(initializer, shape.as_list(), **args), dtype
            elif _takes_no_arguments(initializer):
                init_val, var_dtype = initializer, None  # TF: the value's dtype, whatever `dtype`
            else:
                raise ValueError(
                    f"The initializer passed for variable {name} is not valid. It should be a "
                    "callable with no arguments and the shape should not be provided, or the "
                    "shape should be fully defined.")
        return Variable(initial_value=init_val, name=name, trainable=trainable,
                        collections=collections, caching_device=caching_device,
                        dtype=var_dtype, validate_shape=validate_shape, constraint=constraint,
                        use_resource=bool(use_resource), synchronization=synchronization,
                        aggregation=aggregation)


def _default_initializer(name, dtype):
    if dtype.is_floating:
        return _GLOROT_UNIFORM
    if dtype.is_integer or dtype.is_bool or dtype == dtypes.string:
        return _ZEROS
    raise ValueError(f"An initializer for variable {name} of {dtype.base_dtype} is required")


_GLOROT_UNIFORM, _ZEROS = GlorotUniform(), Zeros()  # unseeded, so one object serves every call


def _deferrable(initializer, dtype):
    """Whether get_variable may build this variable's ops later: only for minitf's own
    initializers that vouch for the dtype (a user's callable may fail, or look at the graph)."""
    seed = getattr(initializer, "seed", None)
    return (type(initializer).__module__ == initializers.__name__
            and (seed is None or type(seed) is int) and initializer._deferrable(dtype))


# what inspect.signature says of a callable, by the function (or, for an initializer object,
# its class); weak, so per-call lambdas do not pile up
_SIGNATURES = weakref.WeakKeyDictionary()
_BOUND_SIGNATURES = weakref.WeakKeyDictionary()  # bound methods, by function (without self)


def _parameters(fn):
    """fn's parameters, or None when Python cannot tell; cached, as inspect is slow."""
    cache, key = _SIGNATURES, fn
    if inspect.ismethod(fn):
        cache, key = _BOUND_SIGNATURES, fn.__func__
    elif not (inspect.isfunction(fn) or inspect.isclass(fn)):
        if not inspect.isfunction(getattr(type(fn), "__call__", None)):
            key = None  # e.g. a functools.partial: its signature is its own, not its type's
        else:
            key = type(fn)  # an initializer object: its class's __call__ decides
    try:
        return cache[key]
    except (KeyError, TypeError):  # TypeError: a key that takes no weak reference
        pass
    try:
        params = tuple(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        params = None
    try:
        cache[key] = params
    except TypeError:
        pass
    return params


def _accepts(fn, arg):
    params = _parameters(fn)
    return params is not None and any(p.name == arg or p.kind is p.VAR_KEYWORD for p in params)


def _takes_no_arguments(fn):
    params = _parameters(fn)
    if params is None:
        return False
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in params)


# -- variable_scope --------------------------------------------------------------------------------
_OVERRIDES = ("_initializer", "_regularizer", "_caching_device", "_partitioner", "_dtype",
              "_use_resource", "_constraint")


def _decorator(initializer, regularizer, caching_device, partitioner, custom_getter, dtype,
               use_resource, constraint):
    """What a variable_scope's arguments do to the scope the kernel's core just made (a child
    of the enclosing or captured scope): set the defaults given, compose the custom getter."""
    overrides = [(field, value) for field, value in zip(_OVERRIDES, (
        initializer, regularizer, caching_device, partitioner, dtype, use_resource, constraint))
        if value is not None]

    def decorate(scope):
        for field, value in overrides:
            setattr(scope, field, value)
        if custom_getter is not None:
            scope._custom_getter = _wrap_getter(custom_getter, scope._custom_getter)
    return decorate


def _wrap_getter(custom_getter, outer):
    """Composes custom getters: the inner one runs first, its `getter` is the outer one."""
    if outer is None:
        return custom_getter

    def wrapped(getter, *args, **kwargs):  # called with getter=<the real getter>, as TF does
        return custom_getter(functools.partial(outer, getter), *args, **kwargs)
    return wrapped



variable_scope = _kernels.ScopeContext
get_variable = _kernels.fast_get_variable
_SCOPE_HOOKS = dict(default_graph=get_default_graph, graph_stack=_default_graph_stack,
                    thread_scopes=_thread_scopes, variable_store=_variable_store,
                    decorator=_decorator, graph_of_values=_graph_of_values,
                    scope_type=VariableScope,
                    dtype_type=dtypes.DType,
                    auto_reuse=AUTO_REUSE)
_kernels.install_scope_hooks(**_SCOPE_HOOKS)
