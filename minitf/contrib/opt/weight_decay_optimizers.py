"""Decoupled weight decay (Loshchilov & Hutter, TF 1.15's weight_decay_optimizers.py):
`DecoupledWeightDecayExtension`, `extend_with_decoupled_weight_decay`, `AdamWOptimizer` and
`MomentumWOptimizer`.

Before each variable's update, and as a control dependency of it, the variable is decayed:
`var -= weight_decay * var` (an AssignSub; for a sparse gradient, only the rows it names are
decayed, by a ScatterAdd of `-weight_decay * var[rows]`). The base optimizer's update then
reads the decayed variable. The decay is not scaled by the learning rate, as in TF.
"""
from minitf.framework.api import control_dependencies
from minitf.framework.constant_op import convert_to_tensor
from minitf.ops import control_flow_ops, manip_ops, scatter_ops
from minitf.train.adam import AdamOptimizer
from minitf.train.momentum import MomentumOptimizer
from minitf.train.optimizer import Optimizer

__all__ = ["DecoupledWeightDecayExtension", "extend_with_decoupled_weight_decay",
           "AdamWOptimizer", "MomentumWOptimizer"]


class DecoupledWeightDecayExtension:
    """A mixin adding decoupled weight decay to an optimizer class (it must come first).

    `class AdamW(DecoupledWeightDecayExtension, tf.train.AdamOptimizer)` decays each variable
    by `weight_decay * var` just before the Adam update. `minimize` and `apply_gradients` take
    `decay_var_list`, the variables to decay (default, or an empty list: all).

    As in TF 1.15, `minimize(decay_var_list=...)` decays every variable all the same: its
    call of `apply_gradients` resets the list (TF's behaviour, kept for TF's values; pass the
    list to `apply_gradients` to decay only some variables).
    """

    def __init__(self, weight_decay, **kwargs):
        """Creates the extension, then the optimizer it extends.

        Args:
          weight_decay: the decay factor: a float, a scalar Tensor, or a function of no
            arguments returning one (called when `apply_gradients` builds the update).
          **kwargs: the arguments of the extended optimizer's constructor.
        """
        self._decay_var_list = None  # (set by minimize or apply_gradients)
        self._weight_decay = weight_decay
        self._weight_decay_tensor = None
        super().__init__(**kwargs)

    def minimize(self, loss, global_step=None, var_list=None,
                 gate_gradients=Optimizer.GATE_OP, aggregation_method=None,
                 colocate_gradients_with_ops=False, name=None, grad_loss=None,
                 decay_var_list=None):
        """Returns an op taking one step that lowers `loss`, decaying the variables first.

        Args:
          loss: a float scalar Tensor, or a function of no arguments returning one.
          global_step: a variable to add 1 to after the update, or None.
          var_list: the variables to update (default: the trainable variables).
          gate_gradients, aggregation_method, colocate_gradients_with_ops: accepted for TF
            compatibility; ignored.
          name: the name of the returned op (default: the optimizer's name).
          grad_loss: the gradient of the final objective with respect to `loss`, if not 1.
          decay_var_list: the variables to decay. As in TF 1.15, it has no effect here: every
            variable is decayed (see the class).

        Returns:
          An Operation that decays and updates the variables (and `global_step`).

        Raises:
          ValueError: as `Optimizer.minimize`.
        """
        self._decay_var_list = set(decay_var_list) if decay_var_list else False
        return super().minimize(loss, global_step=global_step, var_list=var_list,
                                gate_gradients=gate_gradients,
                                aggregation_method=aggregation_method,
                                colocate_gradients_with_ops=colocate_gradients_with_ops,
                                name=name, grad_loss=grad_loss)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None, decay_var_list=None):
        """Returns an op decaying the variables, then applying the gradients to them.

        Args:
          grads_and_vars: `(gradient, variable)` pairs, as `compute_gradients` returns them.
          global_step: a variable to add 1 to after the updates, or None.
          name: the name of the returned op (default: the optimizer's name).
          decay_var_list: the variables to decay (None or empty: all of them).

        Returns:
          An Operation that applies the decays and updates (then increments `global_step`).

        Raises:
          TypeError, ValueError: as `Optimizer.apply_gradients`.
        """
        self._decay_var_list = set(decay_var_list) if decay_var_list else False
        return super().apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def _prepare(self):
        weight_decay = self._weight_decay
        if callable(weight_decay):
            weight_decay = weight_decay()
        self._weight_decay_value = weight_decay
        self._weight_decay_tensor = convert_to_tensor(weight_decay, name="weight_decay")
        super()._prepare()

    def _decays(self, var):
        return not self._decay_var_list or var in self._decay_var_list

    def _decay_weights_op(self, var):
        if self._decays(var):
            return var.assign_sub(self._weight_decay_value * var.value(),
                                  use_locking=self._use_locking)
        return control_flow_ops.no_op()

    def _decay_weights_sparse_op(self, var, indices):
        if self._decays(var):
            update = -self._weight_decay_value * manip_ops.gather(var.value(), indices)
            return scatter_ops.scatter_add(var, indices, update, use_locking=self._use_locking)
        return control_flow_ops.no_op()

    def _apply_dense(self, grad, var):
        with control_dependencies([self._decay_weights_op(var)]):
            return super()._apply_dense(grad, var)

    def _apply_sparse(self, grad, var):
        with control_dependencies([self._decay_weights_sparse_op(var, grad.indices)]):
            return super()._apply_sparse(grad, var)


