"""The command line's grammar: the global flags, and one sub-parser per command.

A command's module (its arguments and its run) is imported only when the command line names
it: `status` does not pay for the report, the drill or Textual, and `--help` for none of them
(each command's one-line summary lives here). Adding a command: a line in COMMANDS and a module
under commands/ with ``add_arguments(parser)`` and ``run(args, ctx)``.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, NoReturn

from lee_console import __version__

if TYPE_CHECKING:
    from lee_console.commands.context import CommandContext

EXIT_ERROR = 2

Runner = Callable[[argparse.Namespace, "CommandContext"], int]


@dataclass(frozen=True)
class Command:
    summary: str
    module: str  # under lee_console.commands
    actions: bool = False  # has actions (backup create...): each action takes the global flags


COMMANDS: dict[str, Command] = {
    "status": Command("PITR window and health of every table", "status"),
    "enable-pitr": Command("turn PITR on", "enable_pitr"),
    "restore": Command("restore a table into a new table", "restore"),
    "backup": Command("create, list and clean up on-demand backups", "backup", actions=True),
    "cost": Command("PITR vs daily backups, month by month", "cost"),
    "settings": Command("settings a restore drops: diff and re-apply", "settings", actions=True),
    "cutover": Command(
        "repoint the application at a restored table, or roll back", "cutover", actions=True
    ),
    "verify": Command("check a table's items, schema and diff", "verify"),
    "report": Command("the post-incident report, from the journal", "report"),
    "incident": Command(
        "declare, note, confirm service, close and list incidents (no AWS needed)",
        "incident",
        actions=True,
    ),
    "repair": Command(
        "write back only the damaged items of a live table from a restored one", "repair"
    ),
    "find-good": Command(
        "find the last good point of a table's PITR window with probe restores", "findgood"
    ),
    "damage": Command(
        "the items changed in a period, from incremental exports, classified by the rules",
        "damage",
    ),
    "dr-test": Command(
        "the quarterly restore test: restore, time, count, verify, delete, report", "dr_test"
    ),
    "monitor": Command(
        "CloudWatch alarms on the PITR metrics (monitor install)", "monitor", actions=True
    ),
}
DRILL_SUMMARY = "a DR training drill with a score card"


def command_module(name: str) -> ModuleType:
    return importlib.import_module(f"lee_console.commands.{COMMANDS[name].module}")


def runner(name: str) -> Runner:
    run: Runner = command_module(name).run
    return run


class StoreOnce(argparse._StoreAction):
    """An option that takes one value, given twice with different values, is refused:
    argparse keeps the last, and `restore --at -25m ... --at -40m` pasted together would restore
    to a point the operator may not have meant."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        given: dict[str, Any] = namespace.__dict__.setdefault("_given_once", {})
        if self.dest in given and given[self.dest] != values and option_string is not None:
            parser.error(
                f"{option_string} given twice ({given[self.dest]}, then {values}); give it once"
            )
        given[self.dest] = values
        super().__call__(parser, namespace, values, option_string)


class OneLineParser(argparse.ArgumentParser):
    """An argument error is one line that says where the accepted forms are, exit 2 (argparse
    prints the whole usage first). An option given twice with two values is an error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register("action", None, StoreOnce)
        self.register("action", "store", StoreOnce)

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
        "--scenario",
        metavar="NAME",
        help="sandbox scenario (default: the running sandbox's, else bad-deployment)",
    )
    group.add_argument(
        "--incident", metavar="ID", help="the incident (default: the one open incident)"
    )
    return parent


def build_parser(named: Iterable[str] = ()) -> argparse.ArgumentParser:
    """The parser; the arguments of the commands in ``named`` (the words of the command line)
    are loaded, the others are listed by their summary only. `sandbox serve`'s options import
    moto (about two seconds): only when the command line says `sandbox`."""
    words = set(named)
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
    for name, command in COMMANDS.items():
        if name not in words:  # not on this command line: its summary for --help is enough
            commands.add_parser(name, help=command.summary)
            continue
        sub = commands.add_parser(
            name, help=command.summary, description=command.summary, parents=[sub_parent]
        )
        _add_arguments(sub, command_module(name), command.actions)
    _add_config(commands, sub_parent)
    drill = commands.add_parser(
        "drill",
        help=DRILL_SUMMARY,
        description="A DR training drill: a seeded incident in a drill sandbox, scored at the end.",
        parents=[sub_parent],
    )
    if "drill" in words:
        from lee_console.drill_options import add_arguments

        add_arguments(drill)
    _add_sandbox(commands, serve_options="sandbox" in words)
    return parser


def _add_arguments(sub: argparse.ArgumentParser, module: ModuleType, actions: bool) -> None:
    if actions:  # each action's parser also takes the global flags
        module.add_arguments(sub, parents=[global_options(defaults=False)])
    else:
        module.add_arguments(sub)


def _add_config(commands: Any, sub_parent: argparse.ArgumentParser) -> None:
    config = commands.add_parser("config", help="the config file", parents=[sub_parent])
    config_actions = config.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    for action, summary in (
        ("path", "print where the config file is"),
        ("show", "print the settings in effect"),
        ("example", "print an example config file"),
    ):
        config_actions.add_parser(action, help=summary, parents=[sub_parent])


def _add_sandbox(commands: Any, serve_options: bool) -> None:
    sandbox = commands.add_parser("sandbox", help="a local AWS for drills and tests")
    sandbox_actions = sandbox.add_subparsers(dest="sandbox_action", metavar="ACTION", required=True)
    serve = sandbox_actions.add_parser("serve", help="run the sandbox's HTTP server")
    if serve_options:
        from lee_console.sandbox.cli_args import add_serve_arguments

        add_serve_arguments(serve)
    sandbox_actions.add_parser("stop", help="stop the drill sandbox that --sandbox started")
    sandbox_actions.add_parser("status", help="say whether a drill sandbox is running")
