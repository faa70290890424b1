"""TF 1.15's contrib/metrics/classification.py `accuracy`: a plain (not streaming) accuracy of
one batch, with its dtype checks."""
import minitf as tf

__all__ = ["accuracy"]


def accuracy(predictions, labels, weights=None, name=None):
    """Computes the share of `predictions` equal to `labels` in this batch (not streaming).

    Args:
      predictions: a Tensor of predicted classes.
      labels: a bool, integer or string Tensor shaped like `predictions`.
      weights: None, or a Tensor broadcastable to `predictions`: the weighted share.
      name: the name scope (default "accuracy").

    Returns:
      A float32 scalar Tensor.

    Raises:
      ValueError: `labels` of another dtype, dtypes that differ, or shapes that do not fit.
    """
    with tf.name_scope(name, "accuracy", values=[predictions, labels]):
        predictions = tf.convert_to_tensor(predictions)
        labels = tf.convert_to_tensor(labels)
        if not (labels.dtype.is_integer or labels.dtype.base_dtype in (tf.bool, tf.string)):
            raise ValueError("Labels should have bool, integer, or string dtype, not "
                             f"{labels.dtype!r}")
        if labels.dtype.base_dtype != predictions.dtype.base_dtype:
            raise ValueError(f"Dataset types are not compatible: {labels.dtype!r} vs. "
                             f"{predictions.dtype!r}")
        predictions.shape.assert_is_compatible_with(labels.shape)
        is_correct = tf.cast(tf.equal(predictions, labels), tf.float32)
        if weights is None:
            return tf.reduce_mean(is_correct)
        is_correct = is_correct * weights
        num_values = weights * tf.ones_like(is_correct)
        return tf.div(tf.reduce_sum(is_correct), tf.reduce_sum(num_values))
