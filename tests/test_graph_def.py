"""tf.GraphDef and its parts (minitf/framework/graph_pb.py, attr_values.py), Graph.as_graph_def
(framework/graph_to_def.py) and tf.train.write_graph (train/graph_io.py), as TF 1 (tfdiff);
bytes are TF 2.21's protobuf's, with TF's producer version where noted."""
import os

import numpy as np
import pytest

import minitf as tf
from minitf.framework import attr_values, graph_to_def, proto_text
from minitf.framework.graph_pb import AttrValue, GraphDef, NameAttrList, NodeDef
from minitf.framework.tf_op_signatures import NO_DEFAULT, signature
from minitf.train.graph_io import write_graph

SMALL_GRAPH_BYTES = (  # TF 2.21, producer 2474
    b'\n;\n\x01x\x12\x0bPlaceholder*\x0b\n\x05dtype\x12\x020\x01*\x1c\n\x05shape'
    b'\x12\x13:\x11\x12\x0b\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\x12\x02\x08\x04\nR'
    b'\n\x01c\x12\x05Const*\x0b\n\x05dtype\x12\x020\x01*9\n\x05value\x120B.\x08\x01\x12\x08'
    b'\x12\x02\x08\x04\x12\x02\x08\x02" \x00\x00\x80?\x00\x00\x00@\x00\x00@@\x00\x00\x80@'
    b'\x00\x00\xa0@\x00\x00\xc0@\x00\x00\xe0@\x00\x00\x00A\na\n\x06MatMul\x12\x06MatMul\x1a'
    b'\x01x\x1a\x01c*\x07\n\x01T\x12\x020\x01*\x0c\n\x06grad_a\x12\x02(\x00*\x0c\n\x06grad_'
    b'b\x12\x02(\x00*\x11\n\x0btranspose_a\x12\x02(\x00*\x11\n\x0btranspose_b\x12'
    b'\x02(\x00\n\x1d\n\x04Relu\x12\x04Relu\x1a\x06MatMul*\x07\n\x01T\x12\x020\x01\nC\n\x15'
    b'Sum/reduction_indices\x12\x05Const*\x0b\n\x05dtype\x12\x020'
    b'\x03*\x16\n\x05value\x12\rB\x0b\x08\x03\x12\x04\x12\x02\x08\x01:\x01\x01\nM\n\x03Sum'
    b'\x12\x03Sum\x1a\x04Relu\x1a\x15Sum/reduction_indices*\n\n\x04Ti'
    b'dx\x12\x020\x03*\x07\n\x01T\x12\x020\x01*\x0f\n\tkeep_dims\x12\x02(\x00\n5\n\x0bconc'
    b'at/axis\x12\x05Const*\x0b\n\x05dtype\x12\x020\x03*\x12\n\x05value\x12\tB\x07'
    b'\x08\x03\x12\x00:\x01\x01\nM\n\x06concat\x12\x08ConcatV2\x1a\x06MatMul\x1a\x06Mat'
    b'Mul\x1a\x0bconcat/axis*\x07\n\x01N\x12\x02\x18\x02*\n\n\x04Tidx\x12\x020\x03*\x07\n'
    b'\x01T\x12\x020\x01\n*\n\x01n\x12\x08Identity\x1a\x03Sum"\r/device:CPU:'
    b'0*\x07\n\x01T\x12\x020\x01"\x03\x08\xaa\x13')


def _small_graph():
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    c = tf.constant([[1., 2.], [3., 4.], [5., 6.], [7., 8.]], name="c")
    m = tf.matmul(x, c)
    s = tf.reduce_sum(tf.nn.relu(m), [1])
    tf.concat([m, m], 1)
    with tf.device("/cpu:0"):
        tf.identity(s, name="n")


def test_graph_def_bytes_are_tfs():
    with tf.Graph().as_default() as g:
        _small_graph()
    graph_def = g.as_graph_def()
    assert graph_def.versions.producer == 134
    graph_def.versions.producer = 2474
    assert graph_def.SerializeToString() == SMALL_GRAPH_BYTES
    assert GraphDef.FromString(SMALL_GRAPH_BYTES) == graph_def


