"""FTRL-Proximal (McMahan et al., 2013) with TF1's updates. ApplyFtrl, per element:
new_accum = accum + g^2; linear += g - (new_accum^-p - accum^-p) / lr * var (p the
learning_rate_power); var = (l1 sign(linear) - linear) / (new_accum^-p / lr + 2 l2) where
|linear| > l1, else 0; accum = new_accum. ApplyFtrlV2 adds the shrinkage 2 l2_shrinkage var to
the gradient in `linear` only (accum still sums g^2). `beta` enters as l2 + beta / (2 lr)."""
import numpy as np

from minitf.framework.constant_op import convert_to_tensor
from minitf.ops import math_ops
from minitf.train import training_ops
from minitf.train.optimizer import Optimizer, _var_inputs
from minitf.train.training_ops import _summed, _training_op

__all__ = ["FtrlOptimizer"]


def _value(v):
    return v() if callable(v) else v


def _ftrl_v2(var, accum, linear, grad, lr, l1, l2, l2_shrinkage, lr_power, use_locking=False):
    new_accum = accum + grad * grad
    shrunk = grad + 2 * l2_shrinkage * var if l2_shrinkage else grad
    if lr_power == -0.5:  # (TF's special case: square roots, not powers)
        new_power, old_power = np.sqrt(new_accum), np.sqrt(accum)
    else:
        new_power, old_power = new_accum ** -lr_power, accum ** -lr_power
    linear = linear + (shrunk - (new_power - old_power) / lr * var)
    with np.errstate(divide="ignore", invalid="ignore"):  # (only where the var becomes 0)
        moved = (l1 * np.sign(linear) - linear) / (new_power / lr + 2 * l2)
    return [np.where(np.abs(linear) > l1, moved, 0).astype(var.dtype), new_accum, linear]


def _ftrl(var, accum, linear, grad, lr, l1, l2, lr_power, use_locking=False):
    return _ftrl_v2(var, accum, linear, grad, lr, l1, l2, 0, lr_power)


def _sparse_ftrl_v2(var, accum, linear, values, indices, lr, l1, l2, l2_shrinkage, lr_power,
                    use_locking=False):
    rows, grad = _summed(values, indices, var.shape[0])  # (checked before any write)
    var[rows], accum[rows], linear[rows] = _ftrl_v2(var[rows], accum[rows], linear[rows], grad,
                                                    lr, l1, l2, l2_shrinkage, lr_power)


def _sparse_ftrl(var, accum, linear, values, indices, lr, l1, l2, lr_power, use_locking=False):
    _sparse_ftrl_v2(var, accum, linear, values, indices, lr, l1, l2, 0, lr_power)


# (ref op, resource op) pairs
apply_ftrl_ops = _training_op("ApplyFtrl", 3, _ftrl)
apply_ftrl_v2_ops = _training_op("ApplyFtrlV2", 3, _ftrl_v2)
sparse_apply_ftrl_ops = _training_op("SparseApplyFtrl", 3, _sparse_ftrl, in_place=True)
sparse_apply_ftrl_v2_ops = _training_op("SparseApplyFtrlV2", 3, _sparse_ftrl_v2, in_place=True)



def _check_sign(name, value, sign):
    if (value > 0.0) if sign == "negative" else (value < 0.0):
        raise ValueError(f"{name} {value:f} needs to be {sign} or zero")


