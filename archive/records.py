"""Build WARC/1.1 records as bytes. Building is separate from writing (as in warcio), and the
record ID and date come from the caller so tests can compare bytes exactly."""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from w3lib.url import safe_url_string

from archive.exchange import Exchange
from archive.http_message import request_for_storage, response_head_for_storage

WARC_VERSION = b"WARC/1.1"
RecordIdFactory = Callable[[], str]


def new_record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def warc_date(moment: datetime) -> str:
    """WARC-Date with microsecond precision, as WARC 1.1 allows."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_FRACTION = re.compile(r"\.(\d+)")


def parse_warc_date(value: str) -> datetime | None:
    """A WARC-Date (or any ISO 8601 date with Z or an offset) as an aware datetime.

    Any number of fraction digits is accepted (Python 3.10's ``fromisoformat`` takes only 3
    or 6); None for text that is not such a date.
    """
    text = value.strip()
    text = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    text = _FRACTION.sub(lambda m: "." + (m.group(1) + "000000")[:6], text, count=1)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def sha1_digest(*parts: bytes) -> str:
    digest = hashlib.sha1()
    for part in parts:
        digest.update(part)
    return "sha1:" + base64.b32encode(digest.digest()).decode("ascii")


def target_uri(url: str) -> str:
    """An RFC 3986 URI: non-ASCII characters percent-encoded, nothing else changed."""
    return safe_url_string(url, encoding="utf-8")


def build_record(headers: Iterable[tuple[str, str]], block: bytes) -> bytes:
    """One WARC record: version line, named fields, Content-Length, the block, two CRLFs."""
    lines = [WARC_VERSION]
    lines += [f"{name}: {value}".encode() for name, value in headers]
    lines.append(f"Content-Length: {len(block)}".encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + block + b"\r\n\r\n"


def warcinfo_record(fields: dict[str, str], filename: str, moment: datetime,
                    record_id: str | None = None) -> bytes:
    block = "".join(f"{k}: {v}\r\n" for k, v in fields.items()).encode("utf-8")
    return build_record([
        ("WARC-Type", "warcinfo"),
        ("WARC-Record-ID", record_id or new_record_id()),
        ("WARC-Date", warc_date(moment)),
        ("WARC-Filename", filename),
        ("Content-Type", "application/warc-fields"),
        ("WARC-Block-Digest", sha1_digest(block)),
    ], block)


#: WARC 1.1 revisit profile for a response whose payload equals an earlier capture's.
IDENTICAL_PAYLOAD_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


@dataclass(frozen=True)
class ExchangeRecords:
    request_id: str
    request: bytes
    response_id: str
    response: bytes
    payload_digest: str
    refers_to: str | None = None  # set when the response is a revisit of that record


@dataclass(frozen=True)
class RevisitTarget:
    """The earlier capture a revisit record refers to."""

    record_id: str
    uri: str
    date: str


#: ``lookup(url, payload_digest)``: the earlier capture with that payload, if there is one.
RevisitLookup = Callable[[str, str], "RevisitTarget | None"]


def exchange_records(exchange: Exchange, redact_secrets: bool, warcinfo_id: str | None = None,
                     make_id: RecordIdFactory = new_record_id,
                     revisit_lookup: RevisitLookup | None = None) -> ExchangeRecords:
    """The request and response records of one exchange.

    Both share the fetch start as WARC-Date and point at each other with WARC-Concurrent-To.
    When ``revisit_lookup`` finds an earlier capture with the same payload, the response is a
    ``revisit`` record (identical-payload-digest profile): its HTTP head, not a second copy.
    """
    request_id, response_id = make_id(), make_id()
    common = [("WARC-Date", warc_date(exchange.started_at)),
              ("WARC-Target-URI", target_uri(exchange.url))]
    if exchange.ip_address:
        common.append(("WARC-IP-Address", exchange.ip_address))
    if warcinfo_id:
        common.append(("WARC-Warcinfo-ID", warcinfo_id))
    request = _request_record(exchange, redact_secrets, request_id, response_id, common)
    if exchange.invalid_response is not None:
        resource = _invalid_answer_record(exchange, response_id, request_id, common)
        return ExchangeRecords(request_id, request, response_id, resource,
                               sha1_digest(exchange.body))
    head = response_head_for_storage(exchange.raw_response_head, len(exchange.body),
                                     redact_secrets)
    payload_digest = sha1_digest(exchange.body)
    earlier = revisit_lookup(exchange.url, payload_digest) \
        if revisit_lookup and not exchange.truncated else None
    if earlier is not None:
        revisit = _revisit_record(head, response_id, request_id, common, payload_digest, earlier)
        return ExchangeRecords(request_id, request, response_id, revisit, payload_digest,
                               earlier.record_id)
    response_headers = [
        ("WARC-Type", "response"), ("WARC-Record-ID", response_id), *common,
        ("WARC-Concurrent-To", request_id),
        ("Content-Type", "application/http; msgtype=response"),
        ("WARC-Block-Digest", sha1_digest(head, exchange.body)),
        ("WARC-Payload-Digest", payload_digest),
    ]
    if exchange.truncated:
        response_headers.append(("WARC-Truncated", exchange.truncated))
    response = build_record(response_headers, head + exchange.body)
    return ExchangeRecords(request_id, request, response_id, response, payload_digest)


def _request_record(exchange: Exchange, redact_secrets: bool, request_id: str,
                    response_id: str, common: list[tuple[str, str]]) -> bytes:
    request_block = request_for_storage(exchange.raw_request, redact_secrets)
    body_at = request_block.find(b"\r\n\r\n")
    request_payload = request_block[body_at + 4:] if body_at >= 0 else b""
    return build_record([
        ("WARC-Type", "request"), ("WARC-Record-ID", request_id), *common,
        ("WARC-Concurrent-To", response_id),
        ("Content-Type", "application/http; msgtype=request"),
        ("WARC-Block-Digest", sha1_digest(request_block)),
        ("WARC-Payload-Digest", sha1_digest(request_payload)),
    ], request_block)


#: WARC extension field saying why an answer is stored as a resource, not a response.
INVALID_RESPONSE_FIELD = "X-Crawler-Invalid-Response"


def _invalid_answer_record(exchange: Exchange, record_id: str, request_id: str,
                           common: list[tuple[str, str]]) -> bytes:
    """An answer that is not HTTP/1.x, byte for byte, as a ``resource`` record.

    A ``response`` record must hold an HTTP message (``application/http``), which these bytes
    are not; as a resource they stay evidence without breaking indexers and replay tools.
    """
    headers = [
        ("WARC-Type", "resource"), ("WARC-Record-ID", record_id), *common,
        ("WARC-Concurrent-To", request_id), ("Content-Type", "application/octet-stream"),
        ("WARC-Block-Digest", sha1_digest(exchange.body)),
        ("WARC-Payload-Digest", sha1_digest(exchange.body)),
        (INVALID_RESPONSE_FIELD, exchange.invalid_response or "not HTTP/1.x"),
    ]
    if exchange.truncated:
        headers.append(("WARC-Truncated", exchange.truncated))
    return build_record(headers, exchange.body)


def _revisit_record(head: bytes, record_id: str, request_id: str,
                    common: list[tuple[str, str]], payload_digest: str,
                    earlier: RevisitTarget) -> bytes:
    return build_record([
        ("WARC-Type", "revisit"), ("WARC-Record-ID", record_id), *common,
        ("WARC-Concurrent-To", request_id),
        ("WARC-Profile", IDENTICAL_PAYLOAD_PROFILE),
        ("WARC-Refers-To", earlier.record_id),
        ("WARC-Refers-To-Target-URI", earlier.uri),
        ("WARC-Refers-To-Date", earlier.date),
        ("Content-Type", "application/http; msgtype=response"),
        ("WARC-Block-Digest", sha1_digest(head)),
        ("WARC-Payload-Digest", payload_digest),
    ], head)


def metadata_record(fields: dict[str, str], exchange: Exchange, concurrent_to: str,
                    warcinfo_id: str | None = None, record_id: str | None = None) -> bytes:
    """A ``metadata`` record about a response: how the crawler came to fetch it.

    Fields are ``application/warc-fields`` (as Heritrix writes ``via`` and outlinks), so the
    knowledge that came from outside the page itself (its site, the feed or news sitemap that
    listed it and the date they gave) is in the WARC and re-extraction can use it offline.
    """
    block = "".join(f"{k}: {' '.join(str(v).split())}\r\n" for k, v in fields.items())
    data = block.encode("utf-8")
    headers = [("WARC-Type", "metadata"), ("WARC-Record-ID", record_id or new_record_id()),
               ("WARC-Date", warc_date(exchange.started_at)),
               ("WARC-Target-URI", target_uri(exchange.url)),
               ("WARC-Concurrent-To", concurrent_to)]
    if warcinfo_id:
        headers.append(("WARC-Warcinfo-ID", warcinfo_id))
    headers += [("Content-Type", "application/warc-fields"),
                ("WARC-Block-Digest", sha1_digest(data))]
    return build_record(headers, data)
