"""The real-signal FFTs: RFFT, RFFT2D, RFFT3D (a real signal to the non-negative frequencies of
its innermost dimension's spectrum) and their inverses IRFFT, IRFFT2D, IRFFT3D, with TF's
gradients for ranks 1 and 2 (TF registers none for rank 3: tf.gradients raises LookupError).

The kernels crop or zero-pad the transformed dimensions to `fft_length` (the half-spectrum
length fft_length[-1] // 2 + 1 for the last one of an inverse) as TF's do; the Python wrappers
in minitf/signal.py pad statically first, as TF's do. An inverse ignores the imaginary parts of
the zero (and, for an even length, the Nyquist) frequency of its last dimension.
"""
import numpy as np

from minitf.framework import dtypes as _dtypes
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.registry import register_op
from minitf.ops import fft_ops as _fft
from minitf.ops._shared import fmt, no_gradient, shape_of
from minitf.ops.array_ops import fill
from minitf.ops.complex_ops import real
from minitf.ops.manip_ops import concat, pad, stack
from minitf.ops.math_ops import cast, maximum, minimum, multiply
from minitf.ops.slicing import slice as _slice

__all__ = []


def _lengths_shape(input, fft_length, rank, op_type):
    _fft._check_rank(input, rank, op_type, fft_length._shape)
    if fft_length._shape is not None and fft_length._shape != (rank,):
        bad = fft_length._shape[0] if len(fft_length._shape) == 1 else len(fft_length._shape)
        raise ValueError(f"Dimension must be {rank} but is {bad} for '{op_type}' with input "
                         f"shapes: {fmt(input._shape)}, {fmt(fft_length._shape)}.")
    lengths = _fft._static_list(fft_length)
    return (None,) * rank if lengths is None else tuple(lengths)


def _register(op_type, rank, inverse):
    numpy_fn = np.fft.irfftn if inverse else np.fft.rfftn
    attr = "Treal" if inverse else "Tcomplex"

    def shape(input, fft_length, **attrs):
        lengths = _lengths_shape(input, fft_length, rank, op_type)
        if input._shape is None:
            return None
        if not inverse and lengths[-1] is not None:
            lengths = lengths[:-1] + (lengths[-1] // 2 + 1,)
        return input._shape[:-rank] + lengths

    def dtype(input, fft_length, **attrs):
        if inverse:
            _fft._check_dtype(input, _fft._COMPLEX)
        else:
            _fft._check_dtype(input, (_dtypes.float32, _dtypes.float64))
        return attrs[attr]

    nd = _fft._nd_kernel(numpy_fn, lambda attrs: attrs[attr].as_numpy_dtype)

    def kernel(input, fft_length, **attrs):
        return nd(input, fft_length, range(input.ndim - rank, input.ndim), **attrs)

    return register_op(op_type, shape=shape, dtype=dtype)(kernel)


_rfft = _register("RFFT", 1, False)
_irfft = _register("IRFFT", 1, True)
_rfft2d = _register("RFFT2D", 2, False)
_irfft2d = _register("IRFFT2D", 2, True)
_rfft3d = _register("RFFT3D", 3, False)
_irfft3d = _register("IRFFT3D", 3, True)
no_gradient(_rfft3d, _irfft3d)


# -- gradients -------------------------------------------------------------------------------------
def _inner(t, rank, ndims):
    """t's innermost `rank` dimensions: ints where static, else scalar int32 tensors."""
    static = t._shape[-rank:] if t._shape is not None else (None,) * rank
    dynamic = shape_of(t) if None in static else None
    return [dynamic[ndims - rank + i] if d is None else d for i, d in enumerate(static)]


def _static(values):
    return all(isinstance(v, int) for v in values)


def _fit(t, dims, ndims):
    """t (of rank ndims) with its innermost dimensions cropped or zero-padded to `dims`."""
    rank, outer = len(dims), ndims - len(dims)
    have = _inner(t, rank, ndims)
    if _static(have + dims) and have == dims:
        return t
    keep = [min(h, d) if _static([h, d]) else minimum(h, d) for h, d in zip(have, dims)]
    if not (_static(have + keep) and have == keep):
        size = [-1] * outer + keep
        t = _slice(t, [0] * ndims, size if _static(keep) else stack(size))
    extra = [max(d - k, 0) if _static([d, k]) else maximum(d - k, 0) for d, k in zip(dims, keep)]
    if _static(extra):
        return pad(t, [[0, 0]] * outer + [[0, e] for e in extra]) if any(extra) else t
    return pad(t, stack([[0, 0]] * outer + [stack([0, e]) for e in extra]))


def _ndims(op, grad):
    shape = op.inputs[0]._shape if op.inputs[0]._shape is not None else grad._shape
    if shape is None:
        raise ValueError(f"The gradient of {op.type} '{op.name}' needs its input's rank.")
    return len(shape)


def _lengths(op, rank):
    static = constant_value(op.inputs[1])
    if static is not None:
        return [int(v) for v in np.ravel(static)]
    return [op.inputs[1][i] for i in range(rank)]


def _size(lengths, dtype):
    if all(isinstance(n, int) for n in lengths):
        return convert_to_tensor(float(np.prod(lengths)), dtype=dtype)
    size = lengths[0]
    for n in lengths[1:]:
        size = size * n
    return cast(size, dtype)


def _rfft_gradient(opdef, inverse_c2c, rank):
    # the adjoint of the half spectrum: its zero-padded full spectrum's N * IFFT, real part
    @opdef.gradient
    def _grad(op, grad):
        lengths, ndims = _lengths(op, rank), _ndims(op, grad)
        full = _fit(grad, _inner(grad, rank, ndims)[:-1] + [lengths[-1]], ndims)
        x = multiply(real(inverse_c2c.apply([full])), _size(lengths, grad.dtype.real_dtype))
        return [_fit(x, _inner(op.inputs[0], rank, ndims), ndims), None]


def _half_mask(n, dtype):
    """[1, 2, ..., 2] of length n // 2 + 1, its last entry 1 when n is even: how often each
    entry of a half spectrum appears in the full one."""
    if isinstance(n, int):
        mask = np.full(n // 2 + 1, 2.0)
        mask[0] = 1.0
        mask[-1] = 1.0 if n % 2 == 0 else mask[-1]
        return convert_to_tensor(mask, dtype=dtype)
    odd = n % 2
    middle = fill(stack([n // 2 - 1 + odd]), convert_to_tensor(2.0, dtype=dtype))
    last = fill(stack([1 - odd]), convert_to_tensor(1.0, dtype=dtype))
    return concat([convert_to_tensor([1.0], dtype=dtype), middle, last], 0)


def _irfft_gradient(opdef, forward, rank):
    # the adjoint of the Hermitian extension: the RFFT, each duplicated frequency counted twice
    @opdef.gradient
    def _grad(op, grad):
        lengths = _lengths(op, rank)
        real_dtype = grad.dtype.base_dtype
        complex_dtype = _fft._COMPLEX_OF[real_dtype]
        spectrum = forward.apply([grad, op.inputs[1]], Tcomplex=complex_dtype)
        scale = _half_mask(lengths[-1], real_dtype) / _size(lengths, real_dtype)
        out = multiply(spectrum, cast(scale, complex_dtype))
        ndims = _ndims(op, grad)
        return [_fit(out, _inner(op.inputs[0], rank, ndims), ndims), None]


_rfft_gradient(_rfft, _fft._ifft, 1)
_rfft_gradient(_rfft2d, _fft._ifft2d, 2)
_irfft_gradient(_irfft, _rfft, 1)
_irfft_gradient(_irfft2d, _rfft2d, 2)
