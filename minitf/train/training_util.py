"""The global step: an int64 scalar variable in the GLOBAL_STEP collection."""
from minitf.framework import dtypes
from minitf.framework.api import control_dependencies
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys

__all__ = ["get_global_step", "get_or_create_global_step", "create_global_step",
           "global_step"]


def get_global_step(graph=None):
    """The graph's global step variable, or None.

    Raises:
      TypeError: the GLOBAL_STEP collection holds more than one variable, or a non-integer one.
    """
    graph = graph or get_default_graph()
    found = graph.get_collection(GraphKeys.GLOBAL_STEP)
    if len(found) > 1:
        raise TypeError("Multiple tensors in global_step collection.")
    if not found:
        return None
    step = found[0]
    if not step.dtype.base_dtype.is_integer:
        raise TypeError(f"Existing \"global_step\" does not have integer type: {step.dtype}")
    return step


def create_global_step(graph=None):
    """A new global step (0, int64, not trainable) named `global_step`.

    Raises:
      ValueError: the graph already has one.
    """
    from minitf.initializers import zeros_initializer
    from minitf.variable_scope import get_variable, variable_scope

    graph = graph or get_default_graph()
    if get_global_step(graph) is not None:
        raise ValueError('"global_step" already exists.')
    with graph.as_default(), control_dependencies(None), variable_scope("", reuse=False):
        return get_variable(GraphKeys.GLOBAL_STEP, shape=[], dtype=dtypes.int64,
                            initializer=zeros_initializer(), trainable=False,
                            collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP])


def get_or_create_global_step(graph=None):
    """The global step, made first if the graph has none."""
    return get_global_step(graph) or create_global_step(graph)


def global_step(sess, global_step_tensor):
    """The global step's current value as an int."""
    return int(sess.run(global_step_tensor))
