"""beibei: query the Beibei district report from the command line, or from Python.

    >>> import beibei_cli
    >>> report = beibei_cli.load()
    >>> report.get("metric-rd-intensity")["value"]
    5.09

The public names are in ``__all__``; see ``beibei_cli.api`` for the rows and
their fields. Importing this package is cheap (the command line imports it on
every run): ``load`` and the rest are fetched from ``api`` on first use.
"""

from beibei_cli.about import GENERAL as GENERAL
from beibei_cli.about import SCHEMA_VERSION as SCHEMA_VERSION
from beibei_cli.about import __version__ as __version__

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
        fields,
        load,
    )


def __getattr__(name: str) -> object:
    if name in __all__:
        from beibei_cli import api

        return getattr(api, name)
    raise AttributeError(f"module 'beibei_cli' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
