"""The agriculture notebook of one county-year, executed with papermill on the shipped demo, and its
results against ``inventory compute`` (the vectorised path): the same rows, the same numbers."""

from pathlib import Path

import nbformat
import pandas as pd
import papermill

from inventory.core.results import read_results
from inventory.pipeline.compute import compute_inventory

ROOT = Path(__file__).resolve().parents[3]
NOTEBOOK = ROOT / "notebooks" / "agriculture.ipynb"
KEYS = ["region", "year", "category", "item", "gas"]


def _text(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"{output.get('ename')}: {output.get('evalue')}"
            parts.append(output.get("text", ""))
            for kind in ("text/markdown", "text/html", "text/plain"):
                parts.append(output.get("data", {}).get(kind, ""))
    return "\n".join(parts)


def test_county_year_notebook_and_compute_agree(tmp_path):
    results = tmp_path / "agriculture.csv"
    target = tmp_path / "agriculture.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(target), cwd=str(NOTEBOOK.parent), kernel_name="python3",
                               progress_bar=False,
                               parameters={"region": 430523, "year": 2022, "results_path": str(results)})
    text = _text(nbformat.read(str(target), as_version=4))
    assert "示例数据" in text and "（430523）· 2022 年" in text
    # the population derivation, with the source of days_alive (the demo's local row)
    assert "Eq. 10.1" in text and "factors/agriculture_local.csv:2" in text
    # notation keys: the sheep filed NO, biomass burning without a method
    assert "NO — 填报的注释符号" in text and "本工作台未提供方法" in text
    assert "workbench-chart" in text

    notebook_rows = read_results(results)
    computed = compute_inventory(ROOT / "data_raw", regions=["430523"], years=[2022], sectors=["agriculture"])
    joined = pd.merge(notebook_rows[KEYS + ["emissions_t", "factor_ids"]].astype({"year": int}),
                      computed[KEYS + ["emissions_t", "factor_ids"]].astype({"year": int}),
                      on=KEYS, how="outer", suffixes=("_notebook", "_compute"), indicator=True)
    assert (joined["_merge"] == "both").all(), joined[joined["_merge"] != "both"]
    assert len(joined) == len(computed) > 20
    # the results file holds 6 decimals; compute keeps full precision
    assert ((joined["emissions_t_notebook"] - joined["emissions_t_compute"]).abs() <= 5e-7).all()
    assert (joined["factor_ids_notebook"] == joined["factor_ids_compute"]).all()
    assert set(computed["category"].str[:3]) == {"3.A", "3.C"}
