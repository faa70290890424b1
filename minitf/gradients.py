"""Reverse-mode differentiation on the graph: `gradients(ys, xs)` adds, under a `gradients/` name
scope, each op's registered gradient (`gradients/<op>_grad/...`) from ys back to xs.

Only ops between xs and ys are visited: those reachable forward from xs (through float, complex
and resource tensors) that also lead to ys. An op's gradient runs once all of its consumers'
gradients have arrived; gradients reaching one tensor along several paths are summed
(IndexedSlices are concatenated while every part is one, densified otherwise).
"""
import enum
from collections import deque

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant, convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.framework.indexed_slices import IndexedSlices
from minitf.framework.ops import Tensor
from minitf.framework.registry import FILLED_ZEROS, gradient_of
from minitf.ops import array_ops, manip_ops, math_ops

__all__ = ["gradients", "stop_gradient", "hessians", "AggregationMethod", "UnconnectedGradients"]


class UnconnectedGradients(enum.Enum):
    """What a gradient is for a source the target does not depend on: None, or zeros."""

    NONE = "none"
    ZERO = "zero"


class AggregationMethod:
    """How gradients reaching one tensor by several paths are summed (TF's constants).

    minitf adds them with one AddN whichever is chosen: the sum is the same.
    """

    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


_AGGREGATIONS = (None, AggregationMethod.ADD_N, AggregationMethod.EXPERIMENTAL_TREE,
                 AggregationMethod.EXPERIMENTAL_ACCUMULATE_N)

stop_gradient = array_ops.stop_gradient


def _as_list(values):
    return list(values) if isinstance(values, (list, tuple)) else [values]


def _source_tensor(x):
    """The tensor whose gradient a variable's gradient is: its ref (or resource handle)."""
    if isinstance(x, Tensor):
        return x
    if hasattr(x, "handle"):
        return x.handle
    if hasattr(x, "_ref"):
        return x._ref()
    return convert_to_tensor(x, as_ref=True)


def _backpropagatable(t):
    base = t.dtype.base_dtype
    return base.is_floating or base.is_complex or base == dtypes.resource


def _ops_between(ys, xs):
    """Ops reachable forward from xs (through float tensors) that lead back to ys."""
    reached, stack = set(), [x.op for x in xs]
    while stack:
        op = stack.pop()
        if op in reached:
            continue
        reached.add(op)
        stack.extend(c for t in op._outputs if _backpropagatable(t) for c in t._consumers)
    between, stack = set(), [y.op for y in ys]
    while stack:
        op = stack.pop()
        if op in between or op not in reached:
            continue
        between.add(op)
        stack.extend(t.op for t in op._inputs)
    return between


def _pending_counts(between):
    pending = dict.fromkeys(between, 0)
    for op in between:
        for t in op._inputs:
            if t.op in pending:
                pending[t.op] += 1
    return pending


def aggregate(grads, name="AddN"):
    """One gradient from the ones that reached a tensor (None when none did)."""
    grads = [g for g in grads if g is not None]
    if len(grads) < 2:
        return grads[0] if grads else None
    if all(isinstance(g, IndexedSlices) for g in grads):
        indices = [g.indices for g in grads]
        if len({i.dtype.base_dtype for i in indices}) > 1:   # int32 and int64: int64 (TF)
            indices = [math_ops.cast(i, dtypes.int64) for i in indices]
        return IndexedSlices(array_ops.concat([g.values for g in grads], 0),
                             array_ops.concat(indices, 0), grads[0].dense_shape)
    return math_ops.add_n([convert_to_tensor(g) for g in grads], name=name)


