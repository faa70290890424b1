"""The evaluation loops of `tf.contrib.training` (TF 1.15): `evaluate_once` restores a
checkpoint and runs the eval ops until a hook (`StopAfterNEvalsHook`) stops, then the final
ops; `evaluate_repeatedly` does so for each new checkpoint of a directory. The eval step is
a local int64 variable in the EVAL_STEP collection, incremented by each run of the eval ops."""
import time

import minitf as tf
from minitf import tf_logging as logging
from minitf.framework.graph_keys import GraphKeys
from minitf.summary_writer import FileWriterCache
from minitf.train import checkpoint_management as _ckpt
from minitf.train.basic_session_run_hooks import FinalOpsHook
from minitf.train.checkpoint_management import checkpoints_iterator
from minitf.train.session_run_hook import SessionRunArgs, SessionRunHook

__all__ = ["StopAfterNEvalsHook", "SummaryAtEndHook", "checkpoints_iterator",
           "evaluate_once", "evaluate_repeatedly", "get_or_create_eval_step",
           "wait_for_new_checkpoint"]


def wait_for_new_checkpoint(checkpoint_dir, last_checkpoint=None, seconds_to_sleep=1,
                            timeout=None):
    """Waits for the newest checkpoint of a directory to differ from `last_checkpoint`.

    Args:
      checkpoint_dir: the directory.
      last_checkpoint: the prefix of the last checkpoint seen (None: any will do).
      seconds_to_sleep: seconds between checks.
      timeout: the most seconds to wait (None: for ever).

    Returns:
      The new checkpoint's prefix, or None on timeout.
    """
    return _ckpt._wait_for_new_checkpoint(checkpoint_dir, last_checkpoint,
                                          seconds_to_sleep=seconds_to_sleep, timeout=timeout)


def get_or_create_eval_step():
    """Returns the graph's eval step: the EVAL_STEP collection's, or a new one.

    A new one is the local int64 scalar variable `eval_step`, starting at 0.

    Returns:
      The eval step variable.

    Raises:
      ValueError: the EVAL_STEP collection holds more than one tensor.
    """
    eval_steps = tf.get_collection(GraphKeys.EVAL_STEP)
    if len(eval_steps) == 1:
        return eval_steps[0]
    if len(eval_steps) > 1:
        raise ValueError("Multiple tensors added to tf.GraphKeys.EVAL_STEP")
    return tf.get_variable("eval_step", shape=[], dtype=tf.int64,
                           initializer=tf.zeros_initializer(), trainable=False,
                           collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.EVAL_STEP])


class StopAfterNEvalsHook(SessionRunHook):
    """Stops the evaluation once the eval ops have run `num_evals` times.

    The evaluation loops give it the eval step's updated value to read after each run.

    Args:
      num_evals: the number of runs (None: never stops).
      log_progress: whether to log "Evaluation [done/num_evals]".
    """

    def __init__(self, num_evals, log_progress=True):
        self._num_evals, self._log_progress = num_evals, log_progress
        self._evals_completed = None
        # TF logs every run below 20 evals, else every tenth of them
        self._log_frequency = 1 if num_evals is None or num_evals < 20 else num_evals // 10

    def _set_evals_completed_tensor(self, updated_eval_step):
        self._evals_completed = updated_eval_step

    def before_run(self, run_context):
        """Asks for the eval step's value.

        Args:
          run_context: the SessionRunContext.

        Returns:
          The SessionRunArgs fetching it.
        """
        return SessionRunArgs({"evals_completed": self._evals_completed})

    def after_run(self, run_context, run_values):
        """Logs the progress and requests a stop after `num_evals` runs.

        Args:
          run_context: the SessionRunContext.
          run_values: the SessionRunValues holding the eval step.
        """
        done = run_values.results["evals_completed"]
        if self._log_progress:
            if self._num_evals is None:
                logging.info("Evaluation [%d]", done)
            elif done % self._log_frequency == 0 or done == self._num_evals:
                logging.info("Evaluation [%d/%d]", done, self._num_evals)
        if self._num_evals is not None and done >= self._num_evals:
            run_context.request_stop()


class SummaryAtEndHook(SessionRunHook):
    """Writes a summary, tagged with the global step, when the session ends.

    Args:
      log_dir: the directory of the event file (its cached FileWriter is used).
      summary_writer: or the FileWriter.
      summary_op: the summary to write (default: `tf.summary.merge_all()` at `begin`).
      feed_dict: the feed_dict of its run.

    Raises:
      ValueError: neither `log_dir` nor `summary_writer` is given.
    """

    def __init__(self, log_dir=None, summary_writer=None, summary_op=None, feed_dict=None):
        self._summary_op, self._replace_summary_op = summary_op, summary_op is None
        self._feed_dict, self._summary_writer, self._log_dir = feed_dict, summary_writer, log_dir
        self._global_step = None
        if log_dir is None and summary_writer is None:
            raise ValueError("One of log_dir or summary_writer should be used.")

    def begin(self):
        """Takes the merged summaries (if none was given) and the global step."""
        if self._replace_summary_op:
            self._summary_op = tf.summary.merge_all()
        self._global_step = tf.train.get_or_create_global_step()

    def after_create_session(self, session, coord):
        """Opens the FileWriter of `log_dir` if none was given.

        Args:
          session: the new Session.
          coord: its Coordinator.
        """
        if self._summary_writer is None and self._log_dir:
            self._summary_writer = FileWriterCache.get(self._log_dir)

    def end(self, session):
        """Runs the summary op and writes its value, then flushes.

        Args:
          session: the Session ending.
        """
        if self._summary_op is not None:
            step = tf.train.global_step(session, self._global_step)
            summary = session.run(self._summary_op, self._feed_dict)
            if self._summary_writer:
                self._summary_writer.add_summary(summary, step)
        if self._summary_writer:
            self._summary_writer.flush()


