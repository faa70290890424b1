"""Quantized neural-network ops of tf.nn: quantized_avg_pool (QuantizedAvgPool),
quantized_max_pool (QuantizedMaxPool), quantized_conv2d (QuantizedConv2D) and quantized_relu_x
(QuantizedReluX).

Each takes the integer codes of a quantized tensor with the float32 range `[min, max]` they
stand for, and returns codes with their range. The kernels repeat TF's CPU kernels step by step
in integers (so codes are TF's exactly): pooling works on the codes and keeps the range; the
convolution sums `(input - input_zero) * (filter - filter_zero)` in int32, the zeros being the
codes of 0.0. None has a gradient, as in TF.
"""
import collections

import numpy as np

from minitf.framework import dtypes as _dtypes, errors
from minitf.framework.registry import register_op
from minitf.ops._shared import no_gradient
from minitf.ops.conv_ops import _out_and_pads
from minitf.ops.pool_ops import _counts, _pool_shape, _windows
from minitf.ops.quantize_ops import _QUANTIZED, _rank_error, _with_rank

__all__ = ["quantized_avg_pool", "quantized_max_pool", "quantized_conv2d", "quantized_relu_x"]

QuantizedAvgPool = collections.namedtuple("QuantizedAvgPool",
                                          ["output", "min_output", "max_output"])
QuantizedMaxPool = collections.namedtuple("QuantizedMaxPool",
                                          ["output", "min_output", "max_output"])
QuantizedConv2D = collections.namedtuple("QuantizedConv2D",
                                         ["output", "min_output", "max_output"])
QuantizedReluX = collections.namedtuple("QuantizedReluX",
                                        ["activations", "min_activations", "max_activations"])
_F32 = np.float32
_QUANTIZED_OF = {t.as_numpy_dtype: t for t in _QUANTIZED}


# -- TF's quantization arithmetic (quantization_utils.h) -------------------------------------------
def _round_away(x):
    return float(np.copysign(np.floor(abs(x) + 0.5), x))


def _float_to_quantized_unclamped(value, low, high, storage):
    """The code of the float `value` in [low, high], unclamped (in double, as TF's)."""
    lowest = int(np.iinfo(storage).min)
    if _F32(low) == _F32(high):
        return lowest
    steps = 2.0 ** (8 * np.dtype(storage).itemsize)
    span = float(_F32(high) - _F32(low))  # a float32 difference, then widened
    scale = steps / (span * (steps / (steps - 1.0)))
    return int(_round_away(float(_F32(value)) * scale) - _round_away(float(_F32(low)) * scale)) \
        + lowest


def _float_to_quantized(value, low, high, storage):
    info = np.iinfo(storage)
    return min(max(_float_to_quantized_unclamped(value, low, high, storage), info.min), info.max)


def _level(low, high, storage):
    """The float a step of one code stands for, in float32."""
    info = np.iinfo(storage)
    return _F32(_F32(high) - _F32(low)) / _F32(int(info.max) - int(info.min))


def _no_kernel(op_type, attrs):
    text = ", ".join(f"{k}={v}" for k, v in attrs.items())
    return errors.InvalidArgumentError(
        None, None, f"No OpKernel was registered to support Op '{op_type}' with these attrs: "
        f"[{text}]")


def _check_types(op_type, param, dtype, allowed=_QUANTIZED):
    dtype = _dtypes.as_dtype(dtype).base_dtype
    if dtype not in allowed:
        names = ", ".join(t.name for t in allowed)
        raise TypeError(f"Value passed to parameter '{param}' has DataType {dtype.name} not in "
                        f"list of allowed values: {names}")
    return dtype


def _scalar_ranges(op_type, inputs, first):
    for t in inputs[first:]:
        _with_rank(t, 0, op_type, inputs)


# -- pooling ---------------------------------------------------------------------------------------
def _quantized_pool_shape(op_type):
    def rule(input, min_input, max_input, **attrs):
        inputs = (input, min_input, max_input)
        _with_rank(input, 4, op_type, inputs)
        _scalar_ranges(op_type, inputs, 1)
        return [_pool_shape(op_type, input._shape, dict(attrs, data_format="NHWC")), (), ()]
    return rule


def _pool_dtype(input, min_input, max_input, **attrs):
    return [input.dtype.base_dtype, _dtypes.float32, _dtypes.float32]


