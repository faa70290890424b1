"""Block rearrangements between space and batch: space_to_batch_nd (SpaceToBatchND) and
batch_to_space_nd (BatchToSpaceND), TF1's 4-D space_to_batch / batch_to_space built on them as
TF builds them, required_space_to_batch_paddings, and extract_volume_patches
(ExtractVolumePatches).

The block shape, paddings and crops may be constants or tensors computed at run time; the static
shape rules then leave unknown what TF leaves unknown.
"""
import numpy as np

from minitf.framework import dtypes as _dtypes, errors
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops import manip_ops as _manip
from minitf.ops._shared import fmt, shape_of
from minitf.ops.array_ops import zeros

__all__ = ["space_to_batch_nd", "batch_to_space_nd", "space_to_batch", "batch_to_space",
           "required_space_to_batch_paddings", "extract_volume_patches"]

_INDEX_TYPES = (_dtypes.int32, _dtypes.int64)


def _index_dtypes(names):
    """A dtype rule: the input's dtype, the others (`names`) being int32 or int64."""
    def rule(input, *others):
        for param, t in zip(names, others):
            if t.dtype.base_dtype not in _INDEX_TYPES:
                raise TypeError(f"Value passed to parameter '{param}' has DataType "
                                f"{t.dtype.name} not in list of allowed values: int32, int64")
        return input.dtype.base_dtype
    return rule


def _index_value(value):
    # an empty list is an int32 tensor here (TF's default for the index inputs), not float32
    if isinstance(value, (list, tuple)) and np.size(value) == 0:
        return np.zeros(np.shape(value), np.int32)
    return value


# -- static shapes ---------------------------------------------------------------------------------
def _computed(value):
    """TF's text for a computed input in a shape error: <2 2>, <[0 0][0 1]>."""
    value = np.asarray(value)
    if value.ndim == 1:
        return "<" + " ".join(map(str, value.tolist())) + ">"
    return "<" + "".join("[" + " ".join(map(str, row)) + "]" for row in value.tolist()) + ">"


def _where(op_type, inputs, values=()):
    text = f" for '{op_type}' with input shapes: " + ", ".join(fmt(t._shape) for t in inputs)
    known = [(i, v) for i, v in values if v is not None]
    if known:
        text += " and with computed input tensors: " + ", ".join(
            f"input[{i}] = {_computed(v)}" for i, v in known)
    return text + "."


def _check_ranks(op_type, x, block_shape, amounts):
    """The number of block dimensions M; ValueError (TF's words) for wrong ranks."""
    where = _where(op_type, (x, block_shape, amounts))
    if block_shape._shape is None or len(block_shape._shape) != 1:
        raise ValueError("block_shape must have rank 1." + where)
    m = block_shape._shape[0]
    if m is None:
        raise ValueError("block_shape must have known size." + where)
    shape = amounts._shape
    if shape is not None:
        if len(shape) != 2:
            raise ValueError(f"Shapes must be equal rank, but are {len(shape)} and 2{where}")
        for i, (a, b) in enumerate(zip(shape, (m, 2))):
            if a is not None and a != b:
                raise ValueError(f"Dimension {i} in both shapes must be equal, but are {a} and "
                                 f"{b}. Shapes are {fmt(shape)} and [{m},2].{where}")
    if x._shape is not None and len(x._shape) < m + 1:
        raise ValueError(f"Shape must be at least rank {m + 1} but is rank {len(x._shape)}"
                         + where)
    return m


def _divide(size, k, where):
    if size is None:
        return None
    if size % k:
        raise ValueError(f"Dimension size must be evenly divisible by {k} but is {size}{where}")
    return size // k


def _static_inputs(op_type, x, block_shape, amounts, amounts_name):
    """What both shape rules start with: the rank checks, then the known block and paddings
    (or crops) values checked; None when x's rank is unknown."""
    m = _check_ranks(op_type, x, block_shape, amounts)
    if x._shape is None:
        return None
    block, values = constant_value(block_shape), constant_value(amounts)
    where = _where(op_type, (x, block_shape, amounts), ((1, block), (2, values)))
    if block is not None and (np.asarray(block) < 1).any():
        raise ValueError("block_shape must be positive" + where)
    if values is not None and (np.asarray(values) < 0).any():
        raise ValueError(f"{amounts_name} cannot be negative" + where)
    return m, block, values, where


