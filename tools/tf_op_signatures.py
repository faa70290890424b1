"""Regenerates minitf/framework/tf_op_signatures.py's table from TensorFlow's op registry.

Run it with the reference TensorFlow's interpreter (never minitf's: TensorFlow is no dependency):

    ~/tfref/bin/python tools/tf_op_signatures.py [OP_TYPE ...]

It rewrites the module's `_SIGNATURES` table for the op types it already lists plus any given
here, keeping the rest of the module as it is, and prints how many entries changed.
"""
import ast
import json
import pathlib
import re
import sys

MODULE = pathlib.Path(__file__).resolve().parent.parent / "minitf/framework/tf_op_signatures.py"


def _default(attr, types_pb2):
    if not attr.HasField("default_value"):
        return None
    value = attr.default_value
    kind = value.WhichOneof("value")
    if kind == "list":
        for field in ("s", "i", "f", "b", "type", "shape"):
            items = list(getattr(value.list, field))
            if items:
                if field == "s":
                    return [x.decode() for x in items]
                if field == "type":
                    return [types_pb2.DataType.Name(x) for x in items]
                if field == "shape":
                    raise ValueError(f"{attr.name}: a list(shape) default is not tabulated")
                return items
        return []
    if kind == "s":
        return value.s.decode()
    if kind == "type":
        return types_pb2.DataType.Name(value.type)
    if kind == "shape":
        return None if value.shape.unknown_rank else [d.size for d in value.shape.dim]
    if kind == "tensor":
        return "TENSOR"  # (ImageSummary's bad_color: the kernel's default, not tabulated)
    if kind is None:
        return None
    return getattr(value, kind)


def _arg(arg, types_pb2):
    kind = arg.type_attr or (f"[{arg.type_list_attr}]" if arg.type_list_attr else
                             types_pb2.DataType.Name(arg.type)[3:].lower())
    count = f"{arg.number_attr}*" if arg.number_attr else ""
    return ("&" if arg.is_ref else "") + f"{arg.name}:{count}{kind}"


def entry(op_def, types_pb2):
    """The table string of one OpDef: `inputs>outputs>attrs` (see the module's docstring)."""
    attrs = []
    for attr in op_def.attr:
        text = f"{attr.name}:{attr.type}"
        if attr.HasField("default_value"):
            text += "=" + json.dumps(_default(attr, types_pb2), separators=(",", ":"))
        attrs.append(text)
    return ">".join([",".join(_arg(a, types_pb2) for a in op_def.input_arg),
                     ",".join(_arg(a, types_pb2) for a in op_def.output_arg), "|".join(attrs)])


def _literal_lines(head, pieces):
    """`head` then the joined `pieces` as adjacent string literals on lines of at most 100
    columns, breaking only between pieces."""
    pad, lines, line = " " * len(head), [], ""
    for piece in pieces:
        if line and len(repr(line + piece)) > 99 - len(head):  # (room for a ":" or ",")
            lines.append(line)
            line = ""
        line += piece
    lines.append(line)
    return [(head if i == 0 else pad) + repr(chunk) for i, chunk in enumerate(lines)]


def _table_lines(table):
    """`_SIGNATURES`'s body: each signature once, with the op types that share it."""
    groups = {}
    for name in sorted(table):
        groups.setdefault(table[name], []).append(name)
    lines = []
    for signature, names in sorted(groups.items(), key=lambda item: item[1][0]):
        one = f"    {signature!r}: {' '.join(names)!r},"
        if len(one) <= 100:
            lines.append(one)
            continue
        lines += _literal_lines("    ", re.findall(r"[^,>|]*[,>|]?", signature)[:-1])
        lines[-1] += ":"
        lines += _literal_lines("        ", [n + " " for n in names[:-1]] + names[-1:])
        lines[-1] += ","
    return lines


def main(extra):
    from tensorflow.core.framework import types_pb2
    from tensorflow.python.framework import op_def_registry

    source = MODULE.read_text()
    tree = ast.parse(source)
    node = next(n for n in tree.body if isinstance(n, ast.Assign)
                and getattr(n.targets[0], "id", "") == "_SIGNATURES")
    old = {op: sig for sig, ops in ast.literal_eval(node.value).items() for op in ops.split()}
    table = {}
    for name in sorted(set(old) | set(extra)):
        op_def = op_def_registry.get(name)
        if op_def is None:
            sys.exit(f"TensorFlow has no op type {name!r}")
        table[name] = entry(op_def, types_pb2)
    lines = source.splitlines()
    new = (lines[:node.lineno - 1] + ["_SIGNATURES = {"] + _table_lines(table) + ["}"]
           + lines[node.end_lineno:])
    MODULE.write_text("\n".join(new) + "\n")
    changed = sum(old.get(k) != v for k, v in table.items())
    print(f"{len(table)} op types, {changed} changed")


if __name__ == "__main__":
    main(sys.argv[1:])