def _with_eval_step_update(eval_ops, hooks):
    """`eval_ops` plus the eval step's increment; the hooks read the incremented step."""
    update_eval_step = tf.assign_add(get_or_create_eval_step(), 1, use_locking=True)
    if isinstance(eval_ops, dict):
        eval_ops = dict(eval_ops, update_eval_step=update_eval_step)
    elif isinstance(eval_ops, (tuple, list)):
        eval_ops = list(eval_ops) + [update_eval_step]
    else:
        eval_ops = [eval_ops, update_eval_step]
    for hook in hooks:
        if isinstance(hook, StopAfterNEvalsHook):
            hook._set_evals_completed_tensor(update_eval_step)
    return eval_ops


def _run_eval(checkpoint_path, master, scaffold, eval_ops, feed_dict, hooks, config):
    creator = tf.train.ChiefSessionCreator(scaffold=scaffold, master=master, config=config,
                                           checkpoint_filename_with_path=checkpoint_path)
    logging.info("Starting evaluation at %s", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    with tf.train.MonitoredSession(session_creator=creator, hooks=hooks) as session:
        if eval_ops is not None:
            while not session.should_stop():
                session.run(eval_ops, feed_dict)
    logging.info("Finished evaluation at %s", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))


def evaluate_once(checkpoint_path, master="", scaffold=None, eval_ops=None, feed_dict=None,
                  final_ops=None, final_ops_feed_dict=None, hooks=None, config=None):
    """Restores a checkpoint and evaluates the model once (`tf.contrib.training`).

    The eval ops run (with the eval step's increment) until a hook, typically a
    `StopAfterNEvalsHook`, stops the session (or an OutOfRangeError ends the input); then the
    final ops run once.

    Args:
      checkpoint_path: the prefix of the checkpoint to restore.
      master: the target (accepted; minitf runs in process).
      scaffold: the Scaffold (default: a new one; its saver restores the checkpoint).
      eval_ops: a tensor, op, list or dict to run each step (None: none is run).
      feed_dict: the feed_dict of those runs.
      final_ops: the fetches to run at the end.
      final_ops_feed_dict: their feed_dict.
      hooks: SessionRunHooks.
      config: accepted (a ConfigProto).

    Returns:
      The value of `final_ops` (None without them).
    """
    hooks = list(hooks or [])
    if eval_ops is not None:
        eval_ops = _with_eval_step_update(eval_ops, hooks)
    else:
        get_or_create_eval_step()
    final_ops_hook = FinalOpsHook(final_ops, final_ops_feed_dict)
    hooks.append(final_ops_hook)
    start = time.time()
    _run_eval(checkpoint_path, master, scaffold, eval_ops, feed_dict, hooks, config)
    logging.info("Inference Time : %0.5fs", time.time() - start)
    return final_ops_hook.final_ops_values


def evaluate_repeatedly(checkpoint_dir, master="", scaffold=None, eval_ops=None,
                        feed_dict=None, final_ops=None, final_ops_feed_dict=None,
                        eval_interval_secs=60, hooks=None, config=None,
                        max_number_of_evaluations=None, timeout=None, timeout_fn=None):
    """Evaluates each new checkpoint of a directory as `evaluate_once` does.

    Args:
      checkpoint_dir: the directory of the checkpoints.
      master: the target (accepted; minitf runs in process).
      scaffold: the Scaffold (default: a new one).
      eval_ops: a tensor, op, list or dict to run each step (None: none is run).
      feed_dict: the feed_dict of those runs.
      final_ops: the fetches to run at the end of each evaluation.
      final_ops_feed_dict: their feed_dict.
      eval_interval_secs: the least seconds between two evaluations.
      hooks: SessionRunHooks.
      config: accepted (a ConfigProto).
      max_number_of_evaluations: stop after this many (None: no limit).
      timeout: the most seconds to wait for a new checkpoint (None: for ever).
      timeout_fn: called on a timeout: True ends the loop, False waits again.

    Returns:
      The value of `final_ops` at the last evaluation (None without them or evaluations).
    """
    hooks = list(hooks or [])
    if eval_ops is not None:
        eval_ops = _with_eval_step_update(eval_ops, hooks)
    else:
        get_or_create_eval_step()
    final_ops_hook = FinalOpsHook(final_ops, final_ops_feed_dict)
    hooks.append(final_ops_hook)
    done = 0
    for checkpoint_path in checkpoints_iterator(checkpoint_dir,
                                                min_interval_secs=eval_interval_secs,
                                                timeout=timeout, timeout_fn=timeout_fn):
        _run_eval(checkpoint_path, master, scaffold, eval_ops, feed_dict, hooks, config)
        done += 1
        if max_number_of_evaluations is not None and done >= max_number_of_evaluations:
            break
    return final_ops_hook.final_ops_values
