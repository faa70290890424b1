"""The compiled kernels and their pure-Python twins: same results, same errors, chosen once."""
import importlib
import os
import subprocess
import sys

import pytest
from hypothesis import example, given, settings, strategies as st

import minitf
from minitf import _kernels


def _load(backend, kernel="scopes"):
    if backend == "python":
        return importlib.import_module(f"minitf._pure.{kernel}")
    try:
        return importlib.import_module(f"minitf._ext.{kernel}")
    except ImportError:
        pytest.skip("the Cython kernels are not built")


@pytest.fixture(params=["cython", "python"])
def names(request):
    return _load(request.param)


@pytest.fixture(params=["cython", "python"])
def scopes(request):
    """A scopes twin, wired to minitf as the selected one is (so both run in this process)."""
    variable_scope = importlib.import_module("minitf.variable_scope")
    module = _load(request.param, "scopes")
    if request.param == "cython" and not issubclass(variable_scope.VariableScope,
                                                      module.ScopeData):
        # VariableScope extends the selected twin's ScopeData, which the compiled fast path
        # types; under MINITF_PURE_PYTHON=1 only the (duck-typed) pure twin runs here.
        pytest.skip("this twin's ScopeData is not the selected one's")
    module.install(**variable_scope._SCOPE_HOOKS)
    return module


def test_repeated_names_get_increasing_suffixes(names):
    table = names.NameTable()
    assert [table.unique_name("", "foo") for _ in range(3)] == ["foo", "foo_1", "foo_2"]


def test_in_use_check_is_case_insensitive_and_keeps_the_given_case(names):
    table = names.NameTable()
    assert table.unique_name("", "foo") == "foo"
    assert table.unique_name("", "Foo") == "Foo_1"
    assert table.in_use("FOO") and table.in_use("foo_1")


def test_explicit_suffixed_name_is_skipped(names):
    table = names.NameTable()
    assert table.unique_name("", "foo_1") == "foo_1"
    assert table.unique_name("", "foo") == "foo"
    assert table.unique_name("", "foo") == "foo_2"
    assert table.unique_name("", "foo_1") == "foo_1_1"


def test_names_join_the_stack(names):
    table = names.NameTable()
    assert table.unique_name("a/b", "c") == "a/b/c"
    assert table.unique_name("a/b", "c") == "a/b/c_1"
    assert table.unique_name("", "c") == "c"


def test_mark_as_used_false_records_nothing(names):
    table = names.NameTable()
    assert table.unique_name("", "x", False) == "x"
    assert not table.in_use("x")
    assert table.unique_name("", "x") == "x"
    assert table.unique_name("", "x", False) == "x_1"
    assert table.unique_name("", "x") == "x_1"


def test_open_scope_uniquifies_and_returns_the_scope_string(names):
    table = names.NameTable()
    assert table.open_scope("", "layer") == ("layer", "layer/")
    assert table.open_scope("", "layer") == ("layer_1", "layer_1/")
    assert table.open_scope("layer", "inner") == ("layer/inner", "layer/inner/")


def test_open_scope_with_trailing_slash_reenters_exactly(names):
    table = names.NameTable()
    table.open_scope("", "a")
    assert table.open_scope("", "a/") == ("a", "a/")
    assert table.open_scope("x/y", "never/made/") == ("never/made", "never/made/")


@pytest.mark.parametrize("empty", [None, ""])
def test_open_scope_none_or_empty_resets_to_root(names, empty):
    assert names.NameTable().open_scope("a/b", empty) == ("", "")


@pytest.mark.parametrize("stack, name, words", [
    ("", "_x", "is not a valid root scope name"),
    ("", "a b", "is not a valid root scope name"),
    ("a", "b c", "is not a valid scope name"),
    ("a", "x!", "is not a valid scope name"),
])
def test_open_scope_rejects_invalid_names(names, stack, name, words):
    with pytest.raises(ValueError, match=words):
        names.NameTable().open_scope(stack, name)


def test_open_scope_allows_leading_underscore_when_nested(names):
    assert names.NameTable().open_scope("a", "_x") == ("a/_x", "a/_x/")


def test_open_scope_rejects_non_strings(names):
    with pytest.raises(TypeError, match="Scope names must be strings"):
        names.NameTable().open_scope("", 3)


