"""The Python API: the report's records as typed rows, for notebooks and scripts.

Every method returns exactly the rows that the matching ``beibei`` command
prints with ``--format json`` (the CLI calls the same query functions), so a
notebook and a shell pipeline never disagree::

    >>> import beibei_cli
    >>> report = beibei_cli.load()
    >>> m = report.get("metric-rd-intensity")
    >>> m["text"], m["para"]
    ('5.09%', 52)
    >>> m["quote"]
    '全社会研发经费投入强度达5.09%（36.55亿元）保持全市第一'
    >>> [p["id"] for p in report.pillars() if p["kind"] == "positioning"]
    ['eco-metropolis', 'science-city']
    >>> hits = report.search("招商", kinds="cases")
    >>> hits[0]["id"], hits[0]["kind"]
    ('case-investment-system', 'case')
    >>> print(report.cite("metric-rd-intensity"), end="")
    “全社会研发经费投入强度达5.09%（36.55亿元）保持全市第一”（《聚焦“两大定位” 做好“四篇文章” 全力以赴建设社会主义现代化美丽北碚》，第52段）

Bad arguments raise :class:`~beibei_cli.errors.UsageError`, a file that
cannot be loaded :class:`~beibei_cli.errors.DataError`; both are
:class:`~beibei_cli.errors.BeibeiError`, whose ``message`` is one line::

    >>> report.get("metric-nope")
    Traceback (most recent call last):
    ...
    beibei_cli.errors.UsageError: no record with id 'metric-nope'; did you mean ...?
    >>> report.search("   ")
    Traceback (most recent call last):
    ...
    beibei_cli.errors.UsageError: the search query is empty; give a word to search for

A search that finds nothing returns an empty list (the CLI's exit code 1 is a
command-line convention, not an error).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypedDict, cast

from beibei_cli.errors import BeibeiError, DataError, UsageError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from beibei_cli.report import Report as _Loaded

__all__ = [
    "load",
    "Report",
    "Metric",
    "Pillar",
    "Hit",
    "Event",
    "Entity",
    "Paragraph",
    "Record",
    "Info",
    "BeibeiError",
    "UsageError",
    "DataError",
]

# -- the rows (each may carry more keys: fields are added, never renamed) ---


class Metric(TypedDict, total=False):
    """A figure: ``beibei metrics --format json``."""

    id: str
    name: str
    value: float
    unit: str
    pillar: str | None
    quote: str
    text: str
    qualifier: str | None
    qualifier_meaning: str | None
    kind: str
    status: str
    amount: float
    base_unit: str
    figure: str
    unit_en: str | None
    as_of: str | None
    as_of_precision: str
    as_of_inferred: bool
    as_of_note: str | None
    section: str | None
    case: str | None
    para: int | None
    paras: list[int]
    name_en: str | None  # the curated English in every language (``name`` is in the interface language)
    name_zh: str  # the Chinese in every language
    note: str | None
    pillar_name: str | None


class Pillar(TypedDict, total=False):
    """A positioning or article: ``beibei pillars [--detail] --format json``."""

    id: str
    kind: str
    name: str
    name_en: str | None
    name_zh: str
    heading: str | None
    heading_en: str | None
    heading_zh: str | None
    summary: str | None
    summary_en: str | None
    summary_zh: str | None
    quote: str
    para: int | None
    goals: list[dict[str, Any]]
    plans: list[dict[str, Any]]
    cases: list[dict[str, Any]]
    metrics: list[dict[str, Any]]


class Hit(TypedDict, total=False):
    """A search hit: ``beibei search --format json``; ``matches`` are [start, end) offsets into ``text``."""

    id: str
    kind: str
    pillar: str | None
    title: str
    title_en: str | None
    title_zh: str
    snippet: str
    score: float
    text: str
    matches: list[list[int]]
    match: str  # the tier that found it: exact, parts, partial or fuzzy-pinyin


class Event(TypedDict, total=False):
    """A dated event: ``beibei timeline --format json``."""

    id: str
    date: str
    precision: str
    title: str
    title_en: str | None
    title_zh: str
    quote: str
    inferred: bool
    date_note: str | None
    para: int | None


class Entity(TypedDict, total=False):
    """An organisation, person, place or project: ``beibei entities --format json``."""

    id: str
    name: str
    name_en: str | None
    name_zh: str
    type: str
    aliases: list[str]
    quote: str
    para: int | None
    mentions: list[str]


class Paragraph(TypedDict):
    """A paragraph of the article: ``beibei source --format json``."""

    id: str
    n: int
    type: str
    section: str | None
    text: str


class Record(TypedDict, total=False):
    """One record of any kind in full: ``beibei show ID --format json``.

    ``record`` is its kind; ``paragraph`` is the text of the paragraph ``para``.
    """

    id: str
    record: str
    quote: str
    para: int | None
    paragraph: str


class Info(TypedDict, total=False):
    """What is loaded: ``beibei info --format json``."""

    title: str
    title_en: str | None
    title_zh: str
    region: str
    region_en: str | None
    region_zh: str
    date: str | None
    date_inferred: bool | None
    date_precision: str
    date_note: str | None
    data_file: str
    source_file: str
    schema_version: int
    version: str
    counts: dict[str, int]


# -- loading ---------------------------------------------------------------

LANGS = ("zh", "en")


def load(path: str | None = None, *, lang: str = "zh", cache: bool = True) -> Report:
    """Load a report: ``path`` (a report YAML), else ``$BEIBEI_DATA``, else the packaged report.

    ``lang="en"`` puts the curated English in ``name``/``title``/``summary``, as
    ``beibei --lang en``; in every language ``name_en``... hold the English and
    ``name_zh``... the Chinese, so rows have the same keys; quotes stay Chinese.
    ``cache=False`` is ``--no-cache``.

    Raises DataError when the file cannot be read or validated, UsageError for
    an unknown ``lang``::

        >>> load(lang="fr")
        Traceback (most recent call last):
        ...
        beibei_cli.errors.UsageError: unknown language 'fr'; choose zh or en
    """
    from beibei_cli.report import load_report

    return Report(load_report(path, use_cache=cache), lang=_lang(lang))


def entity_types() -> list[str]:
    """The entity types the schema allows (government, company, university, ...)."""
    from beibei_cli.models import ENTITY_TYPES

    return list(ENTITY_TYPES)


def _limited(rows: list[Any], limit: int | None) -> list[Any]:
    """At most ``limit`` rows, as ``-n/--limit`` (0: none)."""
    if limit is None:
        return rows
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise UsageError(f"limit must be a whole number, 0 or more, got {limit!r}")
    return rows[:limit]


def _no_unknown(method: Any, unknown: dict[str, Any]) -> None:
    """A UsageError for keyword arguments ``method`` does not take, naming those it does.

    (A plain TypeError would not be a BeibeiError; every bad argument of the API is a UsageError.)
    """
    if not unknown:
        return
    import inspect

    accepted = [
        name
        for name, param in inspect.signature(method).parameters.items()
        if param.kind in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY) and name != "self"
    ]
    names = ", ".join(repr(k) for k in unknown)
    plural = "s" if len(unknown) > 1 else ""
    raise UsageError(
        f"{method.__name__}() got unknown keyword argument{plural} {names}; it takes {', '.join(accepted)}"
    )


def _lang(lang: str) -> str:
    value = str(lang).strip().lower()
    if value not in LANGS:
        raise UsageError(f"unknown language {lang!r}; choose {' or '.join(LANGS)}")
    return value


class Report:
    """A loaded report. Every method returns new lists of plain dicts (JSON-ready)."""

    def __init__(self, loaded: _Loaded, *, lang: str = "zh") -> None:
        self._report = loaded
        self.lang = _lang(lang)

    def __repr__(self) -> str:
        return f"<beibei_cli.Report {self._report.data_path!r} lang={self.lang!r}>"

    def with_lang(self, lang: str) -> Report:
        """The same report, its rows in another language (``zh`` or ``en``).

        >>> load().with_lang("en").get("tech-innovation")["name"]
        'scientific and technological innovation'
        """
        return Report(self._report, lang=lang)

    def info(self) -> Info:
        """Title, region, date, files, versions and counts of each kind of record."""
        from beibei_cli import queries

        return cast("Info", queries.info_record(self._report, self.lang))

    def metrics(
        self,
        *,
        pillar: str | None = None,
        section: str | None = None,
        kind: str | None = None,
        min: str | float | None = None,  # noqa: A002 - the name of the CLI's --min
        max: str | float | None = None,  # noqa: A002 - the name of the CLI's --max
        sort: str = "report",
        reverse: bool = False,
        limit: int | None = None,
        **unknown: Any,
    ) -> list[Metric]:
        """Every figure, as ``beibei metrics``: ``pillar`` (id, name or unique prefix;
        ``general`` for the report as a whole), ``section`` (``results``, ``narrative``
        or a section id), ``kind`` (money, count, share, ...), ``min`` and ``max``
        (bounds on the amount in base units, a number or text such as ``"1亿"``;
        they need ``kind``), ``sort`` (report, value, name, pillar), ``reverse``,
        ``limit``. Any other keyword raises UsageError.

        >>> [m["id"] for m in load().metrics(pillar="tech", limit=2)]
        ['metric-sitaibao-market-value-growth', 'metric-tech-enterprises']
        >>> [m["text"] for m in load().metrics(kind="money", min="40亿")]
        ['428亿元', '93.9亿元']
        """
        from beibei_cli import queries

        # minimum/maximum: the query layer's names, which callers used before min/max were listed
        min = unknown.pop("minimum", min)  # noqa: A001
        max = unknown.pop("maximum", max)  # noqa: A001
        _no_unknown(self.metrics, unknown)
        if sort not in queries.METRIC_SORTS:
            raise UsageError(f"unknown sort {sort!r}; choose one of {', '.join(queries.METRIC_SORTS)}")
        rows = queries.metric_rows(
            self._report,
            pillar=pillar,
            section=section,
            kind=kind,
            minimum=min,
            maximum=max,
            sort=sort,
            reverse=reverse,
            lang=self.lang,
        )
        rows = _limited(rows, limit)
        return cast("list[Metric]", rows)

    def pillars(self, *, detail: bool = False, limit: int | None = None, **unknown: Any) -> list[Pillar]:
        """The two positionings and four articles; ``detail=True`` adds goals, plans, cases, metrics."""
        from beibei_cli import queries

        _no_unknown(self.pillars, unknown)
        rows = queries.pillar_rows(self._report, detail=detail, lang=self.lang)
        return cast("list[Pillar]", _limited(rows, limit))

    def search(
        self,
        query: str | Iterable[str],
        *,
        kinds: str | Iterable[str] | None = None,
        any_term: bool = False,
        regex: bool = False,
        limit: int | None = None,
        context: int = 20,
        exact: bool = False,
        **unknown: Any,
    ) -> list[Hit]:
        """Ranked hits, as ``beibei search``: ``query`` is the words (a string is
        split on spaces; ``"double quotes"`` group a phrase), ``kinds`` the
        ``--in`` scope (``"cases,metrics"`` or ``["case", "metric"]``),
        ``any_term`` any word instead of all, ``regex`` a regular expression,
        ``context`` characters around the snippet's match, ``exact`` exact
        matches only (``--exact``). Any other keyword raises UsageError.

        >>> [h["id"] for h in load().search("zhaoshang", kinds=["metric"])]
        ['metric-investment-attracted-2022']
        """
        from beibei_cli import queries

        _no_unknown(self.search, unknown)
        if context < 0:
            raise UsageError(f"context must not be negative, got {context}")
        words = [query] if isinstance(query, str) else list(query)
        scope = kinds if kinds is None or isinstance(kinds, str) else list(kinds)
        hits = queries.search_hits(
            self._report,
            words,
            kinds=queries.parse_kinds(scope, "kinds"),
            any_term=any_term,
            regex=regex,
            context=context,
            lang=self.lang,
            exact=exact,
        )
        hits = _limited(hits, limit)
        # the JSON rows leave out the highlight offsets of the snippet
        return cast("list[Hit]", [{k: v for k, v in h.items() if k != "snippet_matches"} for h in hits])

    def get(self, id: str) -> Record:
        """One record of any kind (or ``para-N``) in full, as ``beibei show ID``.

        >>> load().get("para-31")["quoted_by"][0]
        {'id': 'case-sitaibao-chip-line', 'record': 'case'}
        """
        from beibei_cli import queries

        return cast("Record", queries.show_record(self._report, str(id).strip(), self.lang))

    def cite(self, id: str, *, format: Literal["plain", "md"] = "plain") -> str:
        """A record's quote with its paragraph number and the report's title, as ``beibei cite``."""
        from beibei_cli import queries

        if format not in ("plain", "md"):
            raise UsageError(f"cite prints plain or md, not {format!r}")
        return queries.cite(self._report, str(id).strip(), format)

    def timeline(
        self, *, since: str | None = None, until: str | None = None, limit: int | None = None, **unknown: Any
    ) -> list[Event]:
        """Dated events in date order, as ``beibei timeline``; ``since``/``until`` take 2022, 2022-04 or 2022-04-01.

        >>> [e["date"] for e in load().timeline(until="2021")][:2]
        ['1949-12-08', '2021']
        """
        from beibei_cli import queries

        _no_unknown(self.timeline, unknown)
        rows = queries.timeline_rows(self._report, since=since, until=until, lang=self.lang)
        return cast("list[Event]", _limited(rows, limit))

    def entities(self, *, type: str | None = None, limit: int | None = None, **unknown: Any) -> list[Entity]:
        """Organisations, companies, people, places and projects, as ``beibei entities``;
        ``type`` is one of ``entity_types()`` or the Chinese name the tables show (企业).

        >>> [e["id"] for e in load().entities(type="university")]
        ['org-swu']
        """
        from beibei_cli import queries

        _no_unknown(self.entities, unknown)
        rows = queries.entity_rows(self._report, type_=type, lang=self.lang)
        return cast("list[Entity]", _limited(rows, limit))

    def source(
        self, *, para: int | None = None, grep: str | None = None, limit: int | None = None, **unknown: Any
    ) -> list[Paragraph]:
        """The article's paragraphs, as ``beibei source``: only paragraph ``para``, or those containing ``grep``.

        >>> load().source(para=31)[0]["text"][:12]
        '在北碚种子基金的扶持下，'
        """
        from beibei_cli import queries

        _no_unknown(self.source, unknown)
        last = len(self._report.paragraphs)
        if para is not None and not 1 <= para <= last:
            raise UsageError(f"para must be between 1 and {last}, got {para}")
        rows = queries.paragraph_rows(self._report, para=para, grep=grep)
        return cast("list[Paragraph]", _limited(rows, limit))
