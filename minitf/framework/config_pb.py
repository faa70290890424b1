"""TF's session and run configuration messages (tensorflow/core/protobuf/config.proto and
cluster.proto): `tf.ConfigProto`, `tf.GPUOptions`, `tf.GraphOptions`, `tf.OptimizerOptions`,
`tf.RunOptions`, `tf.RunMetadata`, with TF's field names and numbers, so their bytes and text
are TF's.

>>> config = tf.ConfigProto(intra_op_parallelism_threads=1, allow_soft_placement=True)
>>> config.gpu_options.allow_growth = True
>>> print(config, end="")
intra_op_parallelism_threads: 1
gpu_options {
  allow_growth: true
}
allow_soft_placement: true
>>> config.SerializeToString()
b'\\x10\\x012\\x02 \\x018\\x01'

Sub-messages minitf does not model (RewriterConfig, RPCOptions, DebugOptions, the
coordination config) are left out: their fields, when parsed, are kept as unknown fields and
written back unchanged, as are CostGraphDef's. StepStats is in step_stats_pb.py, GraphDef in
graph_pb.py.
"""
from minitf.framework.graph_pb import GraphDef
from minitf.framework.proto import Enum, Field, MapField, Message
from minitf.framework.step_stats_pb import StepStats

__all__ = ["ConfigProto", "GPUOptions", "GraphOptions", "OptimizerOptions", "RunOptions",
           "RunMetadata", "ThreadPoolOptionProto", "SessionMetadata", "ClusterDef", "JobDef"]

_PACKAGE = "tensorflow"


class GPUOptions(Message):
    """How a session uses GPUs (accepted; minitf runs on the CPU)."""

    class Experimental(Message):
        """GPUOptions' experimental settings."""

        class VirtualDevices(Message):
            """Virtual devices to split a GPU into."""

            memory_limit_mb = Field(1, "float", repeated=True)
            priority = Field(2, "int32", repeated=True)
            device_ordinal = Field(3, "int32", repeated=True)

        class StreamMergeOptions(Message):
            """Which GPU streams to merge."""

            merge_host_to_device_stream = Field(1, "bool")
            merge_device_to_host_stream = Field(2, "bool")
            merge_device_to_device_stream = Field(3, "bool")

        virtual_devices = Field(1, VirtualDevices, repeated=True)
        use_unified_memory = Field(2, "bool")
        num_dev_to_dev_copy_streams = Field(3, "int32")
        collective_ring_order = Field(4, "string")
        timestamped_allocator = Field(5, "bool")
        kernel_tracker_max_interval = Field(7, "int32")
        kernel_tracker_max_bytes = Field(8, "int32")
        kernel_tracker_max_pending = Field(9, "int32")
        internal_fragmentation_fraction = Field(10, "double")
        use_cuda_malloc_async = Field(11, "bool")
        disallow_retry_on_allocation_failure = Field(12, "bool")
        gpu_host_mem_limit_in_mb = Field(13, "float")
        gpu_host_mem_disallow_growth = Field(14, "bool")
        num_virtual_devices_per_gpu = Field(15, "int32")
        gpu_system_memory_size_in_mb = Field(16, "int32")
        populate_pjrt_gpu_client_creation_info = Field(17, "bool")
        node_id = Field(18, "int32")
        stream_merge_options = Field(19, StreamMergeOptions)

    per_process_gpu_memory_fraction = Field(1, "double")
    allocator_type = Field(2, "string")
    deferred_deletion_bytes = Field(3, "int64")
    allow_growth = Field(4, "bool")
    visible_device_list = Field(5, "string")
    polling_active_delay_usecs = Field(6, "int32")
    polling_inactive_delay_msecs = Field(7, "int32")
    force_gpu_compatible = Field(8, "bool")
    experimental = Field(9, Experimental)


class OptimizerOptions(Message):
    """Graph optimization settings, with the Level and GlobalJitLevel enums (accepted)."""

    Level = Enum(L1=0, L0=-1)
    GlobalJitLevel = Enum(DEFAULT=0, OFF=-1, ON_1=1, ON_2=2)
    do_common_subexpression_elimination = Field(1, "bool")
    do_constant_folding = Field(2, "bool")
    opt_level = Field(3, Level)
    do_function_inlining = Field(4, "bool")
    global_jit_level = Field(5, GlobalJitLevel)
    max_folded_constant_in_bytes = Field(6, "int64")
    cpu_global_jit = Field(7, "bool")


class GraphOptions(Message):
    """Graph building and optimization options (accepted)."""

    enable_recv_scheduling = Field(2, "bool")
    optimizer_options = Field(3, OptimizerOptions)
    build_cost_model = Field(4, "int64")
    infer_shapes = Field(5, "bool")
    place_pruned_graph = Field(6, "bool")
    enable_bfloat16_sendrecv = Field(7, "bool")
    timeline_step = Field(8, "int32")
    build_cost_model_after = Field(9, "int64")


class ThreadPoolOptionProto(Message):
    """A thread pool for a session's inter-op work."""

    num_threads = Field(1, "int32")
    global_name = Field(2, "string")


class SessionMetadata(Message):
    """A session's name and version."""

    name = Field(1, "string")
    version = Field(2, "int64")


class JobDef(Message):
    """One job of a cluster: its name and {task index: address}."""

    name = Field(1, "string")
    tasks = MapField(2, "int32", "string")


