"""`tf.metrics` over thresholds and classes: auc, mean_iou and the counts at thresholds."""
from minitf.framework import dtypes
from minitf.framework.constant_op import constant, convert_to_tensor
from minitf.metrics_util import (
    COMMON_ARGS,
    broadcast,
    check_graph,
    metric_variable,
    publish,
    squeezed,
)
from minitf.ops._shared import identity, ones_like
from minitf.ops.elementwise_ops import div_no_nan
from minitf.ops.manip_ops import reshape, where
from minitf.ops.math_ops import (
    add,
    cast,
    equal,
    greater,
    log,
    logical_and,
    logical_not,
    maximum,
    minimum,
    multiply,
    not_equal,
    subtract,
    truediv,
)
from minitf.ops.misc_array_ops import diag_part
from minitf.ops.misc_index_ops import confusion_matrix
from minitf.ops.reduction_ops import argmax, argmin, reduce_mean, reduce_min, reduce_sum
from minitf.ops.scan_ops import cumsum
from minitf.ops.scatter_ops import scatter_add
from minitf.variable_ops import assign_add
from minitf.variable_scope import variable_scope

_KEPSILON = 1e-7  # the end thresholds sit this far outside [0, 1]


def _thresholds(num_thresholds):
    inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return [0.0 - _KEPSILON] + inner + [1.0 + _KEPSILON]


_COUNTS = (("tp", "true_positives", True, True), ("fn", "false_negatives", True, False),
           ("tn", "true_negatives", False, False), ("fp", "false_positives", False, True))


def _confusion_at_thresholds(labels, predictions, thresholds, weights,
                             includes=("tp", "fn", "tn", "fp")):
    """Adds the counts `includes` (float32 [num_thresholds] variables) and their updates."""
    predictions, labels, weights = squeezed(cast(predictions, dtypes.float32),
                                             cast(labels, dtypes.bool), weights)
    above = greater(reshape(predictions, [1, -1]), reshape(constant(thresholds), [-1, 1]))
    label_true = reshape(labels, [1, -1])
    w = None if weights is None else reshape(broadcast(weights, predictions), [1, -1])
    values, updates = {}, {}
    for key, name, y, p in _COUNTS:
        if key not in includes:
            continue
        var = metric_variable([len(thresholds)], dtypes.float32, name=name)
        hit = logical_and(label_true if y else logical_not(label_true),
                          above if p else logical_not(above))
        hit = cast(hit, dtypes.float32)
        if w is not None:
            hit = multiply(hit, w)
        values[key] = var
        updates[key] = assign_add(var, reduce_sum(hit, 1))
    return values, updates


def _interpolated_pr_auc(tp, fn, fp, n, name):
    """The PR area with precision interpolated between thresholds (Davis & Goadrich 2006)."""
    dtp = subtract(tp[:n - 1], tp[1:])
    p = add(tp, fp)
    prec_slope = div_no_nan(dtp, maximum(subtract(p[:n - 1], p[1:]), 0.0), name="prec_slope")
    intercept = subtract(tp[1:], multiply(prec_slope, p[1:]))
    safe_p_ratio = where(logical_and(greater(p[:n - 1], 0.0), greater(p[1:], 0.0)),
                         div_no_nan(p[:n - 1], maximum(p[1:], 0.0),
                                    name="recall_relative_ratio"),
                         ones_like(p[1:]))
    increment = div_no_nan(multiply(prec_slope, add(dtp, multiply(intercept, log(safe_p_ratio)))),
                           maximum(add(tp[1:], fn[1:]), 0.0), name="pr_auc_increment")
    return reduce_sum(increment, name=name)


def _area(c, n, curve, summation_method, name):
    """The area under the ROC or PR curve drawn by the confusion counts `c` (a dict)."""
    epsilon = 1.0e-6
    tp, fn, tn, fp = c["tp"], c["fn"], c["tn"], c["fp"]
    if curve == "PR" and summation_method == "careful_interpolation":
        return _interpolated_pr_auc(tp, fn, fp, n, name)
    rec = div_no_nan(add(tp, epsilon), add(add(tp, fn), epsilon))
    if curve == "ROC":
        x, y = div_no_nan(fp, add(add(fp, tn), epsilon)), rec
    else:
        x, y = rec, div_no_nan(add(tp, epsilon), add(add(tp, fp), epsilon))
    dx = subtract(x[:n - 1], x[1:])
    if summation_method == "minoring":
        height = minimum(y[:n - 1], y[1:])
    elif summation_method == "majoring":
        height = maximum(y[:n - 1], y[1:])
    else:  # trapezoidal
        height = multiply(add(y[:n - 1], y[1:]), 0.5)
    return reduce_sum(multiply(dx, height), name=name)


