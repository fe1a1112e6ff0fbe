"""Values that cannot be right (issue 10): non-finite values and signs after conversion, units whose number
is not positive, factor values impossible for their parameter or outside the IPCC range, uncertainties and
years out of bounds, and the last guard on results."""

import math

import numpy as np
import pandas as pd
import pytest

from inventory.core.activity import read_activity
from inventory.core.errors import InputError
from inventory.core.factors import load_factors
from inventory.core.parameters import load_parameters
from inventory.core.plausibility import (
    FIRST_YEAR,
    LAST_YEAR,
    Interval,
    factor_problems,
    load_parameter_ranges,
    uncertainty_problem,
)
from inventory.core.units import UnitMagnitudeError, parse_unit
from inventory.sectors import registry
from inventory.sectors.results import compute_sector, non_finite_issues

ACTIVITY = "region,year,category,item,quantity,value,unit,notation,uncertainty,source,note"
FACTORS = "parameter,category,item,gas,value,unit,region,year_from,year_to,source,uncertainty"
GOOD = "430522,2020,1.A.2,diesel,consumption,1000,t,,,,"


def activity_issues(data_folder, *rows: str) -> list[tuple[str, int, str, str]]:
    folder = data_folder(activity={"a.csv": [ACTIVITY, GOOD, *rows]})
    with pytest.raises(InputError) as info:
        read_activity(folder)
    return [(i.file, i.line, i.column, i.message) for i in info.value.issues]


def factor_issues(data_folder, *rows: str) -> list[tuple[str, int, str, str]]:
    folder = data_folder(factors={"local.csv": [FACTORS, "ncv,*,coke,,28.2,GJ/t,*,,,survey,", *rows]})
    with pytest.raises(InputError) as info:
        load_factors(folder)
    return [(i.file, i.line, i.column, i.message) for i in info.value.issues]


def factor_warnings(data_folder, *rows: str) -> list[tuple[str, int, str, str]]:
    folder = data_folder(factors={"local.csv": [FACTORS, *rows]})
    return [(i.file, i.line, i.column, i.message) for i in load_factors(folder).warnings]


# ---- units whose number is not positive --------------------------------------------------------------


@pytest.mark.parametrize("text", ["-1 t", "0 t", "-1 GJ/t", "-t", "1e-400 t", "0*t"])
def test_a_unit_whose_number_is_not_positive_is_refused(text):
    with pytest.raises(UnitMagnitudeError):
        parse_unit(text)


def test_a_unit_with_a_positive_number_still_reads():
    assert parse_unit("10^4 t").to("t").magnitude == pytest.approx(1e4)
    assert parse_unit("1000 t").to("t").magnitude == pytest.approx(1000.0)


@pytest.mark.parametrize("unit", ["-1 t", "0 t", "-1 万吨"])
def test_activity_unit_whose_number_is_not_positive_is_refused_at_its_cell(data_folder, unit):
    # "-1 t" would turn 1000 into -1000 t after the no-negatives check; "0 t" would make any value 0
    issues = activity_issues(data_folder, f"430522,2020,1.A.4.b,diesel,consumption,1000,{unit},,,,")
    assert [(f, line, c) for f, line, c, _ in issues] == [("activity/a.csv", 3, "unit")]
    assert "不是正数" in issues[0][3] and "must be positive" in issues[0][3]


def test_factor_unit_whose_number_is_not_positive_is_refused(data_folder):
    issues = factor_issues(data_folder, "ncv,*,diesel,,42,-1 GJ/t,*,,,survey,")
    assert [(f, line, c) for f, line, c, _ in issues] == [("factors/local.csv", 3, "unit")]
    assert "must be positive" in issues[0][3]


# ---- finiteness after conversion ---------------------------------------------------------------------


