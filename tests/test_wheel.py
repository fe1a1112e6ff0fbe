"""The package as a user installs it: ``pip install .`` (not editable) into a fresh virtual environment.

One module-scoped fixture does the expensive part once (slow: marked in ``conftest.py``):

1. build the wheel (``pip wheel --no-deps``, build isolation on) from a copy of the build inputs
   (:data:`BUILD_INPUTS`) in ``tmp_path`` — so that the build writes no ``build/`` or ``*.egg-info``
   into the checkout, where another test session or engineer may be building at the same time, and
   carries nothing stale from an earlier ``build/``;
2. ``python -m venv`` and ``pip install`` the wheel into it, dependencies from the package index.
   Two honest shortcuts, measured: the venv is made ``--without-pip`` and this environment's pip
   installs into it (``pip --python VENV/bin/python``; saves ensurepip, some 5 s), and ``--no-compile``
   leaves the byte-compiling of some hundred packages to the imports that need it (measured: the
   install 24 → 8 s, the run 4 → 10 s). What is installed is what a user's ``pip install`` installs;
3. from a folder outside the checkout, that environment's ``inventory run`` on one region-year of
   the small data folder of ``tests/pipeline_data.py``.

``pytest -s tests/test_wheel.py`` prints the time of each step.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from pipeline_data import ROOT, write_data

import inventory.resources as resources

#: what ``pip wheel`` reads from the checkout (pyproject.toml, setup.py and what they name)
BUILD_INPUTS = ("pyproject.toml", "setup.py", "README.md", "LICENSE", "inventory", "notebooks", "templates")
#: never copied: build products and caches (``inventory/_shipped`` only ever exists in a build)
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "_shipped", "*.egg-info")
WHEEL_TIMEOUT = 300


def _shipped_sources() -> dict[str, bytes]:
    """Path inside the wheel → content, of every notebook and template file the wheel must carry."""
    files = {f"inventory/_shipped/notebooks/{p.name}": p.read_bytes() for p in (ROOT / "notebooks").glob("*.ipynb")}
    for path in (ROOT / "templates").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts and ".ipynb_checkpoints" not in path.parts:
            files[f"inventory/_shipped/{path.relative_to(ROOT).as_posix()}"] = path.read_bytes()
    return files


def _clean_env(venv: Path) -> dict[str, str]:
    """The environment of a user who has activated ``venv`` and nothing else of this checkout."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSAFEPATH", "PYTHONSTARTUP"}}
    env["PATH"] = str(venv / "bin") + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = str(venv)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, float]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=WHEEL_TIMEOUT)
    return done, time.perf_counter() - start


def _check(done: subprocess.CompletedProcess, what: str) -> None:
    assert done.returncode == 0, f"{what} failed ({done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("wheel")
    assert not base.resolve().is_relative_to(ROOT), "tmp_path is inside the checkout"
    times: dict[str, float] = {}

    source = base / "source"
    source.mkdir()
    for name in BUILD_INPUTS:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=IGNORED)
        else:
            shutil.copy2(path, source / name)
    dist = base / "dist"
    done, times["wheel build"] = _run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--quiet",
                                       "-w", str(dist)], cwd=source, env=_clean_env(Path(sys.prefix)))
    _check(done, "pip wheel")
    wheels = sorted(dist.glob("*.whl"))
    assert len(wheels) == 1, wheels

    venv = base / "venv"
    done, times["venv"] = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=base)
    _check(done, "python -m venv")
    python = venv / "bin" / "python"
    env = _clean_env(venv)
    done, times["pip install"] = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                                       "--no-compile", str(wheels[0])], cwd=base, env=env)
    _check(done, "pip install of the wheel")

    outside = base / "elsewhere"  # the user's working folder, nowhere near the checkout
    data = write_data(outside / "data")
    out = outside / "out"
    done, times["inventory run"] = _run(
        [str(venv / "bin" / "inventory"), "run", "--data", str(data), "--out", str(out), "--regions", "430523",
         "--years", "2021", "--sectors", "energy", "--jobs", "1", "--quiet"], cwd=outside, env=env)

    probe, _ = _run([str(python), "-c", "import json, inventory.resources as r; print(json.dumps({"
                     "'package': str(r.PACKAGE), 'root': str(r.source_root()), 'notebooks': str(r.notebooks_dir()),"
                     "'templates': str(r.templates_dir())}))"], cwd=outside, env=env)
    _check(probe, "import inventory.resources in the fresh environment")
    print("\n" + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in times.items()))
    return {"wheel": wheels[0], "venv": venv, "out": out, "run": done, "times": times,
            "resources": json.loads(probe.stdout)}


def test_wheel_carries_the_notebooks_and_templates(installed):
    with zipfile.ZipFile(installed["wheel"]) as wheel:
        names = set(wheel.namelist())
        expected = _shipped_sources()
        assert any(name.endswith("/energy.ipynb") for name in expected)
        assert any(name.startswith("inventory/_shipped/templates/report/") for name in expected)
        for name, content in expected.items():
            assert name in names, f"{name} is not in the wheel"
            assert wheel.read(name) == content, f"{name} in the wheel differs from the checkout's"
        assert not [n for n in names if n.startswith(("notebooks/", "templates/"))], "top-level folders in the wheel"


def test_wheel_runs_one_region_year(installed):
    _check(installed["run"], "inventory run from the installed wheel")
    out = installed["out"]
    with (out / "emissions.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows, "emissions.csv has no rows"
    assert {(r["region"], r["year"]) for r in rows} == {("430523", "2021")}
    assert (out / "reports" / "430523" / "2021" / "energy.html").is_file()
    assert (out / "reports" / "index.html").is_file()


def test_installed_package_uses_its_shipped_copies(installed):
    found = installed["resources"]
    package = Path(found["package"])
    assert package.is_relative_to(installed["venv"]), f"inventory imported from {package}, not the fresh venv"
    assert not (package.parent / "notebooks").exists(), "a notebooks/ folder beside the installed package"
    assert found["root"] == "None"
    assert Path(found["notebooks"]) == package / "_shipped" / "notebooks"
    assert (Path(found["notebooks"]) / "energy.ipynb").is_file()
    assert Path(found["templates"]) == package / "_shipped" / "templates"


def test_checkout_uses_its_top_level_folders():
    """The editable install (``make setup``) reads the checkout's folders, never copies of them."""
    assert resources.source_root() == ROOT
    assert resources.notebooks_dir() == ROOT / "notebooks"
    assert resources.templates_dir() == ROOT / "templates"
    assert not (ROOT / "inventory" / "_shipped").exists(), "copies in the checkout: setup.py copied outside a build"
