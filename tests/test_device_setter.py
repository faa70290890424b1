"""`tf.train.replica_device_setter`: the devices TF1 gives a replica's ops (values from TF)."""
import pytest

import minitf as tf


def _devices(fn, inner=None):
    # devices of the VariableV2 and Const ops of a, b, c (and d, e inside `inner`), then f
    g = tf.Graph()
    with g.as_default():
        with tf.device(fn):
            for name in "abc":
                tf.Variable(1.0, name=name)
            if inner is not None:
                with tf.device(inner):
                    tf.Variable(1.0, name="d")
                    tf.constant(1.0, name="e")
            tf.constant(2.0, name="f")
    return [op.device for op in g.get_operations() if op.type in ("VariableV2", "Const")]


W, P0, P1, P2 = "/job:worker", "/job:ps/task:0", "/job:ps/task:1", "/job:ps/task:2"


def test_round_robin_over_ps_tasks():
    assert _devices(tf.train.replica_device_setter(ps_tasks=3)) == [W, P0, W, P1, W, P2, W]


def test_cluster_gives_the_task_count():
    cluster = {"ps": ["ps0:2222", "ps1:2222"], "worker": ["w0:2222", "w1:2222"]}
    expected = [W, P0, W, P1, W, P0, W]
    assert _devices(tf.train.replica_device_setter(cluster=cluster)) == expected
    spec = tf.train.ClusterSpec(cluster)
    assert _devices(tf.train.replica_device_setter(cluster=spec)) == expected
    sparse = {"ps": {0: "a", 3: "b"}, "worker": ["w"]}
    assert _devices(tf.train.replica_device_setter(cluster=sparse)) == expected
    fn = tf.train.replica_device_setter(cluster={"x": ["a", "b"]},
                                        ps_device="/job:x/replica:2")
    assert _devices(fn)[1:4:2] == ["/job:x/replica:2/task:0", "/job:x/replica:2/task:1"]


def test_worker_and_ps_devices_merge():
    fn = tf.train.replica_device_setter(ps_tasks=2, worker_device="/job:worker/task:3/cpu:0")
    assert _devices(fn)[:2] == ["/job:worker/task:3/device:CPU:0", P0]
    fn = tf.train.replica_device_setter(ps_tasks=2, ps_device="/job:ps/cpu:0",
                                        worker_device=None)
    assert _devices(fn, "/task:5") == [
        "", "/job:ps/task:0/device:CPU:0", "", "/job:ps/task:1/device:CPU:0", "",
        "/job:ps/task:0/device:CPU:0", "/task:5", "/job:ps/task:5/device:CPU:0", "/task:5", ""]


def test_inner_scopes_win():
    fn = tf.train.replica_device_setter(ps_tasks=2)
    assert _devices(fn, "/gpu:1")[-4:] == [
        "/job:worker/device:GPU:1", "/job:ps/task:1/device:GPU:1", "/job:worker/device:GPU:1",
        W]
    fn = tf.train.replica_device_setter(ps_tasks=2, merge_devices=False)
    assert _devices(fn, "/gpu:1")[-4:] == ["/device:GPU:1"] * 3 + [W]
    # an inner job other than the ps job: the strategy is not asked, the job stays
    g = tf.Graph()
    with g.as_default(), tf.device(tf.train.replica_device_setter(ps_tasks=2)):
        with tf.device("/job:worker/task:1/gpu:0"):
            v = tf.Variable(3.0, name="v")
        w = tf.Variable(3.0, name="w")
    assert v.device == "/job:worker/task:1/device:GPU:0"
    assert w.device == P0


def test_no_ps_job():
    fn = tf.train.replica_device_setter(ps_tasks=2, ps_device="", worker_device="/job:w")
    assert _devices(fn, "/job:ps") == ["/job:w"] * 6 + ["/job:ps"] * 3 + ["/job:w"]


def test_custom_strategy_and_ps_ops():
    fn = tf.train.replica_device_setter(ps_tasks=2, ps_strategy=lambda op: 7)
    assert _devices(fn, "/job:ps") == [W, "/job:ps/task:7"] * 3 + [
        "/job:ps", "/job:ps/task:7", "/job:ps", W]
    fn = tf.train.replica_device_setter(ps_tasks=2, ps_ops=["Const"])
    assert _devices(fn) == [P0, W, P1, W, P0, W, P1]


def test_resource_variable_goes_to_ps():
    g = tf.Graph()
    with g.as_default(), tf.device(tf.train.replica_device_setter(ps_tasks=2)):
        tf.Variable(1.0, name="v")
        r = tf.get_variable("r", [2], use_resource=True)
    assert r.op.type == "VarHandleOp" and r.device == P1


def test_none_without_ps_tasks():
    assert tf.train.replica_device_setter() is None
    assert tf.train.replica_device_setter(cluster={"worker": ["a:1"]}) is None
    assert tf.train.replica_device_setter(
        cluster=tf.train.ClusterSpec({"worker": ["a:1"]})) is None
    assert tf.train.replica_device_setter(ps_tasks=0, cluster={"ps": []}) is None


def test_errors():
    with pytest.raises(TypeError, match="ps_strategy must be callable"):
        tf.train.replica_device_setter(ps_tasks=2, ps_strategy=3)
    with pytest.raises(TypeError, match="`cluster` must be a dictionary"):
        tf.train.replica_device_setter(cluster=3)
