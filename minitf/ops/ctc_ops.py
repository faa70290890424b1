"""CTC ops: CTCLoss (the loss and its gradient, from a log-space forward-backward pass),
CTCGreedyDecoder and CTCBeamSearchDecoder, with TF's op types, shape rules and run-time errors.
The public functions (tf.nn.ctc_loss, ...) are in minitf/ctc.py; the beam search itself in
minitf/ops/_ctc_beam.py.

CTCLoss follows TF's calculator: the softmax of the logits is taken per time step, the labels of
a batch entry are its SparseTensor values in order (a label >= num_classes - 1 ends them), and
the forward and backward variables run over time, each step vectorised over the batch and the
positions of the extended label sequence l' (blank, l1, blank, l2, ..., blank).
"""
import numpy as np

from minitf.framework import dtypes as _dtypes, errors
from minitf.framework.registry import register_op
from minitf.ops._ctc_beam import beam_search
from minitf.ops._shared import fmt
from minitf.ops.manip_ops import expand_dims
from minitf.ops.math_ops import multiply
from minitf.ops.sparse_ops import _validate

_NEG_INF = -np.inf


def _fail(message):
    raise errors.InvalidArgumentError(None, None, message)


# -- shape rules -----------------------------------------------------------------------------------
def _rank(t, rank, op_type, inputs):
    if t._shape is not None and len(t._shape) != rank:
        shapes = ", ".join(fmt(i._shape) for i in inputs)
        raise ValueError(f"Shape must be rank {rank} but is rank {len(t._shape)} for "
                         f"'{op_type}' with input shapes: {shapes}.")


def _merge(a, b, op_type, inputs):
    if a is not None and b is not None and a != b:
        shapes = ", ".join(fmt(i._shape) for i in inputs)
        raise ValueError(f"Dimensions must be equal, but are {a} and {b} for '{op_type}' with "
                         f"input shapes: {shapes}.")
    return a if a is not None else b


def _dim(t, i):
    return None if t._shape is None else t._shape[i]


def _batch(inputs, seq_len, op_type, all_inputs):
    _rank(inputs, 3, op_type, all_inputs)
    _rank(seq_len, 1, op_type, all_inputs)
    return _merge(_dim(inputs, 1), _dim(seq_len, 0), op_type, all_inputs)


def _loss_shapes(inputs, indices, values, seq_len, **attrs):
    ins = (inputs, indices, values, seq_len)
    _rank(inputs, 3, "CTCLoss", ins)
    _rank(indices, 2, "CTCLoss", ins)
    _rank(values, 1, "CTCLoss", ins)
    _rank(seq_len, 1, "CTCLoss", ins)
    _merge(_dim(indices, 0), _dim(values, 0), "CTCLoss", ins)
    batch = _batch(inputs, seq_len, "CTCLoss", ins)
    time, _, classes = inputs._shape or (None,) * 3
    return [(batch,), (time, batch, classes)]


def _check_dtypes(op_type, inputs, seq_len, values=None):
    if inputs.dtype.base_dtype not in (_dtypes.float32, _dtypes.float64):
        raise TypeError(f"Value passed to parameter 'inputs' has DataType {inputs.dtype.name} "
                        "not in list of allowed values: float32, float64")
    for name, t in (("sequence_length", seq_len), ("labels_values", values)):
        if t is not None and t.dtype.base_dtype != _dtypes.int32:
            raise TypeError(f"Input '{name}' of '{op_type}' Op has type {t.dtype.name} that "
                            "does not match expected type of int32.")


def _loss_dtypes(inputs, indices, values, seq_len, **attrs):
    _check_dtypes("CTCLoss", inputs, seq_len, values)
    return [inputs.dtype.base_dtype] * 2


# -- run-time checks -------------------------------------------------------------------------------
def _check_inputs(inputs, seq_len, decoder=False):
    """The op kernel's checks of the logits and sequence lengths."""
    if inputs.ndim != 3:
        _fail("inputs is not a 3-Tensor")
    if seq_len.ndim != 1:
        _fail("sequence_length is not a vector")
    max_time, batch = inputs.shape[:2]
    if len(seq_len) != batch:
        _fail(f"len(sequence_length) != batch_size.  len(sequence_length):  {len(seq_len)} "
              f"batch_size: {batch}")
    over = np.flatnonzero(seq_len > max_time)
    if over.size:  # (the decoders' kernels raise another error type)
        error = errors.FailedPreconditionError if decoder else errors.InvalidArgumentError
        raise error(None, None, f"sequence_length({over[0]}) <= {max_time}")


