"""Build hook only: every piece of metadata is in ``pyproject.toml``.

A built wheel (``pip install .``, ``pip wheel .``) carries copies of the top-level ``notebooks/*.ipynb``
and ``templates/**`` inside the package, as ``inventory/_shipped/notebooks`` and
``inventory/_shipped/templates``, where :mod:`inventory.resources` looks for them once the package
is installed. The copies are made into the build folder at build time and never committed
(``inventory/_shipped/`` is ignored). An editable install (``pip install -e .``, ``make setup``) copies
nothing: it keeps using the top-level folders of the checkout.

The sdist carries the top-level folders too, so that a wheel built from it has the same copies.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
SHIPPED = ("inventory", "_shipped")


def _shipped_files() -> list[tuple[Path, Path]]:
    """(source, path relative to ``inventory/_shipped``) of every file a wheel carries."""
    pairs = [(path, Path("notebooks") / path.name) for path in sorted((ROOT / "notebooks").glob("*.ipynb"))]
    for path in sorted((ROOT / "templates").rglob("*")):
        relative = path.relative_to(ROOT)
        if path.is_file() and not {"__pycache__", ".ipynb_checkpoints"} & set(relative.parts):
            pairs.append((path, relative))
    if not any(rel.parts[0] == "notebooks" for _, rel in pairs):
        raise SystemExit(f"setup.py: no notebooks/*.ipynb under {ROOT}: nothing to ship")
    return pairs


class build_py_shipped(build_py):  # noqa: N801 - setuptools command naming
    """``build_py`` that also copies the notebooks and templates into ``inventory/_shipped``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the editable install reads the checkout's top-level folders
        target = Path(self.build_lib, *SHIPPED)
        shutil.rmtree(target, ignore_errors=True)  # no stale copies from an earlier build in build/
        for source, relative in _shipped_files():
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if not getattr(self, "editable_mode", False):
            target = Path(self.build_lib, *SHIPPED)
            outputs += [str(target / relative) for _, relative in _shipped_files()]
        return outputs


class sdist_shipped(sdist):  # noqa: N801 - setuptools command naming
    """``sdist`` that includes the top-level notebooks and templates (the wheel's copies come from them)."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        for source, _ in _shipped_files():
            destination = Path(base_dir, source.relative_to(ROOT))
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)


setup(cmdclass={"build_py": build_py_shipped, "sdist": sdist_shipped})
