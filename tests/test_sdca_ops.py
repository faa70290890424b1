"""tf.train.sdca_optimizer, sdca_shrink_l1 and sdca_fprint (expected values from TF1)."""
import numpy as np
import pytest

import minitf as tf

X = np.array([[1.0, 0, 0], [0, -2.0, 0], [0, 0, 0.5]], np.float32)
IDS = ([10, 20, 30, 40], [7, 8, 9])


def _sdca(loss, labels, sw0, sw1, dw, state, parts=1, adaptative=False):
    """Two sparse groups (the first with values) and one dense group; examples with disjoint
    features, so the order of the visits does not matter."""
    return tf.train.sdca_optimizer(
        sparse_example_indices=[tf.constant([0, 0, 1, 2], tf.int64),
                                tf.constant([0, 1, 2], tf.int64)],
        sparse_feature_indices=[tf.constant(IDS[0], tf.int64), tf.constant(IDS[1], tf.int64)],
        sparse_feature_values=[tf.constant([0.5, -1.0, 2.0, 1.5])],
        dense_features=[tf.constant(X)], example_weights=tf.constant([1.0, 2.0, 0.5]),
        example_labels=tf.constant(labels, tf.float32),
        sparse_indices=[tf.constant(IDS[0], tf.int64), tf.constant(IDS[1], tf.int64)],
        sparse_weights=[sw0, sw1], dense_weights=[dw], example_state_data=state,
        loss_type=loss, l1=0.05, l2=0.5, num_loss_partitions=parts, num_inner_iterations=1,
        adaptative=adaptative)


# loss, labels, partitions -> after three passes: example state, sparse weights, dense weights
THREE_PASSES = {
    "logistic_loss": ([1., 0., 1.], 1, [
        [0.198926, 0.221802, -0.49891, 1.], [-0.089454, 0.187421, -0.602543, 2.],
        [0.317997, 0.191361, -0.312675, 0.5]],
        [0.298926, -0.597852, -0.415628, 0.476996], [0.397852, -0.357814, 0.317997],
        [0.597852, 0.815628, -0.141001]),
    "squared_loss": ([1.5, -0.5, 2.0], 2, [
        [0.166445, 0.110342, -0.204428, 1.], [-0.022786, 0.083697, -0.01872, 2.],
        [0.472778, 0.212553, -0.366857, 0.5]],
        [0.266445, -0.53289, 0.117713, 0.709167], [0.33289, -0.091144, 0.472778],
        [0.53289, 0.282287, -0.063611]),
    "hinge_loss": ([1., 0., 0.], 1, [
        [0.138462, 0., -0.138462, 1.], [-0.051818, 0.28642, -0.095679, 2.],
        [-0.328571, 0., -0.164286, 0.5]],
        [0.238462, -0.476923, -0.11454, -0.492857], [0.276923, -0.20727, -0.328571],
        [0.476923, 0.51454, -0.464286]),
    "smooth_hinge_loss": ([0., 1., 1.], 3, [
        [-0.142122, 0.398495, -0.098259, 1.], [0.014072, 0.191484, -0.020198, 2.],
        [0.224057, 0.135672, -0.079941, 0.5]],
        [-0.042122, 0.084244, 0.412577, 0.336085], [-0.284244, 0.056288, 0.224057],
        [-0.084244, -0.012577, -0.187972]),
    "poisson_loss": ([2., 0., 1.], 1, [
        [0.084604, 0.615547, -0.670533, 1.], [-0.091445, 0.18289, -0.620366, 2.],
        [0.049434, 0.501986, -0.499633, 0.5]],
        [0.184604, -0.369208, -0.43156, 0.074151], [0.169208, -0.36578, 0.049434],
        [0.369208, 0.83156, -0.275283]),
}


@pytest.mark.parametrize("loss", sorted(THREE_PASSES))
def test_three_passes_match_tf(loss):
    labels, parts, state, w0, w1, d = THREE_PASSES[loss]
    with tf.Graph().as_default():
        sw0, sw1 = tf.placeholder(tf.float32, [4]), tf.placeholder(tf.float32, [3])
        dw, st = tf.placeholder(tf.float32, [3]), tf.placeholder(tf.float32, [3, 4])
        out = _sdca(loss, labels, sw0, sw1, dw, st, parts)
        v0, v1 = np.array([0.1, -0.2, 0.3, 0.0], np.float32), np.zeros(3, np.float32)
        vd, s = np.array([0.2, 0.1, -0.3], np.float32), np.zeros([3, 4], np.float32)
        with tf.Session() as sess:
            for _ in range(3):
                s, (d0, d1), (dd,) = sess.run(out, {sw0: v0, sw1: v1, dw: vd, st: s})
                v0, v1, vd = v0 + d0, v1 + d1, vd + dd
    np.testing.assert_allclose(s, state, atol=2e-6)
    for got, want in ((v0, w0), (v1, w1), (vd, d)):
        np.testing.assert_allclose(got, want, atol=2e-6)


