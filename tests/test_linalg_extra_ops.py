"""matrix_rank, pinv, logm, normalize, eigh_tridiagonal, tridiagonal_matmul and
tridiagonal_solve: values, names, shapes, errors and gradients as TF 1 graph mode gives them
(checked with tfdiff)."""
import numpy as np
import pytest

import minitf as tf

from _session import run

A = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])
W = np.array([[2.0, 1.0], [1.0, 3.0], [0.0, 1.0]])
# compact diagonals (super, main, sub) of [[4, 1, 0], [3, 5, 2], [0, 1, 6]]
DIAGONALS = np.array([[1.0, 2.0, 0.0], [4.0, 5.0, 6.0], [0.0, 3.0, 1.0]])
DENSE = np.array([[4.0, 1.0, 0.0], [3.0, 5.0, 2.0], [0.0, 1.0, 6.0]])
RHS = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])


def close(a, b, tol=1e-12):
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


def test_matrix_rank():
    rank = tf.linalg.matrix_rank(tf.constant(A))
    assert (rank.name, rank.dtype, rank.shape.as_list()) == ("matrix_rank/Sum:0", tf.int32, [])
    assert run(rank) == 2
    np.testing.assert_array_equal(run(tf.linalg.matrix_rank(np.stack([A, np.eye(3)]))), [2, 3])
    assert run(tf.linalg.matrix_rank(A, tol=10.0)) == 0
    np.testing.assert_array_equal(run(tf.linalg.matrix_rank(np.ones((2, 3, 4)))), [1, 1])
    with pytest.raises(TypeError, match=r"Input `a` must have `float`-like `dtype` \(saw int32\)"):
        tf.linalg.matrix_rank(tf.constant([[1, 2]]))


