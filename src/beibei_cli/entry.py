"""The program's entry point, and the one place errors become exit codes.

``run`` prepares argv (global options after the command, Chinese typed under
``LANG=C``), tries the fast path, falls back to the Typer app, and maps every
``BeibeiError``, a closed pipe and Ctrl-C to a message on stderr and a named
exit code. A bug is one line too (exit 70); its traceback is shown only when
``--debug`` (or ``BEIBEI_DEBUG=1``), parsed like any other option, asks for it.
A usage error never prints a traceback.
"""

from __future__ import annotations

import os
import sys

from beibei_cli.errors import BeibeiError, ExitCode


def run_typer(args: list[str]) -> int:
    import typer
    from typer._click import exceptions as click_exc  # the Click that Typer vendors
    from typer.main import get_command

    from beibei_cli.cli import app

    group = get_command(app)
    try:
        result = group.main(args=args, prog_name="beibei", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        return ExitCode.INTERRUPTED
    except click_exc.NoArgsIsHelpError as exc:
        from beibei_cli.output import write_err

        write_err(exc.ctx.get_help() if exc.ctx is not None else "usage: beibei COMMAND [ARGS]", keep_sgr=True)
        return ExitCode.USAGE
    except click_exc.ClickException as exc:
        raise BeibeiError(_usage_message(exc)) from None
    return int(result) if isinstance(result, int) else ExitCode.OK


def _usage_message(exc: object) -> str:
    format_message = getattr(exc, "format_message", None)
    message = " ".join(str(format_message() if format_message else exc).split())
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", "beibei") if ctx is not None else "beibei"
    return f"{message} (see '{path} --help')"


def main(argv: list[str] | None = None) -> None:
    exit_now(run(argv))


def exit_now(code: int) -> None:
    """End the process with ``code``, skipping the interpreter's teardown when nothing needs it.

    Tearing down frees every object the run loaded (the report, the search
    index): about 3 ms, a seventh of a warm query's whole time (issue #10).
    Output is already written and flushed by ``output.write``; ``os._exit`` is
    used only when no exit handler is registered and no other thread runs, so
    that a library which needs its exit handlers (logging, the MCP server's
    threads) gets the ordinary ``sys.exit``.
    """
    import atexit

    threading = sys.modules.get("threading")
    handlers = getattr(atexit, "_ncallbacks", lambda: 1)()  # CPython's count; elsewhere assume some
    if handlers == 0 and (threading is None or threading.active_count() == 1):
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:
                    stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: let the ordinary exit deal with it
            _silence_stdout()
        else:
            os._exit(code)
    sys.exit(code)


def _debug(args: list[str]) -> bool:
    """Whether --debug (or BEIBEI_DEBUG), parsed from the prepared argv's global options, asks for tracebacks."""
    from beibei_cli import fastpath

    return bool(fastpath.global_values(fastpath.load_spec(), args).get("debug"))


def run(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        from beibei_cli import fastpath, output

        output.guard_stdout()
        args = fastpath.prepare(fastpath.load_spec(), args)
        code = fastpath.try_run(args)
        if code is None:
            code = run_typer(args)
        return code
    except BeibeiError as exc:
        from beibei_cli.output import write_err

        if exc.exit_code != ExitCode.NO_MATCH and exc.message:
            write_err(f"beibei: {bytes_shown(exc.message)}")  # one line: details are for validate and the API
        return exc.exit_code
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return ExitCode.OK
    except Exception as exc:  # a bug: one line, and the traceback only when asked for
        from beibei_cli.output import write_err

        if _debug(args):
            import traceback

            write_err(traceback.format_exc().rstrip("\n"))
        write_err(
            f"beibei: internal error: {type(exc).__name__}: {exc} (run with --debug for details; please report it)"
        )
        return ExitCode.INTERNAL


def bytes_shown(message: str) -> str:
    r"""``message`` with each undecodable byte of an argument, which Python's ``repr`` of the value
    wrote as ``\udcff``, written as the byte it was: ``\xff`` (as file names are shown)."""
    if "\\udc" not in message:
        return message
    import re

    return re.sub(r"(?<!\\)\\udc([89a-f][0-9a-f])", r"\\x\1", message)


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the exit flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
