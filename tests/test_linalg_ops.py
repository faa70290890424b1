"""Linear algebra (issue 17): batched matmul, inverse, determinants, solves, Cholesky, least
squares, SVD, eigh, expm, sqrtm and logdet. Values are TensorFlow 2.21's (tf.compat.v1, printed
for the matrices below), plus static shapes with batch dims, TF's op names and TF's errors."""
import numpy as np
import pytest

import minitf as tf

from _session import run

SPD = np.array([[4., 1., 2.], [1., 3., 0.], [2., 0., 5.]])
N = np.array([[2., -1., 0.], [1., 3., 1.], [0., 2., 4.]])
B = np.array([[1., 2.], [0., -1.], [3., 1.]])
W = np.array([[1., 2.], [3., 4.], [5., 7.]])
RNG = np.random.RandomState(17)
BATCH = RNG.randn(2, 4, 3, 3) + 4 * np.eye(3)  # well conditioned
ATOL = 1e-7

TF_VALUES = [  # (minitf expression, TF's value)
    (lambda: tf.matrix_inverse(N), [[0.41666667, 0.16666667, -0.04166667],
                                    [-0.16666667, 0.33333333, -0.08333333],
                                    [0.08333333, -0.16666667, 0.29166667]]),
    (lambda: tf.matrix_determinant(N), 24.0),
    (lambda: tf.linalg.slogdet(-N), (-1.0, 3.1780538303479458)),
    (lambda: tf.matrix_solve(N, B), [[0.29166667, 0.625], [-0.41666667, -0.75],
                                     [0.95833333, 0.625]]),
    (lambda: tf.matrix_solve(N, B, adjoint=True), [[0.66666667, 1.08333333],
                                                   [-0.33333333, -0.16666667],
                                                   [0.83333333, 0.29166667]]),
    (lambda: tf.matrix_triangular_solve(N, B), [[0.5, 1.], [-0.16666667, -0.66666667],
                                                [0.83333333, 0.58333333]]),
    (lambda: tf.matrix_triangular_solve(N, B, lower=False, adjoint=True),
     [[0.5, 1.], [0.16666667, 0.], [0.70833333, 0.25]]),
    (lambda: tf.cholesky(SPD), [[2., 0., 0.], [0.5, 1.6583124, 0.],
                                [1., -0.30151134, 1.97714211]]),
    (lambda: tf.cholesky_solve(tf.cholesky(SPD), B), [[-0.06976744, 0.6744186],
                                                      [0.02325581, -0.55813953],
                                                      [0.62790698, -0.06976744]]),
    (lambda: tf.linalg.logdet(SPD), 3.761200115693563),
    (lambda: tf.matrix_solve_ls(W, B[:, :1] + 0.5), [[-2.21428571], [2.]]),
    (lambda: tf.matrix_solve_ls(W, B, l2_regularizer=0.5), [[-0.22641509, -0.98113208],
                                                           [0.49056604, 0.79245283]]),
    (lambda: tf.svd(W, compute_uv=False), [10.19142826, 0.36713769]),
    (lambda: tf.self_adjoint_eigvals(SPD), [1.85489731, 3.4760236, 6.66907909]),
    (lambda: tf.linalg.expm(N / 4), [[1.59226152, -0.47448747, -0.06690026],
                                     [0.47448747, 2.2005495, 0.60828799],
                                     [0.13380051, 1.21657597, 2.87573775]]),
    (lambda: tf.linalg.sqrtm(SPD), [[1.91859998, 0.2804535, 0.4902244],
                                    [0.2804535, 1.70882908, -0.0353413],
                                    [0.4902244, -0.0353413, 2.18138283]]),
    (lambda: tf.matmul(np.arange(12.).reshape(2, 2, 3), np.arange(6.).reshape(3, 2)),
     [[[10., 13.], [28., 40.]], [[46., 67.], [64., 94.]]]),
    (lambda: tf.linalg.matvec(N, np.array([1., 2., 3.])), [0., 10., 16.]),
]


@pytest.mark.parametrize("build, expected", TF_VALUES)
def test_values_match_tensorflow(build, expected):
    np.testing.assert_allclose(run(build()), expected, rtol=1e-6, atol=1e-7)


