"""Sampled losses over many classes (`tf.nn.nce_loss`, `tf.nn.sampled_softmax_loss`).

Both score the true classes and a sample of other classes (by default from
`log_uniform_candidate_sampler`) and are composites of existing ops, built as TF builds them
(tensorflow/python/ops/nn_impl.py), so their op names match and their gradients come from those
ops. The class weights may be one tensor, a list of shards or a PartitionedVariable, looked up
with `embedding_lookup` and its "mod" or "div" partition strategy.
"""
from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.ops._shared import ones_like, shape as _shape, zeros_like
from minitf.ops.array_ops import ones, stop_gradient
from minitf.ops.candidate_sampling_ops import (
    compute_accidental_hits,
    log_uniform_candidate_sampler,
)
from minitf.ops.manip_ops import concat, expand_dims, reshape, stack
from minitf.ops.math_ops import cast, log, matmul, multiply
from minitf.ops.nn_loss_ops import sigmoid_cross_entropy_with_logits
from minitf.ops.nn_ops import softmax_cross_entropy_with_logits_v2
from minitf.ops.slicing import slice as _slice
from minitf.ops.sparse_ops import sparse_to_dense
from minitf.partitioned import PartitionedVariable, embedding_lookup

__all__ = ["nce_loss", "sampled_softmax_loss"]


def _sum_rows(x):
    # the row sums of a matrix as a product with a column of ones (TF's _sum_rows: its
    # gradient is cheaper than reduce_sum's)
    cols = _shape(x)[1]
    return reshape(matmul(x, ones(stack([cols, 1]), x.dtype)), [-1])


def _parts(weights):
    if isinstance(weights, PartitionedVariable):
        return list(weights)
    return list(weights) if isinstance(weights, (list, tuple)) else [weights]


def _lookup(params, ids, strategy, dtype):
    rows = embedding_lookup(params, ids, partition_strategy=strategy)
    return rows if rows.dtype == dtype else cast(rows, dtype)


def _true_logits(inputs, true_w, true_b, num_true):
    # each example's dot products with its own num_true true classes
    dim = _shape(true_w)[1:2]
    row_wise_dots = multiply(expand_dims(inputs, 1),
                             reshape(true_w, concat([[-1, num_true], dim], 0)))
    dots_as_matrix = reshape(row_wise_dots, concat([[-1], dim], 0))
    true_logits = reshape(_sum_rows(dots_as_matrix), [-1, num_true])
    return true_logits + reshape(true_b, [-1, num_true])


def _hits_mask(labels, sampled, sampled_logits, num_sampled, num_true):
    # -FLT_MAX where a sampled class is one of the example's true classes
    acc_indices, acc_ids, acc_weights = compute_accidental_hits(labels, sampled,
                                                                num_true=num_true)
    acc_indices_2d = reshape(acc_indices, [-1, 1])
    acc_ids_2d_int32 = reshape(cast(acc_ids, dtypes.int32), [-1, 1])
    sparse_indices = concat([acc_indices_2d, acc_ids_2d_int32], 1, "sparse_indices")
    logits_shape = concat([_shape(labels)[:1], expand_dims(num_sampled, 0)], 0)
    if sampled_logits.dtype != acc_weights.dtype:
        acc_weights = cast(acc_weights, sampled_logits.dtype)
    return sparse_to_dense(sparse_indices, logits_shape, acc_weights, default_value=0.0,
                           validate_indices=False)


def _compute_sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes,
                            num_true=1, sampled_values=None, subtract_log_q=True,
                            remove_accidental_hits=False, partition_strategy="mod", name=None,
                            seed=None):
    # (logits, labels) of shape [batch_size, num_true + num_sampled]: true classes first
    weights = _parts(weights)
    labels, inputs = (v if isinstance(v, Tensor) else convert_to_tensor(v)
                      for v in (labels, inputs))
    with name_scope(name, "compute_sampled_logits", weights + [biases, inputs, labels]):
        if labels.dtype != dtypes.int64:
            labels = cast(labels, dtypes.int64)
        labels_flat = reshape(labels, [-1])
        if sampled_values is None:
            sampled_values = log_uniform_candidate_sampler(
                true_classes=labels, num_true=num_true, num_sampled=num_sampled, unique=True,
                range_max=num_classes, seed=seed)
        sampled, true_expected_count, sampled_expected_count = (
            stop_gradient(s) for s in sampled_values)
        sampled = cast(sampled, dtypes.int64)
        all_ids = concat([labels_flat, sampled], 0)
        all_w = _lookup(weights, all_ids, partition_strategy, inputs.dtype)
        n_true = _shape(labels_flat)[0]
        true_w = _slice(all_w, [0, 0], stack([n_true, -1]))
        sampled_w = _slice(all_w, stack([_shape(labels_flat)[0], 0]), [-1, -1])
        sampled_logits = matmul(inputs, sampled_w, transpose_b=True)
        all_b = _lookup(biases, all_ids, partition_strategy, inputs.dtype)
        true_b = _slice(all_b, [0], _shape(labels_flat))
        sampled_b = _slice(all_b, _shape(labels_flat), [-1])
        true_logits = _true_logits(inputs, true_w, true_b, num_true)
        sampled_logits += sampled_b
        if remove_accidental_hits:
            sampled_logits += _hits_mask(labels, sampled, sampled_logits, num_sampled, num_true)
        if subtract_log_q:
            true_logits -= log(true_expected_count)
            sampled_logits -= log(sampled_expected_count)
        out_logits = concat([true_logits, sampled_logits], 1)
        out_labels = concat([ones_like(true_logits) / num_true, zeros_like(sampled_logits)], 1)
        return out_logits, out_labels


def nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
             sampled_values=None, remove_accidental_hits=False, partition_strategy="mod",
             name="nce_loss"):
    """Computes the noise-contrastive estimation training loss.

    The true classes and `num_sampled` sampled classes are scored by `inputs @ weights.T +
    biases`, less the log of their expected counts in the sample; each score is a logistic
    regression target (1 / num_true for the true classes, 0 for the sampled ones), and the
    sigmoid cross-entropies of an example are summed.

    Args:
      weights: a Tensor of shape [num_classes, dim], a list of shards of it (concatenated
        along axis 0), or a PartitionedVariable: the class embeddings.
      biases: a Tensor of shape [num_classes] (or shards): the class biases.
      labels: an integer Tensor of shape [batch_size, num_true]: the target classes.
      inputs: a float Tensor of shape [batch_size, dim]: the activations.
      num_sampled: an int: the number of classes sampled per batch.
      num_classes: an int: the number of classes.
      num_true: an int: the number of target classes per example.
      sampled_values: (sampled_candidates, true_expected_count, sampled_expected_count) from
        a candidate sampler; None samples with `log_uniform_candidate_sampler`.
      remove_accidental_hits: whether sampled classes equal to a true class are dropped
        (their logits made -FLT_MAX).
      partition_strategy: "mod" or "div": how ids map to shards (see `embedding_lookup`).
      name: a name for the operation (default "nce_loss").

    Returns:
      A float Tensor of shape [batch_size]: the per-example NCE losses.

    Raises:
      ValueError: `partition_strategy` is unknown or the shapes do not agree.

    >>> w = tf.constant([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> sampled = (tf.constant([2], tf.int64), tf.constant([[1.0]]), tf.constant([1.0]))
    >>> loss = tf.nn.nce_loss(w, tf.zeros([3]), tf.constant([[0]], tf.int64),
    ...                       tf.constant([[1.0, 2.0]]), 1, 3, sampled_values=sampled)
    >>> with tf.Session() as sess:  # log(1 + e**-1) + log(1 + e**3)
    ...     print(sess.run(loss).round(4))
    [3.3618]
    """
    logits, labels = _compute_sampled_logits(
        weights=weights, biases=biases, labels=labels, inputs=inputs, num_sampled=num_sampled,
        num_classes=num_classes, num_true=num_true, sampled_values=sampled_values,
        subtract_log_q=True, remove_accidental_hits=remove_accidental_hits,
        partition_strategy=partition_strategy, name=name)
    sampled_losses = sigmoid_cross_entropy_with_logits(labels=labels, logits=logits,
                                                       name="sampled_losses")
    return _sum_rows(sampled_losses)


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
                         sampled_values=None, remove_accidental_hits=True,
                         partition_strategy="mod", name="sampled_softmax_loss", seed=None):
    """Computes the sampled softmax training loss.

    A softmax cross-entropy over the true classes and `num_sampled` sampled classes only,
    their logits less the log of their expected counts in the sample (an estimate of the
    full softmax loss for many classes).

    Args:
      weights: a Tensor of shape [num_classes, dim], a list of shards of it, or a
        PartitionedVariable: the class embeddings.
      biases: a Tensor of shape [num_classes] (or shards): the class biases.
      labels: an integer Tensor of shape [batch_size, num_true]: the target classes.
      inputs: a float Tensor of shape [batch_size, dim]: the activations.
      num_sampled: an int: the number of classes sampled per batch.
      num_classes: an int: the number of classes.
      num_true: an int: the number of target classes per example (each gets probability
        1 / num_true).
      sampled_values: (sampled_candidates, true_expected_count, sampled_expected_count) from
        a candidate sampler; None samples with `log_uniform_candidate_sampler`.
      remove_accidental_hits: whether sampled classes equal to a true class are dropped
        (default True).
      partition_strategy: "mod" or "div": how ids map to shards (see `embedding_lookup`).
      name: a name for the operation (default "sampled_softmax_loss").
      seed: the op seed of the default sampler.

    Returns:
      A float Tensor of shape [batch_size]: the per-example sampled softmax losses.

    Raises:
      ValueError: `partition_strategy` is unknown or the shapes do not agree.
    """
    logits, labels = _compute_sampled_logits(
        weights=weights, biases=biases, labels=labels, inputs=inputs, num_sampled=num_sampled,
        num_classes=num_classes, num_true=num_true, sampled_values=sampled_values,
        subtract_log_q=True, remove_accidental_hits=remove_accidental_hits,
        partition_strategy=partition_strategy, name=name, seed=seed)
    labels = stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
