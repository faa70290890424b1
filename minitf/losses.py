"""`tf.losses`: TF1's weighted losses, the LOSSES collection and the regularization losses."""
from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant, convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.ops._shared import ones_like, shape as _shape, zeros_like
from minitf.ops.array_ops import rank, stop_gradient
from minitf.ops.elementwise_ops import div_no_nan
from minitf.ops.losses_util import (
    Reduction,
    add_loss,
    compute_weighted_loss,
    num_present as _num_present,
)
from minitf.ops.manip_ops import squeeze, where
from minitf.ops.math_ops import (
    abs,
    add,
    add_n,
    cast,
    exp,
    greater,
    log,
    log1p,
    maximum,
    minimum,
    multiply,
    squared_difference,
    subtract,
)
from minitf.ops.nn_ops import (
    relu,
    softmax_cross_entropy_with_logits_v2,
    sparse_softmax_cross_entropy_with_logits,
)
from minitf.ops.reduction_ops import reduce_sum
from minitf.ops.sequence_ops import range as _range

__all__ = [
    "Reduction", "absolute_difference", "add_loss", "compute_weighted_loss", "cosine_distance",
    "get_losses", "get_regularization_loss", "get_regularization_losses", "get_total_loss",
    "hinge_loss", "huber_loss", "log_loss", "mean_pairwise_squared_error", "mean_squared_error",
    "sigmoid_cross_entropy", "softmax_cross_entropy", "sparse_softmax_cross_entropy",
]

def get_losses(scope=None, loss_collection=GraphKeys.LOSSES):
    """Returns the losses of `loss_collection`, those whose name matches `scope` if given.

    Args:
      scope: a regex the losses' names must match from the start.
      loss_collection: the collection's name.

    Returns:
      A list of Tensors.
    """
    return get_default_graph().get_collection(loss_collection, scope)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    """Returns the sum of the LOSSES collection, with the regularization losses by default.

    Args:
      add_regularization_losses: whether to add `get_regularization_losses(scope)`.
      name: the name of the sum.
      scope: a regex the losses' names must match from the start.

    Returns:
      A scalar Tensor (an `add_n`).

    Raises:
      ValueError: if there are no losses.
    """
    losses = get_losses(scope=scope)
    if add_regularization_losses:
        losses = losses + get_regularization_losses(scope)
    if not losses:
        raise ValueError("Inputs must be an iterable of at least one Tensor/IndexedSlices "
                         "with the same dtype and shape.")
    return add_n(losses, name=name)


def get_regularization_losses(scope=None):
    """Returns the regularization losses collected in the default graph.

    `get_variable` (with a `regularizer`, its own or its scope's), `tf.layers.dense` and
    `tf.regularizers.apply_regularization` add them to the REGULARIZATION_LOSSES collection.

    Args:
      scope: if given, only the losses whose name matches this regex from the start.

    Returns:
      A list of scalar Tensors, in the order they were added.
    """
    return get_default_graph().get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    """Returns the sum of the regularization losses, ready to add to a model's loss.

    Args:
      scope: if given, only the losses whose name matches this regex from the start.
      name: the name of the sum, or of the 0.0 constant (a single loss is returned as it is).

    Returns:
      A scalar Tensor: the sum of `get_regularization_losses(scope)`, or a 0.0 constant when
      there are none.

    >>> with tf.variable_scope("dense", regularizer=tf.regularizers.l1(0.1)):
    ...     w = tf.get_variable("w", initializer=[1.0, -2.0])
    ...     b = tf.get_variable("b", initializer=[4.0])
    >>> total = tf.losses.get_regularization_loss()
    >>> print(total.name)
    total_regularization_loss:0
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     print(round(float(sess.run(total)), 6))
    0.7
    """
    losses = get_regularization_losses(scope)
    if losses:
        return add_n(losses, name=name)
    return constant(0.0, name=name)

def _check_given(labels, predictions, first="labels", second="predictions"):
    """Raises ValueError if either is None, as TF does before opening the loss's scope."""
    if labels is None:
        raise ValueError(f"Argument `{first}` must not be None.")
    if predictions is None:
        raise ValueError(f"Argument `{second}` must not be None.")


def _pair(labels, predictions):
    """Converts the two to float32 Tensors of compatible static shapes."""
    predictions = cast(predictions, dtypes.float32)
    labels = cast(labels, dtypes.float32)
    predictions.shape.assert_is_compatible_with(labels.shape)
    return labels, predictions


