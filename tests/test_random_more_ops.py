"""random_shuffle, random_crop, multinomial / categorical, random_gamma (and its gradient) and
random_poisson: every expected sample below was printed by TensorFlow 2.21 (tf.compat.v1,
graph mode unless marked eager) for the same program, and is matched exactly."""
import hashlib

import numpy as np
import pytest

import minitf as tf
from minitf.ops.random_more_ops import cpu_threads

pytestmark = pytest.mark.global_graph  # (a test may turn eager on)


def _exact(got, expected, dtype):
    expected = np.array(expected, dtype=dtype)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert got.tobytes() == expected.tobytes()  # bit for bit


def _two_runs(*tensors):
    with tf.Session() as sess:
        return sess.run(list(tensors)), sess.run(list(tensors))


def test_shuffle_and_crop_are_tensorflows():
    a = tf.random_shuffle(tf.range(10), seed=1)
    b = tf.random.shuffle(tf.reshape(tf.range(12.), [6, 2]), seed=2)
    c = tf.random_crop(tf.reshape(tf.range(30), [5, 6]), [2, 3], seed=9)
    assert (a.op.type, a.op.name, b.shape.as_list()) == ("RandomShuffle", "RandomShuffle", [6, 2])
    assert (c.op.type, c.op.name, c.shape.as_list()) == ("Slice", "random_crop", [2, 3])
    first, second = _two_runs(a, b, c)
    _exact(first[0], [7, 9, 3, 6, 5, 1, 8, 4, 0, 2], np.int32)
    _exact(second[0], [5, 1, 8, 3, 0, 9, 4, 7, 2, 6], np.int32)
    _exact(first[1], [[6, 7], [4, 5], [8, 9], [10, 11], [0, 1], [2, 3]], np.float32)
    _exact(second[1], [[8, 9], [4, 5], [6, 7], [2, 3], [10, 11], [0, 1]], np.float32)
    _exact(first[2], [[8, 9, 10], [14, 15, 16]], np.int32)
    _exact(second[2], [[12, 13, 14], [18, 19, 20]], np.int32)


def test_shuffle_keeps_one_row_and_unknown_shapes():
    x = tf.placeholder(tf.float32, [None, 2])
    assert tf.random_shuffle(x).shape.as_list() == [None, 2]
    with tf.Session() as sess:
        assert sess.run(tf.random_shuffle(7)) == 7
        assert sess.run(tf.random_shuffle(x), {x: [[1, 2]]}).tolist() == [[1, 2]]


def test_crop_larger_than_value_fails_at_run_time():
    c = tf.random_crop(tf.zeros([2, 3]), [3, 1])
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="Need value.shape >= size"):
        sess.run(c)


def test_multinomial_and_categorical_are_tensorflows():
    m = tf.multinomial([[0., 1., 2.], [1., 1., -1.]], 7, seed=3)
    c = tf.random.categorical(tf.constant([[0.5, -1., 2., 0.]], tf.float64), 5, seed=3,
                              dtype=tf.int32)
    assert (m.op.name, m.dtype, m.shape.as_list()) == ("multinomial/Multinomial", tf.int64, [2, 7])
    assert (c.op.name, c.dtype, c.shape.as_list()) == ("categorical/Multinomial", tf.int32, [1, 5])
    first, second = _two_runs(m, c)
    _exact(first[0], [[1, 2, 0, 2, 2, 2, 1], [1, 0, 0, 0, 1, 1, 0]], np.int64)
    _exact(second[0], [[2, 2, 2, 2, 1, 1, 1], [1, 1, 0, 0, 0, 1, 0]], np.int64)
    _exact(first[1], [[0, 2, 0, 2, 2]], np.int32)
    _exact(second[1], [[2, 0, 2, 2, 3]], np.int32)


