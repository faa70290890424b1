"""3-D pooling: max_pool3d (MaxPool3D) and avg_pool3d (AvgPool3D) with TF's gradient ops
MaxPool3DGrad, MaxPool3DGradGrad and AvgPool3DGrad, each with its own gradient; max_pool_v2 and
avg_pool_v2, which pick the 1-, 2- or 3-D pooling by rank.

The kernels are pool_ops' channels-last kernels, which take any number of spatial dims.
"""
import numpy as np

from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops import conv_ops as _conv, pool_ops as _pool
from minitf.ops._shared import fmt, shape_of, zeros_like
from minitf.ops.space_batch_ops import batch_to_space_nd, space_to_batch_nd

__all__ = ["max_pool3d", "avg_pool3d", "max_pool_v2", "avg_pool_v2", "pool"]


def _shape(op_type):
    return lambda input, **a: _pool._pool_shape(op_type, input._shape, a)


_max3d = register_op("MaxPool3D", shape=_shape("MaxPool3D"),
                     dtype=_pool._dtype_in(_pool._AVG_TYPES))(_pool._max_pool.kernel)


def _ties(x, attrs):
    """(where each window's elements equal its maximum (N, *out, K, C), the geometry)."""
    ksize, strides, geometry = _pool._window(x.shape, attrs)
    cols = _pool._windows(x, ksize, strides, geometry, _pool._lowest(x.dtype))
    return cols == cols.max(axis=-2, keepdims=True), ksize, strides, geometry


@register_op("MaxPool3DGrad", shape=lambda orig_input, *_, **a: orig_input._shape,
             dtype=_pool._dtype_in(_pool._AVG_TYPES, "orig_input"))
def _max3d_grad(orig_input, orig_output, grad, **attrs):
    # unlike MaxPoolGrad, TF's 3-D kernel gives the gradient to every maximum of a window
    fmt_ = attrs["data_format"]
    x, g = _pool._to_last(orig_input, fmt_), _pool._to_last(grad, fmt_)
    ties, ksize, strides, geometry = _ties(x, attrs)
    dcols = np.where(ties, np.expand_dims(g, -2), 0).astype(x.dtype)
    return _pool._from_last(_pool._col2im(x.shape, dcols, ksize, strides, geometry), fmt_)


_max3d_grad_grad = register_op(
    "MaxPool3DGradGrad", shape=lambda orig_input, orig_output, grad, **a: orig_output._shape,
    dtype=_pool._dtype_in(_pool._AVG_TYPES, "orig_input"))(_pool._max_pool_grad_grad.kernel)
_avg3d = register_op("AvgPool3D", shape=_shape("AvgPool3D"),
                     dtype=_pool._dtype_in(_pool._AVG_TYPES))(_pool._avg_pool.kernel)
_avg3d_grad = register_op("AvgPool3DGrad", shape=_pool._avg_pool_grad_shape,
                          dtype=lambda orig_input_shape, grad, **a: grad.dtype.base_dtype)(
    _pool._avg_pool_grad.kernel)


@_max3d.gradient
def _max3d_gradient(op, grad):
    return [_max3d_grad.apply([op.inputs[0], op.outputs[0], grad], **_pool._attrs_of(op))]


@_max3d_grad.gradient
def _max3d_grad_gradient(op, grad):
    x, y, _ = op.inputs
    return [zeros_like(x), zeros_like(y),
            _max3d_grad_grad.apply([x, y, grad], **_pool._attrs_of(op))]


@_max3d_grad_grad.gradient
def _max3d_grad_grad_gradient(op, grad):
    x, y, _ = op.inputs
    return [zeros_like(x), zeros_like(y), _max3d_grad.apply([x, y, grad], **_pool._attrs_of(op))]


@_avg3d.gradient
def _avg3d_gradient(op, grad):
    return [_avg3d_grad.apply([shape_of(op.inputs[0]), grad], **_pool._attrs_of(op))]


@_avg3d_grad.gradient
def _avg3d_grad_gradient(op, grad):
    return [None, _avg3d.apply([grad], **_pool._attrs_of(op))]


def _attrs(op_type, ksize, strides, padding, data_format):
    return _pool._pool_attrs(op_type, ksize, strides, padding, data_format or "NDHWC", 3)


def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):
    """Performs 3-D max pooling on `input`.

    Args:
      input: a 5-D float Tensor, NDHWC or NCDHW.
      ksize: an int or a list of 1, 3 or 5 ints, the window size per dimension.
      strides: an int or a list of 1, 3 or 5 ints, the window step per dimension.
      padding: "SAME" or "VALID".
      data_format: "NDHWC" (default) or "NCDHW".
      name: a name for the operation (default "MaxPool3D").

    Returns:
      A 5-D Tensor of `input`'s dtype.

    Raises:
      ValueError: `padding`, `ksize`, `strides` or the input's rank is invalid.
    """
    return _max3d.apply([input], name=name or "MaxPool3D",
                        **_attrs("MaxPool3D", ksize, strides, padding, data_format))


def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):
    """Performs 3-D average pooling on `input`.

    A SAME window at the border averages its real elements only.

    Args:
      input: a 5-D float Tensor, NDHWC or NCDHW.
      ksize: an int or a list of 1, 3 or 5 ints, the window size per dimension.
      strides: an int or a list of 1, 3 or 5 ints, the window step per dimension.
      padding: "SAME" or "VALID".
      data_format: "NDHWC" (default) or "NCDHW".
      name: a name for the operation (default "AvgPool3D").

    Returns:
      A 5-D Tensor of `input`'s dtype.

    Raises:
      ValueError: `padding`, `ksize`, `strides` or the input's rank is invalid.
    """
    return _avg3d.apply([input], name=name or "AvgPool3D",
                        **_attrs("AvgPool3D", ksize, strides, padding, data_format))


