"""SparseTensor, SparseTensorValue, sparse_placeholder, Session feeds and fetches of them, and
the sparse ops (to_dense, reorder, reshape, fill_empty_rows, retain, from_dense): values,
names, static shapes and errors as TF 1 gives them (checked with tfdiff)."""
import numpy as np
import pytest

import minitf as tf
from minitf.ops.sparse_ops import _sparse_fill_empty_rows_grad

from _session import run

UNSORTED = tf.SparseTensorValue([[1, 0], [0, 2], [3, 1]], [1.0, 2.0, 3.0], [5, 3])


def _eq(value, indices, values, dense_shape):
    assert type(value) is tf.SparseTensorValue
    np.testing.assert_array_equal(value.indices, indices)
    np.testing.assert_array_equal(value.values, values)
    np.testing.assert_array_equal(value.dense_shape, dense_shape)
    assert value.indices.dtype == np.int64 and value.dense_shape.dtype == np.int64


# -- SparseTensor ----------------------------------------------------------------------------------
def test_sparse_tensor_components_names_and_static_shape():
    st = tf.SparseTensor([[0, 0], [1, 2]], [1.0, 2.0], [3, 4])
    assert (st.indices.name, st.values.name, st.dense_shape.name) == (
        "SparseTensor/indices:0", "SparseTensor/values:0", "SparseTensor/dense_shape:0")
    assert st.dtype == tf.float32 and st.indices.dtype == tf.int64
    assert st.shape.as_list() == [3, 4] and st.get_shape().as_list() == [3, 4]
    assert st.op.name == "SparseTensor/values" and st.graph is tf.get_default_graph()
    assert repr(st) == (
        'SparseTensor(indices=Tensor("SparseTensor/indices:0", shape=(2, 2), dtype=int64), '
        'values=Tensor("SparseTensor/values:0", shape=(2,), dtype=float32), '
        'dense_shape=Tensor("SparseTensor/dense_shape:0", shape=(2,), dtype=int64))')
    assert tf.sparse.SparseTensor is tf.SparseTensor


def test_sparse_tensor_static_shape_from_its_components():
    unknown = tf.SparseTensor(tf.placeholder(tf.int64), tf.placeholder(tf.float32),
                              tf.placeholder(tf.int64))
    assert unknown.shape.ndims is None and unknown.indices.shape.ndims is None
    rank3 = tf.SparseTensor(tf.placeholder(tf.int64, [None, 3]), tf.placeholder(tf.float32, [None]),
                            tf.placeholder(tf.int64, [3]))
    assert rank3.shape.as_list() == [None, None, None]
    assert tf.sparse.from_dense(tf.placeholder(tf.float32, [None, 3])).shape.as_list() == [None, 3]


def test_sparse_tensor_set_shape_merges_or_raises():
    st = tf.SparseTensor([[0, 0]], [1.0], [1, 2])
    with pytest.raises(ValueError, match=r"Shapes \(1, 2\) and \(2, 2\) are not compatible"):
        st.set_shape([2, 2])
    st.set_shape([None, 2])
    assert st.shape.as_list() == [1, 2]


def test_sparse_tensor_checks_component_shapes_and_types():
    with pytest.raises(ValueError, match="Dimensions 1 and 2 are not compatible"):
        tf.SparseTensor([[1, 0]], [1.0, 2.0], [3, 4])
    with pytest.raises(ValueError, match="Dimensions 2 and 3 are not compatible"):
        tf.SparseTensor([[1, 0]], [1.0], [3, 4, 5])
    with pytest.raises(ValueError, match=r"Shape \(2,\) must have rank 2"):
        tf.SparseTensor([1, 0], [1.0], [3, 4, 5])
    with pytest.raises(ValueError, match=r"Shape \(1, 2\) must have rank 1"):
        tf.SparseTensor([[0, 0]], [1.0], [[1, 2]])
    with pytest.raises(TypeError):
        tf.SparseTensor([[0.5, 0]], [1.0], [1, 2])
    with pytest.raises(TypeError, match="is neither a SparseTensor nor SparseTensorValue"):
        tf.SparseTensor.from_value([1, 2])


def test_sparse_tensor_eval_and_with_values():
    st = tf.SparseTensor([[0, 0], [1, 2]], [1.0, 2.0], [3, 4])
    with tf.Session():
        _eq(st.eval(), [[0, 0], [1, 2]], [1.0, 2.0], [3, 4])
        _eq(st.with_values([5, 6]).eval(), [[0, 0], [1, 2]], [5, 6], [3, 4])
    assert tf.sparse.to_dense(st).op in st.consumers()


