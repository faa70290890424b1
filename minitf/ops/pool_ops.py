"""Pooling: max_pool (MaxPool) and avg_pool (AvgPool) with TF's gradient ops MaxPoolGrad,
MaxPoolGradGrad and AvgPoolGrad (each registered with its own gradient, so second derivatives
run), the `_v2` names and the 1-D poolings composed through the 2-D ops as TF composes them.

The kernels share conv_ops' channels-last im2col: a window's values are one axis of the patch
array; gradients go back through col2im, one kernel offset at a time.
"""
import itertools

import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops import manip_ops
from minitf.ops._shared import fmt, shape_of, shape_value, zeros_like
from minitf.ops.conv_ops import (
    _channels_last,
    _from_last,
    _offset_slices,
    _out_and_pads,
    _patches,
    _sequence,
    _shape_to_last,
    _spatial,
    _to_last,
)

__all__ = ["max_pool", "avg_pool", "max_pool1d", "avg_pool1d", "max_pool2d", "avg_pool2d"]

_AVG_TYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)
_MAX_TYPES = _AVG_TYPES + (dtypes.int32, dtypes.int64, dtypes.uint8, dtypes.int16, dtypes.int8,
                           dtypes.uint16)


# -- geometry and kernels (channels last) ----------------------------------------------------------
def _window(x_shape, attrs, last=True):
    """(ksize, strides, [(out, pads)]) of the spatial dims of a pooling; `x_shape` is
    channels-last (the kernels') unless `last` is False (the shape rules')."""
    fmt_ = attrs["data_format"]
    ksize, strides = _spatial(attrs["ksize"], fmt_), _spatial(attrs["strides"], fmt_)
    spatial = tuple(x_shape)[1:-1] if last else _spatial(x_shape, fmt_)
    geometry = [_out_and_pads(n, k, s, 1, attrs["padding"], None)
                for n, k, s in zip(spatial, ksize, strides)]
    return ksize, strides, geometry


def _windows(x, ksize, strides, geometry, fill):
    """(N, *out, K, C): each output's window, flattened; the padding holds `fill`."""
    pads = [(0, 0)] + [p for _, p in geometry] + [(0, 0)]
    xp = np.pad(x, pads, constant_values=fill)
    out = [o for o, _ in geometry]
    cols = _patches(xp, ksize, strides, (1,) * len(ksize), out)
    return cols.reshape(cols.shape[:len(out) + 1] + (-1, cols.shape[-1]))


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _col2im(in_shape, dcols, ksize, strides, geometry):
    """Adds dcols (N, *out, K, C) back into an array of the channels-last `in_shape`."""
    n = len(ksize)
    out = [o for o, _ in geometry]
    pads = [p for _, p in geometry]
    padded = np.zeros((in_shape[0],) + tuple(m + lo + hi for m, (lo, hi) in
                                             zip(in_shape[1:-1], pads)) + (in_shape[-1],),
                      dcols.dtype)
    for k, o in enumerate(itertools.product(*map(range, ksize))):
        padded[(slice(None),) + _offset_slices(o, strides, (1,) * n, out)] += dcols[..., k, :]
    crop = tuple(slice(lo, lo + m) for m, (lo, _) in zip(in_shape[1:-1], pads))
    return padded[(slice(None),) + crop]


def _argmax_windows(x, attrs):
    """(the first maximum's offset in each window (N, *out, 1, C), the window geometry)."""
    ksize, strides, geometry = _window(x.shape, attrs)
    cols = _windows(x, ksize, strides, geometry, _lowest(x.dtype))
    return np.expand_dims(np.argmax(cols, axis=-2), -2), ksize, strides, geometry


def _tiles(x, ksize, strides, geometry):
    """(N, o1, k1, o2, k2, ..., C), each window's entries on their own axes, when the windows
    tile the input (stride == window, no padding: the common 2x2/2 pooling), else None. A
    reshape, no im2col: each window offset is then a strided slice with channels innermost."""
    if tuple(ksize) != tuple(strides) or any(p != (0, 0) for _, p in geometry):
        return None
    out = [o for o, _ in geometry]
    crop = x[(slice(None),) + tuple(slice(0, o * k) for o, k in zip(out, ksize))]
    return crop.reshape((x.shape[0],) + sum(zip(out, ksize), ()) + (x.shape[-1],))


