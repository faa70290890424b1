"""`tf.while_loop` with TF1's semantics, run by one `While` op.

The loop's variables enter the cond and body functions as tensors `while/Identity`,
`while/Identity_1`, ... (ops that have values only inside the loop); the ops the functions build
live in the graph under `while/` in the loop's Context (framework/control_flow_context.py), and
the While op runs them as two sub-plans, cond then body, iteration after iteration. The results
are `while/Exit`, `while/Exit_1`, ... as in TF1. A tensor made inside the loop cannot be used
outside it (ValueError, as TF's).

Gradients: once a gradient of the loop is built, each run of the While records, per iteration,
the body's values the gradient reads (the loop variables, the gates of an LSTM cell, the
outputs of stateful ops: as TF1 stacks them); the gradient op (WhileGrad) runs the body's
gradient backwards over those records, computing none of the body's ops again but its
constants, and sums the gradients of the tensors the body captured.
"""
import numpy as np

from minitf.control_flow.cond import backprop, out_dtypes, out_shapes, zeros_for
from minitf.control_flow.tensor_array import TensorArray
from minitf.framework import dtypes, nest, tensor_shape
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant, convert_to_tensor
from minitf.framework.control_flow_context import (
    Context,
    control_flow_v2_enabled,
    not_runnable,
    recomputable,
)
from minitf.framework.graph import get_default_graph
from minitf.framework.registry import register_op
from minitf.gradients import gradients
from minitf.ops import _shared, array_ops, math_ops
from minitf.plan import compile_function

__all__ = ["while_loop"]


@register_op("LoopVar", shape=lambda *, shape, dtype: shape, dtype=lambda *, shape, dtype: dtype,
             stateful=True, differentiable=False)
def _loop_var(state, op, *, shape, dtype):
    raise not_runnable(op)


@register_op("While", shape=out_shapes, dtype=out_dtypes, outputs="n", stateful=True,
             ref_inputs="attr")
def _while(state, op, *inputs, **attrs):  # (bound by _bind_while)
    raise AssertionError("While runs through its bound kernel")


def _feeds(ctx, index, leading):
    """(the tensors a sub-plan of ctx is fed, their positions among the op's inputs)."""
    caps = [t for t, ref in ctx.captures.items() if not ref]
    return leading + caps, [index[t] for t in caps]


@_while.specialize
def _bind_while(op, state):
    ctx, n = op._attrs["body"], op._attrs["n_vars"]
    index = {t: i for i, t in enumerate(op._inputs)}
    feeds, positions = _feeds(ctx, index, ctx.loop_vars)
    saved = [t for t in ctx.saved]
    test = compile_function(state, [ctx.cond_output], feeds, ctx.runnable_ops())
    step = compile_function(state, ctx.outputs + saved, feeds, ctx.runnable_ops())
    record = ctx.record_iterations and op._attrs["back_prop"]

    def kernel(*inputs):
        values, captured = list(inputs[:n]), [inputs[i] for i in positions]
        records = [] if record else None
        while test(*values, *captured)[0]:
            out = step(*values, *captured)
            if records is not None:
                records.append(dict(zip(saved, out[n:])))
            values = list(out[:n])
        return values + [records]
    return kernel


def _loop_var_like(t, shape, name):
    return _loop_var.apply([], name=name, shape=shape, dtype=t.dtype.base_dtype)


def _invariant_shapes(flat, shape_invariants, loop_vars):
    if shape_invariants is None:
        return [t._shape for t in flat]
    invariants = nest.flatten(shape_invariants) if not isinstance(
        shape_invariants, tensor_shape.TensorShape) else [shape_invariants]
    if len(invariants) != len(flat):
        nest.assert_same_structure(loop_vars, shape_invariants, check_types=False)
    shapes = []
    for t, s in zip(flat, invariants):
        s = tensor_shape.as_shape(s)
        if not s.is_compatible_with(t.shape):
            raise ValueError(f"The shape invariant specified for {t.name} is not compatible "
                             f"with the initial shape of the loop variable. It enters the loop "
                             f"with shape {t.shape}, but the specified shape invariant is {s}.")
        shapes.append(s._as_tuple())
    return shapes