_NAME = st.text(alphabet="abAB_120/", min_size=0, max_size=6)
_CALL = st.tuples(st.sampled_from(["unique_name", "open_scope", "in_use"]),
                  st.sampled_from(["", "a", "a/B"]), _NAME, st.booleans())


def _replay(table, calls):
    out = []
    for method, stack, name, mark in calls:
        try:
            if method == "unique_name":
                out.append(table.unique_name(stack, name, mark))
            elif method == "open_scope":
                out.append(table.open_scope(stack, name))
            else:
                out.append(table.in_use(name))
        except Exception as exc:  # the twins must fail alike, type and text
            out.append((type(exc), str(exc)))
    return out


@settings(max_examples=1000, deadline=None)
@given(st.lists(_CALL, max_size=60))
# the empty name's generated `_1` is in use (the compiled twin once missed it: no base)
@example([("unique_name", "", "", True), ("unique_name", "", "", True),
          ("unique_name", "", "_1", False)])
def test_twins_agree_on_random_call_sequences(calls):
    compiled, pure = _load("cython"), _load("python")
    assert _replay(compiled.NameTable(), calls) == _replay(pure.NameTable(), calls)


def test_generated_names_stay_in_use_without_being_stored(names):
    # the compiled table stores only bases; generated a_k are implied by a's count
    table = names.NameTable()
    assert [table.unique_name("", "a") for _ in range(4)] == ["a", "a_1", "a_2", "a_3"]
    assert table.in_use("A_2") and not table.in_use("a_4") and not table.in_use("a_02")
    assert table.unique_name("", "a_2") == "a_2_1"  # a_2 was handed out once
    assert table.unique_name("", "a_5") == "a_5"
    assert [table.unique_name("", "a") for _ in range(3)] == ["a_4", "a_6", "a_7"]
    assert table.unique_name("", "a_6") == "a_6_1" and table.in_use("a_7")


def test_compiled_kernels_loaded():
    if os.environ.get("MINITF_REQUIRE_EXT") == "1" and os.environ.get("MINITF_PURE_PYTHON") != "1":
        assert minitf.kernel_backend() == "cython"
    assert minitf.kernel_backend() in ("cython", "python")
    assert _kernels.NameTable.__module__.startswith(
        "minitf._ext" if minitf.kernel_backend() == "cython" else "minitf._pure")


@pytest.fixture
def reimport(monkeypatch):
    saved = sys.modules.pop("minitf._kernels")

    def load(**env):
        for key in ("MINITF_PURE_PYTHON", "MINITF_REQUIRE_EXT"):
            monkeypatch.delenv(key, raising=False)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        sys.modules.pop("minitf._kernels", None)
        return importlib.import_module("minitf._kernels")
    yield load
    sys.modules["minitf._kernels"] = saved


def test_reimport_with_pure_python_env_selects_the_twins(reimport):
    assert reimport(MINITF_PURE_PYTHON="1").kernel_backend() == "python"


def test_reimport_without_env_selects_cython_when_built(reimport):
    _load("cython")
    assert reimport().kernel_backend() == "cython"


@pytest.fixture
def unbuilt(monkeypatch):
    """Makes `from minitf._ext import scopes` fail, as in a checkout with no compiled kernels."""
    import minitf._ext

    monkeypatch.setitem(sys.modules, "minitf._ext.scopes", None)
    monkeypatch.delattr(minitf._ext, "scopes", raising=False)


def test_reimport_falls_back_with_one_warning_when_unbuilt(reimport, unbuilt):
    with pytest.warns(RuntimeWarning, match="MINITF_PURE_PYTHON=1"):
        assert reimport().kernel_backend() == "python"


def test_reimport_unbuilt_with_require_ext_raises(reimport, unbuilt):
    with pytest.raises(ImportError, match="MINITF_REQUIRE_EXT=1"):
        reimport(MINITF_REQUIRE_EXT="1")


