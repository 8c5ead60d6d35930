"""The start-up fast path: answer common commands without importing Typer.

Importing Typer and building the app costs several times the interpreter's own
start-up. This module parses argv with a parameter spec that is *generated from
the Typer app* (``build_spec``) and cached beside the report cache, then calls
the same ``commands`` functions the app calls. Whatever it does not fully
understand -- help, completion, an unknown or malformed option, a bad choice,
a command group -- it declines (returns None) and the Typer app handles it, so
there is still one definition of the interface and one set of error messages.
"""

from __future__ import annotations

import os

from beibei_cli import __version__, cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SPEC_FORMAT = 1
CLI_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cli.py")


class Decline(Exception):
    """The fast path cannot take these arguments; Typer will."""


def _spec_key() -> tuple[Any, ...] | None:
    try:
        st = os.stat(CLI_FILE)
    except OSError:
        return None
    return (SPEC_FORMAT, __version__, st.st_size, st.st_mtime_ns)


def spec_path() -> str:
    return os.path.join(cache.cache_dir(), f"cli-spec-{__version__}.marshal")


def _param_spec(param: Any) -> dict[str, Any]:
    ptype = getattr(param.type, "name", "")
    out: dict[str, Any] = {
        "name": param.name,
        "kind": "option" if param.param_type_name == "option" else "argument",
        "opts": list(param.opts),
        "secondary": list(getattr(param, "secondary_opts", []) or []),
        "flag": bool(getattr(param, "is_flag", False)),
        "type": ptype,
        "choices": [str(c.value if hasattr(c, "value") else c) for c in getattr(param.type, "choices", [])],
        "nargs": param.nargs,
        "multiple": bool(getattr(param, "multiple", False)),
        "required": bool(param.required),
        "envvar": param.envvar if isinstance(param.envvar, str) else None,
        "eager": bool(param.is_eager),
        "callback": param.callback is not None,
    }
    default = param.default
    if hasattr(default, "value"):
        default = default.value
    if callable(default) or not isinstance(default, (str, int, float, bool, type(None), list)):
        default = None
    out["default"] = default
    return out


def build_spec(group: Any) -> dict[str, Any]:
    """The parameters of every simple command of the Click group Typer built."""
    commands: dict[str, Any] = {}
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            continue  # a group (e.g. `cache`): left to Typer
        commands[name] = [_param_spec(p) for p in command.params]
    return {"globals": [_param_spec(p) for p in group.params], "commands": commands}


def save_spec(group: Any) -> None:
    key = _spec_key()
    if key is not None:
        cache.write(spec_path(), {"key": key, "spec": build_spec(group)})


def load_spec() -> dict[str, Any] | None:
    payload = cache.read(spec_path())
    if not isinstance(payload, dict) or payload.get("key") != _spec_key():
        return None
    spec = payload.get("spec")
    return spec if isinstance(spec, dict) else None


def _convert(param: dict[str, Any], raw: str) -> Any:
    ptype = param["type"]
    if param["choices"]:
        if raw not in param["choices"]:
            raise Decline
        return raw
    if ptype in ("int", "integer"):
        try:
            return int(raw)
        except ValueError:
            raise Decline from None
    if ptype in ("str", "text", "string"):
        return raw
    raise Decline


def parse(spec: dict[str, Any], args: list[str]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(command, global values, command values) -- or Decline."""
    i, global_values = _parse_options(spec["globals"], args, 0, stop_at_positional=True)
    if i >= len(args):
        raise Decline
    name = args[i]
    params = spec["commands"].get(name)
    if params is None:
        raise Decline
    _, values = _parse_options(params, args, i + 1, stop_at_positional=False)
    return name, global_values, values


def _parse_options(
    params: list[dict[str, Any]], args: list[str], i: int, *, stop_at_positional: bool
) -> tuple[int, dict[str, Any]]:
    by_opt: dict[str, tuple[dict[str, Any], Any]] = {}
    for p in params:
        if p["kind"] != "option":
            continue
        if p["eager"] or p["callback"] or p["multiple"] or p["nargs"] != 1:
            for opt in p["opts"] + p["secondary"]:
                by_opt[opt] = (p, Decline)
            continue
        for opt in p["opts"]:
            by_opt[opt] = (p, True)
        for opt in p["secondary"]:
            by_opt[opt] = (p, False)
    values: dict[str, Any] = {}
    seen: set[str] = set()
    positionals: list[str] = []
    while i < len(args):
        token = args[i]
        if token == "--" or token in ("-h", "--help"):
            raise Decline
        if token.startswith("-") and token != "-":
            opt, eq, inline = token.partition("=")
            if not token.startswith("--") and eq:
                raise Decline
            entry = by_opt.get(opt)
            if entry is None or entry[1] is Decline:
                raise Decline
            param, polarity = entry
            if param["name"] in seen:
                raise Decline  # repeated option: let Click decide
            seen.add(param["name"])
            if param["flag"]:
                if eq:
                    raise Decline
                values[param["name"]] = polarity
            else:
                if eq:
                    raw = inline
                else:
                    i += 1
                    if i >= len(args) or args[i].startswith("-"):
                        raise Decline
                    raw = args[i]
                values[param["name"]] = _convert(param, raw)
            i += 1
            continue
        if stop_at_positional:
            break
        positionals.append(token)
        i += 1
    arguments = [p for p in params if p["kind"] == "argument"]
    for p in arguments:
        if p["nargs"] == -1:
            if p["required"] and not positionals:
                raise Decline
            values[p["name"]] = [_convert(p, v) for v in positionals]
            positionals = []
        elif positionals:
            values[p["name"]] = _convert(p, positionals.pop(0))
        elif p["required"]:
            raise Decline
        else:
            values[p["name"]] = p["default"]
    if positionals:
        raise Decline
    for p in params:
        if p["kind"] != "option" or p["name"] in values:
            continue
        env = os.environ.get(p["envvar"]) if p["envvar"] else None
        if env:
            if p["flag"]:
                raise Decline
            values[p["name"]] = _convert(p, env)
        else:
            values[p["name"]] = p["default"]
    return i, values


def try_run(args: list[str]) -> int | None:
    """Run the command if the fast path understands ``args``; None to hand over to Typer."""
    if os.environ.get("BEIBEI_NO_FASTPATH") or "_BEIBEI_COMPLETE" in os.environ:
        return None
    spec = load_spec()
    if spec is None:
        return None
    try:
        name, global_values, values = parse(spec, args)
    except Decline:
        return None
    from beibei_cli import commands

    ctx = commands.Ctx(
        data=global_values.get("data"),
        no_cache=bool(global_values.get("no_cache")),
        color=global_values.get("color") or "auto",
        lang=global_values.get("lang") or "zh",
    )
    func = getattr(commands, name.replace("-", "_"))
    return int(func(ctx, **values))
