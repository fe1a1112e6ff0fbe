"""The notebooks as committed: clean, parameterised, and runnable as a user runs them in JupyterLab.

The energy notebook is executed with papermill in ``notebooks/`` with its default parameters (the
shipped demo, ``data_dir = "../data_raw"``), as "run all" does, and with other regions and years.
Executed copies go to ``tmp_path``; nothing is written into the repository (``results_path`` stays
empty in interactive runs).
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import papermill
import pytest

from inventory.pipeline.run import NOTEBOOKS

NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))


def _parameters_cell(notebook) -> nbformat.NotebookNode:
    cells = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, "exactly one cell tagged 'parameters'"
    return cells[0]


def _assigned(source: str) -> dict:
    """Names assigned in a parameters cell, with their literal values."""
    values = {}
    for node in ast.parse(source).body:
        assert isinstance(node, ast.Assign), f"a parameters cell holds plain assignments: {ast.unparse(node)}"
        for target in node.targets:
            values[target.id] = ast.literal_eval(node.value)
    return values


def test_there_are_notebooks():
    names = {p.stem for p in NOTEBOOK_FILES}
    assert {"energy", "summary"} <= names


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_committed_without_outputs(path: Path):
    notebook = nbformat.read(str(path), as_version=4)
    nbformat.validate(notebook)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.get("execution_count") is None, f"cell {index + 1} has an execution count"
            assert cell.get("outputs") == [], f"cell {index + 1} has outputs"
        assert "papermill" not in cell.metadata, f"cell {index + 1} carries papermill metadata"
    assert "papermill" not in notebook.metadata


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_parameters_cell(path: Path):
    notebook = nbformat.read(str(path), as_version=4)
    values = _assigned(_parameters_cell(notebook).source)
    assert "region" in values
    assert "year" in values or "years" in values
    assert {"data_dir", "out_dir"} <= set(values)
    # the defaults point at the shipped demo, relative to notebooks/ (where JupyterLab runs them)
    assert (path.parent / values["data_dir"]).resolve() == (NOTEBOOKS.parent / "data_raw").resolve()
    assert values.get("results_path", "") == "", "an interactive run writes no results file"


def _outputs_text(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"{output.get('ename')}: {output.get('evalue')}"
            parts.append(output.get("text", ""))
            for kind in ("text/markdown", "text/html", "text/plain"):
                parts.append(output.get("data", {}).get(kind, ""))
    return "\n".join(parts)


def _execute(tmp_path: Path, name: str, **parameters):
    target = tmp_path / f"{name}-{'-'.join(str(v) for v in parameters.values()) or 'defaults'}.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS / f"{name}.ipynb"), str(target), parameters=parameters,
                               cwd=str(NOTEBOOKS), kernel_name="python3", progress_bar=False)
    return nbformat.read(str(target), as_version=4)


def test_energy_notebook_runs_with_its_defaults(tmp_path):
    """What a user gets with "run all" in JupyterLab: the shipped demo, marked as illustrative."""
    defaults = _assigned(_parameters_cell(nbformat.read(str(NOTEBOOKS / "energy.ipynb"), as_version=4)).source)
    notebook = _execute(tmp_path, "energy")
    text = _outputs_text(notebook)
    assert "示例数据" in text
    assert f"（{defaults['region']}）· {defaults['year']} 年" in text
    assert "万吨 CO₂当量" in text
    assert "未写结果文件" in text, "interactive run: no results file"
    assert any("workbench-chart" in o.get("data", {}).get("text/html", "") for c in notebook.cells
               for o in c.get("outputs", [])), "the chart by category and fuel family"


@pytest.mark.parametrize(("region", "year", "name"), [
    ("430523", 2016, "邵阳县"),
    # 邵东: 430582 since 2019; the demo files its 2016 records under the old code 430521
    ("430582", 2016, "邵东市"),
])
def test_energy_notebook_other_region_and_year(tmp_path, region, year, name):
    notebook = _execute(tmp_path, "energy", region=region, year=year)
    text = _outputs_text(notebook)
    assert f"{name}（{region}）· {year} 年" in text
    assert "示例数据" in text
    # the activity table names where the records are filed
    assert "energy_consumption_2015-2018.csv:" in text
