"""The global step: an int64 scalar variable in the GLOBAL_STEP collection."""
from minitf.framework import dtypes
from minitf.framework.api import control_dependencies
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys

__all__ = ["get_global_step", "get_or_create_global_step", "create_global_step",
           "global_step"]


def get_global_step(graph=None):
    """Returns the global step variable: the one in the GLOBAL_STEP collection.

    Args:
      graph: the graph to look in (default: the default graph).

    Returns:
      The global step variable, or None if the graph has none.

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
    """Creates the global step variable.

    It is an int64 scalar named `global_step`, starting at 0, not trainable, in the
    GLOBAL_VARIABLES and GLOBAL_STEP collections; its ops ignore the name scope and control
    dependencies around the call.

    Args:
      graph: the graph to make it in (default: the default graph).

    Returns:
      The global step variable.

    Raises:
      ValueError: the graph already has one.
      TypeError: the GLOBAL_STEP collection holds more than one variable, or a non-integer one.
    """
    from minitf.initializers import zeros_initializer
    from minitf.variable_scope import get_variable, variable_scope
    from minitf.variables import VariableAggregation

    graph = graph or get_default_graph()
    if get_global_step(graph) is not None:
        raise ValueError('"global_step" already exists.')
    with graph.as_default(), control_dependencies(None), variable_scope("", reuse=False):
        return get_variable(GraphKeys.GLOBAL_STEP, shape=[], dtype=dtypes.int64,
                            initializer=zeros_initializer(), trainable=False,
                            aggregation=VariableAggregation.ONLY_FIRST_REPLICA,
                            collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP])


def get_or_create_global_step(graph=None):
    """Returns the global step variable, creating it if the graph has none.

    Pass it to `Optimizer.minimize` or `apply_gradients`, which add 1 to it each step, and to
    `Saver.save` to number the checkpoints.

    Args:
      graph: the graph (default: the default graph).

    Returns:
      The global step variable (see `create_global_step`).

    Raises:
      TypeError: the GLOBAL_STEP collection holds more than one variable, or a non-integer one.

    >>> step = tf.train.get_or_create_global_step()
    >>> print(step.name, step.dtype.name, tf.train.get_or_create_global_step() is step)
    global_step:0 int64_ref True
    """
    return get_global_step(graph) or create_global_step(graph)


def global_step(sess, global_step_tensor):
    """Returns the global step's current value.

    Args:
      sess: the Session to read it in.
      global_step_tensor: the global step variable or tensor.

    Returns:
      The value, a Python int.
    """
    return int(sess.run(global_step_tensor))
