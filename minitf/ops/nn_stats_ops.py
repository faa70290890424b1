"""tf.nn's statistics helpers, composed as TF composes them: sufficient_statistics and
normalize_moments (moments from sums), batch_norm_with_global_normalization, and the
distribution-aware loss scalings compute_average_loss and scale_regularization_loss (minitf
runs one replica, so the global batch is the local one).
"""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import control_dependencies, name_scope
from minitf.framework.constant_op import constant, convert_to_tensor
from minitf.ops import manip_ops, math_ops
from minitf.ops._shared import shape as _shape
from minitf.ops.array_ops import rank
from minitf.ops.check_ops import assert_greater_equal, assert_non_negative
from minitf.ops.check_shape_ops import assert_integer, assert_scalar
from minitf.ops.elementwise_ops import div_no_nan
from minitf.ops.nn_norm_ops import batch_normalization
from minitf.ops.reduction_ops import reduce_prod, reduce_sum

__all__ = ["sufficient_statistics", "normalize_moments", "batch_norm_with_global_normalization",
           "compute_average_loss", "scale_regularization_loss"]


def _one_of(new, new_value, old, old_value):
    if new_value is not None and old_value is not None:
        raise ValueError(f"Cannot specify both '{old}' and '{new}'.")
    return new_value if new_value is not None else old_value


# -- moments and normalization ---------------------------------------------------------------------
def sufficient_statistics(x, axes, shift=None, keep_dims=None, name=None, keepdims=None):
    """The sufficient statistics of the mean and variance of `x` over `axes`.

    Args:
      x: a Tensor.
      axes: the axes (a list of ints; repeats count once).
      shift: None, or a scalar or Tensor the sums are taken relative to.
      keep_dims: the deprecated other name of `keepdims`.
      name: a name scope (default "sufficient_statistics").
      keepdims: whether the sums keep the reduced dimensions (size 1).

    Returns:
      The tuple (count, mean_ss, variance_ss, shift): the number of elements summed (x's
      dtype), the sum of `x - shift`, the sum of `(x - shift) ** 2`, and `shift` (or None).

    Raises:
      ValueError: both `keep_dims` and `keepdims` are given.
    """
    axes = sorted(set(axes))
    keepdims = bool(_one_of("keepdims", keepdims, "keep_dims", keep_dims))
    with name_scope(name, "sufficient_statistics", [x, shift]):
        x = convert_to_tensor(x, name="x")
        dims = x.shape.as_list() if x.shape.ndims is not None else None
        if dims is not None and all(dims[d] is not None for d in axes):
            counts = constant(int(np.prod([dims[d] for d in axes])), dtype=x.dtype)
        else:  # known when it runs
            rank_ = rank(x)
            positive = [a + rank_ if a < 0 else a for a in axes]
            sizes = manip_ops.gather(math_ops.cast(_shape(x), x.dtype), positive)
            counts = reduce_prod(sizes, name="count")
        if shift is not None:
            shift = convert_to_tensor(shift, name="shift")
            m_ss, v_ss = math_ops.subtract(x, shift), math_ops.squared_difference(x, shift)
        else:
            m_ss, v_ss = x, math_ops.square(x)
        m_ss = reduce_sum(m_ss, axes, keepdims=keepdims, name="mean_ss")
        v_ss = reduce_sum(v_ss, axes, keepdims=keepdims, name="var_ss")
    return counts, m_ss, v_ss, shift


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """The mean and variance from sufficient statistics (those of `sufficient_statistics`).

    Args:
      counts: the number of elements summed, a Tensor.
      mean_ss: the sum of `x - shift`.
      variance_ss: the sum of `(x - shift) ** 2`.
      shift: None, or the shift the sums were taken relative to.
      name: a name scope (default "normalize").

    Returns:
      The tuple (mean, variance).
    """
    with name_scope(name, "normalize", [counts, mean_ss, variance_ss, shift]):
        divisor = math_ops.reciprocal(counts, name="divisor")
        if shift is not None:
            shifted = math_ops.multiply(mean_ss, divisor, name="shifted_mean")
            mean = math_ops.add(shifted, shift, name="mean")
        else:
            shifted = mean = math_ops.multiply(mean_ss, divisor, name="mean")
        variance = math_ops.subtract(math_ops.multiply(variance_ss, divisor),
                                     math_ops.square(shifted), name="variance")
    return mean, variance


