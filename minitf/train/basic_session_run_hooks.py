"""TF1's ready-made session hooks (`tf.train.StopAtStepHook`, `LoggingTensorHook`, ...) and the
timer they trigger on; the checkpoint-saving hook is in checkpoint_saver_hook.py.

The step-counting hooks fetch the global step read tensor with each run (its value may be the
step before the run's update: TF calls it stale), and only when that value says a trigger may
be due do they read the step again, so they fire at the same steps whichever value it shows.
SummarySaverHook is in summary_saver_hook.py.
"""
import time

import numpy as np

from minitf import tf_logging as logging
from minitf.framework.errors import OutOfRangeError
from minitf.framework.graph import get_default_graph
from minitf.framework.summary_pb import Summary
from minitf.summary_writer import FileWriterCache
from minitf.train.session_run_hook import SessionRunArgs, SessionRunHook
from minitf.train.step_util import get_or_create_global_step_read
from minitf.train.training_util import get_global_step

__all__ = ["SecondOrStepTimer", "StopAtStepHook", "LoggingTensorHook", "StepCounterHook",
           "NanLossDuringTrainingError", "NanTensorHook", "FinalOpsHook", "FeedFnHook",
           "GlobalStepWaiterHook"]


class SecondOrStepTimer:
    """Triggers every `every_secs` seconds or every `every_steps` steps (`tf.train`).

    Args:
      every_secs: the period in seconds (exactly one of the two is given).
      every_steps: the period in steps.

    Raises:
      ValueError: neither or both are given.

    >>> timer = tf.train.SecondOrStepTimer(every_steps=3)
    >>> [timer.should_trigger_for_step(s) for s in (0, 1)]
    [True, True]
    >>> _ = timer.update_last_triggered_step(1)
    >>> [timer.should_trigger_for_step(s) for s in (1, 3, 4)]
    [False, False, True]
    """

    def __init__(self, every_secs=None, every_steps=None):
        if every_secs is None and every_steps is None:
            raise ValueError("Either every_secs or every_steps should be provided.")
        if every_secs is not None and every_steps is not None:
            raise ValueError("Can not provide both every_secs and every_steps.")
        self._every_secs, self._every_steps = every_secs, every_steps
        self.reset()

    def reset(self):
        """Forgets the last trigger: the next step triggers."""
        self._last_triggered_step = None
        self._last_triggered_time = None

    def should_trigger_for_step(self, step):
        """Tells whether the timer triggers at `step`.

        It does the first time, or once the period has passed since the last trigger (never
        twice at one step).

        Args:
          step: the global step.

        Returns:
          A bool.
        """
        if self._last_triggered_step is None:
            return True
        if self._last_triggered_step == step:
            return False
        if self._every_secs is not None and time.time() >= (self._last_triggered_time
                                                            + self._every_secs):
            return True
        return self._every_steps is not None and step >= (self._last_triggered_step
                                                          + self._every_steps)

    def update_last_triggered_step(self, step):
        """Records a trigger at `step`, now.

        Args:
          step: the global step.

        Returns:
          (seconds, steps) since the previous trigger, or (None, None) for the first.
        """
        now = time.time()
        if self._last_triggered_time is None:
            elapsed = (None, None)
        else:
            elapsed = (now - self._last_triggered_time, step - self._last_triggered_step)
        self._last_triggered_time, self._last_triggered_step = now, step
        return elapsed

    def last_triggered_step(self):
        """Returns the step of the last trigger (None before the first)."""
        return self._last_triggered_step


class _NeverTriggerTimer(SecondOrStepTimer):
    """A timer that never triggers (LoggingTensorHook logging only at the end)."""

    def __init__(self):
        self.reset()

    def should_trigger_for_step(self, step):
        return False


def _step_read(hook_name):
    step = get_or_create_global_step_read()
    if step is None:
        raise RuntimeError(f"Global step should be created to use {hook_name}.")
    return step


class StopAtStepHook(SessionRunHook):
    """Requests a stop once the global step reaches a step (`tf.train`).

    With `last_step=N`, `should_stop()` turns True after the run that takes the global step to
    N; with `num_steps=n`, after n more steps than the global step had when the session was
    created (or restored).

    Args:
      num_steps: how many steps to run.
      last_step: the global step to stop at.

    Raises:
      ValueError: neither or both are given.
    """

    def __init__(self, num_steps=None, last_step=None):
        if num_steps is None and last_step is None:
            raise ValueError("One of num_steps or last_step must be specified.")
        if num_steps is not None and last_step is not None:
            raise ValueError("Only one of num_steps or last_step can be specified.")
        self._num_steps, self._last_step = num_steps, last_step
        self._steps_per_run = 1

    def begin(self):
        self._global_step_tensor = _step_read("StopAtStepHook")

    def after_create_session(self, session, coord):
        if self._last_step is None:
            self._last_step = int(session.run(self._global_step_tensor)) + self._num_steps

    def before_run(self, run_context):
        return SessionRunArgs(self._global_step_tensor)

    def after_run(self, run_context, run_values):
        if run_values.results + self._steps_per_run >= self._last_step:
            step = run_context.session.run(self._global_step_tensor)
            if step >= self._last_step:
                run_context.request_stop()


