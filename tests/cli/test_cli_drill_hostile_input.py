"""Hostile input to `drill`, `dr-test`, `status --emit-metrics` and `monitor install` that needs no
sandbox: each is one line on stderr and exit 2, refused before anything is started, read or
written. (Wrong states against a real drill sandbox: tests/scenarios/test_drill_hostile.py.)"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Run

from lee_console.core.drill.results import is_result
from lee_console.store.drills import results_dir

NOWHERE = "http://127.0.0.1:9"  # nothing answers: a command that reached AWS would say so
NAME_RULE = "lee-console: --participant needs a name of 1 to 64 printable characters."


def refused(run: Run, line: str) -> None:
    assert run.code == 2 and run.out == "", run
    assert run.err_lines == [line]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["results", "--seed", "3"], "`lee-console drill results` does not take --seed (it "
         "takes --participant, --json)."),
        (["results", "--facilitator", "--rto-minutes", "5"], "`lee-console drill results` does "
         "not take --rto-minutes, --facilitator (it takes --participant, --json)."),
        (["finish", "--participant", "ann"], "`lee-console drill finish` does not take "
         "--participant (it takes --json, --facilitator)."),
        (["finish", "--items", "5"], "`lee-console drill finish` does not take --items (it "
         "takes --json, --facilitator)."),
        (["open", "--live-writes", "3"], "`lee-console drill open` does not take --live-writes "
         "(it takes --facilitator, --serve, --host)."),
        (["--json"], "`lee-console drill` does not take --json (it takes --scenario, --seed, "
         "--participant, --rto-minutes, --facilitator, --serve, --host, --items, --live-writes, "
         "--restore-seconds)."),
        (["start", "--serve"], "`lee-console drill start` does not take --serve (it takes "
         "--scenario, --seed, --participant, --rto-minutes, --json, --items, --live-writes, "
         "--restore-seconds)."),
        (["start", "--facilitator"], "`lee-console drill start` does not take --facilitator (it "
         "takes --scenario, --seed, --participant, --rto-minutes, --json, --items, "
         "--live-writes, --restore-seconds)."),
        (["results", "--scenario", "accidental-delete"], "`lee-console drill results` does not "
         "take --scenario (it takes --participant, --json)."),
    ],
)  # fmt: skip
def test_a_flag_the_action_does_not_read_is_refused(
    cli: Callable[..., Run], args: list[str], line: str
) -> None:
    refused(cli("drill", *args), "lee-console: " + line)


@pytest.mark.parametrize(
    "name", ["", "   ", "ann\nbob", "ann\x1b[31m", "ann\u202ebob", "x" * 65, "x" * 10_000]
)
@pytest.mark.parametrize("action", ["start", "results"])
def test_a_participant_name_must_be_one_short_printable_line(
    cli: Callable[..., Run], action: str, name: str, tmp_path: Path
) -> None:
    refused(cli("drill", action, "--participant", name), NAME_RULE)
    assert not (tmp_path / "lee-state" / "drill.json").exists()


@pytest.mark.parametrize(
    ("flag", "value", "rule"),
    [
        ("--live-writes", " 5", "is not a number from 0 to 3600"),
        ("--restore-seconds", "nan", "is not a number from 0 to 3600"),
        ("--live-writes", "1e999", "is not a number from 0 to 3600"),
        ("--seed", "\uff13", "is not a seed: give 0 to 2147483647"),  # a full-width 3
        ("--items", "99999999999999999999", "is not a count from 1 to 1000000"),
        ("--rto-minutes", "", "is not a number of minutes from 1 to 1440"),
    ],
)
def test_numbers_are_ascii_digits_within_range(
    cli: Callable[..., Run], flag: str, value: str, rule: str
) -> None:
    refused(
        cli("drill", "start", flag, value),
        f"lee-console: argument {flag}: {value!r} {rule}; `lee-console drill --help` lists the "
        "options.",
    )


def test_an_empty_scenario_is_not_random(cli: Callable[..., Run]) -> None:
    refused(
        cli("drill", "start", "--scenario", ""),
        "lee-console: Unknown scenario ''; choose one of: bad-deployment, accidental-delete, "
        "gradual-corruption, random.",
    )


def card(participant: str, total: float) -> dict[str, object]:
    return {"participant": participant, "total": total, "max_total": 100, "hints_used": 0,
            "recovered_seconds": 600, "scenario": "bad-deployment",
            "finished_at": "2026-12-03T11:00:00Z"}  # fmt: skip


def test_results_leave_out_files_that_are_not_results_and_say_so(
    cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LEE_CONSOLE_DATA_DIR", str(tmp_path / "lee-data"))
    folder = results_dir()
    folder.mkdir(parents=True)
    (folder / "drill-good.json").write_text(json.dumps(card("ann", 91)))
    (folder / "a-cut.json").write_text('{"total": ')
    (folder / "b-nan.json").write_text('{"total": NaN, "recovered_seconds": Infinity}')
    (folder / "c-list.json").write_text("[1, 2]")
    (folder / "d-escape.json").write_text(json.dumps(card("evil\x1b[31m\nline", 99)))
    (folder / "e-binary.json").write_bytes(b"\xff\xfe{")
    (folder / "f-folder.json").mkdir()
    run = cli("drill", "results")
    assert run.code == 2
    assert run.err_lines == [
        f"lee-console: 6 file(s) in {folder} are not drill results and were left out: "
        "a-cut.json, b-nan.json, c-list.json, d-escape.json, e-binary.json and 1 more."
    ]
    assert "ann" in run.out and "91/100" in run.out and "evil" not in run.out
    listed = cli("drill", "results", "--json")
    assert [r["participant"] for r in json.loads(listed.out)] == ["ann"]  # valid JSON


@pytest.mark.parametrize(
    "data",
    [{"total": float("inf")}, {"total": True}, {"total": 5, "recovered_seconds": -1},
     {"total": 5, "hints_used": 1.5}, {"total": 5, "participant": 7}, {"total": "90"}],
)  # fmt: skip
def test_what_is_not_a_result(data: dict[str, object]) -> None:
    assert not is_result(data)
    assert is_result(card("ann", 0))


def test_dr_test_refuses_a_table_name_with_a_newline(cli: Callable[..., Run]) -> None:
    refused(
        cli("dr-test", "lee-devices\n", "--endpoint-url", NOWHERE),
        "lee-console: 'lee-devices\\n' is not a valid DynamoDB table name: use 3-255 "
        "characters from a-z, A-Z, 0-9, '_', '-' and '.'.",
    )


def test_monitor_refuses_a_topic_with_a_newline_and_shortens_a_long_one(
    cli: Callable[..., Run],
) -> None:
    topic = "arn:aws:sns:us-east-1:123456789012:pager"
    args = ["install", "--dry-run", "--sns-topic", topic + "\n", "--endpoint-url", NOWHERE]
    refused(
        cli("monitor", *args),
        f"lee-console: --sns-topic '{topic}\\n' is not an SNS topic ARN "
        "(arn:aws:sns:REGION:ACCOUNT:NAME).",
    )
    run = cli("monitor", "install", "--dry-run", "--sns-topic", "x" * 10_000)
    refused(
        run,
        f"lee-console: --sns-topic '{'x' * 60}... (10,000 characters)' is not an SNS topic "
        "ARN (arn:aws:sns:REGION:ACCOUNT:NAME).",
    )


@pytest.mark.parametrize("where", ["", "folder"])
def test_a_metrics_file_that_is_a_folder_is_refused_before_aws_is_read(
    cli: Callable[..., Run], where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = Path(".") if where == "" else tmp_path
    run = cli("status", "--emit-metrics", "prometheus", "--metrics-file", where and str(folder),
              "--endpoint-url", NOWHERE)  # fmt: skip
    refused(
        run,
        f"lee-console: Cannot write {folder}: it is a folder; --metrics-file names the file "
        f"(for example {folder / 'lee_pitr.prom'}).",
    )
