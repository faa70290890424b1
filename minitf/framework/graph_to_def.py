"""A Graph as TF's GraphDef (`Graph.as_graph_def`): one NodeDef per op, with TF's op types,
input names (`x`, `x:1`, `^ctrl`), devices and attrs of TF's names and kinds.

The attrs come from TF's op interfaces (tf_op_signatures.py), read generically:
  - a type attr (`T`, `Tidx`, `SrcT`, ...) is the dtype of the first input (else output) whose
    arg TF declares of that type; a list(type) attr the dtypes of such a list arg; a number
    attr (`N`) the length of the list arg it counts;
  - another attr is the op's own attr of that name, or of its minitf name (`_ALIASES`:
    TF's `keep_dims` is minitf's `keepdims`), or TF's default;
  - where minitf keeps as an attr what TF takes as an input (the axis of Sum, ConcatV2,
    ExpandDims, ...), a Const node `<op>/<TF's arg name>` holding it is written before the op
    and wired in at TF's position, as TF's own wrappers build it;
  - attrs TF does not declare (minitf's internal ones: callables, loop bodies, ref_inputs) are
    left out; the bodies of If, While and call ops are written as FunctionDefs of the
    GraphDef's library (function_library.py). Op types TF does not have keep the attrs that
    are TF attr kinds, plus `T`.

An importer reads the same tables backwards: a node's TF attr `a` is minitf's attr `a` or
`_ALIASES[a]`; a Const input at the position of a TF arg that `_ALIASES`/`_INPUT_ATTRS` maps to
a minitf attr gives that attr's value (and is not an input of the minitf op); type and number
attrs are implied by the inputs and dropped; `_DERIVED` attrs are dropped.
"""
import numpy as np

from minitf.framework import attr_values, dtypes as _dtypes
from minitf.framework.function_library import Library
from minitf.framework.graph_pb import GraphDef, NodeDef
from minitf.framework.tf_op_signatures import NO_DEFAULT, signature

__all__ = ["graph_to_graph_def", "PRODUCER"]

# TF 1.15's GraphDef producer version: minitf's op set and its attrs are TF1's; TF 2.x reads
# graphs of any producer from 0 on (TF 2.21 itself writes 2474)
PRODUCER = 134

# TF's attr or input-arg name -> minitf's name for it, where they differ
_ALIASES = {"keep_dims": "keepdims", "reduction_indices": "axis", "dim": "axis",
            "dimension": "axis", "split_dim": "axis", "size_splits": "sizes",
            "squeeze_dims": "axis", "seq_dim": "seq_axis", "batch_dim": "batch_axis"}
# TF input args that minitf keeps as an attr: op type -> {TF arg: minitf attr, or fn(attrs) ->
# the value} (besides the aliases and same names, which are found generically)
_INPUT_ATTRS = {}
# attrs derived from minitf's attrs: op type -> {TF attr: fn(op attrs) -> value}
_DERIVED = {
    "Const": {"value": lambda a: _const_tensor(a["value"], a["dtype"])},
    "Split": {"num_split": lambda a: len(a["sizes"])},
    "SplitV": {"num_split": lambda a: len(a["sizes"])},
    "RangeDataset": {"output_types": lambda a: [_dtypes.int64], "output_shapes": lambda a: [()]},
    "IteratorV2": {"container": lambda a: a.get("container", "")},
}
# attrs TF requires that minitf does not keep, given by what it does keep: a dataset's element
# shapes (minitf's Python Dataset knows them; its ops keep only the types), unknown here
_FALLBACK = {"output_shapes": lambda op, a: _element_shapes(op, a)}


def _element_shapes(op, attrs):
    if op.type == "TensorDataset":
        return [t._shape for t in op._inputs]
    if op.type == "TensorSliceDataset":
        return [None if t._shape is None else t._shape[1:] for t in op._inputs]
    values = [t for t in op._outputs if t._dtype.name not in ("variant", "resource")]
    if values:  # (ReduceDataset: its outputs are the elements)
        return [t._shape for t in values]
    return [None] * len(attrs.get("output_types") or attrs["Toutput_types"])


