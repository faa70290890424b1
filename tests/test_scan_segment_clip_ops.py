"""Scans, segment reductions, norms, moments and clipping (issue 17, item 2): values, gradients,
static shapes, dtypes, op names and errors, as TensorFlow 1 gives them (hard-coded from it)."""
import numpy as np
import pytest

import minitf as tf

from _session import run

X = np.array([[1., 2., 0., 4.], [3., -1., 2., .5]], np.float32)
GY = np.array([[1., 2., 3., -1.], [.5, 1., 1., 2.]], np.float32)


def _value_and_grad(y, x, grad_ys):
    return run([y, tf.gradients(y, x, grad_ys=grad_ys)[0]])


# (exclusive, reverse) -> (value, gradient for GY), along axis 1 of X
SCANS = {
    ("cumsum", False, False): ([[1, 3, 3, 7], [3, 2, 4, 4.5]], [[5, 4, 2, -1], [4.5, 4, 3, 2]]),
    ("cumsum", False, True): ([[7, 6, 4, 4], [4.5, 1.5, 2.5, .5]],
                              [[1, 3, 6, 5], [.5, 1.5, 2.5, 4.5]]),
    ("cumsum", True, False): ([[0, 1, 3, 3], [0, 3, 2, 4]], [[4, 2, -1, 0], [4, 3, 2, 0]]),
    ("cumprod", False, False): ([[1, 2, 0, 0], [3, -3, -6, -3]],
                                [[5, 2, 0, 0], [-4.5, 15, -6, -12]]),
    ("cumprod", True, True): ([[0, 0, 4, 1], [-1, 1, .5, 1]], [[0, 0, 0, 3], [0, .5, .25, 2]]),
    ("cumulative_logsumexp", False, False): (
        [[1.0, 2.3132617, 2.4076061, 4.1851826], [3.0, 3.0181499, 3.3265626, 3.3840916]],
        [[2.2307, 3.34538, 0.25487, -0.83095], [3.56555, 0.05615, 0.76649, 0.11181]]),
    ("cumulative_logsumexp", True, True): (
        [[4.1429315, 4.0181499, 4.0, -np.inf], [2.2413113, 2.2014134, 0.5, -np.inf]],
        [[0.0, 0.11731, 0.05185, 5.83084], [0.0, 0.01956, 1.21037, 1.27007]]),
}


@pytest.mark.parametrize("key", sorted(SCANS), ids=str)
def test_scan_values_and_gradients_match_tf(key):
    name, exclusive, reverse = key
    fn = getattr(tf.math, name)
    x = tf.constant(X)
    y = fn(x, axis=1, exclusive=exclusive, reverse=reverse)
    assert y.shape.as_list() == [2, 4] and y.dtype == tf.float32
    value, grad = _value_and_grad(y, x, tf.constant(GY))
    np.testing.assert_allclose(value, SCANS[key][0], rtol=1e-5)
    np.testing.assert_allclose(grad, SCANS[key][1], rtol=1e-4, atol=1e-5)


def test_scan_op_types_names_and_dtypes():
    x = tf.constant(X)
    assert [f(x).name for f in (tf.cumsum, tf.cumprod, tf.math.cumulative_logsumexp)] == [
        "Cumsum:0", "Cumprod:0", "CumulativeLogsumexp:0"]
    t = tf.cumsum(tf.constant([1, 2]), name="foo")
    assert (t.name, t.dtype, run(t).tolist()) == ("foo:0", tf.int32, [1, 3])
    assert run(tf.cumsum([1, 2, 3], exclusive=True, reverse=True)).tolist() == [5, 3, 0]
    assert tf.cumsum(x, -1).op.inputs[1].name == "Cumsum_2/axis:0"


def test_scan_axis_computed_at_run_time():
    axis = tf.placeholder(tf.int32, [])
    y = tf.cumsum(tf.constant(X), axis, reverse=True)
    assert y.shape.as_list() == [2, 4]
    assert run(y, {axis: 0}).tolist() == [[4, 1, 2, 4.5], [3, -1, 2, .5]]
    grad = tf.gradients(y, y.op.inputs[0])[0]
    assert run(grad, {axis: -1}).tolist() == [[1, 2, 3, 4]] * 2
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"ScanOp: Expected scan axis in the range \[-2, 2\), but got 5"):
        run(y, {axis: 5})


