"""The pipeline behind ``inventory run``: plan, hash, execute notebooks, collect, render.

Design
------
* **Tasks.** One task per (sector notebook, region, year), then one summary task per top region.
* **Content hashes.** A task's key hashes everything its result depends on: the notebook's code
  cells, its parameters, the activity records of its region for its year and the year before (the
  year-on-year check reads them), every factor row that can apply to it, the package's source and
  data files. A task whose key is in the manifest (``<out>/.state/manifest.json``) with its files
  present is reused, not executed.
* **Warm kernels.** ``--jobs`` worker processes each start one Jupyter kernel and keep it; papermill
  executes every notebook of the worker in it (``km=``), after a namespace reset. Imports of the
  scientific stack are paid once per worker instead of once per notebook; each run is still a
  papermill run with an injected parameters cell and an executed ``.ipynb`` as its record.
* **Atomic outputs.** Notebooks execute into a staging folder; only finished files are renamed into
  place, one ``os.replace`` each, and each finished task is recorded in the manifest at once (one
  appended journal line). The aggregates are published as one set (:mod:`inventory.pipeline.publish`).
  A run killed at any moment leaves the previous outputs readable, and the next run reuses what had
  finished and redoes what is missing.
* **Inside ``--out``.** Every path a task writes is checked when the run is planned: a region code
  or a sector declaration that would lead outside the output folder refuses the run.
* **Nothing left behind.** Pool workers die with the run (``PR_SET_PDEATHSIG``), their kernels with
  them (ipykernel's parent poller), and the kernels' socket folders are removed.
* **One writer.** An exclusive lock on ``<out>/.state/lock`` keeps two runs (or a run and
  ``inventory compute``) from writing the same output folder; the second one stops with a message
  naming the holder.
"""

from __future__ import annotations

import concurrent.futures as futures
import contextlib
import csv
import fcntl
import functools
import hashlib
import json
import logging
import multiprocessing
import os
import re
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from inventory import __version__, resources
from inventory.core.activity import ActivityData, read_inputs
from inventory.core.errors import InputError, Issue, bilingual
from inventory.core.factors import FactorDatabase
from inventory.core.methods import resolve_method
from inventory.core.regions import SHIPPED as REGIONS_SHIPPED
from inventory.core.regions import RegionRegistry, UnknownRegion, load_regions
from inventory.core.results import (
    atomic_write_text,
    read_results,
    temporary_files_in,
    write_emissions_csv,
    write_table_csv,
)
from inventory.pipeline import processes
from inventory.pipeline.choices import choice_issues
from inventory.pipeline.publish import (
    Generation,
    adopt_earlier_layout,
    fault_point,
    load_manifest,
    manifest_paths,
    published_record,
    remove_unused_generations,
)
from inventory.sectors import PLANNED
from inventory.sectors import registry as sector_registry
from inventory.sectors.compilation import FLAGS_SUFFIX

# jsonschema (imported by nbformat) imports rfc3987_syntax when installed, which compiles some forty
# lark grammars (about 2.7 s) for IRI format checks that notebook validation never uses. Keeping it
# out of this process (and of the workers, which import this module first) saves that at every start.
sys.modules.setdefault("rfc3987_syntax", None)

__all__ = ["NOTEBOOKS", "OutputLock", "OutputLocked", "QAStatus", "RunOptions", "RunSummary", "Task",
           "available_sectors", "format_failures", "format_qa_errors", "notebook_path", "output_path_issues", "plan",
           "qa_status", "read_qa_flags", "run", "write_document_inputs"]

PACKAGE = resources.PACKAGE
NOTEBOOKS = resources.notebooks_dir()
SUMMARY = "summary"
#: the inventory document of a region and year (notebooks/inventory.ipynb)
INVENTORY = "inventory"
#: the tasks of the last stage: they read what the run collected from the sector tasks
DOCUMENTS = (SUMMARY, INVENTORY)
#: what the run stages for the document tasks (notebook parameter → file of the staging folder)
DOCUMENT_INPUTS = {"emissions_path": "emissions_provenance.csv", "flags_path": "flags.csv",
                   "consistency_path": "consistency.csv", "key_categories_path": "key_categories.csv",
                   "uncertainty_path": "uncertainty.csv"}
DEMO_NOTE = "示例数据，非官方统计 — illustrative data, not official statistics (demo)."


def is_demo(data_dir: Path | str) -> bool:
    """Whether ``data_dir`` is the shipped illustrative demo (``data_raw/`` of the checkout)."""
    root = resources.source_root()
    return root is not None and Path(data_dir).resolve() == (root / "data_raw").resolve()


def notebook_path(name: str) -> Path:
    """The notebook of a registered sector, or of a document (``summary``)."""
    sectors = sector_registry()
    return sectors[name].notebook_path() if name in sectors else NOTEBOOKS / f"{name}.ipynb"


def available_sectors() -> list[str]:
    """The registered sectors whose notebook exists, in registry order."""
    return [name for name, sector in sector_registry().items() if sector.notebook_path().exists()]


@dataclass
class RunOptions:
    data_dir: Path
    out_dir: Path
    regions: list[str] | None = None  # None = every region with data
    years: list[int] | None = None  # None = every year with data
    sectors: list[str] | None = None  # None = every sector with a notebook
    jobs: int = 1
    gwp: str = "AR5"
    factor_sets: list[str] = field(default_factory=list)
    method: str = ""  # the method edition (inventory.core.methods); empty: the provincial guideline
    lang: str = "zh"
    progress: bool = True  # a bar on a terminal, else a line every few seconds (stderr)
    force: bool = False
    scheduler: str | None = None  # a dask.distributed scheduler address (tcp://host:port)
    grid_series: str = "auto"  # the grid_ef series of the electricity memo (M.ELEC); auto: province, else region
    forest_method: str = "stock_volume"  # LULUCF 3.B.1.a: stock_volume, gain_loss_volume, gain_loss_area
    landfill_method: str = "fod"  # waste 4.A: fod, mass_balance
    landfill_backcast: str = "trend"  # waste 4.A deposits before the record: trend, constant, none
    fail_on_qa_error: bool = False  # QA flags of severity error fail the run (RunSummary.ok; exit 4 of the CLI)


@dataclass
class Task:
    name: str  # the sector (or document) name, which is its notebook's name
    region: str
    year: int | None  # None for a summary over years
    parameters: dict
    key: str = ""
    depends_on: list[str] = field(default_factory=list)
    #: the notebook to execute (a worker needs nothing else to find it)
    notebook: str = ""
    #: notebook parameter → suffix of an extra file written beside the report (``tables_path`` → ``.xlsx``)
    outputs: dict = field(default_factory=dict)
    #: notebook parameter → a file of the run's staging folder it reads (``emissions_path`` → ``emissions.csv``)
    staged_inputs: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.name}/{self.region}/{self.year if self.year is not None else 'all'}"

    @property
    def document(self) -> bool:
        """A task of the last stage (a summary or an inventory document), not a sector's."""
        return self.name in DOCUMENTS

    def relative(self, suffix: str) -> Path:
        return Path(self.region) / (str(self.year) if self.year is not None else "all") / f"{self.name}{suffix}"


@dataclass
class TaskOutcome:
    task_id: str
    ok: bool
    seconds: float
    error: str = ""
    cell: int | None = None


