"""Element-wise math, matmul, comparisons, logical ops and cast: values against NumPy, dtypes,
static shapes (unknown dims included), TF's default names and errors."""
import numpy as np
import pytest

import minitf as tf

from _session import run

A = np.array([[1.5, -2.0, 3.0], [0.25, 4.0, -0.5]], dtype=np.float32)
B = np.array([[2.0, 0.5, -1.0], [3.0, -4.0, 2.0]], dtype=np.float32)
ROW = np.array([1.0, 2.0, 4.0], dtype=np.float32)
POS = np.abs(A) + 0.5


BINARY = [  # (function, op name, op type, numpy)
    (tf.add, "Add", "AddV2", np.add),
    (tf.subtract, "Sub", "Sub", np.subtract),
    (tf.multiply, "Mul", "Mul", np.multiply),
    (tf.divide, "truediv", "RealDiv", np.true_divide),
    (tf.truediv, "truediv", "RealDiv", np.true_divide),
    (tf.floordiv, "floordiv", "FloorDiv", np.floor_divide),
    (tf.mod, "FloorMod", "FloorMod", np.mod),
    (tf.pow, "Pow", "Pow", np.power),
    (tf.maximum, "Maximum", "Maximum", np.maximum),
    (tf.minimum, "Minimum", "Minimum", np.minimum),
    (tf.squared_difference, "SquaredDifference", "SquaredDifference", lambda x, y: (x - y) ** 2),
]


@pytest.mark.parametrize("fn, name, op_type, ref", BINARY, ids=[b[1] for b in BINARY])
def test_binary_op_values_names_and_broadcast_shape(fn, name, op_type, ref):
    x = tf.constant(POS)
    t = fn(x, tf.constant(ROW))
    assert (t.name, t.op.type, t.dtype, t.shape.as_list()) == (name + ":0", op_type,
                                                               tf.float32, [2, 3])
    np.testing.assert_allclose(run(t), ref(POS, ROW), rtol=1e-6)
    assert run(t).dtype == np.float32


@pytest.mark.parametrize("fn, name, op_type, ref", BINARY[:3], ids=[b[1] for b in BINARY[:3]])
def test_binary_op_static_shape_with_unknown_dims(fn, name, op_type, ref):
    p = tf.placeholder(tf.float32, [None, 3])
    q = tf.placeholder(tf.float32, [None, 1])
    assert fn(p, q).shape.as_list() == [None, 3]
    assert fn(p, tf.placeholder(tf.float32)).shape.ndims is None
    np.testing.assert_allclose(run(fn(p, q), {p: A, q: [[1.0], [2.0]]}),
                               ref(A, np.array([[1.0], [2.0]], np.float32)))


def test_broadcast_incompatible_shapes_raise_value_error():
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3"):
        tf.add(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0, 3.0]))


def test_mismatched_dtypes_raise_type_error_like_tf():
    with pytest.raises(TypeError, match="Input 'y' of 'AddV2' Op has type float64 that does not "
                                        "match type float32 of argument 'x'"):
        tf.add(tf.constant(1.0), tf.constant(1.0, tf.float64))


def test_python_operand_takes_the_tensor_dtype():
    t = tf.constant(2, tf.int64) + 3
    assert t.dtype == tf.int64 and run(t) == 5
    f = 1.5 * tf.constant([2.0], tf.float64)
    assert f.dtype == tf.float64
    np.testing.assert_allclose(run(f), [3.0])


def test_python_operand_that_does_not_fit_raises_type_error():
    with pytest.raises(TypeError, match="has type float32 that does not match type int32"):
        tf.constant(1) + 1.5


def test_converted_operand_is_named_inside_the_op_scope():
    t = tf.add(tf.constant(1.0), 2.0)
    assert t.op.inputs[1].name == "Add/y:0"
    u = tf.constant(1.0) * 3.0
    assert u.op.inputs[1].name == "mul/y:0"


def test_truediv_of_integers_is_float():
    t = tf.truediv(tf.constant([1, 2]), tf.constant([2, 4]))
    assert t.dtype == tf.float64 and t.op.type == "RealDiv"
    np.testing.assert_allclose(run(t), [0.5, 0.5])
    small = tf.constant([1], tf.int16) / tf.constant([4], tf.int16)
    assert small.dtype == tf.float32


def test_integer_floordiv_and_mod_follow_python_signs():
    x, y = np.array([7, -7, 7], np.int32), np.array([2, 2, -2], np.int32)
    assert run(tf.floordiv(x, y)).tolist() == [3, -4, -4]
    assert run(tf.mod(x, y)).tolist() == [1, 1, -1]


