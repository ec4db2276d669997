"""External tools some tests need (pywb, py-wacz, browsers): skip locally, fail in CI.

``make test`` (and so ``.ci/run``) installs them and sets ``SCRAPER_REQUIRE_TOOLS=1``: there a
missing or broken tool is a failure, never a silent skip.
"""

from __future__ import annotations

import os

import pytest


def tools_required() -> bool:
    """Whether a missing tool must fail the test (CI, ``make test``) rather than skip it."""
    return (os.environ.get("CI", "").lower() in ("1", "true", "yes")
            or os.environ.get("SCRAPER_REQUIRE_TOOLS", "") not in ("", "0"))


def missing_tool(reason: str) -> None:
    """Skip the test with ``reason``, or fail it when the tools are required."""
    if tools_required():
        pytest.fail(f"required tool missing (SCRAPER_REQUIRE_TOOLS=1): {reason}")
    pytest.skip(reason)
