"""Partitioning and reordering: dynamic_partition / dynamic_stitch, reverse_sequence, repeat,
batch_gather and histogram_fixed_width.
"""
import numpy as np

from minitf.framework import dtypes as _dtypes, errors
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops import manip_ops as _manip
from minitf.ops._shared import fmt, shape_of, zeros_like
from minitf.ops.array_ops import size
from minitf.ops.gather_scatter_ops import gather_nd
from minitf.ops.sequence_ops import range as _range, sequence_mask

__all__ = ["dynamic_partition", "dynamic_stitch", "reverse_sequence", "repeat", "batch_gather",
           "histogram_fixed_width"]


# -- dynamic_partition, dynamic_stitch -------------------------------------------------------------
def _partition_shapes(data, partitions, num_partitions):
    rest = None if data._shape is None or partitions._shape is None else \
        data._shape[len(partitions._shape):]
    return [None if rest is None else (None,) + rest] * num_partitions


@register_op("DynamicPartition", shape=_partition_shapes, outputs="n",
             dtype=lambda d, p, num_partitions: [d.dtype.base_dtype] * num_partitions)
def _dynamic_partition(data, partitions, num_partitions):
    if partitions.size and (partitions.min() < 0 or partitions.max() >= num_partitions):
        bad = partitions[(partitions < 0) | (partitions >= num_partitions)].ravel()[0]
        raise errors.InvalidArgumentError(None, None, f"partitions has value {bad} which is "
                                          f"outside the range [0, {num_partitions})")
    ids = partitions.reshape(-1)
    rows = data.reshape((ids.size,) + data.shape[partitions.ndim:])
    order = np.argsort(ids, kind="stable")  # one sort, then split by the counts
    counts = np.bincount(ids, minlength=num_partitions)
    return np.split(rows[order], np.cumsum(counts)[:-1])


@_dynamic_partition.gradient
def _dynamic_partition_grad(op, *grads):
    data, partitions = op.inputs
    n = op.get_attr("num_partitions")
    positions = _manip.reshape(_range(size(partitions)), shape_of(partitions))
    parts = _dynamic_partition.apply([positions, partitions], num_partitions=n)
    grads = [zeros_like(o) if g is None else g for g, o in zip(grads, op.outputs)]
    stitched = dynamic_stitch(parts, grads)
    return [_manip.reshape(stitched, shape_of(data)), None]


def dynamic_partition(data, partitions, num_partitions, name=None):
    """Splits `data` into `num_partitions` tensors by the partition index of each slice.

    Output i holds, in order, the slices `data[j...]` with `partitions[j...] == i`.

    Args:
      data: a Tensor.
      partitions: an int32 Tensor whose shape is a prefix of `data`'s, values in
        [0, num_partitions).
      num_partitions: an int >= 1.
      name: a name for the operation (default "DynamicPartition").

    Returns:
      A list of `num_partitions` Tensors.

    Raises:
      minitf.errors.InvalidArgumentError: at run time, a partition index is out of range.
    """
    partitions = convert_to_tensor(partitions)
    if partitions.dtype.base_dtype != _dtypes.int32:
        raise TypeError(f"Input 'partitions' of 'DynamicPartition' Op has type "
                        f"{partitions.dtype.name} that does not match expected type of int32.")
    return _dynamic_partition.apply([data, partitions], name=name or "DynamicPartition",
                                    num_partitions=int(num_partitions))


def _stitch_shape(*args, n):
    indices, data = args[:n], args[n:]
    if indices[0]._shape is None or data[0]._shape is None:
        return None
    rest = data[0]._shape[len(indices[0]._shape):]
    values = [constant_value(i) for i in indices]
    rows = None if any(v is None for v in values) else max(
        [int(v.max()) + 1 for v in values if v.size] or [0])
    return (rows,) + rest


@register_op("DynamicStitch", shape=_stitch_shape,
             dtype=lambda *args, n: args[n].dtype.base_dtype)
def _dynamic_stitch(*args, n):
    indices, data = args[:n], args[n:]
    ids = np.concatenate([i.reshape(-1) for i in indices])
    rest = data[0].shape[indices[0].ndim:]
    rows = np.concatenate([d.reshape((i.size,) + rest) for i, d in zip(indices, data)])
    out = np.zeros((int(ids.max()) + 1 if ids.size else 0,) + rest, dtype=data[0].dtype)
    out[ids] = rows  # later duplicates win, as in TF
    return out


