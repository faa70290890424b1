"""TF's Python FFT wrappers (tf.signal, tf.spectral): rfft/irfft (1-3D), which infer and pad to
`fft_length`; fftnd, ifftnd, rfftnd and irfftnd with `axes` and `norm`; fftshift and ifftshift.
The ops themselves are in fft_ops.py and rfft_ops.py.
"""
import numpy as np

from minitf.framework import dtypes as _dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.ops import fft_ops as _fft, rfft_ops as _rfft
from minitf.ops._shared import shape_of
from minitf.ops.manip_ops import gather, pad, stack
from minitf.ops.math_ops import cast, maximum, multiply, sqrt
from minitf.ops.reduction_ops import reduce_prod
from minitf.ops.sort_ops import roll

__all__ = ["rfft", "irfft", "rfft2d", "irfft2d", "rfft3d", "irfft3d", "fftnd", "ifftnd",
           "rfftnd", "irfftnd", "fftshift", "ifftshift"]

_REAL = (_dtypes.float32, _dtypes.float64)


def _with_rank_at_least(x, rank):
    if x._shape is not None and len(x._shape) < rank:
        raise ValueError(f"Shape {tuple(x._shape)} must have rank at least {rank}")


def _default_length(x, rank, inverse):
    dims = list(x._shape[-rank:]) if x._shape is not None else [None]
    if None not in dims:
        if inverse:
            dims[-1] = max(0, 2 * (dims[-1] - 1))
        return convert_to_tensor(dims, dtype=_dtypes.int32, name="fft_length")
    dims = [shape_of(x)[i - rank] for i in range(rank)]
    if inverse:
        dims[-1] = maximum(0, 2 * (dims[-1] - 1))
    return stack(dims)


def _fft_length(x, fft_length, rank, inverse):
    if fft_length is None:
        return _default_length(x, rank, inverse)
    fft_length = convert_to_tensor(fft_length, dtype=_dtypes.int32, name="fft_length")
    static = constant_value(fft_length)
    if static is not None and np.any(np.asarray(static) < 0):  # (as TF after 2.21)
        raise ValueError(f"`fft_length` must be non-negative, got {np.min(static)}.")
    if inverse and static is not None and np.ndim(static) != 1:
        raise ValueError(f"Shape {np.shape(static)} must have rank 1")
    return fft_length


def _pad_to(x, fft_length, rank, inverse):
    """x zero-padded on its innermost `rank` dimensions to fft_length (the last one to
    fft_length // 2 + 1 for an inverse), when all is static, as TF's wrappers do."""
    lengths = constant_value(fft_length)
    if x._shape is None or lengths is None or np.ndim(lengths) != 1 or len(lengths) != rank:
        return x
    dims, lengths = x._shape[-rank:], [int(n) for n in lengths]
    if None in dims or 0 in x._shape:
        return x
    if inverse:
        lengths[-1] = lengths[-1] // 2 + 1
    extra = [max(n - d, 0) for n, d in zip(lengths, dims)]
    if not any(extra):
        return x
    return pad(x, [[0, 0]] * (len(x._shape) - rank) + [[0, e] for e in extra])


def _real_wrapper(opdef, rank, tf_name):
    def fn(input_tensor, fft_length=None, name=None):
        with name_scope(name, tf_name, [input_tensor, fft_length]) as scope:
            x = convert_to_tensor(input_tensor, preferred_dtype=_dtypes.float32)
            if x.dtype.base_dtype not in _REAL:
                raise ValueError(f"RFFT requires tf.float32 or tf.float64 inputs, got: {x!r}")
            _with_rank_at_least(x, rank)
            fft_length = _fft_length(x, fft_length, rank, inverse=False)
            x = _pad_to(x, fft_length, rank, inverse=False)
            return opdef.apply([x, fft_length], name=scope,
                               Tcomplex=_fft._COMPLEX_OF[x.dtype.base_dtype])
    fn.__name__ = fn.__qualname__ = tf_name
    fn.__doc__ = _REAL_DOC.format(rank=rank, type=opdef.type, name=tf_name)
    return fn


