"""NameTable and ScopeCounts, compiled (included into scopes.pyx, so the scope fast paths call
them in C): the twin of minitf/_pure/names.py (same methods, order, errors and text).

Invariant: a lowercased full name is in use when `_used` holds it (with how many times its base
has been asked for), or when it is `base_k` with 1 <= k < the count of `base`: the counter
implies those, so a loop of unique names keeps the dict at its distinct bases (small and
cache-resident) instead of one entry per name. The pure twin stores every name; both agree on
every answer (tests/test_kernels.py).
"""
import re
import threading

# TF's patterns, ending in \Z where TF's `$` lets a final line break by (an op in scope "b\n"
# would fail later, as its full name "b\n/op" fails TF's pattern)
_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*\Z").match
_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\\/>-]*\Z").match


class _Forget:
    """Drops a finished thread's state: kept in a threading.local, so freed at thread exit."""

    __slots__ = ("by_thread", "ident")

    def __init__(self, by_thread, ident):
        self.by_thread, self.ident = by_thread, ident

    def __del__(self):
        self.by_thread.pop(self.ident, None)


cdef extern from "pythread.h":
    unsigned long PyThread_get_thread_ident()


@cython.final
cdef class ThreadState:
    """One thread's state in one graph: its name scope, control-dependency and device stacks,
    and its variable scope and default_name counters (set by minitf.variable_scope)."""

    cdef public str name_stack
    cdef public list control_stack, device_stack
    cdef public object current, counts

    def __init__(self):
        self.name_stack = ""
        self.control_stack, self.device_stack = [], []  # innermost last
        self.current = self.counts = None


@cython.final
cdef class ThreadStates:
    """A graph's ThreadState per thread (a dict by thread id: cheaper than threading.local)."""

    cdef dict _by_thread
    cdef object _local

    def __cinit__(self):  # (not __init__: an object made by __new__ alone must not crash)
        self._by_thread = {}
        self._local = threading.local()  # holds each thread's _Forget: dies with the thread

    cpdef ThreadState get(self):
        """This thread's state, made on first use (and dropped when the thread ends, so a
        new thread that gets the same id starts afresh)."""
        ident = PyThread_get_thread_ident()
        state = self._by_thread.get(ident)
        if state is None:
            state = self._by_thread[ident] = ThreadState()
            self._local.forget = _Forget(self._by_thread, ident)
        return state


@cython.final
cdef class NameTable:
    """The names in use in one graph, with TF1's uniquification and name-scope rules."""

    cdef dict _used  # lowercased name -> times handed out; generated `base_k` names implicit
    cdef ThreadStates _states
    cdef str _last_name, _last_key
    cdef set _valid_root, _valid_nested  # names that passed the root / nested regex
    cdef bint _uniquify  # False in eager mode: names are scoped, never made unique (TF)

    def __cinit__(self, *args, **kwargs):  # (an object made by __new__ alone must not crash)
        self._used = {}
        self._valid_root, self._valid_nested = set(), set()
        self._uniquify = True

    def __init__(self, ThreadStates states=None, bint uniquify=True):
        self._states = states
        self._uniquify = uniquify

    def unique(self, str name not None, bint mark_as_used=True):
        """unique_name in this thread's current name scope (of `states`): what a Graph binds as
        its `unique_name`, so that call is this one C call."""
        if self._states is None:
            raise TypeError("NameTable.unique needs the ThreadStates the table was made with")
        return self._unique(self._states.get().name_stack, name, mark_as_used)

    cdef Py_ssize_t _count(self, str key) except -1:
        """Times `key` was handed out: its entry, or 1 for a generated `base_k` (k < base's
        count), which is never stored: every k in 1..count-1 was handed out or reserved.

        Only a stored base can imply names (an implied name counts 1, and k >= 1), so one level
        is looked at, however many `_N` the name ends with (issue 15: no recursion)."""
        cdef object found = self._used.get(key)
        cdef str base, sep, digits
        if found is not None:
            return found
        base, sep, digits = key.rpartition("_")
        # (base may be "": the empty name is a name, and `_1` its first generated one)
        if sep and digits and digits[0] != "0" and digits.isascii() and digits.isdigit():
            found = self._used.get(base)
            # a count has at most 18 digits: a longer k is never below it (and int() of
            # thousands of digits is refused by Python)
            if found is not None and len(digits) <= 18 and int(digits) < found:
                return 1
        return 0

    cpdef str unique_name(self, str stack, str name, bint mark_as_used=True):
        """`stack/name` made unique as TF's Graph.unique_name: `name`, `name_1`, `name_2`, ...

        The check is case-insensitive, and a candidate already in use (e.g. an explicit
        `name_1`) is skipped.
        """
        if name is None:  # (a typed str argument lets None through)
            raise TypeError("Argument 'name' has incorrect type (expected str, got NoneType)")
        return self._unique(stack, name, mark_as_used)

    cdef str _unique(self, str stack, str name, bint mark_as_used):
        cdef str key, candidate
        cdef Py_ssize_t i, k
        cdef dict used = self._used
        if stack:
            name = stack + "/" + name
        if not self._uniquify:
            return name
        if name == self._last_name:  # a loop asking for one name: skip lower()
            key = self._last_key
        else:
            key = name.lower()
            self._last_name, self._last_key = name, key
        i = self._count(key)
        if mark_as_used:
            used[key] = i + 1
        if i == 0:
            return name
        k = i  # names below i are implicit in use; only explicit entries can block k and up
        candidate = f"{key}_{k}"
        while candidate in used:
            k += 1
            candidate = f"{key}_{k}"
        if mark_as_used and k != i:
            used[candidate] = 1  # beyond the implicit range: stored
        return candidate if key == name else f"{name}_{k}"

    cpdef tuple open_scope(self, str stack, object name):
        """What entering name scope `name` inside `stack` yields: (new stack, scope string).

        None or "" resets to the root; "a/b/" re-enters exactly that scope (a full name, checked
        as one); any other name is validated (TF's regexes: stricter at the root) and
        uniquified.
        """
        cdef str new_stack
        if not name:
            return "", ""
        if not isinstance(name, str):
            raise TypeError(f"Scope names must be strings, not {type(name).__name__}: {name!r}")
        # a regex match costs more than the rest of this call: each name is checked once. A
        # name ending in "/" is a full scope name, from the root ("/" alone: the root)
        if stack and name[-1] != "/":
            if name not in self._valid_nested:
                if not _SCOPE_NAME(name):
                    raise ValueError(
                        f"'{name}' is not a valid scope name. A scope name has to match the "
                        f"following pattern: {_SCOPE_NAME.__self__.pattern}")
                self._valid_nested.add(name)
        elif name not in self._valid_root:
            if _OP_NAME(name):
                self._valid_root.add(name)
            elif not (stack and name == "/"):  # ("/" is valid nested only: not cached)
                raise ValueError(
                    f"'{name}' is not a valid root scope name. A root scope name has to match "
                    f"the following pattern: {_OP_NAME.__self__.pattern}")
        if name[-1] == "/":
            return name[:-1], name
        new_stack = self._unique(stack, name, True)
        return new_stack, new_stack + "/"

    cpdef bint in_use(self, str full_name):
        """Whether `full_name` (any capitalization) has been handed out or reserved."""
        if full_name is None:
            raise TypeError("Argument 'full_name' has incorrect type (expected str, got "
                            "NoneType)")
        return self._count(full_name.lower()) > 0


