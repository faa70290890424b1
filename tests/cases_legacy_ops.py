"""Guard-test cases of ops/legacy_ops.py and the tensor scatters max/min (see tests/opcases.py).
"""
import numpy as np

import minitf as tf


def _f32(x):
    return tf.cast(x, tf.float32)


def _f64(x):
    return tf.cast(x, tf.float64)


_A = np.array([[0.3, -0.7], [1.1, 0.2]])
CASES = {
    # (float32 only, as TF's: the float64 inputs go through casts)
    "SparseMatMul": [(lambda a, b: _f64(tf.sparse_matmul(_f32(a), _f32(b), transpose_b=True,
                                                          a_is_sparse=True)),
                      [_A, _A.T * 2.0], 2e-3),
                     (lambda a: _f64(tf.sparse_matmul(_f32(a), _f32(a), transpose_a=True)),
                      [_A], 2e-3)],
    "TensorScatterMax": [(lambda t, u: tf.tensor_scatter_nd_max(t, [[0, 1], [1, 0]], u),
                          [_A, np.array([0.5, -0.4])])],
    "TensorScatterMin": [(lambda t, u: tf.tensor_scatter_nd_min(t, [[0, 1], [1, 0]], u),
                          [_A, np.array([0.5, -0.4])])],
}
SECOND_ORDER_TOLERANCE = {"SparseMatMul": 1e-2}  # (float32 in between, as Cast's)
EAGER_ELSEWHERE = {"CheckPinned": "tests/test_legacy_ops.py::test_check_pinned_fails_as_tfs_cpu"}
