"""Arguments and shapes shared by tf.layers' convolution and pooling layers.

The checks and their messages are TF1's (`tf.layers` are Keras' layers there): sizes as
tuples of positive ints, padding "valid"/"same"/"causal" in any case, data_format
"channels_last"/"channels_first", and the output lengths the layers set as static shapes.
"""
import re

from minitf.framework.api import name_scope
from minitf.ops import array_ops, manip_ops, math_ops

__all__ = ["normalize_tuple", "normalize_padding", "normalize_data_format",
           "convert_data_format", "conv_output_length", "deconv_output_length",
           "check_input_rank", "default_name", "get_activation", "add_activity_loss",
           "squeeze_batch_dims"]

_ACTIVATION_ALIASES = {"exponential": "exp", "silu": "swish"}


def default_name(cls):
    """A layer class's default scope name, in TF's snake case.

    Conv2DTranspose gives "conv2d_transpose": a digit and its capital stay together.

    Args:
      cls: the layer class.

    Returns:
      The name.
    """
    name = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", cls.__name__)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def normalize_tuple(value, n, name, allow_zero=False):
    """Returns `value` as a tuple of `n` ints (an int is repeated `n` times).

    Args:
      value: an int, or an iterable of `n` ints.
      n: the length wanted.
      name: the argument's name, for the message.
      allow_zero: whether 0 is allowed (else the ints must be positive).

    Returns:
      A tuple of `n` ints.

    Raises:
      ValueError: `value` is not `n` ints, or one is out of range.
    """
    message = f"The `{name}` argument must be a tuple of {n} integers. Received: {value}"
    if isinstance(value, int):
        values = (value,) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(message) from None
        if len(values) != n:
            raise ValueError(message)
        for single in values:
            try:
                int(single)
            except (ValueError, TypeError):
                raise ValueError(f"{message}including element {single} of type "
                                 f"{type(single)}") from None
        values = tuple(int(v) for v in values)
    bad = {v for v in values if (v < 0 if allow_zero else v <= 0)}
    if bad:
        raise ValueError(f"{message} including {bad} that does not satisfy the requirement "
                         f"`{'>= 0' if allow_zero else '> 0'}`.")
    return values


def normalize_padding(value):
    """Returns `value` lowercased: "valid", "same" or "causal".

    Args:
      value: a padding name in any case.

    Returns:
      The lowercase name.

    Raises:
      ValueError: it is another name.
    """
    padding = str(value).lower()
    if padding not in ("valid", "same", "causal"):
        raise ValueError('The `padding` argument must be a list/tuple or one of "valid", "same" '
                         f'(or "causal", only for `Conv1D). Received: {padding}')
    return padding


def normalize_data_format(value):
    """Returns `value` lowercased: "channels_last" (also for None) or "channels_first".

    Args:
      value: a data format name, or None.

    Returns:
      The lowercase name.

    Raises:
      ValueError: it is another name.
    """
    data_format = "channels_last" if value is None else str(value).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError('The `data_format` argument must be one of "channels_first", '
                         f'"channels_last". Received: {value}')
    return data_format


def convert_data_format(data_format, ndim):
    """The op's layout for a layer's data format: "NWC", "NHWC", ..., or "NCW", "NCHW", ....

    Args:
      data_format: "channels_last" or "channels_first".
      ndim: the input's rank, 3 to 5.

    Returns:
      The layout string.
    """
    spatial = {3: "W", 4: "HW", 5: "DHW"}[ndim]
    return f"N{spatial}C" if data_format == "channels_last" else f"NC{spatial}"


def conv_output_length(length, filter_size, padding, stride, dilation=1):
    """The output length of a convolution or pooling along one dimension (None if unknown).

    Args:
      length: the input length, or None.
      filter_size: the window's length.
      padding: "valid", "same" or "causal".
      stride: the step.
      dilation: the window's dilation.

    Returns:
      An int, or None.
    """
    if length is None:
        return None
    dilated = filter_size + (filter_size - 1) * (dilation - 1)
    out = length if padding in ("same", "causal") else length - dilated + 1
    return (out + stride - 1) // stride


