"""tf.layers.dense and dropout (names as TF1 gives them), nn.bias_add and nn.dropout."""
import numpy as np
import pytest

import minitf as tf

from _session import run


def test_dense_names_and_reuse_as_tf1():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y1 = tf.layers.dense(x, 4, activation=tf.nn.relu)
    y2 = tf.layers.dense(x, 2)
    with tf.variable_scope("outer"):
        y3 = tf.layers.dense(x, 2, name="fc", kernel_regularizer=tf.nn.l2_loss)
        y4 = tf.layers.dense(x, 2, name="fc", reuse=True)
        y5 = tf.layers.dense(x, 2, use_bias=False)
    assert [y.name for y in (y1, y2, y3, y4, y5)] == [
        "dense/Relu:0", "dense_1/BiasAdd:0", "outer/fc/BiasAdd:0", "outer/fc_1/BiasAdd:0",
        "outer/dense/MatMul:0"]
    assert y1.shape.as_list() == [None, 4]
    assert [v.name for v in tf.global_variables()] == [
        "dense/kernel:0", "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0",
        "outer/fc/kernel:0", "outer/fc/bias:0", "outer/dense/kernel:0"]
    assert [t.name for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)] == [
        "outer/fc/kernel/Regularizer/L2Loss:0"]
    with pytest.raises(ValueError, match="Variable dense/kernel already exists"):
        tf.layers.dense(x, 2, name="dense")


def test_dense_values_initializers_and_constraint():
    x = tf.constant([[1.0, 2.0]])
    clip = tf.constraints.non_neg()
    y = tf.layers.dense(x, 3, kernel_initializer=tf.constant_initializer(
        [[1.0, 0.0, -1.0], [0.5, 2.0, 1.0]]), bias_initializer=tf.ones_initializer(),
        activation=tf.nn.relu, kernel_constraint=clip)
    np.testing.assert_allclose(run(y), [[3.0, 5.0, 2.0]])
    kernel = tf.global_variables()[0]
    assert kernel.name == "dense/kernel:0" and kernel.constraint is clip


def test_dense_over_rank_3_inputs():
    x = tf.placeholder(tf.float32, [None, 2, 3])
    y = tf.layers.dense(x, 5, kernel_initializer=tf.ones_initializer())
    assert y.shape.as_list() == [None, 2, 5]
    out = run(y, {x: np.ones((4, 2, 3))})
    np.testing.assert_allclose(out, np.full((4, 2, 5), 3.0))


def test_dense_needs_a_known_last_dimension():
    with pytest.raises(ValueError, match="last dimension of the inputs to `Dense`"):
        tf.layers.dense(tf.placeholder(tf.float32, [None, None]), 2)


def test_bias_add():
    out = tf.nn.bias_add(tf.zeros([2, 3]), [1.0, 2.0, 3.0])
    assert out.op.type == "BiasAdd"
    np.testing.assert_array_equal(run(out), [[1, 2, 3], [1, 2, 3]])
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        tf.nn.bias_add(tf.zeros([2, 3]), [1.0, 2.0])


def test_dropout_keeps_the_expected_sum_and_zeroes_a_fraction():
    tf.set_random_seed(1)
    x = tf.ones([200, 100])
    out = run(tf.nn.dropout(x, rate=0.25))
    kept = out != 0
    assert abs(kept.mean() - 0.75) < 0.01
    np.testing.assert_allclose(out[kept], 1 / 0.75, rtol=1e-6)
    keep_prob = tf.placeholder(tf.float32, [])
    fed = run(tf.nn.dropout(x, keep_prob=keep_prob), {keep_prob: 0.5})
    assert abs((fed != 0).mean() - 0.5) < 0.01
    rows = run(tf.nn.dropout(x, rate=0.5, noise_shape=[200, 1]))
    assert all(len(set(r)) == 1 for r in rows.tolist())
    with pytest.raises(ValueError, match="range \\[0, 1\\)"):
        tf.nn.dropout(x, rate=1.0)
    with pytest.raises(ValueError, match="exactly one"):
        tf.nn.dropout(x)


def test_layers_dropout_only_when_training():
    x = tf.ones([50, 40])
    assert tf.layers.dropout(x, 0.5).name == "dropout/Identity:0"
    training = tf.placeholder(tf.bool, [])
    y = tf.layers.dropout(x, 0.5, training=training)
    np.testing.assert_array_equal(run(y, {training: False}), np.ones((50, 40)))
    assert 0.4 < (run(y, {training: True}) == 0).mean() < 0.6
