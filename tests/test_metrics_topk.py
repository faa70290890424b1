"""tf.metrics at k: precision_at_k, recall_at_k, their *_at_top_k forms, average_precision_at_k
and the sparse_* aliases, with the TopKHits op counting the hits. Values after one and two
update runs, names, variables, collections and errors as TF 1 gives them (checked with tfdiff).
"""
import numpy as np
import pytest

import minitf as tf
from minitf.ops.topk_metric_ops import top_k_hits

NAN = float("nan")
LAB = [[1, 3], [0, -1], [2, 7]]
PRED = [[0.1, 0.5, 0.2, 0.9], [0.8, 0.1, 0.3, 0.2], [0.3, 0.3, 0.1, 0.2]]
IDX = [[3, 1], [0, 2], [1, 0]]


def _stream(metrics, feeds=({},) * 2):
    """(values before any update, [(updates, values) after each feed])."""
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        first = sess.run([v for v, _ in metrics])
        out = []
        for fd in feeds:
            updates = sess.run([u for _, u in metrics], fd)
            out.append((updates, sess.run([v for v, _ in metrics])))
    return first, out


def _close(got, want):
    np.testing.assert_allclose(np.asarray(got, np.float64), want, atol=1e-6, equal_nan=True)


def test_names_variables_and_values_match_tf():
    lab, pred = tf.constant(LAB, tf.int64), tf.constant(PRED)
    ms = [tf.metrics.precision_at_k(lab, pred, 2), tf.metrics.recall_at_k(lab, pred, 2),
          tf.metrics.precision_at_k(lab, pred, 2, class_id=1),
          tf.metrics.recall_at_k(lab, pred, 3, class_id=3),
          tf.metrics.average_precision_at_k(lab, pred, 3),
          tf.metrics.precision_at_top_k(lab, tf.constant(IDX), k=2),
          tf.metrics.recall_at_top_k(lab, tf.constant(IDX)),
          tf.metrics.sparse_precision_at_k(lab, pred, 1),
          tf.metrics.sparse_average_precision_at_k(lab, pred, 1)]
    assert [(v.name, u.name) for v, u in ms] == [
        ("precision_at_2:0", "precision_at_2/update:0"),
        ("recall_at_2:0", "recall_at_2/update:0"),
        ("precision_at_2_class1:0", "precision_at_2_class1/update:0"),
        ("recall_at_3_class3:0", "recall_at_3_class3/update:0"),
        ("average_precision_at_3/mean:0", "average_precision_at_3:0"),
        ("precision_at_2_1:0", "precision_at_2_1/update:0"),
        ("recall_at_k:0", "recall_at_k/update:0"),
        ("precision_at_1:0", "precision_at_1/update:0"),
        ("average_precision_at_1/mean:0", "average_precision_at_1:0")]
    assert {(v.op.type, u.op.type) for v, u in ms} == {("RealDiv", "RealDiv"),
                                                        ("DivNoNan", "DivNoNan")}
    assert all(t.dtype == tf.float64 and t.shape.as_list() == [] for m in ms for t in m)
    variables = tf.local_variables()
    assert [v.name for v in variables] == [
        "precision_at_2/true_positive_at_2:0", "precision_at_2/false_positive_at_2:0",
        "recall_at_2/true_positive_at_2:0", "recall_at_2/false_negative_at_2:0",
        "precision_at_2_class1/true_positive_at_2_class1:0",
        "precision_at_2_class1/false_positive_at_2_class1:0",
        "recall_at_3_class3/true_positive_at_3_class3:0",
        "recall_at_3_class3/false_negative_at_3_class3:0",
        # (TF's "max" scope follows the op "Max", and names are unique whatever the case)
        "average_precision_at_3/max_1:0", "average_precision_at_3/total:0",
        "precision_at_2_1/true_positive_at_2:0", "precision_at_2_1/false_positive_at_2:0",
        "recall_at_k/true_positive_at_k:0", "recall_at_k/false_negative_at_k:0",
        "precision_at_1/true_positive_at_1:0", "precision_at_1/false_positive_at_1:0",
        "average_precision_at_1/max_1:0", "average_precision_at_1/total:0"]
    assert all(v.dtype.base_dtype == tf.float64 and v.shape.as_list() == [] for v in variables)
    assert tf.get_collection(tf.GraphKeys.METRIC_VARIABLES) == variables
    assert tf.trainable_variables() == []
    first, runs = _stream(ms)
    _close(first, [NAN] * 4 + [0.0] + [NAN] * 3 + [0.0])  # 0/0, but DivNoNan for the mean AP
    want = [0.5, 0.5, 0.5, 1.0, 2 / 3, 0.5, 0.5, 2 / 3, 2 / 3]
    for updates, values in runs:  # the same batch twice: the same ratios
        _close(updates, want)
        _close(values, want)


