"""tf.nn.rnn_cell and the RNN drivers (issue 18, item 2): TF1's variable names and shapes (so
TF1 checkpoints load), outputs, states and gradients of every cell under dynamic_rnn,
static_rnn and the bidirectional forms with sequence_length, seeded DropoutWrapper masks and
TF's errors. Expected values were checked against TF 1 graph mode (TF 2.21's legacy
rnn_cell_impl and rnn) with ../shared/tools/tfdiff-style runs."""
import numpy as np
import pytest

import minitf as tf

rc = tf.nn.rnn_cell


def _names():
    return [(v.name, v.shape.as_list()) for v in tf.global_variables()]


def test_variable_names_and_shapes_as_tf():
    x = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 10)
    with tf.variable_scope("v", initializer=tf.constant_initializer(0.1)):
        out, st = tf.nn.dynamic_rnn(rc.BasicLSTMCell(5), x, dtype=tf.float32,
                                    sequence_length=[3, 2])
        m = rc.MultiRNNCell([rc.GRUCell(3), rc.LSTMCell(4, use_peepholes=True, num_proj=2)])
        o3, s3 = tf.nn.dynamic_rnn(m, x, dtype=tf.float32, scope="m")
        o4, s4 = tf.nn.bidirectional_dynamic_rnn(rc.BasicRNNCell(2), rc.BasicRNNCell(2), x,
                                                 dtype=tf.float32)
        o5, s5 = tf.nn.static_rnn(rc.BasicRNNCell(2), tf.unstack(x, axis=1), dtype=tf.float32)
        with pytest.raises(ValueError, match="Variable v/rnn/basic_lstm_cell/kernel already "
                                             "exists, disallowed"):
            tf.nn.dynamic_rnn(rc.BasicLSTMCell(5), x, dtype=tf.float32)
    assert _names() == [
        ("v/rnn/basic_lstm_cell/kernel:0", [9, 20]), ("v/rnn/basic_lstm_cell/bias:0", [20]),
        ("v/m/multi_rnn_cell/cell_0/gru_cell/gates/kernel:0", [7, 6]),
        ("v/m/multi_rnn_cell/cell_0/gru_cell/gates/bias:0", [6]),
        ("v/m/multi_rnn_cell/cell_0/gru_cell/candidate/kernel:0", [7, 3]),
        ("v/m/multi_rnn_cell/cell_0/gru_cell/candidate/bias:0", [3]),
        ("v/m/multi_rnn_cell/cell_1/lstm_cell/kernel:0", [5, 16]),
        ("v/m/multi_rnn_cell/cell_1/lstm_cell/bias:0", [16]),
        ("v/m/multi_rnn_cell/cell_1/lstm_cell/w_f_diag:0", [4]),
        ("v/m/multi_rnn_cell/cell_1/lstm_cell/w_i_diag:0", [4]),
        ("v/m/multi_rnn_cell/cell_1/lstm_cell/w_o_diag:0", [4]),
        ("v/m/multi_rnn_cell/cell_1/lstm_cell/projection/kernel:0", [4, 2]),
        ("v/bidirectional_rnn/fw/basic_rnn_cell/kernel:0", [6, 2]),
        ("v/bidirectional_rnn/fw/basic_rnn_cell/bias:0", [2]),
        ("v/bidirectional_rnn/bw/basic_rnn_cell/kernel:0", [6, 2]),
        ("v/bidirectional_rnn/bw/basic_rnn_cell/bias:0", [2]),
        ("v/rnn/basic_rnn_cell/kernel:0", [6, 2]), ("v/rnn/basic_rnn_cell/bias:0", [2])]
    assert out.name == "v/rnn/transpose_1:0"
    assert isinstance(st, rc.LSTMStateTuple)
    assert [st.c.name, st.h.name] == ["v/rnn/while/Exit_3:0", "v/rnn/while/Exit_4:0"]
    assert [t.name for t in tf.nest.flatten(s3)] == ["v/m/while/Exit_3:0", "v/m/while/Exit_4:0",
                                                     "v/m/while/Exit_5:0"]
    assert s3[1].h.shape.as_list() == [2, 2] and o3.shape.as_list() == [2, 3, 2]
    assert o4[0].name == "v/bidirectional_rnn/fw/fw/transpose_1:0"
    assert o4[1].name == "v/ReverseV2:0"
    assert s4[1].name == "v/bidirectional_rnn/bw/bw/while/Exit_3:0"
    assert [t.name for t in o5] == ["v/rnn_1/basic_rnn_cell/Tanh:0",
                                    "v/rnn_1/basic_rnn_cell/Tanh_1:0",
                                    "v/rnn_1/basic_rnn_cell/Tanh_2:0"]
    ops = {op.name for op in tf.get_default_graph().get_operations()}
    assert {"v/rnn/while/basic_lstm_cell/MatMul", "v/rnn/time", "v/rnn/sequence_length",
            "v/rnn/BasicLSTMCellZeroState/zeros"} <= ops
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out_v, st_v = sess.run([out, st])
    # (TF: every unit is equal under a constant initializer; entry 1 ends after 2 steps)
    np.testing.assert_allclose(out_v[:, :, 0], [[0.01588911, 0.082141, 0.20836836],
                                                [0.19066787, 0.4262359, 0.0]], rtol=1e-5)
    np.testing.assert_allclose(st_v.c[:, 0], [0.35990417, 0.72281784], rtol=1e-5)
    np.testing.assert_allclose(st_v.h[:, 0], [0.20836836, 0.4262359], rtol=1e-5)


