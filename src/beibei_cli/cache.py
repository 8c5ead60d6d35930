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

Nothing read from the folder is trusted (docs/hostile-inputs.md, "cache"):

- every file starts with a header (``MAGIC``) and a CRC-32 of its payload: a
  flipped byte, a truncated file or anything that does not decode means
  "rebuild", never an error;
- a file is read only if it is a regular file (not a symlink, FIFO or device)
  owned by the current user; the index blob must match the digest the report
  entry recorded for it;
- files are written to a fresh ``mkstemp`` file (``O_CREAT|O_EXCL``, mode 0600)
  in the cache folder and renamed into place, so a planted symlink is never
  followed; the folder is made with mode 0700;
- a folder that others can write without the sticky bit (anyone could swap our
  files) is not used at all: no cache, silently;
- ``clear`` removes only files whose names and headers are the tool's own.
"""

from __future__ import annotations

import marshal
import os
import re
import stat
import sys
import zlib

from beibei_cli.about import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMAT = 4
# every cache file: MAGIC, then the CRC-32 of the payload (4 bytes, big-endian), then the payload
MAGIC = b"beibei-cache\x00"
_NAME_PATTERN = r"(?:report|index)-py\d+-[0-9a-f]{8}\.marshal"  # compiled by cache clear only
# a shelf's SQLite store (store.py) and the files SQLite keeps beside it
_SHELF_PATTERN = r"shelf-[0-9a-f]{20}\.sqlite3(-wal|-shm|-journal)?"  # compiled by cache clear only
SQLITE_MAGIC = b"SQLite format 3\x00"
_TMP_PATTERN = r"\.(?:report|index)-py\d+-[0-9a-f]{8}\.marshal\.[A-Za-z0-9_]+\.tmp"  # compiled by cache clear only
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
    digest = zlib.crc32(os.path.abspath(data_path).encode("utf-8", "surrogateescape"))
    python = f"py{PYTHON_KEY[0]}{PYTHON_KEY[1]}"
    return os.path.join(cache_dir(), f"{name}-{python}-{digest:08x}.marshal")


def _safe_folder(directory: str) -> bool:
    """Whether ``directory`` is a folder others cannot swap our files in: not writable
    by group or others, unless it has the sticky bit (as /tmp)."""
    try:
        st = os.stat(directory)
    except (OSError, ValueError):
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    return not (st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)) or bool(st.st_mode & stat.S_ISVTX)


def _open_own(path: str) -> int | None:
    """A read descriptor for ``path`` if it is a regular file of ours (never a symlink, a
    FIFO or a device: opened non-blocking without following links), else None."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)
        getuid = getattr(os, "geteuid", None)
        if stat.S_ISREG(st.st_mode) and (getuid is None or st.st_uid == getuid()):
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def seal(value: Any) -> bytes:
    """``value`` as the bytes of a cache file: header, checksum, marshalled payload."""
    payload = marshal.dumps(value)
    return MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload


def unseal(raw: bytes) -> Any:
    """The value in a cache file's bytes, or None if anything about them is wrong."""
    head = len(MAGIC) + 4
    if len(raw) < head or not raw.startswith(MAGIC):
        return None
    payload = raw[head:]
    if zlib.crc32(payload) != int.from_bytes(raw[len(MAGIC) : head], "big"):
        return None
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None


def read(path: str) -> Any:
    """The value sealed in ``path``, or None if missing, unreadable, not ours or corrupt."""
    if not _safe_folder(os.path.dirname(path) or "."):
        return None
    fd = _open_own(path)
    if fd is None:
        return None
    try:
        with open(fd, "rb") as handle:
            raw = handle.read()
    except (OSError, ValueError):
        return None
    return unseal(raw)


def write(path: str, value: Any) -> bool:
    """Write atomically and safely (a fresh mkstemp file, renamed into place); False (and
    no exception) when it cannot be done."""
    import tempfile

    folder, name = os.path.split(path)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        if not _safe_folder(folder):
            return False
        data = seal(value)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    except (OSError, ValueError):
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)  # a rename: replaces a planted symlink itself, never its target
    except (OSError, ValueError):
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False
    return True


def writable() -> bool:
    """Whether the cache folder exists (or can be made), can be written and is safe to use."""
    directory = cache_dir()
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
    except (OSError, ValueError):
        return False
    return os.access(directory, os.W_OK) and _safe_folder(directory)


