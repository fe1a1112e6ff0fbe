"""Issue 9, progress when not a terminal: ``make run > log`` (or a scheduler) shows lines such as
``[12/136] notebooks, 8.3 s`` on stderr every few seconds; a terminal gets the tqdm bar;
``--quiet`` nothing. (``tests/pipeline/test_qa_status.py`` checks the lines of a real run.)"""

from __future__ import annotations

import io
import sys

from inventory.pipeline.run import _LineProgress, _NoProgress, _progress


class _Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_lines_every_few_seconds_and_at_the_end():
    clock, stream = _Clock(), io.StringIO()
    progress = _LineProgress(136, "notebooks", stream=stream, interval=5.0, clock=clock)
    for _ in range(20):  # 20 notebooks, one every 0.6 s: a line once 5 s have passed since the last
        clock.now += 0.6
        progress.update()
    assert stream.getvalue().splitlines() == ["[9/136] notebooks, 5.4 s", "[18/136] notebooks, 10.8 s"]
    clock.now += 1.0
    progress.update(116)  # the rest: the last one always prints
    progress.close()  # and close adds nothing after it
    assert stream.getvalue().splitlines()[-1] == "[136/136] notebooks, 13.0 s"
    assert len(stream.getvalue().splitlines()) == 3


def test_close_shows_where_a_stopped_run_got_to():
    clock, stream = _Clock(), io.StringIO()
    progress = _LineProgress(10, "notebooks", stream=stream, clock=clock)
    clock.now += 1.0
    progress.update(3)
    assert stream.getvalue() == ""
    progress.close()
    assert stream.getvalue() == "[3/10] notebooks, 1.0 s\n"


def test_lines_when_stderr_is_not_a_terminal_nothing_when_disabled(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    assert isinstance(_progress(5, "notebooks", enabled=True), _LineProgress)
    assert isinstance(_progress(5, "notebooks", enabled=False), _NoProgress)

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    from tqdm.auto import tqdm

    bar = _progress(5, "notebooks", enabled=True)
    assert isinstance(bar, tqdm)
    bar.close()


def test_the_cli_asks_for_progress_unless_quiet(monkeypatch, tmp_path):
    """``inventory run`` no longer turns progress off when stderr is not a terminal: only --quiet does."""
    import inventory.pipeline.run as pipeline
    from inventory.cli import main

    seen = {}

    def fake_run(options):
        seen["progress"] = options.progress
        raise pipeline.OutputLocked("stop here")

    monkeypatch.setattr(pipeline, "run", fake_run)
    data = tmp_path / "data"
    data.mkdir()
    assert main(["run", "--data", str(data), "--out", str(tmp_path / "out")]) == 3
    assert seen["progress"] is True
    assert main(["run", "--data", str(data), "--out", str(tmp_path / "out"), "--quiet"]) == 3
    assert seen["progress"] is False