def test_convert_to_tensor_or_sparse_tensor():
    x = tf.convert_to_tensor_or_sparse_tensor(tf.SparseTensorValue([[0]], [1.5], [2]))
    assert type(x) is tf.SparseTensor and x.indices.name == "SparseTensor/indices:0"
    assert tf.convert_to_tensor_or_sparse_tensor(x) is x
    assert tf.convert_to_tensor_or_sparse_tensor([1, 2]).name == "Const:0"
    with pytest.raises(RuntimeError, match="Sparse dtype mismatch. Requested: float32,  Actual: "
                                           "int32"):
        tf.convert_to_tensor_or_sparse_tensor(tf.SparseTensorValue([[0]], [1], [2]), tf.float32)


# -- Session feeds and fetches, sparse_placeholder -------------------------------------------------
def test_sparse_placeholder_names_as_tf():
    sp = tf.sparse_placeholder(tf.float32)
    assert (sp.indices.name, sp.values.name, sp.dense_shape.name) == (
        "Placeholder_2:0", "Placeholder_1:0", "Placeholder:0")
    assert sp.shape.ndims is None and sp.indices.shape.as_list() == [None, None]
    ids = tf.sparse_placeholder(tf.int64, shape=[None, 5], name="ids")
    assert (ids.indices.name, ids.values.name, ids.dense_shape.name) == (
        "ids/indices:0", "ids/values:0", "ids/shape:0")
    assert ids.shape.as_list() == [None, 5] and ids.indices.shape.as_list() == [None, 2]
    assert ids.dense_shape.op.type == "PlaceholderWithDefault"
    assert [op.name for op in tf.get_default_graph().get_operations()][-4:] == [
        "ids/shape_default", "ids/shape", "ids/values", "ids/indices"]
    fixed = tf.sparse_placeholder(tf.float32, shape=tf.constant([2, 3], tf.int64))
    assert fixed.shape.as_list() == [2, 3] and fixed.indices.shape.as_list() == [None, 2]


def test_sparse_placeholder_is_graph_only():
    with tf.eager_mode():
        with pytest.raises(RuntimeError, match="not compatible with eager execution"):
            tf.sparse_placeholder(tf.float32)


def test_session_feeds_sparse_values_and_fetches_sparse_tensor_values():
    sp = tf.sparse_placeholder(tf.int64, shape=[None, 5], name="ids")
    dense = tf.sparse_tensor_to_dense(sp, default_value=-1)
    assert dense.name == "SparseToDense:0" and dense.shape.as_list() == [None, None]
    with tf.Session() as sess:
        got = sess.run(dense, {sp: tf.SparseTensorValue([[0, 1], [2, 3]], [7, 8], [3, 5])})
        np.testing.assert_array_equal(got, [[-1, 7, -1, -1, -1], [-1, -1, -1, -1, -1],
                                            [-1, -1, -1, 8, -1]])
        np.testing.assert_array_equal(sess.run(dense, {sp: ([[0, 1]], [7], [1, 5])}),
                                      [[-1, 7, -1, -1, -1]])
        _eq(sess.run(sp, {sp: ([[0, 1]], [7], [1, 5])}), [[0, 1]], [7], [1, 5])
        call = sess.make_callable(dense, [sp])
        np.testing.assert_array_equal(call(tf.SparseTensorValue([[0, 4]], [2], [1, 5])),
                                      [[-1, -1, -1, -1, 2]])
        with pytest.raises(TypeError, match="SparseTensorValue or an"):
            sess.run(dense, {sp: 5})


def test_fetch_structures_holding_sparse_tensors():
    st = tf.SparseTensor([[0, 0]], [1.0], [1, 2])
    got = run({"a": st, "b": [st.values]})
    _eq(got["a"], [[0, 0]], [1.0], [1, 2])
    np.testing.assert_array_equal(got["b"][0], [1.0])


