"""A GraphDef's function library: the bodies of If, While, Case and call ops as FunctionDefs.

Export (`Library`, used by graph_to_def.py): minitf keeps a cond's branches, a loop's cond
and body and a function's body as Contexts of ops in the main graph
(framework/control_flow_context.py). In a GraphDef they are written as TF's control flow v2
writes them: each becomes a FunctionDef of the GraphDef's `library`, its ops written there
(not among the graph's nodes) under their names less the op's name scope (`cond/mul` is `mul`
in the function `cond_true`), and the node names it by TF's attrs:
  - If: inputs the predicate then every tensor the branches take from outside; `Tin`,
    `Tout`, `output_shapes`, `then_branch` and `else_branch`; each branch function takes all
    of the If's inputs but the predicate, and returns the branch's results. A switch_case is
    TF's Case (`branches`). The gradient of a cond is an If of the same form, its branches
    holding the forward ops they run again;
  - While: inputs the loop variables then the tensors the loop takes from outside (TF passes
    those through the loop as variables, as control flow v2 does); `T`, `output_shapes`,
    `cond` (the arguments -> the boolean) and `body` (the arguments -> the next values,
    the outside tensors returned as they came);
  - StatefulPartitionedCall (a `tf.function` call): `Tin`, `Tout`, `f` (one function per
    trace), the ops run for their effect as the function's control outputs.
An op whose functions hold no stateful op is TF's stateless form (StatelessIf,
StatelessWhile, StatelessCase, PartitionedCall), as TF writes it. Inside a function, a node's
input is an argument's name or `node:out_arg:index` (TF's form: `mul:z:0`, the output arg `z`
of the op's interface). Written as before (their ops as nodes of the graph, the func attrs
naming functions the library lacks): WhileGrads, and gradient Ifs fed by their forward If's
record (of stateful forward ops), which a FunctionDef cannot hold. A ref variable a body
updates (Assign on a VariableV2) stays named by its graph name: TF's functions take no refs.

Import (`import_functional`, used by importer.py) is minitf/control_flow/function_import.py's,
registered here (`register_importer`) as the framework imports nothing of the layers above it:
an If becomes a minitf `cond` whose branches import the functions' nodes, a Case a
`switch_case`, a While a `while_loop`, a call its function's nodes inline. This module gives it
the names a function's nodes use (`graph_input`).
"""
import os
import re

from minitf.framework import attr_values
from minitf.framework.control_flow_context import recomputable
from minitf.framework.function_pb import FunctionDef, FunctionDefLibrary
from minitf.framework.tf_op_signatures import signature

__all__ = ["Library", "calls_functions", "import_functional", "register_importer",
           "graph_input", "output_args", "FUNCTIONAL_TYPES"]

# the functional op types the importer rebuilds (TF's stateful and stateless forms)
FUNCTIONAL_TYPES = {"If", "StatelessIf", "While", "StatelessWhile", "Case", "StatelessCase",
                    "StatefulPartitionedCall", "PartitionedCall"}


def _sanitized(name):
    """A name as TF's function args must be: `[a-z][a-z0-9_]*`."""
    out = re.sub(r"[^a-z0-9_]", "_", name.lower())
    return out if out[:1].isalpha() else "a" + out


