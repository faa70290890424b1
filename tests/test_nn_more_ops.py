"""More tf.nn (issue 18): leaky_relu, selu, swish, crelu, relu_layer, xw_plus_b, bias_add NCHW,
the logistic/Poisson losses, TF1's softmax_cross_entropy_with_logits, batch_normalization,
weighted_moments, lrn and fused_batch_norm. Values, names, shapes and errors are TF 1's (tfdiff)."""
import numpy as np
import pytest

import minitf as tf

from _session import run

X = np.array([[-2.0, -0.5, 0.0, 1.5], [3.0, -1.0, 0.25, -4.0]], np.float32)
LAB = np.array([[0.0, 1.0, 0.5, 1.0], [1.0, 0.0, 0.25, 0.0]], np.float32)
W = np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.0], [-1.0, 1.0]], np.float32)
B = np.array([0.1, -0.2], np.float32)


def close(t, expected, tol=1e-4):
    value = t if isinstance(t, np.ndarray) else run(t)
    np.testing.assert_allclose(value, expected, rtol=tol, atol=tol)


def test_leaky_relu_and_its_gradient():
    x = tf.constant(X)
    y = tf.nn.leaky_relu(x)
    assert (y.name, y.op.type, y.shape.as_list()) == ("LeakyRelu:0", "LeakyRelu", [2, 4])
    close(y, [[-0.4, -0.1, 0.0, 1.5], [3.0, -0.2, 0.25, -0.8]])
    close(tf.nn.leaky_relu(x, alpha=0.1), [[-0.2, -0.05, 0.0, 1.5], [3.0, -0.1, 0.25, -0.4]])
    # the slope at 0 is alpha's
    close(tf.gradients(tf.nn.leaky_relu(x, 0.3), x)[0], [[0.3, 0.3, 0.3, 1], [1, 0.3, 1, 0.3]])
    assert tf.nn.leaky_relu([1, -2]).dtype == tf.float32  # integers are cast first


def test_selu_and_its_gradient():
    x = tf.constant(X)
    y = tf.nn.selu(x)
    assert (y.name, y.op.type) == ("Selu:0", "Selu")
    close(y, [[-1.52017, -0.69176, 0.0, 1.57605], [3.1521, -1.11133, 0.26268, -1.7259]])
    close(tf.gradients(y, x)[0], [[0.23793, 1.06634, 1.0507, 1.0507],
                                  [1.0507, 0.64677, 1.0507, 0.0322]])
    with pytest.raises(TypeError, match="'features' has DataType int32"):
        tf.nn.selu([1, 2])


def test_swish_is_silu():
    x = tf.constant(X)
    assert tf.nn.silu is tf.nn.swish
    close(tf.nn.swish(x), [[-0.23841, -0.18877, 0.0, 1.22636], [2.85772, -0.26894, 0.14054,
                                                                 -0.07194]])
    close(tf.gradients(tf.nn.swish(x), x)[0], [[-0.09078, 0.26004, 0.5, 1.04129],
                                               [1.0881, 0.07233, 0.62371, -0.05266]])


def test_crelu_concatenates_both_halves():
    y = tf.nn.crelu(X)
    assert (y.name, y.op.type, y.shape.as_list()) == ("CRelu/Relu:0", "Relu", [2, 8])
    close(y, [[0, 0, 0, 1.5, 2, 0.5, 0, 0], [3, 0, 0.25, 0, 0, 1, 0, 4]])
    assert tf.nn.crelu(X, axis=0).shape.as_list() == [4, 4]


def test_relu_layer_and_xw_plus_b():
    y = tf.nn.xw_plus_b(X, W, B)
    assert (y.name, y.op.type, y.shape.as_list()) == ("xw_plus_b:0", "BiasAdd", [2, 2])
    close(y, [[-3.65, -2.2], [7.1, 2.8]])
    z = tf.nn.relu_layer(X, W, B)
    assert (z.name, z.op.type) == ("relu_layer:0", "Relu")
    close(z, [[0, 0], [7.1, 2.8]])


def test_bias_add_channels_first():
    v = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 2, 2))
    b = tf.constant([1.0, -1.0, 10.0])
    y = tf.nn.bias_add(v, b, data_format="NCHW")
    assert y.shape.as_list() == [2, 3, 2, 2]
    np.testing.assert_array_equal(run(y)[:, :, 0, 0], [[1, 3, 18], [13, 15, 30]])
    np.testing.assert_array_equal(run(tf.nn.bias_add(v, b, data_format="NC...")), run(y))
    np.testing.assert_array_equal(run(tf.gradients(y ** 2, b)[0]), [136, 168, 408])
    with pytest.raises(ValueError, match="Shape must be at least rank 3 but is rank 2"):
        tf.nn.bias_add([[1.0, 2.0, 3.0]], b, data_format="NCHW")
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 1 and 3"):
        tf.nn.bias_add(tf.zeros([3, 1, 2]), b, data_format="NCHW")
    with pytest.raises(ValueError, match="must be of the form `N...C` or `NC...`"):
        tf.nn.bias_add(v, b, data_format="XYZ")


