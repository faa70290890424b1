"""tf.contrib.legacy_seq2seq (TF 1.15): TF 1.15's variable names and shapes (those its code
makes, as seq2seq_test.py's models build them), output lists and shapes, hand-written NumPy
values for rnn_decoder, the attention weights and the sequence losses, feed_previous as a bool
or a boolean Tensor, gradients, bucketing with shared variables, and a copy task learned.
Behaviours taken from TF 1.15's contrib/legacy_seq2seq seq2seq.py and seq2seq_test.py."""
import re

import numpy as np
import pytest

import minitf as tf
from minitf.contrib import legacy_seq2seq as s2s, rnn as contrib_rnn

rc = tf.nn.rnn_cell
HALF = tf.constant_initializer(0.5)


def _names(prefix=""):
    return {v.name[len(prefix):]: v.shape.as_list() for v in tf.global_variables()
            if v.name.startswith(prefix)}


def _run(fetches, feed_dict=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed_dict)


def _ints(values):
    return [tf.constant(v, tf.int32, shape=[2]) for v in values]


# -- wrappers (core_rnn_cell) ------------------------------------------------------------------

def test_wrappers_are_exported_by_contrib_rnn_and_name_their_scopes():
    cell = contrib_rnn.OutputProjectionWrapper(
        contrib_rnn.InputProjectionWrapper(rc.GRUCell(2), 3), 4)
    emb = contrib_rnn.EmbeddingWrapper(rc.GRUCell(2), embedding_classes=5, embedding_size=3)
    out, _ = cell(tf.ones([2, 6]), tf.zeros([2, 2]))
    out2, _ = emb(tf.constant([1, 4]), tf.zeros([2, 2]))
    assert out.shape.as_list() == [2, 4] and out2.shape.as_list() == [2, 2]
    assert _names() == {
        "output_projection_wrapper/input_projection_wrapper/kernel:0": [6, 3],
        "output_projection_wrapper/input_projection_wrapper/bias:0": [3],
        "output_projection_wrapper/input_projection_wrapper/gru_cell/gates/kernel:0": [5, 4],
        "output_projection_wrapper/input_projection_wrapper/gru_cell/gates/bias:0": [4],
        "output_projection_wrapper/input_projection_wrapper/gru_cell/candidate/kernel:0": [5, 2],
        "output_projection_wrapper/input_projection_wrapper/gru_cell/candidate/bias:0": [2],
        "output_projection_wrapper/kernel:0": [2, 4],
        "output_projection_wrapper/bias:0": [4],
        "embedding_wrapper/embedding:0": [5, 3],
        "embedding_wrapper/gru_cell/gates/kernel:0": [5, 4],
        "embedding_wrapper/gru_cell/gates/bias:0": [4],
        "embedding_wrapper/gru_cell/candidate/kernel:0": [5, 2],
        "embedding_wrapper/gru_cell/candidate/bias:0": [2],
    }
    assert len(cell.variables) == 8 and len(emb.variables) == 5
    with pytest.raises(ValueError, match="must be > 0"):
        contrib_rnn.EmbeddingWrapper(rc.GRUCell(2), 0, 3)
    with pytest.raises(ValueError, match="output_size must be > 0"):
        contrib_rnn.OutputProjectionWrapper(rc.GRUCell(2), 0)
    with pytest.raises(TypeError, match="not RNNCell"):
        contrib_rnn.OutputProjectionWrapper("cell", 3)


# -- rnn_decoder ----------------------------------------------------------------------------------