# op types that are several TF op types, by their attrs: op type -> fn(attrs) -> TF's op type
_RETYPE = {
    "Pad": lambda a: "MirrorPad" if a.get("mode", "CONSTANT").upper() != "CONSTANT" else (
        "PadV2" if np.any(np.asarray(a.get("constant_values", 0)) != 0) else "Pad"),
}


def graph_to_graph_def(graph, from_version=None, add_shapes=False):
    """Returns a GraphDef of `graph`'s ops (TF's `Graph.as_graph_def`).

    Args:
      graph: a Graph.
      from_version: if given, only the ops added after the graph's `version` was this.
      add_shapes: if True, each node gets an `_output_shapes` attr (its outputs' static shapes).

    Returns:
      A GraphDef.
    """
    out = GraphDef()
    out.versions.producer = PRODUCER
    taken = {op.name for op in graph.get_operations()}
    # (the ops of cond branches, loop and function bodies go into the function library)
    library = Library(graph, add_shapes, node_defs)
    for op in graph.get_operations():
        if from_version is not None and op._id <= from_version or library.inside(op):
            continue
        for node in library.node_defs(op, taken):
            out.node.add().CopyFrom(node)
    if library.proto.function:
        out.library.CopyFrom(library.proto)
    return out


def node_defs(op, add_shapes=False, taken=()):
    """Returns the NodeDefs of `op`: Consts of the inputs minitf keeps as attrs, then its own.

    Args:
      op: an Operation.
      add_shapes: if True, add `_output_shapes` attrs.
      taken: the graph's op names (a Const made here gets a name none of them has).
    """
    attrs = {**op._attrs, **op._graph._extra_attrs.get(op, {})}
    op_type = _RETYPE[op.type](attrs) if op.type in _RETYPE else op.type
    sig = signature(op_type)
    node = NodeDef(name=op.name, op=op_type, device=op._device)
    consts, inputs = [], [(_input_name(t), t._dtype, t._shape) for t in op._inputs]
    if sig is not None:
        consts, inputs = _held_inputs(op, sig, attrs, inputs, taken)
        _signature_attrs(node, op, sig, attrs, inputs)
    else:
        _plain_attrs(node, op, attrs)
    node.input.extend(name for name, _, _ in inputs)
    # TF writes control inputs sorted by name (its C++ ToGraphDef)
    node.input.extend(sorted("^" + c.name for c in op._control_inputs))
    _colocation(node, op, attrs)
    if add_shapes:
        if op._outputs:  # (TF writes none for an op without outputs)
            node.attr["_output_shapes"].CopyFrom(attr_values.to_attr_value(
                "list(shape)", [t._shape for t in op._outputs]))
        for const in consts:
            const.attr["_output_shapes"].list.shape.add().CopyFrom(
                const.attr["value"].tensor.tensor_shape)
    if op.type in _LAST_AXIS_ONLY:
        return consts + _swapped(op, node, attrs, taken)
    return consts + [node]


# ops whose TF form works on the last axis only: minitf's `axis` attr is written as TF's
# wrappers build it, the axis swapped with the last by a Transpose on each side
_LAST_AXIS_ONLY = ("Softmax", "LogSoftmax")


def _swapped(op, node, attrs, taken):
    shape, axis = op._inputs[0]._shape, attrs.get("axis", -1)
    if shape is None or axis in (-1, len(shape) - 1):
        return [node]  # (an unknown rank: its axis is the last, as TF's op has it)
    perm = list(range(len(shape)))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    sig = signature("Transpose")
    perm_node = _held_const(op, sig, ("perm", "Tperm"), perm, taken)
    names = {}
    for what in ("transpose", op.type):
        name, i = f"{op.name}/{what}", 0
        while name in taken:
            i += 1
            name = f"{op.name}/{what}_{i}"
        names[what] = name
    before, after = NodeDef(), NodeDef()
    for t, name, source in ((before, names["transpose"], node.input[0]),
                            (after, op.name, names[op.type])):
        t.name, t.op, t.device = name, "Transpose", op._device
        t.input.extend([source, perm_node.name])
        t.attr["T"].CopyFrom(node.attr["T"])
        t.attr["Tperm"].type = _dtypes.int32.as_datatype_enum
    inner = NodeDef()
    inner.CopyFrom(node)
    inner.name = names[op.type]
    inner.input[0] = before.name
    if "_output_shapes" in node.attr:
        swapped = [shape[i] for i in perm]
        for t in (before, inner):
            t.attr["_output_shapes"].CopyFrom(attr_values.to_attr_value("list(shape)",
                                                                        [swapped]))
        after.attr["_output_shapes"].CopyFrom(node.attr["_output_shapes"])
    return [perm_node, before, inner, after]


