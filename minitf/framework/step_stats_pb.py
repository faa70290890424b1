"""TF's step statistics messages: StepStats, DeviceStepStats, NodeExecStats and what they hold
(tensorflow/core/framework/step_stats.proto), with TensorDescription
(tensor_description.proto) and AllocationDescription (allocation_description.proto), with TF's
field names and numbers, so their bytes and text are TF's. A traced `Session.run` fills them
(minitf/plan_tracing.py); `tf.train.ProfilerHook` turns them into a timeline (timeline.py).

>>> from minitf.framework.step_stats_pb import StepStats
>>> stats = StepStats()
>>> node = stats.dev_stats.add(device="/cpu:0").node_stats.add(node_name="c", all_start_micros=7)
>>> print(stats, end="")
dev_stats {
  device: "/cpu:0"
  node_stats {
    node_name: "c"
    all_start_micros: 7
  }
}
"""
from minitf.framework.proto import Field, Message
from minitf.framework.tensor_pb import DataType, TensorShapeProto

__all__ = ["AllocationDescription", "TensorDescription", "AllocationRecord",
           "AllocatorMemoryUsed", "NodeOutput", "MemoryStats", "NodeExecStats",
           "DeviceStepStats", "StepStats"]

_PACKAGE = "tensorflow"


class AllocationDescription(Message):
    """The size and allocator of a tensor's buffer."""

    requested_bytes = Field(1, "int64")
    allocated_bytes = Field(2, "int64")
    allocator_name = Field(3, "string")
    allocation_id = Field(4, "int64")
    has_single_reference = Field(5, "bool")
    ptr = Field(6, "uint64")


class TensorDescription(Message):
    """A tensor's dtype, shape and allocation."""

    dtype = Field(1, DataType)
    shape = Field(2, TensorShapeProto)
    allocation_description = Field(4, AllocationDescription)


class AllocationRecord(Message):
    """One allocation (bytes > 0) or deallocation (bytes < 0), and when."""

    alloc_micros = Field(1, "int64")
    alloc_bytes = Field(2, "int64")


class AllocatorMemoryUsed(Message):
    """A node's use of one allocator."""

    allocator_name = Field(1, "string")
    total_bytes = Field(2, "int64")
    peak_bytes = Field(3, "int64")
    live_bytes = Field(4, "int64")
    allocation_records = Field(6, AllocationRecord, repeated=True)
    allocator_bytes_in_use = Field(5, "int64")


class NodeOutput(Message):
    """One output of a node's run: its slot and tensor."""

    slot = Field(1, "int32")
    tensor_description = Field(3, TensorDescription)


class MemoryStats(Message):
    """A node's temporary and persistent memory."""

    temp_memory_size = Field(1, "int64")
    persistent_memory_size = Field(3, "int64")
    persistent_tensor_alloc_ids = Field(5, "int64", repeated=True)
    device_temp_memory_size = Field(2, "int64")
    device_persistent_memory_size = Field(4, "int64")
    device_persistent_tensor_alloc_ids = Field(6, "int64", repeated=True)


class NodeExecStats(Message):
    """One run of a node: its name, times, outputs and label.

    `all_start_micros` is wall-clock microseconds since the epoch, the `*_rel_micros` are
    microseconds after it; the label reads `name = OpType(input, ...)`.
    """

    node_name = Field(1, "string")
    all_start_micros = Field(2, "int64")
    op_start_rel_micros = Field(3, "int64")
    op_end_rel_micros = Field(4, "int64")
    all_end_rel_micros = Field(5, "int64")
    memory = Field(6, AllocatorMemoryUsed, repeated=True)
    output = Field(7, NodeOutput, repeated=True)
    timeline_label = Field(8, "string")
    scheduled_micros = Field(9, "int64")
    thread_id = Field(10, "uint32")
    referenced_tensor = Field(11, AllocationDescription, repeated=True)
    memory_stats = Field(12, MemoryStats)


class DeviceStepStats(Message):
    """The node runs of one device."""

    device = Field(1, "string")
    node_stats = Field(2, NodeExecStats, repeated=True)


class StepStats(Message):
    """The node runs of one step, by device."""

    dev_stats = Field(1, DeviceStepStats, repeated=True)