def _all_cells(x):
    res = {}
    with tf.variable_scope("a", initializer=tf.random_uniform_initializer(-0.5, 0.5, seed=3)):
        cells = {
            "rnn": rc.BasicRNNCell(3),
            "blstm": rc.BasicLSTMCell(3, forget_bias=0.5),
            "blstm_nt": rc.BasicLSTMCell(3, state_is_tuple=False, activation=tf.nn.relu),
            "lstm": rc.LSTMCell(3, use_peepholes=True, num_proj=2, cell_clip=0.3, proj_clip=0.2,
                                initializer=tf.random_uniform_initializer(-1, 1, seed=7)),
            "gru": rc.GRUCell(3),
            "multi": rc.MultiRNNCell([rc.BasicLSTMCell(4), rc.ResidualWrapper(rc.GRUCell(4))]),
        }
        for k, c in cells.items():
            res[k] = tf.nn.dynamic_rnn(c, x, sequence_length=[2, 3], dtype=tf.float32, scope=k)
        res["static"] = tf.nn.static_rnn(rc.BasicLSTMCell(2), tf.unstack(x, axis=1),
                                         dtype=tf.float32, sequence_length=[1, 3])
        res["bi"] = tf.nn.bidirectional_dynamic_rnn(rc.GRUCell(2), rc.BasicRNNCell(2), x,
                                                    sequence_length=[3, 2], dtype=tf.float32)
        res["bi_tm"] = tf.nn.bidirectional_dynamic_rnn(
            rc.GRUCell(2), rc.BasicRNNCell(2), tf.transpose(x, [1, 0, 2]), time_major=True,
            dtype=tf.float32, scope="bt")
        res["sbi"] = tf.nn.static_bidirectional_rnn(
            rc.GRUCell(2), rc.BasicRNNCell(2), tf.unstack(x, axis=1), sequence_length=[3, 2],
            dtype=tf.float32, scope="sb1")
        res["sbi2"] = tf.nn.static_bidirectional_rnn(
            rc.GRUCell(2), rc.BasicRNNCell(2), tf.unstack(x, axis=1), dtype=tf.float32,
            scope="sb2")
    return res


