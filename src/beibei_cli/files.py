"""Writing files without ever destroying one.

(The cache writes its own files in ``cache.write``: a fresh ``mkstemp`` file in
the cache folder, renamed into place.)

``write_output``
    A user's ``-o PATH``, which may be anything. A regular file (or a new path)
    is replaced atomically, keeping its permission bits; a symlink is followed
    and its target written (the link stays a link); a FIFO or a character
    device is written in place, as a shell's ``>`` would; a directory and any
    other kind of file (a socket, a block device) are refused untouched.
"""

from __future__ import annotations

import os
import stat


def os_text(text: str) -> str:
    """Text with the surrogate escapes of OS strings (a UTF-8 file name read under
    LANG=C) turned back into the characters their bytes spell (\\xNN if not UTF-8).

    For messages and output only: a path to open stays the OS string it was.
    """
    try:
        text.encode("utf-8")  # at C speed: only a surrogate fails
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a surrogate that is no escape: left for the text-safety escaping
            return text
    return text


class RefusedOutput(OSError):
    """An output path that is not replaced or written, and why (in ``strerror``)."""


def output_kind(path: str) -> str:
    """What ``-o PATH`` would do: "new", "replace", "in-place"; or raise RefusedOutput.

    Symlinks are followed (``os.stat``), so a link to a regular file is "replace".
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if path.endswith(("/", os.sep)):  # "newdir/" names a folder: never a file called newdir
            raise RefusedOutput(2, "no such directory (a path ending in / names a folder, not a file)") from None
        return "new"  # also a dangling symlink: its target is created, the link stays
    if stat.S_ISREG(st.st_mode):
        return "replace"
    if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        return "in-place"
    if stat.S_ISDIR(st.st_mode):
        raise RefusedOutput(21, "is a directory")
    raise RefusedOutput(22, "is not a regular file, a FIFO or a character device; refusing to replace it")


def write_output(path: str, data: bytes) -> None:
    """Write ``data`` to a user's output path without destroying anything (see the module text).

    Raises OSError on failure; the file that was there before is then unchanged
    (except a FIFO or device, which may have received part of ``data``).
    """
    kind = output_kind(path)
    if kind == "in-place":
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        finally:
            os.close(fd)
        return
    target = os.path.realpath(path)  # write through symlinks: the link stays a link
    if kind == "replace" and not os.access(target, os.W_OK):
        raise PermissionError(13, "Permission denied")  # as the shell's > would: a read-only file stays
    _replace(target, data, keep_mode=kind == "replace")


def _replace(target: str, data: bytes, *, keep_mode: bool) -> None:
    import tempfile

    folder, name = os.path.split(target)
    if keep_mode:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    # a short temporary name: a legal 255-byte name plus a prefix and suffix would be too long
    fd, tmp = tempfile.mkstemp(prefix=".beibei-", suffix=".tmp", dir=folder or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            try:
                os.fsync(handle.fileno())
            except OSError:
                pass  # a filesystem without fsync: the rename is still atomic
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class paused_gc:  # noqa: N801  (used as a context manager, like contextlib's)
    """The cyclic garbage collector off while a report is read, parsed, built or cached: those
    make millions of objects, none of them in a cycle, and each full collection walks every
    object alive, so with the collector on a report ten times the size took up to 45 times as
    long to read (``benchmarks/shelf_bench.py``'s loading phases). Nested uses keep it off."""

    def __enter__(self) -> None:
        import gc

        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was:
            import gc

            gc.enable()
