"""Repoint cutover in AWS: find the SSM parameters and Lambda environment variables whose value
is the live table's name, change them to the restored table's, and put them back on rollback.

For the UI: every function returns data and prints nothing; call them from thread workers. The
typed confirmation is the caller's job (core.repoint.check_confirmation) before ``repoint``.

    changes = plan_cutover(aws, "lee-devices", "lee-devices-r")   # reads only
    result = repoint(aws, "lee-devices", "lee-devices-r", changes)
    pending = pending_rollbacks(aws.journal.events())              # core.repoint
    rolled = rollback(aws, pending)
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from lee_console.aws.errors import failure_text, translate
from lee_console.aws.readonly import refusal
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_table_raw
from lee_console.core.errors import InvalidInput, LeeError, ReadOnlyRefused
from lee_console.core.journal import Kind
from lee_console.core.repoint import (
    STRATEGY,
    Change,
    ChangeResult,
    PendingRollback,
    Reference,
    classify,
    found_result,
    plan_repoint,
    reread_failed,
)
from lee_console.store.processes import this_process

LAMBDA_UPDATE_DEADLINE_SECONDS = 120.0
_GET_PARAMETERS_BATCH = 10
_running: set[str] = set()  # cutover ids this process is making now
_running_lock = threading.Lock()


@dataclass(frozen=True)
class RepointResult:
    cutover_id: str
    live: str
    restored: str
    results: list[ChangeResult]

    @property
    def complete(self) -> bool:
        return all(r.status in ("changed", "already") for r in self.results)


@dataclass(frozen=True)
class RollbackResult:
    cutover_ids: list[str]  # cutovers fully undone
    results: list[ChangeResult]

    @property
    def complete(self) -> bool:
        return all(r.status in ("changed", "already") for r in self.results)


def find_references(aws: Aws, value: str) -> list[Reference]:
    """SSM parameters (String, StringList) whose value is ``value`` and Lambda functions
    ($LATEST) with an environment variable equal to it. SecureString parameters are not read."""
    return _ssm_references(aws, value) + _lambda_references(aws, value)


def _ssm_references(aws: Aws, value: str) -> list[Reference]:
    ssm = aws.client("ssm")
    try:
        names = [
            p["Name"]
            for page in ssm.get_paginator("describe_parameters").paginate()
            for p in page.get("Parameters", [])
            if p.get("Type") != "SecureString"
        ]
        refs = []
        for start in range(0, len(names), _GET_PARAMETERS_BATCH):
            batch = names[start : start + _GET_PARAMETERS_BATCH]
            for p in ssm.get_parameters(Names=batch).get("Parameters", []):
                if p.get("Value") == value:
                    refs.append(Reference("ssm", p["Name"], None, value))
        return refs
    except Exception as error:
        raise translate(error, "read the SSM parameters (ssm describe-parameters)") from None


def _lambda_references(aws: Aws, value: str) -> list[Reference]:
    try:
        pages = aws.client("lambda").get_paginator("list_functions").paginate()
        return [
            Reference("lambda", f["FunctionName"], variable, value)
            for page in pages
            for f in page.get("Functions", [])
            for variable, current in sorted(
                (f.get("Environment") or {}).get("Variables", {}).items()
            )
            if current == value
        ]
    except Exception as error:
        raise translate(error, "list the Lambda functions (lambda list-functions)") from None


def plan_cutover(aws: Aws, live: str, restored: str) -> list[Change]:
    """The changes a repoint would make. Refuses unless the restored table is ACTIVE."""
    status = describe_table_raw(aws, restored).get("TableStatus")
    if status != "ACTIVE":
        raise InvalidInput(
            f"{restored} is {status}, not ACTIVE: wait for the restore to finish before cutover."
        )
    return plan_repoint(find_references(aws, live), live, restored)


def current_value(aws: Aws, kind: str, name: str, variable: str | None) -> str | None:
    """What a reference holds now (None: the parameter, function or variable is gone)."""
    try:
        if kind == "ssm":
            return str(aws.client("ssm").get_parameter(Name=name)["Parameter"]["Value"])
        config = aws.client("lambda").get_function_configuration(FunctionName=name)
        found = (config.get("Environment") or {}).get("Variables", {}).get(variable or "")
        return None if found is None else str(found)
    except Exception as error:
        code = getattr(error, "response", {}).get("Error", {}).get("Code", "")
        if code in ("ParameterNotFound", "ResourceNotFoundException"):
            return None
        raise translate(error, f"read {kind} {name}") from None


def apply_changes(
    aws: Aws,
    changes: Iterable[Change],
    on_result: Callable[[ChangeResult], None] | None = None,
) -> list[ChangeResult]:
    """Make each change that still finds its old value; one Lambda update per function, keeping
    its other variables. --read-only stops at the first change (ReadOnlyRefused)."""
    results: list[ChangeResult] = []
    by_function: dict[str, list[Change]] = {}
    for change in changes:
        if change.kind == "lambda":
            by_function.setdefault(change.name, []).append(change)
        else:
            results += _report([_ssm_change(aws, change)], on_result)
    for function, group in by_function.items():
        results += _report(_lambda_changes(aws, function, group), on_result)
    return results


def _report(
    results: list[ChangeResult], on_result: Callable[[ChangeResult], None] | None
) -> list[ChangeResult]:
    for result in results:
        if on_result is not None:
            on_result(result)
    return results


def _ssm_change(aws: Aws, change: Change) -> ChangeResult:
    try:
        now = current_value(aws, "ssm", change.name, None)
        status = classify(change, now)
        if status is not None:
            return found_result(change, status, now)
        aws.client("ssm").put_parameter(Name=change.name, Value=change.new, Overwrite=True)
        return _verified(change, current_value(aws, "ssm", change.name, None))
    except ReadOnlyRefused:
        raise
    except Exception as error:
        return ChangeResult(change, "failed", failure_text(error, f"change {change.label}"))


def _lambda_changes(aws: Aws, function: str, group: list[Change]) -> list[ChangeResult]:
    client = aws.client("lambda")
    try:
        config = client.get_function_configuration(FunctionName=function)
        variables: dict[str, str] = dict((config.get("Environment") or {}).get("Variables", {}))
        results: list[ChangeResult] = []
        todo: list[Change] = []
        for change in group:
            found = variables.get(change.variable or "")
            status = classify(change, found)
            if status is None:
                todo.append(change)
            else:
                results.append(found_result(change, status, found))
        if not todo:
            return results
        for change in todo:
            variables[change.variable or ""] = change.new
        guard = {"RevisionId": config["RevisionId"]} if config.get("RevisionId") else {}
        client.update_function_configuration(
            FunctionName=function, Environment={"Variables": variables}, **guard
        )
        _wait_lambda_updated(aws, function)
        return results + [
            _verified(c, current_value(aws, "lambda", c.name, c.variable)) for c in todo
        ]
    except ReadOnlyRefused:
        raise
    except Exception as error:
        message = failure_text(error, f"update the environment of {function}")
        return [ChangeResult(c, "failed", message) for c in group]


def _verified(change: Change, now: str | None) -> ChangeResult:
    if now == change.new:
        return ChangeResult(change, "changed")
    return reread_failed(change, now)


def _wait_lambda_updated(aws: Aws, function: str) -> None:
    """A Lambda configuration update is asynchronous (LastUpdateStatus InProgress)."""
    end = time.monotonic() + LAMBDA_UPDATE_DEADLINE_SECONDS
    client = aws.client("lambda")
    while True:
        config = client.get_function_configuration(FunctionName=function)
        status = config.get("LastUpdateStatus", "Successful")
        if status != "InProgress":
            if status == "Failed":
                reason = config.get("LastUpdateStatusReason", "no reason given")
                raise LeeError(f"The update of {function} failed: {reason}.")
            return
        if time.monotonic() >= end:
            raise LeeError(f"The update of {function} is still in progress; check it in Lambda.")
        time.sleep(1.0)


@contextmanager
def running(cutover_id: str) -> Iterator[None]:
    """A repoint of this process under way: unfinished in the journal, not interrupted."""
    with _running_lock:
        _running.add(cutover_id)
    try:
        yield
    finally:
        with _running_lock:
            _running.discard(cutover_id)


def is_running_here(cutover_id: str) -> bool:
    with _running_lock:
        return cutover_id in _running


def refuse_if_read_only(aws: Aws, what: str) -> None:
    """Refuse before journaling a cutover that the read-only guard would stop anyway."""
    if aws.settings.read_only:
        raise refusal(f"Refused to {what}")


def repoint(
    aws: Aws,
    live: str,
    restored: str,
    changes: list[Change],
    on_result: Callable[[ChangeResult], None] | None = None,
) -> RepointResult:
    """Change every reference from ``live`` to ``restored``. Journals ``cutover-started``
    (planned, pid, host) before the first change and ``cutover`` (made, failed) after: a run
    killed in between is found by aws/repoint_resume.py."""
    refuse_if_read_only(aws, f"repoint {live} to {restored}")
    aws.reveal_in_journal(live, restored)
    cutover_id = uuid.uuid4().hex[:12]
    common: dict[str, Any] = {
        "cutover_id": cutover_id,
        "strategy": STRATEGY,
        "live": live,
        "restored": restored,
    }
    if aws.journal is not None:
        aws.journal.append(
            Kind.CUTOVER_STARTED,
            **common,
            planned=[c.to_json() for c in changes],
            **this_process(),
        )
    with running(cutover_id):
        results = apply_changes(aws, changes, on_result)
    result = RepointResult(cutover_id, live, restored, results)
    if aws.journal is not None:
        aws.journal.append(
            Kind.CUTOVER,
            **common,
            changes=[r.change.to_json() for r in results if r.status == "changed"],
            unchanged=[r.to_json() for r in results if r.status in ("already", "conflict")],
            failed=[r.to_json() for r in results if r.status == "failed"],
            complete=result.complete,
        )
    return result


def rollback(
    aws: Aws,
    pending: list[PendingRollback],
    on_result: Callable[[ChangeResult], None] | None = None,
) -> RollbackResult:
    """Put back the recorded old values of each pending cutover (latest first), each only while
    the reference still holds the restored name. Journals one ``cutover-rolled-back`` per
    cutover; one that is not ``complete`` stays pending for the next rollback."""
    if pending:
        refuse_if_read_only(aws, "roll back the cutover")
    results: list[ChangeResult] = []
    undone: list[str] = []
    for cutover in pending:
        aws.reveal_in_journal(*(name for name in (cutover.live, cutover.restored) if name))
        done = apply_changes(aws, cutover.changes, on_result)
        results += done
        complete = all(r.status in ("changed", "already") for r in done)
        if complete:
            undone.append(cutover.cutover_id)
        if aws.journal is not None:
            aws.journal.append(
                Kind.CUTOVER_ROLLED_BACK,
                strategy=STRATEGY,
                cutover_id=cutover.cutover_id,
                live=cutover.live,
                restored=cutover.restored,
                changes=[r.change.to_json() for r in done if r.status == "changed"],
                skipped=[r.to_json() for r in done if r.status in ("already", "conflict")],
                failed=[r.to_json() for r in done if r.status == "failed"],
                complete=complete,
            )
    return RollbackResult(undone, results)
