"""The Optimizer base class: TF1's compute_gradients / apply_gradients / minimize.

apply_gradients adds, under `<name>/update_<var>/`, one update per variable with a gradient:
`_apply_dense` for a Tensor gradient, `_apply_sparse` for IndexedSlices (duplicate indices
summed first). A variable with a constraint is re-assigned `constraint(var)` right after its
update (a control dependency), sparse updates included. Slots (per-variable state such as
Adam's moments) are variables named `<var>/<optimizer name>`, made once per variable.
"""
from minitf.backprop import GradientTape
from minitf.framework import dtypes
from minitf.framework.api import control_dependencies, name_scope
from minitf.framework.constant_op import constant, convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.framework.indexed_slices import IndexedSlices
from minitf.framework.ops import Tensor
from minitf.gradients import gradients
from minitf.ops import array_ops, control_flow_ops
from minitf.partitioned import PartitionedVariable
from minitf.variables import Variable

__all__ = ["Optimizer"]

_FLOAT_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64)


def _var_inputs(var):
    """What an update op takes for `var`: its ref, or its resource handle."""
    return var.handle if hasattr(var, "handle") else var._ref()


def _default_var_list():
    graph = get_default_graph()
    found = graph.get_collection(GraphKeys.TRAINABLE_VARIABLES) + graph.get_collection(
        GraphKeys.TRAINABLE_RESOURCE_VARIABLES)
    return list(dict.fromkeys(found))


def _flatten_parts(var_list):
    """Partitioned variables train part by part."""
    out = []
    for v in var_list:
        out.extend(v if isinstance(v, PartitionedVariable) else [v])
    return out


