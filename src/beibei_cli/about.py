"""What this tool is: its version and the constants every layer shares. A leaf: it imports nothing."""

__version__ = "0.4.0"
# The version of data/report.yaml this tool reads (docs/schema.md); defined here only.
SCHEMA_VERSION = 2
# The id of the group that holds what belongs to the report as a whole (records with no pillar).
GENERAL = "general"
