"""tf.nn.embedding_lookup_sparse and tf.nn.safe_embedding_lookup_sparse: combiners, weights,
parts, names, shapes and errors as TF 1 gives them (checked with tfdiff), and training an
embedding through them (its gradient is IndexedSlices)."""
import numpy as np
import pytest

import minitf as tf

from _session import run

PARAMS = np.arange(12.0).reshape(6, 2).astype(np.float32)
INDICES = [[0, 0], [0, 1], [1, 0], [3, 0], [3, 2]]
IDS = [0, 5, 2, 2, 0]
WEIGHTS = [1.0, 2.0, 0.5, 3.0, 1.0]

# (combiner, unweighted rows, weighted rows), from TF
EXPECTED = [
    ("sum", [[10, 12], [4, 5], [0, 0], [4, 6]], [[20, 23], [2, 2.5], [0, 0], [12, 16]]),
    ("mean", [[5, 6], [4, 5], [0, 0], [2, 3]],
     [[6.6667, 7.6667], [4, 5], [0, 0], [3, 4]]),
    ("sqrtn", [[7.0711, 8.4853], [4, 5], [0, 0], [2.8284, 4.2426]],
     [[8.9443, 10.2859], [4, 5], [0, 0], [3.7947, 5.0596]]),
]


def _ids():
    return tf.SparseTensor(INDICES, tf.constant(IDS, tf.int64), [4, 3])


def _weights():
    return tf.SparseTensor(INDICES, WEIGHTS, [4, 3])


@pytest.mark.parametrize("combiner, plain, weighted", EXPECTED, ids=[e[0] for e in EXPECTED])
def test_combiners_with_and_without_weights(combiner, plain, weighted):
    a = tf.nn.embedding_lookup_sparse(PARAMS, _ids(), None, combiner=combiner)
    b = tf.nn.embedding_lookup_sparse(PARAMS, _ids(), _weights(), combiner=combiner)
    assert (a.name, b.name) == ("embedding_lookup_sparse:0", "embedding_lookup_sparse_1:0")
    assert a.shape.as_list() == b.shape.as_list() == [None, 2]
    got_a, got_b = run([a, b])
    np.testing.assert_allclose(got_a, plain, atol=1e-4)
    np.testing.assert_allclose(got_b, weighted, atol=1e-4)


def test_mean_is_the_default_combiner():
    np.testing.assert_allclose(run(tf.nn.embedding_lookup_sparse(PARAMS, _ids(), None)),
                               EXPECTED[1][1])


def test_parts_by_div_and_mod_and_max_norm():
    params = tf.constant(PARAMS)
    by_div = tf.nn.embedding_lookup_sparse([params[:3], params[3:]], _ids(), _weights(),
                                           partition_strategy="div", combiner="sqrtn",
                                           name="emb")
    by_mod = tf.nn.embedding_lookup_sparse([params[0::2], params[1::2]], _ids(), None,
                                           name="emb2")
    clipped = tf.nn.embedding_lookup_sparse(params, _ids(), _weights(), max_norm=3.0)
    assert (by_div.name, by_mod.name) == ("emb:0", "emb2:0")
    got = run([by_div, by_mod, clipped])
    np.testing.assert_allclose(got[0], EXPECTED[2][2], atol=1e-4)
    np.testing.assert_allclose(got[1], EXPECTED[1][1], atol=1e-4)
    np.testing.assert_allclose(got[2], [[1.3453, 1.8132], [1.8741, 2.3426], [0, 0],
                                        [1.4056, 2.0070]], atol=1e-4)


def test_argument_errors():
    with pytest.raises(ValueError, match="combiner must be one of 'mean', 'sqrtn' or 'sum', "
                                         "got max"):
        tf.nn.embedding_lookup_sparse(PARAMS, _ids(), None, combiner="max")
    with pytest.raises(TypeError, match="sp_ids must be SparseTensor, got <class 'list'>"):
        tf.nn.embedding_lookup_sparse(PARAMS, [[1]], None)
    with pytest.raises(TypeError, match="sp_weights must be either None or SparseTensor"):
        tf.nn.embedding_lookup_sparse(PARAMS, _ids(), [1.0])
    with pytest.raises(ValueError, match="Missing embedding_weights"):
        tf.nn.safe_embedding_lookup_sparse([], _ids())


def test_safe_lookup_fills_empty_rows_with_zeros_or_the_default_id():
    zeros = tf.nn.safe_embedding_lookup_sparse(PARAMS, _ids())
    default = tf.nn.safe_embedding_lookup_sparse(PARAMS, _ids(), _weights(), default_id=4,
                                                 combiner="sum")
    assert (zeros.name, default.name) == ("embedding_lookup/Reshape_2:0",
                                          "embedding_lookup_1/Reshape_3:0")
    assert zeros.shape.as_list() == default.shape.as_list() == [4, 2]
    got = run([zeros, default])
    np.testing.assert_allclose(got[0], [[5, 6], [4, 5], [0, 0], [2, 3]])
    np.testing.assert_allclose(got[1], [[20, 23], [2, 2.5], [8, 9], [12, 16]])


