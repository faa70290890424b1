"""Picks the compiled kernels (minitf._ext) or their pure-Python twins (minitf._pure).

This is the only module that imports either. MINITF_PURE_PYTHON=1 asks for the twins (silently);
otherwise a missing build falls back to them with one warning that says which directory was
imported and what to do, unless MINITF_REQUIRE_EXT=1 (set in CI), which makes it an error.
"""
import os
import sys
import warnings
from importlib.machinery import PathFinder


def _installed_elsewhere(root):
    """Where an import of minitf would find it if `root` (a source tree) were not on sys.path."""
    paths = [p for p in sys.path if os.path.abspath(p or os.curdir) != root]
    spec = PathFinder.find_spec("minitf", paths)
    return spec.submodule_search_locations[0] if spec and spec.submodule_search_locations else None


def _unavailable(exc, outcome):
    """Says why the compiled kernels are missing and what to do, naming the directory imported
    (as NumPy does when it is imported from its source tree)."""
    package = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(package)
    quiet = "MINITF_PURE_PYTHON=1 selects the pure-Python kernels without this message."
    if not (os.path.isdir(os.path.join(root, "csrc")) and
            os.path.isfile(os.path.join(root, "setup.py"))):
        return (f"minitf: compiled kernels unavailable in {package} ({exc}); {outcome}. "
                f"Reinstall with `pip install .` and read the build's output. {quiet}")
    text = (f"minitf was imported from its source tree {package}, whose compiled kernels are "
            f"not built ({exc}); {outcome}. ")
    installed = _installed_elsewhere(root)
    if installed:
        text += (f"An installed minitf is at {installed}: run Python from a directory other "
                 f"than {root} to use it, or build this tree's kernels in place with "
                 "`pip install -e .`. ")
    else:
        text += ("Build them in place with `pip install -e .` (or install with `pip install .` "
                 f"and run Python from a directory other than {root}). ")
    return text + quiet


if os.environ.get("MINITF_PURE_PYTHON") == "1":
    from minitf._pure import crc32c, fused, scopes, store
    _BACKEND = "python"
else:
    try:
        from minitf._ext import crc32c, fused, scopes, store
        _BACKEND = "cython"
    except ImportError as exc:
        if os.environ.get("MINITF_REQUIRE_EXT") == "1":
            raise ImportError(_unavailable(exc, "MINITF_REQUIRE_EXT=1 makes this an error")
                              ) from exc
        from minitf._pure import crc32c, fused, scopes, store
        _BACKEND = "python"
        warnings.warn(_unavailable(exc, "it runs the pure-Python kernels instead"),
                      RuntimeWarning, stacklevel=2)

NameTable, ScopeCounts = scopes.NameTable, scopes.ScopeCounts  # (compiled: csrc/names.pxi)
ThreadStates = scopes.ThreadStates
VariableStore = store.VariableStore
ScopeData, ScopeContext = scopes.ScopeData, scopes.ScopeContext
install_scope_hooks, fast_get_variable = scopes.install, scopes.get_variable
set_fast_paths = scopes.set_fast_paths  # off: every scope and lookup takes the full path
# crc32c: the module itself (crc32c, extend, mask, unmask), for the checkpoint readers; fused:
# the module itself (dense_forward, dense_backward, sparse_xent, sgd, momentum, adam), for the
# plan compiler's fused steps (minitf/plan_fusion.py)
__all__ = ["NameTable", "ScopeContext", "ScopeCounts", "ScopeData", "ThreadStates",
           "VariableStore", "crc32c", "fast_get_variable", "fused", "install_scope_hooks",
           "kernel_backend", "set_fast_paths"]


def kernel_backend():
    """Returns "cython" or "python": which kernels this process runs."""
    return _BACKEND
