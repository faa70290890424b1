"""TF1's rank, type and order checks: assert_rank(_at_least, _in), assert_scalar, assert_type,
assert_integer, assert_same_float_dtype, assert_proper_iterable, is_numeric_tensor and
is_non_decreasing / is_strictly_increasing.

A rank known while the graph is built is checked at once (ValueError, with TF's text) and the
check is a NoOp named `static_checks_determined_all_ok`; an unknown rank gets an `Assert` that
checks when run. Type checks are static only: TypeError, or a NoOp.
"""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.ops import math_ops
from minitf.ops._shared import shape
from minitf.ops.array_ops import rank as _rank
from minitf.ops.check_ops import _assert_op, _eager, _message_prefix
from minitf.ops.control_flow_ops import no_op
from minitf.ops.manip_ops import reshape
from minitf.ops.reduction_ops import reduce_all

__all__ = ["assert_rank", "assert_rank_at_least", "assert_rank_in", "assert_scalar",
           "assert_type", "assert_integer", "assert_same_float_dtype", "assert_proper_iterable",
           "is_numeric_tensor", "is_non_decreasing", "is_strictly_increasing"]

NUMERIC_TYPES = frozenset([
    dtypes.float16, dtypes.float32, dtypes.float64, dtypes.bfloat16, dtypes.int8, dtypes.int16,
    dtypes.int32, dtypes.int64, dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64,
    dtypes.qint8, dtypes.qint16, dtypes.qint32, dtypes.quint8, dtypes.quint16,
    dtypes.complex64, dtypes.complex128])


class _StaticRankFailed(Exception):
    def __init__(self, actual, wanted):
        super().__init__(actual, wanted)
        self.actual, self.wanted = actual, wanted


def _ranks_condition(x, ranks, static_ok, dynamic_ok, data, summarize):
    """TF's `_assert_ranks_condition`: a NoOp when the ranks are known and fit, an error when
    they are known and do not (_StaticRankFailed), else an Assert of `dynamic_ok`."""
    for r in ranks:
        assert_type(r, dtypes.int32)
    static = [constant_value(r) for r in ranks]
    if None not in static:
        if any(np.ndim(s) != 0 for s in static):
            raise ValueError("Rank must be a scalar.")
        known = None if x._shape is None else len(x._shape)
        if known is not None:
            if not static_ok(known, static):
                raise _StaticRankFailed(known, static)
            return no_op(name="static_checks_determined_all_ok")
    condition = dynamic_ok(_rank(x), ranks)
    return _assert_op(condition, data, summarize)


def assert_rank(x, rank, data=None, summarize=None, message=None, name=None):
    """Asserts that `x` has rank `rank` (`tf.assert_rank`).

    Args:
      x: a Tensor.
      rank: a scalar int32 (or int32 Tensor).
      data: the Tensors (or strings) shown when it fails (default: TF's message, the shape).
      summarize: how many entries of each Tensor to show (default 3).
      message: a string put before the message.
      name: a name for the operation's scope (default "assert_rank").

    Returns:
      A NoOp when the rank is known and right; else the Assert Operation.

    Raises:
      ValueError: the static rank is known and wrong, or `rank` is not a scalar.
      TypeError: `rank` is not int32.
    """
    return _assert_ranks(x, [rank], "rank", data, summarize, message, name or "assert_rank",
                         lambda a, r: a == r[0], lambda a, r: math_ops.equal(a, r[0]))


def assert_rank_at_least(x, rank, data=None, summarize=None, message=None, name=None):
    """Asserts that `x` has rank `rank` or more (`tf.assert_rank_at_least`).

    Args:
      x: a Tensor.
      rank: a scalar int32 (or int32 Tensor).
      data: the Tensors (or strings) shown when it fails (default: TF's message, the shape).
      summarize: how many entries of each Tensor to show (default 3).
      message: a string put before the message.
      name: a name for the operation's scope (default "assert_rank_at_least").

    Returns:
      A NoOp when the rank is known and high enough; else the Assert Operation.

    Raises:
      ValueError: the static rank is known and too low, or `rank` is not a scalar.
      TypeError: `rank` is not int32.
    """
    return _assert_ranks(x, [rank], "rank at least", data, summarize, message,
                         name or "assert_rank_at_least", lambda a, r: a >= r[0],
                         lambda a, r: math_ops.greater_equal(a, r[0]))


