"""Helpers for the scenario tests (a module of its own: test files cannot import conftest)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from boto3.dynamodb.types import TypeDeserializer
from sandbox_process import running_sandbox  # tests/ is on sys.path (conftest puts it there)

from lee_console.cli import main
from lee_console.store.journal_file import Journal
from lee_console.store.paths import state_dir
from lee_console.store.rules_file import load_rules_for

DEVICES = "lee-devices"
DEVICE_RULES = load_rules_for(DEVICES)
SLOW_PUTS_AFTER = 30  # the bad_deployment_slow_puts sandbox answers later PutItems late
PARAMETER, FUNCTION = "/lee/tables/devices", "lee-engine"


@dataclass(frozen=True)
class Sandbox:
    """A running scenario sandbox and its ground truth."""

    url: str
    table: str
    damage_start: datetime
    damaged: set[str]  # device_id of every item the incident damaged
    legit_after: set[str]  # device_id of every item legitimately written after damage_start
    truth_file: Path  # the sandbox's ground truth (JSON)


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


class Cli:
    """`lee-console ARGS --endpoint-url URL --incident INCIDENT`, in-process."""

    def __init__(self, capsys: pytest.CaptureFixture[str], url: str, incident: str) -> None:
        self.capsys = capsys
        self.url = url
        self.incident = incident

    def __call__(self, *args: str) -> Run:
        argv = [*args, "--endpoint-url", self.url, "--incident", self.incident]
        self.capsys.readouterr()
        code = main(argv)
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def ok(self, *args: str) -> Run:
        """Run and require exit 0."""
        run = self(*args)
        assert run.code == 0, (args, run.code, run.err[-2000:])
        return run

    @property
    def journal(self) -> Journal:
        return Journal(state_dir() / "journals", self.incident)


def one_line_error(run: Run) -> str:
    """The error contract: exit 2 and exactly one line on stderr."""
    assert run.code == 2, run
    [line] = run.err_lines
    assert line.startswith("lee-console: "), line
    return line


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def client(url: str, service: str = "dynamodb") -> Any:
    """The test's own eyes on the sandbox, outside the code under test."""
    factory: Any = boto3.client  # typed per literal service name; this one is a variable
    return factory(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def scan_devices(url: str, table: str) -> dict[str, dict[str, Any]]:
    """Every item of a devices table as plain Python values, keyed by device_id."""
    deserializer = TypeDeserializer()
    items: dict[str, dict[str, Any]] = {}
    for page in client(url).get_paginator("scan").paginate(TableName=table):
        for raw in page["Items"]:
            item = {name: deserializer.deserialize(value) for name, value in raw.items()}
            items[item["device_id"]] = item
    return items


def table_names(url: str) -> list[str]:
    names: list[str] = []
    for page in client(url).get_paginator("list_tables").paginate():
        names += page["TableNames"]
    return names


def references(url: str) -> tuple[str, str]:
    """What the application reads the devices table's name from: SSM and the Lambda env."""
    parameter = client(url, "ssm").get_parameter(Name=PARAMETER)["Parameter"]["Value"]
    config = client(url, "lambda").get_function_configuration(FunctionName=FUNCTION)
    return parameter, config["Environment"]["Variables"]["DEVICES_TABLE"]


def journal_kinds(path: Path) -> list[str]:
    return [json.loads(line)["kind"] for line in path.read_text().splitlines() if line.strip()]


def set_faults(url: str, spec: str) -> None:
    """Replace the sandbox's fault rules (their clock starts now); "" clears them."""
    request = urllib.request.Request(f"{url}/_lee/faults", data=spec.encode(), method="PUT")
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200


def scenario_sandbox(
    factory: pytest.TempPathFactory,
    scenario: str,
    *,
    restore_seconds: float,
    restore_lag: float,
    items: int,
    latency_ms: float = 0.0,
    faults: str = "",
) -> Iterator[Sandbox]:
    """A sandbox process seeded with ``scenario``, with its ground truth."""
    truth_file = factory.mktemp(scenario) / "truth.json"
    with running_sandbox(
        scenario,
        restore_seconds=restore_seconds,
        restore_lag=restore_lag,
        items=items,
        truth_file=truth_file,
        latency_ms=latency_ms,
        extra_args=("--faults", faults) if faults else (),
    ) as (url, _):
        truth = json.loads(truth_file.read_text())
        yield Sandbox(
            url=url,
            table=truth["table"],
            damage_start=parse_utc(truth["damage_start"]),
            damaged={key["device_id"] for key in truth["damaged_keys"]},
            legit_after={key["device_id"] for key in truth["legit_keys_after"]},
            truth_file=truth_file,
        )
