"""Statistics and norms built from other ops, as TF builds them (math_ops, linalg_ops, nn_impl):
reduce_logsumexp, reduce_variance, reduce_std, count_nonzero, norm, moments and l2_normalize.

They register no op types: each is a small graph of primitives under TF's name scope, so their
gradients are the primitives' and their output names are TF's (`norm/Squeeze`, ...).
"""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.ops._shared import shape_of, zeros_like
from minitf.ops.array_ops import stop_gradient
from minitf.ops.complex_ops import conj, real
from minitf.ops.linalg_decomp_ops import svd
from minitf.ops.manip_ops import expand_dims, reshape, squeeze, transpose, where
from minitf.ops.math_ops import (
    abs,
    add,
    cast,
    exp,
    less,
    log,
    maximum,
    multiply,
    not_equal,
    pow,
    rsqrt,
    sqrt,
    square,
    squared_difference,
)
from minitf.ops.reduction_ops import reduce_max, reduce_mean, reduce_sum

__all__ = ["reduce_logsumexp", "reduce_variance", "reduce_std", "count_nonzero", "norm",
           "moments", "l2_normalize"]


def _keep(keepdims, keep_dims):
    """TF1's keepdims with its old alias keep_dims, False when neither is given."""
    return bool(keep_dims if keepdims is None and keep_dims is not None else keepdims)


def reduce_logsumexp(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                     keep_dims=None):
    """Computes log(sum(exp(elements))) across dimensions of a tensor, without overflow.

    The largest element is subtracted before exp (0 where it is not finite), as in TF.

    Args:
      input_tensor: the Tensor (or value) to reduce, of a float type.
      axis: the dimensions to reduce (None: all); negative ones count from the end.
      keepdims: if True, the reduced dimensions are kept with size 1.
      name: a name for the operation (default "ReduceLogSumExp").
      reduction_indices: TF1's old name for `axis`.
      keep_dims: TF1's old name for `keepdims`.

    Returns:
      A Tensor of input_tensor's dtype, reduced.

    Raises:
      TypeError: the dtype is not a float one.
      ValueError: an axis is out of range.
    """
    axis = reduction_indices if axis is None else axis
    keepdims = _keep(keepdims, keep_dims)
    with name_scope(name, "ReduceLogSumExp", [input_tensor]) as scope:
        x = convert_to_tensor(input_tensor)
        raw_max = reduce_max(x, axis, keepdims=True)
        finite = less(abs(raw_max), np.inf)
        top = stop_gradient(where(finite, raw_max, zeros_like(raw_max)))
        result = log(reduce_sum(exp(x - top), axis, keepdims=keepdims))
        if not keepdims:
            top = reshape(top, shape_of(result))
        return add(result, top, name=scope)


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the variance of elements across dimensions of a tensor.

    The variance is the mean of the squared deviations from the mean.

    Args:
      input_tensor: the Tensor (or value) to reduce, of a float type.
      axis: the dimensions to reduce (None: all); negative ones count from the end.
      keepdims: if True, the reduced dimensions are kept with size 1.
      name: a name for the operation (default "reduce_variance").

    Returns:
      A Tensor of input_tensor's dtype, reduced; real for a complex input (float32 for
      complex64, float64 for complex128): the mean of |x - mean|^2.

    Raises:
      TypeError: the input is an integer tensor (TF's "must be either real or complex").
    """
    with name_scope(name, "reduce_variance", [input_tensor]):
        x = convert_to_tensor(input_tensor)
        means = reduce_mean(x, axis=axis, keepdims=True)
        if not (means.dtype.is_floating or means.dtype.is_complex):
            raise TypeError("Input must be either real or complex")
        diff = x - means
        if diff.dtype.is_complex:  # |diff|^2 as conj(diff) * diff, as TF
            squared = real(multiply(conj(diff), diff))
        else:
            squared = square(diff)
        return reduce_mean(squared, axis=axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the standard deviation of elements across dimensions of a tensor.

    Args:
      input_tensor: the Tensor (or value) to reduce, of a float type.
      axis: the dimensions to reduce (None: all); negative ones count from the end.
      keepdims: if True, the reduced dimensions are kept with size 1.
      name: a name for the operation (default "reduce_std").

    Returns:
      A Tensor of input_tensor's dtype (its real dtype if complex), reduced: sqrt of
      reduce_variance.

    Raises:
      TypeError: the input is an integer tensor.
    """
    with name_scope(name, "reduce_std", [input_tensor]):
        return sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims))


