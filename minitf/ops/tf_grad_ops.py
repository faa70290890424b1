"""Ops of TF's gradient graphs that minitf's own gradients do without, for GraphDefs TF wrote
(tf.import_graph_def): BroadcastGradientArgs (the axes a broadcasting op's gradient sums over,
per input: minitf reduces by static shapes) and ReluGrad.
"""
import numpy as np

from minitf.framework import errors
from minitf.framework.registry import register_op
from minitf.ops._shared import zeros_like

__all__ = ["broadcast_gradient_args", "concat_offset"]


def _padded(shape, rank):
    return np.concatenate([np.ones(rank - len(shape), shape.dtype), shape])


@register_op("BroadcastGradientArgs", shape=lambda s0, s1: [(None,), (None,)],
             dtype=lambda s0, s1: [s0.dtype.base_dtype] * 2, outputs="n", differentiable=False)
def _broadcast_gradient_args(s0, s1):
    """(r0, r1): the axes of the broadcast shape of `s0` and `s1` along which each input was
    broadcast (its size 1 there, or missing), none when the shapes are the same."""
    s0, s1 = np.asarray(s0).ravel(), np.asarray(s1).ravel()
    if np.array_equal(s0, s1):
        return np.zeros(0, s0.dtype), np.zeros(0, s1.dtype)
    rank = max(len(s0), len(s1))
    a, b = _padded(s0, rank), _padded(s1, rank)
    if np.any((a != b) & (a != 1) & (b != 1)):
        raise errors.InvalidArgumentError(
            None, None, f"Incompatible shapes: [{','.join(map(str, s0))}] vs. "
            f"[{','.join(map(str, s1))}]")
    axes = np.arange(rank, dtype=s0.dtype)
    return axes[a == 1], axes[b == 1]


def broadcast_gradient_args(s0, s1, name=None):
    """Returns the axes the gradients of two broadcast operands sum over (TF's raw op).

    Args:
      s0: a 1-D int32 or int64 Tensor, the shape of one operand.
      s1: a 1-D Tensor of the same dtype, the shape of the other.
      name: a name for the op.

    Returns:
      (r0, r1): 1-D Tensors of the axes of the broadcast shape along which each operand was
      broadcast (none when the shapes are the same).

    Raises:
      InvalidArgumentError: at run time, if the shapes do not broadcast.

    >>> from minitf.ops.tf_grad_ops import broadcast_gradient_args
    >>> r0, r1 = broadcast_gradient_args([2, 3], [3])
    >>> with tf.Session() as sess:
    ...     sess.run([r0, r1])
    [array([], dtype=int32), array([0], dtype=int32)]
    """
    return tuple(_broadcast_gradient_args.apply([s0, s1], name=name))


@register_op("ReluGrad", shape=lambda gradients, features: gradients._shape)
def _relu_grad(gradients, features):
    """The gradient of Relu: `gradients` where `features` > 0, else 0."""
    return np.where(features > 0, gradients, np.zeros((), gradients.dtype))


@_relu_grad.gradient
def _relu_grad_grad(op, grad):
    # (TF's _ReluGradGrad: linear in `gradients`, piecewise constant in `features`)
    return _relu_grad.apply([grad, op.inputs[1]]), zeros_like(op.inputs[1])


@register_op("ConcatOffset", shape=lambda axis, *shapes: [s._shape for s in shapes],
             dtype=lambda axis, *shapes: [s.dtype.base_dtype for s in shapes], outputs="n",
             differentiable=False)
def _concat_offset(axis, *shapes):
    """Where each of the concatenated inputs of `shapes` starts in the result: its offset on
    every axis, 0 but along `axis` (ConcatV2's gradient slices its inputs' parts out by it)."""
    shapes = [np.asarray(s).ravel() for s in shapes]
    rank = len(shapes[0])
    axis = int(axis) + rank if int(axis) < 0 else int(axis)
    if not 0 <= axis < rank:
        raise errors.InvalidArgumentError(None, None, f"Concat dim is out of range: {int(axis)} "
                                          f"vs. {rank}")
    offsets, start = [], 0
    for i, shape in enumerate(shapes):
        if len(shape) != rank or np.any(np.delete(shape != shapes[0], axis)):
            raise errors.InvalidArgumentError(
                None, None, f"All dimensions except {axis} must match. Input {i} has shape "
                f"{list(shape)} and doesn't match input 0 with shape {list(shapes[0])}.")
        offset = np.zeros(rank, shape.dtype)
        offset[axis] = start
        offsets.append(offset)
        start += shape[axis]
    return offsets


def concat_offset(axis, shapes, name=None):
    """Returns where each of the tensors of `shapes` starts in their concatenation (TF's raw op).

    Args:
      axis: the concatenation axis (a scalar int32).
      shapes: the 1-D int32 shapes of the concatenated tensors.
      name: a name for the op.

    Returns:
      One 1-D Tensor per shape: its offset, 0 but along `axis`.

    Raises:
      InvalidArgumentError: at run time, if the shapes differ off `axis`.

    >>> from minitf.ops.tf_grad_ops import concat_offset
    >>> with tf.Session() as sess:
    ...     sess.run(concat_offset(1, [[2, 3], [2, 5]]))
    [array([0, 0], dtype=int32), array([0, 3], dtype=int32)]
    """
    return _concat_offset.apply([axis] + list(shapes), name=name)
