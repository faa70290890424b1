"""The raw convolution ops TF 2.x adds at the top level: tf.conv (Conv, the generic 2-D/3-D
convolution with extra batch dimensions) and tf.conv2d_backprop_filter_v2 /
tf.conv2d_backprop_input_v2 (Conv2DBackpropFilterV2 / Conv2DBackpropInputV2, which take the
filter or input itself rather than its shape). TF registers no gradient for any of them, so
tf.gradients through them raises LookupError as TF's does.

Conv runs what TF's CPU kernel runs (channels last, one group) and raises TF's errors for the
rest. TF 2.21 has no CPU kernel for the two V2 backprops; minitf computes them (as Conv2D's
backprops with the sizes of the given tensor) instead of failing.
"""
import numpy as np

from minitf.framework import errors
from minitf.framework.registry import register_op
from minitf.ops._shared import fmt, no_gradient
from minitf.ops.conv_ops import (
    _backprop_input_dtype,
    _conv2d_backprop_filter,
    _conv2d_backprop_input,
    _conv_dtype,
    _conv_forward,
    _geometry,
)

__all__ = ["conv", "conv2d_backprop_filter_v2", "conv2d_backprop_input_v2"]



# -- Conv ------------------------------------------------------------------------------------------
def _last_attrs(attrs, rank):
    """The op's attrs as channels-last conv_ops attrs of this rank (dilations [] are ones)."""
    return dict(strides=attrs["strides"], dilations=attrs["dilations"] or [1] * rank,
                padding=attrs["padding"], explicit_paddings=attrs["explicit_paddings"],
                data_format="NHWC")


def _check_conv_attrs(rank, attrs):
    where = "for 'Conv'"
    if len(attrs["strides"]) != rank:
        raise ValueError(f"Stride attribute should contain {rank} values, but got: "
                         f"{len(attrs['strides'])} {where}")
    if attrs["dilations"] and len(attrs["dilations"]) != rank:
        raise ValueError(f"Conv requires the dilation attribute to contain {rank} values, but "
                         f"got: {len(attrs['dilations'])} {where}")
    explicit = attrs["explicit_paddings"]
    if attrs["padding"] != "EXPLICIT" and explicit:
        raise ValueError("explicit_paddings attribute must be empty if the padding attribute is "
                         f"not EXPLICIT {where}")
    if attrs["padding"] == "EXPLICIT" and len(explicit) != 2 * rank:
        raise ValueError(f"explicit_paddings attribute must contain {2 * rank} values, but got: "
                         f"{len(explicit)} {where}")
    if attrs["padding"] == "EXPLICIT" and any(explicit[i] for i in (0, 1, -2, -1)):
        raise ValueError("Nonzero explicit padding in the batch or depth dimensions is not "
                         f"supported {where}")


def _check_groups(depth, k_shape, groups, shapes):
    f_in, out = k_shape[-2], k_shape[-1]
    for value, what in ((depth, "input"), (out, "output")):
        if value is not None and value % groups:
            raise ValueError(f"Number of groups should divide {what} depth for 'Conv' with "
                             f"input shapes: {shapes}.")
    if None not in (depth, f_in) and depth // f_in != groups:
        raise ValueError("Input depth divided by filter input depth does not match with groups "
                         f"parameter ({groups}) for 'Conv' with input shapes: {shapes}.")


def _conv_shape(input, filter, **attrs):
    nb = attrs["batch_dims"]
    if input._shape is None:
        return None
    x, rank = tuple(input._shape), len(input._shape) - (nb - 1)
    if rank not in (4, 5):
        raise ValueError("Input tensor must be rank 4 or 5, excluding extra batch dimensions, but "
                         f"got: {rank} for 'Conv' with input shapes: {fmt(x)}.")
    k = (None,) * rank if filter._shape is None else tuple(filter._shape)
    shapes = f"{fmt(x)}, {fmt(k)}"
    if len(k) not in (4, 5):
        raise ValueError(f"Filter tensor must be rank 4 or 5, but got: {rank} for 'Conv' with "
                         f"input shapes: {shapes}.")
    if len(k) != rank:
        raise ValueError(f"Input tensor rank must be the same as filter rank. for 'Conv' with "
                         f"input shapes: {shapes}.")
    _check_conv_attrs(rank, attrs)
    last = attrs["data_format"] == "CHANNELS_LAST"
    inner = x[nb - 1:]
    spatial = inner[1:-1] if last else inner[2:]
    _check_groups(inner[-1] if last else inner[1], k, attrs["groups"], shapes)
    try:
        outs = tuple(o for o, _ in _geometry(spatial, k[:-2], _last_attrs(attrs, rank)))
    except ValueError as exc:
        raise ValueError(f"{exc} for 'Conv' with input shapes: {shapes}.") from None
    return x[:nb] + (outs + (k[-1],) if last else (k[-1],) + outs)


