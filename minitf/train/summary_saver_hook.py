"""`tf.train.SummarySaverHook`: runs the summary op every N steps or seconds and writes its
output to an event file, as TF's hook does.

The first run after the session starts writes a `SessionLog.START` and the summaries; later
ones are written when the timer triggers for the step the run will reach, with the step read
after the run.
"""
from minitf.framework.summary_pb import SessionLog
from minitf.summary_writer import FileWriterCache
from minitf.train.basic_session_run_hooks import SecondOrStepTimer, _step_read
from minitf.train.session_run_hook import SessionRunArgs, SessionRunHook

__all__ = ["SummarySaverHook"]


class SummarySaverHook(SessionRunHook):
    """Saves summaries every N steps or N seconds (`tf.train`).

    Args:
      save_steps: save every this many global steps.
      save_secs: or every this many seconds (exactly one of the two).
      output_dir: the directory of the event file (its FileWriter comes from the
        FileWriterCache) when `summary_writer` is not given.
      summary_writer: the FileWriter to write to.
      scaffold: a Scaffold whose `summary_op` to run.
      summary_op: or the summary op (or a list of them) to run (exactly one of the two).

    Raises:
      ValueError: not exactly one of `scaffold` and `summary_op`, or of `save_steps` and
        `save_secs`.
    """

    def __init__(self, save_steps=None, save_secs=None, output_dir=None, summary_writer=None,
                 scaffold=None, summary_op=None):
        if (scaffold is None) == (summary_op is None):
            raise ValueError("Exactly one of scaffold or summary_op must be provided.")
        self._summary_op, self._scaffold = summary_op, scaffold
        self._summary_writer, self._output_dir = summary_writer, output_dir
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)

    def begin(self):
        if self._summary_writer is None and self._output_dir:
            self._summary_writer = FileWriterCache.get(self._output_dir)
        self._next_step = None
        self._global_step_tensor = _step_read("SummarySaverHook")

    def _get_summary_op(self):
        op = self._summary_op if self._summary_op is not None else self._scaffold.summary_op
        if op is None:
            return None
        return op if isinstance(op, list) else [op]

    def before_run(self, run_context):
        self._request_summary = (self._next_step is None
                                 or self._timer.should_trigger_for_step(self._next_step))
        requests = {"global_step": self._global_step_tensor}
        if self._request_summary and self._get_summary_op() is not None:
            requests["summary"] = self._get_summary_op()
        return SessionRunArgs(requests)

    def after_run(self, run_context, run_values):
        if not self._summary_writer:
            return
        global_step = run_values.results["global_step"] + 1
        if self._next_step is None or self._request_summary:
            global_step = run_context.session.run(self._global_step_tensor)
        if self._next_step is None:
            self._summary_writer.add_session_log(SessionLog(status=SessionLog.START),
                                                 global_step)
        if self._request_summary:
            self._timer.update_last_triggered_step(global_step)
            for summary in run_values.results.get("summary", ()):
                self._summary_writer.add_summary(summary, global_step)
        self._next_step = global_step + 1

    def end(self, session=None):
        if self._summary_writer:
            self._summary_writer.flush()
