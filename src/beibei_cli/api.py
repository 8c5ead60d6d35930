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

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from beibei_cli.errors import BeibeiError, DataError, UsageError

if TYPE_CHECKING:
    from beibei_cli.report import Report as _One
    from beibei_cli.shelf import Shelf

    _Loaded = _One | Shelf

__all__ = [
    "load",
    "Report",
    "Metric",
    "Pillar",
    "Hit",
    "Hits",
    "Event",
    "Entity",
    "Paragraph",
    "Record",
    "Info",
    "fields",
    "BeibeiError",
    "UsageError",
    "DataError",
]

# -- the rows: one type per row kind, made from the row contract (rows.py) -----
# (Each is a plain dict at run time; ``fields(kind)`` lists a kind's fields, typed and described.)

Metric = dict[str, Any]  # beibei metrics --format json
Pillar = dict[str, Any]  # beibei pillars [--detail] --format json
Hit = dict[str, Any]  # beibei search --format json


class Hits(list[Hit]):
    """A search's hits (a list), and ``answer``: what kind of answer they are.

    ``"found"``: the report holds the words as asked (as typed, or by an exact reading:
    traditional characters, the pinyin of a whole word, the report's Chinese for an
    English word); ``"related"``: it holds only parts of them or a fuzzy pinyin reading,
    so the hits are not an answer; ``"not-stated"``: nothing (the list is empty).
    """

    answer: str = "not-stated"
    #: with ``any_term``, the words the report does not state (each searched alone is not found)
    unstated: list[str] = []  # noqa: RUF012 - replaced per instance, never mutated

    def __getitem__(self, index: Any) -> Any:
        """A slice of the hits is Hits too, with the same ``answer``."""
        got = super().__getitem__(index)
        if isinstance(index, slice):
            part = Hits(got)
            part.answer, part.unstated = self.answer, self.unstated
            return part
        return got


Event = dict[str, Any]  # beibei timeline --format json
Entity = dict[str, Any]  # beibei entities --format json
Paragraph = dict[str, Any]  # beibei source --format json
Record = dict[str, Any]  # beibei show ID --format json
Info = dict[str, Any]  # beibei info --format json


def fields(kind: str) -> list[tuple[str, str, str]]:
    """The fields of a row kind (metric, pillar, pillar-detail, hit, event, entity, paragraph, info):
    (name, JSON type, description), in the order rows have them.

    >>> fields("metric")[0]
    ('id', 'string', "the figure's id (beibei show ID)")
    """
    from beibei_cli.rows import ROWS

    if kind not in ROWS:
        raise UsageError(f"unknown row kind {kind!r}; choose from {', '.join(ROWS)}")
    return list(ROWS[kind])


# -- loading ---------------------------------------------------------------

LANGS = ("zh", "en")


