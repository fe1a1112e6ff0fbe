"""Issue 9, demo data never leaks into real work: ``inventory templates`` fills in last year's values
only from a data folder it is given, ``inventory ingest`` needs ``--data`` and refuses the shipped
demo folder, and a ``--data`` folder that does not exist is an error (exit 2) for every command."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from pipeline_data import ROOT, tree_digest, write_data

from inventory.cli import main
from inventory.collect.departments import departments
from inventory.collect.ingest import ingest, is_demo_folder
from inventory.collect.workbooks import build_workbook, save_workbook, write_templates
from inventory.core.errors import InputError

STATS = "2023_430523_邵阳县_统计局.xlsx"


def _numbers(path) -> list:
    sheet = load_workbook(path)["能源消费"]
    return [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, (int, float))]


def test_templates_without_data_show_no_demo_numbers(tmp_path, capsys):
    assert main(["templates", "--out", str(tmp_path), "--regions", "430523", "--years", "2023",
                 "--departments", "stats"]) == 0
    workbook = tmp_path / STATS
    assert "示例数据" not in str(load_workbook(workbook)["能源消费"]["B3"].value)
    assert _numbers(workbook) == [], "no last year's values: the reference cells stay empty"


def test_templates_with_the_demo_asked_for_show_it_marked(tmp_path):
    run = write_templates(tmp_path, ROOT / "data_raw", ["430523"], [2023], ["stats"])
    workbook = run.written[0]
    assert "示例数据" in str(load_workbook(workbook)["能源消费"]["B3"].value)
    assert _numbers(workbook), "last year's (illustrative) values"


def test_templates_with_a_data_folder_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        write_templates(tmp_path / "forms", tmp_path / "nowhere", ["430523"], [2023], ["stats"])
    assert not (tmp_path / "forms").exists()


def test_ingest_needs_data(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "--data" in capsys.readouterr().err


def test_ingest_refuses_the_shipped_demo_folder(tmp_path, registry, capsys):
    submissions = tmp_path / "in"
    submissions.mkdir()
    save_workbook(build_workbook(departments()["stats"], "430523", 2023, registry), submissions / STATS)
    demo = ROOT / "data_raw"
    assert is_demo_folder(demo) and not is_demo_folder(tmp_path)
    before = tree_digest(demo)
    result = ingest([submissions], demo)
    assert not result.ok and "demo" in result.issues[0].message and "示例数据" in result.issues[0].message
    code = main(["ingest", str(submissions), "--data", str(demo), "--report", str(tmp_path / "r.html")])
    assert code == 2 and "--into-demo" in capsys.readouterr().err
    assert tree_digest(demo) == before, "nothing filed into the demo"
    # asked for explicitly (a dry run here: the demo folder of the checkout is never written by the tests)
    allowed = ingest([submissions], demo, dry_run=True, into_demo=True)
    assert not any("demo" in issue.message for issue in allowed.issues)


def test_ingest_into_a_data_folder_that_does_not_exist_is_an_error(tmp_path):
    result = ingest([tmp_path], tmp_path / "nowhere")
    assert not result.ok and "does not exist" in result.issues[0].message
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("command", ["run", "compute", "templates", "ingest"])
def test_a_data_folder_that_does_not_exist_exits_2_naming_it(tmp_path, capsys, command):
    missing = tmp_path / "no-such-data"
    args = {"run": ["run", "--out", str(tmp_path / "out")], "compute": ["compute", "--out", str(tmp_path / "out")],
            "templates": ["templates", "--out", str(tmp_path / "out")],
            "ingest": ["ingest", str(tmp_path), "--report", str(tmp_path / "out" / "r.html")]}[command]
    assert main([*args, "--data", str(missing)]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "数据目录" in err and "does not exist" in err
    assert not (tmp_path / "out").exists(), "nothing written"


def test_an_existing_data_folder_is_still_accepted(tmp_path, capsys):
    data = write_data(tmp_path / "data")
    assert main(["compute", "--data", str(data), "--out", str(tmp_path / "out"), "--regions", "430523"]) == 0
    assert (tmp_path / "out" / "emissions.csv").is_file()
