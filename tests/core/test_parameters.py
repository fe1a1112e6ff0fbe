"""inventory.core.parameters: the parameter table and the unit check of factor rows (CONTRACTS §4, §4a)."""

import csv
import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from inventory.core.errors import InputError
from inventory.core.factors import PARAMETERS, load_factors
from inventory.core.parameters import (
    SECTORS,
    TABLE,
    activity_units,
    load_parameters,
    unit_problem,
    unknown_parameter_message,
)

GENERATOR = Path(__file__).resolve().parents[2] / "scripts" / "build_parameter_doc.py"
HEADER = "parameter,category,item,gas,value,unit,region,year_from,year_to,source"

ENERGY = ["ncv", "carbon_content", "oxidation", "ef", "grid_ef", "tce_coefficient", "tce_equivalent"]
#: the parameter column of CONTRACTS §4a, by sector (copied here: the design folder is not shipped)
SECTION_4A = {
    "ippu": ["EF_process", "clinker_fraction", "CF_ckd", "CF_lkd", "Ch", "CR", "FR", "CCF", "COF", "DF", "ASUF",
             "GAF"],
    "agriculture": ["days_alive", "Nex", "Nrate", "TAM", "MS", "EF3", "Frac_GasMS", "Frac_LeachMS", "EF1", "EF1FR",
                    "EF3PRP", "Frac_GASF", "Frac_GASM", "Frac_LEACH", "EF4", "EF5", "EF_urea", "EF_liming", "EFc",
                    "SFw", "SFp", "SFs", "SFo", "ROA", "CFOA", "season_days"],
    "lulucf": ["BEF", "D", "CF", "R", "BCEF_I", "BCEF_R", "G_W"],
    "waste": ["DOC", "DOCf", "k", "MCF", "F", "OX", "dm", "CF", "FCF", "OF", "Bo", "T", "BOD", "I", "protein",
              "F_NPR", "F_NON_CON", "F_IND_COM", "EF_effluent", "T_plant", "EF_plant", "W", "COD"],
}


def local(data_folder, *rows: str):
    """A factor database with ``rows`` (line 2, 3, ...) in ``factors/local.csv``."""
    return load_factors(data_folder(factors={"local.csv": [HEADER, *rows]}))


# ---- the table ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sector", "name"), [(s, n) for s, names in SECTION_4A.items() for n in names])
def test_every_parameter_of_section_4a_is_declared_for_its_sector(sector, name):
    assert name in load_parameters()
    assert sector in load_parameters()[name].sectors


@pytest.mark.parametrize("name", ENERGY)
def test_energy_parameters_are_declared(name):
    assert "energy" in load_parameters()[name].sectors


def test_one_row_per_name_and_every_row_complete():
    with TABLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = [r["parameter"] for r in rows]
    assert len(names) == len(set(names))  # a name used by two sectors (CF) has one row, one dimension
    for row in rows:
        assert all(row[c].strip() for c in row), row
        assert set(row["sectors"].split(";")) <= set(SECTORS), row
        assert row["gas"] in ("required", "none"), row


def test_no_dimension_is_any_or_empty():
    for entry in load_parameters().values():
        assert entry.alternatives and all(entry.alternatives), entry.name
        assert "any" not in [a.lower() for a in entry.alternatives], entry.name


@pytest.mark.parametrize("name", list(load_parameters()))
def test_example_unit_fits_its_own_dimension(name):
    entry = load_parameters()[name]
    assert unit_problem(name, "*", entry.example_unit) is None


def test_parameters_mapping_of_factors_comes_from_the_table():
    assert PARAMETERS == {name: entry.dimension for name, entry in load_parameters().items()}
    assert PARAMETERS["ef"] == "kg/TJ | t/activity"
    assert PARAMETERS["k"] == "1/yr"


def test_gas_rules_are_the_energy_rules_and_process_factors():
    # G_ef: the burning emission factor of LULUCF (g gas/kg d.m. burnt, IPCC Vol.4 Table 2.5), one per gas
    assert {n for n, e in load_parameters().items() if e.needs_gas} == {"ef", "grid_ef", "EF_process", "G_ef"}