def test_activity_value_that_overflows_once_converted_is_refused(data_folder):
    # 1e308 万吨 = 1e308 × 1e4 t = 1e312 t: beyond the largest double (about 1.8e308)
    issues = activity_issues(data_folder, "430522,2020,1.A.4.b,diesel,consumption,1e308,万吨,,,,")
    assert [(f, line, c) for f, line, c, _ in issues] == [("activity/a.csv", 3, "value")]
    assert "不是有限数" in issues[0][3] and "1e308 万吨 is not finite once converted to t" in issues[0][3]


def test_activity_value_that_is_large_but_finite_once_converted_is_kept(data_folder):
    # 1e300 万吨 = 1e304 t: finite, and kept (plausibility of activity is the QA checks' business)
    folder = data_folder(activity={"a.csv": [ACTIVITY, "430522,2020,1.A.2,diesel,consumption,1e300,万吨,,,,"]})
    assert read_activity(folder).records["value"].iloc[0] == pytest.approx(1e304)


def test_factor_value_that_overflows_once_converted_is_refused(data_folder):
    # 1e306 GJ/t = 1e306 × 1e9 J / 1e3 kg = 1e312 J/kg in base units: not finite
    issues = factor_issues(data_folder, "ncv,*,diesel,,1e306,GJ/t,*,,,survey,")
    assert [(line, c) for _, line, c, _ in issues] == [(3, "value")]
    assert "not finite once converted" in issues[0][3]


# ---- factor plausibility: impossible values refused --------------------------------------------------


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("ncv,*,raw_coal,,0,GJ/t,*,,,survey,", "must be > 0"),  # NCV 0
        ("ncv,*,raw_coal,,0,kJ/kg,*,,,survey,", "must be > 0"),
        # 1000 × the IPCC upper limit of coal: 32.2 × 1000 = 32 200 GJ/t, above any fuel (hydrogen ~120 GJ/t)
        ("ncv,*,raw_coal,,32200,GJ/t,*,,,survey,", "must be > 0 and ≤ 150 GJ/t"),
        # 20 908 kJ/kg typed as 20908000: 20 908 GJ/t
        ("ncv,*,raw_coal,,20908000,kJ/kg,*,,,survey,", "20908 GJ/t is impossible"),
        # natural gas 389.31 GJ/10^4 m^3 typed 1000× too large: 389 310 / 1e4 = 38.931 GJ/m^3 = 38 931 MJ/m^3
        ("ncv,*,natural_gas,,389310,GJ/(10^4 m^3),*,,,survey,", "38931 MJ/m^3 is impossible"),
        ("oxidation,*,raw_coal,,1.5,,*,,,survey,", "1.5 is impossible: it must be ≥ 0 and ≤ 1"),
        ("oxidation,*,raw_coal,,150,%,*,,,survey,", "150 % = 1.5 is impossible"),
        ("oxidation,*,raw_coal,,-0.1,,*,,,survey,", "impossible"),
        ("clinker_fraction,*,clinker,,1.1,,*,,,survey,", "impossible"),
        ("MCF,*,*,,1.2,,*,,,survey,", "impossible"),
        ("DOCf,*,*,,101,%,*,,,survey,", "impossible"),
        ("MS,*,swine,,2,,*,,,survey,", "impossible"),
        ("carbon_content,*,diesel,,0,t/TJ,*,,,survey,", "must be > 0"),
        ("k,*,*,,0,1/yr,*,,,survey,", "must be > 0"),
        ("days_alive,*,swine,,400,d,*,,,survey,", "≤ 366 d"),
        ("ef,*,diesel,CH4,-3,kg/TJ,*,,,survey,", "must be ≥ 0"),
    ],
)
def test_impossible_factor_value_is_refused_at_its_row(data_folder, row, words):
    issues = factor_issues(data_folder, row)
    assert [(f, line, c) for f, line, c, _ in issues] == [("factors/local.csv", 3, "value")]
    assert words in issues[0][3]
    assert "不可能" in issues[0][3] or "不是有限数" in issues[0][3]


