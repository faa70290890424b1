"""AddSign and PowerSign (Bello et al., ICML 2017; TF 1.15's addsign.py and powersign.py).

Both keep `m = beta * m + (1 - beta) * g` (the slot "m") and step
`var -= lr * scale * g`, where `scale` is `alpha + sign_decay * sign(g) * sign(m)` (AddSign)
or `exp(log(base) * sign_decay * sign(g) * sign(m))` (PowerSign), `m` being the updated
moment. A sparse gradient decays all of `m` (TF densifies it there) and moves only its rows.
`sign_decay` is 1, or `sign_decay_fn(global_step)` when a function is given.
"""
import math

from minitf.framework.constant_op import convert_to_tensor
from minitf.ops import control_flow_ops, manip_ops, math_ops, scatter_ops
from minitf.train.optimizer import Optimizer

__all__ = ["AddSignOptimizer", "PowerSignOptimizer"]


def _dense(grad, var):
    # TF's `m * beta + grad * (1 - beta)` with IndexedSlices `grad` makes it dense
    return manip_ops.unsorted_segment_sum(grad.values, grad.indices, var.shape.as_list()[0])


class _SignOptimizer(Optimizer):
    """What AddSign and PowerSign share: the moment slot, the sign decay, the updates."""

    def __init__(self, learning_rate, beta, sign_decay_fn, use_locking, name):
        super().__init__(use_locking, name)
        self._lr, self._beta, self._sign_decay_fn = learning_rate, beta, sign_decay_fn

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """Returns an op applying gradients to their variables (`Optimizer.apply_gradients`).

        Args:
          grads_and_vars: `(gradient, variable)` pairs, as `compute_gradients` returns them.
          global_step: a variable to add 1 to after the updates, or None; `sign_decay_fn`, if
            given, is called with it.
          name: the name of the returned op (default: the optimizer's name).

        Returns:
          An Operation that applies the updates (and then increments `global_step`).

        Raises:
          TypeError, ValueError: as `Optimizer.apply_gradients`, or as `sign_decay_fn`.
        """
        if self._sign_decay_fn is not None:
            self._sign_decay_t = convert_to_tensor(self._sign_decay_fn(global_step),
                                                   name="sign_decay")
        return super().apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "m", self._name)

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._lr, name="learning_rate")
        self._beta_t = convert_to_tensor(self._beta, name="beta")
        self._prepare_scale()
        if self._sign_decay_fn is None:
            self._sign_decay_t = convert_to_tensor(1.0, name="sign_decay")

    def _apply_dense(self, grad, var):
        return self._apply(grad, grad, None, var)

    def _apply_sparse(self, grad, var):
        return self._apply(_dense(grad, var), grad.values, grad.indices, var)

    def _apply(self, dense_grad, values, indices, var):
        dtype = var.dtype.base_dtype
        lr, beta = math_ops.cast(self._lr_t, dtype), math_ops.cast(self._beta_t, dtype)
        sign_decay = math_ops.cast(self._sign_decay_t, dtype)
        m = self.get_slot(var, "m")
        m_t = m.assign(m.value() * beta + dense_grad * (1 - beta), use_locking=self._use_locking)
        m_rows = m_t if indices is None else manip_ops.gather(m_t, indices)
        sign_gm = math_ops.sign(values) * math_ops.sign(m_rows)
        step = lr * self._scale(sign_decay * sign_gm, dtype) * values
        if indices is None:
            var_update = var.assign_sub(step, use_locking=self._use_locking)
        else:
            var_update = scatter_ops.scatter_sub(var, indices, step,
                                                 use_locking=self._use_locking)
        return control_flow_ops.group(var_update, m_t)


class AddSignOptimizer(_SignOptimizer):
    """The AddSign update (`tf.contrib.opt.AddSignOptimizer`).

    `m = beta * m + (1 - beta) * g`; `var -= lr * (alpha + sign_decay * sign(g) * sign(m)) * g`.
    The slot is "m" (`<var>/AddSignOptimizer`).

    >>> from minitf.contrib.opt import AddSignOptimizer
    >>> w = tf.Variable([1.0])
    >>> opt = AddSignOptimizer(learning_rate=0.1)
    >>> train = opt.minimize(tf.reduce_sum(w))  # g = 1, m = 0.1: signs agree
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     sess.run(train)  # w = 1 - 0.1 * (1 + 1) * 1
    ...     print(sess.run(w))
    [0.8]
    """

    def __init__(self, learning_rate=0.1, alpha=1.0, beta=0.9, sign_decay_fn=None,
                 use_locking=False, name="AddSignOptimizer"):
        """Creates an AddSign optimizer.

        Args:
          learning_rate: the learning rate (a float or scalar Tensor).
          alpha: the constant part of the gradient's scale.
          beta: the decay rate of the moving average `m`.
          sign_decay_fn: a function of the global step returning the sign decay (see
            `get_linear_decay_fn`), or None for 1.
          use_locking: hold each variable's lock from reading it to writing it.
          name: the name scope of the update ops and the suffix of the slots' names.
        """
        super().__init__(learning_rate, beta, sign_decay_fn, use_locking, name)
        self._alpha = alpha

    def _prepare_scale(self):
        self._alpha_t = convert_to_tensor(self._alpha, name="alpha")

    def _scale(self, decayed_sign, dtype):
        return math_ops.cast(self._alpha_t, dtype) + decayed_sign


class PowerSignOptimizer(_SignOptimizer):
    """The PowerSign update (`tf.contrib.opt.PowerSignOptimizer`).

    `m = beta * m + (1 - beta) * g`;
    `var -= lr * exp(log(base) * sign_decay * sign(g) * sign(m)) * g`.
    The slot is "m" (`<var>/PowerSignOptimizer`).

    >>> from minitf.contrib.opt import PowerSignOptimizer
    >>> w = tf.Variable([1.0])
    >>> opt = PowerSignOptimizer(learning_rate=0.1, base=2.0)
    >>> train = opt.minimize(tf.reduce_sum(w))  # g = 1, m = 0.1: signs agree
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     sess.run(train)  # w = 1 - 0.1 * 2 * 1
    ...     print(sess.run(w).round(6))
    [0.8]
    """

    def __init__(self, learning_rate=0.1, base=math.e, beta=0.9, sign_decay_fn=None,
                 use_locking=False, name="PowerSignOptimizer"):
        """Creates a PowerSign optimizer.

        Args:
          learning_rate: the learning rate (a float or scalar Tensor).
          base: the base of the gradient's scale (`base ** (sign_decay * sign(g m))`).
          beta: the decay rate of the moving average `m`.
          sign_decay_fn: a function of the global step returning the sign decay, or None
            for 1.
          use_locking: hold each variable's lock from reading it to writing it.
          name: the name scope of the update ops and the suffix of the slots' names.
        """
        super().__init__(learning_rate, beta, sign_decay_fn, use_locking, name)
        self._logbase = math.log(base)

    def _prepare_scale(self):
        self._logbase_t = convert_to_tensor(self._logbase, name="logbase")

    def _scale(self, decayed_sign, dtype):
        return math_ops.exp(math_ops.cast(self._logbase_t, dtype) * decayed_sign)
