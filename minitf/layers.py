"""`tf.layers` (TF1): layers as functions that make their variables through variable scopes.

`dense(x, units)` opens `variable_scope(name, default_name="dense")` and gets `kernel` and `bias`
there, so default names count up (`dense`, `dense_1`, ...), a given name with `reuse=True`
shares the variables, and scope defaults (initializer, regularizer, ...) apply.
"""
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.graph_keys import GraphKeys
from minitf.framework.graph import get_default_graph
from minitf.initializers import zeros_initializer
from minitf.ops import array_ops, manip_ops, math_ops, nn_ops
from minitf.variable_scope import get_variable, variable_scope

__all__ = ["dense", "dropout"]


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
          trainable=True, name=None, reuse=None):
    """activation(inputs @ kernel + bias) over the last axis of `inputs` (any rank >= 2).

    Raises:
      ValueError: the last dimension of inputs is unknown, or the variables exist and reuse is
        not set (TF's message).
    """
    inputs = convert_to_tensor(inputs)
    shape = inputs.shape
    if shape.ndims is None or shape[-1].value is None:
        raise ValueError("The last dimension of the inputs to `Dense` should be defined. "
                         "Found `None`.")
    with variable_scope(name, default_name="dense", values=[inputs], reuse=reuse):
        kernel = get_variable("kernel", [shape[-1].value, units], dtype=inputs.dtype.base_dtype,
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
        flat = manip_ops.reshape(inputs, [-1, kernel.shape[0].value])
        product = math_ops.matmul(flat, kernel)
        out_shape = manip_ops.concat([array_ops.shape(inputs)[:-1], [units]], 0)
        out = manip_ops.reshape(product, out_shape)
    out.set_shape(inputs.shape[:-1].concatenate([units]))
    return out


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """nn.dropout(inputs, rate) when `training` (a bool or a bool tensor), inputs otherwise."""
    with name_scope(name, "dropout", [inputs]):
        inputs = convert_to_tensor(inputs)
        if training is False or rate == 0:
            return array_ops.identity(inputs)
        dropped = nn_ops.dropout(inputs, rate=rate, noise_shape=noise_shape, seed=seed)
        if training is True:
            return dropped
        on = math_ops.cast(training, inputs.dtype.base_dtype)
        return dropped * on + inputs * (1 - on)
