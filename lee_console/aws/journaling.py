"""Every mutating call is written to the journal before it is sent and after it returns, with
the caller identity and the equivalent `aws` CLI line. Hooked into botocore, so no code path can
forget it. No secrets go in: only API parameters, which carry none for these services."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from lee_console.aws.readonly import is_read_operation
from lee_console.core.awscli import aws_cli_line
from lee_console.store.journal_file import Journal

_PARAMS_KEY = "lee_console_api_params"


class CallJournal:
    def __init__(self, journal: Journal, identity: Callable[[], str]) -> None:
        self._journal = journal
        self._identity = identity

    def register(self, events: Any) -> None:
        events.register("before-parameter-build", self._remember_params)
        events.register("before-call", self._before_call)
        events.register("after-call", self._after_call)
        events.register("after-call-error", self._after_call_error)

    @staticmethod
    def _service(model: Any) -> str:
        prefix: str = model.service_model.endpoint_prefix
        return "cloudwatch" if prefix == "monitoring" else prefix

    def _mutating(self, model: Any) -> bool:
        return not is_read_operation(self._service(model), model.name)

    def _remember_params(self, params: Any, model: Any, context: Any, **_: Any) -> None:
        if self._mutating(model):
            context[_PARAMS_KEY] = copy.deepcopy(params)

    def _before_call(self, model: Any, context: Any, **_: Any) -> None:
        if not self._mutating(model):
            return
        params = context.get(_PARAMS_KEY, {})
        service = self._service(model)
        self._journal.append(
            "aws-call",
            service=service,
            operation=model.name,
            params=params,
            cli=aws_cli_line(service, model.name, params),
            identity=self._identity(),
        )

    def _after_call(self, http_response: Any, parsed: Any, model: Any, **_: Any) -> None:
        if not self._mutating(model):
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
        self._journal.append(
            "aws-error",
            error_code=type(exception).__name__,
            error_message=str(exception),
        )
