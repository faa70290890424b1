"""Adagrad with TF1's update (ApplyAdagrad): accum += g^2; var -= lr * g / sqrt(accum). The
accumulator starts at `initial_accumulator_value`; a sparse gradient updates only its rows."""
import numpy as np

from minitf.framework.constant_op import convert_to_tensor
from minitf.ops import math_ops
from minitf.train import training_ops
from minitf.train.optimizer import Optimizer, _var_inputs
from minitf.train.training_ops import _summed, _training_op

__all__ = ["AdagradOptimizer"]


def _value(v):
    return v() if callable(v) else v


def _adagrad(var, accum, lr, grad, use_locking=False, update_slots=True):
    if update_slots:
        accum = accum + grad * grad
    return [var - grad * lr * (1 / np.sqrt(accum)), accum]


def _sparse_adagrad(var, accum, lr, values, indices, use_locking=False, update_slots=True):
    rows, grad = _summed(values, indices, var.shape[0])  # (checked before any write)
    if update_slots:
        accum[rows] += grad * grad
    if _one_per_row(var):  # TF's scalar path divides by the root
        var[rows] -= lr * grad / np.sqrt(accum[rows])
    else:
        var[rows] -= grad * lr * (1 / np.sqrt(accum[rows]))


def _one_per_row(var):
    """Whether TF's sparse kernels take their scalar path (one element per row), which rounds
    differently from their row path."""
    return int(np.prod(var.shape[1:])) == 1


apply_adagrad_ops = _training_op("ApplyAdagrad", 2, _adagrad)
sparse_apply_adagrad_ops = _training_op("SparseApplyAdagrad", 2, _sparse_adagrad, in_place=True)



class AdagradOptimizer(Optimizer):
    """Optimizer that implements the Adagrad algorithm, with TF1's update.

    Each step does `accum += gradient^2; var -= learning_rate * gradient / sqrt(accum)`.
    `accum` is the slot "accumulator" (the variable `<var>/Adagrad`), starting at
    `initial_accumulator_value`. A sparse gradient updates only its rows of the variable and of
    `accum`, as TF's does.

    >>> w = tf.Variable([1.0])
    >>> opt = tf.train.AdagradOptimizer(0.5, initial_accumulator_value=3.0)
    >>> train = opt.minimize(tf.reduce_sum(w))  # the gradient is 1: accum 4, w 1 - 0.5 / 2
    >>> print(opt.get_slot_names(), opt.get_slot(w, "accumulator").name)
    ['accumulator'] Variable/Adagrad:0
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     sess.run(train)
    ...     print(sess.run(w))
    [0.75]
    """

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name="Adagrad"):
        """Creates an Adagrad optimizer.

        Args:
          learning_rate: a float, a scalar Tensor, or a function of no arguments returning
            one (called when `apply_gradients` builds the update).
          initial_accumulator_value: the accumulators' starting value; must be positive.
          use_locking: hold each variable's lock from reading it to writing it, so concurrent steps
            never lose an update (as TF); without, concurrent updates of one variable may race.
          name: the name scope of the update ops and the suffix of the slots' names.

        Raises:
          ValueError: `initial_accumulator_value` is not positive.
        """
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: "
                             f"{initial_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list):
        for v in var_list:
            self._filled_slot(v, "accumulator", self._name, self._initial_accumulator_value)

    def _prepare(self):
        self._lr = convert_to_tensor(_value(self._learning_rate), name="learning_rate")

    def _inputs(self, var):
        accum = self.get_slot(var, "accumulator")
        return [_var_inputs(var), _var_inputs(accum), math_ops.cast(self._lr, var.dtype.base_dtype)]

    def _apply_dense(self, grad, var):
        return training_ops.apply(apply_adagrad_ops, var, self._inputs(var) + [grad],
                                  "ApplyAdagrad", use_locking=self._use_locking,
                                  update_slots=True)

    def _apply_sparse(self, grad, var):
        return training_ops.apply(sparse_apply_adagrad_ops, var,
                                  self._inputs(var) + [grad.values, grad.indices],
                                  "SparseApplyAdagrad", use_locking=self._use_locking,
                                  update_slots=True)
