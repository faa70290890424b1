"""minitf's protobuf messages (minitf/framework/proto*.py, config_pb.py, example_pb.py): the bytes
and text TF's protobuf (upb, TF 2.21) gives for the same construction, and protobuf's Python
idioms and errors."""
import copy
import math
import pickle

import numpy as np
import pytest

import minitf as tf
from minitf.framework import proto_text
from minitf.framework.config_pb import ClusterDef, GraphOptions
from minitf.framework.proto import DecodeError


def _cases():
    out = {}
    c = tf.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=2,
                       allow_soft_placement=True, log_device_placement=True,
                       device_count={"CPU": 4, "GPU": 0},
                       device_filters=["/job:ps", "/job:worker/task:0"],
                       operation_timeout_in_ms=60000, isolate_session_state=True)
    c.gpu_options.allow_growth = True
    c.gpu_options.per_process_gpu_memory_fraction = 0.4
    c.gpu_options.visible_device_list = "0,1"
    c.graph_options.optimizer_options.opt_level = tf.OptimizerOptions.L0
    c.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    c.graph_options.optimizer_options.do_function_inlining = True
    c.experimental.collective_group_leader = "/job:w"
    c.experimental.mlir_bridge_rollout = 2
    c.session_inter_op_thread_pool.add(num_threads=3, global_name="p")
    out["config"] = c
    g = tf.GPUOptions(allow_growth=True)
    vd = g.experimental.virtual_devices.add()
    vd.memory_limit_mb.extend([1024.0, 2048.5])
    vd.priority.extend([-1, 0, 300])
    out["gpu"] = g
    out["run_options"] = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE, timeout_in_ms=-5,
                                       output_partition_graphs=True, inter_op_thread_pool=-1)
    out["run_metadata"] = tf.RunMetadata()
    ex = tf.train.Example()
    feats = ex.features.feature
    feats["b"].bytes_list.value.extend([b"abc", b"\x00\xff", b""])
    feats["f"].float_list.value.extend([1.5, -0.1, 3e38, 0.0])
    feats["i"].int64_list.value.extend([0, -1, 2**62, 300])
    feats["empty"].float_list.SetInParent()
    out["example"] = ex
    se = tf.train.SequenceExample()
    se.context.feature["len"].int64_list.value.append(2)
    fl = se.feature_lists.feature_list["tokens"]
    fl.feature.add().bytes_list.value.append(b"hi")
    fl.feature.add(int64_list=tf.train.Int64List(value=[7, 8]))
    out["sequence_example"] = se
    cl = ClusterDef()
    job = cl.job.add(name="worker")
    job.tasks[0] = "localhost:2222"
    job.tasks[1] = "localhost:2223"
    out["cluster"] = cl
    return out


# SerializeToString(deterministic=True) of the same construction under TF's protobuf
TF_BYTES = {
    "config": b'\n\x07\n\x03CPU\x10\x04\n\x07\n\x03GPU\x10\x00\x10\x01"\x07/job:ps"\x12/job:worker'
              b'/task:0(\x022\x10\t\x9a\x99\x99\x99\x99\x99\xd9? \x01*\x030,18\x01@\x01R\x11\x1a'
              b'\x0f\x18\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01 \x01(\x01X\xe0\xd4\x03b\x05\x08'
              b'\x03\x12\x01px\x01\x82\x01\x0b\n\x06/job:w\x88\x01\x02',
    "gpu": b' \x01J\x1b\n\x19\n\x08\x00\x00\x80D\x00\x08\x00E\x12\r\xff\xff\xff\xff\xff\xff\xff'
           b'\xff\xff\x01\x00\xac\x02',
    "run_options": b'\x08\x03\x10\xfb\xff\xff\xff\xff\xff\xff\xff\xff\x01\x18\xff\xff\xff\xff'
                   b'\xff\xff\xff\xff\xff\x01(\x01',
    "run_metadata": b'',
    "example": b'\n]\n\x12\n\x01b\x12\r\n\x0b\n\x03abc\n\x02\x00\xff\n\x00\n\x0b\n\x05empty'
               b'\x12\x02\x12\x00\n\x19\n\x01f\x12\x14\x12\x12\n\x10\x00\x00\xc0?\xcd\xcc\xcc'
               b'\xbd\xe6\xb1a\x7f\x00\x00\x00\x00\n\x1f\n\x01i\x12\x1a\x1a\x18\n\x16\x00\xff'
               b'\xff\xff\xff\xff\xff\xff\xff\xff\x01\x80\x80\x80\x80\x80\x80\x80\x80@\xac\x02',
    "sequence_example": b'\n\x0e\n\x0c\n\x03len\x12\x05\x1a\x03\n\x01\x02\x12\x1c\n\x1a\n\x06'
                        b'tokens\x12\x10\n\x06\n\x04\n\x02hi\n\x06\x1a\x04\n\x02\x07\x08',
    # upb writes integer map keys by descending (unsigned) key
    "cluster": b'\n0\n\x06worker\x12\x12\x08\x01\x12\x0elocalhost:2223\x12\x12\x08\x00\x12\x0e'
               b'localhost:2222',
}