def test_node_def_and_attr_value_bytes():
    node = NodeDef(name="x", op="Placeholder", input=["a", "^b"])
    node.attr["dtype"].type = tf.float32.as_datatype_enum
    node.attr["shape"].shape.dim.add(size=-1)
    node.attr["_class"].list.s.append(b"loc:@w")
    node.attr["f"].func.name = "fn"
    node.attr["f"].func.attr["T"].type = tf.int32.as_datatype_enum
    graph_def = GraphDef()
    graph_def.node.add().CopyFrom(node)
    graph_def.versions.producer = 134
    assert graph_def.SerializeToString() == (
        b'\nj\n\x01x\x12\x0bPlaceholder\x1a\x01a\x1a\x02^b*\x14\n\x06_class\x12\n\n\x08\x12'
        b'\x06loc:@w*\x0b\n\x05dtype\x12\x020\x01*\x14\n\x01f\x12\x0fR\r\n\x02fn\x12\x07\n'
        b'\x01T\x12\x020\x03*\x18\n\x05shape\x12\x0f:\r\x12\x0b\x08\xff\xff\xff\xff\xff\xff'
        b'\xff\xff\xff\x01"\x03\x08\x86\x01')
    # map entries in upb's order: a key before its prefixes
    keys = NodeDef(attr={k: AttrValue(i=1) for k in ["T", "Tidx", "N", "a", "ab", "b"]})
    assert keys.SerializeToString().count(b"*") == 6
    assert keys.SerializeToString().startswith(b"*\x07\n\x01N\x12\x02\x18\x01*\n\n\x04Tidx")
    assert AttrValue(f=0.2).SerializeToString() == b"%\xcd\xccL>"
    listed = AttrValue()
    listed.list.SetInParent()
    assert listed.SerializeToString() == b"\n\x00"
    assert attr_values.to_attr_value("list(int)", [1, -2]).SerializeToString() == (
        b"\n\r\x1a\x0b\x01\xfe\xff\xff\xff\xff\xff\xff\xff\xff\x01")
    assert attr_values.to_attr_value("list(type)", [tf.float32, tf.int64]).SerializeToString() \
        == b"\n\x042\x02\x01\t"
    assert NameAttrList(name="f").DESCRIPTOR.full_name == "tensorflow.NameAttrList"
    assert tf.GraphDef is GraphDef and tf.NodeDef is NodeDef and tf.AttrValue is AttrValue
    assert tf.NameAttrList is NameAttrList


def test_attr_values_round_trip():
    for kind, value in [("int", 3), ("float", 0.5), ("bool", True), ("string", b"SAME"),
                        ("type", tf.int64), ("shape", (None, 3)), ("shape", None),
                        ("list(int)", [1, 2]), ("list(type)", [tf.float32]),
                        ("list(shape)", [(2,), ()]), ("list(string)", [b"a"]), ("func", "body")]:
        assert attr_values.from_attr_value(attr_values.to_attr_value(kind, value)) == value
    np.testing.assert_array_equal(attr_values.from_attr_value(
        attr_values.to_attr_value("tensor", np.array([1.5, 2.0], np.float32))), [1.5, 2.0])
    with pytest.raises(TypeError):
        attr_values.to_attr_value("int", True)
    with pytest.raises(TypeError):
        attr_values.to_attr_value("bool", 1)


