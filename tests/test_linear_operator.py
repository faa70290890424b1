"""tf.linalg.LinearOperator and its concrete classes: shapes, hints and their errors, names,
and each class's to_dense, matmul, solve, determinant, log|det| and trace against TF 1's
values (tfdiff)."""
import numpy as np
import pytest

import minitf as tf

from _session import run

LA = tf.linalg
A = [[2.0, 1.0], [0.5, 3.0]]
B = [[1.0, 2.0, 0.0], [0.0, 1.0, 1.0], [1.0, 0.0, 4.0]]
PD = [[4.0, 1.0], [1.0, 3.0]]


def close(a, b, tol=1e-9):
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


def full(m, **hints):
    return LA.LinearOperatorFullMatrix(tf.constant(m, tf.float64), **hints)


def diag(d, **hints):
    return LA.LinearOperatorDiag(tf.constant(d, tf.float64), **hints)


H = np.eye(3) - 2 * np.outer([1.0, 2.0, 2.0], [1.0, 2.0, 2.0]) / 9
# (builder, TF's dense matrix, determinant, trace)
CASES = {
    "FullMatrix": (lambda: full(PD, is_self_adjoint=True, is_positive_definite=True), PD,
                   11.0, 7.0),
    "LowerTriangular": (lambda: LA.LinearOperatorLowerTriangular(
        tf.constant([[2.0, 9.0, 9.0], [1.0, 3.0, 9.0], [4.0, 5.0, 6.0]], tf.float64)),
        [[2.0, 0.0, 0.0], [1.0, 3.0, 0.0], [4.0, 5.0, 6.0]], 36.0, 11.0),
    "Diag": (lambda: diag([1.0, 2.0, 4.0]), np.diag([1.0, 2.0, 4.0]), 8.0, 7.0),
    "ScaledIdentity": (lambda: LA.LinearOperatorScaledIdentity(3, tf.constant(2.0, tf.float64)),
                       2 * np.eye(3), 8.0, 6.0),
    "Identity": (lambda: LA.LinearOperatorIdentity(3, dtype=tf.float64), np.eye(3), 1.0, 3.0),
    "Kronecker": (lambda: LA.LinearOperatorKronecker([full(A), full(B)]), np.kron(A, B),
                  5989.5, 30.0),
    "BlockDiag": (lambda: LA.LinearOperatorBlockDiag([full(A), full(B)]),
                  [[2, 1, 0, 0, 0], [0.5, 3, 0, 0, 0], [0, 0, 1, 2, 0], [0, 0, 0, 1, 1],
                   [0, 0, 1, 0, 4]], 33.0, 11.0),
    "Composition": (lambda: LA.LinearOperatorComposition([full(A), full(PD)]),
                    [[9.0, 5.0], [5.0, 9.5]], 60.5, 18.5),
    "Adjoint": (lambda: LA.LinearOperatorAdjoint(full(A)), [[2.0, 0.5], [1.0, 3.0]], 5.5, 5.0),
    "Inversion": (lambda: LA.LinearOperatorInversion(full(A)), np.linalg.inv(A), 1 / 5.5,
                  5 / 5.5),
    "Toeplitz": (lambda: LA.LinearOperatorToeplitz(tf.constant([1.0, 2.0, 3.0], tf.float64),
                                                   tf.constant([9.0, 4.0, 5.0], tf.float64)),
                 [[1.0, 4.0, 5.0], [2.0, 1.0, 4.0], [3.0, 2.0, 1.0]], 38.0, 3.0),
    "Tridiag": (lambda: LA.LinearOperatorTridiag(tf.constant(
        [[1.0, 2.0, 0.0], [4.0, 5.0, 6.0], [0.0, 3.0, 1.0]], tf.float64)),
        [[4.0, 1.0, 0.0], [3.0, 5.0, 2.0], [0.0, 1.0, 6.0]], 94.0, 15.0),
    "Householder": (lambda: LA.LinearOperatorHouseholder(tf.constant([1.0, 2.0, 2.0],
                                                                     tf.float64)), H, -1.0, 1.0),
    "Permutation": (lambda: LA.LinearOperatorPermutation([2, 0, 1], dtype=tf.float64),
                    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], 1.0, 0.0),
    "LowRankUpdate": (lambda: LA.LinearOperatorLowRankUpdate(
        diag([1.0, 2.0, 3.0], is_positive_definite=True),
        tf.constant([[1.0], [0.5], [2.0]], tf.float64)),
        [[2.0, 0.5, 2.0], [0.5, 2.25, 1.0], [2.0, 1.0, 7.0]], 20.75, 11.25),
    "BlockLowerTriangular": (lambda: LA.LinearOperatorBlockLowerTriangular(
        [[full(A)], [full([[1.0, 2.0], [0.0, 1.0]]), diag([1.0, 2.0])]]),
        [[2, 1, 0, 0], [0.5, 3, 0, 0], [1, 2, 1, 0], [0, 1, 0, 2]], 11.0, 8.0),
    "Circulant": (lambda: LA.LinearOperatorCirculant(
        tf.constant([6.0, 1.0, 1.0], tf.float64), input_output_dtype=tf.float64),
        [[8 / 3, 5 / 3, 5 / 3], [5 / 3, 8 / 3, 5 / 3], [5 / 3, 5 / 3, 8 / 3]], 6.0, 8.0),
    "Circulant2D": (lambda: LA.LinearOperatorCirculant2D(
        tf.constant([[6.0, 1.0], [2.0, 2.0]], tf.float64), input_output_dtype=tf.float64),
        [[2.75, 1.25, 0.75, 1.25], [1.25, 2.75, 1.25, 0.75], [0.75, 1.25, 2.75, 1.25],
         [1.25, 0.75, 1.25, 2.75]], 24.0, 11.0),
    "Circulant3D": (lambda: LA.LinearOperatorCirculant3D(
        tf.constant(np.full((1, 2, 2), 3.0)), input_output_dtype=tf.float64), 3 * np.eye(4),
        81.0, 12.0),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_class_matches_its_dense_matrix(kind):
    build, dense, det, trace = CASES[kind]
    operator = build()
    assert type(operator).__name__ == "LinearOperator" + kind
    dense = np.asarray(dense, np.float64)
    n = dense.shape[-1]
    x = np.arange(2.0 * n).reshape(n, 2) / 3 - 1
    assert operator.shape.as_list() == list(dense.shape) and operator.dtype == tf.float64
    values = run([operator.to_dense(), operator.matmul(x), operator.matmul(x, adjoint=True),
                  operator.matmul(x.T, adjoint_arg=True), operator.solve(x),
                  operator.solve(x, adjoint=True), operator.determinant(),
                  operator.log_abs_determinant(), operator.trace(), operator.diag_part(),
                  operator.matvec(x[:, 0]), operator.solvevec(x[:, 0])])
    close(values[0], dense)
    close(values[1], dense @ x)
    close(values[2], dense.T @ x)
    close(values[3], dense @ x)
    close(values[4], np.linalg.solve(dense, x))
    close(values[5], np.linalg.solve(dense.T, x))
    close(values[6:9], [det, np.log(abs(det)), trace])
    close(values[9], np.diag(dense))
    close(values[10], dense @ x[:, 0])
    close(values[11], np.linalg.solve(dense, x[:, 0]))


