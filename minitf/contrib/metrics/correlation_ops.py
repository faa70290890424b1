"""TF 1.15's contrib `streaming_covariance` and `streaming_pearson_correlation`.

The covariance keeps four float32 local variables, `count`, `mean_prediction`, `mean_label`
and `comoment`, merged batch by batch with the pairwise update of Chan et al.; its value is
`comoment / (count - 1)` (the unbiased sample covariance, weights acting as frequencies) and
NaN while `count <= 1`. Pearson's r combines three covariances (`covariance`,
`variance_predictions`, `variance_labels`) under the scope "pearson_r".
"""
import minitf as tf
from minitf.metrics_util import broadcast, metric_variable, publish, squeezed

__all__ = ["streaming_covariance", "streaming_pearson_correlation"]


def _ratio(comoment, count, name):
    return tf.where(tf.less_equal(count, 1.0), tf.fill(tf.shape(comoment), float("nan")),
                    tf.truediv(comoment, count - 1), name=name)


def _running_mean(var, batch_sum, batch_count, update_count):
    batch_mean = tf.div_no_nan(batch_sum, batch_count)
    delta = tf.div_no_nan((batch_mean - var) * batch_count, update_count)
    updated = tf.assign_add(var, delta)
    return batch_mean, updated - delta


def streaming_covariance(predictions, labels, weights=None, metrics_collections=None,
                         updates_collections=None, name=None):
    """Computes the unbiased sample covariance of `predictions` and `labels` over the batches.

    Args:
      predictions: a float Tensor.
      labels: a Tensor shaped like `predictions`.
      weights: None, or a Tensor broadcastable to `labels`: frequency weights.
      metrics_collections: collections the value tensor is added to.
      updates_collections: collections the update op is added to.
      name: the variable scope (default "covariance").

    Returns:
      (covariance, update_op): float32 scalars, NaN until more than one (weighted) value.

    Raises:
      ValueError: the shapes of `predictions` and `labels` do not fit.
    """
    with tf.variable_scope(name, "covariance", (predictions, labels, weights)):
        predictions, labels, weights = squeezed(predictions, labels, weights)
        predictions.shape.assert_is_compatible_with(labels.shape)
        predictions = tf.cast(predictions, tf.float32)
        labels = tf.cast(labels, tf.float32)
        count = metric_variable([], tf.float32, name="count")
        mean_prediction = metric_variable([], tf.float32, name="mean_prediction")
        mean_label = metric_variable([], tf.float32, name="mean_label")
        comoment = metric_variable([], tf.float32, name="comoment")
        if weights is None:
            batch_count = tf.cast(tf.size(labels), tf.float32)
            wp, wl = predictions, labels
        else:
            weights = broadcast(weights, labels)
            batch_count = tf.reduce_sum(weights)
            wp, wl = predictions * weights, labels * weights
        update_count = tf.assign_add(count, batch_count)
        prev_count = update_count - batch_count
        batch_mp, prev_mp = _running_mean(mean_prediction, tf.reduce_sum(wp), batch_count,
                                          update_count)
        batch_ml, prev_ml = _running_mean(mean_label, tf.reduce_sum(wl), batch_count,
                                          update_count)
        residuals = (predictions - batch_mp) * (labels - batch_ml)
        if weights is not None:
            residuals = residuals * weights
        delta = (tf.reduce_sum(residuals) + (prev_mp - batch_mp) * (prev_ml - batch_ml)
                 * (prev_count * batch_count / update_count))
        update_comoment = tf.assign_add(comoment, delta)
        value = _ratio(comoment, count, "covariance")
        with tf.control_dependencies([update_comoment]):
            update_op = _ratio(comoment.read_value(), count.read_value(), "update_op")
        return publish(value, update_op, metrics_collections, updates_collections)


def streaming_pearson_correlation(predictions, labels, weights=None, metrics_collections=None,
                                  updates_collections=None, name=None):
    """Computes Pearson's correlation coefficient of `predictions` and `labels`.

    Args:
      predictions: a float Tensor.
      labels: a Tensor shaped like `predictions`.
      weights: None, or a Tensor broadcastable to `labels`: frequency weights.
      metrics_collections: collections the value tensor is added to.
      updates_collections: collections the update op is added to.
      name: the variable scope (default "pearson_r").

    Returns:
      (pearson_r, update_op): float32 scalars.

    Raises:
      ValueError: the shapes of `predictions` and `labels` do not fit.
    """
    with tf.variable_scope(name, "pearson_r", (predictions, labels, weights)):
        predictions, labels, weights = squeezed(predictions, labels, weights)
        predictions.shape.assert_is_compatible_with(labels.shape)
        if weights is not None:
            weights = broadcast(weights, labels)
        cov, update_cov = streaming_covariance(predictions, labels, weights, name="covariance")
        var_p, update_var_p = streaming_covariance(predictions, predictions, weights,
                                                   name="variance_predictions")
        var_l, update_var_l = streaming_covariance(labels, labels, weights,
                                                   name="variance_labels")
        value = tf.truediv(cov, tf.sqrt(var_p) * tf.sqrt(var_l), name="pearson_r")
        update_op = tf.truediv(update_cov, tf.sqrt(update_var_p) * tf.sqrt(update_var_l),
                               name="update_op")
        return publish(value, update_op, metrics_collections, updates_collections)
