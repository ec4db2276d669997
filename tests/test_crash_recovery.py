"""kill -9 and SIGTERM in the middle of a crawl: nothing flushed is lost, every file recovers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from scraper.store.catalog import CatalogStore
from tests.conftest import REPO, run_scraper, scraper_command
from tests.support.fault_server import FaultServer
from tests.support.validators import validator_failures
from tests.support.warc_records import read_records


def start_crawl(server: FaultServer, data: Path) -> subprocess.Popen[str]:
    command = scraper_command("crawl", "--url", server.url + "/site/", "--data", str(data),
                              "--allow-host", "127.0.0.1", "--delay", "0", "--quiet")
    return subprocess.Popen(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def site_pages_done(server: FaultServer) -> list[str]:
    return [t for t in server.completed_targets() if t.startswith("/site/p/")]


def captured_uris(data: Path) -> set[str]:
    files = sorted((data / "warc").glob("*.warc.gz"))
    return {r.uri for r in read_records(files) if r.type == "response"}


def assert_clean_archive(data: Path) -> None:
    files = sorted((data / "warc").glob("*.warc.gz"))
    assert files and not list((data / "warc").glob("*.open"))
    assert validator_failures(files) == []
    verify = run_scraper("verify", str(data / "warc"))
    assert verify.returncode == 0, verify.stdout + verify.stderr


@pytest.mark.parametrize("pages_before_kill", [1, 6, 25])
def test_kill_9_while_waiting_loses_nothing_completed(server: FaultServer, tmp_path: Path,
                                                      pages_before_kill: int) -> None:
    server.site_pages = 60
    server.stall_after = pages_before_kill
    crawl = start_crawl(server, tmp_path)
    try:
        wait_until(lambda: len(site_pages_done(server)) >= pages_before_kill)
        # The crawler has everything the server completed; give its writer the chance to flush
        # by waiting for the file to hold those records (read from another process's view).
        wait_until(lambda: _open_file_holds(tmp_path, server, pages_before_kill))
        completed = {server.url + t for t in server.completed_targets()}
    finally:
        crawl.send_signal(signal.SIGKILL)
        crawl.wait()
        server.release_stalled()  # answers, to a dead client, what was stalled
    assert list((tmp_path / "warc").glob("*.open")), "a killed crawl leaves its file open"
    recovered = run_scraper("recover", "--data", str(tmp_path))
    assert recovered.returncode == 0, recovered.stderr
    assert "recovered" in recovered.stderr
    assert_clean_archive(tmp_path)
    assert completed <= captured_uris(tmp_path)


def _open_file_holds(data: Path, server: FaultServer, pages: int) -> bool:
    """True once the .open file has a complete response record for every completed page."""
    from archive.verify import scan_records  # reads complete records only, stops at a cut

    wanted = {server.url + t for t in site_pages_done(server)}
    found = set()
    for path in (data / "warc").glob("*.open"):
        with open(path, "rb") as stream:
            try:
                for record in scan_records(stream, path):
                    if record.rec_type == "response":
                        found.add(record.get("WARC-Target-URI"))
            except Exception:  # a record being written right now: look again later
                return False
    return len(wanted) >= pages and wanted <= found


def test_kill_9_mid_crawl_then_next_crawl_recovers(server: FaultServer, tmp_path: Path) -> None:
    server.site_pages = 400
    crawl = start_crawl(server, tmp_path)
    wait_until(lambda: len(site_pages_done(server)) >= 40)
    crawl.send_signal(signal.SIGKILL)
    crawl.wait()
    server.site_pages = 3
    again = run_scraper("crawl", "--url", server.url + "/site/", "--data", str(tmp_path),
                        "--allow-host", "127.0.0.1", "--delay", "0")
    assert again.returncode == 0, again.stderr
    assert "recovered" in again.stderr
    assert_clean_archive(tmp_path)
    assert len(list((tmp_path / "warc").glob("*.warc.gz"))) == 2


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_stop_signal_finishes_records_in_hand_and_closes_files(
        server: FaultServer, tmp_path: Path, stop_signal: signal.Signals) -> None:
    server.site_pages = 30
    server.stall_after = 5
    crawl = start_crawl(server, tmp_path)
    wait_until(lambda: len(site_pages_done(server)) >= 5)
    wait_until(lambda: any(e.target.startswith("/site/p/") and not e.completed
                           for e in server.log))
    crawl.send_signal(stop_signal)
    time.sleep(0.5)
    server.release_stalled()  # the requests in flight complete; no new ones are started
    # an interrupted crawl is not a success: exit 1, and the manifest says why
    assert crawl.wait(timeout=60) == 1, crawl.stderr.read() if crawl.stderr else ""
    manifests = [json.loads(p.read_text()) for p in (tmp_path / "runs").glob("*.json")]
    assert [(m["interrupted"], m["exit_code"]) for m in manifests] == [(True, 1)]
    assert any("finished with shutdown" in e for e in manifests[0]["errors"])
    assert_clean_archive(tmp_path)
    # what was discovered and not fetched is kept for the next run
    store = CatalogStore(tmp_path / "catalog.sqlite")
    left = store.frontier("127.0.0.1")
    store.close()
    assert left and not set(left) & captured_uris(tmp_path)
    completed = {server.url + t for t in server.completed_targets()}
    assert completed <= captured_uris(tmp_path)
    assert len(site_pages_done(server)) < 30
