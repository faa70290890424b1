"""The layering of DESIGN.md holds (issue 14): minitf/framework imports only minitf._kernels and
itself, and the op families import each other only at the top, without cycles, with shared
helpers in the leaf ops/_shared.py.

Each framework module is imported in a fresh process in which the packages above it cannot be
imported at all, and a static check reads every import statement (at module level or inside a
function), so a lazy import cannot hide in a function that the import does not run.
"""
import ast
import pathlib
import subprocess
import sys

import pytest

import minitf

PACKAGE = pathlib.Path(minitf.__file__).parent
FRAMEWORK = sorted(p.stem for p in (PACKAGE / "framework").glob("*.py") if p.stem != "__init__")
OPS = sorted(p.stem for p in (PACKAGE / "ops").glob("*.py") if p.stem != "__init__")
BELOW_OPS = ("minitf.framework", "minitf._kernels", "minitf._ext", "minitf._pure")

# What an op family may import besides minitf.framework and the other families, and why.
OPS_EXCEPTIONS = {
    ("io_ops", "minitf.checkpoint"): "RestoreV2's kernel reads checkpoint files at run time",
}

# The `minitf` package itself is an empty shell here: its __init__ imports every layer.
BLOCKED_IMPORT = r"""
import importlib.abc, importlib.util, sys, types

ALLOWED = ("minitf.framework", "minitf._kernels", "minitf._ext", "minitf._pure")


class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.startswith("minitf.") and not name.startswith(ALLOWED):
            raise ImportError(f"layering: minitf/framework imported {name}")
        return None


sys.meta_path.insert(0, Blocker())
shell = types.ModuleType("minitf")
shell.__path__ = [PACKAGE]
sys.modules["minitf"] = shell
"""


def _run_blocked(body):
    script = f"PACKAGE = {str(PACKAGE)!r}\n" + BLOCKED_IMPORT + body
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)


@pytest.mark.parametrize("module", FRAMEWORK)
def test_each_framework_module_imports_with_the_higher_layers_blocked(module):
    done = _run_blocked(f"import minitf.framework.{module}\nprint(sorted(sys.modules))")
    assert done.returncode == 0, done.stderr
    loaded = [m for m in ast.literal_eval(done.stdout) if m.startswith("minitf.")]
    assert [m for m in loaded if not m.startswith(BELOW_OPS)] == []


def test_the_framework_alone_builds_a_graph_and_finds_no_default_session():
    done = _run_blocked("""
from minitf.framework import constant_op, graph
g = graph.Graph()
with g.as_default():
    c = constant_op.constant([1.0, 2.0], name="c")
assert c.name == "c:0" and c.graph is g
try:
    c.eval()
except ValueError as exc:
    print(exc)
""")
    assert done.returncode == 0, done.stderr
    assert "No default session is registered" in done.stdout


def _imports(path):
    """(line, imported module name) for every import statement of a file, at any depth."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: relative import"
            if node.module != "minitf":
                yield node.lineno, node.module
            # `from minitf import checkpoint`, `from minitf.ops import manip_ops` name modules
            yield from ((node.lineno, f"{node.module}.{alias.name}") for alias in node.names
                        if node.module in ("minitf", "minitf.ops", "minitf.framework"))


def _minitf_imports(path):
    return [(line, name) for line, name in _imports(path)
            if name == "minitf" or name.startswith("minitf.")]


@pytest.mark.parametrize("module", FRAMEWORK)
def test_no_import_in_the_framework_names_a_higher_package(module):
    path = PACKAGE / "framework" / f"{module}.py"
    higher = [(line, name) for line, name in _minitf_imports(path)
              if not name.startswith(BELOW_OPS)]
    assert higher == []


def _top_level_end(tree):
    """The line where a module's leading block of imports (and its docstring) ends."""
    for node in tree.body:
        docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if not (docstring or isinstance(node, (ast.Import, ast.ImportFrom))):
            return node.lineno
    return float("inf")


def _family_imports(module):
    """The op families `module` imports, checking each import of minitf is in the leading block
    of imports (no lazy import inside a function or at the bottom) and below the layer above."""
    path = PACKAGE / "ops" / f"{module}.py"
    end = _top_level_end(ast.parse(path.read_text()))
    families = set()
    for line, name in _minitf_imports(path):
        assert line < end, f"ops/{module}.py:{line} imports {name} after its leading imports"
        if name.startswith("minitf.ops."):
            families.add(name.split(".")[2])
        elif name != "minitf.ops" and not name.startswith(BELOW_OPS):
            assert (module, name) in OPS_EXCEPTIONS, f"ops/{module}.py:{line} imports {name}"
    return families - {module}


def test_op_families_import_each_other_at_the_top_without_cycles():
    graph = {module: _family_imports(module) for module in OPS}
    assert graph["_shared"] == set()  # the leaf
    order = []
    while graph:
        ready = sorted(m for m, deps in graph.items() if deps <= set(order))
        assert ready, f"import cycle among {sorted(graph)}"
        order += ready
        for m in ready:
            del graph[m]
    assert order.index("manip_ops") < order.index("math_ops") < order.index("array_ops")


def test_the_top_namespace_declares_every_public_name():
    import types

    import minitf

    assert len(set(minitf.__all__)) == len(minitf.__all__)
    assert [n for n in minitf.__all__ if not hasattr(minitf, n)] == []
    undeclared = [n for n, v in vars(minitf).items() if not n.startswith("_")
                  and n not in minitf.__all__ and not isinstance(v, types.ModuleType)]
    assert undeclared == []  # (modules bound by their own import, e.g. minitf.ops, are internal)
    assert {"nn", "train", "layers", "errors", "compat", "initializers"} <= set(minitf.__all__)
