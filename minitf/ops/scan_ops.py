"""Scans: cumsum, cumprod and cumulative_logsumexp (TF's Cumsum, Cumprod, CumulativeLogsumexp),
with `exclusive` and `reverse`, and their gradients as TF's math_grad builds them.

The scan axis is the op's second input, as in TF (a Const `Cumsum/axis` for a Python int), so it
may be computed at run time, where it is checked (InvalidArgumentError); a kernel is one
ufunc.accumulate along it.
"""
import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops._shared import ones_like, same_shape, zeros_like
from minitf.ops.manip_ops import where
from minitf.ops.math_ops import _NUMBERS, equal, exp, greater, log, negative

__all__ = ["cumsum", "cumprod", "cumulative_logsumexp"]

_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)


def _scan_kernel(ufunc, identity):
    """The kernel scanning `ufunc` along `axis`; an exclusive scan starts from `identity`."""
    def kernel(x, axis, *, exclusive, reverse):
        axis, rank = int(axis), max(x.ndim, 1)
        if not -rank <= axis < rank:
            raise errors.InvalidArgumentError(
                None, None, f"ScanOp: Expected scan axis in the range [{-rank}, {rank}), but got "
                f"{axis}")
        moved = np.moveaxis(x, axis, 0)
        if reverse:
            moved = moved[::-1]
        if exclusive:  # shift by one, the identity first (an empty axis stays empty)
            first = np.full((1,) + moved.shape[1:], identity, x.dtype)
            moved = np.concatenate([first, moved[:-1]])[:moved.shape[0]]
        out = ufunc.accumulate(moved, axis=0, dtype=x.dtype)
        return np.moveaxis(out[::-1] if reverse else out, 0, axis)
    return kernel


def _scan_shape(x, axis, **attrs):
    return same_shape(x)


def _param_types(param, types):
    """A dtype rule: the first input's dtype, which must be one of `types` (TF's TypeError,
    naming the op's parameter `param`)."""
    def rule(x, *rest, **attrs):
        if x.dtype.base_dtype not in types:
            names = ", ".join(dtypes.tf_type_name(t) for t in types)
            raise TypeError(f"Value passed to parameter '{param}' has DataType "
                            f"{x.dtype.base_dtype.name} not in list of allowed values: {names}")
        return x.dtype.base_dtype
    return rule


def _scan_op(type, types, ufunc, identity):
    return register_op(type, shape=_scan_shape, dtype=_param_types("x", types))(
        _scan_kernel(ufunc, identity))


_cumsum = _scan_op("Cumsum", _NUMBERS, np.add, 0)
_cumprod = _scan_op("Cumprod", _NUMBERS, np.multiply, 1)
_cumulative_logsumexp = _scan_op("CumulativeLogsumexp", _FLOATS, np.logaddexp, -np.inf)


def _reversed_scan(opdef, op, t):
    """`t` scanned by `opdef` along op's axis in the other direction (op's adjoint)."""
    return opdef.apply([t, op.inputs[1]], exclusive=op.get_attr("exclusive"),
                       reverse=not op.get_attr("reverse"))


@_cumsum.gradient
def _cumsum_grad(op, grad):
    return [_reversed_scan(_cumsum, op, grad), None]


@_cumprod.gradient
def _cumprod_grad(op, grad):
    # TF divides by x with div_no_nan: the gradient at a zero of x is 0 (TF's value, kept).
    x = op.inputs[0]
    total = _reversed_scan(_cumsum, op, op.outputs[0] * grad)
    zero = equal(x, zeros_like(x))
    return [where(zero, zeros_like(x), total / where(zero, ones_like(x), x)), None]


@_cumulative_logsumexp.gradient
def _cumulative_logsumexp_grad(op, grad):
    # TF's split of grad by sign: each part's log is scanned back, so no exp overflows.
    x, out = op.inputs[0], op.outputs[0]
    pos = exp(_reversed_scan(_cumulative_logsumexp, op, _log_part(grad) - out) + x)
    neg = exp(_reversed_scan(_cumulative_logsumexp, op, _log_part(negative(grad))
                             - out) + x)
    return [pos - neg, None]


def _log_part(g):
    """log(g) where g > 0, else the dtype's lowest value (TF's stand-in for log 0)."""
    positive = greater(g, zeros_like(g))
    lowest = np.finfo(g.dtype.base_dtype.as_numpy_dtype).min + zeros_like(g)
    return where(positive, log(where(positive, g, ones_like(g))), lowest)


def _scan(opdef, x, axis, exclusive, reverse, name):
    x = convert_to_tensor(x, name="x")
    return opdef.apply([x, axis], name=name or opdef.type, exclusive=bool(exclusive),
                       reverse=bool(reverse))


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Computes the cumulative sum of `x` along `axis`.

    `exclusive` leaves each element out of its own sum (the first output is 0); `reverse`
    sums from the end.

    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.cumsum([1, 2, 3], exclusive=True, reverse=True)))
    [5 3 0]
    """
    return _scan(_cumsum, x, axis, exclusive, reverse, name)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Computes the cumulative product of `x` along `axis`.

    `exclusive` leaves each element out of its own product (the first output is 1); `reverse`
    multiplies from the end. As in TF, the gradient at an element equal to 0 is 0.
    """
    return _scan(_cumprod, x, axis, exclusive, reverse, name)


def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None):
    """Computes the cumulative log-sum-exp of `x` along `axis`, without overflow.

    `exclusive` leaves each element out of its own term (the first output is -inf); `reverse`
    scans from the end.
    """
    return _scan(_cumulative_logsumexp, x, axis, exclusive, reverse, name)


_SCAN_DOC = """

    Args:
      x: a Tensor (or value): numeric, or float16/32/64 for cumulative_logsumexp.
      axis: the dimension to scan, an int or an int32/int64 scalar tensor (default 0);
        negative counts from the end.
      exclusive: if True, each output leaves out its own element.
      reverse: if True, scan from the last element to the first.
      name: a name for the operation (optional).

    Returns:
      A Tensor of x's shape and dtype.

    Raises:
      TypeError: x's dtype is not one the op takes.
      minitf.errors.InvalidArgumentError: at run time, `axis` is out of range.
    """
for _fn in (cumsum, cumprod, cumulative_logsumexp):
    _fn.__doc__ = _fn.__doc__.rstrip() + _SCAN_DOC
