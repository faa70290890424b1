"""`tf.nn` normalizations: batch_normalization, weighted_moments (compositions, as TF's), and the
LRN and FusedBatchNormV3 ops.

The gradients of LRN and FusedBatchNormV3 are compositions of other ops (TF has LRNGrad and
FusedBatchNormGradV3 kernels; the values are the same), so their second derivatives exist too.
"""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant, convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops import manip_ops, math_ops
from minitf.ops._shared import fmt, zeros_like
from minitf.ops.array_ops import stop_gradient
from minitf.ops.elementwise_ops import div_no_nan
from minitf.ops.reduction_ops import reduce_mean, reduce_sum
from minitf.ops.scan_ops import cumsum

__all__ = ["batch_normalization", "weighted_moments", "local_response_normalization", "lrn",
           "fused_batch_norm"]

_HALF_FLOATS = (dtypes.float16, dtypes.bfloat16, dtypes.float32) if hasattr(
    dtypes, "bfloat16") else (dtypes.float16, dtypes.float32)


def _input_dtype(x, *rest, param="input", **attrs):
    if x.dtype.base_dtype not in _HALF_FLOATS:
        raise TypeError(f"Value passed to parameter '{param}' has DataType {x.dtype.name} not in "
                        f"list of allowed values: {', '.join(t.name for t in _HALF_FLOATS)}")
    return x.dtype.base_dtype


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """Normalizes `x` by `mean` and `variance`, then scales by `scale` and shifts by `offset`.

    scale * (x - mean) / sqrt(variance + variance_epsilon) + offset, composed as TF does:
    x * inv + (offset - mean * inv) with inv = scale * rsqrt(variance + variance_epsilon).

    Args:
      x: a float Tensor of any shape.
      mean, variance: Tensors broadcastable to `x` (the moments, say).
      offset: a Tensor broadcastable to `x` (beta), or None.
      scale: a Tensor broadcastable to `x` (gamma), or None.
      variance_epsilon: a small float added to `variance` so as not to divide by zero.
      name: a name for the operation (default "batchnorm").

    Returns:
      The normalized Tensor, of `x`'s dtype and the broadcast shape.
    """
    with name_scope(name, "batchnorm", [x, mean, variance, scale, offset]):
        x = convert_to_tensor(x, name="x")
        inv = math_ops.rsqrt(variance + variance_epsilon)
        if scale is not None:
            inv *= scale
        shift = offset - mean * inv if offset is not None else -mean * inv
        dtype = x.dtype.base_dtype
        return x * math_ops.cast(inv, dtype) + math_ops.cast(shift, dtype)


def weighted_moments(x, axes, frequency_weights, name=None, keep_dims=None, keepdims=None):
    """Computes the frequency-weighted mean and variance of `x` over `axes`.

    Args:
      x: a float Tensor.
      axes: the dimensions to reduce.
      frequency_weights: a Tensor broadcastable to `x`: each element's weight.
      name: a name for the operation (default "weighted_moments").
      keep_dims: keep the reduced dimensions with size 1 (default False).
      keepdims: the new name for `keep_dims`.

    Returns:
      (mean, variance): Tensors of `x`'s dtype; 0 where the weights sum to 0.
    """
    keep = bool(keepdims if keepdims is not None else keep_dims)
    with name_scope(name, "weighted_moments", [x, frequency_weights, axes]):
        x = convert_to_tensor(x, name="x")
        weights = convert_to_tensor(frequency_weights, dtype=x.dtype.base_dtype,
                                    name="frequency_weights")
        weighted_sum = reduce_sum(weights * x, axes, keepdims=True)
        total = reduce_sum(weights + zeros_like(x), axes, keepdims=True)
        mean = div_no_nan(weighted_sum, total)
        distsq = reduce_sum(weights * math_ops.squared_difference(x, stop_gradient(mean)), axes,
                            keepdims=True)
        variance = div_no_nan(distsq, total)
        if not keep:
            mean = manip_ops.squeeze(mean, axis=axes)
            variance = manip_ops.squeeze(variance, axis=axes)
        return mean, variance


# -- LRN -------------------------------------------------------------------------------------------
def _lrn_shape(x, **attrs):
    if x._shape is not None and len(x._shape) != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {len(x._shape)} for 'LRN' with "
                         f"input shapes: {fmt(x._shape)}.")
    return x._shape


def _window_sum_np(t, r):
    """Sums over the channel window [c - r, c + r] (clipped) of the last dimension."""
    c = np.cumsum(np.pad(t, [(0, 0)] * (t.ndim - 1) + [(r + 1, r)]), axis=-1)
    return c[..., 2 * r + 1:] - c[..., :-(2 * r + 1)]


