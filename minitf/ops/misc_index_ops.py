"""Counting and index math: bincount (DenseBincount), confusion_matrix, histogram_fixed_width_bins,
in_top_k (InTopKV2), unravel_index (UnravelIndex) and sobol_sample (SobolSample). The
approximate top k ops are in approx_topk_ops.py.
"""
import warnings

import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.api import control_dependencies, name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op
from minitf.ops import check_ops, math_ops as _math
from minitf.ops._shared import fmt, ones_like, shape_of
from minitf.ops.gather_scatter_ops import scatter_nd
from minitf.ops.manip_ops import concat, reshape, stack
from minitf.ops.misc_math_ops import _allowed_input
from minitf.ops.reduction_ops import reduce_max

__all__ = ["bincount", "confusion_matrix", "histogram_fixed_width_bins", "in_top_k",
           "unravel_index", "sobol_sample"]


def _invalid(message):
    return errors.InvalidArgumentError(None, None, message)


# -- bincount --------------------------------------------------------------------------------------
def _bincount_shape(input, size, weights, binary_output):
    n = constant_value(size)
    return (None,) if n is None else (int(n),)


@register_op("DenseBincount", shape=_bincount_shape, differentiable=False,
             dtype=lambda input, size, weights, binary_output: weights.dtype.base_dtype)
def _dense_bincount(input, size, weights, binary_output):
    if input.size and input.min() < 0:
        raise _invalid("Input arr must be non-negative!")
    if weights.size and weights.shape != input.shape:
        raise _invalid("`weights` must be the same shape as `arr` or a length-0 `Tensor`, in "
                       "which case it acts as all weights equal to 1.")
    keep = input < int(size)
    w = weights[keep] if weights.size else None
    counts = np.bincount(input[keep], weights=w, minlength=int(size))
    return (counts > 0 if binary_output else counts).astype(weights.dtype)


def _output_size(arr, value, minlength, maxlength):
    """max(arr) + 1 (0 for an empty arr), at least minlength, at most maxlength: a constant
    when arr's `value` is known (TF's shape inference folds it), else computed."""
    if value is not None:
        n = int(np.max(value)) + 1 if np.size(value) else 0
        n = n if minlength is None else max(n, int(minlength))
        return convert_to_tensor(n if maxlength is None else min(n, int(maxlength)),
                                 dtype=dtypes.int32)
    n = reduce_max(concat([arr, [-1]], 0)) + 1  # (0 for an empty arr)
    n = n if minlength is None else _math.maximum(n, minlength)
    return n if maxlength is None else _math.minimum(n, maxlength)


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=dtypes.int32):
    """Counts the occurrences of each value in an integer tensor (op DenseBincount).

    Args:
      arr: a Tensor of non-negative integers (any shape; floats are truncated).
      weights: a Tensor of arr's shape: each occurrence counts its weight (default 1).
      minlength: the output's least length.
      maxlength: the output's greatest length; larger values are not counted.
      dtype: the output's type without `weights` (with them, theirs).

    Returns:
      A 1-D Tensor of length max(arr) + 1, bounded by minlength and maxlength.

    Raises:
      minitf.errors.InvalidArgumentError: at run time, `arr` has a negative value, or
        `weights` is of another shape.

    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.math.bincount([1, 1, 3, 0])))
    [1 2 0 1]
    """
    with name_scope(None, "bincount", [arr, weights, minlength, maxlength]):
        arr = convert_to_tensor(arr, name="arr")
        static = constant_value(arr)
        arr = reshape(_math.cast(arr, dtypes.int32), [-1])
        if weights is None:
            weights = convert_to_tensor([], dtype=dtypes.as_dtype(dtype))
        else:
            weights = reshape(convert_to_tensor(weights, name="weights"), [-1])
        size = _output_size(arr, static, minlength, maxlength)
        return _dense_bincount.apply([arr, size, weights], name="DenseBincount",
                                     binary_output=False)


# -- confusion_matrix ------------------------------------------------------------------------------
def _checks(x, what, bound):
    checks = [check_ops.assert_non_negative(x, message=f"`{what}` contains negative values")]
    if bound is not None:
        checks.append(check_ops.assert_less(x, bound, message=f"`{what}` out of bound"))
    return checks


def _static_classes(labels, predictions, num_classes):
    """num_classes as a Python int when it or both id lists are constants (TF's shape
    inference folds them), else None."""
    if num_classes is not None:
        value = constant_value(num_classes) if isinstance(num_classes, Tensor) else num_classes
        return None if value is None else int(value)
    values = [constant_value(t) for t in (labels, predictions)]
    if any(v is None or not np.size(v) for v in values):
        return None
    return int(max(np.max(v) for v in values)) + 1