def test_multinomial_shapes_and_errors():
    n = tf.placeholder(tf.int32, [])
    m = tf.multinomial([[1., 2.]], n, seed=1)
    assert m.shape.as_list() == [1, None]
    assert tf.multinomial(tf.placeholder(tf.float32, [None, 3]), 4).shape.as_list() == [None, 4]
    with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 1"):
        tf.multinomial([1., 2.], 3)
    with pytest.raises(ValueError, match="Accepted dtypes are"):
        tf.multinomial([[1., 2.]], 3, output_dtype=tf.float32)
    with pytest.raises(ValueError, match="Accepted dtypes are"):
        tf.random.categorical([[1., 2.]], 3, dtype=tf.int16)
    empty = tf.multinomial(tf.zeros([2, 0]), 3)
    with tf.Session() as sess:
        assert sess.run(m, {n: 0}).shape == (1, 0)
        with pytest.raises(tf.errors.InvalidArgumentError, match="non-negative, got -1"):
            sess.run(m, {n: -1})
        with pytest.raises(tf.errors.InvalidArgumentError, match="num_classes should be positive"):
            sess.run(empty)


def test_gamma_is_tensorflows():
    # alpha < 1 (boosted), alpha == 1 (exponential) and alpha > 1; beta scales (powers of two:
    # TF's optimizer turns a division by a constant into a multiplication by its reciprocal)
    g32 = tf.random_gamma([3], [0.5, 1.0, 2.5], seed=4)
    g64 = tf.random.gamma([2], [0.3, 1.0, 7.0], dtype=tf.float64, seed=5, beta=[2., 4., 0.5])
    assert (g32.op.name, g32.shape.as_list(), g64.dtype) == ("random_gamma/Maximum", [3, 3],
                                                             tf.float64)
    first, second = _two_runs(g32, g64)
    _exact(first[0], [[0.14378182590007782, 1.0942257642745972, 2.144571542739868],
                      [0.0029362584464251995, 6.317509174346924, 2.5533504486083984],
                      [0.11629976332187653, 0.7590993642807007, 1.6435049772262573]], np.float32)
    _exact(second[0], [[0.09753012657165527, 0.04359642416238785, 2.0345044136047363],
                       [3.021821975708008, 0.12649326026439667, 2.1344480514526367],
                       [0.07792246341705322, 0.2057020515203476, 1.6203951835632324]], np.float32)
    raw = np.array([[0.09109358321612203, 0.5686103270080161, 6.9126166910251365],
                    [0.022181901382507294, 0.5916012535277393, 5.833937672352207]])
    _exact(first[1], raw / [2, 4, 0.5], np.float64)


def test_gamma_shapes():
    sh = tf.placeholder(tf.int32, [2])
    g = tf.random_gamma(sh, [1., 2.])
    assert g.shape.as_list() == [None, None, 2]
    b = tf.random_gamma([2], [[0.5, 3.0]], beta=[[2.0], [1.0]])
    assert b.shape.as_list() == [2, 2, 2]
    with tf.Session() as sess:
        assert sess.run(g, {sh: [2, 1]}).shape == (2, 1, 2)
        assert sess.run(tf.random_gamma([0], [1.0])).shape == (0, 1)


def test_gamma_gradient_is_tensorflows_implicit_reparameterization():
    alpha = tf.constant([0.5, 2.0, 9.0], tf.float64)
    g = tf.random_gamma([4], alpha, dtype=tf.float64, seed=11)
    a32 = tf.constant([[0.3], [3.0]])
    g32 = tf.random_gamma([2, 1], a32, beta=[1., 2.], seed=12)
    da = tf.gradients(g, alpha)[0]
    da32 = tf.gradients(tf.reduce_sum(g32 * [1., 3.]), a32)[0]
    assert "RandomGammaGrad" in {op.type for op in tf.get_default_graph().get_operations()}
    with tf.Session() as sess:
        g_, da_, g32_, da32_ = sess.run([g, da, g32, da32])
    _exact(g_[1], [1.3089322334017608, 2.7736811032936077, 8.720042517159193], np.float64)
    _exact(g32_[1, 0], [[2.5069072246551514, 0.00579324085265398],
                        [7.866612911224365, 1.256034016609192]], np.float32)
    _exact(da_, [6.3435063509632155, 4.150199482659896, 3.5208250430730175], np.float64)
    _exact(da32_, [[4.913984775543213], [6.354615211486816]], np.float32)