@register_op("LRN", shape=_lrn_shape, dtype=_input_dtype)
def _lrn(x, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):
    norm = bias + alpha * _window_sum_np(np.square(x, dtype=np.float64), depth_radius)
    return (x * norm ** -beta).astype(x.dtype)


def _window_sum(t, r):
    rank = len(t._shape)
    c = cumsum(manip_ops.pad(t, [[0, 0]] * (rank - 1) + [[r + 1, r]]), axis=-1)
    return c[..., 2 * r + 1:] - c[..., :-(2 * r + 1)]


@_lrn.gradient
def _lrn_grad(op, grad):
    x = op.inputs[0]
    r, alpha, beta = (op.get_attr(k) for k in ("depth_radius", "alpha", "beta"))
    norm = op.get_attr("bias") + alpha * _window_sum(math_ops.square(x), r)
    # d/dx_j of x_c * norm_c^-beta over the channels c whose window holds j
    inner = _window_sum(grad * x * norm ** (-beta - 1), r)
    return [grad * norm ** -beta - (2 * alpha * beta) * x * inner]


def local_response_normalization(input, depth_radius=5, bias=1, alpha=1, beta=0.5, name=None):
    """Local response normalization over the last dimension (the channels) of a 4-D `input`.

    input / (bias + alpha * sqr_sum) ** beta, where sqr_sum is the sum of the squares of
    `input` over the channels within `depth_radius` of each channel.

    Args:
      input: a 4-D Tensor of float16, bfloat16 or float32.
      depth_radius: the half-width of the channel window (default 5).
      bias: the offset (default 1).
      alpha: the scale of the squares' sum (default 1).
      beta: the exponent (default 0.5).
      name: a name for the operation (default "LRN").

    Returns:
      A Tensor of `input`'s shape and dtype.

    Raises:
      TypeError: `input` is of another dtype.
      ValueError: `input` is not 4-D.
    """
    return _lrn.apply([convert_to_tensor(input)], name=name or "LRN",
                      depth_radius=int(depth_radius), bias=float(bias), alpha=float(alpha),
                      beta=float(beta))


lrn = local_response_normalization


# -- FusedBatchNormV3 ------------------------------------------------------------------------------
_FORMATS = {"NHWC": (4, -1), "NCHW": (4, 1), "NDHWC": (5, -1), "NCDHW": (5, 1)}


def _fbn_shape(x, scale, offset, mean, variance, data_format="NHWC", **attrs):
    rank, channel = _FORMATS[data_format]
    c = None
    if x._shape is not None:
        if len(x._shape) != rank:
            raise ValueError(f"Shape must be rank {rank} but is rank {len(x._shape)} for "
                             f"'FusedBatchNormV3' with input shapes: {fmt(x._shape)}.")
        c = x._shape[channel]
    for t in (scale, offset):
        if t._shape is not None and len(t._shape) == 1:
            if c is not None and t._shape[0] is not None and t._shape[0] != c:
                raise ValueError(f"Dimensions must be equal, but are {c} and {t._shape[0]} for "
                                 f"'FusedBatchNormV3' with input shapes: {fmt(x._shape)}, "
                                 f"{fmt(t._shape)}.")
            c = t._shape[0] if c is None else c
    return [x._shape, (c,), (c,), (c,), (c,), (0,)]


def _fbn_dtype(x, scale, *rest, **attrs):
    _input_dtype(x, param="x")
    return [x.dtype.base_dtype] + [scale.dtype.base_dtype] * 5


def _axes(ndim, data_format):
    channel = _FORMATS[data_format][1] % ndim
    return tuple(a for a in range(ndim) if a != channel)


def _per_channel_shape(ndim, data_format):
    """The shape that broadcasts a per-channel vector against x."""
    return (-1,) + (1,) * (ndim - 2) if _FORMATS[data_format][1] == 1 else (-1,)


@register_op("FusedBatchNormV3", outputs="n", shape=_fbn_shape, dtype=_fbn_dtype)
def _fused_batch_norm(x, scale, offset, mean, variance, epsilon=1e-4,
                      exponential_avg_factor=1.0, data_format="NHWC", is_training=True):
    axes, bshape = _axes(x.ndim, data_format), _per_channel_shape(x.ndim, data_format)
    xf = x.astype(scale.dtype)  # (float32: TF computes in the statistics' type U)
    if is_training:
        batch_mean = xf.mean(axis=axes)
        batch_var = np.square(xf - batch_mean.reshape(bshape)).mean(axis=axes)
        n = xf.size // max(batch_mean.size, 1)
        # the variance output is the unbiased (Bessel-corrected) one, as TF's
        unbiased = batch_var * (n / max(n - 1, 1))
        f = exponential_avg_factor
        out_mean = batch_mean if f == 1 else (1 - f) * mean + f * batch_mean
        out_var = unbiased if f == 1 else (1 - f) * variance + f * unbiased
    else:
        batch_mean, batch_var, out_mean, out_var = mean, variance, mean, variance
    inv = (scale / np.sqrt(batch_var + epsilon)).reshape(bshape)
    y = (xf - batch_mean.reshape(bshape)) * inv + offset.reshape(bshape)
    vec = scale.dtype
    return [y.astype(x.dtype), out_mean.astype(vec), out_var.astype(vec),
            batch_mean.astype(vec), batch_var.astype(vec), np.zeros(0, vec)]