class Library:
    """The functions of a graph's If, While and call ops, and their nodes' attrs.

    Args:
      graph: the Graph being written.
      add_shapes: whether nodes get `_output_shapes` attrs (`as_graph_def(add_shapes=...)`).
      node_defs: graph_to_def's `node_defs(op, add_shapes, taken)`.
    """

    def __init__(self, graph, add_shapes, node_defs):
        self.graph, self.add_shapes, self._node_defs = graph, add_shapes, node_defs
        self.proto = FunctionDefLibrary()
        self._names = set()
        self._exported = set()
        self._calls = {}  # a call's body context -> its function's name
        self._stateful = set()  # the functions with stateful ops
        self._written = {}  # functional op -> its NodeDef
        for op in graph.get_operations():
            self._exported.update(ctx for _, ctx in _bodies(op))

    def inside(self, op):
        """Returns whether `op` is written in a function, not as a node of the graph.

        It is when it is in a body of an op written with functions, or nested in one.

        Args:
          op: an Operation.
        """
        c = op._cf_context
        while c is not None:
            if c in self._exported:
                return True
            c = c.parent
        return False

    def node_defs(self, op, taken):
        """Returns the NodeDefs of `op` (graph_to_def's), a functional op's with TF's attrs.

        The bodies of a functional op are added to the library once (a nested op may be in
        two functions: a loop's cond and body).

        Args:
          op: an Operation.
          taken: the graph's op names (graph_to_def names the Consts it adds apart).
        """
        nodes = self._node_defs(op, self.add_shapes, taken)
        if _bodies(op):
            if op not in self._written:
                self._functional(op, nodes[-1])
                self._written[op] = nodes[-1]
            nodes[-1] = self._written[op]
        return nodes

    # -- a functional op's node ---------------------------------------------------------------
    def _functional(self, op, node):
        base = _sanitized(_scope(op).rstrip("/") or op.name)
        if op.type == "While":
            self._while(op, node, base)
        elif op.type == "If":
            self._if(op, node, base)
        else:
            self._call(op, node, base)
        funcs = [a.func.name for a in node.attr.values() if a.HasField("func")] + [
            f.name for a in node.attr.values() if a.HasField("list") for f in a.list.func]
        if not self._stateful.intersection(funcs):  # (as TF: bodies without stateful ops)
            node.op = _STATELESS[node.op]

    def _if(self, op, node, base):
        """If: each branch takes every input but the predicate. A switch_case is TF's Case."""
        attrs, caps = op._attrs, op._inputs[1:]
        if attrs.get("gradient"):  # (its record input, unused: see _bodies)
            caps = caps[:-1]
            del node.input[len(caps) + 1]
        if attrs.get("cases") is not None:
            for key in list(node.attr):  # (minitf's If attrs are not Case's)
                del node.attr[key]
            node.op = "Case"
        _set(node, "Tin", "list(type)", [t.dtype.base_dtype for t in caps])
        _set(node, "Tout", "list(type)", attrs["Tout"])
        _set(node, "output_shapes", "list(shape)", attrs["output_shapes"])
        if node.op == "Case":
            _set(node, "branches", "list(func)", [
                self._function(f"{base}_branch{k}", op, ctx, caps, ctx.outputs)
                for k, ctx in enumerate(attrs["branches"])])
            return
        for key, ctx, suffix in zip(("then_branch", "else_branch"), attrs["branches"],
                                    ("true", "false")):
            _set(node, key, "func", self._function(f"{base}_{suffix}", op, ctx, caps,
                                                   ctx.outputs))

    def _while(self, op, node, base):
        """While: the tensors the loop takes from outside are loop variables the body passes
        through (TF's control flow v2)."""
        attrs, inputs = op._attrs, op._inputs
        ctx, n = attrs["body"], attrs["n_vars"]
        args = list(ctx.loop_vars) + list(inputs[n:])
        _set(node, "T", "list(type)", [t.dtype.base_dtype for t in inputs])
        _set(node, "output_shapes", "list(shape)",
             list(attrs["output_shapes"]) + [t._shape for t in inputs[n:]])
        _set(node, "cond", "func", self._function(f"{base}_cond", op, ctx, args,
                                                   [ctx.cond_output], inputs))
        _set(node, "body", "func", self._function(f"{base}_body", op, ctx, args,
                                                   ctx.outputs + args[n:], inputs))

    def _call(self, op, node, base):
        """A tf.function's call: one function for every call of the same trace, its arguments
        named as the trace names them, the captures by their source."""
        attrs, inputs = op._attrs, op._inputs
        body = attrs["body"]
        k = len(body.args)
        if attrs.get("gradient"):  # (its record input, unused: see _bodies)
            inputs = inputs[:-1]
            del node.input[len(inputs)]
        _set(node, "Tin", "list(type)", [t.dtype.base_dtype for t in inputs])
        _set(node, "Tout", "list(type)", attrs["Tout"])
        if body not in self._calls:
            scope = _common_scope([o.name for o in body.ops])
            name = "__" + _sanitized(scope.rstrip("/") or base)
            if body.forward in self._calls:  # a gradient: `__inference_f_grad`
                name = self._calls[body.forward] + "_grad"
            args = list(body.args) + list(inputs[k:])
            self._calls[body] = self._function(name, op, body, args, body.outputs, args, scope)
        _set(node, "f", "func", self._calls[body])

    def _unique(self, name):
        out, i = name, 0
        while out in self._names:
            i += 1
            out = f"{name}_{i}"
        self._names.add(out)
        return out

    # -- a function ---------------------------------------------------------------------------
    def _function(self, name, op, ctx, args, outputs, outer=None, prefix=None):
        """Adds the FunctionDef of `ctx`'s ops taking `args` (tensors standing for `outer`,
        default the args themselves: a branch's captures) and returning `outputs`; the ops'
        names lose `prefix` (default: the op's scope). Returns its name."""
        f = FunctionDef()
        f.signature.name = name = self._unique(name)
        prefix = _scope(op) if prefix is None else prefix
        effects = list(getattr(ctx, "effects", ()))
        ops = _needed(self._ops_of(ctx), outputs + effects, {t._op for t in args})
        taken = {o.name for o in self.graph.get_operations()}
        nodes = [n for o in ops for n in self.node_defs(o, taken)]
        renamed = {n.name: _strip(n.name, prefix) for n in nodes}
        used = set(renamed.values())
        refs = self._args(f, args, args if outer is None else outer, used)
        counts = {o.name: len(o._outputs) for o in ops}
        for n in nodes:  # (a Const graph_to_def adds for an input minitf holds: 1 output)
            refs.update(_output_refs(n, renamed[n.name], counts.get(n.name, 1)))
        for n in nodes:
            _add_node(f, n, renamed, refs)
        for t in outputs:
            out = _unique_in(_sanitized(_strip(t._op.name, prefix)), used)
            f.signature.output_arg.add(name=out, type=t.dtype.base_dtype.as_datatype_enum)
            f.ret[out] = refs.get(_tensor_name(t), _tensor_name(t))
        for o in effects:  # (ops run for their effect: TF's control outputs)
            if o.name in renamed:
                f.signature.control_output.append(renamed[o.name])
                f.control_ret[renamed[o.name]] = renamed[o.name]
        if not all(recomputable(o) for o in ops):
            f.signature.is_stateful = True
            self._stateful.add(name)
        self.proto.function.add().CopyFrom(f)
        return name

    def _ops_of(self, ctx):
        """The ops a body may run: its own, and for a gradient the stateless ones of the
        bodies it differentiates (which it runs again)."""
        ops = list(ctx.ops)
        for c in ctx.chain[1:]:
            ops.extend(o for o in c.ops if recomputable(o))
        return ops

    @staticmethod
    def _args(f, args, outer, used):
        """Adds `f`'s input args (named after `outer`'s ops) and `_output_shapes` arg attrs;
        returns {graph tensor name: arg name}."""
        refs = {}
        for i, (t, src) in enumerate(zip(args, outer)):
            arg = _unique_in(_sanitized(_strip(src._op.name, _scope_of(src._op.name))), used)
            f.signature.input_arg.add(name=arg, type=t.dtype.base_dtype.as_datatype_enum)
            refs[_tensor_name(t)] = arg
            shape = t._shape if t._shape is not None else src._shape
            if shape is not None:
                f.arg_attr[i].attr["_output_shapes"].CopyFrom(
                    attr_values.to_attr_value("list(shape)", [shape]))
        return refs


