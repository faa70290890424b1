"""The TF1 module-level functions that act on the default graph (`tf.name_scope`,
`tf.control_dependencies`, `tf.device`, collections)."""
import contextlib

from minitf.framework.graph import get_default_graph
from minitf.framework.ops import Operation, Tensor


class name_scope:
    """A context manager that opens a name scope for the ops created inside it.

    The ops created inside are named `scope/op_name`. `name` (or `default_name` when `name` is
    None) opens a new scope, made unique in its parent as op names are (`outer`, `outer_1`,
    ...); a name ending in "/" re-enters exactly that scope; None or "" go back to the root.
    With `values`, the scope opens in the graph of those tensors, which is the default graph
    inside. `with` yields the scope's full name with a trailing "/" ("" at the root).

    Args:
      name: the scope's name, a scope string ending in "/" to re-enter, or None or "".
      default_name: the name to use when `name` is None.
      values: tensors (or ops) the ops of the scope take; their graph is the one used.

    Raises:
      ValueError: `name` and `default_name` are both None while `values` is given, the values
        come from different graphs, or the name is not a valid scope name (on entering).

    >>> with tf.name_scope("layer") as scope:
    ...     w = tf.constant([1.0, 2.0], name="w")
    >>> scope, w.name
    ('layer/', 'layer/w:0')
    >>> with tf.name_scope("layer"):
    ...     tf.constant(0.0, name="w").name
    'layer_1/w:0'
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
            if isinstance(v, Tensor) and v._op is None:
                continue  # an EagerTensor: of no graph
            g = v.graph
            if graph is None:
                graph, first = g, v
            elif g is not graph:
                raise ValueError(f"{v} must be from the same graph as {first} "
                                 f"(graphs are {g} and {graph}).")
    return graph


def control_dependencies(control_inputs):
    """Returns a context manager in which new ops run only after `control_inputs` have run.

    The default graph's `Graph.control_dependencies`: every op created inside the block gets
    `control_inputs` as control inputs (unless it already depends on them through its inputs).
    Blocks nest, adding their inputs; `None` clears the outer ones inside.

    Args:
      control_inputs: a list of Operations or Tensors (a Tensor stands for its op), or None.

    Returns:
      A context manager.

    Raises:
      TypeError: an item is neither an Operation nor a Tensor.
      ValueError: an item belongs to another graph.

    >>> a = tf.constant(1.0, name="a")
    >>> with tf.control_dependencies([a]):
    ...     b = tf.constant(2.0, name="b")
    >>> b.op.control_inputs
    [<tf.Operation 'a' type=Const>]
    """
    return get_default_graph().control_dependencies(control_inputs)


@contextlib.contextmanager
def init_scope():
    """Returns a context manager that lifts the ops created inside out of control dependencies.

    TF's scope for creating variables and their initializers. In graph mode it clears the
    control dependencies of the default graph (as `control_dependencies(None)`) and keeps its
    name scope, device scopes and variable scope.

    Returns:
      A context manager (`as` gives None).

    >>> a = tf.constant(1.0, name="a")
    >>> with tf.name_scope("outer"), tf.control_dependencies([a]):
    ...     with tf.init_scope():
    ...         b = tf.constant(2.0, name="b")
    >>> b.name, b.op.control_inputs
    ('outer/b:0', [])
    """
    with get_default_graph().control_dependencies(None):
        yield


def device(device_name_or_function):
    """Returns a context manager that places the ops created inside it on a device.

    The default graph's `Graph.device`. A device string or DeviceSpec fills in the fields the
    inner scopes leave unset; a function `f(op) -> device string` places each op itself; None
    ignores the outer device scopes. minitf runs every op on the CPU with NumPy: the device is
    recorded (`op.device`), not used.

    Args:
      device_name_or_function: a device string such as "/job:ps/task:0/device:CPU:0", a
        DeviceSpec, a function of the op, or None.

    Returns:
      A context manager.

    Raises:
      ValueError: the device string does not parse.

    >>> with tf.device("/job:ps"):
    ...     with tf.device("/cpu:0"):
    ...         c = tf.constant(1.0)
    >>> c.device
    '/job:ps/device:CPU:0'
    """
    return get_default_graph().device(device_name_or_function)


def add_to_collection(name, value):
    """Adds `value` to the collection `name` of the default graph.

    Args:
      name: the collection's key, usually a `tf.GraphKeys` name.
      value: the object to add.
    """
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    """Adds `value` to each of the collections `names` of the default graph.

    Args:
      names: one collection key, or an iterable of keys (each used once).
      value: the object to add.
    """
    get_default_graph().add_to_collections(names, value)


def get_collection(key, scope=None):
    """Returns a list of the values in the collection `key` of the default graph.

    Args:
      key: the collection's key, usually a `tf.GraphKeys` name.
      scope: optional regular expression; then only the items whose `name` it matches (with
        `re.match`, so from the start) are returned, and items without a name never are.

    Returns:
      A new list (empty when the collection does not exist).
    """
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    """Returns the list that holds the collection `key` of the default graph.

    Changing the list changes the collection; an absent collection is created empty.

    Args:
      key: the collection's key, usually a `tf.GraphKeys` name.

    Returns:
      The collection's list itself.
    """
    return get_default_graph().get_collection_ref(key)