@dataclass
class QAStatus:
    """The QA flags of one sector task (executed or reused), counted by severity, from its flags file."""

    errors: int = 0
    warnings: int = 0
    infos: int = 0
    #: the error flags themselves (dicts of the flag columns), for the message at the end of the run
    error_flags: list[dict] = field(default_factory=list)
    #: the flags file is missing or unreadable: the QA status of the task is not known
    unknown: bool = False


@dataclass
class RunSummary:
    executed: int = 0
    reused: int = 0
    failed: list[TaskOutcome] = field(default_factory=list)
    seconds: float = 0.0
    rows: int = 0
    out_dir: Path | None = None
    warnings: list[str] = field(default_factory=list)
    #: task id → the QA flags of every sector task of the run that did not fail (executed or reused)
    qa: dict[str, QAStatus] = field(default_factory=dict)
    fail_on_qa_error: bool = False

    @property
    def qa_errors(self) -> int:
        return sum(status.errors for status in self.qa.values())

    @property
    def qa_warnings(self) -> int:
        return sum(status.warnings for status in self.qa.values())

    def qa_region_years(self) -> list[tuple[str, str]]:
        """(region, year) of the tasks with QA errors, in order."""
        return sorted({tuple(task_id.split("/")[1:3]) for task_id, status in self.qa.items() if status.errors})

    @property
    def qa_failed(self) -> bool:
        """QA errors, and the run was asked to fail on them (``--fail-on-qa-error``)."""
        return self.fail_on_qa_error and self.qa_errors > 0

    @property
    def ok(self) -> bool:
        return not self.failed and not self.qa_failed

    def qa_text(self) -> str:
        """``3 QA errors in 2 region-years, 41 QA warnings`` (``0 QA errors, 41 QA warnings``)."""
        errors = self.qa_errors
        where = len(self.qa_region_years())
        text = f"{errors} QA error{'s' if errors != 1 else ''}"
        if errors:
            text += f" in {where} region-year{'s' if where != 1 else ''}"
        warnings = self.qa_warnings
        return text + f", {warnings} QA warning{'s' if warnings != 1 else ''}"

    def line(self) -> str:
        if self.failed:
            status = f"FAILED {len(self.failed)}"
        elif self.qa_failed:
            status = "FAILED on QA errors"
        else:
            status = "ok"
        return (f"inventory run: {status}; executed {self.executed}, reused {self.reused} notebooks; "
                f"{self.qa_text()}; {self.rows} emission rows; {self.seconds:.1f} s; outputs in {self.out_dir}")


# ----------------------------------------------------------------------------------------------
# planning and hashing


