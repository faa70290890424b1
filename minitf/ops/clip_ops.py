"""Clipping by norm, as TF's clip_ops builds it: global_norm, clip_by_norm, clip_by_global_norm
and clip_by_average_norm (clip_by_value is in math_ops).

They register no op types: each is a small graph of primitives under TF's name scope, so their
gradients are the primitives' and their output names are TF's. IndexedSlices are clipped by their
values and stay IndexedSlices, as in TF.
"""
from collections.abc import Sequence

from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant, convert_to_tensor
from minitf.framework.indexed_slices import IndexedSlices
from minitf.ops._shared import identity, ones_like
from minitf.ops.array_ops import size
from minitf.ops.manip_ops import stack, where
from minitf.ops.math_ops import cast, greater, maximum, minimum, rsqrt, sqrt
from minitf.ops.nn_ops import l2_loss
from minitf.ops.reduction_ops import reduce_sum

__all__ = ["global_norm", "clip_by_norm", "clip_by_global_norm", "clip_by_average_norm"]


def _values(t, name):
    """The dense values of `t` (an IndexedSlices' values) as a Tensor."""
    return convert_to_tensor(t.values if isinstance(t, IndexedSlices) else t, name=name)


def _like(t, clipped):
    """`clipped` in `t`'s form: IndexedSlices with t's indices when t is one."""
    if isinstance(t, IndexedSlices):
        return IndexedSlices(clipped, t.indices, t.dense_shape)
    return clipped


def _tensor_list(t_list):
    if not isinstance(t_list, Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    return list(t_list)


def global_norm(t_list, name=None):
    """Computes the global norm of several tensors: sqrt(sum(l2norm(t) ** 2 for t in t_list)).

    None entries are ignored.

    Args:
      t_list: a sequence of Tensors, IndexedSlices or None.
      name: a name for the operation (default "global_norm").

    Returns:
      A scalar Tensor of the tensors' dtype.

    Raises:
      TypeError: `t_list` is not a sequence.
    """
    t_list = _tensor_list(t_list)
    with name_scope(name, "global_norm", [t for t in t_list if t is not None]):
        values = [_values(t, f"t_{i}") for i, t in enumerate(t_list) if t is not None]
        half_squared = reduce_sum(stack([l2_loss(v) for v in values]))
        two = constant(2.0, dtype=half_squared.dtype)
        return sqrt(half_squared * two, name="global_norm")


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """Clips `t` to an L2 norm of at most `clip_norm`: t * clip_norm / max(l2norm(t), clip_norm).

    Args:
      t: a Tensor or IndexedSlices of a float type.
      clip_norm: a positive scalar, the largest norm kept.
      axes: the dimensions to take the norm over (None: all), each slice clipped alone.
      name: a name for the operation (default "clip_by_norm").

    Returns:
      The clipped Tensor (or IndexedSlices), of t's shape and dtype.

    Raises:
      ValueError: an axis is out of range.
    """
    with name_scope(name, "clip_by_norm", [t, clip_norm]) as scope:
        values = _values(t, "t")
        l2sum = reduce_sum(values * values, axes, keepdims=True)
        positive = greater(l2sum, 0)
        safe = where(positive, l2sum, ones_like(l2sum))  # sqrt's gradient is finite at 0
        l2norm = where(positive, sqrt(safe), l2sum)
        clipped = identity(values * clip_norm / maximum(l2norm, clip_norm), name=scope)
        return _like(t, clipped)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scales the tensors of `t_list` by clip_norm / max(global_norm, clip_norm).

    A non-finite global norm makes every clipped value NaN, as in TF.

    Args:
      t_list: a sequence of Tensors, IndexedSlices or None.
      clip_norm: a positive scalar, the largest global norm kept.
      use_norm: the global norm to use (default: global_norm(t_list)).
      name: a name for the operation (default "clip_by_global_norm").

    Returns:
      (list_clipped, global_norm): the clipped tensors (None where t_list has None) and the
      global norm.

    Raises:
      TypeError: `t_list` is not a sequence.
    """
    t_list = _tensor_list(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list, name)
    present = [t for t in t_list if t is not None]
    with name_scope(name, "clip_by_global_norm", present + [clip_norm]) as scope:
        one = constant(1.0, dtype=use_norm.dtype)
        scale = clip_norm * minimum(1.0 / use_norm, one / clip_norm)
        scale = scale + (use_norm - use_norm)  # NaN or inf norms give NaN
        clipped = [None if t is None else _like(t, identity(_values(t, f"t_{i}") * scale,
                                                            name=f"{scope}_{i}"))
                   for i, t in enumerate(t_list)]
        return clipped, use_norm


def clip_by_average_norm(t, clip_norm, name=None):
    """Clips `t` to an average L2 norm (l2norm / number of elements) of at most `clip_norm`.

    Args:
      t: a Tensor of a float type.
      clip_norm: a positive scalar, the largest average norm kept.
      name: a name for the operation (default "clip_by_average_norm").

    Returns:
      The clipped Tensor, of t's shape and dtype.
    """
    with name_scope(name, "clip_by_average_norm", [t, clip_norm]) as scope:
        t = convert_to_tensor(t, name="t")
        n_element = cast(size(t), t.dtype)
        inv_norm = rsqrt(reduce_sum(t * t))
        one = constant(1.0, dtype=t.dtype)
        return identity(t * clip_norm * minimum(inv_norm * n_element, one / clip_norm),
                        name=scope)
