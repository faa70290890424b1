"""tf.contrib.metrics (TF 1.15): the streaming wrappers take (predictions, labels) and keep the
core metrics' variables; streaming_concat, streaming_covariance and
streaming_pearson_correlation keep their own local variables and match NumPy over batches;
the batch accuracy and the aggregate helpers."""
import numpy as np
import pytest

import minitf as tf
from minitf.contrib import metrics as contrib_metrics

PRED = np.array([1, 0, 1, 1, 0, 1], np.int64)
LABEL = np.array([1, 1, 0, 1, 0, 0], np.int64)
SCORES = np.array([0.9, 0.2, 0.6, 0.8, 0.1, 0.4], np.float32)


def _local_names():
    return sorted(v.op.name for v in tf.local_variables())


def _update_then_value(pairs, feeds=(None,)):
    values, updates = contrib_metrics.aggregate_metrics(*pairs)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for feed in feeds:
            sess.run(updates, feed)
        return sess.run(values)


def test_streaming_counts_take_predictions_first():
    pairs = [contrib_metrics.streaming_true_positives(PRED, LABEL),
             contrib_metrics.streaming_true_negatives(PRED, LABEL),
             contrib_metrics.streaming_false_positives(PRED, LABEL),
             contrib_metrics.streaming_false_negatives(PRED, LABEL)]
    assert _update_then_value(pairs) == [2.0, 1.0, 2.0, 1.0]
    assert "true_positives/count" in _local_names()


def test_streaming_accuracy_precision_recall_keep_the_core_variables():
    pairs = [contrib_metrics.streaming_accuracy(PRED, LABEL, name="acc"),
             contrib_metrics.streaming_precision(PRED, LABEL),
             contrib_metrics.streaming_recall(PRED, LABEL, weights=[1, 1, 1, 0, 1, 1])]
    acc, prec, rec = _update_then_value(pairs)
    assert acc == pytest.approx(0.5) and prec == pytest.approx(0.5)
    assert rec == pytest.approx(0.5)
    assert _local_names() == sorted(
        ["acc/count", "acc/total", "precision/true_positives/count",
         "precision/false_positives/count", "recall/true_positives/count",
         "recall/false_negatives/count"])
    assert set(tf.local_variables()) == set(tf.get_collection(tf.GraphKeys.METRIC_VARIABLES))


def test_streaming_mean_and_mean_tensor_accumulate_over_batches():
    x = tf.placeholder(tf.float32, [2])
    pairs = [contrib_metrics.streaming_mean(x), contrib_metrics.streaming_mean_tensor(x)]
    mean, mean_t = _update_then_value(pairs, [{x: [1.0, 2.0]}, {x: [3.0, 6.0]}])
    assert mean == pytest.approx(3.0)
    np.testing.assert_allclose(mean_t, [2.0, 4.0])


def test_streaming_errors_match_numpy():
    p = np.array([1.0, 2.0, 4.0], np.float32)
    y = np.array([2.0, 2.0, 1.0], np.float32)
    pairs = [contrib_metrics.streaming_mean_absolute_error(p, y),
             contrib_metrics.streaming_mean_squared_error(p, y),
             contrib_metrics.streaming_root_mean_squared_error(p, y),
             contrib_metrics.streaming_mean_relative_error(p, y, normalizer=y),
             contrib_metrics.streaming_percentage_less(p, 3.0)]
    mae, mse, rmse, rel, pct = _update_then_value(pairs)
    assert mae == pytest.approx(4 / 3) and mse == pytest.approx(10 / 3)
    assert rmse == pytest.approx(np.sqrt(10 / 3)) and pct == pytest.approx(2 / 3)
    assert rel == pytest.approx(np.mean(np.abs(p - y) / y))


def test_streaming_mean_cosine_distance_and_mean_iou():
    p = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
    y = np.array([[1.0, 0.0], [1.0, 0.0]], np.float32)
    pairs = [contrib_metrics.streaming_mean_cosine_distance(p, y, dim=1),
             contrib_metrics.streaming_mean_iou(PRED, LABEL, num_classes=2)]
    cos, iou = _update_then_value(pairs)
    assert cos == pytest.approx(0.5)
    # class 0: tp 1, fp 1, fn 2 -> 1/4; class 1: tp 2, fp 2, fn 1 -> 2/5
    assert iou == pytest.approx((1 / 4 + 2 / 5) / 2)