def count_nonzero(input_tensor=None, axis=None, keepdims=None, dtype=dtypes.int64, name=None,
                  reduction_indices=None, keep_dims=None, input=None):
    """Computes the number of nonzero elements across dimensions of a tensor.

    Args:
      input_tensor: the Tensor (or value) to count in: numeric, bool or string (nonzero is
        non-empty).
      axis: the dimensions to reduce (None: all); negative ones count from the end.
      keepdims: if True, the reduced dimensions are kept with size 1.
      dtype: the output dtype (default int64).
      name: a name for the operation (default "count_nonzero").
      reduction_indices: TF1's old name for `axis`.
      keep_dims: TF1's old name for `keepdims`.
      input: TF1's old name for `input_tensor`.

    Returns:
      The counts, a Tensor of `dtype`.

    Raises:
      ValueError: an axis is out of range.
    """
    input_tensor = input if input_tensor is None else input_tensor
    axis = reduction_indices if axis is None else axis
    keepdims = _keep(keepdims, keep_dims)
    with name_scope(name, "count_nonzero", [input_tensor]):
        x = convert_to_tensor(input_tensor, name="input")
        zero = np.zeros((), x.dtype.base_dtype.as_numpy_dtype)
        nonzero = cast(not_equal(x, zero), dtypes.int64)
        return cast(reduce_sum(nonzero, axis=axis, keepdims=keepdims), dtype=dtype)


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """Computes the mean and variance of `x` over `axes`.

    float16 inputs are computed in float32 and cast back, as TF does; the variance does not
    differentiate through the mean (TF's stop_gradient).

    Args:
      x: a Tensor (or value) of a float type.
      axes: a list of the dimensions to compute the moments over.
      shift: unused (TF1 ignores it too).
      name: a name for the operation (default "moments").
      keep_dims: TF1's old name for `keepdims`.
      keepdims: if True, the reduced dimensions are kept with size 1.

    Returns:
      (mean, variance), two Tensors of x's dtype.

    Raises:
      ValueError: an axis is out of range.
    """
    keepdims = _keep(keepdims, keep_dims)
    with name_scope(name, "moments", [x, axes]):
        x = convert_to_tensor(x)
        y = cast(x, dtypes.float32) if x.dtype.base_dtype == dtypes.float16 else x
        mean = reduce_mean(y, axes, keepdims=True, name="mean")
        variance = reduce_mean(squared_difference(y, stop_gradient(mean)), axes, keepdims=True,
                               name="variance")
        if not keepdims:
            mean, variance = squeeze(mean, axes), squeeze(variance, axes)
        if x.dtype.base_dtype == dtypes.float16:
            return cast(mean, dtypes.float16), cast(variance, dtypes.float16)
        return mean, variance


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """Normalizes `x` along `axis` to unit L2 norm: x / sqrt(max(sum(x ** 2), epsilon)).

    Args:
      x: a Tensor (or value) of a float type.
      axis: the dimensions to normalize along (None: all).
      epsilon: the lower bound of the sum of squares (guards division by zero).
      name: a name for the operation (default "l2_normalize").
      dim: TF1's old name for `axis`.

    Returns:
      A Tensor of x's shape and dtype.

    Raises:
      ValueError: an axis is out of range.
    """
    axis = dim if axis is None else axis
    with name_scope(name, "l2_normalize", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        square_sum = reduce_sum(square(x), axis, keepdims=True)
        inv_norm = rsqrt(maximum(square_sum, epsilon))
        return multiply(x, inv_norm, name=scope)


_VECTOR_ORDS = ("euclidean", 1, 2, np.inf)
_MATRIX_ORDS = ("euclidean", "fro", 1, 2, np.inf)


def _norm_axes(axis, ord):
    """(axis, is_matrix_norm), checked as TF's norm checks them."""
    if isinstance(axis, (tuple, list)) and len(axis) == 1:
        axis = axis[0]
    if isinstance(axis, (tuple, list)):
        if len(axis) != 2 or axis[0] == axis[1]:
            raise ValueError("'axis' must be None, an integer, or a tuple of 2 unique integers, "
                             f"got {tuple(axis)}")
        if ord not in _MATRIX_ORDS:
            raise ValueError(f"'ord' must be a supported matrix norm in {list(_MATRIX_ORDS)}, "
                             f"got {ord}")
        return tuple(axis), True
    if not (axis is None or isinstance(axis, (int, np.integer))):
        raise ValueError("'axis' must be None, an integer, or a tuple of 2 unique integers, "
                         f"got {axis}")
    if ord not in _VECTOR_ORDS and (isinstance(ord, str) or not np.isreal(ord) or ord <= 0):
        raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    return axis, False


def _spectral_norm(x, axis):
    """The matrix 2-norm over the axis pair: the largest singular value, dimensions kept."""
    if x._shape is None:
        raise ValueError("minitf: the matrix 2-norm needs the input's rank known when the graph "
                         "is built.")
    rank = len(x._shape)
    pair = [a % rank for a in axis]
    perm = [i for i in range(rank) if i not in pair] + pair
    top = reduce_max(abs(svd(transpose(x, perm), compute_uv=False)), -1, keepdims=True)
    return transpose(expand_dims(top, -1), np.argsort(perm).tolist())


def _norm_kept(x, ord, axis, matrix):
    """The norm with the reduced dimensions kept (TF's graph before its final squeeze)."""
    if matrix and ord == 2:
        return _spectral_norm(x, axis)
    if ord in ("fro", "euclidean", 2, 2.0):
        return sqrt(reduce_sum(x * x, axis, keepdims=True))
    result = abs(x)
    if matrix and ord in (1, np.inf):  # max over one axis of the sums over the other
        sum_axis, max_axis = (axis[-2], axis[-1]) if ord == 1 else (axis[-1], axis[-2])
        return reduce_max(reduce_sum(result, sum_axis, keepdims=True), max_axis, keepdims=True)
    if ord == 1:
        return reduce_sum(result, axis, keepdims=True)
    if ord == np.inf:
        return reduce_max(result, axis, keepdims=True)
    return pow(reduce_sum(pow(result, ord), axis, keepdims=True), 1.0 / ord)


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None, keep_dims=None):
    """Computes the vector or matrix norm of `tensor`.

    A vector norm is over all of `tensor` or along `axis`, a matrix norm over the two
    dimensions of an `axis` pair.
    Vector norms: 'euclidean' (= 2), 1, np.inf and any p > 0. Matrix norms: 'fro' (=
    'euclidean'), 1 (the largest column sum of |x|), np.inf (the largest row sum) and 2 (the
    largest singular value, through Svd).

    Args:
      tensor: a Tensor (or value) of a float type.
      ord: the order of the norm.
      axis: None (the whole tensor as one vector), an int, or a pair of ints (a matrix norm).
      keepdims: if True, the reduced dimensions are kept with size 1.
      name: a name for the operation (default "norm").
      keep_dims: TF1's old name for `keepdims`.

    Returns:
      A Tensor of tensor's dtype: the norms.

    Raises:
      ValueError: `axis` or `ord` is not one TF's norm takes, or the matrix 2-norm is asked of
        an input of unknown rank.
    """
    keepdims = _keep(keepdims, keep_dims)
    axis, matrix = _norm_axes(axis, ord)
    with name_scope(name, "norm", [tensor]):
        x = convert_to_tensor(tensor)
        result = _norm_kept(x, ord, axis, matrix)
        return result if keepdims else squeeze(result, axis)
