"""Checks and prints that run with a step: `check_numerics`, `verify_tensor_all_finite`,
`Assert` and `Print` (issue 17, item 6).

They are stateful so a plan never folds them or skips them: each runs every time a fetch
needs it, and fails with InvalidArgumentError naming its op, as TF's do. In graph mode, as in
TF, an Assert or Print runs only when something needs it (fetch it, or make it a control input).
"""
import sys

import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op

__all__ = ["check_numerics", "verify_tensor_all_finite", "Assert", "Print"]

_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)


def _float_dtype(tensor, **attrs):
    if tensor.dtype.base_dtype not in _FLOATS:
        raise TypeError(f"Value for attr 'T' of {tensor.dtype.base_dtype.name} is not in the "
                        "list of allowed values: half, float, double")
    return tensor.dtype.base_dtype


@register_op("CheckNumerics", shape=lambda tensor, *, message: tensor._shape,
             dtype=_float_dtype, stateful=True)
def _check_numerics(state, op, tensor, *, message):
    if not np.isfinite(tensor).all():
        found = " and ".join(kind for kind, bad in (("Inf", np.isinf(tensor).any()),
                                                    ("NaN", np.isnan(tensor).any())) if bad)
        raise errors.InvalidArgumentError(None, op, f"{message} : Tensor had {found} values\n\t "
                                          f"[[{{{{node {op.name}}}}}]]")
    return tensor


@_check_numerics.gradient
def _check_numerics_grad(op, grad):
    message = op.get_attr("message")
    return [check_numerics(grad, "Not a number (NaN) or infinity (Inf) values detected in "
                                 f"gradient. {message}")]


def check_numerics(tensor, message, name=None):
    """Returns `tensor`, checked when run: InvalidArgumentError if it holds NaN or Inf.

    Args:
      tensor: a float Tensor.
      message: the start of the error's message.
      name: a name for the operation (default "CheckNumerics").

    Returns:
      A Tensor equal to `tensor`; its gradient is checked too.

    Raises:
      TypeError: `tensor` is not of a float type.
      minitf.errors.InvalidArgumentError: at run time, `message : Tensor had NaN values` (or
        Inf, or Inf and NaN).
    """
    return _check_numerics.apply([tensor], name=name or "CheckNumerics", message=message)


def verify_tensor_all_finite(t=None, msg=None, name=None, x=None, message=None):
    """Returns `t` checked for NaN and Inf when run: TF1's name for `check_numerics`.

    Args:
      t: a float Tensor (or `x`, TF2's name).
      msg: the start of the error's message (or `message`).
      name: a name for the operation's scope (default "VerifyFinite").
      x, message: TF2's names for `t` and `msg`.

    Returns:
      A Tensor equal to `t`.

    Raises:
      ValueError: both a TF1 and a TF2 name are given for one argument.
    """
    if (t is not None and x is not None) or (msg is not None and message is not None):
        raise ValueError("Cannot specify both 't' and 'x' (or 'msg' and 'message')")
    t, msg = x if t is None else t, message if msg is None else msg
    with name_scope(name, "VerifyFinite", [t]):
        return check_numerics(convert_to_tensor(t), msg)


def _text(value, summarize):
    """A value as TF prints it: `[1 2 3...]`, nested brackets for more dims, %g floats."""
    value = np.asarray(value)
    if value.ndim == 0:
        item = value.item()
        if isinstance(item, bytes):
            return item.decode(errors="replace")
        if isinstance(item, bool):  # (TF prints bools as 1 and 0)
            return str(int(item))
        return f"{item:g}" if isinstance(item, float) else str(item)
    shown = [_text(v, summarize) for v in value[:summarize]]
    more = "..." if len(value) > summarize else ""
    return "[" + " ".join(shown) + more + "]"


def _summary(data, summarize):
    return " ".join(_text(d, summarize) if np.ndim(d) else f"[{_text(d, summarize)}]"
                    for d in data)


@register_op("Assert", shape=None, outputs=0, stateful=True, differentiable=False)
def _assert(state, op, condition, *data, summarize):
    if not np.all(condition):
        raise errors.InvalidArgumentError(
            None, op, f"assertion failed: {_summary(data, summarize)}\n\t "
            f"[[{{{{node {op.name}}}}}]]")


def Assert(condition, data, summarize=None, name=None):  # (TF's name)
    """Asserts that `condition` holds when the returned op runs; else shows `data`.

    In graph mode the op runs only when something needs it: fetch it, or make it a control
    input of what you run (`with tf.control_dependencies([tf.Assert(...)])`). In eager mode it
    checks at once.

    Args:
      condition: a boolean Tensor; all of it must be true.
      data: a list of Tensors (or values) to show in the error.
      summarize: how many elements of each to show (default 3).
      name: a name for the operation (default "Assert").

    Returns:
      The Assert Operation (None in eager mode).

    Raises:
      minitf.errors.InvalidArgumentError: at run time, `assertion failed: <data>`.
    """
    data = [convert_to_tensor(d) for d in data]
    return _assert.apply([condition, *data], name=name or "Assert",
                         summarize=3 if summarize is None else summarize)


@register_op("Print", shape=lambda input_, *data, message, first_n, summarize: input_._shape,
             stateful=True)
def _print(state, op, input_, *data, message, first_n, summarize):
    count = state.get((op, "printed"), 0)
    if first_n < 0 or count < first_n:
        state[(op, "printed")] = count + 1
        sys.stderr.write(f"{message}{''.join(_text(d, summarize) for d in data)}\n")
    return input_


@_print.gradient
def _print_grad(op, grad):
    return [grad] + [None] * (len(op.inputs) - 1)


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # (TF's name)
    """Returns `input_`, printing `message` and `data` to stderr each time it runs.

    Args:
      input_: the Tensor passed through.
      data: a list of Tensors to print.
      message: a string printed before them.
      first_n: print only the first n runs (None: every run).
      summarize: how many elements of each to print (default 3).
      name: a name for the operation (default "Print").

    Returns:
      A Tensor equal to `input_`.
    """
    data = [convert_to_tensor(d) for d in data]
    return _print.apply([input_, *data], name=name or "Print", message=message or "",
                        first_n=-1 if first_n is None else first_n,
                        summarize=3 if summarize is None else summarize)
