"""Traced runs: a `Session.run` given `RunOptions(trace_level=...)` above NO_TRACE fills its
RunMetadata's `step_stats` as TF's does (one DeviceStepStats for the CPU, a NodeExecStats per
executed node), and with `output_partition_graphs=True` its `partition_graphs`.

A traced run uses a plan of its own, compiled once per (fetches, feeds) beside the untraced one
(which it leaves as it is: an untraced run pays nothing for tracing). It is unfused, so each
op's kernel is its own call, timed by a wrapper that records (node, start, end, outputs' shapes)
with time.perf_counter_ns. Ops that run no kernel in a plan (a forwarding Identity, a NoOp, a
constant folded at compile time) and feeds get a line that records them with zero duration,
so every node TF would list is listed, under TF's names: a feed is TF's `_Arg` node
`_arg_<op>_<output>_<i>` and a fetched tensor its `_Retval` node `_retval_<op>_<output>_<i>`
(i counting the feeds, or the fetched tensors, in name order), after a `_SOURCE` NoOp.

The ops inside a cond branch or a loop body run as part of their If or While op, and are timed
as part of it. A variable read at several uses is listed once, at its first read.
"""
import threading
import time

import numpy as np

from minitf.framework.config_pb import RunOptions, StepStats
from minitf.framework.ops import Operation, Tensor
from minitf.plan import compile_plan

DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"

_NO_TRACE = RunOptions.NO_TRACE


def wants_trace(options):
    """Whether `options` (a RunOptions) asks for anything a traced run reports."""
    return options.trace_level > _NO_TRACE or options.output_partition_graphs


class Trace:
    """What a traced plan's lines record, in run order: (node, start ns, end ns, outputs), the
    node an Operation (or a fed Tensor), each output (shape, bytes) of an array, else None."""

    __slots__ = ("records",)

    def __init__(self):
        self.records = []

    def timed(self, kernel, op):
        """`kernel` wrapped to record each call as one of `op`'s runs."""
        records, clock, many = self.records, time.perf_counter_ns, op._opdef.outputs != 1

        def timed_kernel(*args):
            start = clock()
            out = kernel(*args)
            end = clock()
            records.append((op, start, end, _described(out if many else (out,))))
            return out
        return timed_kernel

    def marker(self, node):
        """A function recording a zero-length run of `node`, its arguments as the outputs."""
        records, clock = self.records, time.perf_counter_ns

        def mark(*values):
            now = clock()
            records.append((node, now, now, _described(values)))
        return mark


def _described(values):
    if values is None:
        return ()
    try:
        return [(v.shape, v.nbytes) if isinstance(v, (np.ndarray, np.generic)) else None
                for v in values]
    except TypeError:  # (a kernel returning one object for its outputs)
        return ()


