"""`tf.contrib.framework`'s variable helpers (TF 1.15): model variables, lookups by scope,
name and suffix, the global step, and assignment from values or a checkpoint.

`model_variable` is `variable` (get_variable with a device and collections) that also joins
MODEL_VARIABLES, the collection tf.contrib.layers' layers put their weights in. Lookups are
`tf.get_collection(collection, scope)`, a regular expression matched at the start of names.
"""
import functools
import re

from minitf import tf_logging as logging
from minitf.contrib.framework.arg_scope import add_arg_scope
from minitf.framework.api import device as _device
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.ops.array_ops import placeholder
from minitf.ops.control_flow_ops import group
from minitf.train import training_util
from minitf.train.checkpoint_utils import load_checkpoint
from minitf.train.step_util import assert_global_step
from minitf.variable_scope import VariableScope, get_variable, get_variable_scope
from minitf.variables import Variable

__all__ = ["add_model_variable", "assert_global_step", "assert_or_get_global_step",
           "assign_from_checkpoint", "assign_from_checkpoint_fn", "assign_from_values",
           "assign_from_values_fn", "create_global_step", "filter_variables",
           "get_global_step", "get_or_create_global_step", "get_local_variables",
           "get_model_variables", "get_trainable_variables", "get_unique_variable",
           "get_variables_by_name", "get_variables_by_suffix", "get_variable_full_name",
           "get_variables_to_restore", "get_variables", "local_variable", "global_variable",
           "model_variable", "variable"]

get_global_step = training_util.get_global_step
create_global_step = training_util.create_global_step
get_or_create_global_step = training_util.get_or_create_global_step


def assert_or_get_global_step(graph=None, global_step_tensor=None):
    """Checks a given global step tensor, or finds the graph's.

    Args:
      graph: the graph to look in when no tensor is given (default: the default graph).
      global_step_tensor: the candidate, or None to look it up.

    Returns:
      The global step tensor, or None if none was given and the graph has none.

    Raises:
      TypeError: the candidate is not a scalar integer Variable or Tensor.
    """
    if global_step_tensor is None:
        return get_global_step(graph)
    assert_global_step(global_step_tensor)
    return global_step_tensor


def local_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """Makes a non-trainable variable in the LOCAL_VARIABLES collection only.

    Args:
      initial_value: its initial value (a Tensor or a value).
      validate_shape: False allows its shape to change.
      name: its name.
      use_resource: True makes a ResourceVariable.

    Returns:
      The new Variable.
    """
    return Variable(initial_value, trainable=False, collections=[GraphKeys.LOCAL_VARIABLES],
                    validate_shape=validate_shape, name=name, use_resource=use_resource)


def global_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """Makes a non-trainable variable in the GLOBAL_VARIABLES collection only.

    Args:
      initial_value: its initial value (a Tensor or a value).
      validate_shape: False allows its shape to change.
      name: its name.
      use_resource: True makes a ResourceVariable.

    Returns:
      The new Variable.
    """
    return Variable(initial_value, trainable=False, collections=[GraphKeys.GLOBAL_VARIABLES],
                    validate_shape=validate_shape, name=name, use_resource=use_resource)


@add_arg_scope
def variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=True,
             collections=None, caching_device=None, device=None, partitioner=None,
             custom_getter=None, use_resource=None):
    """Gets an existing variable with these parameters or creates one (`tf.get_variable`).

    Args:
      name: its name within the current variable scope.
      shape: its shape.
      dtype: its dtype (default float32).
      initializer: its initializer.
      regularizer: a function of the variable; its loss joins REGULARIZATION_LOSSES.
      trainable: whether it joins TRAINABLE_VARIABLES.
      collections: its collections (default [GLOBAL_VARIABLES]).
      caching_device: a device for reads.
      device: the device to place it on (a string or a function).
      partitioner: a partitioner (see tf.get_variable).
      custom_getter: a getter to call instead of tf.get_variable, given the scope's `reuse`.
      use_resource: True makes a ResourceVariable.

    Returns:
      The Variable.
    """
    collections = set(collections if collections is not None
                      else [GraphKeys.GLOBAL_VARIABLES])
    getter = get_variable
    if custom_getter is not None:
        getter = functools.partial(custom_getter, reuse=get_variable_scope().reuse)
    with _device(device or ""):
        return getter(name, shape=shape, dtype=dtype, initializer=initializer,
                      regularizer=regularizer, trainable=trainable,
                      collections=sorted(collections), caching_device=caching_device,
                      partitioner=partitioner, use_resource=use_resource)


