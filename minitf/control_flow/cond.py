"""`tf.cond`, `tf.case` and `tf.switch_case` with TF1's semantics, run by one `If` op.

Each branch function builds its ops in a Context (framework/control_flow_context.py) under the
cond's name scope (`cond/mul`, as TF1 names them); the If op takes the predicate and every tensor
the branches use from outside, and runs the taken branch's ops as a sub-plan: the other branch
never runs (its failing Assert, its updates, its cost). The outputs are `cond/Merge`,
`cond/Merge_1`, ... as in TF1. Variables made in a branch are made outside it (as TF1's are).

The gradient is an If on the same predicate whose branches hold each branch's gradient: the
taken branch is differentiated, the other gives zeros. A gradient branch recomputes its forward
branch's stateless ops; the outputs of stateful ones (a random draw, an update) come from the
forward run's record, the If's last output.
"""
from minitf.control_flow.tensor_array import TensorArray
from minitf.framework import dtypes, nest
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.control_flow_context import Context, control_flow_v2_enabled, recomputable
from minitf.framework.graph import get_default_graph
from minitf.framework.indexed_slices import IndexedSlices
from minitf.framework.ops import Operation
from minitf.framework.registry import register_op
from minitf.gradients import gradients
from minitf.ops import _shared, array_ops, debug_ops, math_ops
from minitf.plan import compile_function

__all__ = ["cond", "case", "switch_case"]


def out_shapes(*inputs, Tout, output_shapes, **attrs):
    """The static shapes of an If's or While's outputs: its results', then its record's."""
    return list(output_shapes) + [()]


def out_dtypes(*inputs, Tout, **attrs):
    """The dtypes of an If's or While's outputs: its results', then the record's (variant)."""
    return list(Tout) + [dtypes.variant]


@register_op("If", shape=out_shapes, dtype=out_dtypes, outputs="n", stateful=True,
             ref_inputs="attr")
def _if(state, op, *inputs, **attrs):  # (bound by _bind_if)
    raise AssertionError("If runs through its bound kernel")


@_if.specialize
def _bind_if(op, state):
    branches = op._attrs["branches"]
    runners = [None] * len(branches)
    gradient, cases = op._attrs["gradient"], op._attrs["cases"]
    index = {t: i for i, t in enumerate(op._inputs)}

    def kernel(pred, *inputs):
        if cases is None:  # a cond
            k = 0 if pred else 1
        else:  # a switch_case: out of range runs the last branch (its default)
            k = int(pred)
            k = k if 0 <= k < cases else len(branches) - 1
        runner = runners[k]
        if runner is None:
            runner = runners[k] = branch_runner(branches[k], state, index)
        return runner((pred,) + inputs, inputs[-1] if gradient else None)
    return kernel


def branch_runner(ctx, state, index):
    """(inputs of the closing op, the record it was given) -> outputs + [its record]: runs the
    ops of `ctx` (a branch, a function body, a gradient of either) as a sub-plan; a function's
    arguments (`ctx.args`) and `ctx.effects` (ops run for their effect) are fed and run too."""
    feeds = list(getattr(ctx, "args", ())) + [t for t, ref in ctx.captures.items() if not ref]
    positions = [index[t] for t in feeds]
    from_record = list(ctx.fed)
    saved = list(ctx.saved)
    effects = list(getattr(ctx, "effects", ()))
    function = compile_function(state, ctx.outputs + saved + effects, feeds + from_record,
                                ctx.runnable_ops())
    n, m = len(ctx.outputs), len(ctx.outputs) + len(saved)

    def run(inputs, record):
        values = function(*[inputs[i] for i in positions], *[record[t] for t in from_record])
        if not saved and not from_record:
            return list(values[:n]) + [None]
        out = dict(record) if record else {}
        out.update(zip(saved, values[n:m]))
        return list(values[:n]) + [out]
    return run


def zeros_for(x):
    """The zero gradient of `x`, or None where it has none (a resource other than a variable's
    handle, as a TensorArray's)."""
    if x.dtype.base_dtype != dtypes.resource:
        return array_ops.zeros_like(x)
    if x._op.type == "VarHandleOp":
        shape, dtype = x._op.get_attr("shape"), x._op.get_attr("dtype")
        if shape is not None and None not in shape:
            return array_ops.zeros(list(shape), dtype)
    return None


def _check_pred(pred):
    if isinstance(pred, bool):
        raise TypeError("'pred' must not be a Python bool.")
    pred = convert_to_tensor(pred)
    if pred.dtype.base_dtype != dtypes.bool:
        raise TypeError(f"Input 'pred' of 'Switch' Op has type {pred.dtype.base_dtype.name} "
                        "that does not match expected type of bool.")
    if pred._shape is not None and len(pred._shape) != 0:
        raise ValueError(f"Shape must be rank 0 but is rank {len(pred._shape)} for 'Switch' "
                         f"with input shapes: {list(pred._shape)}.")
    return pred


