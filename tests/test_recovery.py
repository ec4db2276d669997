"""recover_open_files on .open WARC files cut where a kill -9 could have cut them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.recovery import recover_open_files
from archive.verify import verify_paths
from scraper.errors import WarcError
from tests.support.warc_builder import (
    WarcBuilder,
    build_sample,
    flip_at,
    rewrite_member,
    warcio_check,
)

NAME = "crawl-20261126000000000-00000-host-1.warc.gz"
INDEXED_TYPES = {"response", "revisit"}  # cdxj-indexer skips requests and warc-fields metadata


@pytest.fixture(scope="module")
def sample() -> WarcBuilder:
    return build_sample()


def cut_points(sample: WarcBuilder) -> list[int]:
    """Every record boundary and its neighbours, plus every 29th byte in between."""
    size = len(sample.data)
    near = {edge + delta for span in sample.spans for edge in (span.offset, span.end)
            for delta in (-2, -1, 0, 1, 2)}
    return sorted(point for point in near | set(range(0, size, 29)) if 0 <= point <= size)


def recover_prefix(root: Path, data: bytes) -> tuple[Path, Path]:
    warc_dir, index_dir = root / "warc", root / "indexes"
    warc_dir.mkdir(parents=True)
    (warc_dir / (NAME + ".open")).write_bytes(data)
    return warc_dir, index_dir


@pytest.mark.slow
def test_every_cut_keeps_exactly_the_complete_records(tmp_path: Path,
                                                      sample: WarcBuilder) -> None:
    points = cut_points(sample)
    assert len(points) > 300
    for cut in points:
        prefix = sample.data[:cut]
        warc_dir, index_dir = recover_prefix(tmp_path / str(cut), prefix)
        [report] = recover_open_files(warc_dir, index_dir)
        complete = [span for span in sample.spans if span.end <= cut]
        kept = complete[-1].end if complete else 0
        context = f"cut at {cut}: {report}"
        assert report.bytes_dropped == cut - kept, context
        if cut == 0:
            assert report.status == "empty" and list(warc_dir.iterdir()) == [], context
            continue
        if not complete:
            assert report.status == "unrecoverable", context
            assert [p.name for p in warc_dir.iterdir()] == [NAME + ".unrecoverable"], context
            assert report.path.read_bytes() == prefix, context
            continue
        assert report.status == "recovered", context
        assert (report.records_kept, report.bytes_kept) == (len(complete), kept), context
        assert report.path == warc_dir / NAME
        assert report.path.read_bytes() == sample.data[:kept], context
        if kept < cut:
            assert report.dropped_path is not None and report.reason, context
            assert report.dropped_path.read_bytes() == prefix[kept:], context
        else:
            assert report.dropped_path is None, context
        assert not list(warc_dir.glob("*.open")), context
        assert all(p.severity == "warning" for p in report.problems), context
        check = verify_paths([report.path])
        assert check.ok and check.records == len(complete), context
        assert warcio_check(report.path), context
        assert_index(index_dir / (NAME + ".cdxj"),
                     sum(span.rec_type in INDEXED_TYPES for span in complete))


def assert_index(index: Path, lines_expected: int) -> None:
    lines = index.read_text(encoding="utf-8").splitlines()
    assert len(lines) == lines_expected, index
    assert lines == sorted(lines)
    for line in lines:
        key, timestamp, fields = line.split(" ", 2)
        assert key.startswith("com,example)/") and len(timestamp) == 14
        entry = json.loads(fields)
        assert entry["filename"] == NAME
        assert int(entry["offset"]) >= 0 and int(entry["length"]) > 0


def test_all_open_files_are_recovered_and_closed_ones_left_alone(tmp_path: Path,
                                                                 sample: WarcBuilder) -> None:
    warc_dir = tmp_path / "warc"
    warc_dir.mkdir()
    closed = warc_dir / "crawl-1.warc.gz"
    closed.write_bytes(sample.data)
    (warc_dir / "crawl-2.warc.gz.open").write_bytes(sample.data)
    (warc_dir / "crawl-3.warc.gz.open").write_bytes(sample.data[:-5])
    (warc_dir / "crawl-4.warc.gz.open").write_bytes(b"")
    reports = recover_open_files(warc_dir, None)
    assert [(r.path.name, r.status) for r in reports] == [
        ("crawl-2.warc.gz", "recovered"), ("crawl-3.warc.gz", "recovered"),
        ("crawl-4.warc.gz.open", "empty")]
    assert reports[0].bytes_dropped == 0 and reports[0].records_kept == len(sample.spans)
    assert reports[1].records_kept == len(sample.spans) - 1
    assert closed.read_bytes() == sample.data
    assert sorted(p.name for p in warc_dir.iterdir()) == [
        "crawl-1.warc.gz", "crawl-2.warc.gz", "crawl-3.warc.gz", "crawl-3.warc.gz.dropped"]
    assert not (tmp_path / "indexes").exists()


def test_damaged_record_in_kept_part_is_reported(tmp_path: Path, sample: WarcBuilder) -> None:
    damaged_span = sample.spans[3]
    data = rewrite_member(sample.data, damaged_span, flip_at(-5))
    warc_dir, index_dir = recover_prefix(tmp_path, data[:-7])
    [report] = recover_open_files(warc_dir, index_dir)
    assert report.status == "recovered"
    assert {p.offset for p in report.problems if p.severity == "error"} == {damaged_span.offset}
    assert (index_dir / (NAME + ".cdxj")).exists()


def test_existing_target_is_never_overwritten(tmp_path: Path, sample: WarcBuilder) -> None:
    warc_dir, index_dir = recover_prefix(tmp_path, sample.data[:-3])
    (warc_dir / NAME).write_bytes(b"someone else's file")
    with pytest.raises(WarcError, match="scraper recover"):
        recover_open_files(warc_dir, index_dir)
    assert (warc_dir / NAME).read_bytes() == b"someone else's file"
    assert (warc_dir / (NAME + ".open")).exists()
