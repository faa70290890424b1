"""TF's `import_graph_def`: a GraphDef's nodes as ops of the default graph.

Each node becomes one op of its registered OpDef, its attrs decoded by reading
graph_to_def.py's tables backwards: TF's attr `a` is minitf's `a` or `_ALIASES[a]`; a Const
input at a TF arg that minitf keeps as an attr (the axis of Sum, ConcatV2, ...) gives that
attr's value and is not an input; type and number attrs the inputs imply, and `_DERIVED`
ones, are dropped (an attr is kept only where the op's kernel takes it); MirrorPad and PadV2
are minitf's Pad; attrs minitf's op has and TF's has not get TF's meaning (`_MINITF_ONLY`);
TF outputs minitf's op has not are made beside it (`_extra_outputs`). Ref variables
(VariableV2) and resource ones (VarHandleOp) are ops like any other: their imported Assign /
AssignVariableOp nodes initialize them in a Session. If, Case, While and call nodes whose
bodies are functions of the GraphDef's library become minitf's cond, switch_case, while_loop
and inline calls of those functions' nodes (function_library.py).
"""
import contextlib
import inspect

from minitf.framework import attr_values, errors, graph as _graph
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.function_library import calls_functions, import_functional
from minitf.framework.graph_to_def import _ALIASES, _DERIVED, _INPUT_ATTRS, _bind
from minitf.framework.ops import Operation, Tensor
from minitf.framework.registry import REGISTRY
from minitf.framework.tf_op_signatures import signature

__all__ = ["import_graph_def"]

