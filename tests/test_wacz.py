"""`scraper package`: a WACZ that py-wacz validates, that carries the articles' full text, and
that a real pywb on 127.0.0.1 replays.

The collection holds two sites (al-monitor and lbci, crawled from their local mirrors); the
package is al-monitor's only, so it must leave lbci's WARC files out.
"""

from __future__ import annotations

import hashlib
import html
import json
import subprocess
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from scraper.errors import UsageError
from scraper.export.wacz import check_entry_name, write_wacz
from tests.conftest import REPO, run_scraper
from tests.support.pywb_server import pywb_available, replay_url, start_pywb
from tests.support.tools import missing_tool
from tests.test_sites import crawl_mirror

WACZ_CLI = REPO / ".venv-wacz" / "bin" / "wacz"
SITE = "al-monitor"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages", "hasText": True}


@dataclass(frozen=True)
class Packaged:
    data: Path
    wacz: Path
    articles: list[dict]  # al-monitor's records
    expected: dict  # tests/sites/al-monitor/expected.json
    mirror_url: str
    stdout: str


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> Packaged:
    data = tmp_path_factory.mktemp("collection")
    crawl_mirror("lbci", data)
    mirror, expected, records, _ = crawl_mirror(SITE, data)
    wacz = tmp_path_factory.mktemp("out") / "al-monitor-2026-11.wacz"
    result = run_scraper("package", "--site", SITE, "-o", str(wacz), "--data", str(data))
    assert result.returncode == 0, result.stderr[-3000:]
    articles = [r for r in records if r["site"] == SITE]
    assert len(articles) == len(expected["articles"])
    return Packaged(data, wacz, articles, expected, mirror.url, result.stdout)


def entries(wacz: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wacz) as package:
        return {name: package.read(name) for name in package.namelist()}


def pages_of(wacz: Path) -> list[dict]:
    return [json.loads(line) for line in entries(wacz)["pages/pages.jsonl"].splitlines()]


