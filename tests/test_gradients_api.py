"""The gradients API (issue 17, item 7): unconnected_gradients, aggregation_method, hessians,
RegisterGradient with gradient_override_map, NotDifferentiable, custom_gradient. Expected values,
names and messages are TensorFlow's (checked with tfdiff)."""
import numpy as np
import pytest

import minitf as tf


def run(*fetches):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(list(fetches))


def test_unconnected_gradients_none_or_zero():
    x, y = tf.constant([1.0, 2.0]), tf.constant(3.0)
    assert tf.gradients(x * 2.0, [x, y])[1] is None
    gx, gy = run(*tf.gradients(x * 2.0, [x, y], unconnected_gradients="zero"))
    np.testing.assert_array_equal(gx, [2.0, 2.0])
    assert gy == 0.0 and gy.dtype == np.float32
    zero = tf.gradients(x, y, unconnected_gradients=tf.UnconnectedGradients.ZERO)[0]
    assert run(zero) == [0.0]
    with pytest.raises(ValueError, match="Unknown value for unconnected_gradients: 'some'"):
        tf.gradients(x, x, unconnected_gradients="some")


def test_aggregation_methods_are_accepted_and_checked():
    x = tf.constant(2.0)
    for method in (None, tf.AggregationMethod.ADD_N, tf.AggregationMethod.DEFAULT,
                   tf.AggregationMethod.EXPERIMENTAL_TREE,
                   tf.AggregationMethod.EXPERIMENTAL_ACCUMULATE_N):
        assert run(*tf.gradients(x * x + x, x, aggregation_method=method)) == [5.0]
    with pytest.raises(ValueError, match=r"Invalid `aggregation_method` specified 7. Accepted "
                                         r"values are \[0, 1, 2\]."):
        tf.gradients(x * 2.0, x, aggregation_method=7)


def test_hessians():
    x = tf.constant([1.0, 2.0])
    h, = tf.hessians(tf.reduce_sum(x * x * x), x)
    assert h.name == "Reshape_1:0" and h.shape == (2, 2)
    np.testing.assert_array_equal(run(h)[0], [[6.0, 0.0], [0.0, 12.0]])
    m = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    hm, none = tf.hessians(tf.reduce_sum(m[0, 0] * m[1, 1] + m[0, 1] ** 2), [m, x])
    assert none is None and hm.shape == (2, 2, 2, 2)
    hm = run(hm)[0]
    assert hm[0, 0, 1, 1] == hm[1, 1, 0, 0] == 1.0 and hm[0, 1, 0, 1] == 2.0
    assert np.count_nonzero(hm) == 3
    p = tf.placeholder(tf.float32, [None])
    with pytest.raises(ValueError, match="full static shape"):
        tf.hessians(tf.reduce_sum(p * p), p)


def test_registered_gradient_overrides_an_op_type():
    @tf.RegisterGradient("TestDoubleSquareGrad")
    def _double(op, grad):
        return [grad * 4.0 * op.inputs[0]]

    x = tf.constant([1.0, 2.0])
    with tf.get_default_graph().gradient_override_map({"Square": "TestDoubleSquareGrad"}):
        overridden = tf.square(x)
        with tf.get_default_graph().gradient_override_map({"Square": "Identity"}):
            by_identity = tf.square(x)  # an op type's own gradient, by its name
    plain = tf.square(x)
    got = run(*[tf.gradients(y, x)[0] for y in (overridden, by_identity, plain)])
    np.testing.assert_array_equal(got, [[4.0, 8.0], [1.0, 1.0], [2.0, 4.0]])
    with pytest.raises(KeyError):
        tf.RegisterGradient("Square")(_double)  # (it has one)
    with pytest.raises(KeyError):
        tf.RegisterGradient("TestDoubleSquareGrad")(_double)
    with pytest.raises(TypeError, match="op_type_map must be a dictionary mapping strings"):
        with tf.get_default_graph().gradient_override_map({"Square": 3}):
            pass
    with tf.get_default_graph().gradient_override_map({"Square": "TestNoSuchGradient"}):
        lost = tf.square(x)
    with pytest.raises(LookupError, match="TestNoSuchGradient"):
        tf.gradients(lost, x)