def _default_grad_ys(ys, grad_ys):
    grad_ys = [None] * len(ys) if grad_ys is None else _as_list(grad_ys)
    if len(grad_ys) != len(ys):
        raise ValueError(f"Passed {len(grad_ys)} grad_ys for {len(ys)} ys")
    out = []
    for i, (y, g) in enumerate(zip(ys, grad_ys)):
        if g is None:
            if not y.dtype.base_dtype.is_floating:
                raise TypeError(f"Gradients of {y.dtype.base_dtype.name} tensor {y.name} need "
                                "grad_ys: only float tensors have a default gradient of ones.")
            g = array_ops.fill(manip_ops.shape_of(y), constant(1, y.dtype.base_dtype),
                               name=f"grad_ys_{i}")
        elif not isinstance(g, IndexedSlices):
            g = convert_to_tensor(g, dtype=y.dtype.base_dtype)
        out.append(g)
    return out


def _op_grads(op, out_grads):
    """The gradients of op's inputs given those of its outputs (None for untouched outputs)."""
    opdef = op._opdef
    differentiable, grad_fn = gradient_of(op)
    if not differentiable or all(g is None for g in out_grads):
        return [None] * len(op._inputs)
    if grad_fn is None:
        raise LookupError(f"No gradient defined for operation '{op.name}' (op type: {op.type})")
    with name_scope(op.name + "_grad"):
        if not opdef.sparse_grads:
            out_grads = [convert_to_tensor(g) if isinstance(g, IndexedSlices) else g
                         for g in out_grads]
        out_grads = [_filled_zeros(t) if g is None and t.dtype.base_dtype != dtypes.variant
                     else g for t, g in zip(op._outputs, out_grads)]  # (a record has none)
        in_grads = list(grad_fn(op, *out_grads))
    if len(in_grads) != len(op._inputs):
        raise ValueError(f"Num gradients {len(in_grads)} generated for op {op.name} do not "
                         f"match num inputs {len(op._inputs)}")
    return in_grads


def _filled_zeros(t):
    zeros = array_ops.zeros_like(t)
    FILLED_ZEROS.add(zeros)
    return zeros


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None,
              unconnected_gradients=UnconnectedGradients.NONE):
    """Constructs the symbolic derivatives of the sum of `ys` with respect to each of `xs`.

    Adds the gradient ops to the graph under the name scope `name` (each op's under
    `<name>/<op name>_grad/`) and returns, for each x, a Tensor, IndexedSlices (from `gather`
    and `embedding_lookup`) or None when no y depends on x. Gradients are differentiable
    again, so second derivatives work.

    Args:
      ys: a Tensor or list of Tensors to differentiate.
      xs: a Tensor or Variable, or a list of them; a variable's gradient is its reference's
        (or resource handle's).
      grad_ys: the gradients flowing into `ys`, one per y (default: ones of each y's shape).
      name: the name scope of the gradient ops (default "gradients").
      colocate_gradients_with_ops: accepted for TF's signature; ignored.
      gate_gradients: accepted for TF's signature; ignored.
      aggregation_method: one of `tf.AggregationMethod`'s values, or None; gradients reaching
        a tensor by several paths are added with AddN whichever is chosen.
      stop_gradients: a Tensor or list of Tensors held constant: no gradient flows through
        them.
      unconnected_gradients: for an x no y depends on, `UnconnectedGradients.NONE` (or
        "none") gives None, `ZERO` (or "zero") zeros of x's shape.

    Returns:
      A list with one entry per x.

    Raises:
      LookupError: an op between xs and ys has no registered gradient.
      RuntimeError: in eager mode (use `tf.GradientTape`).
      TypeError: a y that is not of a float type has no `grad_ys` entry.
      ValueError: `grad_ys` does not have one entry per y, or `aggregation_method` or
        `unconnected_gradients` is not one of its values.

    >>> x = tf.constant([1.0, 2.0])
    >>> y = tf.reduce_sum(x * x)
    >>> dx, dz = tf.gradients(y, [x, tf.constant(3.0)])
    >>> dz is None
    True
    >>> with tf.Session() as sess:
    ...     print(sess.run(dx))
    [2. 4.]
    """
    if get_default_graph()._eager:
        raise RuntimeError("tf.gradients is not supported when eager execution is enabled. Use "
                           "tf.GradientTape instead.")
    if aggregation_method not in _AGGREGATIONS:
        raise ValueError(f"Invalid `aggregation_method` specified {aggregation_method}. "
                         "Accepted values are [0, 1, 2].")
    unconnected = _unconnected(unconnected_gradients)
    ys = [convert_to_tensor(y) for y in _as_list(ys)]
    xs = [_source_tensor(x) for x in _as_list(xs)]
    stop_ops = {convert_to_tensor(t).op for t in _as_list(stop_gradients or [])}
    with name_scope(name, "gradients", ys + xs):
        grads = {}
        for y, g in zip(ys, _default_grad_ys(ys, grad_ys)):
            grads.setdefault(y, []).append(g)
        between = _ops_between(ys, xs)
        # TF's stop ops: an x's own op that nothing between xs and ys feeds is not
        # differentiated (its gradient would reach nothing asked for)
        stop_ops |= {x.op for x in xs if x.op in between
                     and not any(t.op in between for t in x.op._inputs)}
        pending = _pending_counts(between)
        ready = deque(op for op in dict.fromkeys(y.op for y in ys)
                      if op in between and pending[op] == 0)
        while ready:
            op = ready.popleft()
            out_grads = [aggregate(grads.get(t, ())) for t in op._outputs]
            in_grads = ([None] * len(op._inputs) if op in stop_ops
                        else _op_grads(op, out_grads))
            for t, g in zip(op._inputs, in_grads):
                if t.op in pending:
                    if g is not None and _backpropagatable(t):
                        grads.setdefault(t, []).append(g)
                    pending[t.op] -= 1
                    if pending[t.op] == 0:
                        ready.append(t.op)
        out = [aggregate(grads.get(x, ())) if x.op in between else None for x in xs]
        if unconnected is UnconnectedGradients.ZERO:
            out = [array_ops.zeros_like(x) if g is None else g for x, g in zip(xs, out)]
        return out