def _sha(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def notebook_code_hash(path: Path) -> str:
    """Hash of a notebook's cell sources (code and narrative): outputs and metadata do not count."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return _sha(*["".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                  for cell in cells if cell["cell_type"] in ("code", "markdown")])


def package_hash() -> str:
    """Hash of the package's code and data and the report template: a change reruns everything."""
    templates = resources.templates_dir()
    files = [(p.relative_to(PACKAGE).as_posix(), p) for p in sorted(PACKAGE.rglob("*.py"))
             + sorted((PACKAGE / "data").rglob("*.csv"))]
    if templates.exists():
        files += [("templates/" + p.relative_to(templates).as_posix(), p) for p in sorted(templates.rglob("*"))]
    digest = hashlib.sha256(__version__.encode())
    for name, path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


_CODE = re.compile(r"\d{6}(?:-P\d{2})?")


def _parse_selection(options: RunOptions, activity: ActivityData, registry: RegionRegistry,
                     factors: FactorDatabase):
    issues = choice_issues(factors, options.method, options.factor_sets, options)
    regions = activity.regions
    if options.regions:
        # codes, or names (邵阳县, Shaoyang County): RegionRegistry.lookup
        codes, unknown = [], []
        for text in options.regions:
            if text in registry:
                codes.append(text)
            elif _CODE.fullmatch(text):
                unknown.append(text)
            else:
                try:
                    codes.append(registry.lookup(text))
                except UnknownRegion as exc:
                    issues.append(Issue("--regions", 0, "", str(exc)))
        if unknown:
            issues.append(Issue("--regions", 0, "", f"unknown region code(s): {', '.join(unknown)}"))
        # a retired code (邵东县 430521) selects the region it became, as its records do
        wanted = {registry.current(r) for r in codes}
        no_data = [registry[r].label("zh") for r in codes if registry.current(r) not in regions]
        if no_data:
            issues.append(Issue("--regions", 0, "", f"no activity data for region(s): {', '.join(no_data)}"))
        regions = [r for r in regions if r in wanted]
    years = activity.years
    if options.years:
        missing = [y for y in options.years if y not in years]
        if missing:
            issues.append(Issue("--years", 0, "", f"no activity data for year(s): {', '.join(map(str, missing))}"))
        years = [y for y in years if y in options.years]
    available = available_sectors()
    sectors = options.sectors or available
    not_ready = [s for s in sectors if s not in available]
    if not_ready:
        known = list(sector_registry()) + [s for s in PLANNED if s not in sector_registry()]
        unknown = [s for s in not_ready if s not in known]
        issues.append(Issue("--sectors", 0, "", (
            f"unknown sector(s): {', '.join(unknown)}; one of {', '.join(known)}" if unknown else
            f"no notebook yet for sector(s): {', '.join(not_ready)} (available: {', '.join(available)})")))
    if issues:
        raise InputError(issues)
    return regions, years, sectors


def plan(options: RunOptions, activity: ActivityData, factors: FactorDatabase,
         registry: RegionRegistry) -> list[Task]:
    """Every task of the run, with its content key.

    A sector's task exists for each selected region-year with records the sector reads in a year
    its emissions are computed from; its key hashes the region's records of the sector's categories
    in every year of the sector's declared history (and the factor rows of its parameters that can
    apply in those years), so a corrected record re-executes exactly the region-years that read it.
    """
    regions, years, sectors = _parse_selection(options, activity, registry, factors)
    base = package_hash()
    data_dir = str(Path(options.data_dir).resolve())
    out_dir = str(Path(options.out_dir).resolve())
    common = {"data_dir": data_dir, "out_dir": out_dir, "gwp": options.gwp, "lang": options.lang,
              "factor_sets": ",".join(options.factor_sets), "method": options.method}
    tasks = []
    for name in sectors:
        sector = sector_registry()[name]
        notebook = sector.notebook_path()
        code = notebook_code_hash(notebook)
        own = {p.name: getattr(options, p.option) for p in sector.parameters if p.option and hasattr(options, p.option)}
        categories = sector.reads
        present = set(activity.digests(categories))
        for region in regions:
            for year in years:
                if not any((region, y) in present for y in sector.input_years(year, activity.years, own)):
                    continue
                parameters = {"region": region, "year": int(year), **common, **own}
                history = sector.years_needed(year, activity.years, own)
                key = _sha(base, code, _key_parameters(parameters),
                           *(activity.digest(region, y, categories) for y in history),
                           *(factors.digest(region, y, sector.factor_parameters, categories) for y in history))
                tasks.append(Task(name, region, int(year), parameters, key, notebook=str(notebook),
                                  outputs=dict(sector.extra_outputs)))
    # summaries: one per top region of the selection (a region whose parent is not selected)
    selected = set(regions)
    summary_notebook = notebook_path(SUMMARY)
    code = notebook_code_hash(summary_notebook)
    for region in regions:
        if registry[region].parent in selected:
            continue
        members = [t for t in tasks if t.region == region or t.region in registry.descendants(region)]
        parameters = {"region": region, "years": ",".join(str(y) for y in years), **common}
        key = _sha(base, code, _key_parameters(parameters), *sorted(t.key for t in members))
        tasks.append(Task(SUMMARY, region, None, parameters, key, depends_on=[t.id for t in members],
                          notebook=str(summary_notebook), staged_inputs={"emissions_path": "emissions.csv"}))
    tasks += _document_tasks(tasks, regions, registry, common, base, registry_digest(options.data_dir))
    issues = output_path_issues(tasks, Path(options.out_dir), Path(options.data_dir))
    if issues:
        raise InputError(issues)
    return tasks


def registry_digest(data_dir: Path | str) -> str:
    """SHA-256 of a data folder's ``regions.csv`` (the members of a region; none: the shipped one only)."""
    path = Path(data_dir) / "regions.csv"
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def _document_tasks(tasks: list[Task], regions: list[str], registry: RegionRegistry, common: dict, base: str,
                    regions_digest: str) -> list[Task]:
    """One inventory document per selected region and year with sector results, in the last stage.

    It shows the region's time series and its county breakdown, and reads the run's analyses
    (consistency, key categories, uncertainty) of the whole selection: it depends on every sector task
    of the region and of its members in every year, and its key hashes their keys (and the regions
    file, which says who the members are), so it re-executes when any of them changes.
    """
    notebook = notebook_path(INVENTORY)
    if not notebook.exists():
        return []
    code = notebook_code_hash(notebook)
    sector_tasks = [t for t in tasks if not t.document]
    documents = []
    for region in regions:
        family = {region} | registry.descendants(region)
        members = [t for t in sector_tasks if t.region in family]
        years = sorted({t.year for t in sector_tasks if t.region == region})
        depends = sorted(t.key for t in members)
        for year in years:
            parameters = {"region": region, "year": int(year), **common}
            key = _sha(base, code, _key_parameters(parameters), regions_digest, *depends)
            documents.append(Task(INVENTORY, region, int(year), parameters, key,
                                  depends_on=[t.id for t in members], notebook=str(notebook),
                                  outputs={"tables_path": ".xlsx"}, staged_inputs=dict(DOCUMENT_INPUTS)))
    return documents


def _key_parameters(parameters: dict) -> str:
    """The parameters that decide a result: the folders' paths do not (their content is hashed), so
    moving the data or output folder reuses everything."""
    return json.dumps({k: v for k, v in parameters.items() if k not in ("data_dir", "out_dir")}, sort_keys=True)


def _plain_name(text: str) -> bool:
    """Whether ``text`` is one ordinary path component (no separator, not ``.`` or ``..``)."""
    separators = {"/", "\0"} | ({os.altsep} if os.altsep else set())
    return text not in ("", ".", "..") and not any(c in text for c in separators)


def _task_paths(task: Task) -> list[Path]:
    """Every path a task writes, relative to the output folder (and, for the first ones, to the
    staging folder inside it): its published files, and where a failed notebook is kept."""
    return _outputs_of(task) + [Path("failed") / task.relative(".ipynb")]


def _region_source(data_dir: Path, code: str) -> tuple[str, int]:
    """(file, line) where a region code is defined: the data folder's ``regions.csv``, or the shipped one."""
    for path in (Path(data_dir) / "regions.csv", REGIONS_SHIPPED):
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                for row in reader:
                    if (row.get("code") or "").strip() == code:
                        return str(path), reader.line_num
        except (OSError, UnicodeDecodeError, csv.Error):
            continue
    return str(Path(data_dir) / "regions.csv"), 0


def output_path_issues(tasks: list[Task], out_dir: Path, data_dir: Path) -> list[Issue]:
    """Every task output that would land outside ``out_dir``, as input problems (all at once).

    A region code is a folder name of the outputs: ``../../x``, ``430524/../../x`` or an absolute
    path would write (and replace) files anywhere. The check is made on the plan, before anything is
    written, for every path a task writes (notebook, report, results, flags, extra outputs, the kept
    failed notebook, and the same paths in the staging folder handed to the notebook); a folder of
    ``out_dir`` that is a link to elsewhere counts as outside too.
    """
    out = Path(out_dir).resolve()
    issues: dict[tuple, Issue] = {}
    for task in tasks:
        plain_sector = all(_plain_name(task.name + suffix) for suffix in ["", *task.outputs.values()])
        for relative in _task_paths(task):
            target = out / relative
            lexical = Path(os.path.normpath(target))
            inside = lexical.is_relative_to(out) and target.resolve().is_relative_to(out)
            if inside and _plain_name(task.region) and plain_sector:
                continue
            if not _plain_name(task.region):
                file, line = _region_source(data_dir, task.region)
                issues.setdefault(("region", task.region), Issue(file, line, "code", bilingual(
                    f"地区代码 {task.region!r} 会把输出写到输出目录 {out} 之外（{relative.as_posix()} → {lexical}）；"
                    f"地区代码应为 GB/T 2260 六位数字（园区为 <县代码>-P<两位数>），不能是路径",
                    f"region code {task.region!r} would write outputs outside the output folder {out} "
                    f"({relative.as_posix()} → {lexical}); a region code is six GB/T 2260 digits (a park "
                    f"<county code>-P<nn>), never a path")))
            elif not plain_sector or not lexical.is_relative_to(out):  # the sector's declaration
                issues.setdefault(("sector", task.name), Issue(f"sector {task.name}", 0, "extra_outputs", bilingual(
                    f"部门 {task.name!r} 的输出 {relative.as_posix()} 会写到输出目录之外（{lexical}）；部门名称和附加"
                    f"输出的后缀须为普通文件名",
                    f"the outputs of sector {task.name!r} would be written outside the output folder "
                    f"({relative.as_posix()} → {lexical}); a sector's name and extra-output suffixes must be plain "
                    f"file names")))
            else:  # a folder inside the output folder is a link that leads out of it
                issues.setdefault(("link", relative.parts[0]), Issue(str(out / relative.parts[0]), 0, "", bilingual(
                    f"输出 {relative.as_posix()} 会经由链接写到输出目录之外（{target.resolve()}）；"
                    f"请删除该链接或换一个 --out",
                    f"output {relative.as_posix()} would be written outside the output folder through a link "
                    f"({target.resolve()}); remove the link or choose another --out")))
    return list(issues.values())


def _inside(root: Path, relative: Path) -> Path:
    """``root / relative``, refusing (a defect: the plan checks every path) one that leads out of ``root``."""
    target = Path(os.path.normpath(Path(root) / relative))
    if not target.is_relative_to(Path(os.path.normpath(root))):
        raise RuntimeError(f"refused to write outside the output folder: {target}")
    return target


# ----------------------------------------------------------------------------------------------
# execution in warm kernels


_KERNEL = None
KERNEL_LOG = "kernel.log"
#: this worker's kernel clients, one per thread (zmq asyncio sockets belong to one thread's event loop)
_CLIENTS: dict[int, object] = {}
ENGINE = "inventory-warm"


def _kernel_client(manager):
    """The worker's connected client of its warm kernel, made once per thread.

    nbclient makes a new client for every notebook it runs on a kernel it does not own, and waits
    for it to be ready (a kernel_info round trip, then 0.2 s of silence on IOPub): about a quarter
    of a second a notebook. One client, kept, costs that once. Messages are told apart by their
    parent message id, so what one notebook left on a channel never lands in the next.
    """
    from nbclient.util import run_sync

    thread = threading.get_ident()
    client = _CLIENTS.get(thread)
    if client is None or client.parent is not manager:
        if client is not None:  # a client of a kernel that was replaced
            client.stop_channels()
        client = manager.client()
        client.start_channels()
        run_sync(client.wait_for_ready)(timeout=60)
        client.allow_stdin = False
        _CLIENTS[thread] = client
    return client


@functools.cache
def _register_engine() -> None:
    """papermill's engine for warm kernels: its nbclient engine, given the worker's client."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
            manager = kwargs.pop("km")
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            client = PapermillNotebookClient(nb_man, km=manager, **merge_kwargs(
                kwargs, timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name,
                log=logging.getLogger("papermill"), log_output=log_output, stdout_file=stdout_file,
                stderr_file=stderr_file))
            client.kc = _kernel_client(manager)
            return client.execute()

    papermill_engines.register(ENGINE, WarmKernelEngine)


def _start_kernel():
    """Start this worker's kernel (once) and arrange for it to stop with the worker."""
    global _KERNEL
    from multiprocessing.util import Finalize

    from jupyter_client import AsyncKernelManager
    from nbclient.util import run_sync

    # IPC transport: unix sockets in a private temporary folder, not TCP ports on the machine; the
    # connection file goes there too (not into Jupyter's runtime folder), so that removing the folder
    # removes everything the kernel leaves behind (processes.remove_kernel_folders)
    sockets = processes.kernel_folder()
    manager = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "kernel"),
                                 connection_file=os.path.join(sockets, "connection.json"))
    # the kernel process's own messages (not the notebooks' output, which comes by its channels) go to
    # a log in its folder, quoted when the kernel dies; a terminal shows only the run's lines
    with open(os.path.join(sockets, KERNEL_LOG), "ab") as log:
        run_sync(manager.start_kernel)(cwd=str(NOTEBOOKS), stdout=log, stderr=log)
    processes.adopt(manager.provisioner.pid)
    Finalize(manager, shutil.rmtree, args=(sockets, True), exitpriority=90)
    _KERNEL = manager
    Finalize(manager, _stop_kernel, args=(manager,), exitpriority=100)
    return manager


