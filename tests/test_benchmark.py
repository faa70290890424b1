"""The benchmark runs in --quick mode and reports every case (no timing assertions here)."""
import json
import subprocess
import sys

import numpy as np
import pytest

import minitf as tf
from minitf.benchmark import cases, floors
from minitf.benchmark.report import TARGETS


def test_quick_benchmark_produces_every_case_and_target(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "minitf.benchmark", "--quick", "--json",
                           str(out)], capture_output=True, text=True, check=True)
    results = json.loads(out.read_text())
    assert set(results) == {"cython", "python"} or set(results) == {"python"}
    for kind, result in results.items():
        assert list(result["cases"]) == [name for name, _ in cases.CASES]
        assert all(ns > 0 for ns in result["cases"].values())
        assert set(result["series"]) == {name for name, _, _ in cases.SERIES}
        assert set(result["floors"]) == set(cases.FLOORS)
        assert result["bytes_per_variable"] > 0
    for name, _ in cases.CASES:
        assert name in done.stdout
    assert done.stdout.count("n/a ") == sum(kind == "tf" for _, _, (kind, _) in TARGETS)
    assert "TensorFlow column skipped" in done.stderr


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
