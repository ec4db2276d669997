"""Fast link discovery for crawls: hrefs found with a regular expression, not a DOM.

Scrapy's LinkExtractor parses the page with lxml and canonicalizes every link; on a news page
with hundreds of navigation links that was 40% of the crawl's CPU time. Discovery does not need
a DOM: it needs the targets of <a>/<area> hrefs, resolved against the page (or its <base>), with
fragments, non-HTTP schemes and links to binary files dropped.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from scrapy.linkextractors import IGNORED_EXTENSIONS

_HREF = re.compile(
    rb"""<(?:a|area)\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.IGNORECASE)
_BASE = re.compile(rb"""<base\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""",
                   re.IGNORECASE)
_SKIPPED_SUFFIXES = tuple(f".{ext}" for ext in IGNORED_EXTENSIONS)
_NOT_PAGES = ("mailto:", "javascript:", "tel:", "data:", "#")


def extract_links(body: bytes, page_url: str, encoding: str = "utf-8") -> list[str]:
    """Absolute http(s) URLs of the page's links, without fragments, in order, deduplicated."""
    base = page_url
    found = _BASE.search(body, 0, 8192)
    if found:
        base = urljoin(page_url, _decode(next(g for g in found.groups() if g is not None),
                                         encoding))
    origin = "/".join(base.split("/", 3)[:3])  # scheme://host[:port]
    links: dict[str, None] = {}
    raw_seen: set[bytes] = set()
    for match in _HREF.finditer(body):
        raw = match.group(1) or match.group(2) or match.group(3) or b""
        if raw in raw_seen:
            continue
        raw_seen.add(raw)
        href = _decode(raw, encoding).strip()
        if not href or href.lower().startswith(_NOT_PAGES):
            continue
        url = _resolve(href, base, origin).split("#", 1)[0]
        if url.startswith(("http://", "https://")) and not _is_file(url):
            links[url] = None
    return list(links)


def _resolve(href: str, base: str, origin: str) -> str:
    """urljoin, with the two common cases (absolute, root-relative) done without parsing."""
    if href.startswith(("http://", "https://")) and "/." not in href:
        return href
    if href.startswith("/") and not href.startswith("//") and "/." not in href:
        return origin + href
    return urljoin(base, href)


def _is_file(url: str) -> bool:
    path = url.split("?", 1)[0].lower()
    return path.endswith(_SKIPPED_SUFFIXES) and path.count("/") > 2


def _decode(raw: bytes, encoding: str) -> str:
    text = raw.decode(encoding, errors="replace")
    return html.unescape(text) if "&" in text else text
