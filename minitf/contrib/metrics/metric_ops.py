"""TF 1.15's contrib/metrics `streaming_*` wrappers of `tf.metrics`.

Each takes contrib's argument order (predictions before labels) and calls the core metric
with the same `name`, so the local variables are the core metric's (`accuracy/total`, ...).
`aggregate_metrics` and `aggregate_metric_map` regroup (value, update_op) pairs.
"""
from minitf import metrics
from minitf.metrics_util import COMMON_ARGS

__all__ = [
    "streaming_true_positives", "streaming_true_negatives", "streaming_false_positives",
    "streaming_false_negatives", "streaming_mean", "streaming_mean_tensor",
    "streaming_accuracy", "streaming_precision", "streaming_recall", "streaming_auc",
    "streaming_specificity_at_sensitivity", "streaming_sensitivity_at_specificity",
    "streaming_precision_at_thresholds", "streaming_recall_at_thresholds",
    "streaming_sparse_precision_at_k", "streaming_sparse_recall_at_k",
    "streaming_sparse_average_precision_at_k", "streaming_mean_absolute_error",
    "streaming_mean_relative_error", "streaming_mean_squared_error",
    "streaming_root_mean_squared_error", "streaming_mean_cosine_distance",
    "streaming_percentage_less", "streaming_mean_iou", "aggregate_metrics",
    "aggregate_metric_map",
]

_PAIR = """      predictions: the predictions.
      labels: the ground truth, shaped like `predictions`.
"""
_RETURNS = """
    Returns:
      (value, update_op), as `tf.metrics.{core}` returns them.

    Raises:
      ValueError: shapes that do not fit.
      RuntimeError: when executing eagerly.
    """


def _doc(core, summary, extra=""):
    def decorate(fn):
        fn.__doc__ = (f"{summary}\n\n    Args:\n{_PAIR}{extra}{COMMON_ARGS}\n"
                      + _RETURNS.format(core=core))
        return fn
    return decorate


def _collections(mc, uc, name):
    return {"metrics_collections": mc, "updates_collections": uc, "name": name}


@_doc("true_positives", "Sums the weights of the true positives (`tf.metrics.true_positives`).")
def streaming_true_positives(predictions, labels, weights=None, metrics_collections=None,
                             updates_collections=None, name=None):
    return metrics.true_positives(labels, predictions, weights,
                                  **_collections(metrics_collections, updates_collections, name))


@_doc("true_negatives", "Sums the weights of the true negatives (`tf.metrics.true_negatives`).")
def streaming_true_negatives(predictions, labels, weights=None, metrics_collections=None,
                             updates_collections=None, name=None):
    return metrics.true_negatives(labels, predictions, weights,
                                  **_collections(metrics_collections, updates_collections, name))


@_doc("false_positives",
      "Sums the weights of the false positives (`tf.metrics.false_positives`).")
def streaming_false_positives(predictions, labels, weights=None, metrics_collections=None,
                              updates_collections=None, name=None):
    return metrics.false_positives(labels, predictions, weights,
                                   **_collections(metrics_collections, updates_collections,
                                                  name))


@_doc("false_negatives",
      "Sums the weights of the false negatives (`tf.metrics.false_negatives`).")
def streaming_false_negatives(predictions, labels, weights=None, metrics_collections=None,
                              updates_collections=None, name=None):
    return metrics.false_negatives(labels, predictions, weights,
                                   **_collections(metrics_collections, updates_collections,
                                                  name))


def streaming_mean(values, weights=None, metrics_collections=None, updates_collections=None,
                   name=None):
    """Computes the (weighted) mean of `values` over the batches (`tf.metrics.mean`).

    Args:
      values: a Tensor of any shape.
{args}

    Returns:
      (mean, update_op), as `tf.metrics.mean` returns them.
    """
    return metrics.mean(values, weights, metrics_collections, updates_collections, name)


def streaming_mean_tensor(values, weights=None, metrics_collections=None,
                          updates_collections=None, name=None):
    """Computes the elementwise (weighted) mean of `values` (`tf.metrics.mean_tensor`).

    Args:
      values: a Tensor of any shape.
{args}

    Returns:
      (mean, update_op), as `tf.metrics.mean_tensor` returns them.
    """
    return metrics.mean_tensor(values, weights, metrics_collections, updates_collections, name)


@_doc("accuracy", "Computes how often `predictions` equal `labels` (`tf.metrics.accuracy`).")
def streaming_accuracy(predictions, labels, weights=None, metrics_collections=None,
                       updates_collections=None, name=None):
    return metrics.accuracy(labels, predictions, weights,
                            **_collections(metrics_collections, updates_collections, name))


