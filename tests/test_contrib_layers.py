"""tf.contrib.layers (TF 1.15): names, shapes, collections and values of the slim-style layers,
initializers, batch_norm / layer_norm and optimize_loss, after TF's layers_test.py."""
import math

import numpy as np
import pytest

import minitf as tf

L = tf.contrib.layers
F = tf.contrib.framework


def _names(variables):
    return [(v.op.name, v.shape.as_list()) for v in variables]


def test_fully_connected_names_shapes_and_uniquified_scopes():
    x = tf.placeholder(tf.float32, [None, 3])
    y = L.fully_connected(x, 4)
    L.fully_connected(y, 2)
    L.fully_connected(y, 2, scope="fc")
    assert y.op.name == "fully_connected/Relu"
    assert _names(tf.global_variables()) == [
        ("fully_connected/weights", [3, 4]), ("fully_connected/biases", [4]),
        ("fully_connected_1/weights", [4, 2]), ("fully_connected_1/biases", [2]),
        ("fc/weights", [4, 2]), ("fc/biases", [2])]
    assert tf.get_collection(tf.GraphKeys.MODEL_VARIABLES) == tf.global_variables()
    assert tf.trainable_variables() == tf.global_variables()


def test_fully_connected_computes_relu_of_the_affine_map():
    x_value = np.random.RandomState(0).randn(5, 3).astype(np.float32)
    y = L.fully_connected(tf.constant(x_value), 4, biases_initializer=tf.ones_initializer())
    w, b = F.get_variables("fully_connected")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out, w_value, b_value = sess.run([y, w, b])
    np.testing.assert_allclose(out, np.maximum(x_value @ w_value + b_value, 0), rtol=1e-6)
    limit = math.sqrt(6.0 / (3 + 4))  # xavier_initializer
    assert np.abs(w_value).max() <= limit and b_value.tolist() == [1.0] * 4


def test_fully_connected_reuse_collections_and_errors():
    x = tf.ones([2, 3])
    y = L.fully_connected(x, 2, scope="fc", variables_collections={"weights": ["W"]},
                          outputs_collections=["outs"])
    L.fully_connected(x, 2, scope="fc", reuse=True)
    assert len(tf.global_variables()) == 2
    assert [v.op.name for v in tf.get_collection("W")] == ["fc/weights"]
    assert tf.get_collection("outs") == [y] and y.aliases == ["fc"]
    with pytest.raises(ValueError, match="already exists"):
        L.fully_connected(x, 2, scope="fc")
    with pytest.raises(ValueError, match="num_outputs type should be one of"):
        L.fully_connected(x, 2.0)


def test_normalizer_fn_replaces_the_biases_and_regularizers_are_collected():
    x = tf.ones([4, 3])
    L.fully_connected(x, 2, normalizer_fn=L.batch_norm,
                      normalizer_params={"scale": True},
                      weights_regularizer=L.l2_regularizer(0.5))
    assert [v.op.name for v in tf.global_variables()] == [
        "fully_connected/weights", "fully_connected/BatchNorm/beta",
        "fully_connected/BatchNorm/gamma", "fully_connected/BatchNorm/moving_mean",
        "fully_connected/BatchNorm/moving_variance"]
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert [t.op.name for t in losses] == ["fully_connected/weights/Regularizer/l2_regularizer"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w = sess.run(F.get_unique_variable("fully_connected/weights"))
        assert sess.run(losses[0]) == pytest.approx(0.5 * (w ** 2).sum() / 2, rel=1e-5)


def test_conv2d_names_shapes_and_values():
    x_value = np.random.RandomState(1).rand(2, 5, 5, 3).astype(np.float32)
    y = L.conv2d(tf.constant(x_value), 4, [3, 3], activation_fn=None)
    z = L.conv2d(y, 2, 1, padding="VALID", scope="conv2")
    assert y.shape.as_list() == [2, 5, 5, 4] and z.shape.as_list() == [2, 5, 5, 2]
    assert _names(F.get_model_variables()) == [
        ("Conv/weights", [3, 3, 3, 4]), ("Conv/biases", [4]),
        ("conv2/weights", [1, 1, 4, 2]), ("conv2/biases", [2])]
    L.conv2d(y, 2, 1)
    assert F.get_model_variables()[-1].op.name == "Conv_1/biases"
    w = F.get_unique_variable("Conv/weights")
    expected = tf.nn.conv2d(x_value, w, [1, 1, 1, 1], "SAME")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, want = sess.run([y, expected])
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="Convolution expects input with rank 4, got 3"):
        L.conv2d(tf.ones([2, 3, 4]), 2, 3)
    with pytest.raises(ValueError, match="Invalid data_format"):
        L.convolution(tf.ones([2, 3, 4, 1]), 2, 3, data_format="HWCN")


