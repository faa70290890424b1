"""max_pool_with_argmax (MaxPoolWithArgmax): a 2-D max pooling that also returns where each
maximum came from, as TF's flattened index `(y * width + x) * channels + c` (plus
`b * height * width * channels` when `include_batch_in_index`). Its gradient,
MaxPoolGradWithArgmax, scatters the output gradient to those indices; TF defines no gradient
for it, so a second derivative raises LookupError as TF's does.

The windows come from pool_ops' channels-last im2col. TF's CPU kernel scans each window in
row-major order, takes its first real (unpadded) element, then any strictly greater one: so
ties go to the first position, and a NaN wins only when it comes first.
"""
import collections

import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.registry import register_op
from minitf.ops._shared import fmt, no_gradient
from minitf.ops.pool_ops import _lowest, _window, _windows

__all__ = ["max_pool_with_argmax"]

MaxPoolWithArgmax = collections.namedtuple("MaxPoolWithArgmax", ["output", "argmax"])

_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.uint8, dtypes.int16, dtypes.int8,
          dtypes.int64, dtypes.bfloat16, dtypes.uint16, dtypes.float16, dtypes.uint32,
          dtypes.uint64)
_ARGMAX_TYPES = (dtypes.int32, dtypes.int64)
_OP = "MaxPoolWithArgmax"


# -- rules -----------------------------------------------------------------------------------------
def _allowed(dtype, types, param):
    if dtype not in types:
        raise TypeError(f"Value passed to parameter '{param}' has DataType {dtype.name} not in "
                        f"list of allowed values: {', '.join(t.name for t in types)}")
    return dtype


def _check_window(ksize, strides):
    for what, values in (("ksize", ksize), ("strides", strides)):
        if len(values) != 4:
            raise ValueError(f"MaxPool requires the {what} attribute to contain 4 values, but "
                             f"got: {len(values)} for '{_OP}'")
    for k, s in zip(ksize, strides):
        if k <= 0:
            raise ValueError(f"ksize must be a positive int32 value, got:{k} for '{_OP}'")
        if s <= 0:
            raise ValueError(f"Stride must be > 0, but got {s} for '{_OP}'")


def _argmax_shapes(input, **attrs):
    _check_window(attrs["ksize"], attrs["strides"])
    shape = (None,) * 4 if input._shape is None else tuple(input._shape)
    if len(shape) != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {len(shape)} for '{_OP}' with input "
                         f"shapes: {fmt(shape)}.")
    try:
        geometry = _window(shape, _nhwc(attrs), last=False)[2]
    except ValueError as exc:
        raise ValueError(f"{exc} for '{_OP}' with input shapes: {fmt(shape)}.") from None
    out = (shape[0],) + tuple(o for o, _ in geometry) + (shape[3],)
    return [out, out]


def _argmax_dtypes(input, **attrs):
    return [_allowed(input.dtype.base_dtype, _TYPES, "input"),
            _allowed(attrs["Targmax"], _ARGMAX_TYPES, "Targmax")]


def _nhwc(attrs):
    return dict(ksize=attrs["ksize"], strides=attrs["strides"], padding=attrs["padding"],
                data_format="NHWC")


# -- kernels ---------------------------------------------------------------------------------------
def _check_run(x, ksize, strides):
    # what TF's kernel checks when it runs (the shape rule lets these through)
    if ksize[0] != 1 or strides[0] != 1:
        raise errors.UnimplementedError(None, None, "Pooling is not yet supported on the batch "
                                        "dimension.")
    if ksize[3] != 1 and (ksize[1] != 1 or ksize[2] != 1):
        raise errors.UnimplementedError(None, None, "MaxPooling supports exactly one of pooling "
                                        "across depth or pooling across width/height.")
    if x.ndim != 4:
        raise errors.InvalidArgumentError(None, None, "tensor_in must be 4-dimensional (2)")
    if x.size == 0:
        raise errors.InvalidArgumentError(None, None, "tensor_in must not be empty (2)")


def _select(x, attrs):
    """(each window's chosen value, its flattened index (y * W + x) * C + c), both (N, oh, ow, C).

    Padded positions never win; a window's first real element wins if it is NaN, else its first
    greatest non-NaN element (TF's scan: the first element, then any strictly greater one)."""
    ksize, strides, geometry = _window(x.shape, _nhwc(attrs))
    _, h, w, c = x.shape
    cols = _windows(x, ksize, strides, geometry, _lowest(x.dtype))
    real = _windows(np.ones((1, h, w, 1), bool), ksize, strides, geometry, False)
    where = _windows(np.arange(h * w).reshape(1, h, w, 1), ksize, strides, geometry, 0)
    nan = cols != cols
    usable = real & ~nan
    top = np.where(usable, cols, _lowest(x.dtype)).max(axis=-2, keepdims=True)
    best = np.argmax(usable & (cols == top), axis=-2)[..., None, :]
    first = np.broadcast_to(np.argmax(real, axis=-2)[..., None, :], best.shape)
    first_nan = np.take_along_axis(nan, first, axis=-2)
    pick = np.where(first_nan, first, best)
    value = np.take_along_axis(cols, pick, axis=-2)[..., 0, :]
    pos = np.take_along_axis(np.broadcast_to(where, cols.shape), pick, axis=-2)[..., 0, :]
    return value, pos * c + np.arange(c)


