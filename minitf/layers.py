"""`tf.layers` (TF1): layers as functions that make their variables through variable scopes.

`dense(x, units)` opens `variable_scope(name, default_name="dense")` and gets `kernel` and `bias`
there, so default names count up (`dense`, `dense_1`, ...), a given name with `reuse=True`
shares the variables, and scope defaults (initializer, regularizer, ...) apply.
"""
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.initializers import zeros_initializer
from minitf.ops import array_ops, manip_ops, math_ops, nn_ops
from minitf.variable_scope import get_variable, variable_scope

__all__ = ["dense", "dropout"]


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
    inputs = convert_to_tensor(inputs)
    shape = inputs.shape
    if shape.ndims is None or shape.as_list()[-1] is None:
        raise ValueError("The last dimension of the inputs to `Dense` should be defined. "
                         "Found `None`.")
    with variable_scope(name, default_name="dense", values=[inputs], reuse=reuse):
        kernel = get_variable("kernel", [shape.as_list()[-1], units], dtype=inputs.dtype.base_dtype,
                              initializer=kernel_initializer, regularizer=kernel_regularizer,
                              constraint=kernel_constraint, trainable=trainable)
        bias = None
        if use_bias:
            bias = get_variable("bias", [units], dtype=inputs.dtype.base_dtype,
                                initializer=bias_initializer, regularizer=bias_regularizer,
                                constraint=bias_constraint, trainable=trainable)
        outputs = _matmul_last_axis(inputs, kernel, units)
        if bias is not None:
            outputs = nn_ops.bias_add(outputs, bias)
        if activation is not None:
            outputs = activation(outputs)
        if activity_regularizer is not None:
            with name_scope("ActivityRegularizer"):
                loss = activity_regularizer(outputs)
            if loss is not None:
                get_default_graph().add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
    return outputs


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
    with name_scope(name, "dropout", [inputs]):
        inputs = convert_to_tensor(inputs)
        if training is False or rate == 0:
            return array_ops.identity(inputs)
        dropped = nn_ops.dropout(inputs, rate=rate, noise_shape=noise_shape, seed=seed)
        if training is True:
            return dropped
        on = math_ops.cast(training, inputs.dtype.base_dtype)
        return dropped * on + inputs * (1 - on)
