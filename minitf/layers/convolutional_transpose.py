"""`tf.layers`' transposed convolutions (TF1): Conv2DTranspose and Conv3DTranspose, as classes
and functions.

The kernel is [*kernel_size, filters, in_channels] (a convolution's, read backwards). The
output shape is built as TF does, from the input's static sizes where known and `tf.shape`
where not: "valid" gives `size * stride + max(kernel - stride, 0)`, "same" `size * stride`.
Conv2DTranspose runs channels first, as TF does on a CPU, between two transposes.
"""
from minitf.framework.tensor_shape import TensorShape
from minitf.initializers import zeros_initializer
from minitf.layers import conv_utils
from minitf.layers.convolutional import Conv2D, Conv3D
from minitf.ops import array_ops, manip_ops
from minitf.ops.conv3d_ops import conv3d_transpose as _conv3d_transpose_op
from minitf.ops.conv_composite_ops import conv2d_transpose as _conv2d_transpose_op

__all__ = ["Conv2DTranspose", "Conv3DTranspose", "conv2d_transpose", "conv3d_transpose"]


class _Transpose:
    """What both transposed convolutions share: the kernel's shape, the rank check, the
    output shape; mixed in before Conv2D / Conv3D."""

    def _kernel_shape(self, channels):
        return list(self.kernel_size) + [self.filters, channels]

    @property
    def _inputs_of(self):
        return f" to `{type(self).__name__}`"

    def build(self, input_shape):
        """Makes `kernel` [*kernel_size, filters, in_channels] and `bias` [filters].

        Args:
          input_shape: the input's TensorShape, of rank `rank + 2`.

        Raises:
          ValueError: the rank is not `rank + 2`, or the channel dimension is unknown.
        """
        self._check_rank(input_shape)
        if input_shape.ndims != self.rank + 2:
            raise ValueError(f"Inputs should have rank {self.rank + 2}. Received "
                             f"input_shape={input_shape}.")
        super().build(input_shape)

    def _out_length(self, length, axis):
        return conv_utils.deconv_output_length(length, self.kernel_size[axis], self.padding,
                                               self.strides[axis])

    def compute_output_shape(self, input_shape):
        """The output's static shape for an input of shape `input_shape`.

        Args:
          input_shape: a TensorShape or list of rank `rank + 2`.

        Returns:
          A TensorShape.
        """
        dims = list(TensorShape(input_shape).as_list())
        first = self.data_format == "channels_first"
        spatial = range(2, self.rank + 2) if first else range(1, self.rank + 1)
        for i, axis in enumerate(spatial):
            dims[axis] = self._out_length(dims[axis], i)
        dims[1 if first else -1] = self.filters
        return TensorShape(dims)

    def _finish(self, inputs, outputs):
        outputs.set_shape(self.compute_output_shape(inputs.shape))
        if self.use_bias:
            outputs = self._add_bias(outputs)
        if self.activation is not None:
            outputs = self.activation(outputs)
        conv_utils.add_activity_loss(self, outputs)
        return outputs


_CLASS_DOC = """The transposed {n}-D convolution layer (TF1's `tf.layers.{cls}`).

    Its kernel is [{kernel}, filters, in_channels]; the output's spatial sizes are
    `size * stride + max(kernel - stride, 0)` ("valid") or `size * stride` ("same").

    Args:
      filters: the number of output channels.
      kernel_size: an int or {n} ints, the window's size.
      strides: an int or {n} ints.
      padding: "valid" or "same" (any case).
      data_format: "channels_last" or "channels_first".
      activation: a function applied to the output, or None.
      use_bias: whether to add a bias.
      kernel_initializer: the kernel's initializer (None: the scope's, else glorot uniform).
      bias_initializer: the bias' initializer.
      kernel_regularizer: a regularizer of the kernel.
      bias_regularizer: a regularizer of the bias.
      activity_regularizer: a regularizer of the output.
      kernel_constraint: a constraint on the kernel.
      bias_constraint: a constraint on the bias.
      trainable: whether the variables go into TRAINABLE_VARIABLES.
      name: the layer's scope name (default "{func}", made unique).
      **kwargs: `Layer`'s other arguments.

    Raises:
      ValueError: an argument is invalid.
    """


