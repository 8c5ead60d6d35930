"""Command-line text that a non-UTF-8 locale decoded wrongly."""

from __future__ import annotations

import os


def fix_arg(arg: str) -> str:
    """Undo a non-UTF-8 locale's decoding of an argument that was UTF-8 bytes.

    Only for text (queries, names); a file path stays the OS string it was, so
    that opening it finds the same bytes the shell passed.
    """
    if not any("\udc80" <= ch <= "\udcff" for ch in arg) and arg.isascii():
        return arg
    try:
        raw = os.fsencode(arg)
    except UnicodeEncodeError:
        return arg
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return arg


def is_ascii_int(text: str) -> bool:
    """Whether ``text`` is a whole number in ASCII digits (blanks around it allowed), as a count
    or a paragraph number must be: ``int()`` also takes ``٣``, ``３`` and ``1_0``."""
    body = text.strip()
    if body[:1] in ("+", "-"):
        body = body[1:]
    return body.isascii() and body.isdigit()
