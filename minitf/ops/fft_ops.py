"""Fast Fourier transforms (TF's spectral ops): FFT, IFFT, FFT2D, IFFT2D, FFT3D, IFFT3D over the
innermost 1-3 dimensions of a complex tensor; RFFT/IRFFT (1-3D) between real signals and their
half spectra; and FFTND, IFFTND, RFFTND, IRFFTND over any `axes`.

The transforms are unnormalised forward and 1/N-normalised inverse, as NumPy's. The gradients are
TF's: the adjoint transform (FFT's is N * IFFT, IFFT's is FFT / N), for the real transforms the
adjoint restricted to the half spectrum. TF registers none for RFFT3D, IRFFT3D and the N-D ops, so
tf.gradients through them raises LookupError here too. TF's CPU build has no kernel for the N-D
ops (running one raises "No OpKernel was registered"); minitf runs them, with NumPy's values, and
gives their outputs their true static shapes (TF's shape function copies the input's).
"""
import numpy as np

from minitf.framework import dtypes as _dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op
from minitf.ops._shared import fmt, no_gradient, shape_of
from minitf.ops.math_ops import cast, multiply
from minitf.ops.reduction_ops import reduce_prod

__all__ = ["fft", "ifft", "fft2d", "ifft2d", "fft3d", "ifft3d", "fftnd", "ifftnd", "rfftnd",
           "irfftnd"]

_COMPLEX = (_dtypes.complex64, _dtypes.complex128)
_REAL_OF = {_dtypes.complex64: _dtypes.float32, _dtypes.complex128: _dtypes.float64}
_COMPLEX_OF = {v: k for k, v in _REAL_OF.items()}


def _check_dtype(x, allowed, param="input"):
    if x.dtype.base_dtype not in allowed:
        names = ", ".join(t.name for t in allowed)
        raise TypeError(f"Value passed to parameter '{param}' has DataType "
                        f"{x.dtype.base_dtype.name} not in list of allowed values: {names}")
    return x.dtype.base_dtype


def _check_rank(x, rank, op_type, *others):
    if x._shape is not None and len(x._shape) < rank:
        shapes = ", ".join(fmt(s) for s in (x._shape,) + others)
        raise ValueError(f"Shape must be at least rank {rank} but is rank {len(x._shape)} for "
                         f"'{op_type}' with input shapes: {shapes}.")


def _complex_input(input, name="input"):
    """A non-Tensor becomes complex64 (complex128 if it is a complex128 array), as TF's op
    wrappers convert it to the first allowed type."""
    if isinstance(input, Tensor) or hasattr(input, "_as_graph_element"):
        return convert_to_tensor(input)
    wide = np.asarray(input).dtype == np.complex128
    return convert_to_tensor(input, dtype=_dtypes.complex128 if wide else _dtypes.complex64,
                             name=name)


def _cast_like(value, x):
    return np.asarray(value).astype(x.dtype, copy=False)


# -- FFT, IFFT, FFT2D, IFFT2D, FFT3D, IFFT3D -------------------------------------------------------
def _register_c2c(op_type, rank, numpy_fn):
    def shape(input):
        _check_rank(input, rank, op_type)
        return input._shape

    def kernel(input):
        return _cast_like(numpy_fn(input, axes=tuple(range(-rank, 0))), input)

    return register_op(op_type, shape=shape,
                       dtype=lambda input: _check_dtype(input, _COMPLEX))(kernel)


_fft = _register_c2c("FFT", 1, np.fft.fftn)
_ifft = _register_c2c("IFFT", 1, np.fft.ifftn)
_fft2d = _register_c2c("FFT2D", 2, np.fft.fftn)
_ifft2d = _register_c2c("IFFT2D", 2, np.fft.ifftn)
_fft3d = _register_c2c("FFT3D", 3, np.fft.fftn)
_ifft3d = _register_c2c("IFFT3D", 3, np.fft.ifftn)


def _inner_size(t, rank, dtype):
    """The number of elements of t's innermost `rank` dimensions, as a `dtype` scalar."""
    dims = t._shape[-rank:] if t._shape is not None else None
    if dims is not None and None not in dims:
        return convert_to_tensor(np.prod(dims, dtype=np.int64), dtype=dtype)
    return cast(reduce_prod(shape_of(t)[-rank:]), dtype)