def confusion_matrix(labels, predictions, num_classes=None, dtype=dtypes.int32, name=None,
                     weights=None):
    """Computes the confusion matrix of `labels` and `predictions`.

    Entry [i, j] counts (or weighs) the examples of label i predicted as j.

    Args:
      labels, predictions: 1-D Tensors of class ids of one length.
      num_classes: the number of classes (default: 1 + the largest id).
      dtype: the matrix's type.
      name: a name scope (default "confusion_matrix").
      weights: a 1-D Tensor of predictions' length (default: all 1).

    Returns:
      A `dtype` Tensor of shape [num_classes, num_classes].

    Raises:
      minitf.errors.InvalidArgumentError: at run time, an id is negative or not less than
        `num_classes`.
    """
    with name_scope(name, "confusion_matrix", [predictions, labels, num_classes, weights]):
        dtype = dtypes.as_dtype(dtype)
        labels = convert_to_tensor(labels, name="labels")
        predictions = convert_to_tensor(predictions, name="predictions")
        n = _static_classes(labels, predictions, num_classes)
        labels, predictions = (_math.cast(t, dtypes.int64) for t in (labels, predictions))
        bound = None if num_classes is None else _math.cast(num_classes, dtypes.int64)
        checks = _checks(labels, "labels", bound) + _checks(predictions, "predictions", bound)
        if n is not None:
            shape = convert_to_tensor([n, n], dtype=dtypes.int64)
        elif bound is not None:
            shape = stack([bound, bound])
        else:
            top = _math.maximum(reduce_max(predictions), reduce_max(labels)) + 1
            shape = stack([top, top])
        if weights is None:
            updates = ones_like(predictions, dtype=dtype)
        else:
            updates = _math.cast(convert_to_tensor(weights, name="weights"), dtype)
        with control_dependencies(checks):  # (the checks run before the scatter)
            return scatter_nd(stack([labels, predictions], axis=1), updates, shape)


