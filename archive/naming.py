"""WARC file names: ``{prefix}-{timestamp17}-{serial}-{host}-{pid}.warc.gz``.

A file carries an ``.open`` suffix while it is written.

The host and pid in the name tell recovery whether the writer of an ``.open`` file still runs.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timezone
from pathlib import Path

#: Suffix of a WARC file still being written; recovery closes files left with it by a crash.
OPEN_SUFFIX = ".open"


def this_host() -> str:
    """The host part of our file names: the short host name."""
    return socket.gethostname().split(".")[0] or "localhost"


def warc_file_name(prefix: str, moment: datetime, serial: int) -> str:
    stamp = moment.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S%f")[:17]
    return f"{prefix}-{stamp}-{serial:05d}-{this_host()}-{os.getpid()}.warc.gz"


def writer_of(path: Path) -> tuple[str, int] | None:
    """(host, pid) of the process that named the file, or None for a name not ours."""
    parts = path.name.split(".warc")[0].split("-")
    if len(parts) < 5 or not parts[-1].isdigit():
        return None
    return parts[-2], int(parts[-1])


def closed_name(open_path: Path) -> Path:
    """``x.warc.gz.open`` -> ``x.warc.gz``."""
    return open_path.with_name(open_path.name.removesuffix(OPEN_SUFFIX))
