"""`tf.train.export_meta_graph`: a graph, its Saver's SaverDef and its collections as TF's
MetaGraphDef, returned and optionally written to a file (binary or text).

Collections are kept as TF keeps them: variable collections as serialized VariableDefs in a
BytesList, Savers as SaverDefs, ops and tensors as a NodeList of names, strings as a BytesList,
ints as an Int64List, floats as a FloatList; a collection of anything else is left out with a
warning, as TF does.
"""
import logging
import os

from minitf.checkpoint import npz
from minitf.framework import graph as _graph, proto_text, versions
from minitf.framework.meta_graph_pb import Any, MetaGraphDef
from minitf.framework.variable_pb import SaveSliceInfoDef, VariableDef

__all__ = ["export_meta_graph", "create_meta_graph_def", "variable_to_proto"]

# The collections whose items TF serializes as VariableDefs (its register_proto_function calls)
_VARIABLE_COLLECTIONS = ("variables", "trainable_variables", "local_variables",
                         "model_variables", "moving_average_variables", "global_step",
                         "metric_variables")


def export_meta_graph(filename=None, meta_info_def=None, graph_def=None, saver_def=None,
                      collection_list=None, as_text=False, graph=None, export_scope=None,
                      clear_devices=False, clear_extraneous_savers=False,
                      strip_default_attrs=False, save_debug_info=False, **kwargs):
    """Returns a graph's `MetaGraphDef`, and writes it to `filename` if given.

    Args:
      filename: the file to write (its directory is made when missing); None writes nothing.
      meta_info_def: a `MetaGraphDef.MetaInfoDef` to start the meta info from.
      graph_def: the GraphDef to export (default: the graph's).
      saver_def: a SaverDef to include (default: none, as in TF).
      collection_list: the collection keys to export (default: all of the graph's).
      as_text: write protobuf's text format instead of the binary one.
      graph: the graph (default: the default graph).
      export_scope: only the ops under this name scope, with the scope taken off their names.
      clear_devices: clear the nodes' devices.
      clear_extraneous_savers, strip_default_attrs, save_debug_info: accepted for TF
        compatibility; minitf keeps every node and attr and writes no debug info.
      **kwargs: TF's other keywords, ignored.

    Returns:
      The `MetaGraphDef`.

    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     v = tf.Variable(1.0, name="v")
    >>> m = tf.train.export_meta_graph(graph=g)
    >>> sorted(m.collection_def)
    ['trainable_variables', 'variables']
    """
    del clear_extraneous_savers, strip_default_attrs, save_debug_info, kwargs
    graph = graph if graph is not None else _graph.get_default_graph()
    meta = create_meta_graph_def(meta_info_def, graph_def, saver_def, collection_list, graph,
                                 export_scope, clear_devices)
    if filename:
        os.makedirs(os.path.dirname(filename) or ".", exist_ok=True)
        data = (proto_text.MessageToString(meta).encode() if as_text
                else meta.SerializeToString(deterministic=True))
        # atomically, with the checkpoints' temporaries (a killed writer's are cleaned up)
        npz.atomic_write(os.fspath(filename), lambda f: f.write(data))
    return meta


def create_meta_graph_def(meta_info_def=None, graph_def=None, saver_def=None,
                          collection_list=None, graph=None, export_scope=None,
                          clear_devices=False):
    """Builds a `MetaGraphDef` of `graph` without writing it.

    Args:
      meta_info_def: a `MetaGraphDef.MetaInfoDef` to start the meta info from.
      graph_def: the GraphDef (default: the graph's, with its shapes).
      saver_def: a SaverDef to include (default: none).
      collection_list: the collection keys to export (default: all of the graph's).
      graph: the graph (default: the default graph).
      export_scope: only the ops under this name scope, with the scope taken off their names.
      clear_devices: clear the nodes' devices.

    Returns:
      The `MetaGraphDef`.
    """
    graph = graph if graph is not None else _graph.get_default_graph()
    meta = MetaGraphDef()
    if meta_info_def is not None:
        meta.meta_info_def.CopyFrom(meta_info_def)
    # TF records the version that wrote the graph: here minitf's own (tf.VERSION)
    meta.meta_info_def.tensorflow_version = versions.VERSION
    meta.meta_info_def.tensorflow_git_version = versions.GIT_VERSION
    if graph_def is None:
        graph_def = graph.as_graph_def(add_shapes=True)
    meta.graph_def.CopyFrom(_scoped_graph_def(graph_def, export_scope, clear_devices))
    if saver_def is not None:
        meta.saver_def.CopyFrom(saver_def)
    keys = graph.get_all_collection_keys() if collection_list is None else collection_list
    for key in sorted(keys):
        _add_collection(meta, key, graph.get_collection(key), export_scope)
    return meta