def test_safe_lookup_prunes_negative_ids_and_weights():
    ids = tf.SparseTensor([[0, 0], [0, 1], [2, 0], [2, 1]], tf.constant([1, -1, -3, 2], tf.int64),
                          [3, 2])
    weights = tf.SparseTensor([[0, 0], [0, 1], [2, 0], [2, 1]], [2.0, 1.0, 1.0, -1.0], [3, 2])
    mean = tf.nn.safe_embedding_lookup_sparse(PARAMS, ids, weights)
    total = tf.nn.safe_embedding_lookup_sparse(PARAMS, ids, weights, combiner="sum")
    assert mean.name == "embedding_lookup/Reshape_5:0"
    got = run([mean, total])
    np.testing.assert_allclose(got[0], [[2, 3], [0, 0], [0, 0]])
    np.testing.assert_allclose(got[1], [[4, 6], [0, 0], [-4, -5]])


def test_safe_lookup_of_rank_3_ids_over_parts():
    ids = tf.SparseTensor([[0, 0, 0], [0, 0, 1], [1, 1, 0]], tf.constant([1, 2, 3], tf.int64),
                          [2, 2, 2])
    out = tf.nn.safe_embedding_lookup_sparse([PARAMS[:3], PARAMS[3:]], ids)
    assert out.name == "embedding_lookup/Reshape_2:0" and out.shape.as_list() == [2, 2, 2]
    np.testing.assert_allclose(run(out), [[[3, 4], [0, 0]], [[0, 0], [6, 7]]])


def test_gradient_of_params_is_indexed_slices():
    params = tf.Variable(PARAMS)
    for weights, expected in ((None, [[7, 9], [0, 0], [10, 13], [0, 0], [0, 0], [5, 6]]),
                              (_weights(), [[5.9444, 7.1111], [0, 0], [12.5, 16], [0, 0], [0, 0],
                                            [8.8889, 10.2222]])):
        out = tf.nn.embedding_lookup_sparse(params, _ids(), weights)
        grad = tf.gradients(tf.reduce_sum(out * out), params)[0]
        assert type(grad) is tf.IndexedSlices
        np.testing.assert_allclose(run(tf.convert_to_tensor(grad)), expected, atol=1e-4)


def test_training_a_partitioned_embedding_lowers_the_loss():
    emb = tf.get_variable("emb", [7, 3], initializer=tf.ones_initializer(),
                          partitioner=tf.fixed_size_partitioner(3))
    sp = tf.sparse_placeholder(tf.int64, name="ids")
    out = tf.nn.embedding_lookup_sparse(emb, sp, None, combiner="sqrtn")
    loss = tf.reduce_sum(tf.square(out - 1.0))
    opt = tf.train.GradientDescentOptimizer(0.1)
    grads = opt.compute_gradients(loss)
    assert [(type(g), v.name) for g, v in grads] == [
        (tf.IndexedSlices, f"emb/part_{i}:0") for i in range(3)]
    train = opt.apply_gradients(grads)
    feed = {sp: tf.SparseTensorValue([[0, 0], [0, 1], [1, 0], [2, 0], [2, 1]], [6, 1, 3, 6, 4],
                                     [3, 2])}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        losses = [sess.run([loss, train], feed)[0] for _ in range(3)]
        np.testing.assert_allclose(losses, [1.0294, 0.5044, 0.2472], atol=1e-4)
        table = sess.run(tf.concat(list(emb), 0))
    np.testing.assert_allclose(table[:, 0], [1, 1, 0.7434, 0.8717, 0.8717, 1, 1], atol=1e-4)


def test_lookups_run_eagerly():
    with tf.eager_mode():
        ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([0, 5, 2], tf.int64), [3, 2])
        np.testing.assert_allclose(tf.nn.embedding_lookup_sparse(PARAMS, ids, None).numpy(),
                                   [[5, 6], [4, 5]])
        np.testing.assert_allclose(tf.nn.safe_embedding_lookup_sparse(PARAMS, ids).numpy(),
                                   [[5, 6], [4, 5], [0, 0]])


def test_safe_lookup_of_fed_ids_of_unknown_rank():
    params = [tf.Variable(PARAMS[:3]), tf.Variable(PARAMS[3:5])]
    sp, w = tf.sparse_placeholder(tf.int64), tf.sparse_placeholder(tf.float32)
    weighted = tf.nn.safe_embedding_lookup_sparse(params, sp, w, combiner="sqrtn")
    default = tf.nn.safe_embedding_lookup_sparse(params, sp, None, default_id=3)
    assert (weighted.name, default.name) == ("embedding_lookup/Reshape_5:0",
                                             "embedding_lookup_1/Reshape_1:0")
    assert weighted.shape.ndims is None and default.shape.ndims is None
    indices = [[0, 0, 0], [0, 1, 0], [0, 1, 1], [1, 0, 1]]
    ids = tf.SparseTensorValue(indices, [4, 1, -2, 0], [2, 3, 2])
    weights = tf.SparseTensorValue(indices, [2.0, 0.5, 1.0, 3.0], [2, 3, 2])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(weighted, {sp: ids, w: weights}), [
            [[8, 9], [2, 3], [0, 0]], [[0, 1], [0, 0], [0, 0]]])
        np.testing.assert_allclose(sess.run(default, {sp: ids}), [
            [[8, 9], [2, 3], [6, 7]], [[0, 1], [6, 7], [6, 7]]])
    grads = tf.gradients(tf.reduce_sum(default), params)
    assert [type(g) for g in grads] == [tf.IndexedSlices] * 2