def build_branch(graph, fn, pred, what):
    """Runs `fn()` in a new branch Context; returns (context, its structured result)."""
    ctx = Context(graph, "cond")
    with graph._control_flow(ctx):
        result = fn()
        if result is None:
            raise ValueError(f"{what} must have a return value.")
        flat = [v.flow if isinstance(v, TensorArray) else _as_output(v, pred)
                for v in nest.flatten(result)]
    for t in flat:
        if not ctx.holds(t._op):  # an outside tensor returned as it is
            ctx.captures.setdefault(t, t._op._opdef.read_at_use)
    ctx.outputs = flat
    return ctx, result


def _as_output(value, pred):
    if isinstance(value, Operation):  # (TF1: an op's output is the predicate, after the op)
        with value._graph.control_dependencies([value]):
            return _shared.identity(pred)
    if isinstance(value, IndexedSlices):
        value = convert_to_tensor(value)
    return convert_to_tensor(value)


def _merge_shape(a, b):
    if a is None or b is None or len(a) != len(b):
        return None
    return tuple(x if x == y else None for x, y in zip(a, b))


def make_if(graph, pred, branches, names, gradient=None, output_shapes=None, cases=None,
            op_name="If"):
    """The If op running one of `branches` (Contexts with outputs) by `pred`; returns its
    outputs (renamed by Identity ops `names`) and the op. `gradient`: the record input."""
    captures = {}
    for ctx in branches:
        for t, ref in ctx.captures.items():
            captures[t] = captures.get(t, True) and ref
    caps = list(captures)
    first = branches[0].outputs
    if output_shapes is None:
        output_shapes = [t._shape for t in first]
        for ctx in branches[1:]:
            output_shapes = [_merge_shape(s, t._shape) for s, t in zip(output_shapes,
                                                                         ctx.outputs)]
    controls = [c for ctx in branches for c in ctx.control_captures]
    inputs = [pred] + caps + ([gradient] if gradient is not None else [])
    pure = all(recomputable(op) for ctx in branches for op in ctx.ops)
    with graph.control_dependencies(controls):
        outs = _if.apply(inputs, name=op_name, branches=branches,
                         Tout=[t.dtype.base_dtype for t in first], output_shapes=output_shapes,
                         ref_inputs=tuple(1 + i for i, t in enumerate(caps) if captures[t]),
                         gradient=gradient is not None, cases=cases, _pure=pure)
    op = outs[0]._op if outs else None
    return [_shared.identity(t, name=n) for t, n in zip(outs[:-1], names)], op


def _arrays(leaves, outs):
    """The outputs, as TensorArrays (of the branch's handle) where a branch returned one."""
    return [v._with_flow(t) if isinstance(v, TensorArray) else t for v, t in zip(leaves, outs)]


def _unpack_singleton(value):
    if isinstance(value, (list, tuple)) and len(value) == 1:
        return value[0]
    return value


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """Returns `true_fn()` if `pred` is true else `false_fn()`, TF1's way.

    Both functions are called once, now, to build their ops; when run, only the taken branch's
    ops run. The functions must return the same structure (nested lists, tuples, dicts) of
    tensors of the same dtypes; an Operation returned becomes a tensor that runs it.

    Args:
      pred: a scalar boolean Tensor (a Python bool is a TypeError, as in TF).
      true_fn, false_fn: functions of no arguments.
      strict: if False (default), a result that is a list of one element is unpacked.
      name: a name scope for the ops (default "cond").
      fn1, fn2: TF's deprecated names for `true_fn` and `false_fn`.

    Returns:
      The structure the functions return, of the cond's output tensors (`cond/Merge:0`, ...).

    Raises:
      TypeError: `pred` is a Python bool or not boolean, or a function is not callable.
      ValueError: `pred` is not a scalar, or the branches' results differ in structure or
        dtype.

    >>> x = tf.placeholder(tf.float32, [])
    >>> y = tf.cond(x > 0.0, lambda: x * 2.0, lambda: -x)
    >>> y.name
    'cond/Merge:0'
    >>> with tf.Session() as sess:
    ...     print(sess.run(y, {x: 3.0}), sess.run(y, {x: -4.0}))
    6.0 4.0
    """
    true_fn, false_fn = _fns(true_fn, fn1, "true_fn", "fn1"), _fns(false_fn, fn2, "false_fn",
                                                                     "fn2")
    graph = get_default_graph()
    if graph._eager:
        return (true_fn if bool(_check_pred(pred)._value) else false_fn)()
    with name_scope(name, "cond", [pred]) as scope:
        pred = _check_pred(pred)
        pred = _shared.identity(pred, name="pred_id")
        ctx_t, res_t = build_branch(graph, true_fn, pred, "true_fn")
        ctx_f, res_f = build_branch(graph, false_fn, pred, "false_fn")
        nest.assert_same_structure(res_t, res_f)
        for a, b in zip(ctx_t.outputs, ctx_f.outputs):
            if a.dtype.base_dtype != b.dtype.base_dtype:
                raise ValueError(
                    "Outputs of 'true_fn' and 'false_fn' must have the same type(s). Received "
                    f"{a.dtype.base_dtype.name} from 'true_fn' and {b.dtype.base_dtype.name} "
                    "from 'false_fn'.")
        v2 = control_flow_v2_enabled()  # (TF2's names: `cond`, `cond/Identity`)
        base = "Identity" if v2 else "Merge"
        names = [base] + [f"{base}_{i}" for i in range(1, len(ctx_t.outputs))]
        outs, _ = make_if(graph, pred, [ctx_t, ctx_f], names, op_name=scope if v2 else "If")
        result = nest.pack_sequence_as(res_t, _arrays(nest.flatten(res_t), outs))
    return result if strict else _unpack_singleton(result)