def _label_rows(indices, values, batch):
    """The labels as a [batch, max count] matrix (each entry's values in order) and counts."""
    if indices.ndim != 2:
        _fail("labels_indices is not a matrix")
    if values.ndim != 1:
        _fail("labels_values is not a vector")
    if len(indices) != len(values):
        _fail(f"labels_indices and labels_values must contain the same number of rows, but "
              f"got shapes: [{','.join(map(str, indices.shape))}] vs. [{len(values)}]")
    width = int(indices[:, 1].max()) + 1 if len(indices) else 0
    try:
        _validate(indices, np.array([batch, width]))
    except errors.InvalidArgumentError as exc:
        _fail(f"label SparseTensor is not valid: {exc.message}")
    rows = indices[:, 0]
    counts = np.bincount(rows, minlength=batch)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    labels = np.zeros((batch, max(counts.max(initial=0), 1)), np.int64)
    labels[rows, np.arange(len(rows)) - starts[rows]] = values
    return labels, counts


def _join(row):
    return ",".join(str(v) for v in row)


def _prepare_labels(labels, counts, seq_len, num_classes, collapse, ignore_longer):
    """TF's PopulateLPrimes: the labels kept (left-aligned, [batch, width]) and their counts,
    raising the first batch entry's error as TF does."""
    pos = np.arange(labels.shape[1])
    inside = pos < counts[:, None]
    prev = np.concatenate([labels[:, :1] - 1, labels[:, :-1]], axis=1)
    kept = inside & ((pos == 0) | (not collapse) | (labels != prev))
    null = kept & (labels >= num_classes - 1)
    after_null = (np.cumsum(null, axis=1) - null) > 0
    bad_order = kept & ~null & after_null
    keep = kept & ~null
    negative = keep & (labels < 0)
    short = (counts > seq_len) if not ignore_longer else np.zeros_like(counts, bool)
    flags = (counts == 0) | bad_order.any(1) | negative.any(1) | short
    if flags.any():
        b = int(np.argmax(flags))
        seen = labels[b][keep[b] & (np.cumsum(bad_order[b]) == 0)]
        if counts[b] == 0:
            _fail(f"Labels length is zero in batch {b}")
        if bad_order[b].any():
            _fail(f"Saw a non-null label (index >= num_classes - 1) following a null label, "
                  f"batch: {b} num_classes: {num_classes} labels: "
                  f"{_join(labels[b][:counts[b]])} labels seen so far: {_join(seen)}")
        if negative[b].any():
            _fail(f"All labels must be nonnegative integers, batch: {b} labels: "
                  f"{_join(labels[b][keep[b]])}")
        _fail(f"Not enough time for target transition sequence (required: {counts[b]}, "
              f"available: {seq_len[b]}){b}You can turn this error into a warning by using "
              "the flag ignore_longer_outputs_than_inputs")
    n = keep.sum(1)
    order = np.argsort(~keep, axis=1, kind="stable")  # kept labels first, in order
    return np.where(pos < n[:, None], np.take_along_axis(labels, order, 1), 0), n


# -- CTCLoss ---------------------------------------------------------------------------------------
def _softmax(inputs):
    with np.errstate(invalid="ignore", over="ignore"):
        e = np.exp(inputs - inputs.max(-1, keepdims=True))
        return e / e.sum(-1, keepdims=True)


def _lse(*terms):
    out = terms[0]
    with np.errstate(invalid="ignore"):
        for t in terms[1:]:
            out = np.logaddexp(out, t)
    return out


def _shift(a, k):
    """`a` moved k places right along the last axis, -inf coming in."""
    out = np.full_like(a, _NEG_INF)
    out[..., k:] = a[..., :-k]
    return out


def _unshift(a, k):
    """`a` moved k places left along the last axis, -inf coming in."""
    out = np.full_like(a, _NEG_INF)
    out[..., :-k] = a[..., k:]
    return out