_NAN = float("nan")


@pytest.mark.parametrize("dtype, alpha, sample, expected", [
    (np.float64,
     [0.5, 2.0, 9.0, 1.0, 0.4210786276231244, 2464.0120441333015, 0.2465687297329018,
      1.089771884382031, 0.5, 1.0, 0.0, -1.0, _NAN, 2.0, 3.0, 1e-30, 1e+30, 5.0],
     [0.1, 3.0, 20.0, 1e-3, 3705.5656387073714, 0.493526013812926, 3.550888177563861e-40,
      92.34368274662692, 0.0, np.inf, 1.0, 1.0, 1.0, _NAN, 1e-40, 0.5, 1e+30, -1.0],
     [0.5097655670826974, 1.3217985181779608, 1.4785375116715649, 0.0073344562448837865,
      -0.0, 0.0, 1.3048164378534923e-37, 4.979544263475379, 0.0, -0.0, _NAN, _NAN, _NAN, _NAN,
      3.1119840462731204e-39, 4.614553162418656e+29, 1.2525000000000024e-25, _NAN]),
    (np.float32,
     [0.5, 2.0, 9.0, 1.0, 0.421078622341156, 2464.011962890625, 0.2465687245130539,
      1.0897718667984009, 0.5, 1.0, 0.0, -1.0, _NAN, 2.0, 3.0, 1e-30, 1e+30, 5.0],
     [0.1, 3.0, 20.0, 1e-3, 3705.565673828125, 0.49352601170539856, 3.5508903085990865e-40,
      92.34368133544922, 0.0, np.inf, 1.0, 1.0, 1.0, _NAN, 9.99994610111476e-41, 0.5, 1e+30,
      -1.0],
     [0.509765625, 1.32179856300354, 1.4785374402999878, 0.007334456313401461, -0.0, 0.0,
      0.0, -0.0, 0.0, -0.0, _NAN, _NAN, _NAN, _NAN, 0.0, 4.614550322593908e+29, -0.0, _NAN]),
])
def test_gamma_grad_op_is_tensorflows(dtype, alpha, sample, expected):
    # Eigen's derivative bit for bit: the series, the tail's continued fraction, a density
    # that underflows (0, -0 in the tail), subnormals read as 0, and the domain's nans
    from minitf.ops.random_gamma_ops import _gamma_sample_der
    d = _gamma_sample_der.apply([tf.constant(alpha, dtype), tf.constant(sample, dtype)])
    assert d.op.type == "RandomGammaGrad"
    with tf.Session() as sess:
        got = sess.run(d)
    expected = np.array(expected, dtype)
    assert got.dtype == dtype
    nan = np.isnan(expected)
    assert (np.isnan(got) == nan).all()
    assert got[~nan].tobytes() == expected[~nan].tobytes()


def test_poisson_is_tensorflows_for_small_and_large_rates():
    p32 = tf.random_poisson([0.5, 3.0, 12.0, 150.0], [3], seed=6)
    p64 = tf.random.poisson([2.0, 40.0], [2], dtype=tf.float64, seed=7)
    pi = tf.random_poisson(tf.constant([5.0, 25.0], tf.float64), [3], dtype=tf.int64, seed=8)
    assert (p32.op.type, p32.op.name) == ("RandomPoissonV2", "random_poisson/RandomPoissonV2")
    assert (pi.dtype, pi.shape.as_list()) == (tf.int64, [3, 2])
    first, second = _two_runs(p32, p64, pi)
    _exact(first[0], [[0, 2, 13, 150], [0, 1, 12, 168], [2, 0, 16, 135]], np.float32)
    _exact(second[0], [[0, 2, 12, 159], [0, 2, 16, 157], [0, 3, 14, 168]], np.float32)
    _exact(first[1], [[0, 49], [1, 40]], np.float64)
    _exact(second[1], [[0, 34], [5, 40]], np.float64)
    _exact(first[2], [[6, 23], [5, 33], [2, 21]], np.int64)
    _exact(second[2], [[4, 24], [2, 22], [5, 28]], np.int64)


