"""NameTable, ScopeCounts and the per-thread graph state, pure Python: the twin of
csrc/names.pxi (same methods, order, errors and text).

Invariant: `_used` maps every lowercased full name handed out (or reserved by an explicit `_N`
name) to how many times its base has been asked for, so uniquification is one dict lookup in the
common case and never scans the graph.
"""
import re
import threading

# TF's patterns, ending in \Z where TF's `$` lets a final line break by (an op in scope "b\n"
# would fail later, as its full name "b\n/op" fails TF's pattern)
_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*\Z").match
_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\\/>-]*\Z").match


def _check_str(value, arg):
    # what a compiled `str` argument checks (it lets None by, as Cython does)
    if value is not None and not isinstance(value, str):
        raise TypeError(f"Argument '{arg}' has incorrect type (expected str, got "
                        f"{type(value).__name__})")


class _Forget:
    """Drops a finished thread's state: kept in a threading.local, so freed at thread exit."""

    __slots__ = ("by_thread", "ident")

    def __init__(self, by_thread, ident):
        self.by_thread, self.ident = by_thread, ident

    def __del__(self):
        self.by_thread.pop(self.ident, None)


class ThreadState:
    """One thread's state in one graph: its name scope, control-dependency and device stacks,
    and its variable scope and default_name counters (set by minitf.variable_scope)."""

    __slots__ = ("name_stack", "control_stack", "device_stack", "current", "counts")

    def __init__(self):
        self.name_stack = ""
        self.control_stack, self.device_stack = [], []  # innermost last
        self.current = self.counts = None


class ThreadStates:
    """A graph's ThreadState per thread (a dict by thread id: cheaper than threading.local)."""

    __slots__ = ("_by_thread", "_local")

    def __init__(self):
        self._by_thread = {}
        self._local = threading.local()  # holds each thread's _Forget: dies with the thread

    def get(self):
        """This thread's state, made on first use (and dropped when the thread ends, so a
        new thread that gets the same id starts afresh)."""
        ident = threading.get_ident()
        state = self._by_thread.get(ident)
        if state is None:
            state = self._by_thread[ident] = ThreadState()
            self._local.forget = _Forget(self._by_thread, ident)
        return state


class NameTable:
    """The names in use in one graph, with TF1's uniquification and name-scope rules."""

    def __init__(self, states=None, uniquify=True):
        self._used = {}
        self._states = states
        self._uniquify = uniquify  # False in eager mode: names are scoped, never made unique (TF)
        # a read-modify-write of `_used` is one C call in the compiled twin (the GIL makes it
        # atomic); here, a thread switch in between would store a stale count
        self._lock = threading.Lock()

    _states, _uniquify = None, True  # (as the compiled table's, when __init__ did not run)

    def unique(self, name, mark_as_used=True):
        """unique_name in this thread's current name scope (of `states`): what a Graph binds as
        its `unique_name`, so that call is this one C call."""
        if self._states is None:
            raise TypeError("NameTable.unique needs the ThreadStates the table was made with")
        return self.unique_name(self._states.get().name_stack, name, mark_as_used)

    def unique_name(self, stack, name, mark_as_used=True):
        """`stack/name` made unique as TF's Graph.unique_name: `name`, `name_1`, `name_2`, ...

        The check is case-insensitive, and a candidate already in use (e.g. an explicit
        `name_1`) is skipped.
        """
        if not isinstance(name, str):  # as the compiled twin's typed argument
            raise TypeError("Argument 'name' has incorrect type (expected str, got "
                            f"{type(name).__name__})")
        _check_str(stack, "stack")
        if stack:
            name = stack + "/" + name
        if not self._uniquify:
            return name
        key = name.lower()
        with self._lock:
            i = self._used.get(key, 0)
            if mark_as_used:
                self._used[key] = i + 1
            if i == 0:
                return name
            base = key
            while key in self._used:
                key = f"{base}_{i}"
                i += 1
            if mark_as_used:
                self._used[key] = 1
        return f"{name}_{i - 1}"

    def open_scope(self, stack, name):
        """What entering name scope `name` inside `stack` yields: (new stack, scope string).

        None or "" resets to the root; "a/b/" re-enters exactly that scope (a full name, checked
        as one); any other name is validated (TF's regexes: stricter at the root) and
        uniquified.
        """
        if not name:
            return "", ""
        if not isinstance(name, str):
            raise TypeError(f"Scope names must be strings, not {type(name).__name__}: {name!r}")
        # a name ending in "/" is a full scope name, from the root ("/" alone: the root)
        if stack and name[-1] != "/":
            if not _SCOPE_NAME(name):
                raise ValueError(
                    f"'{name}' is not a valid scope name. A scope name has to match the "
                    f"following pattern: {_SCOPE_NAME.__self__.pattern}")
        elif not (_OP_NAME(name) or stack and name == "/"):
            raise ValueError(
                f"'{name}' is not a valid root scope name. A root scope name has to match the "
                f"following pattern: {_OP_NAME.__self__.pattern}")
        if name[-1] == "/":
            return name[:-1], name
        new_stack = self.unique_name(stack, name, True)
        return new_stack, new_stack + "/"

    def in_use(self, full_name):
        """Whether `full_name` (any capitalization) has been handed out or reserved."""
        if not isinstance(full_name, str):  # as the compiled twin's typed argument
            raise TypeError("Argument 'full_name' has incorrect type (expected str, got "
                            f"{type(full_name).__name__})")
        return full_name.lower() in self._used


