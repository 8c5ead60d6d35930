"""ISO dates at the precision the article gives them (2021, 2021-12, 2021-12-27).

Standard library only: the query path (``timeline --since``) checks dates too.
"""

from __future__ import annotations

import re

# ASCII digits only: Python's \d also matches ２ and ٣, and dates are compared as texts
DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


def check_date(value: str) -> str | None:
    """The problem with an ISO date text, or None if it is fine."""
    match = DATE_RE.match(value)
    if not match:
        if any(ch.isdigit() and not ch.isascii() for ch in value):
            return f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD in ASCII digits (0-9), got {value!r}"
        return f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}"
    year, month, day = match.groups()
    if year == "0000":
        return f"year out of range in {value!r} (years start at 0001)"
    if month and not 1 <= int(month) <= 12:
        return f"month out of range in {value!r}"
    if day:
        import datetime

        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return f"day out of range in {value!r}"
    return None


def precision(iso: str) -> str:
    """year, month or day, from the length of a checked ISO date text."""
    return {4: "year", 7: "month", 10: "day"}.get(len(iso), "day")
