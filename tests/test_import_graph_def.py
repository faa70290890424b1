"""tf.import_graph_def (minitf/framework/importer.py): minitf's own graphs round-trip through
GraphDefs to the same values, and GraphDefs TensorFlow wrote (tests/data/tf-mlp-*.pb, made by
tests/data/make_tf_mlp_graphdef.py) run to TF's values. Messages checked against TF (tfdiff)."""
import pathlib

import numpy as np
import pytest

import minitf as tf
from minitf.ops.tf_grad_ops import _relu_grad, broadcast_gradient_args

DATA = pathlib.Path(__file__).parent / "data"
RNG = np.random.RandomState(0)


def _imported(graph_def, **kwargs):
    graph = tf.Graph()
    with graph.as_default():
        out = tf.import_graph_def(graph_def, **kwargs)
    return graph, out


def _mlp_graph():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        y = tf.placeholder(tf.float32, [None, 2], name="y")
        w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2) / 10, name="w")
        b = tf.get_variable("b", [2], initializer=tf.zeros_initializer())
        logits = tf.nn.relu(tf.matmul(x, w) + b)
        tf.nn.softmax(logits, name="p")
        tf.reduce_sum(logits, axis=1, name="s")
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(
            labels=y, logits=logits), name="loss")
        tf.train.GradientDescentOptimizer(0.5).minimize(loss, name="train")
        tf.global_variables_initializer()
    return g


def _train(graph, prefix, feed):
    feed = {prefix + k: v for k, v in feed.items()}
    with tf.Session(graph=graph) as sess:
        sess.run(prefix + "init")
        out = []
        for _ in range(3):
            out.append(sess.run([prefix + "p:0", prefix + "s:0", prefix + "loss:0"], feed))
            sess.run(prefix + "train", feed)
        return out + [sess.run([prefix + "w:0", prefix + "b:0"])]


def _same(a, b):
    for u, v in zip(a, b):
        if isinstance(u, list):
            _same(u, v)
        else:
            np.testing.assert_array_equal(u, v)


def test_an_mlp_trained_by_gradient_descent_round_trips():
    g = _mlp_graph()
    feed = {"x:0": np.array([[1, 2, 3], [-1, 0, 1]], np.float32),
            "y:0": np.array([[1, 0], [0, 1]], np.float32)}
    imported, _ = _imported(g.as_graph_def())
    _same(_train(g, "", feed), _train(imported, "import/", feed))
    names = sorted(op.name for op in imported.get_operations())
    assert all(n.startswith("import/") for n in names)
    assert imported.get_operation_by_name("import/w").type == "VariableV2"


def test_a_convnet_forward_round_trips():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [2, 8, 8, 3], name="x")
        k = tf.constant(RNG.randn(3, 3, 3, 4).astype(np.float32))
        h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, k, [1, 1, 1, 1], "SAME"),
                                      tf.constant(RNG.randn(4).astype(np.float32))))
        h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
        h = tf.nn.avg_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
        flat = tf.reshape(h, [2, -1])
        out = tf.matmul(flat, tf.constant(RNG.randn(16, 5).astype(np.float32)))
        out = tf.identity(tf.nn.log_softmax(out), name="out")
    x_value = RNG.randn(2, 8, 8, 3).astype(np.float32)
    with tf.Session(graph=g) as sess:
        want = sess.run(out, {x: x_value})
    imported, (got,) = _imported(g.as_graph_def(), return_elements=["out:0"], name="")
    assert got.name == "out:0" and got.shape.as_list() == [2, 5]
    with tf.Session(graph=imported) as sess:
        np.testing.assert_array_equal(sess.run(got, {"x:0": x_value}), want)


def test_an_unrolled_lstm_forward_round_trips():
    g = tf.Graph()
    with g.as_default():
        xs = [tf.placeholder(tf.float32, [2, 3], name=f"x{i}") for i in range(4)]
        cell = tf.nn.rnn_cell.LSTMCell(5, initializer=tf.constant_initializer(0.1))
        outputs, state = tf.nn.static_rnn(cell, xs, dtype=tf.float32)
        final = tf.identity(outputs[-1], name="final")
        init = tf.global_variables_initializer()
    feed = {f"x{i}:0": RNG.randn(2, 3).astype(np.float32) for i in range(4)}
    with tf.Session(graph=g) as sess:
        sess.run(init)
        want = sess.run([final, state.c], feed)
    imported, _ = _imported(g.as_graph_def(), name="lstm")
    with tf.Session(graph=imported) as sess:
        sess.run("lstm/init")
        got = sess.run(["lstm/final:0", "lstm/" + state.c.name],
                       {"lstm/" + k: v for k, v in feed.items()})
    _same(want, got)


