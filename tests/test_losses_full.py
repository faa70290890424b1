"""tf.losses (issue 18, item 4): every loss under every reduction, weights, names, the LOSSES
collection and the errors, with the values TF 1 gives."""
import numpy as np
import pytest

import minitf as tf

from _session import run

LABELS = np.array([[0., 1., 1.], [1., 0., 1.]], np.float32)
PREDS = np.array([[0.2, 0.7, 0.9], [0.6, 0.1, 0.3]], np.float32)
LOGITS = np.array([[-1.5, 2.0, 0.3], [0.7, -0.2, 1.1]], np.float32)
W2 = np.array([[1.0, 0.0, 2.0], [0.5, 0.0, 1.0]], np.float32)
R = tf.losses.Reduction

# TF 1's values (tfdiff), rounded to 5 places
EXPECTED = {
    ('abs', 'weighted_sum'): 1.3,
    ('mse', 'weighted_sum'): 0.28,
    ('hinge', 'weighted_sum'): 1.55,
    ('huber', 'weighted_sum'): 1.1025,
    ('log', 'weighted_sum'): 1.89325,
    ('sig', 'weighted_sum'): 2.15405,
    ('cos', 'weighted_sum'): -0.3,
    ('soft', 'weighted_sum'): 3.8338,
    ('sparse', 'weighted_sum'): 1.893,
    ('abs', 'weighted_mean'): 0.28889,
    ('mse', 'weighted_mean'): 0.04667,
    ('hinge', 'weighted_mean'): 0.34444,
    ('huber', 'weighted_mean'): 0.245,
    ('log', 'weighted_mean'): 0.42072,
    ('sig', 'weighted_mean'): 0.47868,
    ('cos', 'weighted_mean'): -0.075,
    ('soft', 'weighted_mean'): 0.95845,
    ('sparse', 'weighted_mean'): 1.893,
    ('abs', 'weighted_sum_over_batch_size'): 0.21667,
    ('mse', 'weighted_sum_over_batch_size'): 0.04667,
    ('hinge', 'weighted_sum_over_batch_size'): 0.25833,
    ('huber', 'weighted_sum_over_batch_size'): 0.18375,
    ('log', 'weighted_sum_over_batch_size'): 0.31554,
    ('sig', 'weighted_sum_over_batch_size'): 0.35901,
    ('cos', 'weighted_sum_over_batch_size'): -0.15,
    ('soft', 'weighted_sum_over_batch_size'): 1.9169,
    ('sparse', 'weighted_sum_over_batch_size'): 0.9465,
    ('abs', 'weighted_sum_by_nonzero_weights'): 0.325,
    ('mse', 'weighted_sum_by_nonzero_weights'): 0.09333,
    ('hinge', 'weighted_sum_by_nonzero_weights'): 0.3875,
    ('huber', 'weighted_sum_by_nonzero_weights'): 0.27563,
    ('log', 'weighted_sum_by_nonzero_weights'): 0.47331,
    ('sig', 'weighted_sum_by_nonzero_weights'): 0.53851,
    ('cos', 'weighted_sum_by_nonzero_weights'): -0.15,
    ('soft', 'weighted_sum_by_nonzero_weights'): 1.9169,
    ('sparse', 'weighted_sum_by_nonzero_weights'): 1.893,
    'pair': 0.41667,
}


def _losses(red):
    return {
        "abs": tf.losses.absolute_difference(LABELS, PREDS, weights=W2, reduction=red),
        "mse": tf.losses.mean_squared_error(LABELS, PREDS, weights=[[2.0], [0.0]],
                                            reduction=red),
        "hinge": tf.losses.hinge_loss(LABELS, LOGITS, weights=W2, reduction=red),
        "huber": tf.losses.huber_loss(LABELS, LOGITS, weights=W2, delta=0.5, reduction=red),
        "log": tf.losses.log_loss(LABELS, PREDS, weights=W2, reduction=red),
        "sig": tf.losses.sigmoid_cross_entropy(LABELS, LOGITS, weights=W2, label_smoothing=0.2,
                                               reduction=red),
        "cos": tf.losses.cosine_distance(LABELS, PREDS, axis=1, weights=[[1.0], [3.0]],
                                         reduction=red),
        "soft": tf.losses.softmax_cross_entropy(LABELS / 2, LOGITS, weights=[1.0, 3.0],
                                                label_smoothing=0.1, reduction=red),
        "sparse": tf.losses.sparse_softmax_cross_entropy([2, 0], LOGITS, weights=[1.0, 0.0],
                                                         reduction=red),
    }


@pytest.mark.parametrize("red", [R.SUM, R.MEAN, R.SUM_OVER_BATCH_SIZE, R.SUM_BY_NONZERO_WEIGHTS])
def test_losses_match_tf_under_each_reduction(red):
    values = run(_losses(red))
    for key, value in values.items():
        assert round(float(value), 5) == pytest.approx(EXPECTED[key, red], abs=2e-5), key


def test_mean_pairwise_squared_error():
    loss = tf.losses.mean_pairwise_squared_error(LABELS, PREDS, weights=[[2.0], [0.5]])
    zero = tf.losses.mean_pairwise_squared_error(LABELS, PREDS, weights=[[0.0], [0.0]])
    assert loss.name == "mean_pairwise_squared_error/value_2:0"
    assert run(loss) == pytest.approx(EXPECTED["pair"], abs=2e-5)
    assert run(zero) == 0.0


