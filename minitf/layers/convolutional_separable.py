"""`tf.layers`' depthwise-separable convolutions (TF1): SeparableConv1D and SeparableConv2D, as
classes and functions.

Each is `tf.nn.separable_conv2d`: a depthwise convolution of `depthwise_kernel`
[*kernel_size, in_channels, depth_multiplier], then a 1x1 one of `pointwise_kernel`
[1, (1,) in_channels * depth_multiplier, filters]. The 1-D layer adds a height of 1 around it,
as TF does (ExpandDims, ..., Squeeze).
"""
from minitf.initializers import zeros_initializer
from minitf.layers import conv_utils
from minitf.layers.convolutional import Conv1D, Conv2D
from minitf.ops import manip_ops, nn_ops
from minitf.ops.depthwise_conv_ops import separable_conv2d as _separable_conv2d_op

__all__ = ["SeparableConv1D", "SeparableConv2D", "separable_conv1d", "separable_conv2d"]


class _Separable:
    """The variables and the end of `call` both separable layers share; mixed in before
    Conv1D / Conv2D (whose arguments and checks they keep)."""

    def _init_separable(self, depth_multiplier, depthwise_initializer, pointwise_initializer,
                        depthwise_regularizer, pointwise_regularizer, depthwise_constraint,
                        pointwise_constraint):
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = depthwise_initializer
        self.pointwise_initializer = pointwise_initializer
        self.depthwise_regularizer = depthwise_regularizer
        self.pointwise_regularizer = pointwise_regularizer
        self.depthwise_constraint = depthwise_constraint
        self.pointwise_constraint = pointwise_constraint

    def build(self, input_shape):
        """Makes `depthwise_kernel`, `pointwise_kernel` and `bias` [filters].

        Args:
          input_shape: the input's TensorShape (its channel dimension must be known).

        Raises:
          ValueError: the rank is too small, or the channel dimension is unknown.
        """
        self._check_rank(input_shape)
        channels = self._input_channels(input_shape)
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel", list(self.kernel_size) + [channels, self.depth_multiplier],
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self.pointwise_kernel = self.add_weight(
            "pointwise_kernel", [1] * self.rank + [channels * self.depth_multiplier,
                                                   self.filters],
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", [self.filters], initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def _add_bias(self, outputs):
        layout = "NHWC" if self.data_format == "channels_last" else "NCHW"
        return nn_ops.bias_add(outputs, self.bias, data_format=layout)

    def _separable(self, inputs, depthwise, pointwise, strides, rate, padding):
        layout = "NHWC" if self.data_format == "channels_last" else "NCHW"
        outputs = _separable_conv2d_op(inputs, depthwise, pointwise, strides, padding,
                                       rate=rate, data_format=layout)
        if self.use_bias:
            outputs = self._add_bias(outputs)  # (on 4-D, also for SeparableConv1D)
        return outputs

    def _activate(self, outputs):
        if self.activation is not None:
            outputs = self.activation(outputs)
        conv_utils.add_activity_loss(self, outputs)
        return outputs


_CLASS_DOC = """The depthwise-separable {n}-D convolution layer (TF1's `tf.layers.{cls}`).

    A depthwise convolution (each input channel by `depth_multiplier` filters of its own),
    then a pointwise one mixing the channels into `filters`.

    Args:
      filters: the number of output channels.
      kernel_size: an int or {n} ints, the depthwise window's size.
      strides: an int or {n} ints.
      padding: "valid" or "same" (any case){causal}.
      data_format: "channels_last" or "channels_first".
      dilation_rate: an int or {n} ints (with strides of 1).
      depth_multiplier: the depthwise filters per input channel.
      activation: a function applied to the output, or None.
      use_bias: whether to add a bias.
      depthwise_initializer, pointwise_initializer, bias_initializer: the variables'
        initializers (None: the scope's, else glorot uniform).
      depthwise_regularizer, pointwise_regularizer, bias_regularizer: their regularizers.
      activity_regularizer: a regularizer of the output.
      depthwise_constraint, pointwise_constraint, bias_constraint: their constraints.
      trainable: whether the variables go into TRAINABLE_VARIABLES.
      name: the layer's scope name (default "{func}", made unique).
      **kwargs: `Layer`'s other arguments.

    Raises:
      ValueError: an argument is invalid.
    """


class SeparableConv1D(_Separable, Conv1D):
    __doc__ = _CLASS_DOC.format(n=1, cls="SeparableConv1D", func="separable_conv1d",
                                causal=', or "causal"')

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, depth_multiplier=1,
                 activation=None, use_bias=True, depthwise_initializer=None,
                 pointwise_initializer=None, bias_initializer=zeros_initializer(),
                 depthwise_regularizer=None, pointwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, None, bias_initializer, None, bias_regularizer,
                         activity_regularizer, None, bias_constraint, trainable, name, **kwargs)
        self._init_separable(depth_multiplier, depthwise_initializer, pointwise_initializer,
                             depthwise_regularizer, pointwise_regularizer,
                             depthwise_constraint, pointwise_constraint)

    def call(self, inputs):
        """Returns the separable convolution of `inputs` (+ bias, activation).

        Args:
          inputs: a 3-D Tensor.
        """
        if self.padding == "causal":
            inputs = manip_ops.pad(inputs, self._causal_pads())
        last = self.data_format == "channels_last"
        axis = 1 if last else 2  # the height of 1 goes before the width
        stride = self.strides[0]
        strides = [1, stride, stride, 1] if last else [1, 1, stride, stride]
        x = manip_ops.expand_dims(inputs, axis)
        depthwise = manip_ops.expand_dims(self.depthwise_kernel, 0)
        pointwise = manip_ops.expand_dims(self.pointwise_kernel, 0)
        padding = "VALID" if self.padding == "causal" else self.padding.upper()
        outputs = self._separable(x, depthwise, pointwise, strides,
                                  (1,) + self.dilation_rate, padding)
        return self._activate(manip_ops.squeeze(outputs, [axis]))


