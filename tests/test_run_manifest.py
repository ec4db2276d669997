"""Run manifests: written at the start (reserved space) and at the end, even on a full disk."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from scraper.errors import StorageError
from scraper.store.runs import MANIFEST_RESERVE, RunManifest, close_killed_manifest, write_manifest


def manifest(exit_code: int | None, errors: list[str] | None = None) -> RunManifest:
    return RunManifest("20261202T000000000000Z-1", "2026-12-02T00:00:00+00:00",
                       "2026-12-02T00:01:00+00:00", ["scraper", "crawl"], {}, [],
                       errors or [], exit_code)


def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", no_space)


def test_final_manifest_overwrites_the_reserved_one_on_a_full_disk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_manifest(tmp_path, manifest(None), reserve=True)
    assert path.stat().st_size == MANIFEST_RESERVE
    full_disk(monkeypatch)
    write_manifest(tmp_path, manifest(3, ["cannot write x: No space left on device"]))
    written = json.loads(path.read_text())
    assert (written["exit_code"], written["errors"]) == (3, ["cannot write x: No space left "
                                                             "on device"])
    assert not list(tmp_path.glob("runs/*.tmp"))


def test_no_reserved_manifest_and_a_full_disk_is_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    full_disk(monkeypatch)
    with pytest.raises(StorageError, match="No space left on device"):
        write_manifest(tmp_path, manifest(3))
    assert not list(tmp_path.glob("runs/*"))


def test_a_killed_runs_manifest_is_marked_interrupted(tmp_path: Path) -> None:
    path = write_manifest(tmp_path, manifest(None), reserve=True)
    assert json.loads(path.read_text())["finished"] is False
    closed = close_killed_manifest(path, "20261202T000100000000Z-2")
    assert (closed["exit_code"], closed["interrupted"]) == (1, True)
    assert json.loads(path.read_text())["errors"] == [
        "killed: the run ended without finishing (noticed by run 20261202T000100000000Z-2)"]