# TF op types minitf keeps as one op type with a mode attr
_TYPE_OF = {"MirrorPad": "Pad", "PadV2": "Pad"}
# op types whose `axis` attr is a tuple of axes even for one
_AXES = {"Sum", "Mean", "Max", "Min", "Prod", "EuclideanNorm", "Any", "All"}
# attrs minitf's op takes that TF's has not (graph_to_def leaves them out): op type ->
# {attr: fn(the node's attrs, the op's inputs) -> what TF's op means}
_LAST = {"axis": lambda a, x: -1}
_LIKE = {"dtype": lambda a, x: x[0].dtype.base_dtype}
_MINITF_ONLY = {
    "Softmax": _LAST, "LogSoftmax": _LAST, "SoftmaxCrossEntropyWithLogits": _LAST,
    "ZerosLike": _LIKE, "OnesLike": _LIKE,
    "RandomUniformInt": {"dtype": lambda a, x: x[1].dtype.base_dtype},
    "ReadVariableOp": {"shape": lambda a, x: x[0].op._attrs.get("shape")},
    "Pad": {"mode": lambda a, x: "CONSTANT", "constant_values": lambda a, x: 0},
    "Split": {"sizes": lambda a, x: [x[0].shape[a["axis"]].value // a["num_split"]]
              * a["num_split"]},
}


def import_graph_def(graph_def, input_map=None, return_elements=None, name=None,
                     op_dict=None, producer_op_list=None):
    """Imports the graph from `graph_def` into the current default Graph.

    Args:
      graph_def: a GraphDef holding the ops to import.
      input_map: a dict of tensor names in `graph_def` (`"x:0"`, or `"^x"` for control
        inputs on op `x`) to Tensors of this graph that stand in for them.
      return_elements: a list of tensor names (`"x:0"`) or op names (`"x"`) in `graph_def`
        to return as Tensors / Operations.
      name: the name scope the imported ops go into (default "import"; "" keeps the names).
      op_dict: unused (TF's deprecated argument).
      producer_op_list: unused (TF adds no default attrs from it here).

    Returns:
      A list of the Operations and Tensors named by `return_elements`, or None.

    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     _ = tf.add(tf.constant(1.0, name="a"), 2.0, name="b")
    >>> b, = tf.import_graph_def(g.as_graph_def(), return_elements=["b:0"])
    >>> b.name
    'import/b:0'
    >>> with tf.Session() as sess:
    ...     print(sess.run(b))
    3.0

    Raises:
      NotFoundError: `graph_def` names an op type minitf does not have.
      TypeError: `graph_def` is no GraphDef, or `input_map` / `return_elements` are of the
        wrong types.
      ValueError: a node names an unknown input or has attrs its op does not take, or `input_map` /
        `return_elements` name what `graph_def` does not have.
    """
    del op_dict, producer_op_list
    from minitf.framework.graph_pb import GraphDef
    if not isinstance(graph_def, GraphDef):
        raise TypeError("Argument `graph_def` must be a GraphDef proto.")
    input_map = _check_input_map(input_map)
    if return_elements is not None:
        return_elements = [_element_name(x) for x in return_elements]
    graph = _graph.get_default_graph()
    nodes = {n.name: n for n in graph_def.node}
    order = _topological(graph_def.node, nodes)
    # all or nothing, as TF's: a node that fails takes the ones made before it out again
    with graph._lock, atomically(graph):
        with graph.as_default(), graph.name_scope(None if name == "" else (name or "import")) \
                as s:
            prefix = s or ""
            with graph.name_scope(None):
                library = {f.signature.name: f for f in graph_def.library.function}
                made = _import_nodes(graph, order, nodes, input_map, prefix, library)
        unused = sorted(set(input_map) - made["used"])
        if unused:
            raise ValueError("Attempted to map inputs that were not found in graph_def: "
                             f"[{', '.join(unused)}]")
        if return_elements is None:
            return None
        return [_element(made, x) for x in return_elements]


@contextlib.contextmanager
def atomically(graph):
    """Takes the ops made inside out of `graph` again if the block raises (the caller holds
    the graph's lock, so they are the block's own)."""
    first = graph._version
    try:
        yield
    except BaseException:
        graph._remove_ops(first, graph._version)
        raise


def _check_input_map(input_map):
    if input_map is None:
        return {}
    if not isinstance(input_map, dict):
        raise TypeError("Argument `input_map` must be a dictionary. Obtained "
                        f"{type(input_map).__name__}")
    out = {}
    for key, value in input_map.items():
        key = key.decode() if isinstance(key, bytes) else key
        if not isinstance(key, str):
            raise TypeError(f"All keys for argument `input_map` must be strings. Obtained {key}")
        if not isinstance(value, Tensor):  # (TF converts the values, as op inputs)
            value = convert_to_tensor(value)
        out[_tensor_key(key)] = value
    return out


def _tensor_key(name):
    """"x" -> "x:0"; "x:1" and "^x" as they are."""
    return name if name.startswith("^") or ":" in name else name + ":0"


def _source(name):
    """(op name, output index, is control) of a NodeDef input string."""
    if name.startswith("^"):
        return name[1:], -1, True
    op, _, index = name.partition(":")
    return op, int(index or 0), False


def _topological(node_list, nodes):
    """The nodes with every one after its inputs (data and control); ValueError on a missing
    input or a cycle."""
    order, state = [], {}
    for root in node_list:
        stack = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                state[node.name] = 2
                order.append(node)
                continue
            if state.get(node.name):
                continue
            state[node.name] = 1
            stack.append((node, True))
            for i, name in enumerate(node.input):
                src = _source(name)[0]
                if src not in nodes:
                    raise ValueError(f"Node '{node.name}': Unknown input node '{name}'")
                if state.get(src) == 1 and src != node.name:
                    continue  # (a back edge: a loop's NextIteration, imported before use)
                if not state.get(src):
                    stack.append((nodes[src], False))
    return order


def _import_nodes(graph, order, nodes, input_map, prefix, library=None):
    made = {"ops": {}, "outputs": {}, "used": set(), "input_map": input_map}
    for node in order:
        op, outputs = _import_one(graph, node, nodes, made, prefix, library or {})
        made["ops"][node.name] = op
        made["outputs"][node.name] = outputs
    return made


def _import_one(graph, node, nodes, made, prefix, library):
    """(the op, its outputs by the node's output indices) of one node; an If, Case, While or
    call of the library's functions is rebuilt by function_library.py."""
    input_map = made.get("input_map", {})
    if calls_functions(node):
        inputs = [_resolve(n, made, input_map, node) for n in node.input
                  if not n.startswith("^")]
        controls = [_resolve(n, made, input_map, node) for n in node.input if n.startswith("^")]
        with graph.control_dependencies(controls):
            return import_functional(graph, node, nodes, inputs, prefix, library,
                                     _import_one)
    op = _import_node(graph, node, nodes, made, input_map, prefix)
    return op, list(op._outputs) + _extra_outputs(node, op)


def _extra_outputs(node, op):
    """TF's outputs that minitf's op has not: the backprop of SoftmaxCrossEntropyWithLogits
    (TF's gradient graphs use it), softmax(logits) - labels, as TF's kernel computes it."""
    if node.op != "SoftmaxCrossEntropyWithLogits" or len(op._outputs) != 1:
        return []
    logits, labels = op._inputs
    probs = REGISTRY["Softmax"].apply([logits], name=op.name + "/backprop_softmax", axis=-1)
    return [REGISTRY["Sub"].apply([probs, labels], name=op.name + "/backprop")]


def _resolve(name, made, input_map, node):
    src, index, control = _source(name)
    key = "^" + src if control else f"{src}:{index}"
    if key in input_map:
        made["used"].add(key)
        return input_map[key].op if control else input_map[key]
    if control:
        return made["ops"][src]
    outputs = made["outputs"][src]
    if index >= len(outputs):
        raise ValueError(f"Node '{node.name}': Connecting to invalid output {index} of source "
                         f"node {src} which has {len(outputs)} outputs.")
    return outputs[index]


def _import_node(graph, node, nodes, made, input_map, prefix):
    op_type = _TYPE_OF.get(node.op, node.op)
    opdef = REGISTRY.get(op_type)
    if opdef is None:
        raise errors.NotFoundError(
            None, None, f"Op type not registered '{node.op}' in binary running on minitf. Make "
            "sure the Op and Kernel are registered in the binary running in this process.")
    data = [n for n in node.input if not n.startswith("^")]
    controls = [_resolve(n, made, input_map, node) for n in node.input if n.startswith("^")]
    params = _kernel_params(opdef)
    held = _held_inputs(node, nodes, data, opdef, params)
    inputs = [_resolve(n, made, input_map, node) for i, n in enumerate(data) if i not in held]
    attrs = _attrs(node, opdef, params)
    for attr, value in held.values():
        attrs[attr] = (value,) if node.op in _AXES and isinstance(value, int) else value
    # a name taken already (only when `name` is ""): uniquified, as TF does
    full = graph.unique_name(prefix + node.name)
    try:
        inputs = _minitf_attrs(node, nodes, data, inputs, attrs)
        for attr in _required_attrs(opdef):
            attrs.setdefault(attr, None)  # (an attr of None is one the writer leaves out)
        opdef._create(graph, inputs, full + "/", attrs)
    except (TypeError, KeyError) as exc:
        raise ValueError(f"Node '{node.name}' ({node.op}): {exc}") from None
    op = graph._ops_by_name[full]
    # the open control dependencies go to the nodes without inputs only (TF's importer)
    auto = [] if node.input else op._control_inputs
    op._control_inputs = list(dict.fromkeys(auto + controls))
    if node.device:
        op._device = node.device
    return op


def _minitf_attrs(node, nodes, data, inputs, attrs):
    """Adds to `attrs` those minitf's op takes that TF's has not; returns the inputs."""
    if node.op == "Split":  # (what minitf's sizes are made from)
        attrs["num_split"] = node.attr["num_split"].i
    if node.op == "MirrorPad":
        attrs.setdefault("mode", "REFLECT")
    if node.op == "PadV2" and len(inputs) == 3:  # (minitf's Pad keeps the value as an attr)
        attrs["constant_values"] = _const_value(nodes[_source(data[2])[0]])
        inputs = inputs[:2]
    for attr, fn in _MINITF_ONLY.get(_TYPE_OF.get(node.op, node.op), {}).items():
        if attr not in attrs:
            attrs[attr] = fn(attrs, inputs)
    attrs.pop("num_split", None)
    return inputs


def _kernel_params(opdef):
    """The kernel's parameter names (None: it takes any keyword)."""
    try:
        params = inspect.signature(opdef.kernel).parameters
    except (TypeError, ValueError):  # (a ufunc)
        return set(opdef.arg_names)
    if any(p.kind == p.VAR_KEYWORD for p in params.values()):
        return None
    names = [p.name for p in params.values()]
    return set(names[2:] if opdef.stateful else names)


def _required_attrs(opdef):
    """The kernel's keyword-only parameters without a default."""
    try:
        params = inspect.signature(opdef.kernel).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in params if p.kind == p.KEYWORD_ONLY and p.default is p.empty]


