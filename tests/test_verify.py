"""verify_paths on WARC files written by warcio, clean and damaged in known places."""

from __future__ import annotations

import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from archive import scan
from archive.verify import VerifyResult, verify_paths
from tests.support.warc_builder import (
    WarcBuilder,
    build_sample,
    flip_after,
    flip_at,
    page,
    rewrite_member,
    warcio_check,
)

WARCIO = Path(sys.executable).with_name("warcio")


@pytest.fixture(scope="module")
def sample() -> WarcBuilder:
    return build_sample()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def errors(result: VerifyResult) -> list[tuple[Path, int | None, str]]:
    return [(p.file, p.offset, p.message) for p in result.problems if p.severity == "error"]


# ---------------------------------------------------------------- clean files

def test_clean_gzip_file_is_ok(tmp_path: Path, sample: WarcBuilder) -> None:
    path = write(tmp_path / "clean.warc.gz", sample.data)
    result = verify_paths([path])
    assert result.ok, [str(p) for p in result.problems]
    assert result.problems == []
    assert (result.files, result.records) == (1, len(sample.spans))
    assert warcio_check(path)


def test_clean_plain_warc_is_ok(tmp_path: Path) -> None:
    path = write(tmp_path / "clean.warc", build_sample(gzip=False).data)
    result = verify_paths([path])
    assert result.ok and result.problems == [], [str(p) for p in result.problems]
    assert result.records == len(build_sample().spans)