def test_rnn_decoder_matches_numpy_and_loop_function_replaces_later_inputs():
    rs = np.random.RandomState(0)
    xs = [rs.uniform(-1, 1, [2, 3]).astype(np.float32) for _ in range(3)]
    h0 = rs.uniform(-1, 1, [2, 2]).astype(np.float32)
    with tf.variable_scope("root", initializer=HALF):
        outs, state = s2s.rnn_decoder([tf.constant(x) for x in xs], tf.constant(h0),
                                      rc.BasicRNNCell(2))
    assert _names() == {"root/rnn_decoder/basic_rnn_cell/kernel:0": [5, 2],
                        "root/rnn_decoder/basic_rnn_cell/bias:0": [2]}
    got, got_state = _run([outs, state])
    h, want = h0, []
    for x in xs:
        h = np.tanh(np.concatenate([x, h], 1) @ np.full([5, 2], 0.5))
        want.append(h)
    np.testing.assert_allclose(got, want, rtol=1e-5)
    np.testing.assert_allclose(got_state, h, rtol=1e-5)

    calls = []

    def loop(prev, i):
        calls.append((i, tf.get_variable_scope().name, tf.get_variable_scope().reuse))
        return tf.concat([prev, prev[:, :1]], 1) * 0.25

    with tf.variable_scope("loop", initializer=HALF):
        outs, _ = s2s.rnn_decoder([tf.constant(xs[0]), tf.zeros([2, 3]), tf.zeros([2, 3])],
                                  tf.constant(h0), rc.BasicRNNCell(2), loop_function=loop)
    assert calls == [(1, "loop/rnn_decoder/loop_function", True),
                     (2, "loop/rnn_decoder/loop_function", True)]
    h = np.tanh(np.concatenate([xs[0], h0], 1) @ np.full([5, 2], 0.5))
    want = [h]
    for _ in range(2):
        h = np.tanh(np.concatenate([np.concatenate([h, h[:, :1]], 1) * 0.25, h], 1) * 1.0
                    @ np.full([5, 2], 0.5))
        want.append(h)
    np.testing.assert_allclose(_run(outs), want, rtol=1e-5)


# -- models: names, output lists and shapes (seq2seq_test.py's cases) ----------------------------

def _enc_dec_floats():
    return [tf.constant(0.5, shape=[2, 2])] * 2, [tf.constant(0.4, shape=[2, 2])] * 3


def test_basic_and_tied_rnn_seq2seq_names_and_shapes():
    inp, dec_inp = _enc_dec_floats()
    with tf.variable_scope("root", initializer=HALF):
        cell = contrib_rnn.OutputProjectionWrapper(rc.GRUCell(2), 4)
        dec, mem = s2s.basic_rnn_seq2seq(inp, dec_inp, cell)
        dec2, mem2 = s2s.tied_rnn_seq2seq(
            inp, dec_inp, contrib_rnn.OutputProjectionWrapper(rc.GRUCell(2), 4))
    res, m, res2, m2 = _run([dec, mem, dec2, mem2])
    assert [r.shape for r in res] == [(2, 4)] * 3 and m.shape == (2, 2)
    assert [r.shape for r in res2] == [(2, 4)] * 3 and m2.shape == (2, 2)
    gru = {"gru_cell/gates/kernel:0": [6, 4], "gru_cell/gates/bias:0": [4],
           "gru_cell/candidate/kernel:0": [6, 2], "gru_cell/candidate/bias:0": [2]}
    want = {}
    for prefix in ("root/basic_rnn_seq2seq/rnn/", "root/basic_rnn_seq2seq/rnn_decoder/",
                   "root/combined_tied_rnn_seq2seq/tied_rnn_seq2seq/"):
        want.update({f"{prefix}output_projection_wrapper/{k}": v for k, v in gru.items()})
        want[f"{prefix}output_projection_wrapper/kernel:0"] = [2, 4]
        want[f"{prefix}output_projection_wrapper/bias:0"] = [4]
    for k, v in want.items():   # (GRUCell's input is 2 wide: [x, h] is 4, not 6)
        if "gates/kernel" in k or "candidate/kernel" in k:
            want[k] = [4, v[1]]
    assert _names() == want


