"""The TF1 module-level functions that act on the default graph (`tf.name_scope`,
`tf.control_dependencies`, `tf.device`, collections)."""
from minitf.framework.graph import get_default_graph
from minitf.framework.ops import Operation, Tensor


class name_scope:
    """Context manager for a name scope (tf.compat.v1.name_scope).

    `name` (or `default_name` when `name` is None) opens a uniquified scope; a name ending in "/"
    re-enters exactly that scope; "" resets to the root. With `values`, the scope opens in their
    graph, which becomes the default graph inside. Yields the scope string, e.g. "outer/inner/".
    """

    __slots__ = ("_name", "_values", "_graph_ctx", "_scope")

    def __init__(self, name, default_name=None, values=None):
        if name is None and values is not None and default_name is None:
            raise ValueError(f"At least one of name ({name}) and default_name ({default_name}) "
                             "must be provided.")
        self._name = default_name if name is None else name
        self._values = values
        self._graph_ctx = None

    def __enter__(self):
        graph = get_default_graph()
        if self._values:
            inputs_graph = _graph_of_values(self._values)
            if inputs_graph is not None and inputs_graph is not graph:
                graph = inputs_graph
                self._graph_ctx = graph.as_default()
                self._graph_ctx.__enter__()
        self._scope = graph.name_scope(self._name)
        try:
            return self._scope.__enter__()
        except Exception:
            self._exit_graph()
            raise

    def __exit__(self, *exc):
        self._scope.__exit__(*exc)
        self._exit_graph()
        return False

    def _exit_graph(self):
        if self._graph_ctx is not None:
            self._graph_ctx.__exit__(None, None, None)
            self._graph_ctx = None


def _graph_of_values(values):
    """The one graph the graph elements among `values` belong to (ValueError if several)."""
    graph, first = None, None
    for v in values:
        if hasattr(v, "_as_graph_element") and not isinstance(v, (Tensor, Operation)):
            v = v._as_graph_element()
        if isinstance(v, (Tensor, Operation)):
            g = v.graph
            if graph is None:
                graph, first = g, v
            elif g is not graph:
                raise ValueError(f"{v} must be from the same graph as {first} "
                                 f"(graphs are {g} and {graph}).")
    return graph


def control_dependencies(control_inputs):
    """`get_default_graph().control_dependencies(control_inputs)`."""
    return get_default_graph().control_dependencies(control_inputs)


def device(device_name_or_function):
    """`get_default_graph().device(...)`: place ops created inside on a device."""
    return get_default_graph().device(device_name_or_function)


def add_to_collection(name, value):
    """Adds `value` to collection `name` of the default graph."""
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    """Adds `value` to each collection in `names` of the default graph."""
    get_default_graph().add_to_collections(names, value)


def get_collection(key, scope=None):
    """Collection `key` of the default graph (filtered by the `scope` regex)."""
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    """The list behind collection `key` of the default graph."""
    return get_default_graph().get_collection_ref(key)
