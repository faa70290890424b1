"""tf.contrib.losses (TF 1.15): the old argument order, the weighted sum over the count of
nonzero-weight elements, the `<scope>/value` names, the LOSSES collection, hinge loss unweighted
and uncollected, and the errors, checked against NumPy."""
import numpy as np
import pytest

import minitf as tf
from minitf.contrib import losses as contrib_losses

P = np.array([[4.0, 8.0, 12.0], [8.0, 1.0, 3.0]], np.float32)
L = np.array([[1.0, 9.0, 2.0], [-5.0, -2.0, 6.0]], np.float32)


def _eval(t):
    with tf.Session() as sess:
        return sess.run(t)


def test_absolute_difference_is_the_mean_and_named_value():
    loss = contrib_losses.absolute_difference(tf.constant(P), tf.constant(L))
    assert loss.name == "absolute_difference/value:0"
    assert tf.get_collection(tf.GraphKeys.LOSSES) == [loss]
    assert _eval(loss) == pytest.approx(np.abs(P - L).mean())


def test_batch_weights_divide_by_the_nonzero_weight_count():
    loss = contrib_losses.mean_squared_error(P, L, weights=[0.0, 2.0])
    assert _eval(loss) == pytest.approx(2.0 * ((P[1] - L[1]) ** 2).sum() / 3)


def test_weights_of_shape_batch_by_one_are_squeezed():
    w = np.array([[1.5], [0.0]], np.float32)
    loss = contrib_losses.absolute_difference(P, L, weights=w)
    assert _eval(loss) == pytest.approx(1.5 * np.abs(P[0] - L[0]).sum() / 3)


def test_elementwise_weights_count_each_nonzero_element():
    w = np.array([[1.0, 0.0, 2.0], [0.0, 0.0, 3.0]], np.float32)
    loss = contrib_losses.absolute_difference(P, L, weights=w)
    assert _eval(loss) == pytest.approx((np.abs(P - L) * w).sum() / 3)


def test_all_zero_weights_give_zero():
    assert _eval(contrib_losses.mean_squared_error(P, L, weights=0.0)) == 0.0
    assert _eval(contrib_losses.mean_squared_error(P, L, weights=[0.0, 0.0])) == 0.0


def test_scalar_weight_scales_the_mean():
    loss = contrib_losses.mean_squared_error(P, L, weights=3.0)
    assert _eval(loss) == pytest.approx(3.0 * ((P - L) ** 2).mean())


def test_compute_weighted_loss_keeps_the_input_dtype_and_collects():
    losses = np.array([[1.0, 2.0], [3.0, 4.0]])
    loss = contrib_losses.compute_weighted_loss(losses, weights=[1.0, 0.0])
    assert loss.dtype == tf.float64
    assert _eval(loss) == pytest.approx(1.5)
    assert contrib_losses.get_losses() == [loss]


def test_compute_weighted_loss_needs_known_ranks():
    with pytest.raises(ValueError, match="losses.get_shape"):
        contrib_losses.compute_weighted_loss(tf.placeholder(tf.float32))
    with pytest.raises(ValueError, match="weights.get_shape"):
        contrib_losses.compute_weighted_loss(P, tf.placeholder(tf.float32))


def test_mismatched_shapes_raise_value_error():
    with pytest.raises(ValueError, match="incompatible"):
        contrib_losses.absolute_difference(P, L[:, :2])


def test_log_loss_adds_epsilon_inside_the_logs():
    p = np.array([[0.9, 0.2], [0.6, 0.0]], np.float32)
    y = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
    want = -(y * np.log(p + 1e-7) + (1 - y) * np.log(1 - p + 1e-7)).mean()
    assert _eval(contrib_losses.log_loss(p, y)) == pytest.approx(want, rel=1e-5)


def test_hinge_loss_is_elementwise_and_not_collected():
    logits = np.array([[-0.7, -0.5, 0.3], [0.2, 0.9, -1.5]], np.float32)
    labels = np.array([[0.0, 1.0, 1.0], [0.0, 1.0, 0.0]], np.float32)
    out = contrib_losses.hinge_loss(logits, labels)
    np.testing.assert_allclose(_eval(out), np.maximum(0, 1 - (2 * labels - 1) * logits))
    assert contrib_losses.get_losses() == []


