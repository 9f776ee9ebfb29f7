"""What every command receives: the merged settings, the one AWS handle and the journal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TextIO

from lee_console.aws.retry_watch import once_in
from lee_console.aws.session import Aws
from lee_console.core.config import Config

if TYPE_CHECKING:
    from lee_console.store.journal_file import Journal


@dataclass
class CommandContext:
    config: Config
    aws_factory: Callable[[], Aws]  # called lazily, so `config path` needs no AWS
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    journal: Journal | None = None  # the incident's journal (--incident), no AWS needed
    _aws: Aws | None = None

    @property
    def aws(self) -> Aws:
        if self._aws is None:
            self._aws = self.aws_factory()
            # Retries and outages are told as they happen, so a long wait never looks hung.
            self._aws.retries.listen(once_in(15.0, self.say))
        return self._aws

    def now(self) -> datetime:
        return datetime.now(UTC)

    def say(self, message: str) -> None:
        """A human message: stderr, so stdout stays machine-readable."""
        print(message, file=self.err, flush=True)
