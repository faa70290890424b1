"""`tf.metrics` over the top k predicted classes: precision, recall and average precision @k.

TF counts the hits with set ops on SparseTensors; here the TopKHits op
(minitf/ops/topk_metric_ops.py) gives the same per-row set sizes densely. The variables are
float64 scalars named as TF names them (`precision_at_2/true_positive_at_2:0`), in name
scopes rather than variable scopes, as in TF.
"""
from minitf.control_flow.cond import cond
from minitf.framework import dtypes
from minitf.framework.api import control_dependencies, name_scope
from minitf.framework.constant_op import constant, convert_to_tensor
from minitf.metrics_util import check_graph, metric_variable, publish
from minitf.ops._shared import identity, ones_like, shape, zeros_like
from minitf.ops.array_ops import rank, size
from minitf.ops.debug_ops import Assert
from minitf.ops.elementwise_ops import div_no_nan
from minitf.ops.manip_ops import concat, expand_dims, tile, where
from minitf.ops.math_ops import (
    add,
    cast,
    equal,
    greater_equal,
    logical_or,
    minimum,
    multiply,
    truediv,
)
from minitf.ops.reduction_ops import reduce_all, reduce_max, reduce_sum
from minitf.ops.scan_ops import cumsum
from minitf.ops.sort_ops import top_k
from minitf.ops.topk_metric_ops import top_k_hits
from minitf.variable_ops import assign_add

__all__ = ["average_precision_at_k", "precision_at_k", "precision_at_top_k", "recall_at_k",
           "recall_at_top_k", "sparse_average_precision_at_k", "sparse_precision_at_k"]

ARGS = """      weights: None, or a Tensor [D1, ... DN] (or of rank 0, or with dimensions of size 1
        that broadcast to it): each row's weight; 0 leaves the row out.
      metrics_collections: collections the value tensor is added to.
      updates_collections: collections the update op is added to.
      name: the name scope of the metric (default as TF: `<metric>_at_<k>`, e.g.
        `recall_at_5`, with `_class<id>` when `class_id` is given)."""

LABELS = """      labels: an int64 Tensor [D1, ... DN, num_labels] of class ids, or [D1, ... DN]
        (one label per row)."""


def _at_k_name(name, k=None, class_id=None):
    # (TF formats them with %d: a float k or class_id shows truncated)
    name = f"{name}_at_{int(k)}" if k is not None else f"{name}_at_k"
    return name if class_id is None else f"{name}_class{int(class_id)}"


def _expand_labels(labels, predictions):
    """`labels` with a last dimension of 1 added when it has one dimension fewer."""
    with name_scope(None, "expand_labels", [labels, predictions]) as scope:
        labels = convert_to_tensor(labels)
        lr, pr = labels.shape.ndims, predictions.shape.ndims
        if lr is None or pr is None:  # decided at run time
            return cond(equal(rank(predictions), add(rank(labels), 1)),
                        lambda: expand_dims(labels, -1, name=scope), lambda: labels)
        if pr == lr:
            return labels
        if pr == lr + 1:
            return expand_dims(labels, -1, name=scope)
        raise ValueError(f"Unexpected labels shape {labels.shape} for predictions shape "
                         f"{predictions.shape}. Predictions rank should be the same rank as "
                         "labels rank or labels rank plus one .")


def _fits(w, v):
    """Whether static shapes `w` and `v` may fit TF's rule for weights: rank 0, or the rank of
    `v` with each dimension 1 or equal to its (unknown dimensions may)."""
    if w.ndims == 0 or w.ndims is None or v.ndims is None:
        return True
    return w.ndims == v.ndims and all(a in (None, 1) or b is None or a == b
                                      for a, b in zip(w.as_list(), v.as_list()))


def _assert_broadcastable(weights, values):
    """An Assert that `weights` broadcast to `values` by TF's rule (see `_fits`), checked at
    run time as TF does (its counts have no static shape), and whether they may; the Assert
    is None when there is nothing to check."""
    wr, vr = weights.shape.ndims, values.shape.ndims
    fits = _fits(weights.shape, values.shape)
    if wr == 0 or wr is None or vr is None:
        return None, fits
    with name_scope(None, "assert_broadcastable", [weights, values]):
        if not fits:
            ok = constant(False)
        else:
            ws = shape(weights)
            ok = reduce_all(logical_or(equal(ws, 1), equal(ws, shape(values))))
        return Assert(ok, ["weights can not be broadcast to values.", "weights.shape=",
                           weights.name, shape(weights), "values.shape=", values.name,
                           shape(values), "is_scalar=", constant(False)]), fits