class FtrlOptimizer(Optimizer):
    """Optimizer that implements the FTRL-Proximal algorithm, with TF1's update.

    Per element, with `p = learning_rate_power`: `new_accum = accum + g^2`, `linear += g -
    (new_accum^-p - accum^-p) / learning_rate * var`, then `var = (l1 * sign(linear) - linear) /
    (new_accum^-p / learning_rate + 2 * l2)` where `|linear| > l1`, else 0. With
    `l2_shrinkage_regularization_strength` (s > 0) `linear` takes `g + 2 * s * var` instead of
    `g`; `beta` adds `beta / (2 * learning_rate)` to l2. The slots are "accum"
    (`<var>/Ftrl`, starting at `initial_accumulator_value`) and "linear" (`<var>/Ftrl_1`).
    A sparse gradient updates only its rows.

    >>> w = tf.Variable([1.0])
    >>> opt = tf.train.FtrlOptimizer(1.0, initial_accumulator_value=0.0)
    >>> train = opt.minimize(tf.reduce_sum(w))  # g 1: linear 1 - 1 * w = 0, so w = 0
    >>> print(opt.get_slot_names(), opt.get_slot(w, "linear").name)
    ['accum', 'linear'] Variable/Ftrl_1:0
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     sess.run(train)
    ...     sess.run(train)  # accum 2, linear 1 - (sqrt(2) - 1) * 0: w = -1 / sqrt(2)
    ...     print(sess.run(w).round(4))
    [-0.7071]
    """

    def __init__(self, learning_rate, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="Ftrl", accum_name=None, linear_name=None,
                 l2_shrinkage_regularization_strength=0.0, beta=None):
        """Creates an FTRL optimizer.

        Args:
          learning_rate: a float, a scalar Tensor, or a function of no arguments returning one.
          learning_rate_power: a float <= 0: how the learning rate decreases during training
            (0 keeps it fixed; -0.5, the default, uses square roots).
          initial_accumulator_value: the accumulators' starting value, >= 0.
          l1_regularization_strength: a float >= 0.
          l2_regularization_strength: a float >= 0 (a stabilization penalty).
          use_locking: hold each variable's lock from reading it to writing it, so concurrent steps
            never lose an update (as TF); without, concurrent updates of one variable may race.
          name: the name scope of the update ops and the default suffix of the slots' names.
          accum_name: the suffix of the "accum" slots' names (default `name`).
          linear_name: the suffix of the "linear" slots' names (default `name`, made unique).
          l2_shrinkage_regularization_strength: a float >= 0: a magnitude penalty added to the
            gradient as `2 * strength * var` (ApplyFtrlV2; sparse updates shrink only their rows).
          beta: the paper's beta, folded into l2 as `beta / (2 * learning_rate)` (default 0).

        Raises:
          ValueError: a strength or `initial_accumulator_value` is negative, or
            `learning_rate_power` is positive.
        """
        super().__init__(use_locking, name)
        _check_sign("initial_accumulator_value", initial_accumulator_value, "positive")
        _check_sign("learning_rate_power", learning_rate_power, "negative")
        _check_sign("l1_regularization_strength", l1_regularization_strength, "positive")
        _check_sign("l2_regularization_strength", l2_regularization_strength, "positive")
        _check_sign("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength,
                    "positive")
        self._learning_rate, self._learning_rate_power = learning_rate, learning_rate_power
        self._initial_accumulator_value = initial_accumulator_value
        self._l1, self._l2 = l1_regularization_strength, l2_regularization_strength
        self._l2_shrinkage = l2_shrinkage_regularization_strength
        self._beta = 0.0 if beta is None else beta
        self._accum_name, self._linear_name = accum_name, linear_name

    def _create_slots(self, var_list):
        for v in var_list:
            self._filled_slot(v, "accum", self._accum_name or self._name,
                              self._initial_accumulator_value)
            self._zeros_slot(v, "linear", self._linear_name or self._name)

    def _prepare(self):
        lr = convert_to_tensor(_value(self._learning_rate), name="learning_rate")
        l1 = convert_to_tensor(self._l1, name="l1_regularization_strength")
        # (beta folded into l2, so that the kernels need no beta: as TF)
        l2 = convert_to_tensor(self._l2 + self._beta / (2.0 * math_ops.maximum(lr, 1e-36)),
                               name="adjusted_l2_regularization_strength")
        shrinkage = convert_to_tensor(self._l2_shrinkage,
                                      name="l2_shrinkage_regularization_strength")
        power = convert_to_tensor(self._learning_rate_power, name="learning_rate_power")
        self._tensors = [lr, l1, l2] + ([shrinkage] if self._l2_shrinkage > 0 else []) + [power]

    def _args(self, var):
        dtype = var.dtype.base_dtype
        return [math_ops.cast(t, dtype) for t in self._tensors]

    def _slot_inputs(self, var):
        return [_var_inputs(var)] + [_var_inputs(self.get_slot(var, s))
                                     for s in ("accum", "linear")]

    def _apply_dense(self, grad, var):
        ops, name = ((apply_ftrl_v2_ops, "ApplyFtrlV2") if self._l2_shrinkage > 0
                     else (apply_ftrl_ops, "ApplyFtrl"))
        return training_ops.apply(ops, var, self._slot_inputs(var) + [grad] + self._args(var),
                                  name, use_locking=self._use_locking)

    def _apply_sparse(self, grad, var):
        ops, name = ((sparse_apply_ftrl_v2_ops, "SparseApplyFtrlV2") if self._l2_shrinkage > 0
                     else (sparse_apply_ftrl_ops, "SparseApplyFtrl"))
        return training_ops.apply(ops, var, self._slot_inputs(var) + [grad.values, grad.indices]
                                  + self._args(var), name, use_locking=self._use_locking)
