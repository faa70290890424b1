"""`python -m minitf.benchmark`: scope, variable and training-step costs of minitf (Cython
kernels and pure-Python twins), side by side with other frameworks when asked.

    python -m minitf.benchmark [--quick] [--json OUT] [--backend cython|python|both]
                               [--against numpy,tensorflow,torch,jax] [--threads N]
                               [--tf-python PATH] [--torch-python PATH] [--jax-python PATH]

Each backend runs in its own process (benchmark/worker.py) on the same case code; this process
has them time their blocks of each case in turn (so a ratio of two of them is not moved by the
machine's load drifting), collects the results, prints the tables and checks the targets.
`--against` also times the three MLP training steps in each listed framework that is installed,
each in its own process under its own interpreter (benchmark/compare.py); with tensorflow,
every case also runs under TF.
Every process gets the same BLAS / intra-op thread count (`--threads`) in its environment.
"""
import argparse
import json
import os
import pathlib
import sys

from minitf.benchmark import cases, compare
from minitf.benchmark.peer_steps import thread_environment
from minitf.benchmark.report import render

WORKER = pathlib.Path(__file__).with_name("worker.py")


def worker_env(kind, threads):
    """This process's environment with `threads` everywhere and `kind`'s minitf backend."""
    env = dict(os.environ)
    env.pop("MINITF_PURE_PYTHON", None)
    if kind == "python":
        env["MINITF_PURE_PYTHON"] = "1"
    env.update(thread_environment(threads))
    return env


class Worker(compare.Served):
    """One backend's worker.py process, waiting on its pipe for commands."""

    def __init__(self, kind, python, quick, threads):
        args = [str(WORKER), kind] + (["--quick"] if quick else [])
        super().__init__(kind, python, args, worker_env(kind, threads))
        self.result = {**self.ask(), "cases": {}}
        if kind != "tensorflow":
            self.result["floors"] = {}


def run_workers(specs, quick, threads=1):
    """{kind: {"kind", "version", "quick", "cases", "floors" (minitf's), "series",
    "bytes_per_variable" (minitf's)}} of the workers `specs`, [(kind, its interpreter)]: every
    case's blocks alternate between the workers, round by round in a rotated order, and each
    figure is the fastest block (as timeit advises: slower blocks are other processes'
    interference)."""
    repeats = 3 if quick else 5
    workers = []
    try:
        for kind, python in specs:
            workers.append(Worker(kind, python, quick, threads))
        for name, _ in cases.CASES:
            built = [w for w in workers if w.ask(f"case {name}")["built"]]
            samples = {w.kind: [] for w in built}
            for r in range(repeats):
                for w in compare.rotated(built, r):
                    samples[w.kind].append(w.ask("time"))
            for w in workers:
                times = samples.get(w.kind)
                w.result["cases"][name] = min(t for t, _ in times) if times else None
                if times and times[0][1] is not None:
                    w.result["floors"][name] = min(f for _, f in times)
        for w in workers:
            w.result.update(w.ask("rest"))
    finally:
        for w in workers:
            w.close()
    return {w.kind: w.result for w in workers}


def _against(text):
    try:
        return compare.parse_against(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m minitf.benchmark",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs, small series")
    parser.add_argument("--json", metavar="OUT", help="also write the results as JSON")
    parser.add_argument("--against", type=_against, default=[], metavar="LIST",
                        help="frameworks to compare with, a comma list of numpy, tensorflow, "
                             "torch, jax")
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS / intra-op threads of every framework (default 1)")
    for kind, flag in compare.FLAGS.items():
        parser.add_argument(flag, default=sys.executable,
                            help=f"the Python that imports {kind} (default: this one)")
    parser.add_argument("--backend", choices=["cython", "python", "both"], default="both")
    args = parser.parse_args(argv)
    if args.threads < 1:
        parser.error("--threads must be at least 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    kinds = ["cython", "python"] if args.backend == "both" else [args.backend]
    pythons = {"numpy": sys.executable, "tensorflow": args.tf_python,
               "torch": args.torch_python, "jax": args.jax_python}
    env = worker_env("peers", args.threads)
    available = [k for k in args.against if compare.importable(k, pythons[k], env)]
    specs = [(kind, sys.executable) for kind in kinds]
    if "tensorflow" in available:
        specs.append(("tensorflow", args.tf_python))
    elif "tensorflow" not in args.against:
        print("TensorFlow column skipped (run with --against tensorflow to add it).",
              file=sys.stderr)
    results = run_workers(specs, args.quick, args.threads)
    if args.against:
        workers = {"minitf": (sys.executable, worker_env(kinds[0], args.threads))}
        workers.update((k, (pythons[k], env)) for k in available)
        results["peers"] = compare.compare(workers, args.threads, args.quick)
    print(render(results))
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