def test_scan_dtype_errors_match_tf():
    with pytest.raises(TypeError, match="parameter 'x' has DataType int32 not in list"):
        tf.math.cumulative_logsumexp(tf.constant([1, 2]))
    with pytest.raises(TypeError, match="parameter 'x' has DataType bool not in list"):
        tf.cumsum(tf.constant([True]))


def test_scans_run_eagerly():
    with tf.eager_mode():
        assert tf.cumprod(tf.constant([1., 2., 3.])).numpy().tolist() == [1, 2, 6]


# -- segments --------------------------------------------------------------------------------------
D = np.array([[1., 2.], [3., -4.], [5., 6.], [0., 8.]], np.float32)
G4 = np.array([[1., 2.], [3., 4.], [5., 6.], [7., 8.]], np.float32)
SORTED = {  # segment ids [0, 0, 2, 2], grad_ys [[1, 2], [3, 4], [5, 6]]
    "segment_sum": ([[4, -2], [0, 0], [5, 14]], [[1, 2], [1, 2], [5, 6], [5, 6]]),
    "segment_mean": ([[2, -1], [0, 0], [2.5, 7]], [[.5, 1], [.5, 1], [2.5, 3], [2.5, 3]]),
    "segment_max": ([[3, 2], [0, 0], [5, 8]], [[0, 2], [1, 0], [5, 0], [0, 6]]),
    "segment_min": ([[1, -4], [0, 0], [0, 6]], [[1, 0], [0, 2], [0, 6], [5, 0]]),
    "segment_prod": ([[3, -8], [1, 1], [0, 48]], [[3, -8], [1, 4], [0, 48], [25, 36]]),
}
LOW, HIGH = np.finfo(np.float32).min, np.finfo(np.float32).max
UNSORTED = {  # segment ids [2, 0, 2, 2], 4 segments, grad_ys G4
    "unsorted_segment_max": ("UnsortedSegmentMax:0", [[3, -4], [LOW, LOW], [5, 8], [LOW, LOW]],
                             [[0, 0], [1, 2], [5, 0], [0, 6]]),
    "unsorted_segment_min": ("UnsortedSegmentMin:0", [[3, -4], [HIGH, HIGH], [0, 2], [HIGH, HIGH]],
                             [[0, 6], [1, 2], [0, 0], [5, 0]]),
    "unsorted_segment_prod": ("UnsortedSegmentProd:0", [[3, -4], [1, 1], [0, 96], [1, 1]],
                              [[0, 288], [1, 2], [0, 96], [25, 72]]),
    "unsorted_segment_mean": ("UnsortedSegmentMean/truediv:0",
                              [[3, -4], [0, 0], [2, 5.3333335], [0, 0]],
                              [[1.6666666, 2], [1, 2], [1.6666666, 2], [1.6666666, 2]]),
    "unsorted_segment_sqrt_n": ("UnsortedSegmentSqrtN/truediv:0",
                                [[3, -4], [0, 0], [3.4641018, 9.237604], [0, 0]],
                                [[2.8867514, 3.4641018], [1, 2], [2.8867514, 3.4641018],
                                 [2.8867514, 3.4641018]]),
}
SPARSE = {  # indices [0, 3, 1, 1], segment ids [0, 0, 1, 3], grad_ys G4
    "sparse_segment_sum": ([[1, 10], [3, -4], [0, 0], [3, -4]],
                           [[1, 2], [10, 12], [0, 0], [1, 2]]),
    "sparse_segment_mean": ([[.5, 5], [3, -4], [0, 0], [3, -4]],
                            [[.5, 1], [10, 12], [0, 0], [.5, 1]]),
    "sparse_segment_sqrt_n": ([[0.70710677, 7.071068], [3, -4], [0, 0], [3, -4]],
                              [[0.70710677, 1.4142135], [10, 12], [0, 0], [0.70710677, 1.4142135]]),
}