def _c2c_gradient(opdef, adjoint, rank, scale_up):
    # the adjoint of the unnormalised DFT F is conj(F) = N * F^-1, that of F^-1 is F / N
    @opdef.gradient
    def _grad(op, grad):
        size = _inner_size(grad, rank, grad.dtype.base_dtype)
        out = adjoint.apply([grad])
        return [multiply(out, size) if scale_up else out / size]


for _fwd, _inv, _rank in ((_fft, _ifft, 1), (_fft2d, _ifft2d, 2), (_fft3d, _ifft3d, 3)):
    _c2c_gradient(_fwd, _inv, _rank, scale_up=True)
    _c2c_gradient(_inv, _fwd, _rank, scale_up=False)

_C2C_DOC = """Computes the {what} over the innermost {dims} of `input` (op {type}).

    Args:
      input: a complex64 or complex128 Tensor of rank {rank} or more (a value that is not a
        Tensor becomes complex64).
      name: a name for the operation (default "{type}").

    Returns:
      A Tensor of `input`'s shape and dtype.

    Raises:
      TypeError: `input` is not complex.
      ValueError: `input` has rank less than {rank}.
    """


def _c2c_function(opdef, tf_name, rank, inverse):
    def fn(input, name=None):
        if isinstance(input, Tensor):
            return opdef.apply([input], name=name or opdef.type)
        with name_scope(name, opdef.type) as scope:  # (the input's Const is `FFT/input`)
            return opdef.apply([_complex_input(input)], name=scope)
    fn.__name__ = fn.__qualname__ = tf_name
    fn.__doc__ = _C2C_DOC.format(
        what=("inverse " if inverse else "") + f"{rank}-D discrete Fourier transform",
        dims="dimension" if rank == 1 else f"{rank} dimensions", type=opdef.type, rank=rank)
    return fn


fft = _c2c_function(_fft, "fft", 1, False)
ifft = _c2c_function(_ifft, "ifft", 1, True)
fft2d = _c2c_function(_fft2d, "fft2d", 2, False)
ifft2d = _c2c_function(_ifft2d, "ifft2d", 2, True)
fft3d = _c2c_function(_fft3d, "fft3d", 3, False)
ifft3d = _c2c_function(_ifft3d, "ifft3d", 3, True)


# -- the N-D ops: FFTND, IFFTND, RFFTND, IRFFTND ----------------------------------------------
def _static_list(t):
    value = constant_value(t)
    return None if value is None else [int(v) for v in np.ravel(value)]


def _nd_shape(input, fft_length, axes, half=None):
    """input's static shape with each of `axes` resized to its fft_length (the last one to
    fft_length // 2 + 1 for RFFTND, when `half` is "r")."""
    if input._shape is None:
        return None
    lengths, axes_v = _static_list(fft_length), _static_list(axes)
    out = list(input._shape)
    if axes_v is None:
        return (None,) * len(out)
    rank = len(out)
    for i, a in enumerate(axes_v):
        out[a % rank] = None if lengths is None else lengths[i]
    if half == "r" and lengths is not None and axes_v:
        out[axes_v[-1] % rank] = lengths[-1] // 2 + 1
    return tuple(out)


def _nd_kernel(numpy_fn, out_dtype=None):
    def kernel(input, fft_length, axes, **attrs):
        s, axes = [int(v) for v in fft_length], [int(a) for a in axes]
        if not axes:
            return input.copy()
        if 0 in s:  # (NumPy refuses empty transforms)
            shape = list(input.shape)
            for a, n in zip(axes, s):
                shape[a] = n
            return np.zeros(shape, out_dtype(attrs) if out_dtype else input.dtype)
        out = numpy_fn(input, s=s, axes=axes)
        return out.astype(out_dtype(attrs) if out_dtype else input.dtype, copy=False)
    return kernel


def _register_nd(op_type, numpy_fn, dtype, half=None, out_dtype=None):
    opdef = register_op(op_type, dtype=dtype,
                        shape=lambda input, fft_length, axes, **attrs: _nd_shape(
                            input, fft_length, axes, half))(_nd_kernel(numpy_fn, out_dtype))
    no_gradient(opdef)
    return opdef