class SeparableConv2D(_Separable, Conv2D):
    __doc__ = _CLASS_DOC.format(n=2, cls="SeparableConv2D", func="separable_conv2d",
                                causal="")

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format="channels_last", dilation_rate=(1, 1), depth_multiplier=1,
                 activation=None, use_bias=True, depthwise_initializer=None,
                 pointwise_initializer=None, bias_initializer=zeros_initializer(),
                 depthwise_regularizer=None, pointwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, None, bias_initializer, None, bias_regularizer,
                         activity_regularizer, None, bias_constraint, trainable, name, **kwargs)
        self._init_separable(depth_multiplier, depthwise_initializer, pointwise_initializer,
                             depthwise_regularizer, pointwise_regularizer,
                             depthwise_constraint, pointwise_constraint)

    def call(self, inputs):
        """Returns the separable convolution of `inputs` (+ bias, activation).

        Args:
          inputs: a 4-D Tensor.
        """
        last = self.data_format == "channels_last"
        strides = [1, *self.strides, 1] if last else [1, 1, *self.strides]
        outputs = self._separable(inputs, self.depthwise_kernel, self.pointwise_kernel,
                                  strides, self.dilation_rate, self.padding.upper())
        return self._activate(outputs)


def separable_conv1d(inputs, filters, kernel_size, strides=1, padding="valid",
                     data_format="channels_last", dilation_rate=1, depth_multiplier=1,
                     activation=None, use_bias=True, depthwise_initializer=None,
                     pointwise_initializer=None, bias_initializer=zeros_initializer(),
                     depthwise_regularizer=None, pointwise_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                     pointwise_constraint=None, bias_constraint=None, trainable=True, name=None,
                     reuse=None):
    """Functional interface for the depthwise-separable 1-D convolution layer.

    Args:
      inputs: a 3-D Tensor, [batch, width, channels] (or channels first).
      filters, kernel_size, strides, padding, data_format, dilation_rate: as `SeparableConv1D`'s.
      depth_multiplier, activation, use_bias: likewise.
      depthwise_initializer, pointwise_initializer, bias_initializer: likewise.
      depthwise_regularizer, pointwise_regularizer, bias_regularizer: likewise.
      activity_regularizer, depthwise_constraint, pointwise_constraint: likewise.
      bias_constraint, trainable, name: likewise.
      reuse: whether to reuse the variables of an earlier layer of the same name.

    Returns:
      The output Tensor.

    Raises:
      ValueError: an argument is invalid, or the input's rank is below 3.

    >>> y = tf.layers.separable_conv1d(tf.zeros([2, 10, 3]), 4, 3, depth_multiplier=2)
    >>> print(y.name, y.shape, [v.shape.as_list() for v in tf.trainable_variables()])
    separable_conv1d/Squeeze:0 (2, 8, 4) [[3, 3, 2], [1, 6, 4], [4]]
    """
    return SeparableConv1D(
        filters, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
        activation, use_bias, depthwise_initializer, pointwise_initializer, bias_initializer,
        depthwise_regularizer, pointwise_regularizer, bias_regularizer, activity_regularizer,
        depthwise_constraint, pointwise_constraint, bias_constraint, trainable, name,
        _reuse=reuse)(inputs)


def separable_conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
                     data_format="channels_last", dilation_rate=(1, 1), depth_multiplier=1,
                     activation=None, use_bias=True, depthwise_initializer=None,
                     pointwise_initializer=None, bias_initializer=zeros_initializer(),
                     depthwise_regularizer=None, pointwise_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                     pointwise_constraint=None, bias_constraint=None, trainable=True, name=None,
                     reuse=None):
    """Functional interface for the depthwise-separable 2-D convolution layer.

    Args:
      inputs: a 4-D Tensor, [batch, height, width, channels] (or channels first).
      filters, kernel_size, strides, padding, data_format, dilation_rate: as `SeparableConv2D`'s.
      depth_multiplier, activation, use_bias: likewise.
      depthwise_initializer, pointwise_initializer, bias_initializer: likewise.
      depthwise_regularizer, pointwise_regularizer, bias_regularizer: likewise.
      activity_regularizer, depthwise_constraint, pointwise_constraint: likewise.
      bias_constraint, trainable, name: likewise.
      reuse: whether to reuse the variables of an earlier layer of the same name.

    Returns:
      The output Tensor.

    Raises:
      ValueError: an argument is invalid, or the input's rank is below 4.

    >>> y = tf.layers.separable_conv2d(tf.zeros([2, 8, 8, 3]), 4, 3, depth_multiplier=2)
    >>> print(y.name, y.shape, [v.shape.as_list() for v in tf.trainable_variables()])
    separable_conv2d/BiasAdd:0 (2, 6, 6, 4) [[3, 3, 3, 2], [1, 1, 6, 4], [4]]
    """
    return SeparableConv2D(
        filters, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
        activation, use_bias, depthwise_initializer, pointwise_initializer, bias_initializer,
        depthwise_regularizer, pointwise_regularizer, bias_regularizer, activity_regularizer,
        depthwise_constraint, pointwise_constraint, bias_constraint, trainable, name,
        _reuse=reuse)(inputs)
