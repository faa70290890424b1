"""tf.train.Checkpoint: object-based checkpoints in TF's format, keys and object graph as TF
writes them, restore matching and its assertions, and a checkpoint TensorFlow wrote."""
import json
import os

import numpy as np
import pytest

import minitf as tf
from minitf.checkpoint import open_checkpoint
from minitf.framework.trackable_pb import TrackableObjectGraph

DATA = os.path.join(os.path.dirname(__file__), "data", "tf-object-ckpt")


def _model(value=1.0):
    """TF's structure of tests/data/make_tf_object_ckpt.py: v (ref), w (resource), Adam."""
    v = tf.get_variable("v", initializer=np.array([value, 2 * value], np.float32),
                        use_resource=False)
    w = tf.get_variable("w", initializer=np.float32(3 * value), use_resource=True)
    opt = tf.train.AdamOptimizer(0.1)
    train = opt.minimize(tf.reduce_sum(v * v) + w * w)
    ckpt = tf.train.Checkpoint(v=v, opt=opt, inner=tf.train.Checkpoint(w=w), lst=[w, v])
    return v, w, opt, train, ckpt


def _names(path):
    reader = open_checkpoint(path)
    try:
        return sorted(reader.names())
    finally:
        reader.close()


def test_keys_and_object_graph_are_tfs(tmp_path):
    v, w, opt, train, ckpt = _model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        path = ckpt.save(str(tmp_path / "ckpt"), session=sess)
    assert path == str(tmp_path / "ckpt-1")
    with open(os.path.join(DATA, "expected.json")) as f:
        assert _names(path) == json.load(f)["keys"]
    reader = open_checkpoint(path)
    graph = TrackableObjectGraph.FromString(
        reader.tensor("_CHECKPOINTABLE_OBJECT_GRAPH").item())
    tf_reader = open_checkpoint(os.path.join(DATA, "ckpt-1"))
    assert graph.SerializeToString() == tf_reader.tensor("_CHECKPOINTABLE_OBJECT_GRAPH").item()
    root = graph.nodes[0]
    assert [(c.local_name, c.node_id) for c in root.children] == [
        ("inner", 1), ("lst", 2), ("opt", 3), ("v", 4), ("save_counter", 5)]
    assert [(s.original_variable_node_id, s.slot_name) for s in graph.nodes[3].slot_variables] \
        == [(4, "m"), (6, "m"), (4, "v"), (6, "v")]
    assert graph.nodes[9].attributes[0].full_name == "v/Adam"
    with open(tmp_path / "checkpoint") as f:
        assert f.read() == ('model_checkpoint_path: "ckpt-1"\n'
                            'all_model_checkpoint_paths: "ckpt-1"\n')


def test_restores_a_checkpoint_tensorflow_wrote():
    with open(os.path.join(DATA, "expected.json")) as f:
        want = json.load(f)["values"]
    v, w, opt, train, ckpt = _model(0.0)
    status = ckpt.restore(tf.train.latest_checkpoint(DATA))
    status.assert_consumed().assert_existing_objects_matched().assert_nontrivial_match()
    with tf.Session() as sess:
        status.initialize_or_restore(sess)
        np.testing.assert_array_equal(sess.run(v), want["v"])
        assert sess.run(w) == np.float32(want["w"])
        np.testing.assert_array_equal(sess.run(opt.get_slot(v, "m")), want["v/m"])
        np.testing.assert_array_equal(sess.run(opt.get_slot(v, "v")), want["v/v"])
        assert sess.run(opt.get_slot(w, "m")) == np.float32(want["w/m"])
        assert sess.run(opt._get_non_slot_variable("beta2_power")) == np.float32(
            want["beta2_power"])
        assert sess.run(ckpt.save_counter) == 1


