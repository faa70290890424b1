"""CTC (minitf/ops/ctc_ops.py, minitf/ctc.py): tf.nn.ctc_loss (op CTCLoss and its gradient),
ctc_loss_v2, ctc_greedy_decoder and ctc_beam_search_decoder(_v2): values, names, shapes and
errors as TF 1 gives them (the literals come from TF 2.21's compat.v1)."""
import numpy as np
import pytest

import minitf as tf

from _session import run

X = np.random.RandomState(0).randn(5, 3, 4).astype(np.float32)
X1 = np.random.RandomState(1).randn(6, 3, 4).astype(np.float32)
X2 = np.random.RandomState(0).randn(3, 2, 4).astype(np.float32)
SEQ = [5, 5, 4]


def _labels():
    return tf.SparseTensor([[0, 0], [0, 1], [1, 0], [1, 1], [1, 2], [2, 0]],
                           np.array([1, 1, 0, 2, 0, 2], np.int32), [3, 3])


def test_ctc_loss_values_names_and_shapes():
    x = tf.constant(X)
    loss = tf.nn.ctc_loss(_labels(), x, SEQ)
    assert (loss.name, loss.op.type, loss.shape.as_list(), loss.dtype) == (
        "CTCLoss:0", "CTCLoss", [3], tf.float32)
    assert [t.name for t in loss.op.inputs] == ["Const:0", "SparseTensor/indices:0",
                                                "SparseTensor/values:0",
                                                "CTCLoss/sequence_length:0"]
    assert loss.op.outputs[1].shape.as_list() == [5, 3, 4]
    variants = [loss,
                tf.nn.ctc_loss(_labels(), x, SEQ, preprocess_collapse_repeated=True),
                tf.nn.ctc_loss(_labels(), x, SEQ, ctc_merge_repeated=False),
                tf.nn.ctc_loss(_labels(), tf.transpose(x, [1, 0, 2]), SEQ, time_major=False),
                tf.nn.ctc_loss(_labels(), logits=tf.cast(x, tf.float64), sequence_length=SEQ)]
    got = run(variants)
    want = [[5.76292, 3.30895, 1.7262], [5.38653, 3.30895, 1.7262],
            [5.73177, 3.72594, 2.39902], [5.76292, 3.30895, 1.7262],
            [5.76292, 3.30895, 1.7262]]
    np.testing.assert_allclose(got, want, atol=2e-5)
    assert got[4].dtype == np.float64


def test_ctc_loss_gradient_is_softmax_minus_posteriors():
    x = tf.constant(X)
    g = tf.gradients(tf.nn.ctc_loss(_labels(), x, SEQ), x)[0]
    assert (g.name, g.op.type) == ("gradients/CTCLoss_grad/mul:0", "Mul")
    assert [i.op.type for i in g.op.inputs] == ["ExpandDims", "PreventGradient"]
    got = run(g)
    np.testing.assert_allclose(got[0], [[0.30097, -0.20795, 0.13723, -0.23026],
                                        [-0.34033, 0.03656, 0.2512, 0.05257],
                                        [0.11495, 0.19217, -0.0686, -0.23852]], atol=2e-5)
    np.testing.assert_allclose(got[4], [[0.06894, -0.13813, 0.1414, -0.07221],
                                        [-0.21691, 0.08995, 0.28477, -0.15781],
                                        [0, 0, 0, 0]], atol=2e-5)
    # each step's gradient sums to 0 (softmax minus a distribution over the classes)
    np.testing.assert_allclose(got.sum(-1), 0, atol=1e-6)
    with pytest.raises(LookupError, match="no way to take the second"):
        tf.gradients(g, x)