@pytest.mark.parametrize("name", sorted(TF_BYTES))
def test_bytes_are_tfs(name):
    msg = _cases()[name]
    assert msg.SerializeToString() == TF_BYTES[name]
    assert msg.ByteSize() == len(TF_BYTES[name])


@pytest.mark.parametrize("name", sorted(TF_BYTES))
def test_parse_print_round_trips(name):
    msg = _cases()[name]
    cls = type(msg)
    assert cls.FromString(TF_BYTES[name]) == msg
    assert cls.FromString(TF_BYTES[name]).SerializeToString() == TF_BYTES[name]
    assert proto_text.Parse(str(msg), cls()) == msg
    assert copy.deepcopy(msg) == msg and pickle.loads(pickle.dumps(msg)) == msg


def test_text_is_tfs():
    config = tf.ConfigProto(gpu_options=tf.GPUOptions(per_process_gpu_memory_fraction=0.333,
                                                      visible_device_list="0"),
                            intra_op_parallelism_threads=4, inter_op_parallelism_threads=2)
    assert str(config) == ('intra_op_parallelism_threads: 4\ninter_op_parallelism_threads: 2\n'
                           'gpu_options {\n  per_process_gpu_memory_fraction: 0.333\n'
                           '  visible_device_list: "0"\n}\n')
    text = str(_cases()["config"])
    assert 'graph_options {\n  optimizer_options {\n    opt_level: L0\n' \
           '    do_function_inlining: true\n    global_jit_level: ON_1\n  }\n}\n' in text
    assert "  mlir_bridge_rollout: MLIR_BRIDGE_ROLLOUT_DISABLED\n" in text
    floats = tf.train.FloatList(value=[0.1, 1.0, 1e39, -0.0, 3.5e-8, 1e20, float("nan")])
    assert str(floats) == ("value: 0.1\nvalue: 1\nvalue: inf\nvalue: -0\nvalue: 3.5e-08\n"
                           "value: 1e+20\nvalue: nan\n")
    assert str(tf.train.BytesList(value=[b"a\x00\xff\"'\\\n\t\x7f\xc3\xa9 z"])) == \
        'value: "a\\000\\377\\"\\\'\\\\\\n\\t\\177\\303\\251 z"\n'
    assert str(tf.GPUOptions(visible_device_list='é"\n')) == 'visible_device_list: "é\\"\\n"\n'
    assert str(tf.RunOptions(trace_level=7)) == "trace_level: 7\n"
    assert str(tf.GPUOptions(per_process_gpu_memory_fraction=1e-300)) == \
        "per_process_gpu_memory_fraction: 1e-300\n"
    assert repr(tf.ConfigProto(intra_op_parallelism_threads=2)) == \
        "intra_op_parallelism_threads: 2\n"
    assert str(tf.train.Example()) == ""


def test_text_parse():
    config = proto_text.Parse("""
        # a comment
        gpu_options < allow_growth: True per_process_gpu_memory_fraction: 5e-1 >
        device_count { key: "CPU" value: 2 }, device_filters: ["a", 'b' "c"]
        graph_options { optimizer_options { opt_level: L0 global_jit_level: 2 } }
        operation_timeout_in_ms: 0x10
        """, tf.ConfigProto())
    assert config.gpu_options.allow_growth and config.gpu_options.per_process_gpu_memory_fraction \
        == 0.5
    assert dict(config.device_count) == {"CPU": 2}
    assert list(config.device_filters) == ["a", "bc"]
    assert config.graph_options.optimizer_options.opt_level == -1
    assert config.graph_options.optimizer_options.global_jit_level == 2
    assert config.operation_timeout_in_ms == 16
    ex = proto_text.Parse('features { feature { key: "x" value { bytes_list { value: "\\001\\x02" '
                          '} } } }', tf.train.Example())
    assert ex.features.feature["x"].bytes_list.value[0] == b"\x01\x02"
    with pytest.raises(proto_text.ParseError, match='1:1 : Message type "tensorflow.ConfigProto" '
                       'has no field named "nope"'):
        proto_text.Parse("nope: 1", tf.ConfigProto())
    with pytest.raises(proto_text.ParseError, match="intra_op_parallelism_threads"):
        proto_text.Parse("intra_op_parallelism_threads: x", tf.ConfigProto())


