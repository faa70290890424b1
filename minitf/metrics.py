"""`tf.metrics`: TF1's streaming metrics.

Each metric keeps its running sums in local variables (collections LOCAL_VARIABLES and
METRIC_VARIABLES, named as TF names them, e.g. `accuracy/total:0`) and returns a pair: the
value over everything seen so far, and the update op that folds in one more batch and returns
the new value. Initialize the variables with `tf.local_variables_initializer()`.
"""
from minitf.framework import dtypes
from minitf.metrics_thresholds import (
    auc,
    false_negatives_at_thresholds,
    false_positives_at_thresholds,
    mean_iou,
    mean_per_class_accuracy,
    precision_at_thresholds,
    recall_at_thresholds,
    sensitivity_at_specificity,
    specificity_at_sensitivity,
    true_negatives_at_thresholds,
    true_positives_at_thresholds,
)
from minitf.metrics_topk import (
    average_precision_at_k,
    precision_at_k,
    precision_at_top_k,
    recall_at_k,
    recall_at_top_k,
    sparse_average_precision_at_k,
    sparse_precision_at_k,
)
from minitf.metrics_util import (
    COMMON_ARGS,
    broadcast,
    check_graph,
    metric_variable,
    publish,
    squeezed,
)
from minitf.ops._shared import identity, ones_like, zeros_like
from minitf.ops.array_ops import size
from minitf.ops.elementwise_ops import div_no_nan
from minitf.ops.manip_ops import where
from minitf.ops.math_ops import (
    abs,
    add,
    cast,
    equal,
    greater,
    less,
    logical_and,
    logical_not,
    maximum,
    multiply,
    sqrt,
    squared_difference,
    subtract,
    truediv,
)
from minitf.ops.reduction_ops import reduce_sum
from minitf.variable_ops import assign_add
from minitf.variable_scope import variable_scope

__all__ = [
    "accuracy", "auc", "false_negatives", "false_positives", "mean", "mean_absolute_error",
    "mean_iou",
    "mean_squared_error", "precision", "recall", "root_mean_squared_error", "true_negatives",
    "true_positives", "false_negatives_at_thresholds", "false_positives_at_thresholds",
    "precision_at_thresholds", "recall_at_thresholds", "true_negatives_at_thresholds",
    "true_positives_at_thresholds", "mean_cosine_distance", "mean_relative_error", "mean_tensor",
    "mean_per_class_accuracy", "percentage_below", "sensitivity_at_specificity",
    "specificity_at_sensitivity", "average_precision_at_k", "precision_at_k",
    "precision_at_top_k", "recall_at_k", "recall_at_top_k", "sparse_average_precision_at_k",
    "sparse_precision_at_k",
]


