"""QA/QC of the inventory document (inventory.documents.qa): every check on hand-made frames whose numbers are
worked out in the comments, and the whole on the demo through ``inventory compute`` (no kernels)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from inventory.core.activity import read_inputs
from inventory.core.provenance import UNVERIFIED
from inventory.documents import qa
from inventory.pipeline.compute import compute_records

DEMO = Path(__file__).resolve().parents[2] / "data_raw"
FACTOR_COLUMNS = ["id", "parameter", "category", "item", "gas", "value", "unit", "factor_set", "source",
                  "source_table", "confidence", "uncertainty"]


def factor(factor_id, parameter="ncv", confidence="verified", category="1.A", item="raw_coal", gas="", value=1.0,
           unit="GJ/t", factor_set="ipcc2006", uncertainty=""):
    return dict(zip(FACTOR_COLUMNS, [factor_id, parameter, category, item, gas, value, unit, factor_set,
                                     f"source of {factor_id}", "Table 1", confidence, uncertainty]))


def row(year, category, item, gas, emissions, activity=np.nan, unit="t", energy=np.nan, links=(), co2e=None,
        region="430500", line=1, confidence="verified"):
    return {"region": region, "year": year, "category": category, "item": item, "gas": gas, "emissions_t": emissions,
            "activity_value": activity, "activity_unit": unit, "energy_tj": energy,
            "records": f"activity/a.csv:{line}", "method": "m", "links": tuple(links),
            "co2e_t": emissions if co2e is None else co2e, "confidence": confidence}


def frame(rows):
    return pd.DataFrame(rows)


NO_FLAGS = pd.DataFrame(columns=["region", "year", "category", "item", "gas", "check", "severity", "message"])


# -- (a) implied emission factors ---------------------------------------------------------------

def test_combustion_co2_per_tj_outside_the_shipped_range_is_found_once_for_the_years_outside():
    # raw_coal: carbon content 23.8–31.3 t C/TJ (parameter_ranges.csv), oxidation 0.85–1.0:
    # low = 23.8 × 44/12 × 0.85 = 74.18 t CO2/TJ, high = 31.3 × 44/12 × 1.0 = 114.77 t CO2/TJ
    emissions = frame([
        row(2021, "1.A.1.a", "raw_coal", "CO2", 9500.0, 1000.0, energy=100.0),    # 95 t/TJ: inside
        row(2022, "1.A.1.a", "raw_coal", "CO2", 13000.0, 1000.0, energy=100.0),   # 130 t/TJ: above 114.77
        row(2022, "1.A.1.a", "diesel", "CO2", 7400.0, 1000.0, energy=100.0),  # 74: inside 61.7–74.8 (19.8–20.4)
    ])
    found = qa.implied_factor_findings(emissions, pd.DataFrame([factor("x")]))
    assert found[["check", "category", "item", "gas", "year", "co2e_t"]].values.tolist() == [
        ["implied_factor", "1.A.1.a", "raw_coal", "CO2", 2022, 13000.0]]
    assert "74.18–114.8 t CO2/TJ" in found["message"].iloc[0]
    assert found["message"].iloc[0].startswith("1.A.1.a raw_coal CO2 的隐含排放因子")
    assert found["where"].iloc[0] == "activity/a.csv:1"


def test_a_whole_ef_outside_the_shipped_ipcc_range_is_found():
    fugitive = factor("fugitive", "ef", category="1.B.1.a.i.1", gas="CH4", value=12.06, unit="kg/t",
                      uncertainty="6.7..16.75")
    # 20 t CH4 / 1000 t coal = 0.02 t/t = 20 kg/t > 16.75 kg/t; 15 t / 1000 t = 15 kg/t is inside
    emissions = frame([row(2021, "1.B.1.a.i.1", "raw_coal", "CH4", 15.0, 1000.0, co2e=420.0),
                       row(2022, "1.B.1.a.i.1", "raw_coal", "CH4", 20.0, 1000.0, co2e=560.0)])
    found = qa.implied_factor_findings(emissions, pd.DataFrame([fugitive]))
    assert found[["category", "gas", "year", "co2e_t"]].values.tolist() == [["1.B.1.a.i.1", "CH4", 2022, 560.0]]
    # the range in the activity's unit: 6.7 kg/t = 0.0067 t/t, 16.75 kg/t = 0.01675 t/t
    assert "0.0067–0.01675 t/t" in found["message"].iloc[0]


# -- (b) year on year ---------------------------------------------------------------------------

def test_year_on_year_beyond_the_one_threshold_only():
    assert qa.YOY_THRESHOLD == 0.3  # the sectors' threshold (sectors/qa.py), one constant
    emissions = frame([
        row(2021, "1.A.1.a", "raw_coal", "CO2", 100.0), row(2022, "1.A.1.a", "raw_coal", "CO2", 140.0),  # +40 %
        row(2021, "1.A.2.a", "raw_coal", "CO2", 100.0), row(2022, "1.A.2.a", "raw_coal", "CO2", 125.0),  # +25 %
        # 0.1 → 1.0 is +900 %, but 1.0 < 0.5 % of the energy total max(140 + 125 + 1, 100 + 100 + 0.1) = 1.33
        row(2021, "1.A.3.b", "diesel", "CO2", 0.1), row(2022, "1.A.3.b", "diesel", "CO2", 1.0),
        row(2022, "1.A.4.b", "lpg", "CO2", 50.0),  # new in 2022: a series gap, not a change
    ])
    found = qa.year_on_year_findings(emissions)
    assert found[["category", "gas", "year", "co2e_t"]].values.tolist() == [["1.A.1.a", "CO2", 2022, 140.0]]
    assert "+40%" in found["message"].iloc[0] and "100 → 140" in found["message"].iloc[0]


def test_year_on_year_counts_a_sink_by_its_size():
    # −100 → −150: (−150 − (−100)) / |−100| = −50 %
    emissions = frame([row(2021, "3.B.1.a", "arbor_forest", "CO2", -100.0),
                       row(2022, "3.B.1.a", "arbor_forest", "CO2", -150.0)])
    found = qa.year_on_year_findings(emissions)
    assert found["co2e_t"].tolist() == [150.0]
    assert "-50%" in found["message"].iloc[0]


# -- (c) factor changes -------------------------------------------------------------------------

def test_a_factor_change_that_moves_the_implied_factor_is_a_break_and_one_that_keeps_it_is_not():
    emissions = frame([
        # raw coal: ncv A → B; IEF 1800/1000 = 1.8 → 2424/1010 = 2.4 t/t (+33.3 %), activity +1 %: a break
        row(2021, "1.A.1.a", "raw_coal", "CO2", 1800.0, 1000.0, links=[("ncv", "A"), ("carbon_content", "C")]),
        row(2022, "1.A.1.a", "raw_coal", "CO2", 2424.0, 1010.0, links=[("ncv", "B"), ("carbon_content", "C")]),
        # natural gas: G1 → G2 with activity +30 % and emissions +30 %: IEF 2.0 → 2.0 — must NOT fire
        row(2021, "1.A.1.a", "natural_gas", "CO2", 2000.0, 1000.0, links=[("ncv", "G1")]),
        row(2022, "1.A.1.a", "natural_gas", "CO2", 2600.0, 1300.0, links=[("ncv", "G2")]),
        # coke: K1 → K2, IEF 3.0 → 6300/1500 = 4.2 (+40 %) but activity +50 % moved more: not a factor break
        row(2021, "1.A.1.a", "coke", "CO2", 3000.0, 1000.0, links=[("ncv", "K1")]),
        row(2022, "1.A.1.a", "coke", "CO2", 6300.0, 1500.0, links=[("ncv", "K2")]),
        # diesel: same factor, IEF 3.0 → 4.0: no factor change, no finding here
        row(2021, "1.A.1.a", "diesel", "CO2", 3000.0, 1000.0, links=[("ncv", "D")]),
        row(2022, "1.A.1.a", "diesel", "CO2", 4000.0, 1000.0, links=[("ncv", "D")]),
    ])
    found = qa.factor_change_findings(emissions)
    assert found[["check", "item", "year", "factor_id", "co2e_t"]].values.tolist() == [
        ["factor_change", "raw_coal", 2022, "B", 2424.0]]
    message = found["message"].iloc[0]
    assert "ncv A → B" in message and "1.8 → 2.4 t/t" in message and "+33%" in message and "+1%" in message


def test_a_factor_change_read_back_from_factor_ids_text():
    emissions = frame([row(2021, "2.A.1", "clinker", "CO2", 500.0, 1000.0),
                       row(2022, "2.A.1", "clinker", "CO2", 510.0, 800.0)]).drop(columns="links")
    emissions["factor_ids"] = ["ef=ippu-1", "ef=local:3"]
    # IEF 500/1000 = 0.5 → 510/800 = 0.6375 t/t: +27.5 %, within the 30 % threshold
    assert qa.factor_change_findings(emissions).empty
    emissions.loc[1, "emissions_t"] = emissions.loc[1, "co2e_t"] = 560.0  # 560/800 = 0.7: +40 %, activity −20 %
    found = qa.factor_change_findings(emissions)
    assert found["factor_id"].tolist() == ["local:3"] and "ef ippu-1 → local:3" in found["message"].iloc[0]


# -- (d) series gaps and notation keys ----------------------------------------------------------

def records(rows):
    return pd.DataFrame([{"region": "430500", "year": y, "category": c, "item": i, "quantity": q, "notation": n,
                          "note": note, "file": "activity/agriculture.csv", "line": line}
                         for y, c, i, q, n, note, line in rows])


def test_a_series_that_stops_needs_a_notation_key_with_a_note():
    emissions = frame([
        row(2021, "3.A.1", "sheep", "CH4", 10.0, co2e=280.0), row(2021, "3.A.1", "goats", "CH4", 5.0, co2e=140.0),
        row(2021, "3.A.1", "swine", "CH4", 2.0, co2e=56.0), row(2022, "3.A.1", "dairy_cattle", "CH4", 1.0),
        row(2021, "3.A.1", "dairy_cattle", "CH4", 1.0),
    ])
    filed = records([(2022, "3.A", "sheep", "stock_year_end", "NO", "no sheep kept any more", 40),
                     (2022, "3.A", "goats", "stock_year_end", "NO", "", 41)])
    found = qa.series_findings(emissions, filed, "430500")
    by_item = {r["item"]: r for r in found.to_dict("records")}
    assert set(by_item) == {"goats", "swine"}  # sheep: NO with a note explains the gap
    assert by_item["goats"]["where"] == "activity/agriculture.csv:41" and "NO" in by_item["goats"]["message"]
    assert by_item["goats"]["co2e_t"] == 140.0 and by_item["goats"]["year"] == 2022
    assert "no value and no notation key" in by_item["swine"]["message"]


def test_a_series_that_starts_and_a_notation_key_that_changes():
    emissions = frame([row(2021, "4.C.1", "msw", "CO2", 0.0), row(2022, "4.C.1", "msw", "CO2", 0.0),
                       row(2022, "4.B", "composting", "CH4", 3.0, co2e=84.0)])
    filed = records([(2021, "1.A.1.a", "crude_oil", "consumption", "NO", "", 7),
                     (2022, "1.A.1.a", "crude_oil", "consumption", "NE", "", 9)])
    found = qa.series_findings(emissions, filed, "430500")
    assert found[["check", "category", "year", "severity"]].values.tolist() == [
        ["series_gap", "4.B", 2021, "warning"], ["notation_change", "1.A.1.a", 2022, "warning"]]
    assert found["where"].iloc[1] == "activity/agriculture.csv:7; activity/agriculture.csv:9"


def test_a_year_without_any_result_is_no_gap():
    emissions = frame([row(2020, "3.A.1", "swine", "CH4", 2.0), row(2022, "3.A.1", "goats", "CH4", 2.0)])
    assert qa.series_findings(emissions, None, "430500").empty  # 2021 not computed: nothing to compare


# -- (e) unverified and missing factors ---------------------------------------------------------

def test_one_finding_per_unverified_factor_row_over_the_years():
    factors = pd.DataFrame([factor("X", "ef", "memory", "3.C.7", "single_rice", "CH4", 236.7, "kg/ha"),
                            factor("V", "ef", "verified", "3.B", "arbor_forest")])
    emissions = frame([
        row(2021, "3.C.7", "single_rice", "CH4", 10.0, links=[("ef", "X")], co2e=280.0),
        row(2022, "3.C.7", "single_rice", "CH4", 300 / 28, links=[("ef", "X")], co2e=300.0),
        row(2022, "3.B.1.a", "arbor_forest", "CO2", -100.0, links=[("ef", "V")]),
        row(2022, "4.A.1", "msw", "CH4", np.nan, links=[("DOC", "")], co2e=np.nan),
    ])
    found = qa.factor_findings(emissions, factors)
    unverified = found[found["check"] == "unverified_factor"]
    # 2022: 300 rest on X of |300| + |−100| = 400 → 75.0 %
    assert unverified[["factor_id", "year", "co2e_t"]].values.tolist() == [["X", 2022, 300.0]]
    assert "75.0%" in unverified["message"].iloc[0] and "2021–2022" in unverified["message"].iloc[0]
    missing = found[found["check"] == "missing_factor"]
    assert missing[["category", "item", "year"]].values.tolist() == [["4.A.1", "msw", 2022]]
    flagged = pd.DataFrame([{"region": "430500", "year": 2022, "category": "4.A.1", "item": "msw", "gas": "CH4",
                             "check": "missing_factor", "severity": "error", "message": "no DOC"}])
    assert (qa.factor_findings(emissions, factors, flagged)["check"] != "missing_factor").all()


# -- the document's findings --------------------------------------------------------------------

def test_document_findings_fold_the_sector_flags_and_drop_the_superseded_ones():
    factors = pd.DataFrame([factor("A")])
    emissions = frame([row(y, "1.A.1.a", "raw_coal", "CO2", 100.0, links=[("ncv", "A")]) for y in (2020, 2021, 2022)]
                      + [row(2022, "1.A.1.a", "raw_coal", "CO2", 1.0, region="430523", links=[("ncv", "A")])])
    flags = pd.DataFrame([
        {"region": "430500", "year": y, "category": "EB", "item": "raw_coal", "gas": "", "check": "balance_closure",
         "severity": "warning", "message": f"statistical difference {y}"} for y in (2021, 2022)] + [
        {"region": "430500", "year": 2022, "category": "1.A.1.a", "item": "", "gas": "CO2e",
         "check": "year_on_year", "severity": "warning", "message": "+40%"},
        {"region": "430500", "year": 2022, "category": "1.A.1.a", "item": "raw_coal", "gas": "CO2",
         "check": "no_method", "severity": "error", "message": "no method"},
        {"region": "430523", "year": 2022, "category": "1.A", "item": "", "gas": "", "check": "no_method",
         "severity": "error", "message": "another region"},
        {"region": "430500", "year": 2019, "category": "1.A", "item": "", "gas": "", "check": "no_method",
         "severity": "error", "message": "before the base year"}])
    found = qa.document_findings(emissions, flags, factors, "430500", [2021, 2022], 2020)
    assert found[["severity", "check", "year"]].values.tolist() == [["error", "no_method", 2022],
                                                                   ["warning", "balance_closure", 2022]]
    assert found["co2e_t"].iloc[0] == 100.0 and found["where"].iloc[0] == "activity/a.csv:1"
    assert found["message"].iloc[1] == "statistical difference 2022（另见 2021 年） (also 2021)"
    assert list(found.columns) == qa.FINDING_COLUMNS
    assert qa.qa_counts(found) == {"error": 1, "warning": 1, "info": 0}


# -- by factor row, unverified share ------------------------------------------------------------

def test_flags_grouped_by_factor_row_with_what_rests_on_it():
    factors = pd.DataFrame([factor("X", confidence="memory"), factor("V")])
    emissions = frame([
        row(2021, "1.A.1.a", "raw_coal", "CO2", 300.0, links=[("ncv", "X"), ("oxidation", "V")]),
        row(2022, "1.A.1.a", "raw_coal", "CO2", 100.0, links=[("ncv", "X"), ("oxidation", "V")]),
        row(2022, "1.A.2.a", "raw_coal", "CO2", 100.0, region="430523", links=[("oxidation", "V")]),
        row(2022, "M.ELEC", "electricity", "CO2", 999.0, links=[("oxidation", "V")]),  # memo: no CO2e counted
        row(2022, "4.A.1", "msw", "CH4", 0.0, links=[("DOC", "")]),
    ])
    flags = pd.DataFrame([{"region": "430500", "year": y, "category": "1.A", "item": "raw_coal", "gas": "",
                           "check": "unverified_factor", "severity": "warning",
                           "message": f"因子未核实 unverified factor X (ncv …) {y}"} for y in (2021, 2022)]
                         + [{"region": "430500", "year": 2022, "category": "4.A.1", "item": "msw", "gas": "CH4",
                             "check": "missing_factor", "severity": "error", "message": "no DOC"}])
    table = qa.by_factor_row(emissions, flags, factors).set_index("factor_id")
    # V: 300 + 100 + 100 of the inventory total 500 (the memo's 999 counts no CO2e) = 100 %
    assert table.loc["V", ["rows", "region_years", "co2e_t", "share", "flag_count"]].tolist() == [4, 3, 500.0, 1.0, 0]
    # X: 300 + 100 = 400 → 80 %; named by both unverified flags
    assert table.loc["X", ["rows", "region_years", "co2e_t", "share", "flag_count", "checks"]].tolist() == [
        2, 2, 400.0, 0.8, 2, "unverified_factor ×2"]
    assert table.loc["X", "confidence"] == "memory"
    assert table.loc["", ["parameter", "confidence", "flag_count"]].tolist() == ["DOC", "missing", 1]


def test_unverified_share_by_sector_by_size():
    emissions = frame([
        row(2022, "1.A.1.a", "raw_coal", "CO2", 100.0, confidence="verified"),
        row(2022, "1.A.1.a", "diesel", "CO2", 50.0, confidence="memory"),
        row(2022, "M.ELEC", "electricity", "CO2", 500.0, confidence="memory"),  # memo: left out
        row(2022, "3.B.1.a", "arbor_forest", "CO2", -200.0, confidence="secondary"),
        row(2022, "3.B.1.a", "bamboo", "CO2", -100.0, confidence="local"),
        row(2022, "3.C.7", "single_rice", "CH4", 30.0, co2e=840.0, confidence="missing"),
        row(2022, "3.A.1", "swine", "CH4", 1.0, co2e=28.0, confidence="derived"),
    ])
    table = qa.unverified_share(emissions).set_index("sector")
    assert table.loc["energy", ["total_co2e_t", "unverified_co2e_t"]].tolist() == [150.0, 50.0]
    assert table.loc["energy", "share"] == pytest.approx(50 / 150)
    assert table.loc["lulucf", ["total_co2e_t", "unverified_co2e_t", "share"]].tolist() == [300.0, 200.0,
                                                                                           pytest.approx(2 / 3)]
    assert table.loc["agriculture", ["total_co2e_t", "unverified_co2e_t", "share"]].tolist() == [868.0, 868.0, 1.0]
    assert np.isnan(table.loc["waste", "share"])
    # total: 150 + 300 + 868 = 1318, unverified 50 + 200 + 868 = 1118
    assert table.loc["total", ["total_co2e_t", "unverified_co2e_t"]].tolist() == [1318.0, 1118.0]


# -- completeness -------------------------------------------------------------------------------

def test_completeness_of_hand_made_results():
    emissions = frame([row(2022, "1.A.1.a", "raw_coal", "CO2", 100.0), row(2022, "1.A.1.a", "raw_coal", "N2O", 1.0),
                       row(2022, "4.B", "composting", "CH4", 3.0), row(2021, "4.C.1", "msw", "CO2", 5.0)])
    filed = records([(2022, "1.A.1.a", "crude_oil", "consumption", "NO", "不燃用原油", 5),
                     (2022, "1.B.1.a.i", "raw_coal", "production", "NO", "无煤矿", 6),
                     (2022, "3.A", "sheep", "stock_year_end", "NO", "", 7)])
    table = qa.completeness(emissions, filed, "430500", 2022).set_index("category")
    assert table.loc["1.A.1", ["status", "gases", "co2e_t"]].tolist() == ["estimated", "CO2, N2O", 101.0]
    assert "crude_oil NO（不燃用原油）" in table.loc["1.A.1", "note"]
    assert table.loc["1.B.1", ["status", "where"]].tolist() == ["NO", "activity/agriculture.csv:6"]
    assert table.loc["3.A.1", "status"] == "NO" and table.loc["3.A.2", "status"] == "NO"  # 3.A covers both
    assert table.loc["4.B", "status"] == "estimated"  # a level-2 category without subcategories
    assert table.loc["4.C.1", ["status", "note"]].tolist() == ["NE", "未填报数据 / no data filed"]  # 2021 only
    assert table.loc["3.C.1", "note"] == "工作台无此类别的计算方法 / no method in the workbench"
    assert table.loc["1.A.1", ["name_zh", "sector_zh"]].tolist() == ["能源工业", "能源活动"]
    assert "1.A.1.a" not in table.index and "5.A" not in table.index and "M.ELEC" not in table.index


def test_completeness_of_a_region_whose_records_file_no_notation_key():
    # a park: records, but none with a notation key (the demo's parks failed here with KeyError 'file')
    emissions = frame([row(2022, "1.A.1.a", "raw_coal", "CO2", 100.0)])
    filed = records([(2022, "1.A.1.a", "raw_coal", "consumption", "", "", 5)])
    table = qa.completeness(emissions, filed, "430500", 2022).set_index("category")
    assert table.loc["1.A.1", "status"] == "estimated" and table.loc["1.B.1", "status"] == "NE"

# -- the demo through ``inventory compute`` -----------------------------------------------------

@pytest.fixture(scope="module")
def demo():
    activity, factors = read_inputs(DEMO)
    emissions = compute_records(activity, factors, regions=["430500"], years=[2021, 2022])
    return emissions, activity.records, factors


def test_the_demo_city_over_two_years(demo):
    emissions, records, factors = demo
    assert "links" not in emissions.columns  # the results file's form: factor_ids as text
    findings = qa.document_findings(emissions, NO_FLAGS, factors, "430500", [2021, 2022], 2021, records=records)
    assert sum(qa.qa_counts(findings).values()) == len(findings) > 0
    unverified = findings[findings["check"] == "unverified_factor"]
    assert unverified["factor_id"].is_unique
    confidence = dict(zip(factors.rows["id"], factors.rows["confidence"]))
    assert {confidence[f] for f in unverified["factor_id"]} <= UNVERIFIED
    # the demo's 3.C.4 crude-residue N is NE every year with its note: no series gap for it
    assert not ((findings["check"] == "series_gap") & (findings["category"] == "3.C.4")).any()

    table = qa.completeness(emissions, records, "430500", 2022).set_index("category")
    assert table.loc["1.A.1", "status"] == "estimated" and "CO2" in table.loc["1.A.1", "gases"]
    assert "crop_residue_n NE（秸秆还田氮未调查" in table.loc["3.C.4", "note"]
    assert table.loc["3.C.1", "status"] == "NE"

    share = qa.unverified_share(emissions).set_index("sector")
    inventory = emissions[~emissions["category"].str.startswith("M.")]
    assert share.loc["total", "total_co2e_t"] == pytest.approx(inventory["co2e_t"].abs().sum())
    weak = inventory["confidence"].isin(UNVERIFIED | {"missing"})
    assert share.loc["total", "unverified_co2e_t"] == pytest.approx(inventory.loc[weak, "co2e_t"].abs().sum())

    by_factor = qa.by_factor_row(emissions, NO_FLAGS, factors)
    assert by_factor["factor_id"].is_unique and (by_factor["share"].dropna() <= 1.0 + 1e-12).all()
