"""Runs every benchmark case under one `tf` and prints the results as JSON on stdout.

    python worker.py cython|python|tensorflow [--quick]

It is run as a script by path, so under TensorFlow's interpreter it imports no minitf at all;
the minitf backends are picked by MINITF_PURE_PYTHON in its environment.
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


def measure(step, target, repeats):
    """ns per call: the fastest of `repeats` blocks of calls, each lasting `target` s. The
    minimum, as timeit advises: slower blocks are other processes' interference, not minitf."""
    n = _calibrate(step, target)
    return min(_time(step, n) / n for _ in range(repeats)) * 1e9


def measure_pair(step, floor, target, repeats):
    """(ns per call of `step`, of `floor`): their blocks alternate, so a ratio of the two is
    not moved by the machine's speed drifting between one measurement and the other."""
    n, m = _calibrate(step, target), _calibrate(floor, target)
    times = [(_time(step, n) / n, _time(floor, m) / m) for _ in range(repeats)]
    return min(t for t, _ in times) * 1e9, min(f for _, f in times) * 1e9


def progress(kind, what):
    print(f"[{kind}] {what}", file=sys.stderr, flush=True)


def run_cases(tf, kind, target, repeats, floor_times=None):
    """ns per call of every case (None when `tf` cannot build it); with `floor_times` (a
    dict), also each training case's NumPy floor, timed in blocks alternating with the case's."""
    out = {}
    for name, make in cases.CASES:
        progress(kind, name)
        gc.collect()  # free the graphs of earlier cases: a big heap slows every later GC pass
        with tf.Graph().as_default():
            try:
                step = make(tf)
            except cases.Unavailable as missing:
                progress(kind, f"{name}: skipped, {kind} has no {missing}")
                out[name] = None
                continue
            if floor_times is not None and name in cases.FLOORS:
                function, args = cases.FLOORS[name]
                floor = getattr(floors, function)(*args)
                out[name], floor_times[name] = measure_pair(step, floor, target, repeats)
            else:
                out[name] = measure(step, target, repeats)
            getattr(step, "close", lambda: None)()
    return out


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


def main(argv):
    kind, quick = argv[0], "--quick" in argv
    tf, version = load_tf(kind)
    target, repeats = (0.01, 3) if quick else (0.2, 5)
    floor_times = None if kind == "tensorflow" else {}
    result = {"kind": kind, "version": version, "quick": quick,
              "cases": run_cases(tf, kind, target, repeats, floor_times),
              "series": run_series(tf, kind, quick, 16000 if kind == "tensorflow" else 64000)}
    if kind != "tensorflow":
        result["floors"] = floor_times
        progress(kind, "memory of 100k variables")
        result["bytes_per_variable"] = variable_memory(tf, 10000 if quick else 100000)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