def auc(labels, predictions, weights=None, num_thresholds=200, metrics_collections=None,
        updates_collections=None, curve="ROC", name=None, summation_method="trapezoidal",
        thresholds=None):
    """Computes the area under the ROC or precision-recall curve by a Riemann sum.

    The curve is sampled at `num_thresholds` thresholds spread evenly over [0, 1].

    Args:
      labels: the ground truth, cast to bool.
      predictions: probabilities in [0, 1], of the labels' shape.
{args}
      num_thresholds: how many thresholds (> 1).
      curve: "ROC" or "PR".
      summation_method: "trapezoidal" (the default), "careful_interpolation" (for PR, the
        precision interpolated between thresholds; ROC takes it as trapezoidal), "minoring"
        or "majoring".
      thresholds: an explicit list of thresholds in [0, 1] instead of `num_thresholds`.

    Returns:
      (auc, update_op): float32 scalars, over the [num_thresholds] variables
      `auc/true_positives`, `false_negatives`, `true_negatives` and `false_positives`.

    Raises:
      ValueError: for an unknown curve or summation method.
      RuntimeError: when executing eagerly.
    """
    check_graph("auc")
    if curve not in ("ROC", "PR"):
        raise ValueError(f'Curve must be either ROC or PR. Curve {curve} is unknown.')
    if summation_method not in ("trapezoidal", "careful_interpolation", "minoring",
                                "majoring"):
        raise ValueError(f"Invalid summation_method: {summation_method}.")
    with variable_scope(name, "auc", [labels, predictions, weights]):
        if thresholds is not None:
            thresholds = [0.0 - _KEPSILON] + sorted(thresholds) + [1.0 + _KEPSILON]
        else:
            thresholds = _thresholds(num_thresholds)
        n = len(thresholds)
        values, updates = _confusion_at_thresholds(labels, predictions, thresholds, weights)
        value = _area(values, n, curve, summation_method, "value")
        update_op = _area(updates, n, curve, summation_method, "update_op")
        return publish(value, update_op, metrics_collections, updates_collections)


def mean_iou(labels, predictions, num_classes, weights=None, metrics_collections=None,
             updates_collections=None, name=None):
    """Computes the mean intersection-over-union over the classes seen in a confusion matrix.

    IOU = true_positive / (true_positive + false_positive + false_negative) for each class;
    classes that never occur (as label or prediction) are left out of the mean.

    Args:
      labels: the int class of each example.
      predictions: the predicted class of each example, of the labels' shape.
      num_classes: the number of classes.
{args}

    Returns:
      (mean_iou, update_op): a float32 scalar, and the op updating the float64
      [num_classes, num_classes] variable `mean_iou/total_confusion_matrix` (returning it).

    Raises:
      ValueError: if the shapes of `labels` and `predictions` are incompatible.
      RuntimeError: when executing eagerly.
    """
    check_graph("mean_iou")
    with variable_scope(name, "mean_iou", [predictions, labels, weights]):
        predictions, labels, weights = squeezed(predictions, labels, weights)
        predictions.shape.assert_is_compatible_with(labels.shape)
        total_cm = metric_variable([num_classes, num_classes], dtypes.float64,
                                   name="total_confusion_matrix")
        labels, predictions = reshape(cast(labels, dtypes.int64), [-1]), \
            reshape(cast(predictions, dtypes.int64), [-1])
        if weights is not None:
            weights = reshape(broadcast(weights, labels), [-1])
        current = confusion_matrix(labels, predictions, num_classes, weights=weights,
                                   dtype=dtypes.float64)
        update_op = assign_add(total_cm, current)
        rows = cast(reduce_sum(total_cm, 0), dtypes.float32)
        cols = cast(reduce_sum(total_cm, 1), dtypes.float32)
        diag = cast(diag_part(total_cm), dtypes.float32)
        denominator = subtract(add(rows, cols), diag)
        valid = reduce_sum(cast(not_equal(denominator, 0.0), dtypes.float32))
        denominator = where(greater(denominator, 0.0), denominator, ones_like(denominator))
        iou = div_no_nan(diag, denominator)
        value = where(greater(valid, 0.0), div_no_nan(reduce_sum(iou, name="mean_iou"), valid),
                      constant(0.0))
        return publish(value, update_op, metrics_collections, updates_collections)


