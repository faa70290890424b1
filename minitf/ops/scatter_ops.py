"""Sparse updates of variables: the scatters (ScatterUpdate, ScatterAdd, ... ScatterMax), the
n-dimensional ones (ScatterNdUpdate, ScatterNdAdd, ScatterNdSub) and CountUpTo, each registered
twice as TF names them: `ScatterAdd` takes a reference variable (input 0 is a ref, not
evaluated) and returns it; `ResourceScatterAdd` takes a resource handle and has no output.

Each update holds the variable's lock, checks every index first (a bad one raises TF's
InvalidArgumentError and changes nothing), then writes the rows in place: it costs O(rows
touched), never a copy of the variable, unless a read of the value is still alive (the rule of
`state_ops.writable`). Duplicate indices accumulate (add, sub, mul, div, min, max); for an
update, one of them wins, as in TF.
"""
import numpy as np

from minitf.framework import errors
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op
from minitf.ops.elementwise_ops import _truncate_div
from minitf.ops.manip_ops import concat, expand_dims
from minitf.ops.state_ops import _uninitialized, store, variable_lock, writable

__all__ = ["scatter_update", "scatter_add", "scatter_sub", "scatter_mul", "scatter_div",
           "scatter_min", "scatter_max", "scatter_nd_update", "scatter_nd_add", "scatter_nd_sub",
           "batch_scatter_update", "count_up_to"]


def _assign_rows(var, where, updates):
    var[where] = updates


