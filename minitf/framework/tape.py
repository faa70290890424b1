"""The gradient tapes recording in this thread. An eager op is offered to each as it runs, and a
resource variable's read tells them the variable was used (so a tape can watch it); what a
tape keeps and how it differentiates is minitf/backprop.py's GradientTape."""
import contextlib
import threading

_local = threading.local()


def active():
    """This thread's recording tapes, innermost last (an empty tuple when there are none)."""
    return getattr(_local, "tapes", ())


def push(tape):
    _local.tapes = (*active(), tape)


def pop(tape):
    tapes = active()
    if not tapes or tapes[-1] is not tape:
        raise ValueError("Tape stack is out of order: exit the innermost tape (or "
                         "stop_recording block) first.")
    _local.tapes = tapes[:-1]


def record(op):
    """Offers an eager op that just ran (its inputs and outputs are EagerTensors) to the tapes."""
    for tape in active():
        tape._record(op)


def variable_accessed(variable):
    """Tells the tapes that `variable` is being read."""
    for tape in active():
        tape._variable_accessed(variable)


@contextlib.contextmanager
def paused():
    """No tape of this thread records inside (GradientTape.stop_recording)."""
    tapes, _local.tapes = active(), ()
    try:
        yield
    finally:
        _local.tapes = tapes
