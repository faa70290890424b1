"""Seeing a model's variables and ops as text: `summary_table` (variables by name scope, with
per-scope totals) and TF1 slim's `analyze_vars`, `analyze_ops` and `tensor_description`, whose
printed lines are slim's, character for character (`tf.contrib.slim.model_analyzer`).
"""
from minitf.framework.graph import Graph, get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.framework.tensor_shape import as_shape
from minitf.partitioned import PartitionedVariable

__all__ = ["summary_table", "analyze_vars", "analyze_ops", "tensor_description"]

_COLUMNS = (("Variable", "<"), ("Shape", "<"), ("Dtype", "<"), ("Size", ">"), ("Bytes", ">"),
            ("Parts", ">"), ("Trainable", "<"))


# -- slim's analyzers ------------------------------------------------------------------------------
def tensor_description(var):
    """Returns a compact string with a tensor's (or variable's) dtype and shape.

    Args:
      var: a Tensor, Variable or PartitionedVariable.

    Returns:
      A string such as `(float32 1x8x8x1024)`; an unknown dimension shows as `?`.

    >>> tf.contrib.slim.model_analyzer.tensor_description(tf.placeholder(tf.float32, [None, 3]))
    '(float32 ?x3)'
    """
    return f"({var.dtype.name} {'x'.join(str(d) for d in var.get_shape())})"


def analyze_ops(graph, print_info=False):
    """Adds up the number of elements of every op's outputs in `graph` (slim's estimate).

    An output of unknown or partly unknown shape counts 0 elements.

    Args:
      graph: the Graph whose operations are analyzed.
      print_info: if True, print one line per op, `name -> (dtype shape), ... [size]`.

    Returns:
      The total number of elements of the ops' outputs.
    """
    if print_info:
        print("---------\nOperations: name -> (type shapes) [size]\n---------")
    total_size = 0
    for op in graph.get_operations():
        shapes = [tensor_description(t) for t in op.outputs if t.get_shape()]
        op_size = sum(t.get_shape().num_elements() or 0 for t in op.outputs)
        if print_info:
            print(op.name, "\t->", ", ".join(shapes), f"[{op_size}]")
        total_size += op_size
    return total_size


def analyze_vars(variables, print_info=False):
    """Counts the elements and bytes of `variables`, printing one line per variable if asked.

    Args:
      variables: a list of variables, e.g. `tf.global_variables()`.
      print_info: if True, print each variable as `name (dtype shape) [size, bytes: N]`,
        then the totals.

    Returns:
      A pair (total number of elements, total bytes).

    >>> w = tf.get_variable("w", [3, 4])
    >>> tf.contrib.slim.model_analyzer.analyze_vars([w], print_info=True)
    ---------
    Variables: name (type shape) [size]
    ---------
    w:0 (float32_ref 3x4) [12, bytes: 48]
    Total size of variables: 12
    Total bytes of variables: 48
    (12, 48)
    """
    if print_info:
        print("---------\nVariables: name (type shape) [size]\n---------")
    total_size = total_bytes = 0
    for var in variables:
        var_size = var.get_shape().num_elements() or 0
        var_bytes = var_size * var.dtype.size
        total_size += var_size
        total_bytes += var_bytes
        if print_info:
            print(var.name, tensor_description(var), f"[{var_size}, bytes: {var_bytes}]")
    if print_info:
        print(f"Total size of variables: {total_size}\nTotal bytes of variables: {total_bytes}")
    return total_size, total_bytes


