"""The API coverage table (README.md, API_COVERAGE.md) is what tools/api_coverage.py computes
from the code now, so it cannot drift (issue 17)."""
import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("api_coverage", ROOT / "tools" / "api_coverage.py")
api_coverage = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(api_coverage)


def test_the_coverage_files_are_current():
    cov = api_coverage.coverage()
    assert api_coverage.DETAIL.read_text() == api_coverage.detail(cov), (
        "API_COVERAGE.md is out of date: run python tools/api_coverage.py")
    readme = api_coverage.README.read_text()
    assert readme == api_coverage.readme_text(cov, readme), (
        "README.md's coverage table is out of date: run python tools/api_coverage.py")


def test_a_name_counts_when_minitf_has_it_and_scope_is_by_topic():
    rows = {name: (had, out) for name, had, out in api_coverage.coverage()["top"]}
    assert rows["variable_scope"] == (True, False)
    assert rows["make_template"] == (True, False)
    assert rows["decode_csv"] == (False, True) and rows["FIFOQueue"][1]
    assert rows["sparse_segment_sum"][1] is False  # a dense op, despite its name
    assert rows["string"] == (True, False)  # the dtype
