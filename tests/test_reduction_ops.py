"""Reductions and argmax/argmin: axes (int, list, negative, None), keepdims and TF1's aliases."""
import numpy as np
import pytest

import minitf as tf

from _session import run

X = np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 7.5


REDUCTIONS = [(tf.reduce_sum, "Sum", np.sum), (tf.reduce_mean, "Mean", np.mean),
              (tf.reduce_max, "Max", np.max), (tf.reduce_min, "Min", np.min),
              (tf.reduce_prod, "Prod", np.prod)]


@pytest.mark.parametrize("fn, name, ref", REDUCTIONS, ids=[r[1] for r in REDUCTIONS])
@pytest.mark.parametrize("axis, keepdims", [(None, False), (None, True), (1, False), (-1, True),
                                            ([0, 2], False), ((0, -1), True)])
def test_reduction_values_and_static_shape(fn, name, ref, axis, keepdims):
    t = fn(tf.constant(X), axis=axis, keepdims=keepdims)
    expected = ref(X, axis=None if axis is None else tuple(np.atleast_1d(axis)),
                   keepdims=keepdims)
    assert t.op.type == name and t.dtype == tf.float32
    assert t.shape.as_list() == list(expected.shape)
    np.testing.assert_allclose(run(t), expected, rtol=1e-5)


def test_reduction_default_names():
    x = tf.constant(X)
    names = [f(x).name for f in (tf.reduce_sum, tf.reduce_mean, tf.reduce_max, tf.reduce_min,
                                 tf.reduce_prod)]
    assert names == ["Sum:0", "Mean:0", "Max:0", "Min:0", "Prod:0"]


def test_reduction_shapes_with_unknown_dims_and_rank():
    p = tf.placeholder(tf.float32, [None, 3, None])
    assert tf.reduce_sum(p, axis=1).shape.as_list() == [None, None]
    assert tf.reduce_sum(p, axis=[0, 2], keepdims=True).shape.as_list() == [1, 3, 1]
    assert tf.reduce_sum(tf.placeholder(tf.float32), axis=0).shape.ndims is None
    np.testing.assert_allclose(run(tf.reduce_sum(p, axis=1), {p: X}), X.sum(axis=1))


def test_tf1_aliases_keep_dims_and_reduction_indices():
    t = tf.reduce_sum(tf.constant(X), reduction_indices=[1], keep_dims=True)
    assert t.shape.as_list() == [2, 1, 4]
    np.testing.assert_allclose(run(t), X.sum(axis=1, keepdims=True))


def test_axis_may_be_a_constant_tensor():
    t = tf.reduce_max(tf.constant(X), axis=tf.constant(2))
    assert t.shape.as_list() == [2, 3]


def test_out_of_range_axis_raises_value_error():
    with pytest.raises(ValueError, match="Invalid reduction dimension 3 for input with 3 "
                                         "dimensions"):
        tf.reduce_sum(tf.constant(X), axis=3)


def test_integer_sum_keeps_dtype_and_integer_mean_truncates():
    i = tf.constant([[1, 2], [3, 5]])
    s = tf.reduce_sum(i)
    assert s.dtype == tf.int32 and run(s).dtype == np.int32 and run(s) == 11
    assert run(tf.reduce_mean(i)) == 2
    assert run(tf.reduce_mean(i, axis=1)).tolist() == [1, 4]


def test_reduce_any_all_need_bool():
    b = tf.constant([[True, False], [True, True]])
    assert run(tf.reduce_any(b, axis=1)).tolist() == [True, True]
    assert run(tf.reduce_all(b, axis=1)).tolist() == [False, True]
    assert (tf.reduce_any(b).name, tf.reduce_all(b).name) == ("Any_1:0", "All_1:0")
    with pytest.raises(TypeError, match="does not match expected type of bool"):
        tf.reduce_any(tf.constant([1.0]))


def test_argmax_argmin_default_axis_zero_int64():
    x = tf.constant([[1.0, 9.0, 3.0], [4.0, 0.0, 6.0]])
    t = tf.argmax(x)
    assert (t.name, t.op.type, t.dtype, t.shape.as_list()) == ("ArgMax:0", "ArgMax", tf.int64,
                                                               [3])
    assert run(t).tolist() == [1, 0, 1]
    assert run(tf.argmin(x, axis=1)).tolist() == [0, 1]
    assert run(tf.argmax(x, dimension=1, output_type=tf.int32)).dtype == np.int32
    assert not t.op._opdef.differentiable


# -- issue 17, item 2: axes computed at run time (TF's reduction_indices input) --------------------
V = np.arange(24, dtype=np.float32).reshape(2, 3, 4)


@pytest.mark.parametrize("fn", [tf.reduce_sum, tf.reduce_mean, tf.reduce_max, tf.reduce_prod])
def test_run_time_axis_is_an_input_with_tf_static_shapes(fn):
    x = tf.placeholder(tf.float32, [2, 3, 4])
    for axis in (tf.placeholder(tf.int32, [2]), tf.placeholder(tf.int32, []),
                 tf.placeholder(tf.int32)):
        t, kept = fn(x, axis), fn(x, axis, keepdims=True)
        assert t.shape.ndims is None and kept.shape.as_list() == [None, None, None]
        assert t.op.inputs[1] is axis
    assert list(tf.reduce_sum(x, tf.constant(1)).op.inputs) == [x]  # a constant stays an attr