class TracedPlan:
    """A traced plan: `run(feed values, options, run_metadata)` returns what the untraced plan
    would and fills `run_metadata` (when not None) as `options` ask."""

    __slots__ = ("_plan", "_trace", "_targets", "_fed", "_lock", "_graphs")

    def __init__(self, state, targets, fed, rebuild):
        self._trace = Trace()
        self._plan = compile_plan(state, targets, fed, rebuild, self._trace)
        self._targets, self._fed = targets, list(fed)
        self._lock = threading.Lock()  # (the records of one run at a time)
        self._graphs = None

    def run(self, feed_values, options, run_metadata):
        with self._lock:
            records = self._trace.records
            wall, origin = time.time_ns(), time.perf_counter_ns()
            try:
                results = self._plan.run(feed_values)
                end = time.perf_counter_ns()
                run = list(records)
            finally:
                records.clear()  # (no run keeps another's records)
        if run_metadata is not None:
            if options.trace_level > _NO_TRACE:
                stats = StepStats()
                self._fill(stats.dev_stats.add(device=DEVICE), run,
                           lambda ns: (wall + ns - origin) // 1000, origin, end)
                run_metadata.step_stats.MergeFrom(stats)
            if options.output_partition_graphs:
                run_metadata.partition_graphs.add().CopyFrom(self._partition_graph())
        return results

    def _fill(self, device, records, micros, origin, end):
        args = _arg_names(self._fed)
        _add_node(device, "_SOURCE", "NoOp", [], micros(origin), 0, [], ())
        seen, used = set(), set()
        for node, _, _, _ in records:
            if isinstance(node, Operation):
                used.update(node._inputs)
        for node, start, stop, outputs in records:
            if node in seen or (isinstance(node, Tensor) and node not in used):
                continue  # (a variable's later reads; a feed no op uses: TF prunes it)
            seen.add(node)
            if isinstance(node, Tensor):
                _add_node(device, args[node], "_Arg", [], micros(start), 0, [node], outputs)
                continue
            inputs = [args.get(t) or _input_name(t) for t in node._inputs]
            inputs.extend("^" + c.name for c in node._control_inputs)
            _add_node(device, node.name, node.type, inputs, micros(start),
                      (stop - start) // 1000, node._outputs, outputs)
        for i, t in enumerate(self._fetched()):
            _add_node(device, _retval_name(t, i), "_Retval", [_input_name(t)], micros(end), 0,
                      [], ())

    def _partition_graph(self):
        if self._graphs is None:  # (the same ops at every run of the plan)
            self._graphs = _partition_graph(self._plan.ops, self._fed, self._fetched())
        return self._graphs

    def _fetched(self):
        return sorted({t for t in self._targets if isinstance(t, Tensor) and t not in self._fed},
                      key=lambda t: t.name)


def _partition_graph(plan_ops, fed, fetched):
    """The GraphDef of the ops a plan runs, with TF's _Arg node for each feed they use and
    _Retval node for each fetched tensor."""
    from minitf.framework.graph_pb import GraphDef, NodeDef
    from minitf.framework.graph_to_def import PRODUCER, node_defs

    graph, ops = GraphDef(), []
    graph.versions.producer = PRODUCER
    for op in plan_ops:
        if op not in ops and not all(t in fed for t in op._outputs):
            ops.append(op)
    args = _arg_names(fed)
    renamed = {_input_name(t): name for t, name in args.items()}
    used = {t for op in ops for t in op._inputs}
    nodes = [_frame_node(NodeDef, name, "_Arg", t, i, [])
             for i, (t, name) in enumerate(args.items()) if t in used]
    taken = {op.name for op in ops}
    for op in ops:
        for node in node_defs(op, taken=taken):
            inputs = [renamed.get(name, name) for name in node.input]
            del node.input[:]
            node.input.extend(inputs)
            nodes.append(node)
    nodes.extend(_frame_node(NodeDef, _retval_name(t, i), "_Retval", t, i, [_input_name(t)])
                 for i, t in enumerate(fetched))
    for node in nodes:
        node.device = DEVICE
        graph.node.add().CopyFrom(node)
    return graph


def _frame_node(node_def, name, op_type, tensor, index, inputs):
    node = node_def(name=name, op=op_type, input=inputs)
    node.attr["T"].type = tensor.dtype.base_dtype.as_datatype_enum
    node.attr["index"].i = index
    return node


def _retval_name(t, i):
    return f"_retval_{t._op.name}_{t._value_index}_{i}"


def _arg_names(fed):
    ordered = sorted(fed, key=lambda t: t.name)
    return {t: f"_arg_{t._op.name}_{t._value_index}_{i}" for i, t in enumerate(ordered)}


def _input_name(t):
    return t._op.name if t._value_index == 0 else f"{t._op.name}:{t._value_index}"


def _add_node(device, name, op_type, inputs, start, duration, tensors, outputs):
    stats = device.node_stats.add(
        node_name=name, all_start_micros=start, op_start_rel_micros=0,
        op_end_rel_micros=duration, all_end_rel_micros=duration, scheduled_micros=start,
        timeline_label=f"{name} = {op_type}({', '.join(inputs)})")
    for slot, (tensor, out) in enumerate(zip(tensors, outputs)):
        desc = stats.output.add(slot=slot).tensor_description
        desc.dtype = tensor.dtype.base_dtype.as_datatype_enum
        if out is not None:
            shape, nbytes = out
            for size in shape:
                desc.shape.dim.add(size=size)
            desc.allocation_description.requested_bytes = nbytes
            desc.allocation_description.allocator_name = "cpu"