# sum(|t|) of every output and state tensor, per case (TF 1's values)
EXPECTED = {
    "rnn": [5.5974, 2.0817],
    "blstm": [0.8596, 0.6881, 0.3348],
    "blstm_nt": [0.7295, 1.3158],
    "lstm": [0.7381, 0.8811, 0.1816],
    "gru": [1.3406, 0.4064],
    "multi": [1.3791, 0.9854, 0.5132, 0.0792],
    "static": [0.1801, 0.1876, 0.0332, 0.1604, 0.0585],
    "bi": [0.7929, 3.6592, 0.1238, 1.4029],
    "bi_tm": [0.8938, 4.2517, 0.1058, 1.404],
    "sbi": [1.9033, 1.9507, 0.5981, 0.1238, 1.4029],
    "sbi2": [1.9044, 1.9756, 1.2656, 0.1058, 1.404],
}
# sum of d(sum of squares of all of them) by each variable, then by x (TF 1's values)
EXPECTED_GRADS = [
    -16.7943, -2.8594, -0.8107, 0.4686, -1.9316, 2.5711, 0.2305, -0.416, -0.0064, 0.0196,
    -0.0037, -0.0854, -0.571, -0.2182, -0.8098, -1.0307, -0.3208, -0.0582, 0.0002, 0.005,
    0.0141, 0.0755, 0.1306, 0.1017, -0.2132, -0.1288, -0.2087, -0.407, -2.1784, -0.9478,
    -0.2876, -0.129, -0.2236, -0.3524, -1.4657, -0.2047, -0.2132, -0.1288, -0.2087, -0.407,
    -2.1784, -0.9478, -0.2876, -0.129, -0.2236, -0.3524, -1.4657, -0.2047, 8.1549]


def test_outputs_states_and_gradients_match_tf():
    x = tf.constant(np.sin(np.arange(24, dtype=np.float32)).reshape(2, 3, 4))
    res = _all_cells(x)
    variables = tf.global_variables()
    assert len(variables) == 48
    assert variables[6].name == "a/lstm/lstm_cell/kernel:0"
    loss = sum(tf.reduce_sum(t * t) for t in tf.nest.flatten(res))
    grads = tf.gradients(loss, variables + [x])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        vals, grad_vals = sess.run([res, grads])
    for k, want in EXPECTED.items():
        got = [np.sum(np.abs(v)) for v in tf.nest.flatten(vals[k])]
        np.testing.assert_allclose(got, want, atol=2e-4, err_msg=k)
    np.testing.assert_allclose([np.sum(g) for g in grad_vals], EXPECTED_GRADS, atol=3e-4)


def test_dropout_wrapper_seeds_as_tf():
    tf.set_random_seed(5)
    x = tf.ones([2, 6])
    with tf.variable_scope("a", initializer=tf.constant_initializer(0.3)):
        cell = rc.DropoutWrapper(rc.BasicRNNCell(6), input_keep_prob=0.5, output_keep_prob=0.7,
                                 seed=11)
        out, _ = cell(x, tf.zeros([2, 6]))
    assert _names() == [("a/basic_rnn_cell/kernel:0", [12, 6]), ("a/basic_rnn_cell/bias:0", [6])]
    a, b = 1.4215069, 0.7672137
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(out), [[0, a, a, a, 0, a], [b] * 6], rtol=1e-5)
        c = 1.3525801
        np.testing.assert_allclose(sess.run(out), [[0, 0, a, a, a, 0], [c, 0, c, c, c, c]],
                                   rtol=1e-5)


def test_state_sizes_zero_state_and_wrappers():
    lstm = rc.LSTMCell(3, num_proj=2)
    assert lstm.state_size == (3, 2) and lstm.output_size == 2
    assert rc.LSTMCell(3, num_proj=2, state_is_tuple=False).state_size == 5
    multi = rc.MultiRNNCell([rc.DropoutWrapper(rc.BasicLSTMCell(3), output_keep_prob=0.5)] * 2)
    assert multi.state_size == (rc.LSTMStateTuple(3, 3), rc.LSTMStateTuple(3, 3))
    assert multi.output_size == 3
    z = lstm.zero_state(2, tf.float32)
    assert [z.c.name, z.h.name] == ["LSTMCellZeroState/zeros:0", "LSTMCellZeroState/zeros_1:0"]
    assert z.c.shape.as_list() == [2, 3] and z.h.shape.as_list() == [2, 2]
    assert z.dtype == tf.float32
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(z.h), np.zeros([2, 2]))