def _tile_offsets(ksize):
    """The index of each window offset into `_tiles`' array, in TF's (row-major) order."""
    return [(slice(None),) + sum(((slice(None), i) for i in o), ()) + (Ellipsis,)
            for o in itertools.product(*map(range, ksize))]


def _tiled_max_and_grad(tiles, ksize, g=None):
    """The max of each window or, given the output's gradient `g`, the input's gradient, which
    goes to each window's first maximum (TF's choice among ties)."""
    offsets = _tile_offsets(ksize)
    y = tiles[offsets[0]].copy()
    for o in offsets[1:]:
        np.maximum(y, tiles[o], out=y)
    if g is None:
        return y
    dtiles, taken = np.zeros_like(tiles), np.zeros(y.shape, bool)
    for o in offsets:
        hit = tiles[o] == y
        hit &= ~taken
        taken |= hit
        np.multiply(g, hit, out=dtiles[o])
    return dtiles


def _untile(in_shape, dtiles):
    """`_tiles`' array back in an array of `in_shape` (zeros where no window reached)."""
    covered = dtiles.reshape((in_shape[0],) + tuple(
        o * k for o, k in zip(dtiles.shape[1:-1:2], dtiles.shape[2:-1:2])) + (in_shape[-1],))
    if covered.shape == tuple(in_shape):
        return covered
    full = np.zeros(in_shape, dtiles.dtype)
    full[tuple(slice(0, m) for m in covered.shape)] = covered
    return full


def _counts(x_shape, ksize, strides, geometry):
    """How many real (unpadded) elements each window of an average pooling holds."""
    ones = np.ones((1,) + tuple(x_shape[1:-1]) + (1,))
    return _windows(ones, ksize, strides, geometry, 0.0).sum(axis=-2)


# -- rules -----------------------------------------------------------------------------------------
def _dtype_in(types, param="input"):
    def rule(x, *others, **attrs):
        dtype = x.dtype.base_dtype
        if dtype not in types:
            raise TypeError(f"Value passed to parameter '{param}' has DataType {dtype.name} not "
                            f"in list of allowed values: {', '.join(t.name for t in types)}")
        return dtype
    return rule


def _pool_shape(op_type, x_shape, attrs):
    rank = len(attrs["ksize"])
    x_shape = (None,) * rank if x_shape is None else tuple(x_shape)
    if len(x_shape) != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {len(x_shape)} for "
                         f"'{op_type}' with input shapes: {fmt(x_shape)}.")
    fmt_ = attrs["data_format"]
    spatial = tuple(out for out, _ in _window(x_shape, attrs, last=False)[2])
    if _channels_last(fmt_):
        return (x_shape[0],) + spatial + (x_shape[-1],)
    return x_shape[:2] + spatial


# -- the ops ---------------------------------------------------------------------------------------
@register_op("MaxPool", shape=lambda input, **a: _pool_shape("MaxPool", input._shape, a),
             dtype=_dtype_in(_MAX_TYPES))
def _max_pool(input, **attrs):
    fmt_ = attrs["data_format"]
    x = _to_last(input, fmt_)
    ksize, strides, geometry = _window(x.shape, attrs)
    tiles = _tiles(x, ksize, strides, geometry)
    if tiles is not None:
        return _from_last(_tiled_max_and_grad(tiles, ksize), fmt_)
    cols = _windows(x, ksize, strides, geometry, _lowest(x.dtype))
    return _from_last(cols.max(axis=-2), fmt_)


@register_op("MaxPoolGrad", shape=lambda orig_input, orig_output, grad, **a: orig_input._shape,
             dtype=_dtype_in(_MAX_TYPES, "orig_input"))
