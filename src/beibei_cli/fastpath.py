"""The start-up fast path: answer common commands without importing Typer.

Importing Typer and building the app costs several times the interpreter's own
start-up. This module parses argv by the declarations of ``declare.py`` (from which the
Typer app is built too), then calls the same ``commands`` handler with the
same values. Whatever it does not
fully understand -- help, completion, an unknown or malformed option, a bad
value, a command group -- it declines (``Decline``) and the Typer app handles
it, so there is one definition of the interface and one set of error messages.

``prepare`` runs before either parser: it moves global options given after the
command to before it (gh-style persistent flags) and repairs query text that a
non-UTF-8 locale decoded wrongly; file paths are left as the OS gave them.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Param = dict[str, Any]
    Spec = dict[str, Any]


class Decline(Exception):
    """The fast path cannot take these arguments; Typer will."""


# -- the spec: the declarations, as the parser reads them ---------------------


def load_spec() -> Spec:
    """Every parameter of every command, from ``declare`` (the one source the Typer app is built from too)."""
    from beibei_cli import declare

    groups: dict[str, dict[str, list[Param]]] = {}
    for q in declare.QUERIES:
        if q["group"] is not None:
            groups.setdefault(q["group"], {})[q["name"]] = q["params"]
    return {
        "help": list(declare.HELP_OPTIONS),
        "globals": declare.GLOBALS,
        "commands": {
            q["name"]: {"function": q["name"], "params": q["params"]} for q in declare.QUERIES if q["group"] is None
        },
        "groups": groups,
    }


def global_values(spec: Spec, args: list[str]) -> dict[str, Any]:
    """The global options at the head of prepared ``args`` (``prepare`` moved them there); {} if unclear."""
    try:
        _, values, _ = _parse_options(spec["globals"], set(spec["help"]), args, 0, stop_at_positional=True)
    except Decline:
        return {}
    return values


# -- argv before parsing -------------------------------------------------------


def _takes_value(param: Param) -> bool:
    return not param["flag"] and param["nargs"] == 1


def _option_table(params: list[Param]) -> dict[str, Param]:
    return {opt: p for p in params if p["kind"] == "option" for opt in p["opts"] + p["secondary"]}


def _fix(token: str, param: Param | None) -> str:
    from beibei_cli.argv import fix_arg

    return token if param is not None and param["type"] == "path" else fix_arg(token)


def prepare(spec: Spec, args: list[str]) -> list[str]:
    """Global options moved before the command; text arguments repaired, paths left alone."""
    global_opts = _option_table(spec["globals"])
    head: list[str] = []
    i = 0
    while i < len(args):  # global options before the command
        token = args[i]
        if not token.startswith("-") or token == "-" or token == "--":
            break
        name, eq, _ = token.partition("=")
        param = global_opts.get(name)
        head.append(_fix(token, param))
        i += 1
        if param is not None and _takes_value(param) and not eq and i < len(args):
            head.append(_fix(args[i], param))
            i += 1
    if i >= len(args) or args[i] == "--":
        return head + [_fix(a, None) for a in args[i:]]
    name = args[i]
    command = [name]
    i += 1
    params: list[Param] = []
    if name in spec["commands"]:
        params = spec["commands"][name]["params"]
    elif name in spec["groups"] and i < len(args) and args[i] in spec["groups"][name]:
        params = spec["groups"][name][args[i]]
        command.append(args[i])
        i += 1
    local_opts = _option_table(params)
    positional = [p for p in params if p["kind"] == "argument"]
    positional_param = positional[0] if len(positional) == 1 else None
    rest: list[str] = []
    while i < len(args):
        token = args[i]
        i += 1
        if token == "--":
            rest.append(token)
            rest.extend(_fix(a, positional_param) for a in args[i:])
            break
        opt, eq, _ = token.partition("=")
        if token.startswith("--") and opt in global_opts and opt not in local_opts:
            param = global_opts[opt]
            head.append(_fix(token, param))
            if _takes_value(param) and not eq and i < len(args):
                head.append(_fix(args[i], param))
                i += 1
            continue
        param = local_opts.get(opt) if token.startswith("-") else None
        rest.append(_fix(token, param if param is not None else None if token.startswith("-") else positional_param))
        if param is not None and _takes_value(param) and not eq and i < len(args):
            rest.append(_fix(args[i], param))
            i += 1
        elif param is None and token.startswith("-") and not token.startswith("--") and len(token) > 2:
            # a cluster of short options (-rn5): the last one may take the next token as its value
            for j, ch in enumerate(token[1:], 1):
                short = local_opts.get("-" + ch)
                if short is not None and _takes_value(short):
                    if j == len(token) - 1 and i < len(args):
                        rest.append(_fix(args[i], short))
                        i += 1
                    break
    return head + command + rest


# -- parsing ---------------------------------------------------------------------

_TRUE = ("1", "true", "t", "yes", "y", "on")
_FALSE = ("0", "false", "f", "no", "n", "off")


def _convert(param: Param, raw: str) -> Any:
    if param["choices"]:
        if raw in param["choices"]:
            return raw
        if not param["case_sensitive"]:
            for choice in param["choices"]:
                if choice.casefold() == raw.casefold():
                    return choice
        raise Decline
    ptype = param["type"]
    if ptype == "int":
        from beibei_cli.argv import is_ascii_int

        if not is_ascii_int(raw):
            raise Decline  # Typer says why
        value = int(raw.strip())
        if (param["min"] is not None and value < param["min"]) or (param["max"] is not None and value > param["max"]):
            raise Decline
        return value
    if ptype == "path" and raw == "":
        raise Decline  # "empty path": Typer says so
    if ptype in ("str", "path"):
        return raw
    if ptype == "boolean":
        if raw.strip().lower() in _TRUE:
            return True
        if raw.strip().lower() in _FALSE:
            return False
    raise Decline


def parse(spec: Spec, args: list[str]) -> tuple[str | None, dict[str, Any], dict[str, Any], str | None]:
    """(command function, global values, command values, eager action) -- or Decline."""
    helps = set(spec["help"])
    i, global_values, action = _parse_options(spec["globals"], helps, args, 0, stop_at_positional=True)
    if action is not None:
        return None, {}, {}, action
    if i >= len(args):
        raise Decline
    command = spec["commands"].get(args[i])
    if command is None:
        raise Decline
    _, values, action = _parse_options(command["params"], helps, args, i + 1, stop_at_positional=False)
    if action is not None:
        raise Decline
    return command["function"], global_values, values, None


def _parse_options(
    params: list[Param], helps: set[str], args: list[str], i: int, *, stop_at_positional: bool
) -> tuple[int, dict[str, Any], str | None]:
    by_opt: dict[str, tuple[Param, bool]] = {}
    for p in params:
        if p["kind"] == "option":
            by_opt.update(dict.fromkeys(p["opts"], (p, True)))
            by_opt.update(dict.fromkeys(p["secondary"], (p, False)))
    values: dict[str, Any] = {}
    positionals: list[str] = []
    action: str | None = None

    def take(param: Param, polarity: bool, inline: str | None) -> None:
        nonlocal i, action
        if param["nargs"] != 1 or (param["action"] and param["action"] != "?" and not param["flag"]):
            raise Decline
        if param["action"]:
            if param["action"] == "?" or inline is not None:
                raise Decline
            action = action or param["action"]
            return
        if param["flag"]:
            if inline is not None:
                raise Decline
            values[param["name"]] = polarity
            return
        if inline is None:
            if i >= len(args):
                raise Decline
            inline = args[i]
            i += 1
        if param["multiple"]:
            values.setdefault(param["name"], []).append(_convert(param, inline))
            return
        values[param["name"]] = _convert(param, inline)

    only_positional = False
    while i < len(args):
        token = args[i]
        if only_positional or token == "-" or not token.startswith("-"):
            if stop_at_positional:
                break
            positionals.append(token)
            i += 1
            continue
        if token == "--":
            if stop_at_positional:
                raise Decline
            only_positional = True
            i += 1
            continue
        i += 1
        if token in helps:
            raise Decline
        if token.startswith("--"):
            opt, eq, inline = token.partition("=")
            entry = by_opt.get(opt)
            if entry is None:
                raise Decline
            take(entry[0], entry[1], inline if eq else None)
            continue
        if "=" in token:
            raise Decline
        for j, ch in enumerate(token[1:], 1):  # -r, -rd, -n5, -rn 5
            entry = by_opt.get("-" + ch)
            if entry is None or "-" + ch in helps:
                raise Decline
            param, polarity = entry
            if param["flag"] or param["action"]:
                take(param, polarity, None)
                continue
            take(param, polarity, token[j + 1 :] or None)
            break
    for p in params:
        if p["kind"] != "argument":
            continue
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
        if p["kind"] != "option" or p["name"] in values or not p["expose"]:
            continue
        env = os.environ.get(p["envvar"]) if p["envvar"] else None
        values[p["name"]] = _convert(p, env) if env else p["default"]
    return i, values, action


def try_run(args: list[str], spec: Spec | None = None) -> int | None:
    """Run the command if the fast path understands ``args``; None to hand over to Typer."""
    if os.environ.get("BEIBEI_NO_FASTPATH") or "_BEIBEI_COMPLETE" in os.environ:
        return None
    try:
        function, global_values, values, action = parse(spec or load_spec(), args)
    except Decline:
        return None
    from beibei_cli import commands  # after parsing: a declined argv goes to Typer without it

    if action is not None:
        return commands.ACTIONS[action]()
    assert function is not None
    ctx = commands.Ctx(**global_values)
    return commands.HANDLERS[function](ctx, **values)