def test_streaming_threshold_metrics_match_tf_metrics():
    labels = LABEL.astype(bool)
    pairs = [contrib_metrics.streaming_precision_at_thresholds(SCORES, labels, [0.5, 0.7]),
             contrib_metrics.streaming_recall_at_thresholds(SCORES, labels, [0.5, 0.7]),
             contrib_metrics.streaming_auc(SCORES, labels, num_thresholds=50),
             tf.metrics.auc(labels, SCORES, num_thresholds=50, name="core_auc"),
             contrib_metrics.streaming_sensitivity_at_specificity(SCORES, labels, 0.6),
             contrib_metrics.streaming_specificity_at_sensitivity(SCORES, labels, 0.6),
             tf.metrics.sensitivity_at_specificity(labels, SCORES, 0.6, name="core_s"),
             tf.metrics.specificity_at_sensitivity(labels, SCORES, 0.6, name="core_p")]
    prec, rec, auc, core_auc, sens, spec, core_sens, core_spec = _update_then_value(pairs)
    np.testing.assert_allclose(prec, [2 / 3, 1.0], rtol=1e-6)
    np.testing.assert_allclose(rec, [2 / 3, 2 / 3], rtol=1e-6)
    assert auc == core_auc
    assert "auc/true_positives" in _local_names()
    assert (sens, spec) == (core_sens, core_spec)


def test_streaming_sparse_at_k_take_predictions_first():
    logits = np.array([[0.1, 0.5, 0.4], [0.7, 0.2, 0.1]], np.float32)
    labels = np.array([[1], [2]], np.int64)
    pairs = [contrib_metrics.streaming_sparse_precision_at_k(logits, labels, k=1),
             contrib_metrics.streaming_sparse_recall_at_k(logits, labels, k=2),
             contrib_metrics.streaming_sparse_average_precision_at_k(logits, labels, k=2)]
    prec, rec, ap = _update_then_value(pairs)
    assert prec == pytest.approx(0.5) and rec == pytest.approx(0.5)
    assert ap == pytest.approx(0.5)


def test_collections_receive_value_and_update():
    value, update = contrib_metrics.streaming_accuracy(
        PRED, LABEL, metrics_collections=["m"], updates_collections=["u"])
    assert tf.get_collection("m") == [value] and tf.get_collection("u") == [update]


def test_streaming_concat_grows_its_array_and_returns_the_size():
    x = tf.placeholder(tf.float32, [None, 2])
    value, update = contrib_metrics.streaming_concat(x)
    assert _local_names() == ["streaming_concat/array", "streaming_concat/size"]
    assert value.shape.as_list() == [None, 2]
    array = [v for v in tf.local_variables() if v.op.name.endswith("array")][0]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(value).shape == (0, 2)
        assert sess.run(update, {x: np.ones((3, 2))}) == 3
        assert sess.run(array).shape == (4, 2)   # ceil(1.5 ** ceil(log 3 / log 1.5))
        assert sess.run(update, {x: 2 * np.ones((2, 2))}) == 5
        assert sess.run(array).shape == (6, 2)
        np.testing.assert_array_equal(sess.run(value), [[1, 1]] * 3 + [[2, 2]] * 2)


def test_streaming_concat_along_axis_one_with_max_size():
    x = tf.placeholder(tf.int32, [2, None])
    value, update = contrib_metrics.streaming_concat(x, axis=-1, max_size=3)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        sess.run(update, {x: [[1, 2], [3, 4]]})
        assert sess.run(update, {x: [[5, 6], [7, 8]]}) == 3
        np.testing.assert_array_equal(sess.run(value), [[1, 2, 5], [3, 4, 7]])


def test_streaming_concat_shape_errors():
    with pytest.raises(ValueError, match="statically known rank"):
        contrib_metrics.streaming_concat(tf.placeholder(tf.float32))
    with pytest.raises(ValueError, match="not in"):
        contrib_metrics.streaming_concat(tf.placeholder(tf.float32, [2, 3]), axis=2)
    with pytest.raises(ValueError, match="statically known size"):
        contrib_metrics.streaming_concat(tf.placeholder(tf.float32, [None, None]))