def test_poisson_shapes_and_statistics():
    sh = tf.placeholder(tf.int32, [2])
    p = tf.random_poisson([1., 2.], sh)
    assert (p.shape.as_list(), p.dtype) == ([None, None, 2], tf.float32)
    big = tf.random_poisson([0.7, 9.5, 10.0, 300.0], [4000], seed=1)
    with tf.Session() as sess:
        v = sess.run(big)
    np.testing.assert_allclose(v.mean(axis=0), [0.7, 9.5, 10.0, 300.0], rtol=0.03)
    np.testing.assert_allclose(v.var(axis=0), [0.7, 9.5, 10.0, 300.0], rtol=0.1)


def test_ops_are_stateful_and_not_folded():
    ops = [tf.random_shuffle(tf.range(5)), tf.multinomial([[0., 0.]], 3),
           tf.random_gamma([2], 1.0), tf.random_poisson(2.0, [2])]
    for t in ops:
        op = t.op if t.op.type != "Maximum" else t.op.inputs[1].op.inputs[0].op
        assert op._opdef.stateful


def test_eager_draws_are_tensorflows(eager):
    # (TF eager) a seeded op continues its stream per (type, attrs): multinomial and
    # categorical with one seed share one
    runs = []
    for _ in range(2):
        runs.append([tf.random_shuffle(tf.range(6), seed=1).numpy().tolist(),
                     tf.multinomial([[0., 1., 2.]], 5, seed=3).numpy().tolist(),
                     tf.random.categorical([[0., 1., 2.]], 5, seed=3).numpy().tolist(),
                     tf.random_gamma([3], [0.5, 2.0], seed=4).numpy().tolist(),
                     tf.random_poisson([1.5, 30.0], [3], seed=6).numpy().tolist(),
                     tf.random_crop(tf.reshape(tf.range(30), [5, 6]), [2, 3], seed=9)
                     .numpy().tolist()])
    assert runs[0] == [
        [3, 5, 0, 4, 1, 2], [[1, 2, 0, 2, 2]], [[2, 0, 1, 2, 2]],
        [[0.14378182590007782, 1.541883945465088], [0.0029362584464251995, 4.158669948577881],
         [0.11629976332187653, 0.171725794672966]],
        [[0.0, 21.0], [0.0, 31.0], [2.0, 24.0]], [[8, 9, 10], [14, 15, 16]]]
    assert runs[1] == [
        [5, 4, 2, 0, 3, 1], [[2, 2, 2, 2, 1]], [[2, 2, 1, 2, 1]],
        [[0.3158102333545685, 1.5142053365707397], [1.098281741142273, 4.749164581298828],
         [0.41295892000198364, 0.48537659645080566]],
        [[1.0, 30.0], [3.0, 38.0], [2.0, 23.0]], [[12, 13, 14], [18, 19, 20]]]
    a = tf.constant([0.5, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(a)
        g = tf.random_gamma([2], a, seed=5)
    assert g.numpy().tolist() == [[0.027734944596886635, 1.1629935503005981],
                                  [0.08037696033716202, 1.1107356548309326]]
    assert tape.gradient(g, a).numpy().tolist() == [0.6452720165252686, 1.2483084201812744]


def _md5(value):
    return hashlib.md5(np.ascontiguousarray(value).tobytes()).hexdigest()[:12]


def test_multinomial_shards_rows_as_tensorflows_thread_pool():
    from minitf.ops.random_more_ops import shards
    assert shards(2000, 3, 4, 2) == [(k * 250, k * 250 + 250) for k in range(8)]
    assert shards(300, 40, 50, 2) == [(k * 38, min(300, k * 38 + 38)) for k in range(8)]
    assert shards(17, 3, 1000, 2)[-2:] == [(12, 15), (15, 17)]
    assert shards(40, 5, 3, 2) == [(0, 40)]  # small work: one shard
    assert shards(4096, 9, 5, 1) == [(0, 4096)]


@pytest.mark.skipif(cpu_threads() != 2, reason="TF's numbers for a 2-core thread pool")
def test_large_runs_are_tensorflows():
    # md5 prefixes of TF's outputs (2 cores: Multinomial's shards depend on the core count)
    tf.set_random_seed(5)
    tf.random_gamma([5], [0.2, 1.0, 3.0], dtype=tf.float16)  # (op seeds 0 to 2)
    tf.random_poisson(tf.constant([0.5, 30.0], tf.float16), [3], dtype=tf.float16)
    tf.random_poisson(tf.constant([4, 30], tf.int32), [3], dtype=tf.int32)
    ts = [tf.random_shuffle(tf.range(1000)),
          tf.multinomial(tf.random_normal([300, 50]), 40),
          tf.multinomial(tf.random_normal([2000, 4]), 3),
          tf.random_gamma([400], tf.random_uniform([50], 0.01, 20.0), dtype=tf.float32),
          tf.random_gamma([400], tf.random_uniform([50], 0.01, 20.0, tf.float64),
                          dtype=tf.float64),
          tf.random_poisson(tf.random_uniform([50], 0.0, 500.0, tf.float64), [400],
                            dtype=tf.float64),
          tf.random_shuffle(tf.reshape(tf.range(40000), [10000, 4]))]
    with tf.Session() as sess:
        got = [_md5(v) for v in sess.run(ts)]
    assert got == ["867c6ba8f327", "6409f5693ade", "92228d72f663", "a77865a21383",
                   "b7540e819bbf", "5b6741402ac5", "46596fb2383e"]


@pytest.mark.skipif(cpu_threads() != 2, reason="TF's numbers for a 2-core thread pool")
def test_sharded_multinomials_are_tensorflows():
    tf.set_random_seed(7)
    cfg = [(17, 3, 1000), (50, 7, 64), (1000, 1, 10), (1000, 5, 13), (4096, 9, 5),
           (123, 101, 7), (7, 1000, 3), (33, 33, 33), (2, 30000, 2)]
    ts = [tf.multinomial(tf.random_normal([b, c]), n) for b, n, c in cfg]
    with tf.Session() as sess:
        got = [_md5(v) for v in sess.run(ts)]
    assert got == ["9f4141e8c3df", "46e05a28f12f", "68fc9410a893", "822c5b5fb2ef",
                   "f2d74aadd0a7", "6fe7611787b2", "b260025b584d", "8e65d3c8f086",
                   "756bff4a27a7"]


def test_half_precision_and_non_finite_logits_are_tensorflows():
    tf.set_random_seed(5)
    g = tf.random_gamma([5], [0.2, 1.0, 3.0], dtype=tf.float16)
    p = tf.random_poisson(tf.constant([0.5, 30.0], tf.float16), [3], dtype=tf.float16)
    pi = tf.random_poisson(tf.constant([4, 30], tf.int32), [3], dtype=tf.int32)
    m = tf.multinomial([[0., np.inf, 1.], [np.nan, 0., 0.], [-np.inf, -np.inf, -np.inf]], 6,
                       seed=1)
    with tf.Session() as sess:
        g_, p_, pi_, m_ = sess.run([g, p, pi, m])
    _exact(g_, [[0.0001245737075805664, 0.533203125, 1.484375],
                [6.103515625e-05, 2.3359375, 3.580078125],
                [0.047393798828125, 1.369140625, 6.078125],
                [6.103515625e-05, 1.052734375, 1.67578125],
                [0.8818359375, 0.537109375, 4.94921875]], np.float16)
    _exact(p_, [[0, 27], [2, 34], [0, 44]], np.float16)
    _exact(pi_, [[1, 38], [2, 32], [6, 37]], np.int32)
    # non-finite logits weigh nothing; a row with none finite gives num_classes
    _exact(m_, [[0, 2, 2, 0, 0, 2], [2, 2, 1, 2, 2, 1], [3, 3, 3, 3, 3, 3]], np.int64)


def test_index_shuffle_is_tensorflows():
    shuffle = tf.random.experimental.index_shuffle
    ts = [shuffle(tf.range(10), [5, 9], 9), shuffle(3, [5, 9], 3),
          shuffle(tf.range(6, dtype=tf.int64), tf.constant([1, 2], tf.int64),
                  tf.constant([5, 5, 7, 100000, 2**40, 2**33], tf.int64)),
          shuffle(tf.constant(123456, tf.int64), [-1, 2**31 - 1], tf.constant(2**20, tf.int64)),
          shuffle(tf.range(100), [7, 7], 99)]
    assert [(t.op.type, t.shape.as_list(), t.dtype) for t in ts[:4]] == [
        ("RandomIndexShuffle", [10], tf.int32), ("RandomIndexShuffle", [], tf.int32),
        ("RandomIndexShuffle", [6], tf.int64), ("RandomIndexShuffle", [], tf.int64)]
    with tf.Session() as sess:
        a, b, c, d, e = sess.run(ts)
    _exact(a, [8, 0, 6, 3, 1, 5, 4, 7, 2, 9], np.int32)
    _exact(b, 3, np.int32)
    _exact(c, [5, 0, 1, 5407, 560966206240, 319750812], np.int64)
    _exact(d, 558973, np.int64)
    assert e[:10].tolist() == [41, 37, 12, 95, 30, 94, 73, 9, 74, 59]
    assert sorted(e.tolist()) == list(range(100))


def test_index_shuffle_with_a_batch_of_seeds_fails_as_tfs():
    # TF's index_shuffle pads a [n, 2] seed along its first dimension: [n + 1, 2]
    with pytest.raises((ValueError, tf.errors.InvalidArgumentError), match="Seed must"):
        with tf.Session() as sess:
            sess.run(tf.random.experimental.index_shuffle(tf.range(3), [[1, 2]] * 3, 4))


def test_gamma_and_poisson_argument_errors():
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2 for 'RandomGamma'"):
        tf.random_gamma([[2]], [1.0])
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.random_poisson([1.0], [[2]])
    with pytest.raises(TypeError, match="'dtype' has DataType bool not in list of allowed"):
        tf.random_poisson([1.0], [2], dtype=tf.bool)
    strings = tf.random_shuffle(tf.constant([b"a", b"b", b"c"]), seed=1)
    with tf.Session() as sess:
        assert sess.run(strings).tolist() == [b"a", b"c", b"b"]  # (TF's order)


def test_the_raw_random_index_shuffle_op_matches_tf():
    r = tf.random_index_shuffle(tf.constant([0, 1, 2, 3], tf.int64),
                                tf.constant([1, 2, 3], tf.int64), tf.constant(9, tf.int64))
    assert r.name == "RandomIndexShuffle:0" and r.shape.as_list() == [4]
    with tf.Session() as sess:
        assert sess.run(r).tolist() == [2, 0, 6, 4]  # (TF's)
    with pytest.raises(TypeError, match="Input 'max_index' of 'RandomIndexShuffle' Op has "
                                        "type int64 that does not match type int32"):
        tf.random_index_shuffle(tf.constant([0], tf.int32), tf.constant([1, 2, 3], tf.int64),
                                tf.constant(9, tf.int64))