def _pool_geometry(op_type, x, attrs):
    ksize, strides = attrs["ksize"], attrs["strides"]
    if ksize[0] != 1 or strides[0] != 1:
        raise errors.UnimplementedError(None, None,
                                        "Pooling is not yet supported on the batch dimension.")
    if ksize[3] != 1 or strides[3] != 1:
        raise errors.UnimplementedError(None, None, "Non-spatial pooling is not yet supported.")
    if x.dtype not in (np.uint8, np.int8):  # TF's CPU kernels: quint8 and qint8
        raise _no_kernel(op_type, dict(T=attrs["T"], ksize=ksize, strides=strides))
    geometry = [_out_and_pads(n, k, s, 1, attrs["padding"], None)
                for n, k, s in zip(x.shape[1:3], ksize[1:3], strides[1:3])]
    return tuple(ksize[1:3]), tuple(strides[1:3]), geometry


@register_op("QuantizedAvgPool", shape=_quantized_pool_shape("QuantizedAvgPool"),
             dtype=_pool_dtype, outputs="n")
def _quantized_avg_pool(input, min_input, max_input, **attrs):
    ksize, strides, geometry = _pool_geometry("QuantizedAvgPool", input, attrs)
    # TF's (oneDNN) kernel: the mean over the real (unpadded) codes, rounded half to even
    total = _windows(input.astype(np.int64), ksize, strides, geometry, 0).sum(axis=-2)
    mean = np.rint(total / _counts(input.shape, ksize, strides, geometry))
    info = np.iinfo(input.dtype)
    return [np.clip(mean, info.min, info.max).astype(input.dtype), _F32(min_input),
            _F32(max_input)]


@register_op("QuantizedMaxPool", shape=_quantized_pool_shape("QuantizedMaxPool"),
             dtype=_pool_dtype, outputs="n")
def _quantized_max_pool(input, min_input, max_input, **attrs):
    ksize, strides, geometry = _pool_geometry("QuantizedMaxPool", input, attrs)
    lowest = np.iinfo(input.dtype).min
    out = _windows(input, ksize, strides, geometry, lowest).max(axis=-2)
    return [out, _F32(min_input), _F32(max_input)]


no_gradient(_quantized_avg_pool, _quantized_max_pool)


def _pool_attrs(op_type, input, ksize, strides, padding):
    if isinstance(padding, bytes):
        padding = padding.decode()
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"Attr 'padding' of '{op_type}' Op passed string '{padding}' not in: "
                         '"SAME", "VALID".')
    ksize, strides = [int(k) for k in ksize], [int(s) for s in strides]
    for name, value in (("ksize", ksize), ("strides", strides)):
        if len(value) != 4:
            raise ValueError(f"MaxPool requires the {name} attribute to contain 4 values, but "
                             f"got: {len(value)}")
    dtype = getattr(input, "dtype", None)
    _check_types(op_type, "input", dtype if dtype is not None else _dtypes.float32)
    return dict(ksize=ksize, strides=strides, padding=padding, T=dtype.base_dtype.name)


def quantized_avg_pool(input, min_input, max_input, ksize, strides, padding, name=None):
    """Average-pools the codes of a quantized NHWC `input`; the range is kept.

    Each output is the mean of its window's codes (the real ones, not the padding), rounded
    half to even as TF's CPU kernel (oneDNN's) does.

    >>> x = tf.constant(np.array([[[[0], [10]], [[7], [200]]]], np.uint8), tf.quint8)
    >>> pooled = tf.nn.quantized_avg_pool(x, -1.0, 2.0, [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    >>> with tf.Session() as sess:
    ...     print(sess.run(pooled.output).ravel())
    [54]

    Args:
      input: a 4-D Tensor `[batch, height, width, depth]` of a quantized type (TF's CPU kernels:
        quint8, qint8).
      min_input, max_input: float32 scalars, the range the codes stand for.
      ksize: 4 ints, the window size per dimension (1 for batch and depth).
      strides: 4 ints, the window step per dimension (1 for batch and depth).
      padding: "SAME" or "VALID".
      name: a name for the operation (default "QuantizedAvgPool").

    Returns:
      The tuple (output, min_output, max_output): pooled codes of `input`'s type, and the
      input's range.

    Raises:
      TypeError: `input` is not of a quantized type.
      ValueError: `padding`, `ksize` or `strides` is invalid, or the shapes do not fit.
      minitf.errors.UnimplementedError: at run time, pooling over batch or depth.
    """
    attrs = _pool_attrs("QuantizedAvgPool", input, ksize, strides, padding)
    return QuantizedAvgPool(*_quantized_avg_pool.apply(
        [input, _float(min_input), _float(max_input)], name=name or "QuantizedAvgPool",
        **attrs))


