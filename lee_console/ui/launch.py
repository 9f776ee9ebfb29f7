"""Start the console: the CLI hands over the connection settings, the journal and the config.

The AWS handle (boto3, the credentials) is built behind the first frame (ui/connecting.py); a
failure to build it (an unknown profile, no credentials) closes the console and is raised here
for the CLI to say in one line, as before any screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from lee_console.aws.connection import ConnectionSettings
from lee_console.core.config import Config
from lee_console.core.errors import LeeError
from lee_console.store.journal_file import Journal
from lee_console.ui.app import LeeConsoleApp
from lee_console.ui.connecting import ConnectingSource
from lee_console.ui.source import ConsoleSource

if TYPE_CHECKING:
    from lee_console.ui.drill.mode import DrillMode


def run_console(
    settings: ConnectionSettings,
    journal: Journal | None,
    config: Config,
    drill: DrillMode | None = None,
) -> int:
    def connect() -> ConsoleSource:
        from lee_console.aws.console_source import AwsConsoleSource
        from lee_console.aws.session import Aws

        return AwsConsoleSource(Aws(settings, journal))

    def failed(error: BaseException) -> None:
        if isinstance(error, LeeError):  # said by the CLI once the terminal is given back
            app.call_from_thread(app.exit, None, error.exit_code)

    source = ConnectingSource(
        connect,
        read_only=settings.read_only,
        is_sandbox=settings.local,
        journal=journal,
        where=settings.where_before_connecting(),
        on_failure=failed,
    )
    app = LeeConsoleApp(cast(ConsoleSource, source), config, drill=drill)
    app.run()
    if isinstance(source.failure, LeeError):
        raise source.failure
    return app.return_code or 0
