"""tf.contrib.crf (TF 1.15): sequence scores, log-norm and likelihood against brute-force
enumeration of every tag sequence, Viterbi in the graph and in NumPy against the same
enumeration, the length 0/1 rules, the "transitions" variable, and float64 gradients."""
import itertools

import numpy as np
import pytest

import minitf as tf
from minitf.contrib import crf as contrib_crf

RNG = np.random.RandomState(7)
INPUTS = RNG.randn(3, 4, 3)
TRANS = RNG.randn(3, 3)
TAGS = np.array([[2, 1, 0, 2], [0, 0, 1, 2], [1, 2, 2, 0]], np.int32)
LENGTHS = np.array([4, 2, 1], np.int32)


def _score(x, tags, trans):
    return sum(x[t, y] for t, y in enumerate(tags)) + sum(
        trans[a, b] for a, b in zip(tags[:-1], tags[1:]))


def _all_scores(x, length, trans):
    seqs = list(itertools.product(range(x.shape[1]), repeat=length))
    return seqs, np.array([_score(x[:length], s, trans) for s in seqs])


def _run(*fetches):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(list(fetches))


def test_sequence_score_sums_unaries_and_transitions_within_each_length():
    out, = _run(contrib_crf.crf_sequence_score(INPUTS, TAGS, LENGTHS, TRANS))
    want = [_score(INPUTS[b, :n], TAGS[b, :n], TRANS) for b, n in enumerate(LENGTHS)]
    np.testing.assert_allclose(out, want, rtol=1e-12)


def test_unary_and_binary_scores_split_the_sequence_score():
    unary, binary = _run(contrib_crf.crf_unary_score(TAGS, LENGTHS, INPUTS),
                         contrib_crf.crf_binary_score(TAGS, LENGTHS, TRANS))
    for b, n in enumerate(LENGTHS):
        assert unary[b] == pytest.approx(sum(INPUTS[b, t, TAGS[b, t]] for t in range(n)))
        assert binary[b] == pytest.approx(_score(np.zeros((n, 3)), TAGS[b, :n], TRANS))


def test_int64_tags_give_the_same_unary_score():
    a, b = _run(contrib_crf.crf_unary_score(TAGS, LENGTHS, INPUTS),
                contrib_crf.crf_unary_score(TAGS.astype(np.int64), LENGTHS, INPUTS))
    np.testing.assert_allclose(a, b)


def test_log_norm_is_the_logsumexp_over_all_tag_sequences():
    out, = _run(contrib_crf.crf_log_norm(INPUTS, LENGTHS, TRANS))
    for b, n in enumerate(LENGTHS):
        _, scores = _all_scores(INPUTS[b], n, TRANS)
        assert out[b] == pytest.approx(np.log(np.exp(scores).sum()), rel=1e-12)


def test_zero_length_scores_and_log_norm_are_zero():
    lengths = np.array([0, 3, 0], np.int32)
    score, norm = _run(contrib_crf.crf_sequence_score(INPUTS, TAGS, lengths, TRANS),
                       contrib_crf.crf_log_norm(INPUTS, lengths, TRANS))
    assert score[0] == 0 and score[2] == 0 and norm[0] == 0 and norm[2] == 0
    _, scores = _all_scores(INPUTS[1], 3, TRANS)
    assert norm[1] == pytest.approx(np.log(np.exp(scores).sum()))


def test_single_step_inputs_take_the_unary_path():
    x, tags = INPUTS[:, :1], TAGS[:, :1]
    lengths = np.array([1, 0, 1], np.int32)
    score, norm, ll = _run(contrib_crf.crf_sequence_score(x, tags, lengths, TRANS),
                           contrib_crf.crf_log_norm(x, lengths, TRANS),
                           contrib_crf.crf_log_likelihood(x, tags, lengths, TRANS)[0])
    np.testing.assert_allclose(score, [x[0, 0, 2], 0.0, x[2, 0, 1]])
    lse = np.log(np.exp(x[:, 0]).sum(1))
    np.testing.assert_allclose(norm, [lse[0], 0.0, lse[2]])
    np.testing.assert_allclose(ll, score - norm)


def test_log_likelihoods_of_all_sequences_sum_to_one():
    n = 3
    seqs, _ = _all_scores(INPUTS[0], n, TRANS)
    tags = np.array(seqs, np.int32)
    x = np.repeat(INPUTS[:1, :n], len(seqs), 0)
    ll, = _run(contrib_crf.crf_log_likelihood(x, tags, np.full(len(seqs), n), TRANS)[0])
    assert np.exp(ll).sum() == pytest.approx(1.0, rel=1e-12)


def test_multitag_score_with_one_hot_bitmap_is_the_sequence_score():
    bitmap = np.eye(3, dtype=bool)[TAGS]
    multi, single = _run(
        contrib_crf.crf_multitag_sequence_score(INPUTS, bitmap, LENGTHS, TRANS),
        contrib_crf.crf_sequence_score(INPUTS, TAGS, LENGTHS, TRANS))
    np.testing.assert_allclose(multi, single, rtol=1e-12)


def test_multitag_score_sums_over_the_allowed_sequences():
    bitmap = np.ones((1, 2, 3), bool)
    bitmap[0, 1, 0] = False
    out, = _run(contrib_crf.crf_multitag_sequence_score(INPUTS[:1, :2], bitmap, [2], TRANS))
    seqs, scores = _all_scores(INPUTS[0], 2, TRANS)
    keep = [s[1] != 0 for s in seqs]
    assert out[0] == pytest.approx(np.log(np.exp(scores[keep]).sum()))


