"""tf.contrib.seq2seq (TF 1.15): sequence_loss, dynamic_decode with BasicDecoder and the
helpers, attention (Bahdanau, Luong, AttentionWrapper), gather_tree and beam search, with TF's
variable names, output structures, values against NumPy, errors, gradients and training."""
import numpy as np
import pytest

import minitf as tf
from minitf.contrib import seq2seq as contrib_seq2seq

s2s = contrib_seq2seq


def _run(fetches, init=True):
    with tf.Session() as sess:
        if init:
            sess.run(tf.global_variables_initializer())
        return sess.run(fetches)


def _xent(logits, targets):
    z = logits - logits.max(-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    return -np.take_along_axis(logp, targets[..., None], -1)[..., 0]


# -- sequence_loss -------------------------------------------------------------------------------
@pytest.fixture
def loss_case():
    rng = np.random.RandomState(0)
    logits = rng.randn(2, 3, 4).astype(np.float32)
    targets = rng.randint(0, 4, (2, 3)).astype(np.int32)
    weights = np.array([[1, 1, 0], [1, 0.5, 0]], np.float32)
    return logits, targets, weights, _xent(logits, targets) * weights


@pytest.mark.parametrize("flags, expected", [
    ({}, lambda c, w: c.sum() / w.sum()),
    ({"average_across_batch": False}, lambda c, w: c.sum(1) / w.sum(1)),
    ({"average_across_timesteps": False}, lambda c, w: c.sum(0) / np.maximum(w.sum(0), 1)),
    ({"average_across_timesteps": False, "average_across_batch": False}, lambda c, w: c),
    ({"average_across_timesteps": False, "average_across_batch": False,
      "sum_over_timesteps": True, "sum_over_batch": True},
     lambda c, w: c.sum() / np.count_nonzero(w)),
    ({"average_across_timesteps": False, "average_across_batch": False,
      "sum_over_timesteps": True}, lambda c, w: c.sum(1) / np.count_nonzero(w, 1)),
    ({"average_across_timesteps": False, "average_across_batch": False,
      "sum_over_batch": True}, lambda c, w: c.sum(0) / np.maximum(np.count_nonzero(w, 0), 1)),
])
def test_sequence_loss_averages_and_sums_as_tf(loss_case, flags, expected):
    logits, targets, weights, crossent = loss_case
    loss = s2s.sequence_loss(tf.constant(logits), tf.constant(targets), tf.constant(weights),
                             **flags)
    np.testing.assert_allclose(_run(loss, init=False), expected(crossent, weights), rtol=1e-5)


def test_sequence_loss_takes_a_custom_loss_function_by_keyword(loss_case):
    logits, targets, weights, _ = loss_case
    seen = {}

    def fn(labels, logits):
        seen["shapes"] = (labels.shape.as_list(), logits.shape.as_list())
        return tf.ones_like(tf.cast(labels, tf.float32))

    loss = s2s.sequence_loss(tf.constant(logits), targets, tf.constant(weights),
                             softmax_loss_function=fn, average_across_batch=False)
    assert seen["shapes"] == ([None], [None, None]) or seen["shapes"][0][0] in (None, 6)
    np.testing.assert_allclose(_run(loss, init=False), [1.0, 1.0])


def test_sequence_loss_errors_use_tf_words():
    logits, t2 = tf.zeros([2, 3, 4]), tf.zeros([2, 3], tf.int32)
    with pytest.raises(ValueError, match="Logits must be a"):
        s2s.sequence_loss(tf.zeros([2, 4]), t2, tf.ones([2, 3]))
    with pytest.raises(ValueError, match="Targets must be a"):
        s2s.sequence_loss(logits, tf.zeros([6], tf.int32), tf.ones([2, 3]))
    with pytest.raises(ValueError, match="Weights must be a"):
        s2s.sequence_loss(logits, t2, tf.ones([6]))
    with pytest.raises(ValueError, match="average_across_timesteps and sum_over_timesteps"):
        s2s.sequence_loss(logits, t2, tf.ones([2, 3]), sum_over_timesteps=True)
    with pytest.raises(ValueError, match="average_across_batch and sum_over_batch"):
        s2s.sequence_loss(logits, t2, tf.ones([2, 3]), average_across_timesteps=False,
                          sum_over_batch=True)


# -- BasicDecoder, TrainingHelper, dynamic_decode --------------------------------------------------
def _training_decoder(lengths=(4, 2), impute=False, units=6, vocab=5, **kwargs):
    x = tf.constant(np.random.RandomState(1).rand(2, 4, 3).astype(np.float32))
    cell = tf.nn.rnn_cell.BasicLSTMCell(units)
    helper = s2s.TrainingHelper(x, lengths)
    decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32),
                               output_layer=tf.layers.Dense(vocab))
    return s2s.dynamic_decode(decoder, impute_finished=impute, **kwargs)