def test_warcio_cli_agrees_on_the_sample(tmp_path: Path, sample: WarcBuilder) -> None:
    path = write(tmp_path / "clean.warc.gz", sample.data)
    done = subprocess.run([str(WARCIO), "check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_folder_is_searched_recursively(tmp_path: Path, sample: WarcBuilder) -> None:
    write(tmp_path / "a" / "one.warc.gz", sample.data)
    write(tmp_path / "a" / "b" / "two.warc", build_sample(gzip=False).data)
    write(tmp_path / "a" / "b" / "index.cdxj", b"not a warc\n")
    write(tmp_path / "a" / "notes.txt", b"not a warc\n")
    result = verify_paths([tmp_path])
    assert result.ok and result.files == 2


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    result = verify_paths([tmp_path / "nope.warc.gz"])
    assert not result.ok
    assert "no such file" in result.problems[0].message


# ---------------------------------------------------------------- damaged records

RESPONSES = [i for i, span in enumerate(build_sample().spans) if span.rec_type == "response"]


@pytest.mark.parametrize("index", RESPONSES)
def test_changed_body_byte_is_reported_at_its_record(tmp_path: Path, sample: WarcBuilder,
                                                     index: int) -> None:
    span = sample.spans[index]
    path = write(tmp_path / "bad.warc.gz", rewrite_member(sample.data, span, flip_at(-5)))
    result = verify_paths([path])
    assert not result.ok
    found = errors(result)
    assert {(file, offset) for file, offset, _ in found} == {(path, span.offset)}
    assert {message.split(" ")[0] for _, _, message in found} == {
        "WARC-Block-Digest", "WARC-Payload-Digest"}
    assert not warcio_check(path)


def test_changed_digest_header_is_reported(tmp_path: Path, sample: WarcBuilder) -> None:
    span = next(s for s in sample.spans if s.rec_type == "response")
    data = rewrite_member(sample.data, span, flip_after(b"WARC-Payload-Digest: sha1:"))
    path = write(tmp_path / "bad.warc.gz", data)
    found = errors(verify_paths([path]))
    assert len(found) == 1
    assert found[0][:2] == (path, span.offset)
    assert "WARC-Payload-Digest does not match" in found[0][2]


def test_damaged_gzip_member_is_reported_at_its_offset(tmp_path: Path,
                                                       sample: WarcBuilder) -> None:
    span = sample.spans[4]
    middle = (span.offset + span.end) // 2
    data = bytearray(sample.data)
    data[middle] ^= 0xFF
    result = verify_paths([write(tmp_path / "bad.warc.gz", bytes(data))])
    assert not result.ok
    assert any(p.offset == span.offset for p in result.problems if p.severity == "error")
    assert result.records <= 4


def test_wrong_content_length_is_reported(tmp_path: Path, sample: WarcBuilder) -> None:
    span = sample.spans[3]

    def lengthen(record: bytes) -> bytes:
        head, _, rest = record.partition(b"Content-Length: ")
        number, _, tail = rest.partition(b"\r\n")
        return head + b"Content-Length: " + str(int(number) + 7).encode() + b"\r\n" + tail

    path = write(tmp_path / "bad.warc.gz", rewrite_member(sample.data, span, lengthen))
    found = errors(verify_paths([path]))
    assert found and found[0][1] == span.offset


def test_cut_file_and_trailing_garbage_are_reported(tmp_path: Path, sample: WarcBuilder) -> None:
    last = sample.spans[-1]
    cut = write(tmp_path / "cut.warc.gz", sample.data[: last.end - 10])
    messages = [p.message for p in verify_paths([cut]).problems if p.offset == last.offset]
    assert any("ends inside a gzip member" in message for message in messages)
    junk = write(tmp_path / "junk.warc.gz", sample.data + b"\0" * 100)
    found = errors(verify_paths([junk]))
    assert found and found[0][1] == len(sample.data)


# ---------------------------------------------------------------- file-level checks

def test_request_without_response_is_reported(tmp_path: Path) -> None:
    warc = WarcBuilder()
    warc.warcinfo()
    warc.exchange("http://example.com/1", page(1))
    lonely = warc.add(warc.request("http://example.com/2"))
    warc.exchange("http://example.com/3", page(3))
    orphan = warc.add(warc.response("http://example.com/4", page(4)))
    warc.exchange("http://example.com/5", page(5))
    path = write(tmp_path / "pairs.warc.gz", warc.data)
    result = verify_paths([path])
    found = errors(result)
    offsets = {s.record_id: s.offset for s in warc.spans}
    assert {offset for _, offset, _ in found} == {offsets[lonely], offsets[orphan]}
    assert any("request has no response" in message for _, _, message in found)
    assert any("response has no request" in message for _, _, message in found)


def test_unpaired_last_record_is_a_warning(tmp_path: Path) -> None:
    warc = WarcBuilder()
    warc.warcinfo()
    warc.exchange("http://example.com/1", page(1))
    lonely = warc.add(warc.request("http://example.com/2"))
    result = verify_paths([write(tmp_path / "tail.warc.gz", warc.data)])
    assert result.ok
    [warning] = result.problems
    assert warning.severity == "warning" and "request has no response" in warning.message
    assert warning.offset == warc.spans[-1].offset and warc.spans[-1].record_id == lonely


def test_no_warcinfo_first_is_only_a_warning(tmp_path: Path) -> None:
    warc = WarcBuilder()
    warc.exchange("http://example.com/1", page(1))
    result = verify_paths([write(tmp_path / "noinfo.warc.gz", warc.data)])
    assert result.ok and errors(result) == []
    assert [(p.offset, p.severity) for p in result.problems if "warcinfo" in p.message] == \
        [(0, "warning")]


def test_open_leftover_is_reported(tmp_path: Path, sample: WarcBuilder) -> None:
    path = write(tmp_path / "crawl.warc.gz.open", sample.data)
    result = verify_paths([tmp_path])
    assert result.files == 1 and not result.ok
    assert any("scraper recover" in p.message and p.file == path for p in result.problems)


def test_single_gzip_stream_is_only_a_warning(tmp_path: Path) -> None:
    plain = build_sample(gzip=False)
    path = write(tmp_path / "stream.warc.gz", zlib.compress(plain.data, wbits=31))
    result = verify_paths([path])
    assert result.ok, [str(p) for p in result.problems]
    assert result.records == len(plain.spans)
    assert [p.severity for p in result.problems] == ["warning"]
    assert "share one gzip member" in result.problems[0].message


def test_empty_file_is_reported(tmp_path: Path) -> None:
    result = verify_paths([write(tmp_path / "empty.warc.gz", b"")])
    assert not result.ok and "no complete WARC record" in result.problems[0].message


def test_results_do_not_depend_on_read_sizes(tmp_path: Path, sample: WarcBuilder,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    damaged = rewrite_member(sample.data, sample.spans[3], flip_at(-5))
    paths = [write(tmp_path / "clean.warc.gz", sample.data),
             write(tmp_path / "damaged.warc.gz", damaged),
             write(tmp_path / "plain.warc", build_sample(gzip=False).data),
             write(tmp_path / "cut.warc.gz", sample.data[:-20])]
    expected = verify_paths(paths)
    monkeypatch.setattr(scan, "READ_SIZE", 7)
    monkeypatch.setattr(scan, "MAX_OUTPUT", 5)
    assert verify_paths(paths) == expected
