"""Guard-test cases of the SparseTensor ops (minitf/ops/sparse_ops.py; see tests/opcases.py)."""
import numpy as np

import minitf as tf
from minitf.ops.sparse_ops import _sparse_fill_empty_rows_grad, _sparse_reshape

_SORTED = [[0, 1], [1, 0], [1, 2]]
_UNSORTED = [[1, 2], [0, 1], [1, 0], [0, 0]]
_V3 = np.array([0.3, -0.7, 1.1])
_V4 = np.array([0.3, -0.7, 1.1, 0.4])


def _st(indices, values, shape):
    return tf.SparseTensor(indices, values, shape)


CASES = {
    "SparseToDense": [(lambda v, d: tf.sparse_to_dense(_SORTED, [3, 4], v, d),
                       [_V3, np.array(0.5)])],
    "SparseReorder": [(lambda v: tf.sparse.reorder(_st(_UNSORTED, v, [2, 3])).values, [_V4])],
    # (densified: the guard tests want a static shape)
    "SparseFillEmptyRows": [(lambda v, d: tf.sparse.to_dense(tf.sparse.fill_empty_rows(
        _st([[1, 0], [1, 2], [3, 1]], v, [5, 3]), d)[0]), [_V3, np.array(-0.5)])],
}
# the gradient op has no gradient in TF either: a second derivative raises
NOT_TWICE = {("SparseFillEmptyRows", 0): LookupError}
GRAD_ELSEWHERE = {"SparseFillEmptyRowsGrad"}  # (test_sparse_tensor.py)
STATELESS = {
    "SparseReshape": lambda: _sparse_reshape.apply(
        [tf.constant(_UNSORTED, tf.int64), tf.constant([2, 3], tf.int64),
         tf.constant([-1, 2], tf.int64)]),
    "SparseFillEmptyRowsGrad": lambda: _sparse_fill_empty_rows_grad.apply(
        [tf.constant([2, 0, 3], tf.int64), tf.constant([1.0, 2.0, 3.0, 4.0, 5.0])]),
}
