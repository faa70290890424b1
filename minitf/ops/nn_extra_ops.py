"""tf.nn's other names and thin composites, built from existing ops as TF builds them: the
transposed convolutions by rank (conv1d_transpose, conv_transpose, atrous_conv2d_transpose),
with_space_to_batch and TF's aliases (the statistics helpers are in nn_stats_ops.py).
"""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.ops import manip_ops
from minitf.ops._shared import shape as _shape
from minitf.ops.conv3d_ops import conv3d_backprop_filter_v2, conv3d_transpose
from minitf.ops.conv_composite_ops import conv2d_transpose
from minitf.ops.conv_ops import _sequence, conv2d_backprop_input
from minitf.ops.depthwise_conv_ops import (
    depthwise_conv2d_native_backprop_filter,
    depthwise_conv2d_native_backprop_input,
)
from minitf.ops.shape_ops import depth_to_space, space_to_depth
from minitf.ops.space_batch_ops import (
    batch_to_space,
    batch_to_space_nd,
    required_space_to_batch_paddings,
    space_to_batch,
    space_to_batch_nd,
)

__all__ = ["conv1d_transpose", "conv_transpose", "atrous_conv2d_transpose", "with_space_to_batch",
           "depth_to_space", "space_to_depth", "conv3d_backprop_filter",
           "depthwise_conv2d_backprop_filter", "depthwise_conv2d_backprop_input"]

# TF's other names for ops minitf has (tf.nn.conv3d_backprop_filter is the V2 op, as TF's)
conv3d_backprop_filter = conv3d_backprop_filter_v2
depthwise_conv2d_backprop_filter = depthwise_conv2d_native_backprop_filter
depthwise_conv2d_backprop_input = depthwise_conv2d_native_backprop_input


# -- transposed convolutions -----------------------------------------------------------------------
def conv1d_transpose(input, filters, output_shape, strides, padding="SAME", data_format="NWC",
                     dilations=None, name=None):
    """The transpose of conv1d, through a 2-D one with a height of 1 (as TF's).

    Args:
      input: a 3-D Tensor, NWC or NCW.
      filters: a 3-D Tensor [width, output_channels, in_channels].
      output_shape: the output's shape, a 1-D Tensor (or list) of 3 ints.
      strides: an int or a list of 1 or 3 ints.
      padding: "SAME" or "VALID".
      data_format: "NWC" (default) or "NCW".
      dilations: an int or a list of 1 or 3 ints.
      name: a name for the operation (default "conv1d_transpose").

    Returns:
      A 3-D Tensor of shape `output_shape` and `input`'s dtype.

    Raises:
      ValueError: `data_format` or the shapes are invalid.
    """
    with name_scope(name, "conv1d_transpose", [input, filters, output_shape]) as name:
        if data_format in (None, "NWC"):
            data_format, axis, channel_index = "NHWC", 1, 2
        elif data_format == "NCW":
            data_format, axis, channel_index = "NCHW", 2, 1
        else:
            raise ValueError("`data_format` must be 'NWC' or 'NCW'. Received: "
                             f"data_format={data_format}")
        strides = [1] + _sequence(strides, 1, channel_index, "stride")
        dilations = [1] + _sequence(dilations, 1, channel_index, "dilations")
        input = manip_ops.expand_dims(input, axis)
        filters = manip_ops.expand_dims(filters, 0)
        if hasattr(output_shape, "_shape"):
            output_shape = manip_ops.concat([output_shape[:axis], [1], output_shape[axis:]], 0)
        else:  # (a list stays one, so the output's static shape is known)
            output_shape = list(output_shape)[:axis] + [1] + list(output_shape)[axis:]
        result = conv2d_backprop_input(output_shape, filters, input, strides, padding,
                                       data_format=data_format, dilations=dilations, name=name)
        return manip_ops.squeeze(result, axis)


def _conv2d_transpose(input, filters, output_shape, strides, padding, data_format, dilations,
                      name):
    return conv2d_transpose(input, filters, output_shape, strides, padding,
                            data_format or "NHWC", name, dilations=dilations)


def _conv3d_transpose(input, filters, output_shape, strides, padding, data_format, dilations,
                      name):
    return conv3d_transpose(input, filters, output_shape, strides, padding,
                            data_format or "NDHWC", name, dilations=dilations)


