"""Untrusted report files: the loader refuses control characters, the output never writes them raw.

Two layers, each proven on the same hostile strings (``tests/hostile.py``): ``validate``
lists every refused character; with that check switched off, no command and no format
writes one raw to the terminal.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from beibei_cli import output, textsafety
from beibei_cli.output import terminal
from beibei_cli.textsafety import REFUSED_RANGES, describe, is_refused
from tests.conftest import DATA, ROOT, SOURCE
from tests.hostile import PAYLOADS, hostile_doc, hostile_source, write_hostile

SGR = re.compile(r"\x1b\[[0-9;]*m")


def raw_refused(text: str) -> list[str]:
    return [ch for ch in text if is_refused(ch)]


# -- layer 1: the loader refuses -------------------------------------------------


def test_validate_lists_every_refused_character(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_hostile(tmp_path)
    (tmp_path / "source.txt").write_bytes(SOURCE.read_bytes())
    done = run("validate", str(path))
    assert done.code == 2
    lines = done.out.splitlines()
    _, expected = hostile_doc()
    assert len(expected) > 60
    for field_path, ch in expected:
        wanted = re.compile(
            rf"^{re.escape(str(path))}:\d+:\d+: {re.escape(field_path)}: contains {re.escape(describe(ch))}( \(\d+ times\))?$"
        )
        assert any(wanted.match(line) for line in lines), f"{field_path} {describe(ch)} not reported"
    assert not raw_refused(done.out) and not raw_refused(done.err)
    # the problems stop every command: one line, the first problem as validate words it
    metrics = run("--data", str(path), "--no-cache", "metrics")
    assert metrics.code == 2 and metrics.err.startswith(f"beibei: {lines[0]} (and {len(lines) - 1} more")
    assert metrics.err.count("\n") == 1 and not raw_refused(metrics.err)


def test_validate_json_keeps_the_positions(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_hostile(tmp_path)
    (tmp_path / "source.txt").write_bytes(SOURCE.read_bytes())
    problems = json.loads(run("validate", str(path), "--format", "json").out)
    refused = [p for p in problems if p["message"].startswith("contains U+")]
    assert len(refused) == len({(p["path"], p["message"]) for p in refused}) > 60
    assert all(isinstance(p["line"], int) and isinstance(p["col"], int) for p in refused)


def test_raw_characters_are_placed_at_their_line_and_column(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = DATA.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    name = next(i for i, line in enumerate(lines) if line.startswith("    name: 森林覆盖率"))
    lines[name] = "    name: 森林\x1b[2J覆盖\x07率\n"  # raw ESC and BEL: PyYAML alone stops at the first
    lines[name + 1] = lines[name + 1].replace("Forest", "For\u202eest")  # raw RLO: PyYAML alone accepts it
    lines.insert(1, "# a comment \x1b]0;pwned\x07\n")
    path = tmp_path / "report.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    (tmp_path / "source.txt").write_bytes(SOURCE.read_bytes())
    out = run("validate", str(path)).out.splitlines()
    n = name + 2  # 1-based, after the inserted comment
    assert f"{path}:2:13: contains U+001B (ESCAPE)" in out
    assert f"{path}:2:22: contains U+0007 (BELL)" in out
    assert any(
        line.startswith(f"{path}:{n}:13: metrics[") and line.endswith(".name: contains U+001B (ESCAPE)") for line in out
    )
    assert any(
        line.startswith(f"{path}:{n}:19: metrics[") and line.endswith(".name: contains U+0007 (BELL)") for line in out
    )
    assert any(
        line.startswith(f"{path}:{n + 1}:17: metrics[") and "name_en: contains U+202E (RIGHT-TO-LEFT OVERRIDE)" in line
        for line in out
    )
    assert len([line for line in out if "contains U+" in line]) == 5


def test_a_hostile_key_is_reported_and_shown_escaped(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "report.yaml"
    text = DATA.read_text(encoding="utf-8").replace("    value: 53.16\n", '    value: 53.16\n    "x\\e[2J": 1\n', 1)
    path.write_text(text, encoding="utf-8")
    (tmp_path / "source.txt").write_bytes(SOURCE.read_bytes())
    done = run("validate", str(path))
    assert "['x\\x1b[2J'] (key): contains U+001B (ESCAPE)" in done.out
    assert "unknown field 'x\\x1b[2J'" in done.out
    assert not raw_refused(done.out)


def test_the_source_text_is_checked_too(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "report.yaml"
    path.write_bytes(DATA.read_bytes())
    source = tmp_path / "source.txt"
    source.write_text(hostile_source().replace("\x00", ""), encoding="utf-8")
    last = source.read_text(encoding="utf-8").count("\n")  # the hostile line is the last one
    done = run("validate", str(path))
    assert done.code == 2
    assert f"{source}:{last}:12: contains U+001B (ESCAPE)" in done.out
    assert f"{source}:{last}:" in done.out and "contains U+202E (RIGHT-TO-LEFT OVERRIDE)" in done.out
    printed = run("--data", str(path), "--no-cache", "source")
    assert printed.code == 2 and printed.out == "" and "source.txt" in printed.err


def test_windows_line_endings_and_tabs_are_allowed(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "report.yaml"
    text = DATA.read_text(encoding="utf-8").replace("  region: 重庆市北碚区", "  region: 重庆市\t北碚区", 1)
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    (tmp_path / "source.txt").write_bytes(SOURCE.read_bytes().replace(b"\n", b"\r\n"))
    done = run("validate", str(path))
    assert done.code == 0, done.out


def test_the_article_uses_no_refused_character() -> None:
    assert textsafety.source_problems(SOURCE.read_text(encoding="utf-8"), "source.txt") == []


def test_the_docs_list_the_refused_set() -> None:
    docs = (ROOT / "docs" / "text-safety.md").read_text(encoding="utf-8")
    listed = set()
    for first, last in re.findall(r"^\| U\+([0-9A-F]{4,5})(?:–U\+([0-9A-F]{4,5}))? \|", docs, re.M):
        listed.add((int(first, 16), int(last or first, 16)))
    assert listed == set(REFUSED_RANGES)


# -- layer 2: the output never writes them raw ----------------------------------


@pytest.fixture
def unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Switch the loader's check off, so hostile text reaches the output layer."""
    real = textsafety.Masked.problems

    def no_problems(self: textsafety.Masked, loaded: object, path_text: object) -> list[object]:
        real(self, loaded, path_text)  # type: ignore[arg-type]
        return []

    monkeypatch.setattr(textsafety.Masked, "problems", no_problems)
    monkeypatch.setattr(textsafety, "source_problems", lambda text, file: [])