def _stop_kernel(manager) -> None:
    from nbclient.util import run_sync

    for thread, client in list(_CLIENTS.items()):
        if client.parent is manager:
            client.stop_channels()
            del _CLIENTS[thread]
    try:
        run_sync(manager.shutdown_kernel)(now=True)
    except Exception:  # the kernel may already be gone
        pass


_RESET = """# workbench: clear the warm kernel's namespace before this run (imported modules stay loaded)
_ip = get_ipython()
for _name in [n for n in _ip.user_ns if not n.startswith("_") and n not in _ip.user_ns_hidden]:
    del _ip.user_ns[_name]
_ip.user_ns["_oh"].clear()
import matplotlib.pyplot as _plt
_plt.close("all")
del _ip, _plt"""


@functools.lru_cache(maxsize=16)
def _notebook_source(path: str, mtime_ns: int):
    import nbformat

    return nbformat.read(path, as_version=4)


def _prepared_notebook(path: Path, warm: bool):
    """The notebook to execute; in a warm kernel it starts with a cell that resets the namespace.

    The reset cell stays in the executed notebook (tagged ``workbench-reset``), so the record shows
    exactly what ran; it has no output and reports never show code.
    """
    import copy

    import nbformat

    notebook = copy.deepcopy(_notebook_source(str(path), path.stat().st_mtime_ns))
    if warm:
        cell = nbformat.v4.new_code_cell(_RESET, metadata={"tags": ["workbench-reset"],
                                                           "jupyter": {"source_hidden": True}})
        cell["id"] = "workbench-reset"
        notebook.cells.insert(0, cell)
    return notebook


