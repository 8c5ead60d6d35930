"""The Typer app, built from the declarations of ``declare.py``.

Every command, option, default, choice list and help text comes from there;
this module turns each declared parameter into a Typer option or argument,
each query into a command whose callback calls its handler in
``commands.HANDLERS`` with the parsed values by name. The start-up fast path
(``fastpath.py``) parses the same declarations without importing Typer, and
``tests/test_fastpath.py`` runs both parsers side by side on generated argv.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer._click.types import IntRange
from typer.models import TyperPath

from beibei_cli import commands, declare
from beibei_cli import rows as contract
from beibei_cli.argv import is_ascii_int

EPILOG = """\b
Global options (--data, --lang, --color, --no-cache, --debug) may come before
or after the command: 'beibei --lang en metrics' = 'beibei metrics --lang en'.
\b
Exit codes: 0 ok, 1 a search found nothing, 2 usage or data error,
70 a bug in beibei (one line; the traceback with --debug), 130 interrupted.
Output that cannot be written (stdout closed, disk full, I/O error) is exit 2,
"beibei: cannot write output: ..."; a closed pipe (| head) is a quiet exit 0;
a closed stderr never changes the exit code. An empty path (--data "",
BEIBEI_DATA="", -o "") is exit 2, never a silent default.
\b
Environment:
  BEIBEI_DATA       report file to load (like --data)
  BEIBEI_LANG       zh (default) or en (like --lang)
  BEIBEI_DEBUG      1 to show tracebacks of internal errors (like --debug)
  BEIBEI_CACHE_DIR  cache folder (default $XDG_CACHE_HOME/beibei or ~/.cache/beibei)
  BEIBEI_MAX_BYTES  largest report file accepted (default 32 MiB)
  NO_COLOR, CLICOLOR, CLICOLOR_FORCE, TERM=dumb   colour, as usual
"""

GLOBAL_HINT = "\b\nGlobal options (--data, --lang, --color, --no-cache, --debug): see 'beibei --help'.\n"


class NonEmptyPath(TyperPath):
    """A path parameter that refuses "" (Path("") would silently be the current folder)."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, str) and value == "":
            self.fail("empty path", param, ctx)
        return super().convert(value, param, ctx)


class OnePathEach(NonEmptyPath):
    """A repeatable path (``--data A --data B``) whose environment variable is one path, as the
    fast path reads it (Click would split it on os.pathsep)."""

    def split_envvar_value(self, rv: str) -> list[str]:
        return [rv] if rv else []


PathType = NonEmptyPath()


