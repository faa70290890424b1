"""Candidate samplers, compute_accidental_hits, nce_loss and sampled_softmax_loss: TF's seeded
draws and expected counts bit for bit, names, shapes, dtypes, errors, and the losses' values and
gradients (with `sampled_values` given, so without randomness). Every literal is TF 1's."""
import numpy as np
import pytest

import minitf as tf
from minitf.ops import _range_samplers

from _session import run

TC = [[1, 5], [3, 7]]
U = [0.6513215899467468, 0.5217031240463257]  # unique uniform expected counts, runs 1 and 2


def _runs(outputs, n=2):
    with tf.Session() as sess:
        return [[o.tolist() for o in sess.run(outputs)] for _ in range(n)]


def test_sampler_outputs_names_shapes_and_attrs():
    s = tf.nn.uniform_candidate_sampler(tf.constant(TC, tf.int64), 2, 6, True, 10, seed=7)
    assert [t.name for t in s] == [f"UniformCandidateSampler:{i}" for i in range(3)]
    assert [t.shape.as_list() for t in s] == [[6], [2, 2], [6]]
    assert [t.dtype for t in s] == [tf.int64, tf.float32, tf.float32]
    assert [s[0].op.get_attr(k) for k in ("num_true", "num_sampled", "unique", "range_max")] == [
        2, 6, True, 10]
    assert tf.random.uniform_candidate_sampler is tf.nn.uniform_candidate_sampler
    assert s[0].op._opdef.stateful and not s[0].op._opdef.differentiable
    p = tf.placeholder(tf.int64, [None, 3])
    assert tf.nn.log_uniform_candidate_sampler(p, 3, 4, False, 9)[1].shape.as_list() == [None, 3]


def test_uniform_draws_are_tensorflows():
    uniq = tf.nn.uniform_candidate_sampler(TC, 2, 6, True, 10, seed=7)
    again = tf.nn.uniform_candidate_sampler(TC, 2, 6, False, 10, seed=7)
    (a, b) = _runs(uniq)
    assert a == [[9, 8, 4, 6, 2, 5], [[U[0]] * 2] * 2, [U[0]] * 6]
    assert b == [[1, 8, 0, 4, 5, 3], [[U[1]] * 2] * 2, [U[1]] * 6]
    c = 0.6000000238418579
    assert _runs(again) == [[[9, 9, 8, 4, 6, 2], [[c] * 2] * 2, [c] * 6],
                            [[1, 8, 0, 4, 1, 5], [[c] * 2] * 2, [c] * 6]]
    assert _runs(uniq, 1)[0] == a  # a new Session starts the seeded stream over


def test_log_uniform_draws_and_expected_counts_are_tensorflows():
    (a, b) = _runs(tf.nn.log_uniform_candidate_sampler(TC, 2, 6, True, 10, seed=7))
    assert a == [[7, 0, 2, 6, 3, 1],
                 [[0.7727922201156616, 0.4123135805130005],
                  [0.542242169380188, 0.33164358139038086]],
                 [0.33164358139038086, 0.9347410798072815, 0.6402763724327087,
                  0.3676929175853729, 0.542242169380188, 0.7727922201156616]]
    assert b[0] == [1, 7, 6, 0, 2, 3]
    (a,) = _runs(tf.nn.log_uniform_candidate_sampler(TC, 2, 6, False, 10, seed=7), 1)
    assert a == [[7, 0, 2, 6, 0, 2],
                 [[1.0145525932312012, 0.38571497797966003],
                  [0.558348536491394, 0.2947160601615906]],
                 [0.2947160601615906, 1.7343889474868774, 0.7198364734649658,
                  0.3341214954853058, 1.7343889474868774, 0.7198364734649658]]


