"""The command line: parses arguments, builds the one AWS session (starting the sandbox when
asked), and hands both to the TUI or to a headless command.

Exit codes: 0 success (status: all healthy), 1 status found an alert, 2 an error (one line on
stderr, nothing changed; a fault in the console itself says so and names the log that holds its
traceback), 130 interrupted (Ctrl-C, or SIGHUP: a dropped SSH session; lee_console/hangup.py).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from typing import NoReturn

from lee_console import __version__, drill_play
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.commands import (
    backup,
    cost,
    enable_pitr,
    incident,
    report,
    restore,
    status,
    verify,
)
from lee_console.commands import cutover as cutover_command
from lee_console.commands import dr_test as dr_test_command
from lee_console.commands import findgood as findgood_command
from lee_console.commands import monitor as monitor_command
from lee_console.commands import repair as repair_command
from lee_console.commands import settings as settings_command
from lee_console.commands.context import CommandContext
from lee_console.commands.incident_choice import Use, choose_journal
from lee_console.core.config import Config
from lee_console.core.endpoint import check_endpoint, check_region
from lee_console.core.errors import InvalidInput, LeeError
from lee_console.core.journal import Kind
from lee_console.core.names import validate_table_name
from lee_console.drill_sandbox import sandbox_command, sandbox_endpoint
from lee_console.hangup import hangup_as_interrupt, hung_up
from lee_console.sandbox_process import stop_live_writes
from lee_console.store.config_file import load_config
from lee_console.store.drills import DrillRecord
from lee_console.store.fault_log import fault_line, log_fault
from lee_console.store.incidents import ADHOC, DRILL, journals_dir
from lee_console.store.journal_file import Journal
from lee_console.store.paths import config_path, state_dir
from lee_console.store.private import private_dir
from lee_console.ui.drill.mode import DrillMode

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130

Runner = Callable[[argparse.Namespace, CommandContext], int]
AddParentedArguments = Callable[..., None]


def _with_globals(add_arguments: AddParentedArguments) -> Callable[[argparse.ArgumentParser], None]:
    """For commands with actions (backup create, settings diff...): each action's parser also
    takes the global flags."""
    return lambda parser: add_arguments(parser, parents=[global_options(defaults=False)])


_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Runner]] = {
    "status": ("PITR window and health of every table", status.add_arguments, status.run),
    "enable-pitr": ("turn PITR on", enable_pitr.add_arguments, enable_pitr.run),
    "restore": ("restore a table into a new table", restore.add_arguments, restore.run),
    "backup": (
        "create, list and clean up on-demand backups",
        _with_globals(backup.add_arguments),
        backup.run,
    ),
    "cost": ("PITR vs daily backups, month by month", cost.add_arguments, cost.run),
    "settings": (
        "settings a restore drops: diff and re-apply",
        _with_globals(settings_command.add_arguments),
        settings_command.run,
    ),
    "cutover": (
        "repoint the application at a restored table, or roll back",
        _with_globals(cutover_command.add_arguments),
        cutover_command.run,
    ),
    "verify": ("check a table's items, schema and diff", verify.add_arguments, verify.run),
    "report": ("the post-incident report, from the journal", report.add_arguments, report.run),
    "incident": (
        "declare, note, confirm service, close and list incidents (no AWS needed)",
        _with_globals(incident.add_arguments),
        incident.run,
    ),
    "repair": (
        "write back only the damaged items of a live table from a restored one",
        repair_command.add_arguments,
        repair_command.run,
    ),
    "find-good": (
        "find the last good point of a table's PITR window with probe restores",
        findgood_command.add_arguments,
        findgood_command.run,
    ),
    "dr-test": (
        "the quarterly restore test: restore, time, count, verify, delete, report",
        dr_test_command.add_arguments,
        dr_test_command.run,
    ),
    "monitor": (
        "CloudWatch alarms on the PITR metrics (monitor install)",
        _with_globals(monitor_command.add_arguments),
        monitor_command.run,
    ),
}


class OneLineParser(argparse.ArgumentParser):
    """An argument error is one line that says where the accepted forms are, exit 2 (argparse
    prints the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"lee-console: {message}; `{self.prog} --help` lists the options.\n")


