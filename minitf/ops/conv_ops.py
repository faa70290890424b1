"""Convolutions: conv2d (Conv2D) and its two backprops, Conv2DBackpropInput and
Conv2DBackpropFilter, registered as ops of their own with their own gradients (as TF's), so
second derivatives run through them; tf.nn.conv2d_backprop_input / conv2d_backprop_filter.

The kernels work channels-last on any number of spatial dims: im2col (one strided view of the
padded input per kernel offset, stacked into a patch matrix) and one tensordot; the input gradient
is col2im, a strided accumulation per kernel offset. Loops run over the kernel's offsets only.
"""
import itertools

import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.registry import register_op
from minitf.ops._shared import fmt, shape_of, shape_tensor, shape_value

__all__ = ["conv2d", "conv2d_backprop_input", "conv2d_backprop_filter"]

_CONV_TYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, dtypes.int32)


# -- geometry --------------------------------------------------------------------------------------
def _channels_last(data_format):
    return not data_format.startswith("NC")


def _spatial(values, data_format):
    """The spatial entries of a per-dimension attr (strides, dilations) or shape."""
    values = tuple(values)
    return values[1:-1] if _channels_last(data_format) else values[2:]


def _explicit_pairs(explicit_paddings, data_format):
    pairs = [tuple(explicit_paddings[i:i + 2]) for i in range(0, len(explicit_paddings), 2)]
    return _spatial(pairs, data_format)


