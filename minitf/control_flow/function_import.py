"""Rebuilds the If, Case, While and call nodes of an imported GraphDef from its function
library (TF's control flow v2 form, which minitf's `as_graph_def` writes too).

`tf.import_graph_def` (framework/importer.py) hands each node calling library functions to
`import_functional` (registered with framework/function_library.py when this module is
imported): an If / StatelessIf becomes a minitf `cond` whose branches import the functions'
nodes on the If's inputs; a Case / StatelessCase a `switch_case` (an index out of range runs
the last branch, as TF's); a While / StatelessWhile a `while_loop` whose cond and body import
theirs on the loop variables, its `output_shapes` the shape invariants; a
(Stateful)PartitionedCall its function's nodes, inline, its outputs after its control outputs.
The ops minitf makes go in the node's name scope (one scope down when the GraphDef has names
there: TF2's `while/Identity_3` beside the loop `while`). Gradients of the imported ops are
minitf's own.
"""
from minitf.control_flow import cond as _cond, while_loop as _while_loop
from minitf.framework import dtypes, function_library, tensor_shape
from minitf.framework.attr_values import from_attr_value
from minitf.framework.function_library import graph_input
from minitf.framework.graph_pb import NodeDef
from minitf.framework.importer import _topological
from minitf.framework.ops import Tensor
from minitf.ops import _shared, control_flow_ops, math_ops

__all__ = ["import_functional"]


def import_functional(graph, node, nodes, inputs, prefix, library, import_one):
    """Rebuilds a functional node (If, Case, While, a call) of an imported GraphDef in minitf.

    Args:
      graph: the Graph imported into.
      node: the NodeDef (its op type in FUNCTIONAL_TYPES).
      nodes: {name: NodeDef} of the graph (or function) it is in.
      inputs: its data inputs, as Tensors of `graph`.
      prefix: the name prefix of the imported ops (`import/`).
      library: {function name: FunctionDef} of the GraphDef's library.
      import_one: the importer's `(graph, node, nodes, made, prefix, library) -> (op,
        outputs)`, for the functions' nodes.

    Returns:
      (the op standing for the node, its outputs as the node's output indices give them).

    Raises:
      ValueError: the node names a function the library does not hold.
    """
    full = prefix + node.name
    if any(name.startswith(node.name + "/") for name in nodes):
        # the ops minitf makes go one scope down, where they take no name of the GraphDef's
        # (TF2's `while/Identity_3` beside the loop `while`)
        full = f"{full}/{node.op}"

    def body(attr, index=None):
        """The function named by attr `attr` (its `index`th for a list): args -> outputs."""
        value = node.attr[attr]
        name = value.func.name if index is None else value.list.func[index].name
        if name not in library:
            raise ValueError(f"Node '{node.name}' ({node.op}): its {attr} names the function "
                             f"'{name}', which the GraphDef's library does not hold")
        return lambda *args: _instantiate(graph, library[name], list(args),
                                          graph.get_name_scope() + "/", library, import_one)
    kind = node.op.replace("Stateless", "").replace("Stateful", "")
    return _BUILDERS[kind](graph, node, inputs, full, body)


def _if(graph, node, inputs, full, body):
    then_fn, else_fn = body("then_branch"), body("else_branch")
    outs = _cond.cond(_as_bool(inputs[0]), lambda: then_fn(*inputs[1:]),
                      lambda: else_fn(*inputs[1:]), strict=True, name=full)
    return outs[0]._op._inputs[0]._op if outs else None, list(outs)


def _case(graph, node, inputs, full, body):
    """A switch_case: an index out of range runs the last branch, as TF's Case."""
    fns = [body("branches", k) for k in range(len(node.attr["branches"].list.func))]
    fns = [lambda f=f: f(*inputs[1:]) for f in fns]
    index = inputs[0]
    if index.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        index = math_ops.cast(index, dtypes.int32)
    outs = _cond.switch_case(index, fns[:-1] or fns, default=fns[-1] if len(fns) > 1
                             else None, name=full)
    outs = list(outs) if isinstance(outs, (list, tuple)) else [outs]
    return outs[0]._op._inputs[0]._op if outs else None, outs


def _while(graph, node, inputs, full, body):
    """A while_loop, the node's `output_shapes` its shape invariants."""
    cond_fn, body_fn = body("cond"), body("body")
    shapes = from_attr_value(node.attr["output_shapes"]) if "output_shapes" in node.attr else []
    invariants = ([tensor_shape.as_shape(s) for s in shapes]
                  if len(shapes) == len(inputs) else None)
    outs = _while_loop.while_loop(lambda *v: _as_bool(cond_fn(*v)[0]), body_fn, list(inputs),
                                  shape_invariants=invariants, name=full,
                                  return_same_structure=True)
    return outs[0]._op._inputs[0]._op, list(outs)


def _call(graph, node, inputs, full, body):
    """The function's nodes, inline, its outputs renamed as the call's."""
    with graph.name_scope(full + "/"):
        outs = body("f")(*inputs)
    ops = [t for t in outs if not isinstance(t, Tensor)]  # (effects only: a no_op)
    outs = [_shared.identity(t, name=full if k == 0 else f"{full}_{k}")
            for k, t in enumerate(t for t in outs if isinstance(t, Tensor))]
    if not outs:
        with graph.control_dependencies(ops):
            return _no_op(full), []
    return outs[0]._op, outs


_BUILDERS = {"If": _if, "Case": _case, "While": _while, "PartitionedCall": _call}


def _no_op(name=None):
    return control_flow_ops.no_op(name=name)


def _as_bool(t):
    """TF's functional ops take any scalar as a predicate: nonzero is true."""
    if t.dtype.base_dtype == dtypes.bool:
        return t
    return math_ops.not_equal(t, math_ops.cast(0, t.dtype.base_dtype))


def _instantiate(graph, fdef, args, prefix, library, import_one):
    """Imports `fdef`'s nodes on the tensors `args`; returns its outputs' tensors."""
    sig = fdef.signature
    if len(args) != len(sig.input_arg):
        raise ValueError(f"Function '{sig.name}' takes {len(sig.input_arg)} arguments; "
                         f"{len(args)} were given")
    arg_names = [a.name for a in sig.input_arg]
    by_name = {n.name: n for n in fdef.node_def}
    nodes = {}
    for n in fdef.node_def:
        node = NodeDef()
        node.CopyFrom(n)
        del node.input[:]
        node.input.extend(graph_input(x, by_name) for x in n.input)
        nodes[n.name] = node
    for name in arg_names:
        nodes[name] = NodeDef(name=name, op="_Arg")
    made = {"ops": {}, "outputs": {name: [t] for name, t in zip(arg_names, args)},
            "used": set()}
    with graph.name_scope(None):  # (`prefix` is the whole scope)
        for node in _topological(list(nodes.values()), nodes):
            if node.op == "_Arg":
                continue
            op, outputs = import_one(graph, node, nodes, made, prefix, library)
            made["ops"][node.name] = op
            made["outputs"][node.name] = outputs
    out = []
    for arg in sig.output_arg:
        src, _, index = graph_input(fdef.ret[arg.name], by_name).partition(":")
        out.append(made["outputs"][src][int(index or 0)])
    effects = [made["ops"][name] for name in fdef.control_ret.values()]
    if not effects:
        return out
    with graph.control_dependencies(effects):  # (the function's control outputs run too)
        return [_shared.identity(t) for t in out] if out else [_no_op()]


function_library.register_importer(import_functional)
