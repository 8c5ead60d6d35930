"""Rows as an Excel workbook (``--format xlsx -o FILE``), through xlsxwriter.

xlsxwriter (pure Python, ~100 ms to import) is imported only here, and only
for this format. Numbers go into numeric cells (so that a spreadsheet can sum
and sort them); every text goes in as text: a value starting with ``=`` is
never a formula and an address is never turned into a link
(``strings_to_formulas``, ``strings_to_urls`` and ``strings_to_numbers`` off,
and each cell written with its own type).
"""

from __future__ import annotations

import io

from beibei_cli.output import cell, header_labels
from beibei_cli.output.linebreak import cell_width

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,
}
MAX_COLUMN_WIDTH = 60
EXCEL_MAX_TEXT = 32767  # characters in one cell
EXCEL_MAX_ROWS = 1048576  # rows in one sheet, the header's included


def _too_many_rows(total: int) -> Exception:
    from beibei_cli.errors import UsageError

    return UsageError(
        f"xlsx holds at most {EXCEL_MAX_ROWS:,} rows in a sheet and these are {total:,}: "
        "narrow the query, or use --format csv or json"
    )


def _too_long(n: int, key: str, length: int) -> Exception:
    from beibei_cli.errors import UsageError

    return UsageError(
        f"xlsx holds at most {EXCEL_MAX_TEXT:,} characters in a cell and row {n}'s {key} has {length:,}: "
        "use --format csv or json"
    )


def workbook(rows: list[dict[str, Any]], *, header: bool = True, sheet: str = "beibei", lang: str = "en") -> bytes:
    """The rows as the bytes of an .xlsx file: one sheet, a bold frozen header row (unless ``header`` is
    false) that names each column by its label in ``lang`` (a workbook is for people: 编号, 名称 …)."""

    import xlsxwriter

    keys: list[str] = []
    for row in rows:
        keys.extend(k for k in row if k not in keys)
    # a sheet or a cell Excel cannot hold whole is refused (exit 2, nothing written): a
    # workbook never loses a row or the end of a text silently
    total = len(rows) + (1 if header and keys else 0)
    if total > EXCEL_MAX_ROWS:
        raise _too_many_rows(total)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, OPTIONS)
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True})
    names = header_labels(keys, lang)
    widths = [cell_width(k) for k in names]
    first = 0
    if header and keys:
        for c, name in enumerate(names):
            ws.write_string(0, c, name, bold)
        ws.freeze_panes(1, 0)
        first = 1
    for r, row in enumerate(rows, start=first):
        for c, key in enumerate(keys):
            value = row.get(key)
            if value is None:
                continue
            if isinstance(value, bool):
                ws.write_boolean(r, c, value)
                widths[c] = max(widths[c], 5)
            elif isinstance(value, (int, float)):
                ws.write_number(r, c, value)
                widths[c] = max(widths[c], len(repr(value)))
            else:
                text = cell(value)
                if len(text) > EXCEL_MAX_TEXT:
                    raise _too_long(r + 1 - first, key, len(text))
                ws.write_string(r, c, text)
                widths[c] = max(widths[c], cell_width(text))
    for c, w in enumerate(widths):
        ws.set_column(c, c, min(w + 2, MAX_COLUMN_WIDTH))
    if header and keys and rows:
        ws.autofilter(0, 0, len(rows), len(keys) - 1)
    book.close()
    return buffer.getvalue()