def _strip(name, scope):
    """`name` without `scope/` (keeping a leading `^`); None when it is outside the scope."""
    if not scope:
        return name
    control = name.startswith("^")
    bare = name[1:] if control else name
    if not bare.startswith(scope + "/"):
        return None
    return ("^" if control else "") + bare[len(scope) + 1:]


def _scoped_graph_def(graph_def, scope, clear_devices):
    if not scope and not clear_devices:
        return graph_def
    result = type(graph_def)()
    result.CopyFrom(graph_def)
    del result.node[:]
    for node in graph_def.node:
        name = _strip(node.name, scope)
        if name is None:
            continue
        kept = result.node.add()
        kept.CopyFrom(node)
        kept.name = name
        del kept.input[:]
        kept.input.extend(_strip(i, scope) or i for i in node.input)
        if clear_devices:
            kept.device = ""
    return result


def variable_to_proto(var, export_scope=None):
    """Returns the `VariableDef` of a graph variable (TF's `Variable.to_proto`).

    Args:
      var: a graph Variable (a reference or a resource variable).
      export_scope: a name scope taken off the names.

    Returns:
      The `VariableDef`, or None when the variable is outside `export_scope`.
    """
    if _strip(var.name, export_scope) is None:
        return None
    resource = getattr(var, "_handle", None) is not None
    snapshot = var._graph_element if resource else var._snapshot
    proto = VariableDef(variable_name=_strip(var.name, export_scope),
                        initializer_name=_strip(var.initializer.name, export_scope),
                        snapshot_name=_strip(snapshot.name, export_scope),
                        is_resource=resource, trainable=bool(var.trainable),
                        synchronization=var.synchronization.value,
                        aggregation=var.aggregation.value)
    initial = getattr(var, "initial_value", None)
    if initial is not None:
        proto.initial_value_name = _strip(initial.name, export_scope) or ""
    info = getattr(var, "_save_slice_info", None)
    if info is not None:
        proto.save_slice_info_def.CopyFrom(SaveSliceInfoDef(
            full_name=_strip(info.full_name, export_scope) or info.full_name,
            full_shape=info.full_shape, var_offset=info.var_offset, var_shape=info.var_shape))
    return proto


def _add_collection(meta, key, items, scope):
    """Adds collection `key` as TF keeps it; leaves it out (with a warning) when it cannot."""
    if not items:
        return
    try:
        kind, values = _collection_values(key, items, scope)
    except (AttributeError, TypeError, ValueError) as e:
        logging.warning("Issue encountered when serializing %s.\n%s", key, e)
        return
    if values:
        getattr(meta.collection_def[key], kind).value.extend(values)


def _collection_values(key, items, scope):
    if key in _VARIABLE_COLLECTIONS:
        protos = (variable_to_proto(v, scope) for v in items)
        return "bytes_list", [p.SerializeToString() for p in protos if p is not None]
    if key == "savers":
        return "bytes_list", [s.as_saver_def().SerializeToString() for s in items]
    first = items[0]
    if isinstance(first, (str, bytes)):
        return "bytes_list", [x.encode() if isinstance(x, str) else bytes(x) for x in items]
    if not isinstance(first, (int, float, Any)):
        names = (_strip(x.name, scope) for x in items)  # AttributeError: left out
        return "node_list", [n for n in names if n is not None]
    if isinstance(first, int):
        if any(isinstance(x, bool) for x in items):  # TF's protobuf refuses bools for int64
            raise TypeError(f"{key}: bool values do not fit an Int64List")
        return "int64_list", [int(x) for x in items]
    if isinstance(first, float):
        return "float_list", [float(x) for x in items]
    return "any_list", list(items)
