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
