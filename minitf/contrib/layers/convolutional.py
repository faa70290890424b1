"""`tf.contrib.layers`' weight layers (TF 1.15): `fully_connected` and the convolutions.

Each opens `variable_scope(scope, <default name>, reuse=reuse)` with a custom getter, and
builds the tf.layers layer (`Dense`, `Conv2D`, ...) right in that scope, so its `kernel` and
`bias` become model variables named `<scope>/weights` and `<scope>/biases`: default scopes
count up as TF's do (`fully_connected`, `fully_connected_1`; `Conv`, `Conv_1`). A
`normalizer_fn` replaces the bias, then `activation_fn` applies, and the output joins
`outputs_collections` under the scope's name.
"""
from minitf.contrib.framework.arg_scope import add_arg_scope
from minitf.contrib.layers import utils
from minitf.contrib.layers.initializers import xavier_initializer
from minitf.framework.constant_op import convert_to_tensor
from minitf.initializers import zeros_initializer
from minitf.layers.convolutional import Conv1D, Conv2D, Conv3D
from minitf.layers.convolutional_separable import SeparableConv2D
from minitf.layers.convolutional_transpose import Conv2DTranspose
from minitf.layers.core import Dense
from minitf.ops.nn_ops import relu
from minitf.variable_scope import variable_scope

__all__ = ["fully_connected", "convolution", "convolution1d", "convolution2d",
           "convolution3d", "convolution2d_transpose", "separable_convolution2d", "conv1d",
           "conv2d", "conv3d", "conv2d_transpose", "separable_conv2d"]

_RENAME = {"bias": "biases", "kernel": "weights"}
_FORMATS = (None, "NWC", "NCW", "NHWC", "NCHW", "NDHWC", "NCDHW")


def _add_weights(layer, variables_collections, kernels=(("kernel", "weights"),)):
    for attr, name in kernels:
        utils.add_variable_to_collections(getattr(layer, attr), variables_collections, name)
    if layer.bias is not None:
        utils.add_variable_to_collections(layer.bias, variables_collections, "biases")


def _layer_args(normalizer_fn, weights_initializer, weights_regularizer, biases_initializer,
                biases_regularizer, trainable, inputs):
    return dict(activation=None, use_bias=bool(not normalizer_fn and biases_initializer),
                kernel_initializer=weights_initializer, bias_initializer=biases_initializer,
                kernel_regularizer=weights_regularizer, bias_regularizer=biases_regularizer,
                trainable=trainable, dtype=inputs.dtype.base_dtype)


@add_arg_scope
def fully_connected(inputs, num_outputs, activation_fn=relu, normalizer_fn=None,
                    normalizer_params=None, weights_initializer=xavier_initializer(),
                    weights_regularizer=None, biases_initializer=zeros_initializer(),
                    biases_regularizer=None, reuse=None, variables_collections=None,
                    outputs_collections=None, trainable=True, scope=None):
    """Adds a fully connected layer: `activation_fn(normalizer_fn(inputs @ weights + biases))`.

    Over the last axis of `inputs` (rank >= 2), with `weights` [in, num_outputs] and `biases`
    [num_outputs] (none when a `normalizer_fn` is given or `biases_initializer` is None),
    model variables in `variable_scope(scope, "fully_connected")`.

    Args:
      inputs: a Tensor whose last dimension is known.
      num_outputs: the number of output units (an int).
      activation_fn: applied last (default tf.nn.relu; None for linear).
      normalizer_fn: applied before the activation, instead of the biases (e.g. batch_norm).
      normalizer_params: keyword arguments of `normalizer_fn`.
      weights_initializer: the weights' initializer (default xavier_initializer()).
      weights_regularizer: a regularizer of the weights.
      biases_initializer: the biases' initializer; None for no biases.
      biases_regularizer: a regularizer of the biases.
      reuse: reuse the variables of the layer named `scope`.
      variables_collections: more collections for the variables (a list, or a dict
        {"weights": [...], "biases": [...]}).
      outputs_collections: collections to add the output to.
      trainable: whether the variables join TRAINABLE_VARIABLES.
      scope: the variable scope's name.

    Returns:
      The output Tensor.

    Raises:
      ValueError: `num_outputs` is not an int, or the last dimension of `inputs` is unknown.

    >>> x = tf.placeholder(tf.float32, [None, 3])
    >>> y = tf.contrib.layers.fully_connected(x, 4)
    >>> [(v.op.name, v.shape.as_list()) for v in tf.contrib.framework.get_model_variables()]
    [('fully_connected/weights', [3, 4]), ('fully_connected/biases', [4])]
    """
    if not isinstance(num_outputs, int) or isinstance(num_outputs, bool):
        raise ValueError(f"num_outputs type should be one of [{int}], got "
                         f"{type(num_outputs)}.")
    with variable_scope(scope, "fully_connected", [inputs], reuse=reuse,
                        custom_getter=utils.variable_getter(_RENAME)) as sc:
        inputs = convert_to_tensor(inputs)
        layer = Dense(num_outputs, **_layer_args(
            normalizer_fn, weights_initializer, weights_regularizer, biases_initializer,
            biases_regularizer, trainable, inputs))
        outputs = utils.apply_layer(layer, inputs)
        _add_weights(layer, variables_collections)
        return utils.finish(outputs, normalizer_fn, normalizer_params, activation_fn,
                            outputs_collections, sc.name)