def conv_transpose(input, filters, output_shape, strides, padding="SAME", data_format=None,
                   dilations=None, name=None):
    """The transpose of an N-D convolution (N = 1, 2 or 3, from `output_shape`'s length).

    Args:
      input: a Tensor of rank N + 2.
      filters: a Tensor of rank N + 2, [*spatial, output_channels, in_channels].
      output_shape: the output's shape, a 1-D Tensor (or list) of N + 2 ints.
      strides: an int or a list of 1, N or N + 2 ints.
      padding: "SAME" or "VALID".
      data_format: channels last (None, the default) or channels first ("NC..."), as in the
        N-D function.
      dilations: an int or a list of 1, N or N + 2 ints.
      name: a name for the operation (default "conv_transpose").

    Returns:
      A Tensor of shape `output_shape` and `input`'s dtype.

    Raises:
      ValueError: `output_shape` is not sized, or not of length 3, 4 or 5.
    """
    with name_scope(name, "conv_transpose", [input, filters, output_shape]) as name:
        if hasattr(output_shape, "_shape"):
            n = output_shape.shape[0] - 2
        elif hasattr(output_shape, "__len__"):
            n = len(output_shape) - 2
        else:
            raise ValueError("`output_shape` must be a tensor or sized collection. Received: "
                             f"output_shape={output_shape}")
        if not 1 <= n <= 3:
            raise ValueError(f"`output_shape` must be of length 3, 4 or 5. Received: "
                             f"output_shape={output_shape} of length {n + 2}.")
        op = (conv1d_transpose, _conv2d_transpose, _conv3d_transpose)[n - 1]
        return op(input, filters, output_shape, strides, padding, data_format, dilations, name)


def _atrous_checks(value, filters, output_shape, rate):
    v, f = value.shape, filters.shape
    if not v[3].is_compatible_with(f[3]):
        raise ValueError("`value` channel count must be compatible with `filters` input channel "
                         f"count. Received: value.shape={v} with channel count {v[3]} and "
                         f"filters.shape={f} with input channel count {f[3]}.")
    if rate < 1:
        raise ValueError(f"`rate` cannot be less than one. Received: rate={rate}")
    if rate > 1 and not convert_to_tensor(output_shape).shape.is_compatible_with([4]):
        raise ValueError("`output_shape` must have shape (4,). Received: output_shape="
                         f"{convert_to_tensor(output_shape).shape}")
    if rate > 1 and isinstance(output_shape, (list, tuple, np.ndarray)) and \
            not f[2].is_compatible_with(output_shape[3]):
        raise ValueError("`output_shape` channel count must be compatible with `filters` output "
                         f"channel count. Received: output_shape={list(output_shape)} with "
                         f"channel count {output_shape[3]} and filters.shape={f} with output "
                         f"channel count {f[3]}.")


