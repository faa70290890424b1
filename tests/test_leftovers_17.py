"""Issue 17 leftovers: integer scatter_div truncating toward zero, sparse Adam updating its arrays
in place, float16 linear algebra, space_to_depth/depth_to_space in NCHW, einsum gradients of a
repeated letter and of letters summed beside an ellipsis. Values are TF's (tfdiff)."""
import numpy as np
import pytest

import minitf as tf
from minitf.framework import errors


def run(*fetches):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(list(fetches))


# -- scatter_div of integers: C's division, toward zero --------------------------------------------
@pytest.mark.parametrize("resource", [False, True])
def test_integer_scatter_div_truncates_toward_zero(resource):
    v = tf.Variable(np.array([7, -7, 9, -9, 100], np.int32), use_resource=resource)
    update = tf.scatter_div(v, [0, 1, 2, 3, 4, 4], np.array([2, 2, -4, -4, -3, 7], np.int32))
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(update)
        assert sess.run(v).tolist() == [3, -3, -2, 2, -4]  # (100 / -3 = -33, then / 7 = -4)


def test_integer_scatter_div_of_rows_divides_duplicates_in_turn():
    w = tf.Variable(np.array([[7, -7], [-9, 9]], np.int64))
    update = tf.scatter_div(w, [1, 0, 1], np.array([[2, -2], [3, 3], [-2, 4]], np.int64))
    assert run(update)[0].tolist() == [[2, -2], [2, -1]]


def test_float_scatter_div_divides():
    v = tf.Variable([7.0, -7.0])
    assert run(tf.scatter_div(v, [1, 1], [2.0, -4.0]))[0].tolist() == [7.0, 0.875]


# -- sparse Adam: TF1's values, written in place ---------------------------------------------------
def _stored(sess, v):
    return sess._state[v._holder if hasattr(v, "_holder") else v.handle.op]


@pytest.mark.parametrize("resource", [False, True])
def test_sparse_adam_matches_tf(resource):
    table = tf.get_variable("t", initializer=np.arange(10, dtype=np.float32).reshape(5, 2) / 4,
                            use_resource=resource)
    loss = tf.reduce_sum(tf.nn.embedding_lookup(table, [1, 3, 1])
                         * [[1.0, -2.0], [0.5, 3.0], [2.0, 1.0]])
    step = tf.train.AdamOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        sess.run(step)
        np.testing.assert_allclose(sess.run(table), [
            [0.0, 0.25], [0.3000003397464752, 0.9499996304512024], [1.0, 1.25],
            [1.3000004291534424, 1.5500003099441528], [2.0, 2.25]], rtol=1e-7)


