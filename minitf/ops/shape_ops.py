"""Shape ops: shape_n, ensure_shape, broadcast_dynamic_shape / broadcast_static_shape,
parallel_stack, and the block rearrangements space_to_depth / depth_to_space (NHWC).
"""
import numpy as np

from minitf.framework import dtypes as _dtypes, errors, tensor_shape
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops._shared import broadcast_shape, fmt
from minitf.ops.manip_ops import expand_dims

__all__ = ["shape_n", "ensure_shape", "broadcast_dynamic_shape", "broadcast_static_shape",
           "parallel_stack", "space_to_depth", "depth_to_space"]


# -- shape_n, ensure_shape -------------------------------------------------------------------------
@register_op("ShapeN", outputs="n", differentiable=False,
             shape=lambda *xs, out_type: [None if x._shape is None else (len(x._shape),)
                                          for x in xs],
             dtype=lambda *xs, out_type: [out_type] * len(xs))
def _shape_n(*xs, out_type):
    return [np.array(x.shape, dtype=out_type.as_numpy_dtype) for x in xs]


def shape_n(input, out_type=_dtypes.int32, name=None):
    """Returns the shapes of the tensors `input`, each as a 1-D integer tensor.

    Args:
      input: a list of Tensors.
      out_type: int32 or int64.
      name: a name for the operation (default "ShapeN").

    Returns:
      A list of 1-D Tensors of `out_type`, one per input.
    """
    return _shape_n.apply(list(input), name=name or "ShapeN",
                          out_type=_dtypes.as_dtype(out_type))


def _ensure_shape_shape(x, shape):
    if x._shape is None:
        return shape
    if shape is None:
        return x._shape
    if len(x._shape) != len(shape):
        raise ValueError(f"Shape must be rank {len(shape)} but is rank {len(x._shape)} for "
                         f"'EnsureShape' with input shapes: {fmt(x._shape)}.")
    for i, (a, b) in enumerate(zip(shape, x._shape)):
        if a is not None and b is not None and a != b:
            raise ValueError(f"Dimension {i} in both shapes must be equal, but are {a} and {b}. "
                             f"Shapes are {fmt(shape)} and {fmt(x._shape)}. for 'EnsureShape'.")
    return tuple(a if b is None else b for a, b in zip(x._shape, shape))


@register_op("EnsureShape", shape=_ensure_shape_shape)
def _ensure_shape(x, shape):
    if shape is not None and (x.ndim != len(shape) or any(
            d is not None and d != n for d, n in zip(shape, x.shape))):
        raise errors.InvalidArgumentError(None, None, f"Shape of tensor {fmt(x.shape)} is not "
                                          f"compatible with expected shape {fmt(shape)}.")
    return x


_ensure_shape.gradient(lambda op, grad: [grad])


def ensure_shape(x, shape, name=None):
    """Returns `x`, checked at run time to have a shape compatible with `shape`.

    The static shape of the result is `x`'s made more specific by `shape`.

    Args:
      x: a Tensor.
      shape: a TensorShape (or list; None dims match any size).
      name: a name for the operation (default "EnsureShape").

    Returns:
      A Tensor with `x`'s value.

    Raises:
      ValueError: the static shapes are not compatible.
      minitf.errors.InvalidArgumentError: at run time, the shapes are not compatible.
    """
    shape = tensor_shape.as_shape(shape)._as_tuple()
    return _ensure_shape.apply([x], name=name or "EnsureShape", shape=shape)


# -- broadcast shapes ------------------------------------------------------------------------------
@register_op("BroadcastArgs", differentiable=False,
             shape=lambda s0, s1: None if s0._shape is None or s1._shape is None
             or None in s0._shape + s1._shape else (max(s0._shape[0], s1._shape[0]),))
def _broadcast_args(s0, s1):
    try:
        return np.array(np.broadcast_shapes(tuple(s0), tuple(s1)), dtype=s0.dtype)
    except ValueError:
        raise errors.InvalidArgumentError(
            None, None, f"Incompatible shapes: [{','.join(map(str, s0))}] vs. "
            f"[{','.join(map(str, s1))}]") from None


