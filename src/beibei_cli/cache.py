"""A cache of the validated report and its search index.

One marshal file per data file and Python version, in ``$XDG_CACHE_HOME/beibei``
(or ``~/.cache/beibei``; ``BEIBEI_CACHE_DIR`` overrides). It is written
atomically, and ignored (then rebuilt) when stale or corrupt. A missing or
read-only cache directory means no cache, never a failure.

The key is the identity and content stamp of the data file and of the source
text -- device, inode, size, mtime_ns and ctime_ns, after following symlinks --
plus the tool's version, the Python version and marshal's format version. Any
write to a file changes its ctime, which no one can set back (``touch -r`` and
``os.utime`` restore only the mtime); a retargeted symlink or a file renamed
into place has another inode. A stat costs ~0.03 ms; hashing the content would
cost ~0.4 ms at 1x and grow with the file (see docs/hostile-inputs.md).
"""

from __future__ import annotations

import marshal
import os
import sys
from stat import S_ISREG

from beibei_cli.about import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMAT = 3
# marshal's format and the bytecode-level details it depends on change between Pythons
PYTHON_KEY = (sys.version_info[0], sys.version_info[1], marshal.version)
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
        ("queries.py",),
        ("textsafety.py",),
        ("search", "build.py"),
        ("search", "normalize.py"),
        ("search", "english.py"),
        ("search", "glossary.py"),
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


def _stat_key(path: str) -> tuple[str, int, int, int, int, int] | None:
    """The file's identity and content stamp (symlinks followed), or None if it cannot be read."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (os.path.abspath(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _file_for(name: str, data_path: str) -> str:
    import zlib

    digest = zlib.crc32(os.path.abspath(data_path).encode("utf-8", "surrogateescape"))
    python = f"py{PYTHON_KEY[0]}{PYTHON_KEY[1]}"
    return os.path.join(cache_dir(), f"{name}-{python}-{digest:08x}.marshal")


def read(path: str) -> Any:
    """The marshalled value in ``path``, or None if missing or unreadable."""
    try:
        # non-blocking, and regular files only: a FIFO put in the cache folder cannot hang us
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            if not S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
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
        or payload.get("python") != PYTHON_KEY
        or payload.get("key") != key
        or payload.get("code") != code_key()
    ):
        return None
    data = payload.get("data")
    if not isinstance(data, dict) or payload.get("source_key") != _stat_key(data.get("source_path", "")):
        return None
    token = payload.get("index_token")
    if isinstance(token, str) and "index" not in data:
        return _WithIndexFile(data, _file_for("index", data_path), token)
    return data


class _WithIndexFile(dict):  # type: ignore[type-arg]
    """The cached data, whose search index (most of the cache's bytes) is read from its
    own file only when asked for: a figures query never reads it.

    If that file is missing, corrupt or from another build (two builds at once), the
    index is absent; the report then builds it, and setting it here writes the file
    again under this payload's token, so it is rebuilt once, not on every search.
    """

    def __init__(self, data: dict[str, Any], path: str, token: str) -> None:
        super().__init__(data)
        self._path, self._token = path, token
        self._state = "unread"

    def _read_index(self) -> None:
        if self._state != "unread":
            return
        payload = read(self._path)
        if (
            isinstance(payload, dict)
            and payload.get("token") == self._token
            and isinstance(payload.get("index"), bytes)
        ):
            dict.__setitem__(self, "index", payload["index"])
            self._state = "read"
        else:
            self._state = "lost"

    def get(self, key: Any, default: Any = None) -> Any:
        if key == "index":
            self._read_index()
        return super().get(key, default)

    def __getitem__(self, key: Any) -> Any:
        if key == "index":
            self._read_index()
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        if key == "index":
            self._read_index()
        return super().__contains__(key)

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        if key == "index" and self._state == "lost" and isinstance(value, bytes):
            self._state = "read"
            write(self._path, {"token": self._token, "index": value})


def stamp(path: str) -> Any:
    """The key of ``path`` now: take it before reading the file, and give it to ``store``."""
    return _stat_key(path)


def store(data_path: str, data: dict[str, Any], key: Any = None) -> bool:
    """Keep ``data`` for ``data_path``; ``key`` is its stamp from before it was read
    (so that an edit made while the cache was being built is not hidden)."""
    key = key or _stat_key(data_path)
    if key is None:
        return False
    payload = {
        "format": FORMAT,
        "version": __version__,
        "python": PYTHON_KEY,
        "key": key,
        "code": code_key(),
        "source_key": _stat_key(data["source_path"]),
        "data": dict(data),
    }
    index = data.get("index")
    if isinstance(index, bytes):
        # the index in a file of its own, tied to this payload by a token (written first)
        token = f"{os.getpid()}-{os.urandom(8).hex()}"
        if not write(_file_for("index", data_path), {"token": token, "index": index}):
            return False
        payload["data"] = {k: v for k, v in data.items() if k != "index"}
        payload["index_token"] = token
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
