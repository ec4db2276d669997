"""What the user asked a crawl for, as the CLI parsed it: plain data, no Scrapy.

Apart from :mod:`scraper.crawl.process` so that ``scraper crawl --workers N`` can start its
workers before it loads Scrapy (see :mod:`scraper.distributed.workers`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any


@dataclass
class CrawlOptions:
    """What the user asked for, as the CLI parsed it."""

    data_dir: Path
    url: str | None = None
    sites: tuple[str, ...] = ()
    since: datetime | None = None
    limit: int = 0
    allow_private: bool = False
    allowed_hosts: tuple[str, ...] = ()
    redact_secrets: bool = True
    operator: str | None = None
    contact_url: str | None = None
    concurrency: int | None = None
    delay: float | None = None
    log_level: str = "INFO"
    log_file: Path | None = None
    extract: bool = True
    incremental: bool = False
    recheck_after: str | None = None
    run_id: str | None = None
    progress: bool = False
    overrides: dict[str, str] = field(default_factory=dict)
    #: Settings a caller adds below the ``-s`` overrides (distributed mode's components).
    settings: dict[str, Any] = field(default_factory=dict)
    #: Share the collection's lock with the other workers of a distributed job.
    shared_lock: bool = False
