"""Neural-network ops (`tf.nn`): activations, softmax, cross-entropies, l2_loss, bias_add and
dropout.

Softmax and the cross-entropies subtract the row maximum first, so large logits do not overflow.
"""
import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import FILLED_ZEROS, register_op
from minitf.ops import array_ops, manip_ops, math_ops, random_ops
from minitf.ops._shared import fmt, same_shape, shape_of
from minitf.ops.math_ops import _unary, _unary_function, sigmoid, tanh

__all__ = ["relu", "relu6", "elu", "softplus", "softmax", "log_softmax",
           "sparse_softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2",
           "l2_loss", "sigmoid", "tanh"]

_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)
_REALS = _FLOATS + (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8,
                    dtypes.uint16)


def _features_dtype(types):
    def rule(x, **attrs):
        if x.dtype.base_dtype not in types:
            raise TypeError(f"Value passed to parameter 'features' has DataType {x.dtype.name} "
                            f"not in list of allowed values: {', '.join(t.name for t in types)}")
        return x.dtype.base_dtype
    return rule


def _activation(type, kernel, types=_FLOATS):
    """Registers an element-wise activation (TF's `features` dtype check); returns its OpDef."""
    return _unary(type, kernel, types, dtype_rule=_features_dtype)


_relu = _activation("Relu", lambda x: np.maximum(x, 0).astype(x.dtype), _REALS)
_relu6 = _activation("Relu6", lambda x: np.clip(x, 0, 6).astype(x.dtype), _REALS)
_elu = _activation("Elu",
                   lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))).astype(x.dtype))
# below this many elements np.logaddexp (one call of a scalar loop) is cheaper than the five
# vectorised passes of _softplus_np (tools/bench_kernels.py)
_LOGADDEXP_BELOW = 256


def _softplus_np(x):
    """log(1 + exp(x)) as max(x, 0) + log1p(exp(-|x|)), logaddexp(x, 0)'s own formula, in SIMD
    passes: 5-14x cheaper than logaddexp on large arrays, within 3 ulps of it (on float32 at
    most 3.1 ulps from the exact value, logaddexp 1.5). float16 always takes the passes,
    rounding each step to float16: TF's value for 94 % of float16 inputs, logaddexp's float32
    result rounded once for 86 %."""
    if x.size < _LOGADDEXP_BELOW and x.dtype != np.float16:
        return np.logaddexp(x, 0).astype(x.dtype, copy=False)
    t = np.abs(x, out=np.empty(x.shape, x.dtype))  # (an array even for a 0-d x)
    np.negative(t, out=t)
    np.exp(t, out=t)
    np.log1p(t, out=t)
    t += np.maximum(x, 0)
    return t


_softplus = _activation("Softplus", _softplus_np)

# TF names the input `features`; minitf's functions take it as `x`
relu = _unary_function(_relu, "relu", "Computes the rectified linear function max(x, 0).", "real",
                       module=__name__, example="""
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.nn.relu([-1.0, 0.0, 2.0])))
    [0. 0. 2.]
    """)
relu6 = _unary_function(_relu6, "relu6", "Computes min(max(x, 0), 6).", "real", module=__name__)
elu = _unary_function(_elu, "elu", "Computes the exponential linear unit: x if x > 0, else "
                      "exp(x) - 1.", "float", module=__name__)
softplus = _unary_function(_softplus, "softplus", "Computes log(exp(x) + 1).", "float",
                           details=", without overflow for large x", module=__name__)


# -- softmax ---------------------------------------------------------------------------------------
# (ufunc.reduce skips the Python layer of np.max / np.sum; the values are the same, and the
# temporaries are reused in place)
def _log_softmax_np(x, axis):
    shifted = np.subtract(x, np.maximum.reduce(x, axis=axis, keepdims=True))
    total = np.add.reduce(np.exp(shifted), axis=axis, keepdims=True)
    shifted -= np.log(total, out=total)
    return shifted


def _softmax_np(x, axis):
    e = np.subtract(x, np.maximum.reduce(x, axis=axis, keepdims=True))
    np.exp(e, out=e)
    e /= np.add.reduce(e, axis=axis, keepdims=True)
    return e


