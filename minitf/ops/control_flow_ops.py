"""no_op, group and tuple: ops that only order other ops."""
from minitf.framework.api import name_scope
from minitf.framework.graph import get_default_graph
from minitf.framework.ops import Operation
from minitf.framework.registry import register_op
from minitf.ops._shared import identity

__all__ = ["no_op", "group", "tuple"]


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


def tuple(tensors, name=None, control_inputs=None):  # (TF's name)
    """Returns the tensors, each gated on all of them (and on `control_inputs`).

    Running any one of the results computes them all.

    Args:
      tensors: a list of Tensors (or None, kept as None).
      name: a name scope (default "tuple").
      control_inputs: more Operations or Tensors to wait for.

    Returns:
      A list of Tensors (`tuple/control_dependency`, `..._1`, ...) with the same values.

    Raises:
      TypeError: `tensors` is a single Tensor, or an item is not a Tensor.

    >>> a, b = tf.tuple([tf.constant(1.0), tf.constant(2.0)])
    >>> a.name
    'tuple/control_dependency:0'
    """
    if isinstance(tensors, Operation) or hasattr(tensors, "_op") and hasattr(tensors, "dtype"):
        raise TypeError("tensors must be a list or tuple of Tensors, not a single Tensor.")
    if get_default_graph()._eager:
        return list(tensors)
    with name_scope(name, "tuple", [t for t in tensors if t is not None]) as scope:
        gating = [t for t in tensors if t is not None]
        for t in gating:
            if not hasattr(t, "op"):
                raise TypeError(f"Expected a Tensor in tf.tuple, got {t!r}")
        gate = group(*gating, *(control_inputs or []))
        out = []
        for t in tensors:
            if t is None:
                out.append(None)
                continue
            with get_default_graph().control_dependencies([gate]):
                out.append(identity(t, name="control_dependency"))
        del scope
        return out
