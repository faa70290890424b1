"""`tf.train.MonitoredSession`: a session that initializes or restores its model, runs hooks
around each step, and recovers from a preempted session (session_wrappers.py), with the session
creators it is made from. Its ops are a `Scaffold` (scaffold.py); `MonitoredTrainingSession`,
which makes one with the usual hooks, is in training_session.py."""
import abc

from minitf.framework.errors import OutOfRangeError
from minitf.framework.graph import get_default_graph
from minitf.train import session_wrappers as _wrappers
from minitf.train.coordinator import Coordinator
from minitf.train.scaffold import Scaffold
from minitf.train.session_manager import SessionManager

__all__ = ["Scaffold", "SessionCreator", "ChiefSessionCreator", "WorkerSessionCreator",
           "MonitoredSession", "SingularMonitoredSession"]


class SessionCreator(abc.ABC):
    """Makes the sessions of a MonitoredSession: override `create_session()` (`tf.train`).

    It is abstract, as in TF: only a subclass defining `create_session` can be made.
    """

    @abc.abstractmethod
    def create_session(self):
        """Returns a new, ready Session."""


class ChiefSessionCreator(SessionCreator):
    """Makes sessions that restore the newest checkpoint or initialize the model (`tf.train`).

    Args:
      scaffold: the Scaffold (default: a new one); finalized by `create_session`.
      master: the target (accepted).
      config: accepted (a ConfigProto).
      checkpoint_dir: the directory whose newest checkpoint to restore.
      checkpoint_filename_with_path: or the checkpoint to restore.

    Raises:
      ValueError: both `checkpoint_dir` and `checkpoint_filename_with_path` are given.
    """

    def __init__(self, scaffold=None, master="", config=None, checkpoint_dir=None,
                 checkpoint_filename_with_path=None):
        if checkpoint_dir and checkpoint_filename_with_path:
            raise ValueError("You can not provide both checkpoint_dir and "
                             "checkpoint_filename_with_path.")
        self._checkpoint_dir = checkpoint_dir
        self._checkpoint_filename_with_path = checkpoint_filename_with_path
        self._scaffold = scaffold or Scaffold()
        self._session_manager = None
        self._master, self._config = master, config

    def _get_session_manager(self):
        if self._session_manager is None:
            self._session_manager = _session_manager(self._scaffold)
        return self._session_manager

    def create_session(self):
        """Returns a Session with the model restored or initialized."""
        self._scaffold.finalize()
        return self._get_session_manager().prepare_session(
            self._master, saver=self._scaffold.saver, checkpoint_dir=self._checkpoint_dir,
            checkpoint_filename_with_path=self._checkpoint_filename_with_path,
            config=self._config, init_op=self._scaffold.init_op,
            init_feed_dict=self._scaffold.init_feed_dict, init_fn=self._scaffold.init_fn)


def _session_manager(scaffold):
    """The SessionManager that readies a session as the (finalized) `scaffold` says."""
    return SessionManager(local_init_op=scaffold.local_init_op,
                          local_init_feed_dict=scaffold.local_init_feed_dict,
                          ready_op=scaffold.ready_op,
                          ready_for_local_init_op=scaffold.ready_for_local_init_op,
                          graph=get_default_graph())


class WorkerSessionCreator(SessionCreator):
    """Makes sessions that wait for the chief to make the model ready (`tf.train`).

    Args:
      scaffold: the Scaffold (default: a new one).
      master: the target (accepted).
      config: accepted (a ConfigProto).
      max_wait_secs: how long to wait for the model.
    """

    def __init__(self, scaffold=None, master="", config=None, max_wait_secs=30 * 60):
        self._scaffold = scaffold or Scaffold()
        self._session_manager = None
        self._master, self._config, self._max_wait_secs = master, config, max_wait_secs

    def create_session(self):
        """Returns a Session once its model is ready.

        Raises:
          minitf.errors.DeadlineExceededError: it is not ready within `max_wait_secs`.
        """
        self._scaffold.finalize()
        if self._session_manager is None:
            self._session_manager = _session_manager(self._scaffold)
        return self._session_manager.wait_for_session(
            self._master, config=self._config, max_wait_secs=self._max_wait_secs)


class _CoordinatedSessionCreator(SessionCreator):
    """Creates the raw session, a Coordinator, tells the hooks, and stacks the layers."""

    def __init__(self, session_creator, hooks, stop_grace_period_secs):
        self._session_creator, self._hooks = session_creator, hooks
        self.coord = self.tf_sess = None
        self._stop_grace_period_secs = stop_grace_period_secs

    def create_session(self):
        self.tf_sess = self._session_creator.create_session()
        self.coord = Coordinator(clean_stop_exception_types=[])
        for hook in self._hooks:
            hook.after_create_session(self.tf_sess, self.coord)
        return _wrappers.CoordinatedSession(_wrappers.HookedSession(self.tf_sess, self._hooks),
                                            self.coord, self._stop_grace_period_secs)