def _max_pool_grad(orig_input, orig_output, grad, **attrs):
    # the gradient goes to each window's first maximum (TF's choice among ties)
    fmt_ = attrs["data_format"]
    x, g = _to_last(orig_input, fmt_), _to_last(grad, fmt_)
    ksize, strides, geometry = _window(x.shape, attrs)
    tiles = _tiles(x, ksize, strides, geometry)
    if tiles is not None:
        return _from_last(_untile(x.shape, _tiled_max_and_grad(tiles, ksize, g)), fmt_)
    first, ksize, strides, geometry = _argmax_windows(x, attrs)
    k = int(np.prod(ksize))
    dcols = np.where(np.arange(k).reshape(k, 1) == first, np.expand_dims(g, -2), 0).astype(
        x.dtype)
    return _from_last(_col2im(x.shape, dcols, ksize, strides, geometry), fmt_)


@register_op("MaxPoolGradGrad",
             shape=lambda orig_input, orig_output, grad, **a: orig_output._shape,
             dtype=_dtype_in(_MAX_TYPES, "orig_input"))
def _max_pool_grad_grad(orig_input, orig_output, grad, **attrs):
    # each window's first maximum picks the value of `grad` at its position
    fmt_ = attrs["data_format"]
    x, g = _to_last(orig_input, fmt_), _to_last(grad, fmt_)
    first, ksize, strides, geometry = _argmax_windows(x, attrs)
    cols = _windows(g, ksize, strides, geometry, 0)
    return _from_last(np.take_along_axis(cols, first, axis=-2)[..., 0, :], fmt_)


@register_op("AvgPool", shape=lambda value, **a: _pool_shape("AvgPool", value._shape, a),
             dtype=_dtype_in(_AVG_TYPES, "value"))
def _avg_pool(value, **attrs):
    # SAME windows at the border average over their real elements only, as TF's
    fmt_ = attrs["data_format"]
    x = _to_last(value, fmt_)
    ksize, strides, geometry = _window(x.shape, attrs)
    total = _windows(x, ksize, strides, geometry, 0).sum(axis=-2)
    return _from_last((total / _counts(x.shape, ksize, strides, geometry)).astype(x.dtype), fmt_)


def _avg_pool_grad_shape(orig_input_shape, grad, **attrs):
    return shape_value(orig_input_shape)


@register_op("AvgPoolGrad", shape=_avg_pool_grad_shape,
             dtype=lambda orig_input_shape, grad, **a: _dtype_in(_AVG_TYPES, "grad")(grad))
def _avg_pool_grad(orig_input_shape, grad, **attrs):
    fmt_ = attrs["data_format"]
    in_shape = _shape_to_last(orig_input_shape, fmt_)
    g = _to_last(grad, fmt_)
    ksize, strides, geometry = _window(in_shape, attrs)
    share = (g / _counts(in_shape, ksize, strides, geometry)).astype(g.dtype)
    dcols = np.broadcast_to(np.expand_dims(share, -2), share.shape[:-1] + (
        int(np.prod(ksize)), share.shape[-1]))
    return _from_last(_col2im(in_shape, dcols, ksize, strides, geometry), fmt_)


def _attrs_of(op):
    return {k: op.get_attr(k) for k in ("ksize", "strides", "padding", "data_format")}


@_max_pool.gradient
def _max_pool_gradient(op, grad):
    return [_max_pool_grad.apply([op.inputs[0], op.outputs[0], grad], **_attrs_of(op))]


@_max_pool_grad.gradient
def _max_pool_grad_gradient(op, grad):
    x, y, _ = op.inputs
    return [zeros_like(x), zeros_like(y), _max_pool_grad_grad.apply([x, y, grad],
                                                                    **_attrs_of(op))]


@_max_pool_grad_grad.gradient
def _max_pool_grad_grad_gradient(op, grad):
    x, y, _ = op.inputs
    return [zeros_like(x), zeros_like(y), _max_pool_grad.apply([x, y, grad], **_attrs_of(op))]


@_avg_pool.gradient
def _avg_pool_gradient(op, grad):
    return [_avg_pool_grad.apply([shape_of(op.inputs[0]), grad], **_attrs_of(op))]


@_avg_pool_grad.gradient
def _avg_pool_grad_gradient(op, grad):
    return [None, _avg_pool.apply([grad], **_attrs_of(op))]