def mean(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """Computes the (weighted) mean of `values` over all the batches seen.

    Args:
      values: a Tensor of any shape.
{args}

    Returns:
      (mean, update_op): float32 scalars; `update_op` adds the batch to the `total` and
      `count` variables and returns the new mean.

    Raises:
      RuntimeError: when executing eagerly.
    """
    check_graph("mean")
    with variable_scope(name, "mean", [values, weights]):
        values = cast(values, dtypes.float32)
        total = metric_variable([], dtypes.float32, name="total")
        count = metric_variable([], dtypes.float32, name="count")
        if weights is None:
            num_values = cast(size(values), dtypes.float32)
        else:
            values, _, weights = squeezed(values, None, weights)
            weights = broadcast(weights, values)
            values = multiply(values, weights)
            num_values = reduce_sum(weights)
        value = div_no_nan(total, maximum(count, 0.0), name="value")
        update_total = assign_add(total, reduce_sum(values))
        # TF adds a control dependency on `values` here; num_values already depends on them
        update_count = assign_add(count, num_values)
        update_op = div_no_nan(update_total, maximum(update_count, 0.0), name="update_op")
        return publish(value, update_op, metrics_collections, updates_collections)


def accuracy(labels, predictions, weights=None, metrics_collections=None,
             updates_collections=None, name=None):
    """Computes how often `predictions` equal `labels`: the mean of their equality.

    Args:
      labels: the ground truth, of the predictions' shape.
      predictions: the predicted values (cast to the labels' dtype).
{args}

    Returns:
      (accuracy, update_op): float32 scalars, over the variables `accuracy/total` and
      `accuracy/count`.

    Raises:
      RuntimeError: when executing eagerly.

    >>> labels = tf.placeholder(tf.int32, [None])
    >>> acc, update = tf.metrics.accuracy(labels, [1, 0, 1])
    >>> with tf.Session() as sess:
    ...     sess.run(tf.local_variables_initializer())
    ...     print(sess.run(update, {labels: [1, 1, 1]}), sess.run(update, {labels: [0, 0, 1]}))
    0.6666667 0.6666667
    """
    check_graph("accuracy")
    predictions, labels, weights = squeezed(predictions, labels, weights)
    predictions.shape.assert_is_compatible_with(labels.shape)
    if labels.dtype != predictions.dtype:
        predictions = cast(predictions, labels.dtype)
    is_correct = cast(equal(predictions, labels), dtypes.float32)
    return mean(is_correct, weights, metrics_collections, updates_collections,
                name or "accuracy")


def _mean_of(kernel, default_name, labels, predictions, weights, metrics_collections,
             updates_collections, name):
    predictions, labels, weights = squeezed(predictions, labels, weights)
    predictions.shape.assert_is_compatible_with(labels.shape)
    errors = kernel(labels, predictions)  # no casts: TF's dtypes must match
    return mean(errors, weights, metrics_collections, updates_collections,
                name or default_name)


def mean_absolute_error(labels, predictions, weights=None, metrics_collections=None,
                        updates_collections=None, name=None):
    """Computes the mean of |predictions - labels| over all the batches seen.

    Args:
      labels: the ground truth, of the predictions' shape.
      predictions: the predicted values.
{args}

    Returns:
      (mean_absolute_error, update_op): float32 scalars.

    Raises:
      RuntimeError: when executing eagerly.
    """
    check_graph("mean_absolute_error")
    return _mean_of(lambda y, p: abs(subtract(p, y)), "mean_absolute_error", labels,
                    predictions, weights, metrics_collections, updates_collections, name)


def mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                       updates_collections=None, name=None):
    """Computes the mean of (predictions - labels)**2 over all the batches seen.

    Args:
      labels: the ground truth, of the predictions' shape.
      predictions: the predicted values.
{args}

    Returns:
      (mean_squared_error, update_op): float32 scalars.

    Raises:
      RuntimeError: when executing eagerly.
    """
    check_graph("mean_squared_error")
    return _mean_of(squared_difference, "mean_squared_error", labels, predictions, weights,
                    metrics_collections, updates_collections, name)


def root_mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                            updates_collections=None, name=None):
    """Computes the square root of the mean squared error over all the batches seen.

    Args:
      labels: the ground truth, of the predictions' shape.
      predictions: the predicted values.
{args}

    Returns:
      (root_mean_squared_error, update_op): float32 scalars.

    Raises:
      RuntimeError: when executing eagerly.
    """
    check_graph("root_mean_squared_error")
    mse, update_mse = _mean_of(squared_difference, "root_mean_squared_error", labels,
                               predictions, weights, None, None, name)
    return publish(sqrt(mse), sqrt(update_mse), metrics_collections, updates_collections)


def _count_condition(values, weights, metrics_collections, updates_collections):
    """Sums the (weighted) true `values` into a `count` variable."""
    count = metric_variable([], dtypes.float32, name="count")
    values = cast(values, dtypes.float32)
    if weights is not None:
        values = multiply(values, broadcast(weights, values))
    value = identity(count)
    update_op = assign_add(count, reduce_sum(values))
    return publish(value, update_op, metrics_collections, updates_collections)