def _check_conv_run(rank, attrs):
    # what TF's CPU kernel refuses when it runs
    if attrs["groups"] != 1:
        raise errors.UnimplementedError(None, None, "Grouped/Depthwise Convolutions are not "
                                        "supported yet.")
    if attrs["data_format"] != "CHANNELS_LAST":
        given = "NCHW" if rank == 4 else "NCDHW"
        raise errors.UnimplementedError(
            None, None, f"The Conv{rank - 2}D op currently only supports the "
            f"{'NHWC' if rank == 4 else 'NDHWC'} tensor format on the CPU. The op was given the "
            f"format: {given}")
    for what, values in (("strides", attrs["strides"]), ("dilation rates", attrs["dilations"])):
        if values and (values[0] != 1 or values[-1] != 1):
            raise errors.InvalidArgumentError(None, None, "Current implementation does not "
                                              f"support {what} in the batch and depth dimensions.")


@register_op("Conv", shape=_conv_shape, dtype=_conv_dtype)
def _conv(input, filter, **attrs):
    nb = attrs["batch_dims"]
    rank = input.ndim - (nb - 1)
    _check_conv_run(rank, attrs)
    lead = input.shape[:nb]
    x = input.reshape((-1,) + input.shape[nb:])  # the extra batch dims folded into one
    conv_attrs = _last_attrs(attrs, rank)
    pads = [p for _, p in _geometry(x.shape[1:-1], filter.shape[:-2], conv_attrs)]
    y = _conv_forward(x, filter, conv_attrs["strides"][1:-1], conv_attrs["dilations"][1:-1],
                      pads)
    return y.reshape(lead + y.shape[1:])


no_gradient(_conv)


# -- the V2 backprops ------------------------------------------------------------------------------
def _rank_4(op_type, shape):
    # TF's shape rule: the given tensor's shape, of rank 4 (nothing else is checked)
    if shape is None:
        return (None,) * 4
    if len(shape) != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {len(shape)} for '{op_type}'")
    return shape


def _filter_v2_shape(input, filter, out_backprop, **attrs):
    return _rank_4("Conv2DBackpropFilterV2", filter._shape)


def _input_v2_shape(input, filter, out_backprop, **attrs):
    return _rank_4("Conv2DBackpropInputV2", input._shape)


@register_op("Conv2DBackpropFilterV2", shape=_filter_v2_shape, dtype=_conv_dtype)
def _conv2d_backprop_filter_v2(input, filter, out_backprop, **attrs):
    return _conv2d_backprop_filter.kernel(input, np.array(filter.shape), out_backprop, **attrs)


@register_op("Conv2DBackpropInputV2", shape=_input_v2_shape,
             dtype=lambda input, *rest, **attrs: _backprop_input_dtype(None, input, None))
def _conv2d_backprop_input_v2(input, filter, out_backprop, **attrs):
    return _conv2d_backprop_input.kernel(np.array(input.shape), filter, out_backprop, **attrs)


no_gradient(_conv2d_backprop_filter_v2, _conv2d_backprop_input_v2)


# -- the public functions --------------------------------------------------------------------------
def _attr_in(op_type, attr, value, allowed):
    if isinstance(value, bytes):
        value = value.decode()
    if value not in allowed:
        raise ValueError(f"Attr '{attr}' of '{op_type}' Op passed string '{value}' not in: "
                         + ", ".join(f'"{a}"' for a in allowed) + ".")
    return value


def _ints(value, what, op_name):
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"Expected list for '{what}' argument to '{op_name}' Op, not {value}.")
    return [int(v) for v in value]


