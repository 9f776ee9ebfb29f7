"""Every mutating call is written to the journal before it is sent and after it returns, with
the caller identity and the equivalent `aws` CLI line. Hooked into botocore, so no code path can
forget it.

What is written is what core/redact.py allows: item bodies as a hash, Lambda environments and
SSM values only where they are the table names a cutover repoints, nothing that names itself a
secret; an error that is not AWS's own answer is recorded by its type only (a parameter
validation message quotes the values it rejects).

A caller that journals its own calls batch by batch (repair's ``repair-batch`` records: keys and
outcomes of 25 writes in one line) marks them ``covered``: they are not journaled one by one.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import ClientError

from lee_console.aws.readonly import is_read_operation
from lee_console.core.awscli import aws_cli_line
from lee_console.core.redact import redact_params
from lee_console.store.journal_file import Journal

_PARAMS_KEY = "lee_console_api_params"


class CallJournal:
    def __init__(self, journal: Journal, identity: Callable[[], str]) -> None:
        self._journal = journal
        self._identity = identity
        self._lock = threading.Lock()
        self._reveal: frozenset[str] = frozenset()
        self._covered: dict[tuple[str, str], int] = {}

    def register(self, events: Any) -> None:
        events.register("before-parameter-build", self._remember_params)
        events.register("before-call", self._before_call)
        events.register("after-call", self._after_call)
        events.register("after-call-error", self._after_call_error)

    def reveal(self, *values: str) -> None:
        """These values (table names being repointed) may be journaled where they appear."""
        with self._lock:
            self._reveal = self._reveal | frozenset(values)

    @contextmanager
    def covered(self, operation: str, table: str) -> Iterator[None]:
        """Calls of ``operation`` on ``table`` are journaled by the caller, batch by batch."""
        key = (operation, table)
        with self._lock:
            self._covered[key] = self._covered.get(key, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self._covered[key] -= 1
                if not self._covered[key]:
                    del self._covered[key]

    @staticmethod
    def _service(model: Any) -> str:
        prefix: str = model.service_model.endpoint_prefix
        return "cloudwatch" if prefix == "monitoring" else prefix

    def _mutating(self, model: Any) -> bool:
        return not is_read_operation(self._service(model), model.name)

    def _remember_params(self, params: Any, model: Any, context: Any, **_: Any) -> None:
        if not self._mutating(model):
            return
        table = params.get("TableName") if isinstance(params, dict) else None
        with self._lock:
            if (model.name, table) in self._covered:
                return
            reveal = self._reveal
        kept = redact_params(self._service(model), model.name, copy.deepcopy(params), reveal)
        context[_PARAMS_KEY] = kept

    def _before_call(self, model: Any, context: Any, **_: Any) -> None:
        if _PARAMS_KEY not in context:
            return
        params = context[_PARAMS_KEY]
        service = self._service(model)
        self._journal.append(
            "aws-call",
            service=service,
            operation=model.name,
            params=params,
            cli=aws_cli_line(service, model.name, params),
            identity=self._identity(),
        )

    def _after_call(
        self, http_response: Any, parsed: Any, model: Any, context: Any, **_: Any
    ) -> None:
        if _PARAMS_KEY not in context:
            return
        status = getattr(http_response, "status_code", 0)
        error = parsed.get("Error", {}) if isinstance(parsed, dict) else {}
        self._journal.append(
            "aws-result" if status < 300 else "aws-error",
            service=self._service(model),
            operation=model.name,
            status=status,
            error_code=error.get("Code"),
            error_message=error.get("Message"),
        )

    def _after_call_error(self, exception: Exception, context: Any, **_: Any) -> None:
        if _PARAMS_KEY not in context:
            return
        answered = isinstance(exception, ClientError)
        self._journal.append(
            "aws-error",
            error_code=type(exception).__name__,
            error_message=str(exception) if answered else "not recorded (not an AWS answer)",
        )
