"""Independent WARC validators run over the files our tests write: warcio and FastWARC.

``fastwarc check`` checks block digests (its ``-p`` also checks a revisit's payload digest
against the empty revisit body, a tool quirk, so it is left off). Both are installed by the
test extra (pyproject.toml).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

BIN = Path(sys.executable).parent
WARCIO_CHECK = [str(BIN / "warcio"), "check"]
FASTWARC_CHECK = [str(BIN / "fastwarc"), "check", "--quiet"]


def validator_failures(files: Iterable[Path]) -> list[str]:
    """What warcio and FastWARC say about the files; empty when both pass every file."""
    files = [str(path) for path in files]
    failures = []
    done = subprocess.run([*WARCIO_CHECK, *files], capture_output=True, text=True)
    if done.returncode:
        failures.append(f"warcio check: {done.stdout}{done.stderr}")
    for path in files:  # fastwarc check takes one file at a time
        done = subprocess.run([*FASTWARC_CHECK, path], capture_output=True, text=True)
        if done.returncode:
            failures.append(f"fastwarc check {path}: {done.stdout}{done.stderr}")
    return failures
