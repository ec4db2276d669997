"""Registrable domains ("same site" for a crawl), from the public suffix list shipped offline."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

# The snapshot bundled with tldextract: never fetch the list over the network at run time.
_extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """``www.aljazeera.com`` -> ``aljazeera.com``; an IP address or a bare name stays as it is."""
    host = host.lower().strip("[]").rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    parts = _extract(host)
    return parts.top_domain_under_public_suffix or host


def same_site(url: str, site_domain: str) -> bool:
    host = urlsplit(url).hostname
    return bool(host) and registrable_domain(host) == site_domain
