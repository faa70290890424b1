"""CTC losses and decoders of tf.nn, composed as TF composes them over the ops of
minitf/ops/ctc_ops.py: ctc_loss (CTCLoss on a SparseTensor of labels), ctc_loss_v2 (dense or
sparse labels, any blank index), ctc_greedy_decoder and ctc_beam_search_decoder(_v2), whose
decoded paths are SparseTensors.
"""
from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.sparse_tensor import SparseTensor
from minitf.ops import manip_ops, math_ops
from minitf.ops._shared import identity_n, ones_like, shape as _shape
from minitf.ops.ctc_ops import _ctc_beam_search_decoder, _ctc_greedy_decoder, _ctc_loss
from minitf.ops.gather_scatter_ops import gather_nd
from minitf.ops.sequence_ops import sequence_mask

__all__ = ["ctc_loss", "ctc_loss_v2", "ctc_greedy_decoder", "ctc_beam_search_decoder",
           "ctc_beam_search_decoder_v2"]

_HALF = (dtypes.float16, dtypes.bfloat16)


def ctc_loss(labels, inputs=None, sequence_length=None, preprocess_collapse_repeated=False,
             ctc_merge_repeated=True, ignore_longer_outputs_than_inputs=False, time_major=True,
             logits=None):
    """Computes the CTC (Connectionist Temporal Classification) loss of each batch entry.

    The softmax of `inputs` is taken inside; the last class, `num_classes - 1`, is the blank.
    A label >= num_classes - 1 ends an entry's labels. A label sequence no alignment can
    produce gets the loss inf (TF warns "No valid path found.") and the gradient softmax(inputs).

    >>> labels = tf.SparseTensor([[0, 0], [0, 1]], tf.constant([0, 1]), [1, 2])
    >>> loss = tf.nn.ctc_loss(labels, tf.zeros([3, 1, 3]), [3])
    >>> with tf.Session() as sess:
    ...     print(round(float(sess.run(loss)[0]), 4))
    1.6864

    Args:
      labels: an int32 SparseTensor; `indices[i] == [b, t]` holds entry b's t-th label.
      inputs: the logits, 3-D float: [max_time, batch, num_classes] when `time_major`, else
        [batch, max_time, num_classes].
      sequence_length: a [batch] int32 Tensor, the entries' lengths (each <= max_time).
      preprocess_collapse_repeated: whether repeated labels are merged before the loss.
      ctc_merge_repeated: whether a label held over several steps counts once (else each
        frame emits it anew).
      ignore_longer_outputs_than_inputs: give loss 0 (and gradient 0) to entries with more
        labels than steps, instead of an error.
      time_major: the layout of `inputs`.
      logits: an alias of `inputs`.

    Returns:
      A [batch] Tensor: the negative log probabilities.

    Raises:
      TypeError: `labels` is not a SparseTensor.
      InvalidArgumentError: when run, an entry without labels or with too few steps for them,
        a negative label, or a label < num_classes - 1 after one that is not.
    """
    if not isinstance(labels, SparseTensor):
        raise TypeError("Expected argument `labels` to be a SparseTensor. Received "
                        f"labels={labels} of type: {type(labels).__name__}")
    if inputs is not None and logits is not None:
        raise ValueError("Cannot specify both 'logits' and 'inputs'")
    inputs = convert_to_tensor(logits if inputs is None else inputs, name="logits")
    if not time_major:
        inputs = manip_ops.transpose(inputs, [1, 0, 2])
    orig = inputs.dtype.base_dtype
    if orig in _HALF:
        inputs = math_ops.cast(inputs, dtypes.float32)
    loss, _ = _ctc_loss.apply(
        [inputs, labels.indices, labels.values, sequence_length], name="CTCLoss",
        preprocess_collapse_repeated=bool(preprocess_collapse_repeated),
        ctc_merge_repeated=bool(ctc_merge_repeated),
        ignore_longer_outputs_than_inputs=bool(ignore_longer_outputs_than_inputs))
    return math_ops.cast(loss, orig) if orig in _HALF else loss


def _num_classes(logits):
    n = logits.shape.as_list()[2] if logits.shape.ndims else None
    if n is None:
        raise ValueError("ctc_loss_v2 needs the number of classes of `logits` known statically")
    return n


def _blank_last(logits, labels, blank_index):
    """Logits with class `blank_index` moved last, and labels renumbered to match."""
    logits = manip_ops.concat([logits[:, :, :blank_index], logits[:, :, blank_index + 1:],
                               logits[:, :, blank_index:blank_index + 1]], axis=2)
    return logits, manip_ops.where(math_ops.less(labels, blank_index), labels,
                                   math_ops.subtract(labels, 1))


def ctc_loss_v2(labels, logits, label_length, logit_length, logits_time_major=True, unique=None,
                blank_index=None, name=None):
    """Computes the CTC loss of each batch entry, from dense or sparse labels.

    Args:
      labels: a SparseTensor of int32 labels, or a dense [batch, max_label_length] int Tensor.
      logits: the logits, [max_time, batch, num_classes] (or batch-major, see below).
      label_length: a [batch] Tensor of the label counts (dense labels; None for sparse).
      logit_length: a [batch] int32 Tensor, the entries' lengths.
      logits_time_major: whether `logits` are time-major.
      unique: accepted for TF's signature (TF's speed-up of dense labels); unused.
      blank_index: the blank class; negative counts from the end. Sparse labels need it;
        dense labels default to 0.
      name: a name scope for dense labels (default "ctc_loss_dense").

    Returns:
      A [batch] Tensor: the negative log probabilities.

    Raises:
      ValueError: sparse labels without `blank_index`.
    """
    if isinstance(labels, SparseTensor):
        if blank_index is None:
            raise ValueError("Argument `blank_index` must be provided when labels is a "
                             "SparseTensor.")
        logits = convert_to_tensor(logits)
        num_classes = _num_classes(logits)
        blank_index += num_classes if blank_index < 0 else 0
        if blank_index != num_classes - 1:
            logits, values = _blank_last(logits, labels.values, blank_index)
            labels = SparseTensor(labels.indices, values, labels.dense_shape)
        return ctc_loss(labels=labels, inputs=logits, sequence_length=logit_length,
                        time_major=logits_time_major)
    return _ctc_loss_dense(labels, logits, label_length, logit_length, logits_time_major,
                           0 if blank_index is None else blank_index, name)


