"""TF1's remaining math names (minitf/ops/misc_math_ops.py, misc_array_ops.py, misc_index_ops.py):
values, static
shapes, dtypes, names and errors as TF 1 gives them (checked against TF 2.21 with tfdiff)."""
import numpy as np
import pytest

import minitf as tf

from _session import run


# -- composites ------------------------------------------------------------------------------------
def test_lbeta():
    y = tf.lbeta([[1.0, 2.0, 3.0], [0.5, 0.5, 4.0]])
    assert (y.name, y.dtype, y.shape.as_list()) == ("lbeta/sub:0", tf.float32, [2])
    np.testing.assert_allclose(run(y), [-4.0943441, -0.241565], rtol=1e-5)
    assert tf.math.lbeta is tf.lbeta
    np.testing.assert_array_equal(run(tf.lbeta(np.zeros((2, 0), np.float32))), [-np.inf] * 2)
    np.testing.assert_allclose(run(tf.lbeta(np.array([1.0, 2.5]))), -0.916291, rtol=1e-6)
    with pytest.raises(ValueError, match="Invalid reduction dimension -1 for input with 0"):
        tf.lbeta(2.0)
    with pytest.raises(TypeError):
        tf.lbeta(tf.constant([1, 2]))


def test_polyval():
    y = tf.math.polyval([1.0, 2.0, 3.0], 2.0)
    assert (y.name, y.dtype) == ("polyval/add_1:0", tf.float32) and run(y) == 11.0
    z = tf.math.polyval([tf.constant([1.0, 2.0]), 3.0], tf.constant([[1.0, 2.0], [0.5, 3.0]]))
    assert (z.name, z.shape.as_list()) == ("polyval_1/add:0", [2, 2])
    np.testing.assert_array_equal(run(z), [[4, 7], [3.5, 9]])
    empty = tf.math.polyval([], 2.0)
    assert (empty.name, empty.dtype, run(empty)) == ("polyval_2:0", tf.float32, 0.0)
    i = tf.math.polyval([1, 2, 3], 2)
    assert (i.dtype, run(i)) == (tf.int32, 11)
    with pytest.raises(ValueError, match="Argument coeffs must be list type. Received type"):
        tf.math.polyval(tf.constant([1.0, 2.0]), 2.0)


def test_erfcinv():
    y = tf.math.erfcinv([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, -0.5])
    assert (y.name, y.dtype) == ("erfcinv/mul_1:0", tf.float32)
    assert {op.type for op in tf.get_default_graph().get_operations()} == {
        "Const", "Mul", "Ndtri", "Neg"}
    v = run(y)
    np.testing.assert_allclose(v, [np.inf, 0.476936, 0, -0.476936, -np.inf, np.nan, np.nan],
                               rtol=1e-6)
    assert np.signbit(v[2])  # -0.0, as TF
    with pytest.raises(TypeError):
        tf.math.erfcinv(tf.constant([1]))


def test_zero_fraction():
    y = tf.math.zero_fraction([[0.0, 1.0], [0.0, 3.0]])
    assert (y.name, y.dtype, y.shape.as_list()) == ("zero_fraction/fraction:0", tf.float32, [])
    assert run(y) == 0.5
    assert run(tf.math.zero_fraction([0, 1, 2])) == np.float32(1 / 3)
    assert np.isnan(run(tf.math.zero_fraction(np.zeros(0, np.float32))))


def test_accumulate_n():
    y = tf.accumulate_n([[1.0, 2.0], [3.0, 4.0], tf.constant([5.0, 6.0])])
    assert (y.name, y.op.type) == ("AddN:0", "AddN") and tf.math.accumulate_n is tf.accumulate_n
    np.testing.assert_array_equal(run(y), [9, 12])
    one = tf.constant([1.0, 2.0])
    assert tf.accumulate_n([one]) is one
    assert tf.accumulate_n([one], name="acc").name == "acc:0"
    with pytest.raises(ValueError, match="Shapes \\(3,\\) and \\(2,\\) are not compatible"):
        tf.accumulate_n([[1.0, 2.0]], shape=[3])
    with pytest.raises(TypeError, match="The `tensor_dtype` argument is <dtype: 'int32'>, but "
                                        "`input` is of type <dtype: 'float32'>"):
        tf.accumulate_n([[1.0, 2.0]], tensor_dtype=tf.int32)
    with pytest.raises(ValueError, match="inputs must be a list of at least one Tensor"):
        tf.accumulate_n([])
    with pytest.raises(ValueError, match="not compatible"):
        tf.accumulate_n([tf.constant([1.0]), tf.constant([1.0, 2.0])])


