"""Issue 10, the pure functions behind the bad-input fixes (no server, no subprocess)."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

import pytest
from scrapy.settings import Settings

from archive.extent import EMPTY_FILE, BoundedReader, readable_extent
from archive.reader import iter_responses
from scraper.crawl.robots_lint import robots_warnings
from scraper.crawl.safety import allowed_hosts, host_forms
from scraper.crawl.setting_checks import check_overrides
from scraper.errors import UsageError, WarcError
from scraper.extract.decoding import decode_html, looks_binary, overruled_charset
from scraper.project import project_settings
from scraper.store.jsonl import TRUNCATED_LAST, iter_jsonl, record_problem
from scraper.store.since import parse_since
from tests.support.hostile_routes import binary_bytes, charset_lie_page, nested_divs
from tests.support.warc_builder import WarcBuilder, page


def sample_warc(tmp_path: Path, pages: int = 4) -> tuple[Path, WarcBuilder]:
    builder = WarcBuilder()
    builder.warcinfo()
    for number in range(pages):
        builder.exchange(f"http://example.com/{number}", page(number))
    path = tmp_path / "sample.warc.gz"
    path.write_bytes(builder.data)
    return path, builder


def test_extent_of_a_whole_file_is_all_of_it(tmp_path: Path) -> None:
    path, _ = sample_warc(tmp_path)
    extent = readable_extent(path)
    assert extent.whole and extent.end == path.stat().st_size


def test_extent_of_a_cut_file_ends_at_its_last_complete_record(tmp_path: Path) -> None:
    path, builder = sample_warc(tmp_path)
    cut_member = builder.spans[5]
    path.write_bytes(builder.data[:cut_member.offset + 30])
    extent = readable_extent(path)
    assert extent.end == cut_member.offset and extent.damage is not None
    assert extent.damage.offset == cut_member.offset
    assert "the file ends inside a gzip member" in str(extent.damage)
    responses = []
    with pytest.raises(WarcError, match=f"at byte {cut_member.offset}: "):
        for stored in iter_responses([path]):
            responses.append(stored)
    assert all(r.offset + r.length <= extent.end for r in responses) and len(responses) == 2


def test_extent_of_an_empty_file_is_damage_at_byte_zero(tmp_path: Path) -> None:
    path = tmp_path / "empty.warc.gz"
    path.write_bytes(b"")
    extent = readable_extent(path)
    assert (extent.end, extent.damage and extent.damage.offset) == (0, 0)
    assert EMPTY_FILE in str(extent.damage)


def test_bounded_reader_stops_at_its_limit() -> None:
    reader = BoundedReader(io.BytesIO(b"0123456789"), 4)
    assert (reader.read(3), reader.read(), reader.read(), reader.tell()) == (b"012", b"3", b"", 4)


def test_jsonl_lines_are_records_or_say_why_not(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('\n{}\n[1]\nnot json\n{"id": "x"', encoding="utf-8")
    problems = [line.problem for line in iter_jsonl(path)]
    assert problems == ["blank line", "not an article record (no id, url, canonical_url)",
                        "a JSON list, not an article record", "not JSON", TRUNCATED_LAST]
    assert record_problem({"id": 1}) is not None


@pytest.mark.parametrize("declared, sent, expected", [
    ("windows-1256", "utf-8", "utf-8"),
    ("utf-8", "windows-1256", "cp1256"),
    ("utf-8", "utf-8", None),
    ("windows-1256", "windows-1256", None),
])
def test_charset_lies_are_overruled(declared: str, sent: str, expected: str | None) -> None:
    body = charset_lie_page(declared).encode(sent)
    assert overruled_charset(body, declared) == expected
    decoded = decode_html(body, f"text/html; charset={declared}")
    assert "خطة لدعم المشاريع الصغيرة" in decoded.text
    source = "detected-over-declared" if expected else "http-header"
    assert decoded.encoding_source == source


def test_a_stray_byte_does_not_overrule_utf8() -> None:
    body = charset_lie_page("utf-8").encode("utf-8") + b"\xe9"
    assert overruled_charset(body, "utf-8") is None


def test_binary_is_told_from_text() -> None:
    assert looks_binary(binary_bytes())
    assert not looks_binary(nested_divs(10))
    assert not looks_binary(charset_lie_page("windows-1256").encode("windows-1256"))
    assert not looks_binary("نص".encode("utf-16"))  # UTF-16 has NULs but a BOM
    # Without a NUL: more than 5% C0 controls is binary; tab, newlines and form feed are text.
    assert looks_binary(b"a" * 94 + b"\x01\x02\x1b\x7f\x03\x04\x05\x06")
    assert not looks_binary(b"a" * 95 + b"\x01\x02\x1b\x03\x04")
    assert not looks_binary(b"a" * 50 + b"\t\n\r\x0c" * 20)


def test_robots_typos_are_named_with_their_line() -> None:
    warnings = robots_warnings(b"User-agent: *\nDisalow: /\n# fine\nAllow: /a\nrandom words\n")
    assert warnings == [
        "line 2: unknown directive 'disalow' (did you mean Disallow?): 'Disalow: /'",
        "line 5: not a 'name: value' line: 'random words'"]
    assert robots_warnings(b"User-agent: *\nDisallow: /private\nCrawl-delay: 2\n") == []


def test_overrides_are_checked_against_the_defaults_types() -> None:
    settings = project_settings()
    assert check_overrides({"DOWNLOAD_TIMEOUT": "2.5", "ROBOTSTXT_OBEY": "false"}, settings) == []
    with pytest.raises(UsageError, match="DOWNLOAD_TIMEOUT='abc': give a number"):
        check_overrides({"DOWNLOAD_TIMEOUT": "abc"}, settings)
    with pytest.raises(UsageError, match="give a JSON object"):
        check_overrides({"DOWNLOAD_HANDLERS": "[1]"}, settings)
    (warning,) = check_overrides({"NOSUCHSETTING": "1"}, settings)
    assert warning == ("-s NOSUCHSETTING: not a setting of Scrapy or of this project (ignored "
                       "unless an add-on reads it)")


def test_a_worker_memory_cap_too_small_to_start_is_a_usage_error() -> None:
    # EXTRACT_MEMORY_MB=1: every extraction worker died at start and the crawl never ended
    settings = project_settings()
    with pytest.raises(UsageError, match="EXTRACT_MEMORY_MB='1': give 0 .no limit. or at least"):
        check_overrides({"EXTRACT_MEMORY_MB": "1"}, settings)
    assert check_overrides({"EXTRACT_MEMORY_MB": "0"}, settings) == []
    assert check_overrides({"EXTRACT_MEMORY_MB": "512"}, settings) == []


def test_idn_hosts_match_their_punycode_form() -> None:
    assert host_forms("مثال.test") == host_forms("XN--MGBH0FB.test.") == {
        "مثال.test", "xn--mgbh0fb.test"}
    allowed = allowed_hosts(Settings({"SCRAPER_ALLOWED_PRIVATE_HOSTS": ["مثال.test"]}))
    # the resolver is asked for the punycode name: it must count as allowed, not be refused
    assert "xn--mgbh0fb.test" in allowed


def test_an_age_beyond_year_one_is_a_usage_error() -> None:
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    with pytest.raises(UsageError, match="reaches back before year 1"):
        parse_since("99999999d", now)
    assert parse_since("3d", now) == datetime(2026, 11, 28, tzinfo=timezone.utc)