def test_ctc_loss_impossible_paths_and_ignored_entries():
    x = tf.constant(X2)
    repeat = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], np.array([1, 1, 1], np.int32), [2, 2])
    # [1, 1] needs 3 steps (1, blank, 1): no path in 2, loss inf (TF warns "No valid path
    # found.") and the gradient is the softmax
    loss = tf.nn.ctc_loss(repeat, x, [2, 3])
    g = tf.gradients(loss, x)[0]
    value, grad = run([loss, g])
    np.testing.assert_allclose(value, [np.inf, 3.9633126], rtol=1e-5)
    np.testing.assert_allclose(grad[:, 0], [[0.30096766, 0.0769463, 0.13723414, 0.48485196],
                                            [0.11495472, 0.19216523, 0.14720125, 0.5456788],
                                            [0, 0, 0, 0]], atol=1e-6)
    ignored = tf.nn.ctc_loss(repeat, x, [1, 3], ignore_longer_outputs_than_inputs=True)
    g = tf.gradients(ignored, x)[0]
    value, grad = run([ignored, g])
    np.testing.assert_allclose(value, [0, 3.9633126], rtol=1e-5)
    assert not grad[:, 0].any()
    # labels >= num_classes - 1 end an entry's labels; none left is the path of blanks
    blank = tf.SparseTensor([[0, 0], [1, 0]], np.array([3, 1], np.int32), [2, 2])
    np.testing.assert_allclose(run(tf.nn.ctc_loss(blank, x, [3, 3])), [1.2711157, 3.9633126],
                               rtol=1e-5)
    # the second index of a label only orders it within its entry
    loose = tf.SparseTensor([[0, 1], [1, 0]], np.array([1, 1], np.int32), [2, 2])
    np.testing.assert_allclose(run(tf.nn.ctc_loss(loose, x, [3, 3])), [2.956557, 3.9633126],
                               rtol=1e-5)


def test_ctc_loss_of_infinite_logits():
    labels = tf.SparseTensor([[0, 0], [1, 0]], np.array([1, 1], np.int32), [2, 2])
    x = tf.constant(np.full((3, 2, 4), -np.inf, np.float32))
    y = tf.constant(np.array([[[0, -np.inf, 0, 0]] * 2] * 3, np.float32))
    lx, ly = tf.nn.ctc_loss(labels, x, [3, 3]), tf.nn.ctc_loss(labels, y, [3, 3])
    got = run([lx, tf.gradients(lx, x)[0], ly, tf.gradients(ly, y)[0]])
    assert np.isnan(got[0]).all() and np.isnan(got[1]).all()
    np.testing.assert_array_equal(got[2], [np.inf, np.inf])  # label 1 is impossible
    np.testing.assert_allclose(got[3][0], [[1 / 3, 0, 1 / 3, 1 / 3]] * 2, rtol=1e-6)


