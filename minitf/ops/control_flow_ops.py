"""no_op and group: ops that only order other ops."""
from minitf.framework.api import name_scope
from minitf.framework.graph import get_default_graph
from minitf.framework.ops import Operation
from minitf.framework.registry import register_op

__all__ = ["no_op", "group"]


@register_op("NoOp", shape=None, outputs=0, differentiable=False)
def _no_op():
    return None


def no_op(name=None):
    """Returns an op that does nothing; useful as a control-dependency target.

    Args:
      name: a name for the operation (default "NoOp").

    Returns:
      An Operation (running it yields None); None in eager mode.
    """
    return _no_op.apply([], name=name or "NoOp")


def group(*inputs, name=None):
    """Returns an op that runs all of `inputs`, and has no output.

    A NoOp with every input's op as a control input: running it runs them (in no particular
    order), as a training step groups several updates.

    Args:
      *inputs: Operations or Tensors (a Tensor stands for its op).
      name: a name for the operation (default "group_deps").

    Returns:
      An Operation (running it yields None); None in eager mode, where the inputs have run.

    Raises:
      TypeError: an input is neither an Operation nor a Tensor.
    """
    if get_default_graph()._eager:
        return None  # (TF: eager ops ran as they were made)
    ops = []
    for value in inputs:
        op = value if isinstance(value, Operation) else getattr(value, "op", None)
        if not isinstance(op, Operation):
            raise TypeError(f"Expected tf.group() expected Tensor arguments not '{value!r}' with "
                            f"type '{type(value)}'")
        ops.append(op)
    graph = ops[0].graph if ops else get_default_graph()
    with graph.as_default(), name_scope(name, "group_deps", ops) as scope:
        with graph.control_dependencies(ops):
            return no_op(name=scope)
