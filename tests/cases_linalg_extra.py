"""Guard-test cases of the tf.linalg extras: the LU, tridiagonal and matrix-logarithm ops
(minitf/ops/linalg_lu_ops.py, linalg_extra_ops.py, linalg_tridiagonal_ops.py)."""
import numpy as np

import minitf as tf

RNG = np.random.RandomState(7)


def _r(*shape):
    return RNG.uniform(-1.0, 1.0, shape)


def _dominant(d):
    """Compact diagonals [..., 3, M] with a dominant main diagonal (well conditioned)."""
    return d + tf.constant([[0.0], [4.0], [0.0]], tf.float64)


CASES = {
    "TridiagonalMatMul": [
        (lambda d, x: tf.linalg.tridiagonal_matmul(d, x), [_r(3, 4), _r(4, 2)]),
        (lambda d, x: tf.linalg.tridiagonal_matmul(d, x), [_r(2, 3, 3), _r(3, 2)])],
    "TridiagonalSolve": [
        (lambda d, x: tf.linalg.tridiagonal_solve(_dominant(d), x), [_r(3, 4), _r(4, 2)]),
        (lambda d, x: tf.linalg.tridiagonal_solve(_dominant(d), x, partial_pivoting=False),
         [_r(2, 3, 3), _r(2, 3, 1)])],
}
# MatrixLogarithm's gradient raises LookupError as TF's missing one (test_linalg_extra_ops.py)
GRAD_ELSEWHERE = {"MatrixLogarithm"}
STATELESS = {
    "Lu": lambda: tf.linalg.lu([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]]),
    "EighTridiagonal": lambda: tf.linalg.eigh_tridiagonal([1.0, 2.0, 3.0], [0.5, 0.25],
                                                           eigvals_only=False),
}
