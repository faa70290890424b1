"""The GraphDef function library (minitf/framework/function_library.py): cond, while_loop,
switch_case and tf.function bodies written as FunctionDefs, and read back by import_graph_def.

The values are TensorFlow's: tests/data/tf_imports_minitf_functions.py (run by hand under the
reference TF) imported minitf's GraphDefs of these graphs into TF 2.21 (control flow v2), ran
them to these values, and wrote TF's own GraphDefs of the same graphs (tests/data/tf-cfv2-*.pb).
"""
import pathlib
import sys

import numpy as np
import pytest

import minitf as tf
from minitf.framework.function_pb import FunctionDef, FunctionDefLibrary

DATA = pathlib.Path(__file__).parent / "data"
sys.path.insert(0, str(DATA))
from tf_imports_minitf_functions import FEEDS, build  # noqa: E402

# what TF's Session gave for each graph at FEEDS (x = 3.0, -4.0, 0.5)
TF_VALUES = {"cond": [6.0, 4.0, 1.0], "while": [23.3125, -12.125, 10.65625],
             "nested": [3.0, -41.5, 3.5], "switch_case": [-7.0, -14.0, 1.5],
             "function": [15.0, -20.0, 2.5], "stateful": [4.0, 8.0, 4.5],
             "effect": [4.0, 0.0, 0.5], "loops": [447.0, -932.0, 14.96875],
             "grad": [12.0, -3.0, 2.0], "fgrad": [12.0, -16.0, 2.0]}
# the fetched tensor of TF's own GraphDefs (control flow v2 names)
TF_FETCH = {"cond": "cond/Identity:0", "while": "while/Identity_3:0",
            "nested": "while/Identity_3:0", "switch_case": "switch_case/indexed_case/Identity:0",
            "function": "PartitionedCall:0", "stateful": "cond/Identity:0", "effect": "add:0"}
# the initializer of TF's GraphDefs' variable
TF_INIT = {"while": "v/Assign", "nested": "v/Assign", "stateful": "r/Assign",
           "effect": "r/Assign"}


def _graph(which):
    g = tf.Graph()
    with g.as_default():
        y, init = build(tf, which)
    return g, y, init


def _run(fetch, init, feed_name):
    with tf.Session() as sess:
        if init is not None:
            sess.run(init)
        return [float(sess.run(fetch, {feed_name: f})) for f in FEEDS]


def _functions(gd):
    return {f.signature.name: f for f in gd.library.function}


def _types(attr):
    return [tf.as_dtype(t).name for t in attr.list.type]


# -- export ------------------------------------------------------------------------------------
def test_cond_writes_its_branches_as_functions():
    g, _, _ = _graph("cond")
    gd = g.as_graph_def()
    assert [n.name for n in gd.node] == ["x", "Greater/y", "Greater", "cond/pred_id", "cond/If",
                                         "cond/Merge"]
    node = gd.node[4]
    assert node.op == "StatelessIf" and list(node.input) == ["cond/pred_id", "x"]
    assert _types(node.attr["Tin"]) == ["float32"] and _types(node.attr["Tout"]) == ["float32"]
    assert tf.as_dtype(node.attr["Tcond"].type) == tf.bool
    assert node.attr["then_branch"].func.name == "cond_true"
    assert node.attr["else_branch"].func.name == "cond_false"
    assert len(node.attr["output_shapes"].list.shape) == 1
    fns = _functions(gd)
    assert list(fns) == ["cond_true", "cond_false"]
    true = fns["cond_true"]
    assert [(a.name, tf.as_dtype(a.type).name) for a in true.signature.input_arg] == [
        ("x", "float32")]
    assert [(n.name, n.op, list(n.input)) for n in true.node_def] == [
        ("mul/y", "Const", []), ("mul", "Mul", ["x", "mul/y:output:0"])]
    assert dict(true.ret) == {"mul_0": "mul:z:0"}
    assert [a.name for a in true.signature.output_arg] == ["mul_0"]
    assert dict(fns["cond_false"].ret) == {"neg": "Neg:y:0"}