class ScopeCounts:
    """How often each variable scope name was opened in one thread: TF1's default_name counters.

    TF scans every counter when a scope exits and copies them all when a captured scope is
    re-entered; here exiting drops the exited scope's subtree (each counter is dropped at most
    once) and a re-entry keeps an undo journal, so both cost O(1) amortized.
    """

    def __init__(self):
        self._counts = {}  # full scope name -> [times opened, next _N suffix worth trying]
        self._kids = {}  # full scope name -> set of the full names one level below it
        self._journal = None  # undo records while a captured scope is re-entered
        self._marks = []

    def count(self, name):
        """How many times scope `name` is open or was opened since its parent was entered."""
        _check_str(name, "name")
        entry = self._counts.get(name)
        return 0 if entry is None else entry[0]

    def open(self, name):
        """Records one more opening of scope `name`."""
        _check_str(name, "name")
        entry = self._counts.get(name)
        if entry is None:
            self._set(name, [1, 1])
            self._link(name)
        elif self._journal is None:
            entry[0] += 1  # no undo journal holds this entry: count in place
        else:
            self._set(name, [entry[0] + 1, entry[1]])

    def close_subscopes(self, name):
        """Forgets every scope below `name` (TF: their counters restart when it is re-entered)."""
        _check_str(name, "name")
        stack = [name]
        while stack:
            parent = stack.pop()
            kids = self._kids.pop(parent, None)
            if kids is None:
                continue
            if self._journal is not None:
                self._journal.append((1, parent, kids))
            for kid in kids:
                if kid in self._counts:
                    self._set(kid, None)
                stack.append(kid)

    def unique_suffix(self, base):
        """0 if scope `base` is unused, else the smallest N with `base_N` unused (TF's rule)."""
        _check_str(base, "base")
        entry = self._counts.get(base)
        if entry is None or entry[0] == 0:
            return 0
        i = entry[1]
        while self.count(f"{base}_{i}") > 0:
            i += 1
        if i != entry[1]:
            self._set(base, [entry[0], i])
        return i

    def mark(self):
        """Starts recording changes, to be undone by the matching `undo()`."""
        if self._journal is None:
            self._journal = []
        self._marks.append(len(self._journal))

    def undo(self):
        """Reverts every change since the last `mark()`."""
        start = self._marks.pop()
        journal = self._journal
        while len(journal) > start:
            kind, key, old = journal.pop()
            if kind == 0:
                if old is None:
                    self._counts.pop(key, None)
                else:
                    self._counts[key] = old
            elif kind == 1:
                if old is None:
                    self._kids.pop(key, None)
                else:
                    self._kids[key] = old
            else:
                self._kids[key].discard(old)
        if not self._marks:
            self._journal = None

    def _set(self, name, entry):
        if self._journal is not None:
            self._journal.append((0, name, self._counts.get(name)))
        if entry is None:
            del self._counts[name]
        else:
            self._counts[name] = entry

    def _link(self, name):
        # Registers `name` below each ancestor, so closing an ancestor finds it.
        child = name
        while "/" in child:
            parent = child.rpartition("/")[0]
            kids = self._kids.get(parent)
            if kids is None:
                kids = self._kids[parent] = set()
                if self._journal is not None:
                    self._journal.append((1, parent, None))
            elif child in kids:
                return
            kids.add(child)
            if self._journal is not None:
                self._journal.append((2, parent, child))
            child = parent
