"""Run the CLI in a child process and read its peak memory from /proc, as a bound.

``VmHWM`` (the high-water mark of the resident set) of the crawl process and of every process it
starts (extraction workers) is polled every 20 ms while it runs. Not ``wait4()``'s
``ru_maxrss``: it keeps the size of the pytest process the child was forked from.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO, scraper_command


@dataclass
class MeasuredRun:
    returncode: int
    stderr: str
    vm_hwm: int  # bytes: the crawl process's peak resident set (VmHWM), read while it ran
    workers_hwm: int  # bytes: the largest VmHWM of the processes it started (extraction)

    @property
    def peak(self) -> int:
        return max(self.vm_hwm, self.workers_hwm)


def _vm_hwm(pid: int, command_part: bytes = b"") -> int:
    """VmHWM of a process, once it runs our command (before exec it is a copy of pytest)."""
    try:
        if command_part not in Path(f"/proc/{pid}/cmdline").read_bytes():
            return 0
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1]) * 1024


def _descendants(pid: int) -> list[int]:
    found = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").glob("*/children"))
    except OSError:  # the process ended between two looks (an extraction worker replaced)
        return found
    for children in tasks:
        try:
            pids = [int(c) for c in children.read_text().split()]
        except OSError:
            continue
        for child in pids:
            found += [child, *_descendants(child)]
    return found


def run_measured(*args: str, timeout: float = 180) -> MeasuredRun:
    """Run the CLI, polling the VmHWM of it and of its descendants every 20 ms."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryFile() as stderr, \
            subprocess.Popen(scraper_command(*args), cwd=REPO, env=env,
                             stdout=subprocess.DEVNULL, stderr=stderr) as child:
        crawler, workers = 0, 0
        deadline = time.monotonic() + timeout
        while child.poll() is None:
            crawler = max(crawler, _vm_hwm(child.pid, b"\0-m\0scraper\0"))
            workers = max([workers, *(_vm_hwm(p) for p in _descendants(child.pid))])
            if time.monotonic() > deadline:
                child.kill()
                raise AssertionError(f"crawl still running after {timeout}s")
            time.sleep(0.02)
        stderr.seek(0)
        text = stderr.read().decode(errors="replace")
    assert crawler, "the crawl process was never measured"
    return MeasuredRun(child.returncode, text, crawler, workers)
