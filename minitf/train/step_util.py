"""The global step as hooks read it: `tf.train.assert_global_step` and the cached read tensor
(`global_step + 0`, kept in a collection) that the step-counting hooks fetch with each run."""
from minitf.framework.api import control_dependencies
from minitf.framework.graph import get_default_graph
from minitf.framework.ops import Tensor
from minitf.train.training_util import get_global_step
from minitf.variables import Variable

__all__ = ["assert_global_step"]

# TF's collection name, so a graph holds one read tensor however many hooks ask for it.
GLOBAL_STEP_READ_KEY = "global_step_read_op_cache"


def assert_global_step(global_step_tensor):
    """Checks that a tensor or variable can serve as the global step.

    Args:
      global_step_tensor: the candidate: it must be an integer Variable or Tensor, scalar
        unless its shape is not fully known.

    Raises:
      TypeError: it is not a Variable or Tensor, not of an integer type, or not a scalar.

    >>> tf.train.assert_global_step(tf.train.get_or_create_global_step())
    """
    if not isinstance(global_step_tensor, (Variable, Tensor)):
        raise TypeError(f'Existing "global_step" must be a Variable or Tensor: '
                        f"{global_step_tensor}.")
    if not global_step_tensor.dtype.base_dtype.is_integer:
        raise TypeError(f'Existing "global_step" does not have integer type: '
                        f"{global_step_tensor.dtype}")
    shape = global_step_tensor.get_shape()
    if shape.ndims != 0 and shape.is_fully_defined():
        raise TypeError(f'Existing "global_step" is not scalar: {shape}')


def get_or_create_global_step_read(graph=None):
    """The graph's global step read tensor (made once, at the root scope), or None when the
    graph has no global step. Hooks make it in `begin`, before the graph is finalized."""
    graph = graph or get_default_graph()
    cached = graph.get_collection(GLOBAL_STEP_READ_KEY)
    if cached:
        return cached[0]
    step = get_global_step(graph)
    if step is None:
        return None
    with graph.as_default(), control_dependencies(None), graph.name_scope(None):
        with graph.name_scope(step.op.name + "/"):
            read = step + 0
    graph.add_to_collection(GLOBAL_STEP_READ_KEY, read)
    return read
