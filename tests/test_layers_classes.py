"""tf.layers' classes (issue 18, item 3): Layer, Dense, Dropout, Flatten, BatchNormalization and
their functions, with TF1's variable names, op names and values (checked with tfdiff against
TF 2.21 with tf-keras' legacy layers)."""
import numpy as np

import minitf as tf

XV = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 7.0]], np.float32)


def test_a_layer_object_shares_its_variables_across_calls():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    d = tf.layers.Dense(4, kernel_regularizer=lambda w: tf.reduce_sum(w))
    assert not d.built
    y = d(x)
    assert d.built and d.name == "dense"
    assert [v.name for v in d.trainable_weights] == ["dense/kernel:0", "dense/bias:0"]
    assert len(d.losses) == 1
    y2 = d.apply(x)
    assert (y.name, y2.name) == ("dense/BiasAdd:0", "dense/BiasAdd_1:0")
    z = tf.layers.dense(x, 2)  # (the functions and classes count names together)
    assert z.name == "dense_1/BiasAdd:0"
    assert len(tf.global_variables()) == 4


def test_flatten_and_dropout():
    assert tf.layers.Flatten()(tf.zeros([2, 3, 4])).name == "flatten/Reshape:0"
    flat = tf.layers.flatten(tf.zeros([2, 3, 4]))
    assert flat.name == "flatten_1/Reshape:0" and flat.shape.as_list() == [2, 12]
    x = tf.ones([100])
    t = tf.placeholder(tf.bool, [])
    o = tf.layers.Dropout(0.5, seed=3)(x, training=t)
    assert o.name == "dropout/cond/Merge:0"
    with tf.Session() as sess:
        assert sess.run(o, {t: False}).tolist() == [1.0] * 100
        assert set(sess.run(o, {t: True}).tolist()) <= {0.0, 2.0}


def test_batch_normalization_matches_tf():
    x = tf.placeholder(tf.float32, [None, 3])
    t = tf.placeholder(tf.bool, [])
    bn = tf.layers.BatchNormalization()
    b = bn(x, training=True)
    assert b.name == "batch_normalization/batchnorm/add_1:0"
    assert [v.name for v in bn.variables] == [
        "batch_normalization/gamma:0", "batch_normalization/beta:0",
        "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0"]
    assert [v.name for v in bn.trainable_variables] == ["batch_normalization/gamma:0",
                                                        "batch_normalization/beta:0"]
    assert [u.name for u in tf.get_collection(tf.GraphKeys.UPDATE_OPS)] == [
        "batch_normalization/AssignMovingAvg", "batch_normalization/AssignMovingAvg_1"]
    b2 = tf.layers.batch_normalization(x, training=t, momentum=0.9)
    moving = [v for v in tf.global_variables() if "moving" in v.name]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out, out2 = sess.run([b, b2], {x: XV, t: True})
        np.testing.assert_allclose(out, [[-0.9997779, -0.9997778, -0.99987507],
                                         [0.9997778, 0.99977803, 0.99987507]], rtol=1e-6)
        np.testing.assert_allclose(out2, out, rtol=1e-6)
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS), {x: XV, t: True})
        np.testing.assert_allclose(sess.run(moving), [[0.025, 0.035, 0.05],
                                                      [1.0125, 1.0125, 1.03],
                                                      [0.25, 0.35, 0.5],
                                                      [1.125, 1.125, 1.3]], rtol=1e-6)
        np.testing.assert_allclose(sess.run(b2, {x: XV, t: False}),
                                   [[0.7067927, 1.5549439, 2.191802],
                                    [3.5339634, 4.382115, 5.6986856]], rtol=1e-6)
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS), {x: XV, t: False})
        np.testing.assert_allclose(sess.run(moving[2:]), [[0.25, 0.35, 0.5],
                                                          [1.125, 1.125, 1.3]], rtol=1e-6)


def test_batch_normalization_of_4d_inputs_updates_as_tfs_fused_kernel():
    c = tf.placeholder(tf.float32, [2, 2, 2, 3])
    out = tf.layers.batch_normalization(c, training=True, name="conv_bn")
    cv = np.arange(24, dtype=np.float32).reshape(2, 2, 2, 3) ** 1.5
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(out, {c: cv})[0, 0],
                                   [[-1.2286081, -1.2715533, -1.3007442],
                                    [-1.0685866, -1.0669492, -1.067564]], rtol=1e-5)
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS), {c: cv})
        np.testing.assert_allclose(sess.run(tf.global_variables()[2:]),
                                   [[0.39894798, 0.44502884, 0.4941769],
                                    [13.040298, 14.367009, 15.651555]], rtol=1e-5)