def test_pinv_values_gradient_and_errors():
    p = tf.linalg.pinv(tf.constant(A))
    assert (p.name, p.shape.as_list()) == ("pinv/MatMul:0", [3, 3])
    close(run(p), [[-1 / 30, -1 / 15, 5 / 6], [1 / 15, 2 / 15, -2 / 3], [1 / 30, 1 / 15, 1 / 6]])
    w = tf.constant(W)
    pw = tf.linalg.pinv(w)
    assert pw.shape.as_list() == [2, 3]
    close(run(pw), [[17 / 30, -2 / 15, -1 / 6], [-1 / 6, 1 / 3, 1 / 6]])
    grad = tf.gradients(tf.reduce_sum(pw * [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), w)[0]
    close(run(grad), [[17 / 75, -1 / 6], [-19 / 75, -2 / 3], [-1 / 15, 1 / 6]])
    close(run(tf.linalg.pinv(A, rcond=0.5)),
          [[0.01462174015270492, 0.02924348030540984, 0.0042285767749503],
           [0.0276445320934476, 0.0552890641868952, 0.00799474105981125],
           [0.04226627224615252, 0.08453254449230506, 0.01222331783476155]])
    with pytest.raises(TypeError, match="must have `float`-like `dtype`"):
        tf.linalg.pinv([1, 2])
    with pytest.raises(ValueError, match=r"must have at least 2 dimensions \(saw: 1\)"):
        tf.linalg.pinv([1.0, 2.0])


def test_logm():
    m = tf.constant([[2.0, 1.0], [0.5, 3.0]], tf.complex128)
    log = tf.linalg.logm(m)
    assert (log.name, log.op.type, log.dtype) == ("MatrixLogarithm:0", "MatrixLogarithm",
                                                  tf.complex128)
    close(run(log), [[0.64374356, 0.41726097], [0.20863048, 1.06100453]], 1e-8)
    batch = run(tf.linalg.logm(tf.constant([[[1.0, 0.0], [0.0, 2.0]]] * 2, tf.complex64)))
    close(batch, [[[0.0, 0.0], [0.0, np.log(2.0)]]] * 2, 1e-6)
    with pytest.raises(TypeError, match="DataType float32 not in list of allowed values: "
                       "complex64, complex128"):
        tf.linalg.logm([[2.0, 1.0], [0.5, 3.0]])
    with pytest.raises(LookupError, match="No gradient defined for operation'MatrixLogarithm'"):
        tf.gradients(tf.reduce_sum(tf.real(log)), m)
    with tf.eager_mode():
        close(tf.linalg.logm(tf.constant([[1.0]], tf.complex128)).numpy(), [[0.0]])


def test_normalize():
    n, norm = tf.linalg.normalize(tf.constant([[3.0, 4.0], [6.0, 8.0]]))
    assert (n.name, norm.name, norm.shape.as_list()) == (
        "normalize/truediv:0", "normalize/norm/Sqrt:0", [1, 1])
    values, norms = run([n, norm])
    close(norms, [[np.sqrt(125.0)]], 1e-6)
    close(values, [[3.0, 4.0], [6.0, 8.0]] / np.sqrt(125.0), 1e-6)
    n, norm = tf.linalg.normalize([[3.0, 4.0], [6.0, 8.0]], ord=1, axis=1, name="nz")
    assert (n.name, norm.name) == ("nz/truediv:0", "nz/norm/Sum:0")
    values, norms = run([n, norm])
    close(norms, [[7.0], [14.0]])
    close(values, [[3 / 7, 4 / 7]] * 2, 1e-7)
    x = tf.constant([[3.0, 4.0], [6.0, 8.0]], tf.float64)
    normalized = tf.linalg.normalize(x, axis=1)[0]
    grad = tf.gradients(tf.reduce_sum(normalized * [[1.0, 2.0], [3.0, 1.0]]), x)[0]
    close(run(grad), [[-0.064, 0.048], [0.144, -0.108]])


def test_eigh_tridiagonal():
    e = tf.linalg.eigh_tridiagonal([1.0, 2.0, 3.0], [0.5, 0.25])
    assert (e.shape.as_list(), e.dtype) == ([3], tf.float32)
    close(run(e), [0.78868248, 2.145189, 3.06612852], 1e-6)
    alpha = tf.constant([1.0, 2.0, 3.0], tf.float64)
    beta = tf.constant([0.5, 0.25], tf.float64)
    e, v = tf.linalg.eigh_tridiagonal(alpha, beta, eigvals_only=False)
    assert v.shape.as_list() == [3, 3]
    values, vectors = run([e, v])
    close(values, [0.78868248, 2.145189, 3.06612852], 1e-8)
    close(vectors, [[0.92022243, -0.38649152, 0.06176552], [-0.38891824, -0.88521168, 0.25523103],
                    [0.04396906, 0.25889105, 0.96490525]], 1e-8)
    picked = tf.linalg.eigh_tridiagonal(alpha, beta, select="i", select_range=[1, 2])
    assert picked.shape.as_list() == [2]
    close(run(picked), [2.145189, 3.06612852], 1e-8)
    ranged = tf.linalg.eigh_tridiagonal(alpha, beta, select="v", select_range=[0.0, 2.5])
    assert ranged.shape.as_list() == [None]
    close(run(ranged), [0.78868248, 2.145189], 1e-8)
    assert tf.linalg.eigh_tridiagonal([1.0], tf.zeros([0]), eigvals_only=False).shape == [1]


def test_eigh_tridiagonal_complex_and_errors():
    beta = np.array([0.5j, 0.25])
    e, v = run(tf.linalg.eigh_tridiagonal(tf.constant([1.0 + 0j, 2.0, 3.0]), tf.constant(beta),
                                          eigvals_only=False))
    close(e, [0.78868248, 2.145189, 3.06612852], 1e-8)
    t = np.diag([1.0, 2.0, 3.0]) + np.diag(beta, 1) + np.diag(beta.conj(), -1)
    close(t @ v, v * e, 1e-12)
    close(v.conj().T @ v, np.eye(3), 1e-12)
    with pytest.raises(ValueError, match="'alpha' and 'beta' must have the same type."):
        tf.linalg.eigh_tridiagonal([1.0, 2.0], tf.constant([1.0], tf.float64))
    with pytest.raises(ValueError, match="'select must have a value in"):
        tf.linalg.eigh_tridiagonal([1.0, 2.0], [1.0], select="x")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Got empty index range"):
        run(tf.linalg.eigh_tridiagonal([1.0, 2.0], [1.0], select="i", select_range=[1, 0]))


def test_tridiagonal_matmul_formats_and_gradient():
    d = tf.constant(DIAGONALS)
    rhs = tf.constant(RHS)
    y = tf.linalg.tridiagonal_matmul(d, rhs)
    assert (y.name, y.op.type, y.shape.as_list()) == ("TridiagonalMatMul:0", "TridiagonalMatMul",
                                                      [3, 2])
    assert [t.shape.as_list() for t in y.op.inputs] == [[1, 3], [1, 3], [1, 3], [3, 2]]
    close(run(y), DENSE @ RHS)
    sequence = tf.linalg.tridiagonal_matmul(list(DIAGONALS), RHS, diagonals_format="sequence")
    matrix = tf.linalg.tridiagonal_matmul(DENSE, RHS, diagonals_format="matrix")
    close(run(sequence), DENSE @ RHS)
    close(run(matrix), DENSE @ RHS)
    grads = run(tf.gradients(tf.reduce_sum(y * y), [d, rhs]))
    close(grads[0], [[138.0, 736.0, 0.0], [62.0, 472.0, 810.0], [0.0, 208.0, 518.0]])
    close(grads[1], [[224.0, 324.0], [360.0, 484.0], [508.0, 632.0]])
    with pytest.raises(ValueError, match="Unrecognized diagonals_format: x"):
        tf.linalg.tridiagonal_matmul(DIAGONALS, RHS, diagonals_format="x")
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 4 and 3"):
        tf.linalg.tridiagonal_matmul(np.ones((3, 4)), RHS)


def test_tridiagonal_solve_formats_and_gradient():
    d = tf.constant(DIAGONALS)
    rhs = tf.constant(RHS)
    x = tf.linalg.tridiagonal_solve(d, rhs)
    assert (x.name, x.shape.as_list()) == ("TridiagonalSolve:0", [3, 2])
    assert (x.op.get_attr("partial_pivoting"), x.op.get_attr("perturb_singular")) == (True, False)
    expected = np.linalg.solve(DENSE, RHS)
    close(run(x), expected)
    close(run(tf.linalg.tridiagonal_solve(DENSE, RHS, diagonals_format="matrix")), expected)
    short = [DIAGONALS[0, :2], DIAGONALS[1], DIAGONALS[2, 1:]]  # (M - 1 entries: padded)
    close(run(tf.linalg.tridiagonal_solve(short, RHS, diagonals_format="sequence")), expected)
    close(run(tf.linalg.tridiagonal_solve(d, rhs, partial_pivoting=False)), expected)
    vector = tf.linalg.tridiagonal_solve(d, tf.constant([1.0, 2.0, 3.0], tf.float64))
    assert vector.shape.as_list() == [3]
    close(run(vector), np.linalg.solve(DENSE, [1.0, 2.0, 3.0]))
    close(run(tf.linalg.tridiagonal_solve(d, RHS.T, transpose_rhs=True)), expected)
    grads = run(tf.gradients(tf.reduce_sum(x * x), [d, rhs]))
    close(grads[0], [[-0.05540198, 0.09231094, 0.0], [-0.16269998, 0.01290658, -0.5679666],
                     [0.0, 0.04068462, -0.08608882]], 1e-7)
    close(grads[1], [[0.12132186, 0.29244003], [-0.0199185, -0.07786328],
                     [0.276143, 0.35219556]], 1e-7)


def test_tridiagonal_solve_singular_and_pivoting():
    # a zero leading pivot needs pivoting; singular systems give NaN; perturb_singular nudges
    swap = np.array([[1.0, 2.0, 0.0], [0.0, 5.0, 6.0], [0.0, 3.0, 1.0]])
    close(run(tf.linalg.tridiagonal_solve(swap, RHS)),
          [[-10 / 9, -22 / 9], [1.0, 2.0], [2 / 3, 2 / 3]], 1e-12)
    assert np.isnan(run(tf.linalg.tridiagonal_solve(swap, RHS, partial_pivoting=False))).all()
    singular = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
    assert np.isnan(run(tf.linalg.tridiagonal_solve(singular, RHS, "matrix"))).all()
    zero_row = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 0.0, 0.0]])
    close(run(tf.linalg.tridiagonal_solve(zero_row, RHS, "matrix", perturb_singular=True)),
          [[2.25179981e15, 2.70215978e15], [-4.50359963e15, -5.40431955e15],
           [1.12589991e16, 1.35107989e16]], 1e-8)
    close(run(tf.linalg.tridiagonal_solve(singular, RHS, "matrix", perturb_singular=True)),
          [[9.00719925e15] * 2, [-9.00719925e15] * 2, [9.00719925e15] * 2], 1e-8)