@pytest.mark.parametrize("resource", [False, True])
def test_a_sparse_adam_step_updates_its_arrays_in_place(resource):
    table = tf.get_variable("table", [1000, 4], use_resource=resource)
    loss = tf.reduce_sum(tf.nn.embedding_lookup(table, [3, 7, 3]))
    optimizer = tf.train.AdamOptimizer(0.01)
    step = optimizer.minimize(loss)
    arrays = [table, optimizer.get_slot(table, "m"), optimizer.get_slot(table, "v")]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(table)
        # ids, not the arrays: a reference would make them shared, and the step copy them
        stored = [id(_stored(sess, a)) for a in arrays]
        sess.run(step)
        assert [id(_stored(sess, a)) for a in arrays] == stored
        assert not any(_stored(sess, a).flags.writeable for a in arrays)
        after, m = sess.run([table, arrays[1]])
    untouched = np.setdiff1d(np.arange(1000), [3, 7])
    np.testing.assert_array_equal(after[untouched], before[untouched])  # (their m and v are 0)
    np.testing.assert_allclose(after[[3, 7]], before[[3, 7]] - 0.01, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(m[[3, 7]], [[0.2] * 4, [0.1] * 4], rtol=1e-6)


# -- float16 linear algebra ------------------------------------------------------------------------
HALF = np.array([[[4.0, 1.0], [1.0, 3.0]], [[1.0, 2.0], [3.0, 4.5]]], np.float16)


def test_float16_matrix_inverse_and_its_gradient_are_tfs():
    x = tf.constant(HALF)
    y = tf.matrix_inverse(x, adjoint=True)
    grad = tf.gradients(tf.reduce_sum(y), x)[0]
    assert y.dtype == tf.float16 and grad.dtype == tf.float16
    value, g = run(y, grad)
    assert value.dtype == np.float16
    np.testing.assert_array_equal(value, np.array([[[0.2727, -0.0909], [-0.0909, 0.3635]],
                                                   [[-3.0, 2.0], [1.333, -0.6665]]], np.float16))
    np.testing.assert_array_equal(g, np.array([[[-0.03308, -0.0496], [-0.0496, -0.07434]],
                                               [[-1.667, 1.334], [1.111, -0.889]]], np.float16))


FLOAT16_WITHOUT_KERNEL = {
    "MatrixDeterminant": lambda m, b: tf.matrix_determinant(m),
    "LogMatrixDeterminant": lambda m, b: tf.linalg.slogdet(m)[1],
    "Cholesky": lambda m, b: tf.cholesky(m),
    "MatrixSolve": lambda m, b: tf.matrix_solve(m, b),
    "MatrixTriangularSolve": lambda m, b: tf.matrix_triangular_solve(m, b),
    "SelfAdjointEigV2": lambda m, b: tf.linalg.eigh(m)[0],
    "Svd": lambda m, b: tf.linalg.svd(m, compute_uv=False),
    "MatrixSquareRoot": lambda m, b: tf.linalg.sqrtm(m),
    "MatrixExponential": lambda m, b: tf.linalg.expm(m),
    "MatrixSolveLs": lambda m, b: tf.linalg.lstsq(m, b, fast=False),
}


@pytest.mark.parametrize("op_type", sorted(FLOAT16_WITHOUT_KERNEL))
def test_float16_builds_but_has_no_kernel_as_in_tf(op_type):
    m, b = tf.constant(HALF[0]), tf.constant(np.ones((2, 1), np.float16))
    y = FLOAT16_WITHOUT_KERNEL[op_type](m, b)
    assert y.dtype == tf.float16
    with pytest.raises(errors.InvalidArgumentError,
                       match=f"No OpKernel was registered to support Op '{op_type}'.*DT_HALF"):
        run(y)


def test_float16_qr_runs():
    r = tf.linalg.qr(tf.constant(HALF[0]))[1]
    np.testing.assert_array_equal(run(r)[0], np.array([[-4.125, -1.697265625], [0.0, 2.66796875]],
                                                      np.float16))


def test_an_integer_matrix_inverse_is_a_type_error():
    with pytest.raises(TypeError, match="half, float, double, complex64, complex128"):
        tf.matrix_inverse(tf.constant([[1, 2], [3, 4]]))


# -- space_to_depth / depth_to_space in NCHW -------------------------------------------------------
X = np.arange(2 * 8 * 4 * 6, dtype=np.float32).reshape(2, 8, 4, 6)


def test_nchw_space_to_depth_is_nhwc_between_transposes():
    y = tf.space_to_depth(X, 2, data_format="NCHW")
    back = tf.depth_to_space(y, 2, data_format="NCHW")
    nhwc = tf.space_to_depth(X.transpose(0, 2, 3, 1), 2)
    assert y.shape.as_list() == [2, 32, 2, 3] and y.op.get_attr("data_format") == "NCHW"
    got, round_trip, expected = run(y, back, nhwc)
    np.testing.assert_array_equal(got, expected.transpose(0, 3, 1, 2))
    np.testing.assert_array_equal(round_trip, X)
    assert got.ravel()[:8].tolist() == [0.0, 2.0, 4.0, 12.0, 14.0, 16.0, 24.0, 26.0]


def test_nchw_depth_to_space_values_shape_and_gradient():
    x = tf.constant(X)
    y = tf.depth_to_space(x, 2, data_format="NCHW")
    assert y.shape.as_list() == [2, 2, 8, 12]
    weights = np.random.RandomState(0).uniform(size=(2, 2, 8, 12)).astype(np.float32)
    grad = tf.gradients(tf.reduce_sum(y * weights), x)[0]
    value, g = run(y, grad)
    assert value.ravel()[:8].tolist() == [0.0, 48.0, 1.0, 49.0, 2.0, 50.0, 3.0, 51.0]
    # the op permutes elements: its gradient is the weights permuted back
    np.testing.assert_array_equal(g, run(tf.space_to_depth(weights, 2, data_format="NCHW"))[0])


def test_block_ops_reject_an_unknown_data_format():
    with pytest.raises(ValueError, match="Value for attr 'data_format' of \"NWHC\" is not in"):
        tf.space_to_depth(X, 2, data_format="NWHC")
    with pytest.raises(ValueError, match="NCHW_VECT_C"):
        tf.depth_to_space(X, 2, data_format="NCHW_VECT_C")


# -- einsum gradients ------------------------------------------------------------------------------
A = np.arange(9.0).reshape(3, 3)
B = np.arange(12.0).reshape(2, 2, 3)
C = np.array([[1.0, -1.0, 2.0], [0.5, 0.0, 1.0]])
D = np.arange(24.0).reshape(4, 2, 3)
F = np.array([[[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]]])

EINSUM = [  # (equation, inputs, output gradient, TF's value, TF's gradients)
    ("ii->", [A], None, 12.0, [np.eye(3)]),
    ("ii->i", [A], [1.0, -2.0, 3.0], [0.0, 4.0, 8.0], [np.diag([1.0, -2.0, 3.0])]),
    ("iij->j", [B], [1.0, -2.0, 0.5], [9.0, 11.0, 13.0],
     [[[[1.0, -2.0, 0.5], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [1.0, -2.0, 0.5]]]]),
    ("iij,kj->k", [B, C], [1.0, 2.0], [24.0, 17.5],
     [[[[2.0, -1.0, 4.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [2.0, -1.0, 4.0]]],
      [[9.0, 11.0, 13.0], [18.0, 22.0, 26.0]]]),
    ("ij,jj->i", [A, A], [1.0, 0.0, -1.0], [20.0, 56.0, 92.0],
     [[[0.0, 4.0, 8.0], [0.0, 0.0, 0.0], [0.0, -4.0, -8.0]], -6.0 * np.eye(3)]),
    ("...ij->...j", [D], None, [[3.0, 5.0, 7.0], [15.0, 17.0, 19.0], [27.0, 29.0, 31.0],
                                [39.0, 41.0, 43.0]], [np.ones((4, 2, 3))]),
    ("...ij,...ij->...i", [D, F], None,
     [[8.0, 9.0], [44.0, 18.0], [80.0, 27.0], [116.0, 36.0]],
     [np.broadcast_to(F, (4, 2, 3)), [[[36.0, 40.0, 44.0], [48.0, 52.0, 56.0]]]]),
    ("ii->", [A + 1j * A.T], 1 + 2j, 12 + 12j, [(1 + 2j) * np.eye(3)]),
]


@pytest.mark.parametrize("case", EINSUM, ids=lambda c: c[0])
def test_einsum_gradients_are_tfs(case):
    equation, values, grad_ys, expected, expected_grads = case
    xs = [tf.constant(v) for v in values]
    y = tf.einsum(equation, *xs)
    grads = tf.gradients(y, xs, grad_ys=None if grad_ys is None else tf.constant(
        np.asarray(grad_ys, np.asarray(values[0]).dtype)))
    got, *got_grads = run(y, *grads)
    np.testing.assert_array_equal(got, expected)
    for g, want in zip(got_grads, expected_grads):
        np.testing.assert_array_equal(g, want)


def test_einsum_of_a_repeated_letter_matches_finite_differences():
    from test_gradient_check import _loss_and_grads, _numeric
    values = [np.random.RandomState(3).uniform(-1, 1, (3, 3, 2))]
    xs, loss, grads = _loss_and_grads(lambda x: tf.einsum("iij->ji", x) * 2.0, values)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(grads, {xs[0]: values[0]})[0],
                                   _numeric(sess, loss, xs, values)[0], atol=1e-6)


def test_einsum_of_an_ellipsis_missing_from_the_output_is_a_value_error():
    with pytest.raises(ValueError, match="(?s)Shape must be at most rank 0 but is rank 2.*"
                       "without ellipsis"):
        tf.einsum("...i->i", D)
    assert tf.einsum("...i->i", np.ones(3)).shape.as_list() == [3]  # (an empty ellipsis)
