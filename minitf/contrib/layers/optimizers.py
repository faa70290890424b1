"""`tf.contrib.layers.optimize_loss` (TF 1.15): one call from a loss to a training op.

It makes the optimizer (by name, class, instance or factory), optional learning-rate decay,
gradient clipping and summaries, then returns the loss made to depend on the update (which
increments `global_step`): `sess.run(train_op)` trains one step and returns the loss.
"""
import functools

from minitf import summary_ops
from minitf.framework.api import control_dependencies, name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.framework.indexed_slices import IndexedSlices
from minitf.framework.ops import Tensor
from minitf.initializers import constant_initializer
from minitf.ops import array_ops, clip_ops
from minitf.train.adagrad import AdagradOptimizer
from minitf.train.adam import AdamOptimizer
from minitf.train.ftrl import FtrlOptimizer
from minitf.train.gradient_descent import GradientDescentOptimizer
from minitf.train.momentum import MomentumOptimizer
from minitf.train.optimizer import Optimizer
from minitf.train.rmsprop import RMSPropOptimizer
from minitf.train.step_util import assert_global_step
from minitf.train.training_util import get_global_step
from minitf.variable_ops import trainable_variables
from minitf.variable_scope import get_variable, variable_scope

__all__ = ["optimize_loss", "OPTIMIZER_CLS_NAMES", "OPTIMIZER_SUMMARIES"]

OPTIMIZER_CLS_NAMES = {
    "Adagrad": AdagradOptimizer,
    "Adam": AdamOptimizer,
    "Ftrl": FtrlOptimizer,
    "Momentum": functools.partial(MomentumOptimizer, momentum=0.9),
    "RMSProp": RMSPropOptimizer,
    "SGD": GradientDescentOptimizer,
}

OPTIMIZER_SUMMARIES = ["learning_rate", "loss", "gradients", "gradient_norm",
                       "global_gradient_norm"]


def _with_dependencies(dependencies, output):
    with name_scope(None, "control_dependency", [output]) as scope:
        with control_dependencies(dependencies):
            return array_ops.identity(output, name=scope)


def _learning_rate(learning_rate):
    if learning_rate is None:
        return None
    if isinstance(learning_rate, Tensor) and learning_rate.shape.ndims == 0:
        return learning_rate
    if isinstance(learning_rate, float):
        if learning_rate < 0.0:
            raise ValueError(f"Invalid learning_rate {learning_rate}.")
        return get_variable("learning_rate", [], trainable=False,
                            initializer=constant_initializer(learning_rate))
    raise ValueError(f"Learning rate should be 0d Tensor or float. Got {learning_rate} of type "
                     f"{type(learning_rate)}")


def _make_optimizer(optimizer, lr, learning_rate):
    if isinstance(optimizer, str):
        if lr is None:
            raise ValueError("Learning rate is None, but should be specified if optimizer is "
                             f"string ({optimizer}).")
        if optimizer not in OPTIMIZER_CLS_NAMES:
            raise ValueError(f"Optimizer name should be one of [{', '.join(OPTIMIZER_CLS_NAMES)}"
                             f"], you provided {optimizer}.")
        return OPTIMIZER_CLS_NAMES[optimizer](learning_rate=lr)
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        if lr is None:
            raise ValueError("Learning rate is None, but should be specified if optimizer is "
                             f"class ({optimizer}).")
        return optimizer(learning_rate=lr)
    if isinstance(optimizer, Optimizer):
        return optimizer
    if callable(optimizer):
        opt = optimizer(lr) if learning_rate is not None else optimizer()
        if not isinstance(opt, Optimizer):
            raise ValueError("Unrecognized optimizer: function should return subclass of "
                             f"Optimizer. Got {opt}.")
        return opt
    raise ValueError("Unrecognized optimizer: should be string, subclass of Optimizer, "
                     "instance of subclass of Optimizer or function with one argument. Got "
                     f"{optimizer}.")


def _clip(gradients, clip_gradients):
    if isinstance(clip_gradients, float):
        grads, variables = zip(*gradients)
        clipped, _ = clip_ops.clip_by_global_norm(list(grads), clip_gradients)
        return list(zip(clipped, variables))
    if callable(clip_gradients):
        return clip_gradients(gradients)
    if clip_gradients is not None:
        raise ValueError(f"Unknown type {type(clip_gradients)} for clip_gradients")
    return gradients


def _multiply(gradients, multipliers):
    out = []
    for grad, var in gradients:
        key = var if var in multipliers else var.op.name
        if grad is not None and key in multipliers:
            scale = convert_to_tensor(multipliers[key], grad.dtype.base_dtype)
            grad = (IndexedSlices(grad.values * scale, grad.indices, grad.dense_shape)
                    if isinstance(grad, IndexedSlices) else grad * scale)
        out.append((grad, var))
    return out


