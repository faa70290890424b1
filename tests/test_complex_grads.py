"""Gradients of complex inputs as TF defines them (issue 17 leftovers, item 1): for a real loss
L of a complex z, TF's gradient is dL/d(re z) + i dL/d(im z), so a holomorphic op's gradient is
grad * conj(f'(z)) (math_grad.py and linalg_grad.py conjugate their factors, or use adjoints).

Each case builds z = complex(x, y) from real inputs and a real loss of the op's complex output:
the gradients by x and y are then the real and imaginary parts of TF's, and finite differences
check them. A few of TF's gradients are not of that form (MatrixDeterminant, MatrixSquareRoot
and SquaredDifference take no conjugates); their values, and some others, are TF's, by tfdiff.
"""
import numpy as np
import pytest
from test_gradient_check import _loss_and_grads, _numeric

import minitf as tf

RNG = np.random.RandomState(5)


def re(*shape):
    return RNG.uniform(0.3, 1.2, shape)


def im(*shape):
    """Imaginary parts away from 0: no input is near a branch cut on the real axis."""
    return RNG.uniform(0.3, 0.9, shape) * RNG.choice([-1.0, 1.0], shape)


def mix(t):
    """A real function of both parts of a complex tensor (a real one is itself)."""
    return tf.real(t) + 0.7 * tf.imag(t) if t.dtype.is_complex else t


def unary(fn):
    return lambda x, y: mix(fn(tf.complex(x, y)))


def binary(fn):
    return lambda a, b, c, d: mix(fn(tf.complex(a, b), tf.complex(c, d)))


def hermitian(z):
    """A well-conditioned Hermitian positive definite matrix made from z."""
    return tf.matmul(z, z, adjoint_b=True) + 3.0 * tf.eye(3, dtype=tf.complex128)


Z = [re(2, 3), im(2, 3)]
ZZ = Z + [re(2, 3), im(2, 3)]
M = [re(3, 3) + 2 * np.eye(3), im(3, 3)]
MM = M + [re(3, 3), im(3, 3)]

UNARY = ["square", "sqrt", "rsqrt", "exp", "log", "log1p", "tanh", "sigmoid", "reciprocal",
         "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh",
         "expm1", "sign", "abs"]
CASES = {name: (unary(getattr(tf.math, name)), Z) for name in UNARY}
CASES.update({
    "multiply": (binary(tf.multiply), ZZ),
    "multiply_broadcast": (binary(tf.multiply), Z + [re(3), im(3)]),
    "truediv": (binary(tf.truediv), ZZ),
    "pow": (binary(tf.pow), ZZ),
    "div_no_nan": (binary(tf.div_no_nan), ZZ),
    "add_n": (binary(lambda a, b: tf.add_n([a, b * b, a])), ZZ),
    "reduce_prod": (unary(lambda z: tf.reduce_prod(z, 1)), Z),
    "reduce_mean": (unary(lambda z: tf.reduce_mean(z * z, 0)), Z),
    "cast_to_real": (unary(lambda z: tf.cast(z * z, tf.float64)), Z),
    "cast_to_complex": (lambda x, y: mix(tf.cast(x, tf.complex128) * tf.complex(x, y)), Z),
    "matmul": (binary(tf.matmul), MM),
    "matmul_transposed": (binary(lambda a, b: tf.matmul(a, b, transpose_a=True,
                                                        transpose_b=True)), MM),
    "matmul_adjoint": (binary(lambda a, b: tf.matmul(a, b, adjoint_a=True)), MM),
    "batch_matmul": (binary(lambda a, b: tf.matmul(a[None], b[None], adjoint_b=True)), MM),
    "einsum": (binary(lambda a, b: tf.einsum("ij,jk->ik", a, b)), MM),
    "einsum_diagonal": (unary(lambda z: tf.einsum("ii,ij->j", z, z)), M),
    "matrix_inverse": (unary(tf.matrix_inverse), M),
    "matrix_solve": (binary(tf.matrix_solve), MM),
    "matrix_triangular_solve": (binary(tf.matrix_triangular_solve), MM),
    "cholesky": (unary(lambda z: tf.cholesky(hermitian(z))), M),
    "slogdet": (unary(lambda z: tf.real(tf.linalg.slogdet(z)[1])), M),  # (complex, real-valued)
    "logdet": (unary(lambda z: tf.linalg.logdet(hermitian(z))), M),
    "qr": (unary(lambda z: tf.linalg.qr(z)[1]), M),
    "svd_values": (unary(lambda z: tf.linalg.svd(z, compute_uv=False)), M),
    "svd_vectors": (unary(lambda z: tf.abs(tf.linalg.svd(z)[1])), M),
    "eigvalsh": (unary(lambda z: tf.linalg.eigvalsh(hermitian(z))), M),
    "expm": (unary(lambda z: tf.linalg.expm(0.3 * z)), M),
    "reduce_variance": (unary(lambda z: tf.math.reduce_variance(z, 1)), Z),
    "reduce_std": (unary(lambda z: tf.math.reduce_std(z)), Z),
})