def test_all_impossible_rows_of_a_file_are_reported_together(data_folder):
    issues = factor_issues(data_folder, "ncv,*,raw_coal,,0,GJ/t,*,,,survey,", "oxidation,*,coke,,1.5,,*,,,survey,",
                           "MCF,*,*,,-1,,*,,,survey,")
    assert [(line, c) for _, line, c, _ in issues] == [(3, "value"), (4, "value"), (5, "value")]


def test_a_fraction_of_one_and_of_zero_are_possible(data_folder):
    folder = data_folder(factors={"local.csv": [FACTORS, "oxidation,*,raw_coal,,1,,*,,,survey,",
                                                "MCF,*,*,,0,,*,,,survey,", "DOC,*,*,,0,,*,,,survey,"]})
    assert len(load_factors(folder).rows.query("origin == 'local'")) == 3


# ---- factor plausibility: outside the IPCC range, a warning naming the row ---------------------------


def test_local_ncv_outside_the_ipcc_range_of_its_fuel_is_warned_about(data_folder):
    # raw coal: the union of the Table 1.2 coal ranges is 5.5–32.2 GJ/t; 40 GJ/t is above, 20.908 inside
    warnings = factor_warnings(data_folder, "ncv,*,raw_coal,,40,GJ/t,*,,,survey,",
                               "ncv,*,washed_coal,,26.344,GJ/t,*,,,survey,")
    assert [(f, line, c) for f, line, c, _ in warnings] == [("factors/local.csv", 2, "value")]
    assert "5.5–32.2 GJ/t" in warnings[0][3] and "超出公开范围" in warnings[0][3]
    assert "Table 1.2" in warnings[0][3]


def test_local_ncv_in_another_unit_is_compared_in_the_range_unit(data_folder):
    # diesel 41.4–43.3 GJ/t; 45 000 kJ/kg = 45 GJ/t is above; 42 652 kJ/kg = 42.652 GJ/t is inside
    warnings = factor_warnings(data_folder, "ncv,*,diesel,,45000,kJ/kg,*,,,survey,",
                               "ncv,*,diesel,,42652,kJ/kg,*,2020,2020,survey,")
    assert [line for _, line, _, _ in warnings] == [2]
    assert "45000 kJ/kg = 45 GJ/t" in warnings[0][3]


def test_local_carbon_content_and_oxidation_outside_their_ranges_are_warned_about(data_folder):
    # natural gas carbon content 14.8–15.9 t C/TJ (Table 1.3); oxidation 0.85–1 (guideline low end, IPCC 1)
    warnings = factor_warnings(data_folder, "carbon_content,*,natural_gas,,17,t/TJ,*,,,survey,",
                               "oxidation,*,coke,,0.8,,*,,,survey,", "oxidation,*,diesel,,0.98,,*,,,survey,")
    assert [line for _, line, _, _ in warnings] == [2, 3]
    assert "14.8–15.9 t/TJ" in warnings[0][3] and "0.85–1" in warnings[1][3]


def test_a_fraction_written_with_percent_but_below_one_is_warned_about(data_folder):
    # 0.98 % = 0.0098: possible, but below the range 0.85–1 and almost surely 0.98 or 98 % meant
    warnings = factor_warnings(data_folder, "oxidation,*,raw_coal,,0.98,%,*,,,survey,")
    assert [line for _, line, _, _ in warnings] == [2, 2]
    assert any("did you mean 0.98 with the unit empty, or 98 %?" in m for *_, m in warnings)
    assert any("0.98 % = 0.0098" in m for *_, m in warnings)


def test_shipped_rows_pass_the_impossible_checks_and_give_no_warnings(shipped_factors):
    assert shipped_factors.warnings == []
    assert len(shipped_factors.rows) > 0


def test_item_specific_range_applies_to_a_compound_item_and_star_rows_only_to_star_bounds():
    # MS is a fraction for every item; ncv of raw_coal has its own range, ncv of * only the impossible bounds
    assert factor_problems("MS", "swine.liquid_slurry", 1.5, "")[0]
    assert factor_problems("ncv", "*", 40, "GJ/t") == ([], [])
    assert factor_problems("ncv", "raw_coal", 40, "GJ/t")[1]
    assert factor_problems("ncv", "raw_coal", 40, "GJ/t", local=False) == ([], [])