def batch_norm_with_global_normalization(t=None, m=None, v=None, beta=None, gamma=None,
                                         variance_epsilon=None, scale_after_normalization=None,
                                         name=None, input=None, mean=None, variance=None):
    """Batch normalization with given statistics (TF's older batch_normalization).

    It is `batch_normalization` with `gamma` as the scale only if `scale_after_normalization`.

    Args:
      t: the input Tensor.
      m: the mean, a 1-D Tensor of the last dimension's size.
      v: the variance, like `m`.
      beta: the offset, like `m`.
      gamma: the scale, like `m` (used if `scale_after_normalization`).
      variance_epsilon: a small float added to the variance.
      scale_after_normalization: whether to multiply by `gamma`.
      name: a name scope (default "batchnorm").
      input: another name for `t`.
      mean: another name for `m`.
      variance: another name for `v`.

    Returns:
      The normalized Tensor.

    Raises:
      ValueError: an argument is given under both its names.
    """
    t = _one_of("input", input, "t", t)
    m = _one_of("mean", mean, "m", m)
    v = _one_of("variance", variance, "v", v)
    return batch_normalization(t, m, v, beta, gamma if scale_after_normalization else None,
                               variance_epsilon, name)


# -- loss scaling (one replica) --------------------------------------------------------------------
def _rank_checked(loss):
    if loss.shape.ndims == 0:
        raise ValueError("Invalid value passed for `per_example_loss`. Expected a tensor with at "
                         f"least rank 1. Received per_example_loss={loss} with rank 0")
    if loss.shape.ndims is not None:
        return []
    return [assert_greater_equal(rank(loss), math_ops.cast(1, dtypes.int32), message=(
        "Invalid value passed for `per_example_loss`. Expected a tensor with at least rank 1."))]


def _weighted(loss, weight):
    # as TF's scale_losses_by_sample_weight: float32, the weight's rank matched to the loss's
    loss = math_ops.cast(loss, dtypes.float32)
    weight = math_ops.cast(convert_to_tensor(weight), dtypes.float32)
    lr, wr = loss.shape.ndims, weight.shape.ndims
    if None not in (lr, wr) and wr == lr - 1 and wr > 0:
        weight = manip_ops.expand_dims(weight, -1)
    elif None not in (lr, wr) and wr == lr + 1 and weight.shape[-1] == 1:
        weight = manip_ops.squeeze(weight, [-1])
    return math_ops.multiply(loss, weight)


def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None):
    """The sum of the (weighted) per-example losses divided by the global batch size.

    minitf runs one replica, so the default global batch size is the first dimension's size.

    Args:
      per_example_loss: a Tensor of rank at least 1.
      sample_weight: None, or weights broadcastable to the loss (the product is float32, as
        TF's).
      global_batch_size: None, or a non-negative integer scalar.

    Returns:
      A scalar of the loss's dtype (0 when the batch size is 0).

    Raises:
      ValueError: the loss is a scalar, or `global_batch_size` is not a non-negative scalar.
      TypeError: `global_batch_size` is not an integer.
    """
    per_example_loss = convert_to_tensor(per_example_loss)
    dtype = per_example_loss.dtype.base_dtype
    with control_dependencies(_rank_checked(per_example_loss)):
        if sample_weight is not None:
            per_example_loss = _weighted(per_example_loss, sample_weight)
        per_example_loss = math_ops.cast(per_example_loss, dtype)
        if global_batch_size is None:
            global_batch_size = _shape(per_example_loss)[0]
            global_batch_size.set_shape([])  # (one entry of a vector: a scalar, as TF knows)
        # (TF's checks run only when they fail at graph building: nothing depends on them)
        assert_scalar(global_batch_size, message="global_batch_size must be scalar.")
        assert_integer(global_batch_size, message="global_batch_size must be an integer.")
        assert_non_negative(global_batch_size, message="global_batch_size must be non-negative.")
        loss = reduce_sum(per_example_loss)
        return div_no_nan(loss, math_ops.cast(global_batch_size, dtype))


def scale_regularization_loss(regularization_loss):
    """The regularization loss summed and divided by the number of replicas (1 in minitf).

    Args:
      regularization_loss: a Tensor.

    Returns:
      A scalar Tensor.
    """
    return math_ops.truediv(reduce_sum(regularization_loss), 1)
