"""`tf.train.Coordinator` and `LooperThread`: stopping a set of threads together, and passing
the first exception one of them raised to the thread that joins them."""
import contextlib
import sys
import threading
import time

from minitf import tf_logging as logging
from minitf.framework import errors

__all__ = ["Coordinator", "LooperThread"]


class Coordinator:
    """Coordinates the stop of a set of threads (`tf.train`).

    Threads loop `while not coord.should_stop()`; any thread may `request_stop()`, passing the
    exception that made it stop; `join` waits for the threads and re-raises that exception.

    Args:
      clean_stop_exception_types: exception types that stop the threads without being an
        error (`request_stop(ex)` with one of them records nothing); default
        `(tf.errors.OutOfRangeError,)`.

    >>> import threading
    >>> coord = tf.train.Coordinator()
    >>> def work():
    ...     with coord.stop_on_exception():
    ...         raise ValueError("bad input")
    >>> t = threading.Thread(target=work); t.start()
    >>> try:
    ...     coord.join([t])
    ... except ValueError as e:
    ...     print("joined:", e)
    joined: bad input
    """

    def __init__(self, clean_stop_exception_types=None):
        if clean_stop_exception_types is None:
            clean_stop_exception_types = (errors.OutOfRangeError,)
        self._clean_stop_exception_types = tuple(clean_stop_exception_types)
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info_to_raise = None
        self._joined = False
        self._registered_threads = set()

    def _filter_exception(self, ex):
        value = ex[1] if isinstance(ex, tuple) else ex
        return None if isinstance(value, self._clean_stop_exception_types) else ex

    def request_stop(self, ex=None):
        """Asks the threads to stop; `should_stop()` is True from now on.

        Args:
          ex: the exception that caused the stop: an exception (raised just before, as in an
            `except` block) or a `sys.exc_info()` tuple. Only the first one reported is
            kept, for `join` to re-raise; a clean-stop type is not kept.

        Raises:
          The exception `ex`, if the threads have already been joined.
        """
        with self._lock:
            ex = self._filter_exception(ex)
            if self._joined:  # nobody will re-raise it any more: raise it here
                if isinstance(ex, tuple):
                    raise ex[1].with_traceback(ex[2])
                if ex is not None:  # TF re-raises the exception being handled
                    current = sys.exc_info()[1]
                    if current is None:
                        raise TypeError("exceptions must derive from BaseException")
                    raise current
            if self._stop_event.is_set():
                return
            if ex and self._exc_info_to_raise is None:
                self._exc_info_to_raise = self._exc_info(ex)
            self._stop_event.set()

    @staticmethod
    def _exc_info(ex):
        if isinstance(ex, tuple):
            logging.info("Error reported to Coordinator: %s", ex[1], exc_info=ex)
            return ex
        logging.info("Error reported to Coordinator: %s, %s", type(ex), ex)
        info = sys.exc_info()
        if info[1] is not None:
            return info
        try:  # raised here so it has a traceback, as TF does
            raise ValueError(f"ex must be a tuple or sys.exc_info must return the current "
                             f"exception: {info}")
        except ValueError:
            return sys.exc_info()

    def clear_stop(self):
        """Clears the stop request and the recorded exception, to reuse the coordinator."""
        with self._lock:
            self._joined = False
            self._exc_info_to_raise = None
            self._stop_event.clear()

    def should_stop(self):
        """Returns True once a stop has been requested."""
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self):
        """Returns a context manager requesting a stop with any exception raised in it.

        The exception is swallowed there: `join` re-raises it.

        Yields:
          Nothing.
        """
        try:
            yield
        except BaseException:  # TF catches everything, for join
            self.request_stop(ex=sys.exc_info())

    def wait_for_stop(self, timeout=None):
        """Waits until a stop is requested.

        Args:
          timeout: the most seconds to wait (None: no limit).

        Returns:
          True if a stop was requested, False on timeout.
        """
        return self._stop_event.wait(timeout)

    def register_thread(self, thread):
        """Adds a thread to those `join` waits for.

        Args:
          thread: a `threading.Thread`.
        """
        with self._lock:
            self._registered_threads.add(thread)

    def join(self, threads=None, stop_grace_period_secs=120, ignore_live_threads=False):
        """Waits for the threads to end, then re-raises the exception reported, if any.

        It waits until every thread has ended or a stop is requested; then gives the threads
        still alive `stop_grace_period_secs` to end.

        Args:
          threads: the threads to wait for, with the registered ones.
          stop_grace_period_secs: how long threads may run after the stop request.
          ignore_live_threads: if True, only log the threads still alive after the grace
            period, instead of raising.

        Raises:
          The exception passed to `request_stop`, if any; else RuntimeError when threads are
          still alive after the grace period (and not `ignore_live_threads`).
        """
        with self._lock:
            threads = set(threads or ()) | self._registered_threads
        while any(t.is_alive() for t in threads) and not self.wait_for_stop(1.0):
            pass
        wait = 0.001  # then poll with growing sleeps, within the grace period
        while any(t.is_alive() for t in threads) and stop_grace_period_secs >= 0.0:
            time.sleep(wait)
            stop_grace_period_secs -= wait
            wait = max(min(2 * wait, stop_grace_period_secs), 0.001)
        stragglers = [t.name for t in threads if t.is_alive()]
        with self._lock:
            self._joined = True
            self._registered_threads = set()
            if self._exc_info_to_raise:
                raise self._exc_info_to_raise[1].with_traceback(self._exc_info_to_raise[2])
            if stragglers:
                message = "Coordinator stopped with threads still running: " + " ".join(
                    stragglers)
                if not ignore_live_threads:
                    raise RuntimeError(message)
                logging.info("%s", message)

    joined = property(lambda self: self._joined, doc="Whether `join` has run.")

    def raise_requested_exception(self):
        """Raises the exception passed to `request_stop`, if there is one."""
        with self._lock:
            if self._exc_info_to_raise:
                raise self._exc_info_to_raise[1].with_traceback(self._exc_info_to_raise[2])