def test_training_decoder_names_shapes_and_structure():
    outputs, state, lengths = _training_decoder()
    assert isinstance(outputs, s2s.BasicDecoderOutput)
    assert isinstance(state, tf.nn.rnn_cell.LSTMStateTuple)
    assert outputs.rnn_output.shape.as_list() == [2, None, 5]
    assert outputs.sample_id.shape.as_list() == [2, None]
    assert (outputs.rnn_output.dtype, outputs.sample_id.dtype, lengths.dtype) == (
        tf.float32, tf.int32, tf.int32)
    assert [(v.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("decoder/basic_lstm_cell/kernel:0", [9, 24]), ("decoder/basic_lstm_cell/bias:0", [24]),
        ("decoder/dense/kernel:0", [6, 5]), ("decoder/dense/bias:0", [5])]
    out, n = _run([outputs, lengths])
    assert out.rnn_output.shape == (2, 4, 5) and n.tolist() == [4, 2]
    np.testing.assert_array_equal(out.sample_id[0], out.rnn_output[0].argmax(-1))


def test_impute_finished_zeroes_outputs_and_time_major_transposes():
    outputs, _, _ = _training_decoder(impute=True)
    major, _, _ = _training_decoder(impute=True, output_time_major=True, scope="other")
    assert major.rnn_output.shape.as_list() == [None, 2, 5]
    out = _run(outputs)
    np.testing.assert_array_equal(out.rnn_output[1, 2:], 0)
    np.testing.assert_array_equal(out.sample_id[1, 2:], 0)
    assert np.abs(out.rnn_output[0]).min() > 0


def test_maximum_iterations_stops_early_and_zero_iterations_finish_all():
    outputs, _, lengths = _training_decoder(maximum_iterations=2)
    assert _run(outputs).rnn_output.shape == (2, 2, 5)
    _, _, zero = _training_decoder(maximum_iterations=0, scope="z")
    assert _run(zero).tolist() == [0, 0]
    with pytest.raises(ValueError, match="maximum_iterations must be a scalar"):
        _training_decoder(maximum_iterations=[1, 2], scope="bad")


def _shift_cell_decoder(helper_cls, vocab=5, **helper_kwargs):
    """A linear RNN cell whose output at token i peaks at token i + 1 (one-hot embeddings)."""
    embedding = tf.constant(np.eye(vocab, dtype=np.float32))
    cell = tf.nn.rnn_cell.BasicRNNCell(vocab, activation=tf.identity)
    helper = helper_cls(embedding, tf.constant([0, 2]), 3, **helper_kwargs)
    decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32))
    outputs, _, lengths = s2s.dynamic_decode(decoder, maximum_iterations=6)
    shift = np.roll(np.eye(vocab, dtype=np.float32), 1, axis=1) * 5.0  # row i -> column i + 1
    kernel = np.concatenate([shift, np.zeros((vocab, vocab), np.float32)])
    return outputs, lengths, tf.assign(tf.global_variables()[0], kernel)


def test_greedy_embedding_helper_feeds_back_the_argmax_until_the_end_token():
    outputs, lengths, assign = _shift_cell_decoder(s2s.GreedyEmbeddingHelper)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(assign)
        out, n = sess.run([outputs, lengths])
    # entry 0: 0 -> 1 -> 2 -> 3 (end); entry 1: 2 -> 3 (end), then copies on as TF does
    assert n.tolist() == [3, 1]
    assert out.sample_id[0].tolist() == [1, 2, 3]
    assert out.sample_id[1, 0] == 3
    np.testing.assert_allclose(out.rnn_output[0, 0], np.eye(5)[1] * 5.0)


def test_sample_embedding_helper_samples_the_sharp_distribution():
    outputs, lengths, assign = _shift_cell_decoder(s2s.SampleEmbeddingHelper,
                                                   softmax_temperature=0.01, seed=3)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(assign)
        out, n = sess.run([outputs, lengths])
    assert out.sample_id[0].tolist() == [1, 2, 3] and n.tolist() == [3, 1]


