"""Fake quantization (FakeQuantWithMinMaxArgs, FakeQuantWithMinMaxVars,
FakeQuantWithMinMaxVarsPerChannel) with the *Gradient ops their gradients are: TF's nudged
ranges and straight-through gradients, float32 steps in TF's order (ops/quantize_ops.py holds
the shared rules).
"""
import collections

import numpy as np

from minitf.framework import errors
from minitf.framework.registry import register_op
from minitf.ops.quantize_ops import (
    _F32,
    _float32_inputs,
    _merge_dims,
    _merge_shapes,
    _round_away,
    _with_rank,
)

__all__ = ["fake_quant_with_min_max_args", "fake_quant_with_min_max_args_gradient",
           "fake_quant_with_min_max_vars", "fake_quant_with_min_max_vars_gradient",
           "fake_quant_with_min_max_vars_per_channel",
           "fake_quant_with_min_max_vars_per_channel_gradient"]

_GRADIENT_FIELDS = ["backprops_wrt_input", "backprop_wrt_min", "backprop_wrt_max"]
FakeQuantWithMinMaxVarsGradient = collections.namedtuple("FakeQuantWithMinMaxVarsGradient",
                                                         _GRADIENT_FIELDS)
FakeQuantWithMinMaxVarsPerChannelGradient = collections.namedtuple(
    "FakeQuantWithMinMaxVarsPerChannelGradient", _GRADIENT_FIELDS)


# -- fake quantization -----------------------------------------------------------------------------
def _check_num_bits(num_bits):
    if not 2 <= num_bits <= 16:
        raise errors.InvalidArgumentError(None, None,
                                          "num_bits must be between 2 and 16, inclusive")


def _nudge(min, max, num_bits, narrow_range):
    """TF's Nudge: (nudged min, nudged max, scale, inverse scale), so that 0.0 is a code."""
    qmin, qmax = _F32(1 if narrow_range else 0), _F32((1 << num_bits) - 1)
    min, max = np.asarray(min, _F32), np.asarray(max, _F32)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = (max - min) / (qmax - qmin)
        inv_scale = (qmax - qmin) / (max - min)
        zero_from_min = qmin - min / scale
    zero = np.where(zero_from_min < qmin, qmin, np.where(
        zero_from_min > qmax, qmax, _round_away(np.nan_to_num(zero_from_min)).astype(_F32)))
    return (qmin - zero) * scale, (qmax - zero) * scale, scale, inv_scale


def _fake_quant(x, min, max, num_bits, narrow_range, divide=False):
    # (the Vars kernel divides by the scale, the others multiply by its inverse)
    low, high, scale, inv_scale = _nudge(min, max, num_bits, narrow_range)
    quant_zero = np.floor(-low * inv_scale + _F32(0.5))
    shifted = np.maximum(np.minimum(x, high), low) - low
    steps = shifted / scale if divide else shifted * inv_scale
    out = np.floor(steps - quant_zero + _F32(0.5)) * scale
    return np.where((min == 0) & (max == 0), _F32(0), out).astype(_F32)  # (TF's zero range)


def _fake_quant_grads(grad, x, min, max, num_bits, narrow_range, axis=None):
    """(input, min, max) gradients: the input's passes inside the nudged range, min's and max's
    sum what falls below and above it (over `axis`, all but the channels, or everything)."""
    low, high, _, _ = _nudge(min, max, num_bits, narrow_range)
    zero_range = (min == 0) & (max == 0)  # (TF passes everything then)
    inside = ((x >= low) & (x <= high)) | zero_range
    below, above = (x < low) & ~zero_range, (x > high) & ~zero_range
    return [np.where(inside, grad, 0).astype(_F32),
            np.sum(np.where(below, grad, 0), axis=axis, dtype=_F32),
            np.sum(np.where(above, grad, 0), axis=axis, dtype=_F32)]


def _args_kernel_attrs(min, max, num_bits):
    if min >= max:
        raise errors.InvalidArgumentError(
            None, None, f"min has to be smaller than max, was: {min:g} >= {max:g}")
    _check_num_bits(num_bits)


@register_op("FakeQuantWithMinMaxArgs", shape=lambda inputs, **attrs: inputs._shape,
             dtype=_float32_inputs("FakeQuantWithMinMaxArgs", ["inputs"]))
def _fq_args(inputs, *, min, max, num_bits, narrow_range):
    _args_kernel_attrs(min, max, num_bits)
    return _fake_quant(inputs, _F32(min), _F32(max), num_bits, narrow_range)


@register_op("FakeQuantWithMinMaxArgsGradient", differentiable=False,
             shape=lambda gradients, inputs, **attrs: gradients._shape,
             dtype=_float32_inputs("FakeQuantWithMinMaxArgsGradient", ["gradients", "inputs"]))
