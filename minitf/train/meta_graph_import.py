"""`tf.train.import_meta_graph`: a MetaGraphDef (a `.meta` file minitf or TensorFlow wrote) back
into a graph: its GraphDef imported, its collections rebuilt (variables as Variables over the
imported ops, ops and tensors by name, numbers and strings as they are) and a Saver of its
SaverDef returned, so that `saver.restore(sess, prefix)` brings the weights back.
"""
import logging

from minitf.framework import graph as _graph, proto_text
from minitf.framework.importer import atomically, import_graph_def
from minitf.framework.meta_graph_pb import MetaGraphDef
from minitf.framework.proto import DecodeError
from minitf.framework.saver_pb import SaverDef
from minitf.framework.variable_pb import VariableDef
from minitf.train.meta_graph import _VARIABLE_COLLECTIONS
from minitf.variables import Variable

__all__ = ["import_meta_graph", "import_scoped_meta_graph", "read_meta_graph_file"]


def read_meta_graph_file(filename):
    """Reads a `MetaGraphDef` from a file, in the binary format or else the text format.

    Args:
      filename: the file's path.

    Returns:
      The `MetaGraphDef`.

    Raises:
      IOError: the file does not exist or holds no MetaGraphDef.
    """
    try:
        with open(filename, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise OSError(f"File {filename} does not exist.") from None
    meta = MetaGraphDef()
    try:
        meta.ParseFromString(data)
        return meta
    except DecodeError:
        pass
    try:
        return proto_text.Parse(data.decode("utf-8"), MetaGraphDef())
    except (UnicodeDecodeError, proto_text.ParseError) as e:
        raise OSError(f"Cannot parse file {filename}: {e}.") from None


def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, **kwargs):
    """Recreates a graph saved in a `MetaGraphDef`; returns a Saver of its variables.

    The graph's ops are added to the default graph (under `import_scope`, if given), its
    collections are rebuilt, and the Saver restores the checkpoints saved with the graph.

    Args:
      meta_graph_or_file: a `MetaGraphDef`, or the path of a file holding one (`.meta`).
      clear_devices: ignore the devices the nodes name.
      import_scope: a name scope to import the ops into (made unique in the graph).
      **kwargs: `input_map` (tensor names of the saved graph to tensors that replace them)
        and `restore_collections_predicate` (which collection keys to rebuild), as TF's.

    Returns:
      A Saver of the imported variables, from the MetaGraphDef's SaverDef (or a new one);
      None when the graph has no variables.

    Raises:
      IOError: the file does not exist or cannot be parsed.
      ValueError: without `import_scope`, the default graph already has an op of one of the
        imported names (TF would quietly bind the collections to that op).
      TypeError: `meta_graph_or_file` is neither a MetaGraphDef nor a path.

    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> with tf.Graph().as_default():
    ...     v = tf.Variable([1.0, 2.0], name="v")
    ...     tf.add_to_collection("out", v * 10.0)
    ...     with tf.Session() as sess:
    ...         sess.run(v.initializer)
    ...         path = tf.train.Saver().save(sess, os.path.join(d, "model"))
    >>> with tf.Graph().as_default():
    ...     saver = tf.train.import_meta_graph(path + ".meta")
    ...     with tf.Session() as sess:
    ...         saver.restore(sess, path)
    ...         print(sess.run(tf.get_collection("out")[0]))
    [10. 20.]
    """
    predicate = kwargs.pop("restore_collections_predicate", lambda key: True)
    input_map = kwargs.pop("input_map", None)
    meta, scope = import_scoped_meta_graph(meta_graph_or_file, clear_devices, import_scope,
                                           input_map, predicate)
    return _saver_of(meta, scope)


def import_scoped_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None,
                             input_map=None, restore_collections_predicate=lambda key: True):
    """Imports a MetaGraphDef's graph and collections into the default graph.

    Args:
      meta_graph_or_file: a `MetaGraphDef`, or the path of a file holding one.
      clear_devices: ignore the devices the nodes name.
      import_scope: a name scope to import the ops into (made unique in the graph).
      input_map: tensor names of the saved graph to tensors that replace them.
      restore_collections_predicate: which collection keys to rebuild.

    Returns:
      (the MetaGraphDef, the name scope its names were given: "" for none).
    """
    meta = meta_graph_or_file
    if isinstance(meta, (str, bytes)) or hasattr(meta, "__fspath__"):
        meta = read_meta_graph_file(meta)
    if not isinstance(meta, MetaGraphDef):
        raise TypeError("import_meta_graph takes a MetaGraphDef or the path of a file holding "
                        f"one, not {type(meta_graph_or_file).__name__}")
    graph = _graph.get_default_graph()
    graph_def = meta.graph_def
    if clear_devices:
        graph_def = type(graph_def)()
        graph_def.CopyFrom(meta.graph_def)
        for node in graph_def.node:
            node.device = ""
    scope = graph.unique_name(import_scope, mark_as_used=False) if import_scope else ""
    if not scope:
        _check_free(graph, graph_def)
    with graph._lock:
        with atomically(graph):  # (a collection naming a missing op: nothing imported)
            import_graph_def(graph_def, input_map=input_map, name=scope)
            variables = {}  # serialized VariableDef -> Variable: one object in every collection
            items = [(key, item) for key in sorted(meta.collection_def)
                     if restore_collections_predicate(key)
                     for item in _collection(graph, key, meta.collection_def[key], scope,
                                             variables)]
        for key, item in items:
            graph.add_to_collection(key, item)
    return meta, scope