def _divide_rows(var, where, updates):
    if var.dtype.kind in "fc":
        np.divide.at(var, where, updates)
        return
    # integers: C's division (the quotient rounded toward zero), as TF's kernel; an index given
    # k times is divided k times in turn: round k divides by the k-th update of each index
    order = np.argsort(where, kind="stable")
    ranked = where[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    occurrence = np.arange(ranked.size) - np.repeat(starts, np.diff(np.r_[starts, ranked.size]))
    for k in range(occurrence.max() + 1 if occurrence.size else 0):
        picked = order[occurrence == k]
        rows = where[picked]
        var[rows] = _truncate_div(var[rows], updates[picked])


_WRITE = {"Update": _assign_rows, "Add": np.add.at, "Sub": np.subtract.at,
          "Mul": np.multiply.at, "Div": _divide_rows, "Min": np.minimum.at,
          "Max": np.maximum.at}


def _node(op):
    return f"\n\t [[{{{{node {op.name}}}}}]]"


def _fmt(shape):
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def _rows(op, var, indices, updates):
    """(the index of each update along axis 0, the updates broadcast to them), checked."""
    indices, updates = np.asarray(indices), np.asarray(updates, var.dtype)
    if updates.ndim and updates.shape != indices.shape + var.shape[1:]:
        raise errors.InvalidArgumentError(
            None, op, f"Must have updates.shape = indices.shape + params.shape[1:] or "
            f"updates.shape = [], got updates.shape {_fmt(updates.shape)}, indices.shape "
            f"{_fmt(indices.shape)}, params.shape {_fmt(var.shape)}{_node(op)}")
    flat = indices.reshape(-1)
    bad = np.flatnonzero((flat < 0) | (flat >= var.shape[0]))
    if bad.size:
        raise errors.InvalidArgumentError(
            None, op,
            f"indices[{bad[0]}] = {flat[bad[0]]} is not in [0, {var.shape[0]}){_node(op)}")
    return flat, np.broadcast_to(updates, indices.shape + var.shape[1:]).reshape(
        flat.shape + var.shape[1:])


def _nd_rows(op, var, indices, updates):
    """(the index tuple of each update, the updates, one per index), checked."""
    indices, updates = np.asarray(indices), np.asarray(updates, var.dtype)
    k = indices.shape[-1]
    flat = indices.reshape(-1, k)
    if k > var.ndim or updates.shape != indices.shape[:-1] + var.shape[k:]:
        raise errors.InvalidArgumentError(
            None, op, f"Dimensions [0,{indices.ndim - 1}) of indices[shape="
            f"{_fmt(indices.shape)}] = {indices.ndim - 1} must match dimensions [0,"
            f"{updates.ndim - var.ndim + k}) of updates[shape={_fmt(updates.shape)}]{_node(op)}")
    bad = np.flatnonzero(((flat < 0) | (flat >= var.shape[:k])).any(axis=1))
    if bad.size:
        raise errors.InvalidArgumentError(
            None, op, f"indices[{bad[0]}] = {_fmt(flat[bad[0]]).replace(',', ', ')} does "
            f"not index into shape {_fmt(var.shape)}{_node(op)}")
    return tuple(flat.T), updates.reshape(flat.shape[:1] + var.shape[k:])


def _value(state, holder, op):
    value = state.get(holder)
    if value is None:
        raise _uninitialized(op, holder)
    return value


def _kernel(kind, where, returns):
    write = _WRITE[kind]

    def kernel(state, op, ref, indices, updates, **attrs):
        t = op._inputs[0]
        holder = t._op or t._value  # (an eager handle's value is the op holding the variable)
        with variable_lock(state, holder):
            # (no reference to the value outlives the check: `writable` would count it)
            at, values = where(op, _value(state, holder, op), indices, updates)
            var = writable(state, holder, op)
            write(var, at, values)
            store(state, holder, var)
        return var if returns else None
    return kernel


def _ref_shape(ref, indices, updates, **attrs):
    return ref._shape


def _register(kind, nd=False):
    """Registers (Scatter[Nd]<kind>, ResourceScatter[Nd]<kind>)."""
    type, where = ("ScatterNd" if nd else "Scatter") + kind, _nd_rows if nd else _rows
    ref = register_op(type, shape=_ref_shape, dtype=lambda ref, *inputs, **attrs: ref.dtype,
                      stateful=True, ref_inputs=(0,), differentiable=False)(
        _kernel(kind, where, True))
    resource = register_op("Resource" + type, shape=None, outputs=0, stateful=True,
                           differentiable=False)(_kernel(kind, where, False))
    return ref, resource


SCATTERS = {kind: _register(kind) for kind in _WRITE}
SCATTERS_ND = {kind: _register(kind, nd=True) for kind in ("Update", "Add", "Sub")}


# -- CountUpTo -------------------------------------------------------------------------------------
def _count_up_to_kernel(state, op, ref, *, limit):
    t = op._inputs[0]
    holder = t._op or t._value
    with variable_lock(state, holder):
        old = _value(state, holder, op)
        if old >= limit:
            raise errors.OutOfRangeError(None, op, f"Reached limit of {limit}{_node(op)}")
        store(state, holder, np.array(old + 1, old.dtype))
    return old


_count_up_to = register_op("CountUpTo", shape=lambda ref, *, limit: (),
                           dtype=lambda ref, *, limit: ref.dtype.base_dtype, stateful=True,
                           ref_inputs=(0,), differentiable=False)(_count_up_to_kernel)
_resource_count_up_to = register_op(
    "ResourceCountUpTo", shape=lambda ref, *, limit, T: (), dtype=lambda ref, *, limit, T: T,
    stateful=True, differentiable=False)(
    lambda state, op, ref, *, limit, T: _count_up_to_kernel(state, op, ref, limit=limit))


# -- the public functions --------------------------------------------------------------------------
def _resource(ref):
    return getattr(ref, "handle", None) is not None and not isinstance(ref, Tensor)


def _shape(x):
    return x._shape if isinstance(x, Tensor) else np.shape(x)


def _check_shapes(type, ref_shape, indices, updates):
    """TF's static check of a (not n-dimensional) scatter: ValueError if the known dimensions
    of `updates` are not those of `indices.shape + ref.shape[1:]` (or a scalar)."""
    a, b = _shape(updates), _shape(indices)
    if a is None or not a or b is None or ref_shape is None:
        return
    want = b + tuple(ref_shape[1:])
    bad = [i for i, (x, y) in enumerate(zip(a, want)) if None not in (x, y) and x != y]
    if len(a) != len(want) or bad:
        what = (f"Dimension {bad[0]} in both shapes must be equal, but are {a[bad[0]]} and "
                f"{want[bad[0]]}" if bad else f"Shapes must be equal rank, but are {len(a)} "
                f"and {len(want)}")
        raise ValueError(f"{what}. Shapes are {_fmt(a)} and {_fmt(want)}. for '{type}' (op: "
                         f"'{type}') with input shapes: {_fmt(ref_shape)}, {_fmt(b)}, "
                         f"{_fmt(a)}.")


def _apply(pair, ref, indices, updates, use_locking, name):
    ref_op, resource_op = pair
    if _resource(ref):
        updates = convert_to_tensor(updates, dtype=ref.dtype)
        if "Nd" not in resource_op.type:
            _check_shapes(resource_op.type, ref._shape, indices, updates)
        op = resource_op.apply([ref.handle, indices, updates], name=name or resource_op.type)
        with ref._graph.control_dependencies([op]):
            return ref.read_value()
    target = ref if isinstance(ref, Tensor) else ref._ref()
    if not isinstance(updates, Tensor):  # (a Const named `updates` in the op's scope)
        updates = np.asarray(updates, target.dtype.base_dtype.as_numpy_dtype)
    if "Nd" not in ref_op.type:
        _check_shapes(ref_op.type, target._shape, indices, updates)
    return ref_op.apply([target, indices, updates], name=name or ref_op.type,
                        use_locking=use_locking)


def _public(kind, nd, locking, what):
    pair = (SCATTERS_ND if nd else SCATTERS)[kind]

    def scatter(ref, indices, updates, use_locking=locking, name=None):
        return _apply(pair, ref, indices, updates, use_locking, name)
    scatter.__name__ = scatter.__qualname__ = f"scatter_{'nd_' if nd else ''}{kind.lower()}"
    scatter.__doc__ = f"""{what}

    Args:
      ref: a Variable (reference or resource) or a reference Tensor.
      indices: an int32/int64 Tensor of {"index tuples into `ref` (its last dimension)" if nd
                                         else "indices into the first dimension of `ref`"}.
      updates: the values, of shape {"indices.shape[:-1] + ref.shape[indices.shape[-1]:]" if nd
                                     else "indices.shape + ref.shape[1:]"}{
                                         "" if nd else ", or a scalar"}.
      use_locking: accepted for TF's signature: the update always holds the variable's lock.
      name: the op's name (default "{pair[0].type}", or "{pair[1].type}").

    Returns:
      `ref` after the update when run: the reference Tensor, or a read of the resource.

    Raises:
      InvalidArgumentError: when run, an index is out of range or the shapes do not match.
    """
    return scatter


scatter_update = _public("Update", False, True, "Sets rows of `ref`: `ref[indices] = updates`.")
scatter_add = _public("Add", False, False, "Adds to rows of `ref`: `ref[indices] += updates`.")
scatter_sub = _public("Sub", False, False,
                      "Subtracts from rows of `ref`: `ref[indices] -= updates`.")
scatter_mul = _public("Mul", False, False, "Multiplies rows of `ref`: `ref[indices] *= updates`.")
scatter_div = _public("Div", False, False, "Divides rows of `ref`: `ref[indices] /= updates`.")
scatter_min = _public("Min", False, False,
                      "Takes the minimum: `ref[indices] = min(ref[indices], updates)`.")
scatter_max = _public("Max", False, False,
                      "Takes the maximum: `ref[indices] = max(ref[indices], updates)`.")
scatter_nd_update = _public("Update", True, True,
                            "Sets elements or slices of `ref` at n-dimensional indices.")
scatter_nd_add = _public("Add", True, False,
                         "Adds to elements or slices of `ref` at n-dimensional indices.")
scatter_nd_sub = _public("Sub", True, False,
                         "Subtracts from elements or slices of `ref` at n-dimensional indices.")


def batch_scatter_update(ref, indices, updates, use_locking=True, name=None):
    """Sets, in each batch of `ref`, the rows its indices name (a ScatterNdUpdate).

    For indices of shape [B..., K]: `ref[b..., indices[b..., k]] = updates[b..., k]`.

    Args:
      ref: a Variable of shape [B..., N, ...].
      indices: an int32/int64 Tensor of shape [B..., K], its shape known.
      updates: the values, of shape [B..., K, ...].
      use_locking: accepted for TF's signature: the update always holds the variable's lock.
      name: a name scope for the index ops.

    Returns:
      `ref` after the update when run.

    Raises:
      ValueError: the shape of `indices` is not known.
    """
    with name_scope(name):
        indices = convert_to_tensor(indices, name="indices")
        shape = indices._shape
        if not shape or None in shape:
            raise ValueError(f"batch_scatter_update needs the shape of indices {indices.name} "
                             f"known; it is {indices.shape}.")
        batch = np.moveaxis(np.indices(shape)[:-1], 0, -1)  # [B..., K, b]: each one's batch
        batch = batch.astype(indices.dtype.as_numpy_dtype)
        final = concat([batch, expand_dims(indices, -1)], -1)
    return scatter_nd_update(ref, final, updates, use_locking=use_locking)


def count_up_to(ref, limit, name=None):
    """Increments the scalar integer variable `ref` until it reaches `limit`.

    Args:
      ref: a scalar int32/int64 Variable.
      limit: the value at which the count stops.
      name: the op's name (default "CountUpTo", or "ResourceCountUpTo").

    Returns:
      A Tensor holding the value before the increment, when run.

    Raises:
      OutOfRangeError: when run, the value is already `limit` or more.
    """
    if _resource(ref):
        return _resource_count_up_to.apply([ref.handle], name=name or "ResourceCountUpTo",
                                           limit=limit, T=ref.dtype)
    target = ref if isinstance(ref, Tensor) else ref._ref()
    return _count_up_to.apply([target], name=name or "CountUpTo", limit=limit)
