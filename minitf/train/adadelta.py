"""Adadelta (Zeiler) with TF1's update (ApplyAdadelta): accum = rho accum + (1 - rho) g^2;
update = sqrt(accum_update + epsilon) / sqrt(accum + epsilon) * g; var -= lr * update;
accum_update = rho accum_update + (1 - rho) update^2. A sparse gradient updates only its rows."""
import numpy as np

from minitf.framework.constant_op import convert_to_tensor
from minitf.ops import math_ops
from minitf.train import training_ops
from minitf.train.optimizer import Optimizer, _var_inputs
from minitf.train.training_ops import _summed, _training_op

__all__ = ["AdadeltaOptimizer"]


def _value(v):
    return v() if callable(v) else v


def _adadelta(var, accum, accum_update, lr, rho, epsilon, grad, use_locking=False):
    accum = accum * rho + grad * grad * (1 - rho)
    update = np.sqrt(accum_update + epsilon) * (1 / np.sqrt(accum + epsilon)) * grad
    # (the step uses the old accum_update, then accum_update moves: TF's current order)
    return [var - update * lr, accum, accum_update * rho + update * update * (1 - rho)]


def _sparse_adadelta(var, accum, accum_update, lr, rho, epsilon, values, indices,
                     use_locking=False):
    rows, grad = _summed(values, indices, var.shape[0])  # (checked before any write)
    var[rows], accum[rows], accum_update[rows] = _adadelta(
        var[rows], accum[rows], accum_update[rows], lr, rho, epsilon, grad)


# (ref op, resource op) pairs
apply_adadelta_ops = _training_op("ApplyAdadelta", 3, _adadelta)
sparse_apply_adadelta_ops = _training_op("SparseApplyAdadelta", 3, _sparse_adadelta,
                                         in_place=True)


class AdadeltaOptimizer(Optimizer):
    """Optimizer that implements the Adadelta algorithm, with TF1's update.

    Each step does `accum = rho * accum + (1 - rho) * g^2`, `update = sqrt(accum_update +
    epsilon) / sqrt(accum + epsilon) * g`, `var -= learning_rate * update` and `accum_update =
    rho * accum_update + (1 - rho) * update^2`. The slots are "accum" (`<var>/Adadelta`) and
    "accum_update" (`<var>/Adadelta_1`), starting at zeros. A sparse gradient updates only its
    rows.

    >>> w = tf.Variable([1.0])
    >>> opt = tf.train.AdadeltaOptimizer(1.0, rho=0.75, epsilon=0.25)
    >>> train = opt.minimize(tf.reduce_sum(w))  # g 1: accum 0.25, update 1 / sqrt(2)
    >>> print(opt.get_slot_names(), opt.get_slot(w, "accum_update").name)
    ['accum', 'accum_update'] Variable/Adadelta_1:0
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     sess.run(train)
    ...     print(sess.run(w).round(4))
    [0.2929]
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-8, use_locking=False,
                 name="Adadelta"):
        """Creates an Adadelta optimizer.

        `learning_rate`, `rho` and `epsilon` may each be a float, a scalar Tensor or a function
        of no arguments returning one (called when `apply_gradients` builds the update).

        Args:
          learning_rate: the learning rate (1.0 matches the paper's method).
          rho: the decay rate of both accumulators.
          epsilon: a small constant added inside the square roots.
          use_locking: hold each variable's lock from reading it to writing it, so concurrent steps
            never lose an update (as TF); without, concurrent updates of one variable may race.
          name: the name scope of the update ops and the suffix of the slots' names.
        """
        super().__init__(use_locking, name)
        self._hyper = {"lr": learning_rate, "rho": rho, "epsilon": epsilon}

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "accum", self._name)
            self._zeros_slot(v, "accum_update", self._name)

    def _prepare(self):
        self._tensors = [convert_to_tensor(_value(v), name=k) for k, v in self._hyper.items()]

    def _inputs(self, var):
        dtype = var.dtype.base_dtype
        return ([_var_inputs(var)]
                + [_var_inputs(self.get_slot(var, s)) for s in ("accum", "accum_update")]
                + [math_ops.cast(t, dtype) for t in self._tensors])

    def _apply_dense(self, grad, var):
        return training_ops.apply(apply_adadelta_ops, var, self._inputs(var) + [grad],
                                  "ApplyAdadelta", use_locking=self._use_locking)

    def _apply_sparse(self, grad, var):
        return training_ops.apply(sparse_apply_adadelta_ops, var,
                                  self._inputs(var) + [grad.values, grad.indices],
                                  "SparseApplyAdadelta", use_locking=self._use_locking)