def _space_to_batch_shape(x, block_shape, paddings):
    known = _static_inputs("SpaceToBatchND", x, block_shape, paddings, "paddings")
    if known is None:
        return None
    m, block, pads, where = known
    batch, spatial, rest = x._shape[0], x._shape[1:m + 1], x._shape[m + 1:]
    if block is None:
        return (None,) * (m + 1) + rest
    block = [int(k) for k in np.ravel(block)]
    out = [None if batch is None else batch * int(np.prod(block, dtype=np.int64))]
    for i, (d, k) in enumerate(zip(spatial, block)):
        padded = None if pads is None or d is None else d + int(pads[i][0]) + int(pads[i][1])
        out.append(_divide(padded, k, where))
    return tuple(out) + rest


def _batch_to_space_shape(x, block_shape, crops):
    known = _static_inputs("BatchToSpaceND", x, block_shape, crops, "crops")
    if known is None:
        return None
    m, block, cuts, where = known
    batch, spatial, rest = x._shape[0], x._shape[1:m + 1], x._shape[m + 1:]
    if block is None:
        return (None,) * (m + 1) + rest
    block = [int(k) for k in np.ravel(block)]
    for k in block:  # (TF divides by one block dimension after another)
        batch = _divide(batch, k, where)
    out = [batch]
    for i, (d, k) in enumerate(zip(spatial, block)):
        size = None if cuts is None or d is None else d * k
        for cut in () if size is None else (int(cuts[i][0]), int(cuts[i][1])):
            if size - cut < 0:
                raise ValueError(f"Negative dimension size caused by subtracting {cut} from "
                                 f"{size}{where}")
            size -= cut
        out.append(size)
    return tuple(out) + rest


# -- kernels ---------------------------------------------------------------------------------------
def _block_of(block_shape):
    block = [int(k) for k in np.ravel(block_shape)]
    for i, k in enumerate(block):
        if k < 1:
            raise errors.InvalidArgumentError(
                None, None, f"All values in block_shape must be positive, got value, {k} at "
                f"index {i}.")
    return block


@register_op("SpaceToBatchND", shape=_space_to_batch_shape,
             dtype=_index_dtypes(("block_shape", "paddings")))