TF_GRADIENTS = [  # (function, input, TF's gradient of reduce_sum(function(input)))
    (tf.matrix_inverse, N, [[-0.18055556, -0.02777778, -0.06944444],
                            [-0.18055556, -0.02777778, -0.06944444],
                            [-0.09027778, -0.01388889, -0.03472222]]),
    (tf.matrix_determinant, N, [[10., -4., 2.], [4., 8., -4.], [-1., -2., 7.]]),
    (lambda m: tf.linalg.slogdet(m)[1], N, [[0.41666667, -0.16666667, 0.08333333],
                                            [0.16666667, 0.33333333, -0.16666667],
                                            [-0.04166667, -0.08333333, 0.29166667]]),
    (tf.linalg.expm, N, [[1.58545965, 61.37849932, 99.71358802],
                         [11.78267335, 101.90540764, 156.69176579],
                         [14.30586048, 118.31698435, 181.13846489]]),
    (tf.cholesky, SPD, [[0.23538864, -0.0149186, 0.03668202],
                        [-0.0149186, 0.3646916, 0.34749139],
                        [0.03668202, 0.34749139, 0.25289027]]),
    (lambda m: tf.self_adjoint_eig(m)[0], SPD, np.eye(3)),
    (tf.linalg.sqrtm, SPD, [[0.18188811, 0.21330827, 0.18605038],
                            [0.21330827, 0.26215794, 0.22087925],
                            [0.18605038, 0.22087925, 0.19097965]]),
    (tf.linalg.logdet, SPD, [[0.34883721, -0.11627907, -0.13953488],
                             [-0.11627907, 0.37209302, 0.04651163],
                             [-0.13953488, 0.04651163, 0.25581395]]),
    (lambda m: tf.svd(m, compute_uv=False), SPD, np.eye(3)),
]


@pytest.mark.parametrize("fn, value, expected", TF_GRADIENTS)
def test_gradients_match_tensorflow(fn, value, expected):
    x = tf.constant(value)
    grad = tf.gradients(tf.reduce_sum(fn(x)), x)[0]
    np.testing.assert_allclose(run(grad), expected, rtol=1e-6, atol=1e-7)


TF_QR_GRADIENTS = [  # (input, TF's gradient of reduce_sum(q) + 2 * reduce_sum(r))
    (N, [[-0.68788462, -1.88484007, -0.55357631], [-3.09636672, -0.70245582, -3.36498334],
         [-5.30793881, -4.05078503, 0.60863814]]),
    (W, [[-3.88295263, 1.78518187], [-0.96713823, -0.96900971], [-1.00955845, -2.14206246]]),
    (W.T, [[8.4076156, -2.68328157, -2.68328157], [-6.43987578, -0.89442719, -0.89442719]]),
]


@pytest.mark.parametrize("value, expected", TF_QR_GRADIENTS)
def test_qr_gradient_matches_tensorflow_for_square_deep_and_wide_matrices(value, expected):
    x = tf.constant(value)
    q, r = tf.qr(x)
    grad = tf.gradients(tf.reduce_sum(q) + 2 * tf.reduce_sum(r), x)[0]
    np.testing.assert_allclose(run(grad), expected, rtol=1e-6, atol=1e-7)

def test_qr_gradient_of_deep_full_matrices_is_not_implemented_as_in_tf():
    x = tf.constant(W)
    with pytest.raises(NotImplementedError, match="full_matrices=False"):
        tf.gradients(tf.qr(x, full_matrices=True)[0], x)


def test_svd_and_eigh_reconstruct_their_input_with_tf_signs():
    s, u, v = run(tf.svd(W))
    np.testing.assert_allclose(s, [10.19142826, 0.36713769], rtol=1e-7)
    np.testing.assert_allclose((u * s) @ v.T, W, atol=ATOL)
    assert u.shape == (3, 2) and v.shape == (2, 2)
    e, v = run(tf.self_adjoint_eig(SPD))
    np.testing.assert_allclose((v * e) @ v.T, SPD, atol=ATOL)
    full = tf.svd(W, full_matrices=True)
    assert [t.shape.as_list() for t in full] == [[2], [3, 3], [2, 2]]


