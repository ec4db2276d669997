"""``scraper import``: outside WARCs into a collection, then export, history, status, package."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from scraper.store.catalog import CatalogStore
from tests.conftest import run_scraper
from tests.support.validators import validator_failures
from tests.support.warc_builder import WarcBuilder
from tests.test_outside_warcs import SHARED, needs_shared, write

WORDS = "river market harbour council school railway clinic festival bridge museum".split()


def article(number: int) -> bytes:
    paragraphs = "".join(
        f"<p>Paragraph {n} of story {number}: the {WORDS[(n + number) % 10]} opened on day {n} "
        f"with {n + number} visitors and a {WORDS[n % 10]} nearby.</p>" for n in range(30))
    return (f"<html><head><title>Story {number} headline</title></head><body><article>"
            f"<h1>Story {number} headline</h1>{paragraphs}</article></body></html>").encode()


def outside_warc(tmp_path: Path, name: str = "outside.warc.gz", software: str = "OtherTool/2.1",
                 first: int = 1) -> Path:
    warc = WarcBuilder()
    warc.add(warc.writer.create_warcinfo_record(name, {"software": software}))
    for number in range(first, first + 3):
        warc.exchange(f"http://news.example.net/2026/story-{number}.html", article(number),
                      headers=[("Content-Type", "text/html; charset=utf-8")])
    return write(tmp_path / name, warc.data)


def catalog_rows(data: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(data / "catalog.sqlite") as db:
        return db.execute(sql).fetchall()


def test_import_copies_indexes_catalogs_and_extracts(tmp_path: Path) -> None:
    source = outside_warc(tmp_path)
    data = tmp_path / "data"
    done = run_scraper("import", str(source), "--data", str(data))
    assert done.returncode == 0, done.stderr
    stored = data / "warc" / source.name
    assert stored.read_bytes() == source.read_bytes()
    assert (data / "indexes" / f"{source.name}.cdxj").read_text().count("\n") == 3
    assert "written by OtherTool/2.1" in done.stderr
    assert catalog_rows(data, "SELECT COUNT(*) FROM captures")[0][0] == 3
    titles = sorted(row[0] for row in catalog_rows(data, "SELECT title FROM articles"))
    assert titles == [f"Story {n} headline" for n in (1, 2, 3)]
    (manifest,) = (data / "runs").glob("*.json")
    imported = json.loads(manifest.read_text())["imported"]
    assert [(e["file"], e["software"], e["captures"]) for e in imported] == \
        [(f"warc/{source.name}", "OtherTool/2.1", 3)]
    assert validator_failures([stored]) == []

    exported = run_scraper("export", "--format", "jsonl", "--data", str(data), "-o", "-")
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert {r["capture"]["warc_file"] for r in records} == {f"warc/{source.name}"}
    history = run_scraper("history", "http://news.example.net/2026/story-2.html",
                          "--data", str(data))
    assert history.returncode == 0 and "version 1" in history.stdout, history.stderr
    status = run_scraper("status", "--data", str(data))
    assert status.returncode == 0 and "example.net" in status.stdout, status.stderr
    packaged = run_scraper("package", "-o", str(tmp_path / "c.wacz"), "--data", str(data))
    assert packaged.returncode == 0 and "3 pages, 1 WARC file" in packaged.stdout, \
        packaged.stderr

    before = CatalogStore(data / "catalog.sqlite").dump()
    assert run_scraper("reindex", "--data", str(data)).returncode == 0
    assert CatalogStore(data / "catalog.sqlite").dump() == before


def test_same_file_twice_is_nothing_to_do_and_a_name_clash_gets_a_new_name(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    source = outside_warc(tmp_path)
    assert run_scraper("import", str(source), "--data", str(data)).returncode == 0
    again = run_scraper("import", str(source), "--data", str(data))
    assert again.returncode == 4 and "already in the collection" in again.stderr
    (tmp_path / "elsewhere").mkdir()
    other = outside_warc(tmp_path / "elsewhere", software="OtherTool/3", first=4)
    clash = run_scraper("import", str(other), "--data", str(data))
    assert clash.returncode == 0, clash.stderr
    assert sorted(p.name for p in (data / "warc").iterdir()) == \
        ["outside-2.warc.gz", "outside.warc.gz"]
    assert catalog_rows(data, "SELECT COUNT(*) FROM articles")[0][0] == 6


def test_bad_inputs_are_refused_and_a_locked_collection_waits(tmp_path: Path) -> None:
    data = tmp_path / "data"
    wrong_name = write(tmp_path / "notes.txt", b"hello")
    refused = run_scraper("import", str(wrong_name), "--data", str(data))
    assert refused.returncode == 2 and "not a WARC or ARC file name" in refused.stderr
    damaged = write(tmp_path / "damaged.warc.gz", outside_warc(tmp_path).read_bytes()[:-40])
    partial = run_scraper("import", str(damaged), "--data", str(data))
    assert partial.returncode == 1, partial.stderr
    assert "Error:" in partial.stderr and "Traceback" not in partial.stderr

    from scraper.store.runs import RunLock

    with RunLock(data):
        locked = run_scraper("import", str(outside_warc(tmp_path, "x.warc.gz")),
                             "--data", str(data))
    assert locked.returncode == 5, locked.stderr
    assert not (data / "warc" / "x.warc.gz").exists()


@needs_shared
@pytest.mark.slow
def test_heritrix_and_wget_files_import_export_and_package(tmp_path: Path) -> None:
    sources = [SHARED / "ukwa" / "BL-20140325121225068-00000-32090~opera~8443.warc.gz",
               SHARED / "ours" / "wget-1.21.3-local-site.warc.gz",
               SHARED / "warcio" / "example.arc.gz"]
    data = tmp_path / "data"
    done = run_scraper("import", *map(str, sources), "--data", str(data))
    assert done.returncode == 0, done.stderr
    assert "written by Heritrix/3.1.1" in done.stderr and "Wget/1.21.3" in done.stderr
    for source in sources:
        assert (data / "warc" / source.name).read_bytes() == source.read_bytes()
    exported = run_scraper("export", "--format", "jsonl", "--data", str(data), "-o", "-")
    urls = {json.loads(line)["url"] for line in exported.stdout.splitlines()}
    assert "http://127.0.0.1:8411/gz/story-gzip.html" in urls
    assert any("gov.uk" in url for url in urls)
    packaged = run_scraper("package", "-o", str(tmp_path / "c.wacz"), "--data", str(data))
    assert packaged.returncode == 0, packaged.stderr
    assert validator_failures(p for p in sorted((data / "warc").iterdir())
                              if p.name.endswith(".warc.gz")) == []