def test_a_resource_variable_round_trips():
    g = tf.Graph()
    with g.as_default():
        v = tf.get_variable("v", initializer=tf.constant([1.0, 2.0]), use_resource=True)
        step = v.assign_add([0.5, 0.5], name="step")
        tf.identity(v.read_value() * 2.0, name="twice")
        tf.global_variables_initializer()
    imported, _ = _imported(g.as_graph_def())
    assert imported.get_operation_by_name("import/v").type == "VarHandleOp"
    with tf.Session(graph=imported) as sess:
        sess.run("import/init")
        sess.run("import/" + step.op.name)
        np.testing.assert_array_equal(sess.run("import/twice:0"), [3.0, 5.0])


# -- GraphDefs TensorFlow wrote ----------------------------------------------------------------
def _tf_graph_def(name):
    return tf.GraphDef.FromString((DATA / name).read_bytes())


def test_tensorflows_mlp_graph_def_runs_to_tensorflows_values():
    want = np.load(DATA / "tf-mlp-outputs.npz")
    imported, elements = _imported(_tf_graph_def("tf-mlp-graph.pb"),
                                   return_elements=["hidden:0", "logits:0", "probs:0"])
    assert [t.name for t in elements] == ["import/hidden:0", "import/logits:0",
                                          "import/probs:0"]
    with tf.Session(graph=imported) as sess:
        got = sess.run(elements, {"import/x:0": want["x"]})
    for name, value in zip(["hidden", "logits", "probs"], got):
        np.testing.assert_allclose(value, want[name], rtol=1e-6)


def test_tensorflows_gradient_descent_graph_def_trains_to_tensorflows_values():
    want = np.load(DATA / "tf-mlp-outputs.npz")
    imported, _ = _imported(_tf_graph_def("tf-mlp-train-graph.pb"), name="")
    types = {op.type for op in imported.get_operations()}
    assert {"VariableV2", "ApplyGradientDescent", "BroadcastGradientArgs", "ReluGrad"} <= types
    feed = {"x:0": want["x"], "y:0": want["y"]}
    with tf.Session(graph=imported) as sess:
        sess.run("init")
        for step in range(3):
            np.testing.assert_allclose(sess.run("loss:0", feed), want[f"train_loss{step}"],
                                       rtol=1e-6)
            sess.run("train", feed)
        for name in ("w1", "b1", "w2", "b2"):
            np.testing.assert_allclose(sess.run(name + ":0"), want["train_" + name], rtol=1e-6)


# -- names, input_map, return_elements, errors (as TF's) ----------------------------------------
def _small_graph_def():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        y = tf.add(tf.matmul(x, tf.constant([[1.0, 2.0], [3.0, 4.0]], name="w")), 1.0, name="y")
        z = tf.reduce_sum(y, axis=1, name="z")
        with tf.control_dependencies([z]):
            tf.no_op(name="n")
    return g.as_graph_def()


def test_names_scopes_and_return_elements():
    gd = _small_graph_def()
    g = tf.Graph()
    with g.as_default():
        assert tf.import_graph_def(gd) is None
        y, z, n = tf.import_graph_def(gd, return_elements=["y:0", "z", "n"])
        assert (y.name, y.shape.as_list(), y.dtype) == ("import_1/y:0", [None, 2], tf.float32)
        assert isinstance(z, tf.Operation) and z.name == "import_1/z"
        assert (n.type, [c.name for c in n.control_inputs]) == ("NoOp", ["import_1/z"])
        assert tf.import_graph_def(gd, return_elements=["z:0"], name="")[0].name == "z:0"
        assert tf.import_graph_def(gd, return_elements=["z:0"], name="m")[0].name == "m/z:0"


def test_input_map_replaces_tensors_and_control_inputs():
    gd = _small_graph_def()
    g = tf.Graph()
    with g.as_default():
        feed = tf.constant([[1.0, 1.0]], name="feed")
        a, = tf.import_graph_def(gd, input_map={"x:0": feed}, return_elements=["z:0"],
                                 name="mapped")
        b, = tf.import_graph_def(gd, input_map={"x": feed}, return_elements=["z:0"],
                                 name="mapped")
        assert (a.name, b.name) == ("mapped/z:0", "mapped_1/z:0")
        o, = tf.import_graph_def(gd, input_map={"^z": tf.constant(1.0)}, return_elements=["n"],
                                 name="ctl")
        assert [c.name for c in o.control_inputs] == ["Const"]
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run([a, b]), [[12.0], [12.0]])


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(return_elements=["nope:0"]), ValueError,
     "Requested return tensor 'nope:0' not found in graph def"),
    (dict(return_elements=["nope"]), ValueError,
     "Requested return node 'nope' not found in graph def"),
    (dict(return_elements=["y:3"]), ValueError,
     "Invalid return output 3 of node 'y', which has 1 output(s)"),
    (dict(return_elements="y:0"), ValueError,
     "Cannot convert ':' to a tensor name. Second component of the name following the `:` "
     "should be an int. Got ."),
    (dict(input_map={"nope:0": tf.constant(1.0)}), ValueError,
     "Attempted to map inputs that were not found in graph_def: [nope:0]"),
    (dict(input_map={"x:0": 1.0}), ValueError, "Shape must be rank 2 but is rank 0"),
    (dict(input_map=[1]), TypeError, "Argument `input_map` must be a dictionary. Obtained list"),
])
def test_bad_arguments_raise_as_tf(kwargs, error, message):
    gd = _small_graph_def()
    with tf.Graph().as_default(), pytest.raises(error) as info:
        tf.import_graph_def(gd, **kwargs)
    assert message in str(info.value)