BATCHED = [  # (minitf function of BATCH, NumPy's value)
    (tf.matrix_inverse, np.linalg.inv),
    (tf.matrix_determinant, np.linalg.det),
    (lambda m: tf.linalg.slogdet(m)[1], lambda m: np.linalg.slogdet(m)[1]),
    (lambda m: tf.matrix_solve(m, BATCH[..., :2]), lambda m: np.linalg.solve(m, m[..., :2])),
    (lambda m: tf.matrix_triangular_solve(m, np.ones((3, 1))),
     lambda m: np.linalg.solve(np.tril(m), np.ones((3, 1)))),
    (lambda m: tf.cholesky(tf.matmul(m, m, adjoint_b=True)),
     lambda m: np.linalg.cholesky(m @ np.swapaxes(m, -1, -2))),
    (lambda m: tf.svd(m, compute_uv=False), lambda m: np.linalg.svd(m, compute_uv=False)),
    (lambda m: tf.linalg.eigvalsh(m), np.linalg.eigvalsh),
    (lambda m: tf.linalg.expm(m / 4), lambda m: _expm(m / 4)),
    (lambda m: tf.matmul(m, m[0, 0], transpose_a=True), lambda m: np.swapaxes(m, -1, -2) @ m[0, 0]),
]


def _expm(m, terms=40):
    out = term = np.broadcast_to(np.eye(3), m.shape)
    for k in range(1, terms):
        term = term @ m / k
        out = out + term
    return out


@pytest.mark.parametrize("fn, ref", BATCHED)
def test_batch_dims_give_per_matrix_values_and_static_shapes(fn, ref):
    t = fn(tf.constant(BATCH))
    expected = ref(BATCH)
    assert t.shape.as_list() == list(expected.shape)
    np.testing.assert_allclose(run(t), expected, rtol=1e-6, atol=1e-9)


def test_unknown_batch_dims_stay_unknown():
    m = tf.placeholder(tf.float32, [None, 3, 3])
    shapes = [tf.matrix_inverse(m), tf.matrix_determinant(m), tf.cholesky(m),
              *tf.linalg.slogdet(m), *tf.svd(m), *tf.self_adjoint_eig(m),
              tf.linalg.expm(m), tf.linalg.sqrtm(m), tf.linalg.adjoint(m)]
    assert [t.shape.as_list() for t in shapes] == (
        [[None, 3, 3], [None], [None, 3, 3], [None], [None], [None, 3], [None, 3, 3],
         [None, 3, 3], [None, 3], [None, 3, 3], [None, 3, 3], [None, 3, 3], [None, 3, 3]])
    assert tf.matrix_solve(m, tf.ones([2, 3, 2])).shape.as_list() == [2, 3, 2]
    assert tf.linalg.matvec(m, tf.ones([3])).shape.as_list() == [None, 3]


def test_matmul_broadcasts_batch_dims_as_batch_mat_mul_v2():
    a = tf.placeholder(tf.float64, [2, 3, 4])
    b = tf.placeholder(tf.float64, [5, 1, 4, 6])
    t = tf.matmul(a, b)
    assert (t.name, t.op.type, t.shape.as_list()) == ("MatMul:0", "BatchMatMulV2", [5, 2, 3, 6])
    assert tf.matmul(a, a, transpose_b=True).shape.as_list() == [2, 3, 3]
    two_d = tf.matmul(tf.ones([3, 4]), tf.ones([4, 2]), adjoint_a=False)
    assert (two_d.op.type, two_d.shape.as_list()) == ("MatMul", [3, 2])
    x, y = RNG.randn(2, 1, 4, 3), RNG.randn(5, 2, 4)
    got = run(tf.matmul(x, y, adjoint_a=True, transpose_b=True, a_is_sparse=True))
    np.testing.assert_allclose(got, np.swapaxes(x, -1, -2) @ np.swapaxes(y, -1, -2), atol=ATOL)


def test_matmul_errors_are_tfs():
    a = tf.placeholder(tf.float64, [2, 3, 4])
    with pytest.raises(ValueError, match=r"Dimensions must be equal, but are 4 and 5 for "
                                         r"'BatchMatMulV2' with input shapes: \[2,3,4\], "
                                         r"\[2,5,6\]"):
        tf.matmul(a, tf.ones([2, 5, 6], tf.float64))
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 2"):
        tf.matmul(tf.ones([3, 2, 4]), tf.ones([2, 4, 6]))
    with pytest.raises(ValueError, match="Only one of `transpose_a` and `adjoint_a` can be "
                                         "True. Received `transpose_a`=True, `adjoint_a`=True."):
        tf.matmul(a, a, transpose_a=True, adjoint_a=True)


