"""Shell completion (bash, zsh, fish) with ids, pillar names and field names from the report."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import PYTHON, python_env


def complete(shell: str, words: str, cword: int | None = None) -> list[str]:
    env = python_env(_BEIBEI_COMPLETE=f"complete_{shell}")
    if shell == "bash":
        env.update(COMP_WORDS=words, COMP_CWORD=str(cword if cword is not None else len(words.split()) - 1))
    else:
        env.update(_TYPER_COMPLETE_ARGS=words)
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    done = subprocess.run(
        [PYTHON, "-c", "from beibei_cli.entry import main; main()"], capture_output=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.decode("utf-8").split("\n")


def test_bash_completes_record_ids() -> None:
    assert [w for w in complete("bash", "beibei show metric-rd") if w] == ["metric-rd-intensity", "metric-rd-spending"]


def test_bash_completes_commands() -> None:
    words = complete("bash", "beibei ti")
    assert "timeline" in words


def test_zsh_completes_pillar_names() -> None:
    out = "\n".join(complete("zsh", "beibei metrics --pillar 科"))
    assert "科技创新" in out


def test_fish_completes_field_lists() -> None:
    words = [w.split("\t")[0] for w in complete("fish", "beibei metrics --fields id,na") if w]
    assert words == ["id,name", "id,name_en", "id,name_zh"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_a_script(shell: str) -> None:
    done = subprocess.run(
        [PYTHON, "-m", "beibei_cli", "--show-completion", shell], capture_output=True, env=python_env(), timeout=60
    )
    assert done.returncode == 0 and b"_BEIBEI_COMPLETE" in done.stdout