def _weighted(counts, weights):
    """float64 `counts`, times `weights` when given (after checking they broadcast)."""
    counts = cast(counts, dtypes.float64)
    if weights is None:
        return counts
    weights = cast(weights, dtypes.float64)
    check, fits = _assert_broadcastable(weights, counts)
    with control_dependencies([] if check is None else [check]):
        # weights that do not fit never reach the product: the Assert fails first
        return multiply(counts, weights) if fits else identity(counts)


def _streaming_count(kind, count, k, class_id, weights):
    """A float64 variable `<kind>_at_<k>` summing the weighted `count`, and its update."""
    with name_scope(None, _at_k_name(kind, k, class_id=class_id)) as scope:
        batch_total = reduce_sum(_weighted(count, weights))
        var = metric_variable([], dtypes.float64, name=scope)
        return var, assign_add(var, batch_total, name="update")


def _ratio_at_top_k(metric, other, labels, predictions_idx, k, class_id, weights,
                    metrics_collections, updates_collections, name):
    """tp / (tp + other) over the streamed counts, `other` being "false_positive" or
    "false_negative"."""
    check_graph(f"{metric}_at_top_k")
    with name_scope(name, _at_k_name(metric, k, class_id=class_id),
                    [predictions_idx, labels, weights]) as scope:
        predictions_idx = convert_to_tensor(predictions_idx)
        labels = _expand_labels(labels, predictions_idx)
        top_k_idx = cast(predictions_idx, dtypes.int64)
        tp, fp, fn = top_k_hits(top_k_idx, labels, class_id=class_id)
        tp, tp_update = _streaming_count("true_positive", tp, k, class_id, weights)
        count = fp if other == "false_positive" else fn
        n, n_update = _streaming_count(other, count, k, class_id, weights)
        value = truediv(tp, add(tp, n), name=scope)
        update = truediv(tp_update, add(tp_update, n_update), name="update")
        return publish(value, update, metrics_collections, updates_collections)


def precision_at_top_k(labels, predictions_idx, k=None, class_id=None, weights=None,
                       metrics_collections=None, updates_collections=None, name=None):
    """Computes precision@k of given top-k class ids with respect to sparse labels.

    Precision is true_positive / (true_positive + false_positive), summed over the rows: a
    row's true positives are its distinct predicted ids that are among its labels, its false
    positives those that are not. With `class_id`, only that class is counted.

    Args:
{labels}
      predictions_idx: an int Tensor [D1, ... DN, k] of the top k predicted class ids.
      k: the k of the default name (unused otherwise).
      class_id: None, or the one class to compute the precision of; a class never predicted
        gives NaN.
{args}

    Returns:
      (precision, update_op): float64 scalars (NaN while nothing was predicted), over the
      variables `true_positive_at_<k>` and `false_positive_at_<k>`.

    Raises:
      TypeError: if `labels` is not int64.
      ValueError: if the shapes do not fit.
      RuntimeError: when executing eagerly.
    """
    return _ratio_at_top_k("precision", "false_positive", labels, predictions_idx, k,
                           class_id, weights, metrics_collections, updates_collections, name)


def recall_at_top_k(labels, predictions_idx, k=None, class_id=None, weights=None,
                    metrics_collections=None, updates_collections=None, name=None):
    """Computes recall@k of given top-k class ids with respect to sparse labels.

    Recall is true_positive / (true_positive + false_negative), summed over the rows: a row's
    false negatives are its distinct label ids (even ids outside [0, num_classes)) that are
    not predicted. With `class_id`, only that class is counted.

    Args:
{labels}
      predictions_idx: an int Tensor [D1, ... DN, k] of the top k predicted class ids.
      k: the k of the default name (unused otherwise).
      class_id: None, or the one class to compute the recall of; a class never in the labels
        gives NaN.
{args}

    Returns:
      (recall, update_op): float64 scalars (NaN while there were no labels), over the
      variables `true_positive_at_<k>` and `false_negative_at_<k>`.

    Raises:
      TypeError: if `labels` is not int64.
      ValueError: if the shapes do not fit.
      RuntimeError: when executing eagerly.
    """
    return _ratio_at_top_k("recall", "false_negative", labels, predictions_idx, k, class_id,
                           weights, metrics_collections, updates_collections, name)


def _at_k(metric, at_top_k, labels, predictions, k, class_id, weights, metrics_collections,
          updates_collections, name):
    check_graph("sparse_precision_at_k" if metric == "precision" else "recall_at_k")  # (TF's)
    with name_scope(name, _at_k_name(metric, k, class_id=class_id),
                    [predictions, labels, weights]) as scope:
        _, top_k_idx = top_k(predictions, k)
        return at_top_k(labels, top_k_idx, k=k, class_id=class_id, weights=weights,
                        metrics_collections=metrics_collections,
                        updates_collections=updates_collections, name=scope)