def conv(input, filter, strides, padding, explicit_paddings=(), data_format="CHANNELS_LAST",
         dilations=(), batch_dims=1, groups=1, name=None):
    """Computes a 2-D or 3-D convolution with `batch_dims` leading batch dimensions (Conv).

    Args:
      input: a Tensor of rank `batch_dims + 3` or `batch_dims + 4`.
      filter: a Tensor [*spatial, in_channels / groups, out_channels].
      strides: a list of ints, one per dimension of a single batch dim's input.
      padding: "SAME", "VALID" or "EXPLICIT".
      explicit_paddings: with "EXPLICIT", a [before, after] pair per dimension, flattened.
      data_format: "CHANNELS_LAST" (default) or "CHANNELS_FIRST" (which the CPU does not run).
      dilations: a list like `strides` (default ones).
      batch_dims: the number of leading batch dimensions (default 1).
      groups: the number of channel groups (the CPU runs only 1).
      name: a name for the operation (default "Conv").

    Returns:
      A Tensor of `input`'s dtype.

    Raises:
      ValueError: an attr or the shapes are invalid.
      TypeError: `strides` or `dilations` is not a list, or the dtype is not supported.
    """
    padding = _attr_in("Conv", "padding", padding, ("SAME", "VALID", "EXPLICIT"))
    data_format = _attr_in("Conv", "data_format", data_format,
                           ("CHANNELS_FIRST", "CHANNELS_LAST"))
    return _conv.apply([input, filter], name=name or "Conv", strides=_ints(strides, "strides",
                                                                           "conv"),
                       padding=padding, explicit_paddings=[int(p) for p in explicit_paddings],
                       data_format=data_format, dilations=_ints(dilations, "dilations", "conv"),
                       batch_dims=int(batch_dims), groups=int(groups))


def _v2_attrs(op_name, strides, padding, use_cudnn_on_gpu, explicit_paddings, data_format,
              dilations):
    return dict(strides=_ints(strides, "strides", op_name),
                use_cudnn_on_gpu=bool(use_cudnn_on_gpu),
                padding=_attr_in(op_name, "padding", padding, ("SAME", "VALID", "EXPLICIT")),
                explicit_paddings=[int(p) for p in explicit_paddings],
                data_format=_attr_in(op_name, "data_format", data_format, ("NHWC", "NCHW")),
                dilations=_ints(dilations, "dilations", op_name))


def conv2d_backprop_filter_v2(input, filter, out_backprop, strides, padding,
                              use_cudnn_on_gpu=True, explicit_paddings=(), data_format="NHWC",
                              dilations=(1, 1, 1, 1), name=None):
    """The gradient of conv2d in its filter, shaped like `filter` (Conv2DBackpropFilterV2).

    Args:
      input: a 4-D Tensor, the convolution's input.
      filter: a 4-D Tensor; only its shape is used.
      out_backprop: a 4-D Tensor, the gradient of the convolution's output.
      strides, padding, explicit_paddings, data_format, dilations: as in conv2d's op.
      use_cudnn_on_gpu: accepted for TF's signature.
      name: a name for the operation (default "Conv2DBackpropFilterV2").

    Returns:
      A Tensor of `filter`'s shape and `input`'s dtype.

    Raises:
      ValueError: an attr or the shapes are invalid.
    """
    attrs = _v2_attrs("Conv2DBackpropFilterV2", strides, padding, use_cudnn_on_gpu,
                      explicit_paddings, data_format, list(dilations))
    return _conv2d_backprop_filter_v2.apply([input, filter, out_backprop],
                                            name=name or "Conv2DBackpropFilterV2", **attrs)


def conv2d_backprop_input_v2(input, filter, out_backprop, strides, padding,
                             use_cudnn_on_gpu=True, explicit_paddings=(), data_format="NHWC",
                             dilations=(1, 1, 1, 1), name=None):
    """The gradient of conv2d in its input, shaped like `input` (Conv2DBackpropInputV2).

    Args:
      input: a 4-D Tensor; only its shape is used.
      filter: a 4-D Tensor, the convolution's filter.
      out_backprop: a 4-D Tensor, the gradient of the convolution's output.
      strides, padding, explicit_paddings, data_format, dilations: as in conv2d's op.
      use_cudnn_on_gpu: accepted for TF's signature.
      name: a name for the operation (default "Conv2DBackpropInputV2").

    Returns:
      A Tensor of `input`'s shape and dtype.

    Raises:
      ValueError: an attr or the shapes are invalid.
    """
    attrs = _v2_attrs("Conv2DBackpropInputV2", strides, padding, use_cudnn_on_gpu,
                      explicit_paddings, data_format, list(dilations))
    return _conv2d_backprop_input_v2.apply([input, filter, out_backprop],
                                           name=name or "Conv2DBackpropInputV2", **attrs)
