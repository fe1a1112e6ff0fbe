"""The LULUCF notebook of one county-year, executed with papermill as ``inventory run`` does, and its
results against ``inventory compute`` (the vectorised path): identical."""

from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import papermill

from inventory.core.results import read_results
from inventory.pipeline.compute import compute_inventory
from inventory.pipeline.run import NOTEBOOKS

DATA = NOTEBOOKS.parent / "data_raw"


def test_county_notebook_runs_and_equals_compute(tmp_path: Path):
    results = tmp_path / "lulucf.csv"
    target = tmp_path / "lulucf.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS / "lulucf.ipynb"), str(target), cwd=str(NOTEBOOKS),
                               kernel_name="python3", progress_bar=False,
                               parameters={"region": 430527, "year": 2022, "data_dir": str(DATA),
                                           "results_path": str(results)})
    notebook = nbformat.read(str(target), as_version=4)
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "绥宁县（430527）· 2022 年" in text and "示例数据" in text
    assert "净吸收" in text and "flex-direction:row-reverse" in text  # the net sink, negative bars
    assert "乔木林" in text and "杉木" in text  # the sink by forest type and species group
    assert ">NE<" in text  # categories without data: NE, not zero

    from_notebook = read_results(results)
    from_compute = compute_inventory(DATA, regions=["430527"], years=[2022], sectors=["lulucf"])
    keys = ["region", "year", "category", "item", "gas"]
    joined = pd.merge(from_notebook.assign(year=from_notebook["year"].astype(int)),
                      from_compute.assign(year=from_compute["year"].astype(int)), on=keys, how="outer",
                      suffixes=("_nb", "_compute"), indicator=True)
    assert (joined["_merge"] == "both").all()
    assert len(joined) == len(from_compute) > 10
    # the results file keeps 6 decimals
    np.testing.assert_allclose(joined["emissions_t_nb"], joined["emissions_t_compute"], atol=1e-6, rtol=0)
    assert (joined["emissions_t_nb"] < 0).any()  # removals negative
