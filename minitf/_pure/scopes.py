"""Variable scopes' hot paths, pure Python: the twin of csrc/scopes.pyx (same classes, fields,
fast paths and fallbacks).

`ScopeData` holds a VariableScope's fields (minitf.variable_scope.VariableScope adds the
methods). `ScopeContext` is `tf.variable_scope`: entering a named, default-named or captured
scope without values, overrides or custom getter is done here; anything else goes to the full
implementation installed by minitf.variable_scope (`install`). `get_variable` hands out
an existing, unpartitioned variable here, and otherwise calls the full implementation.
"""
from minitf._pure.names import (  # noqa: F401  (as the compiled module has them)
    NameTable, ScopeCounts, ThreadState, ThreadStates)

_hooks = {}


def install(**hooks):
    """default_graph(), graph_stack (its thread-local `.stack`), thread_scopes(graph) (this
    thread's ThreadState with its scope fields set), variable_store(graph), slow_scope(*args),
    slow_get_variable(**kwargs), dtype_type, auto_reuse: what the fast paths call or check."""
    _hooks.update(hooks)


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
        """A scope of this one's type and defaults, with its own name, reuse and name scope."""
        new = type(self).__new__(type(self))
        new._name, new._reuse, new._name_scope = name, reuse, name_scope
        new._initializer, new._regularizer = self._initializer, self._regularizer
        new._caching_device, new._partitioner = self._caching_device, self._partitioner
        new._custom_getter, new._dtype = self._custom_getter, self._dtype
        new._use_resource, new._constraint = self._use_resource, self._constraint
        return new


class ScopeContext:
    """The context manager `tf.variable_scope(...)` (see minitf.variable_scope)."""

    __slots__ = ("_args", "_name", "_default_name", "_reuse", "_slow", "_state", "_old_stack",
                 "_old", "_new", "_captured")

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
        self._slow = None
        if (values or auxiliary_name_scope is not True or initializer is not None
                or regularizer is not None or caching_device is not None
                or partitioner is not None or custom_getter is not None or dtype is not None
                or use_resource is not None or constraint is not None):
            self._args = (name_or_scope, default_name, values, initializer, regularizer,
                          caching_device, partitioner, custom_getter, reuse, dtype, use_resource,
                          constraint, auxiliary_name_scope)
        else:
            self._args = None  # the fast path's case: a name (or default name) and reuse

    def __enter__(self):
        if self._args is not None:
            return self._enter_slow()
        name, default_name, reuse = self._name, self._default_name, self._reuse
        graph = _current_graph()
        state = _state_of(graph)
        names, counts, old = graph._names, state.counts, state.current
        captured = False
        old_stack = state.name_stack
        if type(name) is str and name:  # a named scope
            new_stack, scope_string = names.open_scope(old_stack, name)
            full = old._name + "/" + name if old._name else name
            new = old.child(full, reuse or old._reuse, scope_string)
        elif name is None and type(default_name) is str and default_name and reuse is not True:
            # a default-named scope: the name scope takes default_name as given, the variable
            # scope the first free default_name_N among this thread's siblings
            new_stack, scope_string = names.open_scope(old_stack, default_name)
            base = old._name + "/" + default_name if old._name else default_name
            n = counts.unique_suffix(base)
            short = default_name if n == 0 else f"{default_name}_{n}"
            full = old._name + "/" + short if old._name else short
            new = old.child(full, reuse or old._reuse, scope_string)
        elif isinstance(name, ScopeData) and name._name:  # a captured scope
            new_stack = names.open_scope(old_stack, name._name.rpartition("/")[2])[0]
            new = name.child(name._name, reuse or name._reuse, name._name_scope)
            captured = True
        else:
            self._args = (name, default_name, None, None, None, None, None, None, reuse, None,
                          None, None, True)
            return self._enter_slow()
        counts.open(new._name)
        if captured:
            counts.mark()  # the re-entry's counters are forgotten on exit (TF's copy)
        state.name_stack = new_stack
        state.current = new
        self._state, self._old_stack, self._old, self._new = state, old_stack, old, new
        self._captured = captured
        return new

    def _enter_slow(self):
        self._slow = _hooks["slow_scope"](*self._args)
        return self._slow.__enter__()

    def __exit__(self, exc_type, exc_value, traceback):
        if self._slow is not None:
            return self._slow.__exit__(exc_type, exc_value, traceback)
        state = self._state
        try:
            if state.current is not self._new:
                raise RuntimeError("Improper nesting of variable_scope.")
            if self._captured:
                state.counts.undo()
            else:
                state.counts.close_subscopes(self._new._name)
            state.current = self._old
        finally:
            state.name_stack = self._old_stack
        return False


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=None, collections=None, caching_device=None, partitioner=None,
                 validate_shape=True, use_resource=None, custom_getter=None, constraint=None,
                 synchronization=None, aggregation=None):
    """`tf.get_variable`: an existing, unpartitioned variable is found here; everything else
    (creation, partitions, custom getters, errors) is the full implementation's."""
    graph = _current_graph()
    scope = _state_of(graph).current
    store = (graph.__dict__.get("_variable_store") or _hooks["variable_store"](graph))._store
    if (type(name) is str and partitioner is None and custom_getter is None
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
    return _hooks["slow_get_variable"](
        name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
        trainable=trainable, collections=collections, caching_device=caching_device,
        partitioner=partitioner, validate_shape=validate_shape, use_resource=use_resource,
        custom_getter=custom_getter, constraint=constraint, synchronization=synchronization,
        aggregation=aggregation)


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