@add_arg_scope
def model_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                   trainable=True, collections=None, caching_device=None, device=None,
                   partitioner=None, custom_getter=None, use_resource=None):
    """Gets or creates a model variable: `variable` that also joins MODEL_VARIABLES.

    Args:
      name: its name within the current variable scope.
      shape: its shape.
      dtype: its dtype (default float32).
      initializer: its initializer.
      regularizer: a function of the variable; its loss joins REGULARIZATION_LOSSES.
      trainable: whether it joins TRAINABLE_VARIABLES.
      collections: more collections (it always joins GLOBAL_VARIABLES and MODEL_VARIABLES).
      caching_device: a device for reads.
      device: the device to place it on.
      partitioner: a partitioner.
      custom_getter: a getter to call instead of tf.get_variable.
      use_resource: True makes a ResourceVariable.

    Returns:
      The Variable.

    >>> w = tf.contrib.framework.model_variable("w", shape=[2, 3])
    >>> [v.name for v in tf.contrib.framework.get_model_variables()]
    ['w:0']
    """
    collections = list(collections or []) + [GraphKeys.GLOBAL_VARIABLES,
                                             GraphKeys.MODEL_VARIABLES]
    return variable(name, shape=shape, dtype=dtype, initializer=initializer,
                    regularizer=regularizer, trainable=trainable, collections=collections,
                    caching_device=caching_device, device=device, partitioner=partitioner,
                    custom_getter=custom_getter, use_resource=use_resource)


def add_model_variable(var):
    """Adds a variable to MODEL_VARIABLES (once).

    Args:
      var: a Variable.
    """
    graph = get_default_graph()
    if var not in graph.get_collection(GraphKeys.MODEL_VARIABLES):
        graph.add_to_collection(GraphKeys.MODEL_VARIABLES, var)


def get_variables(scope=None, suffix=None, collection=GraphKeys.GLOBAL_VARIABLES):
    """Returns the variables of a collection whose names match a scope and/or a suffix.

    Args:
      scope: a VariableScope or a regular expression matched at the start of names.
      suffix: a regular expression names must end with (before ':').
      collection: the collection to search (default GLOBAL_VARIABLES).

    Returns:
      A list of variables.
    """
    if isinstance(scope, VariableScope):
        scope = scope.name
    if suffix is not None:
        if ":" not in suffix:
            suffix += ":"
        scope = (scope or "") + ".*" + suffix
    return get_default_graph().get_collection(collection, scope)


def get_model_variables(scope=None, suffix=None):
    """Returns the MODEL_VARIABLES matching a scope and/or a suffix.

    Args:
      scope: a scope name (regular expression) to filter by.
      suffix: a suffix to filter by.

    Returns:
      A list of variables.
    """
    return get_variables(scope, suffix, GraphKeys.MODEL_VARIABLES)


def get_local_variables(scope=None, suffix=None):
    """Returns the LOCAL_VARIABLES matching a scope and/or a suffix.

    Args:
      scope: a scope name (regular expression) to filter by.
      suffix: a suffix to filter by.

    Returns:
      A list of variables.
    """
    return get_variables(scope, suffix, GraphKeys.LOCAL_VARIABLES)


def get_trainable_variables(scope=None, suffix=None):
    """Returns the TRAINABLE_VARIABLES matching a scope and/or a suffix.

    Args:
      scope: a scope name (regular expression) to filter by.
      suffix: a suffix to filter by.

    Returns:
      A list of variables.
    """
    return get_variables(scope, suffix, GraphKeys.TRAINABLE_VARIABLES)


