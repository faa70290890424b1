"""The plan compiler's fusion pass: chains of ops that dominate small models' steps become one
call of a fused kernel (minitf._kernels.fused, compiled or its NumPy twin), as TensorFlow's
Grappler remapper fuses MatMul + BiasAdd + Relu.

The patterns, found by op types, attrs and consumers (never by names):
  dense forward   MatMul(x, w) -> Add/AddV2/BiasAdd(., b) [-> Relu | Tanh | Sigmoid]
  dense backward  [the activation's gradient: g * (1 - y*y), g * (y * (1 - y)) or
                  g * cast(y > 0)] -> MatMul(x, dz, transpose_a) (dw), Sum(dz, axis 0) (db),
                  MatMul(dz, w, transpose_b) (dx)
  mean sparse cross-entropy  SparseSoftmaxCrossEntropyWithLogits whose backprop is scaled by
                  the gradient of a mean of its loss (ReductionGrad -> ExpandDims -> Mul); or
                  alone, as one call
  activation's gradient  the chain of dense backward alone (an LSTM gate's, in its gradient
                  loop), as one pass
  broadcast gradient  SumToShape(g, Shape(x)): g itself when the shapes agree, no shape array
A chain fuses only when its inner values are used by nothing else (no other op, no fetch, no
feed), in float32 or float64, outside control flow (the last two patterns, which keep no
arrays from run to run, also inside a cond branch or a loop body and their gradients). The
group then stands for its ops in the plan: the plan is scheduled again with each group as one
node, and a group whose contraction would reorder a variable's reads and updates (or close a
cycle) is given up. Values equal the unfused plan's to float rounding (the compiled kernels
may sum a small product in another order than BLAS).

It runs with the compiled kernels; MINITF_NO_FUSE=1 (read at import) turns it off, and
`ENABLED` is the switch.
"""
import os
import threading

import numpy as np

from minitf import plan as _plan  # (plan imports this module: its names are looked up late)
from minitf._kernels import _BACKEND, fused as _fused
from minitf.framework.constant_op import constant_value