SMALL_GRAPH_TF = [
    ('x', 'Placeholder', [], ['_output_shapes', 'dtype', 'shape']),
    ('y', 'Placeholder', [], ['_output_shapes', 'dtype', 'shape']),
    ('random_normal/shape', 'Const', [], ['_output_shapes', 'dtype', 'value']),
    ('random_normal/mean', 'Const', [], ['_output_shapes', 'dtype', 'value']),
    ('random_normal/stddev', 'Const', [], ['_output_shapes', 'dtype', 'value']),
    ('random_normal/RandomStandardNormal',
     'RandomStandardNormal',
     ['random_normal/shape'],
     ['T', '_output_shapes', 'dtype', 'seed', 'seed2']),
    ('random_normal/mul',
     'Mul',
     ['random_normal/RandomStandardNormal', 'random_normal/stddev'],
     ['T', '_output_shapes']),
    ('random_normal',
     'AddV2',
     ['random_normal/mul', 'random_normal/mean'],
     ['T', '_output_shapes']),
    ('w', 'VariableV2', [], ['_output_shapes', 'container', 'dtype', 'shape', 'shared_name']),
    ('w/Assign',
     'Assign',
     ['w', 'random_normal'],
     ['T', '_class', '_output_shapes', 'use_locking', 'validate_shape']),
    ('w/read', 'Identity', ['w'], ['T', '_class', '_output_shapes']),
    ('zeros', 'Const', [], ['_output_shapes', 'dtype', 'value']),
    ('b', 'VariableV2', [], ['_output_shapes', 'container', 'dtype', 'shape', 'shared_name']),
    ('b/Assign',
     'Assign',
     ['b', 'zeros'],
     ['T', '_class', '_output_shapes', 'use_locking', 'validate_shape']),
    ('b/read', 'Identity', ['b'], ['T', '_class', '_output_shapes']),
    ('MatMul',
     'MatMul',
     ['x', 'w/read'],
     ['T', '_output_shapes', 'grad_a', 'grad_b', 'transpose_a', 'transpose_b']),
    ('BiasAdd', 'BiasAdd', ['MatMul', 'b/read'], ['T', '_output_shapes', 'data_format']),
    ('Relu', 'Relu', ['BiasAdd'], ['T', '_output_shapes']),
    ('Sum/reduction_indices', 'Const', [], ['_output_shapes', 'dtype', 'value']),
    ('Sum',
     'Sum',
     ['Relu', 'Sum/reduction_indices'],
     ['T', 'Tidx', '_output_shapes', 'keep_dims']),
    ('concat/axis', 'Const', [], ['_output_shapes', 'dtype', 'value']),
    ('concat', 'ConcatV2', ['Relu', 'Sum', 'concat/axis'], ['N', 'T', 'Tidx', '_output_shapes']),
    ('split/split_dim', 'Const', [], ['_output_shapes', 'dtype', 'value']),
    ('split', 'Split', ['split/split_dim', 'concat'], ['T', '_output_shapes', 'num_split']),
    ('ArgMax/dimension', 'Const', [], ['_output_shapes', 'dtype', 'value']),
    ('ArgMax',
     'ArgMax',
     ['split:1', 'ArgMax/dimension'],
     ['T', 'Tidx', '_output_shapes', 'output_type']),
    ('transpose/perm', 'Const', [], ['_output_shapes', 'dtype', 'value']),
    ('transpose', 'Transpose', ['split', 'transpose/perm'], ['T', 'Tperm', '_output_shapes']),
    ('ExpandDims/dim', 'Const', [], ['_output_shapes', 'dtype', 'value']),
    ('ExpandDims', 'ExpandDims', ['transpose', 'ExpandDims/dim'], ['T', 'Tdim', '_output_shapes']),
    ('init', 'NoOp', ['^b/Assign', '^w/Assign'], []),
]


def test_as_graph_def_matches_tf_node_by_node():
    # TF's names, op types, inputs and attr names for the same program (tfdiff: the whole
    # text of every attr is the same too)
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [None, 4], name="x")
        tf.placeholder(tf.float32, [None, 3], name="y")
        w = tf.Variable(tf.random_normal([4, 3], seed=1), name="w")
        b = tf.Variable(tf.zeros([3]), name="b")
        h = tf.nn.relu(tf.nn.bias_add(tf.matmul(x, w), b))
        s = tf.reduce_sum(h, [1], keepdims=True)
        p0, p1 = tf.split(tf.concat([h, s], 1), 2, axis=1)
        tf.argmax(p1, 1)
        tf.expand_dims(tf.transpose(p0), 0)
        tf.global_variables_initializer()
    graph_def = g.as_graph_def(add_shapes=True)
    got = [(n.name, n.op, list(n.input), sorted(n.attr)) for n in graph_def.node]
    assert got == SMALL_GRAPH_TF
    nodes = {n.name: n for n in graph_def.node}

    def text(name, attr):
        return proto_text.MessageToString(nodes[name].attr[attr], as_one_line=True)

    assert text("w/Assign", "_class") == 'list { s: "loc:@w" }'
    assert text("w/Assign", "use_locking") == "b: true"
    assert text("w", "shape") == "shape { dim { size: 4 } dim { size: 3 } }"
    assert text("x", "_output_shapes") == "list { shape { dim { size: -1 } dim { size: 4 } } }"
    assert text("zeros", "value") == (
        "tensor { dtype: DT_FLOAT tensor_shape { dim { size: 3 } } float_val: 0 }")
    assert text("split", "num_split") == "i: 2"
    assert text("ArgMax", "output_type") == "type: DT_INT64"
    assert text("transpose/perm", "value") == (
        'tensor { dtype: DT_INT32 tensor_shape { dim { size: 2 } } tensor_content: '
        '"\\001\\000\\000\\000\\000\\000\\000\\000" }')
    assert text("random_normal/RandomStandardNormal", "seed") == "i: 87654321"
    assert text("split", "_output_shapes") == (
        "list { shape { dim { size: -1 } dim { size: 2 } } shape { dim { size: -1 } dim "
        "{ size: 2 } } }")
    assert "_output_shapes" not in g.as_graph_def().node[0].attr


