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

# The markers are lower case and searched in the lower-cased head: a case-insensitive search
# of 64 KiB cost ~1.7 ms per pattern per page, the same search of lowered bytes ~0.4 ms.

#: Markers only challenge and wall pages carry, at any size.
_STRONG = re.compile(
    rb"<title>\s*(?:just a moment\.\.\.|attention required! \| cloudflare|"
    rb"access denied \| [^<]{0,80} used cloudflare|ddos-guard|"
    rb"access denied - sucuri website firewall)\s*</title>|"
    rb"_cf_chl_opt|/cdn-cgi/challenge-platform/h/|cf-browser-verification|"
    rb"geo\.captcha-delivery\.com|captcha\.px-cdn\.net|px-captcha|"
    rb"_incapsula_resource|incapsula incident id|"
    rb"<title>\s*(?:checking your browser|verifying you are human)[^<]{0,80}</title>")
#: Markers also found on real pages (Cloudflare injects its detection script into every page):
#: a sign only on a page with almost no text of its own.
_WEAK = re.compile(
    rb"/cdn-cgi/challenge-platform|enable javascript and cookies to continue|"
    rb"please (?:enable|turn on) (?:javascript|cookies)|checking (?:if the site connection is "
    rb"secure|your browser before accessing)|requires javascript to (?:run|be enabled)|"
    rb"<noscript>[^<]{0,200}(?:enable|activate) javascript")
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
    strong = _STRONG.search(lowered)
    if strong:
        marker = head[strong.start():strong.end()]
        return BlockSign("challenge", f"{status} page with {_quote(marker)}")
    weak = _WEAK.search(lowered)
    if weak and len(_visible(lowered)) < THIN_PAGE_CHARS:
        return BlockSign("wall", f"{status} page of little text with "
                                 f"{_quote(head[weak.start():weak.end()])}")
    server = headers.get("server", "").lower()
    if status in REFUSALS and (discovery or "cloudflare" in server or "akamai" in server):
        by = f" from {server}" if server else ""
        return BlockSign(f"http-{status}", f"{status}{by} on a "
                                           f"{'discovery URL' if discovery else 'page'}")
    return None


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
