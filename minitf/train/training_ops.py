"""The optimizers' update kernels: each reads the variables it updates (a variable and its slots)
from the Session's state, computes in NumPy and writes them back. With the compiled kernels the
dense SGD, Momentum and Adam updates run in place instead, one fused pass over the variable's
own array when nothing else holds it (`state_ops.writable`), bit for bit the NumPy update's
values (`_fused_kernel`).

Each update is registered twice, as TF names them: `ApplyAdam` takes reference variables (its
first inputs are refs, not evaluated) and returns the updated variable; `ResourceApplyAdam`
takes resource handles and has no output. The sparse updates take (values, indices) with
duplicate indices summed, as TF's dense equivalent would; SparseApplyMomentum writes its rows
in place (O(rows touched), by the rule of `state_ops.writable`), and SparseApplyAdam its arrays
(TF1's sparse Adam moves every row, but minitf's copies none). (The scatters the optimizers
use, ScatterAdd and ScatterSub, are in ops/scatter_ops.py.) With `use_locking=True` an update
holds its variables' locks from their read to their write (TF's semantics: concurrent steps
never lose an update); without, concurrent updates of one variable may race, as in TF.
"""
import numpy as np

from minitf._kernels import _BACKEND, fused as _kernels_fused
from minitf.framework.registry import register_op
from minitf.ops.state_ops import _uninitialized, store, variable_lock, writable

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _frozen(value, dtype):
    """An update's result (always a new array) stored as it is: read-only, the variable's dtype."""
    value = np.asarray(value, dtype)
    value.setflags(write=False)
    return value


def _training_op(type, n_vars, update, in_place=False, fused=None):
    """Registers `type` (ref variables) and `"Resource" + type` (handles) for
    `update(*variable values, *other inputs, **attrs) -> new variable values`; or, `in_place`,
    for `update(*writable variable values, ...)` writing the rows it changes (O(rows)).
    `fused(*writable variable values, *other inputs, **attrs)`, if given, does a dense update in
    place in one pass (a fused kernel), used where its conditions hold (see `_fused_kernel`)."""
    if in_place:
        update = _in_place(update)
    update.fused = fused

    def kernel(returns):
        # Session plans bind the specialized kernel (_bound); this is for any other caller
        return lambda state, op, *inputs, **attrs: _bound(op, state, n_vars, update,
                                                          returns)(*inputs)

    ref = register_op(type, shape=lambda *inputs, **attrs: inputs[0]._shape,
                      dtype=lambda *inputs, **attrs: inputs[0].dtype, stateful=True,
                      ref_inputs=tuple(range(n_vars)), differentiable=False)(kernel(True))
    resource = register_op("Resource" + type, shape=None, outputs=0, stateful=True,
                           differentiable=False)(kernel(False))
    ref.specialize(lambda op, state: _bound(op, state, n_vars, update, True))
    resource.specialize(lambda op, state: _bound(op, state, n_vars, update, False))
    return ref, resource


def _in_place(update):
    """`update` of the variables' values in place, as `_bound` calls an update: with the
    (state, op, holders) it needs to ask `writable` for the values."""
    def kernel(state, op, holders, *inputs, **attrs):
        values = []
        try:
            values.extend(writable(state, h, op) for h in holders)
            update(*values, *inputs, **attrs)  # (it checks its indices before any write)
        finally:
            for h, value in zip(holders, values):
                store(state, h, value)
        return values[0]
    kernel.in_place = True
    return kernel