def _type(name):
    return "".join(p.capitalize() for p in name.split("_"))


@pytest.mark.parametrize("name", sorted(SORTED))
def test_sorted_segments_match_tf(name):
    d = tf.constant(D)
    y = getattr(tf.math, name)(d, tf.constant([0, 0, 2, 2]))
    assert (y.name, y.shape.as_list()) == (f"{_type(name)}:0", [None, 2])
    value, grad = _value_and_grad(y, d, tf.constant(G4[:3]))
    np.testing.assert_allclose(value, SORTED[name][0])
    np.testing.assert_allclose(grad, SORTED[name][1])


@pytest.mark.parametrize("name", sorted(UNSORTED))
def test_unsorted_segments_match_tf(name):
    d = tf.constant(D)
    y = getattr(tf.math, name)(d, tf.constant([2, 0, 2, 2]), 4)
    op_name, expected, expected_grad = UNSORTED[name]
    assert (y.name, y.shape.as_list()) == (op_name, [4, 2])
    value, grad = _value_and_grad(y, d, tf.constant(G4))
    np.testing.assert_allclose(value, expected, rtol=1e-6)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-6)


@pytest.mark.parametrize("name", sorted(SPARSE))
def test_sparse_segments_match_tf(name):
    d = tf.constant(D)
    y = getattr(tf, name)(d, tf.constant([0, 3, 1, 1]), tf.constant([0, 0, 1, 3]))
    assert (y.name, y.shape.as_list()) == (f"{_type(name)}:0", [None, 2])
    value, grad = _value_and_grad(y, d, tf.constant(G4))
    np.testing.assert_allclose(value, SPARSE[name][0], rtol=1e-6)
    np.testing.assert_allclose(grad, SPARSE[name][1], rtol=1e-6)


@pytest.mark.parametrize("build, message", [
    (lambda d: tf.segment_sum(d, [1, 0, 0, 2]), "segment ids are not increasing"),
    (lambda d: tf.segment_sum(d, [-1, 0, 0, 0]), r"Segment id -1 out of range \[0, 1\)"),
    (lambda d: tf.segment_sum(d, [0, 0]), "should be the same size as dimension 0"),
    (lambda d: tf.unsorted_segment_max(d, [0, 5, 0, 0], 4),
     r"segment_ids\[1\] = 5 is out of range \[0, 4\)"),
    (lambda d: tf.sparse_segment_sum(d, [0, 9], [0, 0]),
     r"Bad: indices\[1\] == 9 out of range \[0, 4\)"),
])
def test_segment_id_errors_at_run_time_match_tf(build, message):
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        run(build(tf.constant(D)))


def test_segment_dtype_errors_and_integer_segments():
    with pytest.raises(TypeError, match="DataType complex128 not in list of allowed values"):
        tf.segment_max(tf.constant([1 + 2j]), [0])
    t = tf.segment_sum(tf.constant([1, 2, 3]), [0, 1, 1])
    assert (t.dtype, run(t).tolist()) == (tf.int32, [1, 5])


# TF's values (tfdiff): rows [0, 2, 1] of X3 into segments [0, 0, 2] of 4, and the gradient of
# their sum weighted 1, 2, 3, 4 by segment
X3 = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
WITH_N = {
    "sparse_segment_sum": ([[6, 8], [0, 0], [3, 4], [0, 0]], [[1, 1], [3, 3], [1, 1]]),
    "sparse_segment_mean": ([[3, 4], [0, 0], [3, 4], [0, 0]], [[.5, .5], [3, 3], [.5, .5]]),
    "sparse_segment_sqrt_n": ([[4.2426405, 5.656854], [0, 0], [3, 4], [0, 0]],
                              [[0.70710677, 0.70710677], [3, 3], [0.70710677, 0.70710677]]),
}


