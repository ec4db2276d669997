"""One run at a time per collection (a lock), a run id, a manifest, and the exit code.

The lock is ``flock`` on ``DATA/.lock``: the kernel releases it when the process dies, so a
``kill -9`` leaves no stale lock behind. The manifest (``DATA/runs/<run id>.json``) says what the
run did; ``scraper reindex`` reads the manifests back into the catalog's runs table.
"""

from __future__ import annotations

import fcntl
import json
import os
import platform
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Any, TextIO

from scraper.errors import LockedError, StorageError

#: Exit codes of a run, documented in the README and in ``scraper --help`` (usage errors exit
#: 2 and a held lock 5: see ``UsageError`` and ``LockedError`` in scraper/errors.py).
EXIT_SUCCESS = 0
EXIT_PARTIAL = 1
EXIT_FATAL = 3
EXIT_NOTHING_TO_DO = 4


def new_run_id(now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return f"{now.strftime('%Y%m%dT%H%M%S%fZ')}-{os.getpid()}"


class RunLock:
    """``with RunLock(data_dir):`` -- or LockedError when another run holds the collection.

    ``shared=True`` is for the workers of a distributed job writing one folder: they hold the
    lock together (``LOCK_SH``), and a standalone run (``LOCK_EX``) is refused meanwhile.
    """

    def __init__(self, data_dir: Path, shared: bool = False) -> None:
        self.path = Path(data_dir) / ".lock"
        self.shared = shared
        self._file: TextIO | None = None

    def __enter__(self) -> RunLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.path, "a+", encoding="utf-8")
        except OSError as error:
            raise StorageError(f"cannot create {self.path}: {error.strerror}") from error
        try:
            fcntl.flock(handle.fileno(),
                        (fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise LockedError(f"another run holds {self.path.parent} ({holder}); "
                              "this one stops here, try again when it is done") from None
        if not self.shared:
            handle.seek(0)
            handle.truncate()
        holder = "workers of a distributed job" if self.shared else f"pid {os.getpid()}"
        handle.write(f"{holder} since {datetime.now(timezone.utc).isoformat()}\n")
        handle.flush()
        self._file = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None


@dataclass
class RunManifest:
    run_id: str
    started_at: str
    ended_at: str
    command: list[str]
    sites: dict[str, dict[str, int]]
    warc_files: list[str]
    errors: list[str]
    exit_code: int

    def as_json(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "started_at": self.started_at,
                "ended_at": self.ended_at, "command": self.command, "versions": versions(),
                "exit_code": self.exit_code, "sites": self.sites,
                "warc_files": self.warc_files, "errors": self.errors}


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in ("mena-scraper", "Scrapy", "trafilatura", "warcio"):
        found[package] = version(package)
    return found


def write_manifest(data_dir: Path, manifest: RunManifest) -> Path:
    target = Path(data_dir) / "runs" / f"{manifest.run_id}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(manifest.as_json(), indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
        os.replace(temporary, target)
    except OSError as error:
        raise StorageError(f"cannot write the run manifest {target}: {error.strerror}") from error
    return target


#: ``scheme://user:password@host``: the password part of a URL given on the command line.
_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^/@:\s]*:)[^@/\s]+@")

_SECRET_HINTS = ("authorization", "cookie", "password", "passwd", "token", "secret", "apikey",
                 "api_key", "http_pass")


def command_line(argv: list[str] | None = None) -> list[str]:
    """The command as typed, with URL passwords and secret-looking ``-s`` values redacted."""
    args = [_URL_PASSWORD.sub(r"\g<head>[redacted]@", arg)
            for arg in (sys.argv[1:] if argv is None else argv)]
    for index, arg in enumerate(args):
        if index > 0 and args[index - 1] in ("-s", "--set"):
            prefix, assignment = "", arg
        elif arg.startswith("--set="):
            prefix, assignment = "--set=", arg[len("--set="):]
        else:
            continue
        name, sep, value = assignment.partition("=")
        if sep and any(hint in (name + value).lower() for hint in _SECRET_HINTS):
            args[index] = f"{prefix}{name}=[redacted]"
    return ["scraper", *args]