def _bound(op, state, n_vars, update, returns):
    """The kernel of one update op, its variables' state keys looked up once, here. A
    one-variable update (SGD, scatters: the hottest) skips the loops."""
    # a graph input's op holds the variable; an eager handle's value is that op
    holders = [t._op or t._value for t in op._inputs[:n_vars]]
    attrs = op._attrs

    def read(holder):
        try:
            return state[holder]
        except KeyError:
            raise _uninitialized(op, holder) from None

    if getattr(update, "fused", None) is not None and _BACKEND == "cython":
        kernel = _fused_kernel(op, state, holders, update, returns)
    elif getattr(update, "in_place", False):
        def kernel(*inputs):
            new = update(state, op, holders, *inputs[n_vars:], **attrs)
            return new if returns else None
    elif n_vars == 1:
        holder = holders[0]

        def kernel(*inputs):
            var = read(holder)
            state[holder] = new = _frozen(update(var, *inputs[1:], **attrs)[0], var.dtype)
            return new if returns else None
    else:
        def kernel(*inputs):
            old = [read(h) for h in holders]
            new = update(*old, *inputs[n_vars:], **attrs)
            for h, before, after in zip(holders, old, new):
                state[h] = _frozen(after, before.dtype)
            return state[holders[0]] if returns else None
    if attrs.get("use_locking"):
        # every update takes its locks in one order (op id): two updates never deadlock
        ordered = sorted(holders, key=lambda h: (h._id, id(h)))  # (eager ops: all id 0)
        return _locked(kernel, [variable_lock(state, h) for h in ordered])
    return kernel


def _fused_kernel(op, state, holders, update, returns):
    """A dense update done in place by a fused kernel: the variables' own arrays are updated
    when nothing else holds them (`writable`), with no temporaries. The kernel refuses (before
    any write) what it does not take (a dtype other than float32/64, a gradient not contiguous
    or of another shape): then this op does the update as it was, from then on."""
    n, attrs, fused, first = len(holders), op._attrs, update.fused, holders[0]

    def unfused(*inputs):
        old = [_read(state, op, h) for h in holders]
        new = update(*old, *inputs[n:], **attrs)
        for h, before, after in zip(holders, old, new):
            state[h] = _frozen(after, before.dtype)
        return state[first] if returns else None

    call = fused(None, **attrs)
    if call is False:  # (attrs the kernel has no form for: Nesterov's Adam)
        return unfused
    plain = []

    def refused(values, exc, inputs):
        for h, value in zip(holders, values):  # (unchanged: refused before any write)
            store(state, h, value)
        if len(values) < n or not isinstance(exc, (ValueError, TypeError)):
            raise exc  # (an uninitialized variable: writable's error)
        plain.append(True)
        return unfused(*inputs)

    if n == 1:  # SGD, the hottest: no lists
        def kernel(*inputs):
            if plain:
                return unfused(*inputs)
            value = writable(state, first, op)
            try:
                call(value, *inputs[1:])
            except BaseException as exc:
                return refused([value], exc, inputs)
            value.setflags(write=False)
            state[first] = value
            return value if returns else None
        return kernel

    def kernel(*inputs):
        if plain:
            return unfused(*inputs)
        values = []
        try:
            for h in holders:
                values.append(writable(state, h, op))
            call(*values, *inputs[n:])
        except BaseException as exc:
            return refused(values, exc, inputs)
        for h, value in zip(holders, values):
            store(state, h, value)
        return values[0] if returns else None
    return kernel


def _read(state, op, holder):
    try:
        return state[holder]
    except KeyError:
        raise _uninitialized(op, holder) from None


def _locked(kernel, locks):
    def locked(*inputs):
        for lock in locks:
            lock.acquire()
        try:
            return kernel(*inputs)
        finally:
            for lock in reversed(locks):
                lock.release()
    return locked


def _summed(values, indices, rows):
    """Unique indices and the sum of the values at each."""
    unique, where = np.unique(indices.reshape(-1), return_inverse=True)
    summed = np.zeros((unique.size,) + values.shape[indices.ndim:], values.dtype)
    np.add.at(summed, where, values.reshape((where.size,) + summed.shape[1:]))
    if unique.size and (unique[0] < 0 or unique[-1] >= rows):
        bad = unique[0] if unique[0] < 0 else unique[-1]
        raise ValueError(f"indices {bad} is not in [0, {rows})")
    return unique, summed


