"""Variable ops. A variable's value lives in the running Session's state dict, keyed by the op that
holds it (VariableV2, or VarHandleOp for resource variables), so two sessions on one graph hold
independent values.

Ref ops (Assign, AssignAdd, AssignSub) take the variable by reference: their input 0 is not
evaluated, the kernel writes the value into the state. Stored values are read-only arrays, so a
read can hand out the stored array itself and the Session copies it only when it is fetched.

Sparse updates (the scatters, the optimizers' sparse updates, CountUpTo) change the stored
array in place, so a step costs O(rows touched), by one rule, TF's own for resource variables
(copy-on-write when the buffer is shared): `writable` hands the stored array itself to the
update only when nothing else references it (sys.getrefcount: the state dict's reference and
the update's own) and one thread runs; otherwise it hands a private copy, stored in its place.
Everything that sees a value holds a reference to its array, so each promise keeps:
  - a fetched value is a copy (plan.py `_owned`): the caller's own, it never changes later;
  - a resource read still alive (a plan keeps a local only up to its last use; an eager
    tensor; a view) holds the array, so a later update copies and the read keeps its value;
  - a ref variable is read where each consumer runs (`read_at_use`), as TF's aliasing reads;
  - a step still runs between interrupts.hold/release (all or nothing under Ctrl-C); an
    update checks its indices before it writes, so a failed one changes nothing;
  - another thread could read a half-written array (NumPy may release the GIL): with more
    than one thread alive an update copies; Saver and restore see whole arrays.

Updates that read a variable and write it back (AssignAdd, AssignSub and the optimizers' updates
with `use_locking=True`) hold the variable's lock (`variable_lock`) from the read to the write, so
two threads updating one variable never lose either update.
"""
import functools
import sys
import threading

import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.registry import register_op


def _uninitialized(op, var_op):
    return errors.FailedPreconditionError(
        None, op, f"Attempting to use uninitialized value {var_op.name}\n\t "
        f"[[{{{{node {op.name}}}}}]]")


def _read_error(op, exc):
    # a fast read is `state[holder]`: its KeyError means the variable has no value yet
    return _uninitialized(op, exc.args[0]) if isinstance(exc, KeyError) else None


def _stored(value, np_dtype):
    value = np.array(value, dtype=np_dtype)  # a private copy
    value.setflags(write=False)
    return value


def _refs(state, holder):
    value = state.get(holder)
    return sys.getrefcount(value)


_SOLE = _refs({0: np.empty(1)}, 0)  # an array only its state entry holds, counted as writable does


def writable(state, holder, op):
    """The value of the variable held by `holder`, to update in place and pass to `store`: the
    stored array itself if nothing but the state holds it, else a private copy (see above).

    Raises:
      FailedPreconditionError: the variable is uninitialized.
    """
    value = state.get(holder)
    if value is None:
        raise _uninitialized(op, holder)
    if (sys.getrefcount(value) <= _SOLE and value.base is None and value.ndim
            and threading.active_count() == 1):
        value.setflags(write=True)
        return value
    return value.copy()


def store(state, holder, value):
    """Stores `value` (from `writable`, updated) read-only as the variable's value."""
    value.setflags(write=False)
    state[holder] = value
    return value


_LOCKS = object()  # the state entry {holder op: Lock} of the variables' locks


def variable_lock(state, holder):
    """The lock of the variable whose value is `state[holder]` in one session (made when first
    asked for; dict.setdefault keeps it one lock when two threads ask at once)."""
    locks = state.get(_LOCKS)
    if locks is None:
        locks = state.setdefault(_LOCKS, {})
    lock = locks.get(holder)
    return lock if lock is not None else locks.setdefault(holder, threading.Lock())


# -- reference variables ---------------------------------------------------------------------------
@register_op("VariableV2", shape=lambda *, shape, dtype: shape,
             dtype=lambda *, shape, dtype: dtype._as_ref, stateful=True, differentiable=False,
             read_at_use=True, kernel_error=_read_error)
def _variable_v2(state, op, *, shape, dtype):
    value = state.get(op)
    if value is None:
        raise _uninitialized(op, op)
    return value


@_variable_v2.specialize
def _variable_v2_fast(op, state):
    # a C-level read; its KeyError becomes _uninitialized (_read_error)
    return functools.partial(state.__getitem__, op)


def _ref_shape(ref, value, **attrs):
    return ref._shape


def _ref_dtype(ref, value, **attrs):
    return ref.dtype


def _assign_value(op, ref_op, value, validate_shape):
    shape = ref_op._attrs["shape"]
    if validate_shape and shape is not None and (len(shape) != value.ndim or any(
            d is not None and d != v for d, v in zip(shape, value.shape))):
        raise errors.InvalidArgumentError(
            None, op, f"Assign requires shapes of both tensors to match. lhs shape= "
            f"{list(shape)} rhs shape= {list(value.shape)}")
    return _stored(value, ref_op._attrs["dtype"].as_numpy_dtype)


