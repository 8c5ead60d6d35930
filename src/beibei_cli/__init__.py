"""beibei: query the Beibei district report from the command line, or from Python.

    >>> import beibei_cli
    >>> report = beibei_cli.load()
    >>> report.get("metric-rd-intensity")["value"]
    5.09

The public names are in ``__all__``; see ``beibei_cli.api`` for the rows and
their fields. Importing this package is cheap (the command line imports it on
every run): ``load`` and the rest are fetched from ``api`` on first use.
"""

__version__ = "0.3.0"
# The version of data/report.yaml this tool reads (docs/schema.md); defined here only.
SCHEMA_VERSION = 2
# The id of the group that holds what belongs to the report as a whole (records with no pillar).
GENERAL = "general"

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
    "__version__",
]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from beibei_cli.api import (
        BeibeiError,
        DataError,
        Entity,
        Event,
        Hit,
        Info,
        Metric,
        Paragraph,
        Pillar,
        Record,
        Report,
        UsageError,
        load,
    )


def __getattr__(name: str) -> object:
    if name in __all__:
        from beibei_cli import api

        return getattr(api, name)
    raise AttributeError(f"module 'beibei_cli' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