def _gradient_descent(var, alpha, delta, use_locking=False):
    step = np.multiply(alpha, delta, dtype=var.dtype)
    if step.__class__ is not np.ndarray:  # a scalar variable
        return [var - step]
    return [np.subtract(var, step, out=step)]  # one new array, not two


def _momentum(var, accum, lr, grad, momentum, use_locking=False, use_nesterov=False):
    accum = accum * momentum + grad
    step = lr * grad + lr * momentum * accum if use_nesterov else lr * accum
    return [var - step, accum]


# the fused in-place updates: fused(None, **attrs) -> call(*writable variable values, *other
# inputs), or False when the attrs ask for what the kernel has no form of
def _fused_sgd(_, use_locking=False):
    return _kernels_fused.sgd  # (var, alpha, delta)


def _fused_momentum(_, use_locking=False, use_nesterov=False):
    sgd_momentum = _kernels_fused.momentum
    return lambda var, accum, lr, grad, momentum: sgd_momentum(var, accum, lr, grad, momentum,
                                                               use_nesterov)


def _fused_adam(_, use_locking=False, use_nesterov=False):
    if use_nesterov:
        return False
    adam = _kernels_fused.adam
    return (lambda var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad:
            adam(var, m, v, lr, beta1, beta2, epsilon, beta1_power, beta2_power, grad))


def _sparse_momentum(var, accum, lr, values, indices, momentum, use_locking=False,
                     use_nesterov=False):
    rows, grad = _summed(values, indices, var.shape[0])  # (checked before any write)
    var[rows], accum[rows] = _momentum(var[rows], accum[rows], lr, grad, momentum,
                                       use_nesterov=use_nesterov)


def _adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad,
          use_locking=False, use_nesterov=False):
    lr_t = lr * np.sqrt(1 - beta2_power) / (1 - beta1_power)
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    direction = beta1 * m + (1 - beta1) * grad if use_nesterov else m
    return [var - lr_t * direction / (np.sqrt(v) + epsilon), m, v]


def _sparse_adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, values,
                 indices, use_locking=False):
    # TF1's sparse Adam decays all of m and v and moves every row (the dense update with zeros
    # where no index points), so its arithmetic is O(rows); but it writes the arrays in place,
    # adding its gradient to the indexed rows only, with no dense gradient and no copies (the
    # same operations, in the same order, as _adam's: the same values)
    rows, summed = _summed(values, indices, var.shape[0])  # (checked before any write)
    lr_t = lr * np.sqrt(1 - beta2_power) / (1 - beta1_power)
    np.multiply(m, beta1, out=m)
    m[rows] += (1 - beta1) * summed
    np.multiply(v, beta2, out=v)
    v[rows] += (1 - beta2) * summed * summed
    step = np.sqrt(v)
    step += epsilon
    np.divide(np.multiply(lr_t, m, out=np.empty_like(m)), step, out=step)
    var -= step


# (ref op, resource op) pairs
apply_gradient_descent_ops = _training_op("ApplyGradientDescent", 1, _gradient_descent,
                                         fused=_fused_sgd)
apply_momentum_ops = _training_op("ApplyMomentum", 2, _momentum, fused=_fused_momentum)
sparse_apply_momentum_ops = _training_op("SparseApplyMomentum", 2, _sparse_momentum,
                                         in_place=True)
apply_adam_ops = _training_op("ApplyAdam", 3, _adam, fused=_fused_adam)
sparse_apply_adam_ops = _training_op("SparseApplyAdam", 3, _sparse_adam, in_place=True)


def apply(ops, var, inputs, name, **attrs):
    """Adds the ref or resource variant of `ops` (a pair) for `var` and returns it."""
    from minitf.variables import ResourceVariable

    ref_op, resource_op = ops
    if isinstance(var, ResourceVariable):
        return resource_op.apply(inputs, name="Resource" + name, **attrs)
    return ref_op.apply(inputs, name=name, **attrs).op