def broadcast_dynamic_shape(shape_x, shape_y):
    """Returns the shape two tensors of shapes `shape_x` and `shape_y` broadcast to.

    Args:
      shape_x: a 1-D int32 or int64 Tensor, a shape.
      shape_y: a 1-D Tensor of `shape_x`'s dtype, a shape.

    Returns:
      A 1-D Tensor, the broadcast shape.

    Raises:
      minitf.errors.InvalidArgumentError: at run time, the shapes do not broadcast.
    """
    shape_x = convert_to_tensor(shape_x, dtype=None if hasattr(shape_x, "dtype")
                                else _dtypes.int32)
    shape_y = convert_to_tensor(shape_y, dtype=shape_x.dtype.base_dtype)
    return _broadcast_args.apply([shape_x, shape_y], name="BroadcastArgs")


def broadcast_static_shape(shape_x, shape_y):
    """Returns the TensorShape that static shapes `shape_x` and `shape_y` broadcast to.

    Args:
      shape_x: a TensorShape.
      shape_y: a TensorShape.

    Returns:
      A TensorShape.

    Raises:
      ValueError: the shapes do not broadcast.
    """
    try:
        out = broadcast_shape(tensor_shape.as_shape(shape_x)._as_tuple(),
                              tensor_shape.as_shape(shape_y)._as_tuple())
    except ValueError:
        raise ValueError("Incompatible shapes for broadcasting. Two shapes are compatible if for "
                         "each dimension pair they are either equal or one of them is 1. "
                         f"Received: {shape_x} and {shape_y}.") from None
    return tensor_shape.TensorShape(out)


# -- parallel_stack --------------------------------------------------------------------------------
@register_op("ParallelConcat", differentiable=False,
             shape=lambda *values, shape: shape,
             dtype=lambda *values, shape: values[0].dtype.base_dtype)
def _parallel_concat(*values, shape):
    return np.concatenate(values, axis=0)


def parallel_stack(values, name="parallel_stack"):
    """Stacks the tensors `values`, all of one fully known shape, along a new first dimension.

    Args:
      values: a list of Tensors of one dtype and one fully defined shape.
      name: a name for the operation (default "parallel_stack").

    Returns:
      A Tensor of shape `[len(values)] + values[0].shape`.

    Raises:
      ValueError: a shape is not fully defined, or the shapes differ.
    """
    values = [convert_to_tensor(v) for v in values]
    shape = values[0]._shape
    if shape is None or None in shape or any(v._shape != shape for v in values):
        raise ValueError(f"All input shapes must be fully defined and equal: "
                         f"{[v.shape for v in values]}")
    with name_scope(name, values=values):
        rows = [expand_dims(v, 0) for v in values]
        return _parallel_concat.apply(rows, name="ParallelConcat",
                                      shape=(len(values),) + shape)


# -- space_to_depth, depth_to_space ----------------------------------------------------------------
# NCHW is NHWC between transposes (TF's GPU kernel's values; TF's CPU build has no NCHW kernel and
# fails at run time: minitf runs it)
_TO_NHWC, _TO_NCHW = (0, 2, 3, 1), (0, 3, 1, 2)