def _ids(doc: dict[str, object]) -> list[str]:
    """The ids of the records that hold a payload."""
    payloads = set(PAYLOADS.values())
    return [
        rec["id"]
        for records in doc.values()
        for rec in (records if isinstance(records, list) else [])
        if any(v in payloads for v in [*rec.values(), *(rec.get("aliases") or [])] if isinstance(v, str))
    ]


LISTINGS = [
    ["metrics"],
    ["entities"],
    ["timeline"],
    ["pillars", "--detail"],
    ["source"],
    ["search", "北碚"],
]


def test_no_format_writes_them_raw(run, tmp_path: Path, unchecked: None) -> None:  # type: ignore[no-untyped-def]
    path = write_hostile(tmp_path)
    (tmp_path / "source.txt").write_text(hostile_source().replace("\x00", ""), encoding="utf-8")
    doc, _ = hostile_doc()
    ids = _ids(doc)
    assert len(ids) >= 16
    base = ["--data", str(path)]
    seen_escape = False
    env = {"COLUMNS": "160"}
    for lang in ("zh", "en"):
        g = [*base, "--lang", lang]
        for args in LISTINGS:
            for fmt in ("table", "plain", "tsv", "csv", "md", "yaml", "json", "jsonl"):
                for color in ("never", "always") if fmt == "table" else ("never",):
                    done = run(*g, "--color", color, *args, "--format", fmt, env=env)
                    assert done.code in (0, 1), (args, fmt, done.err)
                    assert not raw_refused(SGR.sub("", done.out)), (args, fmt, color)
                    assert not raw_refused(done.err)
                    if color == "never":
                        assert "\x1b" not in done.out
                    seen_escape = seen_escape or "\\x1b" in done.out
            done = run(*g, *args)  # the default (piped: plain records)
            assert not raw_refused(done.out), args
        for rid in ids:
            for fmt in ("table", "plain", "yaml", "json"):
                done = run(*g, "--color", "always", "show", rid, "--format", fmt, env=env)
                assert done.code == 0 and not raw_refused(SGR.sub("", done.out)), (rid, fmt)
            for fmt in ("plain", "md"):
                done = run(*g, "cite", rid, "--format", fmt)
                assert not raw_refused(done.out), (rid, fmt)
        for fmt in ("md", "html"):
            done = run(*g, "export", "--format", fmt)
            assert done.code == 0 and not raw_refused(done.out), fmt
        done = run(*g, "info")
        assert not raw_refused(done.out)
    assert seen_escape  # the payloads did reach the output, shown as \x1b


