"""Fractional pooling: fractional_max_pool / fractional_avg_pool (FractionalMaxPool,
FractionalAvgPool) with their gradient ops FractionalMaxPoolGrad / FractionalAvgPoolGrad (which
TF gives no gradient).

Each op draws a pooling sequence for the height, then one for the width, from its Philox stream
as TF's kernel does (`fractional_pool_common.cc`): a pseudo-random sequence from one RandDouble
`u` (boundaries `ceil(alpha * (i + u))`), or a random one, the k / k + 1 steps shuffled by one
word per swap. The stream is keyed by (seed, seed2), so seeded deterministic ops give TF's
sequences; a deterministic op draws once per Session and keeps them, as TF's kernel does.
"""
import collections
import math

import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.registry import register_op
from minitf.ops import philox
from minitf.ops._shared import no_gradient, shape_of, shape_value

__all__ = ["fractional_max_pool", "fractional_avg_pool"]

_FIELDS = ["output", "row_pooling_sequence", "col_pooling_sequence"]
FractionalMaxPool = collections.namedtuple("FractionalMaxPool", _FIELDS)
FractionalAvgPool = collections.namedtuple("FractionalAvgPool", _FIELDS)

_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)


# -- the pooling sequences -------------------------------------------------------------------------
def _words(stream, n):
    """`n` uint32 words of the stream, as TF's ReserveSamples32(n): whole blocks reserved."""
    count = (n + 3) // 4
    start = stream.counter
    stream.counter = (start + count) & (2**128 - 1)
    return philox.blocks(stream.key, start, np.arange(count, dtype=np.uint64)).reshape(-1)[:n]


def _pseudo_random_steps(n_in, n_out, stream):
    alpha, k = n_in / n_out, n_in // n_out
    max_u = min((k + 2) / alpha - 1, (n_in + 1 - k) / alpha - (n_out - 1))
    w = _words(stream, 2)
    u = float(philox._unit_float64(w[:1], w[1:])[0]) * max_u
    cum = [1] + [int(math.ceil(alpha * (i + u))) for i in range(1, n_out)] + [n_in + 1]
    return np.diff(cum)


def _random_steps(n_in, n_out, stream):
    k = n_in // n_out
    steps = np.full(n_out, k, np.int64)
    steps[:n_in % n_out] += 1
    words = _words(stream, n_out)
    for i in range(n_out - 1):  # TF's RandomShuffle: one word per swap (n_out is small)
        j = i + int(words[i] % np.uint32(n_out - i))
        steps[i], steps[j] = steps[j], steps[i]
    return steps


def _sequence(n_in, n_out, stream, pseudo_random):
    steps = (_pseudo_random_steps if pseudo_random else _random_steps)(n_in, n_out, stream)
    return np.concatenate([[0], np.cumsum(steps)]).astype(np.int64)


def _sequences(state, op, x_shape, attrs):
    """(row sequence, column sequence) of this run of `op`."""
    if not attrs["deterministic"] and (attrs["seed"] or attrs["seed2"]):
        raise errors.InvalidArgumentError(None, None, "Both seed and seed2 should be 0 if "
                                          "deterministic is false.")
    outs = _out_sizes(x_shape, attrs["pooling_ratio"])
    key = ("fractional_pool", op)
    if attrs["deterministic"] and key in state:
        return state[key]
    stream = state.get(op) or state.setdefault(op, philox.PhiloxStream(attrs["seed"],
                                                                       attrs["seed2"]))
    seqs = tuple(_sequence(x_shape[i], outs[i], stream, attrs["pseudo_random"]) for i in (1, 2))
    if attrs["deterministic"]:
        state[key] = seqs
    return seqs


def _out_sizes(x_shape, ratio):
    return [None if n is None else int(math.floor(n / r)) for n, r in zip(x_shape, ratio)]


# -- the regions -----------------------------------------------------------------------------------
def _regions(seq, size, overlapping):
    """(index table (n_out, L), mask (n_out, L)): each region's input positions, padded with
    repeats of its first one (which never change a first maximum)."""
    seq = np.asarray(seq, np.int64)
    start = seq[:-1]
    end = np.minimum(seq[1:] if overlapping else seq[1:] - 1, size - 1)
    span = np.arange(int((end - start).max()) + 1 if len(start) else 1)
    table = start[:, None] + span[None, :]
    mask = table <= end[:, None]
    return np.where(mask, table, start[:, None]), mask


def _gathered(x, rows, cols, overlapping):
    """(x's regions (N, oh, ow, Lr * Lc, C) in row-major order, their mask, the flat input
    position (h * W + w) of each entry)."""
    (ri, rm), (ci, cm) = (_regions(rows, x.shape[1], overlapping),
                          _regions(cols, x.shape[2], overlapping))
    g = x[:, ri[:, None, :, None], ci[None, :, None, :], :]
    shape = g.shape[:3] + (-1, x.shape[3])
    mask = (rm[:, None, :, None] & cm[None, :, None, :]).reshape(g.shape[1:3] + (-1, 1))
    where = (ri[:, None, :, None] * x.shape[2] + ci[None, :, None, :]).reshape(
        g.shape[1:3] + (-1,))
    return g.reshape(shape), mask, where


