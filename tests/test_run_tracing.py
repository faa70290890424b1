"""Traced runs (RunOptions trace_level, RunMetadata step_stats and partition_graphs) and the
Chrome trace of minitf.timeline."""
import json

import numpy as np
import pytest

import minitf as tf
from minitf import timeline
from minitf.plan_tracing import DEVICE

FULL = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)


def _model():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], name="w")
    b = tf.constant([1.0, 2.0, 3.0], name="b")
    return x, tf.matmul(x, w) + b


def _traced(sess, fetches, feed_dict=None, options=FULL):
    md = tf.RunMetadata()
    return sess.run(fetches, feed_dict, options=options, run_metadata=md), md


def test_step_stats_has_one_node_per_executed_op_with_tf_names():
    x, y = _model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _, md = _traced(sess, y, {x: np.ones((4, 2))})
    assert [d.device for d in md.step_stats.dev_stats] == [DEVICE]
    nodes = md.step_stats.dev_stats[0].node_stats
    assert sorted(n.node_name for n in nodes) == sorted(
        ["_SOURCE", "_arg_x_0_0", "w", "w/read", "MatMul", "b", "add", "_retval_add_0_0"])
    labels = {n.node_name: n.timeline_label for n in nodes}
    assert labels["MatMul"] == "MatMul = MatMul(_arg_x_0_0, w/read)"
    assert labels["add"] == "add = AddV2(MatMul, b)"
    assert labels["w/read"] == "w/read = Identity(w)"
    assert labels["_retval_add_0_0"] == "_retval_add_0_0 = _Retval(add)"
    assert nodes[0].node_name == "_SOURCE" and nodes[-1].node_name == "_retval_add_0_0"
    order = [n.node_name for n in nodes]
    assert order.index("w") < order.index("w/read") < order.index("MatMul") < order.index("add")


def test_step_stats_times_are_ordered_and_durations_not_negative():
    x, y = _model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _, md = _traced(sess, tf.nn.relu(y), {x: np.ones((4, 2))})
    nodes = md.step_stats.dev_stats[0].node_stats
    starts = [n.all_start_micros for n in nodes]
    assert starts == sorted(starts)
    assert starts[0] > 1_000_000_000_000_000  # wall-clock microseconds since the epoch
    for n in nodes:
        assert 0 <= n.op_start_rel_micros <= n.op_end_rel_micros <= n.all_end_rel_micros
        assert n.scheduled_micros == n.all_start_micros


def test_outputs_describe_the_tensors_made():
    x, y = _model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _, md = _traced(sess, y, {x: np.ones((4, 2))})
    nodes = {n.node_name: n for n in md.step_stats.dev_stats[0].node_stats}
    (out,) = nodes["MatMul"].output
    assert out.slot == 0 and out.tensor_description.dtype == tf.float32.as_datatype_enum
    assert [d.size for d in out.tensor_description.shape.dim] == [4, 3]
    assert out.tensor_description.allocation_description.requested_bytes == 48
    assert nodes["w"].output[0].tensor_description.dtype == tf.float32.as_datatype_enum
    assert [o.slot for o in nodes["_arg_x_0_0"].output] == [0]
    assert not nodes["_SOURCE"].output and not nodes["_retval_add_0_0"].output


