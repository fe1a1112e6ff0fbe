"""The aggregates of an output folder published as one set: the old set or the new one, never a mix.

``emissions.csv``, ``emissions_provenance.csv`` and ``inventory.nc`` are written into a new
generation folder ``<out>/.state/generations/<id>/`` with a record of what they hold
(``generation.json``: the run's aggregates key, the number of rows, the SHA-256 of each file). The
contract paths ``<out>/emissions.csv`` … are relative symlinks to ``.state/current/<name>``, and
``.state/current`` is a relative symlink to the generation: publishing is one ``os.replace`` of
that pointer. A reader that opens the three files sees one generation whatever moment a run was
killed at (a reader holding a file open keeps reading it after a switch); older generations are
removed after the switch. ``pandas.read_csv("out/emissions.csv")`` reads through the links.

An output folder written before generations existed (three plain files) is first adopted as a
generation of its own (hard links to the same files), so that replacing the plain files by links
never shows a mix either.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import time
from pathlib import Path

import pandas as pd

from inventory.core.results import atomic_write_text, emissions_cube, write_emissions_csv, write_netcdf

__all__ = ["AGGREGATES", "current_generation", "fault_point", "published_record", "publish_aggregates"]

AGGREGATES = ("emissions.csv", "emissions_provenance.csv", "inventory.nc")
RECORD = "generation.json"
#: environment variable naming a step (``step`` or ``step:N`` for its N-th time) at which the process
#: kills itself with SIGKILL: the crash-safety tests stop a run exactly there
FAULT_VARIABLE = "INVENTORY_FAULT"
_FAULT_COUNTS: dict[str, int] = {}


def fault_point(step: str) -> None:
    """SIGKILL this process when ``$INVENTORY_FAULT`` names ``step`` (``step:3``: at its third pass).

    A test hook with no effect unless that variable is set: the crash-safety tests use it to stop a
    run between two given renames, as a power cut or the out-of-memory killer would.
    """
    wanted = os.environ.get(FAULT_VARIABLE)
    if not wanted:
        return
    name, _, count = wanted.rpartition(":")
    if not count.isdigit():
        name, count = wanted, "1"
    if name != step:
        return
    _FAULT_COUNTS[step] = _FAULT_COUNTS.get(step, 0) + 1
    if _FAULT_COUNTS[step] >= int(count):
        os.kill(os.getpid(), signal.SIGKILL)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _state(out_dir: Path) -> Path:
    return out_dir / ".state"


def current_generation(out_dir: Path) -> Path | None:
    """The folder ``<out>/.state/current`` points at, or None when nothing was published yet."""
    pointer = _state(out_dir) / "current"
    if not pointer.is_symlink():
        return None
    target = (pointer.parent / os.readlink(pointer)).resolve()
    return target if target.is_dir() else None


def published_record(out_dir: Path, key: str | None = None) -> dict | None:
    """The record of the published aggregates when they are whole and what ``key`` describes.

    Whole: every contract path is the link into the current generation, and each file's SHA-256 is
    the one recorded when it was published (a file changed since, by ``inventory compute`` into this
    folder or by hand, does not count as published). ``key`` None accepts any record. None when the
    aggregates must be written again.
    """
    generation = current_generation(out_dir)
    if generation is None:
        return None
    try:
        record = json.loads((generation / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if key is not None and record.get("key") != key:
        return None
    for name in AGGREGATES:
        link = out_dir / name
        if not link.is_symlink() or os.readlink(link) != _link_target(name):
            return None
        try:
            if _sha256(generation / name) != record.get("sha256", {}).get(name):
                return None
        except OSError:
            return None
    return record


def _link_target(name: str) -> str:
    return os.path.join(".state", "current", name)


def _replace_with_symlink(path: Path, target: str) -> None:
    """Point ``path`` at ``target`` with one rename (a reader sees the old entry or the new link)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.link")
    temporary.unlink(missing_ok=True)
    os.symlink(target, temporary)
    os.replace(temporary, path)


def _new_generation_folder(out_dir: Path) -> Path:
    folder = _state(out_dir) / "generations" / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
    folder.mkdir(parents=True)
    return folder


def _switch(out_dir: Path, generation: Path) -> None:
    """Make ``generation`` the published one (one rename), then make sure every contract path is a
    link through the pointer, then remove the older generations."""
    fault_point("publish:before-switch")
    _replace_with_symlink(_state(out_dir) / "current", os.path.relpath(generation, _state(out_dir)))
    fault_point("publish:switched")
    for name in AGGREGATES:
        link = out_dir / name
        if not (link.is_symlink() and os.readlink(link) == _link_target(name)):
            _replace_with_symlink(link, _link_target(name))
            fault_point("publish:linked")
    for old in (_state(out_dir) / "generations").iterdir():
        if old != generation:
            shutil.rmtree(old, ignore_errors=True)
            fault_point("publish:removed-old")


def _adopt_plain_files(out_dir: Path) -> None:
    """An output folder of an earlier version holds the aggregates as plain files: make them a
    generation (hard links, or copies where the file system has none) before any is replaced."""
    plain = [name for name in AGGREGATES if (out_dir / name).is_file() and not (out_dir / name).is_symlink()]
    if not plain:
        return
    generation = _new_generation_folder(out_dir)
    for name in plain:
        try:
            os.link(out_dir / name, generation / name)
        except OSError:
            shutil.copy2(out_dir / name, generation / name)
    atomic_write_text(generation / RECORD, json.dumps({"key": None, "rows": None, "adopted": True, "sha256": {
        name: _sha256(generation / name) for name in plain}}, indent=1))
    _switch(out_dir, generation)


def publish_aggregates(out_dir: Path, emissions: pd.DataFrame, gwp: str, attrs: dict, key: str | None) -> int:
    """Write ``emissions.csv``, ``emissions_provenance.csv`` and ``inventory.nc`` of ``emissions``
    as a new generation of ``out_dir`` and switch to it; returns the number of rows.

    ``key``: what the files are made of (a run's aggregates key), recorded so that the next run with
    nothing changed writes nothing; None for ``inventory compute`` (a run never reuses those). The
    caller holds the output folder's lock.
    """
    out_dir = Path(out_dir)
    _adopt_plain_files(out_dir)
    (_state(out_dir) / "aggregates.json").unlink(missing_ok=True)  # the record of an earlier version
    generation = _new_generation_folder(out_dir)
    write_emissions_csv(generation / "emissions.csv", emissions)
    fault_point("publish:written")
    write_emissions_csv(generation / "emissions_provenance.csv", emissions, with_provenance=True)
    fault_point("publish:written")
    write_netcdf(generation / "inventory.nc", emissions_cube(emissions, gwp, attrs=attrs))
    fault_point("publish:written")
    atomic_write_text(generation / RECORD, json.dumps({
        "key": key, "rows": len(emissions), "written": time.strftime("%Y-%m-%d %H:%M:%S"),
        "sha256": {name: _sha256(generation / name) for name in AGGREGATES}}, indent=1))
    _switch(out_dir, generation)
    return len(emissions)