# -- the ops ---------------------------------------------------------------------------------------
def test_to_dense_with_default_and_names():
    st = tf.SparseTensor([[0, 0], [1, 2]], [1.0, 2.0], [3, 4])
    d = tf.sparse.to_dense(st)
    assert (d.name, d.op.type, d.shape.as_list()) == ("SparseToDense:0", "SparseToDense", [3, 4])
    assert [i.name for i in d.op.inputs] == ["SparseTensor/indices:0",
                                             "SparseTensor/dense_shape:0",
                                             "SparseTensor/values:0", "zeros:0"]
    np.testing.assert_array_equal(run(d), [[1, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0]])
    assert tf.sparse.to_dense(tf.SparseTensorValue([[0, 1]], [3], [1, 2])).shape == (1, 2)
    given = tf.sparse.to_dense(st, default_value=1.5)
    assert given.op.inputs[3].name == "SparseToDense_2/default_value:0"
    with pytest.raises(TypeError, match="Input must be a SparseTensor."):
        tf.sparse.to_dense([[1.0]])


def test_sparse_to_dense_scalar_vector_and_matrix_indices():
    np.testing.assert_array_equal(run(tf.sparse_to_dense([1, 3], [5], [7, 8])), [0, 7, 0, 8, 0])
    np.testing.assert_array_equal(run(tf.sparse_to_dense(2, [5], 7)), [0, 0, 7, 0, 0])
    np.testing.assert_array_equal(
        run(tf.sparse_to_dense([[0, 1], [1, 0]], [2, 2], 7, default_value=1)), [[1, 7], [7, 1]])
    w = tf.sparse_to_dense([[0, 1], [1, 0]], [2, 2], [1.0, 2.0], name="std")
    assert w.name == "std:0" and [i.name for i in w.op.inputs] == [
        "std/sparse_indices:0", "std/output_shape:0", "std/sparse_values:0",
        "std/default_value:0"]


@pytest.mark.parametrize("indices, validate, message", [
    ([[5, 0]], True, r"indices\[0\] = \[5,0\] is out of bounds: need 0 <= index < \[3,4\]"),
    ([[-1, 0]], True, r"indices\[0\] = \[-1,0\] is out of bounds"),
    ([[1, 0], [0, 1]], True, r"indices\[1\] = \[0,1\] is out of order. Many sparse ops require"),
    ([[1, 0], [1, 0]], True, r"indices\[1\] = \[1,0\] is repeated"),
    ([[5, 0]], False, r"Indices are not valid \(out of bounds\).  Shape: \[3,4\]"),
])
def test_to_dense_run_time_index_errors(indices, validate, message):
    st = tf.SparseTensor(indices, np.ones(len(indices), np.float32), [3, 4])
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        run(tf.sparse.to_dense(st, validate_indices=validate))


