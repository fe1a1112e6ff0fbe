"""Broken and hostile input files: each is a problem of that file (named, with the reason, in Chinese and
English), never a traceback; nothing is filed; the run path's CSV reading behaves the same."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from pipeline_data import run_cli, tree_digest
from workbook_data import fill

from inventory.collect.departments import departments
from inventory.collect.ingest import ingest
from inventory.collect.workbooks import MAX_MEMBERS, MAX_RATIO, MAX_UNCOMPRESSED, build_workbook, save_workbook
from inventory.core.activity import read_activity
from inventory.core.csvio import FIELD_LIMIT
from inventory.core.errors import InputError
from inventory.core.factors import load_factors

STATS = "2023_430523_邵阳县_统计局.xlsx"
HEADER = "region,year,category,item,quantity,value,unit,note"


@pytest.fixture
def folders(tmp_path):
    """An empty data folder and an empty submissions folder."""
    data = tmp_path / "data"
    (data / "activity").mkdir(parents=True)
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    return {"data": data, "in": submissions}


@pytest.fixture(scope="module")
def good(tmp_path_factory, registry) -> Path:
    """A filled 统计局 workbook of 邵阳县 2023 to damage (copies only)."""
    path = tmp_path_factory.mktemp("good") / STATS
    save_workbook(build_workbook(departments()["stats"], "430523", 2023, registry), path)
    fill(path, {"能源消费": {"D15": 35000}})
    return path


def rewritten(source: Path, target: Path, change=None, add: dict[str, bytes] | None = None) -> Path:
    """A copy of the workbook ``source`` with members changed (``change(name, data) -> data``) or added."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            data = original.read(info.filename)
            copy.writestr(info.filename, change(info.filename, data) if change else data)
        for name, data in (add or {}).items():
            copy.writestr(name, data)
    return target


def messages(result) -> dict[str, str]:
    return {Path(i.file).name: i.message for i in result.issues}


def test_decompression_bombs_are_refused_from_the_zip_directory(folders, good):
    """A workbook whose members would decompress to more than the limit (8 MiB), one member packed more than
    100:1, or more than 1000 members: refused before openpyxl parses anything."""
    inputs = folders["in"]
    # 9 MiB of zeros: deflate packs them about 1000:1, so the file stays small (the probe's 442 kB file reached
    # 4.2 GB of memory); 9 MiB > 8 MiB
    rewritten(good, inputs / "2023_430523_bomb.xlsx", add={"xl/media/image1.bin": bytes(9 * 1024 * 1024)})
    # 2 MiB of zeros: within the total, but 2 MiB packed to ~2 kB is > 100:1
    rewritten(good, inputs / "2023_430523_ratio.xlsx", add={"xl/media/image1.bin": bytes(2 * 1024 * 1024)})
    rewritten(good, inputs / "2023_430523_members.xlsx",
              add={f"xl/media/m{i}.bin": b"x" for i in range(MAX_MEMBERS)})
    assert (inputs / "2023_430523_bomb.xlsx").stat().st_size < 100_000
    before = tree_digest(folders["data"])
    result = ingest([inputs], folders["data"])
    found = messages(result)
    assert len(result.issues) == 3
    assert "（解压后 9 MB；" in found["2023_430523_bomb.xlsx"] and "(9 MB uncompressed;" in \
        found["2023_430523_bomb.xlsx"]
    assert f"上限 {MAX_UNCOMPRESSED // 1024 // 1024} MB" in found["2023_430523_bomb.xlsx"]
    assert "too large when decompressed" in found["2023_430523_bomb.xlsx"]
    assert "xl/media/image1.bin 压缩比" in found["2023_430523_ratio.xlsx"]
    ratio = int(found["2023_430523_ratio.xlsx"].split("压缩比 ")[1].split(":")[0])
    assert ratio > MAX_RATIO
    # the filled template's 14 members + 1000 added
    assert f"（{14 + MAX_MEMBERS} 个成员；" in found["2023_430523_members.xlsx"]
    assert tree_digest(folders["data"]) == before


