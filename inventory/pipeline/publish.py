"""The whole published set of an output folder as one generation: the old set or the new one, never a mix.

Everything a run publishes — ``notebooks/``, ``reports/`` (``index.html`` included), ``results/``,
``failed/`` and the aggregates ``emissions.csv``, ``emissions_provenance.csv``, ``inventory.nc`` —
lives in one generation folder ``<out>/.state/generations/<id>/`` with a record of it
(``generation.json``: its id, the run's aggregates key, the number of rows, the SHA-256 of each
aggregate). ``.state/current`` is a relative symlink to the published generation and every contract
path (``<out>/reports``, ``<out>/emissions.csv`` …) a relative symlink through it
(``.state/current/reports``): publishing is one ``os.replace`` of that pointer. A run builds its
generation (:class:`Generation`) beside the published one: the files it reuses are hard links to
the published ones (or to those of a killed run's unfinished generation that the manifest journal
records), the tasks it executes are promoted into it, the index and aggregates written there; a
reader sees the old set until the switch and the new set after it, whatever moment the run was
killed at. A reader holding a file open keeps reading it after a switch (files are never changed in
place: every write is a new file renamed into a generation being built). Older generations are
removed after the switch. ``pandas.read_csv("out/emissions.csv")`` and a browser opening
``out/reports/index.html`` read through the links (relative links between reports resolve by path,
through the same links).

An output folder written before generations existed (plain files and folders) is first adopted as a
generation of its own (hard links to the same files), so that replacing the plain entries by links
never shows a mix either.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import signal
import time
from pathlib import Path

import pandas as pd

from inventory.core.results import atomic_write_text, emissions_cube, write_emissions_csv, write_netcdf, write_table_csv

__all__ = ["AGGREGATES", "ANALYSES", "PUBLISHED", "TREES", "Generation", "adopt_earlier_layout", "current_generation",
           "fault_point", "load_manifest", "manifest_paths", "published_record",
           "publish_aggregates", "recorded_generations", "remove_unused_generations"]

#: the analyses of a run (``inventory.documents.inventory.analyses``): every region's rows, a ``region`` column first
ANALYSES = ("consistency.csv", "key_categories.csv", "uncertainty.csv")
AGGREGATES = ("emissions.csv", "emissions_provenance.csv", "inventory.nc")
#: the folders of task files, each published as ``<out>/<name>`` → ``.state/current/<name>``
TREES = ("notebooks", "reports", "results", "failed")
#: every contract path of the output folder that is a link into the current generation
PUBLISHED = TREES + AGGREGATES + ANALYSES
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


def _generations(out_dir: Path) -> Path:
    return _state(out_dir) / "generations"


def current_generation(out_dir: Path) -> Path | None:
    """The folder ``<out>/.state/current`` points at, or None when nothing was published yet."""
    pointer = _state(out_dir) / "current"
    if not pointer.is_symlink():
        return None
    target = (pointer.parent / os.readlink(pointer)).resolve()
    return target if target.is_dir() else None


def _read_record(generation: Path | None) -> dict | None:
    if generation is None:
        return None
    try:
        record = json.loads((generation / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def published_record(out_dir: Path, key: str | None = None) -> dict | None:
    """The record of the published aggregates when they are whole and what ``key`` describes.

    Whole: every contract path is the link into the current generation, and each file's SHA-256 is
    the one recorded when it was published (a file changed since, by ``inventory compute`` into this
    folder or by hand, does not count as published). ``key`` None accepts any record. None when the
    aggregates must be written again.
    """
    generation = current_generation(out_dir)
    record = _read_record(generation)
    if record is None or not record.get("sha256"):
        return None
    if key is not None and record.get("key") != key:
        return None
    # the analyses when the generation has them (``inventory compute`` and earlier versions wrote none)
    for name in AGGREGATES + tuple(name for name in ANALYSES if name in record["sha256"]):
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
    """Point ``path`` at ``target`` with one rename (a reader sees the old entry or the new link).

    A plain folder (an output folder of an earlier version) cannot be renamed over: it is exchanged
    with the link in one step and moved aside (``.state/trash-*``, removed afterwards); where the
    system cannot exchange, it is moved aside first, and for that moment the path is missing.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.link")
    temporary.unlink(missing_ok=True)
    os.symlink(target, temporary)
    if path.is_dir() and not path.is_symlink():
        aside = _state(path.parent) / f"trash-{path.name}-{os.getpid()}-{time.monotonic_ns()}"
        if _exchange(temporary, path):  # the link in, the folder out, in one step
            os.replace(temporary, aside)
            return
        os.replace(path, aside)
    os.replace(temporary, path)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two entries of one folder atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False
    where the system or the file system does not offer it."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0


def _new_generation_folder(out_dir: Path) -> Path:
    folder = _generations(out_dir) / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
    folder.mkdir(parents=True)
    return folder


