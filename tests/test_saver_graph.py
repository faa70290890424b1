"""The save and restore ops a Saver builds in the graph, as TF's Saver builds them: their names,
types and inputs (checked against TF 2.21's tf.compat.v1 with tools/tfdiff), and running them
by the SaverDef's names, as TF1 code and TF (importing a `.meta` file) do."""
import os

import numpy as np
import pytest

import minitf as tf


def _model():
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.get_variable("w", [3], use_resource=True)
    p = tf.get_variable("p", [4, 2], partitioner=tf.fixed_size_partitioner(2))
    return v, w, p


def _new_ops(before):
    return [(op.name, op.type, [t.name for t in op.inputs], [c.name for c in op.control_inputs])
            for op in tf.get_default_graph().get_operations()[before:]]


def test_saver_builds_tensorflows_save_and_restore_ops():
    _model()
    before = len(tf.get_default_graph().get_operations())
    saver = tf.train.Saver()
    d = saver.saver_def
    assert (d.filename_tensor_name, d.save_tensor_name, d.restore_op_name) == (
        "save/Const:0", "save/control_dependency:0", "save/restore_all")
    save = ["save/Const:0", "save/SaveV2/tensor_names:0", "save/SaveV2/shape_and_slices:0"]
    restore = ["save/Const:0", "save/RestoreV2/tensor_names:0",
               "save/RestoreV2/shape_and_slices:0"]
    assert _new_ops(before) == [  # TF 2.21's, in its order
        ("save/filename/input", "Const", [], []),
        ("save/filename", "PlaceholderWithDefault", ["save/filename/input:0"], []),
        ("save/Const", "PlaceholderWithDefault", ["save/filename:0"], []),
        ("save/SaveV2/tensor_names", "Const", [], []),
        ("save/SaveV2/shape_and_slices", "Const", [], []),
        ("save/SaveV2", "SaveV2", save + ["p/part_0/read:0", "p/part_1/read:0", "v:0",
                                          "w/Read/ReadVariableOp:0"], []),
        ("save/control_dependency", "Identity", ["save/Const:0"], ["save/SaveV2"]),
        ("save/RestoreV2/tensor_names", "Const", [], []),
        ("save/RestoreV2/shape_and_slices", "Const", [], []),
        ("save/RestoreV2", "RestoreV2", restore, []),
        ("save/Assign", "Assign", ["p/part_0:0", "save/RestoreV2:0"], []),
        ("save/Assign_1", "Assign", ["p/part_1:0", "save/RestoreV2:1"], []),
        ("save/Assign_2", "Assign", ["v:0", "save/RestoreV2:2"], []),
        ("save/Identity", "Identity", ["save/RestoreV2:3"], []),
        ("save/AssignVariableOp", "AssignVariableOp", ["w:0", "save/Identity:0"], []),
        ("save/restore_all", "NoOp", [],
         ["save/Assign", "save/Assign_1", "save/Assign_2", "save/AssignVariableOp"])]
    nodes = {n.name: n for n in tf.get_default_graph().as_graph_def().node}
    assert nodes["save/SaveV2/shape_and_slices"].attr["value"].tensor.string_val == [
        b"4 2 0,2:0,2", b"4 2 2,2:0,2", b"", b""]
    assert nodes["save/filename/input"].attr["value"].tensor.string_val == [b"model"]
    assert list(nodes["save/control_dependency"].attr["_class"].list.s) == [b"loc:@save/Const"]
    assert nodes["save/Assign_2"].attr["use_locking"].b
    assert nodes["save/RestoreV2"].device == "/device:CPU:0"


def test_scopes_are_made_unique_and_deferred_or_given_savers_build_when_tf_does():
    tf.Variable(1.0, name="v")
    graph = tf.get_default_graph()
    assert tf.train.Saver().saver_def.restore_op_name == "save/restore_all"
    before = len(graph.get_operations())
    deferred = tf.train.Saver(defer_build=True)
    given = tf.train.Saver(saver_def=tf.train.SaverDef(restore_op_name="x"))
    assert len(graph.get_operations()) == before and deferred.saver_def is None
    assert given.saver_def.restore_op_name == "x"
    deferred.build()
    deferred.build()  # (once)
    assert deferred.saver_def.restore_op_name == "save_1/restore_all"
    assert graph.get_operation_by_name("save_1/restore_all").type == "NoOp"
    assert tf.train.Saver(name="mine", filename="f").saver_def.filename_tensor_name == (
        "mine/Const:0")
    assert tf.train.Saver().saver_def.save_tensor_name == "save_2/control_dependency:0"


def test_partitions_are_listed_in_tensorflows_name_order():
    tf.get_variable("p", [12, 2], partitioner=tf.fixed_size_partitioner(12))
    tf.train.Saver()
    names = [t.name for t in tf.get_default_graph().get_operation_by_name("save/SaveV2").inputs]
    assert names[3:6] == ["p/part_0/read:0", "p/part_10/read:0", "p/part_11/read:0"]


