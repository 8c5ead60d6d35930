"""A hostile report, made from the real one: attacks in names, notes, titles and aliases.

Generated rather than committed, so that it follows the schema of ``data/report.yaml``
as that changes. ``write_hostile`` writes it (and a source text with a hostile line)
into a folder; ``EXPECTED`` says which refused characters ``validate`` must report where.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import DATA, SOURCE

# Each is text that would drive a terminal or hide what the user reads.
PAYLOADS: dict[str, str] = {
    # clear the screen, retitle the window, ring the bell, hide text (SGR 8: concealed)
    "terminal": "Investment \x1b[2J\x1b]0;pwned\x07 attracted \x1b[8mhidden\x1b[0m",
    # the one-byte CSI, NEXT LINE, DEL, backspace, NUL, a lone carriage return
    "c1": "csi\x9b2J next\x85line del\x7f back\x08space nul\x00 over\rwrite",
    # "Trojan Source": digits shown reversed, an isolate
    "bidi": "总额\u202e91.0\u202c亿元 \u2066iso\u2069 mark\u200f",
    # invisible text: zero-width, byte order mark, soft hyphen, tag characters (hidden ASCII)
    "invisible": "zero\u200bwidth\ufeffbom so\u00adft tag\U000e0041\U000e007f",
}

# What the browser and Markdown must keep as text.
HTML_PAYLOAD = (
    '<script>console.log("PWNED-script")</script>'
    "<img src=x onerror=console.log('PWNED-img')>"
    '" onmouseover="console.log(\'PWNED-attr\')" autofocus onfocus="console.log(\'PWNED-focus\')" x="'
    "' onmouseover='console.log(1)' "
    "javascript:console.log('PWNED-url') [link](javascript:alert(1)) | pipe & amp"
)

FIELDS = ("name", "note", "title", "aliases")


def _refused(text: str) -> list[str]:
    from beibei_cli.textsafety import is_refused

    return list(dict.fromkeys(ch for ch in text if is_refused(ch)))


def hostile_doc() -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The real report with every payload in every kind of field: (document, [(path, char)])."""
    from beibei_cli.schema import path_text

    doc = copy.deepcopy(yaml.safe_load(DATA.read_text(encoding="utf-8")))
    expected: list[tuple[str, str]] = []
    used: set[tuple[str, int]] = set()
    for field in FIELDS:
        for payload in PAYLOADS.values():
            key, i = next(
                (key, i)
                for key, records in doc.items()
                if isinstance(records, list)
                for i, rec in enumerate(records)
                if isinstance(rec, dict) and field in rec and (key, i) not in used
            )
            used.add((key, i))
            rec = doc[key][i]
            if field == "aliases":
                path = path_text((key, i, field, len(rec[field])))
                rec[field].append(payload)
            else:
                path = path_text((key, i, field))
                rec[field] = payload
            expected += [(path, ch) for ch in _refused(payload)]
    doc["report"]["title_en"] = PAYLOADS["terminal"] + PAYLOADS["bidi"]
    expected += [("report.title_en", ch) for ch in _refused(doc["report"]["title_en"])]
    return doc, expected


def hostile_source() -> str:
    """The article with one more line that holds every payload."""
    return SOURCE.read_text(encoding="utf-8") + "\n" + "".join(PAYLOADS.values()).replace("\r", "") + "\n"


def write_hostile(folder: Path, *, html: bool = False) -> Path:
    """Write ``report.yaml`` and ``source.txt`` into ``folder``; with ``html``, every text also gets HTML_PAYLOAD."""
    doc, _ = hostile_doc()
    if html:
        for records in doc.values():
            for rec in records if isinstance(records, list) else []:
                for field in ("name", "name_en", "title", "title_en", "summary", "summary_en", "note", "text_en"):
                    if isinstance(rec.get(field), str):
                        rec[field] += HTML_PAYLOAD
    path = folder / "report.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (folder / "source.txt").write_text(hostile_source(), encoding="utf-8")
    return path