def extend_with_decoupled_weight_decay(base_optimizer):
    """Returns a subclass of `base_optimizer` with decoupled weight decay.

    The new class's constructor takes `weight_decay` first, then `base_optimizer`'s
    arguments; its `minimize` and `apply_gradients` take `decay_var_list`.
    `extend_with_decoupled_weight_decay(tf.train.AdamOptimizer)` is `AdamWOptimizer` but for
    the default name ("Adam").

    Args:
      base_optimizer: a subclass of `tf.train.Optimizer`.

    Returns:
      The class `OptimizerWithDecoupledWeightDecay`, a subclass of
      `DecoupledWeightDecayExtension` and `base_optimizer`.
    """
    class OptimizerWithDecoupledWeightDecay(DecoupledWeightDecayExtension, base_optimizer):
        """`base_optimizer`, each variable decayed by `weight_decay * var` before its update."""

        def __init__(self, weight_decay, **kwargs):
            """Creates the optimizer.

            Args:
              weight_decay: the decay factor (a float, Tensor or function returning one).
              **kwargs: `base_optimizer`'s arguments, by keyword (as in TF).
            """
            super().__init__(weight_decay, **kwargs)

    return OptimizerWithDecoupledWeightDecay


class MomentumWOptimizer(DecoupledWeightDecayExtension, MomentumOptimizer):
    """Momentum with decoupled weight decay (SGDW, `tf.contrib.opt.MomentumWOptimizer`).

    Each step does `var -= weight_decay * var`, then the momentum update (which reads the
    decayed variable): `accum = momentum * accum + grad; var -= learning_rate * accum`. The
    slot is "momentum" (`<var>/MomentumW`).

    >>> from minitf.contrib.opt import MomentumWOptimizer
    >>> w = tf.Variable([1.0])
    >>> opt = MomentumWOptimizer(0.5, learning_rate=0.25, momentum=0.9)
    >>> train = opt.minimize(tf.reduce_sum(w))  # the gradient is 1
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     sess.run(train)  # w = 1 - 0.5 * 1 - 0.25 * 1
    ...     print(sess.run(w))
    [0.25]
    """

    def __init__(self, weight_decay, learning_rate, momentum, use_locking=False,
                 name="MomentumW", use_nesterov=False):
        """Creates a MomentumW optimizer.

        Args:
          weight_decay: the decay factor (a float, Tensor or function returning one).
          learning_rate: the learning rate (a float, Tensor or function returning one).
          momentum: the momentum, given like `learning_rate`.
          use_locking: hold each variable's lock from reading it to writing it.
          name: the name scope of the update ops and the suffix of the slots' names.
          use_nesterov: whether to use Nesterov momentum.
        """
        super().__init__(weight_decay, learning_rate=learning_rate, momentum=momentum,
                         use_locking=use_locking, name=name, use_nesterov=use_nesterov)


class AdamWOptimizer(DecoupledWeightDecayExtension, AdamOptimizer):
    """Adam with decoupled weight decay (`tf.contrib.opt.AdamWOptimizer`).

    Each step does `var -= weight_decay * var`, then TF1's Adam update (see
    `tf.train.AdamOptimizer`) of the decayed variable. The slots are "m" and "v"
    (`<var>/AdamW`, `<var>/AdamW_1`); `beta1_power` and `beta2_power` are shared.

    >>> from minitf.contrib.opt import AdamWOptimizer
    >>> w = tf.Variable([1.0])
    >>> opt = AdamWOptimizer(0.1, learning_rate=0.5)
    >>> train = opt.minimize(tf.reduce_sum(w))
    >>> sorted(v.op.name for v in opt.variables())
    ['Variable/AdamW', 'Variable/AdamW_1', 'beta1_power', 'beta2_power']
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     sess.run(train)  # w = 0.9 - about learning_rate
    ...     print(round(float(sess.run(w)[0]), 4))
    0.4
    """

    def __init__(self, weight_decay, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="AdamW"):
        """Creates an AdamW optimizer.

        Args:
          weight_decay: the decay factor (a float, Tensor or function returning one).
          learning_rate: the learning rate.
          beta1: the decay rate of the first-moment estimates.
          beta2: the decay rate of the second-moment estimates.
          epsilon: a small constant for numerical stability (the paper's "epsilon hat").
          use_locking: hold each variable's lock from reading it to writing it.
          name: the name scope of the update ops and the suffix of the slots' names.
        """
        super().__init__(weight_decay, learning_rate=learning_rate, beta1=beta1, beta2=beta2,
                         epsilon=epsilon, use_locking=use_locking, name=name)
