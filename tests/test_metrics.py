"""tf.metrics (issue 18, item 4): values after several update runs, variable names and
collections, and errors, as TF 1 gives them (checked with tfdiff)."""
import numpy as np
import pytest

import minitf as tf


def _stream(metrics, feeds):
    """Runs each batch's update ops, then the values; returns [(updates, values), ...]."""
    out = []
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run([v for v, _ in metrics]) == [0.0] * len(metrics)
        for fd in feeds:
            updates = sess.run([u for _, u in metrics], fd)
            out.append((updates, sess.run([v for v, _ in metrics])))
    return out


def test_mean_accuracy_errors_and_counts_match_tf():
    lab = tf.placeholder(tf.int64, [None])
    pred = tf.placeholder(tf.int64, [None])
    w = tf.placeholder(tf.float32, [None])
    x = tf.placeholder(tf.float32, [None])
    flab = tf.to_float(lab)
    ms = [tf.metrics.accuracy(lab, pred), tf.metrics.accuracy(lab, pred, weights=w),
          tf.metrics.mean(x), tf.metrics.mean(x, weights=w),
          tf.metrics.mean_squared_error(flab, x),
          tf.metrics.mean_absolute_error(flab, x, weights=w),
          tf.metrics.root_mean_squared_error(flab, x),
          tf.metrics.precision(lab, pred), tf.metrics.recall(lab, pred, weights=w),
          tf.metrics.true_positives(lab, pred), tf.metrics.false_positives(lab, pred, weights=w),
          tf.metrics.true_negatives(lab, pred), tf.metrics.false_negatives(lab, pred)]
    assert [(v.name, u.name) for v, u in ms[:2]] == [
        ("accuracy/value:0", "accuracy/update_op:0"),
        ("accuracy_1/value:0", "accuracy_1/update_op:0")]
    assert ms[7][0].name == "precision/value:0" and ms[9][1].name == "true_positives/AssignAdd:0"
    names = [v.name for v in tf.local_variables()]
    assert names[:4] == ["accuracy/total:0", "accuracy/count:0", "accuracy_1/total:0",
                         "accuracy_1/count:0"]
    assert names[14:18] == ["precision/true_positives/count:0",
                            "precision/false_positives/count:0",
                            "recall/true_positives/count:0", "recall/false_negatives/count:0"]
    assert tf.get_collection(tf.GraphKeys.METRIC_VARIABLES) == tf.local_variables()
    assert tf.trainable_variables() == []
    batches = [([1, 0, 1, 1], [1, 1, 0, 1], [1.0, 2.0, 0.0, 0.5], [0.9, 0.2, 0.4, 1.5]),
               ([0, 0, 1], [0, 1, 1], [3.0, 1.0, 1.0], [0.1, 0.7, 0.8]),
               ([1, 1], [0, 0], [0.0, 1.0], [2.0, -1.0])]
    feeds = [{lab: a, pred: b, w: c, x: d} for a, b, c, d in batches]
    expected = [  # TF 1's values after each batch
        [0.5, 0.42857, 0.75, 0.58571, 0.165, 0.21429, 0.4062, 0.66667, 1.0, 2.0, 2.0, 0.0, 1.0],
        [0.57143, 0.64706, 0.65714, 0.45294, 0.17143, 0.22941, 0.41404, 0.6, 1.0, 3.0, 3.0, 1.0,
         1.0],
        [0.44444, 0.57895, 0.62222, 0.3, 0.68889, 0.41579, 0.82999, 0.6, 0.71429, 3.0, 3.0, 1.0,
         3.0]]
    for (updates, values), want in zip(_stream(ms, feeds), expected):
        np.testing.assert_allclose(updates, want, atol=2e-5)
        np.testing.assert_allclose(values, want, atol=2e-5)


