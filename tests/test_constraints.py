"""Constraints (Keras semantics): each a Tensor -> Tensor callable with an axis."""
import numpy as np
import pytest

import minitf as tf

from _session import run

W = np.array([[3.0, 0.1], [4.0, -0.2]], np.float32)  # column norms 5 and ~0.224


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


def radial(kernel2d):
    w = np.asarray(kernel2d, np.float32)[:, :, None, None] * np.array([1.0, -1.0], np.float32)
    out = run(tf.constraints.radial_constraint()(tf.constant(w)))
    np.testing.assert_array_equal(out[..., 0, 1], -out[..., 0, 0])  # each channel on its own
    return out[..., 0, 0]


def test_radial_constraint_even_kernel_as_keras():
    k = np.arange(16.0).reshape(4, 4)  # v_11 = 5, v_33 = 15
    np.testing.assert_array_equal(radial(k), [[15, 15, 15, 15], [15, 5, 5, 15],
                                              [15, 5, 5, 15], [15, 15, 15, 15]])


def test_radial_constraint_odd_kernel_keeps_each_ring_value():
    k = np.arange(25.0).reshape(5, 5)  # centre v_22 = 12, ring 1 v_33 = 18, ring 2 v_44 = 24
    expected = np.full((5, 5), 24.0)
    expected[1:4, 1:4] = 18
    expected[2, 2] = 12
    np.testing.assert_array_equal(radial(k), expected)
    np.testing.assert_array_equal(radial([[7.0]]), [[7.0]])


def test_radial_constraint_rejects_other_shapes():
    with pytest.raises(ValueError, match="rank 4"):
        tf.constraints.RadialConstraint()(tf.zeros([3, 3]))
    with pytest.raises(ValueError, match="square kernel"):
        tf.constraints.RadialConstraint()(tf.zeros([3, 2, 1, 1]))