class AsciiInt(IntRange):
    """A whole number in ASCII digits: ``int()`` also takes ``٣``, ``３`` and ``1_0``, which a
    count or a paragraph number must not silently be."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, str) and not is_ascii_int(value):
            self.fail(f"{value!r} is not a whole number in ASCII digits (0-9)", param, ctx)
        return super().convert(value, param, ctx)


app = typer.Typer(
    name="beibei",
    help="Query the Beibei district report 聚焦“两大定位” 做好“四篇文章” from the command line.\n\n"
    "Every figure, case, plan and date of the report, with the verbatim quote it comes from.",
    epilog=EPILOG,
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": list(declare.HELP_OPTIONS), "max_content_width": 100},
)
groups: dict[str, typer.Typer] = {}
for _group, _help in declare.GROUPS.items():
    groups[_group] = typer.Typer(help=_help, no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(groups[_group], name=_group)


# -- dynamic completion ----------------------------------------------------


def _report() -> Any:
    from beibei_cli.report import load_report  # completion only

    return load_report(None)


_BASH_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,/:=@%+")


def _bash_word(value: str) -> str:
    """``value`` as one bash word: every ASCII character bash gives a meaning gets a backslash
    (a blank, ``$``, a backtick, a quote…); other characters (Chinese) need none."""
    return "".join(ch if ch in _BASH_SAFE or ord(ch) > 0x7F else "\\" + ch for ch in value)


def _candidates(values: list[str], incomplete: str) -> list[str]:
    """Completion candidates: one line each, never a newline or a control character in one.

    bash inserts a candidate as it is (Typer's script neither quotes nor escapes it), so a
    name with a blank, ``$( )`` or a quote is escaped for bash (a candidate whose escaping
    no longer starts with what was typed is dropped, never given raw); zsh and fish quote
    candidates themselves (Typer escapes them for zsh's ``eval``).
    """
    out = [v for v in values if v.startswith(incomplete) and v.isprintable()]
    if os.environ.get("_BEIBEI_COMPLETE") == "complete_bash":
        out = [word for word in map(_bash_word, out) if word.startswith(incomplete)]
    return out


def complete_ids(incomplete: str) -> list[str]:
    try:
        return _candidates(list(_report().by_id()), incomplete)
    except Exception:  # completion must never fail loudly
        return []


def complete_pillars(incomplete: str) -> list[str]:
    try:
        return _candidates([n for p in _report().pillars() for n in (p["id"], p["name"])], incomplete)
    except Exception:  # completion must never fail loudly
        return []


def complete_fields(ctx: typer.Context, incomplete: str) -> list[str]:
    """The declared fields of the command being completed (rows.py)."""
    q = declare.commands().get(ctx.info_name or "")
    if q is None or q["rows"] is None:
        return []
    head, _, last = incomplete.rpartition(",")
    prefix = head + "," if head else ""
    return [prefix + f for f in contract.names(q["rows"]) if f.startswith(last)]


def complete_entity_types(incomplete: str) -> list[str]:
    """The entity types and their Chinese names."""
    from beibei_cli.models import ENTITY_TYPES, ENTITY_TYPES_ZH

    return [t for t in (*ENTITY_TYPES, *ENTITY_TYPES_ZH) if t.startswith(incomplete)]


COMPLETERS: dict[str, Callable[..., list[str]]] = {
    "entity_types": complete_entity_types,
    "ids": complete_ids,
    "pillars": complete_pillars,
    "fields": complete_fields,
}

# -- declarations to Typer parameters ------------------------------------------


def _choice(name: str, values: list[str]) -> Any:
    """A str Enum of ``values`` (Typer offers Enum members as choices)."""
    return Enum(name, {v: v for v in values}, type=str)


def _annotation(p: declare.Param) -> Any:
    if p["kind"] == "argument" and p["nargs"] == -1:
        return list[str]
    if p["multiple"]:  # --data A --data B are paths; --report K1 --report K2 are words
        return Optional[list[Path]] if p["type"] == "path" else Optional[list[str]]
    base: Any = {"int": int, "boolean": bool, "path": Path, "float": float}.get(p["type"], str)
    if p["choices"]:
        base = _choice(p["name"].title().replace("_", ""), p["choices"])
    if p["default"] is None and base is not bool:
        return Optional[base]
    return base


def _info(p: declare.Param) -> Any:
    settings: dict[str, Any] = {"help": p["help"] or None}
    if p["metavar"]:
        settings["metavar"] = p["metavar"]
    if p["type"] == "path":
        settings["click_type"] = OnePathEach() if p["multiple"] else PathType
    if p["complete"]:
        settings["autocompletion"] = COMPLETERS[p["complete"]]
    if p["type"] == "int":
        settings["click_type"] = AsciiInt(min=p["min"], max=p["max"])
    if p["kind"] == "argument":
        return typer.Argument(**settings)
    if p["envvar"]:
        settings.update(envvar=p["envvar"], show_envvar=True)
    if p["choices"] and not p["case_sensitive"]:
        settings["case_sensitive"] = False
    if p["hidden"]:
        settings["hidden"] = True
    if p["action"]:
        action = commands.ACTIONS[p["action"]]

        def callback(value: bool) -> None:
            if value:
                raise typer.Exit(action())

        settings.update(callback=callback, is_eager=True, expose_value=False)
    return typer.Option(*p["opts"], **settings)


def _signature(params: list[declare.Param]) -> list[inspect.Parameter]:
    out = []
    for p in params:
        default = inspect.Parameter.empty if p["required"] else p["default"]
        annotation: Any = Annotated[_annotation(p), _info(p)]
        out.append(inspect.Parameter(p["name"], inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation))
    return out


def _plain(value: Any) -> Any:
    """Parsed values as the handlers take them: choices as their text, paths as OS strings."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _epilog(text: str) -> str:
    """The declared epilog for --help: examples as an unwrapped block, else a paragraph."""
    lines = text.splitlines()
    if lines and all(line.startswith("beibei ") for line in lines):
        return "\b\nExamples:\n" + "".join(f"  {line}\n" for line in lines) + GLOBAL_HINT
    return (text + "\n" if text else "") + GLOBAL_HINT


def register(target: typer.Typer, q: declare.Query, handler: Callable[..., int]) -> None:
    """Query ``q`` as a command of ``target`` whose callback calls ``handler`` with its values."""
    ctx_param = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    params = _signature(q["params"])

    def callback(ctx: typer.Context, **values: Any) -> int:
        return handler(_ctx(ctx), **{key: _plain(value) for key, value in values.items()})

    callback.__signature__ = inspect.Signature([ctx_param, *params])  # type: ignore[attr-defined]
    callback.__annotations__ = {p.name: p.annotation for p in [ctx_param, *params]}
    callback.__name__ = callback.__qualname__ = q["name"].replace(" ", "_")
    callback.__doc__ = q["help"]
    target.command(q["name"], epilog=_epilog(q["epilog"]))(callback)


_EXPOSED = {p["name"] for p in declare.GLOBALS if p["expose"]}


def _main(ctx: typer.Context, **values: Any) -> None:
    ctx.obj = commands.Ctx(**{key: _plain(value) for key, value in values.items() if key in _EXPOSED})


_global_params = _signature(declare.GLOBALS)
_main.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context), *_global_params]
)
_main.__annotations__ = {p.name: p.annotation for p in _global_params}
_main.__annotations__["ctx"] = typer.Context
app.callback()(_main)


def _ctx(ctx: typer.Context) -> commands.Ctx:
    obj = ctx.find_root().obj
    if not isinstance(obj, commands.Ctx):  # pragma: no cover - the callback always runs first
        raise TypeError("the app's callback did not run")
    return obj


for _query in declare.QUERIES:
    _key = f"{_query['group']} {_query['name']}" if _query["group"] else _query["name"]
    register(groups[_query["group"]] if _query["group"] else app, _query, commands.HANDLERS[_key])