@pytest.mark.parametrize("fn, text", [
    (tf.matrix_inverse, "3 and 4 for 'MatrixInverse' with input shapes: [3,4]"),
    (tf.matrix_determinant, "4 and 3 for 'MatrixDeterminant' with input shapes: [3,4]"),
    (tf.cholesky, "3 and 4 for 'Cholesky' with input shapes: [3,4]"),
    (tf.self_adjoint_eig, "3 and 4 for 'SelfAdjointEigV2' with input shapes: [3,4]"),
    (tf.linalg.sqrtm, "3 and 4 for 'MatrixSquareRoot' with input shapes: [3,4]"),
    (lambda m: tf.matrix_solve(tf.ones([3, 3]), tf.ones([4, 2])),
     "3 and 4 for 'MatrixSolve' with input shapes: [3,3], [4,2]"),
])
def test_non_square_inputs_raise_tfs_value_error(fn, text):
    with pytest.raises(ValueError, match="Dimensions must be equal, but are " + text.replace(
            "[", r"\[").replace("]", r"\]")):
        fn(tf.ones([3, 4]))


SINGULAR = np.array([[1., 2.], [2., 4.]])


@pytest.mark.parametrize("fn, message", [
    (tf.matrix_inverse, "Input is not invertible."),
    (lambda m: tf.matrix_solve(m, tf.ones([2, 2], tf.float64)), "Input matrix is not invertible."),
    (lambda m: tf.cholesky(-m), "Cholesky decomposition was not successful. The input might "
                                "not be valid."),
])
def test_singular_inputs_fail_at_run_time_with_tfs_error(fn, message):
    fed = tf.placeholder(tf.float64, [2, 2])
    for t, feed in ((fn(fed), {fed: SINGULAR}), (fn(tf.constant(SINGULAR)), None)):
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            run(t, feed)


def test_singular_determinants_are_zero_and_minus_infinity():
    np.testing.assert_allclose(run(tf.matrix_determinant(SINGULAR)), 0.0, atol=1e-12)
    sign, log_abs = run(tf.linalg.slogdet(SINGULAR))
    assert sign == 0.0 and log_abs == -np.inf


def test_sqrtm_of_a_matrix_without_real_root_is_nan_as_in_tf():
    assert np.isnan(run(tf.linalg.sqrtm(tf.constant([[1., 2.], [3., 4.]])))).all()


def test_default_names_are_tfs():
    m = tf.constant(SPD)
    names = [tf.matrix_inverse(m).name, tf.matrix_determinant(m).name,
             tf.linalg.slogdet(m)[1].name, tf.cholesky(m).name, tf.svd(m)[1].name,
             tf.self_adjoint_eig(m)[1].name, tf.linalg.sqrtm(m).name,
             tf.matrix_solve(m, B).name, tf.linalg.matvec(m, np.ones(3)).name,
             tf.linalg.adjoint(m).name, tf.cholesky_solve(m, B).name]
    assert names == ["MatrixInverse:0", "MatrixDeterminant:0", "LogMatrixDeterminant:1",
                     "Cholesky:0", "Svd:1", "SelfAdjointEigV2:1", "MatrixSquareRoot:0",
                     "MatrixSolve:0", "MatVec/Squeeze:0", "adjoint/matrix_transpose/transpose:0",
                     "cholesky_solve/MatrixTriangularSolve_1:0"]


def test_float32_stays_float32_and_integers_are_refused():
    assert run(tf.matrix_inverse(SPD.astype(np.float32))).dtype == np.float32
    assert tf.svd(tf.ones([2, 2]), compute_uv=False).dtype == tf.float32
    with pytest.raises(TypeError, match="Value for attr 'T' of int32 is not in the list"):
        tf.matrix_inverse(tf.constant([[1, 0], [0, 1]]))


def test_matrix_solve_ls_without_fast_is_the_minimum_norm_solution():
    wide = W.T
    got = run(tf.matrix_solve_ls(wide, B[:2], fast=False))
    np.testing.assert_allclose(got, np.linalg.pinv(wide) @ B[:2], atol=ATOL)
    np.testing.assert_allclose(run(tf.linalg.lstsq(wide, B[:2])), got, atol=1e-6)


@pytest.mark.global_graph  # (the eager fixture turns eager execution on)
def test_linalg_ops_run_eagerly(eager):
    np.testing.assert_allclose(tf.linalg.inv(N).numpy() @ N, np.eye(3), atol=ATOL)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input is not invertible."):
        tf.linalg.inv(SINGULAR)
    assert tf.matmul(tf.ones([2, 2, 3]), tf.ones([3, 1])).numpy().shape == (2, 2, 1)