def test_sigmoid_cross_entropy_takes_logits_first_and_smooths_to_half():
    logits = np.array([[2.0, -1.0], [0.5, 3.0]], np.float32)
    labels = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
    z = labels * 0.8 + 0.5 * 0.2
    xent = np.maximum(logits, 0) - logits * z + np.log1p(np.exp(-np.abs(logits)))
    loss = contrib_losses.sigmoid_cross_entropy(logits, labels, label_smoothing=0.2)
    assert loss.name == "sigmoid_cross_entropy_loss/value:0"
    assert _eval(loss) == pytest.approx(xent.mean(), rel=1e-6)


def _log_softmax(x):
    x = x - x.max(1, keepdims=True)
    return x - np.log(np.exp(x).sum(1, keepdims=True))


def test_softmax_cross_entropy_smooths_over_the_classes():
    logits = np.array([[2.0, -1.0, 0.5], [0.5, 3.0, 1.0]], np.float32)
    onehot = np.eye(3, dtype=np.float32)[[0, 2]]
    z = onehot * 0.7 + 0.3 / 3
    want = (-(z * _log_softmax(logits)).sum(1) * [1.0, 2.0]).sum() / 2
    loss = contrib_losses.softmax_cross_entropy(logits, onehot, weights=[1.0, 2.0],
                                                label_smoothing=0.3)
    assert _eval(loss) == pytest.approx(want, rel=1e-6)


def test_sparse_softmax_cross_entropy_accepts_column_labels():
    logits = np.array([[2.0, -1.0, 0.5], [0.5, 3.0, 1.0]], np.float32)
    loss = contrib_losses.sparse_softmax_cross_entropy(logits, [[0], [2]])
    assert loss.name == "sparse_softmax_cross_entropy_loss/value:0"
    want = -(_log_softmax(logits)[0, 0] + _log_softmax(logits)[1, 2]) / 2
    assert _eval(loss) == pytest.approx(want, rel=1e-6)


def _pairwise(p, y):
    d = p - y
    return np.array([((r[:, None] - r[None, :]) ** 2).sum() / r.size ** 2 for r in d])


def test_mean_pairwise_squared_error_sums_the_per_entry_pair_means():
    loss = contrib_losses.mean_pairwise_squared_error(P, L)
    assert loss.name.startswith("mean_pairwise_squared_error/value")
    assert _eval(loss) == pytest.approx(_pairwise(P, L).sum(), rel=1e-5)
    assert contrib_losses.get_losses() == [loss]


def test_mean_pairwise_squared_error_batch_weights_and_zero_weights():
    loss = contrib_losses.mean_pairwise_squared_error(P, L, weights=[2.0, 0.0])
    assert _eval(loss) == pytest.approx(2.0 * _pairwise(P, L)[0], rel=1e-5)
    zero = contrib_losses.mean_pairwise_squared_error(P, L, weights=0.0)
    assert _eval(zero) == 0.0


def test_cosine_distance_drops_the_axis_and_needs_it():
    p = np.array([[1.0, 0.0], [0.6, 0.8]], np.float32)
    y = np.array([[0.0, 1.0], [0.6, 0.8]], np.float32)
    loss = contrib_losses.cosine_distance(p, y, dim=1)
    assert loss.name == "cosine_distance_loss/value:0"
    assert _eval(loss) == pytest.approx(0.5)
    weighted = contrib_losses.cosine_distance(p, y, axis=1, weights=[1.0, 0.0])
    assert _eval(weighted) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="You must specify 'axis'"):
        contrib_losses.cosine_distance(p, y)
    with pytest.raises(ValueError, match="both 'axis' and 'dim'"):
        contrib_losses.cosine_distance(p, y, axis=1, dim=1)


def test_total_loss_adds_the_regularization_losses():
    contrib_losses.absolute_difference(P, L)
    reg = tf.constant(2.0)
    tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, reg)
    contrib_losses.add_loss(tf.constant(1.0))
    contrib_losses.add_loss(tf.constant(5.0), loss_collection=None)
    assert contrib_losses.get_regularization_losses() == [reg]
    total = contrib_losses.get_total_loss()
    assert total.name == "total_loss:0"
    assert _eval(total) == pytest.approx(np.abs(P - L).mean() + 3.0)
    without = contrib_losses.get_total_loss(add_regularization_losses=False, name="t")
    assert _eval(without) == pytest.approx(np.abs(P - L).mean() + 1.0)


def test_total_loss_without_losses_raises():
    with pytest.raises(ValueError):
        contrib_losses.get_total_loss()


def test_get_losses_filters_by_scope():
    with tf.name_scope("tower_0"):
        first = contrib_losses.mean_squared_error(P, L)
    contrib_losses.mean_squared_error(P, L)
    assert contrib_losses.get_losses(scope="tower_0") == [first]
