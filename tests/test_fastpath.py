"""The start-up fast path and the Typer app give the same answers.

The fast path parses argv with a spec generated from the Typer app; every
argument vector below runs through both paths, and output and exit codes must
be identical. Vectors the fast path does not understand must be declined.
"""

from __future__ import annotations

import pytest

from beibei_cli import fastpath

FAST = [
    ["metrics", "--format", "json"],
    ["metrics", "-f", "tsv", "--pillar", "科技创新", "--sort", "value", "-r", "--limit", "4"],
    ["metrics", "--format=csv", "--no-header", "--fields", "id,value"],
    ["metrics", "--section", "results", "-f", "yaml"],
    ["metrics", "--pillar", "nope"],
    ["metrics", "--fields", "id,bogus"],
    ["pillars", "--detail", "--format", "json"],
    ["pillars", "-f", "jsonl"],
    ["show", "metric-rd-intensity", "--format", "json"],
    ["show", "tech-innovation"],
    ["show", "no-such-id"],
    ["info", "--format", "json"],
    ["search", "招商", "--format", "json"],
    ["search", "zhaoshang", "-l"],
    ["search", "招商", "2022", "--count"],
    ["search", "不存在", "-f", "json"],
    ["search", "--regex", "\\d+亿元", "-f", "jsonl", "--limit", "3"],
    ["search", "-q", "招商"],
    ["--lang", "en", "pillars", "-f", "json"],
    ["--no-cache", "metrics", "-f", "json", "--limit", "2"],
    ["timeline", "--since", "2022", "-f", "json"],
    ["entities", "--type", "company", "-f", "tsv"],
    ["source", "--para", "31"],
    ["cite", "para-31", "--format", "md"],
]

DECLINED = [
    ["--help"],
    ["metrics", "--help"],
    ["metrics", "--frmat", "json"],
    ["metrics", "--format", "xml"],
    ["metrics", "--limit", "x"],
    ["nosuchcommand"],
    ["--version"],
    ["cache", "clear"],
    ["show"],
    ["metrics", "-fjson"],
    ["search", "--", "-x"],
]


@pytest.fixture(autouse=True)
def _spec(run) -> None:  # type: ignore[no-untyped-def]
    run("info", fast=False)  # the Typer path writes the spec
    assert fastpath.load_spec() is not None


@pytest.mark.parametrize("args", FAST, ids=" ".join)
def test_fast_path_takes_these(args: list[str]) -> None:
    spec = fastpath.load_spec()
    assert spec is not None
    fastpath.parse(spec, args)  # does not decline


@pytest.mark.parametrize("args", DECLINED, ids=" ".join)
def test_fast_path_declines_these(args: list[str]) -> None:
    spec = fastpath.load_spec()
    assert spec is not None
    with pytest.raises(fastpath.Decline):
        fastpath.parse(spec, args)


STATEFUL = [["cache", "clear"]]  # changes what it reports on: compared once only


@pytest.mark.parametrize("args", FAST + [a for a in DECLINED if a not in STATEFUL], ids=" ".join)
def test_both_paths_agree(run, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    slow = run(*args, fast=False)
    fast = run(*args, fast=True)
    assert (fast.code, fast.out, fast.err) == (slow.code, slow.out, slow.err)


def test_env_defaults_are_honoured(run) -> None:  # type: ignore[no-untyped-def]
    env = {"BEIBEI_LANG": "en"}
    assert run("pillars", "-f", "json", env=env, fast=True).out == run("pillars", "-f", "json", env=env, fast=False).out


def test_a_stale_spec_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastpath, "_spec_key", lambda: ("other",))
    assert fastpath.load_spec() is None
