"""Regularizers: TF1 layers semantics (l2 = scale * sum(w**2) / 2) and Keras semantics
(l2 = l * sum(w**2)), side by side."""
import numpy as np
import pytest

import minitf as tf

from _session import run

W = np.array([[1.0, -2.0], [3.0, -4.0]], np.float32)


def test_tf1_l1_l2_values_and_names():
    w = tf.constant(W)
    l1 = tf.regularizers.l1_regularizer(0.5)(w)
    l2 = tf.regularizers.l2_regularizer(0.5)(w)
    both = tf.regularizers.l1_l2_regularizer(0.5, 0.5)(w)
    assert (l1.name, l2.name) == ("l1_regularizer:0", "l2_regularizer:0")
    np.testing.assert_allclose(run([l1, l2, both]), [5.0, 7.5, 12.5])


def test_keras_regularizers_do_not_halve():
    w = tf.constant(W)
    out = run([tf.regularizers.l1(0.5)(w), tf.regularizers.l2(0.5)(w),
               tf.regularizers.l1_l2(0.5, 0.5)(w)])
    np.testing.assert_allclose(out, [5.0, 15.0, 20.0])
    assert tf.regularizers.l2(0.5).get_config() == {"l1": 0.0, "l2": 0.5}


def test_zero_scale_adds_no_loss_and_bad_scales_raise():
    reg = tf.regularizers.l2_regularizer(0.0)
    assert reg(tf.constant(W)) is None
    tf.get_variable("v", [2], regularizer=reg)
    assert tf.losses.get_regularization_losses() == []
    with pytest.raises(ValueError, match="Setting a scale less than 0"):
        tf.regularizers.l2_regularizer(-1.0)
    with pytest.raises(ValueError, match="scale cannot be an integer"):
        tf.regularizers.l1_regularizer(1)


def test_sum_regularizer_and_apply_regularization():
    w = tf.constant(W)
    total = tf.regularizers.sum_regularizer([tf.regularizers.l1_regularizer(1.0), None,
                                             tf.regularizers.l2_regularizer(1.0)])
    assert run(total(w)) == pytest.approx(25.0)
    assert tf.regularizers.sum_regularizer([None]) is None
    penalty = tf.regularizers.apply_regularization(tf.regularizers.l1_regularizer(0.1), [w, w])
    assert run(penalty) == pytest.approx(2.0)
    assert len(tf.losses.get_regularization_losses()) == 2
    with pytest.raises(ValueError, match="No weights to regularize"):
        tf.regularizers.apply_regularization(tf.regularizers.l1_regularizer(0.1), [])


def test_any_callable_regularizes_a_variable_once():
    v = tf.get_variable("v", initializer=W, regularizer=lambda t: tf.reduce_sum(t) * 3.0)
    (loss,) = tf.losses.get_regularization_losses()
    assert loss.name == "v/Regularizer/mul:0" and run(loss) == pytest.approx(-6.0)
    assert v.name == "v:0"


def test_partitioned_variable_is_regularized_per_part():
    tf.get_variable("p", initializer=np.arange(10.0, dtype=np.float32).reshape(5, 2),
                    regularizer=tf.nn.l2_loss, partitioner=tf.fixed_size_partitioner(2))
    losses = tf.losses.get_regularization_losses()
    assert [loss.name for loss in losses] == ["p/part_0/Regularizer/L2Loss:0",
                                              "p/part_1/Regularizer/L2Loss:0"]
    np.testing.assert_allclose(run(losses), [(0 + 1 + 4 + 9 + 16 + 25) / 2,
                                             (36 + 49 + 64 + 81) / 2])