def test_unknown_fields_are_kept():
    # TF's bytes for GraphOptions with rewrite_options (RewriterConfig, not modelled here) and
    # for ConfigProto with rpc_options
    data = b'(\x01@\x03R\x0e\x18\x02\x88\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01'
    options = GraphOptions.FromString(data)
    assert options.infer_shapes and options.timeline_step == 3
    assert options.SerializeToString() == data
    assert str(options) == "infer_shapes: true\ntimeline_step: 3\n"
    assert options != GraphOptions(infer_shapes=True, timeline_step=3)
    config = tf.ConfigProto.FromString(b'\x10\x01j\x02\x08\x01')
    assert config.intra_op_parallelism_threads == 1
    assert config.SerializeToString() == b'\x10\x01j\x02\x08\x01'


def test_scalar_type_checks():
    config = tf.ConfigProto()
    for value, error, words in [
            (1.5, TypeError, "'float' object cannot be interpreted as an integer"),
            ("1", TypeError, "'str' object cannot be interpreted as an integer"),
            (2**31, ValueError, "Value out of range: 2147483648"),
            (True, TypeError, "Field tensorflow.ConfigProto.intra_op_parallelism_threads: "
                              "Expected an int, got a boolean."),
            (np.float32(1), TypeError, "'numpy.float32' object cannot be interpreted")]:
        with pytest.raises(error, match=words):
            config.intra_op_parallelism_threads = value
    config.intra_op_parallelism_threads = np.int64(3)
    assert config.intra_op_parallelism_threads == 3
    config.allow_soft_placement = 2
    assert config.allow_soft_placement is True
    config.allow_soft_placement = np.bool_(False)
    assert config.allow_soft_placement is False
    with pytest.raises(TypeError, match="'str' object cannot be interpreted as an integer"):
        config.allow_soft_placement = "x"
    with pytest.raises(TypeError, match="must be real number, not str"):
        config.gpu_options.per_process_gpu_memory_fraction = "1"
    config.gpu_options.visible_device_list = b"0"
    assert config.gpu_options.visible_device_list == "0"
    with pytest.raises(TypeError, match="bad argument type for built-in operation"):
        config.gpu_options.visible_device_list = 0
    with pytest.raises(TypeError, match="expected bytes, str found"):
        tf.train.BytesList(value=["a"])
    with pytest.raises(ValueError, match="Value out of range: 9223372036854775808"):
        tf.train.Int64List(value=[2**63])
    assert tf.train.FloatList(value=[0.1, 1e39]).value == [0.10000000149011612, math.inf]
    assert tf.train.Int64List(value=np.array([1, 2])).value == [1, 2]


def test_enums():
    assert (tf.RunOptions.NO_TRACE, tf.RunOptions.SOFTWARE_TRACE, tf.RunOptions.HARDWARE_TRACE,
            tf.RunOptions.FULL_TRACE) == (0, 1, 2, 3)
    assert (tf.OptimizerOptions.L1, tf.OptimizerOptions.L0) == (0, -1)
    assert (tf.OptimizerOptions.DEFAULT, tf.OptimizerOptions.OFF, tf.OptimizerOptions.ON_1,
            tf.OptimizerOptions.ON_2) == (0, -1, 1, 2)
    assert tf.RunOptions.TraceLevel.Name(3) == "FULL_TRACE"
    assert tf.RunOptions.TraceLevel.Value("FULL_TRACE") == 3
    assert tf.OptimizerOptions.Level.keys() == ["L1", "L0"]
    assert tf.OptimizerOptions.Level.items() == [("L1", 0), ("L0", -1)]
    with pytest.raises(ValueError, match="Enum Level has no name defined for value 5"):
        tf.OptimizerOptions.Level.Name(5)
    with pytest.raises(ValueError, match="Enum Level has no value defined for name 'X'"):
        tf.OptimizerOptions.Level.Value("X")
    options = tf.RunOptions(trace_level="FULL_TRACE")
    assert options.trace_level == 3
    with pytest.raises(ValueError, match='unknown enum label "NOPE"'):
        options.trace_level = "NOPE"


