"""`tf.debugging.assert_shapes`: shapes and shared dimension sizes of several tensors (TF1).

Each tensor gets a rank check (check_shape_ops) and each named size a check that the tensors
sharing the name agree: static sizes are compared at once (ValueError, TF's text), unknown ones
by an `Assert` when run. The result is a NoOp running them all.
"""
from minitf.framework.api import control_dependencies, name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.ops import math_ops
from minitf.ops._shared import shape
from minitf.ops.check_ops import _assert_op, _eager, _message_prefix, _shape_and_dtype
from minitf.ops.check_shape_ops import assert_rank, assert_rank_at_least, assert_rank_in
from minitf.ops.control_flow_ops import group

__all__ = ["assert_shapes"]


def _dimension_sizes(x):
    """x's sizes: ints where static, else scalar tensors (a scalar counts as shape [1])."""
    if x._shape is None:  # (TF conds on the rank to give a scalar [1]; minitf has no cond)
        return shape(x)
    if not x._shape:
        return (1,)
    dynamic = shape(x) if None in x._shape else None
    return [d if d is not None else dynamic[i] for i, d in enumerate(x._shape)]


def _known(size):
    try:
        int(size)
    except (TypeError, ValueError):
        return False
    return size is not None


def _parse(x, symbols, prefix, name_of):
    if not (hasattr(symbols, "__iter__") or hasattr(symbols, "__getitem__")):
        raise ValueError(f"{prefix}Tensor {name_of(x)}.  Specified shape must be an iterable.  "
                         "An iterable has the attribute `__iter__` or `__getitem__`.  Received "
                         f"specified shape: {symbols}")
    symbols = tuple(symbols)
    for i, s in enumerate(symbols):
        if (s is Ellipsis or s == "*") and i != 0:
            raise ValueError(f"{prefix}Tensor {name_of(x)} specified shape index {i}.  Symbol "
                             "`...` or `*` for a variable number of unspecified dimensions is "
                             "only allowed as the first entry")
    innermost = bool(symbols) and (symbols[0] is Ellipsis or symbols[0] == "*")
    return x, innermost, (symbols[1:] if innermost else symbols) or (1,)


def _rank_check(x, innermost, symbols, data, summarize, message, name):
    rank = len(symbols)
    if innermost:
        return None if rank in (0, 1) else assert_rank_at_least(x, rank, data, summarize,
                                                                message, name)
    if rank in (0, 1):
        return assert_rank_in(x, [0, 1], data, summarize, message, name)
    return assert_rank(x, rank, data, summarize, message, name)


def assert_shapes(shapes, data=None, summarize=None, message=None, name=None):
    """Asserts the shapes of tensors and the dimension sizes they share (tf.debugging).

    Each entry pairs a tensor with its shape: ints (that size), names (the same size wherever
    the name appears), None or "." (any size); "..." or "*" first allows more outer dimensions.

    Args:
      shapes: a dict or list of (tensor, shape) pairs.
      data: the Tensors (or strings) shown when a check fails.
      summarize: how many entries of each Tensor to show (default 3).
      message: a string put before the message.
      name: a name for the operation's scope (default "assert_shapes").

    Returns:
      A NoOp running every check (None eagerly).

    Raises:
      ValueError: a shape is known to be wrong while the graph is built (or eagerly).
    """
    shapes = shapes.items() if isinstance(shapes, dict) else shapes
    prefix = _message_prefix(message)
    eager = _eager()

    def name_of(x):
        return _shape_and_dtype(x) if eager else x.name

    with name_scope(name, "assert_shapes"):
        parsed = [_parse(convert_to_tensor(x), s, prefix, name_of)
                  for x, s in shapes if s is not None]
        rank_checks = [c for c in (_rank_check(*p, data, summarize, message, name)
                                   for p in parsed) if c is not None]
        size_checks, specified = [], {}
        for x, innermost, symbols in parsed:
            sizes = _dimension_sizes(x)
            for i, symbol in enumerate(symbols):
                if symbol is None or symbol == ".":
                    continue
                dim = i - len(symbols) if innermost else i
                with control_dependencies(rank_checks):
                    actual = sizes[dim]
                if not (symbol in specified or _known(symbol)):
                    specified[symbol] = (actual, x, dim)
                    continue
                if _known(symbol):
                    wanted, why = int(symbol), "Specified explicitly"
                else:
                    wanted, by, at = specified[symbol]
                    why = f"Specified by tensor {name_of(by)} dimension {at}"
                if _known(actual) and _known(wanted):
                    if int(actual) != int(wanted):
                        raise ValueError(
                            f"{prefix}{why}.  Tensor {name_of(x)} dimension {dim} must have "
                            f"size {int(wanted)}.  Received size {int(actual)}, shape {x.shape}")
                    continue
                shown = data if data is not None else [
                    prefix, why, f"Tensor {name_of(x)} dimension", dim, "must have size", wanted,
                    "Received shape: ", shape(x)]
                size_checks.append(_assert_op(
                    math_ops.equal(convert_to_tensor(actual), convert_to_tensor(wanted)), shown,
                    summarize))
    with control_dependencies(rank_checks):
        return group(*size_checks)