# ---- the table of ranges -----------------------------------------------------------------------------


def test_every_range_row_names_a_known_parameter_and_a_source():
    table = load_parameter_ranges()
    parameters = load_parameters()
    assert all(r.parameter in parameters and r.source for r in table)
    assert {"ncv", "carbon_content", "oxidation", "MCF", "DOCf", "MS", "clinker_fraction"} <= {
        r.parameter for r in table if r.allowed is not None}


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [("[0,1]", [0.0, 0.5, 1.0], [-1e-9, 1.0000001]), ("(0,)", [1e-12, 1e300], [0.0, -1.0]),
     ("[0,)", [0.0, 5.0], [-0.1]), ("(0,150]", [150.0, 0.1], [0.0, 150.1])],
)
def test_interval(text, inside, outside):
    interval = Interval.parse(text)
    assert all(v in interval for v in inside)
    assert not any(v in interval for v in outside)


@pytest.mark.parametrize("text", ["0,1", "[1,0]", "[a,1]", ""])
def test_malformed_interval_raises(text):
    with pytest.raises(ValueError):
        Interval.parse(text)


# ---- uncertainty -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "words"), [("110..90", "did you mean 90..110?"), ("-5", "negative"),
                                             ("±-5%", "negative"), ("about 5", "not '±percent'")])
def test_bad_uncertainty(text, words):
    assert words in uncertainty_problem(text)


@pytest.mark.parametrize("text", ["", "5", "±5%", "0", "90..110", "-10..10", "90..90"])
def test_good_uncertainty(text):
    assert uncertainty_problem(text) is None


def test_backwards_or_negative_uncertainty_in_activity_and_factor_files_is_refused(data_folder):
    issues = activity_issues(data_folder, "430522,2020,1.A.4.b,diesel,consumption,10,t,,110..90,,",
                             "430522,2020,1.A.1,diesel,consumption,10,t,,-5,,")
    assert [(line, c) for _, line, c, _ in issues] == [(3, "uncertainty"), (4, "uncertainty")]
    issues = factor_issues(data_folder, "ncv,*,diesel,,42,GJ/t,*,,,survey,43..41")
    assert [(line, c) for _, line, c, _ in issues] == [(3, "uncertainty")]
    assert "did you mean 41..43?" in issues[0][3]


# ---- years -------------------------------------------------------------------------------------------


def test_the_year_range_is_1900_to_2099():
    assert (FIRST_YEAR, LAST_YEAR) == (1900, 2099)


@pytest.mark.parametrize("year", ["1899", "2100", "0000"])
def test_activity_year_outside_the_range_is_refused(data_folder, year):
    issues = activity_issues(data_folder, f"430522,{year},1.A.4.b,diesel,consumption,10,t,,,,")
    assert [(line, c) for _, line, c, _ in issues] == [(3, "year")]
    assert "1900–2099" in issues[0][3]


def test_activity_years_at_the_ends_of_the_range_are_read(data_folder):
    folder = data_folder(activity={"a.csv": [ACTIVITY, "430522,1900,1.A.2,diesel,consumption,1,t,,,,",
                                             "430522,2099,1.A.2,diesel,consumption,1,t,,,,"]})
    assert read_activity(folder).years == [1900, 2099]


@pytest.mark.parametrize(("years", "column"),
                         [("1899,", "year_from"), (",2100", "year_to"), ("0000,2020", "year_from")])
def test_factor_years_outside_the_range_are_refused(data_folder, years, column):
    issues = factor_issues(data_folder, f"ncv,*,diesel,,42,GJ/t,*,{years},survey,")
    assert [(line, c) for _, line, c, _ in issues] == [(3, column)]
    assert "1900–2099" in issues[0][3]