cdef class ScopeCounts:
    """How often each variable scope name was opened in one thread: TF1's default_name counters.

    TF scans every counter when a scope exits and copies them all when a captured scope is
    re-entered; here exiting drops the exited scope's subtree (each counter is dropped at most
    once) and a re-entry keeps an undo journal, so both cost O(1) amortized.
    """

    cdef dict _counts
    cdef dict _kids
    cdef list _journal
    cdef list _marks

    def __cinit__(self):  # (not __init__: an object made by __new__ alone must not crash)
        self._counts = {}  # full scope name -> [times opened, next _N suffix worth trying]
        self._kids = {}  # full scope name -> set of the full names one level below it
        self._journal = None  # undo records while a captured scope is re-entered
        self._marks = []

    cpdef Py_ssize_t count(self, str name):
        """How many times scope `name` is open or was opened since its parent was entered."""
        entry = self._counts.get(name)
        return 0 if entry is None else entry[0]

    cpdef open(self, str name):
        """Records one more opening of scope `name`."""
        entry = self._counts.get(name)
        if entry is None:
            self._set(name, [1, 1])
            self._link(name)
        elif self._journal is None:
            entry[0] += 1  # no undo journal holds this entry: count in place
        else:
            self._set(name, [entry[0] + 1, entry[1]])

    cpdef close_subscopes(self, str name):
        """Forgets every scope below `name` (TF: their counters restart when it is re-entered)."""
        cdef list stack = [name]
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

    cpdef Py_ssize_t unique_suffix(self, str base):
        """0 if scope `base` is unused, else the smallest N with `base_N` unused (TF's rule)."""
        cdef Py_ssize_t i
        entry = self._counts.get(base)
        if entry is None or entry[0] == 0:
            return 0
        i = entry[1]
        while self.count(f"{base}_{i}") > 0:
            i += 1
        if i != entry[1]:
            self._set(base, [entry[0], i])
        return i

    cpdef mark(self):
        """Starts recording changes, to be undone by the matching `undo()`."""
        if self._journal is None:
            self._journal = []
        self._marks.append(len(self._journal))

    cpdef undo(self):
        """Reverts every change since the last `mark()`."""
        cdef Py_ssize_t start = self._marks.pop()
        cdef list journal = self._journal
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

    cdef _set(self, str name, object entry):
        if self._journal is not None:
            self._journal.append((0, name, self._counts.get(name)))
        if entry is None:
            del self._counts[name]
        else:
            self._counts[name] = entry

    cdef _link(self, str name):
        # Registers `name` below each ancestor, so closing an ancestor finds it.
        cdef str child = name
        cdef str parent
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
