"""`tf.logging`: TF1's logging functions, over Python's `logging` logger "tensorflow".

As in TF, the logger gets a stderr handler printing `LEVEL:tensorflow:message` unless the root
logger is configured already, and `fatal` logs at FATAL (= CRITICAL) without exiting.
`log_every_n` and `log_first_n` count per token as TF1 does: the place the code calling them was
called from, if that is in another file.
"""
import logging
import sys

__all__ = [
    "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "get_logger", "set_verbosity", "get_verbosity",
    "debug", "info", "warn", "warning", "error", "fatal", "log", "vlog", "log_if", "log_every_n",
    "log_first_n", "TaskLevelStatusMessage", "flush",
]

DEBUG, INFO, WARN, ERROR, FATAL = (logging.DEBUG, logging.INFO, logging.WARN, logging.ERROR,
                                   logging.FATAL)

_configured = []


def get_logger():
    """Returns the `logging.Logger` named "tensorflow", giving it TF's handler the first time."""
    logger = logging.getLogger("tensorflow")
    if not _configured:
        _configured.append(True)
        if not logging.getLogger().handlers and not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter(logging.BASIC_FORMAT, None))
            logger.addHandler(handler)
    return logger


def set_verbosity(v):
    """Sets the threshold: messages below level `v` are dropped.

    Args:
      v: a level (`tf.logging.INFO`, ...).
    """
    get_logger().setLevel(v)


def get_verbosity():
    """Returns the logger's effective threshold (WARN by default)."""
    return get_logger().getEffectiveLevel()


def log(level, msg, *args, **kwargs):
    """Logs `msg % args` at `level`.

    Args:
      level: the level.
      msg: the message (a %-format string).
      **kwargs: passed to `logging.Logger.log` (`exc_info`, ...).
    """
    get_logger().log(level, msg, *args, **kwargs)


def debug(msg, *args, **kwargs):
    """Logs `msg % args` at DEBUG.

    Args:
      msg: the message (a %-format string).
    """
    get_logger().debug(msg, *args, **kwargs)


def info(msg, *args, **kwargs):
    """Logs `msg % args` at INFO.

    Args:
      msg: the message (a %-format string).
    """
    get_logger().info(msg, *args, **kwargs)


def warning(msg, *args, **kwargs):
    """Logs `msg % args` at WARN.

    Args:
      msg: the message (a %-format string).
    """
    get_logger().warning(msg, *args, **kwargs)


warn = warning


def error(msg, *args, **kwargs):
    """Logs `msg % args` at ERROR.

    Args:
      msg: the message (a %-format string).
    """
    get_logger().error(msg, *args, **kwargs)


def fatal(msg, *args, **kwargs):
    """Logs `msg % args` at FATAL (it does not exit, as in TF).

    Args:
      msg: the message (a %-format string).
    """
    get_logger().fatal(msg, *args, **kwargs)


def vlog(level, msg, *args, **kwargs):
    """Logs at a numeric level (TF1 logs `vlog(1, ...)` at level 1, below DEBUG).

    Args:
      level: the level.
      msg: the message (a %-format string).
    """
    get_logger().log(level, msg, *args, **kwargs)


def log_if(level, msg, condition, *args):
    """Logs `msg % args` at `level` when `condition` holds.

    Args:
      level: the level.
      msg: the message (a %-format string).
      condition: whether to log.
    """
    if condition:
        vlog(level, msg, *args)


_counts = {}


def _next_count_at_caller():
    """How many times this call site's token has counted before (0 the first time).

    The token is TF's: the first frame, above the caller of log_every_n/log_first_n, from another
    file than the caller's (('<unknown>', 0) when there is none, as for a script's top level).
    So calls made from one file share a token, as they do in TF1.
    """
    frame = sys._getframe(2)
    caller_file, frame = frame.f_code.co_filename, frame.f_back
    while frame is not None and frame.f_code.co_filename == caller_file:
        frame = frame.f_back
    token = ("<unknown>", 0) if frame is None else (frame.f_code.co_filename, frame.f_lineno)
    count = _counts.get(token, 0)
    _counts[token] = count + 1
    return count


def log_every_n(level, msg, n, *args):
    """Logs on the 1st, (n+1)st, (2n+1)st, ... call with the same token (see module doc).

    Args:
      level: the level.
      msg: the message (a %-format string).
      n: the period.
    """
    log_if(level, msg, not _next_count_at_caller() % n, *args)


def log_first_n(level, msg, n, *args):
    """Logs on the first `n` calls with the same token only (see module doc).

    Args:
      level: the level.
      msg: the message (a %-format string).
      n: how many calls log.
    """
    log_if(level, msg, _next_count_at_caller() < n, *args)


def TaskLevelStatusMessage(msg):
    """Logs a task's status message (at ERROR, as TF does).

    Args:
      msg: the message.
    """
    error(msg)


def flush():
    """Not implemented, as in TF1 (which raises NotImplementedError).

    Raises:
      NotImplementedError: always.
    """
    raise NotImplementedError()