CONV_ATTRS_TF = {  # (TF 2.21's as_graph_def, one line per attr)
    "Conv2D": [("T", "type: DT_FLOAT"), ("data_format", 's: "NHWC"'),
               ("dilations", "list { i: 1 i: 1 i: 1 i: 1 }"), ("explicit_paddings", "list { }"),
               ("padding", 's: "SAME"'), ("strides", "list { i: 1 i: 1 i: 1 i: 1 }"),
               ("use_cudnn_on_gpu", "b: true")],
    "MaxPool": [("T", "type: DT_FLOAT"), ("data_format", 's: "NHWC"'),
                ("explicit_paddings", "list { }"), ("ksize", "list { i: 1 i: 2 i: 2 i: 1 }"),
                ("padding", 's: "VALID"'), ("strides", "list { i: 1 i: 2 i: 2 i: 1 }")],
    "AvgPool": [("T", "type: DT_FLOAT"), ("data_format", 's: "NHWC"'),
                ("ksize", "list { i: 1 i: 4 i: 4 i: 1 }"), ("padding", 's: "SAME"'),
                ("strides", "list { i: 1 i: 4 i: 4 i: 1 }")],
    "Cast": [("DstT", "type: DT_INT32"), ("SrcT", "type: DT_FLOAT"), ("Truncate", "b: false")],
    "Squeeze": [("T", "type: DT_FLOAT"), ("squeeze_dims", "list { i: 1 i: 2 }")],
    "Shape": [("T", "type: DT_FLOAT"), ("out_type", "type: DT_INT32")],
}


def test_convnet_attrs_are_tfs():
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [None, 8, 8, 1], name="x")
        k = tf.constant(np.ones([3, 3, 1, 4], np.float32), name="k")
        h = tf.nn.relu(tf.nn.conv2d(x, k, [1, 1, 1, 1], "SAME"))
        p = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
        a = tf.nn.avg_pool(p, [1, 4, 4, 1], [1, 4, 4, 1], "SAME")
        s = tf.nn.sigmoid(a) * tf.tanh(a)
        tf.cast(s, tf.int32)
        tf.shape(tf.squeeze(s, [1, 2]))
    nodes = {n.op: n for n in g.as_graph_def().node}
    for op_type, expected in CONV_ATTRS_TF.items():
        got = sorted((k, proto_text.MessageToString(v, as_one_line=True))
                     for k, v in nodes[op_type].attr.items())
        assert got == expected, op_type
    assert list(nodes["Conv2D"].input) == ["x", "k"]
    assert list(nodes["Mul"].input) == ["Sigmoid", "Tanh"]


def test_inputs_devices_control_inputs_and_from_version():
    with tf.Graph().as_default() as g:
        a = tf.constant([1.0, 2.0], name="a")
        parts = tf.unstack(a)
        version = g.version
        with tf.device("/cpu:0"), tf.control_dependencies([parts[1].op, a.op]):
            tf.identity(parts[1], name="second")
        with g.colocate_with(a.op):
            tf.identity(a, name="near")
        tf.reduce_mean(a, name="mean")
    nodes = {n.name: n for n in g.as_graph_def().node}
    # (a control input that is also a data input's op is left out, as in TF)
    assert list(nodes["second"].input) == ["unstack:1", "^a"]
    assert nodes["second"].device == "/device:CPU:0"
    assert list(nodes["near"].attr["_class"].list.s) == [b"loc:@a"]
    # TF's reduce_mean over all axes: a `Const` beside the op holds them
    assert list(nodes["mean"].input) == ["a", "Const"]
    assert tf.make_ndarray(nodes["Const"].attr["value"].tensor).tolist() == [0]
    # TF 1's from_version (TF 2.21 documents it but writes every node)
    later = g.as_graph_def(from_version=version)
    assert [n.name for n in later.node] == ["second", "near", "Const", "mean"]


