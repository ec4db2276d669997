"""kill -9 at random moments of a crawl of a 500-page site, and once during the recovery.

After a plain rerun: every captured HTML page has exactly one article record (or a recorded
reason it is not an article), no capture is left pending, every WARC passes `scraper verify`
and `warcio check`, and every JSONL line points at the WARC record it names. With
--incremental, the rerun reaches every page of the site (the frontier survived the kills).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from archive.reader import response_at
from scraper.store.catalog import CatalogStore
from scraper.store.jsonl import read_json_lines
from tests.conftest import REPO, run_scraper, scraper_command
from tests.support.mirror import Mirror
from tests.support.warc_records import read_records

PAGES = 500
LINKS_PER_PAGE = 10
KILLS = 5
WARCIO_CHECK = [str(Path(sys.executable).parent / "warcio"), "check"]

WORDS = ("council harbour budget ferry market minister water electricity election border "
         "refugees reconstruction talks ceasefire province governor drought wheat prices port "
         "railway university protest parliament coalition").split()


def write_site(root: Path, seed: int = 10) -> None:
    """500 article pages of ~20 KB, each linking to the next one and 9 random others."""
    rng = random.Random(seed)
    (root / "p").mkdir(parents=True)
    (root / "index.html").write_text(
        "<html><body><h1>News</h1>" + "".join(
            f'<a href="/p/{n}.html">Story {n}</a> ' for n in range(1, 11)) + "</body></html>",
        encoding="utf-8")
    for number in range(1, PAGES + 1):
        others = rng.sample(range(1, PAGES + 1), LINKS_PER_PAGE - 1)
        links = [number % PAGES + 1, *others]
        paragraphs = "".join(
            "<p>" + " ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + ".</p>"
            for _ in range(45))
        (root / "p" / f"{number}.html").write_text(
            f'<html lang="en"><head><title>Story {number}</title><meta property="og:type" '
            f'content="article"></head><body><nav>' + "".join(
                f'<a href="/p/{k}.html">Story {k}</a> ' for k in links) +
            f"</nav><article><h1>Story {number}</h1>{paragraphs}</article></body></html>",
            encoding="utf-8")


def crawl_command(mirror: Mirror, data: Path, *extra: str) -> list[str]:
    return scraper_command("crawl", "--url", mirror.url + "/", "--data", str(data),
                           "--allow-host", "127.0.0.1", "--delay", "0", "--concurrency", "16",
                           "--quiet", *extra)


def start(command: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()


def kill_during_recovery(command: list[str], data: Path) -> None:
    """Start a crawl and kill it while it extracts what the last kill left pending."""
    before = set((data / "articles").glob("pending-*.jsonl"))
    opened = set((data / "warc").glob("*.open"))
    process = start(command)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if set((data / "articles").glob("pending-*.jsonl")) - before:
            break  # extracting what was pending
        if set((data / "warc").glob("*.open")) - opened:
            break  # recovery is over, the crawl has begun: nothing was pending
        time.sleep(0.02)
    kill(process)


def wait_for_crawling(process: subprocess.Popen[bytes], data: Path, timeout: float = 60) -> None:
    """Until this run has opened its WARC file: its recovery is over, it is crawling."""
    opened = set((data / "warc").glob("*.open"))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if set((data / "warc").glob("*.open")) - opened:
            return
        time.sleep(0.02)


def kill_at_random_moments(command: list[str], data: Path, seed: int) -> None:
    """Kill at a random moment of the crawl (from its start-up, slow on a loaded machine,
    the moment counts from when it begins to write its WARC file)."""
    rng = random.Random(seed)
    for _ in range(KILLS):
        process = start(command)
        wait_for_crawling(process, data)
        time.sleep(rng.uniform(0.2, 3.0))
        kill(process)
    kill_during_recovery(command, data)


def site_pages(mirror: Mirror) -> set[str]:
    return {f"{mirror.url}/p/{n}.html" for n in range(1, PAGES + 1)}


def check_collection(data: Path) -> set[str]:
    """The collection's invariants after the rerun; returns the URLs of the pages captured."""
    files = sorted((data / "warc").glob("*.warc.gz"))
    assert files and not list((data / "warc").glob("*.open"))
    check = subprocess.run([*WARCIO_CHECK, *map(str, files)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    verify = run_scraper("verify", str(data / "warc"))
    assert verify.returncode == 0, verify.stdout + verify.stderr

    records = []
    for path in sorted((data / "articles").glob("*.jsonl")):
        records += read_json_lines(path.read_text(encoding="utf-8"))
    for record in records:  # every line points at the record it names
        stored = response_at(data / record["capture"]["warc_file"], record["capture"]["offset"])
        assert stored.record_id == record["capture"]["record_id"], record["url"]
        assert stored.url == record["url"]

    store = CatalogStore(data / "catalog.sqlite")
    try:
        indexed = {record_id for (record_id,) in store.query("SELECT record_id FROM captures")}
        states = Counter(state for (state,) in store.query(
            "SELECT extraction FROM captures WHERE extraction IS NOT NULL"))
        candidates = {url for (url,) in store.query(
            "SELECT DISTINCT url FROM captures WHERE extraction IS NOT NULL")}
        reasons = {url for (url,) in store.query(
            "SELECT url FROM captures WHERE extraction LIKE 'not_article/%'")}
    finally:
        store.close()
    assert states["pending"] == 0, states
    in_warcs = {r.header("WARC-Record-ID") for r in read_records(files)
                if r.type in ("response", "revisit")}
    assert in_warcs - indexed == set()  # a kill between a record and its row: indexed since
    per_url = Counter(record["url"] for record in records)
    assert {url: n for url, n in per_url.items() if n != 1} == {}
    assert candidates - set(per_url) <= reasons  # no record: a reason was recorded
    return {url for url in candidates}


@pytest.mark.slow
def test_kill_9_five_times_and_during_recovery_loses_no_article(tmp_path: Path) -> None:
    site, data = tmp_path / "site", tmp_path / "data"
    write_site(site)
    with Mirror(site) as mirror:
        command = crawl_command(mirror, data)
        kill_at_random_moments(command, data, seed=1)
        rerun = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        captured = check_collection(data)
        assert site_pages(mirror) <= captured
    manifests = [json.loads(p.read_text()) for p in (data / "runs").glob("*.json")]
    assert len(manifests) >= 2 and all(m["exit_code"] is not None for m in manifests)
    killed = [m for m in manifests if any(e.startswith("killed") for e in m["errors"])]
    assert killed and all(m["exit_code"] == 1 and m["interrupted"] for m in killed)


@pytest.mark.slow
def test_kill_9_of_incremental_runs_then_a_rerun_reaches_every_page(tmp_path: Path) -> None:
    site, data = tmp_path / "site", tmp_path / "data"
    write_site(site)
    with Mirror(site) as mirror:
        command = crawl_command(mirror, data, "--incremental")
        kill_at_random_moments(command, data, seed=2)
        rerun = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
        assert rerun.returncode in (0, 4), rerun.stderr[-3000:]
        captured = check_collection(data)
        assert site_pages(mirror) <= captured
