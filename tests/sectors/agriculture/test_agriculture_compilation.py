"""The agriculture compilation (what the notebook shows), the factor keys it relies on, and the
shipped factor file against its build script."""

import importlib.util
from pathlib import Path

import pytest

from inventory.core.errors import InputError
from inventory.core.factors import known_item_key, load_factors
from inventory.sectors.agriculture.compilation import compile_agriculture

ROOT = Path(__file__).resolve().parents[3]
HEADER = "region,year,category,item,quantity,value,unit,notation,uncertainty,source,note"
FACTOR_HEADER = "parameter,category,item,gas,value,unit,region,year_from,year_to,source"
ACTIVITY = [HEADER,
            "430523,2021,3.A,buffalo,stock_year_end,11000,头,,,x,",
            "430523,2022,3.A,buffalo,stock_year_end,13000,头,,,x,",
            "430523,2022,3.A,swine,slaughtered,73,万头,,,x,",
            "430523,2022,3.A,sheep,stock_year_end,,,NO,,x,",
            "430523,2022,3.C.7,late_rice,area,1000,公顷,,,x,"]
FACTORS = [FACTOR_HEADER,
           "days_alive,3.A,swine,,150,d,*,,,pig survey 2022",
           "MS,3.A.2,buffalo.solid_storage,,0.5,1,*,,,survey",
           "MS,3.A.2,buffalo.pasture,,0.3,1,*,,,survey"]


@pytest.fixture
def compilation(data_folder):
    return compile_agriculture("430523", 2022, data_folder(activity={"a.csv": ACTIVITY}, factors={"f.csv": FACTORS}),
                               lang="en")


def test_population_table_names_the_source_of_days_alive(compilation):
    table = compilation.population_table().set_index("Item")
    # swine: 150 d × 730 000 / 365 = 300 000 head, from the local row with its source
    assert table.loc["swine", "Average population (head)"] == pytest.approx(300_000.0)
    assert table.loc["swine", "Source of days alive"] == "pig survey 2022 (factors/f.csv:2; local)"
    assert "Eq. 10.1" in table.loc["swine", "Derivation"]
    # buffalo: (13 000 + 11 000) / 2 = 12 000, no days_alive
    assert table.loc["buffalo", "Average population (head)"] == pytest.approx(12_000.0)
    assert table.loc["buffalo", "Source of days alive"] == ""
    assert list(table.index) == ["buffalo", "swine"], "the year itself only (2021 is read for the stock mean)"


def test_notation_table_never_a_silent_zero(compilation):
    table = compilation.notation_table()
    status = {(s, g): v for s, g, v in zip(table["Source"], table["Gas"], table["Status"])}
    assert status[("3.A.1.b", "CH4")].startswith("估算")
    assert status[("3.A.1.c", "CH4")].startswith("NO")  # sheep filed NO
    assert status[("3.A.1.a.i", "CH4")].startswith("NE — 无活动水平数据")  # dairy: no record
    assert status[("3.C.1", "CH4")].startswith("NE — 本工作台未提供方法")
    assert status[("3.C.4", "N2O")].startswith("NE — 无活动水平数据")
    assert len(table) == 9 + 10 * 2 + 2 + 6  # 3.A.1 (9 codes), 3.A.2 (10 codes) × 2 gases, 3.C.1 × 2, 3.C.2–3.C.7


def test_manure_shares_not_adding_up_are_flagged(compilation):
    flags = compilation.flags[compilation.flags["check"] == "manure_shares"]
    assert list(flags["item"]) == ["buffalo"] and "0.800" in flags.iloc[0]["message"]


def test_by_source_adds_the_categories(compilation):
    table = compilation.by_source().set_index("Source")
    # 3.C.7: 1000 ha × 273.2 kg/ha / 1000 = 273.2 t CH4 (provincial 中南 late rice)
    assert table.loc["3.C.7", "CH4"] == pytest.approx(273.2)
    # 3.A.1: buffalo 12 000 × 87.7 / 1000 = 1052.4; swine 300 000 × 1 / 1000 = 300 → 1352.4 t CH4
    assert table.loc["3.A.1", "CH4"] == pytest.approx(1352.4)


def test_factor_keys():
    vocabulary = load_factors().vocabulary
    assert known_item_key("swine.liquid_slurry", vocabulary)
    assert known_item_key("late_rice.farmyard_manure", vocabulary)
    assert known_item_key("liquid_slurry", vocabulary)
    assert not known_item_key("swine.liquid_slury", vocabulary)  # a misspelt system
    assert not known_item_key("late_rice.liquid_slurry", vocabulary)  # a manure system is no rice amendment


def test_a_misspelt_share_key_is_refused_with_file_and_line(data_folder):
    folder = data_folder(factors={"f.csv": [FACTOR_HEADER, "MS,3.A.2,swine.liquid_slury,,0.4,1,*,,,survey"]})
    with pytest.raises(InputError) as raised:
        load_factors(folder)
    assert "factors/f.csv:2" in str(raised.value) and "swine.liquid_slury" in str(raised.value)


def test_shipped_file_is_what_the_build_script_makes():
    reference = ROOT.parent / "shared" / "reference" / "factors"
    if not (reference / "agriculture.csv").exists():
        pytest.skip("the reference collection is not here (developers only)")
    spec = importlib.util.spec_from_file_location("build", ROOT / "scripts" / "build_agriculture_factors.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    shipped = (ROOT / "inventory" / "data" / "factors" / "agriculture.csv").read_text(encoding="utf-8")
    assert build.build(reference) == shipped