def _loss(default_name, labels, predictions, weights, scope, kernel, loss_collection,
          reduction, names=("labels", "predictions")):
    """Runs `kernel(labels, predictions)` in its scope and weights the result."""
    _check_given(labels, predictions, *names)
    with name_scope(scope, default_name, [predictions, labels, weights]) as scope:
        labels, predictions = _pair(labels, predictions)
        losses = kernel(labels, predictions)
        return compute_weighted_loss(losses, weights, scope, loss_collection,
                                     reduction=reduction)


def absolute_difference(labels, predictions, weights=1.0, scope=None,
                        loss_collection=GraphKeys.LOSSES,
                        reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Adds an absolute-difference loss: the weighted mean of |predictions - labels|.

    Args:
      labels: the ground truth, of the predictions' shape.
      predictions: the predicted values.
      weights: a Tensor broadcastable to the losses (rank 0 or that of `labels`).
      scope: the name scope of the loss.
      loss_collection: the collection the loss is added to.
      reduction: a `Reduction` constant.

    Returns:
      The weighted loss, float32: a scalar, or the losses' shape for Reduction.NONE.

    Raises:
      ValueError: if `labels` or `predictions` is None or their shapes are incompatible.
    """
    return _loss("absolute_difference", labels, predictions, weights, scope,
                 lambda y, p: abs(subtract(p, y)), loss_collection, reduction)


def mean_squared_error(labels, predictions, weights=1.0, scope=None,
                       loss_collection=GraphKeys.LOSSES,
                       reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Adds a sum-of-squares loss: the weighted mean of (predictions - labels)**2.

    Args:
      labels: the ground truth, of the predictions' shape.
      predictions: the predicted values.
      weights: a Tensor broadcastable to the losses (rank 0 or that of `labels`).
      scope: the name scope of the loss.
      loss_collection: the collection the loss is added to.
      reduction: a `Reduction` constant.

    Returns:
      The weighted loss, float32: a scalar, or the losses' shape for Reduction.NONE.

    Raises:
      ValueError: if `labels` or `predictions` is None or their shapes are incompatible.
    """
    return _loss("mean_squared_error", labels, predictions, weights, scope,
                 lambda y, p: squared_difference(p, y), loss_collection, reduction)


def hinge_loss(labels, logits, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
               reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Adds a hinge loss: relu(1 - (2 * labels - 1) * logits), labels 0 or 1.

    Args:
      labels: the ground truth, 0 or 1, of the logits' shape.
      logits: the logits.
      weights: a Tensor broadcastable to the losses (rank 0 or that of `labels`).
      scope: the name scope of the loss.
      loss_collection: the collection the loss is added to.
      reduction: a `Reduction` constant.

    Returns:
      The weighted loss, float32: a scalar, or the losses' shape for Reduction.NONE.

    Raises:
      ValueError: if `labels` or `predictions` is None or their shapes are incompatible.
    """
    def kernel(y, x):
        all_ones = ones_like(y)
        signs = subtract(multiply(2.0, y), all_ones)  # labels 0/1 become -1/+1
        return relu(subtract(all_ones, multiply(signs, x)))
    return _loss("hinge_loss", labels, logits, weights, scope, kernel, loss_collection,
                 reduction, names=("labels", "logits"))


def huber_loss(labels, predictions, weights=1.0, delta=1.0, scope=None,
               loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Adds a Huber loss: quadratic within `delta` of the labels, linear beyond.

    Args:
      labels: the ground truth, of the predictions' shape.
      predictions: the predicted values.
      delta: where the loss turns from quadratic to linear.
      weights: a Tensor broadcastable to the losses (rank 0 or that of `labels`).
      scope: the name scope of the loss.
      loss_collection: the collection the loss is added to.
      reduction: a `Reduction` constant.

    Returns:
      The weighted loss, float32: a scalar, or the losses' shape for Reduction.NONE.

    Raises:
      ValueError: if `labels` or `predictions` is None or their shapes are incompatible.
    """
    def kernel(y, p):
        abs_error = abs(subtract(p, y))
        quadratic = minimum(abs_error, delta)
        linear = subtract(abs_error, quadratic)  # the part beyond delta grows linearly
        return add(multiply(0.5, multiply(quadratic, quadratic)), multiply(delta, linear))
    return _loss("huber_loss", labels, predictions, weights, scope, kernel, loss_collection,
                 reduction)


def log_loss(labels, predictions, weights=1.0, epsilon=1e-7, scope=None,
             loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Adds a log loss: -labels * log(p + eps) - (1 - labels) * log(1 - p + eps).

    Args:
      labels: the ground truth, of the predictions' shape.
      predictions: the predicted values.
      epsilon: added inside the logs so that they stay finite.
      weights: a Tensor broadcastable to the losses (rank 0 or that of `labels`).
      scope: the name scope of the loss.
      loss_collection: the collection the loss is added to.
      reduction: a `Reduction` constant.

    Returns:
      The weighted loss, float32: a scalar, or the losses' shape for Reduction.NONE.

    Raises:
      ValueError: if `labels` or `predictions` is None or their shapes are incompatible.
    """
    def kernel(y, p):
        return subtract(-multiply(y, log(add(p, epsilon))),
                        multiply(subtract(1.0, y), log(add(subtract(1.0, p), epsilon))))
    return _loss("log_loss", labels, predictions, weights, scope, kernel, loss_collection,
                 reduction)


def cosine_distance(labels, predictions, axis=None, weights=1.0, scope=None,
                    loss_collection=GraphKeys.LOSSES,
                    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS, dim=None):
    """Adds a cosine-distance loss: 1 - sum(labels * predictions, axis), unit vectors assumed.

    Args:
      labels: the ground truth, of the predictions' shape.
      predictions: the predicted values.
      axis, dim: the dimension the vectors lie along (`dim` is TF1's old name for it).
      weights: a Tensor broadcastable to the losses (rank 0 or that of `labels`).
      scope: the name scope of the loss.
      loss_collection: the collection the loss is added to.
      reduction: a `Reduction` constant.

    Returns:
      The weighted loss, float32: a scalar, or the losses' shape for Reduction.NONE.

    Raises:
      ValueError: if `labels` or `predictions` is None or their shapes are incompatible.
    """
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    if axis is None:
        raise ValueError("You must specify argument `axis`.")

    def kernel(y, p):
        return subtract(1.0, reduce_sum(multiply(p, y), axis=(axis,), keepdims=True))
    return _loss("cosine_distance_loss", labels, predictions, weights, scope, kernel,
                 loss_collection, reduction)


def mean_pairwise_squared_error(labels, predictions, weights=1.0, scope=None,
                                loss_collection=GraphKeys.LOSSES):
    """Adds a pairwise-errors-squared loss: the mean of ((p_i - p_j) - (l_i - l_j))**2.

    The pairs are taken within each batch entry (over all dimensions but the first); `weights`
    is per batch entry (shape [batch] or a scalar).

    Args:
      labels: the ground truth, of the predictions' shape, rank >= 2 ([batch, ...]).
      predictions: the predicted values.
      weights: a scalar or a [batch]-shaped Tensor (or [batch, 1, ...]).
      scope: the name scope of the loss.
      loss_collection: the collection the loss is added to.

    Returns:
      A scalar float32 Tensor.

    Raises:
      ValueError: if `labels` or `predictions` is None or their shapes are incompatible.
    """
    _check_given(labels, predictions)
    with name_scope(scope, "mean_pairwise_squared_error", [predictions, labels, weights]):
        labels, predictions = _pair(labels, predictions)
        weights = cast(weights, dtypes.float32)
        diffs = subtract(predictions, labels)
        axis = _range(1, rank(diffs))
        n = _num_present(diffs, weights, per_batch=True)
        sum_sq = reduce_sum(multiply(diffs, diffs), axis, keepdims=True)
        term1 = multiply(2.0, div_no_nan(sum_sq, maximum(subtract(n, 1.0), 0.0), name="value"))
        sum_diff = reduce_sum(diffs, axis, keepdims=True)
        term2 = multiply(2.0, div_no_nan(multiply(sum_diff, sum_diff),
                                         maximum(multiply(n, subtract(n, 1.0)), 0.0),
                                         name="value"))
        loss = reduce_sum(multiply(subtract(term1, term2), weights))
        mean_loss = where(greater(reduce_sum(n), 0.0), loss, zeros_like(loss), name="value")
        add_loss(mean_loss, loss_collection)
        return mean_loss


def _sigmoid_xent(labels, logits):
    """max(x, 0) - x * z + log1p(exp(-|x|)): TF's overflow-free sigmoid cross-entropy."""
    with name_scope(None, "logistic_loss", [logits, labels]) as scope:
        return add(subtract(relu(logits), multiply(logits, labels)),
                   log1p(exp(-abs(logits))), name=scope)


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0,
                          scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Adds a sigmoid cross-entropy loss of `logits` against 0/1 `multi_class_labels`.

    Args:
      multi_class_labels: the 0/1 labels, of the logits' shape.
      logits: the logits.
      label_smoothing: if > 0, labels become labels * (1 - s) + s / 2.
      weights: a Tensor broadcastable to the losses (rank 0 or that of `labels`).
      scope: the name scope of the loss.
      loss_collection: the collection the loss is added to.
      reduction: a `Reduction` constant.

    Returns:
      The weighted loss, float32: a scalar, or the losses' shape for Reduction.NONE.

    Raises:
      ValueError: if `labels` or `predictions` is None or their shapes are incompatible.
    """
    def kernel(z, x):
        if label_smoothing > 0:  # pull the 0/1 labels towards 1/2
            z = add(multiply(z, 1.0 - label_smoothing), 0.5 * label_smoothing)
        return _sigmoid_xent(z, x)
    return _loss("sigmoid_cross_entropy_loss", multi_class_labels, logits, weights, scope,
                 kernel, loss_collection, reduction, names=("multi_class_labels", "logits"))


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Adds a softmax cross-entropy loss of `logits` against one-hot `onehot_labels`.

    Args:
      onehot_labels: the one-hot labels, [batch, num_classes].
      logits: the logits, [batch, num_classes].
      label_smoothing: if > 0, labels become labels * (1 - s) + s / num_classes.
      weights: a Tensor broadcastable to the losses (rank 0 or that of `labels`).
      scope: the name scope of the loss.
      loss_collection: the collection the loss is added to.
      reduction: a `Reduction` constant.

    Returns:
      The weighted loss, float32: a scalar, or the losses' shape for Reduction.NONE.

    Raises:
      ValueError: if `labels` or `predictions` is None or their shapes are incompatible.
    """
    def kernel(z, x):
        if label_smoothing > 0:  # spread label_smoothing evenly over the classes
            num_classes = cast(_shape(z)[-1], x.dtype)
            z = add(multiply(z, 1.0 - label_smoothing), div_no_nan(label_smoothing, num_classes))
        z = stop_gradient(z, name="labels_stop_gradient")
        return softmax_cross_entropy_with_logits_v2(labels=z, logits=x, name="xentropy")
    return _loss("softmax_cross_entropy_loss", onehot_labels, logits, weights, scope, kernel,
                 loss_collection, reduction, names=("onehot_labels", "logits"))


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None,
                                 loss_collection=GraphKeys.LOSSES,
                                 reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Adds a softmax cross-entropy loss of `logits` against class indices `labels`.

    Args:
      labels: the int class indices, [batch] (or [batch, 1]).
      logits: the logits, [batch, num_classes].
      weights: a Tensor broadcastable to the losses (rank 0 or that of `labels`).
      scope: the name scope of the loss.
      loss_collection: the collection the loss is added to.
      reduction: a `Reduction` constant.

    Returns:
      The weighted loss, float32: a scalar, or the losses' shape for Reduction.NONE.

    Raises:
      ValueError: if `labels` or `predictions` is None or their shapes are incompatible.
    """
    _check_given(labels, logits, "labels", "logits")
    with name_scope(scope, "sparse_softmax_cross_entropy_loss", [logits, labels, weights]) as s:
        labels = convert_to_tensor(labels)
        logits = convert_to_tensor(logits)
        if labels.shape.ndims is not None and logits.shape.ndims is not None \
                and labels.shape.ndims == logits.shape.ndims and labels.shape[-1] == 1:
            labels = squeeze(labels, [-1])  # [batch, 1] labels of [batch, classes] logits
        if not isinstance(weights, float):
            weights = convert_to_tensor(weights)
            if weights.shape.ndims is not None and labels.shape.ndims is not None \
                    and weights.shape.ndims == labels.shape.ndims + 1 and weights.shape[-1] == 1:
                weights = squeeze(weights, [-1])  # [batch, 1] weights of [batch] labels
        losses = sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                          name="xentropy")
        return compute_weighted_loss(losses, weights, s, loss_collection, reduction=reduction)
