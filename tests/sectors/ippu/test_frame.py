"""The statistics-bureau frame of the energy notebook takes the IPPU sector's CO2 (issue 11), and energy's
content keys cover the IPPU records and factors it now reads."""

import pytest

from inventory.sectors.energy import SECTOR as ENERGY
from inventory.sectors.energy.compilation import compile_energy

HEADER = "region,year,category,item,quantity,value,unit"
FACTOR_HEADER = "parameter,category,item,gas,value,unit,region,year_from,year_to,source"


def test_frame_adds_process_co2_and_nothing_else(data_folder):
    # energy: 1,000 t diesel × 43 GJ/t = 43 TJ × 20.2 t C/TJ = 868.6 t C × 1 × 44/12 = 3,184.8667 t CO2
    # IPPU (IPCC 2006): clinker 1,000,000 t × 0.52 = 520,000; methanol 1,000 t × 0.67 = 670 t CO2 (its 2.3 t CH4
    # is not CO2: outside the frame) → processes 520,670; direct 523,854.8667 t
    folder = data_folder(
        activity={"energy.csv": [HEADER, "430523,2022,1.A.2,diesel,consumption,1000,t"],
                  "ippu.csv": [HEADER, "430523,2022,2.A.1,clinker,production,100,万吨",
                               "430523,2022,2.B.8.a,methanol,production,1000,t"]},
        factors={"local.csv": [FACTOR_HEADER, "ncv,*,diesel,,43,GJ/t,*,,,test",
                               "carbon_content,*,diesel,,20.2,t/TJ,*,,,test", "oxidation,*,diesel,,1,,*,,,test"]})
    energy = compile_energy("430523", 2022, folder, method="ipcc2006")
    frame = energy.frame["co2_t"]
    assert frame["energy"] == pytest.approx(3_184.8667, rel=1e-7)
    assert frame["processes"] == pytest.approx(520_670.0)
    assert frame["direct"] == pytest.approx(523_854.8667, rel=1e-7)
    # the energy inventory itself is unchanged: no 2.x rows among energy's emissions
    assert not energy.result.emissions["category"].str.startswith("2.").any()
    assert "IPPU" in energy.frame_table().iloc[1, -1]


def test_frame_without_ippu_records_says_so(data_folder):
    folder = data_folder(
        activity={"energy.csv": [HEADER, "430523,2022,1.A.2,diesel,consumption,1000,t"]},
        factors={"local.csv": [FACTOR_HEADER, "ncv,*,diesel,,43,GJ/t,*,,,test",
                               "carbon_content,*,diesel,,20.2,t/TJ,*,,,test", "oxidation,*,diesel,,1,,*,,,test"]})
    energy = compile_energy("430523", 2022, folder, method="ipcc2006")
    assert energy.frame["co2_t"]["total"] == pytest.approx(3_184.8667, rel=1e-7)
    assert "not estimated or not occurring" in energy.frame_table().iloc[1, -1]


def test_energy_content_keys_cover_the_ippu_records_and_factors():
    assert ENERGY.reads_category("2.A.1") and ENERGY.reads_category("2.B.8.a")
    assert {"EF_process", "CF_ckd", "clinker_fraction", "FR", "CCF", "GAF"} <= set(ENERGY.factor_parameters)
