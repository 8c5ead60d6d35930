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
