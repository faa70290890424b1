"""Momentum: accum = momentum * accum + grad; var -= lr * accum (Nesterov: var -= lr * grad +
lr * momentum * accum). Sparse updates touch only the rows with a gradient, as TF's do."""
from minitf.framework.constant_op import convert_to_tensor
from minitf.ops import math_ops
from minitf.train import training_ops
from minitf.train.optimizer import Optimizer, _var_inputs

__all__ = ["MomentumOptimizer"]


def _value(v):
    return v() if callable(v) else v


class MomentumOptimizer(Optimizer):
    """Optimizer that implements the momentum algorithm.

    Each step does `accum = momentum * accum + gradient; var -= learning_rate * accum`, or
    with Nesterov momentum `var -= learning_rate * (gradient + momentum * accum)`. `accum` is
    the slot "momentum" (the variable `<var>/Momentum`). A sparse gradient updates only its
    rows of the variable and of `accum`, as TF's does.

    >>> w = tf.Variable([1.0])
    >>> opt = tf.train.MomentumOptimizer(0.5, momentum=0.5)
    >>> train = opt.minimize(tf.reduce_sum(w))  # the gradient is 1
    >>> print(opt.get_slot_names(), opt.get_slot(w, "momentum").name)
    ['momentum'] Variable/Momentum:0
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     sess.run(train)  # accum 1, w 1 - 0.5
    ...     sess.run(train)  # accum 1.5, w 0.5 - 0.75
    ...     print(sess.run(w))
    [-0.25]
    """

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False):
        """Creates a momentum optimizer.

        Args:
          learning_rate: a float, a scalar Tensor, or a function of no arguments returning
            one (called when `apply_gradients` builds the update).
          momentum: the momentum, given like `learning_rate`.
          use_locking: hold each variable's lock from reading it to writing it, so concurrent steps
            never lose an update (as TF); without, concurrent updates of one variable may race.
          name: the name scope of the update ops and the suffix of the slots' names.
          use_nesterov: whether to use Nesterov momentum.
        """
        super().__init__(use_locking, name)
        self._learning_rate, self._momentum = learning_rate, momentum
        self._use_nesterov = use_nesterov

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        self._lr = convert_to_tensor(_value(self._learning_rate), name="learning_rate")
        self._mom = convert_to_tensor(_value(self._momentum), name="momentum")

    def _args(self, var):
        dtype = var.dtype.base_dtype
        return math_ops.cast(self._lr, dtype), math_ops.cast(self._mom, dtype)

    def _apply_dense(self, grad, var):
        lr, mom = self._args(var)
        accum = self.get_slot(var, "momentum")
        return training_ops.apply(training_ops.apply_momentum_ops, var,
                                  [_var_inputs(var), _var_inputs(accum), lr, grad, mom],
                                  "ApplyMomentum", use_locking=self._use_locking,
                                  use_nesterov=self._use_nesterov)

    def _apply_sparse(self, grad, var):
        lr, mom = self._args(var)
        accum = self.get_slot(var, "momentum")
        return training_ops.apply(training_ops.sparse_apply_momentum_ops, var,
                                  [_var_inputs(var), _var_inputs(accum), lr, grad.values,
                                   grad.indices, mom], "SparseApplyMomentum",
                                  use_locking=self._use_locking,
                                  use_nesterov=self._use_nesterov)