def _check_pred(c):
    c = convert_to_tensor(c)
    if c.dtype.base_dtype != dtypes.bool:
        raise TypeError(f"Input 'input' of 'LoopCond' Op has type {c.dtype.base_dtype.name} "
                        "that does not match expected type of bool.")
    if c._shape is not None and len(c._shape) != 0:
        raise ValueError(f"Shape must be rank 0 but is rank {len(c._shape)} for 'LoopCond' "
                         f"with input shapes: {list(c._shape)}.")
    return c


def _check_next(var, out, shape):
    if out.dtype.base_dtype != var.dtype.base_dtype:
        raise ValueError(f"Input tensor '{var.name}' enters the loop with dtype "
                         f"{var.dtype.base_dtype.name}, but has dtype "
                         f"{out.dtype.base_dtype.name} after one iteration.")
    if not tensor_shape.TensorShape._from_tuple(shape).is_compatible_with(out.shape):
        raise ValueError(
            f"Input tensor '{var.name}' enters the loop with shape "
            f"{tensor_shape.TensorShape._from_tuple(shape)}, but has shape {out.shape} after "
            "one iteration. To allow the shape to vary across iterations, use the "
            "`shape_invariants` argument of tf.while_loop to specify a less-specific shape.")


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, name=None, maximum_iterations=None,
               return_same_structure=False):
    """Repeats `body` while `cond` is true (TF1's `tf.while_loop`).

    `cond(*vars)` returns a boolean scalar, `body(*vars)` the next values of the loop variables
    in the same structure (a single tensor for a single variable). Both are called once, now,
    on tensors standing for the variables; when run, the loop runs until `cond` is false.

    Args:
      cond: a function of the loop variables returning a boolean scalar Tensor.
      body: a function of the loop variables returning their next values.
      loop_vars: a list, tuple or dict (nested) of Tensors (or values): the initial values.
      shape_invariants: the shapes the variables keep (e.g. `TensorShape([None])` for one
        that grows), same structure as `loop_vars`; default: their initial static shapes.
      parallel_iterations, swap_memory: accepted for TF's signature (iterations run in order).
      back_prop: whether gradients flow through the loop.
      name: a name scope for the ops (default "while").
      maximum_iterations: an optional int scalar: at most this many iterations (a counter
        becomes the first variable, as in TF).
      return_same_structure: if False (default), a single variable is returned as a tensor.

    Returns:
      The final values, in the structure of `loop_vars`.

    Raises:
      TypeError: `cond` or `body` is not callable, or `cond` does not return a boolean.
      ValueError: no loop variables, the body's result differs in structure, dtype or
        shape (against `shape_invariants`), or `cond` returns a non-scalar.

    >>> i = tf.constant(0)
    >>> total = tf.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s + i), [i, 0])
    >>> total[1].name
    'while/Exit_1:0'
    >>> with tf.Session() as sess:
    ...     print(sess.run(total))
    [np.int32(4), np.int32(6)]
    """
    if not callable(cond):
        raise TypeError("cond must be callable.")
    if not callable(body):
        raise TypeError("body must be callable.")
    if parallel_iterations < 1:
        raise TypeError("parallel_iterations must be a positive integer.")
    if not loop_vars:
        raise ValueError("No loop variables provided")
    graph = get_default_graph()
    if maximum_iterations is not None:
        return _bounded(cond, body, loop_vars, shape_invariants, back_prop, name,
                        maximum_iterations, return_same_structure)
    if graph._eager:
        values = loop_vars
        while bool(convert_to_tensor(cond(*values))._value):
            values = _as_structure(body(*values), values)
        return _result(values, return_same_structure)
    with name_scope(name, "while", _tensors(nest.flatten(loop_vars))):
        leaves = nest.flatten(loop_vars)
        flat = [v.flow if isinstance(v, TensorArray) else convert_to_tensor(v) for v in leaves]
        shapes = _invariant_shapes(flat, shape_invariants, loop_vars)
        ctx = Context(graph, "while")
        with graph._control_flow(ctx):
            ctx.loop_vars = [_loop_var_like(t, s, "Identity") for t, s in zip(flat, shapes)]
            packed = nest.pack_sequence_as(loop_vars, _arrays(leaves, ctx.loop_vars))
            ctx.cond_output = _check_pred(cond(*packed))
            result = _as_structure(body(*packed), packed)
            outs = [v.flow if isinstance(v, TensorArray) else convert_to_tensor(v)
                    for v in nest.flatten(result)]
        for t in outs + [ctx.cond_output]:
            if not ctx.holds(t._op):  # (an outside tensor returned as it is)
                ctx.captures.setdefault(t, t._op._opdef.read_at_use)
        for var, out, shape in zip(flat, outs, shapes):
            _check_next(var, out, shape)
        ctx.outputs, ctx.record_iterations = outs, False
        exits = _make_while(graph, ctx, flat, shapes, back_prop)
        return _result(nest.pack_sequence_as(loop_vars, _arrays(leaves, exits)),
                       return_same_structure)


