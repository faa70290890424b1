"""The benchmark runs in --quick mode and reports every case (no timing assertions here)."""
import io
import json
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import minitf as tf
from minitf.benchmark import (
    __main__ as bench,
    cases,
    compare,
    floors,
    peer_steps,
    peers,
    report,
    worker,
)
from minitf.benchmark.report import TARGETS


@pytest.fixture
def no_python(tmp_path):
    """A fake interpreter that can import nothing (the skipped frameworks' path)."""
    path = tmp_path / "no-python"
    path.write_text('#!/bin/sh\necho "ModuleNotFoundError: No module named $3" >&2\nexit 1\n')
    path.chmod(0o755)
    return str(path)


def test_quick_benchmark_produces_every_case_target_and_peer(tmp_path, no_python):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "minitf.benchmark", "--quick", "--json",
                           str(out), "--against", "numpy,tensorflow,torch,jax",
                           "--tf-python", no_python, "--torch-python", no_python,
                           "--jax-python", no_python],
                          capture_output=True, text=True, check=True)
    results = json.loads(out.read_text())
    assert set(results) - {"peers"} in ({"cython", "python"}, {"python"})
    for kind, result in results.items():
        if kind == "peers":
            continue
        assert list(result["cases"]) == [name for name, _ in cases.CASES]
        assert all(ns > 0 for ns in result["cases"].values())
        assert set(result["series"]) == {name for name, _, _ in cases.SERIES}
        assert set(result["floors"]) == set(cases.FLOORS)
        assert result["bytes_per_variable"] > 0
    for name, _ in cases.CASES:
        assert name in done.stdout
    for module in ("tensorflow", "torch", "jax"):
        assert f"{module} is not importable by {no_python}: skipping its column" in done.stderr
    peer_results = results["peers"]
    assert (peer_results["threads"], list(peer_results["frameworks"])) == (1, ["minitf", "numpy"])
    for framework in peer_results["frameworks"].values():
        assert list(framework["steps"]) == [name for name, _, _ in cases.PEER_STEPS]
        assert all(s["ns"] > 0 and len(s["samples"]) == peer_results["repeats"]
                   for s in framework["steps"].values())
    assert "against the peers: minitf 0.1.0 " in done.stdout
    # TF's targets and the peer targets of the frameworks that were skipped are unmeasured
    skipped = sum(kind == "tf" for _, _, (kind, _) in TARGETS) + 3 + 2
    assert done.stdout.count("n/a ") == skipped


def fake_workers(specs, quick, threads=1):
    return {kind: {"kind": kind, "version": kind, "quick": quick, "cases": {}, "series": {}}
            for kind, _ in specs}


def test_without_against_there_are_no_peers(monkeypatch, capsys):
    monkeypatch.setattr(bench, "run_workers", fake_workers)
    monkeypatch.setattr(bench, "render", lambda results: "")
    results = bench.main(["--backend", "cython"])
    assert set(results) == {"cython"}
    assert "TensorFlow column skipped" in capsys.readouterr().err


def test_against_tensorflow_alone_still_adds_its_column(monkeypatch, no_python):
    calls = []
    monkeypatch.setattr(bench, "run_workers",
                        lambda *args: calls.append(args) or fake_workers(*args))
    monkeypatch.setattr(bench, "render", lambda results: "")
    monkeypatch.setattr(compare, "importable", lambda kind, python, env: True)
    monkeypatch.setattr(compare, "compare", lambda workers, threads, quick: (
        {kind: python for kind, (python, _) in workers.items()}, threads, quick))
    results = bench.main(["--backend", "cython", "--against", "tensorflow", "--threads", "2",
                          "--tf-python", no_python])
    assert calls == [([("cython", sys.executable), ("tensorflow", no_python)], False, 2)]
    assert results["peers"] == ({"minitf": sys.executable, "tensorflow": no_python}, 2, False)


def test_a_case_worker_answers_each_command_with_one_line():
    channel = io.StringIO()
    worker.serve("cython" if tf.kernel_backend() == "cython" else "python", True, channel,
                 iter(["case Graph.unique_name\n", "time\n", "time\n",
                       "case tiny MLP 8-16-2 train step\n", "time\n", "\n", "time\n"]))
    hello, built, first, second, built_mlp, mlp = [
        json.loads(line) for line in channel.getvalue().splitlines()]
    assert (hello["kind"], hello["quick"]) == (tf.kernel_backend(), True)
    assert built == built_mlp == {"built": True}
    assert first[0] > 0 and second[0] > 0 and first[1] is second[1] is None  # (no floor)
    assert mlp[0] > 0 and mlp[1] > 0  # (the step and its NumPy floor; then the empty line ends)