def _conv_class(rank, conv_dims):
    if conv_dims is not None and conv_dims + 2 != rank:
        raise ValueError(f"Convolution expects input with rank {conv_dims + 2}, got {rank}")
    if rank not in (3, 4, 5):
        raise ValueError(f"Convolution not supported for input with rank {rank}")
    return {3: Conv1D, 4: Conv2D, 5: Conv3D}[rank]


def _channels(data_format):
    return "channels_first" if data_format and data_format.startswith("NC") else "channels_last"


@add_arg_scope
def convolution(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None,
                rate=1, activation_fn=relu, normalizer_fn=None, normalizer_params=None,
                weights_initializer=xavier_initializer(), weights_regularizer=None,
                biases_initializer=zeros_initializer(), biases_regularizer=None, reuse=None,
                variables_collections=None, outputs_collections=None, trainable=True,
                scope=None, conv_dims=None):
    """Adds an N-D convolution (1-D, 2-D or 3-D by the rank of `inputs`) with biases.

    Then the normalizer and activation. Variables `weights` [*kernel_size, in_channels,
    num_outputs] and `biases` live in `variable_scope(scope, "Conv")`.

    Args:
      inputs: a Tensor of rank 3, 4 or 5 ([batch, *spatial, channels] by default).
      num_outputs: the number of output channels.
      kernel_size: an int or a list of ints, the window's size.
      stride: an int or a list of ints.
      padding: "SAME" or "VALID".
      data_format: None or "NWC"/"NHWC"/"NDHWC" (channels last), or "NCW"/"NCHW"/"NCDHW".
      rate: the dilation rate (an int or a list).
      activation_fn: applied last (default tf.nn.relu).
      normalizer_fn: applied before the activation, instead of the biases.
      normalizer_params: keyword arguments of `normalizer_fn`.
      weights_initializer: the weights' initializer.
      weights_regularizer: a regularizer of the weights.
      biases_initializer: the biases' initializer; None for no biases.
      biases_regularizer: a regularizer of the biases.
      reuse: reuse the variables of the layer named `scope`.
      variables_collections: more collections for the variables.
      outputs_collections: collections to add the output to.
      trainable: whether the variables join TRAINABLE_VARIABLES.
      scope: the variable scope's name.
      conv_dims: the number of spatial dimensions expected (None: from the rank).

    Returns:
      The output Tensor.

    Raises:
      ValueError: `data_format` is invalid, or the rank is not 3, 4 or 5 (or not
        `conv_dims + 2`).
    """
    if data_format not in _FORMATS:
        raise ValueError(f"Invalid data_format: {data_format!r}")
    with variable_scope(scope, "Conv", [inputs], reuse=reuse,
                        custom_getter=utils.variable_getter(_RENAME)) as sc:
        inputs = convert_to_tensor(inputs)
        layer_class = _conv_class(inputs.shape.ndims, conv_dims)
        layer = layer_class(num_outputs, kernel_size, strides=stride, padding=padding,
                            data_format=_channels(data_format), dilation_rate=rate,
                            **_layer_args(normalizer_fn, weights_initializer,
                                          weights_regularizer, biases_initializer,
                                          biases_regularizer, trainable, inputs))
        outputs = utils.apply_layer(layer, inputs)
        _add_weights(layer, variables_collections)
        return utils.finish(outputs, normalizer_fn, normalizer_params, activation_fn,
                            outputs_collections, sc.name)


