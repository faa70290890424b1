"""tf.nn.fractional_max_pool / fractional_avg_pool and their gradient ops: TF's pooling
sequences for the same seeds (its Philox stream), values, names, shapes and errors (checked
with tfdiff)."""
import numpy as np
import pytest

import minitf as tf

from _session import run

X = (np.arange(70, dtype=np.float32) % 11).reshape(1, 10, 7, 1)
SEEDED = dict(seed=1, seed2=2, deterministic=True)


def test_random_sequences_are_tfs_for_the_same_seeds():
    out = tf.nn.fractional_max_pool(X, [1, 1.5, 1.7, 1], **SEEDED)
    assert [t.name for t in out] == ["FractionalMaxPool:0", "FractionalMaxPool:1",
                                     "FractionalMaxPool:2"]
    # (TF declares the sequences one element shorter than they are)
    assert [t.shape.as_list() for t in out] == [[1, 6, 4, 1], [6], [4]]
    assert (out.output.dtype, out.row_pooling_sequence.dtype) == (tf.float32, tf.int64)
    with tf.Session() as sess:
        first, again = sess.run(out), sess.run(out)
    assert first[1].tolist() == again[1].tolist() == [0, 1, 3, 4, 6, 8, 10]
    assert first[2].tolist() == [0, 2, 4, 6, 7]
    assert first[0][0, :, :, 0].tolist() == [[1, 3, 5, 6], [8, 10, 8, 9], [10, 2, 4, 5],
                                             [7, 9, 10, 8], [10, 8, 10, 4], [9, 10, 6, 7]]


def test_pseudo_random_overlapping_sequences():
    out = tf.nn.fractional_max_pool(X, [1, 1.5, 1.7, 1], pseudo_random=True, overlapping=True,
                                    seed=3, seed2=9, deterministic=True)
    values, rows, cols = run(out)
    assert (rows.tolist(), cols.tolist()) == ([0, 2, 3, 5, 7, 8, 10], [0, 2, 4, 5, 7])
    assert values[0, :2, :, 0].tolist() == [[9, 10, 8, 9], [10, 7, 8, 9]]


def test_fractional_avg_pool():
    out = tf.nn.fractional_avg_pool(X, [1, 2.5, 1.44, 1], seed=11, seed2=3, deterministic=True)
    assert out.output.name == "FractionalAvgPool:0"
    values, rows, cols = run(out)
    assert (rows.tolist(), cols.tolist()) == ([0, 3, 5, 8, 10], [0, 2, 4, 6, 7])
    np.testing.assert_allclose(values[0, :2, :, 0], [[3.8333, 5.8333, 4.1667, 5.6667],
                                                     [5.75, 5.0, 4.25, 3.0]], atol=1e-4)
    # integers: C's truncating division
    ints = np.arange(50).reshape(2, 5, 5, 1) - 20
    values, _, _ = run(tf.nn.fractional_avg_pool(ints, [1, 2.2, 1.3, 1], seed=1, seed2=1,
                                                 deterministic=True))
    assert values[..., 0].tolist() == [[[-14, -12, -11], [-2, 0, 1]], [[10, 12, 14], [23, 25, 26]]]


def _grad_case(fn, **kwargs):
    x = tf.constant(np.random.RandomState(3).uniform(-1, 1, (2, 7, 6, 2)))
    out = fn(x, [1, 1.6, 1.9, 1], seed=4, seed2=6, deterministic=True, **kwargs)
    n = out[0].shape.num_elements()
    dy = np.arange(1, 1 + n, dtype=np.float64).reshape(out[0].shape.as_list())
    return x, tf.gradients(out[0], x, grad_ys=dy)[0]


def test_max_gradient_goes_to_each_regions_first_maximum():
    x, g = _grad_case(tf.nn.fractional_max_pool, overlapping=True)
    assert (g.op.type, g.name) == ("FractionalMaxPoolGrad",
                                   "gradients/FractionalMaxPool_grad/FractionalMaxPoolGrad:0")
    assert run(g)[1, :, :, 1].tolist() == [
        [0, 0, 26, 0, 0, 30], [0, 0, 0, 28, 0, 0], [32, 0, 0, 34, 0, 0], [0, 0, 0, 0, 0, 78],
        [0, 0, 78, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 90, 0, 48, 0]]
    with pytest.raises(LookupError, match="op type: FractionalMaxPoolGrad"):
        tf.gradients(g, x)


