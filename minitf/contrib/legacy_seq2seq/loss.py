"""The sequence losses of `tf.contrib.legacy_seq2seq`: weighted softmax cross-entropy over a
list of per-step logits, per example (`sequence_loss_by_example`) or averaged
(`sequence_loss`)."""
import minitf as tf

__all__ = ["sequence_loss_by_example", "sequence_loss"]


def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True,
                             softmax_loss_function=None, name=None):
    """Per example: `sum_t weights[t] * xent(targets[t], logits[t])`, over `sum_t weights[t]`.

    Args:
      logits: a list of `[batch, num_symbols]` Tensors.
      targets: a list (as long) of `[batch]` int Tensors.
      weights: a list (as long) of `[batch]` float Tensors.
      average_across_timesteps: if True, divide by the total weight (`+ 1e-12`).
      softmax_loss_function: a function `(labels=, logits=) -> [batch]` used instead of
        `sparse_softmax_cross_entropy_with_logits` (called with keyword arguments).
      name: the name scope (default "sequence_loss_by_example").

    Returns:
      A `[batch]` Tensor: each sequence's log-perplexity.

    Raises:
      ValueError: the three lists differ in length.

    >>> from minitf.contrib import legacy_seq2seq
    >>> loss = legacy_seq2seq.sequence_loss_by_example(
    ...     [tf.zeros([2, 4])], [tf.constant([0, 3])], [tf.ones([2])])
    >>> print(tf.Session().run(loss).round(4))
    [1.3863 1.3863]
    """
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError("Lengths of logits, weights, and targets must be the same "
                         f"{len(logits)}, {len(weights)}, {len(targets)}.")
    with tf.name_scope(name, "sequence_loss_by_example", logits + targets + weights):
        log_perp_list = []
        for logit, target, weight in zip(logits, targets, weights):
            if softmax_loss_function is None:
                target = tf.reshape(target, [-1])
                crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=target,
                                                                          logits=logit)
            else:
                crossent = softmax_loss_function(labels=target, logits=logit)
            log_perp_list.append(crossent * weight)
        log_perps = tf.add_n(log_perp_list)
        if average_across_timesteps:
            total_size = tf.add_n(weights) + 1e-12
            log_perps /= total_size
    return log_perps


def sequence_loss(logits, targets, weights, average_across_timesteps=True,
                  average_across_batch=True, softmax_loss_function=None, name=None):
    """The sum of `sequence_loss_by_example` over the batch, divided by the batch size.

    Args:
      logits: a list of `[batch, num_symbols]` Tensors.
      targets: a list (as long) of `[batch]` int Tensors.
      weights: a list (as long) of `[batch]` float Tensors.
      average_across_timesteps: if True, each example's loss is divided by its total weight.
      average_across_batch: if True, the sum is divided by the batch size.
      softmax_loss_function: as in `sequence_loss_by_example`.
      name: the name scope (default "sequence_loss").

    Returns:
      A scalar Tensor: the average log-perplexity per symbol (weighted).

    Raises:
      ValueError: the three lists differ in length.
    """
    with tf.name_scope(name, "sequence_loss", logits + targets + weights):
        cost = tf.reduce_sum(sequence_loss_by_example(
            logits, targets, weights, average_across_timesteps=average_across_timesteps,
            softmax_loss_function=softmax_loss_function))
        if average_across_batch:
            batch_size = tf.shape(targets[0])[0]
            return cost / tf.cast(batch_size, cost.dtype)
        return cost