# -- aliases ---------------------------------------------------------------------------------------
def test_realdiv_and_python2_div():
    r = tf.realdiv([1.0, 2.0], [4.0, 3.0])
    assert (r.name, r.op.type) == ("RealDiv:0", "RealDiv")
    np.testing.assert_allclose(run(r), [0.25, 2 / 3], rtol=1e-6)
    d = tf.div(tf.constant([7, -7]), 2)
    assert (d.name, d.op.type, d.dtype) == ("div:0", "FloorDiv", tf.int32)
    np.testing.assert_array_equal(run(d), [3, -4])
    f = tf.div([7.0, -7.0], 2.0)
    assert (f.op.type, run(f).tolist()) == ("RealDiv", [3.5, -3.5])
    u = tf.div(tf.constant([7, 9], tf.uint8), tf.constant(2, tf.uint8))
    assert (u.op.type, run(u).tolist()) == ("FloorDiv", [3, 4])
    c = tf.div(tf.constant([7j]), 2j)
    assert (c.op.type, c.dtype, run(c).tolist()) == ("RealDiv", tf.complex128, [3.5])
    assert (tf.div(7, 2).dtype, run(tf.div(7, 2))) == (tf.int32, 3)
    with pytest.raises(TypeError):
        tf.div(tf.constant(7), 2.5)
    with pytest.raises(TypeError):
        tf.realdiv(tf.constant([7]), 2)  # (TF: no kernel at run time)


def test_arg_max_and_arg_min():
    m = tf.arg_max([[1, 5, 2], [7, 0, 7]], 1)
    assert (m.name, m.dtype, run(m).tolist()) == ("ArgMax:0", tf.int64, [1, 0])
    n = tf.arg_min([[1, 5, 2], [7, 0, 7]], 0, output_type=tf.int32)
    assert (n.name, n.dtype, run(n).tolist()) == ("ArgMin:0", tf.int32, [0, 1, 0])
    assert run(tf.arg_max([[1.0, 2.0]], dimension=1)).tolist() == [1]


def test_to_bfloat16_is_built_as_in_tf_but_cannot_hold_values():
    y = tf.to_bfloat16([1.0, 2.5])
    assert (y.name, y.op.type, y.dtype) == ("ToBFloat16:0", "Cast", tf.bfloat16)
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot hold bfloat16 values"):
        run(y)


# -- NextAfter, Cross, Diag, DiagPart, Bitcast -----------------------------------------------------
def test_nextafter():
    y = tf.math.nextafter([1.0, 0.0, 2.0], [2.0, -1.0, 2.0])
    assert (y.name, y.dtype, y.shape.as_list()) == ("NextAfter:0", tf.float32, [3])
    v = run(y)
    assert v[0] == np.nextafter(np.float32(1), np.float32(2)) and v[0] > 1
    assert v[1] == -np.float32(1.4e-45) and v[2] == 2.0
    x = tf.constant([1.0, 2.0])
    assert run(tf.gradients(tf.math.nextafter(x, 3.0), x)[0]).tolist() == [1, 1]
    with pytest.raises(TypeError, match="DataType int32 not in list of allowed values: float64, "
                                        "float32"):
        tf.math.nextafter(tf.constant([1, 0]), 2)