def test_save_write_and_restore_round_trip(tmp_path):
    v, w, opt, train, ckpt = _model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert ckpt.write(str(tmp_path / "plain"), session=sess) == str(tmp_path / "plain")
        assert not os.path.exists(tmp_path / "checkpoint")
        assert "save_counter/.ATTRIBUTES/VARIABLE_VALUE" not in _names(str(tmp_path / "plain"))
        first = ckpt.save(str(tmp_path / "ckpt"), session=sess)
        sess.run(train)
        with sess.as_default():
            second = ckpt.save(str(tmp_path / "ckpt"))  # the default session
        assert (first, second) == (str(tmp_path / "ckpt-1"), str(tmp_path / "ckpt-2"))
        assert tf.train.latest_checkpoint(str(tmp_path)) == second
        trained = sess.run(v)
        ckpt.restore(first).assert_consumed().run_restore_ops(sess)
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])
        assert sess.run(opt.get_slot(v, "m")).tolist() == [0.0, 0.0]
        assert sess.run(ckpt.save_counter) == 1
        ckpt.restore(second).run_restore_ops(sess)
        np.testing.assert_array_equal(sess.run(v), trained)


def test_restore_in_a_new_graph_defers_objects_made_later(tmp_path):
    v, w, opt, train, ckpt = _model(5.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        path = ckpt.save(str(tmp_path / "ckpt"), session=sess)
        want_v, want_m = sess.run(v), sess.run(opt.get_slot(v, "m"))
    with tf.Graph().as_default():
        v = tf.get_variable("v", initializer=np.zeros(2, np.float32), use_resource=False)
        ckpt = tf.train.Checkpoint(v=v)
        status = ckpt.restore(path)
        status.assert_existing_objects_matched()
        with pytest.raises(AssertionError, match="Unresolved object in checkpoint"):
            status.assert_consumed()
        ckpt.opt = opt = tf.train.AdamOptimizer(0.1)  # added after restore(): still matched
        opt.minimize(tf.reduce_sum(v * v))
        with tf.Session() as sess:
            status.initialize_or_restore(sess)
            np.testing.assert_array_equal(sess.run(v), want_v)
            np.testing.assert_array_equal(sess.run(opt.get_slot(v, "m")), want_m)
            assert sess.run(ckpt.save_counter) == 1


def test_save_counter_initial_value_is_the_checkpoints(tmp_path):
    v = tf.Variable(1.0, name="v")
    ckpt = tf.train.Checkpoint(v=v)
    with tf.Session() as sess:
        sess.run(v.initializer)
        for _ in range(3):
            path = ckpt.save(str(tmp_path / "ckpt"), session=sess)
    with tf.Graph().as_default():
        ckpt = tf.train.Checkpoint(v=tf.Variable(0.0, name="v"))
        ckpt.restore(path)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert sess.run(ckpt.save_counter) == 3
            assert ckpt.save(str(tmp_path / "ckpt"), session=sess).endswith("ckpt-4")


def test_module_dict_and_tuple_children(tmp_path):
    class Dense(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(np.ones([2, 2], np.float32), name="w")
            self.parts = {"b": tf.Variable(2.0, name="b"), "t": (tf.Variable(3, name="i"),)}
            self._hidden = tf.Variable(4.0, name="h")
    ckpt = tf.train.Checkpoint(model=Dense(), step=tf.Variable(7, dtype=tf.int64))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = ckpt.write(str(tmp_path / "m"), session=sess)
    assert _names(path) == [
        "_CHECKPOINTABLE_OBJECT_GRAPH", "model/_hidden/.ATTRIBUTES/VARIABLE_VALUE",
        "model/parts/b/.ATTRIBUTES/VARIABLE_VALUE",
        "model/parts/t/0/.ATTRIBUTES/VARIABLE_VALUE", "model/w/.ATTRIBUTES/VARIABLE_VALUE",
        "step/.ATTRIBUTES/VARIABLE_VALUE"]


def test_local_names_are_escaped(tmp_path):
    ckpt = tf.train.Checkpoint(d={"a/b.c": tf.Variable(1.0)})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = ckpt.write(str(tmp_path / "e"), session=sess)
    assert "d/a.Sb..c/.ATTRIBUTES/VARIABLE_VALUE" in _names(path)


def test_assertion_messages(tmp_path):
    a, b = tf.Variable(1.0, name="a"), tf.Variable(2.0, name="b")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Checkpoint(a=a).write(str(tmp_path / "a"), session=sess)
        status = tf.train.Checkpoint(a=a, b=b).restore(path)
        with pytest.raises(AssertionError, match=r"Found 2 Python objects that were not bound "
                                                 r"to checkpointed values.*'b:0'.*save_counter"):
            status.assert_existing_objects_matched()
        status.assert_nontrivial_match()
        status = tf.train.Checkpoint(c=b).restore(path)
        with pytest.raises(AssertionError, match="Nothing except the root object matched"):
            status.assert_nontrivial_match()
        status = tf.train.Checkpoint().read(path)
        with pytest.raises(AssertionError, match="Nothing to load. No dependencies"):
            status.assert_nontrivial_match()
        with pytest.raises(AssertionError, match=r"Unresolved object in checkpoint \(root\).a"):
            status.assert_consumed()
        status = tf.train.Checkpoint(a=[]).read(path)
        with pytest.raises(AssertionError, match="Unused attributes in these objects"):
            status.assert_consumed()
        assert status.expect_partial() is status


def test_restore_none_only_initializes():
    v = tf.Variable(1.0, name="v")
    ckpt = tf.train.Checkpoint(v=v)
    status = ckpt.restore(None)
    for check in (status.assert_consumed, status.assert_existing_objects_matched,
                  status.assert_nontrivial_match):
        with pytest.raises(AssertionError, match=r"No checkpoint specified \(save_path=None\)"):
            check()
    with pytest.raises(AssertionError, match="no restore ops are available"):
        status.run_restore_ops()
    with tf.Session() as sess:
        status.initialize_or_restore(sess)
        assert sess.run(v) == 1.0 and sess.run(ckpt.save_counter) == 0


def test_failed_restore_changes_nothing(tmp_path):
    a, b = tf.Variable(1.0, name="a"), tf.Variable([1.0, 2.0], name="b")
    c = tf.Variable(3.0, name="c")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Checkpoint(a=a, b=c).write(str(tmp_path / "c"), session=sess)
        sess.run([a.assign(5.0), b.assign([7.0, 8.0])])
        status = tf.train.Checkpoint(a=a, b=b).restore(path)
        with pytest.raises(tf.errors.InvalidArgumentError, match="shapes of both tensors"):
            status.run_restore_ops(sess)
        assert sess.run(a) == 5.0 and sess.run(b).tolist() == [7.0, 8.0]
        d = tf.Variable(1, name="d")
        sess.run(d.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match="expected dtype int32"):
            tf.train.Checkpoint(a=d).restore(path).run_restore_ops(sess)


def test_errors():
    with pytest.raises(ValueError, match="`Checkpoint` was expecting a trackable object"):
        tf.train.Checkpoint(x=3)
    v = tf.Variable(1.0)
    ckpt = tf.train.Checkpoint(v=v)
    with pytest.raises(AttributeError, match="'NoneType' object has no attribute 'run'"):
        ckpt.save("/nonexistent/ckpt")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized"):
            ckpt.save("/nonexistent/ckpt", session=sess)
        with pytest.raises(tf.errors.NotFoundError, match="Failed to find any matching files"):
            ckpt.restore("/nonexistent/ckpt-1")
    with pytest.raises(ValueError, match="non-string key"):
        with tf.Session() as sess:
            sess.run(v.initializer)
            tf.train.Checkpoint(d={1: v}).write("/nonexistent/x", session=sess)


def test_name_based_checkpoint_is_refused(tmp_path):
    v = tf.Variable(1.0, name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        path = tf.train.Saver(write_version=tf.train.SaverDef.V2).save(
            sess, str(tmp_path / "s"), write_meta_graph=False)
    with pytest.raises(tf.errors.NotFoundError, match="name-based checkpoint"):
        tf.train.Checkpoint(v=v).restore(path)


def test_options_skip_slots_and_write_callbacks(tmp_path):
    v, w, opt, train, ckpt = _model()
    seen = []
    options = tf.train.CheckpointOptions(experimental_skip_slot_variables=True,
                                         experimental_write_callbacks=[seen.append])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = ckpt.write(str(tmp_path / "o"), session=sess, options=options)
    assert seen == [path]
    assert not [n for n in _names(path) if "OPTIMIZER_SLOT" in n]


@pytest.mark.global_graph
def test_eager_save_and_restore(tmp_path):
    with tf.eager_mode():
        v = tf.Variable([1.0, 2.0], name="v")
        ckpt = tf.train.Checkpoint(v=v)
        path = ckpt.save(str(tmp_path / "ckpt"))
        v.assign([0.0, 0.0])
        ckpt.restore(path).assert_consumed()  # assigned at once
        assert v.numpy().tolist() == [1.0, 2.0]
        assert int(ckpt.save_counter.numpy()) == 1
