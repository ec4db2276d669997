"""Issue 10, bad input on the reading side: damaged WARC files and JSONL lines, read-only media.

One crawl of a 40-page local site makes the collection; each test damages its own copy, runs
the commands for real and checks the exit code, the one-line message and what was kept.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from archive.extent import readable_extent
from scraper.store.collection import Collection
from tests.conftest import crawl, run_scraper
from tests.support.fault_server import FaultServer

PAGES = 40


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    data = tmp_path_factory.mktemp("pristine") / "data"
    with FaultServer() as server:
        server.site_pages = PAGES
        crawl(server, data, "/site/")
    yield data


@pytest.fixture
def collection(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(pristine, copy)
    return copy


def only_warc(data: Path) -> Path:
    (warc,) = sorted((data / "warc").glob("*.warc.gz"))
    return warc


def member_offsets(data: Path) -> list[int]:
    """File offsets of the records, from the CDXJ index the crawl wrote."""
    (index,) = (data / "indexes").glob("*.cdxj")
    return sorted(int(json.loads(line.split(" ", 2)[2])["offset"])
                  for line in index.read_text().splitlines())


def cut_in_the_middle(warc: Path, offsets: list[int]) -> None:
    middle = offsets[len(offsets) // 2]
    with open(warc, "r+b") as stream:
        stream.truncate(middle + 40)  # inside a gzip member


def emptied(warc: Path, offsets: list[int]) -> None:
    warc.write_bytes(b"")


def garbage_appended(warc: Path, offsets: list[int]) -> None:
    with open(warc, "ab") as stream:
        stream.write(b"\x83\xcc garbage that is not gzip \x00\xff" * 50)


def bad_crc(warc: Path, offsets: list[int]) -> None:
    data = bytearray(warc.read_bytes())
    data[offsets[len(offsets) // 2 + 1] - 6] ^= 0xFF  # the CRC32 of the member before it
    warc.write_bytes(bytes(data))


def one_error_line(stderr: str, warc: Path) -> int:
    """The byte offset named by the single ``Error: <file> at byte N: ...`` line."""
    errors = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    assert errors, stderr
    assert "Traceback" not in stderr, stderr
    assert f"{warc.name} at byte " in errors[0], errors
    return int(errors[0].split(" at byte ", 1)[1].split(":", 1)[0])


@pytest.mark.slow
@pytest.mark.parametrize("damage", [cut_in_the_middle, emptied, garbage_appended, bad_crc],
                         ids=lambda damage: damage.__name__)
def test_damaged_warc_is_reported_and_nothing_points_past_the_damage(
        collection: Path, tmp_path: Path, damage: Callable[[Path, list[int]], None]) -> None:
    warc = only_warc(collection)
    damage(warc, member_offsets(collection))
    extent = readable_extent(warc)
    assert extent.damage is not None and extent.end <= warc.stat().st_size

    extracted = run_scraper("extract", str(collection / "warc"), "-o", str(tmp_path / "x.jsonl"))
    assert extracted.returncode == 1
    assert one_error_line(extracted.stderr, warc) == extent.end >= 0
    for line in (tmp_path / "x.jsonl").read_text().splitlines():
        capture = json.loads(line)["capture"]
        assert extent.holds(capture["offset"], capture["length"])

    # package first, while the catalog still lists every article (as after the damage)
    (jsonl,) = (collection / "articles").glob("*.jsonl")
    stored = [json.loads(line) for line in jsonl.read_text().splitlines()]
    readable = [r for r in stored if extent.holds(r["capture"]["offset"], r["capture"]["length"])]
    wacz = tmp_path / "all.wacz"
    packaged = run_scraper("package", "-o", str(wacz), "--data", str(collection))
    assert packaged.returncode == 1, packaged.stderr
    assert one_error_line(packaged.stderr, warc) == extent.end
    if extent.end == 0:
        assert not wacz.exists()  # nothing readable: nothing packaged
    else:
        left_out = len(stored) - len(readable)
        assert (f"{left_out} pages left out" in packaged.stdout) == bool(left_out)
        with zipfile.ZipFile(wacz) as package:
            assert package.getinfo(f"archive/{warc.name}").file_size == extent.end
            pages = package.read("pages/pages.jsonl").splitlines()[1:]
            index = package.read("indexes/index.cdx").decode().splitlines()
        assert sorted(json.loads(p)["id"] for p in pages) == sorted(r["id"] for r in readable)
        assert all(int(json.loads(line.split(" ", 2)[2])["offset"]) < extent.end
                   for line in index)

    reindexed = run_scraper("reindex", "--data", str(collection))
    assert reindexed.returncode == 1
    assert one_error_line(reindexed.stderr, warc) == extent.end
    catalog = sqlite3.connect(collection / "catalog.sqlite")
    captures = dict(catalog.execute("SELECT record_id, offset + length FROM captures"))
    assert all(end <= extent.end for end in captures.values())
    articles = [row[0] for row in catalog.execute("SELECT capture_record_id FROM articles")]
    catalog.close()
    assert all(record_id in captures for record_id in articles)  # none without its bytes
    assert len(articles) == len(readable)

    indexed = run_scraper("index", "--data", str(collection))
    assert indexed.returncode == 1
    assert one_error_line(indexed.stderr, warc) == extent.end


def insert_bad_lines(jsonl: Path) -> None:
    lines = jsonl.read_text().split("\n")
    lines.insert(3, "")  # line 4: blank
    lines.insert(10, "garbage{")  # line 11: not JSON
    lines.insert(20, "{}")  # line 21: JSON, not a record
    jsonl.write_text("\n".join(lines))


@pytest.mark.slow
def test_bad_jsonl_lines_are_skipped_counted_and_no_article_is_dropped(
        collection: Path, tmp_path: Path) -> None:
    (jsonl,) = (collection / "articles").glob("*.jsonl")
    expected = sorted(json.loads(line)["id"] for line in jsonl.read_text().splitlines())
    insert_bad_lines(jsonl)
    message = "skipped 3 line(s) that are not article records"

    out = tmp_path / "e.jsonl"
    exported = run_scraper("export", "--format", "jsonl", "--no-near-duplicates",
                           "--data", str(collection), "-o", str(out))
    assert exported.returncode == 1, exported.stderr
    assert f"{message} (blank, not JSON or not a record: lines 4, 11, 21)" in exported.stderr
    assert "Traceback" not in exported.stderr
    assert sorted(json.loads(line)["id"] for line in out.read_text().splitlines()) == expected

    packaged = run_scraper("package", "-o", str(tmp_path / "p.wacz"), "--data", str(collection))
    assert packaged.returncode == 1 and message in packaged.stderr
    assert f"{PAGES} pages" in packaged.stdout

    moved = json.loads(jsonl.read_text().split("\n")[30])["url"]
    history = run_scraper("history", moved, "--data", str(collection))
    assert history.returncode == 1 and "1 version(s) of" in history.stdout, history.stderr

    reindexed = run_scraper("reindex", "--data", str(collection))
    assert reindexed.returncode == 1 and message in reindexed.stderr
    assert f"{PAGES} article versions" in reindexed.stdout
    again = run_scraper("export", "--format", "jsonl", "--no-near-duplicates",
                        "--data", str(collection), "-o", str(out))
    assert again.returncode == 0, again.stderr  # renumbered: every line where the catalog says
    assert sorted(json.loads(line)["id"] for line in out.read_text().splitlines()) == expected


def test_collection_api_finds_moved_records_and_counts_the_rest(pristine: Path,
                                                                tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(pristine, data)
    (jsonl,) = (data / "articles").glob("*.jsonl")
    insert_bad_lines(jsonl)
    collection = Collection(data)
    records = list(collection.articles())
    assert len({r["id"] for r in records}) == PAGES
    assert collection.problems.not_records == {f"articles/{jsonl.name}": [4, 11, 21]}
    assert collection.problems.moved == PAGES - 3 and not collection.problems.missing


def test_extract_counts_only_what_it_writes_and_keeps_a_file_it_cannot_replace(
        pristine: Path, tmp_path: Path) -> None:
    warc = only_warc(pristine)
    out = tmp_path / "twice.jsonl"
    twice = run_scraper("extract", str(warc), str(warc), "-o", str(out))
    assert twice.returncode == 0, twice.stderr
    written = len(out.read_text().splitlines())
    assert written == PAGES and f"{written} articles written to {out}" in twice.stderr
    assert f"{PAGES} unchanged" in twice.stderr  # the second pass: same text, not rewritten

    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    kept = run_scraper("extract", str(empty), "-o", str(out))
    assert kept.returncode == 1
    assert f"0 articles written ({out} left as it was)" in kept.stderr
    assert len(out.read_text().splitlines()) == PAGES


@pytest.mark.parametrize("args, message", [
    (["--since", "99999999d"], "--since '99999999d': that age reaches back before year 1"),
    (["--site", "127.0.0.2"], "no articles of site '127.0.0.2' in "),
])
def test_export_usage_errors_are_one_line(pristine: Path, args: list[str], message: str) -> None:
    result = run_scraper("export", "--format", "jsonl", "--data", str(pristine), *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    if "--site" in args:
        assert "did you mean 127.0.0.1? sites in it: 127.0.0.1" in result.stderr


@pytest.fixture
def read_only(pristine: Path, tmp_path: Path) -> Iterator[Path]:
    """The collection on a read-only bind mount (root is not stopped by file modes)."""
    source, mount = tmp_path / "source", tmp_path / "ro"
    shutil.copytree(pristine, source)
    mount.mkdir()
    done = subprocess.run(["mount", "--bind", "-o", "ro", str(source), str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot make a read-only bind mount here: {done.stderr.decode().strip()}")
    try:
        if subprocess.run(["touch", str(mount / "probe")], capture_output=True).returncode == 0:
            pytest.skip("the bind mount is writable (ro ignored)")
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.slow
def test_a_read_only_collection_can_be_read(read_only: Path, tmp_path: Path) -> None:
    (jsonl,) = (read_only / "articles").glob("*.jsonl")
    url = json.loads(jsonl.read_text().splitlines()[0])["url"]
    for args in (["status"], ["export", "--format", "csv", "-o", str(tmp_path / "e.csv")],
                 ["history", url], ["package", "-o", str(tmp_path / "p.wacz")]):
        result = run_scraper(*args, "--data", str(read_only))
        assert result.returncode == 0, (args, result.stderr)
        assert "unable to open database file" not in result.stderr


def test_status_shows_the_disk_used_by_a_url_crawl(pristine: Path) -> None:
    result = run_scraper("status", "--data", str(pristine))
    assert result.returncode == 0, result.stderr
    (row,) = [line for line in result.stdout.splitlines() if line.startswith("127.0.0.1 ")]
    size = only_warc(pristine).stat().st_size
    assert row.endswith(f"{size / 1e6:.1f} MB") and size > 0
