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
from dataclasses import dataclass, field
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
    #: None while the run is going on: a manifest left so was written by a run that was killed.
    exit_code: int | None
    #: Stopped before its end (SIGTERM, Ctrl-C, a kill): never a success.
    interrupted: bool = False
    #: For ``scraper import``: each file brought in, where from, and the tool that wrote it.
    imported: list[dict[str, Any]] = field(default_factory=list)
    #: URLs discovered and not captured: {url, site, reason, discovered_by, via, seen_at}.
    not_captured: list[dict[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "run_id": self.run_id, "started_at": self.started_at, "ended_at": self.ended_at,
            "command": self.command, "versions": versions(), "exit_code": self.exit_code,
            "finished": self.exit_code is not None, "interrupted": self.interrupted,
            "sites": self.sites, "warc_files": self.warc_files, "errors": self.errors,
            "not_captured": self.not_captured}
        if self.imported:
            fields["imported"] = self.imported
        return fields


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in ("mena-scraper", "Scrapy", "trafilatura", "warcio"):
        found[package] = version(package)
    return found


#: A run's first manifest is padded with spaces to this size (JSON allows trailing white
#: space), so its final manifest can overwrite it in place when the disk is full.
MANIFEST_RESERVE = 16 * 1024


def write_manifest(data_dir: Path, manifest: RunManifest, reserve: bool = False) -> Path:
    """Write ``runs/<run id>.json`` atomically; on a full disk, over the reserved first one."""
    target = Path(data_dir) / "runs" / f"{manifest.run_id}.json"
    text = (json.dumps(manifest.as_json(), indent=2, ensure_ascii=False) + "\n").encode()
    if reserve:
        text = text.ljust(MANIFEST_RESERVE)
    temporary = target.with_suffix(".json.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(text)
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        if not _overwrite_reserved(target, text):
            raise StorageError(f"cannot write the run manifest {target}: "
                               f"{error.strerror}") from error
    return target


def _overwrite_reserved(target: Path, text: bytes) -> bool:
    """Write over the reserved manifest without needing a new disk block; False if impossible."""
    try:
        size = target.stat().st_size
        if len(text) > size:
            return False
        with open(target, "r+b") as stream:
            stream.write(text.ljust(size))
            stream.flush()
            os.fsync(stream.fileno())
    except OSError:
        return False
    return True


def close_killed_manifest(path: Path, noticed_by: str) -> dict[str, Any]:
    """A manifest a killed run left unfinished, marked interrupted with the partial code."""
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(exit_code=EXIT_PARTIAL, finished=False, interrupted=True)
    manifest["errors"] = [*manifest.get("errors", []),
                          f"killed: the run ended without finishing (noticed by run {noticed_by})"]
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    temporary = path.with_suffix(".json.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        if not _overwrite_reserved(path, text.encode()):
            raise StorageError(f"cannot write the run manifest {path}: "
                               f"{error.strerror}") from error
    return manifest

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
