"""Names fuzzed through every naming API (issue 15): op names, name and variable scopes,
get_variable, Variable, Graph.unique_name, the lookups by name and the Saver's names.

Names mix TF's valid characters, '/', runs of `_N` suffixes, digit runs past int64 and past
Python's int() limit, any Unicode text, '\\n', '', None, bytes and ints. Every call either works
(and then names what it made by TF1's rule, and the lookups by that name find it) or raises
TypeError or ValueError (KeyError for a lookup of a missing name, as TF): never another error,
never a crash. The compiled kernels and their pure twins must agree on the same programs.
Counts: `size(small, long)` programs (`--stress-long`), always the same ones (derandomized).
"""
import importlib
import pathlib
import re
import threading

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import minitf as tf
from minitf import _kernels

HERE = pathlib.Path(__file__).resolve().parent
VARIABLE_SCOPE = importlib.import_module("minitf.variable_scope")  # (tf.variable_scope: a class)
# TF's patterns (ops.py), ending in \Z where TF's `$` lets a final line break by: minitf refuses
# it at once (see TFNames.check for the other difference)
OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*\Z").match
SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\\/>-]*\Z").match


def fuzz(examples):
    """Settings for `examples` programs, the same ones on every run (CI must not flake)."""
    return settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


# -- names -----------------------------------------------------------------------------------------
_SEGMENT = st.text("abAB09._->\\", min_size=1, max_size=5)  # every character TF's names allow
_SUFFIX = st.integers(0, 120).map(lambda n: f"_{n}")
_PLAIN = st.lists(st.one_of(_SEGMENT, _SUFFIX, st.just("/")), min_size=1, max_size=5).map(
    "".join)
# once a recursion per `_1` on the C stack, and an int() of thousands of digits (issue 15)
_SUFFIX_RUN = st.builds(lambda base, suffix, k: base + suffix * k, st.sampled_from(["a", "B/c"]),
                        st.sampled_from(["_1", "_0", "_12", "_01"]), st.integers(1, 3000))
_DIGIT_RUN = st.builds(lambda digit, n: "a_" + digit * n, st.sampled_from("190"),
                       st.sampled_from([17, 18, 19, 20, 40, 4300, 4301, 5000]))
_ODD = st.sampled_from(["", None, "\n", "a\n", "a\nb", "/", "//", "a/", "a//b", "_a", " ", "a b",
                        "a:0", "a:b", "é", "\ud800", "\x00", b"a", b"", 0, 7, -1, 2**70, 1.5,
                        True, False, ("a",), ["a"]])
NAMES = st.one_of(_PLAIN, _PLAIN, _SUFFIX_RUN, _DIGIT_RUN, st.text(max_size=6), _ODD)
STRINGS = st.one_of(_PLAIN, _PLAIN, _SUFFIX_RUN, _DIGIT_RUN, st.text(max_size=6),
                    _ODD.filter(lambda n: isinstance(n, str)))


@st.composite
def programs(draw, step, names=NAMES, max_steps=14):
    """Lists of `step(name)`; names mostly come from a small pool, so they repeat (as in a
    model) and uniquification is exercised."""
    pool = draw(st.lists(names, min_size=1, max_size=4))
    name = st.one_of(st.sampled_from(pool), st.sampled_from(pool), names)
    return draw(st.lists(step(name), max_size=max_steps))


def steps(kinds):
    """(kind, name, flag, index) steps."""
    return lambda name: st.tuples(st.sampled_from(kinds), name, st.booleans(), st.integers(0, 7))


def attempt(call, allowed=(TypeError, ValueError)):
    """call()'s value, or the exception it raised if of an allowed type; any other fails."""
    try:
        return call()
    except allowed as exc:
        return exc


def joined(parent, name):
    return f"{parent}/{name}" if parent else name


# -- TF1's naming rule, written as TF writes it (ops.py), for the exact test ----------------------
class InvalidNodeName(ValueError):
    """TF's Operation() refuses a full name that fails the op-name pattern."""

    def __init__(self, full):
        super().__init__(f"'{full}' is not a valid node name")
        self.full = full