def _fns(fn, old, name, old_name):
    if fn is not None and old is not None:
        raise TypeError(f"{name} and {old_name} may not be set simultaneously.")
    fn = old if fn is None else fn
    if fn is None:
        raise TypeError(f"{name} must not be None.")
    if not callable(fn):
        raise TypeError(f"{name} must be callable.")
    return fn


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """Runs the branch function `branch_fns[branch_index]` (or `default`), TF's way.

    Args:
      branch_index: a scalar int32 Tensor.
      branch_fns: a list of functions, or of (index, function) pairs, or a dict index ->
        function; the indices must be 0..n-1.
      default: the function for an index out of range (default: the last branch).
      name: a name scope for the ops.

    Returns:
      The structure the functions return, of output tensors.

    Raises:
      TypeError: `branch_index` is not an integer tensor, or a branch is not callable.
      ValueError: `branch_fns` is empty or its indices are not 0..n-1, or the branches'
        results differ.
    """
    fns = _branch_list(branch_fns)
    graph = get_default_graph()
    if graph._eager:
        k = int(convert_to_tensor(branch_index)._value)
        return (fns[k] if 0 <= k < len(fns) else (default or fns[-1]))()
    with name_scope(name, "switch_case", [branch_index]):
        index = convert_to_tensor(branch_index, name="branch_index")
        if index.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError(f"branch_index must be an int32 or int64 Tensor, got "
                            f"{index.dtype.base_dtype.name}")
        cases = len(fns)
        if default is not None:
            fns = fns + [default]
        elif cases == 1:
            return fns[0]()
        built = [build_branch(graph, fn, index, f"branch_fns[{i}]")
                 for i, fn in enumerate(fns)]
        ctxs = [c for c, _ in built]
        for _, res in built[1:]:
            nest.assert_same_structure(built[0][1], res)
        for ctx in ctxs[1:]:
            for a, b in zip(ctxs[0].outputs, ctx.outputs):
                if a.dtype.base_dtype != b.dtype.base_dtype:
                    raise ValueError(f"branch_fns must return the same dtypes: "
                                     f"{a.dtype.base_dtype.name} and {b.dtype.base_dtype.name}")
        names = ["Merge"] + [f"Merge_{i}" for i in range(1, len(ctxs[0].outputs))]
        outs, _ = make_if(graph, _shared.identity(index, name="branch_id"), ctxs, names,
                          cases=cases)
        return nest.pack_sequence_as(built[0][1], _arrays(nest.flatten(built[0][1]), outs))


