"""The proximal (FOBOS) optimizers, with TF1's updates: a gradient step to `prox`, then
`var = sign(prox) * max(|prox| - step * l1, 0) / (1 + step * l2)` (no shrinkage when l1 is 0),
where `step` is the learning rate (ApplyProximalGradientDescent) or, for
ApplyProximalAdagrad, `lr / sqrt(accum)` after `accum += g^2`."""
import numpy as np

from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.errors import InvalidArgumentError
from minitf.ops import math_ops
from minitf.train import training_ops
from minitf.train.adagrad import _one_per_row
from minitf.train.optimizer import Optimizer, _var_inputs
from minitf.train.training_ops import _summed, _training_op

__all__ = ["ProximalGradientDescentOptimizer", "ProximalAdagradOptimizer"]


def _value(v):
    return v() if callable(v) else v


def _shrink(prox, step, l1, l2):
    # TF's kernels test l1 > 0 (not != 0): a negative l1 means no shrinkage
    if l1 > 0:
        prox = np.sign(prox) * np.maximum(np.abs(prox) - step * l1, 0)
    return prox / (1 + l2 * step)


def _proximal_gd(var, alpha, l1, l2, delta, use_locking=False):
    return [_shrink(var - delta * alpha, alpha, l1, l2)]


def _sparse_proximal_gd(var, alpha, l1, l2, values, indices, use_locking=False):
    rows, grad = _summed(values, indices, var.shape[0])  # (checked before any write)
    if _one_per_row(var):
        var[rows] = _shrink_scalars(var[rows] - alpha * grad, alpha, l1, l2)
    else:
        var[rows] = _proximal_gd(var[rows], alpha, l1, l2, grad)[0]


def _shrink_scalars(prox, step, l1, l2):
    # TF's sparse scalar path: the same shrinkage, but divided by a double `1.0 + l2 * step`
    if l1 > 0:
        prox = np.sign(prox) * np.maximum(np.abs(prox) - step * l1, 0)
    return (prox / (1.0 + (l2 * step).astype(np.float64))).astype(prox.dtype)


def _check_adagrad_args(lr, l1, l2):
    # TF's ProximalAdagrad kernels check these (its ProximalGradientDescent ones do not)
    for value, low_ok, what in (
            (lr, False, "lr is not a positive scalar"),
            (l1, True, "l1 regularization strength is not a non-negative scalar"),
            (l2, True, "l2 regularization strength is not a non-negative scalar")):
        if np.ndim(value) or not (value >= 0 if low_ok else value > 0):
            raise InvalidArgumentError(None, None, f"{what}: {list(np.shape(value))}")


def _proximal_adagrad(var, accum, lr, l1, l2, grad, use_locking=False):
    _check_adagrad_args(lr, l1, l2)
    accum = accum + grad * grad
    step = lr * (1 / np.sqrt(accum))
    return [_shrink(var - grad * step, step, l1, l2), accum]


def _sparse_proximal_adagrad(var, accum, lr, l1, l2, values, indices, use_locking=False):
    _check_adagrad_args(lr, l1, l2)
    rows, grad = _summed(values, indices, var.shape[0])  # (checked before any write)
    if _one_per_row(var):  # TF's scalar path divides by the root
        accum[rows] += grad * grad
        step = lr / np.sqrt(accum[rows])
        var[rows] = _shrink_scalars(var[rows] - step * grad, step, l1, l2)
    else:
        var[rows], accum[rows] = _proximal_adagrad(var[rows], accum[rows], lr, l1, l2, grad)


apply_proximal_gd_ops = _training_op("ApplyProximalGradientDescent", 1, _proximal_gd)
sparse_apply_proximal_gd_ops = _training_op("SparseApplyProximalGradientDescent", 1,
                                            _sparse_proximal_gd, in_place=True)
apply_proximal_adagrad_ops = _training_op("ApplyProximalAdagrad", 2, _proximal_adagrad)
sparse_apply_proximal_adagrad_ops = _training_op("SparseApplyProximalAdagrad", 2,
                                                 _sparse_proximal_adagrad, in_place=True)


class _Proximal(Optimizer):
    """The learning rate and l1 / l2 strengths, as Tensors of each variable's dtype."""

    def __init__(self, learning_rate, l1, l2, use_locking, name):
        super().__init__(use_locking, name)
        self._learning_rate, self._l1, self._l2 = learning_rate, l1, l2

    def _prepare(self):
        self._tensors = [convert_to_tensor(_value(v), name=k) for k, v in (
            ("learning_rate", self._learning_rate), ("l1_regularization_strength", self._l1),
            ("l2_regularization_strength", self._l2))]

    def _args(self, var):
        return [math_ops.cast(t, var.dtype.base_dtype) for t in self._tensors]