def _forward_backward(log_y, l_prime, lengths, seq_len, merge):
    """log alpha and log beta, [max_time, batch, U], of the extended labels `l_prime`
    ([batch, U], valid up to `lengths`) over each entry's `seq_len` steps."""
    max_time, batch, _ = log_y.shape
    u = np.arange(l_prime.shape[1])
    valid = u < lengths[:, None]
    is_label = (u % 2 == 1) & valid
    lp = np.where(valid, np.take_along_axis(log_y, np.broadcast_to(
        l_prime, (max_time,) + l_prime.shape), 2), _NEG_INF)
    stay = np.where(merge | ~is_label, 0.0, _NEG_INF)
    same2 = np.zeros_like(valid)
    same2[:, 2:] = l_prime[:, 2:] == l_prime[:, :-2]
    # the skip over a blank into label u (from u - 2), where TF allows it
    skip_in = np.where(is_label & ~(merge & same2), 0.0, _NEG_INF)
    alpha = np.full(lp.shape, _NEG_INF, lp.dtype)
    alpha[0, :, :2] = lp[0, :, :2]
    for t in range(1, max_time):
        a = alpha[t - 1]
        alpha[t] = lp[t] + _lse(a + stay, _shift(a, 1), _shift(a, 2) + skip_in)
    skip_out = _unshift(skip_in, 2)  # the same skips, seen from u
    beta = np.full(lp.shape, _NEG_INF, lp.dtype)
    last = np.where((u >= lengths[:, None] - 2) & valid, 0.0, _NEG_INF).astype(lp.dtype)
    for t in range(max_time - 1, -1, -1):
        if t + 1 < max_time:
            nxt = beta[t + 1] + lp[t + 1]
            beta[t] = _lse(nxt + stay, _unshift(nxt, 1), _unshift(nxt, 2) + skip_out)
        beta[t] = np.where((seq_len - 1 == t)[:, None], last, beta[t])
        # TF's kernel, given no labels (l' = [blank]), also sets the beta one step earlier to
        # log 1 before that step's sum (it writes its entry at u = U - 2 = -1 of the last step)
        early = ((seq_len - 2 == t) & (lengths == 1))[:, None] & (u == 0)
        beta[t] = np.where(early, _lse(beta[t], 0.0), beta[t])
    inside = (np.arange(max_time)[:, None] < seq_len)[..., None]
    return np.where(valid & inside, alpha, _NEG_INF), np.where(valid & inside, beta, _NEG_INF)


@register_op("CTCLoss", shape=_loss_shapes, dtype=_loss_dtypes, outputs="n")
def _ctc_loss(inputs, labels_indices, labels_values, sequence_length, *,
              preprocess_collapse_repeated, ctc_merge_repeated,
              ignore_longer_outputs_than_inputs):
    _check_inputs(inputs, sequence_length)
    max_time, batch, num_classes = inputs.shape
    if max_time == 0:
        _fail("Max time or first dimension of input cannot be 0.")
    labels, counts = _label_rows(labels_indices, labels_values, batch)
    neg = np.flatnonzero(sequence_length < 0)
    if neg.size:
        _fail(f"seq_len({neg[0]}) < 0")
    labels, n = _prepare_labels(labels, counts, sequence_length, num_classes,
                                preprocess_collapse_repeated, ignore_longer_outputs_than_inputs)
    blank = num_classes - 1
    l_prime = np.full((batch, 2 * labels.shape[1] + 1), blank, np.int64)
    l_prime[:, 1::2] = labels
    y = _softmax(inputs)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_y = np.log(y)
    alpha, beta = _forward_backward(log_y, l_prime, 2 * n + 1, sequence_length,
                                    ctc_merge_repeated)
    ab = alpha + beta
    log_p = _lse(*np.moveaxis(ab[0], 1, 0)) if ab.shape[2] > 1 else ab[0, :, 0]
    with np.errstate(invalid="ignore", over="ignore"):
        post = np.exp(ab - log_p[:, None])
    post = np.einsum("tbu,buc->tbc", post, np.eye(num_classes, dtype=y.dtype)[l_prime])
    no_path = np.isneginf(log_p)[:, None]
    grad = np.where(no_path, y, y - post)
    skip = (sequence_length == 0)
    if ignore_longer_outputs_than_inputs:
        skip |= counts > sequence_length
    inside = np.arange(max_time)[:, None] < np.where(skip, 0, sequence_length)
    grad = np.where(inside[..., None], grad, 0).astype(inputs.dtype)
    return [np.where(skip, 0, -log_p).astype(inputs.dtype), grad]


@register_op("PreventGradient", shape=lambda x, **attrs: x._shape, forwards_input=True)
def _prevent_gradient(x, *, message):
    return x


@_prevent_gradient.gradient
def _prevent_gradient_grad(op, grad):
    raise LookupError(f"Gradient explicitly disabled. Reason: {op.get_attr('message')}")


