"""The assert_* family, tf.debugging, add_check_numerics_ops / assert_variables_initialized and
tf.print: op names, messages, printed text and error types as TensorFlow 1's (each literal
checked with tfdiff), in graph mode and eagerly."""
import sys

import numpy as np
import pytest

import minitf as tf

IAE = tf.errors.InvalidArgumentError


def _run_error(op, feed=None):
    """The InvalidArgumentError `op` raises when run: (its first message line, its op name)."""
    with tf.Session() as sess, pytest.raises(IAE) as info:
        sess.run(op, feed)
    return info.value.message.splitlines()[0], info.value.op.name


# -- graph mode: ops and names ---------------------------------------------------------------------
def test_binary_asserts_are_assert_ops_named_as_tf_names_them():
    p = tf.placeholder(tf.float32, [None], name="p")
    q = tf.placeholder(tf.int32, [None], name="q")
    # (TF's assert_equal opens its scope twice: the op lands in assert_equal_1)
    checks = [tf.assert_equal(q, 2), tf.assert_equal(p, 2.0, name="foo"),
              tf.assert_less(q, [1, 2], message="hi", summarize=1), tf.assert_negative(q),
              tf.assert_non_positive(p), tf.assert_near(p, 1.0),
              tf.debugging.assert_none_equal(q, 0), tf.assert_greater_equal(q, 0)]
    assert [c.name for c in checks] == [
        "assert_equal_1/Assert/Assert", "foo_1/Assert/AssertGuard/Assert",
        "assert_less/Assert/Assert", "assert_negative/assert_less/Assert/Assert",
        "assert_non_positive/assert_less_equal/Assert/AssertGuard/Assert",
        "assert_near/Assert/AssertGuard/Assert", "assert_none_equal/Assert/Assert",
        "assert_greater_equal/Assert/Assert"]
    assert {c.type for c in checks} == {"Assert"}
    assert [t.name for t in checks[0].inputs] == [
        "assert_equal_1/All:0", "assert_equal_1/Assert/Assert/data_0:0",
        "assert_equal_1/Assert/Assert/data_1:0", "q:0", "assert_equal_1/Assert/Assert/data_3:0",
        "assert_equal_1/y:0"]
    same = tf.assert_equal(q, q)
    assert (same.name, same.type) == ("assert_equal_2/NoOp", "NoOp")


def test_a_failing_check_raises_tf_message_when_run():
    p = tf.placeholder(tf.float32, [None], name="p")
    q = tf.placeholder(tf.int32, [None], name="q")
    assert _run_error(tf.assert_equal(q, 2), {q: [2, 3, 4, 5]}) == (
        "assertion failed: [Condition x == y did not hold element-wise:] [x (q:0) = ] "
        "[2 3 4...] [y (assert_equal_1/y:0) = ] [2]", "assert_equal_1/Assert/Assert")
    assert _run_error(tf.assert_less(p, 2.0, message="msg"), {p: [1.0, 2.5, 3.0, 4.0]}) == (
        "assertion failed: [msg] [Condition x < y did not hold element-wise:] [x (p:0) = ] "
        "[1 2.5 3...] [y (assert_less/y:0) = ] [2]", "assert_less/Assert/AssertGuard/Assert")
    # (TF's assert_non_positive runs two message lines together)
    assert _run_error(tf.assert_non_positive(q), {q: [1]}) == (
        "assertion failed: [] [Condition x <= 0 did not hold element-wise:x (q:0) = ] [1]",
        "assert_non_positive/assert_less_equal/Assert/Assert")
    assert _run_error(tf.assert_positive(p, summarize=1), {p: [-1.0, 2.5, 3.0]})[0] == (
        "assertion failed: [] [Condition x > 0 did not hold element-wise:] [x (p:0) = ] [-1...]")
    assert _run_error(tf.assert_near(p, [1.0, 2.0]), {p: [1.0, 2.1]})[0].endswith(
        "[x (p:0) = ] [1 2.1] [y (assert_near/y:0) = ] [1 2]")
    with tf.Session() as sess:
        assert sess.run(tf.assert_equal(p, 1.0), {p: [1.0]}) is None
        sess.run(tf.assert_near(p, [1.0, 2.0]), {p: [1.0, 2.000001]})
        sess.run(tf.assert_greater(q, -1), {q: np.zeros([0], np.int32)})  # (empty: holds)


