"""matrix_band_part, matrix_diag, matrix_set_diag, matrix_transpose, trace, einsum and
tensordot (issue 17, item 3): values, static shapes, names and errors as TF 1 gives them."""
import numpy as np
import pytest

import minitf as tf

from _session import run

P = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32)


def test_band_part_keeps_the_band():
    bp = tf.matrix_band_part(tf.ones([3, 4]), 1, 0)
    assert (bp.name, bp.shape.as_list()) == ("MatrixBandPart:0", [3, 4])
    assert tf.linalg.band_part is tf.matrix_band_part
    np.testing.assert_array_equal(run(bp), [[1, 0, 0, 0], [1, 1, 0, 0], [0, 1, 1, 0]])
    np.testing.assert_array_equal(run(tf.matrix_band_part(tf.ones([2, 3]), -1, 0)),
                                  [[1, 0, 0], [1, 1, 0]])
    with pytest.raises(ValueError, match="Shape must be at least rank 2 but is rank 1"):
        tf.matrix_band_part(tf.zeros([3]), 1, 1)


def test_matrix_diag_and_set_diag():
    d = tf.matrix_diag([[1, 2], [3, 4]])
    assert (d.name, d.dtype, d.shape.as_list()) == ("MatrixDiag:0", tf.int32, [2, 2, 2])
    np.testing.assert_array_equal(run(d), [[[1, 0], [0, 2]], [[3, 0], [0, 4]]])
    sd = tf.matrix_set_diag(tf.zeros([2, 3]), [7.0, 8.0])
    assert (sd.name, sd.shape.as_list()) == ("MatrixSetDiag:0", [2, 3])
    np.testing.assert_array_equal(run(sd), [[7, 0, 0], [0, 8, 0]])
    assert tf.linalg.diag is tf.matrix_diag and tf.linalg.set_diag is tf.matrix_set_diag
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        tf.matrix_set_diag(tf.zeros([2, 3]), [1.0, 2.0, 3.0])


def test_matrix_transpose_and_trace():
    mt = tf.matrix_transpose(tf.zeros([2, 3, 4]))
    assert (mt.name, mt.shape.as_list()) == ("matrix_transpose/transpose:0", [2, 4, 3])
    assert tf.linalg.transpose is tf.matrix_transpose
    with pytest.raises(ValueError, match="rank >= 2"):
        tf.matrix_transpose([1, 2])
    tr = tf.trace(tf.reshape(tf.range(12.0), [3, 4]))
    assert (tr.name, tr.shape.as_list()) == ("Trace:0", [])
    assert run(tr) == 15.0
    np.testing.assert_array_equal(run(tf.linalg.trace(np.ones((2, 3, 3)))), [3, 3])


def test_einsum_and_tensordot():
    e = tf.einsum("ij,jk->ik", P, P.T)
    assert (e.name, e.op.type, e.shape.as_list()) == ("einsum/Einsum:0", "Einsum", [3, 3])
    np.testing.assert_array_equal(run(e), P @ P.T)
    np.testing.assert_array_equal(run(tf.einsum("ij->", P)), 21)
    np.testing.assert_array_equal(run(tf.einsum("ij,ij", P, P)), (P * P).sum())
    assert tf.einsum("...ij,...jk", np.ones((2, 3, 4)), np.ones((4, 5))).shape.as_list() == [
        2, 3, 5]
    with pytest.raises(ValueError, match="Expected dimension 3 at axis 0 of input 1"):
        tf.einsum("ij,jk", np.ones((2, 3)), np.ones((4, 5)))
    td = tf.tensordot(P, P.T, 1)
    assert td.shape.as_list() == [3, 3] and tf.linalg.tensordot is tf.tensordot
    np.testing.assert_array_equal(run(td), P @ P.T)
    assert run(tf.tensordot(P, P, [[0, 1], [0, 1]])) == 91.0
    with pytest.raises(ValueError, match='Got 1 inputs for equation "ij,jk->ik", expecting 2'):
        tf.einsum("ij,jk->ik", P)


def test_einsum_gradient_of_repeated_letters():  # (more in test_leftovers_17.py)
    x = tf.constant(np.eye(2))
    np.testing.assert_array_equal(run(tf.gradients(tf.einsum("ii->", x), x)[0]), np.eye(2))


def test_matrix_ops_run_eagerly():
    with tf.eager_mode():
        np.testing.assert_array_equal(tf.einsum("ij,j->i", P, [1.0, 1.0]).numpy(), [3, 7, 11])
        np.testing.assert_array_equal(tf.matrix_diag([1, 2]).numpy(), [[1, 0], [0, 2]])
        assert tf.trace(P[:2]).numpy() == 5.0
