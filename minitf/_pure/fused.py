"""Fused training-step kernels (dense layer forward and backward, sparse softmax cross-entropy,
SGD, Momentum, Adam): the NumPy twin of csrc/fused.pyx. Same arguments, same checks in the same
order, same errors; the work is NumPy calls writing into the caller's buffers (`out=`), so the
values equal the compiled twin's to float tolerance, and the optimizer updates equal minitf's
unfused kernels (minitf/train/training_ops.py) to the last bit, as the compiled ones do.
"""
import numpy as np
from scipy.special import expit

_ACTS = ("linear", "relu", "tanh", "sigmoid")


# -- arguments, checked as the compiled twin checks them -------------------------------------------
def _describe(a):
    if not isinstance(a, np.ndarray):
        return type(a).__name__
    layout = "C-contiguous" if a.flags.c_contiguous else "non-contiguous"
    access = "" if a.flags.writeable else "read-only "
    return f"a {access}{layout} {a.dtype} array of shape {a.shape}"


def _reject(function, name, a, want):
    raise ValueError(f"fused.{function}: {name} must be {want}, not {_describe(a)}")


def _take(function, name, a, dtype, shape, writable=False):
    if a.__class__ is np.ndarray and a.dtype is dtype and a.shape == shape:  # (the usual case)
        flags = a.flags
        if flags.c_contiguous and (flags.writeable or not writable):
            return
    if not (isinstance(a, np.ndarray) and a.dtype == dtype and a.shape == shape
            and a.flags.c_contiguous and (a.flags.writeable or not writable)):
        prefix = "a writable " if writable else "a "
        _reject(function, name, a, f"{prefix}C-contiguous {dtype.name} array of shape {shape}")


def _float_dtype(function, name, a, ndim):
    # the dtype every float argument must share, from the first; its rank when it has one
    if (isinstance(a, np.ndarray) and a.dtype.char in "fd" and a.dtype.isnative
            and (ndim < 0 or a.ndim == ndim)):
        return a.dtype
    rank = "" if ndim < 0 else f"{ndim}-D "
    _reject(function, name, a, f"a {rank}float32 or float64 array")


def _act_code(act, function):
    if act not in _ACTS:
        raise ValueError(f"fused.{function}: act must be one of 'linear', 'relu', 'tanh', "
                         f"'sigmoid', not {act!r}")
    return act


_SIGMOID_LOOPS = 1024  # from this many elements, sigmoid in four SIMD passes (as compiled)


def _sigmoid_in_place(out):
    """out = 1 / (1 + exp(-out)) in four SIMD passes (exp overflows to inf, giving 0)."""
    np.negative(out, out=out)
    with np.errstate(over="ignore"):
        np.exp(out, out=out)
    out += 1
    np.reciprocal(out, out=out)


def _activate(out, act):
    if act == "relu":
        np.maximum(out, 0, out=out)
    elif act == "tanh":
        np.tanh(out, out=out)
    elif act == "sigmoid" and out.size >= _SIGMOID_LOOPS:
        _sigmoid_in_place(out)
    elif act == "sigmoid":
        expit(out, out=out)


def _slope_times(dy, y, act, dz):
    # dz = dy * act'(y), the derivative from the output y
    if act == "relu":
        np.multiply(dy, y > 0, out=dz)
        return
    if act == "tanh":
        np.multiply(y, y, out=dz)
        np.subtract(1, dz, out=dz)
    else:
        np.subtract(1, y, out=dz)
        np.multiply(y, dz, out=dz)
    np.multiply(dy, dz, out=dz)


# -- the kernels -----------------------------------------------------------------------------------
def dense_forward(x, w, b, act, out):
    """out = act(x @ w + b) for x (m, k), w (k, n), b (n,) or None; act is "linear", "relu",
    "tanh" or "sigmoid"."""
    act = _act_code(act, "dense_forward")
    dtype = _float_dtype("dense_forward", "x", x, 2)
    m, k = x.shape
    _take("dense_forward", "x", x, dtype, (m, k))
    _float_dtype("dense_forward", "w", w, 2)
    n = w.shape[1]
    _take("dense_forward", "w", w, dtype, (k, n))
    if b is not None:
        _take("dense_forward", "b", b, dtype, (n,))
    _take("dense_forward", "out", out, dtype, (m, n), True)
    np.matmul(x, w, out=out)
    if b is not None:
        np.add(out, b, out=out)
    _activate(out, act)