def execute_task(task: Task, staging: str, warm: bool = True) -> TaskOutcome:
    """Execute one notebook with papermill into ``staging`` and render its report there."""
    import papermill
    from nbclient.util import run_sync

    from inventory.present.report import render_html

    started = time.perf_counter()
    target = Path(staging) / "notebooks" / task.relative(".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    parameters = dict(task.parameters)
    parameters["results_path"] = str(Path(staging) / "results" / task.relative(".csv"))
    for parameter, suffix in task.outputs.items():
        parameters[parameter] = str(Path(staging) / "reports" / task.relative(suffix))
        # the folder exists for the notebook's writer (no sector task of the region-year may have run)
        Path(parameters[parameter]).parent.mkdir(parents=True, exist_ok=True)
    for parameter, name in task.staged_inputs.items():
        parameters[parameter] = str(Path(staging) / name)
    engine: dict = {}
    if warm:
        manager = _KERNEL or _start_kernel()
        if not run_sync(manager.is_alive)():
            manager = _start_kernel()
        engine = {"km": manager, "engine_name": ENGINE}
        _register_engine()
    try:
        executed = papermill.execute_notebook(
            _prepared_notebook(Path(task.notebook), warm), str(target), parameters=parameters, progress_bar=False,
            log_output=False, request_save_on_cell_execute=False, cwd=str(NOTEBOOKS), kernel_name="python3",
            **engine,
        )
    except papermill.PapermillExecutionError as exc:
        return TaskOutcome(task.id, False, time.perf_counter() - started,
                           error=f"{exc.ename}: {exc.evalue} [{_failing_line(exc.source, exc.traceback)}]",
                           cell=_failed_cell(target))
    except Exception as exc:  # a dead kernel, a timeout: report it, do not stop the run
        said = ""
        if warm:
            said = _kernel_log_tail(engine["km"])
            _restart_after_failure()
        return TaskOutcome(task.id, False, time.perf_counter() - started,
                           error=f"{type(exc).__name__}: {exc}{said}")
    try:
        title = f"{task.parameters['region']} {task.year if task.year is not None else ''} {task.name}".strip()
        depth = len(task.relative(".html").parts) - 1
        render_html(executed, Path(staging) / "reports" / task.relative(".html"), title,
                    index_href="../" * depth + "index.html")
    except Exception as exc:
        return TaskOutcome(task.id, False, time.perf_counter() - started,
                           error=f"report rendering failed: {type(exc).__name__}: {exc}")
    if not task.document and not (Path(staging) / "results" / task.relative(FLAGS_SUFFIX)).exists():
        # without its flags file the run cannot say whether the task's QA found errors
        return TaskOutcome(task.id, False, time.perf_counter() - started,
                           error=f"the notebook wrote no QA flags file ({task.relative(FLAGS_SUFFIX).as_posix()} "
                                 f"beside results_path): write the results with "
                                 f"inventory.sectors.compilation.write_results")
    return TaskOutcome(task.id, True, time.perf_counter() - started)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_LINE = re.compile(r"Cell In\[\d*\], line (\d+)")


def _failing_line(source: str | None, traceback: list[str] | None) -> str:
    """``line N: <the code>`` of the cell line the error came from (IPython's traceback names it),
    or the cell's first line when the traceback does not say."""
    lines = (source or "").splitlines()
    for entry in traceback or []:
        found = _CELL_LINE.search(_ANSI.sub("", entry))
        if found and 0 < int(found.group(1)) <= len(lines):
            number = int(found.group(1))
            return f"cell line {number}: {lines[number - 1].strip()[:100]}"
    first = next((line.strip() for line in lines if line.strip()), "")
    return f"cell: {first[:100]}"


def _failed_cell(path: Path) -> int | None:
    """1-based position, in the executed notebook as saved (papermill's error banners included), of
    the cell whose output is the error — the cell a person opening that notebook has to look at."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return None
    for position, cell in enumerate(cells, start=1):
        if any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
            return position
    return None


def _kernel_log_tail(manager, lines: int = 5) -> str:
    """`` (kernel: …)``: the last lines the kernel process wrote to its log, or nothing."""
    try:
        text = (Path(manager.connection_file).parent / KERNEL_LOG).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    tail = " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])
    return f" (kernel: {tail})" if tail else ""


def _restart_after_failure() -> None:
    global _KERNEL
    if _KERNEL is not None:
        _stop_kernel(_KERNEL)
    _KERNEL = None


# ----------------------------------------------------------------------------------------------
# the run


class OutputLocked(RuntimeError):
    pass


class OutputLock:
    """The one writer of an output folder (``inventory run`` and ``inventory compute`` alike):
    ``fcntl.flock`` on ``<out>/.state/lock``; :class:`OutputLocked` names the holder."""

    def __init__(self, out_dir: Path):
        self.path = Path(out_dir) / ".state" / "lock"

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.path, "a+")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.seek(0)
            holder = self.handle.read().strip() or "another process"
            self.handle.close()
            raise OutputLocked(
                f"{self.path.parent.parent} is being written by another inventory run ({holder}); "
                f"wait for it to finish or choose another --out") from None
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}")
        self.handle.flush()
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


class _Manifest:
    """The manifest of a run, recorded task by task as tasks finish: each change is one line appended
    to ``.state/manifest.journal`` (a small write, cheap however long the run), folded into
    ``manifest.json`` (written atomically) at the end of each stage. A run killed at any moment
    leaves every task that had finished recorded, and the next run reuses it."""

    def __init__(self, out_dir: Path):
        self.path, self.journal = manifest_paths(out_dir)
        self.entries = load_manifest(out_dir)
        self.handle = None

    def get(self, task_id: str) -> dict | None:
        return self.entries.get(task_id)

    def record(self, task_id: str, entry: dict | None) -> None:
        """``entry`` for a finished task, None for one that must run again."""
        if entry is None:
            if self.entries.pop(task_id, None) is None:
                return
        else:
            self.entries[task_id] = entry
        if self.handle is None:
            self.handle = open(self.journal, "ab", buffering=0)
        # one write of a whole line: a kill leaves it whole or (the last one) cut short, never mixed
        self.handle.write((json.dumps({"task": task_id, "entry": entry}, sort_keys=True) + "\n").encode("utf-8"))

    def fold(self) -> None:
        """Write ``manifest.json`` (atomically) and empty the journal."""
        atomic_write_text(self.path, json.dumps(self.entries, indent=1, sort_keys=True))
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        self.journal.unlink(missing_ok=True)

    def settle(self) -> None:
        """After a generation was published: every entry's files are in it, so entries stop naming
        the generation they were first written into; then :meth:`fold`."""
        for entry in self.entries.values():
            if isinstance(entry, dict):
                entry.pop("generation", None)
        self.fold()

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


def _outputs_of(task: Task) -> list[Path]:
    outputs = [Path("notebooks") / task.relative(".ipynb"), Path("reports") / task.relative(".html"),
               Path("results") / task.relative(".csv")]
    if not task.document:  # a sector's QA flags, beside its results (sectors.compilation.write_results)
        outputs.append(Path("results") / task.relative(FLAGS_SUFFIX))
    # what the sector declares beside its report (energy: the report's tables as Excel)
    outputs += [Path("reports") / task.relative(suffix) for suffix in task.outputs.values()]
    return outputs


def _is_current(task: Task, manifest: dict | _Manifest, root: Path) -> bool:
    """Whether the manifest records ``task`` with its present key and its files are in ``root`` (the
    generation folder the entry's files are in)."""
    entry = manifest.get(task.id)
    return bool(entry) and entry.get("key") == task.key and all((root / p).exists() for p in _outputs_of(task))


def _promote(task: Task, staging: Path, root: Path) -> list[str]:
    """Move a finished task's files from staging into the generation ``root`` being built (one
    atomic rename per file); returns them, relative to ``root``."""
    promoted = []
    for relative in _outputs_of(task):
        source = _inside(staging, relative)
        if source.exists():
            target = _inside(root, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            promoted.append(relative.as_posix())
    return promoted


def _keep_failure(task: Task, staging: Path, root: Path) -> Path | None:
    """Keep a failed notebook where people can open it, beside (not over) the last good one: in
    ``failed/`` of the generation ``root`` being built. Returns its path relative to the output folder."""
    source = _inside(staging, Path("notebooks") / task.relative(".ipynb"))
    if not source.exists():
        return None
    relative = Path("failed") / task.relative(".ipynb")
    target = _inside(root, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    return relative


_KERNEL_LOCK = threading.Lock()


def execute_chunk(tasks: list[Task], staging: str) -> list[TaskOutcome]:
    """Execute tasks one after the other in this worker's warm kernel (one region's years).

    A process has one kernel: chunks that arrive on several threads (a dask worker with more than
    one thread) take turns.
    """
    parent = multiprocessing.parent_process()
    outcomes = []
    with _KERNEL_LOCK:
        for task in tasks:
            if parent is not None and not parent.is_alive():
                # the run that asked for this work is gone (killed): do not go on computing for nobody
                outcomes.append(TaskOutcome(task.id, False, 0.0, error="abandoned: the run was stopped"))
                continue
            outcomes.append(execute_task(task, staging))
    return outcomes


def _chunks(tasks: list[Task], size: int = 5) -> list[list[Task]]:
    """Runs of up to ``size`` consecutive years of one region: the worker then finds the year before
    (for the year-on-year check) already computed; short runs keep the workers evenly loaded."""
    groups: dict[tuple[str, str], list[Task]] = {}
    for task in tasks:
        groups.setdefault((task.name, task.region), []).append(task)
    chunks = []
    for group in groups.values():
        ordered = sorted(group, key=lambda t: t.year or 0)
        chunks += [ordered[i:i + size] for i in range(0, len(ordered), size)]
    return chunks


class _LineProgress:
    """Progress for a log, not a terminal (``make run > log``, a scheduler): a line on stderr such as
    ``[12/136] notebooks, 8.3 s`` at most every ``interval`` seconds as notebooks finish, and one when
    the last is done. The same ``update`` / ``close`` as a tqdm bar."""

    def __init__(self, total: int, label: str = "notebooks", stream=None, interval: float = 5.0,
                 clock=time.monotonic):
        self.total, self.label, self.interval, self.clock = total, label, interval, clock
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.started = self.last = clock()
        self.shown = -1

    def update(self, n: int = 1) -> None:
        self.done += n
        now = self.clock()
        if self.done >= self.total or now - self.last >= self.interval:
            self._show(now)

    def _show(self, now: float) -> None:
        self.last, self.shown = now, self.done
        print(f"[{self.done}/{self.total}] {self.label}, {now - self.started:.1f} s", file=self.stream, flush=True)

    def close(self) -> None:
        if self.shown != self.done:
            self._show(self.clock())


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, label: str, enabled: bool):
    """A tqdm bar on a terminal, progress lines otherwise (stderr), nothing when not ``enabled``."""
    if not enabled:
        return _NoProgress()
    if sys.stderr.isatty():
        from tqdm.auto import tqdm

        return tqdm(total=total, desc=label, unit="nb", file=sys.stderr)
    return _LineProgress(total, label)


class _Executor:
    """Runs chunks of tasks for the whole of one ``run``: in this process's own warm kernel, in a
    pool of worker processes (each with its warm kernel, kept from the sector stage to the summary
    stage), or on a dask.distributed cluster. Started lazily, stopped by :meth:`close`."""

    def __init__(self, jobs: int, progress: bool, scheduler: str | None):
        self.jobs, self.progress, self.scheduler = jobs, progress, scheduler
        self.pool = None
        self.used_local_kernel = False

    def run(self, tasks: list[Task], staging: Path) -> Iterator[TaskOutcome]:
        """The outcomes of ``tasks`` as they finish (a worker's chunk at a time), for the caller to
        publish and record each at once."""
        if not tasks:
            return
        chunks = _chunks(tasks)
        label = "document notebooks" if all(t.document for t in tasks) else "notebooks"
        bar = _progress(len(tasks), label, self.progress)
        try:
            if self.scheduler:
                yield from _execute_on_dask(chunks, staging, self.scheduler, bar)
                return
            if self.pool is None and (self.jobs <= 1 or len(chunks) == 1):
                # one worker's worth of work: this process's kernel, no pool to start
                self.used_local_kernel = True
                for task in tasks:
                    outcome = execute_task(task, str(staging))
                    bar.update()
                    yield outcome
                return
            if self.pool is None:
                context = multiprocessing.get_context("spawn")
                self.pool = futures.ProcessPoolExecutor(max_workers=min(self.jobs, len(chunks)), mp_context=context,
                                                        initializer=processes.die_with_parent,
                                                        initargs=(os.getpid(),))
            pending = {self.pool.submit(execute_chunk, chunk, str(staging)): chunk for chunk in chunks}
            for done in futures.as_completed(pending):
                try:
                    outcomes = done.result()
                except Exception as exc:  # a worker died
                    outcomes = [TaskOutcome(t.id, False, 0.0, error=f"worker failed: {exc}") for t in pending[done]]
                bar.update(len(pending[done]))
                yield from outcomes
        finally:
            bar.close()

    def close(self, aborted: bool = False) -> None:
        """Stop the workers (and with them their kernels). ``aborted``: the run is being stopped
        (SIGTERM, Ctrl-C, an error): do not wait for the work under way."""
        owners = set()
        if self.pool is not None:
            workers = list(getattr(self.pool, "_processes", {}).values())  # no public handle on them
            owners = {worker.pid for worker in workers}
            if aborted:
                self.pool.shutdown(wait=False, cancel_futures=True)
                for worker in workers:
                    worker.terminate()
                for worker in workers:
                    worker.join(timeout=10)
            else:
                self.pool.shutdown()
        if self.used_local_kernel:
            _restart_after_failure()  # stops this process's kernel
            owners.add(os.getpid())
        # a worker stopped by terminate() does not remove its kernel's folder itself
        processes.remove_kernel_folders(owners)


def _execute_on_dask(chunks: list[list[Task]], staging: Path, scheduler: str, bar) -> Iterator[TaskOutcome]:
    """The same chunks on a dask.distributed cluster: each worker process keeps its own warm kernel.

    The workers must see ``staging`` (the output folder) and the data folder at the same paths —
    one machine, or a shared file system.
    """
    from distributed import Client, as_completed

    with Client(scheduler, set_as_default=False) as client:
        pending = {client.submit(execute_chunk, chunk, str(staging), pure=False): chunk for chunk in chunks}
        for future in as_completed(pending, loop=client.loop):
            chunk = pending[future]
            try:
                outcomes = future.result()
            except Exception as exc:  # the worker died or the task could not run there
                outcomes = [TaskOutcome(t.id, False, 0.0, error=f"dask worker failed: {exc}") for t in chunk]
            bar.update(len(chunk))
            yield from outcomes


def run(options: RunOptions) -> RunSummary:
    """Validate, plan, execute, collect, render. Raises :class:`InputError` before writing anything."""
    started = time.perf_counter()
    data_dir = Path(options.data_dir)
    out_dir = Path(options.out_dir).resolve()
    registry = load_regions(data_dir)
    activity, factors = read_inputs(data_dir)
    tasks = plan(options, activity, factors, registry)
    summary = RunSummary(out_dir=out_dir, warnings=[str(w) for w in activity.warnings],
                         fail_on_qa_error=options.fail_on_qa_error)
    with OutputLock(out_dir):
        processes.remove_orphaned_kernel_folders()  # left by runs (or workers) that were killed
        adopt_earlier_layout(out_dir)  # plain folders of an earlier version become a generation
        remove_unused_generations(out_dir)
        manifest = _Manifest(out_dir)
        for stale in (out_dir / ".state").glob("staging-*"):  # left by a run that was killed
            shutil.rmtree(stale, ignore_errors=True)
        staging = out_dir / ".state" / f"staging-{os.getpid()}"
        staging.mkdir(parents=True)
        executor = _Executor(options.jobs, options.progress, options.scheduler)
        build = Generation(out_dir)
        try:
            with temporary_files_in(staging):  # no stray temporary files among the published ones
                aggregates_key = _aggregates_key(tasks, options)
                published = published_record(out_dir, aggregates_key)
                roots: dict[str, Path] = {}
                analyses = _Analyses(registry, factors, activity)
                emissions = _execute_stages(tasks, options, manifest, executor, staging, summary, build, roots,
                                            collect=options.force or published is None, analyses=analyses)
                new_aggregates = not summary.failed and (options.force or published is None) and not emissions.empty
                if new_aggregates and analyses.of(emissions) is None:
                    summary.failed.append(TaskOutcome(ANALYSES_TASK, False, 0.0,
                                                      error=f"the run's analyses failed: {analyses.error}"))
                summary.qa = qa_status(out_dir, tasks, summary, roots)
                _write_index(staging / "index", tasks, summary, registry, data_dir, roots)
                new_aggregates = new_aggregates and not summary.failed
                if _publish_generation(build, manifest, tasks, summary, roots, staging / "index" / "index.html",
                                       new_aggregates):
                    if new_aggregates:  # (QA errors do not stop publishing: they are reported)
                        record = build.write_aggregates(emissions, options.gwp, key=aggregates_key,
                                                        attrs=_aggregate_attrs(options), analyses=analyses.frames)
                    else:
                        record = build.keep_aggregates()
                    build.publish(record)
                    manifest.settle()
                if not summary.failed:
                    summary.rows = len(emissions) if new_aggregates else (published or {}).get("rows") or 0
        finally:
            aborted = sys.exc_info()[0] is not None
            with _signals_deferred():  # a SIGTERM now would cut the clean-up short and leave workers behind
                manifest.close()
                executor.close(aborted=aborted)
                shutil.rmtree(staging, ignore_errors=True)
    summary.seconds = time.perf_counter() - started
    return summary


@contextlib.contextmanager
def _signals_deferred():
    """Hold SIGTERM and SIGINT back (in the main thread) until the block is done; a signal that came
    meanwhile is delivered at its end, so the run still stops, after it has stopped its workers and
    removed its staging folder."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGTERM, signal.SIGINT}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _Analyses:
    """The run's analyses of the collected results (``consistency.csv``, ``key_categories.csv``,
    ``uncertainty.csv``: :func:`inventory.documents.inventory.analyses`), computed at most once."""

    def __init__(self, registry: RegionRegistry, factors: FactorDatabase, activity: ActivityData):
        self.registry, self.factors, self.activity = registry, factors, activity
        self.frames: dict[str, pd.DataFrame] | None = None
        self.error = ""

    def of(self, emissions: pd.DataFrame) -> dict[str, pd.DataFrame] | None:
        """The analyses of ``emissions`` (None, with :attr:`error` set, when they failed)."""
        if self.frames is None and not self.error:
            from inventory.documents.inventory import analyses

            try:
                self.frames = analyses(emissions, self.registry, self.factors, self.activity)
            except Exception as exc:  # a defect of an analysis: reported as a failure, the run goes on
                self.error = f"{type(exc).__name__}: {exc}"
        return self.frames


ANALYSES_TASK = "analyses/all/all"


def _execute_stages(tasks: list[Task], options: RunOptions, manifest: _Manifest, executor: _Executor,
                    staging: Path, summary: RunSummary, build: Generation, roots: dict[str, Path],
                    collect: bool = True, analyses: _Analyses | None = None) -> pd.DataFrame:
    """The sector notebooks, then the documents over them (summaries and inventory documents): each
    finished task promoted into the generation being built (``build``, never the published one) and
    recorded in the manifest as it finishes. ``roots`` is filled with task id → the generation folder
    holding the task's files (the published one, a killed run's unfinished one, or ``build``).
    Returns the sector results, collected when a document is to run or ``collect`` asks for them (an
    empty frame otherwise). Before the documents run, the collected results (with provenance), the
    sector QA flags and the analyses are staged for them."""
    sectors = [t for t in tasks if not t.document]
    summaries = [t for t in tasks if t.document]
    emissions = pd.DataFrame()
    for stage in (sectors, summaries):
        current = set()
        for task in stage:
            entry = manifest.get(task.id)
            root = build.source(entry.get("generation")) if entry and not options.force else None
            if root is not None and _is_current(task, manifest, root):
                current.add(task.id)
                roots[task.id] = root
        todo = [t for t in stage if t.id not in current]
        if stage is summaries:
            failed_ids = {o.task_id for o in summary.failed}
            blocked = [t for t in todo if set(t.depends_on) & failed_ids]
            for task in blocked:
                summary.failed.append(TaskOutcome(task.id, False, 0.0, error="not run: a notebook it sums failed"))
            todo = [t for t in todo if t not in blocked]
            # the sector results are final now: collected once, for the summaries and for publishing
            if todo or collect:
                emissions = _collect(roots, sectors)
            if todo and not emissions.empty:
                write_emissions_csv(staging / "emissions.csv", emissions)
            if any(t.name == INVENTORY for t in todo) and not emissions.empty:
                _stage_documents_inputs(staging, emissions, _collect_flags(roots, sectors), analyses, summary, todo)
                todo = [t for t in todo if t.id not in {o.task_id for o in summary.failed}]
        summary.reused += len(current)
        by_id = {t.id: t for t in todo}
        for outcome in executor.run(todo, staging):
            task = by_id[outcome.task_id]
            if outcome.ok:
                files = _promote(task, staging, build.folder)
                roots[task.id] = build.folder
                manifest.record(task.id, {"key": task.key, "seconds": round(outcome.seconds, 3),
                                          "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
                                          "generation": build.name, "files": files})
                summary.executed += 1
                fault_point("task:recorded")
            else:
                manifest.record(task.id, None)
                kept = _keep_failure(task, staging, build.folder)
                if kept:
                    outcome.error += f" (executed notebook: {summary.out_dir / kept})"
                summary.failed.append(outcome)
        manifest.fold()
    return emissions


def _stage_documents_inputs(staging: Path, emissions: pd.DataFrame, flags: pd.DataFrame,
                            analyses: _Analyses | None, summary: RunSummary, todo: list[Task]) -> None:
    """The inputs of the inventory documents in the staging folder (:data:`DOCUMENT_INPUTS`); when the
    analyses fail, that failure and every inventory document of ``todo`` are recorded as failed."""
    frames = analyses.of(emissions) if analyses is not None else None
    if frames is None:
        error = analyses.error if analyses is not None else "no analyses"
        summary.failed.append(TaskOutcome(ANALYSES_TASK, False, 0.0, error=f"the run's analyses failed: {error}"))
        summary.failed += [TaskOutcome(t.id, False, 0.0, error="not run: the run's analyses failed")
                           for t in todo if t.name == INVENTORY]
        return
    write_document_inputs(staging, emissions, flags, frames)


def write_document_inputs(folder: Path, emissions: pd.DataFrame, flags: pd.DataFrame,
                          frames: dict[str, pd.DataFrame]) -> None:
    """Write the files the inventory documents read (:data:`DOCUMENT_INPUTS`) into ``folder``.

    ``emissions``: the collected sector results with their provenance (``emissions_provenance.csv``);
    ``flags``: the sector tasks' QA flags in one frame (``flags.csv``); ``frames``: file name → the
    run's analyses (:func:`inventory.documents.inventory.analyses`: ``consistency.csv``,
    ``key_categories.csv``, ``uncertainty.csv``). The run stages them so; the naive loop of
    ``benchmarks/bench_pipeline.py`` calls this too, so that both give the documents the same files.
    """
    write_emissions_csv(folder / "emissions_provenance.csv", emissions, with_provenance=True)
    write_table_csv(folder / "flags.csv", flags)
    for name, frame in frames.items():
        write_table_csv(folder / name, frame, float_format="%.6f")


def _collect_flags(roots: dict[str, Path], tasks: list[Task]) -> pd.DataFrame:
    """The QA flags files of ``tasks`` (sector tasks) in one frame."""
    from inventory.sectors.compilation import read_flags

    frames = []
    for task in tasks:
        path = roots[task.id] / "results" / task.relative(FLAGS_SUFFIX) if task.id in roots else None
        if path is not None and path.exists():
            frames.append(read_flags(path))
    if frames:
        return pd.concat(frames, ignore_index=True)
    from inventory.core.method import FLAG_COLUMNS

    return pd.DataFrame(columns=FLAG_COLUMNS)


def read_qa_flags(path: Path) -> QAStatus:
    """The QA status of one task from its flags file (``results/<region>/<year>/<sector>.flags.csv``)."""
    status = QAStatus()
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                severity = row.get("severity", "")
                if severity == "error":
                    status.errors += 1
                    status.error_flags.append(row)
                elif severity == "warning":
                    status.warnings += 1
                else:
                    status.infos += 1
    except (OSError, csv.Error, UnicodeDecodeError):
        status.unknown = True
    return status


def qa_status(out_dir: Path, tasks: list[Task], summary: RunSummary,
              roots: dict[str, Path] | None = None) -> dict[str, QAStatus]:
    """task id → the QA flags of every sector task that did not fail in this run, executed or reused,
    read from the flags files the notebooks wrote beside their results (in ``out_dir``, or in the
    generation folder ``roots`` gives for the task)."""
    failed = {o.task_id for o in summary.failed}
    roots = roots or {}
    return {task.id: read_qa_flags(roots.get(task.id, out_dir) / "results" / task.relative(FLAGS_SUFFIX))
            for task in tasks if not task.document and task.id not in failed}


def format_qa_errors(summary: RunSummary, limit: int = 20) -> str:
    """The error flags of the run, one line each (the first ``limit``), for the end of ``inventory run``."""
    lines = []
    for task_id, status in summary.qa.items():
        for flag in status.error_flags:
            where = " ".join(part for part in (flag.get("category", ""), flag.get("item", ""), flag.get("gas", ""))
                             if part)
            lines.append(f"  QA error {task_id}: {flag.get('check', '')} {where}: {flag.get('message', '')}")
    unknown = [task_id for task_id, status in summary.qa.items() if status.unknown]
    shown = lines[:limit]
    if len(lines) > limit:
        shown.append(f"  ... and {len(lines) - limit} more QA error(s): see the reports (reports/index.html)")
    shown += [f"  QA status unknown {task_id}: its flags file is missing or unreadable" for task_id in unknown]
    return "\n".join(shown)


def _clear_failures(root: Path, tasks: list[Task]) -> None:
    """Remove the kept failed notebooks of tasks that now succeeded from the generation ``root``
    being built, and the folders left empty (``failed/`` itself too when nothing failed)."""
    failed = root / "failed"
    for task in tasks:
        _inside(root, Path("failed") / task.relative(".ipynb")).unlink(missing_ok=True)
    if failed.is_dir():
        for folder in sorted((p for p in failed.rglob("*") if p.is_dir() and not p.is_symlink()),
                             key=lambda p: len(p.parts), reverse=True) + [failed]:
            with contextlib.suppress(OSError):  # not empty: a failure of another selection is kept
                folder.rmdir()


def _collect(roots: dict[str, Path], tasks: list[Task]) -> pd.DataFrame:
    """The results of ``tasks`` from the generation folder holding each (tasks not in ``roots`` failed)."""
    paths = [roots[t.id] / "results" / t.relative(".csv") for t in tasks if t.id in roots]
    frames = [read_results(path) for path in paths if path.exists()]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _aggregates_key(tasks: list[Task], options: RunOptions) -> str:
    """What the aggregate files are made of: the sector tasks' keys and what goes into their attrs."""
    return _sha(*sorted(t.key for t in tasks if not t.document), options.gwp, ",".join(options.factor_sets),
                options.method, str(Path(options.data_dir).resolve()), registry_digest(options.data_dir))