def test_log_likelihood_makes_the_transitions_variable():
    x = tf.constant(INPUTS.astype(np.float32))
    with tf.variable_scope("crf_layer"):
        ll, trans = contrib_crf.crf_log_likelihood(x, TAGS, LENGTHS)
    assert trans.name == "crf_layer/transitions:0"
    assert trans.shape.as_list() == [3, 3] and trans.dtype.base_dtype == tf.float32
    assert trans in tf.trainable_variables()
    assert ll.shape.as_list() == [3]
    ll_value, t = _run(ll, trans)
    want = [_score(INPUTS[b, :n], TAGS[b, :n], t) - np.log(np.exp(
        _all_scores(INPUTS[b], n, t)[1]).sum()) for b, n in enumerate(LENGTHS)]
    np.testing.assert_allclose(ll_value, want, rtol=1e-4)


def test_log_likelihood_gradients_match_numeric_ones_in_float64():
    x = tf.constant(INPUTS)
    trans = tf.constant(TRANS)
    ll, _ = contrib_crf.crf_log_likelihood(x, TAGS, LENGTHS, trans)
    with tf.Session():
        err = tf.test.compute_gradient_error([x, trans], [INPUTS.shape, TRANS.shape], ll, [3],
                                             x_init_value=[INPUTS, TRANS], delta=1e-6)
    assert err < 1e-6


def test_forward_cell_step_is_logsumexp_over_previous_tags():
    cell = contrib_crf.CrfForwardRnnCell(tf.constant(TRANS))
    assert cell.state_size == 3 and cell.output_size == 3
    out, state = cell(tf.constant(INPUTS[:, 1]), tf.constant(INPUTS[:, 0]))
    got, = _run(state)
    want = INPUTS[:, 1] + np.log(np.exp(INPUTS[:, 0, :, None] + TRANS).sum(1))
    np.testing.assert_allclose(got, want)


def _brute_best(x, n, trans):
    seqs, scores = _all_scores(x, n, trans)
    return list(seqs[int(np.argmax(scores))]), scores.max()


def test_viterbi_decode_finds_the_best_sequence():
    for b, n in enumerate(LENGTHS):
        tags, score = contrib_crf.viterbi_decode(INPUTS[b, :n], TRANS)
        best, best_score = _brute_best(INPUTS[b], n, TRANS)
        assert [int(t) for t in tags] == best and score == pytest.approx(best_score)


def test_crf_decode_matches_brute_force_and_pads_with_zeros():
    tags, score = _run(*contrib_crf.crf_decode(INPUTS, TRANS, LENGTHS))
    assert tags.dtype == np.int32 and tags.shape == (3, 4)
    for b, n in enumerate(LENGTHS):
        best, best_score = _brute_best(INPUTS[b], n, TRANS)
        assert list(tags[b, :n]) == best and list(tags[b, n:]) == [0] * (4 - n)
        assert score[b] == pytest.approx(best_score)


def test_crf_decode_length_zero_acts_as_length_one():
    tags, score = _run(*contrib_crf.crf_decode(INPUTS, TRANS, np.array([0, 0, 2], np.int32)))
    np.testing.assert_array_equal(tags[:2], [[np.argmax(INPUTS[0, 0]), 0, 0, 0],
                                             [np.argmax(INPUTS[1, 0]), 0, 0, 0]])
    np.testing.assert_allclose(score[:2], INPUTS[:2, 0].max(1))


def test_crf_decode_single_step_is_the_argmax():
    tags, score = _run(*contrib_crf.crf_decode(INPUTS[:, :1], TRANS, [1, 1, 1]))
    np.testing.assert_array_equal(tags, INPUTS[:, 0].argmax(1)[:, None])
    np.testing.assert_allclose(score, INPUTS[:, 0].max(1))


def test_crf_decode_with_unknown_max_length_uses_a_cond():
    x = tf.placeholder(tf.float64, [None, None, 3])
    tags, score = contrib_crf.crf_decode(x, tf.constant(TRANS), tf.constant(LENGTHS))
    ll = contrib_crf.crf_log_norm(x, tf.constant(LENGTHS), tf.constant(TRANS))
    with tf.Session() as sess:
        got_tags, got_norm = sess.run([tags, ll], {x: INPUTS})
        one_tags = sess.run(tags, {x: INPUTS[:, :1]})
    best, _ = _brute_best(INPUTS[0], 4, TRANS)
    assert list(got_tags[0]) == best
    _, scores = _all_scores(INPUTS[1], 2, TRANS)
    assert got_norm[1] == pytest.approx(np.log(np.exp(scores).sum()))
    np.testing.assert_array_equal(one_tags[:, 0], INPUTS[:, 0].argmax(1))


def test_decode_cells_step_forward_and_back():
    fwd = contrib_crf.CrfDecodeForwardRnnCell(tf.constant(TRANS))
    bwd = contrib_crf.CrfDecodeBackwardRnnCell(3)
    assert (fwd.state_size, fwd.output_size, bwd.state_size, bwd.output_size) == (3, 3, 1, 1)
    bp, state = fwd(tf.constant(INPUTS[:, 1]), tf.constant(INPUTS[:, 0]))
    tags, _ = bwd(bp, tf.constant([[0], [1], [2]], tf.int32))
    bp_v, state_v, tags_v = _run(bp, state, tags)
    v = INPUTS[:, 0, :, None] + TRANS
    np.testing.assert_array_equal(bp_v, v.argmax(1))
    np.testing.assert_allclose(state_v, INPUTS[:, 1] + v.max(1))
    np.testing.assert_array_equal(tags_v[:, 0], [bp_v[0, 0], bp_v[1, 1], bp_v[2, 2]])
    assert bp_v.dtype == np.int32