def test_unique_sampling_takes_tfs_tries_and_glibc_rounding():
    # 50 of 60 classes: many tries, and counts 1 - (1 - p)**tries rounded as glibc's
    # log1pf/expm1f round them (NumPy's float32 functions differ in the last bit here)
    (a,) = _runs(tf.nn.log_uniform_candidate_sampler([[1, 5], [3, 4]], 2, 50, True, 60, seed=12),
                 1)
    assert a[0][:12] == [0, 4, 15, 3, 19, 10, 40, 2, 8, 31, 28, 57]
    assert a[1] == [[1.0, 0.9997683167457581], [0.9999950528144836, 0.9999515414237976]]
    assert a[2][:8] == [1.0, 0.9999515414237976, 0.961370050907135, 0.9999950528144836,
                        0.92681485414505, 0.9907686114311218, 0.7240496873855591,
                        0.9999998807907104]


def test_large_ranges_draw_as_tf():
    (a,) = _runs(tf.nn.uniform_candidate_sampler([[1, 5], [3, 4]], 2, 4, False, 1000003,
                                                 seed=14), 1)
    assert a[0] == [67042, 679570, 69307, 781207]
    assert a[2] == [3.999988166469848e-06] * 4


def test_learned_unigram_counts_grow_with_the_true_classes():
    uniq = tf.nn.learned_unigram_candidate_sampler(TC, 2, 6, True, 10, seed=7)
    (a, b) = _runs(uniq)
    assert a[0] == [7, 5, 4, 0, 3, 9] and a[2] == [0.5695328116416931] * 6
    # after run 1, classes 1, 5, 3 and 7 count 2 of 14
    assert b == [[6, 5, 1, 3, 4, 7], [[0.708642840385437] * 2] * 2,
                 [0.447257936000824, 0.708642840385437, 0.708642840385437, 0.708642840385437,
                  0.447257936000824, 0.708642840385437]]
    (a, b) = _runs(tf.nn.learned_unigram_candidate_sampler(TC, 2, 6, False, 10, seed=7))
    assert a[0] == [7, 7, 5, 4, 0, 3] and b[0] == [6, 6, 5, 1, 3, 1]
    assert b[2] == [0.4285714626312256] * 2 + [0.8571429252624512] * 4
    with pytest.raises(ValueError, match="range_max:2147483648 is too large"):
        tf.nn.learned_unigram_candidate_sampler(TC, 2, 2, True, 2**31)


def test_fixed_unigram_from_a_list_with_distortion():
    s = tf.nn.fixed_unigram_candidate_sampler(TC, 2, 4, True, 10, unigrams=np.arange(1.0, 11),
                                              distortion=0.75, seed=3)
    (a, b) = _runs(s)
    assert a == [[3, 8, 6, 2],
                 [[0.19304881989955902, 0.4400561451911926],
                  [0.32466810941696167, 0.5460245013237]],
                 [0.32466810941696167, 0.5964533686637878, 0.4939900040626526,
                  0.2616589665412903]]
    assert b[0] == [2, 4, 8, 1]
    (a,) = _runs(tf.nn.fixed_unigram_candidate_sampler(TC, 2, 4, False, 10,
                                                       unigrams=np.arange(1.0, 11), seed=3), 1)
    assert a == [[3, 7, 6, 2],
                 [[0.145454540848732, 0.4363636374473572],
                  [0.290909081697464, 0.581818163394928]],
                 [0.290909081697464, 0.581818163394928, 0.5090909004211426,
                  0.2181818187236786]]
    u = list(np.arange(50.0) ** 2 + 0.5)  # (weights**0.75 rounded as glibc's powf)
    (a,) = _runs(tf.nn.fixed_unigram_candidate_sampler([[1, 5], [3, 4]], 2, 30, True, 50,
                                                       unigrams=u, seed=16, distortion=0.75), 1)
    assert a[0][:10] == [34, 38, 28, 47, 42, 37, 32, 41, 49, 44]
    assert a[1] == [[0.012493575923144817, 0.09997542202472687],
                    [0.0489676371216774, 0.07316108047962189]]


