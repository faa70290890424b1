"""LinearOperatorCirculant, Circulant2D and Circulant3D: [nested block] circulant matrices
given by their spectrum (the DFT of the convolution kernel).

C = F^-1 diag(spectrum) F with F the (Kronecker product of) DFT matrices; minitf forms F
and F^-1 as constants and applies them with MatMul, so everything is differentiable by the
spectrum and no FFT op is needed. Static block sizes are needed.
"""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant
from minitf.framework.tensor_shape import TensorShape
from minitf.linear_operator import _util
from minitf.linear_operator.linear_operator import LinearOperator
from minitf.ops._shared import zeros_like
from minitf.ops.batch_matmul_ops import matmul
from minitf.ops.complex_ops import complex, conj, imag, real
from minitf.ops.manip_ops import expand_dims, reshape
from minitf.ops.math_ops import cast, log, multiply, reciprocal
from minitf.ops.reduction_ops import reduce_max, reduce_prod, reduce_sum

__all__ = ["LinearOperatorCirculant", "LinearOperatorCirculant2D", "LinearOperatorCirculant3D"]


def _dft(block_shape):
    """The DFT matrix of the row-major flattening of arrays of `block_shape`."""
    matrix = np.ones((1, 1))
    for n in block_shape:
        k = np.arange(n)
        matrix = np.kron(matrix, np.exp(-2j * np.pi * np.outer(k, k) / n))
    return matrix


def _to_complex(x):
    if x.dtype.is_complex:
        return x
    return complex(x, zeros_like(x))  # (Complex has a gradient; minitf's Cast to complex not)


