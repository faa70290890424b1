"""`tf.contrib.seq2seq.sequence_loss` (TF 1.15): the weighted cross-entropy of a sequence of
logits, averaged or summed over the time and batch axes as its flags ask."""
import minitf as tf

__all__ = ["sequence_loss"]


def _check_ranks(logits, targets, weights):
    if logits.shape.ndims != 3:
        raise ValueError("Logits must be a [batch_size x sequence_length x logits] tensor")
    if targets.shape.ndims != 2:
        raise ValueError("Targets must be a [batch_size x sequence_length] tensor")
    if weights.shape.ndims != 2:
        raise ValueError("Weights must be a [batch_size x sequence_length] tensor")


def _check_flags(average_across_timesteps, average_across_batch, sum_over_timesteps,
                 sum_over_batch):
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError("average_across_timesteps and sum_over_timesteps cannot be set to "
                         "True at same time.")
    if average_across_batch and sum_over_batch:
        raise ValueError("average_across_batch and sum_over_batch cannot be set to True at "
                         "same time.")


def _count(weights, dtype, axis=None):
    return tf.cast(tf.count_nonzero(weights, axis=axis), dtype)


def sequence_loss(logits, targets, weights, average_across_timesteps=True,
                  average_across_batch=True, sum_over_timesteps=False, sum_over_batch=False,
                  softmax_loss_function=None, name=None):
    """Weighted cross-entropy loss for a sequence of logits.

    The per-step losses are multiplied by `weights`. Averaging divides their sum by the sum of
    the weights; "sum over" divides it by the number of nonzero weights (TF 1.15's meaning),
    both with `div_no_nan`. Axes that are neither averaged nor summed are kept.

    >>> from minitf.contrib import seq2seq
    >>> logits = tf.zeros([2, 3, 4])
    >>> loss = seq2seq.sequence_loss(logits, tf.zeros([2, 3], tf.int32), tf.ones([2, 3]))
    >>> with tf.Session() as sess:
    ...     print(round(float(sess.run(loss)), 4))
    1.3863

    Args:
      logits: a `[batch_size, sequence_length, num_classes]` float Tensor.
      targets: a `[batch_size, sequence_length]` int Tensor of true classes.
      weights: a `[batch_size, sequence_length]` float Tensor (1 at valid steps, 0 at padding).
      average_across_timesteps: divide the sum over time by the total weight over time.
      average_across_batch: divide the sum over the batch by the total weight over the batch.
      sum_over_timesteps: divide the sum over time by the number of nonzero weights over time.
      sum_over_batch: divide the sum over the batch by the number of nonzero weights over it.
      softmax_loss_function: a function `(labels=, logits=) -> losses` to use instead of
        `sparse_softmax_cross_entropy_with_logits` (called with keyword arguments).
      name: the name scope (default "sequence_loss").

    Returns:
      A float Tensor: a scalar when both axes are reduced, else `[batch_size]` or
      `[sequence_length]`, or `[batch_size, sequence_length]` when neither is.

    Raises:
      ValueError: a rank is wrong, or an axis is both averaged and summed over.
    """
    logits, targets, weights = (tf.convert_to_tensor(x) for x in (logits, targets, weights))
    _check_ranks(logits, targets, weights)
    _check_flags(average_across_timesteps, average_across_batch, sum_over_timesteps,
                 sum_over_batch)
    with tf.name_scope(name, "sequence_loss", [logits, targets, weights]):
        logits_flat = tf.reshape(logits, [-1, tf.shape(logits)[2]])
        labels = tf.reshape(targets, [-1])
        if softmax_loss_function is None:
            crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                                      logits=logits_flat)
        else:
            crossent = softmax_loss_function(labels=labels, logits=logits_flat)
        crossent *= tf.reshape(weights, [-1])
        if average_across_timesteps and average_across_batch:
            return tf.div_no_nan(tf.reduce_sum(crossent), tf.reduce_sum(weights))
        if sum_over_timesteps and sum_over_batch:
            total = tf.reduce_sum(crossent)
            return tf.div_no_nan(total, _count(weights, total.dtype))
        crossent = tf.reshape(crossent, tf.shape(logits)[0:2])
        if average_across_timesteps or average_across_batch:
            axis = [0] if average_across_batch else [1]
            return tf.div_no_nan(tf.reduce_sum(crossent, axis=axis),
                                 tf.reduce_sum(weights, axis=axis))
        if sum_over_timesteps or sum_over_batch:
            axis = [0] if sum_over_batch else [1]
            return tf.div_no_nan(tf.reduce_sum(crossent, axis=axis),
                                 _count(weights, crossent.dtype, axis))
        return crossent
