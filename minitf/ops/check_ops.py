"""TF1's value assertions: assert_equal, assert_less, ..., assert_near and the sign checks.

In graph mode each builds the condition and an `Assert` op (the `Assert` of debug_ops) that
fails with InvalidArgumentError when run, showing TF's message and the first `summarize`
entries of the data; the function returns that op, to be fetched or made a control input.
When both sides are known while the graph is built (Consts, static shapes), a failing check
raises InvalidArgumentError at once, as TF's does. Eagerly a check runs at once and returns
None, with TF's eager message (the differing indices and values). The rank and type checks
are in check_shape_ops.
"""
import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.api import control_dependencies, get_collection, name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.ops import math_ops
from minitf.ops.array_ops import _rank, stack
from minitf.ops.control_flow_ops import group, no_op
from minitf.ops.debug_ops import _assert, check_numerics
from minitf.ops.reduction_ops import reduce_all

__all__ = ["assert_equal", "assert_none_equal", "assert_less", "assert_less_equal",
           "assert_greater", "assert_greater_equal", "assert_near", "assert_negative",
           "assert_positive", "assert_non_negative", "assert_non_positive",
           "add_check_numerics_ops", "assert_variables_initialized"]

# the data types TF's Assert takes as they are; with any other it guards the Assert by a cond
_UNGUARDED = (dtypes.string, dtypes.int32)


def _message_prefix(message):
    return f"{message}.  " if message else ""


def _eager():
    return get_default_graph()._eager


def _static_value(t):
    """`t`'s value while the graph is built (a Const, or the Shape of a known shape), or None."""
    value = constant_value(t)
    if value is None and t._op is not None and t._op.type == "Shape":
        known = t._op.inputs[0]._shape
        if known is not None and None not in known:
            value = np.array(known, dtype=t.dtype.as_numpy_dtype)
    return value


def _static_text(item):
    # (a Tensor of unknown value stays a Tensor: joining it fails with TF's TypeError)
    if not hasattr(item, "dtype") or not hasattr(item, "_op"):
        return str(item)
    value = _static_value(item)
    return item if value is None else str(np.asarray(value))


def _assert_op(condition, data, summarize=None):
    """An `Assert` of `condition` showing `data`, named as TF's (`Assert/Assert`, or
    `Assert/AssertGuard/Assert` when some data is not a string or int32). Eagerly it checks
    at once, with TF's eager text, and returns None."""
    if _eager():
        return _eager_assert(condition, data, summarize)
    with name_scope(None, "Assert") as scope:
        shown = [convert_to_tensor(d) for d in data]  # (TF converts them once to choose)
        if not all(t.dtype.base_dtype in _UNGUARDED for t in shown):
            scope += "AssertGuard/"
        with name_scope(scope + "Assert/") as inner:
            data = [d if hasattr(d, "_op") else convert_to_tensor(d, name=f"data_{i}")
                    for i, d in enumerate(data)]
            return _assert.apply([condition, *data], name=inner,
                                 summarize=3 if summarize is None else summarize)


def _eager_assert(condition, data, summarize):
    condition = convert_to_tensor(condition)
    if np.all(condition.numpy()):
        return None
    shown = "\n".join(_eager_summary(convert_to_tensor(d), summarize) for d in data)
    raise errors.InvalidArgumentError(
        None, None, f"Expected '{condition!s}' to be true. Summarized data: {shown}")


def _eager_summary(t, summarize):
    # TF's eager Assert: the first `summarize` elements, str() of each, joined by ", "
    value = t.numpy()
    summarize = 3 if summarize is None else (value.size if summarize < 0 else summarize)
    if np.ndim(value) == 0:
        return str(value) if summarize else ""
    flat = [str(v) for v in value.reshape(-1)[:summarize]]
    return ", ".join(flat + (["..."] if len(flat) < value.size else []))


def _eager_item(item, summarize):
    """One line of an eager check's message, as TF's `_pretty_print` writes it."""
    if not hasattr(item, "numpy"):
        return str(item)
    value = item.numpy()
    if np.ndim(value) == 0:
        return str(value)
    flat = value.reshape(-1)
    shown = [str(v) for v in flat[:summarize]]
    return str(shown + ["..."] if len(shown) < flat.size else shown)


def _eager_failure(sym, x, y, passed, summarize):
    """TF's eager message data: the first differing indices and values, then x's and y's."""
    data = [f"Condition x {sym} y did not hold."]
    if summarize <= 0:
        return data
    xv, yv = x.numpy(), y.numpy()
    if xv.shape == yv.shape and xv.ndim:
        failed = ~passed
        where = np.argwhere(failed)
        n = min(summarize, len(where))
        data += [f"Indices of first {n} different values:", where[:n],
                 "Corresponding x values:", xv[failed].reshape(-1)[:n],
                 "Corresponding y values:", yv[failed].reshape(-1)[:n]]
    xf, yf = xv.reshape(-1), yv.reshape(-1)
    nx, ny = min(xf.size, summarize), min(yf.size, summarize)
    return data + [f"First {nx} elements of x:", xf[:nx], f"First {ny} elements of y:", yf[:ny]]


