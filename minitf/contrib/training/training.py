"""The training loop of `tf.contrib.training` (TF 1.15): `create_train_op`, which turns a loss
and an optimizer into a train op returning the loss, the gradient transforms it may apply
(`clip_gradient_norms`, `multiply_gradients`), their summaries, and `train`, a
MonitoredTrainingSession loop."""
import minitf as tf
from minitf import tf_logging as logging
from minitf.framework.graph_keys import GraphKeys
from minitf.framework.indexed_slices import IndexedSlices
from minitf.train.optimizer import Optimizer

__all__ = ["add_gradients_summaries", "clip_gradient_norms", "clip_gradient_norms_fn",
           "create_train_op", "multiply_gradients", "train"]

# passed as `global_step`: use (or make) the graph's global step
_USE_GLOBAL_STEP = 0


def add_gradients_summaries(grads_and_vars):
    """Adds a histogram and a norm summary of each gradient (`tf.contrib.training`).

    The summaries are named `<variable op name>_gradient` and `<variable op name>_gradient_norm`;
    a variable without a gradient is only logged.

    Args:
      grads_and_vars: a list of (gradient, variable) pairs.

    Returns:
      The list of the summary tensors added.
    """
    summaries = []
    for grad, var in grads_and_vars:
        if grad is None:
            logging.info("Var %s has no gradient", var.op.name)
            continue
        values = grad.values if isinstance(grad, IndexedSlices) else grad
        summaries.append(tf.summary.histogram(var.op.name + "_gradient", values))
        summaries.append(tf.summary.scalar(var.op.name + "_gradient_norm",
                                           tf.global_norm([values])))
    return summaries


def clip_gradient_norms(gradients_to_variables, max_norm):
    """Clips each gradient to the L2 norm `max_norm` (`tf.clip_by_norm`, one per gradient).

    Args:
      gradients_to_variables: a list of (gradient, variable) pairs; None gradients stay.
      max_norm: the largest norm a gradient keeps.

    Returns:
      The list of (clipped gradient, variable) pairs.
    """
    clipped = []
    for grad, var in gradients_to_variables:
        if grad is not None:
            if isinstance(grad, IndexedSlices):
                values = tf.clip_by_norm(grad.values, max_norm)
                grad = IndexedSlices(values, grad.indices, grad.dense_shape)
            else:
                grad = tf.clip_by_norm(grad, max_norm)
        clipped.append((grad, var))
    return clipped


def clip_gradient_norms_fn(max_norm):
    """Returns a `transform_grads_fn` clipping each gradient to `max_norm`.

    Args:
      max_norm: the largest norm a gradient keeps.

    Returns:
      A function from a list of (gradient, variable) pairs to the clipped list.
    """
    def clip_norms(gradients_to_variables):
        return clip_gradient_norms(gradients_to_variables, max_norm)
    return clip_norms


def multiply_gradients(grads_and_vars, gradient_multipliers):
    """Multiplies the gradients of some variables by their factors (`tf.contrib.training`).

    Args:
      grads_and_vars: a list of (gradient, variable) pairs.
      gradient_multipliers: a dict from a variable, or its op name, to a float or a tensor.

    Returns:
      The list of (gradient, variable) pairs, the named ones multiplied.

    Raises:
      ValueError: `grads_and_vars` is not a list, `gradient_multipliers` is empty, or the
        gradient of a variable to multiply is None.
    """
    if not isinstance(grads_and_vars, list):
        raise ValueError("`grads_and_vars` must be a list.")
    if not gradient_multipliers:
        raise ValueError("`gradient_multipliers` is empty.")
    multiplied = []
    for grad, var in grads_and_vars:
        key = var if var in gradient_multipliers else var.op.name
        if key in gradient_multipliers:
            if grad is None:
                raise ValueError("Requested multiple of `None` gradient.")
            multiplier = gradient_multipliers[key]
            if not isinstance(multiplier, tf.Tensor):
                multiplier = tf.constant(multiplier, dtype=grad.dtype)
            if isinstance(grad, IndexedSlices):
                grad = IndexedSlices(grad.values * multiplier, grad.indices, grad.dense_shape)
            else:
                grad = grad * multiplier
        multiplied.append((grad, var))
    return multiplied