def test_ops_minitf_keeps_as_one_type_get_tfs_types():
    with tf.Graph().as_default() as g:
        x = tf.constant([[1.0, 2.0], [3.0, 4.0]], name="x")
        tf.pad(x, [[1, 1], [0, 0]], name="pad")
        tf.pad(x, [[1, 1], [0, 0]], mode="REFLECT", name="mirror")
        tf.pad(x, [[1, 1], [0, 0]], constant_values=2.0, name="pad2")
    nodes = {n.name: n for n in g.as_graph_def().node}
    assert [nodes[n].op for n in ("pad", "mirror", "pad2")] == ["Pad", "MirrorPad", "PadV2"]
    assert nodes["mirror"].attr["mode"].s == b"REFLECT"
    assert list(nodes["pad2"].input)[2] == "pad2/constant_values"
    assert nodes["pad2/constant_values"].attr["value"].tensor.float_val == [2.0]


def test_graph_def_text_parses_back():
    with tf.Graph().as_default() as g:
        _small_graph()
    graph_def = g.as_graph_def(add_shapes=True)
    parsed = proto_text.Parse(str(graph_def), GraphDef())
    assert parsed == graph_def
    assert GraphDef.FromString(graph_def.SerializeToString()) == graph_def


# -- tf.train.write_graph ------------------------------------------------------------------------
LEAKY_BYTES = (  # TF 2.21's, but for the producer (TF's 2474, minitf's TF 1.15 134)
    b"\n.\n\x01c\x12\x05Const*\x0b\n\x05dtype\x12\x020\x01*\x15\n\x05value\x12\x0cB\n\x08\x01"
    b"\x12\x00*\x04\xcd\xcc\xcc=\n2\n\tLeakyRelu\x12\tLeakyRelu\x1a\x01c*\x07\n\x01T\x12\x020"
    b"\x01*\x0e\n\x05alpha\x12\x05%\xcd\xccL>")
LEAKY_TEXT = """node {
  name: "c"
  op: "Const"
  attr {
    key: "dtype"
    value {
      type: DT_FLOAT
    }
  }
  attr {
    key: "value"
    value {
      tensor {
        dtype: DT_FLOAT
        tensor_shape {
        }
        float_val: 0.1
      }
    }
  }
}
node {
  name: "LeakyRelu"
  op: "LeakyRelu"
  input: "c"
  attr {
    key: "T"
    value {
      type: DT_FLOAT
    }
  }
  attr {
    key: "alpha"
    value {
      f: 0.2
    }
  }
}
versions {
  producer: 134
}
"""


def test_write_graph_text_and_binary(tmp_path):
    with tf.Graph().as_default() as g:
        tf.nn.leaky_relu(tf.constant(0.1, name="c"), alpha=0.2)
    logdir = str(tmp_path / "sub" / "dir")
    path = tf.train.write_graph(g, logdir, "g.pbtxt")
    assert path == os.path.join(logdir, "g.pbtxt")
    with open(path) as f:
        assert f.read() == LEAKY_TEXT
    path = write_graph(g.as_graph_def(), str(tmp_path), "g.pb", as_text=False)
    with open(path, "rb") as f:
        assert f.read() == LEAKY_BYTES + b'"\x03\x08\x86\x01'
    assert sorted(os.listdir(tmp_path)) == ["g.pb", "sub"]  # (no temporary file left)