def test_fixed_unigram_from_a_vocab_file_with_reserved_ids(tmp_path):
    vocab = tmp_path / "vocab.csv"
    vocab.write_text("a,3\nb,1.5\nc,0\nd,7\ne,2\nf,2\ng,9\n")
    s = tf.nn.fixed_unigram_candidate_sampler([[1, 5], [3, 4]], 2, 5, False, 9,
                                              vocab_file=str(vocab), num_reserved_ids=2,
                                              distortion=0.5, seed=5)
    (a, b) = _runs(s)
    assert a == [[2, 8, 8, 2, 3], [[0.0, 1.1572729349136353], [0.5357133150100708, 0.0]],
                 [0.757612943649292, 1.3122241497039795, 1.3122241497039795, 0.757612943649292,
                  0.5357133150100708]]
    assert b[0] == [6, 8, 2, 5, 8]


def test_fixed_unigram_shards():
    # shard 1 of 2 keeps reserved id 1, then list entries 0, 2, 4, 6, 8 (TF numbers them
    # after this shard's reserved ids)
    s = tf.nn.fixed_unigram_candidate_sampler([[1, 5], [3, 4]], 2, 3, True, 6,
                                              unigrams=np.arange(1.0, 11), num_shards=2,
                                              shard=1, num_reserved_ids=3, seed=4)
    assert _runs(s, 1)[0] == [
        [4, 3, 2], [[0.1506534367799759, 0.8322278261184692],
                    [0.5904000401496887, 0.7312614917755127]],
        [0.7312614917755127, 0.5904000401496887, 0.4003046154975891]]


def test_fixed_unigram_run_time_errors(tmp_path):
    def error(**kw):
        s = tf.nn.fixed_unigram_candidate_sampler(TC, 2, 2, True, 10, **kw)
        with pytest.raises(tf.errors.OpError) as info:
            run(s)
        return type(info.value), info.value.message
    assert error() == (tf.errors.InvalidArgumentError,
                       "Must provide either vocab_file or unigrams.")
    assert error(unigrams=[1.0] * 9) == (tf.errors.InvalidArgumentError,
                                         "range is 10 must be equal to weights size  9")
    assert error(unigrams=[1.0] * 10, vocab_file="x")[1] == (
        "Must only provide one of vocab_file and unigrams.")
    assert error(vocab_file=str(tmp_path / "none"))[0] is tf.errors.NotFoundError
    bad = tmp_path / "bad.csv"
    bad.write_text("a,x\n")
    assert error(vocab_file=str(bad))[1] == "Wrong vocabulary format at line: a,x"


def test_all_candidate_sampler():
    s = tf.random.all_candidate_sampler(TC, 2, 4, True)
    assert s[0].op.type == "AllCandidateSampler" and s[1].shape.as_list() == [2, 2]
    assert run(s)[0].tolist() == [0, 1, 2, 3]
    assert [x.tolist() for x in run(s)[1:]] == [[[1.0, 1.0], [1.0, 1.0]], [1.0] * 4]


def test_sampler_errors():
    with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 1 for "
                                         "'UniformCandidateSampler'"):
        tf.nn.uniform_candidate_sampler([1, 2], 1, 2, True, 5)
    with pytest.raises(ValueError, match="Attr 'num_sampled' of 'UniformCandidateSampler' Op "
                                         "passed 0 less than minimum 1."):
        tf.nn.uniform_candidate_sampler(TC, 2, 0, True, 5)
    with pytest.raises(ValueError, match="Attr 'range_max' .* passed 0 less than minimum 1"):
        tf.nn.uniform_candidate_sampler(TC, 2, 2, True, 0)
    with pytest.raises(TypeError, match="Input 'true_classes' of 'UniformCandidateSampler' Op "
                                        "has type int32 that does not match expected type of "
                                        "int64."):
        tf.nn.uniform_candidate_sampler(tf.constant([[1]]), 1, 2, True, 5)
    with pytest.raises(TypeError, match="Expected int64 passed to parameter 'true_classes' of "
                                        "op 'UniformCandidateSampler', got \\[\\[1.5\\]\\]"):
        tf.nn.uniform_candidate_sampler([[1.5]], 1, 2, True, 5)
    cases = [((TC, 3, 2, True, 10), "true_classes must have num_true columns, expected: 2 was: 3"),
             ((TC, 2, 20, True, 10), "Sampler's range is too small."),
             ((TC, 2, 3, True, 5), "`true_candidate` out of range [0, 5), received 5")]
    for args, message in cases:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            run(tf.nn.uniform_candidate_sampler(*args))
        assert info.value.message == message


