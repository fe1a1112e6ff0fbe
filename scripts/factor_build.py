"""The command line every sector's factor-build script shares (``scripts/build_<sector>_factors.py``).

Each script only knows how to turn the reference collection into its CSV text; this module reads the
arguments, and either checks the file on disk (``--check``: write nothing, exit 1 if it differs) or
writes it atomically. Standard library only.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: the reference collection (developers only: ``../shared/reference/factors``)
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference" / "factors"
#: where the shipped factor files are
DEFAULT_OUT = REPO / "inventory" / "data" / "factors"


def main(argv: list[str] | None, description: str, file_name: str, build_text: Callable[[Path], str]) -> int:
    """``build_text(reference folder)`` → the CSV text of ``inventory/data/factors/<file_name>``."""
    parser = argparse.ArgumentParser(description=description.strip().splitlines()[0])
    parser.add_argument("reference", nargs="?", type=Path, default=DEFAULT_REFERENCE,
                        help="folder of the reference collection (default: ../shared/reference/factors)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: inventory/data/factors)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file differs")
    args = parser.parse_args(argv)
    text = build_text(args.reference)
    target = args.out / file_name
    if args.check:
        same = target.exists() and target.read_text(encoding="utf-8") == text
        print(f"{target}: {'up to date' if same else 'differs from the build'}")
        return 0 if same else 1
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(target.suffix + ".tmp")
    temporary.write_bytes(text.encode("utf-8"))
    temporary.replace(target)
    print(f"wrote {target} ({text.count(chr(10)) - 1} rows)")
    return 0