def quantized_max_pool(input, min_input, max_input, ksize, strides, padding, name=None):
    """Max-pools the codes of a quantized NHWC `input`; the range is kept.

    >>> x = tf.constant(np.array([[[[0], [10]], [[7], [200]]]], np.uint8), tf.quint8)
    >>> pooled = tf.nn.quantized_max_pool(x, -1.0, 2.0, [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    >>> with tf.Session() as sess:
    ...     print(sess.run(pooled.output).ravel())
    [200]

    Args:
      input: a 4-D Tensor `[batch, height, width, depth]` of a quantized type (TF's CPU kernels:
        quint8, qint8).
      min_input, max_input: float32 scalars, the range the codes stand for.
      ksize: 4 ints, the window size per dimension (1 for batch and depth).
      strides: 4 ints, the window step per dimension (1 for batch and depth).
      padding: "SAME" or "VALID".
      name: a name for the operation (default "QuantizedMaxPool").

    Returns:
      The tuple (output, min_output, max_output): pooled codes of `input`'s type, and the
      input's range.

    Raises:
      TypeError: `input` is not of a quantized type.
      ValueError: `padding`, `ksize` or `strides` is invalid, or the shapes do not fit.
      minitf.errors.UnimplementedError: at run time, pooling over batch or depth.
    """
    attrs = _pool_attrs("QuantizedMaxPool", input, ksize, strides, padding)
    return QuantizedMaxPool(*_quantized_max_pool.apply(
        [input, _float(min_input), _float(max_input)], name=name or "QuantizedMaxPool",
        **attrs))


def _float(value):
    """A Python number as a float32 constant (TF's wrappers convert ints too)."""
    return _F32(value) if isinstance(value, (int, float)) else value


# -- convolution -----------------------------------------------------------------------------------
def _conv_shape(input, filter, min_input, max_input, min_filter, max_filter, **attrs):
    inputs = (input, filter, min_input, max_input, min_filter, max_filter)
    x = _with_rank(input, 4, "QuantizedConv2D", inputs)
    f = _with_rank(filter, 4, "QuantizedConv2D", inputs)
    _scalar_ranges("QuantizedConv2D", inputs, 2)
    x, f = x or (None,) * 4, f or (None,) * 4
    if None not in (x[3], f[2]) and x[3] % f[2]:
        raise _rank_error("QuantizedConv2D", inputs, f"Depth of input ({x[3]}) is not a multiple "
                          f"of input depth of filter ({f[2]})")
    strides, dilations = attrs["strides"], attrs["dilations"]
    spatial = [_out_and_pads(n, k, s, d, attrs["padding"], None)[0]
               for n, k, s, d in zip(x[1:3], f[:2], strides[1:3], dilations[1:3])]
    return [(x[0], *spatial, f[3]), (), ()]


def _conv_dtype(input, filter, *ranges, out_type, **attrs):
    return [out_type, _dtypes.float32, _dtypes.float32]


def _conv_checks(input, filter, attrs):
    strides, dilations = attrs["strides"], attrs["dilations"]
    if strides[1] != strides[2]:
        raise errors.InvalidArgumentError(None, None, "Current implementation only supports "
                                          "equal length strides in the row and column "
                                          "dimensions.")
    if strides[0] != 1 or strides[3] != 1:
        raise errors.InvalidArgumentError(None, None, "Current implementation does not yet "
                                          "support strides in the batch and depth dimensions.")
    if dilations[1] != 1 or dilations[2] != 1:
        raise errors.InvalidArgumentError(None, None, "Current implementation only supports "
                                          "dilated rate as 1 in the row and column dimensions.")
    if (input.dtype, filter.dtype, attrs["out_type"]) != (np.uint8, np.uint8, _dtypes.qint32):
        raise _no_kernel("QuantizedConv2D", dict(Tinput=attrs["Tinput"],
                                                 Tfilter=attrs["Tfilter"],
                                                 out_type=attrs["out_type"].name))
    if input.shape[3] != filter.shape[2]:
        raise errors.InvalidArgumentError(None, None, "input and filter must have the same "
                                          f"depth: {input.shape[3]} vs {filter.shape[2]}")