def test_zeros_operator():
    zeros = LA.LinearOperatorZeros(3)
    assert (zeros.is_non_singular, zeros.is_self_adjoint, zeros.is_positive_definite) == (
        False, True, False)
    dense, product, det, log_det = run([zeros.to_dense(), zeros.matmul(tf.ones([3, 2])),
                                        zeros.determinant(), zeros.log_abs_determinant()])
    np.testing.assert_array_equal(dense, np.zeros((3, 3)))
    np.testing.assert_array_equal(product, np.zeros((3, 2)))
    assert det == 0.0 and log_det == -np.inf
    wide = LA.LinearOperatorZeros(3, 2, is_square=False, is_self_adjoint=False)
    assert wide.shape.as_list() == [3, 2]
    np.testing.assert_array_equal(run(wide.matmul(tf.ones([2, 2]))), np.zeros((3, 2)))
    with pytest.raises(NotImplementedError, match="expected to be singular"):
        zeros.solve(tf.ones([3, 1]))
    with pytest.raises(ValueError, match="A zero operator is always singular."):
        LA.LinearOperatorZeros(2, is_non_singular=True)
    with pytest.raises(ValueError, match=r"is_square=True, but got num_rows\(2\) != "):
        LA.LinearOperatorZeros(2, 3)


def test_base_properties_and_names():
    op = LA.LinearOperatorFullMatrix(tf.constant(PD), is_self_adjoint=True,
                                     is_positive_definite=True)
    assert (op.name, op.dtype, op.shape.as_list(), op.batch_shape.as_list(), op.tensor_rank) == (
        "LinearOperatorFullMatrix", tf.float32, [2, 2], [], 2)
    assert type(op.domain_dimension).__name__ == "Dimension" and op.domain_dimension == 2
    assert (op.is_square, op.is_non_singular) == (True, True)
    assert sorted(op.parameters) == ["is_non_singular", "is_positive_definite",
                                     "is_self_adjoint", "is_square", "matrix", "name"]
    st = op.shape_tensor()
    assert st.name == "LinearOperatorFullMatrix/shape_tensor/Const:0"
    np.testing.assert_array_equal(run(st), [2, 2])
    assert op.batch_shape_tensor().name == (
        "LinearOperatorFullMatrix/batch_shape_tensor/batch_shape:0")
    x = tf.constant([[1.0], [2.0]])
    assert op.matmul(x).name == "LinearOperatorFullMatrix/matmul/MatMul:0"
    assert op.matmul(x).name == "LinearOperatorFullMatrix/matmul_1/MatMul:0"
    assert op.matvec([1.0, 2.0]).name == "LinearOperatorFullMatrix/matvec/Squeeze:0"
    solve = op.solve(x)
    assert solve.name == "LinearOperatorFullMatrix/solve/cholesky_solve/MatrixTriangularSolve_1:0"
    assert op.determinant().name == "LinearOperatorFullMatrix/det/Exp:0"
    assert op.trace().name == "LinearOperatorFullMatrix/trace/Sum:0"
    close(run(solve), [[1 / 11], [7 / 11]], 1e-6)
    eigvals, cond = run([op.eigvals(), op.cond()])
    close(eigvals, [2.381966, 4.618034], 1e-6)
    close(cond, 1.9387487, 1e-6)
    close(run(op.add_to_tensor(PD)), 2 * np.array(PD))
    named = LA.LinearOperatorFullMatrix([[1.0, 2.0], [3.0, 4.0]], name="Mine")
    assert (named.name, named.to_dense().name, named.determinant().name) == (
        "Mine", "Mine/matrix:0", "Mine/det/MatrixDeterminant:0")
    assert (named.is_square, named.is_non_singular) == (True, None)


