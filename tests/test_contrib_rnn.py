"""tf.contrib.rnn (TF 1.15): the core re-exports are the very objects of tf.nn, contrib's cells
make TF 1.15's variable names and shapes and compute TF's math (hand-written NumPy, and
`tf.raw_ops.LSTMBlockCell`/`BlockLSTM` results recorded from TF 2.21), with gradients, state
structures and TF's errors. Behaviours taken from TF 1.15's contrib/rnn sources and
kernel_tests (lstm_ops_test, gru_ops_test, rnn_cell_test, rnn_test)."""
import numpy as np
import pytest

import minitf as tf
from minitf.contrib import rnn as contrib_rnn

rc = tf.nn.rnn_cell
RS = np.random.RandomState


def _names():
    return [(v.name, v.shape.as_list()) for v in tf.global_variables()]


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _run(fetches, assign=()):
    """Initializes the variables, loads `assign` ({variable: value}) and runs `fetches`."""
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for var, value in assign:
            var.load(value, sess)
        return sess.run(fetches)


# -- re-exports ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["RNNCell", "BasicRNNCell", "BasicLSTMCell", "GRUCell",
                                  "LSTMCell", "LSTMStateTuple", "DropoutWrapper", "MultiRNNCell",
                                  "DeviceWrapper", "ResidualWrapper"])
def test_core_cells_are_the_objects_of_tf_nn_rnn_cell(name):
    assert getattr(contrib_rnn, name) is getattr(tf.nn.rnn_cell, name)


@pytest.mark.parametrize("name", ["static_rnn", "static_bidirectional_rnn",
                                  "static_state_saving_rnn"])
def test_core_drivers_are_the_functions_of_tf_nn(name):
    assert getattr(contrib_rnn, name) is getattr(tf.nn, name)


def test_all_lists_every_exported_name():
    assert sorted(contrib_rnn.__all__) == sorted(
        n for n in vars(contrib_rnn) if not n.startswith("_") and n[0].isupper()
        or n in ("static_rnn", "static_state_saving_rnn", "static_bidirectional_rnn",
                 "stack_bidirectional_rnn", "stack_bidirectional_dynamic_rnn"))


# -- LSTMBlockCell ---------------------------------------------------------------------------

def _block_inputs(with_rng=False):
    rs = RS(0)
    x = rs.uniform(-1, 1, (2, 3)).astype(np.float32)
    cs = rs.uniform(-1, 1, (2, 4)).astype(np.float32)
    h = rs.uniform(-1, 1, (2, 4)).astype(np.float32)
    w = rs.uniform(-1, 1, (7, 16)).astype(np.float32)
    b = rs.uniform(-1, 1, (16,)).astype(np.float32)
    peep = [rs.uniform(-1, 1, (4,)).astype(np.float32) for _ in range(3)]
    return (x, cs, h, w, b, peep) + ((rs,) if with_rng else ())


# tf.raw_ops.LSTMBlockCell(x, cs, h, w, wci, wcf, wco, b, forget_bias=1.0, ...) under TF 2.21
# on _block_inputs() (outputs cs and h): without peepholes and cell_clip=-1, ...
RAW_CS = [[0.1582767, 0.6733137, 1.1845218, -0.3973305],
          [0.8167563, 0.0288753, -0.3371239, 0.6536145]]
RAW_H = [[0.044038, 0.4548701, 0.2909308, -0.2661552],
         [0.3406618, 0.0132915, -0.2454198, 0.318113]]
# ... and with use_peephole=True, cell_clip=0.3
RAW_PEEP_CS = [[0.1687493, 0.3, 0.3, -0.3], [0.3, 0.0290031, -0.3, 0.3]]
RAW_PEEP_H = [[0.0458493, 0.2116163, 0.1102422, -0.2069806],
              [0.1433364, 0.0131705, -0.2134761, 0.1594098]]


@pytest.mark.parametrize("peephole, clip, want_cs, want_h", [
    (False, None, RAW_CS, RAW_H), (True, 0.3, RAW_PEEP_CS, RAW_PEEP_H)])
def test_lstm_block_cell_matches_tf_raw_op(peephole, clip, want_cs, want_h):
    x, cs, h, w, b, peep = _block_inputs()
    cell = contrib_rnn.LSTMBlockCell(4, cell_clip=clip, use_peephole=peephole)
    out, state = cell(tf.constant(x), rc.LSTMStateTuple(tf.constant(cs), tf.constant(h)))
    assert isinstance(state, rc.LSTMStateTuple) and out is state.h
    assign = list(zip(cell.variables, [w, b] + (peep if peephole else [])))
    got_out, got_state = _run([out, state], assign)
    np.testing.assert_allclose(got_state.c, want_cs, atol=2e-6)
    np.testing.assert_allclose(got_state.h, want_h, atol=2e-6)
    np.testing.assert_allclose(got_out, want_h, atol=2e-6)