@pytest.mark.parametrize("name", sorted(CASES))
def test_complex_gradient_matches_finite_differences(name):
    builder, values = CASES[name]
    xs, loss, grads = _loss_and_grads(builder, values)
    with tf.Session() as sess:
        analytic = sess.run(grads, dict(zip(xs, values)))
        numeric = _numeric(sess, loss, xs, values)
    for a, n in zip(analytic, numeric):
        np.testing.assert_allclose(a, n, rtol=1e-5, atol=1e-5)


# -- TF's values (tfdiff) ------------------------------------------------------------------------
Z1 = np.array([0.5 + 1.0j, -1.5 + 0.25j])
Z2 = np.array([2.0 - 1.0j, 0.75 + 0.5j])
GY = np.array([1.0 + 2.0j, -0.5 + 1.0j])
MAT = np.array([[1.0 + 1.0j, 2.0], [0.5j, 3.0 - 1.0j]])
GM = np.array([[1.0, 1j], [2.0 - 1j, 0.5]])


def _gradients(build, values, grad_ys=None):
    ts = [tf.constant(v) for v in values]
    gs = tf.gradients(build(*ts), ts, grad_ys=None if grad_ys is None else tf.constant(grad_ys))
    with tf.Session() as sess:
        return sess.run(gs)


TF_VALUES = [
    (tf.multiply, [Z1, Z2], GY, [[5j, 0.125 + 1j], [2.5 + 0j, 1 - 1.375j]]),
    (tf.exp, [Z1], GY, [[3.6655101269526558 + 0.39426469725649405j,
                         -0.052893506863232256 + 0.24379522635100778j]]),
    (tf.square, [Z1], GY, [[5 + 0j, 2 - 2.75j]]),
    # TF's SquaredDifference gradient takes no conjugate: 2 * grad * (x - y)
    (tf.squared_difference, [Z1, Z2], GY, [[-11 - 2j, 2.75 - 4.25j], [11 + 2j, -2.75 + 4.25j]]),
    (tf.sign, [Z1], GY, [[1.1102230246251565e-16 + 2.220446049250313e-16j,
                          0.09775074920859084 + 0.5865044952515449j]]),
    (tf.abs, [Z1], np.array([1.0, -2.0]), [[0.4472135954999579 + 0.8944271909999159j,
                                            1.9727878476642875 - 0.3287979746107146j]]),
    (tf.reduce_prod, [Z1], GY[0], [[-1 - 3.25j, 2.5 + 0j]]),
    (tf.matmul, [MAT, MAT], GM, [[[1 + 1j, -1 + 2.5j], [2 - 3j, 1 - 0.5j]],
                                 [[0.5 - 2j, 1 + 0.75j], [9 - 1j, 1.5 + 2.5j]]]),
    # TF's MatrixDeterminant gradient: grad * det * inverse(a)^H (det not conjugated)
    (tf.matrix_determinant, [MAT], GY[0], [[
        [-2.4117647058823533 + 6.64705882352941j, -1.117647058823529 - 0.02941176470588258j],
        [0.11764705882352966 - 4.470588235294118j, 2.176470588235294 + 2.2941176470588234j]]]),
    # TF's MatrixSquareRoot gradient solves with transposes, not adjoints
    (tf.linalg.sqrtm, [MAT], GM, [[
        [0.3351638068420689 - 0.2799433091816443j, -0.012542727533647694 + 0.32423162434894887j],
        [0.5813025309220495 - 0.28045147413682725j,
         0.14008128722016427 - 0.06826136452990253j]]]),
    (tf.math.reduce_variance, [Z1], None, [[1 + 0.375j, -1 - 0.375j]]),
    (tf.math.reduce_std, [Z1], None, [[0.4681645887845223 + 0.17556172079419585j,
                                       -0.4681645887845223 - 0.17556172079419585j]]),
]