def test_run_time_axis_values_and_gradients_match_tf():
    x, a, a0 = (tf.placeholder(tf.float32, [2, 3, 4]), tf.placeholder(tf.int32, [2]),
                tf.placeholder(tf.int32, []))
    g_prod = tf.gradients(tf.reduce_prod(x, a) * tf.constant(2.0), x)[0]
    g_max = tf.gradients(tf.reduce_max(x, a0), x)[0]
    g_mean = tf.gradients(tf.reduce_mean(x, a), x)[0]
    assert g_prod.shape.as_list() == g_max.shape.as_list() == [2, 3, 4]
    with tf.Session() as sess:
        assert sess.run(tf.reduce_sum(x, a), {x: V, a: [0, 2]}).tolist() == [60, 92, 124]
        np.testing.assert_allclose(sess.run(g_prod, {x: V + 1, a: [0, -1]}).ravel()[:6], [
            2.096640e+06, 1.048320e+06, 6.988800e+05, 5.241600e+05, 7.814016e+07, 6.511680e+07],
            rtol=1e-6)
        assert sess.run(g_max, {x: V, a0: 1}).ravel()[:6].tolist() == [0] * 6
        np.testing.assert_allclose(sess.run(g_mean, {x: V, a: [1, 2]}), np.full(V.shape, 1 / 12))


def test_run_time_axis_out_of_range_and_non_integer_axis():
    a = tf.placeholder(tf.int32, [1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid reduction dimension"):
        run(tf.reduce_sum(tf.constant(V), a), {a: [3]})
    with pytest.raises(TypeError, match="'Tidx' of float"):
        tf.reduce_sum(tf.constant(V), tf.placeholder(tf.float32))


def test_run_time_axis_in_eager_mode_and_keepdims():
    with tf.eager_mode():
        t = tf.reduce_sum(tf.constant(V), tf.constant([0, 2]), keepdims=True)
        assert t.numpy().ravel().tolist() == [60, 92, 124]


# -- issue 17, item 2: reduce_euclidean_norm, reduce_logsumexp, reduce_std/variance, count_nonzero
W = np.array([[1., 2., -3.], [4., 0., 6.5]], np.float32)


def test_euclidean_norm_is_an_op_and_matches_tf():
    t = tf.math.reduce_euclidean_norm(tf.constant(W), 1)
    assert (t.name, t.shape.as_list(), t.dtype) == ("EuclideanNorm:0", [2], tf.float32)
    np.testing.assert_allclose(run(t), [3.7416601, 7.6321702], rtol=1e-6)
    kept = tf.math.reduce_euclidean_norm(tf.constant(W), keepdims=True)
    assert kept.shape.as_list() == [1, 1]


def test_logsumexp_std_variance_values_names_and_shapes_match_tf():
    x = tf.constant(W)
    cases = [(tf.reduce_logsumexp(x), "ReduceLogSumExp:0", [], 6.5942702),
             (tf.reduce_logsumexp(x, 1, keepdims=True), "ReduceLogSumExp_1:0", [2, 1],
              [[2.31818], [6.58028]]),
             (tf.math.reduce_std(x), "reduce_std/Sqrt:0", [], 2.99653),
             (tf.math.reduce_variance(x, 0), "reduce_variance/Mean_1:0", [3],
              [2.25, 1.0, 22.5625])]
    for t, name, shape, value in cases:
        assert (t.name, t.shape.as_list()) == (name, shape)
        np.testing.assert_allclose(run(t), value, rtol=1e-5)


def test_logsumexp_does_not_overflow_and_keeps_infinite_max():
    big = tf.reduce_logsumexp(tf.constant([1000.0, 1000.0]))
    np.testing.assert_allclose(run(big), 1000.0 + np.log(2.0), rtol=1e-6)
    assert run(tf.reduce_logsumexp(tf.constant([-np.inf, -np.inf]))) == -np.inf


def test_variance_rejects_integers():
    with pytest.raises(TypeError, match="Input must be either real or complex"):
        tf.math.reduce_variance(tf.constant([1, 2]))


def test_count_nonzero_dtypes_names_and_aliases_match_tf():
    x = tf.constant(W)
    t = tf.count_nonzero(x)
    assert (t.name, t.dtype, run(t)) == ("count_nonzero/Sum:0", tf.int64, 5)
    t32 = tf.count_nonzero(x, 1, keepdims=True, dtype=tf.int32)
    assert (t32.name, t32.shape.as_list()) == ("count_nonzero_1/Cast_1:0", [2, 1])
    assert run(t32).tolist() == [[3], [2]]
    assert run(tf.math.count_nonzero(tf.constant([True, False]))) == 1
    assert run(tf.count_nonzero(input=x, reduction_indices=[0])).tolist() == [2, 1, 2]


def test_argmax_run_time_axis_matches_tf():
    x, axis = tf.placeholder(tf.float32, [2, 3, 4]), tf.placeholder(tf.int32, [])
    t = tf.argmax(x, axis)
    assert (t.shape.as_list(), t.dtype) == ([None, None], tf.int64)
    assert tf.argmin(x, axis, output_type=tf.int32).dtype == tf.int32
    v = np.random.RandomState(0).randn(2, 3, 4).astype(np.float32)
    assert run(t, {x: v, axis: -1}).tolist() == [[3, 0, 3], [0, 0, 2]]
    assert run(t, {x: v, axis: 1}).tolist() == [[1, 2, 0, 0], [1, 2, 2, 0]]
    with pytest.raises(tf.errors.InvalidArgumentError):
        run(t, {x: v, axis: 3})
