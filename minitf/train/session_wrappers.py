"""The layers of a MonitoredSession, outermost first, as TF stacks them:

- _RecoverableSession re-creates the session (restoring the newest checkpoint) when a run
  raises AbortedError or UnavailableError, TF's signs of a preempted worker;
- _CoordinatedSession re-raises an exception a thread reported to the Coordinator, and stops
  the threads on close;
- _HookedSession calls the hooks around each run, merging their fetches and feeds into the
  caller's.
"""
import inspect

from minitf import tf_logging as logging
from minitf.framework import errors
from minitf.framework.config_pb import RunMetadata, RunOptions
from minitf.train.session_run_hook import SessionRunArgs, SessionRunContext, SessionRunValues

# What TF takes as a preempted worker or parameter server: the session is made anew.
PREEMPTION_ERRORS = (errors.AbortedError, errors.UnavailableError)


class StepContext:
    """What `MonitoredSession.run_step_fn` passes to its `step_fn`.

    Args:
      session: the raw Session (running it bypasses the hooks).
      run_with_hooks_fn: the function running a step with the hooks.
    """

    def __init__(self, session, run_with_hooks_fn):
        self._session, self._run_with_hooks_fn = session, run_with_hooks_fn

    session = property(lambda self: self._session, doc="The raw Session.")

    def run_with_hooks(self, *args, **kwargs):
        """Runs a step as `MonitoredSession.run` does (with the hooks)."""
        return self._run_with_hooks_fn(*args, **kwargs)

    def request_stop(self):
        """Ends the step function by raising StopIteration, which leaves `run_step_fn` and
        ends a `with MonitoredSession(...)` block quietly, as in TF.

        Raises:
          StopIteration: always.
        """
        raise StopIteration("step_fn has requested the iterations to stop.")


def check_step_fn(step_fn):
    args = tuple(inspect.signature(step_fn).parameters)
    if inspect.ismethod(step_fn):
        args = ("self",) + args
    if args not in (("step_context",), ("self", "step_context")):
        raise ValueError("`step_fn` may either have one `step_context` argument, or `self` and "
                         f"`step_context` arguments if it's an instance method. Got {args} "
                         "instead.")


class WrappedSession:
    """A session wrapping another one; `should_stop` asks each layer down."""

    def __init__(self, sess):
        self._sess = sess
        self._wrapped_is_stoppable = isinstance(sess, WrappedSession)

    graph = property(lambda self: self._sess.graph)
    sess_str = property(lambda self: self._sess.sess_str)

    def should_stop(self):
        if self._check_stop():
            return True
        if self._sess:
            return self._wrapped_is_stoppable and self._sess.should_stop()
        return True

    def _check_stop(self):
        return False

    def close(self):
        if self._sess:
            try:
                self._sess.close()
            except PREEMPTION_ERRORS as e:
                logging.warning("An error occurred when attempting to close the session. This may "
                                "be due to a preemption in a connected worker or parameter "
                                "server. Error: %s", e)
            finally:
                self._sess = None

    def run(self, *args, **kwargs):
        return self._sess.run(*args, **kwargs)

    def run_step_fn(self, step_fn, raw_session, run_with_hooks):
        return step_fn(StepContext(raw_session, run_with_hooks or self.run))


class RecoverableSession(WrappedSession):
    """Re-creates its session with the creator when an error says it was preempted."""

    def __init__(self, sess_creator):
        self._sess_creator = sess_creator
        super().__init__(self._create_session())

    def _create_session(self):
        while True:
            try:
                return self._sess_creator.create_session()
            except PREEMPTION_ERRORS as e:
                logging.info("An error was raised while a session was being created. This may "
                             "be due to a preemption of a connected worker or parameter "
                             "server. A new session will be created. Error: %s", e)

    def _recover(self, e):
        logging.info("An error was raised. This may be due to a preemption in a connected "
                     "worker or parameter server. The current session will be closed and a new "
                     "session will be created. Error: %s", e)
        self.close()
        self._sess = None

    def _check_stop(self):
        try:
            return self._sess._check_stop() if self._sess else True
        except PREEMPTION_ERRORS as e:
            self._recover(e)
            self._sess = self._create_session()
            return False  # a new session: the training goes on
        except Exception:
            return True  # as TF: should_stop says True rather than raising (close will)

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        while True:
            try:
                if not self._sess:
                    self._sess = self._create_session()
                return self._sess.run(fetches, feed_dict=feed_dict, options=options,
                                      run_metadata=run_metadata)
            except PREEMPTION_ERRORS as e:
                self._recover(e)

    def run_step_fn(self, step_fn, raw_session, run_with_hooks):
        while True:
            try:
                if not self._sess:
                    self._sess = self._create_session()
                    raw_session = self._sess_creator.tf_sess
                return self._sess.run_step_fn(step_fn, raw_session, self._sess.run)
            except PREEMPTION_ERRORS as e:
                self._recover(e)


