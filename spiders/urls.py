"""URL canonicalization before deduplication, and origin overrides for local mirrors."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Query parameters that only track where a reader came from; dropped before deduplication.
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "ocid", "cmpid",
    "icid", "ito", "at_medium", "at_campaign", "at_custom1", "at_custom2", "at_custom3",
    "at_custom4", "_ga", "igshid", "ref_src", "ncid", "sr_share", "traffic_source",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")


def canonical_url(url: str, drop: tuple[str, ...] = ()) -> str:
    """Lower-case scheme and host, no fragment, no tracking parameters (nor the site's own
    ``drop`` ones); the rest as it was."""
    parts = urlsplit(url.strip())
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if k.lower() not in TRACKING_PARAMETERS
            and k.lower() not in drop and not k.lower().startswith(TRACKING_PREFIXES)]
    query = parts.query if len(kept) == len(pairs) else urlencode(kept)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


#: A section segment: short, no digits, no dot, at most this many hyphens or underscores.
SECTION_MAX_HYPHENS = 2


def is_section_url(url: str) -> bool:
    """Whether a URL looks like a home or section page: ``/``, ``/world``, ``/news/gulf/``.

    Articles carry dates, ids, slugs or file names (``/2026/12/02/x/``, ``/p/12.html``,
    ``/news/budget``); sections do not, and two-level ones end in a slash. A guess from the URL
    alone, so it holds in every run and survives ``scraper reindex``; a wrong guess costs one
    page a run.
    """
    parts = urlsplit(url)
    if parts.query:
        return False
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > 2 or (len(segments) == 2 and not parts.path.endswith("/")):
        return False
    return all(len(s) <= 30 and "." not in s and not any(c.isdigit() for c in s)
               and s.count("-") + s.count("_") <= SECTION_MAX_HYPHENS for s in segments)


class OriginMap:
    """Maps a site's real origins to local mirrors (``SCRAPER_ORIGIN_OVERRIDES``), for tests.

    ``{"https://www.al-monitor.com": "http://127.0.0.1:8123"}`` sends every request for that
    origin to the mirror; the WARC then records the mirror's URLs, as it fetched them.
    """

    def __init__(self, overrides: dict[str, str] | None) -> None:
        pairs = {k.rstrip("/"): v.rstrip("/") for k, v in (overrides or {}).items()}
        # Longest first: an edition's path prefix (x.com/english) before its host (x.com).
        self.overrides = dict(sorted(pairs.items(), key=lambda pair: -len(pair[0])))

    def local(self, url: str) -> str:
        for real, mirror in self.overrides.items():
            if url == real or url.startswith(real + "/"):
                return mirror + url[len(real):]
        return url

    def reals(self, url: str) -> list[str]:
        """The real-origin URLs a mirror URL may stand for ([url] when not a mirror's)."""
        found = [real + url[len(mirror):] for real, mirror in self.overrides.items()
                 if url == mirror or url.startswith(mirror + "/")]
        return found or [url]


def mirror_overrides(domains: tuple[str, ...], source_urls: list[str], mirror: str
                     ) -> dict[str, str]:
    """SCRAPER_ORIGIN_OVERRIDES sending every origin of a site to one local mirror.

    A domain with a path prefix (``alaraby.co.uk/english``) maps only that prefix, keeping it
    (``mirror/english/...``): the rest of the host may be another site's mirror.
    """
    found = {"/".join(u.split("/", 3)[:3]): mirror for u in source_urls}
    for domain in domains:
        host, slash, prefix = domain.partition("/")
        tail = f"/{prefix.strip('/')}" if slash else ""
        for scheme in ("https", "http"):
            for name in (host, f"www.{host}"):
                found.setdefault(f"{scheme}://{name}{tail}", mirror + tail)
    return dict(sorted(found.items()))