class Conv2DTranspose(_Transpose, Conv2D):
    __doc__ = _CLASS_DOC.format(n=2, cls="Conv2DTranspose", kernel="height, width",
                                func="conv2d_transpose")

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format="channels_last", activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, (1, 1),
                         activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, trainable, name, **kwargs)

    def call(self, inputs):
        """Returns `activation(conv2d_transpose(inputs, kernel) + bias)`.

        Args:
          inputs: a 4-D Tensor.
        """
        first = self.data_format == "channels_first"
        dynamic = array_ops.shape(inputs)
        batch = dynamic[0]
        # (static sizes where known, as TF, so the output shape is mostly constants)
        dims = inputs.shape.as_list()
        sizes = [dims[a] if dims[a] is not None else dynamic[a]
                 for a in ((2, 3) if first else (1, 2))]
        out_h, out_w = (self._out_length(n, i) for i, n in enumerate(sizes))
        shape = manip_ops.stack([batch, self.filters, out_h, out_w] if first
                                else [batch, out_h, out_w, self.filters])
        strides = [1, *self.strides, 1]
        if first:  # TF's CPU path: NHWC between two transposes
            x = manip_ops.transpose(inputs, (0, 2, 3, 1))
            shape = manip_ops.stack([shape[0], shape[2], shape[3], shape[1]])
        else:
            x = inputs
            shape[0]  # (TF's `output_shape[0] is None` check slices it too)
        outputs = _conv2d_transpose_op(x, self.kernel, shape, strides,
                                       padding=self.padding.upper(), data_format="NHWC")
        if first:
            outputs = manip_ops.transpose(outputs, (0, 3, 1, 2))
        return self._finish(inputs, outputs)


class Conv3DTranspose(_Transpose, Conv3D):
    __doc__ = _CLASS_DOC.format(n=3, cls="Conv3DTranspose", kernel="depth, height, width",
                                func="conv3d_transpose")

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 data_format="channels_last", activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, (1, 1, 1),
                         activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, trainable, name, **kwargs)

    def call(self, inputs):
        """Returns `activation(conv3d_transpose(inputs, kernel) + bias)`.

        Args:
          inputs: a 5-D Tensor.
        """
        first = self.data_format == "channels_first"
        dynamic = array_ops.shape(inputs)
        batch = dynamic[0]
        # (TF reads all three sizes from tf.shape here, known or not)
        sizes = [dynamic[a] for a in ((2, 3, 4) if first else (1, 2, 3))]
        outs = [self._out_length(n, i) for i, n in enumerate(sizes)]
        shape = manip_ops.stack([batch, self.filters, *outs] if first
                                else [batch, *outs, self.filters])
        strides = [1, 1, *self.strides] if first else [1, *self.strides, 1]
        outputs = _conv3d_transpose_op(
            inputs, self.kernel, shape, strides, padding=self.padding.upper(),
            data_format=conv_utils.convert_data_format(self.data_format, 5))
        return self._finish(inputs, outputs)


def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
                     data_format="channels_last", activation=None, use_bias=True,
                     kernel_initializer=None, bias_initializer=zeros_initializer(),
                     kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                     kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                     reuse=None):
    """Functional interface for the transposed 2-D convolution layer.

    Args:
      inputs: a 4-D Tensor, [batch, height, width, channels] (or channels first).
      filters, kernel_size, strides, padding, data_format: as `Conv2DTranspose`'s.
      activation, use_bias, kernel_initializer, bias_initializer: likewise.
      kernel_regularizer, bias_regularizer, activity_regularizer: likewise.
      kernel_constraint, bias_constraint, trainable, name: likewise.
      reuse: whether to reuse the variables of an earlier layer of the same name.

    Returns:
      The output Tensor.

    Raises:
      ValueError: an argument is invalid, or the input is not 4-D.

    >>> x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    >>> y = tf.layers.conv2d_transpose(x, 4, 3, strides=2, padding="same")
    >>> print(y.shape, tf.trainable_variables()[0].shape)
    (?, 16, 16, 4) (3, 3, 4, 3)
    """
    return Conv2DTranspose(filters, kernel_size, strides, padding, data_format, activation,
                           use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                           bias_regularizer, activity_regularizer, kernel_constraint,
                           bias_constraint, trainable, name, _reuse=reuse)(inputs)


def conv3d_transpose(inputs, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                     data_format="channels_last", activation=None, use_bias=True,
                     kernel_initializer=None, bias_initializer=zeros_initializer(),
                     kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                     kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                     reuse=None):
    """Functional interface for the transposed 3-D convolution layer.

    Args:
      inputs: a 5-D Tensor, [batch, depth, height, width, channels] (or channels first).
      filters, kernel_size, strides, padding, data_format: as `Conv3DTranspose`'s.
      activation, use_bias, kernel_initializer, bias_initializer: likewise.
      kernel_regularizer, bias_regularizer, activity_regularizer: likewise.
      kernel_constraint, bias_constraint, trainable, name: likewise.
      reuse: whether to reuse the variables of an earlier layer of the same name.

    Returns:
      The output Tensor.

    Raises:
      ValueError: an argument is invalid, or the input is not 5-D.

    >>> y = tf.layers.conv3d_transpose(tf.zeros([1, 2, 2, 2, 3]), 4, 3, strides=2)
    >>> print(y.name, y.shape)
    conv3d_transpose/BiasAdd:0 (1, 5, 5, 5, 4)
    """
    return Conv3DTranspose(filters, kernel_size, strides, padding, data_format, activation,
                           use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                           bias_regularizer, activity_regularizer, kernel_constraint,
                           bias_constraint, trainable, name, _reuse=reuse)(inputs)
