"""Finding, reading, validating and caching the report.

``load_report`` is the one way in: it finds the data file (``--data``,
``BEIBEI_DATA``, the packaged default), answers from the cache when the file is
unchanged, and otherwise reads, parses and validates it, refusing anything it
could not validate.
"""

from __future__ import annotations

import os

from beibei_cli.errors import DataError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from beibei_cli.schema import Pillar, Problem, Record, Records

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def default_data_path() -> str:
    """The packaged report: inside the wheel, or at the top of a source checkout."""
    packaged = os.path.join(PACKAGE_DIR, "data", "report.yaml")
    if os.path.exists(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(PACKAGE_DIR)), "data", "report.yaml")


def resolve_data_path(option: str | None) -> str:
    """``--data``, then ``BEIBEI_DATA``, then the packaged default."""
    if option == "":
        raise UsageError("--data: empty path (leave --data out for the packaged report)")
    if option:
        return option
    env = os.environ.get("BEIBEI_DATA")
    if env == "":
        raise UsageError("BEIBEI_DATA is set but empty: empty path (unset it for the packaged report)")
    if env:
        return env
    return default_data_path()


MAX_BYTES_CEILING = 1 << 50  # 1 PiB: a larger BEIBEI_MAX_BYTES is taken as this


def max_bytes() -> int:
    raw = os.environ.get("BEIBEI_MAX_BYTES")
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        value = int(raw)
    except ValueError:
        raise DataError(f"BEIBEI_MAX_BYTES must be a whole number of bytes, got {raw!r}") from None
    if value <= 0:
        raise DataError(f"BEIBEI_MAX_BYTES must be positive, got {raw!r}")
    return min(value, MAX_BYTES_CEILING)  # more than any file can hold means no limit, not an overflow


def _within_limit(path: str, what: str) -> None:
    """Refuse ``path`` if it is larger than BEIBEI_MAX_BYTES (a file that cannot be stat'ed is
    left to the reading that follows)."""
    try:
        size = os.stat(path).st_size
    except OSError:
        return
    limit = max_bytes()
    if size > limit:
        raise DataError.at(
            path, f"the {what} is {size} bytes, over the {limit}-byte limit (raise it with BEIBEI_MAX_BYTES)"
        )


def read_text(path: str, what: str = "report file") -> str:
    """Read a UTF-8 text file, with a clear error for every way that can fail."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise DataError.at(path, f"no such {what}") from None
    except OSError as exc:
        raise DataError.at(path, f"cannot read the {what}: {exc.strerror}") from None
    import stat

    if stat.S_ISDIR(st.st_mode):
        raise DataError.at(path, f"is a directory, not a {what}")
    limit = max_bytes()
    if st.st_size > limit:
        raise DataError.at(
            path, f"the {what} is {st.st_size} bytes, over the {limit}-byte limit (raise it with BEIBEI_MAX_BYTES)"
        )
    # opened non-blocking and checked before reading: a FIFO, a device or a socket never hangs us
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:
        raise DataError.at(path, f"permission denied reading the {what}") from None
    except OSError as exc:
        raise DataError.at(path, f"cannot read the {what}: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = (
                "a FIFO"
                if stat.S_ISFIFO(mode)
                else "a device"
                if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a socket"
                if stat.S_ISSOCK(mode)
                else "not a regular file"
            )
            raise DataError.at(path, f"is {kind}, not a {what} (only regular files are read)")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        raw = b"".join(chunks)
    except PermissionError:
        raise DataError.at(path, f"permission denied reading the {what}") from None
    except OSError as exc:
        raise DataError.at(path, f"cannot read the {what}: {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise DataError.at(path, f"the {what} is over the {limit}-byte limit (raise it with BEIBEI_MAX_BYTES)")
    return decode(raw, path, what)


def decode(raw: bytes, path: str, what: str) -> str:
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16: FF FE starts both
        raise DataError.at(
            path,
            f"the {what} is UTF-32; convert it to UTF-8 first, e.g. iconv -f UTF-32 -t UTF-8 {path} > converted{os.path.splitext(path)[1] or '.txt'}",
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError.at(
            path,
            f"the {what} is UTF-16; convert it to UTF-8 first, e.g. iconv -f UTF-16 -t UTF-8 {path} > converted{os.path.splitext(path)[1] or '.txt'}",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not raw.strip():
        raise DataError.at(path, f"the {what} is empty")
    if b"\x00" in raw:
        raise DataError.at(path, f"the {what} is binary (it contains NUL bytes), not UTF-8 text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        try:
            guess = raw.decode("gb18030")
        except UnicodeDecodeError:
            guess = ""
        if guess and any("\u4e00" <= ch <= "\u9fff" for ch in guess):
            raise DataError.at(
                path,
                f"the {what} is not UTF-8 (byte 0x{bad} at offset {exc.start}); it looks like "
                f"GBK/GB18030: convert it with iconv -f GB18030 -t UTF-8 {path} > converted{os.path.splitext(path)[1] or '.txt'}",
            ) from None
        raise DataError.at(
            path,
            f"the {what} is not valid UTF-8 (byte 0x{bad} at offset {exc.start}); "
            "save it as UTF-8 (e.g. with iconv -t UTF-8)",
        ) from None


# -- paragraphs and quotes -------------------------------------------------


def squash(text: str) -> str:
    """Remove all whitespace: quotes are compared this way."""
    return "".join(text.split())


def trend_form(text: str) -> str:
    """How ``trend`` reads a text and a term: no whitespace, full-width as ASCII (ＧＤＰ), case
    folded (GDP is gdp). Traditional characters are made simplified by each report's table."""
    import unicodedata

    return unicodedata.normalize("NFKC", squash(text)).casefold()