class Optimizer:
    """Base class of the optimizers (`tf.train.Optimizer`).

    `minimize(loss)` is `compute_gradients` followed by `apply_gradients`; call them yourself to
    change the gradients in between. Slots (per-variable state, such as momentum) are
    variables named `<variable>/<optimizer name>`. A variable with a constraint gets
    `constraint(variable)` assigned right after each of its updates.

    Subclasses implement `_apply_dense` and `_apply_sparse`, and may override `_create_slots`,
    `_prepare` and `_finish`.
    """

    GATE_NONE, GATE_OP, GATE_GRAPH = 0, 1, 2

    def __init__(self, use_locking, name):
        """Creates an optimizer; subclasses' constructors call it.

        Args:
          use_locking: hold each variable's lock from reading it to writing it, so concurrent steps
            never lose an update (as TF); without, concurrent updates of one variable may race.
          name: the name scope of the update ops, and the suffix of the slots' names.

        Raises:
          ValueError: `name` is empty.
        """
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking, self._name = use_locking, name
        self._slots = {}  # slot name -> {variable: slot variable}
        self._non_slots = {}  # (name, graph) -> variable

    def get_name(self):
        """Returns the optimizer's name."""
        return self._name

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None):
        """Returns an op taking one training step that lowers `loss`.

        It is `compute_gradients` followed by `apply_gradients`.

        Args:
          loss: a float scalar Tensor, or a function of no arguments returning one.
          global_step: a variable to add 1 to after the update, or None.
          var_list: the variables to update (default: the trainable variables); a
            PartitionedVariable stands for its parts.
          gate_gradients, aggregation_method, colocate_gradients_with_ops: accepted for TF
            compatibility; ignored.
          name: the name of the returned op (default: the optimizer's name).
          grad_loss: the gradient of the final objective with respect to `loss`, if not 1.

        Returns:
          An Operation that updates the variables (and `global_step`).

        Raises:
          ValueError: no variable has a gradient from `loss`, there are no variables, or
            `loss` is not a float tensor.

        >>> w = tf.Variable([1.0, 2.0])
        >>> step = tf.train.get_or_create_global_step()
        >>> opt = tf.train.GradientDescentOptimizer(0.25)
        >>> train = opt.minimize(tf.reduce_sum(w * w), global_step=step)  # gradient 2w
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     sess.run(train)
        ...     print(sess.run(w), sess.run(step))
        [0.5 1. ] 1
        """
        grads_and_vars = self.compute_gradients(loss, var_list=var_list, grad_loss=grad_loss)
        if all(g is None for g, _ in grads_and_vars):
            raise ValueError(
                "No gradients provided for any variable, check your graph for ops that do not "
                f"support gradients, between variables {[str(v) for _, v in grads_and_vars]} "
                f"and loss {loss}.")
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP,
                          aggregation_method=None, colocate_gradients_with_ops=False,
                          grad_loss=None):
        """Returns the gradients of `loss` with respect to the variables.

        Args:
          loss: a float scalar Tensor, or a function of no arguments returning one.
          var_list: the variables (default: the trainable variables, ref and resource); a
            PartitionedVariable stands for its parts.
          gate_gradients, aggregation_method, colocate_gradients_with_ops: accepted for TF
            compatibility; ignored.
          grad_loss: the gradient of the final objective with respect to `loss`, if not 1.

        Returns:
          A list of `(gradient, variable)` pairs; a gradient is a Tensor, IndexedSlices (from
          a gather or embedding lookup) or None when `loss` does not depend on the variable.

        Raises:
          ValueError: `loss` is not a float tensor, or there are no variables.
        """
        if get_default_graph()._eager:
            return _eager_gradients(loss, var_list, grad_loss)
        if callable(loss):
            loss = loss()
        loss = convert_to_tensor(loss)
        if loss.dtype.base_dtype not in _FLOAT_TYPES:
            raise ValueError(f"Invalid type {loss.dtype!r} for {loss.name}, expected: "
                             f"{[t for t in _FLOAT_TYPES]}.")
        var_list = _flatten_parts(_default_var_list() if var_list is None else var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        grads = gradients(loss, var_list, grad_ys=grad_loss)
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """Returns an op applying gradients to their variables.

        Slots are made the first time a variable is seen. The updates are grouped under
        `name/update_<variable>/`; pairs whose gradient is None are skipped. The op is added
        to the TRAIN_OP collection.

        Args:
          grads_and_vars: `(gradient, variable)` pairs, as `compute_gradients` returns them.
          global_step: a variable to add 1 to after the updates, or None.
          name: the name of the returned op (default: the optimizer's name).

        Returns:
          An Operation that applies the updates (and then increments `global_step`).

        Raises:
          TypeError: a gradient is neither convertible to a Tensor, IndexedSlices nor None.
          ValueError: `grads_and_vars` is empty or every gradient is None.
        """
        pairs = self._checked_pairs(grads_and_vars)
        var_list = [v for g, v in pairs if g is not None]
        if not var_list:
            raise ValueError(f"No gradients provided for any variable: "
                             f"{[str(v) for _, v in pairs]}.")
        with control_dependencies(None):
            self._create_slots(var_list)
        with name_scope(name, self._name) as scope:
            self._prepare()
            updates = []
            for grad, var in pairs:
                if grad is not None:
                    with name_scope("update_" + var._op_name):
                        updates.append(self._update(grad, var))
            if global_step is None:
                train_op = self._finish(updates, scope)
            else:
                with control_dependencies([self._finish(updates, "update")]):
                    train_op = global_step.assign_add(1, name=scope, read_value=False)
        if get_default_graph()._eager:
            return None  # (TF: eager updates have run; there is no op to return)
        collection = get_default_graph().get_collection_ref(GraphKeys.TRAIN_OP)
        if train_op not in collection:
            collection.append(train_op)
        return train_op

    def _checked_pairs(self, grads_and_vars):
        pairs = tuple(grads_and_vars)
        if not pairs:
            raise ValueError("No variables provided.")
        out = []
        for g, v in pairs:
            if g is not None and not isinstance(g, IndexedSlices):
                try:
                    g = convert_to_tensor(g)
                except (TypeError, ValueError) as e:
                    raise TypeError("Gradient must be convertible to a Tensor or IndexedSlices, "
                                    f"or None: {g}") from e
            out.append((g, v))
        return out

    def _update(self, grad, var):
        if isinstance(grad, Tensor):
            update = self._apply_dense(grad, var)
        else:
            update = self._apply_sparse_duplicate_indices(grad, var)
        if var.constraint is None:
            return update
        with control_dependencies([update]):
            return var.assign(var.constraint(var.read_value()), read_value=False)

    # -- for subclasses ----------------------------------------------------------------------------
    def _create_slots(self, var_list):
        pass

    def _prepare(self):
        pass

    def _apply_dense(self, grad, var):
        raise NotImplementedError(f"{type(self).__name__} has no dense update.")

    def _apply_sparse(self, grad, var):
        raise NotImplementedError(f"{type(self).__name__} has no sparse update.")

    def _apply_sparse_duplicate_indices(self, grad, var):
        return self._apply_sparse(_deduplicated(grad), var)

    def _finish(self, update_ops, name_scope):
        return control_flow_ops.group(*update_ops, name=name_scope)

    # -- slots -------------------------------------------------------------------------------------
    def get_slot_names(self):
        """Returns the names of the slots this optimizer has made, sorted (e.g. `['m', 'v']`)."""
        return sorted(self._slots)

    def get_slot(self, var, name):
        """Returns the slot `name` of the variable `var`, or None.

        Slots are made by `apply_gradients` (or `minimize`) for the variables it updates.

        Args:
          var: a variable the optimizer updates.
          name: the slot's name, one of `get_slot_names()`.

        Returns:
          The slot variable, or None if `var` has no such slot.
        """
        return self._slots.get(name, {}).get(var)

    def _zeros_slot(self, var, slot_name, op_name):
        # the slot `slot_name` of `var`: zeros of its shape, named `<var>/<op_name>`
        return self._make_slot(var, slot_name, op_name, array_ops.zeros)

    def _filled_slot(self, var, slot_name, op_name, value):
        # as _zeros_slot, filled with `value` (Adagrad's accumulators, RMSProp's ones)
        return self._make_slot(var, slot_name, op_name, lambda shape, dtype: array_ops.fill(
            shape.as_list(), constant(value, dtype=dtype)))

    def _make_slot(self, var, slot_name, op_name, initial):
        slots = self._slots.setdefault(slot_name, {})
        if var not in slots:
            shape, dtype = var.shape, var.dtype.base_dtype
            with name_scope(None):
                # TF's slot: a scope made unique, re-entered by the variable (so a creator sees
                # `w/Momentum/`), and its initial value made in `w/Momentum/Initializer/`
                scope = get_default_graph().unique_name(f"{var._op_name}/{op_name}")
                slots[var] = slot = Variable(lambda: initial(shape, dtype),
                                             name=scope + "/", trainable=False,
                                             use_resource=hasattr(var, "handle"))
            info = getattr(var, "_save_slice_info", None)
            if info is not None:  # a part's slot is that part of the whole variable's slot (TF)
                slot._save_slice_info = type(info)(f"{info.full_name}/{op_name}",
                                                   info.full_shape, info.var_offset,
                                                   info.var_shape)
        return slots[var]

    def _non_slot_variable(self, name, initial_value, first_var):
        key = (name, first_var.graph)
        if key not in self._non_slots:
            self._non_slots[key] = Variable(initial_value, name=name, trainable=False,
                                            use_resource=hasattr(first_var, "handle"))
        return self._non_slots[key]

    def _get_non_slot_variable(self, name, graph=None):
        return self._non_slots.get((name, graph or get_default_graph()))

    def variables(self):
        """Returns the optimizer's own variables: its slots, then its non-slot variables."""
        slots = [v for per_var in self._slots.values() for v in per_var.values()]
        return slots + list(self._non_slots.values())


def _eager_gradients(loss, var_list, grad_loss):
    """compute_gradients in eager mode: `loss` is a function, differentiated by a tape."""
    if not callable(loss):
        raise RuntimeError("`loss` passed to Optimizer.compute_gradients should be a function "
                           "when eager execution is enabled.")
    with GradientTape() as tape:
        if var_list is not None:
            var_list = _flatten_parts(var_list)
            tape.watch(var_list)
        loss_value = loss()
    if var_list is None:
        var_list = list(tape.watched_variables())
    if not var_list:
        raise ValueError("No variables to optimize.")
    grads = tape.gradient(loss_value, var_list, output_gradients=grad_loss)
    return list(zip(grads, var_list))


def _deduplicated(grad):
    # IndexedSlices with unique indices, values at a repeated index summed
    from minitf.ops import manip_ops

    unique, positions = manip_ops.unique(grad.indices)
    summed = manip_ops.unsorted_segment_sum(grad.values, positions, array_ops.size(unique))
    return IndexedSlices(summed, unique, grad.dense_shape)
