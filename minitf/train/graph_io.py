"""`tf.train.write_graph`: a graph's GraphDef written to a file, in text or binary form."""
import os
import tempfile

from minitf.framework import graph as _graph, proto_text

__all__ = ["write_graph"]


def write_graph(graph_or_graph_def, logdir, name, as_text=True):
    """Writes a graph's GraphDef to `logdir/name`; returns the file's path.

    The file is replaced at once (written beside it, then renamed), as TF writes it; `logdir`
    is made when missing.

    Args:
      graph_or_graph_def: a Graph (its `as_graph_def()` is written) or a GraphDef.
      logdir: the directory to write into.
      name: the file's name.
      as_text: if True, protobuf's text format; otherwise the binary wire format
        (deterministic: map entries sorted by key).

    Returns:
      The path written, `os.path.join(logdir, name)`.

    >>> import tempfile, os
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     _ = tf.constant(1.5, name="c")
    >>> path = tf.train.write_graph(g, tempfile.mkdtemp(), "graph.pbtxt")
    >>> with open(path) as f:
    ...     print(f.read().splitlines()[1])
      name: "c"
    """
    graph_def = graph_or_graph_def
    if isinstance(graph_or_graph_def, _graph.Graph):
        graph_def = graph_or_graph_def.as_graph_def()
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, name)
    if as_text:
        data = proto_text.MessageToString(graph_def).encode()
    else:
        data = graph_def.SerializeToString(deterministic=True)
    _atomic_write(path, data)
    return path


def _atomic_write(path, data):
    # a reader never sees half a file: write beside it, then rename over it
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".tmp_graph")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
