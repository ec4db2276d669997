"""``scraper jobs`` and ``scraper jobs finish NAME``."""

from __future__ import annotations

import click

redis_option = click.option(
    "--redis", "redis_url", envvar="SCRAPER_REDIS", metavar="URL",
    help="The jobs' Redis: redis://[:PASSWORD@]HOST:PORT/DB, rediss://..., unix:///path "
         "(SCRAPER_REDIS).")


@click.group(invoke_without_command=True)
@redis_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per job on stdout.")
@click.pass_context
def jobs(ctx: click.Context, redis_url: str | None, as_json: bool) -> None:
    """List the distributed crawl jobs in a Redis: queued, in flight, done and failed requests.

    \b
    Examples:
      scraper jobs --redis redis://10.0.0.5:6379/0
      scraper jobs finish nightly --redis redis://10.0.0.5:6379/0
    """
    if ctx.invoked_subcommand is not None:
        return
    import json

    from scraper.distributed.connection import RedisAddress, RedisLink
    from scraper.distributed.jobs import job_names, summarize
    from scraper.table import format_table

    link = RedisLink(RedisAddress(_required(redis_url)))
    summaries = [summarize(link, name) for name in job_names(link)]
    if as_json:
        for summary in summaries:
            click.echo(json.dumps(summary.as_json(), ensure_ascii=False))
        return
    if not summaries:
        click.echo(f"no jobs in {link.address}")
        return
    rows: list[list[object]] = [["job", "state", "queued", "in flight", "done", "failed",
                                 "sites"]]
    for s in summaries:
        rows.append([s.name, s.state, s.counts["queued"], s.counts["in_flight"],
                     s.counts["done"], s.counts["failed"], ",".join(s.spiders)])
    for line in format_table(rows, free_last=True):
        click.echo(line)


@jobs.command()
@click.argument("name")
@redis_option
@click.option("--force", is_flag=True, help="Remove the job's keys even while it runs.")
def finish(name: str, redis_url: str | None, force: bool) -> None:
    """Remove a finished job's keys (queue, leases, seen and done sets, failed list)."""
    from scraper.distributed.connection import RedisAddress, RedisLink
    from scraper.distributed.jobs import finish_job

    removed = finish_job(RedisLink(RedisAddress(_required(redis_url))), name, force)
    click.echo(f"job {name}: removed {removed} keys")


def _required(redis_url: str | None) -> str:
    from scraper.errors import UsageError

    if not redis_url:
        raise UsageError("which Redis? give --redis redis://HOST:PORT/DB (or SCRAPER_REDIS)")
    return redis_url