def test_merges_and_hyperlinks_over_huge_ranges_are_refused_before_parsing(folders, good):
    """openpyxl makes an object for every cell a merge or a hyperlink range covers: one merge of
    A1:XFD1048576 in a 30 kB file would never finish loading. Counted from the sheet XML first."""
    inputs = folders["in"]

    def merged(name: str, data: bytes) -> bytes:  # every cell of the sheet, 16,384 × 1,048,576
        return data.replace(b"<mergeCell ref=\"B3:", b"<mergeCell ref=\"A1:XFD1048576\"/><mergeCell ref=\"B3:", 1) \
            if name == "xl/worksheets/sheet2.xml" else data

    def linked(name: str, data: bytes) -> bytes:  # 300 × 200 = 60,000 cells > 50,000
        return data.replace(b"</worksheet>", b'<hyperlinks><hyperlink ref="A1:KN200" location="x"/></hyperlinks>'
                            b"</worksheet>") if name == "xl/worksheets/sheet2.xml" else data

    rewritten(good, inputs / "2023_430523_merged.xlsx", merged)
    rewritten(good, inputs / "2023_430523_linked.xlsx", linked)
    found = messages(ingest([inputs], folders["data"]))
    # the template's own merges (row 3 of each data sheet): B3:W3, B3:W3, B3:X3, B3:K3 = 22 + 22 + 23 + 10 = 77
    assert f"覆盖 {16384 * 1048576 + 77:,} 个单元格" in found["2023_430523_merged.xlsx"]
    assert f"merged cells and hyperlinks cover {60_000 + 77:,} cells" in found["2023_430523_linked.xlsx"]


