"""Every built-in site, crawled from a local mirror of pages we wrote imitating its markup.

Each registered site must have ``tests/sites/<name>/``: ``mirror/`` (its feed or news sitemap
and article pages, served on 127.0.0.1 in place of the real origin) and ``expected.json``:

    {"since": "2026-11-20",                       # optional, passed as --since
     "articles": [{"path": "/...", "title": "...", "published": "2026-11-24T09:00:00+03:00",
                   "authors": ["..."], "contains": ["..."], "excludes": ["Subscribe", ...]}],
     "not_fetched": ["/path/that/must/not/be/requested", ...],
     "fetched_once": ["/path/listed/twice/with/a/tracking/parameter"]}

Every listed article URL must match the site's current article pattern (no pattern misses):
the real URL shapes of the site are in its mirror, so a pattern that rejects one fails here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from scraper.sites.registry import all_sites
from scraper.store.jsonl import read_json_lines
from spiders.urls import mirror_overrides
from tests.conftest import run_scraper
from tests.support.mirror import Mirror

SITES_DATA = Path(__file__).parent / "sites"
SCHEMA = json.loads((Path(__file__).parent.parent / "scraper" / "schema" /
                     "article.schema.json").read_text())


def crawl_mirror(name: str, data: Path, *extra: str) -> tuple[Mirror, dict, list[dict], str]:
    site = all_sites()[name]
    folder = SITES_DATA / name
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    with Mirror(folder / "mirror") as mirror:
        overrides = mirror_overrides(site.domains, [s.url for s in site.sources], mirror.url)
        since = ["--since", expected["since"]] if expected.get("since") else []
        result = run_scraper("crawl", name, "--data", str(data), "--allow-host", "127.0.0.1",
                             "--delay", "0", *since, "-s",
                             f"SCRAPER_ORIGIN_OVERRIDES={json.dumps(overrides)}", *extra)
    assert result.returncode == 0, result.stderr[-3000:]
    records = []
    for path in sorted((data / "articles").glob("*.jsonl")):
        records += read_json_lines(path.read_text(encoding="utf-8"))
    return mirror, expected, records, result.stderr


@pytest.mark.parametrize("name", sorted(all_sites()))
def test_site_has_test_data(name: str) -> None:
    folder = SITES_DATA / name
    assert (folder / "expected.json").is_file(), f"{name}: add tests/sites/{name}/expected.json"
    assert (folder / "mirror").is_dir(), f"{name}: add tests/sites/{name}/mirror/"


@pytest.mark.parametrize("name", sorted(all_sites()))
def test_site_crawls_from_its_mirror(name: str, tmp_path: Path) -> None:
    if not (SITES_DATA / name / "expected.json").is_file():
        pytest.fail(f"{name} has no test data (tests/sites/{name}/)")
    mirror, expected, records, stderr = crawl_mirror(name, tmp_path)
    assert "article pattern does not match" not in stderr, stderr[-3000:]
    by_path = {r["url"][len(mirror.url):]: r for r in records}
    for record in records:
        jsonschema.validate(record, SCHEMA)
        assert record["site"] == name
    for article in expected["articles"]:
        record = by_path.get(article["path"])
        assert record is not None, f"{article['path']} not extracted; got {sorted(by_path)}"
        for key in ("title", "authors", "language"):
            if key in article:
                assert record[key] == article[key], (article["path"], key, record[key])
        if "published" in article:
            assert (record["published"] or "").startswith(article["published"]), \
                (article["path"], record["published"], record["date_source"])
        for phrase in article.get("contains", []):
            assert phrase in record["text"], (article["path"], phrase)
        for phrase in article.get("excludes", []):
            assert phrase not in record["text"], (article["path"], phrase)
    fetched = {r.split("?")[0] for r in mirror.requests} | set(mirror.requests)
    for path in expected.get("not_fetched", []):
        assert path not in fetched, f"{path} should not have been fetched"
    for path in expected.get("fetched_once", []):
        assert [r.split("?")[0] for r in mirror.requests].count(path) == 1, mirror.requests


@pytest.mark.slow
def test_sites_check_against_a_mirror(tmp_path: Path) -> None:
    site = all_sites()["al-monitor"]
    with Mirror(SITES_DATA / "al-monitor" / "mirror") as mirror:
        overrides = mirror_overrides(site.domains, [s.url for s in site.sources], mirror.url)
        good = run_scraper("sites", "--check", "al-monitor", "--allow-host", "127.0.0.1",
                           "-s", f"SCRAPER_ORIGIN_OVERRIDES={json.dumps(overrides)}",
                           "-s", "DOWNLOAD_DELAY=0")
    assert good.returncode == 0, good.stderr[-2000:]
    row = good.stdout.splitlines()[1].split()
    assert row[0] == "al-monitor" and row[1] == "2/2" and row[-1] == "ok", good.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    with Mirror(empty) as mirror:
        overrides = mirror_overrides(site.domains, [s.url for s in site.sources], mirror.url)
        broken = run_scraper("sites", "--check", "al-monitor", "--allow-host", "127.0.0.1",
                             "-s", f"SCRAPER_ORIGIN_OVERRIDES={json.dumps(overrides)}")
    assert broken.returncode == 1
    assert "BROKEN" in broken.stdout and "broken: al-monitor" in broken.stderr


def test_limit_caps_articles_per_site(tmp_path: Path) -> None:
    mirror, _, records, stderr = crawl_mirror("al-monitor", tmp_path, "--limit", "1")
    assert len(records) == 1
    article_requests = [r for r in mirror.requests if r.startswith("/originals/")]
    assert len(article_requests) == 1, mirror.requests


def test_sites_listing() -> None:
    table = run_scraper("sites")
    assert table.returncode == 0
    assert table.stdout.splitlines()[0].split()[:4] == ["name", "languages", "sources", "paywall"]
    listed = json.loads(run_scraper("sites", "--json").stdout)
    assert [s["name"] for s in listed] == sorted(all_sites())
    for site in listed:
        assert site["sources"] and all(s["provenance"] for s in site["sources"])


def test_no_two_sites_declare_the_same_domain() -> None:
    owners: dict[str, str] = {}
    for site in all_sites().values():
        for domain in site.domains:
            assert domain not in owners, f"{domain}: {owners.get(domain)} and {site.name}"
            owners[domain] = site.name


def test_most_specific_domain_wins() -> None:
    from scraper.sites.registry import site_for_url

    for site in all_sites().values():
        for domain in site.domains:
            assert site_for_url(f"https://{domain}/x").name == site.name, domain


def _mirrors_for(names: list[str]) -> tuple[list[Mirror], dict[str, str]]:
    mirrors, overrides = [], {}
    for name in names:
        site = all_sites()[name]
        mirror = Mirror(SITES_DATA / name / "mirror").__enter__()
        mirrors.append(mirror)
        overrides.update(mirror_overrides(site.domains, [s.url for s in site.sources],
                                          mirror.url))
    return mirrors, overrides


@pytest.mark.slow
def test_several_sites_in_one_run_keep_their_own_politeness(tmp_path: Path) -> None:
    names = ["al-monitor", "lbci"]
    mirrors, overrides = _mirrors_for(names)
    try:
        result = run_scraper("crawl", *names, "--data", str(tmp_path), "--allow-host",
                             "127.0.0.1", "--verbose", "-s",
                             f"SCRAPER_ORIGIN_OVERRIDES={json.dumps(overrides)}")
    finally:
        for mirror in mirrors:
            mirror.__exit__()
    assert result.returncode == 0, result.stderr[-3000:]
    for name in names:
        politeness = all_sites()[name].politeness
        logged = re.search(rf"Politeness for {name}: (.*)", result.stderr)
        assert logged, f"no crawler ran for {name}"
        for key, value in politeness.items():
            assert f"{key}={value}" in logged.group(1), (name, key, logged.group(1))
        assert list((tmp_path / "warc").glob(f"{name}-*.warc.gz")), name
    sites_seen = {r["site"] for p in (tmp_path / "articles").glob("*.jsonl")
                  for r in read_json_lines(p.read_text(encoding="utf-8"))}
    assert sites_seen == set(names)


@pytest.mark.slow
def test_all_sites_in_one_run(tmp_path: Path) -> None:
    names = sorted(all_sites())
    mirrors, overrides = _mirrors_for(names)
    try:
        result = run_scraper("crawl", "--all", "--data", str(tmp_path), "--allow-host",
                             "127.0.0.1", "--delay", "0", "--since", "2026-11-01", "-s",
                             f"SCRAPER_ORIGIN_OVERRIDES={json.dumps(overrides)}", timeout=600)
    finally:
        for mirror in mirrors:
            mirror.__exit__()
    assert result.returncode == 0, result.stderr[-3000:]
    sites_seen = {r["site"] for p in (tmp_path / "articles").glob("*.jsonl")
                  for r in read_json_lines(p.read_text(encoding="utf-8"))}
    assert sites_seen == set(names)