def _minitf_name(op_type, tf_name):
    name = _INPUT_ATTRS.get(op_type, {}).get(tf_name)
    return name if isinstance(name, str) else _ALIASES.get(tf_name, tf_name)


def _held_inputs(node, nodes, data, opdef, params):
    """{input index: (minitf attr, value)} of the Const inputs minitf keeps as attrs."""
    sig = signature(node.op)
    if sig is None or params is None:
        return {}
    positions = _bind(sig[0], list(range(len(data))))
    held = {}
    for arg, kind, number, _ in sig[0]:
        if number is not None or kind.startswith("[") or len(positions[arg]) != 1:
            continue
        attr = _minitf_name(node.op, arg)
        # an arg of a name the kernel takes positionally is an input, but for an axis
        # (minitf keeps every axis as an attr: GatherV2's kernel takes `axis` after its inputs)
        if attr not in params or attr == arg != "axis" and arg in opdef.arg_names:
            continue
        index = positions[arg][0]
        src = nodes.get(_source(data[index])[0])
        if src is not None and src.op == "Const":
            held[index] = (attr, _const_value(src))
    return held


def _const_value(node):
    value = attr_values.from_attr_value(node.attr["value"])
    return value.item() if value.ndim == 0 else tuple(value.tolist())


def _attrs(node, opdef, params):
    """The node's attrs the op's kernel takes, under minitf's names."""
    sig = signature(node.op)
    derived = _DERIVED.get(node.op, {})
    implied = _implied(sig) if sig is not None else set()
    out = {}
    for name, attr in node.attr.items():
        if name.startswith("_") or (name in derived and name != "value"):
            continue
        target = _minitf_name(node.op, name)
        if params is None and name in implied:
            continue
        if params is not None and target not in params:
            if name not in params:
                continue
            target = name
        out[target] = _python(attr_values.from_attr_value(attr))
    return out