def test_cross():
    c = tf.cross([[1.0, 2.0, 3.0]], [[4.0, 5.0, 7.0]])
    assert (c.name, c.shape.as_list()) == ("Cross:0", [1, 3]) and tf.linalg.cross is tf.cross
    np.testing.assert_array_equal(run(c), [[-1, 5, -3]])
    assert run(tf.cross([1, 2, 3], [4, 5, 7])).tolist() == [-1, 5, -3]
    a, b = tf.placeholder(tf.float32, [None, 3]), tf.placeholder(tf.float32, [2, None])
    assert tf.cross(a, b).shape.as_list() == [2, 3]
    u = tf.constant([[1.0, 2.0, 3.0]])
    assert run(tf.gradients(tf.cross(u, [[4.0, 5.0, 6.0]]), u)[0]).tolist() == [[-1, 2, -1]]
    with pytest.raises(ValueError, match="Dimension must be 3 but is 2 for 'Cross' with input "
                                         "shapes: \\[2\\], \\[2\\]"):
        tf.cross([1.0, 2.0], [4.0, 5.0])
    with pytest.raises(ValueError, match="Shapes must be equal rank, but are 2 and 1"):
        tf.cross([[1.0, 2.0, 3.0]], [4.0, 5.0, 6.0])


def test_diag_and_diag_part():
    d = tf.diag([1, 2])
    assert (d.name, d.op.type, run(d).tolist()) == ("Diag:0", "Diag", [[1, 0], [0, 2]])
    assert tf.diag([[1.0, 2.0], [3.0, 4.0]]).shape.as_list() == [2, 2, 2, 2]
    assert tf.diag(tf.placeholder(tf.float32, [None, 3])).shape.as_list() == [None, 3, None, 3]
    p = tf.diag_part(np.arange(16.0).reshape(4, 4))
    assert (p.name, run(p).tolist()) == ("DiagPart:0", [0, 5, 10, 15])
    np.testing.assert_array_equal(run(tf.diag_part(np.arange(36.0).reshape(2, 3, 2, 3))),
                                  [[0, 7, 14], [21, 28, 35]])
    assert tf.diag_part(tf.placeholder(tf.float32, [None, 3])).shape.as_list() == [3]
    assert tf.diag_part(tf.placeholder(tf.float32, [None, 3, 2, None])).shape.as_list() == [2, 3]
    assert tf.linalg.tensor_diag is tf.diag and tf.linalg.tensor_diag_part is tf.diag_part
    x = tf.constant([1.0, 2.0])
    assert run(tf.gradients(tf.diag(x), x)[0]).tolist() == [1, 1]
    with pytest.raises(ValueError, match="Shape must be at least rank 1 but is rank 0 for 'Diag'"):
        tf.diag(1.0)
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3 for "
                                         "'DiagPart' with input shapes: \\[2,3\\]"):
        tf.diag_part(np.ones((2, 3)))
    with pytest.raises(ValueError, match="Input must have even and non-zero rank, input rank is "
                                         "3 for 'DiagPart'"):
        tf.diag_part(np.ones((2, 2, 2)))


def test_bitcast():
    b = tf.bitcast(tf.constant([1.0, -2.0]), tf.int32)
    assert (b.name, b.dtype, run(b).tolist()) == ("Bitcast:0", tf.int32,
                                                  [1065353216, -1073741824])
    down = tf.bitcast(tf.constant([1.0, -2.0]), tf.uint8)
    assert down.shape.as_list() == [2, 4]
    assert run(down).tolist() == [[0, 0, 128, 63], [0, 0, 0, 192]]
    up = tf.bitcast(tf.constant([[1, 2, 3, 4], [5, 6, 7, 8]], tf.uint8), tf.int32)
    assert (up.shape.as_list(), run(up).tolist()) == ([2], [67305985, 134678021])
    np.testing.assert_array_equal(run(tf.bitcast(tf.constant([1.0, -2.0], tf.float64),
                                                 tf.complex64)), [1.875j, -2j])
    assert tf.bitcast(tf.placeholder(tf.float64, [None, 3]), tf.int16).shape.as_list() == [
        None, 3, 4]
    assert tf.bitcast(tf.placeholder(tf.int16, [3, None]), tf.float64).shape.as_list() == [3]
    with pytest.raises(ValueError, match="Cannot bitcast from 4 to 3 due to shape. 3 does not "
                                         "match 4 for 'Bitcast' with input shapes: \\[3\\]"):
        tf.bitcast(tf.constant([1, 2, 3], tf.uint8), tf.int32)
    with pytest.raises(TypeError, match="DataType bool not in list of allowed values"):
        tf.bitcast(tf.constant([True]), tf.uint8)
    x = tf.constant([1.0])
    with pytest.raises(LookupError, match="No gradient defined for operation'same' "
                                          "\\(op type: Bitcast\\)"):
        tf.gradients(tf.bitcast(x, tf.float32, name="same"), x)


