"""Bylines: turn what a page says about its authors into a clean list of names.

A byline arrives as a JSON-LD ``author`` value, a ``<meta name="author">`` or the string
trafilatura found in the page ("By A and B | Reuters | Published January 5, 2026"). What is not
a person's or an agency's name goes: "By"/"بقلم"/"نویسنده"/"מאת"/"Yazar" prefixes, roles,
e-mail addresses, datelines glued to the name ("John SmithBEIRUT", "Jane Doe, Beirut"), and
date or verb fragments ("Published January", "Updated Dec", "Son Güncelleme") that some
templates put in the same element as the name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from scraper.extract.dates import parse_date

# Agencies credited after a byline; compared after _agency_key() (case, dots and spaces removed).
AGENCIES = frozenset((
    "reuters", "afp", "ap", "associated press", "the associated press", "agence france-presse",
    "agence france presse", "anadolu", "anadolu agency", "anadolu ajansı", "aa", "dpa", "xinhua",
    "efe", "ansa", "upi", "bloomberg", "wam", "spa", "kuna", "qna", "mena", "irna", "isna",
    "tasnim", "sana", "wafa", "agencies", "news agencies", "wires", "iha", "dha", "anka",
    "رويترز", "أ ف ب", "فرانس برس",
    "وكالة فرانس برس", "أسوشيتد برس", "الأناضول", "وكالة الأناضول", "د ب أ", "شينخوا", "وام",
    "واس", "كونا", "قنا", "سانا", "وفا", "إرنا", "وكالات", "وكالات الأنباء", "ایرنا", "ایسنا",
    "تسنیم", "رويترز/أ ف ب", "רויטרס", "סוכנויות הידיעות",
))
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:written|reported|words|story|text|(?:additional\s+)?reporting)\s+by|by|par|von"
    r"|por|yazar|yazan|muhabir|hazırlayan|بقلم|كتبت?|كتبه|إعداد|اعداد|تقرير|نویسنده"
    r"|خبرنگار|گزارش|מאת|כתב(?:ה|ת)?)(?!\w)\s*[:：\-–—]?\s*", re.IGNORECASE)
_ROLE_WORDS = (r"(?:writer|reporter|correspondent|contributor|editor|columnist|muhabiri?"
               r"|مراسلة?|محررة?|خبرنگار|כתב(?:ת)?)")
_ROLE_TRAILER = re.compile(
    r"\s*[,|\-–—]\s*(?:(?:senior|chief|special|foreign|staff)\s+)?" + _ROLE_WORDS + r"\b.*$",
    re.IGNORECASE)
_ROLE_ONLY = re.compile(r"^(?:(?:senior|chief|special|foreign|staff)\s+)?(?:writer|reporter|"
                        r"correspondent|contributor|editor|columnist)s?$", re.IGNORECASE)
# Editors, photographers and translators are credited in bylines but are not authors.
_NON_AUTHOR_CREDIT = re.compile(
    r"^(?:edit(?:ed|ing)|photos?|photographs?|graphics|translat(?:ed|ion))\s+by\b", re.IGNORECASE)
_NOISE = re.compile(r"\S+@\S+\.\w+|https?://\S+|www\.\S+|(?<!\w)@\w+")
# Words that start a date or time stamp: from there on the byline is no name.
_STAMP_WORDS = (
    r"published|updated|update|posted|modified|last\s+updated|first\s+published|created|on"
    r"|at|yayınlanma|yayınlandı|güncelleme|güncellendi|son\s+güncelleme|tarih|نشر|تم\s+النشر"
    r"|تاريخ\s+النشر|آخر\s+تحديث|تحديث|محدث|منتشر\s+شده|تاریخ|به‌روزرسانی|انتشار|פורסם|עודכן"
    r"|עדכון")
_STAMP = re.compile(r"(?:^|(?<=\s))(?:" + _STAMP_WORDS + r")(?:\s*:)?(?=\s|$|\d)", re.IGNORECASE)
_GLUED_STAMP = re.compile(r"(?<=[a-z])(?=(?:Published|Updated|Posted|Modified)(?![a-z]))")
_MONTH_OR_DAY = re.compile(
    r"^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:sday)?"
    r"|wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|today|yesterday"
    r"|ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık)\.?$",
    re.IGNORECASE)
# An all-capitals dateline glued to a name: "John SmithBEIRUT" (no space in the markup).
_GLUED_DATELINE = re.compile(r"(?<=[a-zà-ÿğışç])[A-ZÀ-ÞĞİŞÇ]{3,}(?![^\W\d_]).*$")
_DATELINE_TAIL = re.compile(r"\s*[-–—,]\s*[A-ZÀ-ÞĞİŞÇ]{3,}(?:\s+[A-ZÀ-ÞĞİŞÇ]{3,})?$")
_IN_PLACE = re.compile(r"\s+(?:in|from|en|à|في|من)\s+\S+(?:\s+\S+)?$")
# Arabic and Persian "و" (and) split only as a word of their own: attached they may begin a
# name (وليد, وائل). Hebrew "ו" is always attached, so it splits only between full names.
_SEPARATORS = re.compile(r"\s*[;،|•·]\s*|\s+(?:and|&|و|et|ve|und|y)\s+", re.IGNORECASE)
_HEBREW_AND = re.compile(r"(?<=[\u05d0-\u05ea])\s+ו(?=[\u05d0-\u05ea]{2,})")
_AGENCY_CREDIT = re.compile(r"^\((.+)\)$|^(.+?)\s*\((.+)\)$")
_EDGE_PUNCT = " \t-–—|,:;/[]\"'“”«»"
_MAX_NAME_WORDS = 6


def normalize_authors(raw: str | list[Any] | dict[str, Any] | None) -> list[str]:
    """Turn a byline or JSON-LD author value into a clean list of names.

    Args:
        raw: "A; B" (trafilatura), a JSON-LD author (string, {"name": ...}, or a list of
            either), or None.

    Returns:
        Names in order, deduplicated case-insensitively. "By"/"بقلم"/"كتب:"/"Yazar:" prefixes,
        e-mail addresses, URLs, @handles, date stamps and datelines are removed. An agency
        credit ("| Reuters", "- AFP", "(AP)", ", Reuters") or a role ("Staff Writer") is
        dropped when a name precedes it, and kept when it is the whole byline; staff bylines
        ("Al Jazeera Staff") are names.
    """
    names: list[str] = []
    seen: set[str] = set()
    for byline in _bylines(raw):
        for name in _names_in(byline):
            if name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
    return names


def _bylines(raw: Any) -> Iterable[str]:
    """Strings found in a byline value, flattening JSON-LD lists and objects."""
    if isinstance(raw, str):
        yield raw
    elif isinstance(raw, dict):
        yield from _bylines(raw.get("name"))
    elif isinstance(raw, (list, tuple)):
        for item in raw:
            yield from _bylines(item)


def _names_in(byline: str) -> list[str]:
    """The names one byline string holds, agency and role credits removed after a name."""
    text = " ".join(_NOISE.sub(" ", unicodedata.normalize("NFC", byline)).split())
    text = _cut_stamp(_GLUED_DATELINE.sub("", _GLUED_STAMP.sub(" ", text)))
    parts = [_clean_part(p) for p in _split_byline(_strip_prefix(text))]
    parts = [p for p in parts if _plausible(p)]
    people = [p for p in parts if not _is_agency(p) and not _ROLE_ONLY.match(p)]
    return people or parts


def _plausible(part: str) -> bool:
    """Enough letters, not too many words, no credit of a non-author, no date left over."""
    words = part.split()
    return (sum(c.isalpha() for c in part) >= 2 and len(words) <= _MAX_NAME_WORDS
            and not _NON_AUTHOR_CREDIT.match(part) and not all(map(_MONTH_OR_DAY.match, words))
            and not any(c.isdigit() for c in part) and parse_date(part) is None)


def _cut_stamp(text: str) -> str:
    """The byline up to the first date or time stamp ("Jane Doe Published Jan 5" -> "Jane Doe")."""
    match = _STAMP.search(text)
    return text[:match.start()] if match else text


def _split_byline(text: str) -> list[str]:
    """Split on ; ، | and "and" words; on commas only between full names or credits."""
    parts = []
    for chunk in _SEPARATORS.split(text):
        for piece in _split_hebrew_and(chunk):
            parts.extend(_split_commas(piece))
    return parts


def _split_hebrew_and(chunk: str) -> list[str]:
    """"יוסי כהן ודנה לוי": split at an attached ו only when both sides are full names."""
    pieces = _HEBREW_AND.split(chunk)
    if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces):
        return pieces
    return [chunk]


def _split_commas(chunk: str) -> list[str]:
    pieces = [p.strip() for p in re.split(r"[,،]", chunk)]
    if len(pieces) > 1 and all(_is_full_name_or_credit(p) for p in pieces):
        return pieces
    if len(pieces) == 2 and len(pieces[0].split()) >= 2 and _is_place(pieces[1]):
        return [pieces[0]]  # "Jane Doe, Beirut": the dateline is no name
    return [chunk]


def _is_place(piece: str) -> bool:
    """One capitalized word (or two) after a full name: a dateline."""
    words = piece.split()
    return 1 <= len(words) <= 2 and all(w[:1].isupper() for w in words) and not _is_agency(piece)


def _is_full_name_or_credit(piece: str) -> bool:
    """Two or more words, or an agency/role: what a comma between names separates."""
    return len(piece.split()) >= 2 or _is_agency(piece) or bool(_ROLE_ONLY.match(piece))


def _clean_part(part: str) -> str:
    """One name without prefix, role trailer, credits, dateline and edge punctuation."""
    part = _ROLE_TRAILER.sub("", _strip_prefix(part.strip(_EDGE_PUNCT)))
    credit = _AGENCY_CREDIT.match(part)
    if credit and credit[1]:
        part = credit[1]
    elif credit and _is_agency(credit[3]):
        part = credit[2]
    for separator in (" - ", " – ", " — ", "/", ","):
        head, _, tail = part.rpartition(separator)
        if head.strip() and (_is_agency(tail) or _is_place_after(head, tail)):
            part = head
    if len(part.split()) > 2:
        part = _DATELINE_TAIL.sub("", _IN_PLACE.sub("", part))
    part = part.strip(_EDGE_PUNCT)
    return part if part.count("(") == part.count(")") else part.strip(_EDGE_PUNCT + "()")


def _is_place_after(head: str, tail: str) -> bool:
    """"أحمد علي - بيروت": one word after a full name and a dash is a place."""
    return len(head.split()) >= 2 and len(tail.split()) == 1


def _strip_prefix(text: str) -> str:
    """Remove "By", "بقلم", "كتب:", "Yazar:" and the like from the start."""
    return _BYLINE_PREFIX.sub("", text.strip())


def _is_agency(name: str) -> bool:
    """True if the name is a news agency or the generic "agencies"."""
    return _agency_key(name) in _AGENCY_KEYS


def _agency_key(name: str) -> str:
    """Case, dots, spaces and hamza forms folded away: "A.F.P", "أ ف ب" and "ا.ف.ب" match."""
    folded = name.casefold().translate(str.maketrans("أإآ", "ااا"))
    return re.sub(r"[\s.]", "", folded)


_AGENCY_KEYS = frozenset(_agency_key(a) for a in AGENCIES)
