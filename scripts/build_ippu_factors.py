#!/usr/bin/env python
"""Build the shipped default factors of the IPPU sector (IPCC 2) from the reference collection.

Reads ``ippu.csv`` and ``fuels.csv`` of the project's reference parameter collection (see that
folder's README.md) and writes ``inventory/data/factors/ippu.csv`` deterministically (fixed row
order and number formatting, UTF-8, ``\\n`` line endings), in the columns of the other shipped
factor files. Two factor sets, as the energy rows use them: ``ipcc2006`` (IPCC 2006 Vol.3 Tier 1
defaults) and ``cn_guideline`` (the provincial guideline's values; all of them memory grade).

Usage (from the repository root)::

    python scripts/build_ippu_factors.py [REFERENCE_DIR] [--out DIR] [--check]

``REFERENCE_DIR`` defaults to ``../shared/reference/factors``; ``--out`` to
``inventory/data/factors``; ``--check`` writes nothing and exits 1 if the file on disk differs.

Every mapping choice is in the tables below with its reason; ``inventory/data/factors/SOURCES.md``
(section IPPU) explains them for users. Standard library only.
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
FILE_NAME = "ippu.csv"

COLUMNS = ["id", "parameter", "category", "item", "gas", "value", "unit", "region", "year_from", "year_to",
           "source", "source_table", "confidence", "uncertainty", "factor_set", "note"]

SRC_IPCC = "2006 IPCC Guidelines, Vol.3 IPPU"
SRC_IPCC_ENERGY = "2006 IPCC Guidelines, Vol.2 Energy"
SRC_PROVINCIAL = "省级温室气体清单编制指南（试行） (NDRC 2011)"

# (reference id, id suffix, parameter, category, item, gas, unit, factor set, source, source table, note).
# The value and the confidence are the reference row's; the unit is the reference unit written the way
# the factor database reads it. "value_override" rows (below) are the few whose value is not the
# reference row's value column.
FROM_REFERENCE = [
    # --- 2.A.1 cement -------------------------------------------------------------------------------------
    ("ippu-0001", "", "ef", "2.A.1", "clinker", "CO2", "t/t", "ipcc2006", SRC_IPCC, "Ch.2 Eq. 2.1; §2.2.1.2",
     "Tier 1 clinker factor WITH the kiln-dust correction in it (0.51 × CF_ckd 1.02): a whole factor (ef), so no "
     "CF_ckd is applied to it; EFDB EF ID 213926"),
    ("ippu-0002", "", "CF_ckd", "2.A.1", "clinker", "", "", "ipcc2006", SRC_IPCC, "Ch.2 Eq. 2.2; p. 2.12",
     "default CKD correction of the Tier 2 chain: multiplies a plant's clinker EF_process before correction "
     "(a local row), never the Tier 1 ef 0.52; EFDB EF ID 213927"),
    ("ippu-0003", "", "clinker_fraction", "2.A.1", "cement", "", "", "ipcc2006", SRC_IPCC, "Ch.2 §2.2.1.2, p. 2.13",
     "0.75 where blended cements are likely (Chinese P.C / P.O cements are blended); 0.95 for portland "
     "cement only (EFDB EF ID 27512): give that as a local row; EFDB EF ID 27511"),
    # --- 2.A.2 lime ---------------------------------------------------------------------------------------
    ("ippu-0005", "", "EF_process", "2.A.2", "lime", "CO2", "t/t", "ipcc2006", SRC_IPCC, "Ch.2 §2.3.1.2",
     "lime of unknown type: 85 % high-calcium, 15 % dolomitic; EFDB EF ID 213928"),
    ("ippu-0006", "", "EF_process", "2.A.2", "lime.high_calcium", "CO2", "t/t", "ipcc2006", SRC_IPCC,
     "Ch.2 Table 2.4", "0.785 t CO2/t CaO × 95 % CaO; EFDB EF ID 23028"),
    ("ippu-0008", "", "EF_process", "2.A.2", "lime.dolomitic", "CO2", "t/t", "ipcc2006", SRC_IPCC,
     "Ch.2 Table 2.4", "developing-country value (0.86 for developed countries, EFDB 23029, not shipped); "
     "EFDB EF ID 27514"),
    ("ippu-0009", "", "EF_process", "2.A.2", "lime.hydraulic", "CO2", "t/t", "ipcc2006", SRC_IPCC, "Ch.2 Table 2.4",
     "EFDB EF ID 23030"),
    # --- 2.A.3 glass --------------------------------------------------------------------------------------
    ("ippu-0011", "", "EF_process", "2.A.3", "*", "CO2", "t/t", "ipcc2006", SRC_IPCC, "Ch.2 Eq. 2.10",
     "generic soda-lime batch, before the cullet ratio; EFDB EF ID 213930"),
    ("ippu-0012", "", "EF_process", "2.A.3", "flat_glass", "CO2", "t/t", "ipcc2006", SRC_IPCC, "Ch.2 Table 2.6",
     "float glass, before the cullet ratio; EFDB EF ID 213932"),
    # --- 2.B.1 ammonia ------------------------------------------------------------------------------------
    ("ippu-0013", "", "FR", "2.B.1", "ammonia", "", "GJ/t", "ipcc2006", SRC_IPCC, "Ch.3 Table 3.1",
     "modern plant, conventional reforming, natural gas; EFDB EF ID 213974"),
    ("fuels-0044", "CCF", "CCF", "2.B.1", "ammonia", "", "t/TJ", "ipcc2006", SRC_IPCC_ENERGY, "Vol.2 Table 1.3",
     "natural gas, the feedstock of the Table 3.1 plant (Vol.3 Eq. 3.1 takes CCF from Vol.2 Table 1.3); "
     "30.2 GJ/t × 15.3 t C/TJ × 44/12 = 1.694 t CO2/t, the EF of EFDB 213980"),
    # --- 2.B.2 nitric acid --------------------------------------------------------------------------------
    ("ippu-0022", "", "EF_process", "2.B.2", "nitric_acid.nscr", "N2O", "kg/t", "ipcc2006", SRC_IPCC,
     "Ch.3 Table 3.3", "abatement in the factor: use with no DF/ASUF; EFDB EF ID 213986"),
    ("ippu-0024", "", "EF_process", "2.B.2", "nitric_acid.atmospheric", "N2O", "kg/t", "ipcc2006", SRC_IPCC,
     "Ch.3 Table 3.3", "EFDB EF ID 213988"),
    ("ippu-0025", "", "EF_process", "2.B.2", "nitric_acid.medium_pressure", "N2O", "kg/t", "ipcc2006", SRC_IPCC,
     "Ch.3 Table 3.3", "EFDB EF ID 213989"),
    ("ippu-0026", "", "EF_process", "2.B.2", "nitric_acid.high_pressure", "N2O", "kg/t", "ipcc2006", SRC_IPCC,
     "Ch.3 Table 3.3", "EFDB EF ID 213990"),
    ("ippu-0026", "nitric_acid", "EF_process", "2.B.2", "nitric_acid", "N2O", "kg/t", "ipcc2006", SRC_IPCC,
     "Ch.3 Table 3.3", "plant type unknown: the high-pressure value, the highest of Table 3.3 (this project's "
     "conservative choice); file the plant type as nitric_acid.<type>; EFDB EF ID 213990"),
    # --- 2.B.5 carbide, 2.B.8 petrochemicals ----------------------------------------------------------------
    ("ippu-0015", "", "ef", "2.B.5", "calcium_carbide", "CO2", "t/t", "ipcc2006", SRC_IPCC, "Ch.3 Table 3.8",
     "per t of carbide produced, petroleum coke as the carbon source; EFDB EF ID 22974"),
    ("ippu-0018", "", "ef", "2.B.8.a", "methanol", "CO2", "t/t", "ipcc2006", SRC_IPCC, "Ch.3 Table 3.12",
     "conventional steam reforming without primary reformer, natural gas; EFDB EF ID 214005"),
    ("ippu-0019", "", "ef", "2.B.8.a", "methanol", "CH4", "kg/t", "ipcc2006", SRC_IPCC, "Ch.3 p. 3.74",
     "EFDB EF ID 214006"),
    ("ippu-0020", "", "EF_process", "2.B.8.b", "ethylene", "CO2", "t/t", "ipcc2006", SRC_IPCC, "Ch.3 Table 3.14",
     "steam cracking of naphtha, before the geographic adjustment factor GAF (Table 3.15, not shipped: give "
     "it as a local row); EFDB EF ID 214027"),
    ("ippu-0021", "", "EF_process", "2.B.8.b", "ethylene", "CH4", "kg/t", "ipcc2006", SRC_IPCC, "Ch.3 Table 3.16",
     "EFDB EF ID 214029"),
    # --- provincial guideline (all memory grade in the reference) -------------------------------------------
    ("ippu-0030", "", "ef", "2.A.1", "clinker", "CO2", "t/t", "cn_guideline", SRC_PROVINCIAL, "第二章 工业生产过程",
     "UNVERIFIED (memory): widely cited provincial-guideline clinker factor; whether it contains a kiln-dust "
     "correction is not verified: used as a whole factor (ef), no CF_ckd applied"),
    ("ippu-0031", "", "EF_process", "2.A.2", "lime", "CO2", "t/t", "cn_guideline", SRC_PROVINCIAL,
     "第二章 工业生产过程", "UNVERIFIED (memory): provincial-guideline lime factor"),
    ("ippu-0032", "", "ef", "2.B.5", "calcium_carbide", "CO2", "t/t", "cn_guideline", SRC_PROVINCIAL,
     "第二章 工业生产过程", "UNVERIFIED (memory, low confidence): provincial-guideline carbide factor"),
    ("ippu-0033", "", "EF_process", "2.B.3", "adipic_acid", "N2O", "kg/t", "cn_guideline", SRC_PROVINCIAL,
     "第二章 工业生产过程", "UNVERIFIED (memory, low confidence)"),
    ("ippu-0034", "", "EF_process", "2.B.2", "nitric_acid.high_pressure", "N2O", "kg/t", "cn_guideline",
     SRC_PROVINCIAL, "第二章 工业生产过程", "UNVERIFIED (memory, low confidence): 高压法"),
    ("ippu-0035", "", "EF_process", "2.B.2", "nitric_acid.medium_pressure", "N2O", "kg/t", "cn_guideline",
     SRC_PROVINCIAL, "第二章 工业生产过程", "UNVERIFIED (memory, low confidence): 中压法"),
    ("ippu-0036", "", "EF_process", "2.B.2", "nitric_acid.atmospheric", "N2O", "kg/t", "cn_guideline",
     SRC_PROVINCIAL, "第二章 工业生产过程", "UNVERIFIED (memory, low confidence): 常压法"),
    ("ippu-0037", "", "EF_process", "2.B.2", "nitric_acid.dual_pressure", "N2O", "kg/t", "cn_guideline",
     SRC_PROVINCIAL, "第二章 工业生产过程", "UNVERIFIED (memory, low confidence): 双加压法"),
]

# Rows whose value is computed here from reference rows (confidence "derived", the formula in note)
# or recalled without a reference row (confidence "memory", flagged in every report that uses them).
EXTRA = [
    # id, parameter, category, item, gas, value, unit, factor set, source, table, confidence, note
    ("derived-ippu-cof", "COF", "2.B.1", "ammonia", "", "1", "", "ipcc2006", SRC_IPCC, "Ch.3 Eq. 3.1, Table 3.1",
     "derived", "COF = 1.694 / (30.2 × 15.3 × 44/12 / 1000) = 0.9999 → 1 (EFDB 213980, 213974; Vol.2 Table 1.3)"),
    ("derived-ippu-cr", "CR", "2.A.3", "*", "", "0.5", "", "ipcc2006", SRC_IPCC, "Ch.2 Eq. 2.10",
     "derived", "default cullet ratio of the Tier 1 method, recorded with EFDB EF ID 213931 in the note of "
     "reference row ippu-0011 (the value itself is not a reference row): float glass plants typically use "
     "10-25 % cullet (give a local row)"),
    ("memory-ippu-adipic", "EF_process", "2.B.3", "adipic_acid", "N2O", "300", "kg/t", "ipcc2006", SRC_IPCC,
     "Ch.3 Table 3.4", "memory", "UNVERIFIED: the IPCC default as quoted in the note of reference row ippu-0033"),
    ("memory-ippu-steel-bof", "ef", "2.C.1", "steel.bof", "CO2", "1.46", "t/t", "ipcc2006", SRC_IPCC,
     "Ch.4 Table 4.1", "memory", "UNVERIFIED: recalled, no reference row"),
    ("memory-ippu-steel-eaf", "ef", "2.C.1", "steel.eaf", "CO2", "0.08", "t/t", "ipcc2006", SRC_IPCC,
     "Ch.4 Table 4.1", "memory", "UNVERIFIED: recalled, no reference row"),
    ("memory-ippu-steel-ohf", "ef", "2.C.1", "steel.ohf", "CO2", "1.72", "t/t", "ipcc2006", SRC_IPCC,
     "Ch.4 Table 4.1", "memory", "UNVERIFIED: recalled, no reference row"),
    ("memory-ippu-fesi", "ef", "2.C.2", "ferroalloy.ferrosilicon", "CO2", "4", "t/t", "ipcc2006", SRC_IPCC,
     "Ch.4 Table 4.5", "memory", "UNVERIFIED: recalled, no reference row (75 % Si)"),
    ("memory-ippu-femn", "ef", "2.C.2", "ferroalloy.ferromanganese", "CO2", "1.3", "t/t", "ipcc2006", SRC_IPCC,
     "Ch.4 Table 4.5", "memory", "UNVERIFIED: recalled, no reference row (7 % C)"),
    ("memory-ippu-simn", "ef", "2.C.2", "ferroalloy.silicomanganese", "CO2", "1.4", "t/t", "ipcc2006", SRC_IPCC,
     "Ch.4 Table 4.5", "memory", "UNVERIFIED: recalled, no reference row"),
    ("memory-ippu-al-prebake", "ef", "2.C.3", "aluminium.cwpb", "CO2", "1.6", "t/t", "ipcc2006", SRC_IPCC,
     "Ch.4 Table 4.10", "memory", "UNVERIFIED: recalled, no reference row (prebake)"),
    ("memory-ippu-al-prebake-sw", "ef", "2.C.3", "aluminium.swpb", "CO2", "1.6", "t/t", "ipcc2006", SRC_IPCC,
     "Ch.4 Table 4.10", "memory", "UNVERIFIED: recalled, no reference row (prebake)"),
    ("memory-ippu-al-cwpb-cf4", "ef", "2.C.3", "aluminium.cwpb", "CF4", "0.4", "kg/t", "ipcc2006", SRC_IPCC,
     "Ch.4 Table 4.15", "memory", "UNVERIFIED: recalled, no reference row"),
    ("memory-ippu-al-cwpb-c2f6", "ef", "2.C.3", "aluminium.cwpb", "C2F6", "0.04", "kg/t", "ipcc2006", SRC_IPCC,
     "Ch.4 Table 4.15", "memory", "UNVERIFIED: recalled, no reference row"),
]



def fmt(value: str) -> str:
    number = float(value)
    text = f"{number:.6g}"
    return text


def percent_to_fraction(value: str, unit: str) -> str:
    return fmt(str(float(value) / 100.0)) if unit.startswith("%") else fmt(value)


def read_reference(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def build(reference_dir: Path) -> str:
    """The text of ``ippu.csv``."""
    reference = read_reference(reference_dir / "ippu.csv") | read_reference(reference_dir / "fuels.csv")
    rows = []
    for ref_id, suffix, parameter, category, item, gas, unit, factor_set, source, table, note in FROM_REFERENCE:
        ref = reference[ref_id]
        confidence = ref["confidence"]
        if confidence not in ("verified", "secondary", "derived", "memory"):
            raise ValueError(f"{ref_id}: confidence {confidence!r} cannot be shipped")
        uncertainty = f"{fmt(ref['value_min'])}..{fmt(ref['value_max'])}" if ref.get("value_min") and \
            ref.get("value_max") and ref["value_min"] != "nan" else ""
        rows.append({"id": f"{ref_id}:{suffix}" if suffix else ref_id, "parameter": parameter, "category": category,
                     "item": item, "gas": gas, "value": percent_to_fraction(ref["value"], ref["unit"]),
                     "unit": unit, "region": "*", "year_from": "", "year_to": "", "source": source,
                     "source_table": table, "confidence": confidence, "uncertainty": uncertainty,
                     "factor_set": factor_set, "note": note})
    for row_id, parameter, category, item, gas, value, unit, factor_set, source, table, confidence, note in EXTRA:
        rows.append({"id": row_id, "parameter": parameter, "category": category, "item": item, "gas": gas,
                     "value": fmt(value), "unit": unit, "region": "*", "year_from": "", "year_to": "",
                     "source": source, "source_table": table, "confidence": confidence, "uncertainty": "",
                     "factor_set": factor_set, "note": note})
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate ids: " + ", ".join(sorted({i for i in ids if ids.count(i) > 1})))
    rows.sort(key=lambda r: (r["factor_set"] != "ipcc2006", r["category"], r["item"], r["parameter"], r["gas"]))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    return factor_build.main(argv, __doc__, FILE_NAME, build)


if __name__ == "__main__":
    sys.exit(main())