def test_errors_as_tf():
    x = tf.ones([2, 3, 4])
    with pytest.raises(ValueError, match="If no initial_state is provided, argument `dtype` "
                                         "must be specified"):
        tf.nn.dynamic_rnn(rc.GRUCell(2), x)
    with pytest.raises(TypeError, match="Argument `inputs` must be a sequence"):
        tf.nn.static_rnn(rc.GRUCell(2), x, dtype=tf.float32)
    with pytest.raises(ValueError, match="Argument `inputs` must not be empty"):
        tf.nn.static_rnn(rc.GRUCell(2), [], dtype=tf.float32)
    with pytest.raises(ValueError, match="Argument sequence_length must be a vector of length "
                                         "batch_size"):
        tf.nn.dynamic_rnn(rc.GRUCell(2), x, sequence_length=[[1]], dtype=tf.float32)
    with pytest.raises(ValueError, match="Must specify at least one cell for MultiRNNCell"):
        rc.MultiRNNCell([])
    with pytest.raises(ValueError, match="Parameter input_keep_prob must be between 0 and 1"):
        rc.DropoutWrapper(rc.GRUCell(2), input_keep_prob=1.5)
    with pytest.raises(ValueError, match=r"Expected inputs.shape\[-1\] to be known"):
        rc.GRUCell(2)(tf.placeholder(tf.float32, [2, None]), tf.zeros([2, 2]))


def test_state_dropout_and_filter_visitor_as_tf():
    tf.set_random_seed(5)
    x = tf.constant(np.cos(np.arange(12, dtype=np.float32)).reshape(2, 6))
    with tf.variable_scope("a", initializer=tf.constant_initializer(0.3)):
        cell = rc.MultiRNNCell([
            rc.DropoutWrapper(rc.BasicLSTMCell(3), state_keep_prob=0.5, seed=2),
            rc.DropoutWrapper(rc.GRUCell(3), state_keep_prob=0.5, output_keep_prob=0.5, seed=3,
                              dropout_state_filter_visitor=lambda s: False)])
        outs, st = tf.nn.static_rnn(cell, [x, x], dtype=tf.float32)
    assert [n for n, _ in _names()] == [
        "a/rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0",
        "a/rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0",
        "a/rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel:0",
        "a/rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias:0",
        "a/rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel:0",
        "a/rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        outs_v, st_v = sess.run([outs, st])
    np.testing.assert_allclose(outs_v, [[[-0.00804, 0, -0.00804], [-0.00614, 0, 0]],
                                        [[-0.02317, 0, -0.02317], [-0.017, 0, 0]]], atol=1e-5)
    # (the LSTM's memory c is never dropped; the visitor keeps the GRU state whole)
    np.testing.assert_allclose(st_v[0].c, [[-0.06735] * 3, [-0.04798] * 3], atol=1e-5)
    np.testing.assert_allclose(st_v[0].h, [[-0.06421, -0.06421, 0], [0, -0.04649, 0]],
                               atol=1e-5)
    np.testing.assert_allclose(st_v[1], [[-0.01159] * 3, [-0.0085] * 3], atol=1e-5)


def test_unknown_batch_and_time_initial_state_and_gradients():
    x = tf.placeholder(tf.float32, [None, None, 3])
    n = tf.placeholder(tf.int32, [None])
    with tf.variable_scope("a", initializer=tf.constant_initializer(0.2)):
        cell = rc.MultiRNNCell([rc.LSTMCell(4), rc.GRUCell(2)])
        init = cell.zero_state(tf.shape(x)[0], tf.float32)
        init = (rc.LSTMStateTuple(init[0].c + 0.5, init[0].h), init[1] - 0.25)
        out, st = tf.nn.dynamic_rnn(cell, x, sequence_length=n, initial_state=init)
    assert out.shape.as_list() == [None, None, 2] and st[0].c.shape.as_list() == [None, 4]
    grads = tf.gradients(tf.reduce_sum(out) + tf.reduce_sum(st[1]), [x] + tf.trainable_variables())
    feed = {x: np.sin(np.arange(30, dtype=np.float32)).reshape(2, 5, 3), n: [4, 2]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out_v, st_v, grad_v = sess.run([out, st, grads], feed)
    np.testing.assert_allclose(out_v[..., 0], [[-0.14841, -0.0855, -0.01659, 0.02421, 0],
                                               [-0.17374, -0.10813, 0, 0, 0]], atol=1e-5)
    np.testing.assert_allclose(st_v[0].c[:, 0], [0.41856, 0.31891], atol=1e-5)
    np.testing.assert_allclose(st_v[0].h[:, 0], [0.19963, 0.16742], atol=1e-5)
    np.testing.assert_allclose(st_v[1][:, 0], [0.02421, -0.10813], atol=1e-5)
    np.testing.assert_allclose([np.sum(g) for g in grad_v],
                               [1.99985, 2.7641, 3.33308, -1.0454, -1.82716, 4.88037, 7.71975],
                               atol=1e-4)


def test_device_wrapper_and_cell_variables():
    x = tf.ones([2, 3])
    with tf.variable_scope("a", initializer=tf.constant_initializer(0.2)):
        cell = rc.MultiRNNCell([rc.DeviceWrapper(rc.LSTMCell(4, use_peepholes=True), "/cpu:0"),
                                rc.ResidualWrapper(rc.GRUCell(4))])
        z = cell.zero_state(2, tf.float32)
        out, _ = cell(x, z)
    assert z[0].c.device == "/device:CPU:0" and out.device == ""
    assert z[0].c.name == "a/MultiRNNCellZeroState/DeviceWrapperZeroState/LSTMCellZeroState/zeros:0"
    # (TF 1's Layer tracking; TF 2.21's legacy cells under Keras 3 list none)
    names = [v.name for v in cell.trainable_variables]
    assert names == [n for n, _ in _names()] and len(names) == 9
    assert [v.name for v in cell._cells[1].weights] == names[5:]


def test_sharing_explicit_scope_and_reuse_as_tf():
    x = tf.ones([2, 3, 4])
    cell = rc.GRUCell(3)
    tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope="enc")
    o2, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope="dec")  # (the same variables)
    c2 = rc.BasicRNNCell(2)
    a, _ = c2(tf.ones([2, 3]), tf.zeros([2, 2]), scope="foo")
    b, _ = c2(tf.ones([2, 3]), tf.zeros([2, 2]))
    o4, _ = tf.nn.dynamic_rnn(rc.GRUCell(3, reuse=True), x, dtype=tf.float32, scope="enc")
    assert [n for n, _ in _names()] == [
        "enc/gru_cell/gates/kernel:0", "enc/gru_cell/gates/bias:0",
        "enc/gru_cell/candidate/kernel:0", "enc/gru_cell/candidate/bias:0",
        "foo/kernel:0", "foo/bias:0"]
    assert [a.name, b.name, o2.name, o4.name] == ["foo/Tanh:0", "foo/Tanh_1:0",
                                                  "dec/transpose_1:0", "enc_1/transpose_1:0"]
    with tf.variable_scope("", reuse=True):  # (a reusing scope shares them too)
        o3, _ = tf.nn.dynamic_rnn(rc.GRUCell(3), x, dtype=tf.float32, scope="enc")
    assert o3.name == "enc_2/transpose_1:0" and len(tf.global_variables()) == 6


