"""`tf.layers`' core layers (TF1): Dense, Dropout and Flatten, as classes and functions.

`dense(x, units)` is `Dense(units)(x)`: its first call opens `variable_scope(name,
default_name="dense")` and gets `kernel` and `bias` there, so default names count up (`dense`,
`dense_1`, ...), a given name with `reuse=True` shares the variables, and scope defaults
(initializer, regularizer, ...) apply.
"""
from minitf.control_flow.cond import cond
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.tensor_shape import TensorShape
from minitf.initializers import zeros_initializer
from minitf.layers.base import Layer
from minitf.layers.conv_utils import add_activity_loss
from minitf.ops import array_ops, manip_ops, math_ops, nn_ops

__all__ = ["Dense", "Dropout", "Flatten", "dense", "dropout", "flatten"]


class Dense(Layer):
    """The densely-connected layer: `activation(inputs @ kernel + bias)`.

    TF1's `tf.layers.Dense`.

    Args:
      units: the size of the output's last dimension.
      activation: a function applied to the output, or None.
      use_bias: whether to add a bias.
      kernel_initializer: the kernel's initializer.
      bias_initializer: the bias' initializer.
      kernel_regularizer: a regularizer of the kernel.
      bias_regularizer: a regularizer of the bias.
      activity_regularizer: a regularizer of the output.
      kernel_constraint: a constraint on the kernel.
      bias_constraint: a constraint on the bias.
      trainable: whether the variables are trained.
      name: the layer's scope name.
      **kwargs: `Layer`'s other arguments.
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=zeros_initializer(), kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.units, self.activation, self.use_bias = units, activation, use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.activity_regularizer = activity_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint

    def build(self, input_shape):
        """Makes `kernel` [last input dim, units] and `bias` [units].

        Args:
          input_shape: the input's TensorShape (its last dim must be known).

        Raises:
          ValueError: the last dimension is unknown.
        """
        if input_shape.ndims is None or input_shape.as_list()[-1] is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. "
                             "Found `None`.")
        self.kernel = self.add_weight("kernel", [input_shape.as_list()[-1], self.units],
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", [self.units], initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def call(self, inputs):
        """Returns `activation(inputs @ kernel + bias)` over the last axis.

        Args:
          inputs: a Tensor of rank >= 2.
        """
        inputs = convert_to_tensor(inputs)
        outputs = _matmul_last_axis(inputs, self.kernel, self.units)
        if self.bias is not None:
            outputs = nn_ops.bias_add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        add_activity_loss(self, outputs)
        return outputs


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
          trainable=True, name=None, reuse=None):
    """Functional interface for the densely-connected layer.

    Computes `activation(inputs @ kernel + bias)` over the last axis of `inputs` (any rank
    >= 2). The variables `kernel` and `bias` are made with `get_variable` in
    `variable_scope(name, default_name="dense")`, so unnamed layers count up (`dense`,
    `dense_1`, ...) and the scope's defaults (initializer, regularizer, ...) apply.

    Args:
      inputs: a Tensor whose last dimension is known.
      units: the size of the output's last dimension.
      activation: a function applied to the output, or None for a linear layer.
      use_bias: whether to add a bias.
      kernel_initializer: the kernel's initializer (None: the scope's, else glorot uniform).
      bias_initializer: the bias' initializer.
      kernel_regularizer: a regularizer of the kernel; its loss goes to REGULARIZATION_LOSSES.
      bias_regularizer: a regularizer of the bias.
      activity_regularizer: a regularizer of the output.
      kernel_constraint: a constraint optimizers apply to the kernel after each update.
      bias_constraint: a constraint applied to the bias after each update.
      trainable: whether the variables go into TRAINABLE_VARIABLES.
      name: the layer's scope name.
      reuse: whether to reuse the variables of an earlier layer of the same name.

    Returns:
      A Tensor shaped like `inputs` but with `units` as its last dimension.

    Raises:
      ValueError: the last dimension of `inputs` is unknown, or the layer's variables already
        exist and `reuse` is not set.

    >>> x = tf.placeholder(tf.float32, [None, 3])
    >>> hidden = tf.layers.dense(x, 4, activation=tf.nn.relu)
    >>> out = tf.layers.dense(hidden, 2, name="out")
    >>> print(out.shape, [v.name for v in tf.trainable_variables()])
    (?, 2) ['dense/kernel:0', 'dense/bias:0', 'out/kernel:0', 'out/bias:0']
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     print(sess.run(out, {x: np.ones([5, 3])}).shape)
    (5, 2)
    """
    layer = Dense(units, activation=activation, use_bias=use_bias,
                  kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                  kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                  activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                  bias_constraint=bias_constraint, trainable=trainable, name=name, _reuse=reuse)
    return layer(inputs)


def _matmul_last_axis(inputs, kernel, units):
    if inputs.shape.ndims == 2:
        return math_ops.matmul(inputs, kernel)
    with name_scope("Tensordot"):
        flat = manip_ops.reshape(inputs, [-1, kernel.shape.as_list()[0]])
        product = math_ops.matmul(flat, kernel)
        out_shape = manip_ops.concat([array_ops.shape(inputs)[:-1], [units]], 0)
        out = manip_ops.reshape(product, out_shape)
    out.set_shape(inputs.shape[:-1].concatenate([units]))
    return out


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """Applies dropout to the input when training.

    In training, each element is set to 0 with probability `rate` and the others are scaled
    by `1 / (1 - rate)`, so the expected sum is unchanged; otherwise the input passes through.

    Args:
      inputs: a Tensor.
      rate: the fraction of elements to drop, in [0, 1).
      noise_shape: the shape of the keep/drop mask, broadcast to the input's (None: the
        input's shape).
      seed: the op seed of the random mask.
      training: a Python bool, or a bool Tensor to choose when the graph runs.
      name: the name scope of the ops (default "dropout").

    Returns:
      A Tensor of the same shape and dtype as `inputs`.

    Raises:
      ValueError: `rate` is a number outside [0, 1) and `training` is not False.

    >>> x = tf.ones([2, 4])
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.layers.dropout(x, rate=0.5)))
    ...     dropped = sess.run(tf.layers.dropout(x, rate=0.5, training=True, seed=1))
    [[1. 1. 1. 1.]
     [1. 1. 1. 1.]]
    >>> set(dropped.ravel().tolist()) <= {0.0, 2.0}
    True
    """
    return Dropout(rate, noise_shape=noise_shape, seed=seed, name=name)(inputs,
                                                                         training=training)


class Dropout(Layer):
    """Dropout when training (TF1's `tf.layers.Dropout`).

    A bool tensor `training` chooses by a `cond` when the graph runs.

    Args:
      rate: the fraction of elements to drop, in [0, 1).
      noise_shape: the mask's shape, broadcast to the input's.
      seed: the op seed of the mask.
      name: the name scope (default "dropout").
      **kwargs: `Layer`'s other arguments.
    """

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def __call__(self, inputs, training=False):
        """Returns the inputs with dropout applied when `training`.

        Args:
          inputs: a Tensor.
          training: a Python bool or a bool Tensor.
        """
        with name_scope(self._name_arg, "dropout", [inputs]):
            return self.call(convert_to_tensor(inputs), training=training)

    apply = __call__

    def call(self, inputs, training=False):
        """Returns `inputs` dropped out when `training`, else as they are.

        Args:
          inputs: a Tensor.
          training: a Python bool or a bool Tensor.
        """
        def drop():
            return nn_ops.dropout(inputs, rate=self.rate, noise_shape=self.noise_shape,
                                  seed=self.seed)
        if training is False or self.rate == 0:
            return array_ops.identity(inputs)
        if training is True:
            return drop()
        return cond(convert_to_tensor(training), drop, lambda: array_ops.identity(inputs))


class Flatten(Layer):
    """Flattens each example to one dimension, keeping the batch dimension.

    TF1's `tf.layers.Flatten`.

    Args:
      data_format: "channels_last" (default) or "channels_first" (then the channels move
        last first, as TF does).
      **kwargs: `Layer`'s arguments.
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or "channels_last"

    def call(self, inputs):
        """Returns `inputs` reshaped to [batch, -1].

        Args:
          inputs: a Tensor of rank >= 1.
        """
        inputs = convert_to_tensor(inputs)
        rank = inputs.shape.ndims
        if self.data_format == "channels_first" and rank is not None and rank > 2:
            inputs = manip_ops.transpose(inputs, [0] + list(range(2, rank)) + [1])
        dims = inputs.shape.as_list() if rank is not None else None
        if dims is not None and None not in dims[1:]:
            rest = 1
            for d in dims[1:]:
                rest *= d
            return manip_ops.reshape(inputs, [-1, rest])
        out = manip_ops.reshape(inputs, manip_ops.stack([array_ops.shape(inputs)[0], -1]))
        out.set_shape(TensorShape([dims[0] if dims else None, None]))
        return out


def flatten(inputs, name=None, data_format="channels_last"):
    """Flattens each example of `inputs` to one dimension, keeping the batch dimension.

    Args:
      inputs: a Tensor of rank >= 1.
      name: the layer's name (default "flatten", made unique).
      data_format: "channels_last" or "channels_first".

    Returns:
      A Tensor of shape [batch, product of the other dims].

    >>> tf.layers.flatten(tf.zeros([2, 3, 4])).shape
    TensorShape([Dimension(2), Dimension(12)])
    """
    return Flatten(name=name, data_format=data_format)(inputs)