@pytest.mark.parametrize("case", TF_VALUES, ids=lambda c: c[0].__name__)
def test_complex_gradients_are_tfs(case):
    fn, values, grad_ys, expected = case
    for got, want in zip(_gradients(fn, values, grad_ys), expected):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


def test_complex_abs_sign_and_variance_values_dtypes_and_ops():
    z = tf.constant(Z1)
    magnitude, direction = tf.abs(z), tf.sign(z)
    variance, std = tf.math.reduce_variance(z), tf.math.reduce_std(tf.constant(MAT), 1)
    assert (magnitude.op.type, magnitude.op.name, magnitude.dtype) == ("ComplexAbs", "Abs",
                                                                       tf.float64)
    assert direction.op.type == "DivNoNan" and direction.dtype == tf.complex128
    assert variance.dtype == tf.float64 and std.dtype == tf.float64
    with tf.Session() as sess:
        got = sess.run([magnitude, direction, variance, std])
    np.testing.assert_allclose(got[0], [1.118033988749895, 1.5206906325745548], rtol=1e-15)
    np.testing.assert_allclose(got[1], [0.4472135954999579 + 0.8944271909999159j,
                                        -0.9863939238321437 + 0.1643989873053573j], rtol=1e-15)
    assert got[2] == 1.140625
    np.testing.assert_allclose(got[3], [0.7071067811865476, 1.6770509831248424], rtol=1e-15)
    assert tf.abs(tf.constant(np.zeros(2, np.complex64))).dtype == tf.float32


def test_sign_of_zero_and_its_gradient_are_zero():
    z = tf.constant(np.zeros(2, np.complex128))
    y = tf.sign(z)
    with tf.Session() as sess:
        value, grad = sess.run([y, tf.gradients(y, z, grad_ys=tf.constant(GY))[0]])
    assert value.tolist() == [0j, 0j] and grad.tolist() == [0j, 0j]


def test_a_real_gradient_adds_no_conj():
    x = tf.constant([0.5, 2.0])
    y = tf.constant([1.5, -1.0])
    grads = tf.gradients(tf.reduce_sum(tf.exp(x) * y) + tf.matmul(x[None], y[:, None]),
                         [x, y])
    assert "Conj" not in {op.type for op in tf.get_default_graph().get_operations()}
    with tf.Session() as sess:
        gx, gy = sess.run(grads)
    np.testing.assert_allclose(gx, np.exp([0.5, 2.0]) * [1.5, -1.0] + [1.5, -1.0], rtol=1e-6)
    np.testing.assert_allclose(gy, np.exp([0.5, 2.0]) + [0.5, 2.0], rtol=1e-6)


def test_adjoint_of_a_complex_matrix_conjugates():
    adjoint = tf.linalg.adjoint(tf.constant(MAT))
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(adjoint), MAT.conj().T)
    assert adjoint.op.type == "Conj" and adjoint.op.inputs[0].op.type == "Transpose"
