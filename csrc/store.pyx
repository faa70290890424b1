# cython: language_level=3, nonecheck=True
"""VariableStore, compiled: the twin of minitf/_pure/store.py (same methods, order, errors, text).

Invariant: `_vars` maps each full variable name made by get_variable to (variable, shape, base
dtype); `lookup` is the whole reuse decision of TF1's get_variable, one dict lookup plus checks.
"""


cdef class VariableStore:
    """The variables of one graph by full name, with TF1's reuse rules."""

    cdef dict _vars

    def __cinit__(self):  # (not __init__: an object made by __new__ alone must not crash)
        self._vars = {}

    cpdef object lookup(self, str name, object reuse, object shape, object dtype):
        """The existing variable `name` to hand out, or None when it should be created.

        reuse: True, AUTO_REUSE (any other truthy value) or None/False. shape: a tuple (None
        for unknown dims) or None; dtype: a DType or None. ValueError (TF's text) when the
        reuse rules forbid the request or the shape or dtype differs from the existing one.
        """
        entry = self._vars.get(name)
        if entry is None:
            if reuse is True:
                raise ValueError(
                    f"Variable {name} does not exist, or was not created with tf.get_variable()."
                    " Did you mean to set reuse=tf.AUTO_REUSE in VarScope?")
            return None
        found, found_shape, found_dtype = entry
        if not reuse:
            raise ValueError(
                f"Variable {name} already exists, disallowed. Did you mean to set reuse=True or "
                f"reuse=tf.AUTO_REUSE in VarScope? Originally defined at:\n\n{found._defined_at}")
        if shape is not None and found_shape is not None and not _compatible(shape, found_shape):
            raise ValueError(f"Trying to share variable {name}, but specified shape "
                             f"{_fmt(shape)} and found shape {_fmt(found_shape)}.")
        if dtype is not None and dtype is not found_dtype and not (
                dtype.base_dtype.is_compatible_with(found_dtype)):
            raise ValueError(f"Trying to share variable {name}, but specified dtype "
                             f"{dtype.base_dtype.name} and found dtype {found.dtype.name}.")
        return found

    cpdef object find(self, str name, object reuse, object shape, object dtype):
        """get_variable's fast path: the existing, unpartitioned variable `name` after lookup's
        checks (which may raise), or None when there is none or `name/part_0` also exists
        (the full implementation then decides)."""
        cdef dict vars_ = self._vars
        if name not in vars_ or name + "/part_0" in vars_:
            return None
        return self.lookup(name, reuse, shape, dtype)

    cpdef add(self, str name, object var):
        """Records a newly created variable (the caller holds the graph's lock), with the shape
        and dtype lookup checks (both fixed at creation)."""
        self._vars[name] = (var, var._shape, var.dtype.base_dtype)

    cpdef object get(self, str name):
        """The variable called `name`, or None."""
        entry = self._vars.get(name)
        return None if entry is None else entry[0]

    cpdef list names(self):
        """The full names, in creation order."""
        return list(self._vars)


cdef bint _compatible(tuple shape, tuple found):
    cdef Py_ssize_t i
    if len(shape) != len(found):
        return False
    for i in range(len(shape)):
        a, b = shape[i], found[i]
        if a is not None and b is not None and a != b:
            return False
    return True


def _fmt(shape):
    inner = ", ".join("?" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"