def _check_summaries(summaries):
    if summaries is None:
        return ["loss", "learning_rate", "global_gradient_norm"]
    for summ in summaries:
        if summ not in OPTIMIZER_SUMMARIES:
            raise ValueError(f"Summaries should be one of [{', '.join(OPTIMIZER_SUMMARIES)}], "
                             f"you provided {summ}.")
    return summaries


def _gradient_summaries(gradients, summaries):
    for grad, var in gradients:
        values = grad.values if isinstance(grad, IndexedSlices) else grad
        if values is None:
            continue
        var_name = var.name.replace(":", "_")
        if "gradients" in summaries:
            summary_ops.histogram(f"gradients/{var_name}", values)
        if "gradient_norm" in summaries:
            summary_ops.scalar(f"gradient_norm/{var_name}", clip_ops.global_norm([values]))


def _global_norm_summary(tag, gradients, summaries):
    if "global_gradient_norm" in summaries or "gradient_norm" in summaries:
        summary_ops.scalar(tag, clip_ops.global_norm([g for g, _ in gradients]))


def optimize_loss(loss, global_step, learning_rate, optimizer, gradient_noise_scale=None,
                  gradient_multipliers=None, clip_gradients=None, learning_rate_decay_fn=None,
                  update_ops=None, variables=None, name=None, summaries=None,
                  colocate_gradients_with_ops=False, increment_global_step=True):
    """Returns a training op: the loss, after one optimizer update of `variables`.

    Args:
      loss: a scalar Tensor.
      global_step: the global step variable (None: the graph's, if any), incremented by each
        update when `increment_global_step`.
      learning_rate: a float (kept in a non-trainable variable "learning_rate"), a scalar
        Tensor, or None when `optimizer` is an instance or a factory of no argument.
      optimizer: a name ("SGD", "Adam", "Adagrad", "Momentum" (0.9), "RMSProp", "Ftrl"), an
        Optimizer subclass, an instance, or a function `lr -> Optimizer`.
      gradient_noise_scale: must be None (gradient noise is not built).
      gradient_multipliers: {variable or its name: factor} scaling its gradient.
      clip_gradients: a float (clip by global norm) or a function of the (gradient, variable)
        list.
      learning_rate_decay_fn: a function `(lr, global_step) -> decayed lr`.
      update_ops: ops to run before the loss (default: the UPDATE_OPS collection).
      variables: the variables to train (default: every trainable one).
      name: the variable scope's name (default "OptimizeLoss").
      summaries: which of OPTIMIZER_SUMMARIES to write (default loss, learning_rate,
        global_gradient_norm).
      colocate_gradients_with_ops: passed to compute_gradients.
      increment_global_step: whether the update increments `global_step`.

    Returns:
      A Tensor: the loss, depending on the update.

    Raises:
      ValueError: an argument is invalid (learning rate, optimizer, summaries, clipping, or a
        decay function without a global step).
      TypeError: `global_step` is not a scalar integer variable.
      NotImplementedError: `gradient_noise_scale` is given.
    """
    if gradient_noise_scale is not None:
        raise NotImplementedError("minitf's optimize_loss has no gradient_noise_scale")
    loss = convert_to_tensor(loss)
    if loss.shape.ndims not in (None, 0):
        raise ValueError(f"Expected scalar shape for {loss.name}, saw shape: {loss.shape}.")
    if global_step is None:
        global_step = get_global_step()
    else:
        assert_global_step(global_step)
    with variable_scope(name, "OptimizeLoss", [loss, global_step]):
        if update_ops is None:
            update_ops = set(get_default_graph().get_collection(GraphKeys.UPDATE_OPS))
        if update_ops:
            loss = _with_dependencies(list(update_ops), loss)
        lr = _learning_rate(learning_rate)
        summaries = _check_summaries(summaries)
        if learning_rate is not None and learning_rate_decay_fn is not None:
            if global_step is None:
                raise ValueError("global_step is required for learning_rate_decay_fn.")
            lr = learning_rate_decay_fn(lr, global_step)
            if "learning_rate" in summaries:
                summary_ops.scalar("learning_rate", lr)
        opt = _make_optimizer(optimizer, lr, learning_rate)
        if variables is None:
            variables = trainable_variables()
        gradients = opt.compute_gradients(
            loss, variables, colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gradient_multipliers is not None:
            gradients = _multiply(gradients, gradient_multipliers)
            if not gradients:
                raise ValueError("Empty list of (gradient, var) pairs encountered.")
        _global_norm_summary("global_norm/gradient_norm", gradients, summaries)
        gradients = _clip(gradients, clip_gradients)
        if "loss" in summaries:
            summary_ops.scalar("loss", loss)
        _gradient_summaries(gradients, summaries)
        if clip_gradients is not None:
            _global_norm_summary("global_norm/clipped_gradient_norm", gradients, summaries)
        update = opt.apply_gradients(
            gradients, global_step=global_step if increment_global_step else None, name="train")
        return _with_dependencies([update], loss)