def dense_backward(dy, x, w, y, act, dz, dw, db, dx, dw_scale=None):
    """The gradients of `y = dense_forward(x, w, b, act)` given dy: dz = dy * act'(y) (for
    "linear", dz may be dy, and y is not read), dw = x.T @ dz, db = dz.sum(0) unless db is
    None, and dx = dz @ w.T unless dx is None. With `dw_scale` (a number), dw is updated in
    place instead: dw += dw_scale * (x.T @ dz) (an SGD step on the weights when dw is them and
    dw_scale is -lr; dx is computed first, so dw may be w itself)."""
    act = _act_code(act, "dense_backward")
    dtype = _float_dtype("dense_backward", "x", x, 2)
    m, k = x.shape
    _take("dense_backward", "x", x, dtype, (m, k))
    _float_dtype("dense_backward", "w", w, 2)
    n = w.shape[1]
    _take("dense_backward", "w", w, dtype, (k, n))
    _take("dense_backward", "dy", dy, dtype, (m, n))
    if act != "linear":
        _take("dense_backward", "y", y, dtype, (m, n))
    _take("dense_backward", "dz", dz, dtype, (m, n), True)
    _take("dense_backward", "dw", dw, dtype, (k, n), True)
    if db is not None:
        _take("dense_backward", "db", db, dtype, (n,), True)
    if dx is not None:
        _take("dense_backward", "dx", dx, dtype, (m, k), True)
    if act != "linear":
        _slope_times(dy, y, act, dz)
    elif dz is not dy:
        np.copyto(dz, dy)
    if db is not None:
        np.add.reduce(dz, axis=0, out=db)
    if dx is not None:  # (first: dw may be w itself)
        np.matmul(dz, w.T, out=dx)
    if dw_scale is None:
        np.matmul(x.T, dz, out=dw)  # (views: BLAS gets transpose flags, not copies)
    else:
        step = np.matmul(x.T, dz)
        step *= dtype.type(dw_scale)
        dw += step


def sparse_xent(logits, labels, scale, loss, dlogits):
    """loss = logsumexp(row) - row[label] per row of logits (m, n), and dlogits = (softmax(row)
    - onehot(label)) * scale, scale a number or an (m,) array; loss or dlogits may be None.
    Labels (int32 or int64) must be in [0, n): the caller checks (as TF's op does, with its
    error); a label out of range here is a ValueError."""
    dtype = _float_dtype("sparse_xent", "logits", logits, 2)
    m, n = logits.shape
    per_row = isinstance(scale, np.ndarray) and scale.ndim
    s = 0 if per_row else float(scale)
    wide = isinstance(labels, np.ndarray) and labels.dtype.itemsize == 8
    _take("sparse_xent", "logits", logits, dtype, (m, n))
    _take("sparse_xent", "labels", labels, np.dtype(np.int64 if wide else np.int32), (m,))
    if per_row:
        _take("sparse_xent", "scale", scale, dtype, (m,))
    if loss is not None:
        _take("sparse_xent", "loss", loss, dtype, (m,), True)
    if dlogits is not None:
        _take("sparse_xent", "dlogits", dlogits, dtype, (m, n), True)
    if n == 0 and m:
        raise ValueError(f"fused.sparse_xent: logits of shape ({m}, 0) has no class for a label")
    if m and (labels.min() < 0 or labels.max() >= n):  # (the caller checks; as compiled)
        bad = labels[(labels < 0) | (labels >= n)][0]
        raise ValueError(f"fused.sparse_xent: label {bad} is outside the valid range [0, {n})")
    shifted = logits - np.maximum.reduce(logits, axis=1, keepdims=True)
    rows = np.arange(m)
    picked = shifted[rows, labels]
    exps = np.exp(shifted, out=shifted if dlogits is None else dlogits)
    total = np.add.reduce(exps, axis=1)
    if loss is not None:
        np.subtract(np.log(total), picked, out=loss)
    if dlogits is not None:
        np.divide(dlogits, total[:, None], out=dlogits)
        dlogits[rows, labels] -= 1
        np.multiply(dlogits, scale[:, None] if per_row else dtype.type(s), out=dlogits)


