"""Shared fixtures: small inputs, built once, whose every number can be checked by hand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from inventory.core.factors import FactorDatabase, load_factors
from inventory.core.regions import RegionRegistry, load_regions
from inventory.core.vocabulary import Vocabulary, load_vocabulary

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def vocabulary() -> Vocabulary:
    return load_vocabulary()


@pytest.fixture(scope="session")
def registry() -> RegionRegistry:
    """The shipped region registry (no data folder)."""
    return load_regions()


@pytest.fixture(scope="session")
def shipped_factors() -> FactorDatabase:
    """The shipped factor database alone."""
    return load_factors()


def write_lines(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


@pytest.fixture
def data_folder(tmp_path: Path) -> Callable[..., Path]:
    """Factory for a data folder in ``tmp_path``.

    ``data_folder(activity={"a.csv": [lines]}, factors={"local.csv": [lines]}, regions=[lines])``
    writes the files (each list of lines includes its header) and returns the folder.
    """

    def make(activity: dict[str, list[str]] | None = None, factors: dict[str, list[str]] | None = None,
             regions: list[str] | None = None, encoding: str = "utf-8") -> Path:
        for name, lines in (activity or {}).items():
            write_lines(tmp_path / "activity" / name, lines, encoding)
        for name, lines in (factors or {}).items():
            write_lines(tmp_path / "factors" / name, lines, encoding)
        if regions is not None:
            write_lines(tmp_path / "regions.csv", regions, encoding)
        return tmp_path

    return make


@pytest.fixture(scope="session")
def combustion_dir() -> Path:
    """``tests/fixtures/combustion``: see ``tests/fixtures/README.md``."""
    return FIXTURES / "combustion"


@pytest.fixture(scope="session")
def combustion_factors(combustion_dir: Path) -> FactorDatabase:
    return load_factors(combustion_dir)


def _record(line: int, category: str, item: str, quantity: str, value: float, unit: str,
            value_reported: str, unit_reported: str, notation: str = "") -> dict:
    return {"region": "430522", "year": 2020, "category": category, "item": item, "quantity": quantity,
            "period": "", "value": value, "unit": unit, "value_reported": value_reported,
            "unit_reported": unit_reported, "notation": notation, "uncertainty": "", "source": "test fixture",
            "note": "", "origin": "", "file": "activity/energy.csv", "line": line, "region_reported": "430522"}


@pytest.fixture(scope="session")
def combustion_records() -> pd.DataFrame:
    """The records of ``tests/fixtures/combustion/activity/energy.csv``, built by hand.

    Values are in canonical units: 100 万立方米 = 100 × 10^4 m^3 = 1 000 000 m^3; 1 万吨 = 10 000 t.
    """
    rows = [
        _record(2, "1.A.2", "diesel", "consumption", 1000.0, "t", "1000", "吨"),
        _record(3, "1.A.2", "natural_gas", "consumption", 1_000_000.0, "m^3", "100", "万立方米"),
        _record(4, "1.A.4.b", "natural_gas", "consumption", 200_000.0, "m^3", "20", "万立方米"),
        _record(5, "1.A.2", "raw_coal", "consumption", 10_000.0, "t", "1", "万吨"),
        _record(6, "1.A.1.a", "raw_coal", "consumption", 10_000.0, "t", "1", "万吨"),
        _record(7, "1.A.2", "natural_gas", "non_energy_use", 500_000.0, "m^3", "50", "万立方米"),
        _record(8, "1.A.1.a", "natural_gas", "non_energy_use", 100_000.0, "m^3", "10", "万立方米"),
        _record(9, "1.A.2", "crude_oil", "consumption", np.nan, "t", "", "", notation="NO"),
        _record(10, "EB", "diesel", "final_consumption", 1000.0, "t", "1000", "吨"),
    ]
    records = pd.DataFrame(rows)
    records.loc[records["line"].isin([7, 8]), "note"] = "原料用能"
    records.loc[records["line"] == 10, "note"] = "energy balance: not burned here"
    return records


# ----------------------------------------------------------------------------------------------
# the ``slow`` marker: tests that start processes or kernels (papermill and nbconvert runs, the CLI in a
# subprocess, dask clusters, workbook generation over the demo, building and installing the wheel).
# ``pytest -m "not slow"`` (``make test-fast``) leaves them out and runs in about 30 seconds; ``make test``
# runs everything. A test also counts as slow when it carries ``@pytest.mark.slow`` itself. Measured
# with ``pytest --durations=0``: a new test that starts a process belongs in one of these lists.

#: every test of these modules (``tests/<name>.py``)
SLOW_MODULES = {
    "test_scale": "runs killed and SIGTERMed, dask clusters, the benchmarks, compute over the whole demo",
    "test_energy_report": "one `inventory run` (CLI subprocess) of the demo city, then reads its report",
    "test_agriculture_notebook": "one papermill run of the agriculture notebook (a county-year), against compute",
    "test_lulucf_notebook": "papermill: the LULUCF notebook of a county-year, compared with inventory compute",
}

#: every test that uses one of these fixtures (each runs the pipeline's notebooks in kernels)
SLOW_FIXTURES = {
    "good_run": "test_cli: `inventory run` in a subprocess, twice",
    "incremental": "test_cli: four `inventory run`s in subprocesses",
    "two_runs": "test_run (pipeline): the run API with one and with two warm workers",
    "first_run": "test_scale: a run of the shipped demo",
    "installed": "test_wheel: builds the wheel, a fresh venv, pip install, `inventory run`",
}

#: single tests: module → test names (every parametrisation of each)
SLOW_TESTS = {
    "test_cli": {
        "test_help_exits_zero",  # the CLI in subprocesses
        "test_bad_data_new_out_folder_is_not_created",
        "test_bad_data_leaves_existing_outputs_untouched",
        "test_locked_out_folder_exits_3",
        "test_old_region_code_is_understood",  # in process, but executes the notebooks in kernels
    },
    "test_notebooks": {  # papermill
        "test_energy_notebook_runs_with_its_defaults",
        "test_energy_notebook_other_region_and_year",
    },
    "test_ingest": {
        "test_templates_then_fill_then_ingest_then_run",  # the CLI in subprocesses, `inventory run`
        "test_templates_for_every_region_of_a_year_by_default",  # the CLI, 15 workbooks
        "test_shipped_demo_workbooks_are_what_the_generator_makes_now",  # workbook generation over the demo
        "test_shipped_demo_workbooks_give_the_demo_records",  # ingests 31 region-years of demo workbooks
    },
    "test_sector_contract": {
        "test_a_sector_of_its_own_runs_through_run_and_compute",  # `inventory run` in subprocesses
    },
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Add the ``slow`` marker to the tests of :data:`SLOW_MODULES`, :data:`SLOW_FIXTURES` and :data:`SLOW_TESTS`."""
    for item in items:
        module = item.path.stem
        name = getattr(item, "originalname", item.name)
        if (module in SLOW_MODULES or name in SLOW_TESTS.get(module, ())
                or SLOW_FIXTURES.keys() & set(getattr(item, "fixturenames", ()))):
            item.add_marker(pytest.mark.slow)
