"""The benchmark runs in --quick mode and reports every case (no timing assertions here)."""
import json
import subprocess
import sys

from minitf.benchmark import cases
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
