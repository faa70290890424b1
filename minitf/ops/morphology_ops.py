"""Grayscale morphology: dilation2d (Dilation2D) with its two gradient ops
Dilation2DBackpropInput / Dilation2DBackpropFilter (TF gives those no gradient), and erosion2d,
a dilation of the negated input by the reflected kernel (as TF builds it).

`output[b, y, x, c] = max over (i, j) of input[b, y*s0 + i*r0 - pad, x*s1 + j*r1 - pad, c] +
filter[i, j, c]`, over the window's positions inside the input. TF's CPU kernel starts each
window at the dtype's lowest value and takes strictly greater sums in row-major order: so a
window of -inf or NaN sums gives that lowest value, and gradients go to the first maximum.
"""
import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op
from minitf.ops import math_ops
from minitf.ops._shared import fmt, no_gradient
from minitf.ops.conv_ops import _out_and_pads, _patches
from minitf.ops.sort_ops import reverse

__all__ = ["dilation2d", "erosion2d"]

_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.uint8, dtypes.int16, dtypes.int8,
          dtypes.int64, dtypes.bfloat16, dtypes.uint16, dtypes.float16, dtypes.uint32,
          dtypes.uint64)


# -- geometry and kernels --------------------------------------------------------------------------
def _geometry(in_hw, k_hw, attrs):
    """[(out size, (pad before, pad after))] of the two spatial dims."""
    return [_out_and_pads(n, k, s, r, attrs["padding"], None)
            for n, k, s, r in zip(in_hw, k_hw, attrs["strides"][1:3], attrs["rates"][1:3])]


def _check_run(attrs):
    for what, values in (("Stride", attrs["strides"]), ("Rate", attrs["rates"])):
        if values[0] != 1 or values[3] != 1:
            raise errors.UnimplementedError(None, None, f"{what} is only supported across "
                                            "spatial dimensions.")


def _lowest(dtype):
    return np.finfo(dtype).min if dtype.kind == "f" else np.iinfo(dtype).min


def _sums(x, f, attrs):
    """(each window's input + filter sums (N, oh, ow, K, C) with unusable ones at -inf or the
    dtype's lowest, whether each position is inside the input, the geometry)."""
    _check_run(attrs)
    geometry = _geometry(x.shape[1:3], f.shape[:2], attrs)
    out = [o for o, _ in geometry]
    pads = [(0, 0)] + [p for _, p in geometry] + [(0, 0)]
    strides, rates = attrs["strides"][1:3], attrs["rates"][1:3]

    def windows(a, fill):
        cols = _patches(np.pad(a, pads, constant_values=fill), f.shape[:2], strides, rates, out)
        return cols.reshape(cols.shape[:3] + (-1, cols.shape[-1]))

    inside = windows(np.ones((1,) + x.shape[1:3] + (1,), bool), False)
    floating = x.dtype.kind == "f"
    sums = windows(x, 0) + f.reshape(1, 1, 1, -1, f.shape[-1])
    # TF keeps only sums above the dtype's lowest value (a NaN never compares greater)
    usable = inside & (sums > _lowest(x.dtype))
    return np.where(usable, sums, -np.inf if floating else _lowest(x.dtype)), usable, geometry


def _choice(x, f, attrs):
    """(the first maximum's window offset (N, oh, ow, 1, C), whether any sum was usable)."""
    sums, usable, geometry = _sums(x, f, attrs)
    return np.argmax(sums, axis=-2)[..., None, :], usable.any(axis=-2, keepdims=True), geometry


@register_op("Dilation2D", shape=lambda input, filter, **a: _shape("Dilation2D", input, filter,
                                                                    a), dtype=lambda x, f, **a:
             _dtype(x))
def _dilation2d(input, filter, **attrs):
    sums, _, _ = _sums(input, filter, attrs)
    return np.maximum(sums.max(axis=-2), _lowest(input.dtype)).astype(input.dtype)


@register_op("Dilation2DBackpropInput", shape=lambda input, filter, out_backprop, **a:
             input._shape, dtype=lambda x, *rest, **a: _dtype(x))