# -- rules -----------------------------------------------------------------------------------------
def _dtype_rule(x, *rest, **attrs):
    dtype = x.dtype.base_dtype
    if dtype not in _TYPES:
        raise TypeError(f"Value passed to parameter 'value' has DataType {dtype.name} not in "
                        f"list of allowed values: {', '.join(t.name for t in _TYPES)}")
    return [dtype, dtypes.int64, dtypes.int64]


def _pool_shape(op_type):
    def rule(value, **attrs):
        ratio = attrs["pooling_ratio"]
        if len(ratio) != 4:
            raise ValueError(f"pooling_ratio field must specify 4 dimensions for '{op_type}'")
        x = (None,) * 4 if value._shape is None else tuple(value._shape)
        if len(x) != 4:
            raise ValueError(f"Shape must be rank 4 but is rank {len(x)} for '{op_type}' with "
                             f"input shapes: [{','.join('?' if d is None else str(d) for d in x)}]"
                             ".")
        for r in ratio:
            if r < 1.0:
                raise ValueError(f"pooling_ratio cannot be smaller than 1, got: {r} for "
                                 f"'{op_type}'")
        out = tuple(_out_sizes(x, ratio))
        # (TF declares the sequences one shorter than they are)
        return [out, (out[1],), (out[2],)]
    return rule


def _check_input(x, attrs, op_type):
    if x.ndim != 4:
        raise errors.InvalidArgumentError(None, None, "tensor_in must be 4-dimensional")
    if attrs["pooling_ratio"][0] != 1 or attrs["pooling_ratio"][3] != 1:
        raise errors.UnimplementedError(None, None, f"{op_type} is not yet supported on the "
                                        "batch nor channel dimension.")


# -- the ops ---------------------------------------------------------------------------------------
@register_op("FractionalMaxPool", shape=_pool_shape("FractionalMaxPool"), dtype=_dtype_rule,
             outputs="n", stateful=True)
def _fractional_max_pool(state, op, value, **attrs):
    _check_input(value, attrs, "Fractional max pooling")
    rows, cols = _sequences(state, op, value.shape, attrs)
    g, _, _ = _gathered(value, rows, cols, attrs["overlapping"])
    return [g.max(axis=-2), rows, cols]


@register_op("FractionalAvgPool", shape=_pool_shape("FractionalAvgPool"), dtype=_dtype_rule,
             outputs="n", stateful=True)
def _fractional_avg_pool(state, op, value, **attrs):
    _check_input(value, attrs, "Fractional average pooling")
    rows, cols = _sequences(state, op, value.shape, attrs)
    g, mask, _ = _gathered(value, rows, cols, attrs["overlapping"])
    total = np.where(mask, g, 0).sum(axis=-2)
    count = mask.sum(axis=-2)
    if value.dtype.kind == "f":
        return [(total / count).astype(value.dtype), rows, cols]
    return [np.fix(total / count).astype(value.dtype), rows, cols]  # C's integer division


def _grad_dtype(x, *rest, **attrs):
    return _dtype_rule(x)[0]


@register_op("FractionalMaxPoolGrad",
             shape=lambda orig_input, *rest, **attrs: orig_input._shape, dtype=_grad_dtype)
def _fractional_max_pool_grad(orig_input, orig_output, out_backprop, row_pooling_sequence,
                              col_pooling_sequence, overlapping):
    # each output's gradient goes to its region's first maximum
    x = orig_input
    g, _, where = _gathered(x, row_pooling_sequence, col_pooling_sequence, overlapping)
    first = np.argmax(g, axis=-2)  # (N, oh, ow, C)
    pos = np.take_along_axis(np.broadcast_to(where[None, ..., None], g.shape),
                             first[..., None, :], axis=-2)[..., 0, :]
    n, _, _, c = first.shape
    flat = (np.arange(n)[:, None, None, None] * (x.shape[1] * x.shape[2]) + pos) * c \
        + np.arange(c)
    out = np.zeros(x.size, x.dtype)
    np.add.at(out, flat.ravel(), out_backprop.astype(x.dtype).ravel())
    return out.reshape(x.shape)


def _avg_grad_shape(orig_input_tensor_shape, *rest, **attrs):
    return shape_value(orig_input_tensor_shape)


@register_op("FractionalAvgPoolGrad", shape=_avg_grad_shape,
             dtype=lambda shape, out_backprop, *rest, **attrs: _grad_dtype(out_backprop))