def _counter(metric, label_is, prediction_is):
    """Makes tf.metrics.<metric>: counts where labels == label_is and predictions ==
    prediction_is."""
    def count(labels, predictions, weights=None, metrics_collections=None,
              updates_collections=None, name=None):
        check_graph(metric)
        with variable_scope(name, metric, [predictions, labels, weights]):
            predictions, labels, weights = squeezed(cast(predictions, dtypes.bool),
                                                     cast(labels, dtypes.bool), weights)
            y = labels if label_is else logical_not(labels)
            p = predictions if prediction_is else logical_not(predictions)
            return _count_condition(logical_and(y, p), weights, metrics_collections,
                                    updates_collections)
    what = (("true" if label_is == prediction_is else "false")
            + (" positives" if prediction_is else " negatives"))
    count.__name__ = count.__qualname__ = metric
    count.__doc__ = f"""Sums the weights of the {what}.

    Counted are the examples whose label is {label_is} and prediction {prediction_is}.

    Args:
      labels: the ground truth, cast to bool.
      predictions: the predictions, cast to bool.
{{args}}

    Returns:
      (value, update_op): float32 scalars over the variable `{metric}/count`.

    Raises:
      RuntimeError: when executing eagerly.
    """
    return count


true_positives = _counter("true_positives", True, True)
false_positives = _counter("false_positives", False, True)
true_negatives = _counter("true_negatives", False, False)
false_negatives = _counter("false_negatives", True, False)


def _ratio(metric, other, labels, predictions, weights, metrics_collections,
           updates_collections, name):
    """tp / (tp + other): precision (other = false_positives) or recall (false_negatives)."""
    check_graph(metric)
    with variable_scope(name, metric, [predictions, labels, weights]):
        predictions, labels, weights = squeezed(cast(predictions, dtypes.bool),
                                                 cast(labels, dtypes.bool), weights)
        tp, tp_update = true_positives(labels, predictions, weights)
        xp, xp_update = other(labels, predictions, weights)

        def ratio(t, x, name):
            both = add(t, x)
            return where(greater(both, 0.0), div_no_nan(t, both), zeros_like(both), name=name)
        return publish(ratio(tp, xp, "value"), ratio(tp_update, xp_update, "update_op"),
                        metrics_collections, updates_collections)


def precision(labels, predictions, weights=None, metrics_collections=None,
              updates_collections=None, name=None):
    """Computes the precision tp / (tp + fp) of bool-cast `predictions` against `labels`.

    Args:
      labels: the ground truth, cast to bool.
      predictions: the predictions, cast to bool.
{args}

    Returns:
      (precision, update_op): float32 scalars, 0 while nothing is predicted positive.

    Raises:
      RuntimeError: when executing eagerly.
    """
    return _ratio("precision", false_positives, labels, predictions, weights,
                  metrics_collections, updates_collections, name)


def recall(labels, predictions, weights=None, metrics_collections=None,
           updates_collections=None, name=None):
    """Computes the recall tp / (tp + fn) of bool-cast `predictions` against `labels`.

    Args:
      labels: the ground truth, cast to bool.
      predictions: the predictions, cast to bool.
{args}

    Returns:
      (recall, update_op): float32 scalars, 0 while no label is positive.

    Raises:
      RuntimeError: when executing eagerly.
    """
    return _ratio("recall", false_negatives, labels, predictions, weights,
                  metrics_collections, updates_collections, name)



