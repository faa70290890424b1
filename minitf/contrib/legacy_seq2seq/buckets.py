"""`model_with_buckets` of `tf.contrib.legacy_seq2seq`: one seq2seq graph per bucket (a prefix
of the inputs), all sharing one set of variables."""
import minitf as tf
from minitf.contrib.legacy_seq2seq.loss import sequence_loss, sequence_loss_by_example

__all__ = ["model_with_buckets"]


def model_with_buckets(encoder_inputs, decoder_inputs, targets, weights, buckets, seq2seq,
                       softmax_loss_function=None, per_example_loss=False, name=None):
    """Builds `seq2seq` and its loss for each `(input_size, output_size)` bucket.

    Bucket `j` runs `seq2seq(encoder_inputs[:input_size], decoder_inputs[:output_size])` in
    the current variable scope, reusing from the second bucket on.

    Args:
      encoder_inputs: a list of Tensors, the first argument of `seq2seq`.
      decoder_inputs: a list of Tensors, the second argument of `seq2seq`.
      targets: a list of `[batch]` int Tensors.
      weights: a list of `[batch]` float Tensors.
      buckets: a list of `(input_size, output_size)` pairs, the largest last.
      seq2seq: a function `(encoder_inputs, decoder_inputs) -> (outputs, state)`.
      softmax_loss_function: as in `sequence_loss_by_example`.
      per_example_loss: if True each loss is `[batch]` (`sequence_loss_by_example`), else a
        scalar (`sequence_loss`).
      name: the name scope (default "model_with_buckets").

    Returns:
      `(outputs, losses)`: per bucket, its list of outputs and its loss.

    Raises:
      ValueError: `encoder_inputs`, `targets` or `weights` is shorter than the last bucket.
    """
    if len(encoder_inputs) < buckets[-1][0]:
        raise ValueError(f"Length of encoder_inputs ({len(encoder_inputs)}) must be at least "
                         f"that of last bucket ({buckets[-1][0]}).")
    if len(targets) < buckets[-1][1]:
        raise ValueError(f"Length of targets ({len(targets)}) must be at least that of last "
                         f"bucket ({buckets[-1][1]}).")
    if len(weights) < buckets[-1][1]:
        raise ValueError(f"Length of weights ({len(weights)}) must be at least that of last "
                         f"bucket ({buckets[-1][1]}).")
    all_inputs = encoder_inputs + decoder_inputs + targets + weights
    losses, outputs = [], []
    with tf.name_scope(name, "model_with_buckets", all_inputs):
        for j, (in_size, out_size) in enumerate(buckets):
            with tf.variable_scope(tf.get_variable_scope(), reuse=True if j > 0 else None):
                bucket_outputs, _ = seq2seq(encoder_inputs[:in_size], decoder_inputs[:out_size])
                outputs.append(bucket_outputs)
                loss_fn = sequence_loss_by_example if per_example_loss else sequence_loss
                losses.append(loss_fn(bucket_outputs, targets[:out_size], weights[:out_size],
                                      softmax_loss_function=softmax_loss_function))
    return outputs, losses