def assert_rank_in(x, ranks, data=None, summarize=None, message=None, name=None):
    """Asserts that the rank of `x` is one of `ranks` (`tf.assert_rank_in`).

    Args:
      x: a Tensor.
      ranks: scalar int32s (or int32 Tensors).
      data: the Tensors (or strings) shown when it fails (default: TF's message, the shape).
      summarize: how many entries of each Tensor to show (default 3).
      message: a string put before the message.
      name: a name for the operation's scope (default "assert_rank_in").

    Returns:
      A NoOp when the rank is known and listed; else the Assert Operation.

    Raises:
      ValueError: the static rank is known and not listed, or a rank is not a scalar.
      TypeError: a rank is not int32.
    """
    return _assert_ranks(x, list(ranks), "rank in", data, summarize, message,
                         name or "assert_rank_in", lambda a, r: a in r, _dynamic_rank_in)


def _dynamic_rank_in(actual, ranks):
    result = math_ops.equal(ranks[0], actual)
    for r in ranks[1:]:
        result = math_ops.logical_or(result, math_ops.equal(r, actual))
    return result


def _assert_ranks(x, ranks, what, data, summarize, message, name, static_ok, dynamic_ok):
    with name_scope(name):
        x = convert_to_tensor(x, name="x")
        ranks = [convert_to_tensor(r, name="rank" if what != "rank in" else None)
                 for r in ranks]
        message = _message_prefix(message)
        shown = "" if _eager() else x.name
        if data is None:
            data = [message, f"Tensor {shown} must have {what}", *ranks, "Received shape: ",
                    shape(x)]
        try:
            return _ranks_condition(x, ranks, static_ok, dynamic_ok, data, summarize)
        except _StaticRankFailed as failed:
            wanted = (str(tuple(int(r) for r in failed.wanted)) if what == "rank in"
                      else int(failed.wanted[0]))
            raise ValueError(f"{message}Tensor {shown} must have {what} {wanted}.  Received "
                             f"rank {failed.actual}, shape {x.shape}") from None


def assert_scalar(tensor, name=None, message=None):
    """Asserts statically that `tensor` is a scalar (`tf.assert_scalar`).

    Args:
      tensor: a Tensor (or a value `convert_to_tensor` takes).
      name: a name for the scope (default "assert_scalar").
      message: a string put before the message.

    Returns:
      `tensor` as a Tensor.

    Raises:
      ValueError: its static shape is not known to be scalar.
    """
    with name_scope(name, "assert_scalar", [tensor]) as scope:
        tensor = convert_to_tensor(tensor, name=scope)
        message = _message_prefix(message)
        if tensor._shape != ():
            if _eager():
                raise ValueError(f"{message}Expected scalar shape, saw shape: {tensor.shape}.")
            raise ValueError(f"{message}Expected scalar shape for {tensor.name}, saw shape: "
                             f"{tensor.shape}.")
        return tensor


def assert_type(tensor, tf_type, message=None, name=None):
    """Asserts statically that `tensor` has dtype `tf_type` (`tf.assert_type`).

    Args:
      tensor: a Tensor.
      tf_type: a DType (or what `tf.as_dtype` takes).
      message: a string put before the message.
      name: a name for the NoOp's scope (default "assert_type").

    Returns:
      A NoOp named `statically_determined_correct_type` (None eagerly).

    Raises:
      TypeError: the dtype differs.
    """
    tf_type = dtypes.as_dtype(tf_type)
    with name_scope(name, "assert_type", [tensor]):
        tensor = convert_to_tensor(tensor, name="tensor")
        if tensor.dtype != tf_type:
            shown = "tensor" if _eager() else tensor.name
            raise TypeError(f"{_message_prefix(message)}{shown} must be of type {tf_type!r}; "
                            f"got {tensor.dtype!r}")
        return no_op(name="statically_determined_correct_type")