class _MonitoredSession:
    """What MonitoredSession and SingularMonitoredSession share."""

    def __init__(self, session_creator, hooks, should_recover, stop_grace_period_secs=120):
        self._graph = get_default_graph()
        self._graph_was_finalized = self._graph.finalized
        self._hooks = list(hooks or [])
        for hook in self._hooks:
            hook.begin()
        self._coordinated_creator = _CoordinatedSessionCreator(
            session_creator or ChiefSessionCreator(), self._hooks, stop_grace_period_secs)
        if should_recover:
            self._sess = _wrappers.RecoverableSession(self._coordinated_creator)
        else:
            self._sess = self._coordinated_creator.create_session()

    @property
    def graph(self):
        """The graph the session runs."""
        return self._tf_sess().graph

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Runs a step with the hooks (see `Session.run`).

        Args:
          fetches: as for `Session.run`.
          feed_dict: as for `Session.run`; merged with the hooks' feeds.
          options: accepted (RunOptions).
          run_metadata: accepted (RunMetadata).

        Returns:
          The values of `fetches`, in their structure.

        Raises:
          RuntimeError: a stop was requested already, or the session is closed.
        """
        if self._sess is None:
            raise RuntimeError("Attempted to use a closed Session.")
        return self._sess.run(fetches, feed_dict=feed_dict, options=options,
                              run_metadata=run_metadata)

    def run_step_fn(self, step_fn):
        """Calls `step_fn(step_context)` once, within the session's error handling.

        `step_context.session` is the raw Session, `step_context.run_with_hooks(...)` runs
        like `run`, and `step_context.request_stop()` raises StopIteration, which ends a `with`
        block quietly.

        Args:
          step_fn: a function of one argument named `step_context` (or a method).

        Returns:
          What `step_fn` returns.

        Raises:
          ValueError: `step_fn`'s arguments are not named as above.
        """
        _wrappers.check_step_fn(step_fn)
        return self._sess.run_step_fn(step_fn, self._tf_sess(), run_with_hooks=None)

    def should_stop(self):
        """Whether training should stop: a hook asked, a thread failed, or it is closed."""
        return self._sess is None or self._sess.should_stop()

    def close(self):
        """Calls the hooks' `end` and closes the session."""
        self._close_internal()

    def __enter__(self):
        return self

    def __exit__(self, exception_type, exception_value, traceback):
        if exception_type in (OutOfRangeError, StopIteration):
            exception_type = None  # the input ran out: training ended normally
        self._close_internal(exception_type)
        return exception_type is None

    def _close_internal(self, exception_type=None):
        try:
            if not exception_type:
                for hook in self._hooks:
                    hook.end(self._coordinated_creator.tf_sess)
        finally:
            try:
                if self._sess is None:
                    raise RuntimeError("Session is already closed.")
                self._sess.close()
            finally:
                self._sess = None
                self._coordinated_creator.tf_sess = None
                self._coordinated_creator.coord = None
                if not self._graph_was_finalized:  # TF's Graph._unsafe_unfinalize()
                    self._graph._finalized = False

    def _tf_sess(self):
        return self._coordinated_creator.tf_sess


class MonitoredSession(_MonitoredSession):
    """A session that restores or initializes its model and runs hooks around each step.

    It also re-creates itself after a preemption (`tf.train`).

    Made with: every hook's `begin`; the session from `session_creator` (finalizing the
    graph); every hook's `after_create_session`. Each `run` calls the hooks' `before_run` and
    `after_run`. `close()` (or leaving a `with` block, also by OutOfRangeError, which ends it
    quietly) calls the hooks' `end` and closes the session; other exceptions propagate and
    skip `end`. An AbortedError or UnavailableError in `run` closes the session and makes a
    new one (restoring the newest checkpoint), then runs the step again.

    Args:
      session_creator: a SessionCreator (default: a ChiefSessionCreator).
      hooks: SessionRunHooks.
      stop_grace_period_secs: how long the Coordinator's threads may run after a stop.

    >>> x = tf.Variable(0, name="x")
    >>> step = tf.assign_add(x, 1)
    >>> with tf.train.MonitoredSession() as sess:
    ...     print([int(sess.run(step)) for _ in range(3)])
    [1, 2, 3]
    """

    def __init__(self, session_creator=None, hooks=None, stop_grace_period_secs=120):
        super().__init__(session_creator, hooks, should_recover=True,
                         stop_grace_period_secs=stop_grace_period_secs)


class SingularMonitoredSession(_MonitoredSession):
    """A MonitoredSession for one process, without recovery, that gives its raw session.

    (`tf.train`)

    Args:
      hooks: SessionRunHooks.
      scaffold: the Scaffold (default: a new one).
      master: the target (accepted).
      config: accepted (a ConfigProto).
      checkpoint_dir: the directory whose newest checkpoint to restore.
      stop_grace_period_secs: how long the Coordinator's threads may run after a stop.
      checkpoint_filename_with_path: or the checkpoint to restore.
    """

    def __init__(self, hooks=None, scaffold=None, master="", config=None, checkpoint_dir=None,
                 stop_grace_period_secs=120, checkpoint_filename_with_path=None):
        creator = ChiefSessionCreator(scaffold=scaffold, master=master, config=config,
                                      checkpoint_dir=checkpoint_dir,
                                      checkpoint_filename_with_path=checkpoint_filename_with_path)
        super().__init__(creator, hooks, should_recover=False,
                         stop_grace_period_secs=stop_grace_period_secs)

    def raw_session(self):
        """Returns the underlying Session (running it bypasses the hooks)."""
        return self._tf_sess()

