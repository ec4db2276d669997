"""Normalize article metadata: authors, language, word count and text hash.

Dates live in `scraper.extract.dates`; their public names are re-exported here so that
extraction code imports all metadata helpers from one module.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from scraper.extract.dates import DateCandidate, parse_date, pick_dates, to_iso

__all__ = [
    "DateCandidate", "parse_date", "pick_dates", "to_iso",
    "normalize_authors", "detect_language", "declared_language", "word_count", "text_sha256",
]

# --- Authors ---------------------------------------------------------------------------------

# Agencies credited after a byline; compared after _agency_key() (case, dots and spaces removed).
AGENCIES = frozenset((
    "reuters", "afp", "ap", "associated press", "the associated press", "agence france-presse",
    "agence france presse", "anadolu", "anadolu agency", "anadolu ajansı", "aa", "dpa", "xinhua",
    "efe", "ansa", "upi", "bloomberg", "wam", "spa", "kuna", "qna", "mena", "irna", "isna",
    "tasnim", "sana", "wafa", "agencies", "news agencies", "wires", "رويترز", "أ ف ب", "فرانس برس",
    "وكالة فرانس برس", "أسوشيتد برس", "الأناضول", "وكالة الأناضول", "د ب أ", "شينخوا", "وام",
    "واس", "كونا", "قنا", "سانا", "وفا", "إرنا", "وكالات", "وكالات الأنباء", "ایرنا", "ایسنا",
    "تسنیم", "רויטרס", "סוכנויות הידיעות",
))
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:written|reported|words|story|(?:additional\s+)?reporting)\s+by|by|par"
    r"|بقلم|كتبت?|كتبه|إعداد|اعداد|نویسنده|מאת)(?!\w)\s*[:：\-–—]?\s*", re.IGNORECASE)
_ROLE_TRAILER = re.compile(
    r"\s*[,|\-–—]\s*(?:(?:senior|chief|special|foreign|staff)\s+)?"
    r"(?:writer|reporter|correspondent|contributor|editor|columnist|مراسلة?|محررة?)\b.*$",
    re.IGNORECASE)
_ROLE_ONLY = re.compile(r"^(?:(?:senior|chief|special|foreign|staff)\s+)?(?:writer|reporter|"
                        r"correspondent|contributor|editor|columnist)s?$", re.IGNORECASE)
# Editors, photographers and translators are credited in bylines but are not authors.
_NON_AUTHOR_CREDIT = re.compile(
    r"^(?:edit(?:ed|ing)|photos?|photographs?|graphics|translat(?:ed|ion))\s+by\b", re.IGNORECASE)
_NOISE = re.compile(r"\S+@\S+\.\w+|https?://\S+|www\.\S+|(?<!\w)@\w+")
# Arabic "و" (and) splits only as a word of its own: attached it may begin a name (وليد, وائل).
_SEPARATORS = re.compile(r"\s*[;،|]\s*|\s+(?:and|&|و|et|ve)\s+", re.IGNORECASE)
_AGENCY_CREDIT = re.compile(r"^\((.+)\)$|^(.+?)\s*\((.+)\)$")
_EDGE_PUNCT = " \t-–—|,:;/[]\"'“”«»"
_MAX_NAME_WORDS = 8


def normalize_authors(raw: str | list[Any] | dict[str, Any] | None) -> list[str]:
    """Turn a byline or JSON-LD author value into a clean list of names.

    Args:
        raw: "A; B" (trafilatura), a JSON-LD author (string, {"name": ...}, or a list of
            either), or None.

    Returns:
        Names in order, deduplicated case-insensitively. "By"/"بقلم"/"كتب:" prefixes, e-mail
        addresses, URLs and @handles are removed. An agency credit ("| Reuters", "- AFP",
        "(AP)", ", Reuters") or a role ("Staff Writer") is dropped when a name precedes it,
        and kept when it is the whole byline; staff bylines ("Al Jazeera Staff") are names.
    """
    names: list[str] = []
    seen: set[str] = set()
    for byline in _bylines(raw):
        for name in _names_in(byline):
            if parse_date(name) is not None:  # "Name , Monday 23 Nov 2026": the date is no author
                continue
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
    parts = [_clean_part(p) for p in _split_byline(_strip_prefix(text))]
    parts = [p for p in parts if sum(c.isalpha() for c in p) >= 2
             and len(p.split()) <= _MAX_NAME_WORDS and not _NON_AUTHOR_CREDIT.match(p)]
    people = [p for p in parts if not _is_agency(p) and not _ROLE_ONLY.match(p)]
    return people or parts


def _split_byline(text: str) -> list[str]:
    """Split on ; ، | and "and" words; on commas only between full names or credits."""
    parts = []
    for chunk in _SEPARATORS.split(text):
        pieces = [p.strip() for p in chunk.split(",")]
        if len(pieces) > 1 and all(_is_full_name_or_credit(p) for p in pieces):
            parts.extend(pieces)
        else:
            parts.append(chunk)
    return parts


def _is_full_name_or_credit(piece: str) -> bool:
    """Two or more words, or an agency/role: what a comma between names separates."""
    return len(piece.split()) >= 2 or _is_agency(piece) or bool(_ROLE_ONLY.match(piece))


def _clean_part(part: str) -> str:
    """One name without prefix, role trailer, parenthesized credit and edge punctuation."""
    part = _ROLE_TRAILER.sub("", _strip_prefix(part.strip(_EDGE_PUNCT)))
    credit = _AGENCY_CREDIT.match(part)
    if credit and credit[1]:
        part = credit[1]
    elif credit and _is_agency(credit[3]):
        part = credit[2]
    for separator in (" - ", " – ", " — ", "/", ","):
        head, _, tail = part.rpartition(separator)
        if head.strip() and _is_agency(tail):
            part = head
    part = part.strip(_EDGE_PUNCT)
    return part if part.count("(") == part.count(")") else part.strip(_EDGE_PUNCT + "()")


def _strip_prefix(text: str) -> str:
    """Remove "By", "بقلم", "كتب:" and the like from the start."""
    return _BYLINE_PREFIX.sub("", text.strip())


def _is_agency(name: str) -> bool:
    """True if the name is a news agency or the generic "agencies"."""
    return _agency_key(name) in _AGENCY_KEYS


def _agency_key(name: str) -> str:
    """Case, dots, spaces and hamza forms folded away: "A.F.P", "أ ف ب" and "ا.ف.ب" match."""
    folded = name.casefold().translate(str.maketrans("أإآ", "ااا"))
    return re.sub(r"[\s.]", "", folded)


_AGENCY_KEYS = frozenset(_agency_key(a) for a in AGENCIES)

# --- Language --------------------------------------------------------------------------------

_STOPWORDS = {
    "ar": "في على إلى الى التي الذي هذا هذه عن كان قد لم لن أن إن ذلك كما بعد عند حيث بين منذ خلال",
    "fa": "در به از که این را با است می برای آن یک شده خود هم شد نیز کرد بود ها های",
    "en": "the of and to in is that for on with was as it by are from at this be have has said",
    "fr": "le la les des et est une un du dans pour qui sur pas au avec ce il elle sont par aux",
    "tr": "ve bir bu da için ile olarak çok daha gibi olan ama ne kadar sonra göre değil",
    "de": "der die und den das ist nicht mit sich des auf für ein eine dem im von zu wird auch",
    "es": "el los las del por con una para como más pero sus al está fue son",
}
_STOPWORD_SETS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS.items()}
_LATIN_LANGS = ("en", "fr", "tr", "de", "es")
_URDU_LETTERS = "ٹڈڑںےھہ"
# پ چ ژ گ never occur in Arabic and ة rarely in Persian, so they weigh double; ی/ک and ي/ك
# weigh once, as some sites type one language's forms for the other's.
_PERSIAN_LETTERS = "پچژگ"
_ARABIC_LETTERS = "ة"
_TURKISH_LETTERS = "ğışİ"
_MIN_LETTERS = 20
_SAMPLE_CHARS = 20_000
_LANG_ALIASES = {"iw": "he", "ji": "yi", "in": "id", "ara": "ar", "fas": "fa", "per": "fa",
                 "heb": "he", "tur": "tr", "eng": "en", "fra": "fr", "fre": "fr", "urd": "ur",
                 "deu": "de", "ger": "de", "spa": "es", "kur": "ku", "ckb": "ku", "kmr": "ku"}


def detect_language(text: str) -> str | None:
    """Guess the ISO 639-1 language of text from its script, letters and common words.

    Args:
        text: article text; only the first 20,000 characters are read.

    Returns:
        One of ar, fa, ur, he, en, fr, tr, de, es; None for fewer than 20 letters, another
        script, or Latin text with none of the common words of those languages.
    """
    sample = text[:_SAMPLE_CHARS]
    scripts = _script_counts(sample)
    if sum(scripts.values()) < _MIN_LETTERS:
        return None
    script = max(scripts, key=scripts.__getitem__)
    if script == "hebrew":
        return "he"
    words = re.findall(r"\w+", sample.casefold())
    if script == "arabic":
        return _arabic_script_language(sample, words, scripts["arabic"])
    if script == "latin":
        return _latin_language(sample, words)
    return None


def declared_language(html_lang: str | None, meta_lang: str | None) -> str | None:
    """ISO 639-1 code of `<html lang>`, else of the meta tag: "ar-SA" -> "ar", "en_US" -> "en"."""
    for value in (html_lang, meta_lang):
        code = _language_code(value)
        if code:
            return code
    return None


def _language_code(value: str | None) -> str | None:
    """Primary subtag of a language tag as ISO 639-1, None when absent or not a language."""
    if not value:
        return None
    primary = re.split(r"[-_]", value.split(",")[0].strip().casefold())[0]
    primary = _LANG_ALIASES.get(primary, primary)
    return primary if len(primary) == 2 and primary.isascii() and primary.isalpha() else None


_SCRIPT_LETTERS = {
    "arabic": re.compile("[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f"
                         "\ufb50-\ufdff\ufe70-\ufefc]"),
    "hebrew": re.compile("[\u05d0-\u05ea\ufb1d-\ufb4f]"),
    "latin": re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]"),
}
_ANY_LETTER = re.compile(r"[^\W\d_]")


def _script_counts(text: str) -> dict[str, int]:
    """Letters per script: arabic, hebrew, latin, other (counted by regex, in C)."""
    counts = {name: pattern.subn("", text)[1] for name, pattern in _SCRIPT_LETTERS.items()}
    counts["other"] = max(_ANY_LETTER.subn("", text)[1] - sum(counts.values()), 0)
    return counts


def _arabic_script_language(text: str, words: list[str], letters: int) -> str:
    """Arabic, Persian or Urdu: Urdu letters first, then Persian vs Arabic letters and words."""
    if _count(text, _URDU_LETTERS) > letters * 0.01:
        return "ur"
    persian = 2 * _count(text, _PERSIAN_LETTERS) + _count(text, "کی")
    arabic = 2 * _count(text, _ARABIC_LETTERS) + _count(text, "يكى")
    persian += 5 * _hits(words, "fa")
    arabic += 5 * _hits(words, "ar")
    return "fa" if persian > arabic else "ar"


def _latin_language(text: str, words: list[str]) -> str | None:
    """The Latin-script language whose common words occur most; Turkish letters count too."""
    scores = {lang: _hits(words, lang) for lang in _LATIN_LANGS}
    scores["tr"] += _count(text, _TURKISH_LETTERS)
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] > 0 else None


def _count(text: str, letters: str) -> int:
    """Occurrences in text of any of the letters."""
    return sum(text.count(letter) for letter in letters)


def _hits(words: list[str], lang: str) -> int:
    """How many words are common words of lang."""
    stopwords = _STOPWORD_SETS[lang]
    return sum(1 for w in words if w in stopwords)


# --- Text measures ---------------------------------------------------------------------------

# Combining marks (Arabic harakat, Hebrew points) are not \w in `re`, so they are added; ZWNJ,
# apostrophes, hyphens and Hebrew geresh/gershayim join the parts of one word.
_MARKS = "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200d"
_WORD_RE = re.compile(rf"(?:[^\W_]|[{_MARKS}])+(?:[\u200c'’\-\u05f3\u05f4](?:[^\W_]|[{_MARKS}])+)*")


def word_count(text: str) -> int:
    """Number of words: runs of Unicode letters and digits (Arabic, Hebrew, Persian included)."""
    return len(_WORD_RE.findall(text))


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the UTF-8 bytes of text after Unicode NFC normalization (nothing else)."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()