def _aggregate_attrs(options: RunOptions) -> dict:
    """What the aggregate files say they are made of (``inventory.nc`` attributes)."""
    return {
        "data_dir": str(Path(options.data_dir).resolve()),
        "method": resolve_method(options.method).key,
        "factor_sets": ",".join(options.factor_sets),
        "provenance": "see emissions_provenance.csv: activity records (file:line) and factor ids per row",
    }


_GENERATED = re.compile(rb"\d{4}-\d\d-\d\d \d\d:\d\d")


def _same_index(new: Path, published: Path) -> bool:
    """Whether the index written for this run says what the published one says (the time it was
    generated apart)."""
    try:
        return _GENERATED.sub(b"", new.read_bytes()) == _GENERATED.sub(b"", published.read_bytes())
    except OSError:
        return False


def _publish_generation(build: Generation, manifest: _Manifest, tasks: list[Task], summary: RunSummary,
                        roots: dict[str, Path], index: Path, new_aggregates: bool) -> bool:
    """Complete the generation being built for publishing; False when the run changes nothing (no
    task executed or kept as failed, every reused file already published, no new aggregates, no
    failed notebook to clear, the same index): then no generation is made.

    Completing it: the files of every manifest entry recorded in another unfinished generation (a
    killed run's), then every other file of the published generation (hard links), the failed
    notebooks of tasks that now succeeded removed, the index moved in.
    """
    current = build.current
    clear = not summary.failed and current is not None and any(
        (current / "failed" / t.relative(".ipynb")).exists() for t in tasks)
    moved = any(root != current for root in roots.values())
    if not (build.started or moved or new_aggregates or clear) and current is not None \
            and _same_index(index, current / "reports" / "index.html"):
        return False
    for entry in manifest.entries.values():
        source = build.source(entry.get("generation"))
        if source is not None and source != current:
            build.adopt(source, [Path(p) for p in entry.get("files", []) if _relative_path(p)])
    build.fill()
    if not summary.failed:
        _clear_failures(build.folder, tasks)
    (build.folder / "reports").mkdir(exist_ok=True)
    os.replace(index, build.folder / "reports" / "index.html")
    fault_point("publish:index")
    return True


