"""`tf.contrib.layers`' summary helpers (TF 1.15): a scalar summary for a scalar tensor, a
histogram for any other, tagged `<op name>_summary` unless given a tag."""
import re

from minitf import summary_ops
from minitf.framework import dtypes
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.ops import math_ops

__all__ = ["summarize_tensor", "summarize_tensors", "summarize_collection",
           "summarize_activation", "summarize_activations"]


def _scalar(tensor, tag=None):
    tensor.shape.assert_has_rank(0)
    return summary_ops.scalar(tag or f"{tensor.op.name}_summary", tensor)


def _histogram(tensor, tag=None):
    return summary_ops.histogram(tag or f"{tensor.op.name}_summary", tensor)


def summarize_tensor(tensor, tag=None):
    """Adds a scalar summary of a scalar tensor, else a histogram summary.

    Args:
      tensor: a Tensor.
      tag: the summary's tag (default "<op name>_summary").

    Returns:
      The summary Tensor.
    """
    if tensor.shape.ndims == 0:
        return _scalar(tensor, tag)
    return _histogram(tensor, tag)


def summarize_activation(op):
    """Adds a histogram summary of an activation, and scalar ones for Relu-like ops.

    For Relu, Relu6 and Softplus, the fraction of its inputs below 0 (and for Relu6 above 6).

    Args:
      op: the activation's output Tensor.

    Returns:
      The histogram summary Tensor.
    """
    kind, name, pre = op.op.type, op.op.name, op.op.inputs[0] if op.op.inputs else None
    if kind in ("Relu", "Softplus", "Relu6"):
        below = math_ops.less(pre, math_ops.cast(0.0, pre.dtype))
        _scalar(math_ops.reduce_mean(math_ops.cast(below, dtypes.float32)), f"{name}/zeros")
    if kind == "Relu6":
        above = math_ops.greater(pre, math_ops.cast(6.0, pre.dtype))
        _scalar(math_ops.reduce_mean(math_ops.cast(above, dtypes.float32)), f"{name}/sixes")
    return _histogram(op, f"{name}/activation")


def summarize_tensors(tensors, summarizer=summarize_tensor):
    """Summarizes each tensor.

    Args:
      tensors: Tensors.
      summarizer: the function applied to each.

    Returns:
      The list of summaries.
    """
    return [summarizer(tensor) for tensor in tensors]


def summarize_collection(collection, name_filter=None, summarizer=summarize_tensor):
    """Summarizes the tensors of a collection whose op names match `name_filter`.

    Args:
      collection: the collection's name.
      name_filter: a regular expression matched at the start of op names (None: all).
      summarizer: the function applied to each.

    Returns:
      The list of summaries.
    """
    tensors = [t for t in get_default_graph().get_collection(collection)
               if name_filter is None or re.match(name_filter, t.op.name)]
    return summarize_tensors(tensors, summarizer)


def summarize_activations(name_filter=None, summarizer=summarize_activation):
    """Summarizes the ACTIVATIONS collection with `summarize_activation`.

    Args:
      name_filter: a regular expression on op names (None: all).
      summarizer: the function applied to each.

    Returns:
      The list of summaries.
    """
    return summarize_collection(GraphKeys.ACTIVATIONS, name_filter, summarizer)
