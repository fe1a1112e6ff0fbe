"""Where the workbench finds its notebooks and report templates.

In a source checkout they are the top-level ``notebooks/`` and ``templates/`` folders, where the
user works on them; a built wheel carries copies inside the package (``inventory/_shipped/``, put
there by the build, see ``setup.py``), so that ``pip install .`` into a fresh environment runs
``inventory run`` on any data folder.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PACKAGE", "notebooks_dir", "templates_dir", "source_root"]

PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = PACKAGE.parent
_SHIPPED = PACKAGE / "_shipped"


def source_root() -> Path | None:
    """The checkout the package runs from (it has ``notebooks/`` beside ``inventory/``), or None
    when the package is installed from a wheel."""
    return _CHECKOUT if (_CHECKOUT / "notebooks").is_dir() and (_CHECKOUT / "inventory").is_dir() else None


def notebooks_dir() -> Path:
    """The sector and summary notebooks (``notebooks/*.ipynb``)."""
    root = source_root()
    return root / "notebooks" if root else _SHIPPED / "notebooks"


def templates_dir() -> Path:
    """The nbconvert report templates (``templates/report``)."""
    root = source_root()
    return root / "templates" if root else _SHIPPED / "templates"
