"""TF1's framework-level names that sit above the ops: the deprecated variable and initializer
spellings (`tf.all_variables`, `tf.initialize_variables`, ...), the deprecated scope forms
(`tf.op_scope`, `tf.variable_op_scope`), seeds, tensor predicates and conversions, and the
gradient helpers built on `tf.custom_gradient` (`tf.grad_pass_through`, `tf.recompute_grad`).
"""
import functools
import logging

import numpy as np

from minitf.custom_gradient import custom_gradient
from minitf.framework import random_seed, registry
from minitf.framework.api import control_dependencies, name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.dtypes import as_dtype
from minitf.framework.eager import executing_eagerly
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.framework.indexed_slices import IndexedSlices
from minitf.framework.ops import Operation, Tensor
from minitf.gradients import UnconnectedGradients, gradients
from minitf.ops import math_ops
from minitf.ops.array_ops import identity
from minitf.ops.control_flow_ops import group, no_op
from minitf.variable_ops import (
    global_variables,
    local_variables_initializer,
    variables_initializer,
)
from minitf.variable_scope import get_variable_scope, variable_scope
from minitf.variables import Variable

__all__ = ["all_variables", "initialize_local_variables", "initialize_variables",
           "initialize_all_tables", "tables_initializer", "moving_average_variables",
           "op_scope", "variable_op_scope", "colocate_with", "container", "get_seed",
           "is_tensor", "is_symbolic_tensor", "executing_eagerly_outside_functions",
           "convert_to_tensor_or_indexed_slices", "grad_pass_through", "recompute_grad",
           "no_gradient", "get_logger", "enable_tensor_equality", "disable_tensor_equality"]


# -- deprecated variable and initializer spellings ---------------------------------------------
def all_variables():
    """Returns the global variables of the default graph (TF1's old `tf.global_variables()`).

    Returns:
      A list of variables, in the order they were made.
    """
    return global_variables()


def initialize_local_variables():
    """Returns an op initializing every local variable (old `tf.local_variables_initializer`).

    Returns:
      An Operation named `init` (a NoOp when there are no local variables).
    """
    return local_variables_initializer()


def initialize_variables(var_list, name="init"):
    """Returns an op that initializes the given variables (old `tf.variables_initializer`).

    Args:
      var_list: the variables to initialize.
      name: the op's name.

    Returns:
      An Operation (a NoOp when `var_list` is empty).
    """
    return variables_initializer(var_list, name=name)


def tables_initializer(name="init_all_tables"):
    """Returns an op that initializes every lookup table of the default graph.

    minitf has no lookup tables, so the op (of the TABLE_INITIALIZERS collection) is a NoOp.

    Args:
      name: the op's name.

    Returns:
      An Operation.

    >>> tf.tables_initializer().name
    'init_all_tables'
    """
    initializers = get_default_graph().get_collection(GraphKeys.TABLE_INITIALIZERS)
    if initializers:
        return group(*initializers, name=name)
    return no_op(name=name)


def initialize_all_tables(name="init_all_tables"):
    """Returns an op that initializes every lookup table (old `tf.tables_initializer`).

    Args:
      name: the op's name.

    Returns:
      An Operation.
    """
    return tables_initializer(name)


def moving_average_variables(scope=None):
    """Returns the MOVING_AVERAGE_VARIABLES collection of the default graph.

    `ExponentialMovingAverage.apply` adds the variables it averages to it.

    Args:
      scope: if given, only the variables whose name matches this regex from the start.

    Returns:
      A list of variables.
    """
    return get_default_graph().get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


# -- deprecated scope forms ----------------------------------------------------------------------
def op_scope(values, name, default_name=None):
    """Returns `tf.name_scope(name, default_name, values)`: TF1's deprecated argument order.

    Args:
      values: the tensors the ops of the scope take (they must be of one graph).
      name: the scope's name, or None to use `default_name` (made unique).
      default_name: the name used when `name` is None.

    Returns:
      A context manager yielding the scope's full name ending in "/".

    Raises:
      ValueError: `name` and `default_name` are both None.
    """
    if name is None and default_name is None:
        raise ValueError(f"At least one of name ({name}) and default_name ({default_name}) "
                         "must be provided.")
    return name_scope(name, default_name, values)