@pytest.mark.parametrize("name", sorted(WITH_N))
def test_sparse_segments_with_num_segments_match_tf(name):
    d = tf.constant(X3, tf.float32)
    y = getattr(tf, name)(d, [0, 2, 1], [0, 0, 2], num_segments=4)
    assert (y.name, y.shape.as_list()) == (f"{_type(name)}WithNumSegments:0", [4, 2])
    g, = tf.gradients(tf.reduce_sum(y * [[1.0], [2.0], [3.0], [4.0]]), d)
    np.testing.assert_allclose(run(y), WITH_N[name][0], rtol=1e-6)
    np.testing.assert_allclose(run(tf.convert_to_tensor(g)), WITH_N[name][1], rtol=1e-6)
    n = tf.placeholder(tf.int32, [])
    y = getattr(tf, name)(d, [0, 1], [0, 3], num_segments=n)
    assert y.shape.as_list() == [None, 2]
    with tf.Session() as sess:
        assert sess.run(y, {n: 5}).shape == (5, 2)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="segment ids must be < num_segments"):
            sess.run(y, {n: 2})


def test_segments_run_eagerly():
    with tf.eager_mode():
        assert tf.segment_max(tf.constant(D), [0, 0, 1, 1]).numpy().tolist() == [[3, 2], [5, 8]]


# -- norms, moments, l2_normalize, clipping --------------------------------------------------------
W = np.array([[1., 2., -3.], [4., 0., 6.5]], np.float32)


@pytest.mark.parametrize("kwargs, name, shape, value", [
    ({}, "norm/Squeeze:0", [], 8.5),
    ({"ord": 1}, "norm/Squeeze:0", [], 16.5),
    ({"ord": np.inf, "axis": 1}, "norm/Squeeze:0", [2], [3.0, 6.5]),
    ({"ord": "fro", "axis": [0, 1]}, "norm/Squeeze:0", [], 8.5),
    ({"ord": 1, "axis": [0, 1]}, "norm/Squeeze:0", [], 9.5),
    ({"ord": np.inf, "axis": (0, 1)}, "norm/Squeeze:0", [], 10.5),
    ({"ord": 3}, "norm/Squeeze:0", [], 7.2088399),
    ({"axis": -1, "keepdims": True}, "norm/Sqrt:0", [2, 1], [[3.7416601], [7.6321702]]),
    ({"axis": -1, "keep_dims": True}, "norm/Sqrt:0", [2, 1], [[3.7416601], [7.6321702]]),
])
def test_norm_matches_tf(kwargs, name, shape, value):
    t = tf.norm(tf.constant(W), **kwargs)
    assert (t.name, t.shape.as_list()) == (name, shape)
    np.testing.assert_allclose(run(t), value, rtol=1e-6)
    assert tf.linalg.norm is tf.norm


@pytest.mark.parametrize("kwargs, message", [
    ({"ord": "fro"}, "'ord' must be a supported vector norm, got fro"),
    ({"ord": -1}, "'ord' must be a supported vector norm, got -1"),
    ({"axis": [0, 0]}, "'axis' must be None, an integer, or a tuple of 2 unique integers"),
    ({"axis": [0, 1], "ord": 3}, "'ord' must be a supported matrix norm"),
])
def test_norm_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tf.norm(tf.constant(W), **kwargs)


def test_matrix_2_norm_is_the_largest_singular_value_as_in_tf():
    t = tf.norm(tf.constant(W), ord=2, axis=[0, 1])
    assert t.name == "norm/Squeeze:0"
    np.testing.assert_allclose(run(t), 7.94602, rtol=1e-5)
    z = tf.constant(np.arange(24, dtype=np.float64).reshape(2, 3, 4) ** 1.5)
    kept = tf.norm(z, ord=2, axis=(-1, 1), keepdims=True)
    assert kept.shape.as_list() == [2, 1, 1]  # (TF's map_fn perms leave it unknown)
    np.testing.assert_allclose(run(kept).ravel(), [65.8665, 267.9595], rtol=1e-5)
    n = tf.norm(z, ord=2, axis=[2, 0])
    np.testing.assert_allclose(run(n), [100.3425, 149.7351, 208.8489], rtol=1e-5)
    np.testing.assert_allclose(run(tf.gradients(n, z)[0]).ravel()[:5],
                               [0.0205, 0.0231, 0.0259, 0.0287, 0.0771], atol=1e-4)
    with pytest.raises(ValueError, match="needs the input's rank"):
        tf.norm(tf.placeholder(tf.float32), ord=2, axis=[0, 1])