def test_while_writes_cond_and_body_with_captures_as_loop_variables():
    g, _, _ = _graph("while")
    gd = g.as_graph_def()
    assert [n.name for n in gd.node] == ["x", "v/initial_value", "v", "v/Assign", "v/read",
                                         "Const", "while/While", "while/Exit", "while/Exit_1"]
    node = gd.node[6]
    assert node.op == "StatelessWhile" and list(node.input) == ["Const", "x", "v/read"]
    assert _types(node.attr["T"]) == ["int32", "float32", "float32"]
    assert len(node.attr["output_shapes"].list.shape) == 3
    assert node.attr["cond"].func.name == "while_cond"
    assert node.attr["body"].func.name == "while_body"
    fns = _functions(gd)
    cond, body = fns["while_cond"], fns["while_body"]
    # each holds only the ops it needs: the cond's test, the body's next values
    assert [n.name for n in cond.node_def] == ["Less/y", "Less"]
    assert dict(cond.ret) == {"less": "Less:z:0"}
    assert [a.name for a in body.signature.input_arg] == ["const", "x", "read"]
    assert [(n.name, list(n.input)) for n in body.node_def] == [
        ("add/y", []), ("add", ["const", "add/y:output:0"]), ("mul", ["x", "read"]),
        ("add_1/y", []), ("add_1", ["mul:z:0", "add_1/y:output:0"])]
    # the variable's value goes through the loop as it came (TF's control flow v2)
    assert dict(body.ret) == {"add_0": "add:z:0", "add_1_0": "add_1:z:0", "v_read": "read"}


def test_cond_in_a_while_body_is_a_function_the_body_calls():
    g, _, _ = _graph("nested")
    gd = g.as_graph_def()
    fns = _functions(gd)
    assert sorted(fns) == ["while_body", "while_cond", "while_cond_false", "while_cond_true"]
    body = {n.name: n for n in fns["while_body"].node_def}
    assert body["cond/If"].op == "StatelessIf"
    assert list(body["cond/If"].input) == ["cond/pred_id:output:0", "x", "read"]
    assert body["cond/If"].attr["then_branch"].func.name == "while_cond_true"
    assert [n.name for n in gd.node if n.name.startswith("while/")] == [
        "while/While", "while/Exit", "while/Exit_1"]


def test_stateful_bodies_give_the_stateful_op_types():
    g, _, _ = _graph("stateful")
    gd = g.as_graph_def()
    node = [n for n in gd.node if n.name == "cond/If"][0]
    assert node.op == "If" and list(node.input) == ["cond/pred_id", "r", "x"]
    assert _types(node.attr["Tin"]) == ["resource", "float32"]
    fns = _functions(gd)
    assert [n.op for n in fns["cond_true"].node_def] == ["AssignAddVariableOp", "ReadVariableOp"]
    assert fns["cond_true"].signature.is_stateful
    assert fns["cond_false"].signature.is_stateful  # (a ReadVariableOp, stateful in TF too)


def test_a_functions_effects_are_its_control_outputs():
    g, _, _ = _graph("effect")
    gd = g.as_graph_def()
    call = [n for n in gd.node if n.name == "StatefulPartitionedCall"][0]
    assert call.op == "StatefulPartitionedCall" and list(call.input) == ["x", "r"]
    f = _functions(gd)["__inference_g"]
    assert [a.name for a in f.signature.input_arg] == ["input", "r"]
    assert [(n.name, list(n.input)) for n in f.node_def] == [
        ("AssignAddVariableOp", ["r", "input"]),
        ("Read/ReadVariableOp", ["r", "^AssignAddVariableOp"]),
        ("mul/y", []), ("mul", ["input", "mul/y:output:0"])]
    # (the last of the ordered effects: the update runs before it)
    assert list(f.signature.control_output) == ["Read/ReadVariableOp"]
    assert dict(f.control_ret) == {"Read/ReadVariableOp": "Read/ReadVariableOp"}


def test_a_cond_gradient_is_an_if_of_functions():
    g, y, _ = _graph("grad")
    gd = g.as_graph_def()
    node = [n for n in gd.node if n.name == "gradients/cond/If_grad/If"][0]
    # (the forward If's record, which a gradient of stateless branches does not read, is
    # not an input)
    assert node.op == "StatelessIf"
    assert list(node.input) == ["cond/pred_id", "gradients/grad_ys_0", "x"]
    grad = _functions(gd)["gradients_cond_if_grad_true"]
    assert [a.name for a in grad.signature.input_arg] == ["grad_ys_0", "x"]
    # the forward op it reads again is in it too
    assert [n.name for n in grad.node_def][-1] == "cond/mul_1/y"
    assert dict(grad.ret) == {"gradients_addn_1": "gradients/AddN_1:sum:0"}
    assert not any(n.name.startswith("gradients/cond/mul") for n in gd.node)