@pytest.mark.parametrize(
    ("name", "dimension"),
    [("ncv", "GJ/activity"), ("carbon_content", "t/TJ"), ("oxidation", "1"), ("grid_ef", "t/MWh"),
     ("k", "1/yr"), ("days_alive", "d"), ("Nex", "kg/head/yr"), ("EFc", "kg/ha/d"), ("D", "t/m^3"),
     ("BOD", "g/person/d"), ("CF", "1"), ("MCF", "1"), ("F", "1"), ("EF3", "1"), ("EF_urea", "1")],
)
def test_dimensions_of_the_brief(name, dimension):
    assert load_parameters()[name].dimension == dimension


@pytest.mark.skipif(not GENERATOR.exists(), reason="scripts/ is not shipped in the wheel")
def test_data_format_doc_has_the_current_parameter_tables():
    spec = importlib.util.spec_from_file_location("build_parameter_doc", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0  # else: python scripts/build_parameter_doc.py


# ---- the unit check ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "item", "unit"),
    [
        ("ncv", "natural_gas", "kJ/m^3"), ("ncv", "natural_gas", "GJ/(10^4 m^3)"), ("ncv", "*", "GJ/t"),
        ("carbon_content", "*", "tC/TJ"), ("oxidation", "*", ""), ("oxidation", "*", "%"),
        ("ef", "diesel", "kg/TJ"), ("ef", "swine", "kg/head"), ("ef", "early_rice", "kg/ha"),
        ("grid_ef", "electricity", "kg/kWh"), ("tce_equivalent", "electricity", "gce/kWh"),
        ("EF_process", "clinker", "kg/t"), ("FR", "ammonia", "GJ/t"), ("GAF", "ethylene", "%"),
        ("Nrate", "swine", "kg/(1000 kg)/d"), ("EF_urea", "*", "t C/t"), ("EF1", "*", "kg/kg"),
        ("G_W", "bamboo", "t/ha/yr"), ("BCEF_R", "arbor_forest", "t/m^3"), ("k", "msw", "1/a"),
        ("protein", "*", "kg/person/yr"), ("EF_plant", "*", "g/person/yr"), ("W", "pulp_paper", "m^3/t"),
        ("COD", "pulp_paper", "kg/m^3"), ("ROA", "late_rice", "t/ha"), ("season_days", "early_rice", "d"),
    ],
)
def test_units_that_fit(name, item, unit):
    assert unit_problem(name, item, unit) is None


@pytest.mark.parametrize(
    ("name", "item", "unit", "words"),
    [
        ("ncv", "diesel", "GJ/m^3", "energy per unit of diesel (like GJ/t)"),
        ("ef", "raw_coal", "t/m^3", "mass of gas per energy or mass of gas per unit of raw_coal (like kg/TJ or t/t)"),
        ("k", "msw", "t", "a number per time (like 1/yr)"),
        ("D", "arbor_forest", "t/ha", "unit 't/ha' is mass per area: D"),
        ("Nex", "swine", "kg/head", "mass per head per time"),
        ("BOD", "*", "g/d", "mass per person per time"),
        ("MCF", "*", "t", "a pure number"),
        ("EF1", "*", "kg/kg N", "N is newton"),  # "kg N" reads as kilogram-newton
    ],
)
def test_units_that_do_not_fit_say_why(name, item, unit, words):
    assert words in unit_problem(name, item, unit)


def test_compound_item_is_measured_like_its_head():
    # swine.liquid_slurry (animal × manure system) is counted in head like swine
    assert activity_units("swine.liquid_slurry") == ("head",)
    assert unit_problem("EF_process", "clinker.white", "t/t") is None
    assert len(activity_units("*")) > 1


def test_unknown_parameter_message_lists_the_known_ones():
    message = unknown_parameter_message("nvc")
    assert "did you mean ncv" in message
    assert all(name in message for name in ("DOC", "BEF", "EF_process", "season_days"))