def _count_at_thresholds(key, metric, labels, predictions, thresholds, weights,
                         metrics_collections, updates_collections, name):
    check_graph(f"{metric}_at_thresholds")
    with variable_scope(name, metric, [predictions, labels, weights]):
        values, updates = _confusion_at_thresholds(labels, predictions, list(thresholds),
                                                   weights, includes=(key,))
        return publish(identity(values[key]), updates[key], metrics_collections,
                       updates_collections)


def _at_thresholds_doc(what):
    return f"""Computes the {what} at each of the given thresholds.

    A prediction above a threshold counts as positive.

    Args:
      labels: the ground truth, cast to bool.
      predictions: probabilities in [0, 1], of the labels' shape.
      thresholds: a list of thresholds.
{{args}}

    Returns:
      (value, update_op): float32 Tensors of shape [len(thresholds)].

    Raises:
      RuntimeError: when executing eagerly.
    """


def _make_counter(key, metric):
    def count(labels, predictions, thresholds, weights=None, metrics_collections=None,
              updates_collections=None, name=None):
        return _count_at_thresholds(key, metric, labels, predictions, thresholds, weights,
                                    metrics_collections, updates_collections, name)
    count.__name__ = count.__qualname__ = f"{metric}_at_thresholds"
    count.__doc__ = _at_thresholds_doc(f"sum of the weights of the {metric.replace('_', ' ')}")
    return count


true_positives_at_thresholds = _make_counter("tp", "true_positives")
false_negatives_at_thresholds = _make_counter("fn", "false_negatives")
true_negatives_at_thresholds = _make_counter("tn", "true_negatives")
false_positives_at_thresholds = _make_counter("fp", "false_positives")


def _ratio_at_thresholds(metric, other, labels, predictions, thresholds, weights,
                         metrics_collections, updates_collections, name):
    """tp / (tp + other + 1e-7) at each threshold, other being "fp" or "fn"."""
    check_graph(metric)
    with variable_scope(name, metric, [predictions, labels, weights]):
        values, updates = _confusion_at_thresholds(labels, predictions, list(thresholds),
                                                   weights, includes=("tp", other))
        epsilon = 1e-7

        def ratio(c, name):
            return truediv(c["tp"], add(add(epsilon, c["tp"]), c[other]), name=name)
        prefix = metric.split("_")[0]  # TF names them precision_value, recall_update_op...
        return publish(ratio(values, f"{prefix}_value"), ratio(updates, f"{prefix}_update_op"),
                       metrics_collections, updates_collections)


def precision_at_thresholds(labels, predictions, thresholds, weights=None,
                            metrics_collections=None, updates_collections=None, name=None):
    return _ratio_at_thresholds("precision_at_thresholds", "fp", labels, predictions,
                                thresholds, weights, metrics_collections,
                                updates_collections, name)


def recall_at_thresholds(labels, predictions, thresholds, weights=None,
                         metrics_collections=None, updates_collections=None, name=None):
    return _ratio_at_thresholds("recall_at_thresholds", "fn", labels, predictions,
                                thresholds, weights, metrics_collections,
                                updates_collections, name)


precision_at_thresholds.__doc__ = _at_thresholds_doc("precision tp / (tp + fp)")
recall_at_thresholds.__doc__ = _at_thresholds_doc("recall tp / (tp + fn)")


def _check_rate(what, rate):
    if rate < 0 or rate > 1:
        raise ValueError(f"`{what}` must be in the range [0, 1]. Currently, `{what}` is "
                         f"{rate}.")


def _rate_at(labels, predictions, weights, num_thresholds, name, default_name, pick):
    """Builds the confusion counts over auc's thresholds; `pick(counts, name)` reads them."""
    with variable_scope(name, default_name, [predictions, labels, weights]):
        values, updates = _confusion_at_thresholds(labels, predictions,
                                                   _thresholds(num_thresholds), weights)
        return pick(values, "value"), pick(updates, "update_op")