def test_custom_and_inference_helpers_drive_the_decoder():
    cell = tf.nn.rnn_cell.BasicRNNCell(3)
    start = tf.ones([2, 3])
    helper = s2s.InferenceHelper(sample_fn=lambda o: o, sample_shape=[3],
                                 sample_dtype=tf.float32, start_inputs=start,
                                 end_fn=lambda ids: tf.fill([2], False))
    outputs, _, lengths = s2s.dynamic_decode(
        s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32)), maximum_iterations=3)
    assert outputs.sample_id.shape.as_list() == [2, None, 3]
    custom = s2s.CustomHelper(lambda: (tf.constant([False, False]), start),
                              lambda time, outputs, state: tf.zeros([2], tf.int32),
                              lambda time, outputs, state, sample_ids: (
                                  tf.fill([2], True), outputs, state))
    with pytest.raises(ValueError, match="batch_size accessed before initialize"):
        custom.batch_size
    out2, _, n2 = s2s.dynamic_decode(s2s.BasicDecoder(cell, custom,
                                                      cell.zero_state(2, tf.float32)),
                                     scope="custom")
    out, n, o2, m = _run([outputs, lengths, out2, n2])
    np.testing.assert_array_equal(out.sample_id, out.rnn_output)
    assert n.tolist() == [3, 3] and m.tolist() == [1, 1] and o2.sample_id.shape == (2, 1)


def test_scheduled_sampling_with_probability_zero_is_teacher_forcing():
    x = tf.constant(np.random.RandomState(2).rand(2, 3, 4).astype(np.float32))
    cell = tf.nn.rnn_cell.GRUCell(4)
    emb = tf.constant(np.eye(4, dtype=np.float32))
    helper = s2s.ScheduledEmbeddingTrainingHelper(x, [3, 3], emb, 0.0, seed=1)
    out, _, _ = s2s.dynamic_decode(s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32)))
    forced, _, _ = s2s.dynamic_decode(s2s.BasicDecoder(
        cell, s2s.TrainingHelper(x, [3, 3]), cell.zero_state(2, tf.float32)), scope="forced")
    a, b = _run([out, forced])
    np.testing.assert_allclose(a.rnn_output, b.rnn_output, rtol=1e-6)
    assert (a.sample_id == -1).all()
    with pytest.raises(ValueError, match="sampling_probability must be either a scalar"):
        s2s.ScheduledEmbeddingTrainingHelper(x, [3, 3], emb, [[0.5]])


def test_decoder_errors_use_tf_types_and_words():
    cell = tf.nn.rnn_cell.BasicRNNCell(2)
    helper = s2s.TrainingHelper(tf.zeros([2, 3, 2]), [3, 3])
    with pytest.raises(TypeError, match="Expected decoder to be type Decoder"):
        s2s.dynamic_decode(object())
    with pytest.raises(TypeError, match="helper must be a Helper"):
        s2s.BasicDecoder(cell, object(), cell.zero_state(2, tf.float32))
    with pytest.raises(TypeError, match="output_layer must be a Layer"):
        s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32), output_layer=tf.tanh)
    with pytest.raises(TypeError, match="is not an RNNCell"):
        s2s.BasicDecoder(object(), helper, None)
    with pytest.raises(ValueError, match="Expected sequence_length to be a vector"):
        s2s.TrainingHelper(tf.zeros([2, 3, 2]), [[3, 3]])
    with pytest.raises(ValueError, match="start_tokens must be a vector"):
        s2s.GreedyEmbeddingHelper(tf.eye(3), 0, 1)
    with pytest.raises(ValueError, match="end_token must be a scalar"):
        s2s.GreedyEmbeddingHelper(tf.eye(3), [0], [1])


# -- attention -------------------------------------------------------------------------------------
MEMORY = np.random.RandomState(3).rand(2, 4, 3).astype(np.float32)
QUERY = np.random.RandomState(4).rand(2, 5).astype(np.float32)


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def test_luong_scores_are_query_dot_keys_masked_past_the_length():
    mech = s2s.LuongAttention(5, tf.constant(MEMORY), memory_sequence_length=[4, 2], scale=True)
    with tf.variable_scope("wrap"):
        align, state = mech(tf.constant(QUERY), mech.initial_state(2, tf.float32))
    names = [v.name for v in tf.global_variables()]
    assert names == ["memory_layer/kernel:0", "wrap/luong_attention/attention_g:0"]
    assert align is state and align.shape.as_list() == [2, 4]
    a, w = _run([align, tf.global_variables()[0]])
    keys = (MEMORY * (np.arange(4) < np.array([[4], [2]]))[..., None]) @ w
    score = np.einsum("bd,btd->bt", QUERY, keys)
    score[1, 2:] = -np.inf
    np.testing.assert_allclose(a, _softmax(score), rtol=1e-5)


