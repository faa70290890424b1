"""MetaGraphDef (meta_graph_pb.py, variable_pb.py) and `tf.train.export_meta_graph`, with the
bytes and collections TF 2.21's graph mode writes (checked with tfdiff)."""
import glob
import os

import minitf as tf
from minitf.framework.meta_graph_pb import CollectionDef, SignatureDef
from minitf.framework.variable_pb import VariableDef

# TF's protobuf: tags, version, a SaverDef, Node/Float/Int64 lists, a signature, an asset
TF_META = (b'\n\x0f"\x05serve*\x062.21.0\x1a\x02 \x05"\n\n\x01a\x12\x05\n\x03\n\x01b"\x11\n'
           b'\x01f\x12\x0c"\n\n\x08\x00\x00\xc0?\x00\x00\x00@"\x14\n\x01i\x12\x0f\x1a\r\n'
           b'\x0b\x01\xfe\xff\xff\xff\xff\xff\xff\xff\xff\x01*\x16\n\x01s\x12\x11\n\x0c\n'
           b'\x01x\x12\x07\n\x03x:0\x10\x01\x1a\x01m2\x07\x12\x05f.txt')

W = b"\n\x03w:0\x12\x08w/Assign\x1a\x08w/read:02\x15w/Initializer/zeros:08\x01"
B = b"\n\x03b:0\x12\x08b/Assign\x1a\x08b/read:02\x11b/initial_value:08\x01"
R = (b"\n\x03r:0\x12\x08r/Assign\x1a\x17r/Read/ReadVariableOp:0(\x012\x1e"
     b"r/Initializer/random_uniform:08\x01")
LV = b"\n\x04lv:0\x12\tlv/Assign\x1a\tlv/read:02\x12lv/initial_value:0"


def _meta():
    m = tf.MetaGraphDef()
    m.meta_info_def.tags.append("serve")
    m.meta_info_def.tensorflow_version = "2.21.0"
    m.saver_def.max_to_keep = 5
    m.collection_def["a"].node_list.value.append("b")
    m.collection_def["f"].float_list.value.extend([1.5, 2])
    m.collection_def["i"].int64_list.value.extend([1, -2])
    m.signature_def["s"].inputs["x"].name = "x:0"
    m.signature_def["s"].inputs["x"].dtype = tf.float32.as_datatype_enum
    m.signature_def["s"].method_name = "m"
    m.asset_file_def.add().filename = "f.txt"
    return m


def test_bytes_are_tfs_and_parse_back():
    m = _meta()
    assert m.SerializeToString(deterministic=True) == TF_META
    back = tf.MetaGraphDef.FromString(TF_META)
    assert back == m and back.signature_def["s"].inputs["x"].WhichOneof("encoding") == "name"
    assert back.collection_def["i"].WhichOneof("kind") == "int64_list"
    assert type(back.signature_def["s"]) is SignatureDef and tf.TensorInfo().name == ""


def test_fields_minitf_does_not_model_survive_a_round_trip():
    # MetaInfoDef.stripped_op_list (2) with one OpDef named "Const", object_graph_def (7)
    data = b"\n\x0b\x12\t\n\x07\n\x05Const:\x00"
    assert tf.MetaGraphDef.FromString(data).SerializeToString() == data


def _model():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.get_variable("w", [2, 1], initializer=tf.zeros_initializer())
    b = tf.Variable(0.0, name="b")
    r = tf.get_variable("r", [], use_resource=True)
    gs = tf.train.get_or_create_global_step()
    loss = tf.reduce_mean(tf.matmul(x, w) + b + r)
    tf.losses.add_loss(loss)
    tf.Variable(1.0, name="lv", trainable=False, collections=[tf.GraphKeys.LOCAL_VARIABLES])
    tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=gs)
    tf.summary.scalar("loss", loss)
    tf.add_to_collection("ints", 3)
    tf.add_to_collection("floats", 2.5)
    tf.add_to_collection("strs", "hi")
    tf.add_to_collection("mixed", 3)
    tf.add_to_collection("mixed", True)  # TF's protobuf refuses the bool: left out
    tf.add_to_collection("objs", object())  # not serializable: left out
    return tf.train.Saver()


def test_collections_and_saver_def_are_tfs():
    with tf.Graph().as_default():
        saver = _model()
        m = tf.train.export_meta_graph(saver_def=saver.as_saver_def())
    c = m.collection_def
    assert sorted(c) == ["floats", "global_step", "ints", "local_variables", "losses", "strs",
                         "summaries", "train_op", "trainable_variables", "variables"]
    assert list(c["trainable_variables"].bytes_list.value) == [W, B, R]
    assert list(c["variables"].bytes_list.value)[:3] == [W, B, R]
    assert list(c["local_variables"].bytes_list.value) == [LV]
    assert list(c["losses"].node_list.value) == ["Mean:0"]
    assert list(c["summaries"].node_list.value) == ["loss:0"]
    assert list(c["train_op"].node_list.value) == ["GradientDescent"]
    assert list(c["ints"].int64_list.value) == [3]
    assert list(c["floats"].float_list.value) == [2.5]
    assert list(c["strs"].bytes_list.value) == [b"hi"]
    step = VariableDef.FromString(c["global_step"].bytes_list.value[0])
    assert (step.variable_name, step.snapshot_name, step.trainable) == (
        "global_step:0", "global_step/read:0", False)
    assert step.SerializeToString().endswith(b"H\x03")  # ONLY_FIRST_REPLICA, as TF's
    assert str(m.saver_def) == (
        'filename_tensor_name: "save/Const:0"\nsave_tensor_name: "save/control_dependency:0"\n'
        'restore_op_name: "save/restore_all"\nmax_to_keep: 5\n'
        'keep_checkpoint_every_n_hours: 10000\nversion: V2\n')
    assert m.meta_info_def.tensorflow_version == tf.VERSION
    assert {n.name for n in m.graph_def.node} >= {"x", "w", "w/read", "GradientDescent"}


