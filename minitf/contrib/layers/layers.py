"""`tf.contrib.layers`' layers without variables (TF 1.15): pooling, `flatten`, `dropout`,
`one_hot_encoding`, and the `repeat` / `stack` combinators.

Each opens `name_scope(scope, <default name>)` (`MaxPool2D`, `Flatten`, `Dropout`, ...) and
adds its output to `outputs_collections` under that scope's name.
"""
import functools

from minitf.contrib.framework.arg_scope import add_arg_scope
from minitf.contrib.layers import utils
from minitf.contrib.layers.convolutional import fully_connected
from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.layers.core import Dropout, Flatten
from minitf.layers.pooling import AveragePooling2D, MaxPooling2D
from minitf.ops import math_ops
from minitf.ops.manip_ops import one_hot
from minitf.ops.nn_ops import relu, relu6
from minitf.variable_scope import variable_scope

__all__ = ["max_pool2d", "avg_pool2d", "flatten", "dropout", "one_hot_encoding", "repeat",
           "stack", "linear", "relu_layer", "relu6_layer"]


def _pool(layer_class, default_name, inputs, kernel_size, stride, padding, data_format,
          outputs_collections, scope):
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with name_scope(scope, default_name, [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        layer = layer_class(kernel_size, stride, padding=padding,
                            data_format="channels_first" if data_format == "NCHW"
                            else "channels_last")
        outputs = utils.apply_layer(layer, inputs)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def max_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC",
               outputs_collections=None, scope=None):
    """Adds a 2-D max pooling op, in `name_scope(scope, "MaxPool2D")`.

    Args:
      inputs: a 4-D Tensor, [batch, height, width, channels] for "NHWC".
      kernel_size: an int or [height, width], the window.
      stride: an int or [stride_height, stride_width].
      padding: "VALID" or "SAME".
      data_format: "NHWC" or "NCHW".
      outputs_collections: collections to add the output to.
      scope: the name scope.

    Returns:
      The pooled Tensor.

    Raises:
      ValueError: `data_format` is neither "NHWC" nor "NCHW".
    """
    return _pool(MaxPooling2D, "MaxPool2D", inputs, kernel_size, stride, padding, data_format,
                 outputs_collections, scope)


@add_arg_scope
def avg_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC",
               outputs_collections=None, scope=None):
    """Adds a 2-D average pooling op, in `name_scope(scope, "AvgPool2D")`.

    Args:
      inputs: a 4-D Tensor, [batch, height, width, channels] for "NHWC".
      kernel_size: an int or [height, width], the window.
      stride: an int or [stride_height, stride_width].
      padding: "VALID" or "SAME".
      data_format: "NHWC" or "NCHW".
      outputs_collections: collections to add the output to.
      scope: the name scope.

    Returns:
      The pooled Tensor.

    Raises:
      ValueError: `data_format` is neither "NHWC" nor "NCHW".
    """
    return _pool(AveragePooling2D, "AvgPool2D", inputs, kernel_size, stride, padding,
                 data_format, outputs_collections, scope)