def test_workers_blocks_alternate_and_their_fastest_is_kept(monkeypatch):
    asked = []

    class FakeWorker:
        def __init__(self, kind, python, quick, threads):
            self.kind, self.result, self.times = kind, {"cases": {}, "floors": {}}, iter(
                [[5.0, None], [3.0, None], [4.0, None]] * len(cases.CASES))

        def ask(self, command):
            asked.append((self.kind, command))
            if command.startswith("case"):
                return {"built": self.kind == "cython" or "MLP" not in command}
            return next(self.times) if command == "time" else {"series": {}}

        def close(self):
            asked.append((self.kind, "closed"))

    monkeypatch.setattr(bench, "Worker", FakeWorker)
    results = bench.run_workers([("cython", "py"), ("tensorflow", "tfpy")], quick=True)
    assert results["cython"]["cases"]["Graph.unique_name"] == 3.0
    assert results["tensorflow"]["cases"]["MLP 64-128-10 train step"] is None
    first = asked.index(("cython", "case Graph.unique_name"))
    assert asked[first:first + 8] == [
        ("cython", "case Graph.unique_name"), ("tensorflow", "case Graph.unique_name"),
        ("cython", "time"), ("tensorflow", "time"), ("tensorflow", "time"), ("cython", "time"),
        ("cython", "time"), ("tensorflow", "time")]
    assert asked[-4:] == [("cython", "rest"), ("tensorflow", "rest"), ("cython", "closed"),
                          ("tensorflow", "closed")]


@pytest.mark.parametrize("text, kinds", [("tensorflow", ["tensorflow"]),
                                         ("jax, numpy,jax", ["jax", "numpy"]),
                                         ("numpy,tensorflow,torch,jax",
                                          ["numpy", "tensorflow", "torch", "jax"])])
def test_against_is_a_comma_list(text, kinds):
    assert bench.parse_args(["--against", text]).against == kinds


@pytest.mark.parametrize("text", ["mxnet", "numpy,minitf", ","])
def test_against_rejects_unknown_frameworks(text, capsys):
    with pytest.raises(SystemExit):
        bench.parse_args(["--against", text])
    error = capsys.readouterr().err
    assert "--against takes a comma list of numpy, tensorflow, torch, jax" in error


def test_every_worker_gets_the_same_threads_before_its_imports():
    env = peer_steps.thread_environment(1)
    assert {k: env[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                "TF_NUM_INTRAOP_THREADS", cases.THREADS_VARIABLE)} == dict.fromkeys(
        ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "TF_NUM_INTRAOP_THREADS",
         cases.THREADS_VARIABLE), "1")
    assert env["XLA_FLAGS"] == "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
    assert peer_steps.thread_environment(2)["XLA_FLAGS"] == (
        "--xla_cpu_multi_thread_eigen=true intra_op_parallelism_threads=2")
    python_env = bench.worker_env("python", 3)
    assert (python_env["MINITF_PURE_PYTHON"], python_env["OPENBLAS_NUM_THREADS"]) == ("1", "3")
    assert "MINITF_PURE_PYTHON" not in bench.worker_env("cython", 3)