def _as_graph_element(obj):
    """A tensor of the default graph, from a Tensor or a name ("loss" meaning "loss:0")."""
    graph = get_default_graph()
    if not isinstance(obj, str):
        if getattr(obj, "graph", None) is not graph:
            raise ValueError(f"Passed {obj} should have graph attribute that is equal to "
                             f"current graph {graph}.")
        return obj
    if ":" in obj:
        return graph.as_graph_element(obj)
    element = graph.as_graph_element(obj + ":0")
    try:
        graph.as_graph_element(obj + ":1")
    except (KeyError, ValueError):
        return element
    raise ValueError(f"Name {obj} is ambiguous, as this `Operation` has multiple outputs "
                     "(at least 2).")


class LoggingTensorHook(SessionRunHook):
    """Logs tensors' values every N local steps, every N seconds, and/or at the end.

    (`tf.train`)

    The line is `tag = value, tag = value` (tags sorted for a dict, in order for a list), with
    ` (0.123 sec)` after it from the second time on, logged at INFO with `tf.logging`. The
    steps are counted by the hook (its own runs, from 0), not by the global step.

    Args:
      tensors: {tag: Tensor or tensor name}, or a list of Tensors or names (each its own tag).
      every_n_iter: log every this many runs (the first run logs).
      every_n_secs: log when this many seconds have passed since the last log.
      at_end: also log the values (run once more) when the session ends.
      formatter: a function from {tag: value} to the string to log instead.

    Raises:
      ValueError: not `at_end` and not exactly one of `every_n_iter` and `every_n_secs`, or
        `every_n_iter` <= 0.
    """

    def __init__(self, tensors, every_n_iter=None, every_n_secs=None, at_end=False,
                 formatter=None):
        only_at_end = at_end and every_n_iter is None and every_n_secs is None
        if not at_end and (every_n_iter is None) == (every_n_secs is None):
            raise ValueError("either at_end and/or exactly one of every_n_iter and every_n_secs "
                             "must be provided.")
        if every_n_iter is not None and every_n_iter <= 0:
            raise ValueError(f"invalid every_n_iter={every_n_iter}.")
        if isinstance(tensors, dict):
            self._tag_order = sorted(tensors)
        else:
            self._tag_order = list(tensors)
            tensors = {item: item for item in tensors}
        self._tensors, self._formatter, self._log_at_end = tensors, formatter, at_end
        self._timer = (_NeverTriggerTimer() if only_at_end else
                       SecondOrStepTimer(every_secs=every_n_secs, every_steps=every_n_iter))

    def begin(self):
        self._timer.reset()
        self._iter_count = 0
        self._current_tensors = {tag: _as_graph_element(t) for tag, t in self._tensors.items()}

    def before_run(self, run_context):
        self._should_trigger = self._timer.should_trigger_for_step(self._iter_count)
        return SessionRunArgs(self._current_tensors) if self._should_trigger else None

    def _log_tensors(self, values):
        elapsed, _ = self._timer.update_last_triggered_step(self._iter_count)
        with np.printoptions(suppress=True):
            if self._formatter:
                logging.info(self._formatter(values))
                return
            line = ", ".join(f"{tag} = {values[tag]!s}" for tag in self._tag_order)
            if elapsed is None:
                logging.info("%s", line)
            else:
                logging.info("%s (%.3f sec)", line, elapsed)

    def after_run(self, run_context, run_values):
        if self._should_trigger:
            self._log_tensors(run_values.results)
        self._iter_count += 1

    def end(self, session):
        if self._log_at_end:
            self._log_tensors(session.run(self._current_tensors))


