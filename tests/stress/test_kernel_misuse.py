"""Kernel objects misused from Python (issue 15): Python exceptions, never a crash.

Every class and function the compiled modules (minitf/_ext: scopes, store, crc32c) export, found
with dir(), and their pure twins (minitf/_pure) likewise, is called made by `__new__` alone, with
wrong argument types (None, bytes, ints, huge and hostile strings, nested and self-referential
objects), as a context exited without being entered or entered twice, with `__init__` called
twice, pickled and copied, with deep inputs near the recursion limit, and from other threads.

Each group of cases runs in a child process (a crash fails one test, not the run). The child
prints `CASE <name>` before each attempt and what it raised after, so a crash's last line names
the case. Both twins run under either backend: the child wires a graph to the twin under test.
"""
import copy
import faulthandler
import importlib
import inspect
import itertools
import pathlib
import pickle
import random
import sys
import threading

import numpy as np
import pytest

import minitf as tf
from minitf import _kernels

HERE = pathlib.Path(__file__).resolve().parent
TWINS = {"ext": "minitf._ext", "pure": "minitf._pure"}
KERNELS = ("scopes", "store", "crc32c")
VARIABLE_SCOPE = importlib.import_module("minitf.variable_scope")  # (tf.variable_scope: a class)


# -- the child: cases and how they run -------------------------------------------------------------
class FakeVar:
    """What VariableStore.add reads from a variable."""

    _shape, _defined_at = (1,), '  File "m.py", line 1\n'
    dtype = tf.float32._as_ref


class HostileStr(str):
    """A str whose Python-level hooks all raise (a str subclass passes a `str` argument)."""

    def _raise(self, *args, **kwargs):
        raise RuntimeError("hostile")

    __hash__ = __eq__ = __ne__ = __lt__ = __add__ = __radd__ = __len__ = __iter__ = _raise
    __contains__ = __getitem__ = __format__ = lower = rpartition = startswith = _raise


class HostileObject:
    """An object whose truth, index, length, iteration, hash, equality and attributes raise."""

    def _raise(self, *args, **kwargs):
        raise RuntimeError("hostile")

    __bool__ = __index__ = __len__ = __iter__ = __hash__ = __eq__ = __ne__ = _raise
    __getattr__ = __call__ = __int__ = __float__ = _raise


def bad_values():
    """Wrong arguments by name: every one must give a Python exception or a result."""
    deep = nested = []
    for _ in range(100_000):  # repr() and == of it recurse past any limit
        nested.append([])
        nested = nested[0]
    loop = []
    loop.append(loop)
    return {"None": None, "bytes": b"x", "int": 7, "negative": -1, "huge_int": 2**100,
            "float": 1.5, "nan": float("nan"), "empty": "", "huge_str": "x_1" * 400_000,
            "list": ["x"], "tuple": ("x",), "dict": {"x": 1}, "object": object(), "type": str,
            "deep_list": deep, "self_list": loop, "hostile_str": HostileStr("x"),
            "hostile_object": HostileObject(), "ndarray": np.zeros((2, 2)),
            "bytearray": bytearray(b"ab"), "memoryview": memoryview(b"abcd")[::2]}


def wire(module):
    """A new default graph running on `module`'s scope kernels (whichever backend minitf picked),
    with `module`'s scope hooks installed."""
    graph = tf.Graph()
    graph._states = module.ThreadStates()
    graph._names = module.NameTable(graph._states)
    graph.unique_name = graph._names.unique
    hooks = dict(VARIABLE_SCOPE._SCOPE_HOOKS)
    if module.ScopeData is not _kernels.ScopeData:  # the twin minitf did not pick

        def thread_scopes(g):
            state = g._states.get()
            if state.current is None:
                state.current, state.counts = module.ScopeData(False), module.ScopeCounts()
            return state
        hooks.update(thread_scopes=thread_scopes, scope_type=module.ScopeData)
    module.install(**hooks)
    graph.as_default().__enter__()
    return graph