def _inverse_wrapper(opdef, rank, tf_name):
    def fn(input_tensor, fft_length=None, name=None):
        with name_scope(name, tf_name, [input_tensor, fft_length]) as scope:
            x = convert_to_tensor(input_tensor, preferred_dtype=_dtypes.complex64)
            _with_rank_at_least(x, rank)
            if x.dtype.base_dtype not in _fft._COMPLEX:
                raise ValueError(f"IRFFT requires tf.complex64 or tf.complex128 inputs, got: "
                                 f"{x!r}")
            fft_length = _fft_length(x, fft_length, rank, inverse=True)
            x = _pad_to(x, fft_length, rank, inverse=True)
            return opdef.apply([x, fft_length], name=scope,
                               Treal=_fft._REAL_OF[x.dtype.base_dtype])
    fn.__name__ = fn.__qualname__ = tf_name
    fn.__doc__ = _INVERSE_DOC.format(rank=rank, type=opdef.type, name=tf_name)
    return fn


_REAL_DOC = """Computes the {rank}-D FFT of a real signal (op {type}).

    The innermost {rank} dimension(s) are transformed; of the last one only the non-negative
    frequencies are kept (the others are their complex conjugates).

    Args:
      input_tensor: a float32 or float64 Tensor of rank {rank} or more.
      fft_length: {rank} ints, the transform's lengths (default: the innermost dimensions);
        the signal is cropped or zero-padded to them.
      name: a name for the operation (default "{name}").

    Returns:
      A complex64 (for float32) or complex128 Tensor whose last dimension is
      fft_length[-1] // 2 + 1.

    Raises:
      ValueError: the input is not float32 or float64, or its rank is too small.
    """
_INVERSE_DOC = """Computes the inverse {rank}-D FFT of a half spectrum: a real signal (op {type}).

    The innermost {rank} dimension(s) are transformed, the last one holding the non-negative
    frequencies only.

    Args:
      input_tensor: a complex64 or complex128 Tensor of rank {rank} or more.
      fft_length: {rank} ints, the output's lengths (default: the innermost dimensions, the
        last one 2 * (n - 1)).
      name: a name for the operation (default "{name}").

    Returns:
      A float32 (for complex64) or float64 Tensor.

    Raises:
      ValueError: the input is not complex, its rank is too small, or fft_length is not 1-D.
    """
rfft = _real_wrapper(_rfft._rfft, 1, "rfft")
irfft = _inverse_wrapper(_rfft._irfft, 1, "irfft")
rfft2d = _real_wrapper(_rfft._rfft2d, 2, "rfft2d")
irfft2d = _inverse_wrapper(_rfft._irfft2d, 2, "irfft2d")
rfft3d = _real_wrapper(_rfft._rfft3d, 3, "rfft3d")
irfft3d = _inverse_wrapper(_rfft._irfft3d, 3, "irfft3d")


# -- fftnd, ifftnd, rfftnd, irfftnd ----------------------------------------------------------------
def _nd_args(x, fft_length, axes, inverse_real):
    if axes is None:
        axes = np.arange(len(x._shape) if x._shape is not None else 0)
    axes = convert_to_tensor(axes, dtype=_dtypes.int32)
    if fft_length is not None:
        return convert_to_tensor(fft_length, dtype=_dtypes.int32, name="fft_length"), axes
    axes_v = constant_value(axes)
    dims = [x._shape[int(a)] for a in np.ravel(axes_v)] if x._shape is not None else [None]
    if None in dims:
        return gather(shape_of(x), axes), axes  # (an irfftnd needs its lengths given then)
    if inverse_real and dims:
        dims[-1] = max(0, 2 * (dims[-1] - 1))
    return convert_to_tensor(dims, dtype=_dtypes.int32, name="fft_length"), axes


def _scaled(x, fft_length, norm, divide):
    """x scaled for `norm` ("backward": as it is; "forward": by n; "ortho": by sqrt(n)), n the
    transform's size; dividing (forward transforms) or multiplying (inverse ones)."""
    if norm in (None, "backward"):
        return x
    lengths = constant_value(fft_length)
    if lengths is not None:
        n = float(np.prod(lengths))
        n = convert_to_tensor(np.sqrt(n) if norm == "ortho" else n, dtype=x.dtype.base_dtype)
    else:
        n = cast(reduce_prod(fft_length), x.dtype.base_dtype)
        n = sqrt(n) if norm == "ortho" else n
    return x / n if divide else multiply(x, n)