def test_checks_run_as_control_dependencies():
    x = tf.placeholder(tf.float32, [None])
    with tf.control_dependencies([tf.assert_positive(x), tf.assert_rank(x, 1)]):
        y = tf.sqrt(x)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {x: [4.0, 9.0]}), [2.0, 3.0])
        with pytest.raises(IAE, match=r"Condition x > 0 did not hold element-wise:\] "
                                      r"\[x \(Placeholder:0\) = \] \[4 -9\]"):
            sess.run(y, {x: [4.0, -9.0]})


def test_known_values_fail_while_the_graph_is_built():
    cases = [
        (lambda: tf.assert_equal(tf.constant([1, 2]), tf.constant([1, 3])),
         "Condition x == y did not hold element-wise:\nx (Const:0) = \n[1 2]\ny (Const_1:0) = "
         "\n[1 3]"),
        (lambda: tf.assert_less(tf.constant([1.0, 2.0]), 2.0, message="m"),
         "m\nCondition x < y did not hold element-wise:\nx (Const_2:0) = \n[1. 2.]\n"
         "y (assert_less/y:0) = \n2.0"),
        (lambda: tf.assert_negative(tf.constant([1, -2])),
         "\nCondition x < 0 did not hold element-wise:\nx (Const_3:0) = \n[ 1 -2]"),
        (lambda: tf.assert_equal(tf.shape(tf.zeros([2, 3])), [2, 4]),
         "Condition x == y did not hold element-wise:\nx (Shape:0) = \n[2 3]\n"
         "y (assert_equal_3/y:0) = \n[2 4]"),
    ]
    for build, message in cases:
        with pytest.raises(IAE) as info:
            build()
        assert str(info.value) == message
    ok = tf.assert_equal(tf.constant([1, 2]), [1, 2])  # (holds: still an Assert, as TF's)
    assert (ok.name, ok.type) == ("assert_equal_5/Assert/Assert", "Assert")
    p = tf.placeholder(tf.float32)
    with pytest.raises(TypeError, match="sequence item 1: expected str instance"):
        tf.assert_none_equal(tf.constant([1, 2]), 1, data=["d", p])  # (TF's join fails too)


# -- rank and type checks --------------------------------------------------------------------------
def test_rank_checks_are_static_when_the_rank_is_known():
    p = tf.placeholder(tf.float32, [None, 3], name="p")
    ok = tf.assert_rank(p, 2)
    assert (ok.name, ok.type) == ("assert_rank/static_checks_determined_all_ok", "NoOp")
    assert tf.assert_rank_at_least(p, 1, name="al").name == "al/static_checks_determined_all_ok"
    assert tf.assert_rank_in(p, (1, 2)).type == "NoOp"
    for build, message in [
            (lambda: tf.assert_rank(p, 3, message="m"),
             "m.  Tensor p:0 must have rank 3.  Received rank 2, shape (?, 3)"),
            (lambda: tf.assert_rank_at_least(p, 3),
             "Tensor p:0 must have rank at least 3.  Received rank 2, shape (?, 3)"),
            (lambda: tf.assert_rank_in(p, [1, 3]),
             "Tensor p:0 must have rank in (1, 3).  Received rank 2, shape (?, 3)"),
            (lambda: tf.assert_rank(p, [2]), "Rank must be a scalar.")]:
        with pytest.raises(ValueError) as info:
            build()
        assert str(info.value) == message
    with pytest.raises(TypeError, match="must be of type tf.int32; got tf.int64"):
        tf.assert_rank(p, tf.constant(2, tf.int64))


def test_rank_checks_of_an_unknown_rank_run_as_asserts():
    u = tf.placeholder(tf.float32, None, name="u")
    exact, least, among = tf.assert_rank(u, 2), tf.assert_rank_at_least(u, 1), \
        tf.assert_rank_in(u, [0, 1])
    assert [c.name for c in (exact, least, among)] == [
        "assert_rank/Assert/Assert", "assert_rank_at_least/Assert/Assert",
        "assert_rank_in/Assert/Assert"]
    with tf.Session() as sess:
        assert sess.run([least, among], {u: [1.0]}) == [None, None]
    assert _run_error(exact, {u: [1.0]})[0] == (
        "assertion failed: [] [Tensor u:0 must have rank] [2] [Received shape: ] [1]")
    assert _run_error(least, {u: 1.0})[0] == (
        "assertion failed: [] [Tensor u:0 must have rank at least] [1] [Received shape: ] []")
    assert _run_error(among, {u: [[1.0]]})[0] == (
        "assertion failed: [] [Tensor u:0 must have rank in] [0] [1] [Received shape: ] [1 1]")


