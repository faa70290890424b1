"""Depthwise convolutions: DepthwiseConv2dNative and its backprops (ops of their own with their
own gradients, as TF's), depthwise_conv2d (dilated through SpaceToBatchND as TF's) and
separable_conv2d (depthwise, then a 1x1 Conv2D).

Each input channel c is convolved with its own `channel_multiplier` filters, giving output
channels c * multiplier + m; the kernels reuse conv_ops' im2col and col2im.
"""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant, convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops import conv_ops as _conv
from minitf.ops._shared import fmt, shape_of, shape_tensor, shape_value
from minitf.ops.conv_composite_ops import _space_to_batch_pads
from minitf.ops.space_batch_ops import batch_to_space_nd, space_to_batch_nd

__all__ = ["depthwise_conv2d", "depthwise_conv2d_native",
           "depthwise_conv2d_native_backprop_input", "depthwise_conv2d_native_backprop_filter",
           "separable_conv2d"]

_TYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)
_ATTRS = ("strides", "padding", "explicit_paddings", "data_format", "dilations")


def _dtype(*inputs, **attrs):
    # (.base_dtype: a variable filter's gradient sees its _ref dtype)
    dtype = (inputs[0] if inputs[0].dtype.is_floating else inputs[1]).dtype.base_dtype
    if dtype not in _TYPES:
        raise TypeError(f"Value passed to parameter 'input' has DataType {dtype.name} not in "
                        f"list of allowed values: {', '.join(t.name for t in _TYPES)}")
    return dtype.base_dtype


def _out_shape(op_type, x_shape, k_shape, attrs):
    fmt_ = attrs["data_format"]
    x_shape = (None,) * 4 if x_shape is None else tuple(x_shape)
    k_shape = (None,) * 4 if k_shape is None else tuple(k_shape)
    if len(x_shape) != 4 or len(k_shape) != 4:
        raise ValueError(f"Shape must be rank 4 for '{op_type}' with input shapes: "
                         f"{fmt(x_shape)}, {fmt(k_shape)}.")
    last = _conv._channels_last(fmt_)
    depth = x_shape[-1] if last else x_shape[1]
    if None not in (depth, k_shape[2]) and depth != k_shape[2]:
        raise ValueError(f"Dimensions must be equal, but are {depth} and {k_shape[2]} for "
                         f"'{op_type}' with input shapes: {fmt(x_shape)}, {fmt(k_shape)}.")
    spatial = tuple(o for o, _ in _conv._geometry(_conv._spatial(x_shape, fmt_), k_shape[:2],
                                                  attrs))
    out = None if None in (depth, k_shape[3]) else depth * k_shape[3]
    return (x_shape[0],) + spatial + (out,) if last else (x_shape[0], out) + spatial


def _cols(x, f_shape, attrs):
    strides, dilations, pads, outs = _conv._kernel_args(x.shape, f_shape, attrs)
    xl = _conv._to_last(x, attrs["data_format"])
    return _conv._patches(_conv._padded(xl, pads), f_shape[:2], strides, dilations, outs), pads


def _grad4(g, c, attrs):
    """The output gradient channels-last, its channels split into (C, multiplier)."""
    g = _conv._to_last(g, attrs["data_format"])
    return g.reshape(g.shape[:-1] + (c, -1))


@register_op("DepthwiseConv2dNative", dtype=_dtype,
             shape=lambda input, filter, **a: _out_shape("DepthwiseConv2dNative", input._shape,
                                                         filter._shape, a))
def _depthwise(input, filter, **attrs):
    cols, _ = _cols(input, filter.shape, attrs)
    y = np.einsum("...abc,abcm->...cm", cols, filter)
    y = y.reshape(y.shape[:-2] + (-1,)).astype(input.dtype, copy=False)
    return _conv._from_last(y, attrs["data_format"])


@register_op("DepthwiseConv2dNativeBackpropInput", dtype=_dtype,
             shape=lambda input_sizes, filter, out_backprop, **a: shape_value(input_sizes))