class LooperThread(threading.Thread):
    """A thread that calls a function repeatedly until its coordinator stops (`tf.train`).

    Errors in the thread are reported to the coordinator. Subclass it and override
    `run_loop` (and `start_loop`/`stop_loop`), or pass `target`.

    Args:
      coord: the Coordinator.
      timer_interval_secs: call `run_loop` every this many seconds, or, if None, as fast as
        possible.
      target: the function to call (optional).
      args: its positional arguments.
      kwargs: its keyword arguments.

    Raises:
      ValueError: `coord` is not a Coordinator, or `args`/`kwargs` without `target`.
    """

    def __init__(self, coord, timer_interval_secs, target=None, args=None, kwargs=None):
        if not isinstance(coord, Coordinator):
            raise ValueError(f"'coord' argument must be a Coordinator: {coord}")
        super().__init__()
        self.daemon = True
        self._coord = coord
        self._timer_interval_secs = timer_interval_secs
        self._target = target
        if target:
            self._args, self._kwargs = args or (), kwargs or {}
        elif args or kwargs:
            raise ValueError("'args' and 'kwargs' argument require that you also pass 'target'")
        self._coord.register_thread(self)

    @staticmethod
    def loop(coord, timer_interval_secs, target, args=None, kwargs=None):
        """Starts a LooperThread calling `target(*args, **kwargs)`; returns it.

        Args:
          coord: the Coordinator.
          timer_interval_secs: the period in seconds (None: as fast as possible).
          target: the function.
          args: its positional arguments.
          kwargs: its keyword arguments.

        Returns:
          The started thread.
        """
        looper = LooperThread(coord, timer_interval_secs, target=target, args=args,
                              kwargs=kwargs)
        looper.start()
        return looper

    def run(self):
        with self._coord.stop_on_exception():
            self.start_loop()
            if self._timer_interval_secs is None:
                while not self._coord.should_stop():
                    self.run_loop()
            else:
                next_time = time.time()
                while not self._coord.wait_for_stop(next_time - time.time()):
                    next_time += self._timer_interval_secs
                    self.run_loop()
            self.stop_loop()

    def start_loop(self):
        """Called once when the thread starts."""

    def stop_loop(self):
        """Called once when the loop ends."""

    def run_loop(self):
        """Called at each period: calls `target` if one was given."""
        if self._target:
            self._target(*self._args, **self._kwargs)
