"""Start the console: the CLI hands over the AWS handle and the settings."""

from __future__ import annotations

from lee_console.aws.console_source import AwsConsoleSource
from lee_console.aws.session import Aws
from lee_console.core.config import Config
from lee_console.ui.app import LeeConsoleApp
from lee_console.ui.drill.mode import DrillMode


def run_console(aws: Aws, config: Config, drill: DrillMode | None = None) -> int:
    app = LeeConsoleApp(AwsConsoleSource(aws), config, drill=drill)
    app.run()
    return app.return_code or 0