def test_static_type_and_shape_checks():
    p = tf.placeholder(tf.float32, [None, 3], name="p")
    u = tf.placeholder(tf.float32, None, name="u")
    assert tf.assert_type(p, tf.float32).name == "assert_type/statically_determined_correct_type"
    assert tf.assert_integer(tf.constant(1), name="ai").name == (
        "ai/statically_determined_was_integer")
    scalar = tf.assert_scalar(3.0)
    assert (scalar.name, scalar.shape.as_list()) == ("assert_scalar:0", [])
    for build, error, message in [
            (lambda: tf.assert_type(p, tf.int32, message="t"), TypeError,
             "t.  p:0 must be of type tf.int32; got tf.float32"),
            (lambda: tf.assert_integer(p), TypeError,
             "Expected \"x\" to be integer type.  Found: p:0 of dtype <dtype: 'float32'>"),
            (lambda: tf.assert_scalar(p), ValueError,
             "Expected scalar shape for p:0, saw shape: (?, 3)."),
            (lambda: tf.assert_scalar(u, message="mm"), ValueError,
             "mm.  Expected scalar shape for u:0, saw shape: <unknown>.")]:
        with pytest.raises(error) as info:
            build()
        assert str(info.value) == message


def test_same_float_dtype_proper_iterable_and_numeric():
    p, u = tf.placeholder(tf.float32, name="p"), tf.placeholder(tf.float32)
    assert tf.assert_same_float_dtype([p, None, u]) == tf.float32
    assert tf.assert_same_float_dtype(None, tf.float64) == tf.float64
    assert tf.assert_same_float_dtype() == tf.float32
    for args, message in [
            (([p, tf.constant(1.0, tf.float64)],),
             "Const:0, type=<dtype: 'float64'>, must be of the same type (<dtype: 'float32'>) "
             "as p:0."),
            (([p], tf.float64),
             "p:0, type=<dtype: 'float32'>, must be of the same type (<dtype: 'float64'>)."),
            (([tf.constant(1)],), "Expected floating point type, got <dtype: 'int32'>.")]:
        with pytest.raises(ValueError) as info:
            tf.assert_same_float_dtype(*args)
        assert str(info.value) == message
    with pytest.raises(TypeError, match=r'"proper" iterable.  Found: <class \'str\'>'):
        tf.assert_proper_iterable("ab")
    with pytest.raises(TypeError, match=r"to be iterable.  Found: <class 'int'>"):
        tf.assert_proper_iterable(3)
    with pytest.raises(TypeError, match='"proper" iterable'):
        tf.assert_proper_iterable(p)
    tf.assert_proper_iterable([p])
    assert tf.is_numeric_tensor(p) and not tf.is_numeric_tensor(tf.constant(True))
    assert not tf.is_numeric_tensor(1.0)


def test_order_tests():
    a = tf.is_non_decreasing([1, 1, 3])
    b = tf.math.is_strictly_increasing(tf.constant([[1.0, 2.0], [3.0, 3.0]]))
    c = tf.debugging.is_strictly_increasing([5])
    d = tf.is_non_decreasing(tf.constant([], tf.int32), name="nd")
    assert (a.dtype, a.shape.as_list(), d.name.split("/")[0]) == (tf.bool, [], "nd")
    with tf.Session() as sess:
        assert sess.run([a, b, c, d]) == [True, False, True, True]
    with pytest.raises(TypeError, match="Expected x to be numeric"):
        tf.is_non_decreasing(tf.constant([True]))


def test_debugging_namespace_names():
    assert tf.debugging.Assert is tf.Assert
    assert tf.debugging.check_numerics is tf.check_numerics
    assert tf.debugging.is_nan is tf.is_nan
    v = tf.debugging.assert_all_finite(tf.constant([1.0, np.inf]), "finite?")
    assert v.name == "VerifyFinite/CheckNumerics:0"
    with tf.Session() as sess, pytest.raises(IAE, match="finite\\? : Tensor had Inf values"):
        sess.run(v)


