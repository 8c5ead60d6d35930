"""A cache of the validated report and its search index.

One marshal file per data file, in ``$XDG_CACHE_HOME/beibei`` (or
``~/.cache/beibei``; ``BEIBEI_CACHE_DIR`` overrides). It is keyed on the data
file's and the source text's path, size and mtime and on the tool version,
written atomically, and ignored (then rebuilt) when stale or corrupt. A missing
or read-only cache directory means no cache, never a failure.
"""

from __future__ import annotations

import marshal
import os

from beibei_cli import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMAT = 1
_HERE = os.path.dirname(os.path.abspath(__file__))
# The code that shapes the cached data: a change to any of them invalidates it.
CODE_FILES = [
    os.path.join(_HERE, *p)
    for p in (
        ("models.py",),
        ("schema.py",),
        ("quantity.py",),
        ("dates.py",),
        ("report.py",),
        ("textsafety.py",),
        ("search", "build.py"),
        ("search", "normalize.py"),
    )
]


def code_key() -> tuple[tuple[int, int], ...]:
    out = []
    for path in CODE_FILES:
        try:
            st = os.stat(path)
            out.append((st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((0, 0))
    return tuple(out)


def cache_dir() -> str:
    explicit = os.environ.get("BEIBEI_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "beibei")


def _stat_key(path: str) -> tuple[str, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (os.path.abspath(path), st.st_size, st.st_mtime_ns)


def _file_for(name: str, data_path: str) -> str:
    import zlib

    digest = zlib.crc32(os.path.abspath(data_path).encode("utf-8", "surrogateescape"))
    return os.path.join(cache_dir(), f"{name}-{digest:08x}.marshal")


def read(path: str) -> Any:
    """The marshalled value in ``path``, or None if missing or unreadable."""
    try:
        with open(path, "rb") as handle:
            return marshal.loads(handle.read())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def write(path: str, value: Any) -> bool:
    """Write atomically; False (and no exception) when it cannot be done."""
    from beibei_cli.files import write_atomic

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomic(path, marshal.dumps(value))
    except (OSError, ValueError):
        return False
    return True


def writable() -> bool:
    """Whether the cache folder exists (or can be made) and can be written."""
    directory = cache_dir()
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError:
        return False
    return os.access(directory, os.W_OK)


def load(data_path: str) -> dict[str, Any] | None:
    """The cached report data for ``data_path`` if it is still fresh."""
    key = _stat_key(data_path)
    if key is None:
        return None
    payload = read(_file_for("report", data_path))
    if not isinstance(payload, dict):
        return None
    if (
        payload.get("format") != FORMAT
        or payload.get("version") != __version__
        or payload.get("key") != key
        or payload.get("code") != code_key()
    ):
        return None
    data = payload.get("data")
    if not isinstance(data, dict) or payload.get("source_key") != _stat_key(data.get("source_path", "")):
        return None
    return data


def store(data_path: str, data: dict[str, Any]) -> bool:
    key = _stat_key(data_path)
    if key is None:
        return False
    payload = {
        "format": FORMAT,
        "version": __version__,
        "key": key,
        "code": code_key(),
        "source_key": _stat_key(data["source_path"]),
        "data": data,
    }
    return write(_file_for("report", data_path), payload)


def clear() -> int:
    """Remove every cache file; return how many were removed."""
    directory = cache_dir()
    removed = 0
    try:
        names = os.listdir(directory)
    except OSError:
        return 0
    for name in names:
        if name.endswith(".marshal") or name.endswith(".tmp"):
            try:
                os.unlink(os.path.join(directory, name))
                removed += 1
            except OSError:
                pass
    return removed
