"""`tf.train.SessionRunHook` and the values passed to it: the hook API of MonitoredSession.

A MonitoredSession calls each hook's `begin` before the graph is finalized, then
`after_create_session` once a session exists (and again whenever it is re-created), then around
every `run`: `before_run` (which may ask for more fetches and feeds, merged into the caller's)
and `after_run` (which sees those fetches' values), and `end` when the session closes normally.
"""
import collections

__all__ = ["SessionRunHook", "SessionRunArgs", "SessionRunContext", "SessionRunValues"]


class SessionRunHook:
    """Extends `MonitoredSession.run` with code run around each step (`tf.train`).

    Subclass it and override the calls you need; every call here does nothing.
    """

    def begin(self):
        """Called once before the session is used; the graph may still be changed here."""

    def after_create_session(self, session, coord):
        """Called when a session has been created (and initialized or restored).

        The graph is finalized by now. Called again if the session is re-created after an
        error it recovers from.

        Args:
          session: the new `Session`.
          coord: the `Coordinator` of the session's threads.
        """

    def before_run(self, run_context):
        """Called before each `run`; may ask for more fetches and feeds.

        Args:
          run_context: a `SessionRunContext` (the caller's fetches and feeds, the session,
            `request_stop()`).

        Returns:
          None, or a `SessionRunArgs` whose fetches are run with the caller's and whose feeds
          are merged into the caller's feed_dict.
        """
        return None

    def after_run(self, run_context, run_values):
        """Called after each `run`, with the values of the fetches `before_run` asked for.

        Args:
          run_context: the same `SessionRunContext` as `before_run` got.
          run_values: a `SessionRunValues`; `results` holds the values of this hook's fetches
            (None if it asked for none).
        """

    def end(self, session):
        """Called when the monitored session closes without an error (or at OutOfRangeError).

        Args:
          session: the `Session`, still usable here.
        """


class SessionRunArgs(collections.namedtuple("SessionRunArgs",
                                            ["fetches", "feed_dict", "options"])):
    """What a hook's `before_run` asks to add to a `run` (`tf.train`).

    `SessionRunArgs(fetches, feed_dict=None, options=None)`.

    Attributes:
      fetches: anything `Session.run` accepts as fetches (None for none); the hook gets their
        values, in the same structure, as `run_values.results`.
      feed_dict: {tensor: value} merged into the caller's feeds; a tensor fed by two hooks, or
        by a hook and the caller, is an error.
      options: RunOptions merged into the run's (the larger trace level, as TF merges them);
        the hook's `after_run` gets the run's RunMetadata.
    """

    def __new__(cls, fetches, feed_dict=None, options=None):
        return super().__new__(cls, fetches, feed_dict, options)


class SessionRunContext:
    """What a hook sees of a `run` in `before_run` and `after_run` (`tf.train`).

    Args:
      original_args: the caller's `SessionRunArgs` (its fetches and feed_dict).
      session: the `Session` the step runs in.
    """

    def __init__(self, original_args, session):
        self._original_args = original_args
        self._session = session
        self._stop_requested = False

    original_args = property(lambda self: self._original_args,
                             doc="The caller's fetches and feeds, a `SessionRunArgs`.")
    session = property(lambda self: self._session, doc="The `Session` the step runs in.")
    stop_requested = property(lambda self: self._stop_requested,
                              doc="Whether a hook has called `request_stop()` in this step.")

    def request_stop(self):
        """Asks the monitored session to stop: its `should_stop()` is True after this step."""
        self._stop_requested = True


class SessionRunValues(collections.namedtuple("SessionRunValues",
                                              ["results", "options", "run_metadata"])):
    """What a hook's `after_run` receives (`tf.train`).

    Attributes:
      results: the values of the fetches the hook's `before_run` asked for (None if none).
      options: the RunOptions of the run.
      run_metadata: the RunMetadata of the run.
    """