def _assign_shape(ref, value, *, validate_shape=True, use_locking=True):
    a, b = ref._shape, value._shape
    if validate_shape and a is not None and b is not None and (len(a) != len(b) or any(
            x is not None and y is not None and x != y for x, y in zip(a, b))):
        raise ValueError(f"Shapes {_fmt(a)} and {_fmt(b)} are incompatible for 'Assign' to "
                         f"{ref.op.name}")
    return a if validate_shape else b


def _fmt(shape):
    return "(" + ", ".join("?" if d is None else str(d) for d in shape) + ")"


@register_op("Assign", shape=_assign_shape, dtype=_ref_dtype, stateful=True, ref_inputs=(0,),
             differentiable=False)
def _assign(state, op, ref, value, *, validate_shape=True, use_locking=True):
    ref_op = op._inputs[0]._op
    state[ref_op] = stored = _assign_value(op, ref_op, value, validate_shape)
    return stored


def _update(kind):
    def kernel(state, op, ref, value, *, use_locking=False):
        ref_op = op._inputs[0]._op
        with variable_lock(state, ref_op):  # atomic, as a counter must be: always locked
            old = state.get(ref_op)
            if old is None:
                raise _uninitialized(op, ref_op)
            state[ref_op] = new = _stored(old + value if kind == "add" else old - value,
                                          old.dtype)
        return new
    return kernel


_assign_add = register_op("AssignAdd", shape=_ref_shape, dtype=_ref_dtype, stateful=True,
                          ref_inputs=(0,), differentiable=False)(_update("add"))
_assign_sub = register_op("AssignSub", shape=_ref_shape, dtype=_ref_dtype, stateful=True,
                          ref_inputs=(0,), differentiable=False)(_update("sub"))


@register_op("IsVariableInitialized", shape=lambda ref: (), dtype=lambda ref: dtypes.bool,
             stateful=True, ref_inputs=(0,), differentiable=False)
def _is_initialized(state, op, ref):
    return np.bool_(op._inputs[0]._op in state)


@register_op("ReportUninitialized", shape=lambda *, holders, names: (None,),
             dtype=lambda *, holders, names: dtypes.string, stateful=True, differentiable=False)
def _report_uninitialized(state, op, *, holders, names):
    # `holders` are the ops whose state entries hold the variables' values
    return np.array([n.encode() for h, n in zip(holders, names) if h not in state], dtype=object)


# -- resource variables ----------------------------------------------------------------------------
@register_op("VarHandleOp", shape=lambda *, shape, dtype: (),
             dtype=lambda *, shape, dtype: dtypes.resource, stateful=True, differentiable=False)
def _var_handle(state, op, *, shape, dtype):
    return op  # the handle is the op itself: it keys the value in the state dict


@register_op("ReadVariableOp", shape=lambda handle, *, shape, dtype: shape,
             dtype=lambda handle, *, shape, dtype: dtype, stateful=True, kernel_error=_read_error,
             sparse_grads=True)
def _read_variable(state, op, handle, *, shape, dtype):
    value = state.get(handle)
    if value is None:
        raise _uninitialized(op, handle)
    return value


@_read_variable.specialize
def _read_variable_fast(op, state):
    return state.__getitem__  # called with the handle; a KeyError becomes _uninitialized


@_read_variable.gradient
def _read_variable_grad(op, grad):
    return [grad]  # to the handle (an IndexedSlices as it is): a resource variable's gradient


@register_op("AssignVariableOp", shape=None, outputs=0, stateful=True, differentiable=False)
def _assign_variable(state, op, handle, value, *, validate_shape=True):
    state[handle] = _assign_value(op, handle, value, validate_shape)


def _resource_update(kind):
    def kernel(state, op, handle, value):
        with variable_lock(state, handle):
            old = state.get(handle)
            if old is None:
                raise _uninitialized(op, handle)
            state[handle] = _stored(old + value if kind == "add" else old - value, old.dtype)
    return kernel


_assign_add_variable = register_op("AssignAddVariableOp", shape=None, outputs=0, stateful=True,
                                   differentiable=False)(_resource_update("add"))
_assign_sub_variable = register_op("AssignSubVariableOp", shape=None, outputs=0, stateful=True,
                                   differentiable=False)(_resource_update("sub"))


@register_op("VarIsInitializedOp", shape=lambda handle: (), dtype=lambda handle: dtypes.bool,
             stateful=True, differentiable=False)
def _var_is_initialized(state, op, handle):
    return np.bool_(handle in state)