def split_paragraphs(source: str, joins: list[str]) -> tuple[list[str], list[str]]:
    """The article's paragraphs, and the line_joins that matched no line.

    A paragraph is a non-empty line after re-joining each line listed in
    ``joins`` with the next non-empty line.
    """
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    wanted = {squash(j): j for j in joins}
    used: set[str] = set()
    paragraphs: list[str] = []
    carry = ""
    for line in lines:
        text = carry + line
        key = squash(line)
        if key in wanted:
            used.add(key)
            carry = text
            continue
        carry = ""
        paragraphs.append(text)
    if carry:
        paragraphs.append(carry)
    missing = [j for k, j in wanted.items() if k not in used]
    return paragraphs, missing


PREFIX = 8  # quotes this long or longer are looked up by their first PREFIX characters


def locate(needles: set[str], paragraphs: list[str]) -> dict[str, list[int]]:
    """needle -> the numbers (from 1, ascending) of the paragraphs that hold it.

    One pass over the paragraphs with an index of the needles, not a scan of every
    paragraph per needle: each position of a paragraph looks up the PREFIX characters
    that start there (and, for needles shorter than that, the few shorter lengths they
    have), so the time is linear in the text whatever the number of quotes.
    """
    by_prefix: dict[str, list[str]] = {}
    short: dict[int, set[str]] = {}
    empty = "" in needles
    for needle in needles:
        if len(needle) >= PREFIX:
            by_prefix.setdefault(needle[:PREFIX], []).append(needle)
        elif needle:
            short.setdefault(len(needle), set()).add(needle)
    lengths = sorted(short)
    out: dict[str, list[int]] = {}
    seen: dict[str, list[str]] = {}  # paragraph text -> its needles; paragraphs with the same text are looked at once
    for n, text in enumerate(paragraphs, 1):
        if text in seen:
            for needle in seen[text]:
                out[needle].append(n)
            continue
        hits: dict[str, None] = {}
        if by_prefix:
            get = by_prefix.get
            for i in range(len(text) - PREFIX + 1):
                candidates = get(text[i : i + PREFIX])
                if candidates:
                    for needle in candidates:
                        if needle not in hits and text.startswith(needle, i):
                            hits[needle] = None
        for size in lengths:
            group = short[size]
            for i in range(len(text) - size + 1):
                piece = text[i : i + size]
                if piece in group:
                    hits[piece] = None
        if empty:
            hits[""] = None
        seen[text] = list(hits)
        for needle in hits:
            out.setdefault(needle, []).append(n)
    return out