class TFNames:
    """Graph.unique_name and name_scope as TF1 has them, and how an op gets its name."""

    def __init__(self):
        self.in_use, self.stack, self.ops = {}, "", {}

    def unique_name(self, name, mark_as_used=True):
        if not isinstance(name, str):
            raise TypeError("Argument 'name' has incorrect type")
        if self.stack:
            name = self.stack + "/" + name
        key = name.lower()
        i = self.in_use.get(key, 0)
        if mark_as_used:
            self.in_use[key] = i + 1
        if i > 0:
            base = key
            while key in self.in_use:
                key = f"{base}_{i}"
                i += 1
            if mark_as_used:
                self.in_use[key] = 1
            name = f"{name}_{i - 1}"
        return name

    def check(self, name):
        if not isinstance(name, str):
            raise TypeError("Scope names must be strings")
        # a name ending in "/" is a full name from the root: minitf checks it as one on entry
        # (TF only when an op gets it); "/" alone is the root
        if self.stack and not name.endswith("/"):
            if not SCOPE_NAME(name):
                raise ValueError(f"'{name}' is not a valid scope name")
        elif not (OP_NAME(name) or self.stack and name == "/"):
            raise ValueError(f"'{name}' is not a valid root scope name")

    def name_scope(self, name):
        """(new stack, what `with` yields)."""
        if not name:
            return "", ""
        self.check(name)
        if name.endswith("/"):
            return name[:-1], name
        stack = self.unique_name(name)
        return stack, stack + "/"

    def op_name(self, name, op_type, empty_is_error):
        if name == "" and empty_is_error and not self.stack:
            raise ValueError("`` is not a valid node name")  # (constant's, at the root)
        name = name or op_type  # None and "": the op's type
        self.check(name)
        full = name[:-1] if name.endswith("/") else self.unique_name(name)
        if not OP_NAME(full):
            raise InvalidNodeName(full)
        if full in self.ops:
            raise ValueError(f"Duplicate node name in graph: '{full}'")
        return full


def expected_lookup(ops, name, allow_tensor, allow_operation):
    """What Graph.as_graph_element(name) gives by TF's rules: the element, or (error type,
    key words of its text)."""
    if not isinstance(name, str):
        return TypeError, "not"
    if ":" in name and allow_tensor:
        op_name, _, index = name.partition(":")
        try:
            index = int(index)  # (TF's int(): ' 1', '+1', '0_0' and '١' are indices too)
        except ValueError:
            return ValueError, "looks a like a Tensor name, but is not a valid one"
        if op_name not in ops:
            return KeyError, "does not exist"
        if not 0 <= index < len(ops[op_name].outputs):
            return KeyError, "exists but only has"
        return ops[op_name].outputs[index]
    if ":" in name:
        return ValueError, "appears to refer to a Tensor"
    if not allow_operation:
        return ValueError, "Tensor names must be of the form"
    return ops[name] if name in ops else (KeyError, "not in the graph")


def check_lookups(graph, ops, name):
    lookups = [(graph.get_operation_by_name, False, True),
               (graph.get_tensor_by_name, True, False),
               (graph.as_graph_element, True, True)]
    for lookup, allow_tensor, allow_operation in lookups:
        found = attempt(lambda: lookup(name), (TypeError, ValueError, KeyError))
        expected = expected_lookup(ops, name, allow_tensor, allow_operation)
        if isinstance(expected, tuple):
            assert type(found) is expected[0] and expected[1] in str(found), (lookup, name, found)
        else:
            assert found is expected, (lookup, name)


def same_error(got, expected):
    """`got` is `expected`'s type (an InvalidNodeName: any ValueError) and holds its text."""
    if isinstance(expected, InvalidNodeName):
        return type(got) is ValueError
    return type(got) is type(expected) and str(expected) in str(got)


# -- op and name-scope names, exactly as TF names them ---------------------------------------------
EXACT = ["const", "placeholder", "identity", "unique_name", "scope", "scope", "exit", "lookup"]
_OP_TYPES = {"const": "Const", "placeholder": "Placeholder", "identity": "Identity"}


def _make_op(kind, name, source):
    if kind == "const":
        return tf.constant(0.0, name=name).op
    if kind == "placeholder":
        return tf.placeholder(tf.float32, name=name).op
    return tf.identity(source, name=name).op