def load(
    path: str | list[str] | None = None,
    *,
    lang: str = "zh",
    cache: bool = True,
    reports: list[str] | None = None,
    reports_since: str | None = None,
    reports_until: str | None = None,
) -> Report:
    """Load a report: ``path`` (a report YAML), else ``$BEIBEI_DATA``, else the packaged report.

    A folder of report files, or a list of paths, is a shelf, as ``--data`` gives it: every
    row then carries ``report`` (the report's key) and its ids are ``KEY:ID``; ``get`` and
    ``cite`` take ``KEY:ID`` (a bare id where it is unique); ``reports()`` lists the shelf and
    any report that failed to load (the others answer). A shelf where no report loads raises
    DataError. ``reports`` keeps only the reports whose key matches one of its globs (``--report``),
    ``reports_since`` and ``reports_until`` those whose date can fall in that span (``--reports-since``).

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
    import os

    from beibei_cli.report import load_report

    def text(one: Any) -> str:
        fspath = os.fspath(one) if isinstance(one, os.PathLike) else one
        if not isinstance(fspath, str):
            raise UsageError(f"load(): path must be text or a path-like object, got {one!r}")
        return fspath

    data: str | list[str] | None = None
    if isinstance(path, (list, tuple)):
        if not path:
            raise UsageError("load(): the list of paths is empty")
        data = [text(p) for p in path]
    elif path is not None:
        data = text(path)
    if not isinstance(cache, bool):
        raise UsageError(f"load(): cache must be True or False, got {cache!r}")
    language = _lang(lang)
    from beibei_cli import queries, shelf

    if reports is not None and (
        not isinstance(reports, (list, tuple)) or not all(isinstance(r, str) and r for r in reports)
    ):
        raise UsageError(f"load(): reports must be a list of keys or globs, got {reports!r}")
    if shelf.is_shelf(data):
        loaded = shelf.load(data, use_cache=cache, extras=queries.shelf_extras)
        if not loaded.entries:
            errors = "; ".join(f"{error}" for _, error in loaded.failed[:3])
            raise DataError(f"no report of the shelf loaded ({len(loaded.failed)} failed): {errors}")
        if loaded.failed:  # the others answer; a script is told, once, which did not
            import warnings

            first = loaded.failed[0][1]
            more = f" and {len(loaded.failed) - 1} more (Report.failed lists them)" if len(loaded.failed) > 1 else ""
            warnings.warn(f"a report of the shelf did not load: {first}{more}", stacklevel=2)
        kept = loaded.only(list(reports)) if reports else loaded
        if reports_since is not None or reports_until is not None:
            kept = kept.dated(reports_since, reports_until)
        return Report(kept, lang=language)
    one = load_report(shelf.single(data), use_cache=cache)
    alone = shelf.Shelf([(shelf.own_key(one), one)], [])
    if reports:
        alone.only(list(reports))  # a key that is not this one's: refused
    if reports_since is not None or reports_until is not None:
        alone.dated(reports_since, reports_until)  # a date outside the span: refused
    return Report(one, lang=language)


def entity_types() -> list[str]:
    """The entity types the schema allows (government, company, university, ...)."""
    from beibei_cli.models import ENTITY_TYPES

    return list(ENTITY_TYPES)


def _check(p: dict[str, Any], value: Any, method: str) -> Any:
    """``value`` for declared parameter ``p``, or a UsageError naming it (no TypeError, no silent coercion)."""
    name = p["api"]
    if value is None and not p["required"]:
        return None
    if p["schema"] is not None:  # a parameter that takes more than one type: the query checks it
        return value
    kind = p["type"]
    if p["choices"]:
        if not isinstance(value, str):
            raise UsageError(f"{method}(): {name} must be one of {', '.join(p['choices'])}, got {value!r}")
        found = (
            value if p["case_sensitive"] else next((c for c in p["choices"] if c.casefold() == value.casefold()), value)
        )
        if found not in p["choices"]:
            raise UsageError(f"{method}(): unknown {name} {value!r}; choose one of {', '.join(p['choices'])}")
        return found
    if kind == "boolean":
        if not isinstance(value, bool):
            raise UsageError(f"{method}(): {name} must be True or False, got {value!r}")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise UsageError(f"{method}(): {name} must be a whole number, got {value!r}")
        if p["min"] is not None and value < p["min"]:
            raise UsageError(f"{method}(): {name} must be {p['min']} or more, got {value}")
        return value
    if not isinstance(value, str):
        raise UsageError(f"{method}(): {name} must be text, got {value!r}")
    return value


def _arguments(name: str, given: dict[str, Any]) -> tuple[dict[str, Any], int | None]:
    """The query's filters (declared defaults filled in) and the limit, from the API's keyword arguments."""
    from beibei_cli.declare import api_params, by_name

    params = api_params(by_name(name))
    by_api = {p["api"]: p for p in params}
    for p in params:  # the query layer's name (minimum for min) is accepted too, as before 0.4
        if p["name"] != p["api"] and p["name"] in given and p["api"] not in given:
            given = {**given, p["api"]: given[p["name"]]}
            del given[p["name"]]
    unknown = [k for k in given if k not in by_api]
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise UsageError(
            f"{name}() got unknown keyword argument{plural} {', '.join(repr(k) for k in unknown)}; "
            f"it takes {', '.join(by_api)}"
        )
    filters: dict[str, Any] = {}
    limit = None
    for p in params:
        value = _check(p, given[p["api"]], name) if p["api"] in given else p["default"]
        if p["role"] == "limit":
            limit = value
        else:
            filters[p["name"]] = value
    return filters, limit


def _signature(name: str) -> Any:
    """The method's signature, for help() and editors, from the declaration."""
    import inspect

    from beibei_cli.declare import api_params, by_name

    params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)]
    for p in api_params(by_name(name)):
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD if p["kind"] == "argument" else inspect.Parameter.KEYWORD_ONLY
        default = inspect.Parameter.empty if p["required"] else p["default"]
        params.append(inspect.Parameter(p["api"], kind, default=default))
    return inspect.Signature(params)