def _fractional_avg_pool_grad(orig_input_tensor_shape, out_backprop, row_pooling_sequence,
                              col_pooling_sequence, overlapping):
    # each output's gradient is shared equally by its region (summed in float64, as TF's)
    shape = tuple(int(d) for d in orig_input_tensor_shape)
    (ri, rm), (ci, cm) = (_regions(row_pooling_sequence, shape[1], overlapping),
                          _regions(col_pooling_sequence, shape[2], overlapping))
    count = rm.sum(1)[:, None] * cm.sum(1)[None, :]  # (oh, ow)
    share = out_backprop.astype(np.float64) / count[None, :, :, None]
    grad = np.zeros(shape, np.float64)
    for a in range(ri.shape[1]):  # (one region offset at a time: L is k + 2 at most)
        for b in range(ci.shape[1]):
            keep = (rm[:, a][:, None] & cm[:, b][None, :])[None, :, :, None]
            np.add.at(grad, (slice(None), ri[:, a][:, None], ci[:, b][None, :]),
                      np.where(keep, share, 0.0))
    return grad.astype(out_backprop.dtype)


@_fractional_max_pool.gradient
def _fractional_max_pool_gradient(op, grad, *unused):
    return [_fractional_max_pool_grad.apply(
        [op.inputs[0], op.outputs[0], grad, op.outputs[1], op.outputs[2]],
        overlapping=op.get_attr("overlapping"))]


@_fractional_avg_pool.gradient
def _fractional_avg_pool_gradient(op, grad, *unused):
    x = op.inputs[0]
    # TF passes the input's static shape (a Const)
    known = x._shape is not None and None not in x._shape
    shape = list(x._shape) if known else shape_of(x, out_type=dtypes.int64)
    return [_fractional_avg_pool_grad.apply(
        [shape, grad, op.outputs[1], op.outputs[2]],
        overlapping=op.get_attr("overlapping"))]



no_gradient(_fractional_max_pool_grad, _fractional_avg_pool_grad)


# -- the public functions --------------------------------------------------------------------------
def _attrs(op_type, pooling_ratio, pseudo_random, overlapping, deterministic, seed, seed2):
    ratio = [float(r) for r in pooling_ratio]
    if len(ratio) < 4:
        raise ValueError(f"Attr 'pooling_ratio' of '{op_type}' Op passed list of length "
                         f"{len(ratio)} less than minimum 4.")
    return dict(pooling_ratio=ratio, pseudo_random=bool(pseudo_random),
                overlapping=bool(overlapping), deterministic=bool(deterministic),
                seed=int(seed), seed2=int(seed2))


_DOC = """Performs fractional {what} pooling on the 4-D `value` (TF1's signature).

    Each output row pools a run of k or k + 1 input rows (k = floor(ratio)), the runs drawn
    at random (`pseudo_random` picks TF's pseudo-random sequence); likewise the columns.

    Args:
      value: a 4-D Tensor [batch, height, width, channels]: float32, float64, int32 or int64.
      pooling_ratio: a list of 4 floats >= 1, [1.0, row ratio, column ratio, 1.0].
      pseudo_random: whether the sequence is pseudo-random (else random).
      overlapping: whether adjacent regions share their boundary row / column.
      deterministic: whether the op draws its sequences once (per Session) and keeps them.
      seed: with `deterministic`, the Philox seed (seed, seed2 0 and 0: random); else 0.
      seed2: the second seed.
      name: a name for the operation (default "{default}").

    Returns:
      The tuple (output, row_pooling_sequence, col_pooling_sequence): the pooled Tensor of
      `value`'s dtype and the int64 region boundaries.

    Raises:
      ValueError: a ratio is below 1, the output would be empty or the rank is not 4.
      TypeError: the dtype is not supported.
    """


def fractional_max_pool(value, pooling_ratio, pseudo_random=False, overlapping=False,
                        deterministic=False, seed=0, seed2=0, name=None):
    attrs = _attrs("FractionalMaxPool", pooling_ratio, pseudo_random, overlapping,
                   deterministic, seed, seed2)
    return FractionalMaxPool(*_fractional_max_pool.apply([value], name=name or "FractionalMaxPool",
                                                         **attrs))


def fractional_avg_pool(value, pooling_ratio, pseudo_random=False, overlapping=False,
                        deterministic=False, seed=0, seed2=0, name=None):
    attrs = _attrs("FractionalAvgPool", pooling_ratio, pseudo_random, overlapping,
                   deterministic, seed, seed2)
    return FractionalAvgPool(*_fractional_avg_pool.apply([value], name=name or "FractionalAvgPool",
                                                         **attrs))


fractional_max_pool.__doc__ = _DOC.format(what="max", default="FractionalMaxPool")
fractional_avg_pool.__doc__ = _DOC.format(what="average", default="FractionalAvgPool")