# one pass of diagonal dense features, from zero state (TF's values)
ONE_PASS = {
    "logistic_loss": ([[0.401058, 0.693147, 0., 1.], [-0.171702, 1.196278, 0., 2.],
                       [0.447244, 0.644397, 0., 1.], [-0.391608, 0.346574, 0., 0.5]],
                      [0.401058, -0.686807, 0.223622, -0.293706]),
    "hinge_loss": ([[1., 1., -0., 1.], [-0.1, 1.6, 0., 2.], [1., 0.9, -0., 1.],
                    [-0.888889, 0.5, 0., 0.5]], [1., -0.4, 0.5, -0.666667]),
    "poisson_loss": ([[0., 1., -1., 1.], [-0.185552, 1.637462, 0., 2.],
                      [-0.082587, 1.005171, -1., 1.], [-0.542923, 0.5, 0., 0.5]],
                     [0., -0.742209, -0.041293, -0.407192]),
}


@pytest.mark.parametrize("loss", sorted(ONE_PASS))
def test_dense_only_one_pass(loss):
    state, delta = ONE_PASS[loss]
    w = tf.constant([0.1, -0.2, 0.3, 0.0])
    out = tf.train.sdca_optimizer(
        [], [], [], [tf.constant(np.diag([1.0, 2.0, 0.5, 1.5]).astype(np.float32))],
        tf.constant([1.0, 2.0, 1.0, 0.5]), tf.constant([1.0, 0.0, 1.0, 0.0]), [], [], [w],
        tf.zeros([4, 4]), loss_type=loss, l1=0.1, l2=1.0, num_loss_partitions=1,
        num_inner_iterations=1, adaptative=False)
    assert type(out).__name__ == "SdcaOptimizer" and out.out_delta_sparse_weights == []
    assert out[0].op.type == "SdcaOptimizer"
    assert out[0].shape.as_list() == [None, 4] and out[2][0].shape.as_list() == [4]
    with tf.Session() as sess:
        s, _, (d,) = sess.run(out)
    np.testing.assert_allclose(s, state, atol=2e-6)
    np.testing.assert_allclose(d, delta, atol=2e-6)
    assert str(s[0, 2]) == str(np.float32(state[0][2]))  # (TF's -0.0 of a zero dual)


def test_adaptive_one_example():
    out = tf.train.sdca_optimizer(
        [], [], [], [tf.constant([[1.0, 2.0]])], tf.constant([2.0]), tf.constant([1.0]), [], [],
        [tf.constant([0.1, 0.2])], tf.zeros([1, 4]), loss_type="logistic_loss", l1=0.0, l2=1.0,
        num_loss_partitions=1, num_inner_iterations=1)
    with tf.Session() as sess:
        s, _, (d,) = sess.run(out)
    np.testing.assert_allclose(s, [[0.135402, 0.948154, 0., 2.]], atol=2e-6)
    np.testing.assert_allclose(d, [0.270804, 0.541607], atol=2e-6)


def test_adaptive_visits_sampled_examples():
    # random in TF as here: each example is visited zero or more times
    with tf.Graph().as_default():
        z = tf.zeros([3])
        out = _sdca("squared_loss", [1.5, -0.5, 2.0], tf.zeros([4]), z, z, tf.zeros([3, 4]),
                    adaptative=True)
        with tf.Session() as sess:
            s, (d0, d1), (dd,) = sess.run(out)
    assert s.shape == (3, 4) and d0.shape == (4,) and dd.shape == (3,)
    assert set(s[:, 3]) <= {0.0, 1.0, 2.0, 0.5}


def _feed_run(loss, labels, state_rows=3):
    with tf.Graph().as_default():
        z = tf.zeros([3])
        out = _sdca(loss, labels, tf.zeros([4]), z, z, tf.zeros([state_rows, 4]))
        with tf.Session() as sess:
            sess.run(out)


