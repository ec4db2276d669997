"""A real browser for tests: Debian's chromium driven by Playwright, and ReplayWeb.page.

Playwright's own browser download is not reachable from here, so it drives the system
chromium through ``executable_path``; ReplayWeb.page comes from the npm registry (``npm pack``,
unpacked by ``tests/support/replayweb_env.sh``). Locally a missing tool skips the test with the
command that installs it; in CI (``CI=true``) or with ``SCRAPER_REQUIRE_TOOLS=1`` (the Makefile's
``test`` target sets it) it fails the test instead, so a broken set-up cannot pass as skipped.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.support.tools import missing_tool as skip_or_fail

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("SCRAPER_CHROMIUM", "/usr/bin/chromium"))
REPLAYWEB_VERSION = "2.5.3"
REPLAYWEB_DIR = Path(os.environ.get(
    "SCRAPER_REPLAYWEB_DIR", REPO_ROOT / ".cache" / f"replaywebpage-{REPLAYWEB_VERSION}"))
SETUP_HINT = "run `bash tests/support/replayweb_env.sh` (apt-get chromium, npm pack)"

# As root and on a closed network: no sandbox, no GPU, and none of chromium's background
# connections to Google's hosts (refused here, many at a time, at every start).
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-dev-shm-usage"]

#: The visible text of every element named ``tag`` (upper case), looking into shadow roots:
#: ReplayWeb.page is web components all the way down, and Playwright's text engine does not
#: see text its <keyword-mark> elements hold in their light DOM.
DEEP_TEXTS = """(tag) => {
  const found = [];
  const walk = (node) => {
    if (node.shadowRoot) walk(node.shadowRoot);
    for (const child of node.children || []) walk(child);
    if (node.tagName === tag) {
      found.push((node.shadowRoot || node).textContent.replace(/\\s+/g, " ").trim());
    }
  };
  walk(document);
  return found;
}"""


def missing_tool(need_replayweb: bool = True) -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed: pip install -e '.[test]'"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"{CHROMIUM} is missing: {SETUP_HINT}"
    if need_replayweb and not (REPLAYWEB_DIR / "ui.js").is_file():
        return f"ReplayWeb.page {REPLAYWEB_VERSION} is not in {REPLAYWEB_DIR}: {SETUP_HINT}"
    return None


def require_tools(need_replayweb: bool = True) -> None:
    """Skip (or, in CI, fail) the calling test when the browser or ReplayWeb.page is missing."""
    reason = missing_tool(need_replayweb)
    if reason is not None:
        skip_or_fail(reason)


@contextmanager
def chromium(profile: Path, **options: Any) -> Iterator[Any]:
    """A headless Debian chromium under Playwright, with a fresh profile folder.

    ``options`` go to Playwright's ``launch_persistent_context`` (``java_script_enabled``,
    ``offline``, ...).
    """
    from playwright.sync_api import sync_playwright

    shutil.rmtree(profile, ignore_errors=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900}, **options)
        try:
            yield context
        finally:
            context.close()


def deep_texts(page: Any, tag: str) -> list[str]:
    texts: list[str] = page.evaluate(DEEP_TEXTS, tag.upper())
    return texts


def wait_for_deep_texts(page: Any, tag: str, count: int, exact: bool = False,
                        timeout_ms: float = 60_000) -> None:
    """Wait until ``count`` (or, unless ``exact``, more) elements named ``tag`` exist."""
    operator = "===" if exact else ">="
    page.wait_for_function(f"(tag) => ({DEEP_TEXTS})(tag).length {operator} {count}",
                           arg=tag.upper(), timeout=timeout_ms)