def test_embedding_rnn_decoder_and_seq2seq_names_and_shapes():
    with tf.variable_scope("root", initializer=HALF):
        inp = [tf.constant(0.5, shape=[2, 2])] * 2
        _, enc_state = tf.nn.static_rnn(rc.BasicLSTMCell(2), inp, dtype=tf.float32)
        dec, mem = s2s.embedding_rnn_decoder(_ints(range(3)), enc_state, rc.BasicLSTMCell(2),
                                             num_symbols=4, embedding_size=2)
    res, m = _run([dec, mem])
    assert [r.shape for r in res] == [(2, 2)] * 3 and m.c.shape == m.h.shape == (2, 2)
    assert _names("root/embedding_rnn_decoder/") == {
        "embedding:0": [4, 2], "rnn_decoder/basic_lstm_cell/kernel:0": [4, 8],
        "rnn_decoder/basic_lstm_cell/bias:0": [8]}

    enc_inp = _ints([1, 1])
    with tf.variable_scope("e2", initializer=HALF):
        dec, mem = s2s.embedding_rnn_seq2seq(enc_inp, _ints(range(3)), rc.BasicLSTMCell(2),
                                             num_encoder_symbols=2, num_decoder_symbols=5,
                                             embedding_size=2)
        with tf.variable_scope("no_tuple"):
            dec_nt, mem_nt = s2s.embedding_rnn_seq2seq(
                enc_inp, _ints(range(3)), rc.BasicLSTMCell(2, state_is_tuple=False), 2, 5, 2)
        w, b = tf.get_variable("proj_w", [2, 5]), tf.get_variable("proj_b", [5])
        with tf.variable_scope("proj_seq2seq"):
            dec_p, _ = s2s.embedding_rnn_seq2seq(enc_inp, _ints(range(3)), rc.BasicLSTMCell(2),
                                                 2, 5, 2, output_projection=(w, b))
    res, m, res_nt, m_nt, res_p = _run([dec, mem, dec_nt, mem_nt, dec_p])
    assert [r.shape for r in res] == [(2, 5)] * 3 and m.c.shape == (2, 2)
    assert [r.shape for r in res_nt] == [(2, 5)] * 3 and m_nt.shape == (2, 4)
    assert [r.shape for r in res_p] == [(2, 2)] * 3
    assert _names("e2/embedding_rnn_seq2seq/") == {
        "rnn/embedding_wrapper/embedding:0": [2, 2],
        "rnn/embedding_wrapper/basic_lstm_cell/kernel:0": [4, 8],
        "rnn/embedding_wrapper/basic_lstm_cell/bias:0": [8],
        "embedding_rnn_decoder/embedding:0": [5, 2],
        "embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/basic_lstm_cell/kernel:0":
            [4, 8],
        "embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/basic_lstm_cell/bias:0":
            [8],
        "embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/kernel:0": [2, 5],
        "embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/bias:0": [5]}
    assert "e2/proj_seq2seq/embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/" \
           "basic_lstm_cell/kernel:0" in _names()
    with pytest.raises(ValueError):
        s2s.embedding_rnn_decoder(_ints(range(3)), enc_state, rc.BasicLSTMCell(2), 4, 2,
                                  output_projection=(tf.zeros([2, 3]), tf.zeros([3])))


def test_embedding_tied_rnn_seq2seq_names_and_shapes():
    cell = rc.BasicLSTMCell
    with tf.variable_scope("root", initializer=HALF):
        dec, mem = s2s.embedding_tied_rnn_seq2seq(_ints([1, 1]), _ints(range(3)), cell(2),
                                                  num_symbols=5, embedding_size=2)
        with tf.variable_scope("decoder_symbols_seq2seq"):
            dec3, _ = s2s.embedding_tied_rnn_seq2seq(_ints([1, 1]), _ints(range(3)), cell(2),
                                                     5, 2, num_decoder_symbols=3)
    res, m, res3 = _run([dec, mem, dec3])
    assert [r.shape for r in res] == [(2, 5)] * 3 and m.h.shape == (2, 2)
    assert [r.shape for r in res3] == [(2, 3)] * 3
    inner = "combined_tied_rnn_seq2seq/tied_rnn_seq2seq/output_projection_wrapper/"
    assert _names("root/embedding_tied_rnn_seq2seq/") == {
        "embedding:0": [5, 2], inner + "basic_lstm_cell/kernel:0": [4, 8],
        inner + "basic_lstm_cell/bias:0": [8], inner + "kernel:0": [2, 5],
        inner + "bias:0": [5]}


