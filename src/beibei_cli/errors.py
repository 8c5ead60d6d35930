"""The one family of domain errors and the named exit codes.

Every failure a user can cause ends as a ``BeibeiError``; ``entry.main`` is the
single place that turns it into a message on stderr and an exit code.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    NO_MATCH = 1  # a search found nothing (as grep and ripgrep)
    USAGE = 2  # bad arguments, bad data, unreadable files
    INTERNAL = 70  # a bug in beibei itself (EX_SOFTWARE); reported in one line, not a traceback
    INTERRUPTED = 130  # Ctrl-C


MAX_MESSAGE = 2000  # characters in one error line: past this, long runs in it are shortened


def _shorten(message: str) -> str:
    """``message`` with every run of more than 200 characters without a blank cut to its
    first 100 and last 20, and the count of what was left out."""
    import re

    def cut(m: re.Match[str]) -> str:
        run = m.group()
        return f"{run[:100]}…({len(run) - 120} more characters)…{run[-20:]}"

    return re.sub(r"\S{201,}", cut, message)


class BeibeiError(Exception):
    """An error meant for the user: a message, and the exit code it maps to."""

    exit_code = ExitCode.USAGE

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        message = " ".join(message.splitlines())  # one problem, one line, whatever the input held
        if len(message) > MAX_MESSAGE:  # a 100 KB argument is not echoed whole
            message = _shorten(message)
        super().__init__(message)
        self.message = message
        self.details = [" ".join(d.splitlines()) for d in details or []]

    def lines(self) -> list[str]:
        return [self.message, *self.details]


class UsageError(BeibeiError):
    """Bad arguments: an unknown id, field, pillar, an empty query..."""


class DataError(BeibeiError):
    """A report or source file that cannot be read, parsed or validated.

    Made with ``DataError.at`` it also knows the file, line and column it is
    about, so ``validate`` can list it beside the schema problems.
    """

    file: str | None = None
    line: int | None = None
    col: int | None = None
    reason: str = ""

    @classmethod
    def at(cls, file: str, reason: str, line: int | None = None, col: int | None = None) -> DataError:
        where = f"{file}:{line}:{col}" if line is not None else file
        error = cls(f"{where}: {reason}")
        error.file, error.line, error.col, error.reason = file, line, col, error.message[len(where) + 2 :]
        return error


class NoMatch(BeibeiError):
    """Nothing matched: exit 1 with nothing on stderr."""

    exit_code = ExitCode.NO_MATCH


class OutputError(BeibeiError):
    """The output could not be written: stdout closed, a full disk, an I/O error (exit 2)."""

    @classmethod
    def from_os(cls, exc: OSError, where: str | None = None) -> OutputError:
        reason = exc.strerror or type(exc).__name__
        return cls(f"cannot write output{f' to {where}' if where else ''}: {reason}")