def _block_shape(x, block_size, data_format, to_depth):
    if x._shape is None:
        return None
    if len(x._shape) != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {len(x._shape)} for "
                         f"'{'SpaceToDepth' if to_depth else 'DepthToSpace'}' with input "
                         f"shapes: {fmt(x._shape)}.")
    nchw = data_format == "NCHW"
    b, h, w, c = (x._shape[i] for i in _TO_NHWC) if nchw else x._shape
    k = block_size
    if to_depth:
        shape = (b, None if h is None else h // k, None if w is None else w // k,
                 None if c is None else c * k * k)
    else:
        shape = (b, None if h is None else h * k, None if w is None else w * k,
                 None if c is None else c // (k * k))
    return tuple(shape[i] for i in _TO_NCHW) if nchw else shape


def _in_nhwc(kernel):
    """kernel(x, block_size) of an NHWC x, for either data format."""
    def run(x, block_size, data_format):
        if data_format == "NCHW":
            return kernel(x.transpose(_TO_NHWC), block_size).transpose(_TO_NCHW)
        return kernel(x, block_size)
    return run


@_in_nhwc
def _space_to_depth_kernel(x, block_size):
    b, h, w, c = x.shape
    k = block_size
    if h % k or w % k:
        raise errors.InvalidArgumentError(
            None, None, f"Image width {w} and height {h} should be divisible by block_size: {k}")
    blocks = x.reshape(b, h // k, k, w // k, k, c).transpose(0, 1, 3, 2, 4, 5)
    return blocks.reshape(b, h // k, w // k, k * k * c)


@_in_nhwc
def _depth_to_space_kernel(x, block_size):
    b, h, w, c = x.shape
    k = block_size
    if c % (k * k):
        raise errors.InvalidArgumentError(
            None, None, f"Input depth dimension {c} should be divisible by: {k * k}")
    blocks = x.reshape(b, h, w, k, k, c // (k * k)).transpose(0, 1, 3, 2, 4, 5)
    return blocks.reshape(b, h * k, w * k, c // (k * k))


_space_to_depth = register_op(
    "SpaceToDepth", shape=lambda x, block_size, data_format: _block_shape(
        x, block_size, data_format, True))(_space_to_depth_kernel)
_depth_to_space = register_op(
    "DepthToSpace", shape=lambda x, block_size, data_format: _block_shape(
        x, block_size, data_format, False))(_depth_to_space_kernel)
# each is the other's adjoint (a permutation of the elements)
_space_to_depth.gradient(lambda op, grad: [_depth_to_space.apply(
    [grad], block_size=op.get_attr("block_size"), data_format=op.get_attr("data_format"))])
_depth_to_space.gradient(lambda op, grad: [_space_to_depth.apply(
    [grad], block_size=op.get_attr("block_size"), data_format=op.get_attr("data_format"))])


def _block_op(opdef, input, block_size, name, data_format):
    if data_format not in ("NHWC", "NCHW", "NCHW_VECT_C"):
        raise ValueError(f"Value for attr 'data_format' of \"{data_format}\" is not in the list "
                         "of allowed values: \"NHWC\", \"NCHW\", \"NCHW_VECT_C\"")
    if data_format == "NCHW_VECT_C":
        raise ValueError(f"minitf: {opdef.type} does not support data_format='NCHW_VECT_C'.")
    if int(block_size) < 2:
        raise ValueError(f"Value for attr 'block_size' of {int(block_size)} must be at least "
                         "minimum 2")
    return opdef.apply([input], name=name or opdef.type, block_size=int(block_size),
                       data_format=data_format)


def space_to_depth(input, block_size, name=None, data_format="NHWC"):
    """Moves each block_size x block_size block of spatial positions into the depth.

    Args:
      input: a 4-D Tensor [batch, height, width, depth] ([batch, depth, height, width] for
        NCHW).
      block_size: an int >= 2 dividing height and width.
      name: a name for the operation (default "SpaceToDepth").
      data_format: "NHWC" or "NCHW" (which TF's CPU kernels do not run; minitf does, with
        the values of TF's GPU kernel).

    Returns:
      A Tensor [batch, height / block_size, width / block_size, depth * block_size**2]
      (NCHW: its dims in that order).

    Raises:
      ValueError: the rank is not 4, `block_size` is under 2, or `data_format` is not one of
        TF's (minitf leaves out NCHW_VECT_C).
    """
    return _block_op(_space_to_depth, input, block_size, name, data_format)


def depth_to_space(input, block_size, name=None, data_format="NHWC"):
    """Moves depth into block_size x block_size blocks of spatial positions.

    Args:
      input: a 4-D Tensor [batch, height, width, depth] ([batch, depth, height, width] for
        NCHW), depth divisible by block_size**2.
      block_size: an int >= 2.
      name: a name for the operation (default "DepthToSpace").
      data_format: "NHWC" or "NCHW" (which TF's CPU kernels do not run; minitf does, with
        the values of TF's GPU kernel).

    Returns:
      A Tensor [batch, height * block_size, width * block_size, depth / block_size**2]
      (NCHW: its dims in that order).

    Raises:
      ValueError: the rank is not 4, `block_size` is under 2, or `data_format` is not one of
        TF's (minitf leaves out NCHW_VECT_C).
    """
    return _block_op(_depth_to_space, input, block_size, name, data_format)

