"""`tf.train.basic_train_loop`: TF1's simplest training loop over a supervisor's session."""
from minitf.framework import errors

__all__ = ["basic_train_loop"]


def basic_train_loop(supervisor, train_step_fn, args=None, kwargs=None, master=""):
    """Calls `train_step_fn` until the supervisor says to stop, retrying after an abort.

    It opens `supervisor.managed_session(master)`, calls `train_step_fn(sess, *args,
    **kwargs)` while not `supervisor.should_stop()`, and starts over with a new managed
    session when an AbortedError ends it.

    Args:
      supervisor: an object with `managed_session(master)` (a context manager yielding a
        session) and `should_stop()`, as TF's `tf.train.Supervisor`.
      train_step_fn: the function running one step.
      args: its positional arguments after the session.
      kwargs: its keyword arguments.
      master: passed to `managed_session`.
    """
    args, kwargs = args or [], kwargs or {}
    should_retry = True
    while should_retry:
        try:
            should_retry = False
            with supervisor.managed_session(master) as sess:
                while not supervisor.should_stop():
                    train_step_fn(sess, *args, **kwargs)
        except errors.AbortedError:
            should_retry = True  # the session was aborted: start again with a new one