def _fq_args_grad(gradients, inputs, *, min, max, num_bits, narrow_range):
    _args_kernel_attrs(min, max, num_bits)
    return _fake_quant_grads(gradients, inputs, _F32(min), _F32(max), num_bits,
                             narrow_range)[0]


def _vars_shape(per_channel, gradient):
    op_type = ("FakeQuantWithMinMaxVars" + ("PerChannel" if per_channel else "")
               + ("Gradient" if gradient else ""))

    def rule(*inputs, **attrs):
        x = inputs[-3]
        shape = _merge_shapes(inputs[0]._shape, x._shape, op_type, inputs) if gradient else (
            x._shape)
        lo = _with_rank(inputs[-2], int(per_channel), op_type, inputs)
        hi = _with_rank(inputs[-1], int(per_channel), op_type, inputs)
        if not per_channel:
            return [shape, (), ()] if gradient else shape
        _with_rank(x, 1, op_type, inputs, at_least=True)
        depth = _merge_dims(lo and lo[0], hi and hi[0], op_type, inputs)
        if shape is not None:  # (checked, but TF's output shape stays the input's)
            depth = _merge_dims(shape[-1], depth, op_type, inputs)
        return [shape, (depth,), (depth,)] if gradient else shape
    return op_type, rule


def _register_vars(per_channel):
    """Registers FakeQuantWithMinMaxVars[PerChannel] and its gradient op; returns both."""
    op_type, shape = _vars_shape(per_channel, False)
    grad_type, grad_shape = _vars_shape(per_channel, True)
    grad_dtype = _float32_inputs(grad_type, ["gradients", "inputs", "min", "max"])

    def kernel(inputs, min, max, *, num_bits, narrow_range):
        _check_num_bits(num_bits)
        return _fake_quant(inputs, min, max, num_bits, narrow_range, divide=not per_channel)

    def grad_kernel(gradients, inputs, min, max, *, num_bits, narrow_range):
        _check_num_bits(num_bits)
        axis = tuple(range(inputs.ndim - 1)) if per_channel else None
        return _fake_quant_grads(gradients, inputs, min, max, num_bits, narrow_range, axis)

    forward = register_op(op_type, shape=shape,
                          dtype=_float32_inputs(op_type, ["inputs", "min", "max"]))(kernel)
    backward = register_op(grad_type, shape=grad_shape, outputs="n", differentiable=False,
                           dtype=lambda *inputs, **attrs: [grad_dtype(*inputs)] * 3)(grad_kernel)

    @forward.gradient
    def _grad(op, grad):
        return backward.apply([grad] + list(op.inputs), name=grad_type, **_attrs_of(op))
    return forward, backward


def _attrs_of(op, names=("num_bits", "narrow_range")):
    return {a: op.get_attr(a) for a in names}


_fq_vars, _fq_vars_grad = _register_vars(per_channel=False)
_fq_per_channel, _fq_per_channel_grad = _register_vars(per_channel=True)


@_fq_args.gradient
def _fq_args_gradient(op, grad):
    return [_fq_args_grad.apply([grad, op.inputs[0]], name="FakeQuantWithMinMaxArgsGradient",
                                **_attrs_of(op, ("min", "max", "num_bits", "narrow_range")))]


def fake_quant_with_min_max_args(inputs, min=-6, max=6, num_bits=8, narrow_range=False,
                                 name=None):
    """Fake-quantizes the float32 `inputs` into [min, max] with `num_bits` bits.

    The range is first nudged so that 0.0 is exactly representable; each value is clamped to
    the nudged range and rounded to the nearest of its `2**num_bits` levels (one fewer with
    `narrow_range`). The gradient passes through inside the nudged range.

    >>> y = tf.fake_quant_with_min_max_args([-7.0, 0.3, 2.0], min=-1.0, max=1.0, num_bits=4)
    >>> with tf.Session() as sess:
    ...     print(sess.run(y))
    [-0.9333334   0.26666668  1.0666667 ]

    Args:
      inputs: a float32 Tensor.
      min, max: the range, floats with min < max.
      num_bits: the bit width, 2 to 16.
      narrow_range: whether the lowest level is left unused.
      name: a name for the operation (default "FakeQuantWithMinMaxArgs").

    Returns:
      A float32 Tensor of `inputs`' shape.

    Raises:
      TypeError: `inputs` is not float32.
      minitf.errors.InvalidArgumentError: at run time, min >= max or num_bits out of range.
    """
    return _fq_args.apply([inputs], name=name or "FakeQuantWithMinMaxArgs", min=float(min),
                          max=float(max), num_bits=int(num_bits), narrow_range=bool(narrow_range))