@pytest.mark.parametrize("indices, values, seq, match", [
    ([[0, 0], [1, 0]], [-1, 1], [3, 3], "All labels must be nonnegative integers, batch: 0 "
                                        "labels: -1"),
    ([[0, 0], [0, 1], [1, 0]], [1, 2, 1], [1, 3], r"Not enough time for target transition "
                                                  r"sequence \(required: 2, available: 1\)0"),
    ([[0, 0], [1, 0]], [1, 1], [4, 3], r"sequence_length\(0\) <= 3"),
    ([[0, 0], [1, 0]], [1, 1], [-1, 3], r"seq_len\(0\) < 0"),
    ([[0, 0], [2, 0]], [1, 1], [3, 3], r"label SparseTensor is not valid: indices\[1\] = "
                                       r"\[2,0\] is out of bounds: need 0 <= index < \[2,1\]"),
    ([[1, 0], [0, 0]], [1, 1], [3, 3], r"indices\[1\] = \[0,0\] is out of order"),
    ([[1, 0]], [1], [3, 3], "Labels length is zero in batch 0"),
    ([[0, 0], [0, 1], [1, 0]], [3, 1, 1], [3, 3], "Saw a non-null label"),
])
def test_ctc_loss_run_time_errors(indices, values, seq, match):
    labels = tf.SparseTensor(indices, np.array(values, np.int32), [2, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match=match):
        run(tf.nn.ctc_loss(labels, tf.constant(X2), seq))


def test_ctc_loss_static_errors():
    labels = tf.SparseTensor([[0, 0], [1, 0]], np.array([1, 1], np.int32), [2, 2])
    x = tf.constant(X2)
    with pytest.raises(TypeError, match="Expected argument `labels` to be a SparseTensor"):
        tf.nn.ctc_loss([1], x, [3, 3])
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3"):
        tf.nn.ctc_loss(labels, x, [3, 3, 3])
    with pytest.raises(ValueError, match="Shape must be rank 3 but is rank 2"):
        tf.nn.ctc_loss(labels, x[0], [3, 3])
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.nn.ctc_loss(labels, x, [[3, 3]])
    wide = tf.SparseTensor([[0, 0], [1, 0]], np.array([1, 1], np.int64), [2, 2])
    with pytest.raises(TypeError, match="'labels_values' of 'CTCLoss' Op has type int64"):
        tf.nn.ctc_loss(wide, x, [3, 3])


def test_ctc_loss_v2_sparse_and_dense():
    x = tf.constant(X)
    sparse = tf.nn.ctc_loss_v2(_labels(), x, None, SEQ, blank_index=1)
    dense = tf.nn.ctc_loss_v2(tf.constant([[1, 1, 0], [3, 2, 0], [2, 1, 3]]), x, [2, 2, 3],
                              [5, 5, 4])
    assert dense.name == "ctc_loss_dense/IdentityN:0"
    got = run([sparse, dense, tf.nn.ctc_loss_v2(_labels(), x, None, SEQ, blank_index=-1)])
    np.testing.assert_allclose(got[0], [4.1592, 5.4547, 3.89859], atol=2e-5)
    np.testing.assert_allclose(got[1], [3.8763833, 2.8604684, 3.4054296], atol=2e-5)
    np.testing.assert_allclose(got[2], [5.76292, 3.30895, 1.7262], atol=2e-5)
    g = tf.gradients(dense, x)[0]
    np.testing.assert_allclose(run(g).sum(-1), 0, atol=1e-6)
    with pytest.raises(ValueError, match="`blank_index` must be provided"):
        tf.nn.ctc_loss_v2(_labels(), x, None, SEQ)


REP = np.array([[[0, 5, 0]], [[0, 5, 0]], [[0, 0, 5]], [[0, 5, 0]], [[0, 5, 1]], [[5, 0, 0]]],
               np.float32)


def _values(decoded):
    return [d.values.tolist() for d in decoded]


def test_ctc_greedy_decoder():
    (d,), neg_sum = tf.nn.ctc_greedy_decoder(tf.constant(X1), [6, 0, 3])
    assert (d.indices.name, neg_sum.name, neg_sum.shape.as_list()) == (
        "CTCGreedyDecoder:0", "CTCGreedyDecoder:3", [3, 1])
    assert (d.indices.shape.as_list(), d.values.dtype, d.dense_shape.shape.as_list()) == (
        [None, 2], tf.int64, [2])
    value, neg = run([d, neg_sum])
    np.testing.assert_array_equal(value.indices, [[0, 0], [0, 1], [0, 2], [0, 3], [0, 4],
                                                  [2, 0], [2, 1]])
    np.testing.assert_array_equal(value.values, [0, 2, 0, 2, 1, 2, 1])
    np.testing.assert_array_equal(value.dense_shape, [3, 5])
    np.testing.assert_allclose(neg, [[-7.1888447], [0], [-2.594167]], rtol=1e-6)
    assert not np.signbit(neg[1, 0])
    rep = tf.constant(REP)
    got = run([tf.nn.ctc_greedy_decoder(rep, [6])[0][0],
               tf.nn.ctc_greedy_decoder(rep, [6], merge_repeated=False)[0][0],
               tf.nn.ctc_greedy_decoder(rep, [6], blank_index=0)[0][0],
               tf.nn.ctc_greedy_decoder(rep, [6], blank_index=-2)[0][0]])
    # a blank between equal classes keeps both; merge_repeated joins the neighbours only
    assert _values(got) == [[1, 1, 0], [1, 1, 1, 1, 0], [1, 2, 1], [2, 0]]


def test_ctc_greedy_decoder_errors():
    x = tf.constant(X1)
    with pytest.raises(tf.errors.FailedPreconditionError, match=r"sequence_length\(0\) <= 6"):
        run(tf.nn.ctc_greedy_decoder(x, [7, 0, 3]))
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.nn.ctc_greedy_decoder(x, [[6, 2, 1]])
    with pytest.raises(TypeError, match="'sequence_length' of 'CTCGreedyDecoder' Op has type"):
        tf.nn.ctc_greedy_decoder(x, tf.constant([6, 2, 1], tf.int64))


def test_ctc_beam_search_decoder():
    x = tf.constant(X1)
    decoded, log_probs = tf.nn.ctc_beam_search_decoder(x, [6, 0, 3], beam_width=5,
                                                       top_paths=2)
    assert (len(decoded), decoded[1].indices.name, log_probs.name) == (
        2, "CTCBeamSearchDecoder:1", "CTCBeamSearchDecoder:6")
    assert log_probs.shape.as_list() == [3, 2] and decoded[1].values.shape.as_list() == [None]
    # the beams TF keeps: the fourth best of entry 0 is not the fourth most likely sequence
    d, lp = tf.nn.ctc_beam_search_decoder(x[:, :1], [6], beam_width=5, top_paths=5,
                                          merge_repeated=False)
    paths, probs = run([d, lp])
    assert _values(paths) == [[0, 2, 0, 2, 1], [0, 2, 1], [0, 2, 0, 2], [0, 2, 1, 2], [0, 2]]
    np.testing.assert_allclose(probs, [[-2.387769, -2.450917, -3.1445055, -3.8047829,
                                        -4.104485]], rtol=1e-5)
    d, lp = tf.nn.ctc_beam_search_decoder_v2(x[:, :1], [6], beam_width=10, top_paths=5)
    paths, probs = run([d, lp])
    assert _values(paths) == [[0, 2, 0, 2, 1], [0, 2, 1], [0, 2, 0, 1], [0, 2, 0, 2],
                              [0, 2, 1, 2]]
    np.testing.assert_allclose(probs, [[-2.387769, -2.4442954, -2.7792275, -3.1428435,
                                        -3.461401]], rtol=1e-5)
    rep = tf.constant(REP)
    merged = run(tf.nn.ctc_beam_search_decoder(rep, [6], beam_width=3, top_paths=2))
    kept = run(tf.nn.ctc_beam_search_decoder_v2(rep, [6], beam_width=3, top_paths=2))
    assert _values(merged[0]) == [[1, 0], [1]] and _values(kept[0]) == [[1, 1, 0], [1, 1]]
    np.testing.assert_allclose(merged[1], [[-0.05349919, -4.3692045]], rtol=1e-5)


def test_ctc_beam_search_decoder_orders_ties_as_tf():
    # equal probabilities: TF's heap and sort decide which beams stay and in which order
    d, lp = tf.nn.ctc_beam_search_decoder(tf.zeros([3, 1, 3]), [3], beam_width=3, top_paths=3)
    paths, probs = run([d, lp])
    assert _values(paths) == [[1], [0], [0, 1]]
    np.testing.assert_allclose(probs, [[-1.5040774, -1.5040774, -2.1972246]], rtol=1e-6)
    # integer logits tie often; a beam wider than 16 sorts by introsort
    x = np.array([[[1, 0, 1, 1]], [[0, 1, 1, 0]], [[1, 1, 0, 0]], [[0, 0, 1, 1]],
                  [[1, 0, 0, 1]], [[0, 1, 0, 1]]], np.float32)
    d, lp = tf.nn.ctc_beam_search_decoder(x, [6], beam_width=20, top_paths=4)
    paths, probs = run([d, lp])
    assert _values(paths) == [[2, 1, 0], [2, 0, 1], [2, 1, 2], [2, 1]]
    np.testing.assert_allclose(probs, [[-3.506727, -3.5694456, -3.7583938, -3.7735536]],
                               rtol=1e-6)


def test_ctc_decoders_run_eagerly():
    with tf.eager_mode():
        (d,), neg = tf.nn.ctc_greedy_decoder(REP, [6])
        assert d.values.numpy().tolist() == [1, 1, 0] and neg.numpy().shape == (1, 1)
        decoded, lp = tf.nn.ctc_beam_search_decoder(REP, [6], beam_width=3, top_paths=2)
        assert decoded[0].values.numpy().tolist() == [1, 0] and lp.numpy().shape == (1, 2)
        loss = tf.nn.ctc_loss(_labels(), X, SEQ)
        np.testing.assert_allclose(loss.numpy(), [5.76292, 3.30895, 1.7262], atol=2e-5)


def test_ctc_beam_search_decoder_errors():
    x = tf.constant(X1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Less leaves in the beam search"):
        run(tf.nn.ctc_beam_search_decoder(x, [6, 0, 3], beam_width=5, top_paths=2)[1][1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="requested more paths than"):
        run(tf.nn.ctc_beam_search_decoder(x, [6, 2, 3], beam_width=2, top_paths=3)[1])
    with pytest.raises(ValueError, match="Attr 'beam_width' of 'CTCBeamSearchDecoder' Op "
                                         "passed 0 less than minimum 1"):
        tf.nn.ctc_beam_search_decoder(x, [6, 2, 3], beam_width=0, top_paths=0)
    with pytest.raises(tf.errors.FailedPreconditionError, match=r"sequence_length\(0\) <= 6"):
        run(tf.nn.ctc_beam_search_decoder(x, [7, 2, 3])[1])
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 2"):
        tf.nn.ctc_beam_search_decoder(x, [6, 2])