@register_op(_OP, shape=_argmax_shapes, dtype=_argmax_dtypes, outputs="n")
def _max_pool_with_argmax(input, **attrs):
    x = np.asarray(input)
    _check_run(x, attrs["ksize"], attrs["strides"])
    value, index = _select(x, attrs)
    if attrs["include_batch_in_index"]:
        n = x.shape[0]
        index = index + (np.arange(n) * (x.size // n)).reshape(n, 1, 1, 1)
    return [value.astype(x.dtype), index.astype(attrs["Targmax"].as_numpy_dtype)]


@register_op("MaxPoolGradWithArgmax", shape=lambda input, grad, argmax, **a: input._shape,
             dtype=lambda input, grad, argmax, **a: _allowed(input.dtype.base_dtype, _TYPES,
                                                             "input"))
def _max_pool_grad_with_argmax(input, grad, argmax, **attrs):
    # each output's gradient goes to the input element its argmax names
    n = input.shape[0]
    index = argmax.astype(np.int64)
    if not attrs["include_batch_in_index"] and n:
        index = index + (np.arange(n) * (input.size // n)).reshape((n,) + (1,) * (index.ndim - 1))
    out = np.zeros(input.size, input.dtype)
    np.add.at(out, index.ravel(), grad.ravel().astype(input.dtype))
    return out.reshape(input.shape)


def _attrs_of(op, names=("ksize", "strides", "padding", "include_batch_in_index")):
    return {k: op.get_attr(k) for k in names}


@_max_pool_with_argmax.gradient
def _max_pool_with_argmax_grad(op, grad, unused_argmax_grad):
    return [_max_pool_grad_with_argmax.apply([op.inputs[0], grad, op.outputs[1]],
                                             **_attrs_of(op), Targmax=op.get_attr("Targmax"))]


no_gradient(_max_pool_grad_with_argmax)


# -- the public function ---------------------------------------------------------------------------
def _int_list(value, what):
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"Expected list for '{what}' argument to 'max_pool_with_argmax' Op, not "
                        f"{value}.")
    if len(value) < 4:
        raise ValueError(f"Attr '{what}' of '{_OP}' Op passed list of length {len(value)} less "
                         "than minimum 4.")
    return [int(v) for v in value]


def _argmax_dtype(Targmax, output_dtype):
    if Targmax is not None and output_dtype is not None:
        raise ValueError("Cannot specify both 'Targmax' and 'output_dtype'.")
    dtype = Targmax if Targmax is not None else output_dtype
    return dtypes.int64 if dtype is None else dtypes.as_dtype(dtype)


def max_pool_with_argmax(input, ksize, strides, padding, data_format="NHWC", Targmax=None,
                         name=None, output_dtype=None, include_batch_in_index=False):
    """Performs max pooling on `input` and returns both the maxima and their indices.

    A maximum at `[b, y, x, c]` has the flattened index `(y * width + x) * channels + c`, or
    `((b * height + y) * width + x) * channels + c` if `include_batch_in_index`. Equal values
    in a window give the first one's index (in row-major order); padding is never chosen.

    >>> import minitf as tf
    >>> x = tf.constant([[[[1.0], [4.0]], [[3.0], [2.0]]]])
    >>> with tf.Session() as sess:
    ...     sess.run(tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID").argmax)
    array([[[[1]]]])

    Args:
      input: a 4-D Tensor [batch, height, width, channels] of a real dtype.
      ksize: a list of 4 ints, the window size per dimension (batch and channels 1).
      strides: a list of 4 ints, the window step per dimension (batch 1).
      padding: "SAME" or "VALID".
      data_format: must be "NHWC".
      Targmax: the argmax dtype, tf.int32 or tf.int64 (default).
      name: a name for the operation (default "MaxPoolWithArgmax").
      output_dtype: another name for `Targmax` (give one of them).
      include_batch_in_index: whether the flattened indices count the batch dimension too.

    Returns:
      The namedtuple (output, argmax): the maxima (input's dtype) and their flattened indices.

    Raises:
      ValueError: `data_format`, `padding`, `ksize`, `strides` or the input's rank is invalid,
        or both `Targmax` and `output_dtype` are given.
      TypeError: `ksize` or `strides` is not a list, or a dtype is not supported.
    """
    if data_format != "NHWC":
        raise ValueError("`data_format` values other  than 'NHWC' are not supported. Received: "
                         f"data_format={data_format}")
    Targmax = _argmax_dtype(Targmax, output_dtype)
    ksize, strides = _int_list(ksize, "ksize"), _int_list(strides, "strides")
    if isinstance(padding, bytes):
        padding = padding.decode()
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"Attr 'padding' of '{_OP}' Op passed string '{padding}' not in: "
                         '"SAME", "VALID".')
    output, argmax = _max_pool_with_argmax.apply(
        [input], name=name or _OP, ksize=ksize, strides=strides, padding=padding,
        Targmax=Targmax, include_batch_in_index=bool(include_batch_in_index))
    return MaxPoolWithArgmax(output, argmax)