def test_a_calls_gradient_is_a_call_of_the_gradient_function():
    g, _, _ = _graph("fgrad")
    gd = g.as_graph_def()
    call = [n for n in gd.node if n.name == "gradients/PartitionedCall_grad/PartitionedCall"][0]
    assert call.op == "PartitionedCall" and call.attr["f"].func.name == "__inference_h_grad"
    assert list(call.input) == ["x", "gradients/grad_ys_0", "Const"]
    grad = _functions(gd)["__inference_h_grad"]
    assert [a.name for a in grad.signature.input_arg] == ["input", "grad_ys_0", "const"]
    assert len(grad.signature.output_arg) == 2  # (d/da, d/dc)


def test_switch_case_is_tfs_case():
    g, _, _ = _graph("switch_case")
    gd = g.as_graph_def()
    node = [n for n in gd.node if n.name == "switch_case/If"][0]
    assert node.op == "StatelessCase"
    assert sorted(node.attr) == ["Tin", "Tout", "branches", "output_shapes"]
    assert [f.name for f in node.attr["branches"].list.func] == [
        "switch_case_branch0", "switch_case_branch1", "switch_case_branch2"]
    assert dict(_functions(gd)["switch_case_branch1"].ret) == {"mul_0": "mul:z:0"}


def test_function_calls_share_one_function():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [], name="x")

        @tf.function
        def f(a):
            return a * 3.0
        f(x)
        f(x + 1.0)
    gd = g.as_graph_def()
    calls = [n for n in gd.node if n.op == "PartitionedCall"]
    assert [n.name for n in calls] == ["PartitionedCall", "PartitionedCall_1"]
    assert [n.attr["f"].func.name for n in calls] == ["__inference_f", "__inference_f"]
    f = _functions(gd)["__inference_f"]
    assert [(n.name, list(n.input)) for n in f.node_def] == [
        ("mul/y", []), ("mul", ["input", "mul/y:output:0"])]


def test_library_bytes_and_text_round_trip():
    g, _, _ = _graph("nested")
    gd = g.as_graph_def(add_shapes=True)
    assert tf.GraphDef.FromString(gd.SerializeToString()) == gd
    assert "library {" in str(gd)
    lib = FunctionDefLibrary.FromString(gd.library.SerializeToString())
    assert [f.signature.name for f in lib.function] == [f.signature.name
                                                         for f in gd.library.function]
    less = _functions(gd)["while_cond"].node_def[1]
    assert less.attr["_output_shapes"].list.shape[0].dim == []
    f = FunctionDef()
    f.arg_attr[3].attr["a"].i = 1
    assert FunctionDef.FromString(f.SerializeToString()).arg_attr[3].attr["a"].i == 1


@pytest.mark.parametrize("which", sorted(TF_VALUES))
def test_minitf_runs_to_the_values_tf_gives_for_its_graph_def(which):
    g, y, init = _graph(which)
    with g.as_default():
        assert _run(y, init, "x:0") == TF_VALUES[which]


# -- import ------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", sorted(TF_VALUES))
def test_round_trip_through_a_graph_def(which):
    g, y, init = _graph(which)
    gd = g.as_graph_def()
    g2 = tf.Graph()
    with g2.as_default():
        out, = tf.import_graph_def(gd, return_elements=[y.name])
        assert out.name == "import/" + y.name
        assert _run(out, None if init is None else "import/" + init.name,
                    "import/x:0") == TF_VALUES[which]


# (not "loops" and the gradients: TF writes them with TensorList and Optional ops, which
# minitf has not)
@pytest.mark.parametrize("which", sorted(TF_FETCH))
def test_tfs_control_flow_v2_graph_defs_import(which):
    gd = tf.GraphDef.FromString((DATA / f"tf-cfv2-{which}.pb").read_bytes())
    g = tf.Graph()
    with g.as_default():
        out, = tf.import_graph_def(gd, return_elements=[TF_FETCH[which]], name="")
        assert out.name == TF_FETCH[which]  # (the GraphDef's names kept)
        assert _run(out, TF_INIT.get(which), "x:0") == TF_VALUES[which]


def test_tfs_graph_def_node_types():
    ops = {w: [n.op for n in tf.GraphDef.FromString(
        (DATA / f"tf-cfv2-{w}.pb").read_bytes()).node] for w in TF_FETCH}
    assert "StatelessIf" in ops["cond"] and "StatelessCase" in ops["switch_case"]
    assert "StatelessWhile" in ops["while"] and "PartitionedCall" in ops["function"]


