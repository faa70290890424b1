"""tf.nn.raw_rnn and tf.nn.static_state_saving_rnn: names, shapes, values, gradients and errors
as TF 1 graph mode gives them (TF 2.21's legacy rnn with tf_keras cells, checked with
../shared/tools/tfdiff)."""
import numpy as np
import pytest

import minitf as tf

rc = tf.nn.rnn_cell


def _lstm_raw_rnn():
    x = tf.constant(np.arange(24, dtype=np.float32).reshape(4, 2, 3) / 10)  # time-major
    seq = tf.constant([2, 4])
    ta_in = tf.TensorArray(tf.float32, size=4).unstack(x)
    with tf.variable_scope("v", initializer=tf.constant_initializer(0.1)):
        cell = rc.BasicLSTMCell(3)

        def loop_fn(time, cell_output, cell_state, loop_state):
            first = cell_output is None
            state = cell.zero_state(2, tf.float32) if first else cell_state
            fin = time >= seq
            nxt = tf.cond(tf.reduce_all(fin), lambda: tf.zeros([2, 3]),
                          lambda: ta_in.read(time))
            return fin, nxt, state, None if first else cell_output, None

        return x, tf.nn.raw_rnn(cell, loop_fn)


def test_raw_rnn_lstm_names_values_and_gradients():
    x, (emit_ta, st, loop_state) = _lstm_raw_rnn()
    out = emit_ta.stack()
    assert isinstance(emit_ta, tf.TensorArray) and loop_state is None
    assert out.shape.as_list() == [None, 2, 3] and st.h.shape.as_list() == [2, 3]
    assert [st.c.name, st.h.name] == ["v/rnn/while/Exit_4:0", "v/rnn/while/Exit_5:0"]
    assert [v.name for v in tf.global_variables()] == ["v/rnn/basic_lstm_cell/kernel:0",
                                                      "v/rnn/basic_lstm_cell/bias:0"]
    grads = tf.gradients(tf.reduce_sum(out) + tf.reduce_sum(st.c), [x] + tf.global_variables())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        o, s, g = sess.run([out, st, grads])
    # a finished entry emits zeros and keeps its state (entry 0 ends after 2 steps)
    np.testing.assert_allclose(o[:, :, 0], [[0.007724, 0.033498], [0.07005, 0.126662],
                                            [0., 0.280388], [0., 0.46419]], atol=2e-6)
    np.testing.assert_allclose(s.c[:, 0], [0.127384, 0.838005], atol=2e-6)
    np.testing.assert_allclose(s.h[:, 0], [0.07005, 0.46419], atol=2e-6)
    np.testing.assert_allclose(g[0][:, :, 0], [[0.285357, 0.424006], [0.279484, 0.431148],
                                               [0., 0.381205], [0., 0.292251]], atol=2e-6)
    np.testing.assert_allclose(g[1].sum(0)[::3], [3.210332, 15.891028, 1.007225, 2.137758],
                               atol=5e-6)


def _gru_loop_fn(x, cell):
    def loop_fn(time, cell_output, cell_state, loop_state):
        n = tf.shape(x)[0]
        if cell_output is None:  # the emit structure: an int32 [4] and a float32 [2] per entry
            return (tf.fill([n], False), x, cell.zero_state(n, tf.float32),
                    (tf.zeros([4], tf.int32), tf.zeros([2])), tf.constant(0.5))
        emit = (tf.fill([n, 4], time), cell_output * loop_state)
        fin = tf.fill([n], time >= 3) | (tf.range(n) < time - 1)
        return fin, x + cell_output, cell_state, emit, loop_state * 2
    return loop_fn