def test_compute_accidental_hits():
    h = tf.nn.compute_accidental_hits(TC, [5, 1, 3, 9, 5], 2)
    assert [t.name for t in h] == [f"ComputeAccidentalHits:{i}" for i in range(3)]
    assert [t.shape.as_list() for t in h] == [[None]] * 3
    assert [t.dtype for t in h] == [tf.int32, tf.int64, tf.float32]
    out = run(h)
    # a repeated sampled class (5) reports its last position, as TF's hash map keeps it
    assert [o.tolist() for o in out[:2]] == [[0, 0, 1], [1, 4, 2]]
    assert out[2].tolist() == [-3.4028234663852886e+38] * 3
    assert [o.tolist() for o in run(tf.nn.compute_accidental_hits(TC, [8, 9], 2))] == [[]] * 3
    with pytest.raises(ValueError, match="Dimension must be 3 but is 2 for "
                                         "'ComputeAccidentalHits'"):
        tf.nn.compute_accidental_hits(TC, [1], 3)
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.nn.compute_accidental_hits(TC, [[1]], 2)
    p = tf.placeholder(tf.int64)
    with pytest.raises(tf.errors.InvalidArgumentError, match="batch_size \\* num_true matrix"):
        run(tf.nn.compute_accidental_hits(p, [1], 2), {p: [1, 2]})


@pytest.mark.global_graph  # (it turns eager on)
def test_samplers_run_eagerly_and_continue_their_streams(eager):
    # (TF eager) a seeded op's stream, and a learned sampler's counts, continue per attrs
    runs = [[t.numpy().tolist() for t in tf.nn.uniform_candidate_sampler(TC, 2, 6, True, 10,
                                                                         seed=7)]
            for _ in range(2)]
    assert runs[0][0] == [9, 8, 4, 6, 2, 5] and runs[1][0] == [1, 8, 0, 4, 5, 3]
    learned = [tf.nn.learned_unigram_candidate_sampler(TC, 2, 6, True, 10, seed=7)
               for _ in range(2)]
    assert learned[1][0].numpy().tolist() == [6, 5, 1, 3, 4, 7]
    assert learned[1][2].numpy()[0] == np.float32(0.447257936000824)
    s = tf.nn.log_uniform_candidate_sampler(TC, 2, 6, True, 10, seed=7)
    assert s[0].numpy().tolist() == [7, 0, 2, 6, 3, 1]
    s = tf.nn.fixed_unigram_candidate_sampler(TC, 2, 4, True, 10, unigrams=np.arange(1.0, 11),
                                              distortion=0.75, seed=3)
    assert s[0].numpy().tolist() == [3, 8, 6, 2]
    assert tf.nn.all_candidate_sampler(TC, 2, 3, True)[0].numpy().tolist() == [0, 1, 2]
    hits = tf.nn.compute_accidental_hits(TC, [5, 1, 3, 9, 5], 2)
    assert hits[1].numpy().tolist() == [1, 4, 2]


def test_glibc_float_functions_at_their_edges():
    x = np.array([-1.0, -0.0, -1e-40, -2**-30, -2**-56, -0.2929, -0.5, -0.999], np.float32)
    got = _range_samplers._log1pf(x)
    assert got[0] == -np.inf and got[1] == 0 and got[2] == np.float32(-1e-40)
    np.testing.assert_allclose(got[3:], np.log1p(x[3:].astype(np.float64)), rtol=2e-7)
    y = np.array([-np.inf, -0.0, -1e-40, -0.3, -1.0, -5.0, -19.0, -100.0], np.float32)
    got = _range_samplers._expm1f(y)
    assert got[0] == -1 and got[-1] == -1 and got[2] == np.float32(-1e-40)
    np.testing.assert_allclose(got, np.expm1(y.astype(np.float64)), rtol=2e-7)