def _implied(sig):
    """The attrs an op's inputs imply: type attrs of its input args and number attrs (a type
    attr only of outputs, `Tout`, is not)."""
    out = set()
    for _, kind, number, _ in sig[0]:
        out.add(kind.strip("[]"))
    for _, kind, number, _ in sig[0] + sig[1]:
        if number is not None:
            out.add(number)
    return out


def _python(value):
    """An attr's value as minitf keeps it: strings as str (a tensor's stay bytes)."""
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, list):
        return [_python(v) for v in value]
    return value


def _element_name(name):
    """A return element's name, checked as TF parses it."""
    if isinstance(name, bytes):
        name = name.decode()
    if not isinstance(name, str):
        raise TypeError(f"return_elements must be a list of strings. Got {name!r}")
    src, colon, index = name.partition(":")
    if colon and not index.isdigit():
        raise ValueError(f"Cannot convert '{name}' to a tensor name. Second component of the "
                         f"name following the `:` should be an int. Got {index}.")
    return name


def _element(made, name):
    if ":" in name:
        src, _, index = name.partition(":")
        outputs = made["outputs"].get(src)
        if outputs is None:
            raise ValueError(f"Requested return tensor '{name}' not found in graph def")
        if int(index) >= len(outputs):
            raise ValueError(f"Invalid return output {index} of node '{src}', which has "
                             f"{len(outputs)} output(s)")
        return outputs[int(index)]
    if name not in made["ops"]:
        raise ValueError(f"Requested return node '{name}' not found in graph def")
    op = made["ops"][name]
    assert isinstance(op, Operation)
    return op