@_doc("precision", "Computes the precision of boolean predictions (`tf.metrics.precision`).")
def streaming_precision(predictions, labels, weights=None, metrics_collections=None,
                        updates_collections=None, name=None):
    return metrics.precision(labels, predictions, weights,
                             **_collections(metrics_collections, updates_collections, name))


@_doc("recall", "Computes the recall of boolean predictions (`tf.metrics.recall`).")
def streaming_recall(predictions, labels, weights=None, metrics_collections=None,
                     updates_collections=None, name=None):
    return metrics.recall(labels, predictions, weights,
                          **_collections(metrics_collections, updates_collections, name))


@_doc("auc", "Computes the area under the ROC or PR curve (`tf.metrics.auc`).",
      "      num_thresholds: the number of thresholds of the curve.\n"
      "      curve: \"ROC\" or \"PR\".\n"
      "      summation_method: \"trapezoidal\", \"careful_interpolation\", \"minoring\" or "
      "\"majoring\".\n")
def streaming_auc(predictions, labels, weights=None, num_thresholds=200,
                  metrics_collections=None, updates_collections=None, curve="ROC", name=None,
                  summation_method="trapezoidal"):
    return metrics.auc(labels, predictions, weights, num_thresholds, metrics_collections,
                       updates_collections, curve=curve, name=name,
                       summation_method=summation_method)


@_doc("specificity_at_sensitivity",
      "Computes the specificity at a sensitivity (`tf.metrics.specificity_at_sensitivity`).",
      "      sensitivity: the sensitivity to reach, in [0, 1].\n"
      "      num_thresholds: the number of thresholds.\n")
def streaming_specificity_at_sensitivity(predictions, labels, sensitivity, weights=None,
                                         num_thresholds=200, metrics_collections=None,
                                         updates_collections=None, name=None):
    return metrics.specificity_at_sensitivity(
        labels, predictions, sensitivity, weights, num_thresholds,
        **_collections(metrics_collections, updates_collections, name))


@_doc("sensitivity_at_specificity",
      "Computes the sensitivity at a specificity (`tf.metrics.sensitivity_at_specificity`).",
      "      specificity: the specificity to reach, in [0, 1].\n"
      "      num_thresholds: the number of thresholds.\n")
def streaming_sensitivity_at_specificity(predictions, labels, specificity, weights=None,
                                         num_thresholds=200, metrics_collections=None,
                                         updates_collections=None, name=None):
    return metrics.sensitivity_at_specificity(
        labels, predictions, specificity, weights, num_thresholds,
        **_collections(metrics_collections, updates_collections, name))


@_doc("precision_at_thresholds",
      "Computes the precision at each threshold (`tf.metrics.precision_at_thresholds`).",
      "      thresholds: a list of float thresholds.\n")
def streaming_precision_at_thresholds(predictions, labels, thresholds, weights=None,
                                      metrics_collections=None, updates_collections=None,
                                      name=None):
    return metrics.precision_at_thresholds(
        labels, predictions, thresholds, weights,
        **_collections(metrics_collections, updates_collections, name))


@_doc("recall_at_thresholds",
      "Computes the recall at each threshold (`tf.metrics.recall_at_thresholds`).",
      "      thresholds: a list of float thresholds.\n")
def streaming_recall_at_thresholds(predictions, labels, thresholds, weights=None,
                                   metrics_collections=None, updates_collections=None,
                                   name=None):
    return metrics.recall_at_thresholds(
        labels, predictions, thresholds, weights,
        **_collections(metrics_collections, updates_collections, name))


_AT_K = ("      k: the number of top predictions considered.\n"
         "      class_id: None, or the one class to compute the metric for.\n")


@_doc("precision_at_k", "Computes precision@k against sparse labels (`tf.metrics.precision_at_k`).",
      _AT_K)
def streaming_sparse_precision_at_k(predictions, labels, k, class_id=None, weights=None,
                                    metrics_collections=None, updates_collections=None,
                                    name=None):
    return metrics.precision_at_k(labels, predictions, k, class_id, weights,
                                  **_collections(metrics_collections, updates_collections, name))


@_doc("recall_at_k", "Computes recall@k against sparse labels (`tf.metrics.recall_at_k`).",
      _AT_K)
def streaming_sparse_recall_at_k(predictions, labels, k, class_id=None, weights=None,
                                 metrics_collections=None, updates_collections=None, name=None):
    return metrics.recall_at_k(labels, predictions, k, class_id, weights,
                               **_collections(metrics_collections, updates_collections, name))


