"""Distributed crawls end to end: workers as real processes, a real redis-server, two hosts.

The site is ``tests.support.news_hosts``: ~300 article pages on 127.0.0.1 and 127.0.0.2, each
request logged as the servers saw it, across all workers.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import run_scraper
from tests.support.distributed_runs import (
    article_hits,
    captures,
    children_of,
    crawl_args,
    response_uris,
    start,
    wait_for,
)
from tests.support.news_hosts import NewsHosts, SiteConfig
from tests.support.redis_server import RedisForTests

pytestmark = pytest.mark.slow


def leased_urls(redis: RedisForTests, job: str, pid: int) -> set[str]:
    client, base = redis.client(), f"scraper:job:{job}:al-monitor"
    ids = [i for i, owner in client.hgetall(f"{base}:owners").items()
           if f"-{pid}-".encode() in owner]
    return {json.loads(client.hget(f"{base}:entries", i))["url"] for i in ids}


def test_three_workers_fetch_every_url_once_into_one_collection(tmp_path: Path) -> None:
    # 50 ms per answer: the crawl lasts long enough that a worker starting a second after the
    # others still finds work (without it, the first two could empty the queue before the
    # third has started, and "every worker fetched" would say nothing about early exits). At
    # 20 ms, once a page's links went to Redis in one batch, a late worker found the job done
    # in 1 of 10 runs.
    with NewsHosts(2, SiteConfig(latency=0.05)) as site:
        single = run_scraper(*crawl_args(site, tmp_path / "single"))
        assert single.returncode == 0, single.stderr[-2000:]
        before = len(site.hits)
        # No --redis: the workers share a private redis-server on a unix socket in DATA/.redis.
        result = run_scraper(*crawl_args(site, tmp_path / "data", "--workers", "3", "--json"),
                             timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        hits = Counter(f"http://{h.host}{h.path}" for h in site.hits[before:])
    twice = [url for url, count in hits.items() if count > 1]
    assert len(hits) == 306 and not twice, twice  # 300 articles, 6 sources and robots.txt
    uris = response_uris(tmp_path / "data")
    assert len(uris) == len(set(uris)) == 306 and site.article_urls() <= set(uris)
    verify = run_scraper("verify", str(tmp_path / "data" / "warc"))
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert captures(tmp_path / "data") == captures(tmp_path / "single")
    report = json.loads(result.stdout)
    assert report["state"] == "finished" and report["done"] == 304 and report["failed"] == 0
    # Workers that found the queue empty while the first one seeded did not end the job.
    assert all(w["manifest"]["sites"]["al-monitor"]["fetched"] > 0 for w in report["workers"])
    assert not (tmp_path / "data" / ".redis" / "redis.sock").exists()  # the server stopped


def test_kill_9_of_a_worker_loses_nothing(tmp_path: Path) -> None:
    data, job = tmp_path / "data", "kill"
    with RedisForTests(tmp_path / "redis") as redis, \
            NewsHosts(2, SiteConfig(latency=0.05)) as site:
        parent = start(crawl_args(site, data, "--workers", "3", "--redis", redis.url, "--job",
                                  job, "--json", "-s", "DISTRIBUTED_LEASE_SECONDS=3"),
                       tmp_path / "log")
        wait_for(lambda: article_hits(site) >= 100, what="100 fetches")
        victim = children_of(parent.pid)[0]
        os.kill(victim, signal.SIGKILL)
        held = leased_urls(redis, job, victim)
        out, _ = parent.communicate(timeout=300)
        counts = site.fetch_counts()
    report = json.loads(out)
    assert report["state"] == "finished" and report["failed"] == 0, report
    assert report["exit_code"] == 1  # a worker died: partial, though nothing is missing
    twice = {url for url, n in counts.items() if n > 1}
    assert twice <= held, (twice - held, held)
    assert site.article_urls() <= set(response_uris(data))
    assert not list((data / "warc").glob("*.open"))  # the killed worker's file was recovered
    verify = run_scraper("verify", str(data / "warc"))
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_politeness_is_shared_by_all_workers(tmp_path: Path) -> None:
    config = SiteConfig(articles_per_host=25, latency=0.35, crawl_delay=0.3)
    with RedisForTests(tmp_path / "redis") as redis, NewsHosts(2, config) as site:
        result = run_scraper(*crawl_args(site, tmp_path / "data", "--workers", "3", "--redis",
                                         redis.url, "-s", "DOWNLOAD_DELAY=0.1",
                                         "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
                                         "-s", "DOWNLOAD_TIMOUT=30"),
                             timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        hits, max_active = list(site.hits), list(site.max_active)
    # the parent checked the options for its workers: said once, not once per process
    assert result.stderr.count("Warning: -s DOWNLOAD_TIMOUT: not a setting") == 1, result.stderr
    for host in site.host_names():
        mine = [h for h in hits if h.host == host]
        assert sum(1 for h in mine if h.path == "/robots.txt") == 1  # once for all workers
        starts = sorted(h.start for h in mine if h.path != "/robots.txt")
        gaps = [b - a for a, b in zip(starts, starts[1:])]
        assert len(starts) >= 25 and min(gaps) >= 0.9 * 0.3, (host, min(gaps))  # Crawl-delay
    assert max(max_active) <= 2, max_active


def test_an_unreachable_robots_txt_disallows_the_host_for_every_worker(tmp_path: Path
                                                                       ) -> None:
    config = SiteConfig(articles_per_host=10, robots_status={1: 503})
    with RedisForTests(tmp_path / "redis") as redis, NewsHosts(2, config) as site:
        result = run_scraper(*crawl_args(site, tmp_path / "data", "--workers", "3", "--redis",
                                         redis.url, "--json"), timeout=300)
        hits = list(site.hits)
    report = json.loads(result.stdout)
    closed, open_host = site.host_names()[1], site.host_names()[0]
    # One worker fetched it (503: with Scrapy's 2 retries, as one process does), none since.
    assert [h.path for h in hits if h.host == closed] == ["/robots.txt"] * 3
    assert {f"http://{open_host}{p}" for p in site.article_paths(0)} <= {
        f"http://{h.host}{h.path}" for h in hits}
    skipped = sum(w["manifest"]["sites"]["al-monitor"]["skipped_by_robots"]
                  for w in report["workers"])
    # host 1's child sitemap and the 5 of its articles the feed lists (each is counted under
    # robotstxt/forbidden and robotstxt/forbidden_unreachable: 2 per request)
    assert skipped >= 6
    assert report["state"] == "finished" and report["failed"] == 0


def test_sigterm_hands_back_leases_and_a_late_worker_wipes_nothing(tmp_path: Path) -> None:
    data, job = tmp_path / "data", "late"
    config = SiteConfig(articles_per_host=30, latency=0.1)
    with RedisForTests(tmp_path / "redis") as redis, NewsHosts(2, config) as site:
        args = crawl_args(site, data, "--redis", redis.url, "--job", job, "--json")
        first = start(args, tmp_path / "first.log")
        wait_for(lambda: any(h.path == "/robots.txt" for h in site.hits), what="seeding")
        second = start(args, tmp_path / "second.log")  # the queue is still empty: it waits
        wait_for(lambda: article_hits(site) >= 20, what="20 fetches")
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=120)
        assert leased_urls(redis, job, first.pid) == set()  # handed back, not left to expire
        out, _ = second.communicate(timeout=300)
        assert second.returncode == 0, (tmp_path / "second.log").read_text()[-3000:]
        assert json.loads(out)["sites"]["al-monitor"]["fetched"] > 0
        client = redis.client()
        before = {k: client.type(k) for k in client.keys(f"scraper:job:{job}:*")}
        done = client.scard(f"scraper:job:{job}:al-monitor:done")
        late = run_scraper(*args)
        assert late.returncode == 0, late.stderr[-2000:]
        assert json.loads(late.stdout)["sites"]["al-monitor"]["fetched"] == 0
        assert client.scard(f"scraper:job:{job}:al-monitor:done") == done
        assert set(before) <= set(client.keys(f"scraper:job:{job}:*"))
    assert site.article_urls() <= set(response_uris(data))


def test_redis_restarted_mid_job_workers_wait_and_lose_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with RedisForTests(tmp_path / "redis", persist=True) as redis, \
            NewsHosts(2, SiteConfig(latency=0.03)) as site:
        parent = start(crawl_args(site, data, "--workers", "2", "--redis", redis.url, "--json",
                                  "-s", "DISTRIBUTED_LEASE_SECONDS=30"), tmp_path / "log")
        wait_for(lambda: article_hits(site) >= 60, what="60 fetches")
        redis.restart(down_for=3)
        out, _ = parent.communicate(timeout=300)
    log = (tmp_path / "log").read_text()
    assert parent.returncode == 0, log[-3000:]
    assert "is unreachable" in log and "is back after" in log
    assert site.article_urls() <= set(response_uris(data))
    assert json.loads(out)["state"] == "finished"


def test_a_request_that_always_fails_stops_after_n_tries(tmp_path: Path) -> None:
    broken, secret = "/originals/2026/11/broken", "s3cret-pw"
    config = SiteConfig(articles_per_host=5, always_failing={broken})
    data, log = tmp_path / "data", tmp_path / "full.log"
    with RedisForTests(tmp_path / "redis", password=secret) as redis, \
            NewsHosts(2, config) as site:
        result = run_scraper(*crawl_args(site, data, "--redis", redis.url, "--job", "fails",
                                         "--json", "--log-file", str(log)))
        tries = sum(1 for h in site.hits if h.path == broken)
        failed = redis.client().lrange("scraper:job:fails:al-monitor:failed", 0, -1)
    assert result.returncode == 1, result.stderr[-2000:]  # partial
    written = [result.stdout, result.stderr, log.read_text()] + [
        p.read_text() for p in (data / "runs").glob("*.json")] + [
        gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
        for p in (data / "warc").glob("*.warc.gz")]
    assert "Overridden settings" in log.read_text()  # Scrapy printed the settings: redacted
    assert not [text for text in written if secret in text]
    assert tries == 3  # RETRY_TIMES=2 retries, DISTRIBUTED_MAX_TRIES=3
    assert json.loads(result.stdout)["sites"]["al-monitor"]["given_up"] == 1
    assert [json.loads(f)["url"] for f in failed] == [site.origins[0] + broken]


def test_two_machines_incremental_runs_and_merge_equal_one_machine(tmp_path: Path) -> None:
    config = SiteConfig(articles_per_host=20)
    machines = [tmp_path / "m1", tmp_path / "m2"]
    with RedisForTests(tmp_path / "redis") as redis, NewsHosts(2, config) as site:
        def run_job(job: str, *extra: str) -> None:
            workers = [start(crawl_args(site, m, "--redis", redis.url, "--job", job,
                                        "--incremental", *extra, extract=True),
                             tmp_path / f"{job}-{m.name}.log") for m in machines]
            for worker in workers:
                worker.communicate(timeout=300)
                assert worker.returncode in (0, 4), (tmp_path / f"{job}-m1.log").read_text()

        run_job("first")
        single = crawl_args(site, tmp_path / "single", "--incremental", extract=True)
        assert run_scraper(*single).returncode == 0
        config.articles_per_host = 25  # five new articles on each host
        before = len(site.hits)
        run_job("second", "--recheck-after", "1h")
        second = Counter(h.path for h in site.hits[before:] if h.path.startswith("/originals/"))
        assert run_scraper(*single, "--recheck-after", "1h").returncode == 0
    new = {p for i in range(2) for p in site.article_paths(i)[20:]}
    assert set(second) == new and set(second.values()) == {1}  # once in total, not per machine
    merged = run_scraper("merge", *map(str, machines), "--into", str(tmp_path / "merged"))
    assert merged.returncode == 0, merged.stderr
    assert captures(tmp_path / "merged", with_digest=False) == \
        captures(tmp_path / "single", with_digest=False)
    verify = run_scraper("verify", str(tmp_path / "merged" / "warc"))
    assert verify.returncode == 0, verify.stdout + verify.stderr