def _dilation2d_backprop_input(input, filter, out_backprop, **attrs):
    best, any_usable, geometry = _choice(input, filter, attrs)
    kw = filter.shape[1]
    n, oh, ow, _, c = best.shape
    (s0, s1), (r0, r1) = attrs["strides"][1:3], attrs["rates"][1:3]
    top, left = geometry[0][1][0], geometry[1][1][0]
    starts = (np.arange(oh)[None, :, None, None] * s0 - top,
              np.arange(ow)[None, None, :, None] * s1 - left)
    best = best[..., 0, :]
    rows, cols = starts[0] + best // kw * r0, starts[1] + best % kw * r1
    # a window with no usable sum sends its gradient to its start, clipped into the input
    usable = any_usable[..., 0, :]
    rows = np.where(usable, rows, np.maximum(starts[0], 0))
    cols = np.where(usable, cols, np.maximum(starts[1], 0))
    index = (np.broadcast_to(np.arange(n)[:, None, None, None], rows.shape), rows, cols,
             np.broadcast_to(np.arange(c), rows.shape))
    grad = np.zeros(input.shape, input.dtype)
    np.add.at(grad, index, out_backprop.astype(input.dtype))
    return grad


@register_op("Dilation2DBackpropFilter", shape=lambda input, filter, out_backprop, **a:
             filter._shape, dtype=lambda x, *rest, **a: _dtype(x))
def _dilation2d_backprop_filter(input, filter, out_backprop, **attrs):
    # a window with no usable sum sends its gradient to the filter's first position
    best, any_usable, _ = _choice(input, filter, attrs)
    pick = np.where(any_usable, best, 0)[..., 0, :]
    channels = np.broadcast_to(np.arange(filter.shape[-1]), pick.shape)
    grad = np.zeros((filter.shape[0] * filter.shape[1], filter.shape[2]), filter.dtype)
    np.add.at(grad, (pick.ravel(), channels.ravel()), out_backprop.astype(filter.dtype).ravel())
    return grad.reshape(filter.shape)


def _attrs_of(op):
    return {k: op.get_attr(k) for k in ("strides", "rates", "padding")}


@_dilation2d.gradient
def _dilation2d_grad(op, grad):
    x, f = op.inputs
    return [_dilation2d_backprop_input.apply([x, f, grad], **_attrs_of(op)),
            _dilation2d_backprop_filter.apply([x, f, grad], **_attrs_of(op))]



no_gradient(_dilation2d_backprop_input, _dilation2d_backprop_filter)


# -- rules -----------------------------------------------------------------------------------------
def _dtype(x):
    dtype = x.dtype.base_dtype
    if dtype not in _TYPES:
        raise TypeError(f"Value passed to parameter 'input' has DataType {dtype.name} not in list "
                        f"of allowed values: {', '.join(t.name for t in _TYPES)}")
    return dtype


def _shape(op_type, input, filter, attrs):
    x = (None,) * 4 if input._shape is None else tuple(input._shape)
    f = (None,) * 3 if filter._shape is None else tuple(filter._shape)
    for shape, rank in ((x, 4), (f, 3)):
        if len(shape) != rank:
            raise ValueError(f"Shape must be rank {rank} but is rank {len(shape)} for "
                             f"'{op_type}' with input shapes: {fmt(x)}, {fmt(f)}.")
    if None not in (x[3], f[2]) and x[3] != f[2]:
        raise ValueError(f"Dimensions must be equal, but are {x[3]} and {f[2]} for '{op_type}' "
                         f"with input shapes: {fmt(x)}, {fmt(f)}.")
    try:
        outs = [o for o, _ in _geometry(x[1:3], f[:2], attrs)]
    except ValueError as exc:
        raise ValueError(f"{exc} for '{op_type}' with input shapes: {fmt(x)}, {fmt(f)}.") from None
    return (x[0],) + tuple(outs) + (x[3],)