def test_embedding_attention_seq2seq_names_and_shapes():
    with tf.variable_scope("root", initializer=HALF):
        dec, mem = s2s.embedding_attention_seq2seq(
            _ints([1, 1]), _ints(range(3)), rc.GRUCell(2), num_encoder_symbols=2,
            num_decoder_symbols=5, embedding_size=3, num_heads=2)
    res, m = _run([dec, mem])
    assert [r.shape for r in res] == [(2, 5)] * 3 and m.shape == (2, 2)
    att = "embedding_attention_decoder/attention_decoder/"
    opw = att + "output_projection_wrapper/"
    assert _names("root/embedding_attention_seq2seq/") == {
        "rnn/embedding_wrapper/embedding:0": [2, 3],
        "rnn/embedding_wrapper/gru_cell/gates/kernel:0": [5, 4],
        "rnn/embedding_wrapper/gru_cell/gates/bias:0": [4],
        "rnn/embedding_wrapper/gru_cell/candidate/kernel:0": [5, 2],
        "rnn/embedding_wrapper/gru_cell/candidate/bias:0": [2],
        "embedding_attention_decoder/embedding:0": [5, 3],
        att + "AttnW_0:0": [1, 1, 2, 2], att + "AttnV_0:0": [2],
        att + "AttnW_1:0": [1, 1, 2, 2], att + "AttnV_1:0": [2],
        att + "kernel:0": [7, 3], att + "bias:0": [3],
        opw + "gru_cell/gates/kernel:0": [5, 4], opw + "gru_cell/gates/bias:0": [4],
        opw + "gru_cell/candidate/kernel:0": [5, 2], opw + "gru_cell/candidate/bias:0": [2],
        opw + "kernel:0": [2, 5], opw + "bias:0": [5],
        att + "Attention_0/kernel:0": [2, 2], att + "Attention_0/bias:0": [2],
        att + "Attention_1/kernel:0": [2, 2], att + "Attention_1/bias:0": [2],
        att + "AttnOutputProjection/kernel:0": [9, 5],
        att + "AttnOutputProjection/bias:0": [5]}


def test_embedding_attention_seq2seq_with_output_projection_and_lstm():
    with tf.variable_scope("root", initializer=HALF):
        w, b = tf.get_variable("proj_w", [2, 5]), tf.get_variable("proj_b", [5])
        dec, mem = s2s.embedding_attention_seq2seq(
            _ints([1, 1]), _ints(range(3)), rc.BasicLSTMCell(2), 2, 5, 2,
            output_projection=(w, b), feed_previous=True, initial_state_attention=True)
    res, m = _run([dec, mem])
    assert [r.shape for r in res] == [(2, 2)] * 3 and m.c.shape == (2, 2)
    names = _names("root/embedding_attention_seq2seq/embedding_attention_decoder/")
    assert names["attention_decoder/basic_lstm_cell/kernel:0"] == [4, 8]
    assert names["attention_decoder/Attention_0/kernel:0"] == [4, 2]   # query: [c, h]
    assert names["attention_decoder/AttnOutputProjection/kernel:0"] == [4, 2]


def test_one2many_rnn_seq2seq_names_shapes_and_errors():
    dec_dict = {"0": _ints(range(3)), "1": _ints(range(4))}
    with tf.variable_scope("root", initializer=HALF):
        outs, states = s2s.one2many_rnn_seq2seq(
            _ints([1, 1]), dec_dict, rc.GRUCell(2), {"0": rc.GRUCell(2), "1": rc.GRUCell(2)},
            num_encoder_symbols=2, num_decoder_symbols_dict={"0": 4, "1": 5},
            embedding_size=2, feed_previous=tf.constant(True))
    res = _run(outs)
    assert [r.shape for r in res["0"]] == [(2, 4)] * 3
    assert [r.shape for r in res["1"]] == [(2, 5)] * 4
    assert states["1"].shape.as_list() == [2, 2]
    names = _names("root/one2many_rnn_seq2seq/")
    assert names["one2many_decoder_1/embedding_rnn_decoder/embedding:0"] == [5, 2]
    assert names["one2many_decoder_1/embedding_rnn_decoder/rnn_decoder/"
                 "output_projection_wrapper/kernel:0"] == [2, 5]
    assert names["rnn/embedding_wrapper/embedding:0"] == [2, 2]
    with pytest.raises(ValueError, match="keys of dec_cells_dict"):
        s2s.one2many_rnn_seq2seq([], {"a": []}, rc.GRUCell(2), {"b": rc.GRUCell(2)}, 2, {}, 2)
    with pytest.raises(TypeError, match="enc_cell is not an RNNCell"):
        s2s.one2many_rnn_seq2seq([], {}, "cell", {}, 2, {}, 2)


# -- feed_previous: a Python bool or a boolean Tensor ------------------------------------------