def test_transpose_separable_pool_flatten_dropout_one_hot():
    x = tf.ones([2, 4, 4, 3])
    t = L.conv2d_transpose(x, 5, 3, stride=2)
    s = L.separable_conv2d(x, 6, 3, depth_multiplier=2)
    assert t.shape.as_list() == [2, 8, 8, 5] and s.shape.as_list() == [2, 4, 4, 6]
    assert _names(tf.global_variables()) == [
        ("Conv2d_transpose/weights", [3, 3, 5, 3]), ("Conv2d_transpose/biases", [5]),
        ("SeparableConv2d/depthwise_weights", [3, 3, 3, 2]),
        ("SeparableConv2d/pointwise_weights", [1, 1, 6, 6]), ("SeparableConv2d/biases", [6])]
    p = L.max_pool2d(x, [2, 2], outputs_collections=["outs"])
    a = L.avg_pool2d(x, 2, stride=1, padding="SAME")
    assert p.op.name == "MaxPool2D/MaxPool" and p.shape.as_list() == [2, 2, 2, 3]
    assert a.shape.as_list() == [2, 4, 4, 3] and p.aliases == ["MaxPool2D"]
    f = L.flatten(p)
    assert f.shape.as_list() == [2, 12] and f.op.name.startswith("Flatten/")
    with pytest.raises(ValueError, match="expected min_ndim=2, found ndim=1"):
        L.flatten(tf.ones([5]))
    d_train = L.dropout(tf.ones([100]), keep_prob=0.5, seed=1)
    d_test = L.dropout(tf.ones([4]), is_training=False)
    one_hot = L.one_hot_encoding(tf.constant([2, 0]), 3)
    with tf.Session() as sess:
        drop, kept, oh = sess.run([d_train, d_test, one_hot])
    assert set(drop.tolist()) <= {0.0, 2.0} and kept.tolist() == [1.0] * 4
    np.testing.assert_array_equal(oh, [[0, 0, 1], [1, 0, 0]])


def test_repeat_and_stack_name_their_scopes():
    x = tf.ones([2, 4, 4, 3])
    L.repeat(x, 2, L.conv2d, 3, [3, 3], scope="conv1")
    L.stack(tf.ones([2, 3]), L.fully_connected, [5, 6])
    assert [v.op.name for v in F.get_variables_by_name("weights")] == [
        "conv1/conv1_1/weights", "conv1/conv1_2/weights",
        "Stack/fully_connected_1/weights", "Stack/fully_connected_2/weights"]
    L.repeat(x, 1, L.conv2d, 3, 1)
    assert F.get_variables_by_name("weights")[-1].op.name == "Repeat/convolution2d_1/weights"
    with pytest.raises(ValueError, match="stack_args need to be a list or tuple"):
        L.stack(x, L.conv2d, 3)


def test_initializers_formulas_and_errors():
    init = L.variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=True)
    w = tf.get_variable("w", [3, 3, 8, 16], initializer=init)
    normal = tf.get_variable("n", [400, 300], initializer=L.variance_scaling_initializer())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w_value, n_value = sess.run([w, normal])
    limit = math.sqrt(3.0 * 2.0 / (3 * 3 * 8))
    assert np.abs(w_value).max() <= limit and np.abs(w_value).max() > 0.9 * limit
    stddev = math.sqrt(1.3 * 2.0 / 400)  # contrib's truncated-normal stddev
    assert np.abs(n_value).max() <= 2 * stddev
    assert n_value.std() == pytest.approx(stddev * 0.8796, rel=0.05)
    with pytest.raises(TypeError, match="non-floating"):
        L.xavier_initializer(dtype=tf.int32)
    with pytest.raises(TypeError, match="Unknown mode"):
        L.variance_scaling_initializer(mode="fan_in")


def test_seeded_initializer_is_reproducible():
    values = []
    for _ in range(2):
        with tf.Graph().as_default():
            tf.set_random_seed(3)
            L.fully_connected(tf.ones([1, 4]), 3)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                values.append(sess.run(F.get_variables_by_name("weights")[0]))
    np.testing.assert_array_equal(values[0], values[1])


