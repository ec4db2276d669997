"""The article's title: the headline, never the site's name, without the site-name tail.

Pages put their name in ``<title>`` and ``og:title`` in every form: "Headline | Site",
"Headline - Site", "Site - Headline", "Site | Section", or the site's name alone (home pages and
some templates). The headline proper is in JSON-LD ``headline`` and the page's ``<h1>``. Site
names are what the page declares (``og:site_name``, ``application-name``, JSON-LD publisher),
the site definition's title, and the URL's host.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_SEPARATOR = re.compile(r"\s+[|\-–—:•·«»/]{1,2}\s+|\s*[|｜]\s*|(?<=\w):\s+")
_FOLD = re.compile(r"[\W_]+")
# What follows a site's name in its editions' names ("Al Jazeera English", "Daily Sabah News").
_EDITION_WORDS = frozenset(("english", "arabic", "online", "news", "newspaper", "tv", "net",
                            "türkçe", "turkce", "العربية", "نت", "اونلاين", "فارسی"))
#: A segment this short next to the site's name is a section ("Economy | Site"), not a headline.
SECTION_WORDS = 3


@dataclass(frozen=True)
class TitleCandidate:
    value: str | None
    source: str  # "json-ld", "og:title", "html-title", "h1", "trafilatura"


def pick_title(candidates: Iterable[TitleCandidate], site_names: Iterable[str],
               ) -> tuple[str | None, str | None]:
    """The best title and where it came from.

    Args:
        candidates: in order of preference.
        site_names: names the site goes by (any case and spacing).

    Returns:
        (title, source): the first candidate that is not the bare site name nor the site name
        plus a section, with a site-name tail or head removed; (None, None) when none is left.
    """
    names = {_fold(n) for n in site_names if n and len(_fold(n)) >= 2}
    listed = [(" ".join(c.value.split()), c.source) for c in candidates if c.value
              and c.value.strip()]
    headlines = {_fold(v) for v, s in listed if s in ("json-ld", "h1")}
    for value, source in listed:
        cleaned = strip_site_name(value, names)
        if cleaned is None or _is_section_only(value, cleaned, names, headlines):
            continue
        return cleaned, source
    return None, None


def strip_site_name(title: str, folded_names: set[str]) -> str | None:
    """The title without site-name segments at either end; None if nothing else is left."""
    segments = _SEPARATOR.split(title)
    if len(segments) == 1:
        return None if _is_site_name(title, folded_names) else title
    # After the site's name comes its tagline ("- Site - Slogan - שם"): cut from the name on.
    named = [i for i, segment in enumerate(segments) if _is_site_name(segment, folded_names)]
    kept = segments[:named[0]] if named and named[0] > 0 else list(segments)
    while kept and _is_site_name(kept[0], folded_names):
        kept.pop(0)
    if not kept:
        return None
    if len(kept) == len(segments):
        return title
    start = title.find(kept[0])
    end = title.rfind(kept[-1]) + len(kept[-1])
    return title[start:end].strip() if start >= 0 and end > start else " ".join(kept)


def _is_site_name(segment: str, folded_names: set[str]) -> bool:
    folded = _fold(segment)
    if not folded:
        return True  # a separator's leftovers
    return any(folded == name or (len(name) >= 4 and folded.startswith(name)
                                  and (len(folded) - len(name) <= 3
                                       or folded[len(name):] in _EDITION_WORDS))
               for name in folded_names)


def _is_section_only(value: str, cleaned: str, names: set[str], headlines: set[str]) -> bool:
    """"Site | Economy": a site name was removed and a word or three is all that is left."""
    if cleaned == value or _fold(cleaned) in headlines:
        return False
    return len(cleaned.split()) <= SECTION_WORDS


def host_names(host: str) -> list[str]:
    """Names a host stands for: "www.aa.com.tr" -> ["aa", "aa.com.tr"]."""
    labels = [label for label in host.lower().split(".") if label not in ("www", "m", "amp")]
    whole = ".".join(labels)
    while len(labels) > 1 and (labels[-1] in _SUFFIX_LABELS or len(labels[-1]) <= 2):
        labels.pop()
    return [labels[-1], whole] if labels else [whole]


_SUFFIX_LABELS = frozenset(("com", "co", "org", "net", "gov", "ac", "edu", "info", "news",
                            "test", "example", "local"))


def _fold(text: str) -> str:
    """Case, spaces and punctuation folded away: "Al Jazeera" and "ALJAZEERA" match."""
    return _FOLD.sub("", text.casefold())