def test_moments_and_l2_normalize_match_tf():
    x = tf.constant(W)
    mean, variance = tf.nn.moments(x, [0])
    assert (mean.name, variance.name) == ("moments/Squeeze:0", "moments/Squeeze_1:0")
    np.testing.assert_allclose(run(mean), [2.5, 1.0, 1.75])
    kept = tf.nn.moments(x, [0, 1], keep_dims=True)[1]
    assert (kept.name, kept.shape.as_list()) == ("moments_1/variance:0", [1, 1])
    np.testing.assert_allclose(run(kept), [[8.97917]], rtol=1e-6)
    half = tf.nn.moments(tf.constant(W, tf.float16), [1])[0]
    assert half.dtype == tf.float16
    t = tf.nn.l2_normalize(x, 1)
    assert t.name == "l2_normalize:0" and tf.math.l2_normalize is tf.nn.l2_normalize
    np.testing.assert_allclose(run(t), [[0.26726, 0.53452, -0.80178], [0.5241, 0.0, 0.85166]],
                               rtol=1e-4)
    np.testing.assert_allclose(run(tf.linalg.l2_normalize(x, dim=0, epsilon=1.0)),
                               [[0.24254, 1.0, -0.41906], [0.97014, 0.0, 0.90796]], rtol=1e-4)


def test_clipping_by_norm_matches_tf():
    x, v = tf.constant(W), tf.constant([3.0])
    g = tf.global_norm([x, v])
    assert g.name == "global_norm/global_norm:0"
    np.testing.assert_allclose(run(g), 9.0138798, rtol=1e-6)
    by_norm = tf.clip_by_norm(x, 2.0)
    assert by_norm.name == "clip_by_norm:0"
    np.testing.assert_allclose(run(by_norm), W * 2.0 / 8.5, rtol=1e-6)
    np.testing.assert_allclose(run(tf.clip_by_norm(x, 2.0, axes=[1]))[0],
                               [0.53452, 1.06904, -1.60357], rtol=1e-5)
    average = tf.clip_by_average_norm(x, 1.0)
    assert average.name == "clip_by_average_norm:0"
    np.testing.assert_allclose(run(average), W * 6 / 8.5, rtol=1e-6)
    clipped, norm = tf.clip_by_global_norm([x, None, v], 2.0)
    assert clipped[1] is None and clipped[2].name == "clip_by_global_norm/clip_by_global_norm/_2:0"
    np.testing.assert_allclose(run(clipped[2]), [0.66564], rtol=1e-5)
    np.testing.assert_allclose(run(norm), 9.0138798, rtol=1e-6)
    with pytest.raises(TypeError, match="`t_list` should be a sequence"):
        tf.global_norm(x)


def test_clipping_keeps_indexed_slices_and_small_norms():
    slices = tf.IndexedSlices(tf.constant(W), tf.constant([0, 2]), tf.constant([3, 3]))
    clipped = tf.clip_by_norm(slices, 2.0)
    assert isinstance(clipped, tf.IndexedSlices) and clipped.indices is slices.indices
    np.testing.assert_allclose(run(clipped.values), W * 2.0 / 8.5, rtol=1e-6)
    np.testing.assert_allclose(run(tf.clip_by_norm(tf.constant(W), 100.0)), W)
    zero = tf.zeros([2])
    assert run(tf.gradients(tf.reduce_sum(tf.clip_by_norm(zero, 1.0)), zero)[0]).tolist() == [
        1.0, 1.0]
    nan = tf.clip_by_global_norm([tf.constant([np.inf, 1.0])], 1.0)[0][0]
    assert np.isnan(run(nan)).all()


def test_norms_run_eagerly():
    with tf.eager_mode():
        np.testing.assert_allclose(tf.norm(tf.constant(W)).numpy(), 8.5)
        np.testing.assert_allclose(tf.clip_by_global_norm([tf.constant(W)], 17.0)[1].numpy(),
                                   8.5)