def _exact_op(graph, model, kind, name, source):
    expected = attempt(lambda: model.op_name(name, _OP_TYPES[kind], kind == "const"))
    made = attempt(lambda: _make_op(kind, name, source))
    if isinstance(expected, InvalidNodeName) and isinstance(made, tf.Operation):
        expected = expected.full  # minitf lets these by: test_an_ops_full_name_is_a_valid_node_name
    if isinstance(expected, Exception):
        assert same_error(made, expected), (kind, name, made, expected)
        return
    assert isinstance(made, tf.Operation) and made.name == expected, (kind, name, made)
    model.ops[expected] = made
    check_lookups(graph, model.ops, expected)  # the op, and its tensor, by name
    check_lookups(graph, model.ops, expected + ":0")


def _exact_step(graph, model, opened, step, source):
    kind, name, mark, _ = step
    if kind in _OP_TYPES:
        _exact_op(graph, model, kind, name, source)
    elif kind == "unique_name":
        expected = attempt(lambda: model.unique_name(name, mark))
        got = attempt(lambda: graph.unique_name(name, mark_as_used=mark))
        assert got == expected or same_error(got, expected), (name, got)
    elif kind == "scope":
        expected = attempt(lambda: model.name_scope(name))
        scope = tf.name_scope(name)
        got = attempt(scope.__enter__)
        if isinstance(expected, Exception):
            assert same_error(got, expected), (name, got)
        else:
            assert got == expected[1], name
            opened.append((scope, model.stack))
            model.stack = expected[0]
    elif kind == "exit" and opened:
        scope, model.stack = opened.pop()
        scope.__exit__(None, None, None)
    elif kind == "lookup":
        check_lookups(graph, model.ops, name)
    assert graph.get_name_scope() == model.stack


def run_exact(program):
    model, opened = TFNames(), []
    with tf.Graph().as_default() as graph:
        source = tf.placeholder(tf.float32, name="source")
        model.ops[model.op_name("source", "Placeholder", False)] = source.op
        for step in program:
            _exact_step(graph, model, opened, step, source)


def test_op_and_scope_names_follow_tfs_rule_or_raise_its_errors(size):
    """Exact names (scope prefix + name, made unique with _N case-insensitively, explicit `_N`
    names skipped) and errors of constant, placeholder, identity, name_scope and unique_name,
    and what the lookups by name give, against TF1's own algorithm."""
    @fuzz(size(200, 20000))
    @given(program=programs(steps(EXACT)))
    def check(program):
        run_exact(program)
    check()


def test_the_exact_model_gives_tfs_documented_names():
    # the model itself on TF's documented cases (a wrong model would prove nothing)
    model = TFNames()
    names = [model.op_name(n, "Const", True) for n in ("foo_1", "foo", "foo", "Foo", "foo_1")]
    assert names == ["foo_1", "foo", "foo_2", "Foo_3", "foo_1_1"]
    assert model.name_scope("a") == ("a", "a/") and model.name_scope("a") == ("a_1", "a_1/")
    with pytest.raises(ValueError, match="not a valid root scope name"):
        model.name_scope("_a")
    run_exact([("scope", "a", True, 0), ("const", "_b", True, 0), ("exit", "", True, 0),
               ("const", "a", True, 0), ("unique_name", "a_2", False, 0),
               ("lookup", "a_1:0", True, 0), ("lookup", "a_1:1", True, 0)])


# -- every naming API: works or raises TypeError/ValueError; made things are found by name ---------
ALL = ["const", "variable", "get_variable", "unique_name", "name_scope", "variable_scope",
       "default_scope", "captured", "exit", "exit", "lookup"]