def test_errors():
    with pytest.raises(ValueError, match="Attr 'loss_type' of 'SdcaOptimizer' Op passed "
                       "string 'foo_loss' not in: \"logistic_loss\", \"squared_loss\""):
        _feed_run("foo_loss", [1., 0., 1.])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Only labels of 0.0 or 1.0 are supported right now. Found "
                       "example with label: 2"):
        _feed_run("logistic_loss", [1., 2., 1.])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Only non-negative labels can be used with the Poisson log loss. "
                       "Found example with label: -2"):
        _feed_run("poisson_loss", [1., -2., 1.])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Expected shape \[3,4\] for example_state_data, got \[2,4\]"):
        _feed_run("squared_loss", [1., 1., 1.], state_rows=2)
    with pytest.raises(ValueError, match="List argument 'sparse_feature_indices' to "
                       "'sdca_optimizer' Op with length 0 must match length 1 of argument "
                       "'sparse_example_indices'."):
        tf.train.sdca_optimizer([tf.constant([0], tf.int64)], [], [], [], [1.0], [1.0], [], [],
                                [], np.zeros([1, 4], np.float32), "squared_loss", 0.0, 1.0, 1, 1)


def test_sparse_index_errors():
    def run(example_ids, feature_ids):
        out = tf.train.sdca_optimizer(
            [tf.constant(example_ids, tf.int64)], [tf.constant(feature_ids, tf.int64)], [], [],
            [1.0, 1.0], [1.0, 0.0], [tf.constant([3, 5], tf.int64)], [tf.zeros([2])], [],
            tf.zeros([2, 4]), "squared_loss", 0.0, 1.0, 1, 1)
        with tf.Session() as sess:
            return sess.run(out)
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of valid range: 4"):
        run([0, 1], [3, 4])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Duplicate index in sparse"):
        run([0, 0], [3, 3])
    s, (d,), _ = run([0, 1], [3, 5])
    np.testing.assert_allclose(s[:, 0], [0.5, 0.0])
    np.testing.assert_allclose(d, [0.5, 0.0])


def test_shrink_l1_in_place():
    a = tf.Variable([0.5, -0.05, -0.3, 0.1], name="a")
    b = tf.Variable([[2.0, -1.0], [0.01, 0.0]], name="b")
    op = tf.train.sdca_shrink_l1([a, b], l1=0.2, l2=2.0)
    assert (op.type, op.name, len(op.outputs)) == ("SdcaShrinkL1", "SdcaShrinkL1", 0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(op)
        va, vb = sess.run([a, b])
        assert str(va.tolist()) == "[0.4000000059604645, -0.0, -0.20000001788139343, 0.0]"
        np.testing.assert_array_equal(vb, np.float32([[1.9, -0.9], [0, 0]]))
        sess.run(op)
        np.testing.assert_array_equal(sess.run(a), np.float32([0.3, 0, -0.10000002, 0]))
        np.testing.assert_array_equal(sess.run(b), np.float32([[1.8, -0.79999995], [0, 0]]))
    with pytest.raises(TypeError, match="'SdcaShrinkL1' Op requires that input 'weights' be "
                       "a mutable tensor"):
        tf.train.sdca_shrink_l1([tf.constant([1.0])], l1=0.2, l2=2.0)


def test_fprint_matches_tf():
    words = ["", "a", "hello world", "x" * 20, "y" * 40, "z" * 70, "w" * 200]
    f = tf.train.sdca_fprint(tf.constant(words))
    assert (f.op.type, f.shape.as_list(), f.dtype) == ("SdcaFprint", [7, 2], tf.int64)
    with tf.Session() as sess:
        got = sess.run(f)
    np.testing.assert_array_equal(got, [
        [4463240938071824939, 4374473821787594281], [7969074168056553668, 5955762262185338209],
        [2911873174415414509, 6996746284954752264], [1059644254409112746, 7624552636967361009],
        [-380523649718936798, -1157855863885851855], [2245113935513523588, 851675108567695423],
        [109267649667465115, -7003517572791534806]])
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.train.sdca_fprint(tf.constant([["a"]]))


@pytest.mark.parametrize("loss, state", [("hinge_loss", [1., 1., np.inf, 2.]),
                                         ("poisson_loss", [0.9999252, 2.2974424, np.inf, 2.])])
def test_infeasible_dual_has_infinite_dual_loss(loss, state):
    out = tf.train.sdca_optimizer(
        [], [], [], [tf.constant([[1.0, 2.0]])], tf.constant([2.0]), tf.constant([1.0]), [], [],
        [tf.constant([0.1, 0.2])], tf.constant([[2.0, 0, 0, 0]]), loss_type=loss, l1=0.0,
        l2=1.0, num_loss_partitions=1, num_inner_iterations=1)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(out)[0], [state], rtol=1e-6)