def test_traced_values_equal_untraced_and_state_updates_once():
    x, y = _model()
    v = tf.Variable([1.0, 2.0], name="v")
    step = tf.assign_add(v, [1.0, 1.0])
    feed = {x: np.arange(6, dtype=np.float32).reshape(3, 2)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        plain = sess.run([y, tf.nn.relu(y)], feed)
        traced, _ = _traced(sess, [y, tf.nn.relu(y)], feed)
        for a, b in zip(plain, traced):
            np.testing.assert_array_equal(a, b)
        assert _traced(sess, step)[0].tolist() == [2.0, 3.0]
        assert sess.run(step).tolist() == [3.0, 4.0]


def test_untraced_run_leaves_run_metadata_empty():
    x, y = _model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for options in (None, tf.RunOptions()):
            md = tf.RunMetadata()
            sess.run(y, {x: np.ones((1, 2))}, options=options, run_metadata=md)
            assert md == tf.RunMetadata() and not md.HasField("step_stats")


def test_software_trace_also_records_and_a_run_replaces_the_metadata():
    c = tf.constant(3.0, name="c")
    with tf.Session() as sess:
        md = tf.RunMetadata()
        for _ in range(2):
            sess.run(c, options=tf.RunOptions(trace_level=tf.RunOptions.SOFTWARE_TRACE),
                     run_metadata=md)
        names = [n.node_name for d in md.step_stats.dev_stats for n in d.node_stats]
    assert names == ["_SOURCE", "c", "_retval_c_0_0"]


def test_unused_feed_and_fetched_feed_get_no_nodes():
    x = tf.placeholder(tf.float32, [2], name="x")
    z = tf.placeholder(tf.float32, [2], name="z")
    s = tf.split(x * 2.0, 2, name="sp")
    with tf.Session() as sess:
        _, md = _traced(sess, [s[1], s[0], x], {z: [0, 0], x: [1, 2]})
    names = [n.node_name for n in md.step_stats.dev_stats[0].node_stats]
    assert "_arg_x_0_0" in names and not any(n.startswith("_arg_z") for n in names)
    assert names[-2:] == ["_retval_sp_0_0", "_retval_sp_1_1"]


def test_control_inputs_are_listed_in_the_label():
    a = tf.constant(1.0, name="a")
    with tf.control_dependencies([a]):
        b = tf.identity(a, name="b") * 2.0
    with tf.Session() as sess:
        _, md = _traced(sess, b)
    labels = [n.timeline_label for n in md.step_stats.dev_stats[0].node_stats]
    assert "mul/y = Const(^a)" in labels and "mul = Mul(b, mul/y)" in labels


def test_partition_graphs_list_the_ops_run_with_arg_and_retval_nodes():
    x, y = _model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _, md = _traced(sess, y, {x: np.ones((1, 2))},
                        options=tf.RunOptions(output_partition_graphs=True))
    assert not md.HasField("step_stats")
    (graph,) = md.partition_graphs
    nodes = {n.name: n for n in graph.node}
    assert sorted(nodes) == sorted(["_arg_x_0_0", "w", "w/read", "MatMul", "b", "add",
                                    "_retval_add_0_0"])
    assert list(nodes["MatMul"].input) == ["_arg_x_0_0", "w/read"]
    assert nodes["_retval_add_0_0"].op == "_Retval"
    assert {n.device for n in graph.node} == {DEVICE}


def test_make_callable_with_accept_options_traces():
    x, y = _model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        call = sess.make_callable(y, [x], accept_options=True)
        md = tf.RunMetadata()
        traced = call(np.ones((2, 2)), options=FULL, run_metadata=md)
        np.testing.assert_array_equal(traced, call(np.ones((2, 2))))
        assert "MatMul" in [n.node_name for n in md.step_stats.dev_stats[0].node_stats]
        with pytest.raises(TypeError, match="takes 1 feed values"):
            call(options=FULL, run_metadata=md)


def test_a_failing_traced_run_raises_as_untraced():
    x = tf.placeholder(tf.float32, [2], name="x")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(x * 2.0, options=FULL, run_metadata=tf.RunMetadata())


def _trace_of(show_dataflow=True, show_memory=False):
    x, y = _model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _, md = _traced(sess, tf.nn.relu(y), {x: np.ones((4, 2))})
    text = timeline.Timeline(md.step_stats).generate_chrome_trace_format(
        show_dataflow=show_dataflow, show_memory=show_memory)
    return json.loads(text)


def test_timeline_json_has_metadata_and_an_x_event_per_op():
    trace = _trace_of()
    assert list(trace) == ["traceEvents"]
    events = trace["traceEvents"]
    assert all("ph" in e for e in events)
    processes = [e["args"]["name"] for e in events if e["ph"] == "M"]
    assert processes == ["Allocators", DEVICE + " Compute", DEVICE + " Tensors"]
    ops = {e["args"]["name"]: e for e in events if e["ph"] == "X"}
    assert ops["MatMul"]["name"] == "MatMul" and ops["add"]["name"] == "AddV2"
    assert ops["MatMul"]["args"] == {"name": "MatMul", "op": "MatMul",
                                     "input0": "_arg_x_0_0", "input1": "w/read"}
    assert ops["MatMul"]["cat"] == "Op" and ops["MatMul"]["pid"] == 1
    assert all(e["dur"] >= 0 for e in ops.values())


def test_timeline_lanes_flows_and_memory():
    stats = tf.RunMetadata().step_stats
    dev = stats.dev_stats.add(device="/cpu:0")
    dev.node_stats.add(node_name="a", all_start_micros=10, all_end_rel_micros=20,
                       timeline_label="a = Const()").output.add(slot=0)
    dev.node_stats.add(node_name="b", all_start_micros=15, all_end_rel_micros=5,
                       timeline_label="b = Neg(a)")
    analysis = timeline.Timeline(stats).analyze_step_stats(show_memory=True)
    events = json.loads(analysis.chrome_trace.format_to_string())["traceEvents"]
    x = {e["args"]["name"]: e for e in events if e["ph"] == "X"}
    assert (x["a"]["tid"], x["b"]["tid"]) == (0, 1)  # b overlaps a: the next lane
    flows = [(e["ph"], e["name"], e["tid"], e["ts"]) for e in events if e.get("cat") == "DataFlow"]
    assert flows == [("s", "a", 0, 30), ("t", "a", 1, 15)]
    assert [e["ph"] for e in events if e.get("cat") == "Tensor"] == ["N", "O", "D"]
    assert "" in analysis.allocator_maximums
    plain = json.loads(timeline.Timeline(stats).generate_chrome_trace_format(
        show_dataflow=False))["traceEvents"]
    assert not [e for e in plain if e.get("cat") in ("DataFlow", "Tensor", "Memory")]
