"""`slim.learning` (TF 1.15): slim's `create_train_op` (contrib.training's, with gradient
multipliers and norm clipping) and `train`, the tf.train.Supervisor loop that calls
`train_step` until `number_of_steps` and saves a last checkpoint to `logdir`."""
import os
import sys
import time
import warnings

import minitf as tf
from minitf import tf_logging as logging
from minitf.contrib.training import training as _training
from minitf.contrib.training.training import (
    add_gradients_summaries,
    clip_gradient_norms,
    multiply_gradients,
)
from minitf.framework import errors
from minitf.train.optimizer import Optimizer

__all__ = ["add_gradients_summaries", "clip_gradient_norms", "create_train_op",
           "multiply_gradients", "train", "train_step"]

_USE_DEFAULT = 0
_USE_GLOBAL_STEP = _training._USE_GLOBAL_STEP


def create_train_op(total_loss, optimizer, global_step=_USE_GLOBAL_STEP, update_ops=None,
                    variables_to_train=None, clip_gradient_norm=0, summarize_gradients=False,
                    gate_gradients=Optimizer.GATE_OP, aggregation_method=None,
                    colocate_gradients_with_ops=False, gradient_multipliers=None,
                    check_numerics=True):
    """Returns a tensor that runs one training step and evaluates to the loss (`slim`).

    As `tf.contrib.training.create_train_op`, the gradients first multiplied by
    `gradient_multipliers`, then each clipped to `clip_gradient_norm`.

    Args:
      total_loss: the scalar loss tensor.
      optimizer: the tf.train.Optimizer.
      global_step: the step variable to increment (default: the graph's, made if missing);
        None: no step is incremented.
      update_ops: the ops to run before the loss (default: the UPDATE_OPS collection).
      variables_to_train: the trainable variables to update (default: all of them).
      clip_gradient_norm: clip each gradient to this norm if positive.
      summarize_gradients: whether to add the gradient summaries.
      gate_gradients: passed to `compute_gradients`.
      aggregation_method: passed to `compute_gradients`.
      colocate_gradients_with_ops: passed to `compute_gradients`.
      gradient_multipliers: a dict from a variable, or its op name, to a factor of its
        gradient.
      check_numerics: whether running the op fails on a NaN or Inf loss.

    Returns:
      The loss tensor that also runs the training step.
    """
    def transform_grads_fn(grads):
        if gradient_multipliers:
            with tf.name_scope("multiply_grads"):
                grads = multiply_gradients(grads, gradient_multipliers)
        if clip_gradient_norm > 0:
            with tf.name_scope("clip_grads"):
                grads = clip_gradient_norms(grads, clip_gradient_norm)
        return grads

    return _training.create_train_op(
        total_loss=total_loss, optimizer=optimizer, global_step=global_step,
        update_ops=update_ops, variables_to_train=variables_to_train,
        transform_grads_fn=transform_grads_fn, summarize_gradients=summarize_gradients,
        gate_gradients=gate_gradients, aggregation_method=aggregation_method,
        colocate_gradients_with_ops=colocate_gradients_with_ops,
        check_numerics=check_numerics)


def _wait_for_step(sess, global_step, step):
    """Waits until the global step reaches `step`."""
    while tf.train.global_step(sess, global_step) < step:
        time.sleep(1.0)


def train_step(sess, train_op, global_step, train_step_kwargs):
    """Runs one training step; `slim.learning.train`'s default `train_step_fn`.

    `train_step_kwargs` may hold `should_stop` and `should_log` (boolean tensors read after
    the step), `should_trace` with `logdir` (write a Chrome trace `tf_trace-<step>.json`), and
    `summary_writer` (which also gets the traced run metadata).

    Args:
      sess: the Session.
      train_op: the tensor to run (from `create_train_op`).
      global_step: the global step tensor.
      train_step_kwargs: the dict above.

    Returns:
      (the value of `train_op`, whether training should stop).

    Raises:
      ValueError: `should_trace` is given without `logdir`.
    """
    start_time = time.time()
    options = run_metadata = None
    if "should_trace" in train_step_kwargs:
        if "logdir" not in train_step_kwargs:
            raise ValueError("logdir must be present in train_step_kwargs when should_trace "
                             "is present")
        if sess.run(train_step_kwargs["should_trace"]):
            options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
            run_metadata = tf.RunMetadata()
    total_loss, np_global_step = sess.run([train_op, global_step], options=options,
                                          run_metadata=run_metadata)
    time_elapsed = time.time() - start_time
    if run_metadata is not None:
        from minitf.timeline import Timeline
        trace = Timeline(run_metadata.step_stats).generate_chrome_trace_format()
        trace_filename = os.path.join(train_step_kwargs["logdir"],
                                      f"tf_trace-{int(np_global_step)}.json")
        logging.info("Writing trace to %s", trace_filename)
        with open(trace_filename, "w") as f:
            f.write(trace)
        if train_step_kwargs.get("summary_writer") is not None:
            train_step_kwargs["summary_writer"].add_run_metadata(
                run_metadata, f"run_metadata-{int(np_global_step)}")
    if "should_log" in train_step_kwargs and sess.run(train_step_kwargs["should_log"]):
        logging.info("global step %d: loss = %.4f (%.3f sec/step)", np_global_step,
                     total_loss, time_elapsed)
    should_stop = False
    if "should_stop" in train_step_kwargs:  # read after the step (TF's comment: not fused)
        should_stop = bool(sess.run(train_step_kwargs["should_stop"]))
    return total_loss, should_stop