def build(
    meta: Record, records: dict[str, list[Record]], source: str, source_path: str
) -> tuple[dict[str, Any], list[Problem]]:
    """Link validated records to the article: paragraphs, sections, quotes."""
    problems: list[Problem] = []
    joins = meta.get("line_joins")  # a malformed one is a problem the schema reported already
    joins = [j for j in joins if isinstance(j, str)] if isinstance(joins, list) else []
    paragraphs, missing = split_paragraphs(source, joins)
    for j in missing:
        problems.append((("report", "line_joins"), f"no line of the source reads {j!r}"))
    squashed = [squash(p) for p in paragraphs]

    first_line: dict[str, int] = {}  # a paragraph's text -> its first number (a dict, not list.index)
    for n, text in enumerate(squashed, 1):
        first_line.setdefault(text, n)
    headings: dict[str, str] = {}
    for i, sec in enumerate(records["section"]):
        sec["para"] = 1
        if sec.get("heading"):
            headings[squash(sec["heading"])] = sec["id"]
            if squash(sec["heading"]) not in first_line:
                problems.append((("sections", i, "heading"), "the heading is not a line of the source text"))
                sec["para"] = None
            else:
                sec["para"] = first_line[squash(sec["heading"])]
    lead = next((s["id"] for s in records["section"] if not s.get("heading")), None)
    captions = {squash(c["quote"]) for c in records["caption"] if c.get("quote")}

    from beibei_cli.models import KINDS

    needles = {
        squash(q)
        for kind in KINDS
        for rec in records[kind]
        for q in [rec.get("quote"), *(rec.get("more_quotes") or [])]
        if isinstance(q, str)
    }
    where_found = locate(needles, squashed)
    whole: list[str] = []  # the squashed source, made only if some quote is missing

    def found_in(needle: str) -> list[int]:
        return where_found.get(needle, [])

    def in_source(needle: str) -> bool:
        if not whole:
            whole.append(squash(source))
        return needle in whole[0]

    for kind, key in KINDS.items():
        for i, rec in enumerate(records[kind]):
            quote = rec.get("quote")
            if not isinstance(quote, str):
                continue
            needle = squash(quote)
            occurs = found_in(needle)
            pinned = rec.get("para")
            if not occurs:
                where = "anywhere in" if not in_source(needle) else "within one paragraph of"
                problems.append(((key, i, "quote"), f"the quote is not found verbatim {where} {source_path}"))
            elif pinned is not None and pinned not in occurs:
                shown = ", ".join(map(str, occurs))
                problems.append(((key, i, "para"), f"paragraph {pinned} does not hold the quote (it is in {shown})"))
            elif pinned is None and len(occurs) > 1:
                shown = ", ".join(map(str, occurs))
                problems.append(
                    ((key, i, "quote"), f"the quote occurs in paragraphs {shown}: pin the one meant with para: N")
                )
            rec["para"] = pinned if pinned is not None else (occurs[0] if occurs else None)
            more: list[int] = []
            for n_more, extra in enumerate(rec.get("more_quotes") or []):
                if not isinstance(extra, str):
                    continue
                found = found_in(squash(extra))
                if not found:
                    where = f"is not found verbatim within one paragraph of {source_path}"
                    problems.append(((key, i, "more_quotes", n_more), f"the passage {where}"))
                more += found  # a passage that recurs names every paragraph it is in
            rec["paras"] = sorted(set(occurs) | set(more)) if more else occurs
            if kind == "caption" and rec["para"] is not None and squashed[rec["para"] - 1] != needle:
                problems.append(((key, i, "quote"), "a caption's quote must be its whole line"))

    paras: list[Record] = []
    section = lead
    for n, text in enumerate(paragraphs, 1):
        line = squash(text)
        if line in headings:
            section = headings[line]
        if n == 1:
            pkind = "title"
        elif line in headings:
            pkind = "heading"
        elif line in captions:
            pkind = "caption"
        elif text.startswith("●"):
            pkind = "list-item"
        else:
            pkind = "body"
        paras.append({"id": f"para-{n}", "n": n, "type": pkind, "section": section, "text": text, "_kind": "paragraph"})

    data = {"meta": meta, "records": records, "paragraphs": paras, "source_path": source_path}
    return data, problems