# -- bincount, confusion_matrix, histogram_fixed_width_bins ----------------------------------------
def test_bincount():
    b = tf.bincount([1, 1, 3, 0])
    assert (b.name, b.dtype, b.shape.as_list()) == ("bincount/DenseBincount:0", tf.int32, [4])
    assert run(b).tolist() == [1, 2, 0, 1] and tf.math.bincount is tf.bincount
    w = tf.bincount([1, 1, 3, 0], weights=[0.5, 1.0, 2.0, 3.0])
    assert (w.dtype, run(w).tolist()) == (tf.float32, [3.0, 1.5, 0.0, 2.0])
    assert run(tf.bincount([1, 1, 3, 0], minlength=6, maxlength=2)).tolist() == [1, 2]
    assert run(tf.bincount([1, 1, 3, 0], minlength=6)).tolist() == [1, 2, 0, 1, 0, 0]
    assert run(tf.bincount([1, 1, 3, 0], dtype=tf.float32)).dtype == np.float32
    assert run(tf.bincount([[1, 1], [3, 0]])).tolist() == [1, 2, 0, 1]
    assert run(tf.bincount(np.zeros(0, np.int32))).tolist() == []
    assert run(tf.bincount([1.0, 2.0])).tolist() == [0, 1, 1]
    # (weights set the type, whatever `dtype` says)
    assert tf.bincount([1, 2], weights=[1.0, 2.0], dtype=tf.float64).dtype == tf.float32
    arr = tf.placeholder(tf.int32, [None])
    dynamic = tf.bincount(arr, minlength=3)
    assert dynamic.shape.as_list() == [None]
    assert run(dynamic, {arr: [4, 0]}).tolist() == [1, 0, 0, 0, 1]
    assert run(dynamic, {arr: np.zeros(0, np.int32)}).tolist() == [0, 0, 0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input arr must be non-negative!"):
        run(tf.bincount(arr), {arr: [1, -1]})
    with pytest.raises(tf.errors.InvalidArgumentError, match="`weights` must be the same shape"):
        run(tf.bincount(arr, weights=[1.0]), {arr: [1, 2]})


def test_confusion_matrix():
    c = tf.confusion_matrix([1, 2, 4], [2, 2, 4])
    assert (c.name, c.dtype, c.shape.as_list()) == ("confusion_matrix/ScatterNd:0", tf.int32,
                                                    [5, 5])
    assert tf.math.confusion_matrix is tf.confusion_matrix
    expected = np.zeros((5, 5), np.int32)
    expected[1, 2], expected[2, 2], expected[4, 4] = 1, 1, 1
    np.testing.assert_array_equal(run(c), expected)
    weighted = tf.confusion_matrix([1, 2, 4], [2, 2, 4], num_classes=5, weights=[1, 2, 3])
    np.testing.assert_array_equal(run(weighted), expected * [[1], [1], [2], [1], [3]])
    f = tf.confusion_matrix([1, 2], [2, 2], dtype=tf.float32, weights=[0.5, 1.5])
    assert f.dtype == tf.float32 and run(f).tolist() == [[0, 0, 0], [0, 0, 0.5], [0, 0, 1.5]]
    labels = tf.placeholder(tf.int32, [None])
    dynamic = tf.confusion_matrix(labels, [2, 2])
    assert dynamic.shape.as_list() == [None, None]
    with pytest.raises(tf.errors.InvalidArgumentError, match="`labels` contains negative "
                                                             "values"):
        run(dynamic, {labels: [1, -2]})
    assert tf.confusion_matrix([0, 1], [1, 1], num_classes=tf.constant(3)).shape == [3, 3]
    bounded = tf.confusion_matrix(labels, [2, 2], num_classes=3)
    assert bounded.shape.as_list() == [3, 3]
    with pytest.raises(tf.errors.InvalidArgumentError, match="`labels` out of bound"):
        run(bounded, {labels: [1, 5]})


def test_histogram_fixed_width_bins():
    h = tf.histogram_fixed_width_bins([-1.0, 0.0, 1.5, 2.0, 5.0, 15.0], [0.0, 5.0], nbins=5)
    assert (h.name, h.dtype) == ("histogram_fixed_width_bins/Reshape_1:0", tf.int32)
    assert run(h).tolist() == [0, 0, 1, 2, 4, 4]
    two = tf.histogram_fixed_width_bins([[-1.0, 0.0], [3.0, 9.0]], [0.0, 6.0], 3, tf.int64)
    assert (two.dtype, run(two).tolist()) == (tf.int64, [[0, 0], [1, 2]])
    with pytest.raises(TypeError):
        tf.histogram_fixed_width_bins([[-1, 0], [3, 9]], [0, 6], nbins=3)


# -- in_top_k, ApproxTopK, UnravelIndex, SobolSample ---------------------------------------------
def test_in_top_k():
    y = tf.math.in_top_k([[0.1, 0.9, 0.5], [0.3, 0.3, 0.2]], [2, 1], 2)
    assert (y.name, y.dtype, y.shape.as_list()) == ("in_top_k/InTopKV2:0", tf.bool, [2])
    assert run(y).tolist() == [True, True]
    ties = tf.math.in_top_k([[0.3, 0.3, 0.3], [0.3, 0.3, 0.2]], [2, 2], 1)
    assert run(ties).tolist() == [True, False]  # (ties count in the target's favour)
    odd = tf.math.in_top_k([[np.nan, 0.3, 0.3], [0.3, np.inf, 0.2]], [0, 1], 3)
    assert run(odd).tolist() == [False, False]  # (a non-finite target is never in)
    assert run(tf.math.in_top_k([[0.3, 0.3, 0.3]], [5], 1)).tolist() == [False]
    assert run(tf.math.in_top_k([[0.3, 0.3, 0.3]], [0], 0)).tolist() == [False]
    i64 = tf.math.in_top_k([[0.3, 0.3, 0.3]], tf.constant([1], tf.int64), 1)
    assert run(i64).tolist() == [True]
    with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 1 for 'InTopKV2' "
                                         "with input shapes: \\[3\\], \\[1\\], \\[\\]"):
        tf.math.in_top_k([0.3, 0.3, 0.3], [1], 1)
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 1 and 2"):
        tf.math.in_top_k([[0.3, 0.3, 0.3]], [1, 2], 1)
    with pytest.raises(TypeError, match="Input 'predictions' of 'InTopKV2' Op has type float64 "
                                        "that does not match expected type of float32"):
        tf.math.in_top_k(tf.constant([[1.0, 2.0]], tf.float64), [1], 1)
    with pytest.raises(TypeError, match="Input 'k' of 'InTopKV2' Op has type int64 that does not "
                                        "match type int32 of argument 'targets'"):
        tf.math.in_top_k([[1.0, 2.0]], [1], tf.constant(1, tf.int64))