# -- every registered op type ---------------------------------------------------------------------
def _optimizers():
    train = tf.train
    return [train.GradientDescentOptimizer(0.1), train.MomentumOptimizer(0.1, 0.9),
            train.AdamOptimizer(0.1), train.AdagradOptimizer(0.1), train.AdadeltaOptimizer(0.1),
            train.RMSPropOptimizer(0.1), train.RMSPropOptimizer(0.1, centered=True),
            train.FtrlOptimizer(0.1),
            train.FtrlOptimizer(0.1, l2_shrinkage_regularization_strength=0.1),
            train.ProximalAdagradOptimizer(0.1), train.ProximalGradientDescentOptimizer(0.1),
            train.AdagradDAOptimizer(0.1, tf.train.get_or_create_global_step())]


def _training(use_resource):
    def build():
        for i, opt in enumerate(_optimizers()):
            sparse = tf.get_variable(f"v{i}", [4, 2], use_resource=use_resource)
            opt.minimize(tf.reduce_sum(tf.nn.embedding_lookup(sparse, [0, 2])))
            dense = tf.get_variable(f"d{i}", [3], use_resource=use_resource)
            opt.minimize(tf.reduce_sum(dense * dense))
    return build


def _state_ops():
    v = tf.Variable(tf.zeros([4, 2]), name="v")
    r = tf.get_variable("r", [4, 2], use_resource=True)
    idx, upd = tf.constant([1, 3]), tf.ones([2, 2])
    nd_idx, nd_upd = tf.constant([[1], [3]]), tf.ones([2, 2])
    for fn in (tf.scatter_update, tf.scatter_add, tf.scatter_sub, tf.scatter_mul,
               tf.scatter_div, tf.scatter_min, tf.scatter_max):
        fn(v, idx, upd)
        fn(r, idx, upd)
    for fn in (tf.scatter_nd_update, tf.scatter_nd_add, tf.scatter_nd_sub):
        fn(v, nd_idx, nd_upd)
        fn(r, nd_idx, nd_upd)
    tf.assign_add(v, tf.ones([4, 2]))
    tf.assign_sub(v, tf.ones([4, 2]))
    r.assign(tf.ones([4, 2]))
    r.assign_add(tf.ones([4, 2]))
    r.assign_sub(tf.ones([4, 2]))
    tf.is_variable_initialized(v)
    tf.report_uninitialized_variables()
    c = tf.Variable(0, name="c")
    tf.count_up_to(c, 3)
    tf.count_up_to(tf.get_variable("rc", [], tf.int32, use_resource=True), 3)


def _random_ops():
    tf.random.normal([2], seed=1)
    gen = tf.random.experimental.Generator.from_seed(1)
    gen.normal([2])
    gen.binomial([2], counts=[3.0, 4.0], probs=[0.5, 0.5])
    alpha = tf.placeholder(tf.float32, [2])
    tf.gradients(tf.random.gamma([3], alpha, seed=1), alpha)
    tf.random.truncated_normal([2], seed=1)
    tf.random.uniform([2], maxval=5, dtype=tf.int32, seed=1)
    tf.random.gamma([2], 1.5, seed=1)
    tf.random.poisson(1.5, [2], seed=1)
    tf.random.shuffle([1, 2, 3], seed=1)
    tf.random.multinomial([[0.5, 0.5]], 2, seed=1)
    true = tf.constant([[0], [1]], tf.int64)
    for fn in (tf.nn.uniform_candidate_sampler, tf.nn.log_uniform_candidate_sampler,
               tf.nn.learned_unigram_candidate_sampler):
        fn(true, 1, 2, True, 5, seed=1)
    tf.nn.fixed_unigram_candidate_sampler(true, 1, 2, True, 5, unigrams=[1.0] * 5, seed=1)
    tf.nn.all_candidate_sampler(true, 1, 2, True, seed=1)