MODELS = {
    "embedding_rnn_seq2seq": lambda e, d, fp: s2s.embedding_rnn_seq2seq(
        e, d, rc.BasicLSTMCell(2), 2, 5, 2, feed_previous=fp),
    "embedding_tied_rnn_seq2seq": lambda e, d, fp: s2s.embedding_tied_rnn_seq2seq(
        e, d, rc.BasicLSTMCell(2), 5, 2, feed_previous=fp),
    "embedding_attention_seq2seq": lambda e, d, fp: s2s.embedding_attention_seq2seq(
        e, d, rc.BasicLSTMCell(2), 2, 5, 2, feed_previous=fp),
}


@pytest.mark.parametrize("model", sorted(MODELS))
def test_feed_previous_ignores_later_inputs_and_a_tensor_matches_the_bool(model):
    build = MODELS[model]
    enc, dec, dec0 = _ints([1, 1]), _ints(range(3)), _ints([0, 0, 0])
    flag = tf.placeholder(tf.bool, [])
    results = {}
    init = tf.random_uniform_initializer(-1, 1, seed=3)   # (the same values in every scope)
    with tf.variable_scope("root", initializer=init):
        for key, inputs, fp in [("true", dec, True), ("true_zeros", dec0, True),
                                ("tensor", dec0, tf.constant(True)),
                                ("false", dec, False), ("fed", dec, flag)]:
            with tf.variable_scope(key):
                results[key] = build(enc, inputs, fp)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run(results, {flag: False})
        fed_true = sess.run(results["fed"], {flag: True})
    np.testing.assert_allclose(got["true"], got["true_zeros"], rtol=1e-6)
    np.testing.assert_allclose(got["true"], got["tensor"], rtol=1e-6)
    np.testing.assert_allclose(got["fed"], got["false"], rtol=1e-6)
    np.testing.assert_allclose(fed_true, got["true"], rtol=1e-6)
    assert not np.allclose(got["true"], got["false"])
    # both branches share one set of variables, named as the bool model's
    assert sorted(_names("root/fed/")) == sorted(_names("root/false/"))


def test_tensor_feed_previous_passes_no_gradient_through_fed_back_symbols():
    enc, dec = _ints([1, 1]), _ints([0, 1, 2])
    with tf.variable_scope("root", initializer=tf.random_uniform_initializer(-1, 1, seed=7)):
        with tf.variable_scope("bool"):
            out_b, _ = s2s.embedding_attention_seq2seq(enc, dec, rc.GRUCell(2), 2, 5, 2,
                                                       feed_previous=True)
        with tf.variable_scope("tensor"):
            out_t, _ = s2s.embedding_attention_seq2seq(enc, dec, rc.GRUCell(2), 2, 5, 2,
                                                       feed_previous=tf.constant(True))
    emb_b, emb_t = [v for v in tf.global_variables()
                    if v.name.endswith("embedding_attention_decoder/embedding:0")]
    g_b = tf.gradients(tf.reduce_sum(out_b[-1] ** 2), emb_b)[0]
    g_t = tf.gradients(tf.reduce_sum(out_t[-1] ** 2), emb_t)[0]
    g_b, g_t = [tf.convert_to_tensor(g) for g in (g_b, g_t)]
    gb, gt = _run([g_b, g_t])
    # only the GO symbol (0) gets a gradient when feed_previous is a Tensor (TF) ...
    assert np.abs(gt[1:]).sum() == 0 and np.abs(gt[0]).sum() > 0
    # ... while a Python True also updates the fed-back symbols' embeddings
    assert np.abs(gb - gt).sum() > 1e-4


# -- attention ----------------------------------------------------------------------------------

def test_attention_weights_match_numpy_and_sum_to_one():
    rs = np.random.RandomState(1)
    states = rs.uniform(-1, 1, [2, 4, 3]).astype(np.float32)
    q = rs.uniform(-1, 1, [2, 2]).astype(np.float32)
    with tf.variable_scope("root", initializer=HALF):
        s2s.attention_decoder([tf.ones([2, 2])] * 2, tf.constant(q), tf.constant(states),
                              rc.GRUCell(2), output_size=3, initial_state_attention=True)
    softmaxes = [op.outputs[0] for op in tf.get_default_graph().get_operations()
                 if op.type == "Softmax" and re.search("/Attention_0(_[0-9]+)?/", op.name)]
    assert len(softmaxes) == 3                  # the initial read, then one per step
    weights = _run(softmaxes)
    for w in weights:
        assert w.shape == (2, 4)
        np.testing.assert_allclose(w.sum(1), 1.0, rtol=1e-6)
    # AttnW = AttnV = Attention_0/kernel = 0.5, Attention_0/bias = 0
    s = (np.tanh(states @ np.full([3, 3], 0.5) + (q @ np.full([2, 3], 0.5))[:, None])
         * 0.5).sum(2)
    want = np.exp(s) / np.exp(s).sum(1, keepdims=True)
    np.testing.assert_allclose(weights[0], want, rtol=1e-5)


