"""The arguments of csrc/fused.pyx's kernels (included there): each array taken as a buffer
and checked as the pure twin (minitf/_pure/fused.py) checks it, in the same order, failing with
the same error text. The fast path compares a native array's dtype with the canonical dtype
objects and reads shapes from its buffer; any failure goes to the slow path, which says what
was wanted in the pure twin's words.
"""
cdef struct Views:
    Py_buffer view[MAX_ARGS]
    int n


cdef inline void _release(Views *vs) noexcept:
    while vs.n:
        vs.n -= 1
        PyBuffer_Release(&vs.view[vs.n])


def _describe(a):
    if not isinstance(a, _ndarray):
        return type(a).__name__
    layout = "C-contiguous" if a.flags.c_contiguous else "non-contiguous"
    access = "" if a.flags.writeable else "read-only "
    return f"a {access}{layout} {a.dtype} array of shape {a.shape}"


def _reject(str function, str name, a, str want):
    raise ValueError(f"fused.{function}: {name} must be {want}, not {_describe(a)}")


# the canonical dtypes: a native array's dtype is one of these very objects, so a check is a
# pointer comparison (others, equal or not, take the slow path)
cdef object _ndarray = np.ndarray
cdef object _F32 = np.dtype(np.float32), _F64 = np.dtype(np.float64)
cdef object _I32 = np.dtype(np.int32), _I64 = np.dtype(np.int64)

cdef enum:
    VECTOR = -1  # d1: the array is (d0,)
    SAME = -2  # d1: the array has the shape of the first one taken
    ANY = -3  # d0 or d1: any length (read it from the buffer)


cdef inline object _dtype(char kind):
    return _F32 if kind == b'f' else _F64 if kind == b'd' else _I32 if kind == b'i' else _I64


cdef inline bint _has_dtype(a, want) except -1:
    if type(a) is _ndarray:
        d = a.dtype
        return d is want or d == want
    return isinstance(a, _ndarray) and a.dtype == want


cdef char _first(a, str function, str name, int ndim) except 0:
    # the kind of the first float argument, which the others must share
    if type(a) is _ndarray:
        d = a.dtype
        if d is _F32:
            return b'f'
        if d is _F64:
            return b'd'
    return _float_kind(a, function, name, ndim)


cdef char _label_kind(labels):
    if type(labels) is _ndarray:
        d = labels.dtype
        if d is _I64 or d is _I32:
            return b'q' if d is _I64 else b'i'
    return b'q' if isinstance(labels, _ndarray) and labels.dtype.itemsize == 8 else b'i'


cdef void *_take(Views *vs, a, str function, str name, char kind, bint writable,
                 Py_ssize_t d0, Py_ssize_t d1) except NULL:
    """Acquires `a` as a C-contiguous buffer of `kind`, of shape (d0, d1) (either may be ANY),
    (d0,) if d1 is VECTOR, or the first buffer's shape if d1 is SAME."""
    cdef Py_buffer *v = &vs.view[vs.n]
    cdef Py_buffer *first = &vs.view[0]
    cdef int flags = PyBUF_C_CONTIGUOUS | (PyBUF_WRITABLE if writable else 0)
    cdef bint ok
    cdef int i
    if not _has_dtype(a, _dtype(kind)):
        _want(function, name, a, kind, writable, d0, d1, vs)
    try:
        PyObject_GetBuffer(a, v, flags)
    except (BufferError, ValueError):  # strided or read-only
        _want(function, name, a, kind, writable, d0, d1, vs)
    vs.n += 1
    if d1 == SAME:
        ok = v.ndim == first.ndim
        for i in range(v.ndim if ok else 0):
            ok = ok and v.shape[i] == first.shape[i]
    elif d1 == VECTOR:
        ok = v.ndim == 1 and v.shape[0] == d0
    else:
        ok = (v.ndim == 2 and (d0 == ANY or v.shape[0] == d0)
              and (d1 == ANY or v.shape[1] == d1))
    if not ok:
        _want(function, name, a, kind, writable, d0, d1, vs)
    return v.buf


cdef int _want(str function, str name, a, char kind, bint writable, Py_ssize_t d0,
               Py_ssize_t d1, Views *vs) except -1:
    # the slow path: says what was wanted, as the pure twin does
    cdef tuple shape
    if d0 == ANY or d1 == ANY:  # a matrix the sizes come from: first its rank and dtype
        _float_kind(a, function, name, 2)
        shape = (a.shape[0] if d0 == ANY else d0, a.shape[1] if d1 == ANY else d1)
    elif d1 == SAME and vs.n == 0:  # var itself (its dtype is right: its access is not)
        shape = a.shape
    elif d1 == SAME:
        shape = tuple([vs.view[0].shape[i] for i in range(vs.view[0].ndim)])
    elif d1 == VECTOR:
        shape = (d0,)
    else:
        shape = (d0, d1)
    prefix = "a writable " if writable else "a "
    _reject(function, name, a, f"{prefix}C-contiguous {_dtype(kind).name} array of shape {shape}")
    return -1


def _out_of_range(label, n):
    raise ValueError(f"fused.sparse_xent: label {label} is outside the valid range [0, {n})")


def _no_classes(m):
    raise ValueError(f"fused.sparse_xent: logits of shape ({m}, 0) has no class for a label")


cdef char _float_kind(a, str function, str name, int ndim) except 0:
    # the slow path of _first, with the pure twin's checks
    if (isinstance(a, _ndarray) and a.dtype.char in "fd" and a.dtype.isnative
            and (ndim < 0 or a.ndim == ndim)):
        return ord(a.dtype.char)
    rank = "" if ndim < 0 else f"{ndim}-D "
    _reject(function, name, a, f"a {rank}float32 or float64 array")


cdef int _act_code(act, str function) except -1:
    code = _ACTS.get(act) if isinstance(act, str) else None  # (a list is no key)
    if code is None:
        raise ValueError(f"fused.{function}: act must be one of 'linear', 'relu', 'tanh', "
                         f"'sigmoid', not {act!r}")
    return code
