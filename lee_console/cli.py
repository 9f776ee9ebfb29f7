"""The command line: parses arguments, builds the one AWS session (starting the sandbox when
asked), and hands both to the TUI or to a headless command.

Exit codes: 0 success (status: all healthy), 1 status found an alert, 2 an error (one line on
stderr, nothing changed; a fault in the console itself says so and names the log that holds its
traceback), 130 interrupted (Ctrl-C, or SIGHUP: a dropped SSH session; lee_console/hangup.py),
141 stdout closed early (its reader left, as `| head -1` does: the command stops there, quietly).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import traceback
from collections.abc import Sequence
from contextlib import nullcontext, suppress
from typing import TYPE_CHECKING

from lee_console.cli_parser import COMMANDS, EXIT_ERROR, build_parser, runner
from lee_console.core.config import Config
from lee_console.core.endpoint import check_endpoint, check_region
from lee_console.core.errors import InvalidInput, LeeError
from lee_console.core.names import validate_table_name
from lee_console.hangup import hangup_as_interrupt, hung_up
from lee_console.store.config_file import load_config
from lee_console.store.paths import config_path, state_dir
from lee_console.store.private import private_dir

if TYPE_CHECKING:  # the rest is imported where used: `status` starts within 1.2x of a script
    from lee_console.commands.incident_choice import Use
    from lee_console.store.journal_file import Journal

EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a command whose reader left
SANDBOX_EXPORT_BUCKET = "lee-pitr-exports"  # the sandbox's seeded bucket (sandbox/exports/)
__all__ = ["COMMANDS", "EXIT_ERROR", "EXIT_INTERRUPTED", "main"]


def program() -> int:
    """`lee-console` and `python -m lee_console`: the command, then the process ends.

    At exit Python collects garbage across every object still alive, boto3's loaded service
    models included: 50-90 ms after the answer is printed (bench/bench_launch.py). Frozen, they
    are left to the exit's teardown; atexit handlers still run, and nothing of ours relies on
    a finalizer in a reference cycle (files are closed by `with`). Not in main(), which tests
    call in-process many times over."""
    code = main()
    gc.freeze()
    return code


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = run(argv)
        sys.stdout.flush()  # a reader that left is found here, not in the interpreter's exit
    except BrokenPipeError:  # `lee-console ... | head -1`: stop quietly, no traceback
        stdout_to_devnull()
        return EXIT_BROKEN_PIPE
    return code


def stdout_to_devnull() -> None:
    """Python's recipe for a closed stdout: what is still buffered for it goes nowhere at exit
    (else the interpreter says "Exception ignored ... BrokenPipeError")."""
    with suppress(OSError, ValueError):  # a stdout without a file descriptor (a test's capture)
        stdout = sys.stdout.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout)
        os.close(devnull)


def run(argv: Sequence[str] | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if "sandbox" in arguments and "serve" in arguments and not _sandbox_installed():
        return EXIT_ERROR
    parser = build_parser(named=arguments)
    try:
        args = parser.parse_args(join_dash_values(arguments))
    except SystemExit as exit_:  # --help, --version, or an argument error (one line, above)
        return exit_.code if isinstance(exit_.code, int) else EXIT_ERROR
    held_back.clear()
    written.clear()
    headless = args.command not in (None, "sandbox")  # the console handles SIGHUP itself
    try:
        with hangup_as_interrupt() if headless else nullcontext():
            code = dispatch(args)
    except LeeError as error:
        print(f"lee-console: {error.message}", file=sys.stderr)
        done = {kind for journal in written for kind in journal.written_kinds}
        from lee_console.core.journal import Kind

        if done - {Kind.AWS_REFUSED}:  # something was done before the error: say where
            for line in held_back:
                say(line)
        return error.exit_code
    except BrokenPipeError:  # stdout's reader left: main stops quietly, nothing to log
        raise
    except KeyboardInterrupt:
        why = "hung up (SIGHUP)" if hung_up() else "interrupted"
        print(f"lee-console: {why}.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as fault:  # a fault in the console: one line here, the traceback logged
        from lee_console.store.fault_log import fault_line, log_fault

        path = log_fault(fault, " ".join(arguments[:1]))
        if getattr(args, "debug", False):
            traceback.print_exception(fault, file=sys.stderr)
        print(f"lee-console: {fault_line(fault, path)}", file=sys.stderr)
        return EXIT_ERROR
    for line in held_back:
        say(line)
    if hung_up():  # the command stopped as for Ctrl-C (find-good, repair): say why
        say("lee-console: hung up (SIGHUP).")
    return code


def _sandbox_installed() -> bool:
    """`sandbox serve`'s options need moto: without it, say how to add it (one line)."""
    from lee_console.sandbox_process import NO_SANDBOX, sandbox_installed

    if not sandbox_installed():
        print(f"lee-console: {NO_SANDBOX}", file=sys.stderr)
        return False
    return True


held_back: list[str] = []  # which incident: said once the command has ended
written: list[Journal] = []  # this command's journal