def test_derived_operators():
    op = full(PD, is_self_adjoint=True, is_positive_definite=True)
    assert op.adjoint() is op and op.H is op
    inverse = op.inverse()
    assert (type(inverse).__name__, inverse.name) == ("LinearOperatorInversion",
                                                      "LinearOperatorFullMatrix_inv")
    assert inverse.inverse() is op
    wide = full([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    adjoint = wide.H
    assert (type(adjoint).__name__, adjoint.name, adjoint.shape.as_list()) == (
        "LinearOperatorAdjoint", "LinearOperatorFullMatrix_adjoint", [2, 3])
    assert adjoint.H is wide
    product = op @ op
    assert (type(product).__name__, product.name) == (
        "LinearOperatorComposition", "LinearOperatorFullMatrix_o_LinearOperatorFullMatrix")
    close(run(product.to_dense()), np.array(PD) @ PD)
    d = diag([1.0, 2.0])
    assert type(d @ d).__name__ == "LinearOperatorDiag"
    assert type(d.inverse()).__name__ == "LinearOperatorDiag"
    close(run(d.inverse().to_dense()), np.diag([1.0, 0.5]))
    identity = LA.LinearOperatorIdentity(2, dtype=tf.float64)
    assert identity @ d is d and identity.inverse() is identity
    chol = op.cholesky()
    assert type(chol).__name__ == "LinearOperatorLowerTriangular"
    close(run(chol.to_dense()), np.linalg.cholesky(PD))
    close(run(op.solve(d).to_dense()), np.linalg.solve(PD, np.diag([1.0, 2.0])))


def test_not_square_operators_refuse():
    wide = full([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    assert (wide.is_square, wide.domain_dimension, wide.range_dimension) == (False, 2, 3)
    with pytest.raises(NotImplementedError, match="Determinant not implemented for an operator "
                       "that is expected to not be square."):
        wide.determinant()
    with pytest.raises(NotImplementedError, match="Exact solve not implemented for an operator "
                       "that is expected to not be square."):
        wide.solve([[1.0], [1.0], [1.0]])
    with pytest.raises(ValueError, match="Cannot take the Inverse: This operator represents a "
                       "non square matrix."):
        wide.inverse()
    with pytest.raises(NotImplementedError, match="Only self-adjoint matrices are supported."):
        wide.eigvals()
    close(run(wide.matmul(tf.constant([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], tf.float64),
                          adjoint=True)), [[6.0, 8.0], [8.0, 10.0]])


@pytest.mark.parametrize("hints, message", [
    (dict(is_positive_definite=True, is_non_singular=False),
     "A positive definite matrix is always non-singular."),
    (dict(is_non_singular=True, is_square=False), "A non-singular matrix is always square."),
    (dict(is_self_adjoint=True, is_square=False), "A self-adjoint matrix is always square."),
])
def test_contradicting_hints(hints, message):
    with pytest.raises(ValueError, match=message):
        LA.LinearOperatorFullMatrix(PD, **hints)


def test_argument_errors():
    op = LA.LinearOperatorFullMatrix(PD)
    with pytest.raises(ValueError, match="Dimensions 2 and 3 are not compatible"):
        op.matmul(tf.ones([3, 1]))
    with pytest.raises(TypeError, match="Expected argument to have dtype <dtype: 'float32'>.  "
                       "Found: <dtype: 'float64'>"):
        op.matmul(tf.ones([2, 1], tf.float64))
    with pytest.raises(TypeError, match=r"Argument `matrix` must have dtype in \[tf.float16, "):
        LA.LinearOperatorFullMatrix([[1, 2], [3, 4]])
    with pytest.raises(ValueError, match="Argument `matrix` must have at least 2 dimensions."):
        LA.LinearOperatorFullMatrix([1.0, 2.0])
    for build, message in [
            (lambda: LA.LinearOperatorDiag([1.0], is_self_adjoint=False),
             "A real diagonal operator is always self adjoint."),
            (lambda: LA.LinearOperatorIdentity(2, is_self_adjoint=False),
             "An identity operator is always self adjoint."),
            (lambda: LA.LinearOperatorIdentity(-1), "Argument num_rows must be non-negative."),
            (lambda: LA.LinearOperatorKronecker([]), "must be a list of >=1 operators"),
            (lambda: LA.LinearOperatorComposition([]), "Expected a non-empty list of operators."),
            (lambda: LA.LinearOperatorAdjoint(full(PD, is_self_adjoint=True),
                                              is_self_adjoint=False),
             "An operator is self-adjoint if and only if its adjoint is self-adjoint."),
            (lambda: LA.LinearOperatorInversion(LA.LinearOperatorZeros(2)),
             "Argument `is_non_singular` or argument `operator` must have supplied hint"),
            (lambda: LA.LinearOperatorToeplitz([1.0, 2.0], [1.0, 2.0, 3.0]),
             "Expected square matrix, got row and col with mismatched dimensions."),
            (lambda: LA.LinearOperatorHouseholder([1.0], is_positive_definite=True),
             "A Householder operator is always non-positive definite."),
            (lambda: LA.LinearOperatorPermutation([0, 0]),
             "Argument `perm` must be a vector of unique integers from 0 to 1."),
            (lambda: LA.LinearOperatorTridiag(np.ones((3, 3)), diagonals_format="x"),
             "Argument `diagonals_format` must be one of compact, matrix, or sequence."),
            (lambda: LA.LinearOperatorBlockLowerTriangular([[full(A)], [full(A)]]),
             r"Argument `operators\[1\]` must contain `2` blocks. Received: 1 blocks."),
            (lambda: LA.LinearOperatorCirculant2D([1.0, 2.0]),
             "Argument `spectrum` must have at least 2 dimensions."),
            (lambda: LA.LinearOperatorLowRankUpdate(diag([1.0]), [[1.0]], is_self_adjoint=False),
             "Since UDU\\^H is self-adjoint, this must be a self-adjoint operator.")]:
        with pytest.raises(ValueError, match=message):
            build()
    with pytest.raises(TypeError, match="Expected all operators to have the same dtype."):
        LA.LinearOperatorComposition([LA.LinearOperatorFullMatrix(PD), diag([1.0, 2.0])])


def test_batched_operators_broadcast():
    d = diag([[1.0, 2.0, 4.0], [-1.0, 3.0, 0.5]])
    assert d.batch_shape.as_list() == [2]
    x = np.arange(6.0).reshape(3, 2) / 3 - 1
    close(run(d.matmul(x))[1], np.diag([-1.0, 3.0, 0.5]) @ x)
    close(run(d.determinant()), [8.0, -1.5])
    scaled = LA.LinearOperatorScaledIdentity(3, tf.constant([2.0, -3.0], tf.float64))
    close(run(scaled.solve(x))[1], x / -3)
    identity = LA.LinearOperatorIdentity(3, batch_shape=[2], dtype=tf.float64)
    assert run(identity.matmul(x)).shape == (2, 3, 2)
    perm = LA.LinearOperatorPermutation([[1, 0, 2], [0, 1, 2]], dtype=tf.float64)
    close(run([perm.determinant(), perm.trace()]), [[-1.0, 1.0], [1.0, 3.0]])


def test_complex_operators():
    c = LA.LinearOperatorDiag(tf.constant([1.0 + 1.0j, 2.0]))
    assert c.is_self_adjoint is None
    close(run(c.adjoint().to_dense()), [[1 - 1j, 0], [0, 2]])
    close(run(c.log_abs_determinant()), np.log(2 * np.sqrt(2)))
    circulant = LA.LinearOperatorCirculant(tf.constant([6 + 1j, 2.0, 1 - 1j], tf.complex128),
                                           input_output_dtype=tf.complex128)
    close(run(circulant.determinant()), 14 - 10j)
    close(run(circulant.to_dense())[0], [3.0, 1.7886751 + 0.2113249j, 1.2113249 + 0.7886751j],
          1e-6)


def test_assertions_run_at_run_time():
    singular = full([[1.0, 2.0], [2.0, 4.0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Singular matrix"):
        run(singular.assert_non_singular())
    not_pd = full([[1.0, 2.0], [2.0, 1.0]], is_self_adjoint=True)
    with pytest.raises(tf.errors.InvalidArgumentError):
        run(not_pd.assert_positive_definite())
    with pytest.raises(tf.errors.InvalidArgumentError, match="not equal to its adjoint"):
        run(full(A).assert_self_adjoint())
    run(full(PD).assert_self_adjoint())
    with pytest.raises(tf.errors.InvalidArgumentError, match="Diagonal contained zero values"):
        run(diag([1.0, 0.0]).assert_non_singular())


def test_gradients_flow_through_operators():
    m = tf.constant([[2.0, 1.0], [0.5, 3.0]], tf.float64)
    grad = tf.gradients(LA.LinearOperatorFullMatrix(m).log_abs_determinant(), m)[0]
    close(run(grad), np.linalg.inv(A).T)
    d = tf.constant([1.0, 2.0, 4.0], tf.float64)
    grad = tf.gradients(tf.reduce_sum(LA.LinearOperatorDiag(d).solve(np.ones((3, 1)))), d)[0]
    close(run(grad), [-1.0, -0.25, -1 / 16])
    spectrum = tf.constant([6.0, 1.0, 1.0], tf.float64)
    circulant = LA.LinearOperatorCirculant(spectrum, input_output_dtype=tf.float64)
    grad = tf.gradients(circulant.trace(), spectrum)[0]
    close(run(grad), [1.0, 1.0, 1.0])


def test_operators_work_eagerly():
    with tf.eager_mode():
        op = LA.LinearOperatorFullMatrix(tf.constant(A, tf.float64))
        close(op.matmul(tf.constant([[1.0], [1.0]], tf.float64)).numpy(), [[3.0], [3.5]])
        close(op.determinant().numpy(), 5.5)
        kron = LA.LinearOperatorKronecker([op, LA.LinearOperatorIdentity(2, dtype=tf.float64)])
        close(kron.to_dense().numpy(), np.kron(A, np.eye(2)))