def test_auc_and_mean_iou_match_tf():
    lab = tf.placeholder(tf.int64, [None])
    p = tf.placeholder(tf.float32, [None])
    w = tf.placeholder(tf.float32, [None])
    ci = tf.placeholder(tf.int32, [None])
    ms = [tf.metrics.auc(lab, p), tf.metrics.auc(lab, p, weights=w, num_thresholds=7),
          tf.metrics.auc(lab, p, curve="PR", num_thresholds=11),
          tf.metrics.auc(lab, p, curve="PR", summation_method="minoring", num_thresholds=5),
          tf.metrics.auc(lab, p, summation_method="majoring", num_thresholds=5),
          tf.metrics.mean_iou(lab, ci, 4), tf.metrics.mean_iou(lab, ci, 4, weights=w)]
    assert [v.name for v in tf.local_variables()[:4]] == [
        "auc/true_positives:0", "auc/false_negatives:0", "auc/true_negatives:0",
        "auc/false_positives:0"]
    cm = tf.local_variables()[-1]
    assert (cm.name, cm.shape.as_list()) == ("mean_iou_1/total_confusion_matrix:0", [4, 4])
    assert ms[5][1].shape.as_list() == [4, 4] and ms[5][0].dtype == tf.float32
    batches = [([1, 0, 1, 1], [0.9, 0.4, 0.35, 0.8], [1.0, 2.0, 0.0, 0.5], [1, 0, 3, 1]),
               ([0, 0, 1], [0.1, 0.7, 0.6], [3.0, 1.0, 1.0], [0, 1, 1]),
               ([1, 3], [0.55, 0.05], [0.0, 1.0], [2, 3])]
    feeds = [{lab: a, p: b, w: c, ci: d} for a, b, c, d in batches]
    expected = [[0.66667, 1.0, 0.95833, 0.91667, 1.0, 0.55556, 1.0],
                [0.75, 0.91667, 0.85417, 0.85417, 0.91667, 0.42222, 0.77381],
                [0.61111, 0.72619, 0.81905, 0.83016, 0.83333, 0.41667, 0.84921]]
    last_cm = [[2.0, 1.0, 0.0, 0.0], [0.0, 3.0, 1.0, 1.0], [0.0] * 4, [0.0, 0.0, 0.0, 1.0]]
    for (updates, values), want in zip(_stream(ms, feeds), expected):
        np.testing.assert_allclose(updates[:5], want[:5], atol=2e-5)
        np.testing.assert_allclose(values, want, atol=2e-5)
    np.testing.assert_array_equal(updates[5], last_cm)


def test_auc_careful_interpolation_and_thresholds():
    lab = tf.placeholder(tf.int64, [None])
    p = tf.placeholder(tf.float32, [None])
    ms = [tf.metrics.auc(lab, p, curve="PR", summation_method="careful_interpolation",
                         num_thresholds=n) for n in (3, 6, 50)]
    ms.append(tf.metrics.auc(lab, p, summation_method="careful_interpolation"))
    ms.append(tf.metrics.auc(lab, p, thresholds=[0.5, 0.3, 0.8]))
    batches = [([1, 0, 1, 1], [0.9, 0.4, 0.35, 0.8]), ([0, 0, 1], [0.1, 0.7, 0.6]),
               ([1, 0], [0.55, 0.05])]
    expected = [[0.94886, 0.94886, 0.90411, 0.66667, 0.83333],
                [0.72356, 0.79743, 0.83692, 0.75, 0.79167],
                [0.77082, 0.80324, 0.83617, 0.8, 0.85]]
    results = _stream(ms, [{lab: a, p: b} for a, b in batches])
    for (updates, values), want in zip(results, expected):
        np.testing.assert_allclose(values, want, atol=2e-5)


def test_collections_and_errors():
    v, u = tf.metrics.mean([1.0, 2.0], metrics_collections=["m"], updates_collections=["u"],
                           name="avg")
    assert tf.get_collection("m") == [v] and tf.get_collection("u") == [u]
    assert v.name == "avg/value:0"
    with pytest.raises(ValueError, match="Curve must be either ROC or PR. Curve X is unknown."):
        tf.metrics.auc([1], [0.5], curve="X")
    with pytest.raises(ValueError, match="are incompatible"):
        tf.metrics.accuracy([1, 2], [1, 2, 3])
    with tf.eager_mode():
        with pytest.raises(RuntimeError, match="tf.metrics.accuracy is not supported when "
                                               "eager execution is enabled"):
            tf.metrics.accuracy([1], [1])