def dispatch(args: argparse.Namespace) -> int:
    if args.command == "sandbox":
        from lee_console.drill_sandbox import sandbox_command

        return sandbox_command(args, say)
    path = config_path()
    config = load_config(path).with_overrides(
        profile=args.profile,
        region=args.region,
        endpoint_url=args.endpoint_url,
        read_only=args.read_only,
        tables=parse_tables(args.tables),
    )
    if args.command == "config":
        return config_command(args.config_action, config)
    if config.endpoint_url is not None:
        check_endpoint(config.endpoint_url, bool(args.allow_insecure_endpoint))
    if config.region is not None:
        check_region(config.region)
    private_dir(state_dir())  # a state dir that cannot be used is said now, in one line
    if args.command == "drill":
        from lee_console import drill_play

        return drill_play.run(args, say, config, check_terminal)  # checks its options first
    if args.scenario and not args.sandbox:
        raise InvalidInput("--scenario goes with --sandbox.")
    if args.command is None:
        check_terminal()
    from lee_console.aws.connection import ConnectionSettings

    endpoint, drill = None, None
    if args.sandbox:
        from lee_console.drill_sandbox import sandbox_endpoint

        endpoint, drill = sandbox_endpoint(args, say)
    if endpoint:  # the sandbox's seeded scenarios export to their own bucket
        config = config.with_overrides(
            endpoint_url=endpoint, export_bucket=config.export_bucket or SANDBOX_EXPORT_BUCKET
        )
    settings = ConnectionSettings(
        profile=config.profile,
        region=config.region,
        endpoint_url=config.endpoint_url,
        read_only=config.read_only,
        sandbox=endpoint is not None,
    )
    journal = command_journal(args, drill, sandboxed=endpoint is not None)
    if args.command is None:
        from lee_console.ui.launch import run_console

        code = run_console(settings, journal, config)
        if journal is not None and journal.closed_at is not None:  # closed in the console
            held_back[:] = [
                f"Incident {journal.incident} was closed; `lee-console report "
                f"{journal.incident}` prints its report."
            ]
        if endpoint:
            say("The sandbox keeps running for a relaunch; `lee-console sandbox stop` ends it.")
        return code
    from lee_console.aws.session import Aws
    from lee_console.commands.context import CommandContext

    ctx = CommandContext(config=config, aws_factory=lambda: Aws(settings, journal), journal=journal)
    return runner(args.command)(args, ctx)


def check_terminal() -> None:
    """The console draws on the terminal: with stdout or stderr sent to a file it would draw
    into the file (and stdin must be a keyboard). Refused before a sandbox is started. Served
    to a browser (ui/web.py) it draws through Textual's web driver on pipes: allowed."""
    from lee_console.ui.web_driver import drawn_in_browser

    if drawn_in_browser():
        return
    for name, stream in (("stdin", sys.stdin), ("stdout", sys.stdout), ("stderr", sys.stderr)):
        if stream is None or not stream.isatty():
            raise InvalidInput(
                f"The console needs a terminal, but {name} is not one; run it in a terminal "
                "without redirecting it, or use the headless commands (`lee-console --help`)."
            )


def command_journal(args: argparse.Namespace, drill: str | None, sandboxed: bool) -> Journal | None:
    """The journal this command writes to (commands/incident_choice.py), None for commands that
    only read. The journal's modules are imported only when there is one to open."""
    use = journal_use(args)
    if use is None and not args.incident:
        return None
    from lee_console.store.incidents import ADHOC, DRILL, journals_dir
    from lee_console.store.journal_file import Journal

    if use is None:  # report and incident list read it; the name is checked here
        return Journal(journals_dir(state_dir()), args.incident)
    from lee_console.commands.incident_choice import choose_journal

    kind = DRILL if sandboxed else ADHOC
    journal = choose_journal(
        journals_dir(state_dir()), kind, use, say, args.incident, drill, held_back.append
    )
    if journal is not None:
        written.append(journal)
    return journal


def journal_use(args: argparse.Namespace) -> Use | None:
    if args.command in ("status", "cost", "report"):
        return None
    if args.command in ("dr-test", "monitor"):  # a journal of their own (commands/own_journal.py)
        return None
    if args.command == "incident" and args.incident_action == "list":
        return None
    from lee_console.commands.incident_choice import Use

    if args.command == "incident":
        return Use.DECLARE if args.incident_action == "declare" else Use.EXISTING
    return Use.JOIN if args.command == "verify" else Use.WRITE


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


_TIME_OPTIONS = ("--at", "--damage-start", "--detected", "--since", "--until")


def join_dash_values(argv: Sequence[str]) -> list[str]:
    """`--at -11m` would read as two options; pass it on as `--at=-11m`."""
    joined: list[str] = []
    skip = False
    for index, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        following = argv[index + 1] if index + 1 < len(argv) else ""
        if arg in _TIME_OPTIONS and following.startswith("-") and following[1:2].isdigit():
            joined.append(f"{arg}={following}")
            skip = True
        else:
            joined.append(arg)
    return joined


def parse_tables(raw: str | None) -> tuple[str, ...] | None:
    if raw is None:
        return None
    names = tuple(validate_table_name(name.strip()) for name in raw.split(",") if name.strip())
    if not names:
        raise InvalidInput("--tables needs at least one table name.")
    return names


def config_command(action: str, config: Config) -> int:
    from lee_console.core.config import EXAMPLE

    if action == "path":
        print(config_path())
    elif action == "example":
        print(EXAMPLE, end="")
    else:
        for key, value in vars(config).items():
            print(f"{key} = {value!r}")
    return 0