def _batch():
    return np.random.RandomState(2).randn(6, 3).astype(np.float32) * 2 + 1


def test_batch_norm_variables_training_updates_and_inference():
    x_value = _batch()
    x = tf.placeholder(tf.float32, [None, 3])
    y = L.batch_norm(x, decay=0.9, is_training=True)
    assert _names(F.get_model_variables()) == [
        ("BatchNorm/beta", [3]), ("BatchNorm/moving_mean", [3]),
        ("BatchNorm/moving_variance", [3])]
    assert [v.op.name for v in tf.trainable_variables()] == ["BatchNorm/beta"]
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(updates) == 2
    y_test = L.batch_norm(x, is_training=False, scope="BatchNorm", reuse=True)
    assert len(tf.global_variables()) == 3
    mean, var = x_value.mean(0), x_value.var(0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out, _ = sess.run([y, updates], {x: x_value})
        np.testing.assert_allclose(out, (x_value - mean) / np.sqrt(var + 1e-3), rtol=1e-4,
                                   atol=1e-5)
        moving_mean, moving_var = sess.run(tf.global_variables()[1:])
        np.testing.assert_allclose(moving_mean, 0.1 * mean, rtol=1e-5)
        np.testing.assert_allclose(moving_var, 0.9 + 0.1 * var * 6 / 5, rtol=1e-5)
        out_test = sess.run(y_test, {x: x_value})
    np.testing.assert_allclose(out_test, (x_value - moving_mean) / np.sqrt(moving_var + 1e-3),
                               rtol=1e-4, atol=1e-5)


def test_batch_norm_in_place_updates_and_a_training_tensor():
    x_value = _batch()
    training = tf.placeholder(tf.bool, [])
    y = L.batch_norm(tf.constant(x_value), scale=True, updates_collections=None,
                     is_training=training)
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
    moving_mean = F.get_unique_variable("BatchNorm/moving_mean")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(y, {training: False})
        np.testing.assert_allclose(sess.run(moving_mean), 0.0)
        sess.run(y, {training: True})
        np.testing.assert_allclose(sess.run(moving_mean), 0.001 * x_value.mean(0), rtol=1e-5)


def test_batch_norm_4d_goes_through_the_layer_and_its_updates():
    x_value = np.random.RandomState(3).rand(2, 3, 3, 4).astype(np.float32)
    y = L.batch_norm(tf.constant(x_value), center=False, scale=True, decay=0.5)
    assert [v.op.name for v in F.get_model_variables()] == [
        "BatchNorm/gamma", "BatchNorm/moving_mean", "BatchNorm/moving_variance"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out, _ = sess.run([y, tf.get_collection(tf.GraphKeys.UPDATE_OPS)])
        moving_var = sess.run(F.get_unique_variable("BatchNorm/moving_variance"))
    mean, var = x_value.mean((0, 1, 2)), x_value.var((0, 1, 2))
    np.testing.assert_allclose(out, (x_value - mean) / np.sqrt(var + 1e-3), rtol=1e-4,
                               atol=1e-5)
    np.testing.assert_allclose(moving_var, 0.5 + 0.5 * var * 18 / 17, rtol=1e-5)
    with pytest.raises(ValueError, match="data_format has to be either NCHW or NHWC"):
        L.batch_norm(tf.ones([2, 2, 2, 2]), data_format="NDHWC", scope="bad")


def test_layer_norm_values_and_variables():
    x_value = np.random.RandomState(4).randn(3, 2, 5).astype(np.float32)
    y = L.layer_norm(tf.constant(x_value))
    L.layer_norm(tf.constant(x_value), begin_params_axis=1, center=False)
    assert _names(tf.global_variables()) == [
        ("LayerNorm/beta", [5]), ("LayerNorm/gamma", [5]), ("LayerNorm_1/gamma", [2, 5])]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(y)
    mean = x_value.mean((1, 2), keepdims=True)
    var = x_value.var((1, 2), keepdims=True)
    np.testing.assert_allclose(out, (x_value - mean) / np.sqrt(var), rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="must be < rank"):
        L.layer_norm(tf.ones([2, 3]), begin_norm_axis=2)


def test_embed_sequence():
    out = L.embed_sequence(tf.constant([[0, 2], [1, 1]]), vocab_size=4, embed_dim=3)
    emb = F.get_unique_variable("EmbedSequence/embeddings")
    assert out.shape.as_list() == [2, 2, 3] and F.get_model_variables() == [emb]
    with tf.Session() as sess:
        sess.run(emb.initializer)
        out_value, emb_value = sess.run([out, emb])
    np.testing.assert_allclose(out_value, emb_value[[[0, 2], [1, 1]]])
    with pytest.raises(ValueError, match="Must specify vocab size"):
        L.embed_sequence(tf.constant([[0]]))


def test_regularizers_and_apply_regularization():
    w = tf.constant([[1.0, -2.0], [3.0, 0.0]])
    total = L.apply_regularization(L.l1_l2_regularizer(0.5, 0.25), [w])
    with tf.Session() as sess:
        assert sess.run(total) == pytest.approx(0.5 * 6 + 0.25 * 14 / 2)
    assert L.l2_regularizer(0.0)(w) is None
    with pytest.raises(ValueError):
        L.l1_regularizer(-1.0)


@pytest.mark.parametrize("optimizer", ["SGD", "Adam", "Momentum", "Adagrad", "RMSProp",
                                       "Ftrl", tf.train.GradientDescentOptimizer,
                                       "instance"])
def test_optimize_loss_trains_a_regression(optimizer):
    rng = np.random.RandomState(5)
    x_value = rng.randn(32, 3).astype(np.float32)
    y_value = x_value @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3
    pred = L.fully_connected(tf.constant(x_value), 1, activation_fn=None)
    loss = tf.reduce_mean(tf.square(pred - y_value))
    step = F.get_or_create_global_step()
    if optimizer == "instance":
        optimizer = tf.train.AdamOptimizer(0.1)
    train = L.optimize_loss(loss, step, 0.1, optimizer, clip_gradients=10.0)
    assert "OptimizeLoss/learning_rate" in [v.op.name for v in tf.global_variables()]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(train)
        for _ in range(300):
            last = sess.run(train)
        assert sess.run(step) == 301
    assert last < 0.05 * first


def test_optimize_loss_decay_summaries_and_errors():
    v = tf.get_variable("v", initializer=[1.0, 2.0])
    loss = tf.reduce_sum(tf.square(v))
    step = F.get_or_create_global_step()
    train = L.optimize_loss(loss, step, 0.1, "SGD",
                            learning_rate_decay_fn=lambda lr, s: lr * 0.5,
                            summaries=["loss", "learning_rate", "gradient_norm"],
                            increment_global_step=False)
    tags = sorted(t.op.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES))
    assert tags == ["OptimizeLoss/global_norm/gradient_norm", "OptimizeLoss/gradient_norm/v_0",
                    "OptimizeLoss/learning_rate_1", "OptimizeLoss/loss"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        np.testing.assert_allclose(sess.run(v), [0.9, 1.8], rtol=1e-6)
        assert sess.run(step) == 0
    with pytest.raises(ValueError, match="Optimizer name should be one of"):
        L.optimize_loss(loss, step, 0.1, "Nope", name="o1")
    with pytest.raises(ValueError, match="Summaries should be one of"):
        L.optimize_loss(loss, step, 0.1, "SGD", summaries=["bad"], name="o2")
    with pytest.raises(ValueError, match="Learning rate should be 0d Tensor or float"):
        L.optimize_loss(loss, step, 1, "SGD", name="o3")
    with pytest.raises(ValueError, match="Learning rate is None"):
        L.optimize_loss(loss, step, None, "SGD", name="o4")


def test_optimize_loss_runs_update_ops_first():
    x = tf.constant(_batch())
    y = L.batch_norm(x)
    loss = tf.reduce_mean(tf.square(L.fully_connected(y, 1, activation_fn=None)))
    train = L.optimize_loss(loss, None, 0.01, "SGD", summaries=[])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        assert sess.run(F.get_unique_variable("BatchNorm/moving_mean")).any()


def test_summaries():
    scalar = tf.constant(1.0, name="s")
    hist = tf.constant([1.0, 2.0], name="h")
    act = tf.nn.relu(tf.constant([-1.0, 1.0]), name="act")
    assert len(L.summarize_tensors([scalar, hist])) == 2
    L.summarize_activation(act)
    tf.add_to_collection("coll", hist)
    L.summarize_collection("coll")
    names = [t.op.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES)]
    assert names[:2] == ["s_summary", "h_summary"] and "act/zeros" in names
    with tf.Session() as sess:
        assert sess.run(tf.summary.merge_all()) is not None
