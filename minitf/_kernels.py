"""Picks the compiled kernels (minitf._ext) or their pure-Python twins (minitf._pure).

This is the only module that imports either. MINITF_PURE_PYTHON=1 asks for the twins (silently);
otherwise a missing build falls back to them with one warning, unless MINITF_REQUIRE_EXT=1 (set in
CI), which makes it an error.
"""
import os
import warnings

_BUILD_HINT = ("Build them with `pip install .` (or `pip install -e .`), or set "
               "MINITF_PURE_PYTHON=1 to use the pure-Python kernels.")

if os.environ.get("MINITF_PURE_PYTHON") == "1":
    from minitf._pure import crc32c, scopes, store
    _BACKEND = "python"
else:
    try:
        from minitf._ext import crc32c, scopes, store
        _BACKEND = "cython"
    except ImportError as exc:
        if os.environ.get("MINITF_REQUIRE_EXT") == "1":
            raise ImportError(f"minitf: compiled kernels unavailable ({exc}) and "
                              f"MINITF_REQUIRE_EXT=1. {_BUILD_HINT}") from exc
        from minitf._pure import crc32c, scopes, store
        _BACKEND = "python"
        warnings.warn(f"minitf: compiled kernels unavailable ({exc}); using pure Python. "
                      f"{_BUILD_HINT}", RuntimeWarning, stacklevel=2)

NameTable, ScopeCounts = scopes.NameTable, scopes.ScopeCounts  # (compiled: csrc/names.pxi)
ThreadStates = scopes.ThreadStates
VariableStore = store.VariableStore
ScopeData, ScopeContext = scopes.ScopeData, scopes.ScopeContext
install_scope_hooks, fast_get_variable = scopes.install, scopes.get_variable
# crc32c: the module itself (crc32c, extend, mask, unmask), for the checkpoint readers


def kernel_backend():
    """Returns "cython" or "python": which kernels this process runs."""
    return _BACKEND
