#!/usr/bin/env python
"""Build the shipped LULUCF default factors (IPCC 3.B) from the reference collection.

Reads ``lulucf.csv`` of the project's reference parameter collection (see that folder's README.md)
and writes, deterministically (fixed row order and number formatting, UTF-8, ``\\n`` line endings),
``inventory/data/factors/lulucf.csv`` with two factor sets:

* ``ipcc2006``: IPCC 2006 Vol.4 defaults for a subtropical humid region (Hunan): carbon fraction
  CF (Table 4.3, tropical and subtropical), root-to-shoot ratio R (Table 4.4, subtropical humid
  forest, above-ground biomass < 125 t/ha), biomass conversion and expansion factors BCEF_I and
  BCEF_R by species group (Table 4.5, growing stock 41–100 m³/ha; the reference collection holds
  the temperate column only — see ``SPECIES_BCEF``);
* ``cn_guideline``: the provincial guideline's values (CF 0.5) and the Chinese species values of
  Chinese fir (杉木) and Masson pine (马尾松) — BEF, D, R, CF — all ``memory`` grade (flagged in
  every report until checked against the document).

Land other than forest (issue 13: ``B_before``, ``B_after``, ``G_C``, ``L_C``, ``CRW`` — IPCC Vol.4
Tables 5.1, 5.9, 6.4 and Ch.8) gets no shipped row: the reference collection holds none of these
tables, so a user must supply local rows and a stratum without them is flagged and not estimated
(NE) rather than computed from unchecked numbers.

Usage (from the repository root)::

    python scripts/build_lulucf_factors.py [REFERENCE_DIR] [--out DIR] [--check]

``--check`` writes nothing and exits 1 if the file on disk differs from the build. Standard library
only. Every mapping choice is in the tables below, with the reason.
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
OUTPUT = "lulucf.csv"

COLUMNS = ["id", "parameter", "category", "item", "gas", "value", "unit", "region", "year_from", "year_to",
           "source", "source_table", "confidence", "uncertainty", "factor_set", "note"]

SRC_IPCC = "2006 IPCC Guidelines, Vol.4 AFOLU"
SRC_PROVINCIAL = "省级温室气体清单编制指南（试行） (NDRC 2011)"
SRC_CN_SPECIES = "Chinese forestry carbon accounting defaults (省级指南附表 / LY/T 2253 / CCER forestry methodologies)"

#: species groups of arbor forest (CONTRACTS §4a) in the order rows are written
SPECIES = ["chinese_fir", "masson_pine", "broadleaf", "other_conifer", "mixed"]

#: species group → (IPCC Table 4.5 species row, why). Table 4.5 has no Chinese fir: it is a conifer
#: other than a pine; mixed stands of Hunan are mostly broadleaf-dominated: the hardwood row.
SPECIES_BCEF = {
    "chinese_fir": ("other conifers", "Cunninghamia is a conifer other than a pine"),
    "masson_pine": ("pines", "Pinus massoniana"),
    "broadleaf": ("hardwoods", ""),
    "other_conifer": ("other conifers", ""),
    "mixed": ("hardwoods",
              "mixed stands taken as broadleaf-dominated; supply a local value for conifer-dominated mixes"),
}
#: the growing-stock class of Table 4.5 used: Hunan's arbor forest holds about 50–70 m³/ha
STOCK_CLASS = "41-100"
#: Table 4.5 gives three values per species and class, in this order: BCEF_S (with its range),
#: BCEF_I, BCEF_R (BCEF_R = BCEF_S / 0.9: 1.4 / 0.9 = 1.556 for hardwoods)
BCEF_ORDER = ("BCEF_S", "BCEF_I", "BCEF_R")

#: reference id → species group of the Chinese species values
CN_SPECIES = {"Cunninghamia lanceolata": "chinese_fir", "Pinus massoniana": "masson_pine"}
CN_PARAMETERS = {"BEF": ("BEF", "1"), "root_shoot_ratio_R": ("R", "1"), "basic_wood_density_SVD": ("D", "t/m^3"),
                 "carbon_fraction_CF": ("CF", "1")}
PARAMETER_ORDER = {p: i for i, p in enumerate(["BEF", "D", "R", "CF", "BCEF_I", "BCEF_R"])}
SET_ORDER = {"ipcc2006": 0, "cn_guideline": 1}


def fmt(value) -> str:
    """Canonical number text: at most 10 significant digits, no exponent."""
    text = format(float(value), ".10g")
    return format(float(value), ".10f").rstrip("0").rstrip(".") if "e" in text else text


def read_reference(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    by_id = {r["id"]: r for r in rows}
    assert len(by_id) == len(rows), "duplicate ids in the reference"
    return by_id


def row(**kw) -> dict:
    out = {c: "" for c in COLUMNS}
    out["region"] = "*"
    out.update(kw)
    assert set(out) == set(COLUMNS), set(out) ^ set(COLUMNS)
    return out


def efdb(ref: dict) -> str:
    where = ref.get("source_location", "")
    i = where.find("EF ID ")
    return f"EFDB {where[i:].strip()}" if i >= 0 else ""


def uncertainty(ref: dict) -> str:
    return f"{fmt(ref['value_min'])}..{fmt(ref['value_max'])}" if ref["value_min"] and ref["value_max"] else ""


def one(reference: dict[str, dict], **match) -> dict:
    hits = [r for r in reference.values() if all(r[k] == v if not callable(v) else v(r[k]) for k, v in match.items())]
    if len(hits) != 1:
        raise LookupError(f"{match}: {len(hits)} reference rows")
    return hits[0]


def build(reference: dict[str, dict]) -> list[dict]:
    rows = []
    # --- ipcc2006 ----------------------------------------------------------------------------
    cf = reference["lulucf-0002"]  # Table 4.3, tropical and subtropical, all: 0.47 (0.44–0.49)
    assert cf["parameter"] == "carbon_fraction_CF" and cf["condition"].startswith("Tropical and Subtropical")
    rows.append(row(id=cf["id"], parameter="CF", category="3.B", item="*", value=fmt(cf["value"]), unit="1",
                    source=SRC_IPCC, source_table="Vol.4 Ch.4 Table 4.3 (tropical and subtropical, all)",
                    confidence=cf["confidence"], uncertainty=uncertainty(cf), factor_set="ipcc2006",
                    note=f"{efdb(cf)}; t C/t d.m."))
    r = reference["lulucf-0012"]  # Table 4.4 subtropical humid forest, above-ground biomass < 125 t/ha: 0.20
    assert r["parameter"] == "root_shoot_ratio_R" and r["item"].startswith("Subtropical humid forest") and \
        r["value"] == "0.2"
    rows.append(row(id=r["id"], parameter="R", category="3.B", item="*", value=fmt(r["value"]), unit="1",
                    source=SRC_IPCC, source_table="Vol.4 Ch.4 Table 4.4 (subtropical humid forest, AGB < 125 t/ha)",
                    confidence=r["confidence"], uncertainty=uncertainty(r), factor_set="ipcc2006",
                    note=f"{efdb(r)}; Hunan's arbor forest holds well under 125 t above-ground biomass per ha "
                         f"(lulucf-0013 gives 0.24 above it)"))
    for species in SPECIES:
        group, why = SPECIES_BCEF[species]
        block = sorted((r for r in reference.values() if r["parameter"] == "BCEF" and r["item"] == group
                        and f"Growing stock level (m^3): {STOCK_CLASS};" in r["condition"]), key=lambda r: r["id"])
        assert len(block) == 3, (species, len(block))
        for name, ref in zip(BCEF_ORDER, block):
            if name == "BCEF_S":
                continue
            rows.append(row(id=f"{ref['id']}:{species}", parameter=name, category="3.B.1",
                            item=f"arbor_forest.{species}",
                            value=fmt(ref["value"]), unit="t/m^3", source=SRC_IPCC,
                            source_table=f"Vol.4 Ch.4 Table 4.5 ({group}, growing stock {STOCK_CLASS} m³/ha, {name})",
                            confidence=ref["confidence"], factor_set="ipcc2006",
                            note="; ".join(p for p in (efdb(ref), "temperate column: the reference collection has no "
                                                       "tropical/subtropical rows of Table 4.5", why) if p)))
    # --- cn_guideline ------------------------------------------------------------------------
    default_cf = reference["lulucf-0097"]
    rows.append(row(id=default_cf["id"], parameter="CF", category="3.B", item="*", value=fmt(default_cf["value"]),
                    unit="1", source=SRC_PROVINCIAL,
                    source_table="第四章 土地利用变化和林业 (含碳率缺省值; 表号未核对)",
                    confidence=default_cf["confidence"], factor_set="cn_guideline",
                    note="provincial guideline default carbon fraction; recalled, not checked against the document"))
    for ref in sorted(reference.values(), key=lambda r: r["id"]):
        if ref["group"] != "CN_species_defaults":
            continue
        species = CN_SPECIES[ref["item"]]
        parameter, unit = CN_PARAMETERS[ref["parameter"]]
        rows.append(row(id=ref["id"], parameter=parameter, category="3.B", item=f"arbor_forest.{species}",
                        value=fmt(ref["value"]), unit=unit, source=SRC_CN_SPECIES,
                        source_table=f"{ref['item_zh']} ({ref['item']}) species defaults; table not identified",
                        confidence=ref["confidence"], factor_set="cn_guideline",
                        note=f"{ref['notes']}; {ref['item_zh']}"))
    return rows


def render(rows: list[dict]) -> str:
    assert len({r["id"] for r in rows}) == len(rows), "duplicate ids"
    keys = [(r["parameter"], r["category"], r["item"], r["factor_set"]) for r in rows]
    assert len(set(keys)) == len(keys), "duplicate keys"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in sorted(rows, key=lambda r: (SET_ORDER[r["factor_set"]], PARAMETER_ORDER[r["parameter"]], r["item"],
                                         r["category"], r["id"])):
        writer.writerow(r)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    return factor_build.main(argv, __doc__, OUTPUT,
                             lambda reference: render(build(read_reference(reference / "lulucf.csv"))))


if __name__ == "__main__":
    sys.exit(main())