def _pool_nd(by_rank, input, ksize, strides, padding, data_format, name):
    input = convert_to_tensor(input)
    rank = None if input._shape is None else len(input._shape)
    n = rank - 2 if rank is not None else len(np.ravel(ksize)) - 2
    if n not in by_rank:
        raise ValueError("`input.shape.rank` must be 3, 4 or 5. Received: "
                         f"input.shape={fmt(input._shape)} of rank {rank}")
    return by_rank[n](input, ksize, strides, padding, data_format=data_format, name=name)


def max_pool_v2(input, ksize, strides, padding, data_format=None, name=None):
    """Performs max pooling on `input`: 1-, 2- or 3-D by its rank (3, 4 or 5).

    Args:
      input: a Tensor of known rank 3, 4 or 5.
      ksize: an int or a list of 1, N or N + 2 ints, the window size per dimension.
      strides: an int or a list of 1, N or N + 2 ints, the window step per dimension.
      padding: "SAME" or "VALID".
      data_format: None (channels last) or the layout of the rank's pooling.
      name: a name for the operation (default "MaxPool", "MaxPool1d" or "MaxPool3D").

    Returns:
      A Tensor of `input`'s dtype and layout.

    Raises:
      ValueError: the rank or other arguments are invalid.
    """
    by_rank = {1: _pool.max_pool1d, 2: _pool.max_pool, 3: max_pool3d}
    return _pool_nd(by_rank, input, ksize, strides, padding, data_format, name)


def avg_pool_v2(input, ksize, strides, padding, data_format=None, name=None):
    """Performs average pooling on `input`: 1-, 2- or 3-D by its rank (3, 4 or 5).

    Args:
      input: a Tensor of known rank 3, 4 or 5.
      ksize: an int or a list of 1, N or N + 2 ints, the window size per dimension.
      strides: an int or a list of 1, N or N + 2 ints, the window step per dimension.
      padding: "SAME" or "VALID".
      data_format: None (channels last) or the layout of the rank's pooling.
      name: a name for the operation (default "AvgPool", "AvgPool1D" or "AvgPool3D").

    Returns:
      A Tensor of `input`'s dtype and layout.

    Raises:
      ValueError: the rank or other arguments are invalid.
    """
    by_rank = {1: _pool.avg_pool1d, 2: _pool.avg_pool, 3: avg_pool3d}
    return _pool_nd(by_rank, input, ksize, strides, padding, data_format, name)


def _blocks_pads(input, rate):
    """(paddings, crops) filling SpaceToBatchND's blocks (a VALID pooling pads nothing)."""
    extra = [(r - size % r) % r for size, r in zip(input._shape[1:-1], rate)]
    return [[0, e] for e in extra], [[0, e] for e in extra]


def pool(input, window_shape, pooling_type, padding, dilation_rate=None, strides=None,
         name=None, data_format=None, dilations=None):
    """Performs N-D max or average pooling (N = 1, 2 or 3), dilated through SpaceToBatchND.

    Args:
      input: a Tensor of rank N + 2, channels last unless `data_format` says otherwise.
      window_shape: a list of N ints, the window.
      pooling_type: "MAX" or "AVG".
      padding: "SAME" or "VALID" ("VALID" when dilated).
      dilation_rate: a list of N ints (default ones).
      strides: a list of N ints (default ones); ones when dilated.
      name: a name for the operation (default "max_pool" or "avg_pool").
      data_format: the layout, as the N-D pooling takes it.
      dilations: another name for `dilation_rate`.

    Returns:
      A Tensor of `input`'s dtype.

    Raises:
      ValueError: the pooling type is unknown, or the dilation comes with SAME padding or
        strides.
    """
    rate = _conv._one_of(dilation_rate, dilations, ("dilation_rate", "dilations"))
    n = len(window_shape)
    if pooling_type not in ("MAX", "AVG"):
        raise ValueError(f"{n}-D {pooling_type} pooling is not supported.")
    rate = np.array([1] * n if rate is None else rate)
    strides = [1] * n if strides is None else [int(s) for s in strides]
    dilated = bool((rate > 1).any())
    if dilated and padding == "SAME":
        raise ValueError("pooling with 'SAME' padding is not implemented for `dilation_rate` > "
                         f"1. Received: padding={padding} and dilation_rate={rate}")
    if dilated and any(s > 1 for s in strides):
        raise ValueError("`strides` > 1 not supported in conjunction with `dilation_rate` > 1. "
                         f"Received: strides={strides} and dilation_rate={rate}")
    ops = ({1: _pool.max_pool1d, 2: _pool.max_pool, 3: max_pool3d} if pooling_type == "MAX"
           else {1: _pool.avg_pool1d, 2: _pool.avg_pool, 3: avg_pool3d})
    with name_scope(name, f"{pooling_type.lower()}_pool", [input]) as scope:
        input = convert_to_tensor(input)
        if not dilated:
            return ops[n](input, list(window_shape), strides, padding, data_format=data_format,
                          name=scope)
        paddings, crops = _blocks_pads(input, [int(r) for r in rate])
        blocks = space_to_batch_nd(input, rate.astype(np.int32), paddings)
        out = ops[n](blocks, list(window_shape), strides, "VALID", data_format=data_format)
        return batch_to_space_nd(out, rate.astype(np.int32), crops)