@_fused_batch_norm.gradient
def _fused_batch_norm_grad(op, grad, *unused):
    x, scale, _, mean, variance = op.inputs
    fmt_, eps = op.get_attr("data_format"), op.get_attr("epsilon")
    rank = len(x._shape)
    axes, bshape = list(_axes(rank, fmt_)), list(_per_channel_shape(rank, fmt_))
    u = scale.dtype.base_dtype
    xf, g = math_ops.cast(x, u), math_ops.cast(grad, u)
    if op.get_attr("is_training"):
        centered = xf - reduce_mean(xf, axes, keepdims=True)
        inv = math_ops.rsqrt(reduce_mean(math_ops.square(centered), axes, keepdims=True) + eps)
    else:
        centered = xf - manip_ops.reshape(mean, bshape)
        inv = manip_ops.reshape(math_ops.rsqrt(variance + eps), bshape)
    x_hat = centered * inv
    d_scale, d_offset = reduce_sum(g * x_hat, axes), reduce_sum(g, axes)
    if op.get_attr("is_training"):
        # the batch's mean and variance depend on x too
        g = g - reduce_mean(g, axes, keepdims=True) - x_hat * reduce_mean(
            g * x_hat, axes, keepdims=True)
    dx = g * inv * manip_ops.reshape(scale, bshape)
    return [math_ops.cast(dx, x.dtype.base_dtype), d_scale, d_offset, None, None]


def fused_batch_norm(x, scale, offset, mean=None, variance=None, epsilon=0.001,
                     data_format="NHWC", is_training=True, name=None,
                     exponential_avg_factor=1.0):
    """Batch normalization of a 4-D or 5-D `x` over all but its channel dimension, in one op.

    In training, `x` is normalized by its own per-channel mean and (biased) variance; the
    variance returned is the unbiased one (times n / (n - 1)), for moving averages. Otherwise
    `x` is normalized by the given `mean` and `variance`, which are returned as they are.

    Args:
      x: a 4-D (or 5-D for "NDHWC"/"NCDHW") Tensor of float16, bfloat16 or float32.
      scale: a 1-D float32 Tensor of the channels' size (gamma).
      offset: a 1-D float32 Tensor of the channels' size (beta).
      mean, variance: 1-D float32 Tensors: the population statistics for inference (or the
        running ones, with `exponential_avg_factor` != 1); None in training.
      epsilon: a small float added to the variance (at least 1.001e-5).
      data_format: "NHWC" (default), "NCHW", "NDHWC" or "NCDHW".
      is_training: normalize by the batch's statistics (True) or by `mean` and `variance`.
      name: a name for the operation (default "FusedBatchNormV3").
      exponential_avg_factor: in training, the returned statistics are
        (1 - factor) * mean + factor * the batch's (1.0: the batch's alone).

    Returns:
      (y, mean, variance): y of `x`'s shape and dtype, and the per-channel statistics.

    Raises:
      ValueError: `mean` or `variance` is missing where they are needed, `data_format` is
        unknown, or the shapes do not line up.
    """
    if (not is_training or exponential_avg_factor != 1.0) and (mean is None or variance is None):
        raise ValueError("Both `mean` and `variance` must be a 1D tensor when `is_training` is "
                         "False or `exponential_avg_factor` != 1.0. Received: `mean` "
                         f"{mean!r} and `variance` {variance!r}")
    if data_format not in _FORMATS:
        raise ValueError(f"Attr 'data_format' of 'FusedBatchNormV3' Op passed string "
                         f"'{data_format}' not in: \"NHWC\", \"NCHW\", \"NDHWC\", \"NCDHW\".")
    x = convert_to_tensor(x, name="input")
    scale = convert_to_tensor(scale, name="scale")
    offset = convert_to_tensor(offset, name="offset")
    empty = constant([], dtype=scale.dtype.base_dtype)
    mean = empty if mean is None else convert_to_tensor(mean, name="mean")
    variance = empty if variance is None else convert_to_tensor(variance, name="variance")
    outs = _fused_batch_norm.apply(
        [x, scale, offset, mean, variance], name=name or "FusedBatchNormV3",
        epsilon=max(float(epsilon), 1.001e-5), exponential_avg_factor=float(exponential_avg_factor),
        data_format=data_format, is_training=bool(is_training))
    return outs[0], outs[1], outs[2]