def variable_op_scope(values, name_or_scope, default_name=None, initializer=None,
                      regularizer=None, caching_device=None, partitioner=None,
                      custom_getter=None, reuse=None, dtype=None, use_resource=None,
                      constraint=None):
    """Returns `tf.variable_scope(name_or_scope, default_name, values, ...)` (old order).

    TF1's deprecated argument order, with the same keyword arguments.

    Args:
      values: the tensors the ops of the scope take.
      name_or_scope: a name or a VariableScope, or None to use `default_name`.
      default_name: the name (made unique) used when `name_or_scope` is None.
      initializer: as for `tf.variable_scope`.
      regularizer: as for `tf.variable_scope`.
      caching_device: as for `tf.variable_scope`.
      partitioner: as for `tf.variable_scope`.
      custom_getter: as for `tf.variable_scope`.
      reuse: as for `tf.variable_scope`.
      dtype: as for `tf.variable_scope`.
      use_resource: as for `tf.variable_scope`.
      constraint: as for `tf.variable_scope`.

    Returns:
      A context manager yielding the VariableScope.
    """
    return variable_scope(name_or_scope, default_name=default_name, values=values,
                          initializer=initializer, regularizer=regularizer,
                          caching_device=caching_device, partitioner=partitioner,
                          custom_getter=custom_getter, reuse=reuse, dtype=dtype,
                          use_resource=use_resource, constraint=constraint)


def colocate_with(op, ignore_existing=False):
    """Returns a context manager placing the ops made inside it with `op`.

    It is `Graph.colocate_with` of the default graph.

    Args:
      op: an Operation, Tensor or Variable (another value becomes a constant, as in TF); None
        (with `ignore_existing`) clears the colocation and device scopes around the block.
      ignore_existing: if True, the colocations around the block do not apply inside it.

    Returns:
      A context manager.

    Raises:
      ValueError: `op` is None and `ignore_existing` is not True.

    >>> a = tf.constant(1.0, name="a")
    >>> with tf.colocate_with(a):
    ...     b = tf.constant(2.0, name="b")
    >>> b.op.colocation_groups()
    [b'loc:@a']
    """
    graph = get_default_graph()
    if op is not None and not isinstance(op, (Tensor, Operation)) and not hasattr(
            op, "_as_graph_element"):
        op = convert_to_tensor(op)
    return graph.colocate_with(op, ignore_existing)


def container(container_name):
    """Returns a context manager naming the container of the variable ops made inside it.

    It is `Graph.container` of the default graph; `with` yields the name.

    Args:
      container_name: the container's name ("" for the default container).

    Returns:
      A context manager.
    """
    return get_default_graph().container(container_name)


# -- seeds, predicates, conversions, logging ---------------------------------------------------
def get_seed(op_seed):
    """Returns the (graph seed, op seed) pair a random op made now should use.

    With a graph seed (`tf.set_random_seed`) and no op seed, the op seed counts the ops that
    took one so far, so each call gives a new one; with an op seed only, the graph seed is
    87654321; with neither, both are None. Seeds are taken modulo 2**31 - 1, and (0, 0) becomes
    (0, 2**31 - 1).

    Args:
      op_seed: an int, or None.

    Returns:
      A tuple (graph seed, op seed) of ints or Nones.

    >>> tf.get_seed(5)
    (87654321, 5)
    """
    return random_seed.get_seed(op_seed)


def is_tensor(x):
    """Returns whether `x` is a tensor-like object: a Tensor, IndexedSlices or a Variable.

    Args:
      x: any Python object.

    >>> tf.is_tensor(tf.constant(1.0)), tf.is_tensor(1.0)
    (True, False)
    """
    return isinstance(x, (Tensor, IndexedSlices, Variable))


def is_symbolic_tensor(tensor):
    """Returns whether `tensor` is a graph Tensor (one with no value until a Session runs it).

    Args:
      tensor: any Python object; variables and eager tensors are not symbolic.
    """
    return isinstance(tensor, Tensor) and tensor._op is not None


def executing_eagerly_outside_functions():
    """Returns whether the outermost context executes eagerly.

    minitf has no functions: it is `tf.executing_eagerly()` outside `with g.as_default():`.
    """
    return executing_eagerly()


def convert_to_tensor_or_indexed_slices(value, dtype=None, name=None):
    """Converts `value` to a Tensor, returning IndexedSlices as they are.

    Args:
      value: IndexedSlices, or anything `tf.convert_to_tensor` takes.
      dtype: the element type the result must have (None: keep or infer it).
      name: a name for a new op.

    Returns:
      The IndexedSlices, or a Tensor.

    Raises:
      ValueError: IndexedSlices of another dtype than `dtype`.
    """
    if isinstance(value, IndexedSlices):
        if dtype is not None and not as_dtype(dtype).is_compatible_with(value.dtype):
            raise ValueError(f"Incompatible tensor conversion requested to `dtype` "
                             f"{as_dtype(dtype).name} for `value` ({value}) with dtype "
                             f"{value.dtype.name}.")
        return value
    return convert_to_tensor(value, dtype=dtype, name=name)


