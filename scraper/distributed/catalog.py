"""The catalog's answers shared by every machine of a job: what is archived, and when.

Each machine writes its own catalog (its own folder); incremental decisions ("new?", "due for a
re-check?", "same payload as last time?", "which version is this?") must see every machine's
captures, or each machine would fetch each new article again. This catalog component
(``SCRAPER_CATALOG_COMPONENT`` in distributed mode) writes through to the local catalog as
always and keeps, per URL, the newest capture and article version in Redis
(``scraper:catalog:<DISTRIBUTED_CATALOG>:captures`` / ``:articles``), which lookups read first.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from archive.capture import ArchivedExchange
from archive.records import RevisitTarget, warc_date
from scraper.crawl.catalog_extension import CatalogExtension
from scraper.distributed.jobkeys import catalog_key, shared_link
from scraper.extract.record import ArticleRecord
from scraper.store.catalog import LastCapture, LatestVersion

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

#: KEYS: captures hash. ARGV: URL, the newest capture (JSON), "1" for a revisit. One round trip
#: for what was a read and a write: first_seen kept (WARC dates compare as strings), last set,
#: full set unless the capture is a revisit.
MERGE_CAPTURE = """
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local entry = raw and cjson.decode(raw) or {}
local latest = cjson.decode(ARGV[2])
if entry.first_seen == nil or latest.fetched_at < entry.first_seen then
  entry.first_seen = latest.fetched_at
end
entry.last = latest
if ARGV[3] ~= '1' then entry.full = latest end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(entry))
return 1
"""


#: URLs whose shared entry is kept between judging a request and archiving its capture (the
#: requests in flight, and some whose download failed); cleared when full.
JUDGED_MAX = 10_000


class SharedCatalogExtension(CatalogExtension):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.link = shared_link(settings) if settings.get("DISTRIBUTED_JOB") else None
        self.captures_key = catalog_key(settings, "captures")
        self.articles_key = catalog_key(settings, "articles")
        self._merge = self.link.script(MERGE_CAPTURE) if self.link is not None else None
        # Each URL's shared entry as the queue leased its request (the POP script reads it,
        # see shared_entry_known), or as it was judged (incremental: new or due?), answers,
        # once, the capture's "same payload as last time?" too: no Redis read of its own.
        # Stale only if another machine captured the URL in between: then a full record is
        # written where a revisit would do, or (incremental) the page is fetched once more;
        # neither loses anything.
        self._judged: dict[str, dict[str, Any] | None] = {}

    def shared_entry_known(self, url: str, raw: str | bytes | None) -> None:
        """The queue leased ``url``'s request and read its shared entry with it (None: none)."""
        self._keep(url, dict(json.loads(raw)) if raw else None)

    def _keep(self, url: str, entry: dict[str, Any] | None) -> None:
        if len(self._judged) >= JUDGED_MAX:
            self._judged.clear()
        self._judged[url] = entry

    def archived(self, request: Any, response: Any, capture: ArchivedExchange) -> None:
        super().archived(request, response, capture)
        if self.link is None:
            return
        url = capture.exchange.url
        latest = {"record_id": capture.response_id, "url": url,
                  "fetched_at": warc_date(capture.exchange.started_at),
                  "status": response.status, "payload_digest": capture.payload_digest}
        merge, args = self._merge, [url, json.dumps(latest), int(capture.revisit)]
        assert merge is not None
        self._judged.pop(url, None)
        # With this worker's next call, in front of it: before the page's acknowledgement.
        self.link.later(lambda pipe: merge.queue(pipe, [self.captures_key], args))

    def article_written(self, record: ArticleRecord, jsonl_file: str, line: int) -> None:
        super().article_written(record, jsonl_file, line)
        if self.link is not None:
            value = json.dumps({"id": record["id"], "version": record["version"],
                                "text_sha256": record["text_sha256"]})
            url = record["url"]
            self.link.later(lambda pipe: pipe.hset(self.articles_key, url, value))

    def engine_stopped(self) -> None:
        if self.link is not None and self.link.has_later:
            self.link.send_later()
        super().engine_stopped()

    def last_capture(self, url: str) -> LastCapture | None:
        entry = self._judged[url] if url in self._judged else self._shared(self.captures_key,
                                                                            url)
        if self.link is not None:
            self._keep(url, entry)
        if entry is None:
            return super().last_capture(url)
        last = entry["last"]
        return LastCapture(last["record_id"], url, last["fetched_at"], last["status"],
                           last["payload_digest"], entry["first_seen"])

    def earlier_identical(self, url: str, payload_digest: str) -> RevisitTarget | None:
        if url in self._judged:
            entry = self._judged.pop(url)
        else:
            entry = self._shared(self.captures_key, url)
        if entry is None:
            return super().earlier_identical(url, payload_digest)
        full = entry.get("full")
        if not full or full["payload_digest"] != payload_digest or full["status"] != 200:
            return None
        return RevisitTarget(full["record_id"], url, full["fetched_at"])

    def is_article_url(self, url: str) -> bool:
        if self.link is not None and self.link.pipelined(
                lambda pipe: pipe.hexists(self.articles_key, url))[0]:
            return True
        return super().is_article_url(url)

    def article_urls(self) -> list[str]:
        shared: set[str] = set()
        if self.link is not None:
            shared = {k.decode() if isinstance(k, bytes) else str(k)
                      for k in self.link.call(lambda r: r.hkeys(self.articles_key))}
        return sorted(shared | set(super().article_urls()))

    def latest_version(self, url: str) -> LatestVersion | None:
        entry = self._shared(self.articles_key, url)
        if entry is None:
            return super().latest_version(url)
        return LatestVersion(entry["id"], entry["version"], entry["text_sha256"])

    def _shared(self, key: str, url: str) -> dict[str, Any] | None:
        if self.link is None:
            return None
        # With the writes waiting on the link (the last page's merge and gate slot), in one
        # round trip: this read comes once per capture, between two acknowledgements.
        raw = self.link.pipelined(lambda pipe: pipe.hget(key, url))[0]
        return dict(json.loads(raw)) if raw else None
