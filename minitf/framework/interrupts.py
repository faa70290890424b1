"""Ctrl-C between steps, never inside one.

TensorFlow runs a step in C++ with the GIL released: Python's SIGINT handler (the one raising
KeyboardInterrupt) runs once the step has returned, so an interrupted training step is either
applied whole or not at all. minitf runs a step in Python, where the handler could fire between
two of its kernels and leave some variables updated and others not. So code that must not be
torn (a Session.run that updates state, a deferred variable's build) runs between
`hold()` and `release()`: a SIGINT arriving in between is recorded, and the Python handler it
was meant for runs at the outermost `release()`.

This works by wrapping the Python-level SIGINT handler (Python's default, or the program's own)
the first time the main thread needs it; a handler the program installs later is wrapped the
next time. Signals with no Python handler (SIG_DFL, SIG_IGN) are left alone. A hold costs two
C calls and a few list operations (~5,000 instructions for the pair, 0.4 % of the MLP
benchmark's training step).
"""
import signal
import threading

try:  # the C function: signal.getsignal wraps it in an enum lookup that raises (~4 µs a call)
    from _signal import getsignal as _getsignal
except ImportError:  # another Python: the public one
    _getsignal = signal.getsignal

_MAIN = threading.main_thread()
_SIGINT = int(signal.SIGINT)
_get_ident = threading.get_ident
# Python runs signal handlers in the main thread only, so only its sections count: a SIGINT
# during another thread's step interrupts the main thread, not that step. [depth of hold() in
# the main thread, (handler, signum, frame) of a SIGINT that arrived meanwhile]
_main = [0, None]
# wrapper -> the handler it defers, and back. A wrapper defers one handler for good, so a
# program that saves the installed handler (ours) and puts it back later gets the right one.
_handler_of, _wrapper_of = {}, {}


def _wrap(handler):
    def deferring(signum, frame):
        if _main[0]:
            if _main[1] is None:
                _main[1] = (handler, signum, frame)
            return
        handler(signum, frame)
    _handler_of[deferring], _wrapper_of[handler] = handler, deferring
    return deferring


def _install():
    current = _getsignal(_SIGINT)
    if callable(current):
        signal.signal(signal.SIGINT, _wrapper_of.get(current) or _wrap(current))


def hold():
    """Starts a section a SIGINT may not interrupt (pair with `release()` in a `finally`)."""
    if _get_ident() == _MAIN.ident:
        if _getsignal(_SIGINT) not in _handler_of:
            _install()
        _main[0] += 1


def release():
    """Ends a `hold()`; at the outermost one, runs the handler of a SIGINT that arrived since
    (Python's default raises KeyboardInterrupt here)."""
    if _get_ident() == _MAIN.ident:
        main = _main
        main[0] -= 1
        if not main[0] and main[1] is not None:
            handler, signum, frame = main[1]
            main[1] = None
            handler(signum, frame)


class held:
    """`with held():` — `hold()` on entry, `release()` on exit."""

    __slots__ = ()

    def __enter__(self):
        hold()

    def __exit__(self, *exc):
        release()
        return False
