"""tf.train.import_meta_graph: `.meta` files minitf and TensorFlow wrote come back as graphs with
their collections and a Saver that restores their checkpoints (TF's run through
tests/data/make_tf_meta_graph.py; the behaviours checked with tfdiff)."""
import os
import pathlib

import numpy as np
import pytest

import minitf as tf

TF_META = pathlib.Path(__file__).parent / "data" / "tf-meta"
X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.25, -2.0]], np.float32)
Y = np.eye(3, dtype=np.float32)


def _model():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", [2, 3], initializer=tf.constant_initializer(0.5))
        p = tf.get_variable("p", [4, 3], initializer=tf.constant_initializer(1.5),
                            partitioner=tf.fixed_size_partitioner(2))
        r = tf.get_variable("r", [3], initializer=tf.constant_initializer(0.25),
                            use_resource=True)
    y = tf.add(tf.matmul(x, w) + r, tf.reduce_sum(p, 0), name="y")
    step = tf.train.get_or_create_global_step()
    loss = tf.reduce_sum(y * y, name="loss")
    train = tf.train.MomentumOptimizer(0.01, 0.9).minimize(loss, global_step=step)
    tf.add_to_collection("my_ints", 3)
    tf.add_to_collection("my_floats", 2.5)
    tf.add_to_collection("my_strs", "hello")
    tf.add_to_collection("outputs", y)
    return x, train


def _saved(tmp_path):
    """A model trained 2 steps and saved; then what 2 more steps give."""
    with tf.Graph().as_default():
        x, train = _model()
        saver = tf.train.Saver(max_to_keep=3)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(2):
                sess.run(train, {x: X[:, :2]})
            path = saver.save(sess, str(tmp_path / "model"), global_step=2)
            for _ in range(2):
                sess.run(train, {x: X[:, :2]})
            later = sess.run("y:0", {x: X[:, :2]})
    return path, later


def test_minitfs_meta_graph_restores_and_trains_on_as_an_unbroken_run(tmp_path):
    path, later = _saved(tmp_path)
    with tf.Graph().as_default() as g:
        saver = tf.train.import_meta_graph(path + ".meta")
        assert [v.name for v in tf.global_variables()] == [
            "layer/w:0", "layer/p/part_0:0", "layer/p/part_1:0", "layer/r:0", "global_step:0",
            "layer/w/Momentum:0", "layer/p/part_0/Momentum:0", "layer/p/part_1/Momentum:0",
            "layer/r/Momentum:0"]
        assert [v.name for v in tf.trainable_variables()] == [
            "layer/w:0", "layer/p/part_0:0", "layer/p/part_1:0", "layer/r:0"]
        assert tf.trainable_variables()[0] is tf.global_variables()[0]
        assert tf.train.get_global_step() is tf.global_variables()[4]
        assert g.get_collection("my_ints") == [3]
        assert g.get_collection("my_floats") == [2.5]
        assert g.get_collection("my_strs") == [b"hello"]
        assert [t.name for t in g.get_collection("outputs")] == ["y:0"]
        assert [op.name for op in g.get_collection("train_op")] == ["Momentum"]
        w, part1, r = tf.global_variables()[0], tf.global_variables()[2], tf.global_variables()[3]
        assert type(w) is tf.Variable and isinstance(r, tf.ResourceVariable)
        assert (w.initializer.name, w.value().name, w.shape.as_list(), w.dtype) == (
            "layer/w/Assign", "layer/w/read:0", [2, 3], tf.float32._as_ref)
        assert (r.initializer.name, r.dtype, r.shape.as_list()) == (
            "layer/r/Assign", tf.float32, [3])
        assert part1._save_slice_info.spec == "4 3 2,2:0,3"
        assert saver.saver_def.restore_op_name == "save/restore_all"
        assert saver._max_to_keep == 3 and not saver._tf_format  # (minitf's own Saver's files)
        with tf.Session() as sess:
            saver.restore(sess, path)
            assert sess.run(tf.train.get_global_step()) == 2
            for _ in range(2):
                sess.run(tf.get_collection("train_op")[0], {"x:0": X[:, :2]})
            np.testing.assert_array_equal(sess.run("y:0", {"x:0": X[:, :2]}), later)
            # the initializers imported run too
            sess.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(w), np.full((2, 3), 0.5, np.float32))


def test_import_scope_prefixes_names_and_restores_the_saved_names(tmp_path):
    path, later = _saved(tmp_path)
    with tf.Graph().as_default():
        tf.Variable(1.0, name="layer/w")
        saver = tf.train.import_meta_graph(path + ".meta", import_scope="imp")
        assert saver.saver_def.filename_tensor_name == "imp/save/Const:0"
        names = [v.name for v in tf.global_variables()]
        assert names[:3] == ["layer/w:0", "imp/layer/w:0", "imp/layer/p/part_0:0"]
        with tf.Session() as sess:
            saver.restore(sess, path)  # the checkpoint's names carry no scope
            for _ in range(2):
                sess.run(tf.get_collection("train_op")[0], {"imp/x:0": X[:, :2]})
            np.testing.assert_array_equal(sess.run("imp/y:0", {"imp/x:0": X[:, :2]}), later)


