"""`python -m minitf.benchmark`: scope, variable and training-step costs of minitf (Cython
kernels and pure-Python twins), side by side with other frameworks when asked.

    python -m minitf.benchmark [--quick] [--json OUT] [--backend cython|python|both]
                               [--against numpy,tensorflow,torch,jax] [--threads N]
                               [--tf-python PATH] [--torch-python PATH] [--jax-python PATH]

Each backend runs in its own process (benchmark/worker.py) on the same case code; this process
collects their JSON, prints the tables and checks the targets. `--against` also times the three
MLP training steps in each listed framework that is installed, each in its own process under
its own interpreter (benchmark/compare.py); with tensorflow, every case also runs under TF.
Every process gets the same BLAS / intra-op thread count (`--threads`) in its environment.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys

from minitf.benchmark import compare
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


def run_worker(kind, python, quick, threads=1):
    args = [python, str(WORKER), kind] + (["--quick"] if quick else [])
    done = subprocess.run(args, env=worker_env(kind, threads), stdout=subprocess.PIPE, text=True)
    if done.returncode:
        raise SystemExit(f"the {kind} benchmark worker failed (exit {done.returncode})")
    return json.loads(done.stdout)


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
    results = {kind: run_worker(kind, sys.executable, args.quick, args.threads)
               for kind in kinds}
    pythons = {"numpy": sys.executable, "tensorflow": args.tf_python,
               "torch": args.torch_python, "jax": args.jax_python}
    env = worker_env("peers", args.threads)
    available = [k for k in args.against if compare.importable(k, pythons[k], env)]
    if "tensorflow" in available:
        results["tensorflow"] = run_worker("tensorflow", args.tf_python, args.quick, args.threads)
    elif "tensorflow" not in args.against:
        print("TensorFlow column skipped (run with --against tensorflow to add it).",
              file=sys.stderr)
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