def _graph_def(*nodes):
    gd = tf.GraphDef()
    for name, op, inputs in nodes:
        gd.node.add(name=name, op=op, input=inputs)
    return gd


@pytest.mark.parametrize("graph_def, error, message", [
    ("x", TypeError, "Argument `graph_def` must be a GraphDef proto."),
    (_graph_def(("a", "NoSuchOp", [])), tf.errors.NotFoundError,
     "Op type not registered 'NoSuchOp' in binary running on"),
    (_graph_def(("a", "NoOp", ["b"])), ValueError, "Node 'a': Unknown input node 'b'"),
    (_graph_def(("a", "NoOp", []), ("b", "Identity", ["a:1"])), ValueError,
     "Node 'b': Connecting to invalid output 1 of source node a which has 0 outputs."),
])
def test_bad_graph_defs_raise_as_tf(graph_def, error, message):
    with tf.Graph().as_default(), pytest.raises(error) as info:
        tf.import_graph_def(graph_def)
    assert message in str(info.value)


# -- the ops of TF's gradient graphs -----------------------------------------------------------
@pytest.mark.parametrize("s0, s1, r0, r1", [
    ([2, 3], [3], [], [0]), ([1, 3], [2, 1], [0], [1]), ([1, 1], [1], [0, 1], [0, 1]),
    ([4, 1, 5], [3, 1], [1], [0, 2]), ([], [2, 2], [0, 1], []), ([2, 1], [1, 1], [1], [0, 1]),
    ([1, 3], [1, 3], [], []),
])
def test_broadcast_gradient_args_values(s0, s1, r0, r1):
    with tf.Graph().as_default():
        out = broadcast_gradient_args(tf.constant(s0, tf.int32), tf.constant(s1, tf.int32))
        assert out[0].name == "BroadcastGradientArgs:0" and out[1].dtype == tf.int32
        assert out[0].shape.as_list() == [None]
        with tf.Session() as sess:
            got = sess.run(out)
    assert got[0].tolist() == r0 and got[1].tolist() == r1


def test_broadcast_gradient_args_rejects_shapes_that_do_not_broadcast():
    with tf.Graph().as_default():
        out = broadcast_gradient_args(tf.constant([2, 3]), tf.constant([4]))
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                                 match=r"Incompatible shapes: \[2,3\] vs. \[4\]"):
            sess.run(out)


def test_relu_grad_passes_gradients_where_features_are_positive():
    with tf.Graph().as_default():
        out = _relu_grad.apply([tf.constant([1.0, 2.0, 3.0]), tf.constant([-1.0, 0.0, 2.0])])
        assert out.op.type == "ReluGrad"
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(out), [0.0, 0.0, 3.0])


# -- every op of the guard tests' cases --------------------------------------------------------
# op types whose graphs do not round-trip, and why
NOT_ROUND_TRIPPED = {
    "If": "function bodies are Python callables, which a GraphDef does not hold",
    "While": "as If", "StatefulPartitionedCall": "as If",
    "DynamicStitch": "minitf's attr `n` is not in TF's NodeDef",
    "TopKHits": "minitf's attr `class_id` is not in TF's NodeDef",
    "SdcaOptimizer": "minitf's op has fewer outputs than TF's",
    "Softmax": "graph_to_def writes minitf's Softmax over another axis than the last as TF's "
               "(which has no axis)",
}


def _case_graph(build, values):
    g = tf.Graph()
    with g.as_default():
        out = build(*[tf.constant(np.asarray(v)) for v in values])
        outs = [t for t in (out if isinstance(out, (list, tuple)) else [out])
                if isinstance(t, tf.Tensor)]
    try:
        with tf.Session(graph=g) as sess:
            return g, outs, sess.run(outs)
    except Exception:  # (a case that needs feeds or state: not this test's)
        return g, outs, None


def _guard_cases():
    import opcases
    import test_gradient_check
    for op_type, builds in sorted(test_gradient_check.CASES.items()):  # (with the families')
        for build in builds:
            yield op_type, build[0], build[1]
    for op_type, build in sorted(opcases.merged("STATELESS", {}).items()):
        yield op_type, build, []