def _unconnected(value):
    try:
        return UnconnectedGradients(getattr(value, "value", value))
    except ValueError:
        raise ValueError(f"Unknown value for unconnected_gradients: {value!r}") from None


def hessians(ys, xs, name="hessians", colocate_gradients_with_ops=False, gate_gradients=False,
             aggregation_method=None):
    """Constructs the Hessian of the sum of `ys` with respect to each x in `xs`.

    The Hessian of x has shape `x.shape + x.shape`: the gradient of each element of the first
    gradient, stacked. Each x needs a fully known static shape (its elements are unrolled: a
    graph of one gradient per element).

    Args:
      ys: a Tensor or list of Tensors to differentiate.
      xs: a Tensor or list of Tensors.
      name: the name scope of the first gradients' ops (default "hessians").
      colocate_gradients_with_ops, gate_gradients, aggregation_method: as in `tf.gradients`.

    Returns:
      A list with the Hessian of each x (None where no y depends on x).

    Raises:
      ValueError: an x's shape is not fully known.

    >>> x = tf.constant([1.0, 2.0])
    >>> h, = tf.hessians(tf.reduce_sum(x * x * x), x)
    >>> with tf.Session() as sess:
    ...     print(sess.run(h))
    [[ 6.  0.]
     [ 0. 12.]]
    """
    kwargs = dict(colocate_gradients_with_ops=colocate_gradients_with_ops,
                  gate_gradients=gate_gradients, aggregation_method=aggregation_method)
    xs = [convert_to_tensor(x) for x in _as_list(xs)]
    out = []
    for g, x in zip(gradients(ys, xs, name=name, **kwargs), xs):
        shape = x.shape
        if not shape.is_fully_defined():
            raise ValueError(f"tf.hessians needs the full static shape of {x.name} (it is "
                             f"{shape}): minitf unrolls the Hessian over its elements")
        if g is None:
            out.append(None)
            continue
        flat = manip_ops.reshape(convert_to_tensor(g), [-1])
        rows = [gradients(flat[j], x, unconnected_gradients="zero", **kwargs)[0]
                for j in range(shape.num_elements())]
        out.append(manip_ops.reshape(array_ops.stack(rows), shape.as_list() * 2))
    return out