def _fixed_rank(conv_dims, name):
    def conv(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None,
             rate=1, activation_fn=relu, normalizer_fn=None, normalizer_params=None,
             weights_initializer=xavier_initializer(), weights_regularizer=None,
             biases_initializer=zeros_initializer(), biases_regularizer=None, reuse=None,
             variables_collections=None, outputs_collections=None, trainable=True,
             scope=None):
        return convolution(inputs, num_outputs, kernel_size, stride, padding, data_format,
                           rate, activation_fn, normalizer_fn, normalizer_params,
                           weights_initializer, weights_regularizer, biases_initializer,
                           biases_regularizer, reuse, variables_collections,
                           outputs_collections, trainable, scope, conv_dims=conv_dims)
    conv.__name__ = conv.__qualname__ = name
    conv.__doc__ = _FIXED_DOC.format(n=conv_dims, rank=conv_dims + 2)
    conv.__module__ = __name__
    return add_arg_scope(conv)


_FIXED_DOC = """Adds a {n}-D convolution: `convolution(..., conv_dims={n})`.

    Args:
      inputs: a Tensor of rank {rank}.
      num_outputs, kernel_size, stride, padding, data_format, rate: as `convolution`'s.
      activation_fn, normalizer_fn, normalizer_params: as `convolution`'s.
      weights_initializer, weights_regularizer: as `convolution`'s.
      biases_initializer, biases_regularizer: as `convolution`'s.
      reuse, variables_collections, outputs_collections, trainable, scope: as
        `convolution`'s.

    Returns:
      The output Tensor.

    Raises:
      ValueError: the rank of `inputs` is not {rank}.
    """

convolution1d = _fixed_rank(1, "convolution1d")
convolution2d = _fixed_rank(2, "convolution2d")
convolution3d = _fixed_rank(3, "convolution3d")


@add_arg_scope
def convolution2d_transpose(inputs, num_outputs, kernel_size, stride=1, padding="SAME",
                            data_format="NHWC", activation_fn=relu, normalizer_fn=None,
                            normalizer_params=None, weights_initializer=xavier_initializer(),
                            weights_regularizer=None, biases_initializer=zeros_initializer(),
                            biases_regularizer=None, reuse=None, variables_collections=None,
                            outputs_collections=None, trainable=True, scope=None):
    """Adds a 2-D transposed convolution ("deconvolution"), biases and activation.

    Variables `weights` [kh, kw, num_outputs, in_channels] and `biases` in
    `variable_scope(scope, "Conv2d_transpose")`.

    Args:
      inputs: a 4-D Tensor.
      num_outputs: the number of output channels.
      kernel_size: an int or two ints.
      stride: an int or two ints.
      padding: "SAME" or "VALID".
      data_format: "NHWC" or "NCHW".
      activation_fn: applied last (default tf.nn.relu).
      normalizer_fn: applied before the activation, instead of the biases.
      normalizer_params: keyword arguments of `normalizer_fn`.
      weights_initializer: the weights' initializer.
      weights_regularizer: a regularizer of the weights.
      biases_initializer: the biases' initializer; None for no biases.
      biases_regularizer: a regularizer of the biases.
      reuse: reuse the variables of the layer named `scope`.
      variables_collections: more collections for the variables.
      outputs_collections: collections to add the output to.
      trainable: whether the variables join TRAINABLE_VARIABLES.
      scope: the variable scope's name.

    Returns:
      The output Tensor.

    Raises:
      ValueError: `data_format` is neither "NHWC" nor "NCHW".
    """
    with variable_scope(scope, "Conv2d_transpose", [inputs], reuse=reuse,
                        custom_getter=utils.variable_getter(_RENAME)) as sc:
        if data_format not in ("NCHW", "NHWC"):
            raise ValueError("data_format has to be either NCHW or NHWC.")
        inputs = convert_to_tensor(inputs)
        layer = Conv2DTranspose(num_outputs, kernel_size, strides=stride, padding=padding,
                                data_format=_channels(data_format),
                                **_layer_args(normalizer_fn, weights_initializer,
                                              weights_regularizer, biases_initializer,
                                              biases_regularizer, trainable, inputs))
        outputs = utils.apply_layer(layer, inputs)
        _add_weights(layer, variables_collections)
        return utils.finish(outputs, normalizer_fn, normalizer_params, activation_fn,
                            outputs_collections, sc.name)