def _link_file(source: Path, target: Path) -> None:
    """``target`` as a hard link to the file ``source`` (a copy where the file system has none);
    nothing when ``target`` exists or ``source`` is not a file. One system call in the usual case."""
    try:
        os.link(source, target)
        return
    except FileExistsError:
        return
    except FileNotFoundError:
        if not source.is_file():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    if not source.is_file() or target.exists():
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _files_under(folder: Path) -> list[Path]:
    """Every regular file below ``folder``, relative to it (links and other entries are not published)."""
    found = []
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(folder))
    return found


def _switch(out_dir: Path, generation: Path, keep: set[str] = frozenset()) -> None:
    """Make ``generation`` the published one (one rename), then make sure every contract path is a
    link through the pointer, then remove the older generations (but those named in ``keep``)."""
    fault_point("publish:before-switch")
    _replace_with_symlink(_state(out_dir) / "current", os.path.relpath(generation, _state(out_dir)))
    fault_point("publish:switched")
    _link_contract_paths(out_dir)
    for old in _generations(out_dir).iterdir():
        if old != generation and old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
            fault_point("publish:removed-old")
    remove_trash(out_dir)


def _link_contract_paths(out_dir: Path) -> None:
    """Every contract path a link through the pointer (those already right are left alone)."""
    for name in PUBLISHED:
        link = out_dir / name
        if not (link.is_symlink() and os.readlink(link) == _link_target(name)):
            _replace_with_symlink(link, _link_target(name))
            fault_point("publish:linked")


def remove_unused_generations(out_dir: Path) -> None:
    """Remove the generations that are neither published nor named by the manifest (left by a run
    killed after its switch, or before it had finished a task). The caller holds the lock."""
    folder = _generations(out_dir)
    if not folder.is_dir():
        return
    current, recorded = current_generation(out_dir), recorded_generations(out_dir)
    for generation in folder.iterdir():
        if generation != current and generation.name not in recorded:
            shutil.rmtree(generation, ignore_errors=True)


def remove_trash(out_dir: Path) -> None:
    """Remove the plain folders of an earlier layout moved aside (their files live on in a generation)."""
    for aside in _state(out_dir).glob("trash-*"):
        shutil.rmtree(aside, ignore_errors=True)


def adopt_earlier_layout(out_dir: Path) -> None:
    """An output folder of an earlier version holds its published set as plain files and folders
    (or some of them): make them, with the current generation's other entries, a generation (hard
    links, or copies where the file system has none), switch to it, then replace each plain entry by
    its link. Killed at any moment, a reader still sees the earlier set; the next call completes."""
    out_dir = Path(out_dir)
    (_state(out_dir) / "aggregates.json").unlink(missing_ok=True)  # the record of an earlier version
    plain = [name for name in PUBLISHED if (out_dir / name).exists() and not (out_dir / name).is_symlink()]
    if not plain:
        if current_generation(out_dir) is not None:  # a switch cut short, or a version with fewer contract paths
            _link_contract_paths(out_dir)
        remove_trash(out_dir)
        return
    current = current_generation(out_dir)
    generation = _new_generation_folder(out_dir)
    for name in PUBLISHED:
        source = out_dir if name in plain else current
        if source is None or not (source / name).exists():
            continue
        if (source / name).is_dir():
            for relative in _files_under(source / name):
                _link_file(source / name / relative, generation / name / relative)
        else:
            _link_file(source / name, generation / name)
    record = {"id": generation.name, "key": None, "rows": None, "adopted": True, "sha256": {}}
    if not any(name in plain for name in AGGREGATES):  # the published aggregates and their record, kept
        record.update({k: v for k, v in (_read_record(current) or {}).items() if k in ("key", "rows", "sha256")})
    else:
        record["sha256"] = {name: _sha256(generation / name) for name in AGGREGATES + ANALYSES
                            if (generation / name).exists()}
    atomic_write_text(generation / RECORD, json.dumps(record, indent=1))
    _switch(out_dir, generation, keep=recorded_generations(out_dir))


def manifest_paths(out_dir: Path) -> tuple[Path, Path]:
    """``.state/manifest.json`` (task id → entry, folded) and ``.state/manifest.journal`` (changes since)."""
    return out_dir / ".state" / "manifest.json", out_dir / ".state" / "manifest.journal"


def load_manifest(out_dir: Path) -> dict:
    """task id → its entry: ``manifest.json``, then the journal of tasks recorded since (a run killed
    before it folded them in). A last line cut short by a kill is ignored."""
    path, journal = manifest_paths(out_dir)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    try:
        lines = journal.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    for line in lines:
        try:
            change = json.loads(line)
        except ValueError:
            continue
        if not isinstance(change, dict) or not isinstance(change.get("task"), str):
            continue
        if change.get("entry") is None:
            manifest.pop(change["task"], None)
        else:
            manifest[change["task"]] = change["entry"]
    return manifest


