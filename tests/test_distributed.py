"""Distributed mode's parts against a real redis-server: queue leases, serializer, gate, jobs."""

from __future__ import annotations

import json
import pickle
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy.utils.test import get_crawler

from scraper.distributed import scripts
from scraper.distributed.catalog import MERGE_CAPTURE
from scraper.distributed.connection import RedisAddress, RedisLink, redact_url
from scraper.distributed.gate import HostGate
from scraper.distributed.jobs import finish_job, summarize
from scraper.distributed.queue import LEASE_META_KEY, LeasedQueue
from scraper.distributed.serializer import SerializationError, dumps, loads
from scraper.errors import LockedError, UsageError
from scraper.sites import Source
from scraper.store.runs import RunLock, command_line
from tests.conftest import run_scraper
from tests.support.redis_server import RedisForTests, free_port


class ExampleSpider(scrapy.Spider):
    name = "example"

    def parse_source(self, response: Any, source: Source) -> None:
        pass


class Exploit:
    """Unpickling this would create the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return (Path.touch, (self.marker,))


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisForTests]:
    with RedisForTests(tmp_path / "redis") as server:
        yield server


def make_queue(server: RedisForTests, worker: str = "w1", lease: float = 60, tries: int = 3,
               lease_batch: int = 1) -> LeasedQueue:
    crawler = get_crawler(ExampleSpider)
    spider = ExampleSpider.from_crawler(crawler)
    link = RedisLink(RedisAddress(server.url))
    import scraper.distributed.serializer as serializer

    return LeasedQueue(link.client, spider, "scraper:job:test:example", serializer, link=link,
                       worker=worker, lease_seconds=lease, max_tries=tries,
                       lease_batch=lease_batch)


def count_round_trips(monkeypatch: pytest.MonkeyPatch, link: RedisLink) -> list[list[str]]:
    """From now on, each round trip ``link`` makes: the names of the commands it sends."""
    trips: list[list[str]] = []
    client = link.client
    real_command, real_pipeline = client.execute_command, client.pipeline

    def command(*args: Any, **options: Any) -> Any:
        trips.append([str(args[0]).split()[0]])
        return real_command(*args, **options)

    def pipeline(*args: Any, **options: Any) -> Any:
        pipe = real_pipeline(*args, **options)
        real_execute = pipe.execute

        def execute(*execute_args: Any, **execute_options: Any) -> Any:
            trips.append([str(queued[0][0]).split()[0] for queued in pipe.command_stack])
            return real_execute(*execute_args, **execute_options)

        monkeypatch.setattr(pipe, "execute", execute)
        return pipe

    monkeypatch.setattr(client, "execute_command", command)
    monkeypatch.setattr(client, "pipeline", pipeline)
    return trips


def fingerprint(queue: LeasedQueue, request: scrapy.Request) -> str:
    return str(queue.spider.crawler.request_fingerprinter.fingerprint(request).hex())


def push(queue: LeasedQueue, url: str, **kwargs: Any) -> scrapy.Request:
    request = scrapy.Request(url, **kwargs)
    assert queue.push_unseen(request, fingerprint(queue, request))
    return request


def test_requests_travel_as_json_with_callbacks_by_name(redis_server: RedisForTests) -> None:
    queue = make_queue(redis_server)
    source = Source("https://example.org/rss", "rss", "a test")
    push(queue, "https://example.org/rss", callback=queue.spider.parse_source,
         cb_kwargs={"source": source}, headers={"X-Test": "1"}, meta={"depth": 2})
    stored = redis_server.client().hvals(queue.key_of("entries"))[0]
    assert json.loads(stored)["callback"] == "parse_source"  # plain JSON, readable
    popped = queue.pop()
    assert popped is not None and popped.callback == queue.spider.parse_source
    assert popped.cb_kwargs == {"source": source} and popped.headers[b"X-Test"] == b"1"
    assert popped.meta["depth"] == 2


def test_serializer_refuses_objects_that_are_not_plain_data() -> None:
    with pytest.raises(SerializationError, match="cannot travel"):
        dumps({"meta": {"thing": object()}})
    with pytest.raises(SerializationError, match="not allowed"):
        loads(json.dumps({"url": "x", "meta": {"$t": "Popen", "v": {}}}))


def test_a_pickled_object_in_the_queue_is_never_executed(redis_server: RedisForTests,
                                                         tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    queue = make_queue(redis_server)
    client = redis_server.client()
    payload = pickle.dumps(Exploit(marker))
    client.zadd(queue.key_of("queue"), {payload: -5})  # scrapy-redis' own layout
    client.hset(queue.key_of("entries"), "bad", payload)  # our layout, pickled data
    client.zadd(queue.key_of("queue"), {"bad": -4})
    client.hset(queue.key_of("entries"), "class", json.dumps(
        {"url": "http://x/", "_class": "subprocess.Popen", "meta": {}}))
    client.zadd(queue.key_of("queue"), {"class": -3})
    push(queue, "https://example.org/good")
    popped = queue.pop()
    assert popped is not None and popped.url == "https://example.org/good"
    assert not marker.exists()
    reasons = [json.loads(e)["reason"] for e in client.lrange(queue.key_of("failed"), 0, -1)]
    assert len(reasons) == 3 and any("not allowed" in r for r in reasons)


def test_a_lease_that_runs_out_goes_back_then_to_the_failed_list(redis_server: RedisForTests
                                                                  ) -> None:
    dead = make_queue(redis_server, worker="dead", lease=0.2, tries=2)
    alive = make_queue(redis_server, worker="alive", lease=0.2, tries=2)
    push(dead, "https://example.org/a")
    assert dead.pop() is not None and alive.pop() is None  # leased to "dead"
    time.sleep(0.3)
    again = alive.pop()
    assert again is not None and again.url == "https://example.org/a"
    assert again.meta["distributed_tries"] == 1
    time.sleep(0.3)
    assert alive.pop() is None  # second expiry: 2 tries, given up
    assert alive.counts() == {"queued": 0, "in_flight": 0, "done": 0, "failed": 1}


def test_renewal_keeps_a_lease_and_ack_marks_done(redis_server: RedisForTests) -> None:
    worker = make_queue(redis_server, worker="w", lease=0.3)
    other = make_queue(redis_server, worker="o", lease=0.3)
    push(worker, "https://example.org/a")
    request = worker.pop()
    assert request is not None
    for _ in range(3):
        time.sleep(0.15)
        assert worker.renew() == 0
        assert other.pop() is None
    assert worker.ack(request)
    assert not worker.push_unseen(scrapy.Request("https://example.org/a"), fingerprint(
        worker, request))  # done: never queued again
    assert worker.counts() == {"queued": 0, "in_flight": 0, "done": 1, "failed": 0}


def test_retries_count_as_tries_and_release_hands_leases_back(redis_server: RedisForTests) -> None:
    queue = make_queue(redis_server, tries=2)
    push(queue, "https://example.org/a")
    push(queue, "https://example.org/b")
    first = queue.pop()
    assert first is not None
    retry = first.replace(dont_filter=True)
    assert queue.push_unseen(retry, fingerprint(queue, first))  # one try used, back in queue
    assert queue.counts()["queued"] == 2
    leased = [queue.pop(), queue.pop()]
    assert all(r is not None for r in leased)
    assert queue.release_all() == 2
    assert queue.counts() == {"queued": 2, "in_flight": 0, "done": 0, "failed": 0}
    again = queue.pop()
    assert again is not None
    queue.push_unseen(again.replace(dont_filter=True), fingerprint(queue, again))
    assert queue.counts()["failed"] == (1 if again.url.endswith("/a") else 0)
    assert LEASE_META_KEY not in json.loads(
        redis_server.client().hvals(queue.key_of("entries"))[0])["meta"]


def test_host_gate_spaces_requests_limits_concurrency_and_pauses(redis_server: RedisForTests
                                                                 ) -> None:
    gate = HostGate(RedisLink(RedisAddress(redis_server.url)))
    assert gate.acquire("h:1", "a", delay=0.2, limit=2, hold=10) == GRANTED_SEND_DUE
    assert 0 < gate.acquire("h:1", "b", delay=0.2, limit=2, hold=10) <= 0.2  # too soon
    time.sleep(0.21)
    assert gate.acquire("h:1", "b", delay=0.2, limit=2, hold=10) == GRANTED_SEND_DUE
    time.sleep(0.21)
    assert gate.acquire("h:1", "c", delay=0.2, limit=2, hold=10) > 0  # two running already
    gate.release("h:1", "a")
    assert gate.acquire("h:1", "c", delay=0.2, limit=2, hold=10) == GRANTED_SEND_DUE
    gate.set_crawl_delay("h:2", 1.0)
    gate.acquire("h:2", "x", delay=0.1, limit=5, hold=10)
    assert gate.acquire("h:2", "y", delay=0.1, limit=5, hold=10) > 0.5  # Crawl-delay floor
    gate.pause("h:3", 2.0)
    assert gate.acquire("h:3", "z", delay=0, limit=5, hold=10) > 1.5  # Retry-After
    assert gate.acquire("h:4", "p", delay=0.2, limit=5, hold=10) == GRANTED_SEND_DUE
    time.sleep(0.15)  # the worker hands the granted request over late ...
    gate.sent("h:4", 0.2)
    time.sleep(0.1)  # ... so 0.25 s after the grant is still too soon for the next one
    assert gate.acquire("h:4", "q", delay=0.2, limit=5, hold=10) > 0
    # No delay and no Crawl-delay: granted with nothing to do when the request leaves; a
    # Crawl-delay alone (delay 0) still asks for it.
    assert gate.acquire("h:5", "r", delay=0, limit=5, hold=10) == 0
    gate.set_crawl_delay("h:6", 0.5)
    assert gate.acquire("h:6", "s", delay=0, limit=5, hold=10) == GRANTED_SEND_DUE


#: What HostGate.acquire answers when the slot is ours and the host has a delay to keep.
GRANTED_SEND_DUE = -1


def test_shared_capture_entry_keeps_first_seen_and_the_last_full_capture(
        redis_server: RedisForTests) -> None:
    link = RedisLink(RedisAddress(redis_server.url))
    merge = link.script(MERGE_CAPTURE)
    url = "https://news.example/a"

    def capture(record_id: str, at: str, revisit: int) -> dict[str, Any]:
        latest = {"record_id": record_id, "url": url, "fetched_at": at, "status": 200,
                  "payload_digest": None if revisit else "sha1:AAAA"}
        merge(["caps"], [url, json.dumps(latest), revisit])
        return latest

    first = capture("<urn:uuid:1>", "2026-12-01T10:00:00Z", 0)
    revisit = capture("<urn:uuid:2>", "2026-12-02T10:00:00Z", 1)
    entry = json.loads(redis_server.client().hget("caps", url))
    assert entry == {"first_seen": "2026-12-01T10:00:00Z", "last": revisit, "full": first}
    older = capture("<urn:uuid:0>", "2026-11-30T10:00:00Z", 0)  # another machine's, earlier
    entry = json.loads(redis_server.client().hget("caps", url))
    assert entry == {"first_seen": "2026-11-30T10:00:00Z", "last": older, "full": older}


def test_jobs_lists_counts_and_finish_removes_only_a_finished_job(redis_server: RedisForTests
                                                                  ) -> None:
    queue = make_queue(redis_server)
    link = queue.link
    from scraper.distributed.jobkeys import JobKeys

    keys = JobKeys("test", "w1")
    keys.register_spider(link, "example")
    keys.mark_seeded(link, "example")
    push(queue, "https://example.org/a")
    listed = run_scraper("jobs", "--redis", redis_server.url, "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["queued"] == 1
    with pytest.raises(UsageError, match="running"):
        finish_job(link, "test")
    request = queue.pop()
    assert request is not None and queue.ack(request)
    assert summarize(link, "test").state == "finished"
    done = run_scraper("jobs", "finish", "test", "--redis", redis_server.url)
    assert done.returncode == 0, done.stderr
    assert redis_server.client().keys("scraper:job:test:*") == []


def test_credentials_never_shown() -> None:
    url = "redis://worker:s3cret@10.0.0.5:6379/0"
    assert "s3cret" not in str(RedisAddress(url)) and "s3cret" not in repr(RedisAddress(url))
    assert redact_url("rediss://:s3cret@h:6380/1") == "rediss://:***@h:6380/1"
    assert "s3cret" not in " ".join(command_line(["crawl", "--redis", url]))
    assert "s3cret" not in " ".join(command_line([f"--redis={url}"]))


def test_unreachable_redis_or_refused_credentials_exit_2(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    down = run_scraper("crawl", "al-monitor", "--data", data, "--redis",
                       f"redis://:pw@127.0.0.1:{free_port()}/0")
    assert down.returncode == 2 and "cannot reach Redis" in down.stderr, down.stderr
    assert "pw@" not in down.stderr
    with RedisForTests(tmp_path / "auth", password="right") as server:
        wrong = run_scraper("crawl", "al-monitor", "--data", data, "--redis",
                            f"redis://:wrong-one@127.0.0.1:{server.port}/0")
        assert wrong.returncode == 2 and "refused" in wrong.stderr, wrong.stderr
        assert "wrong-one" not in wrong.stderr + wrong.stdout
        missing = run_scraper("crawl", "al-monitor", "--data", data, "--redis",
                              f"redis://127.0.0.1:{server.port}/0")
        assert missing.returncode == 2 and "password" in missing.stderr, missing.stderr


def test_without_redis_server_installed_workers_exit_2(tmp_path: Path) -> None:
    result = run_scraper("crawl", "al-monitor", "--data", str(tmp_path / "d"), "--workers", "2",
                         env={"PATH": str(tmp_path)})
    assert result.returncode == 2 and "redis-server is not installed" in result.stderr, \
        result.stderr


def test_a_wrong_option_with_workers_is_said_once_and_no_worker_goes_on(tmp_path: Path
                                                                         ) -> None:
    # The workers start before the parent checks the options; told to stop, they say nothing.
    result = run_scraper("crawl", "--url", "http://10.1.2.3/", "--workers", "3", "--data",
                         str(tmp_path / "d"))
    assert result.returncode == 2
    assert result.stderr.count("refusing http://10.1.2.3/") == 1, result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr  # one line in all
    assert not (tmp_path / "d").exists()


def test_workers_share_the_lock_and_a_standalone_run_is_refused(tmp_path: Path) -> None:
    with RunLock(tmp_path, shared=True), RunLock(tmp_path, shared=True):
        with pytest.raises(LockedError):
            with RunLock(tmp_path):
                pass


def test_scripts_name_every_key_once() -> None:
    assert len(set(scripts.KEY_NAMES)) == len(scripts.KEY_NAMES) == 10


def test_every_request_waiting_for_an_unreachable_robots_txt_is_refused(tmp_path: Path
                                                                        ) -> None:
    """One process: Scrapy gave the 2nd+ waiters of a robots.txt fetch None (allow all)."""
    from tests.support.distributed_runs import crawl_args
    from tests.support.news_hosts import NewsHosts, SiteConfig

    with NewsHosts(2, SiteConfig(articles_per_host=10, robots_status={1: 503})) as site:
        result = run_scraper(*crawl_args(site, tmp_path / "data"))
        closed = [h.path for h in site.hits if h.host == site.host_names()[1]]
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert set(closed) == {"/robots.txt"}  # fetched (and retried), nothing else


def test_a_pages_links_reach_redis_in_one_batch_before_the_page_is_acknowledged(
        redis_server: RedisForTests, monkeypatch: pytest.MonkeyPatch) -> None:
    queue = make_queue(redis_server)
    other = make_queue(redis_server, worker="o")
    push(queue, "https://example.org/page")
    page = queue.pop()
    assert page is not None
    links = [scrapy.Request(f"https://example.org/{n}") for n in range(5)]
    for link in [*links, links[0]]:
        queue.push_later(link, fingerprint(queue, link))
    assert len(queue.buffered) == 5  # the repeat was known: never buffered twice
    assert other.counts()["queued"] == 0  # not in Redis yet: one batch, later
    trips = count_round_trips(monkeypatch, queue.link)
    assert queue.ack(page)
    assert trips == [] and other.counts()["in_flight"] == 1  # waiting for the next call
    assert queue.pop() is not None  # the next call: the links, the page's ack, the lease
    assert trips == [["EVALSHA"] * 7]  # in one round trip, in that order
    assert other.counts() == {"queued": 4, "in_flight": 1, "done": 1, "failed": 0}
    queue.push_later(scrapy.Request("https://example.org/3"), fingerprint(queue, links[3]))
    other.push_later(links[4], fingerprint(other, links[4]))
    assert other.flush() == 0 and other.duplicates == 1  # the job had seen it
    assert queue.queued == 6 and queue.duplicates == 2  # the repeat above, and /3


def test_one_round_trip_leases_a_batch_and_unused_leases_go_back(
        redis_server: RedisForTests, monkeypatch: pytest.MonkeyPatch) -> None:
    queue = make_queue(redis_server, lease_batch=3)
    other = make_queue(redis_server, worker="o", lease_batch=3)
    for n in range(5):
        push(queue, f"https://example.org/{n}")
    trips = count_round_trips(monkeypatch, queue.link)
    first = queue.pop()
    assert trips == [["EVALSHA"]]  # three leased at once, one handed to Scrapy
    assert first is not None and len(queue.leased_ahead) == 2 and len(queue.held) == 3
    assert queue.counts()["in_flight"] == 3
    assert [r.url[-1] for r in (other.pop(), other.pop())] == ["3", "4"]  # the rest
    assert other.pop() is None
    second = queue.pop()
    assert second is not None and len(trips) == 2  # the count above; no round trip to pop
    assert queue.ack(first)
    assert queue.release_all() == 2  # /1 (downloading) and /2 (never handed out)
    assert not queue.leased_ahead and len(queue) == 2
    assert sorted(r.url[-1] for r in (other.pop(), other.pop())) == ["1", "2"]


def test_writes_that_can_wait_go_with_the_next_call_in_one_round_trip(
        redis_server: RedisForTests, monkeypatch: pytest.MonkeyPatch) -> None:
    link = RedisLink(RedisAddress(redis_server.url))
    gate = HostGate(link)
    client = redis_server.client()
    assert gate.acquire("h:1", "a", delay=0, limit=1, hold=10) == 0
    gate.release("h:1", "a")
    assert client.zcard("scraper:host:h:1:slots") == 1  # not sent yet
    trips = count_round_trips(monkeypatch, link)
    assert gate.acquire("h:1", "b", delay=0, limit=1, hold=10) == 0  # a's slot went first
    assert trips == [["ZREM", "EVALSHA"]]
    link.later(lambda pipe: pipe.sadd("later", "x"))
    assert link.call(lambda r: r.smembers("later")) == {b"x"}  # writes before any later read
    client.script_flush()  # as after a restart of Redis: the scripts are unknown
    gate.release("h:1", "b")
    assert gate.acquire("h:1", "c", delay=0, limit=1, hold=10) == 0
    assert not link.has_later and client.zrange("scraper:host:h:1:slots", 0, -1) == [b"c"]


def test_writes_queued_from_two_threads_are_each_sent_once(redis_server: RedisForTests
                                                         ) -> None:
    """The WARC writer's thread reads through the link while the reactor's queues writes."""
    import sys
    import threading

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns inside the link as often as they can
    link = RedisLink(RedisAddress(redis_server.url))

    def work(name: str) -> None:
        for n in range(500):
            link.later(lambda pipe, n=n: pipe.rpush("written", f"{name}{n}"))
            link.call(lambda r: r.ping())

    try:
        threads = [threading.Thread(target=work, args=(name,)) for name in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    link.send_later()
    written = redis_server.client().lrange("written", 0, -1)
    assert len(written) == len(set(written)) == 1000


def test_a_hosts_delay_runs_again_from_when_the_answer_arrives(redis_server: RedisForTests
                                                               ) -> None:
    """A request on a new connection reaches the host late (the connection first): counted
    only from when it left, the next request, from another worker, came too soon after it."""
    from scrapy import signals

    from scraper.distributed.gate import GATE_META_KEY, SharedHostGateMiddleware

    crawler = get_crawler(ExampleSpider, settings_dict={
        "DISTRIBUTED_JOB": "test", "DISTRIBUTED_REDIS": RedisAddress(redis_server.url),
        "DOWNLOAD_DELAY": 0.4, "DISTRIBUTED_GATE_MARGIN": 0.1})
    middleware = SharedHostGateMiddleware.from_crawler(crawler)  # signals hold it weakly
    gate = HostGate(RedisLink(RedisAddress(redis_server.url)))
    assert gate.acquire("h:1", "a", delay=0.4, limit=4, hold=10) == GRANTED_SEND_DUE
    time.sleep(0.3)  # the connection is slow to come: the answer arrives 0.3 s later
    request = scrapy.Request("http://h:1/a", meta={GATE_META_KEY: ("h:1", "a", True)})
    crawler.signals.send_catch_log(signals.headers_received, headers={}, body_length=0,
                                   request=request, spider=None)
    wait = gate.acquire("h:1", "b", delay=0.4, limit=4, hold=10)
    assert 0.35 < wait <= 0.44  # a whole delay (and margin) from the answer, not 0.14 s
    assert middleware.delay == 0.4


def test_the_shared_catalog_read_carries_the_waiting_writes_and_closing_sends_the_rest(
        redis_server: RedisForTests, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scraper.distributed.catalog import SharedCatalogExtension
    from scraper.distributed.jobkeys import shared_link

    settings = {"DISTRIBUTED_JOB": "test", "DISTRIBUTED_REDIS": RedisAddress(redis_server.url),
                "SCRAPER_DATA_DIR": str(tmp_path), "SCRAPER_CATALOG_ENABLED": True,
                "SCRAPER_CATALOG_STORE": "scraper.store.catalog.CatalogStore"}
    crawler = get_crawler(ExampleSpider, settings_dict=settings)
    catalog = SharedCatalogExtension(crawler)
    link = shared_link(crawler.settings)
    client = redis_server.client()
    link.later(lambda pipe: pipe.sadd("waiting", "slot"))
    trips = count_round_trips(monkeypatch, link)
    assert catalog.earlier_identical("https://news.example/a", "sha1:AAAA") is None
    assert trips == [["SADD", "HGET"]]  # one round trip, the waiting write first
    link.later(lambda pipe: pipe.sadd("waiting", "merge"))
    catalog.engine_stopped()  # a worker closing sends what still waits
    assert client.smembers("waiting") == {b"slot", b"merge"} and not link.has_later


def test_a_lease_brings_each_urls_shared_capture_and_the_capture_needs_no_read(
        redis_server: RedisForTests, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The POP script reads the shared catalog entry of each URL it leases: the capture's
    "same payload as last time?" costs no round trip of its own (it was one per page)."""
    from scraper.distributed.catalog import SharedCatalogExtension

    settings = {"DISTRIBUTED_JOB": "test", "DISTRIBUTED_REDIS": RedisAddress(redis_server.url),
                "SCRAPER_DATA_DIR": str(tmp_path), "SCRAPER_CATALOG_ENABLED": True,
                "SCRAPER_CATALOG_STORE": "scraper.store.catalog.CatalogStore"}
    catalog = SharedCatalogExtension(get_crawler(ExampleSpider, settings_dict=settings))
    known = {"record_id": "<urn:uuid:1>", "url": "https://example.org/1", "status": 200,
             "fetched_at": "2026-12-04T10:00:00Z", "payload_digest": "sha1:AAAA"}
    redis_server.client().hset(catalog.captures_key, "https://example.org/1", json.dumps(
        {"first_seen": known["fetched_at"], "last": known, "full": known}))
    seen: list[tuple[str, Any]] = []

    def capture_known(url: str, raw: Any) -> None:
        seen.append((url, raw and json.loads(raw)["full"]["record_id"]))
        catalog.shared_entry_known(url, raw)

    base = make_queue(redis_server, lease_batch=4)
    queue = LeasedQueue(base.link.client, base.spider, base.key, base.serializer, link=base.link,
                        worker="w1", lease_seconds=60, max_tries=3, lease_batch=4,
                        captures_key=catalog.captures_key, capture_known=capture_known)
    for n in (1, 2):
        push(queue, f"https://example.org/{n}")
    trips = count_round_trips(monkeypatch, queue.link)
    assert catalog.link is not None
    reads = count_round_trips(monkeypatch, catalog.link)
    first, second = queue.pop(), queue.pop()
    assert first is not None and second is not None and trips == [["EVALSHA"]]
    assert seen == [("https://example.org/1", "<urn:uuid:1>"), ("https://example.org/2", None)]
    assert catalog.earlier_identical("https://example.org/2", "sha1:BBBB") is None  # new
    target = catalog.earlier_identical("https://example.org/1", "sha1:AAAA")
    assert target is not None and target.record_id == "<urn:uuid:1>"  # a revisit of it
    assert reads == []  # neither asked Redis
    assert catalog.earlier_identical("https://example.org/1", "sha1:AAAA") is not None
    assert reads == [["HGET"]]  # told once: a second capture of the URL reads again


def test_a_worker_starting_beside_its_siblings_says_nothing_of_their_open_files(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every worker of a job recovers the folder as it starts; the other workers' .open files
    are theirs, still written: a line for each was noise on every `--workers` run."""
    import subprocess
    import sys

    from archive.naming import this_host
    from scraper.cli.common import recover_and_report

    sibling = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / "warc").mkdir()
        name = f"mena-20261204120000000-00000-{this_host()}-{sibling.pid}.warc.gz.open"
        (tmp_path / "warc" / name).write_bytes(b"")
        assert recover_and_report(tmp_path, quiet=True, running_expected=True) == []
        assert capsys.readouterr().err == ""
        recover_and_report(tmp_path, quiet=True)  # `scraper recover`, a standalone run: said
        assert f"skipping {name}: the crawl writing it is still running" in \
            capsys.readouterr().err
        assert (tmp_path / "warc" / name).exists()  # left to its writer
    finally:
        sibling.kill()
        sibling.wait()