def test_assert_shapes_checks_ranks_and_shared_sizes():
    x, y, z, w = tf.zeros([10, 3]), tf.ones([10, 7]), tf.zeros([]), tf.zeros([2, 5, 3])
    ok = tf.debugging.assert_shapes([(x, ("N", "Q")), (y, ("N", "D")), (z, [])])
    assert (ok.name, ok.type, [c.name for c in ok.control_inputs]) == ("group_deps", "NoOp", [
        "assert_shapes/assert_rank/static_checks_determined_all_ok",
        "assert_shapes/assert_rank_1/static_checks_determined_all_ok",
        "assert_shapes/assert_rank_in/static_checks_determined_all_ok"])
    assert tf.debugging.assert_shapes([(w, (..., 3)), (x, ("*", 3))]).control_inputs == []
    for shapes, message, text in [
            ([(x, ("N", 3)), (y, ("N", 8))], None,
             "Specified explicitly.  Tensor ones:0 dimension 1 must have size 8.  Received size "
             "7, shape (10, 7)"),
            ([(x, ("N", 3)), (w, ("N", 5, 3))], "msg",
             "msg.  Specified by tensor zeros:0 dimension 0.  Tensor zeros_2:0 dimension 0 must "
             "have size 10.  Received size 2, shape (2, 5, 3)"),
            ([(w, ("N", "M"))], None,
             "Tensor zeros_2:0 must have rank 2.  Received rank 3, shape (2, 5, 3)"),
            ([(w, (..., "N")), (x, ("N", 3))], None,
             "Specified by tensor zeros_2:0 dimension -1.  Tensor zeros:0 dimension 0 must have "
             "size 3.  Received size 10, shape (10, 3)"),
            ([(w, (2, ..., 3))], None,
             "Tensor zeros_2:0 specified shape index 1.  Symbol `...` or `*` for a variable "
             "number of unspecified dimensions is only allowed as the first entry"),
            ([(w, (..., "A", "B", "C", "D"))], None,
             "Tensor zeros_2:0 must have rank at least 4.  Received rank 3, shape (2, 5, 3)"),
            ([(w, 3)], None,
             "Tensor zeros_2:0.  Specified shape must be an iterable.  An iterable has the "
             "attribute `__iter__` or `__getitem__`.  Received specified shape: 3")]:
        with pytest.raises(ValueError) as info:
            tf.debugging.assert_shapes(shapes, message=message)
        assert str(info.value) == text
    p = tf.placeholder(tf.float32, [None, 3], name="p")
    u = tf.placeholder(tf.float32, None, name="u")
    shared, fixed = (tf.debugging.assert_shapes([(p, ("N", 3)), (y, ("N", "."))]),
                     tf.debugging.assert_shapes([(u, ("N", 2))]))
    with tf.Session() as sess:
        sess.run([shared, fixed], {p: np.zeros([10, 3]), u: np.zeros([4, 2])})
    assert _run_error(shared, {p: np.zeros([4, 3])})[0] == (
        "assertion failed: [] [Specified by tensor p:0 dimension 0] [Tensor ones:0 dimension] "
        "[0] [must have size] [4] [Received shape: ] [10 7]")
    assert _run_error(fixed, {u: np.zeros([4, 3])})[0] == (
        "assertion failed: [] [Specified explicitly] [Tensor u:0 dimension] [1] [must have size]"
        " [2] [Received shape: ] [4 3]")
    assert _run_error(fixed, {u: np.zeros([4])})[0] == (
        "assertion failed: [] [Tensor u:0 must have rank] [2] [Received shape: ] [4]")


