"""Say what in a robots.txt the parser may not read as its author meant (a typo, a stray line).

RFC 9309 defines user-agent, allow and disallow; sitemap, crawl-delay and a few others are
common extensions. Parsers treat unknown lines differently (Protego accepts some misspellings,
others ignore them), so a ``Disalow: /`` either blocks the whole site or nothing: the crawl
says which line it was and goes on with the parser's reading.
"""

from __future__ import annotations

import difflib

KNOWN_DIRECTIVES = ("user-agent", "allow", "disallow", "sitemap", "crawl-delay", "host",
                    "request-rate", "visit-time", "clean-param", "noindex")
#: At most this many lines are quoted per robots.txt.
MAX_WARNINGS = 5


def robots_warnings(body: bytes) -> list[str]:
    """One message per line that is not ``directive: value`` with a known directive."""
    warnings = []
    text = body.decode("utf-8", errors="replace")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, _ = line.partition(":")
        name = name.strip().lower()
        if sep and name in KNOWN_DIRECTIVES:
            continue
        close = difflib.get_close_matches(name, KNOWN_DIRECTIVES, n=1, cutoff=0.75)
        hint = f" (did you mean {close[0].title()}?)" if close else ""
        what = f"unknown directive {name!r}" if sep else "not a 'name: value' line"
        warnings.append(f"line {number}: {what}{hint}: {raw.strip()[:60]!r}")
        if len(warnings) == MAX_WARNINGS:
            break
    return warnings
