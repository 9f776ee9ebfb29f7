"""The `drill` command's options. Each action takes only the options it reads: one given to an
action that would ignore it (`drill results --seed 3`) is refused in one line rather than
silently dropped. Numbers are ASCII digits within their range (no nan, inf or full-width 3); a
participant's name is 1 to 64 printable characters (it is shown on the banner, the card and in
the results table)."""

from __future__ import annotations

import argparse

from lee_console.core.errors import InvalidInput

ACTIONS = ("start", "open", "finish", "results")
PARTICIPANT_MOST = 64
_SANDBOX = ("items", "live_writes", "restore_seconds")
# What each action reads; "play" is `drill` without an action (start, then open the console).
# --scenario is a global flag, but only starting a drill reads it.
_TAKES: dict[str, tuple[str, ...]] = {
    "play": (
        "scenario",
        "seed",
        "participant",
        "rto_minutes",
        "facilitator",
        "serve",
        "host",
        *_SANDBOX,
    ),
    "start": ("scenario", "seed", "participant", "rto_minutes", "json", *_SANDBOX),
    "open": ("facilitator", "serve", "host"),
    "finish": ("json", "facilitator"),
    "results": ("participant", "json"),
}
_DEFAULTS: dict[str, object] = {
    "rto_minutes": 60, "items": 3000, "live_writes": 6.0, "restore_seconds": 15.0,
}  # fmt: skip
_OPTIONS = (
    "scenario",
    "seed",
    "participant",
    "rto_minutes",
    "json",
    "facilitator",
    "serve",
    "host",
    *_SANDBOX,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options default to None (False for switches) so that `checked_action` knows which were
    given; it fills in the defaults named in the help."""
    parser.add_argument("action", nargs="?", choices=ACTIONS, help="default: start and open")
    parser.add_argument("--seed", type=_seed, help="the incident's seed (default: a random one)")
    parser.add_argument("--participant", metavar="NAME", help="who plays (default: $USER)")
    parser.add_argument("--rto-minutes", type=_minutes, metavar="M", help="default: 60")
    parser.add_argument("--json", action="store_true", help="start/finish/results: JSON out")
    parser.add_argument(
        "--facilitator",
        action="store_true",
        help="once the drill ends, show the ground truth beside the participant's timeline",
    )
    web = parser.add_argument_group("a projector")
    web.add_argument(
        "--serve",
        nargs="?",
        const=0,
        type=_port,
        metavar="PORT",
        help="serve the drill console to a browser instead of this terminal (PORT, default: a "
        "free one; each browser tab is its own console)",
    )
    web.add_argument(
        "--host", metavar="H", help="with --serve: the address to listen on (default 127.0.0.1)"
    )
    sandbox = parser.add_argument_group("the drill sandbox")
    sandbox.add_argument("--items", type=_count, help="lee-devices items (default: 3000)")
    sandbox.add_argument(
        "--live-writes",
        type=_rate,
        metavar="PER_MINUTE",
        help="legitimate user writes the sandbox keeps making during the drill (0: none; "
        "default: 6)",
    )
    sandbox.add_argument("--restore-seconds", type=_rate, metavar="SECONDS", help="default: 15")


def checked_action(args: argparse.Namespace) -> str:
    """The action (play, start, open, finish or results), once every option given is one it
    reads; the defaults filled in and the participant's name checked."""
    action = args.action or "play"
    given = [name for name in _OPTIONS if _given(getattr(args, name, None))]
    stray = [_flag(name) for name in given if name not in _TAKES[action]]
    if stray:
        command = "drill" if action == "play" else f"drill {action}"
        takes = ", ".join(_flag(name) for name in _TAKES[action])
        raise InvalidInput(
            f"`lee-console {command}` does not take {', '.join(stray)} (it takes {takes})."
        )
    for name, value in _DEFAULTS.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.participant is not None:
        args.participant = participant_name(args.participant)
    if args.host is not None and args.serve is None:
        raise InvalidInput("--host goes with --serve.")
    return action


def participant_name(text: str) -> str:
    name = text.strip()
    if not name or not name.isprintable() or len(name) > PARTICIPANT_MOST:
        raise InvalidInput(
            f"--participant needs a name of 1 to {PARTICIPANT_MOST} printable characters."
        )
    return name


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _given(value: object) -> bool:
    """An option given: not its unset None or switch-off False (`--serve` alone is port 0)."""
    return value is not None and value is not False


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit() and int(text) <= 65535):
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: give 0 to 65535")
    return int(text)


def _seed(text: str) -> int:
    if not (text.isascii() and text.isdigit() and int(text) < 2**31):
        raise argparse.ArgumentTypeError(f"{text!r} is not a seed: give 0 to {2**31 - 1}")
    return int(text)


def _minutes(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 24 * 60):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of minutes from 1 to 1440")
    return int(text)


def _count(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 1_000_000):
        raise argparse.ArgumentTypeError(f"{text!r} is not a count from 1 to 1000000")
    return int(text)


def _rate(text: str) -> float:
    plain = text.isascii() and "_" not in text and text == text.strip()
    try:
        value = float(text) if plain else float("nan")
    except ValueError:
        value = float("nan")
    if not 0 <= value <= 3600:  # refuses nan and inf too
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 0 to 3600")
    return value