def create_train_op(total_loss, optimizer, global_step=_USE_GLOBAL_STEP, update_ops=None,
                    variables_to_train=None, transform_grads_fn=None, summarize_gradients=False,
                    gate_gradients=Optimizer.GATE_OP, aggregation_method=None,
                    colocate_gradients_with_ops=False, check_numerics=True):
    """Returns a tensor that runs one training step and evaluates to the loss.

    The loss is computed after `update_ops` (default: the UPDATE_OPS collection; a warning
    when they leave some of it out); its gradients, transformed by `transform_grads_fn`, are
    applied by `optimizer`, which increments `global_step`. The op is added to the TRAIN_OP
    collection.

    Args:
      total_loss: the scalar loss tensor.
      optimizer: the tf.train.Optimizer.
      global_step: the step variable to increment (default: the graph's, made if missing);
        None: no step is incremented.
      update_ops: the ops to run before the loss (default: the UPDATE_OPS collection).
      variables_to_train: the trainable variables to update (default: all of them).
      transform_grads_fn: a function applied to the list of (gradient, variable) pairs.
      summarize_gradients: whether to add the gradient summaries.
      gate_gradients: passed to `compute_gradients`.
      aggregation_method: passed to `compute_gradients`.
      colocate_gradients_with_ops: passed to `compute_gradients`.
      check_numerics: whether running the op fails on a NaN or Inf loss
        (InvalidArgumentError "LossTensor is inf or nan").

    Returns:
      The loss tensor that also runs the training step.

    Raises:
      ValueError: there are no variables to train, or one is not trainable.
    """
    if global_step is _USE_GLOBAL_STEP:
        global_step = tf.train.get_or_create_global_step()
    graph_update_ops = set(tf.get_collection(GraphKeys.UPDATE_OPS))
    update_ops = graph_update_ops if update_ops is None else set(update_ops)
    if not graph_update_ops.issubset(update_ops):
        logging.warning("update_ops in create_train_op does not contain all the update_ops "
                        "in GraphKeys.UPDATE_OPS")
    if update_ops:  # the loss is computed after the update ops
        with tf.control_dependencies(sorted(update_ops, key=lambda op: op.name)):
            barrier = tf.no_op(name="update_barrier")
        with tf.control_dependencies([barrier]):
            total_loss = tf.identity(total_loss)
    trainable = tf.trainable_variables()
    if variables_to_train is None:
        variables_to_train = trainable
    else:  # (TF asserts)
        for var in variables_to_train:
            if not (getattr(var, "trainable", False) or any(var is v for v in trainable)):
                raise ValueError(f"Variable {var.op.name} is not trainable.")
    if not variables_to_train:
        raise ValueError("No variables to train.")
    grads = optimizer.compute_gradients(
        total_loss, variables_to_train, gate_gradients=gate_gradients,
        aggregation_method=aggregation_method,
        colocate_gradients_with_ops=colocate_gradients_with_ops)
    if transform_grads_fn:
        grads = transform_grads_fn(grads)
    if summarize_gradients:
        with tf.name_scope("summarize_grads"):
            add_gradients_summaries(grads)
    grad_updates = optimizer.apply_gradients(grads, global_step=global_step)
    with tf.name_scope("train_op"):
        if check_numerics:
            total_loss = tf.check_numerics(total_loss, "LossTensor is inf or nan")
        with tf.control_dependencies([grad_updates]):
            train_op = tf.identity(total_loss, name="control_dependency")
    train_ops = tf.get_collection_ref(GraphKeys.TRAIN_OP)
    if not any(op is train_op for op in train_ops):
        train_ops.append(train_op)
    return train_op


def train(train_op, logdir, master="", is_chief=True, scaffold=None, hooks=None,
          chief_only_hooks=None, save_checkpoint_secs=600, save_summaries_steps=100,
          config=None, max_wait_secs=7200, run_metadata=None):
    """Runs `train_op` in a MonitoredTrainingSession until a hook stops it.

    Args:
      train_op: the tensor to run each step (from `create_train_op`).
      logdir: the directory of the checkpoints and summaries (None: none).
      master: the target (accepted; minitf runs in process).
      is_chief: whether this process initializes, restores and saves the model.
      scaffold: the Scaffold (default: a new one).
      hooks: SessionRunHooks, e.g. a tf.train.StopAtStepHook: with none that stops, the loop
        runs for ever.
      chief_only_hooks: SessionRunHooks for the chief only.
      save_checkpoint_secs: seconds between checkpoints (None or 0: none).
      save_summaries_steps: steps between summaries (None or 0: none).
      config: accepted (a ConfigProto).
      max_wait_secs: how long a non-chief waits for the model.
      run_metadata: a RunMetadata passed to each run.

    Returns:
      The value of `train_op` at the last step, or None if no step ran.

    Raises:
      ValueError: `logdir` is None for a chief that saves summaries or checkpoints.
    """
    if logdir is None and is_chief:
        if save_summaries_steps:
            raise ValueError("logdir cannot be None when save_summaries_steps is not None")
        if save_checkpoint_secs:
            raise ValueError("logdir cannot be None when save_checkpoint_secs is not None")
    with tf.train.MonitoredTrainingSession(
            master=master, is_chief=is_chief, checkpoint_dir=logdir, scaffold=scaffold,
            hooks=hooks, chief_only_hooks=chief_only_hooks,
            save_checkpoint_secs=save_checkpoint_secs,
            save_summaries_steps=save_summaries_steps, config=config,
            max_wait_secs=max_wait_secs) as session:
        loss = None
        while not session.should_stop():
            loss = session.run(train_op, run_metadata=run_metadata)
    return loss