def precision_at_k(labels, predictions, k, class_id=None, weights=None,
                   metrics_collections=None, updates_collections=None, name=None):
    """Computes precision@k of the predictions with respect to sparse labels.

    The k classes of largest prediction are the predicted ones; see `precision_at_top_k`.

    >>> labels = tf.constant([[1, 3], [0, 1]], tf.int64)
    >>> precision, update = tf.metrics.precision_at_k(labels, [[.1, .5, .2, .9],
    ...                                                         [.8, .1, .3, .2]], k=2)
    >>> with tf.Session() as sess:
    ...     sess.run(tf.local_variables_initializer())
    ...     print(sess.run(update))
    0.75

    Args:
{labels}
      predictions: a float Tensor [D1, ... DN, num_classes] of logits.
      k: how many of the top classes are predicted.
      class_id: None, or the one class to compute the precision of.
{args}

    Returns:
      (precision, update_op): float64 scalars.

    Raises:
      TypeError: if `labels` is not int64.
      ValueError: if the shapes do not fit, or k exceeds num_classes.
      RuntimeError: when executing eagerly.
    """
    return _at_k("precision", precision_at_top_k, labels, predictions, k, class_id, weights,
                 metrics_collections, updates_collections, name)


def recall_at_k(labels, predictions, k, class_id=None, weights=None, metrics_collections=None,
                updates_collections=None, name=None):
    """Computes recall@k of the predictions with respect to sparse labels.

    The k classes of largest prediction are the predicted ones; see `recall_at_top_k`.

    Args:
{labels}
      predictions: a float Tensor [D1, ... DN, num_classes] of logits.
      k: how many of the top classes are predicted.
      class_id: None, or the one class to compute the recall of.
{args}

    Returns:
      (recall, update_op): float64 scalars.

    Raises:
      TypeError: if `labels` is not int64.
      ValueError: if the shapes do not fit, or k exceeds num_classes.
      RuntimeError: when executing eagerly.
    """
    return _at_k("recall", recall_at_top_k, labels, predictions, k, class_id, weights,
                 metrics_collections, updates_collections, name)


def sparse_precision_at_k(labels, predictions, k, class_id=None, weights=None,
                          metrics_collections=None, updates_collections=None, name=None):
    return precision_at_k(labels, predictions, k, class_id=class_id, weights=weights,
                          metrics_collections=metrics_collections,
                          updates_collections=updates_collections, name=name)


def _num_relevant(labels, k):
    """Per row, the number of non-negative labels, at most k (int64 [D1, ... DN])."""
    with name_scope(None, "num_relevant", [labels]) as scope:
        present = where(greater_equal(labels, 0), ones_like(labels), zeros_like(labels))
        return minimum(reduce_sum(present, axis=-1), k, name=scope)


def _average_precision_per_row(labels, predictions_idx):
    """float64 [D1, ... DN]: sum over i <= k of precision@i where the i-th id is a label,
    over the number of relevant labels (NaN for a row without any)."""
    with name_scope(None, "average_precision", [predictions_idx, labels]) as scope:
        predictions_idx = cast(predictions_idx, dtypes.int64, name="predictions_idx")
        if predictions_idx.shape.ndims == 0:
            raise ValueError("The rank of `predictions_idx` must be at least 1.")
        k = predictions_idx.shape.as_list()[-1]  # (ValueError for an unknown rank, as TF)
        if k is None:
            raise ValueError("The last dimension of predictions_idx must be set. Currently, "
                             "it is None.")
        labels = _expand_labels(labels, predictions_idx)
        # each of the k predictions alone against all the labels: [D1, ... DN, k, 1] vs
        # [D1, ... DN, k, num_labels], so the true positives are the relevance of each rank
        per_k = expand_dims(predictions_idx, -1, name="predictions_idx_per_k")
        with name_scope(None, "labels_per_k", [labels]):
            ones = ones_like(shape(labels))
            multiples = concat([ones[:-1], [k], ones[-1:]], 0, name="multiples")
            labels_per_k = tile(expand_dims(labels, -2, name="expand"), multiples)
        relevant = cast(top_k_hits(per_k, labels_per_k)[0], dtypes.float64)
        tp_per_k = cumsum(relevant, axis=-1, name="tp_per_k")
        retrieved_per_k = cumsum(ones_like(relevant), axis=-1, name="retrieved_per_k")
        precision_per_k = truediv(tp_per_k, retrieved_per_k, name="precision_per_k")
        relevant_precision = multiply(precision_per_k, relevant,
                                      name="relevant_precision_per_k")
        precision_sum = reduce_sum(relevant_precision, axis=(-1,), name="precision_sum")
        num_relevant = cast(_num_relevant(labels, k), dtypes.float64)
        return truediv(precision_sum, num_relevant, name=scope)