def test_not_differentiable_and_gradients_registered_before_their_op_type():
    from minitf.framework.registry import register_op

    with pytest.raises(KeyError):
        tf.NotDifferentiable("Square")
    tf.NoGradient("TestNamedWithoutGradient")
    with pytest.raises(KeyError):
        tf.NotDifferentiable("TestNamedWithoutGradient")
    with pytest.raises(TypeError, match="op_type must be a string"):
        tf.NotDifferentiable(3)

    @tf.RegisterGradient("TestNamedTripleGrad")
    def _triple(op, grad):
        return [grad * 3.0]

    # op types registered after: the names given to them decide their gradients
    double = register_op("TestNamedTripleGrad", shape=lambda x: x._shape)(lambda x: 2 * x)
    opaque = register_op("TestNamedWithoutGradient", shape=lambda x: x._shape)(lambda x: x)
    x = tf.constant(1.0)
    assert run(*tf.gradients(double.apply([x]), x)) == [3.0]
    assert tf.gradients(opaque.apply([x]), x) == [None]


def test_custom_gradient_replaces_the_gradient():
    @tf.custom_gradient
    def square_with_gradient_ten(a):
        return a * a, lambda dy: dy * 10.0

    x = tf.constant([1.0, 2.0])
    y = square_with_gradient_ten(x)
    assert y.op.type == "IdentityN" and y.name == "IdentityN:0"
    value, (grad,) = run(y, tf.gradients(y, x))
    np.testing.assert_array_equal(value, [1.0, 4.0])
    np.testing.assert_array_equal(grad, [10.0, 10.0])


def test_custom_gradient_with_variables():
    v = tf.get_variable("v", initializer=[1.0, 1.0], use_resource=True)

    @tf.custom_gradient
    def scaled(a):
        def grad(dy, variables=None):
            assert variables == [v]
            return dy * 3.0, [dy * 7.0]
        return a * v, grad

    x = tf.constant([1.0, 2.0])
    gx, gv = run(*tf.gradients(scaled(x), [x, v]))
    np.testing.assert_array_equal(gx, [3.0, 3.0])
    np.testing.assert_array_equal(gv, [7.0, 7.0])

    @tf.custom_gradient
    def forgets(a):
        return a * v, lambda dy: dy

    with pytest.raises(TypeError, match="grad_fn must accept keyword argument 'variables', "
                                        "since function uses variables"):
        forgets(x)


def test_custom_gradient_and_overrides_in_eager_mode():
    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)
        return tf.log(1 + e), lambda dy: dy * (1 - 1 / (1 + e))

    with tf.eager_mode():
        x = tf.constant(100.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = log1pexp(x)
        assert tape.gradient(y, x).numpy() == 1.0  # (the naive gradient is nan here)
        with tf.GradientTape() as tape:
            tape.watch(x)
            with tf.get_default_graph().gradient_override_map({"Square": "Identity"}):
                z = tf.square(x)
        assert tape.gradient(z, x).numpy() == 1.0


def test_second_derivative_of_sparse_softmax_cross_entropy_is_tfs():
    logits = tf.constant([[1.0, 2.0, 0.5]])
    loss = tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1],
                                                                        logits=logits))
    g = tf.gradients(loss, logits)[0]
    h = tf.gradients(tf.reduce_sum(g * g), logits)[0]
    np.testing.assert_allclose(run(h)[0], [[0.18108092, -0.26539335, 0.08431239]], rtol=1e-6)


def test_no_silent_second_derivative_through_a_partitioned_lookup():
    parts = [tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant([[5.0, 6.0]])]
    for kwargs in ({}, {"max_norm": 1.0}):
        y = tf.nn.embedding_lookup(parts, [0, 2, 2], **kwargs)
        grads = tf.gradients(tf.reduce_sum(y * y), parts)
        second = tf.add_n([tf.reduce_sum(tf.convert_to_tensor(g) ** 2) for g in grads])
        with pytest.raises(LookupError, match="No second derivative through embedding_lookup"):
            tf.gradients(second, parts)


def test_no_silent_second_derivative_of_igamma_by_a():
    a, x = tf.constant([1.5, 2.0]), tf.constant([0.5, 1.0])
    da = tf.gradients(tf.reduce_sum(tf.math.igamma(a, x)), a)[0]
    with pytest.raises(LookupError, match="IgammaGradA"):
        tf.gradients(tf.reduce_sum(da), a)