# -- ScopeCounts: TF's default_name counters, linear -----------------------------------------------
class NaiveScopeCounts:
    """TF1's _VariableScopeStore counters, as TF writes them: scan on close, copy on re-entry."""

    def __init__(self):
        self.counts, self.saved = {}, []

    def open(self, name):
        self.counts[name] = self.counts.get(name, 0) + 1

    def close_subscopes(self, name):
        for k in self.counts:
            if k.startswith(name + "/"):
                self.counts[k] = 0

    def count(self, name):
        return self.counts.get(name, 0)

    def unique_suffix(self, base):
        if self.count(base) == 0:
            return 0
        i = 1
        while self.count(f"{base}_{i}") > 0:
            i += 1
        return i

    def mark(self):
        self.saved.append(dict(self.counts))

    def undo(self):
        self.counts = self.saved.pop()


def _simulate(counts, program):
    """Runs a random nest of scope opens/closes/re-entries; returns every count and suffix."""
    out, stack = [], []
    for step, (action, name) in enumerate(program):
        parent = stack[-1][0] if stack else ""
        full = f"{parent}/{name}" if parent else name
        if action == "open":
            counts.open(full)
            stack.append((full, False))
        elif action == "default":
            n = counts.unique_suffix(full)
            full = full if n == 0 else f"{full}_{n}"
            counts.open(full)
            stack.append((full, False))
            out.append(n)
        elif action == "reenter" and stack:
            captured = stack[len(stack) // 2][0]
            counts.open(captured)
            counts.mark()
            stack.append((captured, True))
        elif action == "close" and stack:
            closed, captured = stack.pop()
            counts.undo() if captured else counts.close_subscopes(closed)
        out.append(tuple(counts.count(n) for n in ("a", "a/b", "a/b_1", "b", "a/a", "b/b")))
    return out


_PROGRAM = st.lists(st.tuples(st.sampled_from(["open", "default", "reenter", "close", "close"]),
                              st.sampled_from(["a", "b", "a/b"])), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_PROGRAM)
def test_scope_counts_match_tfs_naive_algorithm(program):
    for backend in ("cython", "python"):
        try:
            counts = _load(backend).ScopeCounts()
        except pytest.skip.Exception:
            continue
        assert _simulate(counts, program) == _simulate(NaiveScopeCounts(), program)


def test_scope_counts_unique_suffix_restarts_after_parent_closes(names):
    counts = names.ScopeCounts()
    counts.open("foo")
    for expected in (0, 1, 2):
        assert counts.unique_suffix("foo/bar") == expected
        counts.open("foo/bar" if expected == 0 else f"foo/bar_{expected}")
    counts.close_subscopes("foo")
    assert counts.unique_suffix("foo/bar") == 0 and counts.count("foo") == 1


# -- VariableStore ---------------------------------------------------------------------------------
@pytest.fixture(params=["cython", "python"])
def store_module(request):
    if request.param == "python":
        return importlib.import_module("minitf._pure.store")
    try:
        return importlib.import_module("minitf._ext.store")
    except ImportError:
        pytest.skip("the Cython kernels are not built")


class FakeVar:
    def __init__(self, shape, dtype):
        self._shape, self.dtype, self._defined_at = shape, dtype, '  File "m.py", line 3\n'


def test_store_reuse_decisions(store_module):
    import minitf as tf

    store = store_module.VariableStore()
    auto = object()  # any truthy non-True value acts as AUTO_REUSE
    assert store.lookup("v", None, (1,), tf.float32) is None
    assert store.lookup("v", auto, (1,), tf.float32) is None
    with pytest.raises(ValueError, match="Variable v does not exist, or was not created"):
        store.lookup("v", True, (1,), tf.float32)
    var = FakeVar((2, None), tf.float32._as_ref)
    store.add("v", var)
    assert store.lookup("v", True, (2, 3), tf.float32) is var
    assert store.lookup("v", auto, None, None) is var
    for reuse in (None, False):
        with pytest.raises(ValueError, match='already exists, disallowed.*Originally defined at:'
                                             '\n\n  File "m.py", line 3'):
            store.lookup("v", reuse, (2, 3), tf.float32)
    with pytest.raises(ValueError, match=r"specified shape \(3,\) and found shape \(2, \?\)"):
        store.lookup("v", True, (3,), tf.float32)
    with pytest.raises(ValueError, match="specified dtype int32 and found dtype float32_ref"):
        store.lookup("v", True, (2, 3), tf.int32)
    assert store.get("v") is var and store.get("w") is None and store.names() == ["v"]


_STORE_NAMES = st.sampled_from(["v", "w", "v/part_0", "a/v"])
_SHAPES = st.sampled_from([None, (), (1,), (2,), (2, None), (None, 3), (2, 3)])
_DTYPES = st.sampled_from(["float32", "float64", "int32", None])
_STORE_CALL = st.tuples(st.sampled_from(["lookup", "find", "add", "get", "names"]), _STORE_NAMES,
                        st.sampled_from([None, False, True, "auto"]), _SHAPES, _DTYPES)


def _replay_store(module, calls):
    import minitf as tf

    store, auto, out = module.VariableStore(), object(), []
    for method, name, reuse, shape, dtype in calls:
        dtype = None if dtype is None else tf.as_dtype(dtype)
        try:
            if method == "add":
                var = FakeVar(shape if shape is not None else (), dtype or tf.float32)
                out.append(store.add(name, var))
            elif method in ("lookup", "find"):
                found = getattr(store, method)(name, auto if reuse == "auto" else reuse, shape,
                                               dtype)
                out.append(None if found is None else (found._shape, found.dtype))
            else:
                found = store.get(name) if method == "get" else store.names()
                out.append(found if method == "names" or found is None else found._shape)
        except ValueError as exc:
            out.append(("ValueError", str(exc)))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(_STORE_CALL, max_size=40))