def _space_to_batch_nd(input, block_shape, paddings):
    block = _block_of(block_shape)
    m = len(block)
    pads = np.asarray(paddings, dtype=np.int64).reshape(m, 2)
    if (pads < 0).any():
        raise errors.InvalidArgumentError(None, None, "Paddings must be non-negative")
    padded = np.pad(input, [(0, 0)] + pads.tolist() + [(0, 0)] * (input.ndim - 1 - m))
    spatial, rest = padded.shape[1:m + 1], padded.shape[m + 1:]
    for i, (d, k) in enumerate(zip(spatial, block)):
        if d % k:
            raise errors.InvalidArgumentError(
                None, None, f"padded_shape[{i}]={d} is not divisible by block_shape[{i}]={k}")
    # [batch, d0/k0, k0, d1/k1, k1, ..., rest] with the block offsets moved in front of batch
    split = [input.shape[0]] + [n for d, k in zip(spatial, block) for n in (d // k, k)]
    perm = ([2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)]
            + list(range(2 * m + 1, 2 * m + 1 + len(rest))))
    out = padded.reshape(split + list(rest)).transpose(perm)
    return out.reshape([input.shape[0] * int(np.prod(block, dtype=np.int64))]
                       + [d // k for d, k in zip(spatial, block)] + list(rest))


@register_op("BatchToSpaceND", shape=_batch_to_space_shape,
             dtype=_index_dtypes(("block_shape", "crops")))
def _batch_to_space_nd(input, block_shape, crops):
    block = _block_of(block_shape)
    m, total = len(block), int(np.prod(block, dtype=np.int64))
    cuts = np.asarray(crops, dtype=np.int64).reshape(m, 2)
    if (cuts < 0).any():
        raise errors.InvalidArgumentError(None, None, "Crops must be non-negative")
    batch, spatial, rest = input.shape[0], input.shape[1:m + 1], input.shape[m + 1:]
    if batch % total:
        raise errors.InvalidArgumentError(
            None, None, f"Input batch dimension ({batch}) is not divisible by product of block "
            f"sizes ({total})")
    sizes = [d * k - int(c0) - int(c1) for d, k, (c0, c1) in zip(spatial, block, cuts)]
    for i, size in enumerate(sizes):
        if size < 0:
            raise errors.InvalidArgumentError(
                None, None, f"cropped_shape[{i}]={size} must be non-negative")
    # [k0, ..., batch', d0, ..., rest] interleaved to [batch', d0, k0, d1, k1, ..., rest]
    blocks = input.reshape(block + [batch // total] + list(input.shape[1:]))
    perm = ([m] + [n for i in range(m) for n in (m + 1 + i, i)]
            + list(range(2 * m + 1, 2 * m + 1 + len(rest))))
    out = blocks.transpose(perm).reshape(
        [batch // total] + [d * k for d, k in zip(spatial, block)] + list(rest))
    window = tuple(slice(int(c0), int(c0) + size) for (c0, _), size in zip(cuts, sizes))
    return out[(slice(None),) + window]


# each is the other's adjoint: the same permutation of elements, read backwards
@_space_to_batch_nd.gradient
def _space_to_batch_nd_grad(op, grad):
    return [_batch_to_space_nd.apply([grad, op.inputs[1], op.inputs[2]]), None, None]


@_batch_to_space_nd.gradient
def _batch_to_space_nd_grad(op, grad):
    return [_space_to_batch_nd.apply([grad, op.inputs[1], op.inputs[2]]), None, None]


# -- public functions ------------------------------------------------------------------------------
def space_to_batch_nd(input, block_shape, paddings, name=None):
    """Moves blocks of the spatial dimensions of `input` into its batch dimension.

    `input` has shape `[batch] + spatial_shape + remaining_shape`, with M spatial dimensions.
    The spatial dimensions are zero-padded by `paddings`, then each is cut into blocks of
    `block_shape`; the position in the block becomes part of the batch index (outermost).

    >>> x = tf.reshape(tf.range(4), [1, 2, 2, 1])
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.space_to_batch_nd(x, [2, 2], [[0, 0], [0, 0]])).ravel())
    [0 1 2 3]

    Args:
      input: a Tensor of rank M + 1 or more.
      block_shape: a 1-D int32 or int64 Tensor of M values >= 1.
      paddings: an int32 or int64 Tensor of shape [M, 2] of values >= 0: the padding at the
        start and end of each spatial dimension.
      name: a name for the operation (default "SpaceToBatchND").

    Returns:
      A Tensor of `input`'s dtype, of shape `[batch * prod(block_shape)] +
      [padded_shape[i] / block_shape[i]] + remaining_shape`.

    Raises:
      TypeError: `block_shape` or `paddings` is not int32 or int64.
      ValueError: wrong ranks, or known values that do not divide or are out of range.
      minitf.errors.InvalidArgumentError: at run time, the same for values computed then.
    """
    return _space_to_batch_nd.apply(
        [input, _index_value(block_shape), _index_value(paddings)],
        name=name or "SpaceToBatchND")


def batch_to_space_nd(input, block_shape, crops, name=None):
    """Moves blocks of the batch dimension of `input` back into its spatial dimensions.

    The inverse of `space_to_batch_nd`: the batch is split into `block_shape + [batch']`, the
    blocks are interleaved into the M spatial dimensions, and `crops` are cut off their ends.

    Args:
      input: a Tensor of rank M + 1 or more, whose batch is divisible by prod(block_shape).
      block_shape: a 1-D int32 or int64 Tensor of M values >= 1.
      crops: an int32 or int64 Tensor of shape [M, 2] of values >= 0: the amount to cut from
        the start and end of each spatial dimension.
      name: a name for the operation (default "BatchToSpaceND").

    Returns:
      A Tensor of `input`'s dtype, of shape `[batch / prod(block_shape)] +
      [input_shape[i + 1] * block_shape[i] - crops[i, 0] - crops[i, 1]] + remaining_shape`.

    Raises:
      TypeError: `block_shape` or `crops` is not int32 or int64.
      ValueError: wrong ranks, or known values that do not divide or are out of range.
      minitf.errors.InvalidArgumentError: at run time, the same for values computed then.
    """
    return _batch_to_space_nd.apply(
        [input, _index_value(block_shape), _index_value(crops)], name=name or "BatchToSpaceND")


def _block_size(block_size, block_shape):
    if block_size is not None and block_shape is not None:
        raise ValueError("Cannot specify both 'block_size' and 'block_shape'.")
    size = block_shape if block_size is None else block_size
    return np.array([size, size], dtype=np.int64)


def _with_rank_4(t):
    shape = t._shape
    if shape is None:
        t.set_shape([None] * 4)
    elif len(shape) != 4:
        raise ValueError(f"Shape {_tuple_text(shape)} must have rank 4")
    return t


def space_to_batch(input, paddings, block_size=None, name=None, block_shape=None):
    """TF1's 4-D space_to_batch: `space_to_batch_nd` with a square block of `block_size`.

    Args:
      input: a 4-D Tensor `[batch, height, width, depth]`.
      paddings: an int32 or int64 Tensor of shape [2, 2].
      block_size: the block's side, an int >= 1.
      name: a name for the operation (default "SpaceToBatchND").
      block_shape: the deprecated other name of `block_size`.

    Returns:
      A 4-D Tensor of `input`'s dtype.

    Raises:
      ValueError: both `block_size` and `block_shape` are given, or the result is not 4-D.
    """
    return _with_rank_4(space_to_batch_nd(input, _block_size(block_size, block_shape), paddings,
                                          name=name))


def batch_to_space(input, crops, block_size, name=None, block_shape=None):
    """TF1's 4-D batch_to_space: `batch_to_space_nd` with a square block of `block_size`.

    Args:
      input: a 4-D Tensor `[batch, height, width, depth]`.
      crops: an int32 or int64 Tensor of shape [2, 2].
      block_size: the block's side, an int >= 1.
      name: a name for the operation (default "BatchToSpaceND").
      block_shape: the deprecated other name of `block_size`.

    Returns:
      A 4-D Tensor of `input`'s dtype.

    Raises:
      ValueError: both `block_size` and `block_shape` are given, or the result is not 4-D.
    """
    return _with_rank_4(batch_to_space_nd(input, _block_size(block_size, block_shape), crops,
                                          name=name))


def required_space_to_batch_paddings(input_shape, block_shape, base_paddings=None, name=None):
    """Computes the paddings that make `block_shape` divide `input_shape`, and their crops.

    The crops undo the extra padding.

    `paddings[i, 0] = base_paddings[i, 0]`; `paddings[i, 1]` is `base_paddings[i, 1]` plus the
    least amount that makes the padded size a multiple of `block_shape[i]`, which is
    `crops[i, 1]` (`crops[i, 0]` is 0).

    >>> paddings, crops = tf.required_space_to_batch_paddings([5, 7], [2, 3])
    >>> with tf.Session() as sess:
    ...     print(sess.run(paddings).tolist(), sess.run(crops).tolist())
    [[0, 1], [0, 2]] [[0, 1], [0, 2]]

    Args:
      input_shape: an int32 Tensor of shape [N].
      block_shape: an int32 Tensor of shape [N], of fully known shape.
      base_paddings: an optional int32 Tensor of shape [N, 2] (default zeros): the least padding.
      name: a name prefix (default "required_space_to_batch_paddings").

    Returns:
      The tuple (paddings, crops): int32 Tensors of shape [N, 2].

    Raises:
      ValueError: the shapes are incompatible, or `block_shape`'s is not fully known.
    """
    with name_scope(name, "required_space_to_batch_paddings", [input_shape, block_shape]):
        input_shape = convert_to_tensor(input_shape, _dtypes.int32, name="input_shape")
        block_shape = convert_to_tensor(block_shape, _dtypes.int32, name="block_shape")
        n = _block_dims(block_shape)
        if n == 0:
            return zeros([0, 2], _dtypes.int32), zeros([0, 2], _dtypes.int32)
        _compatible(input_shape._shape, (n,))
        if base_paddings is None:
            base_paddings = zeros([n, 2], _dtypes.int32)
        else:
            base_paddings = convert_to_tensor(base_paddings, _dtypes.int32, name="base_paddings")
            _compatible(base_paddings._shape, (n, 2))
        known = [constant_value(t) for t in (block_shape, input_shape, base_paddings)]
        if all(v is not None for v in known):  # NumPy arithmetic then, as TF does it
            block_shape, input_shape, base_paddings = known
        start, end = base_paddings[:, 0], base_paddings[:, 1]
        extra = (block_shape - (input_shape + start + end) % block_shape) % block_shape
        crop_start = np.zeros(n, np.int32) if isinstance(extra, np.ndarray) else extra * 0
        paddings = _manip.stack([start, end + extra], axis=1, name="paddings")
        crops = _manip.stack([crop_start, extra], axis=1, name="crops")
        return paddings, crops


def _block_dims(block_shape):
    shape = block_shape._shape
    if shape is None or None in shape:
        raise ValueError(f"Shape {_tuple_text(shape)} is not fully defined")
    if len(shape) != 1:
        raise ValueError(f"Shape {_tuple_text(shape)} must have rank 1")
    return shape[0]


def _compatible(shape, expected):
    if shape is not None and (len(shape) != len(expected) or any(
            a is not None and a != b for a, b in zip(shape, expected))):
        raise ValueError(f"Shapes {_tuple_text(shape)} and {list(expected)} are incompatible")


def _tuple_text(shape):
    """TF's str of a TensorShape: (3,), (?, 2), <unknown>."""
    if shape is None:
        return "<unknown>"
    dims = ["?" if d is None else str(d) for d in shape]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"



# -- extract_volume_patches ------------------------------------------------------------------------
_PATCH_TYPES = (_dtypes.float32, _dtypes.float64, _dtypes.int32, _dtypes.uint8, _dtypes.int16,
                _dtypes.int8, _dtypes.int64, _dtypes.bfloat16, _dtypes.uint16, _dtypes.float16,
                _dtypes.uint32, _dtypes.uint64)


def _window(size, k, s, padding):
    """(output size, padding before) of one dimension, by TF's SAME/VALID rules."""
    if padding == "VALID":
        return max((size - k + s) // s, 0), 0
    out = (size + s - 1) // s
    return out, max((out - 1) * s + k - size, 0) // 2


def _patches_shape(input, ksizes, strides, padding):
    shape = input._shape
    if shape is None:
        return (None,) * 4  # (TF's shape function's rank, as below)
    if len(shape) != 5:
        raise ValueError(f"Shape must be rank 5 but is rank {len(shape)} for "
                         f"'ExtractVolumePatches' with input shapes: {fmt(shape)}.")
    depth = None if shape[4] is None else int(np.prod(ksizes[1:4])) * shape[4]
    if None in shape[1:4]:  # (TF's shape function then says rank 4: batch, ?, ?, depth)
        return (shape[0], None, None, depth)
    spatial = [_window(d, k, s, padding)[0]
               for d, k, s in zip(shape[1:4], ksizes[1:4], strides[1:4])]
    return (shape[0],) + tuple(spatial) + (depth,)


def _patches_dtype(input, ksizes, strides, padding):
    dtype = input.dtype.base_dtype
    if dtype not in _PATCH_TYPES:
        names = ", ".join(t.name for t in _PATCH_TYPES)
        raise TypeError(f"Value passed to parameter 'input' has DataType {dtype.name} not in "
                        f"list of allowed values: {names}")
    return dtype


@register_op("ExtractVolumePatches", shape=_patches_shape, dtype=_patches_dtype)
def _extract_volume_patches(input, ksizes, strides, padding):
    for attr, values in (("ksizes", ksizes), ("strides", strides)):
        if values[0] != 1 or values[4] != 1:
            raise errors.UnimplementedError(None, None, f"Only support {attr} across space.")
    k, s = ksizes[1:4], strides[1:4]
    windows = [_window(d, kd, sd, padding) for d, kd, sd in zip(input.shape[1:4], k, s)]
    out_shape = ((input.shape[0],) + tuple(o for o, _ in windows)
                 + (int(np.prod(k)) * input.shape[4],))
    if 0 in out_shape:
        return np.zeros(out_shape, input.dtype)
    pads = [(before, max((o - 1) * sd + kd - d - before, 0))
            for (o, before), d, kd, sd in zip(windows, input.shape[1:4], k, s)]
    padded = np.pad(input, [(0, 0)] + pads + [(0, 0)])
    # [batch, planes, rows, cols, depth, kd, kh, kw]: every window, then every stride-th one
    views = np.lib.stride_tricks.sliding_window_view(padded, tuple(k), axis=(1, 2, 3))
    views = views[:, ::s[0], ::s[1], ::s[2]][:, :out_shape[1], :out_shape[2], :out_shape[3]]
    return views.transpose(0, 1, 2, 3, 5, 6, 7, 4).reshape(out_shape)


@_extract_volume_patches.gradient
def _extract_volume_patches_grad(op, grad):
    # the patches are a gather of input positions (or of padding): their gradient sums the
    # patch gradients back into the positions, padding going to one extra slot dropped after
    x = op.inputs[0]
    spatial = x._shape[1:4] if x._shape is not None else (None,)
    if None in spatial:
        raise ValueError("minitf: the gradient of extract_volume_patches needs the input's "
                         f"planes, rows and columns known, not {fmt(x._shape)}.")
    n = int(np.prod(spatial))
    attrs = {a: op.get_attr(a) for a in ("ksizes", "strides", "padding")}
    positions = np.arange(1, n + 1).reshape((1,) + tuple(spatial) + (1,))
    ids = _extract_volume_patches.kernel(positions, **attrs).ravel() - 1
    ids[ids < 0] = n
    x_shape = shape_of(x)
    batch, depth = x_shape[0], x_shape[4]
    flat = _manip.transpose(_manip.reshape(grad, _manip.stack([batch, -1, depth])), [1, 0, 2])
    summed = _manip.unsorted_segment_sum(flat, ids.astype(np.int32), n + 1)[:n]
    return [_manip.reshape(_manip.transpose(summed, [1, 0, 2]), x_shape)]


def _int_list(value, attr, length):
    values = [int(v) for v in value]
    if len(values) < length:
        raise ValueError(f"Attr '{attr}' of 'ExtractVolumePatches' Op passed list of length "
                         f"{len(values)} less than minimum {length}.")
    return values


def extract_volume_patches(input, ksizes, strides, padding, name=None):
    """Extracts 3-D patches from `input` and puts them in its depth dimension.

    Each output position `[b, p, r, c]` holds the patch of `ksizes[1:4]` planes, rows and
    columns of `input` at that stride-spaced position, flattened in (plane, row, col, depth)
    order; SAME padding pads with zeros.

    Args:
      input: a 5-D real Tensor `[batch, in_planes, in_rows, in_cols, depth]`.
      ksizes: 5 ints, the patch size `[1, planes, rows, cols, 1]`.
      strides: 5 ints, the distance between patches `[1, planes, rows, cols, 1]`.
      padding: "SAME" or "VALID".
      name: a name for the operation (default "ExtractVolumePatches").

    Returns:
      A Tensor of `input`'s dtype, of shape `[batch, out_planes, out_rows, out_cols,
      planes * rows * cols * depth]`.

    Raises:
      ValueError: a list is shorter than 5, `padding` is unknown, or `input` is not 5-D.
      TypeError: `input`'s dtype is not a real number type.
      minitf.errors.InvalidArgumentError: at run time, the batch or depth size or stride is
        not 1.
    """
    ksizes, strides = _int_list(ksizes, "ksizes", 5), _int_list(strides, "strides", 5)
    padding = padding.decode() if isinstance(padding, bytes) else padding
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"Attr 'padding' of 'ExtractVolumePatches' Op passed string "
                         f"'{padding}' not in: \"SAME\", \"VALID\".")
    return _extract_volume_patches.apply([input], name=name or "ExtractVolumePatches",
                                         ksizes=ksizes, strides=strides, padding=padding)
