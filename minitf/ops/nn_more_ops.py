"""More `tf.nn` activations and layers: leaky_relu, selu, swish, crelu, relu_layer, xw_plus_b.

LeakyRelu and Selu are ops of their own (TF has kernels for them); the others are compositions
of existing ops, as TF composes them, so their op names follow TF's.
"""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops import manip_ops, math_ops
from minitf.ops._shared import same_shape
from minitf.ops.batch_matmul_ops import matmul
from minitf.ops.nn_ops import _FLOATS, _features_dtype, bias_add, relu

__all__ = ["leaky_relu", "selu", "swish", "silu", "crelu", "relu_layer", "xw_plus_b"]

# SELU's constants (Klambauer et al., 2017), as TF's kernel has them
_SELU_SCALE = 1.0507009873554805
_SELU_ALPHA = 1.6732632423543772


@register_op("LeakyRelu", shape=same_shape, dtype=_features_dtype(_FLOATS))
def _leaky_relu(x, alpha=0.2):
    return np.where(x > 0, x, x * x.dtype.type(alpha))


@register_op("Selu", shape=same_shape, dtype=_features_dtype(_FLOATS))
def _selu(x):
    neg = _SELU_SCALE * _SELU_ALPHA * np.expm1(np.minimum(x, 0))
    return np.where(x > 0, _SELU_SCALE * x, neg).astype(x.dtype)


@_leaky_relu.gradient
def _leaky_relu_grad(op, grad):
    # the slope at 0 is alpha's, as TF's LeakyReluGrad has it
    alpha = op.get_attr("alpha")
    return [manip_ops.where(math_ops.greater(op.inputs[0], 0), grad, grad * alpha)]


@_selu.gradient
def _selu_grad(op, grad):
    y = op.outputs[0]
    return [manip_ops.where(math_ops.less(y, 0), grad * (y + _SELU_SCALE * _SELU_ALPHA),
                            grad * _SELU_SCALE)]


def leaky_relu(features, alpha=0.2, name=None):
    """Computes the leaky rectified linear function: features if > 0, else alpha * features.

    Args:
      features: a Tensor (or value) of a float type; integers are cast to float32 first.
      alpha: the slope for negative features (default 0.2).
      name: a name for the operation (default "LeakyRelu").

    Returns:
      A Tensor of `features`' shape and (float) dtype.

    Raises:
      TypeError: `features` is not of a real type.

    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.nn.leaky_relu([-2.0, 0.0, 1.5])))
    [-0.4  0.   1.5]
    """
    with name_scope(name, "LeakyRelu", [features, alpha]) as scope:
        features = convert_to_tensor(features, name="features")
        if features.dtype.is_integer:
            features = math_ops.cast(features, dtypes.float32)
        return _leaky_relu.apply([features], name=scope, alpha=float(alpha))


def selu(features, name=None):
    """Computes the scaled exponential linear unit: scale * (x if x > 0 else alpha * (exp(x) - 1)).

    scale = 1.0507009873554805 and alpha = 1.6732632423543772 (Klambauer et al., 2017).

    Args:
      features: a float Tensor (or value).
      name: a name for the operation (default "Selu").

    Returns:
      A Tensor of `features`' shape and dtype.

    Raises:
      TypeError: `features` is not of a float type.
    """
    return _selu.apply([features], name=name or "Selu")


def swish(features, beta=1.0, name=None):
    """Computes the Swish (SiLU) activation: features * sigmoid(beta * features).

    Args:
      features: a float Tensor (or value).
      beta: the sigmoid's scale (default 1.0).
      name: a name for the operation (default "swish").

    Returns:
      A Tensor of `features`' shape and dtype.
    """
    with name_scope(name, "swish", [features]) as scope:
        features = convert_to_tensor(features, name="features")
        inner = features if beta == 1.0 else features * math_ops.cast(
            beta, features.dtype.base_dtype)
        return math_ops.multiply(features, math_ops.sigmoid(inner), name=scope)


silu = swish


def crelu(features, name=None, axis=-1):
    """Computes the concatenated ReLU: relu of `features` and of `-features`, concatenated.

    Args:
      features: a Tensor (or value) of a real type.
      name: a name for the operation (default "CRelu").
      axis: the dimension to concatenate along (default -1); it doubles in size.

    Returns:
      A Tensor of `features`' dtype whose `axis` dimension is twice as long.
    """
    with name_scope(name, "CRelu", [features]) as scope:
        features = convert_to_tensor(features, name="features")
        both = manip_ops.concat([features, math_ops.negative(features)], axis, name=scope)
        return relu(both)


def xw_plus_b(x, weights, biases, name=None):
    """Computes matmul(x, weights) + biases.

    Args:
      x: a 2-D Tensor (or value).
      weights: a 2-D Tensor whose first dimension is x's second.
      biases: a 1-D Tensor of weights' second dimension.
      name: a name for the operation (default "xw_plus_b").

    Returns:
      A 2-D Tensor of shape [x's rows, weights' columns].

    Raises:
      ValueError: the shapes do not line up.
    """
    with name_scope(name, "xw_plus_b", [x, weights, biases]) as scope:
        x = convert_to_tensor(x, name="x")
        weights = convert_to_tensor(weights, name="weights")
        biases = convert_to_tensor(biases, name="biases")
        return bias_add(matmul(x, weights), biases, name=scope)


def relu_layer(x, weights, biases, name=None):
    """Computes relu(matmul(x, weights) + biases).

    Args:
      x: a 2-D Tensor (or value).
      weights: a 2-D Tensor whose first dimension is x's second.
      biases: a 1-D Tensor of weights' second dimension.
      name: a name for the operation (default "relu_layer").

    Returns:
      A 2-D Tensor of shape [x's rows, weights' columns].

    Raises:
      ValueError: the shapes do not line up.
    """
    with name_scope(name, "relu_layer", [x, weights, biases]) as scope:
        x = convert_to_tensor(x, name="x")
        weights = convert_to_tensor(weights, name="weights")
        biases = convert_to_tensor(biases, name="biases")
        return relu(bias_add(matmul(x, weights), biases), name=scope)