def sensitivity_at_specificity(labels, predictions, specificity, weights=None,
                               num_thresholds=200, metrics_collections=None,
                               updates_collections=None, name=None):
    """Computes the sensitivity at the threshold whose specificity is nearest `specificity`.

    Args:
      labels: the ground truth, cast to bool.
      predictions: probabilities in [0, 1], of the labels' shape.
      specificity: the specificity to aim at, in [0, 1].
{args}
      num_thresholds: how many thresholds spread over [0, 1] to choose from.

    Returns:
      (sensitivity, update_op): float32 scalars.

    Raises:
      ValueError: if `specificity` is outside [0, 1].
      RuntimeError: when executing eagerly.
    """
    check_graph("sensitivity_at_specificity")
    _check_rate("specificity", specificity)

    def pick(c, name):
        specificities = truediv(c["tn"], add(add(c["tn"], c["fp"]), _KEPSILON))
        i = cast(argmin(abs(subtract(specificities, specificity)), 0), dtypes.int32)
        return truediv(c["tp"][i], add(add(c["tp"][i], c["fn"][i]), _KEPSILON), name=name)
    value, update_op = _rate_at(labels, predictions, weights, num_thresholds, name,
                                "sensitivity_at_specificity", pick)
    return publish(value, update_op, metrics_collections, updates_collections)


def specificity_at_sensitivity(labels, predictions, sensitivity, weights=None,
                               num_thresholds=200, metrics_collections=None,
                               updates_collections=None, name=None):
    """Computes the specificity at the threshold whose sensitivity is nearest `sensitivity`.

    Of several equally near thresholds the last is taken, as TF does.

    Args:
      labels: the ground truth, cast to bool.
      predictions: probabilities in [0, 1], of the labels' shape.
      sensitivity: the sensitivity to aim at, in [0, 1].
{args}
      num_thresholds: how many thresholds spread over [0, 1] to choose from.

    Returns:
      (specificity, update_op): float32 scalars.

    Raises:
      ValueError: if `sensitivity` is outside [0, 1].
      RuntimeError: when executing eagerly.
    """
    check_graph("specificity_at_sensitivity")
    _check_rate("sensitivity", sensitivity)

    def pick(c, name):
        sensitivities = truediv(c["tp"], add(add(c["tp"], c["fn"]), _KEPSILON))
        distance = abs(subtract(sensitivities, sensitivity))
        nearest = cast(equal(distance, reduce_min(distance)), dtypes.int64)
        i = cast(argmax(cumsum(nearest), 0), dtypes.int32)  # the last of the nearest
        return truediv(c["tn"][i], add(add(c["tn"][i], c["fp"][i]), _KEPSILON), name=name)
    value, update_op = _rate_at(labels, predictions, weights, num_thresholds, name,
                                "specificity_at_sensitivity", pick)
    return publish(value, update_op, metrics_collections, updates_collections)


def _flat(t):
    t = convert_to_tensor(t)
    return reshape(t, [-1]) if t.shape.ndims is None or t.shape.ndims > 1 else t


def mean_per_class_accuracy(labels, predictions, num_classes, weights=None,
                            metrics_collections=None, updates_collections=None, name=None):
    """Computes the mean over the classes of each class's accuracy.

    Args:
      labels: the int class of each example.
      predictions: the predicted class of each example, of the labels' shape.
      num_classes: the number of classes.
{args}

    Returns:
      (mean_accuracy, update_op): a float32 scalar, and the op updating the [num_classes]
      variables `mean_accuracy/total` and `count`, which returns the per-class accuracies.

    Raises:
      RuntimeError: when executing eagerly.
    """
    check_graph("mean_per_class_accuracy")
    with variable_scope(name, "mean_accuracy", [predictions, labels, weights]):
        labels = _flat(cast(labels, dtypes.int64))
        predictions = _flat(predictions)
        total = metric_variable([num_classes], dtypes.float32, name="total")
        count = metric_variable([num_classes], dtypes.float32, name="count")
        ones = ones_like(labels, dtype=dtypes.float32)
        if labels.dtype != predictions.dtype:
            predictions = cast(predictions, labels.dtype)
        is_correct = cast(equal(predictions, labels), dtypes.float32)
        if weights is not None:
            weights = broadcast(_flat(weights), ones)
            ones, is_correct = multiply(ones, weights), multiply(is_correct, weights)
        value = reduce_mean(div_no_nan(count, maximum(total, 0.0)), name="mean_accuracy")
        update_total = scatter_add(total, labels, ones)
        update_count = scatter_add(count, labels, is_correct)
        update_op = div_no_nan(update_count, maximum(update_total, 0.0), name="update_op")
        return publish(value, update_op, metrics_collections, updates_collections)

for _f in (auc, mean_iou, true_positives_at_thresholds, false_negatives_at_thresholds,
           true_negatives_at_thresholds, false_positives_at_thresholds,
           precision_at_thresholds, recall_at_thresholds, sensitivity_at_specificity,
           specificity_at_sensitivity, mean_per_class_accuracy):
    _f.__doc__ = _f.__doc__.replace("{args}", COMMON_ARGS)