# (with the pure-Python kernels the twins' checks cost more than the NumPy calls they replace:
# fusing is for the compiled kernels; tests/test_plan_fusion.py runs both twins)
ENABLED = _BACKEND == "cython" and os.environ.get("MINITF_NO_FUSE") != "1"
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_ACTS = {"Relu": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid"}


class Group:
    """Ops fused into one kernel call; to the plan builder it is an op of several outputs."""

    read_at_use = forwards_input = stateful = False
    outputs = "n"
    kernel_error = None
    _control_inputs = ()
    _cf_context = None

    def __init__(self, kind, ops, inputs, outputs, kernel, buffers, plain, stateful=False):
        self.ops, self._inputs, self._outputs, self.buffers = ops, inputs, outputs, buffers
        self.type = kind
        self.name = ops[-1].name
        self._id = ops[-1]._id
        self._opdef = self
        # kernel: the kernel, or (stateful: it updates variables) fn(state) -> the kernel
        self._kernel, self.stateful, self._plain = kernel, stateful, plain
        # what the fused kernel refuses (a read-only or strided array, shapes that do not
        # fit, a label out of range) runs as the ops it stands for: their values, or errors
        if not stateful:
            plain.append(_unfused(ops, inputs, outputs))

    def refs_of(self, op):
        return ()

    def bind(self, op, state):
        if not self.stateful:
            return self._kernel
        self._plain[:] = [_unfused(self.ops, self._inputs, self._outputs, state)]
        return self._kernel(state)

    def __repr__(self):
        return f"<fused {self.type} of {[op.name for op in self.ops]}>"


class Buffers:
    """A group's arrays, kept from run to run (per thread) for the slots marked private: its
    scratch, and the outputs nothing holds on to (no fetch; only fused groups and ops that read
    without keeping, such as the optimizers' updates, use them). np.empty of a small array
    costs more than the fused call it feeds."""

    def __init__(self, slots, outputs):
        self.private = [i >= outputs for i in range(slots)]  # (scratch: private from the start)
        self.local = threading.local()

    def take(self, key, specs_of, *args):
        """The slots' arrays for inputs of `key` (their shapes and dtypes): the kept ones
        while the key stays, fresh ones for the others; `specs_of(*args)` gives each slot's
        (shape, dtype), asked when the key changes."""
        local = self.local
        if getattr(local, "key", None) != key:
            local.specs = specs = specs_of(*args)
            local.kept = [np.empty(*spec) if p else None for spec, p in zip(specs, self.private)]
            local.all = all(self.private)
            local.key = key
        if local.all:
            return local.kept
        return [a if a is not None else np.empty(*spec) for a, spec in zip(local.kept,
                                                                            local.specs)]


def _unfused(ops, inputs, outputs, state=None):
    """A function running `ops` one by one with their own kernels (an update with `state`)."""
    # (the chains' constants, such as the 1 of 1 - y*y, are no inputs of the group)
    consts = {t: constant_value(t) for op in ops for t in op._inputs
              if t not in inputs and t._op not in ops}

    def run(*values):
        known = dict(zip(inputs, values))
        known.update(consts)
        for op in ops:
            refs = op._opdef.refs_of(op)
            result = op._opdef.bind(op, state)(*[None if i in refs else known[t]
                                                 for i, t in enumerate(op._inputs)])
            if op._outputs:
                results = [result] if op._opdef.outputs == 1 else list(result)
                known.update(zip(op._outputs, results))
        return [known[t] for t in outputs]
    return run


def fuse(order, targets, fed):
    """`order` (scheduled ops) with the fusable chains as Groups, scheduled again."""
    if not ENABLED:
        return order
    ctx = _Context(order, targets, fed)
    groups = []
    for op in order:
        if op in ctx.taken:
            continue
        matchers = _ANYWHERE if op._cf_context is not None else _MATCHERS
        for match in matchers:
            group = match(ctx, op)
            if group is not None:
                ctx.taken.update(group.ops)
                groups.append(group)
                break
    while groups:
        new = _reschedule(order, groups, targets, fed)
        bad = _reordered(order, new, groups)
        if bad is None:
            _mark_private(ctx, groups)
            return new
        groups.remove(bad)
    return order


# ops that read their inputs and keep none of them (each makes new arrays, or updates a
# variable in place from them)
_READERS = {"MatMul", "Mean", "Sum", "AddN", "ApplyGradientDescent", "ApplyMomentum",
            "ApplyAdam", "ResourceApplyGradientDescent", "ResourceApplyMomentum",
            "ResourceApplyAdam"}


def _mark_private(ctx, groups):
    owner = {op: g for g in groups for op in g.ops}
    for group in groups:
        for i, t in enumerate(group._outputs):
            users = ctx.users(t)
            group.buffers.private[i] = (
                t not in ctx.fetched and t not in ctx.fed and bool(users)
                and all(u in owner or u.type in _READERS for u in users))


class _Context:
    def __init__(self, order, targets, fed):
        self.scheduled = set(order)
        self.fetched = {t for t in targets if not hasattr(t, "_outputs")}
        self.fetched_ops = {t for t in targets if hasattr(t, "_outputs")}
        self.fed = set(fed)
        self.taken = set()
        self.anywhere = False

    def users(self, t):
        return [c for c in t._consumers if c in self.scheduled]

    def only_user(self, t, op):
        """Whether `op` is the one consumer of `t` (once) and `t` is neither fetched nor fed."""
        return (t not in self.fetched and t not in self.fed
                and self.users(t) == [op] and op._inputs.count(t) == 1)

    def free(self, op, *types, anywhere=False):
        """Whether `op`, of one of `types`, may join a group (`anywhere`, or self.anywhere
        while a matcher sets it: also inside a control-flow context, for the groups that keep
        no arrays)."""
        return (op in self.scheduled and op not in self.taken and op.type in types
                and (anywhere or self.anywhere or op._cf_context is None)
                and not op._control_inputs and op not in self.fetched_ops)


def _float(t):
    return t.dtype.base_dtype.as_numpy_dtype in _FLOATS if hasattr(
        t.dtype.base_dtype, "as_numpy_dtype") else False


def _is_const(t, value):
    v = constant_value(t)
    return v is not None and np.shape(v) == () and v == value


def _plain_matmul(op, ta=False, tb=False):
    return (op.type == "MatMul" and bool(op._attrs.get("transpose_a")) == ta
            and bool(op._attrs.get("transpose_b")) == tb)


# -- dense forward ---------------------------------------------------------------------------------
def _dense_forward(ctx, mm):
    if not (ctx.free(mm, "MatMul") and _plain_matmul(mm) and _float(mm.outputs[0])):
        return None
    z = mm.outputs[0]
    users = ctx.users(z)
    if len(users) != 1 or not ctx.free(users[0], "Add", "AddV2", "BiasAdd"):
        return None
    add = users[0]
    if not ctx.only_user(z, add) or add._inputs[0] is not z:
        return None
    if add.type == "BiasAdd" and add._attrs.get("data_format", "NHWC") != "NHWC":
        return None
    b = add._inputs[1]
    if b._shape is None or len(b._shape) != 1 or z._shape is None or len(z._shape) != 2:
        return None
    ops, act, out = [mm, add], "linear", add.outputs[0]
    after = ctx.users(out)
    if (len(after) == 1 and ctx.free(after[0], *_ACTS) and ctx.only_user(out, after[0])):
        ops.append(after[0])
        act, out = _ACTS[after[0].type], after[0].outputs[0]
    fn, buffers, plain = _fused.dense_forward, Buffers(1, 1), []
    take = buffers.take

    def specs(x, w):
        return [((x.shape[0], w.shape[1]), x.dtype)]

    def kernel(x, w, bias):
        y, = take((x.shape, w.shape, x.dtype), specs, x, w)
        try:
            fn(x, w, bias, act, y)
        except (ValueError, TypeError):
            return plain[0](x, w, bias)
        return [y]
    return Group("DenseForward", ops, [mm._inputs[0], mm._inputs[1], b], [out], kernel, buffers,
                 plain)


# -- dense backward --------------------------------------------------------------------------------
def _act_grad(ctx, mul):
    """(act, g, y, the chain's ops) when `mul` is Mul(g, f(y)) for an activation's f."""
    if not (ctx.free(mul, "Mul") and _float(mul.outputs[0])):
        return None
    for g, factor in (mul._inputs, mul._inputs[::-1]):
        found = _factor(ctx, factor, mul)
        if found is not None and g is not factor:
            act, y, chain = found
            return act, g, y, chain + [mul]
    return None


def _factor(ctx, t, user):
    if not ctx.only_user(t, user):
        return None
    op = t._op
    if ctx.free(op, "Sub") and _is_const(op._inputs[0], 1):  # tanh: 1 - y*y
        sq = op._inputs[1]._op
        if (ctx.free(sq, "Mul") and sq._inputs[0] is sq._inputs[1]
                and ctx.users(sq.outputs[0]) == [op] and sq.outputs[0] not in ctx.fetched):
            return "tanh", sq._inputs[0], [sq, op]
    if ctx.free(op, "Mul"):  # sigmoid: y * (1 - y)
        y, one_minus = op._inputs
        sub = one_minus._op
        if (ctx.free(sub, "Sub") and _is_const(sub._inputs[0], 1) and sub._inputs[1] is y
                and ctx.only_user(one_minus, op)):
            return "sigmoid", y, [sub, op]
    if ctx.free(op, "Cast"):  # relu: cast(y > 0)
        gt = op._inputs[0]._op
        if (ctx.free(gt, "Greater") and _is_const(gt._inputs[1], 0)
                and ctx.only_user(op._inputs[0], op)):
            return "relu", gt._inputs[0], [gt, op]
    return None


def _dense_backward(ctx, op):
    found = _act_grad(ctx, op)
    if found is not None:
        act, g, y, chain = found
        dz = op.outputs[0]
    elif op.type == "MatMul" and _plain_matmul(op, ta=True) and ctx.free(op, "MatMul"):
        act, g, y, chain, dz = "linear", op._inputs[1], None, [], op._inputs[1]
    else:
        return None
    if dz in ctx.fed or not _float(dz) or dz._shape is None or len(dz._shape) != 2:
        return None
    dw = db = dx = None
    for user in ctx.users(dz):
        if user._inputs.count(dz) != 1 or user in chain:
            continue
        if (ctx.free(user, "MatMul") and _plain_matmul(user, ta=True)
                and user._inputs[1] is dz and dw is None):
            dw = user
        elif (ctx.free(user, "MatMul") and _plain_matmul(user, tb=True)
              and user._inputs[0] is dz and dx is None):
            dx = user
        elif (ctx.free(user, "Sum") and len(user._inputs) == 1
              and tuple(user._attrs["axis"] or ()) == (0,) and not user._attrs["keepdims"]
              and db is None):
            db = user
    if dx is not None and dw is not None:  # (the kernel's dx and dw share x's width)
        k_x, k_w = (dw._inputs[0]._shape or (None, None))[1], (dx._inputs[1]._shape or (None,))[0]
        if k_x is None or k_x != k_w:
            dx = None
    if dw is None or (act == "linear" and db is None and dx is None):
        return None
    if dx is None and _sgd_of(ctx, dw) is not None:
        return _dense_backward_sgd(ctx, act, g, y, chain, dz, dw, db)
    ends = [u for u in (dw, db, dx) if u is not None]
    leftover = [u for u in ctx.users(dz) if u not in ends]
    if act == "linear" and (leftover or dz in ctx.fetched):  # (dz is then g itself: fine)
        leftover = []
    keep_dz = act != "linear" and (leftover or dz in ctx.fetched)
    x, w = dw._inputs[0], dx._inputs[1] if dx is not None else None
    inputs = [g, x] + ([y] if y is not None else []) + ([w] if w is not None else [])
    outputs = ([dz] if keep_dz else []) + [u.outputs[0] for u in ends]
    fn, has_y, has_w = _fused.dense_backward, y is not None, w is not None
    has_db, has_dx = db is not None, dx is not None
    # slots: the outputs in order, then dz when it is scratch
    at = len(outputs) - len(ends)
    slot_dz = 0 if keep_dz else len(outputs)
    buffers = Buffers(len(outputs) + (act != "linear" and not keep_dz), len(outputs))
    take, plain = buffers.take, []

    def specs(g, x, w):
        (m, n), dtype = g.shape, g.dtype
        out = [None] * len(buffers.private)
        if act != "linear":
            out[slot_dz] = ((m, n), dtype)
        out[at] = ((x.shape[1], n), dtype)
        if has_db:
            out[at + 1] = ((n,), dtype)
        if has_dx:
            out[at + 1 + has_db] = ((m, w.shape[0]), dtype)
        return out

    def kernel(g, x, *rest):
        y = rest[0] if has_y else None
        w = rest[-1] if has_w else None
        arrays = take((g.shape, x.shape, w.shape if has_w else None, g.dtype), specs, g, x, w)
        dz = g if act == "linear" else arrays[slot_dz]
        dw = arrays[at]
        db = arrays[at + 1] if has_db else None
        dx = arrays[at + 1 + has_db] if has_dx else None
        try:  # (w only shapes dw when there is no dx)
            fn(g, x, dw if w is None else w, y, act, dz, dw, db, dx)
        except (ValueError, TypeError):
            return plain[0](g, x, *rest)
        return ([dz] if keep_dz else []) + [v for v in (dw, db, dx) if v is not None]
    return Group("DenseBackward", chain + ends, inputs, outputs, kernel, buffers, plain)


def _sgd_of(ctx, op):
    """The plain SGD update that is the one user of `op`'s output (its gradient), if any."""
    t = op.outputs[0]
    users = ctx.users(t)
    if t in ctx.fetched or len(users) != 1:
        return None
    apply = users[0]
    if not (ctx.free(apply, "ApplyGradientDescent", "ResourceApplyGradientDescent")
            and apply._inputs[2] is t and not apply._attrs.get("use_locking")
            and not any(ctx.users(o) or o in ctx.fetched for o in apply.outputs)):
        return None
    return apply


def _dense_backward_sgd(ctx, act, g, y, chain, dz, dw, db):
    """A first layer's backward pass (no dx) whose weight gradient only feeds plain SGD: the
    step is folded into the product, w += -lr * (x.T @ dz), in place on the variable's array
    (with its bias's SGD step after it), one pass over the weights fewer."""
    apply_w = _sgd_of(ctx, dw)
    apply_b = _sgd_of(ctx, db) if db is not None else None
    x = dw._inputs[0]
    keep_dz = act != "linear" and (dz in ctx.fetched or any(
        u not in (dw, db) for u in ctx.users(dz) if u not in chain))
    keep_db = db is not None and apply_b is None
    outputs = ([dz] if keep_dz else []) + ([db.outputs[0]] if keep_db else [])
    alphas = [apply_w._inputs[1]] + ([apply_b._inputs[1]] if apply_b is not None else [])
    inputs = [g, x] + ([y] if y is not None else []) + alphas
    ops = chain + [u for u in (dw, db) if u is not None] + [apply_w] + (
        [apply_b] if apply_b is not None else [])
    # slots: dz, then db (outputs first: dz kept, db kept)
    slot_dz, slot_db = (0, 1) if keep_dz else (1, 0)
    buffers = Buffers(2, len(outputs))
    take, plain, fn, sgd = buffers.take, [], _fused.dense_backward, _fused.sgd
    has_y, has_b, n_out = y is not None, apply_b is not None, len(outputs)
    holders = [apply_w._inputs[0]._op] + ([apply_b._inputs[0]._op] if has_b else [])

    def specs(g):
        out = [None, None]
        out[slot_dz], out[slot_db] = (g.shape, g.dtype), (g.shape[1:], g.dtype)
        return out

    def make(state):
        from minitf.ops.state_ops import store, writable

        def kernel(g, x, *rest):
            y = rest[0] if has_y else None
            arrays = take((g.shape, g.dtype), specs, g)
            dz = g if act == "linear" else arrays[slot_dz]
            db = arrays[slot_db]
            w = writable(state, holders[0], apply_w)
            try:
                fn(g, x, w, y, act, dz, w, db, None, -float(rest[has_y]))
            except (ValueError, TypeError):
                store(state, holders[0], w)  # (refused before any write: unchanged)
                return plain[0](g, x, *rest)
            store(state, holders[0], w)
            if has_b:
                b = writable(state, holders[1], apply_b)
                try:
                    sgd(b, rest[has_y + 1], db)
                finally:
                    store(state, holders[1], b)
            return [dz, db][:n_out] if keep_dz else [db][:n_out]
        return kernel
    return Group("DenseBackwardSGD", ops, inputs, outputs, make, buffers, plain, stateful=True)


# -- mean sparse cross-entropy ---------------------------------------------------------------------
def _xent_mean(ctx, xent):
    if not (ctx.free(xent, "SparseSoftmaxCrossEntropyWithLogits") and _float(xent.outputs[1])):
        return None
    logits, labels = xent._inputs
    loss, backprop = xent.outputs
    if logits._shape is None or len(logits._shape) != 2 or backprop in ctx.fed or loss in ctx.fed:
        return None
    users = ctx.users(backprop)
    if len(users) != 1 or not ctx.free(users[0], "Mul") or not ctx.only_user(backprop, users[0]):
        return None
    mul = users[0]
    scaled = mul._inputs[0] if mul._inputs[1] is backprop else mul._inputs[1]
    expand = scaled._op
    if not (ctx.free(expand, "ExpandDims") and ctx.only_user(scaled, mul)):
        return None
    spread = expand._inputs[0]._op
    attrs = spread._attrs if spread.type == "ReductionGrad" else {}
    if not (ctx.free(spread, "ReductionGrad") and ctx.only_user(expand._inputs[0], expand)
            and attrs.get("mean") and attrs.get("broadcast") and spread._inputs[1] is loss
            and len(spread._inputs) == 2 and attrs.get("axis") in (None, (0,), [0])):
        return None
    grad = spread._inputs[0]
    if grad._shape != () or constant_value(_axis_input(expand)) not in (None, -1, 1):
        return None
    keep_loss = loss in ctx.fetched or [u for u in ctx.users(loss) if u is not spread]
    fn = _fused.sparse_xent
    ops = [xent, spread, expand, mul]
    outputs = ([loss] if keep_loss else []) + [mul.outputs[0]]
    # slots: the outputs in order, then the loss when it is scratch
    slot_loss, slot_d = (0, 1) if keep_loss else (1, 0)
    buffers = Buffers(2, len(outputs))
    take, plain = buffers.take, []

    def specs(logits):
        out = [None, None]
        out[slot_loss], out[slot_d] = (logits.shape[:1], logits.dtype), (logits.shape,
                                                                          logits.dtype)
        return out

    def kernel(logits, labels, grad):
        # (a label out of range: the kernel refuses it, and the op itself raises TF's error)
        m = logits.shape[0]
        arrays = take((logits.shape, logits.dtype), specs, logits)
        loss, dlogits = arrays[slot_loss], arrays[slot_d]
        # the unfused plan's scale: the gradient divided by the count, in the logits' dtype
        real = logits.dtype.type
        scale = float(real(grad) / real(max(m, 1)))
        try:
            fn(logits, labels, scale, loss, dlogits)
        except (ValueError, TypeError):
            return plain[0](logits, labels, grad)
        return ([loss] if keep_loss else []) + [dlogits]
    return Group("SparseXentMean", ops, [logits, labels, grad], outputs, kernel, buffers, plain)


def _xent_alone(ctx, xent):
    """The cross-entropy op by itself (its loss and backprop as they are): one fused call."""
    if not (ctx.free(xent, "SparseSoftmaxCrossEntropyWithLogits") and _float(xent.outputs[1])):
        return None
    logits, labels = xent._inputs
    if (logits._shape is None or len(logits._shape) != 2 or labels._shape is None
            or len(labels._shape) != 1 or any(t in ctx.fed for t in xent.outputs)):
        return None
    fn, buffers, plain = _fused.sparse_xent, Buffers(2, 2), []
    take = buffers.take

    def specs(logits):
        return [(logits.shape[:1], logits.dtype), (logits.shape, logits.dtype)]

    def kernel(logits, labels):
        loss, backprop = take((logits.shape, logits.dtype), specs, logits)
        try:
            fn(logits, labels, 1.0, loss, backprop)
        except (ValueError, TypeError):
            return plain[0](logits, labels)
        return [loss, backprop]
    return Group("SparseXent", [xent], [logits, labels], list(xent.outputs), kernel, buffers,
                 plain)


def _axis_input(expand):
    return expand._inputs[1] if len(expand._inputs) > 1 else expand._attrs.get("axis")


# -- a broadcast gradient summed to its operand's shape --------------------------------------------
def _sum_to_shape_of(ctx, op):
    """SumToShape(g, Shape(x)), the gradient of a broadcasting op where the static shapes
    cannot tell (an unknown batch size): x's shape read from x, with no shape array made, and
    g itself when the shapes agree (as they do in an LSTM cell's every product)."""
    if not ctx.free(op, "SumToShape", anywhere=True):
        return None
    g, shape = op._inputs
    shape_op = shape._op
    if not (ctx.free(shape_op, "Shape", anywhere=True) and ctx.only_user(shape, op)
            and shape_op._cf_context is op._cf_context):
        return None
    x = shape_op._inputs[0]
    if shape_op._opdef.refs_of(shape_op):  # (a ref variable's Shape reads no value)
        return None
    plain, array = [], np.ndarray

    def kernel(g, x):
        if g.__class__ is array and x.__class__ is array and g.shape == x.shape:
            return [g]  # (as SumToShape returns it)
        return plain[0](g, x)  # (the two ops: a sum, or their error)
    return Group("SumToShapeOf", [shape_op, op], [g, x], [op.outputs[0]], kernel,
                 Buffers(1, 1), plain)


# -- an activation's gradient alone ---------------------------------------------------------------
def _act_grad_alone(ctx, mul):
    """An activation's gradient chain (as dense backward's) that no dense layer's products
    follow, such as an LSTM cell's gates' inside its gradient loop: one pass, not three ops."""
    ctx.anywhere = True
    try:
        found = _act_grad(ctx, mul)
    finally:
        ctx.anywhere = False
    if found is None or any(op._cf_context is not mul._cf_context for op in found[3]):
        return None
    act, g, y, chain = found
    fn, plain, array, empty = _fused.act_grad, [], np.ndarray, np.empty

    def kernel(g, y):
        if g.__class__ is array and y.__class__ is array:  # (else: broadcasting, a scalar)
            dz = empty(g.shape, g.dtype)
            try:
                fn(g, y, act, dz)
                return [dz]
            except (ValueError, TypeError):
                pass
        return plain[0](g, y)
    return Group("ActGrad", chain, [g, y], [mul.outputs[0]], kernel, Buffers(1, 1), plain)


_MATCHERS = (_dense_backward, _xent_mean, _xent_alone, _dense_forward, _sum_to_shape_of,
             _act_grad_alone)
_ANYWHERE = (_sum_to_shape_of, _act_grad_alone)


# -- scheduling the groups -------------------------------------------------------------------------
def _reschedule(order, groups, targets, fed):
    """The ops and groups in dependency order (post-order DFS as plan.schedule's), each group
    as one node."""
    owner = {}
    for group in groups:
        for op in group.ops:
            owner[op] = group
    position = {op: i for i, op in enumerate(order)}

    def deps(node):
        nodes = []
        for op in (node.ops if isinstance(node, Group) else [node]):
            for d in _plan.op_deps(op, fed):
                d = owner.get(d, d)
                if d is not node and d not in nodes and (d in position or isinstance(d, Group)):
                    nodes.append(d)
        return sorted(nodes, key=lambda n: position[n.ops[0] if isinstance(n, Group) else n])

    try:  # (every op of the old order is a root: ops no target needs stay too)
        return _plan.post_order([owner.get(op, op) for op in order], deps)
    except ValueError:
        return None  # a cycle through a group


def _reordered(order, new, groups):
    """A group whose place changes the order of a variable's reads and updates (or that closed
    a cycle), else None. (A variable is read where each consumer runs: moving a consumer past
    an update of its variable would change what it reads.)"""
    if new is None:
        return groups[-1]
    old_at = {op: i for i, op in enumerate(order)}
    new_at, owner = {}, {}
    for i, node in enumerate(new):
        for op in (node.ops if isinstance(node, Group) else [node]):
            new_at[op] = i
            if isinstance(node, Group):
                owner[op] = node
    for var in {t._op for op in order for t in op._inputs if t._op._opdef.read_at_use}:
        readers, writers = [], []
        for user in var.outputs[0]._consumers:
            if user not in old_at:
                continue
            refs = user._opdef.refs_of(user)
            at = [i for i, t in enumerate(user._inputs) if t._op is var]
            (writers if any(i in refs for i in at) else readers).append(user)
        for reader in readers:
            for writer in writers:
                if ((old_at[writer] < old_at[reader]) != (new_at[writer] < new_at[reader])
                        or new_at[writer] == new_at[reader]):
                    return owner.get(reader) or owner.get(writer) or groups[-1]
    return None