M = TypeVar("M", bound=Callable[..., Any])


def _documented(name: str) -> Callable[[M], M]:
    """A listing method of ``Report``, its signature and docstring taken from the declaration of ``name``."""

    def decorate(method: M) -> M:
        import inspect

        from beibei_cli.declare import api_params, by_name

        q = by_name(name)
        lines = [f"{p['api']}: {p['help']}" for p in api_params(q)]
        examples = inspect.cleandoc(method.__doc__ or "")
        method.__doc__ = f"{q['help']} As ``beibei {name}``.\n\n" + "\n".join(lines) + "\n\n" + examples
        method.__signature__ = _signature(name)  # type: ignore[attr-defined]
        return method

    return decorate


def _lang(lang: str) -> str:
    value = str(lang).strip().lower()
    if value not in LANGS:
        raise UsageError(f"unknown language {lang!r}; choose {' or '.join(LANGS)}")
    return value


def _copy(value: Any) -> Any:
    """A deep copy of a row's lists and dicts: what a caller changes never reaches the report."""
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


class Report:
    """A loaded report. Every method returns new lists of plain dicts (JSON-ready)."""

    def __init__(self, loaded: _Loaded, *, lang: str = "zh") -> None:
        self._report = loaded
        self.lang = _lang(lang)

    def __repr__(self) -> str:
        from beibei_cli.shelf import Shelf

        if isinstance(self._report, Shelf):
            return f"<beibei_cli.Report shelf of {len(self._report.entries)} reports lang={self.lang!r}>"
        return f"<beibei_cli.Report {self._report.data_path!r} lang={self.lang!r}>"

    def only(self, key: str) -> Report:
        """One report of a shelf by its key, as a report of its own (bare ids); on one report, itself."""
        from beibei_cli.shelf import Shelf

        if not isinstance(self._report, Shelf):
            return self
        if not isinstance(key, str) or key not in self._report.by_key:
            known = ", ".join(k for k, _ in self._report.entries[:20])
            raise UsageError(f"only(): no report with key {key!r} on the shelf (keys: {known})")
        return Report(self._report.by_key[key], lang=self.lang)

    @property
    def failed(self) -> list[dict[str, str]]:
        """The report files of a shelf that did not load: ``{"file", "error"}`` each (the others
        answer; ``reports()`` lists them too). Empty for one report."""
        from beibei_cli.files import os_text
        from beibei_cli.shelf import Shelf

        if not isinstance(self._report, Shelf):
            return []
        return [{"file": os_text(path), "error": error} for path, error in self._report.failed]

    @property
    def is_shelf(self) -> bool:
        """Whether this is a shelf of reports (rows carry ``report``, ids are ``KEY:ID``)."""
        from beibei_cli.shelf import Shelf

        return isinstance(self._report, Shelf)

    def with_lang(self, lang: str) -> Report:
        """The same report, its rows in another language (``zh`` or ``en``).

        >>> load().with_lang("en").get("tech-innovation")["name"]
        'scientific and technological innovation'
        """
        return Report(self._report, lang=lang)

    def _rows(self, name: str, given: dict[str, Any]) -> list[Any]:
        from beibei_cli import queries

        filters, limit = _arguments(name, given)
        rows = queries.run(self._report, name, filters, self.lang)
        copied: list[Any] = _copy(rows if limit is None else rows[:limit])
        return copied

    def info(self) -> Info:
        """Title, region, date, files, versions and counts of each kind of record; on a shelf,
        ``{"reports": [...]}``: each report's, with its ``report`` key, as ``beibei info`` prints them."""
        from beibei_cli import queries
        from beibei_cli.shelf import Shelf

        if isinstance(self._report, Shelf):
            every = [queries.on_shelf(key, queries.info_record(one, self.lang)) for key, one in self._report]
            return {"reports": _copy(every), "failed": self.failed}
        return _copy(queries.info_record(self._report, self.lang))  # type: ignore[no-any-return]

    @_documented("metrics")
    def metrics(self, **options: Any) -> list[Metric]:
        """>>> [m["id"] for m in load().metrics(pillar="tech", limit=2)]
        ['metric-sitaibao-market-value-growth', 'metric-tech-enterprises']
        >>> [m["text"] for m in load().metrics(kind="money", min="40亿")]
        ['428亿元', '93.9亿元']
        """
        return self._rows("metrics", options)

    @_documented("pillars")
    def pillars(self, **options: Any) -> list[Pillar]:
        return self._rows("pillars", options)

    @_documented("search")
    def search(self, query: Any, **options: Any) -> Hits:
        """A string query is split on spaces; ``"double quotes"`` group a phrase.

        >>> [h["id"] for h in load().search("zhaoshang", kinds=["metric"])]
        ['metric-investment-attracted-2022']
        """
        from beibei_cli import queries
        from beibei_cli.search.query import answer_of

        filters, limit = _arguments("search", {"query": query, **options})
        found = queries.run(self._report, "search", filters, self.lang)
        hits = Hits(_copy(found if limit is None else found[:limit]))
        hits.answer = answer_of(found)  # of every hit: limit=0 keeps what the report says
        if filters.get("any_term") and hits.answer == "found":
            hits.unstated = queries.unstated_terms(self._report, lang=self.lang, **filters)
        return hits

    def _unstated(self, given: dict[str, Any]) -> list[str]:
        """With any_term, the words of a search the report does not state (``Hits.unstated``)."""
        from beibei_cli import queries

        filters, _ = _arguments("search", dict(given))
        return queries.unstated_terms(self._report, lang=self.lang, **filters)

    def get(self, id: str) -> Record:
        """One record of any kind (or ``para-N``) in full, as ``beibei show ID``.

        >>> load().get("para-31")["quoted_by"][0]
        {'id': 'case-sitaibao-chip-line', 'record': 'case'}
        """
        from beibei_cli import queries

        if not isinstance(id, str):
            raise UsageError(f"get(): id must be text such as metric-rd-intensity, got {id!r}")
        found = queries.shelf_record(self._report, id.strip(), queries.show_record, self.lang)
        return _copy(found)  # type: ignore[no-any-return]

    def cite(self, id: str, *, format: Literal["plain", "md"] = "plain") -> str:
        """A record's quote with its paragraph number and the report's title, as ``beibei cite``
        (no trailing newline)."""
        from beibei_cli import output, queries

        if format not in ("plain", "md"):
            raise UsageError(f"cite prints plain or md, not {format!r}")
        if not isinstance(id, str):
            raise UsageError(f"cite(): id must be text such as metric-rd-intensity, got {id!r}")
        return output.citation(queries.shelf_record(self._report, id.strip(), queries.citation), format, self.lang)

    @_documented("timeline")
    def timeline(self, **options: Any) -> list[Event]:
        """>>> [e["date"] for e in load().timeline(until="2021")][:2]
        ['1949-12-08', '2021-12-27']
        """
        return self._rows("timeline", options)

    @_documented("entities")
    def entities(self, **options: Any) -> list[Entity]:
        """>>> [e["id"] for e in load().entities(type="university")]
        ['org-swu']
        """
        return self._rows("entities", options)

    if TYPE_CHECKING:  # the listings made from their declarations below (goals, plans, cases, ...)

        def __getattr__(self, name: str) -> Callable[..., list[Record]]: ...

    @_documented("source")
    def source(self, **options: Any) -> list[Paragraph]:
        """>>> load().source(para=31)[0]["text"][:12]
        '在北碚种子基金的扶持下，'
        """
        return self._rows("source", options)


def _listing_method(name: str) -> Callable[..., list[Record]]:
    def method(self: Report, **options: Any) -> list[Record]:
        return self._rows(name, options)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = ""
    return _documented(name)(method)


def _add_listings() -> None:
    """A method of ``Report`` for every declared listing not written out above: declaring a
    listing in ``declare.py`` is all it takes to have it here."""
    from beibei_cli.declare import QUERIES

    for q in QUERIES:
        if q["rows"] and q["group"] is None and q["name"] not in Report.__dict__:
            setattr(Report, q["name"], _listing_method(q["name"]))


_add_listings()