def _random_feeds():
    rng = np.random.RandomState(0)
    feeds = []
    for n in (4, 3):
        lab = rng.randint(-1, 7, size=(n, 3))  # -1 and 5, 6 are out of range
        lab[0] = [2, 2, 2]  # repeated ids count once
        pred = rng.rand(n, 5).astype(np.float32)
        idx = rng.randint(0, 6, size=(n, 2))
        idx[0] = [2, 2]
        feeds.append((lab, pred, rng.rand(n).astype(np.float32), idx))
    return feeds


def test_streaming_over_random_batches_matches_tf():
    lab = tf.placeholder(tf.int64, [None, 3])
    pred = tf.placeholder(tf.float32, [None, 5])
    w = tf.placeholder(tf.float32, [None])
    idx = tf.placeholder(tf.int32, [None, 2])
    ms = []
    for k in (1, 2, 4):
        ms += [tf.metrics.precision_at_k(lab, pred, k), tf.metrics.recall_at_k(lab, pred, k),
               tf.metrics.average_precision_at_k(lab, pred, k),
               tf.metrics.precision_at_k(lab, pred, k, weights=w),
               tf.metrics.recall_at_k(lab, pred, k, weights=w),
               tf.metrics.average_precision_at_k(lab, pred, k, weights=w)]
    for c in (0, 2, 4, 7):  # 7 is no class: NaN
        ms += [tf.metrics.precision_at_k(lab, pred, 2, class_id=c),
               tf.metrics.recall_at_k(lab, pred, 2, class_id=c, weights=w),
               tf.metrics.precision_at_top_k(lab, idx, class_id=c),
               tf.metrics.recall_at_top_k(lab, idx, class_id=c, weights=w)]
    ms += [tf.metrics.precision_at_top_k(lab, idx, weights=w),
           tf.metrics.recall_at_top_k(lab, idx)]
    feeds = [dict(zip([lab, pred, w, idx], f)) for f in _random_feeds()]
    expected = [  # TF 1's values after each batch
        [0.5, 0.222222, 0.5, 0.616844, 0.292547, 0.616844, 0.375, 0.333333, 0.3125, 0.494344,
         0.468898, 0.401383, 0.375, 0.666667, 0.399306, 0.435922, 0.826967, 0.501632, 0.0, 0.0,
         0.0, 0.0, 1.0, 0.988688, 1.0, 0.988688, 0.0, 0.0, 0.0, 0.0, NAN, NAN, NAN, NAN,
         0.573027, 0.333333],
        [0.285714, 0.133333, 0.285714, 0.310736, 0.157887, 0.310736, 0.285714, 0.266667,
         0.214286, 0.300282, 0.305151, 0.227825, 0.285714, 0.533333, 0.275794, 0.296384,
         0.60238, 0.295379, 0.0, 0.0, 0.5, 0.32767, 0.6, 0.718847, 1.0, 0.991775, 0.0, 0.0,
         0.0, 0.0, NAN, NAN, NAN, NAN, 0.472128, 0.333333]]
    _, runs = _stream(ms, feeds)
    for (updates, values), want in zip(runs, expected):
        _close(updates, want)
        _close(values, want)


