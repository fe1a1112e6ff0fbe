"""Issue 9, a region by name: ``--regions 邵阳县`` (or ``Shaoyang County``) selects 430523; an
ambiguous or unknown name is an error that lists the candidates."""

from __future__ import annotations

import pytest
from pipeline_data import write_data

from inventory.cli import main, parse_list
from inventory.core.activity import read_activity
from inventory.core.factors import load_factors
from inventory.core.regions import UnknownRegion, load_regions
from inventory.pipeline.run import RunOptions, plan


@pytest.mark.parametrize(("text", "code"), [
    ("430523", "430523"), ("邵阳县", "430523"), ("Shaoyang County", "430523"), (" shaoyang  county ", "430523"),
    ("邵阳市", "430500"), ("隆回", "430524"),  # a part of one name alone
    ("邵东县", "430521"),  # a retired region by its own name (the pipeline selects its successor)
])
def test_lookup(registry, text, code):
    assert registry.lookup(text) == code


def test_an_ambiguous_name_lists_the_candidates(registry):
    with pytest.raises(UnknownRegion) as raised:
        registry.lookup("邵阳")
    assert {"430500", "430523"} <= set(raised.value.candidates)
    assert "ambiguous" in str(raised.value) and "430500 邵阳市" in str(raised.value)
    assert "430523 邵阳县 / Shaoyang County" in str(raised.value)


def test_an_unknown_name_lists_the_candidates(registry):
    with pytest.raises(UnknownRegion) as raised:
        registry.lookup("邵阳具")  # a typo
    assert "430523" in raised.value.candidates
    assert "unknown region" in str(raised.value) and "430523 邵阳县" in str(raised.value)
    with pytest.raises(UnknownRegion) as raised:
        registry.lookup("北京市")
    assert raised.value.candidates and "known regions include" in str(raised.value)


def _tasks(data, **selection):
    options = RunOptions(data_dir=data, out_dir=data.parent / "out", progress=False, **selection)
    return {t.id for t in plan(options, read_activity(data), load_factors(data), load_regions(data))}


def test_run_selects_a_region_by_name(tmp_path):
    data = write_data(tmp_path / "data")
    by_code = _tasks(data, regions=["430523"], years=[2021])
    assert _tasks(data, regions=["邵阳县"], years=[2021]) == by_code == {"energy/430523/2021", "summary/430523/all",
                                                                    "inventory/430523/2021"}
    assert _tasks(data, regions=["Shaoyang County", "隆回县"], years=[2021]) == _tasks(
        data, regions=["430523", "430524"], years=[2021])


def test_run_with_an_ambiguous_name_exits_2_with_the_candidates(tmp_path, capsys):
    data = write_data(tmp_path / "data")
    assert main(["run", "--data", str(data), "--out", str(tmp_path / "out"), "--regions", "邵阳"]) == 2
    err = capsys.readouterr().err
    assert "--regions" in err and "ambiguous" in err and "430500 邵阳市" in err and "430523 邵阳县" in err
    assert not (tmp_path / "out").exists()


def test_run_with_an_unknown_code_says_so_as_before(tmp_path, capsys):
    data = write_data(tmp_path / "data")
    assert main(["run", "--data", str(data), "--out", str(tmp_path / "out"), "--regions", "999999"]) == 2
    assert "unknown region code(s): 999999" in capsys.readouterr().err


def test_chinese_commas_separate_a_list():
    assert parse_list("邵阳县，隆回县、430500") == ["邵阳县", "隆回县", "430500"]
    assert parse_list("all") is None
