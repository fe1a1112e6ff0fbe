"""The inventory document's tables from hand-made emissions (every expected number hand-calculated)."""

import math

import pandas as pd
import pytest

from inventory.core.regions import load_regions
from inventory.documents.inventory import Document, NoPublishedInventory, base_year_of, factor_ids, load_document


def _row(region, year, category, gas, co2e, emissions=None, factors=""):
    return {"region": region, "year": year, "category": category, "item": "x", "gas": gas,
            "emissions_t": co2e if emissions is None else emissions, "co2e_t": co2e, "factor_ids": factors,
            "records": "activity/a.csv:2", "method": "activity × EF"}


@pytest.fixture
def document() -> Document:
    rows = [
        _row("430500", 2021, "1.A.1.a", "CO2", 1000.0, factors="ncv=f2; ef=f1"),
        _row("430500", 2021, "3.B.1.a", "CO2", -300.0),
        _row("430500", 2021, "4.A.1", "CH4", 280.0, emissions=10.0),
        _row("430500", 2021, "M.ELEC", "CO2", 500.0),  # memo: in no total
        _row("430500", 2022, "1.A.1.a", "CO2", 1100.0, factors="ncv=f2; ef=f1"),
        _row("430500", 2022, "3.B.1.a", "CO2", -320.0),
        _row("430500", 2022, "4.A.1", "CH4", 300.0, emissions=300 / 28, factors="ef=f1 | ef=f3"),
        _row("430500", 2022, "3.A.1.a.i", "CH4", 200.0, emissions=200 / 28),
        _row("430523", 2022, "1.A.1.a", "CO2", 400.0),
    ]
    soc = pd.DataFrame([
        {"region": "430500", "year": 2022, "category": "SOC", "item": "population", "value": 200.0, "period": ""},
        {"region": "430500", "year": 2022, "category": "SOC", "item": "gdp", "value": 4e6, "period": ""},  # CNY
    ])
    return Document("430500", 2022, load_regions(), pd.DataFrame(rows), gwp="AR5", lang="zh", records=soc)


def test_base_year_is_energys_when_compiled_else_the_first_year():
    assert base_year_of([2019, 2020, 2021], 2020) == 2020
    assert base_year_of([2022, 2021], 2020) == 2021


def test_totals_by_sector_and_gas_with_and_without_lulucf(document):
    table = document.totals()  # 10^4 t CO2e of 2022
    assert document.base_year == 2021  # 2020 not compiled: the first year
    # energy CO2 1100 t = 0.11; agriculture CH4 200 t = 0.02; LULUCF CO2 −320 t = −0.032; waste CH4 300 t = 0.03
    assert table.loc["能源活动", "CO2"] == pytest.approx(0.11)
    assert table.loc["农业", "CH4"] == pytest.approx(0.02)
    assert table.loc["土地利用变化和林业", "CO2"] == pytest.approx(-0.032)
    assert table.loc["废弃物处理", "合计"] == pytest.approx(0.03)
    without = table.loc["总量（不含土地利用变化和林业）"]
    # without LULUCF: CO2 0.11; CH4 0.02 + 0.03 = 0.05; total 0.16 (the memo M.ELEC is in no year of 2022 anyway)
    assert (without["CO2"], without["CH4"], without["合计"]) == pytest.approx((0.11, 0.05, 0.16))
    with_lulucf = table.loc["总量（含土地利用变化和林业）"]
    # with LULUCF: CO2 0.11 − 0.032 = 0.078; total 0.16 − 0.032 = 0.128
    assert (with_lulucf["CO2"], with_lulucf["合计"]) == pytest.approx((0.078, 0.128))
    assert list(table.index) == ["能源活动", "农业", "土地利用变化和林业", "废弃物处理",  # registry order; no IPPU rows
                                 "总量（不含土地利用变化和林业）", "总量（含土地利用变化和林业）"]


def test_totals_leave_out_the_memo_items(document):
    table = document.totals(2021)
    # 2021: energy 1000 + LULUCF −300 + waste 280 = 980 t = 0.098; M.ELEC's 500 t in none of them
    assert table.loc["总量（含土地利用变化和林业）", "合计"] == pytest.approx(0.098)
    assert table.loc["总量（不含土地利用变化和林业）", "合计"] == pytest.approx(0.128)  # 1000 + 280 = 1280 t


