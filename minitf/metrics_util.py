"""What every `tf.metrics` metric shares: its local variables, input alignment, collections."""
from minitf.framework import dtypes
from minitf.framework.api import add_to_collections
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.eager import executing_eagerly
from minitf.framework.graph_keys import GraphKeys
from minitf.ops._shared import ones_like
from minitf.ops.array_ops import zeros
from minitf.ops.manip_ops import squeeze
from minitf.ops.math_ops import (
    cast,
    multiply,
)
from minitf.variables import Variable

COMMON_ARGS = """      weights: None, or a Tensor broadcastable to the values (rank 0 or theirs):
        each value's weight; 0 leaves it out.
      metrics_collections: collections the value tensor is added to.
      updates_collections: collections the update op is added to.
      name: the variable scope of the metric (default: the metric's name)."""


def metric_variable(shape, dtype, validate_shape=True, name=None):
    """Creates a zero-initialized local variable in LOCAL_VARIABLES and METRIC_VARIABLES.

    Args:
      shape: the variable's shape.
      dtype: its dtype.
      validate_shape: whether its shape must stay `shape`.
      name: its name, in the current variable scope.

    Returns:
      A non-trainable Variable.
    """
    return Variable(lambda: zeros(shape, dtype), trainable=False,
                    collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.METRIC_VARIABLES],
                    validate_shape=validate_shape, name=name)


def check_graph(metric):
    """Raises RuntimeError when executing eagerly: TF1's metrics are graph-only.

    Args:
      metric: the metric's name, for the message.
    """
    if executing_eagerly():
        raise RuntimeError(f"tf.metrics.{metric} is not supported when eager execution "
                           "is enabled.")


def _squeeze_last(a, b):
    """Drops a size-1 last dimension of `a` when it has one more dimension than `b`."""
    if a.shape.ndims is not None and b.shape.ndims is not None \
            and a.shape.ndims == b.shape.ndims + 1 and a.shape[-1] == 1:
        return squeeze(a, [-1])
    return a


def squeezed(predictions, labels, weights):
    """Aligns [batch, 1] inputs with [batch] ones, as TF's remove_squeezable_dimensions.

    Args:
      predictions: the predictions.
      labels: the labels, or None.
      weights: the weights, or None.

    Returns:
      (predictions, labels, weights), Tensors (or None), a size-1 last dimension dropped
      where the other has one dimension fewer.
    """
    if labels is not None:
        labels = convert_to_tensor(labels)
        predictions = _squeeze_last(convert_to_tensor(predictions), labels)
        labels = _squeeze_last(labels, predictions)
    if weights is not None:
        weights = _squeeze_last(convert_to_tensor(weights), predictions)
    return predictions, labels, weights


def broadcast(weights, values):
    """Returns `weights` (float32) broadcast to the shape of `values`.

    Args:
      weights: a Tensor broadcastable to `values`.
      values: the Tensor whose shape to take.
    """
    return multiply(cast(weights, dtypes.float32), ones_like(values, dtype=dtypes.float32),
                    name="broadcast_weights")


def publish(value, update_op, metrics_collections, updates_collections):
    """Adds the value and update op to their collections; returns them as a pair.

    Args:
      value: the metric's value tensor.
      update_op: its update op.
      metrics_collections: collections for `value`.
      updates_collections: collections for `update_op`.
    """
    if metrics_collections:
        add_to_collections(metrics_collections, value)
    if updates_collections:
        add_to_collections(updates_collections, update_op)
    return value, update_op