def test_store_twins_agree_on_random_call_sequences(calls):
    compiled, pure = _load("cython", "store"), _load("python", "store")
    assert _replay_store(compiled, calls) == _replay_store(pure, calls)


# -- scopes: variable_scope's and get_variable's fast paths ----------------------------------------
def test_scope_twins_enter_named_scopes(scopes):
    import minitf as tf

    with tf.Graph().as_default():
        with scopes.ScopeContext("a") as a:
            with scopes.ScopeContext("b", reuse=tf.AUTO_REUSE) as b:
                assert (b.name, b.original_name_scope, b.reuse) == ("a/b", "a/b/", tf.AUTO_REUSE)
                assert isinstance(b, tf.VariableScope) and tf.get_variable_scope() is b
                assert tf.constant(1.0).name == "a/b/Const:0"
            with scopes.ScopeContext("b") as again:
                assert (again.name, again.original_name_scope, again.reuse) == ("a/b", "a/b_1/",
                                                                                 False)
            assert tf.get_variable_scope() is a
        with scopes.ScopeContext(None, default_name="d") as d:  # the full implementation's case
            assert d.name == "d"
        outer = scopes.ScopeContext("x")
        inner = scopes.ScopeContext("y")
        outer.__enter__()
        inner.__enter__()
        with pytest.raises(RuntimeError, match="Improper nesting"):
            outer.__exit__(None, None, None)


def test_get_variable_twins_find_existing_variables(scopes):
    import minitf as tf

    with tf.Graph().as_default():
        with tf.variable_scope("s"):
            v = scopes.get_variable("v", [2])  # created by the full implementation
            with pytest.raises(ValueError, match="already exists, disallowed"):
                scopes.get_variable("v", [2])
        with tf.variable_scope("s", reuse=True):
            assert scopes.get_variable("v", [2]) is v
            assert scopes.get_variable("v", (None,), dtype=tf.float32) is v
            with pytest.raises(ValueError, match="specified shape \\(3,\\)"):
                scopes.get_variable("v", [3])
            with pytest.raises(ValueError, match="specified dtype int32"):
                scopes.get_variable("v", [2], dtype=tf.int32)
            assert scopes.get_variable("v", tf.TensorShape([2])) is v  # converted by the slow path