def test_bahdanau_normalized_score_matches_numpy():
    mech = s2s.BahdanauAttention(4, tf.constant(MEMORY), normalize=True)
    align, _ = mech(tf.constant(QUERY), mech.initial_state(2, tf.float32))
    assert [(v.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("memory_layer/kernel:0", [3, 4]), ("bahdanau_attention/query_layer/kernel:0", [5, 4]),
        ("bahdanau_attention/attention_v:0", [4]), ("bahdanau_attention/attention_g:0", []),
        ("bahdanau_attention/attention_b:0", [4])]
    a, (wm, wq, v, g, b) = _run([align, tf.global_variables()])
    assert np.isclose(g, np.sqrt(1 / 4))
    normed_v = g * v / np.sqrt((v ** 2).sum())
    score = (normed_v * np.tanh(MEMORY @ wm + (QUERY @ wq)[:, None] + b)).sum(-1)
    np.testing.assert_allclose(a, _softmax(score), rtol=1e-5)


def test_luong_depth_mismatch_and_hardmax_and_cumprod():
    mech = s2s.LuongAttention(4, tf.constant(MEMORY))
    with pytest.raises(ValueError, match="Incompatible or unknown inner dimensions"):
        mech(tf.constant(QUERY), None)
    hard = s2s.hardmax(tf.constant([[0.1, 0.7, 0.2], [3.0, 1.0, 2.0]]))
    cum = s2s.safe_cumprod(tf.constant([0.5, 0.0, 0.5]), exclusive=True)
    h, c = _run([hard, cum], init=False)
    assert h.tolist() == [[0, 1, 0], [1, 0, 0]]
    np.testing.assert_allclose(c, [1.0, 0.5, 0.0], atol=1e-30)


def test_monotonic_attention_modes_agree_on_hard_choices():
    p = tf.constant([[0.0, 1.0, 1.0, 0.0]])
    prev = tf.constant([[1.0, 0.0, 0.0, 0.0]])
    outs = [s2s.monotonic_attention(p, prev, m) for m in ("recursive", "parallel", "hard")]
    for out in _run(outs, init=False):
        np.testing.assert_allclose(out, [[0, 1, 0, 0]], atol=1e-6)
    with pytest.raises(ValueError, match="mode must be 'recursive', 'parallel', or 'hard'"):
        s2s.monotonic_attention(p, prev, "soft")


def _attention_decoder(mechanism_cls, alignment_history=True, **kwargs):
    mech = mechanism_cls(6, tf.constant(MEMORY), memory_sequence_length=[4, 2])
    cell = s2s.AttentionWrapper(tf.nn.rnn_cell.BasicLSTMCell(6), mech, attention_layer_size=5,
                                alignment_history=alignment_history, **kwargs)
    x = tf.constant(np.random.RandomState(5).rand(2, 3, 2).astype(np.float32))
    decoder = s2s.BasicDecoder(cell, s2s.TrainingHelper(x, [3, 3]),
                               cell.zero_state(2, tf.float32),
                               output_layer=tf.layers.Dense(7))
    return cell, s2s.dynamic_decode(decoder)


def test_attention_wrapper_names_like_tf_1_15():
    _attention_decoder(s2s.BahdanauAttention)
    assert [(v.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("memory_layer/kernel:0", [3, 6]),
        ("decoder/attention_wrapper/basic_lstm_cell/kernel:0", [13, 24]),
        ("decoder/attention_wrapper/basic_lstm_cell/bias:0", [24]),
        ("decoder/attention_wrapper/bahdanau_attention/query_layer/kernel:0", [6, 6]),
        ("decoder/attention_wrapper/bahdanau_attention/attention_v:0", [6]),
        ("decoder/attention_wrapper/attention_layer/kernel:0", [9, 5]),
        ("decoder/dense/kernel:0", [5, 7]), ("decoder/dense/bias:0", [7])]


def test_attention_wrapper_state_structure_and_alignment_history():
    cell, (outputs, state, _) = _attention_decoder(s2s.LuongAttention)
    assert isinstance(state, s2s.AttentionWrapperState)
    assert cell.output_size == 5 and cell.state_size.alignments == 4
    assert state.attention.shape.as_list() == [2, 5]
    history = state.alignment_history.stack()
    out, hist, align, t = _run([outputs, history, state.alignments, state.time])
    assert hist.shape == (3, 2, 4) and t == 3
    np.testing.assert_allclose(hist.sum(-1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(hist[:, 1, 2:], 0.0)
    np.testing.assert_allclose(hist[-1], align)


def test_attention_wrapper_options_and_errors():
    mech = s2s.LuongAttention(6, tf.constant(MEMORY))
    inner = tf.nn.rnn_cell.GRUCell(6)
    init = tf.ones([2, 6])
    cell = s2s.AttentionWrapper(inner, [mech, mech], output_attention=False,
                                cell_input_fn=lambda inputs, attention: inputs,
                                initial_cell_state=init)
    assert cell.output_size == 6 and cell.state_size.attention == 6
    state = cell.zero_state(2, tf.float32)
    assert isinstance(state.alignments, tuple) and state.alignment_history == ((), ())
    out, new = cell(tf.zeros([2, 6]), state)
    assert new.attention.shape.as_list() == [2, 6]
    clone = state.clone(cell_state=tf.zeros([2, 6]))
    assert clone.cell_state.shape.as_list() == [2, 6]
    o, c = _run([out, state.cell_state])
    np.testing.assert_array_equal(c, 1.0)
    with pytest.raises(TypeError, match="Expected state to be instance of AttentionWrapperState"):
        cell(tf.zeros([2, 6]), tf.zeros([2, 6]))
    with pytest.raises(TypeError, match="attention_mechanism must be an AttentionMechanism"):
        s2s.AttentionWrapper(inner, object())
    with pytest.raises(ValueError, match="exactly one integer per attention_mechanism"):
        s2s.AttentionWrapper(inner, [mech, mech], attention_layer_size=[3])
    with pytest.raises(ValueError, match="Only one of attention_layer_size and attention_layer"):
        s2s.AttentionWrapper(inner, mech, attention_layer_size=3,
                             attention_layer=tf.layers.Dense(3))


# -- gather_tree and beam search -------------------------------------------------------------------
def _bt(x):
    return np.transpose(np.asarray(x), [1, 0, 2]).astype(np.int32)


def test_gather_tree_follows_parents_and_pads_with_end_token():
    step_ids = _bt([[[1, 2, 3], [4, 5, 6], [7, 8, 9], [-1, -1, -1]]])
    parent_ids = _bt([[[0, 0, 0], [0, 1, 1], [2, 1, 2], [-1, -1, -1]]])
    beams = s2s.gather_tree(step_ids, parent_ids, [3], 10)
    assert beams.op.type == "GatherTree" and beams.shape.as_list() == [4, 1, 3]
    np.testing.assert_array_equal(_run(beams, init=False),
                                  _bt([[[2, 2, 2], [6, 5, 6], [7, 8, 9], [10, 10, 10]]]))


def test_gather_tree_ends_a_beam_after_its_first_end_token_and_skips_empty_entries():
    step_ids = _bt([[[1, 2], [3, 3], [5, 6]], [[1, 1], [1, 1], [1, 1]]])
    parent_ids = np.zeros_like(step_ids)
    out = _run(s2s.gather_tree(step_ids, parent_ids, [3, 0], 3), init=False)
    assert _bt(out)[0].tolist() == [[1, 1], [3, 3], [3, 3]]
    assert (_bt(out)[1] == 3).all()


def test_gather_tree_rejects_a_bad_parent_at_run_time():
    step_ids = _bt([[[1, 2, 3], [4, 5, 6], [7, 8, 9], [-1, -1, -1]]])
    parent_ids = _bt([[[0, 0, 0], [0, -1, 1], [2, 1, 2], [-1, -1, -1]]])
    beams = s2s.gather_tree(step_ids, parent_ids, [3], 10)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"parent id -1 at \(batch, time, beam\) == \(0, 0, 1\)"):
        _run(beams, init=False)


def test_tile_batch_repeats_each_entry():
    tiled = s2s.tile_batch((tf.constant([[1, 2], [3, 4]]), tf.constant([5, 6])), 2)
    assert tiled[0].shape.as_list() == [4, 2]
    a, b = _run(tiled, init=False)
    assert a.tolist() == [[1, 2], [1, 2], [3, 4], [3, 4]] and b.tolist() == [5, 5, 6, 6]
    with pytest.raises(ValueError, match="t must have statically known rank"):
        s2s.tile_batch(tf.constant(1), 2)


def _constant_beam_search(probs, beam_width=2, length_penalty_weight=0.0, end_token=0):
    """A decoder whose logits are log(probs) at every step (zero kernels, bias = log p)."""
    vocab = len(probs)
    cell = tf.nn.rnn_cell.BasicRNNCell(2, activation=tf.identity)
    layer = tf.layers.Dense(vocab, kernel_initializer=tf.zeros_initializer(),
                            bias_initializer=tf.constant_initializer(np.log(probs)))
    decoder = s2s.BeamSearchDecoder(cell, tf.eye(vocab), [1], end_token,
                                    cell.zero_state(beam_width, tf.float32), beam_width,
                                    output_layer=layer,
                                    length_penalty_weight=length_penalty_weight)
    return s2s.dynamic_decode(decoder, maximum_iterations=4)


def test_beam_search_on_a_hand_checkable_vocabulary():
    outputs, state, lengths = _constant_beam_search([0.5, 0.3, 0.2])
    assert isinstance(outputs, s2s.FinalBeamSearchDecoderOutput)
    assert isinstance(outputs.beam_search_decoder_output, s2s.BeamSearchDecoderOutput)
    assert isinstance(state, s2s.BeamSearchDecoderState)
    assert outputs.predicted_ids.shape.as_list() == [1, None, 2]
    assert [v.name for v in tf.global_variables()] == [
        "decoder/basic_rnn_cell/kernel:0", "decoder/basic_rnn_cell/bias:0",
        "decoder/dense/kernel:0", "decoder/dense/bias:0"]
    out, st, n = _run([outputs, state, lengths])
    raw = out.beam_search_decoder_output
    # step 1: end (0.5, finished) and 1 (0.3); step 2: the finished beam keeps 0.5,
    # beam 1 best continues with end: 0.3 * 0.5
    np.testing.assert_allclose(np.exp(raw.scores[0]), [[0.5, 0.3], [0.5, 0.15]], rtol=1e-5)
    assert raw.predicted_ids[0].tolist() == [[0, 1], [0, 0]]
    assert raw.parent_ids[0].tolist() == [[0, 0], [0, 1]]
    assert out.predicted_ids[0].tolist() == [[0, 1], [0, 0]]
    assert st.lengths.tolist() == [[1, 2]] and st.finished.tolist() == [[True, True]]
    assert n.tolist() == [[1, 2]]


def test_beam_search_length_penalty_divides_the_log_probs():
    outputs, _, _ = _constant_beam_search([0.5, 0.3, 0.2], length_penalty_weight=1.0)
    out = _run(outputs)
    raw = out.beam_search_decoder_output
    # (TF: choosing the end token adds no length; a beam's length counts its earlier steps)
    penalty = np.array([[0.0, 1.0], [1.0, 1.0]]) + 5.0
    log_p = np.log([[0.5, 0.3], [0.5, 0.15]])
    np.testing.assert_allclose(raw.scores[0], log_p / (penalty / 6.0), rtol=1e-5)


def test_beam_search_with_attention_reorders_alignment_history():
    beam = 2
    memory = s2s.tile_batch(tf.constant(MEMORY), beam)
    mech = s2s.BahdanauAttention(4, memory, memory_sequence_length=s2s.tile_batch(
        tf.constant([4, 2]), beam))
    cell = s2s.AttentionWrapper(tf.nn.rnn_cell.GRUCell(4), mech, attention_layer_size=3,
                                alignment_history=True)
    decoder = s2s.BeamSearchDecoder(cell, tf.eye(5), [1, 1], 0,
                                    cell.zero_state(2 * beam, tf.float32), beam,
                                    output_layer=tf.layers.Dense(5))
    outputs, state, _ = s2s.dynamic_decode(decoder, maximum_iterations=3)
    history = state.cell_state.alignment_history
    assert tf.is_tensor(history) and history.shape.as_list() == [None, 4, 4]
    ids, hist = _run([outputs.predicted_ids, history])
    assert ids.shape[0] == 2 and ids.shape[2] == beam
    np.testing.assert_allclose(hist.sum(-1), 1.0, rtol=1e-5)
    with pytest.raises(ValueError, match="Perhaps you forgot to create a zero_state"):
        s2s.BeamSearchDecoder(cell, tf.eye(5), [1, 1], 0, cell.zero_state(2, tf.float32), beam)


def test_beam_search_attends_over_a_memory_of_unknown_length():
    # the alignments' size is then a Tensor (TF takes its constant value, here none: any shape)
    beam, memory = 2, tf.placeholder(tf.float32, [None, None, 3])
    lengths = tf.placeholder(tf.int32, [None])
    mech = s2s.LuongAttention(4, s2s.tile_batch(memory, beam),
                              memory_sequence_length=s2s.tile_batch(lengths, beam))
    cell = s2s.AttentionWrapper(tf.nn.rnn_cell.LSTMCell(4), mech, attention_layer_size=4)
    assert tf.is_tensor(cell.state_size.alignments)
    start = tf.fill([tf.shape(memory)[0]], 1)
    decoder = s2s.BeamSearchDecoder(cell, tf.eye(5), start, 0,
                                    cell.zero_state(tf.shape(memory)[0] * beam, tf.float32),
                                    beam, output_layer=tf.layers.Dense(5))
    outputs, state, _ = s2s.dynamic_decode(decoder, maximum_iterations=3)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        ids, alignments = sess.run([outputs.predicted_ids, state.cell_state.alignments],
                                   {memory: MEMORY, lengths: [4, 2]})
    assert ids.shape[0] == 2 and ids.shape[2] == beam and alignments.shape == (2, beam, 4)
    np.testing.assert_allclose(alignments.sum(-1), 1.0, rtol=1e-5)
    assert (alignments[1, :, 2:] == 0).all()  # masked past the memory's length


# -- gradients and training ------------------------------------------------------------------------
def test_gradients_through_an_attention_training_decoder_match_finite_differences():
    x = tf.constant(np.random.RandomState(6).rand(2, 3, 2))
    memory = tf.constant(np.random.RandomState(7).rand(2, 3, 2))
    mech = s2s.LuongAttention(3, memory, memory_sequence_length=[3, 2], dtype=tf.float64)
    cell = s2s.AttentionWrapper(tf.nn.rnn_cell.BasicRNNCell(3, dtype=tf.float64), mech,
                                attention_layer_size=2)
    decoder = s2s.BasicDecoder(cell, s2s.TrainingHelper(x, [3, 2]),
                               cell.zero_state(2, tf.float64))
    outputs, _, _ = s2s.dynamic_decode(decoder, impute_finished=True)
    loss = tf.reduce_sum(tf.square(outputs.rnn_output))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for var in tf.trainable_variables():
            error = tf.test.compute_gradient_error(var, var.shape.as_list(), loss, [])
            assert error < 1e-5, var.name
        assert tf.test.compute_gradient_error(memory, [2, 3, 2], loss, []) < 1e-5


def test_a_tiny_copy_task_trains():
    rng = np.random.RandomState(0)
    vocab, steps, batch = 6, 4, 16
    data = rng.randint(2, vocab, (batch, steps)).astype(np.int32)
    source = tf.constant(data)
    embedding = tf.get_variable("embedding", [vocab, 8])
    encoder_out, encoder_state = tf.nn.dynamic_rnn(
        tf.nn.rnn_cell.GRUCell(16), tf.nn.embedding_lookup(embedding, source),
        dtype=tf.float32)
    decoder_in = tf.nn.embedding_lookup(embedding, tf.concat([tf.ones([batch, 1], tf.int32),
                                                              source[:, :-1]], 1))
    mech = s2s.LuongAttention(16, encoder_out)
    cell = s2s.AttentionWrapper(tf.nn.rnn_cell.GRUCell(16), mech, attention_layer_size=16)
    init = cell.zero_state(batch, tf.float32).clone(cell_state=encoder_state)
    decoder = s2s.BasicDecoder(cell, s2s.TrainingHelper(decoder_in, [steps] * batch), init,
                               output_layer=tf.layers.Dense(vocab))
    outputs, _, _ = s2s.dynamic_decode(decoder)
    loss = s2s.sequence_loss(outputs.rnn_output, source, tf.ones([batch, steps]))
    train = tf.train.AdamOptimizer(0.03).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss)
        for _ in range(100):
            last, _ = sess.run([loss, train])
    assert last < 0.3 * first, (first, last)