def get_variables_to_restore(include=None, exclude=None):
    """Returns the global variables under the `include` scopes and not under `exclude` ones.

    Args:
      include: a list or tuple of scope names (None: every variable).
      exclude: a list or tuple of scope names to leave out.

    Returns:
      A list of variables.

    Raises:
      TypeError: `include` or `exclude` is not a list or tuple.
    """
    if include is None:
        included = get_variables()
    elif not isinstance(include, (list, tuple)):
        raise TypeError("include is provided but is not a list or a tuple.")
    else:
        included = [v for scope in include for v in get_variables(scope)]
    excluded = set()
    if exclude is not None:
        if not isinstance(exclude, (list, tuple)):
            raise TypeError("exclude is provided but is not a list or a tuple.")
        for scope in exclude:
            excluded.update(get_variables(scope))
    return [v for v in included if v not in excluded]


def get_variables_by_suffix(suffix, scope=None):
    """Returns the global variables whose names end with `suffix`.

    Args:
      suffix: the suffix (a regular expression).
      scope: a scope name to filter by.

    Returns:
      A list of variables.
    """
    return get_variables(scope=scope, suffix=suffix)


def get_variables_by_name(given_name, scope=None):
    """Returns the global variables whose last name component is `given_name`.

    Args:
      given_name: the name without scope (e.g. "weights").
      scope: a scope name to filter by.

    Returns:
      A list of variables.
    """
    return get_variables(scope=scope, suffix="/" + given_name + ":|^" + given_name + ":")


def get_unique_variable(var_op_name):
    """Returns the global variable whose op is named `var_op_name` exactly.

    Args:
      var_op_name: the variable's full name without ":0" (e.g. "conv1/weights").

    Returns:
      The Variable.

    Raises:
      ValueError: no variable has that name.
    """
    candidates = get_variables(scope=var_op_name)
    if not candidates:
        raise ValueError(f"Couldn't find variable {var_op_name}")
    for candidate in candidates:
        if candidate.op.name == var_op_name:
            return candidate
    raise ValueError(f"Variable {var_op_name} does not uniquely identify a variable")


def get_variable_full_name(var):
    """Returns a variable's full name (a partitioned variable's whole name for its parts).

    Args:
      var: a Variable.

    Returns:
      The name a checkpoint saves it under.
    """
    info = getattr(var, "_save_slice_info", None)
    return info.full_name if info else var.op.name


def _global_variable_named(var_name):
    found = get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, var_name)
    if not found:
        raise ValueError(f"Variable {var_name} wasn't found")
    exact = [v for v in found if v.op.name == var_name]
    if len(found) > 1 and not exact:
        raise ValueError(f"Variable {var_name} doesn't uniquely identify a variable")
    return exact[0] if exact else found[0]


def _assign_by_placeholders(pairs):
    """An op assigning each variable from a placeholder, and the feed giving the values."""
    feed_dict, assigns = {}, []
    for var, value in pairs:
        holder = placeholder(var.dtype.base_dtype, shape=var.get_shape(),
                             name="placeholder/" + var.op.name)
        assigns.append(var.assign(holder))
        feed_dict[holder] = value
    return group(*assigns), feed_dict


def assign_from_values(var_names_to_values):
    """Returns an op assigning variables given by name, and the feed dict holding the values.

    The values are fed to placeholders, so they are not stored in the graph.

    Args:
      var_names_to_values: {variable name (without ":0"): NumPy value}.

    Returns:
      (assign_op, feed_dict): run `assign_op` with `feed_dict`.

    Raises:
      ValueError: a name matches no variable, or several but none exactly.
    """
    pairs = []
    for name, value in var_names_to_values.items():
        var = _global_variable_named(name)
        pairs.append((var, value.reshape(var.get_shape().as_list())))
    return _assign_by_placeholders(pairs)