def _taps(size, k, stride, padding):
    """(out, k) input indices each output reads along one axis. TF's kernel centres the
    windows with a C division (truncating), so a strided window may start past 0."""
    out = _out_and_pads(size, k, stride, 1, padding, None)[0]
    excess = (out - 1) * stride + k - size + (padding == "VALID")
    start = np.arange(out) * stride - int(excess / 2)
    return start[:, None] + np.arange(k)


@register_op("QuantizedConv2D", shape=_conv_shape, dtype=_conv_dtype, outputs="n")
def _quantized_conv2d(input, filter, min_input, max_input, min_filter, max_filter, **attrs):
    _conv_checks(input, filter, attrs)
    x_zero = _float_to_quantized_unclamped(0.0, min_input, max_input, input.dtype)
    f_zero = _float_to_quantized_unclamped(0.0, min_filter, max_filter, filter.dtype)
    # outside the image TF reads the code of 0.0 (cast to 8 bits when it is out of range; a
    # negative one takes the reference path, which reads 0.0 itself)
    pad = x_zero if x_zero < 0 else x_zero & 0xFF
    stride, padding = attrs["strides"][1], attrs["padding"]
    rows = _taps(input.shape[1], filter.shape[0], stride, padding)
    cols = _taps(input.shape[2], filter.shape[1], stride, padding)
    x = input.astype(np.int64) - x_zero
    inside = ((rows >= 0) & (rows < input.shape[1]))[:, :, None, None, None] & \
        ((cols >= 0) & (cols < input.shape[2]))[None, None, :, :, None]
    r, c = np.clip(rows, 0, input.shape[1] - 1), np.clip(cols, 0, input.shape[2] - 1)
    patches = x[:, r[:, :, None, None], c[None, None]]  # (N, out_h, k_h, out_w, k_w, C)
    patches = np.where(inside, patches, pad - x_zero).transpose(0, 1, 3, 2, 4, 5)
    total = np.tensordot(patches, filter.astype(np.int64) - f_zero, axes=3)
    level = _level(min_input, max_input, input.dtype) * _level(min_filter, max_filter,
                                                                filter.dtype)
    return [total.astype(np.int32), _F32(level * _F32(-2**31)), _F32(level * _F32(2**31 - 1))]


no_gradient(_quantized_conv2d)


def quantized_conv2d(input, filter, min_input, max_input, min_filter, max_filter, strides,
                     padding, out_type=_dtypes.qint32, dilations=(1, 1, 1, 1), name=None):
    """A 2-D convolution of quantized codes, NHWC, summed exactly in 32-bit integers.

    Each product is `(input code - code of 0.0) * (filter code - code of 0.0)`; the output's
    range is one input step times one filter step, times qint32's lowest and highest codes.

    >>> x = tf.constant(np.array([[[[10], [20]], [[30], [40]]]], np.uint8), tf.quint8)
    >>> f = tf.constant(np.array([[[[1]], [[2]]]], np.uint8), tf.quint8)
    >>> conv = tf.nn.quantized_conv2d(x, f, 0.0, 1.0, 0.0, 1.0, [1, 1, 1, 1], "VALID")
    >>> with tf.Session() as sess:
    ...     print(sess.run(conv.output).ravel())
    [ 50 110]

    Args:
      input: a 4-D quantized Tensor `[batch, height, width, depth]` (TF's kernel: quint8).
      filter: a 4-D quantized Tensor `[height, width, depth, out_depth]` (quint8).
      min_input, max_input: float32 scalars, the range of `input`'s codes.
      min_filter, max_filter: float32 scalars, the range of `filter`'s codes.
      strides: 4 ints, equal for height and width, 1 for batch and depth.
      padding: "SAME" or "VALID".
      out_type: the output's quantized type (TF's kernel: qint32).
      dilations: 4 ints, all 1 (TF's kernel).
      name: a name for the operation (default "QuantizedConv2D").

    Returns:
      The tuple (output, min_output, max_output).

    Raises:
      TypeError: a Tensor or `out_type` is not of a quantized type.
      ValueError: `padding`, `strides` or a shape is invalid.
      minitf.errors.InvalidArgumentError: at run time, unequal or batch/depth strides,
        dilations, differing depths, or types without a TF kernel.
    """
    tinput = _check_types("QuantizedConv2D", "input", input.dtype)
    tfilter = _check_types("QuantizedConv2D", "filter", filter.dtype)
    out_type = _check_types("QuantizedConv2D", "out_type", out_type)
    if isinstance(padding, bytes):
        padding = padding.decode()
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"Attr 'padding' of 'QuantizedConv2D' Op passed string '{padding}' "
                         'not in: "SAME", "VALID".')
    strides, dilations = [int(s) for s in strides], [int(d) for d in dilations]
    for attr, value in (("stride", strides), ("dilation", dilations)):
        if len(value) != 4:
            raise ValueError(f"Conv2D on data format NHWC requires the {attr} attribute to "
                             f"contain 4 values, but got: {len(value)}")
    ranges = [_float(v) for v in (min_input, max_input, min_filter, max_filter)]
    return QuantizedConv2D(*_quantized_conv2d.apply(
        [input, filter] + ranges, name=name or "QuantizedConv2D", strides=strides,
        padding=padding, dilations=dilations, out_type=out_type, Tinput=tinput.name,
        Tfilter=tfilter.name))