def test_bias_add_channels_first_gradient_of_an_unknown_rank():
    x = tf.placeholder(tf.float32)
    b = tf.constant([1.0, 2.0])
    y = tf.nn.bias_add(x, b, data_format="NCHW")
    g = tf.gradients(y * y, b)[0]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(g, {x: np.ones((2, 2, 3))}), [24, 36])


def test_sigmoid_cross_entropy_with_logits():
    y = tf.nn.sigmoid_cross_entropy_with_logits(labels=LAB, logits=X)
    assert (y.name, y.op.type, y.shape.as_list()) == ("logistic_loss:0", "AddV2", [2, 4])
    close(y, [[0.12693, 0.97408, 0.69315, 0.20141], [0.04859, 0.31326, 0.76344, 0.01815]])
    x, lab = tf.constant(X), tf.constant(LAB)
    gx, gl = tf.gradients(tf.nn.sigmoid_cross_entropy_with_logits(labels=lab, logits=x),
                          [x, lab])
    close(gx, [[0.1192, -0.62246, 0.0, -0.18243], [-0.04743, 0.26894, 0.31218, 0.01799]])
    close(gl, -X)
    with pytest.raises(ValueError, match=r"`logits` and `labels` must have the same shape, "
                       r"received \(\(3,\) vs \(2,\)\)"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 2.0], logits=[1.0, 2.0, 3.0])
    with pytest.raises(TypeError):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=[1, 2], logits=[1, 2])


def test_weighted_cross_entropy_with_logits():
    y = tf.nn.weighted_cross_entropy_with_logits(targets=LAB, logits=X, pos_weight=2.0)
    assert y.name == "logistic_loss:0"
    close(y, [[0.12693, 1.94815, 1.03972, 0.40283], [0.09717, 0.31326, 0.90742, 0.01815]])
    x, lab = tf.constant(X), tf.constant(LAB)
    gx, gl = tf.gradients(tf.nn.weighted_cross_entropy_with_logits(lab, x, 2.0), [x, lab])
    close(gx, [[0.1192, -1.24492, 0.5, -0.36485], [-0.09485, 0.26894, 0.20272, 0.01799]])
    close(gl, [[4.12693, 1.47408, 0.69315, -1.29859], [-2.95141, 2.31326, 0.32594, 8.01815]])
    with pytest.raises(ValueError, match="Cannot specify both 'targets' and 'labels'."):
        tf.nn.weighted_cross_entropy_with_logits(labels=[1.0], targets=[1.0], logits=[1.0],
                                                 pos_weight=1.0)


def test_log_poisson_loss():
    y = tf.nn.log_poisson_loss(LAB, X)
    assert (y.name, y.op.type) == ("log_poisson_loss/sub:0", "Sub")
    expected = [[0.13534, 1.10653, 1.0, 2.98169], [17.08554, 0.36788, 1.22153, 0.01832]]
    close(y, expected)
    full = tf.nn.log_poisson_loss(LAB, X, compute_full_loss=True)
    assert full.name == "log_poisson_loss_1/add_1:0"
    close(full, expected)  # the Stirling term is 0 for targets in [0, 1]
    close(tf.nn.log_poisson_loss(LAB * 3, X, compute_full_loss=True),
          [[0.13534, 3.87061, 1.22987, 1.74577], [12.84962, 0.36788, 1.09653, 0.01832]])
    with pytest.raises(ValueError, match="`log_input` and `targets` must have the same shape"):
        tf.nn.log_poisson_loss([1.0, 2.0], [1.0, 2.0, 3.0])


def test_softmax_cross_entropy_with_logits_v1_stops_the_labels_gradient():
    x, lab = tf.constant(X), tf.constant(LAB)
    y = tf.nn.softmax_cross_entropy_with_logits(labels=lab, logits=x)
    assert y.name.startswith("softmax_cross_entropy_with_logits_sg")
    close(y, [3.57085, 0.78735])
    gx, gl = tf.gradients(y, [x, lab])
    assert gl is None
    # labels summing to 1: TF's softmax - labels
    one = lab / tf.reduce_sum(lab, 1, keepdims=True)
    g = tf.gradients(tf.nn.softmax_cross_entropy_with_logits(labels=one, logits=x), x)[0]
    close(g, run(tf.nn.softmax(x)) - run(one))


