"""A step's StepStats as a Chrome trace (TF's tensorflow/python/client/timeline.py): open the
JSON in chrome://tracing or Perfetto to see when each op ran.

>>> x = tf.placeholder(tf.float32, [2], name="x")
>>> y = tf.square(x, name="y")
>>> md = tf.RunMetadata()
>>> with tf.Session() as sess:
...     _ = sess.run(y, {x: [1.0, 2.0]}, options=tf.RunOptions(trace_level=3), run_metadata=md)
>>> import json
>>> from minitf import timeline
>>> trace = json.loads(timeline.Timeline(md.step_stats).generate_chrome_trace_format())
>>> sorted(e["args"]["name"] for e in trace["traceEvents"] if e["ph"] == "X")
['_SOURCE', '_arg_x_0_0', '_retval_y_0_0', 'y']

The trace has a process ("pid") per device for its ops ("<device> Compute") and one for its
tensors ("<device> Tensors"), after one for the allocators. Each op is an "X" event named by
its op type, in the lane ("tid") of its device where it does not overlap another op, with args
`name`, `op` and `input0`, `input1`, ...; with `show_dataflow`, an "s"/"t" flow event pair
joins each tensor's producer to a consumer in another lane; with `show_memory`, each output
tensor's life is an object ("N", "O", "D" events) and each allocator's bytes in use a counter.
"""
import collections
import json
import re

__all__ = ["Timeline", "StepStatsAnalysis", "AllocationMaximum"]

AllocationMaximum = collections.namedtuple("AllocationMaximum",
                                           ("timestamp", "num_bytes", "tensors"))
AllocationMaximum.__doc__ = """An allocator's peak: when (micros), its bytes, the tensors live."""

StepStatsAnalysis = collections.namedtuple("StepStatsAnalysis",
                                           ("chrome_trace", "allocator_maximums"))
StepStatsAnalysis.__doc__ = """A Timeline's analysis: its trace and allocators' peaks.

`chrome_trace` has `format_to_string(pretty=False)`; `allocator_maximums` maps each allocator's
name to its AllocationMaximum.
"""

_LABEL = re.compile(r"(.*) = (.*)\((.*)\)")


class _ChromeTrace:
    """The events of a trace, metadata first; `format_to_string` writes its JSON."""

    def __init__(self):
        self.metadata, self.events = [], []

    def process(self, name, pid):
        self.metadata.append({"name": "process_name", "ph": "M", "pid": pid,
                              "args": {"name": name}})

    def event(self, ph, category, name, pid, tid, ts, **extra):
        self.events.append({"ph": ph, "cat": category, "name": name, "pid": pid, "tid": tid,
                            "ts": ts, **extra})

    def format_to_string(self, pretty=False):
        """Returns the trace as JSON: `{"traceEvents": [...]}` (indented if `pretty`)."""
        trace = {"traceEvents": self.metadata + self.events}
        if pretty:
            return json.dumps(trace, indent=4, separators=(",", ": "))
        return json.dumps(trace, separators=(",", ":"))


class _Tensor:
    __slots__ = ("name", "object_id", "pid", "created", "allocator", "num_bytes", "unrefs")

    def __init__(self, name, object_id, pid, created, allocator, num_bytes):
        self.name, self.object_id, self.pid, self.created = name, object_id, pid, created
        self.allocator, self.num_bytes, self.unrefs = allocator, num_bytes, []


def _parse_label(label):
    """(node name, op type, input names) of a label `name = Op(a, b)`."""
    match = _LABEL.match(label)
    if match is None:
        return "unknown", "unknown", []
    name, op, inputs = match.groups()
    return name, op, inputs.split(", ") if inputs else []


class Timeline:
    """Turns a step's StepStats into a Chrome trace (TF's `timeline.Timeline`).

    Args:
      step_stats: a StepStats (a traced run's `run_metadata.step_stats`).
      graph: accepted for TF's signature (unused, as in TF).
    """

    def __init__(self, step_stats, graph=None):
        self._step_stats, self._graph = step_stats, graph

    def analyze_step_stats(self, show_dataflow=True, show_memory=True, op_time="schedule"):
        """Builds the trace and finds each allocator's peak.

        Args:
          show_dataflow: add flow events from each tensor's producer to its consumers.
          show_memory: add the tensors' lives as objects and the allocators' counters.
          op_time: accepted for TF's signature: "schedule", "gpu" or "all" differ only for GPU
            kernel streams, which minitf's step stats have none of; ops are shown as scheduled.

        Returns:
          A StepStatsAnalysis (`chrome_trace`, `allocator_maximums`).
        """
        trace, tensors, flows = _ChromeTrace(), {}, {}
        trace.process("Allocators", 0)
        pids = {}
        for i, dev in enumerate(self._step_stats.dev_stats):
            pids[dev.device] = (2 * i + 1, 2 * i + 2)
            trace.process(dev.device + " Compute", 2 * i + 1)
            trace.process(dev.device + " Tensors", 2 * i + 2)
        lanes = {id(ns): tid for dev in self._step_stats.dev_stats
                 for ns, tid in zip(dev.node_stats, _lanes(dev.node_stats))}
        for dev in self._step_stats.dev_stats:
            _outputs(trace, dev, pids[dev.device], lanes, tensors, flows, show_memory)
        next_flow = 0
        for dev in self._step_stats.dev_stats:
            next_flow = _compute(trace, dev, pids[dev.device][0], lanes, tensors, flows,
                                 show_dataflow, next_flow)
        maximums = _memory(trace, tensors) if show_memory else {}
        return StepStatsAnalysis(chrome_trace=trace, allocator_maximums=maximums)

    def generate_chrome_trace_format(self, show_dataflow=True, show_memory=False,
                                     op_time="schedule"):
        """Returns the trace in Chrome Trace Format: indented JSON with "traceEvents".

        Args:
          show_dataflow: add flow events from each tensor's producer to its consumers.
          show_memory: add the tensors' lives as objects and the allocators' counters.
          op_time: accepted for TF's signature (see `analyze_step_stats`).
        """
        analysis = self.analyze_step_stats(show_dataflow, show_memory, op_time)
        return analysis.chrome_trace.format_to_string(pretty=True)


