"""How good and how fast ``beibei draft`` is.

    python benchmarks/draft_bench.py            # quality on every article, then the time budgets
    python benchmarks/draft_bench.py --no-time  # quality only
    python benchmarks/draft_bench.py --cn2an    # also the same figures read by cn2an (if installed)
    python benchmarks/draft_bench.py --check    # exit 1 if a figure is under its bar or past its budget

Quality: a draft is compared with a curated list figure by figure. A drafted figure matches a
gold one when value, unit, qualifier, amount and paragraph are all equal (each gold figure is
matched at most once). Recall = matched gold / gold; precision = matched drafts / drafts (a
"figure" that is part of a name, such as 1+4+9+N or 六届二次, counts against it). Name overlap
(the characters the drafted name shares with the curated one, over the curated one's) is
reported apart. Articles: the shipped one against data/report.yaml's figures (bars 0.95 and
0.85), tests/fixtures/draft/*.txt against their hand-checked *.gold.yaml (bars 0.9 and 0.85), and
benchmarks/holdout/*.txt: articles written after the rules, with forms they were not written for
(no bar: they show where the rules stop).

Time: ``beibei draft`` on the shipped article as a ratio to a cold cache build of the same
article (``beibei --data`` on the drafted file with an empty cache) in the same run (budget
5x); peak memory (300 MiB); and the draft of a synthetic article 10x as long against its 1x
time (12x).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import beibei_cmd, timed  # noqa: E402

ARTICLE = ROOT / "data" / "source.txt"
FIXTURES = ROOT / "tests" / "fixtures" / "draft"
HOLDOUT = ROOT / "benchmarks" / "holdout"
BARS = {"shipped": (0.95, 0.85), "fixture": (0.9, 0.85), "holdout": (0.0, 0.0)}


def _key(f: dict[str, Any]) -> tuple[Any, ...]:
    from beibei_cli import quantity

    unit = f.get("unit") or None
    try:
        amount: float | None = float(quantity.amount(f["value"], unit))
    except quantity.QuantityError:
        amount = None  # a gold unit the tables do not know (a hold-out article's 分钟): never matched
    return (float(f["value"]), unit, f.get("qualifier"), amount, f["para"])


def drafted_figures(article: Path) -> list[dict[str, Any]]:
    """The figures of a draft of ``article``, as ``beibei draft`` writes them."""
    from beibei_cli.draft.write import draft_document, read_article

    text, _ = read_article(str(article))
    doc, _ = draft_document(text, article.name)
    return list(doc["metrics"])


def curated_figures() -> list[dict[str, Any]]:
    from beibei_cli.report import load_report

    rep = load_report(str(ROOT / "data" / "report.yaml"), use_cache=False)
    return [dict(m) for m in rep.records["metric"]]


def gold_figures(path: Path) -> list[dict[str, Any]]:
    import yaml

    figures: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["figures"]
    return figures


def compare(drafts: list[dict[str, Any]], gold: list[dict[str, Any]]) -> dict[str, Any]:
    left = list(gold)
    matched, names, extra = 0, [], []
    for d in drafts:
        hit = next((g for g in left if _key(g) == _key(d)), None)
        if hit is None:
            extra.append(d)
            continue
        left.remove(hit)
        matched += 1
        want = set(hit.get("name") or "")
        names.append(len(want & set(d.get("name") or "")) / len(want) if want else 0.0)
    return {
        "gold": len(gold),
        "drafted": len(drafts),
        "matched": matched,
        "recall": matched / len(gold) if gold else 1.0,
        "precision": matched / len(drafts) if drafts else 1.0,
        "names": statistics.mean(names) if names else 0.0,
        "missed": [g.get("text") for g in left],
        "extra": [d.get("text") for d in extra],
    }


def cn2an_figures(article: Path) -> list[dict[str, Any]] | None:
    """The figures found by cn2an's transform (Chinese numerals to Arabic) and then the same unit rules:
    what a library buys over our own numeral reading, measured on the same gold lists."""
    try:
        import cn2an  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    from beibei_cli.draft import scan
    from beibei_cli.report import split_paragraphs

    text = article.read_text(encoding="utf-8")
    from beibei_cli.draft.write import line_joins

    lines = [line.strip() for line in text.splitlines() if line.strip()]
    paras, _ = split_paragraphs(text, line_joins(lines))
    out: list[dict[str, Any]] = []
    for n, para in enumerate(paras, 1):
        arabic = cn2an.transform(para, "cn2an")
        for f in scan.figures(arabic):
            if any("\u4e00" <= ch <= "\u9fff" for ch in f.text if ch in scan.CN_CHARS):
                continue
            out.append({"value": f.value, "unit": f.unit, "qualifier": f.qualifier, "para": n, "text": f.text})
    return out


def quality(with_cn2an: bool) -> list[str]:
    """Print recall and precision on every article; return the figures under their bar."""
    failures: list[str] = []
    cases = [("shipped", "data/source.txt vs data/report.yaml", drafted_figures(ARTICLE), curated_figures())]
    cases += [
        ("fixture", f"tests/fixtures/draft/{p.name}", drafted_figures(p), gold_figures(p.with_suffix(".gold.yaml")))
        for p in sorted(FIXTURES.glob("*.txt"))
    ]
    cases += [
        ("holdout", f"benchmarks/holdout/{p.name}", drafted_figures(p), gold_figures(p.with_suffix(".gold.yaml")))
        for p in sorted(HOLDOUT.glob("*.txt"))
    ]
    print(f"{'article':58} {'gold':>5} {'draft':>5} {'recall':>7} {'prec.':>7} {'names':>6}")
    for group, name, drafts, gold in cases:
        r = compare(drafts, gold)
        print(f"{name:58} {r['gold']:5} {r['drafted']:5} {r['recall']:7.3f} {r['precision']:7.3f} {r['names']:6.2f}")
        if r["missed"]:
            print(f"    missed: {' '.join(map(str, r['missed']))}")
        if r["extra"]:
            print(f"    not in the gold list: {' '.join(map(str, r['extra']))}")
        want_recall, want_precision = BARS[group]
        if r["recall"] < want_recall or r["precision"] < want_precision:
            failures.append(f"{name}: recall {r['recall']:.3f} / precision {r['precision']:.3f}")
        if with_cn2an:
            path = ROOT / name.split(" ")[0]
            found = cn2an_figures(path)
            if found is None:
                print("    cn2an: not installed (pip install cn2an)")
            else:
                c = compare(found, gold)
                print(f"    with cn2an.transform: recall {c['recall']:.3f} precision {c['precision']:.3f}")
                if c["missed"]:
                    print(f"      missed: {' '.join(map(str, c['missed']))}")
                if c["extra"]:
                    print(f"      not in the gold list: {' '.join(map(str, c['extra']))}")
    return failures


def _long_article(scale: int, folder: Path) -> Path:
    """The shipped article ``scale`` times over (each copy's paragraphs marked, as bench.synthetic does)."""
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for k in range(scale):
        out += [f"〔{k}〕{line}" if line.strip() else line for line in lines[1:]]
    path = folder / f"article-{scale}x.txt"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def timing(runs: int) -> list[str]:
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cmd = beibei_cmd()
        env = {**os.environ, "BEIBEI_CACHE_DIR": str(folder / "cache")}
        drafted = folder / "d.yaml"
        times_draft, times_build, peaks = [], [], []
        for _ in range(runs):
            wall, peak, code = timed([*cmd, "draft", str(ARTICLE), "-o", str(drafted)], env)
            assert code == 0
            times_draft.append(wall)
            peaks.append(peak)
            for f in (folder / "cache").glob("*"):
                f.unlink()
            wall, _, code = timed([*cmd, "--data", str(drafted), "info", "--format", "json"], env)
            assert code == 0
            times_build.append(wall)
        ratio = statistics.median(times_draft) / statistics.median(times_build)
        print(
            f"draft {statistics.median(times_draft) * 1000:.0f} ms, cold cache build "
            f"{statistics.median(times_build) * 1000:.0f} ms: {ratio:.2f}x (budget 5x); "
            f"peak memory {max(peaks):.0f} MiB (budget 300)"
        )
        if ratio > 5:
            failures.append(f"draft is {ratio:.2f}x a cold build")
        if max(peaks) > 300:
            failures.append(f"draft peaks at {max(peaks):.0f} MiB")
        one, ten = _long_article(1, folder), _long_article(10, folder)
        t1 = statistics.median(
            timed([*cmd, "draft", str(one), "-o", str(folder / "1.yaml")], env)[0] for _ in range(runs)
        )
        t10 = statistics.median(
            timed([*cmd, "draft", str(ten), "-o", str(folder / "10.yaml")], env)[0] for _ in range(runs)
        )
        print(f"draft of a 10x article: {t10 * 1000:.0f} ms, {t10 / t1:.2f}x its 1x time (budget 12x)")
        if t10 / t1 > 12:
            failures.append(f"a 10x article takes {t10 / t1:.2f}x")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-time", action="store_true", help="quality only")
    parser.add_argument("--cn2an", action="store_true", help="also measure cn2an.transform on the same lists")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 if a figure is under its bar or past budget")
    args = parser.parse_args()
    failures = quality(args.cn2an)
    if not args.no_time:
        failures += timing(args.runs)
    for f in failures:
        print(f"FAIL {f}", file=sys.stderr)
    return 1 if failures and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
