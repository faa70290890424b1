"""`tf.Module`: a named container of variables and other modules, found by walking its
attributes (TF's `tf.Module`)."""
import functools
import re

from minitf.framework.api import name_scope
from minitf.framework.graph import get_default_graph
from minitf.variables import Variable

__all__ = ["Module"]

_IGNORED = frozenset(("_self_unconditional_checkpoint_dependencies",
                      "_self_unconditional_dependency_names"))


class _ModuleScope:
    """The name scope of a module: its full name (`name`, ending in "/"), re-entered exactly
    by each `with`."""

    def __init__(self, name):
        self.name = name
        self._open = []

    def __enter__(self):
        scope = name_scope(self.name)
        self._open.append(scope)
        return scope.__enter__()

    def __exit__(self, *exc):
        return self._open.pop().__exit__(*exc)


class Module:
    """A named container of variables, submodules and functions of them.

    The module's name scope is opened (made unique) when it is made; `with
    module.name_scope:` and methods decorated with `tf.Module.with_name_scope` build their
    ops in it. `variables`, `trainable_variables` and `submodules` walk the module's attributes
    (in sorted order, into lists, tuples and dicts) and then those of its submodules.

    Args:
      name: the module's name, a Python identifier (default: the class name in snake_case).

    Raises:
      ValueError: `name` is not a valid Python identifier.

    >>> class Scale(tf.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         with self.name_scope:
    ...             self.w = tf.Variable(2.0, name="w")
    >>> m = Scale()
    >>> m.name, [v.name for v in m.variables]
    ('scale', ['scale/w:0'])
    """

    _TF_MODULE_IGNORED_PROPERTIES = frozenset()

    def __init__(self, name=None):
        if name is None:
            name = _camel_to_snake(type(self).__name__)
        elif not name.isidentifier():
            raise ValueError(f"'{name}' is not a valid module name. Module names must be valid "
                             "Python identifiers (e.g. a valid class name).")
        self._name = name
        with get_default_graph().name_scope(name) as scope:
            self._scope_name = scope
        self._name_scope = _ModuleScope(self._scope_name)

    name = property(lambda self: self._name, doc="The module's name (without scopes).")
    name_scope = property(lambda self: self._name_scope,
                          doc="A context manager re-entering the module's name scope.")

    @property
    def variables(self):
        """The variables of this module and its submodules, as a tuple."""
        return tuple(self._flatten(predicate=_is_variable))

    @property
    def trainable_variables(self):
        """The trainable variables of this module and its submodules, as a tuple."""
        return tuple(self._flatten(predicate=lambda v: _is_variable(v) and v.trainable))

    @property
    def non_trainable_variables(self):
        """The variables that are not trainable, of this module and its submodules."""
        return tuple(self._flatten(predicate=lambda v: _is_variable(v) and not v.trainable))

    @property
    def submodules(self):
        """The modules found in this module's attributes, and theirs, as a tuple."""
        return tuple(self._flatten(predicate=_is_module))

    def _flatten(self, recursive=True, predicate=None, attribute_traversal_key=None,
                 with_path=False, expand_composites=False):
        """Yields the items of this module's attributes (and, if `recursive`, of its
        submodules') that satisfy `predicate`; with `with_path`, as (path, item) pairs."""
        ignored = _IGNORED | self._TF_MODULE_IGNORED_PROPERTIES
        return _walk(self, recursive, predicate or (lambda _: True), attribute_traversal_key,
                     ignored, with_path, (), set(), [id(self)])

    @classmethod
    def with_name_scope(cls, method):
        """Decorator: `method` builds its ops in its module's name scope.

        Args:
          method: a method of a Module subclass.
        """
        @functools.wraps(method)
        def scoped(self, *args, **kwargs):
            with self.name_scope:
                return method(self, *args, **kwargs)
        return scoped


def _camel_to_snake(name):
    # an upper-case letter after a lower-case one or digit, or one that starts a word after
    # capitals ("HTTPServer" -> "http_server"), begins a new word
    return re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower()


def _is_variable(value):
    return isinstance(value, Variable)


def _is_module(value):
    return isinstance(value, Module)


def _leaves(value, path):
    # (path, leaf) pairs of a nest of lists, tuples and dicts (dicts by sorted key)
    if isinstance(value, dict):
        for key in sorted(value):
            yield from _leaves(value[key], path + (key,))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _leaves(item, path + (i,))
    else:
        yield path, value


def _walk(module, recursive, predicate, key, ignored, with_path, path, seen, stack):
    attrs = vars(module)
    submodules = []
    for name in sorted(attrs, key=key):
        if name in ignored:
            continue
        for leaf_path, leaf in _leaves(attrs[name], (name,)):
            if not with_path:
                if id(leaf) in seen:
                    continue
                seen.add(id(leaf))
            if predicate(leaf):
                yield (path + leaf_path, leaf) if with_path else leaf
            if recursive and _is_module(leaf) and id(leaf) not in stack:
                submodules.append((path + leaf_path, leaf))
    for sub_path, sub in submodules:
        stack.append(id(sub))
        yield from _walk(sub, recursive, predicate, key, ignored, with_path, sub_path, seen,
                         stack)
        stack.pop()