class Program:
    """Runs the steps of one program of ALL in a graph; `log` holds what each gave."""

    def __init__(self, graph):
        self.graph, self.log = graph, []
        self.opened, self.scopes, self.variables = [], [], {}

    def predict(self, name):
        """The name `name` gets now in the current name scope; None when it is not plain."""
        if isinstance(name, str) and name and not name.endswith("/"):
            return self.graph.unique_name(name, mark_as_used=False)
        return None

    def scope_stack(self, name):
        """The name scope a scope called `name` opens ("": the current one stays)."""
        if not name:
            return self.graph.get_name_scope()
        return name[:-1] if name.endswith("/") else self.predict(name)

    def step(self, kind, name, flag, index):
        allowed = (TypeError, ValueError, KeyError) if kind == "lookup" else (TypeError,
                                                                              ValueError)
        before = (self.graph.get_name_scope(), tf.get_variable_scope().name)
        got = attempt(lambda: getattr(self, kind)(name, flag, index), allowed)
        if isinstance(got, Exception):
            # (error texts are compared across backends for string names only)
            self.log.append((kind, type(got).__name__, str(got) if isinstance(name, str) else ""))
            assert (self.graph.get_name_scope(), tf.get_variable_scope().name) == before, got
        else:
            self.log.append((kind, got))

    def enter(self, context):
        entered = context.__enter__()
        self.opened.append(context)
        return entered

    def const(self, name, flag, index):
        expected = self.predict(name)
        op = tf.constant(0.0, name=name).op
        assert expected in (None, op.name), (name, op.name)
        return op.name

    def variable(self, name, flag, index):
        expected = self.predict("Variable" if name is None else name)
        v = tf.Variable(1.0, name=name)
        assert expected in (None, v.op.name) and v.name == v.op.name + ":0", name
        return v.name

    def get_variable(self, name, flag, index):
        full = joined(tf.get_variable_scope().name, name) if isinstance(name, str) else None
        with self.graph.name_scope(None):  # variable names ignore the name scope (TF)
            expected = self.predict(full)
        made = attempt(lambda: tf.get_variable(name, [1]))
        if full in self.variables:
            assert "already exists, disallowed" in str(made), name
        if isinstance(made, Exception):
            raise made
        assert made.name == f"{expected}:0", name
        self.variables[full] = made
        return made.name

    def unique_name(self, name, flag, index):
        expected = self.predict(name)
        got = self.graph.unique_name(name, mark_as_used=flag)
        assert expected in (None, got), name
        return got

    def name_scope(self, name, flag, index):
        expected = self.predict(name)
        opened = self.enter(tf.name_scope(name))
        want = expected + "/" if expected else (name if isinstance(name, str) else "")
        assert opened == want and self.graph.get_name_scope() == opened[:-1], name
        return opened

    def variable_scope(self, name, flag, index):
        parent = tf.get_variable_scope().name
        stack = self.scope_stack(name) if isinstance(name, str) else None
        entered = self.enter(tf.variable_scope(name))
        self.scopes.append(entered)
        assert entered.name == joined(parent, name), name
        assert self.graph.get_name_scope() == stack, name
        return entered.name, entered.original_name_scope

    def default_scope(self, name, flag, index):
        parent = tf.get_variable_scope().name
        stack = (self.scope_stack(name) if name else "") if isinstance(name, str) else None
        entered = self.enter(tf.variable_scope(None, default_name=name))
        self.scopes.append(entered)
        # the first free name_N among this thread's sibling scopes (TF's default-name counters)
        assert re.fullmatch(re.escape(joined(parent, name)) + "(_[1-9][0-9]*)?", entered.name)
        assert self.graph.get_name_scope() == stack, name
        return entered.name, entered.original_name_scope

    def captured(self, name, flag, index):
        if not self.scopes:
            return None
        old = self.scopes[index % len(self.scopes)]
        stack = self.scope_stack(old.name.rpartition("/")[2])
        entered = self.enter(tf.variable_scope(old))
        assert (entered.name, entered.original_name_scope) == (old.name, old.original_name_scope)
        assert self.graph.get_name_scope() == stack, old.name
        return entered.name

    def exit(self, name, flag, index):
        if self.opened:
            self.opened.pop().__exit__(None, None, None)
        return self.graph.get_name_scope()

    def lookup(self, name, flag, index):
        found = [attempt(lambda: lookup(name), (TypeError, ValueError, KeyError))
                 for lookup in (self.graph.get_operation_by_name, self.graph.get_tensor_by_name,
                                self.graph.as_graph_element)]
        for element in found:
            if isinstance(element, tf.Operation):
                assert element.name == name
            elif isinstance(element, tf.Tensor):
                op_name, _, index = name.partition(":")
                assert (element.op.name, element.value_index) == (op_name, int(index))
        return [type(f).__name__ if isinstance(f, Exception) else f.name for f in found]

    def finish(self):
        """Every op and tensor made is found by its name, no two share one, and leaving the
        scopes still open brings back the root."""
        ops = self.graph.get_operations()
        assert len({op.name for op in ops}) == len(ops)
        for op in ops:
            assert self.graph.get_operation_by_name(op.name) is op
            for t in op.outputs:
                assert self.graph.get_tensor_by_name(t.name) is t
        while self.opened:
            self.opened.pop().__exit__(None, None, None)
        assert self.graph.get_name_scope() == "" and tf.get_variable_scope().name == ""


