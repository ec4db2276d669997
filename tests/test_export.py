"""`scraper export`: JSONL as stored, typed Parquet, flat CSV; filters; pipes closed early."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import jsonschema
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

from scraper.cli import main
from scraper.errors import RecordError
from scraper.export.formats import COLUMNS, export
from tests.conftest import REPO, run_scraper, scraper_command
from tests.support.synthetic_collection import write_synthetic_collection
from tests.test_sites import SCHEMA, crawl_mirror

SITES = ("al-monitor", "aljazeera-ar", "lbci")  # English and Arabic, paywalled true/false/null


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """One collection holding three sites' local mirrors, crawled in three runs."""
    data = tmp_path_factory.mktemp("crawled")
    records: list[dict[str, Any]] = []
    for name in SITES:
        _, _, records, _ = crawl_mirror(name, data)
    assert {r["language"] for r in records} == {"ar", "en"}
    return data, sorted(records, key=capture_order)


def capture_order(record: dict[str, Any]) -> str:
    """Exports come oldest capture first (WARC-Date strings sort as times)."""
    return record["capture"]["fetched_at"]


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 synthetic records (~1.2 MB): far more than a pipe's 64 KiB buffer holds."""
    data = tmp_path_factory.mktemp("large")
    for record in write_synthetic_collection(data, 300)[:20]:
        jsonschema.validate(record, SCHEMA)
    return data


def run_export(data: Path, *args: str, near_duplicates: bool = False) -> Result:
    """The export command; near-duplicate flagging off unless asked, to compare stored records."""
    flag = "--near-duplicates" if near_duplicates else "--no-near-duplicates"
    return CliRunner().invoke(main, ["export", "--data", str(data), flag, *args])


def lines(text: str) -> list[str]:
    return text.split("\n")[:-1]  # not splitlines(): U+2028 may occur inside a JSON string


def stored_jsonl(data: Path) -> bytes:
    """Every stored JSONL line, byte for byte, in export (capture) order."""
    stored = [line for p in sorted((data / "articles").glob("*.jsonl"))
              for line in p.read_bytes().splitlines(keepends=True)]
    return b"".join(sorted(stored, key=lambda line: capture_order(json.loads(line))))