def _add_node(f, n, renamed, refs):
    """Adds NodeDef `n` to `f`, renamed, its inputs in a function's form (`mul:z:0`, an arg's
    name); control inputs from outside are left out (they order the functional op itself)."""
    node = f.node_def.add()
    node.CopyFrom(n)
    node.name = renamed[n.name]
    del node.input[:]
    for x in n.input:
        if not x.startswith("^"):
            node.input.append(refs.get(_tensor_key(x), x))
        elif x[1:] in renamed:
            node.input.append("^" + renamed[x[1:]])


_STATELESS = {"If": "StatelessIf", "While": "StatelessWhile", "Case": "StatelessCase",
              "StatefulPartitionedCall": "PartitionedCall"}


def _needed(ops, targets, args):
    """The ops of `ops` (but `args`) that `targets` (tensors, ops) need, in order: the sub-plan
    minitf runs (a While's cond and body share one context, each runs its own part)."""
    own, seen = set(ops) - args, set()
    stack = [getattr(t, "_op", t) for t in targets]
    while stack:
        o = stack.pop()
        if o in seen or o not in own:
            continue
        seen.add(o)
        stack.extend(x._op for x in o._inputs)
        stack.extend(o._control_inputs)
    return [o for o in ops if o in seen]


def _bodies(op):
    """[(func attr, context)] of an op written with a library function (none for others)."""
    attrs = op._attrs
    if op.type == "If" and not (attrs.get("gradient") and any(
            ctx.fed for ctx in attrs["branches"])):
        # (a gradient If is a function of its inputs unless its forward If's record feeds it)
        return [("branches", ctx) for ctx in attrs["branches"]]
    if op.type == "While" and hasattr(attrs.get("body"), "loop_vars"):
        return [("body", attrs["body"])]
    if op.type == "StatefulPartitionedCall" and hasattr(attrs.get("body"), "args") and not (
            attrs.get("gradient") and attrs["body"].fed):
        return [("f", attrs["body"])]
    return []


