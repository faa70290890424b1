"""The structure of a dataset's elements, and the functions `map`, `filter`, ... trace.

An element is a nested structure (tuples, namedtuples, dicts) of tensors; as in tf.data, a list
is not a structure but a value that becomes one tensor. A dataset keeps its element structure
as TensorSpecs; at run time an element is the flat list of its components' NumPy values.

A function given to `map` (`filter`, `flat_map`, ...) is traced once into a body Context, as
`tf.function` traces (minitf/control_flow/function.py): its arguments are placeholders of the
element's components (a tuple element is unpacked into arguments, as TF unpacks it), and the
dataset op running it takes the tensors it captures as inputs, evaluated when the op runs (an
iterator's initializer), as TF evaluates a dataset function's captured inputs.
"""
import re

from minitf.control_flow.cond import branch_runner
from minitf.control_flow.function import _as_output
from minitf.control_flow.while_loop import _loop_var
from minitf.framework import tensor_shape
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.control_flow_context import Context
from minitf.framework.ops import Tensor
from minitf.framework.sparse_tensor import SparseTensor
from minitf.framework.type_spec import TensorSpec


def is_structure(value):
    """Whether `value` nests components (a tuple or dict; a list is one value, as in tf.data)."""
    return isinstance(value, (tuple, dict))


def flatten(structure):
    """The components of an element structure, in order (dicts by sorted key)."""
    if isinstance(structure, dict):
        return [c for k in sorted(structure) for c in flatten(structure[k])]
    if isinstance(structure, tuple):
        return [c for v in structure for c in flatten(v)]
    return [structure]


def pack(structure, flat):
    """`flat` packed as `structure` (tuples, namedtuples and dicts)."""
    it = iter(flat)

    def build(like):
        if isinstance(like, dict):
            built = {k: build(like[k]) for k in sorted(like)}
            return type(like)((k, built[k]) for k in like)
        if isinstance(like, tuple):
            children = [build(v) for v in like]
            return type(like)(*children) if hasattr(like, "_fields") else tuple(children)
        return next(it)
    return build(structure)


def map_structure(fn, structure):
    return pack(structure, [fn(c) for c in flatten(structure)])


def to_tensors(value, name="component"):
    """`value` with each component converted to a Tensor (a list becomes one tensor)."""
    if isinstance(value, SparseTensor):
        raise TypeError("minitf's tf.data does not take SparseTensor components")
    if is_structure(value):
        return map_structure(lambda v: to_tensors(v, name), value)
    return convert_to_tensor(value, name=name)


def spec_of(t):
    return TensorSpec(t._shape if t._shape is not None else None, t.dtype.base_dtype)


def shape_tuple(spec):
    """A TensorSpec's shape as minitf's static shape (a tuple, None for unknown rank)."""
    return spec.shape._as_tuple() if spec.shape.ndims is not None else None


def types_of(specs):
    return map_structure(lambda s: s.dtype, specs)


def shapes_of(specs):
    return map_structure(lambda s: s.shape, specs)


def classes_of(specs):
    return map_structure(lambda s: Tensor, specs)


def merge_shapes(a, b):
    """The most specific shape both `a` and `b` (TensorShapes) fit."""
    if a.ndims is None or b.ndims is None or a.ndims != b.ndims:
        return tensor_shape.TensorShape(None)
    return tensor_shape.TensorShape([x if x == y else None
                                     for x, y in zip(a._as_tuple(), b._as_tuple())])


def specs_from(output_types, output_shapes=None):
    """The TensorSpec structure of `output_types` (a dtype structure) and `output_shapes`."""
    if output_shapes is None:
        output_shapes = map_structure(lambda _: None, output_types)
    shapes = flatten_like(output_types, output_shapes)
    specs = [TensorSpec(tensor_shape.as_shape(s) if s is not None else None, t)
             for t, s in zip(flatten(output_types), shapes)]
    return pack(output_types, specs)


def flatten_like(structure, value):
    """`value` flattened as deep as `structure` (a TensorShape or list there is one leaf)."""
    if is_structure(structure):
        if isinstance(structure, dict):
            return [c for k in sorted(structure) for c in flatten_like(structure[k], value[k])]
        if not isinstance(value, (tuple, list)) or len(value) != len(structure):
            raise ValueError(f"The two structures don't have the same nested structure: "
                             f"{structure!r} and {value!r}")
        return [c for s, v in zip(structure, value) for c in flatten_like(s, v)]
    return [value]


# -- dataset functions -----------------------------------------------------------------------------
def trace(graph, fn, specs, what, unpack=True):
    """The body Context of `fn` called on an element of `specs`: its arguments, outputs, the
    structure of what it returned (lists made tuples, as tf.data makes them)."""
    body = Context(graph, "function")
    body.effects = []
    scope = "Dataset_" + what + "_" + (re.sub(r"[^A-Za-z0-9_.]", "", getattr(
        fn, "__name__", "fn")) or "fn")
    with graph._control_flow(body), graph.name_scope(scope):
        body.args = [_loop_var.apply([], name="args", shape=shape_tuple(s), dtype=s.dtype)
                     for s in flatten(specs)]
        body.ordered = True
        element = pack(specs, body.args)
        result = fn(*element) if unpack and type(element) is tuple else fn(element)
        result = _tuples(result)
        leaves = flatten(result)
        body.outputs = [_output(v, body) for v in leaves]
    for t in body.outputs:
        if not body.holds(t._op):
            body.captures.setdefault(t, False)
    for t in body.captures:  # captured values are read when the dataset op runs, as TF's
        body.captures[t] = False
    body.structure = pack(result, body.outputs)
    return body


def _output(value, body):
    if hasattr(value, "_variant"):  # a dataset (flat_map's function returns one)
        return value._variant
    return _as_output(value, body)


def _tuples(value):
    if isinstance(value, list):  # (TF: "a list is converted to a tuple")
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return type(value)((k, _tuples(v)) for k, v in value.items())
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_tuples(v) for v in value)
    return value


def captured(body):
    """The outside tensors the body reads: the dataset op's inputs after its datasets."""
    return list(body.captures)


def runner(state, op, body):
    """fn(element values, captured values) -> the body's output values, compiled once per
    session."""
    key = ("data_fn", op, id(body))
    run = state.get(key)
    if run is None:
        n = len(body.args)
        index = {t: i for i, t in enumerate(body.args)}
        index.update((t, n + i) for i, t in enumerate(body.captures))
        inner = branch_runner(body, state, index)
        run = state[key] = lambda values, caps: inner(list(values) + list(caps), None)[:-1]
    return run


class ElementStructure:
    """The TF1 attributes of a dataset's or iterator's element, from its `_specs`."""

    element_spec = property(lambda self: self._specs,
                            doc="The TensorSpec structure of an element.")
    output_types = property(lambda self: types_of(self._specs),
                            doc="The dtype structure of an element (TF1).")
    output_shapes = property(lambda self: shapes_of(self._specs),
                             doc="The TensorShape structure of an element (TF1).")
    output_classes = property(lambda self: classes_of(self._specs),
                              doc="The class structure of an element (tf.Tensor each; TF1).")