def test_scope_twins_default_names_and_captured_scopes(scopes):
    import minitf as tf

    with tf.Graph().as_default():
        names = []
        for _ in range(3):
            with scopes.ScopeContext(None, default_name="layer") as s:
                names.append((s.name, s.original_name_scope))
        assert names == [("layer", "layer/"), ("layer_1", "layer_1/"), ("layer_2", "layer_2/")]
        with scopes.ScopeContext("outer") as outer:
            with scopes.ScopeContext(None, default_name="d") as d:
                assert d.name == "outer/d"
        with scopes.ScopeContext(outer, reuse=True) as again:  # a captured scope
            assert (again.name, again.original_name_scope, again.reuse) == ("outer", "outer/",
                                                                            True)
            assert tf.constant(0.0).name == "outer_1/Const:0"
            with scopes.ScopeContext(None, default_name="d") as d2:
                assert d2.name == "outer/d"  # leaving outer forgot its sub-scopes (TF)
            with scopes.ScopeContext(None, default_name="d") as d3:
                assert d3.name == "outer/d_1"
        with scopes.ScopeContext(outer):
            with scopes.ScopeContext(None, default_name="d") as d4:
                assert d4.name == "outer/d"  # the re-entry's counts were undone
        with pytest.raises(ValueError, match="reuse=True cannot be used without a name"):
            scopes.ScopeContext(None, default_name="x", reuse=True).__enter__()


# -- misuse from Python: exceptions, never a crash (issue 15) -------------------------------------
_MISUSE = """
import sys
from minitf._{twin} import scopes, store
for cls, calls in [
        (scopes.NameTable, [("unique", "x"), ("unique_name", "", "x"), ("in_use", "x"),
                            ("open_scope", "", "x")]),
        (scopes.ThreadStates, [("get",)]),
        (scopes.ScopeCounts, [("open", "a"), ("count", "a"), ("unique_suffix", "a"),
                              ("close_subscopes", "a"), ("undo",), ("mark",)]),
        (store.VariableStore, [("get", "v"), ("names",), ("lookup", "v", None, None, None),
                               ("find", "v", True, None, None)])]:
    for made in (cls.__new__(cls), cls()):
        for name, *args in calls:
            try:
                getattr(made, name)(*args)
                print(cls.__name__, name, "ok")
            except Exception as exc:
                print(cls.__name__, name, type(exc).__name__)
"""


@pytest.mark.parametrize("twin", ["ext", "pure"])
def test_kernel_objects_made_without_init_fail_cleanly(twin):
    if twin == "ext":
        _load("cython")
    done = subprocess.run([sys.executable, "-c", _MISUSE.format(twin=twin)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr  # a crash is a negative return code
    lines = done.stdout.splitlines()
    assert len(lines) == 2 * (4 + 1 + 6 + 4)
    # made by __new__ alone: the compiled table is empty, the pure one lacks its fields
    assert lines[:2] == ["NameTable unique TypeError", "NameTable unique_name " + (
        "ok" if twin == "ext" else "AttributeError")]
    assert lines[4] == "NameTable unique TypeError"  # made without its ThreadStates


def test_names_with_thousands_of_suffixes(names):
    table = names.NameTable()
    long_name = "a" + "_1" * 80000  # once recursed per `_1`, on the C stack (issue 15)
    assert table.unique_name("", long_name) == long_name
    assert table.unique_name("", long_name) == long_name + "_1"
    digits = "a_" + "1" * 4301  # longer than Python's int() accepts from a string
    assert table.unique_name("", digits) == digits and table.in_use(digits.upper())
    assert table.unique_name("", "a") == "a" and table.unique_name("", "a") == "a_1"


def test_a_thread_with_a_small_stack_makes_a_long_suffixed_name():
    import threading

    import minitf as tf

    graph, names = tf.get_default_graph(), []
    threading.stack_size(256 * 1024)
    try:
        worker = threading.Thread(target=lambda: names.append(
            graph.unique_name("a" + "_1" * 20000)))
        worker.start()
        worker.join()
    finally:
        threading.stack_size(0)
    assert names == ["a" + "_1" * 20000]


@pytest.mark.parametrize("bad", [b"x", 3, None])
def test_name_twins_refuse_names_that_are_not_strings_alike(names, bad):
    table = names.NameTable(names.ThreadStates())
    for call in (lambda: table.unique_name("", bad), lambda: table.unique(bad)):
        with pytest.raises(TypeError, match=r"Argument 'name' has incorrect type \(expected "
                                            rf"str, got {type(bad).__name__}\)"):
            call()
    with pytest.raises(TypeError, match=rf"'full_name' has incorrect type \(expected str, got "
                                        rf"{type(bad).__name__}\)"):
        table.in_use(bad)