class Report:
    """The validated report: records by kind and by id, paragraphs, paths."""

    def __init__(self, data: dict[str, Any], data_path: str) -> None:
        self.meta: Record = data["meta"]
        self.records: dict[str, list[Record]] = data["records"]
        # the same records, typed by kind: use this view for field access mypy checks
        self.typed: Records = data["records"]
        self.paragraphs: list[Record] = data["paragraphs"]
        self.source_path: str = data["source_path"]
        self.data_path = data_path
        self.data = data
        self._by_id: dict[str, Record] | None = None
        self._t2s: dict[str, str] | None = None
        self._by_pillar: dict[str, dict[str | None, list[Any]]] | None = None

    def index(self) -> bytes:
        """The search index: from the cache, or built now (slow: imports the text libraries).

        The one place the index is built; ``load_report`` calls it before caching.
        """
        if self.data.get("index") is None:
            from beibei_cli.search.build import build_index

            self.data["index"] = build_index(self.data)
        blob: bytes = self.data["index"]
        return blob

    def figure_index(self) -> bytes:
        """The index of the figures' names alone (``series``): from the cache, or built now."""
        if not isinstance(self.data.get("figure_index"), bytes):
            from beibei_cli.search.build import build_index

            self.data["figure_index"] = build_index(self.data, figures=True)
        blob: bytes = self.data["figure_index"]
        return blob

    def t2s(self) -> dict[str, str]:
        """Traditional -> simplified for the report's characters (from the index when it is built)."""
        if self._t2s is None:
            if self.data.get("index") is not None:
                from beibei_cli.search.query import Index

                self._t2s = Index(self.data["index"]).t2s
            else:
                from beibei_cli.search.build import t2s_table

                self._t2s = t2s_table({ch for p in self.paragraphs for ch in p["text"]})
        return self._t2s

    def by_id(self) -> dict[str, Record]:
        if self._by_id is None:
            table = {rec["id"]: rec for recs in self.records.values() for rec in recs}
            for para in self.paragraphs:
                table[para["id"]] = para
            self._by_id = table
        return self._by_id

    def mentions(self) -> dict[str, list[Record]]:
        """Entity id -> the records that mention it: from the cache, or computed once now."""
        if self.data.get("mentions") is None:
            self.data["mentions"] = mentions_table(self.records)
        table: dict[str, list[Record]] = self.data["mentions"]
        return table

    def by_pillar(self) -> dict[str, dict[str | None, list[Any]]]:
        """Goals, plans, cases and figures grouped by pillar id, once per report: detail for
        every pillar stays linear in the records, however many pillars there are."""
        if self._by_pillar is None:
            groups: dict[str, dict[str | None, list[Any]]] = {}
            for kind in ("goal", "plan", "case", "metric"):
                table: dict[str | None, list[Any]] = groups.setdefault(kind, {})
                for rec in self.records[kind]:
                    table.setdefault(rec["pillar"], []).append(rec)
            self._by_pillar = groups
        return self._by_pillar

    def get(self, rid: str) -> Record | None:
        return self.by_id().get(rid)

    def name_readings(self) -> dict[str, str]:
        """Sort keys for names (pinyin), from the cache; computed now (pypinyin) only without one."""
        readings: dict[str, str] | None = self.data.get("readings")
        if readings is None:
            readings = self.data["readings"] = name_readings(self.data)
        return readings

    def pillars(self) -> list[Pillar]:
        return self.typed["pillar"]


# -- loading ---------------------------------------------------------------


def source_path_for(meta: Record, data_path: str, override: str | None = None) -> str:
    """``--source``, then the report's ``source:`` (relative to it), then the packaged text."""
    if override:
        return override
    if meta.get("source"):
        return os.path.join(os.path.dirname(os.path.abspath(data_path)), meta["source"])
    return os.path.join(os.path.dirname(default_data_path()), "source.txt")


def check(data_path: str, source_override: str | None = None) -> tuple[dict[str, Any] | None, list[Record]]:
    """Every problem with a report file: dicts of file, line, col, path, message.

    Returns the built report data too when there is no problem.
    """
    from beibei_cli import yamlload
    from beibei_cli.schema import path_text, validate
    from beibei_cli.textsafety import Masked, source_problems

    # Control, bidi and invisible format characters are refused (docs/text-safety.md):
    # ``masked`` stands in for the raw ones so that all of them are found at once.
    masked = None
    try:
        masked = Masked(read_text(data_path), data_path)
        loaded = yamlload.load(masked.text, data_path)
    except DataError as exc:
        if exc.file is None:
            raise
        error = {"file": exc.file, "line": exc.line, "col": exc.col, "path": "", "message": exc.reason}
        return None, [*(masked.unplaced() if masked else []), error]
    out = masked.problems(loaded, path_text)
    meta, records, problems = validate(loaded.value)
    data = None
    if isinstance(loaded.value, dict) and meta:
        source_path = source_path_for(meta, data_path, source_override)
        try:
            source = read_text(source_path, "source text")
        except DataError as exc:
            problems.append((("report", "source"), exc.message))  # one more problem, not a stop
        else:
            out += source_problems(source, source_path)
            data, more = build(meta, records, source, source_path)
            problems.extend(more)
    for path, message in problems:
        line, col = loaded.where(path)
        out.append({"file": data_path, "line": line, "col": col, "path": path_text(path), "message": message})
    return (data if not out else None), out