class ProximalGradientDescentOptimizer(_Proximal):
    """Optimizer that implements proximal gradient descent (FOBOS), with TF1's update.

    Each step does `prox = var - learning_rate * gradient`, then
    `var = sign(prox) * max(|prox| - learning_rate * l1, 0) / (1 + learning_rate * l2)`
    (without the `max` when l1 is 0). It has no slots. A sparse gradient updates only its rows.

    >>> w = tf.Variable([1.0])
    >>> opt = tf.train.ProximalGradientDescentOptimizer(0.5, l1_regularization_strength=0.2)
    >>> train = opt.minimize(tf.reduce_sum(w))  # prox 0.5, shrunk by 0.1
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     sess.run(train)
    ...     print(sess.run(w))
    [0.4]
    """

    def __init__(self, learning_rate, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, use_locking=False,
                 name="ProximalGradientDescent"):
        """Creates a proximal gradient descent optimizer.

        Args:
          learning_rate: a float, a scalar Tensor, or a function of no arguments returning
            one (called when `apply_gradients` builds the update).
          l1_regularization_strength: the l1 strength (a float >= 0), given like `learning_rate`.
          l2_regularization_strength: the l2 strength (a float >= 0), given like `learning_rate`.
          use_locking: hold each variable's lock from reading it to writing it, so concurrent steps
            never lose an update (as TF); without, concurrent updates of one variable may race.
          name: the name scope of the update ops.
        """
        super().__init__(learning_rate, l1_regularization_strength, l2_regularization_strength,
                         use_locking, name)

    def _apply_dense(self, grad, var):
        return training_ops.apply(apply_proximal_gd_ops, var,
                                  [_var_inputs(var)] + self._args(var) + [grad],
                                  "ApplyProximalGradientDescent", use_locking=self._use_locking)

    def _apply_sparse(self, grad, var):
        return training_ops.apply(sparse_apply_proximal_gd_ops, var,
                                  [_var_inputs(var)] + self._args(var) + [grad.values,
                                                                          grad.indices],
                                  "SparseApplyProximalGradientDescent",
                                  use_locking=self._use_locking)


class ProximalAdagradOptimizer(_Proximal):
    """Optimizer that implements proximal Adagrad (FOBOS with Adagrad's rate), with TF1's update.

    Each step does `accum += gradient^2; step = learning_rate / sqrt(accum)`,
    `prox = var - step * gradient`, then
    `var = sign(prox) * max(|prox| - step * l1, 0) / (1 + step * l2)` (without the `max` when l1
    is 0). `accum` is the slot "accumulator" (the variable `<var>/ProximalAdagrad`), starting at
    `initial_accumulator_value`. A sparse gradient updates only its rows.

    >>> w = tf.Variable([1.0])
    >>> opt = tf.train.ProximalAdagradOptimizer(0.5, initial_accumulator_value=3.0)
    >>> train = opt.minimize(tf.reduce_sum(w))  # accum 4, step 0.25
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     sess.run(train)
    ...     print(sess.run(w))
    [0.75]
    """

    def __init__(self, learning_rate, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="ProximalAdagrad"):
        """Creates a proximal Adagrad optimizer.

        Args:
          learning_rate: a float, a scalar Tensor, or a function of no arguments returning
            one (called when `apply_gradients` builds the update).
          initial_accumulator_value: the accumulators' starting value; must be positive.
          l1_regularization_strength: the l1 strength (a float >= 0), given like `learning_rate`.
          l2_regularization_strength: the l2 strength (a float >= 0), given like `learning_rate`.
          use_locking: hold each variable's lock from reading it to writing it, so concurrent steps
            never lose an update (as TF); without, concurrent updates of one variable may race.
          name: the name scope of the update ops and the suffix of the slots' names.

        Raises:
          ValueError: `initial_accumulator_value` is not positive.
        """
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: "
                             f"{initial_accumulator_value}")
        super().__init__(learning_rate, l1_regularization_strength, l2_regularization_strength,
                         use_locking, name)
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list):
        for v in var_list:
            self._filled_slot(v, "accumulator", self._name, self._initial_accumulator_value)

    def _inputs(self, var):
        accum = self.get_slot(var, "accumulator")
        return [_var_inputs(var), _var_inputs(accum)] + self._args(var)

    def _apply_dense(self, grad, var):
        return training_ops.apply(apply_proximal_adagrad_ops, var, self._inputs(var) + [grad],
                                  "ApplyProximalAdagrad", use_locking=self._use_locking)

    def _apply_sparse(self, grad, var):
        return training_ops.apply(sparse_apply_proximal_adagrad_ops, var,
                                  self._inputs(var) + [grad.values, grad.indices],
                                  "SparseApplyProximalAdagrad", use_locking=self._use_locking)