def deconv_output_length(length, filter_size, padding, stride):
    """The output length of a transposed convolution along one dimension.

    Works on ints and on scalar Tensors alike (the layers pass the runtime length when the
    static one is unknown).

    Args:
      length: the input length (an int, a scalar Tensor, or None).
      filter_size: the window's length.
      padding: "valid" or "same".
      stride: the step.

    Returns:
      The output length (of `length`'s kind), or None.
    """
    if length is None:
        return None
    if padding == "same":
        return length * stride
    return length * stride + max(filter_size - stride, 0)


def check_input_rank(layer, input_shape, ndim=None, min_ndim=None):
    """Raises TF's error when the input's rank does not fit the layer.

    Args:
      layer: the layer (for its name).
      input_shape: the input's TensorShape.
      ndim: the rank wanted, or None.
      min_ndim: the smallest rank, or None.

    Raises:
      ValueError: the rank is known and does not fit.
    """
    rank = input_shape.ndims
    if rank is None:
        return
    if ndim is not None and rank != ndim:
        wanted = f"ndim={ndim}"
    elif min_ndim is not None and rank < min_ndim:
        wanted = f"min_ndim={min_ndim}"
    else:
        return
    raise ValueError(f"Input 0 of layer \"{layer.name}\" is incompatible with the layer: "
                     f"expected {wanted}, found ndim={rank}. Full shape received: "
                     f"{tuple(input_shape)}")


def get_activation(identifier):
    """The activation function a layer's `activation` names (TF's layers take Keras' names).

    Args:
      identifier: None, a function, or a name: "relu", "sigmoid", "tanh", "softmax", "elu",
        "selu", "softplus", "softsign", "relu6", "swish", "exponential" or "linear".

    Returns:
      The function, or None for no activation ("linear" included).

    Raises:
      ValueError: an unknown name.
    """
    if identifier is None or callable(identifier):
        return identifier
    if identifier == "linear":
        return None
    from minitf import math, nn  # (late: the layers are imported before them)
    name = _ACTIVATION_ALIASES.get(identifier, identifier)
    function = getattr(nn, name, None) or getattr(math, name, None) if isinstance(
        name, str) else None
    if function is None:
        raise ValueError(f"Unknown activation function: '{identifier}'. Please ensure you are "
                         "using a `keras.utils.custom_object_scope` and that this object is "
                         "included in the scope.")
    return function


def add_activity_loss(layer, outputs):
    """Adds the layer's activity regularization loss, over the batch size, as TF1's layers do.

    The loss goes to the layer's `losses` and to REGULARIZATION_LOSSES.

    Args:
      layer: a layer with an `activity_regularizer` (or None).
      outputs: the layer's output Tensor.
    """
    if layer.activity_regularizer is None:
        return
    with name_scope("ActivityRegularizer"):
        loss = layer.activity_regularizer(outputs)
        if loss is None:
            return
        # (TF's layers average it over the examples)
        batch = math_ops.cast(array_ops.shape(outputs)[0], loss.dtype)
        layer.add_loss(loss / batch)


def squeeze_batch_dims(inputs, op, inner_rank):
    """Applies `op` to `inputs` with its batch dimensions merged into one, as TF's convolutions.

    The batch dimensions are all but the last `inner_rank`; they are split again after `op`.

    Args:
      inputs: a Tensor of known rank > `inner_rank` + 1.
      op: a function of a Tensor of rank `inner_rank + 1`.
      inner_rank: the number of trailing dimensions `op` works on.

    Returns:
      `op`'s result, with `inputs`' batch dimensions.
    """
    shape = array_ops.shape(inputs)
    batch = shape[:-inner_rank]
    inner = inputs.shape.as_list()[-inner_rank:]
    if None in inner:
        flat = manip_ops.reshape(inputs, manip_ops.concat([[-1], shape[-inner_rank:]], 0))
    else:
        flat = manip_ops.reshape(inputs, [-1] + inner)
    out = op(flat)
    out_inner = out.shape.as_list()[1:]
    if None in out_inner:
        out_inner = array_ops.shape(out)[1:]
    result = manip_ops.reshape(out, manip_ops.concat([batch, out_inner], 0))
    result.set_shape(inputs.shape[:-inner_rank].concatenate(out.shape[1:]))
    return result
