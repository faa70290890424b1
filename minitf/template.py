"""Templates (`tf.make_template`): a function whose variables are made on its first call and
shared by every later one, as TF1's `Template` (graph mode).
"""
import functools
import traceback

from minitf.eager_variable_store import EagerVariableStore
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.variable_scope import AUTO_REUSE, _eager_stores, variable_scope

__all__ = ["make_template", "Template", "EagerTemplate"]


def make_template(name_, func_, create_scope_now_=False, unique_name_=None, custom_getter_=None,
                  **kwargs):
    """Wraps `func_` so that its variables are made on the first call and shared thereafter.

    The first call enters a variable scope named after `name_` (made unique: `name_`,
    `name__1`, ...) and calls `func_`, whose `tf.get_variable` calls create variables there;
    every later call re-enters that scope with `reuse=True`, so the same calls return the same
    variables. A later call that creates a trainable variable (say with `tf.Variable`) raises
    ValueError. Each call's ops get their own name scope (`name_/`, `name__1/`, ...). An
    exception raised by a call has "originally defined at:" and the stack where the template was
    made appended to its message (TF's text).

    Args:
      name_: the name of the template's variable scope (made unique).
      func_: the function to wrap.
      create_scope_now_: True enters the scope now (named where the template is made); False
        (default) on the first call (named where it is called).
      unique_name_: a scope name used as it is instead of `name_` made unique.
      custom_getter_: a custom getter for the template's variable scope.
      **kwargs: keyword arguments bound to `func_`.

    Returns:
      A `Template`: call it as you would call `func_`.

    Raises:
      ValueError: `name_` is None, or `unique_name_` is given in eager mode.

    >>> def scale(x):
    ...     return x * tf.get_variable("y", [], initializer=tf.constant_initializer(2.0))
    >>> scale_by_y = tf.make_template("scale_by_y", scale)
    >>> z, w = scale_by_y(tf.constant(1.0)), scale_by_y(tf.constant(3.0))
    >>> [v.name for v in tf.global_variables()]
    ['scale_by_y/y:0']
    """
    if kwargs:
        func_ = functools.partial(func_, **kwargs)
    if get_default_graph()._eager:
        if unique_name_ is not None:  # (TF's text, its typo too)
            raise ValueError("unique_name_ cannot be used when eager exeuction is enabled.")
        cls = EagerTemplate
    else:
        cls = Template
    return cls(name_, func_, create_scope_now=create_scope_now_, unique_name=unique_name_,
               custom_getter=custom_getter_)


def _definition_stack():
    # the caller's stack, without the frames of this module (make_template, __init__)
    stack = traceback.extract_stack()
    while stack and stack[-1].filename == __file__:
        stack.pop()
    return traceback.format_list(stack)


def _skip_common_stack_elements(stacktrace, base_case):
    # the frames of `stacktrace` from the first one `base_case` lacks (at least the last), so
    # the note shows where the template was made, not the frames it shares with the failing call
    common = 0
    for frame, base in zip(stacktrace, base_case):
        if frame != base:
            break
        common += 1
    return stacktrace[min(common, len(stacktrace) - 1):]