def test_py_wacz_validates_it(packaged: Packaged) -> None:
    if not WACZ_CLI.is_file():
        missing_tool(f"py-wacz is not installed in {WACZ_CLI.parent.parent}: run "
                     "`bash tests/support/wacz_env.sh` (or `make wacz`)")
    result = subprocess.run([str(WACZ_CLI), "validate", "-f", str(packaged.wacz)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation succeeded" in result.stdout, result.stdout


def test_cli_prints_a_one_line_summary(packaged: Packaged) -> None:
    lines = packaged.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"wrote {packaged.wacz}: 2 pages, 1 WARC "), \
        packaged.stdout


def test_layout_names_and_compression(packaged: Packaged) -> None:
    site_warcs = sorted(p.name for p in (packaged.data / "warc").glob(f"{SITE}-*.warc.gz"))
    assert site_warcs and list((packaged.data / "warc").glob("lbci-*.warc.gz"))
    with zipfile.ZipFile(packaged.wacz) as package:
        infos = package.infolist()
    names = [info.filename for info in infos]
    assert sorted(names) == sorted([f"archive/{n}" for n in site_warcs] + [
        "indexes/index.cdx", "pages/pages.jsonl", "datapackage.json",
        "datapackage-digest.json"])
    for info in infos:
        assert not info.filename.startswith("/") and ".." not in info.filename.split("/")
        assert "\\" not in info.filename and ":" not in info.filename
        # Already compressed WARCs are stored, so replay can read a record by its offset.
        expected = zipfile.ZIP_STORED if info.filename.endswith(".gz") else zipfile.ZIP_DEFLATED
        assert info.compress_type == expected, info.filename


def test_warcs_are_the_collections_files_byte_for_byte(packaged: Packaged) -> None:
    for name, content in entries(packaged.wacz).items():
        if name.startswith("archive/"):
            assert content == (packaged.data / "warc" / name.split("/", 1)[1]).read_bytes()


def test_pages_carry_each_articles_title_and_text(packaged: Packaged) -> None:
    header, *pages = pages_of(packaged.wacz)
    assert header == PAGES_HEADER
    by_url = {page["url"]: page for page in pages}
    assert len(by_url) == len(pages) == len(packaged.articles)
    for article in packaged.articles:
        page = by_url[article["url"]]
        assert page["id"] == article["id"]
        assert page["title"] == article["title"]
        assert page["text"] == article["text"]
        assert article["capture"]["fetched_at"].startswith(page["ts"].removesuffix("Z"))
    for expected in packaged.expected["articles"]:
        page = by_url[packaged.mirror_url + expected["path"]]
        for phrase in expected["contains"]:
            assert phrase in page["text"]


def test_datapackage_lists_every_file_with_its_hash(packaged: Packaged) -> None:
    files = entries(packaged.wacz)
    package = json.loads(files["datapackage.json"])
    assert package["profile"] == "data-package" and package["wacz_version"] == "1.1.1"
    assert package["created"].endswith("Z") and package["software"].startswith("mena-scraper")
    assert package["title"]
    listed = {r["path"]: r for r in package["resources"]}
    assert set(listed) == set(files) - {"datapackage.json", "datapackage-digest.json"}
    for path, resource in listed.items():
        assert resource["hash"] == "sha256:" + hashlib.sha256(files[path]).hexdigest(), path
        assert resource["bytes"] == len(files[path]), path
        assert resource["name"] == path.rsplit("/", 1)[1].lower()
    digest = json.loads(files["datapackage-digest.json"])
    assert digest == {"path": "datapackage.json",
                      "hash": "sha256:" + hashlib.sha256(files["datapackage.json"]).hexdigest()}


def test_index_is_sorted_and_points_into_archive(packaged: Packaged) -> None:
    files = entries(packaged.wacz)
    lines = files["indexes/index.cdx"].decode("utf-8").splitlines()
    assert lines == sorted(lines)
    archived = {name.split("/", 1)[1] for name in files if name.startswith("archive/")}
    fields = [json.loads(line.split(" ", 2)[2]) for line in lines]
    assert {f["filename"] for f in fields} == archived
    for article in packaged.articles:
        capture = article["capture"]
        assert any(f["url"] == article["url"] and int(f["offset"]) == capture["offset"]
                   for f in fields), article["url"]


@pytest.mark.slow
def test_pywb_replays_an_article_from_the_wacz(packaged: Packaged, tmp_path: Path) -> None:
    """pywb 2.10 has no WACZ reader: its `wb-manager add --unpack-wacz` only takes indexes named
    *.cdx or *.cdx.gz. So unpack archive/ and indexes/ and point a collection at them."""
    reason = pywb_available()
    if reason:
        missing_tool(reason)
    with zipfile.ZipFile(packaged.wacz) as package:
        for name in package.namelist():
            if name.startswith(("archive/", "indexes/")):
                package.extract(name, tmp_path / "unpacked")
    unpacked = tmp_path / "unpacked"
    with start_pywb(unpacked / "archive", unpacked / "indexes", tmp_path / "pywb") as pywb:
        for expected in packaged.expected["articles"]:
            url = replay_url(pywb, packaged.mirror_url + expected["path"])
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    page = html.unescape(response.read().decode("utf-8"))
            except OSError as exc:
                pytest.fail(f"{url} failed: {exc}\n--- pywb log ---\n{pywb.log()}")
            for phrase in expected["contains"]:
                assert phrase in page, f"{url} replayed:\n{page[:2000]}"


def test_since_keeps_only_newer_articles_and_their_files(packaged: Packaged,
                                                         tmp_path: Path) -> None:
    newest = max(packaged.articles, key=lambda a: a["published"])
    output = write_wacz(packaged.data, tmp_path / "newest.wacz", site=SITE,
                        since=newest["published"], title="Newest")
    header, *pages = pages_of(output)
    assert [p["url"] for p in pages] == [newest["url"]]
    package = json.loads(entries(output)["datapackage.json"])
    assert package["title"] == "Newest"
    assert [r["path"] for r in package["resources"] if r["path"].startswith("archive/")] == \
        [newest["capture"]["warc_file"].replace("warc/", "archive/", 1)]


def test_whole_collection_without_filters(packaged: Packaged, tmp_path: Path) -> None:
    output = write_wacz(packaged.data, tmp_path / "all.wacz")
    archived = {n.split("/", 1)[1] for n in entries(output) if n.startswith("archive/")}
    assert archived == {p.name for p in (packaged.data / "warc").glob("*.warc.gz")}
    assert {p["url"] for p in pages_of(output)[1:]} >= {a["url"] for a in packaged.articles}


@pytest.mark.parametrize("filters, message", [
    ({"site": "no-such-site"}, "no articles of site 'no-such-site'"),
    ({"site": SITE, "since": "2099-01-01"}, "nothing to package"),
])
def test_nothing_to_package_is_an_error_and_writes_nothing(
        packaged: Packaged, tmp_path: Path, filters: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        write_wacz(packaged.data, tmp_path / "empty.wacz", **filters)
    assert list(tmp_path.iterdir()) == []  # neither the file nor a temporary one


def test_cli_reports_bad_output_name(packaged: Packaged, tmp_path: Path) -> None:
    result = run_scraper("package", "--site", SITE, "-o", str(tmp_path / "x.zip"),
                         "--data", str(packaged.data))
    assert result.returncode == 2 and "must end in .wacz" in result.stderr, result.stderr
    assert not (tmp_path / "x.zip").exists()


@pytest.mark.parametrize("name", ["/etc/passwd", "../x", "archive/../../x", "a//b", "./a",
                                  "C:/x", "a\\b", ""])
def test_unsafe_entry_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        check_entry_name(name)


def test_safe_entry_names_pass() -> None:
    assert check_entry_name("archive/al-monitor-1.warc.gz") == "archive/al-monitor-1.warc.gz"