# -- add_check_numerics_ops and assert_variables_initialized -------------------------------------
def test_add_check_numerics_ops_chains_a_check_of_every_float_tensor():
    p = tf.placeholder(tf.float32, [None], name="p")
    y = tf.log(p) + 1.0
    tf.cast(tf.constant([1, 2]), tf.float16)
    checks = tf.add_check_numerics_ops()
    numerics = [op for op in tf.get_default_graph().get_operations()
                if op.type == "CheckNumerics"]
    assert (checks.name, checks.type) == ("group_deps", "NoOp")
    assert [c.name for c in checks.control_inputs] == [numerics[-1].name]
    assert [(op.inputs[0].name, [c.name for c in op.control_inputs]) for op in numerics] == [
        ("p:0", []), ("Log:0", ["CheckNumerics"]), ("add/y:0", ["CheckNumerics_1"]),
        ("add:0", ["CheckNumerics_2"]), ("Cast:0", ["CheckNumerics_3"])]
    assert numerics[1].get_attr("message") == "Log:0"
    with tf.Session() as sess:
        sess.run([checks, y], {p: [1.0, 2.0]})
    assert _run_error(checks, {p: [-1.0, 2.0]}) == ("Log:0 : Tensor had NaN values",
                                                     "CheckNumerics_1")


def test_assert_variables_initialized_fails_until_every_variable_has_a_value():
    assert tf.assert_variables_initialized() is None
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.Variable(1, name="w", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    both, one = tf.assert_variables_initialized(), tf.assert_variables_initialized([v])
    assert (both.name, both.op.type, both.shape.as_list()) == ("stack:0", "Pack", [2])
    assert (one.name, one.op.type) == ("Rank_2:0", "Rank")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="Attempting to use uninitialized value v"):
            sess.run(one)
        sess.run(tf.global_variables_initializer())
        assert sess.run(one) == 1
        with pytest.raises(tf.errors.FailedPreconditionError, match="value w"):
            sess.run(both)
        sess.run(w.initializer)
        np.testing.assert_array_equal(sess.run(both), [1, 0])


# -- eager mode ------------------------------------------------------------------------------------
@pytest.mark.global_graph
def test_checks_run_at_once_eagerly_with_tf_eager_messages(eager):
    x = tf.constant([1, 2, 3, 4])
    assert tf.assert_equal(x, [1, 2, 3, 4]) is None and tf.assert_rank(x, 1) is None
    failures = [
        (lambda: tf.assert_equal(x, 2), "Condition x == y did not hold.\nFirst 3 elements of x:"
                                        "\n[1 2 3]\nFirst 1 elements of y:\n[2]"),
        (lambda: tf.assert_equal(x, [1, 2, 3, 5], message="msg"),
         "msg\nCondition x == y did not hold.\nIndices of first 1 different values:\n[[3]]\n"
         "Corresponding x values:\n[4]\nCorresponding y values:\n[5]\nFirst 3 elements of x:\n"
         "[1 2 3]\nFirst 3 elements of y:\n[1 2 3]"),
        (lambda: tf.assert_less(x, 3, summarize=2),
         "Condition x < y did not hold.\nFirst 2 elements of x:\n[1 2]\nFirst 1 elements of "
         "y:\n[3]"),
        (lambda: tf.assert_negative(x),
         "\nCondition x < 0 did not hold element-wise:\nx (shape=(4,) dtype=int32) = \n"
         "['1', '2', '3', '...']"),
        (lambda: tf.assert_near(tf.constant([1.0, 2.0]), [1.0, 2.1]),
         "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized data: b''\n"
         "b'x and y not equal to tolerance rtol = tf.Tensor(1.1920929e-06, shape=(), "
         "dtype=float32), atol = tf.Tensor(1.1920929e-06, shape=(), dtype=float32)'\n"
         "b'x (shape=(2,) dtype=float32) = '\n1.0, 2.0\nb'y (shape=(2,) dtype=float32) = '\n"
         "1.0, 2.1"),
        (lambda: tf.assert_greater_equal(tf.constant([[1, 5], [7, 0]]), [[2, 5], [7, 1]],
                                         summarize=1),
         "Condition x >= y did not hold.\nIndices of first 1 different values:\n[[0 0]]\n"
         "Corresponding x values:\n[1]\nCorresponding y values:\n[2]\nFirst 1 elements of x:\n"
         "[1]\nFirst 1 elements of y:\n[2]"),
        (lambda: tf.assert_equal(x, 2, data=["d", x]), "d\n['1', '2', '3', '...']"),
        (lambda: tf.assert_equal(x, 2, summarize=0), "Condition x == y did not hold."),
    ]
    for build, message in failures:
        with pytest.raises(IAE) as info:
            build()
        assert str(info.value) == message
    with pytest.raises(ValueError, match="Tensor  must have rank at least 2.  Received rank 1"):
        tf.assert_rank_at_least(x, 2, message="m")
    with pytest.raises(ValueError, match=r"^Expected scalar shape, saw shape: \(4,\)\.$"):
        tf.assert_scalar(x)
    with pytest.raises(TypeError, match="^tensor must be of type tf.float32; got tf.int32$"):
        tf.assert_type(x, tf.float32)
    assert tf.is_non_decreasing([1, 2, 2]).numpy() and not tf.is_strictly_increasing(
        [1, 2, 2]).numpy()
    with pytest.raises(RuntimeError, match="not compatible with eager execution"):
        tf.add_check_numerics_ops()
    assert tf.debugging.assert_shapes([(x, ("N",)), (tf.zeros([4, 2]), ("N", 2))]) is None
    with pytest.raises(ValueError, match=r"^Specified by tensor shape=\(4,\) dtype=int32 "
                                         r"dimension 0.  Tensor shape=\(2,\) dtype=float32 "):
        tf.debugging.assert_shapes([(x, ("N",)), (tf.zeros([2]), ("N",))])