def test_attention_decoder_heads_dynamic_states_and_errors():
    with tf.variable_scope("root", initializer=HALF):
        enc_out, enc_state = tf.nn.dynamic_rnn(rc.GRUCell(2), tf.constant(0.5, shape=[2, 2, 2]),
                                               dtype=tf.float32)
        dec, mem = s2s.attention_decoder([tf.constant(0.4, shape=[2, 2])] * 3, enc_state,
                                         enc_out, rc.GRUCell(2), output_size=4, num_heads=2)
    res, m = _run([dec, mem])
    assert [r.shape for r in res] == [(2, 4)] * 3 and m.shape == (2, 2)
    assert _names("root/attention_decoder/")["kernel:0"] == [6, 2]
    with pytest.raises(ValueError, match="at least 1 input"):
        s2s.attention_decoder([], enc_state, enc_out, rc.GRUCell(2))
    with pytest.raises(ValueError, match="less than 1 heads"):
        s2s.attention_decoder([tf.ones([2, 2])], enc_state, enc_out, rc.GRUCell(2), num_heads=0)
    with pytest.raises(ValueError, match="Shape\\[2\\] of attention_states"):
        s2s.attention_decoder([tf.ones([2, 2])], enc_state,
                              tf.placeholder(tf.float32, [2, 2, None]), rc.GRUCell(2))


def test_attention_decoder_gradients_float64():
    rs = np.random.RandomState(2)
    x = tf.placeholder(tf.float64, [2, 2])
    att = tf.placeholder(tf.float64, [2, 3, 2])
    h0 = tf.placeholder(tf.float64, [2, 2])
    with tf.variable_scope("g", initializer=tf.random_uniform_initializer(-0.5, 0.5, seed=1)):
        cell = rc.GRUCell(2, dtype=tf.float64)
        outs, _ = s2s.attention_decoder([x, x * 0.5], h0, att, cell, output_size=2,
                                        num_heads=2, dtype=tf.float64,
                                        initial_state_attention=True)
    y = outs[-1]
    values = [rs.uniform(-1, 1, s) for s in ([2, 2], [2, 3, 2], [2, 2])]
    feeds = dict(zip([x, att, h0], values))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        err = tf.test.compute_gradient_error([x, att, h0], [[2, 2], [2, 3, 2], [2, 2]], y,
                                             [2, 2], x_init_value=values, extra_feed_dict=feeds)
        assert err < 1e-6
        attn_w = [v for v in tf.global_variables() if "AttnW_1" in v.name
                  or "Attention_0/kernel" in v.name]
        err = tf.test.compute_gradient_error(attn_w, [[1, 1, 2, 2], [2, 2]], y, [2, 2],
                                             extra_feed_dict=feeds)
        assert err < 1e-6


# -- losses -------------------------------------------------------------------------------------

def _xent(logits, target):
    z = logits - logits.max(1, keepdims=True)
    return -(z - np.log(np.exp(z).sum(1, keepdims=True)))[np.arange(len(target)), target]


