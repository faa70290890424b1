"""`tf.train.ProfilerHook`: every N steps or seconds, traces a step (RunOptions FULL_TRACE) and
writes its ops' timings as `<output_dir>/timeline-<global step>.json`, a Chrome trace
(minitf/timeline.py), and the step's RunMetadata to the directory's event file.

As TF 2's, its first run starts the timer (it traces none), then it traces each step the timer
triggers at: with `save_steps=2` from global step 0, the runs that end at global steps 2, 4,
6, ...; with `save_secs`, the first run once that many seconds have passed.
"""
import os

from minitf import tf_logging as logging
from minitf.framework.config_pb import RunOptions
from minitf.summary_writer import FileWriterCache
from minitf.timeline import Timeline
from minitf.train.basic_session_run_hooks import SecondOrStepTimer, _step_read
from minitf.train.session_run_hook import SessionRunArgs, SessionRunHook

__all__ = ["ProfilerHook"]


class ProfilerHook(SessionRunHook):
    """Writes a Chrome trace of a step every N steps or N seconds (`tf.train`).

    The trace of the step that takes the global step to S is `timeline-S.json` in
    `output_dir` (open it in chrome://tracing or Perfetto); the step's RunMetadata is also
    added to the directory's event file under the tag `step_S`.

    Args:
      save_steps: trace every this many global steps.
      save_secs: or every this many seconds (exactly one of the two).
      output_dir: the directory of the trace files (default: the current directory).
      show_dataflow: add flow events from each tensor's producer to its consumers.
      show_memory: add the tensors' lives and the allocators' bytes in use.

    Raises:
      ValueError: not exactly one of `save_steps` and `save_secs` is given.
    """

    def __init__(self, save_steps=None, save_secs=None, output_dir="", show_dataflow=True,
                 show_memory=False):
        self._output_file = os.path.join(output_dir, "timeline-{}.json")
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)
        self._file_writer = FileWriterCache.get(output_dir)
        self._show_dataflow, self._show_memory = show_dataflow, show_memory
        self._options = RunOptions(trace_level=RunOptions.FULL_TRACE)

    def begin(self):
        """Finds the global step; the first run will start the timer.

        Raises:
          RuntimeError: the graph has no global step.
        """
        self._next_step = None
        self._global_step_tensor = _step_read("ProfilerHook")

    def before_run(self, run_context):
        """Asks for the global step, and for a full trace if this step is to be saved.

        Args:
          run_context: the SessionRunContext.

        Returns:
          SessionRunArgs fetching the global step, with FULL_TRACE options when saving.
        """
        self._request_trace = (self._next_step is not None
                               and self._timer.should_trigger_for_step(self._next_step))
        return SessionRunArgs({"global_step": self._global_step_tensor},
                              options=self._options if self._request_trace else None)

    def after_run(self, run_context, run_values):
        """Writes the step's trace if one was asked for.

        Args:
          run_context: the SessionRunContext.
          run_values: the SessionRunValues, with the step's RunMetadata.
        """
        stale = run_values.results["global_step"]
        if self._next_step is None:  # the first run starts the timer: nothing is due yet
            self._timer.update_last_triggered_step(stale)
        step = stale + 1
        if self._request_trace:
            step = int(run_context.session.run(self._global_step_tensor))
            self._timer.update_last_triggered_step(step)
            self._save(step, self._output_file.format(step), run_values.run_metadata.step_stats)
            self._file_writer.add_run_metadata(run_values.run_metadata, f"step_{step}")
        self._next_step = step + 1

    def _save(self, step, path, step_stats):
        logging.info("Saving timeline for %d into '%s'.", step, path)
        trace = Timeline(step_stats).generate_chrome_trace_format(
            show_dataflow=self._show_dataflow, show_memory=self._show_memory)
        with open(path, "w") as f:
            f.write(trace)
