"""The shipped waste factors (inventory/data/factors/waste.csv): built by scripts/build_waste_factors.py,
each row with its source and confidence, Hunan's climate zone for k, and the unverified ones flagged."""

import importlib.util
from pathlib import Path

import pytest

from inventory.core.factors import load_factors

ROOT = Path(__file__).resolve().parents[3]
REFERENCE = ROOT.parent / "shared" / "reference" / "factors"


def _script():
    spec = importlib.util.spec_from_file_location("build_waste_factors", ROOT / "scripts" / "build_waste_factors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (REFERENCE / "waste.csv").exists(), reason="the developers' reference collection is absent")
def test_the_shipped_file_is_what_the_build_script_writes():
    assert _script().main([str(REFERENCE), "--check"]) == 0


def test_shipped_rows():
    rows = load_factors().rows
    waste = rows[rows["file"] == "inventory/data/factors/waste.csv"]
    assert set(waste["factor_set"]) == {"ipcc2006", "cn_guideline"}
    assert (waste["source"] != "").all()
    # k by climate zone: boreal/temperate wet, for Hunan alone
    k = waste[waste["parameter"] == "k"].set_index("item")
    assert set(k["region"]) == {"430000"}
    assert k.loc["msw_food", "value"] == 0.185 and k.loc["msw_wood", "value"] == 0.03
    # recalled values are memory; every provincial-guideline value is unverified
    assert set(waste.loc[waste["id"].str.startswith("mem-"), "confidence"]) == {"memory"}
    assert set(waste.loc[waste["factor_set"] == "cn_guideline", "confidence"]) <= {"memory", "derived"}
    # bulk MSW DOC derived from the Eastern Asia composition: .262×.15 + .188×.40 + .035×.43 + .035×.24
    doc = waste.set_index("id").loc["derived-doc-msw-eastern-asia", "value"]
    assert doc == pytest.approx(0.262 * 0.15 + 0.188 * 0.40 + 0.035 * 0.43 + 0.035 * 0.24)