def test_approx_top_k_is_exact():
    v, i = tf.math.approx_max_k([[0.1, 0.9, 0.5, 0.9], [0.3, 0.3, 0.2, 1.0]], 2)
    assert (v.name, i.name, i.dtype, v.shape.as_list()) == ("ApproxTopK:0", "ApproxTopK:1",
                                                            tf.int32, [2, 2])
    values, indices = run([v, i])
    np.testing.assert_allclose(values, [[0.9, 0.9], [1.0, 0.3]], rtol=1e-7)
    assert indices.tolist() == [[1, 3], [3, 0]]
    v, i = tf.math.approx_min_k([[0.1, 0.9, 0.5], [0.3, 0.3, 0.2]], 1, reduction_dimension=0)
    assert v.shape.as_list() == [1, 3] and run(i).tolist() == [[0, 1, 1]]
    v, i = tf.approx_top_k([[1.0, np.nan, 3.0]], 2)
    values, indices = run([v, i])
    assert np.isnan(values[0, 0]) and values[0, 1] == 3 and indices.tolist() == [[1, 2]]
    assert tf.approx_top_k(tf.placeholder(tf.float32, [None, 5]), 2)[0].shape.as_list() == [
        None, 2]
    x = tf.constant([[1.0, 2.0, 3.0]])
    g = tf.gradients(tf.approx_top_k(x, 2)[0], x)[0]
    assert run(g).tolist() == [[0, 1, 1]]
    with pytest.raises(TypeError, match="DataType float64 not in list of allowed values: "
                                        "float16, bfloat16, float32"):
        tf.approx_top_k(np.array([[1.0, 2.0, 3.0]]), 2)
    with pytest.raises(ValueError, match="input must have last dimension >= k = 4 but was 3"):
        tf.approx_top_k([[1.0, 2.0, 3.0]], 4)