def test_avg_gradient_is_shared_by_each_region():
    _, g = _grad_case(tf.nn.fractional_avg_pool)
    assert [t.name for t in g.op.inputs[:1]] == [
        "gradients/FractionalAvgPool_grad/FractionalAvgPoolGrad/orig_input_tensor_shape:0"]
    assert run(g)[1, :3, :, 1].tolist() == [[6.5, 6.5, 7.0, 7.0, 7.5, 7.5],
                                            [6.5, 6.5, 7.0, 7.0, 7.5, 7.5],
                                            [16.0, 16.0, 17.0, 17.0, 18.0, 18.0]]
    _, g = _grad_case(tf.nn.fractional_avg_pool, overlapping=True, pseudo_random=True)
    np.testing.assert_allclose(run(g)[1, 0, :, 1], [2.8889, 2.8889, 6.0, 3.1111, 8.1111, 5.0],
                               atol=1e-4)


def test_static_shapes_and_errors():
    p = tf.placeholder(tf.float32, [None, 9, None, 3])
    assert tf.nn.fractional_avg_pool(p, [1, 1.5, 1.5, 1])[0].shape.as_list() == [None, 6, None, 3]
    assert tf.nn.fractional_avg_pool(X, [1, 1.5, 1.5, 1], name="fa")[1].name == "fa:1"
    assert tf.nn.fractional_max_pool(X, [1, 20, 1, 1]).output.shape.as_list() == [1, 0, 7, 1]
    with pytest.raises(ValueError, match="pooling_ratio cannot be smaller than 1, got: 0.5"):
        tf.nn.fractional_max_pool(X, [1, 0.5, 1, 1])
    with pytest.raises(ValueError, match="passed list of length 3 less than minimum 4"):
        tf.nn.fractional_max_pool(X, [1, 1, 1])
    with pytest.raises(ValueError, match="pooling_ratio field must specify 4 dimensions"):
        tf.nn.fractional_max_pool(X, [1, 1.5, 1.5, 1, 1])
    with pytest.raises(ValueError, match="Shape must be rank 4 but is rank 3"):
        tf.nn.fractional_max_pool(X[0], [1, 1.5, 1.5, 1])
    with pytest.raises(TypeError, match="DataType float16 not in list"):
        tf.nn.fractional_max_pool(tf.zeros([1, 4, 4, 1], tf.float16), [1, 1.5, 1.5, 1])


@pytest.mark.parametrize("fn, kwargs, error, match", [
    (tf.nn.fractional_max_pool, dict(pooling_ratio=[2, 1.5, 1.5, 1]),
     tf.errors.UnimplementedError, "Fractional max pooling is not yet supported on the batch"),
    (tf.nn.fractional_avg_pool, dict(pooling_ratio=[1, 1.5, 1.5, 2]),
     tf.errors.UnimplementedError, "Fractional average pooling is not yet supported"),
    (tf.nn.fractional_max_pool, dict(pooling_ratio=[1, 1.5, 1.5, 1], seed=5),
     tf.errors.InvalidArgumentError, "Both seed and seed2 should be 0 if deterministic is false"),
])
def test_run_time_errors(fn, kwargs, error, match):
    out = fn(X, **kwargs)
    with pytest.raises(error, match=match):
        run(out)


def test_unseeded_pooling_draws_fresh_sequences_each_run():
    out = tf.nn.fractional_max_pool(np.zeros((1, 40, 3, 1), np.float32), [1, 1.3, 1, 1])
    with tf.Session() as sess:
        rows = {tuple(sess.run(out.row_pooling_sequence)) for _ in range(8)}
    assert len(rows) > 1 and all(r[0] == 0 and r[-1] == 40 for r in rows)