def test_time_series_and_change_against_previous_and_base_year(document):
    series = document.series()
    # 2021: without 1000 + 280 = 1280, LULUCF −300, with 980; 2022: without 1100 + 300 + 200 = 1600, −320, 1280
    assert series.loc[2021, ["without_lulucf_t", "lulucf_t", "with_lulucf_t"]].tolist() == [1280.0, -300.0, 980.0]
    assert series.loc[2022, ["without_lulucf_t", "lulucf_t", "with_lulucf_t"]].tolist() == [1600.0, -320.0, 1280.0]
    # change 2022 vs 2021 (= the base year): (1280 − 980) / 980 = 0.3061224…
    assert series.loc[2022, "change_previous"] == pytest.approx(300 / 980)
    assert series.loc[2022, "change_base"] == pytest.approx(300 / 980)
    assert math.isnan(series.loc[2021, "change_previous"])
    assert series.loc[2021, "change_base"] == 0.0


def test_per_person_and_per_gdp(document):
    indicators = document.indicators()
    # 2022: population 200 persons, GDP 4e6 CNY = 400 × 10^4 CNY
    # per person: 1600 / 200 = 8.0 (without LULUCF), 1280 / 200 = 6.4 (with)
    # per GDP: 1600 / 400 = 4.0, 1280 / 400 = 3.2 [t CO2e / 10^4 CNY]
    row = indicators.loc[2022]
    assert (row["per_person_without_t"], row["per_person_with_t"]) == pytest.approx((8.0, 6.4))
    assert (row["per_gdp_without_t"], row["per_gdp_with_t"]) == pytest.approx((4.0, 3.2))
    assert math.isnan(indicators.loc[2021, "per_person_with_t"])  # no population filed for 2021


def test_county_breakdown_and_sum_of_members(document):
    table = document.county_breakdown()
    # the city's own 2022 total with LULUCF: 1280; its one member with results, 邵阳县: 400
    assert table.loc["邵阳市 (430500)", "合计"] == 1280.0
    assert table.loc["邵阳县 (430523)", "合计"] == 400.0
    assert table.loc["县市区合计", "合计"] == 400.0


def test_factor_table_sums_the_co2e_resting_on_each_row(document):
    rows = pd.DataFrame([
        {"id": "f1", "parameter": "ef", "confidence": "verified", "source": "s1"},
        {"id": "f2", "parameter": "ncv", "confidence": "memory", "source": "s2"},
        {"id": "f3", "parameter": "ef", "confidence": "local", "source": "s3"},
        {"id": "f9", "parameter": "ef", "confidence": "verified", "source": "unused"},
    ])
    table = document.factor_table(rows).set_index("id")
    # 2022 of 430500: f1 under 1.A.1.a (1100) and 4.A.1 (300) = 1400; f2 under 1.A.1.a = 1100; f3 under 4.A.1 = 300
    assert table["co2e_t"].to_dict() == {"f2": 1100.0, "f1": 1400.0, "f3": 300.0}
    assert table.loc["f2", "flag"].startswith("⚠")  # memory: unverified
    assert table.loc["f1", "flag"] == ""
    assert "f9" not in table.index


def test_factor_ids_of_a_provenance_cell():
    assert factor_ids("ncv=fuels-0351; carbon_content=fuels-0407 | ef=x:diesel") == [
        "fuels-0351", "fuels-0407", "x:diesel"]
    assert factor_ids(float("nan")) == []


def test_contents_link_every_section_and_the_header_says_internal(document):
    contents = str(document.contents())
    for anchor in ("totals", "series", "key", "uncertainty", "factors", "counties"):
        assert f'href="#{anchor}"' in contents
        assert f'id="{anchor}"' in str(document.heading(anchor))
    header = str(document.header())
    assert "内部资料" in header and "未经审定" in header


def test_sector_links_are_relative_to_the_documents_folder(document):
    links = str(document.sector_links())
    assert 'href="energy.html"' in links and 'href="waste.html"' in links and 'href="ippu.html"' not in links


