"""`tf.contrib.metrics` (TF 1.15), in part: the `streaming_*` wrappers of `tf.metrics` with
contrib's argument order, `streaming_concat`, `streaming_covariance`,
`streaming_pearson_correlation`, the batch `accuracy`, `aggregate_metrics` and
`aggregate_metric_map`."""
from minitf.contrib.metrics.classification import accuracy
from minitf.contrib.metrics.concat_ops import streaming_concat
from minitf.contrib.metrics.correlation_ops import (
    streaming_covariance,
    streaming_pearson_correlation,
)
from minitf.contrib.metrics.metric_ops import (
    aggregate_metric_map,
    aggregate_metrics,
    streaming_accuracy,
    streaming_auc,
    streaming_false_negatives,
    streaming_false_positives,
    streaming_mean,
    streaming_mean_absolute_error,
    streaming_mean_cosine_distance,
    streaming_mean_iou,
    streaming_mean_relative_error,
    streaming_mean_squared_error,
    streaming_mean_tensor,
    streaming_percentage_less,
    streaming_precision,
    streaming_precision_at_thresholds,
    streaming_recall,
    streaming_recall_at_thresholds,
    streaming_root_mean_squared_error,
    streaming_sensitivity_at_specificity,
    streaming_sparse_average_precision_at_k,
    streaming_sparse_precision_at_k,
    streaming_sparse_recall_at_k,
    streaming_specificity_at_sensitivity,
    streaming_true_negatives,
    streaming_true_positives,
)

__all__ = [
    "accuracy", "aggregate_metric_map", "aggregate_metrics", "streaming_accuracy",
    "streaming_auc", "streaming_concat", "streaming_covariance", "streaming_false_negatives",
    "streaming_false_positives", "streaming_mean", "streaming_mean_absolute_error",
    "streaming_mean_cosine_distance", "streaming_mean_iou", "streaming_mean_relative_error",
    "streaming_mean_squared_error", "streaming_mean_tensor", "streaming_pearson_correlation",
    "streaming_percentage_less", "streaming_precision", "streaming_precision_at_thresholds",
    "streaming_recall", "streaming_recall_at_thresholds", "streaming_root_mean_squared_error",
    "streaming_sensitivity_at_specificity", "streaming_sparse_average_precision_at_k",
    "streaming_sparse_precision_at_k", "streaming_sparse_recall_at_k",
    "streaming_specificity_at_sensitivity", "streaming_true_negatives",
    "streaming_true_positives",
]
