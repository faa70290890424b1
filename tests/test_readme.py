"""The README cannot lie (issue 13): its Python blocks print what their comments show, its
set-up commands are the ones CI runs, and the main job's output it shows is what the job prints."""
import ast
import importlib.util
import io
import pathlib
import re
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("readme", ROOT / "tools" / "readme.py")
readme = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(readme)

TEXT = readme.README.read_text()
PYTHON_BLOCKS = readme.blocks(TEXT, "python")


def expectations(source):
    """Maps each print statement's (first, last) line to the output its comment shows: the
    comment at the end of its last line, else the comment lines right below it."""
    notes, lines = readme.comments(source), source.splitlines()
    shown = {}
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "id", None) == "print"):
            continue
        below = node.end_lineno + 1
        expected = [notes[node.end_lineno]] if node.end_lineno in notes else []
        while not expected and below <= len(lines) and lines[below - 1].lstrip().startswith("#"):
            expected.append(notes[below])
            below += 1
        shown[(node.lineno, node.end_lineno)] = "\n".join(expected)
    return shown


def run_printing(source, name):
    """Runs `source`; returns what each line's print calls printed, by line number."""
    printed = {}

    def record(*args, **kwargs):
        out = io.StringIO()
        print(*args, **{**kwargs, "file": out})
        line = sys._getframe(1).f_lineno
        printed[line] = printed.get(line, "") + out.getvalue()

    exec(compile(source, name, "exec"), {"__name__": "__main__", "print": record})
    return printed


def test_readme_has_python_blocks_and_every_print_shows_its_output():
    assert len(PYTHON_BLOCKS) >= 2
    for source in PYTHON_BLOCKS:
        shown = expectations(source)
        assert shown, f"a README block that prints nothing checks nothing:\n{source}"
        assert all(shown.values()), f"a print without the output it gives:\n{source}"


@pytest.mark.parametrize("index", range(len(PYTHON_BLOCKS)))
def test_readme_python_block_prints_what_its_comments_show(index, monkeypatch):
    monkeypatch.chdir(ROOT)  # the blocks name files as a reader at the repository root would
    source = PYTHON_BLOCKS[index]
    printed = run_printing(source, f"README.md python block {index + 1}")
    for (first, last), expected in expectations(source).items():
        got = "".join(text for line, text in printed.items() if first <= line <= last)
        assert got.rstrip("\n") == expected, f"README block {index + 1}, line {first}"


def test_setup_commands_are_the_main_job_then_the_tests():
    main_job, tests = readme.setup_commands(TEXT)
    assert main_job == "pip install . && python examples/mlp_spirals.py"
    assert tests.startswith('pip install -e ".[test]" && ')
    assert "MINITF_PURE_PYTHON=1 pytest" in tests


def test_setup_commands_refuse_a_readme_that_lost_one():
    text = TEXT.replace("```bash\npip install . &&", "```\npip install . &&")
    with pytest.raises(ValueError, match="exactly two one-line bash blocks"):
        readme.setup_commands(text)
    with pytest.raises(ValueError, match="no '## Set up' section"):
        readme.setup_commands(TEXT.replace("## Set up", "## Setting up"))


def test_ci_runs_the_readme_commands_through_tools_readme():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "tools/readme.py setup 1" in ci and "tools/readme.py setup 2" in ci


def test_expectations_read_trailing_and_following_comments():
    source = 'print(1)  # 1\nprint("a")\n# a\nx = 2  # not an output\nprint(x,\n      x)  # 2 2\n'
    assert expectations(source) == {(1, 1): "1", (2, 2): "a", (5, 6): "2 2"}


def _step_lines(text):
    return [tuple(float(v) for v in m.groups()) for m in
            re.finditer(r"^step +(\d+) +loss ([\d.]+) +accuracy ([\d.]+)$", text, re.M)]


def test_main_job_output_shown_is_what_it_prints(capsys):
    shown = next(block for block in readme.blocks(TEXT, "") if block.startswith("step "))
    spec = importlib.util.spec_from_file_location("mlp_spirals", ROOT / "examples" /
                                                  "mlp_spirals.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    accuracy = example.main()
    printed = capsys.readouterr().out
    assert len(_step_lines(printed)) == len(_step_lines(shown)) == 10
    # another CPU's BLAS may round differently; 2000 SGD steps keep the curve within these
    for (step, loss, acc), (step2, loss2, acc2) in zip(_step_lines(printed), _step_lines(shown)):
        assert step == step2 and abs(loss - loss2) < 5e-3 and abs(acc - acc2) < 0.015
    final = re.search(r"^training accuracy ([\d.]+) in [\d.]+ s; largest kernel column norm "
                      r"([\d.]+) \(max-norm 3\.0\)$", shown, re.M)
    assert final and abs(float(final.group(1)) - accuracy) < 0.015
    assert f"largest kernel column norm {final.group(2)}" in printed
