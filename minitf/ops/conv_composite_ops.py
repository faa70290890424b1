"""Convolutions TF composes from Conv2D and its backprops: conv1d (a height of 1 added),
conv2d_transpose (Conv2DBackpropInput with an output shape), convolution (by rank; a dilated
one through SpaceToBatchND / BatchToSpaceND, as TF's `with_space_to_batch`) and atrous_conv2d.
"""
import numpy as np

from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.ops import manip_ops
from minitf.ops.conv_ops import _one_of, _sequence, conv2d, conv2d_backprop_input
from minitf.ops.space_batch_ops import batch_to_space_nd, space_to_batch_nd

__all__ = ["conv1d", "conv2d_transpose", "convolution", "atrous_conv2d"]


def conv1d(value=None, filters=None, stride=None, padding=None, use_cudnn_on_gpu=None,
           data_format=None, name=None, input=None, dilations=None):
    """Computes a 1-D convolution of `value` with `filters`, through a 2-D one as TF does.

    Args:
      value: a 3-D Tensor, [batch, width, channels] (NWC) or [batch, channels, width] (NCW).
      filters: a 3-D Tensor [width, in_channels, out_channels].
      stride: an int or a list of 1 or 3 ints.
      padding: "SAME" or "VALID".
      use_cudnn_on_gpu: accepted for TF's signature.
      data_format: "NWC" (default) or "NCW".
      name: a name for the operation (default "conv1d").
      input: another name for `value`.
      dilations: an int or a list of 1 or 3 ints.

    Returns:
      A 3-D Tensor of `value`'s dtype.

    Raises:
      ValueError: `data_format` or the other arguments are invalid.
    """
    value = _one_of(value, input, ("value", "input"))
    with name_scope(name, "conv1d", [value, filters]) as name:
        if data_format in (None, "NHWC", "NWC"):
            data_format, axis, channel_index = "NHWC", -3, 2
        elif data_format in ("NCHW", "NCW"):
            data_format, axis, channel_index = "NCHW", -2, 1
        else:
            raise ValueError("`data_format` must be 'NWC' or 'NCW'. Received: "
                             f"data_format={data_format}")
        strides = [1] + _sequence(stride, 1, channel_index, "stride")
        dilations = [1] + _sequence(dilations, 1, channel_index, "dilations")
        value = manip_ops.expand_dims(convert_to_tensor(value), axis)
        filters = manip_ops.expand_dims(convert_to_tensor(filters), 0)
        result = conv2d(value, filters, strides, padding, data_format=data_format,
                        dilations=dilations, name=name)
        return manip_ops.squeeze(result, [axis])


def conv2d_transpose(value=None, filter=None, output_shape=None, strides=None, padding="SAME",
                     data_format="NHWC", name=None, input=None, filters=None, dilations=None):
    """The transpose of conv2d (its gradient in the input), of shape `output_shape`.

    Args:
      value: a 4-D Tensor, the input of the transposed convolution.
      filter: a 4-D Tensor [height, width, output_channels, in_channels].
      output_shape: the output's shape, a 1-D Tensor (or list) of 4 ints.
      strides, padding, data_format, dilations: as in `conv2d`.
      name: a name for the operation (default "conv2d_transpose").
      input: another name for `value`.
      filters: another name for `filter`.

    Returns:
      A Tensor of shape `output_shape` and `value`'s dtype.

    Raises:
      ValueError: the shapes do not agree.
    """
    value = _one_of(value, input, ("value", "input"))
    filter = _one_of(filter, filters, ("filter", "filters"))
    with name_scope(name, "conv2d_transpose", [value, filter, output_shape]) as name:
        return conv2d_backprop_input(output_shape, filter, value, strides, padding,
                                     data_format=data_format, dilations=dilations, name=name)


def _space_to_batch_pads(x, filter, rate, padding):
    """(paddings, crops) around a VALID convolution of the blocks, as TF's
    `required_space_to_batch_paddings`: the base padding, then enough to fill the blocks."""
    n = len(rate)
    sizes, ks = x._shape[1:1 + n], filter._shape[:n]
    paddings, crops = [], []
    for size, k, r in zip(sizes, ks, rate):
        total = (k - 1) * r if padding == "SAME" else 0
        lo, hi = total // 2, total - total // 2
        extra = (r - (size + lo + hi) % r) % r
        paddings.append([lo, hi + extra])
        crops.append([0, extra])
    return paddings, crops


def convolution(input, filter=None, padding=None, strides=None, dilation_rate=None, name=None,
                data_format=None, filters=None, dilations=None):
    """Computes an N-D convolution (N = 1 or 2): conv1d or conv2d by the input's rank.

    A dilated channels-last convolution runs, as TF's, as a VALID convolution of the blocks
    SpaceToBatchND makes, put back by BatchToSpaceND.

    Args:
      input: a Tensor of rank N + 2 (known).
      filter: a Tensor of rank N + 2, [*spatial, in_channels, out_channels].
      padding: "SAME" or "VALID".
      strides: a list of N ints (default ones); must be ones when dilated.
      dilation_rate: a list of N ints (default ones).
      name: a name for the operation (default "convolution").
      data_format: None (channels last), "NWC", "NCW", "NHWC" or "NCHW".
      filters: another name for `filter`.
      dilations: another name for `dilation_rate`.

    Returns:
      A Tensor of `input`'s dtype.

    Raises:
      ValueError: the rank is not 3 or 4, or strides and dilations are both above 1.
    """
    filter = _one_of(filter, filters, ("filter", "filters"))
    rate = _one_of(dilation_rate, dilations, ("dilation_rate", "dilations"))
    with name_scope(name, "convolution", [input, filter]) as name:
        input = convert_to_tensor(input, name="input")
        filter = convert_to_tensor(filter, name="filter")
        rank = None if input._shape is None else len(input._shape)
        if rank not in (3, 4):
            raise ValueError(f"`input` must have rank 3 or 4 in minitf's convolution. "
                             f"Received: input.shape={input.shape}")
        n = rank - 2
        rate = [1] * n if rate is None else [int(r) for r in np.ravel(rate)]
        strides = [1] * n if strides is None else [int(s) for s in np.ravel(strides)]
        conv = conv1d if n == 1 else conv2d
        # (channels first, or sizes known only when run: the Conv2D's own dilations)
        last = data_format is None or not data_format.startswith("NC")
        known = None not in input._shape[1:1 + n] + tuple(filter._shape or (None,))[:n]
        if all(r == 1 for r in rate) or not last or not known:
            return conv(input, filter, strides, padding, data_format=data_format,
                        dilations=rate, name=name)
        if any(s != 1 for s in strides):
            raise ValueError("`strides` > 1 not supported in conjunction with `dilation_rate` "
                             f"> 1. Received: strides={strides} and dilation_rate={rate}")
        paddings, crops = _space_to_batch_pads(input, filter, rate, padding)
        blocks = space_to_batch_nd(input, rate, paddings)
        out = conv(blocks, filter, strides, "VALID", data_format=data_format, name=name)
        return batch_to_space_nd(out, rate, crops)


def atrous_conv2d(value, filters, rate, padding, name=None):
    """A 2-D convolution with holes: `filters` dilated by `rate` in height and width.

    Args:
      value: a 4-D NHWC Tensor.
      filters: a 4-D Tensor [height, width, in_channels, out_channels].
      rate: a positive int, the dilation.
      padding: "SAME" or "VALID".
      name: a name for the operation (default "convolution").

    Returns:
      A 4-D Tensor of `value`'s dtype.
    """
    return convolution(value, filters, padding, dilation_rate=np.broadcast_to(rate, (2,)),
                       name=name)