def test_lstm_block_cell_variables_and_gate_layout_are_lstm_cells():
    # TF: "The weight and bias matrices should be compatible as long as the variable scope
    # matches": the same kernel gives LSTMCell's values (gate columns i, j(ci), f, o)
    x = tf.constant(RS(1).uniform(-1, 1, (2, 3, 5)).astype(np.float32))
    init = tf.random_uniform_initializer(-0.5, 0.5, seed=3)
    with tf.variable_scope("block", initializer=init):
        out_b, st_b = tf.nn.dynamic_rnn(
            contrib_rnn.LSTMBlockCell(4, use_peephole=True, cell_clip=0.2, forget_bias=0.5), x,
            dtype=tf.float32)
    with tf.variable_scope("core", initializer=init):
        out_c, st_c = tf.nn.dynamic_rnn(
            rc.LSTMCell(4, use_peepholes=True, cell_clip=0.2, forget_bias=0.5), x,
            dtype=tf.float32)
    assert _names()[:5] == [("block/rnn/lstm_cell/kernel:0", [9, 16]),
                            ("block/rnn/lstm_cell/bias:0", [16]),
                            ("block/rnn/lstm_cell/w_i_diag:0", [4]),
                            ("block/rnn/lstm_cell/w_f_diag:0", [4]),
                            ("block/rnn/lstm_cell/w_o_diag:0", [4])]
    variables = tf.global_variables()
    core = {v.name.replace("core/", "block/"): v for v in variables[5:]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for v in variables[:5]:
            v.load(sess.run(core[v.name]) + 0.1, sess)  # any values, equal in both
            core[v.name].load(sess.run(v), sess)
        ob, sb, oc, sc = sess.run([out_b, st_b, out_c, st_c])
    np.testing.assert_allclose(ob, oc, atol=1e-6)
    np.testing.assert_allclose(sb.c, sc.c, atol=1e-6)
    assert np.abs(sb.c).max() <= 0.2 + 1e-7


def test_lstm_block_cell_default_scope_is_uniquified_and_reused():
    x = tf.ones([2, 3])
    cell = contrib_rnn.LSTMBlockCell(2)
    state = cell.zero_state(2, tf.float32)
    cell(x, state)
    cell(x, state)
    contrib_rnn.LSTMBlockCell(2)(x, state)
    assert [n for n, _ in _names()] == ["lstm_cell/kernel:0", "lstm_cell/bias:0",
                                        "lstm_cell_1/kernel:0", "lstm_cell_1/bias:0"]
    assert cell.state_size == (2, 2) and cell.output_size == 2


def test_lstm_block_cell_errors_as_tf():
    cell = contrib_rnn.LSTMBlockCell(2)
    with pytest.raises(ValueError, match="Expecting state to be a tuple with length 2."):
        cell(tf.ones([2, 3]), (tf.zeros([2, 2]),) * 3)
    with pytest.raises(ValueError, match="expected ndim=2, found ndim=3"):
        contrib_rnn.LSTMBlockCell(2)(tf.ones([2, 3, 3]), (tf.zeros([2, 2]),) * 2)


def test_lstm_block_cell_gradients():
    rs = RS(4)
    x = tf.placeholder(tf.float64, [2, 3])
    c = tf.placeholder(tf.float64, [2, 4])
    h = tf.placeholder(tf.float64, [2, 4])
    with tf.variable_scope("g", initializer=tf.random_uniform_initializer(-0.5, 0.5, seed=1)):
        cell = contrib_rnn.LSTMBlockCell(4, use_peephole=True, cell_clip=0.8, dtype=tf.float64)
        out, st = cell(x, rc.LSTMStateTuple(c, h))
    y = out + 0.5 * st.c
    values = [rs.uniform(-1, 1, s) for s in ([2, 3], [2, 4], [2, 4])]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        feeds = dict(zip([x, c, h], values))  # (each x is checked with the others fed)
        error = tf.test.compute_gradient_error([x, c, h], [[2, 3], [2, 4], [2, 4]], y, [2, 4],
                                               x_init_value=values, extra_feed_dict=feeds)
        assert error < 1e-6
        kernel, bias = cell.variables[:2]
        # at the initialized values: the checker's default, unseeded random ones may put a
        # cell value within the step of the clip, where central differences straddle the kink
        error = tf.test.compute_gradient_error([kernel, bias], [[7, 16], [16]], y, [2, 4],
                                               x_init_value=sess.run([kernel, bias]),
                                               extra_feed_dict=feeds)
        assert error < 1e-6


# -- LSTMBlockFusedCell ----------------------------------------------------------------------

# tf.raw_ops.BlockLSTM(seq_len_max=2, x=xs, cs_prev=cs, h_prev=h, w, wci, wcf, wco, b,
# forget_bias=1.0, cell_clip=-1.0, use_peephole=False) under TF 2.21, on _block_inputs() and
# xs = RandomState(0)'s next uniform(-1, 1, (3, 2, 3)) draw: h of steps 0 and 1 (step 2 is past
# seq_len_max, zeros)
RAW_BLOCK_H = [[[0.0286063, 0.2635739, 0.438838, -0.20461],
                [0.0904515, 0.3839501, -0.1103803, 0.5509052]],
               [[-0.0306576, 0.4413278, 0.4658107, -0.3356177],
                [0.2620996, 0.4667265, 0.0656941, 0.6251612]]]


def test_lstm_block_fused_cell_matches_tf_block_lstm():
    _, cs, h, w, b, _, rs = _block_inputs(with_rng=True)
    xs = rs.uniform(-1, 1, (3, 2, 3)).astype(np.float32)
    cell = contrib_rnn.LSTMBlockFusedCell(4)
    out, state = cell(tf.constant(xs[:2]), initial_state=(tf.constant(cs), tf.constant(h)))
    assert [n for n, _ in _names()] == ["lstm_fused_cell/kernel:0", "lstm_fused_cell/bias:0"]
    got, got_state = _run([out, state], zip(cell.variables, [w, b]))
    np.testing.assert_allclose(got, RAW_BLOCK_H, atol=2e-6)
    np.testing.assert_allclose(got_state.h, RAW_BLOCK_H[-1], atol=2e-6)


def test_lstm_block_fused_cell_equals_dynamic_rnn_with_sequence_length():
    xs = RS(5).uniform(-1, 1, (4, 3, 2)).astype(np.float32)  # time-major
    lengths = [4, 2, 0]
    init = tf.random_uniform_initializer(-0.5, 0.5, seed=7)
    with tf.variable_scope("a", initializer=init):
        fused = contrib_rnn.LSTMBlockFusedCell(3, use_peephole=True, cell_clip=0.4,
                                               name="lstm_cell")
        out_f, st_f = fused(tf.constant(xs), dtype=tf.float32, sequence_length=lengths)
    with tf.variable_scope("b", initializer=init):
        out_d, st_d = tf.nn.dynamic_rnn(
            contrib_rnn.LSTMBlockCell(3, use_peephole=True, cell_clip=0.4), tf.constant(xs),
            sequence_length=lengths, dtype=tf.float32, time_major=True)
    names = [n for n, _ in _names()]
    assert names[:5] == ["a/lstm_cell/kernel:0", "a/lstm_cell/bias:0", "a/lstm_cell/w_i_diag:0",
                         "a/lstm_cell/w_f_diag:0", "a/lstm_cell/w_o_diag:0"]
    got = _run([out_f, st_f, out_d, st_d])
    np.testing.assert_allclose(got[0], got[2], atol=1e-6)
    np.testing.assert_allclose(got[1].c, got[3].c, atol=1e-6)
    np.testing.assert_allclose(got[1].h, got[3].h, atol=1e-6)
    assert not got[0][:, 2].any() and not got[1].c[2].any()  # length 0: the initial zeros


def test_lstm_block_fused_cell_list_inputs_and_errors():
    cell = contrib_rnn.LSTMBlockFusedCell(2)
    steps = [tf.ones([3, 4])] * 5
    outs, state = cell(steps, dtype=tf.float32)
    assert isinstance(outs, list) and len(outs) == 5 and outs[0].shape.as_list()[1] == 2
    assert isinstance(state, rc.LSTMStateTuple)
    with pytest.raises(ValueError, match="Either initial_state or dtype needs to be specified"):
        contrib_rnn.LSTMBlockFusedCell(2)(tf.ones([5, 3, 4]))
    with pytest.raises(ValueError, match="Expecting initial_state to be a tuple with length 2"):
        contrib_rnn.LSTMBlockFusedCell(2)(tf.ones([5, 3, 4]), initial_state=(tf.ones([3, 2]),))
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        contrib_rnn.LSTMBlockFusedCell(2)(tf.ones([3, 4]), dtype=tf.float32)


def test_lstm_block_fused_cell_gradients():
    x = tf.placeholder(tf.float64, [3, 2, 2])
    with tf.variable_scope("g", initializer=tf.random_uniform_initializer(-0.5, 0.5, seed=2)):
        out, state = contrib_rnn.LSTMBlockFusedCell(3, dtype=tf.float64)(
            x, dtype=tf.float64, sequence_length=[3, 1])
    y = tf.reduce_sum(out, 0) + state.c
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        error = tf.test.compute_gradient_error(x, [3, 2, 2], y, [2, 3],
                                               x_init_value=RS(3).uniform(-1, 1, (3, 2, 2)))
    assert error < 1e-6


# -- GRUBlockCell ----------------------------------------------------------------------------

def test_gru_block_cells_variable_names_as_tf():
    x = tf.ones([2, 3, 4])
    tf.nn.dynamic_rnn(contrib_rnn.GRUBlockCell(5), x, dtype=tf.float32, scope="v1")
    tf.nn.dynamic_rnn(contrib_rnn.GRUBlockCellV2(cell_size=5), x, dtype=tf.float32, scope="v2")
    # GRUBlockCell's gate kernel is named w_c and its candidate kernel w_ru (as TF)
    assert _names() == [
        ("v1/gru_cell/w_c:0", [9, 10]), ("v1/gru_cell/b_ru:0", [10]),
        ("v1/gru_cell/w_ru:0", [9, 5]), ("v1/gru_cell/b_c:0", [5]),
        ("v2/gru_cell/gates/kernel:0", [9, 10]), ("v2/gru_cell/gates/bias:0", [10]),
        ("v2/gru_cell/candidate/kernel:0", [9, 5]), ("v2/gru_cell/candidate/bias:0", [5])]
    biases = _run([tf.global_variables()[1], tf.global_variables()[3]])
    assert (biases[0] == 1).all() and (biases[1] == 0).all()


def test_gru_block_cell_values_by_hand_and_as_gru_cell():
    rs = RS(6)
    x, h = rs.uniform(-1, 1, (2, 3)), rs.uniform(-1, 1, (2, 4))
    w_ru, w_c = rs.uniform(-1, 1, (7, 8)), rs.uniform(-1, 1, (7, 4))
    b_ru, b_c = rs.uniform(-1, 1, 8), rs.uniform(-1, 1, 4)
    block = contrib_rnn.GRUBlockCell(4)
    out, state = block(tf.constant(x), tf.constant(h))
    core = rc.GRUCell(4, dtype=tf.float64)
    out_core, _ = core(tf.constant(x), tf.constant(h))
    got = _run([out, state, out_core], list(zip(block.variables, [w_ru, b_ru, w_c, b_c]))
               + list(zip(core.variables, [w_ru, b_ru, w_c, b_c])))
    r, u = np.split(_sigmoid(np.concatenate([x, h], 1) @ w_ru + b_ru), 2, 1)
    c = np.tanh(np.concatenate([x, r * h], 1) @ w_c + b_c)
    want = (1 - u) * c + u * h
    np.testing.assert_allclose(got[0], want, rtol=1e-12)
    np.testing.assert_allclose(got[1], want, rtol=1e-12)
    np.testing.assert_allclose(got[2], want, rtol=1e-12)


def test_gru_block_cell_errors_as_tf():
    for kwargs in ({}, {"num_units": 2, "cell_size": 2}):
        with pytest.raises(ValueError, match="Exactly one of num_units or cell_size"):
            contrib_rnn.GRUBlockCell(**kwargs)
    with pytest.raises(ValueError, match="Shape of h_prev\\[1\\] incorrect: cell_size 2 vs 3"):
        contrib_rnn.GRUBlockCell(2)(tf.ones([1, 3]), tf.ones([1, 3]))


# -- stacked bidirectional drivers -----------------------------------------------------------

def test_stack_bidirectional_dynamic_rnn_names_shapes_and_layers():
    x = tf.constant(RS(7).uniform(-1, 1, (2, 5, 3)).astype(np.float32))
    out, st_fw, st_bw = contrib_rnn.stack_bidirectional_dynamic_rnn(
        [rc.BasicRNNCell(2), rc.LSTMCell(3)], [rc.BasicRNNCell(4), rc.LSTMCell(1)], x,
        dtype=tf.float32, sequence_length=[5, 3])
    assert _names() == [
        ("stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/basic_rnn_cell/kernel:0", [5, 2]),
        ("stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/basic_rnn_cell/bias:0", [2]),
        ("stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/basic_rnn_cell/kernel:0", [7, 4]),
        ("stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/basic_rnn_cell/bias:0", [4]),
        ("stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/lstm_cell/kernel:0", [9, 12]),
        ("stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/lstm_cell/bias:0", [12]),
        ("stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/lstm_cell/kernel:0", [7, 4]),
        ("stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/lstm_cell/bias:0", [4])]
    assert out.shape.as_list() == [2, 5, 4]
    assert len(st_fw) == 2 and isinstance(st_fw[1], rc.LSTMStateTuple)
    assert st_bw[0].shape.as_list() == [2, 4]
    got = _run(out)
    assert not got[1, 3:].any()  # past the length: zeros from both directions


def test_stack_bidirectional_dynamic_rnn_is_a_stack_of_bidirectional_dynamic_rnns():
    x = tf.constant(RS(8).uniform(-1, 1, (4, 2, 3)).astype(np.float32))  # time-major
    init = tf.random_uniform_initializer(-0.5, 0.5, seed=4)
    with tf.variable_scope("s", initializer=init):
        out, _, st_bw = contrib_rnn.stack_bidirectional_dynamic_rnn(
            [rc.GRUCell(2), rc.GRUCell(2)], [rc.GRUCell(2), rc.GRUCell(2)], x,
            dtype=tf.float32, time_major=True)
    with tf.variable_scope("m", initializer=init):
        layer = x
        for k in range(2):
            with tf.variable_scope(f"cell_{k}"):
                outs, (_, last_bw) = tf.nn.bidirectional_dynamic_rnn(
                    rc.GRUCell(2), rc.GRUCell(2), layer, dtype=tf.float32, time_major=True)
                layer = tf.concat(outs, 2)
    got = _run([out, st_bw[1], layer, last_bw])
    np.testing.assert_allclose(got[0], got[2], rtol=1e-6)
    np.testing.assert_allclose(got[1], got[3], rtol=1e-6)


def test_stack_bidirectional_rnn_passes_its_layer_scope_as_tf():
    # TF 1.15 hands `cell_<k>` itself to static_bidirectional_rnn: no bidirectional_rnn level
    steps = tf.unstack(tf.constant(RS(9).uniform(-1, 1, (3, 2, 4)).astype(np.float32)))
    init = [tf.zeros([2, 3])]
    out, st_fw, st_bw = contrib_rnn.stack_bidirectional_rnn(
        [rc.GRUCell(3)], [rc.BasicRNNCell(1)], steps, initial_states_fw=init, dtype=tf.float32,
        sequence_length=[3, 1])
    assert [n for n, _ in _names()] == [
        "stack_bidirectional_rnn/cell_0/fw/gru_cell/gates/kernel:0",
        "stack_bidirectional_rnn/cell_0/fw/gru_cell/gates/bias:0",
        "stack_bidirectional_rnn/cell_0/fw/gru_cell/candidate/kernel:0",
        "stack_bidirectional_rnn/cell_0/fw/gru_cell/candidate/bias:0",
        "stack_bidirectional_rnn/cell_0/bw/basic_rnn_cell/kernel:0",
        "stack_bidirectional_rnn/cell_0/bw/basic_rnn_cell/bias:0"]
    assert len(out) == 3 and out[0].shape.as_list() == [2, 4]
    assert isinstance(st_fw, tuple) and st_bw[0].shape.as_list() == [2, 1]


@pytest.mark.parametrize("fw, bw, kwargs, message", [
    ([], [1], {}, "Must specify at least one fw cell for BidirectionalRNN."),
    ([1], [], {}, "Must specify at least one bw cell for BidirectionalRNN."),
    ((1,), [1], {}, "cells_fw must be a list of RNNCells"),
    ([1], (1,), {}, "cells_bw must be a list of RNNCells"),
    ([1], [1, 2], {}, "Forward and Backward cells must have the same depth."),
    ([1], [1], {"initial_states_fw": [1, 2]}, "initial_states_fw must be a list of state"),
    ([1], [1], {"initial_states_bw": 1}, "initial_states_bw must be a list of state"),
])
def test_stack_bidirectional_errors_as_tf(fw, bw, kwargs, message):
    for driver in (contrib_rnn.stack_bidirectional_rnn,
                   contrib_rnn.stack_bidirectional_dynamic_rnn):
        with pytest.raises(ValueError, match=message):
            driver(fw, bw, [tf.ones([1, 1])], **kwargs)


# -- layer-normalized cells ------------------------------------------------------------------

def _ln(z):
    return (z - z.mean(1, keepdims=True)) / np.sqrt(z.var(1, keepdims=True) + 1e-12)


def test_layer_norm_basic_lstm_cell_names_and_values_by_hand():
    rs = RS(10)
    x, c, h = rs.uniform(-1, 1, (2, 3)), rs.uniform(-1, 1, (2, 4)), rs.uniform(-1, 1, (2, 4))
    kernel = rs.uniform(-1, 1, (7, 16))
    cell = contrib_rnn.LayerNormBasicLSTMCell(4, forget_bias=0.7, norm_gain=1.5, norm_shift=0.2)
    with tf.variable_scope("ln", dtype=tf.float64):
        out, state = cell(tf.constant(x), rc.LSTMStateTuple(tf.constant(c), tf.constant(h)))
    assert _names() == [("ln/layer_norm_basic_lstm_cell/kernel:0", [7, 16])] + [
        (f"ln/layer_norm_basic_lstm_cell/{s}/{p}:0", [4])
        for s in ("input", "transform", "forget", "output", "state") for p in ("gamma", "beta")]
    got_out, got_state = _run([out, state], [(cell.variables[0], kernel)])
    i, j, f, o = [_ln(g) * 1.5 + 0.2 for g in np.split(np.concatenate([x, h], 1) @ kernel, 4, 1)]
    new_c = _ln(c * _sigmoid(f + 0.7) + _sigmoid(i) * np.tanh(j)) * 1.5 + 0.2
    new_h = np.tanh(new_c) * _sigmoid(o)
    np.testing.assert_allclose(got_state.c, new_c, rtol=1e-10)
    np.testing.assert_allclose(got_out, new_h, rtol=1e-10)
    assert isinstance(got_state, rc.LSTMStateTuple)


def test_layer_norm_basic_lstm_cell_without_norm_has_a_bias_and_drops_the_candidate():
    x = tf.ones([3, 2])
    cell = contrib_rnn.LayerNormBasicLSTMCell(5, layer_norm=False, dropout_keep_prob=0.5,
                                              dropout_prob_seed=1)
    cell(x, cell.zero_state(3, tf.float32))
    assert _names() == [("layer_norm_basic_lstm_cell/kernel:0", [7, 20]),
                        ("layer_norm_basic_lstm_cell/bias:0", [20])]
    ops = [op.type for op in tf.get_default_graph().get_operations()]
    assert "RandomUniform" in ops


def test_layer_norm_basic_lstm_cell_gradients():
    x = tf.placeholder(tf.float64, [2, 3])
    c = tf.placeholder(tf.float64, [2, 4])
    with tf.variable_scope("g", dtype=tf.float64,
                           initializer=tf.random_uniform_initializer(-0.5, 0.5, seed=5)):
        cell = contrib_rnn.LayerNormBasicLSTMCell(4)
        out, st = cell(x, rc.LSTMStateTuple(c, tf.zeros([2, 4], tf.float64)))
    rs = RS(11)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = [rs.uniform(-1, 1, (2, 3)), rs.uniform(-1, 1, (2, 4))]
        error = tf.test.compute_gradient_error([x, c], [[2, 3], [2, 4]], out + st.c, [2, 4],
                                               x_init_value=values, delta=1e-6,
                                               extra_feed_dict=dict(zip([x, c], values)))
    assert error < 1e-6


def test_layer_norm_basic_gru_cell_names_and_values_by_hand():
    rs = RS(12)
    x, h = rs.uniform(-1, 1, (2, 3)), rs.uniform(-1, 1, (2, 4))
    ks = [rs.uniform(-1, 1, s) for s in ((7, 4), (7, 4), (3, 4), (4, 4))]
    cell = contrib_rnn.LayerNormBasicGRUCell(4)
    with tf.variable_scope("g", dtype=tf.float64):
        out, state = cell(tf.constant(x), tf.constant(h))
    parts = ("update_gate", "reset_gate", "candidate_linear_x", "candidate_linear_h")
    assert [n for n, _ in _names()] == (
        [f"g/layer_norm_basic_gru_cell/{p}/{v}:0" for p in parts for v in ("gamma", "beta")]
        + [f"g/layer_norm_basic_gru_cell/{p}/kernel:0" for p in parts])
    got = _run(out, zip(cell.variables[8:], ks))
    xh = np.concatenate([x, h], 1)
    z, r = _sigmoid(_ln(xh @ ks[0])), _sigmoid(_ln(xh @ ks[1]))
    want = (1 - z) * h + z * np.tanh(_ln(x @ ks[2]) + r * _ln(h @ ks[3]))
    np.testing.assert_allclose(got, want, rtol=1e-10)
    assert state is out


# -- wrappers --------------------------------------------------------------------------------

def test_highway_wrapper_variables_in_the_callers_scope_and_values():
    rs = RS(13)
    x = rs.uniform(-1, 1, (2, 3)).astype(np.float32)
    w_t = rs.uniform(-1, 1, (3, 3)).astype(np.float32)
    cell = contrib_rnn.HighwayWrapper(rc.BasicRNNCell(3),
                                      couple_carry_transform_gates=False, carry_bias_init=0.5)
    outs, _ = tf.nn.static_rnn(cell, [tf.constant(x)] * 2, dtype=tf.float32)
    assert [n for n, _ in _names()] == [
        "rnn/basic_rnn_cell/kernel:0", "rnn/basic_rnn_cell/bias:0", "rnn/carry_w:0",
        "rnn/carry_b:0", "rnn/transform_w:0", "rnn/transform_b:0"]
    variables = tf.global_variables()
    assert len(cell.variables) == 6
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        variables[4].load(w_t, sess)
        got, (k, b, cw, cb, tb) = sess.run([outs[0], [variables[i] for i in (0, 1, 2, 3, 5)]])
    assert (cb == 0.5).all() and (tb == -0.5).all()
    inner = np.tanh(np.concatenate([x, np.zeros((2, 3))], 1) @ k + b)
    want = x * _sigmoid(x @ cw + cb) + inner * _sigmoid(x @ w_t + tb)
    np.testing.assert_allclose(got, want, rtol=1e-5)


def test_highway_wrapper_needs_outputs_shaped_as_inputs():
    cell = contrib_rnn.HighwayWrapper(rc.GRUCell(2))
    with pytest.raises(ValueError):
        cell(tf.ones([1, 3]), tf.zeros([1, 2]))


def test_attention_cell_wrapper_names_and_state_structure():
    cell = contrib_rnn.AttentionCellWrapper(rc.LSTMCell(3), attn_length=4, attn_vec_size=5)
    assert cell.state_size == (rc.LSTMStateTuple(3, 3), 3, 12) and cell.output_size == 3
    out, state = tf.nn.dynamic_rnn(cell, tf.ones([2, 6, 2]), dtype=tf.float32)
    prefix = "rnn/attention_cell_wrapper/"
    assert _names() == [(prefix + n, s) for n, s in [
        ("kernel:0", [5, 2]), ("bias:0", [2]), ("lstm_cell/kernel:0", [5, 12]),
        ("lstm_cell/bias:0", [12]), ("attention/attn_w:0", [1, 1, 3, 5]),
        ("attention/attn_v:0", [5]), ("attention/kernel:0", [6, 5]), ("attention/bias:0", [5]),
        ("attn_output_projection/kernel:0", [6, 3]), ("attn_output_projection/bias:0", [3])]]
    assert isinstance(state[0], rc.LSTMStateTuple)
    assert [s.shape.as_list() for s in state[1:]] == [[2, 3], [2, 12]]
    assert len(cell.variables) == 10
    got_out, got_state = _run([out, state])
    # the window holds the last attn_length outputs, newest last
    np.testing.assert_allclose(got_state[2].reshape(2, 4, 3), got_out[:, 2:], rtol=1e-6)


def _attention_step_by_hand(x, state, w):
    (c, h), attns, window = state
    inp = np.concatenate([x, attns], 1) @ w["kernel"] + w["bias"]
    gates = np.concatenate([inp, h], 1) @ w["lstm_kernel"] + w["lstm_bias"]
    i, j, f, o = np.split(gates, 4, 1)
    new_c = _sigmoid(f + 1.0) * c + _sigmoid(i) * np.tanh(j)
    new_h = _sigmoid(o) * np.tanh(new_c)
    hidden = window.reshape(-1, 2, 3)
    features = hidden @ w["attn_w"].reshape(3, 3)
    y = np.concatenate([new_c, new_h], 1) @ w["q_kernel"] + w["q_bias"]
    s = (w["attn_v"] * np.tanh(features + y[:, None, :])).sum(2)
    a = np.exp(s) / np.exp(s).sum(1, keepdims=True)
    read = (a[:, :, None] * hidden).sum(1)
    out = np.concatenate([new_h, read], 1) @ w["p_kernel"] + w["p_bias"]
    new_window = np.concatenate([hidden[:, 1:], out[:, None]], 1).reshape(-1, 6)
    return out, ((new_c, new_h), read, new_window)


def test_attention_cell_wrapper_values_by_hand_with_concatenated_state():
    rs = RS(14)
    cell = contrib_rnn.AttentionCellWrapper(rc.LSTMCell(3, state_is_tuple=False, dtype=tf.float64),
                                            attn_length=2, state_is_tuple=False)
    assert cell.state_size == 6 + 3 + 6
    x = rs.uniform(-1, 1, (2, 4))
    state = rs.uniform(-1, 1, (2, 15))
    with tf.variable_scope("a", dtype=tf.float64):
        out, new_state = cell(tf.constant(x), tf.constant(state))
    keys = ["kernel", "bias", "lstm_kernel", "lstm_bias", "attn_w", "attn_v", "q_kernel",
            "q_bias", "p_kernel", "p_bias"]
    values = {k: rs.uniform(-1, 1, v.shape.as_list())
              for k, v in zip(keys, tf.global_variables())}
    got = _run([out, new_state], zip(tf.global_variables(), [values[k] for k in keys]))
    split = ((state[:, :3], state[:, 3:6]), state[:, 6:9], state[:, 9:])
    want_out, ((c, h), read, window) = _attention_step_by_hand(x, split, values)
    np.testing.assert_allclose(got[0], want_out, rtol=1e-10)
    np.testing.assert_allclose(got[1], np.concatenate([c, h, read, window], 1), rtol=1e-10)


def test_attention_cell_wrapper_gradients_and_errors():
    x = tf.placeholder(tf.float64, [2, 2])
    with tf.variable_scope("g", dtype=tf.float64,
                           initializer=tf.random_uniform_initializer(-0.5, 0.5, seed=6)):
        cell = contrib_rnn.AttentionCellWrapper(rc.GRUCell(3, dtype=tf.float64), attn_length=2)
        state = tf.nest.map_structure(lambda s: s + 0.3, cell.zero_state(2, tf.float64))
        out, _ = cell(x, state)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        error = tf.test.compute_gradient_error(x, [2, 2], out, [2, 3],
                                               x_init_value=RS(15).uniform(-1, 1, (2, 2)))
    assert error < 1e-6
    with pytest.raises(TypeError, match="The parameter cell is not RNNCell."):
        contrib_rnn.AttentionCellWrapper(object(), 2)
    with pytest.raises(ValueError, match="state_is_tuple is not set"):
        contrib_rnn.AttentionCellWrapper(rc.LSTMCell(2), 2, state_is_tuple=False)
    with pytest.raises(ValueError, match="attn_length should be greater than zero, got 0"):
        contrib_rnn.AttentionCellWrapper(rc.GRUCell(2), 0)


# -- UGRNN and Intersection RNN --------------------------------------------------------------

def test_ugrnn_cell_names_and_values_by_hand():
    rs = RS(16)
    x, h, k = rs.uniform(-1, 1, (2, 3)), rs.uniform(-1, 1, (2, 4)), rs.uniform(-1, 1, (7, 8))
    cell = contrib_rnn.UGRNNCell(4, forget_bias=0.5)
    with tf.variable_scope("u", dtype=tf.float64):
        out, state = cell(tf.constant(x), tf.constant(h))
    assert _names() == [("u/ugrnn_cell/kernel:0", [7, 8]), ("u/ugrnn_cell/bias:0", [8])]
    got = _run(out, [(cell.variables[0], k)])
    g_act, c_act = np.split(np.concatenate([x, h], 1) @ k, 2, 1)
    g = _sigmoid(g_act + 0.5)
    np.testing.assert_allclose(got, g * h + (1 - g) * np.tanh(c_act), rtol=1e-10)
    assert state is out


def test_intersection_rnn_cell_names_values_and_errors():
    rs = RS(17)
    x, h = rs.uniform(-1, 1, (2, 3)), rs.uniform(-1, 1, (2, 4))
    kp, k = rs.uniform(-1, 1, (3, 4)), rs.uniform(-1, 1, (8, 16))
    cell = contrib_rnn.IntersectionRNNCell(4, num_in_proj=4)
    with tf.variable_scope("p", dtype=tf.float64):
        y, state = cell(tf.constant(x), tf.constant(h))
    assert _names() == [("p/intersection_rnn_cell/in_projection/kernel:0", [3, 4]),
                        ("p/intersection_rnn_cell/in_projection/bias:0", [4]),
                        ("p/intersection_rnn_cell/kernel:0", [8, 16]),
                        ("p/intersection_rnn_cell/bias:0", [16])]
    got_y, got_state = _run([y, state], [(cell.variables[0], kp), (cell.variables[2], k)])
    xp = x @ kp
    gh, h_act, gy, y_act = np.split(np.concatenate([xp, h], 1) @ k, 4, 1)
    gh, gy = _sigmoid(gh + 1.0), _sigmoid(gy + 1.0)
    np.testing.assert_allclose(got_state, gh * h + (1 - gh) * np.tanh(h_act), rtol=1e-10)
    np.testing.assert_allclose(got_y, gy * xp + (1 - gy) * np.maximum(y_act, 0), rtol=1e-10)
    with pytest.raises(ValueError, match="Must have input size == output size"):
        contrib_rnn.IntersectionRNNCell(4)(tf.ones([2, 3]), tf.zeros([2, 4]))
