"""``scraper sites``."""

from __future__ import annotations

import sys

import click

from scraper.cli.common import parse_overrides
from scraper.table import format_table


@click.command()
@click.argument("names", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
@click.option("--check", is_flag=True,
              help="Fetch each site's discovery sources and a few articles (needs internet); "
                   "exit 1 if a site is BLOCKED (bot walls, with what was seen) or BROKEN.")
@click.option("--match", "match", is_flag=True,
              help="Treat the arguments as URLs: print, tab-separated, each URL, the site "
                   "owning it, and article / denied (with the deny rule) / not article.")
@click.option("--at", "at", metavar="DATE", default=None,
              help="With --match: use the rules the site had on DATE (rules versioned by date).")
@click.option("--articles", type=click.IntRange(min=1), default=3, show_default=True,
              help="With --check: articles to fetch per site.")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="HOST",
              help="With --check: allow this private host (a local mirror).")
@click.option("--set", "-s", "overrides", multiple=True, metavar="NAME=VALUE",
              help="With --check: override a setting.")
def sites(names: tuple[str, ...], as_json: bool, check: bool, match: bool, at: str | None,
          articles: int, allowed_hosts: tuple[str, ...], overrides: tuple[str, ...]) -> None:
    """List the built-in sites: name, languages, discovery sources, paywall, notes.

    \b
    Examples:
      scraper sites
      scraper sites --json
      scraper sites --check al-monitor aljazeera-en
      scraper sites --match https://www.rudaw.net/english/kurdistan/18022026
    """
    import json

    from scraper.sites.registry import all_sites, get_site

    if match:
        _match_urls(names, at)
        return
    if check:
        _check_sites(tuple(get_site(n).name for n in names) or tuple(all_sites()), articles,
                     allowed_hosts, parse_overrides(overrides))
        return
    definitions = [get_site(n) for n in names] if names else list(all_sites().values())
    if as_json:
        click.echo(json.dumps([d.as_json() for d in definitions], ensure_ascii=False, indent=2))
        return
    rows = [(d.name, ",".join(d.languages), ",".join(d.source_kinds()), d.paywall,
             d.notes.split(". ")[0][:60]) for d in definitions]
    header = ("name", "languages", "sources", "paywall", "notes")
    for line in format_table([header, *rows], free_last=True):
        click.echo(line)


def _match_urls(urls: tuple[str, ...], at: str | None) -> None:
    from scraper.errors import UsageError
    from scraper.extract.dates import parse_date
    from scraper.sites.matching import match_url

    if not urls:
        raise UsageError("--match needs at least one URL")
    moment = parse_date(at) if at else None
    if at and moment is None:
        raise UsageError(f"--at {at!r}: not a date (use YYYY-MM-DD)")
    for url in urls:
        click.echo(match_url(url, moment).line())


def _check_sites(names: tuple[str, ...], articles: int, allowed_hosts: tuple[str, ...],
                 overrides: dict[str, str]) -> None:
    from scraper.crawl.site_check import check_sites, format_checks

    checks = check_sites(names, articles, {"allowed_hosts": allowed_hosts, "overrides": overrides,
                                           "log_level": "ERROR"})
    for line in format_checks(checks):
        click.echo(line)
    blocked = [c.site for c in checks if c.status == "BLOCKED"]
    broken = [c.site for c in checks if c.status == "BROKEN"]
    if blocked:
        click.echo(f"blocked: {', '.join(blocked)}", err=True)
    if broken:
        click.echo(f"broken: {', '.join(broken)}", err=True)
    if blocked or broken:
        sys.exit(1)