def _binary_assert(sym, opname, op_func, static_func, x, y, data, summarize, message, name):
    """TF's `_binary_assert`: `op_func(x, y)` must hold element-wise."""
    with name_scope(name, opname, [x, y]):
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y")
        if _eager():
            return _binary_assert_now(sym, op_func, x, y, data, summarize, message)
        if data is None:
            data = [f"Condition x {sym} y did not hold element-wise:",
                    f"x ({x.name}) = ", x, f"y ({y.name}) = ", y]
        if message is not None:
            data = [message, *data]
        condition = reduce_all(op_func(x, y))
        xs, ys = _static_value(x), _static_value(y)
        if xs is not None and ys is not None and not np.all(static_func(xs, ys)):
            raise errors.InvalidArgumentError(None, None,
                                              "\n".join(_static_text(d) for d in data))
        return _assert_op(condition, data, summarize)


def _binary_assert_now(sym, op_func, x, y, data, summarize, message):
    passed = op_func(x, y).numpy()
    if np.all(passed):
        return None
    # TF: None shows 3 elements, as the graph's Assert does; a negative number shows all
    summarize = 3 if summarize is None else (10**9 if summarize < 0 else summarize)
    data = _eager_failure(sym, x, y, passed, summarize) if data is None else list(data)
    if message is not None:
        data = [message, *data]
    raise errors.InvalidArgumentError(
        None, None, "\n".join(_eager_item(d, summarize) for d in data))


_BINARY_DOC = """Asserts that `x {sym} y` holds element-wise (`tf.{opname}`).

    `y` broadcasts against `x`; empty tensors pass. In graph mode this returns an op that
    checks when it runs; statically known values (Consts) are checked at once.

    Args:
      x: a numeric Tensor.
      y: a numeric Tensor of `x`'s dtype.
      data: the Tensors (or strings) shown when it fails (default: TF's message and the first
        entries of `x` and `y`).
      summarize: how many entries of each Tensor to show (default 3).
      message: a string put before the message.
      name: a name for the operation's scope (default "{opname}").

    Returns:
      The Assert Operation (None eagerly).

    Raises:
      minitf.errors.InvalidArgumentError: the check fails: when run, or at once eagerly or for
        static values.
    """


def _binary(sym, opname, op_func, static_func):
    def check(x, y, data=None, summarize=None, message=None, name=None):
        return _binary_assert(sym, opname, op_func, static_func, x, y, data, summarize, message,
                              name)
    check.__name__ = check.__qualname__ = opname
    check.__doc__ = _BINARY_DOC.format(sym=sym, opname=opname)
    return check


assert_none_equal = _binary("!=", "assert_none_equal", math_ops.not_equal, np.not_equal)
assert_less = _binary("<", "assert_less", math_ops.less, np.less)
assert_less_equal = _binary("<=", "assert_less_equal", math_ops.less_equal, np.less_equal)
assert_greater = _binary(">", "assert_greater", math_ops.greater, np.greater)
assert_greater_equal = _binary(">=", "assert_greater_equal", math_ops.greater_equal,
                               np.greater_equal)


def assert_equal(x, y, data=None, summarize=None, message=None, name=None):
    """Asserts that `x == y` holds element-wise (`tf.assert_equal`).

    `y` broadcasts against `x`; empty tensors pass; `x` and `y` the same tensor is a NoOp. In
    graph mode this returns an op that checks when it runs; statically known values (Consts)
    are checked at once.

    Args:
      x: a Tensor.
      y: a Tensor of `x`'s dtype.
      data: the Tensors (or strings) shown when it fails (default: TF's message and the first
        entries of `x` and `y`).
      summarize: how many entries of each Tensor to show (default 3).
      message: a string put before the message.
      name: a name for the operation's scope (default "assert_equal").

    Returns:
      The Assert Operation (None eagerly).

    Raises:
      minitf.errors.InvalidArgumentError: the check fails: when run, or at once eagerly or for
        static values.

    >>> check = tf.assert_equal(tf.placeholder(tf.int32, [None], name="p"), 2)
    >>> check.name
    'assert_equal_1/Assert/Assert'
    """
    # (TF opens the scope once for this test, then again to build: the op is assert_equal_1)
    with name_scope(name, "assert_equal", [x, y]):
        if x is y:
            return None if _eager() else no_op()
    return _binary_assert("==", "assert_equal", math_ops.equal, np.equal, x, y, data, summarize,
                          message, name)