def test_without_a_published_inventory_the_message_says_what_to_do(tmp_path):
    with pytest.raises(NoPublishedInventory, match="没有已发布的清单.*inventory run"):
        load_document("430500", 2022, "data_raw", tmp_path)


def test_interactive_use_reads_the_published_inventory(tmp_path):
    """Opened in JupyterLab (no run): the emissions, flags and analyses published in out_dir."""
    from pipeline_data import write_data

    data, out = write_data(tmp_path / "data"), tmp_path / "out"
    (out / "results" / "430523" / "2022").mkdir(parents=True)
    rows = [_row("430500", 2022, "1.A.2", "CO2", 10.0), _row("430523", 2022, "1.A.2", "CO2", 4.0),
            _row("430000", 2022, "1.A.2", "CO2", 99.0)]  # the province: not the city or one of its members
    pd.DataFrame(rows).to_csv(out / "emissions_provenance.csv", index=False)
    (out / "results" / "430523" / "2022" / "energy.flags.csv").write_text(
        "region,year,category,item,gas,check,severity,message\n430523,2022,1.A.2,raw_coal,CO2,yoy,warning,w\n",
        encoding="utf-8")
    pd.DataFrame([{"region": "430500", "year": 2022, "category": "1.A.2", "gas": "CO2", "status": "mismatch"}]).to_csv(
        out / "consistency.csv", index=False)
    document = load_document(430500, 2022, data, out)  # papermill may pass the code as a number
    assert sorted(document.emissions["region"]) == ["430500", "430523"]
    assert document.flags["severity"].tolist() == ["warning"]
    assert document.analyses["consistency.csv"] is not None
    assert document.analyses["key_categories.csv"] is None and document.key_categories() is None
    assert document.illustrative  # write_data marks the city's records as 示例数据


def test_tables_by_year_show_the_year(document):
    from inventory.present.tables import show

    for table in (document.series_table(), document.indicators_table()):
        assert table.columns[0] == "年份" and table["年份"].tolist() == [2021, 2022]
        assert "<td>2022</td>" in show(table)._repr_html_()  # a year, not 2,022


def _finding(severity, check, co2e, year=2022):
    return {"severity": severity, "check": check, "check_zh": {"unverified_factor": "因子未核实"}.get(check, check),
            "category": "1.A", "item": "raw_coal", "gas": "CO2", "year": year, "where": "activity/a.csv:2",
            "message": "m", "suggestion": "s", "factor_id": "f1", "co2e_t": co2e}


def test_the_qa_summary_counts_by_check_and_shows_the_findings_that_matter_most(document):
    findings = pd.DataFrame([_finding("warning", "unverified_factor", 500.0), _finding("info", "tce_from_ncv", 0.0),
                             _finding("warning", "unverified_factor", 900.0), _finding("error", "missing_factor", 10.0),
                             _finding("warning", "year_on_year", 50.0)])
    overview = document.qa_overview(findings)
    # errors first; then the warnings by how many: unverified_factor ×2 (largest at stake 900 t), year_on_year ×1
    assert list(overview["check"]) == ["missing_factor", "unverified_factor", "year_on_year", "tce_from_ncv"]
    assert list(overview["count"]) == [1, 2, 1, 1]
    assert overview.loc[1, "co2e_t"] == 900.0 and overview.loc[0, "severity"] == "错误 error"
    top = document.qa_top(findings, n=3)
    # no info; the error, then the warnings by CO2e at stake (900, 500): the 50 t one is the fourth
    assert list(top["co2e_t"]) == [10.0, 900.0, 500.0]
    assert len(document.qa_all(findings)) == 5


def test_findings_are_computed_once_for_the_documents_of_a_regions_years(document, monkeypatch):
    import inventory.documents.qa as qa

    calls = []
    monkeypatch.setattr(qa, "document_findings", lambda *a, **k: calls.append(1) or pd.DataFrame({"x": [1]}))
    document.inputs_key = (("emissions.csv", 10, 1),)
    document.findings(None), document.findings(None)
    assert len(calls) == 1, "the same inputs: computed once"
    document.inputs_key = (("emissions.csv", 11, 2),)  # the file changed
    document.findings(None)
    assert len(calls) == 2
    document.inputs_key = ()  # no identity of the inputs: never kept
    document.findings(None), document.findings(None)
    assert len(calls) == 4