def _io_ops():
    x = tf.constant([1.0, 2.0])
    tf.summary.scalar("s", x[0])
    tf.summary.histogram("h", x)
    tf.summary.image("i", tf.zeros([1, 2, 2, 3]))
    tf.summary.audio("a", tf.zeros([1, 4]), 8000)
    tf.summary.tensor_summary("t", x)
    tf.summary.merge_all()
    tf.print(x)
    tf.Assert(x[0] > 0, [x])
    tf.py_func(lambda a: a, [x], tf.float32)
    tf.timestamp()
    ds = tf.data.Dataset.from_tensor_slices(np.arange(8.0)).map(lambda a: a * 2).filter(
        lambda a: a > 0).shuffle(4, seed=1).repeat(2).skip(1).take(6).batch(2).prefetch(1)
    ds = ds.unbatch().padded_batch(2, padded_shapes=[]).shard(1, 0).cache()
    ds = ds.concatenate(ds).flat_map(tf.data.Dataset.from_tensors)
    ds = tf.data.Dataset.zip((ds, tf.data.Dataset.range(3))).interleave(
        lambda a, b: tf.data.Dataset.from_tensors(a), cycle_length=1)
    it = tf.data.make_one_shot_iterator(ds)
    it.get_next()
    it2 = tf.data.make_initializable_iterator(tf.data.Dataset.range(3))
    tf.data.Iterator.from_string_handle(it2.string_handle(), tf.int64, [])
    ds.reduce(np.float64(0.0), lambda s, a: s + a)