_softmax = register_op("Softmax", shape=same_shape, dtype=_features_dtype(_FLOATS))(_softmax_np)
_log_softmax = register_op("LogSoftmax", shape=same_shape, dtype=_features_dtype(_FLOATS))(
    _log_softmax_np)


def _softmax_axis(logits, axis, dim):
    axis = dim if axis is None else axis
    axis = -1 if axis is None else int(axis)
    rank = None if logits._shape is None else len(logits._shape)
    if rank is not None and not -rank <= axis < rank:
        raise ValueError(f"axis {axis} is out of bounds for a tensor of rank {rank} "
                         "(InvalidArgumentError in TF).")
    return axis


def softmax(logits, axis=None, name=None, dim=None):
    """Computes the softmax exp(logits) / sum(exp(logits)) along `axis`.

    The maximum is subtracted first, so large logits do not overflow.

    Args:
      logits: a float Tensor (or value).
      axis: the dimension to normalize (default -1, the last).
      name: a name for the operation (default "Softmax").
      dim: TF1's old name for `axis`.

    Returns:
      A Tensor of `logits`' shape and dtype whose entries along `axis` sum to 1.

    Raises:
      TypeError: `logits` is not of a float type.
      ValueError: `axis` is out of range (TF raises InvalidArgumentError when it runs).
    """
    logits = convert_to_tensor(logits)
    return _softmax.apply([logits], name=name or "Softmax", axis=_softmax_axis(logits, axis, dim))


def log_softmax(logits, axis=None, name=None, dim=None):
    """Computes the log-softmax logits - log(sum(exp(logits))) along `axis`.

    Computed without overflow or underflow for large logits.

    Args:
      logits: a float Tensor (or value).
      axis: the dimension to normalize (default -1, the last).
      name: a name for the operation (default "LogSoftmax").
      dim: TF1's old name for `axis`.

    Returns:
      A Tensor of `logits`' shape and dtype.

    Raises:
      TypeError: `logits` is not of a float type.
      ValueError: `axis` is out of range (TF raises InvalidArgumentError when it runs).
    """
    logits = convert_to_tensor(logits)
    return _log_softmax.apply([logits], name=name or "LogSoftmax",
                              axis=_softmax_axis(logits, axis, dim))


# -- cross-entropies -------------------------------------------------------------------------------
def _sparse_xent_shape(logits, labels):
    if labels._shape is not None:
        return labels._shape
    return None if logits._shape is None else logits._shape[:-1]


@register_op("SparseSoftmaxCrossEntropyWithLogits", outputs="n",
             shape=lambda logits, labels: [_sparse_xent_shape(logits, labels), logits._shape],
             dtype=lambda logits, labels: [logits.dtype.base_dtype] * 2)
def _sparse_xent(logits, labels):
    """(loss, backprop) as TF computes them together: the loss per example and its gradient by
    the logits, softmax(logits) - one_hot(labels)."""
    n = logits.shape[-1]
    cols = labels.reshape(-1)
    # one reduction checks both bounds: as unsigned, a negative label is huge
    if cols.size and cols.view(_UNSIGNED[cols.dtype]).max() >= n:
        bad = cols[(cols < 0) | (cols >= n)][0]
        raise errors.InvalidArgumentError(None, None, f"Received a label value of {bad} which "
                                          f"is outside the valid range of [0, {n}).")
    flat = logits.reshape(-1, n)
    at = np.arange(0, flat.size, n) + cols  # flat index of each row's label
    shifted = flat - np.maximum.reduce(flat, axis=1, keepdims=True)
    backprop = np.exp(shifted)
    total = np.add.reduce(backprop, axis=1, keepdims=True)
    loss = np.log(total).reshape(-1) - shifted.reshape(-1)[at]
    backprop /= total
    backprop.reshape(-1)[at] -= 1
    return [loss.reshape(labels.shape), backprop.reshape(logits.shape)]


