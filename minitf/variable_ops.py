"""The functions over variables: the variable collections (`tf.global_variables`, ...), their
initializers and initialization reports, and `tf.assign`/`assign_add`/`assign_sub`."""
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.ops import state_ops
from minitf.ops.control_flow_ops import group, no_op
from minitf.variables import ResourceVariable

__all__ = ["global_variables", "local_variables", "trainable_variables", "model_variables",
           "variables_initializer", "global_variables_initializer", "local_variables_initializer",
           "initialize_all_variables", "report_uninitialized_variables", "is_variable_initialized",
           "assign", "assign_add", "assign_sub"]


# -- collections and initialization ----------------------------------------------------------------
def global_variables(scope=None):
    """Returns the global variables (the GLOBAL_VARIABLES collection) of the default graph.

    Args:
      scope: if given, only the variables whose name matches this regex from the start.

    Returns:
      A list of variables, in the order they were made.
    """
    return get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def local_variables(scope=None):
    """Returns the local variables (the LOCAL_VARIABLES collection) of the default graph.

    Args:
      scope: if given, only the variables whose name matches this regex from the start.

    Returns:
      A list of variables, in the order they were made.
    """
    return get_default_graph().get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def trainable_variables(scope=None):
    """Returns the trainable variables (the TRAINABLE_VARIABLES collection) of the default graph.

    Args:
      scope: if given, only the variables whose name matches this regex from the start.

    Returns:
      A list of variables, in the order they were made.
    """
    return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def model_variables(scope=None):
    """Returns the MODEL_VARIABLES collection of the default graph.

    Args:
      scope: if given, only the variables whose name matches this regex from the start.

    Returns:
      A list of variables.
    """
    return get_default_graph().get_collection(GraphKeys.MODEL_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    """Returns an op that initializes the given variables.

    Args:
      var_list: the variables to initialize.
      name: the op's name.

    Returns:
      An Operation running every variable's initializer (a NoOp when `var_list` is empty).
    """
    if var_list:
        return group(*[v.initializer for v in var_list], name=name)
    return no_op(name=name)


def global_variables_initializer():
    """Returns an op that initializes every global variable of the default graph.

    The variables are those in GLOBAL_VARIABLES when this is called; the op is named `init`.

    Returns:
      An Operation (a NoOp when there are no global variables).

    >>> v = tf.Variable(3.0)
    >>> w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     print(sess.run(v), sess.run(w))
    3.0 [1. 1.]
    """
    return variables_initializer(global_variables())


initialize_all_variables = global_variables_initializer


def local_variables_initializer():
    """Returns an op that initializes every local variable of the default graph.

    Returns:
      An Operation named `init` (a NoOp when there are no local variables).
    """
    return variables_initializer(local_variables())


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """Returns a tensor naming the variables that have no value yet in the session.

    Args:
      var_list: the variables to check (default: the global and local variables).
      name: the name of the returned tensor.

    Returns:
      A 1-D string Tensor of the variables' op names (empty when all are initialized).

    >>> v = tf.Variable(1.0, name="v")
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.report_uninitialized_variables()))
    [b'v']
    """
    if var_list is None:
        var_list = global_variables() + local_variables()
    return state_ops._report_uninitialized.apply(
        [], name=name, holders=tuple(v.op for v in var_list),
        names=tuple(v.op.name for v in var_list))


def is_variable_initialized(variable):
    """Returns a tensor telling whether a variable has a value yet in the session.

    Args:
      variable: a Variable (ref or resource).

    Returns:
      A bool scalar Tensor.
    """
    if isinstance(variable, ResourceVariable):
        return state_ops._var_is_initialized.apply([variable.handle], name="VarIsInitializedOp")
    return state_ops._is_initialized.apply([variable._ref()], name="IsVariableInitialized")


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """Returns an op that assigns `value` to the variable `ref` when run: `ref.assign(value)`.

    Args:
      ref: a Variable.
      value: a Tensor or value of the variable's dtype and shape.
      validate_shape: False lets `value` give a ref variable a new shape (its Assign output
        has `value`'s shape); a resource variable's shape is always checked, as in TF.
      use_locking: accepted for TF's signature: an assignment is one atomic store.
      name: the op's name.

    Returns:
      A Tensor holding the variable's new value when run.

    Raises:
      ValueError: `validate_shape` is not False and a ref variable's static shape and
        `value`'s do not match.
    """
    if validate_shape is False and not isinstance(ref, ResourceVariable):
        return ref._update(state_ops._assign, value, use_locking, name, True,
                           validate_shape=False)
    return ref.assign(value, name=name)


def assign_add(ref, value, use_locking=None, name=None):
    """Returns an op that adds `value` to the variable `ref` when run: `ref.assign_add(value)`.

    Args:
      ref: a Variable.
      value: a Tensor or value of the variable's dtype.
      use_locking: accepted for TF's signature: the read and the write always hold
        the variable's lock, so concurrent updates are never lost.
      name: the op's name.

    Returns:
      A Tensor holding the variable's new value when run.
    """
    return ref.assign_add(value, name=name)


def assign_sub(ref, value, use_locking=None, name=None):
    """Returns an op that subtracts `value` from the variable `ref` when run.

    Args:
      ref: a Variable.
      value: a Tensor or value of the variable's dtype.
      use_locking: accepted for TF's signature: the read and the write always hold
        the variable's lock, so concurrent updates are never lost.
      name: the op's name.

    Returns:
      A Tensor holding the variable's new value when run.
    """
    return ref.assign_sub(value, name=name)