# -- activation ------------------------------------------------------------------------------------
def _relu_x_shape(features, max_value, min_features, max_features, **attrs):
    inputs = (features, max_value, min_features, max_features)
    _scalar_ranges("QuantizedReluX", inputs, 1)
    return [features._shape, (), ()]


@register_op("QuantizedReluX", shape=_relu_x_shape, outputs="n",
             dtype=lambda features, *ranges, out_type: [out_type, _dtypes.float32,
                                                        _dtypes.float32])
def _quantized_relu_x(features, max_value, min_features, max_features, *, out_type):
    # TF's kernel: the codes clamped between those of 0.0 and max_value, the range kept
    if features.dtype not in (np.uint8, np.int32) or out_type.as_numpy_dtype != features.dtype:
        raise _no_kernel("QuantizedReluX", dict(Tinput=_QUANTIZED_OF[features.dtype.type].name,
                                                out_type=out_type.name))
    low = _float_to_quantized(0.0, min_features, max_features, features.dtype)
    high = _float_to_quantized(max_value, min_features, max_features, features.dtype)
    out = np.minimum(np.maximum(features, low), high).astype(out_type.as_numpy_dtype)
    return [out, _F32(min_features), _F32(max_features)]


no_gradient(_quantized_relu_x)


def quantized_relu_x(features, max_value, min_features, max_features, out_type=_dtypes.quint8,
                     name=None):
    """Clamps quantized codes to those of [0.0, max_value] in their range (a quantized ReLU-X).

    TF 2.21's own build registers no CPU kernel for this op (running it there fails); minitf
    runs TF's kernel source (quantized_activation_ops.cc), as QuantizedRelu6 does for 6.0.

    >>> x = tf.constant(np.array([0, 50, 100, 255], np.uint8), tf.quint8)
    >>> relu = tf.nn.quantized_relu_x(x, 1.0, -1.0, 2.0)
    >>> with tf.Session() as sess:
    ...     print(sess.run(relu.activations))
    [ 85  85 100 170]

    Args:
      features: a Tensor of a quantized type.
      max_value: a float32 scalar, the largest float kept.
      min_features, max_features: float32 scalars, the range of the codes.
      out_type: the output's quantized type (default quint8); TF's kernel source has only
        quint8 to quint8 and qint32 to qint32.
      name: a name for the operation (default "QuantizedReluX").

    Returns:
      The tuple (activations, min_activations, max_activations): the clamped codes and the
      input's range.

    Raises:
      TypeError: `features` or `out_type` is not of a quantized type.
      ValueError: a range is not a scalar.
    """
    _check_types("QuantizedReluX", "features", getattr(features, "dtype", _dtypes.float32))
    out_type = _check_types("QuantizedReluX", "out_type", out_type)
    ranges = [_float(v) for v in (max_value, min_features, max_features)]
    return QuantizedReluX(*_quantized_relu_x.apply(
        [features] + ranges, name=name or "QuantizedReluX", out_type=out_type))
