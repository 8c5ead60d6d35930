"""Faults: output files that never destroy anything, honest exit codes on I/O
failures, a cache that sees every edit, empty paths, linear cost."""

from __future__ import annotations

import errno
import io
import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from beibei_cli import cache, files
from beibei_cli.entry import run as entry_run
from tests.conftest import DATA, PYTHON, SOURCE, python_env

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file kinds and descriptors")

# -- D1: -o never destroys anything ---------------------------------------------


def export_text(run) -> str:  # type: ignore[no-untyped-def]
    r = run("export")
    assert r.code == 0
    return str(r.out)


def test_output_new_file_and_regular_file_keep_its_mode(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    new = tmp_path / "new.md"
    r = run("export", "-o", str(new))
    assert r.code == 0 and new.read_text(encoding="utf-8") == export_text(run)
    old = tmp_path / "old.md"
    old.write_text("old\n", encoding="utf-8")
    old.chmod(0o640)
    assert run("export", "-o", str(old)).code == 0
    assert old.read_text(encoding="utf-8").startswith("# ") and stat.S_IMODE(old.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.md", "old.md"]  # no temporary file left


@posix_only
def test_listing_output_follows_a_symlink(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "figures.json"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to("figures.json")
    assert run("metrics", "-o", str(link)).code == 0
    assert link.is_symlink() and json.loads(target.read_text(encoding="utf-8"))


@posix_only
def test_output_follows_a_symlink_and_the_link_stays(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "target.md"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to("target.md")
    assert run("export", "-o", str(link)).code == 0
    assert link.is_symlink() and os.readlink(link) == "target.md"
    assert target.read_text(encoding="utf-8") == export_text(run)
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to("made-by-export.md")
    assert run("export", "-o", str(dangling)).code == 0
    assert dangling.is_symlink() and (tmp_path / "made-by-export.md").read_text(encoding="utf-8").startswith("# ")


@posix_only
def test_output_writes_a_fifo_in_place(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    r = run("export", "-o", str(fifo))
    thread.join(timeout=30)
    assert r.code == 0
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still a FIFO, not replaced by a regular file
    assert received and received[0].decode("utf-8") == export_text(run)


@posix_only
def test_output_writes_a_character_device_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A character device is opened for writing, never renamed over (no real device is touched)."""
    fifo = tmp_path / "dev"
    os.mkfifo(fifo)
    real_stat = os.stat

    def as_char_device(path: object, *a: object, **k: object) -> os.stat_result:
        st = real_stat(path, *a, **k)  # type: ignore[arg-type]
        if str(path) == str(fifo):
            fields = list(st)
            fields[0] = stat.S_IFCHR | 0o666
            return os.stat_result(fields)
        return st

    monkeypatch.setattr(files.os, "stat", as_char_device)
    assert files.output_kind(str(fifo)) == "in-place"
    received: list[bytes] = []
    thread = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    thread.start()
    files.write_output(str(fifo), b"data\n")
    thread.join(timeout=30)
    assert received == [b"data\n"] and stat.S_ISFIFO(real_stat(fifo).st_mode)


def test_output_refuses_a_directory(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "folder"
    folder.mkdir()
    r = run("export", "-o", str(folder))
    assert r.code == 2 and r.err == f"beibei: cannot write output to {folder}: is a directory\n"
    assert folder.is_dir() and list(folder.iterdir()) == []


@posix_only
def test_output_refuses_a_socket(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        r = run("export", "-o", str(path))
    finally:
        server.close()
    assert r.code == 2 and "refusing to replace it" in r.err
    assert stat.S_ISSOCK(path.lstat().st_mode)


def test_output_dash_is_stdout(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run("export", "-o", "-")
    assert r.code == 0 and r.out == export_text(run) and not (Path.cwd() / "-").exists()


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = tmp_path / "report.md"
    old.write_text("old\n", encoding="utf-8")

    def full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full)
    with pytest.raises(OSError, match="No space"):
        files.write_output(str(old), b"new\n")
    assert old.read_text(encoding="utf-8") == "old\n" and [p.name for p in tmp_path.iterdir()] == ["report.md"]


# -- D4/D5: output failures are exit 2, a closed stderr changes nothing ---------


class FailingStdout(io.TextIOBase):
    """A stdout whose every write fails with ``err``."""

    def __init__(self, err: int) -> None:
        self.err = err
        self.buffer = self

    def write(self, data: object) -> int:  # type: ignore[override]
        raise OSError(self.err, os.strerror(self.err))


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EIO])
@pytest.mark.parametrize("fast", [True, False])
def test_write_errors_are_exit_2(monkeypatch: pytest.MonkeyPatch, err: int, fast: bool) -> None:
    if not fast:
        monkeypatch.setenv("BEIBEI_NO_FASTPATH", "1")
    errors = io.StringIO()
    monkeypatch.setattr(sys, "stdout", FailingStdout(err))
    monkeypatch.setattr(sys, "stderr", errors)
    assert entry_run(["metrics", "-f", "json"]) == 2
    assert errors.getvalue() == f"beibei: cannot write output: {os.strerror(err)}\n"


def test_a_closed_stderr_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", None)
    assert entry_run(["metrics", "--bogus"]) == 2


def shell(cmd: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    beibei = f"{PYTHON} -m beibei_cli"
    return subprocess.run(
        ["bash", "-c", cmd.replace("BEIBEI", beibei)], capture_output=True, env=python_env(**env), timeout=60
    )


@posix_only
@pytest.mark.parametrize("fast", ["", "1"])
def test_closed_stdout_is_exit_2(fast: str) -> None:
    for cmd in ("BEIBEI metrics >&-", "BEIBEI show metric-rd-intensity >&-", "BEIBEI --help >&-"):
        done = shell(cmd, BEIBEI_NO_FASTPATH=fast)
        assert done.returncode == 2, (cmd, done.stderr)
        assert done.stderr == b"beibei: cannot write output: standard output is closed\n"
    quiet = shell("BEIBEI search -q 招商 >&-")  # prints nothing: a closed stdout does not matter
    assert quiet.returncode == 0 and quiet.stderr == b""


@posix_only
def test_closed_stderr_keeps_the_exit_code() -> None:
    assert shell("BEIBEI metrics --bogus 2>&-").returncode == 2  # was 1, which scripts read as "no match"
    assert shell("BEIBEI show no-such-id 2>&-").returncode == 2
    assert shell("BEIBEI metrics -f json 2>&-").returncode == 0
    assert shell("BEIBEI search zzzzqqq 2>&-").returncode == 1


@posix_only
@pytest.mark.parametrize("unbuffered", ["", "1"])
@pytest.mark.parametrize("args", [["metrics", "-f", "json"], ["--help"], ["export"]])
def test_a_file_size_limit_is_an_error_not_a_silent_truncation(
    tmp_path: Path, unbuffered: str, args: list[str]
) -> None:
    """A real I/O error from a real process (EFBIG, as ENOSPC would be): RLIMIT_FSIZE
    cuts the output at 100 bytes. Under PYTHONUNBUFFERED=1 the rest was dropped
    without a word and the exit code was 0."""
    import resource

    out = tmp_path / "out"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))

    with open(out, "wb") as handle:
        done = subprocess.run(
            [PYTHON, "-m", "beibei_cli", *args],
            stdout=handle,
            stderr=subprocess.PIPE,
            env=python_env(PYTHONUNBUFFERED=unbuffered),
            preexec_fn=limit,
            timeout=60,
        )
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"beibei: cannot write output: {os.strerror(errno.EFBIG)}\n".encode()


# -- D6: the cache sees every edit ----------------------------------------------


def copy_report(folder: Path, text: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "report.yaml"
    path.write_text(text if text is not None else DATA.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "source.txt").write_bytes(SOURCE.read_bytes())
    return path


def title(run, path: Path) -> str:  # type: ignore[no-untyped-def]
    r = run("--data", str(path), "info", "-f", "json")
    assert r.code == 0, r.err
    return str(json.loads(r.out)["title"])


def test_same_size_edit_with_its_mtime_restored_is_seen(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = copy_report(tmp_path)
    assert title(run, path).startswith("聚焦")
    before = path.stat()
    text = path.read_text(encoding="utf-8").replace("title: 聚焦", "title: 集中", 1)  # same size in bytes
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # touch -r
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert title(run, path).startswith("集中")


@posix_only
def test_retargeted_symlink_is_seen(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    one = copy_report(tmp_path / "one")
    two = copy_report(tmp_path / "two", DATA.read_text(encoding="utf-8").replace("title: 聚焦", "title: 集中", 1))
    os.utime(two, ns=(one.stat().st_atime_ns, one.stat().st_mtime_ns))
    (tmp_path / "source.txt").write_bytes(SOURCE.read_bytes())  # the source is found beside the link
    link = tmp_path / "report.yaml"
    link.symlink_to(one)
    assert title(run, link).startswith("聚焦")
    link.unlink()
    link.symlink_to(two)
    assert title(run, link).startswith("集中")


def test_another_python_does_not_read_the_cache(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    path = copy_report(tmp_path)
    assert run("--data", str(path), "info").code == 0
    assert cache.load(str(path)) is not None
    monkeypatch.setattr(cache, "PYTHON_KEY", (3, 99, 99))
    assert cache.load(str(path)) is None


@posix_only
def test_a_fifo_in_the_cache_folder_does_not_hang(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "cache"
    env = {"BEIBEI_CACHE_DIR": str(folder)}
    assert run("metrics", "-f", "json", env=env).code == 0
    for f in folder.glob("report-*.marshal"):
        f.unlink()
        os.mkfifo(f)
    started = time.monotonic()
    assert run("metrics", "-f", "json", env=env).code == 0
    assert time.monotonic() - started < 30


# -- D8: empty paths ------------------------------------------------------------


@pytest.mark.parametrize(
    "args, env, fragment",
    [
        (["--data", "", "info"], {}, "empty path"),
        (["info", "--data", ""], {}, "empty path"),
        (["info"], {"BEIBEI_DATA": ""}, "BEIBEI_DATA is set but empty"),
        (["validate", ""], {}, "empty path"),
        (["validate", "--source", ""], {}, "empty path"),
        (["export", "-o", ""], {}, "empty path"),
    ],
)
@pytest.mark.parametrize("fast", [True, False])
def test_empty_paths_are_exit_2(run, args: list[str], env: dict[str, str], fragment: str, fast: bool) -> None:  # type: ignore[no-untyped-def]
    r = run(*args, env=env, fast=fast)
    assert r.code == 2 and fragment in r.err and r.out == "" and len(r.err.splitlines()) == 1


# -- D7: cost grows linearly ----------------------------------------------------


def test_mentions_are_kept_in_the_cache(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = copy_report(tmp_path)
    assert run("--data", str(path), "info").code == 0
    cached = cache.load(str(path))
    assert cached is not None and cached["mentions"]["org-cq-party-committee"]


def old_entity_mentions(records: dict[str, list[dict[str, object]]], entity: dict[str, object]) -> list[object]:
    """The quadratic definition, kept as the oracle."""
    names = [entity["name"], *entity.get("aliases", [])]  # type: ignore[misc]
    out = []
    for kind, recs in records.items():
        for r in recs:
            if r is entity or kind == "entity":
                continue
            links = (r.get("organisations") or []) + (r.get("places") or []) + (r.get("people") or [])  # type: ignore[operator]
            text = r.get("quote") or ""
            if entity["id"] in links or any(n in text for n in names):  # type: ignore[operator]
                out.append({"id": r["id"], "record": kind, "para": r.get("para")})
    return out


def test_mentions_table_equals_the_direct_definition() -> None:
    from beibei_cli.report import load_report, mentions_table

    records = load_report(str(DATA), use_cache=False).records
    table = mentions_table(records)
    for entity in records["entity"]:
        assert table[entity["id"]] == old_entity_mentions(records, entity), entity["id"]  # type: ignore[arg-type]


def test_mentions_table_is_linear_in_the_number_of_entities() -> None:
    """k copies of the report (entity names made distinct per copy, as in a bigger
    report): 16x the records must cost far less than 16^2 = 256x the time."""
    from beibei_cli.report import load_report, mentions_table

    base = load_report(str(DATA), use_cache=False).records

    def scaled(k: int) -> dict[str, list[dict[str, object]]]:
        out: dict[str, list[dict[str, object]]] = {kind: [] for kind in base}
        for i in range(k):
            for kind, recs in base.items():
                for r in recs:
                    copy = dict(r, id=f"{r['id']}-k{i}")
                    if kind == "entity":
                        copy["name"] = f"{r['name']}{i}"
                        copy["aliases"] = [f"{a}{i}" for a in r.get("aliases") or []]
                    out[kind].append(copy)
        return out

    def cost(records: dict[str, list[dict[str, object]]]) -> float:
        import gc

        best = float("inf")
        gc.disable()
        try:
            for _ in range(5):
                started = time.perf_counter()
                mentions_table(records)  # type: ignore[arg-type]
                best = min(best, time.perf_counter() - started)
        finally:
            gc.enable()
        return best

    small, large = scaled(4), scaled(64)
    ratio = cost(large) / cost(small)
    assert ratio < 64, ratio  # linear: about 16; quadratic: about 256


def test_too_many_search_terms_is_exit_2(run) -> None:  # type: ignore[no-untyped-def]
    from beibei_cli.queries import MAX_TERMS

    r = run("search", *[f"词{i}" for i in range(10_000)])
    assert r.code == 2 and f"too many search terms (10000); the limit is {MAX_TERMS}" in r.err
    assert run("search", *[f"词{i}" for i in range(MAX_TERMS)]).code == 1  # at the limit: searched, no match


def test_validate_trusts_a_fresh_cache_entry_only(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A cached report passed this exact check (same file, source and code): validate
    answers from it, which keeps it linear at scale; --no-cache or --source re-check."""
    from beibei_cli import report

    path = copy_report(tmp_path)
    assert run("--data", str(path), "info").code == 0
    calls: list[str] = []
    real = report.check
    monkeypatch.setattr(report, "check", lambda *a, **k: calls.append("check") or real(*a, **k))
    r = run("validate", str(path))
    assert r.code == 0 and r.err == f"{path}：校验通过\n" and calls == []
    assert run("--no-cache", "validate", str(path)).code == 0 and calls == ["check"]
    assert run("validate", str(path), "--source", str(SOURCE)).code == 0 and calls == ["check", "check"]
    path.write_text(path.read_text(encoding="utf-8").replace("value: 53.16", 'value: "abc"', 1), encoding="utf-8")
    assert run("validate", str(path)).code == 2 and len(calls) == 3


def test_a_read_only_file_is_not_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Renaming over a file needs only the folder's permission; -o asks the file's, as `>` does."""
    path = tmp_path / "read-only.md"
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o444)
    monkeypatch.setattr(
        files.os, "access", lambda p, mode: not str(p).endswith("read-only.md")
    )  # root may write anything
    with pytest.raises(PermissionError):
        files.write_output(str(path), b"new\n")
    assert path.read_text(encoding="utf-8") == "old\n"


def test_the_index_has_a_cache_file_of_its_own(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Figures never read the search index (most of the cache); a lost or foreign index
    file means the index is rebuilt once and written back, never a wrong one."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("BEIBEI_CACHE_DIR", str(folder))
    first = run("search", "招商", "-l")
    assert first.code == 0
    (index,) = folder.glob("index-*.marshal")
    good = index.read_bytes()
    index.write_bytes(b"\x00garbage")
    assert run("metrics", "-f", "json").code == 0 and index.read_bytes() == b"\x00garbage"  # not read
    assert run("search", "招商", "-l").out == first.out
    assert index.read_bytes() == good  # rebuilt once, under the same token
    index.unlink()
    assert run("search", "招商", "-l").out == first.out and index.exists()
    from beibei_cli.report import default_data_path

    data = cache.load(default_data_path())  # the packaged report: the repo's copy or, installed, the wheel's
    assert data is not None and data["meta"] and isinstance(data.get("index"), bytes)