_UNSIGNED = {np.dtype(t): np.dtype(u) for t, u in (
    (np.int8, np.uint8), (np.int16, np.uint16), (np.int32, np.uint32), (np.int64, np.uint64))}


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None,
                                             name=None):
    """Computes the cross-entropy between integer class `labels` and unscaled `logits`.

    For each example: -log(softmax(logits)[label]), computed from the logits without
    overflow. Each example has exactly one class; use softmax_cross_entropy_with_logits_v2
    for class distributions. The gradient flows into `logits` only.

    Args:
      _sentinel: lets `labels` and `logits` be passed positionally, in that order (TF1 wants
        them as keywords).
      labels: an int32 or int64 Tensor of shape [d0, ..., dn-1], each in [0, num_classes).
      logits: a float Tensor of shape [d0, ..., dn-1, num_classes].
      name: a name for the operation (default "SparseSoftmaxCrossEntropyWithLogits").

    Returns:
      A Tensor of `labels`' shape and `logits`' dtype: the loss of each example.

    Raises:
      TypeError: `labels` is not of an integer type, or `logits` not of a float type.
      ValueError: the shapes do not line up (labels' shape must be logits' without its last
        dimension).
      minitf.errors.InvalidArgumentError: at run time, a label outside [0, num_classes).

    >>> logits = tf.constant([[2.0, 0.0], [0.0, 0.0]])
    >>> loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=logits)
    >>> with tf.Session() as sess:
    ...     print(sess.run(loss).round(4))
    [0.1269 0.6931]
    """
    if _sentinel is not None:
        labels, logits = _sentinel, labels if logits is None else logits
    with name_scope(name, "SparseSoftmaxCrossEntropyWithLogits", [labels, logits]):
        labels, logits = convert_to_tensor(labels), convert_to_tensor(logits)
        if not labels.dtype.is_integer:
            raise TypeError(f"labels must be int32 or int64, got {labels.dtype.name}")
        _features_dtype(_FLOATS)(logits)
        ls, gs = labels._shape, logits._shape
        if ls is not None and gs is not None:
            if len(ls) != len(gs) - 1 or any(
                    a is not None and b is not None and a != b for a, b in zip(ls, gs[:-1])):
                raise ValueError(f"Shape mismatch: The shape of labels (received {fmt(ls)}) "
                                 "should equal the shape of logits except for the last "
                                 f"dimension (received {fmt(gs)}).")
        return _sparse_xent.apply([logits, labels],
                                  name="SparseSoftmaxCrossEntropyWithLogits")[0]


@register_op("SoftmaxCrossEntropyWithLogits", shape=lambda logits, labels, axis: None if (
    logits._shape is None) else logits._shape[:axis % len(logits._shape)] + logits._shape[
        axis % len(logits._shape) + 1:])
def _xent(logits, labels, axis):
    return -np.sum(labels * _log_softmax_np(logits, axis), axis=axis)


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=-1, name=None, dim=None):
    """Computes the cross-entropy between class distributions `labels` and unscaled `logits`.

    For each example: -sum(labels * log_softmax(logits)) along `axis`, computed without
    overflow. Gradients flow into both `logits` and `labels`; the gradient is exact for
    labels that do not sum to 1 (TF's assumes they do). `tf.nn.softmax_cross_entropy_with_logits`
    (TF1's, in nn_loss_ops.py) is this function with the gradient into `labels` stopped.

    Args:
      labels: a Tensor (or value) of `logits`' shape: a probability distribution over the
        classes along `axis` for each example.
      logits: a float Tensor of shape [..., num_classes, ...].
      axis: the class dimension (default -1, the last).
      name: a name for the operation (default "softmax_cross_entropy_with_logits").
      dim: TF1's old name for `axis`.

    Returns:
      A Tensor of `logits`' dtype and shape without `axis`: the loss of each example.

    Raises:
      TypeError: `logits` is not of a float type, or `labels` cannot be converted to it.
      ValueError: the static shapes of `labels` and `logits` differ.

    >>> labels = tf.constant([[1.0, 0.0], [0.5, 0.5]])
    >>> logits = tf.constant([[2.0, 0.0], [0.0, 0.0]])
    >>> loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    >>> with tf.Session() as sess:
    ...     print(sess.run(loss).round(4))
    [0.1269 0.6931]
    """
    axis = dim if dim is not None else axis
    with name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]) as scope:
        logits = convert_to_tensor(logits)
        labels = convert_to_tensor(labels, dtype=logits.dtype.base_dtype)
        _features_dtype(_FLOATS)(logits)
        if logits._shape is not None and labels._shape is not None and (
                len(logits._shape) != len(labels._shape) or any(
                    a is not None and b is not None and a != b
                    for a, b in zip(logits._shape, labels._shape))):
            raise ValueError(f"logits and labels must be broadcastable: logits_size="
                             f"{fmt(logits._shape)} labels_size={fmt(labels._shape)}")
        return _xent.apply([logits, labels], name=scope, axis=int(axis))