def assert_integer(x, message=None, name=None):
    """Asserts statically that `x` has an integer dtype (`tf.assert_integer`).

    Args:
      x: a Tensor.
      message: a string put before the message.
      name: a name for the NoOp's scope (default "assert_integer").

    Returns:
      A NoOp named `statically_determined_was_integer` (None eagerly).

    Raises:
      TypeError: the dtype is not a (non-quantized) integer type.
    """
    with name_scope(name, "assert_integer", [x]):
        x = convert_to_tensor(x, name="x")
        if not x.dtype.is_integer:
            shown = "tensor" if _eager() else x.name
            raise TypeError(f'{_message_prefix(message)}Expected "x" to be integer type.  '
                            f"Found: {shown} of dtype {x.dtype}")
        return no_op(name="statically_determined_was_integer")


def assert_same_float_dtype(tensors=None, dtype=None):
    """Returns the one float dtype of `tensors` (and `dtype`), float32 when there is none.

    Args:
      tensors: Tensors (None entries are skipped).
      dtype: the expected dtype.

    Returns:
      The DType.

    Raises:
      ValueError: the dtypes differ, or the common one is not a float type.
    """
    if tensors:
        dtype = _same_base_type([t for t in tensors if t is not None], dtype)
    if not dtype:
        return dtypes.float32
    if not dtype.is_floating:
        raise ValueError(f"Expected floating point type, got {dtype}.")
    return dtype


def _same_base_type(items, expected):
    first = None
    for item in items:
        item_type = item.dtype.base_dtype
        if not expected:
            expected, first = item_type, getattr(item, "name", str(item))
        elif expected != item_type:
            shown = getattr(item, "name", str(item))
            raise ValueError(f"{shown}, type={item_type}, must be of the same type ({expected})"
                             + (f" as {first}." if first else "."))
    return expected


def assert_proper_iterable(values):
    """Asserts statically that `values` is an iterable other than a Tensor, array or string.

    Args:
      values: the object to check.

    Raises:
      TypeError: `values` is a Tensor, ndarray, bytes or str, or not iterable.
    """
    if isinstance(values, (Tensor, np.ndarray, bytes, str)):
        raise TypeError('Expected argument "values" to be a "proper" iterable.  Found: '
                        f"{type(values)}")
    if not hasattr(values, "__iter__"):
        raise TypeError(f'Expected argument "values" to be iterable.  Found: {type(values)}')


def is_numeric_tensor(tensor):
    """Returns whether `tensor` is a Tensor of a numeric dtype (not bool or string).

    Args:
      tensor: any object.

    Returns:
      A Python bool.
    """
    return isinstance(tensor, Tensor) and tensor.dtype in NUMERIC_TYPES


def _monotonic(x, compare, name, default_name):
    with name_scope(name, default_name, [x]):
        x = reshape(x, [-1])  # (TF flattens first)
        if not is_numeric_tensor(x):
            raise TypeError(f"Expected x to be numeric, instead found: {x}")
        return reduce_all(compare(x[1:], x[:-1]))


def is_non_decreasing(x, name=None):
    """Returns whether `x`, flattened, is non-decreasing: `x[i] <= x[i+1]` throughout.

    Args:
      x: a numeric Tensor (fewer than 2 elements: True).
      name: a name for the scope (default "is_non_decreasing").

    Returns:
      A bool scalar Tensor.

    Raises:
      TypeError: `x` is not numeric.

    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.is_non_decreasing([1, 1, 3])))
    True
    """
    return _monotonic(x, math_ops.greater_equal, name, "is_non_decreasing")


def is_strictly_increasing(x, name=None):
    """Returns whether `x`, flattened, is strictly increasing: `x[i] < x[i+1]` throughout.

    Args:
      x: a numeric Tensor (fewer than 2 elements: True).
      name: a name for the scope (default "is_strictly_increasing").

    Returns:
      A bool scalar Tensor.

    Raises:
      TypeError: `x` is not numeric.
    """
    return _monotonic(x, math_ops.greater, name, "is_strictly_increasing")