def run_program(program):
    with tf.Graph().as_default() as graph:
        run = Program(graph)
        for step in program:
            run.step(*step)
        run.finish()
    return run.log


def test_every_naming_api_works_or_raises_type_or_value_error(size):
    """constant, Variable, get_variable, unique_name, name_scope, variable_scope (a name, a
    default_name, a captured scope) and the lookups on fuzzed names: TypeError or ValueError
    only, scopes restored after an error, names as Graph.unique_name predicts them, every op
    and tensor found by its name."""
    @fuzz(size(200, 20000))
    @given(program=programs(steps(ALL)))
    def check(program):
        run_program(program)
    check()


def fuzzed_programs(examples):
    """`examples` fuzzed programs of ALL, as lines of Python literals."""
    made = []

    @fuzz(examples)
    @given(program=programs(steps(ALL)))
    def collect(program):
        made.append(ascii(program))
    collect()
    return made


_CHILD = """
import ast, sys
sys.path.insert(0, sys.argv[1])
import test_names
with open(sys.argv[2], encoding="ascii") as f:
    for line in f:
        print(ascii(test_names.run_program(ast.literal_eval(line))), flush=True)
"""


def test_both_backends_run_the_same_programs_alike(python_process, size, tmp_path):
    # a process per backend (a graph's kernels are picked at import): the same programs give
    # the same names, error types and error texts (of string names)
    programs_made = fuzzed_programs(size(100, 5000))
    path = tmp_path / "programs.txt"
    path.write_text("\n".join(programs_made) + "\n", encoding="ascii")
    runs = [python_process(_CHILD, str(HERE), str(path), timeout=3600,
                           env={"MINITF_PURE_PYTHON": flag}) for flag in ("0", "1")]
    for done in runs:
        assert done.returncode == 0, done.stderr[-3000:]
    cython, python = (done.stdout.splitlines() for done in runs)
    assert len(cython) == len(python) == len(programs_made)
    for program, a, b in zip(programs_made, cython, python):
        assert a == b, program


# -- the Saver, under fuzzed checkpoint names -----------------------------------------------------
def _round_trip(directory, names, by_dict):
    """Saves variables under `names` (a dict's keys, or the variables' own names) and restores
    them: (the names given, the names in the checkpoint), or the error refusing them."""
    with tf.Graph().as_default():
        made = {}
        for i, name in enumerate(names):
            v = attempt(lambda: tf.Variable([float(i)], name=None if by_dict else name))
            if isinstance(v, tf.Variable):
                made[name if by_dict else v.op.name] = v
        saver = attempt(lambda: tf.train.Saver(made if by_dict else None, allow_empty=True))
        if isinstance(saver, Exception) or not made:
            return saver
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            values = [v.tolist() for v in sess.run(list(made.values()))]
            path = attempt(lambda: saver.save(sess, str(directory / "model")))
            if isinstance(path, Exception):
                return path
            sess.run([v.assign([-1.0]) for v in made.values()])
            saver.restore(sess, path)
            assert [v.tolist() for v in sess.run(list(made.values()))] == values
            return list(made), [n for n, _ in tf.train.list_variables(path)]


def test_saver_saves_and_restores_under_fuzzed_names(size, tmp_path):
    """A Saver's names (dict keys, or the variables' fuzzed op names) round-trip through a
    checkpoint, or are refused with TypeError/ValueError (keys of mixed types cannot be
    sorted; bytes have no JSON form)."""
    # (no tuples: test_saver_refuses_checkpoint_names_that_are_not_strings; no lists: keys)
    keys = NAMES.filter(lambda n: not isinstance(n, (list, tuple)))

    @fuzz(size(60, 3000))
    @given(names=st.lists(keys, min_size=1, max_size=4, unique_by=repr), by_dict=st.booleans())
    def check(names, by_dict):
        got = _round_trip(tmp_path, names, by_dict)
        if isinstance(got, tuple):
            assert sorted(got[0], key=repr) == sorted(got[1], key=repr)
        else:
            assert isinstance(got, (tf.train.Saver, TypeError, ValueError)), got
    check()