def assign_from_values_fn(var_names_to_values):
    """Returns a function `session -> None` that assigns variables given by name.

    Args:
      var_names_to_values: {variable name: NumPy value}.

    Returns:
      A function of a Session running the assignment.

    Raises:
      ValueError: a name matches no variable.
    """
    assign_op, feed_dict = assign_from_values(var_names_to_values)
    return lambda session: session.run(assign_op, feed_dict)


def _grouped(var_list):
    if isinstance(var_list, (list, tuple)):
        grouped = {}
        for var in var_list:
            grouped.setdefault(get_variable_full_name(var), []).append(var)
        return grouped
    return {name: list(v) if isinstance(v, (list, tuple)) else [v]
            for name, v in var_list.items()}


def assign_from_checkpoint(model_path, var_list, ignore_missing_vars=False):
    """Returns an op assigning variables from a checkpoint, and the feed dict with the values.

    Args:
      model_path: the checkpoint's path prefix.
      var_list: a list of variables, or {name in the checkpoint: variable or list of them}.
      ignore_missing_vars: True skips (with a warning) variables missing in the checkpoint.

    Returns:
      (assign_op, feed_dict).

    Raises:
      ValueError: a variable is missing (unless ignored) or its shape differs.
    """
    reader = load_checkpoint(model_path)
    pairs = []
    for ckpt_name, variables in _grouped(var_list).items():
        if not reader.has_tensor(ckpt_name):
            message = f"Checkpoint is missing variable [{ckpt_name}]"
            if ignore_missing_vars:
                logging.warning(message)
                continue
            raise ValueError(message)
        value = reader.get_tensor(ckpt_name)
        for var in variables:
            if tuple(var.get_shape().as_list()) != value.shape:
                raise ValueError(f"Total size of new array must be unchanged for {ckpt_name} "
                                 f"lh_shape: [{value.shape}], rh_shape: [{var.get_shape()}]")
            pairs.append((var, value))
    return _assign_by_placeholders(pairs)


def assign_from_checkpoint_fn(model_path, var_list, ignore_missing_vars=False,
                              reshape_variables=False):
    """Returns a function `session -> None` restoring variables from a checkpoint (a Saver).

    Args:
      model_path: the checkpoint's path prefix.
      var_list: a list of variables, or {name in the checkpoint: variable}.
      ignore_missing_vars: True leaves out (with a warning) variables the checkpoint lacks.
      reshape_variables: passed to the Saver as `reshape`.

    Returns:
      The function, or None when `ignore_missing_vars` leaves no variable to restore.

    Raises:
      ValueError: `var_list` is empty.
    """
    from minitf.train.saver import Saver  # (the Saver imports much of minitf.train)

    if not var_list:
        raise ValueError("var_list cannot be empty")
    if ignore_missing_vars:
        reader = load_checkpoint(model_path)
        var_dict = var_list if isinstance(var_list, dict) else {v.op.name: v for v in var_list}
        var_list = {}
        for name, var in var_dict.items():
            if reader.has_tensor(name):
                var_list[name] = var
            else:
                logging.warning("Variable %s missing in checkpoint %s", name, model_path)
    if not var_list:
        logging.warning("No Variables to restore")
        return None
    saver = Saver(var_list, reshape=reshape_variables)
    return lambda session: saver.restore(session, model_path)


def filter_variables(var_list, include_patterns=None, exclude_patterns=None, reg_search=True):
    """Filters variables by regular expressions on their names.

    Args:
      var_list: the variables.
      include_patterns: keep those matching any of these (None: keep all).
      exclude_patterns: then drop those matching any of these.
      reg_search: True uses re.search (anywhere in the name), False re.match (at the start).

    Returns:
      The filtered list.
    """
    find = re.search if reg_search else re.match
    kept = [v for v in var_list
            if include_patterns is None or any(find(p, v.name) for p in include_patterns)]
    return [v for v in kept
            if exclude_patterns is None or not any(find(p, v.name) for p in exclude_patterns)]
