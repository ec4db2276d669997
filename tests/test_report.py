"""`scraper report`: one self-contained HTML page about a collection; its content and rendering.

Content is checked against our synthetic collection (four sites, English and Arabic, paywalled
true/false/unknown, undated articles) plus run manifests, blocked captures and WARC files the
tests add; rendering in Debian's chromium with JavaScript off and no network.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scraper.cli import main
from scraper.cli.report import report as report_command
from scraper.errors import UsageError
from scraper.export.report import (
    DEFAULT_REPLAY_URL,
    check_replay_template,
    collect_report,
    write_report,
)
from scraper.store.catalog import CATALOG_NAME, CatalogStore
from scraper.store.collection import Collection
from tests.support.browser import chromium, require_tools
from tests.support.synthetic_collection import RUN_ID, write_synthetic_collection

COUNT = 240
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """The synthetic collection, two runs' manifests, blocked captures and three WARC files."""
    data = tmp_path_factory.mktemp("report") / "data"
    records = write_synthetic_collection(data, COUNT)
    store = CatalogStore(data / CATALOG_NAME)
    try:
        for number, (run_id, failed) in enumerate(((RUN_ID, 3), ("20261126T000000000000Z-2", 1))):
            manifest = {"run_id": run_id, "sites": {
                "lbci": {"failed": failed, "skipped_by_robots": 2},
                "al-monitor": {"failed": 0, "skipped_by_robots": 0}}}
            (data / "runs").mkdir(exist_ok=True)
            (data / "runs" / f"{run_id}.json").write_text(json.dumps(manifest))
            store.add_run(run_id=run_id, started_at=f"2026-11-2{5 + number}T00:00:00+00:00",
                          manifest_file=f"runs/{run_id}.json")
        for number, (url, status) in enumerate((
                ("https://cdn.lbci.example/a", 403), ("https://cdn.lbci.example/b", 429),
                ("https://lbci.example/c", 451), ("https://lbci.example/d", 404))):
            store.add_capture(record_id=f"<urn:uuid:blocked-{number}>", record_type="response",
                              url=url, site="lbci", status=status,
                              warc_file="warc/big.warc.gz")
    finally:
        store.close()
    (data / "warc").mkdir()
    for name, size in (("small.warc.gz", 10), ("big.warc.gz", 3000), ("mid.warc.gz", 200)):
        (data / "warc" / name).write_bytes(b"\0" * size)
    return data, records


@pytest.fixture(scope="module")
def page(collection: tuple[Path, list[dict[str, Any]]], tmp_path_factory: Any) -> str:
    data, _ = collection
    output = tmp_path_factory.mktemp("out") / "report.html"
    write_report(data, output, newest=10, largest=2, now=NOW)
    return output.read_text(encoding="utf-8")


def day_of(record: dict[str, Any]) -> str:
    return (record["published"] or record["capture"]["fetched_at"])[:10]


def test_chart_has_one_series_per_site_with_the_per_day_counts(
        collection: tuple[Path, list[dict[str, Any]]], page: str) -> None:
    data, records = collection
    sites = sorted({r["site"] for r in records})
    assert re.findall(r'<g class="series" data-site="([^"]+)"', page) == sites
    expected = Counter((r["site"], day_of(r)) for r in records)
    report = collect_report(Collection(data))
    got = Counter({(site, day): n for site, days in report.per_day.items()
                   for day, n in days.items()})
    assert got == expected
    assert report.undated == sum(1 for r in records if r["published"] is None) > 0
    # Every counted day is a point of its series (a <circle> with its count in the tooltip).
    for (site, day), count in expected.items():
        assert f"<title>{site} {day}: {count}</title>" in page


def test_languages_and_paywalled_share_match_the_records(
        collection: tuple[Path, list[dict[str, Any]]], page: str) -> None:
    _, records = collection
    for language, count in Counter(r["language"] for r in records).items():
        assert re.search(rf"<td>{language}</td><td class=\"n\">{count}</td>", page), language
    lbci = [r for r in records if r["site"] == "lbci"]
    paywalled = sum(1 for r in lbci if r["paywalled"] is True)
    free = sum(1 for r in lbci if r["paywalled"] is False)
    unknown = sum(1 for r in lbci if r["paywalled"] is None)
    share = f"{100 * paywalled / len(lbci):.0f}%"
    assert (f"<tr><td>lbci</td><td class=\"n\">{paywalled}</td><td class=\"n\">{free}</td>"
            f"<td class=\"n\">{unknown}</td><td class=\"n\">{share}</td></tr>") in page


def test_failures_and_blocked_hosts_per_site(page: str) -> None:
    row = re.search(r"<tr><td>lbci</td>(.*?)</tr>", page.split('id="problems"')[1]).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    # 2 runs, 3 + 1 failed, 1 in the last run, 2 + 2 robots.txt skips, 3 blocked (not the 404)
    assert cells[:5] == ["2", "4", "1", "4", "3"], cells
    assert cells[5] == "cdn.lbci.example (2), lbci.example (1)"


