"""TF 1.15's contrib/losses/loss_ops.py: the pre-`tf.losses` losses.

Every weighted loss casts to float32, sums `losses * weights` (the losses first summed down to
the weights' rank; weights `[batch, 1]` are squeezed to `[batch]`), divides by the number of
elements whose broadcast weight is nonzero (0 when none is), casts back to the losses' dtype and
adds the result to the LOSSES collection, under the loss's name scope as `<scope>/value`.
`hinge_loss` alone is unweighted and elementwise, and not collected.
"""
import minitf as tf
from minitf.framework.graph_keys import GraphKeys

__all__ = ["absolute_difference", "add_loss", "compute_weighted_loss", "cosine_distance",
           "get_losses", "get_regularization_losses", "get_total_loss", "hinge_loss",
           "log_loss", "mean_pairwise_squared_error", "mean_squared_error",
           "sigmoid_cross_entropy", "softmax_cross_entropy", "sparse_softmax_cross_entropy"]


def _sum(x, axis):
    # TF reduces over `axis=[]` as the identity; an empty Python list has no int dtype here
    return tf.reduce_sum(x, axis=axis) if axis else x


def _scale_losses(losses, weights):
    axis = list(range(max(0, weights.shape.ndims), losses.shape.ndims))
    return tf.reduce_sum(tf.multiply(_sum(losses, axis), weights))


def _num_present(losses, weights, per_batch=False):
    if weights.shape.ndims == 0:
        batch = tf.reshape(tf.slice(tf.shape(losses), [0], [1]), [])
        per_row = tf.cast(tf.size(losses), tf.float32) / tf.cast(batch, tf.float32)
        per_row = tf.where(tf.equal(weights, 0), 0.0, per_row)
        counts = tf.ones(tf.reshape(batch, [1])) * per_row
    else:
        nonzero = _sum(tf.cast(tf.not_equal(weights, 0), tf.float32),
                       list(range(1, weights.shape.ndims)))
        rest = tf.slice(tf.shape(losses), [weights.shape.ndims], [-1])
        counts = nonzero * tf.cast(tf.reduce_prod(rest), tf.float32)
    return counts if per_batch else tf.reduce_sum(counts)


def compute_weighted_loss(losses, weights=1.0, scope=None):
    """Returns the weighted sum of `losses` over the count of nonzero-weight elements.

    Args:
      losses: a `[batch_size, d1, ... dN]` Tensor.
      weights: a scalar, `[1]`, or `[batch_size, d1, ... dK]` (K <= N) coefficient Tensor.
      scope: the name scope (default "weighted_loss").

    Returns:
      A scalar Tensor of the losses' dtype, also added to the LOSSES collection.

    Raises:
      ValueError: the rank of `losses` or `weights` is unknown.
    """
    with tf.name_scope(scope, "weighted_loss", [losses, weights]):
        losses = tf.convert_to_tensor(losses)
        input_dtype = losses.dtype
        losses = tf.cast(losses, tf.float32)
        weights = tf.cast(tf.convert_to_tensor(weights), tf.float32)
        if losses.shape.ndims is None:
            raise ValueError("losses.get_shape().ndims cannot be None")
        if weights.shape.ndims is None:
            raise ValueError("weights.get_shape().ndims cannot be None")
        if weights.shape.ndims > 1 and weights.shape[-1].is_compatible_with(1):
            weights = tf.squeeze(weights, [-1])
        total = tf.reduce_sum(_scale_losses(losses, weights))
        mean = tf.div_no_nan(total, _num_present(losses, weights), name="value")
        mean = tf.cast(mean, input_dtype)
        add_loss(mean)
        return mean


def add_loss(loss, loss_collection=GraphKeys.LOSSES):
    """Adds `loss` to `loss_collection` (nothing when that is empty or None).

    Args:
      loss: a loss Tensor.
      loss_collection: the collection's name.
    """
    if loss_collection:
        tf.add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES):
    """Returns the losses of `loss_collection`, those matching `scope` if given.

    Args:
      scope: a regex the losses' names must match from the start.
      loss_collection: the collection's name.

    Returns:
      A list of Tensors.
    """
    return tf.get_collection(loss_collection, scope)


def get_regularization_losses(scope=None):
    """Returns the REGULARIZATION_LOSSES collection, those matching `scope` if given.

    Args:
      scope: a regex the losses' names must match from the start.

    Returns:
      A list of Tensors.
    """
    return tf.get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_total_loss(add_regularization_losses=True, name="total_loss"):
    """Returns the sum of the LOSSES collection, and of the regularization losses by default.

    Args:
      add_regularization_losses: whether to add the REGULARIZATION_LOSSES collection.
      name: the name of the sum.

    Returns:
      A scalar Tensor (an `add_n`).

    Raises:
      ValueError: there is no loss at all.
    """
    losses = get_losses()
    if add_regularization_losses:
        losses += get_regularization_losses()
    return tf.add_n(losses, name=name)


def _pair(predictions, labels):
    predictions, labels = tf.convert_to_tensor(predictions), tf.convert_to_tensor(labels)
    predictions.shape.assert_is_compatible_with(labels.shape)
    return tf.cast(predictions, tf.float32), tf.cast(labels, tf.float32)