# -- histogram_fixed_width_bins --------------------------------------------------------------------
def histogram_fixed_width_bins(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """Gives each value the index of its bin among `nbins` equal bins over `value_range`.

    Values below the range go to bin 0, values at or above its end to bin nbins - 1.

    Args:
      values: a float Tensor.
      value_range: [low, high], of values' dtype.
      nbins: the number of bins, a positive int.
      dtype: the index type.
      name: a name for the operation (default "histogram_fixed_width_bins").

    Returns:
      A `dtype` Tensor of values' shape.

    Raises:
      TypeError: `values` is not float.
    """
    with name_scope(name, "histogram_fixed_width_bins", [values, value_range, nbins]):
        values = convert_to_tensor(values, name="values")
        if not values.dtype.is_floating:
            raise TypeError(f"histogram_fixed_width_bins needs float values, got "
                            f"{values.dtype.name}")
        shape = shape_of(values)
        flat = reshape(values, [-1])
        value_range = convert_to_tensor(value_range, name="value_range")
        n = _math.cast(convert_to_tensor(nbins, dtype=dtypes.int32, name="nbins"), values.dtype)
        scaled = (flat - value_range[0]) / (value_range[1] - value_range[0])
        bins = _math.clip_by_value(_math.floor(n * scaled), 0, n - 1)
        return reshape(_math.cast(bins, dtype), shape)


# -- in_top_k --------------------------------------------------------------------------------------
def _in_top_k_shape(predictions, targets, k):
    p, t = predictions._shape, targets._shape
    shapes = f"{fmt(p)}, {fmt(t)}, {fmt(k._shape)}"
    for x, rank in ((p, 2), (t, 1), (k._shape, 0)):
        if x is not None and len(x) != rank:
            raise ValueError(f"Shape must be rank {rank} but is rank {len(x)} for 'InTopKV2' "
                             f"with input shapes: {shapes}.")
    a, b = (p or (None,))[0], (t or (None,))[0]
    if None not in (a, b) and a != b:
        raise ValueError(f"Dimensions must be equal, but are {a} and {b} for 'InTopKV2' with "
                         f"input shapes: {shapes}.")
    return (a if a is not None else b,)


@register_op("InTopKV2", shape=_in_top_k_shape, differentiable=False,
             dtype=lambda predictions, targets, k: dtypes.bool)
def _in_top_k(predictions, targets, k):
    n = predictions.shape[1]
    valid = (targets >= 0) & (targets < n)
    rows = np.arange(len(targets))
    target = predictions[rows, np.where(valid, targets, 0)]
    above = (predictions > target[:, None]).sum(axis=1)
    return valid & np.isfinite(target) & (above < k)


def in_top_k(predictions, targets, k, name=None):
    """Says whether each target is among the `k` largest predictions of its row.

    It is when fewer than k predictions are strictly larger than the target's (ties count in
    its favour). A target out of range, or whose prediction is not finite, is not.

    Args:
      predictions: a float32 Tensor [batch, classes].
      targets: an int32 or int64 Tensor [batch] of class ids.
      k: a scalar of targets' dtype.
      name: a name scope (default "in_top_k").

    Returns:
      A bool Tensor [batch].

    Raises:
      ValueError: the ranks are wrong or the batch sizes differ.
    """
    with name_scope(name, "in_top_k"):
        predictions = (predictions if isinstance(predictions, Tensor) else
                       convert_to_tensor(predictions, dtype=dtypes.float32, name="predictions"))
        if predictions.dtype.base_dtype != dtypes.float32:
            raise TypeError(f"Input 'predictions' of 'InTopKV2' Op has type "
                            f"{predictions.dtype.base_dtype.name} that does not match expected "
                            "type of float32.")
        targets = convert_to_tensor(targets, name="targets") if not isinstance(
            targets, Tensor) else targets
        _allowed_input((dtypes.int32, dtypes.int64), "targets")(targets)
        if isinstance(k, Tensor) and k.dtype.base_dtype != targets.dtype.base_dtype:
            raise TypeError(f"Input 'k' of 'InTopKV2' Op has type {k.dtype.base_dtype.name} that "
                            f"does not match type {targets.dtype.base_dtype.name} of argument "
                            "'targets'.")
        k = convert_to_tensor(k, dtype=targets.dtype.base_dtype, name="k")
        return _in_top_k.apply([predictions, targets, k], name="InTopKV2")


# -- UnravelIndex ----------------------------------------------------------------------------------
def _unravel_shape(indices, dims):
    n = dims._shape[0] if dims._shape else None
    if indices._shape is None:
        return None
    if not indices._shape:
        return (n,)
    count = None if None in indices._shape else int(np.prod(indices._shape))
    return (n, count)


@register_op("UnravelIndex", shape=_unravel_shape, differentiable=False,
             dtype=lambda indices, dims: _allowed_input((dtypes.int32, dtypes.int64),
                                                        "indices")(indices))
def _unravel_index(indices, dims):
    if indices.ndim > 1:
        raise _invalid(f'The indices can only be scalar or vector, got "{fmt(indices.shape)}"')
    if indices.size and indices.max() >= np.prod(dims, dtype=np.int64):
        raise _invalid("index is out of bound as with dims")
    # C's truncating division and remainder, as TF's kernel (a negative index is not refused)
    coords, rest = [], indices.astype(np.int64)
    for d in dims[::-1]:
        coords.append(np.fmod(rest, d))
        rest = (rest - coords[-1]) // d
    return np.stack(coords[::-1]).astype(indices.dtype)


def unravel_index(indices, dims, name=None):
    """Converts flat indices into coordinates of an array of shape `dims` (row-major).

    Args:
      indices: an int32 or int64 scalar or vector.
      dims: a 1-D Tensor of indices' dtype, the array's shape.
      name: a name for the operation (default "UnravelIndex").

    Returns:
      A Tensor [len(dims)] (for a scalar) or [len(dims), len(indices)] of indices' dtype.

    Raises:
      minitf.errors.InvalidArgumentError: at run time, an index is not less than the product
        of `dims` (a negative one is not refused, as in TF), or indices has rank 2 or more.
    """
    indices = convert_to_tensor(indices, name="indices") if not isinstance(
        indices, Tensor) else indices
    dims = convert_to_tensor(dims, dtype=indices.dtype.base_dtype, name="dims")
    return _unravel_index.apply([indices, dims], name=name or "UnravelIndex")


# -- SobolSample -----------------------------------------------------------------------------------
def _sobol_shape(dim, num_results, skip, dtype):
    d, n = constant_value(dim), constant_value(num_results)
    return (None if n is None else int(n), None if d is None else int(d))


@register_op("SobolSample", shape=_sobol_shape, differentiable=False,
             dtype=lambda dim, num_results, skip, dtype: dtype)
def _sobol_sample(dim, num_results, skip, dtype):
    dim, n, skip = int(dim), int(num_results), int(skip)
    for bad, message in ((dim < 1, "dim must be at least one"),
                         (dim > 21200, "dim must be at most 21200"),
                         (n < 1, "num_results must be at least one"),
                         (skip < 0, "skip must be non-negative")):
        if bad:
            raise _invalid(message)
    from scipy.stats import qmc  # (slow to import: only when sampling)

    # TF's points are the unscrambled Joe-Kuo sequence after its first (all-zero) point
    engine = qmc.Sobol(dim, scramble=False)
    engine.fast_forward(skip + 1)
    with warnings.catch_warnings():  # (n need not be a power of 2 here)
        warnings.simplefilter("ignore", UserWarning)
        return engine.random(n).astype(dtype.as_numpy_dtype)


def sobol_sample(dim, num_results, skip=0, dtype=dtypes.float32, name=None):
    """Generates points of the (unscrambled) Sobol sequence in the unit cube [0, 1)^dim.

    Args:
      dim: the dimension, an int in [1, 21200].
      num_results: the number of points, a positive int.
      skip: how many points to skip first.
      dtype: float32 or float64.
      name: a name scope (default "sobol").

    Returns:
      A `dtype` Tensor [num_results, dim].

    Raises:
      TypeError: `dtype` is not float32 or float64.
      minitf.errors.InvalidArgumentError: at run time, an argument is out of range.
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype not in (dtypes.float32, dtypes.float64):
        raise TypeError(f"Value passed to parameter 'dtype' has DataType {dtype.name} not in "
                        "list of allowed values: float32, float64")
    with name_scope(name, "sobol", [dim, num_results, skip]):
        args = [convert_to_tensor(v, dtype=dtypes.int32, name=n) for v, n in (
            (dim, "dim"), (num_results, "num_results"), (skip, "skip"))]
        return _sobol_sample.apply(args, name="SobolSample", dtype=dtype)