@_doc("average_precision_at_k",
      "Computes the mean average precision@k (`tf.metrics.average_precision_at_k`).",
      "      k: the number of top predictions considered.\n")
def streaming_sparse_average_precision_at_k(predictions, labels, k, weights=None,
                                            metrics_collections=None,
                                            updates_collections=None, name=None):
    return metrics.average_precision_at_k(
        labels, predictions, k, weights,
        **_collections(metrics_collections, updates_collections, name))


@_doc("mean_absolute_error",
      "Computes the mean absolute error (`tf.metrics.mean_absolute_error`).")
def streaming_mean_absolute_error(predictions, labels, weights=None, metrics_collections=None,
                                  updates_collections=None, name=None):
    return metrics.mean_absolute_error(
        labels, predictions, weights,
        **_collections(metrics_collections, updates_collections, name))


@_doc("mean_relative_error",
      "Computes the mean error relative to `normalizer` (`tf.metrics.mean_relative_error`).",
      "      normalizer: a Tensor shaped like `predictions` to divide the errors by.\n")
def streaming_mean_relative_error(predictions, labels, normalizer, weights=None,
                                  metrics_collections=None, updates_collections=None,
                                  name=None):
    return metrics.mean_relative_error(
        labels, predictions, normalizer, weights,
        **_collections(metrics_collections, updates_collections, name))


@_doc("mean_squared_error", "Computes the mean squared error (`tf.metrics.mean_squared_error`).")
def streaming_mean_squared_error(predictions, labels, weights=None, metrics_collections=None,
                                 updates_collections=None, name=None):
    return metrics.mean_squared_error(
        labels, predictions, weights,
        **_collections(metrics_collections, updates_collections, name))


@_doc("root_mean_squared_error",
      "Computes the root mean squared error (`tf.metrics.root_mean_squared_error`).")
def streaming_root_mean_squared_error(predictions, labels, weights=None,
                                      metrics_collections=None, updates_collections=None,
                                      name=None):
    return metrics.root_mean_squared_error(
        labels, predictions, weights,
        **_collections(metrics_collections, updates_collections, name))


@_doc("mean_cosine_distance",
      "Computes the mean cosine distance (`tf.metrics.mean_cosine_distance`).",
      "      dim: the dimension along which the distance is taken.\n")
def streaming_mean_cosine_distance(predictions, labels, dim, weights=None,
                                   metrics_collections=None, updates_collections=None,
                                   name=None):
    return metrics.mean_cosine_distance(
        labels, predictions, dim, weights,
        **_collections(metrics_collections, updates_collections, name))


def streaming_percentage_less(values, threshold, weights=None, metrics_collections=None,
                              updates_collections=None, name=None):
    """Computes the share of `values` below `threshold` (`tf.metrics.percentage_below`).

    Args:
      values: a numeric Tensor.
      threshold: the scalar threshold.
{args}

    Returns:
      (percentage, update_op), as `tf.metrics.percentage_below` returns them.
    """
    return metrics.percentage_below(values, threshold, weights, metrics_collections,
                                    updates_collections, name)


@_doc("mean_iou", "Computes the mean intersection-over-union (`tf.metrics.mean_iou`).",
      "      num_classes: the number of classes.\n")
def streaming_mean_iou(predictions, labels, num_classes, weights=None,
                       metrics_collections=None, updates_collections=None, name=None):
    return metrics.mean_iou(labels, predictions, num_classes, weights,
                            **_collections(metrics_collections, updates_collections, name))


def aggregate_metrics(*value_update_tuples):
    """Splits `(value, update_op)` pairs into a list of values and a list of update ops.

    Args:
      *value_update_tuples: the `(value, update_op)` pairs.

    Returns:
      `(values, update_ops)`, two lists.

    Raises:
      ValueError: no pair is given.
    """
    if not value_update_tuples:
        raise ValueError("Expected at least one value_tensor/update_op pair")
    values, updates = zip(*value_update_tuples)
    return list(values), list(updates)


def aggregate_metric_map(names_to_tuples):
    """Splits `{name: (value, update_op)}` into `{name: value}` and `{name: update_op}`.

    Args:
      names_to_tuples: a dict of metric names to `(value, update_op)` pairs.

    Returns:
      `(names_to_values, names_to_updates)`, two dicts.
    """
    names = list(names_to_tuples)
    return ({n: names_to_tuples[n][0] for n in names},
            {n: names_to_tuples[n][1] for n in names})


for _f in (streaming_mean, streaming_mean_tensor, streaming_percentage_less):
    _f.__doc__ = _f.__doc__.replace("{args}", COMMON_ARGS)
