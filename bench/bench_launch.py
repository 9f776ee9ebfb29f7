"""Launch speed, against named baselines measured in the same run.

    python bench/bench_launch.py [--tables 50] [--runs 5]

A sandbox (scenario none, AWS's DescribeContinuousBackups limit of 10 a second enforced, a
request log) is started, and --tables - 3 empty tables are added to the three LEE tables. Then,
each figure the median of --runs:

- "import": `python -c "import lee_console.cli"` against `python -c "import boto3"`;
- "status --json, 3 tables": `lee-console status --json --tables lee-devices,lee-sessions,
  lee-users` against a boto3 script that does the same reads (DescribeTable and
  DescribeContinuousBackups of each) and prints JSON; the ratio is lee-console / script;
  also, for what it is worth, the same status run by main() without program()'s gc.freeze()
  at exit (lee_console/cli.py), which the script does not have either;
- "first frame": the console launched in a pseudo-terminal of 120x40, from the process start
  to the first screen it draws (its header), against a minimal Textual app (`App().run()` with
  one Static) to its first frame;
- "first row" and "all rows": from the process start to the dashboard's first table row (its
  first ACTIVE), and to its footer saying every table is loaded, against the rate limit's bound
  (--tables / 10 s: the least time any client can take to describe them all without
  ThrottlingException).

lee_console's bytecode is compiled first, as pip compiles a package it installs from a wheel
(pipx install lee-console): an editable install does not, and under PYTHONDONTWRITEBYTECODE=1
(this machine's environment) every run would compile each of our modules afresh (~11 ms more
for status's imports) while boto3's, installed from wheels, come compiled.

Each run of status, of the script and of the console starts once the last one's calls have left
the limit's window (AWS counts an account's calls: runs back to back would share its second).
The sandbox's request log then says how many calls were throttled: lee-console's (must be 0)
and the baseline script's.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import pty
import re
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from many_tables import create_tables
from sandbox_process import running_sandbox

BOTO3_STATUS = """
import json, sys, boto3
c = boto3.client("dynamodb", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="test", aws_secret_access_key="test")
out = []
for name in ("lee-devices", "lee-sessions", "lee-users"):
    table = c.describe_table(TableName=name)["Table"]
    pitr = c.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    out.append({"table": name, "items": table.get("ItemCount"),
                "pitr": pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]})
print(json.dumps(out, default=str))
"""

# lee_console.cli.main without program()'s freeze of the objects alive at exit
WITHOUT_EXIT_FREEZE = "import sys; from lee_console.cli import main; sys.exit(main())"

MINIMAL_TEXTUAL = """
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("lee-console minimal first frame")
Minimal().run()
"""

ANSI = re.compile(rb"\x1b\[[0-9;?]*[a-zA-Z]|\x1b[()][0-9A-B]|\x1b[=>]")


def spaced(measure: Callable[..., float], *args: object) -> float:
    """AWS counts an account's calls, not a process's: each run starts once the last one's
    calls have left the limit's window, so that no run is throttled by the one before."""
    time.sleep(1.1)
    return measure(*args)


def _logged(log: Path) -> int:
    """How many calls the sandbox's request log holds so far: the calls of each phase."""
    return len(log.read_text().splitlines()) if log.exists() else 0


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, capture_output=True)
    return time.perf_counter() - start


