"""``validate --coverage``: every figure and date of the article that no record covers, by position.

A figure is covered by a figure record whose ``text`` stands at that place of its quote, in its
paragraph; a date by a record with a date (an event, a case, a plan, an honour, a figure's as-of)
whose quote holds it there and whose date agrees with it. The figures and dates are found by the
same rules ``beibei draft`` uses (``draft.scan``), so a curated report that passes covers everything
a draft would hold.
"""

from __future__ import annotations

import re

from beibei_cli.draft import scan

YEAR_RE = re.compile(r"((?:19|20)[0-9]{2})年")

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from beibei_cli.schema import Record


def located_paragraphs(source: str, joins: list[str]) -> list[tuple[str, list[tuple[int, int]]]]:
    """Each paragraph as ``report.split_paragraphs`` makes it, with the (line, column) of each character."""
    from beibei_cli.report import squash

    wanted = {squash(j) for j in joins}
    out: list[tuple[str, list[tuple[int, int]]]] = []
    text, where = "", []
    for lineno, raw in enumerate(source.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        col = raw.index(line[0]) + 1
        text += line
        where += [(lineno, col + i) for i in range(len(line))]
        if squash(line) in wanted:
            continue
        out.append((text, where))
        text, where = "", []
    if text:
        out.append((text, where))
    return out


def _squashed(text: str) -> tuple[str, list[int]]:
    """The text without whitespace, and where each of its characters stands in ``text``."""
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in keep), keep


def _occurrences(haystack: str, needle: str) -> list[int]:
    out, start = [], haystack.find(needle)
    while needle and start != -1:
        out.append(start)
        start = haystack.find(needle, start + 1)
    return out


def _date_isos(rec: Record) -> list[str]:
    found = [rec[key]["iso"] for key in ("date", "year", "as_of") if isinstance(rec.get(key), dict)]
    found += [d["iso"] for d in rec.get("dates") or [] if isinstance(d, dict)]
    return [iso for iso in found if isinstance(iso, str)]


def _agrees(mention: str | None, isos: list[str]) -> bool:
    if mention is None:
        return bool(isos)
    if len(mention) == 10 and mention[4:] and any(iso[4:] == mention[4:] for iso in isos):
        return True  # 1月9日: the record may have inferred another year
    return any(iso.startswith(mention) or mention.startswith(iso) for iso in isos)


def uncovered(data: dict[str, Any]) -> list[Record]:
    """Problems (the shape ``report.check`` gives) for each uncovered figure and date, in article order."""
    from beibei_cli.report import read_text, squash

    source_path: str = data["source_path"]
    joins = [j for j in data["meta"].get("line_joins") or [] if isinstance(j, str)]
    paras = located_paragraphs(read_text(source_path, "source text"), joins)
    figure_spans: dict[int, list[tuple[int, int]]] = {}
    date_spans: dict[int, list[tuple[int, int, list[str]]]] = {}
    for recs in data["records"].values():
        for rec in recs:
            n, quote = rec.get("para"), rec.get("quote")
            if not isinstance(n, int) or not isinstance(quote, str) or not 1 <= n <= len(paras):
                continue
            para = squash(paras[n - 1][0])
            q = squash(quote)
            isos = _date_isos(rec)
            for q_start in _occurrences(para, q):
                if rec.get("_kind") == "metric" and isinstance(rec.get("text"), str):
                    t = squash(rec["text"])
                    for t_start in _occurrences(q, t):
                        figure_spans.setdefault(n, []).append((q_start + t_start, q_start + t_start + len(t)))
                if isos:
                    date_spans.setdefault(n, []).append((q_start, q_start + len(q), isos))
    out: list[Record] = []
    last_year: str | None = None
    for n, (text, where) in enumerate(paras, 1):
        _, keep = _squashed(text)
        position = {i: k for k, i in enumerate(keep)}
        mentions: list[tuple[int, int, str, str | None, bool]] = [
            (f.start, f.end, f.text, None, True) for f in scan.figures(text)
        ]
        mentions += [(d.start, d.end, d.text, d.iso, False) for d in scan.dates(text, last_year)]
        for start, end, shown, iso, is_figure in sorted(mentions):
            s, e = position[start], position[end - 1] + 1
            if is_figure:
                ok = any(a <= s and e <= b for a, b in figure_spans.get(n, []))
            else:
                ok = any(a <= s and e <= b and _agrees(iso, isos) for a, b, isos in date_spans.get(n, []))
            if not ok:
                line, col = where[start]
                what = "figure" if is_figure else "date"
                out.append(
                    {
                        "file": source_path,
                        "line": line,
                        "col": col,
                        "path": f"paragraph {n}",
                        "message": f"no record covers the {what} {shown} ({_context(text, start, end)})",
                    }
                )
        years = YEAR_RE.findall(text)
        if years:
            last_year = years[-1]
    return out


def _context(text: str, start: int, end: int) -> str:
    return "…" + text[max(0, start - 10) : end + 10] + "…"