def test_counts_and_ratios_at_thresholds_match_tf():
    lab = tf.placeholder(tf.int64, [None])
    p = tf.placeholder(tf.float32, [None])
    w = tf.placeholder(tf.float32, [None])
    th = [0.0, 0.3, 0.5, 0.85, 1.0]
    ms = [tf.metrics.true_positives_at_thresholds(lab, p, th),
          tf.metrics.false_negatives_at_thresholds(lab, p, th, weights=w),
          tf.metrics.true_negatives_at_thresholds(lab, p, th),
          tf.metrics.false_positives_at_thresholds(lab, p, th),
          tf.metrics.precision_at_thresholds(lab, p, th),
          tf.metrics.recall_at_thresholds(lab, p, th, weights=w)]
    assert [v.name for v in tf.local_variables()[:2]] == [
        "true_positives/true_positives:0", "false_negatives/false_negatives:0"]
    assert (ms[4][0].name, ms[5][1].name) == ("precision_at_thresholds/precision_value:0",
                                              "recall_at_thresholds/recall_update_op:0")
    assert ms[0][1].shape.as_list() == [5]
    batches = [([1, 0, 1, 1], [0.9, 0.4, 0.35, 0.8], [1.0, 2.0, 0.0, 0.5]),
               ([0, 0, 1], [0.1, 0.7, 0.6], [3.0, 1.0, 1.0])]
    expected = [
        [[3, 3, 2, 1, 0], [0, 0, 0, 0.5, 1.5], [0, 0, 1, 1, 1], [1, 1, 0, 0, 0],
         [0.75, 0.75, 1, 1, 0], [1, 1, 1, 0.66667, 0]],
        [[4, 4, 3, 1, 0], [0, 0, 0, 1.5, 2.5], [0, 1, 2, 3, 3], [3, 2, 1, 0, 0],
         [0.57143, 0.66667, 0.75, 1, 0], [1, 1, 1, 0.4, 0]]]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for (a, b, c), want in zip(batches, expected):
            updates = sess.run([u for _, u in ms], {lab: a, p: b, w: c})
            values = sess.run([v for v, _ in ms])
            for got_u, got_v, exp in zip(updates, values, want):
                np.testing.assert_allclose(got_u, exp, atol=2e-5)
                np.testing.assert_allclose(got_v, exp, atol=2e-5)


def test_relative_error_percentage_cosine_and_mean_tensor_match_tf():
    lab = tf.placeholder(tf.float32, [None])
    p = tf.placeholder(tf.float32, [None])
    w = tf.placeholder(tf.float32, [None])
    v2 = tf.placeholder(tf.float32, [2, 3])
    ms = [tf.metrics.mean_relative_error(lab, p, normalizer=lab),
          tf.metrics.mean_relative_error(lab, p, normalizer=p, weights=w),
          tf.metrics.percentage_below(p, 0.5), tf.metrics.percentage_below(p, 0.5, weights=w),
          tf.metrics.mean_cosine_distance(tf.reshape(lab, [-1, 1]), tf.reshape(p, [-1, 1]),
                                          dim=1)]
    mt = [tf.metrics.mean_tensor(v2), tf.metrics.mean_tensor(v2, weights=[[1.0], [0.0]])]
    assert ms[2][0].name == "percentage_below_threshold/value:0"
    assert [v.name for v in tf.local_variables()[-2:]] == ["mean_1/total_tensor:0",
                                                           "mean_1/count_tensor:0"]
    assert mt[0][0].shape.as_list() == [2, 3]
    batches = [([1.0, 0.0, 2.0, 1.0], [0.9, 0.4, 0.35, 0.8], [1.0, 2.0, 0.0, 0.5]),
               ([0.0, -1.0, 1.0], [0.1, 0.7, 0.6], [3.0, 1.0, 1.0])]
    expected = [[0.28125, 0.63889, 0.5, 0.57143, 0.4],
                [-0.025, 0.98016, 0.42857, 0.58824, 0.67143]]
    grid = np.arange(6.0).reshape(2, 3)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for k, ((a, b, c), want) in enumerate(zip(batches, expected)):
            fd = {lab: a, p: b, w: c, v2: grid * (k + 1)}
            np.testing.assert_allclose(sess.run([u for _, u in ms], fd), want, atol=2e-5)
            np.testing.assert_allclose(sess.run([v for v, _ in ms]), want, atol=2e-5)
            means = sess.run([u for _, u in mt], fd)
        mean_all = grid * 1.5
        np.testing.assert_allclose(means[0], mean_all)
        np.testing.assert_allclose(sess.run(mt[1][0]), [mean_all[0], [0.0, 0.0, 0.0]])