def _relative_path(text: str) -> bool:
    """Whether ``text`` (a file a manifest entry records) is a plain relative path inside a generation."""
    return isinstance(text, str) and not os.path.isabs(text) and ".." not in Path(text).parts


def _write_index(reports_dir: Path, tasks: list[Task], summary: RunSummary, registry: RegionRegistry,
                 data_dir: Path, roots: dict[str, Path]) -> None:
    """``reports_dir/index.html`` linking the reports of the run's tasks (in the generation folder
    ``roots`` gives for each) and marking those that failed."""
    from inventory.present.report import write_index

    failed = {o.task_id for o in summary.failed}
    sectors = sector_registry()
    entries = []
    for task in tasks:
        if task.id not in failed and not (task.id in roots and (roots[task.id] / "reports" /
                                                                task.relative(".html")).exists()):
            continue
        region = registry[task.region]
        qa = summary.qa.get(task.id)
        if task.name == INVENTORY and task.id not in failed:
            # the document's findings (its results file): the QA status of the region-year as a whole
            qa = read_qa_flags(roots[task.id] / "results" / task.relative(".csv"))
        entries.append({
            "region": task.region, "region_label": region.label("zh"), "year": task.year,
            "name": task.name, "href": task.relative(".html").as_posix(),
            "title": (f"{sectors[task.name].title_zh} / {sectors[task.name].title_en}" if task.name in sectors
                      else "温室气体清单（全部门）/ the inventory document" if task.name == INVENTORY
                      else "清单汇总 / inventory summary"),
            "status": "failed" if task.id in failed else "ok",
            # the QA flags of a sector report, the findings of a document (None: a summary, or a failed task)
            "qa": None if qa is None else {"errors": qa.errors, "warnings": qa.warnings, "unknown": qa.unknown},
            # a document's findings repeat its sectors' flags: not counted again above the table
            "document": task.name == INVENTORY,
        })
    entries.sort(key=lambda e: not e["document"])  # the document first in its region-year
    note = DEMO_NOTE if is_demo(data_dir) else f"数据目录 / data folder: {Path(data_dir).resolve()}"
    write_index(reports_dir, entries, "温室气体清单报告 / GHG inventory reports", note)


def format_failures(summary: RunSummary) -> str:
    lines = []
    for outcome in summary.failed:
        cell = f" in cell {outcome.cell}" if outcome.cell is not None else ""
        lines.append(f"  FAILED {outcome.task_id}{cell}: {outcome.error}")
    return "\n".join(lines)