def _more_ops():
    from minitf.ops import (
        fake_quant_ops,
        fft_ops,
        io_ops,
        legacy_ops,
        linalg_extra_ops,
        misc_array_ops,
        quantize_ops,
        quantized_nn_ops,
        sdca_ops,
        session_ops,
    )
    from minitf.train import checkpoint_ops

    x = tf.constant(np.arange(8.0, dtype=np.float32).reshape(1, 2, 2, 2))
    legacy_ops.check_pinned(x)
    handle = session_ops.get_session_handle(x)
    session_ops.get_session_tensor(handle, tf.float32)
    session_ops.delete_session_tensor(handle)
    q = quantize_ops.quantize_v2(x, 0.0, 8.0, tf.quint8)
    quantize_ops.dequantize(q[0], q[1], q[2])
    quantize_ops.quantized_concat(0, [q[0], q[0]], [q[1], q[1]], [q[2], q[2]])
    quantized_nn_ops.quantized_avg_pool(q[0], q[1], q[2], [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
    quantized_nn_ops.quantized_max_pool(q[0], q[1], q[2], [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
    quantized_nn_ops.quantized_conv2d(q[0], tf.constant(np.ones([1, 1, 2, 1], np.uint8),
                                                        tf.quint8), q[1], q[2], 0.0, 1.0,
                                      [1, 1, 1, 1], "VALID")
    quantized_nn_ops.quantized_relu_x(q[0], 4.0, q[1], q[2])
    fake_quant_ops.fake_quant_with_min_max_args(x)
    fake_quant_ops.fake_quant_with_min_max_vars(x, -1.0, 1.0)
    fake_quant_ops.fake_quant_with_min_max_vars_per_channel(x, [-1.0, -1.0], [1.0, 1.0])
    z = tf.complex(x, x)
    fft_ops.fftnd(z, [2, 2], [1, 2])
    fft_ops.ifftnd(z, [2, 2], [1, 2])
    fft_ops.rfftnd(x, [2, 2], [1, 2])
    fft_ops.irfftnd(z, [2, 2], [1, 2])
    tf.spectral.irfft3d(tf.spectral.rfft3d(x))
    linalg_extra_ops.logm(tf.eye(2, dtype=tf.complex64))
    misc_array_ops.bitcast(x, tf.int32)
    sdca_ops.sdca_shrink_l1([tf.Variable(tf.ones([2]))], 0.1, 1.0)
    checkpoint_ops.generate_vocab_remapping("new.txt", "old.txt", 0, 2)
    checkpoint_ops.load_and_remap_matrix("ckpt", "w", [0], [], tf.zeros([1]), 1, 1)
    ta = tf.TensorArray(tf.float32, 2)
    ta.close()
    tf.is_variable_initialized(tf.get_variable("r", [2], use_resource=True))
    io_ops.restore_tensor("ckpt", "w", [2], tf.float32)
    part = io_ops._sharded_filename.apply(["m", 0, 1])
    io_ops.save_v2(part, ["w"], [""], [x])
    io_ops._merge.apply([tf.stack([part]), io_ops._sharded_filespec.apply(["m", 1])])
    io_ops._static_regex_full_match.apply(
        [io_ops._string_join.apply(["a", "b"], separator="/")], pattern=".*")
    tf.py_function(lambda a: a, [x], tf.float32)
    tf.data.TextLineDataset("lines.txt")
    tf.data.Dataset.range(3).map(lambda a: a, num_parallel_calls=2)
    tf.data.Dataset.from_generator(lambda: iter([1]), tf.int64)


def _contrib_ops():
    # (TF 1.15's contrib kernel, which TF 2.21 no longer registers: serialized with no signature)
    ids = tf.constant([[[1, 2]], [[3, 4]]])
    tf.contrib.seq2seq.gather_tree(ids, tf.zeros_like(ids), tf.constant([2]), end_token=0)


EXTRA = [_more_ops, _training(False), _training(True), _state_ops, _random_ops, _io_ops,
         _contrib_ops]


def _builders():
    import test_eager
    import test_gradient_check

    out = []
    for cases in test_gradient_check.CASES.values():
        for case in cases:
            out.append(lambda b=case[0], values=case[1]: _with_grads(b, values))
    out.extend(test_eager.STATELESS.values())
    return out + EXTRA


def _with_grads(builder, values):
    xs = [tf.placeholder(tf.float64, np.shape(v)) for v in values]
    y = tf.convert_to_tensor(builder(*xs))
    if y.dtype.is_floating:
        tf.gradients(tf.reduce_sum(y), xs)


@pytest.fixture(scope="module")
def serialized():
    """{op type: [NodeDef lists]} of every op the builders make (one per op type)."""
    seen = {}
    for build in _builders():
        with tf.Graph().as_default() as g:
            build()
        for op in g.get_operations():
            if op.type not in seen:
                seen[op.type] = graph_to_def.node_defs(op, True, set())
    return seen


# op types no builder here makes (each would be serialized by the same generic code)
NOT_BUILT = set()
# op types whose NodeDef lacks TF attrs without defaults: a py_func's token names a function
# in TF's process (minitf keeps the callable), a generator's element types are its Python's
INCOMPLETE = {"PyFunc": {"token"}, "EagerPyFunc": {"token"},
              "GeneratorDataset": {"output_types", "output_shapes"}}


def test_every_registered_op_serializes_with_tfs_attrs(serialized):
    from minitf.framework.registry import REGISTRY

    registered = {t for t in REGISTRY if not t.startswith("Test")}
    assert registered - set(serialized) == NOT_BUILT
    incomplete = {}
    for op_type, nodes in serialized.items():
        for node in nodes:
            for name in node.attr:
                assert node.attr[name].WhichOneof("value") is not None, (op_type, name)
        node = nodes[-1]
        sig = signature(node.op)
        if sig is None:
            continue
        extra = set(node.attr) - set(sig[2]) - {"_class", "_output_shapes"}
        assert extra == set(), (op_type, extra)
        missing = {n for n, (kind, default) in sig[2].items()
                   if default is NO_DEFAULT and n not in node.attr}
        if missing:
            incomplete[op_type] = missing
    assert incomplete == INCOMPLETE


def test_a_softmax_on_another_axis_is_written_as_tfs_wrappers_build_it():
    # TF's Softmax works on the last axis; its tf.nn.softmax(axis=1) transposes around it
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [2, 3, 4], name="x")
        tf.nn.softmax(x, axis=1, name="sm")
        tf.nn.log_softmax(x, name="last")  # (the last axis: one node)
    nodes = {n.name: n for n in g.as_graph_def().node}
    assert [(n.name, n.op, list(n.input)) for n in g.as_graph_def().node][1:5] == [
        ("sm/perm", "Const", []), ("sm/transpose", "Transpose", ["x", "sm/perm"]),
        ("sm/Softmax", "Softmax", ["sm/transpose"]), ("sm", "Transpose", ["sm/Softmax", "sm/perm"])]
    assert tf.make_ndarray(nodes["sm/perm"].attr["value"].tensor).tolist() == [0, 2, 1]
    assert nodes["last"].op == "LogSoftmax" and list(nodes["last"].input) == ["x"]
    value = np.random.RandomState(0).rand(2, 3, 4).astype(np.float32)
    with tf.Graph().as_default():
        y, = tf.import_graph_def(g.as_graph_def(), input_map={"x:0": tf.constant(value)},
                                 return_elements=["sm:0"])
        with tf.Session() as sess:
            got = sess.run(y)
    e = np.exp(value - value.max(1, keepdims=True))
    np.testing.assert_allclose(got, e / e.sum(1, keepdims=True), rtol=1e-6)
