"""The ``scraper`` command group: the commands, and one place that turns errors into exit codes.

Each command lives in its own module, parses its options and calls one library function.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import Any

import click

from scraper import __version__
from scraper.cli import (
    crawl,
    demo,
    export,
    extract,
    history,
    import_,
    index,
    jobs,
    merge,
    package,
    recover,
    reindex,
    report,
    sites,
    status,
    verify,
)
from scraper.errors import USER_ERRORS

EXIT_CODES_HELP = """Exit codes: 0 success; 1 partial (some pages or files failed); 2 usage or
configuration error; 3 fatal (disk full, unwritable folder); 4 nothing to do (an --incremental
run found nothing new or due, an import found every file already there); 5 another run holds
the collection's lock."""


class ErrorReportingGroup(click.Group):
    """A group whose commands' library errors become one line on stderr and their exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except USER_ERRORS as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(getattr(error, "exit_code", 1))


@click.group(cls=ErrorReportingGroup, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="scraper")
def main() -> None:
    """Archive news sites into WARC files that replay in pywb and ReplayWeb.page."""


for module in (demo, crawl, sites, extract, import_, export, recover, verify, reindex, history,
               status, index, package, report, jobs, merge):
    main.add_command(getattr(module, module.__name__.rsplit(".", 1)[1]))


def run() -> None:
    """The ``scraper`` program (``[project.scripts]``, ``python -m scraper``): the command, then
    :func:`exit_without_teardown`."""
    try:
        main()  # click's standalone mode: always ends in SystemExit
    except SystemExit as end:
        exit_without_teardown(end.code)


def exit_without_teardown(code: int | str | None) -> None:
    """Exit as Python would, minus the module teardown: 0.2 s of CPU once Scrapy and Twisted
    are loaded, paid by every worker of a job at its end.

    The atexit handlers still run (logging flushes and closes its files there) and stdout and
    stderr are flushed; every file the program writes is closed by the code that writes it,
    never left to the teardown. With a thread still running, or no atexit hook in this
    Python, the exit is Python's own.
    """
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    others = [t for t in threading.enumerate()
              if t is not threading.main_thread() and not t.daemon]
    if run_exit_handlers is None or others:
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)  # what sys.exit does with a message
        status = 1
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            status = status or 120  # Python's status when stdout cannot be flushed at exit
    os._exit(status)