class Child:
    """Runs one group of cases on one twin, printing each case's name and outcome."""

    def __init__(self, twin):
        self.twin = twin
        self.modules = {k: importlib.import_module(f"{TWINS[twin]}.{k}") for k in KERNELS}
        self.scopes, self.store = self.modules["scopes"], self.modules["store"]
        self.bad = bad_values()

    def attempt(self, name, call):
        print("CASE", name.encode("ascii", "backslashreplace").decode()[:200].replace("\n", " "),
              flush=True)
        try:
            call()
        except Exception as exc:  # what the case raised; a SystemError is a kernel bug
            print("  ->", type(exc).__name__, flush=True)
        else:
            print("  -> ok", flush=True)

    # -- what there is to call, and how --------------------------------------------------------
    def exports(self):
        """(module name, name, object): every class and function the twin's modules define."""
        seen = set()
        for kernel, module in self.modules.items():
            for name in dir(module):
                obj = getattr(module, name)
                # (the pure scopes module re-exports the classes of minitf/_pure/names.py)
                home = getattr(obj, "__module__", None) or ""
                if callable(obj) and home.startswith(TWINS[self.twin]) and id(obj) not in seen:
                    seen.add(id(obj))
                    yield kernel, name, obj

    def instance(self, cls):
        return cls(*self.init_args(cls))

    def init_args(self, cls):
        return {"ScopeData": (None, "a"), "ScopeContext": ("a",),
                "_Forget": ({}, 0)}.get(cls.__name__, ())

    def methods(self, cls):
        names = [n for n in dir(cls) if not n.startswith("__") or n in (
            "__enter__", "__exit__", "__reduce_cython__", "__setstate_cython__")]
        return [n for n in names if callable(getattr(cls, n, None))]

    def plausible(self, function, signature_of=None):
        """Arguments a caller would pass, by parameter name, defaults too (None: no signature
        known). `signature_of`: where to read the parameters (a pure twin's __init__)."""
        try:
            params = inspect.signature(signature_of or function).parameters.values()
        except (TypeError, ValueError):
            return None
        values = {"stack": "", "name": "x", "mark_as_used": True, "full_name": "x", "base": "a",
                  "reuse": None, "shape": (1,), "dtype": None, "var": FakeVar(),
                  "name_scope": "x/", "crc": 0, "data": b"abc", "masked": 5, "enabled": True,
                  "by_thread": {}, "ident": 0, "value": 1, "what": "crc", "found": (1,),
                  "graph": tf.get_default_graph(), "exc_type": None, "exc_value": None,
                  "traceback": None, "name_or_scope": "a", "__pyx_state": None,
                  "__pyx_type": None, "__pyx_checksum": 0}
        args = []
        for p in params:
            if p.name == "self" or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                continue
            args.append(values.get(p.name, "x" if p.default is p.empty else p.default))
        return args

    def calls(self, made_by_new=False):
        """(name, callable target, plausible args) for every function, and every method of an
        object made normally (or by __new__ alone)."""
        for kernel, name, obj in self.exports():
            if not inspect.isclass(obj):
                if not made_by_new:
                    yield f"{kernel}.{name}", obj, self.unpickle_args(name) or self.plausible(obj)
                continue
            made = attempt_make(lambda: obj.__new__(obj) if made_by_new else self.instance(obj))
            for method in self.methods(obj):
                target = getattr(made, method, None) if made is not None else None
                if target is not None:
                    how = ".__new__ " if made_by_new else "."
                    yield f"{kernel}.{name}{how}{method}", target, self.plausible(target)

    def unpickle_args(self, name):
        """Cython's __pyx_unpickle_<class>: the (type, checksum, state) a pickle holds."""
        cls = getattr(self.scopes, name.replace("__pyx_unpickle_", ""), None)
        if not name.startswith("__pyx_unpickle_") or cls is None:
            return None
        reduced = self.instance(cls).__reduce_cython__()
        return [*reduced[1][:2], reduced[2] if len(reduced) > 2 else reduced[1][2]]

    # -- the groups ----------------------------------------------------------------------------
    def made_by_new(self, size):
        for kernel, name, cls in self.exports():
            if not inspect.isclass(cls):
                continue
            made = attempt_make(lambda: cls.__new__(cls))
            if made is None:
                continue
            for attr in [a for a in dir(made) if not a.startswith("__")]:  # its fields
                self.attempt(f"{name}.__new__ .{attr}", lambda: getattr(made, attr))
            for method in self.methods(cls):
                target = getattr(made, method)
                args = self.plausible(target) or []
                self.attempt(f"{name}.__new__ .{method}{tuple(args)}", lambda: target(*args))
            self.attempt(f"{name}.__new__ repr/hash/==", lambda: (repr(made), hash(made),
                                                                 made == made))
        states = self.scopes.ThreadStates()
        self.attempt("NameTable().unique without states",
                     lambda: self.scopes.NameTable().unique("x"))
        self.attempt("NameTable(states).unique", lambda: self.scopes.NameTable(states).unique("x"))

    def wrong_types(self, size):
        for name, target, args in self.calls():
            if args is None:
                args = []
            for i, (label, bad) in itertools.product(range(len(args)), self.bad.items()):
                wrong = list(args)
                wrong[i] = bad
                self.attempt(f"{name} arg{i}={label}", lambda: target(*wrong))
            self.attempt(f"{name} plausible", lambda: target(*args))
            self.attempt(f"{name} one too many", lambda: target(*args, "x"))
            self.attempt(f"{name} one too few", lambda: target(*args[:-1]))
            self.attempt(f"{name} junk keyword", lambda: target(*args, junk=1))
        pure = importlib.import_module(f"{TWINS['pure']}.scopes")
        for kernel, name, cls in self.exports():
            twin_init = getattr(getattr(pure, name, None), "__init__", None)
            args = self.plausible(cls, twin_init) if inspect.isclass(cls) and twin_init else None
            for i, (label, bad) in itertools.product(range(len(args or [])), self.bad.items()):
                wrong = args[:i] + [bad] + args[i + 1:]
                made = attempt_make(lambda: cls(*wrong))
                self.attempt(f"{name}(arg{i}={label})", lambda: cls(*wrong))
                for method in self.methods(cls) if made is not None else []:
                    target = getattr(made, method)
                    margs = self.plausible(target) or []
                    self.attempt(f"  then .{method}", lambda: target(*margs))

    def contexts(self, size):
        scopes = self.scopes
        graph = wire(scopes)
        context = scopes.ScopeContext

        def run(name, *actions):
            self.attempt(name, lambda: [action() for action in actions])

        a, b = context("a"), context("b")
        run("ScopeContext: __exit__ without __enter__", lambda: a.__exit__(None, None, None))
        run("ScopeContext: __enter__ twice", a.__enter__, a.__enter__)
        run("ScopeContext: __exit__ after two enters", lambda: a.__exit__(None, None, None))
        run("ScopeContext: __exit__ again", lambda: a.__exit__(None, None, None))
        run("ScopeContext: __exit__ a third time", lambda: a.__exit__(None, None, None))
        run("ScopeContext: enter a, b", a.__enter__, b.__enter__)
        run("ScopeContext: exit a before b", lambda: a.__exit__(None, None, None))
        run("ScopeContext: then exit b", lambda: b.__exit__(None, None, None))
        run("ScopeContext: then exit a again", lambda: a.__exit__(None, None, None))
        run("ScopeContext: exit with an exception", a.__enter__,
            lambda: a.__exit__(ValueError, ValueError("x"), None))
        run("ScopeContext: __exit__ with no arguments", a.__enter__, a.__exit__)
        run("ScopeContext: __exit__ with junk", lambda: a.__exit__(1, 2, 3))
        other = tf.Graph()
        run("ScopeContext: exit in another default graph", a.__enter__,
            lambda: other.as_default().__enter__(), lambda: a.__exit__(None, None, None))
        graph.as_default().__enter__()
        with other.as_default():
            t = tf.constant(0.0)
        v = context("v", values=[t])
        run("ScopeContext: values of another graph, exit twice", v.__enter__,
            lambda: v.__exit__(None, None, None), lambda: v.__exit__(None, None, None))
        run("ScopeContext: state reset between enter and exit", a.__enter__,
            lambda: graph._states.get().__init__(), lambda: a.__exit__(None, None, None))
        run("ScopeContext: ThreadStates replaced between enter and exit", a.__enter__,
            lambda: setattr(graph, "_states", scopes.ThreadStates()),
            lambda: a.__exit__(None, None, None))
        graph = wire(scopes)
        run("ScopeContext: re-entered after exit", a.__enter__,
            lambda: a.__exit__(None, None, None), a.__enter__,
            lambda: a.__exit__(None, None, None))
        run("ScopeContext: __init__ again while entered", a.__enter__, lambda: a.__init__("z"),
            lambda: a.__exit__(None, None, None), lambda: a.__exit__(None, None, None))
        new = scopes.ScopeContext.__new__(scopes.ScopeContext)
        run("ScopeContext.__new__: __exit__", lambda: new.__exit__(None, None, None))
        run("ScopeContext.__new__: __enter__", new.__enter__)
        bare = scopes.ScopeData.__new__(scopes.ScopeData)
        run("ScopeContext: a captured ScopeData made by __new__", context(bare).__enter__)
        run("ScopeContext: a captured ScopeData of the other twin",
            context(self.other().ScopeData(False, "a")).__enter__)
        run("ScopeContext: default_name of 1000 nested scopes",
            *[context(None, default_name="d").__enter__ for _ in range(1000)])
        run("ScopeContext: the root after all that", lambda: tf.constant(0.0))

    def init_twice(self, size):
        graph = wire(self.scopes)
        for kernel, name, cls in self.exports():
            if not inspect.isclass(cls):
                continue
            made = attempt_make(lambda: self.instance(cls))
            if made is None:
                continue
            for args in ([], self.init_args(cls), [None], [None, None, None], ["x", "y"]):
                self.attempt(f"{name}.__init__{tuple(args)} again",
                             lambda: made.__init__(*args))
                for method in self.methods(cls):
                    target = getattr(made, method)
                    margs = self.plausible(target) or []
                    self.attempt(f"  then .{method}", lambda: target(*margs))
        other = self.other()
        table = self.scopes.NameTable(self.scopes.ThreadStates())
        self.attempt("NameTable.__init__(the other twin's ThreadStates)",
                     lambda: table.__init__(other.ThreadStates()))
        self.attempt("  then unique", lambda: table.unique("x"))
        state = graph._states.get()
        self.attempt("ThreadState.__init__ of a graph's live state", state.__init__)
        self.attempt("  then a scope, a constant, get_variable",
                     lambda: (self.scopes.ScopeContext("s").__enter__(), tf.constant(0.0),
                              self.scopes.get_variable("v", [1])))

    def pickle_copy(self, size):
        wire(self.scopes)
        objects = {}
        for kernel, name, cls in self.exports():
            if inspect.isclass(cls):
                objects[name] = attempt_make(lambda: self.instance(cls))
        entered = self.scopes.ScopeContext("p")
        entered.__enter__()
        objects["entered ScopeContext"] = entered
        clones = {"pickle": lambda o: pickle.loads(pickle.dumps(o)), "copy": copy.copy,
                  "deepcopy": copy.deepcopy,
                  **{f"__reduce_ex__({p})": lambda o, p=p: o.__reduce_ex__(p) for p in range(6)}}
        for (name, obj), (how, clone_of) in itertools.product(objects.items(), clones.items()):
            self.attempt(f"{name}: {how}", lambda: clone_of(obj))
        for how in ("pickle", "copy", "deepcopy"):  # an entered scope's clone holds its state
            clone = attempt_make(lambda: clones[how](entered))
            if clone is not None:
                self.attempt(f"entered ScopeContext: exit its {how}, then it",
                             lambda: (clone.__exit__(None, None, None),
                                      entered.__exit__(None, None, None)))
        for name, obj in objects.items():
            self.setstate_fuzz(name, obj)

    def setstate_fuzz(self, name, obj):
        """Cython's __setstate_cython__ (and __pyx_unpickle_*) with each field made wrong."""
        reduce = getattr(obj, "__reduce_cython__", None)
        if reduce is None:
            return
        reduced = attempt_make(reduce)
        if reduced is None:
            return
        state = reduced[2] if len(reduced) > 2 else reduced[1][2]
        if not isinstance(state, tuple):
            return
        for i, (label, bad) in itertools.product(range(len(state)), self.bad.items()):
            wrong = state[:i] + (bad,) + state[i + 1:]
            self.attempt(f"{name}.__setstate_cython__ field {i}={label}",
                         lambda: obj.__setstate_cython__(wrong))
            for method in self.methods(type(obj)):
                target = getattr(obj, method)
                args = self.plausible(target) or []
                self.attempt(f"  then .{method}", lambda: target(*args))
        for label, bad in self.bad.items():
            self.attempt(f"{name}.__setstate_cython__({label})",
                         lambda: obj.__setstate_cython__(bad))

    def recursion(self, size):
        scopes = self.scopes
        wire(scopes)
        table = scopes.NameTable(scopes.ThreadStates())
        long_name = "a" + "_1" * 1_000_000
        self.attempt("NameTable: a million _1 suffixes", lambda: [
            table.unique_name("", long_name) for _ in range(3)] + [table.in_use(long_name)])
        self.attempt("NameTable: a 100000-deep scope path",
                     lambda: table.open_scope("a", "b/" * 100_000 + "c"))
        counts, chain = scopes.ScopeCounts(), "a"
        for _ in range(3000):
            counts.open(chain)
            chain += "/a"
        self.attempt("ScopeCounts: close a 3000-deep chain, marked and undone",
                     lambda: (counts.mark(), counts.close_subscopes("a"), counts.undo(),
                              counts.close_subscopes("a")))
        self.attempt("ScopeContext: 2000 nested scopes, entered and exited", lambda: [
            c.__exit__(None, None, None) for c in reversed(
                [c for c in (scopes.ScopeContext("n") for _ in range(2000)) if c.__enter__()])])
        store = self.store.VariableStore()
        store.add("v", FakeVar())
        self.attempt("VariableStore: a million-long shape",
                     lambda: store.lookup("v", True, (None,) * 1_000_000, None))
        self.attempt("VariableStore: a shape whose != raises",
                     lambda: store.lookup("v", True, (HostileObject(),), None))
        self.attempt("crc32c: megabytes", lambda: self.modules["crc32c"].crc32c(
            bytes(size(1, 50) << 20)))
        for k in range(1, 12):
            for name, target, args in self.calls():
                self.attempt(f"{name} {k} frames below the recursion limit",
                             lambda: at_depth(k, target, args or []))

    def threads(self, size):
        scopes = self.scopes
        graph = wire(scopes)
        states, kept = scopes.ThreadStates(), []
        run_in_thread(lambda: kept.append(states.get()))
        self.attempt("ThreadState of a finished thread, used",
                     lambda: (setattr(kept[0], "name_stack", "x"), states.get().name_stack))
        table = scopes.NameTable(states)
        # (few: the pure table goes quadratic once threads race on a count, see test_names)
        self.attempt("NameTable.unique from 8 threads", lambda: run_in_threads(
            8, lambda: [table.unique("x") for _ in range(size(1000, 2000))]))
        counts = scopes.ScopeCounts()
        self.attempt("ScopeCounts from 4 threads", lambda: run_in_threads(
            4, lambda: churn_counts(counts, size(2000, 50_000))))
        a = scopes.ScopeContext("t")
        self.attempt("ScopeContext entered in a thread, exited here",
                     lambda: (run_in_thread(a.__enter__, graph), a.__exit__(None, None, None)))
        self.attempt("ScopeContext entered here, exited in a thread",
                     lambda: (a.__enter__(), run_in_thread(
                         lambda: a.__exit__(None, None, None), graph)))
        self.attempt("a thread dies inside a scope; the graph goes on", lambda: (
            run_in_thread(scopes.ScopeContext("dead").__enter__, graph),
            [run_in_thread(lambda: scopes.ScopeContext("dead").__enter__(), graph)
             for _ in range(20)], tf.constant(0.0)))
        crc, data = self.modules["crc32c"], bytearray(1 << 18)
        self.attempt("crc32c of a bytearray another thread resizes", lambda: run_together(
            lambda: [crc.crc32c(data) for _ in range(size(8, 500))],
            lambda: [attempt_make(lambda: data.extend(b"x")) for _ in range(size(2000, 50_000))]))
        self.attempt("kernels in a thread with a 64 KiB stack", lambda: run_in_thread(
            lambda: (table.unique_name("", "a" + "_1" * 100_000), [
                scopes.ScopeContext("deep").__enter__() for _ in range(200)]), graph,
            stack=64 * 1024))

    def hooks(self, size):
        scopes = self.scopes
        good = dict(VARIABLE_SCOPE._SCOPE_HOOKS)
        junk = {"None": None, "raises": HostileObject(), "returns None": lambda *a: None,
                "returns junk": lambda *a: "junk", "an int": 3}
        for hook, (label, value) in itertools.product(sorted(good), junk.items()):
            wire(scopes)
            self.attempt(f"install({hook}={label})", lambda: scopes.install(**{hook: value}))
            for what, call in self.scope_uses():
                self.attempt(f"  then {what}", call)
        wire(scopes)
        for enabled in (False, HostileObject(), True):
            self.attempt(f"set_fast_paths({enabled!r:.20})", lambda: scopes.set_fast_paths(
                enabled))
            for what, call in self.scope_uses():
                self.attempt(f"  then {what}", call)

    def scope_uses(self):
        scopes = self.scopes
        return [("a named scope", lambda: scopes.ScopeContext("a").__enter__()),
                ("a default_name scope", lambda: scopes.ScopeContext(
                    None, default_name="d").__enter__()),
                ("a scope with a dtype", lambda: scopes.ScopeContext(
                    "t", dtype=tf.float64).__enter__()),
                ("get_variable", lambda: scopes.get_variable("v", [1])),
                ("get_variable again", lambda: scopes.get_variable("v", [1]))]

    def random_calls(self, size):
        """Random methods of random objects (made normally, so their state builds up, or by
        __new__ alone) with random arguments (plausible, or wrong), seeded."""
        wire(self.scopes)
        rng, bad = random.Random(15), list(self.bad.items())
        targets = list(self.calls()) + list(self.calls(made_by_new=True))
        for i in range(size(3000, 300_000)):
            label, target, args = rng.choice(targets)
            args = list(args or [])
            for j in range(len(args)):
                if rng.random() < 0.3:
                    name, args[j] = rng.choice(bad)
                    label += f" arg{j}={name}"
            self.attempt(f"{i}: {label}", lambda: target(*args))

    def other(self):
        """The other twin's scopes module."""
        return importlib.import_module(
            f"{TWINS['pure' if self.twin == 'ext' else 'ext']}.scopes")

    # -- known crashes, one per child -----------------------------------------------------------
    def crash(self, which):
        """The cases of CRASHES: one by name, or "all" (where none crashes)."""
        for name in sorted(CRASHES) if which == "all" else [which]:
            graph = wire(self.scopes)
            opened = self.scopes.ScopeContext("init")  # this thread's root scope and counters
            opened.__enter__()
            opened.__exit__(None, None, None)
            setup, act = CRASHES[name]
            setup(self, graph, graph._states.get())
            self.attempt(name, lambda: act(self))


