"""What the benchmarks share: the command to run, a timed run, the synthetic report.

(Its own module so that bench.py and search_bench.py both import it and not each other.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def beibei_cmd() -> list[str]:
    script = Path(sys.executable).parent / "beibei"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from beibei_cli.entry import main; main()"]


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB, exit code) of one run, output piped away."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    return wall, usage.ru_maxrss / 1024, proc.returncode


def synthetic(scale: int, folder: Path) -> Path:
    """The real report ``scale`` times over, as a report that size would be: every copy's
    ids, entity names and text its own.

    Copy k's article is the real one with each paragraph starting 〔k〕, and each quote
    runs from that mark to its end (so it is still verbatim, and found in one paragraph
    only). With the article merely repeated, every quote would be in ``scale``
    paragraphs and every name in ``scale`` copies, and the paragraph lists and
    mentions would grow as scale^2 (25 KB of entities at 1x, 62 MB at 100x).
    """
    import yaml

    from beibei_cli import schema
    from beibei_cli.models import KINDS
    from beibei_cli.report import load_report, split_paragraphs, squash

    doc = yaml.safe_load((ROOT / "data" / "report.yaml").read_text(encoding="utf-8"))
    real = load_report(str(ROOT / "data" / "report.yaml"), use_cache=False)
    source = (ROOT / "data" / "source.txt").read_text(encoding="utf-8")
    joins = doc["report"].get("line_joins") or []
    paragraphs = [squash(p) for p in split_paragraphs(source, joins)[0]]
    assert len(paragraphs) == len(real.paragraphs)
    joined = {squash(j) for j in joins}
    lines, starts, carry = [], [], False  # which lines begin a paragraph
    for line in source.splitlines():
        lines.append(line)
        starts.append(bool(line.strip()) and not carry)
        if line.strip():
            carry = squash(line) in joined

    def marked(k: int, text: str) -> str:
        """``text`` (a quote, heading or caption) as copy k's article has it."""
        needle = squash(text)
        for para in paragraphs:
            at = para.find(needle)
            if at >= 0:
                return f"〔{k}〕{para[: at + len(needle)]}"
        raise AssertionError(f"not in the article: {text}")

    out = {"schema_version": doc["schema_version"], "report": dict(doc["report"])}
    out["report"]["source"] = "source.txt"
    out["report"]["line_joins"] = [
        f"〔{k}〕{line.strip()}" if start else line.strip()
        for k in range(scale)
        for line, start in zip(lines, starts, strict=True)
        if line.strip() and squash(line) in joined
    ]
    for kind, key in KINDS.items():
        records = []
        for k in range(scale):
            for rec in doc.get(key) or []:
                copy = dict(rec)
                copy["id"] = f"{rec['id']}-k{k}"
                for name, field in schema.fields_of(schema.RECORD_TYPES[kind]).items():
                    if (field.item or field).mark(schema.Ref) is None:
                        continue
                    if field.is_list:
                        copy[name] = [f"{r}-k{k}" for r in copy.get(name) or []]
                    elif copy.get(name):
                        copy[name] = f"{copy[name]}-k{k}"
                if isinstance(copy.get("quote"), str):
                    copy["quote"] = marked(k, copy["quote"])
                    original = real.get(rec["id"])
                    assert original is not None
                    copy["para"] = original["para"] + k * len(paragraphs)
                if copy.get("more_quotes"):
                    copy["more_quotes"] = [marked(k, q) for q in copy["more_quotes"]]
                if kind == "section" and copy.get("heading"):
                    copy["heading"] = marked(k, copy["heading"])
                if kind == "entity" and k > 0:  # a bigger report names more entities
                    copy["name"] = f"{rec['name']}（{k}）"
                    copy["aliases"] = [f"{a}（{k}）" for a in rec.get("aliases") or []]
                records.append(copy)
        out[key] = records
    path = folder / f"report-x{scale}.yaml"
    path.write_text(yaml.safe_dump(out, allow_unicode=True, sort_keys=False), encoding="utf-8")
    text = "".join(
        "".join(
            f"〔{k}〕{line.lstrip()}\n" if start else f"{line}\n" for line, start in zip(lines, starts, strict=True)
        )
        for k in range(scale)
    )
    (folder / "source.txt").write_text(text, encoding="utf-8")
    return path


class Verdicts:
    """Every figure beside its budget; OVER where it is past it."""

    def __init__(self) -> None:
        self.over: list[str] = []

    def row(self, label: str, figure: float, budget: float, text: str) -> None:
        verdict = "ok" if figure <= budget else "OVER"
        if verdict == "OVER":
            self.over.append(label)
        print(f"{text}  {verdict}")