def test_multi_dimensional_inputs_weights_names_and_collections():
    pred = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4) % 5)
    lab = tf.constant([[0, 3, 4], [1, 2, -1]], tf.int64)  # [D1, D2]: one label a row
    lab3 = tf.constant([[[0, 3], [4, 4], [-1, -1]], [[1, 2], [2, 0], [3, 9]]], tf.int64)
    w = tf.constant([[1.0], [3.0]])
    ms = [tf.metrics.precision_at_k(lab, pred, 2),
          tf.metrics.recall_at_k(lab, pred, 3, weights=w),
          tf.metrics.average_precision_at_k(lab, pred, 2),
          tf.metrics.average_precision_at_k(lab3, pred, 3, weights=2.0),
          tf.metrics.precision_at_k(lab3, pred, 4, weights=0.5, name="mine"),
          tf.metrics.recall_at_k(lab3, pred, 1, class_id=2, metrics_collections=["mc"],
                                 updates_collections=["uc"]),
          tf.metrics.precision_at_top_k(lab3, tf.constant([[[1.0], [2.0], [0.0]],
                                                           [[1.0], [2.0], [3.0]]]))]
    assert [v.name for v, _ in ms[4:]] == ["mine:0", "recall_at_1_class2:0", "precision_at_k:0"]
    assert tf.get_collection("mc") == [ms[5][0]] and tf.get_collection("uc") == [ms[5][1]]
    assert [v.name for v in tf.local_variables()][8:10] == ["mine/true_positive_at_4:0",
                                                            "mine/false_positive_at_4:0"]
    want = [0.25, 0.583333, NAN, NAN, 0.291667, 0.5, 0.5]  # (a row without labels: NaN AP)
    for updates, values in _stream(ms)[1]:
        _close(updates, want)
        _close(values, want)


def test_average_precision_and_class_ids_over_ranks():
    pred = tf.constant((np.arange(24, dtype=np.float32).reshape(2, 3, 4) * 7) % 5)
    lab = tf.constant([[[0, 3], [4, 1], [-1, 2]], [[1, 2], [2, 0], [3, 9]]], tf.int64)
    w = tf.constant([[1.0], [3.0]])
    idx = tf.constant([[[1, 2], [2, 2], [0, 1]], [[1, 5], [2, 0], [3, 4]]], tf.int64)
    ms = [tf.metrics.average_precision_at_k(lab, pred, 3),
          tf.metrics.average_precision_at_k(lab, pred, 3, weights=w),
          tf.metrics.sparse_average_precision_at_k(lab, pred, 1),
          tf.metrics.sparse_precision_at_k(lab, pred, 2, class_id=2),
          tf.metrics.recall_at_top_k(lab, idx, k=2, class_id=2, weights=w)]
    for updates, values in _stream(ms)[1]:
        _close(updates, [0.208333, 0.284722, 0.0, 0.333333, 0.428571])
        _close(values, [0.208333, 0.284722, 0.0, 0.333333, 0.428571])


def test_labels_of_unknown_rank_are_expanded_at_run_time():
    lab = tf.placeholder(tf.int64)
    pred = tf.placeholder(tf.float32, [None, 4])
    idx = tf.placeholder_with_default(tf.constant([[1, 2], [0, 3]], tf.int64), None)
    ms = [tf.metrics.precision_at_k(lab, pred, 2), tf.metrics.recall_at_k(lab, pred, 1),
          tf.metrics.recall_at_top_k(lab, idx)]
    p = [[0.1, 0.5, 0.2, 0.9], [0.8, 0.1, 0.3, 0.2]]
    runs = _stream(ms, [{lab: [1, 3], pred: p}, {lab: [[1], [3]], pred: p}])[1]
    for updates, _ in runs:
        _close(updates, [0.25, 0.0, 1.0])
    with pytest.raises(ValueError, match="as_list\\(\\) is not defined on an unknown"):
        tf.metrics.average_precision_at_k(lab, tf.placeholder(tf.float32), 2)