def mean_relative_error(labels, predictions, normalizer, weights=None, metrics_collections=None,
                        updates_collections=None, name=None):
    """Computes the mean of |labels - predictions| / normalizer (0 where normalizer is 0).

    Args:
      labels: the ground truth, of the predictions' shape.
      predictions: the predicted values.
      normalizer: a Tensor of the predictions' shape to divide the errors by.
{args}

    Returns:
      (mean_relative_error, update_op): float32 scalars.

    Raises:
      RuntimeError: when executing eagerly.
    """
    check_graph("mean_relative_error")
    predictions, labels, weights = squeezed(predictions, labels, weights)
    predictions.shape.assert_is_compatible_with(labels.shape)
    predictions, normalizer, _ = squeezed(predictions, normalizer, None)
    relative = where(equal(normalizer, 0.0), zeros_like(labels),
                     div_no_nan(abs(subtract(labels, predictions)), normalizer))
    return mean(relative, weights, metrics_collections, updates_collections,
                name or "mean_relative_error")


def percentage_below(values, threshold, weights=None, metrics_collections=None,
                     updates_collections=None, name=None):
    """Computes the (weighted) fraction of `values` below `threshold`.

    Args:
      values: a numeric Tensor.
      threshold: the scalar to compare with.
{args}

    Returns:
      (percentage, update_op): float32 scalars, in [0, 1].

    Raises:
      RuntimeError: when executing eagerly.
    """
    check_graph("percentage_below")
    is_below = cast(less(values, threshold), dtypes.float32)
    return mean(is_below, weights, metrics_collections, updates_collections,
                name or "percentage_below_threshold")


def mean_cosine_distance(labels, predictions, dim, weights=None, metrics_collections=None,
                         updates_collections=None, name=None):
    """Computes the mean of 1 - sum(labels * predictions, dim), unit vectors assumed.

    Args:
      labels: the ground truth, of the predictions' shape.
      predictions: the predicted vectors.
      dim: the dimension the vectors lie along.
{args}

    Returns:
      (mean_distance, update_op): float32 scalars.

    Raises:
      RuntimeError: when executing eagerly.
    """
    check_graph("mean_cosine_distance")
    predictions, labels, weights = squeezed(predictions, labels, weights)
    predictions.shape.assert_is_compatible_with(labels.shape)
    radial = reduce_sum(multiply(predictions, labels), axis=[dim], keepdims=True)
    distance, update = mean(radial, weights, None, None, name or "mean_cosine_distance")
    return publish(subtract(1.0, distance), subtract(1.0, update), metrics_collections,
                   updates_collections)


def mean_tensor(values, weights=None, metrics_collections=None, updates_collections=None,
                name=None):
    """Computes the element-wise (weighted) mean of `values` over all the batches seen.

    Args:
      values: a Tensor of a fully defined shape.
{args}

    Returns:
      (mean, update_op): float32 Tensors of the values' shape, over the variables
      `total_tensor` and `count_tensor`.

    Raises:
      RuntimeError: when executing eagerly.
    """
    check_graph("mean_tensor")
    with variable_scope(name, "mean", [values, weights]):
        values = cast(values, dtypes.float32)
        total = metric_variable(values.shape, dtypes.float32, name="total_tensor")
        count = metric_variable(values.shape, dtypes.float32, name="count_tensor")
        num_values = ones_like(values)
        if weights is not None:
            values, _, weights = squeezed(values, None, weights)
            weights = broadcast(weights, values)
            values = multiply(values, weights)
            num_values = multiply(num_values, weights)

        def compute(t, c, name):  # cells never counted stay 0 rather than NaN
            return truediv(t, maximum(c, ones_like(c)), name=name)
        value = compute(total, count, "value")
        update_op = compute(assign_add(total, values), assign_add(count, num_values),
                            "update_op")
        return publish(value, update_op, metrics_collections, updates_collections)

for _f in (mean, accuracy, mean_absolute_error, mean_squared_error, root_mean_squared_error,
           true_positives, false_positives, true_negatives, false_negatives, precision, recall,
           mean_relative_error, percentage_below, mean_cosine_distance, mean_tensor):
    _f.__doc__ = _f.__doc__.replace("{args}", COMMON_ARGS)
