"""The built artifacts, installed as a newcomer installs them (issue 13): the wheel holds every
module and compiled kernel, the sdist every file a build and its checks need, the build prints no
warning, and from an sdist installed in a fresh venv every submodule imports and the benchmark and
every example run.

These build and install minitf several times (about three minutes, packages from the index), so
they run only with `pytest --run-dist` (CI does); they need PyPA's `build` (`pip install build`).
"""
import os
import pathlib
import re
import subprocess
import sys
import tarfile
import venv
import zipfile
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.dist

ROOT = pathlib.Path(__file__).resolve().parent.parent
# the examples that need an extra the plain install lacks (tests/test_horovod.py runs it)
NEEDS_EXTRA = {"horovod_spirals.py": "mpi"}
EXAMPLES = sorted(p.name for p in (ROOT / "examples").glob("*.py") if p.name not in NEEDS_EXTRA)
KERNELS = sorted(p.stem for p in (ROOT / "csrc").glob("*.pyx"))


def _files(folder, pattern):
    return [p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob(pattern)
            if p.is_file() and "__pycache__" not in p.parts]


MODULES = sorted(_files("minitf", "*.py"))


def _newcomer_env(**extra):
    """This environment as a newcomer's shell has it: no minitf switches, no PYTHONPATH, and
    bytecode allowed (PYTHONDONTWRITEBYTECODE makes setuptools warn that it skips compiling)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINITF_")
           and k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
    return {**env, **extra}


def _run(args, **kwargs):
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="session")
def dist(tmp_path_factory):
    """`python -m build`: an sdist, then a wheel built from that sdist, and the build's output."""
    out = tmp_path_factory.mktemp("dist")
    done = _run([sys.executable, "-m", "build", "--outdir", out, ROOT], env=_newcomer_env())
    (wheel,), (sdist,) = out.glob("*.whl"), out.glob("*.tar.gz")
    return SimpleNamespace(wheel=wheel, sdist=sdist, log=done.stdout + done.stderr)


@pytest.fixture(scope="session")
def installed(dist, tmp_path_factory):
    """A fresh venv with the sdist installed by pip (so built from it); its python."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=True)
    python = home / "bin" / "python"
    _run([python, "-m", "pip", "install", "-q", dist.sdist], env=_newcomer_env())
    return python


def test_build_prints_no_warning(dist):
    warnings = [line for line in dist.log.splitlines() if re.search("warn", line, re.I)]
    assert warnings == []


def test_wheel_holds_every_module_kernel_and_the_license(dist):
    names = set(zipfile.ZipFile(dist.wheel).namelist())
    assert [m for m in MODULES if m not in names] == []
    built = {re.sub(r"\..*", "", n.rsplit("/", 1)[1]) for n in names
             if n.startswith("minitf/_ext/") and n.endswith((".so", ".pyd"))}
    assert built == set(KERNELS)
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not [n for n in names if not n.startswith(("minitf/", "minitf-"))]


def test_sdist_holds_what_a_build_and_its_checks_need(dist):
    with tarfile.open(dist.sdist) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    needed = (MODULES + _files("csrc", "*.pyx") + _files("csrc", "*.pxi") + _files("csrc", "*.h")
              + _files("tests", "*")
              + _files("examples", "*.py") + _files("tools", "*.py")
              + ["setup.py", "pyproject.toml", "README.md", "MANIFEST.in", "LICENSE"])
    assert sorted(n for n in needed if n not in names) == []
    assert [n for n in names if n.endswith((".so", ".c", ".pyc"))] == []


def test_every_submodule_imports_from_the_installed_sdist(installed, tmp_path):
    probe = ("import importlib, pkgutil, minitf\n"
             "print(minitf.kernel_backend(), minitf.__file__)\n"
             "for m in pkgutil.walk_packages(minitf.__path__, 'minitf.'):\n"
             "    if not m.name.endswith('.__main__'):  # importing it runs it\n"
             "        print(importlib.import_module(m.name).__name__)\n")
    done = _run([installed, "-c", probe], cwd=tmp_path,
                env=_newcomer_env(MINITF_REQUIRE_EXT="1", PYTHONWARNINGS="error"))
    first, *imported = done.stdout.split("\n")[:-1]
    backend, location = first.split()
    assert backend == "cython"
    assert location.startswith(str(installed.parent.parent)) and "site-packages" in location
    expected = [m[:-len(".py")].replace("/", ".").removesuffix(".__init__") for m in MODULES
                if not m.endswith("/__main__.py")] + [f"minitf._ext.{k}" for k in KERNELS]
    assert sorted(imported + ["minitf"]) == sorted(expected)


def test_quick_benchmark_runs_from_the_installed_sdist(installed, tmp_path):
    done = _run([installed, "-m", "minitf.benchmark", "--quick"], cwd=tmp_path,
                env=_newcomer_env(MINITF_REQUIRE_EXT="1"))
    assert "minitf benchmark: cython (cython), python (python)" in done.stdout
    assert "targets:" in done.stdout and "memory per variable" in done.stdout


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_runs_from_the_installed_sdist(installed, example, tmp_path):
    # by absolute path from another directory: neither sys.path[0] (examples/) nor the working
    # directory holds the source tree's minitf, so the installed one runs (and must be built)
    done = _run([installed, ROOT / "examples" / example], cwd=tmp_path,
                env=_newcomer_env(MINITF_REQUIRE_EXT="1"))
    assert done.stderr == ""
    if example == "mlp_spirals.py":
        accuracy = float(re.search(r"^training accuracy ([\d.]+)", done.stdout, re.M).group(1))
        assert accuracy >= 0.95


@pytest.mark.parametrize("example, extra", sorted(NEEDS_EXTRA.items()))
def test_an_example_needing_an_extra_names_it_when_it_is_missing(installed, example, extra,
                                                                  tmp_path):
    done = subprocess.run([str(installed), str(ROOT / "examples" / example)], cwd=tmp_path,
                          capture_output=True, text=True, env=_newcomer_env())
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"pip install 'minitf[{extra}]'" in done.stderr.splitlines()[-1]
