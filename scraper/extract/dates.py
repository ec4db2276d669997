"""Parse the publication dates news pages show, in the scripts and calendars of the region.

Covers ISO 8601, RFC 2822 (feeds), numeric dates (day first unless that is impossible), month
names in English, French, Arabic (Levantine and Egyptian/Gulf names), Persian (Solar Hijri and
Gregorian names), Turkish and Hebrew, Arabic-Indic and Persian digits, and Arabic/Persian AM/PM
markers. Solar Hijri dates are converted to Gregorian. Islamic (lunar Hijri) dates are not
converted: they are removed where a page shows them beside the Gregorian date, else the value
gives None. Relative dates ("3 hours ago") give None: they depend on when the page was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Literal

#: Which date a candidate is.
DateKind = Literal["published", "modified"]

SOURCE_PRIORITY = ("json-ld", "meta", "news-sitemap", "feed", "htmldate", "text")

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_PERSIAN_DIGIT = re.compile("[۰-۹]")
_PERSIAN_LETTER = re.compile("[پچژگکی]")
# Bidi controls, ZWNJ and tatweel carry no meaning for a date; Arabic diacritics vary by site.
_INVISIBLE = re.compile("[\u0640\u064b-\u065f\u0670\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_LETTER_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ی": "ي", "ک": "ك",
                              "،": ",", "İ": "i"})

GREGORIAN_MONTHS: dict[str, tuple[str, ...]] = {
    "en": ("january jan", "february feb", "march mar", "april apr", "may",
           "june jun", "july jul", "august aug", "september sept sep", "october oct",
           "november nov", "december dec"),
    "fr": ("janvier janv", "février fevrier févr fevr", "mars", "avril avr", "mai", "juin",
           "juillet juil", "août aout", "septembre", "octobre", "novembre", "décembre decembre"),
    "ar": ("يناير كانون_الثاني كانون_ثاني", "فبراير شباط", "مارس آذار", "أبريل إبريل نيسان",
           "مايو أيار", "يونيو يونيه حزيران", "يوليو يوليه تموز", "أغسطس آب",
           "سبتمبر أيلول", "أكتوبر تشرين_الأول تشرين_أول", "نوفمبر تشرين_الثاني تشرين_ثاني",
           "ديسمبر كانون_الأول كانون_أول"),
    "fa": ("ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه ژوییه", "اوت",
           "سپتامبر", "اکتبر", "نوامبر", "دسامبر"),
    "tr": ("ocak", "şubat subat", "mart", "nisan", "mayıs mayis", "haziran", "temmuz",
           "ağustos agustos", "eylül eylul", "ekim", "kasım kasim", "aralık aralik"),
    "he": ("ינואר", "פברואר", "מרץ מרס", "אפריל", "מאי", "יוני", "יולי", "אוגוסט",
           "ספטמבר", "אוקטובר", "נובמבר", "דצמבר"),
}
SOLAR_HIJRI_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر",
                      "آبان", "آذر", "دی", "بهمن", "اسفند")
_LUNAR_HIJRI_MONTHS = ("محرم", "صفر", "ربيع الأول", "ربيع الثاني", "ربيع الآخر", "جمادى الأولى",
                       "جمادى الآخرة", "جمادى الثانية", "رجب", "شعبان", "رمضان", "شوال",
                       "ذو القعدة", "ذو الحجة")


def _fold(text: str) -> str:
    """Digits to ASCII, letter variants to one form, lower case: the form every table uses."""
    return _INVISIBLE.sub("", text.translate(_DIGITS)).translate(_LETTER_FOLD).casefold()


def _month_table() -> dict[str, tuple[int, bool]]:
    """Folded month name -> (month number, is Solar Hijri)."""
    table = {}
    for names in GREGORIAN_MONTHS.values():
        for number, variants in enumerate(names, start=1):
            for name in variants.split():
                table[_fold(name.replace("_", " "))] = (number, False)
    for number, name in enumerate(SOLAR_HIJRI_MONTHS, start=1):
        table[_fold(name)] = (number, True)
    return table


_MONTHS = _month_table()
# Hebrew writes "in November" as one word: בנובמבר.
_MONTH_RE = re.compile(r"\b(?:ב)?(%s)\b\.?" % "|".join(
    re.escape(name) for name in sorted(_MONTHS, key=len, reverse=True)))
# Tatweel is folded away, so the Hijri marker "هـ" is a lone "ه" here.
_LUNAR_RE = re.compile(r"\d{1,2}\s*(?:%s)\s*\d{3,4}\s*(?:ه\b|هجري)?|\d{1,4}[/-]\d{1,2}[/-]\d{1,4}"
                       r"\s*(?:ه\b|هجري)" % "|".join(_fold(m) for m in _LUNAR_HIJRI_MONTHS))
_ISO_RE = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:[t ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?"
                     r"\s*(z|[+-]\d\d(?::?\d\d)?)?)?")
_TIME_RE = re.compile(r"(?<![\d:])(\d{1,2})[:h](\d\d)(?::(\d\d)(?:[.,]\d+)?)?(?![\d:])(?:\s*"
                      r"(a\.?m\.?|p\.?m\.?|صباحا|مساء|ظهرا|عصرا|ص|م|ق\.?\s?ظ|ب\.?\s?ظ)(?!\w))?")
_PM_MARKERS = ("p", "مساء", "ظهرا", "عصرا", "م", "ب")
_NAMED_ZONES = {_fold(name): minutes for name, minutes in (
    ("بتوقيت مكة", 180), ("بتوقيت السعودية", 180), ("بتوقيت غرينتش", 0), ("بتوقيت جرينتش", 0),
    ("به وقت تهران", 210), ("irst", 210), ("trt", 180))}
_ZONE_RE = re.compile(r"\s*\(?(?:(?:\b(gmt|utc)\s*)?([+-])(\d{1,2})(?::?(\d\d))?\b|\b(gmt|utc)\b"
                      r"|\b(%s)\b)" % "|".join(_NAMED_ZONES))
_SEP = r"[\s,./()\-]*"
_MONTH_TOKEN = r"<(\d+)([gj])>"
_NAMED_DATE_RES = (  # (pattern, group order as day, month, calendar, year)
    (re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th|er)?{_SEP}(?:of\s+)?{_MONTH_TOKEN}{_SEP}"
                rf"(\d{{4}})(?!\d)"), (1, 2, 3, 4)),
    (re.compile(rf"{_MONTH_TOKEN}{_SEP}(\d{{1,2}})(?!\d)(?:st|nd|rd|th)?{_SEP}(\d{{4}})(?!\d)"),
     (3, 1, 2, 4)),
    (re.compile(rf"(?<!\d)(\d{{4}}){_SEP}{_MONTH_TOKEN}{_SEP}(\d{{1,2}})(?!\d)"), (4, 2, 3, 1)),
)
_REPEATED_MONTH_RE = re.compile(r"(<\d+[gj]>)(?:[\s/()\-,]*\1)+")
_YMD_RE = re.compile(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
_DMY_RE = re.compile(r"(?<!\d)(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?!\d)")


@dataclass(frozen=True)
class DateCandidate:
    """A date string found on a page, with where it was found (one of SOURCE_PRIORITY)."""

    kind: DateKind
    value: str
    source: str


def parse_date(value: str, default_tz: tzinfo | None = None) -> datetime | None:
    """Parse a date as written on a news page.

    Args:
        value: the text, e.g. "2026-11-25T10:30:00+03:00" or "الثلاثاء ٢٥ نوفمبر ٢٠٢٦ - ١٠:٣٠ م".
        default_tz: zone given to values that state none; they stay naive if this is None.

    Returns:
        The datetime (midnight for a date alone), or None when the value is not a full date
        (day, month and year), is ambiguous, or is a lunar Hijri date. Numeric dates are read
        day first ("05/11/2026" is 5 November) unless only month-first is valid. A numeric
        date with a year in 1300-1499 is read as Solar Hijri only when written with Persian
        digits or beside Persian letters; otherwise it is probably lunar Hijri and gives None.
    """
    if not value or not value.strip():
        return None
    jalali_hint = bool(_PERSIAN_DIGIT.search(value) or _PERSIAN_LETTER.search(value))
    text = " ".join(_fold(value).split())
    parsed = _parse_iso(text) or _parse_loose(text, jalali_hint)
    if parsed is not None and parsed.tzinfo is None and default_tz is not None:
        parsed = parsed.replace(tzinfo=default_tz)
    return parsed


def to_iso(dt: datetime | date, default_tz: tzinfo = timezone.utc) -> str:
    """ISO 8601 with seconds and offset ("2026-11-25T10:30:00+03:00"); naive -> default_tz."""
    if not isinstance(dt, datetime):
        dt = datetime(dt.year, dt.month, dt.day)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=default_tz)
    return dt.isoformat(timespec="seconds")


def pick_dates(candidates: list[DateCandidate], default_tz: tzinfo = timezone.utc,
               not_after: datetime | None = None,
               ) -> tuple[str | None, str | None, str | None]:
    """Choose the published and modified dates among candidates from several sources.

    Args:
        candidates: in any order; sources rank as in SOURCE_PRIORITY, unknown sources last.
        default_tz: zone for candidates that state none (the site's zone if known).
        not_after: dates later than this (the capture time) are skipped, published or
            modified: a page read at that time cannot have been written after it.

    Returns:
        (published ISO, modified ISO, source of the published date). Each is the first parseable
        candidate of its kind by source rank; a modified date earlier than the published one is
        skipped in favour of the next modified candidate.
    """
    ranked = sorted(candidates, key=_source_rank)
    published = _first_parsed(ranked, "published", default_tz, not_after=not_after)
    floor = published[0] if published else None
    modified = _first_parsed(ranked, "modified", default_tz, not_before=floor,
                             not_after=not_after)
    return (to_iso(published[0]) if published else None,
            to_iso(modified[0]) if modified else None,
            published[1] if published else None)


def jalali_to_gregorian(year: int, month: int, day: int) -> date:
    """Solar Hijri (Jalali) date to Gregorian, e.g. 1405-09-04 -> 2026-11-25.

    Counts leap years with the 33-year arithmetic cycle, anchored on Nowruz 1405 (21 March
    2026); checked against known dates from 1357 to 1405 SH. Raises ValueError for a day the
    month does not have.
    """
    length = 31 if month <= 6 else 30 if month <= 11 else 30 if _jalali_leap(year) else 29
    if not 1 <= month <= 12 or not 1 <= day <= length:
        raise ValueError(f"invalid Solar Hijri date {year}-{month}-{day}")
    offset = _jalali_day_number(year, month, day) - _jalali_day_number(1405, 1, 1)
    return _NOWRUZ_1405 + timedelta(days=offset)


_NOWRUZ_1405 = date(2026, 3, 21)


def _jalali_day_number(year: int, month: int, day: int) -> int:
    """Days since a fixed epoch; leap years counted by the 33-year cycle."""
    cycle_year = year + 1595
    days = 365 * cycle_year + cycle_year // 33 * 8 + (cycle_year % 33 + 3) // 4
    return days + (month - 1) * 31 - max(0, month - 7) + day


def _jalali_leap(year: int) -> bool:
    """True if Esfand of `year` has 30 days."""
    return _jalali_day_number(year + 1, 1, 1) - _jalali_day_number(year, 1, 1) == 366


def _source_rank(candidate: DateCandidate) -> int:
    """Position of the candidate's source in SOURCE_PRIORITY."""
    try:
        return SOURCE_PRIORITY.index(candidate.source)
    except ValueError:
        return len(SOURCE_PRIORITY)


def _first_parsed(ranked: list[DateCandidate], kind: str, default_tz: tzinfo,
                  not_before: datetime | None = None, not_after: datetime | None = None,
                  ) -> tuple[datetime, str] | None:
    """First candidate of `kind` that parses and lies within the bounds, with its source."""
    for candidate in ranked:
        if candidate.kind != kind:
            continue
        parsed = parse_date(candidate.value, default_tz)
        if parsed is None or (not_before is not None and parsed < not_before):
            continue
        if not_after is not None and _aware(parsed) > not_after:
            continue
        return parsed, candidate.source
    return None


def _aware(moment: datetime) -> datetime:
    """parse_date gives naive values only without a default zone: read them as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _parse_iso(text: str) -> datetime | None:
    """Strict ISO 8601 (extended format), with or without time, fraction and offset."""
    match = _ISO_RE.fullmatch(text)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                        int(second or 0), micro, tzinfo=_zone(zone) if zone else None)
    except ValueError:
        return None


def _zone(text: str) -> timezone:
    """"z", "+03", "+0300" or "+03:00" as a timezone."""
    if text == "z":
        return timezone.utc
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:] or 0)
    return timezone(timedelta(minutes=-minutes if text[0] == "-" else minutes))


def _parse_loose(text: str, jalali_hint: bool) -> datetime | None:
    """Date with optional time anywhere in free text (RFC 2822, month names, numeric)."""
    text = _LUNAR_RE.sub(" ", text)
    clock, zone, text = _take_time(text)
    found = _find_date(text, jalali_hint)
    if found is None:
        return None
    return datetime.combine(found, clock or time()).replace(tzinfo=zone)


def _take_time(text: str) -> tuple[time | None, tzinfo | None, str]:
    """Remove the first time of day (and a zone after it) from text; return both and the rest."""
    match = _TIME_RE.search(text)
    if not match:
        return None, None, text
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    marker = match[4]
    if marker and hour <= 12:
        hour = hour % 12 + (12 if marker.startswith(_PM_MARKERS) else 0)
    rest = text[match.end():]
    zone_match = _ZONE_RE.match(rest)
    zone = _zone_from_match(zone_match) if zone_match else None
    if zone_match:
        rest = rest[:zone_match.start()] + " " + rest[zone_match.end():]
    try:
        clock = time(hour, minute, second)
    except ValueError:
        return None, None, text
    return clock, zone, text[:match.start()] + " " + rest


def _zone_from_match(match: re.Match[str]) -> tzinfo | None:
    """Timezone from a _ZONE_RE match, None when out of range."""
    sign, hours, minutes, bare, named = match[2], match[3], match[4], match[5], match[6]
    if named:
        return timezone(timedelta(minutes=_NAMED_ZONES[named]))
    if bare:
        return timezone.utc
    offset = int(hours) * 60 + int(minutes or 0)
    if offset > 14 * 60:
        return None
    return timezone(timedelta(minutes=-offset if sign == "-" else offset))


def _find_date(text: str, jalali_hint: bool) -> date | None:
    """The first day-month-year in text, named month or numeric."""
    months = {_MONTHS[m[1]] for m in _MONTH_RE.finditer(text)}
    if len(months) > 1:
        return None  # "25 تشرين الثاني/نوفمبر" names one month twice; two months is ambiguous
    if months:
        marked = _REPEATED_MONTH_RE.sub(r"\1", _MONTH_RE.sub(
            lambda m: "<%d%s>" % _month_token(m[1]), text))
        for pattern, order in _NAMED_DATE_RES:
            match = pattern.search(marked)
            if match:
                day, month, calendar, year = (match[i] for i in order)
                return _make_date(int(year), int(month), int(day), calendar == "j")
        return None
    return _find_numeric_date(text, jalali_hint)


def _month_token(name: str) -> tuple[int, str]:
    """Month number and calendar letter (g Gregorian, j Jalali) of a matched month name."""
    number, jalali = _MONTHS[name]
    return number, "j" if jalali else "g"


def _find_numeric_date(text: str, jalali_hint: bool) -> date | None:
    """Y-M-D, or D/M/Y (M/D/Y when the middle number cannot be a month)."""
    match = _YMD_RE.search(text)
    if match:
        year, month, day = int(match[1]), int(match[3]), int(match[4])
        return _make_date(year, month, day, jalali_hint and 1300 <= year < 1500)
    match = _DMY_RE.search(text)
    if not match:
        return None
    day, month, year = int(match[1]), int(match[3]), int(match[4])
    if month > 12 >= day:
        day, month = month, day
    return _make_date(year, month, day, jalali_hint and 1300 <= year < 1500)


def _make_date(year: int, month: int, day: int, jalali: bool) -> date | None:
    """A Gregorian date in a plausible range for news, converting Solar Hijri; None if invalid."""
    try:
        made = jalali_to_gregorian(year, month, day) if jalali else date(year, month, day)
    except ValueError:
        return None
    return made if 1800 <= made.year < 2200 else None