def global_options(defaults: bool) -> OneLineParser:
    """The AWS flags every command takes, before or after its name."""
    unset = None if defaults else argparse.SUPPRESS
    parent = OneLineParser(add_help=False, argument_default=unset)
    group = parent.add_argument_group("AWS and safety")
    group.add_argument("--profile", metavar="P", help="AWS profile (standard credential chain)")
    group.add_argument("--region", metavar="R", help="AWS region")
    group.add_argument("--endpoint-url", metavar="URL", help="e.g. a `sandbox serve` URL")
    group.add_argument(
        "--allow-insecure-endpoint",
        action="store_const",
        const=True,
        help="allow a plain-http --endpoint-url that is not this machine",
    )
    group.add_argument(
        "--read-only", action="store_const", const=True, help="make no change in AWS, guaranteed"
    )
    group.add_argument("--tables", metavar="T,T,...", help="only these tables")
    group.add_argument(
        "--debug",
        action="store_const",
        const=True,
        help="print the traceback of an internal error (it is always logged)",
    )
    group.add_argument(
        "--sandbox", action="store_const", const=True, help="run against an embedded sandbox"
    )
    group.add_argument(
        "--scenario", metavar="NAME", help="sandbox scenario (default bad-deployment)"
    )
    group.add_argument(
        "--incident", metavar="ID", help="the incident (default: the one open incident)"
    )
    return parent


