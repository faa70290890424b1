# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Fused training-step kernels (dense layer forward and backward, sparse softmax cross-entropy,
SGD, Momentum, Adam) and a float32 tanh: the twin of minitf/_pure/fused.py. Each call does in
one pass what the unfused ops do in several, into the caller's buffers, with no temporaries;
both twins take and check the same arguments and raise the same errors. Matmuls go to the BLAS
SciPy ships (scipy.linalg.cython_blas, looked up at import: no build-time dependency),
transposes as BLAS flags; products too small to repay a BLAS call run as plain loops, and large
ones go to NumPy's matmul, whose BLAS is faster at those here (all but the ones that update the
weights in place, which need BLAS's alpha and beta). The elementwise work runs in C loops,
without the GIL when large; float32 tanh and sigmoid are vector_f32.h's vectorized loops;
float64 tanh and large float64 sigmoids are NumPy's SIMD loops, faster than libm's. The optimizer updates do
the arithmetic of minitf's unfused kernels in the same order, so they equal them to the last
bit.
"""
from cpython.buffer cimport (PyBUF_C_CONTIGUOUS, PyBUF_WRITABLE, PyBuffer_Release,
                             PyObject_GetBuffer)
from cpython.pycapsule cimport PyCapsule_GetName, PyCapsule_GetPointer
from libc.limits cimport INT_MAX
from libc.math cimport exp, expf, log, logf, sqrt, sqrtf
from libc.string cimport memcpy, memset


cdef extern from "vector_f32.h":
    void minitf_tanh_f32(const float *x, float *out, Py_ssize_t n) noexcept nogil
    void minitf_sigmoid_f32(const float *x, float *out, Py_ssize_t n) noexcept nogil

import numpy as np
from scipy.linalg import cython_blas
from scipy.special import expit as _expit

ctypedef fused real:
    float
    double

ctypedef void (*sgemm_t)(char *, char *, int *, int *, int *, float *, float *, int *, float *,
                         int *, float *, float *, int *) noexcept nogil
ctypedef void (*dgemm_t)(char *, char *, int *, int *, int *, double *, double *, int *, double *,
                         int *, double *, double *, int *) noexcept nogil


cdef void *_blas(str name) except NULL:
    capsule = cython_blas.__pyx_capi__[name]
    return PyCapsule_GetPointer(capsule, PyCapsule_GetName(capsule))


cdef sgemm_t _sgemm = <sgemm_t>_blas("sgemm")
cdef dgemm_t _dgemm = <dgemm_t>_blas("dgemm")

cdef enum:
    LINEAR, RELU, TANH, SIGMOID
    MAX_ARGS = 9
    # elements (or multiply-adds) below which the GIL is kept: releasing it costs more than such
    # a call, and a thread waiting for it could hold this one back for a whole switch interval
    NOGIL_WORK = 32768

_ACTS = {"linear": LINEAR, "relu": RELU, "tanh": TANH, "sigmoid": SIGMOID}
# float32 tanh and sigmoid are vector_f32.h's loops (0.8-1 ns an element here; NumPy's float32
# tanh is libm's scalar tanhf, 3 ns, unless the CPU has AVX-512, and scipy's expit 5 ns);
# float64 tanh is NumPy's, and so is float64 sigmoid from this many elements (libm's exp costs a
# few ns; NumPy's passes less, after their fixed cost): in place, after the matmul and bias
_np_tanh = np.tanh
cdef Py_ssize_t SIGMOID_LOOPS = 1024


def _sigmoid_in_place(out):
    """out = 1 / (1 + exp(-out)) in four SIMD passes (exp overflows to inf, giving 0)."""
    np.negative(out, out=out)
    with np.errstate(over="ignore"):
        np.exp(out, out=out)
    out += 1
    np.reciprocal(out, out=out)


# products of at most this many multiply-adds run as C loops, the forward one and the backward
# two: below it a BLAS call's fixed cost is more than the loop's. OpenBLAS's small-matrix
# kernels beat these loops even at 8x8x8 forward; the backward's transposed calls cost more,
# and loops beat them up to about 128 (tools/bench_fused.py --crossover measures it). Empty
# products always take the loops (BLAS refuses leading dimensions of 0).
cdef Py_ssize_t _forward_loops = 0, _backward_loops = 128
# products of at least this many multiply-adds go to NumPy's matmul (its BLAS): SciPy's
# OpenBLAS (0.3.30 beside NumPy's 0.3.31 here) multiplies large products 5-15 % slower than
# NumPy's (on an AVX2 EPYC, the transposed backward ones too); so a large product costs what
# the unfused MatMul costs, whichever BLAS is faster (--crossover measures)
cdef Py_ssize_t _numpy_products = 1 << 20
_np_matmul = np.matmul


def _set_loop_limits(Py_ssize_t forward, Py_ssize_t backward, Py_ssize_t numpy=1 << 20):
    """Sets the loops' limits (and NumPy's matmul's, forward) and returns the old ones (for the
    benchmark; no twin has it)."""
    global _forward_loops, _backward_loops, _numpy_products
    old = _forward_loops, _backward_loops, _numpy_products
    _forward_loops, _backward_loops, _numpy_products = forward, backward, numpy
    return old


cdef inline bint _by_blas(Py_ssize_t m, Py_ssize_t k, Py_ssize_t n,
                          Py_ssize_t limit) noexcept nogil:
    # (and sizes a BLAS int can hold)
    return (0 < m <= INT_MAX and 0 < k <= INT_MAX and 0 < n <= INT_MAX
            and m * k * n > limit)


# -- arguments: the buffers, checked as the pure twin checks them ----------------------------------
include "fused_args.pxi"


# -- elementwise pieces ------------------------------------------------------------------------
# libm in the argument's precision (a conditional expression of the two would be a double, and
# a double intermediate can round a float result differently from NumPy's float arithmetic)
cdef inline real _exp(real x) noexcept nogil:
    if real is float:
        return expf(x)
    else:
        return exp(x)


cdef inline real _log(real x) noexcept nogil:
    if real is float:
        return logf(x)
    else:
        return log(x)


cdef inline real _sqrt(real x) noexcept nogil:
    if real is float:
        return sqrtf(x)
    else:
        return sqrt(x)


cdef inline real _sigmoid(real z) noexcept nogil:
    cdef real one = 1  # (a literal 1 would be a double)
    if z >= 0:  # never exp of a large positive number
        return one / (one + _exp(-z))
    z = _exp(z)
    return z / (one + z)


# -- matmuls: row-major C = A @ B is column-major C' = B' A' --------------------------------------
cdef inline void _gemm(char ta, char tb, int m, int n, int k, real *a, int lda, real *b, int ldb,
                       real *c, int ldc, real alpha=1, real beta=0) noexcept nogil:
    # c = alpha * (a @ b) + beta * c
    if real is float:
        _sgemm(&ta, &tb, &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c, &ldc)
    else:
        _dgemm(&ta, &tb, &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c, &ldc)


cdef void _matmul(real *x, real *w, real *out, Py_ssize_t m, Py_ssize_t k,
                  Py_ssize_t n) noexcept nogil:
    # out (m, n) = x (m, k) @ w (k, n)
    cdef Py_ssize_t i, p, j
    cdef real xv
    if _by_blas(m, k, n, _forward_loops):
        _gemm(ord('N'), ord('N'), n, m, k, w, n, x, k, out, n)
        return
    memset(out, 0, m * n * sizeof(real))
    for i in range(m):
        for p in range(k):
            xv = x[i * k + p]
            for j in range(n):
                out[i * n + j] += xv * w[p * n + j]


cdef void _matmul_tn(real *x, real *dz, real *dw, Py_ssize_t m, Py_ssize_t k,
                     Py_ssize_t n, bint accumulate, real scale) noexcept nogil:
    # dw (k, n) = x.T @ dz, x (m, k), dz (m, n); accumulate: dw += scale * (x.T @ dz)
    cdef Py_ssize_t i, p, j
    cdef real xv
    if _by_blas(m, k, n, _backward_loops):
        if accumulate:
            _gemm(ord('N'), ord('T'), n, k, m, dz, n, x, k, dw, n, scale, 1)
        else:
            _gemm(ord('N'), ord('T'), n, k, m, dz, n, x, k, dw, n)
        return
    if accumulate:  # (a small product: each sum, then scaled into dw, as BLAS does)
        for p in range(k):
            for j in range(n):
                xv = 0
                for i in range(m):
                    xv = xv + x[i * k + p] * dz[i * n + j]
                dw[p * n + j] = dw[p * n + j] + scale * xv
        return
    memset(dw, 0, k * n * sizeof(real))
    for i in range(m):
        for p in range(k):
            xv = x[i * k + p]
            for j in range(n):
                dw[p * n + j] += xv * dz[i * n + j]


cdef void _matmul_nt(real *dz, real *w, real *dx, Py_ssize_t m, Py_ssize_t k,
                     Py_ssize_t n) noexcept nogil:
    # dx (m, k) = dz @ w.T, dz (m, n), w (k, n)
    cdef Py_ssize_t i, p, j
    cdef real s
    if _by_blas(m, k, n, _backward_loops):
        _gemm(ord('T'), ord('N'), k, m, n, w, n, dz, n, dx, k)
        return
    for i in range(m):
        for p in range(k):
            s = 0
            for j in range(n):
                s += dz[i * n + j] * w[p * n + j]
            dx[i * k + p] = s


# -- the kernels' loops ----------------------------------------------------------------------------
cdef void _forward(real *x, real *w, real *b, int act, real *out, Py_ssize_t m, Py_ssize_t k,
                   Py_ssize_t n, bint product) noexcept nogil:
    # (product false: out holds x @ w already)
    cdef Py_ssize_t i, j
    cdef real *row
    if product:
        _matmul(x, w, out, m, k, n)
    for i in range(m):  # a row at a time, one loop per activation: the loops vectorize
        row = out + i * n
        if b != NULL:
            for j in range(n):
                row[j] = row[j] + b[j]
        if act == RELU:
            for j in range(n):
                row[j] = 0 if row[j] < 0 else row[j]  # (NaN and -0.0 pass, as np.maximum's)
        elif act == SIGMOID and real is double:
            for j in range(n):
                row[j] = _sigmoid(row[j])
    if real is float:  # (doubles' tanh is NumPy's: dense_forward passes them as LINEAR)
        if act == TANH:
            minitf_tanh_f32(out, out, m * n)
        elif act == SIGMOID:
            minitf_sigmoid_f32(out, out, m * n)


cdef inline void _slope_times(real *g, real *o, int act, real *d,
                              Py_ssize_t n) noexcept nogil:
    # d = g * act'(o), the derivative from the activation's output o
    cdef Py_ssize_t j
    cdef real t, one = 1  # (a literal 1 would be a double)
    if act == LINEAR:
        if d != g:
            memcpy(d, g, n * sizeof(real))
    elif act == RELU:
        for j in range(n):
            t = o[j] > 0  # (through a variable: as one expression GCC branches, unvectorized)
            d[j] = g[j] * t
    elif act == TANH:
        for j in range(n):
            d[j] = g[j] * (one - o[j] * o[j])
    else:
        for j in range(n):
            d[j] = g[j] * (o[j] * (one - o[j]))


cdef void _backward(real *dy, real *x, real *w, real *y, int act, real *dz, real *dw, real *db,
                    real *dx, Py_ssize_t m, Py_ssize_t k, Py_ssize_t n, bint accumulate,
                    real scale, bint products) noexcept nogil:
    # (products false: dz and db only; the caller multiplies)
    cdef Py_ssize_t i, j
    cdef real *g
    cdef real *d
    if db != NULL:
        memset(db, 0, n * sizeof(real))
    for i in range(m):  # dz and its column sums, a row at a time (in cache for the second)
        g, d = dy + i * n, dz + i * n
        _slope_times(g, NULL if y == NULL else y + i * n, act, d, n)  # (y NULL for "linear")
        if db != NULL:
            for j in range(n):
                db[j] = db[j] + d[j]
    if not products:
        return
    if dx != NULL:  # (first: with `accumulate`, dw may be w itself, updated below)
        _matmul_nt(dz, w, dx, m, k, n)
    _matmul_tn(x, dz, dw, m, k, n, accumulate, scale)


cdef Py_ssize_t _bad_label(void *labels, bint wide, Py_ssize_t m, Py_ssize_t n) noexcept:
    # the row of the first label outside [0, n), or -1
    cdef Py_ssize_t i, label
    for i in range(m):
        label = (<long long *>labels)[i] if wide else (<int *>labels)[i]
        if label < 0 or label >= n:
            return i
    return -1


cdef void _xent(real *logits, void *labels, bint wide, real scale, real *scales, real *loss,
                real *dlogits, Py_ssize_t m, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i, j, label
    cdef real top, total, e, s, one = 1  # (a literal 1 would be a double)
    cdef real *row
    cdef real *drow
    for i in range(m):
        row = logits + i * n
        label = (<long long *>labels)[i] if wide else (<int *>labels)[i]
        top = row[0]
        for j in range(1, n):
            if row[j] > top:
                top = row[j]
        total = 0
        if dlogits != NULL:
            drow = dlogits + i * n
            for j in range(n):
                e = _exp(row[j] - top)
                drow[j] = e
                total += e
            s = scales[i] if scales != NULL else scale
            for j in range(n):
                drow[j] = drow[j] / total
            drow[label] -= one
            for j in range(n):
                drow[j] = drow[j] * s
        else:
            for j in range(n):
                total += _exp(row[j] - top)
        if loss != NULL:
            loss[i] = _log(total) - (row[label] - top)


cdef void _sgd(real *var, real lr, real *grad, Py_ssize_t size) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(size):
        var[i] = var[i] - lr * grad[i]


cdef void _momentum(real *var, real *accum, real lr, real *grad, real mom, bint nesterov,
                    Py_ssize_t size) noexcept nogil:
    # as training_ops._momentum: accum * momentum + grad; lr * grad + (lr * momentum) * accum
    cdef Py_ssize_t i
    cdef real a, lr_mom = lr * mom
    for i in range(size):
        a = accum[i] * mom + grad[i]
        accum[i] = a
        var[i] = var[i] - (lr * grad[i] + lr_mom * a if nesterov else lr * a)


cdef void _adam(real *var, real *m, real *v, real lr, real beta1, real beta2, real epsilon,
                real beta1_power, real beta2_power, real *grad, Py_ssize_t size) noexcept nogil:
    # as training_ops._adam, operation for operation
    cdef Py_ssize_t i
    cdef real g, mi, vi, one = 1  # (a literal 1 would be a double)
    cdef real lr_t = lr * _sqrt(one - beta2_power)
    cdef real c1 = one - beta1, c2 = one - beta2
    lr_t = lr_t / (one - beta1_power)
    for i in range(size):
        g = grad[i]
        mi = beta1 * m[i] + c1 * g
        vi = beta2 * v[i] + c2 * g * g
        m[i] = mi
        v[i] = vi
        var[i] = var[i] - lr_t * mi / (_sqrt(vi) + epsilon)


# -- the kernels -----------------------------------------------------------------------------------
# Each takes its arguments' buffers (checked), then runs its loops on float or double, without
# the GIL when the work is large enough: the `_on_*` functions pick the type.
cdef void _on_forward(char kind, void **p, int act, Py_ssize_t m, Py_ssize_t k,
                      Py_ssize_t n, bint product) noexcept nogil:
    if kind == b'f':
        _forward(<float *>p[0], <float *>p[1], <float *>p[2], act, <float *>p[3], m, k, n,
                 product)
    else:
        _forward(<double *>p[0], <double *>p[1], <double *>p[2], act, <double *>p[3], m, k, n,
                 product)


def dense_forward(x, w, b, act, out):
    """out = act(x @ w + b) for x (m, k), w (k, n), b (n,) or None; act is "linear", "relu",
    "tanh" or "sigmoid"."""
    cdef Views vs
    cdef void *p[4]
    cdef int code = _act_code(act, "dense_forward")
    cdef char kind = _first(x, "dense_forward", "x", 2)
    cdef Py_ssize_t m, k, n
    cdef bint simd, product
    vs.n = 0
    try:
        p[0] = _take(&vs, x, "dense_forward", "x", kind, False, ANY, ANY)
        m, k = vs.view[0].shape[0], vs.view[0].shape[1]
        p[1] = _take(&vs, w, "dense_forward", "w", kind, False, k, ANY)
        n = vs.view[1].shape[1]
        p[2] = NULL if b is None else _take(&vs, b, "dense_forward", "b", kind, False, n, VECTOR)
        p[3] = _take(&vs, out, "dense_forward", "out", kind, True, m, n)
        simd = kind == b'd' and (code == TANH or (code == SIGMOID and m * n >= SIGMOID_LOOPS))
        product = not _by_blas(m, k, n, _numpy_products - 1)
        if not product:  # (NumPy lets go of the GIL in its BLAS call)
            _np_matmul(x, w, out=out)
        if m * n * (k * product + 1) > NOGIL_WORK:
            with nogil:
                _on_forward(kind, p, LINEAR if simd else code, m, k, n, product)
        else:
            _on_forward(kind, p, LINEAR if simd else code, m, k, n, product)
        if simd:  # NumPy's SIMD loops, in place (they let go of the GIL themselves)
            if code == TANH:
                _np_tanh(out, out=out)
            else:
                _sigmoid_in_place(out)
    finally:
        _release(&vs)


cdef void _on_backward(char kind, void **p, int act, Py_ssize_t m, Py_ssize_t k,
                       Py_ssize_t n, bint accumulate, double scale, bint products) noexcept nogil:
    if kind == b'f':
        _backward(<float *>p[0], <float *>p[1], <float *>p[2], <float *>p[3], act,
                  <float *>p[4], <float *>p[5], <float *>p[6], <float *>p[7], m, k, n,
                  accumulate, <float>scale, products)
    else:
        _backward(<double *>p[0], <double *>p[1], <double *>p[2], <double *>p[3], act,
                  <double *>p[4], <double *>p[5], <double *>p[6], <double *>p[7], m, k, n,
                  accumulate, scale, products)


cdef void _on_accumulate(char kind, void **p, Py_ssize_t m, Py_ssize_t k, Py_ssize_t n,
                         double scale) noexcept nogil:
    # dw += scale * (x.T @ dz)
    if kind == b'f':
        _matmul_tn(<float *>p[1], <float *>p[4], <float *>p[5], m, k, n, True, <float>scale)
    else:
        _matmul_tn(<double *>p[1], <double *>p[4], <double *>p[5], m, k, n, True, scale)


def dense_backward(dy, x, w, y, act, dz, dw, db, dx, dw_scale=None):
    """The gradients of `y = dense_forward(x, w, b, act)` given dy: dz = dy * act'(y) (for
    "linear", dz may be dy, and y is not read), dw = x.T @ dz, db = dz.sum(0) unless db is
    None, and dx = dz @ w.T unless dx is None. With `dw_scale` (a number), dw is updated in
    place instead: dw += dw_scale * (x.T @ dz) (an SGD step on the weights when dw is them and
    dw_scale is -lr; dx is computed first, so dw may be w itself)."""
    cdef Views vs
    cdef void *p[8]
    cdef int code = _act_code(act, "dense_backward")
    cdef char kind = _first(x, "dense_backward", "x", 2)
    cdef Py_ssize_t m, k, n
    cdef bint accumulate = dw_scale is not None, products
    cdef double scale = float(dw_scale) if accumulate else 1.0
    vs.n = 0
    try:
        p[1] = _take(&vs, x, "dense_backward", "x", kind, False, ANY, ANY)
        m, k = vs.view[0].shape[0], vs.view[0].shape[1]
        p[2] = _take(&vs, w, "dense_backward", "w", kind, False, k, ANY)
        n = vs.view[1].shape[1]
        p[0] = _take(&vs, dy, "dense_backward", "dy", kind, False, m, n)
        p[3] = (NULL if code == LINEAR else
                _take(&vs, y, "dense_backward", "y", kind, False, m, n))
        p[4] = _take(&vs, dz, "dense_backward", "dz", kind, True, m, n)
        p[5] = _take(&vs, dw, "dense_backward", "dw", kind, True, k, n)
        p[6] = (NULL if db is None else
                _take(&vs, db, "dense_backward", "db", kind, True, n, VECTOR))
        p[7] = NULL if dx is None else _take(&vs, dx, "dense_backward", "dx", kind, True, m, k)
        products = not _by_blas(m, k, n, _numpy_products - 1)
        if m * n * (2 * k * products + 1) > NOGIL_WORK:
            with nogil:
                _on_backward(kind, p, code, m, k, n, accumulate, scale, products)
        else:
            _on_backward(kind, p, code, m, k, n, accumulate, scale, products)
        if not products:  # large: NumPy's BLAS (transposes as flags), as dense_forward's
            if dx is not None:  # (first: dw may be w itself)
                _np_matmul(dz, w.T, out=dx)
            if accumulate:  # (NumPy has no alpha and beta)
                with nogil:
                    _on_accumulate(kind, p, m, k, n, scale)
            else:
                _np_matmul(x.T, dz, out=dw)
    finally:
        _release(&vs)


cdef void _on_xent(char kind, void **p, bint wide, double scale, Py_ssize_t m,
                   Py_ssize_t n) noexcept nogil:
    if kind == b'f':
        _xent(<float *>p[0], p[1], wide, <float>scale, <float *>p[2], <float *>p[3],
              <float *>p[4], m, n)
    else:
        _xent(<double *>p[0], p[1], wide, scale, <double *>p[2], <double *>p[3],
              <double *>p[4], m, n)


def sparse_xent(logits, labels, scale, loss, dlogits):
    """loss = logsumexp(row) - row[label] per row of logits (m, n), and dlogits = (softmax(row)
    - onehot(label)) * scale, scale a number or an (m,) array; loss or dlogits may be None.
    Labels (int32 or int64) must be in [0, n): the caller checks (as TF's op does, with its
    error); a label out of range here is a ValueError."""
    cdef Views vs
    cdef void *p[5]
    cdef char kind = _first(logits, "sparse_xent", "logits", 2)
    cdef Py_ssize_t m, n
    cdef bint per_row = isinstance(scale, _ndarray) and scale.ndim
    cdef double s = 0 if per_row else float(scale)
    cdef char label_kind = _label_kind(labels)
    cdef bint wide = label_kind == b'q'
    cdef Py_ssize_t bad
    vs.n = 0
    try:
        p[0] = _take(&vs, logits, "sparse_xent", "logits", kind, False, ANY, ANY)
        m, n = vs.view[0].shape[0], vs.view[0].shape[1]
        p[1] = _take(&vs, labels, "sparse_xent", "labels", label_kind, False, m, VECTOR)
        p[2] = (_take(&vs, scale, "sparse_xent", "scale", kind, False, m, VECTOR) if per_row
                else NULL)
        p[3] = (NULL if loss is None else
                _take(&vs, loss, "sparse_xent", "loss", kind, True, m, VECTOR))
        p[4] = (NULL if dlogits is None else
                _take(&vs, dlogits, "sparse_xent", "dlogits", kind, True, m, n))
        if n == 0 and m:
            _no_classes(m)
        bad = _bad_label(p[1], wide, m, n)
        if bad >= 0:  # (the caller checks, as TF's op does; this keeps memory safe regardless)
            _out_of_range(labels[bad], n)
        if m * n > NOGIL_WORK:
            with nogil:
                _on_xent(kind, p, wide, s, m, n)
        else:
            _on_xent(kind, p, wide, s, m, n)
    finally:
        _release(&vs)


cdef Py_ssize_t _update(Views *vs, str function, tuple names, tuple arrays,
                       char *kind) except -1:
    # takes var, then the other arrays, of var's dtype and shape, all but grad (the last)
    # writable; returns the size
    cdef Py_ssize_t i, last = len(arrays) - 1
    kind[0] = _first(arrays[0], function, names[0], -1)
    for i in range(last + 1):
        _take(vs, arrays[i], function, names[i], kind[0], i < last, 0, SAME)
    return vs.view[0].len // vs.view[0].itemsize


cdef void _on_update(char kind, Views *vs, int which, double *c, bint flag,
                     Py_ssize_t size) noexcept nogil:
    cdef void *p[4]
    cdef int i
    for i in range(vs.n):
        p[i] = vs.view[i].buf
    if which == 0:
        if kind == b'f':
            _sgd(<float *>p[0], <float>c[0], <float *>p[1], size)
        else:
            _sgd(<double *>p[0], c[0], <double *>p[1], size)
    elif which == 1:
        if kind == b'f':
            _momentum(<float *>p[0], <float *>p[1], <float>c[0], <float *>p[2], <float>c[1],
                      flag, size)
        else:
            _momentum(<double *>p[0], <double *>p[1], c[0], <double *>p[2], c[1], flag, size)
    elif kind == b'f':
        _adam(<float *>p[0], <float *>p[1], <float *>p[2], <float>c[0], <float>c[1],
              <float>c[2], <float>c[3], <float>c[4], <float>c[5], <float *>p[3], size)
    else:
        _adam(<double *>p[0], <double *>p[1], <double *>p[2], c[0], c[1], c[2], c[3], c[4],
              c[5], <double *>p[3], size)


cdef int _apply(int which, tuple names, tuple arrays, double *c, bint flag) except -1:
    cdef Views vs
    cdef char kind
    cdef Py_ssize_t size
    vs.n = 0
    try:
        size = _update(&vs, ("sgd", "momentum", "adam")[which], names, arrays, &kind)
        if size > NOGIL_WORK:
            with nogil:
                _on_update(kind, &vs, which, c, flag, size)
        else:
            _on_update(kind, &vs, which, c, flag, size)
    finally:
        _release(&vs)
    return 0


def sgd(var, lr, grad):
    """var -= lr * grad, in place (lr a number, taken in var's dtype)."""
    cdef double c[1]
    c[0] = float(lr)
    _apply(0, ("var", "grad"), (var, grad), c, False)


def momentum(var, accum, lr, grad, momentum, nesterov):
    """TF's ApplyMomentum in place: accum = accum * momentum + grad; var -= lr * accum, or with
    nesterov var -= lr * grad + lr * momentum * accum (the numbers taken in var's dtype)."""
    cdef double c[2]
    c[0], c[1] = float(lr), float(momentum)
    _apply(1, ("var", "accum", "grad"), (var, accum, grad), c, bool(nesterov))


def adam(var, m, v, lr, beta1, beta2, epsilon, beta1_power, beta2_power, grad):
    """TF's ApplyAdam in place, operation for operation as minitf's (the numbers taken in var's
    dtype): lr_t = lr * sqrt(1 - beta2_power) / (1 - beta1_power); m = beta1 * m + (1 - beta1)
    * grad; v = beta2 * v + (1 - beta2) * grad * grad; var -= lr_t * m / (sqrt(v) + epsilon)."""
    cdef double c[6]
    c[0], c[1], c[2] = float(lr), float(beta1), float(beta2)
    c[3], c[4], c[5] = float(epsilon), float(beta1_power), float(beta2_power)
    _apply(2, ("var", "m", "v", "grad"), (var, m, v, grad), c, False)


ctypedef void (*vector_f32)(const float *, float *, Py_ssize_t) noexcept nogil


cdef int _elementwise(vector_f32 loop, str function, x, out) except -1:
    # loop(x, out) over float32 arrays of one shape; 0 for float64 ones, which the caller does
    cdef Views vs
    cdef char kind = _first(x, function, "x", -1)
    cdef Py_ssize_t n
    cdef void *src
    cdef void *dst
    vs.n = 0
    try:
        src = _take(&vs, x, function, "x", kind, False, 0, SAME)
        dst = _take(&vs, out, function, "out", kind, True, 0, SAME)
        n = vs.view[0].len // vs.view[0].itemsize
        if kind == b'f' and n > NOGIL_WORK // 8:
            with nogil:
                loop(<const float *>src, <float *>dst, n)
        elif kind == b'f':
            loop(<const float *>src, <float *>dst, n)
    finally:
        _release(&vs)
    return kind == b'f'


def tanh(x, out):
    """out = tanh(x) for float32 or float64 arrays of one shape (out may be x): float32 by
    vector_f32.h's vectorized rational approximation (within 7 ulp; exactly +-1 from |x|
    9.0109), float64 by NumPy's."""
    if not _elementwise(minitf_tanh_f32, "tanh", x, out):
        _np_tanh(x, out=out)


def sigmoid(x, out):
    """out = 1 / (1 + exp(-x)) for float32 or float64 arrays of one shape (out may be x):
    float32 by vector_f32.h's vectorized loop (within 3 ulp), float64 by scipy's expit, or
    NumPy's passes from SIGMOID_LOOPS elements."""
    if not _elementwise(minitf_sigmoid_f32, "sigmoid", x, out):
        _sigmoid_f64(x, out)


def _sigmoid_f64(x, out):
    if x.size >= SIGMOID_LOOPS:
        np.copyto(out, x)
        _sigmoid_in_place(out)
    else:
        _expit(x, out=out)


cdef void _on_slope(char kind, void **p, int act, Py_ssize_t n) noexcept nogil:
    if kind == b'f':
        _slope_times(<float *>p[0], <float *>p[1], act, <float *>p[2], n)
    else:
        _slope_times(<double *>p[0], <double *>p[1], act, <double *>p[2], n)


def act_grad(dy, y, act, out):
    """out = dy * act'(y), the gradient through an activation from its output y (as
    dense_backward's dz), for arrays of one shape; for "linear", out = dy and y is not read.
    The arithmetic is the unfused gradient ops', in their order."""
    cdef Views vs
    cdef void *p[3]
    cdef int code = _act_code(act, "act_grad")
    cdef char kind = _first(dy, "act_grad", "dy", -1)
    cdef Py_ssize_t n
    vs.n = 0
    try:
        p[0] = _take(&vs, dy, "act_grad", "dy", kind, False, 0, SAME)
        p[1] = NULL if code == LINEAR else _take(&vs, y, "act_grad", "y", kind, False, 0, SAME)
        p[2] = _take(&vs, out, "act_grad", "out", kind, True, 0, SAME)
        n = vs.view[0].len // vs.view[0].itemsize
        if n > NOGIL_WORK:
            with nogil:
                _on_slope(kind, p, code, n)
        else:
            _on_slope(kind, p, code, n)
    finally:
        _release(&vs)
