"""The thread count of the BLAS libraries this process has loaded (NumPy's, SciPy's), for
`ConfigProto.intra_op_parallelism_threads`.

On a small shared machine a matrix product split over every core can be many times slower
than on one thread, so a session's config may ask for fewer. This uses threadpoolctl when it is
installed; otherwise it does what threadpoolctl does, for the libraries NumPy and SciPy ship:
find the loaded BLAS libraries by file name (in /proc/self/maps on Linux), open each without
loading it again, and call its thread functions (OpenBLAS, including the `scipy_openblas`
builds with their `64_` suffixes, MKL, FlexiBLAS). Everything fails soft: no BLAS found, or no
way to find one, gives None.

>>> from minitf import _blas_threads
>>> n = _blas_threads.get_num_threads()
>>> n is None or n >= 1
True
"""
import ctypes
import os

__all__ = ["get_num_threads", "set_num_threads", "blas_libraries"]

_PREFIXES = ("libopenblas", "libscipy_openblas", "libblas", "libmkl_rt", "libflexiblas")
# (get, set) symbol pairs by library family, most specific first; MKL's setter takes a
# pointer in its Fortran spelling, so its C one (MKL_Set_Num_Threads) is used
_SYMBOLS = (("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
            ("scipy_openblas_get_num_threads", "scipy_openblas_set_num_threads"),
            ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
            ("openblas_get_num_threads", "openblas_set_num_threads"),
            ("MKL_Get_Max_Threads", "MKL_Set_Num_Threads"),
            ("flexiblas_get_num_threads", "flexiblas_set_num_threads"))
_HANDLES = {}  # path -> (get, set) functions, or None when the library has neither


def _loaded_paths():
    """Paths of the loaded shared libraries whose names look like a BLAS (Linux only)."""
    try:
        with open("/proc/self/maps") as maps:
            lines = maps.read().splitlines()
    except OSError:
        return []
    paths = []
    for line in lines:
        path = line.split(maxsplit=5)[-1] if line.count(" ") >= 5 else ""
        if path.startswith("/") and os.path.basename(path).startswith(_PREFIXES) \
                and path not in paths:
            paths.append(path)
    return sorted(paths, key=lambda p: "numpy" not in p)  # NumPy's own first


def _functions(path):
    if path not in _HANDLES:
        _HANDLES[path] = None
        try:
            lib = ctypes.CDLL(path, mode=getattr(os, "RTLD_NOLOAD", 0) | ctypes.RTLD_GLOBAL)
        except OSError:
            return None
        for get_name, set_name in _SYMBOLS:
            getter, setter = getattr(lib, get_name, None), getattr(lib, set_name, None)
            if getter is not None and setter is not None:
                getter.restype, getter.argtypes = ctypes.c_int, []
                setter.restype, setter.argtypes = None, [ctypes.c_int]
                _HANDLES[path] = (getter, setter)
                break
    return _HANDLES[path]


def blas_libraries():
    """Returns the paths of the loaded BLAS libraries whose thread count can be set."""
    if _threadpoolctl() is not None:
        return [i["filepath"] for i in _threadpoolctl().threadpool_info()
                if i.get("user_api") == "blas"]
    return [path for path in _loaded_paths() if _functions(path) is not None]


def get_num_threads():
    """Returns the thread count of NumPy's BLAS library, or None if no BLAS is found."""
    tpc = _threadpoolctl()
    if tpc is not None:
        counts = [i["num_threads"] for i in tpc.threadpool_info() if i.get("user_api") == "blas"]
        return counts[0] if counts else None
    for path in _loaded_paths():
        functions = _functions(path)
        if functions is not None:
            return int(functions[0]())
    return None


def set_num_threads(n):
    """Sets the thread count of every loaded BLAS library to `n` (process-wide).

    Args:
      n: the number of threads (>= 1).

    Returns:
      The previous count (as `get_num_threads` gives it), or None if no BLAS was found.
    """
    previous = get_num_threads()
    if previous is None:
        return None
    tpc = _threadpoolctl()
    if tpc is not None:
        tpc.threadpool_limits(limits=int(n), user_api="blas")
        return previous
    for path in _loaded_paths():
        functions = _functions(path)
        if functions is not None:
            functions[1](int(n))
    return previous


def _threadpoolctl():
    """threadpoolctl if it is installed (it knows more libraries and platforms), else None."""
    try:
        import threadpoolctl
    except ImportError:
        return None
    return threadpoolctl