def test_gradients_through_imported_cond_and_while():
    for gd, fetch in ((_graph("cond")[0].as_graph_def(), "cond/Merge:0"),
                      (tf.GraphDef.FromString((DATA / "tf-cfv2-cond.pb").read_bytes()),
                       "cond/Identity:0")):
        g = tf.Graph()
        with g.as_default():
            out, = tf.import_graph_def(gd, return_elements=[fetch])
            x = g.get_tensor_by_name("import/x:0")
            assert _run(tf.gradients(out, x)[0], None, "import/x:0") == [2.0, -1.0, 2.0]
    g = tf.Graph()
    with g.as_default():
        out, = tf.import_graph_def(_graph("while")[0].as_graph_def(),
                                   return_elements=["while/Exit_1:0"])
        grad = tf.gradients(out, g.get_tensor_by_name("import/x:0"))[0]
        # s -> s * 1.5 + 1, four times: d/dx = 1.5 ** 4
        assert _run(grad, "import/v/Assign", "import/x:0") == [5.0625] * 3


def test_control_flow_v2_names_export_and_import():
    tf.compat.v1.enable_control_flow_v2()
    try:
        g, y, _ = _graph("cond")
    finally:
        tf.compat.v1.disable_control_flow_v2()
    gd = g.as_graph_def()
    node = [n for n in gd.node if n.op == "StatelessIf"][0]
    assert node.name == "cond" and node.attr["then_branch"].func.name == "cond_true"
    assert [n.name for n in _functions(gd)["cond_true"].node_def] == ["mul/y", "mul"]
    g2 = tf.Graph()
    with g2.as_default():
        out, = tf.import_graph_def(gd, return_elements=[y.name], name="")
        assert out.name == y.name == "cond/Identity:0"
        assert _run(out, None, "x:0") == TF_VALUES["cond"]


def test_branches_returning_their_inputs_and_ops():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [], name="x")
        c = tf.constant(7.0)
        a = tf.cond(x > 0.0, lambda: x, lambda: c)
        b = tf.while_loop(lambda i: i < 10.0, lambda i: i + c, [x])
        d = tf.cond(x > 1.0, tf.no_op, tf.no_op)
    gd = g.as_graph_def()
    fns = _functions(gd)
    # an input returned as it came: the ret names the argument (as TF's)
    assert dict(fns["cond_true"].ret) == {"x_0": "x"}
    assert dict(fns["cond_false"].ret) == {"const_0": "const"}
    assert dict(fns["while_body"].ret) == {"add_0": "add:z:0", "const_0": "const"}
    assert [(n.name, list(n.input)) for n in fns["cond_1_true"].node_def] == [
        ("NoOp", []), ("Identity", ["pred_id", "^NoOp"])]
    g2 = tf.Graph()
    with g2.as_default():
        outs = tf.import_graph_def(gd, return_elements=[a.name, b.name, d.name], name="")
        with tf.Session() as sess:
            # (TF gives the same, importing this GraphDef)
            assert [sess.run(outs, {"x:0": f}) for f in (3.0, -4.0)] == [
                [3.0, 10.0, True], [7.0, 10.0, False]]


def test_missing_function_is_a_value_error():
    g, y, _ = _graph("cond")
    gd = g.as_graph_def()
    del gd.library.function[:]
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="names the function 'cond_true', which the "
                                             "GraphDef's library does not hold"):
            tf.import_graph_def(gd)


def test_input_map_reaches_the_bodies():
    g, y, init = _graph("nested")
    gd = g.as_graph_def()
    g2 = tf.Graph()
    with g2.as_default():
        v = tf.constant(np.float32(1.5))
        x = tf.placeholder(tf.float32, [], name="feed")
        out, = tf.import_graph_def(gd, input_map={"v/read:0": v, "x:0": x},
                                   return_elements=[y.name])
        assert _run(out, None, "feed:0") == TF_VALUES["nested"]


def test_saver_meta_graph_round_trip_with_control_flow(tmp_path):
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [], name="x")
        v = tf.get_variable("v", initializer=1.5)
        y = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, tf.cond(
            s > 2.0, lambda: s * v, lambda: s + v)), [0, x])[1]
        tf.add_to_collection("y", y)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert sess.run(y, {x: 1.0}) == 5.625  # 1 + 1.5, * 1.5, * 1.5
            saver.save(sess, str(tmp_path / "m"))
    with tf.Graph().as_default():
        restorer = tf.train.import_meta_graph(str(tmp_path / "m.meta"))
        y2 = tf.get_collection("y")[0]
        assert y2.name == "while/Exit_1:0"
        with tf.Session() as sess:
            restorer.restore(sess, str(tmp_path / "m"))
            assert sess.run(y2, {"x:0": 1.0}) == 5.625
