"""Ctrl-C between steps, never inside one.

TensorFlow runs a step in C++ with the GIL released: Python's SIGINT handler (the one raising
KeyboardInterrupt) runs once the step has returned, so an interrupted training step is either
applied whole or not at all. minitf runs a step in Python, where the handler could fire between
two of its kernels and leave some variables updated and others not. So code that must not be
torn (a Session.run that updates state, a deferred variable's build, a restore) runs between
`hold()` and `release()`: a SIGINT arriving in between is recorded, and the Python handler it
was meant for runs at the outermost `release()`.

This works by wrapping the Python-level SIGINT handler (Python's default, or the program's own)
from the main thread, the first time it is needed; a handler the program installs later is
wrapped the next time. Signals with no Python handler (SIG_DFL, SIG_IGN) are left alone.
"""
import signal
import threading

_MAIN = threading.main_thread()


class _Held(threading.local):
    depth = 0  # nesting of hold() in this thread
    pending = None  # (handler, signum, frame) of a SIGINT that arrived while the main thread held


_held = _Held()
# wrapper -> the handler it defers, and back. A wrapper defers one handler for good, so a
# program that saves the installed handler (ours) and puts it back later gets the right one.
_handler_of, _wrapper_of = {}, {}


def _wrap(handler):
    def deferring(signum, frame):
        # runs in the main thread, so `_held` is the main thread's
        if _held.depth:
            if _held.pending is None:
                _held.pending = (handler, signum, frame)
            return
        handler(signum, frame)
    _handler_of[deferring], _wrapper_of[handler] = handler, deferring
    return deferring


def _install():
    current = signal.getsignal(signal.SIGINT)
    if callable(current) and threading.current_thread() is _MAIN:
        signal.signal(signal.SIGINT, _wrapper_of.get(current) or _wrap(current))


def hold():
    """Starts a section a SIGINT may not interrupt (pair with `release()` in a `finally`)."""
    if signal.getsignal(signal.SIGINT) not in _handler_of:
        _install()
    _held.depth += 1


def release():
    """Ends a `hold()`; at the outermost one, runs the handler of a SIGINT that arrived since
    (Python's default raises KeyboardInterrupt here)."""
    held = _held
    held.depth -= 1
    if held.depth == 0 and held.pending is not None:
        handler, signum, frame = held.pending
        held.pending = None
        handler(signum, frame)


class held:
    """`with held():` — `hold()` on entry, `release()` on exit."""

    __slots__ = ()

    def __enter__(self):
        hold()

    def __exit__(self, *exc):
        release()
        return False
