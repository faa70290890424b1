"""3-D convolutions: Conv3D and its backprops Conv3DBackpropInputV2 / Conv3DBackpropFilterV2 (ops
of their own with their own gradients, as TF's), conv3d and conv3d_transpose.

The kernels are conv_ops' channels-last kernels, which take any number of spatial dims.
"""
from minitf.framework.api import name_scope
from minitf.framework.registry import register_op
from minitf.ops import conv_ops as _conv
from minitf.ops._shared import shape_of, shape_tensor, shape_value

__all__ = ["conv3d", "conv3d_transpose", "conv3d_backprop_filter_v2"]

_ATTRS = ("strides", "padding", "data_format", "dilations")


def _attrs(op):
    return {k: op.get_attr(k) for k in _ATTRS}


def _full(attrs):
    """The attrs conv_ops' helpers read (a 3-D convolution has no explicit padding)."""
    return dict(attrs, explicit_paddings=[])


def _forward_shape(input, filter, **attrs):
    return _conv._conv_out_shape("Conv3D", input._shape, filter._shape, _full(attrs), rank=5)


def _input_shape(input_sizes, filter, out_backprop, **attrs):
    return shape_value(input_sizes)


def _filter_shape(input, filter_sizes, out_backprop, **attrs):
    return shape_value(filter_sizes)


@register_op("Conv3D", shape=_forward_shape, dtype=_conv._conv_dtype)
def _conv3d(input, filter, **attrs):
    return _conv._conv2d.kernel(input, filter, **_full(attrs))


@register_op("Conv3DBackpropInputV2", shape=_input_shape, dtype=_conv._backprop_input_dtype)
def _conv3d_input(input_sizes, filter, out_backprop, **attrs):
    return _conv._conv2d_backprop_input.kernel(input_sizes, filter, out_backprop,
                                               **_full(attrs))


@register_op("Conv3DBackpropFilterV2", shape=_filter_shape, dtype=_conv._conv_dtype)
def _conv3d_filter(input, filter_sizes, out_backprop, **attrs):
    return _conv._conv2d_backprop_filter.kernel(input, filter_sizes, out_backprop,
                                                **_full(attrs))


@_conv3d.gradient
def _conv3d_grad(op, grad):
    x, f = op.inputs
    return [_conv3d_input.apply([shape_of(x), f, grad], **_attrs(op)),
            _conv3d_filter.apply([x, shape_of(f), grad], **_attrs(op))]


@_conv3d_input.gradient
def _conv3d_input_grad(op, grad):
    _, f, dy = op.inputs
    return [None, _conv3d_filter.apply([grad, shape_of(f), dy], **_attrs(op)),
            _conv3d.apply([grad, f], **_attrs(op))]


@_conv3d_filter.gradient
def _conv3d_filter_grad(op, grad):
    x, _, dy = op.inputs
    return [_conv3d_input.apply([shape_of(x), grad, dy], **_attrs(op)), None,
            _conv3d.apply([x, grad], **_attrs(op))]


def _attrs_of_args(strides, padding, data_format, dilations):
    if isinstance(padding, (list, tuple)):
        raise ValueError(f"Attr 'padding' of 'Conv3D' Op passed a list, not one of: \"SAME\", "
                         f"\"VALID\". Received: padding={padding}")
    attrs = _conv.conv_attrs(strides, padding, data_format or "NDHWC", dilations, n=3)
    del attrs["explicit_paddings"]
    return attrs


def conv3d(input, filter=None, strides=None, padding=None, data_format="NDHWC",
           dilations=(1, 1, 1, 1, 1), name=None, filters=None):
    """Computes a 3-D convolution of `input` with `filter`.

    Args:
      input: a 5-D Tensor, NDHWC or NCDHW; float16, bfloat16, float32, float64 or int32.
      filter: a 5-D Tensor [depth, height, width, in_channels, out_channels].
      strides: a list of 5 ints (or 1 or 3), ones in the batch and channel dimensions.
      padding: "SAME" or "VALID".
      data_format: "NDHWC" (default) or "NCDHW".
      dilations: a list of 5 ints (or 1 or 3).
      name: a name for the operation (default "Conv3D").
      filters: another name for `filter`.

    Returns:
      A 5-D Tensor of `input`'s dtype.

    Raises:
      ValueError: the shapes or attributes are invalid.
    """
    filter = _conv._one_of(filter, filters, ("filter", "filters"))
    return _conv3d.apply([input, filter], name=name or "Conv3D",
                         **_attrs_of_args(strides, padding, data_format, dilations))


def conv3d_backprop_filter_v2(input, filter_sizes, out_backprop, strides, padding,
                              data_format="NDHWC", dilations=(1, 1, 1, 1, 1), name=None):
    """The gradient of conv3d in its filter.

    Args:
      input: the convolution's 5-D input.
      filter_sizes: the filter's shape, 5 ints.
      out_backprop: the gradient of the output.
      strides, padding, data_format, dilations: as in `conv3d`.
      name: a name for the operation (default "Conv3DBackpropFilterV2").

    Returns:
      A Tensor of shape `filter_sizes`.
    """
    return _conv3d_filter.apply(
        [input, shape_tensor(filter_sizes, name="filter_sizes"), out_backprop],
        name=name or "Conv3DBackpropFilterV2",
        **_attrs_of_args(strides, padding, data_format, dilations))


def conv3d_transpose(value, filter=None, output_shape=None, strides=None, padding="SAME",
                     data_format="NDHWC", name=None, input=None, filters=None, dilations=None):
    """The transpose of conv3d (its gradient in the input), of shape `output_shape`.

    Args:
      value: a 5-D Tensor.
      filter: a 5-D Tensor [depth, height, width, output_channels, in_channels].
      output_shape: the output's shape, 5 ints.
      strides, padding, data_format, dilations: as in `conv3d`.
      name: a name for the operation (default "conv3d_transpose").
      input: another name for `value`.
      filters: another name for `filter`.

    Returns:
      A Tensor of shape `output_shape`.
    """
    value = _conv._one_of(value, input, ("value", "input"))
    filter = _conv._one_of(filter, filters, ("filter", "filters"))
    with name_scope(name, "conv3d_transpose", [value, filter, output_shape]) as name:
        return _conv3d_input.apply(
            [shape_tensor(output_shape, name="output_shape"), filter, value], name=name,
            **_attrs_of_args(strides, padding, data_format, dilations))