def test_the_guard_tests_cases_round_trip():
    failed, done = set(), 0
    for op_type, build, values in _guard_cases():
        g, outs, want = _case_graph(build, values)
        if want is None:
            continue
        try:
            imported, got = _imported(g.as_graph_def(), name="",
                                      return_elements=[t.name for t in outs])
            with tf.Session(graph=imported) as sess:
                got = sess.run(got)
            for a, b in zip(want, got):
                if np.asarray(a).dtype.kind not in "OSU":
                    np.testing.assert_allclose(a, b)
            done += 1
        except Exception:  # (the op type is named below)
            failed.add(op_type)
    assert done > 300
    assert failed <= set(NOT_ROUND_TRIPPED), sorted(failed - set(NOT_ROUND_TRIPPED))


def test_tensorflows_cross_entropy_graph_def_trains_by_sgd_and_adam_to_tensorflows_values():
    # a ref and a resource variable; TF's gradients use the backprop output of
    # SoftmaxCrossEntropyWithLogits, which minitf's op has not (the importer adds it)
    want = np.load(DATA / "tf-mlp-outputs.npz")
    imported, _ = _imported(_tf_graph_def("tf-mlp-xent-graph.pb"), name="")
    types = {op.type for op in imported.get_operations()}
    assert {"VarHandleOp", "ResourceApplyAdam", "ApplyAdam", "SoftmaxCrossEntropyWithLogits",
            "SparseSoftmaxCrossEntropyWithLogits"} <= types
    feed = {"x:0": want["x"], "y:0": want["y"], "labels:0": want["y"].argmax(1)}
    with tf.Session(graph=imported) as sess:
        sess.run("init")
        for train in ("sgd", "adam"):
            for step in range(3):
                np.testing.assert_allclose(sess.run("loss:0", feed),
                                           want[f"xent_{train}_loss{step}"], rtol=1e-6)
                sess.run(train, feed)
            w, b = sess.run(["w:0", "b/Read/ReadVariableOp:0"])
            np.testing.assert_allclose(w, want[f"xent_{train}_w"], rtol=1e-6)
            np.testing.assert_allclose(b, want[f"xent_{train}_b"], rtol=1e-6)


def test_names_taken_are_uniquified_and_open_control_dependencies_go_to_sources():
    g = tf.Graph()
    with g.as_default():
        tf.constant(1.0, name="a")
    gd = g.as_graph_def()
    with tf.Graph().as_default():
        tf.import_graph_def(gd, name="")
        tf.import_graph_def(gd, name="")
        tf.constant(2.0, name="import")
        assert tf.import_graph_def(gd, return_elements=["a:0"])[0].name == "import_1/a:0"
        with tf.name_scope("outer"):
            a, = tf.import_graph_def(gd, return_elements=["a:0"])
            assert a.name == "outer/import/a:0"
            a, = tf.import_graph_def(gd, return_elements=["a:0"], name="")
            assert a.name == "a_2:0"
        with tf.control_dependencies([a.op]):
            b, = tf.import_graph_def(gd, return_elements=["a:0"], name="c")
        assert b.name == "c/a:0" and [o.name for o in b.op.control_inputs] == ["a_2"]


def test_tensorflows_convnet_and_unrolled_lstm_run_to_tensorflows_values():
    want = np.load(DATA / "tf-mlp-outputs.npz")
    imported, _ = _imported(_tf_graph_def("tf-conv-lstm-graph.pb"), name="")
    types = {op.type for op in imported.get_operations()}
    assert {"Conv2D", "BiasAdd", "MaxPool", "Split", "Unpack", "ConcatV2", "VariableV2"} <= types
    with tf.Session(graph=imported) as sess:
        sess.run("init")
        conv, lstm = sess.run(["conv_out:0", "lstm_out:0"],
                              {"images:0": want["images"], "seq:0": want["seq"]})
    # (TF's oneDNN convolution sums in another order: float32 rounding, through a softmax)
    np.testing.assert_allclose(conv, want["conv_out"], rtol=2e-5, atol=1e-12)
    np.testing.assert_allclose(lstm, want["lstm_out"], rtol=1e-6)


def test_concat_offset_values_and_errors():
    from minitf.ops.tf_grad_ops import concat_offset

    with tf.Session() as sess:
        offsets = sess.run(concat_offset(-1, [[2, 3, 1], [2, 3, 4], [2, 3, 2]]))
        assert [o.tolist() for o in offsets] == [[0, 0, 0], [0, 0, 1], [0, 0, 5]]
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="All dimensions except 0 must match. Input 1"):
            sess.run(concat_offset(0, [[2, 3], [2, 4]]))