# -- the compiled kernels and their pure twins, side by side in this process -----------------------
def twins(kernel="scopes"):
    try:
        return [importlib.import_module(f"{package}.{kernel}")
                for package in ("minitf._ext", "minitf._pure")]
    except ImportError:
        pytest.skip("the Cython kernels are not built")


def outcome(call):
    try:
        return call()
    except Exception as exc:  # the twins must fail alike: type and text
        return type(exc).__name__, str(exc)


def _replay_names(module, calls):
    states = module.ThreadStates()
    table, out = module.NameTable(states), []
    for method, stack, name, mark in calls:
        if method == "unique":
            states.get().name_stack = stack  # what a name scope sets
            out.append(outcome(lambda: table.unique(name, mark)))
        elif method == "unique_name":
            out.append(outcome(lambda: table.unique_name(stack, name, mark)))
        elif method == "open_scope":
            out.append(outcome(lambda: table.open_scope(stack, name)))
        else:
            out.append(outcome(lambda: table.in_use(name)))
    return out


def test_name_table_twins_agree_on_fuzzed_names(size):
    """unique, unique_name, open_scope and in_use of both twins: the same names and the same
    errors (type and text), for string stacks and names of any type."""
    compiled, pure = twins()
    methods = st.sampled_from(["unique", "unique_name", "open_scope", "in_use"])

    def call(name):
        return st.tuples(methods, st.one_of(st.just(""), STRINGS), name, st.booleans())

    @fuzz(size(200, 20000))
    @given(calls=programs(call, max_steps=30))
    def check(calls):
        assert _replay_names(compiled, calls) == _replay_names(pure, calls)
    check()


def _replay_counts(module, calls):
    counts, marks, out = module.ScopeCounts(), 0, []
    for method, name in calls:
        if method == "undo" and not marks:
            continue
        marks += {"mark": 1, "undo": -1}.get(method, 0)
        args = () if method in ("mark", "undo") else (name,)
        out.append(outcome(lambda: getattr(counts, method)(*args)))
    return out


def test_scope_counts_twins_agree_on_fuzzed_names(size):
    """default_name counters (open, count, unique_suffix, close_subscopes, mark, undo) of both
    twins under fuzzed string names: the same counts and suffixes."""
    compiled, pure = twins()
    methods = st.sampled_from(["open", "open", "count", "unique_suffix", "close_subscopes",
                               "mark", "undo"])

    @fuzz(size(200, 20000))
    @given(calls=programs(lambda name: st.tuples(methods, name), names=STRINGS, max_steps=40))
    def check(calls):
        assert _replay_counts(compiled, calls) == _replay_counts(pure, calls)
    check()


def _scope_program(module, program):
    """One twin's variable scopes and get_variable on a program: what each step gave."""
    log, opened, scopes = [], [], []
    with tf.Graph().as_default():
        for kind, name, _, index in program:
            if kind == "exit":
                if opened:
                    opened.pop().__exit__(None, None, None)
                continue
            if kind == "get":
                log.append(outcome(lambda: module.get_variable(name, [1]).name))
                continue
            target = scopes[index % len(scopes)] if kind == "captured" and scopes else name
            scope = module.ScopeContext(None if kind == "default" else target,
                                        default_name=name if kind == "default" else None)
            entered = outcome(scope.__enter__)
            if isinstance(entered, tuple):
                log.append(entered)
                continue
            opened.append(scope)
            scopes.append(entered)
            log.append((entered.name, entered.original_name_scope,
                        tf.get_default_graph().get_name_scope(), tf.constant(0.0).name))
        while opened:
            opened.pop().__exit__(None, None, None)
    return log


@pytest.mark.skipif(_kernels.kernel_backend() == "python",
                    reason="the compiled scopes run only when selected (they type the graph's)")
