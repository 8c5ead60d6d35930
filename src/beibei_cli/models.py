"""The report's vocabulary: record kinds and the choices its fields offer.

Plain tuples, cheap to import (the query path and the command line read them):
the schema (``schema.py``, the typed records and their validation) takes its
choices from here, and ``cli.py`` builds its option types from the same tuples,
so the two cannot disagree. The typed records are in ``schema``.
"""

from __future__ import annotations

from beibei_cli import quantity
from beibei_cli.about import GENERAL as GENERAL
from beibei_cli.about import SCHEMA_VERSION as SCHEMA_VERSION

# -- the choices (plain tuples: cli.py builds its option types from these) --
SECTION_KINDS = ("lead", "highlights", "article", "data")
PILLAR_KINDS = ("positioning", "article")
# entity type -> the Chinese name the tables show (and options accept: --type 企业)
ENTITY_TYPE_ZH = {
    "government": "政府机构",
    "party": "党组织",
    "company": "企业",
    "university": "高校",
    "institution": "机构",
    "person": "人物",
    "place": "地点",
    "project": "项目",
    "programme": "计划项目",
    "concept": "概念",  # a named idea the article uses, not a body or a project (“双城并进”)
}
ENTITY_TYPES = tuple(ENTITY_TYPE_ZH)
GENERAL_ZH = "总体"  # the name of the group "the report as a whole" (--pillar general)
# the Chinese names of the record kinds (output.labels shows them; --in accepts them)
KIND_ZH = {
    "section": "部分",
    "pillar": "篇章",
    "goal": "目标",
    "plan": "计划",
    "case": "案例",
    "metric": "数据",
    "event": "事件",
    "entity": "实体",
    "caption": "图注",
    "honour": "荣誉",
    "paragraph": "段落",
}
ENTITY_TYPES_ZH = tuple(ENTITY_TYPE_ZH.values())
METRIC_KINDS = tuple(quantity.KINDS)
METRIC_STATUSES = ("stated", "forecast", "target")
QUALIFIERS = tuple(quantity.QUALIFIERS)
PRECISIONS = ("year", "month", "day")
METRIC_SORTS = ("report", "value", "name", "pillar")
# Goals, plans, cases, figures and events with no pillar belong to the report as a whole:
# listings show them as one more group, with the id GENERAL (defined in the package, re-exported here).


# kind name -> the top-level YAML key that lists records of that kind
KINDS: dict[str, str] = {
    "section": "sections",
    "pillar": "pillars",
    "goal": "goals",
    "plan": "plans",
    "case": "cases",
    "metric": "metrics",
    "event": "events",
    "entity": "entities",
    "caption": "captions",
    "honour": "honours",
}
# The order record kinds are listed in, and search ties broken in:
# cases first, the article's own paragraphs last.
KIND_ORDER = ("case", "pillar", "goal", "plan", "metric", "honour", "event", "entity", "caption", "paragraph")
