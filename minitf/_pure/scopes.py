"""Variable scopes, pure Python: the twin of csrc/scopes.pyx (same classes, fields, paths and
error text; tests/test_scope_paths.py fails when the two drift).

`ScopeData` holds a VariableScope's fields (minitf.variable_scope.VariableScope adds the
methods). `ScopeContext` is `tf.variable_scope`, and its `_enter` is the one place a scope is
entered (naming, default-name suffixes, captured scopes, counters); a scope that overrides its
defaults is then decorated by minitf.variable_scope's `decorator` hook (`install`).
`get_variable` hands out an existing, unpartitioned variable here, and otherwise calls the full
implementation.
"""
# the name kernels are part of this module, as the compiled one includes them (names.pxi)
from minitf._pure.names import NameTable, ScopeCounts, ThreadState, ThreadStates  # noqa: F401

_hooks = {}
_fast = True  # False sends every scope through the decorating path, get_variable to the full one


def install(**hooks):
    """default_graph(), graph_stack (its thread-local `.stack`), thread_scopes(graph) (this
    thread's ThreadState with its scope fields set), variable_store(graph), decorator(the
    eight scope defaults) -> a function applying them to a new scope, graph_of_values(values),
    scope_type, dtype_type, auto_reuse: what the kernels call or check."""
    _hooks.update(hooks)


def set_fast_paths(enabled):
    """Turns the undecorated scope entry and get_variable's lookup of existing variables on or
    off (off: everything takes the full path; the differential tests compare the two)."""
    global _fast
    _fast = bool(enabled)


def _state_of(graph):
    state = graph._states.get()
    return state if state.current is not None else _hooks["thread_scopes"](graph)


def _current_graph():
    stack = _hooks["graph_stack"].stack  # this thread's `as_default()` graphs, innermost last
    return stack[-1] if stack else _hooks["default_graph"]()


class ScopeData:
    """A variable scope's name, name scope and the defaults its variables inherit."""

    __slots__ = ("_name", "_reuse", "_name_scope", "_initializer", "_regularizer",
                 "_caching_device", "_partitioner", "_custom_getter", "_dtype", "_use_resource",
                 "_constraint")

    def __init__(self, reuse, name="", initializer=None, regularizer=None, caching_device=None,
                 partitioner=None, custom_getter=None, name_scope="", dtype=None,
                 use_resource=None, constraint=None):
        self._name, self._reuse, self._name_scope = name, reuse, name_scope
        self._initializer, self._regularizer = initializer, regularizer
        self._caching_device, self._partitioner = caching_device, partitioner
        self._custom_getter, self._dtype = custom_getter, dtype
        self._use_resource, self._constraint = use_resource, constraint

    def child(self, name, reuse, name_scope):
        """A scope of this one's type and defaults (but the constraint), with its own name,
        reuse and name scope."""
        new = type(self).__new__(type(self))
        new._name, new._reuse, new._name_scope = name, reuse, name_scope
        new._initializer, new._regularizer = self._initializer, self._regularizer
        new._caching_device, new._partitioner = self._caching_device, self._partitioner
        new._custom_getter, new._dtype = self._custom_getter, self._dtype
        # TF1 hands a scope's constraint to no sub-scope, nor to a re-entry of the scope
        new._use_resource, new._constraint = self._use_resource, None
        return new