def _input_name(tensor):
    index = tensor._value_index
    return tensor._op.name if index == 0 else f"{tensor._op.name}:{index}"


def _minitf_name(op, tf_name):
    return _INPUT_ATTRS.get(op.type, {}).get(tf_name) or _ALIASES.get(tf_name, tf_name)


def _lookup(op, attrs, tf_name):
    """(found, value) of the minitf attr giving TF's attr or arg `tf_name`."""
    name = _minitf_name(op, tf_name)
    if callable(name):
        return True, name(attrs)
    for name in (tf_name, name):
        if name in attrs:
            return True, attrs[name]
    return False, None


# -- inputs ------------------------------------------------------------------------------------
def _held_inputs(op, sig, attrs, inputs, taken):
    """(Const NodeDefs, inputs as TF's args take them): TF's args that minitf keeps as attrs
    become Consts wired in at their position."""
    args = sig[0]
    has_lists = any(a[2] is not None or a[1].startswith("[") for a in args)
    if not has_lists and len(inputs) >= len(args):
        return [], inputs
    held = [a for a in args if a[2] is None and not a[1].startswith("[")
            and _lookup(op, attrs, a[0])[0]]
    if not held or not has_lists and len(inputs) + len(held) != len(args):
        return [], inputs
    bound = _bind([a for a in args if a not in held], inputs)
    consts, values = [], {}
    for arg in held:
        sibling = [bound[a[0]][0][1] for a in args if a[1] == arg[1] and bound.get(a[0])]
        try:
            const = _held_const(op, sig, arg, _lookup(op, attrs, arg[0])[1], taken,
                                sibling[0].base_dtype if sibling else None)
        except (TypeError, ValueError):  # not a value a Const holds: the inputs as they are
            return [], inputs
        consts.append(const)
        tensor = const.attr["value"].tensor
        values[arg[0]] = (const.name, _dtypes.as_dtype(tensor.dtype),
                          tuple(d.size for d in tensor.tensor_shape.dim))
    out = []
    for arg in args:
        out.extend([values[arg[0]]] if arg[0] in values else bound.get(arg[0], []))
    return consts, out + bound[None]


def _held_dtype(sig, kind, sibling):
    """The dtype of a held input: another input's of its type attr, else the attr's default
    (`Tidx`: int32), else int32; or the arg's fixed dtype."""
    if sibling is not None:
        return sibling
    if kind in sig[2]:
        default = sig[2][kind][1]
        return _dtypes.int32 if default is NO_DEFAULT else _dtypes.as_dtype(
            attr_values.dtype_enum(default))
    return _dtypes.as_dtype(kind)


def _held_const(op, sig, arg, value, taken, sibling=None):
    name = arg[0]
    dtype = _held_dtype(sig, arg[1], sibling)
    base = f"{op.name}/{name}"
    if value is None:  # all axes: TF's wrappers make them a `Const` beside the op
        shape = op._inputs[0]._shape if op._inputs else None
        value = list(range(len(shape))) if shape is not None else []
        base = op.name[:op.name.rfind("/") + 1] + "Const"
    array = np.asarray(value, dtype=dtype.as_numpy_dtype)
    const_name, i = base, 0
    while const_name in taken:
        i += 1
        const_name = f"{base}_{i}"
    if isinstance(taken, set):
        taken.add(const_name)
    node = NodeDef(name=const_name, op="Const", device=op._device)
    node.attr["value"].tensor.CopyFrom(_const_tensor(array, dtype))
    node.attr["dtype"].type = dtype.as_datatype_enum
    return node


