"""variable_scope and get_variable take one path or another (issue 14): undecorated scopes and
lookups of existing variables are fast paths, anything else the full one, and each kernel has
two twins. Random programs must give the same names, variables and errors on every path and
both twins."""
import contextlib
import importlib

import pytest
from hypothesis import example, given, settings, strategies as st

import minitf as tf
from minitf import _kernels

VARIABLE_SCOPE = importlib.import_module("minitf.variable_scope")  # (tf.variable_scope: the class)

NAMES = st.sampled_from(["a", "b", "a_1", "x/", "", None])
REUSE = st.sampled_from([None, False, True, tf.AUTO_REUSE])
LEAF = st.one_of(st.tuples(st.just("get"), st.sampled_from(["v", "w"]),
                           st.sampled_from([[1], [2], None])),
                 st.tuples(st.just("const")))


def _scopes(children):
    body = st.lists(children, max_size=4)
    return st.one_of(
        st.tuples(st.just("named"), NAMES, REUSE, st.booleans(), st.booleans(), body),
        st.tuples(st.just("default"), st.sampled_from(["d", "e"]), REUSE, st.booleans(), body),
        st.tuples(st.just("captured"), st.integers(0, 7), REUSE, st.booleans(), body),
        st.tuples(st.just("name_scope"), st.sampled_from(["n", "a", "x/", None]), body))


PROGRAMS = st.lists(st.recursive(LEAF, _scopes, max_leaves=14), max_size=5)
# the case that once made the paths disagree (issue 14): a captured "x/" inside another scope
ISSUE_14 = [("named", "x/", None, True, False, []),
            ("named", "outer", None, True, False, [
                ("captured", 0, None, True, [("const",)]),
                ("named", "x/", None, True, True, [("const",)])])]


def run(program, variable_scope, get_variable):
    """Runs `program` in a fresh graph; returns what it saw: names, variables, errors."""
    log, captured, seen = [], [], {}

    def body(nodes):
        for node in nodes:
            step(node)

    def step(node):
        kind = node[0]
        try:
            if kind == "get":
                v = get_variable(node[1], node[2])
                log.append(("get", v.name, seen.setdefault(id(v), len(seen))))
            elif kind == "const":
                log.append(("const", tf.constant(0.0).name))
            elif kind == "name_scope":
                with tf.name_scope(node[1]) as opened:
                    log.append(("name_scope", opened))
                    body(node[2])
            else:
                with open_scope(node) as scope:
                    captured.append(scope)
                    log.append((kind, scope.name, scope.original_name_scope, scope.reuse,
                                scope.dtype, tf.get_default_graph().get_name_scope()))
                    body(node[-1])
        except (TypeError, ValueError) as exc:
            log.append((type(exc).__name__, str(exc)))

    def open_scope(node):
        kind, name, reuse = node[:3]
        if kind == "named":
            dtype = {"dtype": tf.float32} if node[4] else {}  # a scope with overrides
            return variable_scope(name, reuse=reuse, auxiliary_name_scope=node[3], **dtype)
        if kind == "default":
            return variable_scope(None, default_name=name, reuse=reuse,
                                  auxiliary_name_scope=node[3])
        target = captured[name % len(captured)] if captured else "first"
        return variable_scope(target, reuse=reuse, auxiliary_name_scope=node[3])

    with tf.Graph().as_default():
        body(program)
    return log


@contextlib.contextmanager
def full_paths():
    """Turns every fast path off (scopes decorated, lookups by the store) for a while."""
    _kernels.set_fast_paths(False)
    try:
        yield
    finally:
        _kernels.set_fast_paths(True)


@settings(max_examples=300, deadline=None)
@given(program=PROGRAMS)
@example(program=ISSUE_14)
def test_fast_and_full_paths_agree(program):
    fast = run(program, tf.variable_scope, tf.get_variable)
    with full_paths():
        assert run(program, tf.variable_scope, tf.get_variable) == fast


def _twin(backend):
    package = "minitf._ext" if backend == "cython" else "minitf._pure"
    module = importlib.import_module(f"{package}.scopes")
    module.install(**VARIABLE_SCOPE._SCOPE_HOOKS)
    return module


@pytest.mark.skipif(_kernels.kernel_backend() == "python",
                    reason="the compiled twin runs only when selected")
@settings(max_examples=200, deadline=None)
@given(program=PROGRAMS)
@example(program=ISSUE_14)
def test_compiled_and_pure_twins_agree(program):
    compiled, pure = _twin("cython"), _twin("python")
    assert (run(program, compiled.ScopeContext, compiled.get_variable)
            == run(program, pure.ScopeContext, pure.get_variable))


def test_the_programs_reach_every_kind_of_scope_and_error():
    log = run(ISSUE_14, tf.variable_scope, tf.get_variable)
    # "x/" re-enters the name scope x/ itself (TF); the captured x/ keeps the current one
    assert [entry[1] for entry in log if entry[0] == "const"] == ["outer/Const:0", "x/Const:0"]
    errors = run([("named", None, None, True, False, []),
                  ("default", "d", True, True, [])], tf.variable_scope, tf.get_variable)
    assert errors == [("TypeError", "If default_name is None then name_or_scope is required"),
                      ("ValueError", "reuse=True cannot be used without a name_or_scope")]


@pytest.mark.skipif(_kernels.kernel_backend() == "python",
                    reason="the compiled twin runs only when selected")
@pytest.mark.parametrize("name", ["ScopeContext", "get_variable", "install", "set_fast_paths"])
def test_twins_document_their_public_objects_alike(name):
    compiled, pure = _twin("cython"), _twin("python")
    text = getattr(compiled, name).__doc__
    if "\n" in text and text.startswith(name):  # Cython's embedded signature line
        text = text.split("\n", 1)[1].lstrip("\n")
    assert " ".join(text.split()) == " ".join(getattr(pure, name).__doc__.split())
