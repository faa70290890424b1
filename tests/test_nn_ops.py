"""tf.nn: activations, softmax, cross-entropies and l2_loss against NumPy formulas."""
import numpy as np
import pytest

import minitf as tf

from _session import run

X = np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -7.0]], np.float32)


def np_log_softmax(x, axis=-1):
    s = x - x.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


ACTIVATIONS = [
    (tf.nn.relu, "Relu", lambda x: np.maximum(x, 0)),
    (tf.nn.relu6, "Relu6", lambda x: np.clip(x, 0, 6)),
    (tf.nn.elu, "Elu", lambda x: np.where(x > 0, x, np.exp(x) - 1)),
    (tf.nn.softplus, "Softplus", lambda x: np.log1p(np.exp(x))),
    (tf.nn.sigmoid, "Sigmoid", lambda x: 1 / (1 + np.exp(-x))),
    (tf.nn.tanh, "Tanh", np.tanh),
]


@pytest.mark.parametrize("fn, name, ref", ACTIVATIONS, ids=[a[1] for a in ACTIVATIONS])
def test_activation_values_names_and_shapes(fn, name, ref):
    t = fn(tf.constant(X))
    assert (t.name, t.op.type, t.dtype, t.shape.as_list()) == (name + ":0", name, tf.float32,
                                                               [2, 3])
    np.testing.assert_allclose(run(t), ref(X), rtol=1e-6, atol=1e-7)
    assert fn(tf.placeholder(tf.float32, [None, 3])).shape.as_list() == [None, 3]


def test_relu_accepts_ints_and_rejects_bool():
    assert run(tf.nn.relu(tf.constant([-1, 2]))).tolist() == [0, 2]
    with pytest.raises(TypeError, match="Value passed to parameter 'features' has DataType bool"):
        tf.nn.relu(tf.constant([True]))


def test_softmax_and_log_softmax_rows_and_stability():
    s = tf.nn.softmax(tf.constant(X))
    assert (s.name, s.shape.as_list()) == ("Softmax:0", [2, 3])
    np.testing.assert_allclose(run(s), np.exp(np_log_softmax(X)), rtol=1e-6)
    np.testing.assert_allclose(run(s).sum(axis=1), [1.0, 1.0], rtol=1e-6)
    big = run(tf.nn.softmax(tf.constant([[1000.0, 1000.0, -1000.0]])))
    np.testing.assert_allclose(big, [[0.5, 0.5, 0.0]])
    ls = tf.nn.log_softmax(tf.placeholder(tf.float32, [None, 3]), name="ls")
    assert (ls.name, ls.shape.as_list()) == ("ls:0", [None, 3])
    np.testing.assert_allclose(run(tf.nn.log_softmax(tf.constant(X), axis=0)),
                               np_log_softmax(X, axis=0), rtol=1e-6)


def test_sparse_softmax_cross_entropy():
    labels = np.array([2, 0])
    t = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=tf.constant(X))
    assert t.name == "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits:0"
    assert (t.dtype, t.shape.as_list()) == (tf.float32, [2])
    np.testing.assert_allclose(run(t), -np_log_softmax(X)[[0, 1], labels], rtol=1e-6)
    p = tf.placeholder(tf.float32, [None, 3])
    u = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([1, 2]), logits=p)
    assert u.shape.as_list() == [2]


def test_sparse_softmax_cross_entropy_errors():
    with pytest.raises(ValueError, match="Shape mismatch: The shape of labels"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[[0]], logits=tf.constant(X))
    bad = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[5, 0], logits=tf.constant(X))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Received a label value of 5"):
        run(bad)


def test_softmax_cross_entropy_v2_matches_formula():
    labels = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]], np.float32)
    t = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=tf.constant(X))
    assert (t.name, t.shape.as_list()) == ("softmax_cross_entropy_with_logits:0", [2])
    np.testing.assert_allclose(run(t), -(labels * np_log_softmax(X)).sum(axis=1), rtol=1e-6)
    with pytest.raises(ValueError, match="logits and labels must be broadcastable"):
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels[:, :2], logits=tf.constant(X))


def test_l2_loss_is_half_sum_of_squares():
    t = tf.nn.l2_loss(tf.constant(X))
    assert (t.name, t.shape.as_list()) == ("L2Loss:0", [])
    np.testing.assert_allclose(run(t), (X ** 2).sum() / 2, rtol=1e-6)


def test_top_level_namespace_has_only_tf1_names():
    assert hasattr(tf, "sigmoid") and hasattr(tf, "tanh") and hasattr(tf.nn, "relu")
    assert not hasattr(tf, "relu") and not hasattr(tf, "softmax")