def act_grad(dy, y, act, out):
    """out = dy * act'(y), the gradient through an activation from its output y (as
    dense_backward's dz), for arrays of one shape; for "linear", out = dy and y is not read.
    The arithmetic is the unfused gradient ops', in their order."""
    act = _act_code(act, "act_grad")
    dtype = _float_dtype("act_grad", "dy", dy, -1)
    _take("act_grad", "dy", dy, dtype, dy.shape)
    if act != "linear":
        _take("act_grad", "y", y, dtype, dy.shape)
    _take("act_grad", "out", out, dtype, dy.shape, True)
    if act == "linear":
        np.copyto(out, dy)
    else:
        _slope_times(dy, y, act, out)


def tanh(x, out):
    """out = tanh(x) for float32 or float64 arrays of one shape (out may be x): NumPy's (the
    compiled twin's float32 approximation is within 6 ulp of it)."""
    dtype = _float_dtype("tanh", "x", x, -1)
    _take("tanh", "x", x, dtype, x.shape)
    _take("tanh", "out", out, dtype, x.shape, True)
    np.tanh(x, out=out)


def sigmoid(x, out):
    """out = 1 / (1 + exp(-x)) for float32 or float64 arrays of one shape (out may be x): scipy's
    expit, or NumPy's passes from _SIGMOID_LOOPS elements (the compiled twin's float32 loop is
    within 3 ulp of it)."""
    dtype = _float_dtype("sigmoid", "x", x, -1)
    _take("sigmoid", "x", x, dtype, x.shape)
    _take("sigmoid", "out", out, dtype, x.shape, True)
    if x.size >= _SIGMOID_LOOPS:
        np.copyto(out, x)
        _sigmoid_in_place(out)
    else:
        expit(x, out=out)


def _update(function, names, arrays):
    # var (writable), then the other arrays, of var's dtype and shape
    dtype = _float_dtype(function, names[0], arrays[0], -1)
    for name, a in zip(names, arrays):
        _take(function, name, a, dtype, arrays[0].shape, name != "grad")
    return dtype.type


def sgd(var, lr, grad):
    """var -= lr * grad, in place (lr a number, taken in var's dtype)."""
    lr = float(lr)
    lr = _update("sgd", ("var", "grad"), (var, grad))(lr)
    np.subtract(var, np.multiply(lr, grad), out=var)


def momentum(var, accum, lr, grad, momentum, nesterov):
    """TF's ApplyMomentum in place: accum = accum * momentum + grad; var -= lr * accum, or with
    nesterov var -= lr * grad + lr * momentum * accum (the numbers taken in var's dtype)."""
    lr, momentum = float(lr), float(momentum)
    real = _update("momentum", ("var", "accum", "grad"), (var, accum, grad))
    lr, momentum = real(lr), real(momentum)
    np.multiply(accum, momentum, out=accum)
    np.add(accum, grad, out=accum)
    if nesterov:  # as training_ops._momentum: lr * grad + (lr * momentum) * accum
        step = np.multiply(lr, grad)
        step += np.multiply(lr * momentum, accum)
    else:
        step = np.multiply(lr, accum)
    np.subtract(var, step, out=var)


def adam(var, m, v, lr, beta1, beta2, epsilon, beta1_power, beta2_power, grad):
    """TF's ApplyAdam in place, operation for operation as minitf's (the numbers taken in var's
    dtype): lr_t = lr * sqrt(1 - beta2_power) / (1 - beta1_power); m = beta1 * m + (1 - beta1)
    * grad; v = beta2 * v + (1 - beta2) * grad * grad; var -= lr_t * m / (sqrt(v) + epsilon)."""
    numbers = [float(c) for c in (lr, beta1, beta2, epsilon, beta1_power, beta2_power)]
    real = _update("adam", ("var", "m", "v", "grad"), (var, m, v, grad))
    lr, beta1, beta2, epsilon, beta1_power, beta2_power = map(real, numbers)
    lr_t = lr * np.sqrt(1 - beta2_power) / (1 - beta1_power)
    np.multiply(beta1, m, out=m)
    m += np.multiply(1 - beta1, grad)
    np.multiply(beta2, v, out=v)
    step = np.multiply(1 - beta2, grad, out=np.empty_like(grad))  # (an array, even 0-d)
    step *= grad
    v += step
    np.multiply(lr_t, m, out=step)
    root = np.sqrt(v)
    root += epsilon
    step /= root
    np.subtract(var, step, out=var)