@_dynamic_stitch.gradient
def _dynamic_stitch_grad(op, grad):
    n = op.get_attr("n")
    indices = op.inputs[:n]
    return [None] * n + [_manip.gather(grad, i) for i in indices]


def dynamic_stitch(indices, data, name=None):
    """Interleaves the slices of the tensors `data` into one tensor by `indices`.

    `merged[indices[m][i...], ...] = data[m][i..., ...]`; where an index repeats, the later
    slice wins.

    Args:
      indices: a list of int32 Tensors.
      data: a list of Tensors of one dtype, `data[m].shape` starting with `indices[m].shape`.
      name: a name for the operation (default "DynamicStitch").

    Returns:
      A Tensor of `max(indices) + 1` rows.

    Raises:
      ValueError: `indices` and `data` differ in length.
    """
    if len(indices) != len(data):
        raise ValueError(f"List argument 'data' to 'DynamicStitch' Op with length {len(data)} "
                         f"must match length {len(indices)} of argument 'indices'.")
    indices = [convert_to_tensor(i) for i in indices]
    data = [convert_to_tensor(d) for d in data]
    _manip._same_dtypes(data, "DynamicStitch")
    return _dynamic_stitch.apply(indices + data, name=name or "DynamicStitch", n=len(indices))


# -- reverse_sequence ------------------------------------------------------------------------------
@register_op("ReverseSequence", shape=lambda x, lengths, seq_axis, batch_axis: x._shape)
def _reverse_sequence(x, lengths, seq_axis, batch_axis):
    n = x.shape[seq_axis]
    if (lengths > n).any() or (lengths < 0).any():
        raise errors.InvalidArgumentError(None, None, f"seq_lens(i) must be in [0, {n}], got "
                                          f"{lengths.tolist()}")
    pos = np.arange(n)[None, :]
    lens = lengths.reshape(-1, 1)
    source = np.where(pos < lens, lens - 1 - pos, pos)  # [batch, seq]: where each comes from
    shape = [1] * x.ndim
    shape[batch_axis], shape[seq_axis] = x.shape[batch_axis], n
    source = source if batch_axis < seq_axis else source.T
    return np.take_along_axis(x, source.reshape(shape), seq_axis)


@_reverse_sequence.gradient
def _reverse_sequence_grad(op, grad):
    return [_reverse_sequence.apply([grad, op.inputs[1]], seq_axis=op.get_attr("seq_axis"),
                                    batch_axis=op.get_attr("batch_axis")), None]


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None,
                     seq_dim=None, batch_dim=None):
    """Reverses the first `seq_lengths[b]` entries along `seq_axis` of each batch entry b.

    Args:
      input: a Tensor.
      seq_lengths: a 1-D int32 or int64 Tensor, one length per batch entry.
      seq_axis: the dimension to reverse (TF1's `seq_dim`).
      batch_axis: the batch dimension (default 0; TF1's `batch_dim`).
      name: a name for the operation (default "ReverseSequence").
      seq_dim: TF1's old name for `seq_axis`.
      batch_dim: TF1's old name for `batch_axis`.

    Returns:
      A Tensor of `input`'s shape and dtype.

    Raises:
      ValueError: no sequence axis is given, or the two axes are the same.
    """
    seq_axis = seq_dim if seq_axis is None else seq_axis
    batch_axis = (batch_dim or 0) if batch_axis is None else batch_axis
    if seq_axis is None:
        raise ValueError("reverse_sequence: seq_axis (or seq_dim) is required.")
    input = convert_to_tensor(input)
    rank = None if input._shape is None else len(input._shape)
    seq_axis = _manip._axis(seq_axis, rank, "ReverseSequence")
    batch_axis = _manip._axis(batch_axis, rank, "ReverseSequence")
    if seq_axis == batch_axis:
        raise ValueError(f"batch_dim == seq_dim == {seq_axis} for 'ReverseSequence' with input "
                         f"shapes: {fmt(input._shape)}.")
    return _reverse_sequence.apply([input, seq_lengths], name=name or "ReverseSequence",
                                   seq_axis=seq_axis, batch_axis=batch_axis)


