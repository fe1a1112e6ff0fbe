"""The 2022 city energy report of the shipped demo, as a reviewer opens it (issue: energy in full):
the balance table, reference vs sectoral approach, the electricity memo with its factor series, the
statistics-bureau frame and the dual-control indicators — consistent with emissions.csv."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from openpyxl import load_workbook
from pipeline_data import ROOT, run_cli


@pytest.fixture(scope="module")
def city_2022(tmp_path_factory):
    out = tmp_path_factory.mktemp("city") / "out"
    done = run_cli("run", "--data", str(ROOT / "data_raw"), "--out", str(out), "--regions", "430500", "--years", "2022",
                   "--jobs", "1", "--quiet")
    assert done.returncode == 0, done.stderr
    # headings come as character references (&#33021;…): read the page as a browser shows it
    page = html.unescape((out / "reports" / "430500" / "2022" / "energy.html").read_text(encoding="utf-8"))
    emissions = pd.read_csv(out / "emissions.csv", dtype={"region": str})
    return {"out": out, "page": page, "emissions": emissions}


def _row(page: str, label: str, containing: str = "") -> list[str]:
    """The cells of the first table row whose first cell is ``label`` (and that holds ``containing``)."""
    for found in re.finditer(r"<tr[^>]*><td>" + re.escape(label) + r"</td>(.*?)</tr>", page):
        if containing in found.group(1):
            return re.findall(r"<td[^>]*>(.*?)</td>", found.group(1))  # numbers are <td class="num">
    raise AssertionError(f"no row {label!r} with {containing!r}")


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def test_the_report_has_every_section(city_2022):
    page = city_2022["page"]
    for heading in ("4 能源平衡表 / Energy balance", "参考方法与部门方法", "电力、热力调入调出", "碳排放统计核算",
                    "“双控”指标", "行业视角", "季度核算", "质量控制"):
        assert heading in page, heading
    assert "可供本地区消费的能源量" in page and "平衡差额" in page and "电力（等价）" in page


def test_the_header_names_the_provincial_method_its_edition_and_the_unverified_share(city_2022):
    page = city_2022["page"]
    assert "省级温室气体清单编制指南（试行）" in page and "2011 年版" in page and "cn_provincial:2011" in page
    assert "实际使用的因子集 / factor sets used" in page and "cn_guideline" in page
    assert "依赖尚未对照原文件核实的因子" in page  # a share of the total, not a count of rows
    assert "方法补充 / fills" in page and "ipcc2006" in page  # CH4/N2O factors the guideline lacks
    assert "default (verified first)" not in page


def test_the_electricity_memo_names_its_series_and_matches_emissions_csv(city_2022):
    memo = city_2022["emissions"].query("category == 'M.ELEC'")
    assert len(memo) == 1 and memo["emissions_t"].iloc[0] > 0  # Shaoyang brings power in
    # the default series of a Hunan region: the provincial factor (0.4900 for 2022), not 华中's
    cells = _row(city_2022["page"], "电力", containing="grid_province_hunan")
    assert "grid_province_hunan" in cells and "0.49 t/MWh" in cells
    assert _number(cells[-2]) == pytest.approx(memo["emissions_t"].iloc[0], abs=1e-3)


def test_the_frame_total_is_combustion_co2_and_the_net_inflow_of_emissions_csv(city_2022):
    emissions = city_2022["emissions"]
    co2 = emissions[emissions["gas"] == "CO2"]
    # combustion, industrial processes (the IPPU sector's CO2, issue 11) and the net electricity and heat inflow
    expected = co2.loc[co2["category"].str.startswith("1.A"), "emissions_t"].sum() + \
        co2.loc[co2["category"].str.startswith("2."), "emissions_t"].sum() + \
        co2.loc[co2["category"].isin(["M.ELEC", "M.HEAT"]), "emissions_t"].sum()
    assert co2["category"].str.startswith("2.").any()
    cells = _row(city_2022["page"], "碳排放总量（含电力、热力调入调出）")
    assert _number(cells[1]) == pytest.approx(expected, abs=0.01)
    # the energy total of the same report leaves the memo items (and the other sectors' rows) out
    inventory = emissions.loc[emissions["category"].str.startswith(("1.A", "1.B")), "co2e_t"].sum()
    assert f"{inventory / 1e4:,.2f} 万吨 CO₂当量" in city_2022["page"]


def test_reference_approach_and_dual_control_are_shown_with_numbers(city_2022):
    page = city_2022["page"]
    total = _row(page, "合计")  # the last 合计 row that starts a row: the reference approach's
    assert total
    intensity = _row(page, "能耗强度（吨标准煤/万元）")
    assert 0.05 < _number(intensity[0]) < 2.0  # tce per 10^4 CNY: a plausible magnitude
    carbon = _row(page, "碳排放强度（吨 CO₂/万元）")
    assert 0.1 < _number(carbon[0]) < 5.0


def test_the_tables_are_beside_the_report_as_excel(city_2022):
    path = city_2022["out"] / "reports" / "430500" / "2022" / "energy.xlsx"
    workbook = load_workbook(path, read_only=True)
    assert "能源平衡表（实物量）" in workbook.sheetnames and "双控指标" in workbook.sheetnames
    assert "示例数据，非官方统计" in str(next(workbook["双控指标"].iter_rows(values_only=True))[0])
    assert 'href="energy.xlsx"' in city_2022["page"]
