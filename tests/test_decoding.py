"""Content-Encoding and charset decoding of stored bodies, on short pages written for the tests."""

from __future__ import annotations

import gzip
import importlib
import random
import zlib
from datetime import datetime, timezone
from typing import Any

import pytest

from scraper.errors import ContentError
from scraper.extract import content_coding, decoding
from scraper.extract.decoding import codec_for_label, decode_content, decode_html, sniff_charset
from scraper.extract.extractor import Extracted, ExtractionOptions, PageInput, extract_page

ARABIC = "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة الإسكندرية لخدمة آلاف المرضى."
PERSIAN = "کتابخانه ملی ایران امروز نمایشگاه تازه‌ای از نسخه‌های خطی قدیمی را افتتاح کرد."
HEBREW = "משרד החינוך הודיע היום על תוכנית חדשה לבתי הספר בירושלים ובחיפה."
TURKISH = "İstanbul Büyükşehir Belediyesi bugün yeni bir metro hattını açtı; yolcular çok memnun."

# A large inline script, as news sites have, leaves little non-ASCII text for a guesser to go on.
SCRIPT = "<script>" + "var slot = 1; function track(a) { return a + 1; }\n" * 200 + "</script>"


def page(sentence: str, head: str = "") -> str:
    return (f"<html><head>{head}<title>news</title>{SCRIPT}</head>"
            f"<body><article><h1>headline</h1><p>{sentence}</p></article></body></html>")


# ---------------------------------------------------------------------------- charset


def test_windows_1256_from_http_header_only() -> None:
    body = page(ARABIC).encode("cp1256")
    decoded = decode_html(body, "text/html; charset=windows-1256")
    assert (decoded.encoding, decoded.encoding_source) == ("cp1256", "http-header")
    assert ARABIC in decoded.text


def test_windows_1256_page_extracts_in_arabic() -> None:
    """The whole extractor, not only the decoder: the header's charset reaches the text."""
    body = page(" ".join([ARABIC] * 8)).encode("cp1256")  # long enough to be an article
    page_input = PageInput(url="https://news.example.test/a/1", body=body,
                           content_type="text/html; charset=windows-1256",
                           content_encoding=None, fetched_at=datetime(2026, 11, 25,
                                                                       tzinfo=timezone.utc))
    result = extract_page(page_input, ExtractionOptions())
    text = result.fields["text"] if isinstance(result, Extracted) else ""
    assert ARABIC in text, result


def test_windows_1256_from_meta_charset() -> None:
    body = page(ARABIC, '<meta charset="windows-1256">').encode("cp1256")
    decoded = decode_html(body, "text/html")
    assert (decoded.encoding, decoded.encoding_source) == ("cp1256", "meta")
    assert ARABIC in decoded.text


def test_meta_http_equiv_with_attributes_in_any_order() -> None:
    head = "<META content='text/html; Charset=\"cp1256\"' HTTP-EQUIV=Content-Type>"
    assert sniff_charset(page(ARABIC, head).encode("cp1256"), None) == ("cp1256", "meta")


def test_meta_content_without_http_equiv_is_ignored() -> None:
    head = '<meta content="text/html; charset=windows-1256"><meta charset="iso-8859-8">'
    assert sniff_charset(page(HEBREW, head).encode("iso-8859-8"), None) == ("iso8859-8", "meta")


def test_prescan_skips_comments_and_attribute_values() -> None:
    head = ('<!-- <meta charset="utf-8"> --><link title="<meta charset=koi8-r>">'
            "<meta name=viewport content='width=device-width'><meta charset=windows-1256>")
    assert sniff_charset(page(ARABIC, head).encode("cp1256"), None) == ("cp1256", "meta")


def test_meta_beyond_1024_bytes_is_not_seen() -> None:
    body = ("<!--" + "x" * 1100 + "-->" + '<meta charset="windows-1256">').encode()
    assert sniff_charset(body, None)[1] != "meta"


def test_http_header_beats_meta() -> None:
    body = page(ARABIC, '<meta charset="utf-8">').encode("cp1256")
    decoded = decode_html(body, 'text/html; charset="windows-1256"')
    assert (decoded.encoding, decoded.encoding_source) == ("cp1256", "http-header")
    assert ARABIC in decoded.text


def test_bom_beats_http_header() -> None:
    body = b"\xef\xbb\xbf" + page(PERSIAN).encode("utf-8")
    decoded = decode_html(body, "text/html; charset=windows-1256")
    assert (decoded.encoding, decoded.encoding_source) == ("utf-8", "bom")
    assert decoded.text.startswith("<html>")
    assert PERSIAN in decoded.text


def test_utf16_bom() -> None:
    body = page(HEBREW).encode("utf-16-le")
    decoded = decode_html(b"\xff\xfe" + body, None)
    assert (decoded.encoding, decoded.encoding_source) == ("utf-16-le", "bom")
    assert decoded.text.startswith("<html>") and HEBREW in decoded.text