def test_a_peer_worker_answers_one_timed_block_per_line():
    channel = io.StringIO()
    names = [name for name, _, _ in cases.PEER_STEPS]
    peers.serve("numpy", 1, 1e-4, channel, iter([names[0] + "\n", names[2] + "\n", "\n",
                                                  names[1] + "\n"]))
    ready, first, second = [json.loads(line) for line in channel.getvalue().splitlines()]
    assert (ready["kind"], ready["version"], list(ready["calls"])) == ("numpy", np.__version__,
                                                                        names)
    assert all(calls >= 1 for calls in ready["calls"].values())
    assert first > 0 and second > 0  # (an empty line ends the session: no third answer)


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity here")
def test_only_a_peer_workers_own_process_is_kept_on_its_cpus():
    before = os.sched_getaffinity(0)
    peers.serve("numpy", 1, 1e-4, io.StringIO(), iter(["\n"]))  # (in this process: not pinned)
    assert os.sched_getaffinity(0) == before
    script = ("import os, sys; sys.argv = ['peers.py', 'numpy', '--threads', '1']; "
              f"sys.path.insert(0, {str(pathlib.Path(peers.__file__).parent)!r}); "
              "import peers; peers.pin(1); print(len(os.sched_getaffinity(0)))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "1", done.stderr


def test_the_peer_table_gives_times_and_ratios_to_minitf():
    def steps(*ns):
        return {"steps": {name: {"ns": t} for (name, _, _), t in zip(cases.PEER_STEPS, ns)}}
    peer_results = {"threads": 1, "repeats": 7, "block_seconds": 0.2, "frameworks": {
        "minitf": {"version": "0.1.0 cython", **steps(50e3, 100e3, 1.6e6)},
        "numpy": {"version": "2.4.6", **steps(20e3, 150e3, 1.6e6)},
        "tensorflow": {"version": "2.21.0", **steps(230e3, 250e3, 1.5e6)}}}
    table = report.peers_table(peer_results)
    assert "NumPy by hand 2.4.6, TF graph 2.21.0; 1 thread each; the fastest of 7 " in table
    assert table.splitlines()[-3].split() == ["tiny", "MLP", "8-16-2", "train", "step", "50",
                                              "µs", "20", "µs", "(0.40x)", "230", "µs",
                                              "(4.60x)"]
    checks = report.check_peer_targets(peer_results)
    assert [(what, measured, ok) for _, what, measured, ok in checks] == [
        ("NumPy by hand / minitf >= 1x", "0.40x", False),
        ("NumPy by hand / minitf >= 1x", "1.50x", True),
        ("NumPy by hand / minitf >= 1x", "1.00x", True),
        ("JAX jit / minitf >= 1x", "-", None), ("JAX jit / minitf >= 1x", "-", None),
        ("JAX jit / minitf >= 1x", "-", None),
        ("TF graph / minitf >= 3x", "4.60x", True), ("TF graph / minitf >= 3x", "2.50x", False)]


@pytest.mark.parametrize("name", sorted(cases.FLOORS))
def test_each_numpy_floor_trains_the_weights_its_case_trains(name):
    """A floor is the same step by hand: after three steps its weights equal minitf's."""
    function, args = cases.FLOORS[name]
    make = dict(cases.CASES)[name]
    with tf.Graph().as_default():
        step, floor = make(tf), getattr(floors, function)(*args)
        for _ in range(3):
            step()
            floor()
        trained = step.session.run(tf.trainable_variables())
    assert [v.shape for v in trained] == [p.shape for p in floor.params]
    for value, param in zip(trained, floor.params):
        np.testing.assert_allclose(value, param, rtol=1e-5, atol=1e-6)


@pytest.fixture(scope="module")
def minitf_trained():
    return peers.trained("minitf", 1, 3)


@pytest.mark.parametrize("kind", ["numpy", "torch", "jax", "tensorflow"])
def test_each_peer_trains_the_weights_minitf_trains(kind, minitf_trained):
    """Three steps of each peer's MLPs, in its own interpreter (MINITF_BENCH_<KIND>_PYTHON,
    default this one; skipped when it cannot import the framework), end where minitf's do."""
    python = os.environ.get(f"MINITF_BENCH_{kind.upper()}_PYTHON", sys.executable)
    env = {**os.environ, **peer_steps.thread_environment(1)}
    if subprocess.run([python, "-c", f"import {kind}"], env=env, capture_output=True).returncode:
        pytest.skip(f"{kind} is not importable by {python}")
    done = subprocess.run([python, str(compare.PEERS), kind, "--trained", "3"], env=env,
                          stdout=subprocess.PIPE, text=True, check=True)
    theirs = json.loads(done.stdout)
    assert list(theirs) == list(minitf_trained) == [name for name, _, _ in cases.PEER_STEPS]
    for name, weights in minitf_trained.items():
        assert [np.shape(w) for w in theirs[name]] == [np.shape(w) for w in weights]
        for mine, their in zip(weights, theirs[name]):
            np.testing.assert_allclose(their, mine, rtol=1e-5, atol=1e-6)