_fftnd = _register_nd("FFTND", np.fft.fftn, lambda input, *_: _check_dtype(input, _COMPLEX))
_ifftnd = _register_nd("IFFTND", np.fft.ifftn, lambda input, *_: _check_dtype(input, _COMPLEX))
_rfftnd = _register_nd("RFFTND", np.fft.rfftn, lambda input, *_, Tcomplex: _check_dtype(
                           input, (_dtypes.float32, _dtypes.float64)) and Tcomplex, half="r",
                       out_dtype=lambda attrs: attrs["Tcomplex"].as_numpy_dtype)
_irfftnd = _register_nd("IRFFTND", np.fft.irfftn, lambda input, *_, Treal: Treal,
                        out_dtype=lambda attrs: attrs["Treal"].as_numpy_dtype)


def _int32(value, name):
    return convert_to_tensor(value, dtype=_dtypes.int32, name=name)


def _nd(opdef, input, fft_length, axes, name, convert=convert_to_tensor, **attrs):
    with name_scope(name, opdef.type) as scope:  # (Consts named `FFTND/input`, ...)
        inputs = [convert(input, name="input"), _int32(fft_length, "fft_length"),
                  _int32(axes, "axes")]
        return opdef.apply(inputs, name=scope, **attrs)


def fftnd(input, fft_length, axes, name=None):
    """Computes the N-D discrete Fourier transform of `input` over `axes` (op FFTND).

    Each of `axes` is cropped or zero-padded to its `fft_length` first. TF's CPU build has no
    kernel for this op; minitf computes it with NumPy.

    Args:
      input: a complex64 or complex128 Tensor.
      fft_length: a 1-D int32 Tensor, the transform's length along each of `axes`.
      axes: a 1-D int32 Tensor, the dimensions to transform.
      name: a name for the operation (default "FFTND").

    Returns:
      A Tensor of `input`'s dtype; each of `axes` has its `fft_length`.

    Raises:
      TypeError: `input` is not complex.
    """
    return _nd(_fftnd, input, fft_length, axes, name, _complex_input)


def ifftnd(input, fft_length, axes, name=None):
    """Computes the inverse N-D discrete Fourier transform over `axes` (op IFFTND).

    Args:
      input: a complex64 or complex128 Tensor.
      fft_length: a 1-D int32 Tensor, the transform's length along each of `axes`.
      axes: a 1-D int32 Tensor, the dimensions to transform.
      name: a name for the operation (default "IFFTND").

    Returns:
      A Tensor of `input`'s dtype; each of `axes` has its `fft_length`.

    Raises:
      TypeError: `input` is not complex.
    """
    return _nd(_ifftnd, input, fft_length, axes, name, _complex_input)


def rfftnd(input, fft_length, axes, Tcomplex=_dtypes.complex64, name=None):
    """Computes the N-D discrete Fourier transform of a real `input` over `axes` (op RFFTND).

    Only the non-negative frequencies of the last of `axes` are returned (its fft_length // 2 + 1
    first entries), the rest being their complex conjugates.

    Args:
      input: a float32 or float64 Tensor.
      fft_length: a 1-D int32 Tensor, the transform's length along each of `axes`.
      axes: a 1-D int32 Tensor, the dimensions to transform.
      Tcomplex: the output type, complex64 or complex128.
      name: a name for the operation (default "RFFTND").

    Returns:
      A `Tcomplex` Tensor.
    """
    return _nd(_rfftnd, input, fft_length, axes, name, Tcomplex=_dtypes.as_dtype(Tcomplex))


def irfftnd(input, fft_length, axes, Treal=_dtypes.float32, name=None):
    """Computes the inverse of `rfftnd`: a real signal from its half spectrum (op IRFFTND).

    Args:
      input: a complex64 or complex128 Tensor, the half spectrum along the last of `axes`.
      fft_length: a 1-D int32 Tensor, the output's length along each of `axes`.
      axes: a 1-D int32 Tensor, the dimensions to transform.
      Treal: the output type, float32 or float64.
      name: a name for the operation (default "IRFFTND").

    Returns:
      A `Treal` Tensor.

    Raises:
      TypeError: `input` is not complex.
    """
    return _nd(_irfftnd, input, fft_length, axes, name, _complex_input,
               Treal=_dtypes.as_dtype(Treal))