def _lanes(node_stats):
    """Each node's lane: the first whose last node ended before it starts (TF's rule)."""
    ends, out = [0], []
    for ns in node_stats:
        start = ns.all_start_micros
        lane = next((i for i, end in enumerate(ends) if start > end), len(ends))
        if lane == len(ends):
            ends.append(0)
        ends[lane] = start + ns.all_end_rel_micros
        out.append(lane)
    return out


def _is_stream(device):
    return "/stream:" in device or "/memcpy" in device


def _outputs(trace, dev, pids, lanes, tensors, flows, show_memory):
    compute_pid, tensors_pid = pids
    for ns in dev.node_stats:
        tid, start = lanes[id(ns)], ns.all_start_micros
        end = start + ns.all_end_rel_micros
        for index, output in enumerate(ns.output):
            name = f"{ns.node_name}:{index}" if index else ns.node_name
            alloc = output.tensor_description.allocation_description
            tensor = _Tensor(name, len(tensors), tensors_pid, start, alloc.allocator_name,
                             alloc.requested_bytes)
            tensor.unrefs.append(end)
            tensors[name] = tensor
            flows[name] = (end, compute_pid, tid)
            if show_memory:
                trace.event("N", "Tensor", name, tensors_pid, tid, start, id=tensor.object_id)
                desc = str(output.tensor_description).replace('"', "")
                trace.event("O", "Tensor", name, tensors_pid, tid, end - 1, id=tensor.object_id,
                            args={"snapshot": {"tensor_description": desc}})


def _compute(trace, dev, pid, lanes, tensors, flows, show_dataflow, next_flow):
    stream = _is_stream(dev.device)
    for ns in dev.node_stats:
        tid, start = lanes[id(ns)], ns.all_start_micros
        end = start + ns.all_end_rel_micros
        name, inputs = ns.node_name, []
        if stream:  # a GPU kernel: "retval (args) detail @@node#..."
            at, hash_ = ns.timeline_label.find("@@"), ns.timeline_label.find("#")
            if at >= 0 and hash_ > at + 2:
                name = ns.timeline_label[at + 2:hash_]
            name, op = (name.split(":") + ["unknown"])[:2]
        elif name == "RecvTensor":
            op = "RecvTensor"
        else:
            _, op, inputs = _parse_label(ns.timeline_label)
        args = {"name": name, "op": op, **{f"input{i}": n for i, n in enumerate(inputs)}}
        trace.event("X", "Op", op, pid, tid, start, dur=ns.all_end_rel_micros, args=args)
        for input_name in inputs:
            cut = input_name.rfind("/_")  # (a Send/Recv pair's: the producer's name)
            if input_name not in tensors and cut > 0:
                input_name = input_name[:cut]
            tensor = tensors.get(input_name)
            if tensor is None:
                continue
            tensor.unrefs.append(end - 1)
            made, made_pid, made_tid = flows[input_name]
            if show_dataflow and (made_pid, made_tid) != (pid, tid):
                trace.event("s", "DataFlow", input_name, made_pid, made_tid, made, id=next_flow)
                trace.event("t", "DataFlow", input_name, pid, tid, start, id=next_flow)
                next_flow += 1
    return next_flow


def _memory(trace, tensors):
    by_allocator = collections.defaultdict(list)
    for name, tensor in tensors.items():
        last = max(tensor.unrefs)
        trace.event("D", "Tensor", name, tensor.pid, 0, last, id=tensor.object_id)
        by_allocator[tensor.allocator].append((tensor.created, tensor.num_bytes, name))
        by_allocator[tensor.allocator].append((last, -tensor.num_bytes, name))
    maximums = {}
    for allocator, changes in by_allocator.items():
        total, live = 0, set()
        peak = AllocationMaximum(timestamp=0, num_bytes=0, tensors=set())
        for time, num_bytes, name in sorted(changes):
            total += num_bytes
            (live.discard if num_bytes < 0 else live.add)(name)
            if total > peak.num_bytes:
                peak = AllocationMaximum(timestamp=time, num_bytes=total, tensors=set(live))
            trace.event("C", "Memory", allocator, 0, 0, time, args={allocator: total})
        maximums[allocator] = peak
    return maximums
