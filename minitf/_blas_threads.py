"""The thread count of the BLAS libraries this process has loaded (NumPy's, SciPy's), for
`ConfigProto.intra_op_parallelism_threads`.

On a small shared machine a matrix product split over every core can be many times slower
than on one thread, so a session's config may ask for fewer. This uses threadpoolctl when it is
installed; otherwise it does what threadpoolctl does, for the libraries NumPy and SciPy ship:
find the loaded BLAS libraries by file name (in /proc/self/maps on Linux), open each without
loading it again, and call its thread functions (OpenBLAS, including the `scipy_openblas`
builds with their `64_` suffixes, MKL, FlexiBLAS). Everything fails soft: no BLAS found, or no
way to find one, gives None.

The default, when nobody chose (`session_threads`): the first Session of the process whose
config does not set `intra_op_parallelism_threads` sets the BLAS threads to 1, once and
process-wide, unless the user has chosen a count some other way: a thread variable in the
environment (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS, ...), or a count that is no
longer the library's own default (one per usable CPU), as threadpoolctl or `set_num_threads`
leave it (a threadpoolctl limit of exactly the CPU count looks like the default, and is not
kept). Why: the steps minitf is made for multiply small matrices, and a BLAS splitting them
over every core waits for its slowest thread. On a shared 2-core machine a 784-256-256-10 MLP
step (batch 128) was 5x slower on two threads than on one, 8x with the other core busy; the
8-16-2 and 64-128-10 steps ran alike on both (OpenBLAS keeps products that small on one
thread). A large model on an idle many-core machine gets its threads back with
`intra_op_parallelism_threads=n` (or one of the variables). Setting the count around each run
instead (1 thread for plans of small products) was measured and not chosen: each change costs
1-5 µs, a tenth of a tiny step, and the small steps gain nothing from it.

>>> from minitf import _blas_threads
>>> n = _blas_threads.get_num_threads()
>>> n is None or n >= 1
True
"""
import ctypes
import os

__all__ = ["get_num_threads", "set_num_threads", "blas_libraries", "session_threads",
           "default_threads"]

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
# the variables through which a user sets the BLAS threads (OpenBLAS, OpenMP, MKL, BLIS,
# FlexiBLAS, Accelerate): any of them set means the user chose
USER_VARIABLES = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS",
                  "MKL_NUM_THREADS", "BLIS_NUM_THREADS", "FLEXIBLAS_NUM_THREADS",
                  "VECLIB_MAXIMUM_THREADS")
_chosen = False  # whether this process's BLAS threads were chosen (by a config or the default)


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


def default_threads(environ, current, cpus):
    """The BLAS thread count a process should default to, or None to leave it as it is.

    Args:
      environ: the environment (a mapping); a thread variable in it means the user chose.
      current: the BLAS's thread count now (None: no BLAS found).
      cpus: the number of CPUs this process may run on (the library's own default count).

    Returns:
      1 when the user has not chosen and the count is above 1, else None.

    >>> from minitf._blas_threads import default_threads
    >>> default_threads({}, 2, 2), default_threads({"OMP_NUM_THREADS": "2"}, 2, 2)
    (1, None)
    """
    if current is None or current <= 1 or any(environ.get(v) for v in USER_VARIABLES):
        return None
    return 1 if current == cpus else None  # (another count: set by threadpoolctl or alike)


def session_threads(requested):
    """Applies the thread rule for a new Session whose config asks for `requested` BLAS threads.

    A count > 0 is set (process-wide: the last session made with one wins). 0 (not said) sets
    `default_threads` at the first such Session, and nothing once a count was chosen.

    Args:
      requested: the config's `intra_op_parallelism_threads` (0 when it has none).

    Returns:
      The count set, or None if it was left as it was.
    """
    global _chosen
    if requested > 0:
        _chosen = True
        set_num_threads(requested)
        return requested
    if _chosen:
        return None
    _chosen = True
    n = default_threads(os.environ, get_num_threads(), _cpu_count())
    if n is not None:
        set_num_threads(n)
    return n


def _cpu_count():
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
