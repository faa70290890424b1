"""`tf.train.replica_device_setter`: the device function of TF1's between-graph replication.

Variable ops go to the parameter-server tasks, round-robin by default, every other op to the
worker device. minitf runs every op in this process whatever its device; the function is here so
that programs written for a cluster build the same graph, with the same `op.device` strings.
"""
from minitf import tf_logging as logging
from minitf.framework.device import DeviceSpec
from minitf.train.cluster_spec import ClusterSpec

__all__ = ["replica_device_setter", "STANDARD_PS_OPS"]

# The op types TF places on the ps tasks unless told otherwise (variables and mutable tables).
STANDARD_PS_OPS = (
    "Variable", "VariableV2", "AutoReloadVariable", "MutableHashTable", "MutableHashTableV2",
    "MutableHashTableOfTensors", "MutableHashTableOfTensorsV2", "MutableDenseHashTable",
    "MutableDenseHashTableV2", "VarHandleOp")


class _RoundRobinStrategy:
    """Gives the ps task indices 0, 1, ..., num_tasks - 1, 0, ... to successive ps ops."""

    def __init__(self, num_tasks):
        self._num_tasks = num_tasks
        self._next_task = 0

    def __call__(self, unused_op):
        task = self._next_task
        self._next_task = (task + 1) % self._num_tasks
        return task


class _ReplicaDeviceChooser:
    """Chooses each op's device from its type and the device the inner scopes gave it."""

    def __init__(self, ps_tasks, ps_device, worker_device, merge_devices, ps_ops, ps_strategy):
        self._ps_tasks = ps_tasks
        self._ps_device = ps_device
        self._worker_device = worker_device
        self._merge_devices = merge_devices
        self._ps_ops = ps_ops
        self._ps_strategy = ps_strategy

    def device_function(self, op):
        """Returns the device string of `op` (an Operation, its device so far in `op.device`)."""
        if not self._merge_devices and op.device:
            return op.device
        current = DeviceSpec.from_string(op.device or "")
        op_type = op["op"] if isinstance(op, dict) else op.type  # an Operation or a NodeDef
        if self._ps_tasks and self._ps_device and op_type in self._ps_ops:
            ps_device = DeviceSpec.from_string(self._ps_device)
            # the strategy picks the task only when the inner scopes keep the ps job
            if ps_device.job and (not current.job or current.job == ps_device.job):
                ps_device.task = self._ps_strategy(op)
            ps_device.merge_from(current)
            return ps_device.to_string()
        worker_device = DeviceSpec.from_string(self._worker_device or "")
        worker_device.merge_from(current)
        return worker_device.to_string()


def replica_device_setter(ps_tasks=0, ps_device="/job:ps", worker_device="/job:worker",
                          merge_devices=True, cluster=None, ps_ops=None, ps_strategy=None):
    """Returns a device function for `tf.device` that places a replica's graph.

    Ops whose type is in `ps_ops` (variables by default) go to the `ps` job, the task chosen
    by `ps_strategy` (round-robin over the ps tasks by default); all other ops go to
    `worker_device`. The devices that inner `tf.device` scopes set are kept: the setter only
    fills the fields they leave unset.

    Args:
      ps_tasks: the number of ps tasks; ignored when `cluster` is given.
      ps_device: the device string of the ps job; "" or None: no ps job.
      worker_device: the device string of the worker; "" or None: no worker job.
      merge_devices: True: merge into the devices inner scopes set. False: an op that inner
        scopes placed keeps its device as it is.
      cluster: a dict {job: addresses}, a ClusterDef or a `tf.train.ClusterSpec`; the ps
        job's task count gives `ps_tasks`.
      ps_ops: the op types placed on the ps tasks; None: `STANDARD_PS_OPS`.
      ps_strategy: a callable that takes a ps op and returns its task index; None:
        round-robin.

    Returns:
      A function of an Operation, or None when there are no ps tasks (`ps_tasks` is 0 and
      no cluster, or the cluster has no ps job).

    Raises:
      TypeError: `cluster` is not a dict, ClusterDef or ClusterSpec, or `ps_strategy` is not
        callable.

    >>> cluster = {"ps": ["ps0:2222", "ps1:2222"], "worker": ["w0:2222"]}
    >>> with tf.device(tf.train.replica_device_setter(cluster=cluster)):
    ...     v1 = tf.Variable(1.0, name="v1")
    ...     v2 = tf.Variable(2.0, name="v2")
    ...     total = v1 + v2
    >>> v1.device, v2.device, total.device
    ('/job:ps/task:0', '/job:ps/task:1', '/job:worker')
    """
    if cluster is not None:
        jobs = (cluster if isinstance(cluster, ClusterSpec) else ClusterSpec(cluster)).as_dict()
        ps_job = DeviceSpec.from_string(ps_device).job
        if jobs.get(ps_job) is None:
            return None
        ps_tasks = len(jobs[ps_job])
    if ps_tasks == 0:
        return None
    if ps_ops is None:
        ps_ops = list(STANDARD_PS_OPS)
    if not merge_devices:
        logging.warning("DEPRECATION: It is recommended to set merge_devices=true in "
                        "replica_device_setter")
    if ps_strategy is None:
        ps_strategy = _RoundRobinStrategy(ps_tasks)
    if not callable(ps_strategy):
        raise TypeError("ps_strategy must be callable")
    return _ReplicaDeviceChooser(ps_tasks, ps_device, worker_device, merge_devices, ps_ops,
                                 ps_strategy).device_function