def absolute_difference(predictions, labels=None, weights=1.0, scope=None):
    """Adds the weighted mean of `|predictions - labels|` to the losses.

    Args:
      predictions: the predicted outputs.
      labels: the ground truth, shaped like `predictions`.
      weights: a scalar, `[batch_size]` or `predictions`-shaped coefficient Tensor.
      scope: the name scope (default "absolute_difference").

    Returns:
      A scalar float32 Tensor.

    Raises:
      ValueError: the shapes of `predictions` and `labels` or `weights` do not fit.
    """
    with tf.name_scope(scope, "absolute_difference", [predictions, labels, weights]) as scope:
        predictions, labels = _pair(predictions, labels)
        return compute_weighted_loss(tf.abs(predictions - labels), weights, scope=scope)


def mean_squared_error(predictions, labels=None, weights=1.0, scope=None):
    """Adds the weighted mean of `(predictions - labels) ** 2` to the losses.

    Args:
      predictions: the predicted outputs.
      labels: the ground truth, shaped like `predictions`.
      weights: a scalar, `[batch_size]` or `predictions`-shaped coefficient Tensor.
      scope: the name scope (default "mean_squared_error").

    Returns:
      A scalar float32 Tensor.

    Raises:
      ValueError: the shapes of `predictions` and `labels` or `weights` do not fit.
    """
    with tf.name_scope(scope, "mean_squared_error", [predictions, labels, weights]) as scope:
        predictions, labels = _pair(predictions, labels)
        losses = tf.squared_difference(predictions, labels)
        return compute_weighted_loss(losses, weights, scope=scope)


def log_loss(predictions, labels=None, weights=1.0, epsilon=1e-7, scope=None):
    """Adds the weighted mean of the binary log loss (with `epsilon` inside the logs).

    Args:
      predictions: the predicted probabilities.
      labels: the 0/1 ground truth, shaped like `predictions`.
      weights: a scalar, `[batch_size]` or `predictions`-shaped coefficient Tensor.
      epsilon: what is added inside the logs to keep them finite.
      scope: the name scope (default "log_loss").

    Returns:
      A scalar float32 Tensor.

    Raises:
      ValueError: the shapes of `predictions` and `labels` or `weights` do not fit.
    """
    with tf.name_scope(scope, "log_loss", [predictions, labels, weights]) as scope:
        p, y = _pair(predictions, labels)
        losses = (-tf.multiply(y, tf.log(p + epsilon))
                  - tf.multiply(1 - y, tf.log(1 - p + epsilon)))
        return compute_weighted_loss(losses, weights, scope=scope)


def hinge_loss(logits, labels=None, scope=None):
    """Returns the elementwise hinge loss `relu(1 - (2 * labels - 1) * logits)`.

    Unweighted and not added to the LOSSES collection, as in TF 1.15.

    Args:
      logits: the float logits, positive meaning the positive class.
      labels: the 0/1 ground truth, shaped like `logits`.
      scope: the name scope (default "hinge_loss").

    Returns:
      A Tensor shaped like `logits`.

    Raises:
      ValueError: the shapes of `logits` and `labels` do not fit.
    """
    with tf.name_scope(scope, "hinge_loss", [logits, labels]):
        logits, labels = tf.convert_to_tensor(logits), tf.convert_to_tensor(labels)
        logits.shape.assert_is_compatible_with(labels.shape)
        labels = tf.cast(labels, tf.float32)
        ones = tf.ones_like(labels)
        return tf.nn.relu(ones - (2 * labels - ones) * logits)


def sigmoid_cross_entropy(logits, multi_class_labels, weights=1.0, label_smoothing=0,
                          scope=None):
    """Adds the weighted mean of the sigmoid cross-entropy to the losses.

    Args:
      logits: `[batch_size, num_classes]` logits.
      multi_class_labels: `[batch_size, num_classes]` labels in [0, 1].
      weights: a scalar, `[batch_size]` or `[batch_size, num_classes]` coefficient Tensor.
      label_smoothing: if > 0, labels become `labels * (1 - s) + 0.5 * s`.
      scope: the name scope (default "sigmoid_cross_entropy_loss").

    Returns:
      A scalar Tensor.

    Raises:
      ValueError: the shapes of `logits` and the labels or `weights` do not fit.
    """
    with tf.name_scope(scope, "sigmoid_cross_entropy_loss",
                       [logits, multi_class_labels, weights]) as scope:
        logits = tf.convert_to_tensor(logits)
        labels = tf.convert_to_tensor(multi_class_labels)
        logits.shape.assert_is_compatible_with(labels.shape)
        labels = tf.cast(labels, logits.dtype)
        if label_smoothing > 0:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits,
                                                         name="xentropy")
        return compute_weighted_loss(losses, weights, scope=scope)


