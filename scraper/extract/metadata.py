"""Normalize article metadata: language, word count and text hash.

Dates live in `scraper.extract.dates` and bylines in `scraper.extract.bylines`; their public
names are re-exported here so that extraction code imports all metadata helpers from one module.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from scraper.extract.bylines import normalize_authors
from scraper.extract.dates import DateCandidate, parse_date, pick_dates, to_iso

__all__ = [
    "DateCandidate", "parse_date", "pick_dates", "to_iso",
    "normalize_authors", "detect_language", "declared_language", "word_count", "text_sha256",
]

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
    words = _WORD.findall(sample.casefold())
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


# Each script as what is NOT its letters: deleting runs of those leaves the script's letters,
# counted by length (in C, twice as fast as counting matches of the letter class).
_NOT_SCRIPT_LETTERS = {
    "arabic": re.compile("[^\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f"
                         "\ufb50-\ufdff\ufe70-\ufefc]+"),
    "hebrew": re.compile("[^\u05d0-\u05ea\ufb1d-\ufb4f]+"),
    "latin": re.compile("[^A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]+"),
}
_NOT_A_LETTER = re.compile(r"[\W\d_]+")
_WORD = re.compile(r"\w+")


def _script_counts(text: str) -> dict[str, int]:
    """Letters per script: arabic, hebrew, latin, other."""
    counts = {name: len(others.sub("", text)) for name, others in _NOT_SCRIPT_LETTERS.items()}
    counts["other"] = max(len(_NOT_A_LETTER.sub("", text)) - sum(counts.values()), 0)
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
# apostrophes, hyphens and Hebrew geresh/gershayim join the parts of one word. The underscore is
# \w but no letter: word_count turns it into a space first, so each part is one character class
# (twice as fast as the alternation ``[^\W_]|[marks]``, same counts).
_MARKS = "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200d"
_WORD_RE = re.compile(rf"[\w{_MARKS}]+(?:[\u200c'’\-\u05f3\u05f4][\w{_MARKS}]+)*")


def word_count(text: str) -> int:
    """Number of words: runs of Unicode letters and digits (Arabic, Hebrew, Persian included)."""
    return _WORD_RE.subn("", text.replace("_", " "))[1]


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the UTF-8 bytes of text after Unicode NFC normalization (nothing else)."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()
