"""Adagrad Dual Averaging with TF1's update (ApplyAdagradDA): g += grad; gg += grad^2; then, at
step T (the global step plus one), var = -lr * sign(g) * max(|g| - T * l1, 0) / (T * lr * l2 +
sqrt(gg)) (just -lr * g / (...) when l1 is 0). The variable is recomputed from the accumulators,
not moved: its initial value is forgotten at the first step, as in TF."""
import numpy as np

from minitf.framework.constant_op import constant, convert_to_tensor
from minitf.ops import array_ops, math_ops
from minitf.train import training_ops
from minitf.train.adagrad import _one_per_row
from minitf.train.optimizer import Optimizer, _var_inputs
from minitf.train.training_ops import _summed, _training_op

__all__ = ["AdagradDAOptimizer"]


def _value(v):
    return v() if callable(v) else v


def _adagrad_da(var, g_acc, gg_acc, grad, lr, l1, l2, global_step, use_locking=False):
    g_acc = g_acc + grad
    gg_acc = gg_acc + grad * grad
    t = np.float32(global_step)  # (TF's kernel: the step as a float)
    denom = l2 * (t * lr) + np.sqrt(gg_acc)
    if l1 > 0:
        var = lr * -1 * np.sign(g_acc) * np.maximum(np.abs(g_acc) - t * l1, 0) / denom
    else:
        var = lr * g_acc * -1 / denom
    return [var, g_acc, gg_acc]


def _sparse_adagrad_da(var, g_acc, gg_acc, values, indices, lr, l1, l2, global_step,
                       use_locking=False):
    rows, grad = _summed(values, indices, var.shape[0])  # (checked before any write)
    update = _da_scalar_rows if _one_per_row(var) else _da_rows
    var[rows], g_acc[rows], gg_acc[rows] = update(g_acc[rows], gg_acc[rows], grad, lr, l1, l2,
                                                  int(global_step), var.dtype)


def _da_rows(g_acc, gg_acc, grad, lr, l1, l2, step, dtype):
    # TF's sparse row path: the dense formula divided through by the step, in the var's dtype
    t = np.asarray(step, dtype)
    g_acc, gg_acc = g_acc + grad, gg_acc + grad * grad
    denom = l2 + np.sqrt(gg_acc) / (t * lr)
    if l1 > 0:
        return -1 * np.sign(g_acc) * np.maximum(np.abs(g_acc) / t - l1, 0) / denom, g_acc, gg_acc
    return -1 * (g_acc / t) / denom, g_acc, gg_acc


def _da_scalar_rows(g_acc, gg_acc, grad, lr, l1, l2, step, dtype):
    # TF's sparse scalar path: accumulates and computes in double, rounding what it stores
    g = grad.astype(np.float64)
    g_acc = (g_acc + g).astype(dtype)
    gg_acc = (gg_acc + g * g).astype(dtype)
    lr, l1, l2 = float(lr), float(l1), float(l2)
    denom = step * l2 * lr + np.sqrt(gg_acc).astype(np.float64)
    ga = g_acc.astype(np.float64)
    if l1 > 0:
        var = np.sign(-ga) * lr * np.maximum(np.abs(ga) - step * l1, 0.0) / denom
    else:
        var = -ga * lr / denom
    return var.astype(dtype), g_acc, gg_acc


apply_adagrad_da_ops = _training_op("ApplyAdagradDA", 3, _adagrad_da)
sparse_apply_adagrad_da_ops = _training_op("SparseApplyAdagradDA", 3, _sparse_adagrad_da,
                                           in_place=True)


class AdagradDAOptimizer(Optimizer):
    """Optimizer that implements Adagrad Dual Averaging (Duchi et al.), with TF1's update.

    Each step adds the gradient to `g` and its square to `gg`, then sets, at step `T` (the
    global step before it is incremented, plus one), `var = -learning_rate * sign(g) *
    max(|g| - T * l1, 0) / (T * learning_rate * l2 + sqrt(gg))` (with `g` for the
    `sign * max` when l1 is 0). `g` and `gg` are the slots "gradient_accumulator" and
    "gradient_squared_accumulator" (the variables `<var>/AdagradDA` and `<var>/AdagradDA_1`);
    `gg` starts at `initial_gradient_squared_accumulator_value`. A sparse gradient updates only
    its rows. Pass the same `global_step` to `minimize` so that it advances.

    >>> w = tf.Variable([5.0])
    >>> step = tf.train.get_or_create_global_step()
    >>> opt = tf.train.AdagradDAOptimizer(0.5, step, 3.0)
    >>> train = opt.minimize(tf.reduce_sum(w), global_step=step)  # g 1, gg 4: w = -0.5 / 2
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     sess.run(train)
    ...     print(sess.run(w))
    [-0.25]
    """

    def __init__(self, learning_rate, global_step, initial_gradient_squared_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="AdagradDA"):
        """Creates an AdagradDA optimizer.

        Args:
          learning_rate: a float, a scalar Tensor, or a function of no arguments returning
            one (called when `apply_gradients` builds the update).
          global_step: the int64 global step variable (`tf.train.get_or_create_global_step()`).
          initial_gradient_squared_accumulator_value: the starting value of the squared-gradient
            accumulators; must be positive.
          l1_regularization_strength: the l1 strength (a float >= 0).
          l2_regularization_strength: the l2 strength (a float >= 0).
          use_locking: hold each variable's lock from reading it to writing it, so concurrent steps
            never lose an update (as TF); without, concurrent updates of one variable may race.
          name: the name scope of the update ops and the suffix of the slots' names.

        Raises:
          ValueError: `initial_gradient_squared_accumulator_value` is not positive.
        """
        if initial_gradient_squared_accumulator_value <= 0.0:
            raise ValueError("initial_gradient_squared_accumulator_value must be positive: "
                             f"{initial_gradient_squared_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate, self._global_step = learning_rate, global_step
        self._initial_gg = initial_gradient_squared_accumulator_value
        self._l1, self._l2 = l1_regularization_strength, l2_regularization_strength

    def _create_slots(self, var_list):
        for v in var_list:
            self._filled_slot(v, "gradient_accumulator", self._name, 0.0)
            self._filled_slot(v, "gradient_squared_accumulator", self._name,
                              self._initial_gg)

    def _prepare(self):
        self._lr = convert_to_tensor(_value(self._learning_rate), name="learning_rate")
        # the step this update is: read before minimize's increment, plus one (as TF)
        self._step = array_ops.identity(self._global_step) + constant(1, self._global_step.dtype
                                                                      .base_dtype)

    def _args(self, var):
        dtype = var.dtype.base_dtype
        return [math_ops.cast(self._lr, dtype), math_ops.cast(self._l1, dtype),
                math_ops.cast(self._l2, dtype), array_ops.identity(self._step)]

    def _slots_of(self, var):
        return [_var_inputs(var)] + [_var_inputs(self.get_slot(var, s)) for s in (
            "gradient_accumulator", "gradient_squared_accumulator")]

    def _apply_dense(self, grad, var):
        return training_ops.apply(apply_adagrad_da_ops, var,
                                  self._slots_of(var) + [grad] + self._args(var),
                                  "ApplyAdagradDA", use_locking=self._use_locking)

    def _apply_sparse(self, grad, var):
        return training_ops.apply(sparse_apply_adagrad_da_ops, var,
                                  self._slots_of(var) + [grad.values, grad.indices] +
                                  self._args(var), "SparseApplyAdagradDA",
                                  use_locking=self._use_locking)
