"""A graph as Graphviz DOT text, clustered by name scope as TensorBoard groups it.

Every name scope is a `subgraph "cluster_<scope>"` (nested as the scopes are); an op whose name
is itself a scope (`w` beside `w/Assign`, `w/read`) sits inside that scope's cluster, as
TensorBoard draws it. A collapsed scope is one node standing for all the ops under it.
"""
import re

from minitf.framework.graph import get_default_graph

__all__ = ["to_dot"]

VARIABLE_OPS = frozenset({"VariableV2", "Variable", "VarHandleOp", "AutoReloadVariable"})
_GRADIENTS = re.compile(r"gradients(_\d+)?$")
_APPLY = re.compile(r"(Resource)?(Sparse)?Apply[A-Z]")
_HEADER = """digraph G {
  graph [compound=true, fontname="Helvetica", fontsize=11, labeljust=l];
  node [shape=box, style="rounded", fontname="Helvetica", fontsize=10];
  edge [color="#555555", arrowsize=0.6];"""
_COLLAPSED = 'shape=box3d, style="filled", fillcolor="#dddddd"'
_VARIABLE = 'style="filled", fillcolor="#fde9b7"'


def to_dot(graph=None, max_depth=None, collapse="auto"):
    """Returns Graphviz DOT text drawing `graph`, its ops clustered by name scope.

    Each op is a node labelled with its type and, when known, its output shapes (a table like
    a record label: the type over one cell per output); variables are filled yellow, as is a
    collapsed scope holding one. Data edges are solid, control edges dashed. A collapsed
    scope is one node (a box labelled with the scope and its op count) with the edges of its
    ops; edges inside it are dropped.

    Args:
      graph: the Graph to draw (default: the default graph).
      max_depth: draw clusters this many scopes deep; deeper scopes become one node each.
        None draws every level.
      collapse: the scopes drawn as one node each: "auto" (the default) for the top-level
        gradient scopes (`gradients`, `gradients_1`, ...), each top-level scope holding an
        optimizer's update ops (`Apply*`), and every `Initializer` scope; or a list of full
        scope names; an empty list (or None) expands everything.

    Returns:
      The DOT text, a string.

    >>> c = tf.constant(1.0, name="c")
    >>> with tf.name_scope("s"):
    ...     y = tf.negative(c, name="neg")
    >>> from minitf.viz import to_dot
    >>> print(to_dot())  # doctest: +ELLIPSIS
    digraph G {
    ...
      "c" [shape=plaintext, label=<<table ...><tr><td>Const</td></tr>...</table>>, tooltip="c"];
      subgraph "cluster_s" {
        label="s";
        "s/neg" [shape=plaintext, label=<<table ...>Neg</td>...</table>>, tooltip="s/neg"];
      }
      "c" -> "s/neg";
    }
    """
    ops = (graph if graph is not None else get_default_graph()).get_operations()
    scopes = {name.rsplit("/", i)[0] for name in (op.name for op in ops)
              for i in range(1, name.count("/") + 1)}
    collapsed = set(_auto_collapsed(ops, scopes) if collapse == "auto" else collapse or ())
    tree, units, counts = _place(ops, scopes, collapsed, max_depth)
    return "\n".join([_HEADER, *_emit(tree, counts, 1), *_edges(ops, units), "}"])


def _place(ops, scopes, collapsed, max_depth):
    """Puts each op in its cluster, as itself or inside a collapsed scope's node ("scope/").

    Returns the cluster tree, the node (unit) of each op and, per collapsed scope, its number
    of ops and whether one is a variable.
    """
    tree, units, counts = {"ops": {}, "subs": {}}, {}, {}
    for op in ops:
        # an op named like a scope (`w` beside `w/read`) is drawn inside it, as TensorBoard does
        path = op.name.split("/") if op.name in scopes else op.name.split("/")[:-1]
        units[op] = op.name
        for depth in range(1, len(path) + 1):
            prefix = "/".join(path[:depth])
            if prefix in collapsed or (max_depth is not None and depth > max_depth):
                units[op], path = prefix + "/", path[:depth - 1]
                n, has_variable = counts.get(prefix, (0, False))
                counts[prefix] = n + 1, has_variable or op.type in VARIABLE_OPS
                break
        _cluster(tree, path)["ops"].setdefault(units[op], op)
    return tree, units, counts


def _auto_collapsed(ops, scopes):
    tops = {op.name.split("/")[0] for op in ops if _APPLY.match(op.type) and "/" in op.name}
    tops |= {s for s in scopes if "/" not in s and _GRADIENTS.match(s)}
    return tops | {s for s in scopes if s.rsplit("/", 1)[-1] == "Initializer"}


def _cluster(tree, path):
    """The cluster of scope `path` (a list of names), made if new: {"ops", "subs"}."""
    node = tree
    for depth in range(1, len(path) + 1):
        node = node["subs"].setdefault("/".join(path[:depth]), {"ops": {}, "subs": {}})
    return node


def _q(text):
    # (op names hold no backslash, so DOT escapes such as \n in labels pass through)
    return '"' + text.replace('"', '\\"') + '"'


def _node_line(unit, op, counts, indent):
    if unit.endswith("/"):  # a collapsed scope
        scope = unit[:-1]
        n, has_variable = counts[scope]
        label = f"{scope.rsplit('/', 1)[-1]}\\n({n} op{'s' * (n != 1)})"
        style = _COLLAPSED.replace("#dddddd", "#fde9b7") if has_variable else _COLLAPSED
        return f"{indent}{_q(unit)} [{style}, label={_q(label)}, tooltip={_q(scope)}];"
    shapes = [t.get_shape() for t in op.outputs]
    fill = ' bgcolor="#fde9b7"' if op.type in VARIABLE_OPS else ""
    if not any(s.ndims is not None for s in shapes):
        style = f", {_VARIABLE}" if fill else ""
        return f"{indent}{_q(unit)} [label={_q(op.type)}{style}, tooltip={_q(op.name)}];"
    # a record-like table (type over shapes): dot loses edges between true record nodes
    cells = "".join(f"<td>{s if s.ndims is not None else '?'}</td>" for s in shapes)
    span = f' colspan="{len(shapes)}"' if len(shapes) > 1 else ""
    label = (f'<<table border="0" cellborder="1" cellspacing="0"{fill}><tr><td{span}>{op.type}'
             f'</td></tr><tr>{cells}</tr></table>>')
    return f"{indent}{_q(unit)} [shape=plaintext, label={label}, tooltip={_q(op.name)}];"


def _emit(tree, counts, level):
    indent = "  " * level
    for unit, op in tree["ops"].items():
        yield _node_line(unit, op, counts, indent)
    for scope, sub in tree["subs"].items():
        yield f"{indent}subgraph {_q('cluster_' + scope)} {{"
        yield f"{indent}  label={_q(scope.rsplit('/', 1)[-1])};"
        yield from _emit(sub, counts, level + 1)
        yield f"{indent}}}"


def _edges(ops, units):
    seen = {}
    for op in ops:
        dst = units[op]
        for kind, sources in (("", op.inputs), (" [style=dashed]", op.control_inputs)):
            for src in sources:
                src = units[src.op if kind == "" else src]
                if src != dst:
                    seen.setdefault(f"  {_q(src)} -> {_q(dst)}{kind};", None)
    return list(seen)