class CoordinatedSession(WrappedSession):
    """Raises what the threads reported to the Coordinator; stops and joins them on close."""

    def __init__(self, sess, coord, stop_grace_period_secs=120):
        super().__init__(sess)
        self._coord = coord
        self._stop_grace_period_secs = stop_grace_period_secs

    def _check_stop(self):
        self._coord.raise_requested_exception()  # a thread's error surfaces here
        return self._coord.should_stop()

    def close(self):
        self._coord.request_stop()
        try:
            self._coord.join(stop_grace_period_secs=self._stop_grace_period_secs,
                             ignore_live_threads=True)
        finally:
            try:
                WrappedSession.close(self)
            except Exception:  # TF ignores errors closing it
                pass

    def run(self, *args, **kwargs):
        try:
            return self._sess.run(*args, **kwargs)
        except PREEMPTION_ERRORS:
            raise
        except Exception:
            # a thread's error is often the cause of the step's: TF raises the thread's
            self._coord.raise_requested_exception()
            raise


class HookedSession(WrappedSession):
    """Calls the hooks' before_run/after_run around each run."""

    def __init__(self, sess, hooks):
        super().__init__(sess)
        self._hooks = hooks
        self._should_stop = False

    def _check_stop(self):
        return self._should_stop

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        if self.should_stop():
            raise RuntimeError("Run called even after should_stop requested.")
        actual_fetches = {"caller": fetches}
        run_context = SessionRunContext(SessionRunArgs(fetches, feed_dict), self._sess)
        feed_dict, options = self._call_hook_before_run(run_context, actual_fetches, feed_dict,
                                                        options)
        if run_metadata is None:  # (the hooks get one in any case, as in TF)
            run_metadata = RunMetadata()
        outputs = self._sess.run(actual_fetches, feed_dict=feed_dict, options=options,
                                 run_metadata=run_metadata)
        for hook in self._hooks:
            hook.after_run(run_context, SessionRunValues(
                results=outputs.get(hook), options=options, run_metadata=run_metadata))
        self._should_stop = self._should_stop or run_context.stop_requested
        return outputs["caller"]

    def _call_hook_before_run(self, run_context, fetch_dict, user_feed_dict, options):
        """(the run's feeds, its RunOptions: the caller's merged with the hooks')."""
        hook_feeds = {}
        for hook in self._hooks:
            request = hook.before_run(run_context)
            if request is None:
                continue
            if request.fetches is not None:
                fetch_dict[hook] = request.fetches
            if request.feed_dict:
                _raise_if_feeds_intersect(hook_feeds, request.feed_dict,
                                          "Same tensor is fed by two hooks.")
                hook_feeds.update(request.feed_dict)
            if request.options is not None:
                options = _merged_options(options, request.options)
        if not hook_feeds:
            return user_feed_dict, options
        if not user_feed_dict:
            return hook_feeds, options
        _raise_if_feeds_intersect(user_feed_dict, hook_feeds,
                                  "Same tensor is fed by a SessionRunHook and user.")
        hook_feeds.update(user_feed_dict)
        return hook_feeds, options


def _merged_options(options, incoming):
    # TF's merge (its numbers the larger, its flags or'ed), into a copy: the caller's options
    # are left as they were
    merged = RunOptions()
    if options is not None:
        merged.CopyFrom(options)
    for name in ("trace_level", "timeout_in_ms", "inter_op_thread_pool",
                 "output_partition_graphs"):
        setattr(merged, name, max(getattr(merged, name), getattr(incoming, name)))
    return merged


def _raise_if_feeds_intersect(feeds1, feeds2, message):
    common = set(feeds1) & set(feeds2)
    if common:
        raise RuntimeError(message + " Conflict(s): " + str(list(common)))