def test_message_fields_and_presence():
    config = tf.ConfigProto()
    _ = config.graph_options.optimizer_options
    assert not config.HasField("graph_options") and config.SerializeToString() == b""
    assert config.gpu_options is config.gpu_options
    config.graph_options.optimizer_options.do_constant_folding = True
    assert config.HasField("graph_options")
    assert config.graph_options.HasField("optimizer_options")
    with pytest.raises(AttributeError, match='Assignment not allowed to message field '
                       '"gpu_options" in protocol message object.'):
        config.gpu_options = tf.GPUOptions()
    with pytest.raises(AttributeError, match='Assignment not allowed to map, or repeated field '
                       '"device_filters" in protocol message object.'):
        config.device_filters = ["a"]
    with pytest.raises(AttributeError, match='Protocol message ConfigProto has no "foo" field.'):
        config.foo = 1
    with pytest.raises(ValueError, match='Protocol message ConfigProto has no "foo" field.'):
        tf.ConfigProto(foo=1)
    with pytest.raises(ValueError, match="Field tensorflow.ConfigProto.allow_soft_placement "
                       "does not have presence."):
        config.HasField("allow_soft_placement")
    with pytest.raises(TypeError, match="Parameter to initialize message field must be dict or "
                       "instance of same class"):
        tf.ConfigProto(gpu_options=tf.RunOptions())
    assert tf.ConfigProto(gpu_options={"allow_growth": True}) == \
        tf.ConfigProto(gpu_options=tf.GPUOptions(allow_growth=True))
    assert tf.ConfigProto(intra_op_parallelism_threads=None) == tf.ConfigProto()
    config.ClearField("graph_options")
    assert not config.HasField("graph_options")
    with pytest.raises(TypeError, match="unhashable type: 'ConfigProto'"):
        hash(config)


def test_oneof():
    feature = tf.train.Feature(float_list=tf.train.FloatList(value=[1.0]))
    assert feature.WhichOneof("kind") == "float_list"
    feature.int64_list.value.append(3)
    assert (feature.WhichOneof("kind"), feature.HasField("float_list"),
            feature.HasField("kind")) == ("int64_list", False, True)
    empty = tf.train.Feature()
    _ = empty.float_list
    assert empty.WhichOneof("kind") is None
    empty.float_list.SetInParent()
    assert empty.WhichOneof("kind") == "float_list" and empty.SerializeToString() == b"\x12\x00"
    empty.ClearField("kind")
    assert empty.WhichOneof("kind") is None


def test_containers():
    config = tf.ConfigProto(device_filters=("a", "b"))
    assert config.device_filters == ["a", "b"] and len(config.device_filters) == 2
    with pytest.raises(TypeError, match="bad argument type"):
        config.device_filters.append(1)
    config.device_count["CPU"] = 2
    with pytest.raises(TypeError, match="'float' object cannot be interpreted as an integer"):
        config.device_count["CPU"] = 1.5
    features = tf.train.Features()
    assert features.feature.get("b") is None and "b" not in features.feature
    with pytest.raises(ValueError, match="Message objects may not be assigned"):
        features.feature["c"] = tf.train.Feature()
    features.feature.get_or_create("c").int64_list.value.append(1)
    assert list(features.feature) == ["c"]
    lst = tf.train.FeatureList(feature=[tf.train.Feature(), {"int64_list": {"value": [1]}}])
    assert lst.feature[1].int64_list.value == [1]
    with pytest.raises(TypeError, match="Parameter to initialize message field"):
        tf.train.FeatureList(feature=[1])