def _ctc_loss_dense(labels, logits, label_length, logit_length, time_major, blank_index, name):
    """Dense labels, as TF's ctc_loss_dense gives them: entries with more labels than steps
    get the loss inf, not an error."""
    with name_scope(name, "ctc_loss_dense", [logits, labels, label_length, logit_length]):
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels")
        label_length = convert_to_tensor(label_length, name="label_length")
        logit_length = convert_to_tensor(logit_length, name="logit_length")
        if not time_major:
            logits = manip_ops.transpose(logits, [1, 0, 2])
        num_classes = _num_classes(logits)
        blank_index += num_classes if blank_index < 0 else 0
        mask = sequence_mask(label_length, maxlen=_shape(labels)[1])
        indices = manip_ops.where(mask)
        values = math_ops.cast(gather_nd(labels, indices), dtypes.int32)
        if blank_index != num_classes - 1:
            logits, values = _blank_last(logits, values, blank_index)
        shape = _shape(labels, out_type=dtypes.int64)
        loss = ctc_loss(SparseTensor(indices, values, shape), logits, logit_length,
                        ignore_longer_outputs_than_inputs=True)
        too_long = math_ops.greater(math_ops.cast(label_length, dtypes.int32),
                                    math_ops.cast(logit_length, dtypes.int32))
        loss = manip_ops.where(too_long, math_ops.add(ones_like(loss), float("inf")), loss)
        return identity_n([loss])[0]


def ctc_greedy_decoder(inputs, sequence_length, merge_repeated=True, blank_index=None):
    """Decodes the best path: the most likely class at each step, blanks dropped.

    With `merge_repeated`, a class repeated on consecutive steps is emitted once (a blank
    between two equal classes keeps both).

    >>> decoded, neg_sum = tf.nn.ctc_greedy_decoder(
    ...     [[[0.1, 0.9, 0.0]], [[0.2, 0.7, 0.1]], [[0.0, 0.1, 0.9]], [[1.0, 0.0, 0.0]]], [4])
    >>> with tf.Session() as sess:
    ...     print(sess.run(decoded[0]).values.tolist(), sess.run(neg_sum).tolist())
    [1, 0] [[-3.5]]

    Args:
      inputs: the logits, [max_time, batch, num_classes] float.
      sequence_length: a [batch] int32 Tensor, the entries' lengths.
      merge_repeated: whether consecutive repeats are emitted once.
      blank_index: the blank class (default num_classes - 1; negative counts from the end).

    Returns:
      The tuple (decoded, neg_sum_logits): a list of one SparseTensor of int64 classes, shape
      [batch, longest decoded length], and a [batch, 1] Tensor, minus the sum of each step's
      greatest logit.
    """
    *outs, neg_sum = _ctc_greedy_decoder.apply(
        [inputs, sequence_length], name="CTCGreedyDecoder", merge_repeated=bool(merge_repeated),
        blank_index=-1 if blank_index is None else int(blank_index))
    return [SparseTensor(*outs)], neg_sum


def ctc_beam_search_decoder(inputs, sequence_length, beam_width=100, top_paths=1,
                            merge_repeated=True):
    """Decodes the logits by a beam search of label sequences (TF's CTC beam search).

    The blank is the last class. With `merge_repeated`, equal consecutive labels of a found
    sequence are emitted once (even those a blank separated).

    Args:
      inputs: the logits, [max_time, batch, num_classes] float.
      sequence_length: a [batch] int32 Tensor, the entries' lengths.
      beam_width: the number of beams kept (> 0).
      top_paths: the number of sequences returned (<= beam_width).
      merge_repeated: whether consecutive repeats are emitted once.

    Returns:
      The tuple (decoded, log_probabilities): a list of `top_paths` SparseTensors of int64
      labels (the j-th best of each entry), and a [batch, top_paths] Tensor of their log
      probabilities.

    Raises:
      InvalidArgumentError: when run, `top_paths` exceeds `beam_width` or the beams found.
    """
    outs = _ctc_beam_search_decoder.apply(
        [inputs, sequence_length], name="CTCBeamSearchDecoder", beam_width=int(beam_width),
        top_paths=int(top_paths), merge_repeated=bool(merge_repeated))
    k = int(top_paths)
    return ([SparseTensor(outs[i], outs[k + i], outs[2 * k + i]) for i in range(k)], outs[-1])


def ctc_beam_search_decoder_v2(inputs, sequence_length, beam_width=100, top_paths=1):
    """ctc_beam_search_decoder without merging repeated labels (TF 2's tf.nn version).

    Args:
      inputs: the logits, [max_time, batch, num_classes] float.
      sequence_length: a [batch] int32 Tensor, the entries' lengths.
      beam_width: the number of beams kept (> 0).
      top_paths: the number of sequences returned (<= beam_width).

    Returns:
      As ctc_beam_search_decoder.
    """
    return ctc_beam_search_decoder(inputs, sequence_length, beam_width=beam_width,
                                   top_paths=top_paths, merge_repeated=False)
