"""tf.gradients: names, summing paths, None for unconnected inputs, stop_gradient, grad_ys,
variables (ref and resource), IndexedSlices from gather and embedding_lookup."""
import numpy as np
import pytest

import minitf as tf
from minitf.framework.registry import REGISTRY, register_op

from _session import run


def test_names_live_under_the_gradients_scope():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.get_variable("w", [3, 2])
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w)))
    (gw,) = tf.gradients(loss, [w])
    assert gw.name == "gradients/MatMul_grad/MatMul_1:0"
    assert tf.get_default_graph().get_operation_by_name("gradients/grad_ys_0").type == "Fill"
    (again,) = tf.gradients(loss, w)
    assert again.name.startswith("gradients_1/")
    (named,) = tf.gradients(loss, w, name="grads")
    assert named.name.startswith("grads/")


def test_paths_are_summed_and_unconnected_inputs_get_none():
    a = tf.constant([1.0, 2.0])
    b = tf.constant(3.0)
    y = a * a + a
    ga, gb = tf.gradients(y, [a, b])
    assert gb is None
    np.testing.assert_array_equal(run(ga), [3.0, 5.0])
    assert any(op.type == "AddN" for op in tf.get_default_graph().get_operations())


def test_several_ys_and_grad_ys():
    a = tf.constant([1.0, 2.0])
    (g,) = tf.gradients([a * 2.0, a * a], a, grad_ys=[tf.constant([1.0, 0.0]), None])
    np.testing.assert_array_equal(run(g), [2.0 + 2.0, 0.0 + 4.0])
    with pytest.raises(ValueError, match="Passed 1 grad_ys for 2 ys"):
        tf.gradients([a, a], a, grad_ys=[a])


def test_stop_gradient_and_stop_gradients():
    a = tf.constant([1.0, 2.0])
    (g,) = tf.gradients(tf.stop_gradient(a * 2.0) + a * a, a)
    np.testing.assert_array_equal(run(g), [2.0, 4.0])
    b = a * 3.0
    y = b * b
    ga, gb = tf.gradients(y, [a, b], stop_gradients=[b])
    assert ga is None
    np.testing.assert_array_equal(run(gb), [6.0, 12.0])


def test_integer_paths_carry_no_gradient_and_int_ys_need_grad_ys():
    a = tf.constant([1.5, 2.5])
    (g,) = tf.gradients(tf.cast(tf.cast(a, tf.int32), tf.float32) * 2.0, a)
    assert g is None
    with pytest.raises(TypeError, match="need grad_ys"):
        tf.gradients(tf.cast(a, tf.int32), a)


def test_an_op_without_a_gradient_raises_lookup_error():
    opdef = register_op("TestNoGradient", shape=lambda x: x._shape)(lambda x: x)
    try:
        a = tf.constant([1.0])
        with pytest.raises(LookupError, match="No gradient defined for operation 'TestNoGra"):
            tf.gradients(opdef.apply([a]) * 2.0, a)
    finally:
        del REGISTRY["TestNoGradient"]


@pytest.mark.parametrize("use_resource", [False, True])
def test_gradients_of_variables(use_resource):
    v = tf.get_variable("v", initializer=np.array([1.0, -2.0], np.float32),
                        use_resource=use_resource)
    (g,) = tf.gradients(tf.reduce_sum(v * v * 3.0), v)
    np.testing.assert_allclose(run(g), [6.0, -12.0])
    if use_resource:
        assert "ReadVariableOp" in {op.type for op in tf.get_default_graph().get_operations()}


def test_gather_gives_indexed_slices_and_they_aggregate():
    e = tf.get_variable("e", initializer=np.arange(10.0, dtype=np.float32).reshape(5, 2))
    y = tf.reduce_sum(tf.gather(e, [0, 3, 3]) * 2.0)
    (g,) = tf.gradients(y, e)
    assert isinstance(g, tf.IndexedSlices)
    value = run(g)
    np.testing.assert_array_equal(value.indices, [0, 3, 3])
    np.testing.assert_array_equal(value.values, np.full((3, 2), 2.0))
    np.testing.assert_array_equal(value.dense_shape, [5, 2])
    np.testing.assert_array_equal(run(tf.convert_to_tensor(g))[[0, 1, 3]], [[2, 2], [0, 0],
                                                                          [4, 4]])
    (both,) = tf.gradients(y + tf.reduce_sum(tf.gather(e, [1])), e)
    assert isinstance(both, tf.IndexedSlices)
    np.testing.assert_array_equal(np.sort(run(both).indices), [0, 1, 3, 3])
    (mixed,) = tf.gradients(y + tf.reduce_sum(e), e)
    assert isinstance(mixed, tf.Tensor)
    np.testing.assert_array_equal(run(mixed), [[3, 3], [1, 1], [1, 1], [5, 5], [1, 1]])


def test_embedding_lookup_over_parts_gives_slices_per_part():
    v = tf.get_variable("emb", initializer=np.arange(10.0, dtype=np.float32).reshape(5, 2),
                        partitioner=tf.fixed_size_partitioner(2))
    y = tf.reduce_sum(tf.nn.embedding_lookup(v, [[4, 0], [1, 4]], partition_strategy="div"))
    g0, g1 = tf.gradients(y, list(v))
    assert isinstance(g0, tf.IndexedSlices) and isinstance(g1, tf.IndexedSlices)
    d0, d1 = run([tf.convert_to_tensor(g0), tf.convert_to_tensor(g1)])
    np.testing.assert_array_equal(d0, [[1, 1], [1, 1], [0, 0]])
    np.testing.assert_array_equal(d1, [[0, 0], [2, 2]])


def test_sparse_gradients_with_int32_and_int64_indices_aggregate_as_int64():
    # as TF's aggregation: mixed index dtypes are cast to int64 before they are concatenated
    # (greedy decoding feeds argmax's int64 ids back into an embedding looked up by int32 ids)
    with tf.Graph().as_default():
        emb = tf.Variable(np.arange(6.0).reshape(3, 2), name="E")
        y = tf.reduce_sum(tf.gather(emb, tf.constant([0, 2], tf.int32))) + tf.reduce_sum(
            3.0 * tf.gather(emb, tf.constant([2], tf.int64)))
        g, = tf.gradients(y, [emb])
        assert isinstance(g, tf.IndexedSlices) and g.indices.dtype == tf.int64
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(g)
            assert got.indices.tolist() == [0, 2, 2]
            assert got.values.tolist() == [[1.0, 1.0], [1.0, 1.0], [3.0, 3.0]]
            assert sess.run(tf.convert_to_tensor(g)).tolist() == [[1, 1], [0, 0], [4, 4]]
