"""``scraper crawl``."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from scraper.cli.common import data_option, parse_overrides, recover_and_report
from scraper.errors import UsageError


@click.command()
@click.argument("sites", nargs=-1)
@click.option("--url", help="Start URL: crawl this site (same registrable domain only).")
@click.option("--all", "all_sites", is_flag=True, help="Crawl every built-in site.")
@click.option("--since", help="Only articles published since: 2026-11-20, yesterday, 6h, 3d.")
@click.option("--limit", type=click.IntRange(min=0), default=0,
              help="Stop after this many pages per site (0: no limit).")
@data_option
@click.option("--allow-private", is_flag=True,
              help="Allow loopback and private addresses (local mirrors, tests).")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="HOST",
              help="Allow this one private host (a local mirror); repeatable.")
@click.option("--keep-secrets", is_flag=True,
              help="Store Cookie, Set-Cookie and Authorization values in the WARC unredacted.")
@click.option("--operator", envvar="SCRAPER_OPERATOR", help="Contact written into warcinfo.")
@click.option("--contact", "contact_url", envvar="SCRAPER_CONTACT",
              help="URL put in the User-Agent for site owners to reach you.")
@click.option("--concurrency", type=click.IntRange(min=1), help="Parallel requests per site.")
@click.option("--delay", type=click.FloatRange(min=0),
              help="Seconds between requests to a site; 0 also turns AutoThrottle off.")
@click.option("--extract/--no-extract", default=True, show_default=True,
              help="Extract article records into DATA/articles/ while crawling.")
@click.option("--incremental", is_flag=True,
              help="Fetch only new articles and those due for a re-check (feeds always).")
@click.option("--recheck-after", default="1h,6h,24h,72h", show_default=True,
              help="With --incremental: when an article is re-checked, from first seen.")
@click.option("--quiet", "-q", is_flag=True, help="Only warnings and the final summary.")
@click.option("--verbose", "-v", is_flag=True, help="Scrapy's full log on stderr.")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the full log here.")
@click.option("--json", "as_json", is_flag=True, help="Print the run manifest on stdout.")
@click.option("--set", "-s", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override any Scrapy or scraper setting.")
@click.option("--redis", "redis_url", envvar="SCRAPER_REDIS", metavar="URL",
              help="Join a distributed job on this Redis: redis://[:PASSWORD@]HOST:PORT/DB, "
                   "rediss://... (TLS) or unix:///path/redis.sock (SCRAPER_REDIS).")
@click.option("--job", help="Distributed job name, the same on every machine "
                            "(default: derived from the sites).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes of one job on this machine; without --redis they share "
                   "a private redis-server.")
def crawl(sites: tuple[str, ...], url: str | None, all_sites: bool, since: str | None,
          limit: int, data_dir: Path, allow_private: bool, allowed_hosts: tuple[str, ...],
          keep_secrets: bool, operator: str | None, contact_url: str | None,
          concurrency: int | None, delay: float | None, extract: bool, incremental: bool,
          recheck_after: str, quiet: bool, verbose: bool, log_file: Path | None, as_json: bool,
          overrides: tuple[str, ...], redis_url: str | None, job: str | None,
          workers: int) -> None:
    """Crawl built-in SITES (see `scraper sites`) or any site from --url, into DATA/warc.

    \b
    Examples:
      scraper crawl al-monitor aljazeera-en --since 2026-11-20 --limit 500
      scraper crawl --all --since yesterday --incremental --quiet
      scraper crawl --url https://www.example-news.org/ --limit 200 --data ./data
      scraper crawl --all --workers 2                         (one job, two processes)
      scraper crawl --all --redis redis://10.0.0.5:6379/0 --job nightly   (on each machine)
    """
    import json

    group = _start_workers(workers)  # first: their start-up runs while the options are checked
    redis_url, job, checked = _from_parent(redis_url, job)
    with _cancelled_on_error(group):
        options = _checked_options(
            checked=checked,
            data_dir=data_dir, url=url, sites=_site_names(url, sites, all_sites), since=since,
            limit=limit, allow_private=allow_private, allowed_hosts=allowed_hosts,
            redact_secrets=not keep_secrets, operator=operator, contact_url=contact_url,
            concurrency=concurrency, delay=delay, log_level="INFO" if verbose else "WARNING",
            log_file=log_file, extract=extract, incremental=incremental,
            recheck_after=recheck_after, progress=not quiet and sys.stderr.isatty(),
            overrides=parse_overrides(overrides))
        if job and not redis_url and workers == 1:
            raise UsageError("--job names a distributed job: give --redis URL or --workers N too")
    if group is not None:
        _run_workers(group, options, redis_url, job, as_json, quiet)
    if redis_url:
        from scraper.distributed.workers import join_job

        options = join_job(options, redis_url, job)
    from scraper.crawl.job import run_job

    outcome = run_job(options, _recover_before(options, quiet),
                      lambda text: click.echo(text, err=True))
    if as_json:
        click.echo(json.dumps(outcome.manifest.as_json(), indent=2, ensure_ascii=False))
    click.echo(outcome.summary, err=as_json or quiet)
    sys.exit(outcome.exit_code)


def _start_workers(count: int) -> Any:
    """``--workers N`` (N > 1): the job's workers, started and held (a WorkerGroup)."""
    if count == 1:
        return None
    from scraper.distributed.workers import WorkerGroup

    return WorkerGroup.start(count, sys.argv[sys.argv.index("crawl"):])


