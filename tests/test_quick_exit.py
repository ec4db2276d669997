"""The ``scraper`` program ends without Python's module teardown (0.2 s of CPU once Scrapy and
Twisted are loaded, at the end of every worker of a job), and loses nothing by it: exit
statuses, atexit handlers, log files and stdout are as with a normal exit."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PROGRAM = """
import atexit, logging, sys, threading
from scraper.cli.group import exit_without_teardown

class Noisy:
    def __del__(self):
        print("teardown ran", flush=True)

kept = Noisy()  # a module global: only the teardown deletes it
atexit.register(lambda: print("atexit ran"))
handler = logging.FileHandler(sys.argv[1])
logging.getLogger("probe").addHandler(handler)
logging.getLogger("probe").warning("a line logging keeps in its buffer")
print("stdout line", end="")  # no newline: still in the buffer
if sys.argv[3] == "thread":
    import time
    def finish():
        time.sleep(0.5)  # still running when the program ends
        open(sys.argv[1] + ".thread", "w").write("finished")
    threading.Thread(target=finish).start()
code = sys.argv[2]
exit_without_teardown(None if code == "none" else int(code) if code.isdigit() else code)
"""


def _run(tmp_path: Path, code: str, thread: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(PROGRAM),
                           str(tmp_path / "probe.log"), code, thread or "-"],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("code", "status"), [("0", 0), ("3", 3), ("none", 0)])
def test_the_status_atexit_handlers_logs_and_stdout_survive(tmp_path: Path, code: str,
                                                            status: int) -> None:
    done = _run(tmp_path, code)
    assert done.returncode == status
    assert done.stdout.startswith("stdout line")
    assert "atexit ran" in done.stdout
    assert "teardown ran" not in done.stdout  # the module teardown was skipped
    assert (tmp_path / "probe.log").read_text() == "a line logging keeps in its buffer\n"


def test_a_message_goes_to_stderr_with_status_1(tmp_path: Path) -> None:
    done = _run(tmp_path, "no such collection")
    assert (done.returncode, done.stderr) == (1, "no such collection\n")


def test_with_a_thread_still_running_the_exit_is_pythons_own(tmp_path: Path) -> None:
    done = _run(tmp_path, "0", thread="thread")
    assert done.returncode == 0
    assert (tmp_path / "probe.log.thread").read_text() == "finished"  # joined, not cut off
    assert "atexit ran" in done.stdout
    assert "teardown ran" in done.stdout  # what the other tests see skipped
