"""Refuse URLs that a crawl of public news sites has no business fetching.

Only http and https; no loopback, private, link-local, reserved or IPv4-mapped private addresses,
whether they are written in the URL or come back from DNS. A redirect is a new request, so it is
checked too. ``SCRAPER_ALLOW_PRIVATE`` (``--allow-private``) lifts the address rule, for local
mirrors and tests; it never lifts the scheme rule.
"""

from __future__ import annotations

import ipaddress
import logging
from contextlib import suppress
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request

logger = logging.getLogger(__name__)

ALLOWED_SCHEMES = frozenset({"http", "https"})


def is_public_address(address: str) -> bool:
    """True for a globally routable IP address (an IPv4-mapped IPv6 address is judged as IPv4)."""
    ip = ipaddress.ip_address(address.strip("[]"))
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def refusal_reason(url: str, allow_private: bool,
                   allowed_hosts: frozenset[str] = frozenset()) -> str | None:
    """Why ``url`` must not be fetched, or None when it may be.

    ``allowed_hosts`` names private hosts allowed one by one (``--allow-host``), so a local
    mirror can be crawled while redirects to any other private address stay refused.
    """
    parts = urlsplit(url)
    if parts.scheme not in ALLOWED_SCHEMES:
        return f"scheme {parts.scheme or '(none)'!r} is not http or https"
    host = (parts.hostname or "").lower()
    if not host:
        return "the URL has no host"
    if allow_private or host in allowed_hosts:
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return "localhost is refused (pass --allow-private for local servers)"
    try:
        public = is_public_address(host)
    except ValueError:
        return None  # a name: checked again on the addresses DNS gives
    if not public:
        return f"{host} is a private, loopback or link-local address (pass --allow-private)"
    return None


def host_forms(host: str) -> set[str]:
    """A host name as typed, lower-cased, and its IDNA (punycode) and Unicode forms.

    ``--allow-host مثال.test`` must match the ``xn--mgbh0fb.test`` Scrapy puts in the URL and
    asks DNS for, and the other way round.
    """
    name = host.strip().lower().rstrip(".")
    forms = {name}
    with suppress(UnicodeError):  # Unicode -> punycode
        forms.add(name.encode("idna").decode("ascii"))
    with suppress(UnicodeError):  # punycode -> Unicode
        forms.add(name.encode("ascii").decode("idna").lower())
    return forms


def allowed_hosts(settings: Any) -> frozenset[str]:
    return frozenset(form for host in settings.getlist("SCRAPER_ALLOWED_PRIVATE_HOSTS")
                     for form in host_forms(host))


class PrivateAddressMiddleware:
    """Downloader middleware enforcing :func:`refusal_reason` on every request, redirects too."""

    def __init__(self, crawler: Crawler) -> None:
        self.allow_private = crawler.settings.getbool("SCRAPER_ALLOW_PRIVATE")
        self.allowed_hosts = allowed_hosts(crawler.settings)
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        reason = refusal_reason(request.url, self.allow_private, self.allowed_hosts)
        if reason:
            self.stats.inc_value("safety/refused")
            logger.warning("Refused %s: %s", request.url, reason)
            raise IgnoreRequest(f"refused: {reason}")


class PublicAddressResolver(CachingThreadedResolver):
    """``DNS_RESOLVER`` that fails lookups which resolve to non-public addresses."""

    allow_private = False
    allowed_hosts: frozenset[str] = frozenset()

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> PublicAddressResolver:
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_private = crawler.settings.getbool("SCRAPER_ALLOW_PRIVATE")
        resolver.allowed_hosts = allowed_hosts(crawler.settings)
        return resolver

    def getHostByName(self, name: str, timeout: Any = ()) -> Any:  # noqa: N802 - Twisted's name
        d = super().getHostByName(name, timeout)
        if not self.allow_private and name.lower() not in self.allowed_hosts:
            d.addCallback(self._refuse_private, name)
        return d

    @staticmethod
    def _refuse_private(address: str, name: str) -> str:
        if not is_public_address(address):
            raise DNSLookupError(f"{name} resolves to non-public address {address}; refused "
                                 "(pass --allow-private)")
        return address