UNARY = [
    (tf.negative, "Neg", np.negative), (tf.abs, "Abs", np.abs), (tf.square, "Square", np.square),
    (tf.sqrt, "Sqrt", np.sqrt), (tf.rsqrt, "Rsqrt", lambda x: 1 / np.sqrt(x)),
    (tf.exp, "Exp", np.exp), (tf.log, "Log", np.log), (tf.log1p, "Log1p", np.log1p),
    (tf.tanh, "Tanh", np.tanh), (tf.sigmoid, "Sigmoid", lambda x: 1 / (1 + np.exp(-x))),
    (tf.sign, "Sign", np.sign), (tf.reciprocal, "Reciprocal", lambda x: 1 / x),
    (tf.floor, "Floor", np.floor), (tf.ceil, "Ceil", np.ceil), (tf.round, "Round", np.round),
]


@pytest.mark.parametrize("fn, name, ref", UNARY, ids=[u[1] for u in UNARY])
def test_unary_op_values_names_and_shapes(fn, name, ref):
    t = fn(tf.constant(POS))
    assert (t.name, t.op.type, t.dtype, t.shape.as_list()) == (name + ":0", name, tf.float32,
                                                               [2, 3])
    np.testing.assert_allclose(run(t), ref(POS), rtol=1e-6)
    p = tf.placeholder(tf.float32, [None, 3])
    assert fn(p).shape.as_list() == [None, 3]


def test_float_only_op_rejects_integers():
    with pytest.raises(TypeError, match="Value for attr 'T' of int32 is not in the list"):
        tf.sqrt(tf.constant([4]))


def test_sigmoid_is_stable_for_large_inputs():
    np.testing.assert_allclose(run(tf.sigmoid(tf.constant([-1000.0, 0.0, 1000.0]))),
                               [0.0, 0.5, 1.0])


def test_division_by_zero_gives_inf_not_a_warning():
    assert run(tf.constant(1.0) / tf.constant(0.0)) == np.inf


def test_matmul_values_transposes_and_shape():
    a, b = tf.constant(A), tf.constant(B)
    t = tf.matmul(a, b, transpose_b=True)
    assert (t.name, t.op.type, t.shape.as_list()) == ("MatMul:0", "MatMul", [2, 2])
    np.testing.assert_allclose(run(t), A @ B.T, rtol=1e-6)
    np.testing.assert_allclose(run(tf.matmul(a, b, transpose_a=True)), A.T @ B, rtol=1e-6)
    p = tf.placeholder(tf.float32, [None, 3])
    assert tf.matmul(p, b, transpose_b=True).shape.as_list() == [None, 2]
    # `@` names its op "matmul": case-insensitively taken by MatMul, MatMul_1, MatMul_2 already
    assert (a @ tf.transpose(b)).name == "matmul_3:0"


def test_matmul_inner_dimension_mismatch_raises_value_error():
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 2"):
        tf.matmul(tf.constant(A), tf.constant(A.T[:2]))


def test_add_n_sums_a_list():
    t = tf.add_n([tf.constant(A), tf.constant(B), tf.constant(A)])
    assert t.name == "AddN:0"
    np.testing.assert_allclose(run(t), A + B + A)


COMPARE = [(tf.equal, "Equal", np.equal), (tf.not_equal, "NotEqual", np.not_equal),
           (tf.less, "Less", np.less), (tf.less_equal, "LessEqual", np.less_equal),
           (tf.greater, "Greater", np.greater), (tf.greater_equal, "GreaterEqual",
                                                 np.greater_equal)]


@pytest.mark.parametrize("fn, name, ref", COMPARE, ids=[c[1] for c in COMPARE])
def test_comparisons_give_bool_and_are_not_differentiable(fn, name, ref):
    t = fn(tf.constant(A), tf.constant(B))
    assert (t.name, t.dtype, t.shape.as_list()) == (name + ":0", tf.bool, [2, 3])
    assert not t.op._opdef.differentiable
    assert run(t).tolist() == ref(A, B).tolist()


def test_logical_ops_require_bool():
    x, y = tf.constant([True, True, False]), tf.constant([True, False, False])
    assert run(tf.logical_and(x, y)).tolist() == [True, False, False]
    assert run(tf.logical_or(x, y)).tolist() == [True, True, False]
    assert run(tf.logical_xor(x, y)).tolist() == [False, True, False]
    assert run(tf.logical_not(x)).tolist() == [False, False, True]
    with pytest.raises(TypeError, match="Input 'x' of 'LogicalAnd' Op has type float32 that does "
                                        "not match expected type of bool"):
        tf.logical_and(tf.constant([1.0]), tf.constant([1.0]))


def test_cast_truncates_toward_zero_and_skips_same_dtype():
    x = tf.constant([1.7, -1.7, 0.0])
    t = tf.cast(x, tf.int32)
    assert (t.name, t.op.type, t.dtype) == ("Cast:0", "Cast", tf.int32)
    assert run(t).tolist() == [1, -1, 0]
    assert run(tf.cast(x, tf.bool)).tolist() == [True, True, False]
    assert tf.cast(x, tf.float32) is x


def test_clip_by_value_is_a_composite_named_like_tf():
    t = tf.clip_by_value(tf.constant(A), -1.0, 2.0)
    assert (t.name, t.op.type) == ("clip_by_value:0", "Maximum")
    np.testing.assert_allclose(run(t), np.clip(A, -1.0, 2.0))
