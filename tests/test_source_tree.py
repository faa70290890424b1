"""Importing minitf from a checkout whose kernels are not built says which directory was
imported and what to do (issue 13), as NumPy does for its source tree."""
import os
import shutil
import subprocess
import sys

import pytest

import minitf

PACKAGE = os.path.dirname(os.path.abspath(minitf.__file__))
PROBE = "import minitf; print(minitf.__file__); print(minitf.kernel_backend())"


@pytest.fixture
def checkout(tmp_path):
    """A copy of minitf's source tree (package, csrc/, setup.py) with no compiled kernels."""
    root = tmp_path / "checkout"
    shutil.copytree(PACKAGE, root / "minitf",
                    ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__"))
    (root / "csrc").mkdir()
    (root / "csrc" / "scopes.pyx").write_text("# stands for the kernels' sources\n")
    (root / "setup.py").write_text("# stands for the build script\n")
    return root


def run_in(directory, pythonpath=None, **env):
    """Runs PROBE with `directory` as the working directory (first on sys.path)."""
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith("MINITF_") and k != "PYTHONPATH"}
    environ.update(env, **({"PYTHONPATH": str(pythonpath)} if pythonpath else {}))
    return subprocess.run([sys.executable, "-c", PROBE], cwd=directory, env=environ,
                          capture_output=True, text=True)


def one_line(text):
    return " ".join(text.split())


def test_source_tree_import_names_the_directory_and_how_to_build(checkout):
    done = run_in(checkout)
    assert done.returncode == 0, done.stderr
    imported, backend = done.stdout.split()
    assert imported == str(checkout / "minitf" / "__init__.py") and backend == "python"
    message = one_line(done.stderr)
    assert "RuntimeWarning" in message and message.count("minitf was imported") == 1
    assert f"minitf was imported from its source tree {checkout / 'minitf'}" in message
    assert "compiled kernels are not built" in message and "`pip install -e .`" in message
    assert f"a directory other than {checkout}" in message
    assert "MINITF_PURE_PYTHON=1 selects the pure-Python kernels" in message


def test_source_tree_import_names_the_installed_minitf_it_shadows(checkout, tmp_path):
    site = tmp_path / "site"
    (site / "minitf").mkdir(parents=True)
    (site / "minitf" / "__init__.py").write_text("")
    message = one_line(run_in(checkout, pythonpath=site).stderr)
    assert f"An installed minitf is at {site / 'minitf'}" in message
    assert f"run Python from a directory other than {checkout} to use it" in message


def test_source_tree_import_with_require_ext_is_an_import_error(checkout):
    done = run_in(checkout, MINITF_REQUIRE_EXT="1")
    assert done.returncode == 1 and "ImportError: minitf was imported from its source tree" in (
        one_line(done.stderr))
    assert "MINITF_REQUIRE_EXT=1 makes this an error" in one_line(done.stderr)


def test_source_tree_import_is_silent_with_pure_python(checkout):
    done = run_in(checkout, MINITF_PURE_PYTHON="1")
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.split()[1] == "python"


def test_an_installed_package_without_kernels_says_reinstall(checkout):
    os.remove(checkout / "setup.py")  # no build files beside it: an installed package
    message = one_line(run_in(checkout).stderr)
    assert f"compiled kernels unavailable in {checkout / 'minitf'}" in message
    assert "Reinstall with `pip install .`" in message and "source tree" not in message