@add_arg_scope
def separable_convolution2d(inputs, num_outputs, kernel_size, depth_multiplier=1, stride=1,
                            padding="SAME", data_format="NHWC", rate=1, activation_fn=relu,
                            normalizer_fn=None, normalizer_params=None,
                            weights_initializer=xavier_initializer(),
                            pointwise_initializer=None, weights_regularizer=None,
                            biases_initializer=zeros_initializer(), biases_regularizer=None,
                            reuse=None, variables_collections=None, outputs_collections=None,
                            trainable=True, scope=None):
    """Adds a depthwise-separable 2-D convolution, biases and activation.

    Variables `depthwise_weights` [kh, kw, in, depth_multiplier], `pointwise_weights`
    [1, 1, in * depth_multiplier, num_outputs] and `biases` in
    `variable_scope(scope, "SeparableConv2d")`.

    Args:
      inputs: a 4-D Tensor.
      num_outputs: the number of output channels (None, TF's depthwise-only form, is not
        supported).
      kernel_size: an int or two ints.
      depth_multiplier: the depthwise channels per input channel.
      stride: an int or two ints.
      padding: "SAME" or "VALID".
      data_format: "NHWC" or "NCHW".
      rate: the depthwise dilation rate.
      activation_fn: applied last (default tf.nn.relu).
      normalizer_fn: applied before the activation, instead of the biases.
      normalizer_params: keyword arguments of `normalizer_fn`.
      weights_initializer: the depthwise weights' initializer.
      pointwise_initializer: the pointwise weights' (None: `weights_initializer`).
      weights_regularizer: a regularizer of both weights.
      biases_initializer: the biases' initializer; None for no biases.
      biases_regularizer: a regularizer of the biases.
      reuse: reuse the variables of the layer named `scope`.
      variables_collections: more collections for the variables.
      outputs_collections: collections to add the output to.
      trainable: whether the variables join TRAINABLE_VARIABLES.
      scope: the variable scope's name.

    Returns:
      The output Tensor.

    Raises:
      ValueError: `data_format` is neither "NHWC" nor "NCHW".
      NotImplementedError: `num_outputs` is None.
    """
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    if num_outputs is None:
        raise NotImplementedError("minitf's separable_conv2d needs num_outputs (the "
                                  "depthwise-only form is not built)")
    rename = {"bias": "biases", "depthwise_kernel": "depthwise_weights",
              "pointwise_kernel": "pointwise_weights"}
    with variable_scope(scope, "SeparableConv2d", [inputs], reuse=reuse,
                        custom_getter=utils.variable_getter(rename)) as sc:
        inputs = convert_to_tensor(inputs)
        layer = SeparableConv2D(
            num_outputs, kernel_size, strides=stride, padding=padding,
            data_format=_channels(data_format), dilation_rate=rate,
            depth_multiplier=depth_multiplier, activation=None,
            use_bias=bool(not normalizer_fn and biases_initializer),
            depthwise_initializer=weights_initializer,
            pointwise_initializer=pointwise_initializer or weights_initializer,
            bias_initializer=biases_initializer, depthwise_regularizer=weights_regularizer,
            pointwise_regularizer=weights_regularizer, bias_regularizer=biases_regularizer,
            trainable=trainable, dtype=inputs.dtype.base_dtype)
        outputs = utils.apply_layer(layer, inputs)
        _add_weights(layer, variables_collections, (("depthwise_kernel", "weights"),
                                                    ("pointwise_kernel", "weights")))
        return utils.finish(outputs, normalizer_fn, normalizer_params, activation_fn,
                            outputs_collections, sc.name)


conv1d = convolution1d
conv2d = convolution2d
conv3d = convolution3d
conv2d_transpose = convolution2d_transpose
separable_conv2d = separable_convolution2d