def test_sensitivity_and_specificity_match_tf():
    lab = tf.placeholder(tf.int64, [None])
    p = tf.placeholder(tf.float32, [None])
    w = tf.placeholder(tf.float32, [None])
    ms = [tf.metrics.sensitivity_at_specificity(lab, p, 0.5),
          tf.metrics.sensitivity_at_specificity(lab, p, 0.9, weights=w, num_thresholds=7),
          tf.metrics.specificity_at_sensitivity(lab, p, 0.5),
          tf.metrics.specificity_at_sensitivity(lab, p, 0.7, weights=w, num_thresholds=7)]
    assert ms[3][0].name == "specificity_at_sensitivity_1/value:0"
    batches = [([1, 0, 1, 1], [0.9, 0.4, 0.35, 0.8], [1.0, 2.0, 0.0, 0.5]),
               ([0, 0, 1], [0.1, 0.7, 0.6], [3.0, 1.0, 1.0]),
               ([1, 0], [0.2, 0.3], [1.0, 1.0])]
    expected = [[0.66667, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 0.83333],
                [0.8, 0.71429, 1.0, 0.85714]]
    feeds = [{lab: a, p: b, w: c} for a, b, c in batches]
    for (updates, values), want in zip(_stream(ms, feeds), expected):
        np.testing.assert_allclose(updates, want, atol=2e-5)
        np.testing.assert_allclose(values, want, atol=2e-5)
    with pytest.raises(ValueError, match=r"`sensitivity` must be in the range \[0, 1\]. "
                                         "Currently, `sensitivity` is 1.5."):
        tf.metrics.specificity_at_sensitivity(lab, p, 1.5)


def test_mean_per_class_accuracy_matches_tf():
    lab = tf.placeholder(tf.int64, [None])
    p = tf.placeholder(tf.int32, [None])
    w = tf.placeholder(tf.float32, [None])
    ms = [tf.metrics.mean_per_class_accuracy(lab, p, 4),
          tf.metrics.mean_per_class_accuracy(lab, p, 4, weights=w)]
    assert (ms[0][0].name, ms[0][1].name) == ("mean_accuracy/mean_accuracy:0",
                                              "mean_accuracy/update_op:0")
    assert [v.name for v in tf.local_variables()[:2]] == ["mean_accuracy/total:0",
                                                          "mean_accuracy/count:0"]
    batches = [([1, 0, 1, 3], [1, 1, 0, 3], [1.0, 2.0, 0.0, 0.5]),
               ([0, 0, 2], [0, 1, 2], [3.0, 1.0, 1.0])]
    expected = [([[0, 0.5, 0, 1], [0, 1, 0, 1]], [0.375, 0.5]),
                ([[0.33333, 0.5, 1, 1], [0.5, 1, 1, 1]], [0.70833, 0.875])]
    for (updates, values), (want_u, want_v) in zip(
            _stream(ms, [{lab: a, p: b, w: c} for a, b, c in batches]), expected):
        np.testing.assert_allclose(updates, want_u, atol=2e-5)
        np.testing.assert_allclose(values, want_v, atol=2e-5)