# -- nce_loss and sampled_softmax_loss -------------------------------------------------------------
_RNG = np.random.RandomState(0)
W = _RNG.randn(7, 3).astype(np.float32)
B = _RNG.randn(7).astype(np.float32)
X = _RNG.randn(4, 3).astype(np.float32)
LABELS = np.array([[1, 2], [3, 0], [6, 2], [5, 4]], np.int64)
SAMPLED = ([2, 5, 6], [[0.5, 0.25], [1.0, 2.0], [0.75, 0.125], [1.5, 0.3]], [0.3, 0.6, 0.9])
LOSSES = {  # (function, remove_accidental_hits) -> TF's losses
    ("nce", False): [10.240788459777832, 9.610151290893555, 4.100701808929443, 5.861895561218262],
    ("nce", True): [8.390146255493164, 9.610151290893555, 3.38641619682312, 4.924065589904785],
    ("softmax", False): [2.8803482055664062, 6.990185737609863, 2.8083386421203613,
                         2.5823798179626465],
    ("softmax", True): [2.8776707649230957, 6.990185737609863, 2.5784616470336914,
                        2.4579200744628906],
}
FUNCTIONS = {"nce": tf.nn.nce_loss, "softmax": tf.nn.sampled_softmax_loss}


def _shards(strategy, w, b):
    if strategy == "one":
        return w, b, "mod"
    if strategy == "mod":  # id i is row i // 3 of shard i % 3
        return [w[i::3] for i in range(3)], [b[i::3] for i in range(3)], "mod"
    return [w[:4], w[4:]], [b[:4], b[4:]], "div"  # contiguous, the first shard one longer


@pytest.mark.parametrize("strategy", ["one", "mod", "div"])
@pytest.mark.parametrize("key", sorted(LOSSES))
def test_sampled_losses_are_tensorflows(key, strategy):
    weights, biases, partition = _shards(strategy, W, B)
    loss = FUNCTIONS[key[0]](weights, biases, tf.constant(LABELS), tf.constant(X), 3, 7,
                             num_true=2, sampled_values=SAMPLED, remove_accidental_hits=key[1],
                             partition_strategy=partition)
    assert loss.shape.as_list() == [4] and loss.dtype == tf.float32
    np.testing.assert_allclose(run(loss), LOSSES[key], rtol=1e-6)


def test_sampled_losses_of_a_partitioned_variable():
    w = tf.get_variable("w", [7, 3], partitioner=tf.fixed_size_partitioner(2))  # rows 0-3, 4-6
    b = tf.get_variable("b", [7], partitioner=tf.fixed_size_partitioner(2))
    loss = tf.nn.nce_loss(w, b, tf.constant(LABELS), tf.constant(X), 3, 7, num_true=2,
                          sampled_values=SAMPLED, partition_strategy="div")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for part, value in zip(list(w) + list(b), [W[:4], W[4:], B[:4], B[4:]]):
            sess.run(part.assign(value))
        np.testing.assert_allclose(sess.run(loss), LOSSES[("nce", False)], rtol=1e-6)


def test_sampled_losses_op_names():
    nce = tf.nn.nce_loss(W, B, tf.constant(LABELS), tf.constant(X), 3, 7, num_true=2,
                         sampled_values=SAMPLED, remove_accidental_hits=True)
    tf.nn.sampled_softmax_loss(W, B, tf.constant(LABELS[:, :1]), tf.constant(X), 3, 7, seed=1)
    names = {op.name for op in tf.get_default_graph().get_operations()}
    assert nce.name == "Reshape:0"  # the row sums come after the scope, as in TF
    assert {"nce_loss/embedding_lookup", "nce_loss/ComputeAccidentalHits",
            "nce_loss/sparse_indices", "nce_loss/SparseToDense", "nce_loss/StopGradient_2",
            "sampled_losses", "labels_stop_gradient",
            "sampled_softmax_loss/LogUniformCandidateSampler"} <= names


