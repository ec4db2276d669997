"""Running distributed crawls of the local news hosts in tests: commands, waiting, reading back."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from scraper.store.catalog import CatalogStore
from tests.conftest import REPO, scraper_command
from tests.support.news_hosts import NewsHosts
from tests.support.warc_records import read_records


def crawl_args(site: NewsHosts, data: Path, *extra: str, extract: bool = False) -> list[str]:
    return ["crawl", "al-monitor", "--data", str(data), "--allow-private", "--delay", "0",
            "--extract" if extract else "--no-extract", "--quiet",
            "-s", f"SCRAPER_ORIGIN_OVERRIDES={site.overrides()}", *extra]


def start(args: list[str], log: Path) -> subprocess.Popen[str]:
    """A scraper process in the background; stdout piped, stderr to ``log``."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(scraper_command(*args), cwd=REPO, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=open(log, "w", encoding="utf-8"))


def wait_for(condition: Callable[[], bool], timeout: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def article_hits(site: NewsHosts) -> int:
    return sum(1 for hit in list(site.hits) if hit.path.startswith("/originals/"))


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def response_uris(data: Path) -> list[str]:
    records = read_records(sorted((data / "warc").glob("*.warc.gz")))
    return [r.uri for r in records if r.type == "response"]


def captures(data: Path, with_digest: bool = True) -> set[tuple[object, ...]]:
    """The catalog's captures as (url, type, status[, payload digest]), robots.txt left out."""
    store = CatalogStore(data / "catalog.sqlite")
    try:
        rows = store.dump()["captures"]
    finally:
        store.close()
    # columns: record_id, record_type, url, site, fetched_at, status, payload_digest, ...
    return {(row[2], row[1], row[5], *((row[6],) if with_digest else ()))
            for row in rows if not str(row[2]).endswith("/robots.txt")}
