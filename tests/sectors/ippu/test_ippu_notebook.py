"""The IPPU notebook through ``inventory run`` on one county-year of the shipped demo, and ``inventory compute``
giving the same emissions byte for byte (the two slow tests of the sector: each starts processes and a kernel)."""

import pandas as pd
import pytest
from pipeline_data import ROOT, run_cli, summary_counts


@pytest.fixture(scope="module")
def ippu_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("ippu") / "out"
    done = run_cli("run", "--data", str(ROOT / "data_raw"), "--out", str(out), "--sectors", "ippu",
                   "--regions", "430522", "--years", "2022", "--jobs", "1", "--quiet", timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return out, done


@pytest.mark.slow
def test_county_year_notebook_writes_report_results_and_flags(ippu_run):
    out, done = ippu_run
    assert summary_counts(done.stdout)[0] >= 1
    report = (out / "reports" / "430522" / "2022" / "ippu.html").read_text(encoding="utf-8")
    assert "示例数据，非官方统计" in report
    assert "水泥熟料" in report and "ippu-0030" in report  # the product, its factor id (provincial method)
    assert "DEMO-CEM-02" in report  # the deliberate enterprise gap is listed
    flags = pd.read_csv(out / "results" / "430522" / "2022" / "ippu.flags.csv")
    assert "enterprise_gap" in set(flags["check"])
    emissions = pd.read_csv(out / "emissions.csv", dtype={"region": str})
    cement = emissions[(emissions["region"] == "430522") & (emissions["category"] == "2.A.1")]
    # 新邵 2022: 0.22 × 170 万吨 = 37.4 万吨 clinker × 0.538 (provincial guideline, memory) = 201,212 t CO2
    assert cement["emissions_t"].sum() == pytest.approx(201_212.0)


@pytest.mark.slow
def test_compute_gives_the_notebook_results(ippu_run, tmp_path):
    out, _ = ippu_run
    done = run_cli("compute", "--data", str(ROOT / "data_raw"), "--out", str(tmp_path / "c"), "--sectors", "ippu",
                   "--regions", "430522", "--years", "2022")
    assert done.returncode == 0, done.stderr[-3000:]
    for name in ("emissions.csv", "emissions_provenance.csv"):
        assert (tmp_path / "c" / name).read_bytes() == (out / name).read_bytes(), name
