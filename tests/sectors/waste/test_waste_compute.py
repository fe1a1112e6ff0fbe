"""inventory.sectors.waste.compute: the waste sector over records and factor rows, against hand
arithmetic; two cases through the shipped defaults against published worked figures."""

import csv
import math
from pathlib import Path

import pytest

from inventory.core.activity import read_inputs
from inventory.core.methods import resolve_method
from inventory.sectors.results import compute_sector, settings_for
from inventory.sectors.waste import SECTOR

HEADER = ["region", "year", "category", "item", "quantity", "value", "unit", "notation", "uncertainty", "source",
          "note"]
FACTOR_HEADER = "parameter,category,item,gas,value,unit,region,year_from,year_to,source\n"


def write_data(root: Path, rows: list[tuple], factors: str = "") -> Path:
    (root / "activity").mkdir(parents=True)
    with (root / "activity" / "waste.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for region, year, category, item, quantity, value, unit in rows:
            writer.writerow([region, year, category, item, quantity, value, unit, "", "", "test", ""])
    if factors:
        (root / "factors").mkdir()
        (root / "factors" / "local.csv").write_text(FACTOR_HEADER + factors, encoding="utf-8")
    return root


def run(data: Path, method: str = "", **parameters):
    activity, factors = read_inputs(data)
    settings = settings_for(SECTOR, "AR5", [], parameters=parameters, method=resolve_method(method))
    result = compute_sector(SECTOR, activity.records, factors, settings)
    emissions = result.emissions.set_index(["region", "year", "category", "item", "gas"])["emissions_t"]
    return emissions, result


#: k = ln 2 (e^-k = 0.5) and DOC 0.2 by local rows; DOCf 0.5, MCF(4.A.1) 1, F 0.5, OX 0 shipped
HALF_LIFE = "k,4.A,msw,,0.6931471805599453,1/yr,*,,,test\nDOC,4.A,msw,,0.2,1,*,,,test\n"
#: deposits 2003 1000 t, none filed in 2004 (a gap), 2005 2000 t, 2006 400 t; 15 t CH4 recovered in 2006
DEPOSITS = [("430523", 2003, "4.A.1", "msw", "landfilled", 1000, "t"),
            ("430523", 2005, "4.A.1", "msw", "landfilled", 2000, "t"),
            ("430523", 2006, "4.A.1", "msw", "landfilled", 400, "t"),
            ("430523", 2006, "4.A.1", "msw", "ch4_recovered", 15, "t")]


def test_fod_over_an_irregular_history_with_recovery(tmp_path):
    # DDOCm = W × 0.2 × 0.5 × 1: 2003 100, 2004 0, 2005 200, 2006 40
    # DDOCma: 100; 50; 200 + 25 = 225; 40 + 112.5 = 152.5 · decomposed: 0; 50; 25; 112.5
    # CH4 = decomposed × 0.5 × 16/12: 0; 33.333; 16.667; 75 − 15 recovered = 60 (OX 0)
    emissions, result = run(write_data(tmp_path, DEPOSITS, HALF_LIFE), landfill_backcast="none")
    series = [emissions[("430523", y, "4.A.1", "msw", "CH4")] for y in (2003, 2004, 2005, 2006)]
    assert series == pytest.approx([0.0, 100 / 3, 50 / 3, 60.0])
    gap = result.flags[result.flags["check"] == "deposit_gap"]
    assert list(gap["year"]) == [2004] and set(gap["severity"]) == {"warning"}
    links = dict(result.emissions.set_index("year").loc[2006, "links"])
    assert links["k"] == "factors/local.csv:2" and links["MCF"] == "waste-0013"


def test_backcast_constant_from_the_first_landfill(tmp_path):
    # 2001 and 2002 estimated at 1000 t each (DDOCm 100 each):
    # DDOCma 2001 100; 2002 150; 2003 175; 2004 87.5; 2005 243.75; 2006 161.875
    # decomposed 2003 75; 2004 87.5; 2005 43.75; 2006 121.875 → CH4 × 2/3: 50; 58.333; 29.167; 81.25 − 15 = 66.25
    emissions, result = run(write_data(tmp_path, DEPOSITS, HALF_LIFE), landfill_backcast="constant",
                            landfill_first_year=2001)
    series = [emissions[("430523", y, "4.A.1", "msw", "CH4")] for y in (2003, 2004, 2005, 2006)]
    assert series == pytest.approx([50.0, 175 / 3, 87.5 / 3, 66.25])
    assert ("430523", 2002, "4.A.1", "msw", "CH4") not in emissions.index  # reported from the first record on
    landfill = result.extras["landfill"].set_index("year")
    assert list(landfill.loc[[2001, 2002, 2003], "estimated"]) == [True, True, False]
    assert "backcast" in set(result.flags["check"])


def test_mass_balance(tmp_path):
    # L0 = 1 × 0.2 × 0.5 × 0.5 × 16/12 = 1/15; 2003 1000/15 = 66.667; 2005 2000/15 = 133.333;
    # 2006 400/15 − 15 = 11.667
    emissions, _ = run(write_data(tmp_path, DEPOSITS, HALF_LIFE), landfill_method="mass_balance")
    assert emissions[("430523", 2003, "4.A.1", "msw", "CH4")] == pytest.approx(1000 / 15)
    assert emissions[("430523", 2005, "4.A.1", "msw", "CH4")] == pytest.approx(2000 / 15)
    assert emissions[("430523", 2006, "4.A.1", "msw", "CH4")] == pytest.approx(400 / 15 - 15)


def test_unknown_method_names_are_refused(tmp_path):
    with pytest.raises(ValueError, match="fod, mass_balance"):
        run(write_data(tmp_path, DEPOSITS, HALF_LIFE), landfill_method="fdo")


def test_landfill_through_shipped_defaults_against_the_worked_example(tmp_path):
    # worked_examples-0180: 100,000 t bulk MSW in a managed site, DOC 0.13795 (Eastern Asia), DOCf 0.5,
    # MCF 1, F 0.5, k 0.09 (Hunan, wet temperate): first year after deposit 395.77 t CH4
    rows = [("430523", 2010, "4.A.1", "msw", "landfilled", 10, "万吨"),
            ("430523", 2011, "4.A.1", "msw", "landfilled", 0, "t")]
    emissions, result = run(write_data(tmp_path, rows), landfill_backcast="none")
    assert emissions[("430523", 2011, "4.A.1", "msw", "CH4")] == pytest.approx(395.77, abs=0.01)
    assert set(result.emissions["confidence"]) == {"memory"}  # k of bulk MSW is recalled: flagged


def test_domestic_wastewater_through_shipped_defaults_against_the_worked_example(tmp_path):
    # worked_examples-0182: 1,000,000 people × 40 g BOD/d × 365 = 14,600 t BOD, all to overloaded aerobic
    # plants (MCF 0.3), Bo 0.6: 14,600 × 0.6 × 0.3 = 2628 t CH4 (I = 1 and T = 1 are local rows)
    rows = [("430523", 2022, "4.D.1", "domestic", "population", 100, "万人")]
    factors = "T,4.D.1,aerobic_overloaded,,1,1,*,,,test\nI,4.D.1,domestic,,1,1,*,,,test\n"
    emissions, _ = run(write_data(tmp_path, rows, factors), method="ipcc2006")
    assert emissions[("430523", 2022, "4.D.1", "domestic", "CH4")] == pytest.approx(2628.0)


def test_domestic_n2o_and_industrial_ch4(tmp_path):
    rows = [("430523", 2022, "4.D.1", "domestic", "population", 1_000_000, "person"),
            ("430523", 2022, "4.D.2", "beer", "production", 50000, "t"),
            ("430523", 2022, "4.D.2", "pulp_paper", "cod", 1000, "t")]
    factors = ("protein,4.D.1,domestic,,30,kg/person/yr,*,,,test\n"
               "MCF,4.D.2,*,,0.8,1,*,,,test\nW,4.D.2,beer,,6.3,m^3/t,*,,,test\nCOD,4.D.2,beer,,2.9,kg/m^3,*,,,test\n")
    emissions, _ = run(write_data(tmp_path, rows, factors), method="ipcc2006")
    # N2O = 1e6 × 30 × 0.16 × 1.1 × 1.25 kg N = 6600 t N × 0.005 × 44/28 = 51.857 t (no T_plant row)
    assert emissions[("430523", 2022, "4.D.1", "domestic", "N2O")] == pytest.approx(6600 * 0.005 * 44 / 28)
    # beer: 50,000 × 6.3 × 2.9 / 1000 = 913.5 t COD × 0.25 × 0.8 = 182.7 t CH4; paper: 1000 × 0.2 = 200 t
    assert emissions[("430523", 2022, "4.D.2", "beer", "CH4")] == pytest.approx(182.7)
    assert emissions[("430523", 2022, "4.D.2", "pulp_paper", "CH4")] == pytest.approx(200.0)


def test_biological_treatment_and_incineration(tmp_path):
    rows = [("430523", 2022, "4.B", "composting", "treated", 1000, "t"),
            ("430523", 2022, "4.C.1", "msw", "incinerated", 10000, "t"),
            ("430523", 2022, "4.C.1", "msw_plastics", "incinerated", 100, "t")]
    emissions, result = run(write_data(tmp_path, rows))
    # composting: 1000 t × 4 g/kg = 4 t CH4; × 0.24 g/kg = 0.24 t N2O
    assert emissions[("430523", 2022, "4.B", "composting", "CH4")] == pytest.approx(4.0)
    assert emissions[("430523", 2022, "4.B", "composting", "N2O")] == pytest.approx(0.24)
    # MSW, provincial guideline: 10,000 × dm 1 × CC 0.2 × FCF 0.39 × 0.95 × 44/12 = 2717 t CO2
    assert emissions[("430523", 2022, "4.C.1", "msw", "CO2")] == pytest.approx(741 * 44 / 12)
    # N2O 10,000 t × 50 g/t = 0.5 t; CH4 × 0.2 g/t = 0.002 t
    assert emissions[("430523", 2022, "4.C.1", "msw", "N2O")] == pytest.approx(0.5)
    assert emissions[("430523", 2022, "4.C.1", "msw", "CH4")] == pytest.approx(0.002)
    # plastics, IPCC 2006 Table 2.4 (the guideline has none): 100 × 1 × 0.75 × 1 × OF 1 × 44/12 = 275 t
    assert emissions[("430523", 2022, "4.C.1", "msw_plastics", "CO2")] == pytest.approx(275.0)
    assert not math.isnan(emissions.sum())


def test_a_corrected_2005_deposit_changes_2006_on_and_not_2005(tmp_path):
    # a deposit first decays in the year after it is landfilled: 2005's correction moves 2006 and 2007 only
    def history(deposit_2005):
        return [("430523", 2004, "4.A.1", "msw", "landfilled", 1000, "t"),
                ("430523", 2005, "4.A.1", "msw", "landfilled", deposit_2005, "t"),
                ("430523", 2006, "4.A.1", "msw", "landfilled", 1000, "t"),
                ("430523", 2007, "4.A.1", "msw", "landfilled", 1000, "t")]
    before, _ = run(write_data(tmp_path / "a", history(1000), HALF_LIFE), landfill_backcast="none")
    after, _ = run(write_data(tmp_path / "b", history(2000), HALF_LIFE), landfill_backcast="none")
    key = ("430523", 2005, "4.A.1", "msw", "CH4")
    assert after[key] == before[key]
    # 2006: + 1000 t × 0.1 DDOCm × 0.5 × 2/3 = +33.333; 2007: half of that again = +16.667
    assert after[("430523", 2006, "4.A.1", "msw", "CH4")] - before[("430523", 2006, "4.A.1", "msw", "CH4")] \
        == pytest.approx(100 / 3)
    assert after[("430523", 2007, "4.A.1", "msw", "CH4")] - before[("430523", 2007, "4.A.1", "msw", "CH4")] \
        == pytest.approx(50 / 3)


def test_records_no_method_reads_are_flagged(tmp_path):
    # an older workbook's COD removed is kept, estimates nothing, and says so with its file and line
    rows = [("430523", 2022, "4.D.2", "pulp_paper", "cod", 1000, "t"),
            ("430523", 2022, "4.D.2", "pulp_paper", "cod_removed", 800, "t")]
    _, result = run(write_data(tmp_path, rows, "MCF,4.D.2,*,,0.8,1,*,,,test\n"))
    unused = result.flags[result.flags["check"] == "unused_record"]
    assert len(unused) == 1 and "activity/waste.csv:3" in unused["message"].iloc[0]


def test_recovery_above_generation_is_an_error(tmp_path):
    # 2004 generates 100/3 t CH4 (first test); 50 t recovered cannot be: (33.333 − 50) × (1 − 0) = −16.667
    # is reported as 0 with an error flag that gives the equation's value
    rows = DEPOSITS[:1] + [("430523", 2004, "4.A.1", "msw", "ch4_recovered", 50, "t")]
    emissions, result = run(write_data(tmp_path, rows, HALF_LIFE), landfill_backcast="none")
    flags = result.flags[result.flags["check"] == "recovery"]
    assert list(flags["severity"]) == ["error"] and list(flags["year"]) == [2004]
    assert "-16.667" in flags["message"].iloc[0]
    assert emissions[("430523", 2004, "4.A.1", "msw", "CH4")] == 0.0


def test_recovery_in_a_year_without_generation_is_not_lost(tmp_path):
    # 2003 is the deposit year: nothing generated yet; 5 t recovered is flagged, not dropped
    rows = DEPOSITS[:1] + [("430523", 2003, "4.A.1", "msw", "ch4_recovered", 5, "t")]
    _, result = run(write_data(tmp_path, rows, HALF_LIFE), landfill_backcast="none")
    flags = result.flags[result.flags["check"] == "recovery"]
    assert list(flags["year"]) == [2003] and "-5.000" in flags["message"].iloc[0]


def test_a_local_ef_row_replaces_the_landfill_method(tmp_path):
    # ef 0.05 t CH4/t: 2006 = 400 t × 0.05 = 20 t, whatever the decay
    emissions, result = run(write_data(tmp_path, DEPOSITS, HALF_LIFE + "ef,4.A,msw,CH4,0.05,t/t,*,,,test\n"),
                            landfill_backcast="none")
    assert emissions[("430523", 2006, "4.A.1", "msw", "CH4")] == pytest.approx(20.0)
    assert dict(result.emissions.set_index("year").loc[2006, "links"]) == {"ef": "factors/local.csv:4"}


def test_a_deposit_filed_as_not_estimated_is_flagged(tmp_path):
    data = write_data(tmp_path, DEPOSITS, HALF_LIFE)
    with (data / "activity" / "waste.csv").open("a", encoding="utf-8") as handle:
        handle.write("430523,2004,4.A.1,msw,landfilled,,,NE,,test,\n")
    _, result = run(data, landfill_backcast="none")
    flags = result.flags[result.flags["check"] == "deposit_notation"]
    assert list(flags["year"]) == [2004] and "activity/waste.csv:6" in flags["message"].iloc[0]
    assert "deposit_gap" not in set(result.flags["check"])  # 2004 is filed, as NE


def test_a_waste_type_filed_later_than_its_site_keeps_decaying_and_is_not_back_cast(tmp_path):
    # bulk MSW from 2003; food waste filed from 2005 only (DOC 0.15 shipped, k local = ln 2): food holds 0 in
    # 2003–2004 and nothing before; back-casting (constant from 2002) concerns the site's first year, 2003
    rows = DEPOSITS[:3] + [("430523", 2005, "4.A.1", "msw_food", "landfilled", 1000, "t"),
                           ("430523", 2006, "4.A.1", "msw_food", "landfilled", 0, "t")]
    factors = HALF_LIFE + "k,4.A,msw_food,,0.6931471805599453,1/yr,*,,,test\n"
    emissions, result = run(write_data(tmp_path, rows, factors), landfill_backcast="constant",
                            landfill_first_year=2002)
    landfill = result.extras["landfill"]
    food = landfill[landfill["item"] == "msw_food"].set_index("year")
    assert list(food.index) == [2002, 2003, 2004, 2005, 2006] and list(food["deposit"]) == [0, 0, 0, 1000, 0]
    # food: DDOCm 2005 = 1000 × 0.15 × 0.5 × 1 = 75; 2006 CH4 = 75 × 0.5 × 0.5 × 16/12 = 25
    assert emissions[("430523", 2006, "4.A.1", "msw_food", "CH4")] == pytest.approx(25.0)
    gaps = result.flags[result.flags["check"] == "deposit_gap"]
    assert list(zip(gaps["item"], gaps["year"])) == [("msw", 2004)]  # bulk MSW's own gap; food's years before are 0