def softmax_cross_entropy(logits, onehot_labels, weights=1.0, label_smoothing=0, scope=None):
    """Adds the weighted mean of the softmax cross-entropy to the losses.

    Args:
      logits: `[batch_size, num_classes]` logits.
      onehot_labels: `[batch_size, num_classes]` one-hot labels.
      weights: a scalar or `[batch_size]` coefficient Tensor.
      label_smoothing: if > 0, labels become `labels * (1 - s) + s / num_classes`.
      scope: the name scope (default "softmax_cross_entropy_loss").

    Returns:
      A scalar Tensor.

    Raises:
      ValueError: the shapes of `logits` and the labels or `weights` do not fit.
    """
    with tf.name_scope(scope, "softmax_cross_entropy_loss",
                       [logits, onehot_labels, weights]) as scope:
        logits, labels = tf.convert_to_tensor(logits), tf.convert_to_tensor(onehot_labels)
        logits.shape.assert_is_compatible_with(labels.shape)
        labels = tf.cast(labels, logits.dtype)
        if label_smoothing > 0:
            num_classes = tf.cast(tf.shape(labels)[1], logits.dtype)
            labels = labels * (1.0 - label_smoothing) + label_smoothing / num_classes
        losses = tf.nn.softmax_cross_entropy_with_logits_v2(
            labels=tf.stop_gradient(labels), logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope=scope)


def sparse_softmax_cross_entropy(logits, labels, weights=1.0, scope=None):
    """Adds the weighted mean of the sparse softmax cross-entropy to the losses.

    Args:
      logits: `[batch_size, num_classes]` logits.
      labels: `[batch_size]` or `[batch_size, 1]` int class indices.
      weights: a scalar, `[batch_size]` or `[batch_size, 1]` coefficient Tensor.
      scope: the name scope (default "sparse_softmax_cross_entropy_loss").

    Returns:
      A scalar Tensor.

    Raises:
      ValueError: the shapes of `logits`, `labels` and `weights` do not fit.
    """
    with tf.name_scope(scope, "sparse_softmax_cross_entropy_loss",
                       [logits, labels, weights]) as scope:
        labels = tf.convert_to_tensor(labels)
        labels = tf.reshape(labels, shape=[tf.shape(labels)[0]])
        losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                                name="xentropy")
        return compute_weighted_loss(losses, weights, scope=scope)


def mean_pairwise_squared_error(predictions, labels=None, weights=1.0, scope=None):
    """Adds the weighted mean over pairs of `((p_i - p_j) - (l_i - l_j)) ** 2` to the losses.

    The pairs are taken within each batch entry; an entry's count is its number of
    nonzero-weight elements (2/n * sum d^2 - 2/n^2 * (sum d)^2 per entry).

    Args:
      predictions: `[batch_size, d0, ... dN]` predicted outputs.
      labels: the ground truth, shaped like `predictions`.
      weights: a scalar, `[batch_size]` or `predictions`-shaped coefficient Tensor.
      scope: the name scope (default "mean_pairwise_squared_error").

    Returns:
      A scalar float32 Tensor, 0 when no element has a nonzero weight.

    Raises:
      ValueError: the shapes do not fit, or a rank is unknown.
    """
    with tf.name_scope(scope, "mean_pairwise_squared_error",
                       [predictions, labels, weights]):
        predictions, labels = _pair(predictions, labels)
        weights = tf.cast(tf.convert_to_tensor(weights), tf.float32)
        diffs = predictions - labels
        if diffs.shape.ndims is None:
            raise ValueError("diffs.get_shape().ndims cannot be None")
        if weights.shape.ndims is None:
            raise ValueError("weights.get_shape().ndims cannot be None")
        axis = list(range(1, diffs.shape.ndims))
        count = _num_present(diffs, weights, per_batch=True)
        term1 = 2.0 * tf.div_no_nan(_sum(tf.square(diffs), axis), count, name="value")
        term2 = 2.0 * tf.div_no_nan(tf.square(_sum(diffs, axis)),
                                    tf.square(count), name="value")
        loss = _scale_losses(term1 - term2, weights)
        mean = tf.where(tf.reduce_sum(count) > 0, loss, tf.zeros_like(loss), name="value")
        add_loss(mean)
        return mean


def cosine_distance(predictions, labels=None, axis=None, weights=1.0, scope=None, dim=None):
    """Adds the weighted mean of `1 - sum(predictions * labels, axis)` to the losses.

    The inputs are assumed unit-normalized; `axis` is dropped from the losses' shape.

    Args:
      predictions: the predicted outputs.
      labels: the ground truth, shaped like `predictions`.
      axis: the dimension along which the distance is taken (required).
      weights: a coefficient Tensor that fits the losses.
      scope: the name scope (default "cosine_distance_loss").
      dim: the deprecated name of `axis`.

    Returns:
      A scalar float32 Tensor.

    Raises:
      ValueError: no `axis`, both `axis` and `dim`, or shapes that do not fit.
    """
    if axis is not None and dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'")
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("You must specify 'axis'.")
    with tf.name_scope(scope, "cosine_distance_loss", [predictions, labels, weights]) as scope:
        predictions, labels = _pair(predictions, labels)
        losses = 1 - tf.reduce_sum(predictions * labels, axis=[axis])
        return compute_weighted_loss(losses, weights, scope=scope)