def build_parser(serve_options: bool = True) -> argparse.ArgumentParser:
    """``serve_options=False`` leaves out `sandbox serve`'s options, whose import (moto) costs
    about two seconds: main() skips them unless the command line mentions the sandbox."""
    parser = OneLineParser(
        prog="lee-console",
        description="Incident console for DynamoDB point-in-time recovery. "
        "Without a command it opens the console (TUI).",
        epilog="Exit codes: 0 ok, 1 status found an alert, 2 error, 130 interrupted (Ctrl-C "
        "or SIGHUP).",
        parents=[global_options(defaults=True)],
    )
    parser.add_argument("--version", action="version", version=f"lee-console {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub_parent = global_options(defaults=False)
    for name, (summary, add_arguments, _) in _COMMANDS.items():
        sub = commands.add_parser(name, help=summary, description=summary, parents=[sub_parent])
        add_arguments(sub)
    config = commands.add_parser("config", help="the config file", parents=[sub_parent])
    config_actions = config.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    for action, summary in (
        ("path", "print where the config file is"),
        ("show", "print the settings in effect"),
        ("example", "print an example config file"),
    ):
        config_actions.add_parser(action, help=summary, parents=[sub_parent])
    drill = commands.add_parser(
        "drill",
        help="a DR training drill with a score card",
        description="A DR training drill: a seeded incident in a drill sandbox, scored at the end.",
        parents=[sub_parent],
    )
    drill_play.add_arguments(drill)
    sandbox = commands.add_parser("sandbox", help="a local AWS for drills and tests")
    sandbox_actions = sandbox.add_subparsers(dest="sandbox_action", metavar="ACTION", required=True)
    serve = sandbox_actions.add_parser("serve", help="run the sandbox's HTTP server")
    if serve_options:
        from lee_console.sandbox.cli_args import add_serve_arguments

        add_serve_arguments(serve)
    sandbox_actions.add_parser("stop", help="stop the drill sandbox that --sandbox started")
    sandbox_actions.add_parser("status", help="say whether a drill sandbox is running")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(serve_options="sandbox" in arguments)
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
        if done - {Kind.AWS_REFUSED}:  # something was done before the error: say where
            for line in held_back:
                say(line)
        return error.exit_code
    except KeyboardInterrupt:
        why = "hung up (SIGHUP)" if hung_up() else "interrupted"
        print(f"lee-console: {why}.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as fault:  # a fault in the console: one line here, the traceback logged
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


held_back: list[str] = []  # which incident: said once the command has ended
written: list[Journal] = []  # this command's journal


def dispatch(args: argparse.Namespace) -> int:
    if args.command == "sandbox":
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
        if args.action in (None, "open"):
            check_terminal()
        return drill_play.run(args, say, lambda record: open_drill(record, config, args))
    if args.scenario and not args.sandbox:
        raise InvalidInput("--scenario goes with --sandbox.")
    if args.command is None:
        check_terminal()
    endpoint, drill = sandbox_endpoint(args, say)
    if endpoint:
        config = config.with_overrides(endpoint_url=endpoint)
    settings = ConnectionSettings(
        profile=config.profile,
        region=config.region,
        endpoint_url=config.endpoint_url,
        read_only=config.read_only,
        sandbox=endpoint is not None,
    )
    journal = command_journal(args, drill, kind=DRILL if endpoint else ADHOC)
    if args.command is None:
        from lee_console.ui.launch import run_console

        code = run_console(Aws(settings, journal), config)
        if journal is not None and journal.closed_at is not None:  # closed in the console
            held_back[:] = [
                f"Incident {journal.incident} was closed; `lee-console report "
                f"{journal.incident}` prints its report."
            ]
        if endpoint:
            say("The sandbox keeps running for a relaunch; `lee-console sandbox stop` ends it.")
        return code
    _, _, runner = _COMMANDS[args.command]
    ctx = CommandContext(config=config, aws_factory=lambda: Aws(settings, journal), journal=journal)
    return runner(args, ctx)


def open_drill(record: DrillRecord, config: Config, args: argparse.Namespace) -> int:
    """The console in drill mode on the running drill; a drill finished in it is ended here
    (its sandbox stopped) once the console has quit."""
    from lee_console.ui.launch import run_console

    settings = ConnectionSettings(
        region=config.region, endpoint_url=record.endpoint_url, read_only=config.read_only,
        sandbox=True,
    )  # fmt: skip
    journal = Journal(journals_dir(state_dir()), record.incident)
    brief = drill_play.drill_truth(record).brief
    mode = DrillMode(
        record, brief.symptoms, args.facilitator, lambda: stop_live_writes(record.endpoint_url)
    )
    code = run_console(Aws(settings, journal), config, mode)
    if drill_play.finished_in_console(record):
        drill_play.end_finished(record, say)
    else:
        say(f"Drill {record.incident} goes on: `lee-console drill open` returns to it.")
    return code


def check_terminal() -> None:
    """The console draws on the terminal: with stdout or stderr sent to a file it would draw
    into the file (and stdin must be a keyboard). Refused before a sandbox is started."""
    for name, stream in (("stdin", sys.stdin), ("stdout", sys.stdout), ("stderr", sys.stderr)):
        if stream is None or not stream.isatty():
            raise InvalidInput(
                f"The console needs a terminal, but {name} is not one; run it in a terminal "
                "without redirecting it, or use the headless commands (`lee-console --help`)."
            )


def command_journal(args: argparse.Namespace, drill: str | None, kind: str) -> Journal | None:
    """The journal this command writes to (commands/incident_choice.py), None for commands that
    only read."""
    use = journal_use(args)
    if use is None:
        if args.incident:  # report and incident list read it; the name is checked here
            return Journal(journals_dir(state_dir()), args.incident)
        return None
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
    if args.command == "incident":
        action = args.incident_action
        if action == "list":
            return None
        return Use.DECLARE if action == "declare" else Use.EXISTING
    return Use.JOIN if args.command == "verify" else Use.WRITE


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


_TIME_OPTIONS = ("--at", "--damage-start", "--detected")


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
