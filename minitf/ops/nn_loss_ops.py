"""`tf.nn` losses composed as TF composes them: sigmoid_cross_entropy_with_logits,
weighted_cross_entropy_with_logits, log_poisson_loss and TF1's softmax_cross_entropy_with_logits.

The logistic losses use TF's stable form max(x, 0) - x * z + log(1 + exp(-|x|)), which neither
overflows for large |x| nor loses precision near 0.
"""
import math

from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.ops import manip_ops, math_ops
from minitf.ops._shared import zeros_like
from minitf.ops.array_ops import stop_gradient
from minitf.ops.nn_ops import relu, softmax_cross_entropy_with_logits_v2

__all__ = ["sigmoid_cross_entropy_with_logits", "weighted_cross_entropy_with_logits",
           "log_poisson_loss", "softmax_cross_entropy_with_logits"]


def _same_shapes(a, b, what):
    sa, sb = a._shape, b._shape
    if sa is None or sb is None:
        return
    if len(sa) != len(sb) or any(x is not None and y is not None and x != y
                                 for x, y in zip(sa, sb)):
        first, second = what
        raise ValueError(f"`{first}` and `{second}` must have the same shape, received "
                         f"({tuple(sa)} vs {tuple(sb)}).")


def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Computes the sigmoid cross-entropy of `labels` given unscaled `logits`, element-wise.

    -z * log(sigmoid(x)) - (1 - z) * log(1 - sigmoid(x)) for logits x and labels z, computed
    as max(x, 0) - x * z + log(1 + exp(-|x|)), without overflow.

    Args:
      _sentinel: lets `labels` and `logits` be passed positionally, in that order.
      labels: a Tensor (or value) of `logits`' shape, converted to its dtype.
      logits: a float Tensor (or value).
      name: a name for the operation (default "logistic_loss").

    Returns:
      A Tensor of `logits`' shape and dtype: the loss of each element.

    Raises:
      ValueError: the shapes of `labels` and `logits` differ.

    >>> loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=[0.0, 0.0])
    >>> with tf.Session() as sess:
    ...     print(sess.run(loss).round(4))
    [0.6931 0.6931]
    """
    if _sentinel is not None:
        labels, logits = _sentinel, labels if logits is None else logits
    with name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, dtype=logits.dtype.base_dtype, name="labels")
        _same_shapes(logits, labels, ("logits", "labels"))
        cond = math_ops.greater_equal(logits, zeros_like(logits))
        relu_logits = manip_ops.where(cond, logits, zeros_like(logits))
        neg_abs = manip_ops.where(cond, math_ops.negative(logits), logits)
        return math_ops.add(relu_logits - logits * labels,
                            math_ops.log1p(math_ops.exp(neg_abs)), name=scope)


def weighted_cross_entropy_with_logits(labels=None, logits=None, pos_weight=None, name=None,
                                       targets=None):
    """Computes the sigmoid cross-entropy with the positive term weighted by `pos_weight`.

    z * -log(sigmoid(x)) * pos_weight + (1 - z) * -log(1 - sigmoid(x)), computed as
    (1 - z) * x + (1 + (pos_weight - 1) * z) * (log(1 + exp(-|x|)) + max(-x, 0)).

    Args:
      labels: a Tensor (or value) of `logits`' shape, converted to its dtype.
      logits: a float Tensor (or value).
      pos_weight: the weight of the positive examples' term.
      name: a name for the operation (default "logistic_loss").
      targets: TF1's old name for `labels`.

    Returns:
      A Tensor of `logits`' shape and dtype.

    Raises:
      ValueError: the shapes of `labels` and `logits` differ, or both `labels` and `targets`
        are given.
    """
    if targets is not None:
        if labels is not None:
            raise ValueError("Cannot specify both 'targets' and 'labels'.")
        labels = targets
    with name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, dtype=logits.dtype.base_dtype, name="labels")
        _same_shapes(logits, labels, ("logits", "labels"))
        log_weight = 1 + (pos_weight - 1) * labels
        return math_ops.add(
            (1 - labels) * logits,
            log_weight * (math_ops.log1p(math_ops.exp(math_ops.negative(math_ops.abs(logits))))
                          + relu(math_ops.negative(logits))), name=scope)


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    """Computes the negative log-likelihood of `targets` under a Poisson of log-rate `log_input`.

    exp(log_input) - log_input * targets; with `compute_full_loss`, plus Stirling's
    approximation of log(targets!) for targets > 1: t * log(t) - t + 0.5 * log(2 * pi * t).

    Args:
      targets: a Tensor (or value) of `log_input`'s shape and dtype.
      log_input: a float Tensor: the log of the Poisson rate.
      compute_full_loss: add the Stirling term (it has no effect on gradients by log_input).
      name: a name for the operation (default "log_poisson_loss").

    Returns:
      A Tensor of `log_input`'s shape and dtype.

    Raises:
      ValueError: the shapes of `targets` and `log_input` differ.
    """
    with name_scope(name, "log_poisson_loss", [log_input, targets]):
        log_input = convert_to_tensor(log_input, name="log_input")
        targets = convert_to_tensor(targets, name="targets")
        _same_shapes(log_input, targets, ("log_input", "targets"))
        result = math_ops.exp(log_input) - log_input * targets
        if not compute_full_loss:
            return result
        stirling = (targets * math_ops.log(targets) - targets
                    + 0.5 * math_ops.log(2 * math.pi * targets))
        small = math_ops.logical_and(math_ops.greater_equal(targets, 0),
                                     math_ops.less_equal(targets, 1))
        # (TF names no op after the scope here: the loss is "log_poisson_loss/add_1")
        return result + manip_ops.where(small, zeros_like(targets), stirling)


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1,
                                      name=None, axis=None):
    """Computes the softmax cross-entropy of class distributions `labels` and `logits` (TF1).

    As `softmax_cross_entropy_with_logits_v2`, but no gradient flows into `labels`.

    Args:
      _sentinel: lets `labels` and `logits` be passed positionally, in that order.
      labels: a Tensor (or value) of `logits`' shape: a distribution over the classes.
      logits: a float Tensor of shape [..., num_classes, ...].
      dim: the class dimension (default -1, the last).
      name: a name for the operation (default "softmax_cross_entropy_with_logits_sg").
      axis: the new name for `dim`.

    Returns:
      A Tensor of `logits`' dtype and shape without the class dimension.

    Raises:
      TypeError: `logits` is not of a float type.
      ValueError: the static shapes of `labels` and `logits` differ.
    """
    if _sentinel is not None:
        labels, logits = _sentinel, labels if logits is None else logits
    axis = dim if axis is None else axis
    with name_scope(name, "softmax_cross_entropy_with_logits_sg", [logits, labels]) as scope:
        labels = stop_gradient(labels, name="labels_stop_gradient")
        return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, axis=axis,
                                                    name=scope)