def fake_quant_with_min_max_args_gradient(gradients, inputs, min=-6, max=6, num_bits=8,
                                          narrow_range=False, name=None):
    """The gradient of `fake_quant_with_min_max_args` (FakeQuantWithMinMaxArgsGradient).

    It is `gradients` where `inputs` lies inside the nudged range, else 0.

    Args:
      gradients: a float32 Tensor, the gradient of the fake-quantized values.
      inputs: the float32 Tensor that was fake-quantized, of `gradients`' shape.
      min, max, num_bits, narrow_range: as given to `fake_quant_with_min_max_args`.
      name: a name for the operation (default "FakeQuantWithMinMaxArgsGradient").

    Returns:
      A float32 Tensor of `inputs`' shape.

    Raises:
      TypeError, ValueError: wrong dtypes or shapes.
      minitf.errors.InvalidArgumentError: at run time, min >= max or num_bits out of range.
    """
    return _fq_args_grad.apply(
        [gradients, inputs], name=name or "FakeQuantWithMinMaxArgsGradient", min=float(min),
        max=float(max), num_bits=int(num_bits), narrow_range=bool(narrow_range))


def _vars_apply(opdef, inputs, name, num_bits, narrow_range):
    return opdef.apply(inputs, name=name or opdef.type, num_bits=int(num_bits),
                       narrow_range=bool(narrow_range))


def fake_quant_with_min_max_vars(inputs, min, max, num_bits=8, narrow_range=False, name=None):
    """Fake-quantizes the float32 `inputs` into the range [min, max] given as tensors.

    As `fake_quant_with_min_max_args`, and min and max get gradients too: the sums of the
    gradients of the values below and above the nudged range. A range of [0, 0] gives zeros.

    Args:
      inputs: a float32 Tensor.
      min, max: float32 scalars.
      num_bits: the bit width, 2 to 16.
      narrow_range: whether the lowest level is left unused.
      name: a name for the operation (default "FakeQuantWithMinMaxVars").

    Returns:
      A float32 Tensor of `inputs`' shape.

    Raises:
      TypeError: an input is not float32.
      ValueError: min or max is not a scalar.
      minitf.errors.InvalidArgumentError: at run time, num_bits out of range.
    """
    return _vars_apply(_fq_vars, [inputs, min, max], name, num_bits, narrow_range)


def fake_quant_with_min_max_vars_gradient(gradients, inputs, min, max, num_bits=8,
                                          narrow_range=False, name=None):
    """The gradients of `fake_quant_with_min_max_vars` by its inputs, min and max.

    Args:
      gradients: a float32 Tensor, the gradient of the fake-quantized values.
      inputs: the float32 Tensor that was fake-quantized, of `gradients`' shape.
      min, max, num_bits, narrow_range: as given to `fake_quant_with_min_max_vars`.
      name: a name for the operation (default "FakeQuantWithMinMaxVarsGradient").

    Returns:
      The tuple (backprops_wrt_input, backprop_wrt_min, backprop_wrt_max).

    Raises:
      TypeError, ValueError: wrong dtypes or shapes.
    """
    return FakeQuantWithMinMaxVarsGradient(*_vars_apply(
        _fq_vars_grad, [gradients, inputs, min, max], name, num_bits, narrow_range))


def fake_quant_with_min_max_vars_per_channel(inputs, min, max, num_bits=8, narrow_range=False,
                                             name=None):
    """Fake-quantizes the float32 `inputs` with one range per channel (the last dimension).

    Args:
      inputs: a float32 Tensor of rank 1 or more, of d channels.
      min, max: float32 Tensors of shape [d].
      num_bits: the bit width, 2 to 16.
      narrow_range: whether the lowest level is left unused.
      name: a name for the operation (default "FakeQuantWithMinMaxVarsPerChannel").

    Returns:
      A float32 Tensor of `inputs`' shape.

    Raises:
      TypeError: an input is not float32.
      ValueError: the shapes do not fit.
    """
    return _vars_apply(_fq_per_channel, [inputs, min, max], name, num_bits, narrow_range)


def fake_quant_with_min_max_vars_per_channel_gradient(gradients, inputs, min, max, num_bits=8,
                                                      narrow_range=False, name=None):
    """The gradients of `fake_quant_with_min_max_vars_per_channel` by its inputs, min and max.

    Args:
      gradients: a float32 Tensor, the gradient of the fake-quantized values.
      inputs: the float32 Tensor that was fake-quantized, of `gradients`' shape.
      min, max, num_bits, narrow_range: as given to the op.
      name: a name for the operation (default "FakeQuantWithMinMaxVarsPerChannelGradient").

    Returns:
      The tuple (backprops_wrt_input, backprop_wrt_min, backprop_wrt_max), the last two of
      shape [d].

    Raises:
      TypeError, ValueError: wrong dtypes or shapes.
    """
    return FakeQuantWithMinMaxVarsPerChannelGradient(*_vars_apply(
        _fq_per_channel_grad, [gradients, inputs, min, max], name, num_bits, narrow_range))