def test_static_errors_match_tf():
    pred, lab = tf.constant(PRED[:2]), tf.constant(LAB[:2], tf.int64)
    with pytest.raises(TypeError, match="Types don't match, <dtype: 'int64'> vs "
                                        "<dtype: 'int32'>"):
        tf.metrics.precision_at_k(tf.constant(LAB[:2]), pred, 2)
    with pytest.raises(TypeError, match="Input 'y' of 'GreaterEqual' Op has type int64 that "
                                        "does not match type int32"):
        tf.metrics.average_precision_at_k(tf.constant(LAB[:2]), pred, 2)
    with pytest.raises(ValueError, match="input must have last dimension >= k = 5 but is 4"):
        tf.metrics.recall_at_k(lab, pred, 5)
    with pytest.raises(ValueError, match="Invalid k=0. `k` should be >= 1."):
        tf.metrics.average_precision_at_k(lab, pred, 0)
    with pytest.raises(ValueError, match="Unexpected labels shape \\(1, 1, 1\\) for "
                                         "predictions shape \\(2, 2\\)"):
        tf.metrics.precision_at_k(tf.constant([[[1]]], tf.int64), pred, 2)
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal, but are 2 "
                                         "and 3"):
        tf.metrics.precision_at_k(tf.constant(LAB, tf.int64), pred, 2)
    with pytest.raises(ValueError, match="Shape must be at least rank 2 but is rank 1"):
        tf.metrics.precision_at_top_k(tf.constant([1, 2], tf.int64), tf.constant([1, 2]))
    with pytest.raises(ValueError, match="Shape must be at least rank 1 but is rank 0"):
        tf.metrics.recall_at_k(lab, tf.constant(1.0), 1)
    assert tf.metrics.precision_at_k(lab, pred, 0)[0].name == "precision_at_0:0"  # (TF too)
    with tf.eager_mode():
        for f, name in ((tf.metrics.precision_at_k, "sparse_precision_at_k"),
                        (tf.metrics.recall_at_k, "recall_at_k"),
                        (tf.metrics.average_precision_at_k, "sparse_average_precision_at_k")):
            with pytest.raises(RuntimeError, match=f"tf.metrics.{name} is not supported when "
                                                   "eager execution is enabled"):
                f(LAB, PRED, 1)


@pytest.mark.parametrize("weights", [[[1.0, 2.0], [3.0, 4.0]], [1.0, 2.0, 3.0], [[1.0], [2.0]]])
def test_weights_that_do_not_broadcast_fail_at_run_time(weights):
    lab, pred = tf.constant(LAB[:2], tf.int64), tf.constant(PRED[:2])
    ms = [tf.metrics.precision_at_k(lab, pred, 2, weights=weights),
          tf.metrics.average_precision_at_k(lab, pred, 2, weights=weights)]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for _, update in ms:
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="weights can not be broadcast to values"):
                sess.run(update)
    ok = [tf.metrics.precision_at_k(lab, pred, 2, weights=w) for w in ([2.0], 2.0)]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        _close(sess.run([u for _, u in ok]), [0.75, 0.75])


def test_top_k_hits_counts_sets_per_row():
    tp, fp, fn = top_k_hits([[3, 1, 1], [0, 2, 2]], [[1, 5, 5], [0, 2, -1]])
    assert [t.name for t in (tp, fp, fn)] == ["TopKHits:0", "TopKHits:1", "TopKHits:2"]
    assert tp.op.type == "TopKHits" and tp.dtype == tf.int32 and tp.shape.as_list() == [2]
    c = top_k_hits(np.zeros((2, 3, 4), np.int64), tf.placeholder(tf.int64, [None, 3, 1]),
                   class_id=0)
    assert [t.shape.as_list() for t in c] == [[2, 3]] * 3
    with tf.Session() as sess:
        got = sess.run([tp, fp, fn])
        by_class = sess.run(top_k_hits([[3, 1], [0, 2]], [[1, 5], [5, 5]], class_id=5))
    np.testing.assert_array_equal(got, [[1, 2], [1, 0], [1, 1]])
    np.testing.assert_array_equal(by_class, [[0, 0], [0, 0], [1, 1]])
    with pytest.raises(TypeError, match="Types don't match"):
        top_k_hits([[1]], tf.constant([[1]], tf.int64))
    p = tf.placeholder(tf.int64, [None, 2])
    bad = top_k_hits(p, np.array([[1, 2]], np.int64))
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="Shapes of the ids must match"):
        sess.run(bad, {p: [[1, 2], [3, 4]]})
