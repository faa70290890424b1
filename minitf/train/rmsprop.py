"""RMSProp with TF1's updates. ApplyRMSProp: ms += (g^2 - ms) * (1 - decay); mom = momentum *
mom + lr * g / sqrt(ms + epsilon); var -= mom. ApplyCenteredRMSProp also tracks the mean
gradient, mg += (g - mg) * (1 - decay), and divides by sqrt(ms - mg^2 + epsilon). The "rms" slot
starts at ONES (TF1's choice, unlike Keras' zeros); a sparse gradient updates only its rows."""
import numpy as np

from minitf.framework.constant_op import convert_to_tensor
from minitf.ops import math_ops
from minitf.train import training_ops
from minitf.train.optimizer import Optimizer, _var_inputs
from minitf.train.training_ops import _summed, _training_op

__all__ = ["RMSPropOptimizer"]


def _value(v):
    return v() if callable(v) else v


def _rms_prop(var, ms, mom, lr, rho, momentum, epsilon, grad, use_locking=False):
    ms = ms + (grad * grad - ms) * (1 - rho)
    mom = mom * momentum + grad * lr / np.sqrt(ms + epsilon)
    return [var - mom, ms, mom]


def _centered_rms_prop(var, mg, ms, mom, lr, rho, momentum, epsilon, grad, use_locking=False):
    ms = ms + (grad * grad - ms) * (1 - rho)
    mg = mg + (grad - mg) * (1 - rho)
    mom = mom * momentum + grad * lr / np.sqrt(ms - mg * mg + epsilon)
    return [var - mom, mg, ms, mom]


def _sparse_rms_prop(var, ms, mom, lr, rho, momentum, epsilon, values, indices,
                     use_locking=False):
    # (TF's sparse kernels order their arithmetic unlike the dense ones: so do these)
    rows, grad = _summed(values, indices, var.shape[0])  # (checked before any write)
    ms[rows] = new_ms = ms[rows] * rho + grad * grad * (1 - rho)
    mom[rows] = step = mom[rows] * momentum + 1 / np.sqrt(new_ms + epsilon) * lr * grad
    var[rows] -= step


def _sparse_centered_rms_prop(var, mg, ms, mom, lr, rho, momentum, epsilon, values, indices,
                              use_locking=False):
    rows, grad = _summed(values, indices, var.shape[0])
    ms[rows] = new_ms = ms[rows] * rho + grad * grad * (1 - rho)
    mg[rows] = new_mg = mg[rows] * rho + grad * (1 - rho)
    denom = new_ms + epsilon - new_mg * new_mg
    mom[rows] = step = mom[rows] * momentum + 1 / np.sqrt(denom) * lr * grad
    var[rows] -= step


# (ref op, resource op) pairs
apply_rms_prop_ops = _training_op("ApplyRMSProp", 3, _rms_prop)
apply_centered_rms_prop_ops = _training_op("ApplyCenteredRMSProp", 4, _centered_rms_prop)
sparse_apply_rms_prop_ops = _training_op("SparseApplyRMSProp", 3, _sparse_rms_prop,
                                         in_place=True)
sparse_apply_centered_rms_prop_ops = _training_op(
    "SparseApplyCenteredRMSProp", 4, _sparse_centered_rms_prop, in_place=True)


class RMSPropOptimizer(Optimizer):
    """Optimizer that implements the RMSProp algorithm, with TF1's update.

    Each step does `ms += (g^2 - ms) * (1 - decay)`, `mom = momentum * mom + learning_rate * g /
    sqrt(ms + epsilon)` and `var -= mom`. With `centered=True` the mean gradient `mg` is tracked
    too, `mg += (g - mg) * (1 - decay)`, and the denominator is `sqrt(ms - mg^2 + epsilon)`.
    The slots are "rms" (`<var>/RMSProp`, starting at ones), "mg" when centered
    (`<var>/RMSProp_1`) and "momentum" (the next name). A sparse gradient updates only its rows.

    >>> w = tf.Variable([1.0])
    >>> opt = tf.train.RMSPropOptimizer(0.5, decay=0.75)
    >>> train = opt.minimize(tf.reduce_sum(w))  # the gradient is 1: ms stays 1, w 1 - 0.5
    >>> print(opt.get_slot_names(), opt.get_slot(w, "rms").name)
    ['momentum', 'rms'] Variable/RMSProp:0
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     sess.run(train)
    ...     print(sess.run(w))
    [0.5]
    """

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False,
                 centered=False, name="RMSProp"):
        """Creates an RMSProp optimizer.

        `learning_rate`, `decay`, `momentum` and `epsilon` may each be a float, a scalar Tensor
        or a function of no arguments returning one (called when `apply_gradients` builds the
        update).

        Args:
          learning_rate: the learning rate.
          decay: the discounting factor of the history of squared gradients.
          momentum: the momentum.
          epsilon: a small constant added to the mean square, for numerical stability.
          use_locking: hold each variable's lock from reading it to writing it, so concurrent steps
            never lose an update (as TF); without, concurrent updates of one variable may race.
          centered: normalize by the estimated variance of the gradient instead of its second
            moment (more memory and computation, often more stable).
          name: the name scope of the update ops and the suffix of the slots' names.
        """
        super().__init__(use_locking, name)
        self._hyper = {"learning_rate": learning_rate, "decay": decay, "momentum": momentum,
                       "epsilon": epsilon}
        self._centered = centered

    def _create_slots(self, var_list):
        for v in var_list:
            self._filled_slot(v, "rms", self._name, 1)
            if self._centered:
                self._zeros_slot(v, "mg", self._name)
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        self._tensors = [convert_to_tensor(_value(v), name=k) for k, v in self._hyper.items()]

    def _inputs(self, var):
        names = ("mg", "rms", "momentum") if self._centered else ("rms", "momentum")
        dtype = var.dtype.base_dtype
        return ([_var_inputs(var)] + [_var_inputs(self.get_slot(var, s)) for s in names]
                + [math_ops.cast(t, dtype) for t in self._tensors])

    def _apply_dense(self, grad, var):
        ops, name = ((apply_centered_rms_prop_ops, "ApplyCenteredRMSProp") if self._centered
                     else (apply_rms_prop_ops, "ApplyRMSProp"))
        return training_ops.apply(ops, var, self._inputs(var) + [grad], name,
                                  use_locking=self._use_locking)

    def _apply_sparse(self, grad, var):
        ops, name = ((sparse_apply_centered_rms_prop_ops, "SparseApplyCenteredRMSProp")
                     if self._centered else (sparse_apply_rms_prop_ops, "SparseApplyRMSProp"))
        return training_ops.apply(ops, var, self._inputs(var) + [grad.values, grad.indices],
                                  name, use_locking=self._use_locking)