def test_batch_normalization_composes_as_tf():
    y = tf.nn.batch_normalization(X, [0.5, 0.0, 0.1, 0.2], tf.constant([1.0, 2.0, 0.5, 1.0]),
                                  tf.constant([0.0, 1.0, 0.0, 0.0]),
                                  tf.constant([1.0, 2.0, 1.0, 0.5]), 1e-3)
    assert (y.name, y.op.type) == ("batchnorm/add_1:0", "AddV2")
    close(y, [[-2.49875, 0.29307, -0.14128, 0.64968], [2.49875, -0.41386, 0.21192, -2.09895]])
    z = tf.nn.batch_normalization(X, 0.5, 2.0, None, None, 1e-3)
    close(z, [[-1.76733, -0.70693, -0.35347, 0.70693], [1.76733, -1.0604, -0.17673, -3.18119]])


def test_weighted_moments():
    mean, var = tf.nn.weighted_moments(X, [0], LAB)
    assert (mean.name, var.name) == ("weighted_moments/Squeeze:0", "weighted_moments/Squeeze_1:0")
    close(mean, [3.0, -0.5, 0.08333, 1.5])
    close(var, [0.0, 0.0, 0.01389, 0.0])
    mean, var = tf.nn.weighted_moments(X, [1], LAB, keep_dims=True)
    assert mean.shape.as_list() == [2, 1]
    close(mean, [[0.4], [2.45]])
    close(var, [[0.84], [1.21]])


LRN_X = np.linspace(-2, 3, 40).reshape(2, 2, 2, 5).astype(np.float32)
LRN_W = np.cos(np.arange(40)).reshape(2, 2, 2, 5).astype(np.float32)


def test_lrn_values_and_gradient():
    x = tf.constant(LRN_X)
    y = tf.nn.lrn(x, depth_radius=2, bias=1.0, alpha=0.5, beta=0.75)
    assert (y.name, y.op.type, y.shape.as_list()) == ("LRN:0", "LRN", [2, 2, 2, 5])
    close(run(y)[0, 0], [[-0.5046, -0.4099, -0.3447, -0.3887, -0.4495],
                         [-0.5565, -0.4555, -0.3812, -0.4074, -0.4334]])
    close(run(y)[1, 1, 1], [0.4042, 0.3364, 0.2912, 0.346, 0.4286])
    g = run(tf.gradients(y, x, LRN_W)[0])
    close(g[0, 0, 0], [0.1126, 0.0684, -0.0509, -0.1116, -0.0484])
    close(g[0, 1, 1], [-0.7497, -0.9168, -0.3083, 0.4966, 0.7377])
    assert tf.nn.local_response_normalization is tf.nn.lrn
    close(run(tf.nn.lrn(x))[1, 1, 1], [0.3993, 0.4199, 0.4405, 0.461, 0.4816])


def test_lrn_errors():
    with pytest.raises(ValueError, match="Shape must be rank 4 but is rank 1"):
        tf.nn.lrn([1.0, 2.0])
    with pytest.raises(TypeError, match="'input' has DataType int32"):
        tf.nn.lrn([[[[1, 2]]]])


SCALE = np.array([1.0, 2.0, 0.5, 1.0, 1.5], np.float32)
OFFSET = np.array([0.0, 1.0, -1.0, 0.5, 0.0], np.float32)


def test_fused_batch_norm_training():
    x = tf.constant(LRN_X)
    y, mean, var = tf.nn.fused_batch_norm(x, SCALE, OFFSET, epsilon=0.01)
    assert [t.name for t in (y, mean, var)] == [
        "FusedBatchNormV3:0", "FusedBatchNormV3:1", "FusedBatchNormV3:2"]
    assert len(y.op.outputs) == 6 and mean.shape.as_list() == [5]
    close(run(y)[0, 0, 0], [-1.524, -2.048, -1.762, -1.024, -2.286])
    close(mean, [0.2436, 0.3718, 0.5, 0.6282, 0.7564])
    close(var, [2.4655] * 5)  # Bessel-corrected
    scale, offset = tf.constant(SCALE), tf.constant(OFFSET)
    y = tf.nn.fused_batch_norm(x, scale, offset, epsilon=0.01)[0]
    gx, gs, go = tf.gradients(y, [x, scale, offset], LRN_W)
    close(run(gx)[0, 0, 0], [0.4448, 0.346, -0.1289, -0.4516, -0.3453])
    close(gs, [-1.5924, -0.559, 0.9884, 1.627, 0.7698])
    close(go, [0.3347, 1.4332, 1.214, -0.1214, -1.3451])
    # channels first: the same numbers transposed
    xc = tf.transpose(x, [0, 3, 1, 2])
    yc = tf.nn.fused_batch_norm(xc, scale, offset, epsilon=0.01, data_format="NCHW")
    close(yc[0], np.transpose(run(y), [0, 3, 1, 2]))
    close(yc[2], [2.4655] * 5)
    gc = tf.gradients(yc[0], [xc, scale], np.transpose(LRN_W, [0, 3, 1, 2]))
    close(gc[0], np.transpose(run(gx), [0, 3, 1, 2]))
    close(gc[1], [-1.5924, -0.559, 0.9884, 1.627, 0.7698])


