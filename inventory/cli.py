"""The ``inventory`` command (CONTRACTS §1).

Exit codes: 0 success; 1 a notebook failed (the others finished, earlier outputs are intact);
2 invalid input or usage, a ``--data`` folder that does not exist among them (nothing written);
3 the output folder is locked by another run; 4 ``inventory run --fail-on-qa-error`` only: every
notebook ran and the outputs are written, but QA flags of severity ``error`` were found (listed on
stderr, counted in the last line, marked on ``reports/index.html``); 1 wins when a notebook failed too;
130 stopped by Ctrl-C (one line on stderr; what was published before is as it was).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from inventory import __version__

__all__ = ["main", "parse_years", "parse_list", "EXIT_INTERRUPTED", "EXIT_QA_ERRORS"]

#: the exit code of ``inventory run --fail-on-qa-error`` when QA flags of severity error were found
EXIT_QA_ERRORS = 4


def parse_years(text: str) -> list[int] | None:
    """``2015-2023``, ``2021,2022`` or ``all``."""
    if text in ("", "all"):
        return None
    years: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            start, end = part.split("-", 1)
            if not (start.isdigit() and end.isdigit()) or int(start) > int(end):
                raise argparse.ArgumentTypeError(f"bad year range {part!r} (use e.g. 2015-2023)")
            years += list(range(int(start), int(end) + 1))
        elif part.isdigit() and len(part) == 4:
            years.append(int(part))
        else:
            raise argparse.ArgumentTypeError(f"bad year {part!r} (four digits, e.g. 2022)")
    return sorted(set(years))


def parse_list(text: str) -> list[str] | None:
    """``a,b`` (Chinese commas ``，`` and ``、`` too) or ``all``."""
    if text in ("", "all"):
        return None
    for comma in ("，", "、"):
        text = text.replace(comma, ",")
    return [p.strip() for p in text.split(",") if p.strip()]


def _missing_data_folder(command: str, data) -> bool:
    """True (with the message on stderr) when ``--data`` names no folder: nothing is to be done then."""
    if data is None or Path(data).is_dir():
        return False
    what = "不是目录 / is not a folder" if Path(data).exists() else "不存在 / does not exist"
    print(f"inventory {command}: 数据目录 {data} {what}（--data）/ the data folder {data} {what.split(' / ')[1]} "
          f"(--data: {Path(data).absolute()}); nothing was written", file=sys.stderr)
    return True


def _selection_arguments(parser: argparse.ArgumentParser, out: str) -> None:
    """Where the data is, where results go, what to compute, with which GWP set and factors."""
    parser.add_argument("--data", default="data_raw",
                        help="data folder with activity/*.csv (default: data_raw, the shipped demo of the checkout; "
                             "a folder that does not exist is an error)")
    parser.add_argument("--out", default=out, help=f"output folder (default: {out})")
    parser.add_argument("--regions", default="all", type=parse_list,
                        help="region codes or names (邵阳县, Shaoyang County), comma-separated, or all")
    parser.add_argument("--years", default="all", type=parse_years, help="2015-2023, 2021,2022 or all")
    parser.add_argument("--gwp", default="AR5", help="GWP100 set: SAR, AR4, AR5 (default), AR6")
    parser.add_argument("--method", default="",
                        help="method edition: cn_provincial (省级温室气体清单编制指南, default; = cn_provincial:2011), "
                             "ipcc2006; where the method has no value, its fallback fills in and reports list each "
                             "fill")
    parser.add_argument("--factor-sets", default="", type=lambda s: parse_list(s) or [],
                        help="factor sets preferred even before the method's (advanced; default: none)")
    parser.add_argument("--grid-series", default="auto",
                        help="grid emission-factor series of the electricity memo M.ELEC: auto (default: the "
                             "province's own series where published, e.g. grid_province_hunan, else its regional "
                             "grid, e.g. grid_central_china 华中), grid_national_average, grid_ets_default, or a "
                             "local series")
    parser.add_argument("--forest-method", default="stock_volume",
                        help="forest method of LULUCF 3.B.1.a: stock_volume (蓄积量法, the provincial guideline; "
                             "default), gain_loss_volume (IPCC BCEF), gain_loss_area (IPCC G_W)")
    parser.add_argument("--landfill-method", default="fod",
                        help="landfill method of waste 4.A: fod (IPCC 2006 first-order decay, default) or "
                             "mass_balance (质量平衡法, the provincial guideline)")
    parser.add_argument("--landfill-backcast", default="trend",
                        help="deposits before the first recorded year: trend (default), constant or none")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inventory",
        description="温室气体清单编制工作台 / GHG inventory compilation workbench",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser(
        "run", help="validate inputs, execute the sector notebooks per region × year, write results and reports",
        description="Validate the data folder, run the sector notebooks with papermill for every selected "
                    "region × year, then the summary notebooks; write emissions.csv, inventory.nc, executed "
                    "notebooks and HTML reports. Unchanged work is reused.")
    _selection_arguments(run, out="outputs")
    run.add_argument("--sectors", default="all", type=parse_list,
                     help="sectors of the registry, comma-separated: energy, lulucf (ippu, agriculture, waste as "
                          "they land; default: every sector with a notebook)")
    run.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel workers (default: cores)")
    run.add_argument("--lang", default="zh", choices=["zh", "en"], help="report language (default zh)")
    run.add_argument("--force", action="store_true", help="execute every notebook even if unchanged")
    run.add_argument("--quiet", action="store_true",
                     help="no progress (otherwise a bar on a terminal, a line every few seconds on stderr when it is "
                          "not one, e.g. in a log)")
    run.add_argument("--fail-on-qa-error", action="store_true",
                     help=f"exit {EXIT_QA_ERRORS} when a notebook's QA flags include an error (missing factor ...), "
                          "reused notebooks included; the outputs are still written. Without it such a run exits 0 "
                          "and its last line counts the QA errors")
    run.add_argument("--scheduler", default=None,
                     help="run the notebooks on a dask.distributed cluster (tcp://HOST:PORT) instead of local workers")

    compute = commands.add_parser(
        "compute", help="vectorised computation of every region × year at once, without notebooks",
        description="Validate the data folder and compute the emissions of every selected region and year in one "
                    "vectorised pass (the same equations and factor rows as the notebooks); write emissions.csv, "
                    "emissions_provenance.csv and inventory.nc. No notebooks, no reports.")
    _selection_arguments(compute, out="outputs/compute")
    compute.add_argument("--sectors", default="all", type=parse_list,
                         help="sectors, comma-separated (default: every registered sector)")

    templates = commands.add_parser(
        "templates", help="write Excel data-collection workbooks, one per department × region × year",
        description="Write one data-collection workbook (.xlsx) per department × region × year: instructions, data "
                    "sheets with fixed units, validation and last year's values. Existing workbooks are left alone "
                    "(they may be being filled in) unless --force.")
    templates.add_argument("--out", required=True, help="folder for the workbooks")
    templates.add_argument("--data", default=None,
                           help="data folder whose records fill in last year's values (default: none, the reference "
                                "cells stay empty; --data data_raw shows the shipped demo's, marked 示例数据)")
    templates.add_argument("--regions", default="all", type=parse_list,
                           help="region codes, comma-separated (default: the city, its counties and parks)")
    templates.add_argument("--years", default="", type=parse_years,
                           help="years (default: the year after the last year with data)")
    templates.add_argument("--departments", default="all", type=parse_list,
                           help="stats,power,industry,agriculture,forestry,housing,environment (default: all); "
                                "enterprises: one workbook per key enterprise of --data's enterprises/*.csv")
    templates.add_argument("--contact", default="", help="whom departments ask, printed in every workbook")
    templates.add_argument("--force", action="store_true", help="overwrite existing workbooks")

    ingest = commands.add_parser(
        "ingest", help="read filled workbooks / CSV into validated activity records of the data folder",
        description="Read filled workbooks (.xlsx) and activity CSV files, check every cell, and file their records "
                    "in <data>/activity/. Every problem is listed with file and sheet!cell (or line); when there is "
                    "any, nothing is written. A revised workbook replaces the records of its earlier copy.")
    ingest.add_argument("inputs", nargs="+", type=Path, help="workbooks, CSV files or folders of them")
    ingest.add_argument("--data", required=True,
                        help="data folder to file the records in (required; it must exist; the shipped demo folder "
                             "data_raw/ is refused unless --into-demo)")
    ingest.add_argument("--into-demo", action="store_true",
                        help="allow filing records into the shipped illustrative demo folder (data_raw/ of the "
                             "checkout); real records never belong there")
    ingest.add_argument("--regions", default="all", type=parse_list, help="accept only these regions")
    ingest.add_argument("--years", default="all", type=parse_years, help="accept only these years")
    ingest.add_argument("--report", default="ingest-report.html", type=Path,
                        help="validation report: .html (default ingest-report.html) or .xlsx")
    ingest.add_argument("--dry-run", action="store_true", help="check only; write nothing but the report")
    ingest.add_argument("--replace", action="store_true",
                        help="replace activity files that were not made from the same input (the earlier file is "
                             "kept in <data>/replaced/)")
    _analysis_commands(commands)
    return parser


def _analysis_commands(commands) -> None:
    """``key-categories`` and ``uncertainty`` on any inventory table (CONTRACTS §6)."""
    keys = commands.add_parser(
        "key-categories", help="key categories of any inventory table (IPCC 2006 Vol.1 Ch.4 Approach 1)",
        description="Level (Eq. 4.1, the latest year) and trend (Eq. 4.2, base year → latest year) assessment of "
                    "a CSV with category,gas,year,co2e_t; a category is key while the cumulative share before it "
                    "is below the threshold. Writes the CONTRACTS §6 columns to --out (nothing on bad input).")
    keys.add_argument("table", type=Path, help="CSV with category,gas,year,co2e_t")
    keys.add_argument("--year", type=int, required=True, help="latest year (level assessment)")
    keys.add_argument("--base-year", type=int, required=True, help="base year of the trend assessment")
    keys.add_argument("--threshold", type=float, default=95.0, help="cumulative share in %% (default 95)")
    keys.add_argument("--without-lulucf", action="store_true", help="leave out LULUCF (3.B)")
    keys.add_argument("--out", type=Path, required=True, help="output CSV")
    spread = commands.add_parser(
        "uncertainty", help="uncertainty of the totals and the trend of any inventory table (IPCC 2006 Vol.1 Ch.3)",
        description="Approach 1 (error propagation, Eq. 3.1, 3.2, Table 3.2) or Approach 2 (Monte Carlo) of a CSV "
                    "with category,gas,year,co2e_t and optional u_activity_pct, u_factor_pct (± %% at 95 %%) and "
                    "factor_key (rows with one key share one factor draw). Writes the CONTRACTS §6 columns to --out.")
    spread.add_argument("table", type=Path, help="CSV with category,gas,year,co2e_t[,u_activity_pct,u_factor_pct,"
                                                 "factor_key]")
    spread.add_argument("--year", type=int, required=True, help="latest year")
    spread.add_argument("--base-year", type=int, required=True, help="base year of the trend")
    spread.add_argument("--approach", type=int, required=True, choices=[1, 2], help="1 or 2")
    spread.add_argument("--draws", type=int, default=10000, help="Monte Carlo draws (Approach 2; default 10000)")
    spread.add_argument("--seed", type=int, default=20230101, help="random seed (Approach 2; default 20230101)")
    spread.add_argument("--out", type=Path, required=True, help="output CSV")


def _analysis(args) -> int:
    from inventory.core.errors import InputError
    from inventory.core.results import atomic_write_text, csv_safe
    from inventory.documents.analysis_input import read_analysis_table

    command = f"inventory {args.command}"
    if args.command == "uncertainty" and args.draws < 1:
        print(f"{command}: 抽样次数 --draws 至少为 1 / --draws must be at least 1 (got {args.draws}); nothing was "
              "written", file=sys.stderr)
        return 2
    try:
        table = read_analysis_table(args.table, [args.year, args.base_year], uncertainty=args.command == "uncertainty")
        if args.command == "key-categories":
            from inventory.documents.key_categories import key_categories

            result = key_categories(table, args.year, args.base_year, args.threshold, args.without_lulucf)
        else:
            from inventory.documents.uncertainty import uncertainty

            result = uncertainty(table, args.year, args.base_year, args.approach, draws=args.draws, seed=args.seed)
    except InputError as exc:
        print(f"{command}: nothing was written.\n{exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # a table the equations cannot assess (a base-year total of zero)
        print(f"{command}: nothing was written. {args.table}: {exc}", file=sys.stderr)
        return 2
    atomic_write_text(Path(args.out), csv_safe(result).to_csv(index=False, float_format="%.10g"))
    print(f"{command}: ok; {len(result)} rows written to {Path(args.out).resolve()}")
    return 0


def _run(args) -> int:
    from inventory.core.errors import InputError
    from inventory.core.gwp import normalise_gwp_set
    from inventory.pipeline.run import OutputLocked, RunOptions, format_failures, format_qa_errors, run

    if _missing_data_folder("run", args.data):
        return 2
    try:
        gwp = normalise_gwp_set(args.gwp)
    except ValueError as exc:
        print(f"inventory run: {exc}", file=sys.stderr)
        return 2
    if args.jobs < 1:
        print("inventory run: --jobs must be at least 1", file=sys.stderr)
        return 2
    options = RunOptions(
        data_dir=Path(args.data), out_dir=Path(args.out), regions=args.regions, years=args.years,
        sectors=args.sectors, jobs=args.jobs, gwp=gwp, factor_sets=args.factor_sets, method=args.method,
        lang=args.lang,
        progress=not args.quiet, force=args.force, scheduler=args.scheduler,
        grid_series=args.grid_series, forest_method=args.forest_method,
        landfill_method=args.landfill_method, landfill_backcast=args.landfill_backcast,
        fail_on_qa_error=args.fail_on_qa_error,
    )
    try:
        summary = run(options)
    except InputError as exc:
        print(f"inventory run: nothing was written.\n{exc}", file=sys.stderr)
        return 2
    except OutputLocked as exc:
        print(f"inventory run: {exc}", file=sys.stderr)
        return 3
    for warning in summary.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if summary.failed:
        print(format_failures(summary), file=sys.stderr)
    qa = format_qa_errors(summary)
    if qa:
        print(f"QA errors / 质量控制错误 ({summary.qa_text()}):\n{qa}", file=sys.stderr)
    if not summary.failed:
        print(f"reports: {summary.out_dir / 'reports' / 'index.html'}")
    print(summary.line())  # the last line: "... executed N, reused M notebooks; K QA errors ..."
    if summary.failed:
        return 1
    return EXIT_QA_ERRORS if summary.qa_failed else 0


def _compute(args) -> int:
    import time

    from inventory.core.errors import InputError
    from inventory.core.gwp import normalise_gwp_set
    from inventory.pipeline.compute import compute_inventory
    from inventory.pipeline.publish import publish_aggregates
    from inventory.pipeline.run import OutputLock, OutputLocked

    started = time.perf_counter()
    if _missing_data_folder("compute", args.data):
        return 2
    try:
        gwp = normalise_gwp_set(args.gwp)
        warnings: list[str] = []
        emissions = compute_inventory(args.data, args.regions, args.years, gwp, args.factor_sets, options=args,
                                      sectors=args.sectors, method=args.method, warnings=warnings)
    except InputError as exc:
        print(f"inventory compute: nothing was written.\n{exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"inventory compute: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out).resolve()
    try:
        # the same lock as `inventory run`: never two writers of one folder; the set is published as
        # one generation, recorded with no run key, so a run into this folder writes its own again
        with OutputLock(out):
            publish_aggregates(out, emissions, gwp, attrs={"data_dir": str(Path(args.data).resolve())}, key=None)
    except OutputLocked as exc:
        print(f"inventory compute: nothing was written. {exc}", file=sys.stderr)
        return 3
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"inventory compute: ok; {len(emissions)} emission rows; {time.perf_counter() - started:.1f} s; "
          f"outputs in {out}")
    return 0


def _stop_on_sigterm(signum, frame):
    """A scheduler stops a run with SIGTERM: unwind like Ctrl-C, so that workers and kernels are
    stopped, the staging folder removed and the lock released (published files are untouched)."""
    raise SystemExit(128 + signum)


#: the exit code of a command stopped by Ctrl-C (128 + SIGINT, as a shell reports it)
EXIT_INTERRUPTED = 130


def main(argv: list[str] | None = None) -> int:
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return _main(argv)
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        return _main(argv)
    except KeyboardInterrupt:
        # Ctrl-C: one line, no traceback; the command has already undone what it had under way
        # (a run: workers and kernels stopped, staging removed, published files as they were)
        command = next((a for a in (argv if argv is not None else sys.argv[1:]) if not a.startswith("-")), "")
        print(f"{' '.join(filter(None, ('inventory', command)))}: 已中断（Ctrl-C），已发布的输出保持原样 / "
              f"interrupted (Ctrl-C); the outputs published before are as they were", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous)


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "run":
        return _run(args)
    if args.command == "compute":
        return _compute(args)
    if args.command == "templates":
        return _templates(args)
    if args.command in ("key-categories", "uncertainty"):
        return _analysis(args)
    return _ingest(args)


def _templates(args) -> int:
    from inventory.collect.workbooks import write_templates
    from inventory.core.errors import InputError

    if _missing_data_folder("templates", args.data):
        return 2
    try:
        run = write_templates(Path(args.out), Path(args.data) if args.data else None, args.regions, args.years,
                              args.departments, contact=args.contact, force=args.force)
    except InputError as exc:
        print(f"inventory templates: nothing was written.\n{exc}", file=sys.stderr)
        return 2
    for path in run.skipped:
        print(f"kept (already there; --force to overwrite): {path}", file=sys.stderr)
    print(f"inventory templates: ok; {len(run.written)} workbook(s) written, {len(run.skipped)} kept; in "
          f"{Path(args.out).resolve()}")
    return 0


def _ingest(args) -> int:
    from inventory.collect.ingest import ingest, write_report

    if _missing_data_folder("ingest", args.data):
        return 2
    result = ingest(args.inputs, Path(args.data), regions=args.regions, years=args.years, dry_run=args.dry_run,
                    into_demo=args.into_demo, replace=args.replace)
    report = write_report(result, args.report)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not result.ok:
        print(f"inventory ingest: nothing was written.\n{len(result.issues)} problem(s) / 处问题:", file=sys.stderr)
        for issue in result.issues:
            print(f"  {issue}", file=sys.stderr)
    for entry in result.files:
        if result.ok:
            state = "unchanged" if entry.unchanged else f"{len(entry.changes)} change(s)"
            print(f"{entry.display} → {entry.target}: {entry.records} records, {state}")
            for change in entry.changes[:50]:
                print(f"    {change.kind:8} {change.key}: {change.before or '—'} → {change.after or '—'}")
            if len(entry.changes) > 50:
                print(f"    ... and {len(entry.changes) - 50} more (see the report)")
    print(f"report: {report.resolve()}")
    print(result.line())
    return 0 if result.ok else 2


if __name__ == "__main__":
    sys.exit(main())