def in_terminal(command: list[str], env: dict[str, str], marks: list[bytes]) -> list[float]:
    """Run ``command`` in a 120x40 pseudo-terminal; the seconds from start until each of
    ``marks`` appears in what it draws (escape sequences removed), in order."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the console, as a terminal would start it
        os.environ.update(env)
        os.environ["COLUMNS"], os.environ["LINES"] = "120", "40"
        os.execvp(command[0], command)
    start = time.perf_counter()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    seen = b""
    found: list[float] = []
    deadline = start + 60
    try:
        while len(found) < len(marks) and time.perf_counter() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += ANSI.sub(b"", chunk).replace(b"\r", b"")
            while len(found) < len(marks) and marks[len(found)] in seen:
                found.append(time.perf_counter() - start)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    if len(found) < len(marks):
        tail = seen[-600:].decode(errors="replace")
        raise SystemExit(f"{command[0]} never drew {marks[len(found)]!r}; it drew: {tail}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compileall.compile_dir(Path(__file__).resolve().parents[1] / "lee_console", quiet=1)
    work = Path(tempfile.mkdtemp(prefix="lee-bench-launch-"))
    log = work / "requests.jsonl"
    env = {
        **os.environ,
        "LEE_CONSOLE_STATE_DIR": str(work / "state"),
        "LEE_CONSOLE_CONFIG": str(work / "config.toml"),
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
        "TERM": "xterm-256color",
    }
    python = sys.executable
    console = [python, "-m", "lee_console"]
    with running_sandbox(items=300, extra_args=("--request-log", str(log))) as (url, _):
        create_tables(url, [f"bench-{i:03d}" for i in range(args.tables - 3)])
        imp = median_of(args.runs, lambda: timed([python, "-c", "import lee_console.cli"], env))
        boto = median_of(args.runs, lambda: timed([python, "-c", "import boto3"], env))
        three = "lee-devices,lee-sessions,lee-users"
        marks = [_logged(log)]
        status = median_of(
            args.runs,
            lambda: spaced(timed, [*console, "status", "--json", "--tables", three,
                                   "--endpoint-url", url], env),
        )  # fmt: skip
        unfrozen = median_of(
            args.runs,
            lambda: spaced(timed, [python, "-c", WITHOUT_EXIT_FREEZE, "status", "--json",
                                   "--tables", three, "--endpoint-url", url], env),
        )  # fmt: skip
        marks.append(_logged(log))
        script = median_of(args.runs, lambda: spaced(timed, [python, "-c", BOTO3_STATUS, url], env))
        marks.append(_logged(log))
        minimal = median_of(
            args.runs, lambda: in_terminal([python, "-c", MINIMAL_TEXTUAL], env, [b"minimal"])[0]
        )
        total = args.tables
        marks.append(_logged(log))
        frames = []
        for _ in range(args.runs):
            # AWS counts the account's calls, not a process's: the next console starts once the
            # last one's calls have left the limit's window (two consoles at once would share it)
            time.sleep(1.1)
            frames.append(
                in_terminal(
                    [*console, "--endpoint-url", url],
                    env,
                    [b"lee-console", b"ACTIVE", f"{total} of {total} tables".encode()],
                )
            )
    first_frame, first_row, all_rows = (statistics.median(f[i] for f in frames) for i in range(3))
    bound = total / 10.0
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    throttled = [line["fault"] == "limit" for line in lines]
    throttled_ours = sum(throttled[marks[0] : marks[1]]) + sum(throttled[marks[3] :])
    throttled_script = sum(throttled[marks[1] : marks[2]])
    print(f"{'what':<34} {'lee-console':>12} {'baseline':>12} {'ratio':>7}  baseline")
    for what, ours, base, name in (
        ("import", imp, boto, "import boto3"),
        ("status --json, 3 tables", status, script, "boto3 script, same reads"),
        ("  same, without the exit's freeze", unfrozen, script, "boto3 script, same reads"),
        ("launch to first frame", first_frame, minimal, "minimal Textual app"),
        (f"launch to all {total} rows", all_rows, bound, "rate-limit bound (10/s)"),
    ):
        print(f"{what:<34} {ours:>11.2f}s {base:>11.2f}s {ours / base:>6.2f}x  {name}")
    print(f"{'launch to first row':<34} {first_row:>11.2f}s")
    print(f"throttled calls of lee-console (status and consoles, request log): {throttled_ours}")
    print(f"throttled calls of the boto3 script (no limiter): {throttled_script}")


if __name__ == "__main__":
    main()
