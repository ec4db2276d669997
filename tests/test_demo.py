"""`scraper demo` / `make crawl` with no target: the bundled site crawled offline, end to end."""

from __future__ import annotations

import json
import shlex
import shutil
import socket
import subprocess
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scraper.cli import main
from scraper.crawl.demo import demo_articles, serve_demo_site
from tests.conftest import REPO, run_scraper, scraper_command
from tests.support.warc_records import read_records

NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], b""


def test_demo_site_serves_pages_feed_and_news_sitemap_naming_its_own_origin() -> None:
    articles = demo_articles()
    assert {a["lang"] for a in articles} == {"en", "ar"} and len(articles) == 6
    with serve_demo_site() as origin:
        status, kind, body = fetch(origin + "/feed.xml")
        assert status == 200 and kind == "application/xml; charset=utf-8"
        links = [item.findtext("link") for item in ElementTree.fromstring(body).iter("item")]
        assert links == [f"{origin}/{a['path']}" for a in articles]
        _, _, body = fetch(origin + "/news-sitemap.xml")
        urls = list(ElementTree.fromstring(body).iter(f"{SITEMAP}url"))
        assert [u.findtext(f"{SITEMAP}loc") for u in urls] == links
        assert [u.findtext(f"{NEWS}news/{NEWS}publication_date") for u in urls] == \
            [a["date"] for a in articles]
        _, _, robots = fetch(origin + "/robots.txt")
        assert f"Sitemap: {origin}/news-sitemap.xml".encode() in robots
        arabic = next(a for a in articles if a["lang"] == "ar")
        status, kind, page = fetch(f"{origin}/{arabic['path']}")
        assert status == 200 and kind == "text/html; charset=utf-8"
        assert b'<html lang="ar" dir="rtl">' in page and arabic["title"].encode() in page
        assert fetch(origin + "/")[2].count(b"<li ") == 6
        for missing in ("/nope.html", "/../pyproject.toml", "/%2e%2e/cli/demo.py"):
            assert fetch(origin + missing)[0] == 404, missing


def test_demo_refuses_a_port_in_use_with_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["demo", "--data", str(tmp_path / "d"),
                                           "--port", str(port)])
    assert result.exit_code == 2, result.output
    assert f"cannot serve the demo site on 127.0.0.1:{port}" in result.output
    assert "--port 0" in result.output


def offline_command(args: list[str]) -> tuple[list[str], bool]:
    """``args`` in a new network namespace with loopback only, when this machine allows it."""
    unshare, ip = shutil.which("unshare"), shutil.which("ip")
    if unshare and ip and subprocess.run([unshare, "--net", "true"],
                                         capture_output=True).returncode == 0:
        script = f"{ip} link set lo up && exec \"$@\""
        return [unshare, "--net", "sh", "-c", script, "sh", *args], True
    return args, False


def json_blocks(text: str) -> list[dict[str, Any]]:
    """The JSON objects printed whole, each starting with a line that is just ``{``."""
    blocks, lines = [], text.splitlines()
    for start, line in enumerate(lines):
        if line == "{":
            end = lines.index("}", start)
            blocks.append(json.loads("\n".join(lines[start:end + 1])))
    return blocks


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_demo_runs_offline_end_to_end_and_leaves_articles_in_the_data_folder(
        tmp_path: Path) -> None:
    data = tmp_path / "demo-data"
    port = str(free_port())
    command, isolated = offline_command(scraper_command("demo", "--data", str(data),
                                                        "--port", port))
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=180,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "finished; 11 fetched" in out and "6 articles" in out and "exit 0" in out, out
    shown = json_blocks(out)
    assert [r["language"] for r in shown] == ["en", "ar"], out
    assert "Next, try:" in out and all(f"scraper {c} --data {data}" in out
                                       for c in ("export", "report", "package")), out
    records = [json.loads(line) for path in (data / "articles").glob("*.jsonl")
               for line in path.read_text(encoding="utf-8").splitlines()]
    expected = {a["title"]: a for a in demo_articles()}
    assert sorted(r["title"] for r in records) == sorted(expected)
    for record in records:
        article = expected[record["title"]]
        assert record["language"] == article["lang"] and record["published"] == article["date"]
        assert record["paywalled"] is (not article["free"])
        assert record["text"] and record["capture"]["warc_file"].startswith("warc/")
    captured = {r.uri: r for r in read_records(sorted((data / "warc").glob("*.warc.gz")))
                if r.type == "response"}
    feed = captured[f"http://127.0.0.1:{port}/feed.xml"].payload
    assert b"{{origin}}" not in feed and f"http://127.0.0.1:{port}/en/".encode() in feed
    verify = run_scraper("verify", str(data / "warc"))
    assert verify.returncode == 0, verify.stdout + verify.stderr
    # Every "Next, try" command the demo prints works as printed.
    for line in out[out.index("Next, try:"):].splitlines()[1:]:
        words = shlex.split(line.split("#")[0])
        if words[:1] == ["scraper"]:
            tried = run_scraper(*words[1:], cwd=tmp_path)
            assert tried.returncode == 0, (line, tried.stdout + tried.stderr)
    print(f"offline (own network namespace): {isolated}")

    # A second run into the same folder captures the same URLs again: no new articles.
    again = run_scraper("demo", "--data", str(data), "--port", port, "--quiet")
    assert again.returncode == 0, again.stdout + again.stderr
    status = run_scraper("status", "--data", str(data))
    assert "127.0.0.1  6         6 " in status.stdout, status.stdout


def test_make_crawl_without_args_runs_the_demo_and_with_args_the_live_crawl() -> None:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    quiet = subprocess.run([make, "-n", "-s", "crawl", "VENV=/nonexistent"], cwd=REPO,
                           capture_output=True, text=True)
    assert "/nonexistent/bin/scraper demo" in quiet.stdout, quiet.stdout + quiet.stderr
    live = subprocess.run([make, "-n", "crawl", "VENV=/nonexistent",
                           "ARGS=--url https://www.example-news.org/ --limit 200"], cwd=REPO,
                          capture_output=True, text=True)
    assert "/nonexistent/bin/scraper crawl --url https://www.example-news.org/ --limit 200" \
        in live.stdout, live.stdout + live.stderr
    assert "scraper demo" not in live.stdout
