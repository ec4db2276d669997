"""The progress line of long offline commands: on a terminal only, never with --quiet."""

from __future__ import annotations

import io
import os
import pty
import subprocess
from pathlib import Path

import pytest

from scraper.progress import ProgressLine
from tests.conftest import REPO, run_scraper, scraper_command
from tests.test_import import outside_warc


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_line_shows_files_records_bytes_rate_and_time_left() -> None:
    screen, now = Terminal(), [100.0]
    progress = ProgressLine("extract", total_files=2, total_bytes=4_000_000, stream=screen,
                            clock=lambda: now[0])
    now[0] = 102.0
    progress.add(position=1_000_000)
    assert progress.text() == \
        "extract: 0/2 files, 1 records, 1.0 MB/4.0 MB, 500.0 KB/s, 0:06 left"
    assert screen.getvalue() == "\r\033[K" + progress.text()
    now[0] = 102.1
    progress.add()  # too soon to redraw
    assert screen.getvalue().count("\r") == 1
    progress.file_done(2_000_000)
    assert progress.bytes_done == 2_000_000 and progress.files == 1
    progress.close()
    assert screen.getvalue().endswith("\r\033[K")


def test_nothing_is_drawn_off_a_terminal_or_when_disabled() -> None:
    for stream, enabled in ((io.StringIO(), None), (Terminal(), False)):
        progress = ProgressLine("index", stream=stream, enabled=enabled)
        progress.add()
        progress.file_done(10)
        progress.close()
        assert stream.getvalue() == ""


def run_on_terminal(*args: str) -> str:
    """Run ``scraper ARGS`` with stderr on a pseudo-terminal; what it drew there."""
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(scraper_command(*args), cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    drawn = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        drawn += chunk
    process.wait(timeout=120)
    os.close(master)
    return drawn.decode("utf-8", errors="replace")


@pytest.mark.slow
def test_commands_draw_progress_on_a_terminal_only(tmp_path: Path) -> None:
    source = outside_warc(tmp_path)
    data = tmp_path / "data"
    drawn = run_on_terminal("import", str(source), "--data", str(data))
    assert "import: 0/1 files, 1 records" in drawn and "\r\033[K" in drawn
    for command in (["extract", str(source), "-o", str(tmp_path / "o.jsonl")],
                    ["reindex", "--data", str(data)], ["index", "--data", str(data)],
                    ["export", "--format", "jsonl", "-o", str(tmp_path / "e.jsonl"),
                     "--data", str(data)],
                    ["package", "-o", str(tmp_path / "p.wacz"), "--data", str(data)]):
        drawn = run_on_terminal(*command)
        assert f"{command[0]}: " in drawn, (command, drawn)
        assert f"{command[0]}: " not in run_on_terminal(*command, "--quiet"), command
        piped = run_scraper(*command)
        assert piped.returncode == 0, piped.stderr
        assert "\r" not in piped.stderr and f"{command[0]}: " not in piped.stderr