class ClusterDef(Message):
    """The jobs of a cluster."""

    job = Field(1, JobDef, repeated=True)


class ConfigProto(Message):
    """A session's configuration: `tf.Session(config=tf.ConfigProto(...))`.

    minitf honours `intra_op_parallelism_threads` (the BLAS threads, process-wide); the rest is
    accepted. 0 (the default) is TF's "the system picks": minitf's pick is 1 BLAS thread, set
    by the first Session of the process, unless the user chose a count otherwise (an
    OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS... variable, or threadpoolctl), as
    small matrix products run fastest on one thread, above all on a shared machine.
    """

    class Experimental(Message):
        """ConfigProto's experimental settings."""

        MlirBridgeRollout = Enum(MLIR_BRIDGE_ROLLOUT_UNSPECIFIED=0,
                                 MLIR_BRIDGE_ROLLOUT_ENABLED=1, MLIR_BRIDGE_ROLLOUT_DISABLED=2)
        collective_group_leader = Field(1, "string")
        executor_type = Field(3, "string")
        recv_buf_max_chunk = Field(4, "int32")
        use_numa_affinity = Field(5, "bool")
        collective_deterministic_sequential_execution = Field(6, "bool")
        collective_nccl = Field(7, "bool")
        share_session_state_in_clusterspec_propagation = Field(8, "bool")
        disable_thread_spinning = Field(9, "bool")
        share_cluster_devices_in_session = Field(10, "bool")
        session_metadata = Field(11, SessionMetadata)
        optimize_for_static_graph = Field(12, "bool")
        enable_mlir_bridge = Field(13, "bool")
        disable_output_partition_graphs = Field(14, "bool")
        xla_fusion_autotuner_thresh = Field(15, "int64")
        enable_mlir_graph_optimization = Field(16, "bool")
        mlir_bridge_rollout = Field(17, MlirBridgeRollout)
        use_tfrt = Field(18, "bool")
        disable_functional_ops_lowering = Field(21, "bool")
        xla_prefer_single_graph_cluster = Field(22, "bool")
        disable_optimize_for_static_graph = Field(24, "bool")
        disable_eager_executor_streaming_enqueue = Field(26, "bool")
        enable_multi_host = Field(27, "bool")
        backend_server_port = Field(28, "int32")
        target_tpu = Field(29, "bool")
        target_gpu = Field(30, "bool")
        stream_merge_threshold = Field(31, "int32")
        tfrt_use_ifrt = Field(32, "bool")
        finalize_function_library_runtime = Field(33, "bool")
        finalize_resource_manager = Field(34, "bool")
        tf2xla_dump_dir = Field(35, "string")
        online_cost_analysis = Field(36, "bool")

    device_count = MapField(1, "string", "int32")
    intra_op_parallelism_threads = Field(2, "int32")
    placement_period = Field(3, "int32")
    device_filters = Field(4, "string", repeated=True)
    inter_op_parallelism_threads = Field(5, "int32")
    gpu_options = Field(6, GPUOptions)
    allow_soft_placement = Field(7, "bool")
    log_device_placement = Field(8, "bool")
    use_per_session_threads = Field(9, "bool")
    graph_options = Field(10, GraphOptions)
    operation_timeout_in_ms = Field(11, "int64")
    session_inter_op_thread_pool = Field(12, ThreadPoolOptionProto, repeated=True)
    cluster_def = Field(14, ClusterDef)
    isolate_session_state = Field(15, "bool")
    experimental = Field(16, Experimental)
    share_cluster_devices_in_session = Field(17, "bool")
    pluggable_device_options = Field(18, GPUOptions)


class RunOptions(Message):
    """Options of one `Session.run`.

    `trace_level` above NO_TRACE fills the RunMetadata's step_stats, `output_partition_graphs`
    its partition_graphs; the rest is accepted.
    """

    TraceLevel = Enum(NO_TRACE=0, SOFTWARE_TRACE=1, HARDWARE_TRACE=2, FULL_TRACE=3)

    class Experimental(Message):
        """RunOptions' experimental settings."""

        class RunHandlerPoolOptions(Message):
            """The run handler pool's options."""

            priority = Field(1, "int64")

        collective_graph_key = Field(1, "int64")
        use_run_handler_pool = Field(2, "bool")
        run_handler_pool_options = Field(3, RunHandlerPoolOptions)

    trace_level = Field(1, TraceLevel)
    timeout_in_ms = Field(2, "int64")
    inter_op_thread_pool = Field(3, "int32")
    output_partition_graphs = Field(5, "bool")
    report_tensor_allocations_upon_oom = Field(7, "bool")
    experimental = Field(8, Experimental)


class CostGraphDef(Message):
    """A cost model of the graph (empty: minitf builds none)."""


class RunMetadata(Message):
    """What a traced `Session.run` reports.

    Its `step_stats` (trace_level above NO_TRACE) and `partition_graphs`
    (output_partition_graphs); see minitf/plan_tracing.py.
    """

    class FunctionGraphs(Message):
        """The graphs of one function."""

        partition_graphs = Field(1, GraphDef, repeated=True)
        pre_optimization_graph = Field(2, GraphDef)
        post_optimization_graph = Field(3, GraphDef)

    step_stats = Field(1, StepStats)
    cost_graph = Field(2, CostGraphDef)
    partition_graphs = Field(3, GraphDef, repeated=True)
    function_graphs = Field(4, FunctionGraphs, repeated=True)
    session_metadata = Field(5, SessionMetadata)
