"""Results: the tidy emissions table (CONTRACTS §5), its NetCDF cube, and atomic writers.

Every file is written to a temporary file and renamed into place, so a reader (or a run killed
half-way) never sees a torn file: it sees the old one or the new one. The temporary file is made in
the target's folder, or, inside :func:`temporary_files_in`, in the folder it names (the pipeline's
own staging folder): then a run killed with ``kill -9`` leaves no stray temporary file among the
published ones either.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import xarray as xr

from inventory import __version__
from inventory.core.safetext import csv_text, is_formula_like
from inventory.core.schema import EMISSIONS_COLUMNS, PROVENANCE_COLUMNS, for_writing

__all__ = ["EMISSIONS_COLUMNS", "PROVENANCE_COLUMNS", "atomic_write_text", "atomic_write_bytes", "temporary_files_in",
           "csv_safe", "write_table_csv", "write_emissions_csv", "emissions_cube", "write_netcdf", "read_results",
           "totals"]


def _file_mode() -> int:
    """0o666 less the process's current umask (mkstemp makes 0600; published files follow the umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_TEMPORARY_FOLDER: contextvars.ContextVar[Path | None] = contextvars.ContextVar("temporary_folder", default=None)


@contextlib.contextmanager
def temporary_files_in(folder: Path) -> Iterator[None]:
    """Make the temporary files of atomic writes in ``folder`` (it must exist) rather than beside
    their targets, wherever ``folder`` is on the same file system as the target (a rename cannot
    cross file systems)."""
    token = _TEMPORARY_FOLDER.set(Path(folder))
    try:
        yield
    finally:
        _TEMPORARY_FOLDER.reset(token)


def _temporary_folder_for(path: Path) -> Path:
    folder = _TEMPORARY_FOLDER.get()
    if folder is not None and folder.is_dir() and os.stat(folder).st_dev == os.stat(path.parent).st_dev:
        return folder
    return path.parent


def _atomic(path: Path, write) -> None:
    """Call ``write(temporary_path)``, then rename the finished file onto ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=_temporary_folder_for(path))
    os.close(handle)
    try:
        write(temporary)
        os.chmod(temporary, _file_mode())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _write_synced(temporary: str, data: bytes) -> None:
    with open(temporary, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def atomic_write_bytes(path: Path, data: bytes) -> None:
    _atomic(path, lambda temporary: _write_synced(temporary, data))


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text field as :func:`inventory.core.safetext.csv_text` makes it: a file
    name, a factor id or a message from input that begins with ``=``, ``+``, ``-`` or ``@`` gets a
    leading apostrophe, so a spreadsheet opening the CSV shows it as text, never runs it as a
    formula. Numbers (and numbers written as text, ``-1.5``) are unchanged; a field already made
    safe stays as it is, so a table read back and written again is the same."""
    changed = {}
    for column in frame.columns:
        values = frame[column]
        if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            continue
        risky = values.map(lambda v: isinstance(v, str) and is_formula_like(v)).astype(bool)
        if risky.any():
            changed[column] = values.where(~risky, values[risky].map(csv_text))
    return frame.assign(**changed) if changed else frame


def write_table_csv(path: Path, frame: pd.DataFrame, float_format: str | None = None) -> None:
    """A table as CSV meant to be opened in Excel too (every text field through :func:`csv_safe`),
    written atomically."""
    atomic_write_text(path, csv_safe(frame).to_csv(index=False, float_format=float_format))


def write_emissions_csv(path: Path, emissions: pd.DataFrame, with_provenance: bool = False) -> None:
    """``emissions.csv``: one row per region, year, category, item, gas (sorted, stable)."""
    columns = EMISSIONS_COLUMNS + (PROVENANCE_COLUMNS if with_provenance else [])
    frame = (for_writing(emissions) if with_provenance else emissions)[columns]
    frame = frame.sort_values(EMISSIONS_COLUMNS[:5]).reset_index(drop=True)
    write_table_csv(path, frame, float_format="%.6f")


def read_results(path: Path) -> pd.DataFrame:
    """A results file or ``emissions.csv`` / ``emissions_provenance.csv`` as written (text fields
    that :func:`csv_safe` neutralised keep their leading apostrophe)."""
    return pd.read_csv(path, dtype={"region": str, "category": str, "item": str, "gas": str},
                       keep_default_na=False, na_values=[""])


def totals(emissions: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Inventory totals: memo items (categories ``M.*``) never enter them.

    ``co2e_t`` always; ``emissions_t`` (tonnes of one gas) only when ``gas`` is among ``by`` —
    tonnes of different gases do not add up.
    """
    inventory = emissions[~emissions["category"].str.startswith("M.")]
    columns = ["emissions_t", "co2e_t"] if "gas" in by else ["co2e_t"]
    return inventory.groupby(by, as_index=False)[columns].sum()


def emissions_cube(emissions: pd.DataFrame, gwp_set: str, attrs: dict | None = None) -> xr.Dataset:
    """The emissions as a cube: dims (region, year, category, item), one variable per gas [t]."""
    dims = ["region", "year", "category", "item"]
    # one wide table first, so that every gas shares the union of all coordinates (assigning gas by
    # gas into a Dataset would align each to the first one and drop labels it lacks)
    wide = emissions.pivot_table(index=dims, columns="gas", values="emissions_t", aggfunc="sum")
    wide["CO2e"] = emissions.groupby(dims)["co2e_t"].sum()
    cube = xr.Dataset.from_dataframe(wide)
    for gas in wide.columns:
        if gas == "CO2e":
            cube[gas].attrs.update(units="t CO2e", long_name="CO2-equivalent emissions", gwp_context=f"{gwp_set}GWP100")
        else:
            cube[gas].attrs.update(units="t", long_name=f"{gas} emissions", entity=gas)
    cube.attrs.update({
        "title": "GHG inventory emissions",
        "software": f"ghg-inventory-workbench {__version__}",
        "gwp_context": f"{gwp_set}GWP100",
        "conventions": "removals negative; categories M.* are memo items outside totals",
        **(attrs or {}),
    })
    return cube


def write_netcdf(path: Path, cube: xr.Dataset) -> None:
    _atomic(path, cube.to_netcdf)