def assert_near(x, y, rtol=None, atol=None, data=None, summarize=None, message=None, name=None):
    """Asserts that `|x - y| < atol + rtol * |y|` holds element-wise (`tf.assert_near`).

    Args:
      x: a float or complex Tensor.
      y: a Tensor of `x`'s dtype, broadcastable to it.
      rtol, atol: the relative and absolute tolerances (default 10 * eps of the dtype).
      data: the Tensors (or strings) shown when it fails (default: TF's message, `x`, `y`).
      summarize: how many entries of each Tensor to show (default 3).
      message: a string put before the message.
      name: a name for the operation's scope (default "assert_near").

    Returns:
      The Assert Operation (None eagerly).

    Raises:
      minitf.errors.InvalidArgumentError: the check fails (when run; at once eagerly).
    """
    message = _message_prefix(message)
    with name_scope(name, "assert_near", [x, y]):
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y", dtype=x.dtype)
        real = x.dtype.real_dtype if x.dtype.is_complex else x.dtype
        eps = 10 * np.finfo(real.as_numpy_dtype).eps
        rtol = convert_to_tensor(eps if rtol is None else rtol, name="rtol", dtype=real)
        atol = convert_to_tensor(eps if atol is None else atol, name="atol", dtype=real)
        x_name, y_name = (_shape_and_dtype(t) if _eager() else t.name for t in (x, y))
        if data is None:
            data = [message, f"x and y not equal to tolerance rtol = {rtol!s}, atol = {atol!s}",
                    f"x ({x_name}) = ", x, f"y ({y_name}) = ", y]
        tol = atol + rtol * math_ops.abs(y)
        diff = math_ops.abs(x - y)
        return _assert_op(reduce_all(math_ops.less(diff, tol)), data, summarize)


def _shape_and_dtype(t):
    return f"shape={t.shape} dtype={t.dtype.name}"


def _unary(sym, opname, compare, zero_first, sign):
    def check(x, data=None, summarize=None, message=None, name=None):
        message = _message_prefix(message)
        with name_scope(name, opname, [x]):
            x = convert_to_tensor(x, name="x")
            if data is None:
                shown = _shape_and_dtype(x) if _eager() else x.name
                # (TF's assert_non_positive lacks a comma: its two lines run together)
                head = f"Condition x {sym} 0 did not hold element-wise:"
                data = ([message, head + f"x ({shown}) = ", x] if opname == "assert_non_positive"
                        else [message, head, f"x ({shown}) = ", x])
            zero = convert_to_tensor(0, dtype=x.dtype)
            pair = (zero, x) if zero_first else (x, zero)
            return compare(*pair, data=data, summarize=summarize)
    check.__name__ = check.__qualname__ = opname
    check.__doc__ = _UNARY_DOC.format(sym=sym, opname=opname, sign=sign)
    return check


_UNARY_DOC = """Asserts that `x {sym} 0` holds element-wise: `x` is {sign} (`tf.{opname}`).

    Empty tensors pass. In graph mode this returns an op that checks when it runs;
    statically known values (Consts) are checked at once.

    Args:
      x: a numeric Tensor.
      data: the Tensors (or strings) shown when it fails (default: TF's message and `x`).
      summarize: how many entries of each Tensor to show (default 3).
      message: a string put before the message.
      name: a name for the operation's scope (default "{opname}").

    Returns:
      The Assert Operation (None eagerly).

    Raises:
      minitf.errors.InvalidArgumentError: the check fails: when run, or at once eagerly or for
        static values.
    """

assert_negative = _unary("<", "assert_negative", assert_less, False, "negative")
assert_positive = _unary(">", "assert_positive", assert_less, True, "positive")
assert_non_negative = _unary(">=", "assert_non_negative", assert_less_equal, True,
                             "non-negative")
assert_non_positive = _unary("<=", "assert_non_positive", assert_less_equal, False,
                             "non-positive")


def add_check_numerics_ops():
    """Adds a `check_numerics` of every float tensor of the default graph (TF1).

    The checks run one after the other (each has the one before as a control input); the
    message of each is the checked tensor's name.

    Returns:
      A NoOp named `group_deps` that runs them all.

    Raises:
      RuntimeError: in eager mode.
    """
    if _eager():
        raise RuntimeError(
            "add_check_numerics_ops() is not compatible with eager execution. To check for "
            "Inf's and NaN's under eager execution, call tf.debugging.enable_check_numerics() "
            "once before executing the checked operations.")
    checks = []
    # (an op's inputs come before it in get_operations(): the checks go in producer order)
    for op in get_default_graph().get_operations():
        for output in op.outputs:
            if output.dtype in (dtypes.float16, dtypes.float32, dtypes.float64):
                with control_dependencies(checks):
                    checks = [check_numerics(output, f"{op.name}:{output.value_index}")]
    return group(*checks)


def assert_variables_initialized(var_list=None):
    """Returns a tensor that fails when run if a variable has no value yet (TF1).

    Args:
      var_list: the Variables (default: the global and local variables).

    Returns:
      The `Rank` of the one variable, or a `stack` of their ranks (None with no variables);
      running it raises FailedPreconditionError for an uninitialized variable.
    """
    if var_list is None:
        var_list = (get_collection(GraphKeys.GLOBAL_VARIABLES)
                    + get_collection(GraphKeys.LOCAL_VARIABLES))
    if not var_list:
        return None
    # (a Rank op that reads the value, even when the shape is static)
    ranks = [_rank.apply([v]) for v in var_list]
    return ranks[0] if len(ranks) == 1 else stack(ranks)
