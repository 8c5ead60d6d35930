"""What only a real process shows: pipes, terminals, locales, imports, python -m."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys

import pytest

from tests.conftest import PYTHON, python_env

BEIBEI = [PYTHON, "-m", "beibei_cli"]


def beibei(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess[bytes]:  # type: ignore[no-untyped-def]
    return subprocess.run([*BEIBEI, *args], capture_output=True, env=python_env(**(env or {})), timeout=60, **kw)


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    # Build the cache and the fast-path spec once (the Typer path writes the spec).
    beibei("info")
    beibei("info")


def test_python_dash_m_and_version() -> None:
    from beibei_cli import __version__

    done = beibei("--version")
    assert done.returncode == 0 and done.stdout.decode() == f"beibei {__version__}\n"


HEAVY = ("rich", "typer", "yaml", "pypinyin", "opencc", "click", "re2")

PROBE = """
import sys
from beibei_cli.entry import run
code = run(sys.argv[1:])
heavy = sorted({m.split('.')[0] for m in sys.modules} & set(HEAVY_NAMES))
sys.stderr.write('HEAVY=' + ','.join(heavy) + '\\n')
sys.exit(code)
""".replace("HEAVY_NAMES", repr(HEAVY))


@pytest.mark.parametrize(
    "args",
    [
        ["metrics", "--format", "json"],
        ["search", "招商", "--format", "json"],
        ["search", "zhaoshang", "--format", "json"],
        ["show", "metric-rd-intensity", "--format", "json"],
        ["pillars", "--detail", "--format", "json"],
        ["metrics"],
    ],
)
def test_machine_formats_import_nothing_heavy(args: list[str]) -> None:
    done = subprocess.run([PYTHON, "-c", PROBE, *args], capture_output=True, env=python_env(), timeout=60)
    assert done.returncode == 0, done.stderr
    heavy = done.stderr.decode().rsplit("HEAVY=", 1)[1].strip()
    assert heavy == "", f"{args} imported {heavy}"


def test_no_cache_folder_means_no_text_libraries_for_figures() -> None:
    """With nowhere to keep the index, a figures query does not build it (nor import pypinyin)."""
    env = python_env(BEIBEI_CACHE_DIR="/dev/null/cache")
    done = subprocess.run(
        [PYTHON, "-c", PROBE, "metrics", "--format", "json"], capture_output=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    heavy = done.stderr.decode().rsplit("HEAVY=", 1)[1].strip()
    assert "pypinyin" not in heavy and "opencc" not in heavy


@pytest.mark.parametrize(
    "args", [["--no-cache", "source", "--grep", "招商"], ["--version"], ["metrics", "--lang", "en"]]
)
def test_no_search_index_or_typer_where_none_is_needed(args: list[str]) -> None:
    """source --grep needs only the traditional->simplified table, not the index (pypinyin)."""
    done = subprocess.run([PYTHON, "-c", PROBE, *args], capture_output=True, env=python_env(), timeout=60)
    assert done.returncode == 0, done.stderr
    heavy = done.stderr.decode().rsplit("HEAVY=", 1)[1].strip()
    assert "pypinyin" not in heavy and "typer" not in heavy, heavy


@pytest.mark.parametrize(
    "args",
    [["metrics", "--format", "table"], ["pillars", "--detail", "--format", "table"], ["search", "招商", "-f", "table"]],
)
def test_tables_are_drawn_by_rich_without_typer(args: list[str]) -> None:
    """Terminal tables, briefings and record panels are drawn by Rich (the design card's "Rich
    tables"); the fast path still leaves Typer (and YAML) out."""
    done = subprocess.run([PYTHON, "-c", PROBE, *args], capture_output=True, env=python_env(), timeout=60)
    assert done.returncode == 0, done.stderr
    heavy = done.stderr.decode().rsplit("HEAVY=", 1)[1].strip()
    assert "rich" in heavy and "typer" not in heavy and "yaml" not in heavy, heavy


def test_closed_pipe_is_quiet() -> None:
    for args in (["metrics"], ["source"], ["search", "北碚", "-f", "jsonl"], ["--no-cache", "metrics"]):
        proc = subprocess.Popen([*BEIBEI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=python_env())
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read()
        proc.stderr.close()
        assert proc.wait(timeout=60) == 0, args
        assert err == b"", (args, err)


def test_head_in_a_shell_pipeline() -> None:
    cmd = " ".join(BEIBEI) + " source | head -n 1"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, env=python_env(), timeout=60)
    assert done.returncode == 0 and done.stderr == b""
    assert done.stdout.decode("utf-8").startswith("1\t聚焦")


@pytest.mark.parametrize("locale", ["C", "POSIX"])
def test_c_locale_without_utf8_mode(locale: str) -> None:
    env = {"LANG": locale, "LC_ALL": locale, "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""}
    done = beibei("search", "招商", "-l", env=env)
    assert done.returncode == 0, done.stderr
    assert "case-investment-system" in done.stdout.decode("utf-8")
    shown = beibei("show", "metric-rd-intensity", env=env)
    assert "全社会研发经费投入强度" in shown.stdout.decode("utf-8")
    bad = beibei("show", "不存在", env=env)
    assert bad.returncode == 2 and "不存在" in bad.stderr.decode("utf-8")


def _in_pty(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    master, slave = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    full_env = python_env(**env)
    full_env.pop("COLUMNS", None)
    proc = subprocess.Popen([*BEIBEI, *args], stdout=slave, stderr=slave, stdin=slave, env=full_env)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")


def _cells(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_terminal_gets_a_coloured_table() -> None:
    code, out = _in_pty(["metrics"], {"TERM": "xterm-256color"})
    assert code == 0
    assert "┃" in out or "│" in out
    assert "\x1b[" in out and "森林覆盖率" in out
    import re

    visible = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert max(_cells(line) for line in visible.splitlines()) <= 100


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(
    "env", [{"NO_COLOR": "1", "TERM": "xterm"}, {"TERM": "dumb"}, {"CLICOLOR": "0", "TERM": "xterm"}]
)
def test_terminal_without_colour(env: dict[str, str]) -> None:
    code, out = _in_pty(["metrics"], env)
    assert code == 0 and "森林覆盖率" in out and "\x1b[" not in out


def test_clicolor_force_when_piped() -> None:
    done = beibei("metrics", "-f", "table", env={"CLICOLOR_FORCE": "1", "COLUMNS": "100"})
    assert b"\x1b[" in done.stdout
    assert b"\x1b[" not in beibei("metrics", "-f", "json", env={"CLICOLOR_FORCE": "1"}).stdout


def test_json_output_is_utf8_not_escaped() -> None:
    done = beibei("metrics", "--format", "json", env={"LANG": "C", "LC_ALL": "C"})
    text = done.stdout.decode("utf-8")
    assert "\\u" not in text and json.loads(text)


def test_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    from beibei_cli import queries
    from beibei_cli.entry import run

    def boom(*_a: object, **_k: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(queries, "metric_rows", boom)
    assert run(["metrics", "-f", "json"]) == 130


C_LOCALE = {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX locales")
@pytest.mark.parametrize("fast", ["", "1"])
def test_chinese_paths_with_spaces_under_the_c_locale(tmp_path, fast: str) -> None:  # type: ignore[no-untyped-def]
    """Paths stay the OS's strings: only query text is repaired (they exited 70 with UnicodeEncodeError)."""
    from tests.conftest import DATA, SOURCE

    folder = tmp_path / "中文 路径"
    folder.mkdir()
    report = folder / "报告 数据.yaml"
    report.write_bytes(DATA.read_bytes())
    source = folder / "原文 全文.txt"
    source.write_bytes(SOURCE.read_bytes())
    (folder / "source.txt").write_bytes(SOURCE.read_bytes())
    env = {**C_LOCALE, "BEIBEI_NO_FASTPATH": fast}
    rel = os.path.relpath(report, tmp_path)

    info = beibei("--data", rel, "info", "-f", "json", env=env, cwd=tmp_path)
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["data_file"] == str(rel)
    after = beibei("search", "招商", "-l", "--data", rel, env=env, cwd=tmp_path)
    assert after.returncode == 0 and b"case-investment-system" in after.stdout
    checked = beibei("validate", rel, "--source", os.path.relpath(source, tmp_path), env=env, cwd=tmp_path)
    assert checked.returncode == 0 and checked.stderr.decode("utf-8") == f"{rel}：校验通过\n"
    out = tmp_path / "导出 报告.md"
    exported = beibei("export", "-o", out.name, env=env, cwd=tmp_path)
    assert exported.returncode == 0 and exported.stderr.decode("utf-8") == f"已写入 {out.name}\n"
    assert out.read_text(encoding="utf-8").startswith("# 聚焦")
    missing = beibei("--data", "没有 这个.yaml", "info", env=env, cwd=tmp_path)
    assert missing.returncode == 2 and "没有 这个.yaml: no such report file" in missing.stderr.decode("utf-8")


@pytest.mark.parametrize(
    ("args", "code"), [(["metrics", "-f", "json"], 0), (["search", "不存在的词语"], 1), (["metrics", "--bogus"], 2)]
)
def test_the_quick_exit_keeps_output_and_exit_code(args: list[str], code: int, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``entry.exit_now`` skips the interpreter's teardown: every byte still arrives, to a pipe
    and to an -o file, and the exit code is the command's."""
    done = beibei(*args)
    assert done.returncode == code, done.stderr
    if code == 0:
        assert done.stdout.decode("utf-8") == beibei(*args).stdout.decode("utf-8")
        assert json.loads(done.stdout)
        out = tmp_path / "m.json"
        assert beibei(*args, "-o", str(out)).returncode == 0
        assert out.read_bytes() == done.stdout
    else:  # no match: nothing at all, like grep; a usage error: one line on stderr
        assert done.stdout == b""
        assert len(done.stderr.decode().splitlines()) == (1 if code == 2 else 0)


def test_exit_handlers_of_libraries_still_run() -> None:
    """With an exit handler registered (as logging or a server library would), the ordinary exit is taken."""
    code = (
        "import atexit; atexit.register(print, 'handler ran'); from beibei_cli.entry import main; main(['--version'])"
    )
    done = subprocess.run([PYTHON, "-c", code], capture_output=True, env=python_env(), timeout=60)
    assert done.returncode == 0
    assert done.stdout.decode().splitlines()[-1] == "handler ran"
