"""`python -m minitf.benchmark`: scope, variable and training-step costs of minitf (Cython
kernels and pure-Python twins), side by side with TensorFlow's compat.v1 when asked.

    python -m minitf.benchmark [--quick] [--json OUT] [--against tensorflow]
                               [--tf-python PATH] [--backend cython|python|both]

Each backend runs in its own process (benchmark/worker.py) on the same case code; this process
collects their JSON, prints the table and checks the targets.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys

from minitf.benchmark.report import render

WORKER = pathlib.Path(__file__).with_name("worker.py")


def run_worker(kind, python, quick):
    env = dict(os.environ)
    env.pop("MINITF_PURE_PYTHON", None)
    if kind == "python":
        env["MINITF_PURE_PYTHON"] = "1"
    args = [python, str(WORKER), kind] + (["--quick"] if quick else [])
    done = subprocess.run(args, env=env, stdout=subprocess.PIPE, text=True)
    if done.returncode:
        raise SystemExit(f"the {kind} benchmark worker failed (exit {done.returncode})")
    return json.loads(done.stdout)


def tensorflow_python(path):
    """The interpreter that can import tensorflow, or None (with the reason printed)."""
    check = subprocess.run([path, "-c", "import tensorflow"], capture_output=True, text=True)
    if check.returncode:
        print(f"TensorFlow is not importable by {path}: skipping its column "
              f"(pass --tf-python with an interpreter that has it).", file=sys.stderr)
        return None
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m minitf.benchmark",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs, small series")
    parser.add_argument("--json", metavar="OUT", help="also write the results as JSON")
    parser.add_argument("--against", choices=["tensorflow"], help="add TensorFlow's column")
    parser.add_argument("--tf-python", default=sys.executable,
                        help="the Python that imports tensorflow (default: this one)")
    parser.add_argument("--backend", choices=["cython", "python", "both"], default="both")
    args = parser.parse_args(argv)
    kinds = ["cython", "python"] if args.backend == "both" else [args.backend]
    results = {kind: run_worker(kind, sys.executable, args.quick) for kind in kinds}
    if args.against == "tensorflow":
        tf_python = tensorflow_python(args.tf_python)
        if tf_python:
            results["tensorflow"] = run_worker("tensorflow", tf_python, args.quick)
    else:
        print("TensorFlow column skipped (run with --against tensorflow to add it).",
              file=sys.stderr)
    print(render(results))
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
