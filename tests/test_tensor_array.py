"""tf.TensorArray, map_fn, scan, foldl/foldr and vectorized_map (issue 17, item 6): TF1's
names, static shapes, values, run-time errors (write-once, read-once, sizes), gradients through
while loops, and eager mode. Expected values and texts were checked against TF 1 graph mode with
../shared/tools/tfdiff."""
import numpy as np
import pytest

import minitf as tf

X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32)


def test_names_shapes_and_values():
    ta = tf.TensorArray(tf.float32, size=3)
    assert ta.handle.name == "TensorArray:0" and ta.flow.name == "TensorArray:1"
    assert ta.dtype == tf.float32 and ta.element_shape.ndims is None
    ta2 = ta.write(0, [1.0, 2.0])
    assert ta2.flow.name == "TensorArrayWrite/TensorArrayWriteV3:0"
    assert ta2.element_shape.as_list() == [2]
    ta3 = ta2.write(1, [3.0, 4.0]).write(2, [5.0, 6.0])
    r, s = ta3.read(1), ta3.stack()
    assert r.name == "TensorArrayReadV3:0" and r.shape.as_list() == [2]
    assert s.name == "TensorArrayStack/TensorArrayGatherV3:0" and s.shape.as_list() == [3, 2]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(r), [3.0, 4.0])
        np.testing.assert_array_equal(sess.run(s), X)
        # an element of known shape never written reads as zeros (TF)
        np.testing.assert_array_equal(sess.run(ta2.read(1)), [0.0, 0.0])


def test_unstack_gather_concat_split_size():
    u = tf.TensorArray(tf.float32, size=0, dynamic_size=True, clear_after_read=False).unstack(X)
    sp = tf.TensorArray(tf.float32, size=2, infer_shape=False).split([1.0, 2.0, 3.0], [1, 2])
    with tf.Session() as sess:
        assert sess.run(u.size()) == 3
        np.testing.assert_array_equal(sess.run(u.gather([2, 0])), X[[2, 0]])
        np.testing.assert_array_equal(sess.run(u.concat()), X.reshape(-1))
        np.testing.assert_array_equal(sess.run(sp.read(1)), [2.0, 3.0])


def test_run_time_errors_as_tf():
    ta = tf.TensorArray(tf.float32, size=3)
    full = ta.write(0, [1.0]).write(1, [2.0]).write(2, [3.0])
    twice = ta.write(0, [1.0]).write(0, [1.0]).stack()
    past = ta.write(5, [1.0]).stack()
    shapes = tf.TensorArray(tf.float32, size=2).split([1.0, 2.0, 3.0], [1, 2]).concat()
    empty = tf.TensorArray(tf.float32, size=0).stack()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Could not read index 1 twice "
                           r"because it was cleared after a previous read \(perhaps try "
                           r"setting clear_after_read = false\?\)"):
            sess.run([full.read(1), full.stack()])
        with pytest.raises(tf.errors.InvalidArgumentError, match="Could not write to "
                           "TensorArray index 0 because it has already been written to."):
            sess.run(twice)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Tried to write to index 5 "
                           "but array is not resizeable and size is: 3"):
            sess.run(past)
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"value shape is \[2\] which "
                           r"is incompatible with the TensorArray's inferred element shape: "
                           r"\[1\] \(consider setting infer_shape=False\)"):
            sess.run(shapes)
        with pytest.raises(tf.errors.UnimplementedError, match="TensorArray has size zero"):
            sess.run(empty)


def test_a_tensor_array_in_a_while_loop_and_its_gradient():
    x = tf.constant(X)

    def body(i, t):
        return i + 1, t.write(i, x[i] * x[i])
    _, out = tf.while_loop(lambda i, t: i < 3, body, [0, tf.TensorArray(tf.float32, size=3)])
    assert isinstance(out, tf.TensorArray) and out.flow.name == "while/Exit_1:0"
    st = out.stack()
    assert st.shape.as_list() == [3, 2]
    g, = tf.gradients(tf.reduce_sum(st * [[1.0, 2.0]]), x)
    y = tf.constant(X)
    ta_in = tf.TensorArray(tf.float32, size=3).unstack(y)

    def body2(i, acc):
        return i + 1, acc + tf.sin(ta_in.read(i)) * tf.cast(i + 1, tf.float32)
    _, acc = tf.while_loop(lambda i, a: i < 3, body2, [0, tf.zeros([2])])
    gy, = tf.gradients(acc, y)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(st), X * X)
        np.testing.assert_array_equal(sess.run(g), 2 * X * [[1.0, 2.0]])
        np.testing.assert_allclose(sess.run(acc), [-1.7530619, -1.442554], rtol=1e-6)
        np.testing.assert_allclose(sess.run(gy), [[0.5403023, -0.41614684],
                                                  [-1.979985, -1.3072872],
                                                  [0.8509866, 2.8805108]], rtol=1e-5)