def _streaming_average_precision(labels, predictions_idx, weights, metrics_collections,
                                 updates_collections, name):
    with name_scope(name, "average_precision_at_top_k",
                    [predictions_idx, labels, weights]) as scope:
        average_precision = _average_precision_per_row(labels, predictions_idx)
        if weights is not None:
            with name_scope(None, "broadcast_weights", [weights, average_precision]):
                weights = cast(weights, dtypes.float64)
                check, fits = _assert_broadcastable(weights, average_precision)
                with control_dependencies([] if check is None else [check]):
                    ones = ones_like(average_precision)
                    # (as in _weighted: weights that do not fit never reach the product)
                    weights = multiply(weights, ones) if fits else ones
            average_precision = multiply(average_precision, weights)
        # the largest total possible: a row's average precision is at most 1 (times its weight)
        with name_scope(None, "max", [average_precision]) as max_scope:
            max_var = metric_variable([], dtypes.float64, name=max_scope)
            if weights is None:
                batch_max = cast(size(average_precision, name="batch_max"), dtypes.float64)
            else:
                batch_max = reduce_sum(weights, name="batch_max")
            max_update = assign_add(max_var, batch_max, name="update")
        with name_scope(None, "total", [average_precision]) as total_scope:
            total_var = metric_variable([], dtypes.float64, name=total_scope)
            batch_total = reduce_sum(average_precision, name="batch_total")
            total_update = assign_add(total_var, batch_total, name="update")
        value = div_no_nan(total_var, max_var, name="mean")
        update = div_no_nan(total_update, max_update, name=scope)
        return publish(value, update, metrics_collections, updates_collections)


def _clean_out_of_range(labels, num_classes):
    """`labels` with the ids >= num_classes made -1 (so they count as no label)."""
    labels = convert_to_tensor(labels)
    # TF decides by the largest label whether to replace any: the values are the same either
    # way, but its op keeps TF's dtype error and names (the "Max" that makes a scope `max_1`)
    greater_equal(reduce_max(labels), num_classes)
    return where(greater_equal(labels, num_classes), -1 * ones_like(labels), labels)


def average_precision_at_k(labels, predictions, k, weights=None, metrics_collections=None,
                           updates_collections=None, name=None):
    """Computes the mean average precision@k of the predictions with respect to sparse labels.

    A row's average precision is the sum of precision@i over the ranks i <= k whose predicted
    class is a label, divided by min(k, the number of its labels in [0, num_classes)); labels
    outside that range are ignored. The value is the (weighted) mean over the rows.

    >>> labels = tf.constant([[1, 3], [0, 1]], tf.int64)
    >>> value, update = tf.metrics.average_precision_at_k(labels, [[.1, .5, .2, .9],
    ...                                                            [.8, .1, .3, .2]], k=2)
    >>> with tf.Session() as sess:
    ...     sess.run(tf.local_variables_initializer())
    ...     print(sess.run(update))
    0.75

    Args:
{labels}
      predictions: a float Tensor [D1, ... DN, num_classes] of logits.
      k: how many of the top classes are ranked (>= 1).
{args}

    Returns:
      (mean_average_precision, update_op): float64 scalars (0 before any row), over the
      variables `average_precision_at_<k>/max` (the total weight; TF names it `max_1`) and
      `total`. A row without a label in range makes them NaN.

    Raises:
      ValueError: if k < 1 or the shapes do not fit.
      TypeError: if `labels` is not int64.
      RuntimeError: when executing eagerly.
    """
    check_graph("sparse_average_precision_at_k")
    if k < 1:
        raise ValueError(f"Invalid k={k}. `k` should be >= 1.")
    with name_scope(name, _at_k_name("average_precision", k),
                    [predictions, labels, weights]) as scope:
        _, predictions_idx = top_k(predictions, k)
        labels = _clean_out_of_range(labels, cast(shape(predictions)[-1], dtypes.int64))
        return _streaming_average_precision(labels, predictions_idx, weights,
                                            metrics_collections, updates_collections, scope)


def sparse_average_precision_at_k(labels, predictions, k, weights=None,
                                  metrics_collections=None, updates_collections=None,
                                  name=None):
    return average_precision_at_k(labels, predictions, k, weights=weights,
                                  metrics_collections=metrics_collections,
                                  updates_collections=updates_collections, name=name)


for _f in (precision_at_top_k, recall_at_top_k, precision_at_k, recall_at_k,
           average_precision_at_k):
    _f.__doc__ = _f.__doc__.replace("{labels}", LABELS).replace("{args}", ARGS)
for _alias, _f in ((sparse_precision_at_k, precision_at_k),
                   (sparse_average_precision_at_k, average_precision_at_k)):
    # TF's older names: the same metric, documented as it is
    _alias.__doc__ = (f"Renamed to `{_f.__name__}`: computes the same metric.\n"
                      + _f.__doc__.split("\n", 1)[1])
