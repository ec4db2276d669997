"""The warcinfo record's fields: what wrote the file and under which policies."""

from __future__ import annotations

import platform
import socket
import zlib
from importlib.metadata import version
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

CONFORMS_TO = "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"


def _software() -> str:
    parts = [f"mena-scraper/{version('mena-scraper')}"]
    for package in ("Scrapy", "Twisted", "warcio"):
        parts.append(f"{package}/{version(package)}")
    parts.append(f"Python/{platform.python_version()}")
    return " ".join(parts)


def warcinfo_fields(settings: Any) -> dict[str, str]:
    """Fields of the ``application/warc-fields`` block, from the crawl's Scrapy settings."""
    robots = "obey; fail-closed: a 5xx or unreachable robots.txt disallows the host" \
        if settings.getbool("ROBOTSTXT_OBEY") else "ignored"
    redaction = ("values of Authorization, Proxy-Authorization, Cookie and Set-Cookie "
                 "replaced by [redacted]; header names kept"
                 if settings.getbool("WARC_REDACT_SECRETS") else "none: headers stored as sent")
    fields = {
        "software": _software(),
        "format": "WARC File Format 1.1",
        "conformsTo": CONFORMS_TO,
        "hostname": socket.gethostname(),
        "http-header-user-agent": settings.get("USER_AGENT"),
        "robots": robots,
        "header-redaction": redaction,
        "transfer-encoding": ("bodies stored de-chunked but still content-encoded; "
                              "Transfer-Encoding kept as X-Crawler-Transfer-Encoding; "
                              "Content-Length set to the stored length, the server's value kept "
                              "as X-Crawler-Content-Length when it differs"),
        "truncation": (f"bodies over {settings.getint('DOWNLOAD_MAXSIZE')} bytes cut "
                       "(WARC-Truncated: length); connection loss gives "
                       "WARC-Truncated: disconnect"),
    }
    if settings.get("SCRAPER_OPERATOR"):
        fields["operator"] = settings.get("SCRAPER_OPERATOR")
    if settings.get("SCRAPER_COLLECTION"):
        fields["isPartOf"] = settings.get("SCRAPER_COLLECTION")
    if settings.get("SCRAPER_RUN_ID"):
        fields["run-id"] = settings.get("SCRAPER_RUN_ID")
    return fields


def read_source_tool(path: Path) -> tuple[str | None, dict[str, str]]:
    """What wrote a WARC or ARC file: the first warcinfo record's ``software`` and its fields.

    Looks at the first few records only (some tools put warcinfo after a request). An ARC file's
    ``filedesc://`` header names no tool: its fields are what warcio's arc2warc makes of it.
    """
    try:
        with open(path, "rb") as stream:
            for number, record in enumerate(ArchiveIterator(stream, arc2warc=True)):
                if record.rec_type == "warcinfo":
                    fields = _fields(record.content_stream().read())
                    software = fields.get("software") or fields.get("Software")
                    if not software and record.rec_headers.get_header("WARC-Filename", "") \
                            .endswith((".arc", ".arc.gz")):
                        software = "ARC file (no software named)"
                    return software, fields
                if number >= 4:
                    break
    except (OSError, ArchiveLoadFailed, ValueError, EOFError, zlib.error):
        pass
    return None, {}


def _fields(block: bytes) -> dict[str, str]:
    fields = {}
    for line in block.decode("utf-8", errors="replace").splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip():
            fields[name.strip()] = value.strip()
    return fields