def _out_and_pads(size, k, stride, dilation, padding, pair):
    """(output size, (pad before, pad after)) of one spatial dim; sizes may be None."""
    eff = (k - 1) * dilation + 1 if k is not None else None
    if padding == "EXPLICIT":
        pads = tuple(pair)
        out = None if None in (size, eff) else (size + pads[0] + pads[1] - eff) // stride + 1
    elif padding == "VALID":
        pads = (0, 0)
        out = None if None in (size, eff) else (size - eff) // stride + 1
    else:  # SAME: ceil(size / stride), the padding split with the odd one after
        out = None if size is None else -(-size // stride)
        if None in (size, eff):
            return out, None
        total = max((out - 1) * stride + eff - size, 0)
        pads = (total // 2, total - total // 2)
    if out is not None and out <= 0:
        raise ValueError(f"Negative dimension size caused by subtracting {eff} from "
                         f"{size + sum(pads)}")
    return out, pads


def _geometry(in_spatial, k_spatial, attrs):
    """[(out size, pads)] per spatial dim of a convolution with these attrs."""
    fmt_ = attrs["data_format"]
    strides, dilations = _spatial(attrs["strides"], fmt_), _spatial(attrs["dilations"], fmt_)
    pairs = (_explicit_pairs(attrs["explicit_paddings"], fmt_)
             if attrs["padding"] == "EXPLICIT" else [None] * len(strides))
    return [_out_and_pads(n, k, s, d, attrs["padding"], p)
            for n, k, s, d, p in zip(in_spatial, k_spatial, strides, dilations, pairs)]


# -- kernels (channels last) -----------------------------------------------------------------------
def _offset_slices(offsets, strides, dilations, out):
    return tuple(slice(o * d, o * d + (m - 1) * s + 1, s)
                 for o, d, s, m in zip(offsets, dilations, strides, out))


def _patches(xp, ksize, strides, dilations, out):
    """im2col: (N, *out, *ksize, C), each output position's receptive field."""
    views = [xp[(slice(None),) + _offset_slices(o, strides, dilations, out)]
             for o in itertools.product(*map(range, ksize))]
    return np.stack(views, axis=len(ksize) + 1).reshape(
        (xp.shape[0],) + tuple(out) + tuple(ksize) + (xp.shape[-1],))


def _padded(x, pads):
    return np.pad(x, [(0, 0)] + [tuple(p) for p in pads] + [(0, 0)])


def _conv_forward(x, f, strides, dilations, pads):
    n = x.ndim - 2
    xp = _padded(x, pads)
    out = [(xp.shape[i + 1] - (f.shape[i] - 1) * dilations[i] - 1) // strides[i] + 1
           for i in range(n)]
    cols = _patches(xp, f.shape[:n], strides, dilations, out)
    return np.tensordot(cols, f, axes=n + 1).astype(x.dtype, copy=False)


def _conv_input_grad(in_shape, f, g, strides, dilations, pads):
    dcols = np.tensordot(g, f, axes=([-1], [-1]))  # (N, *out, *ksize, C)
    return _col2im(in_shape, dcols, strides, dilations, pads).astype(f.dtype, copy=False)


def _col2im(in_shape, dcols, strides, dilations, pads):
    """Each patch's gradient (N, *out, *ksize, C) added back where the patch came from, one
    kernel offset at a time (the positions of one offset never overlap)."""
    n = len(in_shape) - 2
    out, ksize = dcols.shape[1:n + 1], dcols.shape[n + 1:2 * n + 1]
    padded = np.zeros((in_shape[0],) + tuple(m + lo + hi for m, (lo, hi) in
                                             zip(in_shape[1:-1], pads)) + (in_shape[-1],),
                      dcols.dtype)
    for o in itertools.product(*map(range, ksize)):
        index = (slice(None),) + _offset_slices(o, strides, dilations, out)
        padded[index] += dcols[(slice(None),) * (n + 1) + o]
    crop = tuple(slice(lo, lo + m) for m, (lo, _) in zip(in_shape[1:-1], pads))
    return padded[(slice(None),) + crop]


def _conv_filter_grad(x, k_shape, g, strides, dilations, pads):
    n = x.ndim - 2
    cols = _patches(_padded(x, pads), k_shape[:n], strides, dilations, g.shape[1:-1])
    return np.tensordot(cols, g, axes=(list(range(n + 1)), list(range(n + 1)))).astype(
        x.dtype, copy=False)


def _to_last(x, data_format):
    return x if _channels_last(data_format) else np.moveaxis(x, 1, -1)


def _from_last(x, data_format):
    return x if _channels_last(data_format) else np.moveaxis(x, -1, 1)


def _shape_to_last(shape, data_format):
    shape = tuple(int(d) for d in shape)
    return shape if _channels_last(data_format) else (shape[0],) + shape[2:] + (shape[1],)


def _kernel_args(x_shape, k_shape, attrs):
    """(strides, dilations, pads) of the channels-last kernels, from the op's attrs."""
    fmt_ = attrs["data_format"]
    _check_attrs(len(x_shape), attrs)
    geometry = _geometry(_spatial(x_shape, fmt_), k_shape[:-2], attrs)
    return (_spatial(attrs["strides"], fmt_), _spatial(attrs["dilations"], fmt_),
            [pads for _, pads in geometry], [out for out, _ in geometry])


def _check_backprop(op_type, g_shape, outs):
    if tuple(g_shape) != tuple(outs):
        raise errors.InvalidArgumentError(
            None, None, f"{op_type}: Size of out_backprop doesn't match computed: actual = "
            f"{fmt(g_shape)}, computed = {fmt(outs)}")


# -- shape and dtype rules -------------------------------------------------------------------------
def _conv_dtype(input, *others, **attrs):
    dtype = input.dtype.base_dtype
    if dtype not in _CONV_TYPES:
        raise TypeError(f"Value passed to parameter 'input' has DataType {dtype.name} not in "
                        f"list of allowed values: {', '.join(t.name for t in _CONV_TYPES)}")
    return dtype


def _check_attrs(rank, attrs):
    """TF checks strides and dilations of the batch and depth dims when the kernel runs."""
    outer = (0, rank - 1) if _channels_last(attrs["data_format"]) else (0, 1)
    for what in ("strides", "dilations"):
        if any(attrs[what][i] != 1 for i in outer):
            raise errors.UnimplementedError(
                None, None, f"Current implementation does not yet support {what} in the batch "
                "and depth dimensions.")


def _conv_out_shape(op_type, x_shape, k_shape, attrs, rank=4):
    """The static output shape of a convolution of inputs of these (static) shapes."""
    x_shape = (None,) * rank if x_shape is None else tuple(x_shape)
    k_shape = (None,) * rank if k_shape is None else tuple(k_shape)
    for shape, what in ((x_shape, "input"), (k_shape, "filter")):
        if len(shape) != rank:
            raise ValueError(f"Shape must be rank {rank} but is rank {len(shape)} for "
                             f"'{op_type}' ({what} shape {fmt(shape)})")
    fmt_ = attrs["data_format"]
    depth = x_shape[-1] if _channels_last(fmt_) else x_shape[1]
    if None not in (depth, k_shape[-2]) and depth != k_shape[-2]:
        raise ValueError(f"Depth of input ({depth}) is not a multiple of input depth of filter "
                         f"({k_shape[-2]}) for '{op_type}' with input shapes: {fmt(x_shape)}, "
                         f"{fmt(k_shape)}.")
    spatial = tuple(out for out, _ in _geometry(_spatial(x_shape, fmt_), k_shape[:-2], attrs))
    if _channels_last(fmt_):
        return (x_shape[0],) + spatial + (k_shape[-1],)
    return (x_shape[0], k_shape[-1]) + spatial


def _conv2d_shape(input, filter, **attrs):
    return _conv_out_shape("Conv2D", input._shape, filter._shape, attrs)


def _backprop_input_shape(input_sizes, filter, out_backprop, **attrs):
    sizes = shape_value(input_sizes)
    if sizes is not None and len(sizes) != 4:
        raise ValueError("Conv2DBackpropInput requires input_sizes to contain 4 values or 2 "
                         f"values, but got: {len(sizes)}")
    depth = out_backprop._shape and out_backprop._shape[
        -1 if _channels_last(attrs["data_format"]) else 1]
    out = filter._shape and filter._shape[-1]
    if None not in (depth, out) and depth != out:
        raise ValueError(f"Dimensions must be equal, but are {depth} and {out} for "
                         f"'Conv2DBackpropInput' with input shapes: {fmt(input_sizes._shape)}, "
                         f"{fmt(filter._shape)}, {fmt(out_backprop._shape)}.")
    return sizes


def _backprop_filter_shape(input, filter_sizes, out_backprop, **attrs):
    sizes = shape_value(filter_sizes)
    _conv_out_shape("Conv2DBackpropFilter", input._shape, sizes, attrs)
    return sizes


def _backprop_input_dtype(input_sizes, filter, out_backprop, **attrs):
    return _conv_dtype(filter)


# -- the ops ---------------------------------------------------------------------------------------
@register_op("Conv2D", shape=_conv2d_shape, dtype=_conv_dtype)
def _conv2d(input, filter, **attrs):
    fmt_ = attrs["data_format"]
    strides, dilations, pads, _ = _kernel_args(input.shape, filter.shape, attrs)
    return _from_last(_conv_forward(_to_last(input, fmt_), filter, strides, dilations, pads), fmt_)


@register_op("Conv2DBackpropInput", shape=_backprop_input_shape, dtype=_backprop_input_dtype)
def _conv2d_backprop_input(input_sizes, filter, out_backprop, **attrs):
    fmt_ = attrs["data_format"]
    strides, dilations, pads, outs = _kernel_args(input_sizes, filter.shape, attrs)
    g = _to_last(out_backprop, fmt_)
    _check_backprop("Conv2DCustomBackpropInput", g.shape[1:-1], outs)
    return _from_last(_conv_input_grad(_shape_to_last(input_sizes, fmt_), filter, g, strides,
                                       dilations, pads), fmt_)


@register_op("Conv2DBackpropFilter", shape=_backprop_filter_shape, dtype=_conv_dtype)
def _conv2d_backprop_filter(input, filter_sizes, out_backprop, **attrs):
    fmt_ = attrs["data_format"]
    strides, dilations, pads, outs = _kernel_args(input.shape, filter_sizes, attrs)
    g = _to_last(out_backprop, fmt_)
    _check_backprop("Conv2DCustomBackpropFilter", g.shape[1:-1], outs)
    return _conv_filter_grad(_to_last(input, fmt_), tuple(int(d) for d in filter_sizes), g,
                             strides, dilations, pads)


def _attrs_of(op):
    return {k: op.get_attr(k) for k in ("strides", "use_cudnn_on_gpu", "padding",
                                        "explicit_paddings", "data_format", "dilations")}


@_conv2d.gradient
def _conv2d_grad(op, grad):
    x, f = op.inputs
    attrs = _attrs_of(op)
    return [_conv2d_backprop_input.apply([shape_of(x), f, grad], **attrs),
            _conv2d_backprop_filter.apply([x, shape_of(f), grad], **attrs)]


@_conv2d_backprop_input.gradient
def _conv2d_backprop_input_grad(op, grad):
    sizes, f, dy = op.inputs
    attrs = _attrs_of(op)
    return [None, _conv2d_backprop_filter.apply([grad, shape_of(f), dy], **attrs),
            _conv2d.apply([grad, f], **attrs)]


@_conv2d_backprop_filter.gradient
def _conv2d_backprop_filter_grad(op, grad):
    x, sizes, dy = op.inputs
    attrs = _attrs_of(op)
    return [_conv2d_backprop_input.apply([shape_of(x), grad, dy], **attrs), None,
            _conv2d.apply([x, grad], **attrs)]


# -- the public functions --------------------------------------------------------------------------
def _sequence(value, n, channel_index, name):
    """A per-dimension attr of rank n + 2 from an int, n spatial values or all n + 2 (TF's
    `_get_sequence`)."""
    if value is None:
        return [1] * (n + 2)
    value = [int(v) for v in np.ravel(value).tolist()] if not isinstance(value, int) else [value]
    if len(value) == n + 2:
        return value
    if len(value) not in (1, n):
        raise ValueError(f"{name} should be of length 1, {n} or {n + 2}. Received: "
                         f"{name}={value} of length {len(value)}")
    spatial = value * n if len(value) == 1 else value
    full = [1] * (n + 2)
    start = 1 if channel_index != 1 else 2
    full[start:start + n] = spatial
    return full


def _padding_attrs(padding, rank, data_format):
    """(padding, explicit_paddings): a string, or a list of rank [before, after] pairs."""
    if isinstance(padding, (list, tuple)):
        pairs = [list(p) for p in padding]
        if len(pairs) != rank or any(len(p) != 2 for p in pairs):
            raise ValueError(f"When padding is a list, it must be of size {rank}. "
                             f"Received: padding={padding} of size {len(pairs)}")
        outer = (0, rank - 1) if _channels_last(data_format) else (0, 1)
        if any(pairs[i] != [0, 0] for i in outer):
            raise ValueError("Nonzero explicit padding in the batch or depth dimensions is "
                             f"not supported. Received: padding={padding}")
        return "EXPLICIT", [int(v) for p in pairs for v in p]
    if isinstance(padding, bytes):
        padding = padding.decode()
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"Attr 'padding' of 'Conv2D' Op passed string '{padding}' not in: "
                         '"SAME", "VALID", "EXPLICIT".')
    return padding, []


def conv_attrs(strides, padding, data_format, dilations, n=2):
    """The attrs of an n-D convolution op from a public function's arguments."""
    data_format = data_format or ("NHWC" if n == 2 else "NDHWC")
    channel_index = n + 1 if _channels_last(data_format) else 1
    padding, explicit = _padding_attrs(padding, n + 2, data_format)
    return dict(strides=_sequence(strides, n, channel_index, "strides"), padding=padding,
                explicit_paddings=explicit, data_format=data_format,
                dilations=_sequence(dilations, n, channel_index, "dilations"))


def _conv2d_attrs(strides, padding, data_format, dilations, use_cudnn_on_gpu):
    attrs = conv_attrs(strides, padding, data_format, dilations)
    attrs["use_cudnn_on_gpu"] = bool(use_cudnn_on_gpu)
    return attrs


def _one_of(a, b, names):
    if a is not None and b is not None:
        raise ValueError(f"Arguments `{names[0]}` and `{names[1]}` cannot both be specified.")
    return a if a is not None else b


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,
           data_format="NHWC", dilations=(1, 1, 1, 1), name=None, filters=None):
    """Computes a 2-D convolution of `input` with `filter` (a cross-correlation, as TF's).

    >>> x = tf.ones([1, 3, 3, 1])
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.nn.conv2d(x, tf.ones([2, 2, 1, 1]), 1, "VALID"))[0, :, :, 0])
    [[4. 4.]
     [4. 4.]]

    Args:
      input: a 4-D Tensor, [batch, height, width, channels] (NHWC) or [batch, channels,
        height, width] (NCHW); float16, bfloat16, float32, float64 or int32.
      filter: a 4-D Tensor [height, width, in_channels, out_channels] of `input`'s dtype.
      strides: an int or a list of 1, 2 or 4 ints, the step per dimension.
      padding: "SAME", "VALID", or a list of 4 [before, after] pairs in `data_format`'s order
        (zeros for the batch and channel dimensions).
      use_cudnn_on_gpu: accepted for TF's signature.
      data_format: "NHWC" (default) or "NCHW".
      dilations: an int or a list of 1, 2 or 4 ints, the filter's dilation per dimension.
      name: a name for the operation (default "Conv2D").
      filters: another name for `filter`.

    Returns:
      A 4-D Tensor of `input`'s dtype.

    Raises:
      ValueError: the ranks, channel counts, strides, dilations or padding are invalid.
      TypeError: the dtype is not supported.
    """
    filter = _one_of(filter, filters, ("filter", "filters"))
    attrs = _conv2d_attrs(strides, padding, data_format, dilations, use_cudnn_on_gpu)
    return _conv2d.apply([input, filter], name=name or "Conv2D", **attrs)