def test_scope_twins_agree_on_fuzzed_names(size):
    """ScopeContext (a name, a default_name, a captured scope) and get_variable of both twins
    on fuzzed string names: the same scopes, name scopes, variable names and errors."""
    compiled, pure = twins()
    for module in (compiled, pure):
        module.install(**VARIABLE_SCOPE._SCOPE_HOOKS)
    kinds = ["scope", "scope", "default", "captured", "get", "get", "exit"]

    @fuzz(size(200, 20000))
    @given(program=programs(steps(kinds), names=STRINGS))
    def check(program):
        assert _scope_program(compiled, program) == _scope_program(pure, program)
    check()


# -- bugs this fuzzing found, each failing before its fix --------------------------------------
@pytest.mark.parametrize("scope, name", [("a", "/"), ("a", "_x/"), ("a", "-y/"), ("_s/", "c"),
                                         ("b\n", "c")])
def test_an_ops_full_name_is_a_valid_node_name(scope, name):
    # TF1's Operation() refuses a full name failing its op-name pattern (ValueError). minitf
    # checks a name ending in "/" as the full name it is, when the scope is entered, and
    # refuses a final line break at once (TF's `$` lets it by, then fails on "a/b\n/c")
    with pytest.raises(ValueError, match="is not a valid"):
        with tf.name_scope("a"), tf.name_scope(scope):
            tf.constant(0.0, name=name)
    assert tf.get_default_graph().get_operations() == []


@pytest.mark.parametrize("key", [("a",), b"a"])
def test_saver_refuses_checkpoint_names_that_are_not_strings(key):
    # TF's checkpoint names are strings; a name it cannot store is refused when the Saver is
    # made, not found out by save() or by restore() calling a checkpoint corrupted
    with pytest.raises(TypeError, match="must be strings, not"):
        tf.train.Saver({key: tf.Variable([1.0])})


@pytest.mark.parametrize("bad", [b"a", 0, 3])
def test_kernel_twins_refuse_arguments_that_are_not_strings_alike(bad):
    compiled, pure = twins()
    for method in ("open", "count", "unique_suffix", "close_subscopes"):
        assert (outcome(lambda: getattr(compiled.ScopeCounts(), method)(bad))
                == outcome(lambda: getattr(pure.ScopeCounts(), method)(bad)))
    assert (outcome(lambda: compiled.NameTable().unique_name(bad, "a"))
            == outcome(lambda: pure.NameTable().unique_name(bad, "a")))


class ParkingDict(dict):
    """A name table's dict that parks one thread in its first `get` (between reading a count
    and writing it back) until told to go on, and counts membership checks."""

    def __init__(self):
        super().__init__()
        self.park, self.parked, self.go, self.checks = None, threading.Event(), threading.Event(), 0

    def get(self, key, default=None):
        value = super().get(key, default)
        if threading.current_thread() is self.park:
            self.park = None
            self.parked.set()
            self.go.wait(5)
        return value

    def __contains__(self, key):
        self.checks += 1
        return super().__contains__(key)


def test_a_thread_paused_inside_unique_name_leaves_later_names_cheap():
    table = importlib.import_module("minitf._pure.names").NameTable()
    table._used = used = ParkingDict()
    table.unique_name("", "x")
    parked = threading.Thread(target=lambda: table.unique_name("", "x"))
    used.park = parked
    parked.start()
    used.parked.wait(5)
    others = threading.Thread(target=lambda: [table.unique_name("", "x") for _ in range(1000)])
    others.start()
    others.join(2)  # (a table that locks makes these wait for the parked thread: let it go)
    used.go.set()
    parked.join()
    others.join()
    used.checks = 0
    assert table.unique_name("", "x") == "x_1002" and used.checks <= 2, used.checks


def test_a_non_string_default_name_is_one_type_error_on_both_backends(python_process):
    # the user-visible face of that drift: the same TypeError and text on both
    code = ("import minitf as tf\ntry:\n    tf.variable_scope(None, default_name=0).__enter__()\n"
            "except TypeError as e:\n    print(e)")
    for flag in ("0", "1"):
        done = python_process(code, env={"MINITF_PURE_PYTHON": flag})
        assert (done.returncode, done.stdout) == (
            0, "default_name must be a string, not int: 0\n"), done.stderr
