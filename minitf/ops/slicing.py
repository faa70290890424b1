"""Slicing: `Tensor.__getitem__` (TF's StridedSlice with its masks), `strided_slice` and `slice`.

begin/end/strides are tensor inputs (so an index may be computed); the kernel turns them and the
masks into one NumPy index tuple. The gradients place the slice back into zeros of the input's
shape (StridedSliceGrad, SliceGrad); those are linear in the gradient, so their own gradient is the
slice again (as TF's StridedSliceGrad gradient is).
"""
import builtins

import numpy as np

from minitf.framework import dtypes as _dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op
from minitf.ops._shared import shape_of, shape_value
from minitf.ops.manip_ops import stack

__all__ = ["strided_slice", "slice"]

_py_slice = builtins.slice  # this module's `slice` is TF's op


def _index(begin, end, strides, begin_mask, end_mask, ellipsis_mask, new_axis_mask,
           shrink_axis_mask):
    """The NumPy index tuple a StridedSlice spec stands for."""
    idx = []
    for i, (b, e, s) in enumerate(zip(begin.tolist(), end.tolist(), strides.tolist())):
        bit = 1 << i
        if ellipsis_mask & bit:
            idx.append(Ellipsis)
        elif new_axis_mask & bit:
            idx.append(None)
        elif shrink_axis_mask & bit:
            idx.append(b)
        else:
            idx.append(_py_slice(None if begin_mask & bit else b, None if end_mask & bit else e, s))
    return tuple(idx)


def _sliced_shape(shape, idx):
    """The static shape of `x[idx]` for a static shape with unknown (None) dims."""
    specified = sum(1 for i in idx if i is not None and i is not Ellipsis)
    if shape is None:
        return None
    if specified > len(shape):
        raise ValueError(f"Index out of range using input dim {len(shape)}; input has only "
                         f"{len(shape)} dims for 'StridedSlice'.")
    fill = (_py_slice(None),) * (len(shape) - specified)
    if Ellipsis in idx:
        at = idx.index(Ellipsis)
        idx = idx[:at] + fill + idx[at + 1:]
    else:
        idx = idx + fill
    out, dim = [], 0
    for it in idx:
        if it is None:
            out.append(1)
            continue
        d = shape[dim]
        if isinstance(it, int):
            if d is not None and not -d <= it < d:
                raise ValueError(f"slice index {it} of dimension {dim} out of bounds. for "
                                 "'StridedSlice'.")
        else:
            out.append(None if d is None else len(range(d)[it]))
        dim += 1
    return tuple(out)


def _strided_slice_shape(x, begin, end, strides, **masks):
    values = [constant_value(t) for t in (begin, end, strides)]
    if all(v is not None for v in values):
        return _sliced_shape(x._shape, _index(*values, **masks))
    n = None if begin._shape is None else begin._shape[0]
    if x._shape is None or n is None:
        return None
    # Computed bounds: the masks still fix the rank; a dim an entry slices is unknown unless
    # the entry takes all of it (both masks set, step 1); dims past the entries are kept
    zeros = np.zeros(n, np.int64)
    plain = not masks.get("ellipsis_mask") and not masks.get("new_axis_mask")
    whole = masks.get("begin_mask", 0) & masks.get("end_mask", 0)
    steps = values[2]
    unknown = tuple(d if plain and (k >= n or (whole >> k & 1 and steps is not None
                                                 and steps[k] == 1)) else None
                    for k, d in enumerate(x._shape))
    return _sliced_shape(unknown, _index(zeros, zeros, zeros + 1, **masks))


@register_op("StridedSlice", shape=_strided_slice_shape)
def _strided_slice(x, begin, end, strides, **masks):
    return x[_index(begin, end, strides, **masks)]


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    """Extracts a strided slice of `input_`: `input_[begin[i]:end[i]:strides[i]]` per dimension.

    What `tensor[...]` builds. Bit i of a mask changes how entry i is read: `begin_mask` and
    `end_mask` ignore begin[i] or end[i] (slice from the start, or to the end);
    `ellipsis_mask` makes entry i a `...`; `new_axis_mask` inserts a size-1 dimension there;
    `shrink_axis_mask` takes the single index begin[i] and drops the dimension.

    Args:
      input_: a Tensor (or value) to slice.
      begin, end: lists of ints or 1-D integer tensors, one entry per sliced dimension.
      strides: the steps, which may be negative (default all 1; required when `begin` is a
        tensor).
      begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask: ints used as
        bit masks, as above.
      var: accepted for TF's signature; ignored.
      name: a name for the operation (default "StridedSlice").

    Returns:
      A Tensor of `input_`'s dtype.

    Raises:
      ValueError: more entries than `input_` has dimensions, or a constant index out of
        range for a dimension that `shrink_axis_mask` drops.
    """
    if strides is None:
        strides = [1] * len(begin) if not isinstance(begin, Tensor) else None
    with name_scope(name, "StridedSlice", [input_]) as scope:
        ints = [_int_tensor(v, n) for v, n in ((begin, "begin"), (end, "end"),
                                              (strides, "strides"))]
        return _strided_slice.apply(
            [input_] + ints, name=scope, begin_mask=begin_mask, end_mask=end_mask,
            ellipsis_mask=ellipsis_mask, new_axis_mask=new_axis_mask,
            shrink_axis_mask=shrink_axis_mask)