def test_fused_batch_norm_inference():
    x, scale, offset = tf.constant(LRN_X), tf.constant(SCALE), tf.constant(OFFSET)
    m = tf.constant([0.1, 0.2, 0.3, 0.4, 0.5])
    v = tf.constant([1.0, 2.0, 1.5, 0.5, 1.0])
    y = tf.nn.fused_batch_norm(x, scale, offset, m, v, epsilon=0.01, is_training=False)
    close(run(y[0])[0, 0, 0], [-2.0896, -1.9227, -1.8315, -2.3221, -2.966])
    gx, gs, go, gm, gv = tf.gradients(y[0], [x, scale, offset, m, v], LRN_W)
    assert gm is None and gv is None
    close(run(gx)[0, 0, 0], [0.995, 0.7622, -0.1693, -1.3863, -0.9756])
    close(gs, [-2.2849, -0.4068, 1.3817, 3.3153, 0.7845])
    close(go, [0.3347, 1.4332, 1.214, -0.1214, -1.3451])


def test_fused_batch_norm_errors():
    x = tf.constant(LRN_X)
    with pytest.raises(ValueError, match="Both `mean` and `variance` must be a 1D tensor"):
        tf.nn.fused_batch_norm(x, SCALE, OFFSET, is_training=False)
    with pytest.raises(ValueError, match="Shape must be rank 4 but is rank 2"):
        tf.nn.fused_batch_norm([[1.0, 2.0]], [1.0, 1.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 5 and 2"):
        tf.nn.fused_batch_norm(x, [1.0, 1.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="Shape must be rank 5 but is rank 4"):
        tf.nn.fused_batch_norm(x, SCALE, OFFSET, data_format="NCDHW")
    with pytest.raises(ValueError, match="Attr 'data_format' of 'FusedBatchNormV3' Op passed "
                       "string 'NCW' not in"):
        tf.nn.fused_batch_norm(x, SCALE, OFFSET, data_format="NCW")
    with pytest.raises(TypeError, match="parameter 'x' has DataType float64"):
        tf.nn.fused_batch_norm(tf.cast(x, tf.float64), SCALE, OFFSET)


def test_fused_batch_norm_running_averages_and_half_precision():
    x = tf.constant(np.linspace(-2, 3, 24).reshape(2, 2, 2, 3).astype(np.float32))
    scale, offset = [1.0, 2.0, 0.5], [0.0, 1.0, -1.0]
    y, mean, var = tf.nn.fused_batch_norm(x, scale, offset, [0.1, 0.2, 0.3], [1.0, 2.0, 1.5],
                                          exponential_avg_factor=0.5)
    close(mean, [0.1913, 0.35, 0.5087])  # (1 - f) * given + f * the batch's (unbiased)
    close(var, [1.776, 2.276, 2.026])
    close(y[0, 0], [[-1.5272, -2.0544, -1.7636], [-1.0908, -1.1817, -1.5454]])
    y, mean, var = tf.nn.fused_batch_norm(tf.cast(x, tf.float16), scale, offset, epsilon=0.0)
    assert [t.dtype for t in (y, mean, var)] == [tf.float16, tf.float32, tf.float32]
    close(y[0, 0], [[-1.5273, -2.0547, -1.7637], [-1.0908, -1.1826, -1.5459]], 2e-3)


def test_fused_batch_norm_second_derivative_in_float64(monkeypatch):
    # (TF's op takes float32 at most; let it take float64 here, for exact finite differences)
    import test_gradient_check as gc
    import test_second_order as so

    from minitf.ops import nn_norm_ops

    monkeypatch.setattr(nn_norm_ops, "_HALF_FLOATS", nn_norm_ops._HALF_FLOATS + (tf.float64,))
    rng = np.random.RandomState(1)
    values = [rng.uniform(-1, 1, (2, 2, 2, 3)), rng.uniform(0.5, 1.5, 3), rng.uniform(-1, 1, 3)]
    for training in (True, False):
        def build(x, s, o, training=training):
            stats = (None, None) if training else (np.array([0.1, -0.2, 0.3]),
                                                   np.array([0.5, 1.5, 2.0]))
            return tf.nn.fused_batch_norm(x, s, o, *stats, is_training=training)[0]
        xs, loss, grads = gc._loss_and_grads(so._first_gradient(build, 3), values)
        with tf.Session() as sess:
            analytic = sess.run(grads, dict(zip(xs, values)))
            numeric = gc._numeric(sess, loss, xs, values, eps=1e-5)
        for a, n in zip(analytic, numeric):
            np.testing.assert_allclose(a, n, rtol=1e-6, atol=1e-6)
