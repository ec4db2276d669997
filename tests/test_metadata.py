"""Unit tests of scraper.extract.dates and scraper.extract.metadata on inputs we wrote."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date, datetime, timedelta, timezone

import pytest

from scraper.extract.dates import jalali_to_gregorian
from scraper.extract.metadata import (
    DateCandidate,
    declared_language,
    detect_language,
    normalize_authors,
    parse_date,
    pick_dates,
    text_sha256,
    to_iso,
    word_count,
)

RIYADH = timezone(timedelta(hours=3))


# --- parse_date + to_iso ---------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    # ISO 8601
    ("2026-11-25T10:30:00+03:00", "2026-11-25T10:30:00+03:00"),
    ("2026-11-25T07:30:00Z", "2026-11-25T07:30:00+00:00"),
    ("2026-11-25T10:30:00.123456+0300", "2026-11-25T10:30:00+03:00"),
    ("2026-11-25T07:30:00.1234567Z", "2026-11-25T07:30:00+00:00"),
    ("2026-11-25T10:30:00+03", "2026-11-25T10:30:00+03:00"),
    ("2026-11-25T10:30", "2026-11-25T10:30:00+00:00"),
    ("2026-11-25 10:30:00", "2026-11-25T10:30:00+00:00"),
    ("2026-11-25", "2026-11-25T00:00:00+00:00"),
    ("2026-11-25 T 10:30:00 +0330", "2026-11-25T10:30:00+03:30"),
    # RFC 2822 (feeds)
    ("Tue, 25 Nov 2026 10:00:00 +0300", "2026-11-25T10:00:00+03:00"),
    ("Tue, 25 Nov 2026 07:00:00 GMT", "2026-11-25T07:00:00+00:00"),
    ("Wed, 25 Nov 2026 10:00:00 -0500", "2026-11-25T10:00:00-05:00"),
    # numeric, day first
    ("25/11/2026", "2026-11-25T00:00:00+00:00"),
    ("25.11.2026 18:24", "2026-11-25T18:24:00+00:00"),
    ("25-11-2026", "2026-11-25T00:00:00+00:00"),
    ("2026/11/25 - 1:59 صباحًا", "2026-11-25T01:59:00+00:00"),
    ("11/25/2026", "2026-11-25T00:00:00+00:00"),  # month first only when day first is impossible
    ("05/11/2026", "2026-11-05T00:00:00+00:00"),
    # English and French month names
    ("November 25, 2026 10:05 AM", "2026-11-25T10:05:00+00:00"),
    ("November 25, 2026 10:05 PM", "2026-11-25T22:05:00+00:00"),
    ("Nov. 25, 2026 12:15 a.m.", "2026-11-25T00:15:00+00:00"),
    ("25 Nov 2026", "2026-11-25T00:00:00+00:00"),
    ("25th of November 2026", "2026-11-25T00:00:00+00:00"),
    ("Updated: 25 Nov 2026 08:00 (GMT+3)", "2026-11-25T08:00:00+03:00"),
    ("le 25 novembre 2026 à 10h30", "2026-11-25T10:30:00+00:00"),
    ("1er décembre 2026", "2026-12-01T00:00:00+00:00"),
    # Arabic: Arabic-Indic digits, both month-name families, weekdays, ص/م
    ("الثلاثاء ٢٥ نوفمبر ٢٠٢٦ - ١٠:٣٠ م", "2026-11-25T22:30:00+00:00"),
    ("٢٥ نوفمبر ٢٠٢٦", "2026-11-25T00:00:00+00:00"),
    ("٢٥ تشرين الثاني ٢٠٢٦", "2026-11-25T00:00:00+00:00"),
    ("25 تشرين الثاني/نوفمبر 2026", "2026-11-25T00:00:00+00:00"),
    ("الأربعاء، 25 أيار 2026 10:30 صباحاً", "2026-05-25T10:30:00+00:00"),
    ("تم نشره الجمعة 24 نيسان / أبريل 2026 09:22 مساءً", "2026-04-24T21:22:00+00:00"),
    ("نشر في: 25 إبريل 2026 - 12:15 ص", "2026-04-25T00:15:00+00:00"),
    ("25 آذار 2026", "2026-03-25T00:00:00+00:00"),
    ("03 يونيه 2026م", "2026-06-03T00:00:00+00:00"),
    ("٢٥ كانون الأول ٢٠٢٦", "2026-12-25T00:00:00+00:00"),
    ("ديسمبر 25, 2026", "2026-12-25T00:00:00+00:00"),
    ("25 نوفمبر 2026 10:30 ص بتوقيت مكة", "2026-11-25T10:30:00+03:00"),
    ("الأربعاء، 28 آب/اغسطس 2026، آخر تحديث 14:00 (GMT+0400)", "2026-08-28T14:00:00+04:00"),
    ("٢٠٢٦-١١-٢٥T١٠:٣٠:٠٠+٠٣:٠٠", "2026-11-25T10:30:00+03:00"),
    # a lunar Hijri date beside the Gregorian one is skipped ("م" after a year is not PM)
    ("الأربعاء 5 جمادى الآخرة 1448 هـ - 25 نوفمبر 2026 م", "2026-11-25T00:00:00+00:00"),
    # Persian: Solar Hijri months converted, Persian digits, Gregorian months in Persian
    ("۴ آذر ۱۴۰۵", "2026-11-25T00:00:00+00:00"),
    ("سه‌شنبه ۴ آذر ۱۴۰۵ - ۱۰:۳۰", "2026-11-25T10:30:00+00:00"),
    ("۲۱ ارديبهشت ۱۴۰۵ - ۱۸:۵۹", "2026-05-11T18:59:00+00:00"),  # Arabic yeh in a Persian name
    ("۱۴۰۵/۰۹/۰۴ - ۱۸:۵۹", "2026-11-25T18:59:00+00:00"),
    ("تاریخ انتشار: 1405/09/04", "2026-11-25T00:00:00+00:00"),  # Persian letters beside it
    ("۳۰ اسفند ۱۴۰۳", "2025-03-20T00:00:00+00:00"),  # leap year
    ("25 نوامبر 2026", "2026-11-25T00:00:00+00:00"),
    # Turkish and Hebrew
    ("25 Kasım 2026 Çarşamba 10:30", "2026-11-25T10:30:00+00:00"),
    ("25 KASIM 2026", "2026-11-25T00:00:00+00:00"),
    ("25 Ağustos 2026", "2026-08-25T00:00:00+00:00"),
    ("25 בנובמבר 2026, 10:30", "2026-11-25T10:30:00+00:00"),
])
def test_parse_date_formats(value: str, expected: str) -> None:
    parsed = parse_date(value)
    assert parsed is not None, value
    assert to_iso(parsed) == expected


@pytest.mark.parametrize("value", [
    "", "   ", "3 hours ago", "2026", "Nov 2026", "31/02/2026", "30 اسفند ۱۴۰۴",
    "1405/09/04",        # ASCII digits, no Persian context: lunar Hijri as likely as Solar
    "1448/06/04 هـ",     # lunar Hijri: not converted
    "٥ جمادى الآخرة ١٤٤٨",
    "25 May or 3 June 2026",  # two different months: ambiguous
    "45/13/2026",
])
def test_parse_date_rejects(value: str) -> None:
    assert parse_date(value) is None


def test_parse_date_default_tz_applies_only_to_naive_values() -> None:
    assert parse_date("25/11/2026 10:30", RIYADH) == datetime(2026, 11, 25, 10, 30, tzinfo=RIYADH)
    assert parse_date("2026-11-25T10:30:00Z", RIYADH).utcoffset() == timedelta(0)
    assert parse_date("25/11/2026 10:30").tzinfo is None


def test_to_iso_date_only_and_default_tz() -> None:
    assert to_iso(datetime(2026, 11, 25)) == "2026-11-25T00:00:00+00:00"
    assert to_iso(date(2026, 11, 25), RIYADH) == "2026-11-25T00:00:00+03:00"
    assert to_iso(datetime(2026, 11, 25, 10, 30, 5, 999), RIYADH) == "2026-11-25T10:30:05+03:00"


@pytest.mark.parametrize("jalali, gregorian", [
    ((1405, 1, 1), date(2026, 3, 21)),
    ((1405, 9, 4), date(2026, 11, 25)),
    ((1403, 1, 1), date(2024, 3, 20)),
    ((1403, 12, 30), date(2025, 3, 20)),
    ((1399, 2, 21), date(2020, 5, 10)),
    ((1357, 11, 22), date(1979, 2, 11)),
])
def test_jalali_to_gregorian(jalali: tuple[int, int, int], gregorian: date) -> None:
    assert jalali_to_gregorian(*jalali) == gregorian


def test_jalali_to_gregorian_rejects_missing_days() -> None:
    with pytest.raises(ValueError):
        jalali_to_gregorian(1404, 12, 30)  # 1404 is not a leap year
    with pytest.raises(ValueError):
        jalali_to_gregorian(1405, 7, 31)


# --- pick_dates ------------------------------------------------------------------------------

def test_pick_dates_follows_source_priority_not_list_order() -> None:
    candidates = [
        DateCandidate("published", "25/11/2026", "text"),
        DateCandidate("published", "not a date", "json-ld"),
        DateCandidate("published", "2026-11-24T09:00:00+03:00", "meta"),
        DateCandidate("modified", "2026-11-24T12:00:00+03:00", "htmldate"),
        DateCandidate("modified", "2026-11-24T11:00:00+03:00", "meta"),
    ]
    assert pick_dates(candidates) == (
        "2026-11-24T09:00:00+03:00", "2026-11-24T11:00:00+03:00", "meta")


def test_pick_dates_skips_modified_before_published() -> None:
    candidates = [
        DateCandidate("published", "2026-11-25T10:00:00+03:00", "json-ld"),
        DateCandidate("modified", "2026-11-20T10:00:00+03:00", "json-ld"),
        DateCandidate("modified", "2026-11-25T12:00:00+03:00", "meta"),
    ]
    assert pick_dates(candidates)[1] == "2026-11-25T12:00:00+03:00"
    assert pick_dates(candidates[:2])[1] is None


def test_pick_dates_empty_and_default_tz() -> None:
    assert pick_dates([]) == (None, None, None)
    candidates = [DateCandidate("published", "٢٥ نوفمبر ٢٠٢٦", "news-sitemap")]
    assert pick_dates(candidates, RIYADH) == ("2026-11-25T00:00:00+03:00", None, "news-sitemap")


# --- normalize_authors -----------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    (None, []),
    ("", []),
    ([], []),
    ("By John Smith", ["John Smith"]),
    ("BY JOHN SMITH", ["JOHN SMITH"]),
    ("Written by Jane Doe", ["Jane Doe"]),
    ("Reported by Ali Hassan", ["Ali Hassan"]),
    ("Byron Smith", ["Byron Smith"]),
    ("  John \n  Smith ", ["John Smith"]),
    ("John Smith; Jane Doe", ["John Smith", "Jane Doe"]),
    ("John Smith and Jane Doe", ["John Smith", "Jane Doe"]),
    ("John Smith, Jane Doe", ["John Smith", "Jane Doe"]),
    ("Smith, John", ["Smith, John"]),  # a comma inside one name does not split
    ("Jean Dupont et Marie Curie", ["Jean Dupont", "Marie Curie"]),
    ("Ahmet Yılmaz ve Ayşe Kaya", ["Ahmet Yılmaz", "Ayşe Kaya"]),
    # agency credits after a name are dropped; an agency alone is kept
    ("John Smith | Reuters", ["John Smith"]),
    ("John Smith - AFP", ["John Smith"]),
    ("John Smith (AP)", ["John Smith"]),
    ("John Smith, Reuters", ["John Smith"]),
    ("John Smith/AFP", ["John Smith"]),
    ("Ali Hassan, Reuters; Jane Doe, A.F.P.", ["Ali Hassan", "Jane Doe"]),
    ("Reuters", ["Reuters"]),
    ("(AFP)", ["AFP"]),
    ("Reuters and AFP", ["Reuters", "AFP"]),
    # staff bylines are authors; roles after a name are dropped
    ("Al Jazeera Staff", ["Al Jazeera Staff"]),
    ("Jane Doe, Staff Writer", ["Jane Doe"]),
    ("Staff Writer", ["Staff Writer"]),
    ("Al Jazeera and news agencies", ["Al Jazeera"]),
    ("Reporting by Ali Hassan; Editing by Mark Heinrich", ["Ali Hassan"]),
    ("Smith, Reuters", ["Smith"]),
    ("Sputnik; I", ["Sputnik"]),  # one-letter junk is not a name
    # Arabic
    ("بقلم: أحمد علي", ["أحمد علي"]),
    ("كتب: محمد حسن", ["محمد حسن"]),
    ("أحمد علي و محمد حسن", ["أحمد علي", "محمد حسن"]),
    ("محمد وليد", ["محمد وليد"]),  # و inside a word is not "and"
    ("أحمد علي، سارة خالد", ["أحمد علي", "سارة خالد"]),
    ("أحمد علي - أ ف ب", ["أحمد علي"]),
    ("أحمد علي - مراسل الجزيرة", ["أحمد علي"]),
    ("فرانس برس", ["فرانس برس"]),
    # noise and JSON-LD shapes
    ("John Smith john@example.com @jsmith https://example.com/jsmith", ["John Smith"]),
    ({"@type": "Person", "name": "John Smith", "url": "https://example.com/a"}, ["John Smith"]),
    ([{"@type": "Person", "name": "John Smith"}, {"name": "john smith"}, "Jane Doe"],
     ["John Smith", "Jane Doe"]),
    ([{"@type": "Organization", "name": "Al Jazeera"}, {"url": "https://example.com"}],
     ["Al Jazeera"]),
])
def test_normalize_authors(raw: object, expected: list[str]) -> None:
    assert normalize_authors(raw) == expected


# --- language --------------------------------------------------------------------------------

SAMPLES = {
    "ar": "أعلنت وزارة الصحة في بيان لها اليوم أن عدد الإصابات الجديدة قد ارتفع خلال الأسبوع"
          " الماضي، وذلك بعد أن كانت الحكومة قد فرضت قيودا على السفر.",
    "fa": "وزارت بهداشت روز سه‌شنبه اعلام کرد که تعداد مبتلایان جدید در هفته گذشته افزایش یافته"
          " است و دولت برای کنترل این بیماری محدودیت‌های تازه‌ای وضع کرده است.",
    "ur": "وزارت صحت نے منگل کو اعلان کیا کہ گزشتہ ہفتے کے دوران نئے مریضوں کی تعداد میں اضافہ"
          " ہوا ہے اور حکومت نے سفر پر نئی پابندیاں عائد کی ہیں۔",
    "he": "משרד הבריאות הודיע היום כי מספר הנדבקים החדשים עלה בשבוע האחרון, והממשלה הטילה"
          " הגבלות חדשות על נסיעות.",
    "en": "The health ministry said on Tuesday that the number of new infections had risen over"
          " the past week, after the government imposed new travel restrictions.",
    "fr": "Le ministère de la Santé a annoncé mardi que le nombre de nouvelles infections avait"
          " augmenté au cours de la semaine dernière, après que le gouvernement a imposé des"
          " restrictions.",
    "tr": "Sağlık Bakanlığı salı günü yaptığı açıklamada, geçen hafta yeni vaka sayısının"
          " arttığını ve hükümetin seyahat için yeni kısıtlamalar getirdiğini bildirdi.",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_detect_language(lang: str) -> None:
    assert detect_language(SAMPLES[lang]) == lang


def test_detect_language_persian_typed_with_arabic_letters() -> None:
    text = ("وزارت بهداشت روز سه شنبه اعلام كرد كه تعداد مبتلايان جديد در هفته گذشته افزايش"
            " يافته است و دولت برای كنترل اين بيماری محدوديت تازه ای وضع كرده است.")
    assert detect_language(text) == "fa"


@pytest.mark.parametrize("text", [
    "", "قال الوزير إن", "Breaking news", "2026-11-25 10:30 !!! 12345 67890 ---",
    "Министерство здравоохранения сообщило во вторник, что число заражений выросло.",
])
def test_detect_language_none(text: str) -> None:
    assert detect_language(text) is None


def test_detect_language_majority_script_wins() -> None:
    text = ("The sign read مرحبا بكم and the crowd cheered as the president arrived at the"
            " stadium for the opening of the games.")
    assert detect_language(text) == "en"


@pytest.mark.parametrize("html_lang, meta_lang, expected", [
    ("ar-SA", None, "ar"),
    ("en_US", None, "en"),
    ("AR", None, "ar"),
    (" fa-IR ", "en", "fa"),
    (None, "he-IL", "he"),
    ("iw", None, "he"),
    ("", "ara", "ar"),
    ("x-default", "tr-TR, en", "tr"),
    (None, None, None),
    ("*", "und", None),
])
def test_declared_language(html_lang: str | None, meta_lang: str | None,
                           expected: str | None) -> None:
    assert declared_language(html_lang, meta_lang) == expected


# --- word count and hash ---------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("", 0),
    ("The president's well-known speech, in 2026.", 6),
    ("قالَ الرئيسُ إنّ الاتفاق سيوقع غداً", 6),  # harakat do not split words
    ("دولت این بیماری را کنترل می‌کند", 6),  # ZWNJ joins می‌کند
    ("משרד הבריאות הודיע על צה״ל", 5),
    ("Sağlık Bakanlığı açıklama yaptı", 4),
    ("— ... ! ؟ ،", 0),
])
def test_word_count(text: str, expected: int) -> None:
    assert word_count(text) == expected


def test_text_sha256_is_of_nfc_utf8() -> None:
    decomposed = "Cafe\u0301 ١٢"
    composed = unicodedata.normalize("NFC", decomposed)
    assert decomposed != composed
    assert text_sha256(decomposed) == text_sha256(composed)
    assert text_sha256(composed) == hashlib.sha256(composed.encode("utf-8")).hexdigest()
    assert text_sha256("a ") != text_sha256("a")  # no whitespace normalization