def test_sharded_save_ops_are_tensorflows_per_device_graph():
    with tf.device("/cpu:0"):
        tf.Variable([1.0, 2.0], name="v")
    with tf.device("/cpu:1"):
        tf.get_variable("w", [3], use_resource=True)
    tf.get_variable("q", [4, 2], partitioner=tf.fixed_size_partitioner(2), use_resource=True)
    before = len(tf.get_default_graph().get_operations())
    d = tf.train.Saver(sharded=True).saver_def
    assert (d.save_tensor_name, d.sharded) == ("save/Identity_4:0", True)
    ops = {name: (kind, inputs, control) for name, kind, inputs, control in _new_ops(before)}
    assert ops["save/ShardedFilename_2"] == ("ShardedFilename", [
        "save/StringJoin:0", "save/ShardedFilename_2/shard:0", "save/num_shards:0"], [])
    assert ops["save/SaveV2"][1][3:] == ["save/Identity_1:0", "save/Identity_3:0"]
    assert ops["save/Read_1/ReadVariableOp"][1] == ["q/part_1:0"]
    assert ops["save/MergeV2Checkpoints"] == ("MergeV2Checkpoints", [
        "save/MergeV2Checkpoints/checkpoint_prefixes:0", "save/Const:0"], [])
    assert ops["save/Identity_4"][2] == ["save/control_dependency", "save/control_dependency_1",
                                         "save/control_dependency_2", "save/MergeV2Checkpoints"]
    assert ops["save/restore_all"] == ("NoOp", [], [
        "save/restore_all/NoOp", "save/restore_all/NoOp_1", "save/restore_all/NoOp_2"])
    assert tf.get_default_graph().get_operation_by_name("save/restore_shard_2").device == (
        "/device:CPU:1")


def test_no_ops_in_eager_mode_or_a_finalized_graph_or_without_variables():
    graph = tf.get_default_graph()
    empty = tf.train.Saver(var_list=[], allow_empty=True)
    assert empty.saver_def.restore_op_name == "save/restore_all"
    tf.Variable(1.0, name="v")
    graph.finalize()
    assert tf.train.Saver().saver_def.restore_op_name == "save/restore_all"
    assert not [op for op in graph.get_operations() if op.name.startswith("save")]


@pytest.mark.parametrize("sharded", [False, True])
def test_the_graph_ops_save_and_restore_in_tensorflows_format(tmp_path, sharded):
    v, w, p = _model()
    saver = tf.train.Saver(sharded=sharded)
    d, p = saver.saver_def, p.as_tensor()
    prefix = str(tmp_path / "ops")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run([v, w, p])
        assert sess.run(d.save_tensor_name, {d.filename_tensor_name: prefix}) == prefix.encode()
        assert os.path.exists(prefix + ".index") and not os.path.exists(prefix + ".npz")
        part = tf.global_variables()[2]
        sess.run([v.assign([0.0, 0.0]), w.assign([0.0] * 3), part.assign(np.zeros((2, 2)))])
        sess.run(d.restore_op_name, {d.filename_tensor_name: prefix})
        for got, want in zip(sess.run([v, w, p]), values):
            np.testing.assert_array_equal(got, want)
        # the Saver's own (direct) path reads what the ops wrote, and the ops read its files
        saver.restore(sess, prefix)
        for kind in (tf.train.SaverDef.V2, None):
            path = tf.train.Saver(write_version=kind, sharded=sharded).save(
                sess, str(tmp_path / f"direct{kind}"), write_meta_graph=False)
            sess.run(tf.global_variables_initializer())
            sess.run("save/restore_all", {"save/Const:0": path})
            for got, want in zip(sess.run([v, w, p]), values):
                np.testing.assert_array_equal(got, want)


def test_restore_ops_say_what_is_missing(tmp_path):
    tf.Variable(1.0, name="v")
    tf.train.Saver()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.NotFoundError):
            sess.run("save/restore_all", {"save/Const:0": str(tmp_path / "none")})


def test_reshape_restores_through_reshape_ops(tmp_path):
    v = tf.Variable([[1.0, 2.0]], name="v")
    saver = tf.train.Saver(reshape=True)
    ops = tf.get_default_graph().get_operation_by_name("save/Reshape")
    assert [t.name for t in ops.inputs] == ["save/RestoreV2:0", "save/Reshape/shape:0"]
    with tf.Graph().as_default():
        tf.Variable([5.0, 6.0], name="v")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = tf.train.Saver().save(sess, str(tmp_path / "flat"), write_meta_graph=False)
    with tf.Session() as sess:
        sess.run(saver.saver_def.restore_op_name, {"save/Const:0": path})
        np.testing.assert_array_equal(sess.run(v), [[5.0, 6.0]])


def test_a_minitf_meta_graph_imports_with_its_savers_format(tmp_path):
    for kind in (None, tf.train.SaverDef.V2):
        with tf.Graph().as_default():
            v = tf.Variable([1.0, 2.0], name="v")
            with tf.Session() as sess:
                sess.run(v.initializer)
                path = tf.train.Saver(write_version=kind).save(sess, str(tmp_path / f"m{kind}"))
        with tf.Graph().as_default():
            saver = tf.train.import_meta_graph(path + ".meta")
            assert saver._tf_format == (kind is not None)
            with tf.Session() as sess:
                d = saver.saver_def
                sess.run(d.restore_op_name, {d.filename_tensor_name: path})
                np.testing.assert_array_equal(sess.run("v:0"), [1.0, 2.0])