class ScopeContext:
    """A context manager for defining ops that create variables (layers): `tf.variable_scope`.

    It opens a variable scope, which prefixes the names of the variables `tf.get_variable` makes
    in it and hands them its defaults (initializer, regularizer, partitioner, ...), and by
    default a name scope of the same name for the ops made in it. TF1's rules throughout: see
    the seed document and TF's `tf.compat.v1.variable_scope`.

    Args:
      name_or_scope: a string, or a `VariableScope` to re-enter (its name is used as is).
      default_name: with `name_or_scope` None, the name, made unique among this thread's
        sibling scopes (`layer`, `layer_1`, ...).
      values: tensors passed to the op function; their graph becomes the default graph.
      initializer, regularizer, caching_device, partitioner: defaults for the variables in
        this scope and its sub-scopes (unset ones are inherited).
      dtype, use_resource: defaults, likewise.
      constraint: the default of the variables made directly in this scope: as in TF1,
        sub-scopes and re-entries of the scope do not inherit it.
      custom_getter: wraps the real getter; it composes with the enclosing scope's.
      reuse: True, `tf.AUTO_REUSE` or None (False means None): True shares existing variables,
        AUTO_REUSE creates them when absent; inherited by sub-scopes.
      auxiliary_name_scope: False opens no name scope (the current one is kept).

    Returns:
      A context manager; `with ... as scope` gives the new `VariableScope`.

    Raises:
      TypeError: neither name_or_scope nor default_name given, name_or_scope of another type,
        or auxiliary_name_scope not a bool.
      ValueError: reuse of another value, or reuse=True without name_or_scope.
      RuntimeError: scopes exited out of order.

    >>> with tf.variable_scope("foo"):
    ...     with tf.variable_scope("bar"):
    ...         v = tf.get_variable("v", [1])
    >>> v.name
    'foo/bar/v:0'
    """

    __slots__ = ("_name", "_default_name", "_reuse", "_values", "_aux", "_decorate",
                 "_graph_ctx", "_state", "_old_stack", "_old", "_new", "_captured")

    def __init__(self, name_or_scope, default_name=None, values=None, initializer=None,
                 regularizer=None, caching_device=None, partitioner=None, custom_getter=None,
                 reuse=None, dtype=None, use_resource=None, constraint=None,
                 auxiliary_name_scope=True):
        if default_name is None and name_or_scope is None:
            raise TypeError("If default_name is None then name_or_scope is required")
        if reuse is False:
            reuse = None  # TF1 >= 1.1: False means None
        if not (reuse is True or reuse is None or reuse is _hooks["auto_reuse"]):
            raise ValueError("The reuse parameter must be True or False or None.")
        if auxiliary_name_scope is not True and auxiliary_name_scope is not False:
            raise TypeError("The auxiliary_name_scope must be `True` or `False`, while get "
                            f"{auxiliary_name_scope}")
        self._name, self._default_name, self._reuse = name_or_scope, default_name, reuse
        self._values, self._aux, self._state = values, auxiliary_name_scope, None
        if (not _fast or initializer is not None or regularizer is not None
                or caching_device is not None or partitioner is not None
                or custom_getter is not None or dtype is not None or use_resource is not None
                or constraint is not None):
            self._decorate = _hooks["decorator"](initializer, regularizer, caching_device,
                                                 partitioner, custom_getter, dtype, use_resource,
                                                 constraint)
        else:
            self._decorate = None  # nothing to override: the scope is its parent's child

    def __enter__(self):
        graph, self._graph_ctx = _current_graph(), None
        if not self._values:
            return self._enter(graph)
        graph = _hooks["graph_of_values"](self._values) or graph
        self._graph_ctx = graph.as_default()
        self._graph_ctx.__enter__()
        try:
            return self._enter(graph)
        except BaseException:
            self._graph_ctx.__exit__(None, None, None)
            raise

    def _enter(self, graph):
        """The one scope-entry core: the new scope's name, name scope and counters."""
        name, reuse = self._name, self._reuse
        state = _state_of(graph)
        old, old_stack, counts = state.current, state.name_stack, state.counts
        captured = isinstance(name, _hooks["scope_type"])  # (as typed: the selected ScopeData)
        if captured:
            base, full = name, name._name
            short = full.rpartition("/")[2]
        elif isinstance(name, str):
            base, short = old, name
            full = old._name + "/" + name if old._name else name
        elif name is None:
            if reuse is not None:  # True or AUTO_REUSE, as TF (its text names True)
                raise ValueError("reuse=True cannot be used without a name_or_scope")
            base, short = old, self._default_name
            if not isinstance(short, str):
                raise TypeError(f"default_name must be a string, not {type(short).__name__}: "
                                f"{short!r}")
        else:
            raise TypeError("VariableScope: name_or_scope must be a string or VariableScope.")
        if not self._aux:  # the current name scope, re-entered
            new_stack, scope_string = old_stack, old_stack + "/" if old_stack else ""
        elif short or name is None:  # (TF opens even an empty default_name: the root)
            new_stack, scope_string = graph._names.open_scope(old_stack, short)
        else:  # an empty name (or a captured root scope) keeps the current name scope
            new_stack, scope_string = old_stack, ""
        if name is None:  # the first free default_name_N among this thread's siblings
            prefix = old._name + "/" + short if old._name else short
            n = counts.unique_suffix(prefix)
            unique = short if n == 0 else f"{short}_{n}"
            full = old._name + "/" + unique if old._name else unique
        new = base.child(full, reuse or base._reuse,
                         base._name_scope if captured else scope_string)
        if self._decorate is not None:
            self._decorate(new)
        counts.open(full)
        if captured:
            counts.mark()  # the re-entry's counters are forgotten on exit (TF's copy)
        state.name_stack, state.current = new_stack, new
        self._state, self._old_stack, self._old, self._new = state, old_stack, old, new
        self._captured = captured
        return new

    def __exit__(self, exc_type, exc_value, traceback):
        state = self._state
        if state is None:
            raise RuntimeError("variable_scope exited without being entered.")
        try:
            if state.current is not self._new:
                # as TF: the name scope and graph are left all the same, and the variable
                # scope stays open for a later exit in the right order
                raise RuntimeError("Improper nesting of variable_scope.")
            self._state = None
            if self._captured:
                state.counts.undo()
            else:
                state.counts.close_subscopes(self._new._name)
            state.current = self._old
        finally:
            if self._old_stack is not None:  # (None: an improper exit left it already)
                state.name_stack, self._old_stack = self._old_stack, None
            graph_ctx, self._graph_ctx = self._graph_ctx, None
            if graph_ctx is not None:
                graph_ctx.__exit__(None, None, None)
        return False


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=None, collections=None, caching_device=None, partitioner=None,
                 validate_shape=True, use_resource=None, custom_getter=None, constraint=None,
                 synchronization=None, aggregation=None):
    """Gets an existing variable with these parameters or creates a new one: `tf.get_variable`.

    The variable is named `<current variable scope>/name`; the scope's `reuse` decides: None
    creates it (an existing one is an error), True shares it (a missing one is an error),
    `tf.AUTO_REUSE` does either. Unset arguments take the scope's defaults; the default
    initializer is glorot_uniform for floats and zeros for integers, bools and strings. A
    partitioner makes a `PartitionedVariable`; a custom getter is called with the real getter
    as `getter` and these arguments.

    Args:
      name: the variable's name within the current scope.
      shape: its shape (omit it when `initializer` is a value).
      dtype: its type (default: the scope's, float32 at the root).
      initializer: an initializer (callable taking shape and dtype), a Tensor or a value.
      regularizer: a function of the variable; its result goes to REGULARIZATION_LOSSES.
      trainable: whether it goes to TRAINABLE_VARIABLES too (default True).
      collections: the collections it joins (default [GLOBAL_VARIABLES]).
      caching_device: a device string or function for reads.
      partitioner: a function of (shape, dtype) giving the number of parts per axis.
      validate_shape: False allows a value of a shape other than `shape`.
      use_resource: True makes a ResourceVariable.
      custom_getter: a callable wrapping the real getter (composed with the scope's).
      constraint: a projection applied after each optimizer update.
      synchronization, aggregation: accepted for TF compatibility (no effect on one machine).

    Returns:
      The `Variable` (or `PartitionedVariable`) created or found.

    Raises:
      ValueError: reuse forbids the request ("already exists, disallowed" / "does not exist"),
        the shape or dtype differs from the existing variable's ("Trying to share variable"),
        a value initializer comes with a shape, the name is empty, ends with '/' or holds a
        line break, or a custom getter or constraint is not callable.
      TypeError: the name is not a string, the dtype holds no values in minitf (bfloat16,
        ...), or a dimension is past int64.

    >>> with tf.variable_scope("layer"):
    ...     w = tf.get_variable("w", [2, 3])
    >>> w.name
    'layer/w:0'
    >>> with tf.variable_scope("layer", reuse=True):
    ...     tf.get_variable("w", [2, 3]) is w
    True
    """
    # an existing, unpartitioned variable is found here; everything else (creation,
    # partitions, custom getters, errors) is the scope's get_variable (minitf.variable_scope)
    graph = _current_graph()
    scope = _state_of(graph).current
    var_store = graph._layer_state.get("variable_store") or _hooks["variable_store"](graph)
    store = var_store._store
    # (eager: the scope's get_variable applies the eager rules, see variable_scope.py)
    if (_fast and not graph._eager and type(name) is str and partitioner is None
            and custom_getter is None
            and scope._partitioner is None and scope._custom_getter is None
            and (initializer is None or callable(initializer))):
        dims = _dims(shape)
        if dtype is None:
            dtype = scope._dtype
        if dims is not False and type(dtype) is _hooks["dtype_type"]:
            full = scope._name + "/" + name if scope._name else name
            found = store.find(full, scope._reuse, dims, dtype)
            if found is not None:
                return found
    return scope.get_variable(
        var_store, name, shape=shape, dtype=dtype, initializer=initializer,
        regularizer=regularizer, trainable=trainable, collections=collections,
        caching_device=caching_device, partitioner=partitioner, validate_shape=validate_shape,
        use_resource=use_resource, custom_getter=custom_getter, constraint=constraint,
        synchronization=synchronization, aggregation=aggregation)


def _dims(shape):
    """A list or tuple of non-negative ints (or None) as a tuple; None as None; False for any
    other spelling (which the full implementation converts or rejects)."""
    if shape is None:
        return None
    if type(shape) is not list and type(shape) is not tuple:
        return False
    for d in shape:
        if d is not None and (type(d) is not int or d < 0):
            return False
    return tuple(shape)