def _check_free(graph, graph_def):
    taken = [n.name for n in graph_def.node if graph._op_named(n.name) is not None]
    if taken:
        shown = ", ".join(taken[:5]) + (", ..." if len(taken) > 5 else "")
        raise ValueError(f"import_meta_graph: the graph already has ops named as the imported "
                         f"ones ({shown}); import into an empty graph, or give import_scope.")


def _scoped(name, scope):
    return f"{scope}/{name}" if scope else name


def _collection(graph, key, collection, scope, variables):
    """The items of a CollectionDef, as the graph's collection `key` holds them."""
    kind = collection.WhichOneof("kind")
    if kind is None:
        logging.warning("Cannot identify data type for collection %s. Skipping.", key)
        return []
    values = getattr(collection, kind).value
    if kind == "bytes_list" and key in _VARIABLE_COLLECTIONS:
        out = []
        for data in values:
            var = variables.get(data)
            if var is None:
                var = variables[data] = Variable.from_proto(
                    VariableDef.FromString(data), import_scope=scope or None)
            out.append(var)
        return out
    if kind == "bytes_list" and key == "savers":
        return [_saver(SaverDef.FromString(data), scope, graph) for data in values]
    if kind == "node_list":
        return [graph.as_graph_element(_scoped(name, scope)) for name in values]
    if kind == "int64_list":
        return [int(value) for value in values]
    return list(values)


def _saver_of(meta, scope):
    graph = _graph.get_default_graph()
    if meta.HasField("saver_def"):
        return _saver(meta.saver_def, scope, graph, _npz(meta))
    if not _imported_variables(graph, scope):
        logging.info("Saver not created because there are no variables in the graph to restore")
        return None
    return _saver(None, scope, graph)


def _imported_variables(graph, scope):
    prefix = scope + "/" if scope else ""
    return [v for v in graph.get_collection("variables") if v._op_name.startswith(prefix)]


def _npz(meta):
    from minitf.train.saver import NPZ_SAVER

    return meta.meta_info_def.meta_graph_version == NPZ_SAVER


def _saver(saver_def, scope, graph, npz=False):
    """A Saver of the variables imported under `scope`, saving them under their names in the
    saved graph (the checkpoints' names), with the SaverDef's settings. It writes TF's format
    when the graph holds TF's save ops, unless a minitf Saver writing its own .npz format wrote
    the meta graph (`npz`), or there are no save ops (minitf's Saver before they were built)."""
    from minitf.train.saver import Saver

    var_list = {}
    cut = len(scope) + 1 if scope else 0
    for var in _imported_variables(graph, scope):
        info = getattr(var, "_save_slice_info", None)
        if info is None:
            var_list[var._op_name[cut:]] = var
        else:
            var_list.setdefault(info.full_name[cut:], []).append(var)
    var_list = var_list or None
    if saver_def is None:
        return Saver(var_list, allow_empty=True)
    scoped = SaverDef()
    scoped.CopyFrom(saver_def)
    for field in ("filename_tensor_name", "save_tensor_name", "restore_op_name"):
        setattr(scoped, field, _scoped(getattr(saver_def, field), scope))
    tf_ops = not npz and _producer(graph, scoped.save_tensor_name) is not None
    return Saver(var_list, sharded=saver_def.sharded, allow_empty=True,
                 max_to_keep=saver_def.max_to_keep, saver_def=scoped,
                 keep_checkpoint_every_n_hours=saver_def.keep_checkpoint_every_n_hours or 1e4,
                 write_version=SaverDef.V2 if tf_ops else None)


def _producer(graph, tensor_name):
    op = graph._op_named(tensor_name.partition(":")[0])
    return op if op is not None and op.type != "NoOp" else None