class StepCounterHook(SessionRunHook):
    """Logs the global steps per second (`global_step/sec: 12.3`) every N steps or seconds.

    Args:
      every_n_steps: log every this many global steps (the first trigger only starts the
        clock).
      every_n_secs: or every this many seconds.
      output_dir: where the rate is also written as a `global_step/sec` summary (through
        the FileWriterCache's writer) when `summary_writer` is not given.
      summary_writer: the FileWriter to write the rate to.

    Raises:
      ValueError: not exactly one of `every_n_steps` and `every_n_secs` is given.
    """

    def __init__(self, every_n_steps=100, every_n_secs=None, output_dir=None,
                 summary_writer=None):
        if (every_n_steps is None) == (every_n_secs is None):
            raise ValueError("exactly one of every_n_steps and every_n_secs should be provided.")
        self._timer = SecondOrStepTimer(every_steps=every_n_steps, every_secs=every_n_secs)
        self._summary_writer, self._output_dir = summary_writer, output_dir
        self._last_global_step = None
        self._steps_per_run = 1

    def begin(self):
        if self._summary_writer is None and self._output_dir:
            self._summary_writer = FileWriterCache.get(self._output_dir)
        self._global_step_tensor = _step_read("StepCounterHook")
        self._summary_tag = get_global_step().op.name + "/sec"

    def before_run(self, run_context):
        return SessionRunArgs(self._global_step_tensor)

    def after_run(self, run_context, run_values):
        stale = run_values.results
        if self._timer.should_trigger_for_step(stale + self._steps_per_run):
            step = run_context.session.run(self._global_step_tensor)
            if self._timer.should_trigger_for_step(step):
                elapsed_time, elapsed_steps = self._timer.update_last_triggered_step(step)
                if elapsed_time is not None:
                    self._log_and_record(elapsed_steps / elapsed_time, step)
        if stale == self._last_global_step:  # TF warns: the step is not being incremented
            logging.log_first_n(
                logging.WARN, "It seems that global step (tf.train.get_global_step) has not "
                "been increased. Current value (could be stable): %s vs previous value: %s. You "
                "could increase the global step by passing tf.train.get_global_step() to "
                "Optimizer.apply_gradients or Optimizer.minimize.", 5, stale,
                self._last_global_step)
        self._last_global_step = stale

    def _log_and_record(self, steps_per_sec, step):
        if self._summary_writer is not None:
            value = Summary.Value(tag=self._summary_tag, simple_value=steps_per_sec)
            self._summary_writer.add_summary(Summary(value=[value]), step)
        logging.info("%s: %g", self._summary_tag, steps_per_sec)


class NanLossDuringTrainingError(RuntimeError):
    """Raised by NanTensorHook when the loss is NaN (`tf.train`)."""

    def __str__(self):
        return "NaN loss during training."


class NanTensorHook(SessionRunHook):
    """Stops training, or fails, when the loss is NaN (`tf.train`).

    Args:
      loss_tensor: the loss Tensor, fetched with each run.
      fail_on_nan_loss: if True, raise NanLossDuringTrainingError; else log a warning and
        request a stop.
    """

    def __init__(self, loss_tensor, fail_on_nan_loss=True):
        self._loss_tensor, self._fail_on_nan_loss = loss_tensor, fail_on_nan_loss

    def before_run(self, run_context):
        return SessionRunArgs(self._loss_tensor)

    def after_run(self, run_context, run_values):
        if np.isnan(run_values.results):
            message = "Model diverged with loss = NaN."
            if self._fail_on_nan_loss:
                logging.error(message)
                raise NanLossDuringTrainingError
            logging.warning(message)
            run_context.request_stop()


class FinalOpsHook(SessionRunHook):
    """Runs tensors or ops when the session ends and keeps their values (`tf.train`).

    Args:
      final_ops: anything `Session.run` accepts as fetches.
      final_ops_feed_dict: the feed_dict for that run.
    """

    def __init__(self, final_ops, final_ops_feed_dict=None):
        self._final_ops, self._final_ops_feed_dict = final_ops, final_ops_feed_dict
        self._final_ops_values = None

    final_ops_values = property(lambda self: self._final_ops_values,
                                doc="The values of `final_ops` once the session has ended.")

    def end(self, session):
        if self._final_ops is None:
            return
        try:
            self._final_ops_values = session.run(self._final_ops,
                                                 feed_dict=self._final_ops_feed_dict)
        except (OutOfRangeError, StopIteration):
            logging.warning("An OutOfRangeError or StopIteration exception is raised by the "
                            "code in FinalOpsHook. This typically means the Ops running by the "
                            "FinalOpsHook have a dependency back to some input source, which "
                            "should not happen.")
            raise


class FeedFnHook(SessionRunHook):
    """Feeds each run the dict a function returns (`tf.train`).

    Args:
      feed_fn: a function of no arguments returning {tensor: value}.
    """

    def __init__(self, feed_fn):
        self.feed_fn = feed_fn

    def before_run(self, run_context):
        return SessionRunArgs(fetches=None, feed_dict=self.feed_fn())


class GlobalStepWaiterHook(SessionRunHook):
    """Holds the first run back until the global step reaches a step (`tf.train`).

    A worker of a distributed job uses it to let the chief train first; in one process the
    step must already be there (or be raised by another thread), else it waits.

    Args:
      wait_until_step: the global step to wait for (<= 0: do not wait).
    """

    def __init__(self, wait_until_step):
        self._wait_until_step = wait_until_step

    def begin(self):
        self._worker_is_started = False
        self._global_step_tensor = _step_read("_GlobalStepWaiterHook")

    def before_run(self, run_context):
        if self._worker_is_started:
            return None
        if self._wait_until_step <= 0:
            self._worker_is_started = True
            return None
        logging.info("Waiting for global step %d before starting training.",
                     self._wait_until_step)
        last_logged = 0
        while True:
            current = run_context.session.run(self._global_step_tensor)
            if current >= self._wait_until_step:
                self._worker_is_started = True
                return None
            if current - last_logged > 1000:
                logging.info("Waiting for global step %d before starting training. Current "
                             "step is %d.", self._wait_until_step, current)
                last_logged = current
            time.sleep(0.5)
