"""The program's entry point, and the one place errors become exit codes.

``main`` repairs argv (Chinese typed under ``LANG=C``), tries the fast path,
falls back to the Typer app, and maps every ``BeibeiError``, a closed pipe and
Ctrl-C to a message on stderr and a named exit code. No traceback reaches a
user unless ``--debug`` (or ``BEIBEI_DEBUG=1``) asks for it.
"""

from __future__ import annotations

import os
import sys

from beibei_cli.errors import BeibeiError, ExitCode


def fix_arg(arg: str) -> str:
    """Undo a non-UTF-8 locale's decoding of an argument that was UTF-8 bytes."""
    if not any("\udc80" <= ch <= "\udcff" for ch in arg) and arg.isascii():
        return arg
    try:
        raw = os.fsencode(arg)
    except UnicodeEncodeError:
        return arg
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return arg


def run_typer(args: list[str]) -> int:
    import typer
    from typer._click import exceptions as click_exc  # the Click that Typer vendors
    from typer.main import get_command

    from beibei_cli import fastpath
    from beibei_cli.cli import app

    group = get_command(app)
    if fastpath.load_spec() is None:
        fastpath.save_spec(group)
    try:
        result = group.main(args=args, prog_name="beibei", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        return ExitCode.INTERRUPTED
    except click_exc.NoArgsIsHelpError as exc:
        from beibei_cli.output import write_err

        write_err(exc.ctx.get_help() if exc.ctx is not None else "usage: beibei COMMAND [ARGS]")
        return ExitCode.USAGE
    except click_exc.ClickException as exc:
        global_options = {opt for param in group.params for opt in param.opts}
        raise BeibeiError(_usage_message(exc, global_options)) from None
    return int(result) if isinstance(result, int) else ExitCode.OK


def _usage_message(exc: object, global_options: set[str]) -> str:
    format_message = getattr(exc, "format_message", None)
    message = " ".join(str(format_message() if format_message else exc).split())
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", "beibei") if ctx is not None else "beibei"
    option = getattr(exc, "option_name", None)
    if option in global_options:
        return f"{message} ({option} is a global option: put it before the command, e.g. 'beibei {option} … {path.split()[-1]}')"
    return f"{message} (see '{path} --help')"


def main(argv: list[str] | None = None) -> None:
    sys.exit(run(argv))


def run(argv: list[str] | None = None) -> int:
    args = [fix_arg(a) for a in (sys.argv[1:] if argv is None else argv)]
    debug = "--debug" in args or os.environ.get("BEIBEI_DEBUG", "") not in ("", "0")
    try:
        from beibei_cli import fastpath

        code = fastpath.try_run(args)
        if code is None:
            code = run_typer(args)
        return code
    except BeibeiError as exc:
        if debug:
            raise
        from beibei_cli.output import write_err

        lines = exc.lines()
        if exc.exit_code != ExitCode.NO_MATCH and lines[0]:
            write_err(f"beibei: {lines[0]}")
            for line in lines[1:]:
                write_err(line)
        return exc.exit_code
    except KeyboardInterrupt:
        if debug:
            raise
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return ExitCode.OK
    except Exception as exc:  # a bug: still no traceback unless asked for
        if debug:
            raise
        from beibei_cli.output import write_err

        write_err(
            f"beibei: internal error: {type(exc).__name__}: {exc} (run with --debug for details; please report it)"
        )
        return ExitCode.INTERNAL


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the exit flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