def _np_cov(x, y, w=None):
    w = np.ones_like(x) if w is None else w
    mx, my = np.sum(w * x) / w.sum(), np.sum(w * y) / w.sum()
    return np.sum(w * (x - mx) * (y - my)) / (w.sum() - 1)


BATCHES_P = [np.array([1.0, 3.0, 2.0]), np.array([5.0, 4.0, 0.5])]
BATCHES_L = [np.array([2.0, 2.5, 1.0]), np.array([6.0, 3.0, 1.5])]
BATCHES_W = [np.array([1.0, 2.0, 0.0]), np.array([3.0, 1.0, 1.0])]


def test_streaming_covariance_merges_batches_like_numpy():
    p, y, w = (tf.placeholder(tf.float32, [3]) for _ in range(3))
    cov, update = contrib_metrics.streaming_covariance(p, y)
    wcov, wupdate = contrib_metrics.streaming_covariance(p, y, weights=w, name="weighted")
    assert _local_names()[:4] == ["covariance/comoment", "covariance/count",
                                  "covariance/mean_label", "covariance/mean_prediction"]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert np.isnan(sess.run(cov))
        for bp, bl, bw in zip(BATCHES_P, BATCHES_L, BATCHES_W):
            sess.run([update, wupdate], {p: bp, y: bl, w: bw})
        got, got_w = sess.run([cov, wcov])
    x, z, ww = (np.concatenate(b) for b in (BATCHES_P, BATCHES_L, BATCHES_W))
    assert got == pytest.approx(_np_cov(x, z), rel=1e-5)
    assert got_w == pytest.approx(_np_cov(x, z, ww), rel=1e-5)


def test_streaming_covariance_update_op_returns_the_new_value():
    cov, update = contrib_metrics.streaming_covariance([1.0, 2.0, 4.0], [1.0, 0.0, 2.0])
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(update) == pytest.approx(_np_cov(np.array([1.0, 2, 4]),
                                                         np.array([1.0, 0, 2])), rel=1e-6)


def test_streaming_pearson_correlation_matches_numpy():
    p, y = tf.placeholder(tf.float32, [3]), tf.placeholder(tf.float32, [3])
    r, update = contrib_metrics.streaming_pearson_correlation(p, y)
    names = _local_names()
    assert "pearson_r/covariance/comoment" in names
    assert "pearson_r/variance_predictions/count" in names
    assert "pearson_r/variance_labels/mean_label" in names
    assert r.op.name == "pearson_r/pearson_r"
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for bp, bl in zip(BATCHES_P, BATCHES_L):
            sess.run(update, {p: bp, y: bl})
        got = sess.run(r)
    want = np.corrcoef(np.concatenate(BATCHES_P), np.concatenate(BATCHES_L))[0, 1]
    assert got == pytest.approx(want, rel=1e-5)


def test_batch_accuracy_and_its_dtype_checks():
    with tf.Session() as sess:
        assert sess.run(contrib_metrics.accuracy(PRED, LABEL)) == pytest.approx(0.5)
        weighted = contrib_metrics.accuracy(PRED, LABEL, weights=[2.0, 1, 1, 1, 1, 0])
        assert sess.run(weighted) == pytest.approx(4 / 6)
    with pytest.raises(ValueError, match="Labels should have bool, integer, or string"):
        contrib_metrics.accuracy(SCORES, SCORES)
    with pytest.raises(ValueError, match="Dataset types are not compatible"):
        contrib_metrics.accuracy(PRED.astype(np.int32), LABEL)


def test_aggregate_helpers():
    with pytest.raises(ValueError, match="at least one value_tensor/update_op pair"):
        contrib_metrics.aggregate_metrics()
    acc = contrib_metrics.streaming_accuracy(PRED, LABEL)
    mean = contrib_metrics.streaming_mean(SCORES)
    values, updates = contrib_metrics.aggregate_metric_map({"acc": acc, "mean": mean})
    assert values == {"acc": acc[0], "mean": mean[0]}
    assert updates == {"acc": acc[1], "mean": mean[1]}