def train(train_op, logdir, train_step_fn=train_step, train_step_kwargs=_USE_DEFAULT,
          log_every_n_steps=1, graph=None, master="", is_chief=True, global_step=None,
          number_of_steps=None, init_op=_USE_DEFAULT, init_feed_dict=None,
          local_init_op=_USE_DEFAULT, init_fn=None, ready_op=_USE_DEFAULT,
          summary_op=_USE_DEFAULT, save_summaries_secs=600, summary_writer=_USE_DEFAULT,
          startup_delay_steps=0, saver=None, save_interval_secs=600, sync_optimizer=None,
          session_config=None, session_wrapper=None, trace_every_n_steps=None,
          ignore_live_threads=False):
    """Runs a training loop under a tf.train.Supervisor (`slim.learning.train`).

    The supervisor restores the newest checkpoint of `logdir` or initializes the model; the
    chief (with a logdir) runs its summary and checkpoint threads. `train_step_fn` runs until
    it says to stop (by default: once the global step reaches `number_of_steps`), the
    supervisor stops, or an OutOfRangeError ends the input. Then the chief saves a last
    checkpoint `logdir/model.ckpt-<step>`. An AbortedError restarts the loop.

    Args:
      train_op: the tensor to run each step (from `create_train_op`).
      logdir: the directory of the checkpoints and events (None: none are written).
      train_step_fn: `fn(sess, train_op, global_step, train_step_kwargs)` returning
        (loss, should_stop).
      train_step_kwargs: its last argument (default: `should_stop`, `should_log` and, for a
        tracing chief, `should_trace` and `logdir`, plus `summary_writer`).
      log_every_n_steps: log the loss every this many steps (0: never).
      graph: the Graph (default: the default graph).
      master: the target (accepted; minitf runs in process).
      is_chief: whether this process initializes, restores and saves the model.
      global_step: the global step tensor (default: the graph's, made if missing).
      number_of_steps: the global step to stop at (None: no limit).
      init_op: the initializer (default: `tf.global_variables_initializer()`).
      init_feed_dict: its feed_dict.
      local_init_op: run in every session (default: the local variables' and tables'
        initializers).
      init_fn: `init_fn(sess)`, called after `init_op`.
      ready_op: the readiness check (default: `tf.report_uninitialized_variables()`).
      summary_op: the summaries to write (default: `tf.summary.merge_all()`; None: none).
      save_summaries_secs: seconds between summaries.
      summary_writer: the FileWriter (default: one for `logdir`; None: no events).
      startup_delay_steps: a non-chief waits for the global step to reach this.
      saver: the Saver (default: a new `tf.train.Saver()`).
      save_interval_secs: seconds between checkpoints.
      sync_optimizer: a SyncReplicasOptimizer or a list of them (not supported by minitf:
        must be None).
      session_config: accepted (a ConfigProto).
      session_wrapper: a function wrapping the session before training.
      trace_every_n_steps: write a Chrome trace every this many steps (chief only).
      ignore_live_threads: whether `stop` ignores threads that do not end in time.

    Returns:
      The loss of the last step (None if no step ran).

    Raises:
      ValueError: `train_op` is None; `logdir` is None with a `summary_op`, `saver` or
        `trace_every_n_steps`; `number_of_steps` is not positive; `startup_delay_steps` with
        a `sync_optimizer`.
      NotImplementedError: a `sync_optimizer` is given.
    """
    if train_op is None:
        raise ValueError("train_op cannot be None.")
    if logdir is None:
        if summary_op != _USE_DEFAULT:
            raise ValueError("Cannot provide summary_op because logdir=None")
        if saver is not None:
            raise ValueError("Cannot provide saver because logdir=None")
        if trace_every_n_steps is not None:
            raise ValueError("Cannot provide trace_every_n_steps because logdir=None")
    if sync_optimizer is not None and startup_delay_steps > 0:
        raise ValueError("startup_delay_steps must be zero when sync_optimizer is supplied.")
    if number_of_steps is not None and number_of_steps <= 0:
        raise ValueError("`number_of_steps` must be either None or a positive number.")
    if sync_optimizer is not None:
        raise NotImplementedError("minitf has no tf.train.SyncReplicasOptimizer: "
                                  "sync_optimizer must be None.")
    graph = graph or tf.get_default_graph()
    with graph.as_default():
        if global_step is None:
            global_step = tf.train.get_or_create_global_step()
        saver = saver or tf.train.Saver()
        with tf.name_scope("init_ops"):
            if init_op == _USE_DEFAULT:
                init_op = tf.global_variables_initializer()
            if ready_op == _USE_DEFAULT:
                ready_op = tf.report_uninitialized_variables()
            if local_init_op == _USE_DEFAULT:
                local_init_op = tf.group(tf.local_variables_initializer(),
                                         tf.tables_initializer())
        if summary_op == _USE_DEFAULT:
            summary_op = tf.summary.merge_all()
        if summary_writer == _USE_DEFAULT:
            summary_writer = tf.train.Supervisor.USE_DEFAULT
        if train_step_kwargs == _USE_DEFAULT:
            with tf.name_scope("train_step"):
                train_step_kwargs = {}
                if number_of_steps:
                    should_stop_op = tf.greater_equal(global_step, number_of_steps)
                else:
                    should_stop_op = tf.constant(False)
                train_step_kwargs["should_stop"] = should_stop_op
                if log_every_n_steps > 0:
                    train_step_kwargs["should_log"] = tf.equal(
                        tf.mod(global_step, log_every_n_steps), 0)
                if is_chief and trace_every_n_steps is not None:
                    train_step_kwargs["should_trace"] = tf.equal(
                        tf.mod(global_step, trace_every_n_steps), 0)
                    train_step_kwargs["logdir"] = logdir
    sv = tf.train.Supervisor(
        graph=graph, is_chief=is_chief, logdir=logdir, init_op=init_op,
        init_feed_dict=init_feed_dict, local_init_op=local_init_op,
        ready_for_local_init_op=None, ready_op=ready_op, summary_op=summary_op,
        summary_writer=summary_writer, global_step=global_step, saver=saver,
        save_summaries_secs=save_summaries_secs, save_model_secs=save_interval_secs,
        init_fn=init_fn)
    if summary_writer is not None:
        train_step_kwargs["summary_writer"] = sv.summary_writer
    total_loss = None
    should_retry = True
    while should_retry:
        try:
            should_retry = False
            # as TF's, managed_session's exit stops the supervisor again, after the stop
            # below closed the writer: TF's FileWriter then warns of its use once closed
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "Attempting to use a closed FileWriter")
                with sv.managed_session(master, start_standard_services=False,
                                        config=session_config) as sess:
                    logging.info("Starting Session.")
                    if session_wrapper is not None:
                        logging.info("Wrapping session with wrapper function: %s", session_wrapper)
                        sess = session_wrapper(sess)
                    if is_chief:
                        if logdir:
                            sv.start_standard_services(sess)
                    elif startup_delay_steps > 0:
                        _wait_for_step(sess, global_step,
                                       min(startup_delay_steps, number_of_steps or sys.maxsize))
                    threads = sv.start_queue_runners(sess)
                    logging.info("Starting Queues.")
                    try:
                        while not sv.should_stop():
                            total_loss, should_stop = train_step_fn(sess, train_op, global_step,
                                                                    train_step_kwargs)
                            if should_stop:
                                logging.info("Stopping Training.")
                                sv.request_stop()
                                break
                    except errors.OutOfRangeError as e:
                        logging.info("Caught OutOfRangeError. Stopping Training. %s", e)
                    if logdir and sv.is_chief:
                        logging.info("Finished training! Saving model to disk.")
                        sv.saver.save(sess, sv.save_path, global_step=sv.global_step)
                        sv.stop(threads, close_summary_writer=True,
                                ignore_live_threads=ignore_live_threads)
        except errors.AbortedError:  # a restarted server: TF always retries
            logging.info("Retrying training!")
            should_retry = True
    return total_loss
