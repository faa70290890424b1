"""`tf.layers`' convolution layers (TF1): Conv1D, Conv2D, Conv3D, as classes and functions.

`conv2d(x, filters, kernel_size)` is `Conv2D(filters, kernel_size)(x)`: its first call opens
`variable_scope(name, default_name="conv2d")` and gets `kernel` [*kernel_size, in_channels,
filters] and `bias` [filters] there, so unnamed layers count up (`conv2d`, `conv2d_1`, ...)
and `reuse=True` with a name shares them. The graph is TF's: `conv2d/Conv2D` (through
`tf.nn.convolution`, so a dilated one goes through SpaceToBatchND), then `conv2d/BiasAdd`.
"""
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.tensor_shape import TensorShape
from minitf.initializers import zeros_initializer
from minitf.layers import conv_utils
from minitf.layers.base import Layer
from minitf.ops import manip_ops, nn_ops
from minitf.ops.conv3d_ops import conv3d as _conv3d_op
from minitf.ops.conv_composite_ops import convolution as _convolution

__all__ = ["Conv1D", "Conv2D", "Conv3D", "conv1d", "conv2d", "conv3d"]


class _Conv(Layer):
    """The N-D convolution layer: `activation(conv(inputs, kernel) + bias)`.

    Args:
      rank: the number of spatial dimensions, 1 to 3.
      filters: the number of output channels (a positive int).
      kernel_size: an int or `rank` ints, the window's size.
      strides: an int or `rank` ints.
      padding: "valid" or "same" (any case); "causal" for Conv1D.
      data_format: "channels_last" or "channels_first".
      dilation_rate: an int or `rank` ints.
      activation: a function applied to the output, its name ("relu", ...), or None.
      use_bias: whether to add a bias.
      kernel_initializer, bias_initializer: the variables' initializers.
      kernel_regularizer, bias_regularizer: regularizers of the variables.
      activity_regularizer: a regularizer of the output.
      kernel_constraint, bias_constraint: constraints on the variables.
      trainable: whether the variables are trained.
      name: the layer's scope name.
      **kwargs: `Layer`'s other arguments.

    Raises:
      ValueError: an argument is invalid.
    """

    _causal_ok = False
    _inputs_of = ""  # (the transposed layers name themselves in the message)

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self._base_name = conv_utils.default_name(type(self))
        if isinstance(filters, float):
            filters = int(filters)
        if filters is not None and filters <= 0:
            raise ValueError("Invalid value for argument `filters`. Expected a strictly "
                             f"positive value. Received filters={filters}.")
        self.rank, self.filters = rank, filters
        self.kernel_size = conv_utils.normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = conv_utils.normalize_tuple(strides, rank, "strides", allow_zero=True)
        self.padding = conv_utils.normalize_padding(padding)
        self.data_format = conv_utils.normalize_data_format(data_format)
        self.dilation_rate = conv_utils.normalize_tuple(dilation_rate, rank, "dilation_rate")
        self.activation = conv_utils.get_activation(activation)
        self.use_bias = use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.activity_regularizer = activity_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint
        if not all(self.strides):
            raise ValueError("The argument `strides` cannot contains 0(s). Received: "
                             f"{self.strides}")
        if self.padding == "causal" and not self._causal_ok:
            raise ValueError("Causal padding is only supported for `Conv1D`and "
                             "`SeparableConv1D`.")

    @property
    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def _input_channels(self, input_shape):
        dims = TensorShape(input_shape).as_list()
        channels = dims[self._channel_axis]
        if channels is None:
            raise ValueError(f"The channel dimension of the inputs{self._inputs_of} should be "
                             f"defined. The input_shape received is {TensorShape(input_shape)}, "
                             f"where axis {self._channel_axis} (0-based) is the channel "
                             "dimension, which found to be `None`.")
        return channels

    def _kernel_shape(self, channels):
        return list(self.kernel_size) + [channels, self.filters]

    def build(self, input_shape):
        """Makes `kernel` [*kernel_size, in_channels, filters] and `bias` [filters].

        Args:
          input_shape: the input's TensorShape (its channel dimension must be known).

        Raises:
          ValueError: the rank is too small, or the channel dimension is unknown.
        """
        self._check_rank(input_shape)
        channels = self._input_channels(input_shape)
        self.kernel = self.add_weight("kernel", self._kernel_shape(channels),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", [self.filters], initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        """Checks the input's rank, then calls the layer (building it the first time).

        Args:
          inputs: a Tensor of rank `rank + 2`.
          *args, **kwargs: passed to `call`.

        Returns:
          The output Tensor.

        Raises:
          ValueError: the rank is too small, or the channel dimension is unknown.
        """
        inputs = convert_to_tensor(inputs)
        if self._scope is not None:  # (the first call checks in `build`, in its scope, as TF)
            self._check_rank(inputs.shape)
        return super().__call__(inputs, *args, **kwargs)

    def _check_rank(self, input_shape):
        conv_utils.check_input_rank(self, input_shape, min_ndim=self.rank + 2)

    apply = __call__

    def _causal_pads(self):
        left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
        if self.data_format == "channels_last":
            return [[0, 0], [left, 0], [0, 0]]
        return [[0, 0], [0, 0], [left, 0]]

    def _extra_batch_dims(self, inputs):
        return inputs.shape.ndims is not None and inputs.shape.ndims > self.rank + 2

    def _convolve(self, inputs):
        if self._extra_batch_dims(inputs):  # (as TF: one batch dim, then back)
            with name_scope(f"Conv{self.rank}D"):
                return conv_utils.squeeze_batch_dims(inputs, self._convolve, self.rank + 1)
        layout = conv_utils.convert_data_format(self.data_format, self.rank + 2)
        padding = "VALID" if self.padding == "causal" else self.padding.upper()
        name = f"Conv{self.rank}D"  # (TF names the op after the class)
        if self.rank < 3:
            return _convolution(inputs, self.kernel, padding=padding, strides=self.strides,
                                dilation_rate=self.dilation_rate, data_format=layout,
                                name=name)
        ones = [1] * (self.data_format == "channels_first")
        tail = [1] * (self.data_format == "channels_last")
        return _conv3d_op(inputs, self.kernel, [1] + ones + list(self.strides) + tail, padding,
                          data_format=layout,
                          dilations=[1] + ones + list(self.dilation_rate) + tail, name=name)

    def _add_bias(self, outputs):
        if self.rank == 1 and self.data_format == "channels_first":
            # (as TF: a reshaped bias added, not a BiasAdd, for 1-D channels first)
            return outputs + manip_ops.reshape(self.bias, (1, self.filters, 1))
        layout = "NHWC" if self.data_format == "channels_last" else "NCHW"
        if self._extra_batch_dims(outputs):
            with name_scope("squeeze_batch_dims"):
                return conv_utils.squeeze_batch_dims(outputs, lambda o: nn_ops.bias_add(
                    o, self.bias, data_format=layout), self.rank + 1)
        return nn_ops.bias_add(outputs, self.bias, data_format=layout)

    def call(self, inputs):
        """Returns `activation(conv(inputs, kernel) + bias)`.

        Args:
          inputs: a Tensor of rank `rank + 2`.
        """
        input_shape = inputs.shape
        if self.padding == "causal":
            inputs = manip_ops.pad(inputs, self._causal_pads())
        outputs = self._convolve(inputs)
        if self.use_bias:
            outputs = self._add_bias(outputs)
        if input_shape.ndims is not None:
            outputs.set_shape(self.compute_output_shape(input_shape))
        if self.activation is not None:
            outputs = self.activation(outputs)
        conv_utils.add_activity_loss(self, outputs)
        return outputs

    def _spatial_output(self, lengths):
        return [conv_utils.conv_output_length(n, k, self.padding, s, d) for n, k, s, d in
                zip(lengths, self.kernel_size, self.strides, self.dilation_rate)]

    def compute_output_shape(self, input_shape):
        """The output's static shape for an input of shape `input_shape`.

        Args:
          input_shape: a TensorShape or list (rank >= `rank + 2`).

        Returns:
          A TensorShape.
        """
        dims = TensorShape(input_shape).as_list()
        batch = len(dims) - self.rank - 1
        if self.data_format == "channels_last":
            return TensorShape(dims[:batch] + self._spatial_output(dims[batch:-1]) +
                               [self.filters])
        return TensorShape(dims[:batch] + [self.filters] +
                           self._spatial_output(dims[batch + 1:]))


_CLASS_DOC = """{what} layer (TF1's `tf.layers.{cls}`): `activation(conv(inputs, kernel) + bias)`.

    Args:
      filters: the number of output channels.
      kernel_size: an int or {n} ints, the window's size.
      strides: an int or {n} ints.
      padding: "valid" or "same" (any case){causal}.
      data_format: "channels_last" ({last}) or "channels_first" ({first}).
      dilation_rate: an int or {n} ints.
      activation: a function applied to the output, its name ("relu", ...), or None.
      use_bias: whether to add a bias.
      kernel_initializer: the kernel's initializer (None: the scope's, else glorot uniform).
      bias_initializer: the bias' initializer.
      kernel_regularizer: a regularizer of the kernel (its loss goes to
        REGULARIZATION_LOSSES).
      bias_regularizer: a regularizer of the bias.
      activity_regularizer: a regularizer of the output.
      kernel_constraint: a constraint optimizers apply to the kernel after each update.
      bias_constraint: a constraint on the bias.
      trainable: whether the variables go into TRAINABLE_VARIABLES.
      name: the layer's scope name (default "{func}", made unique).
      **kwargs: `Layer`'s other arguments.

    Raises:
      ValueError: an argument is invalid.
    """


class Conv1D(_Conv):
    __doc__ = _CLASS_DOC.format(what="1-D convolution", cls="Conv1D", n=1, func="conv1d",
                                causal=', or "causal" (left-padded)', last="[batch, width, "
                                "channels]", first="[batch, channels, width]")
    _causal_ok = True

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(1, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, trainable, name, **kwargs)


class Conv2D(_Conv):
    __doc__ = _CLASS_DOC.format(what="2-D convolution", cls="Conv2D", n=2, func="conv2d",
                                causal="", last="[batch, height, width, channels]",
                                first="[batch, channels, height, width]")

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format="channels_last", dilation_rate=(1, 1), activation=None,
                 use_bias=True, kernel_initializer=None, bias_initializer=zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, trainable, name, **kwargs)


class Conv3D(_Conv):
    __doc__ = _CLASS_DOC.format(what="3-D convolution", cls="Conv3D", n=3, func="conv3d",
                                causal="", last="[batch, depth, height, width, channels]",
                                first="[batch, channels, depth, height, width]")

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 data_format="channels_last", dilation_rate=(1, 1, 1), activation=None,
                 use_bias=True, kernel_initializer=None, bias_initializer=zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(3, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, trainable, name, **kwargs)


def conv1d(inputs, filters, kernel_size, strides=1, padding="valid",
           data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=zeros_initializer(),
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True, name=None, reuse=None):
    """Functional interface for the 1-D convolution layer (`Conv1D(...)(inputs)`).

    Args:
      inputs: a 3-D Tensor, [batch, width, channels] (or channels first).
      filters, kernel_size, strides, padding, data_format, dilation_rate: as `Conv1D`'s.
      activation, use_bias, kernel_initializer, bias_initializer: likewise.
      kernel_regularizer, bias_regularizer, activity_regularizer: likewise.
      kernel_constraint, bias_constraint, trainable, name: likewise.
      reuse: whether to reuse the variables of an earlier layer of the same name.

    Returns:
      The output Tensor, [batch, new width, filters].

    Raises:
      ValueError: an argument is invalid, or the input's rank is below 3.

    >>> x = tf.placeholder(tf.float32, [None, 10, 3])
    >>> y = tf.layers.conv1d(x, 4, 3, padding="causal")
    >>> print(y.shape, [v.name for v in tf.trainable_variables()])
    (?, 10, 4) ['conv1d/kernel:0', 'conv1d/bias:0']
    """
    return Conv1D(filters, kernel_size, strides, padding, data_format, dilation_rate,
                  activation, use_bias, kernel_initializer, bias_initializer,
                  kernel_regularizer, bias_regularizer, activity_regularizer,
                  kernel_constraint, bias_constraint, trainable, name, _reuse=reuse)(inputs)


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
           data_format="channels_last", dilation_rate=(1, 1), activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=zeros_initializer(),
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True, name=None, reuse=None):
    """Functional interface for the 2-D convolution layer (`Conv2D(...)(inputs)`).

    Args:
      inputs: a 4-D Tensor, [batch, height, width, channels] (or channels first).
      filters, kernel_size, strides, padding, data_format, dilation_rate: as `Conv2D`'s.
      activation, use_bias, kernel_initializer, bias_initializer: likewise.
      kernel_regularizer, bias_regularizer, activity_regularizer: likewise.
      kernel_constraint, bias_constraint, trainable, name: likewise.
      reuse: whether to reuse the variables of an earlier layer of the same name.

    Returns:
      The output Tensor, [batch, new height, new width, filters].

    Raises:
      ValueError: an argument is invalid, or the input's rank is below 4.

    >>> x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    >>> y = tf.layers.conv2d(x, 4, 3, strides=2, padding="same", activation=tf.nn.relu)
    >>> print(y.name, y.shape, tf.trainable_variables()[0].shape)
    conv2d/Relu:0 (?, 4, 4, 4) (3, 3, 3, 4)
    """
    return Conv2D(filters, kernel_size, strides, padding, data_format, dilation_rate,
                  activation, use_bias, kernel_initializer, bias_initializer,
                  kernel_regularizer, bias_regularizer, activity_regularizer,
                  kernel_constraint, bias_constraint, trainable, name, _reuse=reuse)(inputs)


def conv3d(inputs, filters, kernel_size, strides=(1, 1, 1), padding="valid",
           data_format="channels_last", dilation_rate=(1, 1, 1), activation=None,
           use_bias=True, kernel_initializer=None, bias_initializer=zeros_initializer(),
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True, name=None, reuse=None):
    """Functional interface for the 3-D convolution layer (`Conv3D(...)(inputs)`).

    Args:
      inputs: a 5-D Tensor, [batch, depth, height, width, channels] (or channels first).
      filters, kernel_size, strides, padding, data_format, dilation_rate: as `Conv3D`'s.
      activation, use_bias, kernel_initializer, bias_initializer: likewise.
      kernel_regularizer, bias_regularizer, activity_regularizer: likewise.
      kernel_constraint, bias_constraint, trainable, name: likewise.
      reuse: whether to reuse the variables of an earlier layer of the same name.

    Returns:
      The output Tensor, [batch, new depth, new height, new width, filters].

    Raises:
      ValueError: an argument is invalid, or the input's rank is below 5.

    >>> y = tf.layers.conv3d(tf.zeros([1, 6, 6, 6, 3]), 4, 3)
    >>> print(y.name, y.shape)
    conv3d/BiasAdd:0 (1, 4, 4, 4, 4)
    """
    return Conv3D(filters, kernel_size, strides, padding, data_format, dilation_rate,
                  activation, use_bias, kernel_initializer, bias_initializer,
                  kernel_regularizer, bias_regularizer, activity_regularizer,
                  kernel_constraint, bias_constraint, trainable, name, _reuse=reuse)(inputs)