def _const_tensor(array, dtype):
    from minitf.framework.tensor_util import make_tensor_proto
    flat = np.asarray(array).ravel()
    if flat.size > 1 and (dtype.is_floating or dtype.is_complex or dtype == _dtypes.bool) \
            and np.all(flat == flat[0]):
        # one value filling the shape, as TF writes zeros, ones and fills (integer Consts
        # are mostly shapes and indices, which TF writes whole)
        return make_tensor_proto(flat[0], dtype=dtype, shape=np.shape(array))
    return make_tensor_proto(array, dtype=dtype)


# -- attrs -------------------------------------------------------------------------------------
def _bind(args, inputs):
    """{arg name: [(name, dtype, shape)] it takes}, list args sharing what singles leave."""
    lists = [a for a in args if a[2] is not None or a[1].startswith("[")]
    n_list = len(inputs) - (len(args) - len(lists))
    per_list = n_list // len(lists) if lists and n_list >= 0 else 0
    bound, pos = {}, 0
    for arg in args:
        n = per_list if arg in lists else 1
        bound[arg[0]] = inputs[pos:pos + n]
        pos += n
    bound[None] = inputs[pos:]  # (more inputs than TF's args: kept, after them)
    return bound


def _type_attrs(op, sig, inputs):
    """{attr: value} of the type, list(type) and number attrs the args imply."""
    out = {}
    outputs = [(None, t._dtype, t._shape) for t in op._outputs]
    for args, values in ((sig[0], inputs), (sig[1], outputs)):
        bound = _bind(args, values)
        for name, kind, number, _ in args:
            got = bound.get(name, [])
            if number is not None and number not in out:
                out[number] = len(got)
            if kind.startswith("["):
                out.setdefault(kind[1:-1], [d.base_dtype for _, d, _ in got])
            elif kind in sig[2] and got and kind not in out:
                out[kind] = got[0][1].base_dtype
    return out


def _signature_attrs(node, op, sig, attrs, inputs):
    implied = _type_attrs(op, sig, inputs)
    derived = _DERIVED.get(op.type, {})
    for name, (kind, default) in sig[2].items():
        found, value = _lookup(op, attrs, name)
        if name in derived:
            found, value = True, derived[name](attrs)
        elif name in implied:  # what the tensors are beats what an attr says
            found, value = True, implied[name]
        if not found and default is NO_DEFAULT and name in _FALLBACK:
            try:
                found, value = True, _FALLBACK[name](op, attrs)
            except (KeyError, TypeError):
                pass
        if (not found or value is None) and kind == "func":
            # a Python body: named, though the library holds no function of that name
            found, value = True, op.name.replace("/", "_") + "_" + name
        if not found or value is None:
            if default is NO_DEFAULT:
                continue
            value = default
        try:
            value = attr_values.to_attr_value(kind, value)
        except (TypeError, ValueError, KeyError):
            continue  # (the registry-wide test lists what is left out)
        node.attr[name].CopyFrom(value)
    for name in ("container", "_class"):  # graph-kept attrs TF writes for any op
        if name in attrs and name not in node.attr:
            kind = "string" if name == "container" else "list(string)"
            node.attr[name].CopyFrom(attr_values.to_attr_value(kind, attrs[name]))


def _plain_attrs(node, op, attrs):
    """The attrs of an op type TF does not have: those of TF attr kinds, and `T`."""
    if op._inputs and "T" not in attrs:
        node.attr["T"].type = op._inputs[0]._dtype.base_dtype.as_datatype_enum
    for name, value in attrs.items():
        kind = attr_values.kind_of(value)
        if kind is not None and not name.startswith("_pure") and name != "ref_inputs":
            try:
                node.attr[name].CopyFrom(attr_values.to_attr_value(kind, value))
            except (TypeError, ValueError, KeyError):
                pass


def _colocation(node, op, attrs):
    """TF colocates a ref variable's updates and its `read` snapshot with it (`_class`)."""
    if "_class" in node.attr or not op._inputs:
        return
    source = op._inputs[0]._op
    refs = op._opdef.ref_inputs
    by_ref = refs != "attr" and 0 in refs
    if source.type == "VariableV2" and (by_ref or op.name == source.name + "/read"):
        node.attr["_class"].list.s.extend(source.colocation_groups())