@register_op("L2Loss", shape=lambda t: (), dtype=_features_dtype(_FLOATS))
def _l2_loss(t):
    # np.sum's pairwise sum of the squares (not a BLAS dot, whose order depends on its threads)
    return (np.add.reduce(np.square(t), axis=None) / 2).astype(t.dtype, copy=False)


def l2_loss(t, name=None):
    """Computes half the squared L2 norm of `t`: sum(t ** 2) / 2.

    Args:
      t: a float Tensor (or value) of any shape.
      name: a name for the operation (default "L2Loss").

    Returns:
      A scalar Tensor of `t`'s dtype.

    Raises:
      TypeError: `t` is not of a float type.
    """
    return _l2_loss.apply([t], name=name or "L2Loss")


# -- gradients -------------------------------------------------------------------------------------
def _where_positive(t, g):
    return g * math_ops.cast(math_ops.greater(t, 0), g.dtype.base_dtype)


_relu.gradient(lambda op, g: [_where_positive(op.outputs[0], g)])
_relu6.gradient(lambda op, g: [g * math_ops.cast(math_ops.logical_and(
    math_ops.greater(op.inputs[0], 0), math_ops.less(op.inputs[0], 6)), g.dtype.base_dtype)])
_elu.gradient(lambda op, g: [manip_ops.where(
    math_ops.greater(op.outputs[0], 0), g, g * (op.outputs[0] + 1))])
_softplus.gradient(lambda op, g: [g * sigmoid(op.inputs[0])])


@_softmax.gradient
def _softmax_grad(op, grad):
    y, axis = op.outputs[0], op.get_attr("axis")
    return [y * (grad - math_ops.reduce_sum(grad * y, axis, keepdims=True))]


@_log_softmax.gradient
def _log_softmax_grad(op, grad):
    axis = op.get_attr("axis")
    return [grad - math_ops.exp(op.outputs[0]) * math_ops.reduce_sum(grad, axis, keepdims=True)]


@_sparse_xent.gradient
def _sparse_xent_grad(op, grad, backprop_grad):
    out = manip_ops.expand_dims(grad, -1) * op.outputs[1]
    if backprop_grad not in FILLED_ZEROS:  # a second derivative: backprop is softmax - onehot
        s = softmax(op.inputs[0])
        out += (backprop_grad - math_ops.reduce_sum(backprop_grad * s, -1, keepdims=True)) * s
    return [out, None]


@_xent.gradient
def _xent_grad(op, grad):
    logits, labels = op.inputs
    axis = op.get_attr("axis")
    g = manip_ops.expand_dims(grad, axis)
    # exact for labels that do not sum to 1 too (TF's kernel assumes they do)
    total = math_ops.reduce_sum(labels, axis, keepdims=True)
    return [g * (_softmax.apply([logits], axis=axis) * total - labels),
            g * math_ops.negative(_log_softmax.apply([logits], axis=axis))]


_l2_loss.gradient(lambda op, grad: [op.inputs[0] * grad])


# -- bias_add, dropout -----------------------------------------------------------------------------
def _bias_add_shape(value, bias, data_format="NHWC"):
    if value._shape is not None and bias._shape is not None:
        nchw = data_format == "NCHW"
        if nchw and len(value._shape) < 3:
            raise ValueError(f"Shape must be at least rank 3 but is rank {len(value._shape)} for "
                             f"'BiasAdd' with input shapes: {fmt(value._shape)}, "
                             f"{fmt(bias._shape)}.")
        if len(bias._shape) != 1:
            raise ValueError(f"Shape must be rank 1 but is rank {len(bias._shape)} for 'BiasAdd'")
        a, b = value._shape[1 if nchw else -1], bias._shape[0]
        if a is not None and b is not None and a != b:
            raise ValueError(f"Dimensions must be equal, but are {a} and {b} for 'BiasAdd' "
                             f"with input shapes: {fmt(value._shape)}, {fmt(bias._shape)}.")
    return value._shape