def test_tridiagonal_solve_batches_and_errors():
    b = np.arange(24.0).reshape(2, 3, 4) % 5 + 1
    rb = np.arange(16.0).reshape(2, 4, 2)
    dense = np.stack([np.diag(m[1]) + np.diag(m[0, :-1], 1) + np.diag(m[2, 1:], -1) for m in b])
    close(run(tf.linalg.tridiagonal_solve(b, rb)), np.linalg.solve(dense, rb))
    with pytest.raises(ValueError, match=r"Batch shapes \(2,\) and \(4,\) are incompatible"):
        tf.linalg.tridiagonal_solve(b, np.ones((4, 2)))
    with pytest.raises(ValueError, match="Expected 3 diagonals got 2"):
        tf.linalg.tridiagonal_solve(np.ones((2, 3)), RHS)
    with pytest.raises(ValueError, match="left-hand sided and right-hand sides to be equal, got 4"):
        tf.linalg.tridiagonal_solve(np.ones((3, 4)), RHS)
    with pytest.raises(ValueError, match="partial_pivoting must be True if perturb_singular is."):
        tf.linalg.tridiagonal_solve(DIAGONALS, RHS, partial_pivoting=False, perturb_singular=True)
    with pytest.raises(ValueError, match="Expected the rank of rhs to be 1 or 2, got 4"):
        tf.linalg.tridiagonal_solve(np.ones((3, 3)), np.ones((2, 2, 3, 1)))
    with pytest.raises(ValueError, match="Expected diagonals to be a sequence of length 3."):
        tf.linalg.tridiagonal_solve([np.ones(3)] * 2, RHS, diagonals_format="sequence")
    with pytest.raises(ValueError, match="Expected superdiagonal to be have length 3 or 2, got 1"):
        tf.linalg.tridiagonal_solve([np.ones(1), np.ones(3), np.ones(3)], RHS, "sequence")
    with pytest.raises(ValueError, match="Expected last two dimensions of diagonals to be same"):
        tf.linalg.tridiagonal_solve(np.ones((3, 4)), RHS, diagonals_format="matrix")
    assert run(tf.linalg.tridiagonal_solve(tf.zeros([3, 0]), tf.zeros([0, 2]))).shape == (0, 2)