@add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    """Flattens `inputs` to [batch, k], keeping the batch dimension.

    Args:
      inputs: a Tensor of rank >= 2.
      outputs_collections: collections to add the output to.
      scope: the name scope (default "Flatten").

    Returns:
      A 2-D Tensor.

    Raises:
      ValueError: `inputs` has rank < 2.
    """
    with name_scope(scope, "Flatten", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        rank = inputs.shape.ndims
        if rank is not None and rank < 2:
            raise ValueError(f"Input 0 of layer flatten is incompatible with the layer: "
                             f"expected min_ndim=2, found ndim={rank}. Full shape received: "
                             f"{inputs.shape.as_list()}")
        outputs = utils.apply_layer(Flatten(), inputs)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True,
            outputs_collections=None, scope=None, seed=None):
    """Drops elements with probability `1 - keep_prob` when training, scaling the others.

    Args:
      inputs: a Tensor.
      keep_prob: the probability of keeping each element.
      noise_shape: the shape of the keep/drop mask (broadcast to the input's).
      is_training: a Python bool or a bool Tensor; not training passes `inputs` through.
      outputs_collections: collections to add the output to.
      scope: the name scope (default "Dropout").
      seed: the mask's op seed.

    Returns:
      A Tensor like `inputs`.
    """
    with name_scope(scope, "Dropout", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        layer = Dropout(rate=1 - keep_prob, noise_shape=noise_shape, seed=seed)
        outputs = utils.apply_layer(layer, inputs, training=is_training)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def one_hot_encoding(labels, num_classes, on_value=1.0, off_value=0.0,
                     outputs_collections=None, scope=None):
    """Returns the one-hot encoding of integer `labels`.

    Args:
      labels: an integer Tensor of class ids.
      num_classes: the depth of the encoding.
      on_value: the value at the label's index.
      off_value: the value elsewhere.
      outputs_collections: collections to add the output to.
      scope: the name scope (default "OneHotEncoding").

    Returns:
      A Tensor of shape labels.shape + [num_classes].
    """
    with name_scope(scope, "OneHotEncoding", [labels, num_classes]) as sc:
        labels = convert_to_tensor(labels)
        if labels.dtype == dtypes.int32:
            labels = math_ops.cast(labels, dtypes.int64)
        outputs = one_hot(labels, num_classes, on_value=on_value, off_value=off_value)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


def _layer_name(layer, fallback):
    if hasattr(layer, "__name__"):
        return layer.__name__
    if hasattr(layer, "func") and hasattr(layer.func, "__name__"):  # functools.partial
        return layer.func.__name__
    return fallback


def repeat(inputs, repetitions, layer, *args, **kwargs):
    """Applies `layer` `repetitions` times, in scopes `<scope>_1`, `<scope>_2`, ....

    Opens `variable_scope(scope, "Repeat")`; without a `scope` keyword the inner scopes are
    named after the layer function (`Repeat/convolution2d_1`, ...).

    Args:
      inputs: a Tensor.
      repetitions: the number of times.
      layer: a layer function taking the output as its first argument and a `scope`.
      *args: more positional arguments of `layer`.
      **kwargs: more keyword arguments of `layer`; `scope` names the scopes.

    Returns:
      The last output.
    """
    scope = kwargs.pop("scope", None)
    with variable_scope(scope, "Repeat", [inputs]):
        outputs = convert_to_tensor(inputs)
        scope = scope if scope is not None else _layer_name(layer, "repeat")
        for i in range(repetitions):
            kwargs["scope"] = f"{scope}_{i + 1}"
            outputs = layer(outputs, *args, **kwargs)
        return outputs


def stack(inputs, layer, stack_args, **kwargs):
    """Applies `layer` once per entry of `stack_args`, in scopes `<scope>_1`, `<scope>_2`, ....

    `stack(x, fully_connected, [32, 64])` is `fully_connected(fully_connected(x, 32,
    scope="Stack/fully_connected_1"), 64, scope=...)`.

    Args:
      inputs: a Tensor.
      layer: a layer function.
      stack_args: a list or tuple: each entry (or tuple of entries) is the positional
        arguments of one call.
      **kwargs: keyword arguments of every call; `scope` names the scopes.

    Returns:
      The last output.

    Raises:
      ValueError: `stack_args` is not a list or tuple.
    """
    scope = kwargs.pop("scope", None)
    if not isinstance(stack_args, (list, tuple)):
        raise ValueError("stack_args need to be a list or tuple")
    with variable_scope(scope, "Stack", [inputs]):
        outputs = convert_to_tensor(inputs)
        scope = scope if scope is not None else _layer_name(layer, "stack")
        for i, layer_args in enumerate(stack_args):
            kwargs["scope"] = f"{scope}_{i + 1}"
            if not isinstance(layer_args, (list, tuple)):
                layer_args = [layer_args]
            outputs = layer(outputs, *layer_args, **kwargs)
        return outputs


linear = functools.partial(fully_connected, activation_fn=None)
relu_layer = functools.partial(fully_connected, activation_fn=relu)
relu6_layer = functools.partial(fully_connected, activation_fn=relu6)