def test_tensorflows_meta_graph_restores_with_its_saver_and_its_own_ops(tmp_path):
    expected = np.load(TF_META / "expected.npz")
    for kind in ("model", "sharded"):
        with tf.Graph().as_default():
            saver = tf.train.import_meta_graph(str(TF_META / kind / "model-1.meta"))
            assert saver._tf_format and saver.saver_def.sharded == (kind == "sharded")
            x, y = tf.get_collection("inputs")
            feed = {x: X, y: Y}
            with tf.Session() as sess:
                saver.restore(sess, tf.train.latest_checkpoint(str(TF_META / kind)))
                np.testing.assert_allclose(sess.run("logits:0", feed),
                                           expected[f"{kind}_saved_logits"], atol=2e-6)
                sess.run(tf.get_collection("train_op")[0], feed)
                np.testing.assert_allclose(sess.run("logits:0", feed),
                                           expected[f"{kind}_next_logits"], atol=2e-6)
                np.testing.assert_allclose(sess.run("p/part_1:0"), expected[f"{kind}_next_p"],
                                           atol=2e-6)
                # TF's own save and restore ops, run by name as TF1 code does
                d = saver.saver_def
                prefix = str(tmp_path / kind / "m")
                sess.run(d.save_tensor_name, {d.filename_tensor_name: prefix})
                shards = 3 if kind == "sharded" else 1
                assert sorted(os.listdir(tmp_path / kind)) == [
                    f"m.data-0000{i}-of-0000{shards}" for i in range(shards)] + ["m.index"]
                sess.run(tf.global_variables_initializer())
                sess.run(d.restore_op_name, {d.filename_tensor_name: prefix})
                np.testing.assert_allclose(sess.run("logits:0", feed),
                                           expected[f"{kind}_next_logits"], atol=2e-6)
                # the Saver returned writes TF's format, as the graph's Saver did
                path = saver.save(sess, str(tmp_path / kind / "again"), write_meta_graph=False)
                assert os.path.exists(path + ".index")


def test_a_meta_graph_object_and_the_text_format_import(tmp_path):
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        tf.add_to_collection("doubled", v * 2.0)
        meta = tf.train.export_meta_graph()
        tf.train.export_meta_graph(str(tmp_path / "m.pbtxt"), as_text=True)
    for source in (meta, str(tmp_path / "m.pbtxt")):
        with tf.Graph().as_default():
            saver = tf.train.import_meta_graph(source)
            assert saver.saver_def.restore_op_name == "save/restore_all"  # (a new Saver)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                np.testing.assert_array_equal(sess.run(tf.get_collection("doubled")[0]),
                                              [2.0, 4.0])


def test_clear_devices_input_map_and_collection_predicate():
    with tf.Graph().as_default():
        with tf.device("/job:ps/task:0"):
            tf.Variable(1.0, name="v")
        x = tf.placeholder(tf.float32, [], name="x")
        tf.add_to_collection("out", tf.identity(x * 3.0, name="out"))
        tf.add_to_collection("skip", x)
        meta = tf.train.export_meta_graph()
    with tf.Graph().as_default():
        feed = tf.constant(2.0)
        tf.train.import_meta_graph(meta, clear_devices=True, import_scope="a",
                                   input_map={"x:0": feed},
                                   restore_collections_predicate=lambda key: key != "skip")
        assert tf.global_variables()[0].device == ""
        assert tf.get_collection("skip") == []
        with tf.Session() as sess:
            assert sess.run(tf.get_collection("out")[0]) == 6.0


def test_an_empty_graph_gives_no_saver():
    with tf.Graph().as_default():
        assert tf.train.import_meta_graph(tf.train.export_meta_graph(graph=tf.Graph())) is None


def test_variable_from_proto_and_variable_def():
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        proto = tf.train.export_meta_graph().collection_def["variables"].bytes_list.value[0]
        from minitf.framework.variable_pb import VariableDef
        d = VariableDef.FromString(proto)
        w = tf.Variable.from_proto(d)
        u = tf.Variable(variable_def=d)
        assert (w.op, w.initializer, w.value()) == (v.op, v.initializer, v.value())
        assert u.op is v.op and u.name == "v:0"
        with pytest.raises(ValueError, match="mutually exclusive"):
            tf.Variable(1.0, variable_def=d)


def test_errors(tmp_path):
    with pytest.raises(IOError, match="does not exist"):
        tf.train.import_meta_graph(str(tmp_path / "missing.meta"))
    (tmp_path / "bad.meta").write_bytes(b"\xff\xfe not a proto {")
    with pytest.raises(IOError, match="Cannot parse file"):
        tf.train.import_meta_graph(str(tmp_path / "bad.meta"))
    with pytest.raises(TypeError, match="MetaGraphDef"):
        tf.train.import_meta_graph(3)
    with tf.Graph().as_default():
        tf.Variable(1.0, name="v")
        meta = tf.train.export_meta_graph()
        before = len(tf.get_default_graph().get_operations())
        with pytest.raises(ValueError, match="already has ops named .*v, v/Assign.*import_scope"):
            tf.train.import_meta_graph(meta)
        assert len(tf.get_default_graph().get_operations()) == before  # nothing half-imported


def test_a_failed_import_leaves_the_graph_as_it_was():
    with tf.Graph().as_default():
        tf.identity(tf.Variable(1.0, name="v"), name="out")
        tf.add_to_collection("gone", tf.constant(2.0, name="c"))
        meta = tf.train.export_meta_graph()
    meta.collection_def["gone"].node_list.value[0] = "missing:0"
    with tf.Graph().as_default() as g:
        with pytest.raises(KeyError, match="missing"):
            tf.train.import_meta_graph(meta)
        assert g.get_operations() == [] and g.get_all_collection_keys() == []
        bad = meta.graph_def
        bad.node[-1].op = "NoSuchOp"
        with pytest.raises(tf.errors.NotFoundError, match="NoSuchOp"):
            tf.import_graph_def(bad)
        assert g.get_operations() == []
