"""Google News RSS search as a last-resort discovery source: its links resolved to the publisher.

``https://news.google.com/rss/search?q=site:example.com`` lists a site's recent articles with
titles and dates even when the site's own feeds are dead or blocked. Its item links point to
Google (``https://news.google.com/rss/articles/<id>?oc=5``); the publisher's own URL is
recovered as public decoders do (SSujitX/google-news-url-decoder and the gist by huksley it
credits):

1. Ids of the older format are base64 (URL-safe) of a small protobuf message that holds the URL
   itself: field 4 (tag ``0x22``), a varint length, then the URL. Decoded offline.
2. Ids of the format used since July 2024 (the decoded bytes start with ``AU_yqL``) hold no URL:
   the article's Google News page carries a signature (``data-n-a-sg``) and a timestamp
   (``data-n-a-ts``), and a POST of both to Google's ``batchexecute`` endpoint answers with the
   URL in a ``garturlres`` array.
Only the publisher's URL is fetched as an article; Google's pages are discovery requests.
"""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import quote, urlsplit

GOOGLE_NEWS_HOST = "news.google.com"
BATCH_EXECUTE = "https://news.google.com/_/DotsSplashUi/data/batchexecute"
_ARTICLE_ID = re.compile(r"/(?:rss/)?(?:articles|read)/([A-Za-z0-9_-]+)")
_SIGNATURE = re.compile(rb'data-n-a-sg="([^"]+)"')
_TIMESTAMP = re.compile(rb'data-n-a-ts="([^"]+)"')
_RESULT = re.compile(r'\[\\?"garturlres\\?",\\?"(https?://[^"\\]+)')


def article_id(url: str) -> str | None:
    """The encoded id of a Google News article link, None for any other URL."""
    parts = urlsplit(url)
    if (parts.hostname or "") != GOOGLE_NEWS_HOST:
        return None
    found = _ARTICLE_ID.search(parts.path)
    return found.group(1) if found else None


def decode_offline(encoded: str) -> str | None:
    """The publisher URL held in an older-format id; None when the id needs batchexecute."""
    try:
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (ValueError, TypeError):
        return None
    start = raw.find(b"\x22")  # field 4, length-delimited
    if start < 0:
        return None
    length, position = _varint(raw, start + 1)
    candidate = raw[position:position + length]
    if candidate.startswith(b"AU_yqL") or not candidate.startswith((b"http://", b"https://")):
        return None
    return candidate.decode("utf-8", errors="replace")


def _varint(raw: bytes, position: int) -> tuple[int, int]:
    value, shift = 0, 0
    while position < len(raw):
        byte = raw[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            break
        shift += 7
    return value, position


def decoding_params(page: bytes) -> tuple[str, str] | None:
    """(signature, timestamp) from an article's Google News page, None when absent."""
    signature, timestamp = _SIGNATURE.search(page), _TIMESTAMP.search(page)
    if not signature or not timestamp:
        return None
    return signature.group(1).decode("ascii", "replace"), timestamp.group(1).decode("ascii",
                                                                                    "replace")


def batch_execute_body(encoded: str, signature: str, timestamp: str) -> str:
    """The form body of the batchexecute request that resolves one article id."""
    inner = (f'["garturlreq",[["X","X",["X","X"],null,null,1,1,"US:en",null,1,null,null,null,'
             f'null,null,0,1],"X","X",1,[1,1,1],1,1,null,0,0,null,0],"{encoded}",{timestamp},'
             f'"{signature}"]')
    return "f.req=" + quote(json.dumps([[["Fbv4je", inner, None, "generic"]]]))


def url_from_batch_execute(body: bytes) -> str | None:
    """The publisher URL in a batchexecute answer, None when it holds none."""
    found = _RESULT.search(body.decode("utf-8", errors="replace"))
    return found.group(1) if found else None
