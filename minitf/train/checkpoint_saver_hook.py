"""`tf.train.CheckpointSaverHook` and `CheckpointSaverListener`: checkpoints every N steps or
seconds, as `<checkpoint_dir>/model.ckpt-<global step>` with the directory's `checkpoint` file.

As TF does, the hook saves when the session is created (the step it starts from), then each
time its timer triggers, and at the end if the last step was not saved yet. Each checkpoint
gets its `.meta` MetaGraphDef, as in TF, unless `save_graph_def=False`; minitf writes no
`graph.pbtxt`.
"""
import os

from minitf import tf_logging as logging
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.train.basic_session_run_hooks import SecondOrStepTimer, _step_read
from minitf.train.session_run_hook import SessionRunArgs, SessionRunHook

__all__ = ["CheckpointSaverListener", "CheckpointSaverHook"]


class CheckpointSaverListener:
    """Code run around each save of a CheckpointSaverHook (`tf.train`).

    Override what you need: `begin()` when the hook begins, `before_save(session,
    global_step_value)` and `after_save(session, global_step_value)` around each save
    (`after_save` returning True asks training to stop), `end(session, global_step_value)`
    when the session ends.
    """

    def begin(self):
        """Called once, from the hook's `begin`."""

    def before_save(self, session, global_step_value):
        """Called before each save.

        Args:
          session: the Session.
          global_step_value: the step being saved.
        """

    def after_save(self, session, global_step_value):
        """Called after each save.

        Args:
          session: the Session.
          global_step_value: the step saved.

        Returns:
          True to request that training stop.
        """

    def end(self, session, global_step_value):
        """Called when the session ends, after the last save.

        Args:
          session: the Session.
          global_step_value: the last global step.
        """


class CheckpointSaverHook(SessionRunHook):
    """Saves checkpoints every N steps or N seconds (`tf.train`).

    Args:
      checkpoint_dir: the directory of the checkpoints.
      save_secs: save every this many seconds.
      save_steps: or every this many global steps (exactly one of the two).
      saver: the Saver to use (default: the scaffold's, else the SAVERS collection's one).
      checkpoint_basename: the checkpoints' file name before `-<step>`.
      scaffold: a Scaffold whose saver to use.
      listeners: CheckpointSaverListeners called around each save.
      save_graph_def: whether each checkpoint gets its `.meta` MetaGraphDef.

    Raises:
      ValueError: both `saver` and `scaffold` are given, or not exactly one of `save_secs`
        and `save_steps`.
    """

    def __init__(self, checkpoint_dir, save_secs=None, save_steps=None, saver=None,
                 checkpoint_basename="model.ckpt", scaffold=None, listeners=None,
                 save_graph_def=True):
        logging.info("Create CheckpointSaverHook.")
        if saver is not None and scaffold is not None:
            raise ValueError("You cannot provide both saver and scaffold.")
        self._saver, self._scaffold = saver, scaffold
        self._checkpoint_dir = checkpoint_dir
        self._save_path = os.path.join(checkpoint_dir, checkpoint_basename)
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)
        self._listeners = listeners or []
        self._steps_per_run = 1
        self._save_graph_def = save_graph_def

    def begin(self):
        self._global_step_tensor = _step_read("CheckpointSaverHook")
        for listener in self._listeners:
            listener.begin()

    def after_create_session(self, session, coord):
        step = int(session.run(self._global_step_tensor))
        self._save(session, step)
        self._timer.update_last_triggered_step(step)

    def before_run(self, run_context):
        return SessionRunArgs(self._global_step_tensor)

    def after_run(self, run_context, run_values):
        if self._timer.should_trigger_for_step(run_values.results + self._steps_per_run):
            step = int(run_context.session.run(self._global_step_tensor))
            if self._timer.should_trigger_for_step(step):
                self._timer.update_last_triggered_step(step)
                if self._save(run_context.session, step):
                    run_context.request_stop()

    def end(self, session):
        last_step = int(session.run(self._global_step_tensor))
        if last_step != self._timer.last_triggered_step():
            self._save(session, last_step)
        for listener in self._listeners:
            listener.end(session, last_step)

    def _save(self, session, step):
        """Saves at `step`; returns whether a listener asked to stop."""
        logging.info("Calling checkpoint listeners before saving checkpoint %d...", step)
        for listener in self._listeners:
            listener.before_save(session, step)
        logging.info("Saving checkpoints for %d into %s.", step, self._save_path)
        self._get_saver().save(session, self._save_path, global_step=step,
                               write_meta_graph=self._save_graph_def)
        logging.info("Calling checkpoint listeners after saving checkpoint %d...", step)
        should_stop = False
        for listener in self._listeners:
            if listener.after_save(session, step):
                logging.info("A CheckpointSaverListener requested that training be stopped. "
                             "listener: %s", listener)
                should_stop = True
        return should_stop

    def _get_saver(self):
        if self._saver is not None:
            return self._saver
        if self._scaffold is not None:
            return self._scaffold.saver
        savers = get_default_graph().get_collection(GraphKeys.SAVERS)
        if not savers:
            raise RuntimeError(f"No items in collection {GraphKeys.SAVERS}. Please add a saver "
                               "to the collection or provide a saver or scaffold.")
        if len(savers) > 1:
            raise RuntimeError(f"More than one item in collection {GraphKeys.SAVERS}. Please "
                               "indicate which one to use by passing it to the constructor.")
        self._saver = savers[0]
        return self._saver