def attempt_make(make):
    try:
        return make()
    except Exception:
        return None


def at_depth(k, target, args):
    """Calls target(*args) k frames below the recursion limit: a RecursionError may strike
    anywhere inside."""
    depth = len(inspect.stack(0))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 40)
    try:
        descend(40 - k, target, args)
    finally:
        sys.setrecursionlimit(limit)


def descend(n, target, args):
    if n <= 0:
        return target(*args)
    return descend(n - 1, target, args)


def run_in_thread(call, graph=None, stack=0):
    errors = []

    def body():
        try:
            if graph is not None:
                graph.as_default().__enter__()
            call()
        except Exception as exc:
            errors.append(exc)
    if stack:
        threading.stack_size(stack)
    try:
        worker = threading.Thread(target=body)
        worker.start()
    finally:
        threading.stack_size(0)
    worker.join()
    if errors:
        raise errors[0]


def run_in_threads(n, call):
    workers = [threading.Thread(target=lambda: attempt_make(call)) for _ in range(n)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def run_together(*calls):
    workers = [threading.Thread(target=lambda call=call: attempt_make(call)) for call in calls]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def churn_counts(counts, n):
    rng = random.Random(threading.get_ident())
    for _ in range(n):
        name = rng.choice(["a", "a/b", "a/b/c", "b"])
        attempt_make(lambda: getattr(counts, rng.choice(
            ["open", "close_subscopes", "unique_suffix", "count"]))(name))
        if rng.random() < 0.1:
            attempt_make(rng.choice([counts.mark, counts.undo]))


# the compiled kernels' crashes found here: each (setup(child, graph, state), act(child))
CRASHES = {
    "ThreadState.counts = None, then a named scope": (
        lambda c, g, s: setattr(s, "counts", None),
        lambda c: c.scopes.ScopeContext("a").__enter__()),
    "ThreadState.counts = None, then a default_name scope": (
        lambda c, g, s: setattr(s, "counts", None),
        lambda c: c.scopes.ScopeContext(None, default_name="d").__enter__()),
    "ThreadState.counts = None between a scope's enter and exit": (
        lambda c, g, s: (setattr(c, "entered", c.scopes.ScopeContext("a")),
                         c.entered.__enter__(), setattr(s, "counts", None)),
        lambda c: c.entered.__exit__(None, None, None)),
    "Graph._states = None, then a scope": (
        lambda c, g, s: setattr(g, "_states", None),
        lambda c: c.scopes.ScopeContext("a").__enter__()),
    "Graph._states = None, then get_variable": (
        lambda c, g, s: setattr(g, "_states", None),
        lambda c: c.scopes.get_variable("v", [1])),
    "Graph._names = None, then a scope": (
        lambda c, g, s: setattr(g, "_names", None),
        lambda c: c.scopes.ScopeContext("a").__enter__()),
    "install(thread_scopes=a bare ThreadState), then a scope": (
        lambda c, g, s: (c.scopes.install(thread_scopes=lambda graph: c.scopes.ThreadState()),
                         s.__init__()),
        lambda c: c.scopes.ScopeContext("a").__enter__()),
}

GROUPS = ["made_by_new", "wrong_types", "contexts", "init_twice", "pickle_copy", "recursion",
          "threads", "hooks", "random_calls"]


def child_main(twin, group, long):
    faulthandler.enable()  # a crash prints where it happened
    child = Child(twin)
    if group == "crash":
        child.crash(long)
    else:
        getattr(child, group)(lambda small, full: full if long == "1" else small)
    print("DONE", flush=True)


_CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
import test_kernel_misuse
test_kernel_misuse.child_main(*sys.argv[2:])
"""


# -- the tests -------------------------------------------------------------------------------------
def results(done):
    """{case: what it raised ("ok": nothing)}, from a child's output."""
    out, case = {}, None
    for line in done.stdout.splitlines():
        if line.startswith("CASE "):
            case = line[5:]
        elif line.startswith("  -> "):
            out[case] = line[5:]
    return out


class Crashed(AssertionError):
    """A child ended by a signal or an error outside the cases."""


def run_child(python_process, twin, group, arg):
    if twin == "ext":
        pytest.importorskip("minitf._ext.scopes", reason="the Cython kernels are not built")
    done = python_process(_CHILD, str(HERE), twin, group, arg, timeout=1800)
    cases = [line for line in done.stdout.splitlines() if line.startswith("CASE ")]
    last = cases[-1] if cases else "(before the first case)"
    if done.returncode != 0:  # (a negative code is the signal: -11 is SIGSEGV)
        raise Crashed(f"{twin} {group}: exit {done.returncode} in {last}\n"
                      f"{done.stderr[-4000:]}")
    assert done.stdout.rstrip().endswith("DONE"), done.stdout[-2000:]
    return results(done)


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("twin", ["ext", "pure"])
def test_kernels_misused_raise_python_exceptions_never_crash(python_process, size, twin,
                                                             group):
    got = run_child(python_process, twin, group, "1" if size(0, 1) else "0")
    assert got, "no case ran"
    # a SystemError is a kernel returning NULL without an exception: a bug even without a crash
    assert not [case for case, raised in got.items() if raised == "SystemError"]
    CHECKS.get(group, lambda got, twin: None)(got, twin)


def _check_made_by_new(got, twin):
    # a table made by __new__ is empty (compiled) or lacks its fields (pure); never a crash
    assert got["NameTable().unique without states"] == "TypeError"
    assert got["NameTable(states).unique"] == "ok"
    assert got["ScopeCounts.__new__ .count('x',)"] == (
        "ok" if twin == "ext" else "AttributeError")
    assert got["NameTable.__new__ .unique_name('', 'x', True)"] == (
        "ok" if twin == "ext" else "AttributeError")
    # (the pure twin's lacks the field the compiled one checks: a Python exception all the same)
    assert got["ScopeContext.__new__ .__exit__(None, None, None)"] == (
        "RuntimeError" if twin == "ext" else "AttributeError")


def _check_contexts(got, twin):
    assert got["ScopeContext: __exit__ without __enter__"] == "RuntimeError"
    assert got["ScopeContext: __exit__ again"] == "RuntimeError"
    assert got["ScopeContext: exit a before b"] == "RuntimeError"
    assert got["ScopeContext: __exit__ with no arguments"] == "TypeError"
    assert got["ScopeContext: a captured ScopeData of the other twin"] == "TypeError"
    assert got["ScopeContext: default_name of 1000 nested scopes"] == "ok"
    assert got["ScopeContext: the root after all that"] == "ok"


def _check_recursion(got, twin):
    assert got["NameTable: a million _1 suffixes"] == "ok"
    assert got["ScopeCounts: close a 3000-deep chain, marked and undone"] == "ok"
    assert got["ScopeContext: 2000 nested scopes, entered and exited"] == "ok"
    assert got["VariableStore: a shape whose != raises"] == "RuntimeError"


def _check_threads(got, twin):
    assert got["ScopeContext entered in a thread, exited here"] == "ok"
    assert got["kernels in a thread with a 64 KiB stack"] == "ok"


CHECKS = {"made_by_new": _check_made_by_new, "contexts": _check_contexts,
          "recursion": _check_recursion, "threads": _check_threads}


def test_fields_set_to_none_are_python_exceptions_in_the_pure_twin(python_process):
    got = run_child(python_process, "pure", "crash", "all")
    assert sorted(got) == sorted(CRASHES) and set(got.values()) == {"AttributeError"}, got


@pytest.mark.parametrize("case", sorted(CRASHES))
def test_fields_set_to_none_are_python_exceptions_in_the_compiled_twin(python_process, case):
    # each in its own child: these crashed the compiled kernels when found (typed locals let
    # None in; csrc/scopes.pyx and store.pyx now compile with nonecheck)
    got = run_child(python_process, "ext", "crash", case)
    assert got[case] in ("AttributeError", "TypeError", "RuntimeError"), got


def test_every_public_export_is_reached():
    # new exports are covered by dir(); a public one the harness cannot call would go untested
    for twin in TWINS:
        child = Child.__new__(Child)
        child.twin = twin
        child.modules = {k: importlib.import_module(f"{TWINS[twin]}.{k}") for k in KERNELS}
        names = {name for _, name, _ in child.exports() if not name.startswith("_")}
        assert names >= {"NameTable", "ScopeCounts", "ThreadStates", "ThreadState", "ScopeData",
                         "ScopeContext", "get_variable", "install", "set_fast_paths",
                         "VariableStore", "crc32c", "extend", "mask", "unmask"}, twin
        for _, name, obj in child.exports():
            if not inspect.isclass(obj) and not name.startswith("__pyx"):
                assert child.plausible(obj) is not None, name