def test_reduction_none_keeps_shape_and_names():
    loss = tf.losses.absolute_difference(LABELS, PREDS, reduction=R.NONE)
    assert (loss.name, loss.shape.as_list()) == ("absolute_difference/Mul:0", [2, 3])
    np.testing.assert_allclose(run(loss), np.abs(PREDS - LABELS), rtol=1e-6)
    cos = tf.losses.cosine_distance(LABELS, PREDS, dim=1, reduction=R.NONE)
    assert cos.shape.as_list() == [2, 1]
    mean = tf.losses.mean_squared_error(LABELS, PREDS)
    assert mean.name == "mean_squared_error/value:0"
    assert R.all() == ("none", "weighted_sum", "weighted_mean", "weighted_sum_over_batch_size",
                       "weighted_sum_by_nonzero_weights", "weighted_sum_by_nonzero_weights")


def test_compute_weighted_loss_keeps_dtype():
    loss = tf.losses.compute_weighted_loss([1.0, 2.0, 3.0], weights=[1.0, 0.0, 2.0])
    assert loss.name == "weighted_loss/value:0"
    assert run(loss) == 3.5
    wide = tf.losses.compute_weighted_loss(np.array([1, 2, 3], np.float64), weights=0.0)
    assert wide.dtype == tf.float64 and run(wide) == 0.0


def test_collection_and_total_loss():
    a = tf.losses.absolute_difference(LABELS, PREDS)
    tf.losses.mean_squared_error(LABELS, PREDS, loss_collection=None)
    with tf.variable_scope("reg", regularizer=lambda w: tf.reduce_sum(w)):
        tf.get_variable("w", initializer=[1.0, 2.0])
    s = tf.losses.hinge_loss(LABELS, LOGITS, scope="mine")
    assert tf.losses.get_losses() == [a, s]
    assert tf.losses.get_losses(scope="mine") == [s]
    total = tf.losses.get_total_loss()
    assert total.name == "total_loss:0"
    only = tf.losses.get_total_loss(add_regularization_losses=False, name="t")
    a_v, s_v, t_v, o_v = run([a, s, total, only])
    assert t_v == pytest.approx(a_v + s_v + 3.0) and o_v == pytest.approx(a_v + s_v)
    extra = tf.constant(2.0)
    tf.losses.add_loss(extra)
    assert tf.losses.get_losses()[-1] is extra


def test_gradients_match_tf():
    x = tf.constant([[0.5, -1.0, 2.0]])
    y = tf.constant([[1.0, 0.0, 1.0]])
    losses = [tf.losses.sigmoid_cross_entropy(y, x), tf.losses.huber_loss(y, x),
              tf.losses.softmax_cross_entropy(y / 2, x, label_smoothing=0.3),
              tf.losses.log_loss(y, tf.sigmoid(x)), tf.losses.hinge_loss(y, x),
              tf.losses.cosine_distance(y, x, dim=1)]
    grad = run(tf.gradients(losses, x)[0])
    np.testing.assert_allclose(grad, [[-2.0264, -0.21493, -0.41054]], atol=2e-5)


def test_errors():
    with pytest.raises(ValueError, match="Argument `labels` must not be None."):
        tf.losses.absolute_difference(None, [1.0])
    with pytest.raises(ValueError, match="Argument `logits` must not be None."):
        tf.losses.hinge_loss([1.0], None)
    with pytest.raises(ValueError, match="You must specify argument `axis`."):
        tf.losses.cosine_distance([[1.0]], [[1.0]])
    with pytest.raises(ValueError, match=r"Shapes \(3,\) and \(2,\) are incompatible"):
        tf.losses.mean_squared_error([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="weights can not be broadcast to values."):
        tf.losses.mean_squared_error([[1.0, 2.0]], [[1.0, 2.0]], weights=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="Invalid Reduction Key bad. Key should be one of"):
        tf.losses.compute_weighted_loss([1.0], reduction="bad")
    with pytest.raises(ValueError, match="Inputs must be an iterable of at least one"):
        tf.losses.get_total_loss()
    # the None checks come before the loss's name scope is opened, as in TF
    assert tf.losses.hinge_loss([1.0], [1.0]).name == "hinge_loss/value:0"


def test_eager_losses_skip_the_collection():
    with tf.eager_mode():
        loss = tf.losses.mean_squared_error([1.0, 2.0], [1.5, 2.0])
        assert float(loss.numpy()) == 0.125
    assert tf.losses.get_losses() == []


def test_squeezable_labels_and_weights_and_fed_weights():
    d = tf.losses.sparse_softmax_cross_entropy(tf.constant([[1], [0]]), [[1.0, 2.0], [0.5, 0.1]],
                                               weights=[[1.0], [2.0]])
    c = tf.losses.huber_loss([[1.0], [3.0]], [[0.0], [0.0]], weights=[[2.0], [1.0]],
                             reduction=R.MEAN)
    e = tf.losses.log_loss([1.0, 0.0], [0.5, 0.2], epsilon=0.1)
    wp = tf.placeholder(tf.float32, None)
    lp = tf.placeholder(tf.float32, [None, 2])
    a = tf.losses.mean_squared_error(lp, tf.ones_like(lp), weights=wp)
    b = tf.losses.absolute_difference([[1.0, 2.0]], [[0.0, 0.0]], weights=tf.constant(0.0))
    with tf.Session() as sess:
        got = sess.run([a, b, c, d, e], {wp: [[1.0], [3.0]], lp: [[1.0, 2.0], [0.0, 4.0]]})
        np.testing.assert_allclose(got, [7.75, 0.0, 1.16667, 0.66965, 0.30809], atol=2e-5)
        assert sess.run(a, {wp: 2.0, lp: [[1.0, 2.0], [0.0, 4.0]]}) == 5.5