# -- tf.print --------------------------------------------------------------------------------------
def _printed(capsys, *inputs, **kwargs):
    op = tf.print(*inputs, output_stream=sys.stdout, **kwargs)
    with tf.Session() as sess:
        assert sess.run(op) is None
    return capsys.readouterr().out


# (value, summarize, what TF printed)
PRINTED = [
    (np.arange(20).reshape(4, 5), 3,
     "[[0 1 2 3 4]\n [5 6 7 8 9]\n [10 11 12 13 14]\n [15 16 17 18 19]]"),
    (np.arange(100).reshape(10, 10), 3,
     "[[0 1 2 ... 7 8 9]\n [10 11 12 ... 17 18 19]\n [20 21 22 ... 27 28 29]\n ...\n"
     " [70 71 72 ... 77 78 79]\n [80 81 82 ... 87 88 89]\n [90 91 92 ... 97 98 99]]"),
    (np.arange(30).reshape(2, 3, 5), 2,
     "[[[0 1 ... 3 4]\n  [5 6 ... 8 9]\n  [10 11 ... 13 14]]\n\n [[15 16 ... 18 19]\n"
     "  [20 21 ... 23 24]\n  [25 26 ... 28 29]]]"),
    (np.arange(60).reshape(3, 4, 5), 1,
     "[[[0 ... 4]\n  ...\n  [15 ... 19]]\n\n ...\n\n [[40 ... 44]\n  ...\n  [55 ... 59]]]"),
    (np.arange(20).reshape(4, 5), 0, "[\n ...]"),
    (np.arange(7), 0, "[ ...]"),
    (np.int32(7), 0, "..."),
    (np.arange(100), -1, "[" + " ".join(map(str, range(100))) + "]"),
    (np.zeros((0,)), 3, "[]"), (np.zeros((0, 3)), 3, "[]"), (np.zeros((2, 0)), 3, "[\n ...]"),
    (np.zeros((2, 3, 0)), 3, "[\n\n ...]"),
    (np.array([True, False]), 3, "[1 0]"),
    (np.array([0.1, 1 / 3, 2.5e-7, 1e20, -0.0, np.nan, np.inf, -np.inf], np.float32), 3,
     "[0.1 0.333333343 2.5e-07 ... nan inf -inf]"),
    (np.array([0.1, 1 / 3, 123456789.0]), 3, "[0.1 0.33333333333333331 123456789]"),
    (np.array([0.5, 0.1], np.float16), 3, "[0.5 0.0999755859]"),
    (np.float32(1234567.0), 3, "1234567"), (np.float64(1e16), 3, "1e+16"),
    (np.array([1 + 2j], np.complex64), 3, "[?]"),
    (np.array([2**64 - 1], np.uint64), 3, "[18446744073709551615]"),
    (np.array(["a b", 'c"d', "\u00e9", "a\nb", "\x01", "quote'", "\x7f"]), 10,
     '["a b" "c\\"d" "\u00e9" "a\\nb" "\\001" "quote\\\'" "\\177"]'),
]


@pytest.mark.parametrize("value, summarize, text", PRINTED)
def test_print_shows_tensors_as_tf_does(capsys, value, summarize, text):
    assert _printed(capsys, tf.constant(value), summarize=summarize) == text + "\n"


