"""notebooks/waste.ipynb: one county-year of the shipped demo executed with papermill, its results
file identical to ``inventory compute`` (the vectorised path) for the same region and year."""

from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest

from inventory.pipeline.compute import compute_inventory
from inventory.pipeline.run import NOTEBOOKS

DEMO = NOTEBOOKS.parent / "data_raw"


@pytest.mark.slow
def test_waste_notebook_for_a_county_matches_inventory_compute(tmp_path: Path):
    results = tmp_path / "waste.csv"
    target = tmp_path / "waste-430523-2022.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS / "waste.ipynb"), str(target),
                               parameters={"region": 430523, "year": 2022, "results_path": str(results)},
                               cwd=str(NOTEBOOKS), kernel_name="python3", progress_bar=False)
    notebook = nbformat.read(str(target), as_version=4)
    text = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"{output.get('ename')}: {output.get('evalue')}"
            text += [output.get("text", "")] + [output.get("data", {}).get(k, "") for k in ("text/html", "text/plain")]
    text = "\n".join(text)
    assert "邵阳县（430523）· 2022 年" in text and "示例数据" in text
    assert "years estimated by back-casting: 2000–2014" in text  # the demo's records begin in 2015
    assert "CH4排放量（吨）" in text and "waste-0092" in text  # the series and the k row behind it
    # the results file holds 6 decimals (write_results)
    notebook_rows = pd.read_csv(results, dtype={"region": str}).sort_values(["category", "item", "gas"])
    computed = compute_inventory(DEMO, regions=["430523"], years=[2022], sectors=["waste"])
    computed = computed.sort_values(["category", "item", "gas"])
    assert set(notebook_rows["category"]) == {"4.A.1", "4.D.1", "4.D.2"}
    assert list(notebook_rows["gas"]) == list(computed["gas"])
    expected = computed["emissions_t"].to_numpy()
    assert notebook_rows["emissions_t"].to_numpy() == pytest.approx(expected, rel=1e-9, abs=1e-6)
    assert list(notebook_rows["factor_ids"]) == list(computed["factor_ids"])