def test_damaged_workbooks_and_folders_with_a_files_name_are_each_reported(folders, good):
    inputs = folders["in"]

    def cut(name: str, data: bytes) -> bytes:  # the sheet's XML cut in half: unclosed tags
        return data[: len(data) // 2] if name == "xl/worksheets/sheet2.xml" else data

    rewritten(good, inputs / "2023_430523_cut.xlsx", cut)
    (inputs / "2023_430523_truncated.xlsx").write_bytes(good.read_bytes()[:5000])  # a download cut short
    (inputs / "unpacked.xlsx").mkdir()  # a folder with a workbook's name
    (inputs / "county.csv").mkdir()
    (inputs / "county.csv" / "readme.txt").write_text("not data")
    result = ingest([inputs], folders["data"])
    found = messages(result)
    assert set(found) == {"2023_430523_cut.xlsx", "2023_430523_truncated.xlsx", "unpacked.xlsx", "county.csv"}
    assert "不是可读的 .xlsx 文件（文件损坏？）" in found["2023_430523_cut.xlsx"]
    assert "ParseError" in found["2023_430523_cut.xlsx"]
    assert "not a readable .xlsx file (damaged, or not an Excel file)" in found["2023_430523_truncated.xlsx"]
    assert found["unpacked.xlsx"].startswith("是文件夹，不是文件")
    assert found["county.csv"].startswith("是文件夹，不是文件") and "a folder, not a file" in found["county.csv"]
    assert list((folders["data"] / "activity").iterdir()) == []


def test_a_csv_field_over_the_limit_names_its_line(folders, tmp_path):
    """An unclosed quote makes one field of the rest of the file; past 131,072 characters the csv module
    raises csv.Error, which ingest did not catch."""
    csv_file = tmp_path / "county.csv"
    csv_file.write_text(f"{HEADER}\n430523,2023,1.A.2,diesel,consumption,5,吨,ok\n"
                        f'430523,2023,1.A.3.b,diesel,consumption,5,吨,"unclosed {"x" * FIELD_LIMIT}\n',
                        encoding="utf-8")
    result = ingest([csv_file], folders["data"])
    [issue] = result.issues
    assert (Path(issue.file).name, issue.line) == ("county.csv", 3)
    assert issue.message.startswith("单元格超过 131,072 个字符（引号不成对？）")
    assert "an unclosed quote" in issue.message
    assert list((folders["data"] / "activity").iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_files_without_read_permission_are_named(folders, tmp_path, good):
    for name in ("locked.csv", "2023_430523_locked.xlsx"):
        locked = folders["in"] / name
        locked.write_bytes(good.read_bytes() if name.endswith(".xlsx") else f"{HEADER}\n".encode())
        locked.chmod(0)
    issues = ingest([folders["in"]], folders["data"]).issues
    assert [i.message for i in issues] == ["没有读取权限 / permission denied: the file cannot be read"] * 2


def test_gb18030_text_is_filed_intact_and_undecodable_bytes_name_file_and_line(folders, tmp_path):
    """A CSV saved as GB18030 (with characters GBK lacks: 䶮 U+4DAE, 𠀀 U+20000) is filed as UTF-8 with its
    Chinese intact; bytes that are neither UTF-8 nor GB18030 are an error naming file and line, and no
    replacement character is ever filed."""
    text = f"{HEADER},source\n430523,2023,1.A.2,diesel,consumption,5,吨,䶮𠀀 县统计局,县统计局年报\n"
    gb = tmp_path / "county_gb18030.csv"
    gb.write_bytes(text.encode("gb18030"))
    result = ingest([gb], folders["data"])
    assert result.ok, result.issues
    filed = (folders["data"] / "activity" / "county_gb18030.csv").read_text(encoding="utf-8")
    assert filed == text and "\ufffd" not in filed
    broken = tmp_path / "broken.csv"
    # line 3 holds 0xFF, which starts no character in UTF-8 or in GB18030
    broken.write_bytes(f"{HEADER}\n430523,2023,1.A.2,diesel,consumption,5,吨,\n".encode("gb18030")
                       + b"430523,2023,1.A.3.b,diesel,consumption,5,\xff\xff,\n")
    [issue] = ingest([broken], folders["data"]).issues
    assert (Path(issue.file).name, issue.line) == ("broken.csv", 3)
    assert issue.message.startswith("不是 UTF-8 文本，也不是 GBK/GB18030") and "never replaced" in issue.message
    assert not (folders["data"] / "activity" / "broken.csv").exists()


def test_the_run_path_names_folders_and_oversized_fields(tmp_path):
    """read_activity and load_factors: a folder named x.csv (skipped silently, or a traceback for factors)
    and a field over the limit are issues naming the file."""
    data = tmp_path / "data"
    (data / "activity" / "x.csv").mkdir(parents=True)
    (data / "activity" / "big.csv").write_text(
        f'{HEADER}\n430523,2022,1.A.2,diesel,consumption,5,t,"{"x" * (FIELD_LIMIT + 1)}"\n', encoding="utf-8")
    (data / "factors" / "y.csv").mkdir(parents=True)
    with pytest.raises(InputError) as info:
        read_activity(data)
    assert {(i.file, i.line, i.message.split(" / ")[0]) for i in info.value.issues} == {
        ("activity/x.csv", 0, "是文件夹，不是文件（名字以 .csv 结尾）：请改名或移走"),
        ("activity/big.csv", 2, "单元格超过 131,072 个字符（引号不成对？）：请检查此行起的英文双引号"),
    }
    with pytest.raises(InputError) as info:
        load_factors(data)
    assert [(i.file, i.message.split(" / ")[0]) for i in info.value.issues] == [
        ("factors/y.csv", "是文件夹，不是文件（名字以 .csv 结尾）：请改名或移走")]


@pytest.mark.slow
def test_the_command_reports_every_broken_file_in_terminal_and_report_and_exits_2(folders, good, tmp_path):
    """The CLI, as the probe ran it: a bomb, a damaged sheet, a folder named *.csv and an oversized field
    together; exit 2, each file and reason on stderr and in the --report file, no traceback, nothing filed."""
    inputs = folders["in"]
    rewritten(good, inputs / "2023_430523_bomb.xlsx", add={"xl/media/image1.bin": bytes(9 * 1024 * 1024)})
    rewritten(good, inputs / "2023_430523_cut.xlsx",
              lambda name, data: data[:999] if name == "xl/worksheets/sheet2.xml" else data)
    (inputs / "folder.csv").mkdir()
    (inputs / "big.csv").write_text(f'{HEADER}\n430523,2023,1.A.2,diesel,consumption,5,吨,"{"x" * 140_000}"\n',
                                    encoding="utf-8")
    report = tmp_path / "report.xlsx"
    done = run_cli("ingest", str(inputs), "--data", str(folders["data"]), "--report", str(report))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    for name, says in (("2023_430523_bomb.xlsx", "文件解压后过大"), ("2023_430523_cut.xlsx", "文件损坏？"),
                       ("folder.csv", "是文件夹，不是文件"), ("big.csv:2", "单元格超过 131,072 个字符")):
        assert any(name in line and says in line for line in done.stderr.splitlines()), (name, done.stderr)
    from openpyxl import load_workbook

    rows = [[c.value for c in row] for row in load_workbook(report)["问题 problems"].iter_rows(min_row=2)]
    assert sorted(Path(r[0]).name for r in rows) == ["2023_430523_bomb.xlsx", "2023_430523_cut.xlsx", "big.csv",
                                                     "folder.csv"]
    assert list((folders["data"] / "activity").iterdir()) == []