def test_a_cond_may_return_a_tensor_array():
    p = tf.placeholder(tf.bool, [])
    ta = tf.TensorArray(tf.float32, size=2)
    r = tf.cond(p, lambda: ta.write(0, 1.0).write(1, 2.0), lambda: ta.write(0, 5.0).write(1, 6.0))
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(r.stack(), {p: True}), [1.0, 2.0])
        np.testing.assert_array_equal(sess.run(r.stack(), {p: False}), [5.0, 6.0])


def test_second_derivatives_through_tensor_arrays_raise():
    x = tf.placeholder(tf.float32, [2])
    y = tf.TensorArray(tf.float32, 1).write(0, x * x).stack()
    g, = tf.gradients(tf.reduce_sum(y), x)
    with pytest.raises(LookupError, match="no second derivatives through TensorArrays"):
        tf.gradients(g, x)


def test_map_fn_scan_and_folds():
    x = tf.constant(X)
    m = tf.map_fn(lambda r: r * 2.0, x)
    m2 = tf.map_fn(lambda r: (r[0], tf.cast(r[1], tf.int32)), (x[:, 0], x[:, 1]),
                   dtype=(tf.float32, tf.int32))
    s = tf.scan(lambda a, r: a + r, x)
    s2 = tf.scan(lambda a, r: a * r, x, initializer=tf.ones([2]), reverse=True)
    fl = tf.foldl(lambda a, r: a - r, x)
    fr = tf.foldr(lambda a, r: a - r, x, initializer=tf.zeros([2]))
    assert m.name == "map/TensorArrayStack/TensorArrayGatherV3:0"
    assert m.shape.as_list() == [3, 2] and m2[1].dtype == tf.int32 and m2[1].shape == [3]
    assert s.name == "scan/TensorArrayStack/TensorArrayGatherV3:0"
    g, = tf.gradients([tf.reduce_sum(m * m), tf.reduce_sum(s2), tf.reduce_sum(fl * fr)], x)
    with tf.Session() as sess:
        values = sess.run([m, m2, s, s2, fl, fr, g])
    np.testing.assert_array_equal(values[0], X * 2)
    np.testing.assert_array_equal(values[1][0], [1, 3, 5])
    np.testing.assert_array_equal(values[1][1], [2, 4, 6])
    np.testing.assert_array_equal(values[2], [[1, 2], [4, 6], [9, 12]])
    np.testing.assert_array_equal(values[3], [[15, 48], [15, 24], [5, 6]])
    np.testing.assert_array_equal(values[4], [-7, -8])
    np.testing.assert_array_equal(values[5], [-9, -12])
    np.testing.assert_array_equal(values[6], [[21, 36], [50, 70], [63, 81]])  # (TF's)
    with pytest.raises(ValueError, match="1\\+ dimensional"):
        tf.map_fn(lambda r: r, tf.constant(1.0))
    with pytest.raises(TypeError, match="fn must be callable"):
        tf.scan(1, x)


def test_vectorized_map_gives_map_fns_values():
    x = tf.constant(X)
    v = tf.vectorized_map(lambda r: tf.reduce_sum(r * r), x)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(v), [5.0, 25.0, 61.0])


@pytest.mark.global_graph
def test_eagerly(eager):
    ta = tf.TensorArray(tf.float32, size=2).write(0, [1.0]).write(1, [2.0])
    np.testing.assert_array_equal(ta.stack().numpy(), [[1.0], [2.0]])
    assert ta.size().numpy() == 2
    with pytest.raises(tf.errors.InvalidArgumentError, match="not resizeable"):
        ta.write(2, [3.0])
    x = tf.constant(X)
    np.testing.assert_array_equal(tf.map_fn(lambda r: r + 1.0, x).numpy(), X + 1)
    np.testing.assert_array_equal(tf.scan(lambda a, r: a + r, x).numpy(),
                                  [[1, 2], [4, 6], [9, 12]])
    np.testing.assert_array_equal(tf.foldl(lambda a, r: a * r, x).numpy(), [15, 48])
    np.testing.assert_array_equal(tf.foldr(lambda a, r: a - r, x).numpy(), [1, 0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.map_fn(lambda r: r * r, x))
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), 2 * X)


def test_tensor_array_spec():
    spec = tf.TensorArraySpec([2], tf.float32)
    assert repr(spec) == "TensorArraySpec(TensorShape([Dimension(2)]), tf.float32, False, True)"
    ta = tf.TensorArray(tf.float32, 3).write(0, [1.0, 2.0])
    assert tf.type_spec_from_value(ta) == spec == tf.TensorArraySpec.from_value(ta)
    assert spec.is_compatible_with(ta)
    assert not spec.is_compatible_with(tf.TensorArray(tf.int32, 3))
    with pytest.raises(TypeError, match="Expected value to be a TensorArray"):
        tf.TensorArraySpec.from_value(tf.constant(1.0))
