"""Constraints (Keras semantics): each a Tensor -> Tensor callable with an axis."""
import numpy as np

import minitf as tf

W = np.array([[3.0, 0.1], [4.0, -0.2]], np.float32)  # column norms 5 and ~0.224


def run(t):
    with tf.Session() as sess:
        return sess.run(t)


def test_max_norm_scales_down_only_large_slices():
    out = run(tf.constraints.max_norm(2.0, axis=0)(tf.constant(W)))
    np.testing.assert_allclose(np.linalg.norm(out, axis=0), [2.0, np.linalg.norm(W[:, 1])],
                               rtol=1e-5)
    rows = run(tf.constraints.MaxNorm(1.0, axis=1)(tf.constant(W)))
    assert np.all(np.linalg.norm(rows, axis=1) <= 1.0 + 1e-6)


def test_min_max_norm_unit_norm_non_neg():
    t = tf.constant(W)
    mm = run(tf.constraints.min_max_norm(1.0, 2.0)(t))
    np.testing.assert_allclose(np.linalg.norm(mm, axis=0), [2.0, 1.0], rtol=1e-5)
    half = run(tf.constraints.MinMaxNorm(1.0, 2.0, rate=0.5)(t))
    np.testing.assert_allclose(np.linalg.norm(half, axis=0), [3.5, (1 + 0.2236) / 2], rtol=1e-3)
    np.testing.assert_allclose(np.linalg.norm(run(tf.constraints.unit_norm()(t)), axis=0),
                               [1.0, 1.0], rtol=1e-5)
    np.testing.assert_allclose(run(tf.constraints.non_neg()(t)), [[3.0, 0.1], [4.0, 0.0]])
    assert tf.constraints.max_norm(3, axis=1).get_config() == {"max_value": 3, "axis": 1}


def test_constraint_applies_to_a_variable():
    v = tf.get_variable("v", initializer=W, constraint=tf.constraints.non_neg())
    projected = v.constraint(v)
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(v.assign(projected))
        assert sess.run(v).min() == 0.0
