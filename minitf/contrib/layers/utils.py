"""What tf.contrib.layers' layers share: the custom getter that renames tf.layers' variables
(`kernel` -> `weights`) and makes them model variables, the collections a layer adds its
variables and outputs to (outputs get an `aliases` list, TF's `collect_named_outputs`), and
the static-or-graph choice on `is_training`."""
from minitf.contrib.framework.variables import model_variable
from minitf.control_flow.cond import cond
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.framework.ops import Tensor

__all__ = ["append_tensor_alias", "collect_named_outputs", "get_variable_collections",
           "smart_cond"]

_GETTER_ARGS = ("shape", "dtype", "initializer", "regularizer", "trainable", "collections",
                "caching_device", "partitioner", "use_resource")


def variable_getter(rename=None):
    """A custom getter making model variables, with tf.layers' names renamed by `rename`."""
    def layer_variable_getter(getter, name, *args, **kwargs):
        short = name.split("/")[-1]
        if rename and short in rename:
            name = "/".join(name.split("/")[:-1] + [rename[short]])
        kwargs = dict(zip(_GETTER_ARGS, args), **kwargs)
        return model_variable(name, custom_getter=getter,
                              **{k: kwargs.get(k) for k in _GETTER_ARGS})
    return layer_variable_getter


def get_variable_collections(variables_collections, name):
    """The collections for variable `name`: `variables_collections[name]` for a dict.

    Args:
      variables_collections: a list of collection names, a dict {variable name: list}, or
        None.
      name: the variable's short name ("weights", "beta", ...).

    Returns:
      A list of collection names, or None.
    """
    if isinstance(variables_collections, dict):
        return variables_collections.get(name, None)
    return variables_collections


def add_variable_to_collections(variable, variables_collections, name):
    """Adds `variable` (each part of a partitioned one) to its requested collections once."""
    graph = get_default_graph()
    parts = list(variable) if hasattr(variable, "_get_variable_list") else [variable]
    for collection in get_variable_collections(variables_collections, name) or []:
        for part in parts:
            if part not in graph.get_collection(collection):
                graph.add_to_collection(collection, part)


def append_tensor_alias(tensor, alias):
    """Appends `alias` (without a trailing "/") to `tensor.aliases`.

    Args:
      tensor: a Tensor.
      alias: a name for it.

    Returns:
      The tensor.
    """
    if alias.endswith("/"):
        alias = alias[:-1]
    if hasattr(tensor, "aliases"):
        tensor.aliases.append(alias)
    else:
        tensor.aliases = [alias]
    return tensor


def collect_named_outputs(collections, alias, outputs):
    """Adds `outputs` to `collections` under `alias` (appended to `outputs.aliases`).

    Args:
      collections: a list of collection names, or None (then nothing is done).
      alias: the outputs' alias, the layer's scope name.
      outputs: a Tensor.

    Returns:
      `outputs`.
    """
    if collections:
        append_tensor_alias(outputs, alias)
        get_default_graph().add_to_collections(collections, outputs)
    return outputs


def smart_cond(pred, true_fn, false_fn):
    """Calls one of the functions when `pred` is known now, else builds a `tf.cond`.

    Args:
      pred: a Python bool or a bool Tensor (a constant one counts as known).
      true_fn: the function for True.
      false_fn: the function for False.

    Returns:
      What the function called returns, or the cond's outputs.
    """
    value = static_bool(pred)
    if value is None:
        return cond(pred, true_fn, false_fn)
    return true_fn() if value else false_fn()


def static_bool(pred):
    """`pred` as a Python bool when known while building the graph, else None."""
    if isinstance(pred, bool):
        return pred
    if not isinstance(pred, Tensor):
        pred = convert_to_tensor(pred)
    value = constant_value(pred)
    return None if value is None else bool(value)


def apply_layer(layer, inputs, **kwargs):
    """Builds (once) and calls a tf.layers layer in the current scope (TF's `_scope=sc`): its
    variables are made here, not in a scope of the layer's own."""
    inputs = convert_to_tensor(inputs)
    if layer.dtype is None:
        layer.dtype = inputs.dtype.base_dtype
    if not layer.built:
        layer.build(inputs.shape)
        layer.built = True
    return layer.call(inputs, **kwargs)


def finish(outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections,
           alias):
    """A layer's tail: normalizer, activation, then `collect_named_outputs`."""
    if normalizer_fn is not None:
        outputs = normalizer_fn(outputs, **(normalizer_params or {}))
    if activation_fn is not None:
        outputs = activation_fn(outputs)
    return collect_named_outputs(outputs_collections, alias, outputs)