class Template:
    """A function whose variables are made on its first call and reused by the later ones.

    `make_template` makes one; see there.

    Args:
      name: the name of the template's variable scope (made unique unless `unique_name`).
      func: the function to call.
      create_scope_now: enter the variable scope now rather than on the first call.
      unique_name: a scope name used as it is instead of `name` made unique.
      custom_getter: a custom getter for the template's variable scope.

    Raises:
      ValueError: `name` is None.
    """

    def __init__(self, name, func, create_scope_now=False, unique_name=None,
                 custom_getter=None):
        if name is None:
            raise ValueError("name cannot be None.")
        self._func, self._name, self._unique_name = func, name, unique_name
        self._custom_getter = custom_getter
        self._variable_scope = None
        self._variables_created = False
        self._stacktrace = _definition_stack()
        if create_scope_now:  # the scope only (TF's pure variable scope): no name scope
            with variable_scope(unique_name, default_name=name, custom_getter=custom_getter,
                                auxiliary_name_scope=False) as scope:
                self._variable_scope = scope

    def __call__(self, *args, **kwargs):
        try:
            return self._call(args, kwargs)
        except Exception as exc:  # TF's note: where the failing template was made
            trace = "".join(_skip_common_stack_elements(self._stacktrace,
                                                        traceback.format_stack()))
            first = exc.args[0] if exc.args else ""
            exc.args = (f"{first}\n\noriginally defined at:\n{trace}",) + exc.args[1:]
            raise

    def _call(self, args, kwargs):
        if self._variable_scope is None:  # created here, where it is first called
            with variable_scope(self._unique_name, self._name,
                                custom_getter=self._custom_getter) as scope:
                self._variable_scope = scope
                result = self._call_func(args, kwargs, False)
        elif not self._variables_created:
            with variable_scope(self._variable_scope):
                result = self._call_func(args, kwargs, False)
        else:
            with variable_scope(self._variable_scope, reuse=True):
                return self._call_func(args, kwargs, True)
        self._variables_created = True
        return result

    def _call_func(self, args, kwargs, check_for_new_variables):
        graph = get_default_graph()
        trainable_at_start = len(graph.get_collection(GraphKeys.TRAINABLE_VARIABLES))
        result = self._func(*args, **kwargs)
        if check_for_new_variables:
            trainable = graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)
            if len(trainable) != trainable_at_start:
                raise ValueError("Trainable variable created when calling a template after the "
                                 "first time, perhaps you used tf.Variable when you meant "
                                 f"tf.get_variable: {trainable[trainable_at_start:]}")
        return result

    name = property(lambda self: self._name, doc="The name given to this template.")
    func = property(lambda self: self._func, doc="The function this template wraps.")
    variable_scope = property(lambda self: self._variable_scope,
                              doc="The template's VariableScope (None until it is made).")

    @property
    def variable_scope_name(self):
        """The variable scope's name with a final '/' (so no other scope's name matches it)."""
        if self._variable_scope is not None:
            name = self._variable_scope.name
            return name if name.endswith("/") else name + "/"
        return None

    def _collection(self, key):
        if not self._variables_created:
            return []
        return get_default_graph().get_collection(key, self.variable_scope_name)

    trainable_variables = property(lambda self: self._collection(
        GraphKeys.TRAINABLE_VARIABLES), doc="The trainable variables the template made.")
    global_variables = property(lambda self: self._collection(GraphKeys.GLOBAL_VARIABLES),
                                doc="The global variables the template made.")
    local_variables = property(lambda self: self._collection(GraphKeys.LOCAL_VARIABLES),
                               doc="The local variables the template made.")

    @property
    def variables(self):
        """The global and the local variables the template made."""
        return self.global_variables + self.local_variables

    @property
    def non_trainable_variables(self):
        """The global variables the template made that are not trainable."""
        trainable = set(self.trainable_variables)
        return [v for v in self.global_variables if v not in trainable]


class EagerTemplate(Template):
    """A Template in eager mode, what `make_template` makes there.

    Its variables live in its own EagerVariableStore, active during each call, so later calls
    find them. Its arguments are Template's.

    Args:
      name: the name of the template's variable scope (made unique unless `unique_name`).
      func: the function to call.
      create_scope_now: enter the variable scope now rather than on the first call.
      unique_name: a scope name used as it is instead of `name` made unique.
      custom_getter: a custom getter for the template's variable scope.

    Raises:
      RuntimeError: made in graph mode.
    """

    def __init__(self, name, func, create_scope_now=False, unique_name=None,
                 custom_getter=None):
        if not get_default_graph()._eager:
            raise RuntimeError("EagerTemplate objects can only be used when eager execution is "
                               "enabled, use tf.Template for graph construction")
        super().__init__(name, func, create_scope_now, unique_name, custom_getter)
        # made inside an active store (an enclosing template's): it shares that store, so the
        # enclosing template's variables include this one's (TF)
        active = _eager_stores.stack
        self._store = EagerVariableStore(active[-1] if active else None)

    def _call(self, args, kwargs):
        # the store is entered inside the scope, so templates nested at one level still get
        # unique scope names (TF's order)
        if self._variable_scope is None:
            with variable_scope(self._unique_name, self._name,
                                custom_getter=self._custom_getter) as scope:
                self._variable_scope = scope
                with self._store.as_default():
                    result = self._call_func(args, kwargs, False)
        else:
            with variable_scope(self._variable_scope, reuse=AUTO_REUSE), \
                    self._store.as_default():
                result = self._call_func(args, kwargs, self._variables_created)
        self._variables_created = True
        return result

    def _call_func(self, args, kwargs, check_for_new_variables):
        trainable_at_start = self.trainable_variables
        result = self._func(*args, **kwargs)
        if check_for_new_variables:
            trainable = self.trainable_variables
            if len(trainable) != len(trainable_at_start):
                new = [v for v in trainable if v not in trainable_at_start]
                raise ValueError("Trainable variable created when calling a template after the "
                                 "first time, perhaps you used tf.Variable when you meant "
                                 f"tf.get_variable: {new}")
        return result

    def _collection(self, key):
        # the store's variables in the template's scope (eager variables are in no collection)
        prefix = self.variable_scope_name
        if prefix is None or key == GraphKeys.LOCAL_VARIABLES:
            return []
        found = [v for v in self._store.variables() if v.name.startswith(prefix)]
        if key == GraphKeys.TRAINABLE_VARIABLES:
            return [v for v in found if v.trainable]
        return found