# -- composites: repeat, batch_gather --------------------------------------------------------------
def repeat(input, repeats, axis=None, name=None):
    """Repeats each element of `input` along `axis` `repeats` times.

    Args:
      input: a Tensor.
      repeats: an int, or a 1-D int Tensor with one count per element along `axis`.
      axis: the dimension to repeat along (default None: `input` flattened).
      name: a name for the operation (default "Repeat").

    Returns:
      A Tensor of `input`'s dtype.
    """
    with name_scope(name, "Repeat", [input, repeats]):
        input = convert_to_tensor(input, name="input")
        if axis is None:
            input, axis = _manip.reshape(input, [-1]), 0
        shape = input._shape
        if isinstance(repeats, int) and shape is not None and None not in shape:
            # a count for all and a known shape: tile a new axis, keeping the shape static
            tiled = _manip.tile(_manip.expand_dims(input, axis + 1), [1] * (axis + 1) + [
                repeats] + [1] * (len(shape) - axis - 1))
            return _manip.reshape(tiled, shape[:axis] + (shape[axis] * repeats,) +
                                  shape[axis + 1:])
        n = shape_of(input)[axis] if shape is None or shape[axis] is None else shape[axis]
        counts = _manip.broadcast_to(convert_to_tensor(repeats, _dtypes.int32), [n])
        # the rows of a mask of the counts, in order: each index as many times as it repeats
        picks = _manip.where(sequence_mask(counts))
        return _manip.gather(input, picks[:, 0], axis=axis)


def batch_gather(params, indices, name=None):
    """Gathers from each batch entry of `params` at that entry's `indices`.

    `output[b..., i] = params[b..., indices[b..., i]]` for the leading dimensions b of
    `indices` (all but its last).

    Args:
      params: a Tensor of shape [B..., N, ...].
      indices: an integer Tensor of known rank, shape [B..., K].
      name: a name for the operation (default "BatchGather").

    Returns:
      A Tensor of shape [B..., K, ...].

    Raises:
      ValueError: the rank of `indices` is unknown.
    """
    with name_scope(name, "BatchGather", [params, indices]):
        indices = convert_to_tensor(indices, name="indices")
        if indices._shape is None:
            raise ValueError("batch_gather does not allow indices with unknown shape.")
        rank = len(indices._shape)
        dims = shape_of(indices, out_type=indices.dtype.base_dtype)
        grids = [_manip.broadcast_to(_manip.reshape(
            _range(dims[d]), [-1 if i == d else 1 for i in range(rank)]), dims)
            for d in range(rank - 1)]
        return gather_nd(params, _manip.stack(grids + [indices], axis=-1))


# -- histogram_fixed_width -------------------------------------------------------------------------
@register_op("HistogramFixedWidth", differentiable=False,
             shape=lambda v, r, nbins, dtype: (None if constant_value(nbins) is None
                                               else int(constant_value(nbins)),),
             dtype=lambda v, r, nbins, dtype: dtype)
def _histogram(values, value_range, nbins, dtype):
    lo, hi = value_range.astype(np.float64)
    n = int(nbins)
    bins = np.floor((values.astype(np.float64) - lo) / (hi - lo) * n)
    bins = np.clip(bins, 0, n - 1).astype(np.int64).reshape(-1)
    return np.bincount(bins, minlength=n).astype(dtype.as_numpy_dtype)


def histogram_fixed_width(values, value_range, nbins=100, dtype=_dtypes.int32, name=None):
    """Counts `values` in `nbins` equal bins over `value_range`; outliers count in the end bins.

    Args:
      values: a numeric Tensor.
      value_range: a Tensor [lo, hi] of `values`' dtype, lo < hi.
      nbins: the number of bins, a scalar int32 (default 100).
      dtype: int32 or int64, the counts' dtype.
      name: a name for the operation (default "histogram_fixed_width").

    Returns:
      A 1-D Tensor of `nbins` counts.
    """
    with name_scope(name, "histogram_fixed_width", [values, value_range, nbins]) as scope:
        values = convert_to_tensor(values, name="values")
        value_range = convert_to_tensor(value_range, dtype=values.dtype.base_dtype,
                                        name="value_range")
        nbins = convert_to_tensor(nbins, _dtypes.int32, name="nbins")
        return _histogram.apply([values, value_range, nbins], name=scope,
                                dtype=_dtypes.as_dtype(dtype))