def no_gradient(op_type):
    """Declares that ops of type `op_type` have no gradient (`tf.NotDifferentiable`).

    Args:
      op_type: the op type (a string).

    Raises:
      TypeError: `op_type` is not a string.
    """
    registry.NotDifferentiable(op_type)


def get_logger():
    """Returns the `logging.Logger` named "tensorflow", which TF1 programs configure."""
    return logging.getLogger("tensorflow")


# -- TF2's tensor equality ----------------------------------------------------------------------
def enable_tensor_equality():
    """Makes `==` and `!=` of eager tensors element-wise (TF2's rule).

    Graph tensors keep comparing by identity, as TF's do when the outermost context is a graph.

    While it is on, an eager tensor cannot be hashed (TypeError), so it can no longer be a dict
    key. Graph tensors stay hashable dict keys.
    """
    Tensor.__eq__, Tensor.__ne__, Tensor.__hash__ = _tensor_eq, _tensor_ne, _tensor_hash


def disable_tensor_equality():
    """Makes `==` and `!=` of tensors compare identity again (TF1's rule, the default).

    Every tensor is hashable again.
    """
    for name in ("__eq__", "__ne__"):
        if name in vars(Tensor):
            delattr(Tensor, name)
    Tensor.__hash__ = object.__hash__


def _element_wise(tensor):
    return tensor._op is None and executing_eagerly()


def _tensor_compare(fn, self, other, missing):
    # `missing`: the answer for None or incompatible shapes (False for ==, True for !=)
    if other is None:
        return missing
    if not _element_wise(self):
        return (self is other) != missing
    other = convert_to_tensor(other, dtype=self.dtype.base_dtype)
    try:
        np.broadcast_shapes(self._shape, other._shape)
    except ValueError:  # TF's incompatible_shape_error=False: one scalar answer
        return convert_to_tensor(missing)
    return fn(self, other)


def _tensor_eq(self, other):
    return _tensor_compare(math_ops.equal, self, other, False)


def _tensor_ne(self, other):
    return _tensor_compare(math_ops.not_equal, self, other, True)


def _tensor_hash(self):
    if _element_wise(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")
    return object.__hash__(self)  # the same as before: tensors already in dicts stay found


# -- gradient helpers ------------------------------------------------------------------------
def grad_pass_through(f):
    """Wraps `f` so its results are f's but its gradient is the identity's.

    Useful for a step with no gradient (a rounding, a variable update) in a path that should
    pass the gradient on unchanged (a straight-through estimator).

    Args:
      f: a function of Tensors returning one Tensor or a list of them (one per argument).

    Returns:
      The wrapped function.

    >>> x = tf.constant([1.4, 2.6])
    >>> y = tf.grad_pass_through(tf.round)(x) * 2.0
    >>> with tf.Session() as sess:
    ...     print(*sess.run([y, tf.gradients(y, x)[0]]))
    [2. 6.] [2. 2.]
    """
    @custom_gradient
    def passing(*args):
        def grad(*dys, variables=None):
            if variables is not None:  # variables read by f get no gradient
                return list(dys), [None] * len(variables)
            return list(dys)
        return f(*args), grad
    return functools.wraps(f)(passing)


def recompute_grad(f):
    """Wraps `f` so its gradient recomputes `f` instead of keeping its intermediate results.

    The forward pass runs `f`; the gradient builds `f` again (after the incoming gradients, so
    its intermediates are computed only when the gradient runs) and differentiates that copy.
    `f` runs again in the variable scope it first ran in, so a variable it makes with
    `get_variable` is found again only where that scope reuses (`reuse=tf.AUTO_REUSE`);
    otherwise building the gradient raises ValueError, as in TF.

    Args:
      f: a function of Tensors returning a Tensor or a list of them.

    Returns:
      The wrapped function.
    """
    @custom_gradient
    def recomputing(*args):
        scope = get_variable_scope()
        result = f(*args)

        def grad(*dresult, variables=None):
            with control_dependencies(list(dresult)):
                id_args = [identity(a) for a in args]
            with variable_scope(scope):
                again = f(*id_args)
            again = list(again) if isinstance(again, (list, tuple)) else [again]
            watched = id_args + list(variables or [])
            grads = gradients(again, watched, grad_ys=list(dresult),
                              unconnected_gradients=UnconnectedGradients.ZERO)
            if variables is None:
                return grads
            return grads[:len(args)], grads[len(args):]
        return result, grad
    return functools.wraps(f)(recomputing)