def test_print_mixes_python_values_and_structures(capsys):
    import collections

    p = tf.placeholder(tf.float32, [None])
    op = tf.print("val:", p, {"k": p, "s": 3}, [1, "two"], output_stream=sys.stdout)
    assert (op.name, op.type, [t.name for t in op.inputs]) == ("PrintV2", "PrintV2",
                                                               ["StringFormat:0"])
    assert op.get_attr("end") == "\n" and op.get_attr("output_stream") == "stdout"
    with tf.Session() as sess:
        sess.run(op, {p: [1.0, 2.5, 3.0, 4.0]})
    assert capsys.readouterr().out == "val: [1 2.5 3 4] {'k': [1 2.5 3 4], 's': 3} [1, 'two']\n"
    nested = {"b": tf.constant([1]), "a": [tf.constant(3), "s"]}
    assert _printed(capsys, (1, tf.constant(2)), nested,
                    collections.OrderedDict([("z", 1), ("a", tf.constant(2))])) == (
        "(1, 2) {'a': [3, 's'], 'b': [1]} OrderedDict([('z', 1), ('a', 2)])\n")
    assert _printed(capsys, "has {} braces", tf.constant(1)) == "has {} braces 1\n"
    assert _printed(capsys, 1.5, None, True, b"bytes") == "1.5 None True b'bytes'\n"
    assert _printed(capsys, tf.reshape(tf.range(6), [2, 3]), tf.range(10), summarize=2, sep="|",
                    end="!") == "[[0 1 2]\n [3 4 5]]|[0 1 ... 8 9]!"
    assert _printed(capsys, "a", "b", sep="") == "ab\n"
    assert _printed(capsys, tf.constant("x\n"), end="") == "x\n"  # (alone: raw, unquoted)
    assert _printed(capsys, tf.constant(["x"])) == '["x"]\n'


def test_print_runs_when_needed_and_names_its_ops(capsys, tmp_path):
    v = tf.Variable([1.0, 2.0], name="v")
    x = tf.constant(3)
    with tf.control_dependencies([tf.print("dep:", x, v, output_stream=sys.stdout)]):
        y = tf.identity(x)
    named = tf.print(tf.constant(1), name="n")
    assert (named.name, named.inputs[0].name) == ("n", "n_format:0")
    assert tf.print(tf.constant("s")).inputs[0].op.type == "Const"
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(y) == 3
    assert capsys.readouterr().out == "dep: 3 [1 2]\n"
    path = tmp_path / "out.txt"
    first = tf.print("one", tf.constant([1, 2]), output_stream=f"file://{path}")
    second = tf.print("two", output_stream=f"file://{path}", end="|")
    with tf.Session() as sess:
        sess.run(first), sess.run(second), sess.run(first)
    assert path.read_text() == "one [1 2]\ntwo|one [1 2]\n"
    with tf.Session() as sess:
        sess.run(tf.print("to stderr", tf.constant([1.5])))
    assert capsys.readouterr().err == "to stderr [1.5]\n"


def test_print_to_a_logging_level_logs_to_the_minitf_logger(caplog):
    import logging

    with tf.Session() as sess, caplog.at_level(logging.INFO, logger="minitf"):
        sess.run(tf.print("logged", tf.constant([1, 2]), output_stream=logging.WARNING))
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("minitf", logging.WARNING, "logged [1 2]")]


def test_print_rejects_unknown_streams_and_keywords():
    for stream in ("stdout", 3, "file:/x"):
        with pytest.raises(ValueError, match=f"Unsupported output stream, logging level, or "
                                             f"file.{stream}. Supported streams are sys.stdout"):
            tf.print("x", output_stream=stream)
    with pytest.raises(ValueError, match="Unrecognized keyword arguments for tf.print: "
                                         "{'foo': 1}"):
        tf.print("x", foo=1)


@pytest.mark.global_graph
def test_print_prints_at_once_eagerly(eager, capsys):
    assert tf.print("eager", tf.constant([1.5, 2.0]), {"a": tf.constant(1)},
                    output_stream=sys.stdout) is None
    assert tf.print(tf.constant("s"), output_stream=sys.stdout, end="!\n") is None
    assert capsys.readouterr().out == "eager [1.5 2] {'a': 1}\ns!\n"
