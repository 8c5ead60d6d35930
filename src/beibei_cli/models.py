"""The report's vocabulary: record kinds and the choices its fields offer.

Plain tuples, cheap to import (the query path and the command line read them):
the schema (``schema.py``, the typed records and their validation) takes its
choices from here, and ``cli.py`` builds its option types from the same tuples,
so the two cannot disagree. The typed records are re-exported for type checkers.
"""

from __future__ import annotations

from beibei_cli import GENERAL as GENERAL
from beibei_cli import SCHEMA_VERSION as SCHEMA_VERSION
from beibei_cli import quantity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from beibei_cli.schema import Caption as Caption
    from beibei_cli.schema import Case as Case
    from beibei_cli.schema import CaseDate as CaseDate
    from beibei_cli.schema import Date as Date
    from beibei_cli.schema import Entity as Entity
    from beibei_cli.schema import Event as Event
    from beibei_cli.schema import Goal as Goal
    from beibei_cli.schema import Honour as Honour
    from beibei_cli.schema import Meta as Meta
    from beibei_cli.schema import Metric as Metric
    from beibei_cli.schema import Paragraph as Paragraph
    from beibei_cli.schema import Pillar as Pillar
    from beibei_cli.schema import Plan as Plan
    from beibei_cli.schema import Problem as Problem
    from beibei_cli.schema import Record as Record
    from beibei_cli.schema import Records as Records
    from beibei_cli.schema import Section as Section

# -- the choices (plain tuples: cli.py builds its option types from these) --
SECTION_KINDS = ("lead", "highlights", "article", "data")
PILLAR_KINDS = ("positioning", "article")
ENTITY_TYPES = (
    "government",
    "party",
    "company",
    "university",
    "institution",
    "person",
    "place",
    "project",
    "programme",
)
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