# -- summary_table ---------------------------------------------------------------------------------
def summary_table(graph_or_var_list=None, print_info=True):
    """Returns (and prints) a table of variables grouped by name scope, with totals.

    Each name scope is a row with the size and bytes of everything under it; each variable is
    a row with its shape, dtype, size (elements), bytes, number of parts and whether it is
    trainable. A partitioned variable is one row, with its full shape and its parts counted.
    A last row gives the totals.

    Args:
      graph_or_var_list: a Graph (its global and local variables), a list of variables and
        PartitionedVariables, or None for the default graph.
      print_info: whether to print the table too.

    Returns:
      The table, a string of aligned lines.

    >>> with tf.variable_scope("dense"):
    ...     w = tf.get_variable("kernel", [2, 3])
    ...     b = tf.get_variable("bias", [3], trainable=False)
    >>> _ = tf.summary_table()
    Variable            Shape   Dtype    Size  Bytes  Parts  Trainable
    ------------------  ------  -------  ----  -----  -----  ---------
    dense/                                  9     36
      kernel            (2, 3)  float32     6     24      1  yes
      bias              (3,)    float32     3     12      1  no
    ------------------  ------  -------  ----  -----  -----  ---------
    Total: 2 variables                      9     36
    """
    entries = _entries(_variables_of(graph_or_var_list))
    rows = _tree_rows(_tree(entries), 0)
    rows.append((f"Total: {len(entries)} variable{'s' * (len(entries) != 1)}", "", "",
                 sum(e[3] for e in entries), sum(e[4] for e in entries), "", ""))
    text = _format(rows)
    if print_info:
        print(text)
    return text


def _variables_of(graph_or_var_list):
    if graph_or_var_list is None or isinstance(graph_or_var_list, Graph):
        graph = graph_or_var_list or get_default_graph()
        found = graph.get_collection(GraphKeys.GLOBAL_VARIABLES)
        return found + [v for v in graph.get_collection(GraphKeys.LOCAL_VARIABLES)
                        if all(v is not u for u in found)]
    variables = []
    for v in graph_or_var_list:
        variables.extend(v if isinstance(v, PartitionedVariable) else [v])
    return variables


def _entries(variables):
    """(name, shape string, dtype name, size, bytes, parts, trainable) per variable, the parts
    of a partitioned variable merged into one entry where the first part is."""
    entries, partitioned = [], {}
    for v in variables:
        info = getattr(v, "_save_slice_info", None)
        size = v.get_shape().num_elements() or 0
        nbytes = size * v.dtype.base_dtype.size
        if info is None:
            entries.append([v.op.name, str(v.get_shape()), v.dtype.base_dtype.name, size,
                            nbytes, 1, v.trainable])
        elif info.full_name in partitioned:
            entry = partitioned[info.full_name]
            entry[3:6] = entry[3] + size, entry[4] + nbytes, entry[5] + 1
        else:
            entry = [info.full_name, str(as_shape(info.full_shape)), v.dtype.base_dtype.name,
                     size, nbytes, 1, v.trainable]
            partitioned[info.full_name] = entry
            entries.append(entry)
    return entries


def _tree(entries):
    """A nested dict of scopes: keys ("scope", name) hold subtrees, ("var", name) entries."""
    root = {}
    for entry in entries:
        *scopes, leaf = entry[0].split("/")
        node = root
        for scope in scopes:
            node = node.setdefault(("scope", scope), {})
        node[("var", leaf)] = entry
    return root


def _totals(node):
    size = nbytes = 0
    for (kind, _), child in node.items():
        s, b = _totals(child) if kind == "scope" else child[3:5]
        size, nbytes = size + s, nbytes + b
    return size, nbytes


def _tree_rows(node, depth):
    rows, indent = [], "  " * depth
    for (kind, name), child in node.items():
        if kind == "scope":
            rows.append((f"{indent}{name}/", "", "", *_totals(child), "", ""))
            rows += _tree_rows(child, depth + 1)
        else:
            rows.append((indent + name, *child[1:6], "yes" if child[6] else "no"))
    return rows


def _format(rows):
    header = tuple(title for title, _ in _COLUMNS)
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(_COLUMNS))]
    rule = "  ".join("-" * w for w in widths)

    def line(row):
        cells = (f"{str(cell):{align}{w}}" for cell, (_, align), w in zip(row, _COLUMNS, widths))
        return "  ".join(cells).rstrip()

    return "\n".join([line(header), rule, *map(line, rows[:-1]), rule, line(rows[-1])])
