"""One framework's side of the benchmark's cases, run by path under its interpreter:

    python worker.py cython|python|tensorflow [--quick]

It writes one JSON line {"kind", "version", "quick"}, then answers each command it reads with
one JSON line:

    case NAME   build the case in a fresh graph (the last one's closed) and size its blocks:
                {"built": true} or {"built": false, "missing": what the framework lacks}
    time        one timed block of the case and one of its NumPy floor, if it has one:
                [ns per call, floor ns per call or null]
    rest        the series and the memory per variable: {"series", "bytes_per_variable"}

The benchmark keeps the cython, python and tensorflow workers waiting on their pipes and asks
them in turn, so their blocks alternate and a ratio of two of them is not moved by the
machine's load drifting between them. The worker is run as a script by path, so under
TensorFlow's interpreter it imports no minitf at all; the minitf backends are picked by
MINITF_PURE_PYTHON in its environment.
"""
import gc
import json
import os
import sys
import time
import tracemalloc

if __package__:  # imported as minitf.benchmark.worker
    from minitf.benchmark import cases, floors
else:  # run by path, also under TensorFlow's interpreter, which has no minitf
    import cases
    import floors


def load_tf(kind):
    if kind == "tensorflow":
        # TF1's RNN cells live in tf-keras under TF 2.16+ (Keras 3 has none): use it if present
        os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
        import tensorflow

        tf = tensorflow.compat.v1
        tf.disable_v2_behavior()
        return tf, tensorflow.__version__
    import minitf

    if minitf.kernel_backend() != kind:
        raise SystemExit(f"asked for the {kind} kernels but minitf runs {minitf.kernel_backend()}")
    return minitf, minitf.kernel_backend()


def _time(step, n):
    start = time.perf_counter()
    for _ in range(n):
        step()
    return time.perf_counter() - start


def _calibrate(step, target):
    """Calls per timed block so one block lasts at least `target` s."""
    step()
    n, elapsed = 1, _time(step, 1)
    while elapsed < target:
        n = max(2 * n, int(n * target / max(elapsed, 1e-9) * 1.1))
        elapsed = _time(step, n)
    return n


def progress(kind, what):
    print(f"[{kind}] {what}", file=sys.stderr, flush=True)


class Case:
    """One case built in its own graph, with its floor (when it has one), ready to time."""

    def __init__(self, tf, kind, name, target):
        gc.collect()  # free the graphs of earlier cases: a big heap slows every later GC pass
        self.graph = tf.Graph().as_default()
        self.graph.__enter__()
        self.step = self.floor = None
        try:
            self.step = dict(cases.CASES)[name](tf)
        except cases.Unavailable:
            self.close()
            raise
        self.calls = _calibrate(self.step, target)
        if kind != "tensorflow" and name in cases.FLOORS:
            function, args = cases.FLOORS[name]
            self.floor = getattr(floors, function)(*args)
            self.floor_calls = _calibrate(self.floor, target)

    def time(self):
        """[ns per call of one block of the step, of one block of the floor or None]"""
        ns = _time(self.step, self.calls) / self.calls * 1e9
        if self.floor is None:
            return [ns, None]
        return [ns, _time(self.floor, self.floor_calls) / self.floor_calls * 1e9]

    def close(self):
        if self.step is not None:
            getattr(self.step, "close", lambda: None)()
        self.graph.__exit__(None, None, None)


def run_series(tf, kind, quick, limit):
    out = {}
    for name, make, sizes in cases.SERIES:
        out[name] = {}
        for n in sizes:
            if quick and n > sizes[1] or n > limit and name not in cases.UNBOUNDED:
                continue
            progress(kind, f"{name} n={n}")
            gc.collect()
            run = make(tf, n)
            out[name][str(n)] = (_series_point(run, 1 if quick else 3)
                                 / getattr(run, "items", n) * 1e9)
            getattr(run, "close", lambda: None)()
    return out


def _series_point(run, repeats, budget=3.0):
    """The fastest of up to `repeats` runs, fewer when they would take over `budget` s (TF's
    quadratic sizes)."""
    times = [_time(run, 1)]
    while len(times) < repeats and sum(times) * (len(times) + 1) / len(times) <= budget:
        gc.collect()
        times.append(_time(run, 1))
    return min(times)


def variable_memory(tf, n):
    """Bytes of Python heap per variable of shape [1], over n variables in one graph."""
    with tf.Graph().as_default():
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for i in range(n):
            tf.get_variable(f"v{i}", [1])
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
    return (after - before) / n


def serve(kind, quick, channel, commands):
    tf, version = load_tf(kind)
    target = 0.01 if quick else 0.2
    _send(channel, {"kind": kind, "version": version, "quick": quick})
    case = None
    try:
        for line in commands:
            command, _, name = line.strip().partition(" ")
            if case is not None and command != "time":  # (the series make graphs of their own)
                case.close()
                case = None
            if command == "case":
                progress(kind, name)
                try:
                    case = Case(tf, kind, name, target)
                    _send(channel, {"built": True})
                except cases.Unavailable as missing:
                    progress(kind, f"{name}: skipped, {kind} has no {missing}")
                    _send(channel, {"built": False, "missing": str(missing)})
            elif command == "time":
                _send(channel, case.time())
            elif command == "rest":
                _send(channel, rest(tf, kind, quick))
            else:
                break
    finally:
        if case is not None:
            case.close()


def rest(tf, kind, quick):
    out = {"series": run_series(tf, kind, quick, 16000 if kind == "tensorflow" else 64000)}
    if kind != "tensorflow":
        progress(kind, "memory of 100k variables")
        out["bytes_per_variable"] = variable_memory(tf, 10000 if quick else 100000)
    return out


def _send(channel, value):
    channel.write(json.dumps(value) + "\n")
    channel.flush()


def main(argv):
    # the answers go to the original stdout; anything a framework prints goes to stderr
    channel = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    serve(argv[0], "--quick" in argv, channel, sys.stdin)


if __name__ == "__main__":
    main(sys.argv[1:])
