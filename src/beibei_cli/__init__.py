"""beibei: query the Beibei district report from the command line."""

__version__ = "0.1.0"
SCHEMA_VERSION = 1