def problem_line(problem: Record) -> str:
    """``file:line:col: field.path: message`` (file-level problems have no position or path)."""
    where = problem["file"] if problem["line"] is None else f"{problem['file']}:{problem['line']}:{problem['col']}"
    from beibei_cli.files import os_text
    from beibei_cli.textsafety import visible

    path = f"{problem['path']}: " if problem["path"] else ""
    return visible(os_text(f"{where}: {path}{problem['message']}"))  # a hostile key or file name stays inert


def load_report(data_option: str | None = None, *, use_cache: bool = True) -> Report:
    from beibei_cli.files import paused_gc

    with paused_gc():
        return _load_report(data_option, use_cache=use_cache)


def _load_report(data_option: str | None, *, use_cache: bool) -> Report:
    data_path = resolve_data_path(data_option)
    from beibei_cli import cache

    if use_cache:
        cached = cache.load(data_path)
        if cached is not None:
            if "BEIBEI_MAX_BYTES" in os.environ:  # the limit holds for a cached report too
                for path, what in ((data_path, "report file"), (cached.get("source_path") or "", "source text")):
                    _within_limit(path, what)
            return Report(cached, data_path)
    stamp = cache.stamp(data_path) if use_cache else None
    data, problems = check(data_path)
    if data is None:
        # one line (the first problem and how many more); validate lists them all, and
        # ``details`` keeps the others for the Python API
        first = problem_line(problems[0])
        more = [problem_line(p) for p in problems[1:]]
        if more:
            from beibei_cli.files import os_text
            from beibei_cli.textsafety import visible

            first += f" (and {len(more)} more: run 'beibei validate {visible(os_text(data_path))}')"
        raise DataError(first, details=more)
    report = Report(data, data_path)
    if use_cache and cache.writable():
        # The index costs the text libraries' import: build it now only if it will
        # be kept; otherwise a search builds it when (and if) it needs it.
        report.index()
        report.figure_index()
        report.name_readings()
        report.mentions()
        cache.store(data_path, data, stamp)
    return report


def name_readings(data: dict[str, Any]) -> dict[str, str]:
    """id -> a sort key for the record's Chinese name or title: its pinyin with tone numbers.

    Computed when the cache is built, so that ``--sort name`` never imports pypinyin.
    Leading quotation marks are skipped (“中国…” sorts under zhong).
    """
    from pypinyin import Style, lazy_pinyin

    out: dict[str, str] = {}
    for recs in data["records"].values():
        for rec in recs:
            name = rec.get("name") or rec.get("title")
            if isinstance(name, str):
                bare = name.lstrip("“”‘’\"'《》「」『』（）() ")
                syllables = lazy_pinyin(bare, style=Style.TONE3, neutral_tone_with_five=True)
                out[rec["id"]] = " ".join(s.casefold() for s in syllables)
    return out


# -- who mentions whom ------------------------------------------------------

LINK_FIELDS = ("organisations", "places", "people")


def mentions_table(records: dict[str, list[Record]]) -> dict[str, list[Record]]:
    """Entity id -> the records that name it (in a quote) or link to it, in report order.

    One pass over the quotes, looking up only the substrings that start with the
    first character of some name and have the length of one: time linear in the
    text, whatever the number of entities (computed once, when the cache is built).
    """
    entities = records.get("entity", [])
    table: dict[str, list[Record]] = {e["id"]: [] for e in entities}
    by_name: dict[str, list[str]] = {}
    for e in entities:
        for name in dict.fromkeys([e["name"], *(e.get("aliases") or [])]):
            if name:
                by_name.setdefault(name, []).append(e["id"])
    lengths: dict[str, list[int]] = {}
    for name in by_name:
        lengths.setdefault(name[0], [])
        if len(name) not in lengths[name[0]]:
            lengths[name[0]].append(len(name))
    for kind, recs in records.items():
        if kind == "entity":
            continue
        for r in recs:
            found: dict[str, None] = {}
            for field in LINK_FIELDS:
                for ref in r.get(field) or []:
                    if ref in table:
                        found[ref] = None
            text = r.get("quote") or ""
            for i, ch in enumerate(text):
                for n in lengths.get(ch, ()):
                    for eid in by_name.get(text[i : i + n], ()):
                        found[eid] = None
            for eid in found:
                table[eid].append({"id": r["id"], "record": kind, "para": r.get("para")})
    return table