def test_iso_8859_8_hebrew() -> None:
    decoded = decode_html(page(HEBREW).encode("iso-8859-8"), "text/html; charset=ISO-8859-8-I")
    assert (decoded.encoding, decoded.encoding_source) == ("iso8859-8", "http-header")
    assert HEBREW in decoded.text


def test_iso_8859_9_is_windows_1254() -> None:
    body = page(TURKISH, "<meta charset=latin5>").encode("cp1254")
    decoded = decode_html(body, None)
    assert (decoded.encoding, decoded.encoding_source) == ("cp1254", "meta")
    assert TURKISH in decoded.text


@pytest.mark.parametrize(("label", "codec"), [
    ("ISO-8859-1", "cp1252"), ("latin1", "cp1252"), ("us-ascii", "cp1252"),
    ("x-user-defined", "cp1252"), ("arabic", "iso8859-6"), ("ISO-8859-6", "iso8859-6"),
    ("cp1256", "cp1256"), ("hebrew", "iso8859-8"), ("visual", "iso8859-8"),
    ("windows-1255", "cp1255"), ("iso-8859-9", "cp1254"), ("utf-16", "utf-16-le"),
    (" UTF8 ", "utf-8"), ("koi8-r", "koi8-r"),
])
def test_whatwg_labels(label: str, codec: str) -> None:
    assert sniff_charset(b"<p>x</p>", f"text/html; charset={label}") == (codec, "http-header")


def test_every_whatwg_label_names_a_python_codec() -> None:
    for label, codec in decoding._LABELS.items():
        assert codec_for_label(label.upper()) == codec
        assert "<p>x</p>".encode(codec).decode(codec) == "<p>x</p>", label


def test_unknown_header_label_falls_through_to_meta() -> None:
    body = page(ARABIC, "<meta charset=windows-1256>").encode("cp1256")
    for label in ("klingon", "utf-7", "rot13"):
        assert sniff_charset(body, f"text/html; charset={label}") == ("cp1256", "meta")


def test_utf16_in_meta_means_utf8() -> None:
    body = page(PERSIAN, '<meta charset="utf-16">').encode("utf-8")
    assert sniff_charset(body, None) == ("utf-8", "meta")


def test_utf8_without_declaration_is_detected() -> None:
    decoded = decode_html(page(PERSIAN).encode("utf-8"), "text/html")
    assert (decoded.encoding, decoded.encoding_source) == ("utf-8", "detected")
    assert PERSIAN in decoded.text


def test_undetectable_body_falls_back_to_windows_1252() -> None:
    noise = bytes(range(256)) * 4
    assert sniff_charset(noise, None) == ("cp1252", "default")
    assert decode_html(noise, None).encoding == "cp1252"


# ---------------------------------------------------------------------------- Content-Encoding

BODY = page(ARABIC).encode("cp1256")


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(("encoding", "encoded"), [
    ("gzip", gzip.compress(BODY)),
    ("X-Gzip", gzip.compress(BODY)),
    ("deflate", zlib.compress(BODY)),
    ("deflate", raw_deflate(BODY)),
    ("gzip, deflate", zlib.compress(gzip.compress(BODY))),
    ("identity", BODY),
    (None, BODY),
])
def test_content_encodings(encoding: str | None, encoded: bytes) -> None:
    assert decode_content(encoded, encoding) == BODY


def test_brotli() -> None:
    brotli = pytest.importorskip("brotli")
    assert decode_content(brotli.compress(BODY), "br") == BODY


def test_zstd() -> None:
    names = ("zstandard", "compression.zstd", "backports.zstd")
    zstd = next((m for m in map(optional_import, names) if m is not None), None)
    if zstd is None:
        pytest.skip("no zstd module")
    assert decode_content(zstd.compress(BODY), "zstd") == BODY


def optional_import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def test_missing_brotli_module_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(content_coding, "_BROTLI", None)
    with pytest.raises(ContentError, match="needs the brotli package"):
        decode_content(b"\x0b\x02\x80hi\x03", "br")


def test_gzip_with_several_members() -> None:
    assert decode_content(gzip.compress(BODY[:500]) + gzip.compress(BODY[500:]), "gzip") == BODY


def test_truncated_gzip_keeps_what_it_can() -> None:
    data = random.Random(7).randbytes(50_000)  # incompressible, so half the stream is half the data
    decoded = decode_content(gzip.compress(data)[:25_000], "gzip")
    assert 20_000 < len(decoded) < 25_000
    assert data.startswith(decoded)


def test_truncated_deflate_keeps_what_it_can() -> None:
    data = random.Random(7).randbytes(50_000)
    assert data.startswith(decode_content(zlib.compress(data)[:25_000], "deflate"))


def test_unknown_content_encoding() -> None:
    with pytest.raises(ContentError, match="unknown Content-Encoding 'compress'"):
        decode_content(BODY, "compress")


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_corrupt_body(encoding: str) -> None:
    with pytest.raises(ContentError, match=f"corrupt {encoding}"):
        decode_content(b"this is not compressed at all", encoding)