def test_newest_articles_link_to_their_replay(
        collection: tuple[Path, list[dict[str, Any]]], page: str) -> None:
    _, records = collection
    dated = sorted((r for r in records if r["published"]),
                   key=lambda r: datetime.fromisoformat(r["published"]), reverse=True)
    links = re.findall(r'<a class="replay" href="([^"]+)">(\d{14})</a>', page)
    assert len(links) == 10
    newest = dated[0]
    stamp = datetime.fromisoformat(newest["capture"]["fetched_at"].replace("Z", "+00:00"))
    timestamp = stamp.strftime("%Y%m%d%H%M%S")
    expected = DEFAULT_REPLAY_URL.format(collection="data", timestamp=timestamp,
                                         url=newest["url"])
    assert links[0] == (expected, timestamp)


def test_largest_warcs_biggest_first_with_their_records(page: str) -> None:
    section = page.split('id="warcs"')[1]
    assert "(2 of 3)" in section
    assert re.findall(r"<code>([^<]+)</code>", section)[:2] == ["big.warc.gz", "mid.warc.gz"]
    assert '<td class="n">3.0 KB</td><td class="n">4</td>' in section


class ResourceFinder(HTMLParser):
    """Every attribute that would make a browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.fetches: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a":
            self.links.append(values.get("href") or "")
        elif tag == "link" and values.get("href") != "data:,":
            self.fetches.append(f"<link href={values.get('href')}>")
        for name in ("src", "srcset", "poster", "data", "background"):
            if values.get(name):
                self.fetches.append(f"<{tag} {name}={values[name]}>")
        if "url(" in (values.get("style") or ""):
            self.fetches.append(f"<{tag} style={values['style']}>")


def test_page_is_self_contained(page: str) -> None:
    finder = ResourceFinder()
    finder.feed(page)
    assert finder.fetches == []
    assert len(finder.links) == 10
    assert "<script" not in page and "@import" not in page and "url(" not in page


def test_titles_are_escaped(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_synthetic_collection(data, 3)
    jsonl = next((data / "articles").glob("*.jsonl"))
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["title"] = '<script>alert("x")</script> & <b>bold</b>'
    lines[0] = json.dumps(first, ensure_ascii=False)
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / "r.html"
    write_report(data, output)
    text = output.read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;alert(&quot;x&quot;)" in text


def test_cli_writes_the_report_and_rejects_bad_input(
        collection: tuple[Path, list[dict[str, Any]]], tmp_path: Path) -> None:
    data, _ = collection
    runner = CliRunner()
    output = tmp_path / "r.html"
    template = "https://replayweb.page/?source=x.wacz#view=pages&url={url_quoted}&ts={timestamp}"
    result = runner.invoke(main, ["report", "--data", str(data), "-o", str(output),
                                  "--replay-url", template])
    assert result.exit_code == 0, result.output
    assert f"wrote {output}: {COUNT} articles, 4 sites, 3 WARC files" in result.output
    assert "url=https%3A%2F%2F" in output.read_text(encoding="utf-8")
    bad = runner.invoke(main, ["report", "--data", str(data), "-o", str(output),
                               "--replay-url", "http://x/{nope}/{url}"])
    assert bad.exit_code == 2 and "use only the fields" in bad.output, bad.output
    missing = runner.invoke(main, ["report", "--data", str(tmp_path / "none"), "-o",
                                   str(output)])
    assert missing.exit_code == 2 and "no collection at" in missing.output, missing.output


def test_the_cli_default_template_is_the_library_default() -> None:
    option = next(p for p in report_command.params if p.name == "replay_url")
    assert option.default == DEFAULT_REPLAY_URL
    with pytest.raises(UsageError, match="has no {url}"):
        check_replay_template("{timestamp} only")


@pytest.mark.slow
def test_report_renders_in_a_browser_with_javascript_and_network_off(
        collection: tuple[Path, list[dict[str, Any]]], tmp_path: Path) -> None:
    require_tools(need_replayweb=False)
    data, records = collection
    output = tmp_path / "report.html"
    write_report(data, output)
    requested: list[str] = []
    with chromium(tmp_path / "profile", java_script_enabled=False, offline=True) as context:
        context.route("**/*", lambda route: (requested.append(route.request.url),
                                             route.continue_() if route.request.url.startswith(
                                                 "file:") else route.abort()))
        tab = context.new_page()
        tab.goto(output.as_uri())
        series = tab.locator("svg#chart g.series")
        assert series.count() == len({r["site"] for r in records})
        for index in range(series.count()):
            box = series.nth(index).bounding_box()
            assert box and box["width"] > 100, box  # drawn across the days, not collapsed
        assert tab.get_by_role("heading", name="Articles per day, per site").is_visible()
        assert tab.locator("a.replay").count() == 25
        shot = tmp_path / "report.png"
        tab.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
    assert requested == [output.as_uri()], requested