def test_raw_rnn_emit_structure_loop_state_and_dynamic_batch():
    x = tf.placeholder(tf.float32, [None, 2])
    cell = rc.GRUCell(2, kernel_initializer=tf.constant_initializer(0.3))
    ta, st, ls = tf.nn.raw_rnn(cell, _gru_loop_fn(x, cell), scope="dec")
    assert (ta[0].dtype, ta[1].dtype) == (tf.int32, tf.float32)
    assert ta[0].element_shape.as_list() == [None, 4]
    assert ta[1].element_shape.as_list() == [None, 2]
    assert (st.name, ls.name) == ("dec/while/Exit_5:0", "dec/while/Exit_6:0")
    o0, o1 = ta[0].stack(), ta[1].stack()
    assert o0.shape.as_list() == [None, None, 4] and o1.shape.as_list() == [None, None, 2]
    arrays = sorted(op.name for op in tf.get_default_graph().get_operations()
                    if op.type == "TensorArrayV3")
    assert arrays == ["dec/rnn_output_0", "dec/rnn_output_1"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        r0, r1, s, loop = sess.run([o0, o1, st, ls],
                                   {x: np.array([[1, 2], [3, 4], [5, 6]], np.float32) / 10})
    np.testing.assert_array_equal(r0[:, :, 0], [[1, 1, 1], [2, 2, 2], [0, 3, 3]])
    np.testing.assert_allclose(r1[:, :, 0], [[0.01129, 0.02377, 0.03331],
                                             [0.04494, 0.09314, 0.12846],
                                             [0., 0.27356, 0.37138]], atol=6e-6)
    np.testing.assert_allclose(s[:, 0], [0.04494, 0.13678, 0.18569], atol=6e-6)
    assert loop == 4.0


def test_raw_rnn_dynamic_batch_default_emit_and_input_gradient():
    x = tf.placeholder(tf.float32, [None, 2])
    cell = rc.LSTMCell(2, initializer=tf.constant_initializer(0.2))

    def loop_fn(time, cell_output, cell_state, loop_state):
        n = tf.shape(x)[0]
        first = cell_output is None
        state = cell.zero_state(n, tf.float32) if first else cell_state
        # entry i finishes after i + 1 steps
        return (tf.range(n) < time, x * 2.0 if first else x + cell_output, state,
                None if first else cell_output, None)

    ta, st, _ = tf.nn.raw_rnn(cell, loop_fn)
    out = ta.stack()
    assert out.shape.as_list() == [None, None, 2] and st.c.shape.as_list() == [None, 2]
    grad = tf.gradients(tf.reduce_sum(out), x)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        o, s, g = sess.run([out, st, grad],
                           {x: np.array([[1, 2], [3, 4], [5, 6]], np.float32) / 10})
    np.testing.assert_allclose(o[:, :, 1], [[0.0335, 0.08782, 0.14989], [0., 0.12705, 0.21726],
                                            [0., 0., 0.29293]], atol=6e-6)
    np.testing.assert_allclose(s.c[:, 0], [0.06329, 0.23419, 0.53672], atol=6e-6)
    np.testing.assert_allclose(g[:, 0], [0.24576, 0.72409, 1.40352], atol=6e-6)


def test_raw_rnn_errors():
    cell = rc.GRUCell(2)
    with pytest.raises(TypeError, match="Argument `loop_fn` must be a callable. Received: 3"):
        tf.nn.raw_rnn(cell, 3)

    def wrong_state(time, cell_output, cell_state, loop_state):
        return (tf.zeros([2], tf.bool), tf.zeros([2, 2]), (cell.zero_state(2, tf.float32),),
                None, None)
    with pytest.raises(ValueError, match="same nested structure"):
        tf.nn.raw_rnn(cell, wrong_state, scope="e")

    def two_batches(time, cell_output, cell_state, loop_state):
        return (tf.zeros([2], tf.bool), [tf.zeros([2, 2]), tf.zeros([3, 1])],
                cell.zero_state(2, tf.float32), None, None)
    with pytest.raises(ValueError, match="Dimensions 2 and 3 are not compatible"):
        tf.nn.raw_rnn(cell, two_batches, scope="f")


class _Saver:
    """The state-saver duck type: `state(name)` and `save_state(name, value)`."""

    def __init__(self):
        self.vars = {}

    def state(self, name):
        self.vars[name] = tf.Variable(np.full([2, 3], 0.5, np.float32), name="saved_" + name)
        return tf.identity(self.vars[name])

    def save_state(self, name, value):
        return tf.assign(self.vars[name], value, name="save_" + name).op


def test_static_state_saving_rnn():
    x = [tf.constant(np.arange(4, dtype=np.float32).reshape(2, 2) * (i + 1) / 10)
         for i in range(3)]
    saver = _Saver()
    with tf.variable_scope("s", initializer=tf.constant_initializer(0.2)):
        cell = rc.BasicLSTMCell(3)
        outs, st = tf.nn.static_state_saving_rnn(cell, x, saver, ("c", "h"),
                                                 sequence_length=[3, 2])
    assert isinstance(st, rc.LSTMStateTuple)
    assert [outs[-1].name, st.c.name, st.h.name] == ["s/Identity_2:0", "s/Identity_3:0",
                                                     "s/Identity_4:0"]
    for t in (outs[-1], st.h):
        assert [op.name for op in t.op.control_inputs] == ["s/save_c", "s/save_h"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        last = sess.run(outs[-1])
        saved_c = sess.run(saver.vars["c"])
        h = sess.run(st.h)
    np.testing.assert_allclose(last[:, 0], [0.283793, 0.], atol=2e-6)
    np.testing.assert_allclose(saved_c[:, 0], [0.561778, 0.731766], atol=2e-6)
    np.testing.assert_allclose(h[:, 0], [0.26426, 0.418766], atol=2e-6)

    gru = rc.GRUCell(3)
    o2, s2 = tf.nn.static_state_saving_rnn(gru, x, saver, "g", scope="gru")
    assert (s2.name, o2[-1].name) == ("Identity_2:0", "Identity_1:0")
    assert [op.name for op in s2.op.control_inputs] == ["save_g"]
    assert [v.name for v in tf.global_variables()][-4:] == [
        "gru/gru_cell/gates/kernel:0", "gru/gru_cell/gates/bias:0",
        "gru/gru_cell/candidate/kernel:0", "gru/gru_cell/candidate/bias:0"]


def test_static_state_saving_rnn_errors():
    cell = rc.BasicLSTMCell(3)
    x = [tf.zeros([2, 2])]
    with pytest.raises(ValueError, match=r"Argument `state_name` should be the same type as "
                                         r"`cell.state_size`. Received: state_name=c, "
                                         r"cell.state_size=LSTMStateTuple\(c=3, h=3\)."):
        tf.nn.static_state_saving_rnn(cell, x, _Saver(), "c")
    with pytest.raises(ValueError, match=r"Received state_name=\('a', 'b', 'c'\) with 3 "
                                         r"elements and cell.state_size=LSTMStateTuple\(c=3, "
                                         r"h=3\) with 2 elements."):
        tf.nn.static_state_saving_rnn(cell, x, _Saver(), ("a", "b", "c"))
