#!/usr/bin/env python
"""Build the shipped default factors of the waste sector (IPCC 4) from the reference collection.

Reads ``waste.csv`` of the project's reference parameter collection (see that folder's README.md)
and writes ``inventory/data/factors/waste.csv`` deterministically (fixed row order, fixed number
formatting, UTF-8, ``\\n`` line endings). Two factor sets, as the energy rows use them: ``ipcc2006``
(2006 IPCC Guidelines Vol.5 defaults) and ``cn_guideline`` (省级温室气体清单编制指南（试行）).

Every row's ``id`` begins with the id of the reference row it came from (``waste-0034``); one
reference row feeding several shipped rows gets a suffix (``waste-0012:4.A``). Rows computed here
start with ``derived-`` and give the formula in ``note``; values the reference does not hold
(IPCC 2006 Vol.5 Table 2.4 dry matter and carbon fractions, Tables 5.2–5.4, the correction factor I
of Eq. 6.3) are listed in :data:`SUPPLEMENT` with ``confidence = memory``: recalled, to be checked
against the document before use, and flagged wherever they are used.

Usage (from the repository root)::

    python scripts/build_waste_factors.py [REFERENCE_DIR] [--out DIR] [--check]

``--check`` writes nothing and exits 1 when the file on disk differs from the build. Standard
library only.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import factor_build  # noqa: E402

DEFAULT_REFERENCE = factor_build.DEFAULT_REFERENCE
DEFAULT_OUT = factor_build.DEFAULT_OUT
FILE = "waste.csv"

COLUMNS = ["id", "parameter", "category", "item", "gas", "value", "unit", "region", "year_from", "year_to",
           "source", "source_table", "confidence", "uncertainty", "factor_set", "note"]

SRC_IPCC = "2006 IPCC Guidelines, Vol.5 Waste"
SRC_PROVINCIAL = "省级温室气体清单编制指南（试行） (NDRC 2011) 第五章 废弃物处理"
#: Hunan: mean annual temperature < 20 °C, MAP/PET > 1 → the "boreal and temperate, wet" zone of
#: Vol.5 Table 3.3; the k rows carry the province's code so that they apply to Hunan alone
HUNAN = "430000"

# (reference id, parameter, category, item, gas, unit, factor_set, region, note); the value,
# source table and confidence come from the reference row.
MAPPING = [
    # Degradable organic carbon by waste type, wet weight (Vol.5 Ch.2 Table 2.4)
    ("waste-0003", "DOC", "4.A", "msw_food", "", "1", "ipcc2006", "*", ""),
    ("waste-0005", "DOC", "4.A", "msw_garden", "", "1", "ipcc2006", "*", ""),
    ("waste-0001", "DOC", "4.A", "msw_paper", "", "1", "ipcc2006", "*", ""),
    ("waste-0004", "DOC", "4.A", "msw_wood", "", "1", "ipcc2006", "*", ""),
    ("waste-0002", "DOC", "4.A", "msw_textiles", "", "1", "ipcc2006", "*", ""),
    ("waste-0006", "DOC", "4.A", "msw_nappies", "", "1", "ipcc2006", "*", ""),
    ("waste-0007", "DOC", "4.A", "msw_rubber_leather", "", "1", "ipcc2006", "*",
     "rubber and leather: not degraded under anaerobic conditions (Table 2.4 gives 39 % in brackets)"),
    ("waste-0008", "DOC", "4.A", "msw_plastics", "", "1", "ipcc2006", "*", ""),
    ("waste-0011", "DOC", "4.A", "msw_other_inert", "", "1", "ipcc2006", "*", ""),
    # DOCf, F, MCF and OX by site type (category 4.A.1 managed, 4.A.2 unmanaged, 4.A.3 uncategorised)
    ("waste-0012", "DOCf", "4.A", "*", "", "1", "ipcc2006", "*", "IPCC 2006 default for every waste type"),
    ("waste-0031", "F", "4.A", "*", "", "1", "ipcc2006", "*", ""),
    ("waste-0013", "MCF", "4.A.1", "*", "", "1", "ipcc2006", "*", "managed, anaerobic (semi-aerobic: 0.5, local row)"),
    ("waste-0018", "MCF", "4.A.2", "*", "", "1", "ipcc2006", "*",
     "unmanaged, deep (≥ 5 m); an unmanaged shallow site takes 0.4 (waste-0019): give it as a local row"),
    ("waste-0020", "MCF", "4.A.3", "*", "", "1", "ipcc2006", "*", "uncategorised"),
    ("waste-0022", "OX", "4.A.1", "*", "", "1", "ipcc2006", "*",
     "0.1 only for a well-managed site with an oxidising cover (local row)"),
    ("waste-0027", "OX", "4.A.2", "*", "", "1", "ipcc2006", "*", ""),
    ("waste-0029", "OX", "4.A.3", "*", "", "1", "ipcc2006", "*", ""),
    # Methane generation rate k, boreal and temperate, wet (Hunan), Vol.5 Ch.3 Table 3.3
    ("waste-0034", "k", "4.A", "msw_food", "", "1/yr", "ipcc2006", HUNAN, "climate zone boreal/temperate, wet"),
    ("waste-0038", "k", "4.A", "msw_garden", "", "1/yr", "ipcc2006", HUNAN, "climate zone boreal/temperate, wet"),
    ("waste-0042", "k", "4.A", "msw_paper", "", "1/yr", "ipcc2006", HUNAN, "climate zone boreal/temperate, wet"),
    ("waste-0046", "k", "4.A", "msw_wood", "", "1/yr", "ipcc2006", HUNAN, "climate zone boreal/temperate, wet"),
    ("waste-0050", "k", "4.A", "msw_textiles", "", "1/yr", "ipcc2006", HUNAN, "climate zone boreal/temperate, wet"),
    ("waste-0054", "k", "4.A", "msw_nappies", "", "1/yr", "ipcc2006", HUNAN, "climate zone boreal/temperate, wet"),
    ("waste-0092", "k", "4.A", "msw", "", "1/yr", "ipcc2006", HUNAN, "bulk MSW, boreal/temperate, wet"),
    # Biological treatment, wet weight (Vol.5 Ch.4 Table 4.1); g/kg = kg/t
    ("waste-0098", "ef", "4.B", "composting", "CH4", "g/kg", "ipcc2006", "*", "wet weight basis"),
    ("waste-0102", "ef", "4.B", "composting", "N2O", "g/kg", "ipcc2006", "*", "wet weight basis"),
    ("waste-0099", "ef", "4.B", "anaerobic_digestion", "CH4", "g/kg", "ipcc2006", "*", "wet weight basis"),
    ("waste-0103", "ef", "4.B", "anaerobic_digestion", "N2O", "g/kg", "ipcc2006", "*",
     "wet weight basis; assumed negligible"),
    # Wastewater (Vol.5 Ch.6): Bo (Table 6.2), MCF by pathway (Table 6.3; the same values are those of
    # Table 6.8 for industry, so the rows are keyed on 4.D), BOD (Table 6.4), N2O (Table 6.11); the
    # per-person rows apply to any 4.D.1 item (domestic, or domestic_wastewater as older workbooks file it)
    ("waste-0104", "Bo", "4.D.1", "*", "", "kg/kg", "ipcc2006", "*", "kg CH4/kg BOD"),
    ("waste-0105", "Bo", "4.D.2", "*", "", "kg/kg", "ipcc2006", "*", "kg CH4/kg COD"),
    ("waste-0106", "MCF", "4.D", "sea_river_lake", "", "1", "ipcc2006", "*", ""),
    ("waste-0107", "MCF", "4.D", "stagnant_sewer", "", "1", "ipcc2006", "*", ""),
    ("waste-0109", "MCF", "4.D", "aerobic_well", "", "1", "ipcc2006", "*", ""),
    ("waste-0110", "MCF", "4.D", "aerobic_overloaded", "", "1", "ipcc2006", "*", ""),
    ("waste-0112", "MCF", "4.D", "anaerobic_reactor", "", "1", "ipcc2006", "*", ""),
    ("waste-0113", "MCF", "4.D", "anaerobic_lagoon_shallow", "", "1", "ipcc2006", "*", ""),
    ("waste-0114", "MCF", "4.D", "anaerobic_lagoon_deep", "", "1", "ipcc2006", "*", ""),
    ("waste-0115", "MCF", "4.D", "septic", "", "1", "ipcc2006", "*", ""),
    ("waste-0118", "MCF", "4.D", "latrine", "", "1", "ipcc2006", "*",
     "latrine in a wet climate or with flush water (Hunan); dry climate 0.1, communal 0.5: local row"),
    ("waste-0120", "BOD", "4.D.1", "*", "", "g/person/d", "ipcc2006", "*", "Asia, Middle East, Latin America"),
    ("waste-0121", "EF_effluent", "4.D.1", "*", "", "kg/kg", "ipcc2006", "*", "kg N2O-N/kg N"),
    ("waste-0122", "EF_plant", "4.D.1", "*", "", "g/person/yr", "ipcc2006", "*", ""),
    ("waste-0123", "F_NON_CON", "4.D.1", "*", "", "1", "ipcc2006", "*",
     "developing countries, no garbage disposals"),
    ("waste-0124", "F_IND_COM", "4.D.1", "*", "", "1", "ipcc2006", "*", ""),
    ("waste-0125", "F_NPR", "4.D.1", "*", "", "kg/kg", "ipcc2006", "*", "kg N/kg protein"),
    # Provincial guideline (memory in the reference: check against the document)
    ("waste-0127", "MCF", "4.D.1", "domestic", "", "1", "cn_guideline", "*",
     "national average MCF of domestic wastewater; the guideline also gives regional values"),
    ("waste-0129", "CF", "4.C.1", "msw", "", "1", "cn_guideline", "*",
     "碳含量比例 of the WET waste (so dm = 1 in this set, derived-cn-dm-msw)"),
    ("waste-0130", "FCF", "4.C.1", "msw", "", "1", "cn_guideline", "*", "矿物碳在碳总量中比例"),
    ("waste-0131", "OF", "4.C.1", "msw", "", "1", "cn_guideline", "*", "焚烧炉燃烧效率 (IPCC OF = 1)"),
]

# Values the reference does not hold, recalled from the IPCC 2006 Guidelines Vol.5 (memory: check
# them against the document). (id, parameter, category, item, gas, value, unit, source_table, note)
_TABLE_2_4 = "Ch.2 Table 2.4 (default dry matter content, total carbon content, fossil carbon fraction)"
SUPPLEMENT = [
    ("mem-dm-food", "dm", "4.C", "msw_food", "", 0.40, "1", _TABLE_2_4, ""),
    ("mem-dm-garden", "dm", "4.C", "msw_garden", "", 0.40, "1", _TABLE_2_4, ""),
    ("mem-dm-paper", "dm", "4.C", "msw_paper", "", 0.90, "1", _TABLE_2_4, ""),
    ("mem-dm-wood", "dm", "4.C", "msw_wood", "", 0.85, "1", _TABLE_2_4, ""),
    ("mem-dm-textiles", "dm", "4.C", "msw_textiles", "", 0.80, "1", _TABLE_2_4, ""),
    ("mem-dm-nappies", "dm", "4.C", "msw_nappies", "", 0.40, "1", _TABLE_2_4, ""),
    ("mem-dm-rubber", "dm", "4.C", "msw_rubber_leather", "", 0.84, "1", _TABLE_2_4, ""),
    ("mem-dm-plastics", "dm", "4.C", "msw_plastics", "", 1.0, "1", _TABLE_2_4, ""),
    ("mem-dm-inert", "dm", "4.C", "msw_other_inert", "", 0.90, "1", _TABLE_2_4, ""),
    ("mem-cf-food", "CF", "4.C", "msw_food", "", 0.38, "1", _TABLE_2_4, "of dry matter"),
    ("mem-cf-garden", "CF", "4.C", "msw_garden", "", 0.49, "1", _TABLE_2_4, "of dry matter"),
    ("mem-cf-paper", "CF", "4.C", "msw_paper", "", 0.46, "1", _TABLE_2_4, "of dry matter"),
    ("mem-cf-wood", "CF", "4.C", "msw_wood", "", 0.50, "1", _TABLE_2_4, "of dry matter"),
    ("mem-cf-textiles", "CF", "4.C", "msw_textiles", "", 0.50, "1", _TABLE_2_4, "of dry matter"),
    ("mem-cf-nappies", "CF", "4.C", "msw_nappies", "", 0.70, "1", _TABLE_2_4, "of dry matter"),
    ("mem-cf-rubber", "CF", "4.C", "msw_rubber_leather", "", 0.67, "1", _TABLE_2_4, "of dry matter"),
    ("mem-cf-plastics", "CF", "4.C", "msw_plastics", "", 0.75, "1", _TABLE_2_4, "of dry matter"),
    ("mem-cf-inert", "CF", "4.C", "msw_other_inert", "", 0.03, "1", _TABLE_2_4, "of dry matter"),
    ("mem-fcf-food", "FCF", "4.C", "msw_food", "", 0.0, "1", _TABLE_2_4, ""),
    ("mem-fcf-garden", "FCF", "4.C", "msw_garden", "", 0.0, "1", _TABLE_2_4, ""),
    ("mem-fcf-paper", "FCF", "4.C", "msw_paper", "", 0.01, "1", _TABLE_2_4, ""),
    ("mem-fcf-wood", "FCF", "4.C", "msw_wood", "", 0.0, "1", _TABLE_2_4, ""),
    ("mem-fcf-textiles", "FCF", "4.C", "msw_textiles", "", 0.20, "1", _TABLE_2_4, ""),
    ("mem-fcf-nappies", "FCF", "4.C", "msw_nappies", "", 0.10, "1", _TABLE_2_4, ""),
    ("mem-fcf-rubber", "FCF", "4.C", "msw_rubber_leather", "", 0.20, "1", _TABLE_2_4, ""),
    ("mem-fcf-plastics", "FCF", "4.C", "msw_plastics", "", 1.0, "1", _TABLE_2_4, ""),
    ("mem-fcf-inert", "FCF", "4.C", "msw_other_inert", "", 1.0, "1", _TABLE_2_4, ""),
    ("mem-of-incineration", "OF", "4.C.1", "*", "", 1.0, "1", "Ch.5 Table 5.2 (oxidation factor of incineration)",
     "incineration 100 %; open burning (4.C.2) 58 %"),
    ("mem-n2o-incineration-msw", "ef", "4.C.1", "*", "N2O", 50.0, "g/t",
     "Ch.5 Table 5.4 (MSW, continuous and semi-continuous incinerators, wet weight)", "batch-type 60 g/t"),
    ("mem-ch4-incineration-msw", "ef", "4.C.1", "*", "CH4", 0.2, "g/t",
     "Ch.5 Table 5.3 (MSW, continuous incineration, stoker, 0.2 kg/Gg wet weight)", ""),
    ("mem-i-collected", "I", "4.D.1", "*", "", 1.25, "1", "Ch.6 Eq. 6.3 (text: I = 1.25 for collected "
     "wastewater, 1.00 for uncollected)", "industrial BOD co-discharged into sewers; 1.00 where not collected"),
]

#: rows computed here from reference rows (id, parameter, category, item, value, unit, factor_set,
#: source_table, note with the formula)
DERIVED = [
    ("derived-doc-msw-eastern-asia", "DOC", "4.A", "msw", 0.262 * 0.15 + 0.188 * 0.40 + 0.035 * 0.43 + 0.035 * 0.24,
     "1", "ipcc2006", "Ch.2 Table 2.3 (Eastern Asia composition, waste-0095) × Table 2.4 (DOC)",
     "bulk MSW: food 0.262 × 0.15 + paper 0.188 × 0.40 + wood 0.035 × 0.43 + textiles 0.035 × 0.24 = 0.13795"),
    ("derived-cn-dm-msw", "dm", "4.C.1", "msw", 1.0, "1", "cn_guideline",
     "第五章 废弃物焚烧 (碳含量比例 of the wet waste)",
     "the guideline's carbon content (waste-0129) is of the wet waste: dry matter 1 makes Eq. 5.2 its formula"),
]


def fmt(value) -> str:
    """Canonical number text: at most 10 significant digits, no exponent."""
    text = format(float(value), ".10g")
    if "e" in text:
        text = format(float(value), ".10f").rstrip("0").rstrip(".")
    return text


def read_reference(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def _uncertainty(row: dict) -> str:
    if row["value_min"] and row["value_max"]:
        return f"{fmt(row['value_min'])}..{fmt(row['value_max'])}"
    return ""


def _source(row: dict) -> str:
    return SRC_PROVINCIAL if row["group"].startswith("CN_") else SRC_IPCC


def build(reference: dict[str, dict]) -> list[dict]:
    """Every shipped row, from the mapping, the supplement and the derived rows."""
    rows = []
    for ref_id, parameter, category, item, gas, unit, factor_set, region, note in MAPPING:
        row = reference[ref_id]
        rows.append({"id": ref_id, "parameter": parameter, "category": category, "item": item, "gas": gas,
                     "value": fmt(row["value"]), "unit": unit, "region": region, "year_from": "", "year_to": "",
                     "source": _source(row), "source_table": row["source_table"] or row["source_document"],
                     "confidence": row["confidence"], "uncertainty": _uncertainty(row), "factor_set": factor_set,
                     "note": "; ".join(part for part in (note, row["notes"]) if part)})
    for ref_id, parameter, category, item, gas, value, unit, table, note in SUPPLEMENT:
        rows.append({"id": ref_id, "parameter": parameter, "category": category, "item": item, "gas": gas,
                     "value": fmt(value), "unit": unit, "region": "*", "year_from": "", "year_to": "",
                     "source": SRC_IPCC, "source_table": table, "confidence": "memory", "uncertainty": "",
                     "factor_set": "ipcc2006",
                     "note": "; ".join(part for part in (note, "recalled, not in the reference collection: "
                                                                  "check against the document") if part)})
    for ref_id, parameter, category, item, value, unit, factor_set, table, note in DERIVED:
        rows.append({"id": ref_id, "parameter": parameter, "category": category, "item": item, "gas": "",
                     "value": fmt(value), "unit": unit, "region": "*", "year_from": "", "year_to": "",
                     "source": SRC_PROVINCIAL if factor_set == "cn_guideline" else SRC_IPCC, "source_table": table,
                     "confidence": "derived", "uncertainty": "", "factor_set": factor_set, "note": note})
    return rows


def render(rows: list[dict]) -> str:
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids), "duplicate ids"
    keys = [(r["parameter"], r["category"], r["item"], r["gas"], r["region"], r["factor_set"]) for r in rows]
    assert len(set(keys)) == len(keys), "duplicate keys"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in sorted(rows, key=lambda r: (r["factor_set"], r["category"], r["parameter"], r["item"], r["gas"])):
        writer.writerow(row)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    return factor_build.main(argv, __doc__, FILE,
                             lambda reference: render(build(read_reference(reference / "waste.csv"))))


if __name__ == "__main__":
    sys.exit(main())