@register_op("BiasAdd", shape=_bias_add_shape)
def _bias_add(value, bias, data_format="NHWC"):
    if data_format == "NCHW":  # the channels are dimension 1
        return value + bias.reshape((-1,) + (1,) * (value.ndim - 2))
    return value + bias


@_bias_add.gradient
def _bias_add_grad(op, g):
    if op.get_attr("data_format") == "NCHW":
        shape = op.inputs[0]._shape
        if shape is not None:
            return [g, math_ops.reduce_sum(g, [0] + list(range(2, len(shape))))]
        # an unknown rank: sum over the batch, then over all after the channels
        per_channel = manip_ops.reshape(math_ops.reduce_sum(g, 0), manip_ops.concat(
            [shape_of(op.inputs[1]), [-1]], 0))
        return [g, math_ops.reduce_sum(per_channel, 1)]
    return [g, math_ops.unbroadcast(g, op.inputs[1], op.inputs[0])]


def bias_add(value, bias, data_format=None, name=None):
    """Adds the 1-D `bias` to `value` along its channel dimension.

    Args:
      value: a Tensor of rank >= 1 (rank >= 3 for channels-first) whose channel dimension
        has `bias`' size.
      bias: a 1-D Tensor (or value), converted to `value`'s dtype.
      data_format: None, "NHWC" or "N...C" (channels last: the last dimension), or "NCHW" or
        "NC..." (channels first: dimension 1).
      name: a name for the operation (default "BiasAdd").

    Returns:
      A Tensor of `value`'s shape and dtype.

    Raises:
      ValueError: `data_format` is another layout, `bias` is not 1-D, or its size is not that
        of `value`'s channel dimension.
    """
    formats = {None: "NHWC", "NHWC": "NHWC", "N...C": "NHWC", "NCHW": "NCHW", "NC...": "NCHW"}
    if data_format not in formats:
        raise ValueError("`data_format` must be of the form `N...C` or `NC...`. Received: "
                         f"data_format={data_format}")
    with name_scope(name, "BiasAdd", [value, bias]) as scope:
        value = convert_to_tensor(value, name="input")
        bias = convert_to_tensor(bias, dtype=value.dtype.base_dtype, name="bias")
        return _bias_add.apply([value, bias], name=scope, data_format=formats[data_format])


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """Sets each element of `x` to zero with probability `rate`, scaling up the others.

    The kept elements are multiplied by 1 / (1 - rate), so the expected sum is unchanged.
    Every run draws a new pattern. With a rate of 0 (a Python number) `x` is returned
    through an Identity.

    Args:
      x: a float Tensor (or value).
      keep_prob: the probability of keeping an element (TF1): 1 - rate. A float or a scalar
        tensor (a fed keep probability, say).
      noise_shape: the shape of the keep/drop pattern, broadcast to x's (e.g. [n, 1] drops
        whole rows); default x's shape.
      seed: the op seed of the random pattern (see `tf.set_random_seed`).
      name: a name for the operation (default "dropout").
      rate: the probability of dropping an element, a float in [0, 1) or a scalar tensor.

    Returns:
      A Tensor of x's shape and dtype.

    Raises:
      ValueError: both or neither of `rate` and `keep_prob` are given, or `rate` is a number
        outside [0, 1).
    """
    if (rate is None) == (keep_prob is None):
        raise ValueError("Specify exactly one of `rate` and `keep_prob` for dropout.")
    with name_scope(name, "dropout", [x]):
        x = convert_to_tensor(x, name="x")
        if rate is None:
            rate = 1 - keep_prob  # a float, or a tensor (a fed keep_prob)
        if not hasattr(rate, "dtype"):
            if not 0 <= rate < 1:
                raise ValueError(f"rate must be a scalar tensor or a float in the range [0, 1), "
                                 f"got {rate}")
            if rate == 0:
                return array_ops.identity(x)
        rate = convert_to_tensor(rate, dtype=x.dtype.base_dtype, name="rate")
        shape = array_ops.shape(x) if noise_shape is None else noise_shape
        keep = math_ops.greater_equal(random_ops.random_uniform(shape, seed=seed, dtype=x.dtype),
                                      rate)
        return x * (1 / (1 - rate)) * math_ops.cast(keep, x.dtype.base_dtype)


__all__ += ["bias_add", "dropout"]