def test_json_and_yaml_keep_the_text_exactly(run, tmp_path: Path, unchecked: None) -> None:  # type: ignore[no-untyped-def]
    path = write_hostile(tmp_path)
    (tmp_path / "source.txt").write_text(hostile_source().replace("\x00", ""), encoding="utf-8")
    base = ["--data", str(path), "--no-cache"]
    payload = PAYLOADS["terminal"] + PAYLOADS["bidi"]
    as_json = run(*base, "--lang", "en", "info", "--format", "json").out
    assert not raw_refused(as_json) and "\\u001b" in as_json and "\\u202e" in as_json
    assert json.loads(as_json)["title"] == payload
    as_yaml = run(*base, "--lang", "en", "info", "--format", "yaml").out
    assert not raw_refused(as_yaml)
    assert yaml.safe_load(as_yaml)["title"] == payload
    names = {r["name"] for r in json.loads(run(*base, "pillars", "--format", "json").out)}
    assert set(PAYLOADS.values()) <= names


def test_error_messages_show_them_escaped(run) -> None:  # type: ignore[no-untyped-def]
    done = run("show", "metric-\x1b]0;pwned\x07\u202e")
    assert done.code == 2 and not raw_refused(done.err) and "\\x1b" in done.err


# -- the property: whatever the text, no format writes it raw -------------------

DANGER = st.one_of(
    st.integers(0, 0x1F),
    st.integers(0x7F, 0x9F),
    st.integers(0x2000, 0x206F),
    st.integers(0xD800, 0xDFFF),
    st.sampled_from([0xAD, 0x61C, 0x180E, 0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB, 0xE0001, 0xE0041, 0xE007F]),
).map(chr)
TEXT = st.lists(st.one_of(DANGER, st.characters(codec="utf-8"), st.sampled_from("[0;31m2J|<&北碚")), max_size=30).map(
    "".join
)
TEXT_FORMATS = ("plain", "tsv", "csv", "md", "yaml", "json", "jsonl")  # every format render() writes as text
ROWS = st.lists(st.fixed_dictionaries({"id": TEXT, "name": TEXT, "aliases": st.lists(TEXT, max_size=3)}), max_size=3)


@settings(max_examples=60, deadline=None)
@given(rows=ROWS, key=TEXT)
def test_property_no_format_writes_a_control_character_raw(rows: list[dict[str, object]], key: str) -> None:
    rows = [{**row, key: row["name"]} for row in rows]
    # JSON reads two escaped halves of a surrogate pair back as one character: compare only without them
    exact = not any("\ud800" <= ch <= "\udfff" for ch in json.dumps(rows, ensure_ascii=False))
    for fmt in TEXT_FORMATS:
        text = output.render(rows, fmt)
        assert not raw_refused(text), fmt
        if fmt == "json" and exact:
            assert json.loads(text) == rows
        if fmt == "jsonl" and exact:
            assert [json.loads(line) for line in text.splitlines()] == rows
        if fmt == "yaml":
            assert (yaml.safe_load(text) or []) == rows
    for row in rows:
        assert not raw_refused(output.plain_record(row))
        assert not raw_refused(output.md_escape(str(row["name"])))
        for color in (False, True):
            shown = terminal.record(row, lang="en", width=80, color=color)
            assert not raw_refused(SGR.sub("", shown)) and (color or "\x1b" not in shown)
    if rows:
        for color in (False, True):
            shown = terminal.table(rows, list(rows[0]), lang="en", width=100, color=color)
            assert not raw_refused(SGR.sub("", shown)) and (color or "\x1b" not in shown)


@settings(max_examples=150, deadline=None)
@given(text=TEXT)
def test_property_write_and_write_err_show_them(text: str) -> None:
    for write, name in ((output.write, "stdout"), (output.write_err, "stderr")):
        raw = io.BytesIO()
        stream = io.TextIOWrapper(raw, encoding="utf-8")
        old = getattr(sys, name)
        setattr(sys, name, stream)
        try:
            write(text)
        finally:
            setattr(sys, name, old)
        written = raw.getvalue().decode("utf-8")
        assert not raw_refused(SGR.sub("", written))
        assert all(m.group() in text for m in SGR.finditer(written))  # only colour the caller wrote


def test_a_flood_is_capped_and_counted() -> None:
    from beibei_cli import yamlload
    from beibei_cli.schema import path_text

    text = "".join(f"- a\x1b{i}\n" for i in range(30_000))
    masked = textsafety.Masked(text, "f.yaml")
    problems = masked.problems(yamlload.load(masked.text, "f.yaml"), path_text)
    assert len(problems) == textsafety.MAX_REPORTED + 1
    assert problems[0] == {"file": "f.yaml", "line": 1, "col": 4, "path": "[0]", "message": "contains U+001B (ESCAPE)"}
    assert problems[-1]["message"] == f"{30_000 - textsafety.MAX_REPORTED} more refused characters"
    source = textsafety.source_problems("\x1b\r\n" * 5000, "s.txt")
    assert len(source) == textsafety.MAX_REPORTED + 1 and source[-1]["message"] == "4000 more refused characters"
    assert source[1]["line"] == 2 and source[1]["col"] == 1