_DATA_TYPES = {"meta": dict, "records": dict, "paragraphs": list, "source_path": str}


def _well_formed(data: Any) -> bool:
    """Whether cached data has the parts a Report is made of, of the right types."""
    return isinstance(data, dict) and all(isinstance(data.get(k), t) for k, t in _DATA_TYPES.items())


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
    if (
        not isinstance(data, dict)
        or not _well_formed(data)
        or payload.get("source_key") != _stat_key(data.get("source_path", ""))
    ):
        return None
    token = payload.get("index_token")
    if isinstance(token, str) and "index" not in data:
        return _WithIndexFile(data, _file_for("index", data_path), token, payload.get("index_crc"))
    return data


def index_ref(data_path: str) -> list[Any] | None:
    """(index file, token, checksum) of the report's cached search index, as its cache entry
    names them now; None when the entry keeps no index file of its own."""
    payload = read(_file_for("report", data_path))
    if not isinstance(payload, dict) or not isinstance(payload.get("index_token"), str):
        return None
    return [_file_for("index", data_path), payload["index_token"], payload.get("index_crc")]


def read_index(ref: Any) -> bytes | None:
    """The search index ``index_ref`` named, if its file still holds that one (token and
    checksum); None otherwise (the report then loads and answers as ever)."""
    if not (isinstance(ref, list) and len(ref) == 3 and isinstance(ref[0], str)):
        return None
    payload = read(ref[0])
    if (
        isinstance(payload, dict)
        and payload.get("token") == ref[1]
        and isinstance(payload.get("index"), bytes)
        and zlib.crc32(payload["index"]) == ref[2]
    ):
        blob: bytes = payload["index"]
        return blob
    return None


class _WithIndexFile(dict):  # type: ignore[type-arg]
    """The cached data, whose search index (most of the cache's bytes) is read from its
    own file only when asked for: a figures query never reads it.

    If that file is missing, corrupt or from another build (two builds at once), the
    index is absent; the report then builds it, and setting it here writes the file
    again under this payload's token, so it is rebuilt once, not on every search.
    """

    def __init__(self, data: dict[str, Any], path: str, token: str, crc: Any = None) -> None:
        super().__init__(data)
        self._path, self._token, self._crc = path, token, crc
        self._state = "unread"

    def _read_index(self) -> None:
        if self._state != "unread":
            return
        payload = read(self._path)
        if (
            isinstance(payload, dict)
            and payload.get("token") == self._token
            and isinstance(payload.get("index"), bytes)
            and zlib.crc32(payload["index"]) == self._crc  # the blob this report entry was built with
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
        payload["index_crc"] = zlib.crc32(index)
    return write(_file_for("report", data_path), payload)


def _ours(directory: str, name: str) -> bool:
    """Whether ``name`` in the cache folder is a file this tool wrote: its name is one of
    ours, it is a regular file of ours, and it starts with our header (a temporary file
    may still be empty)."""
    temporary = re.fullmatch(_TMP_PATTERN, name) is not None
    shelf = re.fullmatch(_SHELF_PATTERN, name)
    if not temporary and shelf is None and re.fullmatch(_NAME_PATTERN, name) is None:
        return False
    fd = _open_own(os.path.join(directory, name))
    if fd is None:
        return False
    try:
        head = os.read(fd, len(MAGIC))
    except OSError:
        return False
    finally:
        os.close(fd)
    if shelf is not None:  # the database itself starts as SQLite's do; its sidecars are SQLite's own
        return bool(shelf.group(1)) or head == SQLITE_MAGIC[: len(MAGIC)] or not head
    # a cache file of beibei <= 0.4 (marshalled dict, no header) is ours too
    return head == MAGIC or (temporary and not head) or head[:1] in (b"{", b"\xfb")


def clear() -> int:
    """Remove this tool's cache files (and nothing else); return how many were removed."""
    directory = cache_dir()
    removed = 0
    try:
        names = os.listdir(directory)
    except (OSError, ValueError):
        return 0
    for name in names:
        if _ours(directory, name):
            try:
                os.unlink(os.path.join(directory, name))
                removed += 1
            except OSError:
                pass
    return removed
