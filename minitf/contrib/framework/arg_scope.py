"""`tf.contrib.framework.arg_scope`: default keyword arguments for decorated functions.

A function decorated with `add_arg_scope` takes, for each keyword it is not given, the value
the innermost enclosing `arg_scope` naming it sets. Scopes nest (an inner one adds to and
overrides the outer one's values), and the dict an `arg_scope` yields can be re-entered
later with `arg_scope(that_dict)`. As TF 1.15's, the stack of scopes is one per process.
"""
import contextlib
import functools

__all__ = ["arg_scope", "add_arg_scope", "current_arg_scope", "has_arg_scope",
           "arg_scoped_arguments"]

_ARGSTACK = [{}]
_DECORATED_OPS = {}  # key -> the names of the function's keyword arguments


def _arg_stack():
    if not _ARGSTACK:
        _ARGSTACK.append({})
    return _ARGSTACK


def current_arg_scope():
    """Returns the innermost arg_scope: a dict {function key: {argument: value}}.

    Returns:
      The current scope's dict (empty outside every arg_scope).
    """
    return _arg_stack()[-1]


def _key_op(op):
    return getattr(op, "_key_op", str(op))


def _name_op(op):
    return (op.__module__, op.__name__)


def _kwarg_names(func):
    # the parameters that have defaults (TF slices co_varnames from its end, which also holds
    # the locals, so it drops some: minitf lists them all)
    n_defaults = len(func.__defaults__) if func.__defaults__ else 0
    argcount = func.__code__.co_argcount
    return func.__code__.co_varnames[argcount - n_defaults:argcount]


@contextlib.contextmanager
def arg_scope(list_ops_or_scope, **kwargs):
    """Sets default keyword arguments of decorated functions within a `with` block.

    Args:
      list_ops_or_scope: a list or tuple of functions decorated with `add_arg_scope`, or a
        dict an earlier `arg_scope` yielded (to re-enter that scope; then no kwargs).
      **kwargs: the defaults to set for every function listed.

    Returns:
      A context manager yielding the new scope, a dict {function key: {argument: value}}.

    Raises:
      TypeError: `list_ops_or_scope` is neither a list/tuple nor a dict.
      ValueError: a listed function is not decorated with `add_arg_scope`, or kwargs are
        given with a dict.

    >>> @tf.contrib.framework.add_arg_scope
    ... def scale(x, factor=1.0):
    ...     return x * factor
    >>> with tf.contrib.framework.arg_scope([scale], factor=3.0):
    ...     print(scale(2.0), scale(2.0, factor=0.5))
    6.0 1.0
    """
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("When attempting to re-use a scope by suppling a dictionary, "
                             "kwargs must be empty.")
        current_scope = list_ops_or_scope.copy()
    elif not isinstance(list_ops_or_scope, (list, tuple)):
        raise TypeError("list_ops_or_scope must either be a list/tuple or reused scope (i.e. "
                        "dict)")
    else:
        current_scope = current_arg_scope().copy()
        for op in list_ops_or_scope:
            if not has_arg_scope(op):
                raise ValueError(f"{_name_op(op)} is not decorated with @add_arg_scope")
            key = _key_op(op)
            current_scope[key] = {**current_scope.get(key, {}), **kwargs}
    _arg_stack().append(current_scope)
    try:
        yield current_scope
    finally:
        _arg_stack().pop()


def add_arg_scope(func):
    """Decorates a function so that `arg_scope` can set its keyword arguments.

    Args:
      func: the function.

    Returns:
      The decorated function (it keeps `func`'s name and docstring).
    """
    key = _key_op(func)

    @functools.wraps(func)
    def func_with_args(*args, **kwargs):
        scope = current_arg_scope()
        if key in scope:
            kwargs = {**scope[key], **kwargs}
        return func(*args, **kwargs)

    _DECORATED_OPS.setdefault(key, _kwarg_names(func))
    func_with_args._key_op = key
    return func_with_args


def has_arg_scope(func):
    """Returns whether `func` is decorated with `add_arg_scope`.

    Args:
      func: a function.

    Returns:
      A bool.
    """
    return _key_op(func) in _DECORATED_OPS


def arg_scoped_arguments(func):
    """Returns the names of the keyword arguments `arg_scope` can set for `func`.

    Args:
      func: a function decorated with `add_arg_scope`.

    Returns:
      A tuple of argument names (those with defaults).

    Raises:
      ValueError: `func` is not decorated with `add_arg_scope`.
    """
    if not has_arg_scope(func):
        raise ValueError(f"{_name_op(func)} is not decorated with @add_arg_scope")
    return _DECORATED_OPS[_key_op(func)]