def test_jsonl_lines_are_the_stored_lines(crawled: tuple[Path, list[dict]],
                                          tmp_path: Path) -> None:
    data, records = crawled
    result = run_export(data, "--format", "jsonl", "-o", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.jsonl").read_bytes() == stored_jsonl(data)
    assert result.stderr.strip() == f"{len(records)} records exported to {tmp_path / 'out.jsonl'}"
    to_stdout = run_export(data, "--format", "jsonl", "-o", "-")
    assert to_stdout.exit_code == 0, to_stdout.output
    assert to_stdout.stdout_bytes == stored_jsonl(data)
    assert [json.loads(line) for line in lines(to_stdout.stdout)] == records


def test_parquet_has_typed_columns(crawled: tuple[Path, list[dict]], tmp_path: Path) -> None:
    data, records = crawled
    target = tmp_path / "corpus.parquet"
    result = run_export(data, "--format", "parquet", "-o", str(target))
    assert result.exit_code == 0, result.output
    table = pq.read_table(target)
    schema = table.schema
    assert schema.names == [c.name for c in COLUMNS]
    for name in ("published", "modified", "capture_fetched_at"):
        assert schema.field(name).type == pa.timestamp("us", tz="UTC"), name
    assert schema.field("authors").type == pa.list_(pa.string())
    assert schema.field("tags").type == pa.list_(pa.string())
    assert schema.field("paywalled").type == pa.bool_()
    assert schema.field("word_count").type == pa.int32()
    assert schema.field("near_duplicate_of").type == pa.string()
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    for row, record in zip(rows, records):
        assert row["authors"] == record["authors"] and row["paywalled"] == record["paywalled"]
        assert row["published"] == datetime.fromisoformat(record["published"])
        assert row["capture_record_id"] == record["capture"]["record_id"]
        assert row["text"] == record["text"] and row["near_duplicate_of"] is None
    assert {r["paywalled"] for r in rows} == {True, False, None}


def test_duckdb_reads_the_parquet_file(crawled: tuple[Path, list[dict]], tmp_path: Path) -> None:
    data, records = crawled
    target = tmp_path / "corpus.parquet"
    assert run_export(data, "--format", "parquet", "-o", str(target)).exit_code == 0
    arabic = sum(r["language"] == "ar" for r in records)
    assert arabic > 0
    database = duckdb.connect()
    count = database.execute(f"SELECT count(*) FROM '{target}' WHERE language = 'ar'").fetchone()
    assert count == (arabic,)
    latest = database.execute(f"SELECT max(published) FROM '{target}'").fetchone()[0]
    assert latest == max(datetime.fromisoformat(r["published"]) for r in records)


def test_csv_keeps_arabic_text_and_newlines(crawled: tuple[Path, list[dict]],
                                            tmp_path: Path) -> None:
    data, records = crawled
    target = tmp_path / "corpus.csv"
    assert run_export(data, "--format", "csv", "-o", str(target)).exit_code == 0
    assert not target.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(target, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == [c.name for c in COLUMNS]
    assert len(rows) == len(records)
    for row, record in zip(rows, records):
        assert row["title"] == record["title"] and row["text"] == record["text"]
        assert row["authors"] == "; ".join(record["authors"])
        assert row["paywalled"] == {True: "true", False: "false", None: ""}[record["paywalled"]]
        assert row["capture_fetched_at"] == record["capture"]["fetched_at"]
    assert any("\n" in row["text"] for row in rows)
    assert any(row["language"] == "ar" and "ال" in row["text"] for row in rows)


def test_csv_bom_for_excel(crawled: tuple[Path, list[dict]], tmp_path: Path) -> None:
    data, records = crawled
    target = tmp_path / "corpus.csv"
    assert run_export(data, "--format", "csv", "--bom", "-o", str(target)).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("\ufeffid,schema_version,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert [r["title"] for r in rows] == [r["title"] for r in records]


@pytest.mark.parametrize("options, keep", [
    (["--site", "lbci"], lambda r: r["site"] == "lbci"),
    (["--site", "lbci", "--site", "al-monitor"], lambda r: r["site"] in ("lbci", "al-monitor")),
    (["--lang", "ar"], lambda r: r["language"] == "ar"),
    (["--since", "2026-11-24"], lambda r: r["published"] and
     datetime.fromisoformat(r["published"]) >= datetime.fromisoformat("2026-11-24T00:00+00:00")),
    (["--until", "2026-11-23"], lambda r: r["published"] and
     datetime.fromisoformat(r["published"]) < datetime.fromisoformat("2026-11-23T00:00+00:00")),
    (["--site", "lbci", "--lang", "ar", "--since", "2026-11-23"],
     lambda r: r["site"] == "lbci" and r["language"] == "ar"
     and r["published"] >= "2026-11-23"),
    (["--paywalled"], lambda r: r["paywalled"] is True),
    (["--not-paywalled"], lambda r: r["paywalled"] is False),
    (["--date-field", "fetched", "--since", "2000-01-01"], lambda r: True),
    (["--date-field", "fetched", "--until", "2000-01-01"], lambda r: False),
])
def test_filters(crawled: tuple[Path, list[dict]], options: list[str], keep: Any) -> None:
    data, records = crawled
    result = run_export(data, "--format", "jsonl", *options)
    assert result.exit_code == 0, result.output
    got = [json.loads(line)["id"] for line in lines(result.stdout)]
    expected = [r["id"] for r in records if keep(r)]
    assert got == expected
    assert f"{len(expected)} record" in result.stderr


def test_empty_export_keeps_every_column(crawled: tuple[Path, list[dict]],
                                         tmp_path: Path) -> None:
    data, _ = crawled
    for fmt in ("parquet", "csv", "jsonl"):
        target = tmp_path / f"empty.{fmt}"
        result = run_export(data, "--format", fmt, "--lang", "xx", "-o", str(target))
        assert result.exit_code == 0, result.output
        assert "0 records exported" in result.stderr
    table = pq.read_table(tmp_path / "empty.parquet")
    assert table.num_rows == 0 and table.schema.names == [c.name for c in COLUMNS]
    assert (tmp_path / "empty.csv").read_text().splitlines() == [",".join(table.schema.names)]
    assert (tmp_path / "empty.jsonl").read_bytes() == b""


def test_near_duplicate_of_is_a_column(crawled: tuple[Path, list[dict]], tmp_path: Path) -> None:
    _, records = crawled
    marked = [{**records[0], "near_duplicate_of": records[1]["id"]}, *records[1:]]
    export(marked, "parquet", tmp_path / "n.parquet")
    export(marked, "csv", tmp_path / "n.csv")
    export(marked, "jsonl", tmp_path / "n.jsonl")
    column = pq.read_table(tmp_path / "n.parquet").column("near_duplicate_of").to_pylist()
    assert column == [records[1]["id"]] + [None] * (len(records) - 1)
    with open(tmp_path / "n.csv", encoding="utf-8", newline="") as stream:
        cells = [row["near_duplicate_of"] for row in csv.DictReader(stream)]
    assert cells == [records[1]["id"]] + [""] * (len(records) - 1)
    first = json.loads(lines((tmp_path / "n.jsonl").read_text(encoding="utf-8"))[0])
    assert list(first)[-1] == "near_duplicate_of"


def test_parquet_is_written_in_row_groups(large: Path, tmp_path: Path) -> None:
    from scraper.store.collection import Collection

    summary = export(Collection(large).articles(), "parquet", tmp_path / "g.parquet",
                     row_group_size=128)
    metadata = pq.ParquetFile(tmp_path / "g.parquet").metadata
    assert summary.records == metadata.num_rows == 300
    assert [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] == \
        [128, 128, 44]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_reader_closing_the_pipe_early_is_not_an_error(large: Path, fmt: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    exporting = subprocess.Popen(
        scraper_command("export", "--format", fmt, "--data", str(large), "-o", "-"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO)
    head = subprocess.Popen(["head", "-1"], stdin=exporting.stdout, stdout=subprocess.PIPE)
    assert exporting.stdout is not None and exporting.stderr is not None
    exporting.stdout.close()  # only head holds the pipe's read end now
    first, _ = head.communicate(timeout=60)
    stderr = exporting.stderr.read().decode()
    assert exporting.wait(timeout=60) == 0, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert "the reader closed stdout" in stderr, stderr  # the pipe really closed early
    assert first.decode().startswith('{"id":' if fmt == "jsonl" else "id,schema_version,")


def test_parquet_to_stdout_is_a_usage_error(crawled: tuple[Path, list[dict]]) -> None:
    data, _ = crawled
    result = run_scraper("export", "--format", "parquet", "--data", str(data), "-o", "-")
    assert result.returncode == 2
    assert "Parquet cannot be written to stdout" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    bom = run_export(data, "--format", "jsonl", "--bom")
    assert bom.exit_code == 2 and "--bom only applies to --format csv" in bom.stderr


def test_failed_export_leaves_no_file(crawled: tuple[Path, list[dict]], tmp_path: Path) -> None:
    _, records = crawled
    broken = [*records, {**records[0], "published": "last Tuesday"}]
    target = tmp_path / "out" / "corpus.parquet"
    with pytest.raises(RecordError, match="published 'last Tuesday'"):
        export(broken, "parquet", target)
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_disk_full_is_a_storage_error(crawled: tuple[Path, list[dict]], fmt: str) -> None:
    data, _ = crawled
    result = run_export(data, "--format", fmt, "-o", "/dev/full")
    assert result.exit_code == 3, result.output
    assert "cannot write /dev/full: No space left on device" in result.stderr


def test_no_collection_is_a_usage_error(tmp_path: Path) -> None:
    result = run_export(tmp_path / "nothing", "--format", "jsonl")
    assert result.exit_code == 2 and "no collection at" in result.stderr


def test_latest_versions_unless_all_versions(tmp_path: Path) -> None:
    from scraper.store.catalog import CATALOG_NAME, CatalogStore
    from scraper.store.jsonl import to_json_line
    from tests.support.synthetic_collection import index_article

    data = tmp_path / "data"
    first = write_synthetic_collection(data, 8)
    revised = {**first[0], "id": "f" * 32, "version": 2, "previous_version_id": first[0]["id"],
               "text": first[0]["text"] + "\nCorrection appended."}
    jsonschema.validate(revised, SCHEMA)
    (data / "articles" / "synthetic-revised.jsonl").write_text(to_json_line(revised),
                                                               encoding="utf-8")
    store = CatalogStore(data / CATALOG_NAME)
    index_article(store, revised, "articles/synthetic-revised.jsonl", 1)
    store.close()
    latest = run_export(data, "--format", "jsonl")
    assert sorted(json.loads(line)["id"] for line in lines(latest.stdout)) == \
        sorted([r["id"] for r in first[1:]] + [revised["id"]])
    every = run_export(data, "--format", "jsonl", "--all-versions")
    assert sorted(every.stdout_bytes.splitlines()) == sorted(stored_jsonl(data).splitlines())
    assert "9 records exported to stdout" in every.stderr


def test_near_duplicates_are_flagged_by_default(crawled: tuple[Path, list[dict]],
                                                tmp_path: Path) -> None:
    data, records = crawled
    result = run_export(data, "--format", "jsonl", "-o", str(tmp_path / "n.jsonl"),
                        near_duplicates=True)
    assert result.exit_code == 0, result.output
    exported = [json.loads(line) for line in (tmp_path / "n.jsonl").read_text().splitlines()]
    assert all("near_duplicate_of" in record for record in exported)
    stripped = sorted(({k: v for k, v in r.items() if k != "near_duplicate_of"} for r in exported),
                      key=lambda r: r["id"])
    assert stripped == sorted(records, key=lambda r: r["id"])
