"""``--since`` values: a date, a date and time, ``today``, ``yesterday``, or an age (6h, 3d, 2w)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from scraper.errors import UsageError
from scraper.extract.dates import parse_date

_AGE = re.compile(r"^(\d+)\s*([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_since(value: str, now: datetime | None = None) -> datetime:
    """The moment ``value`` names, in UTC when it gives no zone."""
    now = now or datetime.now(timezone.utc)
    text = value.strip().lower()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if text == "today":
        return midnight
    if text == "yesterday":
        return midnight - timedelta(days=1)
    age = _AGE.match(text)
    if age:
        try:
            return now - timedelta(**{_UNITS[age.group(2)]: int(age.group(1))})
        except OverflowError:  # beyond year 1 or timedelta's 999,999,999 days
            raise UsageError(f"--since {value!r}: that age reaches back before year 1; "
                             "give a smaller one or a date") from None
    moment = parse_date(value)
    if moment is None:
        raise UsageError(f"--since {value!r}: give a date (2026-11-20), today, yesterday, "
                         "or an age such as 6h, 3d, 2w")
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