def test_concatenated_states_and_residual_fn_as_tf():
    x = tf.constant(np.sin(np.arange(24, dtype=np.float32)).reshape(2, 3, 4))
    with tf.variable_scope("a", initializer=tf.random_uniform_initializer(-0.5, 0.5, seed=3)):
        cell = rc.MultiRNNCell([rc.BasicLSTMCell(3, state_is_tuple=False), rc.GRUCell(2)],
                               state_is_tuple=False)
        assert (cell.state_size, cell.output_size) == (8, 2)
        out, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        res = rc.ResidualWrapper(rc.GRUCell(4), residual_fn=lambda i, o: i - o)
        outs, last = tf.nn.static_rnn(res, tf.unstack(x, axis=1), initial_state=tf.ones([2, 4]),
                                      scope="s")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out_v, state_v, res_v, last_v = sess.run([out, state, outs[-1], last])
    np.testing.assert_allclose(out_v[:, :, 0], [[-0.00905, -0.02194, -0.0157],
                                                [-0.01302, -0.02229, -0.02021]], atol=1e-5)
    np.testing.assert_allclose(state_v[0], [0.03834, -0.00123, 0.0571, 0.02015, -0.00068,
                                            0.0275, -0.0157, 0.00968], atol=1e-5)
    np.testing.assert_allclose(res_v[0], [0.54904, 0.10397, -0.76478, -1.27891], atol=1e-5)
    np.testing.assert_allclose(last_v[0], [0.44032, 0.30815, 0.22076, 0.27892], atol=1e-5)
