"""Check ``-s NAME=VALUE`` overrides before a crawl starts, so a typo is a usage error.

Scrapy converts setting values only when a component reads them, deep inside the crawl: a
``-s DOWNLOAD_TIMEOUT=abc`` is a traceback after the run has begun, and a misspelt name is
silently ignored. Here each value is converted the way the setting's default is typed, and an
unknown name is reported with the closest known names.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from scrapy.settings import Settings

from scraper.errors import UsageError

_BOOL_WORDS = {"1", "0", "true", "false"}

#: Settings that take 0 (no limit) or at least this much, and why: below it nothing can work.
ZERO_OR_AT_LEAST = {
    "EXTRACT_MEMORY_MB": (256, "each extraction worker needs about 100 MiB before its first "
                               "page, so every page would fail"),
}


def check_overrides(overrides: dict[str, str], settings: Settings) -> list[str]:
    """Warnings for unknown names; UsageError for a value its setting cannot take.

    Args:
        overrides: the ``-s`` values, as typed.
        settings: the project settings before the overrides (their defaults give the types).
    """
    known = sorted(name for name in settings)
    warnings = []
    for name, value in overrides.items():
        if name not in settings:
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.7)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            warnings.append(f"-s {name}: not a setting of Scrapy or of this project (ignored "
                            f"unless an add-on reads it){hint}")
            continue
        problem = _conversion_problem(value, settings.get(name)) or _below_minimum(name, value)
        if problem:
            raise UsageError(f"-s {name}={value!r}: {problem}")
    return warnings


def _conversion_problem(value: str, default: Any) -> str | None:
    """Why ``value`` cannot stand for a setting whose default is ``default``."""
    if isinstance(default, bool):
        if value.strip().lower() not in _BOOL_WORDS:
            return "give True, False, 1 or 0"
        return None
    if isinstance(default, (int, float)):  # Scrapy reads some int defaults with getfloat
        try:
            float(value)
        except ValueError:
            return f"give a number (the default is {default!r})"
        return None
    if isinstance(default, dict) or _is_base_settings(default):
        try:
            parsed = json.loads(value)
        except ValueError:
            return "give a JSON object, e.g. '{\"name\": 1}'"
        return None if isinstance(parsed, dict) else "give a JSON object"
    return None


def _below_minimum(name: str, value: str) -> str | None:
    if name not in ZERO_OR_AT_LEAST or float(value) == 0:
        return None
    minimum, why = ZERO_OR_AT_LEAST[name]
    return None if float(value) >= minimum else f"give 0 (no limit) or at least {minimum}: {why}"


def _is_base_settings(value: Any) -> bool:
    from scrapy.settings import BaseSettings

    return isinstance(value, BaseSettings)
