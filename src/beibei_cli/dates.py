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


def date_key(date: str, high: bool) -> str:
    """A date at any precision as a comparable text: its first (``high`` False) or last day
    (2022 is 2022-00-00 .. 2022-99-99)."""
    pad = "-99-99" if high else "-00-00"
    return date + pad[len(date) - 4 :]


def date_bounds(
    since: str | None, until: str | None, flags: tuple[str, str] = ("--since", "--until")
) -> tuple[str | None, str | None]:
    """``since`` and ``until`` as comparable keys, checked: a usage error names the bad one by
    its ``flags`` (``--reports-since`` for a shelf's report dates)."""
    from beibei_cli.errors import UsageError

    for label, value in zip(flags, (since, until), strict=True):
        if value is not None:
            if not isinstance(value, str):
                raise UsageError(f"{label}: expected a date as text (2022, 2022-04 or 2022-04-01), got {value!r}")
            problem = check_date(value)
            if problem:
                raise UsageError(f"{label}: {problem}")
    low = date_key(since, False) if since is not None else None
    high = date_key(until, True) if until is not None else None
    if low is not None and high is not None and low > high:
        raise UsageError(f"{flags[0]} {since} is after {flags[1]} {until}: no date can be between them")
    return low, high


def in_bounds(iso: str, low: str | None, high: str | None) -> bool:
    """Whether a date at any precision can fall between the bounds (2022 is within --since 2022-06)."""
    return (low is None or date_key(iso, True) >= low) and (high is None or date_key(iso, False) <= high)