# -- the public functions --------------------------------------------------------------------------
def _attrs(strides, rates, padding):
    out = {}
    for what, value in (("strides", strides), ("rates", rates)):
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"Expected list for '{what}' argument to 'dilation2d' Op, not "
                            f"{value}.")
        if len(value) < 4:
            raise ValueError(f"Attr '{what}' of 'Dilation2D' Op passed list of length "
                             f"{len(value)} less than minimum 4.")
        out[what] = [int(v) for v in value]
    if isinstance(padding, bytes):
        padding = padding.decode()
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"Attr 'padding' of 'Dilation2D' Op passed string '{padding}' not in: "
                         '"SAME", "VALID".')
    out["padding"] = padding
    return out


def _numpy_dtype(value):
    if isinstance(value, Tensor):
        dtype = value.dtype.base_dtype
        return dtype.as_numpy_dtype if dtype in _TYPES else None
    return value.dtype if isinstance(value, (np.ndarray, np.generic)) else None


def _dilate(input, filter, attrs, name):
    dtype = _numpy_dtype(input)
    if dtype is not None and not isinstance(filter, Tensor):  # as TF converts a filter value
        filter = np.asarray(filter, dtype)
    return _dilation2d.apply([input, filter], name=name or "Dilation2D", **attrs)


def _one_of(new, new_value, old, old_value):
    if new_value is not None and old_value is not None:
        raise ValueError(f"Cannot specify both '{old}' and '{new}'.")
    return new_value if new_value is not None else old_value


def dilation2d(input, filter=None, strides=None, rates=None, padding=None, name=None,
               filters=None, dilations=None):
    """Computes the grayscale dilation of 4-D `input` by 3-D `filter` (TF1's signature).

    Each output is the maximum, over the filter's positions, of the input value there plus the
    filter value: `max_{i,j} input[b, y*s0 + i*r0, x*s1 + j*r1, c] + filter[i, j, c]`.

    >>> import minitf as tf
    >>> x = tf.constant([[[[1.0], [5.0]], [[2.0], [0.0]]]])
    >>> y = tf.nn.dilation2d(x, [[[0.0], [-1.0]]], [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
    >>> with tf.Session() as sess:
    ...     print(sess.run(y)[..., 0].tolist())
    [[[4.0], [2.0]]]

    Args:
      input: a 4-D Tensor [batch, height, width, depth] of a real dtype.
      filter: a 3-D Tensor [filter_height, filter_width, depth] of the same dtype.
      strides: a list of 4 ints, [1, stride_height, stride_width, 1].
      rates: a list of 4 ints, [1, rate_height, rate_width, 1]: the filter's dilation.
      padding: "SAME" or "VALID".
      name: a name for the operation (default "Dilation2D").
      filters: another name for `filter`.
      dilations: another name for `rates`.

    Returns:
      A 4-D Tensor of `input`'s dtype.

    Raises:
      ValueError: the shapes, `strides`, `rates` or `padding` are invalid.
      TypeError: `strides` or `rates` is not a list, or the dtype is not supported.
    """
    filter = _one_of("filters", filters, "filter", filter)
    rates = _one_of("dilations", dilations, "rates", rates)
    return _dilate(input, filter, _attrs(strides, rates, padding), name)


def erosion2d(value, kernel, strides, rates, padding, name=None):
    """Computes the grayscale erosion of 4-D `value` by 3-D `kernel`.

    It is the negated dilation of `-value` by the kernel reflected in height and width (as TF
    builds it).

    Args:
      value: a 4-D Tensor [batch, height, width, depth] of a real dtype.
      kernel: a 3-D Tensor [kernel_height, kernel_width, depth] of the same dtype.
      strides: a list of 4 ints, [1, stride_height, stride_width, 1].
      rates: a list of 4 ints, [1, rate_height, rate_width, 1].
      padding: "SAME" or "VALID".
      name: a name scope (default "erosion2d").

    Returns:
      A 4-D Tensor of `value`'s dtype.

    Raises:
      ValueError: the shapes, `strides`, `rates` or `padding` are invalid.
    """
    with name_scope(name, "erosion2d", [value, kernel]) as name:
        attrs = _attrs(strides, rates, padding)
        negated = math_ops.negative(value)
        dilated = _dilate(negated, reverse(convert_to_tensor(kernel), [0, 1]), attrs, name)
        return math_ops.negative(dilated)
