"""Adam (Kingma & Ba) with TF1's update: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t);
m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2; var -= lr_t m / (sqrt(v) + epsilon).
beta1^t and beta2^t are the non-slot variables beta1_power / beta2_power, advanced once per step.
"""
from minitf.framework.api import control_dependencies
from minitf.framework.constant_op import convert_to_tensor
from minitf.ops import control_flow_ops, math_ops
from minitf.train import training_ops
from minitf.train.optimizer import Optimizer, _var_inputs

__all__ = ["AdamOptimizer"]


def _value(v):
    return v() if callable(v) else v


class AdamOptimizer(Optimizer):
    """Optimizer that implements the Adam algorithm (Kingma & Ba), with TF1's update.

    Each step at time t does `lr_t = learning_rate * sqrt(1 - beta2^t) / (1 - beta1^t)`,
    `m = beta1 * m + (1 - beta1) * g`, `v = beta2 * v + (1 - beta2) * g^2` and
    `var -= lr_t * m / (sqrt(v) + epsilon)`. `m` and `v` are the slots "m" and "v" (the
    variables `<var>/Adam` and `<var>/Adam_1`); `beta1^t` and `beta2^t` are the variables
    `beta1_power` and `beta2_power`, shared by all the variables the optimizer updates. As in
    TF1, a sparse gradient updates every row: it counts as a dense one with zeros elsewhere.

    >>> w = tf.Variable([1.0])
    >>> opt = tf.train.AdamOptimizer(0.1)
    >>> train = opt.minimize(tf.reduce_sum(w * w))
    >>> sorted(v.op.name for v in opt.variables())
    ['Variable/Adam', 'Variable/Adam_1', 'beta1_power', 'beta2_power']
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     sess.run(train)  # the first step moves w by about learning_rate
    ...     print(round(float(sess.run(w)[0]), 4))
    0.9
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="Adam"):
        """Creates an Adam optimizer.

        `learning_rate`, `beta1`, `beta2` and `epsilon` may each be a float, a scalar Tensor or
        a function of no arguments returning one (called when `apply_gradients` builds the
        update).

        Args:
          learning_rate: the learning rate.
          beta1: the decay rate of the first-moment estimates.
          beta2: the decay rate of the second-moment estimates.
          epsilon: a small constant for numerical stability (the paper's "epsilon hat").
          use_locking: hold each variable's lock from reading it to writing it, so concurrent steps
            never lose an update (as TF); without, concurrent updates of one variable may race.
          name: the name scope of the update ops and the suffix of the slots' names.
        """
        super().__init__(use_locking, name)
        self._lr, self._beta1, self._beta2, self._epsilon = learning_rate, beta1, beta2, epsilon

    def _create_slots(self, var_list):
        first = min(var_list, key=lambda v: v.name)
        self._non_slot_variable("beta1_power", float(self._beta1), first)
        self._non_slot_variable("beta2_power", float(self._beta2), first)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _powers(self):
        return (self._get_non_slot_variable("beta1_power"),
                self._get_non_slot_variable("beta2_power"))

    def _prepare(self):
        self._tensors = {k: convert_to_tensor(_value(v), name=k) for k, v in (
            ("learning_rate", self._lr), ("beta1", self._beta1), ("beta2", self._beta2),
            ("epsilon", self._epsilon))}

    def _inputs(self, var):
        dtype = var.dtype.base_dtype
        b1p, b2p = self._powers()
        t = {k: math_ops.cast(v, dtype) for k, v in self._tensors.items()}
        slots = [_var_inputs(self.get_slot(var, s)) for s in ("m", "v")]
        return [_var_inputs(var)] + slots + [math_ops.cast(b1p.value(), dtype),
                                             math_ops.cast(b2p.value(), dtype),
                                             t["learning_rate"], t["beta1"], t["beta2"],
                                             t["epsilon"]]

    def _apply_dense(self, grad, var):
        return training_ops.apply(training_ops.apply_adam_ops, var, self._inputs(var) + [grad],
                                  "ApplyAdam", use_locking=self._use_locking)

    def _apply_sparse(self, grad, var):
        return training_ops.apply(training_ops.sparse_apply_adam_ops, var,
                                  self._inputs(var) + [grad.values, grad.indices],
                                  "SparseApplyAdam", use_locking=self._use_locking)

    def _finish(self, update_ops, name_scope_):
        b1p, b2p = self._powers()
        with control_dependencies(update_ops):  # (in the optimizer's scope: `Adam/mul`, as TF)
            update_b1 = b1p.assign(b1p.value() * self._tensors["beta1"], use_locking=None,
                                   read_value=False)
            update_b2 = b2p.assign(b2p.value() * self._tensors["beta2"], use_locking=None,
                                   read_value=False)
        return control_flow_ops.group(*update_ops, update_b1, update_b2, name=name_scope_)