def test_copy_merge_parse():
    a = tf.ConfigProto(intra_op_parallelism_threads=2, device_filters=["x"])
    b = tf.ConfigProto(inter_op_parallelism_threads=3, device_filters=["y"])
    b.gpu_options.allow_growth = True
    a.MergeFrom(b)
    assert (a.intra_op_parallelism_threads, a.inter_op_parallelism_threads,
            list(a.device_filters), a.gpu_options.allow_growth) == (2, 3, ["x", "y"], True)
    a.CopyFrom(b)
    assert a == b
    with pytest.raises(TypeError, match="Parameter to CopyFrom\\(\\) must be instance of same "
                       "class"):
        a.CopyFrom(tf.RunOptions())
    with pytest.raises(TypeError, match="Parameter to MergeFrom\\(\\) must be instance"):
        a.MergeFrom(tf.RunOptions())
    assert tf.ConfigProto().MergeFromString(b"\x10\x05") == 2
    assert tf.ConfigProto.FromString(b"\x10\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01") \
        .intra_op_parallelism_threads == -1
    with pytest.raises(DecodeError, match="Error parsing message with type "
                       "'tensorflow.ConfigProto'"):
        tf.ConfigProto.FromString(b"\x10")
    assert tf.ConfigProto() == tf.ConfigProto() and tf.ConfigProto() != 1
    assert tf.GPUOptions(per_process_gpu_memory_fraction=-0.0).SerializeToString() == \
        b'\t\x00\x00\x00\x00\x00\x00\x00\x80'
    extremes = tf.train.Int64List(value=[-2**63, 2**63 - 1])
    assert extremes.SerializeToString() == (b'\n\x13\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01\xff'
                                            b'\xff\xff\xff\xff\xff\xff\xff\x7f')
    assert tf.ConfigProto.DESCRIPTOR.full_name == "tensorflow.ConfigProto"
    assert tf.GPUOptions.Experimental.DESCRIPTOR.full_name == "tensorflow.GPUOptions.Experimental"


def test_cluster_spec():
    cluster = tf.train.ClusterSpec({"worker": ["w0:2222", "w1:2222"], "ps": ["ps0:2222"]})
    assert cluster.as_dict() == {"worker": ["w0:2222", "w1:2222"], "ps": ["ps0:2222"]}
    assert cluster.jobs == ["worker", "ps"]
    assert (cluster.num_tasks("worker"), cluster.task_address("worker", 1),
            cluster.task_indices("worker"), cluster.job_tasks("ps")) == \
        (2, "w1:2222", [0, 1], ["ps0:2222"])
    # TF's bytes and text of as_cluster_def()
    assert cluster.as_cluster_def().SerializeToString() == (
        b'\n\x12\n\x02ps\x12\x0c\x08\x00\x12\x08ps0:2222\n"\n\x06worker\x12\x0b\x08\x01\x12'
        b'\x07w1:2222\x12\x0b\x08\x00\x12\x07w0:2222')
    assert str(cluster.as_cluster_def()) == (
        'job {\n  name: "ps"\n  tasks {\n    key: 0\n    value: "ps0:2222"\n  }\n}\njob {\n'
        '  name: "worker"\n  tasks {\n    key: 0\n    value: "w0:2222"\n  }\n  tasks {\n'
        '    key: 1\n    value: "w1:2222"\n  }\n}\n')
    assert repr(cluster) == "ClusterSpec({'ps': ['ps0:2222'], 'worker': ['w0:2222', 'w1:2222']})"
    assert tf.train.ClusterSpec(cluster.as_cluster_def()) == cluster
    assert tf.train.ClusterSpec(cluster) == cluster and cluster != {"ps": ["ps0:2222"]}
    sparse = tf.train.ClusterSpec({"worker": {1: "w1:2222", 3: "w3:2222"}})
    assert sparse.as_dict() == {"worker": {1: "w1:2222", 3: "w3:2222"}}
    assert sparse.job_tasks("worker") == [None, "w1:2222", None, "w3:2222"]
    assert sparse.as_cluster_def().SerializeToString() == \
        b'\n"\n\x06worker\x12\x0b\x08\x03\x12\x07w3:2222\x12\x0b\x08\x01\x12\x07w1:2222'
    assert not tf.train.ClusterSpec({}) and tf.train.ClusterSpec({"w": []}).as_dict() == {"w": {}}
    for bad, words in [(1, "`cluster` must be a dictionary mapping one or more job names"),
                       ({"w": "abc"}, "The tasks for job 'w' must be a list or a dictionary"),
                       ({1: ["a"]}, "Job name 1 must be bytes or unicode")]:
        with pytest.raises(TypeError, match=words):
            tf.train.ClusterSpec(bad)
    with pytest.raises(ValueError, match="No such job in cluster: 'x'"):
        cluster.num_tasks("x")
    with pytest.raises(ValueError, match="No task with index 5 in job 'worker'"):
        cluster.task_address("worker", 5)