# ---- the last guard: results --------------------------------------------------------------------------


def test_compute_sector_refuses_a_non_finite_result_naming_its_record_and_factors(data_folder):
    # 1e307 t of diesel is finite; × NCV 43.0 GJ/t (the IPCC row) = 4.3e308 GJ — beyond the largest double:
    # the CO2 is inf. The shipped factors give the links; the record is activity/a.csv line 3.
    folder = data_folder(activity={"a.csv": [ACTIVITY, GOOD, "430522,2020,1.A.4.b,diesel,consumption,1e307,t,,,,"]})
    activity = read_activity(folder)
    factors = load_factors(folder)
    with pytest.raises(InputError) as info:
        compute_sector(registry()["energy"], activity.records, factors)
    issues = info.value.issues
    assert {(i.file, i.line, i.column) for i in issues} == {("activity/a.csv", 3, "value")}
    assert all("不是有限数" in i.message and "ncv=" in i.message for i in issues)
    assert any("CO2" in i.message for i in issues)


def test_non_finite_issues_name_every_record_of_a_row():
    emissions = pd.DataFrame({
        "region": ["430522", "430522"], "year": [2020, 2020], "category": ["1.A.2", "1.A.1"],
        "item": ["diesel", "diesel"], "gas": ["CO2", "CO2"], "emissions_t": [math.inf, 1.0],
        "co2e_t": [math.inf, 1.0], "records": ["activity/a.csv:3; activity/b.csv:7", "activity/a.csv:2"],
        "links": [(("ncv", "f-1"), ("carbon_content", "")), (("ncv", "f-1"),)]})
    issues = non_finite_issues(emissions)
    assert [(i.file, i.line) for i in issues] == [("activity/a.csv", 3), ("activity/b.csv", 7)]
    assert "ncv=f-1, carbon_content=?" in issues[0].message
    emissions.loc[0, ["emissions_t", "co2e_t"]] = np.nan
    assert len(non_finite_issues(emissions)) == 2


def test_read_inputs_passes_the_factor_warnings_on_with_the_activity_warnings(data_folder):
    from inventory.core.activity import read_inputs

    folder = data_folder(activity={"a.csv": [ACTIVITY, GOOD]},
                         factors={"local.csv": [FACTORS, "ncv,*,raw_coal,,40,GJ/t,*,,,survey,"]})
    activity, factors = read_inputs(folder)
    assert factors.warnings and set(factors.warnings) <= set(activity.warnings)


def test_a_malformed_range_table_is_refused_with_every_line(tmp_path, monkeypatch):
    import inventory.core.plausibility as plausibility

    table = tmp_path / "parameter_ranges.csv"
    table.write_text(
        "parameter,item,unit,allowed,lower,upper,source,note\n"
        "nvc,*,,\"(0,)\",,,a source,\n"  # 2: unknown parameter
        "oxidation,*,1,\"[0,1]\",0.9,0.8,a source,\n"  # 3: lower above upper
        "oxidation,*,1,\"[0,1]\",0.5,1.5,a source,\n"  # 4: range outside allowed
        "ncv,*,,\"(0,150]\",,,a source,\n"  # 5: a bound other than 0 without a unit
        "ncv,*,t/TJ,\"(0,)\",,,a source,\n"  # 6: a unit that does not fit ncv
        "MCF,*,1,\"[1,0]\",,,a source,\n"  # 7: an interval backwards
        "MCF,*,1,\"[0,1]\",0.1,0.9,,\n",  # 8: no source
        encoding="utf-8")
    monkeypatch.setattr(plausibility, "RANGES", table)
    plausibility.load_parameter_ranges.cache_clear()
    try:
        with pytest.raises(ValueError) as info:
            plausibility.load_parameter_ranges()
    finally:
        plausibility.load_parameter_ranges.cache_clear()
    message = str(info.value)
    for line in range(2, 9):
        assert f"parameter_ranges.csv:{line}:" in message