def _tensors(leaves):
    return [v.flow if isinstance(v, TensorArray) else v for v in leaves]


def _arrays(leaves, tensors):
    """The tensors, with a TensorArray (of the same handle) where the leaf was one."""
    return [v._with_flow(t) if isinstance(v, TensorArray) else t
            for v, t in zip(leaves, tensors)]


def _as_structure(result, like):
    if not nest.is_nested(result):
        result = [result]
    nest.assert_same_structure(list(like) if isinstance(like, (list, tuple)) else like,
                               list(result) if isinstance(result, (list, tuple)) else result,
                               check_types=False)
    return nest.pack_sequence_as(like, nest.flatten(result))


def _result(values, same_structure):
    # TF: without return_same_structure, one loop tensor (not one structure) comes back alone
    if not same_structure and len(nest.flatten(values)) == 1 and nest.is_nested(values):
        return nest.flatten(values)[0]
    return values


def _make_while(graph, ctx, flat, shapes, back_prop):
    caps = list(ctx.captures)
    n = len(flat)
    v2 = control_flow_v2_enabled()  # (TF2's names: `while`, `while/Identity_<k + 2>`)
    with graph.control_dependencies(list(ctx.control_captures)):
        outs = _while.apply(flat + caps, name=graph.get_name_scope() + "/" if v2 else "While",
                            body=ctx, n_vars=n, back_prop=back_prop,
                            Tout=[t.dtype.base_dtype for t in flat], output_shapes=shapes,
                            ref_inputs=tuple(n + i for i, t in enumerate(caps)
                                             if ctx.captures[t]),
                            _pure=all(recomputable(op) for op in ctx.ops))
    names = ([f"Identity_{i + 2}" for i in range(n)] if v2
             else ["Exit"] + [f"Exit_{i}" for i in range(1, n)])
    return [_shared.identity(t, name=nm) for t, nm in zip(outs[:-1], names)]


def _bounded(cond, body, loop_vars, shape_invariants, back_prop, name, maximum_iterations,
             same_structure):
    """TF's maximum_iterations: a counter joins the variables, and the cond tests it first."""
    with name_scope(name, "while", _tensors(nest.flatten(loop_vars))) as scope:
        limit = convert_to_tensor(maximum_iterations, name="maximum_iterations")
        if limit._shape is not None and len(limit._shape) != 0:
            raise ValueError("maximum_iterations must be a scalar, saw shape: "
                             f"{limit.shape}")
        invariants = None if shape_invariants is None else (tensor_shape.TensorShape([]),
                                                            shape_invariants)
        counted = while_loop(
            lambda i, lv: math_ops.logical_and(i < limit, cond(*_seq(lv))),
            lambda i, lv: (i + 1, _as_structure(body(*_seq(lv)), lv)),
            (constant(0, limit.dtype.base_dtype, name="iteration_counter"), loop_vars),
            shape_invariants=invariants, back_prop=back_prop, name=scope,
            return_same_structure=True)
    return _result(counted[1], same_structure)


def _seq(lv):
    return lv if isinstance(lv, (list, tuple)) else [lv]


