"""The output layer: every byte the tool prints goes through here.

Listing commands hand over rows (dicts, contract fields in order, ``id``
first); ``render`` turns them into one of the formats. Terminal tables are
drawn with Rich by ``beibei_cli.output.terminal``, imported only when one is needed.

No control, bidi or invisible format character (``beibei_cli.textsafety``) is
ever written raw: each format escapes data where it formats it (``cell``,
``to_json``, ``to_yaml``, ``md_escape``), and ``write``/``write_err`` escape
whatever still holds one, keeping only the colour sequences a renderer wrote.
"""

from __future__ import annotations

import io
import os
import re
import sys

from beibei_cli.declare import COLOR_CHOICES as COLOR_CHOICES
from beibei_cli.declare import FORMATS as FORMATS
from beibei_cli.errors import OutputError, UsageError
from beibei_cli.files import os_text
from beibei_cli.textsafety import UNSAFE_RE, json_escape, visible, visible_keeping_sgr

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# -- where output goes and how it looks -------------------------------------


def stdout_is_tty() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def use_color(flag: str | None) -> bool:
    """The colour policy: the flag, then NO_COLOR, then CLICOLOR_FORCE, then the terminal."""
    if flag == "always":
        return True
    if flag == "never":
        return False
    env = os.environ
    if env.get("NO_COLOR"):
        return False
    if env.get("CLICOLOR_FORCE", "0") not in ("", "0"):
        return True
    if env.get("CLICOLOR") == "0" or env.get("TERM") == "dumb":
        return False
    return stdout_is_tty()


def terminal_width() -> int:
    raw = os.environ.get("COLUMNS", "")
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 80


def default_format(fmt: str | None) -> str:
    """``table`` on a terminal, ``plain`` when piped."""
    if fmt:
        return fmt
    return "table" if stdout_is_tty() else "plain"


def write(text: str) -> None:
    """Write UTF-8 to stdout whatever the locale says, with no control character raw.

    A closed pipe raises BrokenPipeError (the caller ends quietly); any other
    failure -- stdout closed, a full disk, an I/O error -- raises OutputError
    (exit 2), after pointing stdout at the null device so that the
    interpreter's own flush at exit cannot fail again.
    """
    text = visible_keeping_sgr(os_text(text))
    if text and not text.endswith("\n"):
        text += "\n"
    stream = sys.stdout
    if stream is None or isinstance(stream, _ClosedStdout):
        raise OutputError("cannot write output: standard output is closed")
    try:
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()
            write_all(buffer, text.encode("utf-8", "surrogateescape"))
            buffer.flush()
        else:
            stream.write(text)
            stream.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:  # ValueError: "I/O operation on closed file"
        discard_stdout()
        if isinstance(exc, OSError):
            raise OutputError.from_os(exc) from None
        raise OutputError("cannot write output: standard output is closed") from None