def test_unravel_index():
    u = tf.unravel_index([5, 7, 0], [3, 4])
    assert (u.name, u.dtype, u.shape.as_list()) == ("UnravelIndex:0", tf.int32, [2, 3])
    assert run(u).tolist() == [[1, 1, 0], [1, 3, 0]]
    assert run(tf.unravel_index(5, [3, 4])).tolist() == [1, 1]
    assert run(tf.unravel_index([-1, 11], [3, 4])).tolist() == [[0, 2], [-1, 3]]  # (as TF)
    wide = tf.unravel_index(tf.constant([5], tf.int64), [3, 4])
    assert (wide.dtype, run(wide).tolist()) == (tf.int64, [[1], [1]])
    indices = tf.placeholder(tf.int32, [None])
    assert tf.unravel_index(indices, tf.placeholder(tf.int32, [2])).shape.as_list() == [2, None]
    with pytest.raises(tf.errors.InvalidArgumentError, match="index is out of bound as with "
                                                             "dims"):
        run(tf.unravel_index(indices, [3, 4]), {indices: [12]})
    flat = tf.placeholder(tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="The indices can only be scalar "
                                                             "or vector"):
        run(tf.unravel_index(flat, [3, 4]), {flat: [[5, 1]]})


def test_sobol_sample_is_tfs_sequence():
    s = tf.math.sobol_sample(3, 5)
    assert (s.name, s.dtype, s.shape.as_list()) == ("sobol/SobolSample:0", tf.float32, [5, 3])
    np.testing.assert_array_equal(run(s), [[0.5, 0.5, 0.5], [0.75, 0.25, 0.25],
                                           [0.25, 0.75, 0.75], [0.375, 0.375, 0.625],
                                           [0.875, 0.875, 0.125]])
    skipped = tf.math.sobol_sample(2, 3, skip=4, dtype=tf.float64)
    assert skipped.dtype == tf.float64
    np.testing.assert_array_equal(run(skipped), [[0.875, 0.875], [0.625, 0.125],
                                                 [0.125, 0.625]])
    n = tf.placeholder_with_default(3, [])
    assert tf.math.sobol_sample(2, n).shape.as_list() == [None, 2]
    with pytest.raises(TypeError, match="parameter 'dtype' has DataType int32"):
        tf.math.sobol_sample(2, 1, dtype=tf.int32)
    for args, message in (((0, 1), "dim must be at least one"),
                          ((21201, 1), "dim must be at most 21200"),
                          ((2, 0), "num_results must be at least one"),
                          ((2, 1, -1), "skip must be non-negative")):
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            run(tf.math.sobol_sample(*args))


@pytest.mark.global_graph
def test_ops_run_eagerly(eager):
    assert tf.bincount([1, 1, 3]).numpy().tolist() == [0, 2, 0, 1]
    assert tf.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]).numpy().tolist() == [0, 0, 1]
    assert tf.diag_part(tf.diag([1, 2])).numpy().tolist() == [1, 2]
    assert tf.bitcast(tf.constant([1.0]), tf.int32).numpy().tolist() == [1065353216]
    assert tf.math.in_top_k([[0.1, 0.9]], [1], 1).numpy().tolist() == [True]
    assert tf.unravel_index(5, [3, 4]).numpy().tolist() == [1, 1]
    assert tf.math.sobol_sample(1, 2).numpy().tolist() == [[0.5], [0.75]]
    assert tf.confusion_matrix([0, 1], [1, 1]).numpy().tolist() == [[0, 1], [0, 1]]
    assert float(tf.math.zero_fraction([0.0, 2.0]).numpy()) == 0.5
