"""`tf.test`: TestCase, main, the gradient checker, and what this build has (no GPU)."""
import os
import time
import unittest
from unittest import mock

from minitf.gradient_checker import compute_gradient, compute_gradient_error
from minitf.test_util import TestCase, get_temp_dir

__all__ = ["TestCase", "main", "get_temp_dir", "is_gpu_available", "gpu_device_name",
           "is_built_with_cuda", "is_built_with_gpu_support", "is_built_with_rocm",
           "is_built_with_xla", "compute_gradient", "compute_gradient_error", "Benchmark",
           "mock", "test_src_dir_path"]


def main(argv=None):
    """Runs the tests of the `__main__` module (unittest.main).

    Args:
      argv: the command line (default: sys.argv).
    """
    return unittest.main(argv=argv)


def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    """Returns False: minitf runs on the CPU.

    Args:
      cuda_only: accepted for TF's signature.
      min_cuda_compute_capability: accepted for TF's signature.
    """
    return False


def gpu_device_name():
    """Returns '': there is no GPU device."""
    return ""


def is_built_with_cuda():
    """Returns False: minitf is not built with CUDA."""
    return False


def is_built_with_gpu_support():
    """Returns False: minitf has no GPU support."""
    return False


def is_built_with_rocm():
    """Returns False: minitf is not built with ROCm."""
    return False


def is_built_with_xla():
    """Returns False: minitf does not compile with XLA."""
    return False


def test_src_dir_path(relative_path):
    """Returns a path under the directory of the minitf package.

    Args:
      relative_path: the path relative to the package.
    """
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), relative_path)


class Benchmark:
    """A benchmark: `run_op_benchmark` times `sess.run`, `report_benchmark` records a result.

    The results are kept in `reported`, one dict per report.
    """

    def __init__(self):
        self.reported = []

    def report_benchmark(self, iters=None, cpu_time=None, wall_time=None, throughput=None,
                         extras=None, name=None, metrics=None):
        """Records one benchmark result.

        Args:
          iters: the number of iterations.
          cpu_time: the CPU seconds per iteration.
          wall_time: the wall seconds per iteration.
          throughput: the throughput (MB/s).
          extras: a dict of more values.
          name: the benchmark's name (default: the class's).
          metrics: a list of metric dicts.
        """
        self.reported.append({"iters": iters, "cpu_time": cpu_time, "wall_time": wall_time,
                              "throughput": throughput, "extras": extras or {},
                              "name": name or type(self).__name__, "metrics": metrics or []})

    def run_op_benchmark(self, sess, op_or_tensor, feed_dict=None, burn_iters=2, min_iters=10,
                         store_trace=False, store_memory_usage=True, name=None, extras=None,
                         mbs=0):
        """Runs `op_or_tensor` `burn_iters` times, then times `min_iters` runs.

        Args:
          sess: the session to run in.
          op_or_tensor: what to run.
          feed_dict: the feeds of each run.
          burn_iters: the untimed runs first.
          min_iters: the timed runs.
          store_trace: accepted for TF's signature.
          store_memory_usage: accepted for TF's signature.
          name: the benchmark's name.
          extras: a dict of more values to report.
          mbs: the megabytes each run processes, for the throughput.

        Returns:
          {"iters", "wall_time" (the median seconds per run), "extras", "name"}, plus
          "throughput" (MB/s) when `mbs` is given; the same is reported.
        """
        for _ in range(burn_iters):
            sess.run(op_or_tensor, feed_dict=feed_dict)
        deltas = []
        for _ in range(min_iters):
            start = time.perf_counter()
            sess.run(op_or_tensor, feed_dict=feed_dict)
            deltas.append(time.perf_counter() - start)
        median = sorted(deltas)[len(deltas) // 2] if deltas else 0.0
        result = {"iters": min_iters, "wall_time": median, "extras": extras or {},
                  "name": name}
        if mbs and median:
            result["throughput"] = mbs / median
        self.report_benchmark(iters=min_iters, wall_time=median, extras=extras, name=name,
                              throughput=result.get("throughput"))
        return result