def test_sampled_softmax_loss_samples_as_tf_by_default():
    rng = np.random.RandomState(0)
    w, b, x = rng.randn(20, 3), rng.randn(20), rng.randn(4, 3)
    w, b, x = (v.astype(np.float32) for v in (w, b, x))
    tf.set_random_seed(5)
    loss = tf.nn.sampled_softmax_loss(w, b, tf.constant([[1], [3], [6], [5]]), x, 5, 20, seed=3)
    with tf.Session() as sess:
        np.testing.assert_allclose([sess.run(loss) for _ in range(2)], [
            [7.496607780456543, 5.5906291007995605, 1.770127534866333, 3.6110527515411377],
            [3.5086166858673096, 0.8139931559562683, 1.420803189277649, 2.7441070079803467]],
            rtol=1e-6)


def _numeric_gradient(f, value, eps=1e-6):
    grad = np.zeros_like(value)
    for i in np.ndindex(value.shape):  # (a test's few elements)
        up, down = value.copy(), value.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (f(up) - f(down)) / (2 * eps)
    return grad


@pytest.mark.parametrize("strategy", ["mod", "div"])
@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_sampled_loss_gradients_match_finite_differences(name, strategy):
    w64, b64, x64 = W.astype(np.float64), B.astype(np.float64), X.astype(np.float64)
    wp, bp, partition = _shards(strategy, w64, b64)
    w_in = [tf.placeholder(tf.float64, p.shape) for p in wp]
    b_in = [tf.placeholder(tf.float64, p.shape) for p in bp]
    x_in = tf.placeholder(tf.float64, x64.shape)
    sampled = (SAMPLED[0], np.float64(SAMPLED[1]), np.float64(SAMPLED[2]))
    loss = tf.reduce_sum(FUNCTIONS[name](w_in, b_in, tf.constant(LABELS), x_in, 3, 7, num_true=2,
                                         sampled_values=sampled, remove_accidental_hits=True,
                                         partition_strategy=partition) * [1.0, 2.0, 3.0, 4.0])
    inputs = w_in + b_in + [x_in]
    values = list(wp) + list(bp) + [x64]
    grads = [tf.convert_to_tensor(g) for g in tf.gradients(loss, inputs)]
    with tf.Session() as sess:
        feed = dict(zip(inputs, values))
        analytic = sess.run(grads, feed)
        for k, (t, v) in enumerate(zip(inputs, values)):
            numeric = _numeric_gradient(lambda a: sess.run(loss, {**feed, t: a}), v)
            np.testing.assert_allclose(analytic[k], numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("pre, k", [(0, 1), (1, 1), (0, 2), (2, 0)])
def test_rejected_draws_are_redrawn_in_stream_order(pre, k):
    # TF's SimplePhilox reads words one by one: plain words, then an integer redrawn while
    # below the bound. Rejections are rare for real ranges; a high bound makes them common.
    rem = 2**31 if k == 1 else 2**63
    words = _range_samplers.Words(key=123, start=456 << 64)
    plain, ints = _range_samplers.draw(words, 40, pre, k, rem if k else 0)
    stream = _range_samplers.Words(key=123, start=456 << 64).peek(words.pos + 8).tolist()
    expected, i = [], 0
    for _ in range(40):  # the reference: one word at a time
        first, i = stream[i:i + pre], i + pre
        while True:
            chunk, i = stream[i:i + k], i + k
            value = sum(w << (32 * j) for j, w in enumerate(chunk))
            if not k or value >= rem:
                break
        expected.append((first, value))
    assert [(p.tolist(), int(v)) for p, v in zip(plain, ints)] == expected
    assert words.pos == i