def _depthwise_input(input_sizes, filter, out_backprop, **attrs):
    fmt_ = attrs["data_format"]
    strides, dilations, pads, outs = _conv._kernel_args(input_sizes, filter.shape, attrs)
    g = _grad4(out_backprop, filter.shape[2], attrs)
    _conv._check_backprop("DepthwiseConv2DBackpropInput", g.shape[1:-2], outs)
    dcols = np.einsum("...cm,abcm->...abc", g, filter)
    dx = _conv._col2im(_conv._shape_to_last(input_sizes, fmt_), dcols, strides, dilations, pads)
    return _conv._from_last(dx.astype(filter.dtype, copy=False), fmt_)


@register_op("DepthwiseConv2dNativeBackpropFilter", dtype=_dtype,
             shape=lambda input, filter_sizes, out_backprop, **a: shape_value(filter_sizes))
def _depthwise_filter(input, filter_sizes, out_backprop, **attrs):
    sizes = tuple(int(d) for d in filter_sizes)
    cols, _ = _cols(input, sizes, attrs)
    g = _grad4(out_backprop, sizes[2], attrs)
    n = g.ndim - 2
    return np.einsum(cols, list(range(n)) + [10, 11, 12], g, list(range(n)) + [12, 13],
                     [10, 11, 12, 13]).astype(input.dtype, copy=False)


def _attrs_of(op):
    return {k: op.get_attr(k) for k in _ATTRS}


@_depthwise.gradient
def _depthwise_grad(op, grad):
    x, f = op.inputs
    attrs = _attrs_of(op)
    return [_depthwise_input.apply([shape_of(x), f, grad], **attrs),
            _depthwise_filter.apply([x, shape_of(f), grad], **attrs)]


@_depthwise_input.gradient
def _depthwise_input_grad(op, grad):
    _, f, dy = op.inputs
    attrs = _attrs_of(op)
    return [None, _depthwise_filter.apply([grad, shape_of(f), dy], **attrs),
            _depthwise.apply([grad, f], **attrs)]


@_depthwise_filter.gradient
def _depthwise_filter_grad(op, grad):
    x, _, dy = op.inputs
    attrs = _attrs_of(op)
    return [_depthwise_input.apply([shape_of(x), grad, dy], **attrs), None,
            _depthwise.apply([x, grad], **attrs)]


_native_attrs = _conv.conv_attrs  # (the depthwise ops take Conv2D's attrs but use_cudnn_on_gpu)


def depthwise_conv2d_native(input, filter, strides, padding, data_format="NHWC",
                            dilations=(1, 1, 1, 1), name=None):
    """The depthwise 2-D convolution op: each input channel with its own filters.

    Args:
      input: a 4-D float Tensor (NHWC or NCHW).
      filter: a 4-D Tensor [height, width, in_channels, channel_multiplier].
      strides, padding, data_format, dilations: as in `conv2d`.
      name: a name for the operation (default "DepthwiseConv2dNative").

    Returns:
      A 4-D Tensor with in_channels * channel_multiplier channels.

    Raises:
      ValueError: the shapes do not agree.
    """
    return _depthwise.apply([input, filter], name=name or "DepthwiseConv2dNative",
                            **_native_attrs(strides, padding, data_format, dilations))


def depthwise_conv2d_native_backprop_input(input_sizes, filter, out_backprop, strides, padding,
                                           data_format="NHWC", dilations=(1, 1, 1, 1),
                                           name=None):
    """The gradient of depthwise_conv2d_native in its input.

    Args:
      input_sizes: the input's shape, 4 ints.
      filter: the 4-D filter.
      out_backprop: the gradient of the output.
      strides, padding, data_format, dilations: as in `conv2d`.
      name: a name for the operation (default "DepthwiseConv2dNativeBackpropInput").

    Returns:
      A Tensor of shape `input_sizes`.
    """
    return _depthwise_input.apply(
        [shape_tensor(input_sizes, name="input_sizes"), filter, out_backprop],
        name=name or "DepthwiseConv2dNativeBackpropInput",
        **_native_attrs(strides, padding, data_format, dilations))