def _nd_wrapper(fn, tf_name, divide, real_input=False, inverse_real=False):
    def wrapper(input_tensor, fft_length=None, axes=None, norm=None, name=None):
        with name_scope(name, tf_name, [input_tensor, fft_length, axes]) as scope:
            x = convert_to_tensor(input_tensor, preferred_dtype=_dtypes.float32 if real_input
                                  else _dtypes.complex64)
            if real_input and x.dtype.base_dtype not in _REAL:
                raise ValueError(f"RFFT requires tf.float32 or tf.float64 inputs, got: {x!r}")
            if inverse_real and x.dtype.base_dtype not in _fft._COMPLEX:
                raise ValueError(f"IRFFT requires tf.complex64 or tf.complex128 inputs, got: "
                                 f"{x!r}")
            fft_length, axes = _nd_args(x, fft_length, axes, inverse_real)
            x = _scaled(x, fft_length, norm, divide)
            if real_input:
                return fn(x, fft_length, axes, Tcomplex=_fft._COMPLEX_OF[x.dtype.base_dtype],
                          name=scope)
            if inverse_real:
                return fn(x, fft_length, axes, Treal=_fft._REAL_OF[x.dtype.base_dtype],
                          name=scope)
            return fn(x, fft_length, axes, name=scope)
    wrapper.__name__ = wrapper.__qualname__ = tf_name
    wrapper.__doc__ = _ND_DOC.format(fn=tf_name, op=fn.__name__.upper())
    return wrapper


_ND_DOC = """`tf.{fn}` over `axes` (op {op}), inferring what is not given.

    Args:
      input_tensor: the Tensor to transform.
      fft_length: the transform's length along each of `axes` (default: their dimensions;
        for irfftnd the last one 2 * (n - 1)).
      axes: the dimensions to transform (default: all).
      norm: None or "backward" (unscaled forward, 1/n inverse), "forward" (1/n forward,
        unscaled inverse) or "ortho" (1/sqrt(n) both ways).
      name: a name for the operation (default "{fn}").

    Returns:
      The transformed Tensor.

    Raises:
      ValueError: an rfftnd input is not real, or an irfftnd one not complex.
    """
fftnd = _nd_wrapper(_fft.fftnd, "fftnd", divide=True)
ifftnd = _nd_wrapper(_fft.ifftnd, "ifftnd", divide=False)
rfftnd = _nd_wrapper(_fft.rfftnd, "rfftnd", divide=True, real_input=True)
irfftnd = _nd_wrapper(_fft.irfftnd, "irfftnd", divide=False, inverse_real=True)


# -- fftshift, ifftshift ---------------------------------------------------------------------------
def _shift(x, axes, name, default_name, sign):
    with name_scope(name, default_name) as scope:
        x = convert_to_tensor(x)
        if axes is None:
            axes = list(range(len(x._shape)))
            shift = shape_of(x) // 2
        elif isinstance(axes, int):
            shift = shape_of(x)[axes] // 2
        else:
            rank = len(x._shape)
            axes = [a + rank if a < 0 else a for a in axes]
            shift = gather(shape_of(x), axes) // 2
        return roll(x, -shift if sign < 0 else shift, axes, name=scope)


def fftshift(x, axes=None, name=None):
    """Moves the zero frequency to the centre of the spectrum, as numpy.fft.fftshift does.

    Each of `axes` is rolled by half its length.

    Args:
      x: a Tensor of known rank.
      axes: an int or list of ints, the dimensions to shift (default: all).
      name: a name for the operation (default "fftshift").

    Returns:
      A Tensor of x's shape and dtype.
    """
    return _shift(x, axes, name, "fftshift", 1)


def ifftshift(x, axes=None, name=None):
    """The inverse of `fftshift` (they differ by one place on odd lengths).

    Args:
      x: a Tensor of known rank.
      axes: an int or list of ints, the dimensions to shift (default: all).
      name: a name for the operation (default "ifftshift").

    Returns:
      A Tensor of x's shape and dtype.
    """
    return _shift(x, axes, name, "ifftshift", -1)
