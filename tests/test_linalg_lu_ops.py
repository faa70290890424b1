"""tf.linalg.lu and what builds on it (lu_solve, lu_matrix_inverse, lu_reconstruct): TF's packed
layout and permutation, shapes, dtypes, names, errors and gradients (values from TF 1 graph mode
through tfdiff)."""
import numpy as np
import pytest

import minitf as tf

from _session import run

A = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]])
B = np.array([[[3.0, 4.0], [1.0, 2.0]], [[7.0, 8.0], [3.0, 4.0]]])
LU = [[7.0, 8.0, 10.0], [1 / 7, 6 / 7, 11 / 7], [4 / 7, 0.5, -0.5]]


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_lu_packs_l_and_u_with_tfs_permutation():
    lu, p = tf.linalg.lu(tf.constant(A))
    assert (lu.name, p.name, lu.op.type, lu.shape.as_list(), p.shape.as_list(), p.dtype) == (
        "Lu:0", "Lu:1", "Lu", [3, 3], [3], tf.int32)
    assert lu.op.get_attr("output_idx_type") == tf.int32
    value, perm = run(tf.linalg.lu(tf.constant(A)))
    close(value, LU)
    np.testing.assert_array_equal(perm, [2, 0, 1])
    result = tf.linalg.lu(tf.constant(A))
    assert type(result).__name__ == "Lu" and result.p is result[1]


def test_lu_batched_and_int64_and_complex():
    lu, p = tf.linalg.lu(tf.constant(B), output_idx_type=tf.int64)
    assert p.dtype == tf.int64 and p.shape.as_list() == [2, 2]
    value, perm = run([lu, p])
    close(value, [[[3.0, 4.0], [1 / 3, 2 / 3]], [[7.0, 8.0], [3 / 7, 4 / 7]]])
    np.testing.assert_array_equal(perm, [[0, 1], [0, 1]])
    value, perm = run(tf.linalg.lu(tf.constant([[1.0, 2j], [3.0, 4.0]], tf.complex128)))
    close(value, [[3.0, 4.0], [1 / 3, -4 / 3 + 2j]])
    np.testing.assert_array_equal(perm, [1, 0])
    value, perm = run(tf.linalg.lu(tf.zeros([0, 3, 3], tf.float64)))
    assert value.shape == (0, 3, 3) and perm.shape == (0, 3)


def test_lu_errors():
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3"):
        tf.linalg.lu(np.ones((2, 3)))
    with pytest.raises(ValueError, match="Shape must be at least rank 2 but is rank 1"):
        tf.linalg.lu(np.ones(3))
    with pytest.raises(TypeError, match="parameter 'input' has DataType int32 not in list of "
                       "allowed values: float64, float32, float16, complex64, complex128"):
        tf.linalg.lu([[1, 2], [3, 4]])
    with pytest.raises(TypeError, match="parameter 'output_idx_type' has DataType float32"):
        tf.linalg.lu(A, output_idx_type=tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input is not invertible."):
        run(tf.linalg.lu([[1.0, 2.0], [2.0, 4.0]]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="No OpKernel was registered"):
        run(tf.linalg.lu(tf.constant([[1.0, 2.0], [3.0, 4.0]], tf.float16)))


def test_lu_solve_inverse_and_reconstruct():
    lu, p = tf.linalg.lu(tf.constant(A))
    x = tf.linalg.lu_solve(lu, p, tf.constant([[1.0], [2.0], [3.0]], tf.float64))
    assert x.shape.as_list() == [3, 1] and x.op.type == "MatrixTriangularSolve"
    assert x.name.startswith("lu_solve/")
    close(run(x), [[-1 / 3], [2 / 3], [0.0]])
    inverse = tf.linalg.lu_matrix_inverse(lu, p)
    assert inverse.shape.as_list() == [3, 3] and inverse.name.startswith("lu_matrix_inverse/")
    close(run(inverse), [[-2 / 3, -4 / 3, 1.0], [-2 / 3, 11 / 3, -2.0], [1.0, -2.0, 1.0]])
    rebuilt = tf.linalg.lu_reconstruct(lu, p)
    assert rebuilt.shape.as_list() == [3, 3] and rebuilt.name.startswith("lu_reconstruct/")
    close(run(rebuilt), A)


def test_batched_solve_broadcasts_rhs():
    lu, p = tf.linalg.lu(tf.constant(B))
    close(run(tf.linalg.lu_solve(lu, p, tf.eye(2, dtype=tf.float64))), np.linalg.inv(B))
    close(run(tf.linalg.lu_reconstruct(lu, p)), B)
    close(run(tf.linalg.lu_matrix_inverse(lu, p)), np.linalg.inv(B))


def test_gradients_by_lower_upper_and_rhs():
    lu, p = tf.linalg.lu(tf.constant(A))
    rhs = tf.constant([[1.0], [2.0], [3.0]], tf.float64)
    g_lu, g_rhs = run(tf.gradients(tf.reduce_sum(tf.linalg.lu_solve(lu, p, rhs)), [lu, rhs]))
    close(g_lu, [[1 / 21, -2 / 21, 0.0], [1.0, 1 / 9, 0.0], [-1.0, -4 / 21, 0.0]])
    close(g_rhs, [[-1 / 3], [1 / 3], [0.0]])
    r = tf.linalg.lu_reconstruct(lu, p)
    close(run(tf.gradients(tf.reduce_sum(r * r), lu)[0]),
          [[132 / 7, 156 / 7, 194 / 7], [106.0, 9.0, 12.0], [256.0, 192 / 7, 12.0]])


def test_static_checks():
    with pytest.raises(ValueError, match="must have at least 2 dimensions"):
        tf.linalg.lu_reconstruct(np.ones(2), [0, 1])
    with pytest.raises(ValueError, match=r"`rank\(lower_upper\)` must equal `rank\(perm\) \+ 1`"):
        tf.linalg.lu_reconstruct(np.ones((2, 2)), [[0, 1]])
    with pytest.raises(ValueError, match="`lower_upper` must be square."):
        tf.linalg.lu_reconstruct(np.ones((2, 3)), [0, 1])
    with pytest.raises(ValueError, match="Input `rhs` must have at least 2 dimensions."):
        tf.linalg.lu_solve(np.ones((2, 2)), [0, 1], np.ones(2))
    with pytest.raises(ValueError, match=r"`lower_upper.shape\[-1\]` must equal"):
        tf.linalg.lu_solve(np.ones((2, 2)), [0, 1], np.ones((3, 1)))


def test_lu_runs_eagerly():
    with tf.eager_mode():
        lu, p = tf.linalg.lu(A)
        np.testing.assert_array_equal(p.numpy(), [2, 0, 1])
        close(tf.linalg.lu_reconstruct(lu, p).numpy(), A)
