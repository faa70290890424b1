"""Second derivatives of every op with a gradient case (issue 17, item 7): the gradient of each
case's gradient matches finite differences, so the gradients an op's gradient builds are
differentiable in turn (hessians, gradient penalties, meta-learning need it).

Each case of tests/test_gradient_check.py is checked as d/dx sum((d/dx sum(f(x) * w))^2)
against central differences of that first gradient. The gradients that have no second
derivative are listed with the error that says so.
"""
import numpy as np
import opcases
import pytest
import test_gradient_check as gc

import minitf as tf

# (op type, case index) -> the error a second derivative raises instead of a value
NOT_TWICE = {
    ("EmbeddingLookup", 0): LookupError,  # over parts: the fused gradient (README)
    ("EmbeddingLookup", 1): LookupError,
    ("ClipEmbeddingsByNorm", 0): LookupError,
}
# cases whose second derivative is NaN where an input is exactly zero, as TF's (0 * inf)
NAN_AT_ZEROS = {("Prod", 1)}
opcases.merged("NOT_TWICE", NOT_TWICE)
opcases.merged("NAN_AT_ZEROS", NAN_AT_ZEROS)
TOLERANCE = {"Cast": 1e-2}  # (float32 in between: the differences are coarse)
opcases.merged("SECOND_ORDER_TOLERANCE", TOLERANCE)


def _first_gradient(builder, n_inputs):
    """xs -> the gradient of sum(builder(xs)^2), all inputs' flattened and joined."""
    def gradient(*xs):
        y = tf.convert_to_tensor(builder(*xs))
        grads = tf.gradients(tf.reduce_sum(tf.square(y)), list(xs[:n_inputs]))
        return tf.concat([tf.reshape(tf.zeros_like(x) if g is None else tf.convert_to_tensor(g),
                                     [-1]) for x, g in zip(xs, grads)], 0)
    return gradient


_CASES = [(t, i, c) for t, cases in gc.CASES.items() for i, c in enumerate(cases)]


@pytest.mark.parametrize("op_type, index, case", _CASES,
                         ids=lambda v: v if isinstance(v, str) else str(v) if isinstance(v, int)
                         else "")
def test_second_derivative_matches_finite_differences(op_type, index, case):
    builder, values, *_ = case
    second = _first_gradient(builder, len(values))
    expected_error = NOT_TWICE.get((op_type, index))
    if expected_error is not None:
        with pytest.raises(expected_error):
            gc._loss_and_grads(second, values)
        return
    xs, loss, grads = gc._loss_and_grads(second, values)
    with tf.Session() as sess:
        feed = dict(zip(xs, values))
        analytic = sess.run(grads, feed)
        numeric = gc._numeric(sess, loss, xs, values, eps=1e-4)
    tol = TOLERANCE.get(op_type, 1e-4)
    for a, n, v in zip(analytic, numeric, values):
        if (op_type, index) in NAN_AT_ZEROS:
            assert np.isnan(a).any() and not np.isnan(a[np.asarray(v) != 0]).any()
            a, n = np.nan_to_num(a), np.where(np.isnan(a), 0.0, n)
        np.testing.assert_allclose(a, n, rtol=tol, atol=tol)


def test_the_exceptions_are_cases():
    assert set(NOT_TWICE) | NAN_AT_ZEROS <= {(t, i) for t, i, _ in _CASES}