# -- the gradient ---------------------------------------------------------------------------------
@_while.gradient
def _while_grad(op, *grads):
    """WhileGrad: the body's gradient run backwards over the recorded iterations."""
    ctx, n = op._attrs["body"], op._attrs["n_vars"]
    if not op._attrs["back_prop"]:
        return [None] * len(op._inputs)
    graph = op._graph
    var_ks = [k for k in range(n) if backprop(ctx.loop_vars[k])]
    cap_at = [i for i in range(n, len(op._inputs)) if backprop(op._inputs[i])]
    caps = [op._inputs[i] for i in cap_at]
    g = Context(graph, "while", forward=ctx)
    with graph._control_flow(g):
        g.loop_vars = [_loop_var_like(ctx.loop_vars[k], ctx.loop_vars[k]._shape, "grad_in")
                       for k in var_ks]
        xs = [ctx.loop_vars[k] for k in var_ks] + caps
        dxs = gradients([ctx.outputs[k] for k in var_ks], xs, grad_ys=g.loop_vars,
                        stop_gradients=xs)
        kept = [j for j, (x, d) in enumerate(zip(xs, dxs))
                if d is not None or j < len(var_ks) or zeros_for(x) is not None]
        g.outputs = [convert_to_tensor(dxs[j]) if dxs[j] is not None
                     else array_ops.zeros_like(xs[j]) if j < len(var_ks) else zeros_for(xs[j])
                     for j in kept]
    g.close_gradient(g.outputs)
    xs = [xs[j] for j in kept]
    cap_at = [cap_at[j - len(var_ks)] for j in kept if j >= len(var_ks)]
    caps = [op._inputs[i] for i in cap_at]
    ctx.record_iterations = True
    gcaps = list(g.captures)
    m = len(var_ks)
    with graph.control_dependencies(list(g.control_captures)):
        # (the captured tensors' shapes: their gradients are zeros of them after no iteration)
        shapes = [array_ops.shape(t) for t in caps]
        outs = _while_grad_op.apply(
            [grads[k] for k in var_ks] + gcaps + shapes + [op._outputs[-1]], name="WhileGrad",
            body=g, n_vars=m, Tout=[x.dtype.base_dtype for x in xs],
            output_shapes=[x._shape for x in xs],
            ref_inputs=tuple(m + i for i, t in enumerate(gcaps) if g.captures[t]))
    result = [None] * len(op._inputs)  # (by position: a tensor may enter as a variable and
    for i, grad in zip(var_ks + cap_at, outs):  # be captured too)
        result[i] = grad
    return result


def _grad_shapes(*inputs, Tout, output_shapes, **attrs):
    return list(output_shapes)


def _grad_dtypes(*inputs, Tout, **attrs):
    return list(Tout)


@register_op("WhileGrad", shape=_grad_shapes, dtype=_grad_dtypes, outputs="n", stateful=True,
             ref_inputs="attr")
def _while_grad_op(state, op, *inputs, **attrs):  # (bound by _bind_while_grad)
    raise AssertionError("WhileGrad runs through its bound kernel")


@_while_grad_op.specialize
def _bind_while_grad(op, state):
    g, m = op._attrs["body"], op._attrs["n_vars"]
    index = {t: i for i, t in enumerate(op._inputs)}
    feeds, positions = _feeds(g, index, g.loop_vars)
    from_record = list(g.fed)
    step = compile_function(state, g.outputs, feeds + from_record, g.runnable_ops())
    types = [t.as_numpy_dtype for t in op._attrs["Tout"][m:]]

    def kernel(*inputs):
        current, captured = list(inputs[:m]), [inputs[i] for i in positions]
        sums = None
        for record in reversed(inputs[-1] or ()):
            out = step(*current, *captured, *[record[t] for t in from_record])
            current = list(out[:m])
            sums = list(out[m:]) if sums is None else [a + b for a, b in zip(sums, out[m:])]
        if sums is None:  # no iteration: the captured tensors' gradients are zeros
            shapes = inputs[len(inputs) - 1 - len(types):-1]
            sums = [np.zeros(s, t) for s, t in zip(shapes, types)]
        return current + sums
    return kernel


@_while_grad_op.gradient
def _while_grad_grad(op, *grads):
    raise LookupError(f"No gradient defined for operation '{op.name}' (op type: WhileGrad): "
                      "minitf has no second derivatives through tf.while_loop")