def test_to_dense_unvalidated_takes_any_order_and_checks_value_shapes():
    st = tf.SparseTensor([[1, 0], [0, 1]], [1.0, 2.0], [3, 4])
    np.testing.assert_array_equal(run(tf.sparse.to_dense(st, validate_indices=False)),
                                  [[0, 2, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"sparse_values has incorrect shape \[3\], should be \[\] or \[2\]"):
        run(tf.sparse_to_dense([[0, 1], [1, 0]], [2, 2], [1, 2, 3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"sparse_indices should be a "
                       r"scalar, vector, or matrix, got shape \[1,1,2\]"):
        run(tf.sparse_to_dense([[[0, 1]]], [2, 2], [1.0]))
    with pytest.raises(TypeError, match="'sparse_indices' has DataType float32 not in list"):
        tf.sparse_to_dense([[0.0, 1.0]], [2, 2], [1.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="default_value should be a scalar."):
        run(tf.sparse_to_dense([[0, 1], [1, 0]], [2, 2], [1, 2], default_value=[1, 2]))


def test_reorder_sorts_and_keeps_the_dense_shape():
    r = tf.sparse.reorder(UNSORTED)
    assert (r.indices.name, r.values.name, r.dense_shape.name) == (
        "SparseReorder:0", "SparseReorder:1", "SparseTensor_1/dense_shape:0")
    assert r.shape.as_list() == [5, 3] and r.indices.shape.as_list() == [3, 2]
    _eq(run(r), [[0, 2], [1, 0], [3, 1]], [2.0, 1.0, 3.0], [5, 3])
    # no bounds check; repeated indices are kept
    _eq(run(tf.sparse.reorder(tf.SparseTensorValue([[1, 0], [0, 3], [1, 0]], [1.0, 2.0, 3.0],
                                                   [3, 4]))),
        [[0, 3], [1, 0], [1, 0]], [2.0, 1.0, 3.0], [3, 4])
    _eq(run(tf.sparse.reorder(tf.SparseTensorValue([[5, 0], [0, 0]], [1.0, 2.0], [3, 4]))),
        [[0, 0], [5, 0]], [2.0, 1.0], [3, 4])


def test_fill_empty_rows_groups_entries_by_row():
    st = tf.sparse.reorder(UNSORTED)
    f, e = tf.sparse.fill_empty_rows(st, -1.0)
    assert (f.indices.name, f.values.name, f.dense_shape.name, e.name) == (
        "SparseFillEmptyRows/SparseFillEmptyRows:0", "SparseFillEmptyRows/SparseFillEmptyRows:1",
        "SparseTensor_1/dense_shape:0", "SparseFillEmptyRows/SparseFillEmptyRows:2")
    assert (f.indices.shape.as_list(), e.shape.as_list(), f.shape.as_list()) == (
        [None, 2], [5], [5, 3])
    filled, empty = run([f, e])
    _eq(filled, [[0, 2], [1, 0], [2, 0], [3, 1], [4, 0]], [2.0, 1.0, -1.0, 3.0, -1.0], [5, 3])
    np.testing.assert_array_equal(empty, [False, False, True, False, True])
    assert tf.sparse_fill_empty_rows(st, 9.0, name="fe")[1].name == "fe/SparseFillEmptyRows:2"
    # unsorted rows: each row's entries in their former order
    f, e = run(tf.sparse.fill_empty_rows(
        tf.SparseTensorValue([[1, 0], [0, 2], [1, 1], [0, 0]], [1.0, 2, 3, 4], [4, 4]), 0.0))
    _eq(f, [[0, 2], [0, 0], [1, 0], [1, 1], [2, 0], [3, 0]], [2, 4, 1, 3, 0, 0], [4, 4])
    np.testing.assert_array_equal(e, [False, False, True, True])


def test_fill_empty_rows_of_no_entries_and_bad_rows():
    empty = tf.SparseTensor(tf.zeros([0, 2], tf.int64), tf.zeros([0]), [2, 4])
    f, e = run(tf.sparse.fill_empty_rows(empty, 5.0))
    _eq(f, [[0, 0], [1, 0]], [5.0, 5.0], [2, 4])
    np.testing.assert_array_equal(e, [True, True])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\(0, 0\) is invalid: 5 >= 3"):
        run(tf.sparse.fill_empty_rows(tf.SparseTensorValue([[5, 0]], [1.0], [3, 4]), 0.0)[1])


def test_fill_empty_rows_gradient_and_no_second_derivative():
    values, default = tf.constant([1.0, 2.0, 3.0]), tf.constant(-1.0)
    st = tf.SparseTensor([[1, 0], [1, 2], [3, 1]], values, [5, 3])
    dense = tf.sparse.to_dense(tf.sparse.fill_empty_rows(st, default)[0])
    loss = tf.reduce_sum(dense * np.arange(15.0).reshape(5, 3))
    g_values, g_default = tf.gradients(loss, [values, default])
    got_values, got_default = run([g_values, g_default])
    np.testing.assert_array_equal(got_values, [3.0, 5.0, 10.0])
    assert got_default == 18.0
    grad = tf.constant([1.0, 2.0, 3.0, 4.0, 5.0])
    d_values, d_default = _sparse_fill_empty_rows_grad.apply(
        [tf.constant([2, 0, 3], tf.int64), grad])
    np.testing.assert_array_equal(run(d_values), [3.0, 1.0, 4.0])
    assert run(d_default) == 7.0
    with pytest.raises(LookupError, match="SparseFillEmptyRowsGrad"):
        tf.gradients(d_values, grad)


def test_reorder_and_to_dense_gradients():
    st = tf.SparseTensor([[1, 0], [0, 2], [3, 1]], tf.constant([1.0, 2.0, 3.0]), [5, 3])
    f, _ = tf.sparse.fill_empty_rows(tf.sparse.reorder(st), tf.constant(-1.0))
    d = tf.sparse.to_dense(f, default_value=tf.constant(0.5))
    loss = tf.reduce_sum(d * tf.constant(np.arange(15.0).reshape(5, 3), tf.float32))
    g = tf.gradients(loss, [st.values])[0]
    assert g.name == "gradients/SparseReorder_grad/GatherV2:0" and g.shape.as_list() == [3]
    np.testing.assert_array_equal(run(g), [3.0, 2.0, 10.0])


def test_retain_keeps_the_chosen_entries():
    r = tf.sparse.reorder(UNSORTED)
    keep = tf.sparse_retain(r, [True, False, True])
    assert (keep.indices.name, keep.values.name, keep.dense_shape.name) == (
        "GatherV2:0", "GatherV2_1:0", "Identity:0")
    assert keep.shape.as_list() == [5, 3] and keep.indices.shape.as_list() == [None, 2]
    _eq(run(keep), [[0, 2], [3, 1]], [2.0, 3.0], [5, 3])
    assert tf.sparse.retain is tf.sparse_retain
    with pytest.raises(ValueError, match="Dimensions 1 and 2 are not compatible"):
        tf.sparse_retain(tf.SparseTensorValue([[1, 0]], [1.0], [3, 4]), [True, False])
    with pytest.raises(ValueError, match=r"Shape \(1, 1\) must have rank 1"):
        tf.sparse_retain(tf.SparseTensorValue([[1, 0]], [1.0], [3, 4]), [[True]])


def test_from_dense_takes_the_non_zeros():
    fd = tf.sparse.from_dense([[0, 3], [4, 0]])
    assert (fd.indices.name, fd.values.name, fd.dense_shape.name) == (
        "dense_to_sparse/Where:0", "dense_to_sparse/GatherNd:0", "dense_to_sparse/Shape:0")
    assert (fd.shape.as_list(), fd.indices.shape.as_list()) == ([2, 2], [None, 2])
    _eq(run(fd), [[0, 1], [1, 0]], [3, 4], [2, 2])


def test_reshape_moves_entries_in_row_major_order():
    st = tf.SparseTensor([[1, 0], [0, 2], [3, 1]], [1.0, 2.0, 3.0], [5, 3])
    rs = tf.sparse.reshape(st, [3, 5])
    assert (rs.indices.name, rs.values.name, rs.dense_shape.name) == (
        "SparseReshape:0", "SparseReshape/Identity:0", "SparseReshape/Const:0")
    assert rs.shape.as_list() == [3, 5] and tf.sparse.reshape(st, [-1, 5]).shape == (3, 5)
    _eq(run(rs), [[0, 3], [0, 2], [2, 0]], [1.0, 2.0, 3.0], [3, 5])
    _eq(run(tf.sparse.reshape(st, [-1, 5])), [[0, 3], [0, 2], [2, 0]], [1.0, 2.0, 3.0], [3, 5])


def test_reshape_errors_static_and_at_run_time():
    st = tf.SparseTensor([[1, 0]], [1.0], [3, 4])
    with pytest.raises(ValueError, match=r"Cannot reshape a tensor with 12 elements to shape "
                                         r"\[5, 5\] \(25 elements\)."):
        tf.sparse.reshape(st, [5, 5])
    with pytest.raises(ValueError, match=r"At most one dimension can be inferred \(-1\)"):
        tf.sparse.reshape(st, [-1, -1])
    shape = tf.placeholder_with_default(tf.constant([3, 4], tf.int64), [2])
    late = tf.SparseTensor([[1, 0]], [1.0], shape)
    for new, message in (([5, 5], "Input to reshape is a tensor with 12 dense values, but the "
                                  r"requested shape has 25. input_shape=\[3,4\]"),
                         ([-1, 5], "Input to reshape is a SparseTensor with 12 dense values, "
                                   "but the requested shape requires a multiple of 5."),
                         ([-1, -1], "only one output dimension may be -1, not both 0 and 1")):
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            run(tf.sparse.reshape(late, new).indices)


def test_sparse_ops_run_eagerly():
    with tf.eager_mode():
        st = tf.SparseTensor([[1, 0], [0, 2], [3, 1]], [1.0, 2.0, 3.0], [5, 3])
        f, e = tf.sparse.fill_empty_rows(tf.sparse.reorder(st), -1.0)
        np.testing.assert_array_equal(tf.sparse.to_dense(f).numpy(), [
            [0, 0, 2], [1, 0, 0], [-1, 0, 0], [0, 3, 0], [-1, 0, 0]])
        np.testing.assert_array_equal(e.numpy(), [False, False, True, False, True])
        np.testing.assert_array_equal(tf.sparse.reshape(st, [3, 5]).indices.numpy(),
                                      [[0, 3], [0, 2], [2, 0]])
        np.testing.assert_array_equal(tf.sparse_retain(st, [True, False, True]).values.numpy(),
                                      [1.0, 3.0])