class _BaseCirculant(LinearOperator):
    """The shared body: the `block_depth` innermost dims of the spectrum are the blocks'."""

    def __init__(self, spectrum, block_depth, input_output_dtype, is_non_singular,
                 is_self_adjoint, is_positive_definite, is_square, name, parameters):
        with name_scope(name, values=[spectrum]):
            self._spectrum = _util.to_tensor(spectrum, "spectrum")
            self._block_depth = block_depth
            _util.check_dtype(self._spectrum, "spectrum", (
                dtypes.float32, dtypes.float64, dtypes.complex64, dtypes.complex128))
            s = self._spectrum._shape
            if s is not None and len(s) < block_depth:
                raise ValueError(f"Argument `spectrum` must have at least {block_depth} "
                                 f"dimensions. Received: {self._spectrum}.")
            if not self._spectrum.dtype.is_complex:
                if is_self_adjoint is False:
                    raise ValueError(
                        "A real spectrum always corresponds to a self-adjoint operator. "
                        "Expected argument `is_self_adjoint` to be True when "
                        "`spectrum.dtype.is_complex` = True. Received: False.")
                is_self_adjoint = True
            if is_square is False:
                raise ValueError("A [[nested] block] circulant operator is always square. "
                                 f"Expected argument `is_square` to be True. Received: "
                                 f"{is_square}.")
            super().__init__(dtypes.as_dtype(input_output_dtype),
                             is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=True,
                             name=name, parameters=parameters)

    @property
    def spectrum(self):
        return self._spectrum

    @property
    def block_depth(self):
        return self._block_depth

    @property
    def block_shape(self):
        return TensorShape(self._spectrum._shape[-self._block_depth:])

    def block_shape_tensor(self):
        """The block shape as an int32 Tensor."""
        return constant(self.block_shape.as_list(), dtypes.int32)

    def _block_sizes(self):
        sizes = self._spectrum._shape[-self._block_depth:]
        if None in sizes:
            raise ValueError(f"minitf's {type(self).__name__} needs a static block shape.")
        return tuple(sizes)

    def _shape(self):
        s = self._spectrum._shape
        n = int(np.prod(self._block_sizes()))
        return tuple(s[:-self._block_depth]) + (n, n)

    def _flat_spectrum(self):
        s = self._spectrum._shape
        n = int(np.prod(self._block_sizes()))
        return reshape(_to_complex(self._spectrum), list(s[:-self._block_depth]) + [n])

    def _complex_dtype(self):
        return _to_complex(self._spectrum).dtype

    def _dense_of(self, spectrum):
        """F^-1 diag(spectrum) F, cast to the operator's dtype (the real part for a real one)."""
        f = _dft(self._block_sizes())
        dtype = self._complex_dtype().as_numpy_dtype
        forward = constant(f.astype(dtype))
        inverse = constant((f.conj().T / f.shape[0]).astype(dtype))
        dense = matmul(multiply(inverse, expand_dims(spectrum, -2)), forward)
        return self._cast(dense)

    def _cast(self, x):
        if self.dtype.is_complex:
            return cast(x, self.dtype)
        return cast(real(x), self.dtype)

    def _to_dense(self):
        return self._dense_of(self._flat_spectrum())

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return matmul(self._to_dense(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        inverse = self._dense_of(reciprocal(self._flat_spectrum()))
        return matmul(inverse, rhs, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _determinant(self):
        return self._cast(reduce_prod(self._flat_spectrum(), axis=-1))

    def _log_abs_determinant(self):
        return self._cast(reduce_sum(log(_util.modulus(self._flat_spectrum())), axis=-1))

    def _trace(self):
        return self._cast(reduce_sum(self._flat_spectrum(), axis=-1))

    def _diag_part(self):
        n = int(np.prod(self._block_sizes()))
        mean = reduce_sum(self._flat_spectrum(), axis=-1, keepdims=True) / float(n)
        return self._cast(multiply(mean, constant(np.ones(n, self._complex_dtype()
                                                          .as_numpy_dtype))))

    def _eigvals(self):
        return self._cast(self._flat_spectrum())

    def _inverse_operator(self):
        return type(self)(reciprocal(self._spectrum), input_output_dtype=self.dtype,
                          is_non_singular=self.is_non_singular,
                          is_self_adjoint=self.is_self_adjoint,
                          is_positive_definite=self.is_positive_definite, is_square=True,
                          name=self.name)

    def _adjoint_operator(self):
        spectrum = self._spectrum
        spectrum = conj(spectrum) if spectrum.dtype.is_complex else spectrum
        return type(self)(spectrum, input_output_dtype=self.dtype,
                          is_non_singular=self.is_non_singular,
                          is_self_adjoint=self.is_self_adjoint,
                          is_positive_definite=self.is_positive_definite, is_square=True,
                          name=self.name)

    def convolution_kernel(self, name="convolution_kernel"):
        """The convolution kernel: the inverse DFT of the spectrum, in the operator's dtype.

        Args:
          name: the name scope of the ops.
        """
        with self._name_scope(name):
            f = _dft(self._block_sizes())
            inverse = constant((f.conj().T / f.shape[0]).astype(
                self._complex_dtype().as_numpy_dtype))
            kernel = matmul(inverse, expand_dims(self._flat_spectrum(), -1))[..., 0]
            shape = list(self._spectrum._shape)
            return cast(reshape(kernel, shape), self.dtype)

    def assert_hermitian_spectrum(self, name="assert_hermitian_spectrum"):
        """An op that fails at run time unless the spectrum is Hermitian (a real kernel).

        Args:
          name: the name scope of the ops.
        """
        with self._name_scope(name):
            kernel = self.convolution_kernel() if self.dtype.is_complex else None
            if kernel is None:
                return _util.assert_that(True, "")
            return _util.assert_that(reduce_max(_util.modulus(imag(kernel))) <= 1e-5,
                                     "Spectrum was not Hermitian")


def _init(cls, depth, default_name):
    def __init__(self, spectrum, input_output_dtype=dtypes.complex64, is_non_singular=None,
                 is_self_adjoint=None, is_positive_definite=None, is_square=True,
                 name=default_name):
        parameters = dict(spectrum=spectrum, input_output_dtype=input_output_dtype,
                          is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          name=name)
        _BaseCirculant.__init__(self, spectrum, depth, input_output_dtype, is_non_singular,
                                is_self_adjoint, is_positive_definite, is_square, name,
                                parameters)
    __init__.__doc__ = cls.__doc__
    cls.__init__ = __init__
    return cls


class LinearOperatorCirculant(_BaseCirculant):
    """Circulant matrices [..., N, N] given by their spectrum [..., N].

    Args:
      spectrum: a float or complex Tensor [..., N] (a real one means a self-adjoint operator).
      input_output_dtype: the operator's dtype (default complex64; a real dtype takes the
        real part, exact for a Hermitian spectrum).
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints.
      name: the operator's name (default "LinearOperatorCirculant").

    Raises:
      TypeError: the spectrum has another dtype.
      ValueError: the spectrum's rank is too small, or a hint contradicts.
    """


class LinearOperatorCirculant2D(_BaseCirculant):
    """Block circulant matrices with circulant blocks, given by their 2-D spectrum.

    The matrices are [..., N0 * N1, N0 * N1] for a spectrum [..., N0, N1].

    Args:
      spectrum: a float or complex Tensor [..., N0, N1] (a real one means a self-adjoint
        operator).
      input_output_dtype: the operator's dtype (default complex64; a real dtype takes the
        real part, exact for a Hermitian spectrum).
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints.
      name: the operator's name (default "LinearOperatorCirculant2D").

    Raises:
      TypeError: the spectrum has another dtype.
      ValueError: the spectrum's rank is too small, or a hint contradicts.
    """


class LinearOperatorCirculant3D(_BaseCirculant):
    """Doubly nested block circulant matrices, given by their 3-D spectrum.

    The matrices are [..., N0 * N1 * N2, N0 * N1 * N2] for a spectrum [..., N0, N1, N2].

    Args:
      spectrum: a float or complex Tensor [..., N0, N1, N2] (a real one means a self-adjoint
        operator).
      input_output_dtype: the operator's dtype (default complex64; a real dtype takes the
        real part, exact for a Hermitian spectrum).
      is_non_singular, is_self_adjoint, is_positive_definite, is_square: the hints.
      name: the operator's name (default "LinearOperatorCirculant3D").

    Raises:
      TypeError: the spectrum has another dtype.
      ValueError: the spectrum's rank is too small, or a hint contradicts.
    """


_init(LinearOperatorCirculant, 1, "LinearOperatorCirculant")
_init(LinearOperatorCirculant2D, 2, "LinearOperatorCirculant2D")
_init(LinearOperatorCirculant3D, 3, "LinearOperatorCirculant3D")