def _branch_list(branch_fns):
    if isinstance(branch_fns, dict):
        items = sorted(branch_fns.items())
    elif branch_fns and isinstance(branch_fns[0], (list, tuple)):
        items = sorted(branch_fns)
    else:
        items = list(enumerate(branch_fns or []))
    if not items:
        raise ValueError("Must provide at least one item in branch_fns")
    if [k for k, _ in items] != list(range(len(items))):
        raise ValueError("branch indices (keys) must form contiguous range of [0 to "
                         f"{len(items)}) but found {{{', '.join(str(k) for k, _ in items)}}}.")
    for k, fn in items:
        if not callable(fn):
            raise TypeError(f"fn for key {k} must be callable.")
    return [fn for _, fn in items]


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """Runs the function of the first pair whose predicate is true, else `default` (TF1).

    Built as nested `cond`s in pair order (TF1's `case`); with `exclusive`, an Assert checks
    that at most one predicate is true.

    Args:
      pred_fn_pairs: a list of (boolean scalar Tensor, function) pairs, or a dict of them.
      default: the function when no predicate holds (default: the last pair's function, as
        TF when it is not given).
      exclusive: whether to check that at most one predicate is true.
      strict: as in `cond`.
      name: a name scope for the ops.

    Returns:
      The structure the functions return, of output tensors.

    Raises:
      TypeError: `pred_fn_pairs` is not a list or dict of pairs of a boolean Tensor and a
        callable.
      minitf.errors.InvalidArgumentError: at run time, with `exclusive`, more than one
        predicate is true.
    """
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else pred_fn_pairs
    if not isinstance(pairs, (list, tuple)):
        raise TypeError("fns must be a list, tuple, or dict")
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError("Each entry in pred_fn_pairs must be a 2-tuple")
        if not callable(pair[1]):
            raise TypeError(f"fn for pred {getattr(pair[0], 'name', pair[0])} must be callable.")
    if not pairs:
        return default()
    with name_scope(name, "case", [p for p, _ in pairs]):
        preds = [_check_pred(p) for p, _ in pairs]
        stacked = array_ops.stack(preds)
        deps = []
        if exclusive and len(preds) > 1:  # (every predicate, the default's pair's too)
            count = math_ops.reduce_sum(math_ops.cast(stacked, dtypes.int32))
            named = ", ".join(p.name for p, _ in pairs)
            check = debug_ops.Assert(math_ops.less_equal(count, 1), [
                f"Input error: exclusive=True: more than 1 conditions ({named}) evaluated as "
                "True:", stacked], name="Assert")
            deps = [] if check is None else [check]
        if default is None:  # (TF: the last pair runs when no predicate holds: an error)
            last = pairs[-1][1]
            pairs, preds = pairs[:-1], preds[:-1]

            def default():
                none = debug_ops.Assert(math_ops.reduce_any(stacked), [
                    "Input error: None of conditions evaluated as True:", stacked])
                with get_default_graph().control_dependencies([none] if none else []):
                    return nest.map_structure(_shared.identity, last())
        with get_default_graph().control_dependencies(deps):
            fn = default
            for pred, (_, f) in reversed(list(zip(preds, pairs))):
                fn = _chain(pred, f, fn, strict)
            return fn()


def _chain(pred, f, otherwise, strict):
    return lambda: cond(pred, f, otherwise, strict=strict)


def backprop(t):
    """Whether a gradient flows through tensor `t` (float, complex, resource), as tf.gradients."""
    base = t.dtype.base_dtype
    return base.is_floating or base.is_complex or base == dtypes.resource


@_if.gradient
def _if_grad(op, *grads):
    """An If on the same predicate whose branches differentiate the forward branches."""
    graph, branches = op._graph, op._attrs["branches"]
    grads = grads[:-1]  # (the record has no gradient)
    n_in = len(op._inputs) - (1 if op._attrs["gradient"] else 0)
    xs = [t for t in op._inputs[1:n_in] if backprop(t)]
    if not xs:
        return [None] * len(op._inputs)
    contexts, results = [], []
    for ctx in branches:
        g = Context(graph, "cond", forward=ctx)
        pairs = [(y, gy) for y, gy in zip(ctx.outputs, grads) if backprop(y)]
        with graph._control_flow(g):
            gs = gradients([y for y, _ in pairs], xs, grad_ys=[gy for _, gy in pairs],
                           stop_gradients=xs) if pairs else [None] * len(xs)
        contexts.append(g)
        results.append(gs)
    keep = [k for k in range(len(xs)) if any(gs[k] is not None for gs in results)
            and (all(gs[k] is not None for gs in results) or zeros_for(xs[k]) is not None)]
    for g, gs in zip(contexts, results):
        with graph._control_flow(g):
            g.outputs = [zeros_for(xs[k]) if gs[k] is None
                         else convert_to_tensor(gs[k]) for k in keep]
        g.close_gradient(g.outputs)
    shapes = [xs[k]._shape for k in keep]
    outs, _ = make_if(graph, op._inputs[0], contexts, [f"If_grad_{k}" for k in keep],
                      gradient=op._outputs[-1], output_shapes=shapes,
                      cases=op._attrs["cases"])
    by_x = dict(zip([xs[k] for k in keep], outs))
    return [None] + [by_x.get(t) for t in op._inputs[1:n_in]] + (
        [None] if op._attrs["gradient"] else [])