def test_no_saver_def_unless_given_and_collection_list_and_scope():
    with tf.Graph().as_default():
        _model()
        with tf.device("/cpu:0"):
            tf.constant(1.0, name="scope/c")
        m = tf.train.export_meta_graph()
        assert not m.HasField("saver_def")
        m = tf.train.export_meta_graph(collection_list=["train_op"], export_scope="scope",
                                       clear_devices=True)
    assert list(m.collection_def) == [] and [n.name for n in m.graph_def.node] == ["c"]
    assert m.graph_def.node[0].device == ""


def test_written_binary_or_text(tmp_path):
    with tf.Graph().as_default():
        tf.Variable(1.0, name="v")
        m = tf.train.export_meta_graph(str(tmp_path / "sub" / "m.meta"))
        tf.train.export_meta_graph(str(tmp_path / "m.pbtxt"), as_text=True)
    assert tf.MetaGraphDef.FromString((tmp_path / "sub" / "m.meta").read_bytes()) == m
    text = (tmp_path / "m.pbtxt").read_text()
    assert text.startswith("meta_info_def {\n") and 'key: "trainable_variables"' in text
    assert CollectionDef.FromString(m.collection_def["variables"].SerializeToString()) == \
        m.collection_def["variables"]


def test_saver_writes_meta_with_its_saver_def_and_deletes_it(tmp_path):
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        saver = tf.train.Saver(max_to_keep=2)
        with tf.Session() as sess:
            sess.run(v.initializer)
            for step in (1, 2, 3):
                saver.save(sess, str(tmp_path / "model.ckpt"), global_step=step)
            saver.save(sess, str(tmp_path / "x"), write_meta_graph=False)
            saver.save(sess, str(tmp_path / "y"), meta_graph_suffix="mg")
    names = sorted(os.listdir(tmp_path))
    # as in TF, an expired checkpoint's meta graph is deleted with the suffix of the save that
    # expires it: y's save (suffix "mg") leaves model.ckpt-3.meta behind
    assert [n for n in names if n.endswith((".meta", ".mg"))] == ["model.ckpt-3.meta", "y.mg"]
    assert "model.ckpt-3.index" not in names and "model.ckpt-3.npz" not in names
    m = tf.MetaGraphDef.FromString((tmp_path / "model.ckpt-3.meta").read_bytes())
    assert m.saver_def == saver.saver_def and m.saver_def.max_to_keep == 2
    assert sorted(m.collection_def) == ["trainable_variables", "variables"]


def test_file_writer_writes_the_meta_graph_event(tmp_path):
    with tf.Graph().as_default() as g:
        v = tf.Variable([1.0, 2.0], name="v")
        tf.add_to_collection("train_op", v.initializer)
        with tf.summary.FileWriter(str(tmp_path), graph=g) as writer:
            writer.add_graph(g)  # a later add_graph writes no meta graph, as in TF
    (path,) = glob.glob(str(tmp_path / "events*"))
    events = list(tf.train.summary_iterator(path))
    assert [(e.WhichOneof("what"), e.step) for e in events] == [
        ("file_version", 0), ("graph_def", 0), ("meta_graph_def", 0), ("graph_def", 0)]
    m = tf.MetaGraphDef.FromString(events[2].meta_graph_def)
    assert sorted(m.collection_def) == ["train_op", "trainable_variables", "variables"]
    assert not m.HasField("saver_def") and len(m.graph_def.node) == 4
    assert m.graph_def.node[0].attr["_output_shapes"].list.shape[0].dim[0].size == 2


TF_TEXT = '''saver_def {
  max_to_keep: 3
}
collection_def {
  key: "train_op"
  value {
    node_list {
      value: "v/Assign"
    }
  }
}
collection_def {
  key: "trainable_variables"
  value {
    bytes_list {
      value: "\\n\\003v:0\\022\\010v/Assign\\032\\010v/read:02\\021v/initial_value:08\\001"
    }
  }
}
collection_def {
  key: "variables"
  value {
    bytes_list {
      value: "\\n\\003v:0\\022\\010v/Assign\\032\\010v/read:02\\021v/initial_value:08\\001"
    }
  }
}
'''


def test_text_after_the_graph_is_tfs(tmp_path):
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        tf.add_to_collection("train_op", v.initializer)
        tf.train.export_meta_graph(str(tmp_path / "m.pbtxt"), as_text=True,
                                   saver_def=tf.train.SaverDef(max_to_keep=3))
    text = (tmp_path / "m.pbtxt").read_text()
    assert text[text.index("saver_def {"):] == TF_TEXT