@contextmanager
def _cancelled_on_error(group: Any) -> Iterator[None]:
    """Whatever goes wrong before the workers' go (a WorkerGroup, or None) stops them."""
    try:
        yield
    except BaseException:
        if group is not None:
            group.cancel()
        raise


def _from_parent(redis_url: str | None, job: str | None) -> tuple[str | None, str | None, bool]:
    """The Redis URL, the job, and whether a parent checked the options: a worker of
    ``--workers N`` loads the crawl while its parent checks them, then takes the parent's
    job and Redis; it exits 2 without a word when the parent found them wrong (it says why)."""
    from scraper.distributed.workers import GATED_ENV, wait_for_parent

    if os.environ.get(GATED_ENV) != "1":
        return redis_url, job, False
    import scraper.crawl.incremental  # noqa: F401  # what the checks and the crawl load
    import scraper.crawl.job  # noqa: F401
    import scraper.sites.registry  # noqa: F401

    told = wait_for_parent()
    if told is None:
        sys.exit(2)
    return told[0], told[1], True


def _checked_options(checked: bool, since: str | None, recheck_after: str,
                     **fields: Any) -> Any:
    """The CrawlOptions; checked (warnings on stderr) unless a parent ``checked`` them."""
    from scraper.crawl.incremental import parse_schedule
    from scraper.crawl.options import CrawlOptions
    from scraper.crawl.process import check_options
    from scraper.store.since import parse_since

    parse_schedule(recheck_after)
    options = CrawlOptions(since=parse_since(since) if since else None,
                           recheck_after=recheck_after, **fields)
    if not checked:
        for warning in check_options(options):
            click.echo(f"Warning: {warning}", err=True)
    return options


def _recover_before(options: Any, quiet: bool) -> Callable[[Path], list[Any]]:
    """What the run does to the folder first: recover what earlier crawls left open (the
    open files of a distributed job's other workers are theirs, and not reported)."""
    return lambda data: recover_and_report(data, quiet, running_expected=options.shared_lock)


def _site_names(url: str | None, sites: tuple[str, ...], all_sites: bool) -> tuple[str, ...]:
    """The built-in sites asked for; UsageError for none, an unknown one, or sites and --url."""
    from scraper.sites.registry import all_sites as registered
    from scraper.sites.registry import get_site

    if url and (sites or all_sites):
        raise UsageError("give either site names (or --all) or --url, not both")
    names = tuple(registered()) if all_sites else tuple(get_site(s).name for s in sites)
    if not url and not names:
        raise UsageError("nothing to crawl: name sites (`scraper sites` lists them), --all, or "
                         "--url URL (example: scraper crawl --url https://www.example-news.org/)")
    return names


def _finish_folder(data_dir: Path, options: Any, quiet: bool) -> None:
    """Once every worker has stopped: close their .open files, finish killed runs, extract
    captures a killed worker left pending (``scraper recover`` does the same)."""
    from scraper.crawl.job import recover_collection, recovered_paths
    from scraper.store.runs import RunLock

    with RunLock(data_dir):
        reports = recover_and_report(data_dir, quiet)
        pending = recover_collection(data_dir, options.extract, recovered_paths(reports))
    if pending.describe():
        click.echo(pending.describe(), err=True)


def _run_workers(group: Any, options: Any, workers_redis: str | None, job: str | None,
                 as_json: bool, quiet: bool) -> None:
    import json

    from scraper.distributed.connection import RedisAddress
    from scraper.distributed.jobkeys import check_job_name
    from scraper.distributed.workers import default_job_name, job_line, run_workers

    with _cancelled_on_error(group):
        name = check_job_name(job or default_job_name(options.sites, options.url))
        address = RedisAddress(workers_redis) if workers_redis else None
    report = run_workers(group, name, address, options.data_dir,
                         lambda data: _finish_folder(data, options, quiet))
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    click.echo(job_line(report), err=as_json or quiet)
    sys.exit(report["exit_code"])