def test_sequence_losses_match_numpy():
    rs = np.random.RandomState(3)
    logits = [rs.normal(size=[2, 5]).astype(np.float32) for _ in range(3)]
    targets = [np.array([i, 4 - i], np.int32) for i in range(3)]
    weights = [np.array([1.0, 0.5], np.float32), np.array([1.0, 1.0], np.float32),
               np.array([0.0, 2.0], np.float32)]
    args = ([tf.constant(v) for v in logits], [tf.constant(v) for v in targets],
            [tf.constant(v) for v in weights])
    got = _run({
        "by_example": s2s.sequence_loss_by_example(*args),
        "by_example_sum": s2s.sequence_loss_by_example(*args, average_across_timesteps=False),
        "loss": s2s.sequence_loss(*args),
        "no_batch": s2s.sequence_loss(*args, average_across_batch=False),
        "no_avg": s2s.sequence_loss(*args, average_across_timesteps=False,
                                    average_across_batch=False),
        "custom": s2s.sequence_loss(*args, softmax_loss_function=lambda labels, logits:
                                    tf.reduce_sum(logits, 1) * tf.cast(labels, tf.float32)),
    })
    per = sum(w * _xent(lg, t) for lg, t, w in zip(logits, targets, weights))
    total = sum(weights) + 1e-12
    np.testing.assert_allclose(got["by_example"], per / total, rtol=1e-5)
    np.testing.assert_allclose(got["by_example_sum"], per, rtol=1e-5)
    np.testing.assert_allclose(got["loss"], (per / total).sum() / 2, rtol=1e-5)
    np.testing.assert_allclose(got["no_batch"], (per / total).sum(), rtol=1e-5)
    np.testing.assert_allclose(got["no_avg"], per.sum(), rtol=1e-5)
    custom = sum(w * lg.sum(1) * t for lg, t, w in zip(logits, targets, weights)) / total
    np.testing.assert_allclose(got["custom"], custom.sum() / 2, rtol=1e-5)
    with pytest.raises(ValueError, match="Lengths of logits, weights, and targets"):
        s2s.sequence_loss_by_example(args[0], args[1][:2], args[2])


# -- model_with_buckets ---------------------------------------------------------------------------

def test_model_with_buckets_shares_variables_across_buckets():
    enc = [tf.placeholder(tf.int32, [2]) for _ in range(4)]
    dec = [tf.placeholder(tf.int32, [2]) for _ in range(4)]
    targets = dec[1:] + [tf.zeros([2], tf.int32)]
    weights = [tf.ones([2])] * 4

    def seq2seq(e, d):
        return s2s.embedding_attention_seq2seq(e, d, rc.GRUCell(3), 6, 6, 3)

    with tf.variable_scope("root"):
        outputs, losses = s2s.model_with_buckets(enc, dec, targets, weights, [(2, 2), (4, 4)],
                                                 seq2seq)
    with tf.variable_scope("root", reuse=True):
        _, per_example = s2s.model_with_buckets(enc, dec, targets, weights, [(3, 2)],
                                                seq2seq, per_example_loss=True, name="pe")
    assert [len(o) for o in outputs] == [2, 4]
    assert len(tf.global_variables()) == 20           # one model's variables, shared
    feed = {p: np.array([1, 2]) for p in enc + dec}
    got = _run(losses + per_example, feed)
    assert got[0].shape == () and got[1].shape == () and got[2].shape == (2,)
    assert losses[0].name.startswith("root/model_with_buckets/")
    with pytest.raises(ValueError, match="Length of encoder_inputs \\(4\\) must be at least"):
        s2s.model_with_buckets(enc, dec, targets, weights, [(5, 2)], seq2seq)
    with pytest.raises(ValueError, match="Length of targets \\(4\\)"):
        s2s.model_with_buckets(enc, dec, targets, weights, [(2, 5)], seq2seq)


# -- learning -----------------------------------------------------------------------------------

def test_embedding_attention_seq2seq_learns_to_copy():
    rs = np.random.RandomState(4)
    length, vocab, batch = 3, 6, 16
    enc = [tf.placeholder(tf.int32, [batch]) for _ in range(length)]
    dec = [tf.placeholder(tf.int32, [batch]) for _ in range(length + 1)]
    tf.set_random_seed(5)
    outs, _ = s2s.embedding_attention_seq2seq(enc, dec, rc.GRUCell(16), vocab, vocab, 8)
    targets = dec[1:] + [tf.zeros([batch], tf.int32)]
    loss = s2s.sequence_loss(outs, targets, [tf.ones([batch])] * (length + 1))
    step = tf.train.AdamOptimizer(0.05).minimize(loss)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(100):
            seq = rs.randint(2, vocab, [length, batch])
            feed = dict(zip(enc, seq))
            feed.update(zip(dec, [np.ones(batch, np.int32)] + list(seq)))   # GO = 1
            losses.append(sess.run([loss, step], feed)[0])
    assert np.mean(losses[-10:]) < 0.25 * np.mean(losses[:5]), losses[::10]