def _int_tensor(value, name):
    return convert_to_tensor(value, dtype=None if isinstance(value, Tensor) else _dtypes.int32,
                             name=name)


def _getitem(tensor, slice_spec):
    """`tensor[slice_spec]`: ints, slices (with steps), Ellipsis, tf.newaxis, scalar tensors."""
    if not isinstance(slice_spec, tuple):
        slice_spec = (slice_spec,)
    begin, end, strides = [], [], []
    masks = dict(begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0, shrink_axis_mask=0)
    for index, s in enumerate(slice_spec):
        bit = 1 << index
        if isinstance(s, _py_slice):
            for part, values, mask in ((s.start, begin, "begin_mask"), (s.stop, end, "end_mask")):
                values.append(0 if part is None else part)
                masks[mask] |= bit if part is None else 0
            strides.append(1 if s.step is None else s.step)
        elif s is Ellipsis or s is None:
            begin.append(0), end.append(0), strides.append(1)
            masks["ellipsis_mask" if s is Ellipsis else "new_axis_mask"] |= bit
        elif isinstance(s, (int, np.integer, Tensor)) and not isinstance(s, bool):
            begin.append(s), end.append(s + 1), strides.append(1)
            masks["shrink_axis_mask"] |= bit
        else:
            raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) "
                            f"and scalar tf.int32/tf.int64 tensors are valid indices, got {s!r}")
    with name_scope(None, "strided_slice", [tensor]) as scope:
        packed = [_pack(v, n) for v, n in ((begin, "stack"), (end, "stack_1"),
                                           (strides, "stack_2"))]
        return _strided_slice.apply([tensor] + packed, name=scope, **masks)


def _pack(values, name):
    if any(isinstance(v, Tensor) for v in values):
        return stack([_int_tensor(v, name) for v in values], name=name)
    return convert_to_tensor(np.array(values, dtype=np.int32), name=name)


Tensor.__getitem__ = _getitem


def _slice_shape(x, begin, size):
    b, s = constant_value(begin), constant_value(size)
    if x._shape is None or b is None or s is None:
        return None if s is None else tuple(None if d == -1 else int(d) for d in s)
    return tuple(None if d is None and n == -1 else (d - int(a) if n == -1 else int(n))
                 for d, a, n in zip(x._shape, b, s))


@register_op("Slice", shape=_slice_shape)
def _slice(x, begin, size):
    return x[tuple(_py_slice(b, None if n == -1 else b + n) for b, n in zip(begin.tolist(),
                                                                        size.tolist()))]


def slice(input_, begin, size, name=None):
    """Extracts the block of `input_` of shape `size` that starts at index `begin`.

    Args:
      input_: a Tensor (or value) to slice.
      begin: the start index in each dimension: a list of ints or a 1-D integer tensor.
      size: the block's size in each dimension (begin[i] + size[i] <= dimension i); -1
        takes the rest of that dimension.
      name: a name for the operation (default "Slice").

    Returns:
      A Tensor of `input_`'s dtype and shape `size` (with -1 resolved).
    """
    return _slice.apply([input_, _int_tensor(begin, "begin"), _int_tensor(size, "size")],
                        name=name or "Slice")


# -- gradients: the slice's gradient placed back into zeros of the input's shape ------------------
def _like_input(grad, shape, *rest, **masks):
    return shape_value(shape)


@register_op("StridedSliceGrad", shape=_like_input)
def _strided_slice_grad_op(grad, shape, begin, end, strides, **masks):
    out = np.zeros(tuple(shape), dtype=grad.dtype)
    idx = _index(begin, end, strides, **masks)
    out[idx] = grad.reshape(out[idx].shape)
    return out


@_strided_slice.gradient
def _strided_slice_grad(op, grad):
    x, begin, end, strides = op.inputs
    return [_strided_slice_grad_op.apply([grad, shape_of(x), begin, end, strides],
                                         **op._attrs), None, None, None]


@_strided_slice_grad_op.gradient
def _strided_slice_grad_op_grad(op, grad):
    begin, end, strides = op.inputs[2:]
    return [_strided_slice.apply([grad, begin, end, strides], **op._attrs), None, None, None, None]


@register_op("SliceGrad", shape=_like_input)
def _slice_grad_op(grad, shape, begin):
    out = np.zeros(tuple(shape), dtype=grad.dtype)
    out[tuple(_py_slice(b, b + n) for b, n in zip(begin.tolist(), grad.shape))] = grad
    return out


@_slice.gradient
def _slice_grad(op, grad):
    return [_slice_grad_op.apply([grad, shape_of(op.inputs[0]), op.inputs[1]]), None, None]


@_slice_grad_op.gradient
def _slice_grad_op_grad(op, grad):
    sliced, _, begin = op.inputs
    return [_slice.apply([grad, begin, shape_of(sliced)]), None, None]