def depthwise_conv2d_native_backprop_filter(input, filter_sizes, out_backprop, strides, padding,
                                            data_format="NHWC", dilations=(1, 1, 1, 1),
                                            name=None):
    """The gradient of depthwise_conv2d_native in its filter.

    Args:
      input: the convolution's 4-D input.
      filter_sizes: the filter's shape, 4 ints.
      out_backprop: the gradient of the output.
      strides, padding, data_format, dilations: as in `conv2d`.
      name: a name for the operation (default "DepthwiseConv2dNativeBackpropFilter").

    Returns:
      A Tensor of shape `filter_sizes`.
    """
    return _depthwise_filter.apply(
        [input, shape_tensor(filter_sizes, name="filter_sizes"), out_backprop],
        name=name or "DepthwiseConv2dNativeBackpropFilter",
        **_native_attrs(strides, padding, data_format, dilations))


def _depthwise_scoped(input, filter, strides, padding, rate, data_format, name):
    """Inside the caller's scope: the op named `name`, dilated through SpaceToBatchND."""
    rate = [1, 1] if rate is None else [int(r) for r in np.broadcast_to(rate, (2,))]
    last = data_format is None or _conv._channels_last(data_format)
    known = input._shape is not None and None not in input._shape[1:3] + filter._shape[:2]
    if rate == [1, 1] or not last or not known:
        return depthwise_conv2d_native(input, filter, strides, padding, data_format or "NHWC",
                                       dilations=[1] + rate + [1] if last else [1, 1] + rate,
                                       name=name)
    paddings, crops = _space_to_batch_pads(input, filter, rate, padding)
    blocks = space_to_batch_nd(input, rate, paddings)
    out = depthwise_conv2d_native(blocks, filter, strides, "VALID", name=name)
    return batch_to_space_nd(out, rate, crops)


def depthwise_conv2d(input, filter, strides, padding, rate=None, name=None, data_format=None,
                     dilations=None):
    """A depthwise 2-D convolution, dilated by `rate` (through SpaceToBatchND, as TF's).

    Args:
      input: a 4-D float Tensor.
      filter: a 4-D Tensor [height, width, in_channels, channel_multiplier].
      strides: a list of 4 ints (ones in the batch and channel dimensions).
      padding: "SAME" or "VALID".
      rate: 1 or 2 ints, the dilation (default 1).
      name: a name for the operation (default "depthwise").
      data_format: "NHWC" (default) or "NCHW".
      dilations: another name for `rate`.

    Returns:
      A 4-D Tensor with in_channels * channel_multiplier channels.
    """
    rate = _conv._one_of(rate, dilations, ("rate", "dilations"))
    with name_scope(name, "depthwise", [input, filter]) as name:
        input = convert_to_tensor(input, name="input")
        filter = convert_to_tensor(filter, name="filter")
        return _depthwise_scoped(input, filter, strides, padding, rate, data_format, name)


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding, rate=None,
                     name=None, data_format=None, dilations=None):
    """A depthwise convolution followed by a 1x1 convolution mixing the channels.

    Args:
      input: a 4-D float Tensor.
      depthwise_filter: [height, width, in_channels, channel_multiplier].
      pointwise_filter: [1, 1, in_channels * channel_multiplier, out_channels].
      strides: a list of 4 ints, the depthwise step.
      padding: "SAME" or "VALID".
      rate: 1 or 2 ints, the depthwise dilation.
      name: a name for the operation (default "separable_conv2d").
      data_format: "NHWC" (default) or "NCHW".
      dilations: another name for `rate`.

    Returns:
      A 4-D Tensor with out_channels channels.
    """
    rate = _conv._one_of(rate, dilations, ("rate", "dilations"))
    with name_scope(name, "separable_conv2d", [input, depthwise_filter, pointwise_filter]) as sc:
        input = convert_to_tensor(input, name="input")
        depthwise_filter = convert_to_tensor(depthwise_filter, name="depthwise_filter")
        pointwise_filter = convert_to_tensor(pointwise_filter, name="pointwise_filter")
        constant(np.broadcast_to(1 if rate is None else rate, (2,)).astype(np.int32),
                 name="dilation_rate")
        depthwise = _depthwise_scoped(input, depthwise_filter, strides, padding, rate,
                                      data_format, "depthwise")
        return _conv.conv2d(depthwise, pointwise_filter, [1, 1, 1, 1], "VALID",
                            data_format=data_format or "NHWC", name=sc)
