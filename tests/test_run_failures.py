"""Failures reach the exit code, the manifest and `scraper status`: nothing lost goes unsaid."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import crawl, run_scraper
from tests.support.fault_server import FaultServer, RawResponse


def test_article_records_that_cannot_be_stored_fail_the_run(server: FaultServer,
                                                            tmp_path: Path) -> None:
    """articles/ is a file, so no JSONL can be written: exit 3, said on stderr and recorded."""
    server.site_pages = 3
    data = tmp_path / "data"
    data.mkdir()
    (data / "articles").write_text("not a folder\n")
    result = crawl(server, data, "/site/", "--json", check=False)
    assert result.returncode == 3, result.stderr[-3000:]
    assert "Could not store the article record of" in result.stderr
    manifest = json.loads(result.stdout)
    assert manifest["exit_code"] == 3
    lost = [e for e in manifest["errors"] if "article record of" in e and "not stored" in e]
    assert len(lost) >= 3, manifest["errors"]  # the index page and its three pages
    assert manifest["sites"]["127.0.0.1"]["failed"] >= 3
    assert list((data / "warc").glob("*.warc.gz")), "the captures themselves are kept"


def test_status_shows_the_failures_of_a_url_crawl(server: FaultServer, tmp_path: Path) -> None:
    server.site_pages = 4
    server.route("/site/p/2", lambda request: RawResponse(0))  # closes without an answer
    server.route("/site/p/3", lambda request: RawResponse(0))
    data = tmp_path / "data"
    result = crawl(server, data, "/site/", "-s", "RETRY_TIMES=0", check=False)
    assert result.returncode == 1, result.stderr[-3000:]
    status = run_scraper("status", "--data", str(data))
    assert status.returncode == 0, status.stderr
    header, *rows = status.stdout.splitlines()
    column = header.index("failed (last run)")  # columns are padded to line up
    (row,) = [r for r in rows if r.startswith("127.0.0.1 ")]
    assert int(row[column:].split()[0]) == 2, status.stdout