def write_binary(data: bytes) -> None:
    """Bytes to stdout as they are (xlsx), with the failures of ``write``."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if stream is None or buffer is None or isinstance(stream, _ClosedStdout):
        raise OutputError("cannot write output: standard output is closed")
    try:
        stream.flush()
        write_all(buffer, data)
        buffer.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        discard_stdout()
        if isinstance(exc, OSError):
            raise OutputError.from_os(exc) from None
        raise OutputError("cannot write output: standard output is closed") from None


def write_all(stream: Any, data: bytes) -> None:
    """Write every byte: an unbuffered stream (PYTHONUNBUFFERED=1) may write only part
    and return the count, and the next write then raises the real error (e.g. ENOSPC)."""
    view = memoryview(data)
    while view:
        written = stream.write(view)
        if written is None:  # a non-blocking descriptor that is full: wait until it drains
            import select

            select.select([], [stream.fileno()], [])
            continue
        view = view[written:]


def guard_stdout() -> None:
    """Make every write to ``sys.stdout`` -- Click's help and messages too -- complete or fail as OutputError.

    Under PYTHONUNBUFFERED=1 stdout's text layer sits on a raw FileIO and drops the
    rest of a partial write without a word; a BufferedWriter between them retries
    it, so the real error (ENOSPC, EIO, EFBIG) surfaces. Idempotent; a stdout that
    is not a real file (closed, or a test's capture) is left alone.
    """
    stream = sys.stdout
    if stream is None:  # file descriptor 1 was closed: writing anything is an error, printing nothing is not
        sys.stdout = _ClosedStdout()
        return
    if isinstance(stream, _GuardedStdout) or type(stream) is not io.TextIOWrapper:
        return
    buffer = stream.buffer
    if isinstance(buffer, io.FileIO):
        buffer = io.BufferedWriter(buffer)
    elif not isinstance(buffer, io.BufferedWriter):
        return
    stream.flush()
    sys.stdout = _GuardedStdout(
        buffer, encoding=stream.encoding, errors=stream.errors, line_buffering=stream.line_buffering
    )


class _ClosedStdout(io.TextIOBase):
    """Stands in for a closed stdout: any text written to it is an OutputError."""

    def write(self, text: str) -> int:
        if text:
            raise OutputError("cannot write output: standard output is closed")
        return 0

    def isatty(self) -> bool:
        return False


class _GuardedStdout(io.TextIOWrapper):
    """stdout whose write and flush turn an I/O failure (not a closed pipe) into OutputError."""

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            discard_stdout()
            raise OutputError.from_os(exc) from None

    def flush(self) -> None:
        try:
            super().flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            discard_stdout()
            raise OutputError.from_os(exc) from None


def discard_stdout() -> None:
    """Point file descriptor 1 at the null device, so later flushes of stdout succeed quietly."""
    try:
        fd = sys.stdout.fileno() if sys.stdout is not None else 1
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def encode_err(text: str) -> bytes:
    """UTF-8, with a path's undecodable bytes (surrogate escapes) given back as they were."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


def write_err(text: str, *, keep_sgr: bool = False) -> None:
    """A line on stderr; a closed or failing stderr is ignored (it must not change the exit code).

    Every control character is shown escaped, a colour sequence too (it can only come from what a
    user typed: a path, a query); ``keep_sgr`` keeps the colours of text the tool drew (help)."""
    text = (visible_keeping_sgr if keep_sgr else visible)(os_text(text))
    stream = sys.stderr
    if stream is None:
        return
    try:
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()
            write_all(buffer, encode_err(text + "\n"))
            buffer.flush()
        else:
            stream.write(text + "\n")
    except (OSError, ValueError):
        pass


PROGRESS_AFTER = 1.0  # seconds: a build quicker than this shows no bar


def progress_bar(lang: str) -> Callable[[int, int], None] | None:
    """A callback ``(done, total)`` drawing a progress bar on stderr once a build has taken
    longer than ``PROGRESS_AFTER``; None when stderr is not a terminal (nothing is drawn)."""
    import time

    stream = sys.stderr
    try:
        if stream is None or not stream.isatty():
            return None
    except (OSError, ValueError):
        return None
    start = time.monotonic()
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            if time.monotonic() - start < PROGRESS_AFTER or done >= total:
                return
            from rich.console import Console  # drawn only for a slow build at a terminal
            from rich.progress import Progress

            from beibei_cli.output.labels import label

            state["bar"] = Progress(console=Console(file=stream), transient=True)
            state["bar"].start()
            state["task"] = state["bar"].add_task(label("shelf_building", lang), total=total)
        state["bar"].update(state["task"], completed=done)
        if done >= total:
            state["bar"].stop()

    return update


# -- fields ----------------------------------------------------------------


def select_fields(rows: list[dict[str, Any]], fields: str | None, available: list[str]) -> list[dict[str, Any]]:
    """Keep and order the named fields; an unknown name is a usage error."""
    if fields is None:
        return rows
    wanted = [f.strip() for f in fields.split(",") if f.strip()]
    if not wanted:
        raise UsageError(f"--fields is empty; available fields: {', '.join(available)}")
    unknown = [f for f in wanted if f not in available]
    if unknown:
        raise UsageError(f"unknown field {unknown[0]!r} in --fields; available fields: {', '.join(available)}")
    twice = next((f for i, f in enumerate(wanted) if f in wanted[:i]), None)
    if twice is not None:  # a row holds a field once: a second column would silently not be there
        raise UsageError(f"--fields names {twice!r} twice; name each field once")
    return [{f: row.get(f) for f in wanted} for row in rows]


# -- machine formats -------------------------------------------------------


def cell(value: Any) -> str:
    """One value as a single line of text (tables, TSV, CSV, plain), control characters shown."""
    return visible(_cell(value))


def _cell(value: Any) -> str:
    if type(value) is str:  # the common case first: every text of an export comes here
        return " ".join(value.split()) if ("\n" in value or "\t" in value) else value
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ",".join(value)
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return " ".join(str(value).split()) if ("\n" in str(value) or "\t" in str(value)) else str(value)


def visible_data(value: Any) -> Any:
    """Every text in rows or a record with control characters shown (for renderers that lay text out)."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, list):
        return [visible_data(v) for v in value]
    if isinstance(value, dict):
        return {visible(k) if isinstance(k, str) else k: visible_data(v) for k, v in value.items()}
    return value


def plain_record(rec: dict[str, Any]) -> str:
    """``field: value`` lines (field names, not labels: stable for grep and cut); a list of records
    as ``- field: value`` items, each field named (a date's ``iso``, ``inferred`` and ``note`` alike)."""
    lines = []
    for key, value in rec.items():
        if value is None or value == []:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{cell(key)}:")
            for item in value:
                shown = [(k, v) for k, v in item.items() if v is not None and v != []]
                lines.extend(f"  {'- ' if i == 0 else '  '}{cell(k)}: {cell(v)}" for i, (k, v) in enumerate(shown))
        elif isinstance(value, dict):
            lines.append(f"{cell(key)}:")
            lines.extend(f"  {cell(k)}: {cell(v)}" for k, v in value.items())
        else:
            lines.append(f"{cell(key)}: {cell(value)}")
    return "\n".join(lines) + "\n"


def format_number(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def to_json(value: Any, *, indent: int | None = 2) -> str:
    """JSON as UTF-8 text; control and format characters as ``\\uXXXX`` escapes (JSON leaves some raw)."""
    import json

    if indent == 2 and isinstance(value, list) and value:
        from beibei_cli.rows import Encoded

        items = [row.json_item if type(row) is Encoded else None for row in value]
        if None not in items:  # every row's text made with it: printed as made (a shelf's 1,000 reports)
            return "[\n" + ",\n".join(items) + "\n]"  # type: ignore[arg-type]  # (escaped when made)

    if indent is None:
        return json_escape(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    return json_escape(json.dumps(value, ensure_ascii=False, indent=indent))


def to_yaml(value: Any) -> str:
    """YAML; a text holding a control or format character is double-quoted, with the character escaped."""
    import yaml

    fast, python = _yaml_dumpers()
    try:
        text = yaml.dump(value, Dumper=fast, allow_unicode=True, sort_keys=False, width=1_000_000)
    except UnicodeEncodeError:  # a lone surrogate: libyaml cannot encode it, PyYAML's emitter escapes it
        text = yaml.dump(value, Dumper=python, allow_unicode=True, sort_keys=False, width=1_000_000)
    # PyYAML escapes C0 and C1 itself, but counts bidi and zero-width characters as printable;
    # inside the double quotes the dumper chose for those texts, \\uXXXX is a YAML escape.
    return UNSAFE_RE.sub(lambda m: _yaml_escape(m.group()), str(text))


def _yaml_escape(ch: str) -> str:
    cp = ord(ch)
    return f"\\x{cp:02x}" if cp <= 0xFF else f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"


_DUMPERS: tuple[Any, Any] | None = None


def _yaml_dumpers() -> tuple[Any, Any]:
    """Safe dumpers (libyaml's when present, and PyYAML's) that double-quote texts with refused characters."""
    global _DUMPERS
    if _DUMPERS is None:
        import yaml

        def represent_str(dumper: Any, data: str) -> Any:
            style = '"' if UNSAFE_RE.search(data) else None
            return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

        made = []
        for base in (getattr(yaml, "CSafeDumper", yaml.SafeDumper), yaml.SafeDumper):
            dumper: Any = type("TextSafeDumper", (base,), {})
            dumper.add_representer(str, represent_str)
            made.append(dumper)
        _DUMPERS = (made[0], made[1])
    return _DUMPERS


_FORMULA_FIRST = frozenset("=+-@\t\r")  # what makes a spreadsheet read a cell as a formula (OWASP)
_PLAIN_NUMBER: re.Pattern[str] | None = None


def inert_cell(text: str) -> str:
    """A CSV or TSV cell that no spreadsheet runs as a formula: one that starts with
    ``= + - @``, a tab or a CR gets a leading ``'`` (OWASP's rule), unless it is a plain
    negative number such as ``-3.5``."""
    global _PLAIN_NUMBER
    if text[:1] not in _FORMULA_FIRST or not text:
        return text
    if _PLAIN_NUMBER is None:
        _PLAIN_NUMBER = re.compile(r"-[0-9]+(?:\.[0-9]+)?")
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text


def render(
    rows: list[dict[str, Any]],
    fmt: str,
    *,
    header: bool = True,
    fields: list[str] | None = None,
    lang: str = "en",
    raw_cells: bool = False,
) -> str:
    """Rows in a machine format (or Markdown); ``fields`` are the header's when there is no row.

    The header of tsv and csv is the field names (the JSON contract); Markdown is for people, so its
    header is the fields' labels in ``lang`` (编号, 名称 … or ID, Name …). CSV and TSV cells go
    through ``inert_cell`` unless ``raw_cells`` (``--raw-cells``)."""
    keys: list[str] = []
    for row in rows:  # every field of every row, in first-seen order: rows may differ
        keys.extend(k for k in row if k not in keys)
    if not rows and fields:
        keys = list(fields)
    if fmt == "json":
        return to_json(rows)
    if fmt == "jsonl":
        return "".join(to_json(row, indent=None) + "\n" for row in rows)
    if fmt == "yaml":
        return to_yaml(rows) if rows else "[]\n"
    if fmt == "plain":
        return "".join("\t".join(cell(row.get(k)) for k in keys) + "\n" for row in rows)
    if fmt in ("tsv", "csv"):
        fix = cell if raw_cells else lambda value: inert_cell(cell(value))
    if fmt == "tsv":
        lines = ["\t".join(fix(k) for k in keys)] if header and keys else []
        lines += ["\t".join(fix(row.get(k)) for k in keys) for row in rows]
        return "".join(line + "\n" for line in lines)
    if fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        if header and keys:
            writer.writerow([fix(k) for k in keys])
        for row in rows:
            writer.writerow([fix(row.get(k)) for k in keys])
        return buf.getvalue()
    if fmt == "md":
        return markdown_table(header_labels(keys, lang), [[cell(row.get(k)) for k in keys] for row in rows])
    raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def header_labels(keys: list[str], lang: str) -> list[str]:
    """The header of a table for people (Markdown, xlsx): each field's label in ``lang``."""
    from beibei_cli.output.labels import label

    return [label(k, lang) for k in keys]


_MD_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: "\\" + c for c in "\\`*_[]|~"}}
_MD_SPECIAL_CLASS = "[" + re.escape("".join(_MD_SPECIAL)) + "]"  # compiled on first use (re caches it)
_MD_BLOCK_FIRST = frozenset("#=-+")  # a block marker starts with one of these or a digit
_MD_BLOCK_RES: tuple[re.Pattern[str], re.Pattern[str]] | None = None
_MD_SPECIAL_RE: re.Pattern[str] | None = None


def _md_special(m: re.Match[str]) -> str:
    return _MD_SPECIAL[m.group()]


def md_escape(text: str) -> str:
    """Text that Markdown shows as written: no HTML, links, emphasis or table breaks, on one line.

    ``<``, ``>`` and ``&`` become entities (never a tag); ``\\ ` * _ [ ] | ~`` get a
    backslash (no code span, fence or strikethrough); leading blanks are dropped (no
    indented code block, no nested list); a block marker at the start gets a backslash
    (``#``, ``-``, ``+``, ``=``, ``1.``: no heading, list, rule or setext underline).

    Called for every text of an export, so the common case costs one C-speed scan:
    no special character, no marker (the block marker patterns run only on a text
    that starts with a character a marker can start with).
    """
    global _MD_BLOCK_RES, _MD_SPECIAL_RE
    text = cell(text)
    if text[:1] == " ":  # four blanks would open a code block, two a nested list
        text = text.lstrip(" ")
    special = _MD_SPECIAL_RE
    if special is None:  # only Markdown output pays for compiling it
        special = _MD_SPECIAL_RE = re.compile(_MD_SPECIAL_CLASS)
    if special.search(text) is not None:
        text = special.sub(_md_special, text)
    first = text[:1]
    if first in _MD_BLOCK_FIRST or first.isdecimal():  # \d is a decimal digit (Nd), as isdecimal
        if _MD_BLOCK_RES is None:
            _MD_BLOCK_RES = (re.compile(r"^(\d{1,9})([.)])(?=\s|$)"), re.compile(r"^([#=+-])"))
        list_number, block_mark = _MD_BLOCK_RES
        if m := list_number.match(text):
            text = f"{m[1]}\\{m[2]}{text[m.end() :]}"
        elif m := block_mark.match(text):
            text = f"\\{m[1]}{text[m.end() :]}"
    return text


def markdown_table(
    keys: list[str], rows: list[list[str]], *, align: list[str] | None = None, escaped: bool = False
) -> str:
    """A Markdown table (it always has a header row: Markdown needs one); align items are "l" or "r".

    Cells are escaped with ``md_escape`` unless the caller did that already (``escaped``).
    """

    def esc(text: str) -> str:
        return text if escaped else md_escape(text)

    lines = []
    if keys:
        lines.append("| " + " | ".join(esc(k) for k in keys) + " |")
        marks = align or ["l"] * len(keys)
        lines.append("|" + "|".join("---:" if a == "r" else "---" for a in marks) + "|")
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "".join(line + "\n" for line in lines)


# -- words for people that go with rows --------------------------------------


def hidden_qualifiers(rows: list[dict[str, Any]], fields: str | None, lang: str = "en") -> str | None:
    """A note when ``--fields`` keeps ``value`` but drops every field that shows its qualifier.

    ``--fields id,value,unit`` would print 10余倍 as ``10 倍``: the figure must never
    lose its 余, 超过, 以上 or 约 silently.
    """
    wanted = {f.strip() for f in (fields or "").split(",")}
    if "value" not in wanted or wanted & {"text", "qualifier", "figure", "qualifier_meaning"}:
        return None
    qualified = [r["text"] for r in rows if r.get("qualifier")]
    if not qualified:
        return None
    shown = "、".join(qualified[:3]) + ("…" if len(qualified) > 3 else "")
    if lang != "en":
        return (
            f"注意：其中{len(qualified)}个数值带有限定词（{shown}），所选的 --fields 不显示限定词；"
            "可加上 text（原文所写的数值）或 qualifier"
        )
    return (
        f"note: {len(qualified)} of these figures carry a qualifier that --fields leaves out ({shown}); "
        "add text (the figure as written) or qualifier"
    )


def citation(c: dict[str, Any], fmt: str, lang: str) -> str:
    """A citation (``queries.citation``) ready to paste, without a trailing newline.

    The md form is a blockquote, with no quotation marks of its own: the quote is verbatim.
    The plain form wraps the quote in “”, so quotation marks inside it nest as the
    simplified-Chinese standard (GB/T 15834) has it: “” become ‘’ (and ‘’ become “”).
    Under ``--lang en`` the reference around the quote is English; the quote stays Chinese.
    """
    quote, title, para = c["quote"], c["title"], c["para"]
    if fmt == "md":  # report text is never markup, nor a control sequence
        ref = f"《{md_escape(title)}》，第{para}段"
        if lang == "en":
            ref = f"《{md_escape(title)}》" + (f" ({md_escape(c['title_en'])})" if c.get("title_en") else "")
            ref += f", paragraph {para}"
        return f"> {md_escape(quote)}\n>\n> — {ref}"
    if lang == "en":
        english = f" ({visible(c['title_en'])})" if c.get("title_en") else ""
        return f"“{visible(nest_quotes(quote))}” (《{visible(title)}》{english}, paragraph {para})"
    return f"“{visible(nest_quotes(quote))}”（《{visible(title)}》，第{para}段）"


def nest_quotes(text: str) -> str:
    """Text to go inside “”: its “内层” quotes become ‘内层’, and ‘’ become “” (GB/T 15834)."""
    return text.translate(_NESTED)


_NESTED = str.maketrans("“”‘’", "‘’“”")