# ---- local factor rows through load_factors ----------------------------------------------------------


@pytest.mark.parametrize(
    "row",
    [
        "k,4.A,msw,,0.06,t,*,,,survey",  # a rate in tonnes
        "D,3.B.1.a,arbor_forest,,0.38,t/ha,*,,,survey",  # a density per area
        "days_alive,3.A,swine,,150,kg,*,,,survey",  # days in kilograms
        "Nex,3.A.2,swine,,11,kg/head,*,,,survey",  # per head, but not per year
        "EFc,3.C.7,early_rice,,1.3,kg/ha,*,,,survey",  # per hectare, but not per day
        "BOD,4.D.1,domestic_wastewater,,60,g/d,*,,,survey",  # per day, but not per person
        "MCF,4.A.1,msw,,1.0,t,*,,,survey",  # a fraction in tonnes
        "G_W,3.B.1.a,*,,4.5,t/ha,*,,,survey",  # item '*': still per area per year
        "EF_process,2.A.1,clinker,CO2,0.52,t/ha,*,,,survey",  # per area, clinker is weighed
    ],
)
def test_local_row_with_a_unit_of_the_wrong_dimension_is_refused(data_folder, row):
    with pytest.raises(InputError) as info:
        local(data_folder, "DOC,4.A,msw,,0.15,,*,,,survey", row)  # line 2 is good, line 3 is not
    assert [(i.file, i.line, i.column) for i in info.value.issues] == [("factors/local.csv", 3, "unit")]
    assert row.split(",")[0] in info.value.issues[0].message


def test_local_rows_with_units_of_the_right_dimension_load(data_folder):
    database = local(
        data_folder,
        "k,4.A,msw,,0.06,1/yr,*,,,survey",  # line 2
        "D,3.B.1.a,arbor_forest,,0.38,t/m^3,*,,,survey",  # line 3
        "days_alive,3.A,swine,,150,d,*,,,survey",  # line 4
        "Nex,3.A.2,swine,,11,kg/head/yr,*,,,survey",  # line 5
        "EFc,3.C.7,early_rice,,1.3,kg/ha/d,*,,,survey",  # line 6
        "BOD,4.D.1,domestic_wastewater,,60,g/person/d,*,,,survey",  # line 7
        "MCF,4.A.1,msw,,1.0,,*,,,survey",  # line 8
        "EF_process,2.A.1,clinker,CO2,0.52,t/t,*,,,survey",  # line 9
        "CF,3.B.1.a,arbor_forest,,0.5,tC/t,*,,,survey",  # line 10: CF of LULUCF
        "CF,4.C,msw,,0.38,1,*,,,survey",  # line 11: CF of waste, the same dimension
    )
    local_rows = database.rows[database.rows["origin"] == "local"]
    assert list(local_rows["line"]) == list(range(2, 12))


def test_percent_is_accepted_for_a_fraction(data_folder):
    database = local(data_folder, "MCF,4.A.1,msw,,80,%,*,,,survey", "DOCf,4.A,msw,,50,%,*,,,survey")
    cells = pd.DataFrame({"region": ["430522"], "year": [2020], "category": ["4.A.1"], "item": ["msw"]})
    assert database.resolve_to("MCF", cells, "1")["value"].tolist() == pytest.approx([0.8])
    assert database.resolve_to("DOCf", cells, "1")["value"].tolist() == pytest.approx([0.5])


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("EF_process,2.A.1,clinker,,0.52,t/t,*,,,survey", "needs a gas"),
        ("DOC,4.A,msw,CH4,0.15,,*,,,survey", "takes no gas"),
    ],
)
def test_gas_rules_of_new_parameters(data_folder, row, words):
    with pytest.raises(InputError) as info:
        local(data_folder, row)
    assert [(i.line, i.column) for i in info.value.issues] == [(2, "gas")]
    assert words in info.value.issues[0].message