# -- the public functions --------------------------------------------------------------------------
def _pool_attrs(op_type, ksize, strides, padding, data_format, n):
    if isinstance(padding, bytes):
        padding = padding.decode()
    if padding not in ("SAME", "VALID"):
        allowed = '"SAME", "VALID", "EXPLICIT"' if op_type == "MaxPool" else '"SAME", "VALID"'
        raise ValueError(f"Attr 'padding' of '{op_type}' Op passed string '{padding}' not in: "
                         f"{allowed}.")
    channel_index = 1 if data_format.startswith("NC") else n + 1
    return dict(ksize=_sequence(ksize, n, channel_index, "ksize"),
                strides=_sequence(strides, n, channel_index, "strides"), padding=padding,
                data_format=data_format)


_DOC = """Performs {what} pooling on `{arg}`{where}.

    Args:
      {arg}: a Tensor of rank {rank}, {layouts}; {types}.
      ksize: an int or a list of 1, {n} or {full} ints, the window size per dimension.
      strides: an int or a list of 1, {n} or {full} ints, the window step per dimension.
      padding: "SAME" or "VALID".
      data_format: {formats}.
      name: a name for the operation (default "{default}").{extra}

    Returns:
      A Tensor of `{arg}`'s dtype and layout.

    Raises:
      ValueError: `padding`, `ksize`, `strides` or the input's rank is invalid.
      TypeError: the dtype is not supported.
    """


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):
    value = value if input is None else input
    attrs = _pool_attrs("MaxPool", ksize, strides, padding, data_format or "NHWC", 2)
    return _max_pool.apply([value], name=name or "MaxPool", **attrs)


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):
    value = value if input is None else input
    attrs = _pool_attrs("AvgPool", ksize, strides, padding, data_format or "NHWC", 2)
    return _avg_pool.apply([value], name=name or "AvgPool", **attrs)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    return max_pool(input, ksize, strides, padding, data_format, name)


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    return avg_pool(input, ksize, strides, padding, data_format, name)


def _pool1d(pool, scope, input, ksize, strides, padding, data_format, name):
    # as TF: a height of 1 added before the width, the 2-D op, the height squeezed away
    data_format = data_format or "NWC"
    channel_index = 1 if data_format.startswith("NC") else 2
    ksize = [1] + _sequence(ksize, 1, channel_index, "ksize")
    strides = [1] + _sequence(strides, 1, channel_index, "strides")
    axis = 1 if data_format == "NWC" else 2
    with name_scope(name, scope, [input]) as name:
        x = manip_ops.expand_dims(convert_to_tensor(input), axis)
        y = pool(x, ksize, strides, padding, "NHWC" if data_format == "NWC" else "NCHW", name)
        return manip_ops.squeeze(y, [axis])


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    return _pool1d(max_pool, "MaxPool1d", input, ksize, strides, padding, data_format, name)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    return _pool1d(avg_pool, "AvgPool1D", input, ksize, strides, padding, data_format, name)


_MAX = dict(what="max", types="a real dtype")
_AVG = dict(what="average", types="float16, bfloat16, float32 or float64",
            where=" (a SAME window at the border averages its real elements only)")
_2D = dict(rank=4, n=2, full=4, layouts="NHWC or NCHW", formats='"NHWC" (default) or "NCHW"')
_1D = dict(rank=3, n=1, full=3, layouts="NWC or NCW", formats='"NWC" (default) or "NCW"')
for _fn, _parts in ((max_pool, dict(_MAX, **_2D, arg="value", default="MaxPool",
                                    extra="\n      input: another name for `value`.")),
                    (avg_pool, dict(_AVG, **_2D, arg="value", default="AvgPool",
                                    extra="\n      input: another name for `value`.")),
                    (max_pool2d, dict(_MAX, **_2D, arg="input", default="MaxPool")),
                    (avg_pool2d, dict(_AVG, **_2D, arg="input", default="AvgPool")),
                    (max_pool1d, dict(_MAX, **_1D, arg="input", default="MaxPool1d")),
                    (avg_pool1d, dict(_AVG, **_1D, arg="input", default="AvgPool1D"))):
    _fn.__doc__ = _DOC.format(**dict(dict(where="", extra=""), **_parts))
del _fn, _parts
