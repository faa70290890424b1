"""Python operators on Tensors: the ops and names TF gives them, reflected forms, identity ==."""
import numpy as np
import pytest

import minitf as tf

from _session import run

X = np.array([4.0, -2.5, 9.0], np.float32)
Y = np.array([2.0, 0.5, -3.0], np.float32)

OPERATORS = [  # (expression, expected op name, op type, numpy result)
    (lambda x, y: x + y, "add", "AddV2", X + Y),
    (lambda x, y: x - y, "sub", "Sub", X - Y),
    (lambda x, y: x * y, "mul", "Mul", X * Y),
    (lambda x, y: x / y, "truediv", "RealDiv", X / Y),
    (lambda x, y: x // y, "floordiv", "FloorDiv", X // Y),
    (lambda x, y: x % y, "mod", "FloorMod", np.mod(X, Y)),
    (lambda x, y: abs(x) ** y, "pow", "Pow", np.abs(X) ** Y),
    (lambda x, y: -x, "Neg", "Neg", -X),
    (lambda x, y: abs(x), "Abs", "Abs", np.abs(X)),
    (lambda x, y: x < y, "Less", "Less", X < Y),
    (lambda x, y: x <= y, "LessEqual", "LessEqual", X <= Y),
    (lambda x, y: x > y, "Greater", "Greater", X > Y),
    (lambda x, y: x >= y, "GreaterEqual", "GreaterEqual", X >= Y),
]


@pytest.mark.parametrize("expr, name, op_type, expected", OPERATORS,
                         ids=[o[1] for o in OPERATORS])
def test_operator_builds_tf_op(expr, name, op_type, expected):
    t = expr(tf.constant(X), tf.constant(Y))
    assert (t.op.name, t.op.type) == (name, op_type)
    np.testing.assert_allclose(run(t), expected, rtol=1e-6)


def test_reflected_operators_convert_the_python_operand():
    x = tf.constant(X)
    for t, expected in ((2 + x, 2 + X), (2 - x, 2 - X), (2 * x, 2 * X), (2 / x, 2 / X),
                        (2 ** x, 2 ** X), (np.float32(3) * x, 3 * X)):
        assert t.dtype == tf.float32
        np.testing.assert_allclose(run(t), expected, rtol=1e-6)
    with tf.Graph().as_default():
        t = 2 - tf.constant(X)
        assert t.op.name == "sub" and [i.name for i in t.op.inputs] == ["sub/x:0", "Const:0"]


def test_matmul_operator():
    m = tf.constant([[1.0, 2.0]])
    t = m @ tf.constant([[3.0], [4.0]])
    assert t.op.name == "matmul" and run(t).tolist() == [[11.0]]


def test_bool_operators_and_xor_scope():
    a, b = tf.constant([True, True, False]), tf.constant([True, False, False])
    assert run(a & b).tolist() == [True, False, False]
    assert run(a | b).tolist() == [True, True, False]
    assert run(~a).tolist() == [False, False, True]
    x = a ^ b
    assert x.name == "xor:0" and run(x).tolist() == [False, True, False]
    assert {op.name for op in x.graph.get_operations()} >= {"xor/LogicalOr", "xor/LogicalNot"}


def test_equality_is_identity_and_tensors_hash():
    x, y = tf.constant(1.0), tf.constant(1.0)
    assert (x == x) is True and (x == y) is False and (x != y) is True
    assert {x: 1, y: 2}[y] == 2


def test_ndarray_on_the_left_defers_to_the_tensor():
    t = np.array([1.0, 2.0], np.float32) + tf.constant([1.0, 1.0])
    assert isinstance(t, tf.Tensor) and run(t).tolist() == [2.0, 3.0]