def _set(node, key, kind, value):
    node.attr[key].CopyFrom(attr_values.to_attr_value(kind, value))


def _scope(op):
    """The name prefix of the ops of `op`'s bodies: `cond/` for `cond/If` (TF1's names) or for
    `cond` (control flow v2's)."""
    names = [o.name for _, c in _bodies(op) for o in c.ops]
    own = op.name + "/"
    if names and all(name.startswith(own) for name in names):
        return own
    return _scope_of(op.name)


def _common_scope(names):
    """The longest scope (`a/b/`) all of `names` are in."""
    common = os.path.commonprefix(names) if names else ""
    return common[:common.rfind("/") + 1]


def _scope_of(name):
    return name[:name.rfind("/") + 1]


def _strip(name, prefix):
    return name[len(prefix):] if prefix and name.startswith(prefix) else name


def _unique_in(name, used):
    out, i = name, 0
    while out in used:
        out = f"{name}_{i}"
        i += 1
    used.add(out)
    return out


def _tensor_name(t):
    return f"{t._op.name}:{t._value_index}"


def _tensor_key(name):
    return name if ":" in name else name + ":0"


def _output_refs(node, name, n):
    """{graph tensor name: `name:out_arg:index`} of a node's outputs."""
    return {f"{node.name}:{k}": f"{name}:{arg}:{i}"
            for k, (arg, i) in enumerate(output_args(node, n))}


def output_args(node, n):
    """Returns [(output arg, index in it)] of a node's first `n` outputs.

    By its op type's interface (an op type TF lacks: `output`, flat).

    Args:
      node: a NodeDef.
      n: how many outputs.
    """
    sig = signature(node.op)
    if node.op in FUNCTIONAL_TYPES or sig is None:
        return [("output", k) for k in range(n)]
    counts = []
    for arg, kind, number, _ in sig[1]:
        if number is not None:
            counts.append((arg, node.attr[number].i if number in node.attr else None))
        elif kind.startswith("["):
            attr = node.attr.get(kind[1:-1]) if kind[1:-1] in node.attr else None
            counts.append((arg, len(attr.list.type) if attr is not None else None))
        else:
            counts.append((arg, 1))
    known = sum(c for _, c in counts if c is not None)
    out = []
    for arg, c in counts:
        c = max(n - known, 0) if c is None else c
        out.extend((arg, i) for i in range(c))
    return out[:n] + [("output", k) for k in range(len(out), n)]



# -- import ------------------------------------------------------------------------------------
def calls_functions(node):
    """Returns whether a NodeDef is an If, While, Case or call of library functions.

    Args:
      node: a NodeDef.
    """
    return node.op in FUNCTIONAL_TYPES and any(
        a.HasField("func") or a.HasField("list") and len(a.list.func)
        for a in node.attr.values())


_IMPORTER = []  # minitf/control_flow/function_import.py's, registered when it is imported


def register_importer(fn):
    """Sets the function that rebuilds functional nodes on import.

    minitf/control_flow/function_import.py registers its own: the framework does not import
    the control-flow layer above it.

    Args:
      fn: `(graph, node, nodes, inputs, prefix, library, import_one) -> (op, outputs)`.
    """
    _IMPORTER[:] = [fn]


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
    if not _IMPORTER:
        raise ValueError(f"Node '{node.name}' ({node.op}): no importer of functional ops is "
                         "registered (import minitf)")
    return _IMPORTER[0](graph, node, nodes, inputs, prefix, library, import_one)


def graph_input(name, by_name):
    """Returns a function's input name (`x`, `mul:z:0`, `^mul`) as a graph's (`x`, `mul:0`).

    Args:
      name: a node input or `ret` value of a FunctionDef.
      by_name: {name: NodeDef} of the function's nodes.
    """
    if name.startswith("^") or name.count(":") != 2:
        return name
    src, arg, index = name.split(":")
    node = by_name.get(src)
    if node is None:
        return f"{src}:{index}"
    return f"{src}:{_flat_index(node, arg, int(index))}"


def _flat_index(node, arg, index):
    """The flat output index of `node`'s output arg `arg`, element `index`."""
    sig = signature(node.op)
    if node.op in FUNCTIONAL_TYPES or sig is None:
        return index
    pairs = output_args(node, 1 << 16)
    return pairs.index((arg, index)) if (arg, index) in pairs else index