def conv2d_backprop_input(input_sizes, filter=None, out_backprop=None, strides=None,
                          padding=None, use_cudnn_on_gpu=True, data_format="NHWC",
                          dilations=(1, 1, 1, 1), name=None, filters=None):
    """Computes the gradient of conv2d with respect to its input.

    Args:
      input_sizes: the input's shape, a 1-D int32 Tensor (or list) of 4 values.
      filter: the 4-D filter [height, width, in_channels, out_channels].
      out_backprop: the gradient of the convolution's output, 4-D.
      strides, padding, use_cudnn_on_gpu, data_format, dilations: as in `conv2d`.
      name: a name for the operation (default "Conv2DBackpropInput").
      filters: another name for `filter`.

    Returns:
      A Tensor of shape `input_sizes` and `filter`'s dtype.

    Raises:
      ValueError: the shapes or attributes are invalid.
    """
    filter = _one_of(filter, filters, ("filter", "filters"))
    attrs = _conv2d_attrs(strides, padding, data_format, dilations, use_cudnn_on_gpu)
    return _conv2d_backprop_input.apply(
        [shape_tensor(input_sizes, name="input_sizes"), filter, out_backprop],
        name=name or "Conv2DBackpropInput", **attrs)


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,
                           use_cudnn_on_gpu=True, data_format="NHWC", dilations=(1, 1, 1, 1),
                           name=None):
    """Computes the gradient of conv2d with respect to its filter.

    Args:
      input: the convolution's 4-D input.
      filter_sizes: the filter's shape, a 1-D int32 Tensor (or list) of 4 values.
      out_backprop: the gradient of the convolution's output, 4-D.
      strides, padding, use_cudnn_on_gpu, data_format, dilations: as in `conv2d`.
      name: a name for the operation (default "Conv2DBackpropFilter").

    Returns:
      A Tensor of shape `filter_sizes` and `input`'s dtype.

    Raises:
      ValueError: the shapes or attributes are invalid.
    """
    attrs = _conv2d_attrs(strides, padding, data_format, dilations, use_cudnn_on_gpu)
    return _conv2d_backprop_filter.apply(
        [input, shape_tensor(filter_sizes, name="filter_sizes"), out_backprop],
        name=name or "Conv2DBackpropFilter", **attrs)