def recorded_generations(out_dir: Path) -> set[str]:
    """The generations the manifest names as holding task files (a killed run's unfinished ones)."""
    return {entry["generation"] for entry in load_manifest(out_dir).values()
            if isinstance(entry, dict) and isinstance(entry.get("generation"), str)}


class Generation:
    """The generation a run (or ``inventory compute``) builds beside the published one.

    Made on first use (:attr:`folder`): a run that executes nothing and changes nothing makes none.
    The caller holds the output folder's lock.
    """

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.current = current_generation(self.out_dir)
        self._folder: Path | None = None

    @property
    def started(self) -> bool:
        return self._folder is not None

    @property
    def folder(self) -> Path:
        if self._folder is None:
            self._folder = _new_generation_folder(self.out_dir)
        return self._folder

    @property
    def name(self) -> str:
        return self.folder.name

    def source(self, name: str | None) -> Path | None:
        """The generation folder holding the files a manifest entry records: the one it names (a
        generation being built, or left unfinished by a killed run) while it exists, else the
        published one (None when nothing was published)."""
        if name and _plain(name):
            if self._folder is not None and name == self._folder.name:
                return self._folder
            named = _generations(self.out_dir) / name
            if named.is_dir():
                return named
        return self.current

    def adopt(self, source: Path, relatives: list[Path]) -> None:
        """Hard-link the files ``relatives`` of generation ``source`` into this one (those it has not)."""
        folder = self.folder
        if source == folder:
            return
        for relative in relatives:
            _link_file(source / relative, folder / relative)

    def fill(self) -> None:
        """Every task file of the published generation this one does not have yet, hard-linked:
        the reports of regions outside a ``--regions`` run, the last good files of a failed task."""
        if self.current is None:
            return
        for name in TREES:
            if (self.current / name).is_dir():
                self.adopt(self.current, [Path(name) / relative for relative in _files_under(self.current / name)])

    def write_aggregates(self, emissions: pd.DataFrame, gwp: str, attrs: dict, key: str | None,
                         analyses: dict[str, pd.DataFrame] | None = None) -> dict:
        """The aggregate files of ``emissions`` written into this generation, and the run's
        ``analyses`` (file name of :data:`ANALYSES` → frame; ``inventory compute`` has none: the
        generation then has no analysis files, and the next run writes every aggregate again); their record."""
        folder = self.folder
        write_emissions_csv(folder / "emissions.csv", emissions)
        fault_point("publish:written")
        write_emissions_csv(folder / "emissions_provenance.csv", emissions, with_provenance=True)
        fault_point("publish:written")
        write_netcdf(folder / "inventory.nc", emissions_cube(emissions, gwp, attrs=attrs))
        fault_point("publish:written")
        for name, frame in (analyses or {}).items():
            write_table_csv(folder / name, frame, float_format="%.6f")
        return {"key": key, "rows": len(emissions), "written": time.strftime("%Y-%m-%d %H:%M:%S"),
                "sha256": {name: _sha256(folder / name) for name in AGGREGATES + ANALYSES
                           if (folder / name).exists()}}

    def keep_aggregates(self) -> dict:
        """The published aggregates carried into this generation unchanged (hard links); their record."""
        record = _read_record(self.current) or {}
        if self.current is not None:
            self.adopt(self.current, [Path(name) for name in AGGREGATES + ANALYSES])
        return {k: v for k, v in record.items() if k in ("key", "rows", "written", "sha256")}

    def publish(self, record: dict, keep: set[str] = frozenset()) -> None:
        """Write this generation's record and switch to it; older generations are removed but those
        named in ``keep`` (unfinished ones whose files a manifest still records)."""
        folder = self.folder
        atomic_write_text(folder / RECORD, json.dumps({"id": folder.name, **record}, indent=1))
        _switch(self.out_dir, folder, keep)
        self.current = folder


def _plain(name: str) -> bool:
    return name not in ("", ".", "..") and "/" not in name and "\0" not in name


def publish_aggregates(out_dir: Path, emissions: pd.DataFrame, gwp: str, attrs: dict, key: str | None) -> int:
    """Write ``emissions.csv``, ``emissions_provenance.csv`` and ``inventory.nc`` of ``emissions``
    into a new generation of ``out_dir`` holding the published task files too, and switch to it;
    returns the number of rows (``inventory compute``).

    ``key``: what the files are made of (a run's aggregates key), recorded so that the next run with
    nothing changed writes nothing; None for ``inventory compute`` (a run never reuses those). The
    caller holds the output folder's lock. Generations left unfinished by a killed run whose files the
    manifest journal records are kept (the next run adopts those files); older ones are removed.
    """
    out_dir = Path(out_dir)
    adopt_earlier_layout(out_dir)
    build = Generation(out_dir)
    record = build.write_aggregates(emissions, gwp, attrs, key)
    build.fill()
    build.publish(record, keep=recorded_generations(out_dir) - {build.name})
    return len(emissions)
