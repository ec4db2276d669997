"""Tell a bot wall from a page: Cloudflare challenges, JavaScript and cookie walls, flat 403s.

A blocked site is not a broken one (its feeds and patterns may be right; it refuses us), and a
challenge page is never an article, even when it answers 200. The signs are read from the status,
the headers and the first bytes of the body, so the same function judges a live response during
a crawl and a stored one when a WARC is extracted again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

#: Bytes of the body looked at; challenge pages are small and say what they are early.
SNIFF_BYTES = 65536
#: Statuses that mean "not for you" when a home page, feed or sitemap answers with them.
REFUSALS = (401, 403, 429, 503)

# The markers are lower case and searched in the lower-cased head. Literal markers are found
# with ``bytes.find`` (memchr-fast); only the <title> and <noscript> markers need a pattern,
# and it is run on those elements alone. One regex alternation over 64 KiB cost ~0.35 ms.

#: Markers only challenge and wall pages carry, at any size.
_STRONG_LITERALS = (
    b"_cf_chl_opt", b"/cdn-cgi/challenge-platform/h/", b"cf-browser-verification",
    b"geo.captcha-delivery.com", b"captcha.px-cdn.net", b"px-captcha", b"_incapsula_resource",
    b"incapsula incident id")
_STRONG_TITLE = re.compile(
    rb"<title>\s*(?:just a moment\.\.\.|attention required! \| cloudflare|"
    rb"access denied \| [^<]{0,80} used cloudflare|ddos-guard|"
    rb"access denied - sucuri website firewall)\s*</title>|"
    rb"<title>\s*(?:checking your browser|verifying you are human)[^<]{0,80}</title>")
#: Markers also found on real pages (Cloudflare injects its detection script into every page):
#: a sign only on a page with almost no text of its own.
_WEAK_LITERALS = (
    b"/cdn-cgi/challenge-platform", b"enable javascript and cookies to continue",
    b"please enable javascript", b"please enable cookies", b"please turn on javascript",
    b"please turn on cookies", b"checking if the site connection is secure",
    b"checking your browser before accessing", b"requires javascript to run",
    b"requires javascript to be enabled")
_WEAK_NOSCRIPT = re.compile(rb"<noscript>[^<]{0,200}(?:enable|activate) javascript")
#: How much of the page after "<title>" or "<noscript>" a marker pattern may span.
_ELEMENT_SPAN = 320
_TAGS = re.compile(rb"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.DOTALL | re.I)
#: Visible characters under which a page with a weak marker is a wall, not content.
THIN_PAGE_CHARS = 1500


@dataclass(frozen=True)
class BlockSign:
    """Why a response is a block: ``reason`` is a short key, ``evidence`` what was seen."""

    reason: str
    evidence: str

    def __str__(self) -> str:
        return f"{self.reason} ({self.evidence})"


def block_sign(status: int, headers: Mapping[str, str], body: bytes,
               discovery: bool = False) -> BlockSign | None:
    """The sign that a response is a challenge or wall page, None when it looks like content.

    Args:
        status: HTTP status.
        headers: response headers, names in lower case.
        body: the (decoded) payload; only the first SNIFF_BYTES are read.
        discovery: the URL is a home page, feed or sitemap, where a refusal status alone is a
            block (an article's 403 may be a paywall or a removed page).
    """
    mitigated = headers.get("cf-mitigated", "").strip().lower()
    if mitigated:
        return BlockSign("cf-mitigated", f"{status} with cf-mitigated: {mitigated}")
    head = body[:SNIFF_BYTES]
    lowered = head.lower()  # ASCII only: offsets and lengths stay those of ``head``
    strong = _first_marker(lowered, _STRONG_LITERALS, b"<title>", _STRONG_TITLE)
    if strong:
        return BlockSign("challenge", f"{status} page with {_quote(head[slice(*strong)])}")
    weak = _first_marker(lowered, _WEAK_LITERALS, b"<noscript>", _WEAK_NOSCRIPT)
    if weak and len(_visible(lowered)) < THIN_PAGE_CHARS:
        return BlockSign("wall", f"{status} page of little text with "
                                 f"{_quote(head[slice(*weak)])}")
    server = headers.get("server", "").lower()
    if status in REFUSALS and (discovery or "cloudflare" in server or "akamai" in server):
        by = f" from {server}" if server else ""
        return BlockSign(f"http-{status}", f"{status}{by} on a "
                                           f"{'discovery URL' if discovery else 'page'}")
    return None


def _first_marker(lowered: bytes, literals: tuple[bytes, ...], element: bytes,
                  pattern: re.Pattern[bytes]) -> tuple[int, int] | None:
    """Start and end of the earliest marker: a literal, or ``pattern`` matched at an
    occurrence of ``element``; None when there is none."""
    found: list[tuple[int, int]] = []
    for literal in literals:
        at = lowered.find(literal)
        if at >= 0:
            found.append((at, at + len(literal)))
    at = lowered.find(element)
    while at >= 0:
        match = pattern.match(lowered, at, at + _ELEMENT_SPAN)
        if match:
            found.append(match.span())
            break
        at = lowered.find(element, at + 1)
    return min(found) if found else None


def _visible(head: bytes) -> bytes:
    return b" ".join(_TAGS.sub(b" ", head).split())


def _quote(marker: bytes) -> str:
    text = " ".join(marker.decode("latin-1").split())
    return f'"{text[:80]}"'


def stored_block_sign(status: int, headers: Mapping[str, str], payload: bytes,
                      discovery: bool = False) -> BlockSign | None:
    """:func:`block_sign` of a payload as stored (still Content-Encoded) in a WARC."""
    from scraper.errors import ScraperError
    from scraper.extract.decoding import decode_content

    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        body = decode_content(payload[:4 * SNIFF_BYTES], lowered.get("content-encoding"))
    except ScraperError:
        body = payload  # an undecodable body is the extractor's to report, not a wall
    return block_sign(status, lowered, body, discovery)