def atrous_conv2d_transpose(value, filters, output_shape, rate, padding, name=None):
    """The transpose of atrous_conv2d, through space_to_batch as TF builds it.

    space_to_batch, a VALID transposed convolution of the blocks, then batch_to_space.

    Args:
      value: a 4-D NHWC Tensor.
      filters: a 4-D Tensor [height, width, output_channels, in_channels] of known shape.
      output_shape: the output's shape, a list of 4 ints.
      rate: a positive int, the dilation.
      padding: "SAME" or "VALID".
      name: a name for the operation (default "atrous_conv2d_transpose").

    Returns:
      A 4-D Tensor of shape `output_shape` and `value`'s dtype.

    Raises:
      ValueError: the channels disagree, `rate` < 1, `padding` or `output_shape` is invalid.
    """
    with name_scope(name, "atrous_conv2d_transpose", [value, filters, output_shape]):
        value = convert_to_tensor(value, name="value")
        filters = convert_to_tensor(filters, name="filters")
        _atrous_checks(value, filters, output_shape, rate)
        if rate == 1:
            return conv2d_transpose(value, filters, output_shape, [1, 1, 1, 1], padding)
        if padding not in ("SAME", "VALID"):
            raise ValueError("`padding` must be either 'VALID' or 'SAME'. Received: "
                             f"padding={padding}")
        output_shape = [int(d) for d in output_shape]
        kh, kw = filters.shape.as_list()[:2]
        pads = [(k - 1) * rate if padding == "SAME" else 0 for k in (kh, kw)]
        pads = [(p // 2, p - p // 2) for p in pads]
        sizes = [output_shape[1 + i] + sum(pads[i]) for i in range(2)]
        extra = [(rate - s % rate) % rate for s in sizes]
        value = space_to_batch(value, [[0, extra[0]], [0, extra[1]]], block_size=rate)
        input_sizes = [rate * rate * output_shape[0], (sizes[0] + extra[0]) // rate,
                       (sizes[1] + extra[1]) // rate, output_shape[3]]
        value = conv2d_backprop_input(input_sizes, filters, value, [1, 1, 1, 1], "VALID")
        crops = [[pads[i][0], pads[i][1] + extra[i]] for i in range(2)]
        return batch_to_space(value, crops, block_size=rate)


# -- with_space_to_batch ---------------------------------------------------------------------------
def _filled(values, fill, spatial_dims):
    """`values` (one row per spatial dim) with `fill` rows for the dims between them, from
    dim 1 on (TF's `_with_space_to_batch_adjust`)."""
    rows, previous = [], 0
    for i, d in enumerate(spatial_dims):
        rows += [fill] * (d - 1 - previous) + [values[i]]
        previous = d
    return rows


def _space_to_batch_geometry(input, rate, padding, filter_shape, spatial_dims):
    if padding == "SAME":
        if filter_shape is None:
            raise ValueError("`filter_shape` must be specified for `padding='SAME'`. Received: "
                             f"filter_shape={filter_shape} and padding={padding}")
        extra = (np.asarray(filter_shape)[:len(rate)] - 1) * rate
        base = np.stack([extra // 2, extra - extra // 2], 1)
    elif padding == "VALID":
        base = np.zeros([len(rate), 2], np.int32)
    else:
        raise ValueError(f"`padding` must be one of 'SAME' or 'VALID'. Received: padding={padding}")
    dims = input.shape.as_list() if input.shape.ndims is not None else None
    sizes = [dims[i] for i in spatial_dims] if dims is not None else [None]
    if None not in sizes:  # NumPy then, as TF's: the blocks' static shapes stay known
        extra = (rate - (np.array(sizes) + base.sum(1)) % rate) % rate
        zero = np.zeros_like(extra)
        return base + np.stack([zero, extra], 1), np.stack([zero, extra], 1)
    shape = _shape(input)
    sizes = manip_ops.stack([shape[i] for i in spatial_dims])
    return required_space_to_batch_paddings(sizes, rate, base)


def _adjusted(t, n, spatial_dims):
    """`t`'s rows for the spatial dims, with [0, 0] rows for the dims between them."""
    if spatial_dims == list(range(1, n + 1)):
        return t
    if isinstance(t, np.ndarray):
        return np.array(_filled(list(t), [0, 0], spatial_dims), np.int32)
    return manip_ops.concat(_filled([t[i:i + 1] for i in range(n)], np.zeros([1, 2], np.int32),
                                    spatial_dims), 0)


def with_space_to_batch(input, dilation_rate, padding, op, filter_shape=None, spatial_dims=None,
                        data_format=None):
    """Runs `op` dilated: on the space_to_batch_nd blocks of `input`, put back after.

    `op(blocks, num_spatial_dims, "VALID")` runs on the blocks and batch_to_space_nd puts its
    result back (TF's way to dilate an op). With every rate 1 it is
    `op(input, num_spatial_dims, padding)`.

    Args:
      input: a Tensor of rank at least `max(spatial_dims) + 1`.
      dilation_rate: a 1-D list of positive ints (known when the graph is built).
      padding: "SAME" or "VALID".
      op: a function (input, num_spatial_dims, padding) -> Tensor.
      filter_shape: the filter's shape (its spatial part first), needed for "SAME".
      spatial_dims: the input's spatial dims, increasing (default: those after the batch dim,
        after the channels dim too when `data_format` starts with "NC").
      data_format: None or a format string; "NC..." puts the channels before the spatial dims.

    Returns:
      The Tensor `op` gives, in the input's spatial layout.

    Raises:
      ValueError: the rate, `spatial_dims`, `padding` or the input's rank is invalid.
    """
    input = convert_to_tensor(input, name="input")
    rate_t = convert_to_tensor(dilation_rate, dtypes.int32, name="dilation_rate")
    if rate_t.shape.ndims not in (None, 1):
        raise ValueError(f"`dilation_rate.shape.rank` must be 1. Received: dilation_rate={rate_t}"
                         f" of rank {rate_t.shape.ndims}")
    rate = constant_value(rate_t)
    if rate is None:
        raise ValueError("`dilation_rate` must be known when the graph is built in minitf. "
                         f"Received: dilation_rate={rate_t}")
    n = len(rate)
    start = 2 if data_format is not None and data_format.startswith("NC") else 1
    given = list(range(start, start + n)) if spatial_dims is None else list(spatial_dims)
    spatial_dims = sorted(set(int(d) for d in given))
    if spatial_dims != given or any(d < 1 for d in spatial_dims):
        raise ValueError("`spatial_dims` must be a monotonically increasing sequence of positive "
                         f"integers. Received: spatial_dims={given}")
    need = spatial_dims[-1] + (0 if start == 2 else 1)
    if input.shape.ndims is not None and input.shape.ndims < need:
        raise ValueError(f"`input.shape.rank` must be at least {need}. Received: "
                         f"input.shape={input.shape} with rank {input.shape.ndims}")
    if np.any(rate < 1):
        raise ValueError(f"`dilation_rate` must be positive. Received: dilation_rate={rate}")
    if np.all(rate == 1):
        return op(input, n, padding)
    paddings, crops = _space_to_batch_geometry(input, rate, padding, filter_shape, spatial_dims)
    block = _filled(list(rate), 1, spatial_dims)
    paddings, crops = (_adjusted(t, n, spatial_dims) for t in (paddings, crops))
    result = op(space_to_batch_nd(input, block, paddings), n, "VALID")
    return batch_to_space_nd(result, block, crops)
