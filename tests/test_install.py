"""The built wheel carries the report and works from any directory."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT, python_env


@pytest.mark.slow
def test_wheel_installs_and_runs_from_another_directory(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)],
        check=True,
    )
    wheel = next(dist.glob("beibei-*.whl"))
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "beibei_cli/data/report.yaml" in names and "beibei_cli/data/source.txt" in names
    assert "beibei_cli/py.typed" in names

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)], check=True
    )
    # The dependencies (typer, rich, ...) come from this environment, after the venv's own packages.
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = python_env(BEIBEI_CACHE_DIR=str(tmp_path / "cache"))
    where = subprocess.run(
        [str(py), "-c", "import beibei_cli; print(beibei_cli.__file__)"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert str(env_dir) in where
    result = subprocess.run(
        [str(env_dir / "bin" / "beibei"), "metrics", "--format", "json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert any(r["value"] == 428 and r["unit"] == "亿元" for r in rows)
