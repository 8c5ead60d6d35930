"""The row contract (rows.py): every row has exactly its declared fields, in order, in every
language and front end; --fields is checked against them even when no row is left."""

from __future__ import annotations

import json

import pytest

import beibei_cli
from beibei_cli import declare, rows


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "kind, call",
    [
        ("metric", lambda r: r.metrics()),
        ("pillar", lambda r: r.pillars()),
        ("pillar-detail", lambda r: r.pillars(detail=True)),
        ("hit", lambda r: r.search("招商")),
        ("hit", lambda r: r.search("zhaoshang 2022", any_term=True)),
        ("event", lambda r: r.timeline()),
        ("entity", lambda r: r.entities()),
        ("paragraph", lambda r: r.source()),
        ("info", lambda r: [r.info()]),
    ],
)
def test_rows_have_exactly_the_declared_fields_in_order(kind: str, call, lang: str) -> None:  # type: ignore[no-untyped-def]
    found = call(beibei_cli.load(lang=lang))
    assert found
    for row in found:
        assert list(row) == rows.names(kind), kind


def test_every_declared_listing_names_a_declared_row_kind() -> None:
    for q in declare.QUERIES:
        if q["rows"] is not None:
            assert q["rows"] in rows.ROWS
            assert set(q["columns"]) <= set(rows.names(q["rows"]) + ["bar"]), q["name"]


def test_every_field_is_typed_and_described() -> None:
    for kind, fields in rows.ROWS.items():
        names = [f[0] for f in fields]
        assert len(names) == len(set(names)), kind
        for name, typ, doc in fields:
            assert rows.type_schema(typ)["type"], (kind, name)
            assert len(doc) > 3, (kind, name, doc)


@pytest.mark.parametrize(
    "args, fields",
    [
        (["search", "不存在词语", "--fields", "id,title_en"], "id\ttitle_en"),
        (["metrics", "--kind", "money", "--min", "1e20", "--fields", "id,figure"], "id\tfigure"),
        (["timeline", "--since", "2099", "--fields", "id,date_note"], "id\tdate_note"),
    ],
)
def test_fields_are_checked_against_the_declaration_when_no_row_is_left(run, args, fields) -> None:  # type: ignore[no-untyped-def]
    for fast in (True, False):
        r = run(*args, "-f", "tsv", fast=fast)
        assert r.code in (0, 1), r.err
        assert r.out.strip() == fields


def test_an_unknown_field_names_the_declared_ones(run) -> None:  # type: ignore[no-untyped-def]
    r = run("metrics", "--kind", "money", "--min", "1e20", "--fields", "id,bogus")
    assert r.code == 2 and "unknown field 'bogus'" in r.err and "pillar_name" in r.err


def test_api_fields_describe_the_rows() -> None:
    assert [f[0] for f in beibei_cli.fields("metric")] == list(beibei_cli.load().metrics()[0])
    with pytest.raises(beibei_cli.UsageError):
        beibei_cli.fields("widget")


def test_json_schema_of_a_row_validates_its_rows() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    report = beibei_cli.load()
    for kind, found in (("metric", report.metrics()), ("event", report.timeline()), ("entity", report.entities())):
        schema = rows.json_schema(kind)
        for row in json.loads(json.dumps(found)):
            jsonschema.validate(row, schema)