@_ctc_loss.gradient
def _ctc_loss_grad(op, grad_loss, _):
    # the op's second output is the gradient; a second derivative is refused, as TF does
    grad = _prevent_gradient.apply(
        [op.outputs[1]], name="PreventGradient",
        message="Currently there is no way to take the second  derivative of ctc_loss due to "
                "the fused implementation's interaction  with tf.gradients()")
    return [multiply(expand_dims(grad_loss, -1), grad, name="mul"), None, None, None]


# -- decoders --------------------------------------------------------------------------------------
def _decoder_shapes(op_type, paths):
    def rule(inputs, seq_len, **attrs):
        for attr in ("beam_width", "top_paths"):
            if attr in attrs and attrs[attr] < 1:
                raise ValueError(f"Attr '{attr}' of '{op_type}' Op passed {attrs[attr]} less "
                                 "than minimum 1.")
        batch = _batch(inputs, seq_len, op_type, (inputs, seq_len))
        return [(None, 2)] * paths(attrs) + [(None,)] * paths(attrs) + \
            [(2,)] * paths(attrs) + [(batch, paths(attrs))]
    return rule


def _decoder_dtypes(op_type, paths):
    def rule(inputs, seq_len, **attrs):
        _check_dtypes(op_type, inputs, seq_len)
        return [_dtypes.int64] * (3 * paths(attrs)) + [inputs.dtype.base_dtype]
    return rule


def _sparse_of(values, lengths, batch):
    """(indices, values, dense_shape) of a SparseTensor holding the entries' label rows, their
    `values` one after another, `lengths` of them per entry."""
    values, lengths = np.asarray(values, np.int64).reshape(-1), np.asarray(lengths, np.int64)
    b = np.repeat(np.arange(batch, dtype=np.int64), lengths)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    indices = np.stack([b, np.arange(len(values)) - starts], axis=1).reshape(-1, 2)
    return indices, values, np.array([batch, lengths.max(initial=0)], np.int64)


_ONE = lambda attrs: 1  # noqa: E731


@register_op("CTCGreedyDecoder", shape=_decoder_shapes("CTCGreedyDecoder", _ONE),
             dtype=_decoder_dtypes("CTCGreedyDecoder", _ONE), outputs="n",
             differentiable=False)
def _ctc_greedy_decoder(inputs, sequence_length, *, merge_repeated, blank_index):
    _check_inputs(inputs, sequence_length, decoder=True)
    max_time, batch, num_classes = inputs.shape
    if not -num_classes <= blank_index < num_classes:
        _fail(f"blank_index expected to be between {-num_classes} and {num_classes - 1} but "
              f"was {blank_index}")
    blank = blank_index + num_classes if blank_index < 0 else blank_index
    best = np.argmax(inputs, axis=2).T  # [batch, time]: the first of equal maxima
    inside = np.arange(max_time) < sequence_length[:, None]
    prev = np.concatenate([np.full((batch, 1), -1), best[:, :-1]], axis=1)
    emit = inside & (best != blank) & ~(merge_repeated & (best == prev))
    log_prob = 0.0 - np.where(inside.T, inputs.max(axis=2), 0).sum(0, dtype=inputs.dtype)
    return [*_sparse_of(best[emit], emit.sum(1), batch), log_prob[:, None].astype(inputs.dtype)]


_TOP = lambda attrs: attrs["top_paths"]  # noqa: E731


@register_op("CTCBeamSearchDecoder", shape=_decoder_shapes("CTCBeamSearchDecoder", _TOP),
             dtype=_decoder_dtypes("CTCBeamSearchDecoder", _TOP), outputs="n",
             differentiable=False)
def _ctc_beam_search_decoder(inputs, sequence_length, *, beam_width, top_paths,
                             merge_repeated):
    _check_inputs(inputs, sequence_length, decoder=True)
    batch = inputs.shape[1]
    paths, log_probs = [], np.zeros((batch, top_paths), inputs.dtype)
    for b in range(batch):
        found, log_probs[b] = beam_search(inputs[:max(sequence_length[b], 0), b], beam_width,
                                          top_paths, merge_repeated, _fail)
        paths.append(found)
    decoded = [_sparse_of([x for b in range(batch) for x in paths[b][p]],
                          [len(paths[b][p]) for b in range(batch)], batch)
               for p in range(top_paths)]
    return [d[i] for i in range(3) for d in decoded] + [log_probs]
